/* threadapi.h - THREAD_HANDLE: joinable threads (pthreads).
 *
 * Memory: ThreadAPI_Create allocates a small record that ThreadAPI_Join frees: every
 * created thread must be joined exactly once (an unjoined thread leaks it, as in the
 * original). ThreadAPI_Exit ends the calling thread with a result for ThreadAPI_Join. */
#ifndef THREADAPI_H
#define THREADAPI_H

#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*THREAD_START_FUNC)(void*);

#define THREADAPI_RESULT_VALUES \
    THREADAPI_OK, \
    THREADAPI_INVALID_ARG, \
    THREADAPI_NO_MEMORY, \
    THREADAPI_ERROR

DEFINE_ENUM(THREADAPI_RESULT, THREADAPI_RESULT_VALUES)

typedef void* THREAD_HANDLE;

/* Starts func(arg) on a new thread and stores its handle in *threadHandle.
 * THREADAPI_INVALID_ARG if threadHandle or func is NULL; THREADAPI_NO_MEMORY /
 * THREADAPI_ERROR on failure (then *threadHandle is left unchanged). */
extern GATEWAY_EXPORT THREADAPI_RESULT ThreadAPI_Create(THREAD_HANDLE* threadHandle, THREAD_START_FUNC func, void* arg);
/* Waits for the thread, stores its result in *res (res may be NULL) and frees the handle.
 * THREADAPI_INVALID_ARG if threadHandle is NULL. */
extern GATEWAY_EXPORT THREADAPI_RESULT ThreadAPI_Join(THREAD_HANDLE threadHandle, int* res);
/* Ends the calling thread; res becomes its result. */
extern GATEWAY_EXPORT void ThreadAPI_Exit(int res);
/* Sleeps at least milliseconds (resumes after signals). */
extern GATEWAY_EXPORT void ThreadAPI_Sleep(unsigned int milliseconds);

#ifdef __cplusplus
}
#endif

#endif /* THREADAPI_H */
