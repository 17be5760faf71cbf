/* test-replace.c: Replace and Replace All (maphex-document-replace.c,
 * maphex-document-rewrite.c).
 *
 * Replace All in each mode against a naive replace computed here (refused
 * read-only; copy-on-write and write-through), undo and redo byte for
 * byte, a cancel at several chunks (file and document as before), another
 * program shrinking the file during it (FAULT, what is left of the file as
 * before), the async form in the runner, overlapping and regex matches, and
 * a single Replace. Other lengths: refused where the length is fixed, and
 * in write-through and scratch against the naive replace on random data
 * (growing, shrinking, deleting; matches at the start, the end, adjacent;
 * a regex whose matches grow and shrink), cancels and a shrink meanwhile in
 * both directions, the exports rule, a single Replace as an insert or a
 * delete. Undo and redo of a large step in the runner, cancelled (the
 * bytes as before it) then done; a small one at once.
 *
 * The runner's chunk is one page, and a chunk hook cancels or truncates
 * after a chosen chunk.
 */
#include "maphex-document-private.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *tmp_dir;
static guint file_counter;
static gint64 page;

#define NEEDLE      "MAPHEX"
#define REPLACEMENT "hexmap"
#define NLEN        6

/* ---- helpers ---- */

/* Random bytes (a fixed seed) with NEEDLE at every 32 bytes from 7 on. */
static GBytes *
make_content (gsize len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  for (gsize at = 7; at + NLEN <= len; at += 32)
    memcpy (data + at, NEEDLE, NLEN);
  return g_bytes_new_take (data, len);
}

static char *
new_file (GBytes *content)
{
  g_autofree char *name = g_strdup_printf ("replace-%u.bin", ++file_counter);
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (content, NULL),
                       (gssize) g_bytes_get_size (content), &error);
  g_assert_no_error (error);
  return path;
}

/* The naive replace: scan left to right, replace, skip past it. */
static GBytes *
naive_replace (GBytes       *content,
               const char   *needle,
               const char   *replacement,
               guint        *count)
{
  gsize len, n = strlen (needle);
  const guint8 *src = g_bytes_get_data (content, &len);
  guint8 *out = g_memdup2 (src, len);

  g_assert_cmpuint (strlen (replacement), ==, n);
  *count = 0;
  for (gsize i = 0; i + n <= len; )
    {
      if (memcmp (src + i, needle, n) == 0)
        {
          memcpy (out + i, replacement, n);
          (*count)++;
          i += n;
        }
      else
        i++;
    }
  return g_bytes_new_take (out, len);
}

static GBytes *
slurp (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
assert_file_is (const char *path,
                GBytes     *expected)
{
  g_autoptr(GBytes) now = slurp (path);

  g_assert_cmpmem (g_bytes_get_data (now, NULL), g_bytes_get_size (now),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static void
assert_doc_is (MaphexDocument *doc,
               GBytes         *expected)
{
  gsize len = g_bytes_get_size (expected);
  g_autofree guint8 *buf = g_malloc (len);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (maphex_document_get_length (doc), ==, (gint64) len);
  maphex_document_read (doc, 0, buf, len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, len, g_bytes_get_data (expected, NULL), len);
}

static MaphexDocument *
open_doc (const char *path,
          MaphexMode  mode)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, mode, &error);

  g_assert_no_error (error);
  return doc;
}

static MaphexSearchQuery *
needle_query (const char *needle)
{
  g_autoptr(GBytes) bytes = g_bytes_new (needle, strlen (needle));
  g_autoptr(GError) error = NULL;
  MaphexSearchQuery *q = maphex_search_query_new_bytes (bytes, FALSE, &error);

  g_assert_no_error (error);
  return q;
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* ---- the chunk hook ---- */

typedef enum { HOOK_NONE, HOOK_CANCEL, HOOK_TRUNCATE } HookAction;

static struct {
  HookAction  action;
  guint       at;
  guint       calls;
  gboolean    fired;
  const char *path;
  gint64      to;
} hook;

static void
chunk_hook (MaphexDocument *doc,
            guint           chunk,
            gpointer        data)
{
  hook.calls = chunk;
  if (chunk != hook.at || hook.action == HOOK_NONE)
    return;
  hook.fired = TRUE;
  if (hook.action == HOOK_CANCEL)
    maphex_document_cancel_operation (doc);
  else
    {
      int fd = open (hook.path, O_WRONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, hook.to), ==, 0);
      close (fd);
    }
}

static void
hook_arm (HookAction action,
          guint      at)
{
  hook.action = action;
  hook.at = at;
  hook.calls = 0;
  hook.fired = FALSE;
}

typedef struct {
  gboolean done;
  gint64   count;
  GError  *error;
} Result;

static void
on_replaced (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Result *r = data;

  r->count = maphex_document_replace_all_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static GBytes *
repl_six (void)
{
  static GBytes *six;

  if (six == NULL)
    six = g_bytes_new_static (REPLACEMENT, NLEN);
  return six;
}

/* ---- tests ---- */

static void
test_read_only_refused (void)
{
  g_autoptr(GBytes) before = make_content (4 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);
  g_assert_false (maphex_document_replace_range (doc, 7, NLEN, repl, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_assert_false (maphex_document_get_can_undo (doc));
  assert_doc_is (doc, before);
  assert_file_is (path, before);
}

static void
check_replace_all_undo_redo (MaphexMode mode)
{
  g_autoptr(GBytes) before = make_content (16 * page + 100);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, mode);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gint64 n;

  expected = naive_replace (before, NEEDLE, REPLACEMENT, &count);
  g_assert_cmpuint (count, >, 1000);
  n = maphex_document_replace_all (doc, q, repl, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, count);
  assert_doc_is (doc, expected);
  assert_file_is (path, mode == MAPHEX_MODE_WRITE_THROUGH ? expected : before);
  g_assert_true (maphex_document_get_modified (doc));

  /* One step: one undo puts back every byte, and nothing is left to undo. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  assert_doc_is (doc, before);
  assert_file_is (path, before);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_no_error (error);
  assert_doc_is (doc, expected);

  /* Copy-on-write: Save writes exactly the replaced ranges. */
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  assert_file_is (path, expected);

  /* Nothing left to replace: 0, and no step. */
  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  assert_doc_is (doc, before);
}

static void
test_copy_on_write (void)
{
  check_replace_all_undo_redo (MAPHEX_MODE_COPY_ON_WRITE);
}

static void
test_write_through (void)
{
  check_replace_all_undo_redo (MAPHEX_MODE_WRITE_THROUGH);
}

/* Where the length cannot change (copy-on-write): another length is
 * refused with both lengths and the reason, a fixed-length query's before
 * any search (the async call is not even busy), a regex's at its first
 * match of another length; nothing changes. */
static void
test_other_length_refused_where_the_length_is_fixed (void)
{
  g_autoptr(GBytes) before = make_content (4 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(MaphexSearchQuery) rq = NULL;
  g_autoptr(GBytes) shorter = text_bytes ("hex");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_cmpint (maphex_document_replace_all (doc, q, shorter, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "3 bytes"));
  g_assert_nonnull (strstr (error->message, "6"));
  g_assert_nonnull (strstr (error->message, "write-through"));
  g_clear_error (&error);

  maphex_document_replace_all_async (doc, q, shorter, NULL, NULL, on_replaced, &r);
  g_assert_false (maphex_document_get_busy (doc));
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_clear_error (&r.error);

  g_assert_cmpint (maphex_document_replace_all (doc, q, empty, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  /* A regex: found 7 bytes long ("MAPHEX" and the byte after), refused. */
  rq = maphex_search_query_new_regex ("MAPHEX.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_replace_all (doc, rq, repl_six (), NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "7"));
  g_clear_error (&error);

  g_assert_false (maphex_document_replace_range (doc, 7, NLEN, shorter, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_busy (doc));
  assert_doc_is (doc, before);
  assert_file_is (path, before);
}

/* Cancelled after the first, a middle and the last chunk but one. */
static void
test_cancelled_anywhere_leaves_the_file (void)
{
  g_autoptr(GBytes) before = make_content (64 * page);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GBytes) expected = NULL;
  guint count, chunks;

  expected = naive_replace (before, NEEDLE, REPLACEMENT, &count);
  chunks = (guint) ((count * NLEN + page - 1) / page);
  g_assert_cmpuint (chunks, >=, 4);
  for (guint m = 0; m < 2; m++)
    {
      MaphexMode mode = m == 0 ? MAPHEX_MODE_WRITE_THROUGH : MAPHEX_MODE_COPY_ON_WRITE;
      guint points[] = { 1, chunks / 2, chunks - 1 };

      for (guint i = 0; i < G_N_ELEMENTS (points); i++)
        {
          g_autofree char *path = new_file (before);
          g_autoptr(MaphexDocument) doc = open_doc (path, mode);
          g_autoptr(GError) error = NULL;

          hook_arm (HOOK_CANCEL, points[i]);
          g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_true (hook.fired);
          hook_arm (HOOK_NONE, 0);
          assert_doc_is (doc, before);
          assert_file_is (path, before);
          g_assert_false (maphex_document_get_can_undo (doc));
          g_assert_false (maphex_document_get_busy (doc));
        }
    }

  /* Without a cancel the same run goes through every chunk. */
  {
    g_autofree char *path = new_file (before);
    g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
    g_autoptr(GError) error = NULL;

    hook_arm (HOOK_NONE, 0);
    g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, count);
    g_assert_cmpuint (hook.calls, ==, chunks);
    assert_file_is (path, expected);
  }
}

/* Another program cuts the file to half during it: FAULT, and the half left
 * is as it was before. */
static void
test_file_shrunk_meanwhile (void)
{
  g_autoptr(GBytes) before = make_content (64 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  hook_arm (HOOK_TRUNCATE, 8);   /* past the half: 12 chunks in all */
  hook.path = path;
  hook.to = 32 * page;
  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
  g_assert_true (hook.fired);
  hook_arm (HOOK_NONE, 0);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_false (maphex_document_get_can_undo (doc));
  after = slurp (path);
  g_assert_cmpuint (g_bytes_get_size (after), ==, 32 * page);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), 32 * page,
                   g_bytes_get_data (before, NULL), 32 * page);
}

static void
test_async_in_the_runner (void)
{
  g_autoptr(GBytes) before = make_content (16 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  guint count;

  expected = naive_replace (before, NEEDLE, REPLACEMENT, &count);
  maphex_document_replace_all_async (doc, q, repl, NULL, NULL, on_replaced, &r);
  g_assert_true (maphex_document_get_busy (doc));
  g_assert_nonnull (maphex_document_get_operation_name (doc));
  g_assert_false (maphex_document_set_byte (doc, 0, 1, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.count, ==, count);
  g_assert_false (maphex_document_get_busy (doc));
  assert_doc_is (doc, expected);
  g_assert_true (maphex_document_get_can_undo (doc));
}

/* Overlapping exact matches are replaced left to right without overlap;
 * a regex's matches as it finds them (same length here). */
static void
test_overlapping_and_regex (void)
{
  g_autoptr(GBytes) content = g_bytes_new ("xaaaaay-ab1-ab2-", 16);
  g_autofree char *path = new_file (content);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(MaphexSearchQuery) q = needle_query ("aa");
  g_autoptr(MaphexSearchQuery) rq = NULL;
  g_autoptr(GBytes) repl = text_bytes ("bc");
  g_autoptr(GBytes) rrepl = text_bytes ("ZZZ");
  g_autoptr(GBytes) expected1 = g_bytes_new ("xbcbcay-ab1-ab2-", 16);
  g_autoptr(GBytes) expected2 = g_bytes_new ("xbcbcay-ZZZ-ZZZ-", 16);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, 2);
  g_assert_no_error (error);
  assert_file_is (path, expected1);
  rq = maphex_search_query_new_regex ("ab[0-9]", &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_replace_all (doc, rq, rrepl, NULL, NULL, &error), ==, 2);
  g_assert_no_error (error);
  assert_file_is (path, expected2);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  assert_file_is (path, expected1);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  assert_file_is (path, content);
}

static void
test_replace_range (void)
{
  g_autoptr(GBytes) before = make_content (2 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GBytes) repl = text_bytes (REPLACEMENT);
  g_autoptr(GError) error = NULL;
  guint8 buf[NLEN];

  g_assert_true (maphex_document_replace_range (doc, 39, NLEN, repl, &error));
  g_assert_no_error (error);
  maphex_document_read (doc, 39, buf, NLEN, &error);
  g_assert_cmpmem (buf, NLEN, REPLACEMENT, NLEN);
  maphex_document_read (doc, 7, buf, NLEN, &error);
  g_assert_cmpmem (buf, NLEN, NEEDLE, NLEN);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  assert_doc_is (doc, before);
  g_assert_false (maphex_document_replace_range (doc, 2 * page - 2, NLEN, repl, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  assert_doc_is (doc, before);
}

/* ---- other lengths ---- */

/* The naive replace of any lengths: scan left to right, replace, skip past. */
static GBytes *
naive_replace_any (GBytes       *content,
                   const guint8 *needle,
                   gsize         n,
                   const guint8 *repl,
                   gsize         rn,
                   guint        *count)
{
  gsize len;
  const guint8 *src = g_bytes_get_data (content, &len);
  GByteArray *out = g_byte_array_new ();

  *count = 0;
  for (gsize i = 0; i < len; )
    {
      if (i + n <= len && memcmp (src + i, needle, n) == 0)
        {
          g_byte_array_append (out, repl, (guint) rn);
          (*count)++;
          i += n;
        }
      else
        g_byte_array_append (out, src + i++, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

/* The naive "ZQ+": a Z and the longest run of Q after it. */
static GBytes *
naive_replace_zq (GBytes     *content,
                  const char *repl,
                  guint      *count)
{
  gsize len;
  const guint8 *src = g_bytes_get_data (content, &len);
  GByteArray *out = g_byte_array_new ();

  *count = 0;
  for (gsize i = 0; i < len; )
    {
      gsize q = i + 1;

      while (src[i] == 'Z' && q < len && src[q] == 'Q')
        q++;
      if (src[i] == 'Z' && q > i + 1)
        {
          g_byte_array_append (out, (const guint8 *) repl, (guint) strlen (repl));
          (*count)++;
          i = q;
        }
      else
        g_byte_array_append (out, src + i++, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

/* Random bytes of `len` with `needle` at 0, at the very end, and between:
 * runs of adjacent copies, short gaps and gaps of up to three pages (more
 * than a chunk, so both ways of moving a gap run). */
static GBytes *
make_planted_gaps (guint32     seed,
                   gsize       len,
                   const char *needle,
                   gint32      big_gap)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize n = strlen (needle);
  guint8 *data = g_malloc (len);
  gsize at = 0;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  while (at + n <= len)
    {
      guint kind = g_rand_int_range (rand, 0, 3);

      memcpy (data + at, needle, n);
      at += n;
      if (kind == 1)
        at += g_rand_int_range (rand, 1, 64);
      else if (kind == 2)
        at += g_rand_int_range (rand, 1, big_gap);
    }
  memcpy (data + len - n, needle, n);
  return g_bytes_new_take (data, len);
}

static GBytes *
make_planted (guint32     seed,
              gsize       len,
              const char *needle)
{
  return make_planted_gaps (seed, len, needle, 3 * (gint32) page);
}

/* "Z" and 1 to 12 "Q"s, so a 3-byte replacement grows some matches and
 * shrinks others: the boundaries move up and down in one file. */
static GBytes *
make_zq (guint32 seed,
         gsize   len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);
  gsize at = 0;

  for (gsize i = 0; i < len; i++)
    {
      data[i] = (guint8) g_rand_int_range (rand, 0, 256);
      if (data[i] == 'Z' || data[i] == 'Q')
        data[i] = '.';
    }
  while (at + 14 <= len)
    {
      guint q = g_rand_int_range (rand, 1, 13);

      data[at] = 'Z';
      memset (data + at + 1, 'Q', q);
      at += 1 + q + (g_rand_boolean (rand) ? g_rand_int_range (rand, 1, 40)
                                           : g_rand_int_range (rand, 1, 2 * (gint32) page));
    }
  return g_bytes_new_take (data, len);
}

static MaphexDocument *
scratch_with (GBytes *content)
{
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_scratch ((gint64) g_bytes_get_size (content), &error);

  g_assert_no_error (error);
  g_assert_true (maphex_document_replace (doc, 0, g_bytes_get_data (content, NULL),
                                          g_bytes_get_size (content), &error));
  g_assert_no_error (error);
  return doc;
}

typedef struct {
  const char *needle;
  const char *replacement;
} LengthCase;

static const LengthCase length_cases[] = {
  { "MAPHEX", "hx" },           /* shrinks: front to back */
  { "QZ", "0123456789" },       /* grows: back to front */
  { "DEAD", "" },               /* deletes every match */
};

/* Every case in a write-through file and a scratch buffer, against the
 * naive replace: the count, the bytes and the length; one undo puts back
 * the file byte for byte, redo and undo again. */
static void
test_other_length_against_naive (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (length_cases); c++)
    for (guint scratch = 0; scratch < 2; scratch++)
      {
        const LengthCase *lc = &length_cases[c];
        g_autoptr(GBytes) before = make_planted (100 + c, 40 * page + 123, lc->needle);
        g_autofree char *path = scratch ? NULL : new_file (before);
        g_autoptr(MaphexDocument) doc = scratch ? scratch_with (before)
                                                : open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
        g_autoptr(MaphexSearchQuery) q = needle_query (lc->needle);
        g_autoptr(GBytes) repl = text_bytes (lc->replacement);
        g_autoptr(GBytes) expected = NULL;
        g_autoptr(GError) error = NULL;
        guint count = 0;

        expected = naive_replace_any (before, (const guint8 *) lc->needle, strlen (lc->needle),
                                      (const guint8 *) lc->replacement,
                                      strlen (lc->replacement), &count);
        g_assert_cmpuint (count, >, 40);
        g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, count);
        g_assert_no_error (error);
        assert_doc_is (doc, expected);
        if (path != NULL)
          assert_file_is (path, expected);

        g_assert_true (maphex_document_undo (doc, NULL, &error));
        g_assert_no_error (error);
        assert_doc_is (doc, before);
        if (path != NULL)
          {
            assert_file_is (path, before);
            g_assert_false (maphex_document_get_can_undo (doc));
          }
        g_assert_true (maphex_document_redo (doc, NULL, &error));
        g_assert_no_error (error);
        assert_doc_is (doc, expected);
        if (path != NULL)
          assert_file_is (path, expected);
        g_assert_true (maphex_document_undo (doc, NULL, &error));
        assert_doc_is (doc, before);
      }
}

/* A regex whose matches are shorter and longer than the replacement. */
static void
test_other_length_regex_grows_and_shrinks (void)
{
  g_autoptr(GBytes) before = make_zq (7, 48 * page + 5);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(MaphexSearchQuery) q = NULL;
  g_autoptr(GBytes) repl = text_bytes ("<r>");
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  q = maphex_search_query_new_regex ("ZQ+", &error);
  g_assert_no_error (error);
  expected = naive_replace_zq (before, "<r>", &count);
  g_assert_cmpuint (count, >, 50);
  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, count);
  g_assert_no_error (error);
  assert_file_is (path, expected);
  assert_doc_is (doc, expected);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  assert_file_is (path, before);
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  assert_file_is (path, expected);
}

/* Cancelled after the first chunk, a middle one and the last but one, in
 * both directions: the file and the document as before, no step. */
static void
test_other_length_cancelled_anywhere (void)
{
  for (guint c = 0; c < 2; c++)
    {
      const LengthCase *lc = &length_cases[c];
      g_autoptr(GBytes) before = make_planted (200 + c, 32 * page + 7, lc->needle);
      g_autoptr(MaphexSearchQuery) q = needle_query (lc->needle);
      g_autoptr(GBytes) repl = text_bytes (lc->replacement);
      guint chunks;

      {
        g_autofree char *path = new_file (before);
        g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
        g_autoptr(GError) error = NULL;

        hook_arm (HOOK_NONE, 0);
        g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), >, 0);
        g_assert_no_error (error);
        chunks = hook.calls;
        g_assert_cmpuint (chunks, >=, 8);
      }
      {
        guint points[] = { 1, chunks / 2, chunks - 1 };

        for (guint i = 0; i < G_N_ELEMENTS (points); i++)
          {
            g_autofree char *path = new_file (before);
            g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
            g_autoptr(GError) error = NULL;

            hook_arm (HOOK_CANCEL, points[i]);
            g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
            g_assert_true (hook.fired);
            hook_arm (HOOK_NONE, 0);
            assert_file_is (path, before);
            assert_doc_is (doc, before);
            g_assert_false (maphex_document_get_can_undo (doc));
          }
      }
    }
}

static void
on_operation (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Result *r = data;

  r->count = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_result (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Undo and redo of a large step run in the runner: busy, cancellable (a
 * cancelled undo leaves the bytes as they were before it, and the step
 * where it was), then done. Same length in copy-on-write, and other
 * lengths in write-through. */
static void
check_undo_redo_in_the_runner (MaphexMode   mode,
                               const char  *needle,
                               const char  *replacement)
{
  g_autoptr(GBytes) before = make_planted_gaps (300, 32 * page + 9, needle, 400);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, mode);
  g_autoptr(MaphexSearchQuery) q = needle_query (needle);
  g_autoptr(GBytes) repl = text_bytes (replacement);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GError) error = NULL;
  guint count;

  expected = naive_replace_any (before, (const guint8 *) needle, strlen (needle),
                                (const guint8 *) replacement, strlen (replacement), &count);
  g_assert_cmpuint (count, >=, 256);
  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, count);

  for (guint redo = 0; redo < 2; redo++)
    {
      GBytes *from = redo ? before : expected;
      GBytes *to = redo ? expected : before;
      Result r = { 0 };

      hook_arm (HOOK_CANCEL, 2);
      if (redo)
        maphex_document_redo_async (doc, NULL, NULL, on_operation, &r);
      else
        maphex_document_undo_async (doc, NULL, NULL, on_operation, &r);
      g_assert_true (maphex_document_get_busy (doc));
      g_assert_cmpstr (maphex_document_get_operation_name (doc), ==,
                       redo ? "Redoing Replace All" : "Undoing Replace All");
      wait_result (&r);
      g_assert_true (hook.fired);
      hook_arm (HOOK_NONE, 0);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&r.error);
      assert_doc_is (doc, from);
      if (mode == MAPHEX_MODE_WRITE_THROUGH)
        assert_file_is (path, from);
      g_assert_true (redo ? maphex_document_get_can_redo (doc) : maphex_document_get_can_undo (doc));

      r = (Result) { 0 };
      if (redo)
        maphex_document_redo_async (doc, NULL, NULL, on_operation, &r);
      else
        maphex_document_undo_async (doc, NULL, NULL, on_operation, &r);
      g_assert_true (maphex_document_get_busy (doc));
      wait_result (&r);
      g_assert_no_error (r.error);
      assert_doc_is (doc, to);
      if (mode == MAPHEX_MODE_WRITE_THROUGH)
        assert_file_is (path, to);
    }
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_can_redo (doc));
}

static void
test_undo_redo_in_the_runner_same_length (void)
{
  check_undo_redo_in_the_runner (MAPHEX_MODE_COPY_ON_WRITE, "MAPHEX", "hexmap");
}

static void
test_undo_redo_in_the_runner_other_length (void)
{
  check_undo_redo_in_the_runner (MAPHEX_MODE_WRITE_THROUGH, "QZ", "0123456789");
  check_undo_redo_in_the_runner (MAPHEX_MODE_WRITE_THROUGH, "MAPHEX", "hx");
}

/* A small same-length step is undone at once, never busy. */
static void
test_small_undo_at_once (void)
{
  g_autoptr(GBytes) before = make_content (page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_cmpint (maphex_document_replace_all (doc, q, repl_six (), NULL, NULL, &error), >, 0);
  maphex_document_undo_async (doc, NULL, NULL, on_operation, &r);
  g_assert_false (maphex_document_get_busy (doc));
  assert_file_is (path, before);
  wait_result (&r);
  g_assert_no_error (r.error);
}

/* Another program cuts the file during a growing Replace All (written from
 * the end down) and during a shrinking one (from the start up): FAULT, the
 * old length, and what the file still holds as it was. */
static void
test_other_length_file_shrunk_meanwhile (void)
{
  for (guint c = 0; c < 2; c++)
    {
      const LengthCase *lc = &length_cases[c];
      gint64 len = 32 * page;
      gint64 cut = c == 0 ? len * 3 / 4 : len / 2;
      g_autoptr(GBytes) before = make_planted (400 + c, len, lc->needle);
      g_autofree char *path = new_file (before);
      g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
      g_autoptr(MaphexSearchQuery) q = needle_query (lc->needle);
      g_autoptr(GBytes) repl = text_bytes (lc->replacement);
      g_autoptr(GBytes) after = NULL;
      g_autoptr(GError) error = NULL;

      hook_arm (HOOK_TRUNCATE, 2);
      hook.path = path;
      hook.to = cut;
      g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
      g_assert_true (hook.fired);
      hook_arm (HOOK_NONE, 0);
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
      g_assert_cmpint (maphex_document_get_length (doc), ==, len);
      g_assert_false (maphex_document_get_can_undo (doc));
      after = slurp (path);
      g_assert_cmpuint (g_bytes_get_size (after), >=, cut);
      g_assert_cmpmem (g_bytes_get_data (after, NULL), cut, g_bytes_get_data (before, NULL), cut);
    }
}

/* Exports block a length change as for insert: another view's refuses
 * (EXPORTED, nothing changed), the caller's own does not. */
static void
test_other_length_exports (void)
{
  g_autoptr(GBytes) before = make_planted (500, 8 * page, "QZ");
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(MaphexSearchQuery) q = needle_query ("QZ");
  g_autoptr(MaphexSearchQuery) rq = NULL;
  g_autoptr(GBytes) repl = text_bytes ("0123");
  g_autoptr(GError) error = NULL;
  MaphexExport *other = maphex_document_export (doc, &error);
  guint8 byte;

  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_clear_error (&error);
  /* A regex's length is known after its search: refused then. */
  rq = maphex_search_query_new_regex ("QZ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_replace_all (doc, rq, repl, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_clear_error (&error);
  g_assert_false (maphex_document_replace_range (doc, 0, 2, repl, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_clear_error (&error);
  assert_file_is (path, before);
  g_assert_false (maphex_document_get_can_undo (doc));

  g_assert_cmpint (maphex_document_replace_all (doc, q, repl, other, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_export_get_length (other), ==, maphex_document_get_length (doc));
  g_assert_true (maphex_export_copy (other, maphex_document_get_length (doc) - 1, &byte, 1, &error));
  g_assert_true (maphex_document_undo (doc, other, &error));
  g_assert_no_error (error);
  assert_file_is (path, before);
  maphex_document_unexport (doc, other);
}

/* A single Replace of another length: shorter, longer at the very end, an
 * insert (length 0) and a delete (empty replacement), each one step. */
static void
test_replace_range_other_length (void)
{
  g_autoptr(GBytes) before = make_content (3 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  struct { gint64 offset, length; const char *with; } cases[] = {
    { 7, NLEN, "xy" },
    { 3 * page - NLEN, NLEN, "0123456789" },
    { page, 0, "abc" },
    { 100, 50, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) with = text_bytes (cases[i].with);
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) want = g_byte_array_new ();
      const guint8 *b = g_bytes_get_data (before, NULL);
      g_autoptr(GBytes) expected = NULL;
      Result r = { 0 };

      g_byte_array_append (want, b, (guint) cases[i].offset);
      g_byte_array_append (want, (const guint8 *) cases[i].with, (guint) strlen (cases[i].with));
      g_byte_array_append (want, b + cases[i].offset + cases[i].length,
                           (guint) (3 * page - cases[i].offset - cases[i].length));
      expected = g_bytes_new (want->data, want->len);
      if (i % 2 == 0)
        g_assert_true (maphex_document_replace_range (doc, cases[i].offset, cases[i].length, with, &error));
      else
        {
          maphex_document_replace_range_async (doc, NULL, cases[i].offset, cases[i].length, with,
                                               NULL, on_operation, &r);
          wait_result (&r);
          g_assert_no_error (r.error);
        }
      g_assert_no_error (error);
      assert_file_is (path, expected);
      assert_doc_is (doc, expected);
      g_assert_true (maphex_document_undo (doc, NULL, &error));
      g_assert_no_error (error);
      assert_file_is (path, before);
      g_assert_false (maphex_document_get_can_undo (doc));
      g_assert_true (maphex_document_redo (doc, NULL, &error));
      assert_file_is (path, expected);
      g_assert_true (maphex_document_undo (doc, NULL, &error));
      assert_file_is (path, before);
    }
}

/* "content-shifted" once per match, so that marks (bookmarks) follow: the
 * bytes around every match, moved as the shifts say, are the same bytes in
 * the new content; undo's shifts bring them back where they were. */
typedef struct {
  GArray *pos;   /* gint64 */
  guint   n;
} Tracker;

static void
on_shifted (MaphexDocument *doc,
            gint64          offset,
            gint64          removed,
            gint64          inserted,
            guint           cause,
            guint64         serial,
            gpointer        data)
{
  Tracker *t = data;

  t->n++;
  for (guint i = 0; i < t->pos->len; i++)
    {
      gint64 *p = &g_array_index (t->pos, gint64, i);

      g_assert_true (*p < offset || *p >= offset + removed);
      if (*p >= offset + removed)
        *p += inserted - removed;
    }
}

static void
assert_tracked (Tracker *t,
                GArray  *orig,
                GBytes  *before,
                GBytes  *now)
{
  const guint8 *b = g_bytes_get_data (before, NULL);
  const guint8 *a = g_bytes_get_data (now, NULL);

  for (guint i = 0; i < t->pos->len; i++)
    {
      gint64 p = g_array_index (t->pos, gint64, i);

      g_assert_cmpint (p, <, (gint64) g_bytes_get_size (now));
      g_assert_cmpuint (a[p], ==, b[g_array_index (orig, gint64, i)]);
    }
}

static void
test_other_length_shifts_follow (void)
{
  for (guint c = 0; c < 2; c++)
    {
      const LengthCase *lc = &length_cases[c];
      gsize nlen = strlen (lc->needle);
      g_autoptr(GBytes) before = make_planted_gaps (600 + c, 16 * page, lc->needle, 300);
      g_autofree char *path = new_file (before);
      g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
      g_autoptr(MaphexSearchQuery) q = needle_query (lc->needle);
      g_autoptr(GBytes) repl = text_bytes (lc->replacement);
      g_autoptr(GBytes) expected = NULL;
      g_autoptr(GArray) orig = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GError) error = NULL;
      const guint8 *b = g_bytes_get_data (before, NULL);
      Tracker t = { 0 };
      guint count;

      expected = naive_replace_any (before, (const guint8 *) lc->needle, nlen,
                                    (const guint8 *) lc->replacement, strlen (lc->replacement),
                                    &count);
      /* The byte before and after every match the naive scan takes, where
       * it is not in a match itself. */
      {
        gsize len = 16 * (gsize) page;
        g_autofree guint8 *in_match = g_malloc0 (len);

        for (gsize i = 0; i + nlen <= len; )
          if (memcmp (b + i, lc->needle, nlen) == 0)
            {
              memset (in_match + i, 1, nlen);
              i += nlen;
            }
          else
            i++;
        for (gsize i = 0; i < len; i++)
          if (!in_match[i] && ((i > 0 && in_match[i - 1]) || (i + 1 < len && in_match[i + 1])))
            {
              gint64 at = (gint64) i;
              g_array_append_val (orig, at);
            }
      }
      g_assert_cmpuint (orig->len, >, 100);
      t.pos = g_array_copy (orig);
      g_signal_connect (doc, "content-shifted", G_CALLBACK (on_shifted), &t);

      g_assert_cmpint (maphex_document_replace_all (doc, q, repl, NULL, NULL, &error), ==, count);
      g_assert_cmpuint (t.n, ==, count);
      assert_tracked (&t, orig, before, expected);
      g_assert_true (maphex_document_undo (doc, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (t.n, ==, 2 * count);
      g_assert_cmpmem (t.pos->data, t.pos->len * sizeof (gint64), orig->data, orig->len * sizeof (gint64));
      g_assert_true (maphex_document_redo (doc, NULL, &error));
      assert_tracked (&t, orig, before, expected);
      g_signal_handlers_disconnect_by_data (doc, &t);
      g_array_unref (t.pos);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  page = sysconf (_SC_PAGESIZE);
  tmp_dir = g_dir_make_tmp ("maphex-replace-XXXXXX", &error);
  g_assert_no_error (error);
  _maphex_document_run_set_chunk_size (page);
  _maphex_document_run_set_chunk_hook (chunk_hook, NULL);

  g_test_add_func ("/replace/all/read-only-refused", test_read_only_refused);
  g_test_add_func ("/replace/all/copy-on-write-undo-redo-save", test_copy_on_write);
  g_test_add_func ("/replace/all/write-through-undo-redo", test_write_through);
  g_test_add_func ("/replace/all/other-length-refused-where-the-length-is-fixed",
                   test_other_length_refused_where_the_length_is_fixed);
  g_test_add_func ("/replace/all/cancelled-anywhere-leaves-the-file", test_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/replace/all/file-shrunk-meanwhile", test_file_shrunk_meanwhile);
  g_test_add_func ("/replace/all/async-in-the-runner", test_async_in_the_runner);
  g_test_add_func ("/replace/all/overlapping-and-regex", test_overlapping_and_regex);
  g_test_add_func ("/replace/range", test_replace_range);
  g_test_add_func ("/replace/range/other-length", test_replace_range_other_length);
  g_test_add_func ("/replace/all/other-length/against-naive", test_other_length_against_naive);
  g_test_add_func ("/replace/all/other-length/regex-grows-and-shrinks",
                   test_other_length_regex_grows_and_shrinks);
  g_test_add_func ("/replace/all/other-length/cancelled-anywhere", test_other_length_cancelled_anywhere);
  g_test_add_func ("/replace/all/other-length/file-shrunk-meanwhile",
                   test_other_length_file_shrunk_meanwhile);
  g_test_add_func ("/replace/all/other-length/exports", test_other_length_exports);
  g_test_add_func ("/replace/all/other-length/shifts-follow", test_other_length_shifts_follow);
  g_test_add_func ("/replace/all/undo-redo-in-the-runner/same-length",
                   test_undo_redo_in_the_runner_same_length);
  g_test_add_func ("/replace/all/undo-redo-in-the-runner/other-length",
                   test_undo_redo_in_the_runner_other_length);
  g_test_add_func ("/replace/all/small-undo-at-once", test_small_undo_at_once);

  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  return status;
}
