/* maphex-hex-view.c: the widget that displays and edits one document.
 *
 * Owns the GObject (lifetime, properties, signals), the document and its
 * export, undo/redo, class_init (every action and key binding of the view is
 * registered here) and the public API for the document, the column and the
 * top row.
 * Draws nothing, lays nothing out and handles no events: drawing is in
 * maphex-hex-view-draw.c; layout and scrolling in maphex-hex-view-layout.c;
 * the cursor, the selection and the clipboard in maphex-hex-view-selection.c;
 * keys, pointer, typing and the context menu in maphex-hex-view-input.c.
 */
#include "maphex-hex-view-private.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (MaphexHexView, maphex_hex_view, GTK_TYPE_WIDGET)

/* The nicks are the settings' values (data/io.github.maphex.Maphex.gschema.xml). */
G_DEFINE_ENUM_TYPE (MaphexOffsetFormat, maphex_offset_format,
  G_DEFINE_ENUM_VALUE (MAPHEX_OFFSET_FORMAT_HEX, "hex"),
  G_DEFINE_ENUM_VALUE (MAPHEX_OFFSET_FORMAT_DECIMAL, "decimal"))
G_DEFINE_ENUM_TYPE (MaphexCharset, maphex_charset,
  G_DEFINE_ENUM_VALUE (MAPHEX_CHARSET_ASCII, "ascii"),
  G_DEFINE_ENUM_VALUE (MAPHEX_CHARSET_LATIN1, "latin-1"),
  G_DEFINE_ENUM_VALUE (MAPHEX_CHARSET_UTF8, "utf-8"),
  G_DEFINE_ENUM_VALUE (MAPHEX_CHARSET_EBCDIC, "ebcdic"))

GParamSpec *_maphex_hex_view_properties[N_PROPS];
guint _maphex_hex_view_signals[N_SIGNALS];

/* ---- state changes ----------------------------------------------------- */

void
_maphex_hex_view_update_actions (MaphexHexView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_doc = self->document != NULL;
  gboolean can_edit = has_doc && maphex_document_get_can_edit (self->document);
  gboolean has_selection = self->anchor != self->cursor;

  gtk_widget_action_set_enabled (widget, "view.copy-hex", has_doc && has_selection);
  gtk_widget_action_set_enabled (widget, "view.copy-raw", has_doc && has_selection);
  /* Enabled in read-only mode too: Ctrl+V must say why it does nothing,
   * as typing does (_maphex_hex_view_paste_action refuses with the reason). */
  gtk_widget_action_set_enabled (widget, "view.paste", has_doc && self->length > 0);
  gtk_widget_action_set_enabled (widget, "view.select-all", has_doc && self->length > 0);
  gtk_widget_action_set_enabled (widget, "view.undo",
                                 can_edit && maphex_document_get_can_undo (self->document));
  gtk_widget_action_set_enabled (widget, "view.redo",
                                 can_edit && maphex_document_get_can_redo (self->document));
}

void
_maphex_hex_view_emit_edit_failed (MaphexHexView *self, const GError *error)
{
  g_signal_emit (self, _maphex_hex_view_signals[EDIT_FAILED], 0, error);
}

void
maphex_hex_view_report_edit_failed (MaphexHexView *self, const GError *error)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  _maphex_hex_view_emit_edit_failed (self, error);
}

/* ---- document ---------------------------------------------------------- */

static void
take_export (MaphexHexView *self)
{
  g_autoptr(GError) error = NULL;

  g_assert (self->export_ == NULL);
  if (self->document == NULL)
    return;
  self->export_ = maphex_document_export (self->document, &error);
  /* An empty file has no map to export yet; it is taken when the file grows. */
  if (self->export_ == NULL)
    g_debug ("Cannot display the document: %s", error->message);
}

static void
drop_export (MaphexHexView *self)
{
  if (self->export_ != NULL)
    maphex_document_unexport (self->document, g_steal_pointer (&self->export_));
}

static void
on_bytes_changed (MaphexHexView *self, gint64 offset, gint64 len, MaphexDocument *doc)
{
  gint64 first = self->top_row * BPR;
  gint64 last = (self->top_row + self->visible_rows + 1) * BPR;

  /* Someone else's edit (another view, the window's undo) ends our typing
   * run: our next keystroke must not merge into their undo step. */
  if (!self->editing)
    self->typing_run = FALSE;
  else if (self->first_change < 0 || offset < self->first_change)
    self->first_change = offset;

  if (offset < last && offset + len > first)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  if (offset <= self->cursor && self->cursor < offset + len)
    _maphex_hex_view_update_accessible (self);
}

static void
on_mode_changed (MaphexHexView *self, GParamSpec *pspec, MaphexDocument *doc)
{
  _maphex_hex_view_update_accessible (self);
}

static void
on_length_changed (MaphexHexView *self, GParamSpec *pspec, MaphexDocument *doc)
{
  gint64 old_cursor = self->cursor, old_anchor = self->anchor;
  guint digits;

  self->length = maphex_document_get_length (doc);
  if (self->export_ == NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    take_export (self);
  self->cursor = _maphex_hex_view_clamp64 (self->cursor, 0, self->length);
  self->anchor = _maphex_hex_view_clamp64 (self->anchor, 0, self->length);
  self->typing_run = FALSE;

  digits = _maphex_hex_view_digits_for_length (self->length, self->offset_format);
  if (digits != self->offset_digits)
    {
      self->offset_digits = digits;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  _maphex_hex_view_update_adjustment (self);
  _maphex_hex_view_set_top_row (self, self->top_row);
  if (old_cursor != self->cursor || old_anchor != self->anchor)
    _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
  else
    _maphex_hex_view_update_accessible (self);  /* the bytes under it moved */
  _maphex_hex_view_update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_history_changed (MaphexHexView *self, GParamSpec *pspec, MaphexDocument *doc)
{
  _maphex_hex_view_update_actions (self);
}

/* ---- reading ----------------------------------------------------------- */

gboolean
_maphex_hex_view_read_bytes (MaphexHexView *self, gint64 offset, guint8 *dst, gsize n, GError **error)
{
  if (self->export_ != NULL)
    return maphex_export_copy (self->export_, offset, dst, n, error);
  return maphex_document_read (self->document, offset, dst, n, error);
}

/* ---- actions ----------------------------------------------------------- */

/* Undo and redo go through the document's runner: the undo of an insert
 * or a delete moves the rest of the file, in the background. */
static void
undo_redo_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MaphexHexView) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &error);

  self->editing = FALSE;
  if (self->document != MAPHEX_DOCUMENT (source))
    return;
  if (!ok)
    _maphex_hex_view_emit_edit_failed (self, error);
  else if (self->first_change >= 0)
    maphex_hex_view_set_cursor (self, MIN (self->first_change, self->length), FALSE);   /* show what changed */
}

static void
undo_redo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  if (self->document == NULL)
    return;
  self->typing_run = FALSE;
  self->editing = TRUE;
  self->first_change = -1;
  if (g_str_equal (name, "view.undo"))
    maphex_document_undo_async (self->document, self->export_, NULL, undo_redo_done_cb,
                                g_object_ref (self));
  else
    maphex_document_redo_async (self->document, self->export_, NULL, undo_redo_done_cb,
                                g_object_ref (self));
}

/* ---- lifecycle --------------------------------------------------------- */

static void
maphex_hex_view_map (GtkWidget *widget)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  GTK_WIDGET_CLASS (maphex_hex_view_parent_class)->map (widget);
  take_export (self);
}

static void
maphex_hex_view_unmap (GtkWidget *widget)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  self->dragging = FALSE;
  _maphex_hex_view_stop_autoscroll (self);
  drop_export (self);
  GTK_WIDGET_CLASS (maphex_hex_view_parent_class)->unmap (widget);
}

static void
maphex_hex_view_dispose (GObject *object)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (object);

  drop_export (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->scrollbar, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);

  G_OBJECT_CLASS (maphex_hex_view_parent_class)->dispose (object);
}

static void
maphex_hex_view_finalize (GObject *object)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (object);

  _maphex_hex_view_invalidate_font (self);
  g_clear_pointer (&self->font_name, g_free);
  g_clear_pointer (&self->gs, pango_glyph_string_free);
  g_clear_pointer (&self->frame, g_free);
  g_clear_pointer (&self->frame_ok, g_free);

  G_OBJECT_CLASS (maphex_hex_view_parent_class)->finalize (object);
}

static void
maphex_hex_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (object);
  gint64 start, end;

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;
    case PROP_COLUMN:
      g_value_set_uint (value, self->column);
      break;
    case PROP_TOP_ROW:
      g_value_set_int64 (value, self->top_row);
      break;
    case PROP_SELECTION_START:
      maphex_hex_view_get_selection (self, &start, &end);
      g_value_set_int64 (value, start);
      break;
    case PROP_SELECTION_END:
      maphex_hex_view_get_selection (self, &start, &end);
      g_value_set_int64 (value, end);
      break;
    case PROP_BYTES_PER_ROW:
      g_value_set_uint (value, self->bytes_per_row);
      break;
    case PROP_GROUP_SIZE:
      g_value_set_uint (value, self->group_size);
      break;
    case PROP_OFFSET_FORMAT:
      g_value_set_enum (value, self->offset_format);
      break;
    case PROP_UPPERCASE:
      g_value_set_boolean (value, maphex_hex_view_get_uppercase (self));
      break;
    case PROP_SHOW_TEXT:
      g_value_set_boolean (value, self->show_text);
      break;
    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;
    case PROP_FONT:
      g_value_set_string (value, self->font_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_hex_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      maphex_hex_view_set_document (self, g_value_get_object (value));
      break;
    case PROP_CURSOR:
      maphex_hex_view_set_cursor (self, g_value_get_int64 (value), FALSE);
      break;
    case PROP_COLUMN:
      maphex_hex_view_set_column (self, g_value_get_uint (value));
      break;
    case PROP_TOP_ROW:
      _maphex_hex_view_set_top_row (self, g_value_get_int64 (value));
      break;
    case PROP_BYTES_PER_ROW:
      maphex_hex_view_set_bytes_per_row (self, g_value_get_uint (value));
      break;
    case PROP_GROUP_SIZE:
      maphex_hex_view_set_group_size (self, g_value_get_uint (value));
      break;
    case PROP_OFFSET_FORMAT:
      maphex_hex_view_set_offset_format (self, g_value_get_enum (value));
      break;
    case PROP_UPPERCASE:
      maphex_hex_view_set_uppercase (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_TEXT:
      maphex_hex_view_set_show_text (self, g_value_get_boolean (value));
      break;
    case PROP_ENCODING:
      maphex_hex_view_set_encoding (self, g_value_get_enum (value));
      break;
    case PROP_FONT:
      maphex_hex_view_set_font (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_hex_view_class_init (MaphexHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_hex_view_dispose;
  object_class->finalize = maphex_hex_view_finalize;
  object_class->get_property = maphex_hex_view_get_property;
  object_class->set_property = maphex_hex_view_set_property;

  widget_class->snapshot = _maphex_hex_view_snapshot;
  widget_class->measure = _maphex_hex_view_measure;
  widget_class->size_allocate = _maphex_hex_view_size_allocate;
  widget_class->map = maphex_hex_view_map;
  widget_class->unmap = maphex_hex_view_unmap;

  _maphex_hex_view_properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, MAPHEX_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_CURSOR] =
    g_param_spec_int64 ("cursor", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* MaphexHexViewColumn has no registered GType: 0 = hex, 1 = text. */
  _maphex_hex_view_properties[PROP_COLUMN] =
    g_param_spec_uint ("column", NULL, NULL, MAPHEX_HEX_VIEW_COLUMN_HEX, MAPHEX_HEX_VIEW_COLUMN_TEXT,
                       MAPHEX_HEX_VIEW_COLUMN_HEX,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_TOP_ROW] =
    g_param_spec_int64 ("top-row", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_SELECTION_START] =
    g_param_spec_int64 ("selection-start", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_SELECTION_END] =
    g_param_spec_int64 ("selection-end", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_BYTES_PER_ROW] =
    g_param_spec_uint ("bytes-per-row", NULL, NULL, 0, MAPHEX_HEX_VIEW_MAX_BYTES_PER_ROW,
                       MAPHEX_HEX_VIEW_BYTES_PER_ROW,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_GROUP_SIZE] =
    g_param_spec_uint ("group-size", NULL, NULL, 1, 8, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_OFFSET_FORMAT] =
    g_param_spec_enum ("offset-format", NULL, NULL, MAPHEX_TYPE_OFFSET_FORMAT, MAPHEX_OFFSET_FORMAT_HEX,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_UPPERCASE] =
    g_param_spec_boolean ("uppercase", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_SHOW_TEXT] =
    g_param_spec_boolean ("show-text", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL, MAPHEX_TYPE_CHARSET, MAPHEX_CHARSET_ASCII,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  _maphex_hex_view_properties[PROP_FONT] =
    g_param_spec_string ("font", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, _maphex_hex_view_properties);

  _maphex_hex_view_signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  _maphex_hex_view_signals[EDIT_FAILED] =
    g_signal_new ("edit-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "view.copy-hex", NULL, _maphex_hex_view_copy_hex_action);
  gtk_widget_class_install_action (widget_class, "view.copy-raw", NULL, _maphex_hex_view_copy_raw_action);
  gtk_widget_class_install_action (widget_class, "view.paste", NULL, _maphex_hex_view_paste_action);
  gtk_widget_class_install_action (widget_class, "view.select-all", NULL, _maphex_hex_view_select_all_action);
  gtk_widget_class_install_action (widget_class, "view.undo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "view.redo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "view.context-menu", NULL,
                                   _maphex_hex_view_context_menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "view.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "view.copy-raw", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "view.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "view.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "view.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "view.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "view.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "view.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "view.context-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
}

static void
maphex_hex_view_init (MaphexHexView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->bytes_per_row = MAPHEX_HEX_VIEW_BYTES_PER_ROW;
  self->group_size = 1;
  self->hex_digits = _maphex_hex_view_hex_upper;
  self->show_text = TRUE;
  self->encoding = MAPHEX_CHARSET_ASCII;
  _maphex_hex_view_relayout (self, 0);
  self->visible_rows = 1;
  self->first_change = -1;
  self->gs = pango_glyph_string_new ();

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (widget, "view");
  gtk_widget_set_cursor_from_name (widget, "text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hex view"),
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  _maphex_hex_view_update_accessible (self);

  _maphex_hex_view_init_scrollbar (self);
  _maphex_hex_view_init_input (self);
  _maphex_hex_view_init_marks (self);

  _maphex_hex_view_update_actions (self);
}

/* ---- public API -------------------------------------------------------- */

GtkWidget *
maphex_hex_view_new (MaphexDocument *document)
{
  g_return_val_if_fail (document == NULL || MAPHEX_IS_DOCUMENT (document), NULL);

  return g_object_new (MAPHEX_TYPE_HEX_VIEW, "document", document, NULL);
}

MaphexDocument *
maphex_hex_view_get_document (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), NULL);
  return self->document;
}

void
maphex_hex_view_set_document (MaphexHexView *self, MaphexDocument *document)
{
  g_autoptr(MaphexDocument) old = NULL;
  gint64 old_cursor, old_anchor;

  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (document == NULL || MAPHEX_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  drop_export (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  old = self->document != NULL ? g_object_ref (self->document) : NULL;
  g_set_object (&self->document, document);
  _maphex_hex_view_marks_document_changed (self, old);

  old_cursor = self->cursor;
  old_anchor = self->anchor;
  self->cursor = self->anchor = 0;
  self->nibble = 0;
  self->typing_run = FALSE;
  self->top_row = 0;
  self->length = document != NULL ? maphex_document_get_length (document) : 0;
  self->offset_digits = _maphex_hex_view_digits_for_length (self->length, self->offset_format);

  if (document != NULL)
    {
      g_signal_connect_object (document, "bytes-changed",
                               G_CALLBACK (on_bytes_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::length",
                               G_CALLBACK (on_length_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::mode",
                               G_CALLBACK (on_mode_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::can-undo",
                               G_CALLBACK (on_history_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::can-redo",
                               G_CALLBACK (on_history_changed), self, G_CONNECT_SWAPPED);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        take_export (self);
    }

  _maphex_hex_view_update_adjustment (self);
  g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_TOP_ROW]);
  _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

MaphexExport *
maphex_hex_view_get_export (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), NULL);
  return self->export_;
}

MaphexHexViewColumn
maphex_hex_view_get_column (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), MAPHEX_HEX_VIEW_COLUMN_HEX);
  return self->column;
}

void
maphex_hex_view_set_column (MaphexHexView *self, MaphexHexViewColumn column)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (column == MAPHEX_HEX_VIEW_COLUMN_HEX || column == MAPHEX_HEX_VIEW_COLUMN_TEXT);

  /* No text column on screen: the cursor stays in the hex one. */
  if (self->column == column || (column == MAPHEX_HEX_VIEW_COLUMN_TEXT && !self->show_text))
    return;
  self->column = column;
  self->nibble = 0;
  self->typing_run = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_COLUMN]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
maphex_hex_view_get_top_row (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), 0);
  return self->top_row;
}

void
maphex_hex_view_scroll_to_offset (MaphexHexView *self, gint64 offset)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  _maphex_hex_view_scroll_row_into_view (self, _maphex_hex_view_clamp64 (offset, 0, self->length) / BPR);
}
