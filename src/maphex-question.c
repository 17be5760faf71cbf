/* maphex-question.c: building every question and error message Maphex
 * shows (maphex_question_new), so that each is made the same way: its
 * parent, title, text and responses, and Escape giving the first response.
 * What a question asks and what its answers do stay with its caller. */
#include "maphex-question.h"

GtkWidget *
maphex_question_new (GtkWindow  *parent,
                     const char *title,
                     const char *heading,
                     const char *body,
                     const char *first_response,
                     const char *first_label,
                     ...)
{
  GtkWidget *dialog;
  const char *id;
  va_list args;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (first_response != NULL, NULL);
  g_return_val_if_fail (first_label != NULL, NULL);

  dialog = adw_message_dialog_new (parent, heading, body);
  if (title != NULL)
    gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), parent != NULL);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), first_response, first_label);
  va_start (args, first_label);
  while ((id = va_arg (args, const char *)) != NULL)
    {
      const char *label = va_arg (args, const char *);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), id, label);
    }
  va_end (args);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), first_response);
  return dialog;
}
