/* maphex-document-run.c: the long-operation runner.
 *
 * Insert, delete, resize (and the undo and redo of those), Save, Save As
 * and reload run here: in a GTask worker thread for the _async calls, on the caller's
 * thread for the synchronous ones, with the same code. One runs at a time;
 * while it does, the document is "busy" and refuses every other edit with a
 * message naming the operation.
 *
 * The map lock is held per chunk, never across the whole operation, so views
 * keep reading (through their exports) while bytes move. The length changes
 * once (at the start of a growth, at the end of a shrink), with every export's
 * MmView released and taken again under the lock: the views' MaphexExports
 * stay valid, and nothing else can resize meanwhile (the document is busy).
 *
 * Cancellation is checked between chunks, and a cancelled or failed
 * operation puts the file back: an insert moves back the chunks it moved and
 * shrinks to the old length; a delete moves back and writes the removed bytes
 * (kept in memory, or from 1 MiB in an unlinked temporary file:
 * maphex-document-undo-file.c) again; a shrink keeps the cut tail until it
 * is done. A
 * cancelled copy-on-write Save writes back the file's old bytes it kept
 * before overwriting them (the file is as it was before Save); a cancelled
 * Save As removes its temporary file (no target is left).
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#define DEFAULT_RUN_CHUNK     ((gint64) 4 << 20)
#define PROGRESS_INTERVAL_MS  50

static gint64 run_chunk = DEFAULT_RUN_CHUNK;
static MaphexRunChunkHook chunk_hook;
static gpointer chunk_hook_data;

void
_maphex_document_run_set_chunk_size (gint64 chunk)
{
  gint64 page = mm_pagesize ();

  /* Whole pages: a flush (msync) starts on a page. */
  run_chunk = chunk > 0 ? (chunk + page - 1) / page * page : DEFAULT_RUN_CHUNK;
}

void
_maphex_document_run_set_chunk_hook (MaphexRunChunkHook hook,
                                     gpointer           data)
{
  chunk_hook = hook;
  chunk_hook_data = data;
}

gint64
_maphex_document_run_get_chunk_size (void)
{
  return run_chunk;
}

static void
run_release_hold (MaphexRun *run)
{
  if (run->hold != NULL)
    maphex_document_unexport (run->doc, g_steal_pointer (&run->hold));
}

void
_maphex_run_free (MaphexRun *run)
{
  run_release_hold (run);
  g_clear_pointer (&run->name, g_free);
  g_clear_pointer (&run->data, g_byte_array_unref);
  g_clear_pointer (&run->data_file, _maphex_undo_file_unref);
  g_clear_pointer (&run->dest_path, g_free);
  g_clear_pointer (&run->dirty, g_array_unref);
  g_clear_pointer (&run->query, maphex_search_query_unref);
  g_clear_pointer (&run->replacement, g_bytes_unref);
  g_clear_pointer (&run->matches, g_bytes_unref);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_clear_object (&run->doc);
  g_free (run);
}

MaphexRun *
_maphex_run_new (MaphexDocument *self,
                 RunKind         kind,
                 MaphexExport   *own,
                 char           *name)
{
  MaphexRun *run = g_new0 (MaphexRun, 1);

  run->doc = g_object_ref (self);
  run->kind = kind;
  run->own = own;
  run->name = name;
  return run;
}

/* ------------------------------------------------------------------ */
/* Progress and cancellation (worker side)                             */

GCancellable *
_maphex_run_get_cancellable (MaphexRun *run)
{
  return run != NULL ? run->cancellable : NULL;
}

void
_maphex_run_add_done (MaphexRun *run,
                      gint64     n)
{
  if (run == NULL)
    return;
  g_atomic_pointer_add (&run->done, n);
  run->chunks++;
  if (chunk_hook != NULL)
    chunk_hook (run->doc, run->chunks, chunk_hook_data);
}

void
_maphex_run_add_progress (MaphexRun *run,
                          gint64     n)
{
  if (run != NULL)
    g_atomic_pointer_add (&run->done, n);
}

void
_maphex_run_set_total (MaphexRun *run,
                       gint64     total)
{
  if (run != NULL)
    run->total = total;
}

gboolean
_maphex_run_cancelled (MaphexRun *run,
                       GError   **error)
{
  return g_cancellable_set_error_if_cancelled (run->cancellable, error);
}


static gboolean
run_work (MaphexRun *run,
          GError   **error)
{
  switch (run->kind)
    {
    case RUN_INSERT:
      return _maphex_run_work_insert (run, error);
    case RUN_DELETE:
      return _maphex_run_work_delete (run, error);
    case RUN_RESIZE:
      return _maphex_run_work_resize (run, error);
    case RUN_SAVE:
      return _maphex_document_save_work (run->doc, run, error);
    case RUN_SAVE_AS:
      _maphex_run_set_total (run, run->old_length);
      return _maphex_document_save_as_work (run->doc, run, run->dest_path, run->dirty, error);
    case RUN_RELOAD:
      return _maphex_document_reload_work (run, error);
    case RUN_SAVE_SOURCE:
      return _maphex_document_save_to_source_work (run, error);
    case RUN_REPLACE_ALL:
      return _maphex_document_replace_all_work (run, error);
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */
/* Busy state (main thread)                                            */

static gboolean
progress_tick_cb (gpointer data)
{
  MaphexDocument *self = data;

  g_object_notify (G_OBJECT (self), "progress");
  return G_SOURCE_CONTINUE;
}

static void
set_busy (MaphexDocument *self,
          MaphexRun      *run,
          gboolean        notify)
{
  self->run = run;
  self->run_started = run != NULL ? g_get_monotonic_time () : 0;
  if (self->progress_source != 0)
    {
      g_source_remove (self->progress_source);
      self->progress_source = 0;
    }
  if (!notify)
    return;
  if (run != NULL)
    {
      GSource *source = g_timeout_source_new (PROGRESS_INTERVAL_MS);

      g_source_set_callback (source, progress_tick_cb, self, NULL);
      g_source_set_static_name (source, "[maphex] operation progress");
      self->progress_source = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify (G_OBJECT (self), "busy");
  g_object_notify (G_OBJECT (self), "operation-name");
  g_object_notify (G_OBJECT (self), "progress");
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
_maphex_document_refuse_busy (MaphexDocument *self,
                              GError        **error)
{
  if (self->run == NULL)
    return FALSE;
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_BUSY,
               _("%s: wait for it to finish or cancel it"), self->run->name);
  return TRUE;
}

gboolean
maphex_document_get_busy (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->run != NULL;
}

const char *
maphex_document_get_operation_name (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  return self->run != NULL ? self->run->name : NULL;
}

double
maphex_document_get_progress (MaphexDocument *self,
                              gint64         *done,
                              gint64         *total,
                              gint64         *elapsed_us)
{
  gint64 d = 0, t = 0;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0.0);

  if (self->run != NULL)
    {
      d = (gint64) g_atomic_pointer_get (&self->run->done);
      t = self->run->total;
    }
  if (done != NULL)
    *done = d;
  if (total != NULL)
    *total = t;
  if (elapsed_us != NULL)
    *elapsed_us = self->run != NULL ? g_get_monotonic_time () - self->run_started : 0;
  return t > 0 ? CLAMP ((double) d / (double) t, 0.0, 1.0) : 0.0;
}

void
maphex_document_cancel_operation (MaphexDocument *self)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));

  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
}

/* ------------------------------------------------------------------ */
/* Completion (main thread)                                            */

static void
run_complete (MaphexRun *run)
{
  MaphexDocument *self = run->doc;
  gint64 old_length = run->old_length;

  /* Released before the result goes back: the callback finds the map free. */
  run_release_hold (run);

  if (run->kind == RUN_SAVE || run->kind == RUN_SAVE_AS || run->kind == RUN_SAVE_SOURCE)
    {
      if (run->ok && (run->kind != RUN_SAVE_AS || self->scratch))
        _maphex_document_mark_saved (self, run->serial);
      return;
    }
  if (run->kind == RUN_RELOAD)
    {
      if (run->ok)
        _maphex_document_reload_done (run);
      return;
    }
  if (run->kind == RUN_REPLACE_ALL)
    {
      _maphex_document_replace_all_done (run);
      return;
    }

  /* The monitor let the run's own writes pass; what it left is ours. */
  if (self->fd >= 0)
    _maphex_document_note_own_write (self, self->fd);
  g_object_freeze_notify (G_OBJECT (self));
  _maphex_document_notify_length_if_changed (self, old_length);
  if (run->ok)
    {
      gint64 from = run->kind == RUN_RESIZE ? MIN (old_length, self->length) : run->offset;
      MaphexStep *step = run->replay;

      if (run->replay != NULL)
        _maphex_document_replayed (self, run->replay, run->undo);
      else
        {

          switch (run->kind)
            {
            case RUN_INSERT:
              step = _maphex_document_step_new (MAPHEX_STEP_INSERT, run->offset, run->len);
              step->pattern = g_steal_pointer (&run->data);
              break;
            case RUN_DELETE:
              step = _maphex_document_step_new (MAPHEX_STEP_DELETE, run->offset, run->len);
              step->old = g_steal_pointer (&run->data);
              step->old_file = g_steal_pointer (&run->data_file);
              break;
            case RUN_RESIZE:
            default:
              step = _maphex_document_step_new (MAPHEX_STEP_RESIZE, 0, 0);
              step->old_length = old_length;
              step->new_length = run->new_length;
              step->old = g_steal_pointer (&run->data);
              step->old_file = g_steal_pointer (&run->data_file);
              break;
            }
          _maphex_document_push_step (self, step);
        }
      g_object_thaw_notify (G_OBJECT (self));
      /* What moved: `from` is where the bytes went in or out. */
      _maphex_document_emit_content_shifted (self, from,
                                             MAX (old_length - self->length, 0),
                                             MAX (self->length - old_length, 0),
                                             run->replay == NULL ? MAPHEX_SHIFT_EDIT
                                             : run->undo ? MAPHEX_SHIFT_UNDO : MAPHEX_SHIFT_REDO,
                                             step->serial);
      if (MAX (self->length, old_length) > from)
        _maphex_document_emit_bytes_changed (self, from, MAX (self->length, old_length) - from);
      return;
    }
  g_object_thaw_notify (G_OBJECT (self));
  /* A failed operation put the bytes back; views redraw what may have moved. */
  if (old_length > 0)
    _maphex_document_emit_bytes_changed (self, 0, self->length);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

/* Runs on the caller's thread; the document is busy meanwhile (so a signal
 * handler cannot start another) without any notification. */
gboolean
_maphex_run_sync (MaphexRun *run,
                  GError   **error)
{
  MaphexDocument *self = run->doc;
  gboolean ok;

  if (run->cancellable == NULL)
    run->cancellable = g_cancellable_new ();
  set_busy (self, run, FALSE);
  ok = run->ok = run_work (run, error);
  set_busy (self, NULL, FALSE);
  run_complete (run);
  _maphex_run_free (run);
  return ok;
}

static gboolean
run_finish_in_main (gpointer data)
{
  GTask *task = data;
  MaphexRun *run = g_task_get_task_data (task);
  MaphexDocument *self = run->doc;

  set_busy (self, NULL, TRUE);
  run_complete (run);
  if (run->ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&run->error));
  return G_SOURCE_REMOVE;
}

/* The worker: a thread of its own, not g_task_run_in_thread(). GLib's pool
 * keeps a reference on the task (and through it on the document) until
 * after the task function returns, which can be after the main thread has
 * handled the result and dropped its own: the document was then finalized
 * on the worker, with its map and descriptor open a moment longer than the
 * caller knew. Here the thread's one reference goes to the source that
 * finishes on the main context, and the thread touches nothing after. */
static gpointer
run_thread (gpointer data)
{
  GTask *task = data;   /* owned, handed to the source below */
  MaphexRun *run = g_task_get_task_data (task);
  GMainContext *context = run->doc->context;
  GSource *source;

  _maphex_document_unblock_fault_signals ();
  run->ok = run_work (run, &run->error);
  /* The task returns on the main context, after the document is idle and
   * the history updated, so its callback sees the result in place. Always
   * through a source: g_main_context_invoke() would run it right here when
   * no thread is iterating the main context at this moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, run_finish_in_main, task, g_object_unref);
  g_source_set_static_name (source, "[maphex] operation done");
  g_source_attach (source, context);
  g_source_unref (source);
  return NULL;
}

void
_maphex_run_async (MaphexRun           *run,
                   GCancellable        *cancellable,
                   gpointer             source_tag,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  MaphexDocument *self = run->doc;
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "[maphex] long operation");
  /* A run that finished is reported as finished, even if Cancel came late. */
  g_task_set_check_cancellable (task, FALSE);
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) _maphex_run_free);
  set_busy (self, run, TRUE);
  {
    g_autoptr(GError) thread_error = NULL;
    GTask *ref = g_object_ref (task);   /* the thread's */
    GThread *thread = g_thread_try_new ("maphex-run", run_thread, ref, &thread_error);

    /* No thread to be had: the work runs here, and still ends through the
     * main context as from a worker. */
    if (thread == NULL)
      {
        g_warning ("Cannot start a thread for “%s”: %s; running it here", run->name,
                   thread_error->message);
        run_thread (ref);
      }
    else
      g_thread_unref (thread);
  }
}

/* A refusal before anything started, reported through the callback. */
void
_maphex_run_report_error (MaphexDocument      *self,
                          gpointer             source_tag,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          GError              *error)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_maphex_run_start (MaphexDocument      *self,
                   MaphexRun           *run,
                   GError              *error,
                   GCancellable        *cancellable,
                   gpointer             source_tag,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  if (run == NULL)
    _maphex_run_report_error (self, source_tag, callback, user_data, error);
  else
    _maphex_run_async (run, cancellable, source_tag, callback, user_data);
}

gboolean
maphex_document_operation_finish (MaphexDocument  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
