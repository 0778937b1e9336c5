/* gateway.h - create, run and change a gateway (SDK v1 compatible).
 *
 * Ownership: the gateway copies everything it keeps from GATEWAY_PROPERTIES,
 * GATEWAY_MODULES_ENTRY and GATEWAY_LINK_ENTRY; the caller frees them after the call.
 * A GATEWAY_HANDLE is valid until Gateway_Destroy.
 */
#ifndef GATEWAY_H
#define GATEWAY_H

#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/vector.h"
#include "module.h"
#include "module_loader.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct GATEWAY_HANDLE_DATA_TAG* GATEWAY_HANDLE;

typedef struct GATEWAY_MODULE_LOADER_INFO_TAG
{
    const MODULE_LOADER* loader;
    void* entrypoint;
} GATEWAY_MODULE_LOADER_INFO;

typedef struct GATEWAY_MODULES_ENTRY_TAG
{
    const char* module_name;
    GATEWAY_MODULE_LOADER_INFO module_loader_info;
    const void* module_configuration;
} GATEWAY_MODULES_ENTRY;

typedef struct GATEWAY_LINK_ENTRY_TAG
{
    const char* module_source;
    const char* module_sink;
} GATEWAY_LINK_ENTRY;

typedef struct GATEWAY_PROPERTIES_DATA_TAG
{
    VECTOR_HANDLE gateway_modules; /* of GATEWAY_MODULES_ENTRY */
    VECTOR_HANDLE gateway_links;   /* of GATEWAY_LINK_ENTRY */
} GATEWAY_PROPERTIES;

#define GATEWAY_START_RESULT_VALUES \
    GATEWAY_START_SUCCESS, \
    GATEWAY_START_INVALID_ARGS

DEFINE_ENUM(GATEWAY_START_RESULT, GATEWAY_START_RESULT_VALUES);

#define GATEWAY_ADD_LINK_RESULT_VALUES \
    GATEWAY_ADD_LINK_SUCCESS, \
    GATEWAY_ADD_LINK_ERROR, \
    GATEWAY_ADD_LINK_INVALID_ARG

DEFINE_ENUM(GATEWAY_ADD_LINK_RESULT, GATEWAY_ADD_LINK_RESULT_VALUES);

#define GATEWAY_UPDATE_FROM_JSON_RESULT_VALUES \
    GATEWAY_UPDATE_FROM_JSON_SUCCESS, \
    GATEWAY_UPDATE_FROM_JSON_ERROR, \
    GATEWAY_UPDATE_FROM_JSON_INVALID_ARG

DEFINE_ENUM(GATEWAY_UPDATE_FROM_JSON_RESULT, GATEWAY_UPDATE_FROM_JSON_RESULT_VALUES);

extern GATEWAY_EXPORT GATEWAY_HANDLE Gateway_CreateFromJson(const char* file_path);
extern GATEWAY_EXPORT GATEWAY_HANDLE Gateway_Create(const GATEWAY_PROPERTIES* properties);
extern GATEWAY_EXPORT GATEWAY_START_RESULT Gateway_Start(GATEWAY_HANDLE gw);
extern GATEWAY_EXPORT void Gateway_Destroy(GATEWAY_HANDLE gw);
extern GATEWAY_EXPORT MODULE_HANDLE Gateway_AddModule(GATEWAY_HANDLE gw, const GATEWAY_MODULES_ENTRY* entry);
extern GATEWAY_EXPORT GATEWAY_START_RESULT Gateway_StartModule(GATEWAY_HANDLE gw, MODULE_HANDLE module);
extern GATEWAY_EXPORT void Gateway_RemoveModule(GATEWAY_HANDLE gw, MODULE_HANDLE module);
extern GATEWAY_EXPORT int Gateway_RemoveModuleByName(GATEWAY_HANDLE gw, const char* module_name);
extern GATEWAY_EXPORT GATEWAY_ADD_LINK_RESULT Gateway_AddLink(GATEWAY_HANDLE gw, const GATEWAY_LINK_ENTRY* entryLink);
extern GATEWAY_EXPORT void Gateway_RemoveLink(GATEWAY_HANDLE gw, const GATEWAY_LINK_ENTRY* entryLink);
extern GATEWAY_EXPORT GATEWAY_UPDATE_FROM_JSON_RESULT Gateway_UpdateFromJson(GATEWAY_HANDLE gw, const char* json_content);

#ifdef __cplusplus
}
#endif

#endif /* GATEWAY_H */
