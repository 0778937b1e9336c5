/* module.h - the contract between the gateway and a module (SDK v1 compatible).
 *
 * A native module is a shared object that exports Module_GetApi. The gateway calls
 * Module_GetApi(MODULE_API_VERSION_1) and receives a MODULE_API_1 table whose first
 * member is the MODULE_API header (layout: see docs/abi.md).
 */
#ifndef MODULE_H
#define MODULE_H

#include "azure_c_shared_utility/macro_utils.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void* MODULE_HANDLE;
typedef struct MODULE_API_TAG MODULE_API;
typedef struct MODULE_TAG MODULE;

#ifdef __cplusplus
}
#endif

#include "broker.h"
#include "message.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MODULE_API_VERSION_VALUES \
    MODULE_API_VERSION_1

/* Enum of module API versions; MODULE_API_VERSION_1 == 0. */
typedef enum MODULE_API_VERSION_TAG { MODULE_API_VERSION_1 = 0 } MODULE_API_VERSION;

static const MODULE_API_VERSION Module_ApiGatewayVersion = MODULE_API_VERSION_1;

/* A module as the broker sees it: its function table and its instance handle. */
struct MODULE_TAG
{
    const MODULE_API* module_apis;
    MODULE_HANDLE module_handle;
};

typedef void* (*pfModule_ParseConfigurationFromJson)(const char* configuration);
typedef void (*pfModule_FreeConfiguration)(void* configuration);
typedef MODULE_HANDLE (*pfModule_Create)(BROKER_HANDLE broker, const void* configuration);
typedef void (*pfModule_Destroy)(MODULE_HANDLE moduleHandle);
typedef void (*pfModule_Receive)(MODULE_HANDLE moduleHandle, MESSAGE_HANDLE messageHandle);
typedef void (*pfModule_Start)(MODULE_HANDLE moduleHandle);

struct MODULE_API_TAG
{
    MODULE_API_VERSION version;
};

typedef struct MODULE_API_1_TAG
{
    MODULE_API base;
    pfModule_ParseConfigurationFromJson Module_ParseConfigurationFromJson;
    pfModule_FreeConfiguration Module_FreeConfiguration;
    pfModule_Create Module_Create;
    pfModule_Destroy Module_Destroy;
    pfModule_Receive Module_Receive;
    pfModule_Start Module_Start; /* may be NULL */
} MODULE_API_1;

#define MODULE_GETAPI_NAME ("Module_GetApi")

typedef const MODULE_API* (*pfModule_GetApi)(MODULE_API_VERSION gateway_api_version);

#ifdef STATIC_LINKING
#define MODULE_STATIC_GETAPI(MODULE_NAME) C2(Module_GetApi_, MODULE_NAME)
#else
#define MODULE_STATIC_GETAPI(MODULE_NAME) Module_GetApi
#endif

#if defined(__GNUC__)
#define MODULE_EXPORT __attribute__((visibility("default")))
#else
#define MODULE_EXPORT
#endif

#define MODULE_API_VERSION_FIELD(api) (((const MODULE_API*)(api))->version)

#ifdef __cplusplus
}
#endif

#endif /* MODULE_H */
