/* test-undo-file.c: big removed bytes kept for undo in an unlinked temporary
 * file (maphex-document-undo-file.c), not on the heap.
 *
 * The threshold is lowered to 256 KiB and the runner's chunk to 64 KiB, so
 * that a delete of a few MiB fills the file in many chunks. Each test
 * compares the file with its copy from before, byte for byte, and counts
 * the process's descriptors (/proc/self/fd) to see the temporary file come
 * and go.
 */
#include "maphex-document-private.h"
#include "doc-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define THRESHOLD ((gint64) 256 << 10)

static char *tmp_dir;
static guint file_counter;

/* ------------------------------------------------------------------ helpers */

static char *
new_file_in (const char *dir,
             gsize       len)
{
  g_autofree char *name = g_strdup_printf ("undo-%u.bin", ++file_counter);
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  /* Not periodic in any power of two: a chunk restored at the wrong place
   * shows. */
  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) ((i * 13 + i / 251) ^ (i >> 16));
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

/* `bytes` without [offset, offset + len). */
static GBytes *
without (GBytes *bytes,
         gsize   offset,
         gsize   len)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize size = g_bytes_get_size (bytes);
  guint8 *out = g_malloc (MAX (size - len, 1));

  memcpy (out, data, offset);
  memcpy (out + offset, data + offset + len, size - offset - len);
  return g_bytes_new_take (out, size - len);
}

static void
assert_doc_is (MaphexDocument *doc,
               GBytes         *expected)
{
  gsize size = g_bytes_get_size (expected);
  g_autofree guint8 *now = g_malloc (MAX (size, 1));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (maphex_document_get_length (doc), ==, (gint64) size);
  g_assert_true (maphex_document_read (doc, 0, now, (gint64) size, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (now, size, g_bytes_get_data (expected, NULL), size);
}

static MaphexDocument *
open_doc (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, MAPHEX_MODE_WRITE_THROUGH, &error);

  g_assert_no_error (error);
  return doc;
}

/* The descriptors open in this process (not the listing's own). */
static GHashTable *
list_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (int));
  GHashTable *fds = g_hash_table_new (NULL, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      int fd = atoi (name);
      g_array_append_val (listed, fd);
    }
  g_dir_close (dir);
  for (guint i = 0; i < listed->len; i++)
    {
      int fd = g_array_index (listed, int, i);

      if (fcntl (fd, F_GETFD) != -1)
        g_hash_table_add (fds, GINT_TO_POINTER (fd));
    }
  return fds;
}

static char *
fd_target (int fd)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  char *target = g_file_read_link (link, NULL);

  g_assert_nonnull (target);
  return target;
}

/* The unlinked files in `dir` this process holds open (the undo files of
 * documents there), as descriptors. Looking for these, not at every
 * descriptor, keeps the checks apart from whatever GLib opens or closes
 * meanwhile (seen on busy CI runs: three descriptors closing during the
 * first test). */
static GArray *
list_temp_files (const char *dir)
{
  g_autoptr(GHashTable) fds = list_fds ();
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  GArray *found = g_array_new (FALSE, FALSE, sizeof (int));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, fds);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int fd = GPOINTER_TO_INT (key);
      g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, prefix) &&
          g_str_has_suffix (target, " (deleted)"))
        g_array_append_val (found, fd);
    }
  return found;
}

static guint
count_temp_files (const char *dir)
{
  g_autoptr(GArray) found = list_temp_files (dir);

  return found->len;
}

/* The one unlinked file open in `dir`. */
static int
the_temp_file (const char *dir)
{
  g_autoptr(GArray) found = list_temp_files (dir);

  g_assert_cmpuint (found->len, ==, 1);
  return g_array_index (found, int, 0);
}

/* The temporary file behind `fd`: unlinked (no name, no link), in `dir`,
 * holding `len` bytes. */
static void
assert_unlinked_temp_file (int         fd,
                           const char *dir,
                           gint64      len)
{
  g_autofree char *target = fd_target (fd);
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  struct stat st;

  g_test_message ("temporary file: %s", target);
  g_assert_true (g_str_has_prefix (target, prefix));
  g_assert_true (g_str_has_suffix (target, " (deleted)"));
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_nlink, ==, 0);
  g_assert_cmpint (st.st_size, ==, len);
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
wait_ok (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
  g_assert_true (r->ok);
  *r = (Result) { 0 };
}

static void
undo_async (MaphexDocument *doc)
{
  Result r = { 0 };

  maphex_document_undo_async (doc, NULL, NULL, on_done, &r);
  wait_ok (&r);
}

static void
redo_async (MaphexDocument *doc)
{
  Result r = { 0 };

  maphex_document_redo_async (doc, NULL, NULL, on_done, &r);
  wait_ok (&r);
}

/* ------------------------------------------------------------------ tests */

/* A delete of 2 MiB and a bit, in the worker: the removed bytes go to an
 * unlinked file next to the document's, the history's memory stays small,
 * and undo, redo and undo again give every byte back; dropping the step
 * (a new edit clears the redo) closes the file, and so does closing. */
static void
test_big_delete_is_kept_in_a_file_and_undone (gconstpointer data)
{
  const gint64 offset = 4097, len = ((gint64) 2 << 20) + 123;
  g_autofree char *path = new_file_in (tmp_dir, 5 << 20);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(GBytes) after = without (before, offset, len);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc;
  MaphexStep *step;
  Result r = { 0 };
  int fd;

  /* copy_file_range, or read and write where it cannot copy. */
  _maphex_document_set_undo_copy_range_disabled (GPOINTER_TO_INT (data));
  doc = open_doc (path);

  maphex_document_delete_async (doc, NULL, offset, len, NULL, on_done, &r);
  wait_ok (&r);
  dt_assert_file_is (path, after);
  assert_doc_is (doc, after);

  /* Not on the heap: the step holds a file, the history almost nothing. */
  step = g_queue_peek_head (&doc->undo);
  g_assert_nonnull (step);
  g_assert_cmpint (step->kind, ==, MAPHEX_STEP_DELETE);
  g_assert_null (step->old);
  g_assert_nonnull (step->old_file);
  g_assert_cmpint (_maphex_undo_file_get_length (step->old_file), ==, len);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), <, 4096);
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 1);
  fd = the_temp_file (tmp_dir);
  assert_unlinked_temp_file (fd, tmp_dir, len);

  undo_async (doc);
  dt_assert_file_is (path, before);
  assert_doc_is (doc, before);
  /* Undone, the step waits for redo with its file. */
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 1);

  redo_async (doc);
  dt_assert_file_is (path, after);
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 1);

  /* The synchronous undo goes through the same runner. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  dt_assert_file_is (path, before);
  assert_doc_is (doc, before);

  /* A new edit drops the redo step, and its file with it. */
  g_assert_true (maphex_document_replace (doc, 0, (const guint8 *) "x", 1, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_can_redo (doc));
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 0);

  /* Once more, then close with the step in the history. */
  g_assert_true (maphex_document_delete (doc, NULL, offset, len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 1);
  g_object_unref (doc);
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 0);
  _maphex_document_set_undo_copy_range_disabled (FALSE);
}

/* Below the threshold the bytes stay on the heap, as before (a file per
 * small delete would be slow), and count in the history's memory. */
static void
test_small_delete_stays_on_the_heap (void)
{
  const gint64 len = THRESHOLD - 1;
  g_autofree char *path = new_file_in (tmp_dir, 1 << 20);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = open_doc (path);
  g_autoptr(GError) error = NULL;
  MaphexStep *step;

  g_assert_true (maphex_document_delete (doc, NULL, 10, len, &error));
  g_assert_no_error (error);
  step = g_queue_peek_head (&doc->undo);
  g_assert_nonnull (step->old);
  g_assert_null (step->old_file);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, len);
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 0);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  dt_assert_file_is (path, before);
}

/* A shrink's cut tail is removed bytes too: kept in a file, written back
 * by undo. */
static void
test_big_shrink_is_kept_in_a_file_and_undone (void)
{
  const gint64 size = (gint64) 3 << 20, keep = 1000;
  g_autofree char *path = new_file_in (tmp_dir, size);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(GBytes) after = without (before, keep, size - keep);
  g_autoptr(MaphexDocument) doc = open_doc (path);
  g_autoptr(GError) error = NULL;
  MaphexStep *step;
  Result r = { 0 };
  int fd;

  maphex_document_resize_async (doc, NULL, keep, NULL, on_done, &r);
  wait_ok (&r);
  dt_assert_file_is (path, after);
  step = g_queue_peek_head (&doc->undo);
  g_assert_null (step->old);
  g_assert_nonnull (step->old_file);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), <, 4096);
  fd = the_temp_file (tmp_dir);
  assert_unlinked_temp_file (fd, tmp_dir, size - keep);

  undo_async (doc);
  dt_assert_file_is (path, before);
  assert_doc_is (doc, before);
  redo_async (doc);
  dt_assert_file_is (path, after);
  undo_async (doc);
  dt_assert_file_is (path, before);
}

/* A scratch buffer has no directory of its own: the file goes to the
 * temp dir. */
static void
test_scratch_delete_uses_the_temp_dir (void)
{
  const gint64 size = (gint64) 2 << 20, len = (gint64) 1 << 20;
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = maphex_document_new_scratch (size, &error);
  g_autofree guint8 *data = g_malloc (size);
  g_autofree guint8 *now = g_malloc (size);
  g_autoptr(GArray) already = NULL;
  int fd;

  g_assert_no_error (error);
  for (gint64 i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 509);
  g_assert_true (maphex_document_replace (doc, 0, data, size, &error));
  g_assert_no_error (error);

  /* The temp dir holds this test's directory too: the new file is the one
   * that was not open before. */
  already = list_temp_files (g_get_tmp_dir ());
  g_assert_true (maphex_document_delete (doc, NULL, 1, len, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, size - len);
  {
    g_autoptr(GArray) open_now = list_temp_files (g_get_tmp_dir ());

    fd = -1;
    for (guint i = 0; i < open_now->len; i++)
      {
        gboolean old_one = FALSE;

        for (guint j = 0; j < already->len; j++)
          old_one |= g_array_index (already, int, j) == g_array_index (open_now, int, i);
        if (!old_one)
          {
            g_assert_cmpint (fd, ==, -1);
            fd = g_array_index (open_now, int, i);
          }
      }
    g_assert_cmpint (fd, >=, 0);
  }
  assert_unlinked_temp_file (fd, g_get_tmp_dir (), len);

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 0, now, size, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (now, size, data, size);
}

/* Another program cuts the file (its own descriptor) after this chunk. */
static guint truncate_at;
static const char *truncate_path;
static gint64 truncate_to;

static void
chunk_hook (MaphexDocument *doc,
            guint           chunk,
            gpointer        data)
{
  int fd;

  if (chunk != truncate_at || truncate_path == NULL)
    return;
  fd = open (truncate_path, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, truncate_to), ==, 0);
  close (fd);
}

static void
count_signal (gpointer data)
{
  (*(guint *) data)++;
}

/* The file cut inside the removed range while they are copied to the
 * temporary file: the delete fails with the reason, moves nothing, and
 * closes the temporary file, and the window hears of the shrink
 * ("file-shrunk"); with read and write as with copy_file_range. */
static void
test_file_shrunk_while_filling_fails_and_moves_nothing (gconstpointer data)
{
  const gint64 size = (gint64) 3 << 20, len = (gint64) 1 << 20, cut = (gint64) 512 << 10;
  g_autofree char *path = new_file_in (tmp_dir, size);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  guint shrunk = 0;
  Result r = { 0 };

  _maphex_document_set_undo_copy_range_disabled (GPOINTER_TO_INT (data));
  doc = open_doc (path);
  g_signal_connect_swapped (doc, "file-shrunk", G_CALLBACK (count_signal), &shrunk);
  truncate_at = 2;
  truncate_path = path;
  truncate_to = cut;
  maphex_document_delete_async (doc, NULL, 0, len, NULL, on_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  truncate_path = NULL;
  _maphex_document_set_undo_copy_range_disabled (FALSE);

  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, size);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_cmpuint (count_temp_files (tmp_dir), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (shrunk, ==, 1);
  /* As the other program left it: nothing moved. */
  after = dt_slurp (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   g_bytes_get_data (before, NULL), cut);
}

/* The file cut while undo writes the removed bytes back (through the
 * descriptor): the undo fails with the reason, the step stays to undo, and
 * the length is the one before the undo (as a failed insert leaves it). */
static void
test_file_shrunk_during_undo_fails_and_keeps_the_step (void)
{
  const gint64 size = (gint64) 5 << 20, len = (gint64) 2 << 20;
  g_autofree char *path = new_file_in (tmp_dir, size);
  g_autoptr(MaphexDocument) doc = open_doc (path);
  g_autoptr(GError) error = NULL;
  MaphexStep *step;
  Result r = { 0 };

  g_assert_true (maphex_document_delete (doc, NULL, 0, len, &error));
  g_assert_no_error (error);
  step = g_queue_peek_head (&doc->undo);
  g_assert_nonnull (step->old_file);

  /* The undo moves the 3 MiB tail up (48 chunks of 64 KiB), then writes
   * the 2 MiB back: cut the file to 1 MiB after its second write. */
  truncate_at = 48 + 2;
  truncate_path = path;
  truncate_to = (gint64) 1 << 20;
  maphex_document_undo_async (doc, NULL, NULL, on_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  truncate_path = NULL;

  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&r.error);
  g_assert_true (g_queue_peek_head (&doc->undo) == step);
  g_assert_false (maphex_document_get_can_redo (doc));
  g_assert_cmpint (maphex_document_get_length (doc), ==, size - len);
}

/* The document's file on a tmpfs with too little room left for the removed
 * bytes (root only: mounting): the delete fails before any byte moved, says
 * where and why, and leaves no file open. */
static void
test_delete_on_a_full_disk_fails_and_leaves_the_file (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "full", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  Result r = { 0 };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=2m,mode=0700") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a tmpfs of 2 MiB (euid %d): %s",
                                              (int) geteuid (), g_strerror (errno));
      g_rmdir (dir);
      g_test_skip (why);
      return;
    }
  path = new_file_in (dir, (3 << 20) / 2);
  before = dt_slurp (path);
  doc = open_doc (path);

  maphex_document_delete_async (doc, NULL, 100, 1 << 20, NULL, on_done, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "full"));
  g_assert_nonnull (strstr (r.error->message, "undo"));
  g_clear_error (&r.error);
  dt_assert_file_is (path, before);
  assert_doc_is (doc, before);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_busy (doc));
  /* No temporary file left open. */
  g_assert_cmpuint (count_temp_files (dir), ==, 0);

  /* The worker thread may still hold the last reference (the GTask's, and
   * through it the document's map and descriptor on the tmpfs) for a moment
   * after the result came back: wait for the document to go before
   * unmounting, or umount fails with EBUSY (seen on a busy machine). */
  {
    gpointer gone = doc;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    g_object_add_weak_pointer (G_OBJECT (doc), &gone);
    g_clear_object (&doc);
    while (g_atomic_pointer_get (&gone) != NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (gone);
  }
  g_unlink (path);
  g_assert_cmpint (umount (dir), ==, 0);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("maphex-undo-XXXXXX", &error);
  g_assert_no_error (error);
  _maphex_document_run_set_chunk_size (64 << 10);
  _maphex_document_set_undo_file_threshold (THRESHOLD);
  _maphex_document_run_set_chunk_hook (chunk_hook, NULL);

  /* Whatever GLib opens once (the file monitor's inotify descriptor, the
   * worker pool's wakeups) is open before any test counts. */
  {
    g_autofree char *path = new_file_in (tmp_dir, 4096);
    MaphexDocument *doc = open_doc (path);
    Result r = { 0 };

    maphex_document_delete_async (doc, NULL, 0, 1, NULL, on_done, &r);
    wait_ok (&r);
    g_object_unref (doc);
    g_unlink (path);
  }

  g_test_add_data_func ("/undo-file/big-delete-is-kept-in-a-file-and-undone",
                        GINT_TO_POINTER (FALSE), test_big_delete_is_kept_in_a_file_and_undone);
  g_test_add_data_func ("/undo-file/big-delete-is-kept-in-a-file-and-undone/read-write",
                        GINT_TO_POINTER (TRUE), test_big_delete_is_kept_in_a_file_and_undone);
  g_test_add_func ("/undo-file/small-delete-stays-on-the-heap", test_small_delete_stays_on_the_heap);
  g_test_add_func ("/undo-file/big-shrink-is-kept-in-a-file-and-undone", test_big_shrink_is_kept_in_a_file_and_undone);
  g_test_add_func ("/undo-file/scratch-delete-uses-the-temp-dir", test_scratch_delete_uses_the_temp_dir);
  g_test_add_data_func ("/undo-file/file-shrunk-while-filling-fails-and-moves-nothing",
                        GINT_TO_POINTER (FALSE), test_file_shrunk_while_filling_fails_and_moves_nothing);
  g_test_add_data_func ("/undo-file/file-shrunk-while-filling-fails-and-moves-nothing/read-write",
                        GINT_TO_POINTER (TRUE), test_file_shrunk_while_filling_fails_and_moves_nothing);
  g_test_add_func ("/undo-file/file-shrunk-during-undo-fails-and-keeps-the-step",
                   test_file_shrunk_during_undo_fails_and_keeps_the_step);
  g_test_add_func ("/undo-file/delete-on-a-full-disk-fails-and-leaves-the-file", test_delete_on_a_full_disk_fails_and_leaves_the_file);

  status = g_test_run ();
  {
    g_autoptr(GDir) d = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
