/* maphex-window-recent.c: the recent files in a window: the "Open Recent"
 * submenu of the main menu and the list on the start page (the window with
 * no document), both filled from maphex-recent.c and filled again whenever
 * the desktop's recent list changes; win.open-recent opens one.
 *
 * A file that is gone is shown dimmed on the start page ("Not found"), and
 * choosing it says so and takes it off the list. Must not open files any
 * other way than the application does (maphex_application_open_file_full).
 */
#include <glib/gi18n.h>

#include "maphex-window-private.h"
#include "maphex-application.h"
#include "maphex-recent.h"

/* The folder of `file` as the window shows it: "~/dir" in the home
 * directory, else its full name. */
char *
_maphex_window_folder_label (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autofree char *relative = NULL;

  if (parent == NULL)
    return g_strdup ("/");
  if (g_file_equal (parent, home))
    return g_strdup ("~");
  relative = g_file_get_relative_path (home, parent);
  if (relative != NULL)
    return g_strconcat ("~/", relative, NULL);
  return g_file_get_parse_name (parent);
}

/* A menu label shows an underscore as a mnemonic unless it is doubled. */
static char *
escape_mnemonics (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static GtkWidget *
new_row (GtkRecentInfo *info,
         GFile         *file)
{
  g_autofree char *folder = _maphex_window_folder_label (file);
  g_autofree char *uri = g_file_get_uri (file);
  gboolean exists = gtk_recent_info_exists (info);
  g_autofree char *subtitle = exists ? g_strdup (folder)
                                     /* Translators: a recent file's folder, and that the file is gone. */
                                     : g_strdup_printf (_("%s — not found"), folder);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gtk_recent_info_get_display_name (info));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-recent");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (uri));
  gtk_widget_set_tooltip_text (row, g_file_peek_path (file));
  if (!exists)
    gtk_widget_add_css_class (row, "dim-label");
  return row;
}

void
_maphex_window_recent_update (MaphexWindow *self)
{
  GList *items = maphex_recent_list (MAPHEX_RECENT_MAX);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  g_menu_remove_all (self->recent_menu);

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *label = escape_mnemonics (gtk_recent_info_get_display_name (info));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
      GtkWidget *row = new_row (info, file);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (uri));
      g_menu_append_item (self->recent_menu, item);
      gtk_list_box_append (self->recent_list, row);
    }
  if (items == NULL)
    {
      /* An item without an action is shown, greyed out. */
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), NULL);
      g_menu_append_item (self->recent_menu, item);
    }
  gtk_widget_set_visible (self->recent_group, items != NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _maphex_window_recent_focus_first (self);
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

/* On the start page Enter opens the file used last: its row takes the
 * focus (only on the start page, never from a window showing a file). */
void
_maphex_window_recent_focus_first (MaphexWindow *self)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list));

  if (first != NULL && self->document == NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    gtk_widget_grab_focus (first);
}

static void
recent_changed_cb (GtkRecentManager *manager,
                   MaphexWindow     *self)
{
  _maphex_window_recent_update (self);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  if (!MAPHEX_IS_APPLICATION (app))
    return;
  if (!g_file_query_exists (file, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not there any more: it was taken off the recent files"), name);

      maphex_recent_remove (file);
      maphex_window_show_notice (self, message);
      return;
    }
  maphex_application_open_file_full (MAPHEX_APPLICATION (app), file,
                                     maphex_application_get_default_mode (MAPHEX_APPLICATION (app)),
                                     MAPHEX_OPEN_MODE_IS_DEFAULT,
                                     GTK_WINDOW (self), GTK_WINDOW (self), NULL);
}

void
_maphex_window_recent_init (MaphexWindow *self)
{
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (recent_changed_cb), self, 0);
  _maphex_window_recent_update (self);
}

void
_maphex_window_class_recent_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, MaphexWindow, recent_menu);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
}
