/* test-hex-view.c: MaphexHexView on screen (under Xvfb) against real documents.
 *
 * Keys go through _maphex_hex_view_handle_key(), the function the key
 * controller calls; clicks and drags through _maphex_hex_view_press() and
 * _maphex_hex_view_drag_to(), which the drag gesture calls. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-hex-view-private.h"
#include "widget-test-util.h"

#define TIB (G_GINT64_CONSTANT (1) << 40)

typedef struct {
  char           *path;
  MaphexDocument *doc;
  GtkWindow      *window;
  MaphexHexView  *view;
  guint           n_failed;
  GError         *failure;
  guint           n_selection_changed;
  guint           n_bytes_changed;
  /* what wait_for_edit() waits to change */
  guint           n_failed_before;
  guint           n_bytes_changed_before;
} Fixture;

/* ---- helpers ----------------------------------------------------------- */

static void
on_edit_failed (MaphexHexView *view, const GError *error, Fixture *f)
{
  f->n_failed++;
  g_clear_error (&f->failure);
  f->failure = g_error_copy (error);
}

static void
on_selection_changed (MaphexHexView *view, Fixture *f)
{
  f->n_selection_changed++;
}

static void
on_bytes_changed (MaphexDocument *doc, gint64 offset, gint64 len, Fixture *f)
{
  f->n_bytes_changed++;
}

static gboolean
edit_done (gpointer data)
{
  Fixture *f = data;
  return f->n_failed > f->n_failed_before || f->n_bytes_changed > f->n_bytes_changed_before;
}

/* Activates `action` and waits until it changed bytes or failed (paste is async). */
static void
activate_and_wait (Fixture *f, const char *action)
{
  f->n_failed_before = f->n_failed;
  f->n_bytes_changed_before = f->n_bytes_changed;
  gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL);
  wt_wait_until (edit_done, f);
}

static void
fixture_show (Fixture *f, int width, int height)
{
  g_signal_connect (f->doc, "bytes-changed", G_CALLBACK (on_bytes_changed), f);
  f->view = MAPHEX_HEX_VIEW (maphex_hex_view_new (f->doc));
  g_signal_connect (f->view, "edit-failed", G_CALLBACK (on_edit_failed), f);
  g_signal_connect (f->view, "selection-changed", G_CALLBACK (on_selection_changed), f);
  f->window = wt_show_in_window (GTK_WIDGET (f->view), width, height, wt_is_mapped_and_allocated);
}

static void
fixture_open_full (Fixture *f, MaphexMode mode, const guint8 *data, gsize len, gint64 sparse_length)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  f->path = wt_make_temp_file ("maphex-view-XXXXXX", data, len, sparse_length);
  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, mode, &error);
  g_assert_no_error (error);
  fixture_show (f, 800, 400);
}

/* A file of `len` bytes 00 01 02 ... FF 00 01 ... */
static void
fixture_open (Fixture *f, MaphexMode mode, gsize len)
{
  g_autofree guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  fixture_open_full (f, mode, data, len, 0);
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  wt_drain ();
  g_clear_object (&f->doc);
  g_clear_error (&f->failure);
  if (f->path != NULL)
    g_unlink (f->path);
  g_free (f->path);
}

static void
key (Fixture *f, guint keyval, GdkModifierType state)
{
  g_assert_true (_maphex_hex_view_handle_key (f->view, keyval, state));
}

static void
type (Fixture *f, const char *text)
{
  for (const char *p = text; *p; p++)
    _maphex_hex_view_handle_key (f->view, gdk_unicode_to_keyval ((guchar) *p), 0);
}

static void
assert_selection (Fixture *f, gint64 start, gint64 end)
{
  gint64 s, e;

  maphex_hex_view_get_selection (f->view, &s, &e);
  g_assert_cmpint (s, ==, start);
  g_assert_cmpint (e, ==, end);
}

static GskRenderNode *
snapshot_view (Fixture *f)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  _maphex_hex_view_snapshot_frame (f->view, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

typedef struct {
  guint text_nodes;
  guint color_glyph_nodes;
  guint glyphs;
} NodeCount;

static void
count_nodes (GskRenderNode *node, NodeCount *count)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        count_nodes (gsk_container_node_get_child (node, i), count);
      break;
    case GSK_CLIP_NODE:
      count_nodes (gsk_clip_node_get_child (node), count);
      break;
    case GSK_TRANSFORM_NODE:
      count_nodes (gsk_transform_node_get_child (node), count);
      break;
    case GSK_TEXT_NODE:
      count->text_nodes++;
      count->glyphs += gsk_text_node_get_num_glyphs (node);
      if (gsk_text_node_has_color_glyphs (node))
        count->color_glyph_nodes++;
      break;
    default:
      break;
    }
}

typedef struct {
  gboolean done;
  char    *text;
} ClipboardRead;

static void
clipboard_text_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  ClipboardRead *read = data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
read_is_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
clipboard_text (Fixture *f)
{
  ClipboardRead read = { FALSE, NULL };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->view)), NULL,
                                 clipboard_text_ready, &read);
  wt_wait_until (read_is_done, &read);
  return read.text;
}

/* ---- tests ------------------------------------------------------------- */

static void
test_export_held_while_mapped (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  g_assert_nonnull (maphex_hex_view_get_export (f.view));
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);

  gtk_widget_set_visible (GTK_WIDGET (f.window), FALSE);
  wt_wait_until (wt_is_unmapped, f.view);
  g_assert_null (maphex_hex_view_get_export (f.view));
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  gtk_window_present (f.window);
  wt_wait_until (wt_is_mapped_and_allocated, f.view);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);

  gtk_window_destroy (f.window);
  f.window = NULL;
  wt_drain ();
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);
  fixture_close (&f);
}

static void
test_cursor_keys (void)
{
  Fixture f = { 0 };
  gint64 page;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 4096);
  page = _maphex_hex_view_get_visible_rows (f.view) - 1;
  g_assert_cmpint (page, >, 0);

  /* In the hex column Left and Right move by nibble (test_left_right_move_by_nibble). */
  key (&f, GDK_KEY_Right, 0);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 1);
  key (&f, GDK_KEY_Down, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 17);
  key (&f, GDK_KEY_Left, 0);
  key (&f, GDK_KEY_Left, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 16);
  key (&f, GDK_KEY_Up, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);
  key (&f, GDK_KEY_Up, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);
  key (&f, GDK_KEY_Left, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);

  key (&f, GDK_KEY_Down, 0);
  key (&f, GDK_KEY_End, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 31);
  key (&f, GDK_KEY_Home, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 16);

  key (&f, GDK_KEY_Page_Down, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 16 + page * 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, page);
  key (&f, GDK_KEY_Page_Up, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0);

  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4095);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==,
                   4095 / 16 - _maphex_hex_view_get_visible_rows (f.view) + 1);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4095);
  key (&f, GDK_KEY_Home, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0);
  assert_selection (&f, 0, 0);
  g_assert_cmpuint (f.n_selection_changed, >, 0);

  key (&f, GDK_KEY_Tab, 0);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  key (&f, GDK_KEY_Tab, 0);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_HEX);
  fixture_close (&f);
}

static void
test_left_right_move_by_nibble (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 32);
  maphex_hex_view_set_cursor (f.view, 4, FALSE);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 5);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);
  key (&f, GDK_KEY_Left, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);

  /* Typing on the low nibble overwrites it (byte 4 holds 0x04), then moves on. */
  type (&f, "9");
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 0x09);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 5);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);

  /* Both ends of the file: nothing moves past the first or the last nibble. */
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  key (&f, GDK_KEY_Left, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  key (&f, GDK_KEY_Right, 0);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 31);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);

  /* Up, Down, Home and End go to a byte's high nibble. */
  key (&f, GDK_KEY_Up, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 15);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);

  /* With Shift, and in the text column, they move by bytes. */
  maphex_hex_view_set_cursor (f.view, 8, FALSE);
  key (&f, GDK_KEY_Right, GDK_SHIFT_MASK);
  assert_selection (&f, 8, 9);
  maphex_hex_view_set_cursor (f.view, 8, FALSE);
  key (&f, GDK_KEY_Tab, 0);
  key (&f, GDK_KEY_Right, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 9);
  key (&f, GDK_KEY_Left, 0);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 8);
  fixture_close (&f);
}

static void
test_text_typing_writes_utf8 (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 16);
  maphex_hex_view_set_cursor (f.view, 2, FALSE);
  key (&f, GDK_KEY_Tab, 0);
  key (&f, gdk_unicode_to_keyval (0xe9), 0);   /* é */
  g_assert_cmpuint (f.n_failed, ==, 0);
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 0xc3);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 0xa9);
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 0x04);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4);
  key (&f, gdk_unicode_to_keyval (0x20ac), 0);   /* € */
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 0xe2);
  g_assert_cmpuint (wt_byte_at (f.doc, 5), ==, 0x82);
  g_assert_cmpuint (wt_byte_at (f.doc, 6), ==, 0xac);

  /* One character is one undo step. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 0x04);
  g_assert_cmpuint (wt_byte_at (f.doc, 6), ==, 0x06);
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 0xc3);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 0x02);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 0x03);
  g_assert_false (maphex_document_get_can_undo (f.doc));

  /* A character that does not fit before the end is refused; nothing is written. */
  maphex_hex_view_set_cursor (f.view, 15, FALSE);
  key (&f, gdk_unicode_to_keyval (0xe9), 0);
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_assert_cmpstr (f.failure->message, ==,
                   "“é” takes 2 bytes in UTF-8, but only 1 is left before the end of the file");
  g_assert_cmpuint (wt_byte_at (f.doc, 15), ==, 0x0f);
  g_assert_false (maphex_document_get_can_undo (f.doc));
  fixture_close (&f);
}

static void
test_go_to_end_lands_where_ctrl_end_does (void)
{
  Fixture f = { 0 };
  gint64 ctrl_end;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 100);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  ctrl_end = maphex_hex_view_get_cursor (f.view);
  g_assert_cmpint (ctrl_end, ==, 99);
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  maphex_hex_view_go_to (f.view, 100);   /* what Go to 100% and Go to 0x64 parse to */
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, ctrl_end);
  assert_selection (&f, 99, 99);
  maphex_hex_view_go_to (f.view, 42);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 42);
  fixture_close (&f);
}

static void
test_shift_extends_selection (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  maphex_hex_view_set_cursor (f.view, 4, FALSE);
  key (&f, GDK_KEY_Right, GDK_SHIFT_MASK);
  key (&f, GDK_KEY_Right, GDK_SHIFT_MASK);
  key (&f, GDK_KEY_Right, GDK_SHIFT_MASK);
  assert_selection (&f, 4, 7);
  key (&f, GDK_KEY_Down, GDK_SHIFT_MASK);
  assert_selection (&f, 4, 23);
  key (&f, GDK_KEY_Up, GDK_SHIFT_MASK);
  assert_selection (&f, 4, 7);
  for (int i = 0; i < 4; i++)
    key (&f, GDK_KEY_Left, GDK_SHIFT_MASK);
  assert_selection (&f, 3, 4);   /* the anchor stays at 4 */
  key (&f, GDK_KEY_Right, 0);
  assert_selection (&f, 4, 4);
  fixture_close (&f);
}

static void
test_shift_end_selects_to_file_end (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 100);
  maphex_hex_view_set_cursor (f.view, 90, FALSE);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  assert_selection (&f, 90, 100);
  key (&f, GDK_KEY_Left, 0);
  assert_selection (&f, 99, 99);
  fixture_close (&f);
}

static void
test_hex_typing_writes_nibbles (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  maphex_hex_view_set_cursor (f.view, 0x10, FALSE);   /* holds 0x10 */
  type (&f, "a");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x10), ==, 0xa0);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x10);
  type (&f, "B");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x10), ==, 0xab);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x11);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);
  type (&f, "cd");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x11), ==, 0xcd);

  /* Typing over a selection starts at its first byte and ends the selection. */
  maphex_hex_view_set_cursor (f.view, 0x40, FALSE);
  maphex_hex_view_set_cursor (f.view, 0x48, TRUE);   /* cursor at the far end */
  assert_selection (&f, 0x40, 0x48);
  type (&f, "e");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x40), ==, 0xe0);
  assert_selection (&f, 0x40, 0x40);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x47), ==, 0x47);
  type (&f, "e");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x40), ==, 0xee);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x40), ==, 0x40);
  maphex_hex_view_set_cursor (f.view, 0x12, FALSE);

  /* A non-hex key in the hex column writes nothing and is not an error. */
  type (&f, "g");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x12), ==, 0x12);
  g_assert_cmpuint (f.n_failed, ==, 0);
  g_assert_true (maphex_document_get_modified (f.doc));

  /* The typing run undoes as one step. */
  maphex_hex_view_set_cursor (f.view, 0x80, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x10), ==, 0x10);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x11), ==, 0x11);
  g_assert_false (maphex_document_get_can_undo (f.doc));
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x10);   /* undo shows what it changed */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.redo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x10), ==, 0xab);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x11), ==, 0xcd);
  fixture_close (&f);
}

static void
test_another_edit_ends_the_typing_run (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  maphex_hex_view_set_cursor (f.view, 0x20, FALSE);
  type (&f, "11");
  /* Another view writes the next byte between two keystrokes. */
  g_assert_true (maphex_document_set_byte (f.doc, 0x21, 0x99, FALSE, &error));
  g_assert_no_error (error);
  type (&f, "22");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x21), ==, 0x22);

  /* Three undo steps, not two: the second run did not merge into the other edit. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x21), ==, 0x99);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x21), ==, 0x21);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x20), ==, 0x11);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.undo", NULL);
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x20), ==, 0x20);
  fixture_close (&f);
}

static void
test_text_typing_writes_bytes (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  maphex_hex_view_set_cursor (f.view, 0x20, FALSE);
  key (&f, GDK_KEY_Tab, 0);
  type (&f, "Hi!");
  g_assert_cmpuint (wt_byte_at (f.doc, 0x20), ==, 'H');
  g_assert_cmpuint (wt_byte_at (f.doc, 0x21), ==, 'i');
  g_assert_cmpuint (wt_byte_at (f.doc, 0x22), ==, '!');
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x23);
  g_assert_cmpuint (f.n_failed, ==, 0);
  fixture_close (&f);
}

static void
test_typing_at_end_fails (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 16);
  maphex_hex_view_set_cursor (f.view, 15, FALSE);
  type (&f, "ff");
  g_assert_cmpuint (wt_byte_at (f.doc, 15), ==, 0xff);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 16);
  type (&f, "1");
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  /* Copy-on-write cannot grow the file: no advice to insert. */
  g_assert_null (strstr (f.failure->message, "Insert"));
  fixture_close (&f);
}

/* Write-through, e.g. an empty file: typing cannot add bytes, and the
 * message says what does. */
static void
test_typing_at_end_of_growable_file_says_insert (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 0);
  type (&f, "1");
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_assert_nonnull (strstr (f.failure->message, "Insert bytes first"));
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 0);
  fixture_close (&f);
}

static void
test_read_only_refuses_with_edit_failed (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY, 256);
  maphex_hex_view_set_cursor (f.view, 3, FALSE);
  type (&f, "a");
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 3);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 3);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 0);

  key (&f, GDK_KEY_Tab, 0);
  type (&f, "x");
  g_assert_cmpuint (f.n_failed, ==, 2);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 3);

  g_assert_false (maphex_hex_view_type_char (f.view, 'x', &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_clear_error (&error);

  /* A refused keystroke leaves the selection as it was, too. */
  maphex_hex_view_select_range (f.view, 8, 12);
  type (&f, "x");
  g_assert_cmpuint (f.n_failed, ==, 3);
  assert_selection (&f, 8, 12);

  maphex_hex_view_select_range (f.view, 0, 2);
  g_assert_false (_maphex_hex_view_paste_bytes (f.view, (const guint8 *) "ab", 2, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_assert_cmpuint (wt_byte_at (f.doc, 0), ==, 0);
  g_assert_false (maphex_document_get_modified (f.doc));

  /* Ctrl+V (view.paste) is refused with the reason too, not ignored in silence. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "41 41");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.view), "view.paste", NULL));
  g_assert_cmpuint (f.n_failed, ==, 4);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_assert_cmpuint (wt_byte_at (f.doc, 0), ==, 0);
  g_assert_false (maphex_document_get_modified (f.doc));
  fixture_close (&f);
}

static void
test_copy_hex (void)
{
  static const guint8 data[] = { 0x00, 0xde, 0xad, 0xbe, 0xef, 0x01 };
  Fixture f = { 0 };
  g_autofree char *text = NULL;

  fixture_open_full (&f, MAPHEX_MODE_COPY_ON_WRITE, data, sizeof data, 0);
  maphex_hex_view_select_range (f.view, 1, 5);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.copy-hex", NULL);
  text = clipboard_text (&f);
  g_assert_cmpstr (text, ==, "DE AD BE EF");
  g_assert_cmpuint (f.n_failed, ==, 0);
  fixture_close (&f);
}

static void
test_copy_raw_then_paste_round_trips (void)
{
  static const guint8 data[] = "Hello, world";
  Fixture f = { 0 };
  g_autofree char *text = NULL;

  fixture_open_full (&f, MAPHEX_MODE_COPY_ON_WRITE, data, sizeof data - 1, 0);
  maphex_hex_view_select_range (f.view, 0, 5);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.copy-raw", NULL);
  text = clipboard_text (&f);
  g_assert_cmpstr (text, ==, "Hello");

  maphex_hex_view_select_range (f.view, 7, 12);
  activate_and_wait (&f, "view.paste");
  g_assert_cmpuint (wt_byte_at (f.doc, 7), ==, 'H');
  g_assert_cmpuint (f.n_failed, ==, 0);
  g_assert_cmpuint (wt_byte_at (f.doc, 11), ==, 'o');
  fixture_close (&f);
}

static void
test_paste_same_length_rule (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 64);

  /* Through the clipboard: 3 bytes of hex over 4 selected. */
  maphex_hex_view_select_range (f.view, 0, 4);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "01 02 03");
  activate_and_wait (&f, "view.paste");
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_error (f.failure, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (f.failure->message, "The clipboard holds 3 bytes but 4 are selected"));
  for (gint64 i = 0; i < 4; i++)
    g_assert_cmpuint (wt_byte_at (f.doc, i), ==, i);

  /* Same length: pasted over the selection. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "aa bb cc dd");
  activate_and_wait (&f, "view.paste");
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_cmpuint (wt_byte_at (f.doc, 0), ==, 0xaa);
  g_assert_cmpuint (wt_byte_at (f.doc, 3), ==, 0xdd);
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 4);

  /* No selection: over the bytes at the cursor, text that is not hex as its bytes. */
  maphex_hex_view_set_cursor (f.view, 10, FALSE);
  g_assert_true (_maphex_hex_view_paste_text (f.view, "xyz", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wt_byte_at (f.doc, 10), ==, 'x');
  g_assert_cmpuint (wt_byte_at (f.doc, 12), ==, 'z');
  g_assert_cmpuint (wt_byte_at (f.doc, 13), ==, 13);

  /* ... but not past the end. */
  maphex_hex_view_set_cursor (f.view, 62, FALSE);
  g_assert_false (_maphex_hex_view_paste_text (f.view, "01 02 03", &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "The clipboard holds 3 bytes but only 2 remain after the cursor");
  g_assert_cmpuint (wt_byte_at (f.doc, 62), ==, 62);
  g_clear_error (&error);

  /* Over a selection of another length, with both counts' plurals right. */
  maphex_hex_view_select_range (f.view, 20, 21);
  g_assert_false (_maphex_hex_view_paste_text (f.view, "01 02", &error));
  g_assert_cmpstr (error->message, ==,
                   "The clipboard holds 2 bytes but 1 is selected: pasting over a selection needs the same length");
  g_clear_error (&error);
  maphex_hex_view_select_range (f.view, 20, 23);
  g_assert_false (_maphex_hex_view_paste_text (f.view, "01", &error));
  g_assert_cmpstr (error->message, ==,
                   "The clipboard holds 1 byte but 3 are selected: pasting over a selection needs the same length");
  g_assert_cmpuint (wt_byte_at (f.doc, 20), ==, 20);
  fixture_close (&f);
}

static void
test_select_all (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.select-all", NULL);
  assert_selection (&f, 0, 1000);
  fixture_close (&f);
}

static gboolean
scrolled_down (gpointer view)
{
  gint64 start, end;

  maphex_hex_view_get_selection (view, &start, &end);
  return maphex_hex_view_get_top_row (view) > 2 &&
         end > (maphex_hex_view_get_top_row (view) + _maphex_hex_view_get_visible_rows (view) - 1) * 16;
}

static void
test_click_and_drag (void)
{
  Fixture f = { 0 };
  graphene_rect_t r;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 4096);

  /* Click the low nibble of byte 0x15 in the hex column. */
  g_assert_true (_maphex_hex_view_get_cell_rect (f.view, 0x15, MAPHEX_HEX_VIEW_COLUMN_HEX, &r));
  _maphex_hex_view_press (f.view, r.origin.x + r.size.width * 0.75, r.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x15);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_HEX);
  g_assert_cmpuint (_maphex_hex_view_get_nibble (f.view), ==, 1);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f.view)));

  /* Click in the text column, then drag to byte 0x29. */
  g_assert_true (_maphex_hex_view_get_cell_rect (f.view, 0x05, MAPHEX_HEX_VIEW_COLUMN_TEXT, &r));
  _maphex_hex_view_press (f.view, r.origin.x + 1, r.origin.y + 2, FALSE);
  g_assert_cmpint (maphex_hex_view_get_column (f.view), ==, MAPHEX_HEX_VIEW_COLUMN_TEXT);
  assert_selection (&f, 5, 5);
  g_assert_true (_maphex_hex_view_get_cell_rect (f.view, 0x29, MAPHEX_HEX_VIEW_COLUMN_TEXT, &r));
  _maphex_hex_view_drag_to (f.view, r.origin.x + 1, r.origin.y + 2);
  assert_selection (&f, 5, 0x2a);

  /* Dragging back before the start selects backwards, the start byte included. */
  g_assert_true (_maphex_hex_view_get_cell_rect (f.view, 2, MAPHEX_HEX_VIEW_COLUMN_TEXT, &r));
  _maphex_hex_view_drag_to (f.view, r.origin.x + 1, r.origin.y + 2);
  assert_selection (&f, 2, 6);

  /* Holding the pointer below the view scrolls it and keeps selecting. */
  _maphex_hex_view_press (f.view, r.origin.x + 1, r.origin.y + 2, FALSE);
  _maphex_hex_view_drag_to (f.view, r.origin.x + 1, gtk_widget_get_height (GTK_WIDGET (f.view)) + 40);
  wt_wait_until (scrolled_down, f.view);
  _maphex_hex_view_drag_to (f.view, r.origin.x + 1, r.origin.y + 2);   /* back inside: stops */
  _maphex_hex_view_press (f.view, r.origin.x + 1, r.origin.y + 2, FALSE);
  maphex_hex_view_select_range (f.view, 2, 6);
  g_object_set (f.view, "top-row", (gint64) 0, NULL);

  /* Shift+click extends from the selection's start. */
  g_assert_true (_maphex_hex_view_get_cell_rect (f.view, 0x30, MAPHEX_HEX_VIEW_COLUMN_HEX, &r));
  _maphex_hex_view_press (f.view, r.origin.x + 1, r.origin.y + 2, TRUE);
  assert_selection (&f, 2, 0x31);
  fixture_close (&f);
}

static void
test_scroll_to_last_byte_of_1tib (void)
{
  Fixture f = { 0 };
  g_autoptr(GskRenderNode) node = NULL;
  gint64 vis;

  fixture_open_full (&f, MAPHEX_MODE_READ_ONLY, (const guint8 *) "head", 4, TIB);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, TIB);
  vis = _maphex_hex_view_get_visible_rows (f.view);

  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, TIB - 1);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, (TIB - 1) / 16 - vis + 1);
  node = snapshot_view (&f);
  g_assert_nonnull (node);

  /* The last rows are reachable through the top-row property (the scrollbar's
   * adjustment) too, and clamp there. */
  g_object_set (f.view, "top-row", G_MAXINT64 / 2, NULL);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, TIB / 16 + 1 - vis);

  /* Select All works; copying a terabyte is refused with a message, not attempted. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.select-all", NULL);
  assert_selection (&f, 0, TIB);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.copy-hex", NULL);
  g_assert_cmpuint (f.n_failed, ==, 1);
  g_assert_nonnull (strstr (f.failure->message, "too large to copy"));

  key (&f, GDK_KEY_Home, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0);
  maphex_hex_view_scroll_to_offset (f.view, TIB / 2);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, TIB / 2 / 16 - vis + 1);
  fixture_close (&f);
}

static guint
count_all_nodes (GskRenderNode *node)
{
  guint n = 1;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_all_nodes (gsk_container_node_get_child (node, i));
      break;
    case GSK_CLIP_NODE:
      n += count_all_nodes (gsk_clip_node_get_child (node));
      break;
    case GSK_ROUNDED_CLIP_NODE:
      n += count_all_nodes (gsk_rounded_clip_node_get_child (node));
      break;
    case GSK_TRANSFORM_NODE:
      n += count_all_nodes (gsk_transform_node_get_child (node));
      break;
    default:
      break;
    }
  return n;
}

/* The whole widget's snapshot (rows and scrollbar), as GTK asks for it. */
static GskRenderNode *
snapshot_widget (Fixture *f)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (f->view)->snapshot (GTK_WIDGET (f->view), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* A snapshot straight after a scroll, before GTK's layout phase (the frame
 * benchmark takes them so): the scrollbar's slider has no allocation yet and
 * GTK warned "Trying to snapshot GtkGizmo without a current allocation"
 * (fatal in tests). After the next frame the scrollbar is drawn again. */
static void
test_snapshot_right_after_scroll_does_not_warn (void)
{
  Fixture f = { 0 };
  GskRenderNode *node;
  guint stale = 0;

  fixture_open_full (&f, MAPHEX_MODE_READ_ONLY, (const guint8 *) "head", 4, TIB);
  for (int i = 1; i <= 8; i++)
    {
      maphex_hex_view_scroll_to_offset (f.view, TIB / 8 * i - 1);
      node = snapshot_widget (&f);
      g_assert_nonnull (node);
      stale = count_all_nodes (node);
      gsk_render_node_unref (node);
    }

  /* After a frame the scrollbar (trough, slider) is part of the snapshot. */
  g_assert_true (wt_wait_for_frame (GTK_WIDGET (f.view)));
  node = snapshot_widget (&f);
  g_assert_cmpuint (count_all_nodes (node), >, stale);
  gsk_render_node_unref (node);
  fixture_close (&f);
}

static GtkPopoverMenu *
find_context_menu (MaphexHexView *view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      return GTK_POPOVER_MENU (child);
  return NULL;
}

static gboolean
model_has_action (GMenuModel *model, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL && model_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_visible (gpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

/* Copy (hex or raw), Paste, Undo, Redo and Select All are in a context menu
 * (right click, Menu key, Shift+F10), not only behind shortcuts. */
static void
test_context_menu_offers_view_actions (void)
{
  Fixture f = { 0 };
  GtkPopoverMenu *menu;
  GMenuModel *model;
  static const char *actions[] = { "view.undo", "view.redo", "view.copy-hex", "view.copy-raw",
                                   "view.paste", "view.select-all" };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  menu = find_context_menu (f.view);
  g_assert_nonnull (menu);
  model = gtk_popover_menu_get_menu_model (menu);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (model_has_action (model, actions[i]));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (menu)));

  maphex_hex_view_set_cursor (f.view, 0x42, FALSE);
  /* What Shift+F10 and the Menu key run. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "view.context-menu", NULL);
  wt_wait_until (is_visible, menu);
  /* The menu's entries reach the view's actions: Select All selects. */
  gtk_widget_activate_action (GTK_WIDGET (menu), "view.select-all", NULL);
  assert_selection (&f, 0, 256);
  gtk_popover_popdown (GTK_POPOVER (menu));
  fixture_close (&f);
}

static void
test_offset_column_grows (void)
{
  Fixture small = { 0 }, big = { 0 };
  int small_width, big_width;

  fixture_open (&small, MAPHEX_MODE_READ_ONLY, 100);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (small.view), ==, 8);
  gtk_widget_measure (GTK_WIDGET (small.view), GTK_ORIENTATION_HORIZONTAL, -1, &small_width, NULL, NULL, NULL);

  fixture_open_full (&big, MAPHEX_MODE_READ_ONLY, NULL, 0, TIB);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (big.view), ==, 10);   /* FFFFFFFFFF */
  gtk_widget_measure (GTK_WIDGET (big.view), GTK_ORIENTATION_HORIZONTAL, -1, &big_width, NULL, NULL, NULL);
  g_assert_cmpint (big_width, >, small_width);
  fixture_close (&small);
  fixture_close (&big);

  /* Exactly 4 GiB still fits 8 digits (last offset FFFFFFFF); one more byte does not. */
  fixture_open_full (&small, MAPHEX_MODE_READ_ONLY, NULL, 0, G_GINT64_CONSTANT (1) << 32);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (small.view), ==, 8);
  fixture_close (&small);
  fixture_open_full (&small, MAPHEX_MODE_READ_ONLY, NULL, 0, (G_GINT64_CONSTANT (1) << 32) + 1);
  g_assert_cmpuint (_maphex_hex_view_get_offset_digits (small.view), ==, 9);
  fixture_close (&small);
}

static void
test_empty_file (void)
{
  Fixture f = { 0 };
  g_autoptr(GskRenderNode) node = NULL;

  fixture_open_full (&f, MAPHEX_MODE_COPY_ON_WRITE, NULL, 0, 0);
  key (&f, GDK_KEY_Right, 0);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);
  type (&f, "a");
  g_assert_cmpuint (f.n_failed, ==, 1);
  node = snapshot_view (&f);
  fixture_close (&f);
}

static void
test_shrunk_file_draws_without_crashing (void)
{
  Fixture f = { 0 };
  g_autoptr(GskRenderNode) node = NULL;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY, 64 * 1024);
  maphex_hex_view_set_cursor (f.view, 32 * 1024, FALSE);
  /* Another program cuts the file under the map: reads fault, the view draws "??". */
  g_assert_cmpint (truncate (f.path, 0), ==, 0);
  node = snapshot_view (&f);
  g_assert_nonnull (node);
  wt_drain ();
  fixture_close (&f);
}

static void
frame_count (const guint8 *data, gsize len, gint64 sparse_length, gint64 cursor, NodeCount *count)
{
  Fixture f = { 0 };
  g_autoptr(GskRenderNode) node = NULL;

  fixture_open_full (&f, MAPHEX_MODE_READ_ONLY, data, len, sparse_length);
  maphex_hex_view_set_cursor (f.view, cursor, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (f.view));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f.view)));
  node = snapshot_view (&f);
  g_assert_nonnull (node);
  count_nodes (node, count);
  fixture_close (&f);
}

static void
test_frame_draws_only_visible_rows (void)
{
  guint8 data[4096];
  NodeCount small = { 0 }, huge = { 0 };

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 37);
  frame_count (data, sizeof data, 0, 2048, &small);
  frame_count (data, sizeof data, TIB, TIB / 2, &huge);

  /* Three text nodes per visible row (offset, hex, text) and one for the
   * character under the (focused, solid) cursor: the same for 4 KiB and 1 TiB. */
  g_assert_cmpuint (small.text_nodes, >, 3 * 10);
  g_assert_cmpuint (small.text_nodes, ==, huge.text_nodes);
  g_assert_cmpuint (small.text_nodes % 3, ==, 1);
  /* No glyph may be flagged as a color glyph: a plain font draws those as nothing. */
  g_assert_cmpuint (small.color_glyph_nodes, ==, 0);
  g_assert_cmpuint (huge.color_glyph_nodes, ==, 0);
}

static void
test_length_change_clamps_cursor_and_scroll_range (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 vis;

  f.doc = maphex_document_new_scratch (4096, &error);
  g_assert_no_error (error);
  fixture_show (&f, 800, 400);
  vis = _maphex_hex_view_get_visible_rows (f.view);

  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4095);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 4095 / 16 - vis + 1);

  /* Shrink with the view's own export: it is taken again, the cursor and the
   * top row are clamped to the new length. */
  g_assert_true (maphex_document_resize (f.doc, maphex_hex_view_get_export (f.view), 100, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 100);
  g_assert_nonnull (maphex_hex_view_get_export (f.view));
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 100);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 99);

  /* Grow: the new bytes are reachable. */
  g_assert_true (maphex_document_resize (f.doc, maphex_hex_view_get_export (f.view), 100000, &error));
  g_assert_no_error (error);
  key (&f, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 99999);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 99999 / 16 - vis + 1);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);
  gsk_render_node_unref (snapshot_view (&f));
  fixture_close (&f);
}

static void
test_set_document_moves_the_export (void)
{
  Fixture f = { 0 };
  g_autoptr(MaphexDocument) other = NULL;
  g_autoptr(GError) error = NULL;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  other = maphex_document_new_scratch (64, &error);
  g_assert_no_error (error);
  maphex_hex_view_set_cursor (f.view, 200, FALSE);

  maphex_hex_view_set_document (f.view, other);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);
  g_assert_cmpuint (maphex_document_get_n_exports (other), ==, 1);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);

  maphex_hex_view_set_document (f.view, NULL);
  g_assert_cmpuint (maphex_document_get_n_exports (other), ==, 0);
  g_assert_null (maphex_hex_view_get_export (f.view));
  g_assert_null (snapshot_view (&f));
  fixture_close (&f);
}

/* Find and go to jump with maphex_hex_view_jump_to(): a target off screen
 * lands in the middle of the view, not at its bottom edge; one on screen
 * does not move the view; the cursor keys still scroll as little as they
 * can. */
static void
test_jump_centres_a_target_off_screen (void)
{
  Fixture f = { 0 };
  gint64 vis, top;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 65536);
  vis = _maphex_hex_view_get_visible_rows (f.view);
  g_assert_cmpint (vis, >, 4);

  /* A match on row 800: centred, selected, the cursor at its start. */
  maphex_hex_view_jump_to (f.view, 800 * 16 + 3, 800 * 16 + 7);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 800 - (vis - 1) / 2);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 800 * 16 + 3);
  assert_selection (&f, 800 * 16 + 3, 800 * 16 + 7);

  /* On screen already: the view stays. */
  top = maphex_hex_view_get_top_row (f.view);
  maphex_hex_view_jump_to (f.view, (top + 1) * 16, (top + 1) * 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, top);
  assert_selection (&f, (top + 1) * 16, (top + 1) * 16);

  /* A range of three rows off screen: the three rows are centred. */
  maphex_hex_view_jump_to (f.view, 2000 * 16, 2003 * 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 2000 - (vis - 3) / 2);

  /* Near either end the view stops at the file's ends (the last row is the
   * one just past the end, where the cursor may go). */
  maphex_hex_view_jump_to (f.view, 16, 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 0);
  maphex_hex_view_jump_to (f.view, 65535, 65535);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 4097 - vis);

  /* The keyboard keeps the minimal scroll: Down from the last visible row
   * scrolls one row. */
  maphex_hex_view_jump_to (f.view, 1000 * 16, 1000 * 16);
  top = maphex_hex_view_get_top_row (f.view);
  maphex_hex_view_set_cursor (f.view, (top + vis - 1) * 16, FALSE);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, top);
  key (&f, GDK_KEY_Down, 0);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, top + 1);

  /* select_range() and set_cursor() still scroll only just into view. */
  maphex_hex_view_select_range (f.view, 3000 * 16, 3000 * 16 + 2);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), ==, 3000 - vis + 1);
  fixture_close (&f);
}

/* Assistive technologies learn the view's role and, as the cursor moves or
 * the byte under it changes, its offset, the byte and the selection. */
static void
assert_description (MaphexHexView *view, const char *expected)
{
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view),
                                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                              expected);
  if (diff != NULL)
    g_error ("accessible description: %s", diff);
}

static void
test_accessible_cursor (void)
{
  Fixture f = { 0 };
  g_autofree char *diff = NULL;
  guint8 byte = 0xAB;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 256);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (f.view), GTK_ACCESSIBLE_ROLE_TEXT_BOX));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (f.view), GTK_ACCESSIBLE_PROPERTY_LABEL));
  diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.view), GTK_ACCESSIBLE_PROPERTY_READ_ONLY, FALSE);
  g_assert_null (diff);
  assert_description (f.view, "Offset 0x0 (0), byte 0x00 (0)");

  maphex_hex_view_set_cursor (f.view, 0x4D, FALSE);
  assert_description (f.view, "Offset 0x4D (77), byte 0x4D (77)");
  maphex_hex_view_set_cursor (f.view, 0x50, TRUE);
  assert_description (f.view, "Offset 0x50 (80), byte 0x50 (80), 3 bytes selected");
  key (&f, GDK_KEY_Right, GDK_SHIFT_MASK);
  assert_description (f.view, "Offset 0x51 (81), byte 0x51 (81), 4 bytes selected");

  /* An edit under the cursor (here by the document, as another view's
   * would be) is told too. */
  maphex_hex_view_set_cursor (f.view, 0x10, FALSE);
  g_assert_true (maphex_document_replace (f.doc, 0x10, &byte, 1, NULL));
  assert_description (f.view, "Offset 0x10 (16), byte 0xAB (171)");

  maphex_hex_view_set_cursor (f.view, 256, FALSE);
  assert_description (f.view, "Offset 0x100 (256), end of file");
  fixture_close (&f);

  fixture_open (&f, MAPHEX_MODE_READ_ONLY, 16);
  diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f.view), GTK_ACCESSIBLE_PROPERTY_READ_ONLY, TRUE);
  g_assert_null (diff);
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  /* The suite runs with GTK_A11Y=none (no accessibility bus under Xvfb);
   * GTK's test backend records what the view tells assistive technologies. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hex-view/export-held-while-mapped", test_export_held_while_mapped);
  g_test_add_func ("/hex-view/cursor-keys", test_cursor_keys);
  g_test_add_func ("/hex-view/left-right-move-by-nibble", test_left_right_move_by_nibble);
  g_test_add_func ("/hex-view/text-typing-writes-utf8", test_text_typing_writes_utf8);
  g_test_add_func ("/hex-view/go-to-end-lands-where-ctrl-end-does", test_go_to_end_lands_where_ctrl_end_does);
  g_test_add_func ("/hex-view/shift-extends-selection", test_shift_extends_selection);
  g_test_add_func ("/hex-view/shift-ctrl-end-selects-to-file-end", test_shift_end_selects_to_file_end);
  g_test_add_func ("/hex-view/hex-typing-writes-nibbles", test_hex_typing_writes_nibbles);
  g_test_add_func ("/hex-view/text-typing-writes-bytes", test_text_typing_writes_bytes);
  g_test_add_func ("/hex-view/another-edit-ends-the-typing-run", test_another_edit_ends_the_typing_run);
  g_test_add_func ("/hex-view/typing-past-end-fails", test_typing_at_end_fails);
  g_test_add_func ("/hex-view/typing-past-end-of-growable-file-says-insert",
                   test_typing_at_end_of_growable_file_says_insert);
  g_test_add_func ("/hex-view/read-only-refuses-with-edit-failed", test_read_only_refuses_with_edit_failed);
  g_test_add_func ("/hex-view/copy-hex", test_copy_hex);
  g_test_add_func ("/hex-view/copy-raw-then-paste-round-trips", test_copy_raw_then_paste_round_trips);
  g_test_add_func ("/hex-view/paste-same-length-rule", test_paste_same_length_rule);
  g_test_add_func ("/hex-view/select-all", test_select_all);
  g_test_add_func ("/hex-view/click-and-drag", test_click_and_drag);
  g_test_add_func ("/hex-view/scroll-to-last-byte-of-1tib", test_scroll_to_last_byte_of_1tib);
  g_test_add_func ("/hex-view/snapshot-right-after-scroll-does-not-warn",
                   test_snapshot_right_after_scroll_does_not_warn);
  g_test_add_func ("/hex-view/context-menu-offers-view-actions", test_context_menu_offers_view_actions);
  g_test_add_func ("/hex-view/offset-column-grows", test_offset_column_grows);
  g_test_add_func ("/hex-view/empty-file", test_empty_file);
  g_test_add_func ("/hex-view/shrunk-file-draws-without-crashing", test_shrunk_file_draws_without_crashing);

  g_test_add_func ("/hex-view/frame-draws-only-visible-rows", test_frame_draws_only_visible_rows);
  g_test_add_func ("/hex-view/length-change-clamps-cursor-and-scroll-range",
                   test_length_change_clamps_cursor_and_scroll_range);
  g_test_add_func ("/hex-view/set-document-moves-the-export", test_set_document_moves_the_export);
  g_test_add_func ("/hex-view/jump-centres-a-target-off-screen", test_jump_centres_a_target_off_screen);
  g_test_add_func ("/hex-view/accessible-cursor", test_accessible_cursor);

  return g_test_run ();
}
