/* test-inspector.c: the data inspector panel on screen (under Xvfb), on
 * real files: what its rows show, editing through its entries (Enter,
 * Escape), refusals, refreshes, and following a hex view.
 *
 * MAPHEX_INSPECTOR_SCREENSHOT=path.png saves what /inspector/renders drew. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "maphex-document.h"
#include "maphex-hex-view.h"
#include "maphex-inspector.h"
#include "maphex-inspector-rows.h"
#include "maphex-theme.h"
#include "maphex-glyph-text.h"
#include "widget-test-util.h"

#define FILE_LEN 64

/* {00112233-4455-6677-8899-AABBCCDDEEFF} as Windows writes it, 0x12345678
 * little-endian at 16, the double 1.5 at 20, "éA" at 28, zeros after. */
static const guint8 file_data[FILE_LEN] = {
  0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
  0x78, 0x56, 0x34, 0x12,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
  0xc3, 0xa9, 0x41,
};

typedef struct {
  char            *path;
  MaphexDocument  *doc;
  GtkWindow       *window;
  MaphexInspector *inspector;
} Fixture;

static void
fixture_open_data (Fixture      *f,
                   MaphexMode    mode,
                   const guint8 *data,
                   gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  f->path = wt_make_temp_file ("maphex-inspector-XXXXXX", data, len, 0);
  file = g_file_new_for_path (f->path);
  f->doc = maphex_document_new_for_file (file, mode, &error);
  g_assert_no_error (error);

  f->inspector = MAPHEX_INSPECTOR (maphex_inspector_new ());
  maphex_inspector_set_document (f->inspector, f->doc);
  f->window = wt_show_in_window (GTK_WIDGET (f->inspector), 360, 900, wt_is_mapped_and_allocated);
}

static void
fixture_open (Fixture   *f,
              MaphexMode mode)
{
  fixture_open_data (f, mode, file_data, sizeof file_data);
}

static void
fixture_close (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  wt_drain ();
  g_clear_object (&f->doc);
  if (f->path != NULL)
    g_unlink (f->path);
  g_free (f->path);
}

static const char *
text_of (Fixture           *f,
         MaphexInspectField field)
{
  return maphex_inspector_get_text (f->inspector, field);
}

/* What a row without a value shows instead: it reads as empty (what is
 * typed starts afresh), its row says why, and so does its editor's
 * placeholder when it opens. */
static const char *
reason_of (Fixture           *f,
           MaphexInspectField field)
{
  const MaphexInspectRow *row = maphex_inspector_get_row (f->inspector, field);
  GtkEditable *editor;

  g_assert_cmpint (row->status, !=, MAPHEX_INSPECT_STATUS_OK);
  g_assert_cmpstr (maphex_inspector_get_text (f->inspector, field), ==, "");
  editor = maphex_inspector_edit_row (f->inspector, field);
  g_assert_cmpstr (gtk_editable_get_text (editor), ==, "");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (editor)), ==, row->text);
  maphex_inspector_revert_row (f->inspector, field);
  return row->text;
}

/* What typing `text` into a row's entry and pressing Enter does. */
static void
type_and_enter (Fixture           *f,
                MaphexInspectField field,
                const char        *text)
{
  GtkEditable *entry = maphex_inspector_edit_row (f->inspector, field);

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
}

/* Escape in a row's editor. */
static void
escape (Fixture           *f,
        MaphexInspectField field)
{
  GtkEditable *editor = maphex_inspector_edit_row (f->inspector, field);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "inspector.revert", "i", (gint32) field));
}

static void
assert_doc_bytes (MaphexDocument *doc,
                  gint64          offset,
                  const guint8   *expected,
                  gsize           n)
{
  g_autoptr(GError) error = NULL;
  guint8 buf[FILE_LEN];

  g_assert_true (maphex_document_read (doc, offset, buf, n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, expected, n);
}

static void
assert_file_unchanged (Fixture *f)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, file_data, sizeof file_data);
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toggle (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_rows_show_the_bytes_at_the_cursor (void)
{
  Fixture f = { 0 };
  GtkWidget *big;
  guint notified = 0;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY);

  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_GUID), ==, "{00112233-4455-6677-8899-AABBCCDDEEFF}");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "51");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_BINARY), ==, "00110011");

  maphex_inspector_set_cursor (f.inspector, 16);
  g_assert_cmpint (maphex_inspector_get_cursor (f.inspector), ==, 16);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "305419896");     /* 0x12345678 */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT16), ==, "22136");        /* 0x5678 */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "120");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_LATIN1), ==, "x");
  g_assert_cmpint (maphex_inspector_get_row (f.inspector, MAPHEX_INSPECT_INT32)->status, ==,
                   MAPHEX_INSPECT_STATUS_OK);
  g_assert_cmpuint (maphex_inspector_get_row (f.inspector, MAPHEX_INSPECT_INT32)->n_bytes, ==, 4);

  maphex_inspector_set_cursor (f.inspector, 20);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_FLOAT64), ==, "1.5");
  maphex_inspector_set_cursor (f.inspector, 28);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UTF8), ==, "é");
  g_assert_cmpstr (maphex_inspector_get_row (f.inspector, MAPHEX_INSPECT_UTF8)->detail, ==,
                   "U+00E9, 2 bytes");

  /* The Big endian button switches the byte order. */
  maphex_inspector_set_cursor (f.inspector, 16);
  g_signal_connect_swapped (f.inspector, "notify::byte-order", G_CALLBACK (g_atomic_int_inc), &notified);
  big = find_toggle (GTK_WIDGET (f.inspector), "_Big endian");
  g_assert_nonnull (big);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (big), TRUE);
  g_assert_cmpint (maphex_inspector_get_byte_order (f.inspector), ==, MAPHEX_BYTE_ORDER_BIG);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "2018915346");    /* 0x78563412 */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT16), ==, "30806");        /* 0x7856 */
  /* And the property back: the buttons follow. */
  g_object_set (f.inspector, "byte-order", MAPHEX_BYTE_ORDER_LITTLE, NULL);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (big)));
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "305419896");
  g_assert_cmpuint (notified, ==, 2);

  fixture_close (&f);
}

static void
test_edit_int32_writes_one_undo_step (void)
{
  static const guint8 ff4[] = { 0xff, 0xff, 0xff, 0xff };
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE);
  maphex_inspector_set_cursor (f.inspector, 16);

  type_and_enter (&f, MAPHEX_INSPECT_INT32, "-1");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "");
  assert_doc_bytes (f.doc, 16, ff4, 4);
  assert_doc_bytes (f.doc, 20, file_data + 20, 8);   /* nothing past it */
  assert_doc_bytes (f.doc, 0, file_data, 16);        /* nor before */
  g_assert_true (maphex_document_get_modified (f.doc));
  assert_file_unchanged (&f);                        /* copy-on-write: not saved */
  /* Every row shows the new bytes. */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "-1");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT32), ==, "4294967295");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "255");

  /* One undo step puts the old bytes back, and the rows with them. */
  g_assert_true (maphex_document_undo (f.doc, NULL, &error));
  g_assert_no_error (error);
  assert_doc_bytes (f.doc, 16, file_data + 16, 4);
  g_assert_false (maphex_document_get_can_undo (f.doc));
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "305419896");

  /* Hex input reads back in decimal. */
  type_and_enter (&f, MAPHEX_INSPECT_UINT16, "0x1f");
  assert_doc_bytes (f.doc, 16, (const guint8 *) "\x1f\x00", 2);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT16), ==, "31");

  /* In big-endian order the same row writes the other way round. */
  maphex_inspector_set_byte_order (f.inspector, MAPHEX_BYTE_ORDER_BIG);
  type_and_enter (&f, MAPHEX_INSPECT_UINT16, "0x1f");
  assert_doc_bytes (f.doc, 16, (const guint8 *) "\x00\x1f", 2);

  /* A row whose bytes hold no value of its kind takes one all the same. */
  maphex_inspector_set_byte_order (f.inspector, MAPHEX_BYTE_ORDER_LITTLE);
  maphex_inspector_set_cursor (f.inspector, 40);
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_DOS_DATETIME), ==, "There is no month 0");
  g_assert_true (maphex_inspector_get_row_editable (f.inspector, MAPHEX_INSPECT_DOS_DATETIME));
  type_and_enter (&f, MAPHEX_INSPECT_DOS_DATETIME, "2024-03-01 12:34:56");
  assert_doc_bytes (f.doc, 40, (const guint8 *) "\x5c\x64\x61\x58", 4);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_DOS_DATETIME), ==, "2024-03-01 12:34:56");

  /* A character. */
  maphex_inspector_set_cursor (f.inspector, 30);
  type_and_enter (&f, MAPHEX_INSPECT_UTF8, "€");
  assert_doc_bytes (f.doc, 30, (const guint8 *) "\xe2\x82\xac", 3);

  fixture_close (&f);
}

static void
test_read_only_refuses_with_the_documents_message (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_READ_ONLY);
  maphex_inspector_set_cursor (f.inspector, 16);

  type_and_enter (&f, MAPHEX_INSPECT_INT32, "-1");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "The file is open read-only");
  assert_doc_bytes (f.doc, 16, file_data + 16, 4);
  g_assert_false (maphex_document_get_modified (f.doc));
  g_assert_false (maphex_document_get_can_undo (f.doc));
  /* What was typed stays, to be corrected or reverted. */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "-1");

  escape (&f, MAPHEX_INSPECT_INT32);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "305419896");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "");

  assert_file_unchanged (&f);
  fixture_close (&f);
}

static void
test_bad_input_shows_the_error_and_writes_nothing (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE);
  maphex_inspector_set_cursor (f.inspector, 16);

  type_and_enter (&f, MAPHEX_INSPECT_INT32, "12x");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==,
                   "int32: “12x” is not a number: type decimal or 0x hex");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_last_child (GTK_WIDGET (f.inspector))));
  /* The row it is about is marked, until the message goes. */
  g_assert_cmpint (maphex_inspector_get_error_field (f.inspector), ==, MAPHEX_INSPECT_INT32);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (maphex_inspector_edit_row (f.inspector, MAPHEX_INSPECT_INT32)),
                                           "error"));

  /* Typing again clears it; out of range is refused too. */
  type_and_enter (&f, MAPHEX_INSPECT_UINT8, "256");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==,
                   "uint8: “256” is out of range for uint8 (0 to 255)");
  g_assert_cmpint (maphex_inspector_get_error_field (f.inspector), ==, MAPHEX_INSPECT_UINT8);
  /* What was typed in int32 stays, not marked any more. */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "12x");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (maphex_inspector_edit_row (f.inspector, MAPHEX_INSPECT_INT32)),
                                            "error"));
  gtk_editable_set_text (maphex_inspector_edit_row (f.inspector, MAPHEX_INSPECT_UINT8), "25");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "");
  g_assert_cmpint (maphex_inspector_get_error_field (f.inspector), ==, -1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (maphex_inspector_edit_row (f.inspector, MAPHEX_INSPECT_UINT8)),
                                            "error"));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_last_child (GTK_WIDGET (f.inspector))));

  type_and_enter (&f, MAPHEX_INSPECT_UNIX32, "2024-02-30");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==,
                   "Unix time 32: 2024-02 has no day 30");

  assert_doc_bytes (f.doc, 0, file_data, FILE_LEN);
  g_assert_false (maphex_document_get_modified (f.doc));
  g_assert_false (maphex_document_get_can_undo (f.doc));

  fixture_close (&f);
}

static void
test_rows_past_the_end_say_so_and_write_nothing (void)
{
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_COPY_ON_WRITE);
  maphex_inspector_set_cursor (f.inspector, FILE_LEN - 2);

  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT16), ==, "0");
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_INT32), ==, "Needs 4 bytes, 2 left");
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_GUID), ==, "Needs 16 bytes, 2 left");
  g_assert_false (maphex_inspector_get_row_editable (f.inspector, MAPHEX_INSPECT_INT32));
  g_assert_true (maphex_inspector_get_row_editable (f.inspector, MAPHEX_INSPECT_INT16));

  g_assert_false (maphex_inspector_write_row (f.inspector, MAPHEX_INSPECT_INT32));
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "int32: Needs 4 bytes, 2 left");
  /* A character too long for what is left. */
  type_and_enter (&f, MAPHEX_INSPECT_UTF8, "€");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "UTF-8: Needs 3 bytes, 2 left");

  /* At the end itself. */
  maphex_inspector_set_cursor (f.inspector, FILE_LEN);
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_UINT8), ==, "End of file");
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==, "");

  assert_doc_bytes (f.doc, 0, file_data, FILE_LEN);
  g_assert_false (maphex_document_get_can_undo (f.doc));
  fixture_close (&f);
}

static void
test_bytes_that_fault_show_question_marks (void)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  g_autofree guint8 *data = g_malloc0 (3 * page);
  Fixture f = { 0 };

  data[page - 2] = 0x34;
  data[page - 1] = 0x12;
  fixture_open_data (&f, MAPHEX_MODE_READ_ONLY, data, 3 * page);

  /* Another program cuts the file after its first page. */
  g_assert_cmpint (truncate (f.path, (off_t) page), ==, 0);
  maphex_inspector_set_cursor (f.inspector, (gint64) page - 2);

  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT16), ==, "4660");   /* 0x1234 */
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_INT32), ==, "??");
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_GUID), ==, "??");
  g_assert_cmpint (maphex_inspector_get_row (f.inspector, MAPHEX_INSPECT_INT32)->status, ==,
                   MAPHEX_INSPECT_STATUS_FAULT);
  g_assert_false (maphex_inspector_write_row (f.inspector, MAPHEX_INSPECT_INT32));
  g_assert_cmpstr (maphex_inspector_get_message (f.inspector), ==,
                   "int32: Cannot be read: the file shrank under the document");

  /* Wholly past the new end. */
  maphex_inspector_set_cursor (f.inspector, (gint64) page + 8);
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_UINT8), ==, "??");

  fixture_close (&f);
}

static void
test_refreshes_when_the_bytes_or_the_length_change (void)
{
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH);
  maphex_inspector_set_cursor (f.inspector, 16);

  /* Something being typed in one row... */
  gtk_editable_set_text (maphex_inspector_edit_row (f.inspector, MAPHEX_INSPECT_UINT8), "7");
  /* ...while another view writes under the cursor. */
  g_assert_true (maphex_document_replace (f.doc, 18, (const guint8 *) "\0\0", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "22136");   /* 0x00005678 */
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "7");
  escape (&f, MAPHEX_INSPECT_UINT8);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "120");

  /* A write elsewhere is not this position's business. */
  g_assert_true (maphex_document_replace (f.doc, 40, (const guint8 *) "\x01", 1, &error));
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "22136");

  /* The file is cut to 18 bytes: two are left at the cursor. */
  g_assert_true (maphex_document_resize (f.doc, NULL, 18, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reason_of (&f, MAPHEX_INSPECT_INT32), ==, "Needs 4 bytes, 2 left");
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT16), ==, "22136");

  fixture_close (&f);
}

static void
test_follows_a_hex_view (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(MaphexDocument) other = NULL;
  Fixture f = { 0 };
  GtkWidget *box, *view;
  g_autofree char *other_path = NULL;

  f.path = wt_make_temp_file ("maphex-inspector-XXXXXX", file_data, sizeof file_data, 0);
  file = g_file_new_for_path (f.path);
  f.doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_no_error (error);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  view = maphex_hex_view_new (f.doc);
  gtk_widget_set_hexpand (view, TRUE);
  f.inspector = MAPHEX_INSPECTOR (maphex_inspector_new ());
  gtk_box_append (GTK_BOX (box), view);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f.inspector));
  maphex_inspector_set_view (f.inspector, MAPHEX_HEX_VIEW (view));
  f.window = wt_show_in_window (box, 1100, 700, wt_is_mapped_and_allocated);

  g_assert_true (maphex_inspector_get_document (f.inspector) == f.doc);
  maphex_hex_view_set_cursor (MAPHEX_HEX_VIEW (view), 16, FALSE);
  g_assert_cmpint (maphex_inspector_get_cursor (f.inspector), ==, 16);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_INT32), ==, "305419896");

  /* The view shows another document: so does the inspector. */
  other_path = wt_make_temp_file ("maphex-inspector-XXXXXX", (const guint8 *) "\x2a", 1, 0);
  g_clear_object (&file);
  file = g_file_new_for_path (other_path);
  other = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_no_error (error);
  maphex_hex_view_set_document (MAPHEX_HEX_VIEW (view), other);
  g_assert_true (maphex_inspector_get_document (f.inspector) == other);
  g_assert_cmpint (maphex_inspector_get_cursor (f.inspector), ==,
                   maphex_hex_view_get_cursor (MAPHEX_HEX_VIEW (view)));
  maphex_hex_view_set_cursor (MAPHEX_HEX_VIEW (view), 0, FALSE);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "42");

  /* The view goes first: the inspector outlives it without harm. */
  gtk_box_remove (GTK_BOX (box), view);
  wt_pump ();
  maphex_inspector_set_cursor (f.inspector, 0);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_UINT8), ==, "42");

  fixture_close (&f);
  g_unlink (other_path);
}

static void
test_without_a_document (void)
{
  MaphexInspector *inspector = MAPHEX_INSPECTOR (g_object_ref_sink (maphex_inspector_new ()));

  g_assert_null (maphex_inspector_get_document (inspector));
  g_assert_cmpstr (maphex_inspector_get_text (inspector, MAPHEX_INSPECT_INT8), ==, "");
  g_assert_cmpstr (maphex_inspector_get_row (inspector, MAPHEX_INSPECT_INT8)->text, ==, "End of file");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (maphex_inspector_edit_row (inspector, MAPHEX_INSPECT_INT8))),
                   ==, "End of file");
  g_assert_false (maphex_inspector_write_row (inspector, MAPHEX_INSPECT_INT8));
  g_assert_cmpstr (maphex_inspector_get_message (inspector), ==, "No document to write to");
  g_object_unref (inspector);
}

static MaphexInspectorRows *
find_rows (GtkWidget *widget)
{
  return MAPHEX_INSPECTOR_ROWS (wt_find_descendant (widget, MAPHEX_TYPE_INSPECTOR_ROWS));
}

/* What the rows drew in the last frame, after the next one is painted. */
static const char *
drawn (Fixture            *f,
       MaphexInspectField  field)
{
  return maphex_inspector_rows_get_drawn_value (find_rows (GTK_WIDGET (f->inspector)), field);
}

static void
next_frame (Fixture *f)
{
  g_assert_true (wt_wait_for_frame (GTK_WIDGET (f->window)));
  g_assert_true (wt_wait_for_frame (GTK_WIDGET (f->window)));
}

/* What the rows draw of `field` once it is `expected`, within ten frames
 * (on a loaded machine the frame that draws a change may come after the
 * two next_frame() waits for); else what they drew last. */
static const char *
drawn_soon (Fixture            *f,
            MaphexInspectField  field,
            const char         *expected)
{
  for (int i = 0; i < 10 && g_strcmp0 (drawn (f, field), expected) != 0; i++)
    next_frame (f);
  return drawn (f, field);
}

/* The rows keep the nodes they drew: a value drawn again only when its
 * text changed must still be drawn again after a move, an edit at the
 * cursor by someone else, an edit in the row, and as a reason at the end. */
static void
test_drawn_values_follow_moves_and_edits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *int32_at_16 = NULL;
  Fixture f = { 0 };

  fixture_open (&f, MAPHEX_MODE_WRITE_THROUGH);
  maphex_inspector_set_cursor (f.inspector, 16);
  next_frame (&f);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT32, "305419896"), ==, "305419896");
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_UINT8, "120"), ==, "120");
  int32_at_16 = g_strdup (drawn (&f, MAPHEX_INSPECT_INT32));

  /* A move: 56 34 12 00. */
  maphex_inspector_set_cursor (f.inspector, 17);
  next_frame (&f);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT32, "1193046"), ==, "1193046");
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_UINT8, "86"), ==, "86");

  /* Another view writes at the cursor. */
  g_assert_true (maphex_document_replace (f.doc, 17, (const guint8 *) "\x01", 1, &error));
  g_assert_no_error (error);
  next_frame (&f);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_UINT8, "1"), ==, "1");
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT32, "1192961"), ==, "1192961");   /* 0x00123401 */

  /* An edit in a row: the editor goes, the row shows what it wrote. */
  type_and_enter (&f, MAPHEX_INSPECT_INT16, "-1");
  next_frame (&f);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT16, "-1"), ==, "-1");
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_UINT8, "255"), ==, "255");

  /* Back where it was: the value is drawn again, not the one before. */
  maphex_inspector_set_cursor (f.inspector, 16);
  next_frame (&f);
  g_assert_cmpstr (drawn (&f, MAPHEX_INSPECT_INT32), !=, int32_at_16);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT32, text_of (&f, MAPHEX_INSPECT_INT32)), ==,
                   text_of (&f, MAPHEX_INSPECT_INT32));

  /* Two bytes left: the row draws why it has no value. */
  maphex_inspector_set_cursor (f.inspector, FILE_LEN - 2);
  next_frame (&f);
  g_assert_cmpstr (drawn_soon (&f, MAPHEX_INSPECT_INT32, "Needs 4 bytes, 2 left"), ==, "Needs 4 bytes, 2 left");

  fixture_close (&f);
}

/* Tooltips are made when asked for, from the row as it is then. */
/* The row whose area `y` falls inside (not on its top edge), or -1. */
static int
row_cut_by (MaphexInspectorRows *rows,
            double               y)
{
  for (int r = 0; r < MAPHEX_INSPECT_N_FIELDS; r++)
    {
      graphene_rect_t area;

      maphex_inspector_rows_get_row_area (rows, r, &area);
      if (area.origin.y < y && area.origin.y + area.size.height > y)
        return r;
    }
  return -1;
}

/* In a short panel only the rows in view are drawn; scrolling draws the
 * ones it brings into view (the viewport alone would show the nodes of
 * the last frame, moved). */
static void
test_only_rows_in_view_are_drawn (void)
{
  Fixture f = { 0 };
  GtkWidget *viewport;
  GtkAdjustment *adjustment;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY);
  gtk_window_set_default_size (f.window, 360, 300);
  maphex_inspector_set_cursor (f.inspector, 28);   /* "éA": the Latin-1 row is "Ã" */
  next_frame (&f);
  next_frame (&f);
  viewport = gtk_widget_get_ancestor (GTK_WIDGET (find_rows (GTK_WIDGET (f.inspector))), GTK_TYPE_VIEWPORT);
  g_assert_nonnull (viewport);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (viewport));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adjustment), <, gtk_adjustment_get_upper (adjustment) / 2);
  g_assert_cmpstr (drawn (&f, MAPHEX_INSPECT_INT8), ==, text_of (&f, MAPHEX_INSPECT_INT8));
  g_assert_null (drawn (&f, MAPHEX_INSPECT_LATIN1));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  next_frame (&f);
  g_assert_cmpstr (text_of (&f, MAPHEX_INSPECT_LATIN1), ==, "Ã");
  g_assert_cmpstr (drawn (&f, MAPHEX_INSPECT_LATIN1), ==, "Ã");

  /* Moved while out of view, a row is drawn anew when it comes back. */
  maphex_inspector_set_cursor (f.inspector, 16);
  next_frame (&f);
  gtk_adjustment_set_value (adjustment, 0);
  next_frame (&f);
  g_assert_cmpstr (drawn (&f, MAPHEX_INSPECT_INT8), ==, "120");

  /* A taller window shows more rows without moving them: those it
   * brings into view are drawn, down to the one its bottom cuts through;
   * the rows below stay undrawn. */
  maphex_inspector_set_cursor (f.inspector, 28);
  next_frame (&f);
  gtk_window_set_default_size (f.window, 360, 700);
  next_frame (&f);
  next_frame (&f);
  {
    MaphexInspectorRows *rows = find_rows (GTK_WIDGET (f.inspector));
    int cut = row_cut_by (rows, gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment));

    g_assert_cmpint (cut, >, 2);
    g_assert_cmpint (cut, <, MAPHEX_INSPECT_N_FIELDS - 2);
    g_assert_cmpstr (drawn (&f, cut - 1), ==, text_of (&f, cut - 1));
    g_assert_cmpstr (drawn (&f, cut), ==, text_of (&f, cut));
    g_assert_null (drawn (&f, cut + 2));
  }

  fixture_close (&f);
}

static void
test_tooltips_say_what_the_row_is_now (void)
{
  Fixture f = { 0 };
  MaphexInspectorRows *rows;
  g_autofree char *ok = NULL;
  g_autofree char *short_of_bytes = NULL;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY);
  rows = find_rows (GTK_WIDGET (f.inspector));
  maphex_inspector_set_cursor (f.inspector, 16);
  ok = maphex_inspector_rows_dup_tooltip (rows, MAPHEX_INSPECT_INT32);
  g_assert_cmpstr (ok, ==, maphex_inspect_field_hint (MAPHEX_INSPECT_INT32));

  /* No frame in between: the move is read when the tooltip is made. */
  maphex_inspector_set_cursor (f.inspector, FILE_LEN - 2);
  short_of_bytes = maphex_inspector_rows_dup_tooltip (rows, MAPHEX_INSPECT_INT32);
  g_assert_cmpstr (short_of_bytes, ==, "Needs 4 bytes, 2 left");

  fixture_close (&f);
}

static GskRenderNode *
first_text_node (GskRenderNode *node)
{
  if (gsk_render_node_get_node_type (node) == GSK_TEXT_NODE)
    return node;
  if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
      {
        GskRenderNode *found = first_text_node (gsk_container_node_get_child (node, i));

        if (found != NULL)
          return found;
      }
  return NULL;
}

typedef struct {
  PangoGlyphInfo glyphs[64];
  guint          len;
  PangoFont     *font;    /* the first text node's */
} Glyphs;

/* Every glyph of every text node under `node`, in order. */
static void
collect_glyphs (GskRenderNode *node,
                Glyphs        *out)
{
  if (gsk_render_node_get_node_type (node) == GSK_TEXT_NODE)
    {
      /* The count, not get_glyphs()'s: it is declared pure, so its out
       * argument may be read before it is written. */
      guint n = gsk_text_node_get_num_glyphs (node);
      const PangoGlyphInfo *g = gsk_text_node_get_glyphs (node, NULL);

      g_assert_cmpuint (out->len + n, <=, G_N_ELEMENTS (out->glyphs));
      memcpy (out->glyphs + out->len, g, n * sizeof *g);
      out->len += n;
      if (out->font == NULL)
        out->font = gsk_text_node_get_font (node);
    }
  else if (gsk_render_node_get_node_type (node) == GSK_CONTAINER_NODE)
    for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
      collect_glyphs (gsk_container_node_get_child (node, i), out);
  else if (gsk_render_node_get_node_type (node) == GSK_TRANSFORM_NODE)
    collect_glyphs (gsk_transform_node_get_child (node), out);
}

/* What `layout` draws of `text` at (10, 20), as a node. */
static GskRenderNode *
pango_node (PangoLayout *layout,
            const char  *text)
{
  const GdkRGBA black = { 0, 0, 0, 1 };
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (10, 20));
  gtk_snapshot_append_layout (snapshot, layout, &black);
  return gtk_snapshot_free_to_node (snapshot);
}

/* The table's node for `text` has the glyphs, advances and font of what
 * the layout draws; `same_line` also asks for the same baseline. */
static void
assert_drawn_as_pango (MaphexGlyphText *table,
                       PangoLayout     *layout,
                       const char      *text,
                       int              max_width,
                       gboolean         same_line)
{
  const GdkRGBA black = { 0, 0, 0, 1 };
  g_autoptr(GskRenderNode) ours = maphex_glyph_text_node (table, text, 10, 20, max_width, &black);
  g_autoptr(GskRenderNode) theirs = NULL;
  Glyphs a = { .len = 0 }, b = { .len = 0 };
  g_autoptr(PangoFontDescription) desc_a = NULL;
  g_autoptr(PangoFontDescription) desc_b = NULL;

  g_assert_nonnull (ours);
  theirs = pango_node (layout, text);
  collect_glyphs (ours, &a);
  collect_glyphs (theirs, &b);
  g_assert_cmpuint (a.len, ==, b.len);
  g_assert_cmpuint (a.len, >, 0);
  for (guint i = 0; i < a.len; i++)
    {
      g_assert_cmpuint (a.glyphs[i].glyph, ==, b.glyphs[i].glyph);
      g_assert_cmpint (a.glyphs[i].geometry.width, ==, b.glyphs[i].geometry.width);
    }
  desc_a = pango_font_describe (a.font);
  desc_b = pango_font_describe (b.font);
  g_assert_true (pango_font_description_equal (desc_a, desc_b));
  if (same_line)
    {
      GskRenderNode *ta = first_text_node (ours), *tb = first_text_node (theirs);

      g_assert_cmpfloat_with_epsilon (gsk_text_node_get_offset (ta)->x, gsk_text_node_get_offset (tb)->x, 0.01);
      g_assert_cmpfloat_with_epsilon (gsk_text_node_get_offset (ta)->y, gsk_text_node_get_offset (tb)->y, 0.01);
    }
}

/* Cut to `max_width`, the table keeps the longest start of the text that
 * leaves room for the ellipsis Pango would end it with. */
static void
assert_cut (MaphexGlyphText *table,
            PangoLayout     *layout,
            const char      *text,
            int              max_width)
{
  const GdkRGBA black = { 0, 0, 0, 1 };
  g_autoptr(GskRenderNode) whole = maphex_glyph_text_node (table, text, 0, 0, 10000, &black);
  g_autoptr(GskRenderNode) cut = maphex_glyph_text_node (table, text, 0, 0, max_width, &black);
  g_autoptr(GskRenderNode) theirs = NULL;
  Glyphs a = { .len = 0 }, b = { .len = 0 }, c = { .len = 0 };
  int width = 0;

  g_assert_nonnull (cut);
  collect_glyphs (whole, &a);
  collect_glyphs (cut, &b);
  g_assert_cmpuint (b.len, >=, 2);
  g_assert_cmpuint (b.len, <=, a.len);
  for (guint i = 0; i + 1 < b.len; i++)
    {
      g_assert_cmpuint (b.glyphs[i].glyph, ==, a.glyphs[i].glyph);
      width += b.glyphs[i].geometry.width;
    }
  /* It fits, and one more character would not. */
  g_assert_cmpint (width + b.glyphs[b.len - 1].geometry.width, <=, max_width * PANGO_SCALE);
  g_assert_cmpint (width + a.glyphs[b.len - 1].geometry.width + b.glyphs[b.len - 1].geometry.width, >,
                   max_width * PANGO_SCALE);
  /* The last glyph is Pango's ellipsis. */
  pango_layout_set_width (layout, max_width * PANGO_SCALE);
  theirs = pango_node (layout, text);
  pango_layout_set_width (layout, -1);
  collect_glyphs (theirs, &c);
  g_assert_cmpuint (c.len, >=, 1);
  g_assert_cmpuint (b.glyphs[b.len - 1].glyph, ==, c.glyphs[c.len - 1].glyph);
}

/* The glyph table draws what Pango lays out, in the values' monospace font
 * and in the details' proportional one made plain: the same glyphs,
 * advances and baseline; a character beyond ASCII alone with the glyph and
 * font Pango takes for it; a text too wide cut with Pango's ellipsis. What
 * it cannot draw is left to the layout. */
static void
test_glyph_table_draws_as_pango_does (void)
{
  GtkWidget *label = gtk_label_new ("x");
  GtkWindow *window = wt_show_in_window (label, 100, 100, wt_is_mapped);
  const char *fonts[] = { "Monospace 11", "Sans 9" };
  const GdkRGBA black = { 0, 0, 0, 1 };

  for (guint f = 0; f < G_N_ELEMENTS (fonts); f++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, NULL);
      g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (fonts[f]);
      g_autoptr(MaphexGlyphText) table = NULL;
      /* Letters that kern and join in many proportional fonts. */
      const char *text = "-1.5e+07 0x1F {} AVATAR Type office";
      /* Beyond ASCII: Latin, Greek, Cyrillic, CJK, a private-use
       * character and a Hangul syllable (drawn as a box where no font
       * has them), a mark. */
      const gunichar others[] = { 0xe9, 0xdf, 0x3a9, 0x416, 0x7bb8, 0xe000, 0xd55c, 0xb8 };
      int width = 0, drawn = 0;
      guint checked;

      pango_layout_set_font_description (layout, desc);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      maphex_glyph_text_make_plain (layout);
      table = maphex_glyph_text_new (layout);

      assert_drawn_as_pango (table, layout, text, 1000, TRUE);
      pango_layout_get_pixel_size (layout, &width, NULL);
      assert_drawn_as_pango (table, layout, text, width, TRUE);
      for (int w = width - 1; w > width / 4; w -= 13)
        assert_cut (table, layout, text, w);
      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        {
          char s[8] = "";
          g_autoptr(GskRenderNode) node = NULL;

          g_unichar_to_utf8 (others[i], s);
          node = maphex_glyph_text_node (table, s, 10, 20, 1000, &black);
          if (node == NULL)
            continue;
          /* Another font's glyph sits on the table's baseline. */
          assert_drawn_as_pango (table, layout, s, 1000, others[i] < 0x100);
          drawn++;
        }
      g_assert_cmpint (drawn, >=, 4);   /* at least the Latin and Greek letters */

      /* Across the plane: what the table draws of a character is Pango's
       * glyph in Pango's font, whether some font has it or none (a box in
       * the font Pango falls back to, for a letter of any script). */
      drawn = 0;
      for (gunichar wc = 0xa0; wc < 0xfffe; wc++)
        {
          char s[8] = "";
          g_autoptr(GskRenderNode) node = NULL;
          GskRenderNode *theirs = NULL;

          if (wc >= 0xd800 && wc < 0xe000)
            continue;
          g_unichar_to_utf8 (wc, s);
          node = maphex_glyph_text_node (table, s, 10, 20, 1000, &black);
          if (node == NULL)
            continue;
          theirs = pango_node (layout, s);
          if (theirs == NULL)
            /* A blank: drawn as nothing both ways. */
            g_assert_null (first_text_node (node));
          else
            assert_drawn_as_pango (table, layout, s, 1000, FALSE);
          g_clear_pointer (&theirs, gsk_render_node_unref);
          drawn++;
        }
      g_assert_cmpint (drawn, >=, 10000);

      /* A letter no font has is Pango's box whatever its script, and the
       * table draws it too (Thai and Devanagari consonants: their scripts
       * shape, but there is nothing to shape in a box). */
      checked = 0;
      for (gunichar wc = 0x0915; wc <= 0x0e2e; wc = wc == 0x0939 ? 0x0e01 : wc + 1)
        {
          char s[8] = "";
          g_autoptr(GskRenderNode) theirs = NULL;
          Glyphs b = { .len = 0 };

          g_unichar_to_utf8 (wc, s);
          theirs = pango_node (layout, s);
          if (theirs != NULL)
            collect_glyphs (theirs, &b);
          if (b.len == 1 && (b.glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            {
              g_autoptr(GskRenderNode) ours = maphex_glyph_text_node (table, s, 10, 20, 1000, &black);

              g_assert_nonnull (ours);
              checked++;
            }
        }
      g_test_message ("%u letters of shaping scripts that no font has drawn as boxes", checked);

      /* Left to the layout: no room for a character and the ellipsis,
       * several characters beyond ASCII, a lone combining mark, a letter
       * whose shape depends on its neighbours, one character too wide. */
      g_assert_null (maphex_glyph_text_node (table, text, 0, 0, 2, &black));
      g_assert_null (maphex_glyph_text_node (table, "é1", 0, 0, 1000, &black));
      g_assert_null (maphex_glyph_text_node (table, "\xcc\x81", 0, 0, 1000, &black));
      g_assert_null (maphex_glyph_text_node (table, "\xd8\xa8", 0, 0, 1000, &black));
      g_assert_null (maphex_glyph_text_node (table, "é", 0, 0, 1, &black));
    }

  gtk_window_destroy (window);
  wt_drain ();
}

/* The hex view and the rows draw with the theme's accent as it names it. */
static void
test_theme_colours_come_from_the_theme (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GtkWidget *label = gtk_label_new ("x");
  MaphexThemeColors colors;
  GdkRGBA accent, error;
  GtkWindow *window;

  gtk_css_provider_load_from_data (provider,
                                   "@define-color accent_bg_color #123456;\n"
                                   "@define-color accent_color #abcdef;\n"
                                   "@define-color error_color #654321;\n", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
  window = wt_show_in_window (label, 100, 100, wt_is_mapped);
  maphex_theme_get_colors (label, &colors);
  gdk_rgba_parse (&accent, "#123456");
  gdk_rgba_parse (&error, "#654321");
  g_assert_true (gdk_rgba_equal (&colors.accent, &accent));
  g_assert_true (gdk_rgba_equal (&colors.error, &error));
  g_assert_cmpfloat (colors.dim.alpha, <, colors.fg.alpha);

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider));
  gtk_window_destroy (window);
  wt_drain ();
}

/* The panel as it looks, with a value of each kind and an error showing. */
static void
test_renders (void)
{
  Fixture f = { 0 };
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  const char *path = g_getenv ("MAPHEX_INSPECTOR_SCREENSHOT");
  int width, height;

  fixture_open (&f, MAPHEX_MODE_READ_ONLY);
  maphex_inspector_set_cursor (f.inspector, 16);
  type_and_enter (&f, MAPHEX_INSPECT_INT16, "12x");
  wt_wait_for_frame (GTK_WIDGET (f.window));

  width = gtk_widget_get_width (GTK_WIDGET (f.window));
  height = gtk_widget_get_height (GTK_WIDGET (f.window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (f.window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f.window)), node, NULL);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 0);
  if (path != NULL)
    g_assert_true (gdk_texture_save_to_png (texture, path));

  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inspector/rows", test_rows_show_the_bytes_at_the_cursor);
  g_test_add_func ("/inspector/edit-int32-undo", test_edit_int32_writes_one_undo_step);
  g_test_add_func ("/inspector/read-only", test_read_only_refuses_with_the_documents_message);
  g_test_add_func ("/inspector/bad-input", test_bad_input_shows_the_error_and_writes_nothing);
  g_test_add_func ("/inspector/end-of-file", test_rows_past_the_end_say_so_and_write_nothing);
  g_test_add_func ("/inspector/fault", test_bytes_that_fault_show_question_marks);
  g_test_add_func ("/inspector/refresh", test_refreshes_when_the_bytes_or_the_length_change);
  g_test_add_func ("/inspector/follows-view", test_follows_a_hex_view);
  g_test_add_func ("/inspector/no-document", test_without_a_document);
  g_test_add_func ("/inspector/renders", test_renders);
  g_test_add_func ("/inspector/drawn-values", test_drawn_values_follow_moves_and_edits);
  g_test_add_func ("/inspector/tooltips", test_tooltips_say_what_the_row_is_now);
  g_test_add_func ("/inspector/rows-in-view", test_only_rows_in_view_are_drawn);
  g_test_add_func ("/inspector/glyph-table", test_glyph_table_draws_as_pango_does);
  g_test_add_func ("/inspector/theme-colours", test_theme_colours_come_from_the_theme);

  return g_test_run ();
}
