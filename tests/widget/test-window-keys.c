/* test-window-keys.c: keys on the main window's hex view that act through the
 * window (Delete, Insert), with a real application and files, under Xvfb. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-document.h"
#include "maphex-window-private.h"

static MaphexApplication *app;
static char *tmp_dir;

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (done (data));
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

static GFile *
make_file (const char *name, gsize len)
{
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static MaphexWindow *
open_window (GFile *file, MaphexMode mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wait_until (is_mapped, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static void
destroy_all_windows (void)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
assert_notice (MaphexWindow *window, const char *part)
{
  g_assert_true (gtk_revealer_get_reveal_child (window->notice_revealer));
  g_assert_nonnull (strstr (gtk_label_get_text (window->notice_label), part));
}

/* Delete and Insert where they cannot run said nothing at all (a disabled
 * action ignores its key): now a notice says why, and nothing changes. */
static void
test_delete_and_insert_keys_say_why_they_cannot_run (void)
{
  g_autoptr(GFile) cow_file = make_file ("keys-cow.bin", 64);
  g_autoptr(GFile) ro_file = make_file ("keys-ro.bin", 64);
  g_autoptr(GFile) wt_file = make_file ("keys-wt.bin", 64);
  MaphexWindow *window;
  MaphexHexView *view;

  window = open_window (cow_file, MAPHEX_MODE_COPY_ON_WRITE);
  view = maphex_window_get_view (window);
  maphex_hex_view_select_range (view, 0, 4);
  _maphex_window_length_key (window, "win.delete");
  assert_notice (window, "Copy-on-write");
  _maphex_window_length_key (window, "win.insert");
  assert_notice (window, "Copy-on-write");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);
  g_assert_false (maphex_document_get_modified (window->document));

  window = open_window (ro_file, MAPHEX_MODE_READ_ONLY);
  maphex_hex_view_select_range (maphex_window_get_view (window), 0, 4);
  _maphex_window_length_key (window, "win.delete");
  assert_notice (window, "Read-only");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);

  /* Write-through: Delete with nothing selected says to select; with a
   * selection it deletes. */
  window = open_window (wt_file, MAPHEX_MODE_WRITE_THROUGH);
  view = maphex_window_get_view (window);
  maphex_hex_view_set_cursor (view, 8, FALSE);
  _maphex_window_length_key (window, "win.delete");
  assert_notice (window, "Select the bytes");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 64);
  maphex_hex_view_select_range (view, 0, 4);
  _maphex_window_length_key (window, "win.delete");
  g_assert_cmpint (maphex_document_get_length (window->document), ==, 60);

  destroy_all_windows ();
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GSETTINGS_SCHEMA_DIR", MAPHEX_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("maphex-keys-XXXXXX", &error);
  g_assert_no_error (error);

  app = maphex_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window-keys/delete-and-insert-say-why-they-cannot-run",
                   test_delete_and_insert_keys_say_why_they_cannot_run);

  status = g_test_run ();
  g_clear_object (&app);
  remove_tmp_dir ();
  g_free (tmp_dir);
  return status;
}
