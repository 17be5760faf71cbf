/* maphex-hex-view-layout.c: where things are in MaphexHexView.
 *
 * Owns the layout metrics (font, glyph table, cell size, row height, offset
 * digits), the scrollbar and its adjustment, the top row and scrolling,
 * measure/size_allocate, and the mapping between offsets and points.
 * Scrolling is in rows: the scrollbar's adjustment counts rows, so 2^36 rows
 * of a 1 TiB file are exact in its double.
 *
 * Moves no cursor and no selection, draws nothing, handles no input events.
 */
#include "maphex-hex-view-private.h"

#define PLACEHOLDER "\xc2\xb7"   /* U+00B7 MIDDLE DOT */

/* ---- geometry ---------------------------------------------------------- */

double
_maphex_hex_view_cell_px (MaphexHexView *self)
{
  return (double) self->cell / PANGO_SCALE;
}

double
_maphex_hex_view_hex_x (MaphexHexView *self)
{
  return PAD_X + (self->offset_digits + 2) * _maphex_hex_view_cell_px (self);
}

/* Two digits a byte; a space after each group and, for groups under 8
 * bytes, one more after every 8 bytes (with single bytes: 8 + 8 as ever). */
static guint
cell_of_byte (guint group_size, guint i)
{
  return 2 * i + i / group_size + (group_size < 8 ? i / 8 : 0);
}

guint
_maphex_hex_view_hex_cell_of_byte (MaphexHexView *self, guint i)
{
  g_assert (i <= BPR);
  return self->hex_cell[i];
}

double
_maphex_hex_view_text_x (MaphexHexView *self)
{
  return _maphex_hex_view_hex_x (self) + self->hex_cell[BPR] * _maphex_hex_view_cell_px (self);
}

/* The width of a row of `n` bytes, in pixels. */
static int
row_width_for (MaphexHexView *self, guint n)
{
  double cw = _maphex_hex_view_cell_px (self);
  double w = _maphex_hex_view_hex_x (self) + (cell_of_byte (self->group_size, n - 1) + 2) * cw;

  if (self->show_text)
    w += (GAP_CELLS + n) * cw;
  return (int) (w + PAD_X + 0.999);
}

static int
row_width (MaphexHexView *self)
{
  return row_width_for (self, BPR);
}

/* Fit to width: as many whole groups as `width` holds, one group at least. */
static guint
fitting_row_length (MaphexHexView *self, int width)
{
  guint g = self->group_size, n = g;

  if (width <= 0)
    return MAPHEX_HEX_VIEW_BYTES_PER_ROW / g * g;
  while (n + g <= MAX_BPR && row_width_for (self, n + g) <= width)
    n += g;
  return n;
}

void
_maphex_hex_view_relayout (MaphexHexView *self, int width)
{
  guint old = self->row_length;
  guint n;

  if (width < 0)
    width = _maphex_hex_view_content_width (self);
  if (self->bytes_per_row != 0)
    n = self->bytes_per_row;
  else
    {
      if (width > 0)
        _maphex_hex_view_ensure_font (self);
      n = fitting_row_length (self, width);
    }
  self->row_length = n;
  for (guint i = 0; i < n; i++)
    self->hex_cell[i] = cell_of_byte (self->group_size, i);
  self->hex_cell[n] = self->hex_cell[n - 1] + 2 + GAP_CELLS;
  self->offset_digits = _maphex_hex_view_digits_for_length (self->length, self->offset_format);

  if (old != n && old != 0)
    {
      /* The first byte on screen stays on screen. */
      gint64 first = self->top_row * (gint64) old;

      _maphex_hex_view_update_adjustment (self);
      _maphex_hex_view_set_top_row (self, first / n);
    }
  if (!self->allocating)
    gtk_widget_queue_resize (GTK_WIDGET (self));
}

gint64
_maphex_hex_view_n_rows (MaphexHexView *self)
{
  /* One row past the last full one, so the cursor at `length` has a row. */
  return self->length / BPR + 1;
}

int
_maphex_hex_view_content_width (MaphexHexView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int sb = gtk_widget_get_width (self->scrollbar);
  return MAX (0, w - sb);
}

guint
_maphex_hex_view_digits_for_length (gint64 length, MaphexOffsetFormat format)
{
  guint64 last = length > 0 ? (guint64) length - 1 : 0;
  guint base = format == MAPHEX_OFFSET_FORMAT_DECIMAL ? 10 : 16;
  guint digits = 1;

  while (last /= base)
    digits++;
  return MAX (8, digits);
}

/* floor() without libm. */
static double
floor_d (double v)
{
  double t = (double) (gint64) v;
  return t > v ? t - 1 : t;
}

gint64
_maphex_hex_view_clamp64 (gint64 v, gint64 lo, gint64 hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

/* ---- font -------------------------------------------------------------- */

static gboolean
shape_one (PangoLayout *layout, const char *text, PangoFont **font, PangoGlyph *glyph, int *width)
{
  PangoLayoutLine *line;
  PangoGlyphItem *run;

  pango_layout_set_text (layout, text, -1);
  line = pango_layout_get_line_readonly (layout, 0);
  if (line == NULL || line->runs == NULL)
    return FALSE;
  run = line->runs->data;
  if (run->glyphs->num_glyphs < 1 ||
      (run->glyphs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
    return FALSE;
  *font = run->item->analysis.font;
  *glyph = run->glyphs->glyphs[0].glyph;
  *width = run->glyphs->glyphs[0].geometry.width;
  return TRUE;
}

void
_maphex_hex_view_invalidate_font (MaphexHexView *self)
{
  g_clear_object (&self->font);
  g_clear_object (&self->shape_layout);
  g_clear_pointer (&self->font_desc, pango_font_description_free);
  g_clear_pointer (&self->utf8_glyphs, g_hash_table_unref);
}

/* Most characters a UTF-8 view keeps shaped; past it the table starts again. */
#define MAX_SHAPED_CHARS 4096

void
_maphex_hex_view_char_glyph (MaphexHexView *self, gunichar c, PangoGlyph *glyph, int *width)
{
  char s[8] = { 0 };
  PangoFont *font;
  gpointer packed;

  if (c < 128)
    {
      *glyph = self->glyphs[c];
      *width = self->glyph_width[c];
      return;
    }
  *glyph = self->placeholder;
  *width = self->placeholder_width;
  if (self->shape_layout == NULL)
    return;
  if (self->utf8_glyphs == NULL || g_hash_table_size (self->utf8_glyphs) >= MAX_SHAPED_CHARS)
    {
      g_clear_pointer (&self->utf8_glyphs, g_hash_table_unref);
      self->utf8_glyphs = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
    }
  packed = g_hash_table_lookup (self->utf8_glyphs, GUINT_TO_POINTER (c));
  if (packed == NULL)
    {
      guint64 *entry = g_new (guint64, 1);
      PangoGlyph g;
      int w;

      g_unichar_to_utf8 (c, s);
      if (shape_one (self->shape_layout, s, &font, &g, &w) && font == self->font)
        *entry = (guint64) g << 32 | (guint32) w;
      else
        *entry = (guint64) self->placeholder << 32 | (guint32) self->placeholder_width;
      g_hash_table_insert (self->utf8_glyphs, GUINT_TO_POINTER (c), entry);
      packed = entry;
    }
  *glyph = (PangoGlyph) (*(guint64 *) packed >> 32);
  *width = (int) (guint32) *(guint64 *) packed;
}

/* The text column's glyph for every byte in a single-byte encoding. */
static void
build_text_glyphs (MaphexHexView *self)
{
  MaphexCharset encoding = self->encoding == MAPHEX_CHARSET_UTF8
                                ? MAPHEX_CHARSET_ASCII : self->encoding;

  for (guint b = 0; b < 256; b++)
    {
      gunichar c = _maphex_hex_view_encoding_char (encoding, (guint8) b);

      if (c == 0)
        {
          self->text_glyphs[b] = self->placeholder;
          self->text_glyph_width[b] = self->placeholder_width;
        }
      else if (c == ' ' || c == 0xa0)
        {
          self->text_glyphs[b] = PANGO_GLYPH_EMPTY;
          self->text_glyph_width[b] = self->cell;
        }
      else
        _maphex_hex_view_char_glyph (self, c, &self->text_glyphs[b], &self->text_glyph_width[b]);
    }
  self->text_glyphs_encoding = self->encoding;
}

void
_maphex_hex_view_ensure_font (MaphexHexView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autoptr(PangoFontDescription) desc = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontMetrics *metrics;
  PangoFont *font;
  PangoGlyph glyph;
  int width;

  /* The context's serial changes with its font, resolution and options. */
  if (self->font_desc != NULL && self->font_context == context &&
      self->font_serial == pango_context_get_serial (context))
    {
      if (self->text_glyphs_encoding != self->encoding)
        build_text_glyphs (self);
      return;
    }

  _maphex_hex_view_invalidate_font (self);
  self->font_context = context;
  self->font_serial = pango_context_get_serial (context);
  desc = pango_font_description_copy (pango_context_get_font_description (context));
  pango_font_description_set_family (desc, "Monospace");
  if (self->font_name != NULL && self->font_name[0] != '\0')
    {
      g_autoptr(PangoFontDescription) chosen = pango_font_description_from_string (self->font_name);

      pango_font_description_merge (desc, chosen, TRUE);
    }
  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);

  if (!shape_one (layout, "0", &font, &glyph, &width))
    {
      /* No usable font at all: keep a sane geometry and draw nothing. */
      self->font_desc = g_steal_pointer (&desc);
      self->cell = 8 * PANGO_SCALE;
      self->row_height = 16;
      self->ascent = 12;
      self->placeholder = PANGO_GLYPH_EMPTY;
      self->placeholder_width = self->cell;
      build_text_glyphs (self);
      return;
    }
  self->font = g_object_ref (font);
  self->cell = MAX (1, (width + PANGO_SCALE / 2) / PANGO_SCALE) * PANGO_SCALE;

  metrics = pango_font_get_metrics (self->font, NULL);
  self->ascent = PANGO_PIXELS_CEIL (pango_font_metrics_get_ascent (metrics));
  self->row_height = self->ascent
                     + PANGO_PIXELS_CEIL (pango_font_metrics_get_descent (metrics)) + 2;
  pango_font_metrics_unref (metrics);

  if (shape_one (layout, PLACEHOLDER, &font, &glyph, &width) && font == self->font)
    {
      self->placeholder = glyph;
      self->placeholder_width = width;
    }
  else if (shape_one (layout, ".", &font, &glyph, &width) && font == self->font)
    {
      self->placeholder = glyph;
      self->placeholder_width = width;
    }
  else
    {
      self->placeholder = PANGO_GLYPH_EMPTY;
      self->placeholder_width = self->cell;
    }

  for (guint c = 0; c < 128; c++)
    {
      char s[2] = { (char) c, 0 };

      self->glyphs[c] = self->placeholder;
      self->glyph_width[c] = self->placeholder_width;
      if (c == ' ')
        {
          self->glyphs[c] = PANGO_GLYPH_EMPTY;
          self->glyph_width[c] = self->cell;
        }
      else if (c > 0x20 && c < 0x7f &&
               shape_one (layout, s, &font, &glyph, &width) && font == self->font)
        {
          self->glyphs[c] = glyph;
          self->glyph_width[c] = width;
        }
    }
  self->font_desc = g_steal_pointer (&desc);
  self->shape_layout = g_steal_pointer (&layout);
  build_text_glyphs (self);
}

/* ---- scrolling --------------------------------------------------------- */

void
_maphex_hex_view_update_adjustment (MaphexHexView *self)
{
  double page = MAX (1, self->visible_rows);

  gtk_adjustment_configure (self->vadj,
                            (double) self->top_row,
                            0.0,
                            (double) _maphex_hex_view_n_rows (self),
                            1.0,
                            MAX (1.0, page - 1.0),
                            page);
}

void
_maphex_hex_view_set_top_row (MaphexHexView *self, gint64 row)
{
  gint64 max_top = MAX (0, _maphex_hex_view_n_rows (self) - self->visible_rows);

  row = _maphex_hex_view_clamp64 (row, 0, max_top);
  if (row == self->top_row)
    return;
  self->top_row = row;
  if ((gint64) gtk_adjustment_get_value (self->vadj) != row)
    gtk_adjustment_set_value (self->vadj, (double) row);
  g_object_notify_by_pspec (G_OBJECT (self), _maphex_hex_view_properties[PROP_TOP_ROW]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_adjustment_changed (GtkAdjustment *adj, MaphexHexView *self)
{
  (void) adj;
  /* GtkRange queued an allocation of its slider; ours makes size_allocate()
   * run and place the scrollbar again before it is drawn. */
  if (self->allocating)
    return;
  self->scrollbar_stale = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
on_adjustment_value_changed (GtkAdjustment *adj, MaphexHexView *self)
{
  gint64 row = (gint64) gtk_adjustment_get_value (adj);

  on_adjustment_changed (adj, self);
  if (row != self->top_row)
    _maphex_hex_view_set_top_row (self, row);
}

/* The scrollbar and its adjustment, which counts rows (from init). */
void
_maphex_hex_view_init_scrollbar (MaphexHexView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->vadj = gtk_adjustment_new (0, 0, 1, 1, 1, 1);
  self->scrollbar = gtk_scrollbar_new (GTK_ORIENTATION_VERTICAL, self->vadj);
  gtk_widget_set_cursor_from_name (self->scrollbar, "default");
  gtk_widget_set_parent (self->scrollbar, widget);
  g_signal_connect_object (self->vadj, "value-changed",
                           G_CALLBACK (on_adjustment_value_changed), self, 0);
  g_signal_connect_object (self->vadj, "changed",
                           G_CALLBACK (on_adjustment_changed), self, 0);
  /* Not placed until the first size_allocate(). */
  self->scrollbar_stale = TRUE;
}

void
_maphex_hex_view_scroll_row_into_view (MaphexHexView *self, gint64 row)
{
  int vis = MAX (1, self->visible_rows);

  if (row < self->top_row)
    _maphex_hex_view_set_top_row (self, row);
  else if (row >= self->top_row + vis)
    _maphex_hex_view_set_top_row (self, row - vis + 1);
}

/* A jump (find, go to) to rows [first, last] that are not all on screen
 * shows them in the middle of the view rather than at its edge, where the
 * eye has to look for them; from the first row when they do not fit.
 * Nothing moves when they are all visible already. */
void
_maphex_hex_view_centre_rows_in_view (MaphexHexView *self, gint64 first, gint64 last)
{
  int vis = MAX (1, self->visible_rows);
  gint64 span = last - first + 1;

  if (first >= self->top_row && last < self->top_row + vis)
    return;
  _maphex_hex_view_set_top_row (self, span >= vis ? first : first - (vis - span) / 2);
}

/* ---- offset <-> point --------------------------------------------------- */

/* The byte at (x, y), the column it is in and the nibble (hex column). */
gint64
_maphex_hex_view_hit_test (MaphexHexView *self, double x, double y, MaphexHexViewColumn *column,
                           guint *nibble)
{
  double cw = _maphex_hex_view_cell_px (self);
  double text_start = _maphex_hex_view_text_x (self);
  gint64 row = self->top_row + (gint64) floor_d (MAX (0.0, y) / MAX (1, self->row_height));
  guint i;

  *nibble = 0;
  if (self->show_text && x >= text_start - cw)
    {
      double c = floor_d ((x - text_start) / cw);
      *column = MAPHEX_HEX_VIEW_COLUMN_TEXT;
      i = (guint) CLAMP (c, 0.0, BPR - 1.0);
    }
  else
    {
      double c = floor_d ((x - _maphex_hex_view_hex_x (self)) / cw);

      *column = MAPHEX_HEX_VIEW_COLUMN_HEX;
      i = 0;
      if (c >= 0)
        {
          /* The last byte that starts at or before the cell: a gap belongs
           * to the byte before it, as its low nibble. */
          guint cell = (guint) MIN (c, (double) self->hex_cell[BPR]);

          while (i + 1 < BPR && self->hex_cell[i + 1] <= cell)
            i++;
          *nibble = cell > self->hex_cell[i] ? 1 : 0;
        }
    }
  return row * BPR + i;
}

/* ---- size -------------------------------------------------------------- */

void
_maphex_hex_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                         int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  int sb_min, sb_nat;

  _maphex_hex_view_ensure_font (self);
  gtk_widget_measure (self->scrollbar, orientation, -1, &sb_min, &sb_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL && self->bytes_per_row == 0)
    {
      /* Fit to width: one group at least, 16 bytes when there is room. */
      *minimum = row_width_for (self, self->group_size) + sb_min;
      *natural = row_width_for (self, MAX (self->group_size,
                                           MAPHEX_HEX_VIEW_BYTES_PER_ROW / self->group_size
                                           * self->group_size)) + sb_nat;
    }
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = row_width (self) + sb_min;
      *natural = row_width (self) + sb_nat;
    }
  else
    {
      *minimum = MAX (sb_min, 4 * self->row_height);
      *natural = MAX (sb_nat, 24 * self->row_height);
    }
}

void
_maphex_hex_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  int sb_min, sb_nat;

  _maphex_hex_view_ensure_font (self);
  gtk_widget_measure (self->scrollbar, GTK_ORIENTATION_HORIZONTAL, -1, &sb_min, &sb_nat, NULL, NULL);
  /* The adjustment first: changing it queues an allocation of the scrollbar. */
  self->allocating = TRUE;
  if (self->bytes_per_row == 0)
    _maphex_hex_view_relayout (self, MAX (0, width - sb_nat));
  self->visible_rows = MAX (1, height / MAX (1, self->row_height));
  _maphex_hex_view_update_adjustment (self);
  _maphex_hex_view_set_top_row (self, self->top_row);
  gtk_widget_size_allocate (self->scrollbar,
                            &(GtkAllocation) { MAX (0, width - sb_nat), 0, sb_nat, height }, -1);
  self->allocating = FALSE;
  self->scrollbar_stale = FALSE;
  gtk_popover_present (GTK_POPOVER (self->context_menu));
}

/* ---- internals for tests ----------------------------------------------- */

gboolean
_maphex_hex_view_get_cell_rect (MaphexHexView *self, gint64 offset, MaphexHexViewColumn column,
                                graphene_rect_t *rect)
{
  gint64 row = offset / BPR;
  guint i = (guint) (offset % BPR);
  double y, cw;

  _maphex_hex_view_ensure_font (self);
  if (row < self->top_row || row > self->top_row + self->visible_rows)
    return FALSE;
  if (column == MAPHEX_HEX_VIEW_COLUMN_TEXT && !self->show_text)
    return FALSE;
  y = (double) (row - self->top_row) * self->row_height;
  cw = _maphex_hex_view_cell_px (self);
  if (column == MAPHEX_HEX_VIEW_COLUMN_HEX)
    graphene_rect_init (rect,
                        (float) (_maphex_hex_view_hex_x (self) + self->hex_cell[i] * cw),
                        (float) y, (float) (2 * cw), (float) self->row_height);
  else
    graphene_rect_init (rect, (float) (_maphex_hex_view_text_x (self) + i * cw), (float) y,
                        (float) cw, (float) self->row_height);
  return TRUE;
}

guint
_maphex_hex_view_get_offset_digits (MaphexHexView *self)
{
  return self->offset_digits;
}

int
_maphex_hex_view_get_visible_rows (MaphexHexView *self)
{
  return self->visible_rows;
}
