/* maphex-document-run.c: the long-operation runner.
 *
 * Insert, delete, resize (and the undo and redo of those), Save and Save As
 * run here: in a GTask worker thread for the _async calls, on the caller's
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
 * (kept in memory) again; a shrink keeps the cut tail until it is done. A
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

typedef enum {
  RUN_INSERT,
  RUN_DELETE,
  RUN_RESIZE,
  RUN_SAVE,
  RUN_SAVE_AS,
} RunKind;

struct _MaphexRun {
  MaphexDocument *doc;
  RunKind         kind;
  char           *name;         /* "Inserting 16 bytes" */
  MaphexExport   *own;          /* nullable: the caller's export */
  gint64          offset;
  gint64          len;
  gint64          new_length;   /* RESIZE */
  gint64          old_length;   /* as the run began */
  GByteArray     *data;         /* INSERT: the bytes (NULL: zeros); DELETE: the removed
                                   bytes; RESIZE: a shrink's cut tail, or the tail an
                                   undone shrink writes back */
  gboolean        fresh_data;   /* DELETE/RESIZE: `data` is read by the run (a new edit) */
  MaphexStep     *replay;       /* the step undone or redone; NULL for a new edit */
  gboolean        undo;
  char           *dest_path;    /* SAVE_AS */
  MaphexExport   *hold;         /* SAVE_AS: an export held while it reads */
  GArray         *dirty;        /* SAVE_AS: the dirty ranges as it began */
  guint64         serial;       /* SAVE, SAVE_AS: the state saved */

  GCancellable   *cancellable;
  gint64          done;         /* atomic */
  gint64          total;
  guint           chunks;       /* worker: chunks done, for the test hook */
  gboolean        ok;
  GError         *error;
};

static void
run_release_hold (MaphexRun *run)
{
  if (run->hold != NULL)
    maphex_document_unexport (run->doc, g_steal_pointer (&run->hold));
}

static void
run_free (MaphexRun *run)
{
  run_release_hold (run);
  g_clear_pointer (&run->name, g_free);
  g_clear_pointer (&run->data, g_byte_array_unref);
  g_clear_pointer (&run->dest_path, g_free);
  g_clear_pointer (&run->dirty, g_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_clear_object (&run->doc);
  g_free (run);
}

static MaphexRun *
run_new (MaphexDocument *self,
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
_maphex_run_set_total (MaphexRun *run,
                       gint64     total)
{
  if (run != NULL)
    run->total = total;
}

static gboolean
run_cancelled (MaphexRun *run,
               GError   **error)
{
  return g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

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
  gint64 got = 0;
  struct stat st;

  while (got < count)
    {
      ssize_t n = pread (self->fd, buffer + got, (size_t) (count - got), src + got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                       _("Cannot read the file: %s"), g_strerror (errsv));
          return FALSE;
        }
      if (n == 0)
        break;
      got += n;
    }
  if (got < count && dest > src)
    got = 0;
  /* Never write past the file's end: that would grow back a file that
   * another program cut. */
  if (fstat (self->fd, &st) != 0 || dest + got > st.st_size)
    got = 0;
  for (gint64 done = 0; done < got; )
    {
      ssize_t n = pwrite (self->fd, buffer + done, (size_t) (got - done), dest + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int errsv = n < 0 ? errno : EIO;
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                       _("Cannot write the file: %s"), g_strerror (errsv));
          return FALSE;
        }
      done += n;
    }
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
  g_autofree guint8 *buffer = self->fd >= 0 && count > 0 ? g_malloc (MIN (run_chunk, count)) : NULL;

  *moved = 0;
  while (*moved < count)
    {
      gint64 n = MIN (run_chunk, count - *moved);
      gint64 at = down ? count - *moved - n : *moved;

      if (run != NULL && run_cancelled (run, error))
        return FALSE;
      if (!move_chunk (self, buffer, dest + at, src + at, n, error))
        return FALSE;
      *moved += n;
      _maphex_run_add_done (run, n);
    }
  return TRUE;
}

/* Writes `bytes` (NULL: zeros) over [offset, offset + len) in chunks. */
static gboolean
write_in_chunks (MaphexDocument *self,
                 MaphexRun      *run,
                 gint64          offset,
                 gint64          len,
                 const guint8   *bytes,
                 GError        **error)
{
  static const guint8 zero = 0;

  for (gint64 done = 0; done < len; )
    {
      gint64 n = MIN (run_chunk, len - done);

      if (run != NULL && run_cancelled (run, error))
        return FALSE;
      if (!write_chunk (self, offset + done, n, bytes ? bytes + done : &zero, bytes ? n : 1, error))
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
      gint64 n = MIN (run_chunk, len - done);
      gboolean ok;

      if (run_cancelled (run, error))
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
static gboolean
work_insert (MaphexRun *run,
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
  if (!write_in_chunks (self, run, offset, len, run->data ? run->data->data : NULL, error))
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
 * again. The removed bytes are read first (they are kept for undo too). */
static gboolean
work_delete (MaphexRun *run,
             GError   **error)
{
  MaphexDocument *self = run->doc;
  gint64 offset = run->offset, len = run->len, old = run->old_length;
  gint64 tail = old - offset - len;
  gint64 moved = 0;

  _maphex_run_set_total (run, (run->fresh_data ? len : 0) + tail);
  if (run->fresh_data &&
      (run->data = read_in_chunks (self, run, offset, len, error)) == NULL)
    return FALSE;

  if (!move_in_chunks (self, run, offset, offset + len, tail, &moved, error))
    {
      /* An ascending chunk that faults moved what lay below the lost page:
       * count it as moved; what the file no longer backs is clamped off. */
      if (g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
        moved = MIN (tail, moved + run_chunk);
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
                     run->data != NULL ? run->data->data : NULL, NULL);
  }
  return FALSE;
}

/* Shrinking reads the cut tail (for undo) first, then cuts once; growing
 * grows once, then writes `data` (an undone shrink's tail) if any. */
static gboolean
work_resize (MaphexRun *run,
             GError   **error)
{
  MaphexDocument *self = run->doc;
  gint64 old = run->old_length, new_length = run->new_length;

  if (new_length < old)
    {
      _maphex_run_set_total (run, run->fresh_data ? old - new_length : 0);
      if (run->fresh_data &&
          (run->data = read_in_chunks (self, run, new_length, old - new_length, error)) == NULL)
        return FALSE;
      if (run_cancelled (run, error))
        return FALSE;
      return resize_with_exports (self, new_length, error);
    }

  _maphex_run_set_total (run, run->data != NULL ? new_length - old : 0);
  if (!resize_with_exports (self, new_length, error))
    return FALSE;
  if (run->data != NULL &&
      !write_in_chunks (self, run, old, new_length - old, run->data->data, error))
    {
      note_shrink (self, error);
      resize_with_exports (self, old, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_work (MaphexRun *run,
          GError   **error)
{
  switch (run->kind)
    {
    case RUN_INSERT:
      return work_insert (run, error);
    case RUN_DELETE:
      return work_delete (run, error);
    case RUN_RESIZE:
      return work_resize (run, error);
    case RUN_SAVE:
      return _maphex_document_save_work (run->doc, run, error);
    case RUN_SAVE_AS:
      _maphex_run_set_total (run, run->old_length);
      return _maphex_document_save_as_work (run->doc, run, run->dest_path, run->dirty, error);
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

  if (run->kind == RUN_SAVE || run->kind == RUN_SAVE_AS)
    {
      if (run->ok && (run->kind == RUN_SAVE || self->scratch))
        _maphex_document_mark_saved (self, run->serial);
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

      if (run->replay != NULL)
        _maphex_document_replayed (self, run->replay, run->undo);
      else
        {
          MaphexStep *step;

          switch (run->kind)
            {
            case RUN_INSERT:
              step = _maphex_document_step_new (MAPHEX_STEP_INSERT, run->offset, run->len);
              step->pattern = g_steal_pointer (&run->data);
              break;
            case RUN_DELETE:
              step = _maphex_document_step_new (MAPHEX_STEP_DELETE, run->offset, run->len);
              step->old = g_steal_pointer (&run->data);
              break;
            case RUN_RESIZE:
            default:
              step = _maphex_document_step_new (MAPHEX_STEP_RESIZE, 0, 0);
              step->old_length = old_length;
              step->new_length = run->new_length;
              step->old = g_steal_pointer (&run->data);
              break;
            }
          _maphex_document_push_step (self, step);
        }
      g_object_thaw_notify (G_OBJECT (self));
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
static gboolean
run_sync (MaphexRun *run,
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
  run_free (run);
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

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MaphexRun *run = task_data;
  MaphexDocument *self = run->doc;

  _maphex_document_unblock_fault_signals ();
  run->ok = run_work (run, &run->error);
  /* The task returns on the main context, after the document is idle and
   * the history updated, so its callback sees the result in place. Always
   * through a source: g_main_context_invoke() would run it right here when
   * no thread is iterating the main context at this moment. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, run_finish_in_main, g_object_ref (task), g_object_unref);
    g_source_set_static_name (source, "[maphex] operation done");
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
}

static void
run_async (MaphexRun           *run,
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
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  set_busy (self, run, TRUE);
  g_task_run_in_thread (task, run_thread);
}

/* A refusal before anything started, reported through the callback. */
static void
report_error (MaphexDocument      *self,
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

gboolean
maphex_document_operation_finish (MaphexDocument  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

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
  run = run_new (self, RUN_INSERT, own,
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
  run = run_new (self, RUN_DELETE, own,
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
  run = run_new (self, RUN_RESIZE, own,
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

  if (!maphex_document_check_length_change (self, own, error))
    return NULL;

  switch (step->kind)
    {
    case MAPHEX_STEP_INSERT:
    case MAPHEX_STEP_DELETE:
      grow = (step->kind == MAPHEX_STEP_INSERT) != undo;
      run = run_new (self, grow ? RUN_INSERT : RUN_DELETE, own,
                     g_strdup_printf (undo ? _("Undoing (%s)") : _("Redoing (%s)"),
                                      size = size_text (step->len)));
      run->offset = step->offset;
      run->len = step->len;
      {
        GByteArray *bytes = step->kind == MAPHEX_STEP_INSERT ? step->pattern : step->old;
        if (bytes != NULL)
          run->data = g_byte_array_ref (bytes);
      }
      break;
    case MAPHEX_STEP_RESIZE:
      run = run_new (self, RUN_RESIZE, own,
                     g_strdup_printf (undo ? _("Undoing (%s)") : _("Redoing (%s)"),
                                      size = size_text (ABS (step->new_length - step->old_length))));
      run->new_length = undo ? step->old_length : step->new_length;
      /* Undoing a shrink writes the tail back; redoing it cuts again. */
      if (undo && step->old != NULL)
        run->data = g_byte_array_ref (step->old);
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
         step->kind == MAPHEX_STEP_RESIZE;
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
      run_free (run);
      return TRUE;
    }
  return run_sync (run, error);
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
  if (run == NULL || nothing)
    {
      g_clear_pointer (&run, run_free);
      report_error (self, source_tag, callback, user_data, error);
      return;
    }
  run_async (run, cancellable, source_tag, callback, user_data);
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

  return run != NULL && run_sync (run, error);
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
      report_error (self, tag, callback, user_data, error);
      return;
    }
  if ((run = prepare_replay (self, own, step, undo, &error)) == NULL)
    {
      report_error (self, tag, callback, user_data, error);
      return;
    }
  run_async (run, cancellable, tag, callback, user_data);
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
  run = run_new (self, RUN_SAVE, NULL, g_strdup (_("Saving")));
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
  return run_sync (run, error);
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

  if ((run = prepare_save (self, &error)) == NULL)
    {
      report_error (self, maphex_document_save_async, callback, user_data, error);
      return;
    }
  run_async (run, cancellable, maphex_document_save_async, callback, user_data);
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
  run = run_new (self, RUN_SAVE_AS, NULL, g_strdup_printf (_("Saving as “%s”"), display));
  run->dest_path = g_steal_pointer (&dest_path);
  run->dirty = _maphex_document_dup_dirty_ranges (self);
  run->serial = _maphex_document_current_serial (self);
  run->old_length = self->length;
  if ((run->hold = maphex_document_export (self, error)) == NULL && self->length > 0)
    {
      run_free (run);
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
  return run_sync (run, error);
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

  if ((run = prepare_save_as (self, dest, &in_place, &error)) == NULL)
    {
      if (in_place && self->mode != MAPHEX_MODE_READ_ONLY)
        {
          maphex_document_save_async (self, cancellable, callback, user_data);
          return;
        }
      report_error (self, maphex_document_save_as_async, callback, user_data, error);
      return;
    }
  run_async (run, cancellable, maphex_document_save_as_async, callback, user_data);
}

gboolean
maphex_document_save_as_finish (MaphexDocument  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return maphex_document_operation_finish (self, result, error);
}
