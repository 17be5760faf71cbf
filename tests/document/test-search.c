/* test-search.c: the parsers, and Find / Find All on real files.
 *
 * The chunk sizes are made small so that matches fall across chunk borders
 * in files of a few pages.
 */
#include "maphex-document.h"
#include "maphex-document-search-private.h"
#include "maphex-search-query-private.h"

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
  gint64          length;          /* search: the match's length */
  GArray         *matches;         /* search all: MaphexSearchMatch */
  GArray         *batched;         /* search all: the batches, joined */
  guint           batches;
  GCancellable   *cancel_in_batch;
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

/* ---- pattern search: wildcards, regexes, text ---- */

static void
on_matches (const MaphexSearchMatch *matches,
            guint                    n,
            gpointer                 data)
{
  Call *call = data;

  g_assert_false (call->done);
  g_assert_cmpuint (n, >, 0);
  if (call->batched == NULL)
    call->batched = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  g_array_append_vals (call->batched, matches, n);
  call->batches++;
  if (call->cancel_in_batch != NULL)
    g_cancellable_cancel (call->cancel_in_batch);
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Call *call = data;

  call->offset = maphex_document_search_finish (MAPHEX_DOCUMENT (source), result,
                                                &call->length, &call->error);
  g_assert_cmpuint (maphex_document_get_n_exports (MAPHEX_DOCUMENT (source)), ==, 0);
  call->done = TRUE;
}

static void
search_all_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Call *call = data;

  call->matches = maphex_document_search_all_finish (MAPHEX_DOCUMENT (source), result,
                                                     &call->total, &call->error);
  g_assert_cmpuint (maphex_document_get_n_exports (MAPHEX_DOCUMENT (source)), ==, 0);
  call->done = TRUE;
}

/* The match found from `from`; offset -1 when none. */
static MaphexSearchMatch
search (MaphexDocument    *doc,
        MaphexSearchQuery *query,
        gint64             from,
        gboolean           backwards)
{
  Call call = { .doc = doc };

  maphex_document_search_async (doc, query, from, backwards, on_progress, &call, NULL,
                                search_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  if (call.offset < 0)
    g_assert_cmpint (call.length, ==, 0);
  return (MaphexSearchMatch) { call.offset, call.length };
}

/* Find All; checks that the batches gave exactly the matches returned. */
static GArray *
search_all (MaphexDocument    *doc,
            MaphexSearchQuery *query,
            guint              max_results,
            guint64           *total)
{
  Call call = { .doc = doc };

  maphex_document_search_all_async (doc, query, max_results, on_progress, &call,
                                    on_matches, &call, NULL, search_all_done, &call);
  wait_for (&call);
  g_assert_no_error (call.error);
  g_assert_nonnull (call.matches);
  g_assert_cmpuint (call.matches->len, ==, MIN (call.total, max_results));
  if (call.matches->len == 0)
    g_assert_null (call.batched);
  else
    g_assert_cmpmem (call.batched->data, call.batched->len * sizeof (MaphexSearchMatch),
                     call.matches->data, call.matches->len * sizeof (MaphexSearchMatch));
  g_clear_pointer (&call.batched, g_array_unref);
  *total = call.total;
  return call.matches;
}

static MaphexSearchQuery *
wildcard_query (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  MaphexSearchQuery *q = maphex_search_query_new_wildcard (pattern, &error);

  g_assert_no_error (error);
  g_assert_nonnull (q);
  return q;
}

static MaphexSearchQuery *
regex_query (const char *pattern,
             gsize       max_len)
{
  g_autoptr(GError) error = NULL;
  MaphexSearchQuery *q = _maphex_search_query_new_regex_cut (pattern, max_len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (q);
  return q;
}

static MaphexSearchQuery *
text_query (const char         *text,
            MaphexTextEncoding  encoding,
            gboolean            ignore_case)
{
  g_autoptr(GError) error = NULL;
  MaphexSearchQuery *q = maphex_search_query_new_text (text, encoding, ignore_case, &error);

  g_assert_no_error (error);
  g_assert_nonnull (q);
  return q;
}

/* What a query gives on `data`, worked out the slow way: every start with
 * a match, and that match's length. */
typedef struct {
  GArray *starts;   /* MaphexSearchMatch, in order */
  /* find all: the matches Find All reports (all starts, or the
   * non-overlapping ones for a regex) */
  GArray *all;
} Expected;

static void
expected_clear (Expected *e)
{
  g_clear_pointer (&e->starts, g_array_unref);
  g_clear_pointer (&e->all, g_array_unref);
}

/* Checks a document against `e`: forward from 0, from every expected start
 * and one past it, from random places; backward likewise; Find All capped
 * and not. */
static void
check_against (MaphexDocument    *doc,
               MaphexSearchQuery *q,
               const Expected    *e,
               gint64             len,
               GRand             *rand)
{
  GArray *starts = e->starts;
  g_autoptr(GArray) all = NULL;
  gint64 froms[12];
  guint n_froms = 0;
  guint64 total;

  froms[n_froms++] = 0;
  froms[n_froms++] = len;
  for (guint i = 0; i < 4; i++)
    froms[n_froms++] = g_rand_int_range (rand, 0, (gint32) len + 1);
  for (guint i = 0; i < 3 && starts->len > 0; i++)
    {
      gint64 at = g_array_index (starts, MaphexSearchMatch, g_rand_int_range (rand, 0, (gint32) starts->len)).offset;

      froms[n_froms++] = at;
      froms[n_froms++] = at + 1;
    }

  for (guint i = 0; i < n_froms; i++)
    {
      MaphexSearchMatch want_fwd = { -1, 0 }, want_back = { -1, 0 }, got;

      for (guint j = 0; j < starts->len; j++)
        {
          MaphexSearchMatch m = g_array_index (starts, MaphexSearchMatch, j);

          if (m.offset < froms[i])
            want_back = m;
          else if (want_fwd.offset < 0)
            want_fwd = m;
        }
      got = search (doc, q, froms[i], FALSE);
      g_assert_cmpint (got.offset, ==, want_fwd.offset);
      g_assert_cmpint (got.length, ==, want_fwd.length);
      got = search (doc, q, froms[i], TRUE);
      g_assert_cmpint (got.offset, ==, want_back.offset);
      g_assert_cmpint (got.length, ==, want_back.length);
    }

  all = search_all (doc, q, 1000000, &total);
  g_assert_cmpuint (total, ==, e->all->len);
  g_assert_cmpmem (all->data, all->len * sizeof (MaphexSearchMatch),
                   e->all->data, e->all->len * sizeof (MaphexSearchMatch));
  g_clear_pointer (&all, g_array_unref);

  /* Capped: the first ones, and the full count. */
  all = search_all (doc, q, 3, &total);
  g_assert_cmpuint (total, ==, e->all->len);
  g_assert_cmpuint (all->len, ==, MIN (3, e->all->len));
  g_assert_cmpmem (all->data, all->len * sizeof (MaphexSearchMatch),
                   e->all->data, all->len * sizeof (MaphexSearchMatch));
}

/* Data bytes from a few nibbles, so that nibble and byte patterns match
 * often enough to count. */
static guint8
random_byte (GRand *rand)
{
  static const guint8 nibbles[] = { 0x0, 0x4, 0xd };

  return (guint8) (nibbles[g_rand_int_range (rand, 0, 3)] << 4 | nibbles[g_rand_int_range (rand, 0, 3)]);
}

/* A random wildcard pattern as text, and its values and masks. */
static char *
random_wildcard (GRand      *rand,
                 GByteArray *values,
                 GByteArray *masks)
{
  GString *text = g_string_new (NULL);
  guint n = (guint) g_rand_int_range (rand, 1, 9);

  for (guint i = 0; i < n; i++)
    {
      guint8 v = random_byte (rand), m;
      guint kind = (guint) g_rand_int_range (rand, 0, 20);
      guint count = 1;

      m = kind < 10 ? 0xff : kind < 13 ? 0xf0 : kind < 16 ? 0x0f : 0x00;
      v &= m;
      if (g_rand_int_range (rand, 0, 8) == 0)
        count = (guint) g_rand_int_range (rand, 1, 4);
      g_string_append_printf (text, "%c%c", (m & 0xf0) ? "0123456789ABCDEF"[v >> 4] : '?',
                              (m & 0x0f) ? "0123456789abcdef"[v & 0xf] : '?');
      if (count > 1 || g_rand_int_range (rand, 0, 16) == 0)
        g_string_append_printf (text, "{%u}", count);
      if (g_rand_boolean (rand))
        g_string_append_c (text, ' ');
      for (guint c = 0; c < count; c++)
        {
          g_byte_array_append (values, &v, 1);
          g_byte_array_append (masks, &m, 1);
        }
    }
  return g_string_free (text, FALSE);
}

static void
expect_wildcard (Expected         *e,
                 const guint8     *data,
                 gsize             len,
                 const GByteArray *values,
                 const GByteArray *masks)
{
  e->starts = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  for (gsize s = 0; s + values->len <= len; s++)
    {
      gboolean ok = TRUE;

      for (guint i = 0; i < values->len && ok; i++)
        ok = (data[s + i] & masks->data[i]) == values->data[i];
      if (ok)
        {
          MaphexSearchMatch m = { (gint64) s, values->len };

          g_array_append_val (e->starts, m);
        }
    }
  e->all = g_array_ref (e->starts);
}

static void
test_wildcard_agrees_with_a_naive_matcher (void)
{
  const gsize len = 5000;
  /* Small chunks and blocks put matches across every kind of border; the
   * defaults (0) run whole blocks growing from the first size. */
  const gsize chunks[][2] = { { 97, 13 }, { 0, 0 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240610);
  g_autofree guint8 *data = g_malloc (len);
  guint with_matches = 0;
  Fixture f;

  for (gsize i = 0; i < len; i++)
    data[i] = random_byte (rand);
  /* A long run of one byte: dense anchors. */
  memset (data + 3000, 0x44, 400);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      _maphex_document_search_set_chunk_sizes (chunks[c][0], chunks[c][1]);
      for (guint i = 0; i < 60; i++)
        {
          g_autoptr(GByteArray) values = g_byte_array_new ();
          g_autoptr(GByteArray) masks = g_byte_array_new ();
          g_autofree char *text = random_wildcard (rand, values, masks);
          g_autoptr(MaphexSearchQuery) q = wildcard_query (text);
          Expected e;

          g_test_message ("pattern %s", text);
          g_assert_cmpint (maphex_search_query_get_kind (q), ==, MAPHEX_SEARCH_WILDCARD);
          g_assert_cmpint (maphex_search_query_get_max_match_length (q), ==, values->len);
          expect_wildcard (&e, data, len, values, masks);
          with_matches += e.starts->len > 0;
          check_against (f.doc, q, &e, (gint64) len, rand);
          expected_clear (&e);
        }
    }
  /* The patterns were not all misses. */
  g_assert_cmpuint (with_matches, >, 40);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_wildcard_special_patterns (void)
{
  const gsize len = 1 << 20;
  g_autofree guint8 *data = g_malloc0 (len);
  g_autoptr(MaphexSearchQuery) dense = NULL;
  g_autoptr(MaphexSearchQuery) any = NULL;
  g_autoptr(MaphexSearchQuery) nibbles = NULL;
  g_autoptr(GArray) all = NULL;
  MaphexSearchMatch m;
  guint64 total;
  Fixture f;

  /* Zeros, "00 00 ?? 01" once near each end: every start is an anchor
   * candidate, so the blocks grow to their largest. */
  data[100 + 3] = 0x01;
  data[len - 1] = 0x01;
  data[len - 2] = 0x77;
  data[len / 2] = 0xa5;
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  dense = wildcard_query ("00 00 ?? 01");
  m = search (f.doc, dense, 0, FALSE);
  g_assert_cmpint (m.offset, ==, 100);
  g_assert_cmpint (m.length, ==, 4);
  g_assert_cmpint (search (f.doc, dense, 101, FALSE).offset, ==, (gint64) len - 4);
  g_assert_cmpint (search (f.doc, dense, (gint64) len, TRUE).offset, ==, (gint64) len - 4);
  g_assert_cmpint (search (f.doc, dense, (gint64) len - 4, TRUE).offset, ==, 100);
  all = search_all (f.doc, dense, 10, &total);
  g_assert_cmpuint (total, ==, 2);
  g_clear_pointer (&all, g_array_unref);

  /* Nibbles only (no whole byte to anchor on): scanned in copies. */
  nibbles = wildcard_query ("a? ?5");
  g_assert_cmpint (search (f.doc, nibbles, 0, FALSE).offset, ==, -1);
  g_clear_pointer (&nibbles, maphex_search_query_unref);
  nibbles = wildcard_query ("?0 a? ?0");
  g_assert_cmpint (search (f.doc, nibbles, 0, FALSE).offset, ==, (gint64) len / 2 - 1);
  g_assert_cmpint (search (f.doc, nibbles, (gint64) len, TRUE).offset, ==, (gint64) len / 2 - 1);

  /* All wildcards: every start matches, whatever the bytes. */
  any = wildcard_query ("??{3}");
  m = search (f.doc, any, 17, FALSE);
  g_assert_cmpint (m.offset, ==, 17);
  g_assert_cmpint (m.length, ==, 3);
  g_assert_cmpint (search (f.doc, any, (gint64) len - 2, FALSE).offset, ==, -1);
  g_assert_cmpint (search (f.doc, any, 17, TRUE).offset, ==, 16);
  g_assert_cmpint (search (f.doc, any, (gint64) len, TRUE).offset, ==, (gint64) len - 3);
  g_assert_cmpint (search (f.doc, any, 0, TRUE).offset, ==, -1);
  all = search_all (f.doc, any, 5, &total);
  g_assert_cmpuint (total, ==, len - 2);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 4).offset, ==, 4);

  fixture_close (&f);
}

static void
test_wildcard_without_wildcards_is_exact (void)
{
  g_autoptr(MaphexSearchQuery) q = wildcard_query ("41 42 43");
  const gint64 at[] = { 10, 30 };
  g_autofree guint8 *data = make_data (64, "ABC", at, 2);
  MaphexSearchMatch m;
  Fixture f;

  g_assert_cmpint (maphex_search_query_get_kind (q), ==, MAPHEX_SEARCH_WILDCARD);
  fixture_open (&f, data, 64, MAPHEX_MODE_READ_ONLY);
  m = search (f.doc, q, 11, FALSE);
  g_assert_cmpint (m.offset, ==, 30);
  g_assert_cmpint (m.length, ==, 3);
  g_assert_cmpint (search (f.doc, q, 30, TRUE).offset, ==, 10);
  fixture_close (&f);
}

/* The reference for a regex: it matches at s when it matches anchored there
 * in the whole file (no windows). */
static void
expect_regex (Expected     *e,
              const char   *pattern,
              const guint8 *data,
              gsize         len,
              gsize         max_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) re = g_regex_new (pattern, G_REGEX_RAW | G_REGEX_DOTALL, 0, &error);
  gint64 next = 0;

  g_assert_no_error (error);
  e->starts = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  e->all = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  for (gsize s = 0; s < len; s++)
    {
      g_autoptr(GMatchInfo) info = NULL;
      gint ms, me;

      if (!g_regex_match_full (re, (const char *) data, (gssize) len, (gint) s,
                               G_REGEX_MATCH_ANCHORED | G_REGEX_MATCH_NOTEMPTY, &info, &error))
        {
          g_assert_no_error (error);
          continue;
        }
      g_assert_true (g_match_info_fetch_pos (info, 0, &ms, &me));
      g_assert_cmpint (ms, ==, (gint) s);
      {
        MaphexSearchMatch m = { (gint64) s, MIN ((gint64) (me - ms), (gint64) max_len) };

        g_array_append_val (e->starts, m);
        if ((gint64) s >= next)
          {
            g_array_append_val (e->all, m);
            next = (gint64) s + m.length;
          }
      }
    }
}

/* Random regexes whose matches are at most 12 bytes, over bytes A, B, NUL
 * and newline. */
static char *
random_regex (GRand *rand)
{
  static const char *atoms[] = { "\\x41", "\\x42", "\\x00", "\\x0a", ".", "[\\x41\\x42]", "[^\\x41]", "A" };
  static const char *quantifiers[] = { "", "", "", "", "?", "{1,2}", "{0,3}", "??", "{2}" };
  GString *re = g_string_new (NULL);
  gboolean alternation = g_rand_int_range (rand, 0, 4) == 0;

  for (guint part = 0; part < (alternation ? 2u : 1u); part++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 5);

      if (part == 1)
        g_string_append_c (re, '|');
      else if (alternation)
        g_string_append (re, "(?:");
      for (guint i = 0; i < n; i++)
        {
          g_string_append (re, atoms[g_rand_int_range (rand, 0, G_N_ELEMENTS (atoms))]);
          g_string_append (re, quantifiers[g_rand_int_range (rand, 0, G_N_ELEMENTS (quantifiers))]);
        }
    }
  if (alternation)
    g_string_append_c (re, ')');
  return g_string_free (re, FALSE);
}

static void
test_regex_agrees_with_anchored_matching_of_the_whole_file (void)
{
  const gsize len = 3000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  g_autofree guint8 *data = g_malloc (len);
  static const guint8 alphabet[] = { 'A', 'A', 'B', 'B', 'B', 0x00, 0x0a };
  guint with_matches = 0;
  Fixture f;

  for (gsize i = 0; i < len; i++)
    data[i] = alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))];
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  /* Small chunks and a 16-byte window past each start, then the defaults. */
  for (guint config = 0; config < 2; config++)
    {
      gsize max_len = config == 0 ? 16 : MAPHEX_SEARCH_REGEX_MAX_MATCH;

      _maphex_document_search_set_chunk_sizes (0, config == 0 ? 13 : 0);
      for (guint i = 0; i < 50; i++)
        {
          g_autofree char *pattern = random_regex (rand);
          g_autoptr(MaphexSearchQuery) q = regex_query (pattern, max_len);
          Expected e;

          g_test_message ("regex %s", pattern);
          g_assert_cmpint (maphex_search_query_get_kind (q), ==, MAPHEX_SEARCH_REGEX);
          expect_regex (&e, pattern, data, len, max_len);
          with_matches += e.starts->len > 0;
          check_against (f.doc, q, &e, (gint64) len, rand);
          expected_clear (&e);
        }
    }
  g_assert_cmpuint (with_matches, >, 50);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
test_regex_windows_keep_anchors_and_context (void)
{
  /* Chunks of 13 starts; windows reach 16 bytes past them. */
  const gsize len = 200;
  g_autofree guint8 *data = g_malloc0 (len);
  g_autoptr(MaphexSearchQuery) q = NULL;
  g_autoptr(GArray) all = NULL;
  MaphexSearchMatch m;
  guint64 total;
  Fixture f;

  data[0] = 'A';
  data[13] = 'A';            /* the first start of the second chunk */
  data[12] = 'A';            /* lookbehind across the border: "AA" at 12..13 */
  data[28] = 'A';            /* where the first chunk's window ends (13 + 16 - 1) */
  memset (data + 60, 'C', 40);   /* a run longer than 16 */
  data[120] = '\n';
  data[121] = 'B';
  data[len - 1] = 'A';
  _maphex_document_search_set_chunk_sizes (0, 13);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  /* "^" is the start of the file only, not of a window. */
  q = regex_query ("^\\x41", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, 0);
  g_assert_cmpint (search (f.doc, q, 1, FALSE).offset, ==, -1);
  g_assert_cmpint (search (f.doc, q, (gint64) len, TRUE).offset, ==, 0);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* "$" is the end of the file only, not of a window. */
  q = regex_query ("\\x41$", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, (gint64) len - 1);
  g_assert_cmpint (search (f.doc, q, (gint64) len - 1, TRUE).offset, ==, -1);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* Lookbehind sees the bytes before a chunk: from 13 forwards (and from
   * 26 backwards) the match at 13 is the first start of a chunk. */
  q = regex_query ("(?<=\\x41)\\x41", 16);
  m = search (f.doc, q, 13, FALSE);
  g_assert_cmpint (m.offset, ==, 13);
  g_assert_cmpint (m.length, ==, 1);
  g_assert_cmpint (search (f.doc, q, 26, TRUE).offset, ==, 13);
  g_assert_cmpint (search (f.doc, q, 13, TRUE).offset, ==, -1);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* Nor at the end of a window: the run of C (60..99) would match up to
   * every window's end. */
  q = regex_query ("\\x43+$", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, -1);
  g_assert_cmpint (search (f.doc, q, (gint64) len, TRUE).offset, ==, -1);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* (?m)^ after a newline. */
  q = regex_query ("(?m)^\\x42", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, 121);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* A match longer than the window is cut to it; Find All goes on after
   * each cut match. Backwards, the last start that matches is the run's
   * last byte. */
  q = regex_query ("\\x43+", 16);
  m = search (f.doc, q, 0, FALSE);
  g_assert_cmpint (m.offset, ==, 60);
  g_assert_cmpint (m.length, ==, 16);
  m = search (f.doc, q, (gint64) len, TRUE);
  g_assert_cmpint (m.offset, ==, 99);
  g_assert_cmpint (m.length, ==, 1);
  all = search_all (f.doc, q, 10, &total);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 0).offset, ==, 60);
  g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 1).offset, ==, 76);
  g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 2).offset, ==, 92);
  g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 2).length, ==, 8);
  g_clear_pointer (&all, g_array_unref);
  g_clear_pointer (&q, maphex_search_query_unref);

  /* With the real limit the run is one match. */
  {
    g_autoptr(GError) error = NULL;

    q = maphex_search_query_new_regex ("\\x43+", &error);
    g_assert_no_error (error);
    g_assert_cmpint (maphex_search_query_get_max_match_length (q), ==, MAPHEX_SEARCH_REGEX_MAX_MATCH);
    m = search (f.doc, q, 0, FALSE);
    g_assert_cmpint (m.offset, ==, 60);
    g_assert_cmpint (m.length, ==, 40);
    g_clear_pointer (&q, maphex_search_query_unref);
  }

  /* Empty matches are never reported; NULs are bytes like any other. */
  q = regex_query ("\\x42*", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, 121);
  g_clear_pointer (&q, maphex_search_query_unref);
  q = regex_query ("^", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, -1);
  all = search_all (f.doc, q, 10, &total);
  g_assert_cmpuint (total, ==, 0);
  g_clear_pointer (&all, g_array_unref);
  g_clear_pointer (&q, maphex_search_query_unref);
  q = regex_query ("\\x00\\x0a\\x42", 16);
  g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, 119);
  g_clear_pointer (&q, maphex_search_query_unref);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

/* "(A|B)+" over a long run of "AB" overflows the JIT's stack (GLib 2.74:
 * "backtracking limit reached" from 16 KiB on): the search goes on with the
 * interpreter and finds what the JIT would have. */
static void
test_regex_survives_the_jit_stack_limit (void)
{
  const gsize len = 40 * 1024;
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(MaphexSearchQuery) q = regex_query ("(\\x41|\\x42)+", 4096);
  g_autoptr(GArray) all = NULL;
  MaphexSearchMatch m;
  guint64 total;
  Fixture f;

  for (gsize i = 0; i < len; i++)
    data[i] = i % 2 ? 'B' : 'A';
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  m = search (f.doc, q, 0, FALSE);
  g_assert_cmpint (m.offset, ==, 0);
  g_assert_cmpint (m.length, ==, 4096);
  m = search (f.doc, q, 1001, FALSE);
  g_assert_cmpint (m.offset, ==, 1001);
  g_assert_cmpint (m.length, ==, 4096);
  m = search (f.doc, q, (gint64) len, TRUE);
  g_assert_cmpint (m.offset, ==, (gint64) len - 1);
  g_assert_cmpint (m.length, ==, 1);
  all = search_all (f.doc, q, 100, &total);
  g_assert_cmpuint (total, ==, 10);
  for (guint i = 0; i < all->len; i++)
    {
      g_assert_cmpint (g_array_index (all, MaphexSearchMatch, i).offset, ==, 4096 * i);
      g_assert_cmpint (g_array_index (all, MaphexSearchMatch, i).length, ==, 4096);
    }

  fixture_close (&f);
}

static void
test_bad_queries_give_errors (void)
{
  static const char *bad_regexes[] = { "(", "a)", "[a", "a{2,1}", "\\", "(?<n>a)(?<n>b)" };
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_regexes); i++)
    {
      g_autoptr(GError) regex_error = NULL;
      g_autoptr(GRegex) re = g_regex_new (bad_regexes[i], G_REGEX_RAW, 0, &regex_error);

      g_assert_null (re);
      g_assert_null (maphex_search_query_new_regex (bad_regexes[i], &error));
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
      /* GRegex's own message, which names the problem and where it is. */
      g_assert_cmpstr (error->message, ==, regex_error->message);
      g_clear_error (&error);
    }
  g_assert_null (maphex_search_query_new_regex ("", &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Enter a regular expression");
  g_clear_error (&error);

  g_assert_null (maphex_search_query_new_wildcard ("4Z", &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“Z” at position 2 is not a hex digit or “?”");
  g_clear_error (&error);

  g_assert_null (maphex_search_query_new_text ("", MAPHEX_TEXT_UTF16LE, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Enter text to search for");
  g_clear_error (&error);
  g_assert_null (maphex_search_query_new_text ("ab\xc3", MAPHEX_TEXT_UTF8, TRUE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The text is not valid UTF-8");
  g_clear_error (&error);

  g_assert_null (maphex_search_query_new_bytes (empty, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
}

/* `text` in UTF-16 of either order, by hand. */
static gsize
utf16 (const char *text,
       gboolean    big_endian,
       guint8     *out)
{
  g_autofree gunichar2 *units = NULL;
  glong n = 0;

  units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  g_assert_nonnull (units);
  for (glong i = 0; i < n; i++)
    {
      out[2 * i + (big_endian ? 0 : 1)] = (guint8) (units[i] >> 8);
      out[2 * i + (big_endian ? 1 : 0)] = (guint8) units[i];
    }
  return (gsize) n * 2;
}

static void
test_text_in_utf16_finds_the_encoded_bytes (void)
{
  const char *text = "Hé\xf0\x9d\x84\x9e!";   /* H, é, U+1D11E (a surrogate pair), ! */
  const gsize len = 300;
  g_autofree guint8 *data = g_malloc0 (len);
  guint8 le[32], be[32], upper_le[32];
  gsize n_le = utf16 (text, FALSE, le), n_be = utf16 (text, TRUE, be);
  gsize n_upper = utf16 ("hÉ\xf0\x9d\x84\x9e!", FALSE, upper_le);
  g_autoptr(GArray) all = NULL;
  MaphexSearchMatch m;
  guint64 total;
  Fixture f;

  g_assert_cmpuint (n_le, ==, 10);
  memcpy (data + 11, le, n_le);           /* odd offset */
  memcpy (data + 62, be, n_be);           /* across a chunk border (61) */
  memcpy (data + 200, upper_le, n_upper); /* other case */
  _maphex_document_search_set_chunk_sizes (61, 61);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  for (guint ic = 0; ic < 2; ic++)
    {
      g_autoptr(MaphexSearchQuery) qle = text_query (text, MAPHEX_TEXT_UTF16LE, ic);
      g_autoptr(MaphexSearchQuery) qbe = text_query (text, MAPHEX_TEXT_UTF16BE, ic);

      g_assert_cmpint (maphex_search_query_get_kind (qle), ==, MAPHEX_SEARCH_TEXT);
      m = search (f.doc, qle, 0, FALSE);
      g_assert_cmpint (m.offset, ==, 11);
      g_assert_cmpint (m.length, ==, 10);
      m = search (f.doc, qbe, 0, FALSE);
      g_assert_cmpint (m.offset, ==, 62);
      g_assert_cmpint (m.length, ==, 10);
      g_assert_cmpint (search (f.doc, qbe, 63, FALSE).offset, ==, -1);
      g_assert_cmpint (search (f.doc, qbe, (gint64) len, TRUE).offset, ==, 62);
      /* The other case only when it is ignored. */
      g_assert_cmpint (search (f.doc, qle, 12, FALSE).offset, ==, ic ? 200 : -1);
      g_assert_cmpint (search (f.doc, qle, (gint64) len, TRUE).offset, ==, ic ? 200 : 11);
      all = search_all (f.doc, qle, 10, &total);
      g_assert_cmpuint (total, ==, ic ? 2 : 1);
      g_clear_pointer (&all, g_array_unref);
    }

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

typedef struct {
  const char *needle;
  const char *found;    /* a spelling ignoring case accepts, or NULL */
  const char *missed;   /* one it must not, or NULL */
} CaseCase;

static void
test_text_ignoring_case_beyond_ascii (void)
{
  static const CaseCase cases[] = {
    { "école", "ÉCOLE", "ecole" },
    { "ÉCOLE", "éCoLe", NULL },
    { "Straße", "STRAẞE", "STRASSE" },
    { "σ", "Σ", NULL },
    { "Σ", "ς", NULL },
    { "ſ", "S", NULL },
    { "sſ", "ss", NULL },
    { "\xe2\x84\xaa", "k", NULL },      /* KELVIN SIGN finds k (not the other way: below) */
    { "ǆ", "ǅ", NULL },                 /* title case */
    { "Ω", "ω", "w" },
    { "日本", "日本", "日木" },
  };
  const gsize len = 256;

  _maphex_document_search_set_chunk_sizes (0, 7);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *data = g_malloc0 (len);
      g_autoptr(MaphexSearchQuery) q = text_query (cases[i].needle, MAPHEX_TEXT_UTF8, TRUE);
      g_autoptr(MaphexSearchQuery) exact = text_query (cases[i].needle, MAPHEX_TEXT_UTF8, FALSE);
      gsize n = strlen (cases[i].found);
      MaphexSearchMatch m;
      Fixture f;

      g_test_message ("%s ~ %s", cases[i].needle, cases[i].found);
      /* Between invalid UTF-8: a lead byte before, a stray continuation
       * byte after. */
      data[39] = 0xe2;
      memcpy (data + 40, cases[i].found, n);
      data[40 + n] = 0x80;
      data[41 + n] = 0xff;
      if (cases[i].missed != NULL)
        memcpy (data + 100, cases[i].missed, strlen (cases[i].missed));
      fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

      m = search (f.doc, q, 0, FALSE);
      g_assert_cmpint (m.offset, ==, 40);
      g_assert_cmpint (m.length, ==, n);
      m = search (f.doc, q, (gint64) len, TRUE);
      g_assert_cmpint (m.offset, ==, 40);
      g_assert_cmpint (search (f.doc, q, 41, FALSE).offset, ==, -1);
      if (strcmp (cases[i].needle, cases[i].found) != 0)
        g_assert_cmpint (search (f.doc, exact, 0, FALSE).offset, ==, -1);
      fixture_close (&f);
    }

  /* The Kelvin sign is not an ASCII k's other case. */
  {
    const char *data = "xx\xe2\x84\xaa" "Ö";
    g_autoptr(MaphexSearchQuery) q = text_query ("kö", MAPHEX_TEXT_UTF8, TRUE);
    g_autoptr(MaphexSearchQuery) ascii = text_query ("k", MAPHEX_TEXT_UTF8, TRUE);
    Fixture f;

    fixture_open (&f, (const guint8 *) data, strlen (data), MAPHEX_MODE_READ_ONLY);
    g_assert_cmpint (search (f.doc, q, 0, FALSE).offset, ==, -1);
    g_assert_cmpint (search (f.doc, ascii, 0, FALSE).offset, ==, -1);
    fixture_close (&f);
  }

  /* Find All counts overlapping matches, as for bytes. */
  {
    const char *data = "ÄäÄäx";
    g_autoptr(MaphexSearchQuery) q = text_query ("ää", MAPHEX_TEXT_UTF8, TRUE);
    g_autoptr(GArray) all = NULL;
    guint64 total;
    Fixture f;

    fixture_open (&f, (const guint8 *) data, strlen (data), MAPHEX_MODE_READ_ONLY);
    all = search_all (f.doc, q, 10, &total);
    g_assert_cmpuint (total, ==, 3);
    g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 1).offset, ==, 2);
    g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 2).offset, ==, 4);
    g_assert_cmpint (g_array_index (all, MaphexSearchMatch, 2).length, ==, 4);
    fixture_close (&f);
  }
  _maphex_document_search_set_chunk_sizes (0, 0);
}

/* Ignoring case looks for other spellings of characters in planes 0 and 1
 * only: none beyond has a case mapping. */
static void
test_no_character_past_plane_1_has_a_case_mapping (void)
{
  for (gunichar c = 0x20000; c <= 0x10ffff; c++)
    if (g_unichar_tolower (c) != c || g_unichar_toupper (c) != c || g_unichar_totitle (c) != c)
      g_error ("U+%04X has a case mapping", c);
}

/* Every kind of query ends with FAULT when the file shrank under the map,
 * before the search or while it runs. */
static MaphexSearchQuery **
fault_queries (guint *n)
{
  MaphexSearchQuery **qs = g_new0 (MaphexSearchQuery *, 5);

  qs[0] = wildcard_query ("78 79 ?? 7A");   /* anchored */
  qs[1] = wildcard_query ("7? ?9");         /* copied */
  qs[2] = regex_query ("xy+z", MAPHEX_SEARCH_REGEX_MAX_MATCH);
  qs[3] = text_query ("é", MAPHEX_TEXT_UTF8, TRUE);
  *n = 4;
  return qs;
}

static void
free_queries (MaphexSearchQuery **qs)
{
  for (guint i = 0; qs[i] != NULL; i++)
    maphex_search_query_unref (qs[i]);
  g_free (qs);
}

static void
test_pattern_search_faults_when_the_file_shrank (void)
{
  g_autofree guint8 *data = make_data (16 * CHUNK, "", NULL, 0);
  guint n;
  MaphexSearchQuery **qs = fault_queries (&n);
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 16 * CHUNK, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpint (truncate (f.path, CHUNK), ==, 0);

  for (guint i = 0; i < n; i++)
    for (guint all = 0; all < 2; all++)
      {
        Call call = { .doc = f.doc };

        if (all)
          maphex_document_search_all_async (f.doc, qs[i], 10, NULL, NULL, NULL, NULL, NULL,
                                            search_all_done, &call);
        else
          maphex_document_search_async (f.doc, qs[i], 0, FALSE, NULL, NULL, NULL,
                                        search_done, &call);
        wait_for (&call);
        g_assert_error (call.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
        g_assert_null (call.matches);
        g_clear_error (&call.error);
      }

  while (g_main_context_iteration (NULL, FALSE))
    ;
  free_queries (qs);
  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

static void
truncate_in_progress (double   fraction,
                      gpointer data)
{
  Call *call = data;

  if (call->progress_calls++ == 0)
    g_assert_cmpint (truncate (g_object_get_data (G_OBJECT (call->doc), "path"), 4096), ==, 0);
}

static void
test_pattern_search_faults_when_the_file_shrinks_while_it_runs (void)
{
  /* Sparse, large enough that a search is far from done when its first
   * progress report reaches the main thread, which then cuts the file (the
   * search stops at the cut, so only what it read before takes memory). */
  const gint64 len = G_GINT64_CONSTANT (2) << 30;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  MaphexSearchQuery **qs;
  guint n;
  int fd;

  fd = g_file_open_tmp ("maphex-search-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  qs = fault_queries (&n);
  file = g_file_new_for_path (path);

  for (guint i = 0; i < n; i += 2)   /* anchored wildcard, regex */
    {
      MaphexDocument *doc;
      Call call = { 0 };

      g_assert_cmpint (truncate (path, len), ==, 0);
      doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
      g_assert_no_error (error);
      g_object_set_data_full (G_OBJECT (doc), "path", g_strdup (path), g_free);
      call.doc = doc;
      maphex_document_search_async (doc, qs[i], 0, FALSE, truncate_in_progress, &call, NULL,
                                    search_done, &call);
      wait_for (&call);
      g_assert_error (call.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
      g_clear_error (&call.error);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (doc);
    }

  free_queries (qs);
  g_unlink (path);
}

static void
test_pattern_search_can_be_cancelled (void)
{
  g_autofree guint8 *data = g_malloc0 (64 * CHUNK);
  guint n;
  MaphexSearchQuery **qs = fault_queries (&n);
  Fixture f;

  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, 64 * CHUNK, MAPHEX_MODE_READ_ONLY);

  for (guint i = 0; i < n; i++)
    for (guint all = 0; all < 2; all++)
      {
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        Call call = { .doc = f.doc, .cancel_in_progress = cancellable };

        if (all)
          maphex_document_search_all_async (f.doc, qs[i], 10, on_progress, &call, on_matches, &call,
                                            cancellable, search_all_done, &call);
        else
          maphex_document_search_async (f.doc, qs[i], 64 * CHUNK, TRUE, on_progress, &call,
                                        cancellable, search_done, &call);
        wait_for (&call);
        g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_assert_cmpuint (call.progress_calls, ==, 1);
        g_assert_null (call.matches);
        g_clear_error (&call.error);
      }
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 0);

  free_queries (qs);
  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
}

/* Batches of matches come before the callback and stop with a cancel. */
static void
test_find_all_batches_stop_when_cancelled (void)
{
  const gsize len = 64 * CHUNK;
  g_autofree guint8 *data = g_malloc0 (len);
  g_autoptr(MaphexSearchQuery) q = wildcard_query ("?? 01");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Call call = { 0 };
  Fixture f;

  for (gsize i = 1; i < len; i += 3)
    data[i] = 0x01;
  _maphex_document_search_set_chunk_sizes (CHUNK, CHUNK);
  fixture_open (&f, data, len, MAPHEX_MODE_READ_ONLY);

  call.doc = f.doc;
  call.cancel_in_batch = cancellable;
  maphex_document_search_all_async (f.doc, q, G_MAXUINT, NULL, NULL, on_matches, &call,
                                    cancellable, search_all_done, &call);
  wait_for (&call);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (call.batches, ==, 1);
  g_assert_cmpuint (call.batched->len, >, 0);
  g_assert_cmpint (g_array_index (call.batched, MaphexSearchMatch, 0).offset, ==, 0);
  g_clear_error (&call.error);
  g_clear_pointer (&call.batched, g_array_unref);

  fixture_close (&f);
  _maphex_document_search_set_chunk_sizes (0, 0);
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
  g_test_add_func ("/search/wildcard/agrees-with-a-naive-matcher",
                   test_wildcard_agrees_with_a_naive_matcher);
  g_test_add_func ("/search/wildcard/special-patterns",
                   test_wildcard_special_patterns);
  g_test_add_func ("/search/wildcard/without-wildcards-is-exact",
                   test_wildcard_without_wildcards_is_exact);
  g_test_add_func ("/search/regex/agrees-with-anchored-matching-of-the-whole-file",
                   test_regex_agrees_with_anchored_matching_of_the_whole_file);
  g_test_add_func ("/search/regex/windows-keep-anchors-and-context",
                   test_regex_windows_keep_anchors_and_context);
  g_test_add_func ("/search/regex/survives-the-jit-stack-limit",
                   test_regex_survives_the_jit_stack_limit);
  g_test_add_func ("/search/query/bad-queries-give-errors",
                   test_bad_queries_give_errors);
  g_test_add_func ("/search/text/utf16-finds-the-encoded-bytes",
                   test_text_in_utf16_finds_the_encoded_bytes);
  g_test_add_func ("/search/text/ignoring-case-beyond-ascii",
                   test_text_ignoring_case_beyond_ascii);
  g_test_add_func ("/search/text/no-character-past-plane-1-has-a-case-mapping",
                   test_no_character_past_plane_1_has_a_case_mapping);
  g_test_add_func ("/search/pattern/faults-when-the-file-shrank",
                   test_pattern_search_faults_when_the_file_shrank);
  g_test_add_func ("/search/pattern/faults-when-the-file-shrinks-while-it-runs",
                   test_pattern_search_faults_when_the_file_shrinks_while_it_runs);
  g_test_add_func ("/search/pattern/can-be-cancelled",
                   test_pattern_search_can_be_cancelled);
  g_test_add_func ("/search/find-all/batches-stop-when-cancelled",
                   test_find_all_batches_stop_when_cancelled);

  return g_test_run ();
}
