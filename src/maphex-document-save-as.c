/* maphex-document-save-as.c: Save As: the whole content written to a new
 * file, replaced atomically and made durable, synchronously or in a GTask;
 * the source's holes stay holes, and its unchanged data ranges go through
 * copy_file_range where the kernel can copy them. A snapshot written back
 * to a regular file (maphex-document-snapshot.c) is replaced this way too.
 *
 * Must not edit the map's content; the document stays on its own file.
 */
#define _GNU_SOURCE /* SEEK_DATA, SEEK_HOLE, copy_file_range */
#include "maphex-document-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* ------------------------------------------------------------------ */
/* Save As                                                             */

static gboolean
is_all_zero (const guint8 *data,
             gint64        n)
{
  return n == 0 || (data[0] == 0 && memcmp (data, data + 1, n - 1) == 0);
}

/* Writes the pages of `data` (n bytes for offset `pos`) that are not all
 * zero, in runs: the zero pages of the map stay holes in the copy (the new
 * file is created empty, so a hole reads as zeros). */
static gboolean
write_nonzero_pages (int           fd,
                     const guint8 *data,
                     gint64        n,
                     gint64        pos,
                     GError      **error)
{
  gint64 page = mm_pagesize ();
  gint64 run = -1;

  for (gint64 at = 0; at < n; at += page)
    {
      gint64 len = MIN (page, n - at);

      if (!is_all_zero (data + at, len))
        {
          if (run < 0)
            run = at;
          continue;
        }
      if (run >= 0 && !_maphex_document_write_all (fd, data + run, at - run, pos + run, error))
        return FALSE;
      run = -1;
    }
  return run < 0 || _maphex_document_write_all (fd, data + run, n - run, pos + run, error);
}

/* Save As met a fault: another program shrank the document's file, and the
 * map's pages past its new end are gone, so the document cannot be written
 * whole. Says so in the user's terms and what does work: Reload (and, for
 * copy-on-write edits before the new end, Save). `dirty` is a snapshot of the
 * dirty ranges (this may run in a worker thread). */
static GError *
save_as_fault_error (MaphexDocument *self,
                     const GArray   *dirty)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *size_text = NULL;
  gint64 size = _maphex_document_shrunk_disk_size (self);

  if (size < 0)
    return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                        _("Part of “%s” could not be read: another program changed the file "
                          "on disk while it was open. Reload it to see the file as it is now."),
                        display);

  size_text = _maphex_document_format_byte_count (size);
  if (self->mode == MAPHEX_MODE_COPY_ON_WRITE && _maphex_document_ranges_intersect (dirty, 0, size))
    return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                        _("Another program shrank “%s” to %s on disk while it was open: the "
                          "document’s bytes past that point went with it, so it cannot be saved "
                          "whole. Save still writes your edits before that point into “%s”; "
                          "Reload shows the file as it is now."),
                        display, size_text, display);
  return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                      _("Another program shrank “%s” to %s on disk while it was open: the "
                        "document’s bytes past that point went with it, so it cannot be saved "
                        "whole. Reload it to see the file as it is now."),
                      display, size_text);
}

/* After a rename: the new name lives in the directory, and only an fsync of
 * the directory makes it survive a crash. The file is already in place, so a
 * failure says the save may not last rather than that nothing was written.
 * Some file systems cannot sync a directory at all (EINVAL): nothing more can
 * be done there, and that is not an error. Any thread. */
static gboolean
sync_directory (MaphexDocument *self,
                const char     *dir,
                const char     *dest_path,
                GError        **error)
{
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int errsv = 0;

  if (dfd < 0)
    errsv = errno;
  else
    {
      if (fsync (dfd) != 0)
        errsv = errno;
      if (close (dfd) != 0 && errsv == 0)
        errsv = errno;
    }

  if (errsv == EINVAL)
    return TRUE;
  if (errsv != 0)
    {
      g_autofree char *display = g_filename_display_name (dest_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Wrote “%s”, but the system could not make the new name durable "
                     "on disk (%s): it may be lost if the computer crashes. Try saving "
                     "again."), display, g_strerror (errsv));
      return FALSE;
    }
  g_atomic_int_inc (&self->n_dir_syncs);
  return TRUE;
}

/* Tests: pretend the file system reports no holes (SEEK_DATA unsupported),
 * so Save As takes the plain copy. */
static gboolean seek_data_disabled;

void
_maphex_document_set_seek_data_disabled (gboolean disabled)
{
  seek_data_disabled = disabled;
}

/* Tests: copy_file_range fails with this errno (0: it is called), and the
 * bytes it copied, over every Save As. */
static int copy_range_errno;
static gint64 copy_range_bytes;

void
_maphex_document_set_copy_range_errno (int errsv)
{
  copy_range_errno = errsv;
}

gint64
_maphex_document_get_copy_range_bytes (void)
{
  return (gint64) g_atomic_pointer_get (&copy_range_bytes);
}

/* The descriptor of the source file when it holds the content wherever
 * nothing was edited, or -1: a scratch buffer has no file; a file shorter
 * than the document (another program shrank it) must fault as the map
 * does; a write-through map is flushed first, so the file is the content. */
static int
source_fd (MaphexDocument *self,
           gint64          length)
{
  gboolean ok = TRUE;

  if (self->scratch || self->fd < 0 || _maphex_document_disk_size (self) < length)
    return -1;
  if (self->mode == MAPHEX_MODE_WRITE_THROUGH && length > 0)
    {
      MmError mm_error = { 0 };

      g_rec_mutex_lock (&self->map_lock);
      ok = mm_map_flush (self->map, 0, length, &mm_error) == MM_OK;
      g_rec_mutex_unlock (&self->map_lock);
    }
  return ok ? self->fd : -1;
}

/* The next range at or after `pos` that Save As must write, [start, *end):
 * data of the source file (SEEK_DATA .. SEEK_HOLE, cut where an edit
 * begins) or an edited (dirty) range, whichever begins first; the whole rest
 * where the file system reports no holes (or `fd` is -1). *from_file says
 * that the range is unedited data of the file (the file's bytes are the
 * content there). Returns `length` when nothing is left. The caller
 * continues from *end. */
static gint64
next_data_range (int           fd,
                 const GArray *dirty,
                 gint64        pos,
                 gint64        length,
                 gint64       *end,
                 gboolean     *from_file)
{
  gint64 start = length;
  gint64 stop = length;
  off_t data;

  *from_file = FALSE;
  if (fd < 0)
    {
      *end = length;
      return pos;
    }
  data = lseek (fd, pos, SEEK_DATA);
  if (data < 0 && errno != ENXIO)
    {
      *end = length;
      return pos;
    }
  if (data >= 0 && data < length)
    {
      off_t hole = lseek (fd, data, SEEK_HOLE);

      start = data;
      stop = hole < 0 ? length : MIN (hole, length);
      *from_file = TRUE;
    }
  /* The ranges are sorted and disjoint: only the first that ends past
   * `pos` can begin before `stop`. */
  for (guint i = 0; dirty != NULL && i < dirty->len; i++)
    {
      const MaphexRange *r = &g_array_index (dirty, MaphexRange, i);
      gint64 from = MAX (r->start, pos);

      if (r->end <= pos)
        continue;
      if (from <= start && from < length)
        {
          start = from;
          stop = MIN (r->end, length);
          *from_file = FALSE;
        }
      else if (from < stop)
        stop = from;
      break;
    }
  *end = stop;
  return start;
}

/* Copies [pos, pos + n) of the source file `in` into `out` at the same
 * offset, in the kernel (no copy through user space; a reflink where the
 * file system shares extents). FALSE with *error unset: copy_file_range
 * cannot copy between these files (another file system, a kernel without
 * it), so the caller copies through the map. `shrunk`: the source ended
 * early (another program cut it). */
static gboolean
copy_file_chunk (int       in,
                 int       out,
                 gint64    pos,
                 gint64    n,
                 gboolean *shrunk,
                 GError  **error)
{
  loff_t off_in = pos, off_out = pos;

  *shrunk = FALSE;
  while (n > 0)
    {
      ssize_t copied;
      int errsv;

      if (copy_range_errno != 0)
        copied = -1, errno = copy_range_errno;
      else
        copied = copy_file_range (in, &off_in, out, &off_out, (size_t) n, 0);
      if (copied > 0)
        {
          g_atomic_pointer_add (&copy_range_bytes, copied);
          n -= copied;
          continue;
        }
      if (copied == 0)
        {
          *shrunk = TRUE;
          return FALSE;
        }
      errsv = errno;
      if (errsv == EINTR)
        continue;
      if (errsv == EXDEV || errsv == ENOSYS || errsv == EOPNOTSUPP || errsv == EINVAL)
        return FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s", g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* Save As, in the runner (any thread): reads through the core in chunks
 * under the lock; the document is busy, so the length cannot change. Only
 * the source file's data ranges and the edited ranges are read (holes stay
 * holes, a 1 TiB sparse file saves as fast as its data), and zero chunks
 * among them become holes too. Unedited data ranges are copied file to file
 * by copy_file_range, chunk by chunk, while it works; else (and always for
 * edits) the bytes come through the map. A failure or a cancel removes the temporary file:
 * the destination is either the whole document or untouched. `dirty`: the
 * dirty ranges as the save began, for the message of a fault. */
gboolean
_maphex_document_save_as_work (MaphexDocument *self,
                               MaphexRun      *run,
                               const char     *dest_path,
                               const GArray   *dirty,
                               GError        **error)
{
  GCancellable *cancellable = _maphex_run_get_cancellable (run);
  gint64 chunk = _maphex_document_run_get_chunk_size ();
  g_autofree char *dir = g_path_get_dirname (dest_path);
  g_autofree char *base = g_path_get_basename (dest_path);
  g_autofree char *tmp_name = g_strdup_printf (".%s.maphex-XXXXXX", base);
  g_autofree char *tmp_path = g_build_filename (dir, tmp_name, NULL);
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat dest_st;
  gint64 length;
  int file_fd;
  int scan_fd;
  int copy_fd;
  int fd;

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                                    "%s", g_strerror (errsv));
      return _maphex_document_prefix_error (error, g_steal_pointer (&local_error), dest_path);
    }

  /* Replacing a file keeps its permissions, and its owner where we may
   * (root saving another user's file; else the copy stays ours). The owner
   * first: a change of owner clears the set-user-ID bit. */
  if (stat (dest_path, &dest_st) == 0 && S_ISREG (dest_st.st_mode))
    {
      if (fchown (fd, dest_st.st_uid, dest_st.st_gid) != 0)
        g_debug ("Cannot keep the owner of %s: %s", dest_path, g_strerror (errno));
      if (fchmod (fd, dest_st.st_mode & 07777) != 0)
        g_debug ("Cannot keep the permissions of %s: %s", dest_path, g_strerror (errno));
    }

  g_rec_mutex_lock (&self->map_lock);
  length = self->length;
  g_rec_mutex_unlock (&self->map_lock);

  _maphex_run_set_total (run, length);
  file_fd = source_fd (self, length);
  scan_fd = seek_data_disabled ? -1 : file_fd;
  /* Only where holes are known: a kernel copy of a whole file that reports
   * none would write its holes as zeros. */
  copy_fd = scan_fd;
  buffer = g_malloc (chunk);
  for (gint64 pos = 0; pos < length; )
    {
      gint64 end;
      gboolean from_file;
      gint64 start = next_data_range (scan_fd, dirty, pos, length, &end, &from_file);

      /* A hole of the source (and no edit in it) stays a hole. */
      if (start > pos)
        _maphex_run_add_done (run, start - pos);
      for (pos = start; pos < end; )
        {
          gint64 n = MIN (chunk, end - pos);
          gboolean ok;

          if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
            goto failed;

          if (from_file && copy_fd >= 0)
            {
              gboolean shrunk;

              if (copy_file_chunk (copy_fd, fd, pos, n, &shrunk, &local_error))
                {
                  pos += n;
                  _maphex_run_add_done (run, n);
                  continue;
                }
              if (shrunk)
                {
                  local_error = save_as_fault_error (self, dirty);
                  goto failed;
                }
              if (local_error != NULL)
                goto failed;
              /* Not between these files: through the map from here on. */
              copy_fd = -1;
            }

          g_rec_mutex_lock (&self->map_lock);
          ok = _maphex_document_read_locked (self, pos, buffer, n, &local_error);
          g_rec_mutex_unlock (&self->map_lock);
          if (!ok)
            {
              /* The core's "offset 4096 is past its end 100" says nothing a
               * user can act on. */
              if (!self->scratch &&
                  g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
                {
                  g_clear_error (&local_error);
                  local_error = save_as_fault_error (self, dirty);
                }
              goto failed;
            }
          if (!write_nonzero_pages (fd, buffer, n, pos, &local_error))
            goto failed;
          pos += n;
          _maphex_run_add_done (run, n);
        }
    }

  /* Past a cut, SEEK_DATA finds no data, which reads as a hole: a file
   * shrunk meanwhile must not save as zeros. */
  if (file_fd >= 0)
    {
      gint64 disk = _maphex_document_disk_size (self);

      if (disk >= 0 && disk < length)
        {
          local_error = save_as_fault_error (self, dirty);
          goto failed;
        }
    }

  /* A cancel that came while the last chunk was written still leaves the
   * destination as it was. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    goto failed;
  if (ftruncate (fd, length) != 0 || fsync (fd) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }
  if (close (fd) != 0)
    {
      int errsv = errno;
      fd = -1;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }
  fd = -1;
  if (rename (tmp_path, dest_path) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                                    "%s", g_strerror (errsv));
      goto failed;
    }
  return sync_directory (self, dir, dest_path, error);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return _maphex_document_prefix_error (error, g_steal_pointer (&local_error), dest_path);
}

char *
_maphex_document_dup_local_path (GFile   *file,
                GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot save “%s”: only local files are supported"), uri);
    }
  return path;
}

/* Replacing the open file by rename would leave the map on the old, unlinked
 * file (and write-through edits with it): Save As onto the open file saves. */
gboolean
_maphex_document_is_own_file (MaphexDocument *self,
             const char     *dest_path)
{
  struct stat st;

  return !self->scratch && stat (dest_path, &st) == 0 && _maphex_document_same_inode_as_document (self, &st);
}

gboolean
_maphex_document_save_onto_own_file (MaphexDocument *self,
                    GCancellable   *cancellable,
                    GError        **error)
{
  /* A read-only map shows the file as it is: nothing to write. */
  if (self->mode == MAPHEX_MODE_READ_ONLY)
    return TRUE;
  return maphex_document_save (self, cancellable, error);
}

