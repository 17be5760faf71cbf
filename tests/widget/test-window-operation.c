/* test-window-operation.c: the main window while the document runs a long
 * operation, with a real application under Xvfb: the operation bar shows
 * only after 100 ms, with the name, bytes done and Cancel; the window keeps
 * painting, scrolling and updating its status bar meanwhile; Cancel puts the
 * file back; closing asks whether to cancel or wait.
 *
 * The runner's chunks are made small and slow (a chunk hook sleeps), so an
 * insert into a 16 MiB file runs for two seconds or more, deterministically. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "maphex-application.h"
#include "maphex-document-private.h"
#include "maphex-operation-dialog.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

#define FILE_SIZE (16 << 20)
#define CHUNK     (64 << 10)

static MaphexApplication *app;
static char *tmp_dir;
static guint file_counter;

static void
slow_chunk (MaphexDocument *doc, guint chunk, gpointer data)
{
  g_usleep (8000);
}

static GFile *
new_file (GBytes **contents)
{
  g_autofree char *name = g_strdup_printf ("op-%u.bin", ++file_counter);
  GFile *file = wt_make_counting_file (tmp_dir, name, FILE_SIZE);
  g_autofree char *path = g_file_get_path (file);
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  *contents = g_bytes_new_take (data, len);
  return file;
}

static void
assert_file_is (GFile *file, GBytes *expected)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpmem (data, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static MaphexWindow *
open_window (GFile *file)
{
  GtkWindow *window = maphex_application_open_file (app, file, MAPHEX_MODE_WRITE_THROUGH,
                                                    NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped_and_allocated, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

/* Inserts 1 zero byte at the cursor the way the user does: the Insert
 * dialog, accepted. */
static void
start_insert (MaphexWindow *window)
{
  MaphexOperationDialog *dialog =
    maphex_operation_dialog_new (GTK_WINDOW (window), MAPHEX_OPERATION_INSERT,
                                 maphex_window_get_view (window));

  gtk_window_present (GTK_WINDOW (dialog));
  maphex_operation_dialog_set_field (dialog, 0, "1");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  g_assert_true (maphex_document_get_busy (maphex_window_get_document (window)));
}

static gboolean
is_idle (gpointer doc)
{
  return !maphex_document_get_busy (doc);
}

static gboolean
bar_revealed (gpointer window)
{
  return gtk_revealer_get_reveal_child (MAPHEX_WINDOW (window)->operation_revealer);
}

typedef struct {
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticks;

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Ticks *t = data;
  gint64 now = g_get_monotonic_time ();

  if (t->last > 0)
    t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* MAPHEX_TEST_SCREENSHOT=file.png: the window as it is drawn now, for a look. */
static void
save_screenshot (GtkWidget *window, const char *path)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* ---- tests -------------------------------------------------------------- */

/* While a long insert runs the window paints every frame, scrolls, says
 * where the cursor is, and shows the operation bar (only after 100 ms) with
 * its name and the bytes done; Cancel puts every byte back. */
static void
test_window_stays_responsive_and_cancel_restores (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GFile) file = new_file (&before);
  MaphexWindow *window = open_window (file);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  Ticks ticks = { 0 };
  guint tick_id;
  gint64 start, reveal_at;

  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (view), tick_cb, &ticks, NULL);
  maphex_hex_view_set_cursor (view, 0, FALSE);
  start = g_get_monotonic_time ();
  start_insert (window);
  /* Quick work shows nothing: not at once. */
  g_assert_false (bar_revealed (window));

  wt_wait_until (bar_revealed, window);
  reveal_at = g_get_monotonic_time ();
  g_assert_cmpint (reveal_at - start, >=, 100 * 1000);
  g_assert_true (maphex_document_get_busy (doc));
  g_assert_nonnull (strstr (gtk_label_get_text (window->operation_label), "Inserting"));
  g_assert_nonnull (strstr (gtk_progress_bar_get_text (window->operation_progress), " of "));

  /* Scrolling and the status bar follow at once. */
  maphex_hex_view_set_cursor (view, 0x800000, FALSE);
  wt_pump ();
  g_assert_nonnull (strstr (gtk_label_get_text (window->offset_label), "0x800000"));
  g_assert_cmpint (maphex_hex_view_get_top_row (view), >, 0);
  /* Edits say why not. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (maphex_document_replace (doc, 0, (const guint8 *) "x", 1, &error));
    g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  }
  /* Frames keep coming while it runs: no gap between two frames, nor
   * before the first or after the last, as long as 250 ms. How many frames
   * fit in the time depends on how fast this machine draws (a sanitizer
   * build draws a full-screen frame in about 100 ms), so the count only
   * has to show that frames came at all. */
  ticks.max_gap = 0;
  ticks.ticks = 0;
  ticks.last = g_get_monotonic_time ();
  while (g_get_monotonic_time () - reveal_at < 800 * 1000)
    g_main_context_iteration (NULL, TRUE);
  ticks.max_gap = MAX (ticks.max_gap, g_get_monotonic_time () - ticks.last);
  g_assert_true (maphex_document_get_busy (doc));
  g_test_message ("%u frames in 800 ms, longest gap %.1f ms", ticks.ticks, ticks.max_gap / 1000.0);
  g_assert_cmpuint (ticks.ticks, >=, 3);
  g_assert_cmpint (ticks.max_gap, <, 250 * 1000);

  if (g_getenv ("MAPHEX_TEST_SCREENSHOT") != NULL)
    save_screenshot (GTK_WIDGET (window), g_getenv ("MAPHEX_TEST_SCREENSHOT"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-operation", NULL);
  wt_wait_until (is_idle, doc);
  g_assert_false (bar_revealed (window));
  g_assert_cmpint (maphex_document_get_length (doc), ==, FILE_SIZE);
  g_assert_false (maphex_document_get_can_undo (doc));
  assert_file_is (file, before);
  gtk_widget_remove_tick_callback (GTK_WIDGET (view), tick_id);
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* Closing during the operation asks; "Wait" keeps the window and lets it
 * finish; "Cancel It and Close" cancels, and the window closes once the
 * file is back as it was. */
static void
test_close_during_an_operation_asks (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GFile) file = new_file (&before);
  MaphexWindow *window = open_window (file);
  MaphexDocument *doc = g_object_ref (maphex_window_get_document (window));
  AdwMessageDialog *dialog;

  start_insert (window);
  gtk_window_close (GTK_WINDOW (window));
  wt_wait_until (wt_has_message_dialog, window);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "wait");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "cancel-and-close"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  wt_answer_message_dialog (dialog, "wait");
  wt_wait_until (is_idle, doc);
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (maphex_document_get_length (doc), ==, FILE_SIZE + 1);
  g_assert_true (maphex_document_get_can_undo (doc));

  /* Undo is a long run too: close meanwhile, and cancel it. */
  gtk_widget_activate_action (GTK_WIDGET (maphex_window_get_view (window)), "view.undo", NULL);
  g_assert_true (maphex_document_get_busy (doc));
  gtk_window_close (GTK_WINDOW (window));
  wt_wait_until (wt_has_message_dialog, window);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  wt_answer_message_dialog (dialog, "cancel-and-close");
  wt_wait_until (no_windows, NULL);
  g_assert_false (maphex_document_get_busy (doc));
  /* The undo was cancelled: the file still holds the insert. */
  g_assert_cmpint (maphex_document_get_length (doc), ==, FILE_SIZE + 1);
  g_object_unref (doc);
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-op-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));
  _maphex_document_run_set_chunk_size (CHUNK);
  _maphex_document_run_set_chunk_hook (slow_chunk, NULL);

  g_test_add_func ("/window-operation/stays-responsive-and-cancel-restores",
                   test_window_stays_responsive_and_cancel_restores);
  g_test_add_func ("/window-operation/close-during-an-operation-asks",
                   test_close_during_an_operation_asks);

  status = g_test_run ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
