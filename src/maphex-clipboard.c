/* maphex-clipboard.c: reading the clipboard's bytes for paste and insert. */
#include <glib/gi18n.h>
#include <string.h>

#include "maphex-clipboard.h"
#include "maphex-document.h"

GBytes *
maphex_clipboard_bytes_from_text (const char *text)
{
  GBytes *bytes;

  g_return_val_if_fail (text != NULL, NULL);
  bytes = maphex_parse_hex_bytes (text, NULL);
  if (bytes == NULL)
    bytes = g_bytes_new (text, strlen (text));
  return bytes;
}

static void
return_error (GTask        *task,
              const GError *error)
{
  g_task_return_new_error (task, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Cannot read the clipboard: %s"), error->message);
}

static void
text_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("it holds no text"));
      return_error (task, error);
      return;
    }
  g_task_return_pointer (task, maphex_clipboard_bytes_from_text (text),
                         (GDestroyNotify) g_bytes_unref);
}

static void
splice_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
stream_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (source), result,
                                                              NULL, &error);
  g_autoptr(GOutputStream) memory = NULL;
  GCancellable *cancellable;

  if (stream == NULL)
    {
      return_error (task, error);
      return;
    }
  memory = g_memory_output_stream_new_resizable ();
  cancellable = g_task_get_cancellable (task);
  g_output_stream_splice_async (memory, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, cancellable,
                                splice_ready, g_steal_pointer (&task));
}

void
maphex_clipboard_read_bytes_async (GdkClipboard        *clipboard,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  static const char *raw_types[] = { "application/octet-stream", NULL };
  GTask *task;

  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));

  task = g_task_new (clipboard, cancellable, callback, user_data);
  g_task_set_source_tag (task, maphex_clipboard_read_bytes_async);

  if (gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard), raw_types[0]))
    gdk_clipboard_read_async (clipboard, raw_types, G_PRIORITY_DEFAULT, cancellable,
                              stream_ready, task);
  else
    gdk_clipboard_read_text_async (clipboard, cancellable, text_ready, task);
}

GBytes *
maphex_clipboard_read_bytes_finish (GdkClipboard  *clipboard,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clipboard), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
