/* test-mm-slice.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: slices and move.
 *
 * Each case runs in a subprocess of its own (mm-test-util.h: run_cases), so a
 * core that dies (SIGBUS, SIGSEGV, abort) fails that case only.
 * MM_TEST_NOFORK=1 runs the cases in this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <glib.h>
#include <string.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */

/* ============================================================ slices */

static void
test_get_slice_contiguous_extended_negative (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[16];

  ASSERT_OK (mm_map_get_slice (f->map, 2, 1, 5, buf, &err));       /* [2:7] */
  g_assert_cmpmem (buf, 5, "23456", 5);
  ASSERT_OK (mm_map_get_slice (f->map, 1, 3, 3, buf, &err));       /* [1::3] */
  g_assert_cmpmem (buf, 3, "147", 3);
  ASSERT_OK (mm_map_get_slice (f->map, 9, -1, 10, buf, &err));     /* [::-1] */
  g_assert_cmpmem (buf, 10, "9876543210", 10);
  ASSERT_OK (mm_map_get_slice (f->map, 9, -3, 4, buf, &err));      /* [::-3] */
  g_assert_cmpmem (buf, 4, "9630", 4);
  ASSERT_OK (mm_map_get_slice (f->map, 0, 9, 2, buf, &err));       /* [::9] */
  g_assert_cmpmem (buf, 2, "09", 2);
  ASSERT_OK (mm_map_get_slice (f->map, 5, 100, 1, buf, &err));     /* [5::100] */
  g_assert_cmpmem (buf, 1, "5", 1);
  g_assert_cmpint (map_pos (f->map), ==, 0);
}

static void
test_get_slice_empty_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[4] = "xyz";

  ASSERT_OK (mm_map_get_slice (f->map, 3, 1, 0, buf, &err));       /* [3:3] */
  ASSERT_OK (mm_map_get_slice (f->map, 10, 1, 0, buf, &err));      /* [10:] */
  ASSERT_OK (mm_map_get_slice (f->map, 9, -1, 0, buf, &err));      /* [9:9:-1] */
  g_assert_cmpstr (buf, ==, "xyz");
}

static void
test_get_slice_outside_is_range (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[32];

  ASSERT_ERR (mm_map_get_slice (f->map, 0, 1, -1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 0, 0, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 5, 1, 6, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, -1, 1, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 10, 1, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 1, 3, 4, buf, &err), MM_ERROR_RANGE);     /* 1 4 7 10 */
  ASSERT_ERR (mm_map_get_slice (f->map, 5, -2, 4, buf, &err), MM_ERROR_RANGE);    /* 5 3 1 -1 */
  ASSERT_ERR (mm_map_get_slice (f->map, 10, -1, 1, buf, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_get_slice (f->map, 0, INT64_MAX, 2, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 9, INT64_MIN, 2, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 0, 1, INT64_MAX, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (f->map, 2, 2, INT64_MAX / 2 + 2, buf, &err), MM_ERROR_RANGE);
}

static void
test_set_slice_contiguous_extended_negative (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_set_slice (f->map, 2, 1, 3, "abc", 3, &err));  /* [2:5] */
  ASSERT_MAP (f->map, "01abc56789", 10);
  ASSERT_OK (mm_map_set_slice (f->map, 1, 3, 3, "XYZ", 3, &err));  /* [1::3] */
  ASSERT_MAP (f->map, "0XabY56Z89", 10);
  ASSERT_OK (mm_map_set_slice (f->map, 9, -4, 3, "pqr", 3, &err)); /* [::-4]: 9 5 1 */
  ASSERT_MAP (f->map, "0rabYq6Z8p", 10);
  ASSERT_OK (mm_map_set_slice (f->map, 9, -1, 10, "0123456789", 10, &err));
  ASSERT_MAP (f->map, "9876543210", 10);
  ASSERT_OK (mm_map_set_slice (f->map, 4, 1, 0, "", 0, &err));
  ASSERT_FILE (f->fd, "9876543210", 10);
  g_assert_cmpint (map_pos (f->map), ==, 0);
}

static void
test_set_slice_readonly_before_range_before_size (void)
{
  g_autoptr (Fixture) rd = fixture_digits (MM_ACCESS_READ);
  g_autoptr (Fixture) wr = NULL;

  fixture_snapshot (rd);
  ASSERT_ERR (mm_map_set_slice (rd->map, 0, 1, 3, "abc", 3, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (rd->map, 8, 1, 3, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (rd->map, 0, 0, 3, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (rd->before);
  g_clear_pointer (&rd, fixture_free);

  wr = fixture_digits (MM_ACCESS_WRITE);
  fixture_snapshot (wr);
  /* range before size */
  ASSERT_ERR (mm_map_set_slice (wr->map, 8, 1, 3, "ab", 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (wr->map, 0, 0, 3, "ab", 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (wr->map, 0, 1, -1, "ab", 2, &err), MM_ERROR_RANGE);
  /* then size */
  ASSERT_ERR (mm_map_set_slice (wr->map, 7, 1, 3, "ab", 2, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (wr->before);
}

static void
test_set_slice_wrong_size_is_invalid_map_unchanged (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 4);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, 1, 3, "ab", 2, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, 1, 3, "abcd", 4, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (f->map, 9, -2, 3, "abcd", 4, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (f->map, 5, 1, 0, "a", 1, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (f->before);
}

static void
test_set_slice_outside_is_range_map_unchanged (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  char src[16] = "abcdefghijklmno";

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_set_slice (f->map, 5, 1, 6, src, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (f->map, 1, 3, 4, src, 4, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (f->map, 5, -2, 4, src, 4, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (f->map, -1, 1, 2, src, 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, INT64_MAX, 2, src, 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, 1, INT64_MAX, src, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

/* Random normalized slices, get and set, against a model; the touched
   indices are checked against [0, len) as the contract says. */
static void
test_slices_match_a_model (void)
{
  int64_t len = 3 * page + 5;
  g_autoptr (Fixture) f = fixture_pattern (len);
  guint8 *model = f->bytes;
  g_autofree guint8 *buf = g_malloc (len + 1);
  g_autofree guint8 *src = g_malloc (len + 1);
  g_autoptr (GRand) r = g_rand_new_with_seed (777);

  fixture_map (f, MM_ACCESS_WRITE);

  for (int iter = 0; iter < 2000; iter++)
    {
      static const int64_t steps[] = { 1, 1, 2, 3, 7, 4096, 4097, -1, -1, -2, -5, -4096, 0 };
      int64_t step = steps[g_rand_int_range (r, 0, G_N_ELEMENTS (steps))];
      int64_t start = g_rand_int_range (r, -2, len + 2);
      int64_t count = g_rand_int_range (r, -1, 40);
      bool set = g_rand_boolean (r);
      bool in_range;

      /* now and then the longest slice from start */
      if (g_rand_int_range (r, 0, 10) == 0 && step != 0)
        count = MIN (len, step > 0 ? (len - 1 - MAX (start, 0)) / step + 1 : MAX (start, 0) / -step + 1);
      in_range = count >= 0 && step != 0;
      for (int64_t k = 0; in_range && k < count; k++)
        in_range = start + k * step >= 0 && start + k * step < len;

      if (set)
        {
          for (int64_t k = 0; k < MAX (count, 0); k++)
            src[k] = (guint8) g_rand_int (r);
          if (in_range)
            {
              ASSERT_OK (mm_map_set_slice (f->map, start, step, count, src, count, &err));
              for (int64_t k = 0; k < count; k++)
                model[start + k * step] = src[k];
            }
          else
            ASSERT_ERR (mm_map_set_slice (f->map, start, step, count, src, MAX (count, 0), &err), MM_ERROR_RANGE);
        }
      else if (in_range)
        {
          ASSERT_OK (mm_map_get_slice (f->map, start, step, count, buf, &err));
          for (int64_t k = 0; k < count; k++)
            if (buf[k] != model[start + k * step])
              fail_at (__FILE__, __LINE__, "get_slice (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                       ", %" G_GINT64_FORMAT "): byte %" G_GINT64_FORMAT " differs",
                       (gint64) start, (gint64) step, (gint64) count, (gint64) k);
        }
      else
        ASSERT_ERR (mm_map_get_slice (f->map, start, step, count, buf, &err), MM_ERROR_RANGE);
    }
  ASSERT_MAP_AND_FILE (f, model, len);
}

/* ============================================================ move */

static void
test_move_overlap_forward (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_move (f->map, 2, 0, 5, &err));
  ASSERT_MAP_AND_FILE (f, "0101234789", 10);
  g_assert_cmpint (map_pos (f->map), ==, 0);
}

static void
test_move_overlap_backward (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_move (f->map, 0, 2, 5, &err));
  ASSERT_MAP (f->map, "2345656789", 10);
  ASSERT_OK (mm_map_move (f->map, 5, 0, 5, &err));
  ASSERT_MAP_AND_FILE (f, "2345623456", 10);
}

static void
test_move_len_0_0_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_move (f->map, 10, 0, 0, &err));
  ASSERT_OK (mm_map_move (f->map, 0, 10, 0, &err));
  ASSERT_OK (mm_map_move (f->map, 10, 10, 0, &err));
  ASSERT_OK (mm_map_move (f->map, 3, 3, 7, &err));
  ASSERT_MAP (f->map, DIGITS, 10);
}

static void
test_move_readonly_first (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_move (f->map, 0, 1, 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (f->map, -1, 0, 1, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (f->map, 5, 0, 6, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (f->map, 10, 0, 0, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
}

static void
test_move_outside_is_range_map_unchanged (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_move (f->map, -1, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 0, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 0, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 5, 0, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 0, 5, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 10, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 11, 0, 0, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_move (f->map, 1, 0, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, INT64_MAX, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, 0, INT64_MAX, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (f->map, INT64_MIN, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

/* Page-crossing moves, both directions, overlapping or not, against memmove. */
static void
test_move_across_pages_matches_memmove (void)
{
  int64_t len = 5 * page + 77;
  g_autoptr (Fixture) f = fixture_pattern (len);
  guint8 *model = f->bytes;
  g_autoptr (GRand) r = g_rand_new_with_seed (4242);

  fixture_map (f, MM_ACCESS_WRITE);

  for (int iter = 0; iter < 200; iter++)
    {
      int64_t count = g_rand_int_range (r, 0, 3 * page);
      int64_t src = g_rand_int_range (r, 0, len - count + 1);
      int64_t dest = g_rand_int_range (r, 0, 8) == 0
                     ? src + g_rand_int_range (r, -3, 4)
                     : g_rand_int_range (r, 0, len - count + 1);

      if (dest < 0 || dest > len - count)
        dest = src;
      ASSERT_OK (mm_map_move (f->map, dest, src, count, &err));
      memmove (model + dest, model + src, count);
      /* keep the bytes distinct from their neighbours */
      for (int k = 0; k < 16; k++)
        {
          int64_t at = g_rand_int_range (r, 0, len);
          model[at] = (guint8) g_rand_int (r);
          ASSERT_OK (mm_map_set_item (f->map, at, model[at], &err));
        }
    }
  ASSERT_MAP_AND_FILE (f, model, len);
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/get-slice/contiguous-extended-negative", test_get_slice_contiguous_extended_negative },
  { "/mm-map/get-slice/empty-is-fine", test_get_slice_empty_is_fine },
  { "/mm-map/get-slice/outside-is-range", test_get_slice_outside_is_range },
  { "/mm-map/set-slice/contiguous-extended-negative", test_set_slice_contiguous_extended_negative },
  { "/mm-map/set-slice/readonly-before-range-before-size", test_set_slice_readonly_before_range_before_size },
  { "/mm-map/set-slice/wrong-size-is-invalid-map-unchanged", test_set_slice_wrong_size_is_invalid_map_unchanged },
  { "/mm-map/set-slice/outside-is-range-map-unchanged", test_set_slice_outside_is_range_map_unchanged },
  { "/mm-map/slice/random-slices-match-a-model", test_slices_match_a_model },
  { "/mm-map/move/overlap-forward", test_move_overlap_forward },
  { "/mm-map/move/overlap-backward", test_move_overlap_backward },
  { "/mm-map/move/len-0-0-is-fine", test_move_len_0_0_is_fine },
  { "/mm-map/move/readonly-first", test_move_readonly_first },
  { "/mm-map/move/outside-is-range-map-unchanged", test_move_outside_is_range_map_unchanged },
  { "/mm-map/move/across-pages-matches-memmove", test_move_across_pages_matches_memmove },
};

MM_TEST_MAIN (cases, page)
