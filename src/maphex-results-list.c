/* maphex-results-list.c: Find All's results list: a header with the count
 * and a GtkListBox bound to a GtkStringList, one string per kept match, made
 * when its batch arrives from the first CONTEXT_BYTES bytes of the match
 * (maphex_document_read: at most MAPHEX_RESULTS_LIST_MAX small reads per
 * search, whatever the file's size). The matches themselves are kept beside
 * the strings for activation. An edit of the searched document (its bytes
 * or its length) drops the rows, as the find bar drops its own results:
 * they would name bytes that are no longer there. It runs no search: the
 * find bar feeds it. */
#include "maphex-results-list.h"

#include <glib/gi18n.h>

#define CONTEXT_BYTES 8

struct _MaphexResultsList {
  GtkWidget      parent_instance;

  GtkWidget     *header;
  GtkWidget     *scroller;
  GtkWidget     *list_box;
  GtkStringList *rows;
  GArray        *matches;    /* MaphexSearchMatch of the rows */
  guint64        seen;       /* matches given, kept or not */
  MaphexHexView *view;
  MaphexDocument *searched;  /* weak: the document of the rows */
  gulong         bytes_changed_id;
  gulong         length_id;
  gboolean       stale;      /* the rows were dropped by an edit */
};

G_DEFINE_FINAL_TYPE (MaphexResultsList, maphex_results_list, GTK_TYPE_WIDGET)

static MaphexDocument *
get_document (MaphexResultsList *self)
{
  return self->view != NULL ? maphex_hex_view_get_document (self->view) : NULL;
}

static char *
row_text (MaphexResultsList       *self,
          const MaphexSearchMatch *m)
{
  MaphexDocument *doc = get_document (self);
  GString *s = g_string_new (NULL);
  guint8 buf[CONTEXT_BYTES];
  gsize n = (gsize) MIN (m->length, CONTEXT_BYTES);
  gboolean ok;

  g_string_append_printf (s, "0x%08" G_GINT64_MODIFIER "X  ", m->offset);
  if (doc != NULL)
    n = (gsize) MIN ((gint64) n, maphex_document_get_length (doc) - m->offset);
  ok = doc != NULL && n > 0 && maphex_document_read (doc, m->offset, buf, n, NULL);
  for (gsize i = 0; i < CONTEXT_BYTES; i++)
    {
      if (i < n)
        g_string_append_printf (s, ok ? "%02X " : "?? ", buf[i]);
      else
        g_string_append (s, "   ");
    }
  g_string_append_c (s, ' ');
  for (gsize i = 0; i < n; i++)
    g_string_append_c (s, ok && buf[i] >= 0x20 && buf[i] < 0x7f ? (char) buf[i] : '.');
  if (m->length > CONTEXT_BYTES)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  GtkWidget *label = gtk_label_new (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  return label;
}

static void
on_row_activated (GtkListBox        *box,
                  GtkListBoxRow     *row,
                  MaphexResultsList *self)
{
  maphex_results_list_activate_row (self, (guint) gtk_list_box_row_get_index (row));
}

static void
set_header (MaphexResultsList *self,
            const char        *text)
{
  gtk_label_set_text (GTK_LABEL (self->header), text);
}

static void
clear_rows (MaphexResultsList *self)
{
  gtk_string_list_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), NULL);
  g_array_set_size (self->matches, 0);
}

static void
on_searched_changed (MaphexResultsList *self)
{
  if (self->stale)
    return;
  self->stale = TRUE;
  clear_rows (self);
  set_header (self, _("The file changed after this search: use Find All again"));
}

static void
watch_searched (MaphexResultsList *self,
                MaphexDocument    *doc)
{
  if (self->searched != NULL)
    {
      g_clear_signal_handler (&self->bytes_changed_id, self->searched);
      g_clear_signal_handler (&self->length_id, self->searched);
    }
  g_set_weak_pointer (&self->searched, doc);
  if (doc == NULL)
    return;
  self->bytes_changed_id = g_signal_connect_object (doc, "bytes-changed",
                                                    G_CALLBACK (on_searched_changed), self,
                                                    G_CONNECT_SWAPPED);
  self->length_id = g_signal_connect_object (doc, "notify::length",
                                             G_CALLBACK (on_searched_changed), self,
                                             G_CONNECT_SWAPPED);
}

static void
maphex_results_list_init (MaphexResultsList *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->header = gtk_label_new (_("No search yet: use Find All in the find bar"));
  gtk_label_set_xalign (GTK_LABEL (self->header), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (self->header), TRUE);
  gtk_widget_add_css_class (self->header, "heading");
  gtk_widget_set_margin_start (self->header, 6);
  gtk_widget_set_margin_end (self->header, 6);
  gtk_widget_set_margin_top (self->header, 6);
  gtk_widget_set_margin_bottom (self->header, 6);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->rows = gtk_string_list_new (NULL);
  self->matches = g_array_new (FALSE, FALSE, sizeof (MaphexSearchMatch));
  self->list_box = gtk_list_box_new ();
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), G_LIST_MODEL (self->rows),
                           create_row, NULL, NULL);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->list_box), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search results"), -1);
  g_signal_connect (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->list_box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

static void
maphex_results_list_dispose (GObject *object)
{
  MaphexResultsList *self = MAPHEX_RESULTS_LIST (object);

  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  watch_searched (self, NULL);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_object (&self->view);

  G_OBJECT_CLASS (maphex_results_list_parent_class)->dispose (object);
}

static void
maphex_results_list_class_init (MaphexResultsListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_results_list_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "resultslist");
}

/* ---- public ---- */

GtkWidget *
maphex_results_list_new (void)
{
  return g_object_new (MAPHEX_TYPE_RESULTS_LIST, NULL);
}

void
maphex_results_list_set_view (MaphexResultsList *self,
                              MaphexHexView     *view)
{
  g_return_if_fail (MAPHEX_IS_RESULTS_LIST (self));
  g_return_if_fail (view == NULL || MAPHEX_IS_HEX_VIEW (view));

  g_set_object (&self->view, view);
}

void
maphex_results_list_begin (MaphexResultsList *self)
{
  g_return_if_fail (MAPHEX_IS_RESULTS_LIST (self));

  clear_rows (self);
  self->seen = 0;
  self->stale = FALSE;
  watch_searched (self, get_document (self));
  set_header (self, _("Searching…"));
}

void
maphex_results_list_add (MaphexResultsList       *self,
                         const MaphexSearchMatch *matches,
                         guint                    n_matches)
{
  guint keep;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *header = NULL;
  g_autofree char *count = NULL;

  g_return_if_fail (MAPHEX_IS_RESULTS_LIST (self));
  g_return_if_fail (matches != NULL || n_matches == 0);

  if (self->stale)
    return;
  keep = MIN (n_matches, MAPHEX_RESULTS_LIST_MAX - self->matches->len);
  texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < keep; i++)
    g_ptr_array_add (texts, row_text (self, &matches[i]));
  g_ptr_array_add (texts, NULL);
  g_array_append_vals (self->matches, matches, keep);
  gtk_string_list_splice (self->rows, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), 0,
                          (const char * const *) texts->pdata);
  self->seen += n_matches;

  count = g_strdup_printf ("%" G_GUINT64_FORMAT, self->seen);
  /* Translators: %s is a number of matches. */
  header = g_strdup_printf (g_dngettext (NULL, "Searching… %s match so far",
                                         "Searching… %s matches so far", self->seen),
                            count);
  set_header (self, header);
}

void
maphex_results_list_finish (MaphexResultsList *self,
                            guint64            total,
                            const GError      *error)
{
  g_autofree char *header = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

  g_return_if_fail (MAPHEX_IS_RESULTS_LIST (self));

  /* An edit while it ran: the header keeps saying so. */
  if (self->stale)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* All it found, not the rows it keeps (capped). */
      g_autofree char *seen = g_strdup_printf ("%" G_GUINT64_FORMAT, self->seen);

      /* Translators: %s is a number of matches. */
      header = g_strdup_printf (g_dngettext (NULL, "Search cancelled after %s match",
                                             "Search cancelled after %s matches", self->seen),
                                seen);
    }
  else if (error != NULL)
    header = g_strdup (error->message);
  else if (total == 0)
    header = g_strdup (_("No matches"));
  else if (total > self->matches->len)
    /* Translators: %s is a count of matches, %u the most the list shows. */
    header = g_strdup_printf (_("%s matches: showing the first %u"), count, self->matches->len);
  else
    /* Translators: %s is a number of matches. */
    header = g_strdup_printf (g_dngettext (NULL, "%s match", "%s matches", total), count);
  set_header (self, header);
}

guint
maphex_results_list_get_n_rows (MaphexResultsList *self)
{
  g_return_val_if_fail (MAPHEX_IS_RESULTS_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

const char *
maphex_results_list_get_header (MaphexResultsList *self)
{
  g_return_val_if_fail (MAPHEX_IS_RESULTS_LIST (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->header));
}

char *
maphex_results_list_dup_row_text (MaphexResultsList *self,
                                  guint              index)
{
  g_return_val_if_fail (MAPHEX_IS_RESULTS_LIST (self), NULL);

  if (index >= maphex_results_list_get_n_rows (self))
    return NULL;
  return g_strdup (gtk_string_list_get_string (self->rows, index));
}

gboolean
maphex_results_list_activate_row (MaphexResultsList *self,
                                  guint              index)
{
  const MaphexSearchMatch *m;

  g_return_val_if_fail (MAPHEX_IS_RESULTS_LIST (self), FALSE);

  if (index >= self->matches->len || self->view == NULL)
    return FALSE;
  m = &g_array_index (self->matches, MaphexSearchMatch, index);
  if (m->offset + m->length > maphex_document_get_length (get_document (self)))
    return FALSE;
  maphex_hex_view_jump_to (self->view, m->offset, m->offset + m->length);
  return TRUE;
}
