/* test-shortcuts.c: the shortcuts window (Ctrl+?, ui/help-overlay.ui)
 * lists every accelerator the application sets, and each shortcut it
 * shows for an action is that action's accelerator. Compared key by key
 * (gtk_accelerator_parse), so "<Ctrl>" and "<Control>" are the same. */
#include <gtk/gtk.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-window.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

/* "<Control>q" → the same accelerator as GTK names it, or NULL. */
static char *
normalize (const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;

  if (!gtk_accelerator_parse (accel, &key, &mods) || key == 0)
    return NULL;
  return gtk_accelerator_name (key, mods);
}

typedef struct {
  GHashTable *accels;    /* normalized accelerator → its shortcut's title */
  GPtrArray  *actions;   /* the shortcuts that name an action (GtkShortcutsShortcut) */
  GString    *errors;
} Overlay;

static void
collect (GtkWidget *w, Overlay *o)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (w))
    {
      g_autofree char *accelerator = NULL, *title = NULL, *action = NULL;
      g_auto(GStrv) parts = NULL;

      g_object_get (w, "accelerator", &accelerator, "title", &title, "action-name", &action, NULL);
      parts = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *name;

          if (parts[i][0] == '\0')
            continue;
          name = normalize (parts[i]);
          if (name == NULL)
            g_string_append_printf (o->errors, "\"%s\" (%s) is no accelerator; ", parts[i], title);
          else
            g_hash_table_insert (o->accels, name, g_strdup (title));
        }
      if (action != NULL)
        g_ptr_array_add (o->actions, w);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, o);
}

static void
test_overlay_lists_every_accelerator (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);
  GtkShortcutsWindow *overlay;
  Overlay o = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_ptr_array_new (),
    g_string_new (NULL),
  };
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  guint n_accels = 0;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  collect (GTK_WIDGET (overlay), &o);
  g_assert_cmpuint (g_hash_table_size (o.accels), >, 0);

  /* Every accelerator set on an action is in the window. */
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          g_autofree char *name = normalize (accels[j]);

          n_accels++;
          if (name == NULL || !g_hash_table_contains (o.accels, name))
            g_string_append_printf (o.errors, "%s (%s) is not in the shortcuts window; ",
                                    accels[j], actions[i]);
        }
    }
  g_assert_cmpuint (n_accels, >=, 10);

  /* A shortcut that names an action shows that action's accelerators. */
  for (guint i = 0; i < o.actions->len; i++)
    {
      g_autofree char *accelerator = NULL, *action = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (o.actions->pdata[i], "accelerator", &accelerator, "action-name", &action, NULL);
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      if (accels[0] == NULL)
        g_string_append_printf (o.errors, "the shortcut for %s shows %s, but the action has no accelerator; ",
                                action, accelerator);
    }

  if (o.errors->len > 0)
    g_error ("%s", o.errors->str);
  g_hash_table_unref (o.accels);
  g_ptr_array_unref (o.actions);
  g_string_free (o.errors, TRUE);
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-shortcuts-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/shortcuts/overlay-lists-every-accelerator", test_overlay_lists_every_accelerator);

  status = g_test_run ();
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
