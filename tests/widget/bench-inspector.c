/* bench-inspector.c: what the data inspector adds to a frame when the
 * cursor moves (issue 10: under 0.1 ms).
 *
 * Two windows of the same size show a 1 GiB file: one holds the hex view
 * alone, the other the hex view and an inspector that follows it, as the
 * main window does. In each, the cursor moves one byte at a time; a move is
 * timed from maphex_hex_view_set_cursor() until the frame it caused has been
 * painted, in the main thread's CPU time (what the move costs the main loop,
 * without the time other processes took the CPU away). The inspector's cost
 * is the difference of the two means; its update alone (reading 16 bytes
 * and setting its rows, done in set_cursor) is shown too.
 *
 *   bench-inspector [--moves N]
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-inspector.h"
#include "widget-test-util.h"

#define BUDGET_MS 0.1

static int n_moves = 400;

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
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
  double move;    /* mean CPU ms from set_cursor to the frame painted */
  double update;  /* mean CPU ms of set_cursor itself */
} Result;

static Result
time_moves (GtkWindow *window, MaphexHexView *view, gint64 start)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  double move = 0, update = 0;
  int timed = 0;

  for (int i = -20; i < n_moves; i++)   /* 20 moves to warm up */
    {
      double c0, c1;

      wt_drain ();
      painted = FALSE;
      c0 = cpu_ms ();
      maphex_hex_view_set_cursor (view, start + 20 + i, FALSE);
      c1 = cpu_ms ();
      if (!wt_iterate_until (is_true, &painted))
        g_error ("no frame was painted after a cursor move");
      if (i >= 0)
        {
          move += cpu_ms () - c0;
          update += c1 - c0;
          timed++;
        }
    }
  g_signal_handler_disconnect (clock, id);
  return (Result) { move / timed, update / timed };
}

static Result
run (MaphexDocument *doc, gboolean with_inspector)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *view = maphex_hex_view_new (doc);
  GtkWidget *inspector = NULL;
  Result r;

  gtk_widget_set_hexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  if (with_inspector)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      inspector = maphex_inspector_new ();
      maphex_inspector_set_view (MAPHEX_INSPECTOR (inspector), MAPHEX_HEX_VIEW (view));
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), inspector);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                      GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_widget_set_size_request (scroller, 380, -1);
      gtk_box_append (GTK_BOX (box), scroller);
    }
  gtk_window_set_default_size (window, 1600, 1000);
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  if (!wt_iterate_until (wt_is_mapped_and_allocated, view))
    g_error ("the window never appeared (is DISPLAY set?)");
  gtk_widget_grab_focus (view);
  wt_drain ();

  r = time_moves (window, MAPHEX_HEX_VIEW (view), maphex_document_get_length (doc) / 2);
  if (inspector != NULL
      && maphex_inspector_get_cursor (MAPHEX_INSPECTOR (inspector))
         != maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (view)))
    g_error ("the inspector did not follow the cursor");

  gtk_window_destroy (window);
  wt_drain ();
  return r;
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
  Result alone, with;
  double added;

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

  alone = run (doc, FALSE);
  with = run (doc, TRUE);
  added = with.move - alone.move;

  g_print ("Cursor moves by one byte in a 1 GiB file, %d moves, 1600×1000 window;\n"
           "main-thread CPU from set_cursor() to the frame painted, mean:\n\n", n_moves);
  g_print ("  hex view alone          %8.3f ms\n", alone.move);
  g_print ("  hex view + inspector    %8.3f ms   (its update in set_cursor: %.3f ms)\n",
           with.move, with.update - alone.update);
  g_print ("  added by the inspector  %8.3f ms   %s < %.1f ms\n",
           added, added < BUDGET_MS ? "PASS" : "FAIL", BUDGET_MS);
  g_unlink (path);
  return added < BUDGET_MS ? 0 : 1;
}
