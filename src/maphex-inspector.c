/* maphex-inspector.c: see maphex-inspector.h. */
#include "maphex-inspector.h"

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
  gboolean            typed[N_FIELDS];  /* the entry holds text the user typed */
  gboolean            refreshing;    /* the entries' texts are ours, not typed */
  int                 error_field;   /* the row the message is about, or -1 */

  GtkWidget          *little_button;
  GtkWidget          *big_button;
  GtkWidget          *scroller;
  GtkWidget          *grid;
  GtkWidget          *entries[N_FIELDS];
  GtkWidget          *details[N_FIELDS];
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

/* The message at the bottom; `field` (or -1) is the row whose entry it is
 * about, which is marked as in error until the message goes. */
static void
set_row_message (MaphexInspector *self,
                 int              field,
                 const char      *text)
{
  if (self->error_field >= 0)
    gtk_widget_remove_css_class (self->entries[self->error_field], "error");
  self->error_field = text != NULL && text[0] != '\0' ? field : -1;
  if (self->error_field >= 0)
    gtk_widget_add_css_class (self->entries[field], "error");
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  gtk_widget_set_visible (self->message, text != NULL && text[0] != '\0');
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

/* A value shows as the entry's text; a row without one (INVALID, SHORT,
 * FAULT) shows why as the placeholder, so that typing starts afresh. */
static void
show_row (MaphexInspector   *self,
          MaphexInspectField field)
{
  const MaphexInspectRow *row = &self->rows[field];
  GtkWidget *entry = self->entries[field];
  gboolean value = row->status == MAPHEX_INSPECT_STATUS_OK;
  gboolean editable = value || row->status == MAPHEX_INSPECT_STATUS_INVALID;
  g_autofree char *tooltip = NULL;

  /* Each setter is skipped when it would change nothing: a cursor move
   * changes most values but few placeholders, styles and tooltips, and GTK
   * lays out and restyles a widget on every change. */
  if (!self->typed[field] && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)),
                                        value ? row->text : "") != 0)
    {
      self->refreshing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (entry), value ? row->text : "");
      self->refreshing = FALSE;
    }
  if (g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), value ? NULL : row->text) != 0)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), value ? NULL : row->text);
  if (gtk_editable_get_editable (GTK_EDITABLE (entry)) != editable)
    gtk_editable_set_editable (GTK_EDITABLE (entry), editable);
  if (value != gtk_widget_has_css_class (entry, "monospace"))
    {
      if (value)
        gtk_widget_add_css_class (entry, "monospace");
      else
        gtk_widget_remove_css_class (entry, "monospace");
    }

  /* The whole reason (the entry may cut it), and what the row takes. */
  if (value)
    tooltip = g_strdup (maphex_inspect_field_hint (field));
  else if (editable)
    tooltip = g_strdup_printf ("%s\n%s", row->text, maphex_inspect_field_hint (field));
  else
    tooltip = g_strdup (row->text);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (entry), tooltip) != 0)
    gtk_widget_set_tooltip_text (entry, tooltip);

  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->details[field])),
                 row->detail != NULL ? row->detail : "") != 0)
    gtk_label_set_text (GTK_LABEL (self->details[field]), row->detail != NULL ? row->detail : "");
  if (gtk_widget_get_visible (self->details[field]) != (row->detail != NULL))
    gtk_widget_set_visible (self->details[field], row->detail != NULL);
}

/* Decodes every row again. `keep_typed`: an entry being typed in keeps
 * its text (the bytes changed under it); otherwise it is replaced. */
static void
refresh (MaphexInspector *self,
         gboolean         keep_typed)
{
  read_bytes (self);
  for (int f = 0; f < N_FIELDS; f++)
    {
      if (!keep_typed)
        self->typed[f] = FALSE;
      maphex_inspect_decode (f, self->order, &self->at, &self->rows[f]);
      show_row (self, f);
    }
  if (!keep_typed)
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
    refresh (self, TRUE);
}

static void
on_length_changed (MaphexInspector *self)
{
  refresh (self, TRUE);
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
  refresh (self, FALSE);
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

  /* Also when it stays: the entries show the bytes there again. */
  self->cursor = offset;
  refresh (self, FALSE);
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
  refresh (self, FALSE);
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

  if (!maphex_inspect_encode (field, self->order, &self->at,
                              gtk_editable_get_text (GTK_EDITABLE (self->entries[field])),
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
   * bytes did not change. */
  self->typed[field] = FALSE;
  refresh (self, TRUE);
  set_message (self, NULL);
  return TRUE;
}

void
maphex_inspector_revert_row (MaphexInspector   *self,
                             MaphexInspectField field)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR (self));
  g_return_if_fail (field < N_FIELDS);

  self->typed[field] = FALSE;
  show_row (self, field);
  set_message (self, NULL);
}

const MaphexInspectRow *
maphex_inspector_get_row (MaphexInspector   *self,
                          MaphexInspectField field)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);
  return &self->rows[field];
}

GtkEditable *
maphex_inspector_get_entry (MaphexInspector   *self,
                            MaphexInspectField field)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);
  return GTK_EDITABLE (self->entries[field]);
}

const char *
maphex_inspector_get_message (MaphexInspector *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

static MaphexInspectField
entry_field (MaphexInspector *self,
             GtkWidget       *entry)
{
  for (int f = 0; f < N_FIELDS; f++)
    if (self->entries[f] == entry)
      return f;
  g_return_val_if_reached (0);
}

static void
on_entry_activate (GtkWidget       *entry,
                   MaphexInspector *self)
{
  maphex_inspector_write_row (self, entry_field (self, entry));
}

static void
on_entry_changed (GtkWidget       *entry,
                  MaphexInspector *self)
{
  if (self->refreshing)
    return;
  self->typed[entry_field (self, entry)] = TRUE;
  set_message (self, NULL);
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
add_row (MaphexInspector   *self,
         MaphexInspectField field)
{
  GtkWidget *name, *entry, *detail;
  GtkEventController *shortcuts;
  GtkShortcut *escape;

  /* Three grid rows a field: name and entry, then the detail under the
   * entry. The GUID's entry is too wide to stand beside its name: it
   * takes the whole second row. */
  gboolean wide = field == MAPHEX_INSPECT_GUID;
  int top = 3 * (int) field;

  name = gtk_label_new (maphex_inspect_field_name (field));
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_grid_attach (GTK_GRID (self->grid), name, 0, top, wide ? 2 : 1, 1);

  entry = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), wide ? 38 : 12);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_add_css_class (entry, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL,
                                  -1);
  if (wide)
    gtk_grid_attach (GTK_GRID (self->grid), entry, 0, top + 1, 2, 1);
  else
    gtk_grid_attach (GTK_GRID (self->grid), entry, 1, top, 1, 1);
  self->entries[field] = entry;

  detail = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (detail), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (detail), 30);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_margin_start (detail, 6);
  gtk_widget_set_visible (detail, FALSE);
  gtk_grid_attach (GTK_GRID (self->grid), detail, wide ? 0 : 1, top + 2, wide ? 2 : 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, detail, NULL,
                                  -1);
  self->details[field] = detail;

  /* Escape puts the value back (the entry itself does nothing with it). */
  shortcuts = gtk_shortcut_controller_new ();
  escape = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                             gtk_named_action_new ("inspector.revert"));
  gtk_shortcut_set_arguments (escape, g_variant_new_int32 (field));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), escape);
  gtk_widget_add_controller (entry, shortcuts);

  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), self);
  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), self);
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

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 2);
  gtk_widget_set_margin_start (self->grid, 6);
  gtk_widget_set_margin_end (self->grid, 6);
  gtk_widget_set_margin_bottom (self->grid, 6);
  for (int f = 0; f < N_FIELDS; f++)
    add_row (self, f);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->grid);
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
  refresh (self, FALSE);
}

static void
maphex_inspector_dispose (GObject *object)
{
  MaphexInspector *self = MAPHEX_INSPECTOR (object);
  GtkWidget *child;

  maphex_inspector_set_view (self, NULL);
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
    maphex_inspect_row_clear (&self->rows[f]);

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
