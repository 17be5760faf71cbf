/* test-save-io.c: the file I/O of Save and Save As.
 *
 * Save As cancelled right after it started, in the middle and near the end
 * (no partial target left), through copy_file_range and through the map;
 * copy_file_range's fallbacks and failures; the source shrunk by another
 * program during Save As; a full tmpfs; a sparse copy checked with cmp and
 * du. Copy-on-write Save: it writes only the dirty ranges, in the runner,
 * and a cancel leaves the file as before or fully saved, and says which.
 *
 * The runner's chunk is one page, and a chunk hook (called in the worker
 * after every chunk) cancels or truncates at a chosen chunk.
 */
#define _GNU_SOURCE /* copy_file_range */
#include "maphex-document-private.h"
#include "doc-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *tmp_dir;
static guint file_counter;
static gint64 page;
static GThread *main_thread;

/* ------------------------------------------------------------------ helpers */

/* A file of `len` bytes in `dir`; byte i is (i * 13 + seed) & 0xff. */
static char *
new_file_in (const char *dir,
             gsize       len,
             guint8      seed)
{
  g_autofree char *name = g_strdup_printf ("io-%u.bin", ++file_counter);
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 13 + seed);
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

/* A sparse file of `len` bytes with `n` bytes of data (seeded) at each
 * offset of `at` (n_at of them). */
static char *
new_sparse_file (gint64        len,
                 const gint64 *at,
                 guint         n_at,
                 gint64        n)
{
  g_autofree char *name = g_strdup_printf ("sparse-%u.bin", ++file_counter);
  g_autofree guint8 *data = g_malloc (n);
  char *path = g_build_filename (tmp_dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, len), ==, 0);
  for (guint k = 0; k < n_at; k++)
    {
      for (gint64 i = 0; i < n; i++)
        data[i] = (guint8) (i * 7 + k + 1);
      g_assert_cmpint (pwrite (fd, data, n, at[k]), ==, n);
    }
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static char *
new_dir (const char *name)
{
  char *dir = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

/* Runs a command; returns its exit status, its output in *out. */
static int
run_command (const char *const *argv,
             char              **out)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Whether copy_file_range copies between two files of the temp dir. */
static gboolean
copy_file_range_works (void)
{
  g_autofree char *a = new_file_in (tmp_dir, 4096, 1);
  g_autofree char *b = g_strconcat (a, ".probe", NULL);
  int in = open (a, O_RDONLY | O_CLOEXEC);
  int out = open (b, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ssize_t n = copy_file_range (in, NULL, out, NULL, 4096, 0);

  close (in);
  close (out);
  g_unlink (a);
  g_unlink (b);
  return n == 4096;
}

/* ---- The chunk hook ---- */

typedef enum {
  HOOK_NONE,
  HOOK_CANCEL,
  HOOK_TRUNCATE,
} HookAction;

typedef struct {
  HookAction  action;
  guint       at;
  guint       calls;
  gboolean    off_main;   /* every call came from another thread than the main one */
  const char *path;       /* TRUNCATE */
  gint64      to;
} Hook;

static Hook hook;

static void
chunk_hook (MaphexDocument *doc,
            guint           chunk,
            gpointer        data)
{
  Hook *h = data;

  h->calls = chunk;
  if (g_thread_self () == main_thread)
    h->off_main = FALSE;
  if (chunk != h->at)
    return;
  if (h->action == HOOK_CANCEL)
    maphex_document_cancel_operation (doc);
  else if (h->action == HOOK_TRUNCATE)
    {
      /* Another program: its own descriptor. */
      int fd = open (h->path, O_WRONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, h->to), ==, 0);
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
  hook.off_main = TRUE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Save As of `doc` to `dest` in the worker; `cancel_first`: with a
 * cancellable cancelled already (a cancel right after it started). */
static void
save_as (MaphexDocument *doc,
         const char     *dest,
         gboolean        cancel_first,
         Result         *r)
{
  g_autoptr(GFile) file = g_file_new_for_path (dest);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (cancel_first)
    g_cancellable_cancel (cancellable);
  memset (r, 0, sizeof *r);
  maphex_document_save_as_async (doc, file, cancellable, on_done, r);
  g_assert_true (maphex_document_get_busy (doc));
  wait_for (r);
}

/* ------------------------------------------------------------------ Save As */

/* Cancels Save As right after it started (before its first chunk), after
 * its first chunk, in the middle and at the one before last, with the bytes
 * coming from the file (copy_file_range) or from the map (edits, or
 * copy_file_range refused): each time, no target and no temporary file is
 * left, and the source is untouched. */
static void
check_save_as_cancels (int      copy_errno,
                       gboolean edited)
{
  g_autofree char *dir = new_dir (edited ? (copy_errno ? "cancel-map-edited" : "cancel-edited")
                                         : (copy_errno ? "cancel-map" : "cancel-file"));
  g_autofree char *path = new_file_in (tmp_dir, 24 * page, 3);
  g_autofree char *dest = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) before = dt_slurp (path);
  gint64 copied = _maphex_document_get_copy_range_bytes ();
  guint total, points[4];
  Result r;

  _maphex_document_set_copy_range_errno (copy_errno);
  {
    g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);

    if (edited)
      g_assert_true (maphex_document_replace (doc, 5 * page + 3, (const guint8 *) "EDIT", 4, NULL));
    hook_arm (HOOK_NONE, 0);
    save_as (doc, dest, FALSE, &r);
    g_assert_no_error (r.error);
    total = hook.calls;
    g_assert_true (hook.off_main);
  }
  if (copy_errno == 0 && copy_file_range_works ())
    g_assert_cmpint (_maphex_document_get_copy_range_bytes () - copied, >=,
                     edited ? 20 * page : 24 * page);
  else
    g_assert_cmpint (_maphex_document_get_copy_range_bytes (), ==, copied);
  g_assert_cmpint (g_unlink (dest), ==, 0);
  g_assert_cmpuint (total, >=, 8);

  points[0] = 0, points[1] = 1, points[2] = total / 2, points[3] = total - 1;
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);

      g_test_message ("cancel Save As at chunk %u of %u", points[i], total);
      if (edited)
        g_assert_true (maphex_document_replace (doc, 5 * page + 3, (const guint8 *) "EDIT", 4, NULL));
      hook_arm (points[i] == 0 ? HOOK_NONE : HOOK_CANCEL, points[i]);
      save_as (doc, dest, points[i] == 0, &r);
      g_assert_false (r.ok);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&r.error);
      if (points[i] > 0)
        g_assert_cmpuint (hook.calls, ==, points[i]);
      g_assert_cmpuint (count_entries (dir), ==, 0);
      dt_assert_file_is (path, before);
      g_assert_false (maphex_document_get_busy (doc));
      g_assert_cmpint (maphex_document_get_modified (doc), ==, edited);
    }
  hook_arm (HOOK_NONE, 0);
  _maphex_document_set_copy_range_errno (0);
  g_rmdir (dir);
  g_unlink (path);
}

static void
test_save_as_cancelled_through_copy_file_range_leaves_no_file (void)
{
  check_save_as_cancels (0, FALSE);
  check_save_as_cancels (0, TRUE);
}

static void
test_save_as_cancelled_through_the_map_leaves_no_file (void)
{
  check_save_as_cancels (EXDEV, FALSE);
  check_save_as_cancels (EXDEV, TRUE);
}

/* Where copy_file_range cannot copy (another file system, an old kernel, a
 * file system without it), Save As copies through the map: the same copy.
 * Any other failure of it fails the Save As, with no target left. */
static void
test_save_as_falls_back_when_copy_file_range_cannot_copy (void)
{
  static const int fallbacks[] = { EXDEV, ENOSYS, EOPNOTSUPP, EINVAL };
  g_autofree char *dir = new_dir ("fallback");
  g_autofree char *path = new_file_in (tmp_dir, 10 * page + 77, 9);
  g_autofree char *dest = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  Result r;

  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      gint64 copied = _maphex_document_get_copy_range_bytes ();

      _maphex_document_set_copy_range_errno (fallbacks[i]);
      save_as (doc, dest, FALSE, &r);
      g_assert_no_error (r.error);
      g_assert_true (r.ok);
      g_assert_cmpint (_maphex_document_get_copy_range_bytes (), ==, copied);
      dt_assert_file_is (dest, before);
      g_assert_cmpint (g_unlink (dest), ==, 0);
    }

  _maphex_document_set_copy_range_errno (EIO);
  save_as (doc, dest, FALSE, &r);
  _maphex_document_set_copy_range_errno (0);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (r.error->message, "copy.bin"));
  g_assert_nonnull (strstr (r.error->message, g_strerror (EIO)));
  g_clear_error (&r.error);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  dt_assert_file_is (path, before);
  g_rmdir (dir);
}

/* Another program cuts the source during Save As: a clear error that says
 * the file shrank, no target left, whether the bytes were coming through
 * copy_file_range or the map, and whether the cut lands in data or, for a
 * sparse source, leaves only holes past it (which must not save as zeros). */
static void
check_save_as_with_source_shrunk (int      copy_errno,
                                  gboolean sparse)
{
  const gint64 at[] = { 0, 40 * page };
  g_autofree char *dir = new_dir (sparse ? (copy_errno ? "shrunk-sparse-map" : "shrunk-sparse")
                                         : (copy_errno ? "shrunk-map" : "shrunk-file"));
  g_autofree char *path = sparse ? new_sparse_file (64 * page, at, G_N_ELEMENTS (at), 4 * page)
                                 : new_file_in (tmp_dir, 32 * page, 4);
  g_autofree char *dest = g_build_filename (dir, "copy.bin", NULL);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  Result r;

  /* Sparse: cut at chunk 2 to the end of the first data range, so that the
   * rest of the file is past the end; else to the middle. */
  hook_arm (HOOK_TRUNCATE, 2);
  hook.path = path;
  hook.to = sparse ? 4 * page : 16 * page;
  _maphex_document_set_copy_range_errno (copy_errno);
  save_as (doc, dest, FALSE, &r);
  _maphex_document_set_copy_range_errno (0);
  hook_arm (HOOK_NONE, 0);

  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_nonnull (strstr (r.error->message, "shrank"));
  g_clear_error (&r.error);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  g_assert_false (maphex_document_get_busy (doc));
  g_clear_object (&doc);
  g_rmdir (dir);
  g_unlink (path);
}

static void
test_save_as_with_the_source_shrunk_meanwhile_fails_and_leaves_no_file (void)
{
  check_save_as_with_source_shrunk (0, FALSE);
  check_save_as_with_source_shrunk (EXDEV, FALSE);
  check_save_as_with_source_shrunk (0, TRUE);
  check_save_as_with_source_shrunk (EXDEV, TRUE);
}

/* A tmpfs of 4 MiB (root only): Save As of a 6 MiB file from another file
 * system (through the map), and of a 1.5 MiB file on the tmpfs itself with
 * 1.5 MiB of it taken (through copy_file_range, within one file system).
 * Each fails with "no space", names the target, leaves no partial target
 * nor temporary file, and the source is untouched. */
static void
test_save_as_on_a_full_tmpfs_leaves_no_file (void)
{
  g_autofree char *dir = new_dir ("tmpfs");
  g_autofree char *dest = g_build_filename (dir, "copy.bin", NULL);
  g_autofree char *outside = new_file_in (tmp_dir, 6 * 1024 * 1024 + 5, 2);
  const char *sources[2];
  g_autofree char *inside = NULL;
  g_autofree char *filler = NULL;
  guint entries;

  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a tmpfs of 4 MiB (euid %d): %s",
                                              (int) geteuid (), g_strerror (errno));
      g_rmdir (dir);
      g_unlink (outside);
      g_test_skip (why);
      return;
    }
  inside = new_file_in (dir, 1536 * 1024, 6);
  filler = new_file_in (dir, 1536 * 1024, 7);
  entries = count_entries (dir);
  sources[0] = outside, sources[1] = inside;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GBytes) before = dt_slurp (sources[i]);
      g_autoptr(MaphexDocument) doc = dt_open_doc (sources[i], MAPHEX_MODE_COPY_ON_WRITE);
      Result r;

      g_test_message ("Save As of %s onto the full tmpfs", sources[i]);
      save_as (doc, dest, FALSE, &r);
      g_assert_false (r.ok);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_nonnull (strstr (r.error->message, "copy.bin"));
      g_clear_error (&r.error);
      g_assert_cmpuint (count_entries (dir), ==, entries);
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
      dt_assert_file_is (sources[i], before);
      g_assert_false (maphex_document_get_busy (doc));
    }

  /* The worker drops its reference on the last document (and its
   * descriptor on the tmpfs) just after the result came back. */
  for (guint i = 0; i < 500 && umount (dir) != 0; i++)
    {
      g_assert_cmpint (errno, ==, EBUSY);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }
  if (g_file_test (inside, G_FILE_TEST_EXISTS))
    {
      umount2 (dir, MNT_DETACH);
      g_error ("the tmpfs at %s stayed busy", dir);
    }
  g_rmdir (dir);
  g_unlink (outside);
}

/* Save As of a 1 GiB sparse file with 256 KiB of data at three places: `cmp`
 * finds the copy identical, `du` finds it as small as the source; with one
 * edit in a hole, `cmp -l` finds that one byte and nothing else. */
static void
test_save_as_of_a_sparse_file_is_identical_and_sparse_by_cmp_and_du (void)
{
  const gint64 len = (gint64) 1 << 30;
  const gint64 at[] = { 0, 300 << 20, len - (256 << 10) };
  g_autofree char *path = new_sparse_file (len, at, G_N_ELEMENTS (at), 256 << 10);
  g_autofree char *dest = g_build_filename (tmp_dir, "sparse-copy.bin", NULL);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  const gint64 edit = (700 << 20) + 11;
  g_autofree char *out = NULL;
  g_autofree char *du_source = NULL;
  g_autofree char *expected = NULL;
  gint64 source_bytes, copy_bytes;
  Result r;

  _maphex_document_run_set_chunk_size (0);
  save_as (doc, dest, FALSE, &r);
  g_assert_no_error (r.error);
  {
    const char *cmp[] = { "cmp", path, dest, NULL };
    const char *du_s[] = { "du", "-B1", path, NULL };
    const char *du_c[] = { "du", "-B1", dest, NULL };

    g_assert_cmpint (run_command (cmp, NULL), ==, 0);
    g_assert_cmpint (run_command (du_s, &du_source), ==, 0);
    g_assert_cmpint (run_command (du_c, &out), ==, 0);
    source_bytes = g_ascii_strtoll (du_source, NULL, 10);
    copy_bytes = g_ascii_strtoll (out, NULL, 10);
    g_test_message ("du: source %" G_GINT64_FORMAT ", copy %" G_GINT64_FORMAT, source_bytes, copy_bytes);
    g_assert_cmpint (source_bytes, >=, 3 * (256 << 10));
    g_assert_cmpint (copy_bytes, >=, 3 * (256 << 10));
    g_assert_cmpint (copy_bytes, <=, source_bytes + (1 << 20));
  }

  g_clear_pointer (&out, g_free);
  g_assert_true (maphex_document_replace (doc, edit, (const guint8 *) "\x5a", 1, NULL));
  save_as (doc, dest, FALSE, &r);
  g_assert_no_error (r.error);
  {
    const char *cmp[] = { "cmp", "-l", path, dest, NULL };
    const char *du_c[] = { "du", "-B1", dest, NULL };

    /* cmp -l: the 1-based offset, then both bytes in octal. */
    g_assert_cmpint (run_command (cmp, &out), ==, 1);
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (out), " \t\n", -1);
      g_autofree char *joined = NULL;
      GPtrArray *kept = g_ptr_array_new ();

      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (kept, words[i]);
      g_ptr_array_add (kept, NULL);
      joined = g_strjoinv (" ", (char **) kept->pdata);
      g_ptr_array_free (kept, TRUE);
      expected = g_strdup_printf ("%" G_GINT64_FORMAT " 0 132", edit + 1);
      g_assert_cmpstr (joined, ==, expected);
    }
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_command (du_c, &out), ==, 0);
    g_assert_cmpint (g_ascii_strtoll (out, NULL, 10), <=, source_bytes + (1 << 20));
  }
  _maphex_document_run_set_chunk_size (page);
  g_unlink (dest);
  g_clear_object (&doc);
  g_unlink (path);
}

/* ------------------------------------------------------------------ Save */

/* Copy-on-write Save of two 1-byte edits in a 1 GiB sparse file runs in the
 * runner (in a worker, busy meanwhile) and writes those two bytes only: two
 * chunks of progress, 2 bytes in all, and the file stays sparse. */
static void
test_save_copy_on_write_writes_only_the_dirty_ranges (void)
{
  const gint64 len = (gint64) 1 << 30;
  const gint64 at[] = { 0 };
  const gint64 edits[] = { 7, (512 << 20) + 3 };
  g_autofree char *path = new_sparse_file (len, at, 1, page);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  Result r = { 0 };
  struct stat st;
  guint8 byte;
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    g_assert_true (maphex_document_replace (doc, edits[i], (const guint8 *) "\xe7", 1, NULL));
  hook_arm (HOOK_NONE, 0);
  maphex_document_save_async (doc, NULL, on_done, &r);
  g_assert_true (maphex_document_get_busy (doc));
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (hook.off_main);
  g_assert_cmpuint (hook.calls, ==, G_N_ELEMENTS (edits));
  g_assert_false (maphex_document_get_modified (doc));

  /* And again, synchronously: only the byte edited since. */
  g_assert_true (maphex_document_replace (doc, edits[1], (const guint8 *) "\xe8", 1, NULL));
  hook_arm (HOOK_NONE, 0);
  g_assert_true (maphex_document_save (doc, NULL, NULL));
  g_assert_cmpuint (hook.calls, ==, 1);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (pread (fd, &byte, 1, edits[0]), ==, 1);
  g_assert_cmpuint (byte, ==, 0xe7);
  g_assert_cmpint (pread (fd, &byte, 1, edits[1]), ==, 1);
  g_assert_cmpuint (byte, ==, 0xe8);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  close (fd);
  g_assert_cmpint (st.st_size, ==, len);
  g_assert_cmpint ((gint64) st.st_blocks * 512, <, 4 << 20);
  g_clear_object (&doc);
  g_unlink (path);
}

/* Copy-on-write Save cancelled after every chunk in turn, and right after
 * it started: before its last chunk, the file is as it was before and the
 * error says so (cancelled, "as it was before"); after it, the save
 * finished, the call says it succeeded and the file holds every edit. */
static void
test_save_copy_on_write_cancelled_is_as_before_or_fully_saved (void)
{
  g_autofree char *path = new_file_in (tmp_dir, 24 * page, 8);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autofree guint8 *ones = g_malloc (5 * page);
  g_autofree guint8 *saved = g_memdup2 (g_bytes_get_data (before, NULL), 24 * page);
  g_autoptr(GBytes) saved_bytes = NULL;
  guint total;

  memset (ones, 0x11, 5 * page);
  memcpy (saved + 3, ones, 5 * page);
  memcpy (saved + 15 * page + 1, ones, 2 * page);
  saved_bytes = g_bytes_new (saved, 24 * page);
  /* Two edited ranges of 5 and 2 pages: 7 chunks of a page. */
  total = 0;
  for (guint at = 0; at == 0 || at <= total; at++)
    {
      g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      Result r = { 0 };

      g_assert_true (maphex_document_replace (doc, 3, ones, 5 * page, NULL));
      g_assert_true (maphex_document_replace (doc, 15 * page + 1, ones, 2 * page, NULL));
      if (at == 0)
        g_cancellable_cancel (cancellable);
      hook_arm (at == 0 ? HOOK_NONE : HOOK_CANCEL, at);
      maphex_document_save_async (doc, cancellable, on_done, &r);
      wait_for (&r);
      if (at == 0)
        {
          /* Measure the chunks of a whole Save once, for the loop's end. */
          g_autoptr(MaphexDocument) probe = NULL;
          g_autofree char *copy = g_strconcat (path, ".probe", NULL);

          g_file_set_contents (copy, g_bytes_get_data (before, NULL), 24 * page, NULL);
          probe = dt_open_doc (copy, MAPHEX_MODE_COPY_ON_WRITE);
          g_assert_true (maphex_document_replace (probe, 3, ones, 5 * page, NULL));
          g_assert_true (maphex_document_replace (probe, 15 * page + 1, ones, 2 * page, NULL));
          hook_arm (HOOK_NONE, 0);
          g_assert_true (maphex_document_save (probe, NULL, NULL));
          total = hook.calls;
          g_assert_cmpuint (total, ==, 7);
          dt_assert_file_is (copy, saved_bytes);
          g_clear_object (&probe);
          g_unlink (copy);
        }
      g_test_message ("cancel Save at chunk %u of %u", at, total);
      if (at < total)
        {
          g_assert_false (r.ok);
          g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_nonnull (strstr (r.error->message, "as it was before"));
          g_clear_error (&r.error);
          g_assert_true (maphex_document_get_modified (doc));
          dt_assert_file_is (path, before);
        }
      else
        {
          g_assert_no_error (r.error);
          g_assert_true (r.ok);
          g_assert_false (maphex_document_get_modified (doc));
          dt_assert_file_is (path, saved_bytes);
          /* Back to the old bytes for the next one. */
          g_file_set_contents (path, g_bytes_get_data (before, NULL), 24 * page, NULL);
        }
    }
  hook_arm (HOOK_NONE, 0);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  page = sysconf (_SC_PAGESIZE);
  tmp_dir = g_dir_make_tmp ("maphex-save-io-XXXXXX", &error);
  g_assert_no_error (error);
  _maphex_document_run_set_chunk_size (page);
  _maphex_document_run_set_chunk_hook (chunk_hook, &hook);

  g_test_add_func ("/save-io/save-as/cancelled-through-copy-file-range-leaves-no-file",
                   test_save_as_cancelled_through_copy_file_range_leaves_no_file);
  g_test_add_func ("/save-io/save-as/cancelled-through-the-map-leaves-no-file",
                   test_save_as_cancelled_through_the_map_leaves_no_file);
  g_test_add_func ("/save-io/save-as/falls-back-when-copy-file-range-cannot-copy",
                   test_save_as_falls_back_when_copy_file_range_cannot_copy);
  g_test_add_func ("/save-io/save-as/with-the-source-shrunk-meanwhile-fails-and-leaves-no-file",
                   test_save_as_with_the_source_shrunk_meanwhile_fails_and_leaves_no_file);
  g_test_add_func ("/save-io/save-as/on-a-full-tmpfs-leaves-no-file",
                   test_save_as_on_a_full_tmpfs_leaves_no_file);
  g_test_add_func ("/save-io/save-as/of-a-sparse-file-is-identical-and-sparse-by-cmp-and-du",
                   test_save_as_of_a_sparse_file_is_identical_and_sparse_by_cmp_and_du);
  g_test_add_func ("/save-io/save/copy-on-write-writes-only-the-dirty-ranges",
                   test_save_copy_on_write_writes_only_the_dirty_ranges);
  g_test_add_func ("/save-io/save/copy-on-write-cancelled-is-as-before-or-fully-saved",
                   test_save_copy_on_write_cancelled_is_as_before_or_fully_saved);

  status = g_test_run ();
  {
    const char *rm[] = { "rm", "-rf", tmp_dir, NULL };
    run_command (rm, NULL);
  }
  g_free (tmp_dir);
  return status;
}
