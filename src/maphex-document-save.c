/* maphex-document-save.c: Save per mode (copy-on-write writes back the dirty
 * ranges and fsyncs; write-through flushes), the checks that the file is
 * still the one we opened, and the message when another program shrank it.
 *
 * Shares its file helpers with maphex-document-save-as.c. Must not edit the
 * map's content.
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
/* Saving                                                              */

gboolean
_maphex_document_write_all (int            fd,
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

gboolean
_maphex_document_prefix_error (GError    **error,
                               GError     *local_error,
                               const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_propagate_prefixed_error (error, local_error, _("Cannot save “%s”: "), display);
  return FALSE;
}

/* Whether `st` describes the file the document has open. */
gboolean
_maphex_document_same_inode_as_document (MaphexDocument    *self,
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
  if (!_maphex_document_same_inode_as_document (self, st))
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

/* The size of the document's file now, or -1 (no file, or it cannot be
 * told). A block device's st_size is 0: its size comes from the core
 * (BLKGETSIZE64). Every reader of the file's size goes through here. Any
 * thread; takes map_lock only for a device. */
gint64
_maphex_document_disk_size (MaphexDocument *self)
{
  MmError mm_error = { 0 };
  int64_t size = -1;
  struct stat st;

  if (self->fd < 0 || fstat (self->fd, &st) != 0)
    return -1;
  if (!S_ISBLK (st.st_mode))
    return st.st_size;
  g_rec_mutex_lock (&self->map_lock);
  if (self->map == NULL || mm_map_size (self->map, &size, &mm_error) != MM_OK)
    size = -1;
  g_rec_mutex_unlock (&self->map_lock);
  return size;
}

/* The file's size on disk when it is shorter than the document, else -1.
 * Any thread. */
gint64
_maphex_document_shrunk_disk_size (MaphexDocument *self)
{
  gint64 disk;
  gint64 size = -1;

  if (self->scratch)
    return -1;
  g_rec_mutex_lock (&self->map_lock);
  disk = _maphex_document_disk_size (self);
  if (disk >= 0 && disk < self->length)
    size = disk;
  g_rec_mutex_unlock (&self->map_lock);
  return size;
}

char *
_maphex_document_format_byte_count (gint64 n)
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
gboolean
_maphex_document_ranges_intersect (const GArray *ranges,
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

  if ((size = _maphex_document_shrunk_disk_size (self)) < 0)
    return NULL;

  size_text = _maphex_document_format_byte_count (size);
  lost = describe_edits_from (self->dirty, size);
  kept = _maphex_document_ranges_intersect (self->dirty, 0, size);

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

/* What Save overwrote: the file's bytes at `pos` before it wrote there. */
typedef struct {
  gint64 pos;
  gint64 n;
  guint8 bytes[];
} JournalEntry;

/* Reads up to n bytes at offset (fewer at the end of the file); -1 on error. */
static gint64
read_all (int     fd,
          guint8 *data,
          gint64  n,
          gint64  offset)
{
  gint64 done = 0;

  while (done < n)
    {
      ssize_t got = pread (fd, data + done, (size_t) (n - done), offset + done);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        return -1;
      if (got == 0)
        break;
      done += got;
    }
  return done;
}

/* Puts the journal back, last write first: the file is as it was before
 * Save began. FALSE (with *error) when a write or the sync failed: the file
 * then holds part of the edits. */
static gboolean
restore_journal (int         fd,
                 GPtrArray  *journal,
                 GError    **error)
{
  gboolean ok = TRUE;

  for (guint i = journal->len; i-- > 0; )
    {
      JournalEntry *entry = g_ptr_array_index (journal, i);
      GError *local_error = NULL;

      if (!_maphex_document_write_all (fd, entry->bytes, entry->n, entry->pos, &local_error))
        {
          if (ok)
            g_propagate_error (error, local_error);
          else
            g_error_free (local_error);
          ok = FALSE;
        }
    }
  if (journal->len > 0 && fsync (fd) != 0 && ok)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s", g_strerror (errsv));
      ok = FALSE;
    }
  return ok;
}

/* Writes the dirty ranges, cut at `limit`, into `fd` (open for reading and
 * writing), in the runner's chunks; before each write, keeps in `journal`
 * the file's bytes it overwrites, so that a failure or a cancel can put them
 * back. */
static gboolean
write_dirty_ranges (MaphexDocument *self,
                    MaphexRun      *run,
                    int             fd,
                    gint64          limit,
                    GPtrArray      *journal,
                    GError        **error)
{
  gint64 chunk = _maphex_document_run_get_chunk_size ();
  g_autofree guint8 *buffer = g_malloc (chunk);
  gint64 total = 0;

  for (guint i = 0; i < self->dirty->len; i++)
    {
      const MaphexRange *range = &g_array_index (self->dirty, MaphexRange, i);
      total += MAX (0, MIN (range->end, limit) - range->start);
    }
  _maphex_run_set_total (run, total);

  for (guint i = 0; i < self->dirty->len; i++)
    {
      const MaphexRange *range = &g_array_index (self->dirty, MaphexRange, i);
      gint64 end = MIN (range->end, limit);

      for (gint64 pos = range->start; pos < end; )
        {
          gint64 n = MIN (chunk, end - pos);
          JournalEntry *entry;
          gboolean ok;

          if (g_cancellable_set_error_if_cancelled (_maphex_run_get_cancellable (run), error))
            return FALSE;

          g_rec_mutex_lock (&self->map_lock);
          ok = _maphex_document_read_locked (self, pos, buffer, n, error);
          g_rec_mutex_unlock (&self->map_lock);
          if (!ok)
            return FALSE;

          entry = g_try_malloc (sizeof *entry + (gsize) n);
          if (entry == NULL)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                   _("Not enough memory to keep the file’s old bytes while saving"));
              return FALSE;
            }
          entry->pos = pos;
          entry->n = read_all (fd, entry->bytes, n, pos);
          if (entry->n < 0)
            {
              int errsv = errno;
              g_free (entry);
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s", g_strerror (errsv));
              return FALSE;
            }
          g_ptr_array_add (journal, entry);
          if (!_maphex_document_write_all (fd, buffer, n, pos, error))
            return FALSE;
          pos += n;
          _maphex_run_add_done (run, n);
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
 * stays modified: it is not what the file holds). A cancel or a failure
 * puts back what it wrote (from a journal of the file's old bytes), so the
 * file is as it was before Save. Nothing here recommends
 * Save As: the lost bytes cannot be read, so the document cannot be saved
 * whole anywhere. */
static gboolean
save_dirty_ranges (MaphexDocument *self,
                   MaphexRun      *run,
                   GError        **error)
{
  g_autoptr(GPtrArray) journal = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (self->path);
  g_autofree char *lost = NULL;
  gboolean wrote_some = FALSE;
  gint64 limit;
  gint64 disk;
  struct stat st;
  int fd;

  if (self->dirty->len == 0)
    return TRUE;

  /* Read too: the journal keeps what each write overwrites. */
  fd = open (self->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, _maphex_document_io_error_code_from_errno (errsv),
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
  disk = _maphex_document_disk_size (self);
  if (disk >= 0 && disk < self->length)
    {
      /* The window's bar says so too, if no read has faulted yet. */
      _maphex_document_report_fault (self);
      limit = disk;
      lost = describe_edits_from (self->dirty, limit);
      wrote_some = _maphex_document_ranges_intersect (self->dirty, 0, limit);
    }

  if (!write_dirty_ranges (self, run, fd, limit, journal, &local_error))
    goto failed;

  if (fsync (fd) != 0)
    {
      int errsv = errno;
      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s", g_strerror (errsv));
      goto failed;
    }

  _maphex_document_note_own_write (self, fd);
  close (fd);
  keep_dirty_from (self, limit);

  if (lost != NULL)
    {
      g_autofree char *size_text = _maphex_document_format_byte_count (limit);

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
  /* Cancelled or failed: what was written goes back, so the file is as it
   * was before Save; the edits stay dirty, for a later save. The error says
   * which of the two the file is. */
  {
    g_autoptr(GError) restore_error = NULL;
    gboolean restored = restore_journal (fd, journal, &restore_error);

    _maphex_document_note_own_write (self, fd);
    close (fd);
    if (!restored)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Cannot save “%s”: %s; and putting back the file’s old bytes failed "
                       "too (%s), so the file holds only part of your edits. Save again to "
                       "write them all."),
                     display, local_error->message, restore_error->message);
        return FALSE;
      }
  }
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("Save was cancelled: “%s” is as it was before, and your edits are "
                     "still unsaved"), display);
      return FALSE;
    }
  if (g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
    {
      /* It shrank again while we wrote. */
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT,
                   _("Cannot save “%s”: another program shrank the file on disk while it "
                     "was being saved. Reload to see the file as it is now."), display);
      return FALSE;
    }
  return _maphex_document_prefix_error (error, g_steal_pointer (&local_error), self->path);
}

/* Save refuses for scratch buffers and read-only files, before it runs. */
gboolean
_maphex_document_check_save (MaphexDocument *self,
                             GError        **error)
{
  if (self->snapshot_source != NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("This is a snapshot; use Save As"));
      return FALSE;
    }
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
  return TRUE;
}

/* Write-through: flushes the map in the runner's chunks (msync), then makes
 * a changed length durable. A cancel stops between chunks: the edits are in
 * the file already (they always were); only their sync to disk stopped. */
static gboolean
save_write_through (MaphexDocument *self,
                    MaphexRun      *run,
                    GError        **error)
{
  gint64 chunk = _maphex_document_run_get_chunk_size ();
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

  _maphex_run_set_total (run, self->length);
  for (gint64 pos = 0; pos < self->length; pos += chunk)
    {
      gint64 n = MIN (chunk, self->length - pos);
      MmStatus status = MM_OK;
      MmError mm_error;

      if (g_cancellable_set_error_if_cancelled (_maphex_run_get_cancellable (run), error))
        return FALSE;
      g_rec_mutex_lock (&self->map_lock);
      if (self->map != NULL)
        status = mm_map_flush (self->map, pos, n, &mm_error);
      g_rec_mutex_unlock (&self->map_lock);
      if (status != MM_OK)
        {
          g_autoptr(GError) local_error = NULL;
          _maphex_document_propagate_mm_error (self, &local_error, &mm_error);
          return _maphex_document_prefix_error (error, g_steal_pointer (&local_error), self->path);
        }
      _maphex_run_add_done (run, n);
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
  return TRUE;
}

/* Save, in the runner (any thread); the runner marks the document saved. */
gboolean
_maphex_document_save_work (MaphexDocument *self,
                            MaphexRun      *run,
                            GError        **error)
{
  if (self->mode == MAPHEX_MODE_WRITE_THROUGH)
    return save_write_through (self, run, error);
  return save_dirty_ranges (self, run, error);
}

