/* maphex-find-bar-private.h: the find bar's guts, shared by
 * maphex-find-bar.c (the widget), maphex-find-bar-search.c (the searches)
 * and maphex-find-bar-replace.c (the replace row). */
#pragma once

#include "maphex-find-bar.h"

G_BEGIN_DECLS

struct _MaphexFindBar {
  GtkWidget       parent_instance;

  GtkWidget      *entry;
  GtkWidget      *mode_dropdown;      /* MaphexFindMode */
  GtkWidget      *encoding_dropdown;  /* MaphexTextEncoding; Text only */
  GtkWidget      *case_check;         /* Match case; Text only */
  GtkWidget      *prev_button;
  GtkWidget      *next_button;
  GtkWidget      *all_button;
  GtkWidget      *message;
  GtkWidget      *progress;
  GtkWidget      *close_button;

  /* The replace row (maphex-find-bar-replace.c), under the find row. */
  GtkWidget      *replace_entry;
  GtkWidget      *replace_buttons;  /* a box: Replace, Replace All */
  GtkWidget      *replace_button;
  GtkWidget      *replace_all_button;
  MaphexDocument *replace_doc;      /* weak: whose "busy" the row follows */
  gulong          replace_busy_id;
  gulong          replace_view_id;  /* the view's notify::document */
  gboolean        replacing;        /* Replace's write of the selection runs */
  gboolean        replacing_all;    /* a Replace All of this bar runs */

  MaphexHexView  *view;
  MaphexResultsList *results_list; /* nullable; Find All fills it */
  gboolean        filling_list;    /* a Find All feeds results_list */

  /* The running search, if any. */
  GCancellable   *cancellable;
  guint           progress_timeout;
  double          fraction;
  const char     *progress_label;  /* static */
  MaphexSearchQuery *search_query; /* kept for the wrapped second search */
  gboolean        search_backwards;
  gboolean        search_wrapped;
  gint64          search_from;

  /* Find All results, valid for `results_doc` until a change. */
  GArray         *results;         /* MaphexSearchMatch, sorted */
  guint64         results_total;
  gboolean        results_cut;     /* some regex match was cut to the maximum */
  MaphexDocument *results_doc;     /* weak: compared, never dereferenced */
  gulong          bytes_changed_id;
  gulong          length_id;
};

/* maphex-find-bar.c */
/* The view's document, or NULL without a view. */
MaphexDocument *_maphex_find_bar_get_document (MaphexFindBar *self);
/* The mode the drop down shows. */
MaphexFindMode _maphex_find_bar_get_mode (MaphexFindBar *self);
/* The inline message; NULL clears it. Errors are styled as such. */
void     _maphex_find_bar_set_message (MaphexFindBar *self, const char *text, gboolean is_error);
/* A search that failed: "Search cancelled" for a cancel, else its error. */
void     _maphex_find_bar_report_search_error (MaphexFindBar *self, const GError *error);

/* Shows the bar, its pattern pre-filled from a short selection if it was
 * hidden; moves no focus. */
void     _maphex_find_bar_show  (MaphexFindBar *self);
/* Lays out `widget` (a child of the bar) in row `row`, column `column`,
 * `span` columns wide. */
void     _maphex_find_bar_place (MaphexFindBar *self, GtkWidget *widget,
                                 int row, int column, int span);

/* maphex-find-bar-search.c */
/* Forgets Find All's offsets (the pattern or the document changed). */
void     _maphex_find_bar_clear_results (MaphexFindBar *self);
/* TRUE while a search or a count runs. */
gboolean _maphex_find_bar_is_searching  (MaphexFindBar *self);
/* Cancels the running search, if any, and hides the progress. */
void     _maphex_find_bar_cancel_search (MaphexFindBar *self);
/* Next or previous match of `query` from `from` (wrapped: the second,
 * wrapped round search, which says so when it finds), shown in the view. */
void     _maphex_find_bar_start_find (MaphexFindBar *self, MaphexSearchQuery *query,
                                      gboolean backwards, gboolean wrapped, gint64 from);
/* Starts a search of the bar's own (cancelled by Escape, another search or
 * closing; progress after a moment, labelled `label`): a new
 * self->cancellable, returned (a reference for the caller's callback). */
GCancellable *_maphex_find_bar_begin_search (MaphexFindBar *self, const char *label);
/* The progress callback for maphex_document_search_async() (data: the bar). */
void     _maphex_find_bar_on_progress (double fraction, gpointer data);
/* The search of `cancellable` ends: FALSE when it is no longer the bar's
 * (cancelled, or replaced by another), whose result must then be dropped. */
gboolean _maphex_find_bar_end_search (MaphexFindBar *self, GCancellable *cancellable);

/* maphex-find-bar-replace.c */
/* Makes the replace row's children (hidden) and its actions' state. */
void     _maphex_find_bar_replace_init     (MaphexFindBar *self);
void     _maphex_find_bar_replace_dispose  (MaphexFindBar *self);
void     _maphex_find_bar_class_replace_init (GtkWidgetClass *widget_class);
/* The mode changed: the replacement's placeholder follows. */
void     _maphex_find_bar_replace_update_for_mode (MaphexFindBar *self);
/* The bar's view changed (or its document): Replace follows the document. */
void     _maphex_find_bar_replace_view_changed (MaphexFindBar *self);
/* Shows or hides the replace row. */
void     _maphex_find_bar_set_replace_visible (MaphexFindBar *self, gboolean visible);

G_END_DECLS
