/* maphex-document-rewrite.c: the runner's rewrite of many pieces at once,
 * the work behind Replace All, a single Replace of another length, and the
 * undo and redo of both.
 *
 * A rewrite turns every piece of the file (sorted, disjoint) into other
 * bytes, of the same length or not, in one pass: the bytes between two
 * pieces (a gap) move once, straight to where they end up, and the length
 * changes once (grown before the pass, shrunk after it), so N pieces in a
 * large file never move its tail N times. When every piece keeps its length
 * nothing moves and only the pieces are written.
 *
 * Order. A unit is a piece and the gap after it. Where the boundary between
 * units i and i + 1 moves up (the pieces before it grew), unit i + 1 must be
 * written before unit i, whose new place covers the old place of the next;
 * where it moves down, unit i goes first. So the pass takes the units in
 * file order, except that a chain of units joined by boundaries that move up
 * is taken from its last unit down. No unit then overwrites the old place
 * of one not yet written, and undoing the units written, in the reverse
 * order, never overwrites the new place of one not yet undone: that is the
 * rollback of a cancel or a failure, after which the file is as it was (the
 * length too). Bytes another program cut off the file are lost with it; the
 * rollback writes nothing past the file's end.
 *
 * A write-through file's moving bytes are read and written through its
 * descriptor (the map shares the page cache), as the runner's shifts are;
 * pieces whose gap stays, copy-on-write documents (whose pieces keep their
 * length) and scratch buffers go through the map, under the lock.
 *
 * Must not touch the history, the busy state or the signals: the callers
 * (maphex-document-replace.c) and the runner do.
 */
#include "maphex-document-private.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

typedef struct {
  gint64        off;
  gint64        len;
  const guint8 *bytes;
} Piece;

typedef struct {
  MaphexDocument      *doc;
  MaphexRun           *run;        /* nullable: in place, no progress, no cancel */
  const MaphexRewrite *rw;
  gint64              *prefix;     /* n + 1: the old bytes before piece i */
  gboolean             use_fd;
  gint64               chunk;
  gint64               pending;    /* bytes written since the last progress report */
  gint64               known_end;  /* the file's size as last checked, -1: to check */
  guint8              *buf;        /* chunk bytes: a small unit, piece and gap */
} Ctx;

/* What a unit that failed had done, for its rollback. */
typedef struct {
  gboolean buffered;   /* its gap is in c->buf, after its new piece */
  gint64   moved;      /* a large gap: bytes moved (from the start upwards, from the end down) */
} Partial;

/* ---- the pieces on either side ---- */

static void
get_piece (Ctx      *c,
           gsize     i,
           gboolean  new_side,
           Piece    *p)
{
  const MaphexSearchMatch *m = &c->rw->matches[i];

  if (new_side)
    {
      p->off = m->offset + (gint64) i * c->rw->pattern_len - c->prefix[i];
      p->len = c->rw->pattern_len;
      p->bytes = c->rw->pattern;
    }
  else
    {
      p->off = m->offset;
      p->len = m->length;
      p->bytes = c->rw->old + c->prefix[i];
    }
}

static gint64
gap_len (Ctx   *c,
         gsize  i)
{
  const MaphexSearchMatch *m = &c->rw->matches[i];
  gint64 end = i + 1 < c->rw->n ? c->rw->matches[i + 1].offset : c->rw->orig_length;

  return end - (m->offset + m->length);
}

/* How far the start of piece i (i == n: the end of the file) moves. */
static gint64
shift_at (Ctx   *c,
          gsize  i)
{
  gint64 d = (gint64) i * c->rw->pattern_len - c->prefix[i];

  return c->rw->undo ? -d : d;
}

/* ---- reading and writing, through the descriptor or the map ---- */

/* Where the file ends now (another program may have cut it): a rollback
 * moves and writes nothing past it. */
static gint64
file_end (Ctx *c)
{
  struct stat st;

  if (!c->use_fd)
    return c->doc->length;
  return fstat (c->doc->fd, &st) == 0 ? st.st_size : 0;
}

/* Of `n` bytes moved from `src` to `dest`, the first ones both ends of
 * which lie within the file. */
static gint64
within_file (Ctx    *c,
             gint64  dest,
             gint64  src,
             gint64  n)
{
  return CLAMP (file_end (c) - MAX (dest, src), 0, n);
}

static gboolean
read_at (Ctx     *c,
         gint64   off,
         guint8  *dst,
         gint64   n,
         GError **error)
{
  gboolean ok;

  if (!c->use_fd)
    {
      g_rec_mutex_lock (&c->doc->map_lock);
      ok = _maphex_document_read_locked (c->doc, off, dst, n, error);
      g_rec_mutex_unlock (&c->doc->map_lock);
      return ok;
    }
  return _maphex_run_pread_all (c->doc, dst, off, n, error);
}

/* Never past the file's end, which would grow back a file another program
 * cut. `best_effort` (a rollback): what lies within the file, page by page
 * through the map, errors ignored. */
static gboolean
write_at (Ctx           *c,
          gint64         off,
          const guint8  *bytes,
          gint64         n,
          gboolean       best_effort,
          GError       **error)
{
  struct stat st;
  gboolean ok = TRUE;

  if (n <= 0)
    return TRUE;
  if (!c->use_fd)
    {
      g_rec_mutex_lock (&c->doc->map_lock);
      if (best_effort)
        _maphex_document_restore_locked (c->doc, off, bytes, n);
      else
        ok = _maphex_document_write_locked (c->doc, off, n, bytes, n, error);
      g_rec_mutex_unlock (&c->doc->map_lock);
      return ok;
    }
  /* The size is checked once a chunk (as the runner's moves check it),
   * not before each of a hundred thousand small writes. */
  if (!best_effort && c->known_end >= 0 && off + n <= c->known_end)
    return _maphex_run_pwrite_all (c->doc, bytes, off, n, error);
  c->known_end = fstat (c->doc->fd, &st) == 0 ? st.st_size : 0;
  if (off + n > c->known_end)
    {
      if (!best_effort)
        {
          g_propagate_error (error, _maphex_run_shrank_error ());
          return FALSE;
        }
      n = c->known_end - off;
      if (n <= 0)
        return TRUE;
    }
  return _maphex_run_pwrite_all (c->doc, bytes, off, n, best_effort ? NULL : error) || best_effort;
}

/* A piece whose gap stays: through the map, a write-through file's too. A
 * write(2) updates the file's time on each call (a journal entry on ext4),
 * which made a hundred thousand 8-byte writes cost 6 µs each; the map
 * dirties each page once, and only the pages that hold a piece. */
static gboolean
write_piece (Ctx           *c,
             gint64         off,
             const guint8  *bytes,
             gint64         n,
             gboolean       best_effort,
             GError       **error)
{
  gboolean use_fd = c->use_fd;
  gboolean ok;

  c->use_fd = FALSE;
  ok = write_at (c, off, bytes, n, best_effort, error);
  c->use_fd = use_fd;
  return ok;
}

/* Progress for `n` bytes written, reported a chunk at a time; the cancel,
 * after every unit (a large gap's move reports its own chunks). */
static gboolean
tick (Ctx     *c,
      gint64   n,
      GError **error)
{
  if (c->run == NULL)
    return TRUE;
  c->pending += n;
  if (c->pending >= c->chunk)
    {
      _maphex_run_add_done (c->run, c->pending);
      c->pending = 0;
      c->known_end = -1;
      g_thread_yield ();
    }
  return !_maphex_run_cancelled (c->run, error);
}

/* ---- one unit ---- */

/* Unit i going one way (to the new layout or back): its piece where it
 * comes from and where it goes, the gap after it, and where that gap
 * starts on each side. */
typedef struct {
  Piece  src, dst;
  gint64 g, gs, gd;
} Unit;

static void
get_unit (Ctx      *c,
          gsize     i,
          gboolean  to_new,
          Unit     *u)
{
  get_piece (c, i, !to_new, &u->src);
  get_piece (c, i, to_new, &u->dst);
  u->g = gap_len (c, i);
  u->gs = u->src.off + u->src.len;
  u->gd = u->dst.off + u->dst.len;
}

/* Unit i goes to the side `to_new`: its gap moves (a small unit is read
 * whole into the buffer, after its new piece, and written in one go; a
 * large gap moves in chunks, then the piece is written), or only the piece
 * is written when the gap stays. `best_effort`: a rollback's, errors
 * ignored, and a gap that cannot be read is left where it is. */
static gboolean
do_unit (Ctx      *c,
         gsize     i,
         gboolean  to_new,
         gboolean  best_effort,
         Partial  *partial,
         GError  **error)
{
  Unit u;
  gint64 g;

  get_unit (c, i, to_new, &u);
  g = u.g;   /* what of the gap is moved: cut to the file in a rollback */
  partial->buffered = FALSE;
  partial->moved = 0;

  if (u.gs == u.gd || g == 0)
    return write_piece (c, u.dst.off, u.dst.bytes, u.dst.len, best_effort, error) &&
           tick (c, u.dst.len, error);

  if (u.dst.len + g <= c->chunk)
    {
      if (best_effort)
        g = within_file (c, u.gd, u.gs, g);
      if (u.dst.len > 0)
        memcpy (c->buf, u.dst.bytes, u.dst.len);
      if (!read_at (c, u.gs, c->buf + u.dst.len, g, best_effort ? NULL : error))
        {
          /* A rollback that cannot read the gap leaves it: the piece still goes back. */
          if (best_effort)
            write_at (c, u.dst.off, u.dst.bytes, u.dst.len, TRUE, NULL);
          return FALSE;
        }
      partial->buffered = TRUE;
      return write_at (c, u.dst.off, c->buf, u.dst.len + g, best_effort, error) &&
             tick (c, u.dst.len + g, error);
    }

  g_assert (c->use_fd || c->doc->fd < 0);   /* copy-on-write never moves a gap */
  if (best_effort)
    g = within_file (c, u.gd, u.gs, g);
  if (!_maphex_run_move_in_chunks (c->doc, best_effort ? NULL : c->run, u.gd, u.gs, g,
                                   &partial->moved, best_effort ? NULL : error))
    {
      /* An ascending chunk that faults moved what lay below the lost page. */
      if (!best_effort && u.gd < u.gs &&
          g_error_matches (*error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_FAULT))
        partial->moved = MIN (g, partial->moved + c->chunk);
      if (!best_effort)
        return FALSE;
    }
  partial->moved = g;
  return write_at (c, u.dst.off, u.dst.bytes, u.dst.len, best_effort, error) &&
         tick (c, u.dst.len, error);
}

/* Puts back unit i, which failed on its way to the side `to_new`. */
static void
undo_partial (Ctx            *c,
              gsize           i,
              gboolean        to_new,
              const Partial  *partial)
{
  Unit u;

  get_unit (c, i, to_new, &u);
  if (partial->buffered)
    write_at (c, u.gs, c->buf + u.dst.len, u.g, TRUE, NULL);
  else if (partial->moved > 0)
    {
      gint64 m = partial->moved;
      gint64 back = 0;

      if (u.gd < u.gs)   /* moved down from its start */
        _maphex_run_move_in_chunks (c->doc, NULL, u.gs, u.gd, within_file (c, u.gs, u.gd, m), &back, NULL);
      else           /* moved up from its end */
        _maphex_run_move_in_chunks (c->doc, NULL, u.gs + u.g - m, u.gd + u.g - m,
                                    within_file (c, u.gs + u.g - m, u.gd + u.g - m, m), &back, NULL);
    }
  write_at (c, u.src.off, u.src.bytes, u.src.len, TRUE, NULL);
}

/* The chain that ends at unit e: from the unit after the last boundary at
 * or below e that does not move up. */
static gsize
chain_start (Ctx   *c,
             gsize  e)
{
  gsize s = e;

  while (s > 0 && shift_at (c, s) > 0)
    s--;
  return s;
}

/* After unit `failed` (partial, or G_MAXSIZE for none) of the chain
 * [lo, hi] went wrong, the units done (those of the chain above it, then
 * every chain below lo) are put back in the reverse order of the pass. */
static void
rollback (Ctx            *c,
          gsize           lo,
          gsize           hi,
          gsize           first_done,
          gsize           failed,
          const Partial  *partial)
{
  gboolean to_new = !c->rw->undo;
  Partial ignored;

  c->run = NULL;   /* no progress, no cancel, no chunk hook while putting back */
  if (failed != G_MAXSIZE)
    undo_partial (c, failed, to_new, partial);
  for (gsize k = first_done; k <= hi && k != G_MAXSIZE; k++)
    do_unit (c, k, !to_new, TRUE, &ignored, NULL);
  for (gsize e = lo; e-- > 0; )
    {
      gsize s = chain_start (c, e);

      for (gsize k = s; k <= e; k++)
        do_unit (c, k, !to_new, TRUE, &ignored, NULL);
      e = s;
    }
}

/* ---- the pass ---- */

gint64
_maphex_rewrite_new_length (const MaphexRewrite *rw,
                            gint64               old_total)
{
  return rw->orig_length + (gint64) rw->n * rw->pattern_len - old_total;
}

gboolean
_maphex_document_rewrite (MaphexDocument      *self,
                          MaphexRun           *run,
                          const MaphexRewrite *rw,
                          GError             **error)
{
  g_autofree gint64 *prefix = NULL;
  g_autofree guint8 *buf = NULL;
  Ctx c = { 0 };
  gint64 new_length, from_length, to_length, total = 0;
  gboolean moves = FALSE;
  gsize lo = 0;
  gboolean grown = FALSE;

  if (rw->n == 0)
    return TRUE;
  prefix = g_try_new (gint64, rw->n + 1);
  if (prefix == NULL)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                   g_dngettext (GETTEXT_PACKAGE, "Not enough memory to replace %lu match",
                                "Not enough memory to replace %lu matches", (unsigned long) rw->n),
                   (unsigned long) rw->n);
      return FALSE;
    }
  prefix[0] = 0;
  for (gsize i = 0; i < rw->n; i++)
    prefix[i + 1] = prefix[i] + rw->matches[i].length;
  new_length = _maphex_rewrite_new_length (rw, prefix[rw->n]);
  from_length = rw->undo ? new_length : rw->orig_length;
  to_length = rw->undo ? rw->orig_length : new_length;
  g_assert (self->length == from_length);

  c.doc = self;
  c.run = run;
  c.rw = rw;
  c.prefix = prefix;
  c.use_fd = self->fd >= 0 && self->mode == MAPHEX_MODE_WRITE_THROUGH;
  c.chunk = _maphex_document_run_get_chunk_size ();
  c.known_end = -1;

  /* The bytes the pass writes, for the progress. */
  for (gsize i = 0; i < rw->n; i++)
    {
      Piece src, dst;

      get_piece (&c, i, rw->undo, &src);
      get_piece (&c, i, !rw->undo, &dst);
      if (src.off + src.len != dst.off + dst.len && gap_len (&c, i) > 0)
        {
          moves = TRUE;
          total += gap_len (&c, i);
        }
      total += dst.len;
    }
  if (run != NULL)
    _maphex_run_set_total (run, (gint64) g_atomic_pointer_get (&run->done) + total);
  /* Only a gap that moves goes through the buffer. */
  if (moves && (buf = g_try_malloc (c.chunk)) == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_OS,
                           _("Not enough memory to replace"));
      return FALSE;
    }
  c.buf = buf;

  if (to_length > from_length)
    {
      if (!_maphex_run_resize_with_exports (self, to_length, error))
        return FALSE;
      grown = TRUE;
    }

  for (gsize i = 1; i <= rw->n; i++)
    {
      if (i < rw->n && shift_at (&c, i) > 0)
        continue;
      /* The chain [lo, i - 1], from its end down. */
      for (gsize k = i; k-- > lo; )
        {
          Partial partial;

          if (!do_unit (&c, k, !rw->undo, FALSE, &partial, error))
            {
              /* Unit k is put back whole whatever it had done (a cancel
               * after its last chunk included), then those done before it. */
              _maphex_run_note_shrink (self, error);
              rollback (&c, lo, i - 1, k + 1, k, &partial);
              goto failed;
            }
        }
      lo = i;
    }

  if (to_length < from_length && !_maphex_run_resize_with_exports (self, to_length, error))
    {
      _maphex_run_note_shrink (self, error);
      rollback (&c, lo, lo - 1, G_MAXSIZE, G_MAXSIZE, NULL);
      goto failed;
    }
  if (run != NULL && c.pending > 0)
    _maphex_run_add_done (run, c.pending);
  return TRUE;

failed:
  if (grown)
    _maphex_run_resize_with_exports (self, from_length, NULL);
  return FALSE;
}
