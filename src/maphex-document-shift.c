/* maphex-document-shift.c: the raw length change under the lock, and the
 * checks that refuse length changes (a mode that cannot resize, other views
 * holding the map). Resize, insert and delete themselves, chunked and
 * cancellable, are the runner's (maphex-document-run.c).
 *
 * Must not write bytes in place other than to shift them (edit.c does).
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* ------------------------------------------------------------------ */
/* Raw length changes (lock held, no signals)                          */

/* Changes the length; every export must have been released. Nothing changes
 * when it fails. */
gboolean
_maphex_document_resize_locked (MaphexDocument *self,
                                gint64          new_length,
                                GError        **error)
{
  MmError mm_error;

  g_assert (new_length >= 0);

  if (new_length == self->length)
    return TRUE;

  if (new_length == 0)
    {
      /* The core cannot map (or resize to) zero bytes: drop the map. */
      if (self->fd >= 0 && ftruncate (self->fd, 0) != 0)
        {
          int errsv = errno;
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                       _("Cannot truncate the file: %s"), g_strerror (errsv));
          return FALSE;
        }
      g_clear_pointer (&self->map, mm_map_free);
    }
  else if (self->map == NULL)
    {
      MmStatus status;

      if (self->fd >= 0)
        {
          int res = posix_fallocate (self->fd, 0, new_length);

          if (res != 0)
            {
              g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                           _("Cannot grow the file to %lld bytes: %s"),
                           (long long) new_length, g_strerror (res));
              if (ftruncate (self->fd, 0) != 0)
                g_warning ("Cannot restore an empty file: %s", g_strerror (errno));
              return FALSE;
            }
          status = mm_map_new (self->fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE,
                               MM_ACCESS_WRITE, 0, true, &self->map, &mm_error);
        }
      else
        {
          status = mm_map_new (-1, new_length, MAP_PRIVATE, PROT_READ | PROT_WRITE,
                               MM_ACCESS_DEFAULT, 0, true, &self->map, &mm_error);
        }

      if (status != MM_OK)
        {
          self->map = NULL;
          if (self->fd >= 0 && ftruncate (self->fd, 0) != 0)
            g_warning ("Cannot restore an empty file: %s", g_strerror (errno));
          _maphex_document_propagate_mm_error (self, error, &mm_error);
          return FALSE;
        }
    }
  else if (mm_map_resize (self->map, new_length, &mm_error) != MM_OK)
    {
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      return FALSE;
    }

  self->length = new_length;
  if (self->fd >= 0)
    {
      _maphex_document_note_own_write (self, self->fd);
      self->size_unsynced = TRUE;
    }
  return TRUE;
}

/* After a fault: how far the file still backs the map, its size rounded up
 * to a page (the page that holds its end is still there), at most the
 * length. Lock held. */
gint64
_maphex_document_backed_length_locked (MaphexDocument *self)
{
  gint64 page = mm_pagesize ();
  gint64 disk = _maphex_document_disk_size (self);

  if (disk < 0)
    return self->length;
  return MIN (self->length, (disk + page - 1) / page * page);
}

/* ------------------------------------------------------------------ */
/* Length-changing edits                                               */

gboolean
_maphex_document_refuse_length_change (MaphexDocument *self,
                      GError        **error)
{
  const char *refusal = maphex_document_get_resize_refusal (self);

  if (refusal == NULL)
    return FALSE;
  g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED, refusal);
  return TRUE;
}

/* Lock held. Refuses while exports other than `own` are outstanding. */
gboolean
_maphex_document_check_other_exports_locked (MaphexDocument *self,
                                             MaphexExport   *own,
                                             GError        **error)
{
  guint others = self->exports->len;

  if (own != NULL && g_ptr_array_find (self->exports, own, NULL))
    others--;
  if (others == 0)
    return TRUE;

  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED,
               g_dngettext (GETTEXT_PACKAGE, "%u other view holds the file",
                            "%u other views hold the file", others),
               others);
  return FALSE;
}


