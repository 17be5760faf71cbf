/* maphex-document-run-shift.c: the work of the runner's length changes:
 * insert, delete and resize in chunks (worker or caller's thread), with the
 * exports released around the one length change, and their rollback when
 * cancelled or failed (see maphex-document-run.c for the promise).
 *
 * Must not touch the busy state, the history or the GTask: the runner
 * (maphex-document-run.c) and its completion do.
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

/* ------------------------------------------------------------------ */
/* Length changes with the exports released                            */

/* Changes the length with every export's MmView released, and takes each
 * again after (the same MaphexExport structs: views keep them). Lock held. */
static gboolean
resize_with_exports_locked (MaphexDocument *self,
                            gint64          new_length,
                            GError        **error)
{
  gboolean ok;

  for (guint i = 0; i < self->exports->len; i++)
    {
      MaphexExport *export_ = g_ptr_array_index (self->exports, i);
      g_clear_pointer (&export_->view, mm_view_release);
    }
  ok = _maphex_document_resize_locked (self, new_length, error);
  for (guint i = 0; i < self->exports->len && self->map != NULL; i++)
    {
      MaphexExport *export_ = g_ptr_array_index (self->exports, i);
      MmError mm_error;

      if (mm_map_export (self->map, &export_->view, &mm_error) != MM_OK)
        {
          export_->view = NULL;
          g_warning ("Cannot export the map again: %s", mm_error.message);
        }
    }
  return ok;
}

static gboolean
resize_with_exports (MaphexDocument *self,
                     gint64          new_length,
                     GError        **error)
{
  gboolean ok;

  g_rec_mutex_lock (&self->map_lock);
  ok = resize_with_exports_locked (self, new_length, error);
  g_rec_mutex_unlock (&self->map_lock);
  return ok;
}

static GError *
shrank_error (void)
{
  return g_error_new_literal (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                              _("Another program shrank the file during the operation"));
}

/* Reads up to n bytes at src through the descriptor, fewer where the file
 * ends: how many, or -1 with *error. */
static gint64
pread_upto (MaphexDocument *self,
            guint8         *buffer,
            gint64          src,
            gint64          n,
            GError        **error)
{
  gint64 got = 0;

  while (got < n)
    {
      ssize_t r = pread (self->fd, buffer + got, (size_t) (n - got), src + got);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int errsv = errno;
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                       _("Cannot read the file: %s"), g_strerror (errsv));
          return -1;
        }
      if (r == 0)
        break;
      got += r;
    }
  return got;
}

static gboolean
pwrite_all (MaphexDocument *self,
            const guint8   *buffer,
            gint64          dest,
            gint64          n,
            GError        **error)
{
  for (gint64 done = 0; done < n; )
    {
      ssize_t w = pwrite (self->fd, buffer + done, (size_t) (n - done), dest + done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          int errsv = w < 0 ? errno : EIO;
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                       _("Cannot write the file: %s"), g_strerror (errsv));
          return FALSE;
        }
      done += w;
    }
  return TRUE;
}

/* A write-through file: moves one chunk through the file descriptor, as dd
 * copies (the map shares the page cache, so views see the bytes at once),
 * without the map lock: the length cannot change while the document is
 * busy, and a view's fault-safe copy reads the old or the new bytes. Where
 * the file no longer reaches, it fails with FAULT as the core's move does:
 * an ascending move (dest < src) moves what it could read, a descending one
 * nothing. */
static gboolean
move_chunk_fd (MaphexDocument *self,
               guint8         *buffer,
               gint64          dest,
               gint64          src,
               gint64          count,
               GError        **error)
{
  gint64 got = pread_upto (self, buffer, src, count, error);
  gint64 disk;

  if (got < 0)
    return FALSE;
  if (got < count && dest > src)
    got = 0;
  /* Never write past the file's end: that would grow back a file that
   * another program cut. */
  disk = _maphex_document_disk_size (self);
  if (disk < 0 || dest + got > disk)
    got = 0;
  if (!pwrite_all (self, buffer, dest, got, error))
    return FALSE;
  if (got < count)
    {
      g_propagate_error (error, shrank_error ());
      return FALSE;
    }
  return TRUE;
}

/* One chunk: through the descriptor for a file, else (a scratch buffer, in
 * memory) the core's move under the lock. */
static gboolean
move_chunk (MaphexDocument *self,
            guint8         *buffer,
            gint64          dest,
            gint64          src,
            gint64          count,
            GError        **error)
{
  gboolean ok;

  if (self->fd >= 0)
    return move_chunk_fd (self, buffer, dest, src, count, error);
  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_move_locked (self, dest, src, count, error);
  g_rec_mutex_unlock (&self->map_lock);
  /* A mutex is not fair: let a view waiting for it in. */
  g_thread_yield ();
  return ok;
}

static gboolean
write_chunk (MaphexDocument *self,
             gint64          offset,
             gint64          len,
             const guint8   *pattern,
             gint64          pattern_len,
             GError        **error)
{
  gboolean ok;

  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_write_locked (self, offset, len, pattern, pattern_len, error);
  g_rec_mutex_unlock (&self->map_lock);
  g_thread_yield ();
  return ok;
}

/* Bytes read back from an undo file: through the descriptor for a file, as
 * the moves go (a write through the map would make every page of a 4 GiB
 * undo resident in this process), never past the file's end. */
static gboolean
write_chunk_fd (MaphexDocument *self,
                gint64          offset,
                gint64          len,
                const guint8   *bytes,
                GError        **error)
{
  gint64 disk = _maphex_document_disk_size (self);

  if (disk < 0 || offset + len > disk)
    {
      g_propagate_error (error, shrank_error ());
      return FALSE;
    }
  return pwrite_all (self, bytes, offset, len, error);
}

static gint64
backed_length (MaphexDocument *self)
{
  gint64 backed;

  g_rec_mutex_lock (&self->map_lock);
  backed = _maphex_document_backed_length_locked (self);
  g_rec_mutex_unlock (&self->map_lock);
  return backed;
}

/* Moves [src, src + count) to dest in chunks, ascending (dest < src) or
 * descending (dest > src) so that no chunk overwrites source bytes not yet
 * moved. `run` non-NULL: counts progress and stops when cancelled; *moved
 * receives how many bytes were moved by whole chunks (from the start for an
 * ascending move, from the end for a descending one). */
static gboolean
move_in_chunks (MaphexDocument *self,
                MaphexRun      *run,
                gint64          dest,
                gint64          src,
                gint64          count,
                gint64         *moved,
                GError        **error)
{
  gboolean down = dest > src;
  g_autofree guint8 *buffer = self->fd >= 0 && count > 0 ? g_malloc (MIN (_maphex_document_run_get_chunk_size (), count)) : NULL;

  *moved = 0;
  while (*moved < count)
    {
      gint64 n = MIN (_maphex_document_run_get_chunk_size (), count - *moved);
      gint64 at = down ? count - *moved - n : *moved;

      if (run != NULL && _maphex_run_cancelled (run, error))
        return FALSE;
      if (!move_chunk (self, buffer, dest + at, src + at, n, error))
        return FALSE;
      *moved += n;
      _maphex_run_add_done (run, n);
    }
  return TRUE;
}

/* Writes `bytes`, or the first len bytes of `file`, or else zeros, over
 * [offset, offset + len) in chunks. */
static gboolean
write_in_chunks (MaphexDocument *self,
                 MaphexRun      *run,
                 gint64          offset,
                 gint64          len,
                 const guint8   *bytes,
                 MaphexUndoFile *file,
                 GError        **error)
{
  static const guint8 zero = 0;
  g_autofree guint8 *buffer = file != NULL && len > 0 ? g_malloc (MIN (_maphex_document_run_get_chunk_size (), len)) : NULL;

  for (gint64 done = 0; done < len; )
    {
      gint64 n = MIN (_maphex_document_run_get_chunk_size (), len - done);
      gboolean ok;

      if (run != NULL && _maphex_run_cancelled (run, error))
        return FALSE;
      if (file != NULL && !_maphex_undo_file_read (file, done, buffer, n, error))
        return FALSE;
      if (file != NULL && self->fd >= 0)
        ok = write_chunk_fd (self, offset + done, n, buffer, error);
      else if (file != NULL)
        ok = write_chunk (self, offset + done, n, buffer, n, error);
      else
        ok = write_chunk (self, offset + done, n, bytes ? bytes + done : &zero, bytes ? n : 1, error);
      if (!ok)
        return FALSE;
      done += n;
      _maphex_run_add_done (run, n);
    }
  return TRUE;
}

/* Reads [offset, offset + len) into a new buffer in chunks. */
static GByteArray *
read_in_chunks (MaphexDocument *self,
                MaphexRun      *run,
                gint64          offset,
                gint64          len,
                GError        **error)
{
  g_autoptr(GByteArray) array = _maphex_document_byte_array_try_new (len, error);

  if (array == NULL)
    return NULL;
  for (gint64 done = 0; done < len; )
    {
      gint64 n = MIN (_maphex_document_run_get_chunk_size (), len - done);
      gboolean ok;

      if (_maphex_run_cancelled (run, error))
        return NULL;
      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_read_locked (self, offset + done, array->data + done, n, error);
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        return NULL;
      done += n;
      _maphex_run_add_done (run, n);
    }
  return g_steal_pointer (&array);
}

/* Keeps [offset, offset + len) for undo before it goes: in run->data, or
 * from the threshold on in an unlinked temporary file (run->data_file). */
static gboolean
save_removed (MaphexDocument *self,
              MaphexRun      *run,
              gint64          offset,
              gint64          len,
              GError        **error)
{
  if (_maphex_document_wants_undo_file (len))
    run->data_file = _maphex_document_save_bytes_to_file (self, run, offset, len, error);
  else
    run->data = read_in_chunks (self, run, offset, len, error);
  return run->data != NULL || run->data_file != NULL;
}

/* After a failure or a cancel: the fault that stopped it, if the file no
 * longer backs the map, else the error as it is. */
static void
note_shrink (MaphexDocument *self,
             GError        **error)
{
  if (backed_length (self) < self->length && error != NULL && *error != NULL &&
      !g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
    {
      g_clear_error (error);
      g_propagate_error (error, shrank_error ());
    }
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
    _maphex_document_report_fault (self);
}

/* ------------------------------------------------------------------ */
/* Insert, delete, resize (worker or caller's thread)                   */

/* Grows by len, moves [offset, old_length) up by len from the end down, one
 * chunk at a time, then writes the new bytes. On cancel or failure, moves
 * back what it moved and shrinks to the old length. */
gboolean
_maphex_run_work_insert (MaphexRun *run,
                         GError   **error)
{
  MaphexDocument *self = run->doc;
  gint64 offset = run->offset, len = run->len, old = run->old_length;
  gint64 tail = old - offset;
  gint64 moved = 0;
  gboolean filled = FALSE;

  _maphex_run_set_total (run, tail + len);
  if (!resize_with_exports (self, old + len, error))
    return FALSE;

  if (!move_in_chunks (self, run, offset + len, offset, tail, &moved, error))
    goto rollback;
  filled = TRUE;
  if (!write_in_chunks (self, run, offset, len, run->data ? run->data->data : NULL,
                        run->data_file, error))
    goto rollback;
  /* Another program may have cut the file where no chunk was left to fault. */
  if (backed_length (self) < old + len)
    {
      g_propagate_error (error, shrank_error ());
      goto rollback;
    }
  return TRUE;

rollback:
  note_shrink (self, error);
  {
    /* The moved part: [old - moved, old) now lies `len` higher (all of the
     * tail once the gap is being filled). A fault in a descending chunk
     * stops at its first (highest) piece: nothing of it moved. Only what
     * the file still backs can move back. */
    gint64 from = filled ? offset : old - moved;
    gint64 count = CLAMP (backed_length (self) - from - len, 0, old - from);
    gint64 back = 0;

    move_in_chunks (self, NULL, from, from + len, count, &back, NULL);
  }
  resize_with_exports (self, old, NULL);
  return FALSE;
}

/* Moves [offset + len, old_length) down by len from the start up, then
 * shrinks. On cancel or failure, moves back and writes the removed bytes
 * again. The removed bytes are read first (they are kept for undo too: big
 * ones in a temporary file, so a full disk fails it before anything moved). */
gboolean
_maphex_run_work_delete (MaphexRun *run,
                         GError   **error)
{
  MaphexDocument *self = run->doc;
  gint64 offset = run->offset, len = run->len, old = run->old_length;
  gint64 tail = old - offset - len;
  gint64 moved = 0;

  _maphex_run_set_total (run, (run->fresh_data ? len : 0) + tail);
  if (run->fresh_data && !save_removed (self, run, offset, len, error))
    return FALSE;

  if (!move_in_chunks (self, run, offset, offset + len, tail, &moved, error))
    {
      /* An ascending chunk that faults moved what lay below the lost page:
       * count it as moved; what the file no longer backs is clamped off. */
      if (g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
        moved = MIN (tail, moved + _maphex_document_run_get_chunk_size ());
      goto rollback;
    }
  if (!resize_with_exports (self, old - len, error))
    goto rollback;
  return TRUE;

rollback:
  note_shrink (self, error);
  {
    gint64 backed = backed_length (self);
    gint64 back = 0;

    move_in_chunks (self, NULL, offset + len, offset,
                    CLAMP (backed - offset - len, 0, moved), &back, NULL);
    write_in_chunks (self, NULL, offset, CLAMP (backed - offset, 0, len),
                     run->data != NULL ? run->data->data : NULL, run->data_file, NULL);
  }
  return FALSE;
}

/* Shrinking reads the cut tail (for undo) first, then cuts once; growing
 * grows once, then writes `data` (an undone shrink's tail) if any. */
gboolean
_maphex_run_work_resize (MaphexRun *run,
                         GError   **error)
{
  MaphexDocument *self = run->doc;
  gint64 old = run->old_length, new_length = run->new_length;

  if (new_length < old)
    {
      _maphex_run_set_total (run, run->fresh_data ? old - new_length : 0);
      if (run->fresh_data && !save_removed (self, run, new_length, old - new_length, error))
        return FALSE;
      if (_maphex_run_cancelled (run, error))
        return FALSE;
      return resize_with_exports (self, new_length, error);
    }

  _maphex_run_set_total (run, run->data != NULL || run->data_file != NULL ? new_length - old : 0);
  if (!resize_with_exports (self, new_length, error))
    return FALSE;
  if ((run->data != NULL || run->data_file != NULL) &&
      !write_in_chunks (self, run, old, new_length - old,
                        run->data != NULL ? run->data->data : NULL, run->data_file, error))
    {
      note_shrink (self, error);
      resize_with_exports (self, old, NULL);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* For the rewrite (maphex-document-rewrite.c)                         */

gboolean
_maphex_run_resize_with_exports (MaphexDocument *self,
                                 gint64          new_length,
                                 GError        **error)
{
  return resize_with_exports (self, new_length, error);
}

gboolean
_maphex_run_move_in_chunks (MaphexDocument *self,
                            MaphexRun      *run,
                            gint64          dest,
                            gint64          src,
                            gint64          count,
                            gint64         *moved,
                            GError        **error)
{
  return move_in_chunks (self, run, dest, src, count, moved, error);
}

GError *
_maphex_run_shrank_error (void)
{
  return shrank_error ();
}

gboolean
_maphex_run_pread_all (MaphexDocument *self,
                       guint8         *buffer,
                       gint64          src,
                       gint64          n,
                       GError        **error)
{
  gint64 got = pread_upto (self, buffer, src, n, error);

  if (got < 0)
    return FALSE;
  if (got < n)
    {
      g_propagate_error (error, shrank_error ());
      return FALSE;
    }
  return TRUE;
}

gboolean
_maphex_run_pwrite_all (MaphexDocument *self,
                        const guint8   *buffer,
                        gint64          dest,
                        gint64          n,
                        GError        **error)
{
  return pwrite_all (self, buffer, dest, n, error);
}

void
_maphex_run_note_shrink (MaphexDocument *self,
                         GError        **error)
{
  note_shrink (self, error);
}
