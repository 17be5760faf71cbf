/* maphex-hex-view-selection.c: MaphexHexView's cursor and selection.
 *
 * The cursor sits on a byte (and, in the hex column, a nibble); the selection
 * runs from the anchor to the cursor, [min, max), like a text editor's: after
 * Shift+Right from byte 4 the selection is [4, 5) and the cursor is on byte 5.
 *
 * Owns moving the cursor and the selection (and telling: notify, the
 * selection-changed signal, what assistive technologies are told about the
 * cursor), and the clipboard: copy as hex or raw bytes, paste over the
 * selection or at the cursor, select all. Scrolls only
 * through the layout's functions; draws nothing; handles no input events.
 */
#include "maphex-clipboard.h"
#include "maphex-hex-view-private.h"

#include <glib/gi18n.h>

#include <string.h>

/* ---- accessibility ----------------------------------------------------- */

/* Tells assistive technologies where the cursor is and what it is on:
 * the description is "Offset 0x1F (31), byte 0x4D (77)", with the selection
 * and "end of file" or an unreadable byte said as such; read-only follows
 * the document's mode. Reads one byte, fault-safe, per call. */
void
_maphex_hex_view_update_accessible (MaphexHexView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 start, end;
  guint8 byte;
  gboolean read_only = self->document == NULL
                       || maphex_document_get_mode (self->document) == MAPHEX_MODE_READ_ONLY;

  if (self->document == NULL)
    g_string_append (text, _("No document"));
  else
    {
      g_autofree char *hex = g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", self->cursor);
      g_autofree char *dec = g_strdup_printf ("%" G_GINT64_FORMAT, self->cursor);

      /* TRANSLATORS: the cursor's offset, in hex (0x1F) then decimal (31). */
      g_string_append_printf (text, _("Offset %s (%s)"), hex, dec);
      g_string_append (text, ", ");
      if (self->cursor >= self->length)
        g_string_append (text, _("end of file"));
      else if (maphex_document_read (self->document, self->cursor, &byte, 1, NULL))
        g_string_append_printf (text, _("byte 0x%02X (%u)"), byte, byte);
      else
        g_string_append (text, _("byte unreadable: the file no longer covers it"));
      maphex_hex_view_get_selection (self, &start, &end);
      if (end > start)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, end - start);

          g_string_append (text, ", ");
          g_string_append_printf (text,
                                  g_dngettext (GETTEXT_PACKAGE, "%s byte selected", "%s bytes selected",
                                               (gulong) (end - start)),
                                  count);
        }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  GTK_ACCESSIBLE_PROPERTY_READ_ONLY, read_only,
                                  -1);
}

/* ---- moving ------------------------------------------------------------ */

void
_maphex_hex_view_selection_moved (MaphexHexView *self, gint64 old_cursor, gint64 old_anchor)
{
  gint64 old_start = MIN (old_cursor, old_anchor), old_end = MAX (old_cursor, old_anchor);
  gint64 start, end;

  maphex_hex_view_get_selection (self, &start, &end);
  if (old_cursor != self->cursor)
    g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_CURSOR]);
  if (old_start != start)
    g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_SELECTION_START]);
  if (old_end != end)
    g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_SELECTION_END]);
  g_signal_emit (self, _maphex_hex_view_signals[SELECTION_CHANGED], 0);
  _maphex_hex_view_update_actions (self);
  _maphex_hex_view_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Moves the cursor without ending a typing run (typing advances with this). */
void
_maphex_hex_view_move_cursor_internal (MaphexHexView *self, gint64 offset, gboolean extend, gboolean scroll)
{
  gint64 old_cursor = self->cursor, old_anchor = self->anchor;

  offset = _maphex_hex_view_clamp64 (offset, 0, self->length);
  self->cursor = offset;
  if (!extend)
    self->anchor = offset;
  self->nibble = 0;
  if (scroll)
    _maphex_hex_view_scroll_row_into_view (self, offset / BPR);
  if (old_cursor != self->cursor || old_anchor != self->anchor)
    _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- copying ----------------------------------------------------------- */

static GBytes *
dup_selection (MaphexHexView *self, GError **error)
{
  gint64 start, end;
  g_autofree guint8 *buf = NULL;

  maphex_hex_view_get_selection (self, &start, &end);
  if (self->document == NULL || start == end)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Nothing is selected"));
      return NULL;
    }
  if (end - start > MAPHEX_HEX_VIEW_MAX_COPY)
    {
      g_autofree char *size = g_format_size ((guint64) (end - start));
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("The selection (%s) is too large to copy: at most %d MiB can be copied"),
                   size, MAPHEX_HEX_VIEW_MAX_COPY / (1024 * 1024));
      return NULL;
    }
  buf = g_malloc ((gsize) (end - start));
  if (!_maphex_hex_view_read_bytes (self, start, buf, (gsize) (end - start), error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buf), (gsize) (end - start));
}

char *
_maphex_hex_view_dup_selection_hex (MaphexHexView *self, GError **error)
{
  g_autoptr(GBytes) bytes = dup_selection (self, error);
  const guint8 *data;
  gsize len;
  char *text, *p;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  text = p = g_malloc (len * 3);
  for (gsize i = 0; i < len; i++)
    {
      *p++ = _maphex_hex_view_hex_upper[data[i] >> 4];
      *p++ = _maphex_hex_view_hex_upper[data[i] & 0xf];
      *p++ = ' ';
    }
  p[-1] = '\0';
  return text;
}

/* ---- pasting ----------------------------------------------------------- */

/* A count as digits, in a static buffer: main thread only, and each result
 * is used before the next call. */
static const char *
count_text (gint64 n)
{
  static char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, n);
  return buf;
}

static char *
clipboard_holds (gsize len)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The clipboard holds %s byte",
                                       "The clipboard holds %s bytes", (gulong) len),
                          count_text ((gint64) len));
}

gboolean
_maphex_hex_view_paste_bytes (MaphexHexView *self, const guint8 *data, gsize len, GError **error)
{
  gint64 start, end;
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), FALSE);

  if (self->document == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_CLOSED,
                           _("No document is open"));
      return FALSE;
    }
  if (len == 0)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("The clipboard is empty"));
      return FALSE;
    }
  maphex_hex_view_get_selection (self, &start, &end);
  if (start != end && (guint64) (end - start) != len)
    {
      g_autofree char *holds = clipboard_holds (len);
      g_autofree char *selected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s is selected",
                                                                "%s are selected", (gulong) (end - start)),
                                                   count_text (end - start));

      /* Translators: "The clipboard holds 3 bytes but 2 are selected: …". */
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("%s but %s: pasting over a selection needs the same length"), holds, selected);
      return FALSE;
    }
  if (start == end && (guint64) (self->length - self->cursor) < len)
    {
      gint64 left = self->length - self->cursor;
      g_autofree char *holds = clipboard_holds (len);
      g_autofree char *remain = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "only %s remains after the cursor",
                                                              "only %s remain after the cursor", (gulong) left),
                                                 count_text (left));

      /* Translators: "The clipboard holds 3 bytes but only 2 remain after the cursor". */
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("%s but %s"), holds, remain);
      return FALSE;
    }
  if (start == end)
    start = self->cursor;
  self->editing = TRUE;
  ok = maphex_document_replace (self->document, start, data, len, error);
  self->editing = FALSE;
  if (!ok)
    return FALSE;
  self->typing_run = FALSE;
  return TRUE;
}

gboolean
_maphex_hex_view_paste_text (MaphexHexView *self, const char *text, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  bytes = maphex_clipboard_bytes_from_text (text);
  data = g_bytes_get_data (bytes, &len);
  return _maphex_hex_view_paste_bytes (self, data, len, error);
}

/* ---- actions ----------------------------------------------------------- */

void
_maphex_hex_view_copy_hex_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = _maphex_hex_view_dup_selection_hex (self, &error);

  if (text == NULL)
    {
      _maphex_hex_view_emit_edit_failed (self, error);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

void
_maphex_hex_view_copy_raw_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dup_selection (self, &error);
  g_autoptr(GdkContentProvider) provider = NULL;
  GdkContentProvider *providers[3];
  guint n = 0;
  gsize len;
  const char *data;

  if (bytes == NULL)
    {
      _maphex_hex_view_emit_edit_failed (self, error);
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  providers[n++] = gdk_content_provider_new_for_bytes ("application/octet-stream", bytes);
  if (g_utf8_validate (data, (gssize) len, NULL) && memchr (data, 0, len) == NULL)
    {
      g_autofree char *text = g_strndup (data, len);
      providers[n++] = gdk_content_provider_new_typed (G_TYPE_STRING, text);
    }
  providers[n++] = gdk_content_provider_new_for_bytes ("text/plain", bytes);
  provider = gdk_content_provider_new_union (providers, n);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), provider);
}

static void
paste_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MaphexHexView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = maphex_clipboard_read_bytes_finish (GDK_CLIPBOARD (source), result, &error);

  if (bytes != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      if (_maphex_hex_view_paste_bytes (self, data, len, &error))
        return;
    }
  _maphex_hex_view_emit_edit_failed (self, error);
}

void
_maphex_hex_view_paste_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  if (self->document == NULL)
    return;
  if (!maphex_document_get_can_edit (self->document))
    {
      g_autoptr(GError) error = g_error_new_literal (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY,
                                                     _("The file is open read-only"));
      _maphex_hex_view_emit_edit_failed (self, error);
      return;
    }

  maphex_clipboard_read_bytes_async (gtk_widget_get_clipboard (widget), NULL,
                                     paste_ready, g_object_ref (widget));
}

void
_maphex_hex_view_select_all_action (GtkWidget *widget, const char *name, GVariant *param)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  maphex_hex_view_select_range (self, 0, self->length);
}

/* ---- public API -------------------------------------------------------- */

gint64
maphex_hex_view_get_cursor (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), 0);
  return self->cursor;
}

void
maphex_hex_view_set_cursor (MaphexHexView *self, gint64 offset, gboolean extend)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  self->typing_run = FALSE;
  _maphex_hex_view_move_cursor_internal (self, offset, extend, TRUE);
}

void
maphex_hex_view_get_selection (MaphexHexView *self, gint64 *start, gint64 *end)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  if (start != NULL)
    *start = MIN (self->anchor, self->cursor);
  if (end != NULL)
    *end = MAX (self->anchor, self->cursor);
}

static void
select_range_internal (MaphexHexView *self, gint64 start, gint64 end, gboolean centre)
{
  gint64 old_cursor = self->cursor, old_anchor = self->anchor;

  start = _maphex_hex_view_clamp64 (start, 0, self->length);
  end = _maphex_hex_view_clamp64 (end, start, self->length);
  self->anchor = end;
  self->cursor = start;
  self->nibble = 0;
  self->typing_run = FALSE;
  if (centre)
    _maphex_hex_view_centre_rows_in_view (self, start / BPR, end > start ? (end - 1) / BPR : start / BPR);
  else
    _maphex_hex_view_scroll_row_into_view (self, start / BPR);
  if (old_cursor != self->cursor || old_anchor != self->anchor)
    _maphex_hex_view_selection_moved (self, old_cursor, old_anchor);
}

void
maphex_hex_view_select_range (MaphexHexView *self, gint64 start, gint64 end)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  select_range_internal (self, start, end, FALSE);
}

void
maphex_hex_view_jump_to (MaphexHexView *self, gint64 start, gint64 end)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  select_range_internal (self, start, end, TRUE);
}

void
maphex_hex_view_go_to (MaphexHexView *self, gint64 offset)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  if (offset >= self->length && self->length > 0)
    offset = self->length - 1;
  select_range_internal (self, offset, offset, TRUE);
}

/* ---- internals for tests ----------------------------------------------- */

guint
_maphex_hex_view_get_nibble (MaphexHexView *self)
{
  return self->nibble;
}
