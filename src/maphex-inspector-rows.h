/* maphex-inspector-rows.h: the data inspector's rows, drawn by one widget
 * (issue 10: a cursor move must add under 0.1 ms to a frame).
 *
 * One widget draws every row's name, value (or, dimmed, the reason it has
 * none) and detail line from PangoLayouts it keeps, each set again only
 * when its text changes, and keeps the render node it drew each from: the
 * names are one node made once, a value or detail is drawn again only when
 * its text or colour changed, and a frame re-appends the rest. Rows have
 * fixed heights, so a new value never
 * changes the widget's size: a cursor move costs a redraw of this widget,
 * not a relayout of the window. Only the row being edited shows a GtkEntry
 * (the editor), placed over its value.
 *
 * It knows nothing of what the rows mean: MaphexInspector sets their texts
 * and opens the editor when it emits "edit-row" (double-click on a row,
 * Enter or F2 on the focused one, or a character typed there, which
 * becomes the editor's text). Up and Down move the focused row. The
 * focused row is what assistive technologies read: the widget's
 * accessible description is "name: value, detail" of that row.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MAPHEX_TYPE_INSPECTOR_ROWS (maphex_inspector_rows_get_type ())
G_DECLARE_FINAL_TYPE (MaphexInspectorRows, maphex_inspector_rows, MAPHEX, INSPECTOR_ROWS, GtkWidget)

/* `names[0 .. n_rows)` are copied; `wide_row` (or -1) is a row whose value
 * is too long to stand beside its name and takes a line of its own. */
GtkWidget *maphex_inspector_rows_new         (const char * const *names,
                                              int                 n_rows,
                                              int                 wide_row);

/* What `row` shows: `value`, or when `is_reason`, dimmed, why it has none;
 * `detail` (nullable) under it. */
void       maphex_inspector_rows_set         (MaphexInspectorRows *self,
                                              int                  row,
                                              const char          *value,
                                              gboolean             is_reason,
                                              const char          *detail);

/* A row's tooltip (newly allocated, or NULL for none), asked for only when
 * one is about to show: over the row, or over its editor. */
typedef char *(*MaphexInspectorRowsTooltipFunc) (int      row,
                                                 gpointer data);
void       maphex_inspector_rows_set_tooltip_func (MaphexInspectorRows           *self,
                                                   MaphexInspectorRowsTooltipFunc func,
                                                   gpointer                       data);
/* What the tooltip over `row` says now (newly allocated, or NULL). */
char      *maphex_inspector_rows_dup_tooltip (MaphexInspectorRows *self,
                                              int                  row);

/* The value text the last snapshot drew for `row` (NULL when it drew none:
 * not drawn yet, or the editor is over it). For tests: what is on screen,
 * not what was set. */
const char *maphex_inspector_rows_get_drawn_value (MaphexInspectorRows *self,
                                                   int                  row);
/* Where `row` lies in the widget (its name, value and detail lines). */
void        maphex_inspector_rows_get_row_area    (MaphexInspectorRows *self,
                                                   int                  row,
                                                   graphene_rect_t     *area);
/* The row drawn as in error (and whose editor is marked), or -1. */
void       maphex_inspector_rows_set_error   (MaphexInspectorRows *self,
                                              int                  row);

/* The editor over `row`, or hidden with -1. The caller fills it. */
void       maphex_inspector_rows_set_editing (MaphexInspectorRows *self,
                                              int                  row);
int        maphex_inspector_rows_get_editing (MaphexInspectorRows *self);
GtkEntry  *maphex_inspector_rows_get_editor  (MaphexInspectorRows *self);

G_END_DECLS
