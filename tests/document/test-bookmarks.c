/* test-bookmarks.c: a document's marks (maphex-bookmarks.c): adding and
 * changing them, how they follow inserts and deletes, how undo and redo put
 * them back, and the store that keeps them across runs. */
#include "maphex-bookmarks-private.h"
#include "doc-test-util.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static char *tmp_dir;
static guint file_counter;

static char *
new_file (gsize len)
{
  g_autofree char *name = g_strdup_printf ("marks-%u.bin", ++file_counter);
  g_autofree guint8 *data = g_malloc (MAX (len, 1));
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + 1);
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static void
count_changed (MaphexBookmarks *marks,
               guint           *n)
{
  (*n)++;
}

/* ------------------------------------------------------------------ */

static void
test_add_find_and_change (void)
{
  g_autofree char *path = new_file (256);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GError) error = NULL;
  const MaphexBookmark *mark;
  guint a, b, c, n_changed = 0;

  g_assert_true (maphex_document_get_bookmarks (doc) == marks);
  g_signal_connect (marks, "changed", G_CALLBACK (count_changed), &n_changed);

  /* Read-only documents can be marked: a mark is not an edit. */
  b = maphex_bookmarks_add (marks, 100, 4, "  header  ", 2, "the magic", &error);
  g_assert_no_error (error);
  a = maphex_bookmarks_add (marks, 10, 1, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  c = maphex_bookmarks_add (marks, 100, 50, "", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 3);
  g_assert_true (a != b && b != c && a != c && a != 0 && b != 0 && c != 0);

  /* File order, ties in the order made; names stripped or defaulted. */
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 3);
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 0)->id, ==, a);
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 1)->id, ==, b);
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 2)->id, ==, c);
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, a)->name, ==, "0xA");
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, a)->note, ==, "");
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, b)->name, ==, "header");
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, c)->name, ==, "0x64");

  /* The shortest mark over a byte wins; past every mark, none. */
  g_assert_cmpuint (maphex_bookmarks_find_at (marks, 101)->id, ==, b);
  g_assert_cmpuint (maphex_bookmarks_find_at (marks, 104)->id, ==, c);
  g_assert_cmpuint (maphex_bookmarks_find_at (marks, 149)->id, ==, c);
  g_assert_null (maphex_bookmarks_find_at (marks, 150));
  g_assert_null (maphex_bookmarks_find_at (marks, 9));
  g_assert_cmpuint (maphex_bookmarks_find_at (marks, 10)->id, ==, a);

  /* Next and previous go by start. */
  g_assert_cmpuint (maphex_bookmarks_next (marks, 0)->id, ==, a);
  g_assert_cmpuint (maphex_bookmarks_next (marks, 10)->id, ==, b);
  g_assert_null (maphex_bookmarks_next (marks, 100));
  g_assert_cmpuint (maphex_bookmarks_previous (marks, 100)->id, ==, a);
  g_assert_cmpuint (maphex_bookmarks_previous (marks, 255)->id, ==, c);
  g_assert_null (maphex_bookmarks_previous (marks, 10));

  /* Out of range or a colour outside the palette: refused, nothing added. */
  g_assert_cmpuint (maphex_bookmarks_add (marks, 250, 7, NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "256"));
  g_clear_error (&error);
  g_assert_cmpuint (maphex_bookmarks_add (marks, 5, 0, NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_cmpuint (maphex_bookmarks_add (marks, 5, 1, NULL, MAPHEX_BOOKMARK_N_COLOURS, NULL, &error), ==, 0);
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 3);
  g_assert_cmpuint (n_changed, ==, 3);

  /* Rename, recolour, note; an empty name is the default again. */
  g_assert_true (maphex_bookmarks_update (marks, b, "PE header", 4, "at e_lfanew", &error));
  g_assert_no_error (error);
  mark = maphex_bookmarks_lookup (marks, b);
  g_assert_cmpstr (mark->name, ==, "PE header");
  g_assert_cmpuint (mark->colour, ==, 4);
  g_assert_cmpstr (mark->note, ==, "at e_lfanew");
  g_assert_true (maphex_bookmarks_update (marks, b, " ", 4, NULL, &error));
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, b)->name, ==, "0x64");
  g_assert_false (maphex_bookmarks_update (marks, b, "x", 9, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (maphex_bookmarks_lookup (marks, b)->colour, ==, 4);

  g_assert_true (maphex_bookmarks_remove (marks, b));
  g_assert_false (maphex_bookmarks_remove (marks, b));
  g_assert_null (maphex_bookmarks_lookup (marks, b));
  g_assert_false (maphex_bookmarks_update (marks, b, "x", 0, NULL, &error));
  g_assert_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 2);
}

/* ------------------------------------------------------------------ */
/* Shifts against a model computed here: each mark is a set of bytes; an
 * inserted byte joins a mark when the bytes on both sides of it belong to
 * it; a deleted byte leaves it; the mark is then its first to its last
 * byte, and goes when none is left. */

typedef struct {
  GArray *member;   /* gboolean per byte of the content */
  gboolean alive;
} ModelMark;

static void
model_insert (ModelMark *m, guint n, gint64 offset, gint64 len)
{
  for (guint k = 0; k < n; k++)
    {
      GArray *member = m[k].member;
      gboolean inside;

      if (!m[k].alive)
        continue;
      inside = offset > 0 && offset < member->len &&
               g_array_index (member, gboolean, offset - 1) &&
               g_array_index (member, gboolean, offset);
      for (gint64 i = 0; i < len; i++)
        g_array_insert_val (member, offset, inside);
    }
}

static void
model_delete (ModelMark *m, guint n, gint64 offset, gint64 len)
{
  for (guint k = 0; k < n; k++)
    {
      gboolean any = FALSE;
      if (!m[k].alive)
        continue;
      g_array_remove_range (m[k].member, offset, len);
      for (guint i = 0; i < m[k].member->len; i++)
        any = any || g_array_index (m[k].member, gboolean, i);
      m[k].alive = any;
    }
}

static gboolean
model_range (ModelMark *m, gint64 *start, gint64 *end)
{
  gint64 first = -1, last = -1;

  if (!m->alive)
    return FALSE;
  for (guint i = 0; i < m->member->len; i++)
    if (g_array_index (m->member, gboolean, i))
      {
        if (first < 0)
          first = i;
        last = i;
      }
  /* Bytes between the first and the last are the mark's. */
  for (gint64 i = first; i <= last; i++)
    g_array_index (m->member, gboolean, i) = TRUE;
  *start = first;
  *end = last + 1;
  return TRUE;
}

typedef struct {
  guint  id;
  gint64 offset, length;
} Snap;

static GArray *
snapshot (MaphexBookmarks *marks)
{
  GArray *snap = g_array_new (FALSE, FALSE, sizeof (Snap));

  for (guint i = 0; i < maphex_bookmarks_get_n_items (marks); i++)
    {
      const MaphexBookmark *mark = maphex_bookmarks_get_nth (marks, i);
      Snap s = { mark->id, mark->offset, mark->length };
      g_array_append_val (snap, s);
    }
  return snap;
}

static void
assert_snapshot (MaphexBookmarks *marks, GArray *snap)
{
  g_autoptr(GArray) now = snapshot (marks);

  g_assert_cmpuint (now->len, ==, snap->len);
  for (guint i = 0; i < now->len; i++)
    {
      Snap *a = &g_array_index (now, Snap, i), *b = &g_array_index (snap, Snap, i);
      g_assert_cmpuint (a->id, ==, b->id);
      g_assert_cmpint (a->offset, ==, b->offset);
      g_assert_cmpint (a->length, ==, b->length);
    }
}

static void
test_shifts_follow_a_model_and_undo_puts_back (void)
{
  enum { N_MARKS = 10, N_OPS = 24, LEN = 300 };

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *path = new_file (LEN);
      g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
      MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
      g_autoptr(GRand) rand = g_rand_new_with_seed (round + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) before = NULL;
      g_autoptr(GArray) after = NULL;
      ModelMark model[N_MARKS];
      guint ids[N_MARKS];
      guint8 data[40] = { 0 };

      for (guint k = 0; k < N_MARKS; k++)
        {
          gint64 start = g_rand_int_range (rand, 0, LEN - 1);
          gint64 len = g_rand_int_range (rand, 1, MIN (40, LEN - start) + 1);

          ids[k] = maphex_bookmarks_add (marks, start, len, NULL, k % MAPHEX_BOOKMARK_N_COLOURS,
                                         NULL, &error);
          g_assert_no_error (error);
          model[k].member = g_array_new (FALSE, TRUE, sizeof (gboolean));
          g_array_set_size (model[k].member, LEN);
          for (gint64 i = start; i < start + len; i++)
            g_array_index (model[k].member, gboolean, i) = TRUE;
          model[k].alive = TRUE;
        }
      before = snapshot (marks);

      for (guint op = 0; op < N_OPS; op++)
        {
          gint64 length = maphex_document_get_length (doc);
          gboolean insert = length < 40 || g_rand_boolean (rand);

          if (insert)
            {
              gint64 offset = g_rand_int_range (rand, 0, length + 1);
              gint64 len = g_rand_int_range (rand, 1, sizeof data + 1);

              g_assert_true (maphex_document_insert (doc, NULL, offset, data, len, &error));
              model_insert (model, N_MARKS, offset, len);
            }
          else
            {
              gint64 offset = g_rand_int_range (rand, 0, length);
              gint64 len = g_rand_int_range (rand, 1, MIN (30, length - offset) + 1);

              g_assert_true (maphex_document_delete (doc, NULL, offset, len, &error));
              model_delete (model, N_MARKS, offset, len);
            }
          g_assert_no_error (error);

          for (guint k = 0; k < N_MARKS; k++)
            {
              const MaphexBookmark *mark = maphex_bookmarks_lookup (marks, ids[k]);
              gint64 start, end;

              if (!model_range (&model[k], &start, &end))
                {
                  g_assert_null (mark);
                  continue;
                }
              g_assert_nonnull (mark);
              g_assert_cmpint (mark->offset, ==, start);
              g_assert_cmpint (mark->offset + mark->length, ==, end);
            }
        }
      after = snapshot (marks);

      /* Undo every step: each mark is back exactly, removed ones too. */
      for (guint op = 0; op < N_OPS; op++)
        {
          g_assert_true (maphex_document_undo (doc, NULL, &error));
          g_assert_no_error (error);
        }
      assert_snapshot (marks, before);
      /* And redo them all: as after the edits. */
      for (guint op = 0; op < N_OPS; op++)
        {
          g_assert_true (maphex_document_redo (doc, NULL, &error));
          g_assert_no_error (error);
        }
      assert_snapshot (marks, after);

      for (guint k = 0; k < N_MARKS; k++)
        g_array_unref (model[k].member);
    }
}

static void
test_insert_and_delete_edges (void)
{
  g_autofree char *path = new_file (100);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GError) error = NULL;
  guint8 four[4] = { 1, 2, 3, 4 };
  guint m;

  m = maphex_bookmarks_add (marks, 20, 10, "m", 0, NULL, &error);
  /* At its start: moves it. */
  g_assert_true (maphex_document_insert (doc, NULL, 20, four, 4, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 24);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 10);
  /* At its end: leaves it. */
  g_assert_true (maphex_document_insert (doc, NULL, 34, four, 4, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 24);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 10);
  /* Inside: grows it. */
  g_assert_true (maphex_document_insert (doc, NULL, 25, four, 4, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 14);
  /* A delete over its start shrinks it from the front. */
  g_assert_true (maphex_document_delete (doc, NULL, 22, 4, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 22);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 12);
  /* A shrink of the file cuts it at the new end, and one before it removes it. */
  g_assert_true (maphex_document_resize (doc, NULL, 30, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 8);
  g_assert_true (maphex_document_resize (doc, NULL, 10, &error));
  g_assert_null (maphex_bookmarks_lookup (marks, m));
  g_assert_no_error (error);

  /* Undo: back through every state. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 22);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 8);
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, m)->name, ==, "m");
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 12);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 24);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 14);
  g_assert_no_error (error);
}

/* A mark the user made inside inserted bytes goes with their undo, and
 * comes back with the redo. */
static void
test_mark_in_inserted_bytes_follows_undo_and_redo (void)
{
  g_autofree char *path = new_file (64);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GError) error = NULL;
  guint8 bytes[16] = { 0 };
  guint m;

  g_assert_true (maphex_document_insert (doc, NULL, 8, bytes, 16, &error));
  m = maphex_bookmarks_add (marks, 10, 4, "new", 1, "in the insert", &error);
  g_assert_no_error (error);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_null (maphex_bookmarks_lookup (marks, m));
  g_assert_true (maphex_document_redo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (maphex_bookmarks_lookup (marks, m));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 10);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->length, ==, 4);
  g_assert_cmpstr (maphex_bookmarks_lookup (marks, m)->note, ==, "in the insert");
}

/* first_reaching against a walk over every mark, and find_at (which
 * starts from it) against the shortest mark over the byte, over random
 * marks, after inserts and deletes move them and after removals. */
static void
check_first_reaching (MaphexBookmarks *marks,
                      GRand           *rand,
                      gint64           length)
{
  guint n = maphex_bookmarks_get_n_items (marks);

  for (int t = 0; t < 200; t++)
    {
      gint64 offset = g_rand_int_range (rand, -5, (gint32) length + 5);
      guint expected = n;
      gint64 furthest = G_MININT64;
      const MaphexBookmark *shortest = NULL;

      for (guint i = 0; i < n; i++)
        {
          const MaphexBookmark *mark = maphex_bookmarks_get_nth (marks, i);

          furthest = MAX (furthest, mark->offset + mark->length);
          if (furthest > offset && expected == n)
            expected = i;
          if (mark->offset <= offset && offset < mark->offset + mark->length &&
              (shortest == NULL || mark->length < shortest->length))
            shortest = mark;
        }
      g_assert_cmpuint (maphex_bookmarks_first_reaching (marks, offset), ==, expected);
      g_assert_true (maphex_bookmarks_find_at (marks, offset) == shortest);
    }
}

static void
test_first_reaching_skips_the_marks_before (void)
{
  g_autofree char *path = new_file (10000);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GError) error = NULL;
  guint8 bytes[64] = { 0 };

  g_assert_cmpuint (maphex_bookmarks_first_reaching (marks, 0), ==, 0);
  for (int i = 0; i < 300; i++)
    {
      gint64 offset = g_rand_int_range (rand, 0, 9990);
      /* Mostly short, some long enough to cover many others. */
      gint64 len = i % 25 == 0 ? g_rand_int_range (rand, 1, 10000 - (gint32) offset + 1)
                               : g_rand_int_range (rand, 1, 11);

      maphex_bookmarks_add (marks, offset, len, NULL, 0, NULL, &error);
      g_assert_no_error (error);
    }
  check_first_reaching (marks, rand, 10000);
  for (int i = 0; i < 20; i++)
    {
      gint64 at = g_rand_int_range (rand, 0, (gint32) maphex_document_get_length (doc));

      if (i % 2 == 0)
        g_assert_true (maphex_document_insert (doc, NULL, at, bytes, g_rand_int_range (rand, 1, 64), &error));
      else
        g_assert_true (maphex_document_delete (doc, NULL, at,
                                               MIN (64, maphex_document_get_length (doc) - at), &error));
      g_assert_no_error (error);
      check_first_reaching (marks, rand, maphex_document_get_length (doc));
    }
  while (maphex_bookmarks_get_n_items (marks) > 100)
    maphex_bookmarks_remove (marks, maphex_bookmarks_get_nth (marks,
                             (guint) g_rand_int_range (rand, 0, (gint32) maphex_bookmarks_get_n_items (marks)))->id);
  check_first_reaching (marks, rand, maphex_document_get_length (doc));
}

/* What a shift records for undo goes with the step: a new edit that
 * throws the redo steps away drops theirs, and so does the history's
 * memory limit when it drops the oldest steps; the steps still there keep
 * theirs, and undo still puts their marks back. */
static void
test_records_go_with_their_steps (void)
{
  g_autofree char *path = new_file (1000);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GError) error = NULL;
  guint8 bytes[8] = { 0 };
  guint m;

  m = maphex_bookmarks_add (marks, 500, 4, "m", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_maphex_bookmarks_get_n_records (marks), ==, 0);
  g_assert_true (maphex_document_insert (doc, NULL, 10, bytes, 8, &error));
  g_assert_true (maphex_document_insert (doc, NULL, 20, bytes, 8, &error));
  g_assert_cmpuint (_maphex_bookmarks_get_n_records (marks), ==, 2);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 516);

  /* Undone, the second step's record is kept for its redo (and one more
   * for the redo's own undo); a new edit throws the redo away. */
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_cmpuint (_maphex_bookmarks_get_n_records (marks), ==, 3);
  g_assert_true (maphex_document_insert (doc, NULL, 30, bytes, 8, &error));
  g_assert_cmpuint (_maphex_bookmarks_get_n_records (marks), ==, 2);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 516);

  /* The limit drops the oldest step (never the newest): its record goes. */
  maphex_document_set_undo_limit (doc, 1);
  g_assert_cmpuint (_maphex_bookmarks_get_n_records (marks), ==, 1);
  g_assert_true (maphex_document_undo (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 508);
  g_assert_false (maphex_document_undo (doc, NULL, NULL));
}

/* Replace All of another length shifts once per match, from the last match
 * down, and its undo shifts back from the first up at the same offsets: the
 * marks follow each, and undo and redo put them back exactly, the one a
 * shorter replacement swallowed too. */
static void
test_replace_all_of_another_length_and_its_undo (void)
{
  static const struct {
    const char *replacement;
    gint64      inside[2], across[2], after[2];   /* start, end after it */
  } cases[] = {
    { "Q",    { -1, -1 }, { 49, 107 }, { 185, 195 } },
    { "WXYZ", { 21, 24 }, { 52, 116 }, { 200, 210 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, c == 0 ? "replace-0.bin" : "replace-1.bin", NULL);
      char data[200];
      MaphexDocument *doc;
      MaphexBookmarks *marks;
      g_autoptr(GBytes) needle = g_bytes_new_static ("AB", 2);
      g_autoptr(GBytes) repl = g_bytes_new_static (cases[c].replacement, strlen (cases[c].replacement));
      g_autoptr(MaphexSearchQuery) query = NULL;
      g_autoptr(GArray) before = NULL;
      g_autoptr(GArray) after = NULL;
      g_autoptr(GError) error = NULL;
      guint before_all, inside, across, after_all;
      const MaphexBookmark *mark;

      memset (data, 'z', sizeof data);
      for (guint i = 20; i < 200; i += 40)
        memcpy (data + i, "AB", 2);
      g_assert_true (g_file_set_contents (path, data, sizeof data, NULL));
      doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
      marks = maphex_document_get_bookmarks (doc);
      query = maphex_search_query_new_bytes (needle, FALSE, &error);
      g_assert_no_error (error);

      before_all = maphex_bookmarks_add (marks, 0, 20, "before", 0, NULL, &error);
      inside = maphex_bookmarks_add (marks, 21, 1, "inside", 1, NULL, &error);
      across = maphex_bookmarks_add (marks, 50, 60, "across", 2, NULL, &error);
      after_all = maphex_bookmarks_add (marks, 190, 10, "after", 3, NULL, &error);
      g_assert_no_error (error);
      before = snapshot (marks);

      /* Matches at 20, 60, 100, 140 and 180. */
      g_assert_cmpint (maphex_document_replace_all (doc, query, repl, NULL, NULL, &error), ==, 5);
      g_assert_no_error (error);
      g_assert_cmpint (maphex_bookmarks_lookup (marks, before_all)->offset, ==, 0);
      g_assert_cmpint (maphex_bookmarks_lookup (marks, before_all)->length, ==, 20);
      mark = maphex_bookmarks_lookup (marks, inside);
      if (cases[c].inside[0] < 0)
        g_assert_null (mark);
      else
        {
          g_assert_nonnull (mark);
          g_assert_cmpint (mark->offset, ==, cases[c].inside[0]);
          g_assert_cmpint (mark->offset + mark->length, ==, cases[c].inside[1]);
        }
      mark = maphex_bookmarks_lookup (marks, across);
      g_assert_cmpint (mark->offset, ==, cases[c].across[0]);
      g_assert_cmpint (mark->offset + mark->length, ==, cases[c].across[1]);
      mark = maphex_bookmarks_lookup (marks, after_all);
      g_assert_cmpint (mark->offset, ==, cases[c].after[0]);
      g_assert_cmpint (mark->offset + mark->length, ==, cases[c].after[1]);
      after = snapshot (marks);

      g_assert_true (maphex_document_undo (doc, NULL, &error));
      g_assert_no_error (error);
      assert_snapshot (marks, before);
      g_assert_true (maphex_document_redo (doc, NULL, &error));
      g_assert_no_error (error);
      assert_snapshot (marks, after);
      g_assert_true (maphex_document_undo (doc, NULL, &error));
      g_assert_no_error (error);
      assert_snapshot (marks, before);
      g_object_unref (doc);
    }
}

/* A reload takes the file as it is now, with no shift to follow: marks past
 * its new end go and one across it ends there, as when a store is read for
 * a file that got shorter; the rest stay. */
static void
test_reload_of_a_shorter_file_fits_the_marks (void)
{
  g_autofree char *path = new_file (256);
  g_autoptr(MaphexDocument) doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  g_autoptr(GError) error = NULL;
  guint a, b, c, n_changed = 0;

  a = maphex_bookmarks_add (marks, 10, 10, "a", 0, NULL, &error);
  b = maphex_bookmarks_add (marks, 140, 20, "b", 1, NULL, &error);
  c = maphex_bookmarks_add (marks, 200, 20, "c", 2, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (marks, "changed", G_CALLBACK (count_changed), &n_changed);

  g_assert_cmpint (truncate (path, 150), ==, 0);
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (maphex_document_get_length (doc), ==, 150);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 2);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, a)->offset, ==, 10);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, a)->length, ==, 10);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, b)->offset, ==, 140);
  g_assert_cmpint (maphex_bookmarks_lookup (marks, b)->length, ==, 10);
  g_assert_null (maphex_bookmarks_lookup (marks, c));
  g_assert_null (maphex_bookmarks_find_at (marks, 150));
  g_assert_null (maphex_bookmarks_next (marks, 140));

  /* A reload that leaves every mark inside: no change to report. */
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);
  /* Nothing at all: every mark goes. */
  g_assert_cmpint (truncate (path, 0), ==, 0);
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 0);
  g_assert_cmpuint (n_changed, ==, 2);
}

/* ------------------------------------------------------------------ */
/* The store */

static void
test_store_keeps_marks_across_runs (void)
{
  g_autofree char *path = new_file (4096);
  g_autofree char *canonical = realpath (path, NULL);
  g_autofree char *store = _maphex_bookmarks_store_path_for (canonical);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc;
  MaphexBookmarks *marks;
  guint a, b;

  g_assert_true (g_str_has_prefix (store, g_get_user_data_dir ()));
  doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  marks = maphex_document_get_bookmarks (doc);
  a = maphex_bookmarks_add (marks, 16, 4, "magic = \"MZ\"", 3, "line one\nline two; [x]", &error);
  b = maphex_bookmarks_add (marks, 4000, 96, NULL, 5, NULL, &error);
  g_assert_no_error (error);
  /* Nothing written yet: the write waits a moment, or the document's end. */
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));
  g_object_unref (doc);
  g_assert_true (g_file_test (store, G_FILE_TEST_EXISTS));

  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_false (maphex_bookmarks_get_file_changed (marks));
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 2);
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 0)->id, ==, a);
  g_assert_cmpint (maphex_bookmarks_get_nth (marks, 0)->offset, ==, 16);
  g_assert_cmpint (maphex_bookmarks_get_nth (marks, 0)->length, ==, 4);
  g_assert_cmpstr (maphex_bookmarks_get_nth (marks, 0)->name, ==, "magic = \"MZ\"");
  g_assert_cmpstr (maphex_bookmarks_get_nth (marks, 0)->note, ==, "line one\nline two; [x]");
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 0)->colour, ==, 3);
  g_assert_cmpuint (maphex_bookmarks_get_nth (marks, 1)->id, ==, b);
  g_assert_cmpstr (maphex_bookmarks_get_nth (marks, 1)->name, ==, "0xFA0");
  /* A new mark gets an id none of the kept ones has. */
  g_assert_cmpuint (maphex_bookmarks_add (marks, 0, 1, NULL, 0, NULL, &error), >, MAX (a, b));
  g_assert_true (maphex_bookmarks_remove (marks, a));
  maphex_bookmarks_flush (marks);
  g_object_unref (doc);

  /* Another program shortens the file: the marks past its end go, and the
     marks say the file changed. */
  g_assert_cmpint (truncate (path, 4050), ==, 0);
  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_true (maphex_bookmarks_get_file_changed (marks));
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 2);
  g_assert_cmpint (maphex_bookmarks_get_nth (marks, 1)->offset, ==, 4000);
  g_assert_cmpint (maphex_bookmarks_get_nth (marks, 1)->length, ==, 50);
  g_object_unref (doc);

  /* Written at the close: the stamp is the file's now. */
  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_false (maphex_bookmarks_get_file_changed (marks));
  /* With no marks left, the store goes. */
  while (maphex_bookmarks_get_n_items (marks) > 0)
    maphex_bookmarks_remove (marks, maphex_bookmarks_get_nth (marks, 0)->id);
  g_object_unref (doc);
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));
}

/* The stamp is the file the marks were made on, the one the document has
 * open, even when another file took its path meanwhile (renamed over it):
 * the next run then says the file changed instead of vouching for marks on
 * other bytes. */
static void
test_store_stamps_the_open_file (void)
{
  g_autofree char *path = new_file (100);
  g_autofree char *other = new_file (200);
  g_autofree char *canonical = realpath (path, NULL);
  g_autofree char *store = _maphex_bookmarks_store_path_for (canonical);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);

  maphex_bookmarks_add (marks, 10, 4, "m", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (other, path), ==, 0);
  maphex_bookmarks_flush (marks);
  g_assert_true (g_key_file_load_from_file (keys, store, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_int64 (keys, "file", "size", NULL), ==, 100);
  g_object_unref (doc);

  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_assert_true (maphex_bookmarks_get_file_changed (maphex_document_get_bookmarks (doc)));
  g_object_unref (doc);
}

static void
test_store_follows_write_through_edits (void)
{
  g_autofree char *path = new_file (512);
  g_autoptr(GError) error = NULL;
  guint8 bytes[8] = { 0 };
  MaphexDocument *doc = dt_open_doc (path, MAPHEX_MODE_WRITE_THROUGH);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  guint m = maphex_bookmarks_add (marks, 100, 2, "x", 0, NULL, &error);

  g_assert_true (maphex_document_insert (doc, NULL, 0, bytes, 8, &error));
  g_assert_no_error (error);
  g_object_unref (doc);

  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_false (maphex_bookmarks_get_file_changed (marks));
  g_assert_cmpint (maphex_bookmarks_lookup (marks, m)->offset, ==, 108);
  g_object_unref (doc);
}

static void
set_flag (MaphexDocument *doc,
          gboolean       *flag)
{
  *flag = TRUE;
}

static gboolean
wait_for_flag (gboolean *flag)
{
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return *flag;
}

/* Another program writes the file while it is open and the document is not
 * reloaded: the marks were made for the bytes before, so the store must not
 * stamp them with the file's new size and time (the next run would trust
 * them and not say so). After a reload they are the file's again. */
static void
test_store_does_not_vouch_for_a_file_changed_meanwhile (void)
{
  g_autofree char *path = new_file (256);
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  MaphexBookmarks *marks = maphex_document_get_bookmarks (doc);
  gboolean changed = FALSE;
  FILE *f;

  maphex_bookmarks_add (marks, 16, 4, "x", 0, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (doc, "file-changed", G_CALLBACK (set_flag), &changed);
  f = fopen (path, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 16, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite ("\xff\xff\xff\xff", 1, 4, f), ==, 4);
  g_assert_cmpint (fclose (f), ==, 0);
  g_assert_true (wait_for_flag (&changed));
  g_object_unref (doc);

  doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);
  g_assert_true (maphex_bookmarks_get_file_changed (marks));
  g_object_unref (doc);

  /* Changed again, and reloaded this time: the marks are the file's. */
  doc = dt_open_doc (path, MAPHEX_MODE_COPY_ON_WRITE);
  marks = maphex_document_get_bookmarks (doc);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);
  changed = FALSE;
  g_signal_connect (doc, "file-changed", G_CALLBACK (set_flag), &changed);
  g_assert_cmpint (truncate (path, 300), ==, 0);
  g_assert_true (wait_for_flag (&changed));
  g_assert_true (maphex_document_reload (doc, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (doc);
  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_assert_false (maphex_bookmarks_get_file_changed (maphex_document_get_bookmarks (doc)));
  g_object_unref (doc);
}

/* A store that is not a key file, or that names another path, is not used
 * (and does not stop the file from opening). */
static void
test_store_damaged_is_ignored (void)
{
  g_autofree char *path = new_file (64);
  g_autofree char *canonical = realpath (path, NULL);
  g_autofree char *store = _maphex_bookmarks_store_path_for (canonical);
  g_autofree char *dir = g_path_get_dirname (store);
  g_autofree char *other = g_strdup_printf ("[file]\npath=/elsewhere\n[bookmark 1]\noffset=1\nlength=1\nname=x\ncolour=0\n");
  MaphexDocument *doc;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (store, "\x01 not [ a key file", -1, NULL));
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot read the bookmarks*");
  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (maphex_document_get_bookmarks (doc)), ==, 0);
  g_test_assert_expected_messages ();
  g_object_unref (doc);

  g_assert_true (g_file_set_contents (store, other, -1, NULL));
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "*holds the bookmarks of /elsewhere*");
  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_assert_cmpuint (maphex_bookmarks_get_n_items (maphex_document_get_bookmarks (doc)), ==, 0);
  g_test_assert_expected_messages ();
  g_object_unref (doc);
}

/* A store that cannot be written is said, to the terminal and to whoever
 * shows the marks, naming the file; the marks stay for the run. */
static void
store_failed_cb (MaphexBookmarks *marks,
                 const char      *message,
                 char           **said)
{
  g_free (*said);
  *said = g_strdup (message);
}

static void
test_store_that_cannot_be_written_says_so (void)
{
  g_autofree char *path = new_file (64);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *canonical = NULL;
  g_autofree char *store = NULL;
  g_autofree char *said = NULL;
  g_autoptr(GError) error = NULL;
  MaphexDocument *doc;
  MaphexBookmarks *marks;

  canonical = realpath (path, NULL);
  store = _maphex_bookmarks_store_path_for (canonical);
  /* A directory where the store goes: no rename can replace it. */
  g_assert_cmpint (g_mkdir_with_parents (store, 0700), ==, 0);

  doc = dt_open_doc (path, MAPHEX_MODE_READ_ONLY);
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot read the bookmarks of*");
  marks = maphex_document_get_bookmarks (doc);
  g_test_assert_expected_messages ();
  g_signal_connect (marks, "store-failed", G_CALLBACK (store_failed_cb), &said);
  maphex_bookmarks_add (marks, 1, 2, "kept?", 0, NULL, &error);
  g_assert_no_error (error);
  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot keep the bookmarks of*");
  maphex_bookmarks_flush (marks);
  g_test_assert_expected_messages ();
  g_assert_nonnull (said);
  g_assert_true (g_str_has_prefix (said, "Cannot keep the bookmarks of"));
  g_assert_nonnull (strstr (said, base));
  g_assert_cmpuint (maphex_bookmarks_get_n_items (marks), ==, 1);

  g_test_expect_message ("Maphex", G_LOG_LEVEL_WARNING, "Cannot keep the bookmarks of*");
  g_object_unref (doc);
  g_test_assert_expected_messages ();
  g_assert_cmpint (g_rmdir (store), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;

  tmp_dir = g_dir_make_tmp ("maphex-marks-XXXXXX", &error);
  g_assert_no_error (error);
  /* The store goes here, never into the user's own data directory. */
  data_home = g_build_filename (tmp_dir, "data-home", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookmarks/add-find-and-change", test_add_find_and_change);
  g_test_add_func ("/bookmarks/shifts-follow-a-model-and-undo-puts-back", test_shifts_follow_a_model_and_undo_puts_back);
  g_test_add_func ("/bookmarks/insert-and-delete-edges", test_insert_and_delete_edges);
  g_test_add_func ("/bookmarks/mark-in-inserted-bytes-follows-undo-and-redo", test_mark_in_inserted_bytes_follows_undo_and_redo);
  g_test_add_func ("/bookmarks/records-go-with-their-steps", test_records_go_with_their_steps);
  g_test_add_func ("/bookmarks/first-reaching-skips-the-marks-before", test_first_reaching_skips_the_marks_before);
  g_test_add_func ("/bookmarks/replace-all-of-another-length-and-its-undo",
                   test_replace_all_of_another_length_and_its_undo);
  g_test_add_func ("/bookmarks/reload-of-a-shorter-file-fits-the-marks", test_reload_of_a_shorter_file_fits_the_marks);
  g_test_add_func ("/bookmarks/store/keeps-marks-across-runs", test_store_keeps_marks_across_runs);
  g_test_add_func ("/bookmarks/store/follows-write-through-edits", test_store_follows_write_through_edits);
  g_test_add_func ("/bookmarks/store/stamps-the-open-file", test_store_stamps_the_open_file);
  g_test_add_func ("/bookmarks/store/does-not-vouch-for-a-file-changed-meanwhile",
                   test_store_does_not_vouch_for_a_file_changed_meanwhile);
  g_test_add_func ("/bookmarks/store/damaged-is-ignored", test_store_damaged_is_ignored);
  g_test_add_func ("/bookmarks/store/that-cannot-be-written-says-so", test_store_that_cannot_be_written_says_so);
  return g_test_run ();
}
