/* maphex-hex-view.h: the widget that displays and edits one document.
 *
 * Offset column, hex column, text column; a cursor in both; a selection
 * highlighted in both. Draws only the visible rows. While mapped it holds a
 * MaphexExport of its document and reads bytes only through
 * maphex_export_copy(); it releases the export when unmapped.
 *
 * Scrolling is in rows (16 bytes each by default, see "bytes-per-row"), not
 * pixels, so a 1 TiB file scrolls to its last byte.
 *
 * What it shows is set by properties (the window binds them to the
 * settings): "font", "bytes-per-row", "group-size", "offset-format",
 * "uppercase", "show-text" and "encoding".
 */
#pragma once

#include <gtk/gtk.h>
#include "maphex-document.h"

G_BEGIN_DECLS

/* The default of "bytes-per-row", and the most a row holds. */
#define MAPHEX_HEX_VIEW_BYTES_PER_ROW 16
#define MAPHEX_HEX_VIEW_MAX_BYTES_PER_ROW 64

typedef enum {
  MAPHEX_HEX_VIEW_COLUMN_HEX,
  MAPHEX_HEX_VIEW_COLUMN_TEXT,
} MaphexHexViewColumn;

/* How the offset column writes offsets (property "offset-format"; nicks
 * "hex", "decimal", as the settings name them). */
typedef enum {
  MAPHEX_OFFSET_FORMAT_HEX,
  MAPHEX_OFFSET_FORMAT_DECIMAL,
} MaphexOffsetFormat;

/* What the text column shows a byte as, and what typing there writes
 * (property "encoding"; nicks "ascii", "latin-1", "utf-8", "ebcdic").
 * EBCDIC is code page 037. */
typedef enum {
  MAPHEX_CHARSET_ASCII,
  MAPHEX_CHARSET_LATIN1,
  MAPHEX_CHARSET_UTF8,
  MAPHEX_CHARSET_EBCDIC,
} MaphexCharset;

GType maphex_offset_format_get_type (void);
GType maphex_charset_get_type (void);
#define MAPHEX_TYPE_OFFSET_FORMAT (maphex_offset_format_get_type ())
#define MAPHEX_TYPE_CHARSET (maphex_charset_get_type ())

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

/* Display properties. "bytes-per-row": 1 to MAPHEX_HEX_VIEW_MAX_BYTES_PER_ROW,
 * or 0 to fit as many groups as the width holds; get_row_length says how
 * many a row holds now. "group-size" (1 to 8): bytes written together in the
 * hex column, a space between groups. "font": a Pango font description
 * ("Monospace 12"); NULL or "" is the system's monospace font at the
 * interface's size. "show-text": whether the text column is there (the
 * cursor leaves it when it goes). */
guint            maphex_hex_view_get_bytes_per_row (MaphexHexView *self);
void             maphex_hex_view_set_bytes_per_row (MaphexHexView *self, guint bytes_per_row);
guint            maphex_hex_view_get_row_length    (MaphexHexView *self);
guint            maphex_hex_view_get_group_size    (MaphexHexView *self);
void             maphex_hex_view_set_group_size    (MaphexHexView *self, guint group_size);
MaphexOffsetFormat maphex_hex_view_get_offset_format (MaphexHexView *self);
void             maphex_hex_view_set_offset_format (MaphexHexView *self, MaphexOffsetFormat format);
gboolean         maphex_hex_view_get_uppercase     (MaphexHexView *self);
void             maphex_hex_view_set_uppercase     (MaphexHexView *self, gboolean uppercase);
gboolean         maphex_hex_view_get_show_text     (MaphexHexView *self);
void             maphex_hex_view_set_show_text     (MaphexHexView *self, gboolean show_text);
MaphexCharset    maphex_hex_view_get_encoding      (MaphexHexView *self);
void             maphex_hex_view_set_encoding      (MaphexHexView *self, MaphexCharset encoding);
const char      *maphex_hex_view_get_font          (MaphexHexView *self);
void             maphex_hex_view_set_font          (MaphexHexView *self, const char *font);

/* Typing, as keys do it: a hex digit in the hex column writes a nibble
 * (high then low, then moves on); a character in the text column writes its
 * bytes in the view's encoding (beyond ASCII in ASCII: UTF-8). Returns FALSE with an error (read-only, ...) and changes nothing. */
gboolean         maphex_hex_view_type_char      (MaphexHexView *self, gunichar c, GError **error);

/* Signals:
 *  "selection-changed" (): cursor or selection moved.
 *  "edit-failed" (GError*): an edit from the keyboard was refused; the window shows it.
 *
 * Actions installed on the class (view.*): view.copy-hex, view.copy-raw,
 * view.paste, view.select-all, view.undo, view.redo. */

G_END_DECLS
