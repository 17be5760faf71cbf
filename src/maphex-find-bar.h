/* maphex-find-bar.h: the find bar (Ctrl+F) of one window.
 *
 * Searches the document of the view it is given for hex bytes ("DE AD be ef")
 * or text (optionally ignoring case); next (find) and previous (rfind), wrapping
 * at the ends with a notice; Find All counts matches and steps through them.
 * Runs searches off the main thread (maphex_document_find_async), shows
 * progress when a search takes longer than a moment, Escape cancels a running
 * search (and closes the bar when none runs). A match is selected in the view
 * and scrolled into view. Invalid hex gets an inline message, not a search.
 */
#pragma once

#include <gtk/gtk.h>
#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_FIND_BAR (maphex_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (MaphexFindBar, maphex_find_bar, MAPHEX, FIND_BAR, GtkWidget)

GtkWidget *maphex_find_bar_new       (void);
void       maphex_find_bar_set_view  (MaphexFindBar *self, MaphexHexView *view);
/* Shows the bar and focuses its entry (pre-filled from a short selection). */
void       maphex_find_bar_open      (MaphexFindBar *self);
/* Cancels a running search and hides the bar; focus returns to the view. */
void       maphex_find_bar_close     (MaphexFindBar *self);
gboolean   maphex_find_bar_is_open   (MaphexFindBar *self);
/* Next / previous match of the bar's current pattern (F3 / Shift+F3). */
void       maphex_find_bar_find_next (MaphexFindBar *self, gboolean backwards);
/* Counts every match (with progress), goes to the first one from the cursor
 * on; next / previous then step through them ("Match 3 of 17"). */
void       maphex_find_bar_find_all  (MaphexFindBar *self);

/* What the controls hold: the entry's text, Hex or Text, Ignore case. */
void       maphex_find_bar_set_pattern (MaphexFindBar *self, const char *text,
                                        gboolean hex, gboolean ignore_case);
/* The inline message ("Not found", "Invalid hex: ...", "Match 3 of 17"). */
const char *maphex_find_bar_get_message (MaphexFindBar *self);
/* TRUE while a search or a count runs. */
gboolean   maphex_find_bar_is_searching (MaphexFindBar *self);
/* TRUE while the progress bar shows (a search running longer than a moment). */
gboolean   maphex_find_bar_get_progress_visible (MaphexFindBar *self);

/* Actions (find-bar.*): next, previous, find-all, escape (cancels a running
 * search, else closes), close. */

G_END_DECLS
