/* mm-guard.c: fault safety for accesses to mapped memory.
 *
 * A file that shrinks under a shared map turns every access past its new end
 * into SIGBUS. Each core access runs inside a guard: a sigjmp_buf on the
 * caller's stack, published through a thread-local pointer. One process-wide
 * handler for SIGBUS and SIGSEGV jumps back to the guard when the faulting
 * address lies inside the guarded range, and hands every other fault to the
 * handler the program had before (or dies as the default action would).
 *
 * Limits: the handler is installed at the first guarded access; a program
 * that later replaces it without chaining turns guarded faults back into
 * crashes. A thread that blocks SIGBUS/SIGSEGV dies on a fault whatever any
 * handler does (the kernel forces the default action).
 */
#define _GNU_SOURCE
#include "mm-private.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <ucontext.h>

typedef struct MmGuard MmGuard;
struct MmGuard {
  sigjmp_buf          env;
  MmGuard            *prev;
  uintptr_t           lo;
  uintptr_t           hi;
  volatile uintptr_t  addr;
  volatile int        signo;
};

/* initial-exec: reading it in the signal handler must not allocate, even when
 * the library was dlopen()ed. Only one pointer, so the static TLS surplus
 * that glibc keeps for dlopen() is plenty. */
#if defined(__GNUC__)
static __thread MmGuard *mm_guard_top __attribute__ ((tls_model ("initial-exec")));
#else
static _Thread_local MmGuard *mm_guard_top;
#endif

static struct sigaction mm_old_bus;
static struct sigaction mm_old_segv;
static pthread_once_t   mm_handlers_once = PTHREAD_ONCE_INIT;

static void
mm_die_by_default (int signo)
{
  struct sigaction dfl;
  sigset_t set;

  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (signo, &dfl, NULL);
  sigemptyset (&set);
  sigaddset (&set, signo);
  pthread_sigmask (SIG_UNBLOCK, &set, NULL);
  raise (signo);
  /* If the signal was a real fault and somehow survived raise(), returning
   * re-executes the faulting instruction, now under SIG_DFL. */
}

/* Hand a fault that is not ours to whoever had the signal before us, as the
 * kernel would have: its mask blocked while it runs, SA_RESETHAND honoured. */
static void
mm_chain (int signo, siginfo_t *info, void *uctx)
{
  struct sigaction *slot = signo == SIGBUS ? &mm_old_bus : &mm_old_segv;
  struct sigaction old = *slot;
  sigset_t set, saved;

  /* SIG_DFL and SIG_IGN are values of the shared handler slot; the kernel
   * honours them whatever SA_SIGINFO says. */
  if (old.sa_handler == SIG_DFL) {
    mm_die_by_default (signo);
    return;
  }
  if (old.sa_handler == SIG_IGN) {
    /* The kernel does not let a real fault be ignored: it kills. A signal
     * sent by a process is ignored, as it would have been. */
    if (info == NULL || info->si_code > 0)
      mm_die_by_default (signo);
    return;
  }

  if (old.sa_flags & SA_RESETHAND) {
    memset (slot, 0, sizeof *slot);
    slot->sa_handler = SIG_DFL;
  }
  set = old.sa_mask;
  if (!(old.sa_flags & SA_NODEFER))
    sigaddset (&set, signo);
  pthread_sigmask (SIG_BLOCK, &set, &saved);
  if (old.sa_flags & SA_SIGINFO)
    old.sa_sigaction (signo, info, uctx);
  else
    old.sa_handler (signo);
  pthread_sigmask (SIG_SETMASK, &saved, NULL);
}

static void
mm_on_fault (int signo, siginfo_t *info, void *uctx)
{
  int saved_errno = errno;
  MmGuard *guard = mm_guard_top;

  if (guard != NULL && info != NULL && info->si_code > 0) {
    uintptr_t addr = (uintptr_t) info->si_addr;

    if (addr >= guard->lo && addr < guard->hi) {
      ucontext_t *uc = uctx;

      guard->addr = addr;
      guard->signo = signo;
      /* The guard saved no mask (sigsetjmp (env, 0) costs no system call):
       * put back the mask of the interrupted code, which is exactly what the
       * mask was when the guard was entered. */
      if (uc != NULL)
        pthread_sigmask (SIG_SETMASK, &uc->uc_sigmask, NULL);
      siglongjmp (guard->env, 1);
    }
  }
  mm_chain (signo, info, uctx);
  errno = saved_errno;
}

static void
mm_install_handlers (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_sigaction = mm_on_fault;
  sigemptyset (&sa.sa_mask);
  /* SA_NODEFER: the handler changes no mask, so jumping out needs no restore
   * beyond the interrupted mask; SA_ONSTACK: faults from stack overflow in
   * programs with an alternate stack still reach their own handler. */
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;

  sigaction (SIGBUS, NULL, &mm_old_bus);
  sigaction (SIGSEGV, NULL, &mm_old_segv);
  sigaction (SIGBUS, &sa, NULL);
  sigaction (SIGSEGV, &sa, NULL);
}

static MmStatus
mm_fault_error (const MmMap *map, uintptr_t addr, int signo, MmError *error)
{
  int64_t moff = (int64_t) (addr - (uintptr_t) map->data);
  int64_t foff = map->offset + moff;
  struct stat st;

  if (map->fd >= 0 && fstat (map->fd, &st) == 0 && foff >= (int64_t) st.st_size)
    return _mm_error (error, MM_ERROR_FAULT, 0,
                      "the file shrank under the map: offset %lld is past its end %lld",
                      (long long) foff, (long long) st.st_size);
  if (signo == SIGSEGV)
    return _mm_error (error, MM_ERROR_FAULT, 0,
                      "access fault at map offset %lld: the page cannot be accessed",
                      (long long) moff);
  if (map->fd >= 0)
    return _mm_error (error, MM_ERROR_FAULT, 0,
                      "bus error at map offset %lld: the file no longer backs the page",
                      (long long) moff);
  return _mm_error (error, MM_ERROR_FAULT, 0,
                    "bus error at map offset %lld (file offset %lld): the file probably shrank",
                    (long long) moff, (long long) foff);
}

MmStatus
_mm_guard_run (const MmMap *map, const void *lo, size_t len,
               MmGuardedFunc func, void *data, MmError *error)
{
  MmGuard guard;

  pthread_once (&mm_handlers_once, mm_install_handlers);

  guard.prev = mm_guard_top;
  guard.lo = (uintptr_t) lo;
  guard.hi = (uintptr_t) lo + len;
  guard.addr = 0;
  guard.signo = 0;

  if (sigsetjmp (guard.env, 0) != 0) {
    mm_guard_top = guard.prev;
    return mm_fault_error (map, guard.addr, guard.signo, error);
  }

  mm_guard_top = &guard;
  atomic_signal_fence (memory_order_seq_cst);
  func (data);
  atomic_signal_fence (memory_order_seq_cst);
  mm_guard_top = guard.prev;
  return MM_OK;
}
