/* maphex-hex-view.c: the widget that displays and edits one document.
 * Drawing is in maphex-hex-view-draw.c; layout and scrolling in
 * maphex-hex-view-layout.c; the cursor, the selection and the clipboard in
 * maphex-hex-view-selection.c.
 */
#include "maphex-hex-view-private.h"

G_DEFINE_FINAL_TYPE (MaphexHexView, maphex_hex_view, GTK_TYPE_WIDGET)

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

  digits = _maphex_hex_view_digits_for_length (self->length);
  if (digits != self->offset_digits)
    {
      self->offset_digits = digits;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  _maphex_hex_view_update_adjustment (self);
  _maphex_hex_view_set_top_row (self, self->top_row);
  if (old_cursor != self->cursor || old_anchor != self->anchor)
    _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
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

/* ---- editing ----------------------------------------------------------- */

gboolean
maphex_hex_view_type_char (MaphexHexView *self, gunichar c, GError **error)
{
  guint8 byte;
  gboolean merge, ok;
  gint64 at;
  guint nibble;

  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->document == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_CLOSED,
                           "No document is open");
      return FALSE;
    }
  if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX && !(c < 128 && g_ascii_isxdigit ((char) c)))
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (c, utf8);
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   "“%s” is not a hex digit", utf8);
      return FALSE;
    }
  if (self->column == MAPHEX_HEX_VIEW_COLUMN_TEXT && !(c >= 0x20 && c < 0x7f))
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           "Only printable ASCII characters can be typed in the text column");
      return FALSE;
    }
  /* Typing over a selection starts at its first byte. */
  at = MIN (self->anchor, self->cursor);
  nibble = self->anchor != self->cursor ? 0 : self->nibble;
  merge = self->typing_run && self->anchor == self->cursor;
  if (at >= self->length)
    {
      /* Typing only overwrites: say how the file gets longer, where it can. */
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                           maphex_document_get_can_resize (self->document)
                             ? "The cursor is past the end of the file: there is no byte to overwrite. "
                               "Insert bytes first (Insert key)"
                             : "The cursor is past the end of the file: there is no byte to overwrite");
      return FALSE;
    }

  if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX)
    {
      guint8 old;
      guint v = (guint) g_ascii_xdigit_value ((char) c);

      if (!_maphex_hex_view_read_bytes (self, at, &old, 1, error))
        return FALSE;
      byte = nibble == 0 ? (guint8) ((v << 4) | (old & 0x0f)) : (guint8) ((old & 0xf0) | v);
    }
  else
    byte = (guint8) c;

  /* The document refuses (read-only, ...) before anything changes; so does the view. */
  self->editing = TRUE;
  ok = maphex_document_set_byte (self->document, at, byte, merge, error);
  self->editing = FALSE;
  if (!ok)
    return FALSE;

  if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX && nibble == 0)
    {
      gint64 old_cursor = self->cursor, old_anchor = self->anchor;

      self->cursor = self->anchor = at;
      self->nibble = 1;
      if (old_cursor != self->cursor || old_anchor != self->anchor)
        _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    _maphex_hex_view_move_cursor_internal (self, at + 1, FALSE, TRUE);
  self->typing_run = TRUE;
  return TRUE;
}

/* ---- actions ----------------------------------------------------------- */

static void
undo_redo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->document == NULL)
    return;
  self->typing_run = FALSE;
  self->editing = TRUE;
  self->first_change = -1;
  if (g_str_equal (name, "view.undo"))
    ok = maphex_document_undo (self->document, self->export_, &error);
  else
    ok = maphex_document_redo (self->document, self->export_, &error);
  self->editing = FALSE;
  if (!ok)
    _maphex_hex_view_emit_edit_failed (self, error);
  else if (self->first_change >= 0)
    maphex_hex_view_set_cursor (self, self->first_change, FALSE);   /* show what changed */
}

/* ---- keyboard ---------------------------------------------------------- */

gboolean
_maphex_hex_view_handle_key (MaphexHexView *self, guint keyval, GdkModifierType state)
{
  gboolean extend = (state & GDK_SHIFT_MASK) != 0;
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  gint64 limit = extend ? self->length : MAX (0, self->length - 1);
  gint64 cur = self->cursor;
  gint64 row_start = cur / BPR * BPR;
  gint64 page = MAX (1, self->visible_rows - 1);
  gint64 target;

  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), FALSE);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      target = cur - 1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      target = cur + 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      target = cur >= BPR ? cur - BPR : cur;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      target = cur + BPR <= limit ? cur + BPR : cur;
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      target = MAX (cur % BPR, cur - page * BPR);
      _maphex_hex_view_set_top_row (self, self->top_row - page);
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      target = cur + page * BPR;
      if (target > limit)
        target = cur + (limit - cur) / BPR * BPR;
      _maphex_hex_view_set_top_row (self, self->top_row + page);
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      target = ctrl ? 0 : row_start;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      if (ctrl)
        target = limit;
      else
        target = MIN (row_start + (extend ? BPR : BPR - 1), limit);
      break;
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_KP_Tab:
      if (ctrl)
        return FALSE;
      maphex_hex_view_set_column (self, self->column == MAPHEX_HEX_VIEW_COLUMN_HEX
                                        ? MAPHEX_HEX_VIEW_COLUMN_TEXT
                                        : MAPHEX_HEX_VIEW_COLUMN_HEX);
      return TRUE;
    default:
      {
        gunichar c;
        g_autoptr(GError) error = NULL;

        if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
          return FALSE;
        c = gdk_keyval_to_unicode (keyval);
        if (c < 0x20 || c == 0x7f)
          return FALSE;
        if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX && !(c < 128 && g_ascii_isxdigit ((char) c)))
          {
            gtk_widget_error_bell (GTK_WIDGET (self));
            return TRUE;
          }
        if (!maphex_hex_view_type_char (self, c, &error))
          _maphex_hex_view_emit_edit_failed (self, error);
        return TRUE;
      }
    }

  self->typing_run = FALSE;
  _maphex_hex_view_move_cursor_internal (self, _maphex_hex_view_clamp64 (target, 0, limit), extend, TRUE);
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, MaphexHexView *self)
{
  return _maphex_hex_view_handle_key (self, keyval, state);
}

/* ---- pointer ----------------------------------------------------------- */

void
_maphex_hex_view_press (MaphexHexView *self, double x, double y, gboolean extend)
{
  MaphexHexViewColumn column;
  guint nibble;
  gint64 byte;

  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->document == NULL)
    return;
  byte = _maphex_hex_view_hit_test (self, x, y, &column, &nibble);
  maphex_hex_view_set_column (self, column);
  self->typing_run = FALSE;
  if (extend)
    {
      gint64 old_cursor = self->cursor, old_anchor = self->anchor;
      gint64 start = MIN (self->anchor, self->cursor);

      /* Shift+click: from the selection's start to the clicked byte, included. */
      if (self->anchor == self->cursor)
        start = self->cursor;
      if (byte >= start)
        {
          self->anchor = start;
          self->cursor = MIN (byte + 1, self->length);
        }
      else
        {
          self->anchor = MAX (self->anchor, self->cursor);
          self->cursor = _maphex_hex_view_clamp64 (byte, 0, self->length);
        }
      self->nibble = 0;
      self->drag_byte = self->anchor;
      if (old_cursor != self->cursor || old_anchor != self->anchor)
        _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
    }
  else
    {
      byte = _maphex_hex_view_clamp64 (byte, 0, MAX (0, self->length - 1));
      _maphex_hex_view_move_cursor_internal (self, byte, FALSE, FALSE);
      if (column == MAPHEX_HEX_VIEW_COLUMN_HEX)
        self->nibble = nibble;
      self->drag_byte = byte;
    }
  self->dragging = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Extends the selection from the byte under the press to the byte at (x, y),
 * (x, y) clamped into the view. */
static void
drag_select (MaphexHexView *self, double x, double y)
{
  MaphexHexViewColumn column;
  guint nibble;
  gint64 byte, old_cursor, old_anchor;
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  y = CLAMP (y, 0, MAX (0, height - 1));
  byte = _maphex_hex_view_clamp64 (_maphex_hex_view_hit_test (self, x, y, &column, &nibble), 0, MAX (0, self->length - 1));
  old_cursor = self->cursor;
  old_anchor = self->anchor;
  if (byte == self->drag_byte && self->anchor == self->cursor)
    return;
  if (byte >= self->drag_byte)
    {
      self->anchor = self->drag_byte;
      self->cursor = MIN (byte + 1, self->length);
    }
  else
    {
      self->anchor = MIN (self->drag_byte + 1, self->length);
      self->cursor = byte;
    }
  self->nibble = 0;
  if (old_cursor != self->cursor || old_anchor != self->anchor)
    _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
}

/* How far (in rows) the pointer is above (< 0) or below (> 0) the view. */
static double
drag_overshoot (MaphexHexView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double row_h = MAX (1, self->row_height);

  if (self->drag_y < 0)
    return self->drag_y / row_h;
  if (self->drag_y >= height)
    return (self->drag_y - height + 1) / row_h;
  return 0;
}

/* While a drag holds the pointer above or below the view, scroll every frame,
 * faster the farther it is, and keep extending the selection. */
static gboolean
autoscroll_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double over = drag_overshoot (self);
  double dt;
  gint64 rows;

  if (!self->dragging || over == 0)
    {
      self->autoscroll_id = 0;
      return G_SOURCE_REMOVE;
    }
  dt = self->autoscroll_time != 0 ? (double) (now - self->autoscroll_time) / G_USEC_PER_SEC : 0;
  self->autoscroll_time = now;
  /* 10 rows a second, and 10 more for every row of distance. */
  self->autoscroll_accum += dt * 10.0 * (1.0 + ABS (over)) * (over < 0 ? -1 : 1);
  rows = (gint64) self->autoscroll_accum;
  if (rows != 0)
    {
      self->autoscroll_accum -= (double) rows;
      _maphex_hex_view_set_top_row (self, self->top_row + rows);
    }
  drag_select (self, self->drag_x, self->drag_y);
  return G_SOURCE_CONTINUE;
}

static void
stop_autoscroll (MaphexHexView *self)
{
  if (self->autoscroll_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->autoscroll_id);
  self->autoscroll_id = 0;
}

void
_maphex_hex_view_drag_to (MaphexHexView *self, double x, double y)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  if (!self->dragging || self->document == NULL)
    return;

  self->drag_x = x;
  self->drag_y = y;
  drag_select (self, x, y);
  if (drag_overshoot (self) != 0 && self->autoscroll_id == 0)
    {
      self->autoscroll_time = 0;
      self->autoscroll_accum = 0;
      self->autoscroll_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), autoscroll_tick, NULL, NULL);
    }
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, MaphexHexView *self)
{
  GdkModifierType state;

  if (x >= _maphex_hex_view_content_width (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  _maphex_hex_view_press (self, x, y, (state & GDK_SHIFT_MASK) != 0);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, MaphexHexView *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    _maphex_hex_view_drag_to (self, x + dx, y + dy);
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, MaphexHexView *self)
{
  self->dragging = FALSE;
  stop_autoscroll (self);
}

/* ---- context menu ------------------------------------------------------ */

/* The view's own actions, where a mouse user looks for them: without it Copy
 * (as hex or raw), Paste and Undo were only keyboard shortcuts. */
static GMenuModel *
new_context_menu_model (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) history = g_menu_new ();
  g_autoptr(GMenu) clipboard = g_menu_new ();
  g_autoptr(GMenu) selection = g_menu_new ();

  g_menu_append (history, "_Undo", "view.undo");
  g_menu_append (history, "_Redo", "view.redo");
  g_menu_append (clipboard, "_Copy as Hex", "view.copy-hex");
  g_menu_append (clipboard, "Copy _Raw Bytes", "view.copy-raw");
  g_menu_append (clipboard, "_Paste", "view.paste");
  g_menu_append (selection, "Select _All", "view.select-all");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (history));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (clipboard));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (selection));
  return G_MENU_MODEL (menu);
}

static void
popup_context_menu (MaphexHexView *self, double x, double y)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_context_click (GtkGestureClick *gesture, int n_press, double x, double y, MaphexHexView *self)
{
  gint64 start, end, byte;
  MaphexHexViewColumn column;
  guint nibble;

  if (x >= _maphex_hex_view_content_width (self) || self->document == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* A click outside the selection moves the cursor there first, as in a
   * text editor; inside it, the selection stays for Copy. */
  maphex_hex_view_get_selection (self, &start, &end);
  byte = _maphex_hex_view_hit_test (self, x, y, &column, &nibble);
  if (!(end > start && byte >= start && byte < end))
    {
      _maphex_hex_view_press (self, x, y, FALSE);
      self->dragging = FALSE;
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self));
  popup_context_menu (self, x, y);
}

static void
context_menu_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  gint64 row = self->cursor / BPR;
  double y;

  if (self->document == NULL)
    return;
  /* From the keyboard: at the cursor, or the view's corner when it is off screen. */
  if (row < self->top_row || row >= self->top_row + MAX (1, self->visible_rows))
    y = 0;
  else
    y = (double) (row - self->top_row) * self->row_height + self->row_height;
  popup_context_menu (self,
                      self->column == MAPHEX_HEX_VIEW_COLUMN_TEXT
                        ? _maphex_hex_view_text_x (self) + (double) (self->cursor % BPR) * _maphex_hex_view_cell_px (self)
                        : _maphex_hex_view_hex_x (self) + _maphex_hex_view_hex_cell_of_byte ((guint) (self->cursor % BPR)) * _maphex_hex_view_cell_px (self),
                      y);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, MaphexHexView *self)
{
  gint64 rows;

  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    self->scroll_accum += dy / MAX (1, self->row_height);
  else
    self->scroll_accum += dy * 3;
  rows = (gint64) self->scroll_accum;
  if (rows != 0)
    {
      self->scroll_accum -= (double) rows;
      _maphex_hex_view_set_top_row (self, self->top_row + rows);
    }
  return TRUE;
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
  stop_autoscroll (self);
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
  gtk_widget_class_install_action (widget_class, "view.context-menu", NULL, context_menu_action);

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
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
maphex_hex_view_init (MaphexHexView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *drag;

  self->offset_digits = _maphex_hex_view_digits_for_length (0);
  self->visible_rows = 1;
  self->first_change = -1;
  self->gs = pango_glyph_string_new ();

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (widget, "view");
  gtk_widget_set_cursor_from_name (widget, "text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Hex view", -1);

  _maphex_hex_view_init_scrollbar (self);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (widget, controller);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self, 0);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self, 0);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (on_drag_end), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  {
    g_autoptr(GMenuModel) model = new_context_menu_model ();
    GtkGesture *click = gtk_gesture_click_new ();

    self->context_menu = gtk_popover_menu_new_from_model (model);
    gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
    gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    gtk_widget_set_parent (self->context_menu, widget);
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect_object (click, "pressed", G_CALLBACK (on_context_click), self, 0);
    gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  }

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll), self, 0);
  gtk_widget_add_controller (widget, controller);

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
  gint64 old_cursor, old_anchor;

  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (document == NULL || MAPHEX_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  drop_export (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);

  old_cursor = self->cursor;
  old_anchor = self->anchor;
  self->cursor = self->anchor = 0;
  self->nibble = 0;
  self->typing_run = FALSE;
  self->top_row = 0;
  self->length = document != NULL ? maphex_document_get_length (document) : 0;
  self->offset_digits = _maphex_hex_view_digits_for_length (self->length);

  if (document != NULL)
    {
      g_signal_connect_object (document, "bytes-changed",
                               G_CALLBACK (on_bytes_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::length",
                               G_CALLBACK (on_length_changed), self, G_CONNECT_SWAPPED);
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

  if (self->column == column)
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
