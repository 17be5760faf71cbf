/* maphex-window-private.h: the window's guts, shared by maphex-window.c,
 * maphex-window-status.c and maphex-window-actions.c. */
#pragma once

#include "maphex-window.h"
#include "maphex-inspector.h"
#include "maphex-find-bar.h"
#include "maphex-results-list.h"
#include "maphex-question.h"

G_BEGIN_DECLS

struct _MaphexWindow
{
  AdwApplicationWindow parent_instance;

  MaphexDocument *document;
  GtkWidget      *view;              /* MaphexHexView, made with the first document */
  GCancellable   *cancellable;
  GSettings      *settings;          /* nullable */
  AdwToast       *notice_toast;   /* the notice on screen, or NULL */
  char           *notice_text;    /* its message */
  gboolean        close_confirmed;   /* the user answered the unsaved-changes question */
  gboolean        close_after_operation;  /* closes once the cancelled operation is done */
  guint           operation_timeout; /* shows the operation bar after 100 ms */
  gboolean        first_frame_reported;

  /* Template children */
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkMenuButton  *menu_button;
  GtkStack       *stack;
  GtkWidget      *empty_page;
  GtkWidget      *view_page;
  GtkBox         *view_box;
  GtkRevealer    *inspector_revealer;
  GtkScrolledWindow *inspector_scroller;
  GtkStack       *side_stack;     /* the side panel's pages: "inspector", ... */
  GtkWidget      *inspector;      /* MaphexInspector, made with the view */
  GtkWidget      *results_list;   /* MaphexResultsList (side page "results"), made with the view */
  GtkWidget      *bookmarks_list; /* MaphexBookmarksList (side page "bookmarks"), made with the view */
  gboolean        inspector_visible;
  MaphexFindBar  *find_bar;
  GtkInfoBar     *file_bar;
  GtkWidget      *snapshot_bar;   /* maphex-window-status.c: made on first use */
  GtkLabel       *file_bar_label;
  AdwToastOverlay *toast_overlay;
  GtkLabel       *offset_label;
  GtkLabel       *selection_label;
  GtkLabel       *size_label;
  GtkLabel       *mode_label;
  GtkLabel       *modified_label;
  GtkWidget      *insert_button;
  GtkWidget      *delete_button;
  GtkWidget      *resize_button;
  GtkLabel       *resize_note;
  GtkWidget      *status_bar;
  GtkWidget      *edit_button;
  GtkListBox     *recent_list;    /* maphex-window-recent.c: the start page's recent files */
  GtkWidget      *recent_group;   /* its heading and list, hidden when there are none */
  GMenu          *recent_menu;    /* the main menu's Open Recent submenu */
  GtkRevealer    *operation_revealer;
  GtkLabel       *operation_label;
  GtkProgressBar *operation_progress;
  GtkWidget      *operation_cancel_button;
  /* maphex-window-operation.c: work for another window shown in this one's
     bar (a snapshot read): its name, Cancel, and progress */
  char           *task_name;
  GCancellable   *task_cancellable;
  gint64          task_done, task_total, task_started;
};

void _maphex_window_class_actions_init (GtkWidgetClass *widget_class);
/* maphex-window-recent.c: the recent files on the start page and in the
 * menu, and win.open-recent (a file's URI). */
void _maphex_window_class_recent_init (GtkWidgetClass *widget_class);
void _maphex_window_recent_init       (MaphexWindow *self);
void _maphex_window_recent_update     (MaphexWindow *self);
void _maphex_window_recent_focus_first (MaphexWindow *self);
/* The folder of `file` for titles and lists: "~/dir" in the home directory. */
char *_maphex_window_folder_label     (GFile *file);
void _maphex_window_update_actions     (MaphexWindow *self);
/* Why win.insert, win.delete or win.resize cannot run now; NULL if it can. */
const char *_maphex_window_length_refusal (MaphexWindow *self, const char *action_name);
/* The Delete or Insert key on the view: runs the action, or says why not. */
void _maphex_window_length_key (MaphexWindow *self, const char *action_name);
/* TRUE when closing this window would lose unsaved changes (the document is
 * modified, not written through, and no other window shows it). */
gboolean _maphex_window_has_unsaved_last_view (MaphexWindow *self);
/* Saves; reports failures in the window. Scratch documents go to Save As;
 * `then_close` closes the window once the document is saved. */
void _maphex_window_save          (MaphexWindow *self, gboolean then_close);
void _maphex_window_save_as       (MaphexWindow *self, gboolean then_close);
/* Saves without asking (the question was answered): a snapshot back to its
 * source, any other document in place. */
void _maphex_window_save_confirmed (MaphexWindow *self, gboolean then_close);
/* maphex-window-save-ask.c: Save on a snapshot writes it back to its
 * source (it is editable and the source a file we may write). */
gboolean   _maphex_window_saves_to_source (MaphexWindow *self);
/* Asks before a Save that writes a snapshot back or copy-on-write edits onto
 * a block device, naming it; the answer saves, or goes to Save As. Returns
 * the dialog, or NULL when Save needs no question. */
GtkWidget *_maphex_window_ask_before_save (MaphexWindow *self, gboolean then_close);
/* The document's mode as win.reopen names it ("read-only", "copy-on-write",
 * "write-through"), or "" without a file: the window's "mode" property. */
const char *_maphex_window_get_mode_name (MaphexWindow *self);
/* Reopens the file in the named mode, asking first if unsaved edits would be
 * lost; nothing happens for the current mode. */
void _maphex_window_reopen        (MaphexWindow *self, const char *mode_name);
/* Closes the window without asking again (after the question was answered). */
void _maphex_window_close_confirmed (MaphexWindow *self);
void _maphex_window_show_error    (MaphexWindow *self, const char *primary, const GError *error);
/* The file bar, if shown, says again how the file stands against the
 * document (after a save wrote some of the edits that a shrink spared). */
void _maphex_window_update_file_bar (MaphexWindow *self);
/* Takes a notice ("Saving…") off the screen before its time. */
void _maphex_window_hide_notice   (MaphexWindow *self);
/* The notice on screen (its toast's message), or NULL: for tests. */
const char *_maphex_window_get_notice (MaphexWindow *self);

/* maphex-window-status.c: binds the template callbacks of the file bar and
 * the notice. */
void _maphex_window_class_status_init (GtkWidgetClass *widget_class);
/* The title (header bar and window manager) and the status bar say again
 * how the document stands; the mode label takes the mode's style class. */
void _maphex_window_update_title      (MaphexWindow *self);
void _maphex_window_update_status     (MaphexWindow *self);
void _maphex_window_update_mode_style (MaphexWindow *self);
/* Shows or hides the bar that says a snapshot's source and time. */
void _maphex_window_update_snapshot_bar (MaphexWindow *self);
/* Hides the file bar; the view gets the focus if the bar had it. */
void _maphex_window_hide_file_bar     (MaphexWindow *self);
/* The document's "file-changed" and "file-shrunk": show the file bar. */
void _maphex_window_file_changed_cb   (MaphexWindow *self);
void _maphex_window_history_trimmed_cb (MaphexWindow *self, guint n_dropped);
void _maphex_window_file_shrunk_cb    (MaphexWindow *self);

/* maphex-window.c: adds a page to the side panel (a tab named `title` at
 * its top); `name` is the page's id for _maphex_window_show_side_page. */
void _maphex_window_add_side_page  (MaphexWindow *self,
                                    GtkWidget    *widget,
                                    const char   *name,
                                    const char   *title);
/* Shows the side panel (if hidden) on the page `name`. */
void _maphex_window_show_side_page (MaphexWindow *self,
                                    const char   *name);
/* The name of the side panel's visible page: for tests. */
const char *_maphex_window_get_side_page (MaphexWindow *self);

/* maphex-window-bookmarks.c: win.add-bookmark, win.next-bookmark,
 * win.previous-bookmark; the Bookmarks side page (made with the view); the
 * notice when a file's marks were kept for another version of it. */
void _maphex_window_class_bookmarks_init     (GtkWidgetClass *widget_class);
void _maphex_window_bookmarks_init_view      (MaphexWindow *self);
void _maphex_window_bookmarks_document_set   (MaphexWindow *self);
void _maphex_window_bookmarks_update_actions (MaphexWindow *self);
void _maphex_window_bookmarks_dispose        (MaphexWindow *self);

/* maphex-window.c: the document changed (modified, length, undo): title,
 * status and actions follow. */
void _maphex_window_document_changed_cb (MaphexWindow *self);

/* maphex-window-operation.c: the operation bar (name, progress, Cancel)
 * while the document runs a long operation, and the question on closing
 * meanwhile. */
void     _maphex_window_class_operation_init (GtkWidgetClass *widget_class);
/* Follows the (new) document's "busy" and "progress". */
void     _maphex_window_operation_bind       (MaphexWindow *self);
void     _maphex_window_operation_dispose    (MaphexWindow *self);
/* TRUE when the window must not close now: an operation runs on its
 * document and no other window shows it; asks whether to cancel or wait. */
gboolean _maphex_window_ask_close_while_busy (MaphexWindow *self);
/* The bar shows work that is not the document's (the read of a snapshot
 * that opens in a new window): `name`, then the progress given (total <= 0:
 * the bytes so far, pulsing), and its Cancel cancels `cancellable`. The
 * document's own operation, if one starts meanwhile, comes first. */
void     _maphex_window_begin_task    (MaphexWindow *self, const char *name,
                                       GCancellable *cancellable);
void     _maphex_window_task_progress (MaphexWindow *self, gint64 done, gint64 total);
void     _maphex_window_end_task      (MaphexWindow *self);
/* "1.2 GiB of 4.0 GiB, about 3 seconds left" */
char    *_maphex_window_format_progress      (gint64 done, gint64 total, gint64 elapsed_us);

G_END_DECLS
