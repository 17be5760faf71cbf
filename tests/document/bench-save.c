/* bench-save.c: Save As of a 1 TiB sparse file holding 1 MiB of data at 3
 * places, side by side with `cp --sparse=always` of the same file (and with
 * cp followed by `sync FILE`, since Save As makes its copy durable); and a
 * copy-on-write Save of a 1-byte edit in an 8 GiB file.
 *
 * Prints the median of the runs of each, the copies' allocated sizes (du),
 * and the ratios against the targets: Save As under 2x cp, its copy within
 * a few MiB of the data; the Save under 50 ms.
 *
 *   bench-save [-n RUNS (5)] [-d DIR ($MAPHEX_BENCH_DIR or the temp dir)]
 *              [--real] [--strict]
 *
 * --real writes the 8 GiB file's bytes (else it is sparse, with data at its
 * start and end); --strict fails when a target is missed. */
#include "maphex-document-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define MIB ((gint64) 1 << 20)

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Result *r = data;

  r->ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
  g_assert_true (r->ok);
}

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gint64
allocated (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return (gint64) st.st_blocks * 512;
}

static void
spawn (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* `len` bytes, sparse, with `n` bytes of data at each of `at`. */
static void
make_sparse (const char   *path,
             gint64        len,
             const gint64 *at,
             guint         n_at,
             gint64        n)
{
  g_autofree guint8 *data = g_malloc (n);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, len), ==, 0);
  for (guint k = 0; k < n_at; k++)
    {
      for (gint64 i = 0; i < n; i++)
        data[i] = (guint8) (i * 31 + k + 1);
      g_assert_cmpint (pwrite (fd, data, n, at[k]), ==, n);
    }
  g_assert_cmpint (fsync (fd), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

static void
make_real (const char *path,
           gint64      len)
{
  g_autofree guint8 *buf = g_malloc (MIB);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (gint64 i = 0; i < MIB; i++)
    buf[i] = (guint8) (i * 13 + 5);
  for (gint64 pos = 0; pos < len; pos += MIB)
    {
      buf[0] = (guint8) (pos >> 20);
      g_assert_cmpint (write (fd, buf, MIB), ==, MIB);
    }
  g_assert_cmpint (fsync (fd), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

/* The copy holds the source's data at each of `at`. */
static void
check_copy (const char   *source,
            const char   *copy,
            const gint64 *at,
            guint         n_at,
            gint64        n,
            gint64        len)
{
  g_autofree guint8 *a = g_malloc (n);
  g_autofree guint8 *b = g_malloc (n);
  int fa = open (source, O_RDONLY | O_CLOEXEC);
  int fb = open (copy, O_RDONLY | O_CLOEXEC);
  struct stat st;

  g_assert_cmpint (fstat (fb, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, len);
  for (guint k = 0; k < n_at; k++)
    {
      g_assert_cmpint (pread (fa, a, n, at[k]), ==, n);
      g_assert_cmpint (pread (fb, b, n, at[k]), ==, n);
      g_assert_cmpmem (a, n, b, n);
    }
  close (fa);
  close (fb);
}

int
main (int    argc,
      char **argv)
{
  const gint64 tib = (gint64) 1 << 40;
  const gint64 at[] = { 0, tib / 2, tib - MIB };
  const gint64 big = (gint64) 8 << 30;
  const char *dir_arg = NULL;
  gboolean strict = FALSE, real = FALSE;
  g_autofree char *dir = NULL;
  g_autofree char *sparse = NULL, *saved = NULL, *cp_copy = NULL, *big_path = NULL;
  g_autofree double *t_save_as = NULL, *t_cp = NULL, *t_cp_sync = NULL, *t_save = NULL;
  gint64 du_source, du_saved, du_cp;
  double m_save_as, m_cp, m_cp_sync, m_save;
  int runs = 5;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-n") && i + 1 < argc)
        runs = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "-d") && i + 1 < argc)
        dir_arg = argv[++i];
      else if (g_str_equal (argv[i], "--real"))
        real = TRUE;
      else if (g_str_equal (argv[i], "--strict"))
        strict = TRUE;
    }
  runs = MAX (runs, 1);
  if (dir_arg == NULL)
    dir_arg = g_getenv ("MAPHEX_BENCH_DIR");
  dir = g_strdup (dir_arg != NULL ? dir_arg : g_get_tmp_dir ());
  sparse = g_build_filename (dir, "maphex-bench-save.sparse", NULL);
  saved = g_build_filename (dir, "maphex-bench-save.saved", NULL);
  cp_copy = g_build_filename (dir, "maphex-bench-save.cp", NULL);
  big_path = g_build_filename (dir, "maphex-bench-save.big", NULL);
  t_save_as = g_new (double, runs);
  t_cp = g_new (double, runs);
  t_cp_sync = g_new (double, runs);
  t_save = g_new (double, runs);

  /* ---- Save As of 1 TiB sparse, 1 MiB of data at 3 places ---- */
  printf ("# bench-save in %s, median of %d runs\n", dir, runs);
  make_sparse (sparse, tib, at, G_N_ELEMENTS (at), MIB);
  du_source = allocated (sparse);
  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (sparse);
      g_autoptr(GFile) dest = g_file_new_for_path (saved);
      g_autoptr(GError) error = NULL;
      g_autoptr(MaphexDocument) doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE,
                                                                    &error);
      const char *cp[] = { "cp", "--sparse=always", sparse, cp_copy, NULL };
      const char *sync_cmd[] = { "sync", cp_copy, NULL };
      Result r = { 0 };
      double start;

      g_assert_no_error (error);
      g_unlink (saved);
      g_unlink (cp_copy);
      start = now_s ();
      maphex_document_save_as_async (doc, dest, NULL, on_done, &r);
      wait_for (&r);
      t_save_as[i] = now_s () - start;

      start = now_s ();
      spawn (cp);
      t_cp[i] = now_s () - start;
      spawn (sync_cmd);
      t_cp_sync[i] = now_s () - start;
    }
  check_copy (sparse, saved, at, G_N_ELEMENTS (at), MIB, tib);
  check_copy (sparse, cp_copy, at, G_N_ELEMENTS (at), MIB, tib);
  du_saved = allocated (saved);
  du_cp = allocated (cp_copy);
  m_save_as = median (t_save_as, runs);
  m_cp = median (t_cp, runs);
  m_cp_sync = median (t_cp_sync, runs);
  g_unlink (saved);
  g_unlink (cp_copy);
  g_unlink (sparse);

  printf ("Save As of 1 TiB sparse (3 x 1 MiB of data): %.1f ms, du %.2f MiB (source %.2f MiB)\n",
          m_save_as * 1000, (double) du_saved / MIB, (double) du_source / MIB);
  printf ("cp --sparse=always: %.1f ms, du %.2f MiB; cp then sync FILE: %.1f ms\n",
          m_cp * 1000, (double) du_cp / MIB, m_cp_sync * 1000);
  printf ("Save As / cp: %.2f (target < 2); Save As / (cp + sync): %.2f\n",
          m_save_as / m_cp, m_save_as / m_cp_sync);

  /* ---- Copy-on-write Save of a 1-byte edit in 8 GiB ---- */
  if (real)
    make_real (big_path, big);
  else
    {
      const gint64 big_at[] = { 0, big - MIB };
      make_sparse (big_path, big, big_at, G_N_ELEMENTS (big_at), MIB);
    }
  {
    g_autoptr(GFile) file = g_file_new_for_path (big_path);
    g_autoptr(GError) error = NULL;
    g_autoptr(MaphexDocument) doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE,
                                                                  &error);
    g_assert_no_error (error);
    for (int i = 0; i < runs; i++)
      {
        /* A different byte each time, in the middle, where a real file
         * has data and a sparse one a hole. */
        gint64 offset = big / 2 + i * 4099;
        guint8 byte = (guint8) (0xa0 + i), back;
        Result r = { 0 };
        double start;
        int fd;

        g_assert_true (maphex_document_replace (doc, offset, &byte, 1, &error));
        g_assert_no_error (error);
        start = now_s ();
        maphex_document_save_async (doc, NULL, on_done, &r);
        wait_for (&r);
        t_save[i] = now_s () - start;
        fd = open (big_path, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint (pread (fd, &back, 1, offset), ==, 1);
        close (fd);
        g_assert_cmpuint (back, ==, byte);
      }
  }
  g_unlink (big_path);
  m_save = median (t_save, runs);
  printf ("copy-on-write Save of a 1-byte edit in 8 GiB (%s): %.2f ms (target < 50 ms)\n",
          real ? "real data" : "sparse", m_save * 1000);

  if (strict && (m_save_as >= 2 * m_cp || du_saved > du_source + 4 * MIB || m_save >= 0.050))
    return 1;
  return 0;
}
