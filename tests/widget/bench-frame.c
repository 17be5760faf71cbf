/* bench-frame.c: the time to build one full frame of a maximized (1920×1080)
 * hex view, at the top, middle and end of a small file, a 1 GiB file and a
 * 1 TiB sparse file; and beside it the time to rasterize that frame offscreen
 * with GSK's cairo renderer.
 *
 * The frame is what GTK asks the widget for: its snapshot() into a fresh
 * GtkSnapshot, turned into a render node. The budget is 2 ms at any size and
 * position.
 *
 *   bench-frame [--frames N] [--screenshot PATH]
 *
 * --screenshot PREFIX renders the whole window to PREFIX-0-top.png (small
 * file, hex column active), PREFIX-1-middle.png (1 GiB, text column active)
 * and PREFIX-2-end.png (1 TiB), to look at.
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-hex-view-private.h"
#include "widget-test-util.h"

#define BUDGET_MS 2.0

static int n_frames = 200;
static int n_rasters = 20;
static char *screenshot_path;

static double
clock_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static double
now_ms (void)
{
  return clock_ms (CLOCK_MONOTONIC);
}

/* This thread's CPU time: what the frame costs, without the time other
 * processes on a busy machine took the CPU away in the middle of it. */
static double
cpu_ms (void)
{
  return clock_ms (CLOCK_THREAD_CPUTIME_ID);
}

/* Lets GTK run one frame (layout, then paint) after a scroll, as it does
 * before it asks the widget for a snapshot: the scrollbar is placed. */
static void
settle (GtkWidget *widget)
{
  wt_wait_for_frame (widget);
  wt_drain ();
}

/* A file of `length` bytes (sparse past what is written) with 64 KiB of
 * varied bytes at its start, middle and end, so every position draws data. */
static char *
make_file (gint64 length)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("maphex-bench-XXXXXX", &path, &error);
  guint8 chunk[65536];
  gint64 at[3];

  g_assert_no_error (error);
  for (gsize i = 0; i < sizeof chunk; i++)
    chunk[i] = (guint8) ((i * 7 + i / 256) & 0xff);
  memcpy (chunk, "Maphex frame benchmark: the quick brown fox jumps over the lazy dog.", 68);
  if (ftruncate (fd, length) != 0)
    g_error ("ftruncate: %s", g_strerror (errno));
  at[0] = 0;
  at[1] = length / 2 - (gint64) sizeof chunk / 2;
  at[2] = length - (gint64) sizeof chunk;
  for (int i = 0; i < 3; i++)
    {
      gint64 off = MAX (0, at[i]);
      gsize n = (gsize) MIN ((gint64) sizeof chunk, length - off);

      if (pwrite (fd, chunk, n, off) != (gssize) n)
        g_error ("pwrite: %s", g_strerror (errno));
    }
  close (fd);
  return path;
}

typedef struct {
  double mean, p99, max;
} Stat;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static void
finish_stat (Stat *s, double *samples, int n)
{
  qsort (samples, (size_t) n, sizeof *samples, cmp_double);
  s->mean = 0;
  for (int i = 0; i < n; i++)
    s->mean += samples[i];
  s->mean /= n;
  s->p99 = samples[MIN (n - 1, (int) (n * 0.99))];
  s->max = samples[n - 1];
}

static void
time_frames (MaphexHexView *view, GskRenderNode **last_node, Stat *cpu, Stat *wall)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (view);
  g_autofree double *cpu_samples = g_new (double, n_frames);
  g_autofree double *wall_samples = g_new (double, n_frames);

  /* Warm up: font, glyph table, frame buffer. */
  for (int i = 0; i < 5; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      klass->snapshot (GTK_WIDGET (view), snapshot);
      g_clear_pointer (&snapshot, gtk_snapshot_free_to_node);
    }
  for (int i = 0; i < n_frames; i++)
    {
      double c0 = cpu_ms (), t0 = now_ms ();
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      klass->snapshot (GTK_WIDGET (view), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      wall_samples[i] = now_ms () - t0;
      cpu_samples[i] = cpu_ms () - c0;
      if (i == n_frames - 1)
        *last_node = node;
      else if (node != NULL)
        gsk_render_node_unref (node);
    }
  finish_stat (cpu, cpu_samples, n_frames);
  finish_stat (wall, wall_samples, n_frames);
}

static Stat
time_raster (GskRenderer *renderer, GskRenderNode *node, int width, int height)
{
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, width, height);
  double samples[64];
  Stat s;

  for (int i = 0; i < n_rasters; i++)
    {
      double t0 = now_ms ();
      GdkTexture *texture = gsk_renderer_render_texture (renderer, node, &viewport);

      samples[i] = now_ms () - t0;
      g_object_unref (texture);
    }
  finish_stat (&s, samples, n_rasters);
  return s;
}

static void
save_window (GtkWindow *window, GskRenderer *renderer, const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  /* The paintable is empty until the window has drawn its first frame. */
  while (node == NULL && g_get_monotonic_time () < deadline)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      g_main_context_iteration (NULL, FALSE);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  if (node == NULL)
    {
      g_printerr ("the window drew nothing: no %s\n", path);
      return;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("cannot save %s\n", path);
  else
    g_print ("screenshot: %s (%d×%d)\n", path, width, height);
}

int
main (int argc, char **argv)
{
  static const struct { const char *name; gint64 length; } files[] = {
    { "4 KiB", 4096 },
    { "1 GiB", G_GINT64_CONSTANT (1) << 30 },
    { "1 TiB sparse", G_GINT64_CONSTANT (1) << 40 },
  };
  static const char *positions[] = { "top", "middle", "end" };
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames to time per row", "N" },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot_path, "Save the window as PNGs", "PREFIX" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- hex view frame benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  gboolean all_pass = TRUE;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_frames = MAX (1, n_frames);
  n_rasters = MIN (n_rasters, 64);
  if (!gtk_init_check ())
    {
      g_print ("SKIP: no display (run under xvfb-run)\n");
      return 77;
    }

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    g_error ("cairo renderer: %s", error->message);

  g_print ("Hex view frame: build = widget snapshot() to a render node (%d frames),\n"
           "raster = gsk_renderer_render_texture with the cairo renderer (%d frames).\n\n",
           n_frames, n_rasters);
  g_print ("%-13s %-7s %9s %4s | %-26s | %-20s | %-20s | %s\n",
           "", "", "", "", "build: CPU mean / max", "build: wall p99/max", "raster: mean / max", "");
  g_print ("%-13s %-7s %9s %4s | %-26s | %-20s | %-20s | %s\n",
           "file", "where", "view", "rows", "(the frame's own cost)", "(busy machine incl.)",
           "(cairo renderer)", "budget: CPU max");

  for (guint fi = 0; fi < G_N_ELEMENTS (files); fi++)
    {
      g_autofree char *path = make_file (files[fi].length);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(MaphexDocument) doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
      GtkWindow *window;
      MaphexHexView *view;

      if (doc == NULL)
        g_error ("%s: %s", files[fi].name, error->message);

      window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_default_size (window, 1920, 1080);
      gtk_window_maximize (window);
      view = MAPHEX_HEX_VIEW (maphex_hex_view_new (doc));
      gtk_window_set_child (window, GTK_WIDGET (view));
      gtk_window_present (window);
      if (!wt_iterate_until (wt_is_mapped_and_allocated, view))
        g_error ("the window never appeared (is DISPLAY set?)");
      gtk_widget_grab_focus (GTK_WIDGET (view));
      wt_drain ();

      for (guint pi = 0; pi < G_N_ELEMENTS (positions); pi++)
        {
          gint64 length = files[fi].length;
          gint64 cursor = pi == 0 ? 0x25 : pi == 1 ? length / 2 + 0x25 : length - 1;
          GskRenderNode *node = NULL;
          Stat build, wall, raster;
          gboolean pass;

          /* A cursor and a selection of a few rows on screen, as in use. */
          maphex_hex_view_set_cursor (view, cursor - 40 >= 0 ? cursor - 40 : 0, FALSE);
          maphex_hex_view_set_cursor (view, cursor, TRUE);
          maphex_hex_view_set_column (view, pi == 1 ? MAPHEX_HEX_VIEW_COLUMN_TEXT
                                                    : MAPHEX_HEX_VIEW_COLUMN_HEX);
          settle (GTK_WIDGET (view));

          time_frames (view, &node, &build, &wall);
          raster = time_raster (renderer, node, gtk_widget_get_width (GTK_WIDGET (view)),
                                gtk_widget_get_height (GTK_WIDGET (view)));
          pass = build.max < BUDGET_MS;
          all_pass &= pass;
          g_print ("%-13s %-7s %4d×%-4d %4d | %8.3f ms / %8.3f ms | %6.3f / %6.3f ms | %6.3f / %6.3f ms | %s < %.0f ms\n",
                   files[fi].name, positions[pi],
                   gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)),
                   _maphex_hex_view_get_visible_rows (view),
                   build.mean, build.max, wall.p99, wall.max, raster.mean, raster.max,
                   pass ? "PASS" : "FAIL", BUDGET_MS);
          g_clear_pointer (&node, gsk_render_node_unref);

          if (screenshot_path != NULL && pi == fi)
            {
              g_autofree char *png = g_strdup_printf ("%s-%u-%s.png", screenshot_path, fi, positions[pi]);
              save_window (window, renderer, png);
            }
        }

      gtk_window_destroy (window);
      wt_drain ();
      g_unlink (path);
    }

  gsk_renderer_unrealize (renderer);
  g_print ("\n%s\n", all_pass ? "All frames within budget." : "Some frames over budget.");
  return all_pass ? 0 : 1;
}
