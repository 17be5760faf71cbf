/* maphex-preferences.c: the Preferences window (ui/maphex-preferences.ui), each
 * of its rows bound to a settings key with g_settings_bind; and
 * maphex_preferences_bind_view, which binds a hex view's display properties
 * and its document's undo limit to the same keys, so a change applies to every
 * open view at once.
 *
 * Owns no state of its own beyond the window's settings: the settings are the
 * application's (maphex_application_get_settings). Reads and writes no file.
 */
#include <glib/gi18n.h>

#include "maphex-preferences.h"

struct _MaphexPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings   *settings;

  GtkSwitch   *system_font_switch;
  GtkWidget   *font_row;
  GtkWidget   *font_button;
  AdwComboRow *bytes_per_row_row;
  AdwComboRow *group_size_row;
  AdwComboRow *offset_format_row;
  GtkSwitch   *uppercase_switch;
  GtkSwitch   *show_text_switch;
  AdwComboRow *encoding_row;
  AdwComboRow *default_mode_row;
  GtkSpinButton *undo_limit_spin;
};

G_DEFINE_FINAL_TYPE (MaphexPreferencesWindow, maphex_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ---- combo rows <-> keys ----------------------------------------------- */

/* A combo row's items, in order, as the values of its key: strings for a
 * key with choices, numbers for a "u" key. */
typedef struct {
  const char  *const *strings;
  const guint *numbers;
  guint        n;
} Choices;

static const char *const offset_formats[] = { "hex", "decimal" };
static const char *const encodings[] = { "ascii", "latin-1", "utf-8", "ebcdic" };
static const char *const modes[] = { "read-only", "copy-on-write", "write-through" };
static const guint bytes_per_row[] = { 8, 16, 32, 0 };   /* 0: fit to width */
static const guint group_sizes[] = { 1, 2, 4, 8 };

static const Choices offset_format_choices = { offset_formats, NULL, G_N_ELEMENTS (offset_formats) };
static const Choices encoding_choices = { encodings, NULL, G_N_ELEMENTS (encodings) };
static const Choices mode_choices = { modes, NULL, G_N_ELEMENTS (modes) };
static const Choices bytes_per_row_choices = { NULL, bytes_per_row, G_N_ELEMENTS (bytes_per_row) };
static const Choices group_size_choices = { NULL, group_sizes, G_N_ELEMENTS (group_sizes) };

/* Key -> "selected". A value set by hand outside the list (bytes-per-row 12)
 * leaves the row as it was. */
static gboolean
choice_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const Choices *choices = user_data;

  for (guint i = 0; i < choices->n; i++)
    {
      gboolean match = choices->strings != NULL
                       ? g_str_equal (g_variant_get_string (variant, NULL), choices->strings[i])
                       : g_variant_get_uint32 (variant) == choices->numbers[i];
      if (match)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* "selected" -> key. */
static GVariant *
choice_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  const Choices *choices = user_data;
  guint i = g_value_get_uint (value);

  if (i >= choices->n)
    return NULL;
  if (choices->strings != NULL)
    return g_variant_new_string (choices->strings[i]);
  return g_variant_new_uint32 (choices->numbers[i]);
}

static void
bind_combo (GSettings *settings, const char *key, AdwComboRow *row, const Choices *choices,
            GSettingsBindFlags flags)
{
  g_settings_bind_with_mapping (settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT | flags,
                                choice_get_mapping, choice_set_mapping, (gpointer) choices, NULL);
}

/* ---- the window -------------------------------------------------------- */

/* The font chooser offers monospace families only: the view draws every
 * byte in a cell of one width. */
static gboolean
monospace_only (const PangoFontFamily *family, const PangoFontFace *face, gpointer data)
{
  return pango_font_family_is_monospace ((PangoFontFamily *) family);
}

static void
maphex_preferences_window_dispose (GObject *object)
{
  MaphexPreferencesWindow *self = MAPHEX_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MAPHEX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (maphex_preferences_window_parent_class)->dispose (object);
}

static void
maphex_preferences_window_class_init (MaphexPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/maphex/Maphex/maphex-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, system_font_switch);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, font_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, font_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, bytes_per_row_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, group_size_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, offset_format_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, uppercase_switch);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, show_text_switch);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, default_mode_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexPreferencesWindow, undo_limit_spin);
}

static void
maphex_preferences_window_init (MaphexPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_font_chooser_set_filter_func (GTK_FONT_CHOOSER (self->font_button), monospace_only, NULL, NULL);
}

static void
bind_rows (MaphexPreferencesWindow *self)
{
  GSettings *settings = self->settings;

  g_settings_bind (settings, "use-system-font", self->system_font_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "use-system-font", self->font_row, "sensitive",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_settings_bind (settings, "font", self->font_button, "font", G_SETTINGS_BIND_DEFAULT);
  bind_combo (settings, "bytes-per-row", self->bytes_per_row_row, &bytes_per_row_choices, 0);
  bind_combo (settings, "group-size", self->group_size_row, &group_size_choices, 0);
  bind_combo (settings, "offset-format", self->offset_format_row, &offset_format_choices, 0);
  g_settings_bind (settings, "uppercase-hex", self->uppercase_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-text-column", self->show_text_switch, "active", G_SETTINGS_BIND_DEFAULT);
  /* The encoding row is insensitive without the text column: its own
   * binding must not make it sensitive again for the key's writability. */
  g_settings_bind (settings, "show-text-column", self->encoding_row, "sensitive", G_SETTINGS_BIND_GET);
  bind_combo (settings, "text-encoding", self->encoding_row, &encoding_choices,
              G_SETTINGS_BIND_NO_SENSITIVITY);
  bind_combo (settings, "default-mode", self->default_mode_row, &mode_choices, 0);
  g_settings_bind (settings, "undo-memory-limit", self->undo_limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

MaphexPreferencesWindow *
maphex_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  MaphexPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MAPHEX_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  bind_rows (self);
  return self;
}

GSettings *
maphex_preferences_window_get_settings (MaphexPreferencesWindow *self)
{
  g_return_val_if_fail (MAPHEX_IS_PREFERENCES_WINDOW (self), NULL);
  return self->settings;
}

/* ---- views ------------------------------------------------------------- */

static void
apply_font (GSettings *settings, const char *key, MaphexHexView *view)
{
  g_autofree char *font = g_settings_get_string (settings, "font");

  maphex_hex_view_set_font (view, g_settings_get_boolean (settings, "use-system-font") ? NULL : font);
}

static void
apply_undo_limit (MaphexHexView *view, GSettings *settings)
{
  MaphexDocument *document = maphex_hex_view_get_document (view);

  if (document != NULL)
    maphex_document_set_undo_limit (document,
                                    (gsize) g_settings_get_uint (settings, "undo-memory-limit") * 1024 * 1024);
}

static void
undo_limit_changed (GSettings *settings, const char *key, MaphexHexView *view)
{
  apply_undo_limit (view, settings);
}

static void
view_document_changed (MaphexHexView *view, GParamSpec *pspec, GSettings *settings)
{
  apply_undo_limit (view, settings);
}

void
maphex_preferences_bind_view (GSettings *settings, MaphexHexView *view)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (MAPHEX_IS_HEX_VIEW (view));

  /* GET only: a view never writes the settings. */
  g_settings_bind (settings, "bytes-per-row", view, "bytes-per-row", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "group-size", view, "group-size", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "offset-format", view, "offset-format", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "uppercase-hex", view, "uppercase", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "show-text-column", view, "show-text", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "text-encoding", view, "encoding", G_SETTINGS_BIND_GET);

  /* The font is two keys: the system's, or the chosen one. */
  g_signal_connect_object (settings, "changed::use-system-font", G_CALLBACK (apply_font), view, 0);
  g_signal_connect_object (settings, "changed::font", G_CALLBACK (apply_font), view, 0);
  apply_font (settings, NULL, view);

  /* The undo limit is the document's: applied to whichever the view shows. */
  g_signal_connect_object (settings, "changed::undo-memory-limit", G_CALLBACK (undo_limit_changed), view, 0);
  g_signal_connect_object (view, "notify::document", G_CALLBACK (view_document_changed), settings, 0);
  apply_undo_limit (view, settings);
}
