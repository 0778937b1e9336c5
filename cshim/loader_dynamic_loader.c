/* loader_dynamic_loader.c - the "native" module loader in C (dynamic_loader.h).
 *
 * This is the MODULE_LOADER that C host programs put in GATEWAY_MODULES_ENTRY for
 * Gateway_Create / Gateway_AddModule (the Go runtime calls its api through the C function
 * table) and that ModuleLoader_Initialize registers under the name "native". The JSON
 * path of the Go runtime (Gateway_CreateFromJson) has its own native loader in Go.
 *
 * Memory (who allocates, who frees, how long it lives):
 * - DynamicLoader_Get: a process-wide static; never freed. Its configuration pointer is
 *   managed by the module loader registry (see loader_module_loader.c).
 * - Load: returns a malloc'd library handle (dl handle + the module's MODULE_API), owned by
 *   the caller and released with Unload (which also dlcloses the module). The entrypoint
 *   is only read during the call.
 * - GetApi: a pointer into the module's own memory, valid until Unload.
 * - ParseEntrypointFromJson: a malloc'd DYNAMIC_LOADER_ENTRYPOINT with a new STRING_HANDLE,
 *   owned by the caller, released with FreeEntrypoint. The JSON is only read.
 * - ParseConfigurationFromJson: a malloc'd MODULE_LOADER_BASE_CONFIGURATION (binding_path
 *   is a new STRING_HANDLE or NULL), released with FreeConfiguration. JSON NULL means "no
 *   configuration" and gives NULL without an error.
 * - BuildModuleConfiguration returns module_configuration itself (borrowed from the
 *   caller); FreeModuleConfiguration therefore frees nothing.
 * Thread safety: every function may be called from any thread; none keeps shared state. */
#include <stdlib.h>

#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/xlogging.h"
#include "dynamic_library.h"
#include "dynamic_loader.h"
#include "module_loader.h"
#include "parson.h"

typedef struct DYNAMIC_MODULE_HANDLE_DATA_TAG
{
    DYNAMIC_LIBRARY_HANDLE library;
    const MODULE_API* api;
} DYNAMIC_MODULE_HANDLE_DATA;

static MODULE_LIBRARY_HANDLE dynamic_loader_load(const MODULE_LOADER* loader, const void* entrypoint)
{
    const DYNAMIC_LOADER_ENTRYPOINT* ep = (const DYNAMIC_LOADER_ENTRYPOINT*)entrypoint;
    const char* path;
    DYNAMIC_LIBRARY_HANDLE library;
    pfModule_GetApi get_api;
    const MODULE_API* api;
    const MODULE_API_1* api1;
    DYNAMIC_MODULE_HANDLE_DATA* result;

    (void)loader;
    if (ep == NULL || ep->moduleLibraryFileName == NULL)
    {
        LogError("native loader: Load: the entrypoint or its moduleLibraryFileName is NULL");
        return NULL;
    }
    path = STRING_c_str(ep->moduleLibraryFileName);
    if (path == NULL || path[0] == '\0')
    {
        LogError("native loader: Load: the module path is empty");
        return NULL;
    }
    library = DynamicLibrary_LoadLibrary(path);
    if (library == NULL)
    {
        LogError("native loader: Load: cannot load module \"%s\"", path);
        return NULL;
    }
    /* Object-to-function pointer conversion: how POSIX means dlsym results to be used. */
    get_api = (pfModule_GetApi)DynamicLibrary_FindSymbol(library, MODULE_GETAPI_NAME);
    if (get_api == NULL)
    {
        LogError("native loader: Load: module \"%s\" does not export %s", path, MODULE_GETAPI_NAME);
        DynamicLibrary_UnloadLibrary(library);
        return NULL;
    }
    api = get_api(MODULE_API_VERSION_1);
    if (api == NULL)
    {
        LogError("native loader: Load: %s of module \"%s\" returned NULL", MODULE_GETAPI_NAME, path);
        DynamicLibrary_UnloadLibrary(library);
        return NULL;
    }
    if ((int)api->version > (int)MODULE_API_VERSION_1 || (int)api->version < 0)
    {
        LogError("native loader: Load: module \"%s\" has API version %d; this gateway supports up to %d", path,
                 (int)api->version, (int)MODULE_API_VERSION_1);
        DynamicLibrary_UnloadLibrary(library);
        return NULL;
    }
    api1 = (const MODULE_API_1*)api;
    if (api1->Module_Create == NULL || api1->Module_Destroy == NULL || api1->Module_Receive == NULL)
    {
        LogError("native loader: Load: module \"%s\" lacks Module_Create, Module_Destroy or Module_Receive", path);
        DynamicLibrary_UnloadLibrary(library);
        return NULL;
    }
    result = (DYNAMIC_MODULE_HANDLE_DATA*)malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("native loader: Load: out of memory for module \"%s\"", path);
        DynamicLibrary_UnloadLibrary(library);
        return NULL;
    }
    result->library = library;
    result->api = api;
    return result;
}

static void dynamic_loader_unload(const MODULE_LOADER* loader, MODULE_LIBRARY_HANDLE handle)
{
    DYNAMIC_MODULE_HANDLE_DATA* data = (DYNAMIC_MODULE_HANDLE_DATA*)handle;

    (void)loader;
    if (data == NULL)
    {
        LogError("native loader: Unload: the module library handle is NULL");
        return;
    }
    DynamicLibrary_UnloadLibrary(data->library);
    free(data);
}

static const MODULE_API* dynamic_loader_get_api(const MODULE_LOADER* loader, MODULE_LIBRARY_HANDLE handle)
{
    const DYNAMIC_MODULE_HANDLE_DATA* data = (const DYNAMIC_MODULE_HANDLE_DATA*)handle;

    (void)loader;
    if (data == NULL)
    {
        LogError("native loader: GetApi: the module library handle is NULL");
        return NULL;
    }
    return data->api;
}

static void* dynamic_loader_parse_entrypoint(const MODULE_LOADER* loader, const JSON_Value* json)
{
    const JSON_Object* object;
    const JSON_Value* path_value;
    DYNAMIC_LOADER_ENTRYPOINT* ep;

    (void)loader;
    if (json == NULL || json_value_get_type(json) != JSONObject)
    {
        LogError("native loader: entrypoint: must be a JSON object with a \"module.path\" string");
        return NULL;
    }
    object = json_value_get_object(json);
    /* "module.path" is one key containing a dot, not a path into a nested object. */
    path_value = json_object_get_value(object, "module.path");
    if (path_value == NULL || json_value_get_type(path_value) != JSONString)
    {
        LogError("native loader: entrypoint: \"module.path\" is %s (a string is required)",
                 (path_value == NULL) ? "missing" : "not a string");
        return NULL;
    }
    ep = (DYNAMIC_LOADER_ENTRYPOINT*)malloc(sizeof(*ep));
    if (ep == NULL)
    {
        LogError("native loader: entrypoint: out of memory");
        return NULL;
    }
    ep->moduleLibraryFileName = STRING_construct(json_value_get_string(path_value));
    if (ep->moduleLibraryFileName == NULL)
    {
        LogError("native loader: entrypoint: cannot copy \"module.path\"");
        free(ep);
        return NULL;
    }
    return ep;
}

static void dynamic_loader_free_entrypoint(const MODULE_LOADER* loader, void* entrypoint)
{
    DYNAMIC_LOADER_ENTRYPOINT* ep = (DYNAMIC_LOADER_ENTRYPOINT*)entrypoint;

    (void)loader;
    if (ep == NULL)
    {
        return;
    }
    STRING_delete(ep->moduleLibraryFileName);
    free(ep);
}

static MODULE_LOADER_BASE_CONFIGURATION* dynamic_loader_parse_configuration(const MODULE_LOADER* loader,
                                                                            const JSON_Value* json)
{
    MODULE_LOADER_BASE_CONFIGURATION* configuration;

    (void)loader;
    if (json == NULL)
    {
        return NULL;
    }
    configuration = (MODULE_LOADER_BASE_CONFIGURATION*)malloc(sizeof(*configuration));
    if (configuration == NULL)
    {
        LogError("native loader: configuration: out of memory");
        return NULL;
    }
    configuration->binding_path = NULL;
    if (ModuleLoader_ParseBaseConfigurationFromJson(configuration, json) != MODULE_LOADER_SUCCESS)
    {
        LogError("native loader: configuration: cannot parse the loader configuration");
        free(configuration);
        return NULL;
    }
    return configuration;
}

static void dynamic_loader_free_configuration(const MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration)
{
    (void)loader;
    if (configuration == NULL)
    {
        return;
    }
    ModuleLoader_FreeBaseConfiguration(configuration);
    free(configuration);
}

static void* dynamic_loader_build_module_configuration(const MODULE_LOADER* loader, const void* entrypoint,
                                                       const void* module_configuration)
{
    (void)loader;
    (void)entrypoint;
    /* A native module gets its own parsed configuration unchanged. */
    return (void*)module_configuration;
}

static void dynamic_loader_free_module_configuration(const MODULE_LOADER* loader, const void* module_configuration)
{
    (void)loader;
    (void)module_configuration;
}

static MODULE_LOADER_API g_dynamic_loader_api = {
    dynamic_loader_load,
    dynamic_loader_unload,
    dynamic_loader_get_api,
    dynamic_loader_parse_entrypoint,
    dynamic_loader_free_entrypoint,
    dynamic_loader_parse_configuration,
    dynamic_loader_free_configuration,
    dynamic_loader_build_module_configuration,
    dynamic_loader_free_module_configuration,
};

/* Not const: the registry (loader_module_loader.c) stores the "native" configuration here. */
static MODULE_LOADER g_dynamic_loader = {
    NATIVE,
    DYNAMIC_LOADER_NAME,
    NULL,
    &g_dynamic_loader_api,
};

const MODULE_LOADER* DynamicLoader_Get(void)
{
    return &g_dynamic_loader;
}
