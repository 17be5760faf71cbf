/* loopdev.h: a loop device for the tests that open a block device (the core
 * and document tests): a temp file of known bytes attached with
 * `losetup -f --show`, detached and removed again. Header-only, GLib.
 *
 * Making one needs root (or a losetup that may attach); where it cannot be
 * made, loop_device_new returns NULL with the reason in *why, and the test
 * skips with that reason (loop_device_new_or_skip does both). */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char   *backing;   /* the temp file */
  char   *device;    /* e.g. "/dev/loop3" */
  guint8 *bytes;     /* what the file (so the device) holds */
  gsize   size;
} LoopDevice;

static inline void
loop_device_free (LoopDevice *loop)
{
  if (loop == NULL)
    return;
  if (loop->device != NULL) {
    const char *argv[] = { "losetup", "-d", loop->device, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                  | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  if (loop->backing != NULL)
    g_unlink (loop->backing);
  g_free (loop->backing);
  g_free (loop->device);
  g_free (loop->bytes);
  g_free (loop);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoopDevice, loop_device_free)

/* A loop device over size bytes (a multiple of 512) that differ from their
   neighbours; NULL and *why (newly allocated) when none can be made. */
static inline LoopDevice *
loop_device_new (gsize size, char **why)
{
  g_autoptr (LoopDevice) loop = g_new0 (LoopDevice, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  int fd;

  loop->size = size;
  loop->bytes = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    loop->bytes[i] = (guint8) (i * 7 + i / 251 + 1);
  fd = g_file_open_tmp ("maphex-loop-XXXXXX", &loop->backing, &error);
  if (fd < 0) {
    *why = g_strdup_printf ("no temp file for a loop device: %s", error->message);
    return NULL;
  }
  close (fd);
  if (!g_file_set_contents (loop->backing, (const char *) loop->bytes, (gssize) size, &error)) {
    *why = g_strdup_printf ("cannot write the loop device's file: %s", error->message);
    return NULL;
  }
  {
    const char *argv[] = { "losetup", "-f", "--show", loop->backing, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                       &out, &err, &status, &error)) {
      *why = g_strdup_printf ("cannot run losetup: %s", error->message);
      return NULL;
    }
  }
  if (!g_spawn_check_wait_status (status, NULL) || out == NULL || out[0] != '/') {
    *why = g_strdup_printf ("losetup -f --show could not make a loop device (it needs root): %s",
                            err != NULL ? g_strstrip (err) : "no output");
    return NULL;
  }
  loop->device = g_strdup (g_strstrip (out));
  return g_steal_pointer (&loop);
}

/* The same for a test: where none can be made, the test is marked skipped
   with the reason, and NULL comes back (the test then returns). */
static inline LoopDevice *
loop_device_new_or_skip (gsize size)
{
  g_autofree char *why = NULL;
  LoopDevice *loop = loop_device_new (size, &why);

  if (loop == NULL)
    g_test_skip_printf ("no loop device: %s", why);
  return loop;
}
