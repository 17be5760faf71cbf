/* bench-run.c: Insert 1 byte at offset 0 of a big page-cached write-through
 * file, through maphex_document_insert_async, with the main loop running.
 *
 * Prints: the time and throughput of the insert (every byte of the file
 * moves), dd's copy of the same file on the same disk measured side by side
 * (`dd bs=1M`, page cache to page cache, as the insert is: to a new file, and
 * over an existing copy in place, which is the like-for-like one), their
 * ratio (target >= 0.5), and the longest gap between two callbacks of a 5 ms
 * timer on the main loop, each of which reads 4 KiB through an export as a
 * view on screen does (target <= 50 ms).
 *
 *   bench-run [-s MiB (4096)] [-d DIR ($MAPHEX_BENCH_DIR or the temp dir)] [--strict]
 *
 * --strict fails when a target is missed. */
#include "maphex-document-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define TICK_MS 5

typedef struct {
  MaphexExport *export_;
  gint64        last;
  gint64        max_gap;
  gint64        max_gap_at;   /* when it ended, since the start */
  gint64        start;
  guint         ticks;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Bench;

static gboolean
tick_cb (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  guint8 buf[4096];

  if (b->last > 0 && now - b->last > b->max_gap)
    {
      b->max_gap = now - b->last;
      b->max_gap_at = now - b->start;
    }
  b->last = now;
  b->ticks++;
  /* As a view draws: a fault-safe copy through its export, under the lock. */
  maphex_export_copy (b->export_, 0, buf, sizeof buf, NULL);
  return G_SOURCE_CONTINUE;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Bench *b = data;

  b->ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &b->error);
  b->done = TRUE;
}

static void
make_file (const char *path,
           gint64      size)
{
  const gsize block = 1 << 20;
  g_autofree guint8 *buf = g_malloc (block);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < block; i++)
    buf[i] = (guint8) (i * 31 + 7);
  for (gint64 pos = 0; pos < size; pos += block)
    {
      buf[0] = (guint8) (pos >> 20);
      g_assert_cmpint (write (fd, buf, block), ==, (gssize) block);
    }
  g_assert_cmpint (close (fd), ==, 0);
}

/* dd if=src of=dst bs=1M; `over`: onto the existing dst, in place
 * (conv=notrunc), as the insert rewrites pages that exist. */
static double
run_dd (const char *src,
        const char *dst,
        gboolean    over)
{
  g_autofree char *in = g_strconcat ("if=", src, NULL);
  g_autofree char *out = g_strconcat ("of=", dst, NULL);
  const char *argv[] = { "dd", in, out, "bs=1M", "status=none", over ? "conv=notrunc" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  gint64 mib = 4096;
  const char *dir_arg = NULL;
  gboolean strict = FALSE;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  Bench b = { 0 };
  guint8 first[2], last[1], orig_first[1], orig_last[1];
  gint64 size, start;
  double t_insert, t_dd, t_dd_new, gb;
  guint tick;
  int fd;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-s") && i + 1 < argc)
        mib = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "-d") && i + 1 < argc)
        dir_arg = argv[++i];
      else if (g_str_equal (argv[i], "--strict"))
        strict = TRUE;
    }
  if (dir_arg == NULL)
    dir_arg = g_getenv ("MAPHEX_BENCH_DIR");
  dir = g_strdup (dir_arg != NULL ? dir_arg : g_get_tmp_dir ());
  size = mib << 20;
  path = g_build_filename (dir, "maphex-bench-run.bin", NULL);
  copy = g_build_filename (dir, "maphex-bench-run.dd", NULL);

  printf ("# bench-run: insert 1 byte at offset 0 of %" G_GINT64_FORMAT " MiB in %s\n", mib, dir);
  make_file (path, size);
  /* Into the page cache, for both sides. */
  t_dd = run_dd (path, "/dev/null", FALSE);
  printf ("read into the page cache: %.2f s\n", t_dd);
  t_dd_new = run_dd (path, copy, FALSE);
  t_dd = run_dd (path, copy, TRUE);
  g_unlink (copy);
  /* dd's dirty pages go to disk now, not during the insert. */
  sync ();

  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (pread (fd, orig_first, 1, 0), ==, 1);
  g_assert_cmpint (pread (fd, orig_last, 1, size - 1), ==, 1);
  close (fd);

  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_WRITE_THROUGH, &error);
  g_assert_no_error (error);
  b.export_ = maphex_document_export (doc, &error);
  g_assert_no_error (error);

  tick = g_timeout_add (TICK_MS, tick_cb, &b);
  start = b.start = g_get_monotonic_time ();
  maphex_document_insert_async (doc, b.export_, 0, NULL, 1, NULL, done_cb, &b);
  while (!b.done)
    g_main_context_iteration (NULL, TRUE);
  t_insert = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_source_remove (tick);
  g_assert_no_error (b.error);

  g_assert_true (maphex_export_copy (b.export_, 0, first, 2, NULL));
  g_assert_true (maphex_export_copy (b.export_, size, last, 1, NULL));
  g_assert_cmpuint (first[0], ==, 0);
  g_assert_cmpuint (first[1], ==, orig_first[0]);
  g_assert_cmpuint (last[0], ==, orig_last[0]);
  maphex_document_unexport (doc, b.export_);
  g_clear_object (&doc);
  g_unlink (path);

  gb = (double) size / 1e9;
  printf ("insert: %.2f s, %.2f GB/s (%u main-loop ticks)\n", t_insert, gb / t_insert, b.ticks);
  printf ("dd bs=1M to a new file: %.2f s, %.2f GB/s\n", t_dd_new, gb / t_dd_new);
  printf ("dd bs=1M over an existing copy (conv=notrunc): %.2f s, %.2f GB/s\n", t_dd, gb / t_dd);
  printf ("insert throughput / dd: %.2f over a copy, %.2f to a new file (target >= 0.5)\n",
          t_dd / t_insert, t_dd_new / t_insert);
  printf ("longest main-loop gap: %.1f ms, ending %.0f ms after the start (target <= 50 ms; timer %d ms)\n",
          (double) b.max_gap / 1000.0, (double) b.max_gap_at / 1000.0, TICK_MS);

  if (strict && (t_dd / t_insert < 0.5 || b.max_gap > 50 * 1000))
    return 1;
  return 0;
}
