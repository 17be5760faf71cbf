/* mm-resize.c: the extent of the mapping and its pages: resize (mremap(2),
 * or unmapping and mapping again: the fallback path, forced by
 * -Dresize_fallback=true), the file's size that goes with it, flush, madvise.
 *
 * The only place that changes map->data and map->len after mm_map_new; it
 * never touches pos, the exports or the map's lifetime, and reads mapped
 * bytes only through the guard.
 */
#define _GNU_SOURCE
#include "mm-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(MM_FORCE_RESIZE_FALLBACK) || !defined(MREMAP_MAYMOVE)
#define MM_RESIZE_FALLBACK 1
#endif

static const char *
mm_access_name (MmAccess access)
{
  switch (access) {
  case MM_ACCESS_DEFAULT: return "DEFAULT";
  case MM_ACCESS_READ:    return "READ";
  case MM_ACCESS_WRITE:   return "WRITE";
  case MM_ACCESS_COPY:    return "COPY";
  case MM_ACCESS_NONE:    return "NONE";
  default:                return "?";
  }
}

/* ---- flush, madvise ------------------------------------------------------- */

MmStatus
mm_map_flush (MmMap *map, int64_t offset, int64_t size, MmError *error)
{
  CHECK_MAP (map, error);
  if (size < 0 || offset < 0 || map->len - offset < size)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "flush values out of range: offset %lld, size %lld, length %lld",
                      LL (offset), LL (size), LL (map->len));
  if (map->access == MM_ACCESS_READ || map->access == MM_ACCESS_COPY
      || map->access == MM_ACCESS_NONE)
    return MM_OK;
  if (msync (map->data + offset, (size_t) size, MS_SYNC) != 0)
    return _mm_os_error (error, errno, "msync (offset %lld, size %lld)", LL (offset), LL (size));
  return MM_OK;
}

MmStatus
mm_map_madvise (MmMap *map, int option, int64_t start, int64_t length, MmError *error)
{
  CHECK_MAP (map, error);
  if (start < 0 || start >= map->len)
    return _mm_error (error, MM_ERROR_RANGE, 0, "madvise start out of bounds: %lld not in [0, %lld)",
                      LL (start), LL (map->len));
  if (length < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0, "madvise length invalid: %lld < 0", LL (length));
  if (length > map->len - start)
    length = map->len - start;
  if (madvise (map->data + start, (size_t) length, option) != 0)
    return _mm_os_error (error, errno, "madvise (option %d, start %lld, length %lld)",
                         option, LL (start), LL (length));
  return MM_OK;
}

/* ---- resize -------------------------------------------------------------------- */

static size_t
mm_round_page (int64_t n)
{
  size_t ps = (size_t) mm_pagesize ();

  return ((size_t) n + ps - 1) & ~(ps - 1);
}

/* The unmap-and-map-again path: the mapping at cur (cur_len bytes) becomes
 * new_len bytes at *out. On failure the mapping at cur is untouched. */
static MmStatus
mm_remap_by_mmap (const MmMap *map, uint8_t *cur, int64_t cur_len, int64_t new_len,
                  uint8_t **out, MmError *error)
{
  size_t old_pages = mm_round_page (cur_len), new_pages = mm_round_page (new_len);
  uint8_t *p;

  if (new_pages <= old_pages) {
    /* Shrinking: drop the tail pages in place; content and address stay. */
    if (new_pages < old_pages && munmap (cur + new_pages, old_pages - new_pages) != 0)
      return _mm_os_error (error, errno, "munmap of the tail (%lld -> %lld bytes)",
                           LL (cur_len), LL (new_len));
    *out = cur;
    return MM_OK;
  }

  /* Growing: map the new size first, so a failure leaves the old map. */
  p = mmap (NULL, (size_t) new_len, map->prot, map->flags, map->fd, (off_t) map->offset);
  if (p == MAP_FAILED)
    return _mm_os_error (error, errno, "mmap for resize (%lld -> %lld bytes)",
                         LL (cur_len), LL (new_len));
  if (map->flags & MAP_PRIVATE) {
    /* Private pages (anonymous or copy-on-write) live only in the old
     * mapping: carry them over. */
    MmBlock b = { p, cur, (size_t) cur_len };
    MmStatus st = _mm_guard_run (map, cur, (size_t) cur_len, _mm_block_copy, &b, error);

    if (st != MM_OK) {
      munmap (p, (size_t) new_len);
      return st;
    }
  }
  munmap (cur, (size_t) cur_len);
  *out = p;
  return MM_OK;
}

/* The mapping at cur (cur_len bytes) becomes new_len bytes at *out. On
 * failure the mapping at cur is untouched. */
static MmStatus
mm_remap (const MmMap *map, uint8_t *cur, int64_t cur_len, int64_t new_len,
          uint8_t **out, MmError *error)
{
#ifndef MM_RESIZE_FALLBACK
  void *p = mremap (cur, (size_t) cur_len, (size_t) new_len, MREMAP_MAYMOVE);

  if (p != MAP_FAILED) {
    *out = p;
    return MM_OK;
  }
  /* EFAULT: the range is several VMAs (madvise on part of the map splits
   * it), which mremap(2) cannot resize; unmapping and mapping again can.
   * Any other error is the answer. */
  if (errno != EFAULT)
    return _mm_os_error (error, errno, "mremap (%lld -> %lld bytes)", LL (cur_len), LL (new_len));
#endif
  return mm_remap_by_mmap (map, cur, cur_len, new_len, out, error);
}

/* The file is cut (offset + new_size < its size): the mapping changes first,
 * which loses no file data, and only then the file. If ftruncate fails (a
 * read-only descriptor under a private map, an append-only file...), the
 * mapping gets its old length back over the file, which still has all its
 * bytes. A private map's copy-on-write pages in the part it drops live only
 * in the mapping: they are saved first and put back then (from new_size on:
 * the unmap-and-map path gets its last page back from the file too). */
static MmStatus
mm_resize_cutting_file (MmMap *map, int64_t new_size, int64_t old_file_size, MmError *error)
{
  int64_t new_end = map->offset + new_size;
  int64_t saved_end = (int64_t) mm_round_page (old_file_size - map->offset);
  uint8_t *data = NULL, *back = NULL, *saved = NULL;
  size_t saved_len = 0;
  MmStatus status;
  int e;

  if (saved_end > map->len)
    saved_end = map->len;
  if ((map->flags & MAP_PRIVATE) && saved_end > new_size) {
    MmBlock b;

    saved_len = (size_t) (saved_end - new_size);
    saved = malloc (saved_len);
    if (saved == NULL)
      return _mm_os_error (error, ENOMEM, "resize: cannot save the %zu private bytes it drops",
                           saved_len);
    b = (MmBlock) { saved, map->data + new_size, saved_len };
    status = _mm_guarded (map, _mm_block_copy, &b, error);
    if (status != MM_OK) {
      free (saved);
      return status;
    }
  }

  status = mm_remap (map, map->data, map->len, new_size, &data, error);
  if (status != MM_OK) {
    free (saved);
    return status;
  }
  if (ftruncate (map->fd, (off_t) new_end) == 0) {
    free (saved);
    map->data = data;
    map->len = new_size;
    return MM_OK;
  }
  e = errno;
  if (mm_remap (map, data, new_size, map->len, &back, NULL) == MM_OK) {
    map->data = back;
    if (saved != NULL) {
      MmBlock b = { back + new_size, saved, saved_len };

      if (_mm_guarded (map, _mm_block_copy, &b, NULL) != MM_OK) {
        /* the file shrank under the map meanwhile: those pages are gone */
      }
      free (saved);
    }
    return _mm_os_error (error, e, "resize: ftruncate to %lld", LL (new_end));
  }
  /* The file is whole, but the map keeps the new length. */
  free (saved);
  map->data = data;
  map->len = new_size;
  return _mm_os_error (error, e, "resize: ftruncate to %lld (the map could not get its old "
                       "length back and keeps %lld bytes)", LL (new_end), LL (new_size));
}

MmStatus
mm_map_resize (MmMap *map, int64_t new_size, MmError *error)
{
  struct stat st;
  int64_t old_file_size = -1, new_end;
  uint8_t *data = NULL;
  MmStatus status;

  CHECK_MAP (map, error);
  if (map->exports > 0)
    return _mm_error (error, MM_ERROR_EXPORTED, 0,
                      "mmap can't resize with extant buffers exported: %u views", map->exports);
  if (!map->trackfd)
    return _mm_error (error, MM_ERROR_UNSUPPORTED, 0, "mmap can't resize with trackfd=false");
  if (map->access != MM_ACCESS_WRITE && map->access != MM_ACCESS_DEFAULT)
    return _mm_error (error, MM_ERROR_READONLY, 0,
                      "mmap can't resize a readonly or copy-on-write memory map (access %s)",
                      mm_access_name (map->access));
  if (new_size <= 0 || new_size > INT64_MAX - map->offset)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "new size out of range: %lld (offset %lld)", LL (new_size), LL (map->offset));
  if ((uint64_t) new_size > SIZE_MAX)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "new size out of range: %lld does not fit the address space", LL (new_size));
  if (map->fd < 0 && (map->flags & MAP_SHARED) && new_size > map->len)
    return _mm_error (error, MM_ERROR_UNSUPPORTED, 0,
                      "mmap can't expand a shared anonymous mapping (%lld -> %lld bytes)",
                      LL (map->len), LL (new_size));

  new_end = map->offset + new_size;
  if (map->fd >= 0) {
    if (fstat (map->fd, &st) != 0)
      return _mm_os_error (error, errno, "resize: fstat");
    old_file_size = (int64_t) st.st_size;
    if (new_end < old_file_size)
      return mm_resize_cutting_file (map, new_size, old_file_size, error);
    if (new_end > old_file_size) {
      /* Reserve the blocks now: a full disk is ENOSPC here, not SIGBUS later. */
      int e = posix_fallocate (map->fd, (off_t) old_file_size, (off_t) (new_end - old_file_size));

      if (e != 0 && e != EOPNOTSUPP && e != ENOSYS) {
        if (ftruncate (map->fd, (off_t) old_file_size) != 0) {
          /* nothing more we can do; report the first error */
        }
        return _mm_os_error (error, e, "resize: cannot reserve %lld bytes from %lld",
                             LL (new_end - old_file_size), LL (old_file_size));
      }
    }
    /* The file grows (or keeps its size): the remap comes after, and if it
     * fails the file gets its old size back; the part cut off again held no
     * data. */
    if (ftruncate (map->fd, (off_t) new_end) != 0) {
      int e = errno;

      if (ftruncate (map->fd, (off_t) old_file_size) != 0) {
        /* as above */
      }
      return _mm_os_error (error, e, "resize: ftruncate to %lld", LL (new_end));
    }
  }

  status = mm_remap (map, map->data, map->len, new_size, &data, error);
  if (status != MM_OK) {
    if (map->fd >= 0 && ftruncate (map->fd, (off_t) old_file_size) != 0) {
      /* the remap error is the one worth reporting */
    }
    return status;
  }
  map->data = data;
  map->len = new_size;
  return MM_OK;
}
