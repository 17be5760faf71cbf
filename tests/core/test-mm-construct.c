/* test-mm-construct.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: construction (checks 1..5 in their order, access
 * modes, offset, length 0, anonymous maps, trackfd), close and free, NONE
 * maps, errors.
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

/* The permissions the kernel shows for the mapping of fd's file at the given
   file offset, e.g. "rw-s" ("" when there is none). */
static char *
mapping_perms (int fd, int64_t offset)
{
  g_autoptr (GArray) maps = file_mappings (fd);
  const char *perms = "";

  for (guint i = 0; i < maps->len; i++)
    if (g_array_index (maps, Mapping, i).offset == offset)
      perms = g_array_index (maps, Mapping, i).perms;
  return g_strdup (perms);
}

/* ============================================================ construction */

/* new_map with flags and prot not given (MAP_SHARED, PROT_READ | PROT_WRITE),
   as most calls leave them: for a call that must fail. */
static MmStatus
new_access (int fd, int64_t length, MmAccess acc, int64_t offset, MmError *error)
{
  return new_map (fd, length, MAP_SHARED, RW, acc, offset, error);
}

/* Check 1. */
static void
test_new_negative_length_is_range (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_access (f->fd, -1, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (f->fd, INT64_MIN, MM_ACCESS_WRITE, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (-1, -1, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_RANGE);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_new_negative_offset_is_range (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_DEFAULT, -page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (f->fd, 10, MM_ACCESS_READ, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (f->fd, 10, MM_ACCESS_READ, INT64_MIN, &err), MM_ERROR_RANGE);
}

/* Check 1 before check 2. */
static void
test_new_negative_length_checked_before_access_conflict (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_map (f->fd, -1, MAP_PRIVATE, RW, MM_ACCESS_READ, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (f->fd, -1, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (f->fd, 10, MAP_PRIVATE, PROT_READ, MM_ACCESS_COPY, -page, &err), MM_ERROR_RANGE);
}

/* Check 1 before checks 4 and 5. */
static void
test_new_negative_length_checked_before_file (void)
{
  g_autoptr (Fixture) empty = fixture_file ("", 0);
  g_autoptr (Fixture) ro = fixture_file_ro (DIGITS, 10);
  g_autoptr (Fixture) p = fixture_pipe ();

  ASSERT_ERR (new_access (empty->fd, -1, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (ro->fd, -1, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (p->fd, -1, MM_ACCESS_READ, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (ro->fd, 10, MM_ACCESS_DEFAULT, -1, &err), MM_ERROR_RANGE);
}

/* Check 2. */
static void
test_new_access_with_flags_is_invalid (void)
{
  const MmAccess private_accs[] = {
    MM_ACCESS_READ,
    MM_ACCESS_WRITE,
    MM_ACCESS_COPY,     /* even when the flags agree with what the access would give */
  };
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (private_accs); i++)
    ASSERT_ERR (new_map (f->fd, 0, MAP_PRIVATE, RW, private_accs[i], 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (f->fd, 0, MAP_SHARED | MAP_POPULATE, RW, MM_ACCESS_WRITE, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (-1, 10, MAP_PRIVATE, RW, MM_ACCESS_NONE, 0, &err), MM_ERROR_INVALID);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_new_access_with_prot_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_map (f->fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &err), MM_ERROR_INVALID);
  /* even when the prot agrees with what the access would give */
  ASSERT_ERR (new_map (f->fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_READ, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (f->fd, 0, MAP_SHARED, PROT_NONE, MM_ACCESS_NONE, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (f->fd, 0, MAP_SHARED, RW | PROT_EXEC, MM_ACCESS_COPY, 0, &err), MM_ERROR_INVALID);
}

/* Check 2 before checks 4 and 5: the file would fail too, differently. */
static void
test_new_access_conflict_checked_before_file (void)
{
  g_autoptr (Fixture) ro = fixture_file_ro (DIGITS, 10);
  g_autoptr (Fixture) p = fixture_pipe ();

  ASSERT_ERR (new_map (ro->fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (p->fd, 10, MAP_PRIVATE, RW, MM_ACCESS_READ, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (ro->fd, 0, MAP_PRIVATE, RW, MM_ACCESS_READ, 1, &err), MM_ERROR_INVALID);
}

/* Check 3: an access value outside the enum, after checks 1 and 2. */
static void
test_new_unknown_access_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_access (f->fd, 0, (MmAccess) 5, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 0, (MmAccess) 99, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (-1, 10, (MmAccess) 5, 0, &err), MM_ERROR_INVALID);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_new_unknown_access_checked_after_range (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  ASSERT_ERR (new_access (f->fd, -1, (MmAccess) 5, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_access (f->fd, 0, (MmAccess) 99, -1, &err), MM_ERROR_RANGE);
}

/* Check 3 before check 5. */
static void
test_new_unknown_access_checked_before_mmap (void)
{
  g_autoptr (Fixture) ro = fixture_file_ro (DIGITS, 10);
  g_autoptr (Fixture) big = fixture_file (NULL, 0);
  g_autoptr (Fixture) p = fixture_pipe ();

  g_assert_cmpint (ftruncate (big->fd, 2 * page), ==, 0);
  ASSERT_ERR (new_access (p->fd, 10, (MmAccess) 5, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (ro->fd, 0, (MmAccess) 5, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (big->fd, 10, (MmAccess) 5, 1, &err), MM_ERROR_INVALID);
}

/* Check 3: an explicit access is reported as given. */
static void
test_new_explicit_access_is_reported (void)
{
  const MmAccess all[] = { MM_ACCESS_READ, MM_ACCESS_WRITE, MM_ACCESS_COPY, MM_ACCESS_NONE };
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      MmMap *map = map_file (f->fd, 0, all[i]);
      g_assert_cmpint (mm_map_access (map), ==, all[i]);
      g_assert_cmpint (map_len (map), ==, 10);
      mm_map_free (map);
    }
}

/* Check 3: what each access asks of mmap(2), as the kernel shows it. */
static void
test_new_access_resolves_to_flags_and_prot (void)
{
  static const struct { MmAccess acc; int flags, prot; const char *perms; } cases[] = {
    { MM_ACCESS_READ,    MAP_SHARED,  RW,         "r--s" },
    { MM_ACCESS_WRITE,   MAP_SHARED,  RW,         "rw-s" },
    { MM_ACCESS_COPY,    MAP_SHARED,  RW,         "rw-p" },
    { MM_ACCESS_NONE,    MAP_SHARED,  RW,         "---s" },
    { MM_ACCESS_DEFAULT, MAP_SHARED,  RW,         "rw-s" },
    { MM_ACCESS_DEFAULT, MAP_PRIVATE, RW,         "rw-p" },
    { MM_ACCESS_DEFAULT, MAP_SHARED,  PROT_READ,  "r--s" },
    { MM_ACCESS_DEFAULT, MAP_PRIVATE, PROT_READ,  "r--p" },
  };
  g_autoptr (Fixture) f = fixture_pattern (2 * page);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MmMap *map = map_new_ok (f->fd, 0, cases[i].flags, cases[i].prot, cases[i].acc, page, true);
      char *perms = mapping_perms (f->fd, page);

      if (strcmp (perms, cases[i].perms) != 0)
        fail_at (__FILE__, __LINE__, "case %u (access %d, flags 0x%x, prot 0x%x): mapped \"%s\", expected \"%s\"",
                 i, cases[i].acc, cases[i].flags, cases[i].prot, perms, cases[i].perms);
      g_free (perms);
      mm_map_free (map);
      perms = mapping_perms (f->fd, page);
      g_assert_cmpstr (perms, ==, "");    /* unmapped */
      g_free (perms);
    }
}

/* Check 3: DEFAULT with PROT_READ alone is READ, and behaves as READ. */
static void
test_new_default_prot_read_is_read (void)
{
  g_autoptr (Fixture) f = fixture_file_ro (DIGITS, 10);
  MmView *view = NULL;
  int64_t n;

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_READ);
  ASSERT_MAP (f->map, DIGITS, 10);
  ASSERT_ERR (mm_map_write (f->map, "x", 1, &n, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (f->map, 0, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_READONLY);
  ASSERT_OK (mm_map_export (f->map, &view, &err));
  g_assert_true (mm_view_readonly (view));
  mm_view_release (view);
  fixture_free_map (f);

  /* MAP_PRIVATE does not change that */
  f->map = map_new_ok (f->fd, 0, MAP_PRIVATE, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_READ);
  ASSERT_ERR (mm_map_write_byte (f->map, 'x', &err), MM_ERROR_READONLY);
}

/* Check 3: DEFAULT with PROT_WRITE and no PROT_READ is WRITE: write-through. */
static void
test_new_default_prot_write_only_is_write (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  int64_t n;

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, PROT_WRITE, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_write (f->map, "ab", 2, &n, &err));
  g_assert_cmpint (n, ==, 2);
  ASSERT_FILE (f->fd, "ab23456789", 10);
}

/* Check 3: READ|WRITE with MAP_PRIVATE stays DEFAULT: writable, private, resizable. */
static void
test_new_default_private_read_write_stays_default_and_resizable (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  MmView *view = NULL;

  f->map = map_new_ok (f->fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_DEFAULT);
  ASSERT_OK (mm_map_set_item (f->map, 0, 'x', &err));
  g_assert_cmpuint (map_byte (f->map, 0), ==, 'x');
  ASSERT_FILE (f->fd, DIGITS, 10);       /* private */
  ASSERT_OK (mm_map_export (f->map, &view, &err));
  g_assert_false (mm_view_readonly (view));
  mm_view_release (view);

  ASSERT_OK (mm_map_resize (f->map, 20, &err));
  g_assert_cmpint (map_len (f->map), ==, 20);
  g_assert_cmpint (file_size (f->fd), ==, 20);
  g_assert_cmpuint (map_byte (f->map, 9), ==, '9');
  g_assert_cmpuint (map_byte (f->map, 19), ==, 0);
}

static void
test_new_default_shared_read_write_stays_default (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_DEFAULT);
  ASSERT_OK (mm_map_set_item (f->map, -1, 'x', &err));
  ASSERT_FILE (f->fd, "012345678x", 10);   /* shared: write-through */
}

/* Check 3: READ|EXEC and 0 are reported as READ. */
static void
test_new_default_other_prot_is_read (void)
{
  MmMap *map;
  uint8_t v = 1;

  map = map_new_ok (-1, 100, MAP_SHARED, PROT_READ | PROT_EXEC, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_READ);
  ASSERT_OK (mm_map_get_item (map, 99, &v, &err));
  g_assert_cmpuint (v, ==, 0);
  ASSERT_ERR (mm_map_set_item (map, 0, 1, &err), MM_ERROR_READONLY);
  mm_map_free (map);

  map = map_new_ok (-1, 100, MAP_SHARED, PROT_NONE, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_READ);
  ASSERT_ERR (mm_map_write_byte (map, 1, &err), MM_ERROR_READONLY);
  mm_map_free (map);
}

/* Check 4. */
static void
test_new_empty_file_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_file ("", 0);

  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_READ, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 1, MM_ACCESS_WRITE, 0, &err), MM_ERROR_INVALID);
  g_assert_cmpint (file_size (f->fd), ==, 0);
}

static void
test_new_length_zero_maps_rest_of_file_from_offset (void)
{
  gsize size = 2 * page + 10;
  g_autoptr (Fixture) f = fixture_pattern (size);
  MmMap *map;

  map = map_file (f->fd, 0, MM_ACCESS_READ);
  ASSERT_MAP (map, f->bytes, size);
  mm_map_free (map);

  map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  ASSERT_MAP (map, f->bytes + page, page + 10);
  mm_map_free (map);

  map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 2 * page, true);
  ASSERT_MAP (map, f->bytes + 2 * page, 10);
  mm_map_free (map);
}

static void
test_new_length_and_offset_within_file (void)
{
  g_autoptr (Fixture) f = fixture_pattern (2 * page + 10);
  MmMap *map;

  map = map_new_ok (f->fd, page + 10, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_MAP (map, f->bytes + page, page + 10);
  mm_map_free (map);
  map = map_new_ok (f->fd, 5, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_MAP (map, f->bytes + page, 5);
  mm_map_free (map);
}

static void
test_new_length_zero_offset_at_or_past_size_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_pattern (page);

  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_DEFAULT, page, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_READ, 2 * page, &err), MM_ERROR_INVALID);
  ASSERT_FILE (f->fd, f->bytes, page);
}

static void
test_new_length_greater_than_file_is_invalid (void)
{
  gsize size = page + 10;
  g_autoptr (Fixture) f = fixture_pattern (size);

  ASSERT_ERR (new_access (f->fd, size + 1, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 11, MM_ACCESS_WRITE, page, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 1, MM_ACCESS_READ, 2 * page, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, INT64_MAX, MM_ACCESS_READ, page, &err), MM_ERROR_INVALID);
  /* the file is not extended */
  ASSERT_FILE (f->fd, f->bytes, size);
}

/* Check 4 before check 5: the mmap(2) call would fail too, differently. */
static void
test_new_file_checks_before_mmap (void)
{
  g_autoptr (Fixture) empty_ro = fixture_file_ro ("", 0);
  g_autoptr (Fixture) ro = fixture_file_ro (DIGITS, 10);
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);

  /* a read-only fd would be EACCES */
  ASSERT_ERR (new_access (empty_ro->fd, 0, MM_ACCESS_DEFAULT, 0, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (ro->fd, 11, MM_ACCESS_WRITE, 0, &err), MM_ERROR_INVALID);
  /* an unaligned offset would be EINVAL */
  ASSERT_ERR (new_access (f->fd, 0, MM_ACCESS_DEFAULT, 10, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 10, MM_ACCESS_DEFAULT, 1, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_access (f->fd, 1, MM_ACCESS_DEFAULT, page + 1, &err), MM_ERROR_INVALID);
}

/* Check 5. */
static void
test_new_unaligned_offset_is_os_einval (void)
{
  gsize size = 2 * page;
  g_autoptr (Fixture) f = fixture_pattern (size);

  g_assert_cmpint (mm_allocation_granularity () % page, ==, 0);
  ASSERT_OS (new_access (f->fd, 10, MM_ACCESS_DEFAULT, 1, &err), EINVAL);
  ASSERT_OS (new_access (f->fd, 0, MM_ACCESS_READ, page / 2, &err), EINVAL);
  ASSERT_OS (new_access (f->fd, 10, MM_ACCESS_COPY, page + 1, &err), EINVAL);
  ASSERT_FILE (f->fd, f->bytes, size);
}

static void
test_new_readonly_fd_default_or_write_is_os_eacces (void)
{
  g_autoptr (Fixture) f = fixture_file_ro (DIGITS, 10);

  ASSERT_OS (new_access (f->fd, 0, MM_ACCESS_DEFAULT, 0, &err), EACCES);
  ASSERT_OS (new_access (f->fd, 0, MM_ACCESS_WRITE, 0, &err), EACCES);
  ASSERT_OS (new_map (f->fd, 5, MAP_SHARED, PROT_WRITE, MM_ACCESS_DEFAULT, 0, &err), EACCES);
}

static void
test_new_readonly_fd_read_and_copy_are_fine (void)
{
  g_autoptr (Fixture) f = fixture_file_ro (DIGITS, 10);

  fixture_map (f, MM_ACCESS_READ);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_READ);
  ASSERT_MAP (f->map, DIGITS, 10);
  fixture_free_map (f);

  fixture_map (f, MM_ACCESS_COPY);
  ASSERT_OK (mm_map_set_item (f->map, 0, 'x', &err));
  ASSERT_MAP (f->map, "x123456789", 10);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_new_directory_fd_is_os (void)
{
  g_autoptr (Fixture) dir = fixture_dir ();

  ASSERT_OS (new_access (dir->fd, 10, MM_ACCESS_READ, 0, &err), 0);
  ASSERT_OS (new_access (dir->fd, 10, MM_ACCESS_DEFAULT, 0, &err), 0);
}

static void
test_new_pipe_fd_is_os (void)
{
  g_autoptr (Fixture) p = fixture_pipe ();

  ASSERT_OS (new_access (p->fd, 10, MM_ACCESS_READ, 0, &err), 0);
  ASSERT_OS (new_access (p->write_fd, page, MM_ACCESS_DEFAULT, 0, &err), 0);
}

/* Check 4 is for regular files only; mmap(2) refuses a length of 0. */
static void
test_new_length_zero_on_non_regular_is_os_einval (void)
{
  g_autoptr (Fixture) dir = fixture_dir ();
  g_autoptr (Fixture) p = fixture_pipe ();

  ASSERT_OS (new_access (p->fd, 0, MM_ACCESS_READ, 0, &err), EINVAL);
  ASSERT_OS (new_access (dir->fd, 0, MM_ACCESS_READ, 0, &err), EINVAL);
}

static void
test_new_anonymous_is_zeroed (void)
{
  guint8 zero[300] = { 0 };
  MmMap *map;

  map = map_anon (300, MAP_SHARED);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_DEFAULT);
  ASSERT_MAP (map, zero, 300);
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);

  map = map_anon (300, MAP_PRIVATE);
  ASSERT_MAP (map, zero, 300);
  mm_map_free (map);

  map = map_new_ok (-1, 300, MAP_SHARED, RW, MM_ACCESS_COPY, 0, true);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_COPY);
  ASSERT_MAP (map, zero, 300);
  mm_map_free (map);
}

/* trackfd dups the fd: the map keeps working after the caller closes its own. */
static void
test_new_trackfd_dups_the_fd (void)
{
  int fd = make_file (DIGITS, 10);
  int keep = dup (fd);
  int before = count_open_fds ();
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);
  int64_t size = -1;

  g_assert_cmpint (count_open_fds (), ==, before + 1);
  close_fd (fd);
  ASSERT_OK (mm_map_size (map, &size, &err));
  g_assert_cmpint (size, ==, 10);
  ASSERT_OK (mm_map_resize (map, 20, &err));
  ASSERT_OK (mm_map_size (map, &size, &err));
  g_assert_cmpint (size, ==, 20);
  g_assert_cmpint (file_size (keep), ==, 20);
  mm_map_free (map);
  close_fd (keep);
}

static void
test_new_trackfd_false_keeps_no_fd (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  int before = count_open_fds ();

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  g_assert_cmpint (count_open_fds (), ==, before);
  ASSERT_MAP (f->map, DIGITS, 10);
  fixture_free_map (f);
  g_assert_true (fd_is_open (f->fd));
  g_assert_cmpint (count_open_fds (), ==, before);
}

/* Check 5: an fd that is not open fails in the system call. */
static void
test_new_bad_fd_is_os_ebadf (void)
{
  MmMap *map = NULL;
  int fd = make_file (DIGITS, 10);

  close_fd (fd);    /* fd is now a number that names nothing */
  ASSERT_OS (new_access (fd, 10, MM_ACCESS_READ, 0, &err), EBADF);
  ASSERT_OS (mm_map_new (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, 0, false, &map, &err), EBADF);
}

/* As CPython: mmap(-1, 0) is OSError EINVAL. */
static void
test_new_anonymous_length_zero_is_os_einval (void)
{
  ASSERT_OS (new_access (-1, 0, MM_ACCESS_DEFAULT, 0, &err), EINVAL);
  ASSERT_OS (new_map (-1, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, &err), EINVAL);
}

/* Offsets are 64-bit: a map 5 GiB into a sparse file, and its resize. */
static void
test_new_offset_beyond_4gib (void)
{
  int64_t off = (INT64_C (5) << 30);
  g_autoptr (Fixture) f = fixture_file (NULL, 0);
  int64_t v = -1;
  char buf[20];

  if (ftruncate (f->fd, off) != 0)
    {
      g_test_skip ("the temp file system has no room for a sparse 5 GiB file");
      return;
    }
  g_assert_cmpint (pwrite (f->fd, DIGITS, 10, off), ==, 10);
  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, off, true);
  ASSERT_MAP (f->map, DIGITS, 10);
  ASSERT_OK (mm_map_size (f->map, &v, &err));
  g_assert_cmpint (v, ==, off + 10);
  ASSERT_OK (mm_map_resize (f->map, 20, &err));
  g_assert_cmpint (file_size (f->fd), ==, off + 20);
  ASSERT_OK (mm_map_set_item (f->map, 19, 'z', &err));
  g_assert_cmpint (pread (f->fd, buf, 20, off), ==, 20);
  g_assert_cmpmem (buf, 20, DIGITS "\0\0\0\0\0\0\0\0\0z", 20);
}

static void
test_pagesize_matches_system (void)
{
  g_assert_cmpint (mm_pagesize (), ==, sysconf (_SC_PAGESIZE));
  /* Linux: ALLOCATIONGRANULARITY == PAGESIZE */
  g_assert_cmpint (mm_allocation_granularity (), ==, sysconf (_SC_PAGESIZE));
}

/* ============================================================ close */

static void
test_close_every_method_after_close_is_closed (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_WRITE);
  guint8 buf[32];
  int64_t v;
  uint8_t b;
  MmView *view = NULL;

  ASSERT_OK (mm_map_close (f->map, &err));
  g_assert_true (mm_map_closed (f->map));
  ASSERT_ERR (mm_map_len (f->map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_size (f->map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_tell (f->map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_seek (f->map, 0, SEEK_SET, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read (f->map, buf, 3, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read (f->map, buf, -1, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_readline (f->map, buf, sizeof buf, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_write (f->map, "ab", 2, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_item (f->map, 0, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_item (f->map, 0, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_slice (f->map, 0, 1, 3, buf, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, 1, 3, "abc", 3, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_find (f->map, "1", 1, 0, INT64_MAX, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_rfind (f->map, "1", 1, 0, INT64_MAX, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_move (f->map, 0, 1, 2, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_flush (f->map, 0, 10, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_madvise (f->map, MADV_NORMAL, 0, 10, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_export (f->map, &view, &err), MM_ERROR_CLOSED);
  g_assert_cmpuint (mm_map_exports (f->map), ==, 0);
  g_assert_true (mm_map_closed (f->map));
  fixture_free_map (f);
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_close_twice_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_DEFAULT);
  MmMap *anon;

  g_assert_false (mm_map_closed (f->map));
  ASSERT_OK (mm_map_close (f->map, &err));
  g_assert_true (mm_map_closed (f->map));
  ASSERT_OK (mm_map_close (f->map, &err));
  g_assert_true (mm_map_closed (f->map));
  fixture_free_map (f);

  anon = map_anon (10, MAP_SHARED);
  ASSERT_OK (mm_map_close (anon, NULL));
  ASSERT_OK (mm_map_close (anon, NULL));
  mm_map_free (anon);
}

/* CLOSED comes before READONLY, INVALID (no access), RANGE. */
static void
test_close_closed_checked_first (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  uint8_t b;
  int64_t v;

  fixture_map (f, MM_ACCESS_READ);
  ASSERT_OK (mm_map_close (f->map, &err));
  ASSERT_ERR (mm_map_write (f->map, "a", 1, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_item (f->map, 100, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_resize (f->map, 0, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_seek (f->map, 0, 7, &v, &err), MM_ERROR_CLOSED);
  fixture_free_map (f);

  fixture_map (f, MM_ACCESS_NONE);
  ASSERT_OK (mm_map_close (f->map, &err));
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_item (f->map, 0, &b, &err), MM_ERROR_CLOSED);
  fixture_free_map (f);

  f->map = map_new_ok (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  ASSERT_OK (mm_map_close (f->map, &err));
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_size (f->map, &v, &err), MM_ERROR_CLOSED);
}

static void
test_close_unmaps_and_closes_the_dup_not_the_callers_fd (void)
{
  g_autoptr (Fixture) f = fixture_file (DIGITS, 10);
  int before = count_open_fds ();
  char *perms;

  fixture_map (f, MM_ACCESS_WRITE);
  g_assert_cmpint (count_open_fds (), ==, before + 1);
  perms = mapping_perms (f->fd, 0);
  g_assert_cmpstr (perms, ==, "rw-s");
  g_free (perms);
  ASSERT_OK (mm_map_close (f->map, &err));
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (f->fd));
  perms = mapping_perms (f->fd, 0);
  g_assert_cmpstr (perms, ==, "");    /* unmapped */
  g_free (perms);
  fixture_free_map (f);
  g_assert_cmpint (count_open_fds (), ==, before);

  /* free of an open map closes it too */
  fixture_map (f, MM_ACCESS_READ);
  g_assert_cmpint (count_open_fds (), ==, before + 1);
  fixture_free_map (f);
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (f->fd));
  ASSERT_FILE (f->fd, DIGITS, 10);
}

static void
test_free_null_is_fine (void)
{
  mm_map_free (NULL);
}

/* ============================================================ NONE */

static void
test_none_reports_none_and_keeps_position (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_NONE);
  int64_t p;

  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_NONE);
  g_assert_cmpint (map_len (f->map), ==, 10);
  ASSERT_OK (mm_map_seek (f->map, 4, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 4);
  g_assert_cmpint (map_pos (f->map), ==, 4);
  ASSERT_OK (mm_map_size (f->map, &p, &err));
  g_assert_cmpint (p, ==, 10);
  fixture_free_map (f);

  f->map = map_new_ok (-1, 100, MAP_SHARED, RW, MM_ACCESS_NONE, 0, true);
  g_assert_cmpint (mm_map_access (f->map), ==, MM_ACCESS_NONE);
  g_assert_cmpint (map_len (f->map), ==, 100);
}

static void
test_none_reads_are_invalid (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_NONE, 2);
  char buf[32];
  int64_t n;
  uint8_t b;

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_read (f->map, buf, 3, &n, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_read (f->map, buf, -1, &n, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_read_byte (f->map, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_readline (f->map, buf, sizeof buf, &n, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (f->before);
}

static void
test_none_find_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_NONE);
  int64_t at;

  ASSERT_ERR (mm_map_find (f->map, "3", 1, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_rfind (f->map, "3", 1, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_find (f->map, "345", 3, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
}

static void
test_none_get_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_NONE);
  char buf[16];
  uint8_t b;

  ASSERT_ERR (mm_map_get_item (f->map, 0, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_item (f->map, -1, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_slice (f->map, 0, 1, 3, buf, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_slice (f->map, 9, -2, 5, buf, &err), MM_ERROR_INVALID);
}

static void
test_none_export_is_invalid (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_NONE);
  MmView *view = NULL;

  ASSERT_ERR (mm_map_export (f->map, &view, &err), MM_ERROR_INVALID);
  g_assert_cmpuint (mm_map_exports (f->map), ==, 0);
  ASSERT_OK (mm_map_close (f->map, &err));
}

static void
test_none_writes_are_readonly (void)
{
  g_autoptr (Fixture) f = fixture_digits_at (MM_ACCESS_NONE, 1);
  int64_t n;

  fixture_snapshot (f);
  ASSERT_ERR (mm_map_write (f->map, "ab", 2, &n, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_write_byte (f->map, 'a', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (f->map, 0, 'a', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (f->map, 0, 1, 2, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (f->map, 0, 1, 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (f->map, 10, 0, 0, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (f->map, 20, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (f->before);
}

static void
test_none_flush_checks_range_only (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_NONE);

  ASSERT_OK (mm_map_flush (f->map, 0, 10, &err));
  ASSERT_OK (mm_map_flush (f->map, 1, 1, &err));
  ASSERT_ERR (mm_map_flush (f->map, 0, 11, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (f->map, 0, -1, &err), MM_ERROR_RANGE);
}

/* ============================================================ errors */

static void
test_error_null_error_is_fine (void)
{
  g_autoptr (Fixture) f = fixture_digits (MM_ACCESS_READ);
  MmMap *other = NULL;
  int64_t v;
  uint8_t b;

  g_assert_cmpint (mm_map_seek (f->map, 11, SEEK_SET, &v, NULL), ==, MM_ERROR_RANGE);
  g_assert_cmpint (mm_map_write_byte (f->map, 'x', NULL), ==, MM_ERROR_READONLY);
  g_assert_cmpint (mm_map_seek (f->map, 0, 9, &v, NULL), ==, MM_ERROR_INVALID);
  g_assert_cmpint (mm_map_get_item (f->map, 3, &b, NULL), ==, MM_OK);
  g_assert_cmpuint (b, ==, '3');
  g_assert_cmpint (mm_map_flush (f->map, -1, 0, NULL), ==, MM_ERROR_RANGE);
  g_assert_cmpint (mm_map_new (f->fd, 11, MAP_SHARED, RW, MM_ACCESS_READ, 0, true, &other, NULL), ==, MM_ERROR_INVALID);
  g_assert_cmpint (mm_map_new (f->fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 1, true, &other, NULL), ==, MM_ERROR_OS);
}

/* "seek out of range: 70 > length 64" */
static void
test_error_message_names_the_values (void)
{
  g_autoptr (Fixture) f = fixture_pattern (64);
  int64_t v;

  fixture_map (f, MM_ACCESS_READ);
  ASSERT_ERR (mm_map_seek (f->map, 70, SEEK_SET, &v, &err), MM_ERROR_RANGE);
  g_assert_nonnull (strstr (err.message, "70"));
  g_assert_nonnull (strstr (err.message, "64"));
}

/* ============================================================ main */

static const TestCase cases[] = {
  { "/mm-map/new/negative-length-is-range", test_new_negative_length_is_range },
  { "/mm-map/new/negative-offset-is-range", test_new_negative_offset_is_range },
  { "/mm-map/new/negative-length-checked-before-access-conflict", test_new_negative_length_checked_before_access_conflict },
  { "/mm-map/new/negative-length-checked-before-file-checks", test_new_negative_length_checked_before_file },
  { "/mm-map/new/access-with-flags-is-invalid", test_new_access_with_flags_is_invalid },
  { "/mm-map/new/access-with-prot-is-invalid", test_new_access_with_prot_is_invalid },
  { "/mm-map/new/access-conflict-checked-before-file-checks", test_new_access_conflict_checked_before_file },
  { "/mm-map/new/unknown-access-is-invalid", test_new_unknown_access_is_invalid },
  { "/mm-map/new/unknown-access-checked-after-range", test_new_unknown_access_checked_after_range },
  { "/mm-map/new/unknown-access-checked-before-mmap", test_new_unknown_access_checked_before_mmap },
  { "/mm-map/new/explicit-access-is-reported", test_new_explicit_access_is_reported },
  { "/mm-map/new/access-resolves-to-flags-and-prot", test_new_access_resolves_to_flags_and_prot },
  { "/mm-map/new/default-prot-read-is-read", test_new_default_prot_read_is_read },
  { "/mm-map/new/default-prot-write-only-is-write", test_new_default_prot_write_only_is_write },
  { "/mm-map/new/default-private-read-write-stays-default-and-resizable", test_new_default_private_read_write_stays_default_and_resizable },
  { "/mm-map/new/default-shared-read-write-stays-default", test_new_default_shared_read_write_stays_default },
  { "/mm-map/new/default-read-exec-or-none-prot-is-read", test_new_default_other_prot_is_read },
  { "/mm-map/new/empty-file-is-invalid", test_new_empty_file_is_invalid },
  { "/mm-map/new/length-zero-maps-rest-of-file-from-offset", test_new_length_zero_maps_rest_of_file_from_offset },
  { "/mm-map/new/length-and-offset-within-file", test_new_length_and_offset_within_file },
  { "/mm-map/new/length-zero-offset-at-or-past-size-is-invalid", test_new_length_zero_offset_at_or_past_size_is_invalid },
  { "/mm-map/new/length-greater-than-file-is-invalid", test_new_length_greater_than_file_is_invalid },
  { "/mm-map/new/file-checks-before-mmap", test_new_file_checks_before_mmap },
  { "/mm-map/new/unaligned-offset-is-os-einval", test_new_unaligned_offset_is_os_einval },
  { "/mm-map/new/readonly-fd-default-or-write-is-os-eacces", test_new_readonly_fd_default_or_write_is_os_eacces },
  { "/mm-map/new/readonly-fd-read-and-copy-are-fine", test_new_readonly_fd_read_and_copy_are_fine },
  { "/mm-map/new/directory-fd-is-os", test_new_directory_fd_is_os },
  { "/mm-map/new/pipe-fd-is-os", test_new_pipe_fd_is_os },
  { "/mm-map/new/length-zero-on-non-regular-is-os-einval", test_new_length_zero_on_non_regular_is_os_einval },
  { "/mm-map/new/anonymous-is-zeroed", test_new_anonymous_is_zeroed },
  { "/mm-map/new/trackfd-dups-the-fd", test_new_trackfd_dups_the_fd },
  { "/mm-map/new/trackfd-false-keeps-no-fd", test_new_trackfd_false_keeps_no_fd },
  { "/mm-map/new/bad-fd-is-os-ebadf", test_new_bad_fd_is_os_ebadf },
  { "/mm-map/new/anonymous-length-zero-is-os-einval", test_new_anonymous_length_zero_is_os_einval },
  { "/mm-map/new/offset-beyond-4gib", test_new_offset_beyond_4gib },
  { "/mm-map/pagesize/matches-the-system", test_pagesize_matches_system },
  { "/mm-map/close/every-method-after-close-is-closed", test_close_every_method_after_close_is_closed },
  { "/mm-map/close/twice-is-fine", test_close_twice_is_fine },
  { "/mm-map/close/closed-checked-first", test_close_closed_checked_first },
  { "/mm-map/close/unmaps-and-closes-the-dup-not-the-callers-fd", test_close_unmaps_and_closes_the_dup_not_the_callers_fd },
  { "/mm-map/free/null-is-fine", test_free_null_is_fine },
  { "/mm-map/none/reports-none-and-keeps-position", test_none_reports_none_and_keeps_position },
  { "/mm-map/none/reads-are-invalid", test_none_reads_are_invalid },
  { "/mm-map/none/find-is-invalid", test_none_find_is_invalid },
  { "/mm-map/none/get-is-invalid", test_none_get_is_invalid },
  { "/mm-map/none/export-is-invalid", test_none_export_is_invalid },
  { "/mm-map/none/writes-are-readonly", test_none_writes_are_readonly },
  { "/mm-map/none/flush-checks-range-only", test_none_flush_checks_range_only },
  { "/mm-map/error/null-error-is-fine", test_error_null_error_is_fine },
  { "/mm-map/error/message-names-the-values", test_error_message_names_the_values },
};

MM_TEST_MAIN (cases, page)
