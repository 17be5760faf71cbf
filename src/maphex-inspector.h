/* maphex-inspector.h: the data inspector panel (issue 10).
 *
 * Shows what the bytes at the cursor are as every type maphex-inspect.h
 * knows (one row each: a name, the value, and a line of detail under it),
 * in the byte order its Little/Big endian switch chooses. The rows are
 * drawn by one widget (maphex-inspector-rows.h) so that a cursor move
 * costs a redraw, not a relayout; a row is edited in the one entry, opened
 * over it by double-click, Enter, F2 or typing: Enter writes what it holds
 * at the cursor with maphex_document_replace (one undo step), Escape puts
 * the value back. Bad input, and an edit the document refuses (read-only
 * mode, a fault), get a message at the bottom of the panel (the row is
 * marked), and nothing is written. A row without a value (too few bytes
 * left, bytes that faulted, bytes that hold no value of its kind) shows
 * why, dimmed ("Needs 8 bytes, 3 left", "??"), and so does its editor's
 * placeholder.
 *
 * It reads at most 16 bytes per frame, however many cursor moves came
 * before it (maphex_document_read, which is fault-safe: bytes that fault
 * show as "??"), and again when the document's bytes there change
 * ("bytes-changed"), its length changes (notify::length) or the file
 * changes on disk ("file-changed"). The getters see the rows as they will
 * be drawn. A value being typed is kept across such a refresh until Enter
 * or Escape; moving the cursor or switching the byte order replaces it.
 *
 * The window puts it in a side panel (F7 and a header-bar button) and
 * either follows its hex view with maphex_inspector_set_view() or calls
 * set_document() and set_cursor() itself. Built in code, not from a
 * template: it lives in the widget library, which the widget tests link
 * without the application's resources.
 */
#pragma once

#include <gtk/gtk.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-inspect.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_INSPECTOR (maphex_inspector_get_type ())
G_DECLARE_FINAL_TYPE (MaphexInspector, maphex_inspector, MAPHEX, INSPECTOR, GtkWidget)

GtkWidget       *maphex_inspector_new            (void);

/* Property "document" (nullable: every row then says there is nothing). */
void             maphex_inspector_set_document   (MaphexInspector *self, MaphexDocument *document);
MaphexDocument  *maphex_inspector_get_document   (MaphexInspector *self);
/* Property "cursor": the offset the rows decode, >= 0 (at or past the end
 * of the document every row says "End of file"). */
void             maphex_inspector_set_cursor     (MaphexInspector *self, gint64 offset);
gint64           maphex_inspector_get_cursor     (MaphexInspector *self);
/* Property "byte-order" (MAPHEX_BYTE_ORDER_LITTLE at first). */
void             maphex_inspector_set_byte_order (MaphexInspector *self, MaphexByteOrder order);
MaphexByteOrder  maphex_inspector_get_byte_order (MaphexInspector *self);

/* Follows `view` (nullable): its document and its cursor, as they change.
 * The inspector does not keep the view alive. */
void             maphex_inspector_set_view       (MaphexInspector *self, MaphexHexView *view);

/* What a row shows: the decoded row (status, bytes, text, detail). */
const MaphexInspectRow *maphex_inspector_get_row   (MaphexInspector *self, MaphexInspectField field);
/* What a row's value reads as, and would be written: what was typed in it,
 * else its value, else "" (a row without one shows its reason instead). */
const char      *maphex_inspector_get_text       (MaphexInspector *self, MaphexInspectField field);
/* Whether the row takes a value (not past the end, not over a fault). */
gboolean         maphex_inspector_get_row_editable (MaphexInspector *self, MaphexInspectField field);
/* Opens the editor (the one entry) over a row, filled from it, with the
 * focus when the panel is shown; what the user does on a row (double-click,
 * Enter, F2, typing). Enter in it writes the row, Escape reverts it. */
GtkEditable     *maphex_inspector_edit_row       (MaphexInspector *self, MaphexInspectField field);
/* Writes a row's text at the cursor (Enter in its editor). FALSE when
 * nothing was written (the reason is the message). */
gboolean         maphex_inspector_write_row      (MaphexInspector *self, MaphexInspectField field);
/* Escape in a row's editor: its value again, no message, the editor closed. */
void             maphex_inspector_revert_row     (MaphexInspector *self, MaphexInspectField field);
/* The message at the bottom ("" when there is none), and the row it is
 * about (drawn marked; -1 when none). */
const char      *maphex_inspector_get_message    (MaphexInspector *self);
int              maphex_inspector_get_error_field (MaphexInspector *self);

/* Actions: inspector.revert (int32 field). */

G_END_DECLS
