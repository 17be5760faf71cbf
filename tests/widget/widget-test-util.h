/* widget-test-util.h: helpers the widget tests (and the frame benchmark)
 * share: waiting on the main loop, temporary files, a widget shown in a
 * window, a document's bytes, answering message dialogs. Compiled into each of them (meson.build). */
#pragma once

#include <adwaita.h>

#include "maphex-document.h"

G_BEGIN_DECLS

typedef gboolean (*WtCondition) (gpointer data);

/* Runs the main loop until `done (data)` or 10 s have passed; returns
 * whether it is done. */
gboolean   wt_iterate_until            (WtCondition done,
                                        gpointer    data);
/* The same, and asserts that it is done. */
void       wt_wait_until               (WtCondition done,
                                        gpointer    data);

/* Conditions on a GtkWidget, for wt_wait_until(). */
gboolean   wt_is_mapped                (gpointer widget);
gboolean   wt_is_mapped_and_allocated  (gpointer widget);
gboolean   wt_is_unmapped              (gpointer widget);

/* The first widget of `type` in `widget`'s tree (itself included), depth
 * first, or NULL. */
GtkWidget *wt_find_descendant          (GtkWidget *widget,
                                        GType      type);

/* Runs what is pending in the main loop, until nothing is. */
void       wt_drain                    (void);
/* Lets pending idles and redraws run (50 iterations) without waiting. */
void       wt_pump                     (void);
/* Queues a redraw of `widget` and waits (5 s at most) until its frame clock
 * painted; returns whether it did. */
gboolean   wt_wait_for_frame           (GtkWidget *widget);

/* A new window of `width` × `height` with `child`, presented; waits until
 * `ready (child)` (wt_is_mapped, wt_is_mapped_and_allocated). */
GtkWindow *wt_show_in_window           (GtkWidget  *child,
                                        int         width,
                                        int         height,
                                        WtCondition ready);

/* A temporary file (g_file_open_tmp() `tmpl`) holding the `len` bytes of
 * `data`, then extended to `sparse_length` when that is above 0. Returns its
 * path. */
char      *wt_make_temp_file           (const char   *tmpl,
                                        const guint8 *data,
                                        gsize         len,
                                        gint64        sparse_length);
/* The file `name` in `dir` holding `len` bytes 0, 1, 2, ... */
GFile     *wt_make_counting_file       (const char *dir,
                                        const char *name,
                                        gsize       len);
/* Deletes the files in `dir`, then `dir`. */
void       wt_remove_dir               (const char *dir);

/* Waits until `doc` runs no long operation (insert, delete, resize, undo,
 * save...: they finish in a worker thread) and its callbacks have run. */
void       wt_wait_for_operation       (MaphexDocument *doc);

/* The byte at `offset` of `doc`, asserting it could be read. */
guint8     wt_byte_at                  (MaphexDocument *doc,
                                        gint64          offset);

/* Destroys every window of `app`, then lets GTK finish (wt_pump()). */
void       wt_destroy_app_windows      (GtkApplication *app);
/* For the tests of the application: the settings it reads (default mode)
 * come from the schema in `schema_dir` with the memory backend; GTK is
 * initialised for tests. Returns a new temporary directory (g_dir_make_tmp()
 * `tmpl`) for the test's files. */
char      *wt_init_app_test            (int        *argc,
                                        char     ***argv,
                                        const char *schema_dir,
                                        const char *tmpl);
/* Makes `app` never the primary instance (a maphex started by another test
 * must not end up in this process) and registers it. */
void       wt_register_non_unique      (GApplication *app);

/* The visible AdwMessageDialog transient for `parent`, or NULL. */
AdwMessageDialog *wt_find_message_dialog   (GtkWindow *parent);
/* Condition for wt_wait_until(): `parent` (a GtkWindow) has one. */
gboolean   wt_has_message_dialog       (gpointer parent);
/* Answers `dialog` the way the user does: clicks the button of `response`
 * (asserting it has one, enabled), which closes it and emits "response"
 * before this returns. */
void       wt_answer_message_dialog    (AdwMessageDialog *dialog,
                                        const char       *response);

G_END_DECLS
