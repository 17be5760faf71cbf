/* maphex-bookmarks.h: the marks a user puts on a document's bytes.
 *
 * A document has one MaphexBookmarks (maphex_document_get_bookmarks); every
 * window and view of it shows the same marks. A mark is a range of bytes with
 * a name, a colour from a small palette and an optional note. Marks follow
 * the document's insertions and deletions ("content-shifted"): an insert
 * before a mark moves it, one inside it grows it, a delete over it shrinks or
 * removes it; undoing the insert or delete puts each mark back where it was.
 *
 * Only write-through documents and scratch buffers shift, and a
 * write-through edit is in the file at once, so the marks always describe
 * the file as it is.
 *
 * Marks of a file are kept across runs in the user's data directory
 * (maphex-bookmarks-store.c), keyed by the file's canonical path, with its
 * size and modification time to notice that it changed meanwhile. Scratch
 * buffers and snapshots have marks for as long as they are open.
 *
 * Main thread only. GLib only.
 */
#pragma once

#include "maphex-document.h"

G_BEGIN_DECLS

#define MAPHEX_BOOKMARK_N_COLOURS 6

typedef struct {
  guint   id;        /* unique in its document, never reused */
  gint64  offset;
  gint64  length;    /* >= 1 */
  char   *name;
  guint   colour;    /* 0 .. MAPHEX_BOOKMARK_N_COLOURS - 1 */
  char   *note;      /* "" for none */
} MaphexBookmark;

#define MAPHEX_TYPE_BOOKMARKS (maphex_bookmarks_get_type ())
G_DECLARE_FINAL_TYPE (MaphexBookmarks, maphex_bookmarks, MAPHEX, BOOKMARKS, GObject)

/* The document's marks, made (and for a file, read from the store) on the
 * first call. The document keeps them; no reference is returned. */
MaphexBookmarks *maphex_document_get_bookmarks (MaphexDocument *document);

/* The palette: a colour's name ("Yellow", translated) and its RGB as
 * "#rrggbb". */
const char *maphex_bookmark_colour_name (guint colour);
const char *maphex_bookmark_colour_rgb  (guint colour);
/* The name a mark gets when it is given none: its offset ("0x1A2B"). */
char       *maphex_bookmark_default_name (gint64 offset);

/* The marks in file order (by offset, then by the order they were made). */
guint                 maphex_bookmarks_get_n_items (MaphexBookmarks *self);
const MaphexBookmark *maphex_bookmarks_get_nth     (MaphexBookmarks *self, guint index);
const MaphexBookmark *maphex_bookmarks_lookup      (MaphexBookmarks *self, guint id);
/* The mark over the byte at `offset` (the shortest, when several are), or
 * NULL. */
const MaphexBookmark *maphex_bookmarks_find_at     (MaphexBookmarks *self, gint64 offset);
/* The first mark that starts after `offset`, or the last that starts before
 * it; NULL when there is none. */
const MaphexBookmark *maphex_bookmarks_next        (MaphexBookmarks *self, gint64 offset);
const MaphexBookmark *maphex_bookmarks_previous    (MaphexBookmarks *self, gint64 offset);
/* The index of the first mark (in file order) that may reach past
 * `offset`: every mark before it ends at or before `offset`. From there, a
 * walk over the marks that start before an end finds every mark over a
 * range without looking at the ones before it (O(log n)). */
guint                 maphex_bookmarks_first_reaching (MaphexBookmarks *self, gint64 offset);

/* Marks [offset, offset + length): a name NULL or "" gets the default, a
 * note NULL none. Returns the new mark's id, or 0 with *error (RANGE: the
 * range is not inside the document; INVALID: a colour outside the
 * palette, or the document is gone). */
guint    maphex_bookmarks_add    (MaphexBookmarks *self, gint64 offset, gint64 length,
                                  const char *name, guint colour, const char *note,
                                  GError **error);
/* Renames, recolours and sets the note of mark `id` (a name "" gets the
 * default). FALSE with *error when there is no such mark or the colour is
 * outside the palette. */
gboolean maphex_bookmarks_update (MaphexBookmarks *self, guint id, const char *name,
                                  guint colour, const char *note, GError **error);
gboolean maphex_bookmarks_remove (MaphexBookmarks *self, guint id);

/* TRUE when the marks were read from the store for a file whose size or
 * modification time differs from when they were written: another program
 * changed it, and the marks may no longer mark the same bytes. */
gboolean maphex_bookmarks_get_file_changed (MaphexBookmarks *self);

/* Writes a pending change to the store now (changes are written shortly
 * after they are made, and when the document goes). */
void     maphex_bookmarks_flush  (MaphexBookmarks *self);

/* Signals:
 *  "changed" (): a mark was added, removed, renamed, recoloured, or moved by
 *       a shift.
 *  "store-failed" (const char *message): the marks could not be written to
 *       the store (the message names the file and why): they stay for this
 *       run only. */

G_END_DECLS
