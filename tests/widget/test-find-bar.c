/* test-find-bar.c: the find bar and the Go to dialog on screen (under Xvfb),
 * on real files, through the actions their keys and buttons activate. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-document.h"
#include "maphex-document-private.h"
#include "maphex-document-search-private.h"
#include "maphex-find-bar.h"
#include "maphex-goto-dialog.h"
#include "maphex-hex-view.h"
#include "widget-test-util.h"

#define FILE_LEN 0x10000

typedef struct {
  char           *path;
  MaphexDocument *doc;
  GtkWindow      *window;
  MaphexHexView  *view;
  MaphexFindBar  *bar;
  guint           exports_before;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
search_finished (gpointer bar)
{
  return !maphex_find_bar_is_searching (MAPHEX_FIND_BAR (bar));
}

static gboolean
exports_back (gpointer data)
{
  Fixture *f = data;

  return maphex_document_get_n_exports (f->doc) == f->exports_before;
}

/* Zeros, with `needle` at each offset. */
static void
fixture_setup (Fixture      *f,
               const char   *needle,
               const gint64 *at,
               guint         n_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree guint8 *data = g_malloc0 (FILE_LEN);
  GtkWidget *box;

  for (guint i = 0; i < n_at; i++)
    memcpy (data + at[i], needle, strlen (needle));
  f->path = wt_make_temp_file ("maphex-find-XXXXXX", data, FILE_LEN, 0);

  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);
  g_assert_no_error (error);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  f->bar = MAPHEX_FIND_BAR (maphex_find_bar_new ());
  f->view = MAPHEX_HEX_VIEW (maphex_hex_view_new (f->doc));
  gtk_widget_set_vexpand (GTK_WIDGET (f->view), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->bar));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->view));
  maphex_find_bar_set_view (f->bar, f->view);
  f->window = wt_show_in_window (box, 900, 500, wt_is_mapped);
  wt_wait_until (wt_is_mapped_and_allocated, f->view);

  g_assert_false (maphex_find_bar_is_open (f->bar));
  maphex_find_bar_open (f->bar);
  g_assert_true (maphex_find_bar_is_open (f->bar));
  wt_wait_until (wt_is_mapped_and_allocated, f->bar);
}

static void
fixture_teardown (Fixture *f)
{
  gtk_window_destroy (f->window);
  wt_drain ();
  g_object_unref (f->doc);
  g_unlink (f->path);
  g_free (f->path);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
run_action (Fixture    *f,
            const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->bar), action, NULL));
  wt_wait_until (search_finished, f->bar);
}

static void
assert_selection (Fixture *f,
                  gint64   start,
                  gint64   end)
{
  gint64 s = -1, e = -1;

  maphex_hex_view_get_selection (f->view, &s, &e);
  g_assert_cmpint (s, ==, start);
  g_assert_cmpint (e, ==, end);
  g_assert_cmpint (maphex_hex_view_get_cursor (f->view), ==, start);
}

/* ---- find bar ---- */

static void
test_invalid_hex_shows_an_inline_message_and_starts_no_search (void)
{
  const gint64 at[] = { 0x100 };
  Fixture f = { 0 };
  guint exports;

  fixture_setup (&f, "\xde\xad\xbe\xef", at, 1);
  exports = maphex_document_get_n_exports (f.doc);

  maphex_find_bar_set_pattern (f.bar, "GZ", TRUE, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  g_assert_false (maphex_find_bar_is_searching (f.bar));
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, exports);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Invalid hex: “G” is not a hex digit");

  maphex_find_bar_set_pattern (f.bar, "DE A", TRUE, FALSE);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.find-all", NULL));
  g_assert_false (maphex_find_bar_is_searching (f.bar));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Invalid hex: Odd number of hex digits (3)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.previous", NULL));
  g_assert_false (maphex_find_bar_is_searching (f.bar));
  assert_selection (&f, 0, 0);

  fixture_teardown (&f);
}

static void
test_next_and_previous_select_the_match_and_wrap_with_a_notice (void)
{
  const gint64 at[] = { 0x100, 0x8000 };
  Fixture f = { 0 };

  fixture_setup (&f, "\xde\xad\xbe\xef", at, 2);
  maphex_find_bar_set_pattern (f.bar, "DE AD be ef", TRUE, FALSE);

  run_action (&f, "find-bar.next");
  assert_selection (&f, 0x100, 0x104);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");

  run_action (&f, "find-bar.next");
  assert_selection (&f, 0x8000, 0x8004);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");
  /* Scrolled into view. */
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), <=, 0x8000 / 16);
  g_assert_cmpint (maphex_hex_view_get_top_row (f.view), >, 0);

  run_action (&f, "find-bar.next");
  assert_selection (&f, 0x100, 0x104);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Wrapped to the start");

  run_action (&f, "find-bar.previous");
  assert_selection (&f, 0x8000, 0x8004);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Wrapped to the end");

  run_action (&f, "find-bar.previous");
  assert_selection (&f, 0x100, 0x104);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");

  /* F3 / Shift+F3 from the window go through the same call. */
  maphex_find_bar_find_next (f.bar, FALSE);
  wt_wait_until (search_finished, f.bar);
  assert_selection (&f, 0x8000, 0x8004);

  maphex_find_bar_set_pattern (f.bar, "CAFEBABE", TRUE, FALSE);
  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");
  assert_selection (&f, 0x8000, 0x8004);

  fixture_teardown (&f);
}

static void
test_text_search_ignores_case_only_when_asked (void)
{
  const gint64 at[] = { 0x2345 };
  Fixture f = { 0 };
  GtkWidget *bar_root;

  fixture_setup (&f, "Hello, World", at, 1);

  maphex_find_bar_set_pattern (f.bar, "hello, world", FALSE, FALSE);
  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");

  maphex_find_bar_set_pattern (f.bar, "hello, world", FALSE, TRUE);
  run_action (&f, "find-bar.next");
  assert_selection (&f, 0x2345, 0x2345 + 12);

  /* In hex mode the text is hex digits, and case does not apply. */
  maphex_find_bar_set_pattern (f.bar, "48 65 6c 6c 6f", TRUE, TRUE);
  run_action (&f, "find-bar.previous");
  assert_selection (&f, 0x2345, 0x2345 + 5);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Wrapped to the end");

  bar_root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (f.bar)));
  g_assert_true (bar_root == GTK_WIDGET (f.window));
  fixture_teardown (&f);
}

static void
test_find_all_counts_then_steps_through_the_matches (void)
{
  const gint64 at[] = { 0x10, 0x4000, 0xfffc };
  Fixture f = { 0 };

  fixture_setup (&f, "\x12\x34\x56\x78", at, 3);
  maphex_find_bar_set_pattern (f.bar, "12345678", TRUE, FALSE);

  run_action (&f, "find-bar.find-all");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 1 of 3");
  assert_selection (&f, 0x10, 0x14);

  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 2 of 3");
  assert_selection (&f, 0x4000, 0x4004);
  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 3 of 3");
  assert_selection (&f, 0xfffc, 0x10000);
  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 1 of 3 (wrapped to the start)");
  assert_selection (&f, 0x10, 0x14);
  run_action (&f, "find-bar.previous");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 3 of 3 (wrapped to the end)");
  assert_selection (&f, 0xfffc, 0x10000);
  run_action (&f, "find-bar.previous");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 2 of 3");

  /* An edit makes the count stale: next is a plain search again. */
  {
    g_autoptr(GError) error = NULL;
    guint8 b = 0x12;

    g_assert_true (maphex_document_replace (f.doc, 0x20, &b, 1, &error));
    g_assert_no_error (error);
  }
  run_action (&f, "find-bar.next");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");
  assert_selection (&f, 0xfffc, 0x10000);

  /* Starting from the cursor: Find All goes to the first match after it. */
  maphex_hex_view_set_cursor (f.view, 0x5000, FALSE);
  run_action (&f, "find-bar.find-all");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 3 of 3");

  maphex_find_bar_set_pattern (f.bar, "AB CD", TRUE, FALSE);
  run_action (&f, "find-bar.find-all");
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");

  fixture_teardown (&f);
}

static void
test_escape_cancels_a_running_search_then_closes_the_bar (void)
{
  const gint64 at[] = { 0xff00 };
  Fixture f = { 0 };
  guint exports;

  fixture_setup (&f, "zz", at, 1);
  exports = maphex_document_get_n_exports (f.doc);

  /* The worker waits for the map lock while the test holds it. */
  _maphex_document_lock_map (f.doc);
  maphex_find_bar_set_pattern (f.bar, "zz", FALSE, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  g_assert_true (maphex_find_bar_is_searching (f.bar));
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, exports + 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.escape", NULL));
  g_assert_false (maphex_find_bar_is_searching (f.bar));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Search cancelled");
  g_assert_true (maphex_find_bar_is_open (f.bar));
  _maphex_document_unlock_map (f.doc);

  /* The cancelled search ends and gives its export back; nothing selected. */
  f.exports_before = exports;
  wt_wait_until (exports_back, &f);
  assert_selection (&f, 0, 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Search cancelled");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.escape", NULL));
  g_assert_false (maphex_find_bar_is_open (f.bar));

  fixture_teardown (&f);
}

static void
test_progress_shows_only_when_a_search_takes_a_while (void)
{
  const gint64 at[] = { 0xff00 };
  Fixture f = { 0 };

  fixture_setup (&f, "\x01\x02", at, 1);
  maphex_find_bar_set_pattern (f.bar, "0102", TRUE, FALSE);

  run_action (&f, "find-bar.next");
  assert_selection (&f, 0xff00, 0xff02);
  g_assert_false (maphex_find_bar_get_progress_visible (f.bar));
  spin (400);
  g_assert_false (maphex_find_bar_get_progress_visible (f.bar));

  /* Held up on the map lock, the search outlasts the delay. */
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  _maphex_document_lock_map (f.doc);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  spin (50);
  g_assert_false (maphex_find_bar_get_progress_visible (f.bar));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");
  spin (400);
  g_assert_true (maphex_find_bar_is_searching (f.bar));
  g_assert_true (maphex_find_bar_get_progress_visible (f.bar));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Searching…");
  _maphex_document_unlock_map (f.doc);
  wt_wait_until (search_finished, f.bar);
  g_assert_false (maphex_find_bar_get_progress_visible (f.bar));
  assert_selection (&f, 0xff00, 0xff02);

  fixture_teardown (&f);
}

static void
test_open_prefills_from_a_short_selection (void)
{
  const gint64 at[] = { 0x40 };
  Fixture f = { 0 };

  fixture_setup (&f, "\xca\xfe", at, 1);
  maphex_find_bar_close (f.bar);
  g_assert_false (maphex_find_bar_is_open (f.bar));

  maphex_hex_view_select_range (f.view, 0x40, 0x42);
  maphex_find_bar_open (f.bar);
  g_assert_true (maphex_find_bar_is_open (f.bar));
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  run_action (&f, "find-bar.next");
  assert_selection (&f, 0x40, 0x42);

  fixture_teardown (&f);
}

/* ---- Go to ---- */

static void
on_destroyed (gpointer data,
              GObject *where)
{
  *(gboolean *) data = TRUE;
}

static MaphexGotoDialog *
open_goto (Fixture  *f,
           gboolean *destroyed)
{
  MaphexGotoDialog *dialog = maphex_goto_dialog_new (f->window, f->view);

  *destroyed = FALSE;
  g_object_weak_ref (G_OBJECT (dialog), on_destroyed, destroyed);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
test_goto_refuses_bad_offsets_inline_and_moves_the_cursor (void)
{
  Fixture f = { 0 };
  MaphexGotoDialog *dialog;
  GtkWidget *entry, *message;
  gboolean destroyed;

  fixture_setup (&f, "", NULL, 0);
  maphex_hex_view_set_cursor (f.view, 0x100, FALSE);

  dialog = open_goto (&f, &destroyed);
  /* The template's entry and message label are the ones the dialog uses. */
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), MAPHEX_TYPE_GOTO_DIALOG, "entry"));
  message = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), MAPHEX_TYPE_GOTO_DIALOG, "message"));
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_true (GTK_IS_LABEL (message));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "0x100");
  g_assert_false (gtk_widget_get_visible (message));

  maphex_goto_dialog_set_text (dialog, "0x20000");
  g_assert_false (maphex_goto_dialog_accept (dialog));
  g_assert_cmpstr (maphex_goto_dialog_get_message (dialog), ==,
                   "Offset 0x20000 is past the end of the file (0x10000)");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, maphex_goto_dialog_get_message (dialog));
  /* Typing takes the message away; an empty entry cannot be accepted. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (GTK_WINDOW (dialog))));
  gtk_editable_set_text (GTK_EDITABLE (entry), "1");
  g_assert_true (gtk_widget_is_sensitive (gtk_window_get_default_widget (GTK_WINDOW (dialog))));
  g_assert_false (destroyed);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x100);

  maphex_goto_dialog_set_text (dialog, "-0x200");
  g_assert_false (maphex_goto_dialog_accept (dialog));
  g_assert_cmpstr (maphex_goto_dialog_get_message (dialog), ==,
                   "Offset -0x100 is before the start of the file");

  maphex_goto_dialog_set_text (dialog, "12g");
  g_assert_cmpstr (maphex_goto_dialog_get_message (dialog), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "goto.accept", NULL));
  g_assert_cmpstr (maphex_goto_dialog_get_message (dialog), ==,
                   "“12g” is not an offset: use 1234, 0x4d2, +16, -0x10 or 50%");
  g_assert_false (destroyed);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x100);

  maphex_goto_dialog_set_text (dialog, "+0x10");
  g_assert_true (maphex_goto_dialog_accept (dialog));
  g_assert_true (destroyed);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x110);

  dialog = open_goto (&f, &destroyed);
  maphex_goto_dialog_set_text (dialog, "50%");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "goto.accept", NULL));
  g_assert_true (destroyed);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0x8000);

  dialog = open_goto (&f, &destroyed);
  maphex_goto_dialog_set_text (dialog, "-0x8000");
  g_assert_true (maphex_goto_dialog_accept (dialog));
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0);

  /* 100% lands on the last byte, as Ctrl+End does. */
  dialog = open_goto (&f, &destroyed);
  maphex_goto_dialog_set_text (dialog, "100%");
  g_assert_true (maphex_goto_dialog_accept (dialog));
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 0xffff);

  dialog = open_goto (&f, &destroyed);
  maphex_goto_dialog_set_text (dialog, "4096");
  g_assert_true (maphex_goto_dialog_accept (dialog));
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4096);

  /* Cancel leaves the cursor alone. */
  dialog = open_goto (&f, &destroyed);
  maphex_goto_dialog_set_text (dialog, "0");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "goto.cancel", NULL));
  g_assert_true (destroyed);
  g_assert_cmpint (maphex_hex_view_get_cursor (f.view), ==, 4096);

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/find-bar/invalid-hex-shows-an-inline-message-and-starts-no-search",
                   test_invalid_hex_shows_an_inline_message_and_starts_no_search);
  g_test_add_func ("/find-bar/next-and-previous-select-the-match-and-wrap-with-a-notice",
                   test_next_and_previous_select_the_match_and_wrap_with_a_notice);
  g_test_add_func ("/find-bar/text-search-ignores-case-only-when-asked",
                   test_text_search_ignores_case_only_when_asked);
  g_test_add_func ("/find-bar/find-all-counts-then-steps-through-the-matches",
                   test_find_all_counts_then_steps_through_the_matches);
  g_test_add_func ("/find-bar/escape-cancels-a-running-search-then-closes-the-bar",
                   test_escape_cancels_a_running_search_then_closes_the_bar);
  g_test_add_func ("/find-bar/progress-shows-only-when-a-search-takes-a-while",
                   test_progress_shows_only_when_a_search_takes_a_while);
  g_test_add_func ("/find-bar/open-prefills-from-a-short-selection",
                   test_open_prefills_from_a_short_selection);
  g_test_add_func ("/goto/refuses-bad-offsets-inline-and-moves-the-cursor",
                   test_goto_refuses_bad_offsets_inline_and_moves_the_cursor);

  return g_test_run ();
}
