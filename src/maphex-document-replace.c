/* maphex-document-replace.c: Replace and Replace All.
 *
 * Owns replacing one range (a WRITE step through the edit path when the
 * length stays; else a run of the runner, as an insert or a delete is),
 * Replace All as a long operation of the runner (RUN_REPLACE_ALL: the
 * search and the writes in one run, so nothing edits between them), its
 * REPLACE_ALL undo step, and the undo and redo of that step. The writes
 * themselves, their one pass and their rollback, are the rewrite's
 * (maphex-document-rewrite.c).
 *
 * A replacement of another length than its match changes the file's
 * length: it is allowed where insert and delete are (write-through files,
 * scratch buffers), under the same rule for exports, and refused elsewhere
 * with the reason.
 *
 * Must not search itself (maphex-document-search.c does) nor touch the
 * history's queues (maphex-document-history.c does).
 */
#include "maphex-document-private.h"
#include "maphex-search-query-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* A step with fewer matches, all of the replacement's length, is undone and
 * redone at once on the calling thread (a few writes in place, as the
 * other in-place steps are); a larger one, or one whose bytes move, is a
 * run of the runner with progress and cancel. */
#define IN_PLACE_MAX_MATCHES 256

static const MaphexSearchMatch *
matches_get (GBytes *matches,
             gsize  *n)
{
  gsize size = 0;
  const MaphexSearchMatch *m = matches != NULL ? g_bytes_get_data (matches, &size) : NULL;

  *n = size / sizeof (MaphexSearchMatch);
  return m;
}

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

/* `refusal`: why this document cannot change its length. */
static void
set_length_error (GError    **error,
                  gint64      match_len,
                  gsize       replacement_len,
                  const char *refusal)
{
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED,
               _("The replacement is %lu bytes long and the match %lld: a replacement "
                 "of another length changes the file’s length. %s"),
               (unsigned long) replacement_len, (long long) match_len, refusal);
}

/* Every match of the query has this length, or -1 (a regex, text with the
 * case ignored: it varies). */
static gint64
fixed_match_length (MaphexSearchQuery *query)
{
  return query->engine == MAPHEX_ENGINE_REGEX ? -1 : (gint64) query->n;
}

static GBytes *
one_match (gint64 offset,
           gint64 length)
{
  MaphexSearchMatch m = { offset, length };

  return g_bytes_new (&m, sizeof m);
}

/* ------------------------------------------------------------------ */
/* Replace All in the runner                                           */

typedef struct {
  MaphexRun         *run;
  MaphexSearchMatch *data;
  gsize              n;
  gsize              alloc;
  gint64             rlen;
  const char        *refusal;    /* non-NULL: every match must have rlen bytes */
  gboolean           shifts;     /* a match of another length */
  gint64             next;       /* the next match starts at or after it */
  gint64             searched;
} Collect;

/* Keeps the matches that do not overlap the one before; refuses one of
 * another length where the length cannot change, as soon as it is found. */
static gboolean
collect_batch (const MaphexSearchMatch *matches,
               guint                    n,
               gint64                   searched,
               gpointer                 data,
               GError                 **error)
{
  Collect *c = data;

  for (guint i = 0; i < n; i++)
    {
      const MaphexSearchMatch *m = &matches[i];

      if (m->offset < c->next)
        continue;
      if (m->length != c->rlen)
        {
          if (c->refusal != NULL)
            {
              set_length_error (error, m->length, (gsize) c->rlen, c->refusal);
              return FALSE;
            }
          c->shifts = TRUE;
        }
      if (c->n == c->alloc)
        {
          gsize want = MAX (64, c->alloc * 2);
          MaphexSearchMatch *more = want < G_MAXSIZE / sizeof *more
                                    ? g_try_realloc_n (c->data, want, sizeof *more) : NULL;

          if (more == NULL)
            {
              g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                           _("Not enough memory to keep the %lu matches found"),
                           (unsigned long) c->n);
              return FALSE;
            }
          c->data = more;
          c->alloc = want;
        }
      c->data[c->n++] = *m;
      c->next = m->offset + m->length;
    }
  if (searched > c->searched)
    {
      _maphex_run_add_progress (c->run, searched - c->searched);
      c->searched = searched;
    }
  return TRUE;
}

/* The search: run->matches, and whether their bytes move. */
static gboolean
find_matches (MaphexRun *run,
              gboolean  *shifts,
              GError   **error)
{
  MaphexDocument *self = run->doc;
  Collect c = { 0 };

  c.run = run;
  c.rlen = (gint64) g_bytes_get_size (run->replacement);
  c.refusal = maphex_document_get_resize_refusal (self);
  /* The search, then about as much again for the writes, until they are known. */
  _maphex_run_set_total (run, 2 * MAX (self->length, 1));
  if (!_maphex_document_search_all_each (self, run->hold, run->query, run->cancellable,
                                         collect_batch, &c, error))
    {
      g_free (c.data);
      return FALSE;
    }
  run->matches = g_bytes_new_take (c.data, c.n * sizeof (MaphexSearchMatch));
  *shifts = c.shifts;
  return TRUE;
}

/* The matches' old bytes, before anything is written: the step's `old`
 * and what a rollback writes back. */
static GByteArray *
read_old (MaphexRun               *run,
          const MaphexSearchMatch *matches,
          gsize                    n,
          GError                 **error)
{
  MaphexDocument *self = run->doc;
  g_autoptr(GByteArray) old = NULL;
  gint64 chunk = _maphex_document_run_get_chunk_size ();
  gint64 total = 0, at = 0;

  for (gsize i = 0; i < n; i++)
    total += matches[i].length;
  if ((old = _maphex_document_byte_array_try_new (total, error)) == NULL)
    return NULL;
  for (gsize i = 0; i < n; )
    {
      gint64 batch = 0;
      gboolean ok = TRUE;

      if (_maphex_run_cancelled (run, error))
        return NULL;
      g_rec_mutex_lock (&self->map_lock);
      for (; i < n && batch < chunk && ok; i++)
        {
          ok = _maphex_document_read_locked (self, matches[i].offset, old->data + at,
                                             matches[i].length, error);
          at += matches[i].length;
          batch += MAX (matches[i].length, 1);
        }
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        return NULL;
      _maphex_run_add_progress (run, batch);
    }
  return g_steal_pointer (&old);
}

/* A new Replace All (or a single Replace of another length): the search
 * unless the range is given, the old bytes, the rewrite. A length change
 * obeys the rule of insert and delete: no export but the caller's. */
static gboolean
replace_work (MaphexRun *run,
              GError   **error)
{
  MaphexDocument *self = run->doc;
  g_autoptr(GByteArray) old = NULL;
  gboolean shifts = TRUE;
  const MaphexSearchMatch *matches;
  MaphexRewrite rw = { 0 };
  gsize n, rlen;

  if (run->query != NULL && !find_matches (run, &shifts, error))
    return FALSE;
  matches = matches_get (run->matches, &n);
  if (n == 0)
    return TRUE;
  if (shifts)
    {
      gboolean ok;

      /* The search's export goes first: it is ours, not another view's. */
      if (run->hold != NULL)
        maphex_document_unexport (self, g_steal_pointer (&run->hold));
      g_rec_mutex_lock (&self->map_lock);
      ok = _maphex_document_check_other_exports_locked (self, run->own, error);
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        return FALSE;
    }
  if ((old = read_old (run, matches, n, error)) == NULL)
    return FALSE;

  rw.matches = matches;
  rw.n = n;
  rw.old = old->data;
  rw.pattern = g_bytes_get_data (run->replacement, &rlen);
  rw.pattern_len = (gint64) rlen;
  rw.orig_length = self->length;
  if (!_maphex_document_rewrite (self, run, &rw, error))
    return FALSE;
  run->data = g_steal_pointer (&old);
  return TRUE;
}

/* Undo or redo of a step, in the runner. */
static gboolean
replay_work (MaphexRun *run,
             GError   **error)
{
  MaphexStep *step = run->replay;
  MaphexRewrite rw = { 0 };

  rw.matches = matches_get (step->matches, &rw.n);
  rw.old = step->old->data;
  rw.pattern = step->pattern->data;
  rw.pattern_len = step->len;
  rw.orig_length = step->old_length;
  rw.undo = run->undo;
  return _maphex_document_rewrite (run->doc, run, &rw, error);
}

gboolean
_maphex_document_replace_all_work (MaphexRun *run,
                                   GError   **error)
{
  return run->replay != NULL ? replay_work (run, error) : replace_work (run, error);
}

/* "content-shifted" for every match of a step whose bytes moved: done or
 * redone, from the last match down (each at its offset in the file before
 * the step: the shifts above it do not move it); undone, the shifts back
 * in the reverse order, from the first match up, each at the same offset. */
static void
emit_shifts (MaphexDocument   *self,
             MaphexStep       *step,
             MaphexShiftCause  cause)
{
  gsize n;
  const MaphexSearchMatch *m = matches_get (step->matches, &n);

  if (cause == MAPHEX_SHIFT_UNDO)
    for (gsize i = 0; i < n; i++)
      _maphex_document_emit_content_shifted (self, m[i].offset, step->len, m[i].length,
                                             cause, step->serial);
  else
    for (gsize i = n; i-- > 0; )
      _maphex_document_emit_content_shifted (self, m[i].offset, m[i].length, step->len,
                                             cause, step->serial);
}

/* What views redraw after the step was done, undone or redone: the
 * matches (marked for a copy-on-write Save) when nothing moved, else
 * everything from the first match on. */
static void
changed (MaphexDocument   *self,
         MaphexStep       *step,
         gint64            old_length,
         MaphexShiftCause  cause)
{
  gsize n;
  const MaphexSearchMatch *m = matches_get (step->matches, &n);
  gint64 end;

  if (n == 0)
    return;
  if (step->shifts)
    {
      emit_shifts (self, step, cause);
      end = MAX (old_length, self->length);
      if (end > m[0].offset)
        _maphex_document_emit_bytes_changed (self, m[0].offset, end - m[0].offset);
      return;
    }
  for (gsize i = 0; i < n; i++)
    _maphex_document_mark_dirty (self, m[i].offset, m[i].offset + m[i].length);
  end = m[n - 1].offset + m[n - 1].length;
  if (end > m[0].offset)
    _maphex_document_emit_bytes_changed (self, m[0].offset, end - m[0].offset);
}

void
_maphex_document_replace_all_done (MaphexRun *run)
{
  MaphexDocument *self = run->doc;
  gsize n = 0;

  if (self->fd >= 0 && self->mode == MAPHEX_MODE_WRITE_THROUGH)
    _maphex_document_note_own_write (self, self->fd);
  matches_get (run->matches, &n);
  if (run->count_out != NULL)
    *run->count_out = run->ok ? (gint64) n : -1;
  g_object_freeze_notify (G_OBJECT (self));
  _maphex_document_notify_length_if_changed (self, run->old_length);
  if (!run->ok)
    {
      g_object_thaw_notify (G_OBJECT (self));
      if (self->length > 0)
        _maphex_document_emit_bytes_changed (self, 0, self->length);
      return;
    }
  if (run->replay != NULL)
    {
      _maphex_document_replayed (self, run->replay, run->undo);
      g_object_thaw_notify (G_OBJECT (self));
      changed (self, run->replay, run->old_length,
               run->undo ? MAPHEX_SHIFT_UNDO : MAPHEX_SHIFT_REDO);
    }
  else if (n > 0)
    {
      MaphexStep *step = _maphex_document_step_new (MAPHEX_STEP_REPLACE_ALL, 0, 0);
      gsize rlen;
      const guint8 *rdata = g_bytes_get_data (run->replacement, &rlen);
      const MaphexSearchMatch *m = matches_get (run->matches, &n);

      step->len = (gint64) rlen;
      step->matches = g_bytes_ref (run->matches);
      step->old = g_steal_pointer (&run->data);
      step->pattern = _maphex_document_byte_array_new_copy (rdata, rlen);
      step->old_length = run->old_length;
      step->new_length = self->length;
      for (gsize i = 0; i < n && !step->shifts; i++)
        step->shifts = m[i].length != step->len;
      _maphex_document_push_step (self, step);
      g_object_thaw_notify (G_OBJECT (self));
      changed (self, step, run->old_length, MAPHEX_SHIFT_EDIT);
    }
  else
    g_object_thaw_notify (G_OBJECT (self));
}

/* ------------------------------------------------------------------ */
/* Undo and redo                                                       */

gboolean
_maphex_document_replace_all_step_runs (const MaphexStep *step)
{
  gsize n;

  matches_get (step->matches, &n);
  return step->shifts || n >= IN_PLACE_MAX_MATCHES;
}

MaphexRun *
_maphex_document_prepare_replace_all_replay (MaphexDocument *self,
                                             MaphexExport   *own,
                                             MaphexStep     *step,
                                             gboolean        undo,
                                             GError        **error)
{
  MaphexRun *run;

  if (_maphex_document_refuse_busy (self, error))
    return NULL;
  if (step->shifts && !maphex_document_check_length_change (self, own, error))
    return NULL;
  run = _maphex_run_new (self, RUN_REPLACE_ALL, own,
                         g_strdup (undo ? _("Undoing Replace All") : _("Redoing Replace All")));
  run->replay = step;
  run->undo = undo;
  run->old_length = self->length;
  run->matches = g_bytes_ref (step->matches);
  return run;
}

/* A small step of same-length matches, at once on this thread, through
 * the same rewrite as the runner's (a fault puts back what it wrote). No
 * read-only check: a step exists only where the mode allowed the edit, and
 * a document's mode never changes. */
gboolean
_maphex_document_replay_replace_all (MaphexDocument *self,
                                     MaphexStep     *step,
                                     gboolean        undo,
                                     GError        **error)
{
  MaphexRewrite rw = { 0 };

  g_assert (!_maphex_document_replace_all_step_runs (step));
  rw.matches = matches_get (step->matches, &rw.n);
  rw.old = step->old->data;
  rw.pattern = step->pattern->data;
  rw.pattern_len = step->len;
  rw.orig_length = step->old_length;
  rw.undo = undo;
  if (!_maphex_document_rewrite (self, NULL, &rw, error))
    return FALSE;
  if (self->fd >= 0 && self->mode == MAPHEX_MODE_WRITE_THROUGH)
    _maphex_document_note_own_write (self, self->fd);
  changed (self, step, self->length, undo ? MAPHEX_SHIFT_UNDO : MAPHEX_SHIFT_REDO);
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
  const char *refusal = maphex_document_get_resize_refusal (self);
  gsize rlen = g_bytes_get_size (replacement);
  gint64 fixed = fixed_match_length (query);
  MaphexRun *run;
  MaphexExport *hold;

  if (refuse (self, error))
    return NULL;
  /* What the query's length already says, before any search. */
  if (refusal != NULL && rlen == 0)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED,
                   _("The replacement is empty: deleting the matches changes the file’s length. %s"),
                   refusal);
      return NULL;
    }
  if (refusal != NULL && fixed >= 0 && fixed != (gint64) rlen)
    {
      set_length_error (error, fixed, rlen, refusal);
      return NULL;
    }
  if (refusal == NULL && fixed >= 0 && fixed != (gint64) rlen &&
      !maphex_document_check_length_change (self, own, error))
    return NULL;
  if ((hold = maphex_document_export (self, error)) == NULL)
    return NULL;
  run = _maphex_run_new (self, RUN_REPLACE_ALL, own, g_strdup (_("Replacing all matches")));
  run->hold = hold;
  run->query = maphex_search_query_ref (query);
  run->replacement = g_bytes_ref (replacement);
  run->old_length = self->length;
  return run;
}

/* A single Replace of another length: a run (NULL and *same when the
 * length stays: the edit path does it). */
static MaphexRun *
prepare_replace_range (MaphexDocument *self,
                       MaphexExport   *own,
                       gint64          offset,
                       gint64          length,
                       GBytes         *replacement,
                       gboolean       *same,
                       GError        **error)
{
  const char *refusal = maphex_document_get_resize_refusal (self);
  gsize n = g_bytes_get_size (replacement);
  MaphexRun *run;

  *same = FALSE;
  if (refuse (self, error) || !_maphex_document_check_range (self, offset, length, error))
    return NULL;
  if ((gint64) n == length)
    {
      *same = TRUE;
      return NULL;
    }
  if (refusal != NULL)
    {
      set_length_error (error, length, n, refusal);
      return NULL;
    }
  if (!maphex_document_check_length_change (self, own, error))
    return NULL;
  run = _maphex_run_new (self, RUN_REPLACE_ALL, own, g_strdup (_("Replacing")));
  run->matches = one_match (offset, length);
  run->replacement = g_bytes_ref (replacement);
  run->old_length = self->length;
  return run;
}

gboolean
maphex_document_replace_range (MaphexDocument *self,
                               gint64          offset,
                               gint64          length,
                               GBytes         *replacement,
                               GError        **error)
{
  gboolean same;
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (replacement != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  run = prepare_replace_range (self, NULL, offset, length, replacement, &same, error);
  if (same)
    return maphex_document_replace (self, offset, g_bytes_get_data (replacement, NULL),
                                    g_bytes_get_size (replacement), error);
  return run != NULL && _maphex_run_sync (run, error);
}

void
maphex_document_replace_range_async (MaphexDocument      *self,
                                     MaphexExport        *own,
                                     gint64               offset,
                                     gint64               length,
                                     GBytes              *replacement,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GError *error = NULL;
  gboolean same;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);
  g_return_if_fail (replacement != NULL);

  run = prepare_replace_range (self, own, offset, length, replacement, &same, &error);
  if (same)
    maphex_document_replace (self, offset, g_bytes_get_data (replacement, NULL),
                             g_bytes_get_size (replacement), &error);
  _maphex_run_start (self, run, error, cancellable, maphex_document_replace_range_async,
                     callback, user_data);
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
  gsize n = 0;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  run = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return -1;
  if (run != NULL)
    matches_get (run->matches, &n);
  return (gint64) n;
}
