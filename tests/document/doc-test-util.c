/* doc-test-util.c: the document tests' shared helpers (doc-test-util.h). */
#include "doc-test-util.h"

/* The whole file, or the test fails. */
GBytes *
dt_slurp (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

void
dt_assert_file_is (const char *path,
                   GBytes     *expected)
{
  g_autoptr(GBytes) now = dt_slurp (path);

  g_assert_cmpmem (g_bytes_get_data (now, NULL), g_bytes_get_size (now),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

MaphexDocument *
dt_open_doc (const char *path,
             MaphexMode  mode)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = maphex_document_new_for_file (file, mode, &error);

  g_assert_no_error (error);
  return doc;
}
