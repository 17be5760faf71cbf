/* test-document.c: MaphexDocument without a display: opening in each mode and
 * every open error, edits and their undo, the length-changing edits and their
 * refusals, saving per mode, Save As, scratch buffers, reload, the file
 * monitor and faults after the file shrinks under the map.
 *
 * Every test works in a temporary folder of its own run.
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *tmp_dir;
static guint file_counter;
static gint64 page;

/* ------------------------------------------------------------------ helpers */

static char *
make_file (const void *data,
           gsize       len)
{
  g_autofree char *name = g_strdup_printf ("file-%u.bin", ++file_counter);
  char *path = g_build_filename (tmp_dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (fd, >=, 0);
  if (len > 0)
    g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

/* A file of `len` bytes where byte i is (i * 7 + 3) & 0xff. */
static char *
make_patterned_file (gsize len)
{
  g_autofree guint8 *data = g_malloc (MAX (len, 1));

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + 3);
  return make_file (data, len);
}

static char *
make_sparse_file (gint64 len)
{
  char *path = make_file (NULL, 0);
  int fd = open (path, O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  if (ftruncate (fd, len) != 0)
    {
      close (fd);
      g_unlink (path);
      g_free (path);
      return NULL;
    }
  close (fd);
  return path;
}

static MaphexDocument *
open_doc (const char *path,
          MaphexMode  mode)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, mode, &error);

  g_assert_no_error (error);
  g_assert_true (MAPHEX_IS_DOCUMENT (doc));
  return doc;
}

static GError *
open_doc_error (const char *path,
                MaphexMode  mode)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GError *error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, mode, &error);

  g_assert_null (doc);
  g_assert_nonnull (error);
  return error;
}

static guint8 *
doc_contents (MaphexDocument *doc)
{
  g_autoptr(GError) error = NULL;
  gint64 len = maphex_document_get_length (doc);
  guint8 *data = g_malloc0 (MAX (len, 1));

  maphex_document_read (doc, 0, data, len, &error);
  g_assert_no_error (error);
  return data;
}

static GBytes *
file_contents (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static guint8
file_byte (const char *path,
           gint64      offset)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  guint8 byte = 0;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &byte, 1, offset), ==, 1);
  close (fd);
  return byte;
}

static void
external_write (const char *path,
                gint64      offset,
                const void *data,
                gsize       len)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, data, len, offset), ==, (gssize) len);
  close (fd);
}

static void
external_truncate (const char *path,
                   gint64      len)
{
  g_assert_cmpint (truncate (path, len), ==, 0);
}

static gint64
file_size (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_size;
}

static guint8
doc_byte (MaphexDocument *doc,
          gint64          offset)
{
  g_autoptr(GError) error = NULL;
  guint8 byte = 0;

  maphex_document_read (doc, offset, &byte, 1, &error);
  g_assert_no_error (error);
  return byte;
}

typedef struct {
  MaphexDocument *doc;   /* weak */
  guint  bytes_changed;
  gint64 last_offset;
  gint64 last_len;
  guint  file_changed;
  guint  file_shrunk;
  guint  length_notified;
  guint  modified_notified;
} Recorder;

static void
on_bytes_changed (MaphexDocument *doc,
                  gint64          offset,
                  gint64          len,
                  Recorder       *rec)
{
  rec->bytes_changed++;
  rec->last_offset = offset;
  rec->last_len = len;
}

static void
on_file_changed (MaphexDocument *doc,
                 Recorder       *rec)
{
  rec->file_changed++;
}

static void
on_file_shrunk (MaphexDocument *doc,
                Recorder       *rec)
{
  rec->file_shrunk++;
}

static void
on_notify_length (GObject    *object,
                  GParamSpec *pspec,
                  Recorder   *rec)
{
  rec->length_notified++;
}

static void
on_notify_modified (GObject    *object,
                    GParamSpec *pspec,
                    Recorder   *rec)
{
  rec->modified_notified++;
}

/* Handlers die with the test's Recorder: a document may outlive its test
 * (a queued "file-shrunk" holds a reference). */
static void
recorder_clear (Recorder *rec)
{
  if (rec->doc != NULL)
    {
      g_signal_handlers_disconnect_by_data (rec->doc, rec);
      g_object_remove_weak_pointer (G_OBJECT (rec->doc), (gpointer *) &rec->doc);
      rec->doc = NULL;
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recorder, recorder_clear)

static void
record (MaphexDocument *doc,
        Recorder       *rec)
{
  memset (rec, 0, sizeof *rec);
  rec->doc = doc;
  g_object_add_weak_pointer (G_OBJECT (doc), (gpointer *) &rec->doc);
  g_signal_connect (doc, "bytes-changed", G_CALLBACK (on_bytes_changed), rec);
  g_signal_connect (doc, "file-changed", G_CALLBACK (on_file_changed), rec);
  g_signal_connect (doc, "file-shrunk", G_CALLBACK (on_file_shrunk), rec);
  g_signal_connect (doc, "notify::length", G_CALLBACK (on_notify_length), rec);
  g_signal_connect (doc, "notify::modified", G_CALLBACK (on_notify_modified), rec);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *counter reaches `want` or `ms` pass. */
static void
iterate_until (guint *counter,
               guint  want,
               guint  ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &timed_out);

  while (!timed_out && (counter == NULL || *counter < want))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

#define assert_doc_error(error, code_, substring)                              \
  G_STMT_START {                                                               \
    g_assert_error ((error), MAPHEX_DOCUMENT_ERROR, (code_));                  \
    g_assert_nonnull (strstr ((error)->message, (substring)));                 \
  } G_STMT_END

/* ------------------------------------------------------------------ opening */

static void
test_open_read_only_maps_without_writing (void)
{
  g_autofree char *path = make_patterned_file (10000);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autofree char *name = maphex_document_dup_display_name (doc);
  g_autofree char *expected_name = g_path_get_basename (path);

  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 10000);
  g_assert_false (maphex_document_get_can_edit (doc));
  g_assert_false (maphex_document_get_can_resize (doc));
  g_assert_false (maphex_document_is_scratch (doc));
  g_assert_cmpstr (name, ==, expected_name);
  g_assert_cmpuint (doc_byte (doc, 9999), ==, (guint8) (9999 * 7 + 3));
  g_assert_cmpstr (maphex_mode_to_string (MAPHEX_MODE_READ_ONLY), ==, "Read-only");
}

static void
test_open_copy_on_write_is_editable_not_resizable (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);

  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_true (maphex_document_get_can_edit (doc));
  g_assert_false (maphex_document_get_can_resize (doc));
  g_assert_cmpstr (maphex_document_get_resize_refusal (doc), ==,
                   "Copy-on-write maps cannot be resized: reopen the file in write-through mode");
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_cmpuint (doc_byte (doc, 50), ==, (guint8) (50 * 7 + 3));
}

static void
test_open_write_through_is_editable_and_resizable (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);

  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_true (maphex_document_get_can_edit (doc));
  g_assert_true (maphex_document_get_can_resize (doc));
  g_assert_null (maphex_document_get_resize_refusal (doc));
}

static void
test_open_empty_file_has_length_zero_and_grows_in_write_through (void)
{
  g_autofree char *path = make_file (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) cow = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexExport *own;
  guint8 buf[4];

  g_assert_cmpint (maphex_document_get_length (cow), ==, 0);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 0);

  own = maphex_document_export (doc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_export_get_length (own), ==, 0);
  g_assert_true (maphex_export_copy (own, 0, buf, 0, &error));

  g_assert_true (maphex_document_insert (doc, own, 0, (const guint8 *) "abcd", 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 4);
  g_assert_cmpint (maphex_export_get_length (own), ==, 4);
  g_assert_true (maphex_export_copy (own, 0, buf, 4, &error));
  g_assert_cmpmem (buf, 4, "abcd", 4);
  g_assert_cmpint (file_size (path), ==, 4);

  /* Undo back to empty: the map goes away, the file is empty again. */
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 0);
  g_assert_cmpint (maphex_export_get_length (own), ==, 0);
  g_assert_cmpint (file_size (path), ==, 0);

  g_assert_true (maphex_document_resize (doc, own, 8192, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_size (path), ==, 8192);
  maphex_document_unexport (doc, own);
}

static void
test_open_missing_file_is_not_found (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "does-not-exist", NULL);
  g_autoptr(GError) error = open_doc_error (path, MAPHEX_MODE_COPY_ON_WRITE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "No such file"));
}

static void
test_open_directory_is_refused (void)
{
  MaphexMode modes[] = { MAPHEX_MODE_READ_ONLY, MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_MODE_WRITE_THROUGH };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = open_doc_error (tmp_dir, modes[i]);

      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
      g_assert_nonnull (strstr (error->message, tmp_dir));
    }
}

/* A FIFO cannot be mapped: opening says it needs a snapshot (test-devices.c
   reads one), without blocking for a writer. */
static void
test_open_fifo_needs_a_snapshot_and_does_not_block (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "fifo", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  error = open_doc_error (path, MAPHEX_MODE_READ_ONLY);
  expected = g_strdup_printf ("“%s” is a FIFO: it cannot be mapped, only read once as a snapshot", path);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  error = open_doc_error (path, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT);
  g_unlink (path);
}

/* A character device is neither mapped nor read: it may never end. */
static void
test_open_character_device_is_refused (void)
{
  g_autoptr(GError) error = open_doc_error ("/dev/null", MAPHEX_MODE_READ_ONLY);

  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, "“/dev/null” is a character device"));
  g_assert_nonnull (strstr (error->message, "may never end"));
}

/* Whether every folder from `dir` up to / lets anyone through. */
static gboolean
world_traversable (const char *dir)
{
  g_autofree char *current = g_strdup (dir);

  for (;;)
    {
      struct stat st;
      g_autofree char *parent = NULL;

      if (stat (current, &st) != 0 || !(st.st_mode & S_IXOTH))
        return FALSE;
      parent = g_path_get_dirname (current);
      if (g_str_equal (parent, current))
        return TRUE;
      g_free (current);
      current = g_steal_pointer (&parent);
    }
}

/* A folder the unprivileged child can reach, named after the parent test
 * process so the child finds it; NULL when there is none. */
static char *
permission_dir_path (pid_t owner)
{
  g_autofree char *name = g_strdup_printf ("maphex-test-document-perm-%d", (int) owner);
  const char *bases[] = { g_get_tmp_dir (), "/tmp", "/var/tmp", "/dev/shm" };

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    if (world_traversable (bases[i]))
      return g_build_filename (bases[i], name, NULL);
  return NULL;
}

/* Runs as an unprivileged user (root bypasses file permissions). */
static void
test_open_without_permission_subprocess (void)
{
  g_autofree char *dir = permission_dir_path (getppid ());
  g_autofree char *path = g_build_filename (dir, "read-only.bin", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }

  error = open_doc_error (path, MAPHEX_MODE_WRITE_THROUGH);
  expected = g_strdup_printf ("Cannot open “%s” for writing: Permission denied", path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* The alternatives the window offers work on the same file. */
  doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 3);
  g_assert_true (maphex_document_set_byte (doc, 0, 'X', FALSE, &error));
  g_assert_no_error (error);

  /* Saving copy-on-write edits needs write permission: a clear error. */
  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (maphex_document_get_modified (doc));
}

static gboolean
can_drop_privileges (void)
{
  pid_t pid;
  int status = 0;

  if (geteuid () != 0)
    return TRUE;
  pid = fork ();
  if (pid == 0)
    _exit (setgid (65534) == 0 && setuid (65534) == 0 ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) != pid)
    return FALSE;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_open_without_permission_for_write_through (void)
{
  g_autofree char *dir = permission_dir_path (getpid ());
  g_autofree char *path = g_build_filename (dir, "read-only.bin", NULL);

  if (!can_drop_privileges ())
    {
      g_test_skip ("running as root without CAP_SETUID: file permissions cannot deny root");
      return;
    }
  if (dir == NULL)
    {
      g_test_skip ("no temporary folder that an unprivileged user can reach");
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (chmod (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "abc", 3, NULL));
  g_assert_cmpint (chmod (path, 0444), ==, 0);

  g_test_trap_subprocess ("/document/open/without-permission-for-write-through/subprocess", 0,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unlink (path);
  g_rmdir (dir);
  g_test_trap_assert_passed ();
}

/* What the process has read through read(2) and its kin, from /proc/self/io
 * (rchar: every byte a read call returned, page cache or not). */
static gint64
process_read_chars (void)
{
  g_autofree char *io = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/io", &io, NULL, NULL));
  line = strstr (io, "rchar: ");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("rchar: "), NULL, 10);
}

/* The process's resident memory in bytes, from /proc/self/statm: pages of a
 * file mapping count once touched. */
static gint64
process_resident_bytes (void)
{
  g_autofree char *statm = NULL;
  char *p;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  p = strchr (statm, ' ');
  g_assert_nonnull (p);
  return g_ascii_strtoll (p + 1, NULL, 10) * page;
}

/* Opening maps the file and reads none of it: neither through read calls
 * (rchar) nor by touching the map (resident memory). Either would grow by
 * about the file's size if open read it; a few MiB of slack cover GLib's
 * own reads and allocations. Performance itself is for the benchmarks. */
#define OPEN_READ_SLACK ((gint64) 16 << 20)

static void
assert_opens_without_reading (const char *path,
                              MaphexMode  mode)
{
  gint64 rchar = process_read_chars ();
  gint64 rss = process_resident_bytes ();
  g_autoptr(MaphexDocument) doc = open_doc (path, mode);

  g_assert_cmpint (maphex_document_get_length (doc), ==, (gint64) 1 << 40);
  g_assert_cmpint (process_read_chars () - rchar, <, OPEN_READ_SLACK);
  g_assert_cmpint (process_resident_bytes () - rss, <, OPEN_READ_SLACK);
}

static void
test_open_one_tebibyte_sparse_file_without_reading_it (void)
{
  g_autofree char *path = make_sparse_file ((gint64) 1 << 40);
  g_autofree char *small = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      g_test_skip ("the temporary filesystem cannot hold a 1 TiB sparse file");
      return;
    }

  /* A first open loads what GIO loads once (the file monitor's backend):
   * that is not reading the file. */
  doc = open_doc (small, MAPHEX_MODE_COPY_ON_WRITE);
  g_clear_object (&doc);

  assert_opens_without_reading (path, MAPHEX_MODE_COPY_ON_WRITE);
  assert_opens_without_reading (path, MAPHEX_MODE_READ_ONLY);
  assert_opens_without_reading (path, MAPHEX_MODE_WRITE_THROUGH);

  /* And the map reaches the last byte, editable there. */
  doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_cmpuint (doc_byte (doc, ((gint64) 1 << 40) - 1), ==, 0);
  g_assert_true (maphex_document_set_byte (doc, ((gint64) 1 << 40) - 1, 0xAB, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (doc_byte (doc, ((gint64) 1 << 40) - 1), ==, 0xAB);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 2);
  g_clear_object (&doc);
  g_unlink (path);
}

/* ------------------------------------------------------------------ exports */

static void
test_export_copy_is_range_checked (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(GError) error = NULL;
  MaphexExport *export_ = maphex_document_export (doc, &error);
  guint8 buf[8];

  g_assert_no_error (error);
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 1);
  g_assert_cmpint (maphex_export_get_length (export_), ==, 64);
  g_assert_true (maphex_export_copy (export_, 56, buf, 8, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (buf[7], ==, (guint8) (63 * 7 + 3));

  g_assert_false (maphex_export_copy (export_, 57, buf, 8, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_export_copy (export_, -1, buf, 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);

  maphex_document_unexport (doc, export_);
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 0);
}

static void
test_export_sees_edits_at_once (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  MaphexExport *a = maphex_document_export (doc, &error);
  MaphexExport *b = maphex_document_export (doc, &error);
  guint8 byte = 0;

  g_assert_true (maphex_document_set_byte (doc, 10, 0x5A, FALSE, &error));
  g_assert_true (maphex_export_copy (a, 10, &byte, 1, &error));
  g_assert_cmpuint (byte, ==, 0x5A);
  g_assert_true (maphex_export_copy (b, 10, &byte, 1, &error));
  g_assert_cmpuint (byte, ==, 0x5A);
  g_assert_no_error (error);
  maphex_document_unexport (doc, a);
  maphex_document_unexport (doc, b);
}

/* ------------------------------------------------------------------ edits */

static void
test_edit_replace_undo_redo (void)
{
  g_autofree char *path = make_patterned_file (256);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  guint8 buf[4];
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_false (maphex_document_get_can_undo (doc));

  g_assert_true (maphex_document_replace (doc, 100, (const guint8 *) "WXYZ", 4, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 100, buf, 4, &error));
  g_assert_cmpmem (buf, 4, "WXYZ", 4);
  g_assert_cmpuint (rec.bytes_changed, ==, 1);
  g_assert_cmpint (rec.last_offset, ==, 100);
  g_assert_cmpint (rec.last_len, ==, 4);
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_can_redo (doc));
  /* Copy-on-write: the file itself is untouched. */
  g_assert_cmpuint (file_byte (path, 100), ==, original[100]);

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree guint8 *now = doc_contents (doc);
    g_assert_cmpmem (now, 256, original, 256);
  }
  g_assert_cmpuint (rec.bytes_changed, ==, 2);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_true (maphex_document_get_can_redo (doc));

  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 100, buf, 4, &error));
  g_assert_cmpmem (buf, 4, "WXYZ", 4);
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_false (maphex_document_get_can_redo (doc));

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_false (maphex_document_undo (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOTHING_TO_UNDO);
}

static void
test_edit_new_edit_drops_redo (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (doc, 1, 1, FALSE, &error));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_get_can_redo (doc));
  g_assert_true (maphex_document_set_byte (doc, 2, 2, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_can_redo (doc));
}

static void
test_edit_typing_run_is_one_undo_step (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  guint8 buf[4];

  /* Nibble typing: the same offset twice, then the next offsets. */
  g_assert_true (maphex_document_set_byte (doc, 10, 0xA0, TRUE, &error));
  g_assert_true (maphex_document_set_byte (doc, 10, 0xAB, TRUE, &error));
  g_assert_true (maphex_document_set_byte (doc, 11, 0xCD, TRUE, &error));
  g_assert_true (maphex_document_set_byte (doc, 12, 0xEF, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 10, buf, 3, &error));
  g_assert_cmpmem (buf, 3, "\xAB\xCD\xEF", 3);
  g_assert_cmpuint (g_queue_get_length (&doc->undo), ==, 1);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 6);

  /* A jump starts a new step; so does merge=FALSE. */
  g_assert_true (maphex_document_set_byte (doc, 40, 0x11, TRUE, &error));
  g_assert_true (maphex_document_set_byte (doc, 41, 0x22, FALSE, &error));
  g_assert_cmpuint (g_queue_get_length (&doc->undo), ==, 3);

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_can_undo (doc));
  {
    g_autofree guint8 *now = doc_contents (doc);
    g_assert_cmpmem (now, 64, original, 64);
  }

  /* Redo replays the whole run. */
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_true (maphex_document_read (doc, 10, buf, 3, &error));
  g_assert_cmpmem (buf, 3, "\xAB\xCD\xEF", 3);
}

static void
test_edit_typing_does_not_merge_across_save (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (doc, 0, 1, TRUE, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_true (maphex_document_set_byte (doc, 1, 2, TRUE, &error));
  g_assert_cmpuint (g_queue_get_length (&doc->undo), ==, 2);
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_false (maphex_document_get_modified (doc));
}

static void
test_edit_fill_repeats_pattern (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  guint8 buf[10];

  g_assert_true (maphex_document_fill (doc, 20, 10, (const guint8 *) "abc", 3, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 20, buf, 10, &error));
  g_assert_cmpmem (buf, 10, "abcabcabca", 10);
  g_assert_cmpuint (doc_byte (doc, 19), ==, original[19]);
  g_assert_cmpuint (doc_byte (doc, 30), ==, original[30]);

  g_assert_true (maphex_document_fill (doc, 0, 100, (const guint8 *) "\xFF", 1, &error));
  g_assert_cmpuint (doc_byte (doc, 99), ==, 0xFF);

  g_assert_false (maphex_document_fill (doc, 95, 10, (const guint8 *) "x", 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_fill (doc, 0, 10, (const guint8 *) "x", 0, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  {
    g_autofree guint8 *now = doc_contents (doc);
    g_assert_cmpmem (now, 100, original, 100);
  }
}

static void
test_edit_fill_large_range_crosses_chunks (void)
{
  gint64 len = 3 * 1024 * 1024 + 5;
  g_autofree char *path = make_sparse_file (len);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *now = NULL;

  g_assert_true (maphex_document_fill (doc, 1, len - 1, (const guint8 *) "0123456", 7, &error));
  g_assert_no_error (error);
  now = doc_contents (doc);
  g_assert_cmpuint (now[0], ==, 0);
  for (gint64 i = 1; i < len; i++)
    if (now[i] != "0123456"[(i - 1) % 7])
      g_error ("byte %" G_GINT64_FORMAT " is %u", i, now[i]);
}

static void
test_edit_move_overlapping_and_undo (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  guint8 buf[10];
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_move (doc, 2, 0, 5, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 0, buf, 10, &error));
  g_assert_cmpmem (buf, 10, "0101234789", 10);
  g_assert_cmpint (rec.last_offset, ==, 2);
  g_assert_cmpint (rec.last_len, ==, 5);
  /* Undo keeps only the destination's old bytes. */
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 5);

  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_read (doc, 0, buf, 10, &error));
  g_assert_cmpmem (buf, 10, "0123456789", 10);
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_true (maphex_document_read (doc, 0, buf, 10, &error));
  g_assert_cmpmem (buf, 10, "0101234789", 10);

  g_assert_false (maphex_document_move (doc, 6, 0, 5, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_move (doc, 0, 8, 3, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_move (doc, 0, 0, -1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  /* move(len, 0, 0) is fine and records nothing. */
  g_assert_true (maphex_document_move (doc, 10, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_queue_get_length (&doc->undo), ==, 1);
}

static void
test_edit_refused_in_read_only_mode (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = file_contents (path);
  g_autoptr(GBytes) after = NULL;

  g_assert_false (maphex_document_replace (doc, 0, (const guint8 *) "a", 1, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_READONLY, "The file is open read-only");
  g_clear_error (&error);
  g_assert_false (maphex_document_set_byte (doc, 0, 1, TRUE, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_READONLY, "read-only");
  g_clear_error (&error);
  g_assert_false (maphex_document_fill (doc, 0, 4, (const guint8 *) "a", 1, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_READONLY, "read-only");
  g_clear_error (&error);
  g_assert_false (maphex_document_move (doc, 0, 4, 4, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_READONLY, "read-only");
  g_clear_error (&error);

  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_modified (doc));
  after = file_contents (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_edit_out_of_range_changes_nothing (void)
{
  g_autofree char *path = make_patterned_file (64);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  g_autofree guint8 *now = NULL;

  g_assert_false (maphex_document_replace (doc, 62, (const guint8 *) "abc", 3, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_RANGE, "outside the file");
  g_clear_error (&error);
  g_assert_false (maphex_document_set_byte (doc, 64, 1, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_set_byte (doc, -1, 1, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);

  now = doc_contents (doc);
  g_assert_cmpmem (now, 64, original, 64);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_modified (doc));
}

static void
test_undo_memory_is_proportional_to_the_change (void)
{
  g_autofree char *path = make_sparse_file (64 * 1024 * 1024);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (doc, 32 * 1024 * 1024, 0x42, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 2);

  /* A 16-byte fill with a 2-byte pattern: 16 old bytes and the pattern. */
  g_assert_true (maphex_document_fill (doc, 1000, 16, (const guint8 *) "ab", 2, &error));
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 2 + 16 + 2);

  /* Undone steps keep their bytes for redo, no more. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 2 + 16 + 2);
  g_assert_no_error (error);
}

static void
on_history_trimmed (MaphexDocument *doc, guint n, guint *dropped)
{
  *dropped += n;
}

static void
test_undo_limit_drops_the_oldest_steps (void)
{
  g_autofree char *path = make_patterned_file (4096);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  guint8 a[300], b[300], c[300];
  guint dropped = 0;

  g_assert_cmpuint (maphex_document_get_undo_limit (doc), ==, 256 * 1024 * 1024);
  g_signal_connect (doc, "history-trimmed", G_CALLBACK (on_history_trimmed), &dropped);
  maphex_document_set_undo_limit (doc, 1300);
  memset (a, 0xaa, sizeof a);
  memset (b, 0xbb, sizeof b);
  memset (c, 0xcc, sizeof c);

  /* Each replace keeps 600 bytes (old and new): two fit, the third drops the first. */
  g_assert_true (maphex_document_replace (doc, 0, a, sizeof a, &error));
  g_assert_true (maphex_document_replace (doc, 1000, b, sizeof b, &error));
  g_assert_cmpuint (dropped, ==, 0);
  g_assert_true (maphex_document_replace (doc, 2000, c, sizeof c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dropped, ==, 1);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 1200);

  /* The two newest undo; the oldest cannot, and the document stays modified
   * (its bytes are still changed). */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_cmpuint (doc_byte (doc, 0), ==, 0xaa);
  g_assert_cmpuint (doc_byte (doc, 1000), ==, original[1000]);
  g_assert_cmpuint (doc_byte (doc, 2000), ==, original[2000]);
  g_assert_false (maphex_document_undo (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  /* Redo still works; an edit larger than the limit stays undoable on its own. */
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_cmpuint (doc_byte (doc, 1000), ==, 0xbb);
  maphex_document_set_undo_limit (doc, 100);
  g_assert_cmpuint (dropped, ==, 1);   /* one step: nothing to drop */
  g_assert_true (maphex_document_replace (doc, 3000, c, sizeof c, &error));
  g_assert_cmpuint (dropped, ==, 2);
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (doc_byte (doc, 3000), ==, original[3000]);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_true (maphex_document_get_modified (doc));
}

/* ------------------------------------------------------------------ resize, insert, delete */

static void
test_resize_grow_and_shrink_with_undo (void)
{
  g_autofree char *path = make_patterned_file (1000);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *original = doc_contents (doc);
  MaphexExport *own = maphex_document_export (doc, &error);
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_resize (doc, own, 5000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 5000);
  g_assert_cmpint (maphex_export_get_length (own), ==, 5000);
  g_assert_cmpint (file_size (path), ==, 5000);
  g_assert_cmpuint (rec.length_notified, ==, 1);
  g_assert_cmpuint (doc_byte (doc, 4999), ==, 0);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 0);

  /* Shrinking keeps the cut tail for undo. */
  g_assert_true (maphex_document_resize (doc, own, 600, &error));
  g_assert_cmpint (file_size (path), ==, 600);
  g_assert_cmpuint (_maphex_document_get_history_bytes (doc), ==, 4400);

  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_cmpint (maphex_document_get_length (doc), ==, 5000);
  {
    g_autofree guint8 *now = doc_contents (doc);
    g_assert_cmpmem (now, 1000, original, 1000);
  }
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 1000);
  g_assert_cmpint (file_size (path), ==, 1000);
  g_assert_cmpuint (rec.length_notified, ==, 4);

  g_assert_true (maphex_document_redo (doc, own, &error));
  g_assert_true (maphex_document_redo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 600);

  g_assert_false (maphex_document_resize (doc, own, -1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  maphex_document_unexport (doc, own);
}

static void
test_insert_and_delete_with_undo_redo (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, &error);
  guint8 buf[16];
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_insert (doc, own, 3, (const guint8 *) "abc", 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 13);
  g_assert_true (maphex_export_copy (own, 0, buf, 13, &error));
  g_assert_cmpmem (buf, 13, "012abc3456789", 13);
  g_assert_cmpint (rec.last_offset, ==, 3);
  g_assert_cmpint (rec.last_len, ==, 10);

  /* Zeros, at the very end. */
  g_assert_true (maphex_document_insert (doc, own, 13, NULL, 2, &error));
  g_assert_true (maphex_export_copy (own, 0, buf, 15, &error));
  g_assert_cmpmem (buf, 15, "012abc3456789\0\0", 15);

  g_assert_true (maphex_document_delete (doc, own, 0, 4, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_export_copy (own, 0, buf, 11, &error));
  g_assert_cmpmem (buf, 11, "bc3456789\0\0", 11);
  {
    g_autoptr(GBytes) on_disk = file_contents (path);
    g_assert_cmpmem (g_bytes_get_data (on_disk, NULL), g_bytes_get_size (on_disk), "bc3456789\0\0", 11);
  }

  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_export_copy (own, 0, buf, 10, &error));
  g_assert_cmpmem (buf, 10, "0123456789", 10);
  g_assert_cmpint (file_size (path), ==, 10);

  g_assert_true (maphex_document_redo (doc, own, &error));
  g_assert_true (maphex_document_redo (doc, own, &error));
  g_assert_true (maphex_document_redo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_export_copy (own, 0, buf, 11, &error));
  g_assert_cmpmem (buf, 11, "bc3456789\0\0", 11);

  /* Deleting everything leaves an empty file, and undo brings it back. */
  g_assert_true (maphex_document_delete (doc, own, 0, 11, &error));
  g_assert_cmpint (maphex_document_get_length (doc), ==, 0);
  g_assert_cmpint (file_size (path), ==, 0);
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_export_copy (own, 0, buf, 11, &error));
  g_assert_cmpmem (buf, 11, "bc3456789\0\0", 11);
  maphex_document_unexport (doc, own);
}

/* Another program shrinks the file at the worst moment: when armed, the
 * next ftruncate(2) made by the code under test is followed at once by one
 * to `shrink_after_ftruncate` bytes. The core and the document are linked
 * into this program statically, so this definition takes the place of libc's
 * (with _FILE_OFFSET_BITS=64 their calls name ftruncate64). */
static gint64 shrink_after_ftruncate = -1;

int ftruncate64 (int fd, __off64_t length);

int
ftruncate64 (int        fd,
             __off64_t  length)
{
  long r = syscall (SYS_ftruncate, fd, length);

  if (r == 0 && shrink_after_ftruncate >= 0)
    {
      gint64 to = shrink_after_ftruncate;

      shrink_after_ftruncate = -1;
      g_assert_cmpint (syscall (SYS_ftruncate, fd, to), ==, 0);
    }
  return (int) r;
}

/* The insert grows the file, then another program cuts it to 3 pages before
 * the bytes after the cursor are shifted: the shift faults without moving
 * anything, and the failed insert must not shift back bytes it never moved
 * (which shifted the still-existing first pages by the inserted length). */
static void
test_insert_faulting_after_the_grow_leaves_the_remaining_bytes (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) before = file_contents (path);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *now = NULL;

  shrink_after_ftruncate = 3 * page;
  g_assert_false (maphex_document_insert (doc, NULL, page / 2, (const guint8 *) "0123456789abcdef",
                                          16, &error));
  g_assert_cmpint (shrink_after_ftruncate, ==, -1);   /* the injection happened */
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 4 * page);
  g_assert_false (maphex_document_get_can_undo (doc));

  now = doc_contents (doc);
  g_assert_cmpmem (now, 3 * page, g_bytes_get_data (before, NULL), 3 * page);
  {
    g_autoptr(GBytes) on_disk = file_contents (path);
    g_assert_cmpmem (g_bytes_get_data (on_disk, NULL), 3 * page,
                     g_bytes_get_data (before, NULL), 3 * page);
  }
}

/* Another program cut the file to 4 of its 8 pages; a delete of 100 bytes
 * in the second page shifts the rest down, and the shift faults where its
 * source leaves the file, after moving nearly 3 pages. The failed delete puts
 * back what it moved: the 4 pages that still exist are as they were. (100,
 * not a page: the file's pattern repeats every 256 bytes.) */
static void
test_delete_faulting_midway_puts_back_what_it_moved (void)
{
  g_autofree char *path = make_patterned_file (8 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) before = file_contents (path);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *now = g_malloc (4 * page);

  external_truncate (path, 4 * page);
  g_assert_false (maphex_document_delete (doc, NULL, page, 100, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 8 * page);
  g_assert_false (maphex_document_get_can_undo (doc));

  g_assert_true (maphex_document_read (doc, 0, now, 4 * page, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (now, 4 * page, g_bytes_get_data (before, NULL), 4 * page);
  {
    g_autoptr(GBytes) on_disk = file_contents (path);
    g_assert_cmpmem (g_bytes_get_data (on_disk, NULL), g_bytes_get_size (on_disk),
                     g_bytes_get_data (before, NULL), 4 * page);
  }
}

/* Undoing a shrink grows the file and writes the cut tail back; another
 * program cuts the file right after the grow, so the write faults. The undo
 * fails whole (it does not pass for done with the tail missing): the length
 * stays, and the step stays on the undo stack. */
static void
test_undo_of_shrink_faulting_on_the_tail_fails_whole (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_resize (doc, NULL, 2 * page, &error));
  g_assert_no_error (error);

  shrink_after_ftruncate = 3 * page;
  g_assert_false (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpint (shrink_after_ftruncate, ==, -1);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 2 * page);
  g_assert_cmpint (file_size (path), ==, 2 * page);
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_can_redo (doc));

  /* Nothing in the way now: the undo works and the tail is back. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_size (path), ==, 4 * page);
  g_assert_cmpuint (file_byte (path, 4 * page - 1), ==, (guint8) ((4 * page - 1) * 7 + 3));
}

/* A page of the map that can be read but not written: an edit that spans it
 * reads the old bytes, then faults partway through its writes. */
static void
protect_page (MaphexExport *export_,
              gint64        offset,
              int           prot)
{
  guint8 *data = mm_view_data (_maphex_export_get_view (export_));

  g_assert_cmpint (mprotect (data + offset, page, prot), ==, 0);
}

/* A replace, a move and an undo that fault partway (the page after the first
 * cannot be written) fail whole: the bytes they had already written are put
 * back, and the history is unchanged. (They wrote the bytes before the fault
 * and kept them, with no undo step for them.) */
static void
test_edit_faulting_partway_puts_back_what_it_wrote (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GBytes) before = file_contents (path);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *now = NULL;
  MaphexExport *export_ = maphex_document_export (doc, &error);
  const guint8 *orig = g_bytes_get_data (before, NULL);

  g_assert_no_error (error);

  /* A replace running up into the protected page. */
  protect_page (export_, page, PROT_READ);
  g_assert_false (maphex_document_replace (doc, page - 8, (const guint8 *) "0123456789abcdef",
                                           16, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_clear_pointer (&now, g_free);
  now = doc_contents (doc);
  g_assert_cmpmem (now, 4 * page, orig, 4 * page);

  /* A move running down from the top into it (dest > src: the last page
   * first). */
  g_assert_false (maphex_document_move (doc, page + 100, 100, 3 * page - 200, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_clear_pointer (&now, g_free);
  now = doc_contents (doc);
  g_assert_cmpmem (now, 4 * page, orig, 4 * page);

  /* An undo: the replace works with the page writable, its undo does not. */
  protect_page (export_, page, PROT_READ | PROT_WRITE);
  g_assert_true (maphex_document_replace (doc, page - 8, (const guint8 *) "0123456789abcdef",
                                          16, &error));
  g_assert_no_error (error);
  protect_page (export_, page, PROT_READ);
  g_assert_false (maphex_document_undo (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_true (maphex_document_get_can_undo (doc));
  g_clear_pointer (&now, g_free);
  now = doc_contents (doc);
  g_assert_cmpmem (now + page - 8, 16, "0123456789abcdef", 16);

  protect_page (export_, page, PROT_READ | PROT_WRITE);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&now, g_free);
  now = doc_contents (doc);
  g_assert_cmpmem (now, 4 * page, orig, 4 * page);
  maphex_document_unexport (doc, export_);
  {
    g_autoptr(GBytes) on_disk = file_contents (path);
    g_assert_true (g_bytes_equal (on_disk, before));
  }
}

static void
test_insert_and_delete_ranges_are_validated (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_false (maphex_document_insert (doc, NULL, 11, (const guint8 *) "a", 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_insert (doc, NULL, -1, (const guint8 *) "a", 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_delete (doc, NULL, 5, 6, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (maphex_document_delete (doc, NULL, 5, -1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_cmpint (maphex_document_get_length (doc), ==, 10);
  g_assert_cmpint (file_size (path), ==, 10);
  g_assert_false (maphex_document_get_can_undo (doc));
}

static void
test_length_changes_refused_in_copy_on_write_and_read_only (void)
{
  MaphexMode modes[] = { MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_MODE_READ_ONLY };
  const char *reasons[] = {
    "Copy-on-write maps cannot be resized: reopen the file in write-through mode",
    "Read-only maps cannot be resized: reopen the file in write-through mode",
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *path = make_patterned_file (100);
      g_autoptr(MaphexDocument) doc = open_doc (path, modes[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (maphex_document_get_can_resize (doc));
      g_assert_cmpstr (maphex_document_get_resize_refusal (doc), ==, reasons[i]);

      g_assert_false (maphex_document_resize (doc, NULL, 200, &error));
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
      g_assert_cmpstr (error->message, ==, reasons[i]);
      g_clear_error (&error);
      g_assert_false (maphex_document_insert (doc, NULL, 0, (const guint8 *) "a", 1, &error));
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
      g_clear_error (&error);
      g_assert_false (maphex_document_delete (doc, NULL, 0, 1, &error));
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
      g_clear_error (&error);

      g_assert_cmpint (maphex_document_get_length (doc), ==, 100);
      g_assert_cmpint (file_size (path), ==, 100);
    }
}

static void
test_length_changes_refused_while_other_views_hold_exports (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, &error);
  MaphexExport *other1 = maphex_document_export (doc, &error);
  MaphexExport *other2 = maphex_document_export (doc, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 3);

  g_assert_false (maphex_document_resize (doc, own, 200, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_assert_cmpstr (error->message, ==, "2 other views hold the file");
  g_clear_error (&error);
  g_assert_false (maphex_document_insert (doc, own, 0, (const guint8 *) "a", 1, &error));
  g_assert_cmpstr (error->message, ==, "2 other views hold the file");
  g_clear_error (&error);
  g_assert_false (maphex_document_delete (doc, own, 0, 1, &error));
  g_assert_cmpstr (error->message, ==, "2 other views hold the file");
  g_clear_error (&error);
  /* Without `own`, every export is another view. */
  g_assert_false (maphex_document_resize (doc, NULL, 200, &error));
  g_assert_cmpstr (error->message, ==, "3 other views hold the file");
  g_clear_error (&error);

  maphex_document_unexport (doc, other2);
  g_assert_false (maphex_document_resize (doc, own, 200, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_assert_cmpstr (error->message, ==, "1 other view holds the file");
  g_clear_error (&error);

  g_assert_cmpint (maphex_document_get_length (doc), ==, 100);
  g_assert_cmpint (file_size (path), ==, 100);
  g_assert_cmpint (maphex_export_get_length (own), ==, 100);
  g_assert_false (maphex_document_get_can_undo (doc));

  /* Undo of a length change is refused the same way, and the step stays. */
  maphex_document_unexport (doc, other1);
  g_assert_true (maphex_document_insert (doc, own, 0, (const guint8 *) "a", 1, &error));
  g_assert_no_error (error);
  other1 = maphex_document_export (doc, &error);
  g_assert_false (maphex_document_undo (doc, own, &error));
  g_assert_cmpstr (error->message, ==, "1 other view holds the file");
  g_clear_error (&error);
  g_assert_true (maphex_document_get_can_undo (doc));
  g_assert_cmpint (maphex_document_get_length (doc), ==, 101);
  maphex_document_unexport (doc, other1);
  g_assert_true (maphex_document_undo (doc, own, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_export_get_length (own), ==, 100);

  maphex_document_unexport (doc, own);
}

/* ------------------------------------------------------------------ saving */

/* Dirty ranges against a byte map: marked in random order they stay sorted,
 * apart (touching ones merge) and cover exactly the bytes marked. */
static void
test_dirty_ranges_merge_like_a_byte_map (void)
{
  const gint64 len = 4096;
  g_autofree char *path = make_patterned_file (len);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autofree gboolean *marked = g_new0 (gboolean, len);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) dirty = NULL;

  for (int i = 0; i < 400; i++)
    {
      gint64 start = g_rand_int_range (rand, 0, len);
      gint64 span = g_rand_int_range (rand, 1, 24);
      gint64 end = MIN (len, start + span);

      _maphex_document_mark_dirty (doc, start, end);
      for (gint64 b = start; b < end; b++)
        marked[b] = TRUE;
    }
  dirty = _maphex_document_dup_dirty_ranges (doc);
  {
    gint64 at = 0;

    for (guint r = 0; r < dirty->len; r++)
      {
        MaphexRange range = g_array_index (dirty, MaphexRange, r);

        g_assert_cmpint (range.start, <, range.end);
        /* Apart: a gap of at least one unmarked byte before it. */
        g_assert_true (r == 0 || range.start > g_array_index (dirty, MaphexRange, r - 1).end);
        for (; at < range.start; at++)
          g_assert_false (marked[at]);
        for (; at < range.end; at++)
          g_assert_true (marked[at]);
      }
    for (; at < len; at++)
      g_assert_false (marked[at]);
  }
}

static void
test_save_copy_on_write_writes_only_changed_ranges (void)
{
  gint64 len = 4 * page;
  g_autofree char *path = make_patterned_file (len);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) dirty = NULL;
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_replace (doc, 10, (const guint8 *) "EDIT", 4, &error));
  g_assert_true (maphex_document_set_byte (doc, 14, '!', TRUE, &error));
  g_assert_true (maphex_document_set_byte (doc, 3 * page, '#', FALSE, &error));
  g_assert_no_error (error);

  dirty = _maphex_document_dup_dirty_ranges (doc);
  g_assert_cmpuint (dirty->len, ==, 2);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 0).start, ==, 10);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 0).end, ==, 15);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 1).start, ==, 3 * page);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 1).end, ==, 3 * page + 1);
  g_clear_pointer (&dirty, g_array_unref);

  /* Another program changes bytes the document did not touch, in an edited
   * page and in an untouched one: saving must not undo those changes. */
  external_write (path, 100, "outside", 7);
  external_write (path, 2 * page, "other page", 10);

  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_modified (doc));
  dirty = _maphex_document_dup_dirty_ranges (doc);
  g_assert_cmpuint (dirty->len, ==, 0);

  {
    g_autoptr(GBytes) on_disk = file_contents (path);
    const guint8 *data = g_bytes_get_data (on_disk, NULL);

    g_assert_cmpmem (data + 10, 5, "EDIT!", 5);
    g_assert_cmpuint (data[3 * page], ==, '#');
    g_assert_cmpmem (data + 100, 7, "outside", 7);
    g_assert_cmpmem (data + 2 * page, 10, "other page", 10);
    g_assert_cmpuint (data[9], ==, (guint8) (9 * 7 + 3));
    g_assert_cmpuint (data[15], ==, (guint8) (15 * 7 + 3));
  }

  /* Undo after a save makes the document modified again; saving writes the
   * old bytes back. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_byte (path, 3 * page), ==, (guint8) (3 * page * 7 + 3));
  g_assert_cmpuint (file_byte (path, 10), ==, 'E');
}

static void
test_save_write_through_flushes (void)
{
  g_autofree char *path = make_patterned_file (3 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_replace (doc, page + 1, (const guint8 *) "WT", 2, &error));
  g_assert_no_error (error);
  /* Write-through: the file sees the bytes at once (shared page cache)... */
  g_assert_cmpuint (file_byte (path, page + 1), ==, 'W');
  g_assert_true (maphex_document_get_modified (doc));
  /* ...and save flushes them and clears "modified". */
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_cmpuint (file_byte (path, page + 2), ==, 'T');
}

/* msync does not persist a new length: a save after a length change also
 * fdatasyncs the file, and only then. (The sync itself cannot be observed
 * from here, so the document counts the calls that succeeded.) */
static void
test_save_write_through_syncs_a_changed_length (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  /* Same length: msync is enough. */
  g_assert_true (maphex_document_replace (doc, 0, (const guint8 *) "A", 1, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_n_size_syncs (doc), ==, 0);

  g_assert_true (maphex_document_insert (doc, NULL, 10, (const guint8 *) "xyz", 3, &error));
  g_assert_true (maphex_document_delete (doc, NULL, 0, 1, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_n_size_syncs (doc), ==, 1);
  g_assert_cmpint (file_size (path), ==, 102);
  g_assert_cmpuint (file_byte (path, 9), ==, 'x');

  /* Synced once: the next save without a length change does not again. */
  g_assert_true (maphex_document_replace (doc, 0, (const guint8 *) "B", 1, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_n_size_syncs (doc), ==, 1);

  g_assert_true (maphex_document_resize (doc, NULL, 0, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_n_size_syncs (doc), ==, 2);
  g_assert_cmpint (file_size (path), ==, 0);
}

/* Save As syncs the destination's directory after the rename, so that the
 * new name survives a crash, synchronously and asynchronously alike. */
static void
test_save_as_syncs_the_directory (void)
{
  g_autofree char *path = make_patterned_file (100);
  g_autofree char *dest = g_build_filename (tmp_dir, "saved-as-synced.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) copy = NULL;

  g_assert_true (maphex_document_replace (doc, 5, (const guint8 *) "SYNC", 4, &error));
  g_assert_true (maphex_document_save_as (doc, dest_file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_document_get_n_dir_syncs (doc), ==, 1);
  copy = file_contents (dest);
  g_assert_cmpuint (g_bytes_get_size (copy), ==, 100);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (copy, NULL) + 5, 4, "SYNC", 4);
  g_unlink (dest);
}

static void
test_save_refused_in_read_only_and_for_scratch (void)
{
  g_autofree char *path = make_patterned_file (10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(MaphexDocument) scratch = maphex_document_new_scratch (10, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (maphex_document_save (doc, NULL, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_READONLY, "read-only");
  g_clear_error (&error);

  g_assert_false (maphex_document_save (scratch, NULL, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_INVALID, "Save As");
}

static void
test_save_as_onto_the_open_file_saves_it (void)
{
  MaphexMode modes[] = { MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_MODE_WRITE_THROUGH };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *path = make_file ("0123456789", 10);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(MaphexDocument) doc = open_doc (path, modes[i]);
      g_autoptr(GError) error = NULL;
      struct stat before, after;

      g_assert_cmpint (stat (path, &before), ==, 0);
      g_assert_true (maphex_document_replace (doc, 0, (const guint8 *) "AB", 2, &error));
      g_assert_true (maphex_document_save_as (doc, file, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (stat (path, &after), ==, 0);
      /* Saved in place: still the file the map is on. */
      g_assert_cmpuint (before.st_ino, ==, after.st_ino);
      g_assert_false (maphex_document_get_modified (doc));
      g_assert_cmpuint (file_byte (path, 1), ==, 'B');

      /* Later edits still reach that file. */
      g_assert_true (maphex_document_set_byte (doc, 9, 'Z', FALSE, &error));
      g_assert_true (maphex_document_save (doc, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (file_byte (path, 9), ==, 'Z');
    }
}

static void
test_save_copy_on_write_refused_after_file_replaced (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (doc, 0, 'X', FALSE, &error));
  /* Another editor's atomic save: a new file under the same name. */
  g_assert_true (g_file_set_contents (path, "abcdefghij", 10, NULL));
  g_assert_false (maphex_document_save (doc, NULL, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_INVALID, "replaced");
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_cmpuint (file_byte (path, 0), ==, 'a');
}

/* Write-through edits went to the file the document has open; once another
 * program has put a new file under the name, Save must not report that the
 * edits are saved (they are in the old, unlinked file). */
static void
test_save_write_through_refused_after_file_replaced (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_set_byte (doc, 0, 'X', FALSE, &error));
  g_assert_true (g_file_set_contents (path, "abcdefghij", 10, NULL));
  g_assert_false (maphex_document_save (doc, NULL, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_INVALID, "replaced");
  g_clear_error (&error);
  g_assert_true (maphex_document_get_modified (doc));
  g_assert_cmpuint (file_byte (path, 0), ==, 'a');

  /* Deleted, not replaced: refused too. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_false (maphex_document_save (doc, NULL, &error));
  assert_doc_error (error, MAPHEX_DOCUMENT_ERROR_INVALID, "deleted");
  g_assert_true (maphex_document_get_modified (doc));
}

static void on_save_as_done (GObject *source, GAsyncResult *result, gpointer user_data);

/* Names in tmp_dir that start with `prefix` (temporary files left behind). */
static guint
count_files_with_prefix (const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_prefix (name, prefix);
  return n;
}

static void
assert_no_advice_that_fails (const char *message)
{
  /* Save As cannot save a document whose map lost pages: never advise it. */
  g_assert_null (strstr (message, "Save As"));
  /* Nor the core's words alone. */
  g_assert_null (strstr (message, "past its end"));
}

/* The tester's case: an unsaved copy-on-write edit on the third page, the
 * file truncated to 100 bytes. Linux drops the private copy of that page
 * too: the edit is gone. Everything the user is told says so, names the
 * edit's offset, and recommends only what works (Reload). */
static void
test_copy_on_write_edit_lost_to_shrink_is_named_and_save_refuses_honestly (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autofree char *dest = g_build_filename (tmp_dir, "shrunk-copy.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;
  GError *async_error = NULL;

  g_assert_null (maphex_document_dup_shrink_message (doc));
  g_assert_true (maphex_document_set_byte (doc, 2 * page, 0xEE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (maphex_document_dup_shrink_message (doc));

  external_truncate (path, 100);
  truncated = file_contents (path);

  /* What the window's bar shows. */
  message = maphex_document_dup_shrink_message (doc);
  expected = g_strdup_printf ("The file shrank to 100 bytes on disk: your unsaved edits past "
                              "that point (at 0x%" G_GINT64_MODIFIER "x) went with it. Reload to "
                              "see the file as it is now.", 2 * page);
  g_assert_cmpstr (message, ==, expected);

  /* Save writes nothing, and says why and what to do. */
  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_test_message ("save: %s", error->message);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_nonnull (strstr (error->message, "Cannot save"));
  g_assert_nonnull (strstr (error->message, "shrank the file to 100 bytes"));
  g_free (expected);
  expected = g_strdup_printf ("(at 0x%" G_GINT64_MODIFIER "x) went with it", 2 * page);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_nonnull (strstr (error->message, "Reload"));
  assert_no_advice_that_fails (error->message);
  g_clear_error (&error);
  g_assert_true (maphex_document_get_modified (doc));
  {
    g_autoptr(GBytes) now = file_contents (path);
    g_assert_true (g_bytes_equal (now, truncated));
  }

  /* Save As cannot write the whole document: it says why in the user's
   * terms and leaves no file, temporary or not, behind. */
  g_assert_false (maphex_document_save_as (doc, dest_file, NULL, &error));
  g_test_message ("save as: %s", error->message);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_nonnull (strstr (error->message, "shrank"));
  g_assert_nonnull (strstr (error->message, "to 100 bytes on disk"));
  g_assert_nonnull (strstr (error->message, "cannot be saved whole"));
  g_assert_nonnull (strstr (error->message, "Reload"));
  assert_no_advice_that_fails (error->message);
  g_clear_error (&error);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files_with_prefix (".shrunk-copy.bin."), ==, 0);

  /* The same from the window's worker thread. */
  maphex_document_save_as_async (doc, dest_file, NULL, on_save_as_done, &async_error);
  while (async_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (async_error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_nonnull (strstr (async_error->message, "cannot be saved whole"));
  assert_no_advice_that_fails (async_error->message);
  g_clear_error (&async_error);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files_with_prefix (".shrunk-copy.bin."), ==, 0);

  /* The advice works: Reload shows the file as it is now. */
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 100);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_null (maphex_document_dup_shrink_message (doc));
  g_assert_true (maphex_document_save_as (doc, dest_file, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) copy = file_contents (dest);
    g_assert_true (g_bytes_equal (copy, truncated));
  }
}

/* Edits on both sides of the new end: Save writes the ones still within the
 * file (their copy-on-write pages survive), never grows the file, and names
 * the lost ones; those stay unsaved and the document stays modified. */
static void
test_save_copy_on_write_after_shrink_writes_edits_within_the_file (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) dirty = NULL;
  g_autofree char *message = NULL;
  g_autofree char *lost = NULL;
  gint64 size = page + 100;

  g_assert_true (maphex_document_set_byte (doc, 0, 'X', FALSE, &error));
  g_assert_true (maphex_document_replace (doc, size - 2, (const guint8 *) "ABCD", 4, &error));
  g_assert_true (maphex_document_set_byte (doc, 3 * page, 'Z', FALSE, &error));
  g_assert_no_error (error);

  external_truncate (path, size);
  lost = g_strdup_printf ("(at 0x%" G_GINT64_MODIFIER "x–0x%" G_GINT64_MODIFIER "x, "
                          "0x%" G_GINT64_MODIFIER "x)", size, size + 1, 3 * page);

  message = maphex_document_dup_shrink_message (doc);
  g_test_message ("bar: %s", message);
  {
    g_autofree char *size_text = g_strdup_printf ("(%" G_GINT64_FORMAT " bytes) on disk", size);
    g_assert_nonnull (strstr (message, size_text));
  }
  g_assert_nonnull (strstr (message, lost));
  g_assert_nonnull (strstr (message, "Save still writes your edits before that point"));
  assert_no_advice_that_fails (message);

  /* Save As cannot write it whole, and points at what works. */
  {
    g_autofree char *dest = g_build_filename (tmp_dir, "half.bin", NULL);
    g_autoptr(GFile) dest_file = g_file_new_for_path (dest);

    g_assert_false (maphex_document_save_as (doc, dest_file, NULL, &error));
    g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
    g_assert_nonnull (strstr (error->message, "Save still writes your edits before that point"));
    assert_no_advice_that_fails (error->message);
    g_clear_error (&error);
    g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_files_with_prefix (".half.bin."), ==, 0);
  }

  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_test_message ("save: %s", error->message);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_true (g_str_has_prefix (error->message, "Saved the edits that still lie within"));
  g_assert_nonnull (strstr (error->message, lost));
  assert_no_advice_that_fails (error->message);
  g_clear_error (&error);

  /* Written: the edits before the new end, up to it and not past it. */
  g_assert_cmpint (file_size (path), ==, size);
  g_assert_cmpuint (file_byte (path, 0), ==, 'X');
  g_assert_cmpuint (file_byte (path, size - 2), ==, 'A');
  g_assert_cmpuint (file_byte (path, size - 1), ==, 'B');
  g_assert_true (maphex_document_get_modified (doc));

  /* Still unsaved: the lost ones, and the bar no longer promises Save. */
  dirty = _maphex_document_dup_dirty_ranges (doc);
  g_assert_cmpuint (dirty->len, ==, 2);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 0).start, ==, size);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 0).end, ==, size + 2);
  g_assert_cmpint (g_array_index (dirty, MaphexRange, 1).start, ==, 3 * page);
  g_free (message);
  message = maphex_document_dup_shrink_message (doc);
  g_assert_nonnull (strstr (message, lost));
  g_assert_null (strstr (message, "Save still"));

  /* Saving again writes nothing and says so. */
  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_true (g_str_has_prefix (error->message, "Cannot save"));
  g_assert_cmpint (file_size (path), ==, size);
}

/* Every edit lies within the shrunk file: Save writes them all and succeeds. */
static void
test_save_copy_on_write_after_shrink_with_every_edit_within_succeeds (void)
{
  g_autofree char *path = make_patterned_file (3 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_assert_true (maphex_document_set_byte (doc, 10, 'X', FALSE, &error));
  external_truncate (path, 100);

  message = maphex_document_dup_shrink_message (doc);
  g_assert_nonnull (strstr (message, "your unsaved edits lie before it and Save still writes them"));

  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_size (path), ==, 100);
  g_assert_cmpuint (file_byte (path, 10), ==, 'X');
  g_assert_false (maphex_document_get_modified (doc));
}

/* A sparse file of 256 MiB with 64 KiB of data at three places, edited in
 * copy-on-write: one byte in a hole, one in the data. */
#define SPARSE_LEN (256 * 1024 * 1024)
#define SPARSE_DATA (64 * 1024)
static const gint64 sparse_at[] = { 0, 100 * 1024 * 1024, SPARSE_LEN - SPARSE_DATA };

static char *
make_sparse_file_with_data (void)
{
  char *path = make_sparse_file (SPARSE_LEN);
  g_autofree guint8 *data = g_malloc (SPARSE_DATA);
  int fd;

  g_assert_nonnull (path);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  for (gsize k = 0; k < G_N_ELEMENTS (sparse_at); k++)
    {
      for (gsize i = 0; i < SPARSE_DATA; i++)
        data[i] = (guint8) (i * 13 + k + 1);
      g_assert_cmpint (pwrite (fd, data, SPARSE_DATA, sparse_at[k]), ==, SPARSE_DATA);
    }
  g_assert_cmpint (close (fd), ==, 0);
  return path;
}

static void
count_chunk (MaphexDocument *doc,
             guint           chunk,
             gpointer        data)
{
  *(guint *) data = chunk;
}

/* Save As of the sparse file; returns how many chunks the save went through
 * and checks the copy byte for byte against the document. */
static guint
save_sparse_as (MaphexDocument *doc,
                const char     *dest,
                gboolean        expect_sparse)
{
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *content = doc_contents (doc);
  g_autoptr(GBytes) copy = NULL;
  struct stat st;
  guint chunks = 0;

  _maphex_document_run_set_chunk_hook (count_chunk, &chunks);
  g_assert_true (maphex_document_save_as (doc, dest_file, NULL, &error));
  _maphex_document_run_set_chunk_hook (NULL, NULL);
  g_assert_no_error (error);

  copy = file_contents (dest);
  g_assert_cmpmem (g_bytes_get_data (copy, NULL), g_bytes_get_size (copy), content, SPARSE_LEN);
  g_assert_cmpint (stat (dest, &st), ==, 0);
  if (expect_sparse)
    {
      g_autofree char *source = g_file_get_path (maphex_document_get_file (doc));
      struct stat source_st;

      /* The copy keeps the source's holes: it allocates no more than the
       * source does (its data ranges may be copied whole, zero pages and
       * all, by copy_file_range; a write-through edit in a hole makes the
       * source allocate a block or a large folio there), plus the edited
       * page in a hole, with room for the file system's block size. */
      g_assert_cmpint (stat (source, &source_st), ==, 0);
      g_assert_cmpint ((gint64) st.st_blocks * 512, <, (gint64) source_st.st_blocks * 512 + 1024 * 1024);
      g_assert_cmpint ((gint64) st.st_blocks * 512, <, 4 * 1024 * 1024);
    }
  return chunks;
}

static void
test_save_as_keeps_holes (void)
{
  g_autofree char *path = make_sparse_file_with_data ();
  g_autofree char *dest = g_build_filename (tmp_dir, "sparse-copy.bin", NULL);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  guint chunks;

  /* An edit in a hole (only in the map: it must be written) and one in
   * the data. */
  g_assert_true (maphex_document_replace (doc, 50 * 1024 * 1024 + 5, (const guint8 *) "H", 1, &error));
  g_assert_true (maphex_document_replace (doc, sparse_at[1] + 7, (const guint8 *) "D", 1, &error));
  g_assert_no_error (error);

  chunks = save_sparse_as (doc, dest, TRUE);
  /* Only the data and the edit were read: three data ranges, one edited
   * range and the holes between them, not 64 chunks of 4 MiB. */
  g_assert_cmpuint (chunks, <, 16);

  /* Write-through: the file is the content once flushed, an edit in a
   * hole included. */
  g_clear_object (&doc);
  doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_true (maphex_document_replace (doc, 200 * 1024 * 1024 + 1, (const guint8 *) "W", 1, &error));
  g_assert_no_error (error);
  chunks = save_sparse_as (doc, dest, TRUE);
  g_assert_cmpuint (chunks, <, 16);
}

static void
test_save_as_plain_copy_without_seek_data (void)
{
  g_autofree char *path = make_sparse_file_with_data ();
  g_autofree char *dest = g_build_filename (tmp_dir, "plain-copy.bin", NULL);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  guint chunks;

  g_assert_true (maphex_document_replace (doc, 50 * 1024 * 1024 + 5, (const guint8 *) "H", 1, &error));
  g_assert_no_error (error);

  /* A file system that reports no holes: every chunk is read, the copy is
   * identical, and zero chunks still become holes. */
  _maphex_document_set_seek_data_disabled (TRUE);
  chunks = save_sparse_as (doc, dest, TRUE);
  _maphex_document_set_seek_data_disabled (FALSE);
  g_assert_cmpuint (chunks, ==, SPARSE_LEN / _maphex_document_run_get_chunk_size ());
}

static void
test_save_as_writes_identical_copy (void)
{
  gint64 len = 2 * 1024 * 1024 + 123;
  g_autofree char *path = make_patterned_file (len);
  g_autofree char *dest = g_build_filename (tmp_dir, "saved-as.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = file_contents (path);
  g_autofree guint8 *content = NULL;
  g_autoptr(GBytes) copy = NULL;

  /* Zeros across a whole chunk (saved as a hole) and an edit at the end. */
  g_assert_true (maphex_document_fill (doc, 0, 1024 * 1024 + 7, (const guint8 *) "\0", 1, &error));
  g_assert_true (maphex_document_replace (doc, len - 3, (const guint8 *) "END", 3, &error));
  g_assert_no_error (error);

  /* An existing destination is replaced. */
  g_assert_true (g_file_set_contents (dest, "old content", -1, NULL));
  g_assert_true (maphex_document_save_as (doc, dest_file, NULL, &error));
  g_assert_no_error (error);

  content = doc_contents (doc);
  copy = file_contents (dest);
  g_assert_cmpmem (g_bytes_get_data (copy, NULL), g_bytes_get_size (copy), content, len);

  /* The document stays on its own file, which is untouched. */
  {
    g_autoptr(GBytes) now = file_contents (path);
    g_assert_true (g_bytes_equal (now, original));
  }
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_assert_true (g_file_equal (maphex_document_get_file (doc), file));
  }
  g_assert_true (maphex_document_get_modified (doc));

  /* No temporary file is left behind. */
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".saved-as.bin."));
  }
}

static void
on_save_as_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  maphex_document_save_as_finish (MAPHEX_DOCUMENT (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static void
test_save_as_async_holds_an_export_and_can_be_cancelled (void)
{
  g_autofree char *path = make_patterned_file (3 * 1024 * 1024);
  g_autofree char *dest = g_build_filename (tmp_dir, "async.bin", NULL);
  g_autofree char *dest2 = g_build_filename (tmp_dir, "cancelled.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(GFile) dest2_file = g_file_new_for_path (dest2);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  maphex_document_save_as_async (doc, dest_file, NULL, on_save_as_done, &error);
  /* While it runs, the map cannot be resized under it. */
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 1);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* "done" */
  g_clear_error (&error);
  {
    g_autoptr(GBytes) a = file_contents (path);
    g_autoptr(GBytes) b = file_contents (dest);
    g_assert_true (g_bytes_equal (a, b));
  }
  iterate_until (NULL, 0, 50);
  g_assert_cmpuint (maphex_document_get_n_exports (doc), ==, 0);

  g_cancellable_cancel (cancellable);
  maphex_document_save_as_async (doc, dest2_file, cancellable, on_save_as_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (dest2, G_FILE_TEST_EXISTS));
}

typedef struct {
  gboolean done;
  guint    exports_in_callback;
  gboolean resized_in_callback;
} SaveAsCallbackState;

static void
on_save_as_done_resize (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  MaphexDocument *doc = MAPHEX_DOCUMENT (source);
  SaveAsCallbackState *state = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (maphex_document_save_as_finish (doc, result, &error));
  g_assert_no_error (error);
  state->exports_in_callback = maphex_document_get_n_exports (doc);
  state->resized_in_callback =
    maphex_document_resize (doc, NULL, maphex_document_get_length (doc) + 1, NULL);
  state->done = TRUE;
}

/* The export that keeps the length fixed while the worker reads is gone by
 * the time the callback runs: a resize right after Save As is not refused. */
static void
test_save_as_async_callback_sees_the_export_released (void)
{
  g_autofree char *path = make_patterned_file (8192);
  g_autofree char *dest = g_build_filename (tmp_dir, "async-released.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  SaveAsCallbackState state = { 0 };

  maphex_document_save_as_async (doc, dest_file, NULL, on_save_as_done_resize, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (state.exports_in_callback, ==, 0);
  g_assert_true (state.resized_in_callback);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 8193);
  g_assert_cmpint (file_size (dest), ==, 8192);
}

/* ------------------------------------------------------------------ scratch */

static void
test_scratch_is_untitled_editable_resizable_and_saved_with_save_as (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MaphexDocument) a = maphex_document_new_scratch (16, &error);
  g_autoptr(MaphexDocument) b = maphex_document_new_scratch (4096, &error);
  g_autofree char *name_a = maphex_document_dup_display_name (a);
  g_autofree char *name_b = maphex_document_dup_display_name (b);
  g_autofree char *dest = g_build_filename (tmp_dir, "scratch.bin", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  guint n_a, n_b;
  MaphexExport *own;
  guint8 buf[20];

  g_assert_no_error (error);
  g_assert_true (maphex_document_is_scratch (a));
  g_assert_null (maphex_document_get_file (a));
  g_assert_true (sscanf (name_a, "Untitled %u", &n_a) == 1);
  g_assert_true (sscanf (name_b, "Untitled %u", &n_b) == 1);
  g_assert_cmpuint (n_b, ==, n_a + 1);
  g_assert_cmpint (maphex_document_get_mode (a), ==, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_true (maphex_document_get_can_resize (a));
  g_assert_cmpuint (doc_byte (a, 15), ==, 0);

  own = maphex_document_export (a, &error);
  g_assert_true (maphex_document_replace (a, 0, (const guint8 *) "scratch", 7, &error));
  g_assert_true (maphex_document_insert (a, own, 0, (const guint8 *) ">>", 2, &error));
  g_assert_true (maphex_document_resize (a, own, 20, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_export_get_length (own), ==, 20);
  g_assert_true (maphex_export_copy (own, 0, buf, 20, &error));
  g_assert_cmpmem (buf, 20, ">>scratch\0\0\0\0\0\0\0\0\0\0\0", 20);
  g_assert_true (maphex_document_get_modified (a));

  g_assert_true (maphex_document_save_as (a, dest_file, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) saved = file_contents (dest);
    g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved), buf, 20);
  }
  g_assert_false (maphex_document_get_modified (a));
  g_assert_false (maphex_document_reload (a, own, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  maphex_document_unexport (a, own);
}

/* ------------------------------------------------------------------ reload and monitor */

static void
test_reload_maps_the_file_again_and_drops_history (void)
{
  g_autofree char *path = make_file ("0123456789", 10);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, &error);
  MaphexExport *other = maphex_document_export (doc, &error);
  guint8 buf[16];
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_set_byte (doc, 0, 'X', FALSE, &error));
  g_assert_true (g_file_set_contents (path, "abcdefghijklmno", 15, NULL));

  g_assert_false (maphex_document_reload (doc, own, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_EXPORTED);
  g_assert_cmpstr (error->message, ==, "1 other view holds the file");
  g_clear_error (&error);
  maphex_document_unexport (doc, other);

  rec.bytes_changed = 0;
  g_assert_true (maphex_document_reload (doc, own, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 15);
  g_assert_cmpint (maphex_export_get_length (own), ==, 15);
  g_assert_true (maphex_export_copy (own, 0, buf, 15, &error));
  g_assert_cmpmem (buf, 15, "abcdefghijklmno", 15);
  g_assert_cmpuint (rec.length_notified, ==, 1);
  g_assert_cmpuint (rec.bytes_changed, ==, 1);
  g_assert_cmpint (rec.last_offset, ==, 0);
  g_assert_cmpint (rec.last_len, ==, 15);
  g_assert_false (maphex_document_get_modified (doc));
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_can_redo (doc));
  maphex_document_unexport (doc, own);
}

static void
test_monitor_reports_external_write_not_own_save (void)
{
  g_autofree char *path = make_patterned_file (4096);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);

  /* Our own save is not "another program". */
  g_assert_true (maphex_document_set_byte (doc, 1, 'x', FALSE, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  iterate_until (&rec.file_changed, 1, 1500);
  g_assert_cmpuint (rec.file_changed, ==, 0);

  external_write (path, 2000, "someone else", 12);
  iterate_until (&rec.file_changed, 1, 10000);
  if (rec.file_changed == 0)
    {
      g_test_skip ("no file change notification arrived (no inotify here?)");
      return;
    }
  g_assert_cmpuint (rec.file_changed, ==, 1);
  g_assert_cmpuint (rec.file_shrunk, ==, 0);
}

static void
test_monitor_ignores_own_write_through_changes (void)
{
  g_autofree char *path = make_patterned_file (4096);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  g_autoptr(GError) error = NULL;
  MaphexExport *own = maphex_document_export (doc, &error);
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_document_set_byte (doc, 1, 'x', FALSE, &error));
  g_assert_true (maphex_document_insert (doc, own, 100, (const guint8 *) "abc", 3, &error));
  g_assert_true (maphex_document_resize (doc, own, 9000, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  iterate_until (&rec.file_changed, 1, 3500);
  g_assert_cmpuint (rec.file_changed, ==, 0);
  g_assert_cmpuint (rec.file_shrunk, ==, 0);
  maphex_document_unexport (doc, own);
}

typedef struct {
  MaphexDocument *doc;
  MaphexExport   *export_;
  gint            stop;
  guint           reads;
} ReaderData;

static gpointer
reader_thread (gpointer user_data)
{
  ReaderData *data = user_data;
  guint8 buf[64];

  while (!g_atomic_int_get (&data->stop))
    {
      g_autoptr(GError) error = NULL;
      MmMap *map;
      int64_t len = 0;

      g_assert_true (maphex_export_copy (data->export_, 0, buf, sizeof buf, &error));
      g_assert_no_error (error);
      map = _maphex_document_lock_map (data->doc);
      g_assert_nonnull (map);
      g_assert_cmpint (mm_map_len (map, &len, NULL), ==, MM_OK);
      _maphex_document_unlock_map (data->doc);
      g_assert_cmpint (len, ==, 8192);
      data->reads++;
    }
  return NULL;
}

static void
test_core_calls_are_serialized_with_a_reader_thread (void)
{
  g_autofree char *path = make_patterned_file (8192);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  ReaderData data = { doc, NULL, 0, 0 };
  GThread *thread;

  data.export_ = maphex_document_export (doc, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("reader", reader_thread, &data);
  for (guint i = 0; i < 20000; i++)
    {
      g_assert_true (maphex_document_set_byte (doc, i % 8192, (guint8) i, TRUE, &error));
      if (i % 1000 == 999)
        g_assert_true (maphex_document_undo (doc, NULL, &error));
    }
  g_assert_no_error (error);
  g_atomic_int_set (&data.stop, 1);
  g_thread_join (thread);
  g_assert_cmpuint (data.reads, >, 0);
  maphex_document_unexport (doc, data.export_);
}

static void
test_monitor_reports_file_replaced_by_another_program (void)
{
  g_autofree char *path = make_patterned_file (4096);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  /* Another editor's atomic save: write a new file, rename it over ours. */
  g_assert_true (g_file_set_contents (path, "new content", -1, NULL));
  iterate_until (&rec.file_changed, 1, 10000);
  if (rec.file_changed == 0)
    {
      g_test_skip ("no file change notification arrived (no inotify here?)");
      return;
    }
  g_assert_cmpuint (rec.file_changed, >=, 1);
}

typedef struct {
  MaphexExport *export_;
  gint64        offset;
  GError       *error;
} FaultingReader;

static gpointer
faulting_reader_thread (gpointer user_data)
{
  FaultingReader *data = user_data;
  guint8 byte;

  maphex_export_copy (data->export_, data->offset, &byte, 1, &data->error);
  return NULL;
}

static GThread *shrunk_thread;

static void
on_file_shrunk_record_thread (MaphexDocument *doc,
                              gpointer        user_data)
{
  shrunk_thread = g_thread_self ();
}

static void
test_fault_in_a_worker_thread_emits_file_shrunk_on_the_main_thread (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(GError) error = NULL;
  FaultingReader data = { NULL, 3 * page, NULL };
  GThread *thread;
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_signal_connect (doc, "file-shrunk", G_CALLBACK (on_file_shrunk_record_thread), &rec);
  shrunk_thread = NULL;
  data.export_ = maphex_document_export (doc, &error);
  g_assert_no_error (error);

  external_truncate (path, page);
  thread = g_thread_new ("faulting-reader", faulting_reader_thread, &data);
  g_thread_join (thread);
  g_assert_error (data.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&data.error);

  /* Not emitted in the worker: queued for the main context. */
  g_assert_cmpuint (rec.file_shrunk, ==, 0);
  iterate_until (&rec.file_shrunk, 1, 5000);
  g_assert_cmpuint (rec.file_shrunk, ==, 1);
  g_assert_true (shrunk_thread == g_thread_self ());
  maphex_document_unexport (doc, data.export_);
}

static void
test_monitor_reports_shrink_as_file_shrunk (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  external_truncate (path, page);
  iterate_until (&rec.file_changed, 1, 10000);
  if (rec.file_changed == 0)
    {
      g_test_skip ("no file change notification arrived (no inotify here?)");
      return;
    }
  iterate_until (&rec.file_shrunk, 1, 5000);
  g_assert_cmpuint (rec.file_shrunk, ==, 1);
}

/* A fault queues "file-shrunk" for the main loop; a reload before it runs
 * ends the episode, and the stale report is dropped (it used to bring the
 * window's bar back over a document that matched its file again). */
static void
test_fault_reloaded_before_the_loop_runs_reports_nothing (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;
  g_auto(Recorder) rec = { 0 };
  guint8 b;

  record (doc, &rec);
  external_truncate (path, page);
  g_assert_false (maphex_document_read (doc, 3 * page, &b, 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  iterate_until (&rec.file_shrunk, 1, 300);
  g_assert_cmpuint (rec.file_shrunk, ==, 0);
}

static void
test_fault_after_external_truncation_gives_fault_and_file_shrunk_once (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_autoptr(GError) error = NULL;
  MaphexExport *export_ = maphex_document_export (doc, &error);
  guint8 buf[16];
  g_auto(Recorder) rec = { 0 };

  record (doc, &rec);
  g_assert_true (maphex_export_copy (export_, 2 * page, buf, 16, &error));
  g_assert_no_error (error);

  external_truncate (path, 2 * page);

  /* Still there: the first two pages. */
  g_assert_true (maphex_export_copy (export_, 0, buf, 16, &error));
  g_assert_no_error (error);

  g_assert_false (maphex_export_copy (export_, 2 * page, buf, 16, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  /* Emitted from the main loop, not from inside the failing call. */
  g_assert_cmpuint (rec.file_shrunk, ==, 0);
  iterate_until (&rec.file_shrunk, 1, 5000);
  g_assert_cmpuint (rec.file_shrunk, ==, 1);

  g_assert_false (maphex_document_read (doc, 3 * page, buf, 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  iterate_until (&rec.file_shrunk, 2, 200);
  g_assert_cmpuint (rec.file_shrunk, ==, 1);   /* once per episode */

  /* Reload ends the episode. */
  g_assert_true (maphex_document_reload (doc, export_, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 2 * page);
  external_truncate (path, 10);
  g_assert_false (maphex_export_copy (export_, page + 1, buf, 1, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_clear_error (&error);
  iterate_until (&rec.file_shrunk, 2, 5000);
  g_assert_cmpuint (rec.file_shrunk, ==, 2);
  maphex_document_unexport (doc, export_);
}

static void
test_fault_in_copy_on_write_edit_changes_nothing (void)
{
  g_autofree char *path = make_patterned_file (4 * page);
  g_autoptr(MaphexDocument) doc = open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  g_autoptr(GError) error = NULL;

  external_truncate (path, page);
  g_assert_false (maphex_document_replace (doc, 3 * page, (const guint8 *) "ab", 2, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT);
  g_assert_false (maphex_document_get_can_undo (doc));
  g_assert_false (maphex_document_get_modified (doc));
}

static void
test_error_from_mm_mirrors_status (void)
{
  MmError mm_error = { MM_ERROR_RANGE, 0, "seek out of range: 70 > length 64" };
  g_autoptr(GError) error = _maphex_document_error_from_mm (&mm_error);

  /* The core's lowercase message becomes a sentence for the user, its
   * wording unchanged. */
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "Seek out of range: 70 > length 64");
  g_assert_cmpstr (mm_error.message, ==, "seek out of range: 70 > length 64");

  /* A message that does not start with a letter stays as it is. */
  g_strlcpy (mm_error.message, "“x”: bad", sizeof mm_error.message);
  g_clear_error (&error);
  error = _maphex_document_error_from_mm (&mm_error);
  g_assert_cmpstr (error->message, ==, "“x”: bad");

  mm_error.status = MM_ERROR_OS;
  mm_error.sys_errno = ENOSPC;
  mm_error.message[0] = '\0';
  g_clear_error (&error);
  error = _maphex_document_error_from_mm (&mm_error);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS);
  g_assert_cmpstr (error->message, ==, g_strerror (ENOSPC));

  g_assert_cmpint (maphex_mode_get_type (), !=, G_TYPE_INVALID);
  g_assert_true (G_TYPE_IS_ENUM (MAPHEX_TYPE_MODE));
}

/* ------------------------------------------------------------------ main */

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  page = mm_pagesize ();

  tmp_dir = g_dir_make_tmp ("maphex-test-document-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/document/open/read-only-maps-without-writing", test_open_read_only_maps_without_writing);
  g_test_add_func ("/document/open/copy-on-write-is-editable-not-resizable", test_open_copy_on_write_is_editable_not_resizable);
  g_test_add_func ("/document/open/write-through-is-editable-and-resizable", test_open_write_through_is_editable_and_resizable);
  g_test_add_func ("/document/open/empty-file-has-length-zero-and-grows-in-write-through", test_open_empty_file_has_length_zero_and_grows_in_write_through);
  g_test_add_func ("/document/open/missing-file-is-not-found", test_open_missing_file_is_not_found);
  g_test_add_func ("/document/open/directory-is-refused", test_open_directory_is_refused);
  g_test_add_func ("/document/open/fifo-needs-a-snapshot-and-does-not-block", test_open_fifo_needs_a_snapshot_and_does_not_block);
  g_test_add_func ("/document/open/character-device-is-refused", test_open_character_device_is_refused);
  g_test_add_func ("/document/open/without-permission-for-write-through", test_open_without_permission_for_write_through);
  g_test_add_func ("/document/open/without-permission-for-write-through/subprocess", test_open_without_permission_subprocess);
  g_test_add_func ("/document/open/one-tebibyte-sparse-file-without-reading-it", test_open_one_tebibyte_sparse_file_without_reading_it);
  g_test_add_func ("/document/export/copy-is-range-checked", test_export_copy_is_range_checked);
  g_test_add_func ("/document/export/sees-edits-at-once", test_export_sees_edits_at_once);
  g_test_add_func ("/document/edit/replace-undo-redo", test_edit_replace_undo_redo);
  g_test_add_func ("/document/edit/new-edit-drops-redo", test_edit_new_edit_drops_redo);
  g_test_add_func ("/document/edit/typing-run-is-one-undo-step", test_edit_typing_run_is_one_undo_step);
  g_test_add_func ("/document/edit/typing-does-not-merge-across-save", test_edit_typing_does_not_merge_across_save);
  g_test_add_func ("/document/edit/fill-repeats-pattern", test_edit_fill_repeats_pattern);
  g_test_add_func ("/document/edit/fill-large-range-crosses-chunks", test_edit_fill_large_range_crosses_chunks);
  g_test_add_func ("/document/edit/move-overlapping-and-undo", test_edit_move_overlapping_and_undo);
  g_test_add_func ("/document/edit/refused-in-read-only-mode", test_edit_refused_in_read_only_mode);
  g_test_add_func ("/document/edit/out-of-range-changes-nothing", test_edit_out_of_range_changes_nothing);
  g_test_add_func ("/document/edit/faulting-partway-puts-back-what-it-wrote", test_edit_faulting_partway_puts_back_what_it_wrote);
  g_test_add_func ("/document/undo/memory-is-proportional-to-the-change", test_undo_memory_is_proportional_to_the_change);
  g_test_add_func ("/document/undo/limit-drops-the-oldest-steps", test_undo_limit_drops_the_oldest_steps);
  g_test_add_func ("/document/resize/grow-and-shrink-with-undo", test_resize_grow_and_shrink_with_undo);
  g_test_add_func ("/document/resize/insert-and-delete-with-undo-redo", test_insert_and_delete_with_undo_redo);
  g_test_add_func ("/document/resize/insert-and-delete-ranges-are-validated", test_insert_and_delete_ranges_are_validated);
  g_test_add_func ("/document/resize/insert-faulting-after-the-grow-leaves-the-remaining-bytes", test_insert_faulting_after_the_grow_leaves_the_remaining_bytes);
  g_test_add_func ("/document/resize/delete-faulting-midway-puts-back-what-it-moved", test_delete_faulting_midway_puts_back_what_it_moved);
  g_test_add_func ("/document/resize/undo-of-shrink-faulting-on-the-tail-fails-whole", test_undo_of_shrink_faulting_on_the_tail_fails_whole);
  g_test_add_func ("/document/resize/refused-in-copy-on-write-and-read-only", test_length_changes_refused_in_copy_on_write_and_read_only);
  g_test_add_func ("/document/resize/refused-while-other-views-hold-exports", test_length_changes_refused_while_other_views_hold_exports);
  g_test_add_func ("/document/save/dirty-ranges-merge-like-a-byte-map", test_dirty_ranges_merge_like_a_byte_map);
  g_test_add_func ("/document/save/copy-on-write-writes-only-changed-ranges", test_save_copy_on_write_writes_only_changed_ranges);
  g_test_add_func ("/document/save/write-through-flushes", test_save_write_through_flushes);
  g_test_add_func ("/document/save/write-through-syncs-a-changed-length", test_save_write_through_syncs_a_changed_length);
  g_test_add_func ("/document/save-as/syncs-the-directory", test_save_as_syncs_the_directory);
  g_test_add_func ("/document/save/refused-in-read-only-and-for-scratch", test_save_refused_in_read_only_and_for_scratch);
  g_test_add_func ("/document/save/as-async-callback-sees-the-export-released", test_save_as_async_callback_sees_the_export_released);
  g_test_add_func ("/document/save/copy-on-write-refused-after-file-replaced", test_save_copy_on_write_refused_after_file_replaced);
  g_test_add_func ("/document/shrink/copy-on-write-edit-lost-is-named-and-save-refuses-honestly",
                   test_copy_on_write_edit_lost_to_shrink_is_named_and_save_refuses_honestly);
  g_test_add_func ("/document/shrink/save-copy-on-write-writes-edits-within-the-file",
                   test_save_copy_on_write_after_shrink_writes_edits_within_the_file);
  g_test_add_func ("/document/shrink/save-copy-on-write-with-every-edit-within-succeeds",
                   test_save_copy_on_write_after_shrink_with_every_edit_within_succeeds);
  g_test_add_func ("/document/save/write-through-refused-after-file-replaced", test_save_write_through_refused_after_file_replaced);
  g_test_add_func ("/document/save-as/onto-the-open-file-saves-it", test_save_as_onto_the_open_file_saves_it);
  g_test_add_func ("/document/save-as/writes-identical-copy", test_save_as_writes_identical_copy);
  g_test_add_func ("/document/save-as/keeps-holes", test_save_as_keeps_holes);
  g_test_add_func ("/document/save-as/plain-copy-without-seek-data", test_save_as_plain_copy_without_seek_data);
  g_test_add_func ("/document/save-as/async-holds-an-export-and-can-be-cancelled", test_save_as_async_holds_an_export_and_can_be_cancelled);
  g_test_add_func ("/document/scratch/untitled-editable-resizable-saved-with-save-as", test_scratch_is_untitled_editable_resizable_and_saved_with_save_as);
  g_test_add_func ("/document/reload/maps-the-file-again-and-drops-history", test_reload_maps_the_file_again_and_drops_history);
  g_test_add_func ("/document/monitor/reports-external-write-not-own-save", test_monitor_reports_external_write_not_own_save);
  g_test_add_func ("/document/monitor/ignores-own-write-through-changes", test_monitor_ignores_own_write_through_changes);
  g_test_add_func ("/document/threads/core-calls-are-serialized-with-a-reader-thread", test_core_calls_are_serialized_with_a_reader_thread);
  g_test_add_func ("/document/monitor/reports-file-replaced-by-another-program", test_monitor_reports_file_replaced_by_another_program);
  g_test_add_func ("/document/fault/in-a-worker-thread-emits-file-shrunk-on-the-main-thread", test_fault_in_a_worker_thread_emits_file_shrunk_on_the_main_thread);
  g_test_add_func ("/document/monitor/reports-shrink-as-file-shrunk", test_monitor_reports_shrink_as_file_shrunk);
  g_test_add_func ("/document/fault/after-external-truncation-gives-fault-and-file-shrunk-once", test_fault_after_external_truncation_gives_fault_and_file_shrunk_once);
  g_test_add_func ("/document/fault/reloaded-before-the-loop-runs-reports-nothing",
                   test_fault_reloaded_before_the_loop_runs_reports_nothing);
  g_test_add_func ("/document/fault/in-copy-on-write-edit-changes-nothing", test_fault_in_copy_on_write_edit_changes_nothing);
  g_test_add_func ("/document/error/from-mm-mirrors-status-and-reads-as-a-sentence", test_error_from_mm_mirrors_status);

  ret = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
