/* test-run.c: the long-operation runner (maphex-document-run.c).
 *
 * Reload in the runner, refused and cancelled. Insert, delete, resize, Save and Save As cancelled at several points (the
 * first chunk, the middle, the last), with the file compared byte for byte
 * with its copy from before; another program shrinking the file during an
 * insert or a delete; a full disk during Save As; refusals while busy and
 * reading through an export meanwhile. Deletes and shrinks run both with
 * their removed bytes in memory and in a temporary file.
 *
 * The runner's chunk is one page here, and a chunk hook (called in the
 * worker after every chunk) cancels, truncates or pauses at chosen points.
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

static char *tmp_dir;
static guint file_counter;
static gint64 page;

/* ------------------------------------------------------------------ helpers */

/* A file of `len` bytes; byte i is (i * 13 + seed) & 0xff, so that shifted
 * content differs from the original at every offset. */
static char *
new_file_in (const char *dir,
             gsize       len,
             guint8      seed)
{
  g_autofree char *name = g_strdup_printf ("run-%u.bin", ++file_counter);
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 13 + seed);
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
new_file (gsize len)
{
  return new_file_in (tmp_dir, len, 5);
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

/* ---- The chunk hook: what to do after chunk number `at` ---- */

typedef enum {
  HOOK_NONE,
  HOOK_CANCEL,
  HOOK_TRUNCATE,
  HOOK_PAUSE,
} HookAction;

typedef struct {
  HookAction action;
  guint      at;
  guint      calls;
  guint      fired;     /* atomic */
  const char *path;     /* TRUNCATE */
  gint64     to;        /* TRUNCATE */
  GMutex     mutex;     /* PAUSE */
  GCond      cond;
  gboolean   paused;
  gboolean   resume;
} Hook;

static Hook hook;
/* What the start functions pass as the cancellable: a cancelled one cancels
 * the run before its first chunk. */
static GCancellable *start_cancellable;

static void
chunk_hook (MaphexDocument *doc,
            guint           chunk,
            gpointer        data)
{
  Hook *h = data;

  h->calls = chunk;
  if (chunk != h->at)
    return;
  g_atomic_int_inc (&h->fired);
  switch (h->action)
    {
    case HOOK_CANCEL:
      maphex_document_cancel_operation (doc);
      break;
    case HOOK_TRUNCATE:
      /* Another program: its own descriptor. */
      {
        int fd = open (h->path, O_WRONLY | O_CLOEXEC);
        g_assert_cmpint (fd, >=, 0);
        g_assert_cmpint (ftruncate (fd, h->to), ==, 0);
        close (fd);
      }
      break;
    case HOOK_PAUSE:
      g_mutex_lock (&h->mutex);
      h->paused = TRUE;
      g_cond_broadcast (&h->cond);
      while (!h->resume)
        g_cond_wait (&h->cond, &h->mutex);
      g_mutex_unlock (&h->mutex);
      break;
    case HOOK_NONE:
    default:
      break;
    }
}

static void
hook_arm (HookAction action,
          guint      at)
{
  hook.action = action;
  hook.at = at;
  hook.calls = 0;
  hook.fired = 0;
  hook.paused = FALSE;
  hook.resume = FALSE;
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

static void
assert_cancelled (Result *r)
{
  wait_for (r);
  g_assert_false (r->ok);
  g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r->error);
}

/* How many chunks a whole run of `kind` takes, measured with the hook idle:
 * the points to cancel at are chosen from it. */
typedef void (*StartFunc) (MaphexDocument *doc, Result *r, gpointer data);

static guint
count_chunks (const char *path,
              MaphexMode  mode,
              StartFunc   start,
              gpointer    data)
{
  g_autofree char *copy = g_strconcat (path, ".count", NULL);
  g_autoptr(GBytes) bytes = dt_slurp (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  Result r = { 0 };

  g_file_set_contents (copy, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  doc = dt_open_doc (copy, mode);
  hook_arm (HOOK_NONE, 0);
  start (doc, &r, data);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_clear_object (&doc);
  g_unlink (copy);
  return hook.calls;
}

/* Cancels a run at chunk 0 (before its first chunk: a cancellable
 * cancelled already), 1, 2, the middle, the one before last and the last one, and checks
 * each time that the file and the document are as they were. */
static void
check_cancel_points (const char *path,
                     MaphexMode  mode,
                     StartFunc   start,
                     gpointer    data)
{
  guint total = count_chunks (path, mode, start, data);
  guint points[] = { 0, 1, 2, total / 2, total - 1, total };
  g_autoptr(GBytes) before = dt_slurp (path);

  g_assert_cmpuint (total, >=, 8);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(MaphexDocument) doc = dt_open_doc (path, mode);
      g_autofree guint8 *now = NULL;
      g_autoptr(GError) error = NULL;
      gint64 len = maphex_document_get_length (doc);
      gboolean modified, can_undo;
      Result r = { 0 };

      g_test_message ("cancel at chunk %u of %u", points[i], total);
      hook_arm (points[i] == 0 ? HOOK_NONE : HOOK_CANCEL, points[i]);
      if (points[i] == 0)
        {
          start_cancellable = g_cancellable_new ();
          g_cancellable_cancel (start_cancellable);
        }
      start (doc, &r, data);
      g_clear_object (&start_cancellable);
      /* (A save's start makes the edits it saves first.) */
      modified = maphex_document_get_modified (doc);
      can_undo = maphex_document_get_can_undo (doc);
      g_assert_true (maphex_document_get_busy (doc));
      wait_for (&r);
      if (points[i] == total && r.ok)
        {
          /* Cancelled after its last chunk: it finished, and says so. */
          g_assert_no_error (r.error);
          continue;
        }
      g_assert_false (r.ok);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&r.error);
      g_assert_false (maphex_document_get_busy (doc));
      g_assert_cmpint (maphex_document_get_can_undo (doc), ==, can_undo);
      g_assert_cmpint (maphex_document_get_modified (doc), ==, modified);
      g_assert_cmpint (maphex_document_get_length (doc), ==, len);
      dt_assert_file_is (path, before);
      if (modified)
        continue;  /* the document holds the unsaved edits */
      now = g_malloc (MAX (len, 1));
      g_assert_true (maphex_document_read (doc, 0, now, len, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (now, len, g_bytes_get_data (before, NULL), g_bytes_get_size (before));
    }
  hook_arm (HOOK_NONE, 0);
}

/* ------------------------------------------------------------------ starts */

static void
start_insert (MaphexDocument *doc,
              Result         *r,
              gpointer        data)
{
  gint64 len = 3 * page + 17;
  g_autofree guint8 *bytes = g_malloc (len);
  g_autoptr(GBytes) gbytes = NULL;

  memset (bytes, 0xa5, len);
  gbytes = g_bytes_new (bytes, len);
  maphex_document_insert_async (doc, NULL, page / 2 + 3, gbytes, len, start_cancellable, on_done, r);
}

static void
start_insert_zeros_at_start (MaphexDocument *doc,
                             Result         *r,
                             gpointer        data)
{
  maphex_document_insert_async (doc, NULL, 0, NULL, 1, start_cancellable, on_done, r);
}

static void
start_delete (MaphexDocument *doc,
              Result         *r,
              gpointer        data)
{
  maphex_document_delete_async (doc, NULL, 100, 5 * page + 1, start_cancellable, on_done, r);
}

static void
start_shrink (MaphexDocument *doc,
              Result         *r,
              gpointer        data)
{
  maphex_document_resize_async (doc, NULL, 7, start_cancellable, on_done, r);
}

static void
start_save (MaphexDocument *doc,
            Result         *r,
            gpointer        data)
{
  /* Edits spread over the file, then Save. */
  g_autofree guint8 *ones = g_malloc (6 * page);
  g_autoptr(GError) error = NULL;

  memset (ones, 0x11, 6 * page);
  g_assert_true (maphex_document_replace (doc, 10, ones, 6 * page, &error));
  g_assert_true (maphex_document_replace (doc, 20 * page + 5, ones, 3 * page, &error));
  g_assert_no_error (error);
  maphex_document_save_async (doc, start_cancellable, on_done, r);
}

static void
start_save_as (MaphexDocument *doc,
               Result         *r,
               gpointer        data)
{
  g_autoptr(GFile) dest = g_file_new_for_path (data);

  maphex_document_save_as_async (doc, dest, start_cancellable, on_done, r);
}

/* ------------------------------------------------------------------ tests */

static void
test_insert_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (40 * page + 123);

  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_insert, NULL);
}

static void
test_insert_at_start_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (24 * page);

  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_insert_zeros_at_start, NULL);
}

static void
test_delete_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (40 * page + 77);

  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_delete, NULL);
}

/* The same with the removed bytes kept in a temporary file (the threshold
 * lowered to a page): cancelled while it fills, or while the tail moves
 * and the bytes come back from it. */
static void
test_delete_kept_in_a_file_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (40 * page + 77);

  _maphex_document_set_undo_file_threshold (page);
  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_delete, NULL);
  _maphex_document_set_undo_file_threshold (-1);
}

static void
test_shrink_kept_in_a_file_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (20 * page);

  _maphex_document_set_undo_file_threshold (page);
  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_shrink, NULL);
  _maphex_document_set_undo_file_threshold (-1);
}

static void
test_shrink_cancelled_anywhere_leaves_the_file (void)
{
  g_autofree char *path = new_file (20 * page);

  check_cancel_points (path, MAPHEX_MODE_WRITE_THROUGH, start_shrink, NULL);
}

/* Finished operations: the content is what the edit says, and undo, redo
 * and undo again (each a run too) give the original back. */
static void
test_async_insert_delete_resize_and_their_undo (void)
{
  g_autofree char *path = new_file (30 * page + 9);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  const guint8 *orig = g_bytes_get_data (before, NULL);
  gint64 len = (gint64) g_bytes_get_size (before);
  g_autoptr(GBytes) ins = g_bytes_new ("XYZ", 3);
  g_autofree guint8 *now = g_malloc (len + 3);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  maphex_document_insert_async (doc, NULL, 5, ins, 3, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, len + 3);
  g_assert_true (maphex_document_read (doc, 0, now, len + 3, &error));
  g_assert_cmpmem (now, 5, orig, 5);
  g_assert_cmpmem (now + 5, 3, "XYZ", 3);
  g_assert_cmpmem (now + 8, len - 5, orig + 5, len - 5);
  g_assert_true (maphex_document_get_can_undo (doc));

  memset (&r, 0, sizeof r);
  maphex_document_undo_async (doc, NULL, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  dt_assert_file_is (path, before);

  memset (&r, 0, sizeof r);
  maphex_document_redo_async (doc, NULL, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, len + 3);

  memset (&r, 0, sizeof r);
  maphex_document_delete_async (doc, NULL, 5, 3, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  dt_assert_file_is (path, before);

  memset (&r, 0, sizeof r);
  maphex_document_resize_async (doc, NULL, page, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, page);

  memset (&r, 0, sizeof r);
  maphex_document_undo_async (doc, NULL, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  dt_assert_file_is (path, before);
}

/* Undoing an insert is a delete run: cancelled, the step stays on the undo
 * stack and the file keeps the insert. */
static void
test_undo_of_insert_cancelled_keeps_the_step (void)
{
  g_autofree char *path = new_file (20 * page);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_true (maphex_document_insert (doc, NULL, 1, (const guint8 *) "ab", 2, &error));
  g_assert_no_error (error);
  after = dt_slurp (path);

  hook_arm (HOOK_CANCEL, 4);
  maphex_document_undo_async (doc, NULL, NULL, on_done, &r);
  assert_cancelled (&r);
  g_assert_cmpuint (g_atomic_int_get (&hook.fired), ==, 1);
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_can_redo (doc));
  dt_assert_file_is (path, after);
  hook_arm (HOOK_NONE, 0);
}

/* A copy-on-write Save cancelled partway writes back what it overwrote: the
 * file is as it was before Save, and the document stays modified. */
static void
test_save_copy_on_write_cancelled_leaves_the_file_as_before (void)
{
  g_autofree char *path = new_file (32 * page);

  check_cancel_points (path, MAPHEX_MODE_COPY_ON_WRITE, start_save, NULL);
}

/* A write-through Save that is cancelled stops syncing: the edit is in the
 * file (it always was), and the document stays modified. */
static void
test_save_write_through_cancelled_stays_modified (void)
{
  g_autofree char *path = new_file (16 * page);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_assert_true (maphex_document_replace (doc, 3, (const guint8 *) "Q", 1, &error));
  hook_arm (HOOK_CANCEL, 2);
  maphex_document_save_async (doc, NULL, on_done, &r);
  assert_cancelled (&r);
  g_assert_true (maphex_document_get_modified (doc));
  hook_arm (HOOK_NONE, 0);

  memset (&r, 0, sizeof r);
  maphex_document_save_async (doc, NULL, on_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_false (maphex_document_get_modified (doc));
}

static void
test_save_as_cancelled_leaves_no_file (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "save-as", NULL);
  g_autofree char *path = NULL;
  g_autofree char *dest = NULL;
  g_autoptr(GBytes) before = NULL;
  guint total, points[4];

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  path = new_file (24 * page);
  before = dt_slurp (path);
  dest = g_build_filename (dir, "copy.bin", NULL);
  total = count_chunks (path, MAPHEX_MODE_COPY_ON_WRITE, start_save_as, dest);
  g_assert_true (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (dest), ==, 0);
  g_assert_cmpuint (total, >=, 8);

  points[0] = 1, points[1] = 2, points[2] = total / 2, points[3] = total - 1;
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
      Result r = { 0 };

      hook_arm (HOOK_CANCEL, points[i]);
      start_save_as (doc, &r, dest);
      assert_cancelled (&r);
      g_assert_cmpuint (count_entries (dir), ==, 0);
      dt_assert_file_is (path, before);
    }
  hook_arm (HOOK_NONE, 0);
  g_rmdir (dir);
}

/* Another program cuts the file during an insert at the start, after some
 * chunks moved: the insert fails with FAULT, puts back what the file still
 * holds, and the length is the old one again. */
static void
test_insert_with_the_file_shrunk_meanwhile_fails_and_restores (void)
{
  g_autofree char *path = new_file (32 * page);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) after = NULL;
  Result r = { 0 };

  hook_arm (HOOK_TRUNCATE, 5);
  hook.path = path;
  hook.to = 16 * page;
  start_insert_zeros_at_start (doc, &r, NULL);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 32 * page);
  g_assert_false (maphex_document_get_can_undo (doc));
  after = dt_slurp (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), 16 * page,
                   g_bytes_get_data (before, NULL), 16 * page);
  hook_arm (HOOK_NONE, 0);
}

/* The same during a delete: the chunks that moved down are moved back as
 * far as the file reaches, and the removed bytes written again. */
static void
test_delete_with_the_file_shrunk_meanwhile_fails_and_restores (void)
{
  g_autofree char *path = new_file (32 * page);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) after = NULL;
  Result r = { 0 };

  /* chunks: 2 for reading the removed bytes, then the moves */
  hook_arm (HOOK_TRUNCATE, 6);
  hook.path = path;
  hook.to = 20 * page;
  maphex_document_delete_async (doc, NULL, page + 10, page + 1, NULL, on_done, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 32 * page);
  after = dt_slurp (path);
  g_assert_cmpuint (g_bytes_get_size (after), ==, 20 * page);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), 20 * page,
                   g_bytes_get_data (before, NULL), 20 * page);
  hook_arm (HOOK_NONE, 0);
}

/* While an insert runs: the document is busy, names it, refuses edits,
 * saves and other runs with that name, and an export still reads. */
static void
test_busy_refuses_edits_and_views_keep_reading (void)
{
  g_autofree char *path = new_file (32 * page);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexExport *own = maphex_document_export (doc, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buf[16];
  gint64 done = 0, total = 0;
  Result r = { 0 }, r2 = { 0 };

  hook_arm (HOOK_PAUSE, 10);
  maphex_document_insert_async (doc, own, 0, NULL, 1, NULL, on_done, &r);
  g_mutex_lock (&hook.mutex);
  while (!hook.paused)
    g_cond_wait (&hook.cond, &hook.mutex);
  g_mutex_unlock (&hook.mutex);

  g_assert_true (maphex_document_get_busy (doc));
  g_assert_nonnull (strstr (maphex_document_get_operation_name (doc), "Inserting"));
  g_assert_cmpfloat (maphex_document_get_progress (doc, &done, &total, NULL), >, 0.25);
  g_assert_cmpint (done, ==, 10 * page);
  g_assert_cmpint (total, ==, 32 * page + 1);

  g_assert_false (maphex_document_replace (doc, 0, (const guint8 *) "x", 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Inserting"));
  g_clear_error (&error);
  g_assert_false (maphex_document_set_byte (doc, 0, 1, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (maphex_document_reload (doc, own, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_clear_error (&error);
  maphex_document_delete_async (doc, own, 0, 1, NULL, on_done, &r2);
  wait_for (&r2);
  g_assert_error (r2.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_clear_error (&r2.error);

  /* The head of the file has not moved yet: the view reads it as it was. */
  g_assert_true (maphex_export_copy (own, 0, buf, sizeof buf, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buf, sizeof buf, g_bytes_get_data (before, NULL), sizeof buf);

  g_mutex_lock (&hook.mutex);
  hook.resume = TRUE;
  g_cond_broadcast (&hook.cond);
  g_mutex_unlock (&hook.mutex);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_null (maphex_document_get_operation_name (doc));
  g_assert_cmpint (maphex_export_get_length (own), ==, 32 * page + 1);
  g_assert_true (maphex_export_copy (own, 1, buf, sizeof buf, &error));
  g_assert_cmpmem (buf, sizeof buf, g_bytes_get_data (before, NULL), sizeof buf);
  maphex_document_unexport (doc, own);
  hook_arm (HOOK_NONE, 0);
}

/* A length change still refuses while another view holds the map, before
 * anything starts. */
static void
test_async_resize_refused_while_another_view_holds_the_map (void)
{
  g_autofree char *path = new_file (4 * page);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexExport *other = maphex_document_export (doc, NULL);
  Result r = { 0 };

  maphex_document_resize_async (doc, NULL, page, NULL, on_done, &r);
  g_assert_false (maphex_document_get_busy (doc));
  wait_for (&r);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_clear_error (&r.error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 4 * page);
  maphex_document_unexport (doc, other);
}

/* Save As onto a full disk: a tmpfs of 1 MiB (as the core's disk-full test
 * mounts one; root only). The target is not left behind, nor its temporary
 * file, and the source is untouched. */
static void
test_save_as_on_a_full_disk_leaves_no_file (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "full", NULL);
  g_autofree char *dest = g_build_filename (dir, "copy.bin", NULL);
  g_autofree char *path = new_file (3 * 1024 * 1024 + 5);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  Result r = { 0 };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700") != 0)
    {
      g_autofree char *why = g_strdup_printf ("cannot mount a tmpfs of 1 MiB (euid %d): %s",
                                              (int) geteuid (), g_strerror (errno));
      g_rmdir (dir);
      g_test_skip (why);
      return;
    }

  doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  maphex_document_save_as_async (doc, dest_file, NULL, on_done, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (r.error->message, "copy.bin"));
  g_clear_error (&r.error);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  dt_assert_file_is (path, before);
  g_assert_false (maphex_document_get_busy (doc));

  g_assert_cmpint (umount (dir), ==, 0);
  g_rmdir (dir);
}

/* Reload runs in the runner: busy and named while it runs, the new bytes
 * through the same export afterwards, the edits and history gone. */
static void
test_reload_async_runs_in_the_runner (void)
{
  g_autofree char *path = new_file (3 * page);
  g_autofree char *fresh_path = new_file_in (tmp_dir, 5 * page + 7, 99);
  g_autoptr(GBytes) fresh = dt_slurp (fresh_path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, NULL);
  g_autofree guint8 *buf = g_malloc (g_bytes_get_size (fresh));
  Result r = { 0 };

  g_assert_true (maphex_document_replace (doc, 1, (const guint8 *) "edit", 4, &error));
  g_assert_no_error (error);
  /* Another program replaces the file (a new inode at the same path). */
  g_assert_cmpint (g_rename (fresh_path, path), ==, 0);

  hook_arm (HOOK_NONE, 0);
  maphex_document_reload_async (doc, own, NULL, on_done, &r);
  g_assert_true (maphex_document_get_busy (doc));
  g_assert_cmpstr (maphex_document_get_operation_name (doc), ==, "Reloading");
  g_assert_false (maphex_document_replace (doc, 0, (const guint8 *) "x", 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY);
  g_clear_error (&error);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  g_assert_false (maphex_document_get_busy (doc));
  g_assert_cmpint (maphex_document_get_length (doc), ==, (gint64) g_bytes_get_size (fresh));
  g_assert_true (maphex_export_copy (own, 0, buf, g_bytes_get_size (fresh), &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buf, g_bytes_get_size (fresh), g_bytes_get_data (fresh, NULL), g_bytes_get_size (fresh));
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_false (maphex_document_get_can_undo (doc));
  dt_assert_file_is (path, fresh);
  maphex_document_unexport (doc, own);
}

/* A reload cancelled before the new map is in place changes nothing: the
 * edits, the history and the bytes shown stay. */
static void
test_reload_cancelled_keeps_the_document (void)
{
  g_autofree char *path = new_file (3 * page);
  g_autoptr(GBytes) before = dt_slurp (path);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, NULL);
  guint8 buf[4];
  Result r = { 0 };

  g_assert_true (maphex_document_replace (doc, 1, (const guint8 *) "edit", 4, &error));
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  hook_arm (HOOK_NONE, 0);
  maphex_document_reload_async (doc, own, cancellable, on_done, &r);
  assert_cancelled (&r);

  g_assert_true (maphex_document_get_modified (doc));
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_cmpint (maphex_document_get_length (doc), ==, 3 * page);
  g_assert_true (maphex_export_copy (own, 1, buf, sizeof buf, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buf, sizeof buf, "edit", 4);
  dt_assert_file_is (path, before);
  maphex_document_unexport (doc, own);
}

/* Another view's export refuses the reload before it starts, through the
 * callback; the document is not left busy. */
static void
test_reload_async_refused_while_another_view_holds_the_map (void)
{
  g_autofree char *path = new_file (2 * page);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  MaphexExport *other = maphex_document_export (doc, NULL);
  Result r = { 0 };

  maphex_document_reload_async (doc, NULL, NULL, on_done, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_clear_error (&r.error);
  g_assert_false (maphex_document_get_busy (doc));
  maphex_document_unexport (doc, other);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  page = sysconf (_SC_PAGESIZE);
  tmp_dir = g_dir_make_tmp ("maphex-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_mutex_init (&hook.mutex);
  g_cond_init (&hook.cond);
  _maphex_document_run_set_chunk_size (page);
  _maphex_document_run_set_chunk_hook (chunk_hook, &hook);

  g_test_add_func ("/run/insert/cancelled-anywhere-leaves-the-file", test_insert_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/insert/at-start-cancelled-anywhere-leaves-the-file", test_insert_at_start_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/delete/cancelled-anywhere-leaves-the-file", test_delete_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/resize/shrink-cancelled-anywhere-leaves-the-file", test_shrink_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/delete/kept-in-a-file-cancelled-anywhere-leaves-the-file", test_delete_kept_in_a_file_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/resize/shrink-kept-in-a-file-cancelled-anywhere-leaves-the-file", test_shrink_kept_in_a_file_cancelled_anywhere_leaves_the_file);
  g_test_add_func ("/run/async-insert-delete-resize-and-their-undo", test_async_insert_delete_resize_and_their_undo);
  g_test_add_func ("/run/undo/of-insert-cancelled-keeps-the-step", test_undo_of_insert_cancelled_keeps_the_step);
  g_test_add_func ("/run/save/copy-on-write-cancelled-leaves-the-file-as-before", test_save_copy_on_write_cancelled_leaves_the_file_as_before);
  g_test_add_func ("/run/save/write-through-cancelled-stays-modified", test_save_write_through_cancelled_stays_modified);
  g_test_add_func ("/run/save-as/cancelled-leaves-no-file", test_save_as_cancelled_leaves_no_file);
  g_test_add_func ("/run/save-as/on-a-full-disk-leaves-no-file", test_save_as_on_a_full_disk_leaves_no_file);
  g_test_add_func ("/run/insert/with-the-file-shrunk-meanwhile-fails-and-restores", test_insert_with_the_file_shrunk_meanwhile_fails_and_restores);
  g_test_add_func ("/run/delete/with-the-file-shrunk-meanwhile-fails-and-restores", test_delete_with_the_file_shrunk_meanwhile_fails_and_restores);
  g_test_add_func ("/run/busy/refuses-edits-and-views-keep-reading", test_busy_refuses_edits_and_views_keep_reading);
  g_test_add_func ("/run/resize/refused-while-another-view-holds-the-map", test_async_resize_refused_while_another_view_holds_the_map);
  g_test_add_func ("/run/reload/async-runs-in-the-runner", test_reload_async_runs_in_the_runner);
  g_test_add_func ("/run/reload/cancelled-keeps-the-document", test_reload_cancelled_keeps_the_document);
  g_test_add_func ("/run/reload/refused-while-another-view-holds-the-map", test_reload_async_refused_while_another_view_holds_the_map);

  status = g_test_run ();
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmp_dir);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                              G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                              NULL, NULL);
    GFileInfo *info;

    while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, g_file_info_get_name (info), NULL);
        g_unlink (p);
        g_object_unref (info);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
