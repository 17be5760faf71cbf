/* test-message-dialogs.c: the questions and errors the window asks and
 * shows, as AdwMessageDialogs on a real application under Xvfb: unsaved
 * changes on close (Cancel and Escape keep the window, Discard closes without
 * writing, Save writes then closes), Reopen's discard question, an open error
 * and an error message. Each is transient for its window, names what it is
 * about, marks the choice that loses data as destructive and answers Escape
 * with the choice that changes nothing. */
#include <adwaita.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

static MaphexWindow *
open_window (GFile *file, MaphexMode mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped_and_allocated, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

/* Presses Escape on `widget` as GTK does for the key: finds the shortcut
 * its controllers have for Escape (a class binding lives in one of them)
 * and activates it. FALSE when nothing answers Escape. */
static gboolean
press_escape (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
set_byte (MaphexWindow *window, gint64 offset, guint8 value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (maphex_window_get_document (window), offset, value,
                                           FALSE, &error));
  g_assert_no_error (error);
}

static guint8
byte_on_disk (GFile *file, gsize offset)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL));
  g_assert_cmpuint (offset, <, len);
  return (guint8) contents[offset];
}

static gboolean
window_is_gone (gpointer window_pointer)
{
  return *(gpointer *) window_pointer == NULL;
}

/* Closes `window` and returns the question it asks. */
static AdwMessageDialog *
close_and_get_question (MaphexWindow *window)
{
  AdwMessageDialog *dialog;

  gtk_window_close (GTK_WINDOW (window));
  wt_wait_until (wt_has_message_dialog, window);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  return dialog;
}

static void
test_unsaved_close_asks_and_discard_leaves_the_file (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "unsaved.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  AdwMessageDialog *dialog;

  set_byte (window, 5, 0xEE);
  dialog = close_and_get_question (window);
  /* The e2e tests find it by this title; the heading names the file. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Unsaved Changes");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Save changes to “unsaved.bin” before closing?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "copy-on-write"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "save"), ==,
                   ADW_RESPONSE_SUGGESTED);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "save"), ==, "_Save");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "save");

  /* Cancel keeps the window and its edit. */
  wt_answer_message_dialog (dialog, "cancel");
  g_assert_null (wt_find_message_dialog (GTK_WINDOW (window)));
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_true (maphex_document_get_modified (maphex_window_get_document (window)));

  /* Escape is Cancel too. */
  dialog = close_and_get_question (window);
  g_assert_true (press_escape (GTK_WIDGET (dialog)));
  wt_pump ();
  g_assert_null (wt_find_message_dialog (GTK_WINDOW (window)));
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Discard closes the window; the file never saw the edit. */
  dialog = close_and_get_question (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  wt_answer_message_dialog (dialog, "discard");
  wt_wait_until (window_is_gone, &window);
  g_assert_cmpuint (byte_on_disk (file, 5), ==, 5);
}

static void
test_unsaved_close_save_writes_then_closes (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "save-on-close.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  AdwMessageDialog *dialog;

  set_byte (window, 7, 0x7E);
  dialog = close_and_get_question (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  wt_answer_message_dialog (dialog, "save");
  wt_wait_until (window_is_gone, &window);
  g_assert_cmpuint (byte_on_disk (file, 7), ==, 0x7E);
}

static void
test_reopen_asks_before_discarding_edits (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "reopen.bin", 64);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexDocument *doc = maphex_window_get_document (window);
  AdwMessageDialog *dialog;

  set_byte (window, 1, 0xAB);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reopen", "s", "read-only"));
  wt_wait_until (wt_has_message_dialog, window);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Reopen File");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "reopen"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");

  /* Cancel: the same document, its edit, its mode. */
  wt_answer_message_dialog (dialog, "cancel");
  g_assert_true (maphex_window_get_document (window) == doc);
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_COPY_ON_WRITE);

  /* Discard and Reopen: the file as it is on disk, read-only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reopen", "s", "read-only"));
  wt_wait_until (wt_has_message_dialog, window);
  wt_answer_message_dialog (wt_find_message_dialog (GTK_WINDOW (window)), "reopen");
  doc = maphex_window_get_document (window);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_READ_ONLY);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_cmpuint (wt_byte_at (doc, 1), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  wt_pump ();
}

static void
test_open_error_names_the_file_and_the_reason (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.bin", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (path);
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "open-error.bin", 16);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);
  AdwMessageDialog *dialog;

  g_assert_null (maphex_application_open_file (app, missing, MAPHEX_MODE_COPY_ON_WRITE,
                                               NULL, GTK_WINDOW (window), NULL));
  wt_wait_until (wt_has_message_dialog, window);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Could Not Open File");
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "no-such-file.bin"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "No such file"));
  /* Nothing to retry: Close is the only answer. */
  g_assert_false (adw_message_dialog_has_response (dialog, "read-only"));
  wt_answer_message_dialog (dialog, "close");
  g_assert_null (wt_find_message_dialog (GTK_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  wt_pump ();
}

static void
test_error_message_says_what_failed_and_why (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "error.bin", 16);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                                 "No space left on device");
  AdwMessageDialog *dialog;

  _maphex_window_show_error (window, "Could not save “error.bin”", error);
  dialog = wt_find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Could not save “error.bin”");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "No space left on device");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "close");
  wt_answer_message_dialog (dialog, "close");
  g_assert_null (wt_find_message_dialog (GTK_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  wt_pump ();
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-dialogs-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/message-dialogs/unsaved-close-asks-and-discard-leaves-the-file",
                   test_unsaved_close_asks_and_discard_leaves_the_file);
  g_test_add_func ("/message-dialogs/unsaved-close-save-writes-then-closes",
                   test_unsaved_close_save_writes_then_closes);
  g_test_add_func ("/message-dialogs/reopen-asks-before-discarding-edits",
                   test_reopen_asks_before_discarding_edits);
  g_test_add_func ("/message-dialogs/open-error-names-the-file-and-the-reason",
                   test_open_error_names_the_file_and_the_reason);
  g_test_add_func ("/message-dialogs/error-message-says-what-failed-and-why",
                   test_error_message_says_what_failed_and_why);

  status = g_test_run ();
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
