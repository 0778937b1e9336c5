/* lock.h - LOCK_HANDLE: a non-recursive mutex (pthread_mutex_t).
 *
 * Memory: Lock_Init returns a lock owned by the caller, released with Lock_Deinit (which
 * must not be called while the lock is held or waited on). Thread safety: Lock / Unlock
 * from any thread; Unlock only by the thread that holds the lock. */
#ifndef LOCK_H
#define LOCK_H

#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void* LOCK_HANDLE;

#define LOCK_RESULT_VALUES \
    LOCK_OK, \
    LOCK_ERROR

DEFINE_ENUM(LOCK_RESULT, LOCK_RESULT_VALUES)

/* A new unlocked lock; NULL on failure. */
extern GATEWAY_EXPORT LOCK_HANDLE Lock_Init(void);
/* Blocks until the lock is acquired. LOCK_ERROR if handle is NULL or locking fails. */
extern GATEWAY_EXPORT LOCK_RESULT Lock(LOCK_HANDLE handle);
/* LOCK_ERROR if handle is NULL or unlocking fails. */
extern GATEWAY_EXPORT LOCK_RESULT Unlock(LOCK_HANDLE handle);
/* Frees the lock. LOCK_ERROR if handle is NULL. */
extern GATEWAY_EXPORT LOCK_RESULT Lock_Deinit(LOCK_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* LOCK_H */
