/* maphex-application.h: the application: command line, windows, settings. */
#pragma once

#include <adwaita.h>
#include "maphex-document.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_APPLICATION (maphex_application_get_type ())
G_DECLARE_FINAL_TYPE (MaphexApplication, maphex_application, MAPHEX, APPLICATION, AdwApplication)

MaphexApplication *maphex_application_new (void);

/* The settings, or NULL when the schema is not installed (running from the
 * build directory without GSETTINGS_SCHEMA_DIR). */
GSettings  *maphex_application_get_settings     (MaphexApplication *self);
/* The mode new files open in: the "default-mode" setting, else copy-on-write. */
MaphexMode  maphex_application_get_default_mode (MaphexApplication *self);

/* Opens `file` in `mode`: presents the window that already shows it in that
 * mode, else uses `target` (a window without a document, nullable) or a new
 * window. Errors are shown in a dialog on `parent` (nullable) that names the
 * file and the reason, and offers other modes for a permission problem.
 * `goto_offset` (nullable) is parsed with maphex_parse_offset once the file is
 * open. Returns the window, or NULL when the file could not be opened. */
GtkWindow  *maphex_application_open_file (MaphexApplication *self,
                                          GFile             *file,
                                          MaphexMode         mode,
                                          GtkWindow         *target,
                                          GtkWindow         *parent,
                                          const char        *goto_offset);
/* The same with flags: MAPHEX_OPEN_MODE_IS_DEFAULT when `mode` is the
 * user's default rather than a choice for this file (a block device then
 * opens read-only), as on the command line without a mode option. */
GtkWindow  *maphex_application_open_file_full (MaphexApplication *self,
                                               GFile             *file,
                                               MaphexMode         mode,
                                               MaphexOpenFlags    flags,
                                               GtkWindow         *target,
                                               GtkWindow         *parent,
                                               const char        *goto_offset);
/* Puts the cursor of `window` (a MaphexWindow with a document) at
 * `goto_offset` (maphex_parse_offset; nullable: nothing), or shows a notice
 * saying why it cannot. */
void        maphex_application_apply_goto (GtkWindow  *window,
                                           const char *goto_offset);

/* How many windows display `document`. */
guint       maphex_application_count_views (MaphexApplication *self,
                                            MaphexDocument    *document);

/* 1 when files named on this process's command line could not be opened. */
int         maphex_application_get_exit_status (MaphexApplication *self);

/* For the startup benchmark (env MAPHEX_BENCH_FIRST_FRAME=1). */
void        maphex_application_mark_start   (gint64 monotonic_us);
void        maphex_application_report_first_frame (void);

G_END_DECLS
