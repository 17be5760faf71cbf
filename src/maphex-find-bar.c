/* maphex-find-bar.c: the find bar (Ctrl+F) of one window.
 *
 * Built in code rather than from a template: it lives in the widget library,
 * which the widget tests link without the application's resources.
 *
 * Next/previous run one maphex_document_find_async() each and wrap at the
 * ends with a second one. Find All counts every match with
 * maphex_document_find_all_async() and keeps the offsets, so that next and
 * previous then step through them ("Match 3 of 17") until the pattern or the
 * document changes.
 */
#include "maphex-find-bar.h"

#include <glib/gi18n.h>
#include <string.h>

#define PROGRESS_DELAY_MS  300
#define FIND_ALL_MAX       (1u << 20)
#define PREFILL_MAX        64

struct _MaphexFindBar {
  GtkWidget       parent_instance;

  GtkWidget      *entry;
  GtkWidget      *hex_toggle;
  GtkWidget      *text_toggle;
  GtkWidget      *case_check;
  GtkWidget      *prev_button;
  GtkWidget      *next_button;
  GtkWidget      *all_button;
  GtkWidget      *message;
  GtkWidget      *progress;
  GtkWidget      *close_button;

  MaphexHexView  *view;

  /* The running search, if any. */
  GCancellable   *cancellable;
  guint           progress_timeout;
  double          fraction;
  const char     *progress_label;  /* static */
  gint64          search_len;      /* the needle's length */
  gboolean        search_backwards;
  gboolean        search_wrapped;
  gint64          search_from;

  /* Find All results, valid for `results_doc` until a change. */
  GArray         *results;         /* gint64 offsets, sorted */
  guint64         results_total;
  gint64          results_len;
  MaphexDocument *results_doc;     /* weak: compared, never dereferenced */
  gulong          bytes_changed_id;
  gulong          length_id;
};

G_DEFINE_FINAL_TYPE (MaphexFindBar, maphex_find_bar, GTK_TYPE_WIDGET)

static void start_find (MaphexFindBar *self, gboolean backwards, gboolean wrapped, gint64 from);

/* ---- state ---- */

static MaphexDocument *
get_document (MaphexFindBar *self)
{
  return self->view != NULL ? maphex_hex_view_get_document (self->view) : NULL;
}

static gboolean
is_hex_mode (MaphexFindBar *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->hex_toggle));
}

static void
set_message (MaphexFindBar *self,
             const char    *text,
             gboolean       is_error)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  if (is_error)
    {
      gtk_widget_add_css_class (self->message, "error");
      gtk_widget_remove_css_class (self->message, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (self->message, "error");
      gtk_widget_add_css_class (self->message, "dim-label");
    }
}

static void
clear_results (MaphexFindBar *self)
{
  g_clear_pointer (&self->results, g_array_unref);
  self->results_total = 0;
  self->results_len = 0;
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

static gboolean
is_searching (MaphexFindBar *self)
{
  return self->cancellable != NULL;
}

static void
cancel_search (MaphexFindBar *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  stop_progress (self);
}

static void
update_sensitivity (MaphexFindBar *self)
{
  gboolean hex = is_hex_mode (self);

  gtk_widget_set_sensitive (self->case_check, !hex);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry),
                                  hex ? _("Find hex bytes: DE AD be ef") : _("Find text"));
}

/* The pattern as bytes, or NULL with the message shown (and no search). */
static GBytes *
get_needle (MaphexFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (is_hex_mode (self))
    {
      g_autoptr(GError) error = NULL;
      GBytes *bytes = maphex_parse_hex_bytes (text, &error);

      if (bytes == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("Invalid hex: %s"), error->message);
          set_message (self, msg, TRUE);
        }
      return bytes;
    }

  if (text[0] == '\0')
    {
      set_message (self, _("Enter text to find"), FALSE);
      return NULL;
    }
  return g_bytes_new (text, strlen (text));
}

static gboolean
get_ignore_case (MaphexFindBar *self)
{
  return !is_hex_mode (self) &&
         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->case_check));
}

/* ---- progress ---- */

static gboolean
show_progress_cb (gpointer data)
{
  MaphexFindBar *self = data;

  self->progress_timeout = 0;
  set_message (self, self->progress_label, FALSE);
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

static void
on_progress (double   fraction,
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

/* The call is still the bar's current search; it stops being so now. */
static gboolean
search_call_finish (SearchCall *call)
{
  MaphexFindBar *self = call->self;

  if (self->cancellable != call->cancellable)
    return FALSE;
  g_clear_object (&self->cancellable);
  stop_progress (self);
  return TRUE;
}

static void
find_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  SearchCall *call = data;
  MaphexFindBar *self = call->self;
  g_autoptr(GError) error = NULL;
  gint64 offset;

  offset = maphex_document_find_finish (MAPHEX_DOCUMENT (source), result, &error);
  if (!search_call_finish (call))
    {
      search_call_free (call);
      return;
    }

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, _("Search cancelled"), FALSE);
      else
        set_message (self, error->message, TRUE);
    }
  else if (offset >= 0)
    {
      show_match (self, offset, self->search_len);
      if (self->search_wrapped)
        set_message (self, self->search_backwards ? _("Wrapped to the end") : _("Wrapped to the start"),
                     FALSE);
      else
        set_message (self, NULL, FALSE);
    }
  else if (!self->search_wrapped &&
           (self->search_backwards
            ? self->search_from < maphex_document_get_length (MAPHEX_DOCUMENT (source))
            : self->search_from > 0))
    {
      /* Nothing between here and the end: go round once. */
      start_find (self, self->search_backwards, TRUE,
                  self->search_backwards ? maphex_document_get_length (MAPHEX_DOCUMENT (source)) : 0);
    }
  else
    set_message (self, _("Not found"), FALSE);

  search_call_free (call);
}

static void
start_find (MaphexFindBar *self,
            gboolean       backwards,
            gboolean       wrapped,
            gint64         from)
{
  MaphexDocument *doc = get_document (self);
  g_autoptr(GBytes) needle = NULL;

  if (doc == NULL)
    return;
  needle = get_needle (self);
  if (needle == NULL)
    return;

  cancel_search (self);
  self->cancellable = g_cancellable_new ();
  self->search_len = (gint64) g_bytes_get_size (needle);
  self->search_backwards = backwards;
  self->search_wrapped = wrapped;
  self->search_from = from;
  start_progress (self, _("Searching…"));

  maphex_document_find_async (doc, needle, get_ignore_case (self), from, backwards,
                              on_progress, self, self->cancellable,
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

  if (self->results == NULL || self->results_doc != get_document (self) ||
      self->results->len == 0)
    return FALSE;

  /* First stored offset >= origin. */
  hi = self->results->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->results, gint64, mid) < origin)
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

  cancel_search (self);
  show_match (self, g_array_index (self->results, gint64, index), self->results_len);
  total = g_strdup_printf ("%" G_GUINT64_FORMAT, self->results_total);
  if (wrapped && backwards)
    msg = g_strdup_printf (_("Match %u of %s (wrapped to the end)"), index + 1, total);
  else if (wrapped)
    msg = g_strdup_printf (_("Match %u of %s (wrapped to the start)"), index + 1, total);
  else
    msg = g_strdup_printf (_("Match %u of %s"), index + 1, total);
  set_message (self, msg, FALSE);
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
  start_find (self, backwards, FALSE, search_origin (self, backwards));
}

/* ---- find all ---- */

static void
on_results_invalid (MaphexFindBar *self)
{
  clear_results (self);
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
  g_autoptr(GArray) offsets = NULL;
  guint64 total = 0;

  offsets = maphex_document_find_all_finish (doc, result, &total, &error);
  if (!search_call_finish (call))
    {
      search_call_free (call);
      return;
    }

  if (offsets == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, _("Search cancelled"), FALSE);
      else
        set_message (self, error->message, TRUE);
    }
  else if (total == 0)
    set_message (self, _("Not found"), FALSE);
  else
    {
      self->results = g_steal_pointer (&offsets);
      self->results_total = total;
      self->results_len = self->search_len;
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
  doc = get_document (self);
  g_autoptr(GBytes) needle = NULL;

  if (doc == NULL)
    return;
  needle = get_needle (self);
  if (needle == NULL)
    return;

  cancel_search (self);
  clear_results (self);
  self->cancellable = g_cancellable_new ();
  self->search_len = (gint64) g_bytes_get_size (needle);
  start_progress (self, _("Counting…"));

  maphex_document_find_all_async (doc, needle, get_ignore_case (self), FIND_ALL_MAX,
                                  on_progress, self, self->cancellable,
                                  find_all_done, search_call_new (self));
}

/* ---- signals and actions ---- */

static void
on_pattern_changed (MaphexFindBar *self)
{
  clear_results (self);
  if (!is_searching (self))
    set_message (self, NULL, FALSE);
  update_sensitivity (self);
}

static void
on_entry_activate (MaphexFindBar *self)
{
  maphex_find_bar_find_next (self, FALSE);
}

static void
escape (MaphexFindBar *self)
{
  if (is_searching (self))
    {
      cancel_search (self);
      set_message (self, _("Search cancelled"), FALSE);
    }
  else
    maphex_find_bar_close (self);
}

static gboolean
on_entry_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      MaphexFindBar         *self)
{
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      maphex_find_bar_find_next (self, (state & GDK_SHIFT_MASK) != 0);
      return TRUE;
    }
  return FALSE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MaphexFindBar         *self)
{
  if (keyval == GDK_KEY_Escape)
    {
      escape (self);
      return TRUE;
    }
  return FALSE;
}

static void
action_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  maphex_find_bar_find_next (MAPHEX_FIND_BAR (widget), FALSE);
}

static void
action_previous (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  maphex_find_bar_find_next (MAPHEX_FIND_BAR (widget), TRUE);
}

static void
action_find_all (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  maphex_find_bar_find_all (MAPHEX_FIND_BAR (widget));
}

static void
action_escape (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  escape (MAPHEX_FIND_BAR (widget));
}

static void
action_close (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  maphex_find_bar_close (MAPHEX_FIND_BAR (widget));
}

/* ---- construction ---- */

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
maphex_find_bar_init (MaphexFindBar *self)
{
  GtkWidget *modes;
  GtkEventController *key;

  /* Here rather than in _new(): templates create the bar with g_object_new(). */
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);

  self->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _("Find hex bytes: DE AD be ef"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Find"), -1);
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));

  modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (modes, "linked");
  self->hex_toggle = gtk_toggle_button_new_with_label (_("Hex"));
  gtk_widget_set_tooltip_text (self->hex_toggle, _("Search for hex bytes"));
  self->text_toggle = gtk_toggle_button_new_with_label (_("Text"));
  gtk_widget_set_tooltip_text (self->text_toggle, _("Search for text"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->text_toggle),
                               GTK_TOGGLE_BUTTON (self->hex_toggle));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->hex_toggle), TRUE);
  gtk_box_append (GTK_BOX (modes), self->hex_toggle);
  gtk_box_append (GTK_BOX (modes), self->text_toggle);
  gtk_widget_set_parent (modes, GTK_WIDGET (self));

  self->case_check = gtk_check_button_new_with_mnemonic (_("_Ignore case"));
  gtk_widget_set_tooltip_text (self->case_check, _("Match A–Z and a–z alike (text only)"));
  gtk_widget_set_parent (self->case_check, GTK_WIDGET (self));

  self->prev_button = icon_button ("go-up-symbolic", _("Previous match (Shift+Enter)"),
                                   "find-bar.previous");
  gtk_widget_set_parent (self->prev_button, GTK_WIDGET (self));
  self->next_button = icon_button ("go-down-symbolic", _("Next match (Enter)"), "find-bar.next");
  gtk_widget_set_parent (self->next_button, GTK_WIDGET (self));
  self->all_button = gtk_button_new_with_mnemonic (_("Find _All"));
  gtk_widget_set_tooltip_text (self->all_button, _("Count every match, then step through them"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->all_button), "find-bar.find-all");
  gtk_widget_set_parent (self->all_button, GTK_WIDGET (self));

  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (self->message), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (self->message), 24);
  gtk_widget_add_css_class (self->message, "dim-label");
  gtk_widget_set_parent (self->message, GTK_WIDGET (self));

  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_valign (self->progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (self->progress, 80, -1);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_widget_set_parent (self->progress, GTK_WIDGET (self));

  self->close_button = icon_button ("window-close-symbolic", _("Close (Escape)"), "find-bar.close");
  gtk_widget_add_css_class (self->close_button, "flat");
  gtk_widget_set_parent (self->close_button, GTK_WIDGET (self));

  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_pattern_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  g_signal_connect_swapped (self->hex_toggle, "toggled", G_CALLBACK (on_pattern_changed), self);
  g_signal_connect_swapped (self->case_check, "toggled", G_CALLBACK (on_pattern_changed), self);

  /* Capture phase: Enter and Shift+Enter before the entry's text sees them. */
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_entry_key_pressed), self);
  gtk_widget_add_controller (self->entry, key);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  update_sensitivity (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
maphex_find_bar_dispose (GObject *object)
{
  MaphexFindBar *self = MAPHEX_FIND_BAR (object);
  GtkWidget *child;

  cancel_search (self);
  clear_results (self);
  g_clear_object (&self->view);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (maphex_find_bar_parent_class)->dispose (object);
}

static void
maphex_find_bar_class_init (MaphexFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_find_bar_dispose;

  gtk_widget_class_install_action (widget_class, "find-bar.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "find-bar.previous", NULL, action_previous);
  gtk_widget_class_install_action (widget_class, "find-bar.find-all", NULL, action_find_all);
  gtk_widget_class_install_action (widget_class, "find-bar.escape", NULL, action_escape);
  gtk_widget_class_install_action (widget_class, "find-bar.close", NULL, action_close);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "findbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SEARCH);
}

/* ---- public ---- */

GtkWidget *
maphex_find_bar_new (void)
{
  return g_object_new (MAPHEX_TYPE_FIND_BAR, NULL);
}

void
maphex_find_bar_set_view (MaphexFindBar *self,
                          MaphexHexView *view)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (view == NULL || MAPHEX_IS_HEX_VIEW (view));

  if (self->view == view)
    return;
  cancel_search (self);
  clear_results (self);
  g_set_object (&self->view, view);
  set_message (self, NULL, FALSE);
}

/* Pre-fills the entry from a short selection. */
static void
prefill_from_selection (MaphexFindBar *self)
{
  MaphexDocument *doc = get_document (self);
  gint64 start = 0, end = 0;
  guint8 buf[PREFILL_MAX];
  gsize n;
  gboolean printable = TRUE;
  g_autofree char *text = NULL;

  if (doc == NULL)
    return;
  maphex_hex_view_get_selection (self->view, &start, &end);
  if (end <= start || end - start > PREFILL_MAX)
    return;
  n = (gsize) (end - start);
  if (!maphex_document_read (doc, start, buf, n, NULL))
    return;

  for (gsize i = 0; i < n; i++)
    if (buf[i] < 0x20 || buf[i] > 0x7e)
      printable = FALSE;

  if (!is_hex_mode (self) && printable)
    text = g_strndup ((const char *) buf, n);
  else
    {
      GString *s = g_string_sized_new (n * 3);

      for (gsize i = 0; i < n; i++)
        g_string_append_printf (s, i == 0 ? "%02X" : " %02X", buf[i]);
      text = g_string_free (s, FALSE);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->hex_toggle), TRUE);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
maphex_find_bar_open (MaphexFindBar *self)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    prefill_from_selection (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
maphex_find_bar_close (MaphexFindBar *self)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  cancel_search (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (self->view != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

gboolean
maphex_find_bar_is_open (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self));
}

void
maphex_find_bar_set_pattern (MaphexFindBar *self,
                             const char    *text,
                             gboolean       hex,
                             gboolean       ignore_case)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (hex ? self->hex_toggle : self->text_toggle), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->case_check), ignore_case);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

const char *
maphex_find_bar_get_message (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
maphex_find_bar_is_searching (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return is_searching (self);
}

gboolean
maphex_find_bar_get_progress_visible (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return gtk_widget_get_visible (self->progress);
}
