/* maphex-hex-view-input.c: what the user does to MaphexHexView.
 *
 * Owns the event controllers: keys (moving, typing hex digits or text),
 * the pointer (press, drag, autoscroll past an edge), the wheel, focus and
 * the context menu. Acts through the selection and layout functions and
 * the document; draws nothing and keeps no layout of its own (the hit test
 * is the layout's).
 */
#include "maphex-hex-view-private.h"

#include <glib/gi18n.h>

/* ---- editing ----------------------------------------------------------- */

/* A character beyond ASCII in the text column: its UTF-8 bytes overwrite
 * the bytes at `at`, as one undo step, and the cursor moves past them. */
static gboolean
type_utf8 (MaphexHexView *self, gint64 at, gunichar c, GError **error)
{
  char utf8[8] = { 0 };
  int n = g_unichar_to_utf8 (c, utf8);
  gboolean ok;

  if (at + n > self->length)
    {
      int left = (int) (self->length - at);
      /* Translators: the start of "“é” takes 2 bytes in UTF-8, but only 1
       * byte is left before the end of the file". */
      g_autofree char *takes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "“%s” takes %d byte in UTF-8",
                                                             "“%s” takes %d bytes in UTF-8", n),
                                                utf8, n);
      g_autofree char *left_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "only %d is left before the end of the file",
                                                                 "only %d are left before the end of the file",
                                                                 left),
                                                    left);

      /* Translators: the two halves above, joined. */
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("%s, but %s"), takes, left_text);
      return FALSE;
    }
  self->editing = TRUE;
  ok = maphex_document_replace (self->document, at, (const guint8 *) utf8, (gsize) n, error);
  self->editing = FALSE;
  if (!ok)
    return FALSE;
  _maphex_hex_view_move_cursor_internal (self, at + n, FALSE, TRUE);
  self->typing_run = FALSE;
  return TRUE;
}

/* The byte a character typed in the text column is in a single-byte encoding. */
static gboolean
text_byte (MaphexHexView *self, gunichar c, guint8 *byte, GError **error)
{
  guint8 out[6];
  char utf8[8] = { 0 };

  if (_maphex_hex_view_encoding_bytes (self->encoding, c, out) == 1)
    {
      *byte = out[0];
      return TRUE;
    }
  g_unichar_to_utf8 (c, utf8);
  /* Translators: "“€” cannot be written in Latin-1"; the second %s is an encoding's name. */
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
               _("“%s” cannot be written in %s"), utf8, _maphex_hex_view_encoding_name (self->encoding));
  return FALSE;
}

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
                           _("No document is open"));
      return FALSE;
    }
  if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX && !(c < 128 && g_ascii_isxdigit ((char) c)))
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (c, utf8);
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("“%s” is not a hex digit"), utf8);
      return FALSE;
    }
  if (self->column == MAPHEX_HEX_VIEW_COLUMN_TEXT && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)))
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Control characters cannot be typed in the text column"));
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
                             ? _("The cursor is past the end of the file: there is no byte to overwrite. "
                                 "Insert bytes first (Insert key)")
                             : _("The cursor is past the end of the file: there is no byte to overwrite"));
      return FALSE;
    }

  if (self->column == MAPHEX_HEX_VIEW_COLUMN_TEXT && c >= 0x80 &&
      (self->encoding == MAPHEX_CHARSET_ASCII || self->encoding == MAPHEX_CHARSET_UTF8))
    return type_utf8 (self, at, c, error);

  if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX)
    {
      guint8 old;
      guint v = (guint) g_ascii_xdigit_value ((char) c);

      if (!_maphex_hex_view_read_bytes (self, at, &old, 1, error))
        return FALSE;
      byte = nibble == 0 ? (guint8) ((v << 4) | (old & 0x0f)) : (guint8) ((old & 0xf0) | v);
    }
  else if (!text_byte (self, c, &byte, error))
    return FALSE;

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

/* ---- keyboard ---------------------------------------------------------- */

/* Left and Right in the hex column move by nibble: high, low, next byte's
 * high. With Shift, or with a selection, they move by bytes. Returns FALSE
 * when the move is a byte move for the caller to make. */
static gboolean
move_by_nibble (MaphexHexView *self, gboolean extend, int direction)
{
  if (extend || self->column != MAPHEX_HEX_VIEW_COLUMN_HEX ||
      self->anchor != self->cursor || self->length == 0)
    return FALSE;

  self->typing_run = FALSE;
  if (direction > 0 && self->nibble == 0 && self->cursor < self->length)
    self->nibble = 1;
  else if (direction < 0 && self->nibble == 1)
    self->nibble = 0;
  else if (direction > 0)
    {
      if (self->cursor + 1 < self->length)
        _maphex_hex_view_move_cursor_internal (self, self->cursor + 1, FALSE, TRUE);
      return TRUE;   /* the last nibble of the file stays where it is */
    }
  else
    {
      if (self->cursor > 0)
        {
          _maphex_hex_view_move_cursor_internal (self, self->cursor - 1, FALSE, TRUE);
          self->nibble = 1;
        }
      return TRUE;
    }
  _maphex_hex_view_scroll_row_into_view (self, self->cursor / BPR);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

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
      if (move_by_nibble (self, extend, -1))
        return TRUE;
      target = cur - 1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (move_by_nibble (self, extend, +1))
        return TRUE;
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
      if (ctrl || !self->show_text)
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
  byte = _maphex_hex_view_clamp64 (_maphex_hex_view_hit_test (self, x, y, &column, &nibble),
                                   0, MAX (0, self->length - 1));
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

void
_maphex_hex_view_stop_autoscroll (MaphexHexView *self)
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
  _maphex_hex_view_stop_autoscroll (self);
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

void
_maphex_hex_view_context_menu_action (GtkWidget *widget, const char *name, GVariant *param)
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
                        ? _maphex_hex_view_text_x (self)
                          + (double) (self->cursor % BPR) * _maphex_hex_view_cell_px (self)
                        : _maphex_hex_view_hex_x (self)
                          + _maphex_hex_view_hex_cell_of_byte (self, (guint) (self->cursor % BPR))
                            * _maphex_hex_view_cell_px (self),
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

/* ---- setup ------------------------------------------------------------- */

/* The key controller, the pointer gestures and the context menu, then the
 * focus and scroll controllers, in that order (from init). */
void
_maphex_hex_view_init_input (MaphexHexView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *drag;

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
}
