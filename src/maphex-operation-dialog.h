/* maphex-operation-dialog.h: the dialogs of the editing operations that need
 * more than a selection: move, fill, resize, insert, and File → New (a scratch
 * buffer). Each validates what was typed before anything changes; a refusal
 * (from the parser or from the document) is shown inline and the dialog stays
 * open with the document as it was.
 */
#pragma once

#include <gtk/gtk.h>
#include "maphex-hex-view.h"

G_BEGIN_DECLS

typedef enum {
  MAPHEX_OPERATION_MOVE,         /* fields: destination, source, count */
  MAPHEX_OPERATION_FILL,         /* fields: pattern (hex, or text when "text" is checked) */
  MAPHEX_OPERATION_RESIZE,       /* fields: new length */
  MAPHEX_OPERATION_INSERT,       /* fields: count (zero bytes inserted at the cursor), or the clipboard's bytes */
  MAPHEX_OPERATION_NEW_SCRATCH,  /* fields: size */
} MaphexOperation;

#define MAPHEX_TYPE_OPERATION_DIALOG (maphex_operation_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MaphexOperationDialog, maphex_operation_dialog, MAPHEX, OPERATION_DIALOG, GtkWindow)

/* `view` is the view the operation applies to (NULL for NEW_SCRATCH). Fields
 * start from the view's state: the selection is the default source (move) and
 * target (fill), the current length is the default new length. */
MaphexOperationDialog *maphex_operation_dialog_new (GtkWindow       *parent,
                                                    MaphexOperation  operation,
                                                    MaphexHexView   *view);

MaphexOperation maphex_operation_dialog_get_operation (MaphexOperationDialog *self);
guint           maphex_operation_dialog_get_n_fields  (MaphexOperationDialog *self);
void            maphex_operation_dialog_set_field     (MaphexOperationDialog *self,
                                                       guint                  index,
                                                       const char            *text);
const char     *maphex_operation_dialog_get_field     (MaphexOperationDialog *self,
                                                       guint                  index);
/* FILL only: whether the pattern is text rather than hex bytes. */
void            maphex_operation_dialog_set_text_pattern (MaphexOperationDialog *self,
                                                          gboolean               text);

/* INSERT only: insert the clipboard's bytes (read when this is turned on; the
 * count field then shows how many) instead of `count` zero bytes. */
void            maphex_operation_dialog_set_use_clipboard (MaphexOperationDialog *self,
                                                           gboolean               use_clipboard);
/* TRUE while the clipboard is being read. */
gboolean        maphex_operation_dialog_get_busy (MaphexOperationDialog *self);

/* What the OK button does. Returns FALSE, shows the reason inline and changes
 * nothing when the input or the operation is refused. On success the dialog
 * closes (NEW_SCRATCH first emits "scratch-created" with the new document). */
gboolean        maphex_operation_dialog_accept      (MaphexOperationDialog *self);
const char     *maphex_operation_dialog_get_message (MaphexOperationDialog *self);

/* Sizes and counts as users type them: "4096", "0x1000", "4 KiB", "1M",
 * "2 GB" (K/M/G/T suffixes are powers of 1024, with or without "iB"/"B"). */
gboolean        maphex_parse_size (const char *text, gint64 *result, GError **error);

G_END_DECLS
