/* maphex-operation-dialog.c: move, fill, resize, insert and new-scratch dialogs.
 *
 * One template for the five, ui/maphex-operation-dialog.ui (in the GResource,
 * which every user of the widget library links); operation_info says what
 * each operation shows of it and with which words. */
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "maphex-clipboard.h"
#include "maphex-operation-dialog.h"

#define MAX_FIELDS 3

struct _MaphexOperationDialog
{
  GtkWindow        parent_instance;

  MaphexOperation  operation;
  MaphexHexView   *view;        /* weak: the window owns it and outlives us */
  guint            n_fields;    /* how many of fields[] the operation uses */
  GtkLabel        *labels[MAX_FIELDS];
  GtkEntry        *fields[MAX_FIELDS];
  GtkLabel        *explanation;
  GtkCheckButton  *text_check;       /* shown for FILL only */
  GtkCheckButton  *clipboard_check;  /* shown for INSERT only */
  GBytes          *clipboard_bytes;  /* what the clipboard held, once read */
  GError          *clipboard_error;  /* why it could not be read */
  GCancellable    *clipboard_read;   /* non-NULL while it is being read */
  GtkLabel        *message;
  GtkButton       *ok_button;
};

G_DEFINE_FINAL_TYPE (MaphexOperationDialog, maphex_operation_dialog, GTK_TYPE_WINDOW)

enum {
  SCRATCH_CREATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef struct {
  const char *title;
  const char *ok_label;
  const char *labels[MAX_FIELDS];
  const char *explanation;
} OperationInfo;

static const OperationInfo operation_info[] = {
  [MAPHEX_OPERATION_MOVE] = {
    N_("Move Bytes"), N_("_Move"),
    { N_("_Destination"), N_("_Source"), N_("_Count") },
    N_("Copies Count bytes from Source to Destination; the ranges may overlap. "
       "Offsets: 0x1F, 31, +16, -0x10 or 50%."),
  },
  [MAPHEX_OPERATION_FILL] = {
    N_("Fill Selection"), N_("_Fill"),
    { N_("_Pattern"), NULL, NULL },
    N_("Repeats the pattern over the selection, e.g. “00” or “DE AD BE EF”."),
  },
  [MAPHEX_OPERATION_RESIZE] = {
    N_("Resize File"), N_("_Resize"),
    { N_("New _length"), NULL, NULL },
    N_("Cuts or extends the file (with zero bytes), e.g. 4096, 0x1000 or 4 KiB."),
  },
  [MAPHEX_OPERATION_INSERT] = {
    N_("Insert Bytes"), N_("_Insert"),
    { N_("_Count"), NULL, NULL },
    N_("Inserts zero bytes, or the clipboard’s bytes, at the cursor, moving what "
       "follows towards the end."),
  },
  [MAPHEX_OPERATION_NEW_SCRATCH] = {
    N_("New Scratch Buffer"), N_("_Create"),
    { N_("_Size"), NULL, NULL },
    N_("An empty buffer in memory, saved with Save As. E.g. 4096, 0x1000 or 1 MiB."),
  },
};

gboolean
maphex_parse_size (const char  *text,
                   gint64      *result,
                   GError     **error)
{
  g_autofree char *copy = NULL;
  char *s;
  char *end = NULL;
  guint64 value;
  int shift = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  s = copy;
  if (*s == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Enter a number"));
      return FALSE;
    }
  if (*s == '-' || *s == '+')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a size: sizes have no sign"), text);
      return FALSE;
    }

  errno = 0;
  if (g_ascii_strncasecmp (s, "0x", 2) == 0)
    value = g_ascii_strtoull (s + 2, &end, 16);
  else
    value = g_ascii_strtoull (s, &end, 10);
  if (end == s || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && end == s + 2))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a number"), text);
      return FALSE;
    }
  if (errno == ERANGE)
    goto too_large;

  while (*end == ' ')
    end++;
  switch (g_ascii_toupper (*end))
    {
    case '\0': break;
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    case 'T': shift = 40; end++; break;
    case 'B': end++; break;
    case 'O': end++; break;   /* octets, as French writes sizes (Kio) */
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a size: unknown unit “%s”"), text, end);
      return FALSE;
    }
  if (shift != 0)
    {
      if (*end == 'i' || *end == 'I')
        end++;
      if (*end == 'b' || *end == 'B' || *end == 'o' || *end == 'O')
        end++;
    }
  if (*end != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a size: unexpected “%s”"), text, end);
      return FALSE;
    }
  if (value > ((guint64) G_MAXINT64 >> shift))
    goto too_large;

  *result = (gint64) (value << shift);
  return TRUE;

too_large:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is too large"), text);
  return FALSE;
}

static void
show_text (MaphexOperationDialog *self,
           const char            *text,
           gboolean               is_error)
{
  gtk_label_set_text (self->message, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
}

static void
show_message (MaphexOperationDialog *self,
              const char            *text)
{
  show_text (self, text, TRUE);
}

static gboolean
refuse (MaphexOperationDialog *self,
        GError                *error)
{
  show_message (self, error->message);
  g_error_free (error);
  return FALSE;
}

static gboolean
parse_offset_field (MaphexOperationDialog *self,
                    guint                  index,
                    gint64                 current,
                    gint64                 length,
                    gint64                *out,
                    GError               **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->fields[index]));
  g_autoptr(GError) local = NULL;

  if (!maphex_parse_offset (text, current, length, out, &local))
    {
      /* Say which field was wrong: the label without its mnemonic. */
      g_autofree char *name = g_strdup (_(operation_info[self->operation].labels[index]));
      char *u = strchr (name, '_');

      if (u != NULL)
        memmove (u, u + 1, strlen (u));
      g_set_error (error, local->domain, local->code, "%s: %s", name, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_size_field (MaphexOperationDialog *self,
                  guint                  index,
                  gint64                *out,
                  GError               **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->fields[index]));
  return maphex_parse_size (text, out, error);
}

static gboolean
accept_move (MaphexOperationDialog *self,
             MaphexDocument        *doc,
             GError               **error)
{
  gint64 length = maphex_document_get_length (doc);
  gint64 cursor = maphex_hex_view_get_cursor (self->view);
  gint64 dest, src, count;

  if (!parse_offset_field (self, 0, cursor, length, &dest, error) ||
      !parse_offset_field (self, 1, cursor, length, &src, error) ||
      !parse_size_field (self, 2, &count, error))
    return FALSE;
  if (!maphex_document_move (doc, dest, src, count, error))
    return FALSE;
  maphex_hex_view_select_range (self->view, dest, dest + count);
  return TRUE;
}

static gboolean
accept_fill (MaphexOperationDialog *self,
             MaphexDocument        *doc,
             GError               **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->fields[0]));
  g_autoptr(GBytes) pattern = NULL;
  g_autoptr(GError) local = NULL;
  gint64 start, end;

  maphex_hex_view_get_selection (self->view, &start, &end);
  if (start == end)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Select the bytes to fill first"));
      return FALSE;
    }
  if (gtk_check_button_get_active (self->text_check))
    pattern = g_bytes_new (text, strlen (text));
  else if ((pattern = maphex_parse_hex_bytes (text, &local)) == NULL)
    {
      /* As the find bar says it; and someone who typed words learns where
       * text patterns are. */
      g_set_error (error, local->domain, local->code,
                   _("Invalid hex: %s. To fill with text, tick “The pattern is text, not hex bytes”."),
                   local->message);
      return FALSE;
    }
  if (g_bytes_get_size (pattern) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The pattern is empty"));
      return FALSE;
    }
  return maphex_document_fill (doc, start, end - start,
                               g_bytes_get_data (pattern, NULL), g_bytes_get_size (pattern),
                               error);
}

/* Insert and resize run in the document's worker: the dialog closes at
 * once (the window shows the progress and Cancel, and the view stays
 * usable); what they fail with later goes to the view's "edit-failed", and a
 * finished insert selects what it inserted. Refusals known before it starts
 * (mode, other views, a running operation) stay in the dialog. */
typedef struct {
  GWeakRef view;
  gint64   select_start;
  gint64   select_end;   /* select_start == select_end: select nothing */
} LengthChangeData;

static void
length_change_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  LengthChangeData *data = user_data;
  g_autoptr(MaphexHexView) view = g_weak_ref_get (&data->view);
  g_autoptr(GError) error = NULL;
  gboolean ok = maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, &error);

  if (view != NULL && !ok)
    maphex_hex_view_report_edit_failed (view, error);
  else if (view != NULL && data->select_end > data->select_start &&
           maphex_hex_view_get_document (view) == MAPHEX_DOCUMENT (source))
    maphex_hex_view_select_range (view, data->select_start, data->select_end);
  g_weak_ref_clear (&data->view);
  g_free (data);
}

static LengthChangeData *
length_change_data_new (MaphexOperationDialog *self,
                        gint64                 select_start,
                        gint64                 select_end)
{
  LengthChangeData *data = g_new0 (LengthChangeData, 1);

  g_weak_ref_init (&data->view, self->view);
  data->select_start = select_start;
  data->select_end = select_end;
  return data;
}

static gboolean
accept_resize (MaphexOperationDialog *self,
               MaphexDocument        *doc,
               GError               **error)
{
  MaphexExport *own = maphex_hex_view_get_export (self->view);
  gint64 new_length;

  if (!parse_size_field (self, 0, &new_length, error) ||
      !maphex_document_check_length_change (doc, own, error))
    return FALSE;
  maphex_document_resize_async (doc, own, new_length, NULL, length_change_done_cb,
                                length_change_data_new (self, 0, 0));
  return TRUE;
}

static gboolean
start_insert (MaphexOperationDialog *self,
              MaphexDocument        *doc,
              gint64                 cursor,
              GBytes                *data,
              gint64                 count,
              GError               **error)
{
  MaphexExport *own = maphex_hex_view_get_export (self->view);

  if (!maphex_document_check_length_change (doc, own, error))
    return FALSE;
  maphex_document_insert_async (doc, own, cursor, data, count, NULL, length_change_done_cb,
                                length_change_data_new (self, cursor, cursor + count));
  return TRUE;
}

static gboolean
accept_insert (MaphexOperationDialog *self,
               MaphexDocument        *doc,
               GError               **error)
{
  gint64 cursor = maphex_hex_view_get_cursor (self->view);
  gint64 count;

  if (gtk_check_button_get_active (self->clipboard_check))
    {
      if (self->clipboard_read != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Still reading the clipboard: try again in a moment"));
          return FALSE;
        }
      if (self->clipboard_bytes == NULL)
        {
          *error = g_error_copy (self->clipboard_error);
          return FALSE;
        }
      return start_insert (self, doc, cursor, self->clipboard_bytes,
                           (gint64) g_bytes_get_size (self->clipboard_bytes), error);
    }

  if (!parse_size_field (self, 0, &count, error))
    return FALSE;
  if (count == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Insert at least one byte"));
      return FALSE;
    }
  if ((guint64) count > G_MAXSIZE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("That is more bytes than this machine can address"));
      return FALSE;
    }
  return start_insert (self, doc, cursor, NULL, count, error);
}

static gboolean
accept_new_scratch (MaphexOperationDialog *self,
                    GError               **error)
{
  g_autoptr(MaphexDocument) doc = NULL;
  gint64 size;

  if (!parse_size_field (self, 0, &size, error))
    return FALSE;
  if (size == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A scratch buffer holds at least one byte"));
      return FALSE;
    }
  doc = maphex_document_new_scratch (size, error);
  if (doc == NULL)
    return FALSE;
  g_signal_emit (self, signals[SCRATCH_CREATED], 0, doc);
  return TRUE;
}

gboolean
maphex_operation_dialog_accept (MaphexOperationDialog *self)
{
  MaphexDocument *doc = NULL;
  GError *error = NULL;
  gboolean ok;

  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), FALSE);

  if (self->operation != MAPHEX_OPERATION_NEW_SCRATCH)
    {
      doc = self->view ? maphex_hex_view_get_document (self->view) : NULL;
      if (doc == NULL)
        {
          show_message (self, _("The view this dialog belonged to is gone"));
          return FALSE;
        }
    }

  switch (self->operation)
    {
    case MAPHEX_OPERATION_MOVE:        ok = accept_move (self, doc, &error); break;
    case MAPHEX_OPERATION_FILL:        ok = accept_fill (self, doc, &error); break;
    case MAPHEX_OPERATION_RESIZE:      ok = accept_resize (self, doc, &error); break;
    case MAPHEX_OPERATION_INSERT:      ok = accept_insert (self, doc, &error); break;
    case MAPHEX_OPERATION_NEW_SCRATCH: ok = accept_new_scratch (self, &error); break;
    default: g_assert_not_reached ();
    }

  if (!ok)
    return refuse (self, error);

  show_message (self, NULL);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
clipboard_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MaphexOperationDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = maphex_clipboard_read_bytes_finish (GDK_CLIPBOARD (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* unchecked again, or the dialog went away */
  g_clear_object (&self->clipboard_read);

  if (bytes != NULL && g_bytes_get_size (bytes) == 0)
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The clipboard is empty"));
    }
  if (bytes == NULL)
    {
      self->clipboard_error = g_steal_pointer (&error);
      show_message (self, self->clipboard_error->message);
      return;
    }

  {
    g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (bytes));
    g_autofree char *info = g_strdup_printf (g_dngettext (NULL, "The clipboard holds %s byte",
                                                          "The clipboard holds %s bytes",
                                                          g_bytes_get_size (bytes)),
                                             count);

    self->clipboard_bytes = g_steal_pointer (&bytes);
    gtk_editable_set_text (GTK_EDITABLE (self->fields[0]), count);
    show_text (self, info, FALSE);
  }
}

static void
on_clipboard_toggled (MaphexOperationDialog *self)
{
  gboolean active = gtk_check_button_get_active (self->clipboard_check);

  g_cancellable_cancel (self->clipboard_read);
  g_clear_object (&self->clipboard_read);
  g_clear_pointer (&self->clipboard_bytes, g_bytes_unref);
  g_clear_error (&self->clipboard_error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields[0]), !active);

  if (!active)
    {
      show_message (self, NULL);
      return;
    }
  show_text (self, _("Reading the clipboard…"), FALSE);
  self->clipboard_read = g_cancellable_new ();
  maphex_clipboard_read_bytes_async (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                                     self->clipboard_read, clipboard_ready, g_object_ref (self));
}

static void
on_ok_clicked (MaphexOperationDialog *self)
{
  maphex_operation_dialog_accept (self);
}

static void
on_field_changed (MaphexOperationDialog *self)
{
  /* What the clipboard holds stays said while it is the source. */
  if (self->operation != MAPHEX_OPERATION_INSERT ||
      !gtk_check_button_get_active (self->clipboard_check))
    show_message (self, NULL);
}

static void
on_view_destroyed (gpointer  data,
                   GObject  *where_the_object_was)
{
  MaphexOperationDialog *self = data;

  self->view = NULL;
  gtk_window_close (GTK_WINDOW (self));
}

static void
maphex_operation_dialog_dispose (GObject *object)
{
  MaphexOperationDialog *self = MAPHEX_OPERATION_DIALOG (object);

  if (self->view != NULL)
    {
      g_object_weak_unref (G_OBJECT (self->view), on_view_destroyed, self);
      self->view = NULL;
    }
  g_cancellable_cancel (self->clipboard_read);
  g_clear_object (&self->clipboard_read);
  g_clear_pointer (&self->clipboard_bytes, g_bytes_unref);
  g_clear_error (&self->clipboard_error);
  gtk_widget_dispose_template (GTK_WIDGET (self), MAPHEX_TYPE_OPERATION_DIALOG);
  G_OBJECT_CLASS (maphex_operation_dialog_parent_class)->dispose (object);
}

static void
maphex_operation_dialog_class_init (MaphexOperationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_operation_dialog_dispose;

  /* Emitted by NEW_SCRATCH with the new document, before the dialog closes. */
  signals[SCRATCH_CREATED] =
    g_signal_new ("scratch-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MAPHEX_TYPE_DOCUMENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/maphex/Maphex/maphex-operation-dialog.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "label_0", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, labels[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "label_1", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, labels[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "label_2", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, labels[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "field_0", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, fields[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "field_1", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, fields[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "field_2", FALSE, G_STRUCT_OFFSET (MaphexOperationDialog, fields[2]));
  gtk_widget_class_bind_template_child (widget_class, MaphexOperationDialog, explanation);
  gtk_widget_class_bind_template_child (widget_class, MaphexOperationDialog, text_check);
  gtk_widget_class_bind_template_child (widget_class, MaphexOperationDialog, clipboard_check);
  gtk_widget_class_bind_template_child (widget_class, MaphexOperationDialog, message);
  gtk_widget_class_bind_template_child (widget_class, MaphexOperationDialog, ok_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_clipboard_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_ok_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
maphex_operation_dialog_init (MaphexOperationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static char *
format_offset (gint64 offset)
{
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "X", offset);
}

static void
fill_defaults (MaphexOperationDialog *self)
{
  gint64 start = 0, end = 0, cursor = 0, length = 0;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  if (self->view != NULL)
    {
      MaphexDocument *doc = maphex_hex_view_get_document (self->view);

      maphex_hex_view_get_selection (self->view, &start, &end);
      cursor = maphex_hex_view_get_cursor (self->view);
      length = doc ? maphex_document_get_length (doc) : 0;
    }

  switch (self->operation)
    {
    case MAPHEX_OPERATION_MOVE:
      /* The selection is the source; the destination starts as the cursor. */
      a = format_offset (start != end ? end : cursor);
      b = format_offset (start != end ? start : cursor);
      c = g_strdup_printf ("%" G_GINT64_FORMAT, end - start);
      break;
    case MAPHEX_OPERATION_FILL:
      a = g_strdup ("00");
      break;
    case MAPHEX_OPERATION_RESIZE:
      a = g_strdup_printf ("%" G_GINT64_FORMAT, length);
      break;
    case MAPHEX_OPERATION_INSERT:
      a = g_strdup_printf ("%" G_GINT64_FORMAT, start != end ? end - start : 16);
      break;
    case MAPHEX_OPERATION_NEW_SCRATCH:
      a = g_strdup ("4 KiB");
      break;
    default:
      g_assert_not_reached ();
    }

  if (a) gtk_editable_set_text (GTK_EDITABLE (self->fields[0]), a);
  if (b) gtk_editable_set_text (GTK_EDITABLE (self->fields[1]), b);
  if (c) gtk_editable_set_text (GTK_EDITABLE (self->fields[2]), c);
}

/* Shows what the operation uses of the template, in its words. */
static void
set_up_for_operation (MaphexOperationDialog *self)
{
  const OperationInfo *info = &operation_info[self->operation];

  gtk_window_set_title (GTK_WINDOW (self), _(info->title));
  gtk_label_set_text (self->explanation, _(info->explanation));
  gtk_button_set_label (self->ok_button, _(info->ok_label));

  for (guint i = 0; i < MAX_FIELDS && info->labels[i] != NULL; i++)
    {
      gtk_label_set_text_with_mnemonic (self->labels[i], _(info->labels[i]));
      gtk_widget_set_visible (GTK_WIDGET (self->labels[i]), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->fields[i]), TRUE);
      self->n_fields++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->text_check), self->operation == MAPHEX_OPERATION_FILL);
  gtk_widget_set_visible (GTK_WIDGET (self->clipboard_check), self->operation == MAPHEX_OPERATION_INSERT);
}

MaphexOperationDialog *
maphex_operation_dialog_new (GtkWindow       *parent,
                             MaphexOperation  operation,
                             MaphexHexView   *view)
{
  MaphexOperationDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (operation <= MAPHEX_OPERATION_NEW_SCRATCH, NULL);
  g_return_val_if_fail ((view == NULL) == (operation == MAPHEX_OPERATION_NEW_SCRATCH), NULL);

  self = g_object_new (MAPHEX_TYPE_OPERATION_DIALOG,
                       "modal", parent != NULL,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->operation = operation;
  if (view != NULL)
    {
      self->view = view;
      g_object_weak_ref (G_OBJECT (view), on_view_destroyed, self);
    }
  set_up_for_operation (self);
  fill_defaults (self);
  return self;
}

MaphexOperation
maphex_operation_dialog_get_operation (MaphexOperationDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), 0);
  return self->operation;
}

guint
maphex_operation_dialog_get_n_fields (MaphexOperationDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), 0);
  return self->n_fields;
}

void
maphex_operation_dialog_set_field (MaphexOperationDialog *self,
                                   guint                  index,
                                   const char            *text)
{
  g_return_if_fail (MAPHEX_IS_OPERATION_DIALOG (self));
  g_return_if_fail (index < self->n_fields);
  gtk_editable_set_text (GTK_EDITABLE (self->fields[index]), text);
}

const char *
maphex_operation_dialog_get_field (MaphexOperationDialog *self,
                                   guint                  index)
{
  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->n_fields, NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->fields[index]));
}

void
maphex_operation_dialog_set_text_pattern (MaphexOperationDialog *self,
                                          gboolean               text)
{
  g_return_if_fail (MAPHEX_IS_OPERATION_DIALOG (self));
  g_return_if_fail (self->operation == MAPHEX_OPERATION_FILL);
  gtk_check_button_set_active (self->text_check, text);
}

void
maphex_operation_dialog_set_use_clipboard (MaphexOperationDialog *self,
                                           gboolean               use_clipboard)
{
  g_return_if_fail (MAPHEX_IS_OPERATION_DIALOG (self));
  g_return_if_fail (self->operation == MAPHEX_OPERATION_INSERT);
  gtk_check_button_set_active (self->clipboard_check, use_clipboard);
}

gboolean
maphex_operation_dialog_get_busy (MaphexOperationDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), FALSE);
  return self->clipboard_read != NULL;
}

const char *
maphex_operation_dialog_get_message (MaphexOperationDialog *self)
{
  g_return_val_if_fail (MAPHEX_IS_OPERATION_DIALOG (self), NULL);
  return gtk_label_get_text (self->message);
}
