/* maphex-window-bookmarks.c: bookmarks in a window.
 *
 * Owns win.add-bookmark (Ctrl+D: the selection, or the cursor's byte),
 * win.next-bookmark and win.previous-bookmark (Ctrl+Alt+Down / Up, a notice
 * at the ends), the Bookmarks page of the side panel, its Edit button's
 * dialog, and the notice that a file's marks were made on another version of
 * it. The marks are the document's (maphex-bookmarks.c).
 */
#include <glib/gi18n.h>

#include "maphex-window-private.h"
#include "maphex-bookmarks.h"
#include "maphex-bookmarks-list.h"
#include "maphex-bookmark-dialog.h"

static MaphexBookmarks *
window_marks (MaphexWindow *self)
{
  return self->document != NULL ? maphex_document_get_bookmarks (self->document) : NULL;
}

/* Where next and previous count from: the selection's start, else the
 * cursor. */
static gint64
reference_offset (MaphexWindow *self)
{
  gint64 start = 0, end = 0;

  maphex_hex_view_get_selection (MAPHEX_HEX_VIEW (self->view), &start, &end);
  return end > start ? start : maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (self->view));
}

static void
add_bookmark_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  gint64 start = 0, end = 0;
  GtkWidget *dialog;

  if (self->view == NULL || window_marks (self) == NULL)
    return;
  maphex_hex_view_get_selection (MAPHEX_HEX_VIEW (self->view), &start, &end);
  if (end <= start)
    {
      start = maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (self->view));
      end = start + 1;
    }
  if (end > maphex_document_get_length (self->document))
    {
      maphex_window_show_notice (self, _("Nothing to mark: the cursor is past the last byte"));
      return;
    }
  dialog = maphex_bookmark_dialog_new_add (GTK_WINDOW (self), window_marks (self), start, end - start);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
jump_bookmark_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MaphexWindow *self = MAPHEX_WINDOW (widget);
  gboolean next = g_str_equal (action_name, "win.next-bookmark");
  MaphexBookmarks *marks = window_marks (self);
  const MaphexBookmark *mark;
  gint64 from;

  if (self->view == NULL || marks == NULL)
    return;
  if (maphex_bookmarks_get_n_items (marks) == 0)
    {
      maphex_window_show_notice (self, _("No bookmarks: select bytes and press Ctrl+D to mark them"));
      return;
    }
  from = reference_offset (self);
  mark = next ? maphex_bookmarks_next (marks, from) : maphex_bookmarks_previous (marks, from);
  if (mark == NULL)
    {
      maphex_window_show_notice (self, next ? _("No bookmark after this one")
                                            : _("No bookmark before this one"));
      return;
    }
  maphex_hex_view_jump_to (MAPHEX_HEX_VIEW (self->view), mark->offset, mark->offset + mark->length);
}

static void
edit_requested_cb (MaphexWindow *self,
                   guint         id)
{
  MaphexBookmarks *marks = window_marks (self);
  GtkWidget *dialog;

  if (marks == NULL || maphex_bookmarks_lookup (marks, id) == NULL)
    return;
  dialog = maphex_bookmark_dialog_new_edit (GTK_WINDOW (self), marks, id);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_maphex_window_class_bookmarks_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-bookmark", NULL, add_bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.next-bookmark", NULL, jump_bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.previous-bookmark", NULL, jump_bookmark_action);
}

void
_maphex_window_bookmarks_init_view (MaphexWindow *self)
{
  self->bookmarks_list = maphex_bookmarks_list_new ();
  maphex_bookmarks_list_set_view (MAPHEX_BOOKMARKS_LIST (self->bookmarks_list),
                                  MAPHEX_HEX_VIEW (self->view));
  g_signal_connect_object (self->bookmarks_list, "edit-requested",
                           G_CALLBACK (edit_requested_cb), self, G_CONNECT_SWAPPED);
  _maphex_window_add_side_page (self, self->bookmarks_list, "bookmarks", _("Bookmarks"));
}

void
_maphex_window_bookmarks_document_set (MaphexWindow *self)
{
  MaphexBookmarks *marks = window_marks (self);

  if (marks != NULL)
    g_signal_connect_object (marks, "store-failed", G_CALLBACK (maphex_window_show_notice),
                             self, G_CONNECT_SWAPPED);
  if (marks != NULL && maphex_bookmarks_get_file_changed (marks) &&
      maphex_bookmarks_get_n_items (marks) > 0)
    maphex_window_show_notice (self, _("This file changed since its bookmarks were kept: they may mark other bytes now"));
}

void
_maphex_window_bookmarks_update_actions (MaphexWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_bytes = self->document != NULL && maphex_document_get_length (self->document) > 0;

  gtk_widget_action_set_enabled (widget, "win.add-bookmark", has_bytes);
  gtk_widget_action_set_enabled (widget, "win.next-bookmark", has_bytes);
  gtk_widget_action_set_enabled (widget, "win.previous-bookmark", has_bytes);
}

void
_maphex_window_bookmarks_dispose (MaphexWindow *self)
{
  /* The marks' last write happens as the document goes, which may be as
     this window is disposed: only the terminal hears of it then. */
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (maphex_document_get_bookmarks (self->document), self);
}
