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

#include <errno.h>
#include <glib.h>
#include <string.h>
#include <unistd.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */

/* ============================================================ read */

/* read (n) must give expect's bytes and leave the position at pos (pos < 0:
   not checked). */
#define READ_IS(map, n, expect, pos) \
  G_STMT_START { \
    char buf_[32] = ""; \
    int64_t count_ = -1; \
    ASSERT_OK (mm_map_read ((map), buf_, (n), &count_, &err)); \
    g_assert_cmpmem (buf_, count_, (expect), strlen (expect)); \
    if ((pos) >= 0) \
      g_assert_cmpint (map_pos (map), ==, (pos)); \
  } G_STMT_END

static void
test_read_returns_bytes_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  READ_IS (f->map, 3, "012", 3);
  READ_IS (f->map, 4, "3456", 7);
  READ_IS (f->map, 0, "", 7);
}

static void
test_read_negative_n_reads_the_rest (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 4);

  READ_IS (f->map, -1, "456789", 10);
  map_seek (f->map, 0);
  READ_IS (f->map, INT64_MIN, DIGITS, -1);
}

static void
test_read_too_large_n_reads_the_rest (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_READ, 7);

  READ_IS (f->map, 4, "789", 10);
  /* pos + n overflows */
  map_seek (f->map, 3);
  READ_IS (f->map, INT64_MAX, "3456789", 10);
}

static void
test_read_at_end_gives_nothing (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_READ, 10);

  READ_IS (f->map, 5, "", -1);
  READ_IS (f->map, -1, "", 10);
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
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_READ, 10);
  uint8_t b = 0;

  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

/* ============================================================ readline */

/* One readline into a buffer of dst_size bytes: it gives line, and leaves the
   position at pos (pos < 0: not checked). */
typedef struct {
  int64_t     dst_size;
  const char *line;
  int64_t     pos;
} ReadlineStep;

/* The steps in their order, on a READ map of text. */
static void
readlines_are (const char *text, const ReadlineStep *steps, gsize n_steps)
{
  g_autoptr (Fixture) f = fixture_text (text, MM_ACCESS_READ);

  for (gsize i = 0; i < n_steps; i++)
    {
      g_autofree char *buf = g_malloc (steps[i].dst_size);
      int64_t n = -1;

      g_autofree char *call = g_strdup_printf ("readline %" G_GSIZE_FORMAT " (dst_size %" G_GINT64_FORMAT ")",
                                               i, (gint64) steps[i].dst_size);
      MmStatus st;

      memset (&err, 0, sizeof err);
      st = mm_map_readline (f->map, buf, steps[i].dst_size, &n, &err);
      check_status (__FILE__, __LINE__, call, st, &err, MM_OK, 0);
      if (n != (int64_t) strlen (steps[i].line) || memcmp (buf, steps[i].line, n) != 0)
        fail_at (__FILE__, __LINE__, "%s gave \"%.*s\", expected \"%s\"", call, (int) n, buf, steps[i].line);
      if (steps[i].pos >= 0 && map_pos (f->map) != steps[i].pos)
        fail_at (__FILE__, __LINE__, "%s left the position at %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                 call, (gint64) map_pos (f->map), (gint64) steps[i].pos);
    }
}

static void
test_readline_through_newline (void)
{
  /* the last line has no newline: to the end */
  static const ReadlineStep steps[] = {
    { 64, "ab\n", 3 }, { 64, "cd\n", 6 }, { 64, "\n", 7 }, { 64, "ef", 9 },
  };

  readlines_are ("ab\ncd\n\nef", steps, G_N_ELEMENTS (steps));
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
  static const ReadlineStep steps[] = {
    { 4, "abcd", 4 }, { 4, "efgh", 8 }, { 4, "ij\n", 11 }, { 4, "xy", 13 }, { 4, "", 13 },
  };

  readlines_are ("abcdefghij\nxy", steps, G_N_ELEMENTS (steps));
}

/* A line of exactly dst_size bytes comes back whole; one byte more, the
   newline comes alone. */
static void
test_readline_piece_boundary_at_newline (void)
{
  static const ReadlineStep steps[] = {
    { 3, "ab\n", -1 }, { 2, "cd", 5 }, { 2, "\n", 6 }, { 2, "ef", -1 },
  };

  readlines_are ("ab\ncd\nef", steps, G_N_ELEMENTS (steps));
}

/* ============================================================ write */

/* write (src, n) must succeed, count n and leave the position at pos. */
#define WRITE_IS(map, src, n, pos) \
  G_STMT_START { \
    int64_t count_ = -1; \
    ASSERT_OK (mm_map_write ((map), (src), (n), &count_, &err)); \
    g_assert_cmpint (count_, ==, (n)); \
    g_assert_cmpint (map_pos (map), ==, (pos)); \
  } G_STMT_END

/* write (src, n) must fail with want. */
#define WRITE_REFUSED(map, src, n, want) \
  G_STMT_START { \
    int64_t count_ = -1; \
    ASSERT_ERR (mm_map_write ((map), (src), (n), &count_, &err), (want)); \
  } G_STMT_END

static void
test_write_returns_n_and_advances (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);

  WRITE_IS (f->map, "ab", 2, 2);
  WRITE_IS (f->map, "cde", 3, 5);
  WRITE_IS (f->map, "", 0, 5);
  ASSERT_MAP (f->map, "abcde56789", 10);
}

static void
test_write_up_to_the_end_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 7);
  int64_t n = -1;

  ASSERT_OK (mm_map_write (f->map, "xyz", 3, &n, &err));
  g_assert_cmpint (map_pos (f->map), ==, 10);
  WRITE_IS (f->map, "", 0, 10);
  ASSERT_FILE (f->fd, "0123456xyz", 10);
}

static void
test_write_reaches_the_file_with_write_access (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 3);
  int64_t n;

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
  g_autoptr (Fixture) f = fixture_snapshot (fixture_digits_at (MM_ACCESS_READ, 2));

  WRITE_REFUSED (f->map, "ab", 2, MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
}

static void
test_write_readonly_checked_before_range (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_READ, 9);

  WRITE_REFUSED (f->map, "abc", 3, MM_ERROR_READONLY);
  map_seek (f->map, 10);
  WRITE_REFUSED (f->map, "abc", 3, MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_write_past_end_is_range_nothing_written_pos_kept (void)
{
  g_autoptr (Fixture) f = fixture_snapshot (fixture_digits_at (MM_ACCESS_WRITE, 8));

  WRITE_REFUSED (f->map, "abc", 3, MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  /* pos + n overflows */
  WRITE_REFUSED (f->map, "abc", INT64_MAX, MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  map_seek (f->map, 10);
  fixture_snapshot (f);
  WRITE_REFUSED (f->map, "a", 1, MM_ERROR_RANGE);
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
  g_autoptr (Fixture) f = fixture_snapshot (fixture_digits_at (MM_ACCESS_READ, 4));

  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
  map_seek (f->map, 10);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

static void
test_write_byte_at_end_is_range_pos_kept (void)
{
  g_autoptr (Fixture) f = fixture_snapshot (fixture_digits_at (MM_ACCESS_WRITE, 10));

  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

/* ============================================================ seek, tell */

/* seek (offset, whence) must succeed and land on pos. */
#define SEEK_IS(map, offset, whence, pos) \
  G_STMT_START { \
    int64_t new_pos_ = -1; \
    ASSERT_OK (mm_map_seek ((map), (offset), (whence), &new_pos_, &err)); \
    g_assert_cmpint (new_pos_, ==, (pos)); \
  } G_STMT_END

static void
test_seek_set_cur_end (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  SEEK_IS (f->map, 4, SEEK_SET, 4);
  SEEK_IS (f->map, 3, SEEK_CUR, 7);
  SEEK_IS (f->map, -5, SEEK_CUR, 2);
  SEEK_IS (f->map, -3, SEEK_END, 7);
  g_assert_cmpint (map_pos (f->map), ==, 7);
  SEEK_IS (f->map, -10, SEEK_END, 0);
}

static void
test_seek_to_exact_length_is_allowed (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);

  SEEK_IS (f->map, 10, SEEK_SET, 10);
  SEEK_IS (f->map, 0, SEEK_END, 10);
  map_seek (f->map, 4);
  SEEK_IS (f->map, 6, SEEK_CUR, 10);
  g_assert_cmpint (map_pos (f->map), ==, 10);
}

/* A seek that must fail with want; pos_after: the position is checked (to
   be the 3 it started at) after this one. */
typedef struct {
  int64_t  offset;
  int      whence;
  MmStatus want;
  bool     pos_after;
} RefusedSeek;

/* The seeks in their order, on a READ map of "0123456789" at position 3. */
static void
seeks_refused (const RefusedSeek *seeks, gsize n_seeks)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_READ, 3);

  for (gsize i = 0; i < n_seeks; i++)
    {
      int64_t p = -1;

      g_autofree char *call = g_strdup_printf ("mm_map_seek (map, %" G_GINT64_FORMAT ", %d)",
                                               (gint64) seeks[i].offset, seeks[i].whence);
      MmStatus st;

      memset (&err, 0, sizeof err);
      st = mm_map_seek (f->map, seeks[i].offset, seeks[i].whence, &p, &err);
      check_status (__FILE__, __LINE__, call, st, &err, seeks[i].want, 0);
      if (seeks[i].pos_after && map_pos (f->map) != 3)
        fail_at (__FILE__, __LINE__, "%s moved the position to %" G_GINT64_FORMAT, call, (gint64) map_pos (f->map));
    }
}

static void
test_seek_past_end_is_range_and_keeps_pos (void)
{
  static const RefusedSeek seeks[] = {
    { 11, SEEK_SET, MM_ERROR_RANGE, true },
    { 8, SEEK_CUR, MM_ERROR_RANGE, true },
    { 1, SEEK_END, MM_ERROR_RANGE, true },
    /* no overflow */
    { INT64_MAX, SEEK_END, MM_ERROR_RANGE, false },
    { INT64_MAX, SEEK_CUR, MM_ERROR_RANGE, false },
    { INT64_MAX, SEEK_SET, MM_ERROR_RANGE, true },
  };

  seeks_refused (seeks, G_N_ELEMENTS (seeks));
}

static void
test_seek_bad_whence_is_invalid (void)
{
  static const RefusedSeek seeks[] = {
    { 1, 3, MM_ERROR_INVALID, false },
    { 1, -1, MM_ERROR_INVALID, true },
    /* before the range check */
    { 100, 3, MM_ERROR_INVALID, false },
    { -100, 7, MM_ERROR_INVALID, true },
  };

  seeks_refused (seeks, G_N_ELEMENTS (seeks));
}

static void
test_seek_negative_is_range_and_keeps_pos (void)
{
  static const RefusedSeek seeks[] = {
    { -1, SEEK_SET, MM_ERROR_RANGE, false },
    { -4, SEEK_CUR, MM_ERROR_RANGE, false },
    { -11, SEEK_END, MM_ERROR_RANGE, false },
    { INT64_MIN, SEEK_CUR, MM_ERROR_RANGE, false },
    { INT64_MIN, SEEK_END, MM_ERROR_RANGE, true },
  };

  seeks_refused (seeks, G_N_ELEMENTS (seeks));
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
  ASSERT_MAP_AND_FILE (f, "ab234m678z", 10);
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
