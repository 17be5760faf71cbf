/* maphex-document-shift.c: edits that change the length (resize, insert,
 * delete), the export checks that refuse them while other views hold the
 * map, and their rollback when a step fails.
 *
 * Must not write bytes in place other than to shift them (edit.c does).
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
/* Raw length changes (lock held, no signals)                          */

/* Changes the length; every export must have been released. Nothing changes
 * when it fails. */
static gboolean
resize_locked (MaphexDocument *self,
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

static gboolean
insert_locked (MaphexDocument *self,
               gint64          offset,
               const guint8   *data,
               gint64          len,
               GError        **error)
{
  static const guint8 zero = 0;
  gint64 old_length = self->length;

  if (len == 0)
    return TRUE;
  if (!resize_locked (self, old_length + len, error))
    return FALSE;
  /* Past the resize only a fault fails: the file shrank under the map. */
  if (!_maphex_document_move_locked (self, offset + len, offset, old_length - offset, error))
    {
      /* The move runs down from the end, the part the file loses first, and
       * stops at the first lost page: nothing below the file's new end was
       * moved, so moving back would only shift bytes that never moved. */
      resize_locked (self, old_length, NULL);
      return FALSE;
    }
  if (!_maphex_document_write_locked (self, offset, len, data ? data : &zero, data ? len : 1, error))
    {
      /* Moving back runs up from `offset` and stops at the first lost page. */
      _maphex_document_move_locked (self, offset, offset + len, old_length - offset, NULL);
      resize_locked (self, old_length, NULL);
      return FALSE;
    }
  return TRUE;
}

/* After a fault: how far the file still backs the map, its size rounded up
 * to a page (the page that holds its end is still there), at most the
 * length. Lock held. */
static gint64
backed_length_locked (MaphexDocument *self)
{
  gint64 page = mm_pagesize ();
  struct stat st;

  if (self->fd < 0 || fstat (self->fd, &st) != 0)
    return self->length;
  return MIN (self->length, (st.st_size + page - 1) / page * page);
}

/* `deleted` holds the bytes at [offset, offset + len) (NULL: zeros), to put
 * back if the resize fails after the move. */
static gboolean
delete_locked (MaphexDocument *self,
               gint64          offset,
               gint64          len,
               const guint8   *deleted,
               GError        **error)
{
  static const guint8 zero = 0;
  gint64 old_length = self->length;
  gint64 tail = old_length - offset - len;

  if (len == 0)
    return TRUE;
  if (!_maphex_document_move_locked (self, offset, offset + len, tail, error))
    {
      /* Only a fault stops the move: the file shrank under the map. The move
       * runs up and stops where its source reaches the first lost page (its
       * pieces never cross a page): put back what it moved and the deleted
       * bytes, as far as the file still reaches. */
      gint64 backed = backed_length_locked (self);

      _maphex_document_move_locked (self, offset + len, offset, CLAMP (backed - offset - len, 0, tail), NULL);
      _maphex_document_write_locked (self, offset, CLAMP (backed - offset, 0, len),
                                     deleted ? deleted : &zero, deleted ? len : 1, NULL);
      return FALSE;
    }
  if (!resize_locked (self, old_length - len, error))
    {
      _maphex_document_move_locked (self, offset + len, offset, tail, NULL);
      _maphex_document_write_locked (self, offset, len, deleted ? deleted : &zero, deleted ? len : 1, NULL);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Length-changing edits                                               */

static gboolean
refuse_length_change (MaphexDocument *self,
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

/* Takes the lock and releases own's view, or fails with the lock released. */
static gboolean
begin_length_change (MaphexDocument *self,
                     MaphexExport   *own,
                     GError        **error)
{
  g_rec_mutex_lock (&self->map_lock);
  if (!_maphex_document_check_other_exports_locked (self, own, error))
    {
      g_rec_mutex_unlock (&self->map_lock);
      return FALSE;
    }
  if (own != NULL)
    g_clear_pointer (&own->view, mm_view_release);
  return TRUE;
}

static void
end_length_change (MaphexDocument *self,
                   MaphexExport   *own,
                   gint64          old_length)
{
  _maphex_document_reexport_locked (self, own);
  g_rec_mutex_unlock (&self->map_lock);

  _maphex_document_notify_length_if_changed (self, old_length);
}

gboolean
_maphex_document_apply_resize (MaphexDocument *self,
                               MaphexExport   *own,
                               gint64          new_length,
                               const guint8   *tail,
                               GError        **error)
{
  gint64 old_length = self->length;
  gboolean ok;

  if (!begin_length_change (self, own, error))
    return FALSE;
  ok = resize_locked (self, new_length, error);
  /* Undoing a shrink: the cut tail comes back, or (a fault: the file shrank
   * again as it grew) the undo fails whole and the length stays. */
  if (ok && tail != NULL && new_length > old_length &&
      !_maphex_document_write_locked (self, old_length, new_length - old_length, tail, new_length - old_length, error))
    {
      resize_locked (self, old_length, NULL);
      ok = FALSE;
    }
  end_length_change (self, own, old_length);

  if (ok && tail != NULL && new_length > old_length)
    _maphex_document_emit_bytes_changed (self, old_length, new_length - old_length);
  return ok;
}

/* Inserts `len` bytes at `offset` (`bytes`, or zeros when NULL), or deletes
 * the `len` bytes there (`bytes` holds them, to put back if the delete
 * fails), with own's view released meanwhile. */
gboolean
_maphex_document_apply_shift (MaphexDocument *self,
                              MaphexExport   *own,
                              gboolean        insert,
                              gint64          offset,
                              gint64          len,
                              const guint8   *bytes,
                              GError        **error)
{
  gint64 old_length = self->length;
  gboolean ok;

  if (!begin_length_change (self, own, error))
    return FALSE;
  ok = insert ? insert_locked (self, offset, bytes, len, error)
              : delete_locked (self, offset, len, bytes, error);
  end_length_change (self, own, old_length);

  if (ok)
    _maphex_document_emit_bytes_changed (self, offset, self->length - offset);
  return ok;
}

gboolean
maphex_document_resize (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           new_length,
                        GError         **error)
{
  g_autoptr(GByteArray) tail = NULL;
  MaphexStep *step;
  gint64 old_length;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (refuse_length_change (self, error))
    return FALSE;
  if (new_length < 0)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("The new length %lld is negative"), (long long) new_length);
      return FALSE;
    }

  old_length = self->length;
  if (new_length == old_length)
    {
      gboolean ok;

      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_check_other_exports_locked (self, own, error);
      g_rec_mutex_unlock (&self->map_lock);
      return ok;
    }

  if (new_length < old_length)
    {
      gboolean ok;

      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_check_other_exports_locked (self, own, error) &&
           (tail = _maphex_document_save_bytes_locked (self, new_length, old_length - new_length, error)) != NULL;
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        return FALSE;
    }

  if (!_maphex_document_apply_resize (self, own, new_length, NULL, error))
    return FALSE;

  step = _maphex_document_step_new (MAPHEX_STEP_RESIZE, 0, 0);
  step->old_length = old_length;
  step->new_length = new_length;
  step->old = g_steal_pointer (&tail);
  _maphex_document_push_step (self, step);
  return TRUE;
}

gboolean
maphex_document_insert (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           offset,
                        const guint8    *data,
                        gsize            len,
                        GError         **error)
{
  MaphexStep *step;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (refuse_length_change (self, error))
    return FALSE;
  if (offset < 0 || offset > self->length)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Cannot insert at offset %lld: it is outside the file (length %lld)"),
                   (long long) offset, (long long) self->length);
      return FALSE;
    }
  if (len > (guint64) (G_MAXINT64 - self->length) || (data != NULL && len > G_MAXUINT))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Cannot insert %zu bytes: the file would be too large"), len);
      return FALSE;
    }
  if (len == 0)
    {
      gboolean ok;

      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_check_other_exports_locked (self, own, error);
      g_rec_mutex_unlock (&self->map_lock);
      return ok;
    }

  if (!_maphex_document_apply_shift (self, own, TRUE, offset, (gint64) len, data, error))
    return FALSE;

  step = _maphex_document_step_new (MAPHEX_STEP_INSERT, offset, (gint64) len);
  if (data != NULL)
    step->pattern = _maphex_document_byte_array_new_copy (data, len);
  _maphex_document_push_step (self, step);
  return TRUE;
}

gboolean
maphex_document_delete (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           offset,
                        gint64           len,
                        GError         **error)
{
  g_autoptr(GByteArray) deleted = NULL;
  MaphexStep *step;
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (refuse_length_change (self, error))
    return FALSE;

  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_check_range (self, offset, len, error) &&
       _maphex_document_check_other_exports_locked (self, own, error);
  if (ok && len > 0)
    ok = (deleted = _maphex_document_save_bytes_locked (self, offset, len, error)) != NULL;
  g_rec_mutex_unlock (&self->map_lock);
  if (!ok || len == 0)
    return ok;

  if (!_maphex_document_apply_shift (self, own, FALSE, offset, len, deleted->data, error))
    return FALSE;

  step = _maphex_document_step_new (MAPHEX_STEP_DELETE, offset, len);
  step->old = g_steal_pointer (&deleted);
  _maphex_document_push_step (self, step);
  return TRUE;
}
