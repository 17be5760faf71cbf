/* test-replace.c: Replace and Replace All (maphex-document-replace.c).
 *
 * Replace All in each mode against a naive replace computed here (refused
 * read-only; copy-on-write and write-through), undo and redo byte for
 * byte, a replacement of another length refused with nothing changed, a
 * cancel at several chunks (file and document as before), another program
 * shrinking the file during it (FAULT, what is left of the file as before),
 * the async form in the runner, overlapping and regex matches, and a single
 * Replace.
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

static void
test_different_length_refused (void)
{
  g_autoptr(GBytes) before = make_content (4 * page);
  g_autofree char *path = new_file (before);
  g_autoptr(MaphexSearchQuery) q = needle_query (NEEDLE);
  g_autoptr(GBytes) shorter = text_bytes ("hex");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  MaphexMode modes[] = { MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_MODE_WRITE_THROUGH };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(MaphexDocument) doc = open_doc (path, modes[i]);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (maphex_document_replace_all (doc, q, shorter, NULL, NULL, &error), ==, -1);
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "3 bytes"));
      g_clear_error (&error);
      g_assert_cmpint (maphex_document_replace_all (doc, q, empty, NULL, NULL, &error), ==, -1);
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (maphex_document_replace_range (doc, 7, NLEN, shorter, &error));
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
      g_assert_false (maphex_document_get_can_undo (doc));
      g_assert_false (maphex_document_get_busy (doc));
      assert_doc_is (doc, before);
    }
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
  g_test_add_func ("/replace/all/different-length-refused", test_different_length_refused);
  g_test_add_func ("/replace/all/cancelled-anywhere-leaves-the-file", test_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/replace/all/file-shrunk-meanwhile", test_file_shrunk_meanwhile);
  g_test_add_func ("/replace/all/async-in-the-runner", test_async_in_the_runner);
  g_test_add_func ("/replace/all/overlapping-and-regex", test_overlapping_and_regex);
  g_test_add_func ("/replace/range", test_replace_range);

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
