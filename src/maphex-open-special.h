/* maphex-open-special.h: opening what needs a question or a snapshot
 * (maphex-open-special.c). */
#pragma once

#include "maphex-application.h"

G_BEGIN_DECLS

/* Asks before opening the block device `file` write-through (the dialog names
 * it); opens it so when the user agrees, in `target` (nullable) if that is
 * an empty window, at `goto_offset` (nullable). Returns the dialog. */
GtkWindow *_maphex_open_confirm_device_write (MaphexApplication *app, GFile *file,
                                              GtkWindow *target, const char *goto_offset);
/* Reads `file` (NULL: `fd`, e.g. standard input, named `name`) into a
 * snapshot, showing the progress with a Cancel: in the operation bar of
 * `from` (nullable) when it shows a document, else in a dialog. Opens it when
 * done, in `from` if that is an empty window, else in a new one, at
 * `goto_offset` (nullable); or shows why not. Returns `from` or the dialog. */
GtkWindow *_maphex_open_snapshot (MaphexApplication *app, GFile *file, int fd,
                                  const char *name, MaphexMode mode, GtkWindow *from,
                                  const char *goto_offset);

G_END_DECLS
