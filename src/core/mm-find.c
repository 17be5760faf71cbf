/* mm-find.c: forward and reverse substring search inside one window.
 *
 * Nothing here reads outside [hay, hay + hay_len): the window may end right
 * before a page without access.
 *
 * The fast paths filter candidates cheaply and verify them; when the
 * verifications cost too much compared to the ground covered (periodic data
 * such as a run of zero bytes), the search finishes with Two-Way
 * (Crochemore-Perrin), which is linear in the window whatever the data.
 * Two-Way is written once and run either on the bytes as they are or on the
 * needle and window read backwards, which turns it into a reverse search.
 */
#define _GNU_SOURCE
#include "mm-private.h"

#include <string.h>

/* ---- Two-Way, both directions ------------------------------------------ */

/* Byte i of s (length len), read forwards or backwards. */
#define MM_AT(s, len, i, rev) ((rev) ? (s)[(len) - 1 - (i)] : (s)[i])

/* Start of the maximal suffix of x (in the order < when !invert, > when
 * invert) and, in *period, the period of that suffix. */
static inline __attribute__ ((always_inline)) size_t
mm_max_suffix (const uint8_t *x, size_t m, int rev, int invert, size_t *period)
{
  size_t best = 0, cand = 1, k = 0, p = 1;

  while (cand + k < m) {
    uint8_t a = MM_AT (x, m, best + k, rev);
    uint8_t b = MM_AT (x, m, cand + k, rev);
    int less = invert ? b > a : b < a;

    if (less) {
      cand += k + 1;
      k = 0;
      p = cand - best;
    } else if (a == b) {
      if (k + 1 == p) {
        cand += p;
        k = 0;
      } else {
        k++;
      }
    } else {
      best = cand;
      cand = best + 1;
      k = 0;
      p = 1;
    }
  }
  *period = p;
  return best;
}

/* First occurrence (rev = 0) of x in y, or first occurrence of reversed x in
 * reversed y (rev = 1), as an offset in that reading direction; -1 if none. */
static inline __attribute__ ((always_inline)) int64_t
mm_two_way (const uint8_t *y, size_t n, const uint8_t *x, size_t m, int rev)
{
  size_t p1, p2, s1, s2, ell, p, j;

  if (m > n)
    return -1;
  s1 = mm_max_suffix (x, m, rev, 0, &p1);
  s2 = mm_max_suffix (x, m, rev, 1, &p2);
  if (s1 > s2) {
    ell = s1;
    p = p1;
  } else {
    ell = s2;
    p = p2;
  }

  /* Is the left part u = x[0, ell) repeated at x[p, p + ell)? */
  size_t t = 0;
  if (p + ell <= m)
    while (t < ell && MM_AT (x, m, t, rev) == MM_AT (x, m, t + p, rev))
      t++;

  if (p + ell <= m && t == ell) {
    /* Periodic needle: remember how much of the left part already matched. */
    size_t memory = 0;

    j = 0;
    while (j <= n - m) {
      size_t i = ell > memory ? ell : memory;

      while (i < m && MM_AT (x, m, i, rev) == MM_AT (y, n, j + i, rev))
        i++;
      if (i < m) {
        j += i - ell + 1;
        memory = 0;
        continue;
      }
      i = ell;
      while (i > memory && MM_AT (x, m, i - 1, rev) == MM_AT (y, n, j + i - 1, rev))
        i--;
      if (i <= memory)
        return (int64_t) j;
      j += p;
      memory = m - p;
    }
  } else {
    p = (ell > m - ell ? ell : m - ell) + 1;
    j = 0;
    while (j <= n - m) {
      size_t i = ell;

      while (i < m && MM_AT (x, m, i, rev) == MM_AT (y, n, j + i, rev))
        i++;
      if (i < m) {
        j += i - ell + 1;
        continue;
      }
      i = ell;
      while (i > 0 && MM_AT (x, m, i - 1, rev) == MM_AT (y, n, j + i - 1, rev))
        i--;
      if (i == 0)
        return (int64_t) j;
      j += p;
    }
  }
  return -1;
}

static int64_t
mm_two_way_fwd (const uint8_t *y, size_t n, const uint8_t *x, size_t m)
{
  return mm_two_way (y, n, x, m, 0);
}

/* Last occurrence of x in y, as a forward offset. */
static int64_t
mm_two_way_rev (const uint8_t *y, size_t n, const uint8_t *x, size_t m)
{
  int64_t r = mm_two_way (y, n, x, m, 1);

  return r < 0 ? -1 : (int64_t) (n - m) - r;
}

/* ---- drivers -------------------------------------------------------------- */

/* Verification work allowed before giving up on the filter: a few bytes per
 * byte of window covered, plus a constant so short windows never switch. */
#define MM_BUDGET(covered) (4 * (covered) + 65536)

int64_t
_mm_find (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen)
{
  const uint8_t *hit;

  if (nlen > hay_len)
    return -1;
  if (nlen == 1) {
    hit = memchr (hay, needle[0], hay_len);
    return hit ? hit - hay : -1;
  }
  hit = memmem (hay, hay_len, needle, nlen);
  return hit ? hit - hay : -1;
}

int64_t
_mm_rfind (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen)
{
  size_t limit, spent = 0;
  uint8_t first;

  if (nlen > hay_len)
    return -1;
  if (nlen == 1) {
    const uint8_t *hit = memrchr (hay, needle[0], hay_len);
    return hit ? hit - hay : -1;
  }

  /* Candidates are the starts 0 .. hay_len - nlen; look for the needle's
   * first byte among them from the top, then compare the rest. */
  first = needle[0];
  limit = hay_len - nlen + 1;          /* candidate starts are < limit */
  while (limit > 0) {
    const uint8_t *hit = memrchr (hay, first, limit);
    size_t at;

    if (hit == NULL)
      return -1;
    at = (size_t) (hit - hay);
    if (memcmp (hit + 1, needle + 1, nlen - 1) == 0)
      return (int64_t) at;
    spent += nlen;
    limit = at;
    if (spent > MM_BUDGET (hay_len - nlen + 1 - limit))
      return mm_two_way_rev (hay, limit + nlen - 1, needle, nlen);
  }
  return -1;
}

/* Unused until the forward filter has its own path; kept linked so both
 * directions of Two-Way are compiled and tested together. */
int64_t _mm_find_two_way (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen);
int64_t
_mm_find_two_way (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen)
{
  return mm_two_way_fwd (hay, hay_len, needle, nlen);
}
