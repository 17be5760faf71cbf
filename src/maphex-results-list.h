/* maphex-results-list.h: Find All's results, one row per match: its offset
 * and a few bytes of context in hex and as text, with the count in a
 * header. Fills as the search's batches arrive; keeps at most
 * MAPHEX_RESULTS_LIST_MAX rows and says when there were more. Activating a
 * row selects its match in the view. */
#pragma once

#include <gtk/gtk.h>
#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_RESULTS_LIST_MAX 1000

#define MAPHEX_TYPE_RESULTS_LIST (maphex_results_list_get_type ())
G_DECLARE_FINAL_TYPE (MaphexResultsList, maphex_results_list, MAPHEX, RESULTS_LIST, GtkWidget)

GtkWidget  *maphex_results_list_new        (void);
/* The view whose document the matches are in, and where a row goes. */
void        maphex_results_list_set_view   (MaphexResultsList *self, MaphexHexView *view);
/* A new search: no rows, "Searching…". */
void        maphex_results_list_begin      (MaphexResultsList *self);
/* A batch of matches, in file order; rows past the cap are only counted. */
void        maphex_results_list_add        (MaphexResultsList *self,
                                            const MaphexSearchMatch *matches, guint n_matches);
/* The search ended: `total` matches, or `error` (cancelled included). */
void        maphex_results_list_finish     (MaphexResultsList *self, guint64 total,
                                            const GError *error);
guint       maphex_results_list_get_n_rows (MaphexResultsList *self);
/* The header: "3 matches", "120000 matches: showing the first 1000". */
const char *maphex_results_list_get_header (MaphexResultsList *self);
/* A row's text ("0x00000010  12 34 56 78 …  .4Vx…"). */
char       *maphex_results_list_dup_row_text (MaphexResultsList *self, guint index);
/* Goes to row `index`'s match, as activating it does; FALSE past the rows. */
gboolean    maphex_results_list_activate_row (MaphexResultsList *self, guint index);

G_END_DECLS
