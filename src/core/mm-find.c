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

/* SSE2/AVX2 filters on x86-64; MM_NO_SIMD builds the portable path there. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MM_NO_SIMD)
#define MM_HAVE_X86 1
#include <immintrin.h>
#endif

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

int64_t
_mm_find_two_way (const uint8_t *y, size_t n, const uint8_t *x, size_t m)
{
  return mm_two_way (y, n, x, m, 0);
}

/* Last occurrence of x in y, as a forward offset. */
int64_t
_mm_rfind_two_way (const uint8_t *y, size_t n, const uint8_t *x, size_t m)
{
  int64_t r = mm_two_way (y, n, x, m, 1);

  return r < 0 ? -1 : (int64_t) (n - m) - r;
}

/* ---- memrchr ------------------------------------------------------------ */

#if defined(__linux__) || defined(__GLIBC__)
#define mm_memrchr memrchr
#else
/* Not in C or POSIX (macOS has none). */
static const void *
mm_memrchr (const void *s, int c, size_t n)
{
  const uint8_t *p = (const uint8_t *) s + n;

  while (n-- > 0)
    if (*--p == (uint8_t) c)
      return p;
  return NULL;
}
#endif

/* ---- verification ------------------------------------------------------ */

/* Length of the common prefix of a and b (n bytes), rounded down to 16:
 * n when they are equal. Compares 16 bytes at a time so the caller can charge
 * the work actually done. */
static inline size_t
mm_common (const uint8_t *a, const uint8_t *b, size_t n)
{
  size_t k = 0;

  while (n - k >= 16) {
    if (memcmp (a + k, b + k, 16) != 0)
      return k;
    k += 16;
  }
  return memcmp (a + k, b + k, n - k) == 0 ? n : k;
}

/* Verification work allowed before the filter gives way to Two-Way: a few
 * bytes per byte of window covered, plus a constant so short windows never
 * switch. */
#define MM_BUDGET(covered) (4 * (size_t) (covered) + 65536)

/* ---- candidate filters -------------------------------------------------- *
 *
 * A start j is a candidate when two probe bytes of the needle, at a and b,
 * are found at hay[j + a] and hay[j + b]: one vector compare of each tests W
 * starts at once. Both loads of a block stay inside the window (a, b < m), so
 * the scan ends with a few starts done one by one.
 *
 * On random data any two bytes do; on the files a hex editor opens (runs of
 * zeros, 0xff padding, text) a probe on a common byte makes nearly every
 * start a candidate, so the probes are the needle's least common bytes by a
 * fixed guess, first and last byte on ties.
 */

typedef struct {
  const uint8_t *hay;
  size_t         n;
  const uint8_t *x;
  size_t         m;
  size_t         a;       /* probe positions, a != b, both < m; */
  size_t         b;       /* b holds the rarer byte */
  size_t         spent;
} MmScan;

/* How rare a byte is likely to be in a file, 0 = everywhere. */
static int
mm_rarity (uint8_t c)
{
  if (c == 0x00)
    return 0;
  if (c == 0xff || c == ' ')
    return 1;
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\n' || c == 0x01)
    return 2;
  return 3;
}

static void
mm_pick_probes (MmScan *s)
{
  const uint8_t *x = s->x;
  size_t m = s->m, a = 0, b = m - 1, count[256] = { 0 }, best_count = 0;
  int best = -1;

  /* b: the rarest byte; among equals, the one the needle repeats least (a
   * byte the needle is full of is likely common around it too); the last
   * one on ties. */
  for (size_t i = 0; i < m; i++)
    count[x[i]]++;
  for (size_t i = m; i-- > 0;) {
    int r = mm_rarity (x[i]);
    if (r > best || (r == best && count[x[i]] < best_count)) {
      best = r;
      best_count = count[x[i]];
      b = i;
    }
  }
  /* a: the rarest of the others, preferring a value unlike x[b]; the first
   * one on ties. */
  best = -1;
  for (size_t i = 0; i < m; i++) {
    int r;
    if (i == b)
      continue;
    r = 2 * mm_rarity (x[i]) + (x[i] != x[b]);
    if (r > best) {
      best = r;
      a = i;
    }
  }
  s->a = a;
  s->b = b;
}

/* Verifies start j; on too much work, sets *give_up. */
static inline int
mm_verify (MmScan *s, size_t j, size_t covered, int *give_up)
{
  size_t k = mm_common (s->hay + j, s->x, s->m);

  if (k == s->m)
    return 1;
  s->spent += k + 16;
  if (s->spent > MM_BUDGET (covered))
    *give_up = 1;
  return 0;
}

#ifdef MM_HAVE_X86
/* Scalar tails of the vector scans: starts [lo, hi) ascending, or [lo, hi]
 * descending. */
static int64_t
mm_scan_fwd_scalar (MmScan *s, size_t lo, size_t hi, int *give_up, size_t *stop)
{
  uint8_t va = s->x[s->a], vb = s->x[s->b];

  for (size_t j = lo; j < hi; j++) {
    if (s->hay[j + s->a] == va && s->hay[j + s->b] == vb) {
      if (mm_verify (s, j, j, give_up))
        return (int64_t) j;
      if (*give_up) {
        *stop = j + 1;
        return -1;
      }
    }
  }
  return -1;
}

static int64_t
mm_scan_rev_scalar (MmScan *s, size_t lo, size_t hi, int *give_up, size_t *stop)
{
  uint8_t va = s->x[s->a], vb = s->x[s->b];
  size_t top = s->n - s->m;

  for (size_t j = hi + 1; j-- > lo;) {
    if (s->hay[j + s->a] == va && s->hay[j + s->b] == vb) {
      if (mm_verify (s, j, top - j, give_up))
        return (int64_t) j;
      if (*give_up) {
        *stop = j;
        return -1;
      }
    }
  }
  return -1;
}


/* One template, two widths: W starts per compare, two compares per round.
 * For the forward scan, *stop receives the first start not yet examined when
 * the budget ran out; for the reverse scan, one past the last start not yet
 * examined. */
#define MM_MASK(VEC, LOADU, CMPEQ, AND, MOVEMASK, at)                            \
  ((uint64_t) (uint32_t) MOVEMASK (AND (CMPEQ (LOADU ((const VEC *) (h + (at) + pa)), vf),  \
                                        CMPEQ (LOADU ((const VEC *) (h + (at) + pb)), vl))))

#define MM_DEFINE_SCANS(W, TARGET, VEC, LOADU, SET1, CMPEQ, AND, MOVEMASK)      \
static __attribute__ ((target (TARGET))) int64_t                                 \
mm_scan_fwd_##W (MmScan *s, int *give_up, size_t *stop)                          \
{                                                                                \
  const uint8_t *h = s->hay;                                                     \
  size_t m = s->m, n = s->n, i = 0;                                              \
  size_t pa = s->a, pb = s->b;                                                   \
  VEC vf = SET1 ((char) s->x[pa]), vl = SET1 ((char) s->x[pb]);                 \
                                                                                 \
  while (i + m - 1 + W <= n) {                                                   \
    uint64_t mask = MM_MASK (VEC, LOADU, CMPEQ, AND, MOVEMASK, i);               \
    size_t step = W;                                                             \
    if (i + m - 1 + 2 * W <= n) {                                                \
      mask |= MM_MASK (VEC, LOADU, CMPEQ, AND, MOVEMASK, i + W) << W;            \
      step = 2 * W;                                                              \
    }                                                                            \
    while (mask != 0) {                                                          \
      size_t j = i + (size_t) __builtin_ctzll (mask);                            \
      if (mm_verify (s, j, j, give_up))                                          \
        return (int64_t) j;                                                      \
      if (*give_up) {                                                            \
        *stop = j + 1;                                                           \
        return -1;                                                               \
      }                                                                          \
      mask &= mask - 1;                                                          \
    }                                                                            \
    i += step;                                                                   \
  }                                                                              \
  return mm_scan_fwd_scalar (s, i, n - m + 1, give_up, stop);                    \
}                                                                                \
                                                                                 \
static __attribute__ ((target (TARGET))) int64_t                                 \
mm_scan_rev_##W (MmScan *s, int *give_up, size_t *stop)                          \
{                                                                                \
  const uint8_t *h = s->hay;                                                     \
  size_t m = s->m, n = s->n, top = n - m;                                        \
  size_t end = top + 1;            /* starts below end remain */                 \
  size_t pa = s->a, pb = s->b;                                                   \
  VEC vf = SET1 ((char) s->x[pa]), vl = SET1 ((char) s->x[pb]);                 \
                                                                                 \
  while (end >= W) {                                                             \
    size_t i;                                                                    \
    uint64_t mask;                                                               \
    if (end >= 2 * W) {                                                          \
      i = end - 2 * W;                                                           \
      mask = MM_MASK (VEC, LOADU, CMPEQ, AND, MOVEMASK, i)                       \
             | MM_MASK (VEC, LOADU, CMPEQ, AND, MOVEMASK, i + W) << W;           \
    } else {                                                                     \
      i = end - W;                                                               \
      mask = MM_MASK (VEC, LOADU, CMPEQ, AND, MOVEMASK, i);                      \
    }                                                                            \
    while (mask != 0) {                                                          \
      unsigned bit = 63u - (unsigned) __builtin_clzll (mask);                    \
      size_t j = i + bit;                                                        \
      if (mm_verify (s, j, top - j, give_up))                                    \
        return (int64_t) j;                                                      \
      if (*give_up) {                                                            \
        *stop = j;                                                               \
        return -1;                                                               \
      }                                                                          \
      mask &= ~((uint64_t) 1 << bit);                                            \
    }                                                                            \
    end = i;                                                                     \
  }                                                                              \
  if (end == 0)                                                                  \
    return -1;                                                                   \
  return mm_scan_rev_scalar (s, 0, end - 1, give_up, stop);                      \
}

MM_DEFINE_SCANS (16, "sse2", __m128i, _mm_loadu_si128, _mm_set1_epi8, _mm_cmpeq_epi8,
                 _mm_and_si128, _mm_movemask_epi8)
MM_DEFINE_SCANS (32, "avx2", __m256i, _mm256_loadu_si256, _mm256_set1_epi8, _mm256_cmpeq_epi8,
                 _mm256_and_si256, _mm256_movemask_epi8)

static int
mm_have_avx2 (void)
{
  static int have = -1;   /* every thread computes the same answer */
  int h = __atomic_load_n (&have, __ATOMIC_RELAXED);

  if (h < 0) {
    __builtin_cpu_init ();
    h = __builtin_cpu_supports ("avx2") ? 1 : 0;
    __atomic_store_n (&have, h, __ATOMIC_RELAXED);
  }
  return h;
}
#endif

#ifndef MM_HAVE_X86
/* Without vector code of our own, let the libc's memchr/memrchr find the
 * probe byte b, then test probe a before verifying. */
static int64_t
mm_scan_fwd_bytes (MmScan *s, int *give_up, size_t *stop)
{
  const uint8_t *h = s->hay;
  size_t m = s->m, limit = s->n - m + 1, j = 0;

  while (j < limit) {
    const uint8_t *p = memchr (h + j + s->b, s->x[s->b], limit - j);

    if (p == NULL)
      return -1;
    j = (size_t) (p - h) - s->b;
    if (h[j + s->a] == s->x[s->a]) {
      if (mm_verify (s, j, j, give_up))
        return (int64_t) j;
      if (*give_up) {
        *stop = j + 1;
        return -1;
      }
    }
    j++;
  }
  return -1;
}

static int64_t
mm_scan_rev_bytes (MmScan *s, int *give_up, size_t *stop)
{
  const uint8_t *h = s->hay;
  size_t m = s->m, top = s->n - m, end = top + 1;

  while (end > 0) {
    const uint8_t *p = mm_memrchr (h + s->b, s->x[s->b], end);
    size_t j;

    if (p == NULL)
      return -1;
    j = (size_t) (p - h) - s->b;
    if (h[j + s->a] == s->x[s->a]) {
      if (mm_verify (s, j, top - j, give_up))
        return (int64_t) j;
      if (*give_up) {
        *stop = j;
        return -1;
      }
    }
    end = j;
  }
  return -1;
}
#endif

static int64_t
mm_scan_fwd (MmScan *s, int *give_up, size_t *stop)
{
#ifdef MM_HAVE_X86
  if (mm_have_avx2 ())
    return mm_scan_fwd_32 (s, give_up, stop);
  return mm_scan_fwd_16 (s, give_up, stop);
#else
  return mm_scan_fwd_bytes (s, give_up, stop);
#endif
}

static int64_t
mm_scan_rev (MmScan *s, int *give_up, size_t *stop)
{
#ifdef MM_HAVE_X86
  if (mm_have_avx2 ())
    return mm_scan_rev_32 (s, give_up, stop);
  return mm_scan_rev_16 (s, give_up, stop);
#else
  return mm_scan_rev_bytes (s, give_up, stop);
#endif
}

/* ---- drivers ------------------------------------------------------------- */

/* Forward (rev = 0) or reverse search, as a forward offset: filter and
 * verify, and on too much verification finish with Two-Way over the starts
 * the filter did not examine. */
static inline __attribute__ ((always_inline)) int64_t
mm_find_dir (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen, int rev)
{
  MmScan s = { hay, hay_len, needle, nlen, 0, 0, 0 };
  int give_up = 0;
  size_t stop = 0;
  int64_t r;

  if (nlen > hay_len)
    return -1;
  if (nlen == 1) {
    const uint8_t *hit = rev ? mm_memrchr (hay, needle[0], hay_len)
                             : memchr (hay, needle[0], hay_len);
    return hit ? hit - hay : -1;
  }
  mm_pick_probes (&s);
  r = rev ? mm_scan_rev (&s, &give_up, &stop) : mm_scan_fwd (&s, &give_up, &stop);
  if (!give_up)
    return r;
  if (!rev) {
    /* Starts below stop are done. */
    r = _mm_find_two_way (hay + stop, hay_len - stop, needle, nlen);
    return r < 0 ? -1 : r + (int64_t) stop;
  }
  /* Starts from stop up are done: search the starts [0, stop). */
  if (stop == 0)
    return -1;
  return _mm_rfind_two_way (hay, stop - 1 + nlen, needle, nlen);
}

int64_t
_mm_find (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen)
{
  return mm_find_dir (hay, hay_len, needle, nlen, 0);
}

int64_t
_mm_rfind (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen)
{
  return mm_find_dir (hay, hay_len, needle, nlen, 1);
}
