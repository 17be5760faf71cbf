/* maphex-document-history.c: the undo and redo history.
 *
 * Owns the steps, the serials that name document states, the modified /
 * can-undo / can-redo state, the memory the history holds, and replaying a
 * step for undo and redo (through the edit and shift primitives). Must not
 * call the core itself.
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
/* History                                                             */

static void
step_free (MaphexStep *step)
{
  g_clear_pointer (&step->old, g_byte_array_unref);
  g_clear_pointer (&step->old_file, _maphex_undo_file_unref);
  g_clear_pointer (&step->pattern, g_byte_array_unref);
  g_clear_pointer (&step->matches, g_bytes_unref);
  g_free (step);
}

MaphexStep *
_maphex_document_step_new (MaphexStepKind kind,
                           gint64         offset,
                           gint64         len)
{
  MaphexStep *step = g_new0 (MaphexStep, 1);

  step->kind = kind;
  step->offset = offset;
  step->len = len;
  return step;
}

GByteArray *
_maphex_document_byte_array_new_copy (const guint8 *data,
                                      gsize         len)
{
  GByteArray *array = g_byte_array_sized_new (len);

  g_byte_array_append (array, data, len);
  return array;
}

/* A buffer of `len` bytes for undo, or an error when memory is short. */
GByteArray *
_maphex_document_byte_array_try_new (gint64   len,
                                     GError **error)
{
  guint8 *data;

  if ((guint64) len > G_MAXUINT)
    data = NULL;
  else
    data = g_try_malloc (MAX (len, 1));

  if (data == NULL)
    {
      g_autofree char *size = g_format_size (len);
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                   _("Not enough memory to keep %s for undo"), size);
      return NULL;
    }
  return g_byte_array_new_take (data, len);
}

/* Reads [offset, offset + len) into a new buffer, for undo. Lock held. */
GByteArray *
_maphex_document_save_bytes_locked (MaphexDocument *self,
                                    gint64          offset,
                                    gint64          len,
                                    GError        **error)
{
  g_autoptr(GByteArray) array = _maphex_document_byte_array_try_new (len, error);

  if (array == NULL)
    return NULL;
  if (!_maphex_document_read_locked (self, offset, array->data, len, error))
    return NULL;
  return g_steal_pointer (&array);
}

guint64
_maphex_document_current_serial (MaphexDocument *self)
{
  MaphexStep *top = g_queue_peek_head (&self->undo);

  /* With every step undone, the state is the one the dropped steps left. */
  return top != NULL ? top->serial : self->trimmed_serial;
}

/* The serials of every step in the history, undo and redo: a set whose
 * keys point at the steps' own serials (g_int64_hash), good until the
 * history next changes. */
GHashTable *
_maphex_document_dup_step_serials (MaphexDocument *self)
{
  GHashTable *serials = g_hash_table_new (g_int64_hash, g_int64_equal);
  GQueue *queues[] = { &self->undo, &self->redo };

  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    for (GList *l = queues[q]->head; l != NULL; l = l->next)
      g_hash_table_add (serials, &((MaphexStep *) l->data)->serial);
  return serials;
}

void
_maphex_document_update_state (MaphexDocument *self)
{
  gboolean modified = _maphex_document_current_serial (self) != self->saved_serial;
  gboolean can_undo = !g_queue_is_empty (&self->undo);
  gboolean can_redo = !g_queue_is_empty (&self->redo);

  g_object_freeze_notify (G_OBJECT (self));
  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), _maphex_document_properties[PROP_MODIFIED]);
    }
  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), _maphex_document_properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), _maphex_document_properties[PROP_CAN_REDO]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_maphex_document_clear_queue (GQueue *queue)
{
  MaphexStep *step;

  while ((step = g_queue_pop_head (queue)) != NULL)
    step_free (step);
}

/* The memory a step holds. Removed bytes kept in a temporary file
 * (`old_file`) count nothing: they cost disk, not RAM, and the limit is
 * there to bound memory; the file goes when the step does. */
static gsize
step_bytes (const MaphexStep *step)
{
  return (step->old ? step->old->len : 0) + (step->pattern ? step->pattern->len : 0) +
         (step->matches ? g_bytes_get_size (step->matches) : 0);
}

/* Drops the oldest undo steps while the history holds more than the limit
 * (never the newest: an edit larger than the limit stays undoable), and
 * says how many went. */
static void
trim_history (MaphexDocument *self)
{
  gsize total = _maphex_document_get_history_bytes (self);
  guint dropped = 0;

  while (total > self->undo_limit && g_queue_get_length (&self->undo) > 1)
    {
      MaphexStep *oldest = g_queue_pop_tail (&self->undo);

      total -= step_bytes (oldest);
      self->trimmed_serial = oldest->serial;
      step_free (oldest);
      dropped++;
    }
  if (dropped > 0)
    g_signal_emit (self, _maphex_document_signals[HISTORY_TRIMMED], 0, dropped);
}

void
_maphex_document_push_step (MaphexDocument *self,
                            MaphexStep     *step)
{
  _maphex_document_clear_queue (&self->redo);
  step->serial = ++self->next_serial;
  g_queue_push_head (&self->undo, step);
  trim_history (self);
  _maphex_document_update_state (self);
}

void
maphex_document_set_undo_limit (MaphexDocument *self,
                                gsize           bytes)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));

  self->undo_limit = bytes;
  trim_history (self);
  _maphex_document_update_state (self);
}

gsize
maphex_document_get_undo_limit (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);

  return self->undo_limit;
}

void
_maphex_document_mark_saved (MaphexDocument *self,
                             guint64         serial)
{
  self->saved_serial = serial;
  _maphex_document_update_state (self);
}

gsize
_maphex_document_get_history_bytes (MaphexDocument *self)
{
  GQueue *queues[] = { &self->undo, &self->redo };
  gsize total = 0;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);

  for (guint q = 0; q < G_N_ELEMENTS (queues); q++)
    for (GList *l = queues[q]->head; l != NULL; l = l->next)
      {
        total += step_bytes (l->data);
      }
  return total;
}

/* ------------------------------------------------------------------ */
/* Undo and redo                                                       */

/* Undoes (undo) or redoes the head step of the undo or redo stack and moves
 * it onto the other one; a failed step stays where it was. */
static gboolean
replay_step (MaphexDocument  *self,
             MaphexExport    *own,
             gboolean         undo,
             GError         **error)
{
  MaphexStep *step = g_queue_peek_head (undo ? &self->undo : &self->redo);
  gboolean ok = FALSE;

  if (_maphex_document_refuse_busy (self, error))
    return FALSE;

  if (step == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOTHING_TO_UNDO,
                           undo ? _("There is nothing to undo") : _("There is nothing to redo"));
      return FALSE;
    }

  /* Shifts and resizes move the rest of the file: the runner does them. */
  if (_maphex_document_step_is_long (step))
    return _maphex_document_replay_long (self, own, step, undo, error);

  switch (step->kind)
    {
    case MAPHEX_STEP_WRITE:
      ok = undo ? _maphex_document_apply_in_place (self, step->offset, step->len, step->old->data, step->len,
                                                   -1, NULL, error)
                : _maphex_document_apply_in_place (self, step->offset, step->len, step->pattern->data,
                                                   step->pattern->len, -1, NULL, error);
      break;
    case MAPHEX_STEP_MOVE:
      ok = undo ? _maphex_document_apply_in_place (self, step->offset, step->len, step->old->data, step->len,
                                                   -1, NULL, error)
                : _maphex_document_apply_in_place (self, step->offset, step->len, NULL, 0, step->src, NULL, error);
      break;
    case MAPHEX_STEP_REPLACE_ALL:
      ok = _maphex_document_replay_replace_all (self, step, undo, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return FALSE;

  _maphex_document_replayed (self, step, undo);
  return TRUE;
}

void
_maphex_document_replayed (MaphexDocument *self,
                           MaphexStep     *step,
                           gboolean        undo)
{
  GQueue *from = undo ? &self->undo : &self->redo;
  GQueue *to = undo ? &self->redo : &self->undo;

  g_assert (g_queue_peek_head (from) == step);
  g_queue_pop_head (from);
  g_queue_push_head (to, step);
  _maphex_document_update_state (self);
}

gboolean
maphex_document_undo (MaphexDocument  *self,
                      MaphexExport    *own,
                      GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return replay_step (self, own, TRUE, error);
}

gboolean
maphex_document_redo (MaphexDocument  *self,
                      MaphexExport    *own,
                      GError         **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return replay_step (self, own, FALSE, error);
}
