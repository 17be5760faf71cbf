/* test-mm-fault.c: the core survives a file that shrinks under its map.
 *
 * Another process truncates the file under a live map; every core call that
 * touches a page past the new end must come back with MM_ERROR_FAULT (and a
 * message that says so), in any thread, for WRITE, READ and COPY maps, and
 * the pages that still exist stay usable. A fault outside the core's guards
 * must still reach the handler the program had before. A resize that does
 * not fit on the disk must fail with ENOSPC and leave file and map alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mm-map.h"
#include "mm-test-util.h"

#define N_PAGES 4

static int64_t ps;

/* What the test is doing, for the unguarded-fault reporter. */
static const char *volatile current_op = "(outside any core call)";

/* Installed before the first mm_map_new, so the core chains to it: if it ever
 * runs, a fault escaped the core's guards. Say during which call, then die
 * of the signal as the program would have. */
static void
unguarded_fault (int sig)
{
  const char *op = current_op;
  const char *head = sig == SIGBUS ? "\ntest-mm-fault: UNGUARDED SIGBUS during: "
                                   : "\ntest-mm-fault: UNGUARDED SIGSEGV during: ";
  if (write (2, head, strlen (head)) < 0 ||
      write (2, op, strlen (op)) < 0 ||
      write (2, "\n", 1) < 0)
    { /* nothing more we can do */ }
  signal (sig, SIG_DFL);   /* returning re-runs the access: now it kills us */
}

static void
install_reporter (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = unguarded_fault;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGBUS, &sa, NULL);
  sigaction (SIGSEGV, &sa, NULL);
}

/* Printable bytes, no '\n' except at offset 50 (so readline at 0 stops early). */
static void
fill_pattern (guint8 *buf, gsize n, guint seed)
{
  for (gsize i = 0; i < n; i++)
    buf[i] = (guint8) (' ' + (i * 131u + seed + (i >> 9)) % 90u);
  if (n > 50)
    buf[50] = '\n';
}

static gboolean
write_all (int fd, const guint8 *buf, gsize n)
{
  while (n > 0)
    {
      ssize_t w = write (fd, buf, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return FALSE;
      buf += w;
      n -= (gsize) w;
    }
  return TRUE;
}

/* Shrink (or grow) the file from ANOTHER process: a forked child opening the
 * path itself, or an exec of truncate(1). Returns the child's wait status. */
static int
truncate_elsewhere (const char *path, int64_t new_size, const char *truncate_prog)
{
  pid_t pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      if (truncate_prog != NULL)
        {
          char size_arg[32];
          snprintf (size_arg, sizeof size_arg, "%" G_GINT64_FORMAT, new_size);
          execl (truncate_prog, "truncate", "-s", size_arg, path, (char *) NULL);
          _exit (127);
        }
      int fd = open (path, O_RDWR);
      if (fd < 0)
        _exit (1);
      if (ftruncate (fd, (off_t) new_size) != 0)
        _exit (2);
      close (fd);
      _exit (0);
    }
  int status = 0;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return status;
}

static void
assert_truncated_elsewhere (const char *path, int64_t new_size, const char *truncate_prog)
{
  int status = truncate_elsewhere (path, new_size, truncate_prog);
  if (!(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    g_error ("truncating %s to %" G_GINT64_FORMAT " in another process failed (wait status 0x%x)",
             path, new_size, (unsigned) status);
  struct stat st;
  g_assert_no_errno (stat (path, &st));
  g_assert_cmpint (st.st_size, ==, new_size);
}

/* ---- the scenario ------------------------------------------------------ */

typedef struct {
  MmAccess  access;
  MmMap    *map;
  MmView   *view;
  guint8   *content;    /* the file as written */
  int64_t   len;        /* map length: N_PAGES pages */
  int64_t   new_end;    /* file size after the truncation: one page */
  gboolean  in_thread;
} Scenario;

static void
expect_fault (const Scenario *sc, const char *what, MmStatus st, const MmError *err)
{
  char end_str[32];

  if (st != MM_ERROR_FAULT)
    {
      fail_case ("%s%s: got %s (\"%s\"), expected MM_ERROR_FAULT",
                          what, sc->in_thread ? " [second thread]" : "",
                          status_name (st), st != MM_OK ? err->message : "");
      return;
    }
  {
    static gboolean shown = FALSE;
    if (!shown)
      g_test_message ("a FAULT message, for the record (%s): \"%s\"", what, err->message);
    shown = TRUE;
  }
  if (err->status != MM_ERROR_FAULT)
    fail_case ("%s: returned FAULT but error->status is %s", what, status_name (err->status));
  if (err->message[0] == '\0')
    fail_case ("%s: FAULT with an empty message", what);
  /* The design's message: "the file shrank under the map: offset X is past its end Y". */
  snprintf (end_str, sizeof end_str, "%" G_GINT64_FORMAT, sc->new_end);
  if (strstr (err->message, end_str) == NULL)
    fail_case ("%s: FAULT message \"%s\" does not name the new end of the file (%s)",
                        what, err->message, end_str);
}

static void
expect_status (const Scenario *sc, const char *what, MmStatus st, const MmError *err, MmStatus want)
{
  if (st != want)
    fail_case ("%s%s: got %s (\"%s\"), expected %s",
                        what, sc->in_thread ? " [second thread]" : "",
                        status_name (st), st != MM_OK ? err->message : "", status_name (want));
}

#define OP(name) (current_op = (name))

/* Every core call that touches a page past the new end. */
static void
run_faulting_calls (Scenario *sc)
{
  MmMap *map = sc->map;
  MmError err;
  MmStatus st;
  int64_t count = -1, pos = -1, idx = -7;
  uint8_t byte = 0;
  const int64_t far = 2 * ps + 100;            /* in a page that is gone */
  const guint8 absent[4] = { 1, 2, 3, 4 };     /* not in the printable pattern */
  g_autofree guint8 *buf = g_malloc0 ((gsize) sc->len + 16);
  guint8 src[16];
  gboolean writable = sc->access != MM_ACCESS_READ;

  memset (src, 'W', sizeof src);

  OP ("seek");
  g_assert_cmpint (mm_map_seek (map, far, SEEK_SET, &pos, &err), ==, MM_OK);
  OP ("read(16) past the new end");
  st = mm_map_read (map, buf, 16, &count, &err);
  expect_fault (sc, "read(16) past the new end", st, &err);

  OP ("read(-1) from 0");
  g_assert_cmpint (mm_map_seek (map, 0, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_read (map, buf, -1, &count, &err);
  expect_fault (sc, "read(-1) from 0 (runs into the gone pages)", st, &err);

  OP ("read_byte past the new end");
  g_assert_cmpint (mm_map_seek (map, far, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_read_byte (map, &byte, &err);
  expect_fault (sc, "read_byte past the new end", st, &err);

  OP ("readline past the new end");
  g_assert_cmpint (mm_map_seek (map, far, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_readline (map, buf, sc->len, &count, &err);
  expect_fault (sc, "readline past the new end", st, &err);

  OP ("readline from the last live page into the gone ones");
  g_assert_cmpint (mm_map_seek (map, ps - 10, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_readline (map, buf, sc->len, &count, &err);
  expect_fault (sc, "readline from the last live page into the gone ones", st, &err);

  OP ("get_item past the new end");
  st = mm_map_get_item (map, far, &byte, &err);
  expect_fault (sc, "get_item(far)", st, &err);
  OP ("get_item(-1)");
  st = mm_map_get_item (map, -1, &byte, &err);
  expect_fault (sc, "get_item(-1)", st, &err);

  OP ("get_slice past the new end");
  st = mm_map_get_slice (map, far, 1, 16, buf, &err);
  expect_fault (sc, "get_slice(far, step 1)", st, &err);
  OP ("get_slice across the new end");
  st = mm_map_get_slice (map, ps - 8, 1, 16, buf, &err);
  expect_fault (sc, "get_slice across the new end", st, &err);
  OP ("get_slice with a negative step from the last byte");
  st = mm_map_get_slice (map, sc->len - 1, -1, 10, buf, &err);
  expect_fault (sc, "get_slice(len-1, step -1)", st, &err);
  OP ("get_slice with an extended step");
  st = mm_map_get_slice (map, 0, ps, N_PAGES, buf, &err);
  expect_fault (sc, "get_slice(0, step pagesize)", st, &err);

  OP ("find an absent needle over the whole map");
  st = mm_map_find (map, absent, sizeof absent, 0, INT64_MAX, &idx, &err);
  expect_fault (sc, "find(absent, 0, end)", st, &err);
  OP ("find from past the new end");
  st = mm_map_find (map, absent, sizeof absent, far, INT64_MAX, &idx, &err);
  expect_fault (sc, "find(absent, far, end)", st, &err);
  OP ("find a needle that was in a gone page");
  st = mm_map_find (map, sc->content + 3 * ps + 7, 16, ps, INT64_MAX, &idx, &err);
  expect_fault (sc, "find(needle from page 3, pagesize, end)", st, &err);
  OP ("find a one-byte needle past the new end");
  st = mm_map_find (map, absent, 1, far, INT64_MAX, &idx, &err);
  expect_fault (sc, "find(1-byte, far, end)", st, &err);

  OP ("rfind an absent needle over the whole map");
  st = mm_map_rfind (map, absent, sizeof absent, 0, INT64_MAX, &idx, &err);
  expect_fault (sc, "rfind(absent, 0, end)", st, &err);
  OP ("rfind a needle of the live page (the gone ones come first)");
  st = mm_map_rfind (map, sc->content + 300, 16, 0, INT64_MAX, &idx, &err);
  expect_fault (sc, "rfind(needle from page 0, 0, end)", st, &err);
  OP ("rfind a one-byte needle");
  st = mm_map_rfind (map, absent, 1, 0, INT64_MAX, &idx, &err);
  expect_fault (sc, "rfind(1-byte, 0, end)", st, &err);

  OP ("mm_view_copy past the new end");
  st = mm_view_copy (sc->view, far, buf, 16, &err);
  expect_fault (sc, "mm_view_copy(far)", st, &err);
  OP ("mm_view_copy across the new end");
  st = mm_view_copy (sc->view, ps - 8, buf, 16, &err);
  expect_fault (sc, "mm_view_copy across the new end", st, &err);

  /* Writes: FAULT on WRITE and COPY maps (COPY: the page was never copied, the
   * copy-on-write fault must read the file); READONLY first on READ maps. */
  MmStatus w = writable ? MM_ERROR_FAULT : MM_ERROR_READONLY;

  OP ("write past the new end");
  g_assert_cmpint (mm_map_seek (map, far, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_write (map, src, 16, &count, &err);
  writable ? expect_fault (sc, "write(16) past the new end", st, &err)
           : expect_status (sc, "write on a READ map", st, &err, w);

  OP ("write_byte past the new end");
  g_assert_cmpint (mm_map_seek (map, far, SEEK_SET, &pos, &err), ==, MM_OK);
  st = mm_map_write_byte (map, 'w', &err);
  writable ? expect_fault (sc, "write_byte past the new end", st, &err)
           : expect_status (sc, "write_byte on a READ map", st, &err, w);

  OP ("set_item past the new end");
  st = mm_map_set_item (map, far, 'w', &err);
  writable ? expect_fault (sc, "set_item(far)", st, &err)
           : expect_status (sc, "set_item on a READ map", st, &err, w);

  OP ("set_slice past the new end");
  st = mm_map_set_slice (map, far, 1, 16, src, 16, &err);
  writable ? expect_fault (sc, "set_slice(far, step 1)", st, &err)
           : expect_status (sc, "set_slice on a READ map", st, &err, w);
  OP ("set_slice with an extended step");
  st = mm_map_set_slice (map, ps + 5, ps, N_PAGES - 1, src, N_PAGES - 1, &err);
  writable ? expect_fault (sc, "set_slice(pagesize + 5, step pagesize)", st, &err)
           : expect_status (sc, "set_slice(step pagesize) on a READ map", st, &err, w);

  OP ("move into a gone page");
  st = mm_map_move (map, far, 1000, 16, &err);
  writable ? expect_fault (sc, "move(dest far, src live)", st, &err)
           : expect_status (sc, "move on a READ map", st, &err, w);
  OP ("move out of a gone page");
  st = mm_map_move (map, 2000, far, 16, &err);
  writable ? expect_fault (sc, "move(dest live, src far)", st, &err)
           : expect_status (sc, "move on a READ map", st, &err, w);

  OP ("(between calls)");
}

/* The pages that still exist stay usable. */
static void
run_live_page_calls (Scenario *sc)
{
  MmMap *map = sc->map;
  MmError err;
  int64_t count = -1, pos = -1, idx = -7, len = -1;
  uint8_t byte = 0;
  guint8 buf[128];
  const guint8 *needle = sc->content + 300;
  const guint8 *hit;

  OP ("len after the faults");
  g_assert_cmpint (mm_map_len (map, &len, &err), ==, MM_OK);
  g_assert_cmpint (len, ==, sc->len);
  g_assert_false (mm_map_closed (map));

  OP ("get_item in the live page");
  g_assert_cmpint (mm_map_get_item (map, 1, &byte, &err), ==, MM_OK);
  g_assert_cmpint (byte, ==, sc->content[1]);
  g_assert_cmpint (mm_map_get_item (map, ps - 1, &byte, &err), ==, MM_OK);
  g_assert_cmpint (byte, ==, sc->content[ps - 1]);

  OP ("read in the live page");
  g_assert_cmpint (mm_map_seek (map, 1000, SEEK_SET, &pos, &err), ==, MM_OK);
  g_assert_cmpint (mm_map_read (map, buf, 64, &count, &err), ==, MM_OK);
  g_assert_cmpint (count, ==, 64);
  g_assert_cmpmem (buf, 64, sc->content + 1000, 64);
  g_assert_cmpint (mm_map_tell (map, &pos, &err), ==, MM_OK);
  g_assert_cmpint (pos, ==, 1064);

  OP ("readline in the live page");
  g_assert_cmpint (mm_map_seek (map, 0, SEEK_SET, &pos, &err), ==, MM_OK);
  g_assert_cmpint (mm_map_readline (map, buf, sizeof buf, &count, &err), ==, MM_OK);
  g_assert_cmpint (count, ==, 51);
  g_assert_cmpmem (buf, 51, sc->content, 51);

  OP ("get_slice in the live page");
  g_assert_cmpint (mm_map_get_slice (map, 1100, 3, 20, buf, &err), ==, MM_OK);
  for (int i = 0; i < 20; i++)
    g_assert_cmpint (buf[i], ==, sc->content[1100 + 3 * i]);

  OP ("find/rfind inside the live page");
  hit = memmem (sc->content, (size_t) ps, needle, 16);
  g_assert_nonnull (hit);
  g_assert_cmpint (mm_map_find (map, needle, 16, 0, ps, &idx, &err), ==, MM_OK);
  g_assert_cmpint (idx, ==, hit - sc->content);
  g_assert_cmpint (mm_map_rfind (map, needle, 16, 0, ps, &idx, &err), ==, MM_OK);
  {
    int64_t last = -1;
    for (int64_t i = 0; i + 16 <= ps; i++)
      if (memcmp (sc->content + i, needle, 16) == 0)
        last = i;
    g_assert_cmpint (idx, ==, last);
  }

  OP ("mm_view_copy in the live page");
  g_assert_cmpint (mm_view_copy (sc->view, 1200, buf, 100, &err), ==, MM_OK);
  g_assert_cmpmem (buf, 100, sc->content + 1200, 100);

  if (sc->access != MM_ACCESS_READ)
    {
      OP ("write/set_item/move in the live page");
      g_assert_cmpint (mm_map_seek (map, 3000, SEEK_SET, &pos, &err), ==, MM_OK);
      g_assert_cmpint (mm_map_write (map, "hello", 5, &count, &err), ==, MM_OK);
      g_assert_cmpint (mm_map_set_item (map, 3010, 'Z', &err), ==, MM_OK);
      g_assert_cmpint (mm_map_move (map, 3100, 3000, 16, &err), ==, MM_OK);
      g_assert_cmpint (mm_map_get_slice (map, 3100, 1, 16, buf, &err), ==, MM_OK);
      g_assert_cmpmem (buf, 5, "hello", 5);
      g_assert_cmpmem (buf + 5, 5, sc->content + 3005, 5);
      g_assert_cmpint (buf[10], ==, 'Z');
    }
  OP ("(between calls)");
}

static void *
faulting_thread (void *data)
{
  Scenario *sc = data;
  run_faulting_calls (sc);
  run_live_page_calls (sc);
  return sc;
}

typedef enum { TRUNC_CHILD, TRUNC_EXEC } TruncBy;

/* map_offset: where the map starts in the file (a multiple of the allocation
 * granularity); the file is that much longer, and shrinks to map_offset plus
 * one page, so the map's first page stays. */
static void
run_scenario_at (MmAccess access, gboolean in_thread, TruncBy by, int64_t map_offset)
{
  g_autoptr (GError) gerr = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mm-fault-XXXXXX", &gerr);
  g_assert_no_error (gerr);
  g_autofree char *path = g_build_filename (dir, "data.bin", NULL);
  g_autofree char *truncate_prog = NULL;
  Scenario sc = { 0 };
  g_autofree guint8 *file_content = NULL;
  int64_t file_len;
  MmError err;
  int fd;

  if (by == TRUNC_EXEC)
    {
      truncate_prog = g_find_program_in_path ("truncate");
      if (truncate_prog == NULL)
        {
          g_test_skip ("truncate(1) is not installed: cannot shrink the file by exec");
          g_rmdir (dir);
          return;
        }
    }

  sc.access = access;
  sc.in_thread = in_thread;
  sc.len = N_PAGES * ps;
  sc.new_end = map_offset + ps;
  file_len = map_offset + sc.len;
  file_content = g_malloc ((gsize) file_len);
  memset (file_content, 'o', (gsize) map_offset);
  sc.content = file_content + map_offset;
  fill_pattern (sc.content, (gsize) sc.len, (guint) access);

  fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (write_all (fd, file_content, (gsize) file_len));

  OP ("mm_map_new");
  g_assert_cmpint (mm_map_new (fd, map_offset > 0 ? sc.len : 0, MAP_SHARED, PROT_READ | PROT_WRITE,
                               access, map_offset, true, &sc.map, &err), ==, MM_OK);
  g_assert_cmpint (mm_map_export (sc.map, &sc.view, &err), ==, MM_OK);

  /* Touch every page first, so the core's map really has them mapped and the
   * test is about pages the kernel takes away, not pages never faulted in. */
  {
    g_autofree guint8 *all = g_malloc ((gsize) sc.len);
    g_assert_cmpint (mm_map_get_slice (sc.map, 0, 1, sc.len, all, &err), ==, MM_OK);
    g_assert_cmpmem (all, sc.len, sc.content, sc.len);
  }
  OP ("(between calls)");

  assert_truncated_elsewhere (path, sc.new_end, truncate_prog);

  if (in_thread)
    {
      pthread_t thread;
      void *ret = NULL;
      g_assert_cmpint (pthread_create (&thread, NULL, faulting_thread, &sc), ==, 0);
      g_assert_cmpint (pthread_join (thread, &ret), ==, 0);
      g_assert_true (ret == &sc);
    }
  else
    {
      run_faulting_calls (&sc);
      run_live_page_calls (&sc);
    }

  /* The file grows back (another process again): the map covers it again, the
   * regrown pages read as zeros, searches over the whole map work. */
  assert_truncated_elsewhere (path, file_len, NULL);
  {
    uint8_t byte = 0xff;
    int64_t idx = -7;
    const guint8 absent[4] = { 1, 2, 3, 4 };

    OP ("get_item after the file grew back");
    g_assert_cmpint (mm_map_get_item (sc.map, 2 * ps + 100, &byte, &err), ==, MM_OK);
    g_assert_cmpint (byte, ==, 0);
    OP ("find/rfind after the file grew back");
    g_assert_cmpint (mm_map_find (sc.map, absent, 4, 0, INT64_MAX, &idx, &err), ==, MM_OK);
    g_assert_cmpint (idx, ==, -1);
    g_assert_cmpint (mm_map_rfind (sc.map, absent, 4, 0, INT64_MAX, &idx, &err), ==, MM_OK);
    g_assert_cmpint (idx, ==, -1);
    OP ("(between calls)");
  }

  mm_view_release (sc.view);
  g_assert_cmpint (mm_map_close (sc.map, &err), ==, MM_OK);
  mm_map_free (sc.map);
  close (fd);
  g_unlink (path);
  g_rmdir (dir);
}

static void
run_scenario (MmAccess access, gboolean in_thread, TruncBy by)
{
  run_scenario_at (access, in_thread, by, 0);
}

static void test_write_map (void)        { run_scenario (MM_ACCESS_WRITE, FALSE, TRUNC_CHILD); }
static void test_read_map (void)         { run_scenario (MM_ACCESS_READ,  FALSE, TRUNC_CHILD); }
static void test_copy_map (void)         { run_scenario (MM_ACCESS_COPY,  FALSE, TRUNC_CHILD); }
static void test_write_map_thread (void) { run_scenario (MM_ACCESS_WRITE, TRUE,  TRUNC_CHILD); }
static void test_read_map_thread (void)  { run_scenario (MM_ACCESS_READ,  TRUE,  TRUNC_CHILD); }
static void test_copy_map_thread (void)  { run_scenario (MM_ACCESS_COPY,  TRUE,  TRUNC_CHILD); }
static void test_truncate_exec (void)    { run_scenario (MM_ACCESS_WRITE, FALSE, TRUNC_EXEC); }

/* The message names file offsets: with the map at an offset, the new end of
 * the file is that offset plus one page. */
static void
test_map_at_offset (void)
{
  run_scenario_at (MM_ACCESS_WRITE, FALSE, TRUNC_CHILD, mm_allocation_granularity ());
  run_scenario_at (MM_ACCESS_COPY, TRUE, TRUNC_CHILD, 2 * mm_allocation_granularity ());
}

/* ---- many threads faulting at once ---------------------------------------- */

#define N_THREADS 4
#define N_ROUNDS 2000

typedef struct {
  MmMap             *map;
  MmView            *view;
  guint8             first;      /* the byte at offset 0 */
  pthread_barrier_t *barrier;
  int                wrong;      /* calls that did not give what they should */
  char               first_wrong[200];
} Racer;

static void
racer_wrong (Racer *r, const char *what, MmStatus st)
{
  if (r->wrong++ == 0)
    snprintf (r->first_wrong, sizeof r->first_wrong, "%s gave %s", what, status_name (st));
}

static void *
racer_thread (void *data)
{
  Racer *r = data;
  const guint8 absent[4] = { 1, 2, 3, 4 };
  guint8 buf[32];
  MmError err;
  MmStatus st;
  int64_t idx;
  uint8_t byte;

  pthread_barrier_wait (r->barrier);
  for (int i = 0; i < N_ROUNDS; i++)
    {
      if ((st = mm_map_get_item (r->map, 2 * ps + i, &byte, &err)) != MM_ERROR_FAULT)
        racer_wrong (r, "get_item past the end", st);
      if ((st = mm_map_find (r->map, absent, 4, 0, INT64_MAX, &idx, &err)) != MM_ERROR_FAULT)
        racer_wrong (r, "find over the map", st);
      if ((st = mm_view_copy (r->view, 3 * ps, buf, sizeof buf, &err)) != MM_ERROR_FAULT)
        racer_wrong (r, "mm_view_copy past the end", st);
      if ((st = mm_map_get_item (r->map, 0, &byte, &err)) != MM_OK || byte != r->first)
        racer_wrong (r, "get_item(0) in the live page", st);
    }
  return NULL;
}

/* Several threads, each with its own map, fault at the same time: each
 * thread's guard catches its own faults, none leaks into another's. */
static void
test_many_threads (void)
{
  g_autoptr (GError) gerr = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mm-fault-XXXXXX", &gerr);
  g_assert_no_error (gerr);
  Racer racers[N_THREADS];
  pthread_t threads[N_THREADS];
  pthread_barrier_t barrier;
  int fds[N_THREADS];
  char *paths[N_THREADS];
  MmError err;

  pthread_barrier_init (&barrier, NULL, N_THREADS);
  for (int t = 0; t < N_THREADS; t++)
    {
      g_autofree guint8 *content = g_malloc ((gsize) (N_PAGES * ps));
      fill_pattern (content, (gsize) (N_PAGES * ps), (guint) t + 11);
      paths[t] = g_strdup_printf ("%s/data-%d.bin", dir, t);
      fds[t] = open (paths[t], O_RDWR | O_CREAT | O_TRUNC, 0600);
      g_assert_cmpint (fds[t], >=, 0);
      g_assert_true (write_all (fds[t], content, (gsize) (N_PAGES * ps)));
      memset (&racers[t], 0, sizeof racers[t]);
      racers[t].first = content[0];
      racers[t].barrier = &barrier;
      g_assert_cmpint (mm_map_new (fds[t], 0, MAP_SHARED, PROT_READ | PROT_WRITE,
                                   t % 2 ? MM_ACCESS_READ : MM_ACCESS_WRITE, 0, true,
                                   &racers[t].map, &err), ==, MM_OK);
      g_assert_cmpint (mm_map_export (racers[t].map, &racers[t].view, &err), ==, MM_OK);
      assert_truncated_elsewhere (paths[t], ps, NULL);
    }
  OP ("many threads faulting at once");
  for (int t = 0; t < N_THREADS; t++)
    g_assert_cmpint (pthread_create (&threads[t], NULL, racer_thread, &racers[t]), ==, 0);
  for (int t = 0; t < N_THREADS; t++)
    g_assert_cmpint (pthread_join (threads[t], NULL), ==, 0);
  OP ("(between calls)");
  for (int t = 0; t < N_THREADS; t++)
    {
      if (racers[t].wrong > 0)
        fail_case ("thread %d: %d of %d calls wrong, the first: %s", t, racers[t].wrong,
                   4 * N_ROUNDS, racers[t].first_wrong);
      mm_view_release (racers[t].view);
      mm_map_free (racers[t].map);
      close (fds[t]);
      g_unlink (paths[t]);
      g_free (paths[t]);
    }
  pthread_barrier_destroy (&barrier);
  g_rmdir (dir);
}

/* ---- faults outside the core's guards ----------------------------------- */

/* These run in a fresh exec of this program, so the handler is in place
 * before the process's first mm_map_new, as a real program would have it. */

enum {
  CHILD_SETUP_FAILED = 10,
  CHILD_CORE_NOT_FAULT = 11,
  CHILD_RAW_TOUCH_SURVIVED = 12,
  CHILD_HANDLER_EXIT = 42,
  CHILD_HANDLER_WRONG_INFO = 43,
};

static volatile uintptr_t child_expected_addr;
static volatile int child_expected_signo;

static void
exit_42 (int sig)
{
  _exit (sig == child_expected_signo ? CHILD_HANDLER_EXIT : CHILD_HANDLER_WRONG_INFO);
}

/* The handler sees the fault as the kernel reported it: signal, address. */
static void
exit_42_if_info_intact (int sig, siginfo_t *info, void *uctx)
{
  if (sig == child_expected_signo && info != NULL && info->si_signo == sig &&
      (uintptr_t) info->si_addr == child_expected_addr && info->si_code > 0)
    _exit (CHILD_HANDLER_EXIT);
  _exit (CHILD_HANDLER_WRONG_INFO);
}

/* mode: "handler", "siginfo", "default" (SIGBUS from a gone page), or
 * "segv-handler", "segv-default" (SIGSEGV from a PROT_NONE page that is not
 * the core's). The program's disposition is set before the first mm_map_new;
 * the core's own call then faults (and is guarded); then a raw touch. */
static int
chain_child (const char *mode)
{
  struct rlimit no_core = { 0, 0 };
  struct sigaction sa;
  char path[] = "/tmp/mm-fault-chain-XXXXXX";
  gboolean segv = g_str_has_prefix (mode, "segv-");
  const char *how = segv ? mode + 5 : mode;
  int64_t len, page;
  MmMap *map = NULL;
  MmView *view = NULL;
  MmError err;
  uint8_t byte;
  guint8 *content;
  volatile uint8_t *raw;
  int fd;

  setrlimit (RLIMIT_CORE, &no_core);
  child_expected_signo = segv ? SIGSEGV : SIGBUS;
  memset (&sa, 0, sizeof sa);
  sigemptyset (&sa.sa_mask);
  if (strcmp (how, "handler") == 0)
    sa.sa_handler = exit_42;
  else if (strcmp (how, "siginfo") == 0)
    {
      sa.sa_sigaction = exit_42_if_info_intact;
      sa.sa_flags = SA_SIGINFO;
    }
  else
    sa.sa_handler = SIG_DFL;
  if (sigaction (child_expected_signo, &sa, NULL) != 0)
    return CHILD_SETUP_FAILED;

  page = mm_pagesize ();
  len = N_PAGES * page;
  content = malloc ((size_t) len);
  fd = mkstemp (path);
  if (content == NULL || fd < 0)
    return CHILD_SETUP_FAILED;
  fill_pattern (content, (gsize) len, 1);
  if (!write_all (fd, content, (gsize) len))
    return CHILD_SETUP_FAILED;

  if (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ, 0, true, &map, &err) != MM_OK ||
      mm_map_export (map, &view, &err) != MM_OK ||
      mm_map_get_item (map, 2 * page, &byte, &err) != MM_OK)
    {
      unlink (path);
      return CHILD_SETUP_FAILED;
    }
  int status = truncate_elsewhere (path, page, NULL);
  unlink (path);
  if (!(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    return CHILD_SETUP_FAILED;

  /* The core's guard is in place and works... */
  if (mm_map_get_item (map, 2 * page, &byte, &err) != MM_ERROR_FAULT)
    return CHILD_CORE_NOT_FAULT;

  /* ...and a raw touch outside it goes to the program's disposition. */
  if (segv)
    {
      void *none = mmap (NULL, (size_t) page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (none == MAP_FAILED)
        return CHILD_SETUP_FAILED;
      raw = (volatile uint8_t *) none + 5;
    }
  else
    raw = mm_view_data (view) + 2 * page + 5;
  child_expected_addr = (uintptr_t) raw;
  byte = *raw;
  (void) byte;
  return CHILD_RAW_TOUCH_SURVIVED;
}

static int
run_chain_child (const char *mode)
{
  char *argv[] = { (char *) "/proc/self/exe", (char *) "--chain-child", (char *) mode, NULL };
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execv ("/proc/self/exe", argv);
      _exit (127);
    }
  int status = 0;
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return status;
}

static const char *
child_exit_meaning (int code)
{
  switch (code)
    {
    case CHILD_SETUP_FAILED: return "setup failed (map, export or the truncation)";
    case CHILD_CORE_NOT_FAULT: return "the core's own call did not return MM_ERROR_FAULT";
    case CHILD_RAW_TOUCH_SURVIVED: return "the raw touch returned normally: the fault was swallowed";
    case CHILD_HANDLER_EXIT: return "the program's own handler ran";
    case CHILD_HANDLER_WRONG_INFO: return "the program's handler ran with the wrong signal, address or si_code";
    case 127: return "exec of /proc/self/exe failed";
    default: return "unexpected";
    }
}

static void
expect_child_handler_ran (const char *mode, const char *sig_name)
{
  int status = run_chain_child (mode);
  if (WIFSIGNALED (status))
    fail_case ("[%s] child died of signal %d (%s): the core did not chain to the program's %s handler",
               mode, WTERMSIG (status), g_strsignal (WTERMSIG (status)), sig_name);
  else if (WEXITSTATUS (status) != CHILD_HANDLER_EXIT)
    fail_case ("[%s] child exited %d (%s), expected 42 from the program's %s handler",
               mode, WEXITSTATUS (status), child_exit_meaning (WEXITSTATUS (status)), sig_name);
}

static void
expect_child_killed_by (const char *mode, int sig)
{
  int status = run_chain_child (mode);
  if (WIFEXITED (status))
    fail_case ("[%s] child exited %d (%s), expected death by %s",
               mode, WEXITSTATUS (status), child_exit_meaning (WEXITSTATUS (status)), g_strsignal (sig));
  else if (WTERMSIG (status) != sig)
    fail_case ("[%s] child died of signal %d (%s), expected %s",
               mode, WTERMSIG (status), g_strsignal (WTERMSIG (status)), g_strsignal (sig));
}

static void
test_chain_to_program_handler (void)
{
  expect_child_handler_ran ("handler", "SIGBUS");
  expect_child_handler_ran ("siginfo", "SA_SIGINFO SIGBUS");
}

static void
test_chain_to_default (void)
{
  expect_child_killed_by ("default", SIGBUS);
}

static void
test_chain_segv (void)
{
  expect_child_handler_ran ("segv-handler", "SIGSEGV");
  expect_child_handler_ran ("segv-siginfo", "SA_SIGINFO SIGSEGV");
  expect_child_killed_by ("segv-default", SIGSEGV);
}

/* ---- disk full ---------------------------------------------------------- */

static gboolean
run_quiet (const char *const *argv, char **why)
{
  g_autoptr (GError) gerr = NULL;
  g_autofree char *err_out = NULL;
  g_autofree char *prog = g_find_program_in_path (argv[0]);
  const char *const *args = argv;
  const char *resolved[16];
  int wait_status = 0;

  /* mke2fs and mount live in sbin, which a non-login PATH may lack. */
  for (int i = 0; prog == NULL && i < 2; i++)
    {
      char *cand = g_build_filename (i == 0 ? "/usr/sbin" : "/sbin", argv[0], NULL);
      if (g_file_test (cand, G_FILE_TEST_IS_EXECUTABLE))
        prog = cand;
      else
        g_free (cand);
    }
  if (prog != NULL)
    {
      gsize i = 0;
      resolved[0] = prog;
      for (i = 1; argv[i] != NULL && i < G_N_ELEMENTS (resolved) - 1; i++)
        resolved[i] = argv[i];
      resolved[i] = NULL;
      args = resolved;
    }
  if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err_out, &wait_status, &gerr))
    {
      *why = g_strdup_printf ("%s: %s", argv[0], gerr->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (wait_status, &gerr))
    {
      *why = g_strdup_printf ("%s: %s: %s", argv[0], gerr->message, g_strstrip (err_out));
      return FALSE;
    }
  return TRUE;
}

/* A small filesystem at dir: tmpfs of 1 MiB, else a loop-mounted ext2 image
 * of 2 MiB. Returns FALSE with the reasons when neither can be mounted. */
static gboolean
mount_small_fs (const char *dir, const char *image, char **why)
{
  g_autofree char *why_loop = NULL;
  int tmpfs_errno;

  /* MM_TEST_SMALL_FS=loop skips tmpfs, to exercise the fallback. */
  if (g_strcmp0 (g_getenv ("MM_TEST_SMALL_FS"), "loop") == 0)
    tmpfs_errno = ENOTSUP;
  else if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700") == 0)
    {
      g_test_message ("filling a tmpfs of 1 MiB at %s", dir);
      return TRUE;
    }
  else
    tmpfs_errno = errno;

  {
    const char *mkfs_argv[] = { "mke2fs", "-q", "-F", "-t", "ext2", image, "2048", NULL };
    const char *mount_argv[] = { "mount", "-o", "loop", image, dir, NULL };
    int ifd = open (image, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (ifd < 0 || ftruncate (ifd, 2 << 20) != 0)
      why_loop = g_strdup_printf ("image %s: %s", image, g_strerror (errno));
    if (ifd >= 0)
      close (ifd);
    if (why_loop == NULL && run_quiet (mkfs_argv, &why_loop) && run_quiet (mount_argv, &why_loop))
      {
        g_test_message ("filling a loop-mounted ext2 image of 2 MiB at %s", dir);
        return TRUE;
      }
  }
  *why = g_strdup_printf ("cannot mount a small filesystem to fill (euid %d): "
                          "mount -t tmpfs -o size=1m: %s; loop-mounted ext2 image: %s",
                          (int) geteuid (), g_strerror (tmpfs_errno), why_loop);
  return FALSE;
}

static void
test_disk_full (void)
{
  g_autoptr (GError) gerr = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mm-full-XXXXXX", &gerr);
  g_assert_no_error (gerr);
  g_autofree char *image = g_strconcat (dir, ".img", NULL);
  g_autofree char *path = g_build_filename (dir, "data.bin", NULL);
  g_autofree char *why = NULL;
  const int64_t size = 64 * 1024, too_big = 8 << 20, fits = 128 * 1024;
  g_autofree guint8 *content = g_malloc (size);
  g_autofree guint8 *back = g_malloc0 (fits);
  MmMap *map = NULL;
  MmError err;
  MmStatus st;
  int64_t len = -1, fsize = -1;
  struct stat sb;
  int fd;

  if (!mount_small_fs (dir, image, &why))
    {
      g_unlink (image);
      g_rmdir (dir);
      g_test_skip (why);
      return;
    }

  fill_pattern (content, size, 7);
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || !write_all (fd, content, size) || fsync (fd) != 0)
    fail_case ("writing %s: %s", path, g_strerror (errno));
  else if ((st = mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_WRITE, 0, true,
                             &map, &err)) != MM_OK)
    fail_case ("mm_map_new on the small filesystem: %s (%s)", status_name (st), err.message);
  else
    {
      OP ("resize beyond the free space");
      st = mm_map_resize (map, too_big, &err);
      OP ("(between calls)");
      if (st != MM_ERROR_OS || err.sys_errno != ENOSPC)
        fail_case ("resize(%" G_GINT64_FORMAT ") on a full disk: %s, errno %d (%s), \"%s\"; "
                            "expected MM_ERROR_OS with ENOSPC", too_big, status_name (st),
                            st == MM_OK ? 0 : err.sys_errno,
                            st == MM_OK ? "" : g_strerror (err.sys_errno),
                            st == MM_OK ? "" : err.message);

      /* The file and the map are as they were. */
      if (fstat (fd, &sb) != 0 || sb.st_size != size)
        fail_case ("after the failed resize the file is %jd bytes, expected %" G_GINT64_FORMAT,
                            (intmax_t) sb.st_size, size);
      else if (pread (fd, back, size, 0) != size || memcmp (back, content, size) != 0)
        fail_case ("after the failed resize the file's content changed");
      if (mm_map_len (map, &len, &err) != MM_OK || len != size)
        fail_case ("after the failed resize the map's len is %" G_GINT64_FORMAT, len);
      else if (mm_map_size (map, &fsize, &err) != MM_OK || fsize != size)
        fail_case ("after the failed resize the map's size() is %" G_GINT64_FORMAT, fsize);
      else if (mm_map_get_slice (map, 0, 1, size, back, &err) != MM_OK ||
               memcmp (back, content, size) != 0)
        fail_case ("after the failed resize the map's content changed");

      /* ...and still resizable where there is room. */
      st = mm_map_resize (map, fits, &err);
      if (st != MM_OK)
        fail_case ("resize(%" G_GINT64_FORMAT ") that fits after the failed one: %s (%s)",
                            fits, status_name (st), err.message);
      else
        {
          memset (back, 0xee, fits);
          g_assert_cmpint (mm_map_get_slice (map, 0, 1, fits, back, &err), ==, MM_OK);
          g_assert_cmpmem (back, size, content, size);
          for (int64_t i = size; i < fits; i++)
            if (back[i] != 0)
              {
                fail_case ("grown byte %" G_GINT64_FORMAT " is %d, not 0", i, back[i]);
                break;
              }
        }
      mm_map_free (map);
    }
  if (fd >= 0)
    close (fd);
  g_unlink (path);

  if (umount2 (dir, 0) != 0 && umount2 (dir, MNT_DETACH) != 0)
    g_test_message ("could not unmount %s: %s", dir, g_strerror (errno));
  g_unlink (image);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--chain-child") == 0)
    return chain_child (argv[2]);

  test_init_keep_going (&argc, &argv);
  ps = mm_pagesize ();
  install_reporter ();

  g_test_add_func ("/mm/fault/write-map", test_write_map);
  g_test_add_func ("/mm/fault/read-map", test_read_map);
  g_test_add_func ("/mm/fault/copy-map", test_copy_map);
  g_test_add_func ("/mm/fault/write-map-second-thread", test_write_map_thread);
  g_test_add_func ("/mm/fault/read-map-second-thread", test_read_map_thread);
  g_test_add_func ("/mm/fault/copy-map-second-thread", test_copy_map_thread);
  g_test_add_func ("/mm/fault/truncated-by-exec-of-truncate", test_truncate_exec);
  g_test_add_func ("/mm/fault/map-at-an-offset", test_map_at_offset);
  g_test_add_func ("/mm/fault/many-threads-faulting-at-once", test_many_threads);
  g_test_add_func ("/mm/fault/unguarded-fault-reaches-program-handler", test_chain_to_program_handler);
  g_test_add_func ("/mm/fault/unguarded-fault-with-default-action-kills", test_chain_to_default);
  g_test_add_func ("/mm/fault/unguarded-segv-reaches-program-handler-or-kills", test_chain_segv);
  g_test_add_func ("/mm/fault/resize-on-full-disk-gives-enospc", test_disk_full);

  return g_test_run ();
}
