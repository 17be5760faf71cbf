/* maphex-bookmarks-store.c: a file's marks kept across runs.
 *
 * Owns the store: one key file per marked file,
 * $XDG_DATA_HOME/maphex/bookmarks/<sha256 of its canonical path>.ini, with
 * the path, the size and modification time the file had when the marks were
 * written (so a file another program changed meanwhile is noticed; while
 * the document has not reloaded such a change, a stamp no file has), and a
 * group per mark. Written atomically (g_file_set_contents), shortly after a
 * change and when the document goes. Must not change the marks themselves
 * beyond loading them.
 */
#include "maphex-bookmarks-private.h"
#include "maphex-document-private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define FILE_GROUP "file"
#define MARK_GROUP_PREFIX "bookmark "
#define SAVE_DELAY_MS 500

char *
_maphex_bookmarks_store_path_for (const char *canonical_path)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_path, -1);
  g_autofree char *name = g_strconcat (digest, ".ini", NULL);

  return g_build_filename (g_get_user_data_dir (), "maphex", "bookmarks", name, NULL);
}

/* The size and time of the file the document has open (of its path once
 * the document went): what the marks were made on, even when another file
 * took the path meanwhile. */
static gboolean
file_stamp (MaphexBookmarks *self,
            gint64          *size,
            gint64          *mtime_ns)
{
  int fd = self->document != NULL ? self->document->fd : -1;
  struct stat st;

  if (fd >= 0 ? fstat (fd, &st) != 0 : g_stat (self->file_path, &st) != 0)
    return FALSE;
  *size = st.st_size;
  *mtime_ns = _maphex_stat_mtime_ns (&st);
  return TRUE;
}

void
_maphex_bookmarks_store_load (MaphexBookmarks *self)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *path = NULL;
  gint64 length = maphex_document_get_length (self->document);
  gint64 size, mtime;

  if (!g_key_file_load_from_file (keys, self->store_path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Cannot read the bookmarks of %s from %s: %s",
                   self->file_path, self->store_path, error->message);
      return;
    }

  /* Two paths with the same digest would be a wonder, but say so. */
  path = g_key_file_get_string (keys, FILE_GROUP, "path", NULL);
  if (g_strcmp0 (path, self->file_path) != 0)
    {
      g_warning ("%s holds the bookmarks of %s, not of %s: not used",
                 self->store_path, path != NULL ? path : "?", self->file_path);
      return;
    }
  if (!file_stamp (self, &size, &mtime) ||
      size != g_key_file_get_int64 (keys, FILE_GROUP, "size", NULL) ||
      mtime != g_key_file_get_int64 (keys, FILE_GROUP, "mtime", NULL))
    self->file_changed = TRUE;

  groups = g_key_file_get_groups (keys, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      MaphexBookmark *mark;
      guint64 id;

      if (!g_str_has_prefix (groups[i], MARK_GROUP_PREFIX) ||
          !g_ascii_string_to_unsigned (groups[i] + strlen (MARK_GROUP_PREFIX), 10, 1,
                                       G_MAXUINT - 1, &id, NULL))
        continue;
      mark = g_new0 (MaphexBookmark, 1);
      mark->id = (guint) id;
      mark->offset = g_key_file_get_int64 (keys, groups[i], "offset", NULL);
      mark->length = g_key_file_get_int64 (keys, groups[i], "length", NULL);
      mark->colour = (guint) g_key_file_get_integer (keys, groups[i], "colour", NULL);
      mark->name = g_key_file_get_string (keys, groups[i], "name", NULL);
      mark->note = g_key_file_get_string (keys, groups[i], "note", NULL);
      if (mark->note == NULL)
        mark->note = g_strdup ("");

      /* A file that changed may be shorter now: what is past its end goes. */
      if (mark->offset < 0 || mark->length < 1 || mark->offset >= length ||
          mark->colour >= MAPHEX_BOOKMARK_N_COLOURS || mark->name == NULL ||
          _maphex_bookmarks_find_id (self->marks, mark->id, NULL) != NULL)
        {
          _maphex_bookmark_free (mark);
          continue;
        }
      mark->length = MIN (mark->length, length - mark->offset);
      _maphex_bookmarks_insert (self, self->marks, mark);
    }
}

/* Said on the terminal and to whoever shows the marks ("store-failed"):
 * a change to them will not outlive this run. */
static void
store_failed (MaphexBookmarks *self,
              const char      *reason)
{
  g_autofree char *name = g_filename_display_basename (self->file_path);
  g_autofree char *message = g_strdup_printf (_("Cannot keep the bookmarks of “%s”: %s"), name, reason);

  g_warning ("%s", message);
  _maphex_bookmarks_emit_store_failed (self, message);
}

gboolean
_maphex_bookmarks_store_save (MaphexBookmarks *self)
{
  g_autoptr(GKeyFile) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  GPtrArray *marks = self->marks;
  gint64 size = 0, mtime = 0;
  gsize data_len;

  if (self->store_path == NULL)
    return TRUE;

  if (marks->len == 0)
    {
      if (g_unlink (self->store_path) != 0 && errno != ENOENT)
        {
          int errsv = errno;
          g_autofree char *reason = g_strdup_printf (_("cannot remove %s: %s"), self->store_path,
                                                     g_strerror (errsv));
          store_failed (self, reason);
          return FALSE;
        }
      return TRUE;
    }

  keys = g_key_file_new ();
  /* A stamp no file has: the next run says the file changed. */
  if (self->disk_changed || !file_stamp (self, &size, &mtime))
    size = mtime = -1;
  g_key_file_set_string (keys, FILE_GROUP, "path", self->file_path);
  g_key_file_set_int64 (keys, FILE_GROUP, "size", size);
  g_key_file_set_int64 (keys, FILE_GROUP, "mtime", mtime);
  for (guint i = 0; i < marks->len; i++)
    {
      const MaphexBookmark *mark = g_ptr_array_index (marks, i);
      g_autofree char *group = g_strdup_printf (MARK_GROUP_PREFIX "%u", mark->id);

      g_key_file_set_int64 (keys, group, "offset", mark->offset);
      g_key_file_set_int64 (keys, group, "length", mark->length);
      g_key_file_set_string (keys, group, "name", mark->name);
      g_key_file_set_integer (keys, group, "colour", (int) mark->colour);
      if (mark->note[0] != '\0')
        g_key_file_set_string (keys, group, "note", mark->note);
    }

  data = g_key_file_to_data (keys, &data_len, NULL);
  dir = g_path_get_dirname (self->store_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_autofree char *reason = g_strdup_printf (_("cannot make %s: %s"), dir, g_strerror (errsv));
      store_failed (self, reason);
      return FALSE;
    }
  if (!g_file_set_contents_full (self->store_path, data, (gssize) data_len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      store_failed (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_cb (gpointer data)
{
  MaphexBookmarks *self = data;

  self->save_source = 0;
  _maphex_bookmarks_store_save (self);
  return G_SOURCE_REMOVE;
}

void
_maphex_bookmarks_store_queue (MaphexBookmarks *self)
{
  if (self->store_path != NULL && self->save_source == 0)
    self->save_source = g_timeout_add (SAVE_DELAY_MS, save_cb, self);
}
