/* maphex-hex-view.h: the widget that displays and edits one document.
 *
 * Offset column, hex column, text column; a cursor in both; a selection
 * highlighted in both. Draws only the visible rows. While mapped it holds a
 * MaphexExport of its document and reads bytes only through
 * maphex_export_copy(); it releases the export when unmapped.
 *
 * Scrolling is in rows (16 bytes each), not pixels, so a 1 TiB file scrolls
 * to its last byte.
 */
#pragma once

#include <gtk/gtk.h>
#include "maphex-document.h"

G_BEGIN_DECLS

#define MAPHEX_HEX_VIEW_BYTES_PER_ROW 16

typedef enum {
  MAPHEX_HEX_VIEW_COLUMN_HEX,
  MAPHEX_HEX_VIEW_COLUMN_TEXT,
} MaphexHexViewColumn;

#define MAPHEX_TYPE_HEX_VIEW (maphex_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (MaphexHexView, maphex_hex_view, MAPHEX, HEX_VIEW, GtkWidget)

GtkWidget       *maphex_hex_view_new            (MaphexDocument *document);
MaphexDocument  *maphex_hex_view_get_document   (MaphexHexView *self);     /* property "document" */
void             maphex_hex_view_set_document   (MaphexHexView *self, MaphexDocument *document);

/* The view's export while it is mapped, NULL otherwise. Pass it as `own` to
 * length-changing document operations. */
MaphexExport    *maphex_hex_view_get_export     (MaphexHexView *self);

/* Cursor: a byte offset in [0, length] (length = just past the end, where
 * nothing is under the cursor). Property "cursor". */
gint64           maphex_hex_view_get_cursor     (MaphexHexView *self);
/* Moves the cursor (clamped), scrolls it into view; extend=TRUE grows the
 * selection from its anchor, FALSE clears it. */
void             maphex_hex_view_set_cursor     (MaphexHexView *self, gint64 offset, gboolean extend);

/* Selection [start, end) in bytes; empty when start == end. Property
 * "selection-start" / "selection-end" notify together via "selection-changed". */
void             maphex_hex_view_get_selection  (MaphexHexView *self, gint64 *start, gint64 *end);
/* Selects [start, end), puts the cursor at start, scrolls it into view. */
void             maphex_hex_view_select_range   (MaphexHexView *self, gint64 start, gint64 end);
/* Emits "edit-failed" with `error`: for an edit made for the view elsewhere
 * (an operation dialog's insert, finished in the background) that failed. */
void             maphex_hex_view_report_edit_failed (MaphexHexView *self, const GError *error);
/* The same for a jump (a match found, an offset gone to): when the range
 * is not all on screen, scrolls it to the middle of the view rather than
 * just into it. start == end moves the cursor and clears the selection. */
void             maphex_hex_view_jump_to        (MaphexHexView *self, gint64 start, gint64 end);

/* Go to: the cursor onto the byte at `offset` (clamped to the last byte, so
 * that the end, 100%, lands where Ctrl+End does), centred when off screen. */
void             maphex_hex_view_go_to          (MaphexHexView *self, gint64 offset);
MaphexHexViewColumn maphex_hex_view_get_column  (MaphexHexView *self);     /* property "column" */
void             maphex_hex_view_set_column     (MaphexHexView *self, MaphexHexViewColumn column);

/* First visible row (property "top-row"); scrolling. */
gint64           maphex_hex_view_get_top_row    (MaphexHexView *self);
void             maphex_hex_view_scroll_to_offset (MaphexHexView *self, gint64 offset);

/* Typing, as keys do it: a hex digit in the hex column writes a nibble
 * (high then low, then moves on); a character in the text column writes a
 * byte. Returns FALSE with an error (read-only, ...) and changes nothing. */
gboolean         maphex_hex_view_type_char      (MaphexHexView *self, gunichar c, GError **error);

/* Signals:
 *  "selection-changed" (): cursor or selection moved.
 *  "edit-failed" (GError*): an edit from the keyboard was refused; the window shows it.
 *
 * Actions installed on the class (view.*): view.copy-hex, view.copy-raw,
 * view.paste, view.select-all, view.undo, view.redo. */

G_END_DECLS
