/* test-mm-find.c: find/rfind are exact and never read outside their window.
 *
 * The file is mapped by the core; a PROT_NONE guard page sits right after the
 * mapping (and, where the address space allows, right before it), so a read
 * one byte past the window's end at the map's end, or one byte before a
 * window that starts at 0, hits the guard. Inside the map, windows on page
 * boundaries are fenced by mprotect()ing the pages around them. Thousands of
 * needle/window combinations on random, two-letter, "aaaa...b", periodic and
 * mostly-zero data are compared against a naive reference search.
 *
 * A stray read is caught, not a crash: the core's guard covers only the
 * window, so a fault outside it is chained to this program's SIGSEGV handler,
 * which records the address, makes that fenced page readable so the search
 * can go on, and the case is reported as a failure (with the offset of the
 * stray read) after the call returns; the page is fenced again. Should a
 * stray read come back as MM_ERROR_FAULT instead, it fails as a status that
 * is not MM_OK. A fault anywhere else prints the case and kills the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mm-map.h"
#include "mm-test-util.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static int64_t ps;

/* ---- the case being run, for the stray-read reporter -------------------- */

static const char *volatile cur_corpus = "(none)";
static const char *volatile cur_kind = "(none)";
static const char *volatile cur_call = "(none)";
static volatile int64_t cur_n, cur_start, cur_end, cur_len;

static void
put_str (const char *s)
{
  if (write (2, s, strlen (s)) < 0)
    { /* nowhere to report */ }
}

static void
put_int (int64_t v)
{
  char buf[24];
  int i = sizeof buf;
  uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  do
    buf[--i] = (char) ('0' + u % 10);
  while ((u /= 10) != 0 && i > 1);
  if (v < 0)
    buf[--i] = '-';
  if (write (2, buf + i, sizeof buf - (size_t) i) < 0)
    { /* nowhere to report */ }
}

/* The fenced address range: the guard pages and the map between them. A
 * stray read there is recorded, its page made readable so the read can go
 * on, and reported (and the page fenced again) after the call returns. */
static uintptr_t fence_lo, fence_hi;
#define MAX_STRAY 8
static volatile uintptr_t stray_addr[MAX_STRAY];
static volatile int stray_count;

static void
stray_read (int sig, siginfo_t *info, void *uctx)
{
  uintptr_t a = (uintptr_t) info->si_addr;

  if (sig == SIGSEGV && a >= fence_lo && a < fence_hi && stray_count < MAX_STRAY)
    {
      uintptr_t page = a & ~(uintptr_t) (ps - 1);
      if (mprotect ((void *) page, (size_t) ps, PROT_READ) == 0)
        {
          stray_addr[stray_count] = a;
          stray_count = stray_count + 1;
          return;   /* the read is retried, now on a readable page */
        }
    }
  put_str ("\ntest-mm-find: STRAY READ outside the core's guard (");
  put_str (sig == SIGSEGV ? "SIGSEGV" : "SIGBUS");
  put_str (") at address 0x");
  {
    char hex[17];
    uintptr_t x = (uintptr_t) info->si_addr;
    for (int i = 15; i >= 0; i--, x >>= 4)
      hex[i] = "0123456789abcdef"[x & 15];
    hex[16] = '\0';
    put_str (hex);
  }
  put_str (" during ");
  put_str (cur_call);
  put_str (" corpus=");
  put_str (cur_corpus);
  put_str (" needle=");
  put_str (cur_kind);
  put_str (" n=");
  put_int (cur_n);
  put_str (" start=");
  put_int (cur_start);
  put_str (" end=");
  put_int (cur_end);
  put_str (" len=");
  put_int (cur_len);
  put_str ("\n");
  signal (sig, SIG_DFL);   /* returning re-runs the access: now it kills us */
}

static void
install_reporter (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = stray_read;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGSEGV, &sa, NULL);
  sigaction (SIGBUS, &sa, NULL);
}

/* ---- a file mapped by the core, with guard pages around it -------------- */

typedef struct {
  char    *dir, *path;
  int      fd;
  MmMap   *map;
  MmView  *view;
  guint8  *data;       /* the core's mapping */
  guint8  *copy;       /* the same bytes on the heap: the reference reads these */
  int64_t  len;
  guint8  *guard_lo, *guard_hi;   /* our PROT_NONE pages, or NULL */
} Mapped;

static gboolean
place_guard (guint8 *addr)
{
  void *p = mmap (addr, (size_t) ps, PROT_NONE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED)
    return FALSE;
  if (p != addr)   /* a kernel before 4.17 takes the flag as a hint */
    {
      munmap (p, (size_t) ps);
      return FALSE;
    }
  return TRUE;
}

/* In a child: does reading addr kill with SIGSEGV? Proves a guard is a guard. */
static gboolean
read_kills (const guint8 *addr)
{
  pid_t pid = fork ();
  int status = 0;
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      signal (SIGSEGV, SIG_DFL);
      volatile guint8 b = *(volatile const guint8 *) addr;
      (void) b;
      _exit (0);
    }
  while (waitpid (pid, &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  return WIFSIGNALED (status) && WTERMSIG (status) == SIGSEGV;
}

static void
mapped_unmap (Mapped *m)
{
  if (m->view != NULL)
    mm_view_release (m->view);
  m->view = NULL;
  mm_map_free (m->map);
  m->map = NULL;
  if (m->guard_lo != NULL)
    munmap (m->guard_lo, (size_t) ps);
  if (m->guard_hi != NULL)
    munmap (m->guard_hi, (size_t) ps);
  m->guard_lo = m->guard_hi = NULL;
}

/* Map the file with the core, READ access, and fence it. The core picks the
 * address; a hole of exactly the map's size between two PROT_NONE pages is
 * offered first (mmap usually takes the hole), and if the core's map lands
 * elsewhere the guards are placed around it with MAP_FIXED_NOREPLACE. */
static Mapped *
mapped_new (const guint8 *content, int64_t len)
{
  g_autoptr (GError) gerr = NULL;
  Mapped *m = g_new0 (Mapped, 1);
  GPtrArray *fillers = g_ptr_array_new_with_free_func ((GDestroyNotify) mm_map_free);
  MmError err;
  int attempt;

  m->len = len;
  m->copy = g_memdup2 (content, (gsize) len);
  m->dir = g_dir_make_tmp ("mm-find-XXXXXX", &gerr);
  g_assert_no_error (gerr);
  m->path = g_build_filename (m->dir, "data.bin", NULL);
  g_assert_true (g_file_set_contents (m->path, (const char *) content, len, &gerr));
  g_assert_no_error (gerr);
  m->fd = open (m->path, O_RDONLY);
  g_assert_cmpint (m->fd, >=, 0);
  /* The open fd is all the core needs: nothing is left behind on a crash. */
  g_unlink (m->path);
  g_rmdir (m->dir);

  for (attempt = 0; attempt < 64; attempt++)
    {
      guint8 *r = mmap (NULL, (size_t) (len + 2 * ps), PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      g_assert_true (r != MAP_FAILED);
      g_assert_no_errno (munmap (r + ps, (size_t) len));

      g_assert_cmpint (mm_map_new (m->fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ, 0,
                                   true, &m->map, &err), ==, MM_OK);
      g_assert_cmpint (mm_map_export (m->map, &m->view, &err), ==, MM_OK);
      m->data = mm_view_data (m->view);
      g_assert_cmpint (mm_view_len (m->view), ==, len);

      if (m->data == r + ps)
        {
          m->guard_lo = r;
          m->guard_hi = r + ps + len;
        }
      else
        {
          munmap (r, (size_t) ps);
          munmap (r + ps + len, (size_t) ps);
          if (place_guard (m->data + len))
            m->guard_hi = m->data + len;
          if (place_guard (m->data - ps))
            m->guard_lo = m->data - ps;
        }
      if (m->guard_hi != NULL && m->guard_lo != NULL)
        break;
      if (m->guard_hi != NULL && attempt >= 16)
        break;   /* settle for the high guard only */
      /* The map went into a higher gap that fits it but not the hole: keep it
       * there as a filler, so the next try cannot land in that gap again. */
      if (m->guard_lo != NULL)
        munmap (m->guard_lo, (size_t) ps);
      m->guard_lo = NULL;
      mm_view_release (m->view);
      m->view = NULL;
      g_ptr_array_add (fillers, m->map);
      m->map = NULL;
    }
  g_ptr_array_free (fillers, TRUE);
  fence_lo = (uintptr_t) (m->guard_lo != NULL ? m->guard_lo : m->data);
  fence_hi = (uintptr_t) (m->data + len + (m->guard_hi != NULL ? ps : 0));
  if (m->guard_hi == NULL)
    {
      g_test_message ("could not place a guard page after the core's map in %d attempts", attempt);
      return m;
    }
  g_assert_cmpmem (m->data, len, content, len);
  g_assert_true (read_kills (m->data + len));
  if (m->guard_lo != NULL)
    g_assert_true (read_kills (m->data - 1));
  else
    g_test_message ("no guard page before the map (address taken): low-end reads are not fenced");
  g_test_message ("map of %" G_GINT64_FORMAT " bytes at %p, guard after: yes, guard before: %s (attempt %d)",
                  len, (void *) m->data, m->guard_lo != NULL ? "yes" : "no", attempt + 1);
  return m;
}

static void
mapped_free (Mapped *m)
{
  fence_lo = fence_hi = 0;
  mapped_unmap (m);
  close (m->fd);
  g_free (m->path);
  g_free (m->dir);
  g_free (m->copy);
  g_free (m);
}

/* ---- the reference ------------------------------------------------------- */

typedef struct {
  int64_t *pos;    /* every match of the needle in the whole buffer, ascending */
  int64_t  count;
} Matches;

static void
matches_compute (Matches *mt, const guint8 *hay, int64_t len, const guint8 *needle, int64_t n)
{
  mt->count = 0;
  mt->pos = g_new (int64_t, len + 1);
  for (int64_t i = 0; i + n <= len; i++)
    if (n == 0 || (hay[i] == needle[0] && memcmp (hay + i, needle, (size_t) n) == 0))
      mt->pos[mt->count++] = i;
}

static int64_t
clamp_index (int64_t x, int64_t len)
{
  if (x < 0)
    {
      x += len;
      if (x < 0)
        x = 0;
    }
  else if (x > len)
    x = len;
  return x;
}

/* First match p with s <= p and p + n <= e. */
static int64_t
ref_find (const Matches *mt, int64_t n, int64_t s, int64_t e)
{
  int64_t lo = 0, hi = mt->count;
  if (e < s || e - s < n)
    return -1;
  while (lo < hi)
    {
      int64_t mid = lo + (hi - lo) / 2;
      if (mt->pos[mid] < s)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < mt->count && mt->pos[lo] + n <= e)
    return mt->pos[lo];
  return -1;
}

/* Last match p with s <= p and p + n <= e. */
static int64_t
ref_rfind (const Matches *mt, int64_t n, int64_t s, int64_t e)
{
  int64_t lo = 0, hi = mt->count, last = e - n;
  if (e < s || e - s < n)
    return -1;
  while (lo < hi)     /* first index with pos > last */
    {
      int64_t mid = lo + (hi - lo) / 2;
      if (mt->pos[mid] <= last)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0 && mt->pos[lo - 1] >= s)
    return mt->pos[lo - 1];
  return -1;
}

/* ---- running the combinations -------------------------------------------- */

typedef struct {
  Mapped     *m;
  const char *corpus;
  gboolean    big;       /* a large map: fewer, mostly short windows */
  int64_t     calls;
  int64_t     failures;
} Run;

#define MAX_REPORTED 25

static void
check_window (Run *run, const char *kind, const guint8 *needle, int64_t n, const Matches *mt,
              int64_t start, int64_t end)
{
  int64_t len = run->m->len;
  int64_t s = clamp_index (start, len), e = clamp_index (end, len);
  int64_t want_f, want_r, idx;
  MmError err;
  MmStatus st;

  if (n == 0)
    {
      want_f = e < s ? -1 : s;
      want_r = e < s ? -1 : e;
    }
  else
    {
      want_f = ref_find (mt, n, s, e);
      want_r = ref_rfind (mt, n, s, e);
    }

  cur_kind = kind;
  cur_n = n;
  cur_start = start;
  cur_end = end;
  cur_len = len;

  for (int which = 0; which < 2; which++)
    {
      int64_t want = which == 0 ? want_f : want_r;
      idx = -12345;
      memset (&err, 0, sizeof err);
      cur_call = which == 0 ? "mm_map_find" : "mm_map_rfind";
      stray_count = 0;
      st = which == 0 ? mm_map_find (run->m->map, needle, n, start, end, &idx, &err)
                      : mm_map_rfind (run->m->map, needle, n, start, end, &idx, &err);
      run->calls++;
      if (stray_count > 0)
        {
          int64_t off = (int64_t) (stray_addr[0] - (uintptr_t) run->m->data);
          if (run->failures++ < MAX_REPORTED)
            fail_case ("%s corpus=%s needle=%s n=%" G_GINT64_FORMAT " start=%" G_GINT64_FORMAT
                                " end=%" G_GINT64_FORMAT " (len %" G_GINT64_FORMAT "): READ OUTSIDE THE WINDOW "
                                "at map offset %" G_GINT64_FORMAT " (window [%" G_GINT64_FORMAT ", %"
                                G_GINT64_FORMAT ")), %d fenced page(s) touched",
                                cur_call, run->corpus, kind, n, start, end, len, off,
                                clamp_index (start, len), clamp_index (end, len), stray_count);
          for (int i = 0; i < stray_count; i++)
            g_assert_no_errno (mprotect ((void *) (stray_addr[i] & ~(uintptr_t) (ps - 1)),
                                         (size_t) ps, PROT_NONE));
          stray_count = 0;
          continue;
        }
      if (st != MM_OK || idx != want)
        {
          if (run->failures++ < MAX_REPORTED)
            fail_case ("%s corpus=%s needle=%s n=%" G_GINT64_FORMAT " start=%" G_GINT64_FORMAT
                                " end=%" G_GINT64_FORMAT " (len %" G_GINT64_FORMAT "): status %d%s%s%s, "
                                "index %" G_GINT64_FORMAT ", expected MM_OK and %" G_GINT64_FORMAT,
                                cur_call, run->corpus, kind, n, start, end, len, (int) st,
                                st != MM_OK ? " (\"" : "", st != MM_OK ? err.message : "",
                                st != MM_OK ? "\")" : "", idx, want);
        }
    }
  cur_call = "(between calls)";
}

static const int64_t needle_lengths[] = {
  0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
  255, 256, 257, 511, 1000, 1024, 2049, 4095, 4096, 4097, 5000,
};

/* The windows for one needle: ends at the map's end (the guard), just before
 * it, where a needle-length partial match would run into it; starts at 0
 * (the low guard), where a reverse search's partial match would run before
 * it; Python-style negative and oversized indices; random ones. */
static void
check_needle (Run *run, GRand *rand, const char *kind, const guint8 *needle, int64_t n)
{
  int64_t len = run->m->len;
  Matches mt = { 0 };
  int64_t r1 = g_rand_int_range (rand, 0, (gint32) len + 1);
  int64_t r2 = g_rand_int_range (rand, 0, (gint32) len + 1);
  const int64_t ends[] = {
    len, len - 1, len - 2, len - 3, len - 8, len - n, len - n + 1, len - n - 1,
    len - ps, len - ps + 1, n, n + 1, n - 1, 0, 1, r1, r2 > r1 ? r2 : r1,
    INT64_MAX, -1, -n, len + 1,
  };
  const int64_t starts_fixed[] = {
    0, 1, 2, 3, len - n, len - n - 1, len - n + 1, ps, len, r1, r2 < r1 ? r2 : r1,
    -1, -n, -n - 1, INT64_MIN, -len, -len - 1,
  };

  if (n > 0)
    matches_compute (&mt, run->m->copy, len, needle, n);

  if (run->big)
    {
      /* Whole-map searches are long here: the ends against the guard, from 0
       * and from close to the end. */
      const int64_t big_ends[] = { len, len - 1, len - n + 1, len - n - 1, INT64_MAX };
      for (gsize ie = 0; ie < G_N_ELEMENTS (big_ends); ie++)
        {
          int64_t e = clamp_index (big_ends[ie], len);
          const int64_t big_starts[] = { 0, e - n, e - n + 1, e - n - 1, e - 2 * n - 1, e - 3 * ps - 5, -n };
          for (gsize is = 0; is < G_N_ELEMENTS (big_starts); is++)
            if (big_starts[is] >= 0 || is == G_N_ELEMENTS (big_starts) - 1)
              check_window (run, kind, needle, n, &mt, big_starts[is], big_ends[ie]);
        }
      const int64_t low_ends[] = { n, n + 1, n - 1, 3 * ps + 5 };
      for (gsize ie = 0; ie < G_N_ELEMENTS (low_ends); ie++)
        if (low_ends[ie] >= 0)
          {
            check_window (run, kind, needle, n, &mt, 0, low_ends[ie]);
            check_window (run, kind, needle, n, &mt, INT64_MIN, low_ends[ie]);
          }
      g_free (mt.pos);
      return;
    }

  for (gsize ie = 0; ie < G_N_ELEMENTS (ends); ie++)
    {
      int64_t end = ends[ie];
      int64_t e = clamp_index (end, len);
      const int64_t starts_rel[] = { e - n, e - n + 1, e - n - 1, e - 2 * n, e };

      if (end > len + 1 && end != INT64_MAX)
        continue;
      for (gsize is = 0; is < G_N_ELEMENTS (starts_fixed); is++)
        check_window (run, kind, needle, n, &mt, starts_fixed[is], end);
      for (gsize is = 0; is < G_N_ELEMENTS (starts_rel); is++)
        if (starts_rel[is] >= 0)
          check_window (run, kind, needle, n, &mt, starts_rel[is], end);
    }
  g_free (mt.pos);
}

/* An exact-size heap copy, so ASan also sees a read past the needle. */
static guint8 *
needle_dup (const guint8 *src, int64_t n)
{
  guint8 *p = g_malloc (n > 0 ? (gsize) n : 1);
  if (n > 0)
    memcpy (p, src, (gsize) n);
  return p;
}

static void
run_needles (Run *run, GRand *rand, guint8 alpha_lo, guint8 alpha_hi)
{
  const guint8 *d = run->m->copy;
  int64_t len = run->m->len;

  for (gsize il = 0; il < G_N_ELEMENTS (needle_lengths); il++)
    {
      int64_t n = needle_lengths[il];
      guint8 *nd;
      int64_t p;

      if (n > len || (run->big && n > 257))
        continue;

      /* At the very end: found exactly against the guard. */
      nd = needle_dup (d + len - n, n);
      check_needle (run, rand, "tail", nd, n);
      g_free (nd);

      if (n >= 2)
        {
          /* The needle's first n-1 bytes are the map's last n-1: a partial
           * match that runs into the guard. Last byte in and out of the data's
           * alphabet. */
          nd = g_malloc ((gsize) n);
          memcpy (nd, d + len - n + 1, (gsize) n - 1);
          nd[n - 1] = alpha_lo;
          check_needle (run, rand, "tail-partial", nd, n);
          nd[n - 1] = (guint8) (alpha_hi + 1);
          check_needle (run, rand, "tail-partial-foreign", nd, n);
          g_free (nd);

          /* The needle's last n-1 bytes are the map's first n-1: a reverse
           * partial match that runs into the low guard. */
          nd = g_malloc ((gsize) n);
          memcpy (nd + 1, d, (gsize) n - 1);
          nd[0] = alpha_hi;
          check_needle (run, rand, "head-partial", nd, n);
          nd[0] = (guint8) (alpha_lo - 1);
          check_needle (run, rand, "head-partial-foreign", nd, n);
          g_free (nd);
        }

      /* At the very start: rfind over windows from 0. */
      nd = needle_dup (d, n);
      check_needle (run, rand, "head", nd, n);
      g_free (nd);

      /* From a random place, as is and with one end changed. */
      p = g_rand_int_range (rand, 0, (gint32) (len - n + 1));
      nd = needle_dup (d + p, n);
      check_needle (run, rand, "random", nd, n);
      if (n > 0)
        {
          nd[n - 1] ^= 1;
          check_needle (run, rand, "random-last-changed", nd, n);
          nd[n - 1] ^= 1;
          nd[0] ^= 1;
          check_needle (run, rand, "random-first-changed", nd, n);
        }
      g_free (nd);
    }
}

/* ---- corpora ------------------------------------------------------------- */

typedef void (*FillFunc) (guint8 *buf, int64_t len, GRand *rand);

static void
fill_random (guint8 *buf, int64_t len, GRand *rand)
{
  for (int64_t i = 0; i < len; i++)
    buf[i] = (guint8) g_rand_int (rand);
}

static void
fill_two_letters (guint8 *buf, int64_t len, GRand *rand)
{
  for (int64_t i = 0; i < len; i++)
    buf[i] = g_rand_boolean (rand) ? 'a' : 'b';
}

/* "aaaa...b": the worst case for naive and for some skip-table searches. */
static void
fill_aaab (guint8 *buf, int64_t len, GRand *rand)
{
  memset (buf, 'a', (gsize) len);
  buf[0] = 'b';
  buf[g_rand_int_range (rand, 1, (gint32) len - 1)] = 'b';
  buf[len - 1] = 'b';
}

static void
fill_periodic (guint8 *buf, int64_t len, GRand *rand)
{
  static const char period[] = "abcabcd";
  for (int64_t i = 0; i < len; i++)
    buf[i] = (guint8) period[i % 7];
  (void) rand;
}

static void
fill_mostly_zero (guint8 *buf, int64_t len, GRand *rand)
{
  memset (buf, 0, (gsize) len);
  for (int i = 0; i < 40; i++)
    buf[g_rand_int_range (rand, 0, (gint32) len)] = (guint8) g_rand_int_range (rand, 1, 3);
  buf[len - 1] = 1;
}

typedef struct {
  const char *name;
  FillFunc    fill;
  guint8      alpha_lo, alpha_hi;   /* the byte range the data uses */
  int64_t     pages;
} Corpus;

static const Corpus corpora[] = {
  { "random",      fill_random,      1,  254, 4 },
  { "two-letters", fill_two_letters, 'a', 'b', 4 },
  { "aaaa-b",      fill_aaab,        'a', 'b', 4 },
  { "periodic",    fill_periodic,    'a', 'd', 4 },
  { "mostly-zero", fill_mostly_zero, 1,  2,   4 },
  { "random-big",  fill_random,      1,  254, 256 },
  { "aaaa-b-big",  fill_aaab,        'a', 'b', 256 },
};

static GRand *
test_rand (void)
{
  guint32 seed = g_test_rand_int ();
  g_test_message ("corpus seed %u", seed);
  return g_rand_new_with_seed (seed);
}

static void
test_corpus (gconstpointer data)
{
  const Corpus *c = data;
  int64_t len = c->pages * ps;
  g_autoptr (GRand) rand = test_rand ();
  g_autofree guint8 *content = g_malloc ((gsize) len);
  Mapped *m;
  Run run = { 0 };

  c->fill (content, len, rand);
  m = mapped_new (content, len);
  if (m->guard_hi == NULL)
    {
      mapped_free (m);
      g_test_skip ("no address right after the core's map could be fenced with a guard page");
      return;
    }
  run.m = m;
  run.corpus = c->name;
  run.big = c->pages > 16;
  cur_corpus = c->name;
  run_needles (&run, rand, c->alpha_lo, c->alpha_hi);
  if (c->fill == fill_aaab)
    {
      /* "aa...ab", "baa...a", "aa...a" of all lengths. */
      for (gsize il = 1; il < G_N_ELEMENTS (needle_lengths); il++)
        {
          int64_t n = needle_lengths[il];
          g_autofree guint8 *nd = NULL;
          if (n > len || (run.big && n > 257))
            continue;
          nd = g_malloc ((gsize) n);
          memset (nd, 'a', (gsize) n);
          check_needle (&run, rand, "a*", nd, n);
          nd[n - 1] = 'b';
          check_needle (&run, rand, "a*b", nd, n);
          nd[n - 1] = 'a';
          nd[0] = 'b';
          check_needle (&run, rand, "ba*", nd, n);
        }
    }
  g_test_message ("%s: %" G_GINT64_FORMAT " find/rfind calls, %" G_GINT64_FORMAT " wrong",
                  c->name, run.calls, run.failures);
  if (run.failures > MAX_REPORTED)
    fail_case ("%s: %" G_GINT64_FORMAT " wrong results in all (first %d shown)",
                        c->name, run.failures, MAX_REPORTED);
  cur_corpus = "(none)";
  mapped_free (m);
}

/* Windows inside the map whose edges are page boundaries, fenced by making
 * every page outside the window PROT_NONE: the core must not read them. */
static void
test_interior_windows (void)
{
  const int64_t pages = 8, len = pages * ps;
  g_autoptr (GRand) rand = test_rand ();
  g_autofree guint8 *content = g_malloc ((gsize) len);
  Mapped *m;
  Run run = { 0 };
  static const int64_t lens[] = { 1, 2, 3, 4, 7, 8, 16, 17, 32, 33, 64, 65, 255, 256, 1000, 4096, 4097 };

  fill_two_letters (content, len, rand);
  m = mapped_new (content, len);
  run.m = m;
  run.corpus = "two-letters-interior";
  cur_corpus = run.corpus;

  for (int64_t a = 0; a < pages; a++)
    for (int64_t b = a + 1; b <= pages; b++)
      {
        int64_t ws = a * ps, we = b * ps;
        if (a > 0)
          g_assert_no_errno (mprotect (m->data, (size_t) ws, PROT_NONE));
        if (b < pages)
          g_assert_no_errno (mprotect (m->data + we, (size_t) (len - we), PROT_NONE));

        for (gsize il = 0; il < G_N_ELEMENTS (lens); il++)
          {
            int64_t n = lens[il];
            Matches mt = { 0 };
            guint8 *nd;
            if (n > we - ws)
              continue;
            /* The window's tail, a partial match into its end, its head, a
             * partial match before its start. */
            for (int kind = 0; kind < 4; kind++)
              {
                nd = g_malloc ((gsize) n);
                switch (kind)
                  {
                  case 0: memcpy (nd, content + we - n, (gsize) n); break;
                  case 1: memcpy (nd, content + we - n + 1, (gsize) n - 1); nd[n - 1] = 'a'; break;
                  case 2: memcpy (nd, content + ws, (gsize) n); break;
                  default: memcpy (nd + 1, content + ws, (gsize) n - 1); nd[0] = 'b'; break;
                  }
                if (n == 1 && kind == 1)
                  nd[0] = 'c';
                matches_compute (&mt, content, len, nd, n);
                static const char *const kind_names[] = {
                  "window-tail", "window-tail-partial", "window-head", "window-head-partial"
                };
                const int64_t wstarts[] = { ws, ws + 1, we - n, we - n - 1, we - n + 1 };
                const int64_t wends[] = { we, we - 1, ws + n, ws + n - 1, ws + n + 1 };
                for (gsize i = 0; i < G_N_ELEMENTS (wstarts); i++)
                  if (wstarts[i] >= ws && wstarts[i] <= we)
                    check_window (&run, kind_names[kind], nd, n, &mt, wstarts[i], we);
                for (gsize i = 0; i < G_N_ELEMENTS (wends); i++)
                  if (wends[i] >= ws && wends[i] <= we)
                    check_window (&run, kind_names[kind], nd, n, &mt, ws, wends[i]);
                g_free (mt.pos);
                g_free (nd);
              }
          }
        g_assert_no_errno (mprotect (m->data, (size_t) len, PROT_READ));
      }
  g_test_message ("interior: %" G_GINT64_FORMAT " find/rfind calls, %" G_GINT64_FORMAT " wrong",
                  run.calls, run.failures);
  if (run.failures > MAX_REPORTED)
    fail_case ("interior: %" G_GINT64_FORMAT " wrong results in all (first %d shown)",
                        run.failures, MAX_REPORTED);
  cur_corpus = "(none)";
  mapped_free (m);
}

int
main (int argc, char **argv)
{
  test_init_keep_going (&argc, &argv);
  ps = mm_pagesize ();
  install_reporter ();

  for (gsize i = 0; i < G_N_ELEMENTS (corpora); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mm/find/never-reads-outside-window/%s", corpora[i].name);
      g_test_add_data_func (path, &corpora[i], test_corpus);
    }
  g_test_add_func ("/mm/find/never-reads-outside-window/interior-page-fences", test_interior_windows);
  return g_test_run ();
}
