/* maphex-recent.c: the files Maphex opened or saved, kept by GTK's recent
 * files (GtkRecentManager, the desktop's shared list) under Maphex's name,
 * so the list Maphex shows is its own and not every other program's.
 *
 * Owns adding, removing and listing; must not know about windows (the menu
 * and the start page are maphex-window-recent.c).
 */
#include "maphex-recent.h"

void
maphex_recent_add (GFile *file)
{
  g_autofree char *uri = NULL;
  GtkRecentData data = { 0 };
  static char *groups[] = { (char *) MAPHEX_RECENT_APP_NAME, NULL };

  g_return_if_fail (G_IS_FILE (file));

  if (!g_file_is_native (file))
    return;
  uri = g_file_get_uri (file);
  /* Any file is bytes to a hex editor: the type says nothing more. */
  data.mime_type = (char *) "application/octet-stream";
  data.app_name = (char *) MAPHEX_RECENT_APP_NAME;
  data.app_exec = (char *) "maphex %u";
  data.groups = groups;
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

void
maphex_recent_remove (GFile *file)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  /* Not in the list is as good as removed. */
  gtk_recent_manager_remove_item (gtk_recent_manager_get_default (), uri, NULL);
}

/* When Maphex last used it, not when any program last did. */
static GDateTime *
maphex_stamp (GtkRecentInfo *info)
{
  GDateTime *stamp = NULL;

  if (!gtk_recent_info_get_application_info (info, MAPHEX_RECENT_APP_NAME, NULL, NULL, &stamp) ||
      stamp == NULL)
    stamp = gtk_recent_info_get_modified (info);
  return stamp;
}

static int
compare_most_recent_first (gconstpointer a,
                           gconstpointer b)
{
  return g_date_time_compare (maphex_stamp ((GtkRecentInfo *) b), maphex_stamp ((GtkRecentInfo *) a));
}

GList *
maphex_recent_list (guint max)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  GList *ours = NULL;
  guint n = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, MAPHEX_RECENT_APP_NAME) &&
          gtk_recent_info_is_local (info))
        ours = g_list_prepend (ours, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  ours = g_list_sort (ours, compare_most_recent_first);
  for (GList *l = ours; l != NULL; l = l->next)
    if (++n == max && l->next != NULL)
      {
        g_list_free_full (l->next, (GDestroyNotify) gtk_recent_info_unref);
        l->next = NULL;
        break;
      }
  return ours;
}
