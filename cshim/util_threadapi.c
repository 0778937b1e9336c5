/* util_threadapi.c - THREAD_HANDLE over pthreads. The handle is a record holding the
 * pthread_t and the start function; ThreadAPI_Join frees it. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/xlogging.h"

DEFINE_ENUM_STRINGS(THREADAPI_RESULT, THREADAPI_RESULT_VALUES)

typedef struct THREAD_INSTANCE_TAG
{
    pthread_t thread;
    THREAD_START_FUNC func;
    void* arg;
} THREAD_INSTANCE;

static void* thread_entry(void* context)
{
    THREAD_INSTANCE* instance = context;
    int result = instance->func(instance->arg);
    return (void*)(intptr_t)result;
}

THREADAPI_RESULT ThreadAPI_Create(THREAD_HANDLE* threadHandle, THREAD_START_FUNC func, void* arg)
{
    THREAD_INSTANCE* instance;
    int error;

    if (threadHandle == NULL || func == NULL)
    {
        LogError("ThreadAPI_Create: invalid argument (threadHandle=%p, func=%s)", (void*)threadHandle,
                 (func == NULL) ? "NULL" : "set");
        return THREADAPI_INVALID_ARG;
    }
    instance = malloc(sizeof(*instance));
    if (instance == NULL)
    {
        LogError("ThreadAPI_Create: out of memory");
        return THREADAPI_NO_MEMORY;
    }
    instance->func = func;
    instance->arg = arg;
    error = pthread_create(&instance->thread, NULL, thread_entry, instance);
    if (error != 0)
    {
        LogError("ThreadAPI_Create: pthread_create failed (error %d)", error);
        free(instance);
        return (error == EAGAIN) ? THREADAPI_NO_MEMORY : THREADAPI_ERROR;
    }
    *threadHandle = instance;
    return THREADAPI_OK;
}

THREADAPI_RESULT ThreadAPI_Join(THREAD_HANDLE threadHandle, int* res)
{
    THREAD_INSTANCE* instance = threadHandle;
    void* exit_value = NULL;
    int error;

    if (instance == NULL)
    {
        LogError("ThreadAPI_Join: invalid argument (threadHandle=NULL)");
        return THREADAPI_INVALID_ARG;
    }
    error = pthread_join(instance->thread, &exit_value);
    if (error != 0)
    {
        LogError("ThreadAPI_Join: pthread_join failed (error %d)", error);
        return THREADAPI_ERROR;
    }
    if (res != NULL)
    {
        *res = (int)(intptr_t)exit_value;
    }
    free(instance);
    return THREADAPI_OK;
}

void ThreadAPI_Exit(int res)
{
    pthread_exit((void*)(intptr_t)res);
}

void ThreadAPI_Sleep(unsigned int milliseconds)
{
    struct timespec remaining;

    remaining.tv_sec = (time_t)(milliseconds / 1000u);
    remaining.tv_nsec = (long)(milliseconds % 1000u) * 1000000L;
    while (nanosleep(&remaining, &remaining) != 0 && errno == EINTR)
    {
    }
}
