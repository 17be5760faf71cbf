/* maphex-find-bar.c: the find bar (Ctrl+F) of one window: its controls,
 * their signals, keys and actions, and the public calls but for searching.
 * A grid: the find row, and under it the replace row (Ctrl+H), whose
 * controls and work live in maphex-find-bar-replace.c.
 *
 * Built in code rather than from a template: it lives in the widget library,
 * which the widget tests link without the application's resources.
 *
 * It runs no search itself: next/previous and Find All, the progress and the
 * results live in maphex-find-bar-search.c. */
#include "maphex-find-bar-private.h"

#include <glib/gi18n.h>

#define PREFILL_MAX        64

G_DEFINE_FINAL_TYPE (MaphexFindBar, maphex_find_bar, GTK_TYPE_WIDGET)

/* ---- state ---- */

MaphexDocument *
_maphex_find_bar_get_document (MaphexFindBar *self)
{
  return self->view != NULL ? maphex_hex_view_get_document (self->view) : NULL;
}

MaphexFindMode
_maphex_find_bar_get_mode (MaphexFindBar *self)
{
  guint mode = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->mode_dropdown));

  return mode <= MAPHEX_FIND_MODE_REGEX ? (MaphexFindMode) mode : MAPHEX_FIND_MODE_HEX;
}

void
_maphex_find_bar_set_message (MaphexFindBar *self,
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

/* The longest regex match, as the bar states it ("64.0 KiB"). */
static char *
regex_max_text (void)
{
  return g_format_size_full (MAPHEX_SEARCH_REGEX_MAX_MATCH, G_FORMAT_SIZE_IEC_UNITS);
}

/* What the mode decides: which controls show, the entry's placeholder and
 * tooltip. On a mode change only, not on every keystroke. */
static void
update_for_mode (MaphexFindBar *self)
{
  MaphexFindMode mode = _maphex_find_bar_get_mode (self);
  gboolean text = mode == MAPHEX_FIND_MODE_TEXT;
  g_autofree char *max = NULL;
  g_autofree char *tooltip = NULL;
  const char *placeholder = NULL;

  gtk_widget_set_visible (self->encoding_dropdown, text);
  gtk_widget_set_visible (self->case_check, text);
  switch (mode)
    {
    case MAPHEX_FIND_MODE_TEXT:
      placeholder = _("Find text");
      break;
    case MAPHEX_FIND_MODE_HEX:
      placeholder = _("Find hex bytes: DE AD be ef");
      break;
    case MAPHEX_FIND_MODE_WILDCARD:
      placeholder = _("Find hex with wildcards: 4D 5A ?? ?? 50 45, 4?, ??{4}");
      break;
    case MAPHEX_FIND_MODE_REGEX:
      placeholder = _("Find a regular expression over bytes: \\x4d\\x5a.{2}");
      max = regex_max_text ();
      /* Translators: %s is a size, "64.0 KiB". */
      tooltip = g_strdup_printf (_("A match is at most %s long: a longer one is cut there"), max);
      break;
    }
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), placeholder);
  gtk_widget_set_tooltip_text (self->entry, tooltip);
  _maphex_find_bar_replace_update_for_mode (self);
}

/* ---- signals and actions ---- */

static void
on_pattern_changed (MaphexFindBar *self)
{
  _maphex_find_bar_clear_results (self);
  if (!_maphex_find_bar_is_searching (self))
    _maphex_find_bar_set_message (self, NULL, FALSE);
}

static void
on_mode_changed (MaphexFindBar *self)
{
  on_pattern_changed (self);
  update_for_mode (self);
}

static void
on_entry_activate (MaphexFindBar *self)
{
  maphex_find_bar_find_next (self, FALSE);
}

static void
escape (MaphexFindBar *self)
{
  if (_maphex_find_bar_is_searching (self))
    {
      _maphex_find_bar_cancel_search (self);
      _maphex_find_bar_set_message (self, _("Search cancelled"), FALSE);
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
  /* With the replace row shown, Tab goes from the pattern to the
   * replacement (GTK's order is the grid's, along the find row first);
   * Shift+Tab from there goes back along the find row. */
  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) &&
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0 &&
      gtk_widget_get_visible (self->replace_entry))
    {
      gtk_widget_grab_focus (self->replace_entry);
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

void
_maphex_find_bar_place (MaphexFindBar *self,
                        GtkWidget     *widget,
                        int            row,
                        int            column,
                        int            span)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *child =
    GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, widget));

  gtk_grid_layout_child_set_row (child, row);
  gtk_grid_layout_child_set_column (child, column);
  gtk_grid_layout_child_set_column_span (child, span);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  /* Said by screen readers in place of the icon. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
maphex_find_bar_init (MaphexFindBar *self)
{
  const char *modes[] = { _("Text"), _("Hex"), _("Hex with wildcards"),
                          _("Regular expression"), NULL };
  const char *encodings[] = { _("UTF-8"), _("UTF-16 LE"), _("UTF-16 BE"), NULL };
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkEventController *key;
  int column = 0;

  /* Here rather than in _new(): templates create the bar with g_object_new(). */
  gtk_grid_layout_set_column_spacing (GTK_GRID_LAYOUT (layout), 6);
  gtk_grid_layout_set_row_spacing (GTK_GRID_LAYOUT (layout), 6);
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

  self->mode_dropdown = gtk_drop_down_new_from_strings (modes);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->mode_dropdown), MAPHEX_FIND_MODE_HEX);
  gtk_widget_set_tooltip_text (self->mode_dropdown, _("What the pattern is"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mode_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search mode"), -1);
  gtk_widget_set_parent (self->mode_dropdown, GTK_WIDGET (self));

  self->encoding_dropdown = gtk_drop_down_new_from_strings (encodings);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->encoding_dropdown), MAPHEX_TEXT_UTF8);
  gtk_widget_set_tooltip_text (self->encoding_dropdown, _("How the text is encoded in the file"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->encoding_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Text encoding"), -1);
  gtk_widget_set_parent (self->encoding_dropdown, GTK_WIDGET (self));

  self->case_check = gtk_check_button_new_with_mnemonic (_("_Match case"));
  gtk_widget_set_tooltip_text (self->case_check,
                               _("Off: “é” also finds “É”, and “a” finds “A”"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->case_check), TRUE);
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

  /* The find row: the children so far, in their order. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    _maphex_find_bar_place (self, c, 0, column++, 1);
  _maphex_find_bar_replace_init (self);

  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_pattern_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected",
                            G_CALLBACK (on_mode_changed), self);
  g_signal_connect_swapped (self->encoding_dropdown, "notify::selected",
                            G_CALLBACK (on_pattern_changed), self);
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

  update_for_mode (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
maphex_find_bar_dispose (GObject *object)
{
  MaphexFindBar *self = MAPHEX_FIND_BAR (object);
  GtkWidget *child;

  _maphex_find_bar_cancel_search (self);
  _maphex_find_bar_clear_results (self);
  _maphex_find_bar_replace_dispose (self);
  g_clear_object (&self->view);
  g_clear_object (&self->results_list);
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

  /* Find All started a search (its results list, if any, was cleared):
   * the window shows the list. */
  g_signal_new ("find-all-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "find-bar.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "find-bar.previous", NULL, action_previous);
  gtk_widget_class_install_action (widget_class, "find-bar.find-all", NULL, action_find_all);
  gtk_widget_class_install_action (widget_class, "find-bar.escape", NULL, action_escape);
  gtk_widget_class_install_action (widget_class, "find-bar.close", NULL, action_close);

  _maphex_find_bar_class_replace_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
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
  _maphex_find_bar_cancel_search (self);
  _maphex_find_bar_clear_results (self);
  _maphex_find_bar_replace_dispose (self);
  g_set_object (&self->view, view);
  if (self->results_list != NULL)
    maphex_results_list_set_view (self->results_list, view);
  _maphex_find_bar_replace_view_changed (self);
  _maphex_find_bar_set_message (self, NULL, FALSE);
}

void
maphex_find_bar_set_results_list (MaphexFindBar     *self,
                                  MaphexResultsList *list)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (list == NULL || MAPHEX_IS_RESULTS_LIST (list));

  _maphex_find_bar_cancel_search (self);
  g_set_object (&self->results_list, list);
  if (list != NULL)
    maphex_results_list_set_view (list, self->view);
}

/* Pre-fills the entry from a short selection. */
static void
prefill_from_selection (MaphexFindBar *self)
{
  MaphexDocument *doc = _maphex_find_bar_get_document (self);
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

  if (_maphex_find_bar_get_mode (self) == MAPHEX_FIND_MODE_TEXT && printable &&
      gtk_drop_down_get_selected (GTK_DROP_DOWN (self->encoding_dropdown)) == MAPHEX_TEXT_UTF8)
    text = g_strndup ((const char *) buf, n);
  else
    {
      GString *s = g_string_sized_new (n * 3);

      for (gsize i = 0; i < n; i++)
        g_string_append_printf (s, i == 0 ? "%02X" : " %02X", buf[i]);
      text = g_string_free (s, FALSE);
      /* Whole bytes are a wildcard pattern too. */
      if (_maphex_find_bar_get_mode (self) != MAPHEX_FIND_MODE_WILDCARD)
        maphex_find_bar_set_mode (self, MAPHEX_FIND_MODE_HEX);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
_maphex_find_bar_show (MaphexFindBar *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    prefill_from_selection (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

void
maphex_find_bar_open (MaphexFindBar *self)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  _maphex_find_bar_show (self);
  _maphex_find_bar_set_replace_visible (self, FALSE);
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
maphex_find_bar_close (MaphexFindBar *self)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  _maphex_find_bar_cancel_search (self);
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

  maphex_find_bar_set_mode (self, hex ? MAPHEX_FIND_MODE_HEX : MAPHEX_FIND_MODE_TEXT);
  if (!hex)
    maphex_find_bar_set_match_case (self, !ignore_case);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
maphex_find_bar_set_text (MaphexFindBar *self,
                          const char    *text)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

void
maphex_find_bar_set_mode (MaphexFindBar  *self,
                          MaphexFindMode  mode)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (mode <= MAPHEX_FIND_MODE_REGEX);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->mode_dropdown), mode);
}

MaphexFindMode
maphex_find_bar_get_mode (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), MAPHEX_FIND_MODE_HEX);

  return _maphex_find_bar_get_mode (self);
}

void
maphex_find_bar_set_encoding (MaphexFindBar      *self,
                              MaphexTextEncoding  encoding)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));
  g_return_if_fail (encoding <= MAPHEX_TEXT_UTF16BE);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->encoding_dropdown), encoding);
}

void
maphex_find_bar_set_match_case (MaphexFindBar *self,
                                gboolean       match_case)
{
  g_return_if_fail (MAPHEX_IS_FIND_BAR (self));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->case_check), match_case);
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

  return _maphex_find_bar_is_searching (self);
}

gboolean
maphex_find_bar_get_progress_visible (MaphexFindBar *self)
{
  g_return_val_if_fail (MAPHEX_IS_FIND_BAR (self), FALSE);

  return gtk_widget_get_visible (self->progress);
}
