/* test-find-modes.c: the find bar's modes on screen (under Xvfb), on files
 * the tests make: text in UTF-8 and UTF-16 with and without Match case, hex,
 * hex with wildcards and regular expressions; bad patterns; match lengths
 * taken from the search, not the pattern; a regex match cut at the maximum. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-document.h"
#include "maphex-find-bar.h"
#include "maphex-hex-view.h"
#include "widget-test-util.h"

typedef struct {
  char           *path;
  MaphexDocument *doc;
  GtkWindow      *window;
  MaphexHexView  *view;
  MaphexFindBar  *bar;
} Fixture;

static gboolean
search_finished (gpointer bar)
{
  return !maphex_find_bar_is_searching (MAPHEX_FIND_BAR (bar));
}

/* A file of `len` bytes 0x01 (no letter, no zero: nothing a pattern below
 * finds by accident) with `data` planted at each `at`. */
typedef struct {
  gint64        at;
  const guint8 *data;
  gsize         len;
} Plant;

static void
fixture_setup (Fixture     *f,
               gsize        len,
               const Plant *plants,
               guint        n_plants)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree guint8 *data = g_malloc (len);
  GtkWidget *box;

  memset (data, 0x01, len);
  for (guint i = 0; i < n_plants; i++)
    memcpy (data + plants[i].at, plants[i].data, plants[i].len);
  f->path = wt_make_temp_file ("maphex-modes-XXXXXX", data, len, 0);

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
  f->window = wt_show_in_window (box, 1100, 500, wt_is_mapped);
  wt_wait_until (wt_is_mapped_and_allocated, f->view);
  maphex_find_bar_open (f->bar);
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
}

/* Sets the bar's pattern and runs `action` from the cursor at `from`. */
static void
search (Fixture        *f,
        MaphexFindMode  mode,
        const char     *text,
        const char     *action,
        gint64          from)
{
  maphex_find_bar_set_mode (f->bar, mode);
  maphex_find_bar_set_text (f->bar, text);
  maphex_hex_view_set_cursor (f->view, from, FALSE);
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
}

/* "Héllo wörld" as UTF-16 in `big` or little endian. */
static gsize
utf16 (const char *text,
       gboolean    big,
       guint8     *out)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);

  for (glong i = 0; i < n; i++)
    {
      out[2 * i] = big ? units[i] >> 8 : units[i] & 0xff;
      out[2 * i + 1] = big ? units[i] & 0xff : units[i] >> 8;
    }
  return (gsize) n * 2;
}

/* ---- each mode ---- */

static void
test_hex_and_wildcards_find_their_offsets (void)
{
  /* A decoy that fits all but the last nibble, then the real one. */
  const guint8 decoy[] = { 0x4d, 0x5a, 0x90, 0x00, 0x04, 0x00, 0x50, 0x45 };
  const guint8 exe[] = { 0x4d, 0x5a, 0x77, 0x66, 0x03, 0x00, 0x50, 0x45 };
  const Plant plants[] = { { 0x300, decoy, sizeof decoy }, { 0x2344, exe, sizeof exe } };
  Fixture f = { 0 };

  fixture_setup (&f, 0x10000, plants, G_N_ELEMENTS (plants));
  g_assert_cmpint (maphex_find_bar_get_mode (f.bar), ==, MAPHEX_FIND_MODE_HEX);

  search (&f, MAPHEX_FIND_MODE_HEX, "4D 5A 77 66", "find-bar.next", 0);
  assert_selection (&f, 0x2344, 0x2348);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");

  /* ?? and ?-nibbles: the decoy's 04 is not 0? 3? ... but fits "0?". */
  search (&f, MAPHEX_FIND_MODE_WILDCARD, "4D 5A ?? ?? 0? 00 50 45", "find-bar.next", 0);
  assert_selection (&f, 0x300, 0x308);
  search (&f, MAPHEX_FIND_MODE_WILDCARD, "4D 5A ?? ?? ?3 00 50 45", "find-bar.next", 0);
  assert_selection (&f, 0x2344, 0x234c);
  /* A counted run: exactly two unknown bytes between 5A and 03. */
  search (&f, MAPHEX_FIND_MODE_WILDCARD, "5a ??{2} 03", "find-bar.next", 0);
  assert_selection (&f, 0x2345, 0x2349);
  search (&f, MAPHEX_FIND_MODE_WILDCARD, "5a ??{3} 03", "find-bar.next", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");

  /* Backwards from the end finds the last one first. */
  search (&f, MAPHEX_FIND_MODE_WILDCARD, "4D 5A ?? ?? 0?", "find-bar.previous", 0xffff);
  assert_selection (&f, 0x2344, 0x2349);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.previous", NULL));
  wt_wait_until (search_finished, f.bar);
  assert_selection (&f, 0x300, 0x305);

  fixture_teardown (&f);
}

static void
test_regex_selects_the_length_it_matched (void)
{
  const Plant plants[] = {
    { 0x1000, (const guint8 *) "AB12345Z", 8 },
    { 0x9000, (const guint8 *) "AB7Z", 4 },
  };
  Fixture f = { 0 };

  fixture_setup (&f, 0x10000, plants, G_N_ELEMENTS (plants));

  search (&f, MAPHEX_FIND_MODE_REGEX, "AB[0-9]+Z", "find-bar.next", 0);
  assert_selection (&f, 0x1000, 0x1008);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  wt_wait_until (search_finished, f.bar);
  assert_selection (&f, 0x9000, 0x9004);

  /* Bytes by escape; Find All then steps with each match's own length. */
  search (&f, MAPHEX_FIND_MODE_REGEX, "\\x41\\x42[\\x30-\\x39]+", "find-bar.find-all", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 1 of 2");
  assert_selection (&f, 0x1000, 0x1007);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  wt_wait_until (search_finished, f.bar);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 2 of 2");
  assert_selection (&f, 0x9000, 0x9003);

  fixture_teardown (&f);
}

static void
test_a_regex_match_longer_than_the_maximum_is_cut_and_the_bar_says_so (void)
{
  const gsize run = MAPHEX_SEARCH_REGEX_MAX_MATCH + 0x8000;
  g_autofree guint8 *as = g_malloc (run);
  Plant plants[] = { { 0x1000, as, run }, { 0x1000 + run + 0x100, (const guint8 *) "aaa", 3 } };
  g_autofree char *max = g_format_size_full (MAPHEX_SEARCH_REGEX_MAX_MATCH, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *cut = g_strdup_printf ("Match cut to %s, the longest a regular expression match can be",
                                          max);
  g_autofree char *cut_all = g_strdup_printf ("Match 1 of 3 · Matches cut to %s, the longest a regular "
                                              "expression match can be", max);
  const char *tooltip;
  Fixture f = { 0 };

  memset (as, 'a', run);
  fixture_setup (&f, 0x40000, plants, G_N_ELEMENTS (plants));

  /* Regex mode states the maximum before any search. */
  maphex_find_bar_set_mode (f.bar, MAPHEX_FIND_MODE_REGEX);
  tooltip = gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (f.bar)));
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, max));

  search (&f, MAPHEX_FIND_MODE_REGEX, "a+", "find-bar.next", 0);
  assert_selection (&f, 0x1000, 0x1000 + MAPHEX_SEARCH_REGEX_MAX_MATCH);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, cut);

  /* A match that fits says nothing of it. */
  search (&f, MAPHEX_FIND_MODE_REGEX, "a{3}", "find-bar.previous", 0x3ffff);
  assert_selection (&f, 0x1000 + run + 0x100, 0x1000 + run + 0x103);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "");

  /* Find All: the rest of the long run is the next match. */
  search (&f, MAPHEX_FIND_MODE_REGEX, "a+", "find-bar.find-all", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, cut_all);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 2 of 3");
  assert_selection (&f, 0x1000 + MAPHEX_SEARCH_REGEX_MAX_MATCH, 0x1000 + run);

  /* Other modes say nothing of a maximum. */
  maphex_find_bar_set_mode (f.bar, MAPHEX_FIND_MODE_TEXT);
  g_assert_null (gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (f.bar))));

  fixture_teardown (&f);
}

static void
test_text_in_each_encoding_finds_only_its_own_bytes (void)
{
  const char *text = "Héllo wörld";
  guint8 le[64], be[64];
  gsize le_len = utf16 (text, FALSE, le), be_len = utf16 (text, TRUE, be);
  const Plant plants[] = {
    { 0x0800, (const guint8 *) text, strlen (text) },
    { 0x4000, le, le_len },
    { 0x8000, be, be_len },
  };
  Fixture f = { 0 };

  g_assert_cmpuint (le_len, ==, 22);
  fixture_setup (&f, 0x10000, plants, G_N_ELEMENTS (plants));

  maphex_find_bar_set_match_case (f.bar, TRUE);
  maphex_find_bar_set_encoding (f.bar, MAPHEX_TEXT_UTF8);
  search (&f, MAPHEX_FIND_MODE_TEXT, text, "find-bar.next", 0x100);
  assert_selection (&f, 0x800, 0x800 + strlen (text));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  wt_wait_until (search_finished, f.bar);
  /* The UTF-16 copies are other bytes: round to the same one. */
  assert_selection (&f, 0x800, 0x800 + strlen (text));
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Wrapped to the start");

  maphex_find_bar_set_encoding (f.bar, MAPHEX_TEXT_UTF16LE);
  search (&f, MAPHEX_FIND_MODE_TEXT, text, "find-bar.find-all", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Match 1 of 1");
  assert_selection (&f, 0x4000, 0x4000 + le_len);

  maphex_find_bar_set_encoding (f.bar, MAPHEX_TEXT_UTF16BE);
  search (&f, MAPHEX_FIND_MODE_TEXT, text, "find-bar.next", 0);
  assert_selection (&f, 0x8000, 0x8000 + be_len);

  /* Without Match case, other spellings in the same encoding. */
  search (&f, MAPHEX_FIND_MODE_TEXT, "HÉLLO WÖRLD", "find-bar.next", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");
  maphex_find_bar_set_match_case (f.bar, FALSE);
  search (&f, MAPHEX_FIND_MODE_TEXT, "HÉLLO WÖRLD", "find-bar.next", 0);
  assert_selection (&f, 0x8000, 0x8000 + be_len);

  fixture_teardown (&f);
}

static void
test_match_case_decides_for_non_ascii_utf8 (void)
{
  const Plant plants[] = { { 0x2000, (const guint8 *) "Été à Paris", strlen ("Été à Paris") } };
  Fixture f = { 0 };

  fixture_setup (&f, 0x10000, plants, G_N_ELEMENTS (plants));
  maphex_find_bar_set_encoding (f.bar, MAPHEX_TEXT_UTF8);

  maphex_find_bar_set_match_case (f.bar, TRUE);
  search (&f, MAPHEX_FIND_MODE_TEXT, "ÉTÉ À", "find-bar.next", 0);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");
  assert_selection (&f, 0, 0);

  maphex_find_bar_set_match_case (f.bar, FALSE);
  search (&f, MAPHEX_FIND_MODE_TEXT, "ÉTÉ À", "find-bar.next", 0);
  /* "Été à" is 8 bytes of UTF-8. */
  assert_selection (&f, 0x2000, 0x2008);

  /* set_pattern's ignore_case FALSE is Match case on. */
  maphex_find_bar_set_pattern (f.bar, "été", FALSE, FALSE);
  maphex_hex_view_set_cursor (f.view, 0, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.bar), "find-bar.next", NULL));
  wt_wait_until (search_finished, f.bar);
  g_assert_cmpstr (maphex_find_bar_get_message (f.bar), ==, "Not found");

  fixture_teardown (&f);
}

/* ---- bad patterns ---- */

/* `text` in `mode` is refused: the bar shows `prefix` and the query
 * constructor's own message, builds no query, and neither next nor Find All
 * search (no export taken, the selection stays). */
static void
assert_refused (Fixture        *f,
                MaphexFindMode  mode,
                const char     *text,
                const char     *prefix,
                const char     *constructor_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strconcat (prefix, constructor_message, NULL);
  guint exports = maphex_document_get_n_exports (f->doc);
  const char *actions[] = { "find-bar.next", "find-bar.previous", "find-bar.find-all" };

  maphex_find_bar_set_mode (f->bar, mode);
  maphex_find_bar_set_text (f->bar, text);
  g_assert_null (maphex_find_bar_build_query (f->bar, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      maphex_find_bar_set_text (f->bar, "");
      maphex_find_bar_set_text (f->bar, text);
      g_assert_cmpstr (maphex_find_bar_get_message (f->bar), ==, "");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->bar), actions[i], NULL));
      g_assert_false (maphex_find_bar_is_searching (f->bar));
      g_assert_cmpuint (maphex_document_get_n_exports (f->doc), ==, exports);
      g_assert_cmpstr (maphex_find_bar_get_message (f->bar), ==, expected);
      assert_selection (f, 0x10, 0x10);
    }
}

static void
test_bad_patterns_show_the_reason_and_search_nothing (void)
{
  const Plant plants[] = { { 0x100, (const guint8 *) "(4Z", 3 } };
  g_autoptr(GError) regex_error = NULL;
  g_autoptr(GError) wildcard_error = NULL;
  g_autoptr(GError) hex_error = NULL;
  Fixture f = { 0 };

  fixture_setup (&f, 0x1000, plants, G_N_ELEMENTS (plants));
  maphex_hex_view_set_cursor (f.view, 0x10, FALSE);

  g_assert_null (maphex_search_query_new_regex ("(", &regex_error));
  g_assert_null (maphex_search_query_new_wildcard ("4Z", &wildcard_error));
  g_assert_null (maphex_parse_hex_bytes ("4Z", &hex_error));

  assert_refused (&f, MAPHEX_FIND_MODE_HEX, "4Z", "Invalid hex: ", hex_error->message);
  assert_refused (&f, MAPHEX_FIND_MODE_WILDCARD, "4Z", "Invalid pattern: ", wildcard_error->message);
  assert_refused (&f, MAPHEX_FIND_MODE_REGEX, "(", "Invalid regular expression: ",
                  regex_error->message);
  /* The messages say where: the wildcard's names the character. */
  g_assert_nonnull (strstr (wildcard_error->message, "“Z”"));

  /* The same text is fine where it means something else. */
  search (&f, MAPHEX_FIND_MODE_TEXT, "(4Z", "find-bar.next", 0);
  assert_selection (&f, 0x100, 0x103);

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/find-modes/hex-and-wildcards-find-their-offsets",
                   test_hex_and_wildcards_find_their_offsets);
  g_test_add_func ("/find-modes/regex-selects-the-length-it-matched",
                   test_regex_selects_the_length_it_matched);
  g_test_add_func ("/find-modes/a-regex-match-longer-than-the-maximum-is-cut-and-the-bar-says-so",
                   test_a_regex_match_longer_than_the_maximum_is_cut_and_the_bar_says_so);
  g_test_add_func ("/find-modes/text-in-each-encoding-finds-only-its-own-bytes",
                   test_text_in_each_encoding_finds_only_its_own_bytes);
  g_test_add_func ("/find-modes/match-case-decides-for-non-ascii-utf8",
                   test_match_case_decides_for_non_ascii_utf8);
  g_test_add_func ("/find-modes/bad-patterns-show-the-reason-and-search-nothing",
                   test_bad_patterns_show_the_reason_and_search_nothing);

  return g_test_run ();
}
