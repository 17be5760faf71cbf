/* mm-map.c: the map object: errors, the page size, construction, lifetime
 * (close, free), the queries on the map, views (exports), and the helpers the
 * other files share (_mm_guarded, _mm_block_copy).
 *
 * Reading, writing and searching the bytes live in mm-io.c; the extent of
 * the mapping (resize, flush, madvise) in mm-resize.c. Nothing here reads or
 * writes mapped bytes except through the guard (mm-guard.c).
 */
#define _GNU_SOURCE
#include "mm-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/fs.h>   /* BLKGETSIZE64 */
#endif

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/* ---- errors ---------------------------------------------------------------- */

MmStatus
_mm_error (MmError *error, MmStatus status, int sys_errno, const char *fmt, ...)
{
  va_list ap;

  if (error == NULL)
    return status;
  error->status = status;
  error->sys_errno = sys_errno;
  va_start (ap, fmt);
  vsnprintf (error->message, sizeof error->message, fmt, ap);
  va_end (ap);
  return status;
}

/* strerror is not thread-safe; strerror_r comes in a GNU and an XSI form. */
static const char *
mm_strerror (int errnum, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r (errnum, buf, size);
#else
  if (strerror_r (errnum, buf, size) != 0)
    snprintf (buf, size, "errno %d", errnum);
  return buf;
#endif
}

MmStatus
_mm_os_error (MmError *error, int sys_errno, const char *fmt, ...)
{
  va_list ap;
  size_t used;
  char text[128];

  if (error == NULL)
    return MM_ERROR_OS;
  error->status = MM_ERROR_OS;
  error->sys_errno = sys_errno;
  va_start (ap, fmt);
  vsnprintf (error->message, sizeof error->message, fmt, ap);
  va_end (ap);
  used = strlen (error->message);
  snprintf (error->message + used, sizeof error->message - used, ": %s",
            mm_strerror (sys_errno, text, sizeof text));
  return MM_ERROR_OS;
}

int64_t
mm_pagesize (void)
{
  static atomic_long cached;   /* every thread computes the same answer */
  long ps = atomic_load_explicit (&cached, memory_order_relaxed);

  if (ps <= 0) {
    ps = sysconf (_SC_PAGESIZE);
    if (ps <= 0)
      ps = 4096;
    atomic_store_explicit (&cached, ps, memory_order_relaxed);
  }
  return ps;
}

int64_t
mm_allocation_granularity (void)
{
  return mm_pagesize ();
}

/* ---- shared by the files of the core ----------------------------------------- */

MmStatus
_mm_guarded (const MmMap *map, MmGuardedFunc func, void *data, MmError *error)
{
  return _mm_guard_run (map, map->data, (size_t) map->len, func, data, error);
}

void
_mm_block_copy (void *data)
{
  MmBlock *b = data;

  memcpy (b->dst, b->src, b->n);
}

/* ---- construction and teardown ----------------------------------------- */

/* The size of what fd refers to: st_size for a file; a block device's
   st_size is 0, so its size comes from the BLKGETSIZE64 ioctl. */
static MmStatus
_mm_fd_size (int fd, const struct stat *st, int64_t *size, MmError *error)
{
  if (!S_ISBLK (st->st_mode)) {
    *size = (int64_t) st->st_size;
    return MM_OK;
  }
#ifdef BLKGETSIZE64
  {
    uint64_t bytes = 0;

    if (ioctl (fd, BLKGETSIZE64, &bytes) != 0)
      return _mm_os_error (error, errno, "size of block device (fd %d): ioctl BLKGETSIZE64", fd);
    if (bytes > INT64_MAX)
      return _mm_error (error, MM_ERROR_RANGE, 0,
                        "block device of %llu bytes is too large", (unsigned long long) bytes);
    *size = (int64_t) bytes;
    return MM_OK;
  }
#else
  return _mm_error (error, MM_ERROR_UNSUPPORTED, 0,
                    "the size of a block device is not known on this system");
#endif
}

MmStatus
mm_map_new (int fd, int64_t length, int flags, int prot, MmAccess access,
            int64_t offset, bool trackfd, MmMap **out, MmError *error)
{
  struct stat st;
  MmMap *map;
  void *data;
  int dupfd = -1;

  if (out == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "out is NULL");
  *out = NULL;

  if (length < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "memory mapped length must be positive: %lld < 0", LL (length));
  if (offset < 0)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "memory mapped offset must be positive: %lld < 0", LL (offset));
  if ((uint64_t) length > SIZE_MAX)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "memory mapped length %lld does not fit the address space", LL (length));

  if (access != MM_ACCESS_DEFAULT
      && (flags != MAP_SHARED || prot != (PROT_READ | PROT_WRITE)))
    return _mm_error (error, MM_ERROR_INVALID, 0,
                      "mmap can't specify both access and flags, prot "
                      "(access %d, flags 0x%x, prot 0x%x)", (int) access, flags, prot);

  switch (access) {
  case MM_ACCESS_READ:
    flags = MAP_SHARED;
    prot = PROT_READ;
    break;
  case MM_ACCESS_WRITE:
    flags = MAP_SHARED;
    prot = PROT_READ | PROT_WRITE;
    break;
  case MM_ACCESS_COPY:
    flags = MAP_PRIVATE;
    prot = PROT_READ | PROT_WRITE;
    break;
  case MM_ACCESS_NONE:
    flags = MAP_SHARED;
    prot = PROT_NONE;
    break;
  case MM_ACCESS_DEFAULT:
    if ((prot & PROT_READ) && (prot & PROT_WRITE))
      access = MM_ACCESS_DEFAULT;
    else if (prot & PROT_WRITE)
      access = MM_ACCESS_WRITE;
    else
      access = MM_ACCESS_READ;
    break;
  default:
    return _mm_error (error, MM_ERROR_INVALID, 0,
                      "mmap invalid access parameter: %d", (int) access);
  }

  if (fd != -1 && fstat (fd, &st) == 0 && (S_ISREG (st.st_mode) || S_ISBLK (st.st_mode))) {
    int64_t size = (int64_t) st.st_size;
    MmStatus status = S_ISBLK (st.st_mode) ? _mm_fd_size (fd, &st, &size, error) : MM_OK;

    if (status != MM_OK)
      return status;
    if (length == 0) {
      if (size == 0)
        return _mm_error (error, MM_ERROR_INVALID, 0, S_ISBLK (st.st_mode)
                          ? "cannot mmap an empty block device"
                          : "cannot mmap an empty file");
      if (offset >= size)
        return _mm_error (error, MM_ERROR_INVALID, 0,
                          "mmap offset is greater than file size: %lld >= %lld",
                          LL (offset), LL (size));
      length = size - offset;
      if ((uint64_t) length > SIZE_MAX)
        return _mm_error (error, MM_ERROR_RANGE, 0,
                          "file of %lld bytes does not fit the address space", LL (length));
    } else if (offset > size || size - offset < length) {
      return _mm_error (error, MM_ERROR_INVALID, 0,
                        "mmap length is greater than file size: offset %lld + length %lld > size %lld",
                        LL (offset), LL (length), LL (size));
    }
  }

  if (fd == -1)
    flags |= MAP_ANONYMOUS;

  if (fd != -1 && trackfd) {
    dupfd = fcntl (fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0)
      return _mm_os_error (error, errno, "cannot duplicate fd %d", fd);
  }

  data = mmap (NULL, (size_t) length, prot, flags, fd, (off_t) offset);
  if (data == MAP_FAILED) {
    int e = errno;

    if (dupfd >= 0)
      close (dupfd);
    return _mm_os_error (error, e, "mmap (fd %d, length %lld, offset %lld)",
                         fd, LL (length), LL (offset));
  }

  map = calloc (1, sizeof *map);
  if (map == NULL) {
    munmap (data, (size_t) length);
    if (dupfd >= 0)
      close (dupfd);
    return _mm_os_error (error, ENOMEM, "cannot allocate the map");
  }
  map->data = data;
  map->len = length;
  map->pos = 0;
  map->offset = offset;
  map->fd = dupfd;
  map->flags = flags;
  map->prot = prot;
  map->access = access;
  map->trackfd = trackfd;
  *out = map;
  return MM_OK;
}

static void
mm_unmap (MmMap *map)
{
  if (map->data != NULL)
    munmap (map->data, (size_t) map->len);
  map->data = NULL;
  if (map->fd >= 0)
    close (map->fd);
  map->fd = -1;
  map->closed = true;
}

MmStatus
mm_map_close (MmMap *map, MmError *error)
{
  if (map == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "map is NULL");
  if (map->exports > 0)
    return _mm_error (error, MM_ERROR_EXPORTED, 0,
                      "cannot close: %u exported views exist", map->exports);
  mm_unmap (map);
  return MM_OK;
}

void
mm_map_free (MmMap *map)
{
  if (map == NULL)
    return;
  if (map->exports > 0) {
    map->free_pending = true;   /* the last mm_view_release finishes */
    return;
  }
  mm_unmap (map);
  free (map);
}

bool
mm_map_closed (const MmMap *map)
{
  return map == NULL || map->closed;
}

MmAccess
mm_map_access (const MmMap *map)
{
  return map != NULL ? map->access : MM_ACCESS_DEFAULT;
}

MmStatus
mm_map_len (const MmMap *map, int64_t *len, MmError *error)
{
  CHECK_MAP (map, error);
  if (len != NULL)
    *len = map->len;
  return MM_OK;
}

MmStatus
mm_map_size (MmMap *map, int64_t *size, MmError *error)
{
  struct stat st;
  int64_t bytes;
  MmStatus status;

  CHECK_MAP (map, error);
  if (map->fd < 0)
    return _mm_os_error (error, EBADF, "size: the map keeps no file descriptor (%s)",
                         (map->flags & MAP_ANONYMOUS) ? "anonymous map" : "trackfd=false");
  if (fstat (map->fd, &st) != 0)
    return _mm_os_error (error, errno, "size: fstat (fd %d)", map->fd);
  if ((status = _mm_fd_size (map->fd, &st, &bytes, error)) != MM_OK)
    return status;
  if (size != NULL)
    *size = bytes;
  return MM_OK;
}

/* ---- views ------------------------------------------------------------------- */

MmStatus
mm_map_export (MmMap *map, MmView **view, MmError *error)
{
  MmView *v;

  if (view == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "view is NULL");
  *view = NULL;
  CHECK_MAP (map, error);
  CHECK_READABLE (map, error);
  v = malloc (sizeof *v);
  if (v == NULL)
    return _mm_os_error (error, ENOMEM, "cannot allocate a view");
  v->map = map;
  v->data = map->data;
  v->len = map->len;
  v->readonly = map->access == MM_ACCESS_READ;
  map->exports++;
  *view = v;
  return MM_OK;
}

unsigned
mm_map_exports (const MmMap *map)
{
  return map != NULL ? map->exports : 0;
}

void
mm_view_release (MmView *view)
{
  MmMap *map;

  if (view == NULL)
    return;
  map = view->map;
  free (view);
  if (map->exports > 0)
    map->exports--;
  if (map->exports == 0 && map->free_pending)
    mm_map_free (map);
}

uint8_t *
mm_view_data (const MmView *view)
{
  return view != NULL ? view->data : NULL;
}

int64_t
mm_view_len (const MmView *view)
{
  return view != NULL ? view->len : 0;
}

bool
mm_view_readonly (const MmView *view)
{
  return view == NULL || view->readonly;
}

MmStatus
mm_view_copy (const MmView *view, int64_t offset, void *dst, int64_t n, MmError *error)
{
  MmBlock b;

  if (view == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "view is NULL");
  if (offset < 0 || n < 0 || offset > view->len || view->len - offset < n)
    return _mm_error (error, MM_ERROR_RANGE, 0,
                      "view copy out of range: offset %lld + %lld bytes > length %lld",
                      LL (offset), LL (n), LL (view->len));
  if (n == 0)
    return MM_OK;
  if (dst == NULL)
    return _mm_error (error, MM_ERROR_INVALID, 0, "view copy: dst is NULL");
  b.dst = dst;
  b.src = view->data + offset;
  b.n = (size_t) n;
  return _mm_guard_run (view->map, view->data, (size_t) view->len, _mm_block_copy, &b, error);
}
