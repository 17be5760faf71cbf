/* test-results-list.c: Find All's results list on screen (under Xvfb), fed by
 * a real find bar on files the tests make: its rows, header and cap, and
 * activating a row. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-document.h"
#include "maphex-document-private.h"
#include "maphex-find-bar.h"
#include "maphex-hex-view.h"
#include "maphex-results-list.h"
#include "widget-test-util.h"

#define FILE_LEN 0x10000

typedef struct {
  char              *path;
  MaphexDocument    *doc;
  GtkWindow         *window;
  MaphexHexView     *view;
  MaphexFindBar     *bar;
  MaphexResultsList *list;
} Fixture;

static gboolean
search_finished (gpointer bar)
{
  return !maphex_find_bar_is_searching (MAPHEX_FIND_BAR (bar));
}

/* `fill` bytes, with `needle` (n bytes) at each of `at`. */
static void
fixture_setup (Fixture      *f,
               guint8        fill,
               const guint8 *needle,
               gsize         n,
               const gint64 *at,
               guint         n_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree guint8 *data = g_malloc (FILE_LEN);
  GtkWidget *box, *side;

  memset (data, fill, FILE_LEN);
  for (guint i = 0; i < n_at; i++)
    memcpy (data + at[i], needle, n);
  f->path = wt_make_temp_file ("maphex-results-XXXXXX", data, FILE_LEN, 0);
  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);
  g_assert_no_error (error);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  side = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  f->bar = MAPHEX_FIND_BAR (maphex_find_bar_new ());
  f->view = MAPHEX_HEX_VIEW (maphex_hex_view_new (f->doc));
  f->list = MAPHEX_RESULTS_LIST (maphex_results_list_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (f->view), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (f->list), 300, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->bar));
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (f->view));
  gtk_box_append (GTK_BOX (side), GTK_WIDGET (f->list));
  gtk_box_append (GTK_BOX (box), side);
  maphex_find_bar_set_view (f->bar, f->view);
  maphex_find_bar_set_results_list (f->bar, f->list);
  f->window = wt_show_in_window (box, 1200, 600, wt_is_mapped);
  wt_wait_until (wt_is_mapped_and_allocated, f->view);
  maphex_find_bar_open (f->bar);
}

static void
fixture_teardown (Fixture *f)
{
  gtk_window_destroy (f->window);
  wt_drain ();
  g_object_unref (f->doc);
  g_unlink (f->path);
  g_free (f->path);
}

static void
find_all (Fixture        *f,
          MaphexFindMode  mode,
          const char     *text)
{
  maphex_find_bar_set_mode (f->bar, mode);
  maphex_find_bar_set_text (f->bar, text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->bar), "find-bar.find-all", NULL));
  g_assert_cmpstr (maphex_results_list_get_header (f->list), ==, "Searching…");
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

static void
test_find_all_lists_each_match_with_its_context_and_count (void)
{
  const guint8 needle[] = { 'M', 'Z', 0x90, 0x00, 'P', 'E' };
  const gint64 at[] = { 0x10, 0x4000, 0xfff0 };
  Fixture f = { 0 };
  g_autofree char *row0 = NULL, *row2 = NULL;

  fixture_setup (&f, 0x01, needle, sizeof needle, at, G_N_ELEMENTS (at));
  find_all (&f, MAPHEX_FIND_MODE_WILDCARD, "4D 5A ?? 00 50");

  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 3);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "3 matches");
  row0 = maphex_results_list_dup_row_text (f.list, 0);
  row2 = maphex_results_list_dup_row_text (f.list, 2);
  /* Offset, then the match's bytes in hex and as text. */
  g_assert_true (g_str_has_prefix (row0, "0x00000010  4D 5A 90 00 50 "));
  g_assert_true (g_str_has_suffix (row0, "MZ..P"));
  g_assert_true (g_str_has_prefix (row2, "0x0000FFF0  4D 5A 90 00 50 "));
  g_assert_null (maphex_results_list_dup_row_text (f.list, 3));

  /* Activating a row (a click) selects its match. */
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  g_assert_true (maphex_results_list_activate_row (f.list, 1));
  assert_selection (&f, 0x4000, 0x4005);
  g_assert_true (maphex_results_list_activate_row (f.list, 2));
  assert_selection (&f, 0xfff0, 0xfff5);
  g_assert_false (maphex_results_list_activate_row (f.list, 3));
  assert_selection (&f, 0xfff0, 0xfff5);

  /* A regex's rows have each match's own length. */
  find_all (&f, MAPHEX_FIND_MODE_REGEX, "MZ\\x90?");
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "3 matches");
  g_assert_true (maphex_results_list_activate_row (f.list, 0));
  assert_selection (&f, 0x10, 0x13);

  /* A new search replaces the rows. */
  find_all (&f, MAPHEX_FIND_MODE_HEX, "CA FE");
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 0);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "No matches");

  find_all (&f, MAPHEX_FIND_MODE_TEXT, "MZ");
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "3 matches");

  fixture_teardown (&f);
}

/* An edit of the searched file drops the rows, as the find bar drops its
   own results: a row would go to bytes that are no longer the match. A new
   Find All lists again. */
static void
test_an_edit_drops_the_rows_until_the_next_find_all (void)
{
  const gint64 at[] = { 0x10, 0x4000, 0xfff0 };
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_setup (&f, 0x01, (const guint8 *) "MZ", 2, at, G_N_ELEMENTS (at));
  find_all (&f, MAPHEX_FIND_MODE_TEXT, "MZ");
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 3);
  g_assert_true (maphex_results_list_activate_row (f.list, 1));

  g_assert_true (maphex_document_set_byte (f.doc, 0x4000, 'X', FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 0);
  g_assert_nonnull (strstr (maphex_results_list_get_header (f.list), "changed"));
  g_assert_false (maphex_results_list_activate_row (f.list, 0));

  find_all (&f, MAPHEX_FIND_MODE_TEXT, "MZ");
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 2);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "2 matches");
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  g_assert_true (maphex_results_list_activate_row (f.list, 1));
  assert_selection (&f, 0xfff0, 0xfff2);

  fixture_teardown (&f);
}

static void
test_the_list_caps_its_rows_and_says_so (void)
{
  Fixture f = { 0 };
  g_autofree char *expected = NULL;
  g_autofree char *last = NULL;

  /* Zeros: "00 00" starts at every offset but the last. */
  fixture_setup (&f, 0x00, NULL, 0, NULL, 0);
  find_all (&f, MAPHEX_FIND_MODE_HEX, "00 00");

  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, MAPHEX_RESULTS_LIST_MAX);
  expected = g_strdup_printf ("%d matches: showing the first %d", FILE_LEN - 1, MAPHEX_RESULTS_LIST_MAX);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, expected);
  last = maphex_results_list_dup_row_text (f.list, MAPHEX_RESULTS_LIST_MAX - 1);
  g_assert_true (g_str_has_prefix (last, "0x000003E7  00 00 "));
  g_assert_true (maphex_results_list_activate_row (f.list, MAPHEX_RESULTS_LIST_MAX - 1));
  assert_selection (&f, MAPHEX_RESULTS_LIST_MAX - 1, MAPHEX_RESULTS_LIST_MAX + 1);
  /* The find bar still counts them all. */
  g_assert_true (g_str_has_suffix (maphex_find_bar_get_message (f.bar), "of 65535"));

  fixture_teardown (&f);
}

static void
test_a_cancelled_find_all_says_so_in_the_header (void)
{
  Fixture f = { 0 };

  fixture_setup (&f, 0x00, NULL, 0, NULL, 0);
  /* The worker waits for the map lock while the test holds it. */
  _maphex_document_lock_map (f.doc);
  maphex_find_bar_set_text (f.bar, "00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.find-all", NULL));
  g_assert_true (maphex_find_bar_is_searching (f.bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.escape", NULL));
  _maphex_document_unlock_map (f.doc);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "Search cancelled after 0 matches");
  wt_drain ();
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, 0);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "Search cancelled after 0 matches");

  fixture_teardown (&f);
}

/* Cancelled past the cap, the header counts every match seen, not only
 * the rows the list keeps. */
static void
test_a_cancel_past_the_cap_counts_every_match (void)
{
  Fixture f = { 0 };
  guint n = MAPHEX_RESULTS_LIST_MAX + 5;
  g_autofree MaphexSearchMatch *matches = g_new0 (MaphexSearchMatch, n);
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

  fixture_setup (&f, 0x00, NULL, 0, NULL, 0);
  for (guint i = 0; i < n; i++)
    {
      matches[i].offset = i;
      matches[i].length = 1;
    }
  maphex_results_list_begin (f.list);
  maphex_results_list_add (f.list, matches, n);
  maphex_results_list_finish (f.list, 0, cancelled);
  g_assert_cmpuint (maphex_results_list_get_n_rows (f.list), ==, MAPHEX_RESULTS_LIST_MAX);
  g_assert_cmpstr (maphex_results_list_get_header (f.list), ==, "Search cancelled after 1005 matches");

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/results-list/find-all-lists-each-match-with-its-context-and-count",
                   test_find_all_lists_each_match_with_its_context_and_count);
  g_test_add_func ("/results-list/an-edit-drops-the-rows-until-the-next-find-all",
                   test_an_edit_drops_the_rows_until_the_next_find_all);
  g_test_add_func ("/results-list/the-list-caps-its-rows-and-says-so",
                   test_the_list_caps_its_rows_and_says_so);
  g_test_add_func ("/results-list/a-cancel-past-the-cap-counts-every-match",
                   test_a_cancel_past_the_cap_counts_every_match);
  g_test_add_func ("/results-list/a-cancelled-find-all-says-so-in-the-header",
                   test_a_cancelled_find_all_says_so_in_the_header);

  return g_test_run ();
}
