/* bench-undo.c: what undo costs in memory. Deletes 1 GiB at offset 0 of a
 * write-through file (2 GiB: the other 1 GiB moves down) through
 * maphex_document_delete_async with the main loop running, then undoes it.
 *
 * Prints the resident memory (VmRSS of /proc/self/status) before, its
 * increase after the delete and the peak during it (VmHWM, reset before the
 * delete through /proc/self/clear_refs), against the 64 MiB target; then the
 * same after the undo, and the time of each. The removed bytes go to an
 * unlinked temporary file (maphex-document-undo-file.c); --heap keeps them
 * on the heap instead (the threshold raised out of reach), as before, for a
 * comparison.
 *
 *   bench-undo [-s MiB (2048)] [-n MiB deleted (1024)] [-d DIR ($MAPHEX_BENCH_DIR
 *              or the temp dir)] [--heap] [--strict]
 *
 * --strict fails when the target is missed. */
#include "maphex-document-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define TARGET_MIB 64.0

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Result *r = data;

  r->ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_ok (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
  g_assert_true (r->ok);
  *r = (Result) { 0 };
}

/* A field of /proc/self/status, in MiB. */
static double
status_mib (const char *field)
{
  g_autofree char *text = NULL;
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &text, NULL, NULL));
  at = strstr (text, field);
  g_assert_nonnull (at);
  return (double) g_ascii_strtoll (at + strlen (field) + 1, NULL, 10) / 1024.0;
}

/* Resets VmHWM to the current VmRSS (Linux 4.0 and later). */
static gboolean
reset_peak (void)
{
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  gboolean ok = fd >= 0 && write (fd, "5", 1) == 1;

  if (fd >= 0)
    close (fd);
  return ok;
}

/* Byte i of 1 MiB block b: differs between blocks, so a shifted block shows. */
static guint8
pattern (gint64 pos)
{
  return (guint8) ((pos & 0xfffff) * 31 + 7 + (pos >> 20));
}

static void
make_file (const char *path,
           gint64      size)
{
  const gint64 block = 1 << 20;
  g_autofree guint8 *buf = g_malloc (block);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (gint64 pos = 0; pos < size; pos += block)
    {
      for (gint64 i = 0; i < block; i++)
        buf[i] = pattern (pos + i);
      g_assert_cmpint (write (fd, buf, block), ==, (gssize) block);
    }
  g_assert_cmpint (close (fd), ==, 0);
}

/* Checks a few bytes at `at` of the file as it is now (through its own
 * descriptor: reading the map would make pages resident) against the
 * original bytes at `orig`. */
static void
check_bytes (const char *path,
             gint64      at,
             gint64      orig)
{
  guint8 buf[64];
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, buf, sizeof buf, at), ==, (gssize) sizeof buf);
  close (fd);
  for (guint i = 0; i < sizeof buf; i++)
    g_assert_cmpuint (buf[i], ==, pattern (orig + i));
}

int
main (int    argc,
      char **argv)
{
  gint64 mib = 2048, del_mib = 1024;
  const char *dir_arg = NULL;
  gboolean strict = FALSE, heap = FALSE, peak_ok;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  Result r = { 0 };
  gint64 size, len, start;
  double rss0, rss_del, hwm_del, rss_undo, hwm_undo, t_del, t_undo;
  gsize history;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "-s") && i + 1 < argc)
        mib = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "-n") && i + 1 < argc)
        del_mib = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "-d") && i + 1 < argc)
        dir_arg = argv[++i];
      else if (g_str_equal (argv[i], "--heap"))
        heap = TRUE;
      else if (g_str_equal (argv[i], "--strict"))
        strict = TRUE;
    }
  if (dir_arg == NULL)
    dir_arg = g_getenv ("MAPHEX_BENCH_DIR");
  dir = g_strdup (dir_arg != NULL ? dir_arg : g_get_tmp_dir ());
  size = mib << 20;
  len = MIN (del_mib, mib) << 20;
  path = g_build_filename (dir, "maphex-bench-undo.bin", NULL);
  if (heap)
    _maphex_document_set_undo_file_threshold (G_MAXINT64);

  printf ("# bench-undo: delete %" G_GINT64_FORMAT " MiB at offset 0 of %" G_GINT64_FORMAT
          " MiB in write-through, in %s; removed bytes %s\n",
          len >> 20, mib, dir, heap ? "on the heap (--heap)" : "in a temporary file");
  make_file (path, size);

  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_WRITE_THROUGH, &error);
  g_assert_no_error (error);

  rss0 = status_mib ("VmRSS:");
  peak_ok = reset_peak ();
  start = g_get_monotonic_time ();
  maphex_document_delete_async (doc, NULL, 0, len, NULL, done_cb, &r);
  wait_ok (&r);
  t_del = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  rss_del = status_mib ("VmRSS:");
  hwm_del = status_mib ("VmHWM:");
  history = _maphex_document_get_history_bytes (doc);
  g_assert_cmpint (maphex_document_get_length (doc), ==, size - len);
  if (size > len)
    check_bytes (path, 0, len);

  peak_ok = reset_peak () && peak_ok;
  start = g_get_monotonic_time ();
  maphex_document_undo_async (doc, NULL, NULL, done_cb, &r);
  wait_ok (&r);
  t_undo = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  rss_undo = status_mib ("VmRSS:");
  hwm_undo = status_mib ("VmHWM:");
  g_assert_cmpint (maphex_document_get_length (doc), ==, size);
  check_bytes (path, 0, 0);
  check_bytes (path, len - 64, len - 64);
  check_bytes (path, size - 64, size - 64);

  g_clear_object (&doc);
  g_unlink (path);

  printf ("resident before the delete: %.1f MiB\n", rss0);
  printf ("delete: %.2f s; resident +%.1f MiB after, peak +%.1f MiB during%s (target < %.0f MiB); "
          "history memory %.1f MiB\n",
          t_del, rss_del - rss0, hwm_del - rss0, peak_ok ? "" : " (since start: no clear_refs)",
          TARGET_MIB, (double) history / (1 << 20));
  printf ("undo: %.2f s; resident +%.1f MiB after, peak +%.1f MiB during (from before the delete)\n",
          t_undo, rss_undo - rss0, hwm_undo - rss0);

  if (strict && (hwm_del - rss0 >= TARGET_MIB || rss_del - rss0 >= TARGET_MIB))
    return 1;
  return 0;
}
