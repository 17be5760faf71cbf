/* maphex-bookmark-dialog.h: the dialog that adds or edits a bookmark. */
#pragma once

#include <adwaita.h>
#include "maphex-bookmarks.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_BOOKMARK_DIALOG (maphex_bookmark_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MaphexBookmarkDialog, maphex_bookmark_dialog, MAPHEX, BOOKMARK_DIALOG, AdwWindow)

/* Marks [offset, offset + length) of `marks` once accepted: the name
 * proposed is the offset, the colour the next in the palette. */
GtkWidget *maphex_bookmark_dialog_new_add  (GtkWindow *parent, MaphexBookmarks *marks,
                                            gint64 offset, gint64 length);
/* Renames, recolours or annotates mark `id`. */
GtkWidget *maphex_bookmark_dialog_new_edit (GtkWindow *parent, MaphexBookmarks *marks,
                                            guint id);

/* For tests (the widgets do the same). */
void        maphex_bookmark_dialog_set_fields (MaphexBookmarkDialog *self, const char *name,
                                               guint colour, const char *note);
const char *maphex_bookmark_dialog_get_name   (MaphexBookmarkDialog *self);
guint       maphex_bookmark_dialog_get_colour (MaphexBookmarkDialog *self);
/* Adds or updates the mark and closes; on a refusal shows why and stays. */
gboolean    maphex_bookmark_dialog_accept     (MaphexBookmarkDialog *self);
/* The refusal shown, or NULL. */
const char *maphex_bookmark_dialog_get_error  (MaphexBookmarkDialog *self);

G_END_DECLS
