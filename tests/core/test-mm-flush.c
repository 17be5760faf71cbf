/* test-mm-flush.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: flush and madvise.
 *
 * Each case runs in a subprocess of its own (mm-test-util.h: run_cases), so a
 * core that dies (SIGBUS, SIGSEGV, abort) fails that case only.
 * MM_TEST_NOFORK=1 runs the cases in this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <glib.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */

/* ============================================================ flush */

static void
test_flush_whole_and_aligned_ranges (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_set_item (f->map, page + 1, 'x', &err));
  ASSERT_OK (mm_map_flush (f->map, 0, 2 * page, &err));
  ASSERT_OK (mm_map_flush (f->map, page, page, &err));
  ASSERT_OK (mm_map_flush (f->map, page, 10, &err));
  ASSERT_OK (mm_map_flush (f->map, 0, 0, &err));
  g_clear_pointer (&f, fixture_free);

  f = fixture_digits (MM_ACCESS_DEFAULT);
  ASSERT_OK (mm_map_flush (f->map, 0, 10, &err));
  g_clear_pointer (&f, fixture_free);

  f = fixture_anon (100, MAP_SHARED);
  ASSERT_OK (mm_map_flush (f->map, 0, 100, &err));
}

static void
test_flush_unaligned_offset_is_os_einval (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_OS (mm_map_flush (f->map, 1, 1, &err), EINVAL);
  ASSERT_OS (mm_map_flush (f->map, page + 1, 10, &err), EINVAL);
  ASSERT_OS (mm_map_flush (f->map, page / 2, page, &err), EINVAL);
}

static void
test_flush_outside_is_range (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_ERR (mm_map_flush (f->map, -page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, 0, 2 * page + 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, page, page + 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, 3 * page, 0, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_flush (f->map, page, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, INT64_MAX, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, INT64_MIN, 0, &err), MM_ERROR_RANGE);
}

static void
test_flush_range_checked_before_alignment (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_ERR (mm_map_flush (f->map, 1, 2 * page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, 1, -1, &err), MM_ERROR_RANGE);
}

/* READ and COPY: the range is checked, msync is not called. */
static void
test_flush_read_and_copy_check_range_only (void)
{
  const MmAccess accs[] = { MM_ACCESS_READ, MM_ACCESS_COPY };

  for (guint i = 0; i < G_N_ELEMENTS (accs); i++)
    {
      g_autoptr (Fixture) f = fixture_two_pages (accs[i]);

      ASSERT_OK (mm_map_flush (f->map, 1, 1, &err));
      ASSERT_OK (mm_map_flush (f->map, page + 1, 10, &err));
      ASSERT_OK (mm_map_flush (f->map, 0, 2 * page, &err));
      ASSERT_ERR (mm_map_flush (f->map, -1, 1, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (f->map, 0, -1, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (f->map, 1, 2 * page, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (f->map, 1, INT64_MAX, &err), MM_ERROR_RANGE);
    }
}

/* Only READ and COPY skip msync: a DEFAULT map does not, even MAP_PRIVATE;
   a DEFAULT map resolved to READ does. */
static void
test_flush_default_maps_follow_their_resolution (void)
{
  gsize size = 2 * page;
  g_autoptr (Fixture) f = fixture_pattern (size);

  f->map = map_new_ok (f->fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  ASSERT_OK (mm_map_flush (f->map, 0, size, &err));
  ASSERT_OS (mm_map_flush (f->map, 1, 1, &err), EINVAL);
  fixture_free_map (f);

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  ASSERT_OK (mm_map_flush (f->map, 1, 1, &err));
  ASSERT_ERR (mm_map_flush (f->map, 1, size, &err), MM_ERROR_RANGE);
}

/* ============================================================ madvise */

static void
test_madvise_whole_and_partial (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_madvise (f->map, MADV_NORMAL, 0, 2 * page, &err));
  ASSERT_OK (mm_map_madvise (f->map, MADV_WILLNEED, page, page, &err));
  ASSERT_OK (mm_map_madvise (f->map, MADV_RANDOM, page, 10, &err));
  ASSERT_OK (mm_map_madvise (f->map, MADV_SEQUENTIAL, 0, 0, &err));
  /* length clipped to the end */
  ASSERT_OK (mm_map_madvise (f->map, MADV_NORMAL, page, 5 * page, &err));
  g_clear_pointer (&f, fixture_free);

  f = fixture_digits (MM_ACCESS_READ);
  ASSERT_OK (mm_map_madvise (f->map, MADV_NORMAL, 0, 10, &err));
}

static void
test_madvise_length_clipped_without_overflow (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_READ);

  ASSERT_OK (mm_map_madvise (f->map, MADV_NORMAL, 0, INT64_MAX, &err));
  ASSERT_OK (mm_map_madvise (f->map, MADV_WILLNEED, page, INT64_MAX, &err));
  ASSERT_OK (mm_map_madvise (f->map, MADV_NORMAL, page, INT64_MAX - page + 1, &err));
}

static void
test_madvise_start_outside_is_range (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, -page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 2 * page, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 2 * page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 4 * page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, INT64_MAX, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, INT64_MIN, 1, &err), MM_ERROR_RANGE);
}

static void
test_madvise_negative_length_is_range (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, page, INT64_MIN, &err), MM_ERROR_RANGE);
}

static void
test_madvise_bad_option_or_unaligned_is_os_einval (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_OS (mm_map_madvise (f->map, 12345, 0, 2 * page, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (f->map, -1, 0, page, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (f->map, MADV_NORMAL, 1, 1, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (f->map, MADV_WILLNEED, page + 3, INT64_MAX, &err), EINVAL);
}

static void
test_madvise_range_checked_before_os (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);

  ASSERT_ERR (mm_map_madvise (f->map, 12345, 2 * page, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, 12345, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, 12345, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 1, -1, &err), MM_ERROR_RANGE);
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/flush/whole-and-aligned-ranges", test_flush_whole_and_aligned_ranges },
  { "/mm-map/flush/unaligned-offset-is-os-einval", test_flush_unaligned_offset_is_os_einval },
  { "/mm-map/flush/outside-is-range", test_flush_outside_is_range },
  { "/mm-map/flush/range-checked-before-alignment", test_flush_range_checked_before_alignment },
  { "/mm-map/flush/read-and-copy-check-range-only", test_flush_read_and_copy_check_range_only },
  { "/mm-map/flush/default-maps-follow-their-resolution", test_flush_default_maps_follow_their_resolution },
  { "/mm-map/madvise/whole-and-partial", test_madvise_whole_and_partial },
  { "/mm-map/madvise/length-clipped-without-overflow", test_madvise_length_clipped_without_overflow },
  { "/mm-map/madvise/start-outside-is-range", test_madvise_start_outside_is_range },
  { "/mm-map/madvise/negative-length-is-range", test_madvise_negative_length_is_range },
  { "/mm-map/madvise/bad-option-or-unaligned-is-os-einval", test_madvise_bad_option_or_unaligned_is_os_einval },
  { "/mm-map/madvise/range-checked-before-os", test_madvise_range_checked_before_os },
};

MM_TEST_MAIN (cases, page)
