/* maphex-document-search.c: Find and Find All, off the main thread.
 *
 * A search holds an export for its whole run, so the map cannot be resized
 * or reloaded under it, and walks the file in chunks of match starts. Each
 * chunk is one window of the core's find/rfind, taken under the document's
 * map lock, that reaches needle_len - 1 bytes past the chunk's last start, so
 * a match that straddles a chunk border is seen whole. The lock is held per
 * chunk only, so edits on the main thread interleave; the cancellable is
 * checked between chunks.
 *
 * The core's find is exact. A case-insensitive search copies each window
 * (fault-safe, through the export), folds ASCII letters and searches the copy.
 *
 * The worker never completes the GTask itself: it hands the result to the
 * task's main context, which releases the export and then returns, so that
 * progress reports (also delivered there, in order) always see the export
 * held and the callback always sees it released.
 */
#define _GNU_SOURCE
#include "maphex-document-private.h"
#include "maphex-document-search-private.h"

#include <string.h>

#define DEFAULT_EXACT_CHUNK   (32 * 1024 * 1024)
#define DEFAULT_FOLDED_CHUNK  (8 * 1024 * 1024)
#define PROGRESS_INTERVAL_US  (40 * 1000)
/* Find All releases the lock after this many matches, so a file full of
 * matches does not keep edits waiting for a whole chunk. */
#define MATCHES_PER_LOCK      4096

static gsize exact_chunk = DEFAULT_EXACT_CHUNK;
static gsize folded_chunk = DEFAULT_FOLDED_CHUNK;

void
_maphex_document_search_set_chunk_sizes (gsize exact,
                                         gsize folded)
{
  exact_chunk = exact > 0 ? exact : DEFAULT_EXACT_CHUNK;
  folded_chunk = folded > 0 ? folded : DEFAULT_FOLDED_CHUNK;
}

/* Where progress reports go. Reports reference it rather than the task, so
 * that the task (and with it the document) goes away as soon as it has
 * returned, even with reports still queued. The worker takes references and
 * the main context drops them: the count is atomic. */
typedef struct {
  MaphexProgressFunc  progress;
  gpointer            progress_data;
  GCancellable       *cancellable;  /* nullable */
  gboolean            done;         /* main context: no more reports */
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
  GBytes             *needle_bytes;
  const guint8       *needle;       /* exact, or folded when `fold` */
  guint8             *folded_needle;
  gint64              n;
  gboolean            fold;
  gboolean            backwards;
  gboolean            find_all;
  gint64              from;
  guint               max_results;
  gint64              length;       /* fixed while the export is held */
  gsize               chunk;

  ProgressSink       *sink;         /* NULL without a progress function */
  GMainContext       *context;
  gint64              last_report;  /* worker */

  gint64              found;        /* find */
  GArray             *offsets;      /* find all */
  guint64             total;
  GError             *error;
} SearchData;

typedef struct {
  GArray  *offsets;
  guint64  total;
} FindAllResult;

static void
find_all_result_free (gpointer data)
{
  FindAllResult *r = data;

  g_clear_pointer (&r->offsets, g_array_unref);
  g_free (r);
}

static void
search_data_free (gpointer data)
{
  SearchData *d = data;

  /* Normally released on completion; this covers a task that never ran. */
  if (d->export_ != NULL)
    maphex_document_unexport (d->doc, d->export_);
  g_clear_pointer (&d->needle_bytes, g_bytes_unref);
  g_clear_pointer (&d->folded_needle, g_free);
  g_clear_pointer (&d->offsets, g_array_unref);
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

static gboolean
has_ascii_letter (const guint8 *p,
                  gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_isalpha (p[i]))
      return TRUE;
  return FALSE;
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

/* ---- progress and completion, on the task's main context ---- */

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
} ProgressReport;

static gboolean
deliver_progress (gpointer data)
{
  ProgressReport *r = data;

  if (!r->sink->done && !g_cancellable_is_cancelled (r->sink->cancellable))
    r->sink->progress (r->fraction, r->sink->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *r = data;

  progress_sink_unref (r->sink);
  g_free (r);
}

static void
maybe_report_progress (SearchData *d,
                       double      fraction)
{
  gint64 now;
  ProgressReport *r;

  if (d->sink == NULL)
    return;
  now = g_get_monotonic_time ();
  if (d->last_report != 0 && now - d->last_report < PROGRESS_INTERVAL_US)
    return;
  d->last_report = now;

  r = g_new0 (ProgressReport, 1);
  r->sink = g_atomic_rc_box_acquire (d->sink);
  r->fraction = CLAMP (fraction, 0.0, 1.0);
  invoke_on (d->context, deliver_progress, r, progress_report_free);
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

      r->offsets = g_steal_pointer (&d->offsets);
      r->total = d->total;
      g_task_return_pointer (task, r, find_all_result_free);
    }
  else
    g_task_return_int (task, d->found);

  return G_SOURCE_REMOVE;
}

/* ---- one chunk: match starts [a, b), window [a, b + n - 1) ---- */

static gboolean
find_in_chunk_exact (SearchData *d,
                     gint64      a,
                     gint64      b,
                     gint64     *match,
                     GError    **error)
{
  MmError mm_error = { 0 };
  MmStatus status = MM_OK;
  MmMap *map;

  *match = -1;
  map = _maphex_document_lock_map (d->doc);
  if (map != NULL)
    {
      if (d->backwards)
        status = mm_map_rfind (map, d->needle, d->n, a, b + d->n - 1, match, &mm_error);
      else
        status = mm_map_find (map, d->needle, d->n, a, b + d->n - 1, match, &mm_error);
    }
  _maphex_document_unlock_map (d->doc);

  if (status != MM_OK)
    {
      _maphex_document_propagate_mm_error (d->doc, error, &mm_error);
      return FALSE;
    }
  return TRUE;
}

static void
record_match (SearchData *d,
              gint64      offset)
{
  if (d->offsets->len < d->max_results)
    g_array_append_val (d->offsets, offset);
  d->total++;
}

static gboolean
find_all_in_chunk_exact (SearchData   *d,
                         gint64        a,
                         gint64        b,
                         GCancellable *cancellable,
                         GError      **error)
{
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
          status = mm_map_find (map, d->needle, d->n, pos, b + d->n - 1, &match, &mm_error);
          if (status != MM_OK || match < 0 || match >= b)
            break;
          record_match (d, match);
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

/* Copies the window of [a, b) into buf and folds it; returns its size. */
static gboolean
copy_folded_window (SearchData *d,
                    gint64      a,
                    gint64      b,
                    guint8     *buf,
                    gsize      *size,
                    GError    **error)
{
  gsize n = (gsize) (b + d->n - 1 - a);

  if (!maphex_export_copy (d->export_, a, buf, n, error))
    return FALSE;
  fold_buffer (buf, n);
  *size = n;
  return TRUE;
}

/* The first match (the last one, backwards) that starts in [a, b), or -1.
 * `buf` holds a folded window. */
static gboolean
find_in_chunk (SearchData *d,
               gint64      a,
               gint64      b,
               guint8     *buf,
               gint64     *match,
               GError    **error)
{
  gsize size;
  gint64 i;

  if (!d->fold)
    return find_in_chunk_exact (d, a, b, match, error);

  if (!copy_folded_window (d, a, b, buf, &size, error))
    return FALSE;
  i = d->backwards ? mem_rfind (buf, size, d->needle, (gsize) d->n)
                   : mem_find (buf, size, 0, d->needle, (gsize) d->n);
  *match = i >= 0 ? a + i : -1;
  return TRUE;
}

/* ---- the worker ---- */

static void
run_search (SearchData   *d,
            GCancellable *cancellable)
{
  /* Possible match starts are [0, limit). */
  gint64 limit = d->length - d->n + 1;
  g_autofree guint8 *buf = NULL;
  GError *error = NULL;

  d->found = -1;
  if (d->find_all)
    d->offsets = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (limit <= 0)
    return;
  if (d->fold)
    buf = g_malloc (d->chunk + (gsize) d->n - 1);

  if (d->find_all)
    {
      for (gint64 a = 0; a < limit; )
        {
          gint64 b = limit - a > (gint64) d->chunk ? a + (gint64) d->chunk : limit;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            goto out;
          if (d->fold)
            {
              gsize size;
              gint64 i = -1;

              if (!copy_folded_window (d, a, b, buf, &size, &error))
                goto out;
              while ((i = mem_find (buf, size, (gsize) (i + 1), d->needle, (gsize) d->n)) >= 0 &&
                     a + i < b)
                record_match (d, a + i);
            }
          else if (!find_all_in_chunk_exact (d, a, b, cancellable, &error))
            goto out;

          a = b;
          maybe_report_progress (d, (double) b / (double) limit);
        }
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
          gint64 match = -1;

          if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
              !find_in_chunk (d, a, a + step, buf, &match, &error))
            goto out;

          if (match >= 0)
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

static void
start_search (MaphexDocument     *self,
              GBytes             *needle,
              gboolean            ignore_case,
              gboolean            find_all,
              gint64              from,
              gboolean            backwards,
              guint               max_results,
              MaphexProgressFunc  progress,
              gpointer            progress_data,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data,
              gpointer            source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SearchData *d;
  gsize n;
  const guint8 *bytes;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, find_all ? "[maphex] find all" : "[maphex] find");

  bytes = g_bytes_get_data (needle, &n);
  if (n == 0)
    {
      g_task_return_new_error (task, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                               "nothing to search for");
      return;
    }

  d = g_new0 (SearchData, 1);
  d->doc = self;
  d->needle_bytes = g_bytes_ref (needle);
  d->n = (gint64) n;
  d->fold = ignore_case && has_ascii_letter (bytes, n);
  if (d->fold)
    {
      d->folded_needle = g_memdup2 (bytes, n);
      fold_buffer (d->folded_needle, n);
      d->needle = d->folded_needle;
      d->chunk = folded_chunk;
    }
  else
    {
      d->needle = bytes;
      d->chunk = exact_chunk;
    }
  d->find_all = find_all;
  d->backwards = backwards;
  d->from = from;
  d->max_results = max_results;
  if (progress != NULL)
    {
      d->sink = g_atomic_rc_box_new0 (ProgressSink);
      d->sink->progress = progress;
      d->sink->progress_data = progress_data;
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

  if (g_once_init_enter (&search_pool))
    {
      GThreadPool *pool = g_thread_pool_new (search_thread, NULL,
                                             (int) CLAMP (g_get_num_processors (), 2, 8),
                                             FALSE, NULL);
      g_once_init_leave (&search_pool, pool);
    }
  g_thread_pool_push (search_pool, g_steal_pointer (&task), NULL);
}

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
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (needle != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_search (self, needle, ignore_case, FALSE, from, backwards, 0,
                progress, progress_data, cancellable, callback, user_data,
                maphex_document_find_async);
}

gint64
maphex_document_find_finish (MaphexDocument *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_find_async, -1);

  return (gint64) g_task_propagate_int (G_TASK (result), error);
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
  g_return_if_fail (MAPHEX_IS_DOCUMENT (self));
  g_return_if_fail (needle != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_search (self, needle, ignore_case, TRUE, 0, FALSE, max_results,
                progress, progress_data, cancellable, callback, user_data,
                maphex_document_find_all_async);
}

GArray *
maphex_document_find_all_finish (MaphexDocument *self,
                                 GAsyncResult   *result,
                                 guint64        *total,
                                 GError        **error)
{
  FindAllResult *r;
  GArray *offsets;

  g_return_val_if_fail (MAPHEX_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == maphex_document_find_all_async, NULL);

  if (total != NULL)
    *total = 0;
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return NULL;
  if (total != NULL)
    *total = r->total;
  offsets = g_steal_pointer (&r->offsets);
  find_all_result_free (r);
  return offsets;
}
