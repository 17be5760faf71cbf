/* test-window-replace.c: Replace and Replace All (Ctrl+H) in the main window,
 * with a real application and files, under Xvfb: the replace row, Replace
 * on the selected match, Replace All as one undo step with its toast,
 * progress and Cancel in the operation bar, and the refusals (read-only,
 * bad input, another length) that write nothing. Every result is compared
 * byte for byte with a buffer the test computes itself. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-document-private.h"
#include "maphex-find-bar-private.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

#define FILE_LEN 0x10000

static MaphexApplication *app;
static char *tmp_dir;
static guint file_counter;

static const guint8 needle[] = { 0xca, 0xfe, 0xba, 0xbe };
static const guint8 other[] = { 0x01, 0x02, 0x03, 0x04 };

/* Random bytes below 0x80 (so that no needle with a high byte appears by
 * chance), `len` long, with `plant` (n bytes) at each of `at`. */
static guint8 *
make_data (gsize         len,
           const guint8 *plant,
           gsize         n,
           const gint64 *at,
           guint         n_at)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed + file_counter);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 0x80);
  for (guint i = 0; i < n_at; i++)
    memcpy (data + at[i], plant, n);
  return data;
}

static GFile *
new_file (const guint8 *data,
          gsize         len)
{
  g_autofree char *name = g_strdup_printf ("replace-%u.bin", ++file_counter);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) len, NULL));
  return g_file_new_for_path (path);
}

static MaphexWindow *
open_window (GFile      *file,
             MaphexMode  mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped_and_allocated, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static void
assert_document_is (MaphexDocument *doc,
                    const guint8   *expected,
                    gsize           len)
{
  g_autofree guint8 *now = g_malloc (len);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (maphex_document_get_length (doc), ==, (gint64) len);
  g_assert_true (maphex_document_read (doc, 0, now, len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (now, len, expected, len);
}

static void
assert_file_is (GFile        *file,
                const guint8 *expected,
                gsize         len)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *data = NULL;
  gsize n = 0;

  g_assert_true (g_file_get_contents (path, &data, &n, NULL));
  g_assert_cmpmem (data, n, expected, len);
}

static void
assert_selection (MaphexHexView *view,
                  gint64         start,
                  gint64         end)
{
  gint64 s = -1, e = -1;

  maphex_hex_view_get_selection (view, &s, &e);
  g_assert_cmpint (s, ==, start);
  g_assert_cmpint (e, ==, end);
}

static gboolean
bar_idle (gpointer bar)
{
  return !maphex_find_bar_is_searching (bar) && !maphex_find_bar_is_replacing (bar);
}

static gboolean
doc_idle (gpointer doc)
{
  return !maphex_document_get_busy (doc);
}

static gboolean
bar_revealed (gpointer window)
{
  return gtk_revealer_get_reveal_child (MAPHEX_WINDOW (window)->operation_revealer);
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

/* The find bar's action, then its search or Replace All ended (no more:
 * the toast it shows lasts 5 s, which a loaded machine can take to draw). */
static void
run_bar_action (MaphexFindBar *bar,
                const char    *action)
{
  activate (GTK_WIDGET (bar), action);
  wt_wait_until (bar_idle, bar);
}

/* Whether the window's focus is in `entry` (its text child has it). */
static gboolean
focus_in (MaphexWindow *window,
          GtkWidget    *entry)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

static gboolean
has_actionable (GtkWidget  *root,
                const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_actionable (c, action))
      return TRUE;
  return FALSE;
}

/* ---- tests -------------------------------------------------------------- */

/* Ctrl+H (win.replace, also in the Edit menu) opens the find bar with the
 * replace row: the pattern focused while it is empty, else the
 * replacement; Ctrl+F opens the bar without the row. */
static void
test_ctrl_h_opens_the_replace_row_focused (void)
{
  const gint64 at[] = { 0x100 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, 1);
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexFindBar *bar = window->find_bar;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.replace");
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (window->edit_button));

  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>h");
  g_assert_true (has_actionable (GTK_WIDGET (popover), "win.replace"));

  g_assert_false (maphex_find_bar_is_open (bar));
  g_assert_false (gtk_widget_get_visible (bar->replace_entry));
  activate (GTK_WIDGET (window), "win.replace");
  wt_wait_until (wt_is_mapped_and_allocated, bar->replace_entry);
  g_assert_true (maphex_find_bar_is_open (bar));
  g_assert_true (maphex_find_bar_get_replace_visible (bar));
  g_assert_true (gtk_widget_get_mapped (bar->replace_button));
  g_assert_true (gtk_widget_is_sensitive (bar->replace_button));
  g_assert_true (gtk_widget_is_sensitive (bar->replace_all_button));
  /* Nothing to look for yet: the pattern has the focus; Tab goes on to
   * the replacement and Shift+Tab back. */
  g_assert_true (focus_in (window, bar->entry));
  g_assert_false (focus_in (window, bar->replace_entry));

  /* Ctrl+F: the bar without the row. */
  activate (GTK_WIDGET (window), "win.find");
  g_assert_false (maphex_find_bar_get_replace_visible (bar));
  maphex_find_bar_close (bar);

  /* A selected match fills the pattern: the replacement has the focus. */
  maphex_hex_view_select_range (maphex_window_get_view (window), 0x100, 0x104);
  activate (GTK_WIDGET (window), "win.replace");
  wt_wait_until (wt_is_mapped_and_allocated, bar->replace_entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bar->entry)), ==, "CA FE BA BE");
  g_assert_true (focus_in (window, bar->replace_entry));
  g_assert_cmpint (maphex_find_bar_get_mode (bar), ==, MAPHEX_FIND_MODE_HEX);
  g_assert_nonnull (strstr (gtk_entry_get_placeholder_text (GTK_ENTRY (bar->replace_entry)), "hex"));

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* Replace writes over the selection when it is a match, then selects the
 * next one; a selection that is no match is not written: Replace selects
 * the next match instead. */
static void
test_replace_replaces_the_selected_match_and_moves_to_the_next (void)
{
  const gint64 at[] = { 0x100, 0x2345, 0x8000 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, G_N_ELEMENTS (at));
  g_autofree guint8 *expected = g_memdup2 (data, FILE_LEN);
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexFindBar *bar = window->find_bar;
  g_autoptr(GError) error = NULL;

  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02 03 04");

  /* Nothing selected: Replace goes to the first match, writes nothing. */
  maphex_hex_view_set_cursor (view, 0, FALSE);
  run_bar_action (bar, "find-bar.replace");
  assert_selection (view, 0x100, 0x104);
  assert_document_is (doc, expected, FILE_LEN);
  g_assert_false (maphex_document_get_modified (doc));

  /* The selected match becomes the replacement; the next one is selected. */
  run_bar_action (bar, "find-bar.replace");
  memcpy (expected + 0x100, other, 4);
  assert_document_is (doc, expected, FILE_LEN);
  assert_selection (view, 0x2345, 0x2349);

  /* Four bytes that are no match: not written, the next match selected. */
  maphex_hex_view_select_range (view, 0x3000, 0x3004);
  run_bar_action (bar, "find-bar.replace");
  assert_selection (view, 0x8000, 0x8004);
  assert_document_is (doc, expected, FILE_LEN);

  /* Enter in the replacement is Replace; the last match wraps to the
   * second one, the first being replaced. */
  g_signal_emit_by_name (bar->replace_entry, "activate");
  wt_wait_until (bar_idle, bar);
  memcpy (expected + 0x8000, other, 4);
  assert_document_is (doc, expected, FILE_LEN);
  assert_selection (view, 0x2345, 0x2349);

  /* Replace All takes the one left: the singular. */
  run_bar_action (bar, "find-bar.replace-all");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Replaced 1 match");
  memcpy (expected + 0x2345, other, 4);
  assert_document_is (doc, expected, FILE_LEN);

  /* Save writes exactly the expected bytes; one undo step each. */
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  assert_file_is (file, expected, FILE_LEN);
  activate (GTK_WIDGET (view), "view.undo");
  wt_wait_for_operation (doc);
  memcpy (expected + 0x2345, needle, 4);
  assert_document_is (doc, expected, FILE_LEN);
  activate (GTK_WIDGET (view), "view.undo");
  wt_wait_for_operation (doc);
  memcpy (expected + 0x8000, needle, 4);
  assert_document_is (doc, expected, FILE_LEN);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* Replace All replaces every match (Text, UTF-16 LE), says how many in
 * the bar and a toast, and is one undo step: one undo puts every byte back. */
static void
test_replace_all_replaces_every_match_as_one_undo_step (void)
{
  /* "héllo" and "HÉLLO" in UTF-16 LE. */
  static const guint8 hello[] = { 'h', 0, 0xe9, 0, 'l', 0, 'l', 0, 'o', 0 };
  static const guint8 loud[] = { 'H', 0, 0xc9, 0, 'L', 0, 'L', 0, 'O', 0 };
  const gint64 at[] = { 0x10, 0x777, 0x7ff8, 0xfff0 };
  g_autofree guint8 *data = make_data (FILE_LEN, hello, sizeof hello, at, G_N_ELEMENTS (at));
  g_autofree guint8 *expected = g_memdup2 (data, FILE_LEN);
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexFindBar *bar = window->find_bar;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    memcpy (expected + at[i], loud, sizeof loud);

  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_mode (bar, MAPHEX_FIND_MODE_TEXT);
  maphex_find_bar_set_encoding (bar, MAPHEX_TEXT_UTF16LE);
  maphex_find_bar_set_text (bar, "héllo");
  maphex_find_bar_set_replacement (bar, "HÉLLO");
  g_assert_nonnull (strstr (gtk_entry_get_placeholder_text (GTK_ENTRY (bar->replace_entry)), "text"));
  run_bar_action (bar, "find-bar.replace-all");

  g_assert_cmpstr (_maphex_window_get_notice (window), ==, "Replaced 4 matches");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Replaced 4 matches");
  assert_document_is (doc, expected, FILE_LEN);
  g_assert_true (gtk_widget_is_sensitive (bar->replace_all_button));

  /* One undo step: a single undo restores every match. */
  activate (GTK_WIDGET (view), "view.undo");
  wt_wait_for_operation (doc);
  assert_document_is (doc, data, FILE_LEN);
  g_assert_false (maphex_document_get_can_undo (doc));
  activate (GTK_WIDGET (view), "view.redo");
  wt_wait_for_operation (doc);
  assert_document_is (doc, expected, FILE_LEN);

  /* Saved, the file holds it; nothing left: it says so. */
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  assert_file_is (file, expected, FILE_LEN);
  run_bar_action (bar, "find-bar.replace-all");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Not found: nothing was replaced");
  assert_document_is (doc, expected, FILE_LEN);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* Read-only: the row's buttons are insensitive and say why, the bar says
 * it too, and nothing is written. */
static void
test_read_only_refuses_with_the_reason (void)
{
  const gint64 at[] = { 0x100, 0x200 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, G_N_ELEMENTS (at));
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexFindBar *bar = window->find_bar;

  activate (GTK_WIDGET (window), "win.replace");
  wt_wait_until (wt_is_mapped_and_allocated, bar->replace_entry);
  g_assert_false (gtk_widget_is_sensitive (bar->replace_button));
  g_assert_false (gtk_widget_is_sensitive (bar->replace_all_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (bar->replace_button), "Read-only"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (bar->replace_all_button), "Read-only"));
  g_assert_nonnull (strstr (maphex_find_bar_get_message (bar), "Read-only"));

  /* Called anyway, both refuse and write nothing. */
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02 03 04");
  maphex_hex_view_select_range (maphex_window_get_view (window), 0x100, 0x104);
  maphex_find_bar_replace (bar);
  g_assert_false (maphex_find_bar_is_searching (bar));
  g_assert_nonnull (strstr (maphex_find_bar_get_message (bar), "Read-only"));
  maphex_find_bar_replace_all (bar);
  g_assert_false (maphex_find_bar_is_replacing (bar));
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_nonnull (strstr (maphex_find_bar_get_message (bar), "Read-only"));
  assert_document_is (doc, data, FILE_LEN);
  assert_file_is (file, data, FILE_LEN);

  /* Reopened copy-on-write in the same window, the row can replace. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MaphexDocument) cow = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);

    g_assert_no_error (error);
    maphex_window_set_document (window, cow);
  }
  activate (GTK_WIDGET (window), "win.replace");
  g_assert_true (gtk_widget_is_sensitive (bar->replace_all_button));

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* A replacement that is no hex ("4Z"), a bad pattern, or one of another
 * length than the match: the bar's error, nothing written. */
static void
test_bad_input_writes_nothing (void)
{
  const gint64 at[] = { 0x100, 0x200 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, G_N_ELEMENTS (at));
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexFindBar *bar = window->find_bar;
  g_autoptr(GError) expected_error = NULL;
  g_autoptr(GBytes) two = g_bytes_new (other, 2);

  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "4Z");
  maphex_hex_view_select_range (view, 0x100, 0x104);
  maphex_find_bar_replace (bar);
  g_assert_false (maphex_find_bar_is_searching (bar));
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Invalid replacement: “Z” is not a hex digit");
  g_assert_true (gtk_widget_has_css_class (bar->message, "error"));
  maphex_find_bar_replace_all (bar);
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Invalid replacement: “Z” is not a hex digit");
  assert_document_is (doc, data, FILE_LEN);

  /* In Hex with wildcards the replacement is still plain hex bytes. */
  maphex_find_bar_set_mode (bar, MAPHEX_FIND_MODE_WILDCARD);
  maphex_find_bar_set_text (bar, "CA ?? BA BE");
  maphex_find_bar_set_replacement (bar, "01 ?? 03 04");
  maphex_find_bar_replace_all (bar);
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Invalid replacement: “?” is not a hex digit");
  assert_document_is (doc, data, FILE_LEN);

  /* A bad pattern: its own error. */
  maphex_find_bar_set_pattern (bar, "CA FE B", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02 03 04");
  maphex_find_bar_replace_all (bar);
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_nonnull (strstr (maphex_find_bar_get_message (bar), "Invalid hex"));
  assert_document_is (doc, data, FILE_LEN);

  /* Another length: the document's reason, in the bar, for both. */
  g_assert_false (maphex_document_replace_range (doc, 0x100, 4, two, &expected_error));
  g_assert_nonnull (expected_error);
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02");
  run_bar_action (bar, "find-bar.replace-all");
  g_assert_cmpstr (_maphex_window_get_notice (window), ==, expected_error->message);
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, expected_error->message);
  g_assert_true (gtk_widget_has_css_class (bar->message, "error"));
  maphex_hex_view_select_range (view, 0x100, 0x104);
  run_bar_action (bar, "find-bar.replace");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, expected_error->message);
  assert_document_is (doc, data, FILE_LEN);
  g_assert_false (maphex_document_get_modified (doc));

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* An edit of the selected match between Replace's search and its result
 * (which comes on the main loop) is not written over: the replacement goes
 * only where the match still is. */
static void
test_replace_leaves_a_match_edited_during_its_search (void)
{
  static const guint8 edited[] = { 0xee, 0xee, 0xee, 0xee };
  const gint64 at[] = { 0x100, 0x900 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, G_N_ELEMENTS (at));
  g_autofree guint8 *expected = g_memdup2 (data, FILE_LEN);
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexFindBar *bar = window->find_bar;
  g_autoptr(GError) error = NULL;

  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02 03 04");
  maphex_hex_view_select_range (view, 0x100, 0x104);
  activate (GTK_WIDGET (bar), "find-bar.replace");
  g_assert_true (maphex_find_bar_is_searching (bar));
  /* The worker has long found the match in the old bytes; its result
   * waits for the main loop, which the edit comes before. */
  g_usleep (300 * 1000);
  g_assert_true (maphex_document_replace (doc, 0x100, edited, sizeof edited, &error));
  g_assert_no_error (error);
  wt_wait_until (bar_idle, bar);

  memcpy (expected + 0x100, edited, sizeof edited);
  assert_document_is (doc, expected, FILE_LEN);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* `data` (len bytes) with the 4-byte needle at each of `at` (ascending)
 * become `with` (n bytes). */
static GByteArray *
spliced (const guint8 *data,
         gsize         len,
         const gint64 *at,
         guint         n_at,
         const guint8 *with,
         gsize         n)
{
  GByteArray *out = g_byte_array_new ();
  gsize from = 0;

  for (guint i = 0; i < n_at; i++)
    {
      g_byte_array_append (out, data + from, (guint) ((gsize) at[i] - from));
      g_byte_array_append (out, with, (guint) n);
      from = (gsize) at[i] + 4;
    }
  g_byte_array_append (out, data + from, (guint) (len - from));
  return out;
}

/* Write-through: a replacement of another length moves what follows, for
 * Replace (the next match found where it moved) and Replace All (one undo
 * step); the file on disk has exactly the bytes expected. */
static void
test_replace_of_another_length_in_write_through (void)
{
  const gint64 at[] = { 0x100, 0x2345, 0x8000, 0xfff0 };
  g_autofree guint8 *data = make_data (FILE_LEN, needle, 4, at, G_N_ELEMENTS (at));
  g_autoptr(GFile) file = new_file (data, FILE_LEN);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexDocument *doc = maphex_window_get_document (window);
  MaphexHexView *view = maphex_window_get_view (window);
  MaphexFindBar *bar = window->find_bar;
  g_autoptr(GByteArray) first = spliced (data, FILE_LEN, at, 1, other, 2);
  g_autoptr(GByteArray) all = spliced (data, FILE_LEN, at, G_N_ELEMENTS (at), other, 2);

  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02");

  /* The first match, shortened by two: the second is found two earlier. */
  maphex_hex_view_select_range (view, 0x100, 0x104);
  run_bar_action (bar, "find-bar.replace");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "");
  assert_document_is (doc, first->data, first->len);
  assert_file_is (file, first->data, first->len);
  assert_selection (view, 0x2345 - 2, 0x2345 + 2);

  /* Replace All: the three left, one undo step. */
  run_bar_action (bar, "find-bar.replace-all");
  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Replaced 3 matches");
  assert_document_is (doc, all->data, all->len);
  assert_file_is (file, all->data, all->len);
  activate (GTK_WIDGET (view), "view.undo");
  wt_wait_for_operation (doc);
  assert_file_is (file, first->data, first->len);
  activate (GTK_WIDGET (view), "view.undo");
  wt_wait_for_operation (doc);
  assert_file_is (file, data, FILE_LEN);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static void
slow_chunk (MaphexDocument *doc, guint chunk, gpointer data)
{
  g_usleep (10000);
}

/* Replace All runs in the runner: the operation bar shows it with Cancel,
 * the row waits meanwhile, and Cancel leaves the file as it was. */
static void
test_replace_all_shows_progress_and_cancel_restores (void)
{
  /* 256 chunks of a page's worth of matches, 10 ms each. */
  enum { LEN = 4 << 20, STRIDE = 16, N_MATCHES = LEN / STRIDE };
  g_autofree gint64 *at = g_new (gint64, N_MATCHES);
  g_autofree guint8 *data = NULL;
  g_autoptr(GFile) file = NULL;
  MaphexWindow *window;
  MaphexDocument *doc;
  MaphexFindBar *bar;

  for (guint i = 0; i < N_MATCHES; i++)
    at[i] = (gint64) i * STRIDE + 7;
  data = make_data (LEN, needle, 4, at, N_MATCHES);
  file = new_file (data, LEN);
  window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  doc = maphex_window_get_document (window);
  bar = window->find_bar;

  _maphex_document_run_set_chunk_size (1);
  _maphex_document_run_set_chunk_hook (slow_chunk, NULL);
  activate (GTK_WIDGET (window), "win.replace");
  maphex_find_bar_set_pattern (bar, "CA FE BA BE", TRUE, FALSE);
  maphex_find_bar_set_replacement (bar, "01 02 03 04");
  activate (GTK_WIDGET (bar), "find-bar.replace-all");
  g_assert_true (maphex_find_bar_is_replacing (bar));
  g_assert_false (gtk_widget_is_sensitive (bar->replace_all_button));
  g_assert_false (gtk_widget_is_sensitive (bar->replace_button));

  wt_wait_until (bar_revealed, window);
  g_assert_true (maphex_document_get_busy (doc));
  g_assert_cmpstr (gtk_label_get_text (window->operation_label), ==,
                   maphex_document_get_operation_name (doc));
  g_assert_true (gtk_widget_is_sensitive (window->operation_cancel_button));

  activate (GTK_WIDGET (window), "win.cancel-operation");
  wt_wait_until (doc_idle, doc);
  wt_wait_until (bar_idle, bar);
  _maphex_document_run_set_chunk_hook (NULL, NULL);
  _maphex_document_run_set_chunk_size (0);

  g_assert_cmpstr (maphex_find_bar_get_message (bar), ==, "Replace All cancelled: the file is as it was");
  assert_document_is (doc, data, LEN);
  assert_file_is (file, data, LEN);
  g_assert_true (gtk_widget_is_sensitive (bar->replace_all_button));

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  int status;

  /* The schema compiled in the build directory. */
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-replace-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/window-replace/ctrl-h-opens-the-replace-row-focused",
                   test_ctrl_h_opens_the_replace_row_focused);
  g_test_add_func ("/window-replace/replace-replaces-the-selected-match-and-moves-to-the-next",
                   test_replace_replaces_the_selected_match_and_moves_to_the_next);
  g_test_add_func ("/window-replace/replace-all-replaces-every-match-as-one-undo-step",
                   test_replace_all_replaces_every_match_as_one_undo_step);
  g_test_add_func ("/window-replace/read-only-refuses-with-the-reason",
                   test_read_only_refuses_with_the_reason);
  g_test_add_func ("/window-replace/bad-input-writes-nothing",
                   test_bad_input_writes_nothing);
  g_test_add_func ("/window-replace/replace-leaves-a-match-edited-during-its-search",
                   test_replace_leaves_a_match_edited_during_its_search);
  g_test_add_func ("/window-replace/replace-of-another-length-in-write-through",
                   test_replace_of_another_length_in_write_through);
  g_test_add_func ("/window-replace/replace-all-shows-progress-and-cancel-restores",
                   test_replace_all_shows_progress_and_cancel_restores);

  status = g_test_run ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
