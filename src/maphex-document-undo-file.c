/* maphex-document-undo-file.c: undo's temporary files. The bytes a big
 * delete or shrink removes (at least the threshold, 1 MiB by default) are
 * kept for undo in an unlinked temporary file instead of the heap, so that
 * deleting 4 GiB costs 4 GiB of disk, not of memory, and stays undoable.
 *
 * Owns creating such a file, filling it from the document in the runner's
 * chunks (worker side), reading it back, and closing it when its last
 * reference goes (the step is dropped, or the document closed). Must not
 * touch the history, the runner's state or the map's content.
 *
 * Where the file lives: first in the directory of the document's file, made
 * with O_TMPFILE (no name ever appears, nothing to clean up after a crash).
 * That is the file system the removed bytes came from: once the delete has
 * shrunk the file, the disk holds no more than before, and it is never a
 * tmpfs that would cost RAM unless the file itself is on one. Where that
 * directory refuses (not writable, no O_TMPFILE support) or the document has
 * no file (a scratch buffer), it is g_get_tmp_dir(), with O_TMPFILE or
 * else a named file unlinked at once.
 *
 * A failure to write it (a full disk) fails the delete before any byte of
 * the document moved, with a message naming the directory and the reason.
 */
#define _GNU_SOURCE /* O_TMPFILE, copy_file_range */
#include "maphex-document-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define DEFAULT_THRESHOLD ((gint64) 1 << 20)

struct _MaphexUndoFile {
  int     fd;
  gint64  length;   /* bytes written so far */
  char   *dir;      /* where it lives, for messages */
};

static gint64 threshold = DEFAULT_THRESHOLD;
static gboolean copy_range_disabled;

void
_maphex_document_set_undo_copy_range_disabled (gboolean disabled)
{
  copy_range_disabled = disabled;
}

void
_maphex_document_set_undo_file_threshold (gint64 bytes)
{
  threshold = bytes >= 0 ? bytes : DEFAULT_THRESHOLD;
}

gboolean
_maphex_document_wants_undo_file (gint64 len)
{
  return len > 0 && len >= threshold;
}

/* ------------------------------------------------------------------ */
/* Lifetime                                                            */

static void
undo_file_clear (gpointer data)
{
  MaphexUndoFile *file = data;

  if (file->fd >= 0)
    close (file->fd);
  g_free (file->dir);
}

MaphexUndoFile *
_maphex_undo_file_ref (MaphexUndoFile *file)
{
  return g_atomic_rc_box_acquire (file);
}

void
_maphex_undo_file_unref (MaphexUndoFile *file)
{
  g_atomic_rc_box_release_full (file, undo_file_clear);
}

gint64
_maphex_undo_file_get_length (MaphexUndoFile *file)
{
  return file->length;
}

static int
open_tmpfile_in (const char *dir)
{
  int fd;

  do
    fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  while (fd < 0 && errno == EINTR);
  return fd;
}

/* A named file in the temp dir, unlinked at once (no O_TMPFILE there). */
static int
open_unlinked_in_tmp_dir (GError **error)
{
  g_autofree char *name = NULL;
  GError *local_error = NULL;
  int fd = g_file_open_tmp ("maphex-undo-XXXXXX", &name, &local_error);

  if (fd < 0)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  g_unlink (name);
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

static MaphexUndoFile *
undo_file_new (MaphexDocument *self,
               GError        **error)
{
  g_autofree char *doc_dir = self->path != NULL ? g_path_get_dirname (self->path) : NULL;
  const char *dir = doc_dir;
  MaphexUndoFile *file;
  int fd = doc_dir != NULL ? open_tmpfile_in (doc_dir) : -1;

  if (fd < 0)
    {
      GError *local_error = NULL;

      dir = g_get_tmp_dir ();
      fd = open_tmpfile_in (dir);
      if (fd < 0 && (fd = open_unlinked_in_tmp_dir (&local_error)) < 0)
        {
          g_autofree char *display = g_filename_display_name (dir);

          g_set_error (error, G_IO_ERROR, local_error->code,
                       _("Cannot make a temporary file in “%s” to keep the removed bytes for undo: %s"),
                       display, local_error->message);
          g_error_free (local_error);
          return NULL;
        }
    }
  file = g_atomic_rc_box_new0 (MaphexUndoFile);
  file->fd = fd;
  file->dir = g_strdup (dir);
  return file;
}

/* ------------------------------------------------------------------ */
/* Filling and reading (any thread)                                    */

static void
set_write_error (MaphexUndoFile *file,
                 int             errsv,
                 GError        **error)
{
  g_autofree char *display = g_filename_display_name (file->dir);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _("Cannot keep the removed bytes for undo in a temporary file in “%s”: %s"),
               display, g_strerror (errsv));
}

/* In the kernel, without a buffer, where both files allow it; -1 with errno
 * set (ENOSYS, EXDEV, EINVAL...: use read and write) or the bytes copied,
 * 0 at the end of the source. */
static ssize_t
copy_range (int     from,
            gint64  from_offset,
            int     to,
            gint64  to_offset,
            gint64  n)
{
  loff_t in = from_offset, out = to_offset;
  ssize_t done;

  do
    done = copy_file_range (from, &in, to, &out, (size_t) n, 0);
  while (done < 0 && errno == EINTR);
  return done;
}

/* Reads one chunk of the document into `buffer`: through the descriptor for
 * a file (the write-through map shares its page cache, and reading it so
 * does not make the mapped pages resident), else from the map. */
static gboolean
read_document_chunk (MaphexDocument *self,
                     guint8         *buffer,
                     gint64          offset,
                     gint64          n,
                     GError        **error)
{
  gboolean ok;

  if (self->fd < 0)
    {
      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_read_locked (self, offset, buffer, n, error);
      g_rec_mutex_unlock (&self->map_lock);
      g_thread_yield ();
      return ok;
    }
  return _maphex_run_pread_all (self, buffer, offset, n, error);
}

/* Appends [offset, offset + n) of the document to the file. */
static gboolean
append_chunk (MaphexDocument  *self,
              MaphexUndoFile  *file,
              guint8         **buffer,
              gboolean        *no_copy_range,
              gint64           offset,
              gint64           n,
              GError         **error)
{
  while (self->fd >= 0 && !*no_copy_range && n > 0)
    {
      ssize_t done = copy_range (self->fd, offset, file->fd, file->length, n);

      if (done == 0)
        {
          g_propagate_error (error, _maphex_run_shrank_error ());
          return FALSE;
        }
      if (done < 0 && (errno == ENOSPC || errno == EDQUOT || errno == EIO || errno == EFBIG))
        {
          set_write_error (file, errno, error);
          return FALSE;
        }
      if (done < 0)
        {
          *no_copy_range = TRUE;
          break;
        }
      offset += done;
      n -= done;
      file->length += done;
    }
  if (n == 0)
    return TRUE;

  if (*buffer == NULL)
    *buffer = g_malloc (MIN (_maphex_document_run_get_chunk_size (), n));
  if (!read_document_chunk (self, *buffer, offset, n, error))
    return FALSE;
  for (gint64 put = 0; put < n; )
    {
      ssize_t w = pwrite (file->fd, *buffer + put, (size_t) (n - put), file->length + put);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          set_write_error (file, w < 0 ? errno : EIO, error);
          return FALSE;
        }
      put += w;
    }
  file->length += n;
  return TRUE;
}

MaphexUndoFile *
_maphex_document_save_bytes_to_file (MaphexDocument *self,
                                     MaphexRun      *run,
                                     gint64          offset,
                                     gint64          len,
                                     GError        **error)
{
  MaphexUndoFile *file = undo_file_new (self, error);
  g_autofree guint8 *buffer = NULL;
  gboolean no_copy_range = copy_range_disabled;

  if (file == NULL)
    return NULL;
  for (gint64 done = 0; done < len; )
    {
      gint64 n = MIN (_maphex_document_run_get_chunk_size (), len - done);

      if (_maphex_run_cancelled (run, error) ||
          !append_chunk (self, file, &buffer, &no_copy_range, offset + done, n, error))
        {
          if (error != NULL && g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
            _maphex_document_report_fault (self);
          _maphex_undo_file_unref (file);
          return NULL;
        }
      done += n;
      _maphex_run_add_done (run, n);
    }
  return file;
}

gboolean
_maphex_undo_file_read (MaphexUndoFile *file,
                        gint64          at,
                        guint8         *buffer,
                        gint64          n,
                        GError        **error)
{
  for (gint64 got = 0; got < n; )
    {
      ssize_t r = pread (file->fd, buffer + got, (size_t) (n - got), at + got);
      int errsv = r < 0 ? errno : EIO;

      if (r < 0 && errsv == EINTR)
        continue;
      if (r <= 0)
        {
          g_autofree char *display = g_filename_display_name (file->dir);

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Cannot read the removed bytes back from the temporary file in “%s”: %s"),
                       display, g_strerror (errsv));
          return FALSE;
        }
      got += r;
    }
  return TRUE;
}
