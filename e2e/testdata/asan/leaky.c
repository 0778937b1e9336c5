/* leaky.c - the negative control of TestNativeModulesUnderASan: a module that leaks
 * one allocation in Create. LeakSanitizer must report it when the gateway exits, or
 * the ASan run proves nothing. */
#include <stdlib.h>
#include "module.h"

static MODULE_HANDLE Leaky_Create(BROKER_HANDLE broker, const void* configuration)
{
    static void* volatile lost;
    (void)broker;
    (void)configuration;
    lost = malloc(4321);
    lost = NULL;
    return malloc(1);
}

static void Leaky_Destroy(MODULE_HANDLE module)
{
    free(module);
}

static void Leaky_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static const MODULE_API_1 api = {{MODULE_API_VERSION_1}, NULL, NULL, Leaky_Create, Leaky_Destroy, Leaky_Receive, NULL};

const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return &api.base;
}
