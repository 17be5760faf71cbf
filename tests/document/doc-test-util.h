/* doc-test-util.h: helpers the document tests share (no display): a file's
 * bytes, a comparison of a file with expected bytes, a document opened or
 * the test fails. */
#pragma once

#include "maphex-document.h"

GBytes         *dt_slurp          (const char *path);
void            dt_assert_file_is (const char *path,
                                   GBytes     *expected);
MaphexDocument *dt_open_doc       (const char *path,
                                   MaphexMode  mode);
