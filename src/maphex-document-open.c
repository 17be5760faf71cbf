/* maphex-document-open.c: opening a file or a block device in a mode,
 * scratch buffers, reloading, and the file monitor that notices other
 * programs' changes. What cannot be mapped it sends to the snapshots
 * (maphex-document-snapshot.c) with NEEDS_SNAPSHOT.
 *
 * Must not edit the content; it drops the history only on reload.
 */
#include "maphex-document-private.h"
#include "maphex-bookmarks-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* Events on the file this soon after we changed its length ourselves are ours. */
#define OWN_WRITE_WINDOW_USEC (3 * G_USEC_PER_SEC)

static guint scratch_counter;
static gboolean mmap_refused_for_tests;

void
_maphex_document_set_mmap_refused_for_tests (gboolean refused)
{
  mmap_refused_for_tests = refused;
}

gboolean
_maphex_document_get_mmap_refused_for_tests (void)
{
  return mmap_refused_for_tests;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data);

/* Regular files and block devices open; a FIFO is for a snapshot. */
static gboolean
openable (const struct stat *st)
{
  return S_ISREG (st->st_mode) || S_ISBLK (st->st_mode);
}

/* The one place of the rule: a disk opens read-only when the mode is the
 * user's default, not a choice for it. */
static MaphexMode
mode_for_kind (const struct stat *st,
               MaphexMode         mode,
               MaphexOpenFlags    flags)
{
  if ((flags & MAPHEX_OPEN_MODE_IS_DEFAULT) && S_ISBLK (st->st_mode))
    return MAPHEX_MODE_READ_ONLY;
  return mode;
}

MaphexMode
maphex_document_mode_for_file (GFile           *file,
                               MaphexMode       mode,
                               MaphexOpenFlags  flags)
{
  g_autofree char *path = NULL;
  struct stat st;

  g_return_val_if_fail (G_IS_FILE (file), mode);
  path = g_file_get_path (file);
  if (path == NULL || stat (path, &st) != 0)
    return mode;
  return mode_for_kind (&st, mode, flags);
}

/* Opens `path` in *mode, which the kind of file may change (a disk in the
 * default mode: read-only). */
static gboolean
open_file_fd (const char      *path,
              MaphexMode      *mode_inout,
              MaphexOpenFlags  flags_in,
              int             *out_fd,
              struct stat     *out_st,
              GError         **error)
{
  g_autofree char *display = g_filename_display_name (path);
  MaphexMode mode;
  struct stat st;
  int flags;
  int fd;

  /* Check the type before open(2): opening a device or a FIFO can block or
   * have side effects. fstat() below checks again what was opened. A path
   * that cannot be stat'ed fails in open(2), which says why. */
  if (stat (path, &st) != 0)
    memset (&st, 0, sizeof st);
  else if (!openable (&st))
    goto not_regular;
  mode = *mode_inout = mode_for_kind (&st, *mode_inout, flags_in);
  if (S_ISBLK (st.st_mode) && mode == MAPHEX_MODE_WRITE_THROUGH &&
      !(flags_in & MAPHEX_OPEN_CONFIRMED))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_CONFIRMATION,
                   _("“%s” is a block device: write-through writes every edit straight "
                     "to the device, so it needs your confirmation"), display);
      return FALSE;
    }

  flags = (mode == MAPHEX_MODE_WRITE_THROUGH ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  fd = open (path, flags);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == EISDIR)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     _("“%s” is a folder, not a regular file"), display);
      else if (S_ISBLK (st.st_mode) && (errsv == EACCES || errsv == EPERM))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     mode == MAPHEX_MODE_WRITE_THROUGH
                     ? _("Cannot open “%s” for writing: %s (a block device usually "
                         "needs root, or membership of the “disk” group)")
                     : _("Cannot open “%s”: %s (a block device usually needs root, "
                         "or membership of the “disk” group)"),
                     display, g_strerror (errsv));
      else if (mode == MAPHEX_MODE_WRITE_THROUGH)
        g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                                      _("Cannot open “%s” for writing: %s"), display, g_strerror (errsv));
      else
        g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                                      _("Cannot open “%s”: %s"), display, g_strerror (errsv));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot read the attributes of “%s”: %s"), display, g_strerror (errsv));
      close (fd);
      return FALSE;
    }
  if (!openable (&st))
    {
      close (fd);
      goto not_regular;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot open “%s”: %s"), display, g_strerror (errsv));
      close (fd);
      return FALSE;
    }

  /* /proc and /sys give a size of 0 for files that hold bytes: one byte
   * tells them from an empty file. */
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    {
      guint8 byte;

      if (pread (fd, &byte, 1, 0) == 1)
        {
          close (fd);
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT,
                       _("“%s” has no size the kernel reports (a file of /proc or /sys): "
                         "it can only be read once, as a snapshot"), display);
          return FALSE;
        }
    }

  *out_fd = fd;
  *out_st = st;
  return TRUE;

not_regular:
  if (S_ISDIR (st.st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                 _("“%s” is a folder, not a regular file"), display);
  else if (S_ISFIFO (st.st_mode))
    g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT,
                 _("“%s” is a FIFO: it cannot be mapped, only read once as a snapshot"),
                 display);
  else if (S_ISCHR (st.st_mode))
    g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,
                 _("“%s” is a character device: it cannot be mapped, and it may never "
                   "end (as /dev/zero and /dev/urandom do not), so it is not read either"),
                 display);
  else
    {
      const char *kind;

      if (S_ISFIFO (st.st_mode))
        kind = _("a FIFO");
      else if (S_ISCHR (st.st_mode))
        kind = _("a character device");
      else if (S_ISBLK (st.st_mode))
        kind = _("a block device");
      else if (S_ISSOCK (st.st_mode))
        kind = _("a socket");
      else
        kind = _("a special file");
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,
                   _("“%s” is %s, not a regular file"), display, kind);
    }
  return FALSE;
}

static MmAccess
access_for_mode (MaphexMode mode)
{
  switch (mode)
    {
    case MAPHEX_MODE_READ_ONLY:     return MM_ACCESS_READ;
    case MAPHEX_MODE_WRITE_THROUGH: return MM_ACCESS_WRITE;
    case MAPHEX_MODE_COPY_ON_WRITE:
    default:                        return MM_ACCESS_COPY;
    }
}

/* Maps the whole file or device, or nothing when a file is empty; *length
 * gets the map's length. Never reads the data. A file system that refuses
 * mmap (ENODEV, EINVAL) gives NEEDS_SNAPSHOT. */
static gboolean
map_fd (const char        *path,
        int                fd,
        const struct stat *st,
        MaphexMode         mode,
        MmMap            **out_map,
        gint64            *length,
        GError           **error)
{
  MmError mm_error = { 0 };

  *out_map = NULL;
  *length = 0;
  if (S_ISREG (st->st_mode) && st->st_size == 0)
    return TRUE;

  if (S_ISREG (st->st_mode) && mmap_refused_for_tests)
    {
      mm_error.status = MM_ERROR_OS;
      mm_error.sys_errno = ENODEV;
    }
  if (mm_error.status == MM_OK &&
      mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, access_for_mode (mode),
                  0, true, out_map, &mm_error) == MM_OK)
    return mm_map_len (*out_map, length, NULL) == MM_OK;

  if (S_ISREG (st->st_mode) && mm_error.status == MM_ERROR_OS &&
      (mm_error.sys_errno == ENODEV || mm_error.sys_errno == EINVAL))
    {
      g_autofree char *display = g_filename_display_name (path);

      *out_map = NULL;
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT,
                   _("The file system of “%s” refused to map it (%s): it can only be "
                     "read once, as a snapshot"), display, g_strerror (mm_error.sys_errno));
      return FALSE;
    }
  if (
      /* A private writable map larger than memory (a 1 TiB sparse file) is
       * refused by the kernel's overcommit heuristic: ask for the same map
       * without a reservation. DEFAULT access keeps these flags; the core
       * would then allow resize, which the document refuses in this mode. */
      !(mode == MAPHEX_MODE_COPY_ON_WRITE &&
        mm_error.status == MM_ERROR_OS && mm_error.sys_errno == ENOMEM &&
        mm_map_new (fd, 0, MAP_PRIVATE | MAP_NORESERVE, PROT_READ | PROT_WRITE,
                    MM_ACCESS_DEFAULT, 0, true, out_map, &mm_error) == MM_OK))
    {
      g_autoptr(GError) local_error = _maphex_document_error_from_mm (&mm_error);
      g_autofree char *display = g_filename_display_name (path);

      *out_map = NULL;
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, local_error->code,
                   _("Cannot map “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return mm_map_len (*out_map, length, NULL) == MM_OK;
}

static void
set_known_state (MaphexDocument    *self,
                 const struct stat *st)
{
  self->known_mtime = _maphex_stat_mtime_ns (st);
  self->known_size = st->st_size;
}

MaphexDocument *
maphex_document_new_for_file (GFile       *file,
                              MaphexMode   mode,
                              GError     **error)
{
  return maphex_document_new_for_file_full (file, mode, MAPHEX_OPEN_NONE, error);
}

MaphexDocument *
maphex_document_new_for_file_full (GFile           *file,
                                   MaphexMode       mode,
                                   MaphexOpenFlags  flags,
                                   GError         **error)
{
  g_autoptr(MaphexDocument) self = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) monitor_error = NULL;
  MmMap *map = NULL;
  struct stat st;
  gint64 length = 0;
  int fd = -1;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (mode == MAPHEX_MODE_READ_ONLY ||
                        mode == MAPHEX_MODE_COPY_ON_WRITE ||
                        mode == MAPHEX_MODE_WRITE_THROUGH, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot open “%s”: only local files can be mapped"), uri);
      return NULL;
    }

  if (!open_file_fd (path, &mode, flags, &fd, &st, error))
    return NULL;
  if (!map_fd (path, fd, &st, mode, &map, &length, error))
    {
      close (fd);
      return NULL;
    }

  self = g_object_new (MAPHEX_TYPE_DOCUMENT, NULL);
  self->file = g_object_ref (file);
  self->path = g_steal_pointer (&path);
  self->mode = mode;
  self->fd = fd;
  self->map = map;
  self->length = length;
  self->is_device = S_ISBLK (st.st_mode);
  set_known_state (self, &st);

  /* A device's node says nothing of its bytes (its st_size is 0). */
  if (!self->is_device)
    {
      self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &monitor_error);
      if (self->monitor != NULL)
        g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self);
      else
        g_debug ("No file monitor for %s: %s", self->path, monitor_error->message);
    }

  return g_steal_pointer (&self);
}

MaphexDocument *
maphex_document_new_scratch (gint64    size,
                             GError  **error)
{
  g_autoptr(MaphexDocument) self = NULL;
  MmError mm_error;
  MmMap *map = NULL;

  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Private, and readable and writable under DEFAULT access: resizable. */
  if (mm_map_new (-1, size, MAP_PRIVATE, PROT_READ | PROT_WRITE, MM_ACCESS_DEFAULT,
                  0, true, &map, &mm_error) != MM_OK)
    {
      g_propagate_error (error, _maphex_document_error_from_mm (&mm_error));
      return NULL;
    }

  self = g_object_new (MAPHEX_TYPE_DOCUMENT, NULL);
  self->scratch = TRUE;
  self->scratch_number = (guint) g_atomic_int_add (&scratch_counter, 1) + 1;
  self->mode = MAPHEX_MODE_WRITE_THROUGH;
  self->map = map;
  self->length = size;
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Reload and the file monitor                                         */

/* ---- Reload: in the long-operation runner ---- */

/* What can refuse a reload before it starts (main thread). */
static gboolean
reload_check (MaphexDocument  *self,
              MaphexExport    *own,
              GError         **error)
{
  gboolean ok;

  if (self->snapshot_source != NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("A snapshot is read once: open its source again to read it anew"));
      return FALSE;
    }
  if (self->scratch)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("A new buffer has no file to reload"));
      return FALSE;
    }
  if (_maphex_document_refuse_busy (self, error))
    return FALSE;

  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_check_other_exports_locked (self, own, error);
  g_rec_mutex_unlock (&self->map_lock);
  return ok;
}

/* Worker (or the caller's thread): opens and maps the path again, then swaps
 * the new map in under the lock, so views read the old bytes until the
 * swap and the new ones after it. The old map is unmapped here too: in
 * copy-on-write that frees every private page, which takes time in
 * proportion to the edits. Nothing changes if the open or the map fails,
 * or if the run is cancelled before the swap. */
gboolean
_maphex_document_reload_work (MaphexRun  *run,
                              GError    **error)
{
  MaphexDocument *self = run->doc;
  MmMap *map = NULL, *old_map;
  MaphexMode mode = self->mode;
  struct stat st;
  gint64 length = 0;
  int fd = -1, old_fd;

  _maphex_run_set_total (run, 1);
  /* The file may have been replaced: open the path again. */
  /* The mode was chosen (and confirmed, for a device) when it was opened. */
  if (!open_file_fd (self->path, &mode, MAPHEX_OPEN_CONFIRMED, &fd, &st, error))
    return FALSE;
  if (!map_fd (self->path, fd, &st, self->mode, &map, &length, error))
    {
      close (fd);
      return FALSE;
    }

  g_rec_mutex_lock (&self->map_lock);
  /* A view may have exported meanwhile; a cancel still counts before the swap. */
  if (_maphex_run_cancelled (run, error) ||
      !_maphex_document_check_other_exports_locked (self, run->own, error))
    {
      g_rec_mutex_unlock (&self->map_lock);
      g_clear_pointer (&map, mm_map_free);
      close (fd);
      return FALSE;
    }
  if (run->own != NULL)
    g_clear_pointer (&run->own->view, mm_view_release);
  old_map = self->map;
  old_fd = self->fd;
  self->fd = fd;
  self->map = map;
  self->length = length;
  _maphex_document_reexport_locked (self, run->own);
  g_rec_mutex_unlock (&self->map_lock);

  g_clear_pointer (&old_map, mm_map_free);
  close (old_fd);
  run->reload_st = st;
  _maphex_run_add_done (run, 1);
  return TRUE;
}

/* Main thread, after a reload succeeded: the history and the dirty ranges
 * belong to the bytes that are gone. */
void
_maphex_document_reload_done (MaphexRun *run)
{
  MaphexDocument *self = run->doc;

  _maphex_document_clear_queue (&self->undo);
  _maphex_document_clear_queue (&self->redo);
  g_array_set_size (self->dirty, 0);
  self->saved_serial = 0;
  self->trimmed_serial = 0;
  set_known_state (self, &run->reload_st);
  g_atomic_int_set (&self->shrunk_reported, 0);
  if (self->bookmarks != NULL)
    _maphex_bookmarks_reloaded (MAPHEX_BOOKMARKS (self->bookmarks));

  g_object_freeze_notify (G_OBJECT (self));
  _maphex_document_update_state (self);
  _maphex_document_notify_length_if_changed (self, run->old_length);
  g_object_thaw_notify (G_OBJECT (self));
  _maphex_document_emit_bytes_changed (self, 0, self->length);
}

static MaphexRun *
prepare_reload (MaphexDocument *self,
                MaphexExport   *own,
                GError        **error)
{
  MaphexRun *run;

  if (!reload_check (self, own, error))
    return NULL;
  run = _maphex_run_new (self, RUN_RELOAD, own, g_strdup (_("Reloading")));
  run->old_length = self->length;
  return run;
}

gboolean
maphex_document_reload (MaphexDocument  *self,
                        MaphexExport    *own,
                        GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((run = prepare_reload (self, own, error)) == NULL)
    return FALSE;
  return _maphex_run_sync (run, error);
}

void
maphex_document_reload_async (MaphexDocument      *self,
                              MaphexExport        *own,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = prepare_reload (self, own, &error);
  _maphex_run_start (self, run, error, cancellable, maphex_document_reload_async,
                     callback, user_data);
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (user_data);
  struct stat st;
  gint64 mtime;

  /* A long operation writes the file as it runs (for longer than the window
   * of our own writes); when it is done it notes what it left. */
  if (self->run != NULL)
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_DELETED:
      if (self->known_size == -1)
        return;
      self->known_size = -1;
      self->known_mtime = -1;
      g_signal_emit (self, _maphex_document_signals[FILE_CHANGED], 0);
      return;

    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
      break;

    default:
      return;
    }

  if (stat (self->path, &st) != 0)
    return;
  mtime = _maphex_stat_mtime_ns (&st);

  /* Already known: our own save, or a change already reported. */
  if (mtime == self->known_mtime && st.st_size == self->known_size)
    return;

  /* Writes through the map move the mtime without an event of their own,
   * so right after our own resize the event is ours if the size agrees. */
  if (self->mode == MAPHEX_MODE_WRITE_THROUGH &&
      st.st_size == self->length &&
      g_get_monotonic_time () - self->own_write_time < OWN_WRITE_WINDOW_USEC)
    {
      set_known_state (self, &st);
      return;
    }

  set_known_state (self, &st);
  g_object_ref (self);
  if (st.st_size < self->length)
    _maphex_document_report_fault (self);
  else
    g_atomic_int_set (&self->shrunk_reported, 0);
  g_signal_emit (self, _maphex_document_signals[FILE_CHANGED], 0);
  g_object_unref (self);
}
