/* test-search.c: the parsers, and Find / Find All on real files.
 *
 * The chunk sizes are made small so that matches fall across chunk borders
 * in files of a few pages.
 */
#include "maphex-document.h"
#include "maphex-document-search-private.h"

#include <glib/gstdio.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096

/* ---- parsers ---- */

static void
assert_hex (const char   *text,
            const guint8 *expected,
            gsize         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = maphex_parse_hex_bytes (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, n);
}

static void
assert_hex_error (const char *text,
                  const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = maphex_parse_hex_bytes (text, &error);

  g_assert_null (bytes);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_parse_hex_accepts_spaced_and_packed_digits (void)
{
  static const guint8 deadbeef[] = { 0xde, 0xad, 0xbe, 0xef };

  assert_hex ("DE AD be ef", deadbeef, 4);
  assert_hex ("deadbeef", deadbeef, 4);
  assert_hex ("  dEaD\tBEef \n", deadbeef, 4);
  assert_hex ("D EA DB EE F", deadbeef, 4);
  assert_hex ("0xdeadbeef", deadbeef, 4);
  assert_hex ("00", (const guint8 *) "\0", 1);
}

static void
test_parse_hex_names_the_bad_digit_and_the_odd_count (void)
{
  assert_hex_error ("GZ", "“G” is not a hex digit");
  assert_hex_error ("DE AD GE", "“G” is not a hex digit");
  assert_hex_error ("12 é4", "“é” is not a hex digit");
  /* The message stays valid UTF-8: a bad character is named whole even when
   * invalid bytes follow it, and an invalid byte is shown escaped. */
  assert_hex_error ("12 é4\xff", "“é” is not a hex digit");
  assert_hex_error ("12 \xff", "“\\xff” is not a hex digit");
  assert_hex_error ("ABC", "Odd number of hex digits (3)");
  assert_hex_error ("DE AD B", "Odd number of hex digits (5)");
  assert_hex_error ("", "No hex digits");
  assert_hex_error ("   ", "No hex digits");
}

/* `expected` writes the pattern a byte at a time: "4d" whole, "4." or ".f"
 * half known, ".." unknown. */
static void
assert_wildcard (const char *text,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) values = NULL;
  g_autoptr(GBytes) masks = NULL;
  const guint8 *v, *m;
  gsize n, n_masks;

  g_assert_true (maphex_parse_wildcard (text, &values, &masks, &error));
  g_assert_no_error (error);
  v = g_bytes_get_data (values, &n);
  m = g_bytes_get_data (masks, &n_masks);
  g_assert_cmpuint (n, ==, n_masks);
  g_assert_cmpuint (n, ==, strlen (expected) / 2);
  for (gsize i = 0; i < n; i++)
    {
      char c[2] = { expected[2 * i], expected[2 * i + 1] };
      guint8 mask = (c[0] == '.' ? 0 : 0xf0) | (c[1] == '.' ? 0 : 0x0f);
      guint8 value = (guint8) ((c[0] == '.' ? 0 : g_ascii_xdigit_value (c[0]) << 4) |
                               (c[1] == '.' ? 0 : g_ascii_xdigit_value (c[1])));

      g_assert_cmphex (m[i], ==, mask);
      g_assert_cmphex (v[i], ==, value);
    }
}

static void
assert_wildcard_error (const char *text,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  GBytes *values = NULL, *masks = NULL;

  g_assert_false (maphex_parse_wildcard (text, &values, &masks, &error));
  g_assert_null (values);
  g_assert_null (masks);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_parse_wildcard_bytes_nibbles_and_runs (void)
{
  g_autofree char *many = g_strnfill (2 * 65536, '.');

  assert_wildcard ("4D 5A ?? ?? 50 45", "4d5a....5045");
  assert_wildcard ("4d5a????5045", "4d5a....5045");
  assert_wildcard (" 4? ?F\t", "4..f");
  assert_wildcard ("4 ? ?f", "4..f");   /* spaces may split a byte, as in hex */
  assert_wildcard ("??{4}", "........");
  assert_wildcard ("00{3} 4?{2}", "0000004.4.");
  assert_wildcard ("41 ?? {2} 42", "41....42");
  assert_wildcard ("??{1}", "..");
  assert_wildcard ("??{65536}", many);
  assert_wildcard ("?? ??{65535}", many);
}

static void
test_parse_wildcard_names_the_bad_character_and_position (void)
{
  assert_wildcard_error ("4Z", "“Z” at position 2 is not a hex digit or “?”");
  assert_wildcard_error ("4D 5A G?", "“G” at position 7 is not a hex digit or “?”");
  assert_wildcard_error ("12 é4", "“é” at position 4 is not a hex digit or “?”");
  assert_wildcard_error ("12 \xff", "“\\xff” at position 4 is not a hex digit or “?”");
  assert_wildcard_error ("?? }", "“}” at position 4 is not a hex digit or “?”");
  assert_wildcard_error ("{4}", "“{” at position 1 must follow a byte, as in ??{4}");
  assert_wildcard_error ("??{2}{3}", "“{” at position 6 must follow a byte, as in ??{4}");
  assert_wildcard_error ("??{", "“{” at position 3 needs a count and a closing “}”, as in ??{4}");
  assert_wildcard_error ("??{}", "“{” at position 3 needs a count and a closing “}”, as in ??{4}");
  assert_wildcard_error ("?? {x}", "“{” at position 4 needs a count and a closing “}”, as in ??{4}");
  assert_wildcard_error ("??{4", "“{” at position 3 needs a count and a closing “}”, as in ??{4}");
  assert_wildcard_error ("??{ 4}", "“{” at position 3 needs a count and a closing “}”, as in ??{4}");
  assert_wildcard_error ("??{0}", "The count at position 4 must be at least 1");
  assert_wildcard_error ("4{2}",
                         "Half a byte at position 1: write each byte as two hex digits or “?”, as in 4D, 4? or ??");
  assert_wildcard_error ("4D 5",
                         "Half a byte at position 4: write each byte as two hex digits or “?”, as in 4D, 4? or ??");
  assert_wildcard_error ("??{65537}", "The pattern is longer than 65536 bytes");
  assert_wildcard_error ("?? ?? ??{65535}", "The pattern is longer than 65536 bytes");
  assert_wildcard_error ("??{99999999999999999999}", "The pattern is longer than 65536 bytes");
  assert_wildcard_error ("", "Enter a pattern of hex bytes, as in 4D 5A ?? ?? 50 45");
  assert_wildcard_error (" \t ", "Enter a pattern of hex bytes, as in 4D 5A ?? ?? 50 45");
}

static gint64
parse_ok (const char *text,
          gint64      current,
          gint64      length)
{
  g_autoptr(GError) error = NULL;
  gint64 result = -1;

  g_assert_true (maphex_parse_offset (text, current, length, &result, &error));
  g_assert_no_error (error);
  return result;
}

static void
assert_offset_error (const char *text,
                     gint64      current,
                     gint64      length,
                     int         code,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  gint64 result = 12345;

  g_assert_false (maphex_parse_offset (text, current, length, &result, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, code);
  g_assert_cmpint (result, ==, 12345);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_parse_offset_absolute_relative_and_percent (void)
{
  g_assert_cmpint (parse_ok ("0x1f", 0, 0x100), ==, 0x1f);
  g_assert_cmpint (parse_ok ("0X1F", 0, 0x100), ==, 0x1f);
  g_assert_cmpint (parse_ok ("31", 0, 0x100), ==, 31);
  g_assert_cmpint (parse_ok ("  31 ", 0, 0x100), ==, 31);
  g_assert_cmpint (parse_ok ("+100", 10, 0x100), ==, 110);
  g_assert_cmpint (parse_ok ("-0x10", 0x20, 0x100), ==, 0x10);
  g_assert_cmpint (parse_ok ("- 16", 0x20, 0x100), ==, 0x10);
  g_assert_cmpint (parse_ok ("50%", 0, 0x100), ==, 0x80);
  g_assert_cmpint (parse_ok ("100%", 0, 0x100), ==, 0x100);
  g_assert_cmpint (parse_ok ("0%", 7, 0x100), ==, 0);
  g_assert_cmpint (parse_ok ("12.5%", 0, 0x100), ==, 0x20);
  g_assert_cmpint (parse_ok ("+25%", 0x10, 0x100), ==, 0x50);
  /* The end itself is a place the cursor can be. */
  g_assert_cmpint (parse_ok ("0x100", 0, 0x100), ==, 0x100);
  /* 1 TiB */
  g_assert_cmpint (parse_ok ("50%", 0, G_GINT64_CONSTANT (1) << 40), ==, G_GINT64_CONSTANT (1) << 39);
  g_assert_cmpint (parse_ok ("100%", 0, G_MAXINT64), ==, G_MAXINT64);
}

static void
test_parse_offset_refuses_out_of_range (void)
{
  assert_offset_error ("0x200", 0, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE,
                       "Offset 0x200 is past the end of the file (0x100)");
  assert_offset_error ("+0x10", 0xf8, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE,
                       "Offset 0x108 is past the end of the file (0x100)");
  assert_offset_error ("-0x10", 0x8, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE,
                       "Offset -0x8 is before the start of the file");
  assert_offset_error ("101%", 0, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE, NULL);
  assert_offset_error ("99999999999999999999999", 0, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE, NULL);
  assert_offset_error ("+0x7fffffffffffffff", 1, 0x100, MAPHEX_DOCUMENT_ERROR_RANGE, NULL);
  assert_offset_error ("1", 0, 0, MAPHEX_DOCUMENT_ERROR_RANGE, NULL);
}

static void
test_parse_offset_refuses_malformed_text (void)
{
  const char *bad[] = { "abc", "0x", "0xg", "12z", "+", "-", "%", "1.5", "5%%", "1 2", "--1", "0x-1" };

  assert_offset_error ("", 0, 0x100, MAPHEX_DOCUMENT_ERROR_INVALID, "Enter an offset");
  assert_offset_error ("   ", 0, 0x100, MAPHEX_DOCUMENT_ERROR_INVALID, "Enter an offset");
  assert_offset_error ("abc", 0, 0x100, MAPHEX_DOCUMENT_ERROR_INVALID,
                       "“abc” is not an offset: use 1234, 0x4d2, +16, -0x10 or 50%");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_offset_error (bad[i], 0, 0x100, MAPHEX_DOCUMENT_ERROR_INVALID, NULL);
}

/* ---- documents on temporary files ---- */

typedef struct {
  char           *path;
  MaphexDocument *doc;
} Fixture;

static void
fixture_open (Fixture      *f,
              const guint8 *data,
              gsize         len,
              MaphexMode    mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  int fd;

  fd = g_file_open_tmp ("maphex-search-XXXXXX", &f->path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (f->path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, mode, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->doc);
}

static void
fixture_close (Fixture *f)
{
  g_assert_finalize_object (f->doc);
  g_unlink (f->path);
  g_free (f->path);
}

/* Zeros, with `needle` written at each of `offsets`. */
static guint8 *
make_data (gsize         len,
           const char   *needle,
           const gint64 *offsets,
           guint         n_offsets)
{
  guint8 *data = g_malloc0 (len);

  for (guint i = 0; i < n_offsets; i++)
    memcpy (data + offsets[i], needle, strlen (needle));
  return data;
}

typedef struct {
  MaphexDocument *doc;
  gboolean        done;
  gint64          offset;
  GArray         *offsets;
  guint64         total;
  GError         *error;
  guint           progress_calls;
  guint           exports_seen_in_progress;
  double          last_fraction;
  gboolean        edit_in_progress;
  GCancellable   *cancel_in_progress;
} Call;

static void
on_progress (double   fraction,
             gpointer data)
{
  Call *call = data;

  g_assert_false (call->done);
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  g_assert_cmpfloat (fraction, >=, call->last_fraction);
  call->last_fraction = fraction;
  call->progress_calls++;
  if (maphex_document_get_n_exports (call->doc) > 0)
    call->exports_seen_in_progress++;

  if (call->edit_in_progress)
    {
      g_autoptr(GError) error = NULL;
      guint8 b = 0x55;

      /* The lock is taken per chunk: the main thread can edit meanwhile. */
      g_assert_true (maphex_document_replace (call->doc, 0, &b, 1, &error));
      g_assert_no_error (error);
    }
  if (call->cancel_in_progress != NULL)
    g_cancellable_cancel (call->cancel_in_progress);
}

static void
find_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Call *call = data;

  call->offset = maphex_document_find_finish (MAPHEX_DOCUMENT (source), result, &call->error);
  /* The export is released before the callback runs. */
  g_assert_cmpuint (maphex_document_get_n_exports (MAPHEX_DOCUMENT (source)), ==, 0);
  call->done = TRUE;
}

static void
find_all_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Call *call = data;

  call->offsets = maphex_document_find_all_finish (MAPHEX_DOCUMENT (source), result,
                                                   &call->total, &call->error);
  g_assert_cmpuint (maphex_document_get_n_exports (MAPHEX_DOCUMENT (source)), ==, 0);
  call->done = TRUE;
}

static void
wait_for (Call *call)
{
  while (!call->done)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
find_full (MaphexDocument *doc,
           const char     *needle,
           gsize           n,
           gboolean        ignore_case,
           gint64          from,
           gboolean        backwards)
{
  g_autoptr(GBytes) bytes = g_bytes_new (needle, n);
  Call call = { .doc = doc };

  maphex_document_find_async (doc, bytes, ignore_case, from, backwards,
                              on_progress, &call, NULL, find_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  return call.offset;
}

static gint64
find (MaphexDocument *doc,
      const char     *needle,
      gint64          from,
      gboolean        backwards)
{
  return find_full (doc, needle, strlen (needle), FALSE, from, backwards);
}

static void
test_find_forward_and_backward_across_chunk_borders (void)
{
  /* Matches straddling every kind of border: one byte before it, in the
   * middle, ending exactly on it, starting on it. */
  const gint64 at[] = { 5, CHUNK - 1, 2 * CHUNK - 2, 3 * CHUNK - 4, 4 * CHUNK, 6 * CHUNK - 3 };
  const gsize len = 6 * CHUNK + 1;
  g_autofree guint8 *data = make_data (len, "\xde\xad\xbe\xef", at, G_N_ELEMENTS (at));
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  /* Forward: each match is found from anywhere after the previous one. */
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      gint64 prev = i == 0 ? 0 : at[i - 1] + 1;

      g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", prev, FALSE), ==, at[i]);
      g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", at[i], FALSE), ==, at[i]);
    }
  g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", at[G_N_ELEMENTS (at) - 1] + 1, FALSE), ==, -1);

  /* Backward: the last match that starts before `from`. */
  g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", (gint64) len, TRUE), ==, at[G_N_ELEMENTS (at) - 1]);
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", at[i] + 1, TRUE), ==, at[i]);
      g_assert_cmpint (find (f.doc, "\xde\xad\xbe\xef", at[i], TRUE), ==, i == 0 ? -1 : at[i - 1]);
    }

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_find_without_a_match_gives_minus_one (void)
{
  const gint64 at[] = { 100 };
  g_autofree guint8 *data = make_data (3 * CHUNK, "needle", at, 1);
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 3 * CHUNK, MAPHEX_MODE_READ_ONLY);

  g_assert_cmpint (find (f.doc, "missing", 0, FALSE), ==, -1);
  g_assert_cmpint (find (f.doc, "missing", 3 * CHUNK, TRUE), ==, -1);
  g_assert_cmpint (find (f.doc, "needle", 101, FALSE), ==, -1);
  g_assert_cmpint (find (f.doc, "needle", 100, TRUE), ==, -1);
  g_assert_cmpint (find (f.doc, "needle", 0, TRUE), ==, -1);
  g_assert_cmpint (find (f.doc, "needle", 3 * CHUNK, FALSE), ==, -1);
  /* Out-of-range starting points are clamped. */
  g_assert_cmpint (find (f.doc, "needle", -50, FALSE), ==, 100);
  g_assert_cmpint (find (f.doc, "needle", G_MAXINT64, TRUE), ==, 100);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_find_at_the_very_ends_of_the_file (void)
{
  const gint64 at[] = { 0, 2 * CHUNK - 4 };
  g_autofree guint8 *data = make_data (2 * CHUNK, "ABCD", at, 2);
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 2 * CHUNK, MAPHEX_MODE_READ_ONLY);

  g_assert_cmpint (find (f.doc, "ABCD", 0, FALSE), ==, 0);
  g_assert_cmpint (find (f.doc, "ABCD", 1, FALSE), ==, 2 * CHUNK - 4);
  g_assert_cmpint (find (f.doc, "ABCD", 2 * CHUNK, TRUE), ==, 2 * CHUNK - 4);
  g_assert_cmpint (find (f.doc, "ABCD", 2 * CHUNK - 4, TRUE), ==, 0);
  /* A needle longer than the file. */
  {
    g_autofree char *big = g_strnfill (2 * CHUNK + 1, 'A');
    g_assert_cmpint (find (f.doc, big, 0, FALSE), ==, -1);
    g_assert_cmpint (find (f.doc, big, 2 * CHUNK, TRUE), ==, -1);
  }

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_find_ignoring_case_folds_ascii_letters_only (void)
{
  const gint64 at[] = { CHUNK - 3, 3 * CHUNK - 1 };
  g_autofree guint8 *data = make_data (4 * CHUNK, "HeLLo WoRLD", at, 2);
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 4 * CHUNK, MAPHEX_MODE_READ_ONLY);

  g_assert_cmpint (find_full (f.doc, "hello world", 11, TRUE, 0, FALSE), ==, at[0]);
  g_assert_cmpint (find_full (f.doc, "HELLO WORLD", 11, TRUE, at[0] + 1, FALSE), ==, at[1]);
  g_assert_cmpint (find_full (f.doc, "hello world", 11, TRUE, 4 * CHUNK, TRUE), ==, at[1]);
  g_assert_cmpint (find_full (f.doc, "hello world", 11, TRUE, at[1], TRUE), ==, at[0]);
  g_assert_cmpint (find_full (f.doc, "hello world", 11, TRUE, at[0], TRUE), ==, -1);
  /* Case matters without the option. */
  g_assert_cmpint (find_full (f.doc, "hello world", 11, FALSE, 0, FALSE), ==, -1);
  g_assert_cmpint (find_full (f.doc, "HeLLo WoRLD", 11, FALSE, 0, FALSE), ==, at[0]);
  /* '@' (0x40) and '`' (0x60) are not letters: no folding between them. */
  g_assert_cmpint (find_full (f.doc, "`ELLO", 5, TRUE, 0, FALSE), ==, -1);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

/* Every byte value, at every alignment: only A-Z and a-z meet. */
static void
test_ignoring_case_folds_exactly_the_ascii_letters (void)
{
  const gsize len = 1 + 3 * 512;
  g_autofree guint8 *data = g_malloc0 (len);
  Fixture f;

  for (gsize r = 0; r < 3; r++)
    for (guint c = 0; c < 256; c++)
      {
        data[1 + r * 512 + 2 * c] = 'Q';
        data[1 + r * 512 + 2 * c + 1] = (guint8) c;
      }

  _maphex_document_search_set_chunk_sizes (61, 61);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);
  for (guint c = 0; c < 256; c++)
    {
      guint8 needle[2] = { 'q', (guint8) c };
      g_autoptr(GBytes) bytes = g_bytes_new (needle, 2);
      Call call = { .doc = f.doc };

      maphex_document_find_all_async (f.doc, bytes, TRUE, 100, NULL, NULL, NULL,
                                      find_all_done, &call);
      wait_for (&call);
      g_assert_no_error (call.error);
      if (g_ascii_tolower (c) == 'q')
        /* "QQ" twice over (Q Q Q), "Qq" and "qQ" (q then the next pair's Q). */
        g_assert_cmpuint (call.total, ==, 12);
      else if (g_ascii_isalpha (c))
        g_assert_cmpuint (call.total, ==, 6);
      else
        g_assert_cmpuint (call.total, ==, 3);
      g_clear_pointer (&call.offsets, g_array_unref);
    }
  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_find_all_counts_overlapping_matches_across_borders (void)
{
  g_autofree guint8 *data = g_malloc0 (4 * CHUNK);
  Fixture f;
  Call call = { 0 };
  g_autoptr(GBytes) aa = g_bytes_new ("AA", 2);

  /* "AAAAA" across the first border: 4 overlapping "AA"; "AA" at the end. */
  memset (data + CHUNK - 2, 'A', 5);
  memcpy (data + 4 * CHUNK - 2, "AA", 2);
  memcpy (data + 2 * CHUNK, "aA", 2);

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 4 * CHUNK, MAPHEX_MODE_READ_ONLY);

  call.doc = f.doc;
  maphex_document_find_all_async (f.doc, aa, FALSE, 100, on_progress, &call, NULL,
                                  find_all_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.total, ==, 5);
  g_assert_cmpuint (call.offsets->len, ==, 5);
  g_assert_cmpint (g_array_index (call.offsets, gint64, 0), ==, CHUNK - 2);
  g_assert_cmpint (g_array_index (call.offsets, gint64, 3), ==, CHUNK + 1);
  g_assert_cmpint (g_array_index (call.offsets, gint64, 4), ==, 4 * CHUNK - 2);
  g_clear_pointer (&call.offsets, g_array_unref);

  /* Ignoring case, "aA" counts too; capped at 3 offsets, the total is whole. */
  memset (&call, 0, sizeof call);
  call.doc = f.doc;
  maphex_document_find_all_async (f.doc, aa, TRUE, 3, on_progress, &call, NULL,
                                  find_all_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.total, ==, 6);
  g_assert_cmpuint (call.offsets->len, ==, 3);
  g_assert_cmpint (g_array_index (call.offsets, gint64, 2), ==, CHUNK);
  g_clear_pointer (&call.offsets, g_array_unref);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_find_all_without_matches_is_empty (void)
{
  g_autofree guint8 *data = g_malloc0 (CHUNK);
  g_autoptr(GBytes) needle = g_bytes_new ("\x01\x02", 2);
  Fixture f;
  Call call = { 0 };

  fixture_open (&f, data, CHUNK, MAPHEX_MODE_READ_ONLY);
  call.doc = f.doc;
  maphex_document_find_all_async (f.doc, needle, FALSE, 10, NULL, NULL, NULL,
                                  find_all_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_cmpuint (call.total, ==, 0);
  g_assert_nonnull (call.offsets);
  g_assert_cmpuint (call.offsets->len, ==, 0);
  g_clear_pointer (&call.offsets, g_array_unref);
  fixture_close (&f);
}

/* The worker threads take their signal mask from the thread that made them
 * (GLib's own worker thread blocks every signal). A fault with SIGBUS
 * blocked kills the thread's process whatever handler there is, so the
 * search unblocks it for its run: a search over a file that shrank under
 * the map comes back with FAULT instead. In a subprocess, whose first
 * search threads are made with SIGBUS and SIGSEGV blocked. */
static void
test_search_faults_even_from_threads_made_with_faults_blocked_subprocess (void)
{
  g_autofree guint8 *data = make_data (4 * CHUNK, "xyz", NULL, 0);
  g_autoptr(GBytes) needle = g_bytes_new ("xyz", 3);
  sigset_t faults;
  Fixture f;
  Call call = { 0 };

  sigemptyset (&faults);
  sigaddset (&faults, SIGBUS);
  sigaddset (&faults, SIGSEGV);
  g_assert_cmpint (pthread_sigmask (SIG_BLOCK, &faults, NULL), ==, 0);

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 4 * CHUNK, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpint (truncate (f.path, CHUNK), ==, 0);

  call.doc = f.doc;
  maphex_document_find_async (f.doc, needle, FALSE, 0, FALSE, NULL, NULL, NULL, find_done, &call);
  wait_for (&call);
  g_assert_error (call.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&call.error);
  /* the queued "file-shrunk" holds the document until the loop runs it */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fixture_close (&f);
}

static void
test_search_faults_even_from_threads_made_with_faults_blocked (void)
{
  g_test_trap_subprocess ("/search/faults-even-from-threads-made-with-faults-blocked/subprocess",
                          0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_search_holds_an_export_while_it_runs (void)
{
  const gint64 at[] = { 20 * CHUNK + 7 };
  g_autofree guint8 *data = make_data (21 * CHUNK, "xyz", at, 1);
  g_autoptr(GBytes) needle = g_bytes_new ("xyz", 3);
  g_autoptr(GError) error = NULL;
  Fixture f;
  Call call = { 0 };

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 21 * CHUNK, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  call.doc = f.doc;
  maphex_document_find_async (f.doc, needle, FALSE, 0, FALSE, on_progress, &call, NULL,
                              find_done, &call);
  /* Taken before the call returns. */
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_cmpint (call.offset, ==, at[0]);
  g_assert_cmpuint (call.progress_calls, >, 0);
  g_assert_cmpuint (call.exports_seen_in_progress, ==, call.progress_calls);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  /* Edits on the main thread go on while the search runs. */
  memset (&call, 0, sizeof call);
  call.doc = f.doc;
  call.edit_in_progress = TRUE;
  maphex_document_find_async (f.doc, needle, TRUE, 0, FALSE, on_progress, &call, NULL,
                              find_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_cmpint (call.offset, ==, at[0]);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  /* Nothing holds the map now: the document goes away cleanly. */
  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_search_can_be_cancelled (void)
{
  g_autofree guint8 *data = g_malloc0 (64 * CHUNK);
  g_autoptr(GBytes) needle = g_bytes_new ("zz", 2);
  g_autoptr(GCancellable) cancellable = NULL;
  Fixture f;
  Call call = { 0 };

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 64 * CHUNK, MAPHEX_MODE_READ_ONLY);

  /* Cancelled before it starts. */
  cancellable = g_cancellable_new ();
  call.doc = f.doc;
  maphex_document_find_async (f.doc, needle, FALSE, 0, FALSE, NULL, NULL, cancellable,
                              find_done, &call);
  g_cancellable_cancel (cancellable);
  wait_for (&call);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (call.offset, ==, -1);
  g_clear_error (&call.error);

  /* Cancelled from its first progress report, in the middle. */
  for (guint all = 0; all < 2; all++)
    {
      g_clear_object (&cancellable);
      cancellable = g_cancellable_new ();
      memset (&call, 0, sizeof call);
      call.doc = f.doc;
      call.cancel_in_progress = cancellable;
      if (all)
        maphex_document_find_all_async (f.doc, needle, TRUE, 10, on_progress, &call, cancellable,
                                        find_all_done, &call);
      else
        maphex_document_find_async (f.doc, needle, FALSE, 64 * CHUNK, TRUE, on_progress, &call,
                                    cancellable, find_done, &call);
      wait_for (&call);
      g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (call.progress_calls, ==, 1);
      g_assert_null (call.offsets);
      g_clear_error (&call.error);
    }
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_search_in_an_empty_file_finds_nothing (void)
{
  Fixture f;

  fixture_open (&f, (const guint8 *) "", 0, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 0);
  g_assert_cmpint (find (f.doc, "a", 0, FALSE), ==, -1);
  g_assert_cmpint (find (f.doc, "a", 0, TRUE), ==, -1);
  g_assert_cmpint (find_full (f.doc, "a", 1, TRUE, 0, FALSE), ==, -1);
  fixture_close (&f);
}

static void
test_search_refuses_an_empty_needle (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  Fixture f;
  Call call = { 0 };

  fixture_open (&f, (const guint8 *) "abc", 3, MAPHEX_MODE_READ_ONLY);
  call.doc = f.doc;
  maphex_document_find_async (f.doc, empty, FALSE, 0, FALSE, NULL, NULL, NULL, find_done, &call);
  wait_for (&call);
  g_assert_error (call.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_clear_error (&call.error);
  fixture_close (&f);
}

static void
test_search_with_default_chunks_on_a_larger_file (void)
{
  /* 80 MiB, sparse: more than two default chunks of either kind. */
  const gint64 len = 80 * 1024 * 1024;
  const gint64 at = 32 * 1024 * 1024 - 2;   /* across the first exact-chunk border */
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  MaphexDocument *doc;
  int fd;

  fd = g_file_open_tmp ("maphex-search-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ftruncate (fd, len), ==, 0);
  g_assert_cmpint (pwrite (fd, "Needle", 6, at), ==, 6);
  g_assert_cmpint (pwrite (fd, "NEEDLE", 6, len - 6), ==, 6);
  close (fd);

  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_no_error (error);

  g_assert_cmpint (find (doc, "Needle", 0, FALSE), ==, at);
  g_assert_cmpint (find (doc, "Needle", len, TRUE), ==, at);
  g_assert_cmpint (find_full (doc, "needle", 6, TRUE, at + 1, FALSE), ==, len - 6);
  g_assert_cmpint (find_full (doc, "needle", 6, TRUE, len - 6, TRUE), ==, at);

  g_assert_finalize_object (doc);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parse/hex/accepts-spaced-and-packed-digits",
                   test_parse_hex_accepts_spaced_and_packed_digits);
  g_test_add_func ("/parse/hex/names-the-bad-digit-and-the-odd-count",
                   test_parse_hex_names_the_bad_digit_and_the_odd_count);
  g_test_add_func ("/parse/wildcard/bytes-nibbles-and-runs",
                   test_parse_wildcard_bytes_nibbles_and_runs);
  g_test_add_func ("/parse/wildcard/names-the-bad-character-and-position",
                   test_parse_wildcard_names_the_bad_character_and_position);
  g_test_add_func ("/parse/offset/absolute-relative-and-percent",
                   test_parse_offset_absolute_relative_and_percent);
  g_test_add_func ("/parse/offset/refuses-out-of-range",
                   test_parse_offset_refuses_out_of_range);
  g_test_add_func ("/parse/offset/refuses-malformed-text",
                   test_parse_offset_refuses_malformed_text);
  g_test_add_func ("/search/find/forward-and-backward-across-chunk-borders",
                   test_find_forward_and_backward_across_chunk_borders);
  g_test_add_func ("/search/find/without-a-match-gives-minus-one",
                   test_find_without_a_match_gives_minus_one);
  g_test_add_func ("/search/find/at-the-very-ends-of-the-file",
                   test_find_at_the_very_ends_of_the_file);
  g_test_add_func ("/search/find/ignoring-case-folds-ascii-letters-only",
                   test_find_ignoring_case_folds_ascii_letters_only);
  g_test_add_func ("/search/find/ignoring-case-folds-exactly-the-ascii-letters",
                   test_ignoring_case_folds_exactly_the_ascii_letters);
  g_test_add_func ("/search/find-all/counts-overlapping-matches-across-borders",
                   test_find_all_counts_overlapping_matches_across_borders);
  g_test_add_func ("/search/find-all/without-matches-is-empty",
                   test_find_all_without_matches_is_empty);
  g_test_add_func ("/search/faults-even-from-threads-made-with-faults-blocked",
                   test_search_faults_even_from_threads_made_with_faults_blocked);
  g_test_add_func ("/search/faults-even-from-threads-made-with-faults-blocked/subprocess",
                   test_search_faults_even_from_threads_made_with_faults_blocked_subprocess);
  g_test_add_func ("/search/holds-an-export-while-it-runs",
                   test_search_holds_an_export_while_it_runs);
  g_test_add_func ("/search/can-be-cancelled",
                   test_search_can_be_cancelled);
  g_test_add_func ("/search/in-an-empty-file-finds-nothing",
                   test_search_in_an_empty_file_finds_nothing);
  g_test_add_func ("/search/refuses-an-empty-needle",
                   test_search_refuses_an_empty_needle);
  g_test_add_func ("/search/default-chunks-on-a-larger-file",
                   test_search_with_default_chunks_on_a_larger_file);

  return g_test_run ();
}
