/* test-window-keys.c: keys on the main window's hex view that act through the
 * window (Delete, Insert), with a real application and files, under Xvfb. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-document.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

static MaphexWindow *
open_window (GFile *file, MaphexMode mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static void
assert_notice (MaphexWindow *window, const char *part)
{
  g_assert_true ((_maphex_window_get_notice (window) != NULL));
  g_assert_nonnull (strstr (_maphex_window_get_notice (window), part));
}

/* Delete and Insert where they cannot run said nothing at all (a disabled
 * action ignores its key): now a notice says why, and nothing changes. */
static void
test_delete_and_insert_keys_say_why_they_cannot_run (void)
{
  g_autoptr(GFile) cow_file = wt_make_counting_file (tmp_dir, "keys-cow.bin", 64);
  g_autoptr(GFile) ro_file = wt_make_counting_file (tmp_dir, "keys-ro.bin", 64);
  g_autoptr(GFile) wt_file = wt_make_counting_file (tmp_dir, "keys-wt.bin", 64);
  MaphexWindow *window;
  MaphexHexView *view;

  window = open_window (cow_file, MAPHEX_MODE_COPY_ON_WRITE);
  view = maphex_window_get_view (window);
  maphex_hex_view_select_range (view, 0, 4);
  _maphex_window_length_key (window, "win.delete");
  wt_wait_for_operation (window->document);
  assert_notice (window, "Copy-on-write");
  _maphex_window_length_key (window, "win.insert");
  assert_notice (window, "Copy-on-write");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);
  g_assert_false (maphex_document_get_modified (window->document));

  window = open_window (ro_file, MAPHEX_MODE_READ_ONLY);
  maphex_hex_view_select_range (maphex_window_get_view (window), 0, 4);
  _maphex_window_length_key (window, "win.delete");
  wt_wait_for_operation (window->document);
  assert_notice (window, "Read-only");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);

  /* Write-through: Delete with nothing selected says to select; with a
   * selection it deletes. */
  window = open_window (wt_file, MAPHEX_MODE_WRITE_THROUGH);
  view = maphex_window_get_view (window);
  maphex_hex_view_set_cursor (view, 8, FALSE);
  _maphex_window_length_key (window, "win.delete");
  wt_wait_for_operation (window->document);
  assert_notice (window, "Select the bytes");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);
  maphex_hex_view_select_range (view, 0, 4);
  _maphex_window_length_key (window, "win.delete");
  wt_wait_for_operation (window->document);
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 60);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  int status;

  /* The schema compiled in the build directory. */
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-keys-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/window-keys/delete-and-insert-say-why-they-cannot-run",
                   test_delete_and_insert_keys_say_why_they_cannot_run);

  status = g_test_run ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
