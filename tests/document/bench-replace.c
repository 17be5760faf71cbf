/* bench-replace.c: Replace All at scale. A write-through file of 256 MiB of
 * random bytes holds 100 000 copies of an 8-byte needle, spread evenly;
 * Replace All through maphex_document_replace_all_async with the main loop
 * running, then its undo (maphex_document_undo_async) and its redo, three
 * times: with a replacement of the same length (only the matches are
 * written), a longer one (12 bytes: the file grows, every byte after the
 * first match moves once) and a shorter one (4 bytes). Each result is
 * checked against the count and the length it must have, and the undo
 * against the file's first bytes and its length.
 *
 * Prints the time of each step, the longest main-loop gap (a 5 ms timer,
 * as a view's redraws), and, for the growing replacement, the time of one
 * insert of 4 bytes at the first match as the same run does it: what a
 * single shift of the tail costs, so that the ratio shows the tail moved
 * once, not once per match.
 *
 *   bench-replace [-s MiB (256)] [-m matches (100000)] [-d DIR
 *                 ($MAPHEX_BENCH_DIR or the temp dir)] [--strict]
 *
 * --strict fails when the growing Replace All takes more than matches / 100
 * times one insert at its first match: moving the tail once per match would
 * take about matches / 2 times (each move half the file on average), one
 * pass takes one move plus a read and a write per match. */
#include "maphex-document-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define NEEDLE "MAPHEX!!"
#define NLEN   8

typedef struct {
  gboolean done;
  gint64   count;
  GError  *error;
} Result;

static gint64 longest_gap;
static gint64 last_tick;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0 && now - last_tick > longest_gap)
    longest_gap = now - last_tick;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Result *r = data;

  r->count = maphex_document_replace_all_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

static void
operation_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Result *r = data;

  r->count = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &r->error);
  r->done = TRUE;
}

/* Waits for r, and returns the seconds since `start`. */
static double
wait_for (Result *r,
          gint64  start)
{
  last_tick = 0;
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r->error);
  return (g_get_monotonic_time () - start) / 1e6;
}

static char *
make_file (const char *dir,
           gint64      size,
           guint       matches,
           gint64     *first)
{
  char *path = g_build_filename (dir, "maphex-bench-replace.bin", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree guint8 *data = g_malloc (size);
  gint64 stride = size / matches;
  g_autoptr(GError) error = NULL;

  for (gint64 i = 0; i + 4 <= size; i += 4)
    {
      guint32 v = g_rand_int (rand);
      memcpy (data + i, &v, 4);
    }
  for (guint i = 0; i < matches; i++)
    memcpy (data + stride / 2 + (gint64) i * stride, NEEDLE, NLEN);
  *first = stride / 2;
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return path;
}

static MaphexDocument *
open_doc (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, MAPHEX_MODE_WRITE_THROUGH, &error);

  g_assert_no_error (error);
  return doc;
}

/* Replace All with `with`, undo, redo; the times in `t` (seconds). */
static void
run_case (MaphexDocument *doc,
          const char     *with,
          guint           matches,
          gint64          size,
          double          t[3],
          gint64          gaps[3])
{
  g_autoptr(GBytes) needle = g_bytes_new_static (NEEDLE, NLEN);
  g_autoptr(GBytes) repl = g_bytes_new (with, strlen (with));
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexSearchQuery) q = maphex_search_query_new_bytes (needle, FALSE, &error);
  gint64 grown = size + (gint64) matches * ((gint64) strlen (with) - NLEN);
  Result r = { 0 };

  g_assert_no_error (error);
  longest_gap = 0;
  {
    gint64 start = g_get_monotonic_time ();
    maphex_document_replace_all_async (doc, q, repl, NULL, NULL, replaced_cb, &r);
    t[0] = wait_for (&r, start);
  }
  gaps[0] = longest_gap;
  g_assert_cmpint (r.count, ==, matches);
  g_assert_cmpint (maphex_document_get_length (doc), ==, grown);

  r = (Result) { 0 };
  longest_gap = 0;
  {
    gint64 start = g_get_monotonic_time ();
    maphex_document_undo_async (doc, NULL, NULL, operation_cb, &r);
    t[1] = wait_for (&r, start);
  }
  gaps[1] = longest_gap;
  g_assert_cmpint (maphex_document_get_length (doc), ==, size);

  r = (Result) { 0 };
  longest_gap = 0;
  {
    gint64 start = g_get_monotonic_time ();
    maphex_document_redo_async (doc, NULL, NULL, operation_cb, &r);
    t[2] = wait_for (&r, start);
  }
  gaps[2] = longest_gap;
  g_assert_cmpint (maphex_document_get_length (doc), ==, grown);

  /* Back to the file as made, for the next case. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, size);
}

int
main (int    argc,
      char **argv)
{
  gint64 size_mib = 256;
  gint matches = 100000;
  const char *dir = g_getenv ("MAPHEX_BENCH_DIR");
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
    { "size", 's', 0, G_OPTION_ARG_INT64, &size_mib, "File size in MiB", "MIB" },
    { "matches", 'm', 0, G_OPTION_ARG_INT, &matches, "Matches", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Where the file goes", "DIR" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail when the target is missed", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Replace All at scale");
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  g_autofree char *path = NULL;
  const char *cases[] = { "hexmap!!", "hexmap!!four", "hex!" };
  const char *names[] = { "same length (8 → 8)", "longer (8 → 12)", "shorter (8 → 4)" };
  double times[3][3];
  gint64 gaps[3][3];
  double insert_s;
  gint64 size, first;
  gboolean ok = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (dir == NULL)
    dir = g_get_tmp_dir ();
  size = size_mib << 20;
  path = make_file (dir, size, (guint) matches, &first);
  doc = open_doc (path);
  g_timeout_add (5, tick_cb, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    run_case (doc, cases[c], (guint) matches, size, times[c], gaps[c]);

  /* One shift of the tail from the first match, as the growing case needs. */
  {
    Result r = { 0 };
    gint64 start = g_get_monotonic_time ();
    g_autoptr(GBytes) four = g_bytes_new_static ("four", 4);

    maphex_document_insert_async (doc, NULL, first, four, 4, NULL, operation_cb, &r);
    insert_s = wait_for (&r, start);
  }

  printf ("Replace All of %d matches in %" G_GINT64_FORMAT " MiB (write-through, %s)\n",
          matches, size_mib, dir);
  printf ("%-22s %12s %12s %12s   longest main-loop gap\n", "replacement", "replace", "undo", "redo");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    printf ("%-22s %10.3f s %10.3f s %10.3f s   %.1f / %.1f / %.1f ms\n", names[c],
            times[c][0], times[c][1], times[c][2],
            gaps[c][0] / 1e3, gaps[c][1] / 1e3, gaps[c][2] / 1e3);
  printf ("one insert of 4 bytes at the first match: %.3f s; longer Replace All / insert: %.2f "
          "(target <= %d; a tail moved per match: about %d)\n", insert_s, times[1][0] / insert_s,
          matches / 100, matches / 2);
  if (strict && times[1][0] > (matches / 100) * insert_s)
    ok = FALSE;

  g_clear_object (&doc);
  g_unlink (path);
  return ok ? 0 : 1;
}
