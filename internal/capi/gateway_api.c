/* gateway_api.c - the exported gateway.h and experimental/event_system.h API. The
 * gateway itself is Go (internal/gateway); these functions check arguments and forward.
 * Ownership is documented in gateway.h and docs/abi.md. */
#include <stdlib.h>
#include <string.h>
#include "capi.h"
#include "azure_c_shared_utility/vector.h"

DEFINE_ENUM_STRINGS(GATEWAY_START_RESULT, GATEWAY_START_RESULT_VALUES)
DEFINE_ENUM_STRINGS(GATEWAY_ADD_LINK_RESULT, GATEWAY_ADD_LINK_RESULT_VALUES)
DEFINE_ENUM_STRINGS(GATEWAY_UPDATE_FROM_JSON_RESULT, GATEWAY_UPDATE_FROM_JSON_RESULT_VALUES)
DEFINE_ENUM_STRINGS(GATEWAY_EVENT, GATEWAY_EVENT_VALUES)

GATEWAY_HANDLE Gateway_CreateFromJson(const char* file_path)
{
    if (file_path == NULL)
    {
        return NULL;
    }
    return (GATEWAY_HANDLE)gw_go_gateway_create_from_json((char*)file_path);
}

GATEWAY_HANDLE Gateway_Create(const GATEWAY_PROPERTIES* properties)
{
    return (GATEWAY_HANDLE)gw_go_gateway_create((uintptr_t)properties);
}

GATEWAY_START_RESULT Gateway_Start(GATEWAY_HANDLE gw)
{
    if (gw == NULL)
    {
        return GATEWAY_START_INVALID_ARGS;
    }
    return (GATEWAY_START_RESULT)gw_go_gateway_start((uintptr_t)gw);
}

void Gateway_Destroy(GATEWAY_HANDLE gw)
{
    if (gw != NULL)
    {
        gw_go_gateway_destroy((uintptr_t)gw);
    }
}

MODULE_HANDLE Gateway_AddModule(GATEWAY_HANDLE gw, const GATEWAY_MODULES_ENTRY* entry)
{
    if (gw == NULL || entry == NULL || entry->module_name == NULL || entry->module_loader_info.loader == NULL)
    {
        return NULL;
    }
    return (MODULE_HANDLE)gw_go_gateway_add_module((uintptr_t)gw, (uintptr_t)entry);
}

GATEWAY_START_RESULT Gateway_StartModule(GATEWAY_HANDLE gw, MODULE_HANDLE module)
{
    if (gw == NULL || module == NULL)
    {
        return GATEWAY_START_INVALID_ARGS;
    }
    return (GATEWAY_START_RESULT)gw_go_gateway_start_module((uintptr_t)gw, (uintptr_t)module);
}

void Gateway_RemoveModule(GATEWAY_HANDLE gw, MODULE_HANDLE module)
{
    if (gw != NULL && module != NULL)
    {
        gw_go_gateway_remove_module((uintptr_t)gw, (uintptr_t)module);
    }
}

int Gateway_RemoveModuleByName(GATEWAY_HANDLE gw, const char* module_name)
{
    if (gw == NULL || module_name == NULL)
    {
        return __LINE__;
    }
    return gw_go_gateway_remove_module_by_name((uintptr_t)gw, (char*)module_name);
}

GATEWAY_ADD_LINK_RESULT Gateway_AddLink(GATEWAY_HANDLE gw, const GATEWAY_LINK_ENTRY* entryLink)
{
    if (gw == NULL || entryLink == NULL || entryLink->module_source == NULL || entryLink->module_sink == NULL)
    {
        return GATEWAY_ADD_LINK_INVALID_ARG;
    }
    return (GATEWAY_ADD_LINK_RESULT)gw_go_gateway_add_link((uintptr_t)gw, (char*)entryLink->module_source, (char*)entryLink->module_sink);
}

void Gateway_RemoveLink(GATEWAY_HANDLE gw, const GATEWAY_LINK_ENTRY* entryLink)
{
    if (gw != NULL && entryLink != NULL && entryLink->module_source != NULL && entryLink->module_sink != NULL)
    {
        (void)gw_go_gateway_remove_link((uintptr_t)gw, (char*)entryLink->module_source, (char*)entryLink->module_sink);
    }
}

GATEWAY_UPDATE_FROM_JSON_RESULT Gateway_UpdateFromJson(GATEWAY_HANDLE gw, const char* json_content)
{
    if (gw == NULL || json_content == NULL)
    {
        return GATEWAY_UPDATE_FROM_JSON_INVALID_ARG;
    }
    return (GATEWAY_UPDATE_FROM_JSON_RESULT)gw_go_gateway_update_from_json((uintptr_t)gw, (char*)json_content);
}

void Gateway_AddEventCallback(GATEWAY_HANDLE gw, GATEWAY_EVENT event_type, GATEWAY_CALLBACK callback, void* user_param)
{
    if (gw != NULL && callback != NULL && (int)event_type >= 0 && (int)event_type < GATEWAY_EVENTS_COUNT)
    {
        gw_go_gateway_add_event_callback((uintptr_t)gw, (int)event_type, (uintptr_t)callback, (uintptr_t)user_param);
    }
}

VECTOR_HANDLE Gateway_GetModuleList(GATEWAY_HANDLE gw)
{
    if (gw == NULL)
    {
        return NULL;
    }
    return (VECTOR_HANDLE)gw_go_gateway_get_module_list((uintptr_t)gw);
}

void Gateway_DestroyModuleList(VECTOR_HANDLE module_list)
{
    size_t i, n;
    if (module_list == NULL)
    {
        return;
    }
    n = VECTOR_size(module_list);
    for (i = 0; i < n; i++)
    {
        GATEWAY_MODULE_INFO* info = (GATEWAY_MODULE_INFO*)VECTOR_element(module_list, i);
        free((void*)info->module_name);
        VECTOR_destroy(info->module_sources);
    }
    VECTOR_destroy(module_list);
}

/* ---- helpers used by the Go side ---- */

VECTOR_HANDLE gw_modlist_new(void)
{
    return VECTOR_create(sizeof(GATEWAY_MODULE_INFO));
}

int gw_modlist_add(VECTOR_HANDLE list, const char* name)
{
    GATEWAY_MODULE_INFO info;
    size_t len = strlen(name) + 1;
    char* copy = (char*)malloc(len);
    if (copy == NULL)
    {
        return __LINE__;
    }
    memcpy(copy, name, len);
    info.module_name = copy;
    info.module_sources = VECTOR_create(sizeof(GATEWAY_MODULE_INFO*));
    if (info.module_sources == NULL || VECTOR_push_back(list, &info, 1) != 0)
    {
        VECTOR_destroy(info.module_sources);
        free(copy);
        return __LINE__;
    }
    return 0;
}

/* Adds source_index (or NULL for "*", when source_index < 0) to the sources of the
 * module at sink_index. Must be called after every module was added (the vector's
 * storage no longer moves). */
int gw_modlist_add_source(VECTOR_HANDLE list, size_t sink_index, long source_index)
{
    GATEWAY_MODULE_INFO* sink = (GATEWAY_MODULE_INFO*)VECTOR_element(list, sink_index);
    GATEWAY_MODULE_INFO* source = source_index < 0 ? NULL : (GATEWAY_MODULE_INFO*)VECTOR_element(list, (size_t)source_index);
    if (sink == NULL)
    {
        return __LINE__;
    }
    return VECTOR_push_back(sink->module_sources, &source, 1);
}

void gw_call_event_callback(GATEWAY_CALLBACK cb, uintptr_t gw, int event, void* ctx, void* user)
{
    cb((GATEWAY_HANDLE)gw, (GATEWAY_EVENT)event, ctx, user);
}

int gw_cmodule_create(const GATEWAY_MODULES_ENTRY* entry, BROKER_HANDLE broker, GW_CMODULE* out, const char** why)
{
    const MODULE_LOADER* loader = entry->module_loader_info.loader;
    const MODULE_API_1* api1;
    void* cfg;
    memset(out, 0, sizeof(*out));
    if (loader->api == NULL || loader->api->Load == NULL || loader->api->GetApi == NULL || loader->api->Unload == NULL)
    {
        *why = "the module loader has no Load/GetApi/Unload";
        return __LINE__;
    }
    out->loader = loader;
    out->library = loader->api->Load(loader, entry->module_loader_info.entrypoint);
    if (out->library == NULL)
    {
        *why = "the module loader's Load failed";
        return __LINE__;
    }
    out->api = loader->api->GetApi(loader, out->library);
    api1 = (const MODULE_API_1*)out->api;
    if (out->api == NULL || out->api->version > MODULE_API_VERSION_1 || api1->Module_Create == NULL || api1->Module_Destroy == NULL || api1->Module_Receive == NULL)
    {
        loader->api->Unload(loader, out->library);
        *why = "the module's API is NULL, of an unsupported version, or lacks Create/Destroy/Receive";
        return __LINE__;
    }
    cfg = (void*)entry->module_configuration;
    if (loader->api->BuildModuleConfiguration != NULL)
    {
        cfg = loader->api->BuildModuleConfiguration(loader, entry->module_loader_info.entrypoint, entry->module_configuration);
    }
    out->handle = api1->Module_Create(broker, cfg);
    if (loader->api->BuildModuleConfiguration != NULL && loader->api->FreeModuleConfiguration != NULL)
    {
        loader->api->FreeModuleConfiguration(loader, cfg);
    }
    if (out->handle == NULL)
    {
        loader->api->Unload(loader, out->library);
        *why = "Module_Create failed (returned NULL)";
        return __LINE__;
    }
    return 0;
}

void gw_cmodule_unload(GW_CMODULE* m)
{
    if (m->loader != NULL && m->library != NULL)
    {
        m->loader->api->Unload(m->loader, m->library);
        m->library = NULL;
    }
}
