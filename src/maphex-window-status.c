/* maphex-window-status.c: what the window says about its document: the
 * title, the status bar and its mode display, the file bar (the file changed
 * or shrank on disk, with Reload), notices and error dialogs.
 *
 * It only shows: it does not bind documents, create the view or run actions
 * (maphex-window.c and maphex-window-actions.c do). */
#include <glib/gi18n.h>

#include "maphex-window-private.h"

enum {
  FILE_BAR_RESPONSE_RELOAD = 1,
};

static void
on_notice_dismissed (AdwToast     *toast,
                     MaphexWindow *self)
{
  if (self->notice_toast != toast)
    return;
  g_clear_object (&self->notice_toast);
  g_clear_pointer (&self->notice_text, g_free);
}

/* A notice is a toast that goes after 5 s; a new one replaces the one on
 * screen at once rather than queueing behind it (the newest news is what
 * matters): high priority does that inside the overlay. (Dismissing the old
 * toast ourselves right before adding the new one crashes libadwaita 1.2 in
 * its hide animation.) */
void
maphex_window_show_notice (MaphexWindow *self,
                           const char   *message)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (MAPHEX_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_clear_object (&self->notice_toast);
  g_free (self->notice_text);
  markup = g_markup_escape_text (message, -1);   /* toast titles are markup */
  self->notice_toast = g_object_ref (adw_toast_new (markup));
  self->notice_text = g_strdup (message);
  adw_toast_set_timeout (self->notice_toast, 5);
  adw_toast_set_priority (self->notice_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (self->notice_toast, "dismissed",
                           G_CALLBACK (on_notice_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, self->notice_toast);
}

void
_maphex_window_hide_notice (MaphexWindow *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->notice_toast);

  g_clear_pointer (&self->notice_text, g_free);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

const char *
_maphex_window_get_notice (MaphexWindow *self)
{
  return self->notice_text;
}

void
_maphex_window_show_error (MaphexWindow *self,
                           const char   *primary,
                           const GError *error)
{
  GtkWidget *dialog;

  dialog = maphex_question_new (GTK_WINDOW (self), NULL, primary,
                                error != NULL ? error->message : NULL,
                                "close", _("_Close"),
                                NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Numbers are formatted before they meet a translatable string: xgettext
 * cannot read G_GINT64_FORMAT inside a msgid. */
static char *
format_size (gint64 size)
{
  g_autofree char *human = g_format_size_full ((guint64) size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, size);

  if (size < 1024)
    /* Translators: %s is a number of bytes */
    return g_strdup_printf (ngettext ("%s byte", "%s bytes", (gulong) MIN (size, 1000)), bytes);
  /* Translators: a human size ("4.0 KiB") and the exact count of bytes */
  return g_strdup_printf (_("%s (%s bytes)"), human, bytes);
}

/* "Read-only", or "Block device, read-only", "Snapshot, copy-on-write". */
static char *
dup_kind_and_mode (MaphexDocument *document)
{
  const char *mode = maphex_mode_to_string (maphex_document_get_mode (document));

  if (maphex_document_get_is_device (document))
    /* Translators: the status bar's kind and mode, e.g. "Block device, Read-only" */
    return g_strdup_printf (_("Block device, %s"), mode);
  if (maphex_document_is_snapshot (document))
    /* Translators: the status bar's kind and mode, e.g. "Snapshot, Read-only" */
    return g_strdup_printf (_("Snapshot, %s"), mode);
  return g_strdup (mode);
}

void
_maphex_window_update_status (MaphexWindow *self)
{
  g_autofree char *offset = NULL;
  g_autofree char *selection = NULL;
  g_autofree char *size = NULL;
  gint64 cursor, start = 0, end = 0, length;

  if (self->document == NULL || self->view == NULL)
    {
      gtk_label_set_text (self->offset_label, "");
      gtk_label_set_text (self->selection_label, "");
      gtk_label_set_text (self->size_label, "");
      gtk_label_set_text (self->mode_label, "");
      gtk_label_set_text (self->modified_label, "");
      return;
    }

  length = maphex_document_get_length (self->document);
  cursor = maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (self->view));
  maphex_hex_view_get_selection (MAPHEX_HEX_VIEW (self->view), &start, &end);

  {
    g_autofree char *hex = g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", cursor);
    g_autofree char *dec = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
    /* Translators: the cursor offset in hexadecimal and decimal */
    offset = g_strdup_printf (_("Offset %s (%s)"), hex, dec);
  }
  gtk_label_set_text (self->offset_label, offset);

  if (end > start)
    {
      g_autofree char *dec = g_strdup_printf ("%" G_GINT64_FORMAT, end - start);
      g_autofree char *hex = g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", end - start);
      /* Translators: the selection length in decimal and hexadecimal */
      selection = g_strdup_printf (_("Selected %s (%s)"), dec, hex);
    }
  gtk_label_set_text (self->selection_label, selection ? selection : _("No selection"));

  size = format_size (length);
  gtk_label_set_text (self->size_label, size);
  {
    g_autofree char *kind = dup_kind_and_mode (self->document);
    gtk_label_set_text (self->mode_label, kind);
  }

  /* A scratch buffer is write-through to an anonymous map: its edits are
   * written nowhere but memory until Save As. */
  if (maphex_document_get_modified (self->document))
    gtk_label_set_text (self->modified_label,
                        maphex_document_is_scratch (self->document) ? _("Modified (in memory only)")
                        : maphex_document_get_mode (self->document) == MAPHEX_MODE_WRITE_THROUGH
                          ? _("Modified (written through)") : _("Modified"));
  else
    gtk_label_set_text (self->modified_label, _("Saved"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_label),
                               maphex_document_is_scratch (self->document)
                                 ? _("A scratch buffer in memory: Save As writes it to a file")
                                 : NULL);
}

void
_maphex_window_update_mode_style (MaphexWindow *self)
{
  static const char *classes[] = { "read-only", "copy-on-write", "write-through" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), classes[i]);
  if (self->document != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->mode_label),
                              classes[maphex_document_get_mode (self->document)]);
}

/* The persistent bar over a snapshot: what it was read from and when
 * (fixed once it is read: set with the document, not on every change). */
void
_maphex_window_update_snapshot_bar (MaphexWindow *self)
{
  g_autofree char *notice = self->document != NULL
                            ? maphex_document_dup_snapshot_notice (self->document) : NULL;

  if (notice == NULL)
    {
      if (self->snapshot_bar != NULL)
        gtk_widget_set_visible (self->snapshot_bar, FALSE);
      return;
    }
  if (self->snapshot_bar == NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      self->snapshot_bar = gtk_info_bar_new ();
      gtk_widget_set_name (self->snapshot_bar, "snapshot-bar");
      gtk_info_bar_set_message_type (GTK_INFO_BAR (self->snapshot_bar), GTK_MESSAGE_INFO);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_info_bar_add_child (GTK_INFO_BAR (self->snapshot_bar), label);
      g_object_set_data (G_OBJECT (self->snapshot_bar), "label", label);
      gtk_widget_insert_after (self->snapshot_bar,
                               gtk_widget_get_parent (GTK_WIDGET (self->file_bar)),
                               GTK_WIDGET (self->file_bar));
    }
  gtk_label_set_text (g_object_get_data (G_OBJECT (self->snapshot_bar), "label"), notice);
  gtk_widget_set_visible (self->snapshot_bar, TRUE);
}

void
_maphex_window_update_title (MaphexWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *kind = NULL;
  GFile *file;
  const char *mode;

  if (self->document == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), "Maphex");
      gtk_label_set_text (self->title_label, "Maphex");
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
      return;
    }

  name = maphex_document_dup_display_name (self->document);
  kind = dup_kind_and_mode (self->document);
  mode = kind;
  file = maphex_document_get_file (self->document);
  if (file != NULL)
    dir = _maphex_window_folder_label (file);

  title = g_strdup_printf ("%s%s", maphex_document_get_modified (self->document) ? "• " : "", name);
  gtk_label_set_text (self->title_label, title);

  subtitle = dir ? g_strdup_printf ("%s — %s", mode, dir) : g_strdup (mode);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);

  /* The window-manager title names the file and the mode too (tests find
   * windows by it). */
  g_free (title);
  title = g_strdup_printf ("%s%s (%s) — Maphex",
                           maphex_document_get_modified (self->document) ? "• " : "",
                           name, mode);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
show_file_bar (MaphexWindow *self,
               const char   *message)
{
  gtk_label_set_text (self->file_bar_label, message);
  /* A hidden GtkInfoBar stays hidden when revealed: show it first. */
  gtk_widget_set_visible (GTK_WIDGET (self->file_bar), TRUE);
  gtk_info_bar_set_revealed (self->file_bar, TRUE);
}

void
_maphex_window_hide_file_bar (MaphexWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean had_focus = focus != NULL && (focus == GTK_WIDGET (self->file_bar) ||
                                         gtk_widget_is_ancestor (focus, GTK_WIDGET (self->file_bar)));

  gtk_info_bar_set_revealed (self->file_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->file_bar), FALSE);
  /* Clicking Reload or Close focused a button that is now hidden: without
   * this the keyboard went nowhere and typing after a reload did nothing. */
  if (had_focus && self->view != NULL)
    gtk_widget_grab_focus (self->view);
}

/* When the file is shorter than the document the bar says so, with the
 * unsaved edits that went with the lost pages (the document names them). */
static gboolean
show_shrink_bar (MaphexWindow *self)
{
  g_autofree char *message = NULL;

  if (self->document == NULL ||
      (message = maphex_document_dup_shrink_message (self->document)) == NULL)
    return FALSE;
  show_file_bar (self, message);
  return TRUE;
}

void
_maphex_window_update_file_bar (MaphexWindow *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->file_bar)))
    show_shrink_bar (self);
}

void
_maphex_window_file_changed_cb (MaphexWindow *self)
{
  /* A shrink comes as "file-changed" too, and "file-shrunk" only once. */
  if (!show_shrink_bar (self))
    show_file_bar (self, _("The file changed on disk. Reload it to see what another program wrote."));
}

void
_maphex_window_file_shrunk_cb (MaphexWindow *self)
{
  if (!show_shrink_bar (self))
    show_file_bar (self, _("The file shrank on disk: the bytes past its new end are gone. Reload it to continue."));
}

/* The document dropped its oldest undo steps to stay under the limit. */
void
_maphex_window_history_trimmed_cb (MaphexWindow *self,
                                   guint         n_dropped)
{
  g_autofree char *limit = g_format_size (maphex_document_get_undo_limit (self->document));
  g_autofree char *message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Undo history trimmed: %u old step dropped to keep it under %s",
                                  "Undo history trimmed: %u old steps dropped to keep it under %s",
                                  n_dropped),
                     n_dropped, limit);

  maphex_window_show_notice (self, message);
}

static void
reload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MaphexWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &error))
    {
      if (self->document != MAPHEX_DOCUMENT (source))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        maphex_window_show_notice (self, _("Reload cancelled: the bytes shown are the ones from before"));
      else
        _maphex_window_show_error (self, _("Could not reload the file"), error);
      return;
    }
  if (self->document != MAPHEX_DOCUMENT (source))
    return;
  _maphex_window_hide_file_bar (self);
  maphex_window_show_notice (self, _("Reloaded from disk"));
  _maphex_window_document_changed_cb (self);
}

/* In the runner: the old map's private pages go in a worker, and the
 * operation bar shows it if it takes long. */
static void
reload_now (MaphexWindow *self)
{
  MaphexExport *own = self->view ? maphex_hex_view_get_export (MAPHEX_HEX_VIEW (self->view)) : NULL;

  if (self->document == NULL)
    return;
  maphex_document_reload_async (self->document, own, NULL, reload_done_cb, g_object_ref (self));
}

static void
reload_confirm_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            MaphexWindow     *self)
{
  if (g_str_equal (response, "reload"))
    reload_now (self);
}

static void
file_bar_response_cb (GtkInfoBar   *bar,
                      int           response,
                      MaphexWindow *self)
{
  g_autofree char *shrink_message = NULL;
  GtkWidget *dialog;

  if (response != FILE_BAR_RESPONSE_RELOAD)
    {
      _maphex_window_hide_file_bar (self);
      return;
    }

  if (self->document == NULL ||
      !maphex_document_get_modified (self->document) ||
      maphex_document_get_mode (self->document) == MAPHEX_MODE_WRITE_THROUGH)
    {
      reload_now (self);
      return;
    }

  /* Unsaved copy-on-write edits are never dropped without asking. After a
   * shrink Save As cannot save the document (part of it is gone): the body
   * says what still holds instead, which edits are lost and what Save does. */
  shrink_message = maphex_document_dup_shrink_message (self->document);
  dialog = maphex_question_new (GTK_WINDOW (self), _("Reload File"),
    _("Reload and discard your changes?"),
    shrink_message != NULL
      ? shrink_message
      : _("The unsaved edits of this document will be lost. Cancel and use Save As to keep them."),
    "cancel", _("_Cancel"),
    "reload", _("_Discard and Reload"),
    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reload",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reload_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_maphex_window_class_status_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, file_bar_response_cb);
}
