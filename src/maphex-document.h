/* maphex-document.h: one open file (or scratch buffer) = one MmMap.
 *
 * The document is the only GObject that holds an MmMap. It owns the mode,
 * the undo history, saving, search tasks and the file monitor, and turns
 * MmError into GError in one place (MAPHEX_DOCUMENT_ERROR, codes mirror
 * MmStatus). Every view on screen holds a MaphexExport (an MmView taken
 * through the document) and reads bytes only through maphex_export_copy().
 *
 * Threading: the document serializes every core call behind one mutex, so a
 * search task may call the core from a worker thread while the main thread
 * edits. Signals and property notifications are emitted on the main thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  MAPHEX_MODE_READ_ONLY,
  MAPHEX_MODE_COPY_ON_WRITE,
  MAPHEX_MODE_WRITE_THROUGH,
} MaphexMode;

GType maphex_mode_get_type (void) G_GNUC_CONST;
#define MAPHEX_TYPE_MODE (maphex_mode_get_type ())
const char *maphex_mode_to_string (MaphexMode mode);   /* "Read-only", "Copy-on-write", "Write-through" */

/* Codes mirror MmStatus (minus MM_OK), plus document-level failures. */
typedef enum {
  MAPHEX_DOCUMENT_ERROR_CLOSED = 1,
  MAPHEX_DOCUMENT_ERROR_READONLY,
  MAPHEX_DOCUMENT_ERROR_RANGE,
  MAPHEX_DOCUMENT_ERROR_INVALID,
  MAPHEX_DOCUMENT_ERROR_EXPORTED,     /* resize refused: other views hold the map */
  MAPHEX_DOCUMENT_ERROR_UNSUPPORTED,  /* e.g. resize in copy-on-write or read-only mode */
  MAPHEX_DOCUMENT_ERROR_FAULT,        /* the file shrank under the map */
  MAPHEX_DOCUMENT_ERROR_OS,
  MAPHEX_DOCUMENT_ERROR_NOTHING_TO_UNDO,
  MAPHEX_DOCUMENT_ERROR_NOT_REGULAR,  /* directory, FIFO, device... */
  MAPHEX_DOCUMENT_ERROR_BUSY,         /* a long operation runs: wait for it or cancel it */
  MAPHEX_DOCUMENT_ERROR_NEEDS_CONFIRMATION, /* write-through on a block device: ask the user */
  MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT, /* cannot be mapped: open it with maphex_document_new_snapshot */
  MAPHEX_DOCUMENT_ERROR_TOO_LARGE,    /* a snapshot past the memory limit */
} MaphexDocumentError;

#define MAPHEX_DOCUMENT_ERROR (maphex_document_error_quark ())
GQuark maphex_document_error_quark (void);

/* An export held by one view: wraps an MmView. The struct stays valid across
 * a resize made with it as `own` (the document releases the MmView, resizes,
 * and exports again into the same MaphexExport). */
typedef struct _MaphexExport MaphexExport;

#define MAPHEX_TYPE_DOCUMENT (maphex_document_get_type ())
G_DECLARE_FINAL_TYPE (MaphexDocument, maphex_document, MAPHEX, DOCUMENT, GObject)

/* Opening never reads the file's data. Errors: G_IO_ERROR (NOT_FOUND,
 * PERMISSION_DENIED, IS_DIRECTORY, ...) for open(2)/fstat failures, with a
 * message naming the file and the reason; MAPHEX_DOCUMENT_ERROR_NOT_REGULAR
 * for sockets and character devices (they may never end: /dev/zero).
 * An empty file opens with length 0 (no map yet; it can be grown in
 * write-through mode).
 *
 * A block device is mapped as a file is, at its full size: it has a fixed
 * size (resize, insert and delete are refused), and write-through on it is
 * refused with NEEDS_CONFIRMATION unless the flags confirm it.
 *
 * What cannot be mapped fails with MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT (the
 * message says why): FIFOs, files whose size the kernel gives as 0 but
 * that hold bytes (/proc, /sys), and files whose file system refuses mmap
 * (ENODEV, EINVAL). maphex_document_new_snapshot_async opens those. */
typedef enum {
  MAPHEX_OPEN_NONE = 0,
  /* The mode is the user's default, not a choice for this file: a block
     device then opens read-only. */
  MAPHEX_OPEN_MODE_IS_DEFAULT = 1 << 0,
  /* The user confirmed write-through on a block device. */
  MAPHEX_OPEN_CONFIRMED = 1 << 1,
} MaphexOpenFlags;

MaphexDocument *maphex_document_new_for_file (GFile       *file,
                                              MaphexMode   mode,
                                              GError     **error);
MaphexDocument *maphex_document_new_for_file_full (GFile           *file,
                                                   MaphexMode       mode,
                                                   MaphexOpenFlags  flags,
                                                   GError         **error);
/* The mode `file` would open in with these flags: `mode`, except that a
 * disk opens read-only when the mode is the default. */
MaphexMode      maphex_document_mode_for_file     (GFile           *file,
                                                   MaphexMode       mode,
                                                   MaphexOpenFlags  flags);

/* Snapshots (maphex-document-snapshot.c): the bytes of `file` (NULL: of
 * `fd`, e.g. standard input; the fd is duplicated, the caller keeps its own)
 * read once, in a worker thread, into an anonymous map: a scratch buffer
 * named after the source (`name`, or the file's path) that does not follow
 * it. Reads at most maphex_document_get_snapshot_limit () bytes: past it,
 * TOO_LARGE with a message that gives the limit. Character devices other
 * than ttys (they may never end) are refused with NOT_REGULAR; directories
 * and sockets as maphex_document_new_for_file refuses them. `progress`
 * (nullable) gets the bytes read so far and the bytes expected (the size of
 * a regular file; -1 when the source does not say: a pipe, /proc, /sys), on
 * the main thread. The snapshot
 * is read-only when `mode` is, or when the source is a regular file whose
 * file system refused mmap; else it is editable in memory. Save refuses
 * ("This is a snapshot; use Save As"); see maphex_document_save_to_source. */
typedef void (*MaphexSnapshotProgressFunc) (gint64 bytes_read, gint64 expected,
                                            gpointer user_data);
void            maphex_document_new_snapshot_async  (GFile *file, int fd, const char *name,
                                                     MaphexMode mode,
                                                     MaphexSnapshotProgressFunc progress,
                                                     gpointer progress_data,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer user_data);
MaphexDocument *maphex_document_new_snapshot_finish (GAsyncResult *result, GError **error);
/* The same on the calling thread (tests, and sources known to be small). */
MaphexDocument *maphex_document_new_snapshot        (GFile *file, int fd, const char *name,
                                                     MaphexMode mode, GCancellable *cancellable,
                                                     GError **error);
/* min (1 GiB, a quarter of the physical memory). */
gint64          maphex_document_get_snapshot_limit  (void);
gboolean        maphex_document_is_snapshot         (MaphexDocument *self);
/* "A snapshot of /proc/self/maps, read at 12:03; it does not follow the
   file", and why when mmap was refused; NULL for other documents. */
char           *maphex_document_dup_snapshot_notice (MaphexDocument *self);
/* Whether the snapshot's source is a regular file this process may write
   (so Save could write the snapshot back to it, once the user confirms). */
gboolean        maphex_document_can_save_to_source  (MaphexDocument *self);
/* Writes the whole snapshot back to its source, in the long-operation
   runner (busy, progress, cancel): a file that reports its size is replaced
   by a complete copy written next to it (a failure or a cancel leaves it as
   it was); a /proc or /sys file, which cannot be replaced, is written in
   place from its start. Refused unless maphex_document_can_save_to_source;
   the caller has asked the user. The async form ends with
   maphex_document_operation_finish. */
gboolean        maphex_document_save_to_source      (MaphexDocument *self, GError **error);
void            maphex_document_save_to_source_async (MaphexDocument      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* What a snapshot was read from ("/proc/self/maps", "standard input"), or
   NULL for other documents. */
const char     *maphex_document_get_snapshot_source (MaphexDocument *self);
/* A scratch buffer: an anonymous private map of `size` bytes (size > 0),
 * editable and resizable, saved only with Save As. Its mode is
 * MAPHEX_MODE_WRITE_THROUGH (edits go straight into the buffer). */
MaphexDocument *maphex_document_new_scratch  (gint64       size,
                                              GError     **error);

GFile      *maphex_document_get_file          (MaphexDocument *self);  /* NULL for scratch */
gboolean    maphex_document_is_scratch        (MaphexDocument *self);  /* snapshots too */
gboolean    maphex_document_get_is_device     (MaphexDocument *self);  /* property "is-device": a block device */
char       *maphex_document_dup_display_name  (MaphexDocument *self);  /* basename or "Untitled N" */
MaphexMode  maphex_document_get_mode          (MaphexDocument *self);
gint64      maphex_document_get_length        (MaphexDocument *self);  /* property "length" */
gboolean    maphex_document_get_modified      (MaphexDocument *self);  /* property "modified" */
gboolean    maphex_document_get_can_undo      (MaphexDocument *self);  /* property "can-undo" */
gboolean    maphex_document_get_can_redo      (MaphexDocument *self);  /* property "can-redo" */
gboolean    maphex_document_get_can_edit      (MaphexDocument *self);  /* FALSE in read-only mode */
gboolean    maphex_document_get_can_resize    (MaphexDocument *self);  /* TRUE in write-through mode and for scratch */
/* Why resizing is impossible in this mode (for tooltips), or NULL when it is possible. */
const char *maphex_document_get_resize_refusal (MaphexDocument *self);

/* Exports. Every MaphexExport counts against resize. */
MaphexExport *maphex_document_export          (MaphexDocument *self, GError **error);
void          maphex_document_unexport        (MaphexDocument *self, MaphexExport *export_);
guint         maphex_document_get_n_exports   (MaphexDocument *self);
gint64        maphex_export_get_length        (MaphexExport *export_);
/* Fault-safe copy through mm_view_copy; FAULT when the file shrank. */
gboolean      maphex_export_copy              (MaphexExport *export_, gint64 offset,
                                               guint8 *dst, gsize n, GError **error);

/* Reads `n` bytes at `offset` (fault-safe, through the core). */
gboolean maphex_document_read (MaphexDocument *self, gint64 offset, guint8 *dst, gsize n, GError **error);

/* Edits. Each is one undo step, refused in read-only mode with
 * MAPHEX_DOCUMENT_ERROR_READONLY and a message, validated before anything
 * changes: a failed edit leaves the map, the file and the history as they were. */
gboolean maphex_document_replace (MaphexDocument *self, gint64 offset,
                                  const guint8 *data, gsize len, GError **error);
/* Typing: consecutive set_byte calls with merge=TRUE at adjacent offsets
 * (the same offset or the next one) join the previous undo step. */
gboolean maphex_document_set_byte (MaphexDocument *self, gint64 offset, guint8 value,
                                   gboolean merge, GError **error);
gboolean maphex_document_fill (MaphexDocument *self, gint64 offset, gint64 len,
                               const guint8 *pattern, gsize pattern_len, GError **error);
gboolean maphex_document_move (MaphexDocument *self, gint64 dest, gint64 src,
                               gint64 count, GError **error);

/* Length-changing edits: write-through and scratch only. `own` (nullable) is
 * the caller's export: it is released for the operation and taken again after
 * it. Any other export outstanding refuses with MAPHEX_DOCUMENT_ERROR_EXPORTED
 * ("2 other views hold the file") and leaves the length unchanged. */
gboolean maphex_document_resize (MaphexDocument *self, MaphexExport *own,
                                 gint64 new_length, GError **error);
/* data == NULL inserts zeros. */
gboolean maphex_document_insert (MaphexDocument *self, MaphexExport *own, gint64 offset,
                                 const guint8 *data, gsize len, GError **error);
gboolean maphex_document_delete (MaphexDocument *self, MaphexExport *own,
                                 gint64 offset, gint64 len, GError **error);

/* Undo/redo the last step. `own` as for resize (an insert's undo resizes). */
gboolean maphex_document_undo (MaphexDocument *self, MaphexExport *own, GError **error);
gboolean maphex_document_redo (MaphexDocument *self, MaphexExport *own, GError **error);

/* The memory the undo history may hold (the old and new bytes of its
 * steps), MAPHEX_DOCUMENT_DEFAULT_UNDO_LIMIT to begin with. Past it the
 * oldest steps are dropped, and "history-trimmed" says how many; the newest
 * step always stays, however large. */
#define MAPHEX_DOCUMENT_DEFAULT_UNDO_LIMIT ((gsize) 256 * 1024 * 1024)
void     maphex_document_set_undo_limit (MaphexDocument *self, gsize bytes);
gsize    maphex_document_get_undo_limit (MaphexDocument *self);

/* Save: copy-on-write writes only the changed ranges into the file and
 * fsyncs it; write-through flushes (msync); read-only refuses (READONLY);
 * scratch refuses (INVALID: use Save As). Copy-on-write after another program
 * shrank the file: writes the edits that lie within it and, if edits past its
 * new end were lost with the truncated pages, fails with FAULT and a message
 * naming them (they stay unsaved; the document stays modified). */
gboolean maphex_document_save    (MaphexDocument *self, GCancellable *cancellable, GError **error);
/* Writes the whole content to `dest` (a new file, replaced atomically). Any mode.
 * Fails with FAULT, and leaves no file behind, when another program shrank
 * the document's file so that part of the document cannot be read.
 * The document stays on its own file afterwards (a scratch buffer counts as
 * saved); Save As onto the open file itself saves in place instead. */
gboolean maphex_document_save_as (MaphexDocument *self, GFile *dest,
                                  GCancellable *cancellable, GError **error);
void     maphex_document_save_as_async  (MaphexDocument *self, GFile *dest, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean maphex_document_save_as_finish (MaphexDocument *self, GAsyncResult *result, GError **error);

/* When another program shrank the file under the document (it is now
 * shorter than the document): a message for the user that gives its size on
 * disk, which unsaved copy-on-write edits lay past its new end and went with
 * it (their offsets), whether Save can still write the ones before it, and
 * that Reload shows the file as it is now. NULL when the file is not shorter
 * than the document (and for scratch buffers). */
char    *maphex_document_dup_shrink_message (MaphexDocument *self);

/* Throws the map away and maps the file again (after it changed on disk).
 * Unsaved edits and the undo history are dropped; refused (EXPORTED) while
 * other views than `own` hold exports. A long operation ("Reloading"): the
 * _async variant opens, maps and unmaps the old map in a worker (finish
 * with maphex_document_operation_finish); a cancel before the new map is
 * in place leaves the document as it was. */
gboolean maphex_document_reload       (MaphexDocument *self, MaphexExport *own, GError **error);
void     maphex_document_reload_async (MaphexDocument      *self,
                                       MaphexExport        *own,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

/* Search (maphex-document-search.c). Runs in a GTask thread in chunks through
 * mm_map_find / mm_map_rfind windows (no match lost across chunk borders),
 * holds an export while it runs, reports progress (0..1) on the main thread.
 * `from`: forward searches start at `from`, backward ones find the last match
 * that starts before `from`. Wrapping is the caller's business.
 * The result is the offset, or -1 when there is no match. */
typedef void (*MaphexProgressFunc) (double fraction, gpointer user_data);

void   maphex_document_find_async  (MaphexDocument *self, GBytes *needle, gboolean ignore_case,
                                    gint64 from, gboolean backwards,
                                    MaphexProgressFunc progress, gpointer progress_data,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gint64 maphex_document_find_finish (MaphexDocument *self, GAsyncResult *result, GError **error);

/* Find All: every match offset (non-overlapping? no: every start, overlapping
 * included, like repeated find(pos + 1)), sorted. Capped at `max_results`
 * offsets; *total receives the full count. */
void     maphex_document_find_all_async  (MaphexDocument *self, GBytes *needle, gboolean ignore_case,
                                          guint max_results,
                                          MaphexProgressFunc progress, gpointer progress_data,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
/* Returns a GArray of gint64 offsets (at most max_results). */
GArray  *maphex_document_find_all_finish (MaphexDocument *self, GAsyncResult *result,
                                          guint64 *total, GError **error);

/* Pattern search (maphex-search-query.c, maphex-document-search.c).
 *
 * A MaphexSearchQuery is what to look for, compiled once on the calling
 * thread (every constructor checks its input and gives
 * MAPHEX_DOCUMENT_ERROR_INVALID with a message to show as it is) and then
 * immutable: searches on worker threads share it by reference.
 *
 *  - bytes:    exact bytes; ignore_case folds ASCII letters (A-Z = a-z).
 *  - wildcard: maphex_parse_wildcard() syntax; every byte is a value and a
 *              mask. A match has the pattern's length.
 *  - regex:    a PCRE2 regular expression (GRegex, G_REGEX_RAW) over raw
 *              bytes: "\x4d\x5a" and "[\x00-\x1f]" are bytes, a literal
 *              non-ASCII character is its UTF-8 bytes, and "." matches any
 *              byte, newline included (write (?-s) for the usual meaning).
 *              Empty matches are never reported. The search reads the file
 *              in overlapping windows: it sees at least
 *              MAPHEX_SEARCH_REGEX_LOOKBEHIND bytes before a match start and
 *              MAPHEX_SEARCH_REGEX_MAX_MATCH bytes from it. A longer match
 *              is reported cut to MAPHEX_SEARCH_REGEX_MAX_MATCH bytes, or
 *              missed when it cannot match within them; "$" matches only at
 *              the end of the file (or, with (?m), before a newline), but
 *              \z and \Z also match where a window ends.
 *  - text:     the text (UTF-8) in the given encoding. ignore_case: an ASCII
 *              letter matches its ASCII other case only; any other character
 *              matches every character with the same Unicode case folding
 *              when that folding is one character ("é" finds "É"; "σ", "ς"
 *              and "Σ" find each other; "ſ" finds "s" and "S", while "s"
 *              finds only "s" and "S"; "ß" does not find "ss"). The data
 *              need not be valid text: a match is the bytes of one of those
 *              spellings, wherever they are.
 *
 * Find All reports every match start, overlapping ones included (like
 * repeated find from the last match + 1), except for regex queries, whose
 * matches do not overlap: each next match starts at or after the previous
 * one's end, as with grep -o. */
typedef enum {
  MAPHEX_SEARCH_BYTES,
  MAPHEX_SEARCH_WILDCARD,
  MAPHEX_SEARCH_REGEX,
  MAPHEX_SEARCH_TEXT,
} MaphexSearchKind;

typedef enum {
  MAPHEX_TEXT_UTF8,
  MAPHEX_TEXT_UTF16LE,
  MAPHEX_TEXT_UTF16BE,
} MaphexTextEncoding;

/* The longest regex match a search reports whole, and the least context it
 * sees before a match start (for lookbehind, \b, (?m)^). */
#define MAPHEX_SEARCH_REGEX_MAX_MATCH   (64 * 1024)
#define MAPHEX_SEARCH_REGEX_LOOKBEHIND  256
/* The longest wildcard pattern (in bytes, counted runs included). */
#define MAPHEX_SEARCH_MAX_PATTERN       (64 * 1024)

typedef struct _MaphexSearchQuery MaphexSearchQuery;

GType maphex_search_query_get_type (void) G_GNUC_CONST;
#define MAPHEX_TYPE_SEARCH_QUERY (maphex_search_query_get_type ())

MaphexSearchQuery *maphex_search_query_new_bytes    (GBytes *bytes, gboolean ignore_case, GError **error);
MaphexSearchQuery *maphex_search_query_new_wildcard (const char *pattern, GError **error);
MaphexSearchQuery *maphex_search_query_new_regex    (const char *pattern, GError **error);
MaphexSearchQuery *maphex_search_query_new_text     (const char *text, MaphexTextEncoding encoding,
                                                     gboolean ignore_case, GError **error);
MaphexSearchQuery *maphex_search_query_ref          (MaphexSearchQuery *query);
void               maphex_search_query_unref        (MaphexSearchQuery *query);
MaphexSearchKind   maphex_search_query_get_kind     (MaphexSearchQuery *query);
/* The longest match the query can report: its length for bytes and
 * wildcards, MAPHEX_SEARCH_REGEX_MAX_MATCH for a regex. */
gint64             maphex_search_query_get_max_match_length (MaphexSearchQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaphexSearchQuery, maphex_search_query_unref)

typedef struct {
  gint64 offset;
  gint64 length;
} MaphexSearchMatch;

/* Find: as maphex_document_find_async() (same threading, export, progress,
 * `from` and `backwards`), for any query. finish returns the match's offset
 * and sets *length (nullable) to its length, or returns -1 (length 0). */
void   maphex_document_search_async  (MaphexDocument *self, MaphexSearchQuery *query,
                                      gint64 from, gboolean backwards,
                                      MaphexProgressFunc progress, gpointer progress_data,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gint64 maphex_document_search_finish (MaphexDocument *self, GAsyncResult *result,
                                      gint64 *length, GError **error);

/* Find All for any query, in file order, capped at max_results matches
 * (*total counts them all). `matches` (nullable) receives them as they are
 * found, in batches, on the main thread, in order and before `callback`;
 * none arrive once the search is cancelled. Finish returns a GArray of
 * MaphexSearchMatch (at most max_results), as the batches gave them. */
typedef void (*MaphexSearchMatchesFunc) (const MaphexSearchMatch *matches, guint n_matches,
                                         gpointer user_data);

void    maphex_document_search_all_async  (MaphexDocument *self, MaphexSearchQuery *query,
                                           guint max_results,
                                           MaphexProgressFunc progress, gpointer progress_data,
                                           MaphexSearchMatchesFunc matches, gpointer matches_data,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
GArray *maphex_document_search_all_finish (MaphexDocument *self, GAsyncResult *result,
                                           guint64 *total, GError **error);

/* Parsers shared by the find bar, dialogs and tests. */
/* "DE AD be ef", "deadbeef": bytes; errors name the bad character or the odd count. */
GBytes  *maphex_parse_hex_bytes (const char *text, GError **error);
/* Wildcard byte patterns: "4D 5A ?? ?? 50 45", "4d5a????5045"; a byte is
 * two hex digits or "?" (a "?" is any nibble: "4?", "?F", "??"); "{N}"
 * after a byte repeats it N times ("??{4}" is four unknown bytes, "00{16}"
 * sixteen zeros). Spaces anywhere between bytes. *values and *masks get the
 * same number of bytes: data byte i matches when (b & masks[i]) == values[i]
 * (values are masked already). Errors name the bad character and its
 * position (counted in characters from 1). */
gboolean maphex_parse_wildcard  (const char *text, GBytes **values, GBytes **masks, GError **error);
/* "0x1f", "31", "+100", "-0x10", "50%": an absolute offset within [0, length].
 * `current` is the base for relative forms. */
gboolean maphex_parse_offset    (const char *text, gint64 current, gint64 length,
                                 gint64 *result, GError **error);

/* Long operations (maphex-document-run.c). Insert, delete, resize, the undo
 * and redo of those, Save and Save As run through one runner: the _async
 * calls in a worker thread, the synchronous ones (above) on the caller's
 * thread, with the same code. One runs at a time: meanwhile every edit,
 * save, reload, search and other long operation is refused with
 * MAPHEX_DOCUMENT_ERROR_BUSY and a message naming it, while views keep
 * reading through their exports (the map lock is held per chunk).
 *
 * Cancel (the cancellable, or maphex_document_cancel_operation) and failure
 * keep the file as it was: a cancelled or failed insert, delete or resize
 * puts back the length and every byte; a cancelled copy-on-write Save writes
 * back the bytes it had overwritten (the file is as it was before Save; a
 * write-through Save that is cancelled stops syncing: the edits are in the
 * file already and it stays modified); a cancelled Save As leaves no file.
 * A cancelled operation fails with G_IO_ERROR_CANCELLED; one that finished
 * before the cancel came reports success.
 *
 * Properties (main thread): "busy" (gboolean), "operation-name" (string,
 * NULL when idle: "Inserting 4.0 GiB"), "progress" (double 0..1, notified
 * every 50 ms while busy). */
gboolean    maphex_document_get_busy           (MaphexDocument *self);
const char *maphex_document_get_operation_name (MaphexDocument *self);
/* The fraction done; bytes done and to do, time since it started (nullable). */
double      maphex_document_get_progress       (MaphexDocument *self, gint64 *done,
                                                gint64 *total, gint64 *elapsed_us);
void        maphex_document_cancel_operation   (MaphexDocument *self);

/* Whether a length change could start now (not busy, a resizable mode, no
 * export but `own` outstanding); else FALSE with the reason. */
gboolean maphex_document_check_length_change (MaphexDocument *self, MaphexExport *own,
                                              GError **error);
/* data == NULL inserts `len` zeros; else len == its size. */
void     maphex_document_insert_async (MaphexDocument *self, MaphexExport *own, gint64 offset,
                                       GBytes *data, gint64 len, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void     maphex_document_delete_async (MaphexDocument *self, MaphexExport *own,
                                       gint64 offset, gint64 len, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void     maphex_document_resize_async (MaphexDocument *self, MaphexExport *own,
                                       gint64 new_length, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* An in-place step (a write, a move) is undone at once; a shift or a resize runs. */
void     maphex_document_undo_async   (MaphexDocument *self, MaphexExport *own,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void     maphex_document_redo_async   (MaphexDocument *self, MaphexExport *own,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
void     maphex_document_save_async   (MaphexDocument *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* Finishes any of the _async operations above, and Save As. */
gboolean maphex_document_operation_finish (MaphexDocument *self, GAsyncResult *result,
                                           GError **error);

/* Replace (maphex-document-replace.c). Refused in read-only mode
 * (READONLY). A replacement of another length than what it replaces (an
 * empty one deletes) changes the file's length, as insert and delete do:
 * allowed where they are (write-through files and scratch buffers), and
 * under their rule for exports (`own`: the caller's; any other refuses with
 * EXPORTED); elsewhere refused (UNSUPPORTED, with both lengths and why),
 * for a query whose matches all have one length (bytes, wildcards, text
 * searched as bytes) before anything is searched, for the others (regular
 * expressions, text whose case is ignored beyond ASCII) at the first match
 * of another length.
 *
 * replace_range: the bytes [offset, offset + length) become `replacement`,
 * one undo step (a single Replace; the caller finds the next match). Of
 * the same length it is an edit at once; of another length a long
 * operation, as an insert is (synchronous here, or _async with
 * maphex_document_operation_finish; `own` as for insert).
 *
 * replace_all: every match of `query`, in file order and not overlapping
 * (each next match starts at or after the previous one's end), becomes
 * `replacement`. In the runner (busy, progress, cancel): the search and the
 * writes happen in it, so nothing changes the bytes between them; the bytes
 * between matches move once (never the tail once per match) and the length
 * changes once. One undo step, whose undo and redo also run in the runner
 * (undo_async / redo_async: progress, cancel) unless it is small and keeps
 * the length (then done at once). A cancel or a failure (the file shrank
 * under the map) of the Replace All, its undo or its redo puts every byte it
 * had written and the length back and fails (G_IO_ERROR_CANCELLED, FAULT):
 * the file is as it was (but for what another program cut off).
 * The count of matches replaced comes from finish (0: none, nothing changed;
 * -1 and *error on failure). */
gboolean maphex_document_replace_range      (MaphexDocument *self, gint64 offset, gint64 length,
                                             GBytes *replacement, GError **error);
void     maphex_document_replace_range_async (MaphexDocument *self, MaphexExport *own,
                                              gint64 offset, gint64 length, GBytes *replacement,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gint64   maphex_document_replace_all        (MaphexDocument *self, MaphexSearchQuery *query,
                                             GBytes *replacement, MaphexExport *own,
                                             GCancellable *cancellable, GError **error);
void     maphex_document_replace_all_async  (MaphexDocument *self, MaphexSearchQuery *query,
                                             GBytes *replacement, MaphexExport *own,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gint64   maphex_document_replace_all_finish (MaphexDocument *self, GAsyncResult *result,
                                             GError **error);

/* Why "content-shifted" was emitted: a new edit, or the undo or redo of
 * the step `serial` names. */
typedef enum {
  MAPHEX_SHIFT_EDIT,
  MAPHEX_SHIFT_UNDO,
  MAPHEX_SHIFT_REDO,
} MaphexShiftCause;

/* Signals:
 *  "bytes-changed" (gint64 offset, gint64 length): bytes changed in place
 *       (edits, undo, reload). Length changes are notify::length.
 *  "content-shifted" (gint64 offset, gint64 removed, gint64 inserted,
 *       guint cause, guint64 serial): `removed` bytes at `offset` were
 *       replaced by `inserted` bytes, so every byte after moved by
 *       inserted - removed (an insert, a delete, a resize at the end). Emitted
 *       on the main thread once the change is done, before "bytes-changed";
 *       `cause` is a MaphexShiftCause and `serial` names the history step, so
 *       the undo of a step can be told from a new edit at the same offset. The
 *       undo of a shift is the shift back: the same offset, removed and
 *       inserted swapped.
 *  "file-changed"  (): another program changed the file on disk.
 *  "file-shrunk"   (): a read faulted: the file is shorter than the map.
 *  "history-trimmed" (guint n): the n oldest undo steps were dropped to keep
 *       the history under the undo limit.
 */

G_END_DECLS
