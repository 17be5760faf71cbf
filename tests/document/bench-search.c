/* bench-search.c: the editor's search path on a large page-cached file.
 *
 * Writes a file of random bytes (1 GiB by default), opens it as a document
 * and times maphex_document_find_async() end to end, main loop included, for
 * a needle at the far end of each direction's path: the last 16 bytes for a
 * forward search from 0, the first 16 bytes for a backward search from the
 * end. Reports the median of several runs against the 0.5 s target, and
 * glibc memmem() over the same mapped bytes as the baseline.
 *
 *   bench-search [-s MiB] [-r runs] [--keep-going]
 */
#define _GNU_SOURCE
#include "maphex-document-private.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define NEEDLE_LEN 16
#define TARGET_S   0.5

static gint64 size_mib = 1024;
static gint   runs = 5;

static GOptionEntry entries[] = {
  { "size", 's', 0, G_OPTION_ARG_INT64, &size_mib, "File size in MiB (default 1024)", "MIB" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Timed runs per case (default 5)", "N" },
  { NULL }
};

static char *
write_random_file (gint64 size)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *buf = NULL;
  const gsize block = 4 * 1024 * 1024;
  guint64 x = 0x9e3779b97f4a7c15ull;
  char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("maphex-bench-search-XXXXXX", &path, &error);
  g_assert_no_error (error);

  buf = g_malloc (block);
  for (gint64 done = 0; done < size; )
    {
      gsize n = (gsize) MIN ((gint64) block, size - done);

      for (gsize i = 0; i < block / 8; i++)
        {
          /* xorshift64 */
          x ^= x << 13;
          x ^= x >> 7;
          x ^= x << 17;
          buf[i] = x;
        }
      if (write (fd, buf, n) != (gssize) n)
        g_error ("writing %s: %s", path, g_strerror (errno));
      done += (gint64) n;
    }
  close (fd);
  return path;
}

typedef struct {
  gboolean done;
  gint64   offset;
  GError  *error;
} Call;

static void
find_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Call *call = data;

  call->offset = maphex_document_find_finish (MAPHEX_DOCUMENT (source), result, &call->error);
  call->done = TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, (gsize) n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One end-to-end search, main loop included; seconds. */
static double
time_find (MaphexDocument *doc,
           GBytes         *needle,
           gboolean        ignore_case,
           gint64          from,
           gboolean        backwards,
           gint64          expected)
{
  Call call = { 0 };
  gint64 t0 = g_get_monotonic_time ();

  maphex_document_find_async (doc, needle, ignore_case, from, backwards,
                              NULL, NULL, NULL, find_done, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (call.error != NULL)
    g_error ("search failed: %s", call.error->message);
  if (call.offset != expected)
    g_error ("search found %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             call.offset, expected);
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

static gboolean
bench_case (const char     *name,
            MaphexDocument *doc,
            GBytes         *needle,
            gboolean        ignore_case,
            gint64          from,
            gboolean        backwards,
            gint64          expected,
            gboolean        judged)
{
  g_autofree double *t = g_new (double, runs);
  double first, med, gib = (double) maphex_document_get_length (doc) / (1 << 30);

  first = time_find (doc, needle, ignore_case, from, backwards, expected);
  for (int i = 0; i < runs; i++)
    t[i] = time_find (doc, needle, ignore_case, from, backwards, expected);
  med = median (t, runs);

  g_print ("%-28s median %.3f s (%.2f GiB/s), first run %.3f s", name, med, gib / med, first);
  if (judged)
    g_print ("   %s < %.1f s\n", med < TARGET_S ? "PASS" : "FAIL", TARGET_S);
  else
    g_print ("\n");
  return !judged || med < TARGET_S;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) tail = NULL, head = NULL;
  g_autofree char *path = NULL;
  g_autofree double *t = NULL;
  MaphexDocument *doc;
  MaphexExport *export_;
  const guint8 *data;
  gint64 size;
  gboolean ok = TRUE;

  context = g_option_context_new ("- time the editor's search on a large file");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  runs = MAX (runs, 1);
  size = size_mib * 1024 * 1024;

  g_print ("writing %" G_GINT64_FORMAT " MiB of random bytes...\n", size_mib);
  path = write_random_file (size);
  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_no_error (error);

  /* The needles: the file's own last and first bytes. */
  export_ = maphex_document_export (doc, &error);
  g_assert_no_error (error);
  {
    guint8 buf[NEEDLE_LEN];

    g_assert_true (maphex_export_copy (export_, size - NEEDLE_LEN, buf, NEEDLE_LEN, NULL));
    tail = g_bytes_new (buf, NEEDLE_LEN);
    g_assert_true (maphex_export_copy (export_, 0, buf, NEEDLE_LEN, NULL));
    head = g_bytes_new (buf, NEEDLE_LEN);
  }

  /* Baseline: glibc memmem over the same mapped bytes (page cache warm:
   * the file was just written; the first pass also maps the pages in). */
  data = mm_view_data (_maphex_export_get_view (export_));
  t = g_new (double, runs);
  for (int i = -1; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      const guint8 *p = memmem (data, (gsize) size, g_bytes_get_data (tail, NULL), NEEDLE_LEN);

      if (p != data + size - NEEDLE_LEN)
        g_error ("memmem found the tail needle at %td", p != NULL ? p - data : (ptrdiff_t) -1);
      if (i >= 0)
        t[i] = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
    }
  {
    double med = median (t, runs);
    g_print ("%-28s median %.3f s (%.2f GiB/s)\n", "baseline memmem",
             med, (double) size / (1 << 30) / med);
  }
  maphex_document_unexport (doc, export_);

  ok &= bench_case ("find forward (far end)", doc, tail, FALSE, 0, FALSE, size - NEEDLE_LEN, TRUE);
  ok &= bench_case ("find backward (far end)", doc, head, FALSE, size, TRUE, 0, TRUE);
  bench_case ("find forward, ignore case", doc, tail, TRUE, 0, FALSE, size - NEEDLE_LEN, FALSE);

  g_assert_finalize_object (doc);
  g_unlink (path);
  g_print ("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
