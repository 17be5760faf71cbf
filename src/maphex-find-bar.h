/* maphex-find-bar.h: the find bar (Ctrl+F) of one window.
 *
 * Searches the document of the view it is given in one of four modes (a drop
 * down): text (UTF-8, UTF-16 LE or BE; Match case), hex bytes ("DE AD be ef"),
 * hex with wildcards ("4D 5A ?? ?? 50 45", "4?", "??{4}") or a regular
 * expression over raw bytes. Next and previous wrap at the ends with a
 * notice; Find All counts matches and steps through them. Runs searches off
 * the main thread (maphex_document_search_async), shows progress when a
 * search takes longer than a moment, Escape cancels a running search (and
 * closes the bar when none runs). A match is selected in the view and
 * scrolled into view. A bad pattern gets the reason inline, not a search.
 */
#pragma once

#include <gtk/gtk.h>
#include "maphex-hex-view.h"
#include "maphex-results-list.h"

G_BEGIN_DECLS

/* The drop down's entries, in its order. */
typedef enum {
  MAPHEX_FIND_MODE_TEXT,
  MAPHEX_FIND_MODE_HEX,
  MAPHEX_FIND_MODE_WILDCARD,
  MAPHEX_FIND_MODE_REGEX,
} MaphexFindMode;

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
 * on; next / previous then step through them ("Match 3 of 17"). Emits
 * "find-all-started" once the search runs. */
void       maphex_find_bar_find_all  (MaphexFindBar *self);

/* What the controls hold: the entry's text, Hex (else Text in its current
 * encoding), and for text whether case is ignored (Match case off). */
void       maphex_find_bar_set_pattern (MaphexFindBar *self, const char *text,
                                        gboolean hex, gboolean ignore_case);
/* The controls one at a time. Encoding and Match case apply to Text only. */
void       maphex_find_bar_set_text       (MaphexFindBar *self, const char *text);
void       maphex_find_bar_set_mode       (MaphexFindBar *self, MaphexFindMode mode);
MaphexFindMode maphex_find_bar_get_mode   (MaphexFindBar *self);
void       maphex_find_bar_set_encoding   (MaphexFindBar *self, MaphexTextEncoding encoding);
void       maphex_find_bar_set_match_case (MaphexFindBar *self, gboolean match_case);
/* The query the controls describe, compiled; or NULL and an error
 * (MAPHEX_DOCUMENT_ERROR_INVALID) whose message says what is wrong with the
 * pattern, ready to show. Shows nothing itself. */
MaphexSearchQuery *maphex_find_bar_build_query (MaphexFindBar *self, GError **error);
/* The inline message ("Not found", "Invalid hex: ...", "Match 3 of 17",
 * "Match cut to 64.0 KiB ..."). */
const char *maphex_find_bar_get_message (MaphexFindBar *self);
/* TRUE while a search or a count runs. */
gboolean   maphex_find_bar_is_searching (MaphexFindBar *self);
/* TRUE while the progress bar shows (a search running longer than a moment). */
gboolean   maphex_find_bar_get_progress_visible (MaphexFindBar *self);

/* Find All also fills `list` (nullable), which goes to matches in the
 * bar's view. */
void       maphex_find_bar_set_results_list (MaphexFindBar *self, MaphexResultsList *list);

/* The replace row (Ctrl+H; maphex-find-bar-replace.c), under the find row.
 * open_replace shows the bar with it and focuses the replacement (the
 * pattern while it is empty); maphex_find_bar_open hides it. The
 * replacement is text in the chosen encoding in Text mode, hex bytes in the
 * others; build_replacement gives its bytes, or NULL and an error
 * (MAPHEX_DOCUMENT_ERROR_INVALID, "Invalid replacement: ...").
 * replace: the selection, when it is a match of the query, becomes the
 * replacement (one undo step; of another length, where the document allows
 * it, in its runner) and the next match is selected; otherwise the
 * next match is selected and nothing written. replace_all: every match, in
 * the document's runner (one undo step, progress, cancel); when it ends the
 * bar says how many, or the error, and emits "replace-all-done" (the
 * message, whether it is an error). Both refused, with the reason in the
 * bar, in read-only mode or while the document is busy; bad input or a
 * replacement the document refuses (another length) gets the bar's error
 * and writes nothing. */
void       maphex_find_bar_open_replace        (MaphexFindBar *self);
gboolean   maphex_find_bar_get_replace_visible (MaphexFindBar *self);
void       maphex_find_bar_set_replacement     (MaphexFindBar *self, const char *text);
GBytes    *maphex_find_bar_build_replacement   (MaphexFindBar *self, GError **error);
void       maphex_find_bar_replace             (MaphexFindBar *self);
void       maphex_find_bar_replace_all         (MaphexFindBar *self);
/* TRUE from replace (once it writes) or replace_all until its end is shown. */
gboolean   maphex_find_bar_is_replacing        (MaphexFindBar *self);

/* Actions (find-bar.*): next, previous, find-all, escape (cancels a running
 * search, else closes), close, replace, replace-all. */

G_END_DECLS
