/* test-operations.c: the operation dialogs (move, fill, resize, insert, new
 * scratch) against real documents and views on screen, under Xvfb. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-operation-dialog.h"
#include "widget-test-util.h"

typedef struct {
  char           *path;
  MaphexDocument *doc;
  GtkWindow      *window;
  MaphexHexView  *view;
} Fixture;

static MaphexHexView *
show_view (MaphexDocument *doc, GtkWindow **window_out)
{
  GtkWidget *view = maphex_hex_view_new (doc);

  *window_out = wt_show_in_window (view, 800, 400, wt_is_mapped);
  return MAPHEX_HEX_VIEW (view);
}

static void
fixture_open (Fixture *f, MaphexMode mode, gsize len)
{
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  f->path = wt_make_temp_file ("maphex-ops-XXXXXX", data, len, 0);
  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, mode, &error);
  g_assert_no_error (error);
  f->view = show_view (f->doc, &f->window);
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->doc);
  g_unlink (f->path);
  g_free (f->path);
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (gsize) st.st_size;
}

static gboolean
file_bytes_are_initial (const char *path, gsize len)
{
  g_autofree char *contents = NULL;
  gsize got = 0;

  g_assert_true (g_file_get_contents (path, &contents, &got, NULL));
  if (got != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guint8) contents[i] != (guint8) i)
      return FALSE;
  return TRUE;
}

/* As the window does: create, then present. */
static MaphexOperationDialog *
open_dialog (GtkWindow *parent, MaphexOperation op, MaphexHexView *view)
{
  MaphexOperationDialog *dialog = maphex_operation_dialog_new (parent, op, view);

  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
test_parse_size_units_and_errors (void)
{
  struct { const char *text; gint64 value; } good[] = {
    { "0", 0 }, { "4096", 4096 }, { "0x1000", 4096 }, { " 4 KiB ", 4096 },
    { "1M", 1 << 20 }, { "2 GB", (gint64) 2 << 30 }, { "1t", (gint64) 1 << 40 }, { "12B", 12 },
    /* As French writes them (GLib shows "4,0 Kio" there). */
    { "4 Kio", 4096 }, { "3 Mo", 3 << 20 }, { "12 o", 12 },
  };
  const char *bad[] = { "", "-1", "+3", "abc", "0x", "12 parsecs", "4 KiBx", "99999999999999999999",
                        "9000000T", "4 Kioo", "4 oK" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 v = -1;

      g_assert_true (maphex_parse_size (good[i].text, &v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (v, ==, good[i].value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 v = 77;

      g_assert_false (maphex_parse_size (bad[i], &v, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (v, ==, 77);
    }
}

static void
test_move_defaults_to_selection_and_moves (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 64);
  maphex_hex_view_select_range (f.view, 4, 8);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_MOVE, f.view);
  g_assert_cmpuint (maphex_operation_dialog_get_n_fields (dialog), ==, 3);
  g_assert_cmpstr (maphex_operation_dialog_get_field (dialog, 1), ==, "0x4");
  g_assert_cmpstr (maphex_operation_dialog_get_field (dialog, 2), ==, "4");

  maphex_operation_dialog_set_field (dialog, 0, "0x20");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  for (int i = 0; i < 4; i++)
    g_assert_cmpuint (wt_byte_at (f.doc, 0x20 + i), ==, 4 + i);
  g_assert_cmpuint (wt_byte_at (f.doc, 0x24), ==, 0x24);
  /* Copy-on-write: the file itself is untouched until saved. */
  g_assert_true (file_bytes_are_initial (f.path, 64));
  fixture_close (&f);
}

static void
test_move_out_of_range_is_refused_inline_and_changes_nothing (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 64);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_MOVE, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "60");
  maphex_operation_dialog_set_field (dialog, 1, "0");
  maphex_operation_dialog_set_field (dialog, 2, "8");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_cmpstr (maphex_operation_dialog_get_message (dialog), !=, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (maphex_document_get_modified (f.doc));
  g_assert_true (file_bytes_are_initial (f.path, 64));

  /* A malformed offset names the field it came from. */
  maphex_operation_dialog_set_field (dialog, 1, "0xZZ");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "Source"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close (&f);
}

static void
test_fill_repeats_pattern_over_selection (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 64);
  maphex_hex_view_select_range (f.view, 10, 15);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_FILL, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "AB cd");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 9), ==, 9);
  g_assert_cmpuint (wt_byte_at (f.doc, 10), ==, 0xab);
  g_assert_cmpuint (wt_byte_at (f.doc, 11), ==, 0xcd);
  g_assert_cmpuint (wt_byte_at (f.doc, 14), ==, 0xab);
  g_assert_cmpuint (wt_byte_at (f.doc, 15), ==, 15);

  /* One undo step restores all of it. */
  g_assert_true (maphex_document_undo (f.doc, maphex_hex_view_get_export (f.view), NULL));
  for (int i = 10; i < 15; i++)
    g_assert_cmpuint (wt_byte_at (f.doc, i), ==, i);
  fixture_close (&f);
}

static void
test_fill_text_pattern_and_refusals (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 64);
  /* No selection: nothing to fill. */
  maphex_hex_view_set_cursor (f.view, 3, FALSE);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_FILL, f.view);
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "Select"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  maphex_hex_view_select_range (f.view, 0, 4);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_FILL, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "GZ");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_cmpstr (maphex_operation_dialog_get_message (dialog), !=, "");
  /* Said as the find bar says it, with the way to fill with text. */
  g_assert_true (g_str_has_prefix (maphex_operation_dialog_get_message (dialog), "Invalid hex: "));
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "The pattern is text"));
  g_assert_false (maphex_document_get_modified (f.doc));

  maphex_operation_dialog_set_text_pattern (dialog, TRUE);
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpuint (wt_byte_at (f.doc, 0), ==, 'G');
  g_assert_cmpuint (wt_byte_at (f.doc, 1), ==, 'Z');
  g_assert_cmpuint (wt_byte_at (f.doc, 2), ==, 'G');
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 4);
  fixture_close (&f);
}

static void
test_fill_refused_in_read_only_mode (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY, 64);
  maphex_hex_view_select_range (f.view, 0, 8);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_FILL, f.view);
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_cmpstr (maphex_operation_dialog_get_message (dialog), !=, "");
  g_assert_true (file_bytes_are_initial (f.path, 64));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close (&f);
}

static void
test_resize_in_write_through_changes_file_length (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 64);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_RESIZE, f.view);
  g_assert_cmpstr (maphex_operation_dialog_get_field (dialog, 0), ==, "64");
  maphex_operation_dialog_set_field (dialog, 0, "0x100");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 256);
  g_assert_cmpuint (file_size (f.path), ==, 256);
  g_assert_cmpuint (wt_byte_at (f.doc, 63), ==, 63);
  g_assert_cmpuint (wt_byte_at (f.doc, 64), ==, 0);
  /* The view still holds its export, taken again after the resize. */
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);
  fixture_close (&f);
}

static void
test_resize_refused_in_copy_on_write_mode (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 64);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_RESIZE, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "128");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_cmpstr (maphex_operation_dialog_get_message (dialog), !=, "");
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 64);
  g_assert_cmpuint (file_size (f.path), ==, 64);
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close (&f);
}

static void
test_resize_refused_while_another_view_is_on_screen (void)
{
  Fixture f;
  GtkWindow *second_window;
  MaphexHexView *second;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 64);
  second = show_view (f.doc, &second_window);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 2);

  dialog = open_dialog (f.window, MAPHEX_OPERATION_RESIZE, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "128");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  /* The message says how many other views hold the file. */
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "1 other view"));
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 64);
  g_assert_cmpuint (file_size (f.path), ==, 64);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 2);

  /* Once the other view is off screen, the same resize goes through. */
  gtk_widget_set_visible (GTK_WIDGET (second_window), FALSE);
  wt_wait_until (wt_is_unmapped, second);
  g_assert_cmpuint (maphex_document_get_n_exports (f.doc), ==, 1);
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 128);
  g_assert_cmpuint (file_size (f.path), ==, 128);

  gtk_window_destroy (second_window);
  fixture_close (&f);
}

static void
test_insert_zeros_at_cursor_and_undo (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 32);
  maphex_hex_view_set_cursor (f.view, 8, FALSE);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_INSERT, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "4");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 36);
  g_assert_cmpuint (file_size (f.path), ==, 36);
  g_assert_cmpuint (wt_byte_at (f.doc, 7), ==, 7);
  for (int i = 8; i < 12; i++)
    g_assert_cmpuint (wt_byte_at (f.doc, i), ==, 0);
  g_assert_cmpuint (wt_byte_at (f.doc, 12), ==, 8);
  g_assert_cmpuint (wt_byte_at (f.doc, 35), ==, 31);

  g_assert_true (maphex_document_undo (f.doc, maphex_hex_view_get_export (f.view), NULL));
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 32);
  g_assert_true (file_bytes_are_initial (f.path, 32));
  fixture_close (&f);
}

static void
test_insert_zero_bytes_is_refused (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 32);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_INSERT, f.view);
  maphex_operation_dialog_set_field (dialog, 0, "0");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_cmpstr (maphex_operation_dialog_get_message (dialog), !=, "");
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 32);
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close (&f);
}

static gboolean
dialog_idle (gpointer dialog)
{
  return !maphex_operation_dialog_get_busy (MAPHEX_OPERATION_DIALOG (dialog));
}

static void
test_insert_clipboard_hex_at_cursor (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 32);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "DE AD be ef");
  maphex_hex_view_set_cursor (f.view, 5, FALSE);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_INSERT, f.view);
  maphex_operation_dialog_set_use_clipboard (dialog, TRUE);
  wt_wait_until (dialog_idle, dialog);
  /* The count shows what the clipboard holds. */
  g_assert_cmpstr (maphex_operation_dialog_get_field (dialog, 0), ==, "4");
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "4 bytes"));

  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 36);
  g_assert_cmpuint (file_size (f.path), ==, 36);
  g_assert_cmpuint (wt_byte_at (f.doc, 4), ==, 4);
  g_assert_cmpuint (wt_byte_at (f.doc, 5), ==, 0xde);
  g_assert_cmpuint (wt_byte_at (f.doc, 6), ==, 0xad);
  g_assert_cmpuint (wt_byte_at (f.doc, 7), ==, 0xbe);
  g_assert_cmpuint (wt_byte_at (f.doc, 8), ==, 0xef);
  g_assert_cmpuint (wt_byte_at (f.doc, 9), ==, 5);
  fixture_close (&f);
}

static void
test_insert_clipboard_text_as_its_bytes (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 8);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "hi!");
  maphex_hex_view_set_cursor (f.view, 8, FALSE);
  dialog = open_dialog (f.window, MAPHEX_OPERATION_INSERT, f.view);
  maphex_operation_dialog_set_use_clipboard (dialog, TRUE);
  wt_wait_until (dialog_idle, dialog);
  g_assert_true (maphex_operation_dialog_accept (dialog));
  wt_wait_for_operation (f.doc);
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 11);
  g_assert_cmpuint (wt_byte_at (f.doc, 7), ==, 7);
  g_assert_cmpuint (wt_byte_at (f.doc, 8), ==, 'h');
  g_assert_cmpuint (wt_byte_at (f.doc, 10), ==, '!');
  fixture_close (&f);
}

static void
test_insert_clipboard_refused_in_copy_on_write_mode (void)
{
  Fixture f;
  MaphexOperationDialog *dialog;

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE, 16);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.view)), "00 11");
  dialog = open_dialog (f.window, MAPHEX_OPERATION_INSERT, f.view);
  maphex_operation_dialog_set_use_clipboard (dialog, TRUE);
  wt_wait_until (dialog_idle, dialog);
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_nonnull (strstr (maphex_operation_dialog_get_message (dialog), "opy-on-write"));
  g_assert_cmpint (maphex_document_get_length (f.doc), ==, 16);
  g_assert_true (file_bytes_are_initial (f.path, 16));
  gtk_window_destroy (GTK_WINDOW (dialog));
  fixture_close (&f);
}

static void
on_scratch_created (MaphexOperationDialog *dialog, MaphexDocument *doc, gpointer data)
{
  MaphexDocument **out = data;

  *out = g_object_ref (doc);
}

static void
test_new_scratch_creates_document_of_size (void)
{
  MaphexOperationDialog *dialog;
  MaphexDocument *doc = NULL;

  dialog = open_dialog (NULL, MAPHEX_OPERATION_NEW_SCRATCH, NULL);
  g_signal_connect (dialog, "scratch-created", G_CALLBACK (on_scratch_created), &doc);

  maphex_operation_dialog_set_field (dialog, 0, "0");
  g_assert_false (maphex_operation_dialog_accept (dialog));
  g_assert_null (doc);

  maphex_operation_dialog_set_field (dialog, 0, "1 KiB");
  g_assert_true (maphex_operation_dialog_accept (dialog));
  g_assert_nonnull (doc);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 1024);
  g_assert_true (maphex_document_is_scratch (doc));
  g_assert_true (maphex_document_get_can_resize (doc));
  g_object_unref (doc);
}

/* Each operation shows the rows of the template it uses, and the dialog's
 * fields are the template's entries: the text typed in the entry that is on
 * screen is what the operation reads. */
static GtkWidget *
template_child (MaphexOperationDialog *dialog, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), MAPHEX_TYPE_OPERATION_DIALOG, name);

  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

static void
test_each_operation_shows_its_rows_of_the_template (void)
{
  static const struct {
    MaphexOperation op;
    guint           n_fields;
    const char     *first_label;
    const char     *check;   /* the check button it shows, if any */
    const char     *title;
    const char     *ok_label;
  } cases[] = {
    { MAPHEX_OPERATION_MOVE, 3, "_Destination", NULL, "Move Bytes", "_Move" },
    { MAPHEX_OPERATION_FILL, 1, "_Pattern", "text_check", "Fill Selection", "_Fill" },
    { MAPHEX_OPERATION_RESIZE, 1, "New _length", NULL, "Resize File", "_Resize" },
    { MAPHEX_OPERATION_INSERT, 1, "_Count", "clipboard_check", "Insert Bytes", "_Insert" },
    { MAPHEX_OPERATION_NEW_SCRATCH, 1, "_Size", NULL, "New Scratch Buffer", "_Create" },
  };
  const char *checks[] = { "text_check", "clipboard_check" };
  Fixture f;

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH, 64);
  maphex_hex_view_select_range (f.view, 4, 8);
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      MaphexOperationDialog *dialog =
        open_dialog (f.window, cases[c].op,
                     cases[c].op == MAPHEX_OPERATION_NEW_SCRATCH ? NULL : f.view);
      GtkWidget *ok = template_child (dialog, "ok_button");

      g_assert_cmpuint (maphex_operation_dialog_get_n_fields (dialog), ==, cases[c].n_fields);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (template_child (dialog, "label_0"))), ==,
                       cases[c].first_label);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *label_id = g_strdup_printf ("label_%u", i);
          g_autofree char *field_id = g_strdup_printf ("field_%u", i);
          GtkWidget *label = template_child (dialog, label_id);
          GtkWidget *field = template_child (dialog, field_id);
          gboolean used = i < cases[c].n_fields;

          g_assert_cmpint (gtk_widget_get_visible (label), ==, used);
          g_assert_cmpint (gtk_widget_get_visible (field), ==, used);
          g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == field);
          if (!used)
            continue;
          gtk_editable_set_text (GTK_EDITABLE (field), "0x1234");
          g_assert_cmpstr (maphex_operation_dialog_get_field (dialog, i), ==, "0x1234");
          g_assert_true (gtk_widget_get_mapped (field));
        }
      for (gsize k = 0; k < G_N_ELEMENTS (checks); k++)
        g_assert_cmpint (gtk_widget_get_visible (template_child (dialog, checks[k])), ==,
                         g_strcmp0 (cases[c].check, checks[k]) == 0);

      /* Enter in a field presses the operation's own button. */
      g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == ok);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ok)), ==, cases[c].ok_label);
      g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (ok)));
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, cases[c].title);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  g_assert_true (file_bytes_are_initial (f.path, 64));
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/operations/parse-size/units-and-errors", test_parse_size_units_and_errors);
  g_test_add_func ("/operations/move/defaults-to-selection-and-moves", test_move_defaults_to_selection_and_moves);
  g_test_add_func ("/operations/move/out-of-range-refused-inline-changes-nothing", test_move_out_of_range_is_refused_inline_and_changes_nothing);
  g_test_add_func ("/operations/fill/repeats-pattern-over-selection", test_fill_repeats_pattern_over_selection);
  g_test_add_func ("/operations/fill/text-pattern-and-refusals", test_fill_text_pattern_and_refusals);
  g_test_add_func ("/operations/fill/refused-in-read-only-mode", test_fill_refused_in_read_only_mode);
  g_test_add_func ("/operations/resize/write-through-changes-file-length", test_resize_in_write_through_changes_file_length);
  g_test_add_func ("/operations/resize/refused-in-copy-on-write-mode", test_resize_refused_in_copy_on_write_mode);
  g_test_add_func ("/operations/resize/refused-while-another-view-on-screen", test_resize_refused_while_another_view_is_on_screen);
  g_test_add_func ("/operations/insert/zeros-at-cursor-and-undo", test_insert_zeros_at_cursor_and_undo);
  g_test_add_func ("/operations/insert/zero-bytes-refused", test_insert_zero_bytes_is_refused);
  g_test_add_func ("/operations/insert/clipboard-hex-at-cursor", test_insert_clipboard_hex_at_cursor);
  g_test_add_func ("/operations/insert/clipboard-text-as-its-bytes", test_insert_clipboard_text_as_its_bytes);
  g_test_add_func ("/operations/insert/clipboard-refused-in-copy-on-write-mode", test_insert_clipboard_refused_in_copy_on_write_mode);
  g_test_add_func ("/operations/new-scratch/creates-document-of-size", test_new_scratch_creates_document_of_size);
  g_test_add_func ("/operations/template/each-operation-shows-its-rows", test_each_operation_shows_its_rows_of_the_template);

  return g_test_run ();
}
