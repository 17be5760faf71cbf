/* maphex-document-snapshot.c: snapshots, the documents of what cannot be
 * mapped (FIFOs, standard input, /proc and /sys files, file systems that
 * refuse mmap): the source read once, in a GTask worker, into an anonymous
 * map, with progress, cancel and a memory limit; the notice the window shows;
 * and writing a snapshot back to a writable source (in the long-operation
 * runner: maphex-document-run.c calls _maphex_document_save_to_source_work).
 *
 * The worker owns its map until the task returns it; the document is made on
 * the main thread (its signals belong to that context). Must not touch the
 * documents of files (maphex-document-open.c opens those).
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* What the worker reads per read(2), and how often it reports progress. */
#define READ_CHUNK        ((gsize) 1 << 20)
#define PROGRESS_USEC     (100 * 1000)
#define POLL_MSEC         100
#define LIMIT_CEILING     ((gint64) 1 << 30)

static gint64 limit_for_tests;

void
_maphex_document_set_snapshot_limit_for_tests (gint64 limit)
{
  limit_for_tests = limit;
}

gint64
maphex_document_get_snapshot_limit (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  gint64 quarter;

  if (limit_for_tests > 0)
    return limit_for_tests;
  if (pages <= 0)
    return LIMIT_CEILING;
  quarter = (gint64) pages * mm_pagesize () / 4;
  return MIN (LIMIT_CEILING, quarter);
}

typedef struct {
  /* in */
  char    *path;          /* NULL: read `fd` */
  int      fd;            /* a duplicate, closed when done; -1 when path is given */
  char    *name;          /* the source as the user knows it */
  MaphexMode mode;
  gint64   limit;
  MaphexSnapshotProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;
  /* worker */
  gint64   read;          /* atomic: bytes so far */
  gint64   expected;      /* a regular file's size; -1 when the source does not say */
  gint64   last_report;
  /* out */
  MmMap   *map;           /* NULL when empty */
  gint64   length;
  gboolean read_only;     /* a regular file whose mmap was refused */
  char    *reason;
  gboolean regular;
} Snapshot;

static void
snapshot_free (Snapshot *snap)
{
  if (snap->fd >= 0)
    close (snap->fd);
  g_clear_pointer (&snap->map, mm_map_free);
  g_free (snap->path);
  g_free (snap->name);
  g_free (snap->reason);
  g_clear_pointer (&snap->context, g_main_context_unref);
  g_free (snap);
}

typedef struct {
  MaphexSnapshotProgressFunc func;
  gpointer data;
  gint64   read;
  gint64   expected;
} ProgressReport;

static gboolean
report_progress_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->func (report->read, report->expected, report->data);
  return G_SOURCE_REMOVE;
}

static void
report_progress (Snapshot *snap, gboolean force)
{
  ProgressReport *report;
  gint64 now = g_get_monotonic_time ();

  if (snap->progress == NULL || (!force && now - snap->last_report < PROGRESS_USEC))
    return;
  snap->last_report = now;
  report = g_new (ProgressReport, 1);
  report->func = snap->progress;
  report->data = snap->progress_data;
  report->read = snap->read;
  report->expected = snap->expected;
  g_main_context_invoke_full (snap->context, G_PRIORITY_DEFAULT, report_progress_cb,
                              report, g_free);
}

/* Opens the source and checks that it can be read to its end. */
static gboolean
too_large (Snapshot *snap, GError **error)
{
  g_autofree char *limit = g_format_size_full ((guint64) snap->limit, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_TOO_LARGE,
               _("“%s” holds more than %s, the most Maphex reads into memory "
                 "(a quarter of this computer’s memory, and at most 1 GiB): it was not opened"),
               snap->name, limit);
  return FALSE;
}

static gboolean
open_source (Snapshot  *snap,
             GError   **error)
{
  g_autofree char *display = g_strdup (snap->name);
  struct stat st;

  if (snap->path != NULL)
    {
      /* Not the type after open(2) only: opening a device can have effects. */
      if (stat (snap->path, &st) != 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                       _("Cannot open “%s”: %s"), display, g_strerror (errsv));
          return FALSE;
        }
      if (!S_ISDIR (st.st_mode) && !S_ISSOCK (st.st_mode) && !S_ISCHR (st.st_mode))
        snap->fd = open (snap->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
      if (snap->fd < 0 && !S_ISDIR (st.st_mode) && !S_ISSOCK (st.st_mode) && !S_ISCHR (st.st_mode))
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                       _("Cannot open “%s”: %s"), display, g_strerror (errsv));
          return FALSE;
        }
    }
  if (snap->fd >= 0 && fstat (snap->fd, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot read the attributes of “%s”: %s"), display, g_strerror (errsv));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a regular file"), display);
      return FALSE;
    }
  if (S_ISCHR (st.st_mode) && !(snap->fd >= 0 && isatty (snap->fd)))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,
                   _("“%s” is a character device: it cannot be mapped, and it may never "
                     "end (as /dev/zero and /dev/urandom do not), so it is not read either"),
                   display);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) && !S_ISFIFO (st.st_mode) && !S_ISCHR (st.st_mode) &&
      !S_ISBLK (st.st_mode))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,
                   _("“%s” is a socket or a special file, not a regular file"), display);
      return FALSE;
    }
  snap->regular = S_ISREG (st.st_mode);
  snap->expected = S_ISREG (st.st_mode) && st.st_size > 0 ? (gint64) st.st_size : -1;
  /* A file that says it is past the limit is refused before a byte is read. */
  if (snap->expected > snap->limit)
    return too_large (snap, error);
  /* A regular file that holds bytes was not mapped because its file system
     refused: say so, and keep it read-only. */
  if (S_ISREG (st.st_mode) && st.st_size > 0)
    {
      snap->read_only = TRUE;
      snap->reason = g_strdup (_("Its file system refused to map it."));
    }
  return TRUE;
}

/* Waits until fd can be read (a FIFO may have no writer yet), checking for
   a cancel. TRUE: read it now. */
static gboolean
wait_readable (Snapshot *snap, GCancellable *cancellable, GError **error)
{
  struct pollfd pfd = { .fd = snap->fd, .events = POLLIN };

  for (;;)
    {
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = poll (&pfd, 1, POLL_MSEC);
      if (n > 0)
        return TRUE;
      if (n < 0 && errno != EINTR)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Cannot read “%s”: %s"), snap->name, g_strerror (errsv));
          return FALSE;
        }
    }
}

/* Reads the source to its end into an anonymous map reserved at the limit
   (no memory until written) and then cut to what was read. */
static gboolean
read_source (Snapshot *snap, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *buf = g_malloc (READ_CHUNK);
  MmError mm_error = { 0 };
  gint64 total = 0;

  if (mm_map_new (-1, snap->limit, MAP_PRIVATE | MAP_NORESERVE, PROT_READ | PROT_WRITE,
                  MM_ACCESS_DEFAULT, 0, true, &snap->map, &mm_error) != MM_OK)
    {
      g_propagate_error (error, _maphex_document_error_from_mm (&mm_error));
      return FALSE;
    }

  for (;;)
    {
      gsize want = (gsize) MIN ((gint64) READ_CHUNK, snap->limit - total + 1);
      ssize_t n;

      if (!wait_readable (snap, cancellable, error))
        return FALSE;
      n = read (snap->fd, buf, want);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Cannot read “%s”: %s"), snap->name, g_strerror (errsv));
          return FALSE;
        }
      if (n == 0)
        break;
      if (total + n > snap->limit)
        return too_large (snap, error);
      if (mm_map_write (snap->map, buf, n, NULL, &mm_error) != MM_OK)
        {
          g_propagate_error (error, _maphex_document_error_from_mm (&mm_error));
          return FALSE;
        }
      total += n;
      snap->read = total;
      report_progress (snap, FALSE);
    }

  snap->length = total;
  if (total == 0)
    g_clear_pointer (&snap->map, mm_map_free);
  else if (mm_map_resize (snap->map, total, &mm_error) != MM_OK ||
           mm_map_seek (snap->map, 0, SEEK_SET, NULL, &mm_error) != MM_OK)
    {
      g_propagate_error (error, _maphex_document_error_from_mm (&mm_error));
      return FALSE;
    }
  report_progress (snap, TRUE);
  return TRUE;
}

static void
snapshot_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Snapshot *snap = task_data;
  GError *error = NULL;

  _maphex_document_unblock_fault_signals ();
  if (!open_source (snap, &error) || !read_source (snap, cancellable, &error))
    {
      g_clear_pointer (&snap->map, mm_map_free);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static GTask *
snapshot_task_new (GFile *file, int fd, const char *name, MaphexMode mode,
                   MaphexSnapshotProgressFunc progress, gpointer progress_data,
                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data,
                   GError **error)
{
  GTask *task;
  Snapshot *snap = g_new0 (Snapshot, 1);
  int dup_errno = 0;

  snap->fd = -1;
  snap->expected = -1;
  snap->mode = mode;
  snap->limit = maphex_document_get_snapshot_limit ();
  snap->progress = progress;
  snap->progress_data = progress_data;
  snap->context = g_main_context_ref_thread_default ();
  if (file != NULL)
    {
      snap->path = g_file_get_path (file);
      snap->name = name != NULL ? g_strdup (name) : g_file_get_parse_name (file);
    }
  else
    {
      snap->name = g_strdup (name != NULL ? name : _("standard input"));
      snap->fd = fcntl (fd, F_DUPFD_CLOEXEC, 0);
      dup_errno = errno;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, maphex_document_new_snapshot_async);
  g_task_set_task_data (task, snap, (GDestroyNotify) snapshot_free);
  if (file != NULL && snap->path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Cannot open “%s”: only local files can be read"), snap->name);
  else if (file == NULL && snap->fd < 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (dup_errno),
                 _("Cannot read %s: %s"), snap->name, g_strerror (dup_errno));
  return task;
}

void
maphex_document_new_snapshot_async (GFile                      *file,
                                    int                         fd,
                                    const char                 *name,
                                    MaphexMode                  mode,
                                    MaphexSnapshotProgressFunc  progress,
                                    gpointer                    progress_data,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (file != NULL || fd >= 0);

  task = snapshot_task_new (file, fd, name, mode, progress, progress_data, cancellable,
                            callback, user_data, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, snapshot_thread);
}

MaphexDocument *
maphex_document_new_snapshot_finish (GAsyncResult  *result,
                                     GError       **error)
{
  Snapshot *snap;
  MaphexDocument *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  snap = g_task_get_task_data (G_TASK (result));
  self = g_object_new (MAPHEX_TYPE_DOCUMENT, NULL);
  self->scratch = TRUE;
  self->mode = (snap->read_only || snap->mode == MAPHEX_MODE_READ_ONLY)
               ? MAPHEX_MODE_READ_ONLY : MAPHEX_MODE_WRITE_THROUGH;
  self->map = g_steal_pointer (&snap->map);
  self->length = snap->length;
  self->snapshot_source = g_strdup (snap->name);
  self->snapshot_path = snap->regular ? g_strdup (snap->path) : NULL;
  self->snapshot_reason = g_strdup (snap->reason);
  self->snapshot_time = g_get_real_time ();
  return self;
}

MaphexDocument *
maphex_document_new_snapshot (GFile         *file,
                              int            fd,
                              const char    *name,
                              MaphexMode     mode,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GTask) task = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);
  g_return_val_if_fail (file != NULL || fd >= 0, NULL);

  task = snapshot_task_new (file, fd, name, mode, NULL, NULL, cancellable, NULL, NULL,
                            &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  g_task_run_in_thread_sync (task, snapshot_thread);
  return maphex_document_new_snapshot_finish (G_ASYNC_RESULT (task), error);
}

/* ------------------------------------------------------------------ */
/* The notice, and writing back                                        */

gboolean
maphex_document_is_snapshot (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->snapshot_source != NULL;
}

char *
maphex_document_dup_snapshot_notice (MaphexDocument *self)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *notice = NULL;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  if (self->snapshot_source == NULL)
    return NULL;

  when = g_date_time_new_from_unix_local (self->snapshot_time / G_USEC_PER_SEC);
  /* Translators: a time of day, as in "read at 12:03" */
  time = g_date_time_format (when, _("%H:%M"));
  notice = g_strdup_printf (_("A snapshot of %s, read at %s; it does not follow the file"),
                            self->snapshot_source, time);
  if (self->snapshot_reason != NULL)
    return g_strdup_printf ("%s. %s", notice, self->snapshot_reason);
  return g_steal_pointer (&notice);
}

gboolean
maphex_document_can_save_to_source (MaphexDocument *self)
{
  struct stat st;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->snapshot_path != NULL &&
         stat (self->snapshot_path, &st) == 0 && S_ISREG (st.st_mode) &&
         /* root passes access (W_OK) even for 0444 files of /proc */
         (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0 &&
         access (self->snapshot_path, W_OK) == 0;
}

/* One chunk of the snapshot into fd, where the descriptor is (a /proc or
   /sys file takes its value in order). */
static gboolean
write_chunk (int fd, const guint8 *buf, gint64 n, GError **error)
{
  while (n > 0)
    {
      ssize_t written = write (fd, buf, (size_t) n);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          int errsv = written < 0 ? errno : EIO;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s", g_strerror (errsv));
          return FALSE;
        }
      buf += written;
      n -= written;
    }
  return TRUE;
}

static gboolean
write_failed (MaphexDocument *self, const char *doing, GError *local_error, GError **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local_error);
  else
    /* Translators: the source, what failed, and why */
    g_propagate_prefixed_error (error, local_error, _("Cannot write “%s” back (%s): "),
                                self->snapshot_source, doing);
  return FALSE;
}

/* The runner's work (any thread). A source that reports its size is a
   real file: it is replaced as Save As replaces one (a complete copy next
   to it, synced, renamed over it, the directory synced), so a failure or a
   cancel leaves it as it was. /proc and /sys files (size 0) cannot be
   replaced: they are written from their start, in order, and the kernel
   takes or refuses what it gets. */
gboolean
_maphex_document_save_to_source_work (MaphexRun *run, GError **error)
{
  MaphexDocument *self = run->doc;
  g_autofree guint8 *buf = NULL;
  GError *local_error = NULL;
  struct stat st;
  gint64 done = 0;
  int fd;

  if (stat (self->snapshot_path, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                   _("Cannot write “%s” back: %s"), self->snapshot_source, g_strerror (errsv));
      return FALSE;
    }
  if (st.st_size != 0)
    return _maphex_document_save_as_work (self, run, self->snapshot_path, NULL, error);

  fd = open (self->snapshot_path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                   _("Cannot open “%s” for writing: %s"), self->snapshot_source,
                   g_strerror (errsv));
      return FALSE;
    }

  _maphex_run_set_total (run, self->length);
  buf = g_malloc (READ_CHUNK);
  while (done < self->length)
    {
      gint64 n = MIN ((gint64) READ_CHUNK, self->length - done);

      if (_maphex_run_cancelled (run, &local_error) ||
          !maphex_document_read (self, done, buf, (gsize) n, &local_error) ||
          !write_chunk (fd, buf, n, &local_error))
        break;
      done += n;
      _maphex_run_add_done (run, n);
    }
  if (close (fd) != 0 && local_error == NULL)
    {
      int errsv = errno;
      local_error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv),
                                         g_strerror (errsv));
    }
  if (local_error != NULL)
    return write_failed (self, _("written in place"), local_error, error);
  return TRUE;
}

static MaphexRun *
prepare_save_to_source (MaphexDocument *self, GError **error)
{
  MaphexRun *run;

  if (!maphex_document_can_save_to_source (self))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("This is a snapshot of %s, which cannot be written: use Save As"),
                   self->snapshot_source != NULL ? self->snapshot_source : "?");
      return NULL;
    }
  if (_maphex_document_refuse_busy (self, error))
    return NULL;
  run = _maphex_run_new (self, RUN_SAVE_SOURCE, NULL,
                         g_strdup_printf (_("Writing back to %s"), self->snapshot_source));
  run->serial = _maphex_document_current_serial (self);
  run->old_length = self->length;
  return run;
}

gboolean
maphex_document_save_to_source (MaphexDocument  *self,
                                GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((run = prepare_save_to_source (self, error)) == NULL)
    return FALSE;
  return _maphex_run_sync (run, error);
}

void
maphex_document_save_to_source_async (MaphexDocument      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = prepare_save_to_source (self, &error);
  _maphex_run_start (self, run, error, cancellable, maphex_document_save_to_source_async,
                     callback, user_data);
}

const char *
maphex_document_get_snapshot_source (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  return self->snapshot_source;
}
