/* maphex-window.h: one window on one document (or none yet). */
#pragma once

#include <adwaita.h>
#include "maphex-application.h"
#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_WINDOW (maphex_window_get_type ())
G_DECLARE_FINAL_TYPE (MaphexWindow, maphex_window, MAPHEX, WINDOW, AdwApplicationWindow)

/* `document` is nullable: the window then invites to open a file. */
MaphexWindow   *maphex_window_new            (MaphexApplication *application,
                                              MaphexDocument    *document);
MaphexDocument *maphex_window_get_document   (MaphexWindow      *self);   /* property "document" */
void            maphex_window_set_document   (MaphexWindow      *self,
                                              MaphexDocument    *document);
/* The hex view, NULL while the window has no document. */
MaphexHexView  *maphex_window_get_view       (MaphexWindow      *self);
/* A short notice at the bottom of the window that goes away by itself. */
void            maphex_window_show_notice    (MaphexWindow      *self,
                                              const char        *message);

/* The data inspector panel beside the view: shown by default; toggled by
 * win.show-inspector (F7 and the header-bar button). Property
 * "inspector-visible". */
gboolean      maphex_window_get_inspector_visible (MaphexWindow *self);
void          maphex_window_set_inspector_visible (MaphexWindow *self, gboolean visible);

G_END_DECLS
