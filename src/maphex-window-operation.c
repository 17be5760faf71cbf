/* maphex-window-operation.c: the window's side of a long operation.
 *
 * While the document runs an operation (insert, delete, resize, save...),
 * the operation bar above the status bar shows its name, a progress bar with
 * the bytes done and an estimate of the time left, and Cancel. It appears
 * only once the operation has run for 100 ms: quick work shows nothing.
 * Closing the window (or quitting) meanwhile asks whether to cancel it or
 * to wait. The bar also shows a task that is not the document's (reading a
 * snapshot for a new window), with its own Cancel; closing the window
 * cancels that one. */
#include <glib/gi18n.h>

#include "maphex-application.h"
#include "maphex-window-private.h"

#define SHOW_AFTER_MS 100

static char *
format_seconds (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (NULL, "%d second", "%d seconds", (gulong) seconds),
                            (int) seconds);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (NULL, "%d minute", "%d minutes", (gulong) (seconds / 60)),
                            (int) ((seconds + 30) / 60));
  return g_strdup_printf (g_dngettext (NULL, "%d hour", "%d hours", (gulong) (seconds / 3600)),
                          (int) ((seconds + 1800) / 3600));
}

/* "1.2 GB of 4.0 GB, about 3 seconds left" */
char *
_maphex_window_format_progress (gint64 done,
                                gint64 total,
                                gint64 elapsed_us)
{
  g_autofree char *done_text = g_format_size_full ((guint64) MAX (done, 0), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *total_text = g_format_size_full ((guint64) MAX (total, 0), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *left = NULL;

  if (total <= 0)
    return g_strdup (_("Working…"));
  /* An estimate needs a little history to be worth showing. */
  if (done > 0 && done < total && elapsed_us > 250 * 1000)
    {
      double rate = (double) done / ((double) elapsed_us / G_USEC_PER_SEC);
      gint64 seconds = (gint64) ((double) (total - done) / rate + 0.5);

      left = format_seconds (MAX (seconds, 1));
      /* Translators: bytes done, bytes in all, time left ("3 seconds") */
      return g_strdup_printf (_("%s of %s, about %s left"), done_text, total_text, left);
    }
  /* Translators: bytes done, bytes in all */
  return g_strdup_printf (_("%s of %s"), done_text, total_text);
}

static gboolean
document_busy (MaphexWindow *self)
{
  return self->document != NULL && maphex_document_get_busy (self->document);
}

static void
update_task_bar (MaphexWindow *self)
{
  g_autofree char *text = NULL;

  gtk_label_set_text (self->operation_label, self->task_name);
  if (self->task_total > 0)
    {
      text = _maphex_window_format_progress (self->task_done, self->task_total,
                                             g_get_monotonic_time () - self->task_started);
      gtk_progress_bar_set_fraction (self->operation_progress,
                                     CLAMP ((double) self->task_done / (double) self->task_total, 0.0, 1.0));
    }
  else
    {
      g_autofree char *size = g_format_size_full ((guint64) MAX (self->task_done, 0),
                                                  G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: the bytes of a pipe or pseudo-file read so far */
      text = g_strdup_printf (_("%s read"), size);
      gtk_progress_bar_pulse (self->operation_progress);
    }
  gtk_progress_bar_set_text (self->operation_progress, text);
}

static void
update_bar (MaphexWindow *self)
{
  g_autofree char *text = NULL;
  gint64 done = 0, total = 0, elapsed = 0;
  double fraction;

  if (!document_busy (self))
    {
      if (self->task_name != NULL)
        update_task_bar (self);
      return;
    }
  fraction = maphex_document_get_progress (self->document, &done, &total, &elapsed);
  text = _maphex_window_format_progress (done, total, elapsed);
  gtk_label_set_text (self->operation_label, maphex_document_get_operation_name (self->document));
  gtk_progress_bar_set_fraction (self->operation_progress, fraction);
  gtk_progress_bar_set_text (self->operation_progress, text);
}

static gboolean
show_bar_cb (gpointer user_data)
{
  MaphexWindow *self = user_data;

  self->operation_timeout = 0;
  update_bar (self);
  gtk_widget_set_visible (GTK_WIDGET (self->operation_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->operation_revealer, TRUE);
  return G_SOURCE_REMOVE;
}

static void
busy_changed_cb (MaphexWindow *self)
{
  gboolean busy = document_busy (self) || self->task_name != NULL;

  g_clear_handle_id (&self->operation_timeout, g_source_remove);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-operation", busy);
  if (busy)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->operation_cancel_button), TRUE);
      self->operation_timeout = g_timeout_add (SHOW_AFTER_MS, show_bar_cb, self);
      return;
    }

  gtk_revealer_set_reveal_child (self->operation_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->operation_revealer), FALSE);
  _maphex_window_update_actions (self);
  if (self->close_after_operation)
    {
      self->close_after_operation = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

void
_maphex_window_operation_bind (MaphexWindow *self)
{
  if (self->document != NULL)
    {
      g_signal_connect_object (self->document, "notify::busy",
                               G_CALLBACK (busy_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->document, "notify::progress",
                               G_CALLBACK (update_bar), self, G_CONNECT_SWAPPED);
    }
  busy_changed_cb (self);
}

void
_maphex_window_operation_dispose (MaphexWindow *self)
{
  g_clear_handle_id (&self->operation_timeout, g_source_remove);
  /* The task's Cancel goes with the window. */
  if (self->task_cancellable != NULL)
    g_cancellable_cancel (self->task_cancellable);
  g_clear_object (&self->task_cancellable);
  g_clear_pointer (&self->task_name, g_free);
}

void
_maphex_window_begin_task (MaphexWindow *self,
                           const char   *name,
                           GCancellable *cancellable)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));

  g_free (self->task_name);
  self->task_name = g_strdup (name);
  g_set_object (&self->task_cancellable, cancellable);
  self->task_done = self->task_total = 0;
  self->task_started = g_get_monotonic_time ();
  busy_changed_cb (self);
}

void
_maphex_window_task_progress (MaphexWindow *self,
                              gint64        done,
                              gint64        total)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));

  self->task_done = done;
  self->task_total = total;
  update_bar (self);
}

void
_maphex_window_end_task (MaphexWindow *self)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));

  if (self->task_name == NULL)
    return;
  g_clear_pointer (&self->task_name, g_free);
  g_clear_object (&self->task_cancellable);
  busy_changed_cb (self);
}

static void
cancel_operation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);

  if (!document_busy (self))
    {
      if (self->task_cancellable != NULL)
        g_cancellable_cancel (self->task_cancellable);
      if (self->task_name != NULL)
        {
          gtk_widget_set_sensitive (GTK_WIDGET (self->operation_cancel_button), FALSE);
          gtk_progress_bar_set_text (self->operation_progress, _("Cancelling…"));
        }
      return;
    }
  maphex_document_cancel_operation (self->document);
  /* The rollback takes a moment too: say so rather than look stuck. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->operation_cancel_button), FALSE);
  gtk_progress_bar_set_text (self->operation_progress, _("Cancelling…"));
}

static void
busy_close_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        MaphexWindow     *self)
{
  if (!g_str_equal (response, "cancel-and-close"))
    return;
  if (self->document == NULL || !maphex_document_get_busy (self->document))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  /* Closes once the operation has put the file back (busy_changed_cb). */
  self->close_after_operation = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.cancel-operation", NULL);
}

gboolean
_maphex_window_ask_close_while_busy (MaphexWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *name;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->document == NULL || !maphex_document_get_busy (self->document))
    return FALSE;
  /* Another window on the document lets it run on. */
  if (app != NULL && maphex_application_count_views (MAPHEX_APPLICATION (app), self->document) > 1)
    return FALSE;
  if (self->close_after_operation)
    return TRUE;   /* already answered: closes when it is done */

  name = maphex_document_get_operation_name (self->document);
  heading = g_strdup_printf (_("“%s” is still running"), name);
  dialog = maphex_question_new (GTK_WINDOW (self), _("Operation Running"), heading,
    _("Wait for it to finish, or cancel it: cancelling puts the file back as it was, "
      "then the window closes."),
    "wait", _("_Wait"),
    "cancel-and-close", _("Cancel It and _Close"),
    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-and-close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "wait");
  g_signal_connect_object (dialog, "response", G_CALLBACK (busy_close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

void
_maphex_window_class_operation_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.cancel-operation", NULL,
                                   cancel_operation_action);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, operation_revealer);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, operation_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, operation_progress);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, operation_cancel_button);
}
