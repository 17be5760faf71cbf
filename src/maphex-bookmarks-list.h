/* maphex-bookmarks-list.h: the side panel's list of the document's marks. */
#pragma once

#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_BOOKMARKS_LIST (maphex_bookmarks_list_get_type ())
G_DECLARE_FINAL_TYPE (MaphexBookmarksList, maphex_bookmarks_list, MAPHEX, BOOKMARKS_LIST, GtkWidget)

GtkWidget *maphex_bookmarks_list_new      (void);
/* A dot of the palette's `colour`, `size` pixels across, centred where it
 * is put (the list's rows, the bookmark dialog's colour buttons). */
GtkWidget *maphex_bookmark_swatch_new     (guint colour, int size);
/* The list shows the marks of the view's document (following it when the
 * view gets another one); a row goes to its mark in the view. */
void       maphex_bookmarks_list_set_view (MaphexBookmarksList *self, MaphexHexView *view);

/* For tests (the rows' clicks and buttons call these). */
guint      maphex_bookmarks_list_get_n_rows      (MaphexBookmarksList *self);
const char *maphex_bookmarks_list_get_header     (MaphexBookmarksList *self);
/* The text a row shows: name, range and note on their lines. */
char      *maphex_bookmarks_list_dup_row_text    (MaphexBookmarksList *self, guint index);
/* The GtkListBoxRow of row `index`. */
GtkWidget *maphex_bookmarks_list_get_row         (MaphexBookmarksList *self, guint index);
void       maphex_bookmarks_list_activate_row    (MaphexBookmarksList *self, guint index);
void       maphex_bookmarks_list_delete_row      (MaphexBookmarksList *self, guint index);
void       maphex_bookmarks_list_edit_row        (MaphexBookmarksList *self, guint index);

/* Signals:
 *  "edit-requested" (guint id): the row's Edit button; the window opens the
 *       bookmark dialog. */

G_END_DECLS
