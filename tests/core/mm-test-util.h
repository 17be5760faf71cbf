/* mm-test-util.h: what the core tests share: reporting helpers for all of
 * them, and for the programs that pin the core's contract one behaviour at a
 * time (test-mm-construct, -io, -map-find, -slice, -resize, -flush) the
 * checks, temp files, maps, fixtures and the case runner. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mm-map.h"

/* "MM_ERROR_RANGE" and so on, for messages. */
const char *status_name (MmStatus status);

/* Records one wrong result as a test message and marks the test failed, so
 * that every wrong result is listed (g_test_fail_printf keeps only the
 * last). */
void fail_case (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* g_test_init with --keep-going added: every test runs even after a
 * failure, to report all that is wrong. */
void test_init_keep_going (int *argc, char ***argv);

/* ------------------------------------------------------------ assertions */

#define RW      (PROT_READ | PROT_WRITE)
#define DIGITS  "0123456789"

/* A failed assertion at file:line: the message, then abort. */
G_GNUC_NORETURN void fail_at (const char *file, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* got: what the call returned; want: the status the contract says; for
   MM_ERROR_OS, want_errno is the errno it names (0: any errno). The error
   must carry the status and a terminated, non-empty message. */
void check_status (const char *file, int line, const char *expr, MmStatus got,
                   const MmError *err, MmStatus want, int want_errno);

/* These use an `MmError err` in scope (the test programs have one at file
   scope), cleared before each call so that a message left over from an
   earlier call does not count. */
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
int make_file_with (const void *content, gsize len, int oflags);
int make_file (const void *content, gsize len);       /* O_RDWR */
int make_file_ro (const void *content, gsize len);    /* O_RDONLY */

/* Bytes that differ from their neighbours and hold no '\n'. */
guint8 *pattern_new (gsize len);

int64_t file_size (int fd);
guint8 *file_read (int fd, gsize *len);
void assert_file_at (const char *file, int line, int fd, const void *expect, gsize len);
#define ASSERT_FILE(fd, expect, len) assert_file_at (__FILE__, __LINE__, (fd), (expect), (len))

int count_open_fds (void);
bool fd_is_open (int fd);
void close_fd (int fd);    /* asserts that close(2) succeeds */

/* The mappings of fd's file that /proc/self/maps shows, in its order. */
typedef struct {
  char    perms[8];   /* e.g. "rw-s" */
  int64_t offset;     /* in the file */
} Mapping;
GArray *file_mappings (int fd);

/* ------------------------------------------------------------ maps */

/* mm_map_new with trackfd, for a call that must fail: its status (a map it
   makes all the same is freed). */
MmStatus new_map (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset,
                  MmError *error);
/* mm_map_new that must succeed. */
MmMap *map_new_ok (int fd, int64_t length, int flags, int prot, MmAccess acc, int64_t offset,
                   bool trackfd);
MmMap *map_file (int fd, int64_t length, MmAccess acc);    /* shared, RW, offset 0, trackfd */
MmMap *map_anon (int64_t length, int flags);

int64_t map_len (MmMap *map);
int64_t map_pos (MmMap *map);
void map_seek (MmMap *map, int64_t pos);    /* SEEK_SET, must land on pos */
uint8_t map_byte (MmMap *map, int64_t i);
/* The whole mapping, through get_slice (not on a NONE map). */
guint8 *map_bytes (MmMap *map, int64_t *len);
void assert_map_at (const char *file, int line, MmMap *map, const void *expect, int64_t len);
#define ASSERT_MAP(map, expect, len) assert_map_at (__FILE__, __LINE__, (map), (expect), (len))

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

void snapshot_take (Snapshot *s, MmMap *map, int fd);
void snapshot_check (const char *file, int line, Snapshot *s);
void snapshot_clear (Snapshot *s);
#define ASSERT_UNCHANGED(s) snapshot_check (__FILE__, __LINE__, &(s))

/* ------------------------------------------------------------ fixtures */

/* A fresh temp file and, most often, a map of it, so that a test body is its
 * behaviour: declare it g_autoptr (Fixture) and it is freed, map, file and
 * all, when the test returns. */
typedef struct {
  MmMap   *map;       /* NULL: not mapped, or freed by fixture_free_map */
  int      fd;        /* the file, already unlinked (a pipe's read end, a
                         directory); -1: anonymous */
  int      write_fd;  /* a pipe's write end; -1 */
  guint8  *bytes;     /* what the file was made with */
  gsize    size;
  Snapshot before;    /* fixture_snapshot */
} Fixture;

Fixture *fixture_file (const void *content, gsize len);        /* not mapped */
Fixture *fixture_file_ro (const void *content, gsize len);     /* not mapped, O_RDONLY */
Fixture *fixture_pattern (gsize size);                         /* pattern_new bytes, not mapped */
Fixture *fixture_digits (MmAccess acc);                        /* "0123456789", mapped whole */
Fixture *fixture_digits_at (MmAccess acc, int64_t pos);        /* the same, at position pos */
Fixture *fixture_text (const char *text, MmAccess acc);        /* text, mapped whole */
Fixture *fixture_two_pages (MmAccess acc);                     /* two pages of pattern, mapped whole */
Fixture *fixture_anon (int64_t length, int flags);             /* an anonymous map, no file */
Fixture *fixture_pipe (void);                                  /* fd, write_fd: a pipe's ends */
Fixture *fixture_dir (void);                                   /* fd: the temp directory */
/* Maps the file whole (shared, RW, offset 0, trackfd) into f->map. */
MmMap *fixture_map (Fixture *f, MmAccess acc);
void fixture_free_map (Fixture *f);
/* Takes f->before anew, for ASSERT_UNCHANGED (f->before); returns f. */
Fixture *fixture_snapshot (Fixture *f);
void fixture_free (Fixture *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* f's map and its file both hold the len bytes of expect. */
#define ASSERT_MAP_AND_FILE(f, expect, len) \
  G_STMT_START { \
    ASSERT_MAP ((f)->map, (expect), (len)); \
    ASSERT_FILE ((f)->fd, (expect), (len)); \
  } G_STMT_END

/* ------------------------------------------------------------ cases */

typedef struct {
  const char *path;
  void (*func) (void);
} TestCase;

/* Each case in a subprocess of its own, so a core that dies (SIGBUS,
 * SIGSEGV, abort) fails that case only; MM_TEST_NOFORK=1 runs the cases in
 * the test process instead, for a debugger. With --keep-going. */
int run_cases (int argc, char **argv, const TestCase *cases, gsize n_cases);

/* The program's main: sets its `page` to mm_pagesize () and runs cases. */
#define MM_TEST_MAIN(cases, page) \
  int main (int argc, char **argv) \
  { \
    (page) = mm_pagesize (); \
    return run_cases (argc, argv, (cases), G_N_ELEMENTS (cases)); \
  }
