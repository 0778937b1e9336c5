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
    const char* module; /* the module that created the thread, for log lines and crash reports */
} THREAD_INSTANCE;

/* Inside libgateway.so these come from module_call.c: a thread a module starts inherits
 * the module's name, so its log lines and crash reports name the module. Weak, so the
 * utilities still link on their own (the C tests). The name is borrowed: it lives until
 * the module is destroyed, and a module joins its threads before Module_Destroy returns. */
extern const char* gw_current_module(void) __attribute__((weak));
extern void gw_set_current_module(const char* name) __attribute__((weak));

static void* thread_entry(void* context)
{
    THREAD_INSTANCE* instance = context;
    int result;
    if (gw_set_current_module != NULL)
    {
        gw_set_current_module(instance->module);
    }
    result = instance->func(instance->arg);
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
    instance->module = (gw_current_module != NULL) ? gw_current_module() : NULL;
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
