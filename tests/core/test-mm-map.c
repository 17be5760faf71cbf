/* test-mm-map.c: the mmap core (src/core/mm-map.h) against its contract,
 * shared/design/mm-core.md: the construction checks 1..5 in their order, and
 * every row of the behaviour table.
 *
 * Each case runs in a subprocess of its own, so a core that dies (SIGBUS,
 * SIGSEGV, abort) fails that case only. MM_TEST_NOFORK=1 runs the cases in
 * this process instead, for a debugger.
 */

#include "mm-map.h"
#include "mm-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define RW      (PROT_READ | PROT_WRITE)
#define DIGITS  "0123456789"

static int64_t page;    /* mm_pagesize (), set in main */

/* ------------------------------------------------------------ assertions */

G_GNUC_PRINTF (3, 4) G_GNUC_NORETURN static void
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

/* got: what the call returned; want: the status the contract says; for
   MM_ERROR_OS, want_errno is the errno it names (0: any errno). */
static void
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

/* These use an `MmError err` of the enclosing scope, cleared before each call
   so that a message left over from an earlier call does not count. */
#define ASSERT_STATUS(call, want, want_errno) \
  G_STMT_START { \
    MmStatus st_; \
    memset (&err, 0, sizeof err); \
    st_ = (call); \
    check_status (__FILE__, __LINE__, #call, st_, &err, (want), (want_errno)); \
  } G_STMT_END
#define ASSERT_OK(call)         ASSERT_STATUS (call, MM_OK, 0)
#define ASSERT_ERR(call, want)  ASSERT_STATUS (call, want, 0)
#define ASSERT_OS(call, errnum) ASSERT_STATUS (call, MM_ERROR_OS, errnum)

/* ------------------------------------------------------------ files */

/* A fresh temp file holding content, opened with oflags, already unlinked. */
static int
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

static int
make_file (const void *content, gsize len)
{
  return make_file_with (content, len, O_RDWR);
}

static int
make_file_ro (const void *content, gsize len)
{
  return make_file_with (content, len, O_RDONLY);
}

/* Bytes that differ from their neighbours and hold no '\n'. */
static guint8 *
pattern_new (gsize len)
{
  guint8 *p = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    p[i] = (guint8) ('A' + (i * 7 + i / 251) % 53);
  return p;
}

static int64_t
file_size (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return st.st_size;
}

static guint8 *
file_read (int fd, gsize *len)
{
  int64_t size = file_size (fd);
  guint8 *buf = g_malloc (size + 1);

  g_assert_cmpint (pread (fd, buf, size, 0), ==, size);
  *len = size;
  return buf;
}

static void
check_file (const char *file, int line, int fd, const void *expect, gsize len)
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
#define ASSERT_FILE(fd, expect, len) check_file (__FILE__, __LINE__, (fd), (expect), (len))

static int
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

static bool
fd_is_open (int fd)
{
  return fcntl (fd, F_GETFD) != -1;
}

/* ------------------------------------------------------------ maps */

static MmStatus
new_map (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset,
         MmMap **out, MmError *error)
{
  *out = NULL;
  return mm_map_new (fd, length, flags, prot, acc, offset, true, out, error);
}

static MmMap *
map_new_ok (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset, bool trackfd)
{
  MmError err;
  MmMap *map = NULL;

  ASSERT_OK (mm_map_new (fd, length, flags, prot, acc, offset, trackfd, &map, &err));
  g_assert_nonnull (map);
  g_assert_false (mm_map_closed (map));
  return map;
}

static MmMap *
map_file (int fd, int64_t length, MmAccess acc)
{
  return map_new_ok (fd, length, MAP_SHARED, RW, acc, 0, true);
}

static MmMap *
map_anon (int64_t length, int flags)
{
  return map_new_ok (-1, length, flags, RW, MM_ACCESS_DEFAULT, 0, true);
}

/* A map of a fresh file holding "0123456789"; the file goes to *fd. */
static MmMap *
map_digits (MmAccess acc, int *fd)
{
  *fd = make_file (DIGITS, 10);
  return map_file (*fd, 0, acc);
}

static MmMap *
map_text (const char *text, MmAccess acc, int *fd)
{
  *fd = make_file (text, strlen (text));
  return map_file (*fd, 0, acc);
}

static int64_t
map_len (MmMap *map)
{
  MmError err;
  int64_t len = -1;

  ASSERT_OK (mm_map_len (map, &len, &err));
  return len;
}

static int64_t
map_pos (MmMap *map)
{
  MmError err;
  int64_t pos = -1;

  ASSERT_OK (mm_map_tell (map, &pos, &err));
  return pos;
}

static void
map_seek (MmMap *map, int64_t pos)
{
  MmError err;
  int64_t new_pos = -1;

  ASSERT_OK (mm_map_seek (map, pos, SEEK_SET, &new_pos, &err));
  g_assert_cmpint (new_pos, ==, pos);
}

/* The whole mapping, through get_slice (not on a NONE map). */
static guint8 *
map_bytes (MmMap *map, int64_t *len)
{
  MmError err;
  int64_t n = map_len (map);
  guint8 *buf = g_malloc (n + 1);

  ASSERT_OK (mm_map_get_slice (map, 0, 1, n, buf, &err));
  *len = n;
  return buf;
}

static void
check_map (const char *file, int line, MmMap *map, const void *expect, int64_t len)
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
#define ASSERT_MAP(map, expect, len) check_map (__FILE__, __LINE__, (map), (expect), (len))

static uint8_t
map_byte (MmMap *map, int64_t i)
{
  MmError err;
  uint8_t v = 0;

  ASSERT_OK (mm_map_get_item (map, i, &v, &err));
  return v;
}

/* What a failed call must leave as it was: the map's length, position and
   bytes (unless it has no access), and the file's size and bytes (fd >= 0). */
typedef struct {
  MmMap  *map;
  int     fd;
  int64_t len, pos;
  guint8 *bytes;
  guint8 *file;
  gsize   file_len;
} Snapshot;

static void
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

static void
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
    check_map (file, line, s->map, s->bytes, s->len);
  if (s->file != NULL)
    check_file (file, line, s->fd, s->file, s->file_len);
}
#define ASSERT_UNCHANGED(s) snapshot_check (__FILE__, __LINE__, &(s))

static void
snapshot_clear (Snapshot *s)
{
  g_free (s->bytes);
  g_free (s->file);
  memset (s, 0, sizeof *s);
}

static void
close_fd (int fd)
{
  g_assert_cmpint (close (fd), ==, 0);
}

/* ------------------------------------------------------------ process */

/* The permissions the kernel shows for the mapping of fd's file at the given
   file offset, e.g. "rw-s" ("" when there is none). */
static char *
mapping_perms (int fd, int64_t offset)
{
  struct stat st;
  char *maps = NULL;
  char **lines;
  char *perms = g_strdup ("");

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      char p[8] = "";
      unsigned long long off = 0, ino = 0;
      char dev[16];

      if (sscanf (*l, "%*x-%*x %7s %llx %15s %llu", p, &off, dev, &ino) == 4
          && ino == (unsigned long long) st.st_ino && off == (unsigned long long) offset)
        {
          g_free (perms);
          perms = g_strdup (p);
        }
    }
  g_strfreev (lines);
  g_free (maps);
  return perms;
}

/* The map's address, through a view (released at once: the address stays
   valid while the map is neither resized nor closed). */
static guint8 *
map_address (MmMap *map)
{
  MmError err;
  MmView *view = NULL;
  guint8 *data;

  ASSERT_OK (mm_map_export (map, &view, &err));
  data = mm_view_data (view);
  mm_view_release (view);
  return data;
}

static int64_t
address_space_in_use (void)
{
  char *status = NULL;
  const char *vm;
  int64_t kib = -1;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  vm = strstr (status, "VmSize:");
  g_assert_nonnull (vm);
  kib = g_ascii_strtoll (vm + strlen ("VmSize:"), NULL, 10);
  g_free (status);
  return kib * 1024;
}

/* ============================================================ construction */

/* Check 1. */
static void
test_new_negative_length_is_range (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, -1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, INT64_MIN, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (-1, -1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_new_negative_offset_is_range (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, -page, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, -1, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, INT64_MIN, &map, &err), MM_ERROR_RANGE);
  close_fd (fd);
}

/* Check 1 before check 2. */
static void
test_new_negative_length_checked_before_access_conflict (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, -1, MAP_PRIVATE, RW, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, -1, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, 10, MAP_PRIVATE, PROT_READ, MM_ACCESS_COPY, -page, &map, &err), MM_ERROR_RANGE);
  close_fd (fd);
}

/* Check 1 before checks 4 and 5. */
static void
test_new_negative_length_checked_before_file (void)
{
  MmError err;
  MmMap *map;
  int empty = make_file ("", 0);
  int ro = make_file_ro (DIGITS, 10);
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  ASSERT_ERR (new_map (empty, -1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (ro, -1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fds[0], -1, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (ro, 10, MAP_SHARED, RW, MM_ACCESS_DEFAULT, -1, &map, &err), MM_ERROR_RANGE);
  close_fd (fds[0]);
  close_fd (fds[1]);
  close_fd (empty);
  close_fd (ro);
}

/* Check 2. */
static void
test_new_access_with_flags_is_invalid (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  /* even when the flags agree with what the access would give */
  ASSERT_ERR (new_map (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_COPY, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED | MAP_POPULATE, RW, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (-1, 10, MAP_PRIVATE, RW, MM_ACCESS_NONE, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_new_access_with_prot_is_invalid (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  /* even when the prot agrees with what the access would give */
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, PROT_NONE, MM_ACCESS_NONE, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW | PROT_EXEC, MM_ACCESS_COPY, 0, &map, &err), MM_ERROR_INVALID);
  close_fd (fd);
}

/* Check 2 before checks 4 and 5: the file would fail too, differently. */
static void
test_new_access_conflict_checked_before_file (void)
{
  MmError err;
  MmMap *map;
  int ro = make_file_ro (DIGITS, 10);
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  ASSERT_ERR (new_map (ro, 0, MAP_SHARED, PROT_READ, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fds[0], 10, MAP_PRIVATE, RW, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (ro, 0, MAP_PRIVATE, RW, MM_ACCESS_READ, 1, &map, &err), MM_ERROR_INVALID);
  close_fd (fds[0]);
  close_fd (fds[1]);
  close_fd (ro);
}

/* Check 3: an access value outside the enum, after checks 1 and 2. */
static void
test_new_unknown_access_is_invalid (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, (MmAccess) 5, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, (MmAccess) 99, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (-1, 10, MAP_SHARED, RW, (MmAccess) 5, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_new_unknown_access_checked_after_range (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file (DIGITS, 10);

  ASSERT_ERR (new_map (fd, -1, MAP_SHARED, RW, (MmAccess) 5, 0, &map, &err), MM_ERROR_RANGE);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, (MmAccess) 99, -1, &map, &err), MM_ERROR_RANGE);
  close_fd (fd);
}

/* Check 3 before check 5. */
static void
test_new_unknown_access_checked_before_mmap (void)
{
  MmError err;
  MmMap *map;
  int ro = make_file_ro (DIGITS, 10);
  int big = make_file (NULL, 0);
  int fds[2];

  g_assert_cmpint (ftruncate (big, 2 * page), ==, 0);
  g_assert_cmpint (pipe (fds), ==, 0);
  ASSERT_ERR (new_map (fds[0], 10, MAP_SHARED, RW, (MmAccess) 5, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (ro, 0, MAP_SHARED, RW, (MmAccess) 5, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (big, 10, MAP_SHARED, RW, (MmAccess) 5, 1, &map, &err), MM_ERROR_INVALID);
  close_fd (fds[0]);
  close_fd (fds[1]);
  close_fd (ro);
  close_fd (big);
}

/* Check 3: an explicit access is reported as given. */
static void
test_new_explicit_access_is_reported (void)
{
  const MmAccess all[] = { MM_ACCESS_READ, MM_ACCESS_WRITE, MM_ACCESS_COPY, MM_ACCESS_NONE };
  int fd = make_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      MmMap *map = map_file (fd, 0, all[i]);
      g_assert_cmpint (mm_map_access (map), ==, all[i]);
      g_assert_cmpint (map_len (map), ==, 10);
      mm_map_free (map);
    }
  close_fd (fd);
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
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MmMap *map = map_new_ok (fd, 0, cases[i].flags, cases[i].prot, cases[i].acc, page, true);
      char *perms = mapping_perms (fd, page);

      if (strcmp (perms, cases[i].perms) != 0)
        fail_at (__FILE__, __LINE__, "case %u (access %d, flags 0x%x, prot 0x%x): mapped \"%s\", expected \"%s\"",
                 i, cases[i].acc, cases[i].flags, cases[i].prot, perms, cases[i].perms);
      g_free (perms);
      mm_map_free (map);
      perms = mapping_perms (fd, page);
      g_assert_cmpstr (perms, ==, "");    /* unmapped */
      g_free (perms);
    }
  g_free (pat);
  close_fd (fd);
}

/* Check 3: DEFAULT with PROT_READ alone is READ, and behaves as READ. */
static void
test_new_default_prot_read_is_read (void)
{
  MmError err;
  int fd = make_file_ro (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  MmView *view = NULL;
  int64_t n;

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_READ);
  ASSERT_MAP (map, DIGITS, 10);
  ASSERT_ERR (mm_map_write (map, "x", 1, &n, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (map, 0, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_READONLY);
  ASSERT_OK (mm_map_export (map, &view, &err));
  g_assert_true (mm_view_readonly (view));
  mm_view_release (view);
  mm_map_free (map);

  /* MAP_PRIVATE does not change that */
  map = map_new_ok (fd, 0, MAP_PRIVATE, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_READ);
  ASSERT_ERR (mm_map_write_byte (map, 'x', &err), MM_ERROR_READONLY);
  mm_map_free (map);
  close_fd (fd);
}

/* Check 3: DEFAULT with PROT_WRITE and no PROT_READ is WRITE: write-through. */
static void
test_new_default_prot_write_only_is_write (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, PROT_WRITE, MM_ACCESS_DEFAULT, 0, true);
  int64_t n;

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_write (map, "ab", 2, &n, &err));
  g_assert_cmpint (n, ==, 2);
  ASSERT_FILE (fd, "ab23456789", 10);
  mm_map_free (map);
  close_fd (fd);
}

/* Check 3: READ|WRITE with MAP_PRIVATE stays DEFAULT: writable, private, resizable. */
static void
test_new_default_private_read_write_stays_default_and_resizable (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  MmView *view = NULL;

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_DEFAULT);
  ASSERT_OK (mm_map_set_item (map, 0, 'x', &err));
  g_assert_cmpuint (map_byte (map, 0), ==, 'x');
  ASSERT_FILE (fd, DIGITS, 10);       /* private */
  ASSERT_OK (mm_map_export (map, &view, &err));
  g_assert_false (mm_view_readonly (view));
  mm_view_release (view);

  ASSERT_OK (mm_map_resize (map, 20, &err));
  g_assert_cmpint (map_len (map), ==, 20);
  g_assert_cmpint (file_size (fd), ==, 20);
  g_assert_cmpuint (map_byte (map, 9), ==, '9');
  g_assert_cmpuint (map_byte (map, 19), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_new_default_shared_read_write_stays_default (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, true);

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_DEFAULT);
  ASSERT_OK (mm_map_set_item (map, -1, 'x', &err));
  ASSERT_FILE (fd, "012345678x", 10);   /* shared: write-through */
  mm_map_free (map);
  close_fd (fd);
}

/* Check 3: READ|EXEC and 0 are reported as READ. */
static void
test_new_default_other_prot_is_read (void)
{
  MmError err;
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
  MmError err;
  MmMap *map;
  int fd = make_file ("", 0);

  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 1, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  g_assert_cmpint (file_size (fd), ==, 0);
  close_fd (fd);
}

static void
test_new_length_zero_maps_rest_of_file_from_offset (void)
{
  gsize size = 2 * page + 10;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map;

  map = map_file (fd, 0, MM_ACCESS_READ);
  ASSERT_MAP (map, pat, size);
  mm_map_free (map);

  map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  ASSERT_MAP (map, pat + page, page + 10);
  mm_map_free (map);

  map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 2 * page, true);
  ASSERT_MAP (map, pat + 2 * page, 10);
  mm_map_free (map);

  g_free (pat);
  close_fd (fd);
}

static void
test_new_length_and_offset_within_file (void)
{
  gsize size = 2 * page + 10;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map;

  map = map_new_ok (fd, page + 10, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_MAP (map, pat + page, page + 10);
  mm_map_free (map);
  map = map_new_ok (fd, 5, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_MAP (map, pat + page, 5);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

static void
test_new_length_zero_offset_at_or_past_size_is_invalid (void)
{
  MmError err;
  MmMap *map;
  guint8 *pat = pattern_new (page);
  int fd = make_file (pat, page);

  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, page, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 2 * page, &map, &err), MM_ERROR_INVALID);
  ASSERT_FILE (fd, pat, page);
  g_free (pat);
  close_fd (fd);
}

static void
test_new_length_greater_than_file_is_invalid (void)
{
  MmError err;
  MmMap *map;
  gsize size = page + 10;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);

  ASSERT_ERR (new_map (fd, size + 1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 11, MAP_SHARED, RW, MM_ACCESS_WRITE, page, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 1, MAP_SHARED, RW, MM_ACCESS_READ, 2 * page, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, INT64_MAX, MAP_SHARED, RW, MM_ACCESS_READ, page, &map, &err), MM_ERROR_INVALID);
  /* the file is not extended */
  ASSERT_FILE (fd, pat, size);
  g_free (pat);
  close_fd (fd);
}

/* Check 4 before check 5: the mmap(2) call would fail too, differently. */
static void
test_new_file_checks_before_mmap (void)
{
  MmError err;
  MmMap *map;
  int empty_ro = make_file_ro ("", 0);
  int ro = make_file_ro (DIGITS, 10);
  int fd = make_file (DIGITS, 10);

  /* a read-only fd would be EACCES */
  ASSERT_ERR (new_map (empty_ro, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (ro, 11, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, &map, &err), MM_ERROR_INVALID);
  /* an unaligned offset would be EINVAL */
  ASSERT_ERR (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 10, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 1, &map, &err), MM_ERROR_INVALID);
  ASSERT_ERR (new_map (fd, 1, MAP_SHARED, RW, MM_ACCESS_DEFAULT, page + 1, &map, &err), MM_ERROR_INVALID);
  close_fd (empty_ro);
  close_fd (ro);
  close_fd (fd);
}

/* Check 5. */
static void
test_new_unaligned_offset_is_os_einval (void)
{
  MmError err;
  MmMap *map;
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);

  g_assert_cmpint (mm_allocation_granularity () % page, ==, 0);
  ASSERT_OS (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 1, &map, &err), EINVAL);
  ASSERT_OS (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, page / 2, &map, &err), EINVAL);
  ASSERT_OS (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_COPY, page + 1, &map, &err), EINVAL);
  ASSERT_FILE (fd, pat, size);
  g_free (pat);
  close_fd (fd);
}

static void
test_new_readonly_fd_default_or_write_is_os_eacces (void)
{
  MmError err;
  MmMap *map;
  int fd = make_file_ro (DIGITS, 10);

  ASSERT_OS (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), EACCES);
  ASSERT_OS (new_map (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, &map, &err), EACCES);
  ASSERT_OS (new_map (fd, 5, MAP_SHARED, PROT_WRITE, MM_ACCESS_DEFAULT, 0, &map, &err), EACCES);
  close_fd (fd);
}

static void
test_new_readonly_fd_read_and_copy_are_fine (void)
{
  MmError err;
  int fd = make_file_ro (DIGITS, 10);
  MmMap *map;

  map = map_file (fd, 0, MM_ACCESS_READ);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_READ);
  ASSERT_MAP (map, DIGITS, 10);
  mm_map_free (map);

  map = map_file (fd, 0, MM_ACCESS_COPY);
  ASSERT_OK (mm_map_set_item (map, 0, 'x', &err));
  ASSERT_MAP (map, "x123456789", 10);
  ASSERT_FILE (fd, DIGITS, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_new_directory_fd_is_os (void)
{
  MmError err;
  MmMap *map;
  int fd = open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  ASSERT_OS (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), 0);
  ASSERT_OS (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), 0);
  close_fd (fd);
}

static void
test_new_pipe_fd_is_os (void)
{
  MmError err;
  MmMap *map;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  ASSERT_OS (new_map (fds[0], 10, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), 0);
  ASSERT_OS (new_map (fds[1], page, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), 0);
  close_fd (fds[0]);
  close_fd (fds[1]);
}

/* Check 4 is for regular files only; mmap(2) refuses a length of 0. */
static void
test_new_length_zero_on_non_regular_is_os_einval (void)
{
  MmError err;
  MmMap *map;
  int dir = open (g_get_tmp_dir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int fds[2];

  g_assert_cmpint (dir, >=, 0);
  g_assert_cmpint (pipe (fds), ==, 0);
  ASSERT_OS (new_map (fds[0], 0, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), EINVAL);
  ASSERT_OS (new_map (dir, 0, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), EINVAL);
  close_fd (fds[0]);
  close_fd (fds[1]);
  close_fd (dir);
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
  MmError err;
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
  int fd = make_file (DIGITS, 10);
  int before = count_open_fds ();
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);

  g_assert_cmpint (count_open_fds (), ==, before);
  ASSERT_MAP (map, DIGITS, 10);
  mm_map_free (map);
  g_assert_true (fd_is_open (fd));
  g_assert_cmpint (count_open_fds (), ==, before);
  close_fd (fd);
}

/* Check 5: an fd that is not open fails in the system call. */
static void
test_new_bad_fd_is_os_ebadf (void)
{
  MmError err;
  MmMap *map = NULL;
  int fd = make_file (DIGITS, 10);

  close_fd (fd);    /* fd is now a number that names nothing */
  ASSERT_OS (new_map (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, 0, &map, &err), EBADF);
  ASSERT_OS (mm_map_new (fd, 10, MAP_SHARED, RW, MM_ACCESS_READ, 0, false, &map, &err), EBADF);
}

/* As CPython: mmap(-1, 0) is OSError EINVAL. */
static void
test_new_anonymous_length_zero_is_os_einval (void)
{
  MmError err;
  MmMap *map = NULL;

  ASSERT_OS (new_map (-1, 0, MAP_SHARED, RW, MM_ACCESS_DEFAULT, 0, &map, &err), EINVAL);
  ASSERT_OS (new_map (-1, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, &map, &err), EINVAL);
}

/* Offsets are 64-bit: a map 5 GiB into a sparse file, and its resize. */
static void
test_new_offset_beyond_4gib (void)
{
  MmError err;
  int64_t off = (INT64_C (5) << 30);
  int fd = make_file (NULL, 0);
  MmMap *map;
  int64_t v = -1;

  if (ftruncate (fd, off) != 0)
    {
      g_test_skip ("the temp file system has no room for a sparse 5 GiB file");
      close_fd (fd);
      return;
    }
  g_assert_cmpint (pwrite (fd, DIGITS, 10, off), ==, 10);
  map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, off, true);
  ASSERT_MAP (map, DIGITS, 10);
  ASSERT_OK (mm_map_size (map, &v, &err));
  g_assert_cmpint (v, ==, off + 10);
  ASSERT_OK (mm_map_resize (map, 20, &err));
  g_assert_cmpint (file_size (fd), ==, off + 20);
  ASSERT_OK (mm_map_set_item (map, 19, 'z', &err));
  {
    char buf[20];
    g_assert_cmpint (pread (fd, buf, 20, off), ==, 20);
    g_assert_cmpmem (buf, 20, DIGITS "\0\0\0\0\0\0\0\0\0z", 20);
  }
  mm_map_free (map);
  close_fd (fd);
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
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  guint8 buf[32];
  int64_t v;
  uint8_t b;
  MmView *view = NULL;

  ASSERT_OK (mm_map_close (map, &err));
  g_assert_true (mm_map_closed (map));
  ASSERT_ERR (mm_map_len (map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_size (map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_tell (map, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_seek (map, 0, SEEK_SET, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read (map, buf, 3, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read (map, buf, -1, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_readline (map, buf, sizeof buf, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_write (map, "ab", 2, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_write_byte (map, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_item (map, 0, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_item (map, 0, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_slice (map, 0, 1, 3, buf, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, 3, "abc", 3, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_find (map, "1", 1, 0, INT64_MAX, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_rfind (map, "1", 1, 0, INT64_MAX, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_move (map, 0, 1, 2, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_flush (map, 0, 10, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 0, 10, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_export (map, &view, &err), MM_ERROR_CLOSED);
  g_assert_cmpuint (mm_map_exports (map), ==, 0);
  g_assert_true (mm_map_closed (map));
  mm_map_free (map);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_close_twice_is_fine (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_DEFAULT, &fd);

  g_assert_false (mm_map_closed (map));
  ASSERT_OK (mm_map_close (map, &err));
  g_assert_true (mm_map_closed (map));
  ASSERT_OK (mm_map_close (map, &err));
  g_assert_true (mm_map_closed (map));
  mm_map_free (map);

  map = map_anon (10, MAP_SHARED);
  ASSERT_OK (mm_map_close (map, NULL));
  ASSERT_OK (mm_map_close (map, NULL));
  mm_map_free (map);
  close_fd (fd);
}

/* CLOSED comes before READONLY, INVALID (no access), RANGE. */
static void
test_close_closed_checked_first (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map;
  uint8_t b;
  int64_t v;

  map = map_file (fd, 0, MM_ACCESS_READ);
  ASSERT_OK (mm_map_close (map, &err));
  ASSERT_ERR (mm_map_write (map, "a", 1, &v, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_set_item (map, 100, 'a', &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_seek (map, 0, 7, &v, &err), MM_ERROR_CLOSED);
  mm_map_free (map);

  map = map_file (fd, 0, MM_ACCESS_NONE);
  ASSERT_OK (mm_map_close (map, &err));
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_get_item (map, 0, &b, &err), MM_ERROR_CLOSED);
  mm_map_free (map);

  map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  ASSERT_OK (mm_map_close (map, &err));
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_CLOSED);
  ASSERT_ERR (mm_map_size (map, &v, &err), MM_ERROR_CLOSED);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_close_refused_while_exported_map_stays_open (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  MmView *v1 = NULL, *v2 = NULL;

  ASSERT_OK (mm_map_export (map, &v1, &err));
  ASSERT_OK (mm_map_export (map, &v2, &err));
  ASSERT_ERR (mm_map_close (map, &err), MM_ERROR_EXPORTED);
  g_assert_false (mm_map_closed (map));
  ASSERT_MAP (map, DIGITS, 10);
  g_assert_cmpmem (mm_view_data (v1), 10, DIGITS, 10);
  mm_view_release (v1);
  ASSERT_ERR (mm_map_close (map, &err), MM_ERROR_EXPORTED);
  g_assert_false (mm_map_closed (map));
  ASSERT_OK (mm_map_set_item (map, 0, 'x', &err));
  ASSERT_FILE (fd, "x123456789", 10);
  mm_view_release (v2);
  ASSERT_OK (mm_map_close (map, &err));
  g_assert_true (mm_map_closed (map));
  mm_map_free (map);
  close_fd (fd);
}

static void
test_close_unmaps_and_closes_the_dup_not_the_callers_fd (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  int before = count_open_fds ();
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);

  g_assert_cmpint (count_open_fds (), ==, before + 1);
  {
    char *perms = mapping_perms (fd, 0);
    g_assert_cmpstr (perms, ==, "rw-s");
    g_free (perms);
  }
  ASSERT_OK (mm_map_close (map, &err));
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (fd));
  {
    char *perms = mapping_perms (fd, 0);
    g_assert_cmpstr (perms, ==, "");    /* unmapped */
    g_free (perms);
  }
  mm_map_free (map);
  g_assert_cmpint (count_open_fds (), ==, before);

  /* free of an open map closes it too */
  map = map_file (fd, 0, MM_ACCESS_READ);
  g_assert_cmpint (count_open_fds (), ==, before + 1);
  mm_map_free (map);
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (fd));
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_free_null_is_fine (void)
{
  mm_map_free (NULL);
}

/* ============================================================ read */

static void
test_read_returns_bytes_and_advances (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[32] = "";
  int64_t n = -1;

  ASSERT_OK (mm_map_read (map, buf, 3, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpmem (buf, 3, "012", 3);
  g_assert_cmpint (map_pos (map), ==, 3);
  ASSERT_OK (mm_map_read (map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpmem (buf, 4, "3456", 4);
  g_assert_cmpint (map_pos (map), ==, 7);
  ASSERT_OK (mm_map_read (map, buf, 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 7);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_read_negative_n_reads_the_rest (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (map, 4);
  ASSERT_OK (mm_map_read (map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 6);
  g_assert_cmpmem (buf, 6, "456789", 6);
  g_assert_cmpint (map_pos (map), ==, 10);

  map_seek (map, 0);
  ASSERT_OK (mm_map_read (map, buf, INT64_MIN, &n, &err));
  g_assert_cmpint (n, ==, 10);
  g_assert_cmpmem (buf, 10, DIGITS, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_read_too_large_n_reads_the_rest (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (map, 7);
  ASSERT_OK (mm_map_read (map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpmem (buf, 3, "789", 3);
  g_assert_cmpint (map_pos (map), ==, 10);

  /* pos + n overflows */
  map_seek (map, 3);
  ASSERT_OK (mm_map_read (map, buf, INT64_MAX, &n, &err));
  g_assert_cmpint (n, ==, 7);
  g_assert_cmpmem (buf, 7, "3456789", 7);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_read_at_end_gives_nothing (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[32] = "";
  int64_t n = -1;

  map_seek (map, 10);
  ASSERT_OK (mm_map_read (map, buf, 5, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_read (map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_read_byte_returns_byte_and_advances (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  uint8_t b = 0;

  ASSERT_OK (mm_map_read_byte (map, &b, &err));
  g_assert_cmpuint (b, ==, '0');
  g_assert_cmpint (map_pos (map), ==, 1);
  map_seek (map, 9);
  ASSERT_OK (mm_map_read_byte (map, &b, &err));
  g_assert_cmpuint (b, ==, '9');
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_read_byte_at_end_is_range_pos_kept (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  uint8_t b = 0;

  map_seek (map, 10);
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ readline */

static void
test_readline_through_newline (void)
{
  MmError err;
  int fd;
  MmMap *map = map_text ("ab\ncd\n\nef", MM_ACCESS_READ, &fd);
  char buf[64];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "ab\n", 3);
  g_assert_cmpint (map_pos (map), ==, 3);
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "cd\n", 3);
  g_assert_cmpint (map_pos (map), ==, 6);
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "\n", 1);
  g_assert_cmpint (map_pos (map), ==, 7);
  /* the last line has no newline: to the end */
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpmem (buf, n, "ef", 2);
  g_assert_cmpint (map_pos (map), ==, 9);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_readline_at_end_gives_nothing (void)
{
  MmError err;
  int fd;
  MmMap *map = map_text ("ab\n", MM_ACCESS_READ, &fd);
  char buf[64];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 3);
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 3);
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_readline_long_line_in_pieces (void)
{
  MmError err;
  int fd;
  MmMap *map = map_text ("abcdefghij\nxy", MM_ACCESS_READ, &fd);
  char buf[8];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "abcd", 4);
  g_assert_cmpint (map_pos (map), ==, 4);
  ASSERT_OK (mm_map_readline (map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "efgh", 4);
  g_assert_cmpint (map_pos (map), ==, 8);
  ASSERT_OK (mm_map_readline (map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "ij\n", 3);
  g_assert_cmpint (map_pos (map), ==, 11);
  ASSERT_OK (mm_map_readline (map, buf, 4, &n, &err));
  g_assert_cmpmem (buf, n, "xy", 2);
  g_assert_cmpint (map_pos (map), ==, 13);
  ASSERT_OK (mm_map_readline (map, buf, 4, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 13);
  mm_map_free (map);
  close_fd (fd);
}

/* A line of exactly dst_size bytes comes back whole; one byte more, the
   newline comes alone. */
static void
test_readline_piece_boundary_at_newline (void)
{
  MmError err;
  int fd;
  MmMap *map = map_text ("ab\ncd\nef", MM_ACCESS_READ, &fd);
  char buf[8];
  int64_t n = -1;

  ASSERT_OK (mm_map_readline (map, buf, 3, &n, &err));
  g_assert_cmpmem (buf, n, "ab\n", 3);
  ASSERT_OK (mm_map_readline (map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "cd", 2);
  g_assert_cmpint (map_pos (map), ==, 5);
  ASSERT_OK (mm_map_readline (map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "\n", 1);
  g_assert_cmpint (map_pos (map), ==, 6);
  ASSERT_OK (mm_map_readline (map, buf, 2, &n, &err));
  g_assert_cmpmem (buf, n, "ef", 2);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ write */

static void
test_write_returns_n_and_advances (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  int64_t n = -1;

  ASSERT_OK (mm_map_write (map, "ab", 2, &n, &err));
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (map_pos (map), ==, 2);
  ASSERT_OK (mm_map_write (map, "cde", 3, &n, &err));
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (map_pos (map), ==, 5);
  ASSERT_OK (mm_map_write (map, "", 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 5);
  ASSERT_MAP (map, "abcde56789", 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_up_to_the_end_is_fine (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  int64_t n = -1;

  map_seek (map, 7);
  ASSERT_OK (mm_map_write (map, "xyz", 3, &n, &err));
  g_assert_cmpint (map_pos (map), ==, 10);
  ASSERT_OK (mm_map_write (map, "", 0, &n, &err));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (map_pos (map), ==, 10);
  ASSERT_FILE (fd, "0123456xyz", 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_reaches_the_file_with_write_access (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  int64_t n;

  map_seek (map, 3);
  ASSERT_OK (mm_map_write (map, "abc", 3, &n, &err));
  ASSERT_OK (mm_map_write_byte (map, 'Z', &err));
  ASSERT_OK (mm_map_set_item (map, 0, 'Q', &err));
  ASSERT_FILE (fd, "Q12abcZ789", 10);
  mm_map_free (map);
  ASSERT_FILE (fd, "Q12abcZ789", 10);
  close_fd (fd);
}

static void
test_write_does_not_reach_the_file_with_copy_access (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_COPY, &fd);
  int64_t n;

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_COPY);
  map_seek (map, 3);
  ASSERT_OK (mm_map_write (map, "abc", 3, &n, &err));
  ASSERT_OK (mm_map_write_byte (map, 'Z', &err));
  ASSERT_OK (mm_map_set_item (map, 0, 'Q', &err));
  ASSERT_OK (mm_map_set_slice (map, 9, -1, 2, "mn", 2, &err));
  ASSERT_OK (mm_map_move (map, 1, 3, 1, &err));
  ASSERT_MAP (map, "Qa2abcZ7nm", 10);
  ASSERT_OK (mm_map_flush (map, 0, 10, &err));
  ASSERT_FILE (fd, DIGITS, 10);
  mm_map_free (map);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_write_readonly_map_is_readonly (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  Snapshot s;
  int64_t n = -1;

  map_seek (map, 2);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write (map, "ab", 2, &n, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_readonly_checked_before_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t n = -1;

  map_seek (map, 9);
  ASSERT_ERR (mm_map_write (map, "abc", 3, &n, &err), MM_ERROR_READONLY);
  map_seek (map, 10);
  ASSERT_ERR (mm_map_write (map, "abc", 3, &n, &err), MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_past_end_is_range_nothing_written_pos_kept (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;
  int64_t n = -1;

  map_seek (map, 8);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write (map, "abc", 3, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  /* pos + n overflows */
  ASSERT_ERR (mm_map_write (map, "abc", INT64_MAX, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  map_seek (map, 10);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write (map, "a", 1, &n, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_byte_writes_and_advances (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_write_byte (map, 'a', &err));
  g_assert_cmpint (map_pos (map), ==, 1);
  map_seek (map, 9);
  ASSERT_OK (mm_map_write_byte (map, 'z', &err));
  g_assert_cmpint (map_pos (map), ==, 10);
  ASSERT_FILE (fd, "a12345678z", 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_byte_readonly_before_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  Snapshot s;

  map_seek (map, 4);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write_byte (map, 'a', &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  map_seek (map, 10);
  ASSERT_ERR (mm_map_write_byte (map, 'a', &err), MM_ERROR_READONLY);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_write_byte_at_end_is_range_pos_kept (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;

  map_seek (map, 10);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write_byte (map, 'a', &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ seek, tell */

static void
test_seek_set_cur_end (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t p = -1;

  ASSERT_OK (mm_map_seek (map, 4, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 4);
  ASSERT_OK (mm_map_seek (map, 3, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 7);
  ASSERT_OK (mm_map_seek (map, -5, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 2);
  ASSERT_OK (mm_map_seek (map, -3, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 7);
  g_assert_cmpint (map_pos (map), ==, 7);
  ASSERT_OK (mm_map_seek (map, -10, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_seek_to_exact_length_is_allowed (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t p = -1;

  ASSERT_OK (mm_map_seek (map, 10, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 10);
  ASSERT_OK (mm_map_seek (map, 0, SEEK_END, &p, &err));
  g_assert_cmpint (p, ==, 10);
  map_seek (map, 4);
  ASSERT_OK (mm_map_seek (map, 6, SEEK_CUR, &p, &err));
  g_assert_cmpint (p, ==, 10);
  g_assert_cmpint (map_pos (map), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_seek_past_end_is_range_and_keeps_pos (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t p = -1;

  map_seek (map, 3);
  ASSERT_ERR (mm_map_seek (map, 11, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 3);
  ASSERT_ERR (mm_map_seek (map, 8, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 3);
  ASSERT_ERR (mm_map_seek (map, 1, SEEK_END, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 3);
  /* no overflow */
  ASSERT_ERR (mm_map_seek (map, INT64_MAX, SEEK_END, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, INT64_MAX, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, INT64_MAX, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 3);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_seek_negative_is_range_and_keeps_pos (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t p = -1;

  map_seek (map, 3);
  ASSERT_ERR (mm_map_seek (map, -1, SEEK_SET, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, -4, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, -11, SEEK_END, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, INT64_MIN, SEEK_CUR, &p, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, INT64_MIN, SEEK_END, &p, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 3);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_seek_bad_whence_is_invalid (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  int64_t p = -1;

  map_seek (map, 3);
  ASSERT_ERR (mm_map_seek (map, 1, 3, &p, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_seek (map, 1, -1, &p, &err), MM_ERROR_INVALID);
  g_assert_cmpint (map_pos (map), ==, 3);
  /* before the range check */
  ASSERT_ERR (mm_map_seek (map, 100, 3, &p, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_seek (map, -100, 7, &p, &err), MM_ERROR_INVALID);
  g_assert_cmpint (map_pos (map), ==, 3);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ len, size */

static void
test_size_is_the_whole_file (void)
{
  MmError err;
  gsize fsize = 2 * page + 10;
  guint8 *pat = pattern_new (fsize);
  int fd = make_file (pat, fsize);
  MmMap *map = map_new_ok (fd, 5, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  int64_t v = -1;

  ASSERT_OK (mm_map_len (map, &v, &err));
  g_assert_cmpint (v, ==, 5);
  ASSERT_OK (mm_map_size (map, &v, &err));
  g_assert_cmpint (v, ==, (int64_t) fsize);
  /* fstat, not remembered */
  g_assert_cmpint (ftruncate (fd, 3 * page), ==, 0);
  ASSERT_OK (mm_map_size (map, &v, &err));
  g_assert_cmpint (v, ==, 3 * page);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

static void
test_size_anonymous_is_os_ebadf (void)
{
  MmError err;
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
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  int64_t v = -1;

  ASSERT_OS (mm_map_size (map, &v, &err), EBADF);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ find, rfind */

/* "abcabcabcx": abc at 0, 3, 6; x at 9. */
#define ABC "abcabcabcx"

static int64_t
find_n_ok (MmMap *map, bool reverse, const void *needle, int64_t n, int64_t start, int64_t end)
{
  MmError err;
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

static void
test_find_returns_absolute_index (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (map, "abc", 1, INT64_MAX), ==, 3);
  g_assert_cmpint (FIND (map, "abc", 6, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (map, "cx", 0, INT64_MAX), ==, 8);
  g_assert_cmpint (FIND (map, "x", 0, INT64_MAX), ==, 9);
  g_assert_cmpint (FIND (map, "a", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (map, ABC, 0, INT64_MAX), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_absent_is_minus_one (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", 7, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (map, "xa", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (map, ABC "y", 0, INT64_MAX), ==, -1);   /* longer than the map */
  g_assert_cmpint (RFIND (map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (RFIND (map, ABC "y", 0, INT64_MAX), ==, -1);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_negative_bounds_count_from_end (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", -4, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (map, "abc", 4, -1), ==, 6);
  g_assert_cmpint (FIND (map, "abc", 4, -2), ==, -1);
  g_assert_cmpint (FIND (map, "x", -1, INT64_MAX), ==, 9);
  g_assert_cmpint (RFIND (map, "abc", 0, -2), ==, 3);
  g_assert_cmpint (RFIND (map, "abc", -7, INT64_MAX), ==, 6);
  g_assert_cmpint (RFIND (map, "abc", -6, -1), ==, 6);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_bounds_are_clamped (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", -100, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (map, "abc", INT64_MIN, 100), ==, 0);
  g_assert_cmpint (FIND (map, "x", INT64_MIN, INT64_MAX), ==, 9);
  g_assert_cmpint (FIND (map, "abc", 100, INT64_MAX), ==, -1);
  g_assert_cmpint (FIND (map, "abc", 0, INT64_MIN), ==, -1);
  g_assert_cmpint (RFIND (map, "abc", INT64_MIN, 100), ==, 6);
  g_assert_cmpint (RFIND (map, "abc", -100, INT64_MAX), ==, 6);
  g_assert_cmpint (RFIND (map, "abc", INT64_MAX, INT64_MAX), ==, -1);
  mm_map_free (map);
  close_fd (fd);
}

/* The whole needle must lie in [start, end). */
static void
test_find_match_must_lie_in_window (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", 0, 2), ==, -1);
  g_assert_cmpint (FIND (map, "abc", 0, 3), ==, 0);
  g_assert_cmpint (FIND (map, "abc", 1, 5), ==, -1);
  g_assert_cmpint (FIND (map, "abc", 1, 6), ==, 3);
  g_assert_cmpint (FIND (map, "cx", 0, 9), ==, -1);
  g_assert_cmpint (RFIND (map, "abc", 0, 8), ==, 3);
  g_assert_cmpint (RFIND (map, "abc", 0, 9), ==, 6);
  g_assert_cmpint (RFIND (map, "abc", 7, INT64_MAX), ==, -1);
  g_assert_cmpint (RFIND (map, "abc", 4, 8), ==, -1);
  g_assert_cmpint (RFIND (map, "abc", 1, 8), ==, 3);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_empty_needle_returns_start (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (FIND (map, "", 4, INT64_MAX), ==, 4);
  g_assert_cmpint (FIND (map, "", 4, 4), ==, 4);
  g_assert_cmpint (FIND (map, "", -3, INT64_MAX), ==, 7);
  g_assert_cmpint (FIND (map, "", -100, INT64_MAX), ==, 0);
  /* clamped to the length */
  g_assert_cmpint (FIND (map, "", 10, INT64_MAX), ==, 10);
  g_assert_cmpint (FIND (map, "", 100, INT64_MAX), ==, 10);
  g_assert_cmpint (FIND (map, "", INT64_MAX, INT64_MAX), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_rfind_empty_needle_returns_end (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (RFIND (map, "", 0, INT64_MAX), ==, 10);
  g_assert_cmpint (RFIND (map, "", 0, 5), ==, 5);
  g_assert_cmpint (RFIND (map, "", 2, -3), ==, 7);
  g_assert_cmpint (RFIND (map, "", 0, -100), ==, 0);
  g_assert_cmpint (RFIND (map, "", -100, 100), ==, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_end_before_start_is_minus_one (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_READ, &fd);

  g_assert_cmpint (FIND (map, "abc", 5, 3), ==, -1);
  g_assert_cmpint (RFIND (map, "abc", 5, 3), ==, -1);
  /* even for an empty needle */
  g_assert_cmpint (FIND (map, "", 5, 3), ==, -1);
  g_assert_cmpint (RFIND (map, "", 5, 3), ==, -1);
  /* after clamping */
  g_assert_cmpint (FIND (map, "", -2, -5), ==, -1);
  g_assert_cmpint (RFIND (map, "", -2, -5), ==, -1);
  g_assert_cmpint (FIND (map, "", 100, -100), ==, -1);
  g_assert_cmpint (RFIND (map, "", INT64_MAX, INT64_MIN), ==, -1);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_leaves_pos_alone (void)
{
  int fd;
  MmMap *map = map_text (ABC, MM_ACCESS_WRITE, &fd);

  map_seek (map, 2);
  g_assert_cmpint (FIND (map, "abc", 0, INT64_MAX), ==, 0);
  g_assert_cmpint (RFIND (map, "abc", 0, INT64_MAX), ==, 6);
  g_assert_cmpint (FIND (map, "zz", 0, INT64_MAX), ==, -1);
  g_assert_cmpint (map_pos (map), ==, 2);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_find_across_page_boundaries (void)
{
  static const char needle[] = "NEEDLE-0123456789-NEEDLE";
  int64_t n = sizeof needle - 1;
  gsize size = 3 * page;
  guint8 *hay = g_malloc (size);
  int fd;
  MmMap *map;

  for (gsize i = 0; i < size; i++)
    hay[i] = (guint8) ('a' + i % 26);
  memcpy (hay + page - 7, needle, n);
  memcpy (hay + 2 * page + 100, needle, n);
  memcpy (hay + size - n, needle, n);
  hay[page + 500] = '#';
  fd = make_file (hay, size);
  map = map_file (fd, 0, MM_ACCESS_READ);

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
  mm_map_free (map);
  g_free (hay);
  close_fd (fd);
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
  guint8 *hay = g_malloc (len);
  guint8 needle[300];
  GRand *r = g_rand_new_with_seed (20261122);

  for (HayKind kind = HAY_TWO_LETTERS; kind <= HAY_SPARSE; kind++)
    {
      int fd;
      MmMap *map;

      fill_bytes (hay, len, kind, r);
      memset (hay + page - 40, hay[0], 90);   /* a long run, for needles of one byte */
      fd = make_file (hay, len);
      map = map_file (fd, 0, MM_ACCESS_READ);

      for (int iter = 0; iter < 3000; iter++)
        {
          MmError err;
          int64_t n = needle_lens[g_rand_int_range (r, 0, G_N_ELEMENTS (needle_lens))];
          int64_t start = random_bound (r, len), end = random_bound (r, len);
          bool reverse = g_rand_boolean (r);
          int64_t got = -2, want;

          if (g_rand_int_range (r, 0, 4) != 0)
            memcpy (needle, hay + g_rand_int_range (r, 0, len - n + 1), n);
          else
            fill_bytes (needle, n, kind, r);
          if (g_rand_int_range (r, 0, 20) == 0)
            memset (needle, hay[0], n);
          if (n > 0 && g_rand_int_range (r, 0, 8) == 0)
            needle[g_rand_int_range (r, 0, n)] ^= 1;    /* a near miss */

          want = naive_find (hay, len, needle, n, start, end, reverse);
          if (reverse)
            ASSERT_OK (mm_map_rfind (map, needle, n, start, end, &got, &err));
          else
            ASSERT_OK (mm_map_find (map, needle, n, start, end, &got, &err));
          if (got != want)
            fail_at (__FILE__, __LINE__,
                     "hay kind %d, %s(needle of %" G_GINT64_FORMAT " bytes, start %" G_GINT64_FORMAT
                     ", end %" G_GINT64_FORMAT ") on %" G_GINT64_FORMAT " bytes: got %" G_GINT64_FORMAT
                     ", expected %" G_GINT64_FORMAT " (iteration %d)",
                     kind, reverse ? "rfind" : "find", (gint64) n,
                     (gint64) start, (gint64) end, (gint64) len, (gint64) got, (gint64) want, iter);
        }
      mm_map_free (map);
      close_fd (fd);
    }
  g_rand_free (r);
  g_free (hay);
}

/* The file is cut to one page under a two-page map: the second page faults
   when touched. A search whose window ends at the cut must not touch it. */
static void
test_find_never_reads_past_the_window (void)
{
  static const char *needles[] = { "Q", "QZ", "QZQ", "QZQZQZQZ", "QZQZQZQZQZQZQZQZQ",
                                   "QZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZQZ" };
  gsize size = 2 * page;
  guint8 *hay = g_malloc (size);
  int fd;
  MmMap *map;

  for (gsize i = 0; i < size; i++)
    hay[i] = (guint8) ('a' + i % 26);
  fd = make_file (hay, size);
  map = map_file (fd, 0, MM_ACCESS_READ);
  g_assert_cmpint (ftruncate (fd, page), ==, 0);

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
  g_assert_cmpint (pwrite (fd, "QZQ", 3, page - 3), ==, 3);
  g_assert_cmpint (FIND (map, "QZQ", 0, page), ==, page - 3);
  g_assert_cmpint (FIND (map, "Q", page - 1, page), ==, page - 1);
  g_assert_cmpint (RFIND (map, "QZQ", 0, page), ==, page - 3);
  g_assert_cmpint (RFIND (map, "Q", 0, page), ==, page - 1);
  g_assert_cmpint (FIND (map, "QZQa", 0, page), ==, -1);
  mm_map_free (map);
  g_free (hay);
  close_fd (fd);
}

/* The first and the last of four pages made inaccessible under the map: a
   search in a window inside the two middle pages must touch neither, in
   either direction, whatever the needle's length. */
static void
test_find_never_reads_outside_the_window (void)
{
  static const int64_t lens[] = { 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 300 };
  gsize size = 4 * page;
  guint8 *hay = g_malloc (size);
  guint8 needle[300];
  int fd;
  MmMap *map;
  guint8 *base;

  for (gsize i = 0; i < size; i++)
    hay[i] = (guint8) ('a' + i % 26);
  fd = make_file (hay, size);
  map = map_file (fd, 0, MM_ACCESS_WRITE);
  base = map_address (map);
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
      MmError err;
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
  mm_map_free (map);
  g_free (hay);
  close_fd (fd);
}

/* ============================================================ items */

static void
test_get_item_positive_and_negative (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  uint8_t v = 0;

  ASSERT_OK (mm_map_get_item (map, 0, &v, &err));
  g_assert_cmpuint (v, ==, '0');
  ASSERT_OK (mm_map_get_item (map, 9, &v, &err));
  g_assert_cmpuint (v, ==, '9');
  ASSERT_OK (mm_map_get_item (map, -1, &v, &err));
  g_assert_cmpuint (v, ==, '9');
  ASSERT_OK (mm_map_get_item (map, -10, &v, &err));
  g_assert_cmpuint (v, ==, '0');
  ASSERT_OK (mm_map_get_item (map, -4, &v, &err));
  g_assert_cmpuint (v, ==, '6');
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_get_item_outside_is_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  uint8_t v = 0;

  ASSERT_ERR (mm_map_get_item (map, 10, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (map, -11, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (map, INT64_MAX, &v, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_item (map, INT64_MIN, &v, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_item_negative_indices (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_set_item (map, -1, 'z', &err));
  ASSERT_OK (mm_map_set_item (map, -10, 'a', &err));
  ASSERT_OK (mm_map_set_item (map, -5, 'm', &err));
  ASSERT_OK (mm_map_set_item (map, 1, 'b', &err));
  ASSERT_MAP (map, "ab234m678z", 10);
  ASSERT_FILE (fd, "ab234m678z", 10);
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_item_readonly_before_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_set_item (map, 0, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (map, 10, 'x', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (map, INT64_MIN, 'x', &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_item_outside_is_range_map_unchanged (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_set_item (map, 10, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (map, -11, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (map, INT64_MAX, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_item (map, INT64_MIN, 'x', &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ slices */

static void
test_get_slice_contiguous_extended_negative (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[16];

  ASSERT_OK (mm_map_get_slice (map, 2, 1, 5, buf, &err));       /* [2:7] */
  g_assert_cmpmem (buf, 5, "23456", 5);
  ASSERT_OK (mm_map_get_slice (map, 1, 3, 3, buf, &err));       /* [1::3] */
  g_assert_cmpmem (buf, 3, "147", 3);
  ASSERT_OK (mm_map_get_slice (map, 9, -1, 10, buf, &err));     /* [::-1] */
  g_assert_cmpmem (buf, 10, "9876543210", 10);
  ASSERT_OK (mm_map_get_slice (map, 9, -3, 4, buf, &err));      /* [::-3] */
  g_assert_cmpmem (buf, 4, "9630", 4);
  ASSERT_OK (mm_map_get_slice (map, 0, 9, 2, buf, &err));       /* [::9] */
  g_assert_cmpmem (buf, 2, "09", 2);
  ASSERT_OK (mm_map_get_slice (map, 5, 100, 1, buf, &err));     /* [5::100] */
  g_assert_cmpmem (buf, 1, "5", 1);
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_get_slice_empty_is_fine (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[4] = "xyz";

  ASSERT_OK (mm_map_get_slice (map, 3, 1, 0, buf, &err));       /* [3:3] */
  ASSERT_OK (mm_map_get_slice (map, 10, 1, 0, buf, &err));      /* [10:] */
  ASSERT_OK (mm_map_get_slice (map, 9, -1, 0, buf, &err));      /* [9:9:-1] */
  g_assert_cmpstr (buf, ==, "xyz");
  mm_map_free (map);
  close_fd (fd);
}

static void
test_get_slice_outside_is_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  char buf[32];

  ASSERT_ERR (mm_map_get_slice (map, 0, 1, -1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 0, 0, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 5, 1, 6, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, -1, 1, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 10, 1, 1, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 1, 3, 4, buf, &err), MM_ERROR_RANGE);     /* 1 4 7 10 */
  ASSERT_ERR (mm_map_get_slice (map, 5, -2, 4, buf, &err), MM_ERROR_RANGE);    /* 5 3 1 -1 */
  ASSERT_ERR (mm_map_get_slice (map, 10, -1, 1, buf, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_get_slice (map, 0, INT64_MAX, 2, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 9, INT64_MIN, 2, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 0, 1, INT64_MAX, buf, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_get_slice (map, 2, 2, INT64_MAX / 2 + 2, buf, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_slice_contiguous_extended_negative (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_set_slice (map, 2, 1, 3, "abc", 3, &err));  /* [2:5] */
  ASSERT_MAP (map, "01abc56789", 10);
  ASSERT_OK (mm_map_set_slice (map, 1, 3, 3, "XYZ", 3, &err));  /* [1::3] */
  ASSERT_MAP (map, "0XabY56Z89", 10);
  ASSERT_OK (mm_map_set_slice (map, 9, -4, 3, "pqr", 3, &err)); /* [::-4]: 9 5 1 */
  ASSERT_MAP (map, "0rabYq6Z8p", 10);
  ASSERT_OK (mm_map_set_slice (map, 9, -1, 10, "0123456789", 10, &err));
  ASSERT_MAP (map, "9876543210", 10);
  ASSERT_OK (mm_map_set_slice (map, 4, 1, 0, "", 0, &err));
  ASSERT_FILE (fd, "9876543210", 10);
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_slice_readonly_before_range_before_size (void)
{
  MmError err;
  int fd;
  MmMap *map;
  Snapshot s;

  map = map_digits (MM_ACCESS_READ, &fd);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, 3, "abc", 3, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (map, 8, 1, 3, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (map, 0, 0, 3, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);

  map = map_digits (MM_ACCESS_WRITE, &fd);
  snapshot_take (&s, map, fd);
  /* range before size */
  ASSERT_ERR (mm_map_set_slice (map, 8, 1, 3, "ab", 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 0, 0, 3, "ab", 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, -1, "ab", 2, &err), MM_ERROR_RANGE);
  /* then size */
  ASSERT_ERR (mm_map_set_slice (map, 7, 1, 3, "ab", 2, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_slice_wrong_size_is_invalid_map_unchanged (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;

  map_seek (map, 4);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, 3, "ab", 2, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, 3, "abcd", 4, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (map, 9, -2, 3, "abcd", 4, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_set_slice (map, 5, 1, 0, "a", 1, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_set_slice_outside_is_range_map_unchanged (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;
  char src[16] = "abcdefghijklmno";

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_set_slice (map, 5, 1, 6, src, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 1, 3, 4, src, 4, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 5, -2, 4, src, 4, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, -1, 1, 2, src, 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 0, INT64_MAX, 2, src, 2, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, INT64_MAX, src, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

/* Random normalized slices, get and set, against a model; the touched
   indices are checked against [0, len) as the contract says. */
static void
test_slices_match_a_model (void)
{
  int64_t len = 3 * page + 5;
  guint8 *model = pattern_new (len);
  guint8 *buf = g_malloc (len + 1), *src = g_malloc (len + 1);
  GRand *r = g_rand_new_with_seed (777);
  int fd = make_file (model, len);
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);

  for (int iter = 0; iter < 2000; iter++)
    {
      MmError err;
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
              ASSERT_OK (mm_map_set_slice (map, start, step, count, src, count, &err));
              for (int64_t k = 0; k < count; k++)
                model[start + k * step] = src[k];
            }
          else
            ASSERT_ERR (mm_map_set_slice (map, start, step, count, src, MAX (count, 0), &err), MM_ERROR_RANGE);
        }
      else if (in_range)
        {
          ASSERT_OK (mm_map_get_slice (map, start, step, count, buf, &err));
          for (int64_t k = 0; k < count; k++)
            if (buf[k] != model[start + k * step])
              fail_at (__FILE__, __LINE__, "get_slice (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                       ", %" G_GINT64_FORMAT "): byte %" G_GINT64_FORMAT " differs",
                       (gint64) start, (gint64) step, (gint64) count, (gint64) k);
        }
      else
        ASSERT_ERR (mm_map_get_slice (map, start, step, count, buf, &err), MM_ERROR_RANGE);
    }
  ASSERT_MAP (map, model, len);
  ASSERT_FILE (fd, model, len);
  mm_map_free (map);
  g_rand_free (r);
  g_free (buf);
  g_free (src);
  g_free (model);
  close_fd (fd);
}

/* ============================================================ move */

static void
test_move_overlap_forward (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_move (map, 2, 0, 5, &err));
  ASSERT_MAP (map, "0101234789", 10);
  ASSERT_FILE (fd, "0101234789", 10);
  g_assert_cmpint (map_pos (map), ==, 0);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_move_overlap_backward (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_move (map, 0, 2, 5, &err));
  ASSERT_MAP (map, "2345656789", 10);
  ASSERT_OK (mm_map_move (map, 5, 0, 5, &err));
  ASSERT_MAP (map, "2345623456", 10);
  ASSERT_FILE (fd, "2345623456", 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_move_len_0_0_is_fine (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_move (map, 10, 0, 0, &err));
  ASSERT_OK (mm_map_move (map, 0, 10, 0, &err));
  ASSERT_OK (mm_map_move (map, 10, 10, 0, &err));
  ASSERT_OK (mm_map_move (map, 3, 3, 7, &err));
  ASSERT_MAP (map, DIGITS, 10);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_move_readonly_first (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_move (map, 0, 1, 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (map, -1, 0, 1, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (map, 5, 0, 6, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (map, 10, 0, 0, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_move_outside_is_range_map_unchanged (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_move (map, -1, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 0, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 0, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 5, 0, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 0, 5, 6, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 10, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 11, 0, 0, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_move (map, 1, 0, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, INT64_MAX, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, 0, INT64_MAX, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_move (map, INT64_MIN, 0, 1, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

/* Page-crossing moves, both directions, overlapping or not, against memmove. */
static void
test_move_across_pages_matches_memmove (void)
{
  int64_t len = 5 * page + 77;
  guint8 *model = pattern_new (len);
  GRand *r = g_rand_new_with_seed (4242);
  int fd = make_file (model, len);
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);

  for (int iter = 0; iter < 200; iter++)
    {
      MmError err;
      int64_t count = g_rand_int_range (r, 0, 3 * page);
      int64_t src = g_rand_int_range (r, 0, len - count + 1);
      int64_t dest = g_rand_int_range (r, 0, 8) == 0
                     ? src + g_rand_int_range (r, -3, 4)
                     : g_rand_int_range (r, 0, len - count + 1);

      if (dest < 0 || dest > len - count)
        dest = src;
      ASSERT_OK (mm_map_move (map, dest, src, count, &err));
      memmove (model + dest, model + src, count);
      /* keep the bytes distinct from their neighbours */
      for (int k = 0; k < 16; k++)
        {
          int64_t at = g_rand_int_range (r, 0, len);
          model[at] = (guint8) g_rand_int (r);
          ASSERT_OK (mm_map_set_item (map, at, model[at], &err));
        }
    }
  ASSERT_MAP (map, model, len);
  ASSERT_FILE (fd, model, len);
  mm_map_free (map);
  g_rand_free (r);
  g_free (model);
  close_fd (fd);
}

/* ============================================================ flush */

static MmMap *
map_two_pages (MmAccess acc, int *fd)
{
  guint8 *pat = pattern_new (2 * page);
  MmMap *map;

  *fd = make_file (pat, 2 * page);
  map = map_file (*fd, 0, acc);
  g_free (pat);
  return map;
}

static void
test_flush_whole_and_aligned_ranges (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_set_item (map, page + 1, 'x', &err));
  ASSERT_OK (mm_map_flush (map, 0, 2 * page, &err));
  ASSERT_OK (mm_map_flush (map, page, page, &err));
  ASSERT_OK (mm_map_flush (map, page, 10, &err));
  ASSERT_OK (mm_map_flush (map, 0, 0, &err));
  mm_map_free (map);
  close_fd (fd);

  map = map_digits (MM_ACCESS_DEFAULT, &fd);
  ASSERT_OK (mm_map_flush (map, 0, 10, &err));
  mm_map_free (map);
  close_fd (fd);

  map = map_anon (100, MAP_SHARED);
  ASSERT_OK (mm_map_flush (map, 0, 100, &err));
  mm_map_free (map);
}

static void
test_flush_unaligned_offset_is_os_einval (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_OS (mm_map_flush (map, 1, 1, &err), EINVAL);
  ASSERT_OS (mm_map_flush (map, page + 1, 10, &err), EINVAL);
  ASSERT_OS (mm_map_flush (map, page / 2, page, &err), EINVAL);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_flush_outside_is_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_ERR (mm_map_flush (map, -page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, 0, 2 * page + 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, page, page + 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, 3 * page, 0, &err), MM_ERROR_RANGE);
  /* no overflow */
  ASSERT_ERR (mm_map_flush (map, page, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, INT64_MAX, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, INT64_MIN, 0, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_flush_range_checked_before_alignment (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_ERR (mm_map_flush (map, 1, 2 * page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, 1, -1, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

/* READ and COPY: the range is checked, msync is not called. */
static void
test_flush_read_and_copy_check_range_only (void)
{
  const MmAccess accs[] = { MM_ACCESS_READ, MM_ACCESS_COPY };

  for (guint i = 0; i < G_N_ELEMENTS (accs); i++)
    {
      MmError err;
      int fd;
      MmMap *map = map_two_pages (accs[i], &fd);

      ASSERT_OK (mm_map_flush (map, 1, 1, &err));
      ASSERT_OK (mm_map_flush (map, page + 1, 10, &err));
      ASSERT_OK (mm_map_flush (map, 0, 2 * page, &err));
      ASSERT_ERR (mm_map_flush (map, -1, 1, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (map, 0, -1, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (map, 1, 2 * page, &err), MM_ERROR_RANGE);
      ASSERT_ERR (mm_map_flush (map, 1, INT64_MAX, &err), MM_ERROR_RANGE);
      mm_map_free (map);
      close_fd (fd);
    }
}

/* Only READ and COPY skip msync: a DEFAULT map does not, even MAP_PRIVATE;
   a DEFAULT map resolved to READ does. */
static void
test_flush_default_maps_follow_their_resolution (void)
{
  MmError err;
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map;

  map = map_new_ok (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  ASSERT_OK (mm_map_flush (map, 0, size, &err));
  ASSERT_OS (mm_map_flush (map, 1, 1, &err), EINVAL);
  mm_map_free (map);

  map = map_new_ok (fd, 0, MAP_SHARED, PROT_READ, MM_ACCESS_DEFAULT, 0, true);
  ASSERT_OK (mm_map_flush (map, 1, 1, &err));
  ASSERT_ERR (mm_map_flush (map, 1, size, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

/* ============================================================ madvise */

static void
test_madvise_whole_and_partial (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_OK (mm_map_madvise (map, MADV_NORMAL, 0, 2 * page, &err));
  ASSERT_OK (mm_map_madvise (map, MADV_WILLNEED, page, page, &err));
  ASSERT_OK (mm_map_madvise (map, MADV_RANDOM, page, 10, &err));
  ASSERT_OK (mm_map_madvise (map, MADV_SEQUENTIAL, 0, 0, &err));
  /* length clipped to the end */
  ASSERT_OK (mm_map_madvise (map, MADV_NORMAL, page, 5 * page, &err));
  mm_map_free (map);
  close_fd (fd);

  map = map_digits (MM_ACCESS_READ, &fd);
  ASSERT_OK (mm_map_madvise (map, MADV_NORMAL, 0, 10, &err));
  mm_map_free (map);
  close_fd (fd);
}

static void
test_madvise_length_clipped_without_overflow (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_READ, &fd);

  ASSERT_OK (mm_map_madvise (map, MADV_NORMAL, 0, INT64_MAX, &err));
  ASSERT_OK (mm_map_madvise (map, MADV_WILLNEED, page, INT64_MAX, &err));
  ASSERT_OK (mm_map_madvise (map, MADV_NORMAL, page, INT64_MAX - page + 1, &err));
  mm_map_free (map);
  close_fd (fd);
}

static void
test_madvise_start_outside_is_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, -page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 2 * page, 0, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 2 * page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 4 * page, page, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, INT64_MAX, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, INT64_MIN, 1, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_madvise_negative_length_is_range (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, page, INT64_MIN, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_madvise_bad_option_or_unaligned_is_os_einval (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_OS (mm_map_madvise (map, 12345, 0, 2 * page, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (map, -1, 0, page, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (map, MADV_NORMAL, 1, 1, &err), EINVAL);
  ASSERT_OS (mm_map_madvise (map, MADV_WILLNEED, page + 3, INT64_MAX, &err), EINVAL);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_madvise_range_checked_before_os (void)
{
  MmError err;
  int fd;
  MmMap *map = map_two_pages (MM_ACCESS_WRITE, &fd);

  ASSERT_ERR (mm_map_madvise (map, 12345, 2 * page, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, 12345, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, 12345, 0, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_madvise (map, MADV_NORMAL, 1, -1, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ resize */

static void
test_resize_grows_file_and_map (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  int64_t big = 3 * page + 5;
  guint8 *expect = g_malloc0 (big);

  memcpy (expect, DIGITS, 10);
  map_seek (map, 4);
  ASSERT_OK (mm_map_resize (map, big, &err));
  g_assert_cmpint (map_len (map), ==, big);
  g_assert_cmpint (file_size (fd), ==, big);
  g_assert_cmpint (map_pos (map), ==, 4);
  ASSERT_MAP (map, expect, big);
  ASSERT_FILE (fd, expect, big);
  /* the new part is mapped and shared */
  ASSERT_OK (mm_map_set_item (map, big - 1, 'E', &err));
  ASSERT_OK (mm_map_set_item (map, page, 'P', &err));
  expect[big - 1] = 'E';
  expect[page] = 'P';
  ASSERT_FILE (fd, expect, big);
  mm_map_free (map);
  g_free (expect);
  close_fd (fd);
}

static void
test_resize_shrinks_file_and_map (void)
{
  MmError err;
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map = map_file (fd, 0, MM_ACCESS_DEFAULT);

  ASSERT_OK (mm_map_resize (map, page / 2 + 3, &err));
  g_assert_cmpint (map_len (map), ==, page / 2 + 3);
  g_assert_cmpint (file_size (fd), ==, page / 2 + 3);
  ASSERT_MAP (map, pat, page / 2 + 3);
  ASSERT_FILE (fd, pat, page / 2 + 3);
  ASSERT_OK (mm_map_set_item (map, -1, '!', &err));
  pat[page / 2 + 2] = '!';
  ASSERT_FILE (fd, pat, page / 2 + 3);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

/* The file becomes offset + n bytes long. */
static void
test_resize_with_offset_sizes_file_to_offset_plus_n (void)
{
  MmError err;
  gsize size = 2 * page + 10;
  guint8 *pat = pattern_new (size);
  guint8 *expect = g_malloc0 (3 * page);
  int fd = make_file (pat, size);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  int64_t v;

  g_assert_cmpint (map_len (map), ==, page + 10);
  ASSERT_OK (mm_map_resize (map, 20, &err));
  g_assert_cmpint (map_len (map), ==, 20);
  g_assert_cmpint (file_size (fd), ==, page + 20);
  ASSERT_OK (mm_map_size (map, &v, &err));
  g_assert_cmpint (v, ==, page + 20);
  ASSERT_MAP (map, pat + page, 20);
  ASSERT_FILE (fd, pat, page + 20);

  ASSERT_OK (mm_map_resize (map, 2 * page, &err));
  g_assert_cmpint (file_size (fd), ==, 3 * page);
  memcpy (expect, pat, page + 20);
  ASSERT_FILE (fd, expect, 3 * page);
  ASSERT_MAP (map, expect + page, 2 * page);
  mm_map_free (map);
  g_free (expect);
  g_free (pat);
  close_fd (fd);
}

static void
test_resize_pos_beyond_new_end_is_kept (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  char buf[32];
  int64_t n = -1;
  uint8_t b;

  map_seek (map, 8);
  ASSERT_OK (mm_map_resize (map, 5, &err));
  g_assert_cmpint (map_len (map), ==, 5);
  g_assert_cmpint (map_pos (map), ==, 8);
  ASSERT_OK (mm_map_read (map, buf, -1, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_read (map, buf, 3, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_OK (mm_map_readline (map, buf, sizeof buf, &n, &err));
  g_assert_cmpint (n, ==, 0);
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_write_byte (map, 'x', &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_write (map, "x", 1, &n, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 8);
  /* pos + 0 > len too */
  ASSERT_ERR (mm_map_write (map, "", 0, &n, &err), MM_ERROR_RANGE);
  /* a relative seek starts from the kept pos */
  ASSERT_ERR (mm_map_seek (map, 0, SEEK_CUR, &n, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_seek (map, -2, SEEK_CUR, &n, &err), MM_ERROR_RANGE);
  g_assert_cmpint (map_pos (map), ==, 8);
  ASSERT_OK (mm_map_seek (map, -3, SEEK_CUR, &n, &err));
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpint (map_pos (map), ==, 5);
  ASSERT_FILE (fd, "01234", 5);
  /* growing again makes a kept pos valid again */
  ASSERT_OK (mm_map_resize (map, 12, &err));
  map_seek (map, 11);
  ASSERT_OK (mm_map_resize (map, 8, &err));
  g_assert_cmpint (map_pos (map), ==, 11);
  ASSERT_OK (mm_map_resize (map, 12, &err));
  g_assert_cmpint (map_pos (map), ==, 11);
  ASSERT_OK (mm_map_write_byte (map, 'y', &err));
  g_assert_cmpint (map_pos (map), ==, 12);
  map_seek (map, 8);
  ASSERT_OK (mm_map_write_byte (map, 'x', &err));
  ASSERT_FILE (fd, "01234\0\0\0x\0\0y", 12);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_resize_exported_refused_file_untouched (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  MmView *view = NULL;
  Snapshot s;

  map_seek (map, 3);
  ASSERT_OK (mm_map_export (map, &view, &err));
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_EXPORTED);
  ASSERT_ERR (mm_map_resize (map, 5, &err), MM_ERROR_EXPORTED);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_EXPORTED);
  ASSERT_UNCHANGED (s);
  g_assert_cmpmem (mm_view_data (view), 10, DIGITS, 10);
  snapshot_clear (&s);
  mm_view_release (view);
  ASSERT_OK (mm_map_resize (map, 20, &err));
  g_assert_cmpint (file_size (fd), ==, 20);
  mm_map_free (map);
  close_fd (fd);
}

/* EXPORTED, then trackfd false, then READ/COPY/NONE, then the size. */
static void
test_resize_check_order (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map;
  MmView *view = NULL;

  map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 0, false);
  ASSERT_OK (mm_map_export (map, &view, &err));
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_EXPORTED);
  mm_view_release (view);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_UNSUPPORTED);
  mm_map_free (map);

  map = map_file (fd, 0, MM_ACCESS_COPY);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (map, -1, &err), MM_ERROR_READONLY);
  mm_map_free (map);

  /* the size before the anonymous grow */
  map = map_anon (100, MAP_SHARED);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_resize_trackfd_false_unsupported (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, false);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_ERR (mm_map_resize (map, 5, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_resize_read_copy_none_are_readonly (void)
{
  const MmAccess accs[] = { MM_ACCESS_READ, MM_ACCESS_COPY, MM_ACCESS_NONE };
  int fd = make_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (accs); i++)
    {
      MmError err;
      MmMap *map = map_file (fd, 0, accs[i]);
      Snapshot s;

      snapshot_take (&s, map, fd);
      ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_READONLY);
      ASSERT_ERR (mm_map_resize (map, 5, &err), MM_ERROR_READONLY);
      ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_READONLY);
      ASSERT_UNCHANGED (s);
      snapshot_clear (&s);
      mm_map_free (map);
    }
  close_fd (fd);
}

static void
test_resize_zero_is_range_before_touching_file (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  Snapshot s;

  map_seek (map, 6);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_resize (map, 0, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  ASSERT_ERR (mm_map_resize (map, -1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_resize (map, INT64_MIN, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  ASSERT_FILE (fd, DIGITS, 10);
  close_fd (fd);
}

static void
test_resize_offset_overflow_is_range (void)
{
  MmError err;
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  Snapshot s;

  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_resize (map, INT64_MAX, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_resize (map, INT64_MAX - page + 1, &err), MM_ERROR_RANGE);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

static void
test_resize_shared_anonymous_grow_unsupported (void)
{
  MmError err;
  MmMap *map = map_anon (100, MAP_SHARED);
  Snapshot s;

  ASSERT_OK (mm_map_set_item (map, 0, 'A', &err));
  map_seek (map, 50);
  snapshot_take (&s, map, -1);
  ASSERT_ERR (mm_map_resize (map, 101, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_ERR (mm_map_resize (map, 4 * page, &err), MM_ERROR_UNSUPPORTED);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
}

static void
test_resize_shared_anonymous_shrink_is_fine (void)
{
  MmError err;
  MmMap *map = map_anon (2 * page, MAP_SHARED);

  ASSERT_OK (mm_map_set_item (map, 0, 'A', &err));
  ASSERT_OK (mm_map_set_item (map, 9, 'B', &err));
  ASSERT_OK (mm_map_resize (map, 10, &err));
  ASSERT_MAP (map, "A\0\0\0\0\0\0\0\0B", 10);
  mm_map_free (map);
}

static void
test_resize_private_anonymous_grows (void)
{
  MmError err;
  MmMap *map = map_anon (100, MAP_PRIVATE);

  ASSERT_OK (mm_map_set_item (map, 0, 'A', &err));
  ASSERT_OK (mm_map_set_item (map, 99, 'Z', &err));
  ASSERT_OK (mm_map_resize (map, 3 * page, &err));
  g_assert_cmpint (map_len (map), ==, 3 * page);
  g_assert_cmpuint (map_byte (map, 0), ==, 'A');
  g_assert_cmpuint (map_byte (map, 99), ==, 'Z');
  g_assert_cmpuint (map_byte (map, 3 * page - 1), ==, 0);
  ASSERT_OK (mm_map_set_item (map, -1, 'E', &err));
  mm_map_free (map);
}

/* The file becomes offset + n bytes even when it was longer: as CPython,
   ftruncate (fd, offset + n). */
static void
test_resize_file_becomes_offset_plus_n_even_when_longer (void)
{
  MmError err;
  gsize size = 4 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map = map_new_ok (fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);

  /* even without a change of length: 4 pages -> offset + n = 2 pages */
  ASSERT_OK (mm_map_resize (map, page, &err));
  g_assert_cmpint (map_len (map), ==, page);
  ASSERT_FILE (fd, pat, 2 * page);
  ASSERT_MAP (map, pat + page, page);
  mm_map_free (map);

  /* a longer map that still makes the file shorter: 4 pages -> 2 pages + 100 */
  g_assert_cmpint (pwrite (fd, pat, size, 0), ==, (gssize) size);
  map = map_new_ok (fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, page, true);
  ASSERT_OK (mm_map_resize (map, page + 100, &err));
  g_assert_cmpint (map_len (map), ==, page + 100);
  ASSERT_FILE (fd, pat, 2 * page + 100);
  ASSERT_MAP (map, pat + page, page + 100);
  /* the same size again: nothing changes */
  ASSERT_OK (mm_map_resize (map, page + 100, &err));
  ASSERT_FILE (fd, pat, 2 * page + 100);
  ASSERT_MAP (map, pat + page, page + 100);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

/* Growing reserves the blocks (posix_fallocate): the new part is not a hole. */
static void
test_resize_grow_reserves_the_blocks (void)
{
  MmError err;
  int fd;
  MmMap *map;
  int probe = make_file (NULL, 0);
  struct stat st;
  int64_t big = 256 * page;

  if (posix_fallocate (probe, 0, page) != 0)
    {
      g_test_skip ("the temp file system cannot reserve blocks");
      close_fd (probe);
      return;
    }
  close_fd (probe);
  map = map_digits (MM_ACCESS_WRITE, &fd);
  ASSERT_OK (mm_map_resize (map, big, &err));
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, big);
  g_assert_cmpint ((int64_t) st.st_blocks * 512, >=, big);
  mm_map_free (map);
  close_fd (fd);
}

/* A file size limit makes the system refuse the growth: OS, and the file and
   the map are as they were. (Runs in its own subprocess: the limit stays there.) */
static void
test_resize_os_failure_leaves_file_and_map (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  struct rlimit lim = { 4 * page, 4 * page };
  Snapshot s;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
  map_seek (map, 7);
  snapshot_take (&s, map, fd);
  ASSERT_OS (mm_map_resize (map, 8 * page, &err), EFBIG);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  /* within the limit it works */
  ASSERT_OK (mm_map_resize (map, 2 * page, &err));
  g_assert_cmpint (file_size (fd), ==, 2 * page);
  mm_map_free (map);
  close_fd (fd);
}

/* The file was grown, then the remap fails (no address space left): the file
   gets its old size back, the map is as it was. (Own subprocess: the limit
   stays there.) */
static void
test_resize_remap_failure_restores_the_file (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  int64_t grow = INT64_C (256) << 20;
  struct rlimit old, lim;
  Snapshot s;

  map_seek (map, 3);
  snapshot_take (&s, map, fd);
  g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
  lim = old;
  lim.rlim_cur = address_space_in_use () + (INT64_C (16) << 20);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);
  ASSERT_OS (mm_map_resize (map, grow, &err), ENOMEM);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &old), ==, 0);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

/* How many mappings of fd's file /proc/self/maps shows. */
static int
file_vma_count (int fd)
{
  struct stat st;
  char *maps = NULL;
  char **lines;
  int n = 0;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      unsigned long long ino = 0;
      char dev[16];

      if (sscanf (*l, "%*x-%*x %*7s %*x %15s %llu", dev, &ino) == 2
          && ino == (unsigned long long) st.st_ino)
        n++;
    }
  g_strfreev (lines);
  g_free (maps);
  return n;
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
      MmError err;
      gsize size = cases[i].file_pages * page;
      int64_t len = 4 * page, grown = 6 * page;
      guint8 *pat = pattern_new (size);
      guint8 *expect = g_malloc0 (grown);
      int fd = make_file (pat, size);
      MmMap *map = map_new_ok (fd, len, cases[i].flags, RW, MM_ACCESS_DEFAULT, 0, true);

      memcpy (expect, pat, MIN ((gsize) grown, size));
      ASSERT_OK (mm_map_set_item (map, 1, '#', &err));
      ASSERT_OK (mm_map_set_item (map, len - 1, '$', &err));
      expect[1] = '#';
      expect[len - 1] = '$';
      ASSERT_OK (mm_map_madvise (map, MADV_RANDOM, page, page, &err));
      if (file_vma_count (fd) < 2)
        {
          g_printerr ("# SKIP: madvise (MADV_RANDOM) on part of the map did not split it\n");
          g_test_skip ("madvise on part of the map did not split it");
          mm_map_free (map);
          g_free (expect);
          g_free (pat);
          close_fd (fd);
          return;
        }
      map_seek (map, 5);
      ASSERT_OK (mm_map_resize (map, grown, &err));
      g_assert_cmpint (map_len (map), ==, grown);
      g_assert_cmpint (map_pos (map), ==, 5);
      g_assert_cmpint (file_size (fd), ==, grown);
      ASSERT_MAP (map, expect, grown);
      if (cases[i].flags == MAP_SHARED)
        ASSERT_FILE (fd, expect, grown);
      else
        {
          memcpy (expect, pat, MIN ((gsize) grown, size));
          if ((gsize) grown > size)
            memset (expect + size, 0, grown - size);
          ASSERT_FILE (fd, expect, grown);
        }
      mm_map_free (map);
      g_free (expect);
      g_free (pat);
      close_fd (fd);
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
  MmError err;
  gsize size = 4 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file_ro (pat, size);
  MmMap *map = map_new_ok (fd, 0, MAP_PRIVATE, RW, MM_ACCESS_DEFAULT, 0, true);
  int flags = 0, imm;
  Snapshot s;

  /* private bytes in the part the shrink drops, and in the page it keeps */
  ASSERT_OK (mm_map_set_item (map, page + 7, '#', &err));
  ASSERT_OK (mm_map_set_item (map, 3 * page + 1, '$', &err));
  ASSERT_OK (mm_map_set_item (map, page / 2, '%', &err));
  map_seek (map, 3 * page);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_resize (map, page / 4, &err), MM_ERROR_OS);
  ASSERT_UNCHANGED (s);
  ASSERT_ERR (mm_map_resize (map, 2 * page + 3, &err), MM_ERROR_OS);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);

  /* a shared map of a file that ftruncate refuses (EPERM) */
  fd = make_file (pat, size);
  map = map_file (fd, 0, MM_ACCESS_WRITE);
  ASSERT_OK (mm_map_set_item (map, 2 * page, '&', &err));
  map_seek (map, 2 * page + 1);
  snapshot_take (&s, map, fd);
  if (geteuid () != 0)
    g_printerr ("# SKIP (shared map part): making a file immutable needs root\n");
  else if (ioctl (fd, FS_IOC_GETFLAGS, &flags) != 0
           || (imm = flags | FS_IMMUTABLE_FL, ioctl (fd, FS_IOC_SETFLAGS, &imm)) != 0)
    g_printerr ("# SKIP (shared map part): the temp file system has no immutable flag: %s\n",
                g_strerror (errno));
  else
    {
      MmStatus st1, st2;
      MmError e1, e2;

      st1 = mm_map_resize (map, page + 9, &e1);
      st2 = mm_map_resize (map, 1, &e2);
      g_assert_cmpint (ioctl (fd, FS_IOC_SETFLAGS, &flags), ==, 0);
      err = e1;
      check_status (__FILE__, __LINE__, "mm_map_resize (map, page + 9)", st1, &err, MM_ERROR_OS, EPERM);
      err = e2;
      check_status (__FILE__, __LINE__, "mm_map_resize (map, 1)", st2, &err, MM_ERROR_OS, EPERM);
      ASSERT_UNCHANGED (s);
      /* and the map still works */
      ASSERT_OK (mm_map_set_item (map, -1, '!', &err));
      s.file[size - 1] = '!';
      ASSERT_FILE (fd, s.file, size);
    }
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
  g_free (pat);
}

/* A resize that grows the map but cuts a longer file, and the mapping cannot
   grow (no address space left): the file keeps every byte past the new end,
   the map is as it was. (Own subprocess: the limit stays there.) */
static void
test_resize_remap_failure_keeps_the_bytes_a_cut_would_drop (void)
{
  MmError err;
  int64_t grow = INT64_C (256) << 20, size = grow + 2 * page;
  guint8 *tail = pattern_new (2 * page), *got = g_malloc (2 * page);
  int fd = make_file (DIGITS, 10);
  MmMap *map;
  struct rlimit old, lim;
  Snapshot s;

  g_assert_cmpint (pwrite (fd, tail, 2 * page, grow), ==, 2 * page);
  map = map_new_ok (fd, page, MAP_SHARED, RW, MM_ACCESS_WRITE, 0, true);
  map_seek (map, 3);
  snapshot_take (&s, map, -1);
  g_assert_cmpint (getrlimit (RLIMIT_AS, &old), ==, 0);
  lim = old;
  lim.rlim_cur = address_space_in_use () + (INT64_C (16) << 20);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &lim), ==, 0);
  ASSERT_OS (mm_map_resize (map, grow, &err), ENOMEM);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &old), ==, 0);
  ASSERT_UNCHANGED (s);
  g_assert_cmpint (file_size (fd), ==, size);
  g_assert_cmpint (pread (fd, got, 2 * page, grow), ==, 2 * page);
  g_assert_cmpmem (got, 2 * page, tail, 2 * page);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
  g_free (got);
  g_free (tail);
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
  int fd = make_file (DIGITS, 10);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MmError err;
      MmMap *map = map_new_ok (fd, 0, cases[i].flags, cases[i].prot, cases[i].acc, 0, true);
      MmView *view = NULL;

      ASSERT_OK (mm_map_export (map, &view, &err));
      g_assert_nonnull (view);
      if (mm_view_readonly (view) != cases[i].readonly)
        fail_at (__FILE__, __LINE__, "case %u (access %d, prot %d): view readonly is %d",
                 i, cases[i].acc, cases[i].prot, !cases[i].readonly);
      mm_view_release (view);
      mm_map_free (map);
    }
  close_fd (fd);
}

static void
test_view_data_and_len_match_the_map (void)
{
  MmError err;
  gsize size = 2 * page + 10;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map = map_new_ok (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, page, true);
  MmView *view = NULL;
  guint8 buf[16];

  ASSERT_OK (mm_map_export (map, &view, &err));
  g_assert_cmpint (mm_view_len (view), ==, page + 10);
  g_assert_cmpmem (mm_view_data (view), page + 10, pat + page, page + 10);
  ASSERT_OK (mm_view_copy (view, 3, buf, 16, &err));
  g_assert_cmpmem (buf, 16, pat + page + 3, 16);
  ASSERT_OK (mm_view_copy (view, page - 4, buf, 14, &err));
  g_assert_cmpmem (buf, 14, pat + 2 * page - 4, 14);
  mm_view_release (view);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

static void
test_view_exports_are_counted (void)
{
  MmError err;
  int fd;
  MmMap *map = map_digits (MM_ACCESS_WRITE, &fd);
  MmView *a = NULL, *b = NULL;

  g_assert_cmpuint (mm_map_exports (map), ==, 0);
  ASSERT_OK (mm_map_export (map, &a, &err));
  g_assert_cmpuint (mm_map_exports (map), ==, 1);
  ASSERT_OK (mm_map_export (map, &b, &err));
  g_assert_cmpuint (mm_map_exports (map), ==, 2);
  mm_view_release (a);
  g_assert_cmpuint (mm_map_exports (map), ==, 1);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_EXPORTED);
  mm_view_release (b);
  g_assert_cmpuint (mm_map_exports (map), ==, 0);
  ASSERT_OK (mm_map_resize (map, 20, &err));
  mm_map_free (map);
  close_fd (fd);
}

static void
test_view_writes_follow_the_access (void)
{
  MmError err;
  int fd;
  MmMap *map;
  MmView *view = NULL;

  map = map_digits (MM_ACCESS_WRITE, &fd);
  ASSERT_OK (mm_map_export (map, &view, &err));
  mm_view_data (view)[0] = 'W';
  g_assert_cmpuint (map_byte (map, 0), ==, 'W');
  ASSERT_FILE (fd, "W123456789", 10);
  mm_view_release (view);
  mm_map_free (map);
  close_fd (fd);

  map = map_digits (MM_ACCESS_COPY, &fd);
  ASSERT_OK (mm_map_export (map, &view, &err));
  mm_view_data (view)[0] = 'C';
  g_assert_cmpuint (map_byte (map, 0), ==, 'C');
  ASSERT_FILE (fd, DIGITS, 10);
  mm_view_release (view);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_free_with_views_defers_unmap (void)
{
  MmError err;
  int fd = make_file (DIGITS, 10);
  int before = count_open_fds ();
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);
  MmView *a = NULL, *b = NULL;
  char buf[10];

  ASSERT_OK (mm_map_export (map, &a, &err));
  ASSERT_OK (mm_map_export (map, &b, &err));
  mm_map_free (map);

  g_assert_cmpint (mm_view_len (a), ==, 10);
  g_assert_cmpmem (mm_view_data (a), 10, DIGITS, 10);
  mm_view_release (a);
  /* still mapped, and still the file's pages */
  g_assert_cmpmem (mm_view_data (b), 10, DIGITS, 10);
  mm_view_data (b)[9] = 'z';
  ASSERT_FILE (fd, "012345678z", 10);
  ASSERT_OK (mm_view_copy (b, 5, buf, 5, &err));
  g_assert_cmpmem (buf, 5, "5678z", 5);
  mm_view_release (b);
  /* the last release closed the map: its fd is gone */
  g_assert_cmpint (count_open_fds (), ==, before);
  g_assert_true (fd_is_open (fd));
  close_fd (fd);
}

/* ============================================================ NONE */

static MmMap *
map_none (int *fd)
{
  *fd = make_file (DIGITS, 10);
  return map_file (*fd, 0, MM_ACCESS_NONE);
}

static void
test_none_reports_none_and_keeps_position (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  int64_t p;

  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_NONE);
  g_assert_cmpint (map_len (map), ==, 10);
  ASSERT_OK (mm_map_seek (map, 4, SEEK_SET, &p, &err));
  g_assert_cmpint (p, ==, 4);
  g_assert_cmpint (map_pos (map), ==, 4);
  ASSERT_OK (mm_map_size (map, &p, &err));
  g_assert_cmpint (p, ==, 10);
  mm_map_free (map);

  map = map_new_ok (-1, 100, MAP_SHARED, RW, MM_ACCESS_NONE, 0, true);
  g_assert_cmpint (mm_map_access (map), ==, MM_ACCESS_NONE);
  g_assert_cmpint (map_len (map), ==, 100);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_reads_are_invalid (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  char buf[32];
  int64_t n;
  uint8_t b;
  Snapshot s;

  map_seek (map, 2);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_read (map, buf, 3, &n, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_read (map, buf, -1, &n, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_readline (map, buf, sizeof buf, &n, &err), MM_ERROR_INVALID);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_find_is_invalid (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  int64_t at;

  ASSERT_ERR (mm_map_find (map, "3", 1, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_rfind (map, "3", 1, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_find (map, "345", 3, 0, INT64_MAX, &at, &err), MM_ERROR_INVALID);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_get_is_invalid (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  char buf[16];
  uint8_t b;

  ASSERT_ERR (mm_map_get_item (map, 0, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_item (map, -1, &b, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_slice (map, 0, 1, 3, buf, &err), MM_ERROR_INVALID);
  ASSERT_ERR (mm_map_get_slice (map, 9, -2, 5, buf, &err), MM_ERROR_INVALID);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_export_is_invalid (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  MmView *view = NULL;

  ASSERT_ERR (mm_map_export (map, &view, &err), MM_ERROR_INVALID);
  g_assert_cmpuint (mm_map_exports (map), ==, 0);
  ASSERT_OK (mm_map_close (map, &err));
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_writes_are_readonly (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);
  int64_t n;
  Snapshot s;

  map_seek (map, 1);
  snapshot_take (&s, map, fd);
  ASSERT_ERR (mm_map_write (map, "ab", 2, &n, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_write_byte (map, 'a', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_item (map, 0, 'a', &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_set_slice (map, 0, 1, 2, "ab", 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (map, 0, 1, 2, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_move (map, 10, 0, 0, &err), MM_ERROR_READONLY);
  ASSERT_ERR (mm_map_resize (map, 20, &err), MM_ERROR_READONLY);
  ASSERT_UNCHANGED (s);
  snapshot_clear (&s);
  mm_map_free (map);
  close_fd (fd);
}

static void
test_none_flush_checks_range_only (void)
{
  MmError err;
  int fd;
  MmMap *map = map_none (&fd);

  ASSERT_OK (mm_map_flush (map, 0, 10, &err));
  ASSERT_OK (mm_map_flush (map, 1, 1, &err));
  ASSERT_ERR (mm_map_flush (map, 0, 11, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, -1, 1, &err), MM_ERROR_RANGE);
  ASSERT_ERR (mm_map_flush (map, 0, -1, &err), MM_ERROR_RANGE);
  mm_map_free (map);
  close_fd (fd);
}

/* ============================================================ errors */

static void
test_error_null_error_is_fine (void)
{
  int fd;
  MmMap *map = map_digits (MM_ACCESS_READ, &fd);
  MmMap *other = NULL;
  int64_t v;
  uint8_t b;

  g_assert_cmpint (mm_map_seek (map, 11, SEEK_SET, &v, NULL), ==, MM_ERROR_RANGE);
  g_assert_cmpint (mm_map_write_byte (map, 'x', NULL), ==, MM_ERROR_READONLY);
  g_assert_cmpint (mm_map_seek (map, 0, 9, &v, NULL), ==, MM_ERROR_INVALID);
  g_assert_cmpint (mm_map_get_item (map, 3, &b, NULL), ==, MM_OK);
  g_assert_cmpuint (b, ==, '3');
  g_assert_cmpint (mm_map_flush (map, -1, 0, NULL), ==, MM_ERROR_RANGE);
  g_assert_cmpint (mm_map_new (fd, 11, MAP_SHARED, RW, MM_ACCESS_READ, 0, true, &other, NULL), ==, MM_ERROR_INVALID);
  g_assert_cmpint (mm_map_new (fd, 0, MAP_SHARED, RW, MM_ACCESS_READ, 1, true, &other, NULL), ==, MM_ERROR_OS);
  mm_map_free (map);
  close_fd (fd);
}

/* "seek out of range: 70 > length 64" */
static void
test_error_message_names_the_values (void)
{
  MmError err;
  guint8 *pat = pattern_new (64);
  int fd = make_file (pat, 64);
  MmMap *map = map_file (fd, 0, MM_ACCESS_READ);
  int64_t v;

  ASSERT_ERR (mm_map_seek (map, 70, SEEK_SET, &v, &err), MM_ERROR_RANGE);
  g_assert_nonnull (strstr (err.message, "70"));
  g_assert_nonnull (strstr (err.message, "64"));
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

/* ============================================================ fault safety */

static void
test_fault_shrunk_file_is_fault_map_stays_usable (void)
{
  MmError err;
  gsize size = 2 * page;
  guint8 *pat = pattern_new (size);
  int fd = make_file (pat, size);
  MmMap *map = map_file (fd, 0, MM_ACCESS_WRITE);
  MmView *view = NULL;
  guint8 buf[64];
  int64_t n, at;
  uint8_t b;

  g_assert_cmpint (ftruncate (fd, page), ==, 0);
  map_seek (map, page + 10);
  ASSERT_ERR (mm_map_read (map, buf, 8, &n, &err), MM_ERROR_FAULT);
  g_assert_cmpint (map_pos (map), ==, page + 10);
  ASSERT_ERR (mm_map_read_byte (map, &b, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_write_byte (map, 'x', &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_get_item (map, page, &b, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_set_item (map, -1, 'x', &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_find (map, "\n\n", 2, 0, INT64_MAX, &at, &err), MM_ERROR_FAULT);
  ASSERT_ERR (mm_map_move (map, page, 0, 8, &err), MM_ERROR_FAULT);
  ASSERT_OK (mm_map_export (map, &view, &err));
  ASSERT_ERR (mm_view_copy (view, page - 4, buf, 8, &err), MM_ERROR_FAULT);
  ASSERT_OK (mm_view_copy (view, page - 4, buf, 4, &err));
  g_assert_cmpmem (buf, 4, pat + page - 4, 4);
  mm_view_release (view);
  /* the first page still works */
  g_assert_cmpuint (map_byte (map, 5), ==, pat[5]);
  ASSERT_OK (mm_map_set_item (map, 5, '!', &err));
  pat[5] = '!';
  ASSERT_FILE (fd, pat, page);
  mm_map_free (map);
  g_free (pat);
  close_fd (fd);
}

/* ============================================================ main */

typedef struct {
  const char *path;
  void (*func) (void);
} Case;

static const Case cases[] = {
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
  { "/mm-map/close/refused-while-exported-map-stays-open", test_close_refused_while_exported_map_stays_open },
  { "/mm-map/close/unmaps-and-closes-the-dup-not-the-callers-fd", test_close_unmaps_and_closes_the_dup_not_the_callers_fd },
  { "/mm-map/free/null-is-fine", test_free_null_is_fine },
  { "/mm-map/free/with-views-defers-unmap", test_free_with_views_defers_unmap },

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

  { "/mm-map/get-item/positive-and-negative", test_get_item_positive_and_negative },
  { "/mm-map/get-item/outside-is-range", test_get_item_outside_is_range },
  { "/mm-map/set-item/negative-indices", test_set_item_negative_indices },
  { "/mm-map/set-item/readonly-before-range", test_set_item_readonly_before_range },
  { "/mm-map/set-item/outside-is-range-map-unchanged", test_set_item_outside_is_range_map_unchanged },

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

  { "/mm-map/none/reports-none-and-keeps-position", test_none_reports_none_and_keeps_position },
  { "/mm-map/none/reads-are-invalid", test_none_reads_are_invalid },
  { "/mm-map/none/find-is-invalid", test_none_find_is_invalid },
  { "/mm-map/none/get-is-invalid", test_none_get_is_invalid },
  { "/mm-map/none/export-is-invalid", test_none_export_is_invalid },
  { "/mm-map/none/writes-are-readonly", test_none_writes_are_readonly },
  { "/mm-map/none/flush-checks-range-only", test_none_flush_checks_range_only },

  { "/mm-map/error/null-error-is-fine", test_error_null_error_is_fine },
  { "/mm-map/error/message-names-the-values", test_error_message_names_the_values },
  { "/mm-map/fault/shrunk-file-is-fault-map-stays-usable", test_fault_shrunk_file_is_fault_map_stays_usable },
};

static bool no_fork;

/* Each case in a subprocess of its own: a crash in the core fails one case. */
static void
run_case (gconstpointer data)
{
  const Case *c = data;

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
main (int argc, char **argv)
{
  test_init_keep_going (&argc, &argv);
  page = mm_pagesize ();
  no_fork = g_getenv ("MM_TEST_NOFORK") != NULL;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);
  return g_test_run ();
}
