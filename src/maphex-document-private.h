/* maphex-document-private.h: MaphexDocument internals shared by
 * the maphex-document-*.c files (and the document tests).
 *
 * Locking: `map_lock` serializes every core call on `map` and every change of
 * `map`, `length` and `exports`. It is a recursive mutex, so a helper that
 * takes it may be called with it held. Signals and notifications are emitted
 * on the main thread (the thread default context at construction) only.
 */
#pragma once

#include "maphex-document.h"
#include "mm-map.h"

#include <sys/stat.h>

G_BEGIN_DECLS

typedef struct _MaphexRun MaphexRun;   /* a long operation (maphex-document-run.c) */
/* Removed bytes kept for undo in an unlinked temporary file
 * (maphex-document-undo-file.c); reference-counted, any thread. */
typedef struct _MaphexUndoFile MaphexUndoFile;

/* One view's export. `view` is NULL while the map is empty (length 0, no map)
 * and between the release and the re-export of a length-changing edit. The
 * export holds a reference on its document until it is unexported. */
struct _MaphexExport {
  MaphexDocument *doc;
  MmView         *view;
};

typedef enum {
  MAPHEX_STEP_WRITE,   /* bytes [offset, offset+len) were `old`, became `pattern` repeated */
  MAPHEX_STEP_MOVE,    /* core move(dest=offset, src, len); `old` = the destination's old bytes */
  MAPHEX_STEP_INSERT,  /* len bytes inserted at offset: `pattern` (empty: zeros) */
  MAPHEX_STEP_DELETE,  /* len bytes deleted at offset: `old` */
  MAPHEX_STEP_RESIZE,  /* length old_length -> new_length; shrinking keeps the cut tail in `old` */
  MAPHEX_STEP_REPLACE_ALL, /* each of `matches` (offsets in the file before the step) was
                              its part of `old`, in order, and became `pattern` (len bytes);
                              the length went from old_length to new_length */
} MaphexStepKind;

typedef struct {
  MaphexStepKind kind;
  guint64        serial;       /* identifies the document state after this step */
  gint64         offset;
  gint64         len;
  gint64         src;          /* MOVE */
  gint64         old_length;   /* RESIZE, REPLACE_ALL */
  gint64         new_length;   /* RESIZE, REPLACE_ALL */
  GByteArray    *old;          /* nullable */
  MaphexUndoFile *old_file;    /* DELETE, RESIZE: instead of `old` when the removed bytes
                                  were big (they cost disk, not memory); nullable */
  GByteArray    *pattern;      /* nullable */
  gboolean       typing;       /* a set_byte run that later set_byte calls may extend */
  GBytes        *matches;      /* REPLACE_ALL: MaphexSearchMatch[], sorted, disjoint */
  gboolean       shifts;       /* REPLACE_ALL: some match's length is not len's: bytes move */
} MaphexStep;

struct _MaphexDocument {
  GObject       parent_instance;

  GRecMutex     map_lock;
  MmMap        *map;           /* NULL while the content is empty */
  gint64        length;
  GPtrArray    *exports;       /* MaphexExport*, not owned */

  int           fd;            /* the file, kept open (-1 for scratch) */
  GFile        *file;          /* NULL for scratch */
  char         *path;          /* local path, NULL for scratch */
  MaphexMode    mode;
  gboolean      scratch;
  guint         scratch_number;
  gboolean      is_device;     /* a block device: fixed size */
  char         *snapshot_source;  /* a snapshot: what it was read from ("/proc/self/maps") */
  char         *snapshot_path;    /* its path, NULL for a descriptor (standard input) */
  char         *snapshot_reason;  /* why it is a snapshot, when mmap was refused; NULL */
  gint64        snapshot_time;    /* g_get_real_time () when it was read */

  GQueue        undo;          /* MaphexStep*, head = most recent */
  GQueue        redo;          /* MaphexStep*, head = next to redo */
  guint64       next_serial;
  guint64       saved_serial;  /* serial of the state last saved (0: as opened) */
  gboolean      modified;
  gsize         undo_limit;    /* bytes the history may hold (maphex_document_set_undo_limit) */
  guint64       trimmed_serial; /* the state after the newest step dropped by the limit (0: none) */
  gboolean      can_undo;
  gboolean      can_redo;

  GArray       *dirty;         /* copy-on-write: sorted, disjoint {gint64 start, end} since the last save */

  GMainContext *context;       /* where signals are emitted */
  GFileMonitor *monitor;
  gint64        own_write_time;   /* monotonic time of our last change to the file's length */
  gint64        known_mtime;      /* st_mtim (ns) and size of the file as we last knew it */
  gint64        known_size;
  gint          shrunk_reported;  /* atomic: "file-shrunk" emitted for this episode */
  gboolean      size_unsynced;    /* write-through: the length changed since the last save */
  guint         n_size_syncs;     /* tests: fdatasync calls that made a new length durable */
  guint         n_dir_syncs;      /* atomic; tests: directory fsyncs after a Save As rename */

  GObject      *bookmarks;        /* MaphexBookmarks (maphex-bookmarks.c), made on first use */

  MaphexRun    *run;              /* main thread: the long operation running, or NULL */
  gint64        run_started;      /* its monotonic start time */
  guint         progress_source;  /* notifies "progress" while it runs */
};

typedef struct {
  gint64 start;
  gint64 end;
} MaphexRange;

/* Takes the map lock and returns the map, or NULL when the document is
 * empty (length 0). Call _maphex_document_unlock_map() in every case. */
MmMap   *_maphex_document_lock_map   (MaphexDocument *self);
void     _maphex_document_unlock_map (MaphexDocument *self);

/* A file's modification time in nanoseconds, as the document keeps it. */
static inline gint64
_maphex_stat_mtime_ns (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

/* The one place MmError becomes GError: MAPHEX_DOCUMENT_ERROR with the code
 * that mirrors the status, and the core's message. */
GError  *_maphex_document_error_from_mm (const MmError *mm_error);
/* Sets *error from mm_error; on MM_ERROR_FAULT also reports the shrink
 * ("file-shrunk" from the main context, once per episode). Any thread. */
void     _maphex_document_propagate_mm_error (MaphexDocument *self, GError **error,
                                              const MmError  *mm_error);
/* Emits "file-shrunk" once per episode, from an idle source on the main
 * context (never synchronously, so never under the map lock). Any thread. */
void     _maphex_document_report_fault (MaphexDocument *self);

/* For worker threads, before they touch the map: unblocks SIGBUS and SIGSEGV
 * in the calling thread. A thread takes its signal mask from the thread that
 * made it (GLib's worker thread blocks every signal, and pool threads are
 * shared), and the kernel kills a process whose thread faults with them
 * blocked, whatever the core's guard would have done. */
void     _maphex_document_unblock_fault_signals (void);

/* The export's MmView (NULL for an empty document). Use it under the lock. */
MmView  *_maphex_export_get_view (MaphexExport *export_);

/* Tests: how many saves made a changed length durable (fdatasync of the
 * write-through file) and how many Save As renames were made durable (fsync
 * of the destination directory). */
guint    _maphex_document_get_n_size_syncs (MaphexDocument *self);
guint    _maphex_document_get_n_dir_syncs  (MaphexDocument *self);

/* Tests: bytes the undo and redo history holds (old and new bytes of every
 * step), and the copy-on-write dirty ranges (an array of MaphexRange). */
gsize    _maphex_document_get_history_bytes (MaphexDocument *self);
GArray  *_maphex_document_dup_dirty_ranges  (MaphexDocument *self);

/* Shared by the maphex-document-*.c files (each file's opening comment says
 * what it owns). */

/* Chunk for copies between the map and a file, and for pattern writes. */
#define CHUNK_SIZE ((gint64) 1 << 20)

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
  PROP_IS_DEVICE,
  PROP_BUSY,            /* the long-operation runner's (maphex-document-run.c) */
  PROP_OPERATION_NAME,
  PROP_PROGRESS,
  N_PROPS
};

enum {
  BYTES_CHANGED,
  FILE_CHANGED,
  FILE_SHRUNK,
  HISTORY_TRIMMED,
  CONTENT_SHIFTED,
  N_SIGNALS
};

extern GParamSpec *_maphex_document_properties[N_PROPS];
extern guint       _maphex_document_signals[N_SIGNALS];

/* maphex-document.c: errors, state notifications */
int _maphex_document_io_error_code_from_errno (int errsv);
void _maphex_document_note_own_write (MaphexDocument *self, int fd);
void _maphex_document_emit_bytes_changed (MaphexDocument *self, gint64 offset,
                                          gint64 len);
void _maphex_document_reexport_locked (MaphexDocument *self, MaphexExport *own);
void _maphex_document_notify_length_if_changed (MaphexDocument *self, gint64 old_length);
/* "content-shifted" (main thread): see maphex-document.h. */
void _maphex_document_emit_content_shifted (MaphexDocument *self, gint64 offset,
                                            gint64 removed, gint64 inserted,
                                            MaphexShiftCause cause, guint64 serial);

/* maphex-document-history.c: steps and state */
MaphexStep *_maphex_document_step_new (MaphexStepKind kind, gint64 offset, gint64 len);
GByteArray *_maphex_document_byte_array_new_copy (const guint8 *data, gsize len);
GByteArray *_maphex_document_save_bytes_locked (MaphexDocument *self, gint64 offset,
                                                gint64 len, GError **error);
guint64 _maphex_document_current_serial (MaphexDocument *self);
/* The serials of the steps still in the undo or redo history, as a set. */
GHashTable *_maphex_document_dup_step_serials (MaphexDocument *self);
void _maphex_document_update_state (MaphexDocument *self);
void _maphex_document_clear_queue (GQueue *queue);
void _maphex_document_push_step (MaphexDocument *self, MaphexStep *step);
void _maphex_document_mark_saved (MaphexDocument *self, guint64 serial);

/* maphex-document-edit.c: the map under the lock */
gboolean _maphex_document_check_range (MaphexDocument *self, gint64 offset, gint64 len,
                                       GError **error);
gboolean _maphex_document_read_locked (MaphexDocument *self, gint64 offset, guint8 *dst,
                                       gint64 n, GError **error);
gboolean _maphex_document_write_locked (MaphexDocument *self, gint64 offset, gint64 len,
                                        const guint8 *pattern, gint64 pattern_len,
                                        GError **error);
gboolean _maphex_document_move_locked (MaphexDocument *self, gint64 dest, gint64 src,
                                       gint64 count, GError **error);
/* Puts `old` back over [offset, offset + len) page by page, on past the
 * pages that fault. Lock held. */
void     _maphex_document_restore_locked (MaphexDocument *self, gint64 offset,
                                          const guint8 *old, gint64 len);
gboolean _maphex_document_apply_in_place (MaphexDocument *self, gint64 offset, gint64 len,
                                          const guint8 *pattern, gint64 pattern_len,
                                          gint64 src, GByteArray **old, GError **error);

/* maphex-document-shift.c: length changes */
gboolean _maphex_document_check_other_exports_locked (MaphexDocument *self,
                                                      MaphexExport *own, GError **error);

/* maphex-document-save.c: file helpers shared with Save As */
gboolean _maphex_document_write_all (int fd, const guint8 *data, gint64 n, gint64 offset,
                                     GError **error);
gboolean _maphex_document_prefix_error (GError **error, GError *local_error,
                                        const char *path);
gboolean _maphex_document_same_inode_as_document (MaphexDocument *self,
                                                  const struct stat *st);
gint64 _maphex_document_disk_size        (MaphexDocument *self);
gint64 _maphex_document_shrunk_disk_size (MaphexDocument *self);
char *_maphex_document_format_byte_count (gint64 n);
gboolean _maphex_document_ranges_intersect (const GArray *ranges, gint64 from, gint64 to);

/* ---- Shared with the long-operation runner (lock held where the name
 * says _locked; no signals) ---- */
/* Changes the length; every export's MmView must have been released.
 * Nothing changes when it fails. */
gboolean _maphex_document_resize_locked      (MaphexDocument *self, gint64 new_length,
                                              GError **error);
/* After a fault: how far the file still backs the map (its size rounded up
 * to a page), at most the length. */
gint64   _maphex_document_backed_length_locked (MaphexDocument *self);
/* Refusals with the reason: a mode that cannot resize; an operation running. */
gboolean _maphex_document_refuse_length_change (MaphexDocument *self, GError **error);
gboolean _maphex_document_refuse_busy        (MaphexDocument *self, GError **error);
GByteArray *_maphex_document_byte_array_try_new (gint64 len, GError **error);

/* The head step of the undo (undo) or redo stack was replayed: it moves to
 * the other one. */
void     _maphex_document_replayed           (MaphexDocument *self, MaphexStep *step, gboolean undo);

/* Saving (maphex-document-save.c). The _work functions run in the runner
 * (any thread) and report progress and check cancellation through `run`. */
gboolean _maphex_document_check_save         (MaphexDocument *self, GError **error);
gboolean _maphex_document_save_work          (MaphexDocument *self, MaphexRun *run, GError **error);
gboolean _maphex_document_save_as_work       (MaphexDocument *self, MaphexRun *run,
                                              const char *dest_path, const GArray *dirty,
                                              GError **error);
char    *_maphex_document_dup_local_path     (GFile *file, GError **error);
/* Whether dest_path is the file the document has open (Save As saves then). */
gboolean _maphex_document_is_own_file        (MaphexDocument *self, const char *dest_path);
gboolean _maphex_document_save_onto_own_file (MaphexDocument *self, GCancellable *cancellable,
                                              GError **error);

/* ---- The runner (maphex-document-run.c) ---- */
/* Undo (undo) or redo of an insert, a delete or a resize, synchronously,
 * through the runner; the step moves to the other stack when it succeeds. */
gboolean _maphex_document_replay_long        (MaphexDocument *self, MaphexExport *own,
                                              MaphexStep *step, gboolean undo, GError **error);
gboolean _maphex_document_step_is_long       (const MaphexStep *step);
/* Worker side: the run's cancellable; `n` more bytes done (one chunk);
 * the bytes to do in all. `run` may be NULL (no progress). */
GCancellable *_maphex_run_get_cancellable    (MaphexRun *run);
void     _maphex_run_add_done                (MaphexRun *run, gint64 n);
void     _maphex_run_set_total               (MaphexRun *run, gint64 total);
/* `n` more bytes done that are not a chunk (no test hook): a search's. */
void     _maphex_run_add_progress            (MaphexRun *run, gint64 n);

/* Tests: the chunk every operation moves, reads, writes or flushes between
 * two cancellation checks (rounded up to a page; 0: the default, 4 MiB), and
 * a hook called in the worker after every chunk, outside the lock (chunk
 * counts from 1), to cancel, truncate or pause at a chosen point. */
typedef void (*MaphexRunChunkHook) (MaphexDocument *doc, guint chunk, gpointer data);
void     _maphex_document_run_set_chunk_size (gint64 chunk);
gint64   _maphex_document_run_get_chunk_size (void);
void     _maphex_document_run_set_chunk_hook (MaphexRunChunkHook hook, gpointer data);

/* The runner's state, shared by maphex-document-run*.c. */
typedef enum {
  RUN_INSERT,
  RUN_DELETE,
  RUN_RESIZE,
  RUN_SAVE,
  RUN_SAVE_AS,
  RUN_RELOAD,
  RUN_SAVE_SOURCE,              /* a snapshot written back (maphex-document-snapshot.c) */
  RUN_REPLACE_ALL,              /* maphex-document-replace.c */
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
  MaphexUndoFile *data_file;    /* instead of `data` when the removed bytes are big */
  gboolean        fresh_data;   /* DELETE/RESIZE: `data` is read by the run (a new edit) */
  MaphexStep     *replay;       /* the step undone or redone; NULL for a new edit */
  gboolean        undo;
  char           *dest_path;    /* SAVE_AS */
  MaphexExport   *hold;         /* SAVE_AS: an export held while it reads */
  GArray         *dirty;        /* SAVE_AS: the dirty ranges as it began */
  guint64         serial;       /* SAVE, SAVE_AS: the state saved */
  struct stat     reload_st;    /* RELOAD: the file as it was mapped again */
  MaphexSearchQuery *query;     /* REPLACE_ALL: what to replace */
  GBytes         *replacement;  /* REPLACE_ALL: with what */
  GBytes         *matches;      /* REPLACE_ALL: the matches replaced (MaphexSearchMatch[]);
                                   a single Replace: its range */
  gint64         *count_out;    /* REPLACE_ALL, synchronous: the count, once done */

  GCancellable   *cancellable;
  gint64          done;         /* atomic */
  gint64          total;
  guint           chunks;       /* worker: chunks done, for the test hook */
  gboolean        ok;
  GError         *error;
};


/* maphex-document-run.c */
void _maphex_run_free (MaphexRun *run);
MaphexRun *_maphex_run_new (MaphexDocument *self, RunKind kind, MaphexExport *own,
                            char *name);
gboolean _maphex_run_cancelled (MaphexRun *run, GError **error);
gboolean _maphex_run_sync (MaphexRun *run, GError **error);
void _maphex_run_async (MaphexRun *run, GCancellable *cancellable, gpointer source_tag,
                        GAsyncReadyCallback callback, gpointer user_data);
void _maphex_run_report_error (MaphexDocument *self, gpointer source_tag,
                               GAsyncReadyCallback callback, gpointer user_data,
                               GError *error);
/* What every _async entry point does with what its prepare_* returned: a
 * run goes to the worker; NULL is a refusal, reported through the callback
 * (`error`, taken; NULL reports success). */
void _maphex_run_start (MaphexDocument *self, MaphexRun *run, GError *error,
                        GCancellable *cancellable, gpointer source_tag,
                        GAsyncReadyCallback callback, gpointer user_data);

/* maphex-document-run-shift.c */
gboolean _maphex_run_work_insert (MaphexRun *run, GError **error);
gboolean _maphex_run_work_delete (MaphexRun *run, GError **error);
gboolean _maphex_run_work_resize (MaphexRun *run, GError **error);
/* Their pieces, for the rewrite (maphex-document-rewrite.c): a length change
 * with every export's view released and taken again; a chunked move through
 * the descriptor (a file) or the map (scratch), `run` nullable; a write
 * through the descriptor; a failure's error made FAULT when the file no
 * longer backs the map. */
gboolean _maphex_run_resize_with_exports (MaphexDocument *self, gint64 new_length,
                                          GError **error);
gboolean _maphex_run_move_in_chunks (MaphexDocument *self, MaphexRun *run, gint64 dest,
                                     gint64 src, gint64 count, gint64 *moved, GError **error);
gboolean _maphex_run_pwrite_all (MaphexDocument *self, const guint8 *buffer, gint64 dest,
                                 gint64 n, GError **error);
/* Reads exactly n bytes at src through the descriptor; the file ending
 * before them is FAULT ("Another program shrank the file…",
 * _maphex_run_shrank_error). */
gboolean _maphex_run_pread_all  (MaphexDocument *self, guint8 *buffer, gint64 src,
                                 gint64 n, GError **error);
GError  *_maphex_run_shrank_error (void);
void     _maphex_run_note_shrink (MaphexDocument *self, GError **error);
/* maphex-document-open.c: reload's work (any thread) and its end (main thread). */
gboolean _maphex_document_reload_work (MaphexRun *run, GError **error);
void     _maphex_document_reload_done (MaphexRun *run);
/* maphex-document-replace.c: Replace All's work (any thread), its end (main
 * thread), and undoing or redoing its step. */
gboolean _maphex_document_replace_all_work (MaphexRun *run, GError **error);
void     _maphex_document_replace_all_done (MaphexRun *run);
gboolean _maphex_document_replay_replace_all (MaphexDocument *self, MaphexStep *step,
                                              gboolean undo, GError **error);
/* Is a Replace All step's undo or redo a run of its own (else it is done
 * at once, in place); the run that undoes or redoes it. */
gboolean   _maphex_document_replace_all_step_runs (const MaphexStep *step);
MaphexRun *_maphex_document_prepare_replace_all_replay (MaphexDocument *self, MaphexExport *own,
                                                        MaphexStep *step, gboolean undo,
                                                        GError **error);

/* maphex-document-rewrite.c: every one of `n` matches (sorted, disjoint, at
 * their offsets in the file as it was, `orig_length` long) becomes
 * `pattern`, or back (undo): in one pass in the runner (`run` NULL: on
 * this thread, no progress nor cancel), the length changed once. A cancel
 * or a failure puts every byte and the length back. */
typedef struct {
  const MaphexSearchMatch *matches;
  gsize                    n;
  const guint8            *old;          /* the matches' bytes, concatenated */
  const guint8            *pattern;
  gint64                   pattern_len;
  gint64                   orig_length;
  gboolean                 undo;
} MaphexRewrite;
gboolean _maphex_document_rewrite   (MaphexDocument *self, MaphexRun *run,
                                     const MaphexRewrite *rw, GError **error);
/* The length once replaced, `old_total` being the matches' bytes in all. */
gint64   _maphex_rewrite_new_length (const MaphexRewrite *rw, gint64 old_total);

/* maphex-document-search.c: every match of `query` in file order, on the
 * calling thread, through `export_` (a worker's), handed to `func` in
 * batches with how far the search got (every start below `searched` is
 * searched); `func` returning FALSE (and its error) ends the search. */
typedef gboolean (*MaphexSearchBatchFunc) (const MaphexSearchMatch *matches, guint n,
                                           gint64 searched, gpointer data, GError **error);
gboolean _maphex_document_search_all_each (MaphexDocument *self, MaphexExport *export_,
                                           MaphexSearchQuery *query, GCancellable *cancellable,
                                           MaphexSearchBatchFunc func, gpointer data,
                                           GError **error);
/* maphex-document-edit.c: copy-on-write: [start, end) is to be saved (main thread). */
void     _maphex_document_mark_dirty (MaphexDocument *self, gint64 start, gint64 end);
/* maphex-document-snapshot.c: writing a snapshot back to its source (any thread). */
gboolean _maphex_document_save_to_source_work (MaphexRun *run, GError **error);

/* maphex-document-undo-file.c: removed bytes of at least the threshold go to
 * an unlinked temporary file, filled in the runner's chunks (progress and
 * cancel through `run`); nothing is kept and *error says why when it fails. */
gboolean        _maphex_document_wants_undo_file   (gint64 len);
MaphexUndoFile *_maphex_document_save_bytes_to_file (MaphexDocument *self, MaphexRun *run,
                                                     gint64 offset, gint64 len, GError **error);
gboolean        _maphex_undo_file_read   (MaphexUndoFile *file, gint64 at, guint8 *buffer,
                                          gint64 n, GError **error);
gint64          _maphex_undo_file_get_length (MaphexUndoFile *file);
MaphexUndoFile *_maphex_undo_file_ref    (MaphexUndoFile *file);
void            _maphex_undo_file_unref  (MaphexUndoFile *file);
/* Tests: the size from which removed bytes go to a file (< 0: the default,
 * 1 MiB). */
void            _maphex_document_set_undo_file_threshold (gint64 bytes);
/* Tests: fill the file with pread and pwrite, as where copy_file_range
 * cannot copy between the two file systems. */
void            _maphex_document_set_undo_copy_range_disabled (gboolean disabled);

/* Tests: opening acts as if the file system refused mmap of regular files
 * (ENODEV), and a snapshot limit in place of the real one (0: the real). */
void     _maphex_document_set_mmap_refused_for_tests  (gboolean refused);
gboolean _maphex_document_get_mmap_refused_for_tests  (void);
void     _maphex_document_set_snapshot_limit_for_tests (gint64 limit);

/* Tests: Save As acts as if the file system reported no holes (plain copy). */
void     _maphex_document_set_seek_data_disabled (gboolean disabled);
/* Tests: Save As's copy_file_range fails with `errsv` (0: the real call),
 * and how many bytes it copied in all (any document, any thread). */
void     _maphex_document_set_copy_range_errno (int errsv);
gint64   _maphex_document_get_copy_range_bytes (void);

G_END_DECLS
