/* test-bookmarks-ui.c: bookmarks in the window, with a real application and
 * files, under Xvfb: Ctrl+D and its dialog, the Bookmarks side page (go,
 * edit, delete), next and previous, the tint and tooltip in the view, marks
 * following a write-through insert, and the notice for a file that changed
 * since its marks were kept. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "maphex-application.h"
#include "maphex-bookmarks.h"
#include "maphex-bookmarks-private.h"
#include "maphex-bookmarks-list.h"
#include "maphex-bookmark-dialog.h"
#include "maphex-document.h"
#include "maphex-hex-view-private.h"
#include "maphex-window-private.h"
#include "widget-test-util.h"

static MaphexApplication *app;
static char *tmp_dir;

static MaphexWindow *
open_window (GFile *file, MaphexMode mode)
{
  GtkWindow *window = maphex_application_open_file (app, file, mode, NULL, NULL, NULL);

  g_assert_true (MAPHEX_IS_WINDOW (window));
  wt_wait_until (wt_is_mapped_and_allocated, maphex_window_get_view (MAPHEX_WINDOW (window)));
  return MAPHEX_WINDOW (window);
}

static MaphexBookmarkDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (MAPHEX_IS_BOOKMARK_DIALOG (w) && gtk_window_get_transient_for (w) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        return MAPHEX_BOOKMARK_DIALOG (w);
    }
  return NULL;
}

static gboolean
has_dialog (gpointer parent)
{
  return find_dialog (parent) != NULL;
}

static gboolean
has_no_dialog (gpointer parent)
{
  return find_dialog (parent) == NULL;
}

static void
assert_notice (MaphexWindow *window, const char *part)
{
  const char *notice = _maphex_window_get_notice (window);

  g_assert_nonnull (notice);
  if (strstr (notice, part) == NULL)
    g_error ("notice \"%s\" does not say \"%s\"", notice, part);
}

static void
assert_selection (MaphexWindow *window, gint64 start, gint64 end)
{
  gint64 s = -1, e = -1;

  maphex_hex_view_get_selection (maphex_window_get_view (window), &s, &e);
  g_assert_cmpint (s, ==, start);
  g_assert_cmpint (e, ==, end);
}

/* Ctrl+D on a selection, the dialog filled and accepted. */
static MaphexBookmarkDialog *
open_add_dialog (MaphexWindow *window, gint64 start, gint64 end)
{
  MaphexHexView *view = maphex_window_get_view (window);

  if (end > start)
    maphex_hex_view_select_range (view, start, end);
  else
    maphex_hex_view_set_cursor (view, start, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-bookmark", NULL));
  wt_wait_until (has_dialog, window);
  return find_dialog (GTK_WINDOW (window));
}

static MaphexBookmarksList *
window_list (MaphexWindow *window)
{
  return MAPHEX_BOOKMARKS_LIST (window->bookmarks_list);
}

/* The dialog's colour buttons, in palette order. */
static void
collect_colour_buttons (GtkWidget *widget, GPtrArray *found)
{
  if (gtk_widget_has_css_class (widget, "bookmark-colour"))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_colour_buttons (child, found);
}

static gboolean
dialog_is_allocated (gpointer dialog)
{
  return gtk_widget_get_mapped (dialog) && gtk_widget_get_width (dialog) > 0;
}

/* ------------------------------------------------------------------ */

static void
test_ctrl_d_marks_the_selection_and_the_list_shows_it (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "add.bin", 4096);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.add-bookmark");
  MaphexWindow *window = open_window (file, MAPHEX_MODE_READ_ONLY);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexBookmarkDialog *dialog;
  const MaphexBookmark *mark;
  g_autofree char *row = NULL;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>d"));
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (window_list (window)), ==, 0);
  g_assert_nonnull (strstr (maphex_bookmarks_list_get_header (window_list (window)), "Ctrl+D"));

  /* A read-only file can be marked: marks are not edits. */
  dialog = open_add_dialog (window, 0x20, 0x24);
  g_assert_cmpstr (maphex_bookmark_dialog_get_name (dialog), ==, "0x20");
  /* The chosen colour is ringed (style.css) around its swatch: each swatch
     keeps clear of its button's edge, or the ring is drawn under it. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    wt_wait_until (dialog_is_allocated, dialog);
    collect_colour_buttons (GTK_WIDGET (dialog), buttons);
    g_assert_cmpuint (buttons->len, ==, MAPHEX_BOOKMARK_N_COLOURS);
    for (guint i = 0; i < buttons->len; i++)
      {
        GtkWidget *button = g_ptr_array_index (buttons, i);
        GtkWidget *swatch = gtk_button_get_child (GTK_BUTTON (button));

        g_assert_cmpint (gtk_widget_get_width (swatch), >, 0);
        g_assert_cmpint (gtk_widget_get_width (swatch), <=, gtk_widget_get_width (button) - 8);
        g_assert_cmpint (gtk_widget_get_height (swatch), <=, gtk_widget_get_height (button) - 8);
      }
    /* Tab from the name goes to the first colour, not to the row around
       the colours first. */
    g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (dialog))));
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (dialog), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == g_ptr_array_index (buttons, 0));
  }
  maphex_bookmark_dialog_set_fields (dialog, "length field", 2, "little-endian u32");
  g_assert_true (maphex_bookmark_dialog_accept (dialog));
  wt_wait_until (has_no_dialog, window);

  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);
  mark = maphex_bookmarks_get_nth (marks, 0);
  g_assert_cmpint (mark->offset, ==, 0x20);
  g_assert_cmpint (mark->length, ==, 4);
  g_assert_cmpstr (mark->name, ==, "length field");
  g_assert_cmpuint (mark->colour, ==, 2);
  g_assert_cmpstr (mark->note, ==, "little-endian u32");
  g_assert_false (maphex_document_get_modified (window->document));

  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (window_list (window)), ==, 1);
  g_assert_cmpstr (maphex_bookmarks_list_get_header (window_list (window)), ==, "1 bookmark");
  row = maphex_bookmarks_list_dup_row_text (window_list (window), 0);
  g_assert_cmpstr (row, ==, "length field\n0x20–0x23, 4 bytes\nlittle-endian u32");
  /* A screen reader hears the row whole, the colour included. */
  {
    GtkWidget *list_row = maphex_bookmarks_list_get_row (window_list (window), 0);
    g_autofree char *diff = NULL;

    g_assert_nonnull (list_row);
    diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               "length field, Blue, 0x20–0x23, 4 bytes");
    g_assert_null (diff);
  }

  /* No selection: the cursor's byte, and the next colour is proposed. */
  dialog = open_add_dialog (window, 0x100, 0x100);
  g_assert_cmpstr (maphex_bookmark_dialog_get_name (dialog), ==, "0x100");
  g_assert_cmpuint (maphex_bookmark_dialog_get_colour (dialog), ==, 1);
  /* Cancel adds nothing. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wt_wait_until (has_no_dialog, window);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);

  dialog = open_add_dialog (window, 0x100, 0x100);
  maphex_bookmark_dialog_set_fields (dialog, "", 5, "");
  g_assert_true (maphex_bookmark_dialog_accept (dialog));
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 2);
  mark = maphex_bookmarks_get_nth (marks, 1);
  g_assert_cmpint (mark->offset, ==, 0x100);
  g_assert_cmpint (mark->length, ==, 1);
  g_assert_cmpstr (mark->name, ==, "0x100");
  g_clear_pointer (&row, g_free);
  row = maphex_bookmarks_list_dup_row_text (window_list (window), 1);
  g_assert_cmpstr (row, ==, "0x100\n0x100, 1 byte");
  g_assert_cmpstr (maphex_bookmarks_list_get_header (window_list (window)), ==, "2 bookmarks");

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static void
test_list_goes_edits_and_deletes (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "list.bin", 0x10000);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexBookmarksList *list = window_list (window);
  MaphexBookmarkDialog *dialog;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  guint far;

  maphex_bookmarks_add (marks, 0x10, 2, "near", 0, NULL, &error);
  far = maphex_bookmarks_add (marks, 0xfff0, 8, "far", 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (list), ==, 2);

  /* The page is a tab of the side panel. */
  _maphex_window_show_side_page (window, "bookmarks");
  g_assert_cmpstr (_maphex_window_get_side_page (window), ==, "bookmarks");
  wt_wait_until (wt_is_mapped, list);

  /* A row goes to its mark, scrolled into view. */
  maphex_bookmarks_list_activate_row (list, 1);
  assert_selection (window, 0xfff0, 0xfff8);
  g_assert_cmpint (maphex_hex_view_get_top_row (maphex_window_get_view (window)) *
                   maphex_hex_view_get_row_length (maphex_window_get_view (window)), >, 0x8000);

  /* Edit: the dialog shows the mark; Save renames and recolours it. */
  maphex_bookmarks_list_edit_row (list, 1);
  wt_wait_until (has_dialog, window);
  dialog = find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (maphex_bookmark_dialog_get_name (dialog), ==, "far");
  g_assert_cmpuint (maphex_bookmark_dialog_get_colour (dialog), ==, 3);
  maphex_bookmark_dialog_set_fields (dialog, "trailer", 4, "end of file");
  /* Removed meanwhile: the dialog says so and stays. */
  g_assert_true (maphex_bookmarks_remove (marks, far));
  g_assert_false (maphex_bookmark_dialog_accept (dialog));
  g_assert_nonnull (maphex_bookmark_dialog_get_error (dialog));
  g_assert_nonnull (strstr (maphex_bookmark_dialog_get_error (dialog), "removed"));
  g_assert_nonnull (find_dialog (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (list), ==, 1);

  maphex_bookmarks_list_edit_row (list, 0);
  wt_wait_until (has_dialog, window);
  dialog = find_dialog (GTK_WINDOW (window));
  maphex_bookmark_dialog_set_fields (dialog, "magic", 4, "MZ");
  g_assert_true (maphex_bookmark_dialog_accept (dialog));
  row = maphex_bookmarks_list_dup_row_text (list, 0);
  g_assert_cmpstr (row, ==, "magic\n0x10–0x11, 2 bytes\nMZ");
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 0)->colour, ==, 4);

  maphex_bookmarks_list_delete_row (list, 0);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 0);
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (list), ==, 0);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* The button of row `index` whose tooltip is `label`. */
static GtkWidget *
row_button (MaphexBookmarksList *list,
            guint                index,
            const char          *label)
{
  GtkWidget *row = maphex_bookmarks_list_get_row (list, index);
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), label) == 0)
      return child;
  g_error ("row %u has no button “%s”", index, label);
  return NULL;
}

/* A click, as the button's activation makes after its animation. */
static void
press (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
window_focus (MaphexWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* A change to the marks rebuilds the list's rows; the keyboard focus stays
 * where it was (the same part of the same mark's row), goes to the row
 * that takes the place of a deleted one, and to the view when none is
 * left, instead of falling out of the list. */
static void
test_list_keeps_the_focus_through_changes (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "focus.bin", 0x1000);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexBookmarksList *list = window_list (window);
  g_autoptr(GError) error = NULL;
  guint first, second, third;

  first = maphex_bookmarks_add (marks, 0x10, 2, "first", 0, NULL, &error);
  second = maphex_bookmarks_add (marks, 0x20, 2, "second", 1, NULL, &error);
  third = maphex_bookmarks_add (marks, 0x30, 2, "third", 2, NULL, &error);
  g_assert_no_error (error);
  _maphex_window_show_side_page (window, "bookmarks");
  wt_wait_until (wt_is_mapped, list);

  /* Another mark renamed: the focused delete button is the new row's. */
  gtk_widget_grab_focus (row_button (list, 1, "Delete Bookmark"));
  g_assert_true (maphex_bookmarks_update (marks, third, "renamed", 2, "", &error));
  g_assert_no_error (error);
  g_assert_true (window_focus (window) == row_button (list, 1, "Delete Bookmark"));

  /* The focused row itself: still that mark's row after a change. */
  gtk_widget_grab_focus (maphex_bookmarks_list_get_row (list, 2));
  g_assert_true (maphex_bookmarks_update (marks, first, "one", 0, "a note", &error));
  g_assert_true (window_focus (window) == maphex_bookmarks_list_get_row (list, 2));

  /* Deleting with the focused button: the next mark's button has it. */
  gtk_widget_grab_focus (row_button (list, 1, "Delete Bookmark"));
  press (row_button (list, 1, "Delete Bookmark"));
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (list), ==, 2);
  g_assert_true (window_focus (window) == row_button (list, 1, "Delete Bookmark"));
  g_assert_null (maphex_bookmarks_lookup (marks, second));

  /* The last row deleted: the one before it; none left: the view. */
  press (row_button (list, 1, "Delete Bookmark"));
  g_assert_true (window_focus (window) == row_button (list, 0, "Delete Bookmark"));
  press (row_button (list, 0, "Delete Bookmark"));
  g_assert_cmpuint (maphex_bookmarks_list_get_n_rows (list), ==, 0);
  g_assert_true (window_focus (window) == GTK_WIDGET (maphex_window_get_view (window)));

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static void
test_next_and_previous_go_in_file_order (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "jump.bin", 0x1000);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexHexView *view = maphex_window_get_view (window);
  g_autoptr(GError) error = NULL;

  /* None yet: a notice says how to make one. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-bookmark", NULL);
  assert_notice (window, "Ctrl+D");

  maphex_bookmarks_add (marks, 0x800, 16, "b", 1, NULL, &error);
  maphex_bookmarks_add (marks, 0x40, 4, "a", 0, NULL, &error);
  maphex_bookmarks_add (marks, 0xff0, 1, "c", 2, NULL, &error);
  g_assert_no_error (error);

  maphex_hex_view_set_cursor (view, 0x41, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-bookmark", NULL);
  assert_selection (window, 0x800, 0x810);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-bookmark", NULL);
  assert_selection (window, 0xff0, 0xff1);
  _maphex_window_hide_notice (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-bookmark", NULL);
  assert_selection (window, 0xff0, 0xff1);
  assert_notice (window, "No bookmark after");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-bookmark", NULL);
  assert_selection (window, 0x800, 0x810);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-bookmark", NULL);
  assert_selection (window, 0x40, 0x44);
  _maphex_window_hide_notice (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-bookmark", NULL);
  assert_selection (window, 0x40, 0x44);
  assert_notice (window, "No bookmark before");

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* ---- the view: tint and tooltip ---- */

typedef struct {
  GdkRGBA         color;
  graphene_rect_t found[4];
  guint           n_found;
} ColorSearch;

static void
find_color_nodes (GskRenderNode *node, ColorSearch *search)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        find_color_nodes (gsk_container_node_get_child (node, i), search);
      break;
    case GSK_CLIP_NODE:
      find_color_nodes (gsk_clip_node_get_child (node), search);
      break;
    case GSK_COLOR_NODE:
      if (gdk_rgba_equal (gsk_color_node_get_color (node), &search->color) &&
          search->n_found < G_N_ELEMENTS (search->found))
        gsk_render_node_get_bounds (node, &search->found[search->n_found++]);
      break;
    case GSK_TRANSFORM_NODE:
      g_error ("the view's rows are drawn without transforms: the search would miss them");
      break;
    default:
      break;
    }
}

static void
test_view_tints_marked_bytes_and_shows_their_tooltip (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "tint.bin", 4096);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexHexView *view = maphex_window_get_view (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  ColorSearch search = { 0 };
  guint bpr = maphex_hex_view_get_row_length (view);
  double cw, row_y;
  g_autofree char *tip = NULL;
  g_autofree char *none = NULL;

  /* Bytes 2..5 of row 1: one tint in each column. */
  maphex_bookmarks_add (marks, bpr + 2, 4, "field", 4, "a note", &error);
  g_assert_no_error (error);
  maphex_hex_view_set_cursor (view, 0, FALSE);

  snapshot = gtk_snapshot_new ();
  _maphex_hex_view_snapshot_frame (view, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gdk_rgba_parse (&search.color, maphex_bookmark_colour_rgb (4));
  search.color.alpha = 0.30f;
  find_color_nodes (node, &search);
  g_assert_cmpuint (search.n_found, ==, 2);

  cw = _maphex_hex_view_cell_px (view);
  row_y = view->row_height;
  /* The hex column's tint covers bytes 2..5 and no more. */
  g_assert_cmpfloat (search.found[0].origin.y, ==, row_y);
  g_assert_cmpfloat (search.found[0].origin.x, <=, _maphex_hex_view_hex_x (view) + view->hex_cell[2] * cw);
  g_assert_cmpfloat (search.found[0].origin.x, >, _maphex_hex_view_hex_x (view) + (view->hex_cell[1] + 2) * cw);
  g_assert_cmpfloat (search.found[0].origin.x + search.found[0].size.width, >=,
                     _maphex_hex_view_hex_x (view) + (view->hex_cell[5] + 2) * cw);
  g_assert_cmpfloat (search.found[0].origin.x + search.found[0].size.width, <,
                     _maphex_hex_view_hex_x (view) + view->hex_cell[6] * cw);
  /* The text column's: exactly the four cells. */
  g_assert_cmpfloat_with_epsilon (search.found[1].origin.x, _maphex_hex_view_text_x (view) + 2 * cw, 0.01);
  g_assert_cmpfloat_with_epsilon (search.found[1].size.width, 4 * cw, 0.01);

  /* The tooltip over a marked byte in either column; none beside. */
  tip = _maphex_hex_view_mark_tooltip (view, _maphex_hex_view_hex_x (view) + view->hex_cell[3] * cw + 1,
                                       row_y + 2);
  g_assert_cmpstr (tip, ==, "field\na note");
  g_clear_pointer (&tip, g_free);
  tip = _maphex_hex_view_mark_tooltip (view, _maphex_hex_view_text_x (view) + 5 * cw + 1, row_y + 2);
  g_assert_cmpstr (tip, ==, "field\na note");
  none = _maphex_hex_view_mark_tooltip (view, _maphex_hex_view_text_x (view) + 6 * cw + 1, row_y + 2);
  g_assert_null (none);
  none = _maphex_hex_view_mark_tooltip (view, _maphex_hex_view_hex_x (view) + view->hex_cell[3] * cw + 1, 2);
  g_assert_null (none);

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* An insert before a mark in write-through moves it, in the list too, and
 * undo puts it back. */
static void
test_marks_follow_an_insert_and_its_undo (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "shift.bin", 256);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  MaphexHexView *view = maphex_window_get_view (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  guint8 bytes[16] = { 0 };

  maphex_bookmarks_add (marks, 0x40, 2, "m", 0, NULL, &error);
  g_assert_true (maphex_document_insert (window->document, maphex_hex_view_get_export (view),
                                         0, bytes, sizeof bytes, &error));
  g_assert_no_error (error);
  row = maphex_bookmarks_list_dup_row_text (window_list (window), 0);
  g_assert_cmpstr (row, ==, "m\n0x50–0x51, 2 bytes");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.undo", NULL));
  wt_wait_for_operation (window->document);
  g_clear_pointer (&row, g_free);
  row = maphex_bookmarks_list_dup_row_text (window_list (window), 0);
  g_assert_cmpstr (row, ==, "m\n0x40–0x41, 2 bytes");

  wt_destroy_app_windows (GTK_APPLICATION (app));
}

static void
test_marks_kept_for_a_changed_file_say_so (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "changed.bin", 256);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);

  maphex_bookmarks_add (maphex_document_get_bookmarks (window->document), 8, 8, "x", 0, NULL, &error);
  g_assert_no_error (error);
  wt_destroy_app_windows (GTK_APPLICATION (app));
  wt_drain ();

  /* Reopened unchanged: the mark, no notice. */
  window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (maphex_document_get_bookmarks (window->document)), ==, 1);
  g_assert_null (_maphex_window_get_notice (window));
  wt_destroy_app_windows (GTK_APPLICATION (app));
  wt_drain ();

  g_assert_cmpint (truncate (path, 300), ==, 0);
  window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (maphex_document_get_bookmarks (window->document)), ==, 1);
  assert_notice (window, "changed since its bookmarks");
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* A window closed while its Add Bookmark dialog is open: the dialog holds
 * the marks a moment longer than the document lives. The marks must let go
 * of the document when it goes (and still write their store), not touch it
 * afterwards. */
static void
test_window_closed_with_the_dialog_open (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "closed.bin", 256);
  MaphexWindow *window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (window->document);
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexBookmarks) held = g_object_ref (marks);
  MaphexBookmarkDialog *dialog;

  maphex_bookmarks_add (marks, 8, 8, "kept", 0, NULL, &error);
  g_assert_no_error (error);
  dialog = open_add_dialog (window, 0x20, 0x24);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  gtk_window_destroy (GTK_WINDOW (window));
  wt_pump ();
  g_assert_null (dialog);

  /* The document is gone and the marks, held here, outlive it: adding one
     is refused with a reason, and letting them go touches nothing. */
  g_assert_cmpuint (maphex_bookmarks_add (held, 0, 1, NULL, 0, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_object (&held);
  wt_drain ();

  /* The mark was written when the document went. */
  window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  marks = maphex_document_get_bookmarks (window->document);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);
  g_assert_cmpstr (maphex_bookmarks_get_nth (marks, 0)->name, ==, "kept");
  wt_destroy_app_windows (GTK_APPLICATION (app));
}

/* Marks that cannot be kept: the window says so, naming the file. */
static void
test_marks_that_cannot_be_kept_say_so (void)
{
  g_autoptr(GFile) file = wt_make_counting_file (tmp_dir, "unkept.bin", 64);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *canonical = realpath (path, NULL);
  g_autofree char *store = _maphex_bookmarks_store_path_for (canonical);
  g_autoptr(GError) error = NULL;
  MaphexWindow *window;
  MaphexBookmarks *marks;

  /* A directory where the store goes: no rename can replace it. */
  g_assert_cmpint (g_mkdir_with_parents (store, 0700), ==, 0);
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot read the bookmarks of*");
  window = open_window (file, MAPHEX_MODE_COPY_ON_WRITE);
  g_test_assert_expected_messages ();
  marks = maphex_document_get_bookmarks (window->document);
  maphex_bookmarks_add (marks, 0, 4, "x", 0, NULL, &error);
  g_assert_no_error (error);
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot keep the bookmarks of*");
  maphex_bookmarks_flush (marks);
  g_test_assert_expected_messages ();
  assert_notice (window, "Cannot keep the bookmarks of “unkept.bin”");

  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot keep the bookmarks of*");
  wt_destroy_app_windows (GTK_APPLICATION (app));
  wt_drain ();
  g_test_assert_expected_messages ();
  g_assert_cmpint (g_rmdir (store), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  /* The accessible tree is checked: GTK's test backend keeps it. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  tmp_dir = wt_init_app_test (&argc, &argv, MAPHEX_SCHEMA_DIR, "maphex-marks-ui-XXXXXX");
  app = maphex_application_new ();
  wt_register_non_unique (G_APPLICATION (app));

  g_test_add_func ("/bookmarks-ui/ctrl-d-marks-the-selection-and-the-list-shows-it",
                   test_ctrl_d_marks_the_selection_and_the_list_shows_it);
  g_test_add_func ("/bookmarks-ui/list-goes-edits-and-deletes", test_list_goes_edits_and_deletes);
  g_test_add_func ("/bookmarks-ui/list-keeps-the-focus-through-changes", test_list_keeps_the_focus_through_changes);
  g_test_add_func ("/bookmarks-ui/next-and-previous-go-in-file-order", test_next_and_previous_go_in_file_order);
  g_test_add_func ("/bookmarks-ui/view-tints-marked-bytes-and-shows-their-tooltip",
                   test_view_tints_marked_bytes_and_shows_their_tooltip);
  g_test_add_func ("/bookmarks-ui/marks-follow-an-insert-and-its-undo", test_marks_follow_an_insert_and_its_undo);
  g_test_add_func ("/bookmarks-ui/marks-kept-for-a-changed-file-say-so", test_marks_kept_for_a_changed_file_say_so);
  g_test_add_func ("/bookmarks-ui/window-closed-with-the-dialog-open", test_window_closed_with_the_dialog_open);

  g_test_add_func ("/bookmarks-ui/marks-that-cannot-be-kept-say-so", test_marks_that_cannot_be_kept_say_so);

  status = g_test_run ();
  g_clear_object (&app);
  wt_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
