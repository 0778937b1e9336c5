/* condition.h - COND_HANDLE: a condition variable used with a LOCK_HANDLE.
 *
 * Memory: Condition_Init returns a handle owned by the caller, released with
 * Condition_Deinit (no thread may be waiting). Thread safety: Post and Wait from any
 * thread. As with any condition variable, wake-ups may be spurious: re-check the
 * predicate in a loop. */
#ifndef CONDITION_H
#define CONDITION_H

#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void* COND_HANDLE;

#define COND_RESULT_VALUES \
    COND_OK, \
    COND_INVALID_ARG, \
    COND_ERROR, \
    COND_TIMEOUT

DEFINE_ENUM(COND_RESULT, COND_RESULT_VALUES)

/* A new condition; NULL on failure. */
extern GATEWAY_EXPORT COND_HANDLE Condition_Init(void);
/* Wakes every waiter. COND_INVALID_ARG if handle is NULL. */
extern GATEWAY_EXPORT COND_RESULT Condition_Post(COND_HANDLE handle);
/* Atomically releases lock (held by the caller) and waits for a Post, then re-acquires
 * lock. timeout_milliseconds 0 (or negative) waits forever; otherwise COND_TIMEOUT after
 * that long (measured on the monotonic clock). COND_INVALID_ARG if handle or lock is NULL. */
extern GATEWAY_EXPORT COND_RESULT Condition_Wait(COND_HANDLE handle, LOCK_HANDLE lock, int timeout_milliseconds);
extern GATEWAY_EXPORT void Condition_Deinit(COND_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* CONDITION_H */
