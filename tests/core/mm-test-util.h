/* mm-test-util.h: reporting helpers the core tests share. */
#pragma once

#include <glib.h>

#include "mm-map.h"

/* "MM_ERROR_RANGE" and so on, for messages. */
const char *status_name (MmStatus status);

/* Records one wrong result as a test message and marks the test failed, so
 * that every wrong result is listed (g_test_fail_printf keeps only the
 * last). */
void fail_case (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* g_test_init with --keep-going added: every test runs even after a
 * failure, to report all that is wrong. */
void test_init_keep_going (int *argc, char ***argv);
