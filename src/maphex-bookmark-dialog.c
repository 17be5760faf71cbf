/* maphex-bookmark-dialog.c: Add Bookmark (Ctrl+D) and Edit Bookmark.
 *
 * Owns the dialog (ui/maphex-bookmark-dialog.ui): the name, a colour from
 * the palette (a row of toggle buttons, one per colour) and the note; Add or
 * Save changes the marks through maphex_bookmarks_add or _update, and a
 * refusal (the mark was removed meanwhile, the range is gone) is shown in the
 * dialog, which stays open. It never touches the document's bytes.
 */
#include "maphex-bookmark-dialog.h"
#include "maphex-bookmarks-list.h"

#include <glib/gi18n-lib.h>

struct _MaphexBookmarkDialog {
  AdwWindow        parent_instance;

  MaphexBookmarks *marks;
  guint            id;         /* 0: a new mark */
  gint64           offset;
  gint64           length;
  GtkWidget       *colour_buttons[MAPHEX_BOOKMARK_N_COLOURS];

  /* Template children */
  AdwWindowTitle  *window_title;
  GtkWidget       *accept_button;
  AdwEntryRow     *name_row;
  AdwEntryRow     *note_row;
  GtkBox          *colour_box;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (MaphexBookmarkDialog, maphex_bookmark_dialog, ADW_TYPE_WINDOW)

static void
on_cancel_clicked (MaphexBookmarkDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_accept_clicked (MaphexBookmarkDialog *self)
{
  maphex_bookmark_dialog_accept (self);
}

static void
maphex_bookmark_dialog_init (MaphexBookmarkDialog *self)
{
  GtkWidget *group = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < MAPHEX_BOOKMARK_N_COLOURS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      /* Centred at its own size, not the button's: the ring that shows the
         chosen colour (style.css) is drawn under the child, around it. */
      GtkWidget *swatch = maphex_bookmark_swatch_new (i, 16);
      const char *name = maphex_bookmark_colour_name (i);

      gtk_button_set_child (GTK_BUTTON (button), swatch);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "circular");
      gtk_widget_add_css_class (button, "bookmark-colour");
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), GTK_TOGGLE_BUTTON (group));
      else
        group = button;
      gtk_box_append (self->colour_box, button);
      self->colour_buttons[i] = button;
    }
}

static void
maphex_bookmark_dialog_dispose (GObject *object)
{
  MaphexBookmarkDialog *self = MAPHEX_BOOKMARK_DIALOG (object);

  g_clear_object (&self->marks);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAPHEX_TYPE_BOOKMARK_DIALOG);
  G_OBJECT_CLASS (maphex_bookmark_dialog_parent_class)->dispose (object);
}

static void
maphex_bookmark_dialog_class_init (MaphexBookmarkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_bookmark_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/maphex/Maphex/maphex-bookmark-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, colour_box);
  gtk_widget_class_bind_template_child (widget_class, MaphexBookmarkDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_accept_clicked);
}

/* The bytes the mark covers, under the title. */
static void
set_range_subtitle (MaphexBookmarkDialog *self,
                    gint64                offset,
                    gint64                length)
{
  g_autofree char *where = maphex_bookmark_default_name (offset);
  g_autofree char *subtitle = NULL;

  if (length == 1)
    subtitle = g_strdup_printf (_("The byte at %s"), where);
  else
    {
      g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, length);
      /* TRANSLATORS: the range a new bookmark marks: its length and offset */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte at %s", "%s bytes at %s",
                                               length > G_MAXINT ? G_MAXINT : (gulong) length),
                                  size, where);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static MaphexBookmarkDialog *
dialog_new (GtkWindow       *parent,
            MaphexBookmarks *marks)
{
  MaphexBookmarkDialog *self = g_object_new (MAPHEX_TYPE_BOOKMARK_DIALOG,
                                             "transient-for", parent, NULL);

  self->marks = g_object_ref (marks);
  return self;
}

GtkWidget *
maphex_bookmark_dialog_new_add (GtkWindow       *parent,
                                MaphexBookmarks *marks,
                                gint64           offset,
                                gint64           length)
{
  MaphexBookmarkDialog *self;
  g_autofree char *name = maphex_bookmark_default_name (offset);

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (marks), NULL);

  self = dialog_new (parent, marks);
  self->offset = offset;
  self->length = length;
  gtk_window_set_title (GTK_WINDOW (self), _("Add Bookmark"));
  adw_window_title_set_title (self->window_title, _("Add Bookmark"));
  set_range_subtitle (self, offset, length);
  maphex_bookmark_dialog_set_fields (self, name,
                                     maphex_bookmarks_get_n_items (marks) % MAPHEX_BOOKMARK_N_COLOURS, "");
  return GTK_WIDGET (self);
}

GtkWidget *
maphex_bookmark_dialog_new_edit (GtkWindow       *parent,
                                 MaphexBookmarks *marks,
                                 guint            id)
{
  const MaphexBookmark *mark;
  MaphexBookmarkDialog *self;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARKS (marks), NULL);
  mark = maphex_bookmarks_lookup (marks, id);
  g_return_val_if_fail (mark != NULL, NULL);

  self = dialog_new (parent, marks);
  self->id = id;
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Bookmark"));
  adw_window_title_set_title (self->window_title, _("Edit Bookmark"));
  set_range_subtitle (self, mark->offset, mark->length);
  gtk_button_set_label (GTK_BUTTON (self->accept_button), _("_Save"));
  maphex_bookmark_dialog_set_fields (self, mark->name, mark->colour, mark->note);
  return GTK_WIDGET (self);
}

void
maphex_bookmark_dialog_set_fields (MaphexBookmarkDialog *self,
                                   const char           *name,
                                   guint                 colour,
                                   const char           *note)
{
  g_return_if_fail (MAPHEX_IS_BOOKMARK_DIALOG (self));
  g_return_if_fail (colour < MAPHEX_BOOKMARK_N_COLOURS);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->colour_buttons[colour]), TRUE);
  /* The name first, all of it selected: typing replaces the proposal. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
  gtk_editable_select_region (GTK_EDITABLE (self->name_row), 0, -1);
}

const char *
maphex_bookmark_dialog_get_name (MaphexBookmarkDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARK_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

guint
maphex_bookmark_dialog_get_colour (MaphexBookmarkDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARK_DIALOG (self), 0);

  for (guint i = 0; i < MAPHEX_BOOKMARK_N_COLOURS; i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->colour_buttons[i])))
      return i;
  return 0;
}

gboolean
maphex_bookmark_dialog_accept (MaphexBookmarkDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *name, *note;
  guint colour;
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_BOOKMARK_DIALOG (self), FALSE);

  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  colour = maphex_bookmark_dialog_get_colour (self);
  if (self->id == 0)
    ok = maphex_bookmarks_add (self->marks, self->offset, self->length, name, colour, note, &error) != 0;
  else
    ok = maphex_bookmarks_update (self->marks, self->id, name, colour, note, &error);
  if (!ok)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

const char *
maphex_bookmark_dialog_get_error (MaphexBookmarkDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_BOOKMARK_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
