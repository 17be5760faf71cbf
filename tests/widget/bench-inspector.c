/* bench-inspector.c: what the data inspector adds to a frame when the
 * cursor moves (issue 10: under 0.1 ms).
 *
 * Five windows of the same size show a 1 GiB file, open at the same
 * time. One holds the hex view alone, one the hex view and an inspector
 * that follows it, as the main window does, and one the hex view and an
 * inspector that stays where it was (on screen, drawn in every frame, but
 * never changing). The cursor moves one byte at a time, in each window in
 * turn, so that what else the machine does falls on all alike; a move is
 * timed from maphex_hex_view_set_cursor()
 * until the frame it caused has been painted, in the main thread's CPU time
 * (what the move costs the main loop, without the time other processes took
 * the CPU away). The inspector's cost is, move by move, the difference of
 * the first two; the budget is on its median (a few moves meet a busy
 * moment of the X server or the GL driver and would swing a mean). The
 * third window splits it: what the panel costs a frame by being on screen
 * (a renderer that draws the whole window again each frame, as GTK's GL
 * renderer does under Xvfb, draws it even when nothing in it changed), and
 * what following the cursor adds to that (reading, decoding, the snapshot
 * of what changed). Its update in set_cursor and the rows' own snapshot()
 * are shown beside it. GSK_RENDERER chooses the renderer (gl, cairo) as for
 * any GTK program.
 *
 * The inspector's own work on a move is timed apart from the window's: its
 * tick (read and decode, in the frame clock's update phase, timed from a
 * handler that runs first to one that runs last) and the rows' snapshot().
 * Two more windows show what the window-against-window figures can tell:
 * a second window with the hex view alone (its difference from the first
 * is the method's own noise: the windows are alike), and the hex view
 * beside a plain GtkLabel that shows the cursor's offset, set on each move
 * (what one ordinary widget that changes adds to a frame here).
 *
 * The verdict is on the inspector's median (PASS, FAIL), or CANNOT TELL
 * when the two alike windows differ by half the budget or more.
 *
 *   bench-inspector [--moves N]
 *
 * No window manager places the windows: where the screen is wide enough
 * (build-aux/bench.sh runs Xvfb 8400 pixels wide) they are put side by
 * side; else they lie one on another, and a window under the others draws
 * otherwise than one in full view (with the cairo renderer, by several
 * milliseconds).
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-inspector.h"
#include "maphex-inspector-rows.h"
#include "widget-test-util.h"

#include <gdk/x11/gdkx.h>

#define BUDGET_MS 0.1

#define WINDOW_W 1600
#define WINDOW_H 1000

static int n_moves = 400;
static int n_placed;   /* windows put side by side so far */

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

/* The rows' own snapshot(), timed: the class's vfunc is wrapped. */
static void (*rows_snapshot) (GtkWidget *, GtkSnapshot *);
static double rows_snapshot_ms;

static void
timed_rows_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  double c0 = cpu_ms ();

  rows_snapshot (widget, snapshot);
  rows_snapshot_ms += cpu_ms () - c0;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

typedef struct {
  GtkWindow     *window;
  MaphexHexView *view;
  GtkWidget     *inspector;
  gint64         start;
  gboolean       painted;
  gulong         paint_id, update_ids[2];
  double         update_start;
  double         ticks_ms;  /* CPU ms in the update phase since the move */
  double        *moves;     /* CPU ms of each timed move */
  double        *own;       /* of it, the ticks' and the rows' snapshot() */
  double         update;    /* sum of CPU ms in set_cursor */
  double         snapshot;  /* sum of CPU ms in the rows' snapshot() */
} Side;

typedef enum {
  ALONE,       /* the hex view alone */
  FOLLOWING,   /* and an inspector that follows its cursor */
  STILL,       /* and an inspector that stays at one offset */
  TWIN,        /* the hex view alone again: the method's noise */
  LABEL,       /* and a GtkLabel showing the cursor's offset */
  N_KINDS
} Kind;

/* The frame clock's update phase, where the inspector's tick runs: from a
 * handler connected before any tick callback's to one that runs last. */
static void
on_update_start (GdkFrameClock *clock,
                 gpointer       data)
{
  ((Side *) data)->update_start = cpu_ms ();
}

static void
on_update_end (GdkFrameClock *clock,
               gpointer       data)
{
  Side *side = data;

  side->ticks_ms += cpu_ms () - side->update_start;
}

static void
on_label_cursor (MaphexHexView *view,
                 GParamSpec    *pspec,
                 GtkLabel      *label)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, maphex_hex_view_get_cursor (view));
  gtk_label_set_text (label, text);
}

/* Side by side where the screen is wide enough (no window manager places
 * them: they would lie one on another, and a window under others draws
 * otherwise than one in full view). */
static void
place (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkDisplay *display = gdk_surface_get_display (surface);
  Display *xdisplay;

  if (!GDK_IS_X11_SURFACE (surface))
    return;
  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (DisplayWidth (xdisplay, DefaultScreen (xdisplay)) < (n_placed + 1) * (WINDOW_W + 20))
    return;
  XMoveWindow (xdisplay, gdk_x11_surface_get_xid (surface), n_placed * (WINDOW_W + 20), 0);
  n_placed++;
  wt_drain ();
}

static void
side_open (Side           *side,
           MaphexDocument *doc,
           Kind            kind)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *view = maphex_hex_view_new (doc);
  GdkFrameClock *clock;

  memset (side, 0, sizeof *side);
  side->window = GTK_WINDOW (gtk_window_new ());
  side->view = MAPHEX_HEX_VIEW (view);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  if (kind == LABEL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_widget_set_size_request (label, 380, -1);
      gtk_box_append (GTK_BOX (box), label);
      g_signal_connect (view, "notify::cursor", G_CALLBACK (on_label_cursor), label);
    }
  else if (kind == FOLLOWING || kind == STILL)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      side->inspector = maphex_inspector_new ();
      if (kind == FOLLOWING)
        maphex_inspector_set_view (MAPHEX_INSPECTOR (side->inspector), MAPHEX_HEX_VIEW (view));
      else
        {
          maphex_inspector_set_document (MAPHEX_INSPECTOR (side->inspector), doc);
          maphex_inspector_set_cursor (MAPHEX_INSPECTOR (side->inspector),
                                       maphex_document_get_length (doc) / 2 + 7);
        }
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), side->inspector);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_widget_set_size_request (scroller, 380, -1);
      gtk_box_append (GTK_BOX (box), scroller);
    }
  gtk_window_set_default_size (side->window, WINDOW_W, WINDOW_H);
  gtk_window_set_child (side->window, box);
  gtk_window_present (side->window);
  if (!wt_iterate_until (wt_is_mapped_and_allocated, view))
    g_error ("the window never appeared (is DISPLAY set?)");
  place (side->window);
  gtk_widget_grab_focus (view);
  side->start = maphex_document_get_length (doc) / 2;
  side->moves = g_new0 (double, n_moves);
  side->own = g_new0 (double, n_moves);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (side->window));
  side->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &side->painted);
  /* The inspector connects its tick's handler anew for each frame it
   * ticks in, after these. */
  side->update_ids[0] = g_signal_connect (clock, "update", G_CALLBACK (on_update_start), side);
  side->update_ids[1] = g_signal_connect_after (clock, "update", G_CALLBACK (on_update_end), side);
}

/* Move i (negative: a warm-up move, not timed) in one window. */
static void
side_move (Side *side,
           int   i)
{
  double c0, c1, s0;

  wt_drain ();
  side->painted = FALSE;
  side->ticks_ms = 0;
  s0 = rows_snapshot_ms;
  c0 = cpu_ms ();
  maphex_hex_view_set_cursor (side->view, side->start + 20 + i, FALSE);
  c1 = cpu_ms ();
  if (!wt_iterate_until (is_true, &side->painted))
    g_error ("no frame was painted after a cursor move");
  if (i < 0)
    return;
  side->moves[i] = cpu_ms () - c0;
  side->own[i] = side->ticks_ms + rows_snapshot_ms - s0;
  side->update += c1 - c0;
  side->snapshot += rows_snapshot_ms - s0;
}

static MaphexInspectorRows *
find_rows (GtkWidget *widget)
{
  return MAPHEX_INSPECTOR_ROWS (wt_find_descendant (widget, MAPHEX_TYPE_INSPECTOR_ROWS));
}

/* How many of the inspector's rows its scrolled window shows, whole or in
 * part (the others are not drawn). */
static int
rows_in_view (Side *side)
{
  MaphexInspectorRows *rows = find_rows (side->inspector);
  GtkWidget *viewport = gtk_widget_get_ancestor (GTK_WIDGET (rows), GTK_TYPE_VIEWPORT);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport));
  double top = gtk_adjustment_get_value (adjustment);
  double bottom = top + gtk_adjustment_get_page_size (adjustment);
  int n = 0;

  for (int r = 0; r < MAPHEX_INSPECT_N_FIELDS; r++)
    {
      graphene_rect_t area;

      maphex_inspector_rows_get_row_area (rows, r, &area);
      n += area.origin.y < bottom && area.origin.y + area.size.height > top;
    }
  return n;
}

static void
side_close (Side *side,
            Kind  kind)
{
  if (kind == FOLLOWING
      && maphex_inspector_get_cursor (MAPHEX_INSPECTOR (side->inspector))
         != maphex_hex_view_get_cursor (side->view))
    g_error ("the inspector did not follow the cursor");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (side->window));

  g_signal_handler_disconnect (clock, side->paint_id);
  g_signal_handler_disconnect (clock, side->update_ids[0]);
  g_signal_handler_disconnect (clock, side->update_ids[1]);
  gtk_window_destroy (side->window);
  g_free (side->moves);
  g_free (side->own);
  wt_drain ();
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
mean (const double *v,
      int           n)
{
  double sum = 0;

  for (int i = 0; i < n; i++)
    sum += v[i];
  return sum / n;
}

static double
median (const double *v,
        int           n)
{
  g_autofree double *sorted = g_memdup2 (v, n * sizeof *v);

  qsort (sorted, n, sizeof *sorted, compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "moves", 0, 0, G_OPTION_ARG_INT, &n_moves, "Cursor moves to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- data inspector frame benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc (1 << 20);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  Side sides[N_KINDS];
  g_autofree double *added = NULL, *shown = NULL, *following = NULL, *noise = NULL, *by_label = NULL;
  g_autofree double *own = NULL;
  double added_median, noise_median;
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *verdict;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_moves = MAX (1, n_moves);
  if (!gtk_init_check ())
    {
      g_print ("SKIP: no display (run under xvfb-run)\n");
      return 77;
    }

  /* 1 GiB, sparse but for 1 MiB of varied bytes in the middle, where the
   * cursor moves. */
  for (gsize i = 0; i < (1 << 20); i++)
    data[i] = (guint8) (g_random_int () & 0xff);
  path = wt_make_temp_file ("maphex-bench-inspector-XXXXXX", NULL, 0, G_GINT64_CONSTANT (1) << 30);
  {
    int fd = open (path, O_WRONLY);

    if (fd < 0 || pwrite (fd, data, 1 << 20, (G_GINT64_CONSTANT (1) << 29) - 1000) != (1 << 20))
      g_error ("writing %s: %s", path, g_strerror (errno));
    close (fd);
  }
  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_no_error (error);

  /* The rows' snapshot, timed (the class exists once a widget was made). */
  g_type_ensure (MAPHEX_TYPE_INSPECTOR_ROWS);
  {
    GtkWidgetClass *rows_class = g_type_class_ref (MAPHEX_TYPE_INSPECTOR_ROWS);

    rows_snapshot = rows_class->snapshot;
    rows_class->snapshot = timed_rows_snapshot;
  }

  /* Every window is open at once and the moves go round them, so that
   * what else the machine does falls on all alike. */
  for (int k = 0; k < N_KINDS; k++)
    side_open (&sides[k], doc, k);
  for (int i = -20; i < n_moves; i++)   /* 20 moves to warm up */
    for (int k = 0; k < N_KINDS; k++)
      side_move (&sides[k], i);
  if (maphex_inspector_get_cursor (MAPHEX_INSPECTOR (sides[STILL].inspector)) != maphex_document_get_length (doc) / 2 + 7)
    g_error ("the still inspector moved");
  added = g_new (double, n_moves);
  shown = g_new (double, n_moves);
  following = g_new (double, n_moves);
  noise = g_new (double, n_moves);
  by_label = g_new (double, n_moves);
  own = g_new (double, n_moves);
  for (int i = 0; i < n_moves; i++)
    {
      added[i] = sides[FOLLOWING].moves[i] - sides[ALONE].moves[i];
      shown[i] = sides[STILL].moves[i] - sides[ALONE].moves[i];
      following[i] = sides[FOLLOWING].moves[i] - sides[STILL].moves[i];
      noise[i] = sides[TWIN].moves[i] - sides[ALONE].moves[i];
      by_label[i] = sides[LABEL].moves[i] - sides[ALONE].moves[i];
      own[i] = sides[FOLLOWING].own[i] - sides[ALONE].own[i];
    }
  added_median = median (added, n_moves);
  noise_median = median (noise, n_moves);
  /* Two windows alike that differ by half the budget: the method cannot
   * tell whether the inspector meets it. */
  verdict = fabs (noise_median) >= BUDGET_MS / 2 ? "CANNOT TELL" : added_median < BUDGET_MS ? "PASS" : "FAIL";

  g_print ("Cursor moves by one byte in a 1 GiB file, %d moves in each of %d %d×%d\n"
           "windows, in turn, %s; renderer %s; main-thread CPU from\n"
           "set_cursor() to the frame painted:\n\n", n_moves, N_KINDS, WINDOW_W, WINDOW_H,
           n_placed == N_KINDS ? "side by side" : "one on another (the screen is too narrow)",
           renderer != NULL ? renderer : "(GTK's choice)");
  g_print ("                          mean       median\n");
  g_print ("  hex view alone          %8.3f ms %8.3f ms\n",
           mean (sides[ALONE].moves, n_moves), median (sides[ALONE].moves, n_moves));
  g_print ("  hex view + inspector    %8.3f ms %8.3f ms\n",
           mean (sides[FOLLOWING].moves, n_moves), median (sides[FOLLOWING].moves, n_moves));
  g_print ("  hex view + still one    %8.3f ms %8.3f ms\n",
           mean (sides[STILL].moves, n_moves), median (sides[STILL].moves, n_moves));
  g_print ("  the inspector's own work %7.3f ms %8.3f ms   (%s 0.1 ms; %d of its %d rows in view)\n",
           mean (own, n_moves), median (own, n_moves), median (own, n_moves) < BUDGET_MS ? "under" : "over",
           rows_in_view (&sides[FOLLOWING]), MAPHEX_INSPECT_N_FIELDS);
  g_print ("    of it, the rows' snapshot() %7.3f ms (mean)\n", sides[FOLLOWING].snapshot / n_moves);
  g_print ("    its update in set_cursor    %7.3f ms (mean)\n",
           (sides[FOLLOWING].update - sides[ALONE].update) / n_moves);
  g_print ("  added by the inspector  %8.3f ms %8.3f ms   %s < %.1f ms (median)\n",
           mean (added, n_moves), added_median, verdict, BUDGET_MS);
  g_print ("    by being on screen    %8.3f ms %8.3f ms\n", mean (shown, n_moves), median (shown, n_moves));
  g_print ("    by following          %8.3f ms %8.3f ms\n", mean (following, n_moves), median (following, n_moves));
  g_print ("  for comparison:\n");
  g_print ("    a second view alone   %8.3f ms %8.3f ms   (the method's noise: the same window again)\n",
           mean (noise, n_moves), noise_median);
  g_print ("    a GtkLabel instead    %8.3f ms %8.3f ms   (showing the offset, set on each move)\n",
           mean (by_label, n_moves), median (by_label, n_moves));
  for (int k = N_KINDS - 1; k >= 0; k--)
    side_close (&sides[k], k);
  g_unlink (path);
  return strcmp (verdict, "PASS") == 0 ? 0 : 1;
}
