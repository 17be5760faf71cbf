/* maphex-document-run-ops.c: the operations the runner runs, as the rest of
 * the program asks for them: preparing each (checks, the name it shows,
 * the bytes an undo needs) on the main thread, and the public synchronous
 * and _async entry points for insert, delete, resize, undo/redo of those,
 * Save and Save As.
 *
 * Must not move bytes itself: maphex-document-run-shift.c and the save
 * files do, inside the runner.
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

/* ------------------------------------------------------------------ */
/* Preparing the operations (main thread)                              */

/* "4.0 GiB", for the operations' names. */
static char *
size_text (gint64 n)
{
  return g_format_size_full ((guint64) MAX (n, 0), G_FORMAT_SIZE_IEC_UNITS);
}

gboolean
maphex_document_check_length_change (MaphexDocument *self,
                                     MaphexExport   *own,
                                     GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);

  if (_maphex_document_refuse_busy (self, error) ||
      _maphex_document_refuse_length_change (self, error))
    return FALSE;
  g_rec_mutex_lock (&self->map_lock);
  ok = _maphex_document_check_other_exports_locked (self, own, error);
  g_rec_mutex_unlock (&self->map_lock);
  return ok;
}

static MaphexRun *
prepare_insert (MaphexDocument *self,
                MaphexExport   *own,
                gint64          offset,
                const guint8   *data,
                gint64          len,
                GError        **error)
{
  g_autofree char *size = NULL;
  MaphexRun *run;

  if (!maphex_document_check_length_change (self, own, error))
    return NULL;
  if (offset < 0 || offset > self->length)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Cannot insert at offset %lld: it is outside the file (length %lld)"),
                   (long long) offset, (long long) self->length);
      return NULL;
    }
  if (len < 0 || len > G_MAXINT64 - self->length || (data != NULL && (guint64) len > G_MAXUINT))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Cannot insert %lld bytes: the file would be too large"), (long long) len);
      return NULL;
    }
  run = _maphex_run_new (self, RUN_INSERT, own,
                         g_strdup_printf (_("Inserting %s"), size = size_text (len)));
  run->offset = offset;
  run->len = len;
  run->old_length = self->length;
  if (data != NULL)
    {
      run->data = g_byte_array_sized_new ((guint) len);
      g_byte_array_append (run->data, data, (guint) len);
    }
  return run;
}

static MaphexRun *
prepare_delete (MaphexDocument *self,
                MaphexExport   *own,
                gint64          offset,
                gint64          len,
                GError        **error)
{
  g_autofree char *size = NULL;
  MaphexRun *run;

  if (!maphex_document_check_length_change (self, own, error) ||
      !_maphex_document_check_range (self, offset, len, error))
    return NULL;
  run = _maphex_run_new (self, RUN_DELETE, own,
                         g_strdup_printf (_("Deleting %s"), size = size_text (len)));
  run->offset = offset;
  run->len = len;
  run->old_length = self->length;
  run->fresh_data = TRUE;
  return run;
}

static MaphexRun *
prepare_resize (MaphexDocument *self,
                MaphexExport   *own,
                gint64          new_length,
                GError        **error)
{
  g_autofree char *size = NULL;
  MaphexRun *run;

  if (!maphex_document_check_length_change (self, own, error))
    return NULL;
  if (new_length < 0)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("The new length %lld is negative"), (long long) new_length);
      return NULL;
    }
  run = _maphex_run_new (self, RUN_RESIZE, own,
                         g_strdup_printf (_("Resizing to %s"), size = size_text (new_length)));
  run->new_length = new_length;
  run->old_length = self->length;
  run->fresh_data = TRUE;
  return run;
}

/* The undo or redo of an insert, a delete or a resize: the run that replays
 * `step`. The step's bytes are copied: the step stays in the history, where
 * it was, if the run fails. */
static MaphexRun *
prepare_replay (MaphexDocument *self,
                MaphexExport   *own,
                MaphexStep     *step,
                gboolean        undo,
                GError        **error)
{
  g_autofree char *size = NULL;
  gboolean grow;
  MaphexRun *run;

  if (step->kind == MAPHEX_STEP_REPLACE_ALL)
    return _maphex_document_prepare_replace_all_replay (self, own, step, undo, error);
  if (!maphex_document_check_length_change (self, own, error))
    return NULL;

  switch (step->kind)
    {
    case MAPHEX_STEP_INSERT:
    case MAPHEX_STEP_DELETE:
      grow = (step->kind == MAPHEX_STEP_INSERT) != undo;
      run = _maphex_run_new (self, grow ? RUN_INSERT : RUN_DELETE, own,
                             g_strdup_printf (undo ? _("Undoing (%s)") : _("Redoing (%s)"),
                                              size = size_text (step->len)));
      run->offset = step->offset;
      run->len = step->len;
      {
        GByteArray *bytes = step->kind == MAPHEX_STEP_INSERT ? step->pattern : step->old;
        if (bytes != NULL)
          run->data = g_byte_array_ref (bytes);
        if (step->kind == MAPHEX_STEP_DELETE && step->old_file != NULL)
          run->data_file = _maphex_undo_file_ref (step->old_file);
      }
      break;
    case MAPHEX_STEP_RESIZE:
      run = _maphex_run_new (self, RUN_RESIZE, own,
                             g_strdup_printf (undo ? _("Undoing (%s)") : _("Redoing (%s)"),
                                              size = size_text (ABS (step->new_length - step->old_length))));
      run->new_length = undo ? step->old_length : step->new_length;
      /* Undoing a shrink writes the tail back; redoing it cuts again. */
      if (undo && step->old != NULL)
        run->data = g_byte_array_ref (step->old);
      if (undo && step->old_file != NULL)
        run->data_file = _maphex_undo_file_ref (step->old_file);
      break;
    default:
      g_assert_not_reached ();
    }
  run->old_length = self->length;
  run->replay = step;
  run->undo = undo;
  return run;
}

gboolean
_maphex_document_step_is_long (const MaphexStep *step)
{
  return step->kind == MAPHEX_STEP_INSERT || step->kind == MAPHEX_STEP_DELETE ||
         step->kind == MAPHEX_STEP_RESIZE ||
         (step->kind == MAPHEX_STEP_REPLACE_ALL && _maphex_document_replace_all_step_runs (step));
}

/* ------------------------------------------------------------------ */
/* Public entry points                                                 */

/* Runs `run` on this thread. NULL: it was refused (*error says why);
 * `nothing`: it has nothing to do (a length of 0). */
static gboolean
start_sync (MaphexRun *run,
            gboolean   nothing,
            GError   **error)
{
  if (run == NULL)
    return FALSE;
  if (nothing)
    {
      _maphex_run_free (run);
      return TRUE;
    }
  return _maphex_run_sync (run, error);
}

/* The same in the worker; a refusal (or nothing to do) is reported through
 * the callback. Takes `error`. */
static void
start_async (MaphexDocument      *self,
             MaphexRun           *run,
             gboolean             nothing,
             GError              *error,
             GCancellable        *cancellable,
             gpointer             source_tag,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  if (nothing)
    g_clear_pointer (&run, _maphex_run_free);
  _maphex_run_start (self, run, error, cancellable, source_tag, callback, user_data);
}

gboolean
maphex_document_insert (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           offset,
                        const guint8    *data,
                        gsize            len,
                        GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len > (gsize) G_MAXINT64)
    len = G_MAXINT64;  /* refused as too large */
  run = prepare_insert (self, own, offset, data, (gint64) len, error);
  return start_sync (run, len == 0, error);
}

void
maphex_document_insert_async (MaphexDocument      *self,
                              MaphexExport        *own,
                              gint64               offset,
                              GBytes              *data,
                              gint64               len,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);
  g_return_if_fail (data == NULL || (gsize) len == g_bytes_get_size (data));

  run = prepare_insert (self, own, offset, data ? g_bytes_get_data (data, NULL) : NULL, len, &error);
  start_async (self, run, len == 0, error, cancellable, maphex_document_insert_async,
               callback, user_data);
}

gboolean
maphex_document_delete (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           offset,
                        gint64           len,
                        GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  run = prepare_delete (self, own, offset, len, error);
  return start_sync (run, len == 0, error);
}

void
maphex_document_delete_async (MaphexDocument      *self,
                              MaphexExport        *own,
                              gint64               offset,
                              gint64               len,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);

  run = prepare_delete (self, own, offset, len, &error);
  start_async (self, run, len == 0, error, cancellable, maphex_document_delete_async,
               callback, user_data);
}

gboolean
maphex_document_resize (MaphexDocument  *self,
                        MaphexExport    *own,
                        gint64           new_length,
                        GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  run = prepare_resize (self, own, new_length, error);
  return start_sync (run, new_length == self->length, error);
}

void
maphex_document_resize_async (MaphexDocument      *self,
                              MaphexExport        *own,
                              gint64               new_length,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);

  run = prepare_resize (self, own, new_length, &error);
  start_async (self, run, new_length == self->length, error, cancellable,
               maphex_document_resize_async, callback, user_data);
}

gboolean
_maphex_document_replay_long (MaphexDocument  *self,
                              MaphexExport    *own,
                              MaphexStep      *step,
                              gboolean         undo,
                              GError         **error)
{
  MaphexRun *run = prepare_replay (self, own, step, undo, error);

  return run != NULL && _maphex_run_sync (run, error);
}

static void
replay_async (MaphexDocument      *self,
              MaphexExport        *own,
              gboolean             undo,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  gpointer tag = undo ? (gpointer) maphex_document_undo_async : (gpointer) maphex_document_redo_async;
  MaphexStep *step = g_queue_peek_head (undo ? &self->undo : &self->redo);
  GError *error = NULL;
  MaphexRun *run;

  /* In-place steps are quick: undone at once, reported the same way. */
  if (step == NULL || !_maphex_document_step_is_long (step) || self->run != NULL)
    {
      if (undo)
        maphex_document_undo (self, own, &error);
      else
        maphex_document_redo (self, own, &error);
      _maphex_run_report_error (self, tag, callback, user_data, error);
      return;
    }
  run = prepare_replay (self, own, step, undo, &error);
  _maphex_run_start (self, run, error, cancellable, tag, callback, user_data);
}

void
maphex_document_undo_async (MaphexDocument      *self,
                            MaphexExport        *own,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);
  replay_async (self, own, TRUE, cancellable, callback, user_data);
}

void
maphex_document_redo_async (MaphexDocument      *self,
                            MaphexExport        *own,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (own == NULL || own->doc == self);
  replay_async (self, own, FALSE, cancellable, callback, user_data);
}

/* ---- Save and Save As ---- */

static MaphexRun *
prepare_save (MaphexDocument *self,
              GError        **error)
{
  MaphexRun *run;

  if (_maphex_document_refuse_busy (self, error) ||
      !_maphex_document_check_save (self, error))
    return NULL;
  run = _maphex_run_new (self, RUN_SAVE, NULL, g_strdup (_("Saving")));
  run->serial = _maphex_document_current_serial (self);
  run->old_length = self->length;
  return run;
}

gboolean
maphex_document_save (MaphexDocument  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((run = prepare_save (self, error)) == NULL)
    return FALSE;
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return _maphex_run_sync (run, error);
}

void
maphex_document_save_async (MaphexDocument      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GError *error = NULL;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = prepare_save (self, &error);
  _maphex_run_start (self, run, error, cancellable, maphex_document_save_async, callback, user_data);
}

/* Save As onto the open file saves it; NULL then, with *error set or not. */
static MaphexRun *
prepare_save_as (MaphexDocument *self,
                 GFile          *dest,
                 gboolean       *saves_in_place,
                 GError        **error)
{
  g_autofree char *dest_path = NULL;
  g_autofree char *display = NULL;
  MaphexRun *run;

  *saves_in_place = FALSE;
  if (_maphex_document_refuse_busy (self, error) ||
      (dest_path = _maphex_document_dup_local_path (dest, error)) == NULL)
    return NULL;
  if (_maphex_document_is_own_file (self, dest_path))
    {
      *saves_in_place = TRUE;
      return NULL;
    }
  display = g_filename_display_basename (dest_path);
  run = _maphex_run_new (self, RUN_SAVE_AS, NULL, g_strdup_printf (_("Saving as “%s”"), display));
  run->dest_path = g_steal_pointer (&dest_path);
  run->dirty = _maphex_document_dup_dirty_ranges (self);
  run->serial = _maphex_document_current_serial (self);
  run->old_length = self->length;
  if ((run->hold = maphex_document_export (self, error)) == NULL && self->length > 0)
    {
      _maphex_run_free (run);
      return NULL;
    }
  return run;
}

gboolean
maphex_document_save_as (MaphexDocument  *self,
                         GFile           *dest,
                         GCancellable    *cancellable,
                         GError         **error)
{
  gboolean in_place;
  MaphexRun *run;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (dest), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((run = prepare_save_as (self, dest, &in_place, error)) == NULL)
    return in_place && _maphex_document_save_onto_own_file (self, cancellable, error);
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return _maphex_run_sync (run, error);
}

void
maphex_document_save_as_async (MaphexDocument      *self,
                               GFile               *dest,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GError *error = NULL;
  gboolean in_place;
  MaphexRun *run;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (dest));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = prepare_save_as (self, dest, &in_place, &error);
  if (run == NULL && in_place && self->mode != MAPHEX_MODE_READ_ONLY)
    {
      maphex_document_save_async (self, cancellable, callback, user_data);
      return;
    }
  _maphex_run_start (self, run, error, cancellable, maphex_document_save_as_async,
                     callback, user_data);
}

gboolean
maphex_document_save_as_finish (MaphexDocument  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return maphex_document_operation_finish (self, result, error);
}
