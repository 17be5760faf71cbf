/* maphex-document-edit.c: edits that keep the length (replace, fill, typing,
 * move), the locked primitives that read and write the map, and the
 * copy-on-write dirty ranges they mark.
 *
 * A failed or faulting write is rolled back here. Must not change the length
 * (maphex-document-shift.c does) nor save (maphex-document-save*.c).
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
/* Checks and raw operations (lock held, no signals)                   */

static gboolean
refuse_read_only (MaphexDocument *self,
                  GError        **error)
{
  if (self->mode != MAPHEX_MODE_READ_ONLY)
    return FALSE;
  g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY,
                       _("The file is open read-only"));
  return TRUE;
}

gboolean
_maphex_document_check_range (MaphexDocument *self,
                              gint64          offset,
                              gint64          len,
                              GError        **error)
{
  if (offset >= 0 && len >= 0 && offset <= self->length && len <= self->length - offset)
    return TRUE;

  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
               _("The range of %lld bytes at offset %lld is outside the file (length %lld)"),
               (long long) len, (long long) offset, (long long) self->length);
  return FALSE;
}

gboolean
_maphex_document_read_locked (MaphexDocument *self,
                              gint64          offset,
                              guint8         *dst,
                              gint64          n,
                              GError        **error)
{
  MmError mm_error;

  if (n == 0)
    return TRUE;
  g_assert (self->map != NULL);
  if (mm_map_get_slice (self->map, offset, 1, n, dst, &mm_error) != MM_OK)
    {
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      return FALSE;
    }
  return TRUE;
}

/* Writes `pattern` repeated over [offset, offset + len), the pattern's first
 * byte at `offset`. */
gboolean
_maphex_document_write_locked (MaphexDocument *self,
                               gint64          offset,
                               gint64          len,
                               const guint8   *pattern,
                               gint64          pattern_len,
                               GError        **error)
{
  g_autofree guint8 *chunk = NULL;
  gint64 chunk_len;
  MmError mm_error;

  g_assert (pattern_len > 0);

  if (len == 0)
    return TRUE;
  g_assert (self->map != NULL);

  if (pattern_len >= len)
    {
      if (mm_map_set_slice (self->map, offset, 1, len, pattern, len, &mm_error) != MM_OK)
        goto failed;
      return TRUE;
    }

  /* A whole number of patterns, so every chunk starts in phase. */
  chunk_len = MAX (1, CHUNK_SIZE / pattern_len) * pattern_len;
  chunk_len = MIN (chunk_len, len);
  chunk = g_malloc (chunk_len);
  for (gint64 i = 0; i < chunk_len; i += pattern_len)
    memcpy (chunk + i, pattern, MIN (pattern_len, chunk_len - i));

  for (gint64 done = 0; done < len; )
    {
      gint64 n = MIN (chunk_len, len - done);

      if (mm_map_set_slice (self->map, offset + done, 1, n, chunk, n, &mm_error) != MM_OK)
        goto failed;
      done += n;
    }
  return TRUE;

failed:
  _maphex_document_propagate_mm_error (self, error, &mm_error);
  return FALSE;
}

gboolean
_maphex_document_move_locked (MaphexDocument *self,
                              gint64          dest,
                              gint64          src,
                              gint64          count,
                              GError        **error)
{
  MmError mm_error;

  if (count == 0)
    return TRUE;
  g_assert (self->map != NULL);
  if (mm_map_move (self->map, dest, src, count, &mm_error) != MM_OK)
    {
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Dirty ranges (copy-on-write)                                        */

static void
mark_dirty (MaphexDocument *self,
            gint64          start,
            gint64          end)
{
  MaphexRange *ranges;
  guint first, last;

  if (self->mode != MAPHEX_MODE_COPY_ON_WRITE || start >= end)
    return;

  ranges = (MaphexRange *) (gpointer) self->dirty->data;

  /* first: the first range that ends at or after start (touching merges).
   * The ranges are sorted and apart, so their ends are too: a binary
   * search, as Replace All marks one range per match, in file order. */
  {
    guint lo = 0, hi = self->dirty->len;

    while (lo < hi)
      {
        guint mid = lo + (hi - lo) / 2;

        if (ranges[mid].end < start)
          lo = mid + 1;
        else
          hi = mid;
      }
    first = lo;
  }
  /* last: one past the last range that starts at or before end */
  for (last = first; last < self->dirty->len && ranges[last].start <= end; last++)
    ;

  if (first == last)
    {
      MaphexRange r = { start, end };
      g_array_insert_val (self->dirty, first, r);
      return;
    }

  ranges[first].start = MIN (ranges[first].start, start);
  ranges[first].end = MAX (ranges[last - 1].end, end);
  if (last - first > 1)
    g_array_remove_range (self->dirty, first + 1, last - first - 1);
}

void
_maphex_document_mark_dirty (MaphexDocument *self,
                             gint64          start,
                             gint64          end)
{
  mark_dirty (self, start, end);
}

GArray *
_maphex_document_dup_dirty_ranges (MaphexDocument *self)
{
  GArray *copy;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  copy = g_array_sized_new (FALSE, FALSE, sizeof (MaphexRange), self->dirty->len);
  g_array_append_vals (copy, self->dirty->data, self->dirty->len);
  return copy;
}

/* ------------------------------------------------------------------ */
/* In-place edits                                                      */

/* Puts `old` back over [offset, offset + len) after an edit failed partway,
 * one page at a time and on past the pages that fault, so that every page
 * that can still be written gets its bytes back, whichever way the edit ran.
 * Lock held. */
void
_maphex_document_restore_locked (MaphexDocument *self,
                gint64          offset,
                const guint8   *old,
                gint64          len)
{
  gint64 page = mm_pagesize ();

  for (gint64 pos = offset; pos < offset + len; )
    {
      gint64 end = MIN (offset + len, (pos / page + 1) * page);
      MmError mm_error;

      if (mm_map_set_slice (self->map, pos, 1, end - pos, old + (pos - offset), end - pos,
                            &mm_error) != MM_OK)
        {
          /* a page the file no longer backs: nothing to put back there */
        }
      pos = end;
    }
}

/* The in-place edits: the bytes at [offset, offset + len) become `pattern`
 * repeated, or (pattern == NULL) the `len` bytes at `src`, as the core's move
 * makes them. The old bytes are read first; if the edit fails partway (a
 * fault) they are put back and it fails whole. Returns in *old (nullable) the
 * old bytes, or NULL when nothing changed (len 0, a move onto itself), and
 * emits the change. Records nothing in the history: the callers do. */
gboolean
_maphex_document_apply_in_place (MaphexDocument *self,
                                 gint64          offset,
                                 gint64          len,
                                 const guint8   *pattern,
                                 gint64          pattern_len,
                                 gint64          src,
                                 GByteArray    **old,
                                 GError        **error)
{
  g_autoptr(GByteArray) saved = NULL;
  gboolean ok;

  g_rec_mutex_lock (&self->map_lock);
  ok = (pattern != NULL || _maphex_document_check_range (self, src, len, error)) &&
       _maphex_document_check_range (self, offset, len, error);
  if (ok && len > 0 && (pattern != NULL || src != offset))
    {
      saved = _maphex_document_save_bytes_locked (self, offset, len, error);
      ok = saved != NULL &&
           (pattern != NULL ? _maphex_document_write_locked (self, offset, len, pattern, pattern_len, error)
                                             : _maphex_document_move_locked (self, offset, src, len, error));
      if (!ok && saved != NULL)
        _maphex_document_restore_locked (self, offset, saved->data, len);
    }
  g_rec_mutex_unlock (&self->map_lock);
  if (!ok)
    return FALSE;

  if (saved != NULL)
    {
      mark_dirty (self, offset, offset + len);
      _maphex_document_emit_bytes_changed (self, offset, len);
    }
  if (old != NULL)
    *old = g_steal_pointer (&saved);
  return TRUE;
}

/* Writes and records a WRITE step. */
static gboolean
write_step (MaphexDocument *self,
            gint64          offset,
            gint64          len,
            const guint8   *pattern,
            gint64          pattern_len,
            GError        **error)
{
  GByteArray *old = NULL;
  MaphexStep *step;

  if (_maphex_document_refuse_busy (self, error) || refuse_read_only (self, error))
    return FALSE;
  if (!_maphex_document_apply_in_place (self, offset, len, pattern, pattern_len, -1, &old, error))
    return FALSE;
  if (old == NULL)
    return TRUE;

  step = _maphex_document_step_new (MAPHEX_STEP_WRITE, offset, len);
  step->old = old;
  step->pattern = _maphex_document_byte_array_new_copy (pattern, MIN (pattern_len, len));
  _maphex_document_push_step (self, step);
  return TRUE;
}

gboolean
maphex_document_replace (MaphexDocument  *self,
                         gint64           offset,
                         const guint8    *data,
                         gsize            len,
                         GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len > G_MAXUINT)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("The replacement is too large"));
      return FALSE;
    }
  if (len == 0)
    return _maphex_document_refuse_busy (self, error) || refuse_read_only (self, error)
           ? FALSE : _maphex_document_check_range (self, offset, 0, error);
  return write_step (self, offset, (gint64) len, data, (gint64) len, error);
}

gboolean
maphex_document_fill (MaphexDocument  *self,
                      gint64           offset,
                      gint64           len,
                      const guint8    *pattern,
                      gsize            pattern_len,
                      GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (pattern_len == 0 || pattern_len > G_MAXUINT)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("The fill pattern must be between 1 byte and 4 GiB long"));
      return FALSE;
    }
  return write_step (self, offset, len, pattern, (gint64) pattern_len, error);
}

static gboolean
can_merge_typing (MaphexDocument *self,
                  gint64          offset)
{
  MaphexStep *top = g_queue_peek_head (&self->undo);

  return top != NULL &&
         top->typing &&
         g_queue_is_empty (&self->redo) &&
         top->serial != self->saved_serial &&
         offset >= top->offset &&
         offset <= top->offset + top->len &&
         top->len < G_MAXUINT;
}

gboolean
maphex_document_set_byte (MaphexDocument  *self,
                          gint64           offset,
                          guint8           value,
                          gboolean         merge,
                          GError         **error)
{
  MmError mm_error;
  guint8 old_value = 0;
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_maphex_document_refuse_busy (self, error) || refuse_read_only (self, error))
    return FALSE;

  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_check_range (self, offset, 1, error) &&
       _maphex_document_read_locked (self, offset, &old_value, 1, error);
  if (ok && mm_map_set_item (self->map, offset, value, &mm_error) != MM_OK)
    {
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      ok = FALSE;
    }
  g_rec_mutex_unlock (&self->map_lock);
  if (!ok)
    return FALSE;

  if (merge && can_merge_typing (self, offset))
    {
      MaphexStep *top = g_queue_peek_head (&self->undo);

      if (offset < top->offset + top->len)
        {
          top->pattern->data[offset - top->offset] = value;
        }
      else
        {
          g_byte_array_append (top->old, &old_value, 1);
          g_byte_array_append (top->pattern, &value, 1);
          top->len++;
        }
      /* The state after the step is a new one. */
      top->serial = ++self->next_serial;
      _maphex_document_update_state (self);
    }
  else
    {
      MaphexStep *step = _maphex_document_step_new (MAPHEX_STEP_WRITE, offset, 1);

      step->old = _maphex_document_byte_array_new_copy (&old_value, 1);
      step->pattern = _maphex_document_byte_array_new_copy (&value, 1);
      step->typing = TRUE;
      _maphex_document_push_step (self, step);
    }

  mark_dirty (self, offset, offset + 1);
  _maphex_document_emit_bytes_changed (self, offset, 1);
  return TRUE;
}

gboolean
maphex_document_move (MaphexDocument  *self,
                      gint64           dest,
                      gint64           src,
                      gint64           count,
                      GError         **error)
{
  GByteArray *old = NULL;
  MaphexStep *step;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_maphex_document_refuse_busy (self, error) || refuse_read_only (self, error))
    return FALSE;
  if (!_maphex_document_apply_in_place (self, dest, count, NULL, 0, src, &old, error))
    return FALSE;
  if (old == NULL)
    return TRUE;

  step = _maphex_document_step_new (MAPHEX_STEP_MOVE, dest, count);
  step->src = src;
  step->old = old;
  _maphex_document_push_step (self, step);
  return TRUE;
}
