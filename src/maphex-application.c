/* maphex-application.c: command line, windows, settings and app.* actions. */
#include <glib/gi18n.h>
#include <stdio.h>

#include "maphex-application.h"

#include "maphex-window.h"
#include "maphex-operation-dialog.h"
#include "maphex-open-special.h"
#include "maphex-preferences.h"
#include "maphex-question.h"

#include <gio/gunixinputstream.h>

struct _MaphexApplication
{
  AdwApplication parent_instance;
  GSettings     *settings;   /* nullable: schema not installed */
  int            exit_status; /* of this process's own command line */
};

G_DEFINE_FINAL_TYPE (MaphexApplication, maphex_application, ADW_TYPE_APPLICATION)

static gint64 start_time_us;
static gboolean first_frame_reported;

static const GOptionEntry main_entries[] = {
  { "read-only", 'r', 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the files read-only: every edit is refused"), NULL },
  { "copy-on-write", 'c', 0, G_OPTION_ARG_NONE, NULL,
    N_("Edit private copies of the pages; the files change only on Save (the default)"), NULL },
  { "write-through", 'w', 0, G_OPTION_ARG_NONE, NULL,
    N_("Edits reach the files at once; resize, insert and delete are allowed"), NULL },
  { "goto", 'g', 0, G_OPTION_ARG_STRING, NULL,
    N_("Put the cursor at OFFSET (0x1f, 31, 50%…)"), N_("OFFSET") },
  { "new-instance", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run a new process instead of asking a running Maphex to open the files"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE…]") },
  { NULL }
};

void
maphex_application_mark_start (gint64 monotonic_us)
{
  start_time_us = monotonic_us;
}

void
maphex_application_report_first_frame (void)
{
  gint64 now;

  if (first_frame_reported || g_strcmp0 (g_getenv ("MAPHEX_BENCH_FIRST_FRAME"), "1") != 0)
    return;
  first_frame_reported = TRUE;
  now = g_get_monotonic_time ();
  /* The benchmark reads this line: monotonic clock (CLOCK_MONOTONIC, µs) at
   * the first frame, and the time since main() started. */
  printf ("maphex-first-frame monotonic_us=%" G_GINT64_FORMAT " since_main_us=%" G_GINT64_FORMAT "\n",
          now, now - start_time_us);
  fflush (stdout);
}

int
maphex_application_get_exit_status (MaphexApplication *self)
{
  g_return_val_if_fail (MAPHEX_IS_APPLICATION (self), 1);
  return self->exit_status;
}

GSettings *
maphex_application_get_settings (MaphexApplication *self)
{
  g_return_val_if_fail (MAPHEX_IS_APPLICATION (self), NULL);
  return self->settings;
}

MaphexMode
maphex_application_get_default_mode (MaphexApplication *self)
{
  g_autofree char *mode = NULL;

  g_return_val_if_fail (MAPHEX_IS_APPLICATION (self), MAPHEX_MODE_COPY_ON_WRITE);

  if (self->settings == NULL)
    return MAPHEX_MODE_COPY_ON_WRITE;
  mode = g_settings_get_string (self->settings, "default-mode");
  if (g_strcmp0 (mode, "read-only") == 0)
    return MAPHEX_MODE_READ_ONLY;
  if (g_strcmp0 (mode, "write-through") == 0)
    return MAPHEX_MODE_WRITE_THROUGH;
  return MAPHEX_MODE_COPY_ON_WRITE;
}

guint
maphex_application_count_views (MaphexApplication *self,
                                MaphexDocument    *document)
{
  guint n = 0;

  g_return_val_if_fail (MAPHEX_IS_APPLICATION (self), 0);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data) &&
        maphex_window_get_document (l->data) == document)
      n++;
  return n;
}

static MaphexWindow *
find_window_for_file (MaphexApplication *self,
                      GFile             *file,
                      MaphexMode         mode)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      MaphexDocument *document;
      GFile *doc_file;

      if (!MAPHEX_IS_WINDOW (l->data))
        continue;
      document = maphex_window_get_document (l->data);
      if (document == NULL || maphex_document_get_mode (document) != mode)
        continue;
      doc_file = maphex_document_get_file (document);
      if (doc_file != NULL && g_file_equal (doc_file, file))
        return l->data;
    }
  return NULL;
}

void
maphex_application_apply_goto (GtkWindow  *gtk_window,
                               const char *goto_offset)
{
  g_autoptr(GError) error = NULL;
  MaphexWindow *window;
  MaphexHexView *view;
  MaphexDocument *document;
  gint64 offset = 0;

  g_return_if_fail (MAPHEX_IS_WINDOW (gtk_window));
  window = MAPHEX_WINDOW (gtk_window);
  view = maphex_window_get_view (window);
  document = maphex_window_get_document (window);
  if (goto_offset == NULL || view == NULL || document == NULL)
    return;
  if (!maphex_parse_offset (goto_offset, maphex_hex_view_get_cursor (view),
                            maphex_document_get_length (document), &offset, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot go to “%s”: %s"),
                                                  goto_offset, error->message);
      maphex_window_show_notice (window, message);
      return;
    }
  maphex_hex_view_go_to (view, offset);
}

/* What the open-error dialog needs to try again in another mode. */
typedef struct {
  MaphexApplication *app;
  GFile             *file;
  GtkWindow         *target;   /* weak */
  char              *goto_offset;
} RetryData;

static void
retry_data_free (gpointer  user_data,
                 GClosure *closure)
{
  RetryData *data = user_data;

  g_clear_object (&data->app);
  g_clear_object (&data->file);
  g_clear_weak_pointer (&data->target);
  g_free (data->goto_offset);
  g_free (data);
}

static void
open_error_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RetryData        *data)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  gboolean read_only = g_str_equal (response, "read-only");

  if ((read_only || g_str_equal (response, "copy-on-write")) &&
      maphex_application_open_file (data->app, data->file,
                                    read_only ? MAPHEX_MODE_READ_ONLY : MAPHEX_MODE_COPY_ON_WRITE,
                                    data->target, parent, data->goto_offset) != NULL)
    data->app->exit_status = 0;  /* the user got the file after all */
}

static MaphexWindow *
new_empty_window (MaphexApplication *self)
{
  MaphexWindow *window = maphex_window_new (self, NULL);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* The window an open-error dialog without a parent belongs to: a Maphex
 * window already open, or else a new empty one ("Open a File"), which stays
 * after the dialog as it would had maphex been started without a file. */
static GtkWindow *
open_error_parent (MaphexApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (MAPHEX_IS_WINDOW (l->data))
      return l->data;
  return GTK_WINDOW (new_empty_window (self));
}

static void
show_open_error (MaphexApplication *self,
                 GFile             *file,
                 MaphexMode         mode,
                 GtkWindow         *target,
                 GtkWindow         *parent,
                 const char        *goto_offset,
                 const GError      *error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  RetryData *data;

  if (parent == NULL)
    {
      parent = open_error_parent (self);
      /* Opening the file in another mode fills the empty window. */
      if (target == NULL && maphex_window_get_document (MAPHEX_WINDOW (parent)) == NULL)
        target = parent;
    }

  heading = g_strdup_printf (_("Could not open “%s”"), name);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) &&
      mode == MAPHEX_MODE_WRITE_THROUGH)
    {
      g_autofree char *body = g_strdup_printf (
        _("%s\n\nYou may open it read-only, or copy-on-write: edits stay in memory "
          "until you save them, which needs write permission too."),
        error->message);

      dialog = maphex_question_new (parent, _("Could Not Open File"), heading, body,
                                    "cancel", _("_Cancel"),
                                    "read-only", _("Open _Read-Only"),
                                    "copy-on-write", _("Open _Copy-on-Write"),
                                    NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "read-only",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "read-only");
    }
  else
    {
      dialog = maphex_question_new (parent, _("Could Not Open File"), heading, error->message,
                                    "close", _("_Close"),
                                    NULL);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
    }
  /* One of the application's windows, like the window it belongs to. */
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));

  data = g_new0 (RetryData, 1);
  data->app = g_object_ref (self);
  data->file = g_object_ref (file);
  g_set_weak_pointer (&data->target, target);
  data->goto_offset = g_strdup (goto_offset);
  g_signal_connect_data (dialog, "response", G_CALLBACK (open_error_response_cb),
                         data, retry_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWindow *
open_file_full (MaphexApplication *self,
                GFile             *file,
                MaphexMode         mode,
                MaphexOpenFlags    flags,
                GtkWindow         *target,
                GtkWindow         *parent,
                const char        *goto_offset,
                GError           **error)
{
  g_autoptr(MaphexDocument) document = NULL;
  g_autoptr(GError) local_error = NULL;
  MaphexWindow *window;

  /* The mode the document will open in (a disk in the default mode is
     read-only): its window is the one to find. */
  mode = maphex_document_mode_for_file (file, mode, flags);
  window = find_window_for_file (self, file, mode);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      maphex_application_apply_goto (GTK_WINDOW (window), goto_offset);
      return GTK_WINDOW (window);
    }

  document = maphex_document_new_for_file_full (file, mode, flags, &local_error);
  if (g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT))
    return _maphex_open_snapshot (self, file, -1, NULL, mode, target, goto_offset);
  if (g_error_matches (local_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_CONFIRMATION))
    return _maphex_open_confirm_device_write (self, file, target, goto_offset);
  if (document == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (MAPHEX_IS_WINDOW (target) && maphex_window_get_document (MAPHEX_WINDOW (target)) == NULL)
    {
      window = MAPHEX_WINDOW (target);
      maphex_window_set_document (window, document);
    }
  else
    {
      window = maphex_window_new (self, document);
    }
  gtk_window_present (GTK_WINDOW (window));
  maphex_application_apply_goto (GTK_WINDOW (window), goto_offset);
  return GTK_WINDOW (window);
}

GtkWindow *
maphex_application_open_file_full (MaphexApplication *self,
                                   GFile             *file,
                                   MaphexMode         mode,
                                   MaphexOpenFlags    flags,
                                   GtkWindow         *target,
                                   GtkWindow         *parent,
                                   const char        *goto_offset)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_return_val_if_fail (MAPHEX_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  window = open_file_full (self, file, mode, flags, target, parent, goto_offset, &error);
  if (window == NULL)
    show_open_error (self, file, mode, target, parent, goto_offset, error);
  return window;
}

GtkWindow *
maphex_application_open_file (MaphexApplication *self,
                              GFile             *file,
                              MaphexMode         mode,
                              GtkWindow         *target,
                              GtkWindow         *parent,
                              const char        *goto_offset)
{
  return maphex_application_open_file_full (self, file, mode, MAPHEX_OPEN_NONE, target,
                                            parent, goto_offset);
}

static void
maphex_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (window);
  else
    new_empty_window (MAPHEX_APPLICATION (app));
}

static void
maphex_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  MaphexApplication *self = MAPHEX_APPLICATION (app);
  MaphexMode mode = maphex_application_get_default_mode (self);

  for (int i = 0; i < n_files; i++)
    maphex_application_open_file_full (self, files[i], mode, MAPHEX_OPEN_MODE_IS_DEFAULT,
                                       NULL, NULL, NULL);
}

static int
maphex_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("maphex %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* Checked here, before the display is opened, so the mistake is reported
   * even where no window could be shown. */
  if (g_variant_dict_contains (options, "read-only") +
      g_variant_dict_contains (options, "copy-on-write") +
      g_variant_dict_contains (options, "write-through") > 1)
    {
      g_printerr (_("Choose one of --read-only, --copy-on-write and --write-through\n"));
      return 1;
    }
  if (g_variant_dict_contains (options, "new-instance"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static int
maphex_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *cmdline)
{
  MaphexApplication *self = MAPHEX_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **files = NULL;
  const char *goto_offset = NULL;
  MaphexMode mode = maphex_application_get_default_mode (self);
  g_autoptr(GPtrArray) failed_files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) failed_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  MaphexOpenFlags flags = MAPHEX_OPEN_NONE;
  int status = 0;

  /* At most one of them: handle_local_options refused the rest. */
  if (g_variant_dict_contains (options, "read-only"))
    mode = MAPHEX_MODE_READ_ONLY;
  else if (g_variant_dict_contains (options, "copy-on-write"))
    mode = MAPHEX_MODE_COPY_ON_WRITE;
  else if (g_variant_dict_contains (options, "write-through"))
    mode = MAPHEX_MODE_WRITE_THROUGH;
  g_variant_dict_lookup (options, "goto", "&s", &goto_offset);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);

  if (files == NULL || files[0] == NULL)
    {
      g_application_activate (app);
      return 0;
    }

  /* No mode named: the default's, and a block device opens read-only. */
  if (!g_variant_dict_contains (options, "read-only") &&
      !g_variant_dict_contains (options, "copy-on-write") &&
      !g_variant_dict_contains (options, "write-through"))
    flags = MAPHEX_OPEN_MODE_IS_DEFAULT;
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = NULL;
      GError *error = NULL;
      GtkWindow *opened;

      /* "-": standard input (of this command line, remote or not), read once */
      if (g_strcmp0 (files[i], "-") == 0)
        {
          GInputStream *in = g_application_command_line_get_stdin (cmdline);

          if (G_IS_UNIX_INPUT_STREAM (in))
            _maphex_open_snapshot (self, NULL, g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (in)),
                                   NULL, mode, NULL, goto_offset);
          else
            {
              g_application_command_line_printerr (cmdline, "maphex: %s\n",
                                                   _("Standard input cannot be read"));
              status = 1;
            }
          g_clear_object (&in);
          continue;
        }
      file = g_application_command_line_create_file_for_arg (cmdline, files[i]);
      opened = open_file_full (self, file, mode, flags, NULL, NULL, goto_offset, &error);
      if (opened == NULL)
        {
          g_application_command_line_printerr (cmdline, "maphex: %s\n", error->message);
          g_ptr_array_add (failed_files, g_steal_pointer (&file));
          g_ptr_array_add (failed_errors, error);
          status = 1;
        }
    }
  /* The dialogs come once every file that opens has its window: they belong
   * to one of those, or to an empty window when none opened. */
  for (guint i = 0; i < failed_files->len; i++)
    show_open_error (self, g_ptr_array_index (failed_files, i), mode, NULL, NULL, goto_offset,
                     g_ptr_array_index (failed_errors, i));
  /* GApplication does not carry a local command line's status to the end
   * of g_application_run(): main() takes it from here. */
  if (!g_application_command_line_get_is_remote (cmdline))
    self->exit_status = status;
  return status;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  for (GList *l = windows; l; l = l->next)
    g_object_ref (l->data);

  /* Each window asks about its own unsaved changes; the application ends
   * when the last one is gone. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  new_empty_window (MAPHEX_APPLICATION (user_data));
}

static void
scratch_created_cb (MaphexOperationDialog *dialog,
                    MaphexDocument        *document,
                    MaphexApplication     *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (MAPHEX_IS_WINDOW (parent) && maphex_window_get_document (MAPHEX_WINDOW (parent)) == NULL)
    maphex_window_set_document (MAPHEX_WINDOW (parent), document);
  else
    gtk_window_present (GTK_WINDOW (maphex_window_new (self, document)));
}

static void
new_scratch_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MaphexApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  MaphexOperationDialog *dialog;

  dialog = maphex_operation_dialog_new (parent, MAPHEX_OPERATION_NEW_SCRATCH, NULL);
  g_signal_connect_object (dialog, "scratch-created", G_CALLBACK (scratch_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The window is ui/maphex-about.ui; the version is the build's. */
static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/maphex/Maphex/maphex-about.ui");
  AdwAboutWindow *about = ADW_ABOUT_WINDOW (gtk_builder_get_object (builder, "about"));

  adw_about_window_set_version (about, PACKAGE_VERSION);
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}

/* app.preferences: the Preferences window (src/maphex-preferences.c) on the
 * application's settings. */
static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MaphexApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->settings == NULL)
    return;
  gtk_window_present (GTK_WINDOW (maphex_preferences_window_new (parent, self->settings)));
}

/* app.color-scheme: "default" follows the system's light or dark style,
 * "light" and "dark" force one; kept in the settings where there are any. */
static AdwColorScheme
color_scheme_from_name (const char *name)
{
  if (g_strcmp0 (name, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (name, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
color_scheme_changed (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  MaphexApplication *self = user_data;
  const char *name = g_variant_get_string (value, NULL);

  if (g_strcmp0 (name, "default") != 0 && g_strcmp0 (name, "light") != 0 &&
      g_strcmp0 (name, "dark") != 0)
    return;
  g_simple_action_set_state (action, value);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme_from_name (name));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "color-scheme", name);
}

static void
install_style_action (MaphexApplication *self)
{
  g_autofree char *name = self->settings != NULL
                          ? g_settings_get_string (self->settings, "color-scheme")
                          : g_strdup ("default");
  g_autoptr(GSimpleAction) action =
    g_simple_action_new_stateful ("color-scheme", G_VARIANT_TYPE_STRING, g_variant_new_string (name));

  g_signal_connect (action, "change-state", G_CALLBACK (color_scheme_changed), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme_from_name (name));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated },
  { "new-window", new_window_activated },
  { "new-scratch", new_scratch_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.new-scratch", { "<Shift><Control>n", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Shift><Control>s", NULL } },
  { "win.close", { "<Control>w", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.replace", { "<Control>h", NULL } },
  { "win.show-inspector", { "F7", NULL } },
  { "win.find-next", { "F3", NULL } },
  { "win.find-previous", { "<Shift>F3", NULL } },
  { "win.goto", { "<Control>g", NULL } },
  { "win.add-bookmark", { "<Control>d", NULL } },
  { "win.next-bookmark", { "<Control><Alt>Down", NULL } },
  { "win.previous-bookmark", { "<Control><Alt>Up", NULL } },
  { "win.new-view", { "<Alt><Control>n", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "view.copy-hex", { "<Control>c", NULL } },
  { "view.copy-raw", { "<Shift><Control>c", NULL } },
  { "view.paste", { "<Control>v", NULL } },
  { "view.undo", { "<Control>z", NULL } },
  { "view.redo", { "<Shift><Control>z", "<Control>y", NULL } },
  { "view.select-all", { "<Control>a", NULL } },
};

static void
maphex_application_startup (GApplication *app)
{
  MaphexApplication *self = MAPHEX_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (maphex_application_parent_class)->startup (app);

  /* Running from the build directory the schema may not be installed:
   * Maphex then works with its defaults instead of aborting. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      g_autoptr(GAction) default_mode = NULL;

      self->settings = g_settings_new (APP_ID);
      default_mode = g_settings_create_action (self->settings, "default-mode");
      g_action_map_add_action (G_ACTION_MAP (app), default_mode);
    }

  /* style.css (and style-dark.css) under the resource base path are
   * loaded by AdwApplication itself. */
  install_style_action (self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), app);
  /* Without the schema there is nothing to set. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")),
                               self->settings != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  gtk_window_set_default_icon_name (APP_ID);
}

static void
maphex_application_dispose (GObject *object)
{
  MaphexApplication *self = MAPHEX_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (maphex_application_parent_class)->dispose (object);
}

static void
maphex_application_class_init (MaphexApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = maphex_application_dispose;
  app_class->startup = maphex_application_startup;
  app_class->activate = maphex_application_activate;
  app_class->open = maphex_application_open;
  app_class->command_line = maphex_application_command_line;
  app_class->handle_local_options = maphex_application_handle_local_options;
}

static void
maphex_application_init (MaphexApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Views and edits files of any size by mapping them into memory."));
}

MaphexApplication *
maphex_application_new (void)
{
  return g_object_new (MAPHEX_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/maphex/Maphex",
                       NULL);
}
