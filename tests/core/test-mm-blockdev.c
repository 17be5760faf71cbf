/* test-mm-blockdev.c: the core on a block device (src/core/mm-map.h): a
 * loop device made by the test is mapped with length 0 at its full size
 * (BLKGETSIZE64, since its st_size is 0), mm_map_size says that size, the
 * bytes are the device's, and a length past the end is refused.
 *
 * Skips, saying why, where no loop device can be made (it needs root). */

#include "mm-map.h"
#include "../loopdev.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOOP_SIZE (256 * 1024)

static void
test_block_device_maps_whole_with_length_zero (void)
{
  g_autoptr (LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  MmMap *map = NULL;
  MmError err = { 0 };
  struct stat st;
  int64_t len = -1, size = -1;
  guint8 got[64];
  int fd;

  if (loop == NULL)
    return;
  fd = open (loop->device, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_true (S_ISBLK (st.st_mode));

  g_assert_cmpint (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ,
                               0, true, &map, &err), ==, MM_OK);
  g_assert_cmpint (mm_map_len (map, &len, &err), ==, MM_OK);
  g_assert_cmpint (len, ==, LOOP_SIZE);
  g_assert_cmpint (mm_map_size (map, &size, &err), ==, MM_OK);
  g_assert_cmpint (size, ==, LOOP_SIZE);

  g_assert_cmpint (mm_map_get_slice (map, LOOP_SIZE - 64, 1, 64, got, &err), ==, MM_OK);
  g_assert_cmpmem (got, 64, loop->bytes + LOOP_SIZE - 64, 64);
  g_assert_cmpint (mm_map_get_slice (map, 1000, 1, 64, got, &err), ==, MM_OK);
  g_assert_cmpmem (got, 64, loop->bytes + 1000, 64);
  mm_map_free (map);

  /* an offset keeps the rest of the device */
  map = NULL;
  g_assert_cmpint (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ,
                               4096, true, &map, &err), ==, MM_OK);
  g_assert_cmpint (mm_map_len (map, &len, &err), ==, MM_OK);
  g_assert_cmpint (len, ==, LOOP_SIZE - 4096);
  mm_map_free (map);
  close (fd);
}

static void
test_block_device_length_past_end_is_refused (void)
{
  g_autoptr (LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  MmMap *map = NULL;
  MmError err = { 0 };
  int fd;

  if (loop == NULL)
    return;
  fd = open (loop->device, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (mm_map_new (fd, LOOP_SIZE + 4096, MAP_SHARED, PROT_READ | PROT_WRITE,
                               MM_ACCESS_READ, 0, true, &map, &err), ==, MM_ERROR_INVALID);
  g_assert_null (map);
  g_assert_nonnull (strstr (err.message, "greater than file size"));
  g_assert_cmpint (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ,
                               LOOP_SIZE, true, &map, &err), ==, MM_ERROR_INVALID);
  g_assert_null (map);
  close (fd);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mm/blockdev/length-zero-maps-the-whole-device",
                   test_block_device_maps_whole_with_length_zero);
  g_test_add_func ("/mm/blockdev/length-past-the-end-is-refused",
                   test_block_device_length_past_end_is_refused);
  return g_test_run ();
}
