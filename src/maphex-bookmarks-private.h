/* maphex-bookmarks-private.h: MaphexBookmarks internals shared by
 * maphex-bookmarks.c (the marks, shifts, undo) and maphex-bookmarks-store.c
 * (the file in the user's data directory), and the tests. */
#pragma once

#include "maphex-bookmarks.h"

G_BEGIN_DECLS

struct _MaphexBookmarks {
  GObject         parent_instance;

  MaphexDocument *document;     /* owns us; NULL once it went (_maphex_bookmarks_detach) */
  GPtrArray      *marks;        /* MaphexBookmark*, in file order */
  guint           next_id;
  /* How the marks a shift moved or removed stood before it, to put them back
     when the shift is undone ("forward": by edits and redos) or redone
     ("backward": by undos). Key: "serial:offset", value: GArray of
     MaphexMarkChange. */
  GHashTable     *forward;
  GHashTable     *backward;
  guint64         last_serial;  /* of the last shift: records are pruned when it changes */
  /* max_end[i]: the furthest end of marks 0..i (never decreasing), for
     maphex_bookmarks_first_reaching; made again after a change. */
  GArray         *max_end;
  gboolean        max_end_valid;

  /* The store (maphex-bookmarks-store.c); store_path NULL: not kept. */
  char           *store_path;
  char           *file_path;    /* the file's canonical path */
  guint           save_source;
  gboolean        file_changed;
  /* Another program changed the file since it was opened or last reloaded:
     the marks were made for the bytes before, so the store must not stamp
     them with the file's new size and time. */
  gboolean        disk_changed;
};

typedef struct {
  MaphexBookmark *mark;         /* a copy, as it was before the shift */
  gboolean        removed;      /* the shift removed it (else: moved it) */
} MaphexMarkChange;

/* For the document (maphex_document_get_bookmarks): its marks, read from
   the store when it is a file. */
MaphexBookmarks *_maphex_bookmarks_new (MaphexDocument *document);
/* For the document, when it goes: writes the store and lets go of it, so
   marks someone else still holds (a dialog, a list) never touch it again. */
void             _maphex_bookmarks_detach (MaphexBookmarks *self);
/* For the document, after a reload: the file may be another length, with no
   shift to follow, so marks past its end go and one across it ends there
   (as when the store is read); the shifts kept for undo are dropped with
   the history. */
void             _maphex_bookmarks_reloaded (MaphexBookmarks *self);
/* How many shifts' records are kept for undo and redo (tests). */
guint            _maphex_bookmarks_get_n_records (MaphexBookmarks *self);

MaphexBookmark *_maphex_bookmark_copy (const MaphexBookmark *mark);
void            _maphex_bookmark_free (MaphexBookmark *mark);
/* The mark `id` in `marks` (and its index), or NULL. */
MaphexBookmark *_maphex_bookmarks_find_id (GPtrArray *marks, guint id, guint *index);
/* Puts `mark` (taken) in file order; marks read from the store keep ids. */
void            _maphex_bookmarks_insert (MaphexBookmarks *self, GPtrArray *marks,
                                          MaphexBookmark *mark);

/* Emits "store-failed" (maphex-bookmarks.h). */
void      _maphex_bookmarks_emit_store_failed (MaphexBookmarks *self, const char *message);

/* maphex-bookmarks-store.c */
/* Where the marks of `canonical_path` are kept:
   $XDG_DATA_HOME/maphex/bookmarks/<sha256 of the path>.ini */
char     *_maphex_bookmarks_store_path_for (const char *canonical_path);
/* Reads the store into self->marks (a missing store: none; a damaged one: a
   warning, none); sets file_changed. */
void      _maphex_bookmarks_store_load     (MaphexBookmarks *self);
/* Writes the marks atomically; none: the store file is
   removed. FALSE with a warning on failure. */
gboolean  _maphex_bookmarks_store_save     (MaphexBookmarks *self);
/* Writes soon (once, after a short delay), from the main context. */
void      _maphex_bookmarks_store_queue    (MaphexBookmarks *self);

G_END_DECLS
