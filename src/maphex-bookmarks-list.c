/* maphex-bookmarks-list.c: the Bookmarks page of the side panel.
 *
 * Owns the list: a header with the count, a row per mark in file order
 * (colour, name, range, note; Edit and Delete buttons), rebuilt when the
 * marks change (they are few; each row reads nothing from the file). A row's
 * click goes to its mark; Edit asks the window for the bookmark dialog
 * ("edit-requested"); Delete removes the mark. It changes no bytes. Also
 * the colour swatch (maphex_bookmark_swatch_new) the bookmark dialog uses.
 */
#include "maphex-bookmarks-list.h"
#include "maphex-bookmarks.h"

#include <glib/gi18n-lib.h>

struct _MaphexBookmarksList {
  GtkWidget        parent_instance;

  GtkWidget       *header;
  GtkWidget       *scroller;
  GtkWidget       *list_box;
  MaphexHexView   *view;
  MaphexBookmarks *marks;     /* the view's document's, followed */
  GArray          *ids;       /* guint: the mark of each row */
};

enum {
  EDIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MaphexBookmarksList, maphex_bookmarks_list, GTK_TYPE_WIDGET)

static char *
range_text (const MaphexBookmark *mark)
{
  g_autofree char *first = g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", mark->offset);
  g_autofree char *last = g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", mark->offset + mark->length - 1);
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, mark->length);
  gulong n = mark->length > G_MAXINT ? G_MAXINT : (gulong) mark->length;

  if (mark->length == 1)
    /* TRANSLATORS: a bookmark of one byte: its offset */
    return g_strdup_printf (_("%s, 1 byte"), first);
  /* TRANSLATORS: a bookmark's first and last offset, and its length */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s–%s, %s byte", "%s–%s, %s bytes", n),
                          first, last, count);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  GdkRGBA color;
  double r = MIN (width, height) / 2.0;

  gdk_rgba_parse (&color, maphex_bookmark_colour_rgb (GPOINTER_TO_UINT (data)));
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, r, 0, 2 * G_PI);
  cairo_fill (cr);
}

GtkWidget *
maphex_bookmark_swatch_new (guint colour,
                            int   size)
{
  GtkWidget *swatch = gtk_drawing_area_new ();

  g_return_val_if_fail (colour < MAPHEX_BOOKMARK_N_COLOURS, NULL);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), size);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), size);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (colour), NULL);
  gtk_widget_set_halign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  return swatch;
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

/* Which part of a row has the keyboard focus (kept through a rebuild). */
typedef enum {
  PART_NONE,
  PART_ROW,
  PART_EDIT,
  PART_DELETE,
} Part;

#define PART_KEY "maphex-bookmarks-list-part"

static guint
row_of_button (GtkWidget *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, GTK_TYPE_LIST_BOX_ROW);

  return (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
}

static void
on_edit_clicked (GtkButton           *button,
                 MaphexBookmarksList *self)
{
  maphex_bookmarks_list_edit_row (self, row_of_button (GTK_WIDGET (button)));
}

static void
on_delete_clicked (GtkButton           *button,
                   MaphexBookmarksList *self)
{
  maphex_bookmarks_list_delete_row (self, row_of_button (GTK_WIDGET (button)));
}

static GtkWidget *
make_row (MaphexBookmarksList  *self,
          const MaphexBookmark *mark)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *swatch = maphex_bookmark_swatch_new (mark->colour, 12);
  GtkWidget *name = gtk_label_new (mark->name);
  g_autofree char *range = range_text (mark);
  GtkWidget *where = gtk_label_new (range);
  GtkWidget *edit = icon_button ("document-edit-symbolic", _("Edit Bookmark"));
  GtkWidget *remove = icon_button ("user-trash-symbolic", _("Delete Bookmark"));

  gtk_widget_set_tooltip_text (swatch, maphex_bookmark_colour_name (mark->colour));

  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (where), 0.0f);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), where);
  if (mark->note[0] != '\0')
    {
      GtkWidget *note = gtk_label_new (mark->note);

      gtk_label_set_xalign (GTK_LABEL (note), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_lines (GTK_LABEL (note), 3);
      gtk_label_set_ellipsize (GTK_LABEL (note), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (texts), note);
    }

  g_object_set_data (G_OBJECT (edit), PART_KEY, GINT_TO_POINTER (PART_EDIT));
  g_object_set_data (G_OBJECT (remove), PART_KEY, GINT_TO_POINTER (PART_DELETE));
  g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_clicked), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_delete_clicked), self);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), edit);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 4);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  return box;
}

/* The part of a row the window's focus is on (the window keeps it while
 * a dialog is in front), and that row's index. */
static Part
focused_part (MaphexBookmarksList *self,
              guint               *index)
{
  GtkRoot *root = gtk_widget_get_root (self->list_box);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, self->list_box))
    return PART_NONE;
  row = GTK_IS_LIST_BOX_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
  if (row == NULL)
    return PART_NONE;
  *index = (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (focus == row)
    return PART_ROW;
  for (GtkWidget *w = focus; w != row; w = gtk_widget_get_parent (w))
    if (g_object_get_data (G_OBJECT (w), PART_KEY) != NULL)
      return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (w), PART_KEY));
  return PART_ROW;
}

static GtkWidget *
find_part (GtkWidget *widget,
           Part       part)
{
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), PART_KEY)) == (int) part)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_part (child, part);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* After a rebuild, the focus goes back where it was: the same part of the
 * same mark's row, or of the row now in its place when the mark went (the
 * next one, or the last), or the view when no row is left. */
static void
restore_focus (MaphexBookmarksList *self,
               Part                 part,
               guint                id,
               guint                index)
{
  GtkListBoxRow *row;
  GtkWidget *target;

  if (part == PART_NONE)
    return;
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, guint, i) == id)
      index = i;
  if (self->ids->len == 0)
    {
      if (self->view != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (self->view));
      return;
    }
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list_box), (int) MIN (index, self->ids->len - 1));
  target = part == PART_ROW ? NULL : find_part (GTK_WIDGET (row), part);
  gtk_widget_grab_focus (target != NULL ? target : GTK_WIDGET (row));
}

static void
rebuild (MaphexBookmarksList *self)
{
  guint n = self->marks != NULL ? maphex_bookmarks_get_n_items (self->marks) : 0;
  guint focus_index = 0, focus_id = 0;
  Part focus_part = focused_part (self, &focus_index);
  GtkWidget *child;

  if (focus_part != PART_NONE && focus_index < self->ids->len)
    focus_id = g_array_index (self->ids, guint, focus_index);
  while ((child = gtk_widget_get_first_child (self->list_box)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list_box), child);
  g_array_set_size (self->ids, 0);

  for (guint i = 0; i < n; i++)
    {
      const MaphexBookmark *mark = maphex_bookmarks_get_nth (self->marks, i);

      GtkWidget *content = make_row (self, mark);
      g_autofree char *range = range_text (mark);
      /* TRANSLATORS: a bookmark row for screen readers: name, colour, range */
      g_autofree char *label = g_strdup_printf (_("%s, %s, %s"), mark->name,
                                                maphex_bookmark_colour_name (mark->colour), range);

      gtk_list_box_append (GTK_LIST_BOX (self->list_box), content);
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (content)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, mark->note, -1);
      g_array_append_val (self->ids, mark->id);
    }

  if (n == 0)
    gtk_label_set_text (GTK_LABEL (self->header),
                        _("No bookmarks: select bytes and press Ctrl+D to mark them"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u bookmark", "%u bookmarks", n), n);
      gtk_label_set_text (GTK_LABEL (self->header), text);
    }
  restore_focus (self, focus_part, focus_id, focus_index);
}

static void
follow_document (MaphexBookmarksList *self)
{
  MaphexDocument *doc = self->view != NULL ? maphex_hex_view_get_document (self->view) : NULL;
  MaphexBookmarks *marks = doc != NULL ? maphex_document_get_bookmarks (doc) : NULL;

  if (marks == self->marks)
    return;
  if (self->marks != NULL)
    g_signal_handlers_disconnect_by_data (self->marks, self);
  g_set_object (&self->marks, marks);
  if (marks != NULL)
    g_signal_connect_swapped (marks, "changed", G_CALLBACK (rebuild), self);
  rebuild (self);
}

static void
on_row_activated (GtkListBox          *box,
                  GtkListBoxRow       *row,
                  MaphexBookmarksList *self)
{
  maphex_bookmarks_list_activate_row (self, (guint) gtk_list_box_row_get_index (row));
}

static void
maphex_bookmarks_list_init (MaphexBookmarksList *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->ids = g_array_new (FALSE, FALSE, sizeof (guint));
  self->header = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->header), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (self->header), TRUE);
  gtk_widget_add_css_class (self->header, "heading");
  gtk_widget_set_margin_start (self->header, 6);
  gtk_widget_set_margin_end (self->header, 6);
  gtk_widget_set_margin_top (self->header, 6);
  gtk_widget_set_margin_bottom (self->header, 6);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->list_box = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->list_box), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Bookmarks"), -1);
  g_signal_connect (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->list_box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  rebuild (self);
}

static void
maphex_bookmarks_list_dispose (GObject *object)
{
  MaphexBookmarksList *self = MAPHEX_BOOKMARKS_LIST (object);

  if (self->marks != NULL)
    g_signal_handlers_disconnect_by_data (self->marks, self);
  g_clear_object (&self->marks);
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_clear_weak_pointer (&self->view);
  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  G_OBJECT_CLASS (maphex_bookmarks_list_parent_class)->dispose (object);
}

static void
maphex_bookmarks_list_finalize (GObject *object)
{
  MaphexBookmarksList *self = MAPHEX_BOOKMARKS_LIST (object);

  g_clear_pointer (&self->ids, g_array_unref);
  G_OBJECT_CLASS (maphex_bookmarks_list_parent_class)->finalize (object);
}

static void
maphex_bookmarks_list_class_init (MaphexBookmarksListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_bookmarks_list_dispose;
  object_class->finalize = maphex_bookmarks_list_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);

  signals[EDIT_REQUESTED] = g_signal_new ("edit-requested", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
}

GtkWidget *
maphex_bookmarks_list_new (void)
{
  return g_object_new (MAPHEX_TYPE_BOOKMARKS_LIST, NULL);
}

void
maphex_bookmarks_list_set_view (MaphexBookmarksList *self,
                                MaphexHexView       *view)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self));

  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_set_weak_pointer (&self->view, view);
  if (view != NULL)
    g_signal_connect_swapped (view, "notify::document", G_CALLBACK (follow_document), self);
  follow_document (self);
}

guint
maphex_bookmarks_list_get_n_rows (MaphexBookmarksList *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self), 0);
  return self->ids->len;
}

const char *
maphex_bookmarks_list_get_header (MaphexBookmarksList *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->header));
}

char *
maphex_bookmarks_list_dup_row_text (MaphexBookmarksList *self,
                                    guint                index)
{
  GtkListBoxRow *row;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self), NULL);
  g_return_val_if_fail (index < self->ids->len, NULL);

  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list_box), (int) index);
  /* The labels of the row's text column, in order. */
  for (GtkWidget *box = gtk_widget_get_first_child (gtk_list_box_row_get_child (row));
       box != NULL; box = gtk_widget_get_next_sibling (box))
    if (GTK_IS_BOX (box))
      for (GtkWidget *label = gtk_widget_get_first_child (box); label != NULL;
           label = gtk_widget_get_next_sibling (label))
        if (GTK_IS_LABEL (label))
          g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "",
                                  gtk_label_get_text (GTK_LABEL (label)));
  return g_string_free (text, FALSE);
}

GtkWidget *
maphex_bookmarks_list_get_row (MaphexBookmarksList *self,
                               guint                index)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self), NULL);
  g_return_val_if_fail (index < self->ids->len, NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list_box), (int) index));
}

void
maphex_bookmarks_list_activate_row (MaphexBookmarksList *self,
                                    guint                index)
{
  const MaphexBookmark *mark;

  g_return_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self));
  g_return_if_fail (index < self->ids->len);

  mark = maphex_bookmarks_lookup (self->marks, g_array_index (self->ids, guint, index));
  if (mark == NULL || self->view == NULL)
    return;
  maphex_hex_view_jump_to (self->view, mark->offset, mark->offset + mark->length);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

void
maphex_bookmarks_list_delete_row (MaphexBookmarksList *self,
                                  guint                index)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self));
  g_return_if_fail (index < self->ids->len);

  maphex_bookmarks_remove (self->marks, g_array_index (self->ids, guint, index));
}

void
maphex_bookmarks_list_edit_row (MaphexBookmarksList *self,
                                guint                index)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARKS_LIST (self));
  g_return_if_fail (index < self->ids->len);

  g_signal_emit (self, signals[EDIT_REQUESTED], 0, g_array_index (self->ids, guint, index));
}
