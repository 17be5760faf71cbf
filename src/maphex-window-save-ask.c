/* maphex-window-save-ask.c: the questions before a Save that writes where
 * a mistake is hard to undo: a snapshot written back over its source (a
 * /proc or /sys file, a file whose mmap was refused), and copy-on-write
 * edits written onto a block device. Each names what it writes to; the
 * answer runs the save (_maphex_window_save_confirmed) or Save As.
 *
 * Must not write anything itself: maphex-window-actions.c saves, the
 * document writes. */
#include <glib/gi18n.h>

#include "maphex-window-private.h"

typedef struct {
  MaphexWindow   *window;
  MaphexDocument *document;   /* the one asked about */
  gboolean        then_close;
} AskData;

static void
ask_data_free (gpointer  user_data,
               GClosure *closure)
{
  AskData *data = user_data;

  g_clear_object (&data->window);
  g_clear_object (&data->document);
  g_free (data);
}

gboolean
_maphex_window_saves_to_source (MaphexWindow *self)
{
  return self->document != NULL &&
         maphex_document_is_snapshot (self->document) &&
         /* a read-only snapshot holds nothing to write back */
         maphex_document_get_mode (self->document) != MAPHEX_MODE_READ_ONLY &&
         maphex_document_can_save_to_source (self->document);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 AskData          *data)
{
  /* The window may have moved to another document meanwhile. */
  if (data->window->document != data->document)
    return;
  if (g_str_equal (response, "write"))
    _maphex_window_save_confirmed (data->window, data->then_close);
  else if (g_str_equal (response, "save-as"))
    _maphex_window_save_as (data->window, data->then_close);
}

static GtkWidget *
save_question_new (MaphexWindow *self,
              const char   *title,
              const char   *primary,
              const char   *secondary,
              const char   *write_label,
              gboolean      then_close)
{
  GtkWidget *dialog;
  AskData *data;

  dialog = maphex_question_new (GTK_WINDOW (self), title, primary, secondary,
                                "cancel", _("_Cancel"),
                                "save-as", _("Save _As…"),
                                "write", write_label,
                                NULL);
  gtk_widget_set_name (dialog, "save-question");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "write",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (AskData, 1);
  data->window = g_object_ref (self);
  data->document = g_object_ref (self->document);
  data->then_close = then_close;
  g_signal_connect_data (dialog, "response", G_CALLBACK (ask_response_cb), data,
                         ask_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkWidget *
_maphex_window_ask_before_save (MaphexWindow *self,
                                gboolean      then_close)
{
  MaphexDocument *document = self->document;

  if (document == NULL)
    return NULL;

  if (_maphex_window_saves_to_source (self))
    {
      const char *source = maphex_document_get_snapshot_source (document);
      g_autofree char *size = g_format_size_full ((guint64) maphex_document_get_length (document),
                                                  G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *primary = g_strdup_printf (_("Write this snapshot back to %s?"), source);
      g_autofree char *secondary = g_strdup_printf (
        _("This is a snapshot of %s: it was read once and does not follow the file. "
          "Writing it back replaces whatever %s holds now with these %s, including "
          "anything that changed there since it was read."),
        source, source, size);

      return save_question_new (self, _("Write Back a Snapshot"), primary, secondary,
                           _("_Write Back"), then_close);
    }

  if (maphex_document_get_is_device (document) &&
      maphex_document_get_mode (document) == MAPHEX_MODE_COPY_ON_WRITE &&
      maphex_document_get_modified (document))
    {
      GFile *file = maphex_document_get_file (document);
      g_autofree char *name = file != NULL ? g_file_get_parse_name (file)
                                           : maphex_document_dup_display_name (document);
      g_autofree char *primary = g_strdup_printf (_("Write your edits to the device “%s”?"), name);
      g_autofree char *secondary = g_strdup_printf (
        _("Save writes the copy-on-write edits straight onto “%s”: a mistake can destroy "
          "its file system. Save As writes a copy to a file instead."), name);

      return save_question_new (self, _("Write to a Device"), primary, secondary,
                           _("_Write to the Device"), then_close);
    }
  return NULL;
}
