/* test-recent.c: recent files with a real application under Xvfb, in a
 * recent list of the test's own ($XDG_DATA_HOME in a temporary directory):
 * a file opened in Maphex is listed on the start page and in the Open
 * Recent menu, most recent first; activating a row opens it; a file that is
 * gone is shown dimmed, and choosing it says so and takes it off the list;
 * other programs' recent files are not Maphex's. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-recent.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;
static guint counter;

static GFile *
new_file (const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "MZ\x90\x00 recent", 10, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GPtrArray *
row_titles (MaphexWindow *window)
{
  GPtrArray *titles = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (window->recent_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (titles, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return titles;
}

static GtkWidget *
row_titled (MaphexWindow *window,
            const char   *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (window->recent_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

typedef struct {
  MaphexWindow *window;
  const char   *title;
  gboolean      present;
} RowWait;

static gboolean
row_is (gpointer data)
{
  RowWait *w = data;

  return (row_titled (w->window, w->title) != NULL) == w->present;
}

static void
wait_for_row (MaphexWindow *window,
              const char   *title,
              gboolean      present)
{
  RowWait w = { window, title, present };

  wt_wait_until (row_is, &w);
}

/* The menu's Open Recent items: their labels and targets. */
static guint
menu_index_of (MaphexWindow *window,
               const char   *uri)
{
  GMenuModel *menu = G_MENU_MODEL (window->recent_menu);

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GVariant) target =
        g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), uri) == 0)
        return (guint) i;
    }
  return G_MAXUINT;
}

static gboolean
window_has_document (gpointer data)
{
  return maphex_window_get_document (MAPHEX_WINDOW (data)) != NULL;
}

static MaphexWindow *
present_empty_window (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);

  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);
  return window;
}

/* Opened files are listed, newest first, on the start page and in the
 * menu; the start page's first row has the focus, so Enter reopens the
 * last file; activating a row opens the file in that window. */
static void
test_opened_files_are_listed_and_reopen (void)
{
  g_autofree char *name_a = g_strdup_printf ("first_%u.bin", ++counter);
  g_autofree char *name_b = g_strdup_printf ("second_%u.bin", counter);
  g_autoptr(GFile) a = new_file (name_a);
  g_autoptr(GFile) b = new_file (name_b);
  g_autofree char *uri_a = g_file_get_uri (a);
  g_autofree char *uri_b = g_file_get_uri (b);
  g_autoptr(GPtrArray) titles = NULL;
  MaphexWindow *empty;
  GtkWindow *opened;

  opened = maphex_application_open_file (app, a, MAPHEX_MODE_READ_ONLY, NULL, NULL, NULL);
  g_assert_nonnull (opened);
  /* GTK orders by modification time in seconds. */
  g_usleep (1100 * 1000);
  g_assert_nonnull (maphex_application_open_file (app, b, MAPHEX_MODE_READ_ONLY, NULL, NULL, NULL));
  wt_destroy_app_windows (GTK_APPLICATION (app));

  empty = present_empty_window ();
  wait_for_row (empty, name_a, TRUE);
  wait_for_row (empty, name_b, TRUE);
  g_assert_true (gtk_widget_get_visible (empty->recent_group));
  titles = row_titles (empty);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, name_b);
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, name_a);
  /* The folder is the subtitle. */
  {
    g_autofree char *folder = g_path_get_basename (tmp_dir);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_titled (empty, name_a))),
                              folder));
  }
  g_assert_cmpuint (menu_index_of (empty, uri_b), ==, 0);
  g_assert_cmpuint (menu_index_of (empty, uri_a), ==, 1);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (empty)) == row_titled (empty, name_b));

  gtk_widget_activate (row_titled (empty, name_a));
  wt_wait_until (window_has_document, empty);
  g_assert_true (g_file_equal (maphex_document_get_file (maphex_window_get_document (empty)), a));
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* A recent file that was deleted is dimmed and says so; choosing it tells
 * the user and takes it off the list, and the window stays empty. */
static void
test_a_gone_file_is_dimmed_and_taken_off (void)
{
  g_autofree char *name = g_strdup_printf ("gone_%u.bin", ++counter);
  g_autoptr(GFile) file = new_file (name);
  g_autofree char *uri = g_file_get_uri (file);
  MaphexWindow *window;
  GtkWidget *row;

  maphex_recent_add (file);
  g_assert_cmpint (g_unlink (g_file_peek_path (file)), ==, 0);
  window = present_empty_window ();
  wait_for_row (window, name, TRUE);
  row = row_titled (window, name);
  g_assert_true (gtk_widget_has_css_class (row, "dim-label"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "not found"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", uri));
  g_assert_nonnull (_maphex_window_get_notice (window));
  g_assert_nonnull (strstr (_maphex_window_get_notice (window), name));
  g_assert_nonnull (strstr (_maphex_window_get_notice (window), "not there any more"));
  wait_for_row (window, name, FALSE);
  g_assert_cmpuint (menu_index_of (window, uri), ==, G_MAXUINT);
  g_assert_false (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));
  g_assert_null (maphex_window_get_document (window));
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* A file another program used is not in Maphex's list; one Maphex used,
 * added at the same time, is. */
static void
test_only_maphex_files_are_listed (void)
{
  g_autofree char *name = g_strdup_printf ("other_%u.txt", ++counter);
  g_autofree char *own_name = g_strdup_printf ("own_%u.bin", counter);
  g_autoptr(GFile) file = new_file (name);
  g_autoptr(GFile) own = new_file (own_name);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *own_uri = g_file_get_uri (own);
  GtkRecentData data = { 0 };
  MaphexWindow *window;
  g_autolist(GtkRecentInfo) items = NULL;
  gboolean own_listed = FALSE;

  data.mime_type = (char *) "text/plain";
  data.app_name = (char *) "Text Editor";
  data.app_exec = (char *) "gnome-text-editor %u";
  g_assert_true (gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data));
  maphex_recent_add (own);
  items = maphex_recent_list (0);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_assert_cmpstr (gtk_recent_info_get_uri (l->data), !=, uri);
      own_listed |= g_strcmp0 (gtk_recent_info_get_uri (l->data), own_uri) == 0;
    }
  g_assert_true (own_listed);

  window = present_empty_window ();
  wait_for_row (window, own_name, TRUE);
  g_assert_null (row_titled (window, name));
  g_assert_cmpuint (menu_index_of (window, uri), ==, G_MAXUINT);
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* The order is when Maphex used a file: another program opening an older
 * one later does not move it first. */
static void
test_order_is_maphex_use_not_other_programs (void)
{
  g_autofree char *old_name = g_strdup_printf ("older_%u.bin", ++counter);
  g_autofree char *new_name = g_strdup_printf ("newer_%u.bin", counter);
  g_autoptr(GFile) older = new_file (old_name);
  g_autoptr(GFile) newer = new_file (new_name);
  g_autofree char *old_uri = g_file_get_uri (older);
  GtkRecentData data = { 0 };
  g_autolist(GtkRecentInfo) items = NULL;

  maphex_recent_add (older);
  /* GTK keeps times in seconds. */
  g_usleep (1100 * 1000);
  maphex_recent_add (newer);
  g_usleep (1100 * 1000);
  data.mime_type = (char *) "text/plain";
  data.app_name = (char *) "Text Editor";
  data.app_exec = (char *) "gnome-text-editor %u";
  g_assert_true (gtk_recent_manager_add_full (gtk_recent_manager_get_default (), old_uri, &data));

  items = maphex_recent_list (2);
  g_assert_cmpuint (g_list_length (items), ==, 2);
  g_assert_cmpstr (gtk_recent_info_get_display_name (items->data), ==, new_name);
  g_assert_cmpstr (gtk_recent_info_get_display_name (items->next->data), ==, old_name);
}

/* A window listens to the recent list once, however often its document
 * changes: edits do not add handlers that each rebuild the list. */
static void
test_a_window_listens_to_the_recent_list_once (void)
{
  g_autofree char *name = g_strdup_printf ("edits_%u.bin", ++counter);
  g_autoptr(GFile) file = new_file (name);
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  MaphexWindow *window;
  MaphexDocument *doc;
  guint handlers;

  window = MAPHEX_WINDOW (maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE,
                                                        NULL, NULL, NULL));
  g_assert_nonnull (window);
  doc = maphex_window_get_document (window);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (maphex_document_replace (doc, i, (const guint8 *) "x", 1, &error));
      g_assert_true (maphex_document_undo (doc, NULL, &error));
      g_assert_no_error (error);
    }
  handlers = g_signal_handlers_block_matched (manager, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, window);
  g_signal_handlers_unblock_matched (manager, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, window);
  g_assert_cmpuint (handlers, ==, 1);
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = NULL;
  int status;

  /* A recent list of the test's own, never the user's: set before GTK
   * (and GLib's cache of the user's data directory) starts. */
  data_home = g_dir_make_tmp ("maphex-recent-data-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-recent-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/recent/opened-files-are-listed-and-reopen", test_opened_files_are_listed_and_reopen);
  g_test_add_func ("/recent/a-gone-file-is-dimmed-and-taken-off", test_a_gone_file_is_dimmed_and_taken_off);
  g_test_add_func ("/recent/only-maphex-files-are-listed", test_only_maphex_files_are_listed);
  g_test_add_func ("/recent/order-is-maphex-use-not-other-programs", test_order_is_maphex_use_not_other_programs);
  g_test_add_func ("/recent/a-window-listens-to-the-recent-list-once", test_a_window_listens_to_the_recent_list_once);

  status = g_test_run ();
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  wt_remove_dir (data_home);
  g_free (tmp_dir);
  return status;
}
