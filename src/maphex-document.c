/* maphex-document.c: one open file (or scratch buffer) = one MmMap.
 *
 * Owns the object's lifetime and properties, modes and errors (MmError
 * becomes GError here only), fault reports, exports and reads. The property
 * and signal tables live here; the other maphex-document-*.c files emit
 * through them. Nothing here changes the content or the history.
 *
 * Every core call runs under `map_lock`. Edits record, for undo, only the
 * bytes they change (old and new), never the file. Copy-on-write saves write
 * back only the ranges edited since the last save.
 */
#include "maphex-document-private.h"
#include "maphex-bookmarks-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* Numbers in translatable messages are written %lld with a (long long) cast:
 * xgettext cannot read a msgid split by G_GINT64_FORMAT. */

G_DEFINE_ENUM_TYPE (MaphexMode, maphex_mode,
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_READ_ONLY, "read-only"),
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_COPY_ON_WRITE, "copy-on-write"),
  G_DEFINE_ENUM_VALUE (MAPHEX_MODE_WRITE_THROUGH, "write-through"))

G_DEFINE_QUARK (maphex-document-error-quark, maphex_document_error)

G_DEFINE_FINAL_TYPE (MaphexDocument, maphex_document, G_TYPE_OBJECT)

GParamSpec *_maphex_document_properties[N_PROPS];
guint _maphex_document_signals[N_SIGNALS];

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
    g_signal_emit (self, _maphex_document_signals[FILE_SHRUNK], 0);
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

int
_maphex_document_io_error_code_from_errno (int errsv)
{
  if (errsv == EACCES || errsv == EPERM || errsv == EROFS)
    return G_IO_ERROR_PERMISSION_DENIED;
  return g_io_error_from_errno (errsv);
}

/* ------------------------------------------------------------------ */
/* Locking                                                             */

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

void
_maphex_document_note_own_write (MaphexDocument *self,
                                 int             fd)
{
  struct stat st;

  self->own_write_time = g_get_monotonic_time ();
  if (fd >= 0 && fstat (fd, &st) == 0)
    {
      self->known_mtime = _maphex_stat_mtime_ns (&st);
      self->known_size = st.st_size;
    }
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

/* ------------------------------------------------------------------ */
/* Signals                                                             */

void
_maphex_document_emit_bytes_changed (MaphexDocument *self,
                                     gint64          offset,
                                     gint64          len)
{
  if (len > 0)
    g_signal_emit (self, _maphex_document_signals[BYTES_CHANGED], 0, offset, len);
}

void
_maphex_document_emit_content_shifted (MaphexDocument  *self,
                                       gint64           offset,
                                       gint64           removed,
                                       gint64           inserted,
                                       MaphexShiftCause cause,
                                       guint64          serial)
{
  if (removed != inserted)
    g_signal_emit (self, _maphex_document_signals[CONTENT_SHIFTED], 0,
                   offset, removed, inserted, (guint) cause, serial);
}

void
_maphex_document_notify_length_if_changed (MaphexDocument *self,
                                           gint64          old_length)
{
  if (self->length != old_length)
    g_object_notify_by_pspec (G_OBJECT (self), _maphex_document_properties[PROP_LENGTH]);
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
  /* Writes the marks' last change to the store; they may outlive us (an
     open dialog holds them), so they let go of us first. */
  if (self->bookmarks != NULL)
    _maphex_bookmarks_detach (MAPHEX_BOOKMARKS (self->bookmarks));
  g_clear_object (&self->bookmarks);

  G_OBJECT_CLASS (maphex_document_parent_class)->dispose (object);
}

static void
maphex_document_finalize (GObject *object)
{
  MaphexDocument *self = MAPHEX_DOCUMENT (object);

  /* Every export holds a reference, so none is left. */
  g_assert (self->exports->len == 0);

  _maphex_document_clear_queue (&self->undo);
  _maphex_document_clear_queue (&self->redo);
  g_clear_pointer (&self->map, mm_map_free);
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->exports, g_ptr_array_unref);
  g_clear_pointer (&self->dirty, g_array_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->snapshot_source, g_free);
  g_clear_pointer (&self->snapshot_path, g_free);
  g_clear_pointer (&self->snapshot_reason, g_free);
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
    case PROP_IS_DEVICE:
      g_value_set_boolean (value, self->is_device);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, maphex_document_get_busy (self));
      break;
    case PROP_OPERATION_NAME:
      g_value_set_string (value, maphex_document_get_operation_name (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, maphex_document_get_progress (self, NULL, NULL, NULL));
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

  _maphex_document_properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _maphex_document_properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, MAPHEX_TYPE_MODE, MAPHEX_MODE_COPY_ON_WRITE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _maphex_document_properties[PROP_SCRATCH] =
    g_param_spec_boolean ("scratch", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _maphex_document_properties[PROP_LENGTH] =
    g_param_spec_int64 ("length", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_CAN_EDIT] =
    g_param_spec_boolean ("can-edit", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_CAN_RESIZE] =
    g_param_spec_boolean ("can-resize", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_IS_DEVICE] =
    g_param_spec_boolean ("is-device", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The long-operation runner (maphex-document-run.c) notifies these. */
  _maphex_document_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_OPERATION_NAME] =
    g_param_spec_string ("operation-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  _maphex_document_properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, _maphex_document_properties);

  _maphex_document_signals[BYTES_CHANGED] =
    g_signal_new ("bytes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  _maphex_document_signals[FILE_CHANGED] =
    g_signal_new ("file-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  _maphex_document_signals[FILE_SHRUNK] =
    g_signal_new ("file-shrunk", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  _maphex_document_signals[HISTORY_TRIMMED] =
    g_signal_new ("history-trimmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  _maphex_document_signals[CONTENT_SHIFTED] =
    g_signal_new ("content-shifted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_INT64, G_TYPE_INT64,
                  G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT64);
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
  self->undo_limit = MAPHEX_DOCUMENT_DEFAULT_UNDO_LIMIT;
  self->context = g_main_context_ref_thread_default ();
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

MaphexBookmarks *
maphex_document_get_bookmarks (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);

  if (self->bookmarks == NULL)
    self->bookmarks = G_OBJECT (_maphex_bookmarks_new (self));
  return MAPHEX_BOOKMARKS (self->bookmarks);
}

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

  if (self->snapshot_source != NULL && self->snapshot_path != NULL)
    return g_filename_display_basename (self->snapshot_path);
  if (self->snapshot_source != NULL)
    return g_strdup (self->snapshot_source);
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
maphex_document_get_is_device (MaphexDocument *self)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), FALSE);
  return self->is_device;
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

  if (self->is_device)
    return _("A device has a fixed size: it cannot be resized, and bytes cannot be inserted or deleted");
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

/* Takes `own`'s export again after a length change or reload released it
 * (nothing to take while the document is empty). Lock held. */
void
_maphex_document_reexport_locked (MaphexDocument *self,
                                  MaphexExport   *own)
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
    n = G_MAXINT64;  /* _maphex_document_check_range refuses it */
  ok = _maphex_document_check_range (self, offset, (gint64) n, error) &&
       _maphex_document_read_locked (self, offset, dst, (gint64) n, error);
  g_rec_mutex_unlock (&self->map_lock);
  return ok;
}
