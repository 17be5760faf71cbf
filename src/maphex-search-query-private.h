/* maphex-search-query-private.h: a compiled MaphexSearchQuery, for the
 * search tasks (maphex-document-search.c) and the tests.
 *
 * A query is immutable once made, so worker threads read it without a lock.
 */
#pragma once

#include "maphex-document.h"

G_BEGIN_DECLS

typedef enum {
  MAPHEX_ENGINE_EXACT,     /* `bytes` through the core's find, on the map itself */
  MAPHEX_ENGINE_FOLDED,    /* `bytes` (folded) in folded copies */
  MAPHEX_ENGINE_WILDCARD,  /* `bytes` and `masks` */
  MAPHEX_ENGINE_REGEX,     /* `regex` in copies */
} MaphexSearchEngine;

struct _MaphexSearchQuery {
  MaphexSearchKind    kind;         /* what the caller asked for */
  MaphexSearchEngine  engine;       /* how it is searched */

  /* EXACT, FOLDED, WILDCARD: every match is `n` bytes long. WILDCARD: byte
   * b matches position i when (b & masks[i]) == bytes[i]. */
  gsize               n;
  guint8             *bytes;
  guint8             *masks;

  /* WILDCARD. The longest run of whole bytes, [anchor, anchor + anchor_len),
   * which a search finds on the map without copying it (anchor_len 0: the
   * pattern has no whole byte). A copy is scanned for the starts where the
   * bytes at the probes' positions fit their masks: the two positions that
   * say most (whole bytes first, the rarest looking), or one when the
   * pattern has no other non-wildcard byte, or none when it is all
   * wildcards (every start matches). */
  gsize               anchor;
  gsize               anchor_len;
  struct {
    gsize             at;
    guint8            value;
    guint8            mask;
  }                   probes[2];
  guint               n_probes;

  /* REGEX: matches are 1 to max_len bytes long (longer ones are cut).
   * `regex` is JIT-compiled; `interpreted` is the same without the JIT, for
   * the matches the JIT's fixed stack cannot take. */
  GRegex             *regex;
  GRegex             *interpreted;
  gsize               max_len;

  /* Find All: the next match may start inside the previous one (from its
   * start + 1), or only after it. */
  gboolean            overlapping;
};

/* WILDCARD queries. `buf` holds the bytes of the starts [0, stop) and the
 * n - 1 bytes after them. The first (last) start in [first, stop) that
 * matches, or -1. */
gint64   _maphex_wildcard_find  (const MaphexSearchQuery *q, const guint8 *buf,
                                 gsize first, gsize stop);
gint64   _maphex_wildcard_rfind (const MaphexSearchQuery *q, const guint8 *buf,
                                 gsize first, gsize stop);

/* Tests: a regex query (as maphex_search_query_new_regex()) whose matches
 * are cut at `max_len` bytes, to put long matches across chunk borders in
 * small files. */
MaphexSearchQuery *_maphex_search_query_new_regex_cut (const char *pattern, gsize max_len,
                                                       GError **error);

G_END_DECLS
