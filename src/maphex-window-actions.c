/* maphex-window-actions.c: the win.* actions and the one place that enables
 * and disables them. */
#include <glib/gi18n.h>

#include "maphex-window-private.h"
#include "maphex-goto-dialog.h"
#include "maphex-recent.h"
#include "maphex-operation-dialog.h"

static gboolean
parse_mode (const char *text,
            MaphexMode *mode)
{
  if (g_strcmp0 (text, "read-only") == 0)
    *mode = MAPHEX_MODE_READ_ONLY;
  else if (g_strcmp0 (text, "copy-on-write") == 0)
    *mode = MAPHEX_MODE_COPY_ON_WRITE;
  else if (g_strcmp0 (text, "write-through") == 0)
    *mode = MAPHEX_MODE_WRITE_THROUGH;
  else
    return FALSE;
  return TRUE;
}

/* Why a length-changing action (win.insert, win.delete, win.resize) cannot
 * run now, or NULL when it can. */
const char *
_maphex_window_length_refusal (MaphexWindow *self,
                               const char   *action_name)
{
  gint64 start = 0, end = 0;

  if (self->document == NULL || self->view == NULL)
    return _("Open a file first");
  if (!maphex_document_get_can_edit (self->document))
    return _("Read-only: every edit is refused. Reopen the file in another mode to edit it.");
  if (!maphex_document_get_can_resize (self->document))
    return maphex_document_get_resize_refusal (self->document);
  maphex_hex_view_get_selection (MAPHEX_HEX_VIEW (self->view), &start, &end);
  if (g_str_equal (action_name, "win.delete") && end <= start)
    return _("Select the bytes to delete first");
  return NULL;
}

void
_maphex_window_update_actions (MaphexWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_doc = self->document != NULL;
  gboolean has_file = has_doc && !maphex_document_is_scratch (self->document);
  gboolean can_edit = has_doc && maphex_document_get_can_edit (self->document);
  gboolean can_resize = has_doc && maphex_document_get_can_resize (self->document);
  const char *refusal = has_doc ? maphex_document_get_resize_refusal (self->document) : NULL;
  gint64 start = 0, end = 0;

  if (self->view != NULL)
    maphex_hex_view_get_selection (MAPHEX_HEX_VIEW (self->view), &start, &end);

  /* A scratch buffer has no file: its Save is Save As. */
  gtk_widget_action_set_enabled (widget, "win.save", has_doc && (!has_file || can_edit));
  gtk_widget_action_set_enabled (widget, "win.save-as", has_doc);
  gtk_widget_action_set_enabled (widget, "win.reopen", has_file);
  gtk_widget_action_set_enabled (widget, "win.find", has_doc);
  gtk_widget_action_set_enabled (widget, "win.replace", has_doc);
  gtk_widget_action_set_enabled (widget, "win.find-next", has_doc);
  gtk_widget_action_set_enabled (widget, "win.find-previous", has_doc);
  gtk_widget_action_set_enabled (widget, "win.goto", has_doc);
  gtk_widget_action_set_enabled (widget, "win.new-view", has_doc);
  gtk_widget_action_set_enabled (widget, "win.fill", can_edit && end > start);
  gtk_widget_action_set_enabled (widget, "win.move", can_edit);
  gtk_widget_action_set_enabled (widget, "win.insert", can_edit && can_resize);
  gtk_widget_action_set_enabled (widget, "win.delete", can_edit && can_resize && end > start);
  gtk_widget_action_set_enabled (widget, "win.resize", can_edit && can_resize);
  _maphex_window_bookmarks_update_actions (self);

  /* Disabled length-changing operations say why. */
  if (self->insert_button != NULL)
    {
      const char *why = !has_doc ? NULL
                        : !can_edit ? _("Read-only: every edit is refused. Reopen the file in another mode to edit it.")
                        : refusal;
      gtk_widget_set_tooltip_text (self->insert_button, why ? why : _("Insert zero bytes at the cursor"));
      gtk_widget_set_tooltip_text (self->delete_button,
                                   why ? why : end > start ? _("Delete the selected bytes")
                                             : _("Select the bytes to delete first"));
      gtk_widget_set_tooltip_text (self->resize_button, why ? why : _("Change the length of the file"));
      gtk_label_set_text (self->resize_note, why ? why : "");
      gtk_widget_set_visible (GTK_WIDGET (self->resize_note), why != NULL);
    }
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  MaphexWindow    *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT && app != NULL)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "mode");
      MaphexMode default_mode = maphex_application_get_default_mode (MAPHEX_APPLICATION (app));
      MaphexMode mode = default_mode;

      parse_mode (choice, &mode);
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          /* The mode left at the default is no choice for a disk, which
             opens read-only as from the command line. */
          maphex_application_open_file_full (MAPHEX_APPLICATION (app), file, mode,
                                             mode == default_mode ? MAPHEX_OPEN_MODE_IS_DEFAULT
                                                                  : MAPHEX_OPEN_NONE,
                                             GTK_WINDOW (self), GTK_WINDOW (self), NULL);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkFileChooserNative *chooser;
  /* Indexed by MaphexMode. */
  static const char *mode_ids[] = { "read-only", "copy-on-write", "write-through" };
  const char *mode_labels[] = { _("Read-only"), _("Copy-on-write"), _("Write-through") };
  const char *ids[4] = { NULL }, *labels[4] = { NULL };
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  MaphexMode mode = app ? maphex_application_get_default_mode (MAPHEX_APPLICATION (app))
                        : MAPHEX_MODE_COPY_ON_WRITE;
  guint n = 0;

  /* The default mode comes first: GTK 4.8's fallback chooser shows the first
   * option whatever gtk_file_chooser_set_choice() said. */
  ids[n] = mode_ids[mode], labels[n++] = mode_labels[mode];
  for (guint i = 0; i < G_N_ELEMENTS (mode_ids); i++)
    if (i != (guint) mode)
      ids[n] = mode_ids[i], labels[n++] = mode_labels[i];

  chooser = gtk_file_chooser_native_new (_("Open File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "mode", _("Mode"),
                               (const char **) ids, (const char **) labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "mode", mode_ids[mode]);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct {
  MaphexWindow *window;
  gboolean      then_close;
} SaveData;

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MaphexDocument *document = MAPHEX_DOCUMENT (source);
  SaveData *data = user_data;
  g_autoptr(MaphexWindow) self = data->window;
  gboolean then_close = data->then_close;
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (!maphex_document_operation_finish (document, result, &error))
    {
      g_autofree char *name = maphex_document_dup_display_name (document);
      g_autofree char *primary = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          maphex_document_is_snapshot (document))
        {
          maphex_window_show_notice (self, _("Save cancelled: the snapshot was not written back"));
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          maphex_window_show_notice (self, maphex_document_get_mode (document) == MAPHEX_MODE_COPY_ON_WRITE
                                     ? _("Save cancelled: the file is as it was before")
                                     : _("Save cancelled: the edits are in the file, not yet synced to disk"));
          return;
        }

      /* The file shrank: Save wrote what it could, and the message says
       * which edits were lost. */
      if (g_error_matches (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
        primary = g_strdup_printf (_("Some edits to “%s” could not be saved"), name);
      else
        primary = g_strdup_printf (_("Could not save “%s”"), name);
      _maphex_window_update_file_bar (self);
      _maphex_window_show_error (self, primary, error);
      return;
    }
  _maphex_window_update_file_bar (self);
  if (self->document != document)
    return;
  if (then_close)
    {
      _maphex_window_close_confirmed (self);
      return;
    }
  if (maphex_document_is_snapshot (document))
    {
      g_autofree char *message = g_strdup_printf (_("Written back to %s"),
                                                  maphex_document_get_snapshot_source (document));
      maphex_window_show_notice (self, message);
      return;
    }
  maphex_window_show_notice (self, _("Saved"));
}

void
_maphex_window_save (MaphexWindow *self,
                     gboolean      then_close)
{
  if (self->document == NULL)
    return;
  if (maphex_document_is_scratch (self->document) && !_maphex_window_saves_to_source (self))
    {
      _maphex_window_save_as (self, then_close);
      return;
    }
  /* A snapshot's source, a disk: asked first (maphex-window-save-ask.c). */
  if (_maphex_window_ask_before_save (self, then_close) == NULL)
    _maphex_window_save_confirmed (self, then_close);
}

void
_maphex_window_save_confirmed (MaphexWindow *self,
                               gboolean      then_close)
{
  SaveData *data;

  if (self->document == NULL)
    return;
  data = g_new0 (SaveData, 1);
  data->window = g_object_ref (self);
  data->then_close = then_close;
  if (_maphex_window_saves_to_source (self))
    maphex_document_save_to_source_async (self->document, NULL, save_done_cb, data);
  else
    maphex_document_save_async (self->document, NULL, save_done_cb, data);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _maphex_window_save (MAPHEX_WINDOW (widget), FALSE);
}

typedef struct {
  MaphexWindow *window;
  GFile        *file;
  gboolean      then_close;
} SaveAsData;

static void
save_as_data_free (SaveAsData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->file);
  g_free (data);
}

static void
save_as_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveAsData *data = user_data;
  MaphexWindow *self = data->window;
  g_autoptr(GError) error = NULL;

  if (!maphex_document_save_as_finish (MAPHEX_DOCUMENT (source), result, &error))
    {
      /* "Saving…" stayed up beside the error dialog. */
      _maphex_window_hide_notice (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = g_file_get_parse_name (data->file);
          g_autofree char *primary = g_strdup_printf (_("Could not save as “%s”"), name);
          _maphex_window_show_error (self, primary, error);
        }
      save_as_data_free (data);
      return;
    }

  maphex_recent_add (data->file);
  if (data->then_close)
    {
      _maphex_window_close_confirmed (self);
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (data->file);
      g_autofree char *message = g_strdup_printf (_("Saved a copy as “%s”"), name);
      maphex_window_show_notice (self, message);
    }
  save_as_data_free (data);
}

static void
save_as_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  SaveAsData *data = user_data;

  if (response == GTK_RESPONSE_ACCEPT && data->window->document != NULL)
    {
      data->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      maphex_window_show_notice (data->window, _("Saving…"));
      maphex_document_save_as_async (data->window->document, data->file,
                                     NULL, save_as_done_cb, data);
    }
  else
    {
      save_as_data_free (data);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
_maphex_window_save_as (MaphexWindow *self,
                        gboolean      then_close)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  SaveAsData *data;
  GFile *file;

  if (self->document == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save As"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = maphex_document_dup_display_name (self->document);
  file = maphex_document_get_file (self->document);
  if (file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  data = g_new0 (SaveAsData, 1);
  data->window = g_object_ref (self);
  data->then_close = then_close;
  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _maphex_window_save_as (MAPHEX_WINDOW (widget), FALSE);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
reopen_now (MaphexWindow *self,
            MaphexMode    mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) document = NULL;
  GFile *file;
  gint64 cursor;

  if (self->document == NULL || (file = maphex_document_get_file (self->document)) == NULL)
    return;

  cursor = self->view ? maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (self->view)) : 0;
  document = maphex_document_new_for_file (file, mode, &error);
  if (document == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *primary = g_strdup_printf (_("Could not reopen “%s” %s"), name,
                                                  maphex_mode_to_string (mode));
      _maphex_window_show_error (self, primary, error);
      return;
    }
  maphex_window_set_document (self, document);
  if (self->view != NULL)
    maphex_hex_view_set_cursor (MAPHEX_HEX_VIEW (self->view),
                                MIN (cursor, maphex_document_get_length (document)), FALSE);
  {
    g_autofree char *message = g_strdup_printf (_("Reopened: %s"), maphex_mode_to_string (mode));
    maphex_window_show_notice (self, message);
  }
}

static void
reopen_confirm_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            MaphexWindow     *self)
{
  if (g_str_equal (response, "reopen"))
    reopen_now (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "maphex-mode")));
}

const char *
_maphex_window_get_mode_name (MaphexWindow *self)
{
  if (self->document == NULL || maphex_document_is_scratch (self->document))
    return "";
  switch (maphex_document_get_mode (self->document))
    {
    case MAPHEX_MODE_READ_ONLY:
      return "read-only";
    case MAPHEX_MODE_COPY_ON_WRITE:
      return "copy-on-write";
    case MAPHEX_MODE_WRITE_THROUGH:
      return "write-through";
    default:
      g_return_val_if_reached ("");
    }
}

void
_maphex_window_reopen (MaphexWindow *self,
                       const char   *mode_name)
{
  MaphexMode mode;
  GtkWidget *dialog;

  if (!parse_mode (mode_name, &mode) || self->document == NULL)
    return;
  /* The menu shows the current mode checked: choosing it again is a no-op. */
  if (g_str_equal (mode_name, _maphex_window_get_mode_name (self)))
    return;

  if (!_maphex_window_has_unsaved_last_view (self))
    {
      reopen_now (self, mode);
      return;
    }

  dialog = maphex_question_new (GTK_WINDOW (self), _("Reopen File"),
    _("Reopen and discard your changes?"),
    _("Reopening maps the file again: the unsaved edits are lost. Save first to keep them."),
    "cancel", _("_Cancel"),
    "reopen", _("_Discard and Reopen"),
    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reopen",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "maphex-mode", GINT_TO_POINTER (mode));
  g_signal_connect_object (dialog, "response", G_CALLBACK (reopen_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);

  if (self->view != NULL)
    maphex_find_bar_open (self->find_bar);
}

/* The find bar with its replace row; read-only says there why it cannot. */
static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);

  if (self->view != NULL)
    maphex_find_bar_open_replace (self->find_bar);
}

static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);

  if (self->view != NULL)
    maphex_find_bar_find_next (self->find_bar, g_str_equal (action_name, "win.find-previous"));
}

static void
goto_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  MaphexGotoDialog *dialog;

  if (self->view == NULL)
    return;
  dialog = maphex_goto_dialog_new (GTK_WINDOW (self), MAPHEX_HEX_VIEW (self->view));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_view_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  MaphexWindow *window;

  if (self->document == NULL || app == NULL)
    return;
  window = maphex_window_new (MAPHEX_APPLICATION (app), self->document);
  gtk_window_present (GTK_WINDOW (window));
  if (self->view != NULL)
    maphex_hex_view_set_cursor (maphex_window_get_view (window),
                                maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (self->view)), FALSE);
}

static void
operation_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  MaphexOperation operation;
  MaphexOperationDialog *dialog;

  if (self->view == NULL)
    return;
  if (g_str_equal (action_name, "win.fill"))
    operation = MAPHEX_OPERATION_FILL;
  else if (g_str_equal (action_name, "win.move"))
    operation = MAPHEX_OPERATION_MOVE;
  else if (g_str_equal (action_name, "win.insert"))
    operation = MAPHEX_OPERATION_INSERT;
  else
    operation = MAPHEX_OPERATION_RESIZE;

  dialog = maphex_operation_dialog_new (GTK_WINDOW (self), operation, MAPHEX_HEX_VIEW (self->view));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  MaphexWindow *window;
  gint64        start;
} DeleteData;

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DeleteData *data = user_data;
  g_autoptr(MaphexWindow) self = data->window;
  g_autoptr(GError) error = NULL;
  gint64 start = data->start;
  MaphexHexView *view;

  g_free (data);
  view = maphex_window_get_view (self);
  if (!maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &error))
    maphex_window_show_notice (self, error->message);
  else if (view != NULL && self->document == MAPHEX_DOCUMENT (source))
    maphex_hex_view_set_cursor (view, MIN (start, maphex_document_get_length (self->document)), FALSE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  gint64 start = 0, end = 0;
  MaphexHexView *view = maphex_window_get_view (self);
  DeleteData *data;

  if (view == NULL)
    return;
  maphex_hex_view_get_selection (view, &start, &end);
  if (end <= start)
    return;
  data = g_new0 (DeleteData, 1);
  data->window = g_object_ref (self);
  data->start = start;
  maphex_document_delete_async (self->document, maphex_hex_view_get_export (view),
                                start, end - start, NULL, delete_done_cb, data);
}

void
_maphex_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  /* Stateful: the menu shows the current mode as the checked radio item.
   * Activating it sets the window's "mode", which reopens the file. */
  gtk_widget_class_install_property_action (widget_class, "win.reopen", "mode");
  gtk_widget_class_install_property_action (widget_class, "win.show-inspector", "inspector-visible");
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.replace", NULL, replace_action);
  gtk_widget_class_install_action (widget_class, "win.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "win.find-previous", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "win.goto", NULL, goto_action);
  gtk_widget_class_install_action (widget_class, "win.new-view", NULL, new_view_action);
  gtk_widget_class_install_action (widget_class, "win.fill", NULL, operation_action);
  gtk_widget_class_install_action (widget_class, "win.move", NULL, operation_action);
  gtk_widget_class_install_action (widget_class, "win.insert", NULL, operation_action);
  gtk_widget_class_install_action (widget_class, "win.resize", NULL, operation_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
}
