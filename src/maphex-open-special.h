/* maphex-open-special.h: opening what needs a question or a snapshot
 * (maphex-open-special.c). */
#pragma once

#include "maphex-application.h"

G_BEGIN_DECLS

/* Asks before opening the block device `file` write-through (the dialog names
 * it); opens it so when the user agrees. Returns the dialog. */
GtkWindow *_maphex_open_confirm_device_write (MaphexApplication *app, GFile *file,
                                              const char *goto_offset);
/* Reads `file` (NULL: `fd`, e.g. standard input, named `name`) into a
 * snapshot, with a dialog that shows the progress and can cancel; opens a
 * window on it when done, or shows why not. Returns the dialog. */
GtkWindow *_maphex_open_snapshot (MaphexApplication *app, GFile *file, int fd,
                                  const char *name, MaphexMode mode);

G_END_DECLS
