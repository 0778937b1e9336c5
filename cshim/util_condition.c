/* util_condition.c - COND_HANDLE over a pthread_cond_t on the monotonic clock. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "azure_c_shared_utility/condition.h"
#include "azure_c_shared_utility/xlogging.h"

DEFINE_ENUM_STRINGS(COND_RESULT, COND_RESULT_VALUES)

COND_HANDLE Condition_Init(void)
{
    pthread_condattr_t attributes;
    pthread_cond_t* cond;

    cond = malloc(sizeof(*cond));
    if (cond == NULL)
    {
        LogError("Condition_Init: out of memory");
        return NULL;
    }
    if (pthread_condattr_init(&attributes) != 0)
    {
        LogError("Condition_Init: pthread_condattr_init failed");
        free(cond);
        return NULL;
    }
    if (pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) != 0 || pthread_cond_init(cond, &attributes) != 0)
    {
        LogError("Condition_Init: pthread_cond_init failed");
        (void)pthread_condattr_destroy(&attributes);
        free(cond);
        return NULL;
    }
    (void)pthread_condattr_destroy(&attributes);
    return cond;
}

COND_RESULT Condition_Post(COND_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("Condition_Post: invalid argument (handle=NULL)");
        return COND_INVALID_ARG;
    }
    if (pthread_cond_broadcast((pthread_cond_t*)handle) != 0)
    {
        LogError("Condition_Post: pthread_cond_broadcast failed");
        return COND_ERROR;
    }
    return COND_OK;
}

COND_RESULT Condition_Wait(COND_HANDLE handle, LOCK_HANDLE lock, int timeout_milliseconds)
{
    int error;

    if (handle == NULL || lock == NULL)
    {
        LogError("Condition_Wait: invalid argument (handle=%p, lock=%p)", handle, lock);
        return COND_INVALID_ARG;
    }
    if (timeout_milliseconds > 0)
    {
        struct timespec deadline;
        if (clock_gettime(CLOCK_MONOTONIC, &deadline) != 0)
        {
            LogError("Condition_Wait: clock_gettime failed");
            return COND_ERROR;
        }
        deadline.tv_sec += timeout_milliseconds / 1000;
        deadline.tv_nsec += (long)(timeout_milliseconds % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L)
        {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000L;
        }
        error = pthread_cond_timedwait((pthread_cond_t*)handle, (pthread_mutex_t*)lock, &deadline);
        if (error == ETIMEDOUT)
        {
            return COND_TIMEOUT;
        }
    }
    else
    {
        error = pthread_cond_wait((pthread_cond_t*)handle, (pthread_mutex_t*)lock);
    }
    if (error != 0)
    {
        LogError("Condition_Wait: wait failed (error %d)", error);
        return COND_ERROR;
    }
    return COND_OK;
}

void Condition_Deinit(COND_HANDLE handle)
{
    if (handle != NULL)
    {
        (void)pthread_cond_destroy((pthread_cond_t*)handle);
        free(handle);
    }
}
