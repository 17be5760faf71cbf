/* maphex-inspector.h: the data inspector panel (issue 10).
 *
 * Shows what the bytes at the cursor are as every type maphex-inspect.h
 * knows (one row each: a name, an entry with the value, and a line of
 * detail under it), in the byte order its Little/Big endian switch chooses.
 * Each value is an entry: Enter writes what it holds at the cursor with
 * maphex_document_replace (one undo step), Escape puts the value back. Bad
 * input, and an edit the document refuses (read-only mode, a fault), get a
 * message at the bottom of the panel (the row's entry is marked), and
 * nothing is written. A row without a value (too few bytes left, bytes that
 * faulted, bytes that hold no value of its kind) has an empty entry whose
 * placeholder says why ("Needs 8 bytes, 3 left", "??").
 *
 * It reads at most 16 bytes per cursor move (maphex_document_read, which
 * is fault-safe: bytes that fault show as "??"), and again when the
 * document's bytes there change ("bytes-changed"), its length changes
 * (notify::length) or the file changes on disk ("file-changed"). A value
 * being typed is kept across such a refresh until Enter or Escape; moving
 * the cursor or switching the byte order replaces it.
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

/* What a row shows: the decoded row (status, bytes, text, detail), and its
 * entry (whose text is the decoded text unless something is being typed). */
const MaphexInspectRow *maphex_inspector_get_row   (MaphexInspector *self, MaphexInspectField field);
GtkEditable     *maphex_inspector_get_entry      (MaphexInspector *self, MaphexInspectField field);
/* Enter in a row's entry: writes its text at the cursor. FALSE when
 * nothing was written (the reason is the message). */
gboolean         maphex_inspector_write_row      (MaphexInspector *self, MaphexInspectField field);
/* Escape in a row's entry: its value again, and no message. */
void             maphex_inspector_revert_row     (MaphexInspector *self, MaphexInspectField field);
/* The message at the bottom ("" when there is none). */
const char      *maphex_inspector_get_message    (MaphexInspector *self);

/* Actions: inspector.revert (int32 field; Escape in an entry). */

G_END_DECLS
