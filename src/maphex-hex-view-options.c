/* maphex-hex-view-options.c: what MaphexHexView shows, as properties the
 * window binds to the settings: bytes per row (or fit to width), grouping,
 * offsets in hex or decimal, the case of hex digits, the text column and its
 * encoding, the font.
 *
 * Each setter stores the value, notifies, and asks the layout for new
 * geometry (maphex-hex-view-layout.c) or the font for a new glyph table;
 * it draws nothing itself and moves neither the cursor nor the selection
 * (except out of a text column that goes away).
 */
#include "maphex-hex-view-private.h"

static void
notify (MaphexHexView *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[prop]);
}

guint
maphex_hex_view_get_bytes_per_row (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), MAPHEX_HEX_VIEW_BYTES_PER_ROW);
  return self->bytes_per_row;
}

void
maphex_hex_view_set_bytes_per_row (MaphexHexView *self, guint bytes_per_row)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (bytes_per_row <= MAPHEX_HEX_VIEW_MAX_BYTES_PER_ROW);

  if (self->bytes_per_row == bytes_per_row)
    return;
  self->bytes_per_row = bytes_per_row;
  _maphex_hex_view_relayout (self, -1);
  notify (self, PROP_BYTES_PER_ROW);
}

guint
maphex_hex_view_get_row_length (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), MAPHEX_HEX_VIEW_BYTES_PER_ROW);
  return self->row_length;
}

guint
maphex_hex_view_get_group_size (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), 1);
  return self->group_size;
}

void
maphex_hex_view_set_group_size (MaphexHexView *self, guint group_size)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (group_size >= 1 && group_size <= 8);

  if (self->group_size == group_size)
    return;
  self->group_size = group_size;
  _maphex_hex_view_relayout (self, -1);
  notify (self, PROP_GROUP_SIZE);
}

MaphexOffsetFormat
maphex_hex_view_get_offset_format (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), MAPHEX_OFFSET_FORMAT_HEX);
  return self->offset_format;
}

void
maphex_hex_view_set_offset_format (MaphexHexView *self, MaphexOffsetFormat format)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (format == MAPHEX_OFFSET_FORMAT_HEX || format == MAPHEX_OFFSET_FORMAT_DECIMAL);

  if (self->offset_format == format)
    return;
  self->offset_format = format;
  _maphex_hex_view_relayout (self, -1);   /* the offset column's width */
  notify (self, PROP_OFFSET_FORMAT);
}

gboolean
maphex_hex_view_get_uppercase (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), TRUE);
  return self->hex_digits == _maphex_hex_view_hex_upper;
}

void
maphex_hex_view_set_uppercase (MaphexHexView *self, gboolean uppercase)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  if (maphex_hex_view_get_uppercase (self) == !!uppercase)
    return;
  self->hex_digits = uppercase ? _maphex_hex_view_hex_upper : _maphex_hex_view_hex_lower;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  notify (self, PROP_UPPERCASE);
}

gboolean
maphex_hex_view_get_show_text (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), TRUE);
  return self->show_text;
}

void
maphex_hex_view_set_show_text (MaphexHexView *self, gboolean show_text)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  if (self->show_text == !!show_text)
    return;
  if (!show_text)
    maphex_hex_view_set_column (self, MAPHEX_HEX_VIEW_COLUMN_HEX);
  self->show_text = !!show_text;
  _maphex_hex_view_relayout (self, -1);
  notify (self, PROP_SHOW_TEXT);
}

MaphexCharset
maphex_hex_view_get_encoding (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), MAPHEX_CHARSET_ASCII);
  return self->encoding;
}

void
maphex_hex_view_set_encoding (MaphexHexView *self, MaphexCharset encoding)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));
  g_return_if_fail (encoding <= MAPHEX_CHARSET_EBCDIC);

  if (self->encoding == encoding)
    return;
  /* The glyph table follows at the next frame (_maphex_hex_view_ensure_font). */
  self->encoding = encoding;
  self->typing_run = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  notify (self, PROP_ENCODING);
}

const char *
maphex_hex_view_get_font (MaphexHexView *self)
{
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (self), NULL);
  return self->font_name;
}

void
maphex_hex_view_set_font (MaphexHexView *self, const char *font)
{
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (self));

  if (font != NULL && font[0] == '\0')
    font = NULL;
  if (g_strcmp0 (self->font_name, font) == 0)
    return;
  g_free (self->font_name);
  self->font_name = g_strdup (font);
  _maphex_hex_view_invalidate_font (self);
  _maphex_hex_view_relayout (self, -1);   /* cells and rows change size */
  notify (self, PROP_FONT);
}
