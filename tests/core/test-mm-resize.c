/* test-mm-resize.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: resize, and views: exports block resize and close.
 *
 * Each case runs in a subprocess of its own (mm-test-util.h: run_cases), so a
 * core that dies (SIGBUS, SIGSEGV, abort) fails that case only.
 * MM_TEST_NOFORK=1 runs the cases in this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <linux/fs.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static int64_t page;    /* mm_pagesize (), set in main */
static MmError err;     /* what the ASSERT_* macros check */


/* A resize to grow bytes with the address space limited to what is in use
   and 16 MiB more, so that the mapping cannot grow: must be OS ENOMEM. The
   limit is lifted after the call (should the check fail, it stays: a case
   that uses this runs in its own subprocess). */
static void
resize_without_address_space (MmMap *map, int64_t grow)
{
  struct rlimit old, lim;
  char *status = NULL;
  const char *vm;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  vm = strstr (status, "VmSize:");
  g_assert_nonnull (vm);
  g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
  lim = old;
  lim.rlim_cur = g_ascii_strtoll (vm + strlen ("VmSize:"), NULL, 10) * 1024 + (INT64_C (16) << 20);
  g_free (status);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);
  ASSERT_OS (mm_map_resize (map, grow, &err), ENOMEM);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &old), ==, 0);
}

/* ============================================================ resize */

static void
test_resize_grows_file_and_map (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  int64_t big = 3 * page + 5;
  g_autofree guint8 *expect = g_malloc0 (big);

  memcpy (expect, DIGITS, 10);
  map_seek (f->map, 4);
  ASSERT_OK (mm_map_resize (f->map, big, &err));
  g_assert_cmpint (map_len (f->map), ==, big);
  g_assert_cmpint (file_size (f->fd), ==, big);
  g_assert_cmpint (map_pos (f->map), ==, 4);
  ASSERT_MAP_AND_FILE (f, expect, big);
  /* the new part is mapped and shared */
  ASSERT_OK (mm_map_set_item (f->map, big - 1, 'E', &err));
  ASSERT_OK (mm_map_set_item (f->map, page, 'P', &err));
  expect[big - 1] = 'E';
  expect[page] = 'P';
  ASSERT_FILE (f->fd, expect, big);
}

static void
test_resize_shrinks_file_and_map (void)
{
  g_autoptr (Fixture) f = fixture_two_pages (MM_ACCESS_DEFAULT);

  ASSERT_OK (mm_map_resize (f->map, page / 2 + 3, &err));
  g_assert_cmpint (map_len (f->map), ==, page / 2 + 3);
  g_assert_cmpint (file_size (f->fd), ==, page / 2 + 3);
  ASSERT_MAP_AND_FILE (f, f->bytes, page / 2 + 3);
  ASSERT_OK (mm_map_set_item (f->map, -1, '!', &err));
  f->bytes[page / 2 + 2] = '!';
  ASSERT_FILE (f->fd, f->bytes, page / 2 + 3);
}

/* The file becomes offset + n bytes long. */
static void
test_resize_with_offset_sizes_file_to_offset_plus_n (void)
{
  g_autoptr (Fixture) f = fixture_pattern (2 * page + 10);
  g_autofree guint8 *expect = g_malloc0 (3 * page);
  int64_t v;

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  g_assert_cmpint (map_len (f->map), ==, page + 10);
  ASSERT_OK (mm_map_resize (f->map, 20, &err));
  g_assert_cmpint (map_len (f->map), ==, 20);
  g_assert_cmpint (file_size (f->fd), ==, page + 20);
  ASSERT_OK (mm_map_size (f->map, &v, &err));
  g_assert_cmpint (v, ==, page + 20);
  ASSERT_MAP (f->map, f->bytes + page, 20);
  ASSERT_FILE (f->fd, f->bytes, page + 20);

  ASSERT_OK (mm_map_resize (f->map, 2 * page, &err));
  g_assert_cmpint (file_size (f->fd), ==, 3 * page);
  memcpy (expect, f->bytes, page + 20);
  ASSERT_FILE (f->fd, expect, 3 * page);
  ASSERT_MAP (f->map, expect + page, 2 * page);
}

static void
test_resize_pos_beyond_new_end_is_kept (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 8);
  char buf[32];
  int64_t n = -1;
  uint8_t b;

  ASSERT_OK (mm_map_resize (f->map, 5, &err));
  g_assert_cmpint (map_len (f->map), ==, 5);
  g_assert_cmpint (map_pos (f->map), ==, 8);
  ASSERT_OK (mm_map_read (f->map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_read (f->map, buf, 3, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_readline (f->map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_write_byte (f->map, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_write (f->map, "x", 1, &n, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 8);
  /* pos + 0 > len too */
  ASSERT_ERR (mm_map_write (f->map, "", 0, &n, &err), MM_ERROR_RANGE);
  /* a relative seek starts from the kept pos */
  ASSERT_ERR (mm_map_seek (f->map, 0, SEEK_CUR, &n, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (f->map, -2, SEEK_CUR, &n, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (f->map), ==, 8);
  ASSERT_OK (mm_map_seek (f->map, -3, SEEK_CUR, &n, &err));
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpint (map_pos (f->map), ==, 5);
  ASSERT_FILE (f->fd, "01234", 5);
  /* growing again makes a kept pos valid again */
  ASSERT_OK (mm_map_resize (f->map, 12, &err));
  map_seek (f->map, 11);
  ASSERT_OK (mm_map_resize (f->map, 8, &err));
  g_assert_cmpint (map_pos (f->map), ==, 11);
  ASSERT_OK (mm_map_resize (f->map, 12, &err));
  g_assert_cmpint (map_pos (f->map), ==, 11);
  ASSERT_OK (mm_map_write_byte (f->map, 'y', &err));
  g_assert_cmpint (map_pos (f->map), ==, 12);
  map_seek (f->map, 8);
  ASSERT_OK (mm_map_write_byte (f->map, 'x', &err));
  ASSERT_FILE (f->fd, "01234\0\0\0x\0\0y", 12);
}

static void
test_resize_exported_refused_file_untouched (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 3);
  MmView *view = NULL;

  ASSERT_OK (mm_map_export (f->map, &view, &err));
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_EXPORTED);
  ASSERT_ERR (mm_map_resize (f->map, 5, &err), MM_ERROR_EXPORTED);
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_EXPORTED);
  ASSERT_UNCHANGED (f->before);
  g_assert_cmpmem (mm_view_data (view), 10, DIGITS, 10);
  mm_view_release (view);
  ASSERT_OK (mm_map_resize (f->map, 20, &err));
  g_assert_cmpint (file_size (f->fd), ==, 20);
}

/* EXPORTED, then trackfd false, then READ/COPY/NONE, then the size. */
static void
test_resize_check_order (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  MmMap *anon;
  MmView *view = NULL;

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 0, false);
  ASSERT_OK (mm_map_export (f->map, &view, &err));
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_EXPORTED);
  mm_view_release (view);
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_UNSUPPORTED);
  fixture_free_map (f);

  fixture_map (f, MM_ACCESS_COPY);
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (f->map, -1, &err), MM_ERROR_READONLY);
  fixture_free_map (f);

  /* the size before the anonymous grow */
  anon = map_anon (100, MAP_SHARED);
  ASSERT_ERR (mm_map_resize (anon, 0, &err), MM_ERROR_RANGE);
  mm_map_free (anon);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_resize_trackfd_false_unsupported (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_ERR (mm_map_resize (f->map, 5, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_UNCHANGED (f->before);
}

static void
test_resize_read_copy_none_are_readonly (void)
{
  const MmAccess accs[] = { MM_ACCESS_READ, MM_ACCESS_COPY, MM_ACCESS_NONE };
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (accs); i++)
    {
      fixture_map (f, accs[i]);
      fixture_snapshot (f);
      ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_READONLY);
      ASSERT_ERR (mm_map_resize (f->map, 5, &err), MM_ERROR_READONLY);
      ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_READONLY);
      ASSERT_UNCHANGED (f->before);
      fixture_free_map (f);
    }
}

static void
test_resize_zero_is_range_before_touching_file (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 6);

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  ASSERT_ERR (mm_map_resize (f->map, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_resize (f->map, INT64_MIN, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
  fixture_free_map (f);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_resize_offset_overflow_is_range (void)
{
  g_autoptr (Fixture) f = fixture_pattern (2 * page);

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_resize (f->map, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_resize (f->map, INT64_MAX - page + 1, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (f->before);
}

static void
test_resize_shared_anonymous_grow_unsupported (void)
{
  g_autoptr (Fixture) f = fixture_anon (100, MAP_SHARED);

  ASSERT_OK (mm_map_set_item (f->map, 0, 'A', &err));
  map_seek (f->map, 50);
  fixture_snapshot (f);
  ASSERT_ERR (mm_map_resize (f->map, 101, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_ERR (mm_map_resize (f->map, 4 * page, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_UNCHANGED (f->before);
}

static void
test_resize_shared_anonymous_shrink_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_anon (2 * page, MAP_SHARED);

  ASSERT_OK (mm_map_set_item (f->map, 0, 'A', &err));
  ASSERT_OK (mm_map_set_item (f->map, 9, 'B', &err));
  ASSERT_OK (mm_map_resize (f->map, 10, &err));
  ASSERT_MAP (f->map, "A\0\0\0\0\0\0\0\0B", 10);
}

static void
test_resize_private_anonymous_grows (void)
{
  g_autoptr (Fixture) f = fixture_anon (100, MAP_PRIVATE);

  ASSERT_OK (mm_map_set_item (f->map, 0, 'A', &err));
  ASSERT_OK (mm_map_set_item (f->map, 99, 'Z', &err));
  ASSERT_OK (mm_map_resize (f->map, 3 * page, &err));
  g_assert_cmpint (map_len (f->map), ==, 3 * page);
  g_assert_cmpuint (map_byte (f->map, 0), ==, 'A');
  g_assert_cmpuint (map_byte (f->map, 99), ==, 'Z');
  g_assert_cmpuint (map_byte (f->map, 3 * page - 1), ==, 0);
  ASSERT_OK (mm_map_set_item (f->map, -1, 'E', &err));
}

/* The file becomes offset + n bytes even when it was longer: as CPython,
   ftruncate (fd, offset + n). */
static void
test_resize_file_becomes_offset_plus_n_even_when_longer (void)
{
  gsize size = 4 * page;
  g_autoptr (Fixture) f = fixture_pattern (size);

  /* even without a change of length: 4 pages -> offset + n = 2 pages */
  f->map = map_new_ok (f->fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_OK (mm_map_resize (f->map, page, &err));
  g_assert_cmpint (map_len (f->map), ==, page);
  ASSERT_FILE (f->fd, f->bytes, 2 * page);
  ASSERT_MAP (f->map, f->bytes + page, page);
  fixture_free_map (f);

  /* a longer map that still makes the file shorter: 4 pages -> 2 pages + 100 */
  g_assert_cmpint (pwrite (f->fd, f->bytes, size, 0), ==, (gssize) size);
  f->map = map_new_ok (f->fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_OK (mm_map_resize (f->map, page + 100, &err));
  g_assert_cmpint (map_len (f->map), ==, page + 100);
  ASSERT_FILE (f->fd, f->bytes, 2 * page + 100);
  ASSERT_MAP (f->map, f->bytes + page, page + 100);
  /* the same size again: nothing changes */
  ASSERT_OK (mm_map_resize (f->map, page + 100, &err));
  ASSERT_FILE (f->fd, f->bytes, 2 * page + 100);
  ASSERT_MAP (f->map, f->bytes + page, page + 100);
}

/* Growing reserves the blocks (posix_fallocate): the new part is not a hole. */
static void
test_resize_grow_reserves_the_blocks (void)
{
  g_autoptr (Fixture) probe = fixture_file (NULL, 0);
  g_autoptr (Fixture) f = NULL;
  struct stat st;
  int64_t big = 256 * page;

  if (posix_fallocate (probe->fd, 0, page) != 0)
    {
      g_test_skip ("the temp file system cannot reserve blocks");
      return;
    }
  g_clear_pointer (&probe, fixture_free);
  f = fixture_digits (MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_resize (f->map, big, &err));
  g_assert_cmpint (fstat (f->fd, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, big);
  g_assert_cmpint ((int64_t) st.st_blocks * 512, >=, big);
}

/* A file size limit makes the system refuse the growth: OS, and the file and
   the map are as they were. (Runs in its own subprocess: the limit stays there.) */
static void
test_resize_os_failure_leaves_file_and_map (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  struct rlimit lim = { 4 * page, 4 * page };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
  map_seek (f->map, 7);
  fixture_snapshot (f);
  ASSERT_OS (mm_map_resize (f->map, 8 * page, &err), EFBIG);
  ASSERT_UNCHANGED (f->before);
  /* within the limit it works */
  ASSERT_OK (mm_map_resize (f->map, 2 * page, &err));
  g_assert_cmpint (file_size (f->fd), ==, 2 * page);
}

/* The file was grown, then the remap fails (no address space left): the file
   gets its old size back, the map is as it was. (Own subprocess: the limit
   stays there.) */
static void
test_resize_remap_failure_restores_the_file (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_WRITE, 3);

  fixture_snapshot (f);
  resize_without_address_space (f->map, INT64_C (256) << 20);
  ASSERT_UNCHANGED (f->before);
}

/* madvise on part of a map splits it into several VMAs, which mremap(2)
   cannot grow (EFAULT): the resize takes the unmap-and-map-again path and
   succeeds, for a shared map and for a private one (whose own bytes come
   along), also when growing the map cuts a longer file. */
static void
test_resize_grow_after_madvise_split_succeeds (void)
{
  static const struct { int flags; int64_t file_pages; } cases[] = {
    { MAP_SHARED, 4 }, { MAP_PRIVATE, 4 }, { MAP_SHARED, 8 }, { MAP_PRIVATE, 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize size = cases[i].file_pages * page;
      int64_t len = 4 * page, grown = 6 * page;
      g_autoptr (Fixture) f = fixture_pattern (size);
      g_autofree guint8 *expect = g_malloc0 (grown);
      g_autoptr (GArray) vmas = NULL;

      f->map = map_new_ok (f->fd, len, cases[i].flags, RW, MM_ACCESS_DEFAULT, 0, true);
      memcpy (expect, f->bytes, MIN ((gsize) grown, size));
      ASSERT_OK (mm_map_set_item (f->map, 1, '#', &err));
      ASSERT_OK (mm_map_set_item (f->map, len - 1, '$', &err));
      expect[1] = '#';
      expect[len - 1] = '$';
      ASSERT_OK (mm_map_madvise (f->map, MADV_RANDOM, page, page, &err));
      vmas = file_mappings (f->fd);
      if (vmas->len < 2)
        {
          g_printerr ("# SKIP: madvise (MADV_RANDOM) on part of the map did not split it\n");
          g_test_skip ("madvise on part of the map did not split it");
          return;
        }
      map_seek (f->map, 5);
      ASSERT_OK (mm_map_resize (f->map, grown, &err));
      g_assert_cmpint (map_len (f->map), ==, grown);
      g_assert_cmpint (map_pos (f->map), ==, 5);
      g_assert_cmpint (file_size (f->fd), ==, grown);
      ASSERT_MAP (f->map, expect, grown);
      if (cases[i].flags == MAP_SHARED)
        ASSERT_FILE (f->fd, expect, grown);
      else
        {
          memcpy (expect, f->bytes, MIN ((gsize) grown, size));
          if ((gsize) grown > size)
            memset (expect + size, 0, grown - size);
          ASSERT_FILE (f->fd, expect, grown);
        }
    }
}

/* ftruncate fails after the map was shrunk: the map gets its old length and
   bytes back (a private map's own bytes too) and the file keeps every byte.
   Without root this covers a private map over a read-only descriptor (the
   file cannot be truncated through it); as root, also a shared map of an
   immutable file (chattr +i, FS_IOC_SETFLAGS), skipped where the file system
   has no such flag. */
static void
test_resize_failed_shrink_keeps_file_bytes (void)
{
  gsize size = 4 * page;
  int flags = 0, imm;
  g_autofree guint8 *pat = pattern_new (size);
  g_autoptr (Fixture) ro = fixture_file_ro (pat, size);
  g_autoptr (Fixture) f = NULL;

  /* private bytes in the part the shrink drops, and in the page it keeps */
  ro->map = map_new_ok (ro->fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  ASSERT_OK (mm_map_set_item (ro->map, page + 7, '#', &err));
  ASSERT_OK (mm_map_set_item (ro->map, 3 * page + 1, '$', &err));
  ASSERT_OK (mm_map_set_item (ro->map, page / 2, '%', &err));
  map_seek (ro->map, 3 * page);
  fixture_snapshot (ro);
  ASSERT_ERR (mm_map_resize (ro->map, page / 4, &err), MM_ERROR_OS);
  ASSERT_UNCHANGED (ro->before);
  ASSERT_ERR (mm_map_resize (ro->map, 2 * page + 3, &err), MM_ERROR_OS);
  ASSERT_UNCHANGED (ro->before);
  g_clear_pointer (&ro, fixture_free);

  /* a shared map of a file that ftruncate refuses (EPERM) */
  f = fixture_file (pat, size);
  fixture_map (f, MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_set_item (f->map, 2 * page, '&', &err));
  map_seek (f->map, 2 * page + 1);
  fixture_snapshot (f);
  if (geteuid () != 0)
    g_printerr ("# SKIP (shared map part): making a file immutable needs root\n");
  else if (ioctl (f->fd, FS_IOC_GETFLAGS, &flags) != 0
           || (imm = flags | FS_IMMUTABLE_FL, ioctl (f->fd, FS_IOC_SETFLAGS, &imm)) != 0)
    g_printerr ("# SKIP (shared map part): the temp file system has no immutable flag: %s\n",
                g_strerror (errno));
  else
    {
      MmStatus st1, st2;
      MmError e1, e2;

      st1 = mm_map_resize (f->map, page + 9, &e1);
      st2 = mm_map_resize (f->map, 1, &e2);
      g_assert_cmpint (ioctl (f->fd, FS_IOC_SETFLAGS, &flags), ==, 0);
      check_status (__FILE__, __LINE__, "mm_map_resize (map, page + 9)", st1, &e1, MM_ERROR_OS, EPERM);
      check_status (__FILE__, __LINE__, "mm_map_resize (map, 1)", st2, &e2, MM_ERROR_OS, EPERM);
      ASSERT_UNCHANGED (f->before);
      /* and the map still works */
      ASSERT_OK (mm_map_set_item (f->map, -1, '!', &err));
      f->before.file[size - 1] = '!';
      ASSERT_FILE (f->fd, f->before.file, size);
    }
}

/* A resize that grows the map but cuts a longer file, and the mapping cannot
   grow (no address space left): the file keeps every byte past the new end,
   the map is as it was. (Own subprocess: the limit stays there.) */
static void
test_resize_remap_failure_keeps_the_bytes_a_cut_would_drop (void)
{
  int64_t grow = INT64_C (256) << 20, size = grow + 2 * page;
  g_autofree guint8 *tail = pattern_new (2 * page);
  g_autofree guint8 *got = g_malloc (2 * page);
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  Snapshot s;

  g_assert_cmpint (pwrite (f->fd, tail, 2 * page, grow), ==, 2 * page);
  f->map = map_new_ok (f->fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, true);
  map_seek (f->map, 3);
  snapshot_take (&s, f->map, -1);     /* the map only: the file is 256 MiB */
  resize_without_address_space (f->map, grow);
  ASSERT_UNCHANGED (s);
  g_assert_cmpint (file_size (f->fd), ==, size);
  g_assert_cmpint (pread (f->fd, got, 2 * page, grow), ==, 2 * page);
  g_assert_cmpmem (got, 2 * page, tail, 2 * page);
  snapshot_clear (&s);
}

/* ============================================================ views */

static void
test_view_readonly_only_for_read_access (void)
{
  static const struct { MmAccess acc; int flags, prot; bool readonly; } cases[] = {
    { MM_ACCESS_READ,    MAP_SHARED,  RW,         true },
    { MM_ACCESS_DEFAULT, MAP_SHARED,  PROT_READ,  true },    /* resolves to READ */
    { MM_ACCESS_WRITE,   MAP_SHARED,  RW,         false },
    { MM_ACCESS_COPY,    MAP_SHARED,  RW,         false },
    { MM_ACCESS_DEFAULT, MAP_SHARED,  RW,         false },
    { MM_ACCESS_DEFAULT, MAP_PRIVATE, RW,         false },
    { MM_ACCESS_DEFAULT, MAP_SHARED,  PROT_WRITE, false },   /* resolves to WRITE */
  };
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MmMap *map = map_new_ok (f->fd, 0, cases[i].flags, cases[i].prot, cases[i].acc, 0, true);
      MmView *view = NULL;

      ASSERT_OK (mm_map_export (map, &view, &err));
      g_assert_nonnull (view);
      if (mm_view_readonly (view) != cases[i].readonly)
        fail_at (__FILE__, __LINE__, "case %u (access %d, prot %d): view readonly is %d",
                 i, cases[i].acc, cases[i].prot, !cases[i].readonly);
      mm_view_release (view);
      mm_map_free (map);
    }
}

static void
test_view_data_and_len_match_the_map (void)
{
  g_autoptr (Fixture) f = fixture_pattern (2 * page + 10);
  MmView *view = NULL;
  guint8 buf[16];

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  ASSERT_OK (mm_map_export (f->map, &view, &err));
  g_assert_cmpint (mm_view_len (view), ==, page + 10);
  g_assert_cmpmem (mm_view_data (view), page + 10, f->bytes + page, page + 10);
  ASSERT_OK (mm_view_copy (view, 3, buf, 16, &err));
  g_assert_cmpmem (buf, 16, f->bytes + page + 3, 16);
  ASSERT_OK (mm_view_copy (view, page - 4, buf, 14, &err));
  g_assert_cmpmem (buf, 14, f->bytes + 2 * page - 4, 14);
  mm_view_release (view);
}

static void
test_view_exports_are_counted (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  MmView *a = NULL, *b = NULL;

  g_assert_cmpuint (mm_map_exports (f->map), ==, 0);
  ASSERT_OK (mm_map_export (f->map, &a, &err));
  g_assert_cmpuint (mm_map_exports (f->map), ==, 1);
  ASSERT_OK (mm_map_export (f->map, &b, &err));
  g_assert_cmpuint (mm_map_exports (f->map), ==, 2);
  mm_view_release (a);
  g_assert_cmpuint (mm_map_exports (f->map), ==, 1);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_EXPORTED);
  mm_view_release (b);
  g_assert_cmpuint (mm_map_exports (f->map), ==, 0);
  ASSERT_OK (mm_map_resize (f->map, 20, &err));
}

/* A write through a view of a map with access acc puts byte at 0 in the map;
   the file then holds file_after. */
static void
view_write (MmAccess acc, uint8_t byte, const char *file_after)
{
  g_autoptr (Fixture) f = fixture_digits (acc);
  MmView *view = NULL;

  ASSERT_OK (mm_map_export (f->map, &view, &err));
  mm_view_data (view)[0] = byte;
  g_assert_cmpuint (map_byte (f->map, 0), ==, byte);
  ASSERT_FILE (f->fd, file_after, 10);
  mm_view_release (view);
}

static void
test_view_writes_follow_the_access (void)
{
  view_write (MM_ACCESS_WRITE, 'W', "W123456789");
  view_write (MM_ACCESS_COPY, 'C', DIGITS);
}

static void
test_close_refused_while_exported_map_stays_open (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  MmView *v1 = NULL, *v2 = NULL;

  ASSERT_OK (mm_map_export (f->map, &v1, &err));
  ASSERT_OK (mm_map_export (f->map, &v2, &err));
  ASSERT_ERR (mm_map_close (f->map, &err), MM_ERROR_EXPORTED);
  g_assert_false (mm_map_closed (f->map));
  ASSERT_MAP (f->map, DIGITS, 10);
  g_assert_cmpmem (mm_view_data (v1), 10, DIGITS, 10);
  mm_view_release (v1);
  ASSERT_ERR (mm_map_close (f->map, &err), MM_ERROR_EXPORTED);
  g_assert_false (mm_map_closed (f->map));
  ASSERT_OK (mm_map_set_item (f->map, 0, 'x', &err));
  ASSERT_FILE (f->fd, "x123456789", 10);
  mm_view_release (v2);
  ASSERT_OK (mm_map_close (f->map, &err));
  g_assert_true (mm_map_closed (f->map));
}

static void
test_free_with_views_defers_unmap (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  int before = count_open_fds ();
  MmView *a = NULL, *b = NULL;
  char buf[10];

  fixture_map (f, MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_export (f->map, &a, &err));
  ASSERT_OK (mm_map_export (f->map, &b, &err));
  fixture_free_map (f);

  g_assert_cmpint (mm_view_len (a), ==, 10);
  g_assert_cmpmem (mm_view_data (a), 10, DIGITS, 10);
  mm_view_release (a);
  /* still mapped, and still the file's pages */
  g_assert_cmpmem (mm_view_data (b), 10, DIGITS, 10);
  mm_view_data (b)[9] = 'z';
  ASSERT_FILE (f->fd, "012345678z", 10);
  ASSERT_OK (mm_view_copy (b, 5, buf, 5, &err));
  g_assert_cmpmem (buf, 5, "5678z", 5);
  mm_view_release (b);
  /* the last release closed the map: its fd is gone */
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (f->fd));
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/resize/grows-file-and-map", test_resize_grows_file_and_map },
  { "/mm-map/resize/shrinks-file-and-map", test_resize_shrinks_file_and_map },
  { "/mm-map/resize/with-offset-sizes-file-to-offset-plus-n", test_resize_with_offset_sizes_file_to_offset_plus_n },
  { "/mm-map/resize/pos-beyond-new-end-is-kept", test_resize_pos_beyond_new_end_is_kept },
  { "/mm-map/resize/exported-refused-file-untouched", test_resize_exported_refused_file_untouched },
  { "/mm-map/resize/exported-then-trackfd-then-readonly-then-size", test_resize_check_order },
  { "/mm-map/resize/trackfd-false-unsupported", test_resize_trackfd_false_unsupported },
  { "/mm-map/resize/read-copy-none-are-readonly", test_resize_read_copy_none_are_readonly },
  { "/mm-map/resize/zero-is-range-before-touching-file", test_resize_zero_is_range_before_touching_file },
  { "/mm-map/resize/offset-overflow-is-range", test_resize_offset_overflow_is_range },
  { "/mm-map/resize/shared-anonymous-grow-unsupported", test_resize_shared_anonymous_grow_unsupported },
  { "/mm-map/resize/shared-anonymous-shrink-is-fine", test_resize_shared_anonymous_shrink_is_fine },
  { "/mm-map/resize/private-anonymous-grows", test_resize_private_anonymous_grows },
  { "/mm-map/resize/file-becomes-offset-plus-n-even-when-longer", test_resize_file_becomes_offset_plus_n_even_when_longer },
  { "/mm-map/resize/grow-reserves-the-blocks", test_resize_grow_reserves_the_blocks },
  { "/mm-map/resize/os-failure-leaves-file-and-map", test_resize_os_failure_leaves_file_and_map },
  { "/mm-map/resize/remap-failure-restores-the-file", test_resize_remap_failure_restores_the_file },
  { "/mm-map/resize/grow-after-madvise-split-succeeds", test_resize_grow_after_madvise_split_succeeds },
  { "/mm-map/resize/failed-shrink-keeps-file-bytes", test_resize_failed_shrink_keeps_file_bytes },
  { "/mm-map/resize/remap-failure-keeps-the-bytes-a-cut-would-drop", test_resize_remap_failure_keeps_the_bytes_a_cut_would_drop },
  { "/mm-map/view/readonly-only-for-read-access", test_view_readonly_only_for_read_access },
  { "/mm-map/view/data-and-len-match-the-map", test_view_data_and_len_match_the_map },
  { "/mm-map/view/exports-are-counted", test_view_exports_are_counted },
  { "/mm-map/view/writes-follow-the-access", test_view_writes_follow_the_access },
  { "/mm-map/close/refused-while-exported-map-stays-open", test_close_refused_while_exported_map_stays_open },
  { "/mm-map/free/with-views-defers-unmap", test_free_with_views_defers_unmap },
};

MM_TEST_MAIN (cases, page)
