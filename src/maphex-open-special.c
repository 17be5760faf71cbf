/* maphex-open-special.c: opening what needs a question or a snapshot: the
 * confirmation before write-through on a block device, and the snapshot of
 * a FIFO, standard input, a /proc file or an unmappable file, read with its
 * progress and a Cancel: in the operation bar of the window it was opened
 * from when that window shows a document, else in a dialog (a bar that
 * fills where the size is known, else pulses). The snapshot opens in the
 * empty window it was opened from, or a new one, at --goto's offset.
 *
 * Must not touch the map: the document reads the source
 * (maphex-document-snapshot.c); this file only asks and shows.
 */
#include "maphex-open-special.h"
#include "maphex-window-private.h"

#include <glib/gi18n.h>

typedef struct {
  MaphexApplication *app;
  GFile             *file;
  GtkWindow         *target;   /* weak: an empty window to fill */
  char              *goto_offset;
} ConfirmData;

static void
confirm_data_free (gpointer data)
{
  ConfirmData *confirm = data;

  g_object_unref (confirm->app);
  g_object_unref (confirm->file);
  g_clear_weak_pointer (&confirm->target);
  g_free (confirm->goto_offset);
  g_free (confirm);
}

/* The empty window `target` shows `document`, else a new window does; the
   cursor goes to `goto_offset`. */
static GtkWindow *
show_document (MaphexApplication *app,
               MaphexDocument    *document,
               GtkWindow         *target,
               const char        *goto_offset)
{
  MaphexWindow *window;

  if (MAPHEX_IS_WINDOW (target) && maphex_window_get_document (MAPHEX_WINDOW (target)) == NULL)
    {
      window = MAPHEX_WINDOW (target);
      maphex_window_set_document (window, document);
    }
  else
    window = maphex_window_new (app, document);
  gtk_window_present (GTK_WINDOW (window));
  maphex_application_apply_goto (GTK_WINDOW (window), goto_offset);
  return GTK_WINDOW (window);
}

/* A window of `app` for a dialog to belong to, or NULL when it has none yet
 * (opened from the command line). */
static GtkWindow *
dialog_parent (MaphexApplication *app)
{
  return gtk_application_get_active_window (GTK_APPLICATION (app));
}

static void
show_error (MaphexApplication *app, const char *primary, const GError *error)
{
  GtkWidget *dialog = maphex_question_new (dialog_parent (app), _("Could Not Open File"),
                                           primary, error->message,
                                           "close", _("_Close"),
                                           NULL);

  /* The application's, not the window's it shows over. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), FALSE);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ConfirmData *confirm = user_data;

  /* Opened as any file is: a refusal (no permission for the disk) gets the
     open-error dialog, which offers read-only and copy-on-write. */
  if (g_str_equal (response, "write"))
    maphex_application_open_file_full (confirm->app, confirm->file, MAPHEX_MODE_WRITE_THROUGH,
                                       MAPHEX_OPEN_CONFIRMED, confirm->target, NULL,
                                       confirm->goto_offset);
}

GtkWindow *
_maphex_open_confirm_device_write (MaphexApplication *app,
                                   GFile             *file,
                                   GtkWindow         *target,
                                   const char        *goto_offset)
{
  g_autofree char *name = g_file_get_parse_name (file);
  ConfirmData *confirm = g_new0 (ConfirmData, 1);
  g_autofree char *heading = g_strdup_printf (_("Write straight to the device “%s”?"), name);
  g_autofree char *body = g_strdup_printf (
    _("In write-through mode every edit goes to “%s” at once: a mistake can destroy "
      "its file system. Read-only and copy-on-write keep the device as it is."), name);
  GtkWidget *dialog;

  dialog = maphex_question_new (target != NULL ? target : dialog_parent (app),
                                _("Write to a Device"), heading, body,
                                "cancel", _("_Cancel"),
                                "write", _("_Write to the Device"),
                                NULL);
  /* The application's: the target window is only where the device opens. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), FALSE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "write",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (app));

  confirm->app = g_object_ref (app);
  confirm->file = g_object_ref (file);
  g_set_weak_pointer (&confirm->target, target);
  confirm->goto_offset = g_strdup (goto_offset);
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb),
                         confirm, (GClosureNotify) (void (*) (void)) confirm_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */

typedef struct {
  MaphexApplication *app;
  GtkWidget         *dialog;     /* NULL once closed, or when the bar shows it */
  GtkProgressBar    *bar;
  MaphexWindow      *bar_window; /* weak: the window whose operation bar shows it */
  GtkWindow         *target;     /* weak: an empty window to fill */
  GCancellable      *cancellable;
  char              *name;
  char              *goto_offset;
} SnapshotData;

static void
snapshot_data_free (SnapshotData *data)
{
  g_object_unref (data->app);
  g_object_unref (data->cancellable);
  g_clear_weak_pointer (&data->bar_window);
  g_clear_weak_pointer (&data->target);
  g_free (data->name);
  g_free (data->goto_offset);
  g_free (data);
}

static void
snapshot_progress_cb (gint64   bytes_read,
                      gint64   expected,
                      gpointer user_data)
{
  SnapshotData *data = user_data;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  if (data->bar_window != NULL)
    {
      _maphex_window_task_progress (data->bar_window, bytes_read, expected);
      return;
    }
  if (data->dialog == NULL)
    return;
  if (expected > 0)
    {
      g_autofree char *total = g_format_size_full ((guint64) expected, G_FORMAT_SIZE_IEC_UNITS);

      size = g_format_size_full ((guint64) bytes_read, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: bytes done, bytes in all */
      text = g_strdup_printf (_("%s of %s"), size, total);
      gtk_progress_bar_set_fraction (data->bar, CLAMP ((double) bytes_read / (double) expected,
                                                       0.0, 1.0));
    }
  else
    {
      size = g_format_size_full ((guint64) bytes_read, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: the bytes of a pipe or pseudo-file read so far */
      text = g_strdup_printf (_("%s read"), size);
      gtk_progress_bar_pulse (data->bar);
    }
  gtk_progress_bar_set_text (data->bar, text);
}

static void
snapshot_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SnapshotData *data = user_data;
  g_autoptr(MaphexDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = maphex_document_new_snapshot_finish (result, &error);
  if (data->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (data->dialog));
  data->dialog = NULL;
  if (data->bar_window != NULL)
    _maphex_window_end_task (data->bar_window);
  if (document != NULL)
    show_document (data->app, document, data->target, data->goto_offset);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *primary = g_strdup_printf (_("Could not read “%s”"), data->name);

      show_error (data->app, primary, error);
    }
  g_application_release (G_APPLICATION (data->app));
  snapshot_data_free (data);
}

/* Cancel, or the dialog closed: the read stops. */
static void
snapshot_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  SnapshotData *data = user_data;

  g_cancellable_cancel (data->cancellable);
  data->dialog = NULL;
}

static void
show_snapshot_dialog (SnapshotData *data)
{
  g_autofree char *heading = g_strdup_printf (_("Reading “%s” into memory"), data->name);

  data->dialog = maphex_question_new (dialog_parent (data->app), _("Reading a Snapshot"), heading,
    _("It cannot be mapped, so it is read once; the window shows it when it ends."),
    "cancel", _("_Cancel"),
    NULL);
  /* The read's, not the window's it shows over: it ends with the read. */
  gtk_window_set_destroy_with_parent (GTK_WINDOW (data->dialog), FALSE);
  gtk_window_set_modal (GTK_WINDOW (data->dialog), FALSE);
  data->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_name (GTK_WIDGET (data->bar), "snapshot-progress");
  gtk_progress_bar_set_show_text (data->bar, TRUE);
  gtk_progress_bar_set_text (data->bar, "");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (data->dialog), GTK_WIDGET (data->bar));
  gtk_window_set_application (GTK_WINDOW (data->dialog), GTK_APPLICATION (data->app));
  g_signal_connect (data->dialog, "response", G_CALLBACK (snapshot_response_cb), data);
  gtk_window_present (GTK_WINDOW (data->dialog));
}

GtkWindow *
_maphex_open_snapshot (MaphexApplication *app,
                       GFile             *file,
                       int                fd,
                       const char        *name,
                       MaphexMode         mode,
                       GtkWindow         *from,
                       const char        *goto_offset)
{
  SnapshotData *data = g_new0 (SnapshotData, 1);
  GtkWindow *shown;

  data->app = g_object_ref (app);
  data->cancellable = g_cancellable_new ();
  data->name = file != NULL ? g_file_get_parse_name (file)
                            : g_strdup (name != NULL ? name : _("standard input"));
  data->goto_offset = g_strdup (goto_offset);
  g_set_weak_pointer (&data->target, from);

  /* The bar shows one read at a time: a second one gets a dialog. */
  if (MAPHEX_IS_WINDOW (from) && maphex_window_get_document (MAPHEX_WINDOW (from)) != NULL &&
      MAPHEX_WINDOW (from)->task_name == NULL)
    {
      g_autofree char *task = g_strdup_printf (_("Reading “%s”"), data->name);

      g_set_weak_pointer (&data->bar_window, MAPHEX_WINDOW (from));
      _maphex_window_begin_task (data->bar_window, task, data->cancellable);
      shown = from;
    }
  else
    {
      show_snapshot_dialog (data);
      shown = GTK_WINDOW (data->dialog);
    }

  /* The application lives until the read ends, even if the dialog closes. */
  g_application_hold (G_APPLICATION (app));
  maphex_document_new_snapshot_async (file, fd, name, mode, snapshot_progress_cb, data,
                                      data->cancellable, snapshot_done_cb, data);
  return shown;
}
