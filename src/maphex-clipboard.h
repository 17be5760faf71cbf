/* maphex-clipboard.h: the bytes the clipboard holds, as paste and insert use
 * them. Raw bytes (application/octet-stream, as Copy Raw puts them) come back
 * exactly; text is taken as hex when it parses as hex ("DE AD be ef"), else
 * as its own bytes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Text as paste takes it: hex when it parses as hex, else its own bytes. */
GBytes *maphex_clipboard_bytes_from_text   (const char          *text);

void    maphex_clipboard_read_bytes_async  (GdkClipboard        *clipboard,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* NULL with an error ("Cannot read the clipboard: …") when it holds nothing usable. */
GBytes *maphex_clipboard_read_bytes_finish (GdkClipboard        *clipboard,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
