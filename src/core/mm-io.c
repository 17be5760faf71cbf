/* mm-io.c: the file-like and sequence-like accesses to the bytes: tell, seek,
 * read, readline, write, item and slice get/set, find/rfind, move. Every
 * access to mapped memory goes through the guard (_mm_guarded, mm-guard.c).
 *
 * Owns map->pos only: nothing here maps, unmaps or resizes, nor changes
 * map->data, len, fd or the exports (mm-map.c, mm-resize.c).
 *
 * On MM_ERROR_FAULT:
 *  - reads: pos is unchanged and the destination buffer holds unspecified
 *    bytes;
 *  - writes (write, write_byte, set_item, set_slice, move): the bytes are
 *    written in the order of the operation, page by page, so exactly the
 *    bytes before the first missing page are written and none after it;
 *    write() reports that number in *count; pos is unchanged.
 */
#define _GNU_SOURCE
#include "mm-private.h"

#include <stdio.h>
#include <string.h>

/* ---- position ---------------------------------------------------------------- */

MmStatus
mm_map_tell (const MmMap *map, int64_t *pos, MmError *error)
{
  CHECK_MAP (map, error);
  if (pos != NULL)
    *pos = map->pos;
  return MM_OK;
}

MmStatus
mm_map_seek (MmMap *map, int64_t pos, int whence, int64_t *new_pos, MmError *error)
{
  int64_t where;

  CHECK_MAP (map, error);
  switch (whence) {
  case SEEK_SET:
    where = pos;
    break;
  case SEEK_CUR:
    if (pos > 0 && INT64_MAX - map->pos < pos)
      return _mm_error (error, MM_ERROR_RANGE, 0,
                        "seek out of range: %lld + %lld overflows", LL (map->pos), LL (pos));
    where = map->pos + pos;
    break;
  case SEEK_END:
    if (pos > 0 && INT64_MAX - map->len < pos)
      return _mm_error (error, MM_ERROR_RANGE, 0,
                        "seek out of range: %lld + %lld overflows", LL (map->len), LL (pos));
    where = map->len + pos;
    break;
  default:
    return _mm_error (error, MM_ERROR_INVALID, 0,
                      "unknown seek type: whence %d (not 0, 1 or 2)", whence);
  }
  if (where < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "seek out of range: %lld < 0", LL (where));
  if (where > map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0, "seek out of range: %lld > length %lld",
                      LL (where), LL (map->len));
  map->pos = where;
  if (new_pos != NULL)
    *new_pos = where;
  return MM_OK;
}

/* ---- guarded primitives ---------------------------------------------------- */

typedef struct {
  uint8_t        *dst;
  const uint8_t  *src;
  size_t          n;
  ptrdiff_t       dst_step;   /* gather/scatter */
  ptrdiff_t       src_step;
  volatile size_t done;       /* bytes completed, for writes */
} MmCopy;

static void
mm_copy_out (void *data)
{
  MmCopy *c = data;

  memcpy (c->dst, c->src, c->n);
}

/* Writes into the map, page by page in ascending order, so a fault leaves
 * exactly the bytes before the missing page written. */
static void
mm_copy_in (void *data)
{
  MmCopy *c = data;
  size_t ps = (size_t) mm_pagesize ();

  while (c->done < c->n) {
    uintptr_t at = (uintptr_t) (c->dst + c->done);
    size_t chunk = ps - (at & (ps - 1));

    if (chunk > c->n - c->done)
      chunk = c->n - c->done;
    memcpy (c->dst + c->done, c->src + c->done, chunk);
    c->done += chunk;
  }
}

/* Strided copy; works for reads (gather) and writes (scatter) alike. */
static void
mm_copy_strided (void *data)
{
  MmCopy *c = data;
  uint8_t *d = c->dst;
  const uint8_t *s = c->src;

  /* Advance only towards an element that exists: with a huge step, one
   * more step past the last one would leave the address space. */
  while (c->done < c->n) {
    *d = *s;
    if (++c->done == c->n)
      break;
    d += c->dst_step;
    s += c->src_step;
  }
}

/* ---- reading ----------------------------------------------------------------- */

static int64_t
mm_remaining (const MmMap *map)
{
  return map->pos < map->len ? map->len - map->pos : 0;
}

MmStatus
mm_map_read (MmMap *map, void *dst, int64_t n, int64_t *count, MmError *error)
{
  int64_t avail;
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  avail = mm_remaining (map);
  if (n < 0 || n > avail)
    n = avail;
  if (n > 0 && dst == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "read: dst is NULL for %lld bytes", LL (n));
  if (n > 0) {
    c.dst = dst;
    c.src = map->data + map->pos;
    c.n = (size_t) n;
    st = _mm_guarded (map, mm_copy_out, &c, error);
    if (st != MM_OK)
      return st;
  }
  map->pos += n;
  if (count != NULL)
    *count = n;
  return MM_OK;
}

static void
mm_load_byte (void *data)
{
  MmCopy *c = data;

  c->dst[0] = *c->src;
}

static void
mm_store_byte (void *data)
{
  MmCopy *c = data;

  *c->dst = c->src[0];
}

MmStatus
mm_map_read_byte (MmMap *map, uint8_t *byte, MmError *error)
{
  uint8_t b = 0;
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  if (map->pos >= map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0, "read byte out of range: position %lld >= length %lld",
                      LL (map->pos), LL (map->len));
  c.dst = &b;
  c.src = map->data + map->pos;
  st = _mm_guarded (map, mm_load_byte, &c, error);
  if (st != MM_OK)
    return st;
  map->pos++;
  if (byte != NULL)
    *byte = b;
  return MM_OK;
}

typedef struct {
  const uint8_t *src;
  size_t         n;
  uint8_t       *dst;
  size_t         got;
} MmLine;

static void
mm_line (void *data)
{
  MmLine *l = data;
  const uint8_t *eol = memchr (l->src, '\n', l->n);

  l->got = eol != NULL ? (size_t) (eol - l->src) + 1 : l->n;
  memcpy (l->dst, l->src, l->got);
}

MmStatus
mm_map_readline (MmMap *map, void *dst, int64_t dst_size, int64_t *count, MmError *error)
{
  int64_t n;
  MmLine l = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  if (dst_size < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "readline: buffer size %lld < 0", LL (dst_size));
  n = mm_remaining (map);
  if (n > dst_size)
    n = dst_size;
  if (n > 0 && dst == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "readline: dst is NULL");
  if (n > 0) {
    l.src = map->data + map->pos;
    l.n = (size_t) n;
    l.dst = dst;
    st = _mm_guarded (map, mm_line, &l, error);
    if (st != MM_OK)
      return st;
  }
  map->pos += (int64_t) l.got;
  if (count != NULL)
    *count = (int64_t) l.got;
  return MM_OK;
}

/* ---- writing ----------------------------------------------------------------- */

MmStatus
mm_map_write (MmMap *map, const void *src, int64_t n, int64_t *count, MmError *error)
{
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_WRITABLE (map, error);
  if (n < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "write: length %lld < 0", LL (n));
  if (map->pos > map->len || map->len - map->pos < n)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "data out of range: position %lld + %lld bytes > length %lld",
                      LL (map->pos), LL (n), LL (map->len));
  if (n > 0 && src == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "write: src is NULL for %lld bytes", LL (n));
  if (n > 0) {
    c.dst = map->data + map->pos;
    c.src = src;
    c.n = (size_t) n;
    st = _mm_guarded (map, mm_copy_in, &c, error);
    if (st != MM_OK) {
      if (count != NULL)
        *count = (int64_t) c.done;
      return st;
    }
  }
  map->pos += n;
  if (count != NULL)
    *count = n;
  return MM_OK;
}

MmStatus
mm_map_write_byte (MmMap *map, uint8_t byte, MmError *error)
{
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_WRITABLE (map, error);
  if (map->pos >= map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "write byte out of range: position %lld >= length %lld",
                      LL (map->pos), LL (map->len));
  c.dst = map->data + map->pos;
  c.src = &byte;
  st = _mm_guarded (map, mm_store_byte, &c, error);
  if (st != MM_OK)
    return st;
  map->pos++;
  return MM_OK;
}

/* ---- items and slices ------------------------------------------------------- */

static MmStatus
mm_index (const MmMap *map, int64_t index, int64_t *abs, MmError *error)
{
  int64_t i = index < 0 ? index + map->len : index;

  if (i < 0 || i >= map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "mmap index out of range: %lld not in [-%lld, %lld)",
                      LL (index), LL (map->len), LL (map->len));
  *abs = i;
  return MM_OK;
}

MmStatus
mm_map_get_item (MmMap *map, int64_t index, uint8_t *value, MmError *error)
{
  int64_t i = 0;
  uint8_t b = 0;
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  st = mm_index (map, index, &i, error);
  if (st != MM_OK)
    return st;
  c.dst = &b;
  c.src = map->data + i;
  st = _mm_guarded (map, mm_load_byte, &c, error);
  if (st != MM_OK)
    return st;
  if (value != NULL)
    *value = b;
  return MM_OK;
}

MmStatus
mm_map_set_item (MmMap *map, int64_t index, uint8_t value, MmError *error)
{
  int64_t i = 0;
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_WRITABLE (map, error);
  st = mm_index (map, index, &i, error);
  if (st != MM_OK)
    return st;
  c.dst = map->data + i;
  c.src = &value;
  return _mm_guarded (map, mm_store_byte, &c, error);
}

/* Every index start + k * step, 0 <= k < count, must lie in [0, len). */
static MmStatus
mm_check_slice (const MmMap *map, int64_t start, int64_t step, int64_t count, MmError *error)
{
  uint64_t span, room;

  if (count < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "slice count %lld < 0", LL (count));
  if (step == 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "slice step cannot be zero");
  if (count == 0)
    return MM_OK;
  if (start < 0 || start >= map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "slice start %lld out of range [0, %lld)", LL (start), LL (map->len));
  /* Room from start to the far end in the direction of step, in steps. */
  span = step > 0 ? (uint64_t) step : (uint64_t) 0 - (uint64_t) step;
  room = step > 0 ? (uint64_t) (map->len - 1 - start) : (uint64_t) start;
  if ((uint64_t) (count - 1) > room / span)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "slice out of range: start %lld, step %lld, count %lld in length %lld",
                      LL (start), LL (step), LL (count), LL (map->len));
  return MM_OK;
}

MmStatus
mm_map_get_slice (MmMap *map, int64_t start, int64_t step, int64_t count, void *dst, MmError *error)
{
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  st = mm_check_slice (map, start, step, count, error);
  if (st != MM_OK || count == 0)
    return st;
  if (dst == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "get_slice: dst is NULL");
  c.dst = dst;
  c.src = map->data + start;
  c.n = (size_t) count;
  if (step == 1)
    return _mm_guarded (map, mm_copy_out, &c, error);
  c.dst_step = 1;
  c.src_step = (ptrdiff_t) step;
  return _mm_guarded (map, mm_copy_strided, &c, error);
}

MmStatus
mm_map_set_slice (MmMap *map, int64_t start, int64_t step, int64_t count,
                  const void *src, int64_t src_len, MmError *error)
{
  MmCopy c = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_WRITABLE (map, error);
  st = mm_check_slice (map, start, step, count, error);
  if (st != MM_OK)
    return st;
  if (src_len != count)
    return _mm_error (error, MM_ERROR_INVALID, 0,
                      "mmap slice assignment is wrong size: %lld bytes for a slice of %lld",
                      LL (src_len), LL (count));
  if (count == 0)
    return MM_OK;
  if (src == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "set_slice: src is NULL");
  c.dst = map->data + start;
  c.src = src;
  c.n = (size_t) count;
  if (step == 1)
    return _mm_guarded (map, mm_copy_in, &c, error);
  c.dst_step = (ptrdiff_t) step;
  c.src_step = 1;
  return _mm_guarded (map, mm_copy_strided, &c, error);
}

/* ---- search -------------------------------------------------------------------- */

typedef struct {
  const uint8_t *hay;
  size_t         hay_len;
  const uint8_t *needle;
  size_t         nlen;
  bool           reverse;
  int64_t        found;
} MmSearch;

static void
mm_search (void *data)
{
  MmSearch *s = data;

  s->found = s->reverse ? _mm_rfind (s->hay, s->hay_len, s->needle, s->nlen)
                        : _mm_find (s->hay, s->hay_len, s->needle, s->nlen);
}

static int64_t
mm_clamp (int64_t i, int64_t len)
{
  if (i < 0) {
    i += len;
    if (i < 0)
      i = 0;
  } else if (i > len) {
    i = len;
  }
  return i;
}

static MmStatus
mm_gfind (MmMap *map, const void *needle, int64_t n, int64_t start, int64_t end,
          bool reverse, int64_t *index, MmError *error)
{
  MmSearch s = { 0 };
  MmStatus st;

  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  if (n < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "%s: needle length %lld < 0",
                      reverse ? "rfind" : "find", LL (n));
  if (n > 0 && needle == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "%s: needle is NULL", reverse ? "rfind" : "find");
  start = mm_clamp (start, map->len);
  end = mm_clamp (end, map->len);

  s.found = -1;
  if (end < start || n > end - start) {
    s.found = -1;
  } else if (n == 0) {
    s.found = reverse ? end : start;
  } else {
    s.hay = map->data + start;
    s.hay_len = (size_t) (end - start);
    s.needle = needle;
    s.nlen = (size_t) n;
    s.reverse = reverse;
    /* The whole map is guarded, not just the window: the needle may itself
     * live in the map (a selection searched for again). */
    st = _mm_guarded (map, mm_search, &s, error);
    if (st != MM_OK)
      return st;
    if (s.found >= 0)
      s.found += start;
  }
  if (index != NULL)
    *index = s.found;
  return MM_OK;
}

MmStatus
mm_map_find (MmMap *map, const void *needle, int64_t n, int64_t start, int64_t end,
             int64_t *index, MmError *error)
{
  return mm_gfind (map, needle, n, start, end, false, index, error);
}

MmStatus
mm_map_rfind (MmMap *map, const void *needle, int64_t n, int64_t start, int64_t end,
              int64_t *index, MmError *error)
{
  return mm_gfind (map, needle, n, start, end, true, index, error);
}

/* ---- move -------------------------------------------------------------------- */

typedef struct {
  uint8_t *base;
  int64_t  dest;
  int64_t  src;
  int64_t  n;
} MmMove;

static size_t
mm_min3 (size_t a, size_t b, size_t c)
{
  size_t m = a < b ? a : b;

  return m < c ? m : c;
}

/* memmove in chunks that never cross a page boundary on either side, in the
 * direction that keeps overlap correct: a fault leaves every earlier chunk
 * done and nothing of the later ones. */
static void
mm_move_chunks (void *data)
{
  MmMove *mv = data;
  size_t ps = (size_t) mm_pagesize ();
  size_t left = (size_t) mv->n;
  uint8_t *d = mv->base + mv->dest;
  const uint8_t *s = mv->base + mv->src;

  if (mv->dest <= mv->src) {
    while (left > 0) {
      size_t c = mm_min3 (left, ps - ((uintptr_t) d & (ps - 1)), ps - ((uintptr_t) s & (ps - 1)));
      memmove (d, s, c);
      d += c;
      s += c;
      left -= c;
    }
  } else {
    d += left;
    s += left;
    while (left > 0) {
      size_t dd = ((uintptr_t) d & (ps - 1)), sd = ((uintptr_t) s & (ps - 1));
      size_t c = mm_min3 (left, dd ? dd : ps, sd ? sd : ps);
      d -= c;
      s -= c;
      memmove (d, s, c);
      left -= c;
    }
  }
}

MmStatus
mm_map_move (MmMap *map, int64_t dest, int64_t src, int64_t count, MmError *error)
{
  MmMove mv;

  CHECK_MAP (map, error);
  CHECK_WRITABLE (map, error);
  if (dest < 0 || src < 0 || count < 0
      || map->len - dest < count || map->len - src < count)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "source, destination, or count out of range: move (%lld, %lld, %lld) in length %lld",
                      LL (dest), LL (src), LL (count), LL (map->len));
  if (count == 0 || dest == src)
    return MM_OK;
  mv.base = map->data;
  mv.dest = dest;
  mv.src = src;
  mv.n = count;
  return _mm_guarded (map, mm_move_chunks, &mv, error);
}
