/* maphex-inspector-rows-private.h: what maphex-inspector-rows.c (geometry,
 * setting rows, focus, keys, construction) and maphex-inspector-rows-draw.c
 * (the kept render nodes and the snapshot) share. */
#pragma once

#include "maphex-inspector-rows.h"
#include "maphex-theme.h"
#include "maphex-glyph-text.h"

G_BEGIN_DECLS

#define PAD 6          /* pixels left and right of everything */
#define NAME_GAP 12    /* between the names' column and the values' */

typedef struct {
  PangoLayout *name;
  PangoLayout *value;
  PangoLayout *detail;
  char        *value_text;
  char        *detail_text;
  gboolean     is_reason;
  int          top;      /* y of the row's first line */

  /* What the last snapshot drew, at its place, kept until the text, its
   * colour or the geometry changes (NULL: to be made again). */
  GskRenderNode *value_node;
  GdkRGBA        value_color;
  char          *drawn_value;
  GskRenderNode *detail_node;
} Row;

struct _MaphexInspectorRows
{
  GtkWidget  parent_instance;

  Row       *rows;
  int        n_rows;
  int        wide_row;
  int        focus_row;
  int        error_row;
  int        editing;     /* the row under the editor, or -1 */
  GtkWidget *editor;

  MaphexInspectorRowsTooltipFunc tooltip_func;
  gpointer   tooltip_data;

  /* Every name, drawn once (NULL: to be made again), and the colours every
   * kept node was drawn in: another theme or style makes them again. */
  GskRenderNode    *names_node;
  MaphexThemeColors node_colors;
  MaphexGlyphText  *value_glyphs;   /* the values' font, shaped once */
  MaphexGlyphText  *detail_glyphs;  /* the details' */

  /* Geometry, from the fonts alone (never from the texts shown). */
  gboolean   geometry_valid;
  int        name_w;      /* the widest name */
  int        char_w;      /* a monospace digit */
  int        line_h;      /* a value's text */
  int        value_h;     /* a value's line: its text and room for the editor */
  int        detail_h;    /* the detail line */
  int        height;
  int        layout_width;  /* the width the layouts ellipsize at, or -1 */

  /* The scrolling that shows part of the rows: a snapshot draws only the
   * rows in view, and another is asked for when the view moves. */
  GtkAdjustment *watched;   /* weak */
};

static inline int
value_x (MaphexInspectorRows *self,
         int                  r)
{
  return r == self->wide_row ? PAD : PAD + self->name_w + NAME_GAP;
}

/* The top of row r's value line. */
static inline int
value_y (MaphexInspectorRows *self,
         int                  r)
{
  return self->rows[r].top + (r == self->wide_row ? self->line_h + 4 : 0);
}

static inline int
row_height (MaphexInspectorRows *self,
            int                  r)
{
  return value_y (self, r) - self->rows[r].top + self->value_h + self->detail_h;
}

/* maphex-inspector-rows.c: layouts and heights from the fonts, once. */
void _maphex_inspector_rows_ensure_geometry   (MaphexInspectorRows *self);

/* maphex-inspector-rows-draw.c */
void _maphex_inspector_rows_forget_value_node (Row *row);
void _maphex_inspector_rows_forget_nodes      (MaphexInspectorRows *self);
void _maphex_inspector_rows_snapshot          (GtkWidget   *widget,
                                               GtkSnapshot *snapshot);
void _maphex_inspector_rows_stop_watching     (MaphexInspectorRows *self);

G_END_DECLS
