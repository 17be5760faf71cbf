/* test-mm-map-find.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: find and rfind through the map, against the
 * contract's rows.
 *
 * Each case runs in a subprocess of its own (mm-test-util.h: run_cases), so a
 * core that dies (SIGBUS, SIGSEGV, abort) fails that case only.
 * MM_TEST_NOFORK=1 runs the cases in this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <glib.h>
#include <string.h>
#include <unistd.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */

/* The map's address, through a view (released at once: the address stays
   valid while the map is neither resized nor closed). */
static guint8 *
map_address (MmMap *map)
{
  MmView *view = NULL;
  guint8 *data;

  ASSERT_OK (mm_map_export (map, &view, &err));
  data = mm_view_data (view);
  mm_view_release (view);
  return data;
}

/* ============================================================ find, rfind */

/* "abcabcabcx": abc at 0, 3, 6; x at 9. */
#define ABC "abcabcabcx"

static int64_t
find_n_ok (MmMap *map, bool reverse, const void *needle, int64_t n, int64_t start, int64_t end)
{
  int64_t at = -2;

  if (reverse)
    ASSERT_OK (mm_map_rfind (map, needle, n, start, end, &at, &err));
  else
    ASSERT_OK (mm_map_find (map, needle, n, start, end, &at, &err));
  return at;
}
#define FIND(map, needle, start, end)  find_n_ok ((map), false, (needle), strlen (needle), (start), (end))
#define RFIND(map, needle, start, end) find_n_ok ((map), true, (needle), strlen (needle), (start), (end))
#define FIND_N(map, needle, n, start, end)  find_n_ok ((map), false, (needle), (n), (start), (end))
#define RFIND_N(map, needle, n, start, end) find_n_ok ((map), true, (needle), (n), (start), (end))

/* size bytes of "abc...z" over and over. */
static guint8 *
alphabet_new (gsize size)
{
  guint8 *hay = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    hay[i] = (guint8) ('a' + i % 26);
  return hay;
}

static void
test_find_returns_absolute_index (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (f->map, "abc", 1, INT64_MAX), ==, 3);
  g_assert_cmpint (FIND (f->map, "abc", 6, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (f->map, "cx", 0, INT64_MAX), ==, 8);
  g_assert_cmpint (FIND (f->map, "x", 0, INT64_MAX), ==, 9);
  g_assert_cmpint (FIND (f->map, "a", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (f->map, ABC, 0, INT64_MAX), ==, 0);
}

static void
test_find_absent_is_minus_one (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", 7, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (f->map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (f->map, "xa", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (f->map, ABC "y", 0, INT64_MAX), ==, -1);   /* longer than the map */
  g_assert_cmpint (RFIND (f->map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (RFIND (f->map, ABC "y", 0, INT64_MAX), ==, -1);
}

static void
test_find_negative_bounds_count_from_end (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", -4, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (f->map, "abc", 4, -1), ==, 6);
  g_assert_cmpint (FIND (f->map, "abc", 4, -2), ==, -1);
  g_assert_cmpint (FIND (f->map, "x", -1, INT64_MAX), ==, 9);
  g_assert_cmpint (RFIND (f->map, "abc", 0, -2), ==, 3);
  g_assert_cmpint (RFIND (f->map, "abc", -7, INT64_MAX), ==, 6);
  g_assert_cmpint (RFIND (f->map, "abc", -6, -1), ==, 6);
}

static void
test_find_bounds_are_clamped (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", -100, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (f->map, "abc", INT64_MIN, 100), ==, 0);
  g_assert_cmpint (FIND (f->map, "x", INT64_MIN, INT64_MAX), ==, 9);
  g_assert_cmpint (FIND (f->map, "abc", 100, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (f->map, "abc", 0, INT64_MIN), ==, -1);
  g_assert_cmpint (RFIND (f->map, "abc", INT64_MIN, 100), ==, 6);
  g_assert_cmpint (RFIND (f->map, "abc", -100, INT64_MAX), ==, 6);
  g_assert_cmpint (RFIND (f->map, "abc", INT64_MAX, INT64_MAX), ==, -1);
}

/* The whole needle must lie in [start, end). */
static void
test_find_match_must_lie_in_window (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", 0, 2), ==, -1);
  g_assert_cmpint (FIND (f->map, "abc", 0, 3), ==, 0);
  g_assert_cmpint (FIND (f->map, "abc", 1, 5), ==, -1);
  g_assert_cmpint (FIND (f->map, "abc", 1, 6), ==, 3);
  g_assert_cmpint (FIND (f->map, "cx", 0, 9), ==, -1);
  g_assert_cmpint (RFIND (f->map, "abc", 0, 8), ==, 3);
  g_assert_cmpint (RFIND (f->map, "abc", 0, 9), ==, 6);
  g_assert_cmpint (RFIND (f->map, "abc", 7, INT64_MAX), ==, -1);
  g_assert_cmpint (RFIND (f->map, "abc", 4, 8), ==, -1);
  g_assert_cmpint (RFIND (f->map, "abc", 1, 8), ==, 3);
}

static void
test_find_empty_needle_returns_start (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (f->map, "", 4, INT64_MAX), ==, 4);
  g_assert_cmpint (FIND (f->map, "", 4, 4), ==, 4);
  g_assert_cmpint (FIND (f->map, "", -3, INT64_MAX), ==, 7);
  g_assert_cmpint (FIND (f->map, "", -100, INT64_MAX), ==, 0);
  /* clamped to the length */
  g_assert_cmpint (FIND (f->map, "", 10, INT64_MAX), ==, 10);
  g_assert_cmpint (FIND (f->map, "", 100, INT64_MAX), ==, 10);
  g_assert_cmpint (FIND (f->map, "", INT64_MAX, INT64_MAX), ==, 10);
}

static void
test_rfind_empty_needle_returns_end (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (RFIND (f->map, "", 0, INT64_MAX), ==, 10);
  g_assert_cmpint (RFIND (f->map, "", 0, 5), ==, 5);
  g_assert_cmpint (RFIND (f->map, "", 2, -3), ==, 7);
  g_assert_cmpint (RFIND (f->map, "", 0, -100), ==, 0);
  g_assert_cmpint (RFIND (f->map, "", -100, 100), ==, 10);
}

static void
test_find_end_before_start_is_minus_one (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_READ);

  g_assert_cmpint (FIND (f->map, "abc", 5, 3), ==, -1);
  g_assert_cmpint (RFIND (f->map, "abc", 5, 3), ==, -1);
  /* even for an empty needle */
  g_assert_cmpint (FIND (f->map, "", 5, 3), ==, -1);
  g_assert_cmpint (RFIND (f->map, "", 5, 3), ==, -1);
  /* after clamping */
  g_assert_cmpint (FIND (f->map, "", -2, -5), ==, -1);
  g_assert_cmpint (RFIND (f->map, "", -2, -5), ==, -1);
  g_assert_cmpint (FIND (f->map, "", 100, -100), ==, -1);
  g_assert_cmpint (RFIND (f->map, "", INT64_MAX, INT64_MIN), ==, -1);
}

static void
test_find_leaves_pos_alone (void)
{
  g_autoptr (Fixture) f = fixture_text (ABC, MM_ACCESS_WRITE);

  map_seek (f->map, 2);
  g_assert_cmpint (FIND (f->map, "abc", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (RFIND (f->map, "abc", 0, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (f->map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (map_pos (f->map), ==, 2);
}

static void
test_find_across_page_boundaries (void)
{
  static const char needle[] = "NEEDLE-0123456789-NEEDLE";
  int64_t n = sizeof needle - 1;
  gsize size = 3 * page;
  g_autofree guint8 *hay = alphabet_new (size);
  g_autoptr (Fixture) f = NULL;
  MmMap *map;

  memcpy (hay + page - 7, needle, n);
  memcpy (hay + 2 * page + 100, needle, n);
  memcpy (hay + size - n, needle, n);
  hay[page + 500] = '#';
  f = fixture_file (hay, size);
  map = fixture_map (f, MM_ACCESS_READ);

  g_assert_cmpint (FIND (map, needle, 0, INT64_MAX), ==, page - 7);
  g_assert_cmpint (FIND (map, needle, page - 6, INT64_MAX), ==, 2 * page + 100);
  g_assert_cmpint (FIND (map, needle, 2 * page + 101, INT64_MAX), ==, (int64_t) size - n);
  g_assert_cmpint (FIND (map, needle, 0, page - 7 + n - 1), ==, -1);
  g_assert_cmpint (RFIND (map, needle, 0, INT64_MAX), ==, (int64_t) size - n);
  g_assert_cmpint (RFIND (map, needle, 0, -1), ==, 2 * page + 100);
  g_assert_cmpint (RFIND (map, needle, 0, 2 * page + 100 + n - 1), ==, page - 7);
  g_assert_cmpint (RFIND (map, needle, page - 6, 2 * page + 100 + n - 1), ==, -1);
  g_assert_cmpint (FIND (map, "#", 0, INT64_MAX), ==, page + 500);
  g_assert_cmpint (RFIND (map, "#", 0, INT64_MAX), ==, page + 500);
  g_assert_cmpint (FIND (map, "#", page + 501, INT64_MAX), ==, -1);
}

static int64_t
clamp_bound (int64_t i, int64_t len)
{
  if (i < 0)
    {
      i += len;
      return i < 0 ? 0 : i;
    }
  return i > len ? len : i;
}

static int64_t
naive_find (const guint8 *hay, int64_t len, const guint8 *needle, int64_t n,
            int64_t start, int64_t end, bool reverse)
{
  start = clamp_bound (start, len);
  end = clamp_bound (end, len);
  if (end < start)
    return -1;
  if (n > end - start)
    return -1;
  if (!reverse)
    {
      for (int64_t i = start; i + n <= end; i++)
        if (memcmp (hay + i, needle, n) == 0)
          return i;
    }
  else
    {
      for (int64_t i = end - n; i >= start; i--)
        if (memcmp (hay + i, needle, n) == 0)
          return i;
    }
  return -1;
}

static int64_t
random_bound (GRand *r, int64_t len)
{
  switch (g_rand_int_range (r, 0, 12))
    {
    case 0:  return INT64_MIN;
    case 1:  return INT64_MAX;
    case 2:  return len;
    case 3:  return 0;
    default: return g_rand_int_range (r, -len - 20, len + 20);
    }
}

/* find and rfind against a plain loop, needles short and long, most of them
   taken from the haystack, windows anywhere (clamping included), on three
   kinds of bytes: */
typedef enum {
  HAY_TWO_LETTERS,    /* "ab" and a rare 'c': many partial matches */
  HAY_RANDOM,         /* all 256 values */
  HAY_SPARSE,         /* mostly zeros, rare other bytes: binary files */
} HayKind;

static void
fill_bytes (guint8 *hay, int64_t len, HayKind kind, GRand *r)
{
  for (int64_t i = 0; i < len; i++)
    switch (kind)
      {
      case HAY_TWO_LETTERS:
        hay[i] = g_rand_int_range (r, 0, 16) == 0 ? 'c' : (g_rand_boolean (r) ? 'a' : 'b');
        break;
      case HAY_RANDOM:
        hay[i] = (guint8) g_rand_int (r);
        break;
      case HAY_SPARSE:
        hay[i] = g_rand_int_range (r, 0, 20) == 0 ? (guint8) g_rand_int_range (r, 1, 4) : 0;
        break;
      }
}

static void
test_find_agrees_with_naive_search (void)
{
  static const int64_t needle_lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 65, 200, 300 };
  int64_t len = 2 * page + 123;
  g_autofree guint8 *hay = g_malloc (len);
  guint8 needle[300];
  g_autoptr (GRand) r = g_rand_new_with_seed (20261122);

  for (HayKind kind = HAY_TWO_LETTERS; kind <= HAY_SPARSE; kind++)
    {
      g_autoptr (Fixture) f = NULL;
      MmMap *map;

      fill_bytes (hay, len, kind, r);
      memset (hay + page - 40, hay[0], 90);   /* a long run, for needles of one byte */
      f = fixture_file (hay, len);
      map = fixture_map (f, MM_ACCESS_READ);

      for (int iter = 0; iter < 3000; iter++)
        {
          int64_t n = needle_lens[g_rand_int_range (r, 0, G_N_ELEMENTS (needle_lens))];
          int64_t start = random_bound (r, len), end = random_bound (r, len);
          bool reverse = g_rand_boolean (r);
          int64_t got, want;

          if (g_rand_int_range (r, 0, 4) != 0)
            memcpy (needle, hay + g_rand_int_range (r, 0, len - n + 1), n);
          else
            fill_bytes (needle, n, kind, r);
          if (g_rand_int_range (r, 0, 20) == 0)
            memset (needle, hay[0], n);
          if (n > 0 && g_rand_int_range (r, 0, 8) == 0)
            needle[g_rand_int_range (r, 0, n)] ^= 1;    /* a near miss */

          want = naive_find (hay, len, needle, n, start, end, reverse);
          got = find_n_ok (map, reverse, needle, n, start, end);
          if (got != want)
            fail_at (__FILE__, __LINE__,
                     "hay kind %d, %s(needle of %" G_GINT64_FORMAT " bytes, start %" G_GINT64_FORMAT
                     ", end %" G_GINT64_FORMAT ") on %" G_GINT64_FORMAT " bytes: got %" G_GINT64_FORMAT
                     ", expected %" G_GINT64_FORMAT " (iteration %d)",
                     kind, reverse ? "rfind" : "find", (gint64) n,
                     (gint64) start, (gint64) end, (gint64) len, (gint64) got, (gint64) want, iter);
        }
    }
}

/* The file is cut to one page under a two-page map: the second page faults
   when touched. A search whose window ends at the cut must not touch it. */
static void
test_find_never_reads_past_the_window (void)
{
  static const char *needles[] = { "Q", "QZ", "QZQ", "QZQZQZQZ", "QZQZQZQZQZQZQZQZQ",
                                   "QZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZ" };
  gsize size = 2 * page;
  g_autofree guint8 *hay = alphabet_new (size);
  g_autoptr (Fixture) f = fixture_file (hay, size);
  MmMap *map = fixture_map (f, MM_ACCESS_READ);

  g_assert_cmpint (ftruncate (f->fd, page), ==, 0);

  for (guint k = 0; k < G_N_ELEMENTS (needles); k++)
    {
      const char *nd = needles[k];
      int64_t n = strlen (nd);

      g_assert_cmpint (FIND (map, nd, 0, page), ==, -1);
      g_assert_cmpint (FIND (map, nd, page - 100, page), ==, -1);
      g_assert_cmpint (FIND (map, nd, page - n, page), ==, -1);
      g_assert_cmpint (RFIND (map, nd, 0, page), ==, -1);
      g_assert_cmpint (RFIND (map, nd, page - 100, page), ==, -1);
    }

  /* a match that ends exactly at the cut */
  g_assert_cmpint (pwrite (f->fd, "QZQ", 3, page - 3), ==, 3);
  g_assert_cmpint (FIND (map, "QZQ", 0, page), ==, page - 3);
  g_assert_cmpint (FIND (map, "Q", page - 1, page), ==, page - 1);
  g_assert_cmpint (RFIND (map, "QZQ", 0, page), ==, page - 3);
  g_assert_cmpint (RFIND (map, "Q", 0, page), ==, page - 1);
  g_assert_cmpint (FIND (map, "QZQa", 0, page), ==, -1);
}

/* The first and the last of four pages made inaccessible under the map: a
   search in a window inside the two middle pages must touch neither, in
   either direction, whatever the needle's length. */
static void
test_find_never_reads_outside_the_window (void)
{
  static const int64_t lens[] = { 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 300 };
  gsize size = 4 * page;
  g_autofree guint8 *hay = alphabet_new (size);
  guint8 needle[300];
  g_autoptr (Fixture) f = fixture_file (hay, size);
  MmMap *map = fixture_map (f, MM_ACCESS_WRITE);
  guint8 *base = map_address (map);

  g_assert_cmpint (mprotect (base, page, PROT_NONE), ==, 0);
  g_assert_cmpint (mprotect (base + 3 * page, page, PROT_NONE), ==, 0);

  for (guint k = 0; k < G_N_ELEMENTS (lens); k++)
    {
      int64_t n = lens[k];
      int64_t lo = page, hi = 3 * page;

      memset (needle, 'Q', n);      /* absent */
      g_assert_cmpint (FIND_N (map, needle, n, lo, hi), ==, -1);
      g_assert_cmpint (RFIND_N (map, needle, n, lo, hi), ==, -1);
      g_assert_cmpint (FIND_N (map, needle, n, hi - n, hi), ==, -1);
      g_assert_cmpint (RFIND_N (map, needle, n, lo, lo + n), ==, -1);
      g_assert_cmpint (FIND_N (map, needle, n, lo + 1, hi - 1), ==, -1);
      g_assert_cmpint (RFIND_N (map, needle, n, lo + 1, hi - 1), ==, -1);
    }

  /* matches flush against both edges: a prefix before lo and a suffix after hi
     would match too, if they were read */
  for (guint k = 0; k < G_N_ELEMENTS (lens); k++)
    {
      int64_t n = lens[k], at = -2;
      int64_t lo = page, hi = 3 * page;

      memcpy (needle, hay + lo, n);
      ASSERT_OK (mm_map_find (map, needle, n, lo, hi, &at, &err));
      g_assert_cmpint (at, ==, lo);
      ASSERT_OK (mm_map_rfind (map, needle, n, lo, lo + n, &at, &err));
      g_assert_cmpint (at, ==, lo);
      memcpy (needle, hay + hi - n, n);
      ASSERT_OK (mm_map_rfind (map, needle, n, lo, hi, &at, &err));
      g_assert_cmpint (at, ==, hi - n);
      ASSERT_OK (mm_map_find (map, needle, n, hi - n, hi, &at, &err));
      g_assert_cmpint (at, ==, hi - n);
    }

  g_assert_cmpint (mprotect (base, size, PROT_READ | PROT_WRITE), ==, 0);
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/find/returns-absolute-index", test_find_returns_absolute_index },
  { "/mm-map/find/absent-is-minus-one", test_find_absent_is_minus_one },
  { "/mm-map/find/negative-bounds-count-from-end", test_find_negative_bounds_count_from_end },
  { "/mm-map/find/bounds-are-clamped", test_find_bounds_are_clamped },
  { "/mm-map/find/match-must-lie-in-window", test_find_match_must_lie_in_window },
  { "/mm-map/find/empty-needle-returns-start", test_find_empty_needle_returns_start },
  { "/mm-map/rfind/empty-needle-returns-end", test_rfind_empty_needle_returns_end },
  { "/mm-map/find/end-before-start-is-minus-one", test_find_end_before_start_is_minus_one },
  { "/mm-map/find/leaves-pos-alone", test_find_leaves_pos_alone },
  { "/mm-map/find/across-page-boundaries", test_find_across_page_boundaries },
  { "/mm-map/find/agrees-with-naive-search", test_find_agrees_with_naive_search },
  { "/mm-map/find/never-reads-past-the-window", test_find_never_reads_past_the_window },
  { "/mm-map/find/never-reads-outside-the-window", test_find_never_reads_outside_the_window },
};

MM_TEST_MAIN (cases, page)
