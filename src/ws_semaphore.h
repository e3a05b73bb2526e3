/* ws_semaphore.h: a counting semaphore with FIFO fairness (tokio's Semaphore).
 *
 * A semaphore holds `available` permits. Acquiring n permits takes them at once if nobody is queued ahead and
 * enough are available; otherwise the acquirer joins a FIFO queue. Releases hand permits to the head of the queue
 * first (they are assigned to the waiter before it runs), so a large request is never overtaken by smaller ones
 * that arrive after it, and a task that loops on acquire cannot starve the queue.
 *
 * Ownership: ws_semaphore_new gives the caller one reference; ws_semaphore_drop gives it back. Every ws_acquire
 * and ws_with_permit future holds a reference while alive, and permits that are held (acquired, not yet released)
 * keep the semaphore alive too: it is freed when the last reference is gone and no permit is held.
 *
 * Permits: ws_acquire hands its permits to the caller, who gives them back with ws_semaphore_release. Permits that
 * must be returned whatever happens (the holder may be aborted) are best held by ws_with_permit, which acquires,
 * runs an inner future, and releases when the inner future finishes or when it is dropped: a permit is then
 * released when its holder drops it, as in tokio.
 *
 * Closing: ws_semaphore_close wakes every waiter with WS_ECLOSED and makes later acquires fail with WS_ECLOSED.
 * Permits already held can still be released. Waiters are woken with cause WS_CAUSE_NOTIFY and the semaphore's id.
 *
 * Trace: WS_EV_SEMAPHORE records a task starting to wait (detail 0), being granted permits after waiting
 * (detail 1), and permits released (detail 2); a = semaphore id, b = permits, c = permits held after the event.
 */
#ifndef WS_SEMAPHORE_H
#define WS_SEMAPHORE_H

#include "ws_sync.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_semaphore ws_semaphore;

/* Creates a semaphore with `permits` available (up to 2^30). WS_OK, WS_EINVAL or WS_ENOMEM. */
int ws_semaphore_new(ws_runtime *rt, uint32_t permits, ws_semaphore **out);
/* Gives back the creator's reference. Does not close it: queued acquirers keep waiting for releases. */
void ws_semaphore_drop(ws_semaphore *s);
/* Closes it: every waiter completes with WS_ECLOSED, later acquires fail with WS_ECLOSED. Idempotent. */
void ws_semaphore_close(ws_semaphore *s);

/* Takes n permits without waiting: WS_OK, WS_EEMPTY (not enough available, or acquirers queued ahead: FIFO is
 * kept), WS_ECLOSED, WS_EINVAL. n == 0 succeeds at once. */
int ws_semaphore_try_acquire(ws_semaphore *s, uint32_t n);
/* Gives back n held permits and hands them to queued acquirers in order. WS_ENOTHELD if more permits would be
 * released than are held (nothing changes), WS_EINVAL on NULL. */
int ws_semaphore_release(ws_semaphore *s, uint32_t n);
/* Adds n new permits (the capacity grows). WS_EINVAL past 2^30 in all. Wakes queued acquirers. Allowed on a
 * closed semaphore (it changes nothing there). */
int ws_semaphore_add_permits(ws_semaphore *s, uint32_t n);

uint32_t ws_semaphore_available(const ws_semaphore *s);
uint32_t ws_semaphore_held(const ws_semaphore *s);    /* acquired and not released */
uint32_t ws_semaphore_waiters(const ws_semaphore *s); /* acquirers queued */
int ws_semaphore_is_closed(const ws_semaphore *s);
uint32_t ws_semaphore_id(const ws_semaphore *s);

/* acquire: waits for n permits. out = n, err WS_OK: the caller now holds them and releases them with
 * ws_semaphore_release. err WS_ECLOSED if the semaphore was (or gets) closed: no permit is held.
 * Cancel safety: cancel safe. Dropping it while queued leaves the queue (nobody behind it is held up); if permits
 * were already assigned to it but it had not observed them, they are released to the next in line. Only a ready
 * acquire hands permits over, so none are ever lost. */
typedef struct ws_acquire {
    ws_future base;
    ws_semaphore *sem;  /* holds a reference until dropped */
    uint32_t n;
    ws_waiter waiter;   /* NOTIFIED: the permits were assigned to us by a release */
} ws_acquire;
void ws_acquire_init(ws_acquire *f, ws_semaphore *s, uint32_t n);

/* with_permit: acquires n permits, then polls `inner` (owned by the caller, kept in place, dropped by this future
 * when done, like every combinator) while holding them, and releases them when inner is ready or when this future
 * is dropped. Ready with inner's out/err, or err WS_ECLOSED (inner never started) if the semaphore is closed first.
 * Cancel safety: dropping it before the permits are granted is acquire's case; dropping it later drops inner
 * (whatever inner loses on cancel is lost) and releases the permits. */
typedef struct ws_with_permit {
    ws_future base;
    ws_acquire acquire;
    ws_future *inner;
    uint8_t holding;    /* the permits are ours and not yet released */
} ws_with_permit;
void ws_with_permit_init(ws_with_permit *f, ws_semaphore *s, uint32_t n, ws_future *inner);

#ifdef __cplusplus
}
#endif
#endif
