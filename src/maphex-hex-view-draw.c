/* maphex-hex-view-draw.c: MaphexHexView's snapshot: the rows on screen.
 *
 * Owns the drawing: the copy of the visible rows' bytes (one
 * maphex_export_copy a frame; on a fault, one a row, so only the rows that
 * fault show `??`), the glyph runs, the selection tint and the cursor. Text is
 * drawn from the glyph table the layout built once per font: every character
 * the view can show (hex digits, printable ASCII, the placeholder) is shaped
 * once, and each visible row becomes three GskTextNodes whose glyph strings
 * are filled by table lookup. A frame shapes nothing, so its cost is a few
 * hundred nodes whatever the file's size.
 *
 * Reads the state; changes nothing but the per-frame cache (gs, frame,
 * frame_ok). Geometry comes from the layout (maphex-hex-view-layout.c).
 */
#include "maphex-hex-view-private.h"
#include "maphex-theme.h"

const char _maphex_hex_view_hex_upper[] = "0123456789ABCDEF";
const char _maphex_hex_view_hex_lower[] = "0123456789abcdef";

typedef struct {
  GdkRGBA fg, dim, accent, accent_fg, selection, error;
  gboolean focused;
} Colors;

static void
get_colors (MaphexHexView *self, Colors *colors)
{
  MaphexThemeColors theme;

  maphex_theme_get_colors (GTK_WIDGET (self), &theme);
  colors->fg = theme.fg;
  colors->dim = theme.dim;
  colors->accent = theme.accent;
  colors->accent_fg = theme.accent_fg;
  colors->error = theme.error;
  colors->selection = colors->accent;
  colors->selection.alpha = 0.3f;
  colors->focused = gtk_widget_has_focus (GTK_WIDGET (self));
}

/* Copies the visible range with one maphex_export_copy; on a fault, falls
 * back to a copy per row so only the rows that fault are unreadable. */
static void
fill_frame (MaphexHexView *self, gint64 first_row, gsize rows)
{
  gint64 start = first_row * BPR;
  gint64 end = MIN (self->length, (first_row + (gint64) rows) * BPR);

  if (rows * BPR > self->frame_size)
    {
      self->frame = g_realloc_n (self->frame, rows, BPR);
      self->frame_size = rows * BPR;
    }
  if (rows > self->frame_rows)
    {
      self->frame_ok = g_realloc_n (self->frame_ok, rows, sizeof (gboolean));
      self->frame_rows = rows;
    }
  for (gsize r = 0; r < rows; r++)
    self->frame_ok[r] = TRUE;
  if (end <= start)
    return;
  if (maphex_export_copy (self->export_, start, self->frame, (gsize) (end - start), NULL))
    return;
  for (gsize r = 0; r < rows; r++)
    {
      gint64 row_start = start + (gint64) r * BPR;
      gint64 row_end = MIN (end, row_start + BPR);

      self->frame_ok[r] = row_end <= row_start ||
                          maphex_export_copy (self->export_, row_start, self->frame + r * BPR,
                                              (gsize) (row_end - row_start), NULL);
    }
}

static void
append_glyphs (MaphexHexView *self, GtkSnapshot *snapshot, PangoGlyphString *gs,
               double x, double baseline, const GdkRGBA *color)
{
  GskRenderNode *node;

  if (gs->num_glyphs == 0)
    return;
  node = gsk_text_node_new (self->font, gs, color, &GRAPHENE_POINT_INIT (x, baseline));
  if (node != NULL)
    {
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }
}

/* A run of cells drawn as one text node. Text nodes drop empty glyphs and
 * their advance with them, so a blank cell (space) widens the glyph before
 * it instead of being a glyph of its own. */
typedef struct {
  PangoGlyphString *gs;
  int               n;
  int               lead;   /* Pango units of blank cells before the first glyph */
} GlyphRun;

static void
run_begin (GlyphRun *run, PangoGlyphString *gs, int max_glyphs)
{
  pango_glyph_string_set_size (gs, max_glyphs);
  run->gs = gs;
  run->n = 0;
  run->lead = 0;
}

/* Adds a glyph `width` wide (Pango units) centred in a cell. */
static void
run_add_glyph (MaphexHexView *self, GlyphRun *run, PangoGlyph glyph, int width, int advance)
{
  PangoGlyphInfo *info;

  if (glyph == PANGO_GLYPH_EMPTY)
    {
      if (run->n == 0)
        run->lead += advance;
      else
        run->gs->glyphs[run->n - 1].geometry.width += advance;
      return;
    }
  info = &run->gs->glyphs[run->n];
  info->glyph = glyph;
  info->geometry.width = advance;
  info->geometry.x_offset = (self->cell - width) / 2;
  info->geometry.y_offset = 0;
  /* Every bit set: garbage in is_color (Pango 1.50) makes GSK draw the glyph
   * as a color glyph, which a plain font draws as nothing. */
  info->attr = (PangoGlyphVisAttr) { .is_cluster_start = 1 };
  run->gs->log_clusters[run->n] = run->n;
  run->n++;
}

/* Adds ASCII character `c` (>= 0x80 and controls show the placeholder). */
static void
run_add (MaphexHexView *self, GlyphRun *run, guint c, int advance)
{
  if (c < 128)
    run_add_glyph (self, run, self->glyphs[c], self->glyph_width[c], advance);
  else
    run_add_glyph (self, run, self->placeholder, self->placeholder_width, advance);
}

/* Adds byte `b` of the text column in a single-byte encoding. */
static void
run_add_byte (MaphexHexView *self, GlyphRun *run, guint8 b, int advance)
{
  run_add_glyph (self, run, self->text_glyphs[b], self->text_glyph_width[b], advance);
}

/* The text column of a row in UTF-8: a character in the cell of its first
 * byte, the cells of the rest blank; bytes that are no character's (or
 * whose sequence began before the frame) show the placeholder. `bytes` is
 * in the frame, which holds `avail` bytes from it on. */
static void
add_utf8_text (MaphexHexView *self, GlyphRun *run, const guint8 *bytes, guint n, gsize avail,
               guint skip)
{
  for (guint i = 0; i < n; i++)
    {
      if (i < skip)
        {
          run_add_glyph (self, run, PANGO_GLYPH_EMPTY, self->cell, self->cell);
          continue;
        }
      if (bytes[i] < 0x80)
        run_add_byte (self, run, bytes[i], self->cell);
      else
        {
          gunichar c = g_utf8_get_char_validated ((const char *) bytes + i, (gssize) MIN (avail - i, 4));
          PangoGlyph glyph;
          int width;

          if (c == (gunichar) -1 || c == (gunichar) -2 || c < 0xa0)
            {
              run_add_glyph (self, run, self->placeholder, self->placeholder_width, self->cell);
              continue;
            }
          _maphex_hex_view_char_glyph (self, c, &glyph, &width);
          run_add_glyph (self, run, glyph, width, self->cell);
          skip = i + (guint) g_unichar_to_utf8 (c, NULL);
        }
    }
}

/* How many bytes at the start of frame row `r` continue a UTF-8 character
 * that began on the row before. */
static guint
utf8_carry (const guint8 *row, gsize before, gsize after)
{
  for (guint back = 1; back <= 3 && back <= before; back++)
    {
      guint8 lead = row[-(gssize) back];
      gunichar c;
      int len;

      if ((lead & 0xc0) == 0x80)
        continue;
      if (lead < 0xc0)
        return 0;
      c = g_utf8_get_char_validated ((const char *) row - back, (gssize) MIN (4, back + after));
      if (c == (gunichar) -1 || c == (gunichar) -2)
        return 0;
      len = g_unichar_to_utf8 (c, NULL);
      return len > (int) back ? (guint) len - back : 0;
    }
  return 0;
}

static void
run_append (MaphexHexView *self, GtkSnapshot *snapshot, GlyphRun *run,
            double x, double baseline, const GdkRGBA *color)
{
  run->gs->num_glyphs = run->n;
  append_glyphs (self, snapshot, run->gs, x + (double) run->lead / PANGO_SCALE, baseline, color);
}

static void
append_outline (GtkSnapshot *snapshot, const graphene_rect_t *rect, const GdkRGBA *color)
{
  GskRoundedRect rr;
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rr, rect, 0);
  gtk_snapshot_append_border (snapshot, &rr, widths, colors);
}

/* The bytes of the frame from row `r`'s start that hold the document's
 * bytes: its own, then those of the rows after it (as far as a UTF-8
 * character reaches) only while their copies did not fault; a faulted row
 * holds an older frame's bytes, which must not complete a character. */
static gsize
frame_avail (MaphexHexView *self, gsize r, gsize frame_len)
{
  gsize start = r * BPR;
  gsize end = MIN (frame_len, start + BPR);

  /* A character that begins on this row ends at most 3 bytes past it. */
  for (gsize next = r + 1; end < frame_len && end < start + BPR + 3 && self->frame_ok[next]; next++)
    end = MIN (frame_len, (next + 1) * BPR);
  return end - start;
}

static void
draw_row (MaphexHexView *self, GtkSnapshot *snapshot, const Colors *colors,
          gint64 row, gsize r, gsize frame_len, double y, gint64 sel_start, gint64 sel_end)
{
  PangoGlyphString *gs = self->gs;
  const int cell = self->cell;
  const double cw = _maphex_hex_view_cell_px (self);
  const double hx = _maphex_hex_view_hex_x (self), tx = _maphex_hex_view_text_x (self);
  const double baseline = y + 1 + self->ascent;
  const double h = self->row_height;
  gint64 row_start = row * BPR;
  guint n = (guint) CLAMP (self->length - row_start, 0, BPR);
  const guint8 *bytes = self->frame + r * BPR;
  gboolean ok = self->frame_ok[r];
  guint64 offset = (guint64) row_start;
  const char *digits = self->hex_digits;
  GlyphRun run;

  _maphex_hex_view_draw_marks (self, snapshot, row_start, n, y);

  /* Selection. */
  if (sel_start < row_start + BPR && sel_end > row_start)
    {
      guint a = (guint) (MAX (sel_start, row_start) - row_start);
      guint b = (guint) (MIN (sel_end, row_start + BPR) - row_start);
      double x0 = hx + self->hex_cell[a] * cw - cw / 2;
      double x1 = hx + self->hex_cell[b - 1] * cw + 2 * cw + cw / 2;

      gtk_snapshot_append_color (snapshot, &colors->selection,
                                 &GRAPHENE_RECT_INIT (x0, y, x1 - x0, h));
      if (self->show_text)
        gtk_snapshot_append_color (snapshot, &colors->selection,
                                   &GRAPHENE_RECT_INIT (tx + a * cw, y, (b - a) * cw, h));
    }

  /* Cursor backgrounds. */
  if (self->cursor / BPR == row)
    {
      guint i = (guint) (self->cursor % BPR);
      graphene_rect_t byte_box = GRAPHENE_RECT_INIT (hx + self->hex_cell[i] * cw - 1, y,
                                                     2 * cw + 2, h);
      graphene_rect_t text_box = GRAPHENE_RECT_INIT (tx + i * cw, y, cw, h);

      /* The active column's cursor is solid while the view has the focus;
       * the other one, and both without the focus, are outlined. */
      if (colors->focused && self->column == MAPHEX_HEX_VIEW_COLUMN_HEX)
        gtk_snapshot_append_color (snapshot, &colors->accent,
                                   &GRAPHENE_RECT_INIT (hx + (self->hex_cell[i] + self->nibble) * cw,
                                                        y, cw, h));
      else if (colors->focused)
        gtk_snapshot_append_color (snapshot, &colors->accent, &text_box);
      append_outline (snapshot, &byte_box, &colors->accent);
      if (self->show_text && (!colors->focused || self->column == MAPHEX_HEX_VIEW_COLUMN_HEX))
        append_outline (snapshot, &text_box, &colors->accent);
    }

  if (self->font == NULL)
    return;

  /* Offset: not on the row past the end that only holds the cursor. */
  if (n > 0 || row == 0)
    {
      run_begin (&run, gs, (int) self->offset_digits);
      if (self->offset_format == MAPHEX_OFFSET_FORMAT_DECIMAL)
        {
          char text[24];
          guint d = self->offset_digits;

          g_assert (d < sizeof text);
          for (guint64 v = offset; d > 0; v /= 10)
            text[--d] = (char) ('0' + v % 10);
          for (d = 0; d < self->offset_digits; d++)
            run_add (self, &run, (guint) text[d], cell);
        }
      else
        for (guint d = 0; d < self->offset_digits; d++)
          run_add (self, &run, (guint) digits[(offset >> (4 * (self->offset_digits - 1 - d))) & 0xf],
                   cell);
      run_append (self, snapshot, &run, PAD_X, baseline, &colors->dim);
    }

  if (n == 0)
    return;

  /* Hex. */
  run_begin (&run, gs, (int) (2 * n));
  for (guint i = 0; i < n; i++)
    {
      int gap = (int) (self->hex_cell[i + 1] - self->hex_cell[i]) - 1;

      run_add (self, &run, ok ? (guint) digits[bytes[i] >> 4] : '?', cell);
      run_add (self, &run, ok ? (guint) digits[bytes[i] & 0xf] : '?', gap * cell);
    }
  run_append (self, snapshot, &run, hx, baseline, ok ? &colors->fg : &colors->error);

  /* Text. */
  if (self->show_text)
    {
      run_begin (&run, gs, (int) n);
      if (!ok)
        for (guint i = 0; i < n; i++)
          run_add (self, &run, '?', cell);
      else if (self->encoding == MAPHEX_CHARSET_UTF8)
        {
          gsize before = r * BPR, avail = frame_avail (self, r, frame_len);

          add_utf8_text (self, &run, bytes, n, avail,
                         r > 0 && self->frame_ok[r - 1] ? utf8_carry (bytes, MIN (before, 3), avail) : 0);
        }
      else
        for (guint i = 0; i < n; i++)
          run_add_byte (self, &run, bytes[i], cell);
      run_append (self, snapshot, &run, tx, baseline, ok ? &colors->fg : &colors->error);
    }

  /* The character under the solid cursor, in the accent's foreground. */
  if (colors->focused && ok && self->cursor / BPR == row && (guint) (self->cursor % BPR) < n)
    {
      guint i = (guint) (self->cursor % BPR);
      guint c;
      double x;

      run_begin (&run, gs, 1);
      if (self->column == MAPHEX_HEX_VIEW_COLUMN_HEX)
        {
          c = (guint) digits[self->nibble == 0 ? bytes[i] >> 4 : bytes[i] & 0xf];
          x = hx + (self->hex_cell[i] + self->nibble) * cw;
          run_add (self, &run, c, cell);
        }
      else if (self->encoding == MAPHEX_CHARSET_UTF8 && bytes[i] >= 0x80)
        {
          /* A character wider than its cell shows in the accent's colour
           * anyway: redraw it whole, as the run above did. */
          gsize avail = frame_avail (self, r, frame_len);

          x = tx + i * cw;
          if ((bytes[i] & 0xc0) != 0x80)   /* a continuation's cell is blank */
            add_utf8_text (self, &run, bytes + i, 1, avail - i, 0);
        }
      else
        {
          x = tx + i * cw;
          run_add_byte (self, &run, bytes[i], cell);
        }
      run_append (self, snapshot, &run, x, baseline, &colors->accent_fg);
    }
}

void
_maphex_hex_view_snapshot_frame (MaphexHexView *self, GtkSnapshot *snapshot)
{
  int width = _maphex_hex_view_content_width (self);
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gint64 first = self->top_row;
  gint64 rows_left;
  gsize rows, frame_len;
  gint64 sel_start, sel_end;
  Colors colors;

  _maphex_hex_view_ensure_font (self);
  if (self->document == NULL || self->export_ == NULL || width <= 0 || height <= 0)
    return;

  rows_left = MAX (0, _maphex_hex_view_n_rows (self) - first);
  rows = (gsize) MIN ((gint64) ((height + self->row_height - 1) / self->row_height), rows_left);
  if (rows == 0)
    return;
  fill_frame (self, first, rows);
  get_colors (self, &colors);
  maphex_hex_view_get_selection (self, &sel_start, &sel_end);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  frame_len = (gsize) MAX (0, MIN (self->length, (first + (gint64) rows) * BPR) - first * BPR);
  for (gsize r = 0; r < rows; r++)
    draw_row (self, snapshot, &colors, first + (gint64) r, r, frame_len,
              (double) r * self->row_height, sel_start, sel_end);
  gtk_snapshot_pop (snapshot);
}

void
_maphex_hex_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);

  _maphex_hex_view_snapshot_frame (self, snapshot);
  /* In a real frame the layout ran first and the scrollbar is placed; a
   * snapshot taken straight after a scroll (without GTK's layout phase, as
   * the frame benchmark does) draws the rows only. */
  if (!self->scrollbar_stale)
    gtk_widget_snapshot_child (widget, self->scrollbar, snapshot);
}

