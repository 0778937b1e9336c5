/* crash_receive - a module that dies of SIGSEGV in Module_Receive.
 *
 * Args (optional): {"after": N}  receive N messages normally, crash on message
 *                  N+1 (default 0: the first message crashes).
 * Behaviour: the crash is a real invalid memory access (a store through a
 * NULL pointer the compiler cannot see), not raise(), so the process gets a
 * genuine SEGV_MAPERR fault inside the module's code.
 * Library: libcrash_receive.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>

#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

typedef struct CRASH_TAG
{
    uint64_t after;
    uint64_t received;
} CRASH;

static void* Crash_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    CRASH* c;
    if (tm_args_open("crash_receive", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    c = (CRASH*)calloc(1, sizeof(CRASH));
    if (c == NULL)
    {
        LogError("crash_receive: out of memory");
    }
    else if (tm_args_get_u64("crash_receive", obj, "after", &c->after) != 0)
    {
        free(c);
        c = NULL;
    }
    json_value_free(root);
    return c;
}

static void Crash_FreeConfiguration(void* configuration)
{
    free(configuration);
}

/* configuration NULL means after = 0 */
static MODULE_HANDLE Crash_Create(BROKER_HANDLE broker, const void* configuration)
{
    CRASH* c = (CRASH*)calloc(1, sizeof(CRASH));
    (void)broker;
    if (c == NULL)
    {
        LogError("crash_receive: out of memory");
        return NULL;
    }
    if (configuration != NULL)
    {
        c->after = ((const CRASH*)configuration)->after;
    }
    return (MODULE_HANDLE)c;
}

static void Crash_Destroy(MODULE_HANDLE module)
{
    free(module);
}

static void Crash_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    CRASH* c = (CRASH*)module;
    (void)message;
    if (c == NULL)
    {
        return;
    }
    c->received++;
    if (c->received > c->after)
    {
        /* the volatile pointer keeps the compiler from proving it NULL and
         * replacing the store by a trap instruction */
        volatile int* volatile target = NULL;
        *target = 0x5EC5EC;
    }
}

static const MODULE_API_1 Crash_Api =
{
    { MODULE_API_VERSION_1 },
    Crash_ParseConfigurationFromJson,
    Crash_FreeConfiguration,
    Crash_Create,
    Crash_Destroy,
    Crash_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Crash_Api;
}
