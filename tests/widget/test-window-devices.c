/* test-window-devices.c: the window on what is not a plain file (issue 11),
 * with a real application under Xvfb: Save of a snapshot asks, naming its
 * source, then writes it back in the runner (or says why it could not); a
 * pipe's snapshot goes to Save As; --goto reaches a snapshot; a snapshot's
 * read shows in the operation bar of the window it was opened from (Cancel
 * there stops it), or in a dialog when that window is empty; closing offers
 * Save for a snapshot that writes back; copy-on-write Save onto a disk asks,
 * naming it; a disk opened in the default mode is read-only (and found
 * again); confirmed write-through fills the empty window at --goto. Disks are loop devices the test makes (skipped without root). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "maphex-application.h"
#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-open-special.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"
#include "../loopdev.h"

static MaphexApplication *app;
static char *tmp_dir;

/* ---- helpers ------------------------------------------------------------ */

static guint
count_maphex_windows (void)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data))
      n++;
  return n;
}

/* The window showing a snapshot, or NULL. */
static MaphexWindow *
snapshot_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data) && maphex_window_get_document (l->data) != NULL &&
        maphex_document_is_snapshot (maphex_window_get_document (l->data)))
      return l->data;
  return NULL;
}

static gboolean
has_snapshot_window (gpointer data)
{
  return snapshot_window () != NULL;
}

static MaphexWindow *
wait_for_snapshot_window (void)
{
  MaphexWindow *window;

  wt_wait_until (has_snapshot_window, NULL);
  window = snapshot_window ();
  wt_wait_until (wt_is_mapped, maphex_window_get_view (window));
  return window;
}

/* The message dialog transient for `window` whose widget name is `name`
 * (NULL: any), or NULL. */
static AdwMessageDialog *
find_dialog (MaphexWindow *window, const char *name)
{
  AdwMessageDialog *found = NULL;
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window) &&
        (name == NULL || g_strcmp0 (gtk_widget_get_name (l->data), name) == 0))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

/* A toplevel titled `title`, or NULL. */
static GtkWindow *
find_titled (const char *title)
{
  GtkWindow *found = NULL;
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (g_strcmp0 (gtk_window_get_title (l->data), title) == 0)
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
has_save_as_chooser (gpointer data)
{
  return find_titled ("Save As") != NULL;
}

static char *
dialog_text (AdwMessageDialog *dialog)
{
  g_autofree char *text = NULL;
  g_autofree char *secondary = NULL;

  g_object_get (dialog, "heading", &text, "body", &secondary, NULL);
  return g_strdup_printf ("%s\n%s", text, secondary != NULL ? secondary : "");
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Writes `text` to a /proc file (it cannot be replaced as
 * g_file_set_contents does). */
static void
write_proc (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, text, strlen (text)), ==, (ssize_t) strlen (text));
  close (fd);
}

static void
destroy_all_windows (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  /* dialogs that belong to no window of the application too */
  for (GList *l = toplevels; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static guint8
device_byte (const char *device, gint64 offset)
{
  guint8 byte = 0;
  int fd = open (device, O_RDONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &byte, 1, offset), ==, 1);
  close (fd);
  return byte;
}

/* ---- snapshots: Save writes back, after asking ------------------------------ */

static void
test_snapshot_save_asks_naming_the_source_then_writes_back (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/comm");
  g_autofree char *before = read_text ("/proc/self/comm");
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  MaphexWindow *window;
  MaphexDocument *doc;
  g_autoptr(GError) error = NULL;

  maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE, NULL, NULL, NULL);
  window = wait_for_snapshot_window ();
  doc = maphex_window_get_document (window);
  g_assert_true (maphex_document_set_byte (doc, 0, 'Q', FALSE, &error));
  g_assert_no_error (error);

  /* asked first, naming the source and that it does not follow the file */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  text = dialog_text (dialog);
  g_assert_nonnull (strstr (text, "Write this snapshot back to /proc/self/comm?"));
  g_assert_nonnull (strstr (text, "does not follow the file"));
  wt_answer_message_dialog (dialog, "cancel");
  wt_pump ();
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_true (maphex_document_get_modified (doc));
  g_clear_pointer (&after, g_free);
  after = read_text ("/proc/self/comm");
  g_assert_cmpstr (after, ==, before);

  /* confirmed: written back in the runner */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  wt_answer_message_dialog (dialog, "write");
  g_assert_true (maphex_document_get_busy (doc));
  wt_wait_for_operation (doc);
  g_clear_pointer (&after, g_free);
  after = read_text ("/proc/self/comm");
  g_assert_cmpint (after[0], ==, 'Q');
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_cmpstr (_maphex_window_get_notice (window), ==, "Written back to /proc/self/comm");

  write_proc ("/proc/self/comm", before);
  destroy_all_windows ();
}

static void
test_refused_write_back_shows_why_and_keeps_the_edit (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/oom_score_adj");
  g_autofree char *before = read_text ("/proc/self/oom_score_adj");
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  MaphexWindow *window;
  MaphexDocument *doc;

  maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE, NULL, NULL, NULL);
  window = wait_for_snapshot_window ();
  doc = maphex_window_get_document (window);
  if (!maphex_document_can_save_to_source (doc))
    {
      g_test_skip ("/proc/self/oom_score_adj is not writable here");
      destroy_all_windows ();
      return;
    }
  g_assert_true (maphex_document_set_byte (doc, 0, 'x', FALSE, &error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  wt_answer_message_dialog (dialog, "write");
  wt_wait_for_operation (doc);

  dialog = find_dialog (window, NULL);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (dialog)), !=, "save-question");
  text = dialog_text (dialog);
  g_assert_nonnull (strstr (text, "Could not save"));
  g_assert_nonnull (strstr (text, "Cannot write “/proc/self/oom_score_adj” back"));
  g_assert_nonnull (strstr (text, g_strerror (EINVAL)));
  g_assert_true (maphex_document_get_modified (doc));
  after = read_text ("/proc/self/oom_score_adj");
  g_assert_cmpstr (after, ==, before);
  destroy_all_windows ();
}

static void
test_pipe_snapshot_save_goes_to_save_as_without_asking (void)
{
  MaphexWindow *window;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "from a pipe", 11), ==, 11);
  close (fds[1]);
  _maphex_open_snapshot (app, NULL, fds[0], NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, NULL);
  window = wait_for_snapshot_window ();
  close (fds[0]);

  g_assert_false (_maphex_window_saves_to_source (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  g_assert_null (find_dialog (window, "save-question"));
  wt_wait_until (has_save_as_chooser, NULL);
  destroy_all_windows ();
}

/* Closing with an unsaved edit offers Save (which writes back, after the
   question), not Save As, for a snapshot that can be written back; Save
   from there closes the window once written. */
static void
test_close_offers_save_for_a_snapshot_that_writes_back (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/comm");
  g_autofree char *before = read_text ("/proc/self/comm");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  MaphexWindow *window;

  maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE, NULL, NULL, NULL);
  window = wait_for_snapshot_window ();
  g_assert_true (maphex_document_set_byte (maphex_window_get_document (window), 0, 'Z', FALSE,
                                           &error));
  gtk_window_close (GTK_WINDOW (window));
  dialog = find_dialog (window, NULL);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "save"), ==, "_Save");
  wt_answer_message_dialog (dialog, "save");
  wt_pump ();

  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  g_object_ref (window);
  wt_answer_message_dialog (dialog, "write");
  wt_wait_for_operation (maphex_window_get_document (window));
  wt_wait_until (wt_is_unmapped, window);
  g_object_unref (window);
  after = read_text ("/proc/self/comm");
  g_assert_cmpint (after[0], ==, 'Z');
  write_proc ("/proc/self/comm", before);
  destroy_all_windows ();
}

static void
test_goto_reaches_a_snapshot (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/status");
  MaphexWindow *window;

  maphex_application_open_file (app, file, MAPHEX_MODE_READ_ONLY, NULL, NULL, "0x10");
  window = wait_for_snapshot_window ();
  g_assert_cmpint (maphex_hex_view_get_cursor (maphex_window_get_view (window)), ==, 0x10);
  destroy_all_windows ();
}

/* ---- the read's progress ---------------------------------------------------- */

static gboolean
operation_bar_shown (gpointer data)
{
  MaphexWindow *window = data;

  return gtk_revealer_get_reveal_child (window->operation_revealer) &&
         gtk_widget_get_visible (GTK_WIDGET (window->operation_revealer));
}

static gboolean
operation_bar_hidden (gpointer data)
{
  return !operation_bar_shown (data);
}

static gboolean
has_two_windows (gpointer data)
{
  return count_maphex_windows () == 2;
}

static gboolean
progress_says_read (gpointer data)
{
  MaphexWindow *window = data;
  const char *text = gtk_progress_bar_get_text (window->operation_progress);

  return text != NULL && strstr (text, "read") != NULL;
}

static MaphexWindow *
window_on_a_file (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "plain.bin", 4096);
  GtkWindow *window = maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE,
                                                    NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static void
test_snapshot_read_shows_in_the_operation_bar (void)
{
  MaphexWindow *window = window_on_a_file ();
  MaphexWindow *shown;
  guint8 block[5000];
  int fds[2];

  memset (block, 0x5a, sizeof block);
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_true (_maphex_open_snapshot (app, NULL, fds[0], "the pipe", MAPHEX_MODE_READ_ONLY,
                                        GTK_WINDOW (window), "0x2") == GTK_WINDOW (window));
  g_assert_cmpint (write (fds[1], block, sizeof block), ==, sizeof block);

  /* the window's bar, not a dialog: the name, the bytes so far, Cancel */
  wt_wait_until (operation_bar_shown, window);
  wt_wait_until (progress_says_read, window);
  g_assert_cmpstr (gtk_label_get_text (window->operation_label), ==, "Reading “the pipe”");
  g_assert_true (gtk_widget_get_sensitive (window->operation_cancel_button));
  g_assert_null (find_titled ("Reading a Snapshot"));
  /* the window's own document stays editable meanwhile */
  g_assert_false (maphex_document_get_busy (maphex_window_get_document (window)));

  /* a second read meanwhile gets a dialog; the bar stays the first's */
  {
    GtkWindow *second;
    int more[2];

    g_assert_cmpint (pipe (more), ==, 0);
    second = _maphex_open_snapshot (app, NULL, more[0], "another pipe", MAPHEX_MODE_READ_ONLY,
                                    GTK_WINDOW (window), NULL);
    g_assert_true (second != GTK_WINDOW (window));
    g_assert_cmpstr (gtk_window_get_title (second), ==, "Reading a Snapshot");
    wt_answer_message_dialog (ADW_MESSAGE_DIALOG (second), "cancel");
    for (int i = 0; i < 5; i++)
      {
        g_usleep (50 * 1000);
        wt_pump ();
      }
    g_assert_cmpstr (gtk_label_get_text (window->operation_label), ==, "Reading “the pipe”");
    g_assert_true (operation_bar_shown (window));
    close (more[0]);
    close (more[1]);
  }

  close (fds[1]);
  wt_wait_until (has_two_windows, NULL);
  shown = snapshot_window ();
  g_assert_true (shown != window);
  g_assert_cmpint (maphex_document_get_length (maphex_window_get_document (shown)), ==,
                   sizeof block);
  g_assert_cmpint (maphex_hex_view_get_cursor (maphex_window_get_view (shown)), ==, 2);
  wt_wait_until (operation_bar_hidden, window);
  close (fds[0]);
  destroy_all_windows ();
}

static void
test_cancel_in_the_operation_bar_stops_the_read (void)
{
  MaphexWindow *window = window_on_a_file ();
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  _maphex_open_snapshot (app, NULL, fds[0], "the pipe", MAPHEX_MODE_READ_ONLY,
                         GTK_WINDOW (window), NULL);
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);
  wt_wait_until (operation_bar_shown, window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-operation", NULL));
  wt_wait_until (operation_bar_hidden, window);
  /* the read ended without a window, and no error for a cancel */
  for (int i = 0; i < 5; i++)
    {
      g_usleep (50 * 1000);
      wt_pump ();
    }
  g_assert_cmpuint (count_maphex_windows (), ==, 1);
  g_assert_null (find_dialog (window, NULL));
  g_assert_null (find_titled ("Could Not Open File"));
  close (fds[0]);
  close (fds[1]);
  destroy_all_windows ();
}

static gboolean
window_has_document (gpointer data)
{
  return maphex_window_get_document (data) != NULL;
}

static void
test_snapshot_read_for_an_empty_window_shows_a_dialog_then_fills_it (void)
{
  MaphexWindow *empty = maphex_window_new (app, NULL);
  GtkWindow *dialog;
  int fds[2];

  gtk_window_present (GTK_WINDOW (empty));
  wt_wait_until (wt_is_mapped, empty);
  g_assert_cmpint (pipe (fds), ==, 0);
  dialog = _maphex_open_snapshot (app, NULL, fds[0], "the pipe", MAPHEX_MODE_READ_ONLY,
                                  GTK_WINDOW (empty), NULL);
  g_assert_true (dialog != GTK_WINDOW (empty));
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Reading a Snapshot");
  g_assert_true (find_titled ("Reading a Snapshot") == dialog);
  wt_pump ();
  g_assert_false (operation_bar_shown (empty));

  g_assert_cmpint (write (fds[1], "0123456789", 10), ==, 10);
  close (fds[1]);
  wt_wait_until (window_has_document, empty);
  g_assert_cmpint (maphex_document_get_length (maphex_window_get_document (empty)), ==, 10);
  g_assert_cmpuint (count_maphex_windows (), ==, 1);
  g_assert_null (find_titled ("Reading a Snapshot"));
  close (fds[0]);
  destroy_all_windows ();
}

/* ---- disks -------------------------------------------------------------- */

static void
test_copy_on_write_save_to_a_disk_asks_naming_it (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (64 * 1024);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  MaphexWindow *window;
  MaphexDocument *doc;
  guint8 changed;

  if (loop == NULL)
    return;
  file = g_file_new_for_path (loop->device);
  /* copy-on-write chosen for the disk */
  window = MAPHEX_WINDOW (maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE,
                                                        NULL, NULL, NULL));
  g_assert_true (MAPHEX_IS_WINDOW (window));
  doc = maphex_window_get_document (window);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_COPY_ON_WRITE);
  changed = (guint8) ~loop->bytes[7];
  g_assert_true (maphex_document_set_byte (doc, 7, changed, FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  text = dialog_text (dialog);
  g_assert_nonnull (strstr (text, loop->device));
  g_assert_nonnull (strstr (text, "Write your edits to the device"));
  wt_answer_message_dialog (dialog, "cancel");
  wt_pump ();
  g_assert_false (maphex_document_get_busy (doc));
  g_assert_cmpint (device_byte (loop->device, 7), ==, loop->bytes[7]);
  g_assert_true (maphex_document_get_modified (doc));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  dialog = find_dialog (window, "save-question");
  g_assert_nonnull (dialog);
  wt_answer_message_dialog (dialog, "write");
  wt_wait_for_operation (doc);
  g_assert_cmpint (device_byte (loop->device, 7), ==, changed);
  g_assert_false (maphex_document_get_modified (doc));

  /* nothing to write: no question */
  g_assert_null (_maphex_window_ask_before_save (window, FALSE));
  destroy_all_windows ();
}

static void
test_disk_in_the_default_mode_opens_read_only (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (64 * 1024);
  g_autoptr(GFile) file = NULL;
  GtkWindow *window;

  if (loop == NULL)
    return;
  file = g_file_new_for_path (loop->device);
  /* as File → Open and a drop pass the default mode */
  window = maphex_application_open_file_full (app, file, MAPHEX_MODE_COPY_ON_WRITE,
                                              MAPHEX_OPEN_MODE_IS_DEFAULT, NULL, NULL, NULL);
  g_assert_true (MAPHEX_IS_WINDOW (window));
  g_assert_cmpint (maphex_document_get_mode (maphex_window_get_document (MAPHEX_WINDOW (window))),
                   ==, MAPHEX_MODE_READ_ONLY);
  /* opened again the same way: the same window, not a second one */
  g_assert_true (maphex_application_open_file_full (app, file, MAPHEX_MODE_COPY_ON_WRITE,
                                                    MAPHEX_OPEN_MODE_IS_DEFAULT, NULL, NULL,
                                                    NULL) == window);
  g_assert_cmpuint (count_maphex_windows (), ==, 1);
  destroy_all_windows ();

  /* write-through as the default: read-only too, without a question */
  window = maphex_application_open_file_full (app, file, MAPHEX_MODE_WRITE_THROUGH,
                                              MAPHEX_OPEN_MODE_IS_DEFAULT, NULL, NULL, NULL);
  g_assert_true (MAPHEX_IS_WINDOW (window));
  g_assert_cmpint (maphex_document_get_mode (maphex_window_get_document (MAPHEX_WINDOW (window))),
                   ==, MAPHEX_MODE_READ_ONLY);
  destroy_all_windows ();

  /* write-through chosen: the question, naming the device */
  window = maphex_application_open_file (app, file, MAPHEX_MODE_WRITE_THROUGH, NULL, NULL, NULL);
  g_assert_false (MAPHEX_IS_WINDOW (window));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window));
  {
    g_autofree char *text = dialog_text (ADW_MESSAGE_DIALOG (window));
    g_assert_nonnull (strstr (text, loop->device));
  }
  destroy_all_windows ();
}

/* Write-through on a disk, confirmed: it opens in the empty window it was
   asked from, at --goto's offset. */
static void
test_confirmed_write_through_fills_the_empty_window_at_goto (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (64 * 1024);
  g_autoptr(GFile) file = NULL;
  MaphexWindow *empty;
  MaphexDocument *doc;
  GtkWindow *dialog;

  if (loop == NULL)
    return;
  file = g_file_new_for_path (loop->device);
  empty = maphex_window_new (app, NULL);
  gtk_window_present (GTK_WINDOW (empty));
  dialog = maphex_application_open_file (app, file, MAPHEX_MODE_WRITE_THROUGH,
                                         GTK_WINDOW (empty), GTK_WINDOW (empty), "0x100");
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_null (maphex_window_get_document (empty));
  wt_answer_message_dialog (ADW_MESSAGE_DIALOG (dialog), "write");
  wt_pump ();
  doc = maphex_window_get_document (empty);
  g_assert_nonnull (doc);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_cmpuint (count_maphex_windows (), ==, 1);
  wt_wait_until (wt_is_mapped, maphex_window_get_view (empty));
  g_assert_cmpint (maphex_hex_view_get_cursor (maphex_window_get_view (empty)), ==, 0x100);
  destroy_all_windows ();
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-window-devices-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/window-devices/snapshot/save-asks-naming-the-source-then-writes-back",
                   test_snapshot_save_asks_naming_the_source_then_writes_back);
  g_test_add_func ("/window-devices/snapshot/refused-write-back-shows-why-and-keeps-the-edit",
                   test_refused_write_back_shows_why_and_keeps_the_edit);
  g_test_add_func ("/window-devices/snapshot/pipe-save-goes-to-save-as-without-asking",
                   test_pipe_snapshot_save_goes_to_save_as_without_asking);
  g_test_add_func ("/window-devices/snapshot/close-offers-save-that-writes-back",
                   test_close_offers_save_for_a_snapshot_that_writes_back);
  g_test_add_func ("/window-devices/snapshot/goto-reaches-it", test_goto_reaches_a_snapshot);
  g_test_add_func ("/window-devices/snapshot/read-shows-in-the-operation-bar",
                   test_snapshot_read_shows_in_the_operation_bar);
  g_test_add_func ("/window-devices/snapshot/cancel-in-the-operation-bar-stops-the-read",
                   test_cancel_in_the_operation_bar_stops_the_read);
  g_test_add_func ("/window-devices/snapshot/read-for-an-empty-window-shows-a-dialog-then-fills-it",
                   test_snapshot_read_for_an_empty_window_shows_a_dialog_then_fills_it);
  g_test_add_func ("/window-devices/disk/copy-on-write-save-asks-naming-it",
                   test_copy_on_write_save_to_a_disk_asks_naming_it);
  g_test_add_func ("/window-devices/disk/default-mode-opens-read-only",
                   test_disk_in_the_default_mode_opens_read_only);
  g_test_add_func ("/window-devices/disk/confirmed-write-through-fills-the-empty-window-at-goto",
                   test_confirmed_write_through_fills_the_empty_window_at_goto);

  status = g_test_run ();
  destroy_all_windows ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
