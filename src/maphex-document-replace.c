/* maphex-document-replace.c: Replace and Replace All.
 *
 * Owns replacing one range (a WRITE step through the edit path), Replace
 * All as a long operation of the runner (RUN_REPLACE_ALL: the search and
 * the writes in one run, so nothing edits between them; the old bytes kept
 * and written back on cancel or failure), its REPLACE_ALL undo step, and
 * replaying that step. Replacements keep the length: a different length is
 * refused with the reason.
 *
 * Must not search itself (maphex-document-search.c does) nor touch the
 * history's queues (maphex-document-history.c does).
 */
#include "maphex-document-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

static gboolean
refuse (MaphexDocument *self,
        GError        **error)
{
  if (_maphex_document_refuse_busy (self, error))
    return TRUE;
  if (self->mode == MAPHEX_MODE_READ_ONLY)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY,
                           _("The file is open read-only: reopen it in copy-on-write or write-through mode to replace"));
      return TRUE;
    }
  return FALSE;
}

static void
set_length_error (GError **error,
                  gint64   match_len,
                  gsize    replacement_len)
{
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED,
               _("The replacement is %lu bytes long and the match %lld: "
                 "only a replacement of the same length is supported"),
               (unsigned long) replacement_len, (long long) match_len);
}

gboolean
maphex_document_replace_range (MaphexDocument *self,
                               gint64          offset,
                               gint64          length,
                               GBytes         *replacement,
                               GError        **error)
{
  gsize n;
  const guint8 *data;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (replacement != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (refuse (self, error))
    return FALSE;
  data = g_bytes_get_data (replacement, &n);
  if ((gint64) n != length)
    {
      set_length_error (error, length, n);
      return FALSE;
    }
  return maphex_document_replace (self, offset, data, n, error);
}

/* ------------------------------------------------------------------ */
/* Replace All in the runner                                           */

/* Writes `bytes` (len each, concatenated) over matches [from, to) in
 * reverse, one page-sized try each, on past those that fault: what can be
 * put back is. Lock held. */
static void
put_back_locked (MaphexDocument *self,
                 const GArray   *matches,
                 const guint8   *bytes,
                 gint64          len,
                 guint           to)
{
  for (guint i = to; i-- > 0; )
    {
      const MaphexSearchMatch *m = &g_array_index (matches, MaphexSearchMatch, i);
      g_autoptr(GError) ignored = NULL;

      _maphex_document_write_locked (self, m->offset, len, bytes + (gsize) i * len, len, &ignored);
    }
}

/* Every matches' old bytes (the step's `old`) and their replacement
 * written; a failure writes back what it had written and fails. */
gboolean
_maphex_document_replace_all_work (MaphexRun *run,
                                   GError   **error)
{
  MaphexDocument *self = run->doc;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GByteArray) old = NULL;
  gsize rlen;
  const guint8 *rdata = g_bytes_get_data (run->replacement, &rlen);
  gint64 chunk = _maphex_document_run_get_chunk_size ();
  gint64 pending = 0;
  GArray *matches;
  guint written = 0;
  GError *local_error = NULL;

  found = _maphex_document_search_all_sync (self, run->hold, run->query, run->cancellable, error);
  if (found == NULL)
    return FALSE;

  /* Not overlapping: each next match at or after the previous one's end. */
  matches = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  for (guint i = 0; i < found->len; i++)
    {
      const MaphexSearchMatch *m = &g_array_index (found, MaphexSearchMatch, i);
      const MaphexSearchMatch *prev = matches->len > 0
        ? &g_array_index (matches, MaphexSearchMatch, matches->len - 1) : NULL;

      if (prev != NULL && m->offset < prev->offset + prev->length)
        continue;
      if (m->length != (gint64) rlen)
        {
          set_length_error (error, m->length, rlen);
          g_array_unref (matches);
          return FALSE;
        }
      g_array_append_val (matches, *m);
    }
  run->matches = matches;
  _maphex_run_set_total (run, (gint64) matches->len * (gint64) rlen);
  if (matches->len == 0)
    return TRUE;

  old = _maphex_document_byte_array_try_new ((gint64) matches->len * (gint64) rlen, error);
  if (old == NULL)
    return FALSE;
  g_byte_array_set_size (old, 0);

  while (written < matches->len)
    {
      g_rec_mutex_lock (&self->map_lock);
      for (; written < matches->len && pending < chunk; written++)
        {
          const MaphexSearchMatch *m = &g_array_index (matches, MaphexSearchMatch, written);
          guint8 *dst;

          g_byte_array_set_size (old, old->len + rlen);
          dst = old->data + old->len - rlen;
          if (!_maphex_document_read_locked (self, m->offset, dst, (gint64) rlen, &local_error))
            break;
          if (!_maphex_document_write_locked (self, m->offset, (gint64) rlen, rdata, (gint64) rlen,
                                              &local_error))
            {
              /* It may have written part of this match: put it back too. */
              written++;
              break;
            }
          pending += (gint64) rlen;
        }
      if (local_error == NULL)
        {
          g_rec_mutex_unlock (&self->map_lock);
          _maphex_run_add_done (run, pending);
          pending = 0;
          if (!_maphex_run_cancelled (run, &local_error))
            continue;
          g_rec_mutex_lock (&self->map_lock);
        }
      put_back_locked (self, matches, old->data, (gint64) rlen, written);
      g_rec_mutex_unlock (&self->map_lock);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  run->data = g_steal_pointer (&old);
  return TRUE;
}

static void
changed_span (MaphexDocument *self,
              const GArray   *matches)
{
  const MaphexSearchMatch *first, *last;

  if (matches == NULL || matches->len == 0)
    return;
  first = &g_array_index (matches, MaphexSearchMatch, 0);
  last = &g_array_index (matches, MaphexSearchMatch, matches->len - 1);
  for (guint i = 0; i < matches->len; i++)
    {
      const MaphexSearchMatch *m = &g_array_index (matches, MaphexSearchMatch, i);

      _maphex_document_mark_dirty (self, m->offset, m->offset + m->length);
    }
  _maphex_document_emit_bytes_changed (self, first->offset,
                                       last->offset + last->length - first->offset);
}

void
_maphex_document_replace_all_done (MaphexRun *run)
{
  MaphexDocument *self = run->doc;

  if (self->fd >= 0 && self->mode == MAPHEX_MODE_WRITE_THROUGH)
    _maphex_document_note_own_write (self, self->fd);
  if (run->count_out != NULL)
    *run->count_out = run->ok && run->matches != NULL ? (gint64) run->matches->len : -1;
  if (!run->ok)
    {
      if (self->length > 0)
        _maphex_document_emit_bytes_changed (self, 0, self->length);
      return;
    }
  if (run->matches->len > 0)
    {
      MaphexStep *step = _maphex_document_step_new (MAPHEX_STEP_REPLACE_ALL, 0, 0);
      gsize rlen;
      const guint8 *rdata = g_bytes_get_data (run->replacement, &rlen);

      step->len = (gint64) rlen;
      step->matches = g_array_ref (run->matches);
      step->old = g_steal_pointer (&run->data);
      step->pattern = _maphex_document_byte_array_new_copy (rdata, rlen);
      _maphex_document_push_step (self, step);
      changed_span (self, run->matches);
    }
}

/* Undo writes each match's old bytes back, redo the replacement; a fault on
 * the way puts back what it had written and fails. Main thread. */
gboolean
_maphex_document_replay_replace_all (MaphexDocument *self,
                                     MaphexStep     *step,
                                     gboolean        undo,
                                     GError        **error)
{
  GArray *matches = step->matches;
  gint64 len = step->len;
  g_autoptr(GByteArray) before = NULL;
  gboolean failed = FALSE;
  guint i;

  /* No read-only check: a step exists only where the mode allowed the edit,
   * and a document's mode never changes. */
  before = _maphex_document_byte_array_try_new ((gint64) matches->len * len, error);
  if (before == NULL)
    return FALSE;
  g_rec_mutex_lock (&self->map_lock);
  for (i = 0; i < matches->len; i++)
    {
      const MaphexSearchMatch *m = &g_array_index (matches, MaphexSearchMatch, i);
      const guint8 *src = undo ? step->old->data + (gsize) i * len : step->pattern->data;

      if (!_maphex_document_read_locked (self, m->offset, before->data + (gsize) i * len, len, error))
        {
          failed = TRUE;
          break;
        }
      if (!_maphex_document_write_locked (self, m->offset, len, src, len, error))
        {
          failed = TRUE;
          i++;   /* it may be half written: its bytes go back too */
          break;
        }
    }
  if (failed)
    {
      put_back_locked (self, matches, before->data, len, i);
      g_rec_mutex_unlock (&self->map_lock);
      return FALSE;
    }
  g_rec_mutex_unlock (&self->map_lock);
  changed_span (self, matches);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

static MaphexRun *
prepare_replace_all (MaphexDocument    *self,
                     MaphexSearchQuery *query,
                     GBytes            *replacement,
                     MaphexExport      *own,
                     GError           **error)
{
  MaphexRun *run;
  MaphexExport *hold;

  if (refuse (self, error))
    return NULL;
  if (g_bytes_get_size (replacement) == 0)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("The replacement is empty: deleting matches is not supported"));
      return NULL;
    }
  if ((hold = maphex_document_export (self, error)) == NULL)
    return NULL;
  run = _maphex_run_new (self, RUN_REPLACE_ALL, own, g_strdup (_("Replacing all matches")));
  run->hold = hold;
  run->query = maphex_search_query_ref (query);
  run->replacement = g_bytes_ref (replacement);
  return run;
}

gint64
maphex_document_replace_all (MaphexDocument     *self,
                             MaphexSearchQuery  *query,
                             GBytes             *replacement,
                             MaphexExport       *own,
                             GCancellable       *cancellable,
                             GError            **error)
{
  MaphexRun *run;
  gint64 count = -1;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (query != NULL && replacement != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if ((run = prepare_replace_all (self, query, replacement, own, error)) == NULL)
    return -1;
  if (cancellable != NULL)
    run->cancellable = g_object_ref (cancellable);
  run->count_out = &count;
  if (!_maphex_run_sync (run, error))
    return -1;
  return count;
}

void
maphex_document_replace_all_async (MaphexDocument      *self,
                                   MaphexSearchQuery   *query,
                                   GBytes              *replacement,
                                   MaphexExport        *own,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (query != NULL && replacement != NULL);

  run = prepare_replace_all (self, query, replacement, own, &error);
  _maphex_run_start (self, run, error, cancellable, maphex_document_replace_all_async,
                     callback, user_data);
}

gint64
maphex_document_replace_all_finish (MaphexDocument  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  run = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return -1;
  return run != NULL && run->matches != NULL ? (gint64) run->matches->len : 0;
}
