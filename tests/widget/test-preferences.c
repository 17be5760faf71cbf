/* test-preferences.c: the Preferences window with a real application under
 * Xvfb (memory settings backend). app.preferences (Ctrl+comma) opens it on
 * the application's settings; a change of each key reaches every open view
 * at once (its property, and for the layout ones its geometry) and the
 * documents' undo limit; every row of the window is bound to its key, both
 * ways; and a window's size is remembered. */
#include <adwaita.h>
#include <string.h>
#include <unistd.h>

#include "maphex-application.h"
#include "maphex-preferences.h"
#include "maphex-window-private.h"
#include "maphex-hex-view-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

static GSettings *
settings (void)
{
  GSettings *s = maphex_application_get_settings (app);

  g_assert_nonnull (s);
  return s;
}

/* Every key back to its default, so that tests do not see each other's. */
static void
reset_settings (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings (), "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings (), keys[i]);
  wt_pump ();
}

static void
settle (MaphexHexView *view)
{
  wt_pump ();
  g_assert_true (wt_wait_for_frame (GTK_WIDGET (view)));
}

/* A window showing a new file of `len` bytes (then made `sparse` long when
 * that is above 0). */
static MaphexWindow *
open_window (const char *name, gsize len, gint64 sparse)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GFile) file = NULL;
  GtkWindow *window;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) len, NULL));
  if (sparse > 0)
    g_assert_cmpint (truncate (path, sparse), ==, 0);
  file = g_file_new_for_path (path);
  window = maphex_application_open_file (app, file, MAPHEX_MODE_COPY_ON_WRITE, NULL, NULL, NULL);
  g_assert_nonnull (window);
  gtk_widget_set_size_request (GTK_WIDGET (window), 1400, 500);
  gtk_window_present (window);
  wt_wait_until (wt_is_mapped_and_allocated, maphex_window_get_view (MAPHEX_WINDOW (window)));
  settle (maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}


static graphene_rect_t
cell (MaphexHexView *view, gint64 offset, MaphexHexViewColumn column)
{
  graphene_rect_t r;

  g_assert_true (_maphex_hex_view_get_cell_rect (view, offset, column, &r));
  return r;
}

static int
measured_width (MaphexHexView *view)
{
  int min, nat;

  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

static MaphexPreferencesWindow *
find_preferences_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (MAPHEX_IS_PREFERENCES_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return MAPHEX_PREFERENCES_WINDOW (w);
    }
  return NULL;
}

static gboolean
preferences_shown (gpointer data)
{
  return find_preferences_window () != NULL;
}

static MaphexPreferencesWindow *
open_preferences (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wt_wait_until (preferences_shown, NULL);
  return find_preferences_window ();
}

static gpointer
child (MaphexPreferencesWindow *prefs, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (prefs), MAPHEX_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

/* ---- tests ------------------------------------------------------------- */

static void
test_action_opens_the_window (void)
{
  MaphexWindow *window = open_window ("action.bin", 64, 0);
  MaphexPreferencesWindow *prefs;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  prefs = open_preferences ();
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (prefs));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));
  g_assert_true (maphex_preferences_window_get_settings (prefs) == settings ());
  gtk_window_destroy (GTK_WINDOW (prefs));
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static void
test_settings_apply_to_every_view (void)
{
  /* 5 GiB: offsets take 9 hex digits and 10 decimal ones. */
  MaphexWindow *w1 = open_window ("every-1.bin", 4096, G_GINT64_CONSTANT (5) << 30);
  MaphexWindow *w2 = open_window ("every-2.bin", 4096, 0);
  MaphexHexView *views[2] = { maphex_window_get_view (w1), maphex_window_get_view (w2) };
  MaphexPreferencesWindow *prefs = open_preferences ();
  int widths[2];
  double cws[2];

  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (maphex_hex_view_get_row_length (views[i]), ==, 16);
      widths[i] = measured_width (views[i]);
      cws[i] = _maphex_hex_view_cell_px (views[i]);
    }

  /* Bytes per row: byte 8 starts the second row, under byte 0. */
  g_settings_set_uint (settings (), "bytes-per-row", 8);
  for (guint i = 0; i < 2; i++)
    {
      settle (views[i]);
      g_assert_cmpuint (maphex_hex_view_get_bytes_per_row (views[i]), ==, 8);
      g_assert_cmpfloat (cell (views[i], 8, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==,
                         cell (views[i], 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x);
      g_assert_cmpfloat (cell (views[i], 8, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, >,
                         cell (views[i], 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y);
      g_assert_cmpint (measured_width (views[i]), <, widths[i]);
    }
  /* Fit to width, in groups of 4. */
  g_settings_set_uint (settings (), "bytes-per-row", 0);
  g_settings_set_uint (settings (), "group-size", 4);
  for (guint i = 0; i < 2; i++)
    {
      guint n;

      settle (views[i]);
      n = maphex_hex_view_get_row_length (views[i]);
      g_assert_cmpuint (maphex_hex_view_get_bytes_per_row (views[i]), ==, 0);
      g_assert_cmpuint (maphex_hex_view_get_group_size (views[i]), ==, 4);
      g_assert_cmpuint (n % 4, ==, 0);
      g_assert_cmpuint (n, >, 16);   /* a 1400-pixel window holds more than 16 */
      g_assert_cmpfloat (cell (views[i], n - 1, MAPHEX_HEX_VIEW_COLUMN_TEXT).origin.x, <,
                         _maphex_hex_view_content_width (views[i]));
      /* Grouping: two cells within a group, three across. */
      g_assert_cmpfloat (cell (views[i], 1, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x -
                         cell (views[i], 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 2 * cws[i]);
      g_assert_cmpfloat (cell (views[i], 4, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x -
                         cell (views[i], 3, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, 3 * cws[i]);
    }
  g_settings_reset (settings (), "bytes-per-row");
  g_settings_reset (settings (), "group-size");

  /* Offsets in decimal: the big file's offset column widens by a digit. */
  {
    double hex_x = cell (views[0], 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x;

    g_assert_cmpuint (_maphex_hex_view_get_offset_digits (views[0]), ==, 9);
    g_settings_set_string (settings (), "offset-format", "decimal");
    settle (views[0]);
    g_assert_cmpint (maphex_hex_view_get_offset_format (views[0]), ==, MAPHEX_OFFSET_FORMAT_DECIMAL);
    g_assert_cmpint (maphex_hex_view_get_offset_format (views[1]), ==, MAPHEX_OFFSET_FORMAT_DECIMAL);
    g_assert_cmpuint (_maphex_hex_view_get_offset_digits (views[0]), ==, 10);
    g_assert_cmpfloat (cell (views[0], 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.x, ==, hex_x + cws[0]);
  }

  /* Case, text column, encoding. */
  g_settings_set_boolean (settings (), "uppercase-hex", FALSE);
  g_settings_set_boolean (settings (), "show-text-column", FALSE);
  g_settings_set_string (settings (), "text-encoding", "ebcdic");
  for (guint i = 0; i < 2; i++)
    {
      graphene_rect_t r;

      settle (views[i]);
      g_assert_false (maphex_hex_view_get_uppercase (views[i]));
      g_assert_false (maphex_hex_view_get_show_text (views[i]));
      g_assert_false (_maphex_hex_view_get_cell_rect (views[i], 0, MAPHEX_HEX_VIEW_COLUMN_TEXT, &r));
      g_assert_cmpint (maphex_hex_view_get_encoding (views[i]), ==, MAPHEX_CHARSET_EBCDIC);
    }
  g_assert_cmpint (measured_width (views[1]), <, widths[1]);
  g_settings_set_boolean (settings (), "show-text-column", TRUE);
  settle (views[1]);
  g_assert_cmpint (measured_width (views[1]), ==, widths[1]);

  /* Font: the chosen one while the system's is off. */
  g_settings_set_string (settings (), "font", "Monospace 24");
  g_assert_null (maphex_hex_view_get_font (views[0]));
  g_settings_set_boolean (settings (), "use-system-font", FALSE);
  for (guint i = 0; i < 2; i++)
    {
      settle (views[i]);
      g_assert_cmpstr (maphex_hex_view_get_font (views[i]), ==, "Monospace 24");
      g_assert_cmpfloat (_maphex_hex_view_cell_px (views[i]), >, cws[i]);
    }
  g_settings_set_string (settings (), "font", "Monospace 8");
  settle (views[1]);
  g_assert_cmpstr (maphex_hex_view_get_font (views[1]), ==, "Monospace 8");
  g_settings_set_boolean (settings (), "use-system-font", TRUE);
  settle (views[1]);
  g_assert_null (maphex_hex_view_get_font (views[1]));
  g_assert_cmpfloat (_maphex_hex_view_cell_px (views[1]), ==, cws[1]);

  /* The undo limit reaches both documents, in MiB. */
  g_assert_cmpuint (maphex_document_get_undo_limit (maphex_window_get_document (w1)), ==,
                    MAPHEX_DOCUMENT_DEFAULT_UNDO_LIMIT);
  g_settings_set_uint (settings (), "undo-memory-limit", 3);
  g_assert_cmpuint (maphex_document_get_undo_limit (maphex_window_get_document (w1)), ==, 3 << 20);
  g_assert_cmpuint (maphex_document_get_undo_limit (maphex_window_get_document (w2)), ==, 3 << 20);

  /* The default mode is what the application opens files in. */
  g_settings_set_string (settings (), "default-mode", "read-only");
  g_assert_cmpint (maphex_application_get_default_mode (app), ==, MAPHEX_MODE_READ_ONLY);

  gtk_window_destroy (GTK_WINDOW (prefs));
  wt_destroy_app_windows (GTK_APPLICATION (app));
  reset_settings ();
}

/* A window opened after a change starts with it. */
static void
test_new_view_starts_with_the_settings (void)
{
  MaphexWindow *window;
  MaphexHexView *view;

  g_settings_set_uint (settings (), "bytes-per-row", 32);
  g_settings_set_string (settings (), "text-encoding", "utf-8");
  g_settings_set_uint (settings (), "undo-memory-limit", 7);
  window = open_window ("new.bin", 256, 0);
  view = maphex_window_get_view (window);
  settle (view);
  g_assert_cmpuint (maphex_hex_view_get_row_length (view), ==, 32);
  g_assert_cmpfloat (cell (view, 16, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y, ==,
                     cell (view, 0, MAPHEX_HEX_VIEW_COLUMN_HEX).origin.y);
  g_assert_cmpint (maphex_hex_view_get_encoding (view), ==, MAPHEX_CHARSET_UTF8);
  g_assert_cmpuint (maphex_document_get_undo_limit (maphex_window_get_document (window)), ==, 7 << 20);
  wt_destroy_app_windows (GTK_APPLICATION (app));
  reset_settings ();
}

static void
test_rows_are_bound_to_the_keys (void)
{
  MaphexWindow *window = open_window ("rows.bin", 64, 0);
  MaphexPreferencesWindow *prefs = open_preferences ();
  GSettings *s = settings ();
  GtkSwitch *system_font = child (prefs, "system_font_switch");
  GtkWidget *font_row = child (prefs, "font_row");
  GtkFontChooser *font = child (prefs, "font_button");
  AdwComboRow *bytes_per_row = child (prefs, "bytes_per_row_row");
  AdwComboRow *group_size = child (prefs, "group_size_row");
  AdwComboRow *offsets = child (prefs, "offset_format_row");
  GtkSwitch *uppercase = child (prefs, "uppercase_switch");
  GtkSwitch *show_text = child (prefs, "show_text_switch");
  AdwComboRow *encoding = child (prefs, "encoding_row");
  AdwComboRow *mode = child (prefs, "default_mode_row");
  GtkSpinButton *undo_limit = child (prefs, "undo_limit_spin");
  g_autofree char *value = NULL;

  /* The rows show the defaults. */
  g_assert_true (gtk_switch_get_active (system_font));
  g_assert_false (gtk_widget_get_sensitive (font_row));
  g_assert_cmpuint (adw_combo_row_get_selected (bytes_per_row), ==, 1);   /* 16 */
  g_assert_cmpuint (adw_combo_row_get_selected (group_size), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (offsets), ==, 0);
  g_assert_true (gtk_switch_get_active (uppercase));
  g_assert_true (gtk_switch_get_active (show_text));
  g_assert_cmpuint (adw_combo_row_get_selected (encoding), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (mode), ==, 1);             /* copy-on-write */
  g_assert_cmpfloat (gtk_spin_button_get_value (undo_limit), ==, 256);

  /* A row changes its key... */
  gtk_switch_set_active (system_font, FALSE);
  g_assert_false (g_settings_get_boolean (s, "use-system-font"));
  g_assert_true (gtk_widget_get_sensitive (font_row));
  gtk_font_chooser_set_font (font, "Monospace 17");
  value = g_settings_get_string (s, "font");
  g_assert_cmpstr (value, ==, "Monospace 17");
  g_assert_cmpstr (maphex_hex_view_get_font (maphex_window_get_view (window)), ==, "Monospace 17");
  adw_combo_row_set_selected (bytes_per_row, 3);
  g_assert_cmpuint (g_settings_get_uint (s, "bytes-per-row"), ==, 0);       /* fit to width */
  adw_combo_row_set_selected (bytes_per_row, 2);
  g_assert_cmpuint (g_settings_get_uint (s, "bytes-per-row"), ==, 32);
  adw_combo_row_set_selected (group_size, 3);
  g_assert_cmpuint (g_settings_get_uint (s, "group-size"), ==, 8);
  adw_combo_row_set_selected (offsets, 1);
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (s, "offset-format");
  g_assert_cmpstr (value, ==, "decimal");
  gtk_switch_set_active (uppercase, FALSE);
  g_assert_false (g_settings_get_boolean (s, "uppercase-hex"));
  gtk_switch_set_active (show_text, FALSE);
  g_assert_false (g_settings_get_boolean (s, "show-text-column"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (encoding)));
  gtk_switch_set_active (show_text, TRUE);
  adw_combo_row_set_selected (encoding, 2);
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (s, "text-encoding");
  g_assert_cmpstr (value, ==, "utf-8");
  adw_combo_row_set_selected (mode, 2);
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (s, "default-mode");
  g_assert_cmpstr (value, ==, "write-through");
  gtk_spin_button_set_value (undo_limit, 512);
  g_assert_cmpuint (g_settings_get_uint (s, "undo-memory-limit"), ==, 512);
  /* ... and the open view follows. */
  settle (maphex_window_get_view (window));
  g_assert_cmpuint (maphex_hex_view_get_row_length (maphex_window_get_view (window)), ==, 32);
  g_assert_cmpuint (maphex_hex_view_get_group_size (maphex_window_get_view (window)), ==, 8);
  g_assert_cmpuint (maphex_document_get_undo_limit (maphex_window_get_document (window)), ==, 512 << 20);

  /* A key changes its row. */
  g_settings_set_uint (s, "bytes-per-row", 8);
  g_assert_cmpuint (adw_combo_row_get_selected (bytes_per_row), ==, 0);
  g_settings_set_uint (s, "group-size", 2);
  g_assert_cmpuint (adw_combo_row_get_selected (group_size), ==, 1);
  g_settings_set_string (s, "offset-format", "hex");
  g_assert_cmpuint (adw_combo_row_get_selected (offsets), ==, 0);
  g_settings_set_boolean (s, "uppercase-hex", TRUE);
  g_assert_true (gtk_switch_get_active (uppercase));
  g_settings_set_string (s, "text-encoding", "ebcdic");
  g_assert_cmpuint (adw_combo_row_get_selected (encoding), ==, 3);
  g_settings_set_string (s, "default-mode", "read-only");
  g_assert_cmpuint (adw_combo_row_get_selected (mode), ==, 0);
  g_settings_set_uint (s, "undo-memory-limit", 64);
  g_assert_cmpfloat (gtk_spin_button_get_value (undo_limit), ==, 64);
  g_settings_set_boolean (s, "use-system-font", TRUE);
  g_assert_true (gtk_switch_get_active (system_font));
  g_assert_false (gtk_widget_get_sensitive (font_row));

  gtk_window_destroy (GTK_WINDOW (prefs));
  wt_destroy_app_windows (GTK_APPLICATION (app));
  reset_settings ();
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* A new window takes the size the last one closed with. */
static void
test_window_size_is_remembered (void)
{
  MaphexWindow *window;
  int width = 0, height = 0;

  g_settings_set (settings (), "window-size", "(ii)", 720, 480);
  window = maphex_window_new (app, NULL);
  g_assert_true (window->settings == settings ());
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 480);
  gtk_window_present (GTK_WINDOW (window));
  wt_wait_until (wt_is_mapped, window);

  gtk_window_set_default_size (GTK_WINDOW (window), 810, 530);
  gtk_window_close (GTK_WINDOW (window));
  wt_wait_until (no_windows, NULL);
  g_settings_get (settings (), "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 810);
  g_assert_cmpint (height, ==, 530);
  reset_settings ();
}

int
main (int argc, char **argv)
{
  int status;

  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-prefs-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/preferences/action-opens-the-window", test_action_opens_the_window);
  g_test_add_func ("/preferences/settings-apply-to-every-view", test_settings_apply_to_every_view);
  g_test_add_func ("/preferences/new-view-starts-with-the-settings", test_new_view_starts_with_the_settings);
  g_test_add_func ("/preferences/rows-are-bound-to-the-keys", test_rows_are_bound_to_the_keys);
  g_test_add_func ("/preferences/window-size-is-remembered", test_window_size_is_remembered);

  status = g_test_run ();
  wt_destroy_app_windows (GTK_APPLICATION (app));
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
