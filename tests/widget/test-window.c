/* test-window.c: the main window (MaphexWindow) with a real application,
 * real files and windows on screen, under Xvfb: status bar, header bar,
 * which actions are enabled and why not, drag and drop, New View, Save As,
 * and the command line of the built program. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "maphex-application.h"
#include "maphex-document.h"
#include "maphex-hex-view-private.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

/* ---- helpers ------------------------------------------------------------ */

/* Opens `file` the way the application does and waits for its view. */
static MaphexWindow *
open_window (GFile *file, MaphexMode mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_nonnull (window);
  g_assert_true (MAPHEX_IS_WINDOW (window));
  g_assert_nonnull (maphex_window_get_view (MAPHEX_WINDOW (window)));
  wt_wait_until (wt_is_mapped, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static void
destroy_all_windows (void)
{
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static guint
count_maphex_windows (void)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data))
      n++;
  return n;
}

static const char *
label_text (GtkLabel *label)
{
  return gtk_label_get_text (label);
}

/* The widget under `root` that proxies `action_name` (a button in the
 * header bar or the Edit popover, which is its menu button's child): what
 * the user clicks. */
static GtkWidget *
find_actionable (GtkWidget *root, const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The entry of the primary menu labelled `text` (GtkPopoverMenu makes its
 * items without an action name: they follow the action through their
 * sensitivity). */
static GtkWidget *
find_menu_item (GtkWidget *root, const char *text)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (root), "GtkModelButton") == 0)
    {
      g_autofree char *item_text = NULL;

      g_object_get (root, "text", &item_text, NULL);
      if (g_strcmp0 (item_text, text) == 0)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_item (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the window's action is enabled, as the user sees it: the button
 * (header bar, Edit popover) or the menu entry that runs it is sensitive. */
static gboolean
action_enabled (MaphexWindow *window, const char *action_name)
{
  static const struct { const char *action, *text; } menu_items[] = {
    { "win.save-as", "Save As…" },
    { "win.new-view", "New View" },
    { "win.goto", "Go to Offset…" },
  };
  GtkWidget *button = find_actionable (GTK_WIDGET (window), action_name);

  for (gsize i = 0; button == NULL && i < G_N_ELEMENTS (menu_items); i++)
    if (g_str_equal (menu_items[i].action, action_name))
      button = find_menu_item (GTK_WIDGET (window->menu_button), menu_items[i].text);
  if (button == NULL)
    g_error ("nothing in the window runs %s", action_name);
  return gtk_widget_get_sensitive (button);
}

static void
type_hex (MaphexHexView *view, const char *digits)
{
  for (const char *p = digits; *p; p++)
    g_assert_true (_maphex_hex_view_handle_key (view, gdk_unicode_to_keyval ((guint32) *p), 0));
}

static gboolean
notice_shown (gpointer data)
{
  MaphexWindow *window = data;
  return (_maphex_window_get_notice (window) != NULL);
}

/* ---- status bar --------------------------------------------------------- */

static void
test_status_bar_shows_offset_selection_size_mode_and_modified (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "status.bin", 4096);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexHexView *view = maphex_window_get_view (window);

  g_assert_true (gtk_widget_get_visible (window->status_bar));
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x0 (0)");
  g_assert_cmpstr (label_text (window->selection_label), ==, "No selection");
  g_assert_cmpstr (label_text (window->size_label), ==, "4.0\xc2\xa0KiB (4096 bytes)");
  g_assert_cmpstr (label_text (window->mode_label), ==, "Copy-on-write");
  g_assert_cmpstr (label_text (window->modified_label), ==, "Saved");

  /* The cursor moves: hex and decimal follow. */
  maphex_hex_view_set_cursor (view, 0x1f, FALSE);
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x1F (31)");
  /* Right moves by nibble in the hex column: the low nibble, then the next byte. */
  g_assert_true (_maphex_hex_view_handle_key (view, GDK_KEY_Right, 0));
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x1F (31)");
  g_assert_true (_maphex_hex_view_handle_key (view, GDK_KEY_Right, 0));
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x20 (32)");

  /* A selection: its length in decimal and hex. */
  maphex_hex_view_select_range (view, 16, 16 + 300);
  g_assert_cmpstr (label_text (window->selection_label), ==, "Selected 300 (0x12C)");
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x10 (16)");
  maphex_hex_view_set_cursor (view, 2, FALSE);
  g_assert_cmpstr (label_text (window->selection_label), ==, "No selection");

  /* A byte typed: modified, and the cursor moved past it. */
  type_hex (view, "ab");
  g_assert_cmpuint (wt_byte_at (maphex_window_get_document (window), 2), ==, 0xab);
  g_assert_cmpstr (label_text (window->modified_label), ==, "Modified");
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x3 (3)");
  g_assert_cmpstr (label_text (window->size_label), ==, "4.0\xc2\xa0KiB (4096 bytes)");

  destroy_all_windows ();
}

static void
test_status_bar_follows_length_and_write_through_edits (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "status-wt.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexHexView *view = maphex_window_get_view (window);

  g_assert_cmpstr (label_text (window->size_label), ==, "64 bytes");
  g_assert_cmpstr (label_text (window->mode_label), ==, "Write-through");
  g_assert_cmpstr (label_text (window->modified_label), ==, "Saved");

  type_hex (view, "ff");
  g_assert_cmpstr (label_text (window->modified_label), ==, "Modified (written through)");

  /* Delete four bytes through the window's action: the size follows. */
  maphex_hex_view_select_range (view, 8, 12);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL));
  wt_wait_for_operation (maphex_window_get_document (window));
  g_assert_cmpint (maphex_document_get_length (maphex_window_get_document (window)), ==, 60);
  g_assert_cmpstr (label_text (window->size_label), ==, "60 bytes");
  g_assert_cmpstr (label_text (window->selection_label), ==, "No selection");
  g_assert_cmpstr (label_text (window->offset_label), ==, "Offset 0x8 (8)");

  destroy_all_windows ();
}

/* ---- mode in header bar and status bar ---------------------------------- */

static void
test_mode_shown_in_header_bar_and_status_bar (void)
{
  static const struct {
    MaphexMode  mode;
    const char *text;
    const char *css;
  } modes[] = {
    { MAPHEX_MODE_READ_ONLY, "Read-only", "read-only" },
    { MAPHEX_MODE_COPY_ON_WRITE, "Copy-on-write", "copy-on-write" },
    { MAPHEX_MODE_WRITE_THROUGH, "Write-through", "write-through" },
  };
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "modes.bin", 32);

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      MaphexWindow *window = open_window (file, modes[i].mode);
      g_autofree char *subtitle = g_strdup_printf ("%s — %s", modes[i].text, tmp_dir);
      g_autofree char *title = g_strdup_printf ("modes.bin (%s) — Maphex", modes[i].text);

      g_assert_cmpstr (label_text (window->title_label), ==, "modes.bin");
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->subtitle_label)));
      g_assert_cmpstr (label_text (window->subtitle_label), ==, subtitle);
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);
      g_assert_cmpstr (label_text (window->mode_label), ==, modes[i].text);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->mode_label), modes[i].css));
      for (gsize j = 0; j < G_N_ELEMENTS (modes); j++)
        if (j != i)
          g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window->mode_label), modes[j].css));
      destroy_all_windows ();
    }
}

static void
test_trimmed_undo_history_is_announced (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "trim.bin", 4096);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  g_autoptr(GError) error = NULL;
  guint8 bytes[512] = { 0 };

  maphex_document_set_undo_limit (doc, 2048);
  /* Each step keeps 1 KiB (old and new bytes): two fit, the third trims. */
  for (int i = 0; i < 2; i++)
    g_assert_true (maphex_document_replace (doc, i * 1024, bytes, sizeof bytes, &error));
  g_assert_no_error (error);
  g_assert_false ((_maphex_window_get_notice (window) != NULL));
  g_assert_true (maphex_document_replace (doc, 2 * 1024, bytes, sizeof bytes, &error));
  g_assert_true ((_maphex_window_get_notice (window) != NULL));
  g_assert_cmpstr (_maphex_window_get_notice (window), ==,
                   "Undo history trimmed: 1 old step dropped to keep it under 2.0\xc2\xa0kB");
  destroy_all_windows ();
}

static void
test_inspector_beside_the_view_follows_the_cursor_and_toggles (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "inspect.bin", 256);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexInspector *inspector;

  /* Shown by default, on the window's view. */
  g_assert_true (maphex_window_get_inspector_visible (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->inspector_revealer));
  g_assert_nonnull (window->inspector);
  inspector = MAPHEX_INSPECTOR (window->inspector);
  g_assert_true (gtk_widget_is_ancestor (window->inspector, GTK_WIDGET (window)));

  /* It reads at the view's cursor (the counting file holds its offsets). */
  maphex_hex_view_set_cursor (view, 0x41, FALSE);
  g_assert_cmpint (maphex_inspector_get_cursor (inspector), ==, 0x41);
  g_assert_cmpstr (maphex_inspector_get_row (inspector, MAPHEX_INSPECT_UINT8)->text, ==, "65");
  g_assert_cmpstr (maphex_inspector_get_row (inspector, MAPHEX_INSPECT_UINT16)->text, ==, "16961");

  /* win.show-inspector (F7, the header-bar button) hides and shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-inspector", NULL));
  g_assert_false (maphex_window_get_inspector_visible (window));
  g_assert_false (gtk_revealer_get_reveal_child (window->inspector_revealer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-inspector", NULL));
  g_assert_true (gtk_revealer_get_reveal_child (window->inspector_revealer));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (gtk_window_get_application (GTK_WINDOW (window)),
                                                                  "win.show-inspector");
    g_assert_cmpstr (accels[0], ==, "F7");
  }
  destroy_all_windows ();
}

static void
test_side_panel_pages_switch_and_show_the_panel (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "side.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  GtkWidget *page = gtk_label_new ("page");
  GtkSelectionModel *pages;
  guint n_pages;

  /* The inspector is the first page, and the one shown. */
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "inspector");
  g_assert_true (gtk_widget_is_ancestor (window->inspector, GTK_WIDGET (window->side_stack)));

  /* A page added gets a tab; showing it while the panel is hidden shows
   * the panel on it. */
  pages = gtk_stack_get_pages (window->side_stack);
  n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));
  _maphex_window_add_side_page (window, page, "extra", "Extra");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, n_pages + 1);
  g_object_unref (pages);
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "inspector");
  maphex_window_set_inspector_visible (window, FALSE);
  _maphex_window_show_side_page (window, "extra");
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "extra");
  g_assert_true (maphex_window_get_inspector_visible (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->inspector_revealer));

  /* An unknown page changes nothing. */
  _maphex_window_show_side_page (window, "no-such-page");
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "extra");
  destroy_all_windows ();
}

static gboolean
find_bar_idle (gpointer bar)
{
  return !maphex_find_bar_is_searching (MAPHEX_FIND_BAR (bar));
}

static void
test_find_all_fills_the_results_tab_and_shows_it (void)
{
  static const guint8 data[] = "..AB....AB..AB";
  g_autofree char *path = wt_make_temp_file ("maphex-window-results-XXXXXX", data, sizeof data - 1, 0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexResultsList *list;

  /* The results list is the panel's Results tab, on the window's view. */
  g_assert_nonnull (window->results_list);
  list = MAPHEX_RESULTS_LIST (window->results_list);
  g_assert_true (gtk_widget_is_ancestor (window->results_list, GTK_WIDGET (window->side_stack)));
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "inspector");

  /* Find All with the panel hidden shows it, on Results, filled. */
  maphex_window_set_inspector_visible (window, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL));
  maphex_find_bar_set_pattern (window->find_bar, "AB", FALSE, FALSE);
  maphex_find_bar_find_all (window->find_bar);
  g_assert_true (maphex_window_get_inspector_visible (window));
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "results");
  wt_wait_until (find_bar_idle, window->find_bar);
  wt_pump ();
  g_assert_cmpuint (maphex_results_list_get_n_rows (list), ==, 3);
  g_assert_cmpstr (maphex_results_list_get_header (list), ==, "3 matches");

  /* A row goes to its match in the window's view. */
  g_assert_true (maphex_results_list_activate_row (list, 2));
  g_assert_cmpint (maphex_hex_view_get_cursor (view), ==, 12);

  /* A bad pattern runs no search and leaves the panel's page alone. */
  _maphex_window_show_side_page (window, "inspector");
  maphex_find_bar_set_pattern (window->find_bar, "4Z", TRUE, FALSE);
  maphex_find_bar_find_all (window->find_bar);
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "inspector");
  g_unlink (path);
  destroy_all_windows ();
}

static void
test_modified_mark_in_title_until_saved (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "title.bin", 32);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);

  type_hex (maphex_window_get_view (window), "12");
  g_assert_cmpstr (label_text (window->title_label), ==, "• title.bin");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "• title.bin (Copy-on-write) — Maphex");

  /* Saved: the mark goes, the status bar says so, and the file has the edit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  wt_wait_for_operation (maphex_window_get_document (window));
  g_assert_false (maphex_document_get_modified (maphex_window_get_document (window)));
  g_assert_cmpstr (label_text (window->title_label), ==, "title.bin");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "title.bin (Copy-on-write) — Maphex");
  g_assert_cmpstr (label_text (window->modified_label), ==, "Saved");
  g_assert_true ((_maphex_window_get_notice (window) != NULL));
  g_assert_cmpstr (_maphex_window_get_notice (window), ==, "Saved");
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL));
    g_assert_cmpuint (len, ==, 32);
    g_assert_cmpuint ((guint8) contents[0], ==, 0x12);
    g_assert_cmpuint ((guint8) contents[1], ==, 1);
  }
  destroy_all_windows ();
}

static gboolean
file_bar_says_shrank (gpointer data)
{
  MaphexWindow *window = data;

  return gtk_widget_get_visible (GTK_WIDGET (window->file_bar)) &&
         strstr (label_text (window->file_bar_label), "shrank") != NULL;
}

/* Another program truncates the file under unsaved copy-on-write edits: the
 * bar names the edits that went with the lost pages and says Save still
 * writes the others; Save does, its dialog says which were lost, and the
 * bar stops promising what Save can no longer do. */
static void
test_file_shrunk_bar_names_lost_edits_and_save_writes_the_rest (void)
{
  gint64 page = sysconf (_SC_PAGESIZE);
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "shrunk.bin", 4 * page);
  g_autofree char *path = g_file_get_path (file);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *at = g_strdup_printf ("(at 0x%" G_GINT64_MODIFIER "x)", 2 * page);
  g_autofree char *expected = NULL;
  g_autofree char *primary = NULL;
  g_autofree char *secondary = NULL;
  AdwMessageDialog *dialog;

  g_assert_true (maphex_document_set_byte (doc, 0, 0xAA, FALSE, &error));
  g_assert_true (maphex_document_set_byte (doc, 2 * page, 0xEE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (truncate (path, 100), ==, 0);

  wt_wait_until (file_bar_says_shrank, window);
  expected = g_strdup_printf ("The file shrank to 100 bytes on disk: your unsaved edits past that "
                              "point %s went with it. Save still writes your edits before that "
                              "point; Reload shows the file as it is now.", at);
  g_assert_cmpstr (label_text (window->file_bar_label), ==, expected);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  wt_wait_for_operation (maphex_window_get_document (window));
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_object_get (dialog, "heading", &primary, "body", &secondary, NULL);
  g_assert_cmpstr (primary, ==, "Some edits to “shrunk.bin” could not be saved");
  g_assert_true (g_str_has_prefix (secondary, "Saved the edits that still lie within"));
  g_assert_nonnull (strstr (secondary, at));
  g_assert_null (strstr (secondary, "Save As"));
  wt_answer_message_dialog (dialog, "close");
  g_assert_null (wt_find_message_dialog (GTK_WINDOW (window)));

  /* The edit within the file is in it; the file kept its length. */
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL));
    g_assert_cmpuint (len, ==, 100);
    g_assert_cmpuint ((guint8) contents[0], ==, 0xAA);
  }
  g_assert_true (maphex_document_get_modified (doc));
  g_free (expected);
  expected = g_strdup_printf ("The file shrank to 100 bytes on disk: your unsaved edits past that "
                              "point %s went with it. Reload to see the file as it is now.", at);
  g_assert_cmpstr (label_text (window->file_bar_label), ==, expected);

  /* Reload asks first, and does not send the user to Save As, which cannot
   * save a document part of which is gone. */
  gtk_info_bar_response (window->file_bar, 1);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_clear_pointer (&secondary, g_free);
  g_object_get (dialog, "body", &secondary, NULL);
  g_assert_cmpstr (secondary, ==, expected);
  wt_answer_message_dialog (dialog, "reload");
  /* Reload runs in the document's runner, off the main thread. */
  wt_wait_for_operation (doc);
  wt_pump ();
  /* Gone for good: a "file-shrunk" still queued from before the reload
   * does not bring it back. */
  g_assert_cmpint (maphex_document_get_length (doc), ==, 100);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->file_bar)));
  destroy_all_windows ();
}

static void
test_empty_window_invites_to_open (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);

  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);
  g_assert_null (maphex_window_get_view (window));
  g_assert_cmpstr (label_text (window->title_label), ==, "Maphex");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->subtitle_label)));
  g_assert_false (gtk_widget_get_visible (window->status_bar));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "empty");
  g_assert_false (action_enabled (window, "win.save"));
  g_assert_false (action_enabled (window, "win.find"));
  g_assert_false (action_enabled (window, "win.save-as"));
  g_assert_false (action_enabled (window, "win.new-view"));
  g_assert_false (action_enabled (window, "win.goto"));
  g_assert_true (action_enabled (window, "win.open"));
  destroy_all_windows ();
}

/* ---- which actions are enabled, and why not ----------------------------- */

#define COW_REFUSAL "Copy-on-write maps cannot be resized: reopen the file in write-through mode"
#define RO_REFUSAL "Read-only: every edit is refused. Reopen the file in another mode to edit it."

static void
assert_length_changes_refused (MaphexWindow *window, const char *why)
{
  g_assert_false (action_enabled (window, "win.resize"));
  g_assert_false (action_enabled (window, "win.insert"));
  g_assert_false (action_enabled (window, "win.delete"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->resize_button), ==, why);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->insert_button), ==, why);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->delete_button), ==, why);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->resize_note)));
  g_assert_cmpstr (label_text (window->resize_note), ==, why);
}

static void
test_copy_on_write_disables_resize_insert_delete_and_says_why (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "cow.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexHexView *view = maphex_window_get_view (window);

  assert_length_changes_refused (window, COW_REFUSAL);
  /* A selection does not change that. */
  maphex_hex_view_select_range (view, 0, 8);
  assert_length_changes_refused (window, COW_REFUSAL);

  /* The same-length edits stay. */
  g_assert_true (action_enabled (window, "win.fill"));
  g_assert_true (action_enabled (window, "win.move"));
  /* Save is offered while unmodified too (the design: has a file and can edit). */
  g_assert_false (maphex_document_get_modified (maphex_window_get_document (window)));
  g_assert_true (action_enabled (window, "win.save"));
  g_assert_true (action_enabled (window, "win.save-as"));

  /* A Delete key that reached the action anyway changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL);
  g_assert_cmpint (maphex_document_get_length (maphex_window_get_document (window)), ==, 64);
  destroy_all_windows ();
}

static void
test_write_through_enables_resize_insert_delete (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "wt.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexHexView *view = maphex_window_get_view (window);

  g_assert_true (action_enabled (window, "win.resize"));
  g_assert_true (action_enabled (window, "win.insert"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->resize_note)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->resize_button), ==, "Change the length of the file");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->insert_button), ==, "Insert zero bytes at the cursor");

  /* Delete and Fill need a selection, and say so. */
  g_assert_false (action_enabled (window, "win.delete"));
  g_assert_false (action_enabled (window, "win.fill"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->delete_button), ==, "Select the bytes to delete first");
  maphex_hex_view_select_range (view, 4, 8);
  g_assert_true (action_enabled (window, "win.delete"));
  g_assert_true (action_enabled (window, "win.fill"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window->delete_button), ==, "Delete the selected bytes");

  g_assert_true (action_enabled (window, "win.move"));
  g_assert_true (action_enabled (window, "win.save"));
  destroy_all_windows ();
}

static void
test_read_only_disables_edits_and_refuses_visibly (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "ro.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexDocument *doc = maphex_window_get_document (window);
  GdkClipboard *clipboard;

  assert_length_changes_refused (window, RO_REFUSAL);
  maphex_hex_view_select_range (view, 0, 8);
  assert_length_changes_refused (window, RO_REFUSAL);
  g_assert_false (action_enabled (window, "win.fill"));
  g_assert_false (action_enabled (window, "win.move"));
  /* Nothing to save; Save As makes a copy. */
  g_assert_false (action_enabled (window, "win.save"));
  g_assert_true (action_enabled (window, "win.save-as"));

  /* Typing is refused, and the window says why. */
  maphex_hex_view_set_cursor (view, 0, FALSE);
  g_assert_false ((_maphex_window_get_notice (window) != NULL));
  g_assert_true (_maphex_hex_view_handle_key (view, GDK_KEY_a, 0));
  wt_wait_until (notice_shown, window);
  g_assert_cmpstr (_maphex_window_get_notice (window), ==, "The file is open read-only");
  g_assert_cmpuint (wt_byte_at (doc, 0), ==, 0);

  /* Paste and Undo change nothing either. */
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  gdk_clipboard_set_text (clipboard, "41 41 41 41");
  maphex_hex_view_select_range (view, 0, 4);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.paste", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.undo", NULL);
  wt_wait_for_operation (maphex_window_get_document (window));
  wt_pump ();
  for (int i = 0; i < 4; i++)
    g_assert_cmpuint (wt_byte_at (doc, i), ==, (guint) i);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_cmpstr (label_text (window->modified_label), ==, "Saved");
  destroy_all_windows ();
}

/* ---- drag and drop ------------------------------------------------------ */

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GtkDropTarget *target = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  return target;
}

static gboolean
drop_files (MaphexWindow *window, GFile *file)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  GValue value = G_VALUE_INIT;
  GSList *list = g_slist_prepend (NULL, file);
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free (list);
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);
  return handled;
}

static void
test_dropped_file_opens_in_default_mode (void)
{
  g_autoptr(GFile) first = wt_make_counting_file (tmp_dir, "dropped.bin", 48);
  g_autoptr(GFile) second = wt_make_counting_file (tmp_dir, "dropped-too.bin", 80);
  GSettings *settings = maphex_application_get_settings (app);
  MaphexWindow *window = maphex_window_new (app, NULL);
  MaphexWindow *other = NULL;
  MaphexMode expected;

  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);

  /* The empty window takes the dropped file, in the default mode. */
  g_assert_true (drop_files (window, first));
  g_assert_nonnull (maphex_window_get_document (window));
  g_assert_true (g_file_equal (maphex_document_get_file (maphex_window_get_document (window)), first));
  g_assert_cmpint (maphex_document_get_mode (maphex_window_get_document (window)), ==,
                   MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "view");
  g_assert_cmpstr (label_text (window->title_label), ==, "dropped.bin");
  g_assert_cmpuint (count_maphex_windows (), ==, 1);

  /* The default mode is the setting's (the test runs with the schema). */
  g_assert_nonnull (settings);
  g_assert_true (g_settings_set_string (settings, "default-mode", "read-only"));
  expected = maphex_application_get_default_mode (app);
  g_assert_cmpint (expected, ==, MAPHEX_MODE_READ_ONLY);

  /* A window that shows a file opens the dropped one in another window. */
  g_assert_true (drop_files (window, second));
  g_assert_cmpuint (count_maphex_windows (), ==, 2);
  g_assert_true (g_file_equal (maphex_document_get_file (maphex_window_get_document (window)), first));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data) && l->data != window)
      other = l->data;
  g_assert_nonnull (other);
  g_assert_true (g_file_equal (maphex_document_get_file (maphex_window_get_document (other)), second));
  g_assert_cmpint (maphex_document_get_mode (maphex_window_get_document (other)), ==, expected);
  g_assert_cmpstr (label_text (other->mode_label), ==, "Read-only");

  g_settings_reset (settings, "default-mode");
  destroy_all_windows ();
}

/* ---- New View ----------------------------------------------------------- */

static MaphexWindow *
new_view (MaphexWindow *window)
{
  MaphexWindow *other = NULL;

  g_assert_cmpuint (count_maphex_windows (), ==, 1);
  g_assert_true (action_enabled (window, "win.new-view"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-view", NULL));
  g_assert_cmpuint (count_maphex_windows (), ==, 2);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data) && l->data != window)
      other = l->data;
  g_assert_nonnull (other);
  wt_wait_until (wt_is_mapped, maphex_window_get_view (other));
  return other;
}

static void
test_new_view_shows_the_same_document_and_its_edits (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "views.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexWindow *other;
  MaphexHexView *other_view;
  g_autoptr(GError) error = NULL;
  guint8 seen = 0;

  maphex_hex_view_set_cursor (view, 5, FALSE);
  other = new_view (window);
  other_view = maphex_window_get_view (other);
  g_assert_true (maphex_window_get_document (other) == maphex_window_get_document (window));
  g_assert_true (maphex_hex_view_get_document (other_view) == maphex_window_get_document (window));
  g_assert_true (other_view != view);
  g_assert_cmpint (maphex_hex_view_get_cursor (other_view), ==, 5);
  g_assert_cmpuint (maphex_application_count_views (app, maphex_window_get_document (window)), ==, 2);
  g_assert_cmpstr (label_text (other->offset_label), ==, "Offset 0x5 (5)");

  /* Typing in the first window: the second one's view reads the new byte
   * through its own export, and its header and status bar follow. */
  type_hex (view, "c3");
  g_assert_nonnull (maphex_hex_view_get_export (other_view));
  g_assert_true (maphex_export_copy (maphex_hex_view_get_export (other_view), 5, &seen, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen, ==, 0xc3);
  g_assert_cmpuint (wt_byte_at (maphex_window_get_document (other), 5), ==, 0xc3);
  g_assert_cmpstr (label_text (other->modified_label), ==, "Modified");
  g_assert_cmpstr (label_text (other->title_label), ==, "• views.bin");
  /* Each window keeps its own cursor. */
  g_assert_cmpint (maphex_hex_view_get_cursor (view), ==, 6);
  g_assert_cmpint (maphex_hex_view_get_cursor (other_view), ==, 5);

  /* Closing one of two views loses nothing: no question. */
  g_assert_false (_maphex_window_has_unsaved_last_view (window));
  destroy_all_windows ();
}

static void
test_new_view_refuses_length_change_while_both_shown (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "views-wt.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexWindow *other = new_view (window);

  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 2);
  maphex_hex_view_select_range (view, 0, 4);
  g_assert_true (action_enabled (window, "win.delete"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL));
  wt_wait_for_operation (maphex_window_get_document (window));
  wt_wait_until (notice_shown, window);
  g_assert_cmpstr (_maphex_window_get_notice (window), ==, "1 other view holds the file");
  g_assert_cmpint (maphex_document_get_length (doc), ==, 64);
  g_assert_cmpstr (label_text (window->size_label), ==, "64 bytes");
  g_assert_cmpstr (label_text (other->size_label), ==, "64 bytes");

  /* With the other view gone the same delete goes through, and the size
   * shown follows. */
  gtk_window_destroy (GTK_WINDOW (other));
  wt_pump ();
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 1);
  maphex_hex_view_select_range (view, 0, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL));
  wt_wait_for_operation (maphex_window_get_document (window));
  g_assert_cmpint (maphex_document_get_length (doc), ==, 60);
  g_assert_cmpstr (label_text (window->size_label), ==, "60 bytes");
  destroy_all_windows ();
}

/* ---- Save As ------------------------------------------------------------ */

typedef struct {
  gboolean      done;
  gboolean      ok;
  GError       *error;
  MaphexWindow *delete_first_byte;   /* nullable: deletes from the callback */
} SaveAsResult;

static void
save_as_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaveAsResult *res = user_data;

  res->ok = maphex_document_save_as_finish (MAPHEX_DOCUMENT (source), result, &res->error);
  /* Whatever the user does next may change the length: Save As no longer
   * holds the file when its result comes back. */
  if (res->delete_first_byte != NULL)
    {
      maphex_hex_view_select_range (maphex_window_get_view (res->delete_first_byte), 0, 1);
      gtk_widget_activate_action (GTK_WIDGET (res->delete_first_byte), "win.delete", NULL);
    }
  res->done = TRUE;
}

static gboolean
save_as_done (gpointer data)
{
  return ((SaveAsResult *) data)->done;
}

/* As the window's Save As does once the chooser answered: asynchronously,
 * with the window's views on screen. */
static void
save_as_from_window (MaphexWindow *window, GFile *dest, gboolean then_delete_first_byte)
{
  SaveAsResult res = { FALSE, FALSE, NULL, then_delete_first_byte ? window : NULL };

  maphex_document_save_as_async (maphex_window_get_document (window), dest,
                                 window->cancellable, save_as_done_cb, &res);
  wt_wait_until (save_as_done, &res);
  wt_wait_for_operation (maphex_window_get_document (window));
  g_assert_no_error (res.error);
  g_assert_true (res.ok);
}

static void
assert_file_is (GFile *file, const guint8 *expected, gsize len)
{
  g_autofree char *contents = NULL;
  gsize got = 0;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &got, NULL, NULL));
  g_assert_cmpmem (contents, got, expected, len);
}

static void
test_save_as_from_read_only_writes_identical_copy (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "save-ro.bin", 5000);
  g_autofree char *dest_path = g_build_filename (tmp_dir, "save-ro-copy.bin", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autofree guint8 *expected = g_malloc (5000);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);

  for (gsize i = 0; i < 5000; i++)
    expected[i] = (guint8) i;
  g_assert_true (action_enabled (window, "win.save-as"));
  save_as_from_window (window, dest, FALSE);
  assert_file_is (dest, expected, 5000);
  assert_file_is (file, expected, 5000);
  /* The window still shows the original, read-only. */
  g_assert_true (g_file_equal (maphex_document_get_file (maphex_window_get_document (window)), file));
  g_assert_cmpstr (label_text (window->mode_label), ==, "Read-only");
  destroy_all_windows ();
}

static void
test_save_as_from_write_through_writes_identical_copy (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "save-wt.bin", 300);
  g_autofree char *dest_path = g_build_filename (tmp_dir, "save-wt-copy.bin", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  guint8 expected[300];
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexHexView *view = maphex_window_get_view (window);

  for (gsize i = 0; i < sizeof expected; i++)
    expected[i] = (guint8) i;
  maphex_hex_view_set_cursor (view, 10, FALSE);
  type_hex (view, "eeff");
  expected[10] = 0xee;
  expected[11] = 0xff;
  /* The callback deletes the first byte, as a user could right then. */
  save_as_from_window (window, dest, TRUE);
  assert_file_is (dest, expected, sizeof expected);
  g_assert_false ((_maphex_window_get_notice (window) != NULL));
  g_assert_cmpint (maphex_document_get_length (maphex_window_get_document (window)), ==, 299);
  g_assert_cmpstr (label_text (window->size_label), ==, "299 bytes");
  /* Written through: the file itself has the edit, and the delete. */
  assert_file_is (file, expected + 1, sizeof expected - 1);
  destroy_all_windows ();
}

/* ---- the command line --------------------------------------------------- */

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
} RunResult;

static void
communicate_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RunResult *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((RunResult *) data)->done;
}

/* Runs the built maphex; returns its exit status. A maphex that opened a
 * window instead of exiting is killed and the test fails. */
static int
run_maphex (const char * const *args, char **out, char **err)
{
  const char *exe = g_getenv ("MAPHEX");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  RunResult run = { FALSE, NULL, NULL };
  gint64 deadline;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  for (; *args; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!run.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!run.done)
    {
      g_subprocess_force_exit (process);
      wt_wait_until (run_done, &run);
      g_test_message ("maphex did not exit by itself: %s", run.err);
      g_assert_not_reached ();
    }
  g_subprocess_wait (process, NULL, NULL);
  *out = run.out;
  *err = run.err;
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
test_help_lists_mode_and_goto_options (void)
{
  static const char * const args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_maphex (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--read-only"));
  g_assert_nonnull (strstr (out, "--copy-on-write"));
  g_assert_nonnull (strstr (out, "--write-through"));
  g_assert_nonnull (strstr (out, "--goto"));
  g_assert_nonnull (strstr (out, "OFFSET"));
}

static void
test_conflicting_modes_exit_with_message (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "conflict.bin", 16);
  g_autofree char *path = g_file_get_path (file);
  const char *args[] = { "--read-only", "--write-through", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_maphex (args, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "Choose one of --read-only, --copy-on-write and --write-through"));
}

/* ---- main --------------------------------------------------------------- */

/* ---- Reopen As ---------------------------------------------------------- */

static GtkStack *
find_stack (GtkWidget *root)
{
  if (GTK_IS_STACK (root))
    return GTK_STACK (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_stack (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Reopen As entry for each mode, checked when it is the mode at hand.
 * (Default Mode has entries with the same labels: look in the submenu.) */
static void
assert_reopen_radio_checked (MaphexWindow *window, const char *checked)
{
  static const char *const items[] = { "Read-Only", "Copy-on-Write", "Write-Through" };
  GtkWidget *entry = find_menu_item (GTK_WIDGET (window->menu_button), "Reopen As");
  g_autofree char *menu_name = NULL;
  GtkStack *stack = find_stack (GTK_WIDGET (window->menu_button));
  GtkWidget *submenu;

  g_assert_nonnull (entry);
  g_assert_nonnull (stack);
  g_object_get (entry, "menu-name", &menu_name, NULL);
  submenu = gtk_stack_get_child_by_name (stack, menu_name);
  g_assert_nonnull (submenu);

  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    {
      GtkWidget *item = find_menu_item (submenu, items[i]);
      g_auto(GValue) role = G_VALUE_INIT;
      GEnumValue *role_value;
      gboolean active = FALSE;

      g_assert_nonnull (item);
      /* GtkModelButton's role is a private enum: read its nick. */
      g_value_init (&role, g_object_class_find_property (G_OBJECT_GET_CLASS (item), "role")->value_type);
      g_object_get_property (G_OBJECT (item), "role", &role);
      role_value = g_enum_get_value (g_type_class_peek (G_VALUE_TYPE (&role)), g_value_get_enum (&role));
      g_assert_nonnull (role_value);
      g_assert_cmpstr (role_value->value_nick, ==, "radio");
      g_object_get (item, "active", &active, NULL);
      g_assert_cmpint (active, ==, g_str_equal (items[i], checked));
    }
}

static void
test_reopen_as_shows_the_current_mode (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "reopen-radio.bin", 32);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);

  assert_reopen_radio_checked (window, "Copy-on-Write");

  /* The current mode again: nothing happens, not even a new map. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reopen", "s", "copy-on-write"));
  wt_pump ();
  g_assert_true (maphex_window_get_document (window) == doc);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reopen", "s", "write-through"));
  wt_pump ();
  g_assert_true (maphex_window_get_document (window) != doc);
  g_assert_cmpint (maphex_document_get_mode (maphex_window_get_document (window)), ==,
                   MAPHEX_MODE_WRITE_THROUGH);
  assert_reopen_radio_checked (window, "Write-Through");
  destroy_all_windows ();
}

int
main (int argc, char **argv)
{
  int status;

  /* The schema compiled in the build directory. */
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-window-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/window/status-bar-shows-offset-selection-size-mode-and-modified",
                   test_status_bar_shows_offset_selection_size_mode_and_modified);
  g_test_add_func ("/window/status-bar-follows-length-and-write-through-edits",
                   test_status_bar_follows_length_and_write_through_edits);
  g_test_add_func ("/window/mode-shown-in-header-bar-and-status-bar",
                   test_mode_shown_in_header_bar_and_status_bar);
  g_test_add_func ("/window/modified-mark-in-title-until-saved", test_modified_mark_in_title_until_saved);
  g_test_add_func ("/window/inspector-beside-the-view-follows-the-cursor-and-toggles",
                   test_inspector_beside_the_view_follows_the_cursor_and_toggles);
  g_test_add_func ("/window/side-panel-pages-switch-and-show-the-panel",
                   test_side_panel_pages_switch_and_show_the_panel);
  g_test_add_func ("/window/find-all-fills-the-results-tab-and-shows-it",
                   test_find_all_fills_the_results_tab_and_shows_it);
  g_test_add_func ("/window/trimmed-undo-history-is-announced", test_trimmed_undo_history_is_announced);
  g_test_add_func ("/window/empty-window-invites-to-open", test_empty_window_invites_to_open);
  g_test_add_func ("/window/file-shrunk-bar-names-lost-edits-and-save-writes-the-rest",
                   test_file_shrunk_bar_names_lost_edits_and_save_writes_the_rest);
  g_test_add_func ("/window/copy-on-write-disables-resize-insert-delete-and-says-why",
                   test_copy_on_write_disables_resize_insert_delete_and_says_why);
  g_test_add_func ("/window/write-through-enables-resize-insert-delete",
                   test_write_through_enables_resize_insert_delete);
  g_test_add_func ("/window/read-only-disables-edits-and-refuses-visibly",
                   test_read_only_disables_edits_and_refuses_visibly);
  g_test_add_func ("/window/dropped-file-opens-in-default-mode", test_dropped_file_opens_in_default_mode);
  g_test_add_func ("/window/new-view-shows-the-same-document-and-its-edits",
                   test_new_view_shows_the_same_document_and_its_edits);
  g_test_add_func ("/window/new-view-refuses-length-change-while-both-shown",
                   test_new_view_refuses_length_change_while_both_shown);
  g_test_add_func ("/window/save-as-from-read-only-writes-identical-copy",
                   test_save_as_from_read_only_writes_identical_copy);
  g_test_add_func ("/window/save-as-from-write-through-writes-identical-copy",
                   test_save_as_from_write_through_writes_identical_copy);
  g_test_add_func ("/window/help-lists-mode-and-goto-options", test_help_lists_mode_and_goto_options);
  g_test_add_func ("/window/conflicting-modes-exit-with-message", test_conflicting_modes_exit_with_message);
  g_test_add_func ("/window/reopen-as-shows-the-current-mode", test_reopen_as_shows_the_current_mode);

  status = g_test_run ();
  destroy_all_windows ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
