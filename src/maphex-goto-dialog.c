/* maphex-goto-dialog.c: Ctrl+G, go to an offset.
 *
 * Its widgets are the template ui/maphex-goto-dialog.ui (in the GResource,
 * which every user of the widget library links). The text is parsed against
 * the view's cursor and the document's length when it is accepted; a
 * refusal is shown inline and the dialog stays.
 */
#include "maphex-goto-dialog.h"

#include <glib/gi18n.h>

struct _MaphexGotoDialog {
  GtkWindow      parent_instance;

  GtkWidget     *entry;
  GtkWidget     *message;
  MaphexHexView *view;
};

G_DEFINE_FINAL_TYPE (MaphexGotoDialog, maphex_goto_dialog, GTK_TYPE_WINDOW)

static void
set_message (MaphexGotoDialog *self,
             const char       *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  gtk_widget_set_visible (self->message, text != NULL && text[0] != '\0');
}

gboolean
maphex_goto_dialog_accept (MaphexGotoDialog *self)
{
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc;
  gint64 offset;

  g_return_val_if_fail (MAPHEX_IS_GOTO_DIALOG (self), FALSE);

  doc = self->view != NULL ? maphex_hex_view_get_document (self->view) : NULL;
  if (doc == NULL)
    {
      set_message (self, _("No document to go to"));
      return FALSE;
    }

  if (!maphex_parse_offset (gtk_editable_get_text (GTK_EDITABLE (self->entry)),
                            maphex_hex_view_get_cursor (self->view),
                            maphex_document_get_length (doc),
                            &offset, &error))
    {
      /* The parser's messages are sentences already. */
      set_message (self, error->message);
      gtk_widget_grab_focus (self->entry);
      return FALSE;
    }

  maphex_hex_view_go_to (self->view, offset);
  /* Keys act at the offset next, even when Go to was asked from a panel. */
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

void
maphex_goto_dialog_set_text (MaphexGotoDialog *self,
                             const char       *text)
{
  g_return_if_fail (MAPHEX_IS_GOTO_DIALOG (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

const char *
maphex_goto_dialog_get_message (MaphexGotoDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_GOTO_DIALOG (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->message));
}

static void
on_text_changed (MaphexGotoDialog *self)
{
  set_message (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "goto.accept",
                                 gtk_editable_get_text (GTK_EDITABLE (self->entry))[0] != '\0');
}

static void
on_activate (MaphexGotoDialog *self)
{
  maphex_goto_dialog_accept (self);
}

static void
action_accept (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  maphex_goto_dialog_accept (MAPHEX_GOTO_DIALOG (widget));
}

static void
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
maphex_goto_dialog_init (MaphexGotoDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_text_changed (self);
}

static void
maphex_goto_dialog_dispose (GObject *object)
{
  MaphexGotoDialog *self = MAPHEX_GOTO_DIALOG (object);

  g_clear_object (&self->view);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAPHEX_TYPE_GOTO_DIALOG);

  G_OBJECT_CLASS (maphex_goto_dialog_parent_class)->dispose (object);
}

static void
maphex_goto_dialog_class_init (MaphexGotoDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_goto_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/maphex/Maphex/maphex-goto-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MaphexGotoDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, MaphexGotoDialog, message);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);

  gtk_widget_class_install_action (widget_class, "goto.accept", NULL, action_accept);
  gtk_widget_class_install_action (widget_class, "goto.cancel", NULL, action_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "goto.cancel", NULL);
}

MaphexGotoDialog *
maphex_goto_dialog_new (GtkWindow     *parent,
                        MaphexHexView *view)
{
  MaphexGotoDialog *self;
  g_autofree char *current = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MAPHEX_IS_HEX_VIEW (view), NULL);

  self = g_object_new (MAPHEX_TYPE_GOTO_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->view = g_object_ref (view);

  current = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", maphex_hex_view_get_cursor (view));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), current);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  return self;
}
