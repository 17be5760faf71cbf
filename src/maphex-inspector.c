/* maphex-inspector.c: see maphex-inspector.h. */
#include "maphex-inspector.h"
#include "maphex-inspector-rows.h"

#include <glib/gi18n.h>
#include <string.h>

#define N_FIELDS MAPHEX_INSPECT_N_FIELDS

struct _MaphexInspector
{
  GtkWidget           parent_instance;

  MaphexDocument     *document;
  MaphexHexView      *view;          /* weak: followed, not owned */
  gint64              cursor;
  MaphexByteOrder     order;

  MaphexInspectBytes  at;            /* the bytes at the cursor, as last read */
  MaphexInspectRow    rows[N_FIELDS];
  char               *typed[N_FIELDS];  /* text the user typed in a row, or NULL */
  gboolean            refreshing;    /* the editor's text is ours, not typed */
  int                 error_field;   /* the row the message is about, or -1 */
  gboolean            stale;         /* the rows are to be read and decoded again */
  guint               tick_id;       /* the frame that will, or 0 */

  GtkWidget          *little_button;
  GtkWidget          *big_button;
  GtkWidget          *scroller;
  MaphexInspectorRows *values;
  GtkWidget          *message;
};

G_DEFINE_FINAL_TYPE (MaphexInspector, maphex_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_CURSOR,
  PROP_BYTE_ORDER,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* The message at the bottom; `field` (or -1) is the row it is about,
 * which is marked as in error until the message goes. */
static void
set_row_message (MaphexInspector *self,
                 int              field,
                 const char      *text)
{
  gboolean shown = text != NULL && text[0] != '\0';

  self->error_field = shown ? field : -1;
  maphex_inspector_rows_set_error (self->values, self->error_field);
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->message)), shown ? text : "") != 0)
    gtk_label_set_text (GTK_LABEL (self->message), shown ? text : "");
  if (gtk_widget_get_visible (self->message) != shown)
    gtk_widget_set_visible (self->message, shown);
}

static void
set_message (MaphexInspector *self,
             const char      *text)
{
  set_row_message (self, -1, text);
}

/* Reads the (at most 16) bytes at the cursor. A fault cuts them where the
 * shrunk file ends: what comes before it is read byte by byte. */
static void
read_bytes (MaphexInspector *self)
{
  MaphexInspectBytes *at = &self->at;
  gint64 length;

  memset (at, 0, sizeof *at);
  if (self->document == NULL)
    return;
  length = maphex_document_get_length (self->document);
  if (self->cursor >= length)
    return;
  at->n_available = (gsize) MIN (length - self->cursor, MAPHEX_INSPECT_MAX_BYTES);
  if (maphex_document_read (self->document, self->cursor, at->data, at->n_available, NULL))
    {
      at->n_readable = at->n_available;
      return;
    }
  while (at->n_readable < at->n_available &&
         maphex_document_read (self->document, self->cursor + (gint64) at->n_readable,
                               at->data + at->n_readable, 1, NULL))
    at->n_readable++;
}

/* What the row's value reads as: what was typed in it, else its value,
 * else "" (a row without a value shows why, and typing starts afresh). */
static const char *
row_text (MaphexInspector   *self,
          MaphexInspectField field)
{
  const MaphexInspectRow *row = &self->rows[field];

  if (self->typed[field] != NULL)
    return self->typed[field];
  return row->status == MAPHEX_INSPECT_STATUS_OK ? row->text : "";
}

static gboolean
row_editable (MaphexInspector   *self,
              MaphexInspectField field)
{
  MaphexInspectStatus status = self->rows[field].status;

  return status == MAPHEX_INSPECT_STATUS_OK || status == MAPHEX_INSPECT_STATUS_INVALID;
}

/* Fills the editor from its row: what it reads as, why it has no value
 * (the placeholder), whether it takes one. */
static void
fill_editor (MaphexInspector   *self,
             MaphexInspectField field)
{
  const MaphexInspectRow *row = &self->rows[field];
  GtkEntry *editor = maphex_inspector_rows_get_editor (self->values);
  const char *reason = row->status == MAPHEX_INSPECT_STATUS_OK ? NULL : row->text;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editor)), row_text (self, field)) != 0)
    {
      self->refreshing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (editor), row_text (self, field));
      self->refreshing = FALSE;
    }
  if (g_strcmp0 (gtk_entry_get_placeholder_text (editor), reason) != 0)
    gtk_entry_set_placeholder_text (editor, reason);
  if (gtk_editable_get_editable (GTK_EDITABLE (editor)) != row_editable (self, field))
    gtk_editable_set_editable (GTK_EDITABLE (editor), row_editable (self, field));
}

static void flush (MaphexInspector *self);

/* A row's tooltip, made when it is to show: the whole reason (the row may
 * cut it) and what the row takes. */
static char *
row_tooltip (int      field,
             gpointer data)
{
  MaphexInspector *self = data;
  const MaphexInspectRow *row;

  flush (self);
  row = &self->rows[field];
  if (row->status == MAPHEX_INSPECT_STATUS_OK)
    return g_strdup (maphex_inspect_field_hint (field));
  if (row_editable (self, field))
    return g_strdup_printf ("%s\n%s", row->text, maphex_inspect_field_hint (field));
  return g_strdup (row->text);
}

/* Hands the row to the values widget, which redraws it only when a text
 * changed. */
static void
show_row (MaphexInspector   *self,
          MaphexInspectField field)
{
  const MaphexInspectRow *row = &self->rows[field];
  gboolean is_reason = self->typed[field] == NULL && row->status != MAPHEX_INSPECT_STATUS_OK;

  maphex_inspector_rows_set (self->values, field, is_reason ? row->text : row_text (self, field),
                             is_reason, row->detail);
  if (maphex_inspector_rows_get_editing (self->values) == (int) field)
    fill_editor (self, field);
}

/* Reads and decodes every row again; what was typed in a row stays. */
static void
refresh (MaphexInspector *self)
{
  self->stale = FALSE;
  read_bytes (self);
  for (int f = 0; f < N_FIELDS; f++)
    {
      maphex_inspect_decode (f, self->order, &self->at, &self->rows[f]);
      show_row (self, f);
    }
}

/* The rows are what they show now, before anyone reads them. */
static void
flush (MaphexInspector *self)
{
  if (self->stale)
    refresh (self);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (widget);

  self->tick_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

/* Cursor moves and changes come faster than frames: the rows are read
 * and decoded once, at the start of the next frame. A panel that is not
 * on screen (hidden, or behind another side page) only notes it: it reads
 * when it is mapped again, or when someone asks for a row (flush). */
static void
schedule_refresh (MaphexInspector *self)
{
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void
maphex_inspector_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (maphex_inspector_parent_class)->map (widget);
  flush (MAPHEX_INSPECTOR (widget));
}

/* What was typed goes: the rows show another position or byte order. */
static void
forget_typed (MaphexInspector *self)
{
  for (int f = 0; f < N_FIELDS; f++)
    g_clear_pointer (&self->typed[f], g_free);
  set_message (self, NULL);
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

static void
on_bytes_changed (MaphexDocument  *document,
                  gint64           offset,
                  gint64           length,
                  MaphexInspector *self)
{
  if (offset < self->cursor + MAPHEX_INSPECT_MAX_BYTES && offset + length > self->cursor)
    schedule_refresh (self);
}

static void
on_length_changed (MaphexInspector *self)
{
  schedule_refresh (self);
}

void
maphex_inspector_set_document (MaphexInspector *self,
                               MaphexDocument  *document)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (document == NULL || MAPHEX_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect (document, "bytes-changed", G_CALLBACK (on_bytes_changed), self);
      g_signal_connect_swapped (document, "notify::length", G_CALLBACK (on_length_changed), self);
      g_signal_connect_swapped (document, "file-changed", G_CALLBACK (on_length_changed), self);
    }
  forget_typed (self);
  schedule_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DOCUMENT]);
}

MaphexDocument *
maphex_inspector_get_document (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  return self->document;
}

void
maphex_inspector_set_cursor (MaphexInspector *self,
                             gint64           offset)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (offset >= 0);

  /* Also when it stays: the rows show the bytes there again. */
  self->cursor = offset;
  forget_typed (self);
  schedule_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURSOR]);
}

gint64
maphex_inspector_get_cursor (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), 0);
  return self->cursor;
}

void
maphex_inspector_set_byte_order (MaphexInspector *self,
                                 MaphexByteOrder  order)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (order == MAPHEX_BYTE_ORDER_LITTLE || order == MAPHEX_BYTE_ORDER_BIG);

  /* The buttons call back here when they toggle: settle them first. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (order == MAPHEX_BYTE_ORDER_LITTLE
                                                   ? self->little_button : self->big_button),
                                TRUE);
  if (self->order == order)
    return;
  self->order = order;
  forget_typed (self);
  schedule_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BYTE_ORDER]);
}

MaphexByteOrder
maphex_inspector_get_byte_order (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), MAPHEX_BYTE_ORDER_LITTLE);
  return self->order;
}

/* ------------------------------------------------------------------ */
/* Following a view                                                    */

static void
on_view_cursor (MaphexInspector *self)
{
  gint64 cursor = maphex_hex_view_get_cursor (self->view);

  if (cursor != self->cursor)
    maphex_inspector_set_cursor (self, cursor);
}

static void
on_view_document (MaphexInspector *self)
{
  maphex_inspector_set_document (self, maphex_hex_view_get_document (self->view));
  on_view_cursor (self);
}

void
maphex_inspector_set_view (MaphexInspector *self,
                           MaphexHexView   *view)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (view == NULL || MAPHEX_IS_HEX_VIEW (view));

  if (self->view == view)
    return;
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_set_weak_pointer (&self->view, view);
  if (view == NULL)
    return;
  g_signal_connect_swapped (view, "notify::cursor", G_CALLBACK (on_view_cursor), self);
  g_signal_connect_swapped (view, "notify::document", G_CALLBACK (on_view_document), self);
  maphex_inspector_set_document (self, maphex_hex_view_get_document (view));
  maphex_inspector_set_cursor (self, maphex_hex_view_get_cursor (view));
}

/* ------------------------------------------------------------------ */
/* Editing                                                             */

gboolean
maphex_inspector_write_row (MaphexInspector   *self,
                            MaphexInspectField field)
{
  g_autoptr(GError) error = NULL;
  const MaphexInspectRow *row;
  guint8 out[MAPHEX_INSPECT_MAX_BYTES];
  gsize len = 0;

  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (field < N_FIELDS, FALSE);

  flush (self);
  row = &self->rows[field];
  if (self->document == NULL)
    {
      set_message (self, _("No document to write to"));
      return FALSE;
    }
  if (row->status == MAPHEX_INSPECT_STATUS_SHORT || row->status == MAPHEX_INSPECT_STATUS_FAULT)
    {
      g_autofree char *text = g_strdup_printf (_("%s: %s"), maphex_inspect_field_name (field),
                                               row->status == MAPHEX_INSPECT_STATUS_FAULT
                                               ? row->detail : row->text);
      set_row_message (self, field, text);
      return FALSE;
    }

  if (!maphex_inspect_encode (field, self->order, &self->at, row_text (self, field),
                              out, &len, &error))
    {
      /* TRANSLATORS: a row's name, then why its text was refused. */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), maphex_inspect_field_name (field),
                                               error->message);
      set_row_message (self, field, text);
      return FALSE;
    }

  /* The document's messages are sentences already ("The file is open read-only"). */
  if (!maphex_document_replace (self->document, self->cursor, out, len, &error))
    {
      set_row_message (self, field, error->message);
      return FALSE;
    }

  /* Show the value as it reads back ("0x1f" becomes "31"), even when the
   * bytes did not change; the editor's work is done. */
  g_clear_pointer (&self->typed[field], g_free);
  if (maphex_inspector_rows_get_editing (self->values) == (int) field)
    maphex_inspector_rows_set_editing (self->values, -1);
  refresh (self);
  set_message (self, NULL);
  return TRUE;
}

void
maphex_inspector_revert_row (MaphexInspector   *self,
                             MaphexInspectField field)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (field < N_FIELDS);

  flush (self);
  g_clear_pointer (&self->typed[field], g_free);
  if (maphex_inspector_rows_get_editing (self->values) == (int) field)
    maphex_inspector_rows_set_editing (self->values, -1);
  show_row (self, field);
  set_message (self, NULL);
}

GtkEditable *
maphex_inspector_edit_row (MaphexInspector   *self,
                           MaphexInspectField field)
{
  GtkEntry *editor;

  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);

  flush (self);
  editor = maphex_inspector_rows_get_editor (self->values);
  maphex_inspector_rows_set_editing (self->values, field);
  fill_editor (self, field);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (editor));
  return GTK_EDITABLE (editor);
}

const MaphexInspectRow *
maphex_inspector_get_row (MaphexInspector   *self,
                          MaphexInspectField field)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);
  flush (self);
  return &self->rows[field];
}

const char *
maphex_inspector_get_text (MaphexInspector   *self,
                           MaphexInspectField field)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);
  flush (self);
  return row_text (self, field);
}

gboolean
maphex_inspector_get_row_editable (MaphexInspector   *self,
                                   MaphexInspectField field)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), FALSE);
  g_return_val_if_fail (field < N_FIELDS, FALSE);
  flush (self);
  return row_editable (self, field);
}

int
maphex_inspector_get_error_field (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), -1);
  return self->error_field;
}

const char *
maphex_inspector_get_message (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static void
on_edit_row (MaphexInspectorRows *values,
             int                  field,
             const char          *text,
             MaphexInspector     *self)
{
  GtkEditable *editor = maphex_inspector_edit_row (self, field);

  /* A character typed on a row starts its text afresh. */
  if (text != NULL && gtk_editable_get_editable (editor))
    {
      gtk_editable_set_text (editor, text);
      gtk_editable_set_position (editor, -1);
    }
}

static void
on_editor_activate (GtkWidget       *editor,
                    MaphexInspector *self)
{
  int field = maphex_inspector_rows_get_editing (self->values);

  if (field >= 0)
    maphex_inspector_write_row (self, field);
}

static void
on_editor_changed (GtkWidget       *editor,
                   MaphexInspector *self)
{
  int field = maphex_inspector_rows_get_editing (self->values);

  if (self->refreshing || field < 0)
    return;
  g_free (self->typed[field]);
  self->typed[field] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor)));
  set_message (self, NULL);
  show_row (self, field);
}

static void
action_revert (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gint32 field = g_variant_get_int32 (parameter);

  if (field >= 0 && field < N_FIELDS)
    maphex_inspector_revert_row (MAPHEX_INSPECTOR (widget), field);
}

/* Escape in the editor: the row's value again. */
static gboolean
on_editor_escape (GtkWidget *editor,
                  GVariant  *args,
                  gpointer   data)
{
  MaphexInspector *self = data;
  int field = maphex_inspector_rows_get_editing (self->values);

  if (field < 0)
    return FALSE;
  maphex_inspector_revert_row (self, field);
  return TRUE;
}

static void
on_order_toggled (GtkToggleButton *button,
                  MaphexInspector *self)
{
  if (gtk_toggle_button_get_active (button))
    maphex_inspector_set_byte_order (self, GTK_WIDGET (button) == self->little_button
                                           ? MAPHEX_BYTE_ORDER_LITTLE : MAPHEX_BYTE_ORDER_BIG);
}

/* ------------------------------------------------------------------ */
/* Construction                                                        */

static void
add_values (MaphexInspector *self)
{
  const char *names[N_FIELDS];
  GtkEventController *shortcuts;
  GtkEntry *editor;

  for (int f = 0; f < N_FIELDS; f++)
    names[f] = maphex_inspect_field_name (f);
  /* The GUID is too wide to stand beside its name. */
  self->values = MAPHEX_INSPECTOR_ROWS (maphex_inspector_rows_new (names, N_FIELDS, MAPHEX_INSPECT_GUID));
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->values), 6);
  g_signal_connect (self->values, "edit-row", G_CALLBACK (on_edit_row), self);
  maphex_inspector_rows_set_tooltip_func (self->values, row_tooltip, self);

  editor = maphex_inspector_rows_get_editor (self->values);
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (on_editor_escape, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (editor), shortcuts);
  g_signal_connect (editor, "activate", G_CALLBACK (on_editor_activate), self);
  g_signal_connect (editor, "changed", G_CALLBACK (on_editor_changed), self);
}

static void
maphex_inspector_init (MaphexInspector *self)
{
  GtkWidget *header, *label, *buttons;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);
  gtk_widget_set_margin_top (header, 6);
  label = gtk_label_new (_("Byte order"));
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (buttons, "linked");
  self->little_button = gtk_toggle_button_new_with_mnemonic (_("_Little endian"));
  gtk_widget_set_tooltip_text (self->little_button, _("Least significant byte first (x86, ARM)"));
  self->big_button = gtk_toggle_button_new_with_mnemonic (_("_Big endian"));
  gtk_widget_set_tooltip_text (self->big_button, _("Most significant byte first (network order)"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->big_button),
                               GTK_TOGGLE_BUTTON (self->little_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->little_button), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (buttons),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  gtk_box_append (GTK_BOX (buttons), self->little_button);
  gtk_box_append (GTK_BOX (buttons), self->big_button);
  gtk_box_append (GTK_BOX (header), buttons);
  gtk_widget_set_parent (header, GTK_WIDGET (self));

  add_values (self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->values));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 36);
  gtk_widget_set_margin_start (self->message, 6);
  gtk_widget_set_margin_end (self->message, 6);
  gtk_widget_set_margin_bottom (self->message, 6);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_widget_set_parent (self->message, GTK_WIDGET (self));

  g_signal_connect (self->little_button, "toggled", G_CALLBACK (on_order_toggled), self);
  g_signal_connect (self->big_button, "toggled", G_CALLBACK (on_order_toggled), self);

  self->order = MAPHEX_BYTE_ORDER_LITTLE;
  self->error_field = -1;
  refresh (self);
}

static void
maphex_inspector_dispose (GObject *object)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (object);
  GtkWidget *child;

  maphex_inspector_set_view (self, NULL);
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (maphex_inspector_parent_class)->dispose (object);
}

static void
maphex_inspector_finalize (GObject *object)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (object);

  for (int f = 0; f < N_FIELDS; f++)
    {
      maphex_inspect_row_clear (&self->rows[f]);
      g_free (self->typed[f]);
    }

  G_OBJECT_CLASS (maphex_inspector_parent_class)->finalize (object);
}

static void
maphex_inspector_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;
    case PROP_BYTE_ORDER:
      g_value_set_enum (value, self->order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_inspector_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      maphex_inspector_set_document (self, g_value_get_object (value));
      break;
    case PROP_CURSOR:
      maphex_inspector_set_cursor (self, g_value_get_int64 (value));
      break;
    case PROP_BYTE_ORDER:
      maphex_inspector_set_byte_order (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_inspector_class_init (MaphexInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_inspector_dispose;
  object_class->finalize = maphex_inspector_finalize;
  object_class->get_property = maphex_inspector_get_property;
  object_class->set_property = maphex_inspector_set_property;
  widget_class->map = maphex_inspector_map;

  props[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, MAPHEX_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_CURSOR] =
    g_param_spec_int64 ("cursor", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_BYTE_ORDER] =
    g_param_spec_enum ("byte-order", NULL, NULL, MAPHEX_TYPE_BYTE_ORDER, MAPHEX_BYTE_ORDER_LITTLE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "inspector.revert", "i", action_revert);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

GtkWidget *
maphex_inspector_new (void)
{
  return g_object_new (MAPHEX_TYPE_INSPECTOR, NULL);
}
