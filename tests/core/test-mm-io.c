/* test-mm-io.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: read, readline, write, seek, size, item access, fault
 * safety.
 *
 * Each case runs in a subprocess of its own (mm-test-util.h: run_cases), so a
 * core that dies (SIGBUS, SIGSEGV, abort) fails that case only.
 * MM_TEST_NOFORK=1 runs the cases in this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <glib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */

/* ============================================================ read */

static void
test_read_returns_bytes_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[32] = "";
  int64_t n = -1;

  ASSERT_OK (mm_map_read (f->map, buf, 3, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpmem (buf, 3, "012", 3);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  ASSERT_OK (mm_map_read (f->map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpmem (buf, 4, "3456", 4);
  g_assert_cmpint (map_pos (f->map), ==, 7);
  ASSERT_OK (mm_map_read (f->map, buf, 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 7);
}

static void
test_read_negative_n_reads_the_rest (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (f->map, 4);
  ASSERT_OK (mm_map_read (f->map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 6);
  g_assert_cmpmem (buf, 6, "456789", 6);
  g_assert_cmpint (map_pos (f->map), ==, 10);

  map_seek (f->map, 0);
  ASSERT_OK (mm_map_read (f->map, buf, INT64_MIN, &n, &err));
  g_assert_cmpint (n, ==, 10);
  g_assert_cmpmem (buf, 10, DIGITS, 10);
}

static void
test_read_too_large_n_reads_the_rest (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (f->map, 7);
  ASSERT_OK (mm_map_read (f->map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpmem (buf, 3, "789", 3);
  g_assert_cmpint (map_pos (f->map), ==, 10);

  /* pos + n overflows */
  map_seek (f->map, 3);
  ASSERT_OK (mm_map_read (f->map, buf, INT64_MAX, &n, &err));
  g_assert_cmpint (n, ==, 7);
  g_assert_cmpmem (buf, 7, "3456789", 7);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_read_at_end_gives_nothing (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (f->map, 10);
  ASSERT_OK (mm_map_read (f->map, buf, 5, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_read (f->map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_read_byte_returns_byte_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  uint8_t b = 0;

  ASSERT_OK (mm_map_read_byte (f->map, &b, &err));
  g_assert_cmpuint (b, ==, '0');
  g_assert_cmpint (map_pos (f->map), ==, 1);
  map_seek (f->map, 9);
  ASSERT_OK (mm_map_read_byte (f->map, &b, &err));
  g_assert_cmpuint (b, ==, '9');
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_read_byte_at_end_is_range_pos_kept (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  uint8_t b = 0;

  map_seek (f->map, 10);
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

/* ============================================================ readline */

static void
test_readline_through_newline (void)
{
  g_autoptr (Fixture) f = fixture_text ("ab\ncd\n\nef", MM_ACCESS_READ);
  char buf[64];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "ab\n", 3);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "cd\n", 3);
  g_assert_cmpint (map_pos (f->map), ==, 6);
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "\n", 1);
  g_assert_cmpint (map_pos (f->map), ==, 7);
  /* the last line has no newline: to the end */
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "ef", 2);
  g_assert_cmpint (map_pos (f->map), ==, 9);
}

static void
test_readline_at_end_gives_nothing (void)
{
  g_autoptr (Fixture) f = fixture_text ("ab\n", MM_ACCESS_READ);
  char buf[64];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 3);
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
}

static void
test_readline_long_line_in_pieces (void)
{
  g_autoptr (Fixture) f = fixture_text ("abcdefghij\nxy", MM_ACCESS_READ);
  char buf[8];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (f->map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "abcd", 4);
  g_assert_cmpint (map_pos (f->map), ==, 4);
  ASSERT_OK (mm_map_readline (f->map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "efgh", 4);
  g_assert_cmpint (map_pos (f->map), ==, 8);
  ASSERT_OK (mm_map_readline (f->map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "ij\n", 3);
  g_assert_cmpint (map_pos (f->map), ==, 11);
  ASSERT_OK (mm_map_readline (f->map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "xy", 2);
  g_assert_cmpint (map_pos (f->map), ==, 13);
  ASSERT_OK (mm_map_readline (f->map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 13);
}

/* A line of exactly dst_size bytes comes back whole; one byte more, the
   newline comes alone. */
static void
test_readline_piece_boundary_at_newline (void)
{
  g_autoptr (Fixture) f = fixture_text ("ab\ncd\nef", MM_ACCESS_READ);
  char buf[8];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (f->map, buf, 3, &n, &err));
  g_assert_cmpmem (buf, n, "ab\n", 3);
  ASSERT_OK (mm_map_readline (f->map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "cd", 2);
  g_assert_cmpint (map_pos (f->map), ==, 5);
  ASSERT_OK (mm_map_readline (f->map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "\n", 1);
  g_assert_cmpint (map_pos (f->map), ==, 6);
  ASSERT_OK (mm_map_readline (f->map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "ef", 2);
}

/* ============================================================ write */

static void
test_write_returns_n_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  int64_t n = -1;

  ASSERT_OK (mm_map_write (f->map, "ab", 2, &n, &err));
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (map_pos (f->map), ==, 2);
  ASSERT_OK (mm_map_write (f->map, "cde", 3, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (map_pos (f->map), ==, 5);
  ASSERT_OK (mm_map_write (f->map, "", 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 5);
  ASSERT_MAP (f->map, "abcde56789", 10);
}

static void
test_write_up_to_the_end_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  int64_t n = -1;

  map_seek (f->map, 7);
  ASSERT_OK (mm_map_write (f->map, "xyz", 3, &n, &err));
  g_assert_cmpint (map_pos (f->map), ==, 10);
  ASSERT_OK (mm_map_write (f->map, "", 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (f->map), ==, 10);
  ASSERT_FILE (f->fd, "0123456xyz", 10);
}

static void
test_write_reaches_the_file_with_write_access (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  int64_t n;

  map_seek (f->map, 3);
  ASSERT_OK (mm_map_write (f->map, "abc", 3, &n, &err));
  ASSERT_OK (mm_map_write_byte (f->map, 'Z', &err));
  ASSERT_OK (mm_map_set_item (f->map, 0, 'Q', &err));
  ASSERT_FILE (f->fd, "Q12abcZ789", 10);
  fixture_free_map (f);
  ASSERT_FILE (f->fd, "Q12abcZ789", 10);
}

static void
test_write_does_not_reach_the_file_with_copy_access (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_COPY);
  int64_t n;

  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_COPY);
  map_seek (f->map, 3);
  ASSERT_OK (mm_map_write (f->map, "abc", 3, &n, &err));
  ASSERT_OK (mm_map_write_byte (f->map, 'Z', &err));
  ASSERT_OK (mm_map_set_item (f->map, 0, 'Q', &err));
  ASSERT_OK (mm_map_set_slice (f->map, 9, -1, 2, "mn", 2, &err));
  ASSERT_OK (mm_map_move (f->map, 1, 3, 1, &err));
  ASSERT_MAP (f->map, "Qa2abcZ7nm", 10);
  ASSERT_OK (mm_map_flush (f->map, 0, 10, &err));
  ASSERT_FILE (f->fd, DIGITS, 10);
  fixture_free_map (f);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_write_readonly_map_is_readonly (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t n = -1;

  map_seek (f->map, 2);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write (f->map, "ab", 2, &n, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
}

static void
test_write_readonly_checked_before_range (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t n = -1;

  map_seek (f->map, 9);
  ASSERT_ERR (mm_map_write (f->map, "abc", 3, &n, &err), MM_ERROR_READONLY);
  map_seek (f->map, 10);
  ASSERT_ERR (mm_map_write (f->map, "abc", 3, &n, &err), MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_write_past_end_is_range_nothing_written_pos_kept (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  int64_t n = -1;

  map_seek (f->map, 8);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write (f->map, "abc", 3, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  /* pos + n overflows */
  ASSERT_ERR (mm_map_write (f->map, "abc", INT64_MAX, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  map_seek (f->map, 10);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write (f->map, "a", 1, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

static void
test_write_byte_writes_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_write_byte (f->map, 'a', &err));
  g_assert_cmpint (map_pos (f->map), ==, 1);
  map_seek (f->map, 9);
  ASSERT_OK (mm_map_write_byte (f->map, 'z', &err));
  g_assert_cmpint (map_pos (f->map), ==, 10);
  ASSERT_FILE (f->fd, "a12345678z", 10);
}

static void
test_write_byte_readonly_before_range (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  map_seek (f->map, 4);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
  map_seek (f->map, 10);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_write_byte_at_end_is_range_pos_kept (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  map_seek (f->map, 10);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

/* ============================================================ seek, tell */

static void
test_seek_set_cur_end (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t p = -1;

  ASSERT_OK (mm_map_seek (f->map, 4, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 4);
  ASSERT_OK (mm_map_seek (f->map, 3, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 7);
  ASSERT_OK (mm_map_seek (f->map, -5, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 2);
  ASSERT_OK (mm_map_seek (f->map, -3, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 7);
  g_assert_cmpint (map_pos (f->map), ==, 7);
  ASSERT_OK (mm_map_seek (f->map, -10, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 0);
}

static void
test_seek_to_exact_length_is_allowed (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t p = -1;

  ASSERT_OK (mm_map_seek (f->map, 10, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 10);
  ASSERT_OK (mm_map_seek (f->map, 0, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 10);
  map_seek (f->map, 4);
  ASSERT_OK (mm_map_seek (f->map, 6, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 10);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_seek_past_end_is_range_and_keeps_pos (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t p = -1;

  map_seek (f->map, 3);
  ASSERT_ERR (mm_map_seek (f->map, 11, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  ASSERT_ERR (mm_map_seek (f->map, 8, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  ASSERT_ERR (mm_map_seek (f->map, 1, SEEK_END, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  /* no overflow */
  ASSERT_ERR (mm_map_seek (f->map, INT64_MAX, SEEK_END, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, INT64_MAX, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, INT64_MAX, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 3);
}

static void
test_seek_negative_is_range_and_keeps_pos (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t p = -1;

  map_seek (f->map, 3);
  ASSERT_ERR (mm_map_seek (f->map, -1, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, -4, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, -11, SEEK_END, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, INT64_MIN, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, INT64_MIN, SEEK_END, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 3);
}

static void
test_seek_bad_whence_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  int64_t p = -1;

  map_seek (f->map, 3);
  ASSERT_ERR (mm_map_seek (f->map, 1, 3, &p, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_seek (f->map, 1, -1, &p, &err), MM_ERROR_INVALID);
  g_assert_cmpint (map_pos (f->map), ==, 3);
  /* before the range check */
  ASSERT_ERR (mm_map_seek (f->map, 100, 3, &p, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_seek (f->map, -100, 7, &p, &err), MM_ERROR_INVALID);
  g_assert_cmpint (map_pos (f->map), ==, 3);
}

/* ============================================================ len, size */

static void
test_size_is_the_whole_file (void)
{
  gsize fsize = 2 * page + 10;
  g_autoptr (Fixture) f = fixture_pattern (fsize);
  int64_t v = -1;

  f->map = map_new_ok (f->fd, 5, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  ASSERT_OK (mm_map_len (f->map, &v, &err));
  g_assert_cmpint (v, ==, 5);
  ASSERT_OK (mm_map_size (f->map, &v, &err));
  g_assert_cmpint (v, ==, (int64_t) fsize);
  /* fstat, not remembered */
  g_assert_cmpint (ftruncate (f->fd, 3 * page), ==, 0);
  ASSERT_OK (mm_map_size (f->map, &v, &err));
  g_assert_cmpint (v, ==, 3 * page);
}

static void
test_size_anonymous_is_os_ebadf (void)
{
  MmMap *map = map_anon (100, MAP_SHARED);
  int64_t v = -1;

  ASSERT_OS (mm_map_size (map, &v, &err), EBADF);
  g_assert_cmpint (map_len (map), ==, 100);
  mm_map_free (map);
  map = map_anon (100, MAP_PRIVATE);
  ASSERT_OS (mm_map_size (map, &v, &err), EBADF);
  mm_map_free (map);
}

static void
test_size_trackfd_false_is_os_ebadf (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  int64_t v = -1;

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  ASSERT_OS (mm_map_size (f->map, &v, &err), EBADF);
}

/* ============================================================ items */

static void
test_get_item_positive_and_negative (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  uint8_t v = 0;

  ASSERT_OK (mm_map_get_item (f->map, 0, &v, &err));
  g_assert_cmpuint (v, ==, '0');
  ASSERT_OK (mm_map_get_item (f->map, 9, &v, &err));
  g_assert_cmpuint (v, ==, '9');
  ASSERT_OK (mm_map_get_item (f->map, -1, &v, &err));
  g_assert_cmpuint (v, ==, '9');
  ASSERT_OK (mm_map_get_item (f->map, -10, &v, &err));
  g_assert_cmpuint (v, ==, '0');
  ASSERT_OK (mm_map_get_item (f->map, -4, &v, &err));
  g_assert_cmpuint (v, ==, '6');
  g_assert_cmpint (map_pos (f->map), ==, 0);
}

static void
test_get_item_outside_is_range (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  uint8_t v = 0;

  ASSERT_ERR (mm_map_get_item (f->map, 10, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (f->map, -11, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (f->map, INT64_MAX, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (f->map, INT64_MIN, &v, &err), MM_ERROR_RANGE);
}

static void
test_set_item_negative_indices (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  ASSERT_OK (mm_map_set_item (f->map, -1, 'z', &err));
  ASSERT_OK (mm_map_set_item (f->map, -10, 'a', &err));
  ASSERT_OK (mm_map_set_item (f->map, -5, 'm', &err));
  ASSERT_OK (mm_map_set_item (f->map, 1, 'b', &err));
  ASSERT_MAP (f->map, "ab234m678z", 10);
  ASSERT_FILE (f->fd, "ab234m678z", 10);
  g_assert_cmpint (map_pos (f->map), ==, 0);
}

static void
test_set_item_readonly_before_range (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_set_item (f->map, 0, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (f->map, 10, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (f->map, INT64_MIN, 'x', &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
}

static void
test_set_item_outside_is_range_map_unchanged (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_set_item (f->map, 10, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (f->map, -11, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (f->map, INT64_MAX, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (f->map, INT64_MIN, 'x', &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

/* ============================================================ fault safety */

static void
test_fault_shrunk_file_is_fault_map_stays_usable (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_WRITE);
  MmView *view = NULL;
  guint8 buf[64];
  int64_t n, at;
  uint8_t b;

  g_assert_cmpint (ftruncate (f->fd, page), ==, 0);
  map_seek (f->map, page + 10);
  ASSERT_ERR (mm_map_read (f->map, buf, 8, &n, &err), MM_ERROR_FAULT);
  g_assert_cmpint (map_pos (f->map), ==, page + 10);
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_write_byte (f->map, 'x', &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_get_item (f->map, page, &b, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_set_item (f->map, -1, 'x', &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_find (f->map, "\n\n", 2, 0, INT64_MAX, &at, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_move (f->map, page, 0, 8, &err), MM_ERROR_FAULT);
  ASSERT_OK (mm_map_export (f->map, &view, &err));
  ASSERT_ERR (mm_view_copy (view, page - 4, buf, 8, &err), MM_ERROR_FAULT);
  ASSERT_OK (mm_view_copy (view, page - 4, buf, 4, &err));
  g_assert_cmpmem (buf, 4, f->bytes + page - 4, 4);
  mm_view_release (view);
  /* the first page still works */
  g_assert_cmpuint (map_byte (f->map, 5), ==, f->bytes[5]);
  ASSERT_OK (mm_map_set_item (f->map, 5, '!', &err));
  f->bytes[5] = '!';
  ASSERT_FILE (f->fd, f->bytes, page);
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/read/returns-bytes-and-advances", test_read_returns_bytes_and_advances },
  { "/mm-map/read/negative-n-reads-the-rest", test_read_negative_n_reads_the_rest },
  { "/mm-map/read/too-large-n-reads-the-rest", test_read_too_large_n_reads_the_rest },
  { "/mm-map/read/at-end-gives-nothing", test_read_at_end_gives_nothing },
  { "/mm-map/read-byte/returns-byte-and-advances", test_read_byte_returns_byte_and_advances },
  { "/mm-map/read-byte/at-end-is-range-pos-kept", test_read_byte_at_end_is_range_pos_kept },
  { "/mm-map/readline/through-newline", test_readline_through_newline },
  { "/mm-map/readline/at-end-gives-nothing", test_readline_at_end_gives_nothing },
  { "/mm-map/readline/long-line-in-pieces", test_readline_long_line_in_pieces },
  { "/mm-map/readline/piece-boundary-at-newline", test_readline_piece_boundary_at_newline },
  { "/mm-map/write/returns-n-and-advances", test_write_returns_n_and_advances },
  { "/mm-map/write/up-to-the-end-is-fine", test_write_up_to_the_end_is_fine },
  { "/mm-map/write/write-access-reaches-the-file", test_write_reaches_the_file_with_write_access },
  { "/mm-map/write/copy-access-does-not-reach-the-file", test_write_does_not_reach_the_file_with_copy_access },
  { "/mm-map/write/read-map-is-readonly", test_write_readonly_map_is_readonly },
  { "/mm-map/write/readonly-checked-before-range", test_write_readonly_checked_before_range },
  { "/mm-map/write/past-end-is-range-nothing-written-pos-kept", test_write_past_end_is_range_nothing_written_pos_kept },
  { "/mm-map/write-byte/writes-and-advances", test_write_byte_writes_and_advances },
  { "/mm-map/write-byte/readonly-before-range", test_write_byte_readonly_before_range },
  { "/mm-map/write-byte/at-end-is-range-pos-kept", test_write_byte_at_end_is_range_pos_kept },
  { "/mm-map/seek/set-cur-end", test_seek_set_cur_end },
  { "/mm-map/seek/to-exact-length-is-allowed", test_seek_to_exact_length_is_allowed },
  { "/mm-map/seek/past-end-is-range-and-keeps-pos", test_seek_past_end_is_range_and_keeps_pos },
  { "/mm-map/seek/negative-is-range-and-keeps-pos", test_seek_negative_is_range_and_keeps_pos },
  { "/mm-map/seek/bad-whence-is-invalid-before-range", test_seek_bad_whence_is_invalid },
  { "/mm-map/size/is-the-whole-file", test_size_is_the_whole_file },
  { "/mm-map/size/anonymous-is-os-ebadf", test_size_anonymous_is_os_ebadf },
  { "/mm-map/size/trackfd-false-is-os-ebadf", test_size_trackfd_false_is_os_ebadf },
  { "/mm-map/get-item/positive-and-negative", test_get_item_positive_and_negative },
  { "/mm-map/get-item/outside-is-range", test_get_item_outside_is_range },
  { "/mm-map/set-item/negative-indices", test_set_item_negative_indices },
  { "/mm-map/set-item/readonly-before-range", test_set_item_readonly_before_range },
  { "/mm-map/set-item/outside-is-range-map-unchanged", test_set_item_outside_is_range_map_unchanged },
  { "/mm-map/fault/shrunk-file-is-fault-map-stays-usable", test_fault_shrunk_file_is_fault_map_stays_usable },
};

MM_TEST_MAIN (cases, page)
