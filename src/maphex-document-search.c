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
#define PROGRESS_INTERVAL_US  (40 * 1000)

static gsize exact_chunk = DEFAULT_EXACT_CHUNK;
static gsize copied_chunk;   /* 0: the default of each engine */

void
_maphex_document_search_set_chunk_sizes (gsize exact,
                                         gsize copied)
{
  exact_chunk = exact > 0 ? exact : DEFAULT_EXACT_CHUNK;
  copied_chunk = copied;
}


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
      ok = _maphex_search_find_in_chunk_exact (d, a, b, &at, error);
      break;
    case MAPHEX_ENGINE_FOLDED:
      ok = _maphex_search_find_in_chunk_folded (d, a, b, &at, error);
      break;
    case MAPHEX_ENGINE_WILDCARD:
      return _maphex_search_find_in_chunk_wildcard (d, a, b, cancellable, match, error);
    case MAPHEX_ENGINE_REGEX:
      return _maphex_search_find_in_chunk_regex (d, a, b, match, error);
    default:
      g_assert_not_reached ();
    }
  _maphex_search_set_match (match, at, (gint64) d->q->n);
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
      return _maphex_search_find_all_in_chunk_exact (d, a, b, cancellable, error);
    case MAPHEX_ENGINE_FOLDED:
      return _maphex_search_find_all_in_chunk_folded (d, a, b, error);
    case MAPHEX_ENGINE_WILDCARD:
      return _maphex_search_find_all_in_chunk_wildcard (d, a, b, cancellable, error);
    case MAPHEX_ENGINE_REGEX:
      return _maphex_search_find_all_in_chunk_regex (d, a, b, cancellable, error);
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

  _maphex_search_set_match (&d->found, -1, 0);
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
              !find_all_in_chunk (d, a, b, cancellable, &error) ||
              d->error != NULL ||
              (d->batch_func != NULL && !_maphex_search_flush_batch (d, b)))
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
  if (error != NULL && d->error == NULL)
    d->error = error;
  else if (error != NULL)
    g_error_free (error);
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

gboolean
_maphex_search_flush_batch (SearchData *d,
                            gint64      searched)
{
  GError *error = NULL;
  gboolean ok;

  if (d->error != NULL)
    return FALSE;
  ok = d->batch_func ((const MaphexSearchMatch *) (gpointer) d->matches->data, d->matches->len,
                      searched, d->batch_data, &error);
  g_array_set_size (d->matches, 0);
  if (!ok)
    {
      d->error = error;
      d->max_results = 0;
    }
  return ok;
}

gboolean
_maphex_document_search_all_each (MaphexDocument        *self,
                                  MaphexExport          *export_,
                                  MaphexSearchQuery     *query,
                                  GCancellable          *cancellable,
                                  MaphexSearchBatchFunc  func,
                                  gpointer               data,
                                  GError               **error)
{
  SearchData d = { 0 };

  d.doc = self;
  d.export_ = export_;
  d.q = query;
  d.find_all = TRUE;
  d.max_results = G_MAXUINT;
  d.length = maphex_export_get_length (export_);
  d.batch_func = func;
  d.batch_data = data;
  size_chunks (&d);
  run_search (&d, cancellable);
  if (d.error == NULL)
    _maphex_search_flush_batch (&d, d.length);
  g_free (d.buf);
  g_clear_pointer (&d.matches, g_array_unref);
  if (d.error != NULL)
    {
      g_propagate_error (error, d.error);
      return FALSE;
    }
  return TRUE;
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
