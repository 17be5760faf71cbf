/* maphex-find-bar-search.c: the find bar's searches: the query its controls
 * describe, running next/previous and Find All, their progress, and showing
 * a match.
 *
 * Next/previous run one maphex_document_search_async() each and wrap at the
 * ends with a second one. Find All counts every match with
 * maphex_document_search_all_async() and keeps them, so that next and
 * previous then step through them ("Match 3 of 17") until the pattern or the
 * document changes. A match's length is the one the search reports (a regex
 * match has its own; one cut to MAPHEX_SEARCH_REGEX_MAX_MATCH is said so).
 *
 * It reads the controls but builds, arranges or connects none of them
 * (maphex-find-bar.c does). */
#include "maphex-find-bar-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define PROGRESS_DELAY_MS  300
#define FIND_ALL_MAX       (1u << 20)

/* ---- the running search ---- */

void
_maphex_find_bar_clear_results (MaphexFindBar *self)
{
  g_clear_pointer (&self->results, g_array_unref);
  self->results_total = 0;
  self->results_cut = FALSE;
  if (self->results_doc != NULL)
    {
      g_clear_signal_handler (&self->bytes_changed_id, self->results_doc);
      g_clear_signal_handler (&self->length_id, self->results_doc);
      g_object_remove_weak_pointer (G_OBJECT (self->results_doc),
                                    (gpointer *) &self->results_doc);
      self->results_doc = NULL;
    }
  /* A finalized document took its handlers with it. */
  self->bytes_changed_id = 0;
  self->length_id = 0;
}

static void
stop_progress (MaphexFindBar *self)
{
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_widget_set_visible (self->progress, FALSE);
}

gboolean
_maphex_find_bar_is_searching (MaphexFindBar *self)
{
  return self->cancellable != NULL;
}

void
_maphex_find_bar_cancel_search (MaphexFindBar *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->filling_list)
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

      self->filling_list = FALSE;
      maphex_results_list_finish (self->results_list, 0, cancelled);
    }
  g_clear_pointer (&self->search_query, maphex_search_query_unref);
  stop_progress (self);
}

/* ---- the query ---- */

static MaphexSearchQuery *
build_hex_query (const char *text,
                 GError    **error)
{
  g_autoptr(GBytes) bytes = maphex_parse_hex_bytes (text, error);

  return bytes != NULL ? maphex_search_query_new_bytes (bytes, FALSE, error) : NULL;
}

/* `local`'s message after what was wrong, "Invalid hex: ...", into *error. */
static void
set_pattern_error (GError        **error,
                   const GError   *local,
                   MaphexFindMode  mode)
{
  switch (mode)
    {
    case MAPHEX_FIND_MODE_HEX:
      /* Translators: %s says what is wrong with the hex bytes. */
      g_set_error (error, local->domain, local->code, _("Invalid hex: %s"), local->message);
      break;
    case MAPHEX_FIND_MODE_WILDCARD:
      /* Translators: %s says what is wrong with the wildcard pattern. */
      g_set_error (error, local->domain, local->code, _("Invalid pattern: %s"), local->message);
      break;
    case MAPHEX_FIND_MODE_REGEX:
      /* Translators: %s is GLib's reason, "missing closing parenthesis at char 1". */
      g_set_error (error, local->domain, local->code, _("Invalid regular expression: %s"),
                   local->message);
      break;
    case MAPHEX_FIND_MODE_TEXT:
    default:
      g_set_error_literal (error, local->domain, local->code, local->message);
      break;
    }
}

MaphexSearchQuery *
maphex_find_bar_build_query (MaphexFindBar *self,
                             GError       **error)
{
  const char *text;
  g_autoptr(GError) local = NULL;
  MaphexSearchQuery *query = NULL;
  MaphexFindMode mode;

  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  mode = _maphex_find_bar_get_mode (self);
  switch (mode)
    {
    case MAPHEX_FIND_MODE_TEXT:
      query = maphex_search_query_new_text (
        text, gtk_drop_down_get_selected (GTK_DROP_DOWN (self->encoding_dropdown)),
        !gtk_check_button_get_active (GTK_CHECK_BUTTON (self->case_check)), &local);
      break;
    case MAPHEX_FIND_MODE_HEX:
      query = build_hex_query (text, &local);
      break;
    case MAPHEX_FIND_MODE_WILDCARD:
      query = maphex_search_query_new_wildcard (text, &local);
      break;
    case MAPHEX_FIND_MODE_REGEX:
      query = maphex_search_query_new_regex (text, &local);
      break;
    }

  if (query == NULL)
    {
      g_assert (local != NULL);
      /* "Enter a regular expression" needs no "Invalid". */
      set_pattern_error (error, local, text[0] != '\0' ? mode : MAPHEX_FIND_MODE_TEXT);
    }
  return query;
}

/* The bar's query, or NULL with the reason shown (and no search). */
static MaphexSearchQuery *
get_query (MaphexFindBar *self)
{
  g_autoptr(GError) error = NULL;
  MaphexSearchQuery *query = maphex_find_bar_build_query (self, &error);

  if (query == NULL)
    _maphex_find_bar_set_message (self, error->message, TRUE);
  return query;
}

/* Whether a match is a regex match cut to the longest one reported. */
static gboolean
is_cut (MaphexSearchQuery *query,
        gint64             length)
{
  return maphex_search_query_get_kind (query) == MAPHEX_SEARCH_REGEX &&
         length >= MAPHEX_SEARCH_REGEX_MAX_MATCH;
}

/* "<message> · Match cut to 64.0 KiB, ..." when `cut`, else `message`. */
static void
set_match_message (MaphexFindBar *self,
                   const char    *message,
                   gboolean       cut)
{
  g_autofree char *max = NULL;
  g_autofree char *text = NULL;

  if (!cut)
    {
      _maphex_find_bar_set_message (self, message, FALSE);
      return;
    }
  max = g_format_size_full (MAPHEX_SEARCH_REGEX_MAX_MATCH, G_FORMAT_SIZE_IEC_UNITS);
  if (message != NULL && message[0] != '\0')
    /* Translators: %s is a notice ("Match 3 of 17"), then a size ("64.0 KiB"). */
    text = g_strdup_printf (_("%s · Matches cut to %s, the longest a regular expression match can be"),
                            message, max);
  else
    /* Translators: %s is a size, "64.0 KiB". */
    text = g_strdup_printf (_("Match cut to %s, the longest a regular expression match can be"), max);
  _maphex_find_bar_set_message (self, text, FALSE);
}

/* ---- progress ---- */

static gboolean
show_progress_cb (gpointer data)
{
  MaphexFindBar *self = data;

  self->progress_timeout = 0;
  _maphex_find_bar_set_message (self, self->progress_label, FALSE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), self->fraction);
  gtk_widget_set_visible (self->progress, TRUE);
  return G_SOURCE_REMOVE;
}

/* The progress bar and `label` show only once the search has taken a
 * moment, so that quick searches do not flicker. */
static void
start_progress (MaphexFindBar *self,
                const char    *label)
{
  stop_progress (self);
  self->fraction = 0.0;
  self->progress_label = label;
  self->progress_timeout = g_timeout_add (PROGRESS_DELAY_MS, show_progress_cb, self);
}

void
_maphex_find_bar_on_progress (double   fraction,
                              gpointer data)
{
  MaphexFindBar *self = data;

  self->fraction = fraction;
  if (gtk_widget_get_visible (self->progress))
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), fraction);
}

/* ---- showing a match ---- */

static void
show_match (MaphexFindBar *self,
            gint64         offset,
            gint64         len)
{
  if (self->view != NULL)
    maphex_hex_view_jump_to (self->view, offset, offset + len);
}

/* Where next/previous start: just after the selection's start (so a
 * selected match is not found again), or at the cursor. */
static gint64
search_origin (MaphexFindBar *self,
               gboolean       backwards)
{
  gint64 start = 0, end = 0;

  if (self->view == NULL)
    return 0;
  maphex_hex_view_get_selection (self->view, &start, &end);
  if (start != end)
    return backwards ? start : start + 1;
  return maphex_hex_view_get_cursor (self->view);
}

/* ---- next / previous ---- */

typedef struct {
  MaphexFindBar *self;     /* a reference */
  GCancellable  *cancellable;
} SearchCall;

static SearchCall *
search_call_new (MaphexFindBar *self)
{
  SearchCall *call = g_new0 (SearchCall, 1);

  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->cancellable);
  return call;
}

static void
search_call_free (SearchCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

gboolean
_maphex_find_bar_end_search (MaphexFindBar *self,
                             GCancellable  *cancellable)
{
  if (self->cancellable != cancellable)
    return FALSE;
  g_clear_object (&self->cancellable);
  stop_progress (self);
  return TRUE;
}

/* The call is still the bar's current search; it stops being so now. */
static gboolean
search_call_finish (SearchCall *call)
{
  return _maphex_find_bar_end_search (call->self, call->cancellable);
}

GCancellable *
_maphex_find_bar_begin_search (MaphexFindBar *self,
                               const char    *label)
{
  _maphex_find_bar_cancel_search (self);
  self->cancellable = g_cancellable_new ();
  start_progress (self, label);
  return g_object_ref (self->cancellable);
}

static void
find_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  SearchCall *call = data;
  MaphexFindBar *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexSearchQuery) query = NULL;
  gint64 offset, length = 0;

  offset = maphex_document_search_finish (MAPHEX_DOCUMENT (source), result, &length, &error);
  query = self->search_query != NULL ? maphex_search_query_ref (self->search_query) : NULL;
  if (!search_call_finish (call))
    {
      search_call_free (call);
      return;
    }

  if (error != NULL)
    {
      _maphex_find_bar_report_search_error (self, error);
    }
  else if (offset >= 0)
    {
      show_match (self, offset, length);
      set_match_message (self,
                         !self->search_wrapped ? NULL
                         : self->search_backwards ? _("Wrapped to the end") : _("Wrapped to the start"),
                         is_cut (query, length));
    }
  else if (!self->search_wrapped &&
           (self->search_backwards
            ? self->search_from < maphex_document_get_length (MAPHEX_DOCUMENT (source))
            : self->search_from > 0))
    {
      /* Nothing between here and the end: go round once. */
      _maphex_find_bar_start_find (self, query, self->search_backwards, TRUE,
                  self->search_backwards ? maphex_document_get_length (MAPHEX_DOCUMENT (source)) : 0);
    }
  else
    _maphex_find_bar_set_message (self, _("Not found"), FALSE);

  search_call_free (call);
}

/* `query` NULL: the bar's. */
void
_maphex_find_bar_start_find (MaphexFindBar     *self,
            MaphexSearchQuery *query,
            gboolean           backwards,
            gboolean           wrapped,
            gint64             from)
{
  MaphexDocument *doc = _maphex_find_bar_get_document (self);

  if (doc == NULL)
    return;
  query = query != NULL ? maphex_search_query_ref (query) : get_query (self);
  if (query == NULL)
    return;

  g_object_unref (_maphex_find_bar_begin_search (self, _("Searching…")));
  self->search_query = query;
  self->search_backwards = backwards;
  self->search_wrapped = wrapped;
  self->search_from = from;

  maphex_document_search_async (doc, query, from, backwards,
                                _maphex_find_bar_on_progress, self, self->cancellable,
                                find_done, search_call_new (self));
}

/* Steps through Find All's offsets. FALSE when they do not cover the step
 * (no results, or past the stored ones) and a plain search must do it. */
static gboolean
step_results (MaphexFindBar *self,
              gboolean       backwards,
              gint64         origin)
{
  guint lo = 0, hi, index;
  gboolean wrapped = FALSE;
  g_autofree char *total = NULL;
  g_autofree char *msg = NULL;
  const MaphexSearchMatch *match;

  if (self->results == NULL || self->results_doc != _maphex_find_bar_get_document (self) ||
      self->results->len == 0)
    return FALSE;

  /* First stored offset >= origin. */
  hi = self->results->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->results, MaphexSearchMatch, mid).offset < origin)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (backwards)
    {
      if (lo == 0)
        {
          if (self->results_total > self->results->len)
            return FALSE;
          index = self->results->len - 1;
          wrapped = TRUE;
        }
      else
        index = lo - 1;
    }
  else
    {
      if (lo == self->results->len)
        {
          if (self->results_total > self->results->len)
            return FALSE;
          index = 0;
          wrapped = TRUE;
        }
      else
        index = lo;
    }

  _maphex_find_bar_cancel_search (self);
  match = &g_array_index (self->results, MaphexSearchMatch, index);
  show_match (self, match->offset, match->length);
  total = g_strdup_printf ("%" G_GUINT64_FORMAT, self->results_total);
  if (wrapped && backwards)
    msg = g_strdup_printf (_("Match %u of %s (wrapped to the end)"), index + 1, total);
  else if (wrapped)
    msg = g_strdup_printf (_("Match %u of %s (wrapped to the start)"), index + 1, total);
  else
    msg = g_strdup_printf (_("Match %u of %s"), index + 1, total);
  set_match_message (self, msg, self->results_cut && match->length >= MAPHEX_SEARCH_REGEX_MAX_MATCH);
  return TRUE;
}

void
maphex_find_bar_find_next (MaphexFindBar *self,
                           gboolean       backwards)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  /* F3 with nothing to look for yet: ask for it. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->entry))[0] == '\0')
    {
      maphex_find_bar_open (self);
      return;
    }
  /* The notices ("Wrapped to the start", "Not found") need the bar shown. */
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  if (step_results (self, backwards, search_origin (self, backwards)))
    return;
  _maphex_find_bar_start_find (self, NULL, backwards, FALSE, search_origin (self, backwards));
}

/* ---- find all ---- */

static void
on_results_invalid (MaphexFindBar *self)
{
  _maphex_find_bar_clear_results (self);
}

/* A batch of Find All's matches, on the main thread, as they are found. */
static void
on_matches (const MaphexSearchMatch *matches,
            guint                    n_matches,
            gpointer                 data)
{
  MaphexFindBar *self = data;

  for (guint i = 0; i < n_matches && !self->results_cut; i++)
    self->results_cut = is_cut (self->search_query, matches[i].length);
  if (self->filling_list)
    maphex_results_list_add (self->results_list, matches, n_matches);
}

static void
find_all_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  SearchCall *call = data;
  MaphexFindBar *self = call->self;
  MaphexDocument *doc = MAPHEX_DOCUMENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  guint64 total = 0;

  matches = maphex_document_search_all_finish (doc, result, &total, &error);
  if (!search_call_finish (call))
    {
      search_call_free (call);
      return;
    }
  if (self->filling_list)
    {
      self->filling_list = FALSE;
      maphex_results_list_finish (self->results_list, total, error);
    }

  if (matches == NULL)
    {
      _maphex_find_bar_report_search_error (self, error);
    }
  else if (total == 0)
    _maphex_find_bar_set_message (self, _("Not found"), FALSE);
  else
    {
      self->results = g_steal_pointer (&matches);
      self->results_total = total;
      self->results_doc = doc;
      g_object_add_weak_pointer (G_OBJECT (doc), (gpointer *) &self->results_doc);
      self->bytes_changed_id =
        g_signal_connect_object (doc, "bytes-changed", G_CALLBACK (on_results_invalid),
                                 self, G_CONNECT_SWAPPED);
      self->length_id =
        g_signal_connect_object (doc, "notify::length", G_CALLBACK (on_results_invalid),
                                 self, G_CONNECT_SWAPPED);
      /* Go to the first match from the cursor on, and say which it is. */
      step_results (self, FALSE,
                    self->view != NULL ? maphex_hex_view_get_cursor (self->view) : 0);
    }

  search_call_free (call);
}

void
maphex_find_bar_find_all (MaphexFindBar *self)
{
  MaphexDocument *doc;
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  doc = _maphex_find_bar_get_document (self);
  MaphexSearchQuery *query;

  if (doc == NULL)
    return;
  query = get_query (self);
  if (query == NULL)
    return;

  _maphex_find_bar_cancel_search (self);
  _maphex_find_bar_clear_results (self);
  self->cancellable = g_cancellable_new ();
  self->search_query = query;
  start_progress (self, _("Counting…"));
  if (self->results_list != NULL)
    {
      maphex_results_list_begin (self->results_list);
      self->filling_list = TRUE;
    }

  maphex_document_search_all_async (doc, query, FIND_ALL_MAX,
                                    _maphex_find_bar_on_progress, self, on_matches, self, self->cancellable,
                                    find_all_done, search_call_new (self));
  g_signal_emit_by_name (self, "find-all-started");
}

void
_maphex_find_bar_report_search_error (MaphexFindBar *self,
                                      const GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _maphex_find_bar_set_message (self, _("Search cancelled"), FALSE);
  else
    _maphex_find_bar_set_message (self, error->message, TRUE);
}
