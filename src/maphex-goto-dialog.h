/* maphex-goto-dialog.h: Ctrl+G. Accepts "0x1f", "31", "+100", "-0x10", "50%"
 * (maphex_parse_offset); out-of-range and malformed offsets get an inline
 * message and keep the dialog open. */
#pragma once

#include <gtk/gtk.h>
#include "maphex-hex-view.h"

G_BEGIN_DECLS

#define MAPHEX_TYPE_GOTO_DIALOG (maphex_goto_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MaphexGotoDialog, maphex_goto_dialog, MAPHEX, GOTO_DIALOG, GtkWindow)

/* A modal dialog on `parent` that moves `view`'s cursor when accepted. */
MaphexGotoDialog *maphex_goto_dialog_new (GtkWindow *parent, MaphexHexView *view);
/* For tests: the text the dialog validates, and accepting it as Enter does.
 * Returns FALSE (and shows the message inline) when the text is refused. */
void              maphex_goto_dialog_set_text (MaphexGotoDialog *self, const char *text);
gboolean          maphex_goto_dialog_accept   (MaphexGotoDialog *self);
const char       *maphex_goto_dialog_get_message (MaphexGotoDialog *self);

G_END_DECLS
