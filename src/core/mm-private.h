/* mm-private.h: internals shared by the files of the mmap core.
 *
 * Nothing here is exported: the library is built with hidden visibility and
 * only the MM_PUBLIC names of mm-map.h leave it.
 */
#ifndef MM_PRIVATE_H
#define MM_PRIVATE_H

#include "mm-map.h"

#include <stddef.h>
#include <stdint.h>

struct _MmMap {
  uint8_t  *data;      /* NULL once closed */
  int64_t   len;       /* length of the mapping */
  int64_t   pos;       /* file-like position; may exceed len after a shrink */
  int64_t   offset;    /* file offset of data[0] */
  int       fd;        /* our dup of the caller's fd, or -1 (anonymous, trackfd=false) */
  int       flags;     /* as given to mmap(2), MAP_ANONYMOUS included */
  int       prot;
  MmAccess  access;    /* after DEFAULT resolution */
  bool      trackfd;
  bool      closed;
  bool      free_pending;  /* mm_map_free ran while views were out */
  unsigned  exports;
};

struct _MmView {
  MmMap    *map;
  uint8_t  *data;
  int64_t   len;
  bool      readonly;
};

#if defined(__GNUC__)
#define MM_PRINTF(f, a) __attribute__ ((format (printf, f, a)))
#else
#define MM_PRINTF(f, a)
#endif

/* Fills *error (if any) and returns status: the one place errors are made. */
MmStatus _mm_error (MmError *error, MmStatus status, int sys_errno,
                    const char *fmt, ...) MM_PRINTF (4, 5);

/* Same, for a failed system call: appends ": strerror(sys_errno)". */
MmStatus _mm_os_error (MmError *error, int sys_errno, const char *fmt, ...) MM_PRINTF (3, 4);

/* Runs func (data) so that a SIGBUS or SIGSEGV on an address inside
 * [lo, lo + len) aborts it and returns MM_ERROR_FAULT (message computed from
 * map) instead of killing the process. func must not hold resources that a
 * jump out of it would leak (no malloc, no locks). */
typedef void (*MmGuardedFunc) (void *data);
MmStatus _mm_guard_run (const MmMap *map, const void *lo, size_t len,
                        MmGuardedFunc func, void *data, MmError *error);

/* Search inside one window; no byte outside [hay, hay + hay_len) is read.
 * Return the offset inside the window, or -1. nlen >= 1. */
int64_t _mm_find  (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen);
int64_t _mm_rfind (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen);

/* The linear-time fallbacks on their own (for the drivers and for tests). */
int64_t _mm_find_two_way  (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen);
int64_t _mm_rfind_two_way (const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t nlen);

/* ---- shared by mm-map.c, mm-io.c and mm-resize.c ----------------------- */

#define LL(x) ((long long) (x))

#define CHECK_MAP(map, error)                                                 \
  do {                                                                        \
    if ((map) == NULL)                                                        \
      return _mm_error ((error), MM_ERROR_INVALID, 0, "map is NULL");         \
    if ((map)->closed)                                                        \
      return _mm_error ((error), MM_ERROR_CLOSED, 0, "mmap closed or invalid"); \
  } while (0)

#define CHECK_READABLE(map, error)                                            \
  do {                                                                        \
    if ((map)->access == MM_ACCESS_NONE)                                      \
      return _mm_error ((error), MM_ERROR_INVALID, 0,                         \
                        "the map has no access (ACCESS_NONE)");               \
  } while (0)

#define CHECK_WRITABLE(map, error)                                            \
  do {                                                                        \
    if ((map)->access == MM_ACCESS_READ || (map)->access == MM_ACCESS_NONE)   \
      return _mm_error ((error), MM_ERROR_READONLY, 0,                        \
                        "mmap can't modify a %s memory map",                  \
                        (map)->access == MM_ACCESS_READ ? "readonly" : "no-access"); \
  } while (0)

/* _mm_guard_run over the whole mapping of map. */
MmStatus _mm_guarded (const MmMap *map, MmGuardedFunc func, void *data, MmError *error);

/* A plain copy of n bytes, run under the guard by _mm_block_copy. */
typedef struct {
  uint8_t       *dst;
  const uint8_t *src;
  size_t         n;
} MmBlock;

void _mm_block_copy (void *data);   /* an MmGuardedFunc on an MmBlock */

#endif /* MM_PRIVATE_H */
