/* maphex-document-save-as.c: Save As: the whole content written to a new
 * file, replaced atomically and made durable, synchronously or in a GTask.
 *
 * Must not edit the map's content; the document stays on its own file.
 */
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

/* Save As, in the runner (any thread): reads through the core in chunks
 * under the lock; the document is busy, so the length cannot change. Zero
 * chunks become holes. A failure or a cancel removes the temporary file:
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
  int fd;

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
                                    "%s", g_strerror (errsv));
      return _maphex_document_prefix_error (error, g_steal_pointer (&local_error), dest_path);
    }

  /* Replacing a file keeps its permissions. */
  if (stat (dest_path, &dest_st) == 0 && S_ISREG (dest_st.st_mode))
    {
      if (fchmod (fd, dest_st.st_mode & 07777) != 0)
        g_debug ("Cannot keep the permissions of %s: %s", dest_path, g_strerror (errno));
    }

  g_rec_mutex_lock (&self->map_lock);
  length = self->length;
  g_rec_mutex_unlock (&self->map_lock);

  _maphex_run_set_total (run, length);
  buffer = g_malloc (chunk);
  for (gint64 pos = 0; pos < length; )
    {
      gint64 n = MIN (chunk, length - pos);
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto failed;

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
      if (!is_all_zero (buffer, n) && !_maphex_document_write_all (fd, buffer, n, pos, &local_error))
        goto failed;
      pos += n;
      _maphex_run_add_done (run, n);
    }

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

