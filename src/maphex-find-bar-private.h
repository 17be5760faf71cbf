/* maphex-find-bar-private.h: the find bar's guts, shared by
 * maphex-find-bar.c (the widget) and maphex-find-bar-search.c (the searches). */
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

/* maphex-find-bar-search.c */
/* Forgets Find All's offsets (the pattern or the document changed). */
void     _maphex_find_bar_clear_results (MaphexFindBar *self);
/* TRUE while a search or a count runs. */
gboolean _maphex_find_bar_is_searching  (MaphexFindBar *self);
/* Cancels the running search, if any, and hides the progress. */
void     _maphex_find_bar_cancel_search (MaphexFindBar *self);

G_END_DECLS
