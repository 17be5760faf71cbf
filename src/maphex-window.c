/* maphex-window.c: one window on one document: its lifetime (settings,
 * closing, drops), the template, binding the document, and the hex view with
 * its keys and the find bar. Actions live in maphex-window-actions.c; the
 * title, status bar, file bar and notices in maphex-window-status.c. */
#include <glib/gi18n.h>

#include "maphex-window-private.h"
#include "maphex-preferences.h"
#include "maphex-recent.h"

G_DEFINE_FINAL_TYPE (MaphexWindow, maphex_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_MODE,
  PROP_INSPECTOR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

MaphexDocument *
maphex_window_get_document (MaphexWindow *self)
{
  g_return_val_if_fail (MAPHEX_IS_WINDOW (self), NULL);
  return self->document;
}

MaphexHexView *
maphex_window_get_view (MaphexWindow *self)
{
  g_return_val_if_fail (MAPHEX_IS_WINDOW (self), NULL);
  return self->view ? MAPHEX_HEX_VIEW (self->view) : NULL;
}

/* The Edit menu is a plain popover of buttons (so that disabled entries can
 * carry a tooltip), and a plain popover stays open when one of its buttons
 * runs an action: close it, or it would cover the dialog the action opens
 * and eat the first click outside it. */
static void
edit_operation_clicked_cb (GtkButton    *button,
                           MaphexWindow *self)
{
  (void) button;
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->edit_button));
}

static void
view_selection_changed_cb (MaphexWindow *self)
{
  _maphex_window_update_status (self);
  _maphex_window_update_actions (self);
}

/* Find All fills the results list: show it. */
static void
find_all_started_cb (MaphexWindow *self)
{
  _maphex_window_show_side_page (self, "results");
}

static void
view_edit_failed_cb (MaphexWindow  *self,
                     const GError  *error,
                     MaphexHexView *view)
{
  maphex_window_show_notice (self, error ? error->message : _("The edit was refused"));
}

void
_maphex_window_document_changed_cb (MaphexWindow *self)
{
  _maphex_window_update_title (self);
  _maphex_window_update_status (self);
  _maphex_window_update_actions (self);
}

static void
after_paint_cb (GdkFrameClock *clock,
                MaphexWindow  *self)
{
  if (self->first_frame_reported)
    return;
  self->first_frame_reported = TRUE;
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  maphex_application_report_first_frame ();
}

static void
maphex_window_map (GtkWidget *widget)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);

  GTK_WIDGET_CLASS (maphex_window_parent_class)->map (widget);
  _maphex_window_recent_focus_first (self);

  if (!self->first_frame_reported && g_strcmp0 (g_getenv ("MAPHEX_BENCH_FIRST_FRAME"), "1") == 0)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
      if (clock != NULL)
        g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
    }
}

/* Delete or Insert on the view: the action, or where it cannot run (read-only,
 * copy-on-write, nothing selected) a notice that says why. A disabled action
 * alone ignored the key, and the user saw nothing happen. */
void
_maphex_window_length_key (MaphexWindow *self,
                           const char   *action_name)
{
  const char *why = _maphex_window_length_refusal (self, action_name);

  if (why != NULL)
    maphex_window_show_notice (self, why);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), action_name, NULL);
}

static gboolean
view_length_key_cb (GtkWidget *view,
                    GVariant  *args,
                    gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (view);

  if (!MAPHEX_IS_WINDOW (root))
    return FALSE;
  _maphex_window_length_key (MAPHEX_WINDOW (root), user_data);
  return TRUE;
}

/* Delete and Insert act on the bytes only while the view has the focus (an
 * application accelerator would take them from the find bar's entry too). */
static void
add_view_shortcuts (GtkWidget *view)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                      gtk_callback_action_new (view_length_key_cb, (gpointer) "win.delete", NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Insert, 0),
                      gtk_callback_action_new (view_length_key_cb, (gpointer) "win.insert", NULL)));
  gtk_widget_add_controller (view, controller);
}

/* What the view shows follows the application's settings, looked up here:
 * a document given to g_object_new comes after "application" but before
 * its notify (held until construction ends), so self->settings may not be
 * set yet. */
static void
bind_view_settings (MaphexWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = self->settings;

  if (settings == NULL && MAPHEX_IS_APPLICATION (app))
    settings = maphex_application_get_settings (MAPHEX_APPLICATION (app));
  if (settings != NULL)
    maphex_preferences_bind_view (settings, MAPHEX_HEX_VIEW (self->view));
}

void
maphex_window_set_document (MaphexWindow   *self,
                            MaphexDocument *document)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));
  g_return_if_fail (document == NULL || MAPHEX_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  _maphex_window_hide_file_bar (self);

  if (document != NULL)
    {
      if (self->view == NULL)
        {
          self->view = maphex_hex_view_new (document);
          gtk_widget_set_vexpand (self->view, TRUE);
          gtk_widget_set_hexpand (self->view, TRUE);
          gtk_box_append (self->view_box, self->view);
          g_signal_connect_object (self->view, "selection-changed",
                                   G_CALLBACK (view_selection_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->view, "notify::cursor",
                                   G_CALLBACK (view_selection_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->view, "edit-failed",
                                   G_CALLBACK (view_edit_failed_cb), self, G_CONNECT_SWAPPED);
          add_view_shortcuts (self->view);
          bind_view_settings (self);
          maphex_find_bar_set_view (self->find_bar, MAPHEX_HEX_VIEW (self->view));
          self->inspector = maphex_inspector_new ();
          maphex_inspector_set_view (MAPHEX_INSPECTOR (self->inspector), MAPHEX_HEX_VIEW (self->view));
          gtk_scrolled_window_set_child (self->inspector_scroller, self->inspector);
          self->results_list = maphex_results_list_new ();
          maphex_results_list_set_view (MAPHEX_RESULTS_LIST (self->results_list), MAPHEX_HEX_VIEW (self->view));
          maphex_find_bar_set_results_list (self->find_bar, MAPHEX_RESULTS_LIST (self->results_list));
          _maphex_window_bookmarks_init_view (self);
          _maphex_window_add_side_page (self, self->results_list, "results", _("Results"));
          g_signal_connect_object (self->find_bar, "find-all-started",
                                   G_CALLBACK (find_all_started_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->find_bar, "replace-all-done",
                                   G_CALLBACK (maphex_window_show_notice), self, G_CONNECT_SWAPPED);
        }
      else
        {
          maphex_hex_view_set_document (MAPHEX_HEX_VIEW (self->view), document);
        }

      if (maphex_document_get_file (document) != NULL && !maphex_document_is_scratch (document))
        maphex_recent_add (maphex_document_get_file (document));
      g_signal_connect_object (document, "notify::modified",
                               G_CALLBACK (_maphex_window_document_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::length",
                               G_CALLBACK (_maphex_window_document_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::can-undo",
                               G_CALLBACK (_maphex_window_document_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "file-changed",
                               G_CALLBACK (_maphex_window_file_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "file-shrunk",
                               G_CALLBACK (_maphex_window_file_shrunk_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "history-trimmed",
                               G_CALLBACK (_maphex_window_history_trimmed_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_set_visible_child_name (self->stack, "view");
      gtk_widget_grab_focus (self->view);
      _maphex_window_bookmarks_document_set (self);
    }
  else
    {
      if (self->find_bar != NULL && maphex_find_bar_is_open (self->find_bar))
        maphex_find_bar_close (self->find_bar);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      _maphex_window_recent_update (self);
    }

  _maphex_window_operation_bind (self);
  gtk_widget_set_visible (self->status_bar, document != NULL);
  gtk_widget_set_sensitive (self->edit_button, document != NULL);
  _maphex_window_update_mode_style (self);
  _maphex_window_update_snapshot_bar (self);
  _maphex_window_document_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gboolean
_maphex_window_has_unsaved_last_view (MaphexWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->document == NULL || !maphex_document_get_modified (self->document))
    return FALSE;
  /* Write-through edits are already in the file. */
  if (maphex_document_get_mode (self->document) == MAPHEX_MODE_WRITE_THROUGH &&
      !maphex_document_is_scratch (self->document))
    return FALSE;
  if (app != NULL && maphex_application_count_views (MAPHEX_APPLICATION (app), self->document) > 1)
    return FALSE;
  return TRUE;
}

static gboolean
close_later_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

void
_maphex_window_close_confirmed (MaphexWindow *self)
{
  /* From an idle: a dialog on this window may still be emitting "response"
   * and must not outlive its transient parent. */
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (self), g_object_unref);
}

static void
close_confirm_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           MaphexWindow     *self)
{
  if (g_str_equal (response, "discard"))
    _maphex_window_close_confirmed (self);
  else if (g_str_equal (response, "save"))
    _maphex_window_save (self, TRUE);
}

static gboolean
maphex_window_close_request (GtkWindow *window)
{
  MaphexWindow *self = MAPHEX_WINDOW (window);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (_maphex_window_ask_close_while_busy (self))
    return TRUE;
  if (self->close_confirmed || !_maphex_window_has_unsaved_last_view (self))
    goto close;

  name = maphex_document_dup_display_name (self->document);
  heading = g_strdup_printf (_("Save changes to “%s” before closing?"), name);
  /* The heading names the file; the window manager's title stays short. */
  dialog = maphex_question_new (window, _("Unsaved Changes"), heading,
    maphex_document_is_scratch (self->document)
      ? _("This scratch buffer exists only in memory. If you don’t save it, its content is lost.")
      : _("Your copy-on-write edits are only in memory: the file has not changed. If you don’t save, they are lost."),
    "cancel", _("_Cancel"),
    "discard", _("_Discard"),
    "save", maphex_document_is_scratch (self->document) && !_maphex_window_saves_to_source (self)
              ? _("_Save As…") : _("_Save"),
    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;

close:
  if (self->settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }
  return GTK_WINDOW_CLASS (maphex_window_parent_class)->close_request (window);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MaphexWindow  *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSList *files;
  MaphexMode mode;

  if (app == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  mode = maphex_application_get_default_mode (MAPHEX_APPLICATION (app));
  for (GSList *l = files; l; l = l->next)
    maphex_application_open_file_full (MAPHEX_APPLICATION (app), l->data, mode,
                                       MAPHEX_OPEN_MODE_IS_DEFAULT, GTK_WINDOW (self),
                                       GTK_WINDOW (self), NULL);
  return TRUE;
}

/* The settings are the application's, and the window learns its
 * application after constructed() (g_object_new sets "application", not a
 * construct property, after it): taken when it arrives, with the remembered
 * size. Before this, every window had no settings, so its size was never
 * restored nor saved. */
static void
application_changed_cb (MaphexWindow *self,
                        GParamSpec   *pspec,
                        gpointer      user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  int width = 0, height = 0;

  if (self->settings != NULL || !MAPHEX_IS_APPLICATION (app))
    return;
  self->settings = maphex_application_get_settings (MAPHEX_APPLICATION (app));
  if (self->settings == NULL)
    return;
  g_object_ref (self->settings);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
maphex_window_constructed (GObject *object)
{
  MaphexWindow *self = MAPHEX_WINDOW (object);

  G_OBJECT_CLASS (maphex_window_parent_class)->constructed (object);
  application_changed_cb (self, NULL, NULL);
}

static void
maphex_window_dispose (GObject *object)
{
  MaphexWindow *self = MAPHEX_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->notice_toast);
  g_clear_pointer (&self->notice_text, g_free);
  _maphex_window_operation_dispose (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  _maphex_window_bookmarks_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAPHEX_TYPE_WINDOW);
  self->view = NULL;
  g_clear_object (&self->document);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (maphex_window_parent_class)->dispose (object);
}

static void
maphex_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MaphexWindow *self = MAPHEX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_MODE:
      g_value_set_string (value, _maphex_window_get_mode_name (self));
      break;
    case PROP_INSPECTOR_VISIBLE:
      g_value_set_boolean (value, self->inspector_visible);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MaphexWindow *self = MAPHEX_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      maphex_window_set_document (self, g_value_get_object (value));
      break;
    case PROP_MODE:
      /* Reopens (perhaps after a question): "notify::mode" says when the
       * mode has really changed. */
      _maphex_window_reopen (self, g_value_get_string (value));
      break;
    case PROP_INSPECTOR_VISIBLE:
      maphex_window_set_inspector_visible (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
maphex_window_class_init (MaphexWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = maphex_window_constructed;
  object_class->dispose = maphex_window_dispose;
  object_class->get_property = maphex_window_get_property;
  object_class->set_property = maphex_window_set_property;
  widget_class->map = maphex_window_map;
  window_class->close_request = maphex_window_close_request;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, MAPHEX_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The mode of the open file, as the state of win.reopen. */
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The data inspector panel beside the view (win.show-inspector, F7). */
  properties[PROP_INSPECTOR_VISIBLE] =
    g_param_spec_boolean ("inspector-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MAPHEX_TYPE_FIND_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/maphex/Maphex/maphex-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, view_box);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, inspector_revealer);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, inspector_scroller);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, file_bar);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, file_bar_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, offset_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, size_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, mode_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, modified_label);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, insert_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, resize_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, resize_note);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, edit_button);
  _maphex_window_class_operation_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, edit_operation_clicked_cb);

  _maphex_window_class_status_init (widget_class);
  _maphex_window_class_actions_init (widget_class);
  _maphex_window_class_recent_init (widget_class);
  _maphex_window_class_bookmarks_init (widget_class);
}

static void
maphex_window_init (MaphexWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  self->cancellable = g_cancellable_new ();
  self->inspector_visible = TRUE;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  _maphex_window_recent_init (self);
  _maphex_window_update_title (self);
  _maphex_window_update_status (self);
  _maphex_window_update_actions (self);
}

gboolean
maphex_window_get_inspector_visible (MaphexWindow *self)
{
  g_return_val_if_fail (MAPHEX_IS_WINDOW (self), FALSE);

  return self->inspector_visible;
}

void
maphex_window_set_inspector_visible (MaphexWindow *self,
                                     gboolean      visible)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));

  visible = !!visible;
  if (self->inspector_visible == visible)
    return;
  self->inspector_visible = visible;
  gtk_revealer_set_reveal_child (self->inspector_revealer, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSPECTOR_VISIBLE]);
}

void
_maphex_window_add_side_page (MaphexWindow *self,
                              GtkWidget    *widget,
                              const char   *name,
                              const char   *title)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL && title != NULL);

  gtk_stack_add_titled (self->side_stack, widget, name, title);
}

void
_maphex_window_show_side_page (MaphexWindow *self,
                               const char   *name)
{
  g_return_if_fail (MAPHEX_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->side_stack, name) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->side_stack, name);
  maphex_window_set_inspector_visible (self, TRUE);
}

const char *
_maphex_window_get_side_page (MaphexWindow *self)
{
  g_return_val_if_fail (MAPHEX_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->side_stack);
}

MaphexWindow *
maphex_window_new (MaphexApplication *application,
                   MaphexDocument    *document)
{
  g_return_val_if_fail (MAPHEX_IS_APPLICATION (application), NULL);

  return g_object_new (MAPHEX_TYPE_WINDOW,
                       "application", application,
                       "document", document,
                       NULL);
}
