/* maphex-inspector-rows-draw.c: see maphex-inspector-rows.h. Owns what
 * the rows draw and keep of it: the names, values and details as render
 * nodes (from the glyph tables, or laid out), made again only when their
 * text, colour or the geometry changes, and only for the rows in view; not
 * the geometry itself or the rows' texts (maphex-inspector-rows.c). */
#include "maphex-inspector-rows-private.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Kept render nodes                                                   */

void
_maphex_inspector_rows_forget_value_node (Row *row)
{
  g_clear_pointer (&row->value_node, gsk_render_node_unref);
  g_clear_pointer (&row->drawn_value, g_free);
}

/* Every kept node goes: the geometry or the colours changed. */
void
_maphex_inspector_rows_forget_nodes (MaphexInspectorRows *self)
{
  g_clear_pointer (&self->names_node, gsk_render_node_unref);
  for (int r = 0; r < self->n_rows; r++)
    {
      _maphex_inspector_rows_forget_value_node (&self->rows[r]);
      g_clear_pointer (&self->rows[r].detail_node, gsk_render_node_unref);
    }
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               int            x,
               int            y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* `text` at (x, y) as a node of its own, to keep: from the table when it
 * can draw it, else laid out (only then is the layout given the text). */
static GskRenderNode *
text_node (MaphexGlyphText *table,
           PangoLayout     *layout,
           const char      *text,
           int              x,
           int              y,
           int              max_width,
           const GdkRGBA   *color)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node = table != NULL ? maphex_glyph_text_node (table, text, x, y, max_width, color) : NULL;

  if (node != NULL)
    return node;
  if (strcmp (pango_layout_get_text (layout), text) != 0)
    pango_layout_set_text (layout, text, -1);
  snapshot = gtk_snapshot_new ();
  append_layout (snapshot, layout, x, y, color);
  node = gtk_snapshot_free_to_node (snapshot);
  /* An empty text draws nothing, and is kept as such. */
  return node != NULL ? node : gsk_container_node_new (NULL, 0);
}

/* The y of the text on row r's value line. */
static int
text_y (MaphexInspectorRows *self,
        int                  r)
{
  return value_y (self, r) + (self->value_h - self->line_h) / 2;
}

static GskRenderNode *
names_node (MaphexInspectorRows *self)
{
  GtkSnapshot *snapshot;

  if (self->names_node != NULL)
    return self->names_node;
  snapshot = gtk_snapshot_new ();
  for (int r = 0; r < self->n_rows; r++)
    append_layout (snapshot, self->rows[r].name, PAD,
                   r == self->wide_row ? self->rows[r].top : text_y (self, r), &self->node_colors.dim);
  self->names_node = gtk_snapshot_free_to_node (snapshot);   /* never empty: n_rows > 0 */
  return self->names_node;
}

static GskRenderNode *
value_node (MaphexInspectorRows *self,
            int                  r,
            const GdkRGBA       *color)
{
  Row *row = &self->rows[r];

  if (row->value_node != NULL && gdk_rgba_equal (&row->value_color, color))
    return row->value_node;
  _maphex_inspector_rows_forget_value_node (row);
  row->value_node = text_node (self->value_glyphs, row->value, row->value_text,
                               value_x (self, r), text_y (self, r),
                               self->layout_width - value_x (self, r) - PAD, color);
  row->value_color = *color;
  row->drawn_value = g_strdup (row->value_text);
  return row->value_node;
}

static GskRenderNode *
detail_node (MaphexInspectorRows *self,
             int                  r)
{
  Row *row = &self->rows[r];

  if (row->detail_node == NULL)
    row->detail_node = text_node (self->detail_glyphs, row->detail, row->detail_text,
                                  value_x (self, r) + 6, value_y (self, r) + self->value_h,
                                  self->layout_width - value_x (self, r) - PAD, &self->node_colors.dim);
  return row->detail_node;
}

/* The rows' lines in view, [*top, *bottom): the viewport's area when the
 * rows scroll in one, else all. A viewport moves what was drawn without
 * drawing it again, so the rows ask for a snapshot when its adjustment
 * moves or its page grows. */
static void
in_view (MaphexInspectorRows *self,
         int                 *top,
         int                 *bottom)
{
  GtkWidget *viewport = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_VIEWPORT);
  GtkAdjustment *adjustment = viewport != NULL ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport)) : NULL;
  graphene_rect_t bounds;

  *top = 0;
  *bottom = G_MAXINT;
  if (adjustment == NULL || !gtk_widget_compute_bounds (viewport, GTK_WIDGET (self), &bounds))
    {
      _maphex_inspector_rows_stop_watching (self);   /* out of the viewport: all are drawn */
      return;
    }
  if (adjustment != self->watched)
    {
      _maphex_inspector_rows_stop_watching (self);
      g_set_weak_pointer (&self->watched, adjustment);
      g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (adjustment, "changed", G_CALLBACK (gtk_widget_queue_draw), self,
                               G_CONNECT_SWAPPED);
    }
  /* A pixel more each way: it covers a part of one. */
  *top = (int) bounds.origin.y - 1;
  *bottom = (int) (bounds.origin.y + bounds.size.height) + 1;
}

/* Only what changed since the last frame is drawn again: on a cursor move,
 * the values and details whose text changed, of the rows in view; the
 * rest is re-appended. */
void
_maphex_inspector_rows_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (widget);
  int width = gtk_widget_get_width (widget);
  MaphexThemeColors colors;
  int top, bottom;

  _maphex_inspector_rows_ensure_geometry (self);
  in_view (self, &top, &bottom);
  maphex_theme_get_colors (widget, &colors);
  if (memcmp (&colors, &self->node_colors, sizeof colors) != 0)
    {
      _maphex_inspector_rows_forget_nodes (self);
      self->node_colors = colors;
    }

  if (gtk_widget_has_focus (widget) && self->focus_row >= 0)
    {
      GdkRGBA tint = colors.accent;

      tint.alpha = 0.15f;
      gtk_snapshot_append_color (snapshot, &tint,
                                 &GRAPHENE_RECT_INIT (0, self->rows[self->focus_row].top, width,
                                                      row_height (self, self->focus_row)));
    }

  gtk_snapshot_append_node (snapshot, names_node (self));
  for (int r = 0; r < self->n_rows; r++)
    {
      Row *row = &self->rows[r];
      int x = value_x (self, r);
      const GdkRGBA *color = r == self->error_row ? &colors.error : row->is_reason ? &colors.dim : &colors.fg;

      if (row->top >= bottom || row->top + row_height (self, r) <= top)
        continue;
      if (r != self->editing)
        gtk_snapshot_append_node (snapshot, value_node (self, r, color));
      if (r == self->error_row)
        gtk_snapshot_append_color (snapshot, &colors.error,
                                   &GRAPHENE_RECT_INIT (x, value_y (self, r) + self->value_h - 3,
                                                        width - x - PAD, 1));
      if (row->detail_text[0] != '\0')
        gtk_snapshot_append_node (snapshot, detail_node (self, r));
    }

  if (self->editing >= 0 && gtk_widget_get_visible (self->editor))
    gtk_widget_snapshot_child (widget, self->editor, snapshot);
}

void
maphex_inspector_rows_get_row_area (MaphexInspectorRows *self,
                                    int                  r,
                                    graphene_rect_t     *area)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self));
  g_return_if_fail (r >= 0 && r < self->n_rows);

  _maphex_inspector_rows_ensure_geometry (self);
  graphene_rect_init (area, 0, self->rows[r].top, gtk_widget_get_width (GTK_WIDGET (self)), row_height (self, r));
}

const char *
maphex_inspector_rows_get_drawn_value (MaphexInspectorRows *self,
                                       int                  r)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self), NULL);
  g_return_val_if_fail (r >= 0 && r < self->n_rows, NULL);
  return r == self->editing ? NULL : self->rows[r].drawn_value;
}

/* The viewport's adjustment is let go: the rows left it, moved to another,
 * or are disposed. */
void
_maphex_inspector_rows_stop_watching (MaphexInspectorRows *self)
{
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
}
