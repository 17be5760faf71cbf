/* mm-test-util.c: reporting helpers the core tests share. */
#include "mm-test-util.h"

#include <stdarg.h>
#include <string.h>

const char *
status_name (MmStatus status)
{
  switch (status)
    {
    case MM_OK:                return "MM_OK";
    case MM_ERROR_CLOSED:      return "MM_ERROR_CLOSED";
    case MM_ERROR_READONLY:    return "MM_ERROR_READONLY";
    case MM_ERROR_RANGE:       return "MM_ERROR_RANGE";
    case MM_ERROR_INVALID:     return "MM_ERROR_INVALID";
    case MM_ERROR_EXPORTED:    return "MM_ERROR_EXPORTED";
    case MM_ERROR_UNSUPPORTED: return "MM_ERROR_UNSUPPORTED";
    case MM_ERROR_FAULT:       return "MM_ERROR_FAULT";
    case MM_ERROR_OS:          return "MM_ERROR_OS";
    default:                   return "(not an MmStatus)";
    }
}

void
fail_case (const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("FAIL: %s", msg);
  g_test_fail ();
}

void
test_init_keep_going (int    *argc,
                      char ***argv)
{
  /* static: GTest keeps using the vector */
  static char **args;

  args = g_new0 (char *, *argc + 2);
  memcpy (args, *argv, sizeof (char *) * (size_t) *argc);
  args[*argc] = (char *) "--keep-going";
  (*argc)++;
  *argv = args;
  g_test_init (argc, argv, NULL);
}
