/* mm-test-util.c: what the core tests share (see mm-test-util.h). */
#include "mm-test-util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *
status_name (MmStatus status)
{
  switch (status)
    {
    case MM_OK:                return "MM_OK";
    case MM_ERROR_CLOSED:      return "MM_ERROR_CLOSED";
    case MM_ERROR_READONLY:    return "MM_ERROR_READONLY";
    case MM_ERROR_RANGE:       return "MM_ERROR_RANGE";
    case MM_ERROR_INVALID:     return "MM_ERROR_INVALID";
    case MM_ERROR_EXPORTED:    return "MM_ERROR_EXPORTED";
    case MM_ERROR_UNSUPPORTED: return "MM_ERROR_UNSUPPORTED";
    case MM_ERROR_FAULT:       return "MM_ERROR_FAULT";
    case MM_ERROR_OS:          return "MM_ERROR_OS";
    default:                   return "(not an MmStatus)";
    }
}

void
fail_case (const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("FAIL: %s", msg);
  g_test_fail ();
}

void
test_init_keep_going (int    *argc,
                      char ***argv)
{
  /* static: GTest keeps using the vector */
  static char **args;

  args = g_new0 (char *, *argc + 2);
  memcpy (args, *argv, sizeof (char *) * (size_t) *argc);
  args[*argc] = (char *) "--keep-going";
  (*argc)++;
  *argv = args;
  g_test_init (argc, argv, NULL);
}

/* ============================================================ assertions */

void
fail_at (const char *file, int line, const char *format, ...)
{
  va_list ap;
  char *msg;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_assertion_message (G_LOG_DOMAIN, file, line, "", msg);
  g_free (msg);
  abort ();
}

void
check_status (const char *file, int line, const char *expr, MmStatus got,
              const MmError *err, MmStatus want, int want_errno)
{
  if (got != want)
    fail_at (file, line, "%s returned %s, expected %s (message: \"%.*s\")",
             expr, status_name (got), status_name (want),
             (int) sizeof err->message, err->message);
  if (want == MM_OK)
    return;
  if (err->status != want)
    fail_at (file, line, "%s: error->status is %s, expected %s",
             expr, status_name (err->status), status_name (want));
  if (memchr (err->message, '\0', sizeof err->message) == NULL)
    fail_at (file, line, "%s: error->message is not terminated", expr);
  if (err->message[0] == '\0')
    fail_at (file, line, "%s: error->message is empty", expr);
  if (want == MM_ERROR_OS && err->sys_errno == 0)
    fail_at (file, line, "%s: MM_ERROR_OS with sys_errno 0 (\"%s\")", expr, err->message);
  if (want == MM_ERROR_OS && want_errno != 0 && err->sys_errno != want_errno)
    fail_at (file, line, "%s: sys_errno is %d (%s), expected %d (%s) (\"%s\")",
             expr, err->sys_errno, g_strerror (err->sys_errno),
             want_errno, g_strerror (want_errno), err->message);
}

/* ============================================================ files */

int
make_file_with (const void *content, gsize len, int oflags)
{
  char *path = g_build_filename (g_get_tmp_dir (), "test-mm-map-XXXXXX", NULL);
  int fd = mkstemp (path);

  g_assert_cmpint (fd, >=, 0);
  if (len > 0)
    g_assert_cmpint (pwrite (fd, content, len, 0), ==, (gssize) len);
  if (oflags != O_RDWR)
    {
      int fd2 = open (path, oflags | O_CLOEXEC);
      g_assert_cmpint (fd2, >=, 0);
      close (fd);
      fd = fd2;
    }
  g_assert_cmpint (unlink (path), ==, 0);
  g_free (path);
  return fd;
}

int
make_file (const void *content, gsize len)
{
  return make_file_with (content, len, O_RDWR);
}

int
make_file_ro (const void *content, gsize len)
{
  return make_file_with (content, len, O_RDONLY);
}

guint8 *
pattern_new (gsize len)
{
  guint8 *p = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) ('A' + (i * 7 + i / 251) % 53);
  return p;
}

int64_t
file_size (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return st.st_size;
}

guint8 *
file_read (int fd, gsize *len)
{
  int64_t size = file_size (fd);
  guint8 *buf = g_malloc (size + 1);

  g_assert_cmpint (pread (fd, buf, size, 0), ==, size);
  *len = size;
  return buf;
}

void
assert_file_at (const char *file, int line, int fd, const void *expect, gsize len)
{
  gsize flen;
  guint8 *got = file_read (fd, &flen);

  if (flen != len)
    fail_at (file, line, "file size is %" G_GSIZE_FORMAT ", expected %" G_GSIZE_FORMAT, flen, len);
  for (gsize i = 0; i < len; i++)
    if (got[i] != ((const guint8 *) expect)[i])
      fail_at (file, line, "file byte %" G_GSIZE_FORMAT " is 0x%02x, expected 0x%02x",
               i, got[i], ((const guint8 *) expect)[i]);
  g_free (got);
}

int
count_open_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  int n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

bool
fd_is_open (int fd)
{
  return fcntl (fd, F_GETFD) != -1;
}

void
close_fd (int fd)
{
  g_assert_cmpint (close (fd), ==, 0);
}

GArray *
file_mappings (int fd)
{
  GArray *found = g_array_new (FALSE, TRUE, sizeof (Mapping));
  struct stat st;
  char *maps = NULL;
  char **lines;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      Mapping m = { "", 0 };
      unsigned long long off = 0, ino = 0;
      char dev[16];

      if (sscanf (*l, "%*x-%*x %7s %llx %15s %llu", m.perms, &off, dev, &ino) == 4
          && ino == (unsigned long long) st.st_ino)
        {
          m.offset = (int64_t) off;
          g_array_append_val (found, m);
        }
    }
  g_strfreev (lines);
  g_free (maps);
  return found;
}

/* ============================================================ maps */

MmStatus
new_map (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset, MmError *error)
{
  MmMap *map = NULL;
  MmStatus st = mm_map_new (fd, length, flags, prot, acc, offset, true, &map, error);

  mm_map_free (map);
  return st;
}

MmMap *
map_new_ok (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset, bool trackfd)
{
  MmError err;
  MmMap *map = NULL;

  ASSERT_OK (mm_map_new (fd, length, flags, prot, acc, offset, trackfd, &map, &err));
  g_assert_nonnull (map);
  g_assert_false (mm_map_closed (map));
  return map;
}

MmMap *
map_file (int fd, int64_t length, MmAccess acc)
{
  return map_new_ok (fd, length, MAP_SHARED, RW, acc, 0, true);
}

MmMap *
map_anon (int64_t length, int flags)
{
  return map_new_ok (-1, length, flags, RW, MM_ACCESS_DEFAULT, 0, true);
}

/* What a getter of the map (mm_map_len, mm_map_tell) gives; it must succeed. */
static int64_t
map_get (MmStatus (*get) (const MmMap *, int64_t *, MmError *), const char *name, MmMap *map)
{
  MmError err;
  int64_t v = -1;
  MmStatus st;

  memset (&err, 0, sizeof err);
  st = get (map, &v, &err);
  check_status (__FILE__, __LINE__, name, st, &err, MM_OK, 0);
  return v;
}

int64_t
map_len (MmMap *map)
{
  return map_get (mm_map_len, "mm_map_len (map, &len, &err)", map);
}

int64_t
map_pos (MmMap *map)
{
  return map_get (mm_map_tell, "mm_map_tell (map, &pos, &err)", map);
}

void
map_seek (MmMap *map, int64_t pos)
{
  MmError err;
  int64_t new_pos = -1;

  ASSERT_OK (mm_map_seek (map, pos, SEEK_SET, &new_pos, &err));
  g_assert_cmpint (new_pos, ==, pos);
}

uint8_t
map_byte (MmMap *map, int64_t i)
{
  MmError err;
  uint8_t v = 0;

  ASSERT_OK (mm_map_get_item (map, i, &v, &err));
  return v;
}

guint8 *
map_bytes (MmMap *map, int64_t *len)
{
  MmError err;
  int64_t n = map_len (map);
  guint8 *buf = g_malloc (n + 1);

  ASSERT_OK (mm_map_get_slice (map, 0, 1, n, buf, &err));
  *len = n;
  return buf;
}

void
assert_map_at (const char *file, int line, MmMap *map, const void *expect, int64_t len)
{
  int64_t mlen;
  guint8 *got = map_bytes (map, &mlen);

  if (mlen != len)
    fail_at (file, line, "map length is %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             (gint64) mlen, (gint64) len);
  for (int64_t i = 0; i < len; i++)
    if (got[i] != ((const guint8 *) expect)[i])
      fail_at (file, line, "map byte %" G_GINT64_FORMAT " is 0x%02x, expected 0x%02x",
               (gint64) i, got[i], ((const guint8 *) expect)[i]);
  g_free (got);
}

void
snapshot_take (Snapshot *s, MmMap *map, int fd)
{
  memset (s, 0, sizeof *s);
  s->map = map;
  s->fd = fd;
  s->len = map_len (map);
  s->pos = map_pos (map);
  if (mm_map_access (map) != MM_ACCESS_NONE)
    s->bytes = map_bytes (map, &s->len);
  if (fd >= 0)
    s->file = file_read (fd, &s->file_len);
}

void
snapshot_check (const char *file, int line, Snapshot *s)
{
  int64_t len = map_len (s->map), pos = map_pos (s->map);

  if (len != s->len)
    fail_at (file, line, "map length changed: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT,
             (gint64) s->len, (gint64) len);
  if (pos != s->pos)
    fail_at (file, line, "position changed: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT,
             (gint64) s->pos, (gint64) pos);
  if (s->bytes != NULL)
    assert_map_at (file, line, s->map, s->bytes, s->len);
  if (s->file != NULL)
    assert_file_at (file, line, s->fd, s->file, s->file_len);
}

void
snapshot_clear (Snapshot *s)
{
  g_free (s->bytes);
  g_free (s->file);
  memset (s, 0, sizeof *s);
}

/* ============================================================ fixtures */

static Fixture *
fixture_alloc (void)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->fd = -1;
  f->write_fd = -1;
  return f;
}

static Fixture *
fixture_new (const void *content, gsize len, int oflags)
{
  Fixture *f = fixture_alloc ();

  f->fd = make_file_with (content, len, oflags);
  f->bytes = g_memdup2 (content, len);
  f->size = len;
  return f;
}

Fixture *
fixture_file (const void *content, gsize len)
{
  return fixture_new (content, len, O_RDWR);
}

Fixture *
fixture_file_ro (const void *content, gsize len)
{
  return fixture_new (content, len, O_RDONLY);
}

Fixture *
fixture_pattern (gsize size)
{
  guint8 *pat = pattern_new (size);
  Fixture *f = fixture_file (pat, size);

  g_free (pat);
  return f;
}

MmMap *
fixture_map (Fixture *f, MmAccess acc)
{
  g_assert_null (f->map);
  f->map = map_file (f->fd, 0, acc);
  return f->map;
}

Fixture *
fixture_digits (MmAccess acc)
{
  Fixture *f = fixture_file (DIGITS, 10);

  fixture_map (f, acc);
  return f;
}

Fixture *
fixture_digits_at (MmAccess acc, int64_t pos)
{
  Fixture *f = fixture_digits (acc);

  map_seek (f->map, pos);
  return f;
}

Fixture *
fixture_text (const char *text, MmAccess acc)
{
  Fixture *f = fixture_file (text, strlen (text));

  fixture_map (f, acc);
  return f;
}

Fixture *
fixture_two_pages (MmAccess acc)
{
  Fixture *f = fixture_pattern (2 * mm_pagesize ());

  fixture_map (f, acc);
  return f;
}

Fixture *
fixture_anon (int64_t length, int flags)
{
  Fixture *f = fixture_alloc ();

  f->map = map_anon (length, flags);
  return f;
}

Fixture *
fixture_pipe (void)
{
  Fixture *f = fixture_alloc ();
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  f->fd = fds[0];
  f->write_fd = fds[1];
  return f;
}

Fixture *
fixture_dir (void)
{
  Fixture *f = fixture_alloc ();

  f->fd = open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (f->fd, >=, 0);
  return f;
}

void
fixture_free_map (Fixture *f)
{
  snapshot_clear (&f->before);
  mm_map_free (f->map);
  f->map = NULL;
}

Fixture *
fixture_snapshot (Fixture *f)
{
  snapshot_clear (&f->before);
  snapshot_take (&f->before, f->map, f->fd);
  return f;
}

void
fixture_free (Fixture *f)
{
  fixture_free_map (f);
  if (f->fd >= 0)
    close_fd (f->fd);
  if (f->write_fd >= 0)
    close_fd (f->write_fd);
  g_free (f->bytes);
  g_free (f);
}

/* ============================================================ cases */

static bool no_fork;

static void
run_case (gconstpointer data)
{
  const TestCase *c = data;

  if (no_fork || g_test_subprocess ())
    {
      c->func ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  /* not g_test_trap_assert_passed (): that would end the whole run */
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s failed in its subprocess (its stderr is above)", c->path);
}

int
run_cases (int argc, char **argv, const TestCase *cases, gsize n_cases)
{
  test_init_keep_going (&argc, &argv);
  no_fork = g_getenv ("MM_TEST_NOFORK") != NULL;
  for (gsize i = 0; i < n_cases; i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);
  return g_test_run ();
}
