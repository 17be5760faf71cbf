/* maphex-recent.h: the files Maphex opened, through GtkRecentManager. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The name the recent-files list knows Maphex by (its "application"). */
#define MAPHEX_RECENT_APP_NAME "Maphex"
/* How many files the menu and the start page list. */
#define MAPHEX_RECENT_MAX 10

/* Records that Maphex opened or saved `file` (a local file). */
void    maphex_recent_add    (GFile *file);
/* Forgets `file` (it is gone). */
void    maphex_recent_remove (GFile *file);
/* The files Maphex used, most recent first, at most `max`: a list of
 * GtkRecentInfo (free with g_list_free_full (list, gtk_recent_info_unref)). */
GList  *maphex_recent_list   (guint max);

G_END_DECLS
