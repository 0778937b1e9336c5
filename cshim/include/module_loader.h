/* module_loader.h - module loaders (SDK v1 compatible).
 *
 * A MODULE_LOADER is a named, typed function table that locates a module and hands the
 * gateway its MODULE_API. The exported ModuleLoader_* functions manage a process-wide
 * registry for C host programs that build GATEWAY_PROPERTIES by hand; the JSON path
 * (Gateway_CreateFromJson) uses each gateway's own loader set.
 */
#ifndef MODULE_LOADER_H
#define MODULE_LOADER_H

#include <stdbool.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/strings.h"
#include "parson.h"
#include "module.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MODULE_LOADER_RESULT_VALUES \
    MODULE_LOADER_SUCCESS, \
    MODULE_LOADER_ERROR

DEFINE_ENUM(MODULE_LOADER_RESULT, MODULE_LOADER_RESULT_VALUES);

#define MODULE_LOADER_TYPE_VALUES \
    UNKNOWN, \
    NATIVE, \
    JAVA, \
    DOTNET, \
    DOTNETCORE, \
    NODEJS, \
    OUTPROCESS

DEFINE_ENUM(MODULE_LOADER_TYPE, MODULE_LOADER_TYPE_VALUES);

#define DOTNET_LOADER_NAME "dotnet"
#define DOTNETCORE_LOADER_NAME "dotnetcore"
#define DYNAMIC_LOADER_NAME "native"
#define JAVA_LOADER_NAME "java"
#define NODE_LOADER_NAME "node"
#define OUTPROCESS_LOADER_NAME "outprocess"

typedef struct MODULE_LOADER_BASE_CONFIGURATION_TAG
{
    STRING_HANDLE binding_path;
} MODULE_LOADER_BASE_CONFIGURATION;

typedef void* MODULE_LIBRARY_HANDLE;
struct MODULE_LOADER_TAG;

typedef MODULE_LIBRARY_HANDLE (*pfModuleLoader_Load)(const struct MODULE_LOADER_TAG* loader, const void* entrypoint);
typedef void (*pfModuleLoader_Unload)(const struct MODULE_LOADER_TAG* loader, MODULE_LIBRARY_HANDLE handle);
typedef const MODULE_API* (*pfModuleLoader_GetApi)(const struct MODULE_LOADER_TAG* loader, MODULE_LIBRARY_HANDLE handle);
typedef void* (*pfModuleLoader_ParseEntrypointFromJson)(const struct MODULE_LOADER_TAG* loader, const JSON_Value* json);
typedef void (*pfModuleLoader_FreeEntrypoint)(const struct MODULE_LOADER_TAG* loader, void* entrypoint);
typedef MODULE_LOADER_BASE_CONFIGURATION* (*pfModuleLoader_ParseConfigurationFromJson)(const struct MODULE_LOADER_TAG* loader, const JSON_Value* json);
typedef void (*pfModuleLoader_FreeConfiguration)(const struct MODULE_LOADER_TAG* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration);
typedef void* (*pfModuleLoader_BuildModuleConfiguration)(const struct MODULE_LOADER_TAG* loader, const void* entrypoint, const void* module_configuration);
typedef void (*pfModuleLoader_FreeModuleConfiguration)(const struct MODULE_LOADER_TAG* loader, const void* module_configuration);

typedef struct MODULE_LOADER_API_TAG
{
    pfModuleLoader_Load Load;
    pfModuleLoader_Unload Unload;
    pfModuleLoader_GetApi GetApi;
    pfModuleLoader_ParseEntrypointFromJson ParseEntrypointFromJson;
    pfModuleLoader_FreeEntrypoint FreeEntrypoint;
    pfModuleLoader_ParseConfigurationFromJson ParseConfigurationFromJson;
    pfModuleLoader_FreeConfiguration FreeConfiguration;
    pfModuleLoader_BuildModuleConfiguration BuildModuleConfiguration;
    pfModuleLoader_FreeModuleConfiguration FreeModuleConfiguration;
} MODULE_LOADER_API;

typedef struct MODULE_LOADER_TAG
{
    MODULE_LOADER_TYPE type;
    const char* name;
    MODULE_LOADER_BASE_CONFIGURATION* configuration;
    MODULE_LOADER_API* api;
} MODULE_LOADER;

extern GATEWAY_EXPORT MODULE_LOADER_RESULT ModuleLoader_Initialize(void);
extern GATEWAY_EXPORT MODULE_LOADER_RESULT ModuleLoader_Add(const MODULE_LOADER* loader);
extern GATEWAY_EXPORT MODULE_LOADER_RESULT ModuleLoader_UpdateConfiguration(MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration);
extern GATEWAY_EXPORT MODULE_LOADER* ModuleLoader_FindByName(const char* name);
extern GATEWAY_EXPORT MODULE_LOADER* ModuleLoader_GetDefaultLoaderForType(MODULE_LOADER_TYPE type);
extern GATEWAY_EXPORT MODULE_LOADER_TYPE ModuleLoader_ParseType(const char* type);
extern GATEWAY_EXPORT bool ModuleLoader_IsDefaultLoader(const char* name);
extern GATEWAY_EXPORT MODULE_LOADER_RESULT ModuleLoader_InitializeFromJson(const JSON_Value* loaders);
extern GATEWAY_EXPORT void ModuleLoader_Destroy(void);
extern GATEWAY_EXPORT MODULE_LOADER_RESULT ModuleLoader_ParseBaseConfigurationFromJson(MODULE_LOADER_BASE_CONFIGURATION* configuration, const JSON_Value* json);
extern GATEWAY_EXPORT void ModuleLoader_FreeBaseConfiguration(MODULE_LOADER_BASE_CONFIGURATION* configuration);

#ifdef __cplusplus
}
#endif

#endif /* MODULE_LOADER_H */
