/* test-hex-view-options.c: what MaphexHexView shows, set through its
 * properties (the window binds them to the settings): bytes per row and fit
 * to width, grouping, offsets in decimal, lowercase hex, the text column
 * hidden, its encoding, the font. Each test checks the property and what it
 * changes on screen: geometry (cell rectangles, measured width, rows) or the
 * glyphs of the frame the view draws. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-hex-view-private.h"
#include "widget-test-util.h"

typedef struct {
  char           *path;
  MaphexDocument *doc;
  GtkWindow      *window;
  MaphexHexView  *view;
} Fixture;

static void
fixture_open_full (Fixture *f, const guint8 *data, gsize len, gint64 sparse_length, int width)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  f->path = wt_make_temp_file ("maphex-options-XXXXXX", data, len, sparse_length);
  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);
  g_assert_no_error (error);
  f->view = MAPHEX_HEX_VIEW (maphex_hex_view_new (f->doc));
  f->window = wt_show_in_window (GTK_WIDGET (f->view), width, 400, wt_is_mapped_and_allocated);
}

/* `len` bytes 00 01 02 ... */
static void
fixture_open (Fixture *f, gsize len)
{
  g_autofree guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  fixture_open_full (f, data, len, 0, 900);
}

/* `len` bytes, `pattern` over and over. */
static void
fixture_open_pattern (Fixture *f, const char *pattern, gsize len)
{
  g_autofree guint8 *data = g_malloc (len);
  gsize n = strlen (pattern);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) pattern[i % n];
  fixture_open_full (f, data, len, 0, 900);
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  wt_drain ();
  g_clear_object (&f->doc);
  if (f->path != NULL)
    g_unlink (f->path);
  g_free (f->path);
}

/* Lets GTK lay the view out again and draw it. */
static void
settle (Fixture *f)
{
  g_assert_true (wt_wait_for_frame (GTK_WIDGET (f->view)));
}

static graphene_rect_t
cell (Fixture *f, gint64 offset, MaphexHexViewColumn column)
{
  graphene_rect_t r;

  g_assert_true (_maphex_hex_view_get_cell_rect (f->view, offset, column, &r));
  return r;
}

static int
measured_width (Fixture *f)
{
  int min, nat;

  gtk_widget_measure (GTK_WIDGET (f->view), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

static double
cell_width (Fixture *f)
{
  return _maphex_hex_view_cell_px (f->view);
}

/* How many times `glyph` is drawn in the view's frame. Every node that
 * holds others is walked (a text node under one skipped would make a count
 * of 0 pass for nothing); a kind not known here fails the test. */
static void
count_glyph_in (GskRenderNode *node, PangoGlyph glyph, guint *count)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        count_glyph_in (gsk_container_node_get_child (node, i), glyph, count);
      break;
    case GSK_CLIP_NODE:
      count_glyph_in (gsk_clip_node_get_child (node), glyph, count);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      count_glyph_in (gsk_rounded_clip_node_get_child (node), glyph, count);
      break;
    case GSK_TRANSFORM_NODE:
      count_glyph_in (gsk_transform_node_get_child (node), glyph, count);
      break;
    case GSK_OPACITY_NODE:
      count_glyph_in (gsk_opacity_node_get_child (node), glyph, count);
      break;
    case GSK_DEBUG_NODE:
      count_glyph_in (gsk_debug_node_get_child (node), glyph, count);
      break;
    case GSK_COLOR_NODE:
    case GSK_BORDER_NODE:
      break;
    case GSK_TEXT_NODE:
      {
        guint n = gsk_text_node_get_num_glyphs (node);
        const PangoGlyphInfo *glyphs = gsk_text_node_get_glyphs (node, NULL);

        for (guint i = 0; i < n; i++)
          if (glyphs[i].glyph == glyph)
            (*count)++;
      }
      break;
    default:
      g_error ("count_glyph_in: render node type %d is not walked",
               (int) gsk_render_node_get_node_type (node));
    }
}

/* The same, with the frame drawn under a translation when `moved`. */
static guint
glyphs_drawn_moved (Fixture *f, gunichar c, gboolean moved)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  PangoGlyph glyph;
  int width;
  guint count = 0;

  if (moved)
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (3, 5));
  _maphex_hex_view_snapshot_frame (f->view, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  _maphex_hex_view_char_glyph (f->view, c, &glyph, &width);
  g_assert_true (glyph != f->view->placeholder);   /* the font has it */
  if (node != NULL)
    count_glyph_in (node, glyph, &count);
  return count;
}

static guint
glyphs_drawn (Fixture *f, gunichar c)
{
  return glyphs_drawn_moved (f, c, FALSE);
}

/* ---- tests ------------------------------------------------------------- */

static void
test_bytes_per_row (void)
{
  Fixture f = { 0 };
  graphene_rect_t r0, r8;
  int width16;
  double upper16;

  fixture_open (&f, 4096);
  g_assert_cmpuint (maphex_hex_view_get_bytes_per_row (f.view), ==, 16);
  width16 = measured_width (&f);
  upper16 = gtk_adjustment_get_upper (f.view->vadj);
  g_object_set (f.view, "top-row", (gint64) 0x40, NULL);   /* byte 0x400 at the top */

  g_object_set (f.view, "bytes-per-row", 8u, NULL);
  settle (&f);
  g_assert_cmpuint (maphex_hex_view_get_bytes_per_row (f.view), ==, 8);
  g_assert_cmpuint (maphex_hex_view_get_row_length (f.view), ==, 8);
  /* The same bytes stay at the top; byte 8 starts the second row, under
   * byte 0; the rows double and the view narrows. */
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0x400 / 8);
  g_object_set (f.view, "top-row", (gint64) 0, NULL);
  r0 = cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX);
  r8 = cell (&f, 8, MAPHEX_HEX_VIEW_COLUMN_HEX);
  g_assert_cmpfloat (r8.origin.x, ==, r0.origin.x);
  g_assert_cmpfloat (r8.origin.y, ==, r0.origin.y + f.view->row_height);
  g_assert_cmpfloat (gtk_adjustment_get_upper (f.view->vadj), ==, 4096 / 8 + 1);
  g_assert_cmpfloat (upper16, ==, 4096 / 16 + 1);
  g_assert_cmpint (measured_width (&f), <, width16);

  /* 32: byte 16 is on the first row, after byte 15; Down moves 32 bytes. */
  g_object_set (f.view, "bytes-per-row", 32u, NULL);
  settle (&f);
  g_assert_cmpuint (maphex_hex_view_get_row_length (f.view), ==, 32);
  r0 = cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX);
  g_assert_cmpfloat (cell (&f, 16, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, ==, r0.origin.y);
  g_assert_cmpfloat (cell (&f, 16, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, >,
                     cell (&f, 15, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x);
  g_assert_cmpfloat (cell (&f, 32, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, ==, r0.origin.y + f.view->row_height);
  g_assert_cmpint (measured_width (&f), >, width16);
  g_assert_true (_maphex_hex_view_handle_key (f.view, GDK_KEY_Down, 0));
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 32);
  /* A click on byte 40 of the second row lands there. */
  r8 = cell (&f, 40, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  _maphex_hex_view_press (f.view, r8.origin.x + 1, r8.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 40);
  fixture_close (&f);
}

static void
test_fit_to_width (void)
{
  Fixture f = { 0 };
  guint narrow, wide;

  fixture_open_full (&f, (const guint8 *) "x", 1, 4096, 500);
  g_object_set (f.view, "bytes-per-row", 0u, "group-size", 4u, NULL);
  settle (&f);
  narrow = maphex_hex_view_get_row_length (f.view);
  g_assert_cmpuint (narrow % 4, ==, 0);
  /* What a row holds fits in the view, and one more group would not. */
  g_assert_cmpfloat (cell (&f, narrow - 1, MAPHEX_HEX_VIEW_COLUMN_TEXT).origin.x + cell_width (&f), <=,
                     _maphex_hex_view_content_width (f.view));
  /* One more group: 8 digits, a space and 4 characters at least. */
  g_assert_cmpfloat (cell (&f, narrow - 1, MAPHEX_HEX_VIEW_COLUMN_TEXT).origin.x + 14 * cell_width (&f) + PAD_X, >,
                     _maphex_hex_view_content_width (f.view));

  gtk_widget_set_size_request (GTK_WIDGET (f.view), 1400, -1);
  settle (&f);
  wide = maphex_hex_view_get_row_length (f.view);
  g_assert_cmpuint (wide, >, narrow);
  g_assert_cmpuint (wide % 4, ==, 0);
  g_assert_cmpfloat (cell (&f, wide - 1, MAPHEX_HEX_VIEW_COLUMN_TEXT).origin.x + cell_width (&f), <=,
                     _maphex_hex_view_content_width (f.view));
  g_assert_cmpfloat (cell (&f, wide, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, ==, f.view->row_height);

  /* Back to a fixed 16: the width no longer matters. */
  g_object_set (f.view, "bytes-per-row", 16u, NULL);
  settle (&f);
  g_assert_cmpuint (maphex_hex_view_get_row_length (f.view), ==, 16);
  fixture_close (&f);
}

static void
test_grouping (void)
{
  Fixture f = { 0 };
  double cw;
  graphene_rect_t r;

  fixture_open (&f, 256);
  cw = cell_width (&f);
  /* One byte a group: "00 01 02": three cells apart, one more after 8. */
  g_assert_cmpfloat (cell (&f, 1, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 3 * cw);
  g_assert_cmpfloat (cell (&f, 8, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 7, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 4 * cw);

  /* Four: "00010203 04050607": two cells within a group, three across. */
  g_object_set (f.view, "group-size", 4u, NULL);
  settle (&f);
  g_assert_cmpuint (maphex_hex_view_get_group_size (f.view), ==, 4);
  g_assert_cmpfloat (cell (&f, 1, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 2 * cw);
  g_assert_cmpfloat (cell (&f, 4, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 3, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 3 * cw);
  /* A click on byte 5's low nibble, or on the gap after byte 7, hits them. */
  r = cell (&f, 5, MAPHEX_HEX_VIEW_COLUMN_HEX);
  _maphex_hex_view_press (f.view, r.origin.x + r.size.width * 0.75, r.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 5);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);
  r = cell (&f, 7, MAPHEX_HEX_VIEW_COLUMN_HEX);
  _maphex_hex_view_press (f.view, r.origin.x + r.size.width + cw / 2, r.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 7);

  /* Eight: one space between groups. */
  g_object_set (f.view, "group-size", 8u, NULL);
  settle (&f);
  g_assert_cmpfloat (cell (&f, 8, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 7, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 3 * cw);
  g_assert_cmpfloat (cell (&f, 7, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x - cell (&f, 6, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 2 * cw);
  fixture_close (&f);
}

static void
test_decimal_offsets (void)
{
  Fixture f = { 0 };
  double hex_x;
  guint ones_hex;

  /* 5 GiB: the last offset is 13FFFFFFF in hex (9 digits), 5368709119 in decimal (10). */
  fixture_open_full (&f, (const guint8 *) "x", 1, G_GINT64_CONSTANT (5) << 30, 900);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (f.view), ==, 9);
  hex_x = cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x;
  g_object_set (f.view, "offset-format", MAPHEX_OFFSET_FORMAT_DECIMAL, NULL);
  settle (&f);
  g_assert_cmpint (maphex_hex_view_get_offset_format (f.view), ==, MAPHEX_OFFSET_FORMAT_DECIMAL);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (f.view), ==, 10);
  g_assert_cmpfloat (cell (&f, 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, hex_x + cell_width (&f));
  fixture_close (&f);

  /* The offsets drawn, 8 rows: 00000000 00000010 ... 00000070 in hex, 00000000
   * 00000016 ... 00000112 in decimal. Without the text column, the digit 1
   * is in the bytes (the same both ways) and in the offsets: once in hex
   * (00000010), three times in decimal (00000016, 00000112). */
  fixture_open (&f, 128);
  g_object_set (f.view, "show-text", FALSE, NULL);
  settle (&f);
  ones_hex = glyphs_drawn (&f, '1');
  g_object_set (f.view, "offset-format", MAPHEX_OFFSET_FORMAT_DECIMAL, NULL);
  settle (&f);
  g_assert_cmpuint (glyphs_drawn (&f, '1'), ==, ones_hex + 2);
  fixture_close (&f);
}

static void
test_lowercase (void)
{
  Fixture f = { 0 };

  fixture_open_pattern (&f, "\xab\xcd", 64);
  maphex_hex_view_set_cursor (f.view, 64, FALSE);   /* no digit drawn again under it */
  g_assert_true (maphex_hex_view_get_uppercase (f.view));
  g_assert_cmpuint (glyphs_drawn (&f, 'A'), >, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 'a'), ==, 0);
  g_object_set (f.view, "uppercase", FALSE, NULL);
  settle (&f);
  g_assert_false (maphex_hex_view_get_uppercase (f.view));
  g_assert_cmpuint (glyphs_drawn (&f, 'A'), ==, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 'a'), ==, 64 / 2);
  g_assert_cmpuint (glyphs_drawn (&f, 'd'), ==, 64 / 2);
  fixture_close (&f);
}

static void
test_hide_text_column (void)
{
  Fixture f = { 0 };
  graphene_rect_t r;
  int with_text;

  fixture_open (&f, 256);
  with_text = measured_width (&f);
  r = cell (&f, 3, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  maphex_hex_view_set_column (f.view, MAPHEX_HEX_VIEW_COLUMN_TEXT);

  g_object_set (f.view, "show-text", FALSE, NULL);
  settle (&f);
  g_assert_false (maphex_hex_view_get_show_text (f.view));
  /* The cursor left the column that went; the view is 16 cells and the
   * gap narrower; nothing is there to click or to Tab to. */
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_HEX);
  g_assert_cmpint (measured_width (&f), <=, with_text - (16 + 2) * (int) cell_width (&f) + 1);
  g_assert_false (_maphex_hex_view_get_cell_rect (f.view, 3, MAPHEX_HEX_VIEW_COLUMN_TEXT, &r));
  _maphex_hex_view_press (f.view, r.origin.x + 1, r.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_HEX);
  g_assert_false (_maphex_hex_view_handle_key (f.view, GDK_KEY_Tab, 0));
  maphex_hex_view_set_column (f.view, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_HEX);

  g_object_set (f.view, "show-text", TRUE, NULL);
  settle (&f);
  g_assert_cmpint (measured_width (&f), ==, with_text);
  g_assert_true (_maphex_hex_view_handle_key (f.view, GDK_KEY_Tab, 0));
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  /* Ctrl+Tab is the window's: it moves the focus out of the view. */
  g_assert_false (_maphex_hex_view_handle_key (f.view, GDK_KEY_Tab, GDK_CONTROL_MASK));
  g_assert_false (_maphex_hex_view_handle_key (f.view, GDK_KEY_ISO_Left_Tab, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  fixture_close (&f);
}

static void
test_encodings_shown (void)
{
  Fixture f = { 0 };

  /* D1 is J in EBCDIC, Ñ in Latin-1 and nothing in ASCII; C3 A9 is é in UTF-8. */
  fixture_open_pattern (&f, "\xd1\xc3\xa9\xd1", 64);
  maphex_hex_view_set_cursor (f.view, 64, FALSE);
  g_assert_cmpint (maphex_hex_view_get_encoding (f.view), ==, MAPHEX_CHARSET_ASCII);
  g_assert_cmpuint (glyphs_drawn (&f, 'J'), ==, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 0xd1), ==, 0);

  g_object_set (f.view, "encoding", MAPHEX_CHARSET_EBCDIC, NULL);
  settle (&f);
  g_assert_cmpuint (glyphs_drawn (&f, 'J'), ==, 32);

  g_object_set (f.view, "encoding", MAPHEX_CHARSET_LATIN1, NULL);
  settle (&f);
  g_assert_cmpuint (glyphs_drawn (&f, 'J'), ==, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 0xd1), ==, 32);   /* Ñ */
  g_assert_cmpuint (glyphs_drawn (&f, 0xa9), ==, 16);   /* © */

  g_object_set (f.view, "encoding", MAPHEX_CHARSET_UTF8, NULL);
  settle (&f);
  g_assert_cmpuint (glyphs_drawn (&f, 0xe9), ==, 16);   /* é, in its first byte's cell */
  g_assert_cmpuint (glyphs_drawn (&f, 0xa9), ==, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 0xd1), ==, 0);
  fixture_close (&f);
}

/* The counter behind the tests' "== 0" finds glyphs under a transform
   node too: the frame drawn moved counts what it counts unmoved. */
static void
test_glyph_count_sees_through_transforms (void)
{
  Fixture f = { 0 };
  guint plain;

  fixture_open_pattern (&f, "A", 64);
  plain = glyphs_drawn (&f, 'A');
  g_assert_cmpuint (plain, ==, 64);
  g_assert_cmpuint (glyphs_drawn_moved (&f, 'A', TRUE), ==, plain);
  fixture_close (&f);
}

/* UTF-8 in the text column: a character whose last byte is on the next
   row is drawn only while that row can be read. The file is cut after a
   row that ends with C3, whose A9 was on the next page: that row's copy
   faults now, and the A9 an older frame left in its place must not make
   an é. */
static void
test_utf8_does_not_complete_from_a_faulted_row (void)
{
  Fixture f = { 0 };
  gsize len = 8192;
  g_autofree guint8 *data = g_malloc (len);

  memset (data, 'a', len);
  data[4095] = 0xc3;
  data[4096] = 0xa9;
  fixture_open_full (&f, data, len, 0, 900);
  g_object_set (f.view, "encoding", MAPHEX_CHARSET_UTF8, NULL);
  maphex_hex_view_set_cursor (f.view, 4096 + 16, FALSE);
  settle (&f);
  g_assert_cmpuint (glyphs_drawn (&f, 0xe9), ==, 1);

  g_assert_cmpint (truncate (f.path, 4096), ==, 0);
  g_assert_cmpuint (glyphs_drawn (&f, 'a'), >, 0);   /* the rows before still draw */
  g_assert_cmpuint (glyphs_drawn (&f, 0xe9), ==, 0);
  fixture_close (&f);
}

static void
test_typing_in_an_encoding (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_open (&f, 64);
  maphex_hex_view_set_column (f.view, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  g_object_set (f.view, "encoding", MAPHEX_CHARSET_EBCDIC, NULL);
  g_assert_true (maphex_hex_view_type_char (f.view, 'A', &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wt_byte_at (f.doc, 0), ==, 0xc1);

  g_object_set (f.view, "encoding", MAPHEX_CHARSET_LATIN1, NULL);
  g_assert_true (maphex_hex_view_type_char (f.view, 0xe9, &error));   /* é: one byte */
  g_assert_cmpuint (wt_byte_at (f.doc, 1), ==, 0xe9);
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 2);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 2);

  /* The euro sign has no byte in Latin-1: said, and nothing written. */
  g_assert_false (maphex_hex_view_type_char (f.view, 0x20ac, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Latin-1"));
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 2);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 2);
  g_clear_error (&error);

  g_object_set (f.view, "encoding", MAPHEX_CHARSET_UTF8, NULL);
  g_assert_true (maphex_hex_view_type_char (f.view, 0xe9, &error));   /* é: two bytes */
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 0xc3);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 0xa9);
  fixture_close (&f);
}

static void
test_font (void)
{
  Fixture f = { 0 };
  double cw;
  int row_height;

  fixture_open (&f, 256);
  g_assert_null (maphex_hex_view_get_font (f.view));
  cw = cell_width (&f);
  row_height = f.view->row_height;

  g_object_set (f.view, "font", "Monospace 30", NULL);
  settle (&f);
  g_assert_cmpstr (maphex_hex_view_get_font (f.view), ==, "Monospace 30");
  g_assert_cmpfloat (cell_width (&f), >, cw);
  g_assert_cmpint (f.view->row_height, >, row_height);
  g_assert_cmpfloat (cell (&f, 16, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, ==, f.view->row_height);
  g_assert_cmpuint (glyphs_drawn (&f, 'F'), >, 0);

  /* "" is the system's font again. */
  g_object_set (f.view, "font", "", NULL);
  settle (&f);
  g_assert_null (maphex_hex_view_get_font (f.view));
  g_assert_cmpfloat (cell_width (&f), ==, cw);
  g_assert_cmpint (f.view->row_height, ==, row_height);
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hex-view-options/bytes-per-row", test_bytes_per_row);
  g_test_add_func ("/hex-view-options/fit-to-width", test_fit_to_width);
  g_test_add_func ("/hex-view-options/grouping", test_grouping);
  g_test_add_func ("/hex-view-options/decimal-offsets", test_decimal_offsets);
  g_test_add_func ("/hex-view-options/lowercase", test_lowercase);
  g_test_add_func ("/hex-view-options/hide-text-column", test_hide_text_column);
  g_test_add_func ("/hex-view-options/encodings-shown", test_encodings_shown);
  g_test_add_func ("/hex-view-options/glyph-count-sees-through-transforms",
                   test_glyph_count_sees_through_transforms);
  g_test_add_func ("/hex-view-options/utf8-does-not-complete-from-a-faulted-row",
                   test_utf8_does_not_complete_from_a_faulted_row);
  g_test_add_func ("/hex-view-options/typing-in-an-encoding", test_typing_in_an_encoding);
  g_test_add_func ("/hex-view-options/font", test_font);
  return g_test_run ();
}
