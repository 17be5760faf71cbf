/* maphex-find-bar-replace.c: the find bar's replace row (Ctrl+H): the
 * replacement entry and its Replace and Replace All buttons, the bytes the
 * replacement stands for, and running the two.
 *
 * The replacement is read as the pattern is: text in the chosen encoding
 * in Text mode; hex bytes in every other mode (Hex, Hex with wildcards,
 * Regular expression), without wildcards.
 *
 * Replace writes over the selection when it is a match of the query (a
 * search from the selection's start says so, off the main thread), then
 * goes to the next match; otherwise it goes to the next match and writes
 * nothing. A replacement of another length, where the document allows it
 * (write-through), moves the bytes after it in the document's runner. Replace All is the document's (the runner: the window's
 * operation bar shows its progress and Cancel); the bar says how many it
 * replaced, or why it could not, and emits "replace-all-done" with that.
 * Both are refused, the buttons insensitive with the reason as tooltip,
 * in read-only mode and while the document runs a long operation.
 *
 * Must not build or arrange the find row (maphex-find-bar.c does) nor
 * search but through the document. */
#include "maphex-find-bar-private.h"

#include <glib/gi18n.h>
#include <string.h>

static guint replace_all_done_signal;

/* ---- the replacement's bytes ---- */

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* `text` (valid UTF-8) in `encoding`. */
static GBytes *
encode_text (const char         *text,
             MaphexTextEncoding  encoding)
{
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  guint8 *out;

  if (encoding == MAPHEX_TEXT_UTF8)
    return g_bytes_new (text, strlen (text));
  units = g_utf8_to_utf16 (text, -1, NULL, &n_units, NULL);
  g_assert (units != NULL);   /* the entry holds valid UTF-8 */
  out = g_malloc ((gsize) n_units * 2 + 1);
  for (glong i = 0; i < n_units; i++)
    {
      guint8 lo = units[i] & 0xff, hi = units[i] >> 8;

      out[2 * i] = encoding == MAPHEX_TEXT_UTF16LE ? lo : hi;
      out[2 * i + 1] = encoding == MAPHEX_TEXT_UTF16LE ? hi : lo;
    }
  return g_bytes_new_take (out, (gsize) n_units * 2);
}

GBytes *
maphex_find_bar_build_replacement (MaphexFindBar *self,
                                   GError       **error)
{
  const char *text;
  g_autoptr(GError) local = NULL;
  GBytes *bytes;

  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));
  if (_maphex_find_bar_get_mode (self) == MAPHEX_FIND_MODE_TEXT)
    return encode_text (text,
                        gtk_drop_down_get_selected (GTK_DROP_DOWN (self->encoding_dropdown)));
  /* Nothing is no bytes: the document says whether that can replace. */
  if (is_blank (text))
    return g_bytes_new (NULL, 0);
  bytes = maphex_parse_hex_bytes (text, &local);
  if (bytes == NULL)
    /* Translators: %s says what is wrong with the hex bytes. */
    g_set_error (error, local->domain, local->code, _("Invalid replacement: %s"), local->message);
  return bytes;
}

/* ---- when Replace can run ---- */

static gboolean
document_busy (MaphexDocument *doc)
{
  return doc != NULL && maphex_document_get_busy (doc);
}

/* Why nothing can be replaced now, or NULL. */
static const char *
refusal (MaphexFindBar *self)
{
  MaphexDocument *doc = _maphex_find_bar_get_document (self);

  if (doc == NULL)
    return _("Open a file first");
  if (!maphex_document_get_can_edit (doc))
    return _("Read-only: every edit is refused. Reopen the file in another mode to edit it.");
  if (document_busy (doc) || self->replacing || self->replacing_all)
    return _("Wait for the running operation to finish, or cancel it");
  return NULL;
}

static void
update_actions (MaphexFindBar *self)
{
  const char *why = refusal (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-bar.replace", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-bar.replace-all", why == NULL);
  gtk_widget_set_tooltip_text (self->replace_button,
                               why != NULL ? why
                               : _("Replace the selected match, then find the next (Enter)"));
  gtk_widget_set_tooltip_text (self->replace_all_button,
                               why != NULL ? why
                               : _("Replace every match in the file, as one undo step"));
}

/* The refusal shown in the bar; TRUE when there was one. */
static gboolean
refuse (MaphexFindBar *self)
{
  const char *why = refusal (self);

  if (why == NULL)
    return FALSE;
  _maphex_find_bar_set_message (self, why, TRUE);
  return TRUE;
}

static void
unbind_document (MaphexFindBar *self)
{
  if (self->replace_doc == NULL)
    return;
  g_clear_signal_handler (&self->replace_busy_id, self->replace_doc);
  g_object_remove_weak_pointer (G_OBJECT (self->replace_doc), (gpointer *) &self->replace_doc);
  self->replace_doc = NULL;
}

static void
on_view_document (MaphexFindBar *self)
{
  MaphexDocument *doc = _maphex_find_bar_get_document (self);

  if (self->replace_doc != doc)
    {
      unbind_document (self);
      /* A finalized document took its handler with it. */
      self->replace_busy_id = 0;
      if (doc != NULL)
        {
          self->replace_doc = doc;
          g_object_add_weak_pointer (G_OBJECT (doc), (gpointer *) &self->replace_doc);
          self->replace_busy_id =
            g_signal_connect_object (doc, "notify::busy", G_CALLBACK (update_actions),
                                     self, G_CONNECT_SWAPPED);
        }
    }
  update_actions (self);
}

void
_maphex_find_bar_replace_view_changed (MaphexFindBar *self)
{
  if (self->view != NULL)
    self->replace_view_id =
      g_signal_connect_object (self->view, "notify::document", G_CALLBACK (on_view_document),
                               self, G_CONNECT_SWAPPED);
  on_view_document (self);
}

void
_maphex_find_bar_replace_dispose (MaphexFindBar *self)
{
  if (self->view != NULL)
    g_clear_signal_handler (&self->replace_view_id, self->view);
  self->replace_view_id = 0;
  unbind_document (self);
  self->replace_busy_id = 0;
}

/* ---- Replace ---- */

typedef struct {
  MaphexFindBar     *self;          /* a reference */
  MaphexDocument    *doc;           /* a reference */
  GCancellable      *cancellable;
  MaphexSearchQuery *query;
  GBytes            *replacement;
  GBytes            *selected;      /* the selection's bytes when it started */
  gint64             start, end;    /* the selection */
} ReplaceCall;

static void
replace_call_free (ReplaceCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->doc);
  g_object_unref (call->cancellable);
  maphex_search_query_unref (call->query);
  g_bytes_unref (call->replacement);
  g_bytes_unref (call->selected);
  g_free (call);
}

/* The selection is still the one the search started from, over the same
 * bytes (nothing edited them meanwhile). */
static gboolean
selection_unchanged (ReplaceCall *call)
{
  MaphexFindBar *self = call->self;
  gint64 start = 0, end = 0;
  gsize n;
  const guint8 *before = g_bytes_get_data (call->selected, &n);
  g_autofree guint8 *now = NULL;

  if (self->view == NULL || _maphex_find_bar_get_document (self) != call->doc)
    return FALSE;
  maphex_hex_view_get_selection (self->view, &start, &end);
  if (start != call->start || end != call->end)
    return FALSE;
  now = g_malloc (n);
  return maphex_document_read (call->doc, start, now, n, NULL) && memcmp (now, before, n) == 0;
}

/* The selection written (or not): on to the next match after it. */
static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  ReplaceCall *call = data;
  MaphexFindBar *self = call->self;
  g_autoptr(GError) error = NULL;

  self->replacing = FALSE;
  update_actions (self);
  if (!maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &error))
    _maphex_find_bar_set_message (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                        ? _("Replace cancelled: the file is as it was")
                                        : error->message,
                                  !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  else
    _maphex_find_bar_start_find (self, call->query, FALSE, FALSE,
                                 call->start + (gint64) g_bytes_get_size (call->replacement));
  replace_call_free (call);
}

static void
replace_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  ReplaceCall *call = data;
  MaphexFindBar *self = call->self;
  g_autoptr(GError) error = NULL;
  gint64 offset, length = 0;

  offset = maphex_document_search_finish (MAPHEX_DOCUMENT (source), result, &length, &error);
  if (!_maphex_find_bar_end_search (self, call->cancellable))
    {
      replace_call_free (call);
      return;
    }

  if (error != NULL)
    {
      _maphex_find_bar_report_search_error (self, error);
    }
  else if (offset == call->start && length == call->end - call->start &&
           selection_unchanged (call))
    {
      /* The selection is a match: it becomes the replacement, at once,
       * or in the runner when the length changes. */
      self->replacing = TRUE;
      update_actions (self);
      maphex_document_replace_range_async (call->doc, maphex_hex_view_get_export (self->view),
                                           call->start, length, call->replacement, NULL,
                                           replaced_cb, call);
      return;
    }
  else if (offset >= 0)
    {
      /* Not a match: the next one is, replaced on the next press. */
      if (self->view != NULL && _maphex_find_bar_get_document (self) == call->doc)
        maphex_hex_view_jump_to (self->view, offset, offset + length);
      _maphex_find_bar_set_message (self, NULL, FALSE);
    }
  else if (call->start > 0)
    _maphex_find_bar_start_find (self, call->query, FALSE, TRUE, 0);
  else
    _maphex_find_bar_set_message (self, _("Not found"), FALSE);

  replace_call_free (call);
}

/* The query and the replacement the bar describes; on bad input the bar
 * says what is wrong and FALSE comes back. */
static gboolean
build_query_and_replacement (MaphexFindBar      *self,
                             MaphexSearchQuery **query,
                             GBytes            **replacement)
{
  g_autoptr(GError) error = NULL;

  *query = maphex_find_bar_build_query (self, &error);
  if (*query != NULL)
    *replacement = maphex_find_bar_build_replacement (self, &error);
  if (*query == NULL || *replacement == NULL)
    {
      _maphex_find_bar_set_message (self, error->message, TRUE);
      return FALSE;
    }
  return TRUE;
}

void
maphex_find_bar_replace (MaphexFindBar *self)
{
  MaphexDocument *doc;
  g_autoptr(MaphexSearchQuery) query = NULL;
  g_autoptr(GBytes) replacement = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *selected = NULL;
  gint64 start = 0, end = 0;
  ReplaceCall *call;

  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  doc = _maphex_find_bar_get_document (self);
  if (refuse (self) || !build_query_and_replacement (self, &query, &replacement))
    return;

  /* A selection longer than any match is none: go to the next one. */
  maphex_hex_view_get_selection (self->view, &start, &end);
  if (end <= start || end - start > maphex_search_query_get_max_match_length (query))
    {
      maphex_find_bar_find_next (self, FALSE);
      return;
    }
  selected = g_malloc ((gsize) (end - start));
  if (!maphex_document_read (doc, start, selected, (gsize) (end - start), &error))
    {
      _maphex_find_bar_set_message (self, error->message, TRUE);
      return;
    }

  call = g_new0 (ReplaceCall, 1);
  call->self = g_object_ref (self);
  call->doc = g_object_ref (doc);
  call->query = g_steal_pointer (&query);
  call->replacement = g_steal_pointer (&replacement);
  call->selected = g_bytes_new_take (g_steal_pointer (&selected), (gsize) (end - start));
  call->start = start;
  call->end = end;
  call->cancellable = _maphex_find_bar_begin_search (self, _("Searching…"));
  maphex_document_search_async (doc, call->query, start, FALSE,
                                _maphex_find_bar_on_progress, self, call->cancellable,
                                replace_found_cb, call);
}

/* ---- Replace All ---- */

static void
replace_all_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(MaphexFindBar) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean is_error = FALSE;
  gint64 n;

  n = maphex_document_replace_all_finish (MAPHEX_DOCUMENT (source), result, &error);
  self->replacing_all = FALSE;
  update_actions (self);

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup (_("Replace All cancelled: the file is as it was"));
  else if (n < 0)
    {
      message = g_strdup (error->message);
      is_error = TRUE;
    }
  else if (n == 0)
    message = g_strdup (_("Not found: nothing was replaced"));
  else
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n);

      /* Translators: %s is a count of matches, "17". */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replaced %s match",
                                              "Replaced %s matches", (gulong) n), count);
    }
  _maphex_find_bar_set_message (self, message, is_error);
  g_signal_emit (self, replace_all_done_signal, 0, message, is_error);
}

void
maphex_find_bar_replace_all (MaphexFindBar *self)
{
  MaphexDocument *doc;
  g_autoptr(MaphexSearchQuery) query = NULL;
  g_autoptr(GBytes) replacement = NULL;

  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  doc = _maphex_find_bar_get_document (self);
  if (refuse (self) || !build_query_and_replacement (self, &query, &replacement))
    return;

  _maphex_find_bar_cancel_search (self);
  self->replacing_all = TRUE;
  update_actions (self);
  _maphex_find_bar_set_message (self, _("Replacing…"), FALSE);
  maphex_document_replace_all_async (doc, query, replacement, maphex_hex_view_get_export (self->view),
                                     NULL, replace_all_done_cb, g_object_ref (self));
}

gboolean
maphex_find_bar_is_replacing (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return self->replacing || self->replacing_all;
}

/* ---- the row ---- */

void
_maphex_find_bar_replace_update_for_mode (MaphexFindBar *self)
{
  const char *placeholder = NULL;

  switch (_maphex_find_bar_get_mode (self))
    {
    case MAPHEX_FIND_MODE_TEXT:
      placeholder = _("Replace with text (in the chosen encoding)");
      break;
    case MAPHEX_FIND_MODE_HEX:
      placeholder = _("Replace with hex bytes: CA FE");
      break;
    case MAPHEX_FIND_MODE_WILDCARD:
    case MAPHEX_FIND_MODE_REGEX:
      placeholder = _("Replace with hex bytes, no wildcards: CA FE");
      break;
    }
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->replace_entry), placeholder);
}

void
_maphex_find_bar_set_replace_visible (MaphexFindBar *self,
                                      gboolean       visible)
{
  gtk_widget_set_visible (self->replace_entry, visible);
  gtk_widget_set_visible (self->replace_buttons, visible);
  if (visible)
    update_actions (self);
}

static void
on_replacement_changed (MaphexFindBar *self)
{
  /* The error it was given is about the old text. */
  if (!_maphex_find_bar_is_searching (self) && !self->replacing && !self->replacing_all)
    _maphex_find_bar_set_message (self, NULL, FALSE);
}

static void
on_replace_activate (MaphexFindBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "find-bar.replace", NULL);
}

static void
action_replace (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  maphex_find_bar_replace (MAPHEX_FIND_BAR (widget));
}

static void
action_replace_all (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  maphex_find_bar_replace_all (MAPHEX_FIND_BAR (widget));
}

void
_maphex_find_bar_replace_init (MaphexFindBar *self)
{
  self->replace_entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->replace_entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->replace_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Replace with"), -1);
  gtk_widget_set_parent (self->replace_entry, GTK_WIDGET (self));
  _maphex_find_bar_place (self, self->replace_entry, 1, 0, 1);

  self->replace_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (self->replace_buttons, GTK_ALIGN_START);
  self->replace_button = gtk_button_new_with_mnemonic (_("_Replace"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->replace_button), "find-bar.replace");
  gtk_box_append (GTK_BOX (self->replace_buttons), self->replace_button);
  self->replace_all_button = gtk_button_new_with_mnemonic (_("R_eplace All"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->replace_all_button), "find-bar.replace-all");
  gtk_box_append (GTK_BOX (self->replace_buttons), self->replace_all_button);
  gtk_widget_set_parent (self->replace_buttons, GTK_WIDGET (self));
  /* Under the mode and the buttons of the find row, whatever shows there. */
  _maphex_find_bar_place (self, self->replace_buttons, 1, 1, 6);

  g_signal_connect_swapped (self->replace_entry, "activate", G_CALLBACK (on_replace_activate), self);
  g_signal_connect_swapped (self->replace_entry, "changed", G_CALLBACK (on_replacement_changed), self);

  _maphex_find_bar_set_replace_visible (self, FALSE);
  update_actions (self);
}

void
_maphex_find_bar_class_replace_init (GtkWidgetClass *widget_class)
{
  /* Replace All ended: the message the bar shows ("Replaced 17 matches",
   * or the error) and whether it is an error. The window makes it a toast. */
  replace_all_done_signal =
    g_signal_new ("replace-all-done", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "find-bar.replace", NULL, action_replace);
  gtk_widget_class_install_action (widget_class, "find-bar.replace-all", NULL, action_replace_all);
}

/* ---- public ---- */

void
maphex_find_bar_open_replace (MaphexFindBar *self)
{
  GtkWidget *focus;

  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  _maphex_find_bar_show (self);
  _maphex_find_bar_set_replace_visible (self, TRUE);
  /* The replacement, once there is something to replace. */
  focus = gtk_editable_get_text (GTK_EDITABLE (self->entry))[0] != '\0'
          ? self->replace_entry : self->entry;
  gtk_widget_grab_focus (focus);
  gtk_editable_select_region (GTK_EDITABLE (focus), 0, -1);
  if (refusal (self) != NULL && !_maphex_find_bar_is_searching (self))
    refuse (self);
}

gboolean
maphex_find_bar_get_replace_visible (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return gtk_widget_get_visible (self->replace_entry);
}

void
maphex_find_bar_set_replacement (MaphexFindBar *self,
                                 const char    *text)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->replace_entry), text);
}
