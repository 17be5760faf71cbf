/* test-devices.c: the document on what is not a plain file (issue 11).
 *
 * Block devices: a loop device made by the test (tests/loopdev.h; skipped,
 * saying why, where none can be made) opens read-only by default, reads
 * its bytes, refuses write-through until confirmed, refuses any length
 * change, saves copy-on-write edits onto itself, and names root and the
 * disk group when the user may not open it (as root: from a child that gave
 * up root). Snapshots: a /proc file, a FIFO, a pipe, a file whose mmap is
 * refused (injected), the memory limit, /dev/zero, the progress's expected
 * size, and writing back: /proc/self/comm in a worker, a value the kernel
 * refuses, a file replaced whole or not at all (a cancel midway).
 */
#include "maphex-document-private.h"
#include "../loopdev.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define LOOP_SIZE (128 * 1024)

static char *tmp_dir;

/* How long a wait for a worker may take before the test fails, saying what
   it waited for, instead of hanging until the suite's timeout. */
#define WAIT_SECONDS 60

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                                        \
  G_STMT_START {                                                                \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    guint wake_ = g_timeout_add (100, wake_cb, NULL);                           \
    while (!(cond))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > deadline_)                                \
          g_error ("%s:%d: still waiting for %s after %d s",                    \
                   __FILE__, __LINE__, #cond, WAIT_SECONDS);                    \
        g_main_context_iteration (NULL, TRUE);                                  \
      }                                                                         \
    g_source_remove (wake_);                                                    \
  } G_STMT_END

static MaphexDocument *
open_path (const char *path, MaphexMode mode, MaphexOpenFlags flags, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return maphex_document_new_for_file_full (file, mode, flags, error);
}

/* ------------------------------------------------------------------ */
/* Block devices                                                       */

static void
test_device_opens_read_only_by_default_with_its_bytes (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  guint8 got[32];

  if (loop == NULL)
    return;
  /* the user's default is copy-on-write: a disk still opens read-only */
  doc = open_path (loop->device, MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_OPEN_MODE_IS_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (maphex_document_get_is_device (doc));
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpint (maphex_document_get_length (doc), ==, LOOP_SIZE);
  g_assert_true (maphex_document_read (doc, 4099, got, sizeof got, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (got, sizeof got, loop->bytes + 4099, sizeof got);
  g_assert_true (maphex_document_read (doc, LOOP_SIZE - 1, got, 1, &error));
  g_assert_cmpint (got[0], ==, loop->bytes[LOOP_SIZE - 1]);
  g_assert_false (maphex_document_set_byte (doc, 0, 0x42, FALSE, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_READONLY);
  g_clear_object (&doc);
  g_clear_error (&error);

  /* the window looks for a disk's window in the mode the document takes */
  {
    g_autoptr(GFile) device = g_file_new_for_path (loop->device);
    g_autoptr(GFile) regular = g_file_new_for_path (loop->backing);

    g_assert_cmpint (maphex_document_mode_for_file (device, MAPHEX_MODE_COPY_ON_WRITE,
                                                    MAPHEX_OPEN_MODE_IS_DEFAULT),
                     ==, MAPHEX_MODE_READ_ONLY);
    g_assert_cmpint (maphex_document_mode_for_file (device, MAPHEX_MODE_COPY_ON_WRITE,
                                                    MAPHEX_OPEN_NONE),
                     ==, MAPHEX_MODE_COPY_ON_WRITE);
    g_assert_cmpint (maphex_document_mode_for_file (regular, MAPHEX_MODE_COPY_ON_WRITE,
                                                    MAPHEX_OPEN_MODE_IS_DEFAULT),
                     ==, MAPHEX_MODE_COPY_ON_WRITE);
  }

  /* copy-on-write chosen for it is allowed, and edits stay in memory */
  doc = open_path (loop->device, MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_COPY_ON_WRITE);
  g_assert_true (maphex_document_set_byte (doc, 10, (guint8) ~loop->bytes[10], FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_read (doc, 10, got, 1, &error));
  g_assert_cmpint (got[0], ==, (guint8) ~loop->bytes[10]);
  {
    int fd = open (loop->device, O_RDONLY);
    guint8 on_disk = 0;

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (pread (fd, &on_disk, 1, 10), ==, 1);
    g_assert_cmpint (on_disk, ==, loop->bytes[10]);
    close (fd);
  }
}

/* Copy-on-write Save writes the edits onto the device (whose st_size is 0:
   no "shrunk" file), and only them. */
static void
test_device_copy_on_write_save_writes_the_edits (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  guint8 on_disk[3] = { 0 };
  int fd;

  if (loop == NULL)
    return;
  doc = open_path (loop->device, MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (maphex_document_set_byte (doc, 5000, (guint8) ~loop->bytes[5000], FALSE, &error));
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_modified (doc));

  fd = open (loop->device, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, on_disk, 3, 4999), ==, 3);
  close (fd);
  g_assert_cmpint (on_disk[0], ==, loop->bytes[4999]);
  g_assert_cmpint (on_disk[1], ==, (guint8) ~loop->bytes[5000]);
  g_assert_cmpint (on_disk[2], ==, loop->bytes[5001]);
}

/* A device's st_size is 0: every reader of the file's size asks the
   device instead. Save As of a device (copy-on-write, one edit) copies all
   of it with the edit: it reads the device as its source, and does not take
   it for a file another program shrank to nothing. */
static void
test_device_size_is_the_devices_and_save_as_copies_it (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest_path = NULL;
  g_autoptr(GFile) dest = NULL;
  g_autofree char *got = NULL;
  gsize got_len = 0;
  guint8 on_disk = 0;
  int fd;

  if (loop == NULL)
    return;
  doc = open_path (loop->device, MAPHEX_MODE_COPY_ON_WRITE, MAPHEX_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (_maphex_document_disk_size (doc), ==, LOOP_SIZE);
  g_assert_cmpint (_maphex_document_shrunk_disk_size (doc), ==, -1);
  g_rec_mutex_lock (&doc->map_lock);
  g_assert_cmpint (_maphex_document_backed_length_locked (doc), ==, LOOP_SIZE);
  g_rec_mutex_unlock (&doc->map_lock);

  g_assert_true (maphex_document_set_byte (doc, 5000, (guint8) ~loop->bytes[5000], FALSE, &error));
  dest_path = g_build_filename (tmp_dir, "device-copy", NULL);
  dest = g_file_new_for_path (dest_path);
  g_assert_true (maphex_document_save_as (doc, dest, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (dest_path, &got, &got_len, NULL));
  g_assert_cmpuint (got_len, ==, LOOP_SIZE);
  g_assert_cmpint ((guint8) got[5000], ==, (guint8) ~loop->bytes[5000]);
  got[5000] = (char) loop->bytes[5000];
  g_assert_cmpmem (got, got_len, loop->bytes, LOOP_SIZE);

  /* the device itself is untouched */
  fd = open (loop->device, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &on_disk, 1, 5000), ==, 1);
  close (fd);
  g_assert_cmpint (on_disk, ==, loop->bytes[5000]);
  g_unlink (dest_path);
}

static void
test_device_write_through_needs_confirmation (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  guint8 on_disk = 0;
  int fd;

  if (loop == NULL)
    return;
  doc = open_path (loop->device, MAPHEX_MODE_WRITE_THROUGH, MAPHEX_OPEN_NONE, &error);
  g_assert_null (doc);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_CONFIRMATION);
  g_assert_nonnull (strstr (error->message, loop->device));
  g_clear_error (&error);

  doc = open_path (loop->device, MAPHEX_MODE_WRITE_THROUGH, MAPHEX_OPEN_CONFIRMED, &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_WRITE_THROUGH);
  g_assert_true (maphex_document_set_byte (doc, 100, (guint8) ~loop->bytes[100], FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (maphex_document_save (doc, NULL, &error));
  g_assert_no_error (error);

  fd = open (loop->device, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &on_disk, 1, 100), ==, 1);
  g_assert_cmpint (on_disk, ==, (guint8) ~loop->bytes[100]);
  close (fd);
}

static void
test_device_refuses_length_changes (void)
{
  g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  guint8 got[4];

  if (loop == NULL)
    return;
  doc = open_path (loop->device, MAPHEX_MODE_WRITE_THROUGH, MAPHEX_OPEN_CONFIRMED, &error);
  g_assert_no_error (error);
  g_assert_false (maphex_document_get_can_resize (doc));
  g_assert_nonnull (strstr (maphex_document_get_resize_refusal (doc), "a fixed size"));

  g_assert_false (maphex_document_resize (doc, NULL, LOOP_SIZE + 512, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "a fixed size"));
  g_clear_error (&error);
  g_assert_false (maphex_document_insert (doc, NULL, 0, (const guint8 *) "ab", 2, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (maphex_document_delete (doc, NULL, 0, 2, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_cmpint (maphex_document_get_length (doc), ==, LOOP_SIZE);
  g_assert_true (maphex_document_read (doc, 0, got, sizeof got, &error));
  g_assert_cmpmem (got, sizeof got, loop->bytes, sizeof got);
}


/* Not a device the user may open: the message says so, and who usually may.
   As root (CI) the loop device is opened from a child that gave up root;
   without root, a block device of /dev this user cannot read. */
static void
check_device_permission_message (const char *device)
{
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  doc = open_path (device, MAPHEX_MODE_READ_ONLY, MAPHEX_OPEN_NONE, &error);
  g_assert_null (doc);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, device));
  g_assert_nonnull (strstr (error->message, "usually needs root"));
  g_assert_nonnull (strstr (error->message, "“disk” group"));
  g_clear_error (&error);
  doc = open_path (device, MAPHEX_MODE_WRITE_THROUGH, MAPHEX_OPEN_CONFIRMED, &error);
  g_assert_null (doc);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "for writing"));
  g_assert_nonnull (strstr (error->message, "“disk” group"));
}

static void
test_device_without_permission_names_root_and_the_disk_group (void)
{
  if (geteuid () == 0)
    {
      g_autoptr(LoopDevice) loop = loop_device_new_or_skip (LOOP_SIZE);
      int status = 0;
      pid_t pid;

      if (loop == NULL)
        return;
      g_assert_cmpint (chmod (loop->device, 0660), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          /* nobody, in no group that owns a disk */
          if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
            _exit (77);
          check_device_permission_message (loop->device);
          _exit (0);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
        {
          g_test_skip ("cannot give up root to try the device as another user");
          return;
        }
      /* a failed assertion in the child aborts it */
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      return;
    }

  {
    g_autoptr(GDir) dir = g_dir_open ("/dev", 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename ("/dev", name, NULL);
        struct stat st;

        if (stat (path, &st) == 0 && S_ISBLK (st.st_mode) && access (path, R_OK) != 0)
          {
            check_device_permission_message (path);
            return;
          }
      }
    g_test_skip ("every block device is readable here and no loop device can be made "
                 "(not root): no permission refusal to see");
  }
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */

static void
test_proc_file_needs_a_snapshot_with_its_bytes (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/status");
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree guint8 *got = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *name = NULL;
  gsize expected_len = 0;
  gint64 len;

  doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
  g_assert_null (doc);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT);
  g_clear_error (&error);

  /* /proc/self/status of this process: the same process reads it both times,
     so only the lines that move with time may differ; compare the first one */
  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents ("/proc/self/status", &expected, &expected_len, NULL));
  len = maphex_document_get_length (doc);
  g_assert_cmpint (len, >, 0);
  g_assert_true (maphex_document_is_snapshot (doc));
  g_assert_true (maphex_document_is_scratch (doc));
  got = g_malloc (len);
  g_assert_true (maphex_document_read (doc, 0, got, len, &error));
  g_assert_no_error (error);
  {
    const char *nl = strchr (expected, '\n');
    gsize first = (gsize) (nl - expected) + 1;

    g_assert_cmpmem (got, first, expected, first);
    g_assert_true (g_str_has_prefix ((const char *) got, "Name:"));
  }

  name = maphex_document_dup_display_name (doc);
  g_assert_cmpstr (name, ==, "status");
  notice = maphex_document_dup_snapshot_notice (doc);
  g_assert_true (g_str_has_prefix (notice, "A snapshot of /proc/self/status, read at "));
  g_assert_true (g_str_has_suffix (notice, "; it does not follow the file"));

  /* editable in memory, but Save refuses */
  g_assert_true (maphex_document_set_byte (doc, 0, 'n', FALSE, &error));
  g_assert_false (maphex_document_save (doc, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "This is a snapshot; use Save As");
  g_assert_false (maphex_document_can_save_to_source (doc));
}

typedef struct {
  char  *path;
  gsize  len;
  guint  delay_ms;
} Writer;

static gpointer
fifo_writer (gpointer data)
{
  Writer *w = data;
  int fd;

  g_usleep (w->delay_ms * 1000);
  fd = open (w->path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < w->len; i++)
    {
      guint8 b = (guint8) (i % 253);
      g_assert_cmpint (write (fd, &b, 1), ==, 1);
    }
  close (fd);
  return NULL;
}

static void
test_fifo_snapshot_waits_for_its_writer (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "fifo", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  Writer w = { path, 5000, 300 };
  GThread *thread;
  guint8 got[5000];

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  /* the writer opens the FIFO only after the reader started: no early EOF */
  thread = g_thread_new ("writer", fifo_writer, &w);
  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_thread_join (thread);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 5000);
  g_assert_true (maphex_document_read (doc, 0, got, sizeof got, &error));
  for (gsize i = 0; i < sizeof got; i++)
    g_assert_cmpint (got[i], ==, i % 253);
  g_unlink (path);
}

static void
test_pipe_snapshot_of_a_descriptor (void)
{
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint8 got[11];
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "hello\x00pipe!", 11), ==, 11);
  close (fds[1]);
  doc = maphex_document_new_snapshot (NULL, fds[0], NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_assert_no_error (error);
  close (fds[0]);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 11);
  g_assert_true (maphex_document_read (doc, 0, got, 11, &error));
  g_assert_cmpmem (got, 11, "hello\x00pipe!", 11);
  name = maphex_document_dup_display_name (doc);
  g_assert_cmpstr (name, ==, "standard input");
  g_assert_true (maphex_document_get_can_edit (doc));
}

/* Writes `len` bytes into fd from a child process, then exits. */
static GPid
spawn_pipe_writer (int fds[2], gsize len)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      static guint8 block[65536];
      gsize done = 0;
      int fd = fds[1];

      close (fds[0]);   /* else the writer never learns the reader is gone */
      while (done < len)
        {
          ssize_t n = write (fd, block, MIN (sizeof block, len - done));
          if (n <= 0)
            _exit (0);   /* the reader gave up: EPIPE */
          done += (gsize) n;
        }
      _exit (0);
    }
  return pid;
}

static void
test_pipe_past_the_limit_is_refused (void)
{
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];
  GPid pid;
  int status;

  _maphex_document_set_snapshot_limit_for_tests (1024 * 1024);
  g_assert_cmpint (maphex_document_get_snapshot_limit (), ==, 1024 * 1024);
  g_assert_cmpint (pipe (fds), ==, 0);
  /* 64 MiB into a 1 MiB limit */
  pid = spawn_pipe_writer (fds, (gsize) 64 << 20);
  close (fds[1]);
  doc = maphex_document_new_snapshot (NULL, fds[0], "the pipe", MAPHEX_MODE_COPY_ON_WRITE,
                                      NULL, &error);
  close (fds[0]);
  waitpid (pid, &status, 0);
  _maphex_document_set_snapshot_limit_for_tests (0);

  g_assert_null (doc);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "the pipe"));
  /* g_format_size puts a no-break space before the unit */
  g_assert_nonnull (strstr (error->message, "1.0\u00a0MiB"));

  /* exactly the limit fits */
  _maphex_document_set_snapshot_limit_for_tests (1024 * 1024);
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = spawn_pipe_writer (fds, 1024 * 1024);
  close (fds[1]);
  g_clear_error (&error);
  doc = maphex_document_new_snapshot (NULL, fds[0], NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  close (fds[0]);
  waitpid (pid, &status, 0);
  _maphex_document_set_snapshot_limit_for_tests (0);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 1024 * 1024);

  g_assert_cmpint (maphex_document_get_snapshot_limit (), <=, (gint64) 1 << 30);
}

static void
test_refused_mmap_falls_back_to_a_read_only_snapshot (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "unmappable", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  guint8 got[9];

  g_assert_true (g_file_set_contents (path, "unmapped!", 9, NULL));
  _maphex_document_set_mmap_refused_for_tests (TRUE);
  doc = maphex_document_new_for_file (file, MAPHEX_MODE_COPY_ON_WRITE, &error);
  _maphex_document_set_mmap_refused_for_tests (FALSE);
  g_assert_null (doc);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NEEDS_SNAPSHOT);
  g_assert_nonnull (strstr (error->message, "refused to map"));
  g_clear_error (&error);

  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_mode (doc), ==, MAPHEX_MODE_READ_ONLY);
  g_assert_true (maphex_document_read (doc, 0, got, 9, &error));
  g_assert_cmpmem (got, 9, "unmapped!", 9);
  notice = maphex_document_dup_snapshot_notice (doc);
  g_assert_nonnull (strstr (notice, "refused to map"));

  /* the source is a writable regular file: Save can write back once asked */
  g_assert_true (maphex_document_can_save_to_source (doc));
  g_assert_true (maphex_document_save_to_source (doc, &error));
  g_assert_no_error (error);
  g_unlink (path);
}

static void
test_endless_character_device_is_refused (void)
{
  const char *devices[] = { "/dev/zero", "/dev/urandom" };

  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (devices[i]);
      g_autoptr(GError) error = NULL;
      MaphexDocument *doc;

      doc = maphex_document_new_for_file (file, MAPHEX_MODE_READ_ONLY, &error);
      g_assert_null (doc);
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR);
      g_clear_error (&error);
      doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_READ_ONLY, NULL, &error);
      g_assert_null (doc);
      g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_NOT_REGULAR);
      g_assert_nonnull (strstr (error->message, "may never end"));
      g_assert_nonnull (strstr (error->message, devices[i]));
    }
}

static void
test_directory_snapshot_is_refused (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (tmp_dir);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc;

  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_READ_ONLY, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
}

static void
snapshot_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  MaphexDocument *doc = maphex_document_new_snapshot_finish (result, error);

  g_assert_null (doc);
}

static void
test_snapshot_cancel_stops_a_pipe_that_never_ends (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  /* a writer that stays open and writes nothing */
  maphex_document_new_snapshot_async (NULL, fds[0], NULL, MAPHEX_MODE_READ_ONLY, NULL, NULL,
                                      cancellable, snapshot_done_cb, &error);
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  WAIT_UNTIL (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_error_free (error);
  close (fds[0]);
  close (fds[1]);
}


/* ---- writing a snapshot back ---- */

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
operation_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!maphex_document_operation_finish (MAPHEX_DOCUMENT (source), result, error) &&
      *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, 0, "ok");   /* a marker: done */
}

/* /proc/self/comm: a pseudo-file (size 0) the process may write. */
static void
test_proc_snapshot_is_written_back_in_a_worker (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/comm");
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = read_text ("/proc/self/comm");
  g_autofree char *after = NULL;
  GError *result = NULL;
  gboolean saw_busy = FALSE;

  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (maphex_document_can_save_to_source (doc));
  g_assert_cmpstr (maphex_document_get_snapshot_source (doc), ==, "/proc/self/comm");
  /* "test-devices\n" becomes "Test-devices\n" */
  g_assert_true (maphex_document_set_byte (doc, 0, 'T', FALSE, &error));
  g_assert_true (maphex_document_get_modified (doc));

  maphex_document_save_to_source_async (doc, NULL, operation_done_cb, &result);
  saw_busy = maphex_document_get_busy (doc);
  g_assert_nonnull (strstr (maphex_document_get_operation_name (doc), "/proc/self/comm"));
  WAIT_UNTIL (result != NULL);
  g_assert_true (saw_busy);
  g_assert_cmpstr (result->message, ==, "ok");
  g_error_free (result);
  after = read_text ("/proc/self/comm");
  /* the kernel keeps the newline written as part of the name */
  g_assert_cmpint (after[0], ==, 'T');
  g_assert_cmpint (strncmp (after + 1, before + 1, strlen (before) - 2), ==, 0);
  g_assert_false (maphex_document_get_modified (doc));

  /* as it was, for the rest of the tests */
  {
    int fd = open ("/proc/self/comm", O_WRONLY);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (write (fd, before, strlen (before) - 1), ==, (ssize_t) strlen (before) - 1);
    close (fd);
  }
}

/* A value the kernel refuses: a clear error naming the source, and the
   document still holds the unsaved edit. */
static void
test_refused_write_back_says_why_and_keeps_the_edit (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/proc/self/oom_score_adj");
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = read_text ("/proc/self/oom_score_adj");
  g_autofree char *after = NULL;

  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  g_assert_no_error (error);
  if (!maphex_document_can_save_to_source (doc))
    {
      g_test_skip ("/proc/self/oom_score_adj is not writable here");
      return;
    }
  g_assert_true (maphex_document_set_byte (doc, 0, 'x', FALSE, &error));
  g_assert_false (maphex_document_save_to_source (doc, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "/proc/self/oom_score_adj"));
  g_assert_nonnull (strstr (error->message, "back"));
  g_assert_true (maphex_document_get_modified (doc));
  after = read_text ("/proc/self/oom_score_adj");
  g_assert_cmpstr (after, ==, before);
}

static void
cancel_after_first_chunk (MaphexDocument *doc, guint chunk, gpointer data)
{
  maphex_document_cancel_operation (doc);
}

/* A file that reports its size is replaced by a complete copy, as Save As
   replaces one: a cancel midway, or after the last byte is written, leaves
   it as it was (no copy left beside it); a finished write puts the
   snapshot's bytes there, with the file's permissions, and syncs the
   directory. */
static void
test_file_write_back_replaces_it_whole_or_not_at_all (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "writeback", NULL);
  g_autofree char *path = g_build_filename (dir, "big", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(MaphexDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = (gsize) 3 << 20;   /* three of the write-back's chunks */
  g_autofree guint8 *first = g_malloc (len);
  g_autofree guint8 *second = g_malloc (len);
  g_autofree char *got = NULL;
  gsize got_len = 0;
  struct stat st;

  for (gsize i = 0; i < len; i++)
    {
      first[i] = (guint8) (i % 251);
      second[i] = (guint8) (i % 13);
    }
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, (char *) first, (gssize) len, NULL));
  g_assert_cmpint (chmod (path, 0640), ==, 0);
  _maphex_document_set_mmap_refused_for_tests (TRUE);
  doc = maphex_document_new_snapshot (file, -1, NULL, MAPHEX_MODE_COPY_ON_WRITE, NULL, &error);
  _maphex_document_set_mmap_refused_for_tests (FALSE);
  g_assert_no_error (error);
  /* the file moves on; the snapshot does not follow */
  g_assert_true (g_file_set_contents (path, (char *) second, (gssize) len, NULL));
  g_assert_cmpint (chmod (path, 0640), ==, 0);

  _maphex_document_run_set_chunk_size ((gint64) 1 << 20);
  _maphex_document_run_set_chunk_hook (cancel_after_first_chunk, NULL);
  g_assert_false (maphex_document_save_to_source (doc, &error));
  _maphex_document_run_set_chunk_hook (NULL, NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, second, len);
  g_clear_pointer (&got, g_free);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    g_assert_cmpstr (g_dir_read_name (d), ==, "big");
    g_assert_null (g_dir_read_name (d));
  }

  /* a cancel after the last chunk, before the rename: still untouched */
  _maphex_document_run_set_chunk_size ((gint64) 4 << 20);
  _maphex_document_run_set_chunk_hook (cancel_after_first_chunk, NULL);
  g_assert_false (maphex_document_save_to_source (doc, &error));
  _maphex_document_run_set_chunk_hook (NULL, NULL);
  _maphex_document_run_set_chunk_size (0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, second, len);
  g_clear_pointer (&got, g_free);

  g_assert_cmpuint (_maphex_document_get_n_dir_syncs (doc), ==, 0);
  /* root saving another user's file keeps that user its owner */
  if (geteuid () == 0)
    g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  g_assert_true (maphex_document_save_to_source (doc, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &got, &got_len, NULL));
  g_assert_cmpmem (got, got_len, first, len);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  if (geteuid () == 0)
    {
      g_assert_cmpint (st.st_uid, ==, 65534);
      g_assert_cmpint (st.st_gid, ==, 65534);
    }
  /* the new name is made durable, as Save As makes it */
  g_assert_cmpuint (_maphex_document_get_n_dir_syncs (doc), ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

static void
record_progress_cb (gint64 bytes_read, gint64 expected, gpointer user_data)
{
  gint64 *seen = user_data;

  seen[0] = bytes_read;
  seen[1] = expected;
}

static void
snapshot_kept_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MaphexDocument **doc = user_data;
  GError *error = NULL;

  *doc = maphex_document_new_snapshot_finish (result, &error);
  g_assert_no_error (error);
}

/* The progress says how much to expect where the source says (a file),
   and -1 where it cannot (a pipe). */
static void
test_snapshot_progress_knows_a_file_size_not_a_pipe_size (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "sized", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MaphexDocument *doc = NULL;
  gint64 seen[2] = { 0, 0 };
  int fds[2];

  g_assert_true (g_file_set_contents (path, "0123456789abcdef", 16, NULL));
  _maphex_document_set_mmap_refused_for_tests (TRUE);
  maphex_document_new_snapshot_async (file, -1, NULL, MAPHEX_MODE_READ_ONLY, record_progress_cb,
                                      seen, NULL, snapshot_kept_cb, &doc);
  WAIT_UNTIL (doc != NULL);
  _maphex_document_set_mmap_refused_for_tests (FALSE);
  g_main_context_iteration (NULL, FALSE);
  WAIT_UNTIL (seen[0] >= 16);
  g_assert_cmpint (seen[0], ==, 16);
  g_assert_cmpint (seen[1], ==, 16);
  g_clear_object (&doc);
  g_unlink (path);

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "abc", 3), ==, 3);
  close (fds[1]);
  seen[0] = seen[1] = 0;
  maphex_document_new_snapshot_async (NULL, fds[0], NULL, MAPHEX_MODE_READ_ONLY,
                                      record_progress_cb, seen, NULL, snapshot_kept_cb, &doc);
  WAIT_UNTIL (doc != NULL && seen[0] >= 3);
  close (fds[0]);
  g_assert_cmpint (seen[1], ==, -1);
  g_clear_object (&doc);
}

typedef struct {
  gboolean  done;
  GError   *error;
} Refusal;

static void
snapshot_refused_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Refusal *r = user_data;

  g_assert_null (maphex_document_new_snapshot_finish (result, &r->error));
  r->done = TRUE;
}

/* A file that says it is past the limit (mmap refused) is refused with the
   limit's message before a byte of it is read: no progress is reported. */
static void
test_file_past_the_limit_is_refused_unread (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "too-big", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 seen[2] = { 0, 0 };
  Refusal r = { 0 };
  int fd;

  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 64 << 20), ==, 0);
  close (fd);
  _maphex_document_set_snapshot_limit_for_tests (1024 * 1024);
  _maphex_document_set_mmap_refused_for_tests (TRUE);
  maphex_document_new_snapshot_async (file, -1, NULL, MAPHEX_MODE_READ_ONLY, record_progress_cb,
                                      seen, NULL, snapshot_refused_cb, &r);
  WAIT_UNTIL (r.done);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  _maphex_document_set_mmap_refused_for_tests (FALSE);
  _maphex_document_set_snapshot_limit_for_tests (0);

  g_assert_error (r.error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (r.error->message, "too-big"));
  g_assert_cmpint (seen[0], ==, 0);
  g_clear_error (&r.error);
  g_unlink (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  tmp_dir = g_dir_make_tmp ("maphex-test-devices-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/devices/block/opens-read-only-by-default-with-its-bytes",
                   test_device_opens_read_only_by_default_with_its_bytes);
  g_test_add_func ("/devices/block/write-through-needs-confirmation",
                   test_device_write_through_needs_confirmation);
  g_test_add_func ("/devices/block/refuses-length-changes", test_device_refuses_length_changes);
  g_test_add_func ("/devices/block/copy-on-write-save-writes-the-edits",
                   test_device_copy_on_write_save_writes_the_edits);
  g_test_add_func ("/devices/block/size-is-the-devices-and-save-as-copies-it",
                   test_device_size_is_the_devices_and_save_as_copies_it);
  g_test_add_func ("/devices/block/without-permission-names-root-and-the-disk-group",
                   test_device_without_permission_names_root_and_the_disk_group);
  g_test_add_func ("/devices/snapshot/proc-file-with-its-bytes",
                   test_proc_file_needs_a_snapshot_with_its_bytes);
  g_test_add_func ("/devices/snapshot/fifo-waits-for-its-writer", test_fifo_snapshot_waits_for_its_writer);
  g_test_add_func ("/devices/snapshot/pipe-of-a-descriptor", test_pipe_snapshot_of_a_descriptor);
  g_test_add_func ("/devices/snapshot/pipe-past-the-limit-is-refused", test_pipe_past_the_limit_is_refused);
  g_test_add_func ("/devices/snapshot/refused-mmap-falls-back-read-only",
                   test_refused_mmap_falls_back_to_a_read_only_snapshot);
  g_test_add_func ("/devices/snapshot/endless-character-device-is-refused",
                   test_endless_character_device_is_refused);
  g_test_add_func ("/devices/snapshot/directory-is-refused", test_directory_snapshot_is_refused);
  g_test_add_func ("/devices/snapshot/cancel-stops-a-pipe-that-never-ends",
                   test_snapshot_cancel_stops_a_pipe_that_never_ends);
  g_test_add_func ("/devices/snapshot/proc-file-written-back-in-a-worker",
                   test_proc_snapshot_is_written_back_in_a_worker);
  g_test_add_func ("/devices/snapshot/refused-write-back-says-why-and-keeps-the-edit",
                   test_refused_write_back_says_why_and_keeps_the_edit);
  g_test_add_func ("/devices/snapshot/file-write-back-replaces-it-whole-or-not-at-all",
                   test_file_write_back_replaces_it_whole_or_not_at_all);
  g_test_add_func ("/devices/snapshot/progress-knows-a-file-size-not-a-pipe-size",
                   test_snapshot_progress_knows_a_file_size_not_a_pipe_size);
  g_test_add_func ("/devices/snapshot/file-past-the-limit-is-refused-unread",
                   test_file_past_the_limit_is_refused_unread);

  ret = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
