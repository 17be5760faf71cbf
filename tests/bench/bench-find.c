/* bench-find.c: the core's find/rfind against glibc memmem on 1 GiB.
 *
 * 1 GiB of random bytes in a file on /dev/shm (else /tmp), so it is page
 * cached; mapped by the core (READ). The needle sits at the far end of each
 * search's path: find looks for the last n bytes from 0, rfind for the first
 * n bytes, memmem for the last n bytes over the very same mapped bytes. The
 * data is scrubbed so that each needle occurs exactly once.
 *
 * Targets (mm-core.md, "Search"), 16-byte needle, best of the repetitions:
 *   find  >= memmem
 *   rfind >= 0.8 * find
 *
 * Usage: bench-find [-s MiB] [-r repetitions] [--strict]
 * Exits 0 unless a search gives a wrong answer; --strict also fails on a
 * missed target. Run by `meson test --benchmark --suite bench -v`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "mm-map.h"

#define MAX_REPS 50
#define SCRUB_EDGE 64   /* the head and tail bytes the needles come from */

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng_next (void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

static void
fill_random (uint8_t *buf, size_t size)
{
  size_t i = 0;
  for (; i + 8 <= size; i += 8)
    {
      uint64_t v = rng_next ();
      memcpy (buf + i, &v, 8);
    }
  for (; i < size; i++)
    buf[i] = (uint8_t) rng_next ();
}

/* Change one byte of every occurrence of pat (4 bytes) in buf[from, to) other
 * than the edges the needles are taken from. Returns the number changed, or
 * -1 if an occurrence lies entirely in an edge. */
static long
scrub_occurrences (uint8_t *buf, size_t size, const uint8_t pat[4], size_t from, size_t to)
{
  long changed = 0;
  size_t at = from;
  while (at < to)
    {
      const uint8_t *hit = memmem (buf + at, to - at, pat, 4);
      size_t p, q;
      if (hit == NULL)
        break;
      p = (size_t) (hit - buf);
      if (p + 4 > to)
        break;
      for (q = p; q < p + 4; q++)
        if (q >= SCRUB_EDGE && q < size - SCRUB_EDGE)
          break;
      if (q == p + 4)
        return -1;
      buf[q] ^= 0x5a;
      changed++;
      at = p >= 3 ? p - 3 : 0;
    }
  return changed;
}

/* Make the first 4 bytes occur only at 0 and the last 4 only at size - 4, so
 * every needle (4, 16, 64 bytes from the ends) occurs exactly once. */
static int
scrub (uint8_t *buf, size_t size)
{
  for (int round = 0; round < 8; round++)
    {
      uint8_t head[4], tail[4];
      long a, b;
      memcpy (head, buf, 4);
      memcpy (tail, buf + size - 4, 4);
      a = scrub_occurrences (buf, size, tail, 0, size - 1);     /* occurrences starting before size - 4 */
      b = scrub_occurrences (buf, size, head, 1, size);         /* occurrences starting after 0 */
      if (a < 0 || b < 0)
        return -1;
      if (a == 0 && b == 0)
        return 0;
    }
  return -1;
}

static const char *
pick_dir (void)
{
  struct statvfs sv;
  if (statvfs ("/dev/shm", &sv) == 0 &&
      (uint64_t) sv.f_bavail * sv.f_frsize > ((uint64_t) 3 << 30) / 2)
    return "/dev/shm";
  return "/tmp";
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

typedef struct {
  double best_gbs, median_gbs;
} Rate;

typedef enum { WHAT_FIND, WHAT_RFIND, WHAT_MEMMEM } What;

static int wrong = 0;

static Rate
measure (MmMap *map, const uint8_t *data, int64_t size, int n, What what, int reps)
{
  double secs[MAX_REPS];
  const uint8_t *needle = what == WHAT_RFIND ? data : data + size - n;
  int64_t want = what == WHAT_RFIND ? 0 : size - n;
  uint8_t nd[64];
  Rate r;

  memcpy (nd, needle, (size_t) n);   /* the needle from ordinary memory, as a user's would be */
  for (int i = 0; i < reps; i++)
    {
      int64_t idx = -2;
      MmError err;
      MmStatus st = MM_OK;
      double t0 = now ();
      if (what == WHAT_FIND)
        st = mm_map_find (map, nd, n, 0, INT64_MAX, &idx, &err);
      else if (what == WHAT_RFIND)
        st = mm_map_rfind (map, nd, n, 0, INT64_MAX, &idx, &err);
      else
        {
          const uint8_t *hit = memmem (data, (size_t) size, nd, (size_t) n);
          idx = hit != NULL ? hit - data : -1;
        }
      secs[i] = now () - t0;
      if (st != MM_OK || idx != want)
        {
          fprintf (stderr, "WRONG: %s of the %d-byte needle gave status %d, index %lld, expected %lld%s%s\n",
                   what == WHAT_FIND ? "find" : what == WHAT_RFIND ? "rfind" : "memmem", n,
                   (int) st, (long long) idx, (long long) want,
                   st != MM_OK ? ": " : "", st != MM_OK ? err.message : "");
          wrong = 1;
        }
    }
  qsort (secs, (size_t) reps, sizeof secs[0], cmp_double);
  r.best_gbs = (double) size / secs[0] / 1e9;
  r.median_gbs = (double) size / secs[reps / 2] / 1e9;
  return r;
}

int
main (int argc, char **argv)
{
  int64_t size = (int64_t) 1 << 30;
  int reps = 7;
  int strict = 0;
  const char *dir = pick_dir ();
  char path[256];
  static const int lens[] = { 16, 4, 64 };
  Rate rf[3], rr[3], rm[3];
  MmMap *map = NULL;
  MmView *view = NULL;
  MmError err;
  uint8_t *buf;
  const uint8_t *data;
  double t0;
  int fd;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "-s") == 0 && i + 1 < argc)
        size = (int64_t) atoll (argv[++i]) << 20;
      else if (strcmp (argv[i], "-r") == 0 && i + 1 < argc)
        reps = atoi (argv[++i]);
      else if (strcmp (argv[i], "--strict") == 0)
        strict = 1;
      else
        {
          fprintf (stderr, "usage: %s [-s MiB] [-r repetitions] [--strict]\n", argv[0]);
          return 2;
        }
    }
  if (reps < 1 || reps > MAX_REPS || size < (1 << 20))
    {
      fprintf (stderr, "bench-find: repetitions 1..%d, size >= 1 MiB\n", MAX_REPS);
      return 2;
    }

  /* The data: random, scrubbed, written to a page-cached file. */
  t0 = now ();
  buf = malloc ((size_t) size);
  if (buf == NULL)
    {
      fprintf (stderr, "bench-find: cannot allocate %lld bytes\n", (long long) size);
      return 1;
    }
  fill_random (buf, (size_t) size);
  if (scrub (buf, (size_t) size) != 0)
    {
      fprintf (stderr, "bench-find: could not make the needles unique\n");
      return 1;
    }
  snprintf (path, sizeof path, "%s/bench-find-XXXXXX", dir);
  fd = mkstemp (path);
  if (fd < 0)
    {
      fprintf (stderr, "bench-find: %s: %s\n", path, strerror (errno));
      return 1;
    }
  unlink (path);   /* the map keeps it; nothing is left behind */
  for (int64_t done = 0; done < size;)
    {
      ssize_t w = write (fd, buf + done, (size_t) (size - done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          fprintf (stderr, "bench-find: writing %s: %s\n", path, strerror (errno));
          return 1;
        }
      done += w;
    }
  free (buf);

  if (mm_map_new (fd, 0, MAP_SHARED, PROT_READ | PROT_WRITE, MM_ACCESS_READ, 0, false, &map, &err) != MM_OK ||
      mm_map_export (map, &view, &err) != MM_OK)
    {
      fprintf (stderr, "bench-find: mapping: %s\n", err.message);
      return 1;
    }
  data = mm_view_data (view);

  /* Warm up: every page in the page tables, every function once. */
  for (int i = 0; i < 3; i++)
    {
      measure (map, data, size, 16, WHAT_MEMMEM, 1);
      measure (map, data, size, 16, WHAT_FIND, 1);
      measure (map, data, size, 16, WHAT_RFIND, 1);
    }
  double load[1] = { -1 };
  if (getloadavg (load, 1) < 1)
    load[0] = -1;
  printf ("bench-find: %lld MiB of random data in %s (page cache), mapped by the core (READ);\n"
          "            %d repetitions each, GB/s = 1e9 bytes/s over the whole map; setup %.1f s;\n"
          "            load average %.2f on %ld CPUs (a busy machine spreads best and median)\n\n",
          (long long) (size >> 20), dir, reps, now () - t0, load[0], sysconf (_SC_NPROCESSORS_ONLN));

  for (int k = 0; k < 3; k++)
    {
      rm[k] = measure (map, data, size, lens[k], WHAT_MEMMEM, reps);
      rf[k] = measure (map, data, size, lens[k], WHAT_FIND, reps);
      rr[k] = measure (map, data, size, lens[k], WHAT_RFIND, reps);
    }

  printf ("needle | find GB/s     | rfind GB/s    | memmem GB/s   | find/memmem | rfind/find\n");
  printf ("bytes  | best   median | best   median | best   median | best        | best\n");
  printf ("-------+---------------+---------------+---------------+-------------+-----------\n");
  for (int k = 0; k < 3; k++)
    printf ("%6d | %6.2f %6.2f | %6.2f %6.2f | %6.2f %6.2f | %11.2f | %9.2f\n", lens[k],
            rf[k].best_gbs, rf[k].median_gbs, rr[k].best_gbs, rr[k].median_gbs,
            rm[k].best_gbs, rm[k].median_gbs,
            rf[k].best_gbs / rm[k].best_gbs, rr[k].best_gbs / rf[k].best_gbs);

  int pass_find = rf[0].best_gbs >= rm[0].best_gbs;
  int pass_rfind = rr[0].best_gbs >= 0.8 * rf[0].best_gbs;
  printf ("\n%s find >= memmem       (16-byte needle, best): %.2f vs %.2f GB/s, ratio %.2f\n",
          pass_find ? "PASS" : "FAIL", rf[0].best_gbs, rm[0].best_gbs, rf[0].best_gbs / rm[0].best_gbs);
  printf ("%s rfind >= 0.8 * find  (16-byte needle, best): %.2f vs %.2f GB/s, ratio %.2f\n",
          pass_rfind ? "PASS" : "FAIL", rr[0].best_gbs, rf[0].best_gbs, rr[0].best_gbs / rf[0].best_gbs);
  if (wrong)
    printf ("FAIL a search gave a wrong answer (see stderr)\n");

  mm_view_release (view);
  mm_map_free (map);
  close (fd);
  if (wrong)
    return 1;
  return strict && !(pass_find && pass_rfind) ? 1 : 0;
}
