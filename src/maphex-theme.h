/* maphex-theme.h: the theme's colours the self-drawn widgets (the hex view,
 * the inspector's rows) draw with, looked up in one place with one set of
 * fallbacks, so both follow the theme (and its accent) alike. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  GdkRGBA fg;         /* the widget's text colour */
  GdkRGBA dim;        /* fg, faded: names, details, reasons */
  GdkRGBA accent;     /* accent_bg_color: the cursor, focus and selection tints */
  GdkRGBA accent_fg;  /* text over the accent */
  GdkRGBA error;      /* error_color: a fault, a refused value */
} MaphexThemeColors;

/* The colours for `widget` as its style says now. */
void maphex_theme_get_colors (GtkWidget         *widget,
                              MaphexThemeColors *colors);

G_END_DECLS
