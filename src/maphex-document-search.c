/* maphex-document-search.c: Find and Find All, off the main thread.
 *
 * A search holds an export for its whole run, so the map cannot be resized
 * or reloaded under it, and walks the file in chunks of match starts: a
 * chunk of starts [a, b) is searched in a window of the file that reaches
 * far enough past b to hold a match that starts before b, so no match is
 * lost across a chunk border. The document's map lock is taken per core call
 * only, so edits on the main thread interleave; the cancellable is checked
 * between chunks (and between blocks and batches of matches inside them).
 *
 * How a window is searched depends on the query's engine
 * (maphex-search-query-private.h):
 *
 *  - exact: the core's find/rfind on the map itself, no copy.
 *  - folded (ASCII case ignored): a copy of the window (fault-safe, through
 *    the export), ASCII letters folded, memmem.
 *  - wildcard with a run of whole bytes (the anchor): the core's find for
 *    the anchor on the map; where it is found, a block of starts from there
 *    is copied and checked in the copy. Blocks start small and double while
 *    the anchor keeps turning up close by, so sparse candidates cost one
 *    small copy each and dense ones are checked a large copy at a time.
 *    Without a whole byte: copies, scanned 16 bytes at a time.
 *  - regex (and text with case ignored): copies of
 *    [a - MAPHEX_SEARCH_REGEX_LOOKBEHIND, b + max_len), matched with
 *    g_regex_match_full() and an explicit length (the data may hold NULs),
 *    from the chunk's first start; "$" is kept from matching at a window end
 *    that is not the file's (G_REGEX_MATCH_NOTEOL). Backwards, a chunk is
 *    searched from its end in growing steps, each taking its last match.
 *
 * Every read of the file goes through the core's fault-safe find or copy: a
 * file that shrank under the map ends the search with
 * MAPHEX_DOCUMENT_ERROR_FAULT.
 *
 * The worker never completes the GTask itself: it hands the result to the
 * task's main context, which releases the export and then returns, so that
 * progress reports and batches of matches (also delivered there, in order)
 * always see the export held and the callback always sees it released.
 */
#define _GNU_SOURCE
#include "maphex-document-private.h"
#include "maphex-document-search-private.h"
#include "maphex-search-query-private.h"

#include <string.h>

#define DEFAULT_EXACT_CHUNK   (32 * 1024 * 1024)
#define DEFAULT_FOLDED_CHUNK  (8 * 1024 * 1024)
/* Wildcards in copies and regexes: a copy this size stays in the cache. */
#define DEFAULT_COPY_CHUNK    (1024 * 1024)
/* Wildcards with an anchor: the first and the largest block of starts
 * checked in a copy where the anchor is found. */
#define MIN_BLOCK             256
#define DEFAULT_MAX_BLOCK     (256 * 1024)
/* Regex backwards: the first step back from `from` (then twice the last,
 * up to a chunk, for as long as nothing matched): small, because a step
 * costs a match call for every start in it that matches. */
#define REGEX_BACK_STEP       256
#define PROGRESS_INTERVAL_US  (40 * 1000)
/* Find All releases the lock after this many matches, so a file full of
 * matches does not keep edits waiting for a whole chunk; copies are checked
 * for cancellation as often. */
#define MATCHES_PER_LOCK      4096

static gsize exact_chunk = DEFAULT_EXACT_CHUNK;
static gsize copied_chunk;   /* 0: the default of each engine */

void
_maphex_document_search_set_chunk_sizes (gsize exact,
                                         gsize copied)
{
  exact_chunk = exact > 0 ? exact : DEFAULT_EXACT_CHUNK;
  copied_chunk = copied;
}

/* Where progress reports and batches of matches go. Reports reference it
 * rather than the task, so that the task (and with it the document) goes
 * away as soon as it has returned, even with reports still queued. The
 * worker takes references and the main context drops them: atomic. */
typedef struct {
  MaphexProgressFunc       progress;       /* nullable */
  gpointer                 progress_data;
  MaphexSearchMatchesFunc  matches;        /* nullable */
  gpointer                 matches_data;
  GCancellable            *cancellable;    /* nullable */
  gboolean                 done;           /* main context: no more reports */
} ProgressSink;

static void
progress_sink_clear (gpointer data)
{
  ProgressSink *sink = data;

  g_clear_object (&sink->cancellable);
}

static void
progress_sink_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, progress_sink_clear);
}

typedef struct {
  MaphexDocument     *doc;          /* the task's source object */
  MaphexExport       *export_;      /* released on the main context */
  MaphexSearchQuery  *q;
  gboolean            backwards;
  gboolean            find_all;
  gint64              from;
  guint               max_results;
  gint64              length;       /* fixed while the export is held */
  gsize               chunk;        /* match starts per step */
  gsize               max_block;    /* wildcard with an anchor */
  guint8             *buf;          /* copies of windows (or blocks) */

  ProgressSink       *sink;         /* NULL without progress or matches functions */
  GMainContext       *context;
  gint64              last_report;  /* worker */

  MaphexSearchMatch   found;        /* find: offset -1 when nothing matched */
  GArray             *matches;      /* find all: MaphexSearchMatch */
  guint               delivered;    /* matches sent to sink->matches */
  guint64             total;
  gint64              next_start;   /* find all, non-overlapping: no match starts before */
  gint64              back_step;    /* regex backwards: the next step's size */
  GError             *error;
} SearchData;

typedef struct {
  GArray  *matches;
  guint64  total;
} FindAllResult;

static void
find_all_result_free (gpointer data)
{
  FindAllResult *r = data;

  g_clear_pointer (&r->matches, g_array_unref);
  g_free (r);
}

static void
search_data_free (gpointer data)
{
  SearchData *d = data;

  /* Normally released on completion; this covers a task that never ran. */
  if (d->export_ != NULL)
    maphex_document_unexport (d->doc, d->export_);
  g_clear_pointer (&d->q, maphex_search_query_unref);
  g_clear_pointer (&d->buf, g_free);
  g_clear_pointer (&d->matches, g_array_unref);
  g_clear_pointer (&d->context, g_main_context_unref);
  g_clear_pointer (&d->sink, progress_sink_unref);
  g_clear_error (&d->error);
  g_free (d);
}

static inline guint8
fold_byte (guint8 c)
{
  return (c >= 'A' && c <= 'Z') ? (guint8) (c + ('a' - 'A')) : c;
}

/* Eight bytes at a time (the compiler does not vectorize the byte loop at
 * -O2): a byte is an upper-case letter when its low seven bits are in
 * 0x41..0x5a and its top bit is clear; OR-ing 0x80 into every byte first
 * keeps the subtractions from borrowing across bytes. */
static void
fold_buffer (guint8 *p,
             gsize   n)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      guint64 w, x, ge_a, gt_z;

      memcpy (&w, p + i, 8);
      x = (w & ~high) | high;
      ge_a = x - ones * 'A';
      gt_z = x - ones * ('Z' + 1);
      w |= (ge_a & ~gt_z & ~w & high) >> 2;
      memcpy (p + i, &w, 8);
    }
  for (; i < n; i++)
    p[i] = fold_byte (p[i]);
}

/* The last occurrence of needle[0..n) in hay[0..hlen), or -1. */
static gint64
mem_rfind (const guint8 *hay,
           gsize         hlen,
           const guint8 *needle,
           gsize         n)
{
  gsize end;

  if (n > hlen)
    return -1;
  end = hlen - n + 1;   /* candidate starts are [0, end) */
  while (end > 0)
    {
      const guint8 *p = memrchr (hay, needle[0], end);

      if (p == NULL)
        return -1;
      if (memcmp (p + 1, needle + 1, n - 1) == 0)
        return p - hay;
      end = (gsize) (p - hay);
    }
  return -1;
}

static gint64
mem_find (const guint8 *hay,
          gsize         hlen,
          gsize         from,
          const guint8 *needle,
          gsize         n)
{
  const guint8 *p;

  if (from > hlen)
    return -1;
  p = memmem (hay + from, hlen - from, needle, n);
  return p != NULL ? p - hay : -1;
}

/* ---- progress, batches and completion, on the task's main context ---- */

/* Always through a source: g_main_context_invoke() would run the function
 * right here in the worker when it can acquire the global default context. */
static void
invoke_on (GMainContext   *context,
           GSourceFunc     func,
           gpointer        data,
           GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[maphex] search report");
  g_source_attach (source, context);
  g_source_unref (source);
}

typedef struct {
  ProgressSink *sink;
  double        fraction;
  GArray       *batch;      /* nullable: MaphexSearchMatch */
} ProgressReport;

static gboolean
deliver_progress (gpointer data)
{
  ProgressReport *r = data;

  if (r->sink->done || g_cancellable_is_cancelled (r->sink->cancellable))
    return G_SOURCE_REMOVE;
  if (r->batch != NULL)
    r->sink->matches ((const MaphexSearchMatch *) (gpointer) r->batch->data, r->batch->len,
                      r->sink->matches_data);
  if (r->fraction >= 0 && r->sink->progress != NULL)
    r->sink->progress (r->fraction, r->sink->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *r = data;

  progress_sink_unref (r->sink);
  g_clear_pointer (&r->batch, g_array_unref);
  g_free (r);
}

/* Sends the matches found since the last report, and the fraction done
 * (unless negative). */
static void
report (SearchData *d,
        double      fraction)
{
  gboolean batch = d->sink->matches != NULL && d->matches != NULL &&
                   d->delivered < d->matches->len;
  ProgressReport *r;

  if (!batch && fraction < 0)
    return;
  r = g_new0 (ProgressReport, 1);
  r->sink = g_atomic_rc_box_acquire (d->sink);
  r->fraction = fraction < 0 ? -1 : CLAMP (fraction, 0.0, 1.0);
  if (batch)
    {
      guint n = d->matches->len - d->delivered;

      r->batch = g_array_sized_new (FALSE, FALSE, sizeof (MaphexSearchMatch), n);
      g_array_append_vals (r->batch, &g_array_index (d->matches, MaphexSearchMatch, d->delivered), n);
      d->delivered = d->matches->len;
    }
  invoke_on (d->context, deliver_progress, r, progress_report_free);
}

static void
maybe_report_progress (SearchData *d,
                       double      fraction)
{
  gint64 now;

  if (d->sink == NULL)
    return;
  now = g_get_monotonic_time ();
  if (d->last_report != 0 && now - d->last_report < PROGRESS_INTERVAL_US)
    return;
  d->last_report = now;
  report (d, fraction);
}

static gboolean
complete_on_main (gpointer data)
{
  GTask *task = data;
  SearchData *d = g_task_get_task_data (task);

  if (d->sink != NULL)
    d->sink->done = TRUE;
  if (d->export_ != NULL)
    {
      maphex_document_unexport (d->doc, d->export_);
      d->export_ = NULL;
    }

  if (d->error != NULL)
    g_task_return_error (task, g_steal_pointer (&d->error));
  else if (d->find_all)
    {
      FindAllResult *r = g_new0 (FindAllResult, 1);

      r->matches = g_steal_pointer (&d->matches);
      r->total = d->total;
      g_task_return_pointer (task, r, find_all_result_free);
    }
  else
    g_task_return_pointer (task, g_memdup2 (&d->found, sizeof d->found), g_free);

  return G_SOURCE_REMOVE;
}

/* ---- shared by the engines ---- */

static void
record_match (SearchData *d,
              gint64      offset,
              gint64      length)
{
  if (d->matches->len < d->max_results)
    {
      MaphexSearchMatch m = { offset, length };

      g_array_append_val (d->matches, m);
    }
  d->total++;
}

/* Copies [start, end) of the file into d->buf. */
static gboolean
copy_window (SearchData *d,
             gint64      start,
             gint64      end,
             GError    **error)
{
  return maphex_export_copy (d->export_, start, d->buf, (gsize) (end - start), error);
}

/* The result of searching one chunk: found or not, and where. */
static void
set_match (MaphexSearchMatch *match,
           gint64             offset,
           gint64             length)
{
  match->offset = offset;
  match->length = offset >= 0 ? length : 0;
}

/* ---- exact: the core's find on the map ---- */

/* The core's find (rfind, backwards) of needle[0, n) in [start, end) of
 * the map, under the lock: the first (last) offset, or -1 in *at. */
static gboolean
core_find (SearchData   *d,
           const guint8 *needle,
           gint64        n,
           gint64        start,
           gint64        end,
           gboolean      backwards,
           gint64       *at,
           GError      **error)
{
  MmError mm_error = { 0 };
  MmStatus status = MM_OK;
  MmMap *map;

  *at = -1;
  map = _maphex_document_lock_map (d->doc);
  if (map != NULL)
    {
      if (backwards)
        status = mm_map_rfind (map, needle, n, start, end, at, &mm_error);
      else
        status = mm_map_find (map, needle, n, start, end, at, &mm_error);
    }
  _maphex_document_unlock_map (d->doc);

  if (status != MM_OK)
    {
      _maphex_document_propagate_mm_error (d->doc, error, &mm_error);
      return FALSE;
    }
  return TRUE;
}

/* One chunk: match starts [a, b), window [a, b + n - 1). */
static gboolean
find_in_chunk_exact (SearchData *d,
                     gint64      a,
                     gint64      b,
                     gint64     *match,
                     GError    **error)
{
  const gint64 n = (gint64) d->q->n;

  return core_find (d, d->q->bytes, n, a, b + n - 1, d->backwards, match, error);
}

static gboolean
find_all_in_chunk_exact (SearchData   *d,
                         gint64        a,
                         gint64        b,
                         GCancellable *cancellable,
                         GError      **error)
{
  const gint64 n = (gint64) d->q->n;
  gint64 pos = a;

  while (pos < b)
    {
      MmError mm_error = { 0 };
      MmStatus status = MM_OK;
      MmMap *map;
      guint matches = 0;
      gint64 match = -1;

      map = _maphex_document_lock_map (d->doc);
      while (map != NULL && pos < b && matches < MATCHES_PER_LOCK)
        {
          status = mm_map_find (map, d->q->bytes, n, pos, b + n - 1, &match, &mm_error);
          if (status != MM_OK || match < 0 || match >= b)
            break;
          record_match (d, match, n);
          matches++;
          pos = match + 1;
        }
      _maphex_document_unlock_map (d->doc);

      if (status != MM_OK)
        {
          _maphex_document_propagate_mm_error (d->doc, error, &mm_error);
          return FALSE;
        }
      if (map == NULL || match < 0 || match >= b)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- folded: ASCII letters folded in a copy ---- */

/* Copies the window of [a, b) into d->buf and folds it; returns its size. */
static gboolean
copy_folded_window (SearchData *d,
                    gint64      a,
                    gint64      b,
                    gsize      *size,
                    GError    **error)
{
  gsize n = (gsize) (b - a) + d->q->n - 1;

  if (!maphex_export_copy (d->export_, a, d->buf, n, error))
    return FALSE;
  fold_buffer (d->buf, n);
  *size = n;
  return TRUE;
}

static gboolean
find_in_chunk_folded (SearchData *d,
                      gint64      a,
                      gint64      b,
                      gint64     *match,
                      GError    **error)
{
  gsize size;
  gint64 i;

  if (!copy_folded_window (d, a, b, &size, error))
    return FALSE;
  i = d->backwards ? mem_rfind (d->buf, size, d->q->bytes, d->q->n)
                   : mem_find (d->buf, size, 0, d->q->bytes, d->q->n);
  *match = i >= 0 ? a + i : -1;
  return TRUE;
}

static gboolean
find_all_in_chunk_folded (SearchData *d,
                          gint64      a,
                          gint64      b,
                          GError    **error)
{
  gsize size;
  gint64 i = -1;

  if (!copy_folded_window (d, a, b, &size, error))
    return FALSE;
  while ((i = mem_find (d->buf, size, (gsize) (i + 1), d->q->bytes, d->q->n)) >= 0 && a + i < b)
    record_match (d, a + i, (gint64) d->q->n);
  return TRUE;
}

/* ---- wildcards ---- */

/* The first (last, backwards) start in [lo, hi) whose anchor bytes are
 * there, through the core's find on the map; -1 when none is. */
static gboolean
find_anchor (SearchData *d,
             gint64      lo,
             gint64      hi,
             gboolean    backwards,
             gint64     *start,
             GError    **error)
{
  const MaphexSearchQuery *q = d->q;
  const gint64 k = (gint64) q->anchor, len = (gint64) q->anchor_len;
  gint64 at;

  if (!core_find (d, q->bytes + k, len, lo + k, hi + k + len - 1, backwards, &at, error))
    return FALSE;
  *start = at >= 0 ? at - k : -1;
  return TRUE;
}

/* The next block size: twice the last while candidates come within a block
 * of each other, the smallest again after a longer gap. */
static gsize
next_block (SearchData *d,
            gsize       block,
            gint64      gap)
{
  if (gap < (gint64) block)
    return MIN (2 * block, d->max_block);
  return MIN ((gsize) MIN_BLOCK, d->max_block);
}

/* Starts [a, b): the first match, or (all) every one. */
static gboolean
scan_anchored_forward (SearchData        *d,
                       gint64             a,
                       gint64             b,
                       gboolean           all,
                       GCancellable      *cancellable,
                       MaphexSearchMatch *match,
                       GError           **error)
{
  const gint64 n = (gint64) d->q->n;
  gsize block = MIN ((gsize) MIN_BLOCK, d->max_block);
  gint64 pos = a;

  set_match (match, -1, 0);
  while (pos < b)
    {
      gint64 s, e, hit = -1;

      if (!find_anchor (d, pos, b, FALSE, &s, error))
        return FALSE;
      if (s < 0)
        break;
      block = next_block (d, block, s - pos);
      e = MIN (b, s + (gint64) block);
      if (!copy_window (d, s, e + n - 1, error))
        return FALSE;
      while ((hit = _maphex_wildcard_find (d->q, d->buf, (gsize) (hit + 1), (gsize) (e - s))) >= 0)
        {
          if (!all)
            {
              set_match (match, s + hit, n);
              return TRUE;
            }
          record_match (d, s + hit, n);
        }
      pos = e;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Starts [a, b): the last match. */
static gboolean
scan_anchored_backward (SearchData        *d,
                        gint64             a,
                        gint64             b,
                        GCancellable      *cancellable,
                        MaphexSearchMatch *match,
                        GError           **error)
{
  const gint64 n = (gint64) d->q->n;
  gsize block = MIN ((gsize) MIN_BLOCK, d->max_block);
  gint64 hi = b;

  set_match (match, -1, 0);
  while (hi > a)
    {
      gint64 s, bs, hit;

      if (!find_anchor (d, a, hi, TRUE, &s, error))
        return FALSE;
      if (s < 0)
        break;
      block = next_block (d, block, hi - 1 - s);
      bs = MAX (a, s + 1 - (gint64) block);
      if (!copy_window (d, bs, s + n, error))
        return FALSE;
      hit = _maphex_wildcard_rfind (d->q, d->buf, 0, (gsize) (s + 1 - bs));
      if (hit >= 0)
        {
          set_match (match, bs + hit, n);
          return TRUE;
        }
      hi = bs;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Without an anchor: the window [a, b + n - 1) copied whole. */
static gboolean
find_in_chunk_wildcard (SearchData        *d,
                        gint64             a,
                        gint64             b,
                        GCancellable      *cancellable,
                        MaphexSearchMatch *match,
                        GError           **error)
{
  const MaphexSearchQuery *q = d->q;
  gint64 hit;

  if (q->n_probes == 0)
    {
      /* All wildcards: every start matches, whatever the bytes. */
      set_match (match, d->backwards ? b - 1 : a, (gint64) q->n);
      return TRUE;
    }
  if (q->anchor_len > 0)
    return d->backwards ? scan_anchored_backward (d, a, b, cancellable, match, error)
                        : scan_anchored_forward (d, a, b, FALSE, cancellable, match, error);

  if (!copy_window (d, a, b + (gint64) q->n - 1, error))
    return FALSE;
  hit = d->backwards ? _maphex_wildcard_rfind (q, d->buf, 0, (gsize) (b - a))
                     : _maphex_wildcard_find (q, d->buf, 0, (gsize) (b - a));
  set_match (match, hit >= 0 ? a + hit : -1, (gint64) q->n);
  return TRUE;
}

static gboolean
find_all_in_chunk_wildcard (SearchData   *d,
                            gint64        a,
                            gint64        b,
                            GCancellable *cancellable,
                            GError      **error)
{
  const MaphexSearchQuery *q = d->q;
  MaphexSearchMatch unused;
  gint64 hit = -1;

  if (q->n_probes == 0)
    {
      gint64 s = a;

      for (; s < b && d->matches->len < d->max_results; s++)
        record_match (d, s, (gint64) q->n);
      d->total += (guint64) (b - s);   /* the rest, counted but not kept */
      return TRUE;
    }
  if (q->anchor_len > 0)
    return scan_anchored_forward (d, a, b, TRUE, cancellable, &unused, error);

  if (!copy_window (d, a, b + (gint64) q->n - 1, error))
    return FALSE;
  while ((hit = _maphex_wildcard_find (q, d->buf, (gsize) (hit + 1), (gsize) (b - a))) >= 0)
    record_match (d, a + hit, (gint64) q->n);
  return TRUE;
}

/* ---- regular expressions, on copies ---- */

/* A window of the file in d->buf: buf[0] is file offset `start`, and the
 * subject the regex sees is its first `len` bytes. */
typedef struct {
  gint64 start;
  gsize  len;
  gboolean at_eof;   /* the subject ends where the file does */
} Window;

/* The regex window of starts [a, b): from MAPHEX_SEARCH_REGEX_LOOKBEHIND
 * before a to max_len past b (within the file), copied. */
static gboolean
copy_regex_window (SearchData *d,
                   gint64      a,
                   gint64      b,
                   Window     *w,
                   GError    **error)
{
  gint64 end = MIN (d->length, b + (gint64) d->q->max_len);

  w->start = a - MIN (a, MAPHEX_SEARCH_REGEX_LOOKBEHIND);
  w->len = (gsize) (end - w->start);
  w->at_eof = end == d->length;
  return copy_window (d, w->start, end, error);
}

/* One g_regex_match_full() on the first `len` bytes of d->buf from
 * `first`: *s is the match's start, or -1. */
static gboolean
regex_match (SearchData *d,
             GRegex     *regex,
             gsize       len,
             gboolean    at_eof,
             gsize       first,
             gint       *s,
             gint       *e,
             GError    **error)
{
  GRegexMatchFlags flags = G_REGEX_MATCH_NOTEMPTY | (at_eof ? 0 : G_REGEX_MATCH_NOTEOL);
  GMatchInfo *info = NULL;
  gboolean matched;

  *s = *e = -1;
  matched = g_regex_match_full (regex, (const char *) d->buf, (gssize) len, (gint) first,
                                flags, &info, error);
  if (matched)
    g_match_info_fetch_pos (info, 0, s, e);
  g_match_info_free (info);
  return error == NULL || *error == NULL;
}

/* As regex_match() with the JIT-compiled regex. The JIT matches on a fixed
 * stack (GLib 2.74 leaves PCRE2's default), which a long match with many
 * backtracking points overflows ("backtracking limit reached", already on
 * "(a|b)+" over 16 KiB of "abab"). Then the interpreter, whose frames are on
 * the heap, takes over, max_len starts at a time, each subject reaching
 * max_len past its starts (as the windows do): the match found is the same
 * within the max_len the search promises, and the cost of a failing start
 * stays bounded. A match the interpreter cannot take either is an error. */
static gboolean
regex_match_window (SearchData   *d,
                    const Window *w,
                    gsize         first,
                    gsize         stop,
                    gint         *s,
                    gint         *e,
                    GError      **error)
{
  const gsize max_len = d->q->max_len;
  GError *local_error = NULL;

  if (regex_match (d, d->q->regex, w->len, w->at_eof, first, s, e, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_REGEX_ERROR, G_REGEX_ERROR_MATCH))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_error (&local_error);

  for (gsize lo = first; lo < stop; lo += max_len)
    {
      gsize hi = MIN (stop, lo + max_len);
      gsize len = MIN (w->len, hi + max_len);

      if (!regex_match (d, d->q->interpreted, len, w->at_eof && len == w->len, lo, s, e, error))
        return FALSE;
      if (*s >= 0 && (gsize) *s < hi)
        return TRUE;
    }
  *s = *e = -1;
  return TRUE;
}

/* The first match that starts in [first, stop) (offsets in the window), or
 * FALSE in *found. Its length is cut to max_len. */
static gboolean
regex_first (SearchData   *d,
             const Window *w,
             gsize         first,
             gsize         stop,
             gboolean     *found,
             gsize        *start,
             gsize        *len,
             GError      **error)
{
  *found = FALSE;
  while (first < stop)
    {
      gint s, e;

      if (!regex_match_window (d, w, first, stop, &s, &e, error))
        return FALSE;
      if (s < 0 || (gsize) s >= stop)
        return TRUE;
      if (e > s)
        {
          *found = TRUE;
          *start = (gsize) s;
          *len = MIN ((gsize) (e - s), d->q->max_len);
          return TRUE;
        }
      /* An empty match despite NOTEMPTY (\K can do that): not one. */
      first = (gsize) s + 1;
    }
  return TRUE;
}

static gboolean
find_in_chunk_regex (SearchData        *d,
                     gint64             a,
                     gint64             b,
                     MaphexSearchMatch *match,
                     GError           **error)
{
  gboolean found = FALSE;
  gsize s = 0, len = 0;
  Window w;

  set_match (match, -1, 0);
  if (!copy_regex_window (d, a, b, &w, error))
    return FALSE;

  if (!d->backwards)
    {
      if (!regex_first (d, &w, (gsize) (a - w.start), (gsize) (b - w.start), &found, &s, &len, error))
        return FALSE;
      if (found)
        set_match (match, w.start + (gint64) s, (gint64) len);
      return TRUE;
    }

  /* Backwards: the last start in [lo, hi) with a match, for steps [lo, hi)
   * from the chunk's end (see REGEX_BACK_STEP); the subject of a step ends
   * max_len past it, so that a step costs about its own size. */
  for (gint64 hi = b, lo; hi > a; hi = lo)
    {
      gint64 step = d->back_step;
      gint64 end = MIN (w.start + (gint64) w.len, hi + (gint64) d->q->max_len);
      Window sub = { w.start, (gsize) (end - w.start), w.at_eof && end == w.start + (gint64) w.len };
      gsize first;

      lo = MAX (a, hi - step);
      first = (gsize) (lo - w.start);

      for (;;)
        {
          gboolean more;
          gsize s2, len2;

          if (!regex_first (d, &sub, first, (gsize) (hi - w.start), &more, &s2, &len2, error))
            return FALSE;
          if (!more)
            break;
          found = TRUE;
          s = s2;
          len = len2;
          first = s2 + 1;
        }
      if (found)
        {
          set_match (match, w.start + (gint64) s, (gint64) len);
          return TRUE;
        }
      d->back_step = MIN (2 * step, (gint64) d->chunk);
    }
  return TRUE;
}

static gboolean
find_all_in_chunk_regex (SearchData   *d,
                         gint64        a,
                         gint64        b,
                         GCancellable *cancellable,
                         GError      **error)
{
  gint64 from = MAX (a, d->next_start);
  guint since_check = 0;
  gsize first;
  Window w;

  if (from >= b)
    return TRUE;
  if (!copy_regex_window (d, a, b, &w, error))
    return FALSE;

  first = (gsize) (from - w.start);
  for (;;)
    {
      gboolean found;
      gsize s, len;

      if (!regex_first (d, &w, first, (gsize) (b - w.start), &found, &s, &len, error))
        return FALSE;
      if (!found)
        break;
      record_match (d, w.start + (gint64) s, (gint64) len);
      first = d->q->overlapping ? s + 1 : s + len;
      if (++since_check == MATCHES_PER_LOCK)
        {
          since_check = 0;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
    }
  d->next_start = w.start + (gint64) first;
  return TRUE;
}

/* ---- the worker ---- */

/* The first match (the last one, backwards) that starts in [a, b). */
static gboolean
find_in_chunk (SearchData        *d,
               gint64             a,
               gint64             b,
               GCancellable      *cancellable,
               MaphexSearchMatch *match,
               GError           **error)
{
  gint64 at = -1;
  gboolean ok;

  switch (d->q->engine)
    {
    case MAPHEX_ENGINE_EXACT:
      ok = find_in_chunk_exact (d, a, b, &at, error);
      break;
    case MAPHEX_ENGINE_FOLDED:
      ok = find_in_chunk_folded (d, a, b, &at, error);
      break;
    case MAPHEX_ENGINE_WILDCARD:
      return find_in_chunk_wildcard (d, a, b, cancellable, match, error);
    case MAPHEX_ENGINE_REGEX:
      return find_in_chunk_regex (d, a, b, match, error);
    default:
      g_assert_not_reached ();
    }
  set_match (match, at, (gint64) d->q->n);
  return ok;
}

static gboolean
find_all_in_chunk (SearchData   *d,
                   gint64        a,
                   gint64        b,
                   GCancellable *cancellable,
                   GError      **error)
{
  switch (d->q->engine)
    {
    case MAPHEX_ENGINE_EXACT:
      return find_all_in_chunk_exact (d, a, b, cancellable, error);
    case MAPHEX_ENGINE_FOLDED:
      return find_all_in_chunk_folded (d, a, b, error);
    case MAPHEX_ENGINE_WILDCARD:
      return find_all_in_chunk_wildcard (d, a, b, cancellable, error);
    case MAPHEX_ENGINE_REGEX:
      return find_all_in_chunk_regex (d, a, b, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

static void
run_search (SearchData   *d,
            GCancellable *cancellable)
{
  /* Possible match starts are [0, limit): a regex match is at least one
   * byte long, any other exactly n. */
  gint64 limit = d->q->engine == MAPHEX_ENGINE_REGEX ? d->length
                                                     : d->length - (gint64) d->q->n + 1;
  GError *error = NULL;

  set_match (&d->found, -1, 0);
  if (d->find_all)
    d->matches = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  if (limit <= 0)
    return;

  if (d->find_all)
    {
      for (gint64 a = 0; a < limit; )
        {
          gint64 b = limit - a > (gint64) d->chunk ? a + (gint64) d->chunk : limit;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
              !find_all_in_chunk (d, a, b, cancellable, &error))
            goto out;
          a = b;
          maybe_report_progress (d, (double) b / (double) limit);
        }
      if (d->sink != NULL)
        report (d, -1);   /* the last batch */
    }
  else
    {
      /* The starts left to search are [lo, hi): forwards from `from` up,
       * backwards from below `from` down, a chunk at a time. */
      gint64 from = CLAMP (d->from, 0, d->length);
      gint64 lo = d->backwards ? 0 : from;
      gint64 hi = d->backwards ? MIN (from, limit) : limit;
      gint64 total = hi - lo;

      while (lo < hi)
        {
          gint64 step = MIN (hi - lo, (gint64) d->chunk);
          gint64 a = d->backwards ? hi - step : lo;
          MaphexSearchMatch match;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
              !find_in_chunk (d, a, a + step, cancellable, &match, &error))
            goto out;

          if (match.offset >= 0)
            {
              d->found = match;
              goto out;
            }
          if (d->backwards)
            hi = a;
          else
            lo = a + step;
          maybe_report_progress (d, (double) (total - (hi - lo)) / (double) total);
        }
    }

out:
  if (error != NULL)
    d->error = error;
}

static GThreadPool *search_pool;

static void
search_thread (gpointer data,
               gpointer pool_data)
{
  GTask *task = data;
  SearchData *d = g_task_get_task_data (task);

  _maphex_document_unblock_fault_signals ();
  run_search (d, g_task_get_cancellable (task));
  /* The task's reference goes with it to the main context. */
  invoke_on (d->context, complete_on_main, task, g_object_unref);
}

/* Chunk and buffer sizes for the query's engine. */
static void
size_chunks (SearchData *d)
{
  const MaphexSearchQuery *q = d->q;
  gsize buf_size = 0;

  d->max_block = copied_chunk > 0 ? copied_chunk : DEFAULT_MAX_BLOCK;
  switch (q->engine)
    {
    case MAPHEX_ENGINE_EXACT:
      d->chunk = exact_chunk;
      break;
    case MAPHEX_ENGINE_FOLDED:
      d->chunk = copied_chunk > 0 ? copied_chunk : DEFAULT_FOLDED_CHUNK;
      buf_size = d->chunk + q->n - 1;
      break;
    case MAPHEX_ENGINE_WILDCARD:
      if (q->anchor_len > 0)
        {
          d->chunk = exact_chunk;
          buf_size = d->max_block + q->n - 1;
        }
      else
        {
          d->chunk = copied_chunk > 0 ? copied_chunk : DEFAULT_COPY_CHUNK;
          buf_size = q->n_probes > 0 ? d->chunk + q->n - 1 : 0;
        }
      break;
    case MAPHEX_ENGINE_REGEX:
      d->chunk = copied_chunk > 0 ? copied_chunk : DEFAULT_COPY_CHUNK;
      d->back_step = MIN (REGEX_BACK_STEP, (gint64) d->chunk);
      buf_size = d->chunk + MAPHEX_SEARCH_REGEX_LOOKBEHIND + q->max_len;
      break;
    default:
      g_assert_not_reached ();
    }
  if (buf_size > 0)
    d->buf = g_malloc (buf_size);
}

/* `query` NULL: `query_error` says why there is none, and the task returns it. */
static void
start_search (MaphexDocument         *self,
              MaphexSearchQuery      *query,
              const GError           *query_error,
              gboolean                find_all,
              gint64                  from,
              gboolean                backwards,
              guint                   max_results,
              MaphexProgressFunc      progress,
              gpointer                progress_data,
              MaphexSearchMatchesFunc matches,
              gpointer                matches_data,
              GCancellable           *cancellable,
              GAsyncReadyCallback     callback,
              gpointer                user_data,
              gpointer                source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SearchData *d;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, find_all ? "[maphex] find all" : "[maphex] find");

  if (query == NULL)
    {
      g_task_return_error (task, g_error_copy (query_error));
      return;
    }
  /* A long operation moves the bytes a search would read. */
  if (_maphex_document_refuse_busy (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (SearchData, 1);
  d->doc = self;
  d->q = maphex_search_query_ref (query);
  d->find_all = find_all;
  d->backwards = backwards;
  d->from = from;
  d->max_results = max_results;
  if (progress != NULL || matches != NULL)
    {
      d->sink = g_atomic_rc_box_new0 (ProgressSink);
      d->sink->progress = progress;
      d->sink->progress_data = progress_data;
      d->sink->matches = matches;
      d->sink->matches_data = matches_data;
      d->sink->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
    }
  d->context = g_main_context_ref (g_task_get_context (task));
  g_task_set_task_data (task, d, search_data_free);

  d->export_ = maphex_document_export (self, &error);
  if (d->export_ == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->length = maphex_export_get_length (d->export_);
  size_chunks (d);

  if (g_once_init_enter (&search_pool))
    {
      GThreadPool *pool = g_thread_pool_new (search_thread, NULL,
                                             (int) CLAMP (g_get_num_processors (), 2, 8),
                                             FALSE, NULL);
      g_once_init_leave (&search_pool, pool);
    }
  g_thread_pool_push (search_pool, g_steal_pointer (&task), NULL);
}

/* The find result of a task with one of the find source tags. */
static gint64
propagate_find (GAsyncResult *result,
                gint64       *length,
                GError      **error)
{
  g_autofree MaphexSearchMatch *match = g_task_propagate_pointer (G_TASK (result), error);

  if (length != NULL)
    *length = match != NULL ? match->length : 0;
  return match != NULL ? match->offset : -1;
}

/* The find-all result of a task: its matches (NULL on error) and total. */
static GArray *
propagate_find_all (GAsyncResult *result,
                    guint64      *total,
                    GError      **error)
{
  FindAllResult *r;
  GArray *matches;

  if (total != NULL)
    *total = 0;
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;
  if (total != NULL)
    *total = r->total;
  matches = g_steal_pointer (&r->matches);
  find_all_result_free (r);
  return matches;
}

void
maphex_document_search_async (MaphexDocument     *self,
                              MaphexSearchQuery  *query,
                              gint64              from,
                              gboolean            backwards,
                              MaphexProgressFunc  progress,
                              gpointer            progress_data,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_search (self, query, NULL, FALSE, from, backwards, 0, progress, progress_data,
                NULL, NULL, cancellable, callback, user_data, maphex_document_search_async);
}

gint64
maphex_document_search_finish (MaphexDocument *self,
                               GAsyncResult   *result,
                               gint64         *length,
                               GError        **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_search_async, -1);

  return propagate_find (result, length, error);
}

void
maphex_document_search_all_async (MaphexDocument         *self,
                                  MaphexSearchQuery      *query,
                                  guint                   max_results,
                                  MaphexProgressFunc      progress,
                                  gpointer                progress_data,
                                  MaphexSearchMatchesFunc matches,
                                  gpointer                matches_data,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_search (self, query, NULL, TRUE, 0, FALSE, max_results, progress, progress_data,
                matches, matches_data, cancellable, callback, user_data,
                maphex_document_search_all_async);
}

GArray *
maphex_document_search_all_finish (MaphexDocument *self,
                                   GAsyncResult   *result,
                                   guint64        *total,
                                   GError        **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_search_all_async, NULL);

  return propagate_find_all (result, total, error);
}

/* ---- the byte-needle API: thin wrappers ---- */

void
maphex_document_find_async (MaphexDocument     *self,
                            GBytes             *needle,
                            gboolean            ignore_case,
                            gint64              from,
                            gboolean            backwards,
                            MaphexProgressFunc  progress,
                            gpointer            progress_data,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(MaphexSearchQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (needle != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  query = maphex_search_query_new_bytes (needle, ignore_case, &error);
  start_search (self, query, error, FALSE, from, backwards, 0, progress, progress_data,
                NULL, NULL, cancellable, callback, user_data, maphex_document_find_async);
}

gint64
maphex_document_find_finish (MaphexDocument *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_find_async, -1);

  return propagate_find (result, NULL, error);
}

void
maphex_document_find_all_async (MaphexDocument     *self,
                                GBytes             *needle,
                                gboolean            ignore_case,
                                guint               max_results,
                                MaphexProgressFunc  progress,
                                gpointer            progress_data,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(MaphexSearchQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (needle != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  query = maphex_search_query_new_bytes (needle, ignore_case, &error);
  start_search (self, query, error, TRUE, 0, FALSE, max_results, progress, progress_data,
                NULL, NULL, cancellable, callback, user_data, maphex_document_find_all_async);
}

GArray *
maphex_document_find_all_finish (MaphexDocument *self,
                                 GAsyncResult   *result,
                                 guint64        *total,
                                 GError        **error)
{
  g_autoptr(GArray) matches = NULL;
  GArray *offsets;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_find_all_async, NULL);

  matches = propagate_find_all (result, total, error);
  if (matches == NULL)
    return NULL;
  offsets = g_array_sized_new (FALSE, FALSE, sizeof (gint64), matches->len);
  for (guint i = 0; i < matches->len; i++)
    g_array_append_val (offsets, g_array_index (matches, MaphexSearchMatch, i).offset);
  return offsets;
}
