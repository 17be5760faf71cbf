/* mm-map.h: the Maphex mmap core.
 *
 * A memory map with the behaviour of CPython's mmap.mmap object, plus fault
 * safety (a file that shrinks under the map gives MM_ERROR_FAULT instead of
 * SIGBUS), buffer views that block resize and close, and a fast search.
 *
 * Plain C11 + POSIX. The names in this header are a contract: programs
 * outside Maphex bind to them. See shared/design/mm-core.md.
 */
#ifndef MM_MAP_H
#define MM_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(MM_STATIC_ONLY)
#define MM_PUBLIC __attribute__ ((visibility ("default")))
#else
#define MM_PUBLIC
#endif

typedef enum {
  MM_ACCESS_DEFAULT = 0,  /* defer to flags/prot */
  MM_ACCESS_READ    = 1,  /* MAP_SHARED, PROT_READ */
  MM_ACCESS_WRITE   = 2,  /* MAP_SHARED, PROT_READ|PROT_WRITE: write-through */
  MM_ACCESS_COPY    = 3,  /* MAP_PRIVATE, PROT_READ|PROT_WRITE: copy-on-write */
  MM_ACCESS_NONE    = 4,  /* PROT_NONE: reserves address space; every data access is refused */
} MmAccess;

typedef enum {
  MM_OK = 0,
  MM_ERROR_CLOSED,       /* the map is closed                       (Python: ValueError) */
  MM_ERROR_READONLY,     /* write to a READ/NONE map; resize of READ/COPY (TypeError) */
  MM_ERROR_RANGE,        /* index/position/offset/length out of range (ValueError or IndexError) */
  MM_ERROR_INVALID,      /* bad argument: access with flags/prot, bad whence, empty file,
                            length > file, slice size mismatch ...   (ValueError) */
  MM_ERROR_EXPORTED,     /* views are outstanding                   (BufferError) */
  MM_ERROR_UNSUPPORTED,  /* resize with trackfd=false, growing a shared anonymous map */
  MM_ERROR_FAULT,        /* the backing file no longer covers the page (it shrank) */
  MM_ERROR_OS,           /* a system call failed: see error->sys_errno (OSError) */
} MmStatus;

typedef struct {
  MmStatus status;
  int      sys_errno;
  char     message[256];
} MmError;

typedef struct _MmMap  MmMap;
typedef struct _MmView MmView;

/* fd == -1: anonymous map of `length` bytes. length == 0: the whole file from offset.
   fd may be a regular file or a block device; a block device's size (for length == 0, the
   length checks and mm_map_size) comes from the BLKGETSIZE64 ioctl, since its st_size is 0.
   Other kinds of fd go to mmap(2) unchecked.
   flags/prot: as for mmap(2); pass MAP_SHARED and PROT_READ|PROT_WRITE for "not given". */
MM_PUBLIC MmStatus mm_map_new      (int fd, int64_t length, int flags, int prot, MmAccess access,
                                    int64_t offset, bool trackfd, MmMap **out, MmError *error);
MM_PUBLIC MmStatus mm_map_close    (MmMap *map, MmError *error);   /* EXPORTED while views exist; closing twice is fine */
MM_PUBLIC void     mm_map_free     (MmMap *map);                   /* closes if it can; frees; NULL is fine */
MM_PUBLIC bool     mm_map_closed   (const MmMap *map);
MM_PUBLIC MmAccess mm_map_access   (const MmMap *map);             /* the effective access after DEFAULT resolution */
MM_PUBLIC MmStatus mm_map_len      (const MmMap *map, int64_t *len, MmError *error);   /* length of the mapping */
MM_PUBLIC MmStatus mm_map_size     (MmMap *map, int64_t *size, MmError *error);        /* size of the file (fstat; BLKGETSIZE64 for a block device) */
MM_PUBLIC MmStatus mm_map_tell     (const MmMap *map, int64_t *pos, MmError *error);
MM_PUBLIC MmStatus mm_map_seek     (MmMap *map, int64_t pos, int whence, int64_t *new_pos, MmError *error);

MM_PUBLIC MmStatus mm_map_read     (MmMap *map, void *dst, int64_t n, int64_t *count, MmError *error);  /* n < 0: to the end */
MM_PUBLIC MmStatus mm_map_read_byte(MmMap *map, uint8_t *byte, MmError *error);
MM_PUBLIC MmStatus mm_map_readline (MmMap *map, void *dst, int64_t dst_size, int64_t *count, MmError *error);
MM_PUBLIC MmStatus mm_map_write    (MmMap *map, const void *src, int64_t n, int64_t *count, MmError *error);
MM_PUBLIC MmStatus mm_map_write_byte(MmMap *map, uint8_t byte, MmError *error);

/* Python index and slice semantics; negative indices count from the end.
   Slices are given already normalized (start, step, count), as slice.indices() gives them. */
MM_PUBLIC MmStatus mm_map_get_item (MmMap *map, int64_t index, uint8_t *value, MmError *error);
MM_PUBLIC MmStatus mm_map_set_item (MmMap *map, int64_t index, uint8_t value, MmError *error);
MM_PUBLIC MmStatus mm_map_get_slice(MmMap *map, int64_t start, int64_t step, int64_t count, void *dst, MmError *error);
MM_PUBLIC MmStatus mm_map_set_slice(MmMap *map, int64_t start, int64_t step, int64_t count,
                                    const void *src, int64_t src_len, MmError *error);

/* start/end as in Python slice notation (negative from the end, clamped);
   *index receives the absolute offset, or -1 when absent. */
MM_PUBLIC MmStatus mm_map_find     (MmMap *map, const void *needle, int64_t n, int64_t start, int64_t end,
                                    int64_t *index, MmError *error);
MM_PUBLIC MmStatus mm_map_rfind    (MmMap *map, const void *needle, int64_t n, int64_t start, int64_t end,
                                    int64_t *index, MmError *error);

MM_PUBLIC MmStatus mm_map_move     (MmMap *map, int64_t dest, int64_t src, int64_t count, MmError *error);
MM_PUBLIC MmStatus mm_map_resize   (MmMap *map, int64_t new_size, MmError *error);
MM_PUBLIC MmStatus mm_map_flush    (MmMap *map, int64_t offset, int64_t size, MmError *error);
MM_PUBLIC MmStatus mm_map_madvise  (MmMap *map, int option, int64_t start, int64_t length, MmError *error);

/* Buffer views: each export counts; resize and close are refused while any is outstanding. */
MM_PUBLIC MmStatus  mm_map_export   (MmMap *map, MmView **view, MmError *error);
MM_PUBLIC unsigned  mm_map_exports  (const MmMap *map);
MM_PUBLIC void      mm_view_release (MmView *view);
MM_PUBLIC uint8_t  *mm_view_data    (const MmView *view);  /* raw pointer: not fault-safe */
MM_PUBLIC int64_t   mm_view_len     (const MmView *view);
MM_PUBLIC bool      mm_view_readonly(const MmView *view);
MM_PUBLIC MmStatus  mm_view_copy    (const MmView *view, int64_t offset, void *dst, int64_t n, MmError *error); /* fault-safe */

MM_PUBLIC int64_t  mm_pagesize (void);
MM_PUBLIC int64_t  mm_allocation_granularity (void);

#ifdef __cplusplus
}
#endif

#endif /* MM_MAP_H */
