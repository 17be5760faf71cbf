/* test-window-chrome.c: the GNOME chrome of the main window with a real
 * application under Xvfb: an AdwApplicationWindow, the Style menu that
 * forces light or dark (and is remembered), the window drawn dark in the
 * dark style, the About window with version, licence and links, and a
 * tooltip and an accessible label on every button that shows only an icon. */
#include <adwaita.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

/* The window as drawn now, rendered by its own renderer. */
static GdkTexture *
render_window (GtkWidget *window)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* The mean brightness (0..255) of a block in the middle of the window's
 * empty page, between its title and the status bar. */
static double
middle_brightness (GtkWidget *window)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int w, h, stride;
  double sum = 0;
  guint n = 0;

  wt_wait_for_frame (window);
  texture = render_window (window);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  stride = w * 4;
  pixels = g_malloc ((gsize) stride * h);
  gdk_texture_download (texture, pixels, stride);
  /* Left of the centre, where the empty page has no label. */
  for (int y = h / 2 - 10; y < h / 2 + 10; y++)
    for (int x = w / 8; x < w / 8 + 20; x++)
      {
        const guchar *p = pixels + (gsize) y * stride + x * 4;   /* B G R A */
        sum += (p[0] + p[1] + p[2]) / 3.0;
        n++;
      }
  return sum / n;
}

static void
set_style (const char *name)
{
  g_action_group_change_action_state (G_ACTION_GROUP (app), "color-scheme", g_variant_new_string (name));
  wt_pump ();
}

static void
test_style_menu_forces_light_or_dark_and_is_remembered (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) state = NULL;
  double light, dark;

  g_assert_true (ADW_IS_APPLICATION_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped_and_allocated, window);

  /* With no system preference here, the default is light. */
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "color-scheme");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "default");
  g_assert_false (adw_style_manager_get_dark (style));

  set_style ("dark");
  g_assert_true (adw_style_manager_get_dark (style));
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
  dark = middle_brightness (GTK_WIDGET (window));

  set_style ("light");
  g_assert_false (adw_style_manager_get_dark (style));
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  light = middle_brightness (GTK_WIDGET (window));
  g_test_message ("window background: %.0f light, %.0f dark", light, dark);
  g_assert_cmpfloat (light, >, 180);
  g_assert_cmpfloat (dark, <, 90);

  /* A name the menu does not offer changes nothing. */
  set_style ("purple");
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "color-scheme");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "light");

  set_style ("default");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "default");
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static GtkWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
about_shown (gpointer data)
{
  return find_about_window () != NULL;
}

static void
test_about_window_names_version_licence_and_links (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);
  AdwAboutWindow *about;

  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wt_wait_until (about_shown, NULL);
  about = ADW_ABOUT_WINDOW (find_about_window ());

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Maphex");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_suffix (adw_about_window_get_issue_url (about), "/issues"));
  g_assert_nonnull (adw_about_window_get_developers (about));

  gtk_window_destroy (GTK_WINDOW (about));
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* A button that shows only an icon: its icon-name is set, or its only
 * child is an image. */
static gboolean
is_icon_only (GtkWidget *w)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (w))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (w)) != NULL;
  if (!GTK_IS_BUTTON (w))
    return FALSE;
  if (gtk_button_get_icon_name (GTK_BUTTON (w)) != NULL)
    return TRUE;
  child = gtk_button_get_child (GTK_BUTTON (w));
  return child != NULL && GTK_IS_IMAGE (child);
}

/* Every icon-only button under `w` that can be shown (popovers included:
 * they are children of their buttons; a button hidden for good, like an
 * info bar's close button we never ask for, is not), but not the ones GTK
 * and libadwaita build inside their own widgets (spin buttons, window
 * controls). */
static void
collect_icon_buttons (GtkWidget *w, GPtrArray *out)
{
  if (GTK_IS_SPIN_BUTTON (w) || GTK_IS_WINDOW_CONTROLS (w))
    return;
  if (is_icon_only (w) && gtk_widget_get_visible (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_icon_buttons (c, out);
}

static void
test_icon_buttons_have_tooltips_and_labels (void)
{
  MaphexWindow *window = maphex_window_new (app, NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "icons.bin", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GString) missing = g_string_new (NULL);

  g_assert_true (g_file_set_contents (path, "0123456789abcdef", 16, NULL));
  file = g_file_new_for_path (path);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);
  g_assert_no_error (error);
  maphex_window_set_document (window, doc);
  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);
  /* The find bar's buttons too. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL);
  wt_pump ();

  collect_icon_buttons (GTK_WIDGET (window), buttons);
  /* The header bar's open, menu, edit, inspector, find and save at least. */
  g_assert_cmpuint (buttons->len, >=, 6);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = buttons->pdata[i];
      const char *icon = GTK_IS_MENU_BUTTON (b) ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (b))
                         : gtk_button_get_icon_name (GTK_BUTTON (b));
      const char *tooltip = gtk_widget_get_tooltip_text (b);

      if (tooltip == NULL || tooltip[0] == '\0')
        g_string_append_printf (missing, "%s (%s, in a %s) has no tooltip; ",
                                G_OBJECT_TYPE_NAME (b), icon != NULL ? icon : "image",
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (gtk_widget_get_parent (b))));
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL)
          && !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_string_append_printf (missing, "%s (%s, \"%s\") has no accessible label; ",
                                G_OBJECT_TYPE_NAME (b), icon != NULL ? icon : "image",
                                tooltip != NULL ? tooltip : "");
    }
  if (missing->len > 0)
    g_error ("%s", missing->str);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  int status;

  /* GTK's test backend records what widgets tell assistive technologies
   * (the suite runs with GTK_A11Y=none). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-chrome-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/window-chrome/style-menu-forces-light-or-dark-and-is-remembered",
                   test_style_menu_forces_light_or_dark_and_is_remembered);
  g_test_add_func ("/window-chrome/about-window-names-version-licence-and-links",
                   test_about_window_names_version_licence_and_links);
  g_test_add_func ("/window-chrome/icon-buttons-have-tooltips-and-labels",
                   test_icon_buttons_have_tooltips_and_labels);

  status = g_test_run ();
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
