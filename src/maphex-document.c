/* maphex-document.c: one open file (or scratch buffer) = one MmMap.
 *
 * Every core call runs under `map_lock`. Edits record, for undo, only the
 * bytes they change (old and new), never the file. Copy-on-write saves write
 * back only the ranges edited since the last save.
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

#define CHUNK_SIZE ((gint64) 1 << 20)
/* Events on the file this soon after we changed its length ourselves are ours. */
#define OWN_WRITE_WINDOW_USEC (3 * G_USEC_PER_SEC)

/* Numbers in translatable messages are written %lld with a (long long) cast:
 * xgettext cannot read a msgid split by G_GINT64_FORMAT. */

G_DEFINE_ENUM_TYPE (MaphexMode, maphex_mode,
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_READ_ONLY, "read-only"),
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_COPY_ON_WRITE, "copy-on-write"),
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_WRITE_THROUGH, "write-through"))

G_DEFINE_QUARK (maphex-document-error-quark, maphex_document_error)

G_DEFINE_FINAL_TYPE (MaphexDocument, maphex_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_MODE,
  PROP_SCRATCH,
  PROP_LENGTH,
  PROP_MODIFIED,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_CAN_EDIT,
  PROP_CAN_RESIZE,
  N_PROPS
};

enum {
  BYTES_CHANGED,
  FILE_CHANGED,
  FILE_SHRUNK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static guint scratch_counter;

/* ------------------------------------------------------------------ */
/* Modes and errors                                                    */

const char *
maphex_mode_to_string (MaphexMode mode)
{
  switch (mode)
    {
    case MAPHEX_MODE_READ_ONLY:
      return _("Read-only");
    case MAPHEX_MODE_COPY_ON_WRITE:
      return _("Copy-on-write");
    case MAPHEX_MODE_WRITE_THROUGH:
      return _("Write-through");
    default:
      g_return_val_if_reached (NULL);
    }
}

GError *
_maphex_document_error_from_mm (const MmError *mm_error)
{
  int code;

  g_return_val_if_fail (mm_error != NULL, NULL);

  switch (mm_error->status)
    {
    case MM_ERROR_CLOSED:      code = MAPHEX_DOCUMENT_ERROR_CLOSED; break;
    case MM_ERROR_READONLY:    code = MAPHEX_DOCUMENT_ERROR_READONLY; break;
    case MM_ERROR_RANGE:       code = MAPHEX_DOCUMENT_ERROR_RANGE; break;
    case MM_ERROR_INVALID:     code = MAPHEX_DOCUMENT_ERROR_INVALID; break;
    case MM_ERROR_EXPORTED:    code = MAPHEX_DOCUMENT_ERROR_EXPORTED; break;
    case MM_ERROR_UNSUPPORTED: code = MAPHEX_DOCUMENT_ERROR_UNSUPPORTED; break;
    case MM_ERROR_FAULT:       code = MAPHEX_DOCUMENT_ERROR_FAULT; break;
    case MM_OK:
    case MM_ERROR_OS:
    default:                   code = MAPHEX_DOCUMENT_ERROR_OS; break;
    }

  if (mm_error->message[0] != '\0')
    {
      /* The core writes its messages lowercase, to compose ("seek out of
       * range: 70 > length 64"); a GError message is shown to users on its
       * own or after "Cannot save “x”: ", as g_strerror's are: a sentence. */
      g_autofree char *message = g_strndup (mm_error->message, sizeof mm_error->message);

      message[0] = g_ascii_toupper (message[0]);
      return g_error_new_literal (MAPHEX_DOCUMENT_ERROR, code, message);
    }
  if (mm_error->sys_errno != 0)
    return g_error_new_literal (MAPHEX_DOCUMENT_ERROR, code, g_strerror (mm_error->sys_errno));
  return g_error_new_literal (MAPHEX_DOCUMENT_ERROR, code, _("The memory map failed"));
}

static gboolean
emit_file_shrunk_cb (gpointer data)
{
  MaphexDocument *self = data;

  /* A reload between the fault and this idle ended the episode: the map
   * is the file as it is now, and there is nothing to report. */
  if (g_atomic_int_get (&self->shrunk_reported))
    g_signal_emit (self, signals[FILE_SHRUNK], 0);
  return G_SOURCE_REMOVE;
}

void
_maphex_document_report_fault (MaphexDocument *self)
{
  g_autoptr(GSource) source = NULL;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));

  if (!g_atomic_int_compare_and_exchange (&self->shrunk_reported, 0, 1))
    return;

  /* Always from the main context, never under the map lock: a handler may
   * call the document, or wait for a search thread that waits for the lock. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH_IDLE);
  g_source_set_callback (source, emit_file_shrunk_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[maphex] file-shrunk");
  g_source_attach (source, self->context);
}

void
_maphex_document_propagate_mm_error (MaphexDocument *self,
                                     GError        **error,
                                     const MmError  *mm_error)
{
  if (mm_error->status == MM_ERROR_FAULT)
    _maphex_document_report_fault (self);
  g_propagate_error (error, _maphex_document_error_from_mm (mm_error));
}

void
_maphex_document_unblock_fault_signals (void)
{
  sigset_t faults;

  sigemptyset (&faults);
  sigaddset (&faults, SIGBUS);
  sigaddset (&faults, SIGSEGV);
  pthread_sigmask (SIG_UNBLOCK, &faults, NULL);
}

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

static gboolean
check_range (MaphexDocument *self,
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

static int
io_error_code_from_errno (int errsv)
{
  if (errsv == EACCES || errsv == EPERM || errsv == EROFS)
    return G_IO_ERROR_PERMISSION_DENIED;
  return g_io_error_from_errno (errsv);
}

/* ------------------------------------------------------------------ */
/* Locking and raw operations (lock held, no signals)                  */

MmMap *
_maphex_document_lock_map (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  g_rec_mutex_lock (&self->map_lock);
  return self->map;
}

void
_maphex_document_unlock_map (MaphexDocument *self)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));

  g_rec_mutex_unlock (&self->map_lock);
}

MmView *
_maphex_export_get_view (MaphexExport *export_)
{
  g_return_val_if_fail (export_ != NULL, NULL);

  return export_->view;
}

static gboolean
read_locked (MaphexDocument *self,
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
static gboolean
write_locked (MaphexDocument *self,
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

static gboolean
move_locked (MaphexDocument *self,
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

static void
note_own_write (MaphexDocument *self,
                int             fd)
{
  struct stat st;

  self->own_write_time = g_get_monotonic_time ();
  if (fd >= 0 && fstat (fd, &st) == 0)
    {
      self->known_mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
      self->known_size = st.st_size;
    }
}

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
      note_own_write (self, self->fd);
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
  if (!move_locked (self, offset + len, offset, old_length - offset, error))
    {
      /* The move runs down from the end, the part the file loses first, and
       * stops at the first lost page: nothing below the file's new end was
       * moved, so moving back would only shift bytes that never moved. */
      resize_locked (self, old_length, NULL);
      return FALSE;
    }
  if (!write_locked (self, offset, len, data ? data : &zero, data ? len : 1, error))
    {
      /* Moving back runs up from `offset` and stops at the first lost page. */
      move_locked (self, offset, offset + len, old_length - offset, NULL);
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
  if (!move_locked (self, offset, offset + len, tail, error))
    {
      /* Only a fault stops the move: the file shrank under the map. The move
       * runs up and stops where its source reaches the first lost page (its
       * pieces never cross a page): put back what it moved and the deleted
       * bytes, as far as the file still reaches. */
      gint64 backed = backed_length_locked (self);

      move_locked (self, offset + len, offset, CLAMP (backed - offset - len, 0, tail), NULL);
      write_locked (self, offset, CLAMP (backed - offset, 0, len),
                    deleted ? deleted : &zero, deleted ? len : 1, NULL);
      return FALSE;
    }
  if (!resize_locked (self, old_length - len, error))
    {
      move_locked (self, offset + len, offset, tail, NULL);
      write_locked (self, offset, len, deleted ? deleted : &zero, deleted ? len : 1, NULL);
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

  /* first: the first range that ends at or after start (touching merges) */
  for (first = 0; first < self->dirty->len && ranges[first].end < start; first++)
    ;
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
/* History                                                             */

static void
step_free (MaphexStep *step)
{
  g_clear_pointer (&step->old, g_byte_array_unref);
  g_clear_pointer (&step->pattern, g_byte_array_unref);
  g_free (step);
}

static MaphexStep *
step_new (MaphexStepKind kind,
          gint64         offset,
          gint64         len)
{
  MaphexStep *step = g_new0 (MaphexStep, 1);

  step->kind = kind;
  step->offset = offset;
  step->len = len;
  return step;
}

static GByteArray *
byte_array_new_copy (const guint8 *data,
                     gsize         len)
{
  GByteArray *array = g_byte_array_sized_new (len);

  g_byte_array_append (array, data, len);
  return array;
}

/* A buffer of `len` bytes for undo, or an error when memory is short. */
static GByteArray *
byte_array_try_new (gint64   len,
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
static GByteArray *
save_bytes_locked (MaphexDocument *self,
                   gint64          offset,
                   gint64          len,
                   GError        **error)
{
  g_autoptr(GByteArray) array = byte_array_try_new (len, error);

  if (array == NULL)
    return NULL;
  if (!read_locked (self, offset, array->data, len, error))
    return NULL;
  return g_steal_pointer (&array);
}

static guint64
current_serial (MaphexDocument *self)
{
  MaphexStep *top = g_queue_peek_head (&self->undo);

  return top != NULL ? top->serial : 0;
}

static void
update_state (MaphexDocument *self)
{
  gboolean modified = current_serial (self) != self->saved_serial;
  gboolean can_undo = !g_queue_is_empty (&self->undo);
  gboolean can_redo = !g_queue_is_empty (&self->redo);

  g_object_freeze_notify (G_OBJECT (self));
  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_queue (GQueue *queue)
{
  MaphexStep *step;

  while ((step = g_queue_pop_head (queue)) != NULL)
    step_free (step);
}

static void
push_step (MaphexDocument *self,
           MaphexStep     *step)
{
  clear_queue (&self->redo);
  step->serial = ++self->next_serial;
  g_queue_push_head (&self->undo, step);
  update_state (self);
}

static void
mark_saved (MaphexDocument *self,
            guint64         serial)
{
  self->saved_serial = serial;
  update_state (self);
}

guint
_maphex_document_get_n_size_syncs (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);
  return self->n_size_syncs;
}

guint
_maphex_document_get_n_dir_syncs (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);
  return (guint) g_atomic_int_get (&self->n_dir_syncs);
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
        MaphexStep *step = l->data;

        total += step->old ? step->old->len : 0;
        total += step->pattern ? step->pattern->len : 0;
      }
  return total;
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */

static void
emit_bytes_changed (MaphexDocument *self,
                    gint64          offset,
                    gint64          len)
{
  if (len > 0)
    g_signal_emit (self, signals[BYTES_CHANGED], 0, offset, len);
}

static void
notify_length_if_changed (MaphexDocument *self,
                          gint64          old_length)
{
  if (self->length != old_length)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LENGTH]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
maphex_document_dispose (GObject *object)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (object);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  G_OBJECT_CLASS (maphex_document_parent_class)->dispose (object);
}

static void
maphex_document_finalize (GObject *object)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (object);

  /* Every export holds a reference, so none is left. */
  g_assert (self->exports->len == 0);

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  g_clear_pointer (&self->map, mm_map_free);
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->exports, g_ptr_array_unref);
  g_clear_pointer (&self->dirty, g_array_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_rec_mutex_clear (&self->map_lock);

  G_OBJECT_CLASS (maphex_document_parent_class)->finalize (object);
}

static void
maphex_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_SCRATCH:
      g_value_set_boolean (value, self->scratch);
      break;
    case PROP_LENGTH:
      g_value_set_int64 (value, self->length);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_CAN_EDIT:
      g_value_set_boolean (value, maphex_document_get_can_edit (self));
      break;
    case PROP_CAN_RESIZE:
      g_value_set_boolean (value, maphex_document_get_can_resize (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_document_class_init (MaphexDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = maphex_document_dispose;
  object_class->finalize = maphex_document_finalize;
  object_class->get_property = maphex_document_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, MAPHEX_TYPE_MODE, MAPHEX_MODE_COPY_ON_WRITE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCRATCH] =
    g_param_spec_boolean ("scratch", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LENGTH] =
    g_param_spec_int64 ("length", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_EDIT] =
    g_param_spec_boolean ("can-edit", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_RESIZE] =
    g_param_spec_boolean ("can-resize", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BYTES_CHANGED] =
    g_signal_new ("bytes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[FILE_CHANGED] =
    g_signal_new ("file-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FILE_SHRUNK] =
    g_signal_new ("file-shrunk", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
maphex_document_init (MaphexDocument *self)
{
  g_rec_mutex_init (&self->map_lock);
  self->fd = -1;
  self->mode = MAPHEX_MODE_COPY_ON_WRITE;
  self->exports = g_ptr_array_new ();
  self->dirty = g_array_new (FALSE, FALSE, sizeof (MaphexRange));
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
  self->context = g_main_context_ref_thread_default ();
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data);

static gboolean
open_file_fd (const char  *path,
              MaphexMode   mode,
              int         *out_fd,
              struct stat *out_st,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int flags;
  int fd;

  /* Check the type before open(2): opening a device or a FIFO can block or
   * have side effects. fstat() below checks again what was opened. */
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    goto not_regular;

  flags = (mode == MAPHEX_MODE_WRITE_THROUGH ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  fd = open (path, flags);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == EISDIR)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                     _("“%s” is a folder, not a regular file"), display);
      else if (mode == MAPHEX_MODE_WRITE_THROUGH)
        g_set_error (error, G_IO_ERROR, io_error_code_from_errno (errsv),
                     _("Cannot open “%s” for writing: %s"), display, g_strerror (errsv));
      else
        g_set_error (error, G_IO_ERROR, io_error_code_from_errno (errsv),
                     _("Cannot open “%s”: %s"), display, g_strerror (errsv));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot read the attributes of “%s”: %s"), display, g_strerror (errsv));
      close (fd);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      goto not_regular;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot open “%s”: %s"), display, g_strerror (errsv));
      close (fd);
      return FALSE;
    }

  *out_fd = fd;
  *out_st = st;
  return TRUE;

not_regular:
  if (S_ISDIR (st.st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                 _("“%s” is a folder, not a regular file"), display);
  else
    {
      const char *kind;

      if (S_ISFIFO (st.st_mode))
        kind = _("a FIFO");
      else if (S_ISCHR (st.st_mode))
        kind = _("a character device");
      else if (S_ISBLK (st.st_mode))
        kind = _("a block device");
      else if (S_ISSOCK (st.st_mode))
        kind = _("a socket");
      else
        kind = _("a special file");
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,
                   _("“%s” is %s, not a regular file"), display, kind);
    }
  return FALSE;
}

static MmAccess
access_for_mode (MaphexMode mode)
{
  switch (mode)
    {
    case MAPHEX_MODE_READ_ONLY:     return MM_ACCESS_READ;
    case MAPHEX_MODE_WRITE_THROUGH: return MM_ACCESS_WRITE;
    case MAPHEX_MODE_COPY_ON_WRITE:
    default:                        return MM_ACCESS_COPY;
    }
}

/* Maps the whole file, or nothing when it is empty. Never reads its data. */
static gboolean
map_fd (const char  *path,
        int          fd,
        gint64       size,
        MaphexMode   mode,
        MmMap      **out_map,
        GError     **error)
{
  MmError mm_error;

  *out_map = NULL;
  if (size == 0)
    return TRUE;

  if (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, access_for_mode (mode),
                  0, true, out_map, &mm_error) != MM_OK &&
      /* A private writable map larger than memory (a 1 TiB sparse file) is
       * refused by the kernel's overcommit heuristic: ask for the same map
       * without a reservation. DEFAULT access keeps these flags; the core
       * would then allow resize, which the document refuses in this mode. */
      !(mode == MAPHEX_MODE_COPY_ON_WRITE &&
        mm_error.status == MM_ERROR_OS && mm_error.sys_errno == ENOMEM &&
        mm_map_new (fd, 0, MAP_PRIVATE | MAP_NORESERVE, PROT_READ | PROT_WRITE,
                    MM_ACCESS_DEFAULT, 0, true, out_map, &mm_error) == MM_OK))
    {
      g_autoptr(GError) local_error = _maphex_document_error_from_mm (&mm_error);
      g_autofree char *display = g_filename_display_name (path);

      *out_map = NULL;
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, local_error->code,
                   _("Cannot map “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
set_known_state (MaphexDocument    *self,
                 const struct stat *st)
{
  self->known_mtime = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
  self->known_size = st->st_size;
}

MaphexDocument *
maphex_document_new_for_file (GFile       *file,
                              MaphexMode   mode,
                              GError     **error)
{
  g_autoptr(MaphexDocument) self = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) monitor_error = NULL;
  MmMap *map = NULL;
  struct stat st;
  int fd = -1;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (mode == MAPHEX_MODE_READ_ONLY ||
                        mode == MAPHEX_MODE_COPY_ON_WRITE ||
                        mode == MAPHEX_MODE_WRITE_THROUGH, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot open “%s”: only local files can be mapped"), uri);
      return NULL;
    }

  if (!open_file_fd (path, mode, &fd, &st, error))
    return NULL;
  if (!map_fd (path, fd, st.st_size, mode, &map, error))
    {
      close (fd);
      return NULL;
    }

  self = g_object_new (MAPHEX_TYPE_DOCUMENT, NULL);
  self->file = g_object_ref (file);
  self->path = g_steal_pointer (&path);
  self->mode = mode;
  self->fd = fd;
  self->map = map;
  self->length = st.st_size;
  set_known_state (self, &st);

  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &monitor_error);
  if (self->monitor != NULL)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self);
  else
    g_debug ("No file monitor for %s: %s", self->path, monitor_error->message);

  return g_steal_pointer (&self);
}

MaphexDocument *
maphex_document_new_scratch (gint64    size,
                             GError  **error)
{
  g_autoptr(MaphexDocument) self = NULL;
  MmError mm_error;
  MmMap *map = NULL;

  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Private, and readable and writable under DEFAULT access: resizable. */
  if (mm_map_new (-1, size, MAP_PRIVATE, PROT_READ | PROT_WRITE, MM_ACCESS_DEFAULT,
                  0, true, &map, &mm_error) != MM_OK)
    {
      g_propagate_error (error, _maphex_document_error_from_mm (&mm_error));
      return NULL;
    }

  self = g_object_new (MAPHEX_TYPE_DOCUMENT, NULL);
  self->scratch = TRUE;
  self->scratch_number = (guint) g_atomic_int_add (&scratch_counter, 1) + 1;
  self->mode = MAPHEX_MODE_WRITE_THROUGH;
  self->map = map;
  self->length = size;
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

GFile *
maphex_document_get_file (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  return self->file;
}

gboolean
maphex_document_is_scratch (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->scratch;
}

char *
maphex_document_dup_display_name (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  if (self->scratch)
    return g_strdup_printf (_("Untitled %u"), self->scratch_number);
  return g_filename_display_basename (self->path);
}

MaphexMode
maphex_document_get_mode (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), MAPHEX_MODE_READ_ONLY);
  return self->mode;
}

gint64
maphex_document_get_length (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);
  return self->length;
}

gboolean
maphex_document_get_modified (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->modified;
}

gboolean
maphex_document_get_can_undo (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->can_undo;
}

gboolean
maphex_document_get_can_redo (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->can_redo;
}

gboolean
maphex_document_get_can_edit (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->mode != MAPHEX_MODE_READ_ONLY;
}

gboolean
maphex_document_get_can_resize (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return maphex_document_get_resize_refusal (self) == NULL;
}

const char *
maphex_document_get_resize_refusal (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  if (self->scratch || self->mode == MAPHEX_MODE_WRITE_THROUGH)
    return NULL;
  if (self->mode == MAPHEX_MODE_COPY_ON_WRITE)
    return _("Copy-on-write maps cannot be resized: reopen the file in write-through mode");
  return _("Read-only maps cannot be resized: reopen the file in write-through mode");
}

/* ------------------------------------------------------------------ */
/* Exports                                                             */

MaphexExport *
maphex_document_export (MaphexDocument  *self,
                        GError         **error)
{
  MaphexExport *export_;
  MmView *view = NULL;
  MmError mm_error;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_rec_mutex_lock (&self->map_lock);
  if (self->map != NULL && mm_map_export (self->map, &view, &mm_error) != MM_OK)
    {
      g_rec_mutex_unlock (&self->map_lock);
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      return NULL;
    }
  export_ = g_new0 (MaphexExport, 1);
  export_->doc = g_object_ref (self);
  export_->view = view;
  g_ptr_array_add (self->exports, export_);
  g_rec_mutex_unlock (&self->map_lock);

  return export_;
}

void
maphex_document_unexport (MaphexDocument *self,
                          MaphexExport   *export_)
{
  gboolean found;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (export_ != NULL);
  g_return_if_fail (export_->doc == self);

  g_rec_mutex_lock (&self->map_lock);
  found = g_ptr_array_remove (self->exports, export_);
  if (found)
    g_clear_pointer (&export_->view, mm_view_release);
  g_rec_mutex_unlock (&self->map_lock);

  g_return_if_fail (found);

  export_->doc = NULL;
  g_free (export_);
  /* Last: this may finalize the document. */
  g_object_unref (self);
}

guint
maphex_document_get_n_exports (MaphexDocument *self)
{
  guint n;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), 0);

  g_rec_mutex_lock (&self->map_lock);
  n = self->exports->len;
  g_rec_mutex_unlock (&self->map_lock);
  return n;
}

gint64
maphex_export_get_length (MaphexExport *export_)
{
  gint64 len;

  g_return_val_if_fail (export_ != NULL, 0);
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (export_->doc), 0);

  g_rec_mutex_lock (&export_->doc->map_lock);
  len = export_->view != NULL ? mm_view_len (export_->view) : 0;
  g_rec_mutex_unlock (&export_->doc->map_lock);
  return len;
}

gboolean
maphex_export_copy (MaphexExport  *export_,
                    gint64         offset,
                    guint8        *dst,
                    gsize          n,
                    GError       **error)
{
  MaphexDocument *self;
  MmError mm_error;
  gint64 len;
  MmStatus status;

  g_return_val_if_fail (export_ != NULL, FALSE);
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (export_->doc), FALSE);
  g_return_val_if_fail (dst != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = export_->doc;
  g_rec_mutex_lock (&self->map_lock);
  len = export_->view != NULL ? mm_view_len (export_->view) : 0;
  if (offset < 0 || n > (guint64) G_MAXINT64 || offset > len || (gint64) n > len - offset)
    {
      g_rec_mutex_unlock (&self->map_lock);
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("The range of %zu bytes at offset %lld is outside the view (length %lld)"),
                   n, (long long) offset, (long long) len);
      return FALSE;
    }
  if (n == 0)
    {
      g_rec_mutex_unlock (&self->map_lock);
      return TRUE;
    }
  status = mm_view_copy (export_->view, offset, dst, (gint64) n, &mm_error);
  g_rec_mutex_unlock (&self->map_lock);

  if (status != MM_OK)
    {
      _maphex_document_propagate_mm_error (self, error, &mm_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
maphex_document_read (MaphexDocument  *self,
                      gint64           offset,
                      guint8          *dst,
                      gsize            n,
                      GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (dst != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_rec_mutex_lock (&self->map_lock);
  if (n > (guint64) G_MAXINT64)
    n = G_MAXINT64;  /* check_range refuses it */
  ok = check_range (self, offset, (gint64) n, error) &&
       read_locked (self, offset, dst, (gint64) n, error);
  g_rec_mutex_unlock (&self->map_lock);
  return ok;
}

/* ------------------------------------------------------------------ */
/* In-place edits                                                      */

/* Puts `old` back over [offset, offset + len) after an edit failed partway,
 * one page at a time and on past the pages that fault, so that every page
 * that can still be written gets its bytes back, whichever way the edit ran.
 * Lock held. */
static void
restore_locked (MaphexDocument *self,
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
static gboolean
apply_in_place (MaphexDocument *self,
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
  ok = (pattern != NULL || check_range (self, src, len, error)) &&
       check_range (self, offset, len, error);
  if (ok && len > 0 && (pattern != NULL || src != offset))
    {
      saved = save_bytes_locked (self, offset, len, error);
      ok = saved != NULL &&
           (pattern != NULL ? write_locked (self, offset, len, pattern, pattern_len, error)
                            : move_locked (self, offset, src, len, error));
      if (!ok && saved != NULL)
        restore_locked (self, offset, saved->data, len);
    }
  g_rec_mutex_unlock (&self->map_lock);
  if (!ok)
    return FALSE;

  if (saved != NULL)
    {
      mark_dirty (self, offset, offset + len);
      emit_bytes_changed (self, offset, len);
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

  if (refuse_read_only (self, error))
    return FALSE;
  if (!apply_in_place (self, offset, len, pattern, pattern_len, -1, &old, error))
    return FALSE;
  if (old == NULL)
    return TRUE;

  step = step_new (MAPHEX_STEP_WRITE, offset, len);
  step->old = old;
  step->pattern = byte_array_new_copy (pattern, MIN (pattern_len, len));
  push_step (self, step);
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
    return refuse_read_only (self, error) ? FALSE : check_range (self, offset, 0, error);
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

  if (refuse_read_only (self, error))
    return FALSE;

  g_rec_mutex_lock (&self->map_lock);
  ok = check_range (self, offset, 1, error) &&
       read_locked (self, offset, &old_value, 1, error);
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
      update_state (self);
    }
  else
    {
      MaphexStep *step = step_new (MAPHEX_STEP_WRITE, offset, 1);

      step->old = byte_array_new_copy (&old_value, 1);
      step->pattern = byte_array_new_copy (&value, 1);
      step->typing = TRUE;
      push_step (self, step);
    }

  mark_dirty (self, offset, offset + 1);
  emit_bytes_changed (self, offset, 1);
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

  if (refuse_read_only (self, error))
    return FALSE;
  if (!apply_in_place (self, dest, count, NULL, 0, src, &old, error))
    return FALSE;
  if (old == NULL)
    return TRUE;

  step = step_new (MAPHEX_STEP_MOVE, dest, count);
  step->src = src;
  step->old = old;
  push_step (self, step);
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
static gboolean
check_other_exports_locked (MaphexDocument *self,
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
  if (!check_other_exports_locked (self, own, error))
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
  if (own != NULL && self->map != NULL)
    {
      MmError mm_error;

      if (mm_map_export (self->map, &own->view, &mm_error) != MM_OK)
        {
          own->view = NULL;
          g_warning ("Cannot export the map again: %s", mm_error.message);
        }
    }
  g_rec_mutex_unlock (&self->map_lock);

  notify_length_if_changed (self, old_length);
}

static gboolean
apply_resize (MaphexDocument *self,
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
      !write_locked (self, old_length, new_length - old_length, tail, new_length - old_length, error))
    {
      resize_locked (self, old_length, NULL);
      ok = FALSE;
    }
  end_length_change (self, own, old_length);

  if (ok && tail != NULL && new_length > old_length)
    emit_bytes_changed (self, old_length, new_length - old_length);
  return ok;
}

/* Inserts `len` bytes at `offset` (`bytes`, or zeros when NULL), or deletes
 * the `len` bytes there (`bytes` holds them, to put back if the delete
 * fails), with own's view released meanwhile. */
static gboolean
apply_shift (MaphexDocument *self,
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
    emit_bytes_changed (self, offset, self->length - offset);
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
      ok = check_other_exports_locked (self, own, error);
      g_rec_mutex_unlock (&self->map_lock);
      return ok;
    }

  if (new_length < old_length)
    {
      gboolean ok;

      g_rec_mutex_lock (&self->map_lock);
      ok = check_other_exports_locked (self, own, error) &&
           (tail = save_bytes_locked (self, new_length, old_length - new_length, error)) != NULL;
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        return FALSE;
    }

  if (!apply_resize (self, own, new_length, NULL, error))
    return FALSE;

  step = step_new (MAPHEX_STEP_RESIZE, 0, 0);
  step->old_length = old_length;
  step->new_length = new_length;
  step->old = g_steal_pointer (&tail);
  push_step (self, step);
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
      ok = check_other_exports_locked (self, own, error);
      g_rec_mutex_unlock (&self->map_lock);
      return ok;
    }

  if (!apply_shift (self, own, TRUE, offset, (gint64) len, data, error))
    return FALSE;

  step = step_new (MAPHEX_STEP_INSERT, offset, (gint64) len);
  if (data != NULL)
    step->pattern = byte_array_new_copy (data, len);
  push_step (self, step);
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
  ok = check_range (self, offset, len, error) &&
       check_other_exports_locked (self, own, error);
  if (ok && len > 0)
    ok = (deleted = save_bytes_locked (self, offset, len, error)) != NULL;
  g_rec_mutex_unlock (&self->map_lock);
  if (!ok || len == 0)
    return ok;

  if (!apply_shift (self, own, FALSE, offset, len, deleted->data, error))
    return FALSE;

  step = step_new (MAPHEX_STEP_DELETE, offset, len);
  step->old = g_steal_pointer (&deleted);
  push_step (self, step);
  return TRUE;
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
  GQueue *from = undo ? &self->undo : &self->redo;
  GQueue *to = undo ? &self->redo : &self->undo;
  MaphexStep *step = g_queue_peek_head (from);
  gboolean ok = FALSE;

  if (step == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOTHING_TO_UNDO,
                           undo ? _("There is nothing to undo") : _("There is nothing to redo"));
      return FALSE;
    }

  switch (step->kind)
    {
    case MAPHEX_STEP_WRITE:
      ok = undo ? apply_in_place (self, step->offset, step->len, step->old->data, step->len,
                                  -1, NULL, error)
                : apply_in_place (self, step->offset, step->len, step->pattern->data,
                                  step->pattern->len, -1, NULL, error);
      break;
    case MAPHEX_STEP_MOVE:
      ok = undo ? apply_in_place (self, step->offset, step->len, step->old->data, step->len,
                                  -1, NULL, error)
                : apply_in_place (self, step->offset, step->len, NULL, 0, step->src, NULL, error);
      break;
    case MAPHEX_STEP_INSERT:
      ok = apply_shift (self, own, !undo, step->offset, step->len,
                        step->pattern ? step->pattern->data : NULL, error);
      break;
    case MAPHEX_STEP_DELETE:
      ok = apply_shift (self, own, undo, step->offset, step->len, step->old->data, error);
      break;
    case MAPHEX_STEP_RESIZE:
      ok = undo ? apply_resize (self, own, step->old_length,
                                step->old ? step->old->data : NULL, error)
                : apply_resize (self, own, step->new_length, NULL, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return FALSE;

  g_queue_pop_head (from);
  g_queue_push_head (to, step);
  update_state (self);
  return TRUE;
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

/* ------------------------------------------------------------------ */
/* Saving                                                              */

static gboolean
write_all (int            fd,
           const guint8  *data,
           gint64         n,
           gint64         offset,
           GError       **error)
{
  while (n > 0)
    {
      ssize_t written = pwrite (fd, data, (size_t) MIN (n, G_MAXSSIZE), offset);

      if (written < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "%s", g_strerror (errsv));
          return FALSE;
        }
      data += written;
      n -= written;
      offset += written;
    }
  return TRUE;
}

static gboolean
prefix_error (GError    **error,
              GError     *local_error,
              const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_propagate_prefixed_error (error, local_error, _("Cannot save “%s”: "), display);
  return FALSE;
}

/* Whether `st` describes the file the document has open. */
static gboolean
same_inode_as_document (MaphexDocument    *self,
                        const struct stat *st)
{
  struct stat own;

  if (self->fd < 0 || fstat (self->fd, &own) != 0)
    return FALSE;
  return own.st_dev == st->st_dev && own.st_ino == st->st_ino;
}

/* Whether `st` is the file the document has open (st == NULL: the path
 * names nothing); when another program replaced or deleted it, says so. */
static gboolean
check_still_own_file (MaphexDocument    *self,
                      const struct stat *st,
                      GError           **error)
{
  g_autofree char *display = g_filename_display_name (self->path);

  if (st == NULL)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("Cannot save “%s”: another program deleted the file; use Save As"),
                   display);
      return FALSE;
    }
  if (!same_inode_as_document (self, st))
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("Cannot save “%s”: another program replaced the file on disk; "
                     "reload it or use Save As"), display);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* When another program shrinks the file                               */

/* Linux truncation discards the map's pages past the file's new end, the
 * private (copy-on-write) copies included: unsaved edits there are gone for
 * good, and the map faults there. Edits before the new end are still in the
 * map, and Save can still write them (it never changes the file's length).
 * These helpers say which edits are which, in offsets the user can go to. */

/* The file's size on disk when it is shorter than the document, else -1.
 * Any thread. */
static gint64
shrunk_disk_size (MaphexDocument *self)
{
  struct stat st;
  gint64 size = -1;

  if (self->scratch)
    return -1;
  g_rec_mutex_lock (&self->map_lock);
  if (self->fd >= 0 && fstat (self->fd, &st) == 0 && st.st_size < self->length)
    size = st.st_size;
  g_rec_mutex_unlock (&self->map_lock);
  return size;
}

static char *
format_byte_count (gint64 n)
{
  g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_autofree char *human = NULL;

  if (n < 1024)
    /* Translators: %s is a number of bytes */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes",
                                         (gulong) MIN (n, 1000)),
                            bytes);
  human = g_format_size_full ((guint64) n, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: a human size ("4.0 KiB") and the exact count of bytes */
  return g_strdup_printf (_("%s (%s bytes)"), human, bytes);
}

/* Whether any of `ranges` (MaphexRange, sorted) reaches into [from, to). */
static gboolean
ranges_intersect (const GArray *ranges,
                  gint64        from,
                  gint64        to)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      const MaphexRange *r = &g_array_index (ranges, MaphexRange, i);

      if (r->start < to && r->end > from)
        return TRUE;
    }
  return FALSE;
}

#define MAX_LISTED_EDITS 4

/* "0x2000", "0x2000–0x2003, 0x5000 and 3 more": the parts of `ranges` that
 * lie at or past `from`, or NULL when none does. */
static char *
describe_edits_from (const GArray *ranges,
                     gint64        from)
{
  g_autoptr(GString) list = g_string_new (NULL);
  guint listed = 0, more = 0;

  for (guint i = 0; i < ranges->len; i++)
    {
      const MaphexRange *r = &g_array_index (ranges, MaphexRange, i);
      gint64 start = MAX (r->start, from);

      if (r->end <= from)
        continue;
      if (listed == MAX_LISTED_EDITS)
        {
          more++;
          continue;
        }
      if (listed > 0)
        g_string_append (list, ", ");
      if (r->end - start == 1)
        g_string_append_printf (list, "0x%" G_GINT64_MODIFIER "x", start);
      else
        g_string_append_printf (list, "0x%" G_GINT64_MODIFIER "x–0x%" G_GINT64_MODIFIER "x",
                                start, r->end - 1);
      listed++;
    }
  if (listed == 0)
    return NULL;
  if (more > 0)
    {
      g_autofree char *counted = g_strdup_printf ("%u", more);
      /* Translators: a list of offsets, then how many more edits there are */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %s more", "%s and %s more", more),
                              list->str, counted);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

char *
maphex_document_dup_shrink_message (MaphexDocument *self)
{
  g_autofree char *size_text = NULL;
  g_autofree char *lost = NULL;
  gboolean kept;
  gint64 size;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  if ((size = shrunk_disk_size (self)) < 0)
    return NULL;

  size_text = format_byte_count (size);
  lost = describe_edits_from (self->dirty, size);
  kept = ranges_intersect (self->dirty, 0, size);

  if (lost != NULL && kept)
    return g_strdup_printf (_("The file shrank to %s on disk: your unsaved edits past that point "
                              "(at %s) went with it. Save still writes your edits before that "
                              "point; Reload shows the file as it is now."),
                            size_text, lost);
  if (lost != NULL)
    return g_strdup_printf (_("The file shrank to %s on disk: your unsaved edits past that point "
                              "(at %s) went with it. Reload to see the file as it is now."),
                            size_text, lost);
  if (kept)
    return g_strdup_printf (_("The file shrank to %s on disk: the bytes past that point are gone, "
                              "but your unsaved edits lie before it and Save still writes them. "
                              "Reload afterwards to see the file as it is now."),
                            size_text);
  return g_strdup_printf (_("The file shrank to %s on disk: the bytes past that point are gone. "
                            "Reload to see the file as it is now."),
                          size_text);
}

/* Writes the dirty ranges, cut at `limit`, into `fd`. */
static gboolean
write_dirty_ranges (MaphexDocument *self,
                    int             fd,
                    gint64          limit,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);

  for (guint i = 0; i < self->dirty->len; i++)
    {
      const MaphexRange *range = &g_array_index (self->dirty, MaphexRange, i);
      gint64 end = MIN (range->end, limit);

      for (gint64 pos = range->start; pos < end; )
        {
          gint64 n = MIN (CHUNK_SIZE, end - pos);
          gboolean ok;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          g_rec_mutex_lock (&self->map_lock);
          ok = read_locked (self, pos, buffer, n, error);
          g_rec_mutex_unlock (&self->map_lock);
          if (!ok || !write_all (fd, buffer, n, pos, error))
            return FALSE;
          pos += n;
        }
    }
  return TRUE;
}

/* Keeps only the parts of the dirty ranges at or past `from`. */
static void
keep_dirty_from (MaphexDocument *self,
                 gint64          from)
{
  for (guint i = self->dirty->len; i-- > 0; )
    {
      MaphexRange *range = &g_array_index (self->dirty, MaphexRange, i);

      if (range->end <= from)
        g_array_remove_index (self->dirty, i);
      else
        range->start = MAX (range->start, from);
    }
}

/* Copy-on-write: only the ranges edited since the last save.
 *
 * When another program shrank the file, Save writes the edits that still lie
 * within it (their pages survived the truncation) and never the ones past its
 * end: those went with the truncated pages, and writing there would change
 * the file's length, which a copy-on-write save never does. If some were
 * lost, Save fails with MAPHEX_DOCUMENT_ERROR_FAULT after writing the rest,
 * with a message that says what it wrote, which edits are lost and that
 * Reload shows the file as it is now; the lost ones stay dirty (the document
 * stays modified: it is not what the file holds). Nothing here recommends
 * Save As: the lost bytes cannot be read, so the document cannot be saved
 * whole anywhere. */
static gboolean
save_dirty_ranges (MaphexDocument *self,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *lost = NULL;
  gboolean wrote_some = FALSE;
  gint64 limit;
  struct stat st;
  int fd;

  if (self->dirty->len == 0)
    return TRUE;

  fd = open (self->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, io_error_code_from_errno (errsv),
                   _("Cannot open “%s” for writing: %s"), display, g_strerror (errsv));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot save “%s”: %s"), display, g_strerror (errsv));
      close (fd);
      return FALSE;
    }
  if (!check_still_own_file (self, &st, error))
    {
      close (fd);
      return FALSE;
    }

  limit = self->length;
  if (st.st_size < self->length)
    {
      /* The window's bar says so too, if no read has faulted yet. */
      _maphex_document_report_fault (self);
      limit = st.st_size;
      lost = describe_edits_from (self->dirty, limit);
      wrote_some = ranges_intersect (self->dirty, 0, limit);
    }

  if (!write_dirty_ranges (self, fd, limit, cancellable, &local_error))
    goto failed;

  if (fsync (fd) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }

  note_own_write (self, fd);
  close (fd);
  keep_dirty_from (self, limit);

  if (lost != NULL)
    {
      g_autofree char *size_text = format_byte_count (limit);

      if (wrote_some)
        g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                     _("Saved the edits that still lie within “%s”, but another program "
                       "shrank the file to %s on disk: your unsaved edits past that point "
                       "(at %s) went with it. Reload to see the file as it is now."),
                     display, size_text, lost);
      else
        g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                     _("Cannot save “%s”: another program shrank the file to %s on disk, "
                       "and your unsaved edits past that point (at %s) went with it. "
                       "Reload to see the file as it is now."),
                     display, size_text, lost);
      return FALSE;
    }
  return TRUE;

failed:
  /* What was written stays dirty: a later save writes it again. */
  note_own_write (self, fd);
  close (fd);
  if (g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
    {
      /* It shrank again while we wrote. */
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                   _("Cannot save “%s”: another program shrank the file on disk while it "
                     "was being saved. Reload to see the file as it is now."), display);
      return FALSE;
    }
  return prefix_error (error, g_steal_pointer (&local_error), self->path);
}

gboolean
maphex_document_save (MaphexDocument  *self,
                      GCancellable    *cancellable,
                      GError         **error)
{
  guint64 serial;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->scratch)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("A new buffer has no file yet: use Save As"));
      return FALSE;
    }
  if (self->mode == MAPHEX_MODE_READ_ONLY)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY,
                           _("The file is open read-only: there is nothing to save"));
      return FALSE;
    }

  serial = current_serial (self);

  if (self->mode == MAPHEX_MODE_WRITE_THROUGH)
    {
      MmError mm_error;
      MmStatus status = MM_OK;
      struct stat st;
      int errsv = stat (self->path, &st) == 0 ? 0 : errno;

      /* The edits are in the file the document has open: if the name now
       * leads elsewhere, flushing them does not save them. */
      if (errsv != 0 && errsv != ENOENT)
        {
          g_autofree char *display = g_filename_display_name (self->path);

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Cannot save “%s”: %s"), display, g_strerror (errsv));
          return FALSE;
        }
      if (!check_still_own_file (self, errsv == 0 ? &st : NULL, error))
        return FALSE;

      g_rec_mutex_lock (&self->map_lock);
      if (self->map != NULL)
        status = mm_map_flush (self->map, 0, self->length, &mm_error);
      g_rec_mutex_unlock (&self->map_lock);
      if (status != MM_OK)
        {
          g_autoptr(GError) local_error = NULL;
          _maphex_document_propagate_mm_error (self, &local_error, &mm_error);
          return prefix_error (error, g_steal_pointer (&local_error), self->path);
        }
      /* msync writes the pages back, not the file's size: after a resize,
       * insert or delete only fdatasync makes the new length durable. */
      if (self->size_unsynced)
        {
          if (fdatasync (self->fd) != 0)
            {
              int sync_errno = errno;
              g_autofree char *display = g_filename_display_name (self->path);

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (sync_errno),
                           _("Cannot save “%s”: the system could not write its new size "
                             "to disk: %s"), display, g_strerror (sync_errno));
              return FALSE;
            }
          self->n_size_syncs++;
          self->size_unsynced = FALSE;
        }
    }
  else if (!save_dirty_ranges (self, cancellable, error))
    {
      return FALSE;
    }

  mark_saved (self, serial);
  return TRUE;
}

static gboolean
is_all_zero (const guint8 *data,
             gint64        n)
{
  return n == 0 || (data[0] == 0 && memcmp (data, data + 1, n - 1) == 0);
}

/* Save As met a fault: another program shrank the document's file, and the
 * map's pages past its new end are gone, so the document cannot be written
 * whole. Says so in the user's terms and what does work: Reload (and, for
 * copy-on-write edits before the new end, Save). `dirty` is a snapshot of the
 * dirty ranges (this may run in a worker thread). */
static GError *
save_as_fault_error (MaphexDocument *self,
                     const GArray   *dirty)
{
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *size_text = NULL;
  gint64 size = shrunk_disk_size (self);

  if (size < 0)
    return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                        _("Part of “%s” could not be read: another program changed the file "
                          "on disk while it was open. Reload it to see the file as it is now."),
                        display);

  size_text = format_byte_count (size);
  if (self->mode == MAPHEX_MODE_COPY_ON_WRITE && ranges_intersect (dirty, 0, size))
    return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                        _("Another program shrank “%s” to %s on disk while it was open: the "
                          "document’s bytes past that point went with it, so it cannot be saved "
                          "whole. Save still writes your edits before that point into “%s”; "
                          "Reload shows the file as it is now."),
                        display, size_text, display);
  return g_error_new (MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                      _("Another program shrank “%s” to %s on disk while it was open: the "
                        "document’s bytes past that point went with it, so it cannot be saved "
                        "whole. Reload it to see the file as it is now."),
                      display, size_text);
}

/* After a rename: the new name lives in the directory, and only an fsync of
 * the directory makes it survive a crash. The file is already in place, so a
 * failure says the save may not last rather than that nothing was written.
 * Some file systems cannot sync a directory at all (EINVAL): nothing more can
 * be done there, and that is not an error. Any thread. */
static gboolean
sync_directory (MaphexDocument *self,
                const char     *dir,
                const char     *dest_path,
                GError        **error)
{
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int errsv = 0;

  if (dfd < 0)
    errsv = errno;
  else
    {
      if (fsync (dfd) != 0)
        errsv = errno;
      if (close (dfd) != 0 && errsv == 0)
        errsv = errno;
    }

  if (errsv == EINVAL)
    return TRUE;
  if (errsv != 0)
    {
      g_autofree char *display = g_filename_display_name (dest_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Wrote “%s”, but the system could not make the new name durable "
                     "on disk (%s): it may be lost if the computer crashes. Try saving "
                     "again."), display, g_strerror (errsv));
      return FALSE;
    }
  g_atomic_int_inc (&self->n_dir_syncs);
  return TRUE;
}

/* Any thread: reads through the core in chunks under the lock. The caller
 * makes sure the length cannot change meanwhile (an export, or the main
 * thread). Zero chunks become holes. A failure removes the temporary file:
 * the destination is either the whole document or untouched. `dirty`: the
 * dirty ranges as the save began, for the message of a fault. */
static gboolean
save_as_impl (MaphexDocument *self,
              const char     *dest_path,
              const GArray   *dirty,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autofree char *dir = g_path_get_dirname (dest_path);
  g_autofree char *base = g_path_get_basename (dest_path);
  g_autofree char *tmp_name = g_strdup_printf (".%s.maphex-XXXXXX", base);
  g_autofree char *tmp_path = g_build_filename (dir, tmp_name, NULL);
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat dest_st;
  gint64 length;
  int fd;

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, io_error_code_from_errno (errsv),
                   "%s", g_strerror (errsv));
      return prefix_error (error, g_steal_pointer (&local_error), dest_path);
    }

  /* Replacing a file keeps its permissions. */
  if (stat (dest_path, &dest_st) == 0 && S_ISREG (dest_st.st_mode))
    {
      if (fchmod (fd, dest_st.st_mode & 07777) != 0)
        g_debug ("Cannot keep the permissions of %s: %s", dest_path, g_strerror (errno));
    }

  g_rec_mutex_lock (&self->map_lock);
  length = self->length;
  g_rec_mutex_unlock (&self->map_lock);

  buffer = g_malloc (CHUNK_SIZE);
  for (gint64 pos = 0; pos < length; )
    {
      gint64 n = MIN (CHUNK_SIZE, length - pos);
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto failed;

      g_rec_mutex_lock (&self->map_lock);
      ok = read_locked (self, pos, buffer, n, &local_error);
      g_rec_mutex_unlock (&self->map_lock);
      if (!ok)
        {
          /* The core's "offset 4096 is past its end 100" says nothing a
           * user can act on. */
          if (!self->scratch &&
              g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
            {
              g_clear_error (&local_error);
              local_error = save_as_fault_error (self, dirty);
            }
          goto failed;
        }
      if (!is_all_zero (buffer, n) && !write_all (fd, buffer, n, pos, &local_error))
        goto failed;
      pos += n;
    }

  if (ftruncate (fd, length) != 0 || fsync (fd) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }
  if (close (fd) != 0)
    {
      int errsv = errno;
      fd = -1;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }
  fd = -1;
  if (rename (tmp_path, dest_path) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, io_error_code_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }
  return sync_directory (self, dir, dest_path, error);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return prefix_error (error, g_steal_pointer (&local_error), dest_path);
}

static char *
dup_local_path (GFile   *file,
                GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot save “%s”: only local files are supported"), uri);
    }
  return path;
}

/* Replacing the open file by rename would leave the map on the old, unlinked
 * file (and write-through edits with it): Save As onto the open file saves. */
static gboolean
is_own_file (MaphexDocument *self,
             const char     *dest_path)
{
  struct stat st;

  return !self->scratch && stat (dest_path, &st) == 0 && same_inode_as_document (self, &st);
}

static gboolean
save_onto_own_file (MaphexDocument *self,
                    GCancellable   *cancellable,
                    GError        **error)
{
  /* A read-only map shows the file as it is: nothing to write. */
  if (self->mode == MAPHEX_MODE_READ_ONLY)
    return TRUE;
  return maphex_document_save (self, cancellable, error);
}

gboolean
maphex_document_save_as (MaphexDocument  *self,
                         GFile           *dest,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autofree char *dest_path = NULL;
  guint64 serial;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (dest), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((dest_path = dup_local_path (dest, error)) == NULL)
    return FALSE;

  if (is_own_file (self, dest_path))
    return save_onto_own_file (self, cancellable, error);

  serial = current_serial (self);
  if (!save_as_impl (self, dest_path, self->dirty, cancellable, error))
    return FALSE;

  /* The document stays on its own file; a scratch buffer's content is safe now. */
  if (self->scratch)
    mark_saved (self, serial);
  return TRUE;
}

typedef struct {
  char         *dest_path;
  MaphexExport *hold;     /* keeps the length fixed while the thread reads */
  guint64       serial;
  GArray       *dirty;    /* the dirty ranges as the save began (the main thread edits them) */
} SaveAsData;

static void
save_as_data_free (SaveAsData *data)
{
  g_clear_pointer (&data->dirty, g_array_unref);
  if (data->hold != NULL)
    maphex_document_unexport (data->hold->doc, data->hold);
  g_free (data->dest_path);
  g_free (data);
}

static void
save_as_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MaphexDocument *self = source_object;
  SaveAsData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  _maphex_document_unblock_fault_signals ();
  ok = save_as_impl (self, data->dest_path, data->dirty, cancellable, &error);

  /* Released before the result goes back, so that the callback finds the map
   * free to resize. (The task data is freed only when the task is, after the
   * callback.) The task's reference keeps the document alive here. */
  maphex_document_unexport (self, g_steal_pointer (&data->hold));
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
maphex_document_save_as_async (MaphexDocument      *self,
                               GFile               *dest,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SaveAsData *data;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (dest));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, maphex_document_save_as_async);
  g_task_set_name (task, "[maphex] save as");

  data = g_new0 (SaveAsData, 1);
  data->serial = current_serial (self);
  data->dirty = _maphex_document_dup_dirty_ranges (self);
  g_task_set_task_data (task, data, (GDestroyNotify) save_as_data_free);

  if ((data->dest_path = dup_local_path (dest, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (is_own_file (self, data->dest_path))
    {
      if (save_onto_own_file (self, cancellable, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((data->hold = maphex_document_export (self, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, save_as_thread);
}

gboolean
maphex_document_save_as_finish (MaphexDocument  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  SaveAsData *data;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_save_as_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (self->scratch)
    mark_saved (self, data->serial);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reload and the file monitor                                         */

gboolean
maphex_document_reload (MaphexDocument  *self,
                        MaphexExport    *own,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  MmMap *map = NULL;
  struct stat st;
  gint64 old_length;
  int fd = -1;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (own == NULL || own->doc == self, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->scratch)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("A new buffer has no file to reload"));
      return FALSE;
    }

  g_rec_mutex_lock (&self->map_lock);
  if (!check_other_exports_locked (self, own, error))
    {
      g_rec_mutex_unlock (&self->map_lock);
      return FALSE;
    }
  g_rec_mutex_unlock (&self->map_lock);

  /* The file may have been replaced: open the path again. */
  if (!open_file_fd (self->path, self->mode, &fd, &st, error))
    return FALSE;
  if (!map_fd (self->path, fd, st.st_size, self->mode, &map, error))
    {
      close (fd);
      return FALSE;
    }

  old_length = self->length;
  g_rec_mutex_lock (&self->map_lock);
  if (own != NULL)
    g_clear_pointer (&own->view, mm_view_release);
  g_clear_pointer (&self->map, mm_map_free);
  close (self->fd);
  self->fd = fd;
  self->map = map;
  self->length = st.st_size;
  if (own != NULL && self->map != NULL)
    {
      MmError mm_error;

      if (mm_map_export (self->map, &own->view, &mm_error) != MM_OK)
        {
          own->view = NULL;
          g_warning ("Cannot export the map again: %s", mm_error.message);
        }
    }
  g_rec_mutex_unlock (&self->map_lock);

  clear_queue (&self->undo);
  clear_queue (&self->redo);
  g_array_set_size (self->dirty, 0);
  self->saved_serial = 0;
  set_known_state (self, &st);
  g_atomic_int_set (&self->shrunk_reported, 0);

  g_object_freeze_notify (G_OBJECT (self));
  update_state (self);
  notify_length_if_changed (self, old_length);
  g_object_thaw_notify (G_OBJECT (self));
  emit_bytes_changed (self, 0, self->length);
  return TRUE;
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (user_data);
  struct stat st;
  gint64 mtime;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_DELETED:
      if (self->known_size == -1)
        return;
      self->known_size = -1;
      self->known_mtime = -1;
      g_signal_emit (self, signals[FILE_CHANGED], 0);
      return;

    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
      break;

    default:
      return;
    }

  if (stat (self->path, &st) != 0)
    return;
  mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;

  /* Already known: our own save, or a change already reported. */
  if (mtime == self->known_mtime && st.st_size == self->known_size)
    return;

  /* Writes through the map move the mtime without an event of their own,
   * so right after our own resize the event is ours if the size agrees. */
  if (self->mode == MAPHEX_MODE_WRITE_THROUGH &&
      st.st_size == self->length &&
      g_get_monotonic_time () - self->own_write_time < OWN_WRITE_WINDOW_USEC)
    {
      set_known_state (self, &st);
      return;
    }

  set_known_state (self, &st);
  g_object_ref (self);
  if (st.st_size < self->length)
    _maphex_document_report_fault (self);
  else
    g_atomic_int_set (&self->shrunk_reported, 0);
  g_signal_emit (self, signals[FILE_CHANGED], 0);
  g_object_unref (self);
}
