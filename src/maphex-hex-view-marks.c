/* maphex-hex-view-marks.c: the document's bookmarks in the view.
 *
 * Owns the tint of marked bytes in both columns (drawn under the selection
 * and the cursor), the tooltip over them (name and note), and redrawing when
 * the marks change. The marks themselves are the document's
 * (maphex-bookmarks.c); this file only reads them.
 */
#include "maphex-hex-view-private.h"
#include "maphex-bookmarks.h"

#include <glib/gi18n-lib.h>

#define MARK_ALPHA 0.30f
#define MARK_LINE 2

static MaphexBookmarks *
view_marks (MaphexHexView *self)
{
  return self->document != NULL ? maphex_document_get_bookmarks (self->document) : NULL;
}

/* The palette parsed once, not for every mark of every row of every frame. */
static const GdkRGBA *
palette_rgba (guint colour)
{
  static GdkRGBA parsed[MAPHEX_BOOKMARK_N_COLOURS];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < MAPHEX_BOOKMARK_N_COLOURS; i++)
        gdk_rgba_parse (&parsed[i], maphex_bookmark_colour_rgb (i));
      g_once_init_leave (&done, 1);
    }
  return &parsed[colour];
}

void
_maphex_hex_view_draw_marks (MaphexHexView *self,
                             GtkSnapshot   *snapshot,
                             gint64         row_start,
                             guint          n,
                             double         y)
{
  MaphexBookmarks *marks = view_marks (self);
  const double cw = _maphex_hex_view_cell_px (self);
  const double hx = _maphex_hex_view_hex_x (self), tx = _maphex_hex_view_text_x (self);
  guint n_marks;

  if (marks == NULL || n == 0)
    return;
  n_marks = maphex_bookmarks_get_n_items (marks);
  /* From the first mark that can reach this row: the marks before it all
   * end before the row, so thousands of them cost nothing per row. */
  for (guint k = maphex_bookmarks_first_reaching (marks, row_start); k < n_marks; k++)
    {
      const MaphexBookmark *mark = maphex_bookmarks_get_nth (marks, k);
      GdkRGBA color, line;
      guint a, b;
      double x0, x1;

      if (mark->offset >= row_start + n)
        break;   /* in file order: the rest start later */
      if (mark->offset + mark->length <= row_start)
        continue;
      a = (guint) (MAX (mark->offset, row_start) - row_start);
      b = (guint) (MIN (mark->offset + mark->length, row_start + n) - row_start);
      line = *palette_rgba (mark->colour);
      color = line;
      color.alpha = MARK_ALPHA;
      /* Over the bytes' digits and the gaps between them, not past the last;
       * underlined in the full colour, so a mark never looks like the
       * selection's tint. */
      x0 = hx + self->hex_cell[a] * cw - cw / 4;
      x1 = hx + self->hex_cell[b - 1] * cw + 2 * cw + cw / 4;
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (x0, y, x1 - x0, self->row_height));
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (x0, y + self->row_height - MARK_LINE,
                                                      x1 - x0, MARK_LINE));
      if (self->show_text)
        {
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (tx + a * cw, y, (b - a) * cw,
                                                          self->row_height));
          gtk_snapshot_append_color (snapshot, &line,
                                     &GRAPHENE_RECT_INIT (tx + a * cw, y + self->row_height - MARK_LINE,
                                                          (b - a) * cw, MARK_LINE));
        }
    }
}

/* The byte whose cells are under (x, y), or -1 between columns and past the
 * end. */
static gint64
byte_under (MaphexHexView *self,
            double         x,
            double         y)
{
  const double cw = _maphex_hex_view_cell_px (self);
  MaphexHexViewColumn column;
  guint nibble, i;
  gint64 offset;
  double left, right;

  if (self->row_height <= 0 || y < 0)
    return -1;
  offset = _maphex_hex_view_hit_test (self, x, y, &column, &nibble);
  if (offset < 0 || offset >= self->length)
    return -1;
  i = (guint) (offset % BPR);
  if (column == MAPHEX_HEX_VIEW_COLUMN_HEX)
    {
      left = _maphex_hex_view_hex_x (self) + self->hex_cell[i] * cw;
      right = left + 2 * cw;
    }
  else
    {
      left = _maphex_hex_view_text_x (self) + i * cw;
      right = left + cw;
    }
  return x >= left && x < right ? offset : -1;
}

char *
_maphex_hex_view_mark_tooltip (MaphexHexView *self,
                               double         x,
                               double         y)
{
  MaphexBookmarks *marks = view_marks (self);
  const MaphexBookmark *mark;
  gint64 offset;

  if (marks == NULL || maphex_bookmarks_get_n_items (marks) == 0)
    return NULL;
  offset = byte_under (self, x, y);
  if (offset < 0 || (mark = maphex_bookmarks_find_at (marks, offset)) == NULL)
    return NULL;
  if (mark->note[0] == '\0')
    return g_strdup (mark->name);
  return g_strdup_printf ("%s\n%s", mark->name, mark->note);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    data)
{
  MaphexHexView *self = MAPHEX_HEX_VIEW (widget);
  g_autofree char *text = NULL;

  if (keyboard)
    return FALSE;
  text = _maphex_hex_view_mark_tooltip (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
_maphex_hex_view_init_marks (MaphexHexView *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

/* Follows the marks of the view's (new) document; `old` is the document it
 * showed before, or NULL. */
void
_maphex_hex_view_marks_document_changed (MaphexHexView  *self,
                                         MaphexDocument *old)
{
  if (old != NULL)
    g_signal_handlers_disconnect_by_data (maphex_document_get_bookmarks (old), self);
  if (self->document != NULL)
    g_signal_connect_object (maphex_document_get_bookmarks (self->document), "changed",
                             G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}
