/* maphex-theme.c: see maphex-theme.h. Owns the named colours' lookup and
 * their fallbacks (Adwaita's values, for a theme that names none); not
 * what a widget draws with them. */
#include "maphex-theme.h"

static void
lookup (GtkStyleContext *context,
        const char      *name,
        const char      *other,
        const char      *fallback,
        GdkRGBA         *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (context, name, color))
    return;
  if (other != NULL && gtk_style_context_lookup_color (context, other, color))
    return;
  G_GNUC_END_IGNORE_DEPRECATIONS
  gdk_rgba_parse (color, fallback);
}

void
maphex_theme_get_colors (GtkWidget         *widget,
                         MaphexThemeColors *colors)
{
  GtkStyleContext *context;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &colors->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  colors->dim = colors->fg;
  colors->dim.alpha *= 0.55f;
  /* GTK's own themes name the selection colour, not an accent. */
  lookup (context, "accent_bg_color", "theme_selected_bg_color", "#3584e4", &colors->accent);
  lookup (context, "accent_fg_color", "theme_selected_fg_color", "#ffffff", &colors->accent_fg);
  lookup (context, "error_color", NULL, "#c01c28", &colors->error);
}
