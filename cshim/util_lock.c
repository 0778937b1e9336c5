/* util_lock.c - LOCK_HANDLE over a heap-allocated pthread_mutex_t (condition.c relies on
 * the handle pointing at the mutex itself). */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdlib.h>
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/xlogging.h"

DEFINE_ENUM_STRINGS(LOCK_RESULT, LOCK_RESULT_VALUES)

LOCK_HANDLE Lock_Init(void)
{
    pthread_mutex_t* mutex = malloc(sizeof(*mutex));
    if (mutex == NULL)
    {
        LogError("Lock_Init: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(mutex, NULL) != 0)
    {
        LogError("Lock_Init: pthread_mutex_init failed");
        free(mutex);
        return NULL;
    }
    return mutex;
}

LOCK_RESULT Lock(LOCK_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("Lock: invalid argument (handle=NULL)");
        return LOCK_ERROR;
    }
    if (pthread_mutex_lock((pthread_mutex_t*)handle) != 0)
    {
        LogError("Lock: pthread_mutex_lock failed");
        return LOCK_ERROR;
    }
    return LOCK_OK;
}

LOCK_RESULT Unlock(LOCK_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("Unlock: invalid argument (handle=NULL)");
        return LOCK_ERROR;
    }
    if (pthread_mutex_unlock((pthread_mutex_t*)handle) != 0)
    {
        LogError("Unlock: pthread_mutex_unlock failed");
        return LOCK_ERROR;
    }
    return LOCK_OK;
}

LOCK_RESULT Lock_Deinit(LOCK_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("Lock_Deinit: invalid argument (handle=NULL)");
        return LOCK_ERROR;
    }
    (void)pthread_mutex_destroy((pthread_mutex_t*)handle);
    free(handle);
    return LOCK_OK;
}
