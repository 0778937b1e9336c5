/* null_receive - Module_GetApi returns a MODULE_API_1 table whose
 * Module_Receive is NULL (everything else valid). The gateway must refuse to
 * load it and never call Module_Create.
 *
 * Args: ignored.
 * Library: libnull_receive.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "azure_c_shared_utility/xlogging.h"
#include "module.h"

static void* NullReceive_ParseConfigurationFromJson(const char* configuration)
{
    (void)configuration;
    return NULL;
}

static void NullReceive_FreeConfiguration(void* configuration)
{
    (void)configuration;
}

static MODULE_HANDLE NullReceive_Create(BROKER_HANDLE broker, const void* configuration)
{
    (void)broker;
    (void)configuration;
    LogError("null_receive: Module_Create must never be called");
    return (MODULE_HANDLE)malloc(1);
}

static void NullReceive_Destroy(MODULE_HANDLE module)
{
    free(module);
}

static const MODULE_API_1 NullReceive_Api =
{
    { MODULE_API_VERSION_1 },
    NullReceive_ParseConfigurationFromJson,
    NullReceive_FreeConfiguration,
    NullReceive_Create,
    NullReceive_Destroy,
    NULL, /* Module_Receive */
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&NullReceive_Api;
}
