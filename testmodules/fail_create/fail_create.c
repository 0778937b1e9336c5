/* fail_create - a module whose Module_Create always fails.
 *
 * Args: ignored (any JSON, null or absent).
 * Behaviour: Module_ParseConfigurationFromJson succeeds and returns a small
 * malloc'd configuration (so the host's FreeConfiguration path runs);
 * Module_Create logs an error and returns NULL. The gateway must unload the
 * library and fail (and roll back) the whole creation.
 * Library: libfail_create.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "azure_c_shared_utility/xlogging.h"
#include "module.h"

typedef struct FAIL_CREATE_CONFIG_TAG
{
    int parsed;
} FAIL_CREATE_CONFIG;

static void* FailCreate_ParseConfigurationFromJson(const char* configuration)
{
    FAIL_CREATE_CONFIG* c = (FAIL_CREATE_CONFIG*)malloc(sizeof(FAIL_CREATE_CONFIG));
    (void)configuration;
    if (c != NULL)
    {
        c->parsed = 1;
    }
    return c;
}

static void FailCreate_FreeConfiguration(void* configuration)
{
    free(configuration);
}

static MODULE_HANDLE FailCreate_Create(BROKER_HANDLE broker, const void* configuration)
{
    (void)broker;
    (void)configuration;
    LogError("fail_create: Module_Create fails on purpose");
    return NULL;
}

static void FailCreate_Destroy(MODULE_HANDLE module)
{
    (void)module;
}

static void FailCreate_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static const MODULE_API_1 FailCreate_Api =
{
    { MODULE_API_VERSION_1 },
    FailCreate_ParseConfigurationFromJson,
    FailCreate_FreeConfiguration,
    FailCreate_Create,
    FailCreate_Destroy,
    FailCreate_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&FailCreate_Api;
}
