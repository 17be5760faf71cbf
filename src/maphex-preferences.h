/* maphex-preferences.h: the Preferences window, and what the settings do to
 * every hex view. */
#pragma once

#include <adwaita.h>
#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_PREFERENCES_WINDOW (maphex_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MaphexPreferencesWindow, maphex_preferences_window, MAPHEX, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* A Preferences window on `settings` (the application's, schema
 * io.github.maphex.Maphex), transient for `parent` (nullable). Every row is
 * bound to its key: a change there is in the settings at once, and so in
 * every view bound with maphex_preferences_bind_view. */
MaphexPreferencesWindow *maphex_preferences_window_new (GtkWindow *parent, GSettings *settings);
GSettings *maphex_preferences_window_get_settings (MaphexPreferencesWindow *self);

/* Binds what `view` shows (font, bytes per row, grouping, offsets, case, the
 * text column and its encoding) and the undo memory limit of the document
 * it shows to `settings`, for the view's lifetime. The one place a view
 * meets the settings. */
void maphex_preferences_bind_view (GSettings *settings, MaphexHexView *view);

G_END_DECLS
