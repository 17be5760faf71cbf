/* widget-test-util.c: see widget-test-util.h. */
#include "widget-test-util.h"

#include <glib/gstdio.h>
#include <unistd.h>

gboolean
wt_iterate_until (WtCondition done, gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

void
wt_wait_until (WtCondition done, gpointer data)
{
  g_assert_true (wt_iterate_until (done, data));
}

gboolean
wt_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
wt_is_mapped_and_allocated (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget)) && gtk_widget_get_height (GTK_WIDGET (widget)) > 0;
}

GtkWidget *
wt_find_descendant (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = wt_find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
wt_is_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (widget));
}

void
wt_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
wt_pump (void)
{
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  *(gboolean *) data = TRUE;
}

gboolean
wt_wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (widget);
  while (!painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (clock, id);
  return painted;
}

GtkWindow *
wt_show_in_window (GtkWidget *child, int width, int height, WtCondition ready)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  wt_wait_until (ready, child);
  return window;
}

char *
wt_make_temp_file (const char *tmpl, const guint8 *data, gsize len, gint64 sparse_length)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp (tmpl, &path, &error);

  g_assert_no_error (error);
  if (len > 0)
    g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  if (sparse_length > 0)
    g_assert_cmpint (ftruncate (fd, sparse_length), ==, 0);
  close (fd);
  return path;
}

GFile *
wt_make_counting_file (const char *dir, const char *name, gsize len)
{
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) i;
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

void
wt_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static gboolean
document_idle (gpointer doc)
{
  return !maphex_document_get_busy (doc);
}

void
wt_wait_for_operation (MaphexDocument *doc)
{
  wt_wait_until (document_idle, doc);
  /* The operation's own callback (the caller's) comes right after. */
  wt_pump ();
}

guint8
wt_byte_at (MaphexDocument *doc, gint64 offset)
{
  g_autoptr(GError) error = NULL;
  guint8 b = 0;

  g_assert_true (maphex_document_read (doc, offset, &b, 1, &error));
  g_assert_no_error (error);
  return b;
}

void
wt_destroy_app_windows (GtkApplication *app)
{
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  wt_pump ();
}

char *
wt_init_app_test (int *argc, char ***argv, const char *schema_dir, const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (argc, argv, NULL);

  dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

void
wt_register_non_unique (GApplication *app)
{
  g_autoptr(GError) error = NULL;

  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
}

AdwMessageDialog *
wt_find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

gboolean
wt_has_message_dialog (gpointer parent)
{
  return wt_find_message_dialog (parent) != NULL;
}

/* The button under `widget` whose label is `label`. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
wt_answer_message_dialog (AdwMessageDialog *dialog,
                          const char       *response)
{
  GtkWidget *button;

  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  button = find_button (GTK_WIDGET (dialog), adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}
