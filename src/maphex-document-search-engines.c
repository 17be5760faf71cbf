/* maphex-document-search-engines.c: how one chunk of a search is searched,
 * per engine: exact (the core's find on the map), folded (ASCII case, in a
 * copy), wildcards (an anchor found by the core, masks checked in copies)
 * and regular expressions (GRegex on copies). See maphex-document-search.c
 * for the whole design.
 *
 * Owns nothing but the engines: the task, its progress, batches and
 * completion are maphex-document-search.c's. Every read goes through the
 * core's fault-safe find or the export's copy.
 */
#define _GNU_SOURCE
#include "maphex-document-private.h"
#include "maphex-document-search-private.h"
#include "maphex-search-query-private.h"

#include <string.h>

/* ---- copies and plain searches in them ---- */
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
      if (d->batch_func != NULL && d->matches->len >= MATCHES_PER_LOCK)
        _maphex_search_flush_batch (d, offset);
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
void
_maphex_search_set_match (MaphexSearchMatch *match,
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
gboolean
_maphex_search_find_in_chunk_exact (SearchData *d,
                                    gint64      a,
                                    gint64      b,
                                    gint64     *match,
                                    GError    **error)
{
  const gint64 n = (gint64) d->q->n;

  return core_find (d, d->q->bytes, n, a, b + n - 1, d->backwards, match, error);
}

gboolean
_maphex_search_find_all_in_chunk_exact (SearchData   *d,
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

gboolean
_maphex_search_find_in_chunk_folded (SearchData *d,
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

gboolean
_maphex_search_find_all_in_chunk_folded (SearchData *d,
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

  _maphex_search_set_match (match, -1, 0);
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
              _maphex_search_set_match (match, s + hit, n);
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

  _maphex_search_set_match (match, -1, 0);
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
          _maphex_search_set_match (match, bs + hit, n);
          return TRUE;
        }
      hi = bs;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* Without an anchor: the window [a, b + n - 1) copied whole. */
gboolean
_maphex_search_find_in_chunk_wildcard (SearchData        *d,
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
      _maphex_search_set_match (match, d->backwards ? b - 1 : a, (gint64) q->n);
      return TRUE;
    }
  if (q->anchor_len > 0)
    return d->backwards ? scan_anchored_backward (d, a, b, cancellable, match, error)
                        : scan_anchored_forward (d, a, b, FALSE, cancellable, match, error);

  if (!copy_window (d, a, b + (gint64) q->n - 1, error))
    return FALSE;
  hit = d->backwards ? _maphex_wildcard_rfind (q, d->buf, 0, (gsize) (b - a))
                     : _maphex_wildcard_find (q, d->buf, 0, (gsize) (b - a));
  _maphex_search_set_match (match, hit >= 0 ? a + hit : -1, (gint64) q->n);
  return TRUE;
}

gboolean
_maphex_search_find_all_in_chunk_wildcard (SearchData   *d,
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

gboolean
_maphex_search_find_in_chunk_regex (SearchData        *d,
                                    gint64             a,
                                    gint64             b,
                                    MaphexSearchMatch *match,
                                    GError           **error)
{
  gboolean found = FALSE;
  gsize s = 0, len = 0;
  Window w;

  _maphex_search_set_match (match, -1, 0);
  if (!copy_regex_window (d, a, b, &w, error))
    return FALSE;

  if (!d->backwards)
    {
      if (!regex_first (d, &w, (gsize) (a - w.start), (gsize) (b - w.start), &found, &s, &len, error))
        return FALSE;
      if (found)
        _maphex_search_set_match (match, w.start + (gint64) s, (gint64) len);
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
          _maphex_search_set_match (match, w.start + (gint64) s, (gint64) len);
          return TRUE;
        }
      d->back_step = MIN (2 * step, (gint64) d->chunk);
    }
  return TRUE;
}

gboolean
_maphex_search_find_all_in_chunk_regex (SearchData   *d,
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
