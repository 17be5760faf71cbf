/* maphex-bookmarks.c: a document's marks, how they follow its shifts, and
 * how undo puts them back.
 *
 * Owns the list of marks and the palette. A shift ("content-shifted") maps
 * each mark's start and end through it; the marks it moved or removed are
 * remembered under the step's serial and the shift's offset, so the undo of
 * that step (the shift back, at the same offset) restores them exactly, and
 * a redo restores what the undo changed. Reading and writing the store is
 * maphex-bookmarks-store.c's.
 */
#include "maphex-bookmarks-private.h"
#include "maphex-document-private.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

enum {
  MARKS_CHANGED,
  MARKS_STORE_FAILED,
  MARKS_N_SIGNALS
};

static guint signals[MARKS_N_SIGNALS];

G_DEFINE_FINAL_TYPE (MaphexBookmarks, maphex_bookmarks, G_TYPE_OBJECT)

static const struct {
  const char *name;
  const char *rgb;
} palette[MAPHEX_BOOKMARK_N_COLOURS] = {
  { N_("Yellow"), "#f5c211" },
  { N_("Green"),  "#33d17a" },
  { N_("Blue"),   "#3584e4" },
  { N_("Purple"), "#9141ac" },
  { N_("Red"),    "#e01b24" },
  { N_("Orange"), "#ff7800" },
};

const char *
maphex_bookmark_colour_name (guint colour)
{
  g_return_val_if_fail (colour < MAPHEX_BOOKMARK_N_COLOURS, NULL);
  return _(palette[colour].name);
}

const char *
maphex_bookmark_colour_rgb (guint colour)
{
  g_return_val_if_fail (colour < MAPHEX_BOOKMARK_N_COLOURS, NULL);
  return palette[colour].rgb;
}

char *
maphex_bookmark_default_name (gint64 offset)
{
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", offset);
}

MaphexBookmark *
_maphex_bookmark_copy (const MaphexBookmark *mark)
{
  MaphexBookmark *copy = g_new (MaphexBookmark, 1);

  *copy = *mark;
  copy->name = g_strdup (mark->name);
  copy->note = g_strdup (mark->note);
  return copy;
}

void
_maphex_bookmark_free (MaphexBookmark *mark)
{
  g_free (mark->name);
  g_free (mark->note);
  g_free (mark);
}

static void
change_clear (MaphexMarkChange *change)
{
  g_clear_pointer (&change->mark, _maphex_bookmark_free);
}

static GArray *
changes_new (void)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (MaphexMarkChange));

  g_array_set_clear_func (changes, (GDestroyNotify) change_clear);
  return changes;
}

static int
mark_order (const MaphexBookmark *a,
            const MaphexBookmark *b)
{
  if (a->offset != b->offset)
    return a->offset < b->offset ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

void
_maphex_bookmarks_insert (MaphexBookmarks *self,
                          GPtrArray       *marks,
                          MaphexBookmark  *mark)
{
  guint i = marks->len;

  while (i > 0 && mark_order (g_ptr_array_index (marks, i - 1), mark) > 0)
    i--;
  g_ptr_array_insert (marks, (int) i, mark);
  self->next_id = MAX (self->next_id, mark->id + 1);
  self->max_end_valid = FALSE;
}

MaphexBookmark *
_maphex_bookmarks_find_id (GPtrArray *marks,
                           guint      id,
                           guint     *index)
{
  for (guint i = 0; i < marks->len; i++)
    {
      MaphexBookmark *mark = g_ptr_array_index (marks, i);

      if (mark->id == id)
        {
          if (index != NULL)
            *index = i;
          return mark;
        }
    }
  return NULL;
}

static int
mark_order_indirect (gconstpointer a,
                     gconstpointer b)
{
  return mark_order (*(MaphexBookmark * const *) a, *(MaphexBookmark * const *) b);
}

static void
resort (GPtrArray *marks)
{
  g_ptr_array_sort (marks, mark_order_indirect);
}

static void
changed (MaphexBookmarks *self)
{
  self->max_end_valid = FALSE;
  _maphex_bookmarks_store_queue (self);
  g_signal_emit (self, signals[MARKS_CHANGED], 0);
}

/* ------------------------------------------------------------------ */
/* Shifts                                                              */

/* Where a mark's start or end goes when `removed` bytes at `offset` become
 * `inserted` bytes. A start at the offset moves with an insert there; an
 * end at the offset stays (an insert right after a mark does not grow it).
 * A boundary inside the removed bytes lands inside the inserted ones, or at
 * their end. */
static gint64
map_start (gint64 x, gint64 offset, gint64 removed, gint64 inserted)
{
  if (x < offset)
    return x;
  if (x >= offset + removed)
    return x - removed + inserted;
  return offset + MIN (x - offset, inserted);
}

static gint64
map_end (gint64 x, gint64 offset, gint64 removed, gint64 inserted)
{
  if (x <= offset)
    return x;
  if (x >= offset + removed)
    return x - removed + inserted;
  return offset + MIN (x - offset, inserted);
}

/* Moves `marks` through the shift; the marks it changed, as they were, go
 * into `record` when it is not NULL. */
static gboolean
apply_shift (GPtrArray *marks,
             gint64     offset,
             gint64     removed,
             gint64     inserted,
             GArray    *record)
{
  gboolean any = FALSE;

  for (guint i = 0; i < marks->len; )
    {
      MaphexBookmark *mark = g_ptr_array_index (marks, i);
      gint64 start = map_start (mark->offset, offset, removed, inserted);
      gint64 end = map_end (mark->offset + mark->length, offset, removed, inserted);

      if (start == mark->offset && end == mark->offset + mark->length)
        {
          i++;
          continue;
        }
      any = TRUE;
      if (record != NULL)
        {
          MaphexMarkChange change = { _maphex_bookmark_copy (mark), end <= start };
          g_array_append_val (record, change);
        }
      if (end <= start)
        {
          g_ptr_array_remove_index (marks, i);
          continue;
        }
      mark->offset = start;
      mark->length = end - start;
      i++;
    }
  if (any)
    resort (marks);
  return any;
}

/* Puts back the marks `record` says the shift it was made for moved or
 * removed: a moved mark that still exists gets its old range (its name and
 * note stay as they are now), a removed one comes back unless a mark with
 * its id exists. */
static void
restore (GPtrArray *marks,
         GArray    *record,
         MaphexBookmarks *self)
{
  for (guint i = 0; i < record->len; i++)
    {
      MaphexMarkChange *change = &g_array_index (record, MaphexMarkChange, i);
      MaphexBookmark *mark = _maphex_bookmarks_find_id (marks, change->mark->id, NULL);

      if (mark != NULL)
        {
          mark->offset = change->mark->offset;
          mark->length = change->mark->length;
        }
      else if (change->removed)
        _maphex_bookmarks_insert (self, marks, _maphex_bookmark_copy (change->mark));
    }
  resort (marks);
}

/* Drops the records of steps the history no longer has: dropped by its
 * memory limit, or redo steps a new edit threw away. */
static void
prune_records (MaphexBookmarks *self)
{
  GHashTable *tables[] = { self->forward, self->backward };
  g_autoptr(GHashTable) serials = _maphex_document_dup_step_serials (self->document);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, tables[t]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint64 serial = g_ascii_strtoull (key, NULL, 10);

          if (!g_hash_table_contains (serials, &serial))
            g_hash_table_iter_remove (&iter);
        }
    }
}

static void
on_history_trimmed (MaphexDocument  *document,
                    guint            dropped,
                    MaphexBookmarks *self)
{
  prune_records (self);
}

guint
_maphex_bookmarks_get_n_records (MaphexBookmarks *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), 0);
  return g_hash_table_size (self->forward) + g_hash_table_size (self->backward);
}

static void
on_content_shifted (MaphexDocument  *document,
                    gint64           offset,
                    gint64           removed,
                    gint64           inserted,
                    guint            cause,
                    guint64          serial,
                    MaphexBookmarks *self)
{
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT, serial, offset);
  GHashTable *mine = cause == MAPHEX_SHIFT_UNDO ? self->backward : self->forward;
  GHashTable *other = cause == MAPHEX_SHIFT_UNDO ? self->forward : self->backward;
  GArray *record = changes_new ();
  GArray *earlier;
  gboolean any;

  /* A new step (the first shift of its serial; Replace All shifts once a
   * match under one) may have thrown redo steps away. */
  if (cause == MAPHEX_SHIFT_EDIT && serial != self->last_serial)
    prune_records (self);
  self->last_serial = serial;
  any = apply_shift (self->marks, offset, removed, inserted, record);
  earlier = g_hash_table_lookup (other, key);
  if (earlier != NULL)
    {
      restore (self->marks, earlier, self);
      any = TRUE;
    }
  if (record->len > 0)
    g_hash_table_replace (mine, g_steal_pointer (&key), record);
  else
    g_array_unref (record);
  if (any)
    changed (self);
}

static void
on_file_changed (MaphexDocument  *document,
                 MaphexBookmarks *self)
{
  self->disk_changed = TRUE;
}

void
_maphex_bookmarks_reloaded (MaphexBookmarks *self)
{
  gint64 length;
  gboolean any = FALSE;

  g_return_if_fail (MAPHEX_IS_BOOKMARKS (self));
  g_return_if_fail (self->document != NULL);

  /* The marks now stand on the file as it is. */
  self->disk_changed = FALSE;

  /* The history is gone: no shift recorded here can be undone or redone. */
  g_hash_table_remove_all (self->forward);
  g_hash_table_remove_all (self->backward);

  length = maphex_document_get_length (self->document);
  for (guint i = self->marks->len; i > 0; i--)
    {
      MaphexBookmark *mark = g_ptr_array_index (self->marks, i - 1);

      if (mark->offset >= length)
        g_ptr_array_remove_index (self->marks, i - 1);
      else if (mark->length > length - mark->offset)
        mark->length = length - mark->offset;
      else
        continue;
      any = TRUE;
    }
  if (any)
    changed (self);
}

/* ------------------------------------------------------------------ */
/* Queries and changes                                                 */

guint
maphex_bookmarks_get_n_items (MaphexBookmarks *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), 0);
  return self->marks->len;
}

const MaphexBookmark *
maphex_bookmarks_get_nth (MaphexBookmarks *self,
                          guint            index)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);
  return g_ptr_array_index (self->marks, index);
}

const MaphexBookmark *
maphex_bookmarks_lookup (MaphexBookmarks *self,
                         guint            id)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), NULL);
  return _maphex_bookmarks_find_id (self->marks, id, NULL);
}

const MaphexBookmark *
maphex_bookmarks_find_at (MaphexBookmarks *self,
                          gint64           offset)
{
  const MaphexBookmark *best = NULL;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), NULL);

  for (guint i = maphex_bookmarks_first_reaching (self, offset); i < self->marks->len; i++)
    {
      const MaphexBookmark *mark = g_ptr_array_index (self->marks, i);

      if (mark->offset > offset)
        break;
      if (offset < mark->offset + mark->length && (best == NULL || mark->length < best->length))
        best = mark;
    }
  return best;
}

guint
maphex_bookmarks_first_reaching (MaphexBookmarks *self,
                                 gint64           offset)
{
  guint low = 0, high;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), 0);

  if (!self->max_end_valid)
    {
      gint64 furthest = G_MININT64;

      g_array_set_size (self->max_end, self->marks->len);
      for (guint i = 0; i < self->marks->len; i++)
        {
          const MaphexBookmark *mark = g_ptr_array_index (self->marks, i);

          furthest = MAX (furthest, mark->offset + mark->length);
          g_array_index (self->max_end, gint64, i) = furthest;
        }
      self->max_end_valid = TRUE;
    }
  high = self->marks->len;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (g_array_index (self->max_end, gint64, mid) > offset)
        high = mid;
      else
        low = mid + 1;
    }
  return low;
}

const MaphexBookmark *
maphex_bookmarks_next (MaphexBookmarks *self,
                       gint64           offset)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), NULL);

  for (guint i = 0; i < self->marks->len; i++)
    {
      const MaphexBookmark *mark = g_ptr_array_index (self->marks, i);

      if (mark->offset > offset)
        return mark;
    }
  return NULL;
}

const MaphexBookmark *
maphex_bookmarks_previous (MaphexBookmarks *self,
                           gint64           offset)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), NULL);

  for (guint i = self->marks->len; i > 0; i--)
    {
      const MaphexBookmark *mark = g_ptr_array_index (self->marks, i - 1);

      if (mark->offset < offset)
        return mark;
    }
  return NULL;
}

static gboolean
check_colour (guint    colour,
              GError **error)
{
  if (colour < MAPHEX_BOOKMARK_N_COLOURS)
    return TRUE;
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
               _("There is no bookmark color %u (the palette has %d)"),
               colour, MAPHEX_BOOKMARK_N_COLOURS);
  return FALSE;
}

static void
set_texts (MaphexBookmark *mark,
           const char     *name,
           const char     *note)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  g_free (mark->name);
  mark->name = stripped[0] != '\0' ? g_steal_pointer (&stripped)
                                   : maphex_bookmark_default_name (mark->offset);
  g_free (mark->note);
  mark->note = g_strdup (note != NULL ? note : "");
}

guint
maphex_bookmarks_add (MaphexBookmarks *self,
                      gint64           offset,
                      gint64           length,
                      const char      *name,
                      guint            colour,
                      const char      *note,
                      GError         **error)
{
  gint64 doc_length;
  MaphexBookmark *mark;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), 0);

  if (self->document == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Cannot add a bookmark: the file was closed"));
      return 0;
    }
  doc_length = maphex_document_get_length (self->document);
  if (offset < 0 || length < 1 || offset > doc_length || length > doc_length - offset)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Cannot mark %lld bytes at offset %lld: the file has %lld bytes"),
                   (long long) length, (long long) offset, (long long) doc_length);
      return 0;
    }
  if (!check_colour (colour, error))
    return 0;

  mark = g_new0 (MaphexBookmark, 1);
  mark->id = self->next_id++;
  mark->offset = offset;
  mark->length = length;
  mark->colour = colour;
  set_texts (mark, name, note);
  _maphex_bookmarks_insert (self, self->marks, mark);
  changed (self);
  return mark->id;
}

gboolean
maphex_bookmarks_update (MaphexBookmarks *self,
                         guint            id,
                         const char      *name,
                         guint            colour,
                         const char      *note,
                         GError         **error)
{
  MaphexBookmark *mark;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), FALSE);

  mark = _maphex_bookmarks_find_id (self->marks, id, NULL);
  if (mark == NULL)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("The bookmark was removed meanwhile"));
      return FALSE;
    }
  if (!check_colour (colour, error))
    return FALSE;
  mark->colour = colour;
  set_texts (mark, name, note);

  changed (self);
  return TRUE;
}

gboolean
maphex_bookmarks_remove (MaphexBookmarks *self,
                         guint            id)
{
  guint index;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), FALSE);

  if (_maphex_bookmarks_find_id (self->marks, id, &index) == NULL)
    return FALSE;
  g_ptr_array_remove_index (self->marks, index);
  changed (self);
  return TRUE;
}

gboolean
maphex_bookmarks_get_file_changed (MaphexBookmarks *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (self), FALSE);
  return self->file_changed;
}

void
maphex_bookmarks_flush (MaphexBookmarks *self)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARKS (self));

  if (self->save_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      _maphex_bookmarks_store_save (self);
    }
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

void
_maphex_bookmarks_detach (MaphexBookmarks *self)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARKS (self));

  if (self->document == NULL)
    return;
  /* Written at the end even without a change: the stamp becomes the file's
     as it is now (write-through typing changed its time, or the marks were
     fitted to a file that changed), so the next run trusts them; unless
     another program changed it and it was not reloaded (disk_changed). */
  g_clear_handle_id (&self->save_source, g_source_remove);
  _maphex_bookmarks_store_save (self);
  g_signal_handlers_disconnect_by_data (self->document, self);
  self->document = NULL;
}

static void
maphex_bookmarks_dispose (GObject *object)
{
  MaphexBookmarks *self = MAPHEX_BOOKMARKS (object);

  _maphex_bookmarks_detach (self);
  /* A change made after the document went (a list's Delete) is written
     now, not by a timeout on a freed object. */
  maphex_bookmarks_flush (self);
  G_OBJECT_CLASS (maphex_bookmarks_parent_class)->dispose (object);
}

static void
maphex_bookmarks_finalize (GObject *object)
{
  MaphexBookmarks *self = MAPHEX_BOOKMARKS (object);

  g_clear_pointer (&self->marks, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_hash_table_unref);
  g_clear_pointer (&self->backward, g_hash_table_unref);
  g_clear_pointer (&self->max_end, g_array_unref);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->file_path, g_free);
  G_OBJECT_CLASS (maphex_bookmarks_parent_class)->finalize (object);
}

static void
maphex_bookmarks_class_init (MaphexBookmarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = maphex_bookmarks_dispose;
  object_class->finalize = maphex_bookmarks_finalize;

  signals[MARKS_STORE_FAILED] = g_signal_new ("store-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[MARKS_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
maphex_bookmarks_init (MaphexBookmarks *self)
{
  self->marks = g_ptr_array_new_with_free_func ((GDestroyNotify) _maphex_bookmark_free);
  self->forward = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_array_unref);
  self->backward = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  self->next_id = 1;
  self->max_end = g_array_new (FALSE, FALSE, sizeof (gint64));
}

MaphexBookmarks *
_maphex_bookmarks_new (MaphexDocument *document)
{
  MaphexBookmarks *self = g_object_new (MAPHEX_TYPE_BOOKMARKS, NULL);
  GFile *file = maphex_document_get_file (document);

  self->document = document;
  g_signal_connect (document, "content-shifted", G_CALLBACK (on_content_shifted), self);
  g_signal_connect (document, "file-changed", G_CALLBACK (on_file_changed), self);
  g_signal_connect (document, "history-trimmed", G_CALLBACK (on_history_trimmed), self);

  if (file != NULL && !maphex_document_is_scratch (document) &&
      !maphex_document_is_snapshot (document))
    {
      g_autofree char *path = g_file_get_path (file);
      char *canonical = path != NULL ? realpath (path, NULL) : NULL;

      if (canonical != NULL)
        {
          self->file_path = g_strdup (canonical);
          free (canonical);
          self->store_path = _maphex_bookmarks_store_path_for (self->file_path);
          _maphex_bookmarks_store_load (self);
        }
    }
  return self;
}

void
_maphex_bookmarks_emit_store_failed (MaphexBookmarks *self,
                                     const char      *message)
{
  g_signal_emit (self, signals[MARKS_STORE_FAILED], 0, message);
}
