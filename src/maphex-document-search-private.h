/* maphex-document-search-private.h: what maphex-document-search.c (the
 * tasks) and maphex-document-search-engines.c (searching one chunk per
 * engine) share, and the knobs of the search tasks, for tests. */
#pragma once

#include "maphex-document-private.h"
#include "maphex-search-query-private.h"

G_BEGIN_DECLS

/* How many match starts one step of a search covers, for exact searches
 * (through the core's find) and for case-folded ones (through a copy).
 * 0 restores the defaults. Tests make them small to put matches across
 * chunk borders in small files. */
void _maphex_document_search_set_chunk_sizes (gsize exact, gsize folded);

/* Wildcards with an anchor: the first and the largest block of starts
 * checked in a copy where the anchor is found. */
#define MIN_BLOCK             256
#define DEFAULT_MAX_BLOCK     (256 * 1024)
/* Regex backwards: the first step back from `from` (then twice the last,
 * up to a chunk, for as long as nothing matched): small, because a step
 * costs a match call for every start in it that matches. */
#define REGEX_BACK_STEP       256
/* Find All releases the lock after this many matches, so a file full of
 * matches does not keep edits waiting for a whole chunk; copies are checked
 * for cancellation as often. */
#define MATCHES_PER_LOCK      4096

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
  /* Find All on the caller's thread (_maphex_document_search_all_each):
   * the matches go to batch_func, at most MATCHES_PER_LOCK at a time. */
  MaphexSearchBatchFunc batch_func;
  gpointer            batch_data;
  GError             *error;
} SearchData;

/* Hands the matches found so far to d->batch_func and forgets them; when it
 * refuses them, its error ends the search (d->error) and nothing more is
 * recorded. `searched`: every start below it has been searched. */
gboolean _maphex_search_flush_batch (SearchData *d, gint64 searched);

/* maphex-document-search-engines.c: one chunk of starts [a, b), searched by
 * each engine: the find functions give the first match (the last, backwards)
 * through `match`, -1 for none; the find-all ones record every match in d. */
void _maphex_search_set_match (MaphexSearchMatch *match, gint64 offset, gint64 length);
gboolean _maphex_search_find_in_chunk_exact (SearchData *d, gint64 a, gint64 b,
                                             gint64 *match, GError **error);
gboolean _maphex_search_find_all_in_chunk_exact (SearchData *d, gint64 a, gint64 b,
                                                 GCancellable *cancellable,
                                                 GError **error);
gboolean _maphex_search_find_in_chunk_folded (SearchData *d, gint64 a, gint64 b,
                                              gint64 *match, GError **error);
gboolean _maphex_search_find_all_in_chunk_folded (SearchData *d, gint64 a, gint64 b,
                                                  GError **error);
gboolean _maphex_search_find_in_chunk_wildcard (SearchData *d, gint64 a, gint64 b,
                                                GCancellable *cancellable,
                                                MaphexSearchMatch *match, GError **error);
gboolean _maphex_search_find_all_in_chunk_wildcard (SearchData *d, gint64 a, gint64 b,
                                                    GCancellable *cancellable,
                                                    GError **error);
gboolean _maphex_search_find_in_chunk_regex (SearchData *d, gint64 a, gint64 b,
                                             MaphexSearchMatch *match, GError **error);
gboolean _maphex_search_find_all_in_chunk_regex (SearchData *d, gint64 a, gint64 b,
                                                 GCancellable *cancellable,
                                                 GError **error);

G_END_DECLS
