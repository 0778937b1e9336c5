/* bad_api_version - Module_GetApi returns a table whose version is 1, i.e.
 * newer than MODULE_API_VERSION_1 (0). Everything else in the table is valid,
 * so the only reason to reject the module is the version. The gateway must
 * refuse to load it (and never call any of its functions).
 *
 * Args: ignored.
 * Library: libbad_api_version.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "azure_c_shared_utility/xlogging.h"
#include "module.h"

static void* BadVersion_ParseConfigurationFromJson(const char* configuration)
{
    (void)configuration;
    return NULL;
}

static void BadVersion_FreeConfiguration(void* configuration)
{
    (void)configuration;
}

static MODULE_HANDLE BadVersion_Create(BROKER_HANDLE broker, const void* configuration)
{
    (void)broker;
    (void)configuration;
    LogError("bad_api_version: Module_Create must never be called");
    return (MODULE_HANDLE)malloc(1);
}

static void BadVersion_Destroy(MODULE_HANDLE module)
{
    free(module);
}

static void BadVersion_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static const MODULE_API_1 BadVersion_Api =
{
    { (MODULE_API_VERSION)1 },
    BadVersion_ParseConfigurationFromJson,
    BadVersion_FreeConfiguration,
    BadVersion_Create,
    BadVersion_Destroy,
    BadVersion_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&BadVersion_Api;
}
