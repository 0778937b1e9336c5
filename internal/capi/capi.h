/* capi.h - private declarations shared by the C and Go halves of package capi. */
#ifndef GW_CAPI_H
#define GW_CAPI_H

#include <stdint.h>
#include "gateway.h"
#include "experimental/event_system.h"

/* A module created through a C MODULE_LOADER (Gateway_Create / Gateway_AddModule). */
typedef struct GW_CMODULE_TAG
{
    const MODULE_LOADER* loader;
    MODULE_LIBRARY_HANDLE library;
    const MODULE_API* api;
    MODULE_HANDLE handle;
} GW_CMODULE;

/* Runs Load -> GetApi -> BuildModuleConfiguration -> Module_Create ->
 * FreeModuleConfiguration for one entry. Returns 0 and fills out on success; on
 * failure everything done is undone and a static reason is returned in *why. */
int gw_cmodule_create(const GATEWAY_MODULES_ENTRY* entry, BROKER_HANDLE broker, GW_CMODULE* out, const char** why);
/* Unloads the module's library (after Module_Destroy). */
void gw_cmodule_unload(GW_CMODULE* m);

/* Module list helpers (Gateway_GetModuleList). */
VECTOR_HANDLE gw_modlist_new(void);
int gw_modlist_add(VECTOR_HANDLE list, const char* name);
int gw_modlist_add_source(VECTOR_HANDLE list, size_t sink_index, long source_index);

void gw_call_event_callback(GATEWAY_CALLBACK cb, uintptr_t gw, int event, void* ctx, void* user);

/* Implemented in Go (cgo export signatures take char*; callers cast, Go only reads). */
extern uintptr_t gw_go_gateway_create_from_json(char* path);
extern uintptr_t gw_go_gateway_create(uintptr_t properties);
extern int gw_go_gateway_start(uintptr_t gw);
extern void gw_go_gateway_destroy(uintptr_t gw);
extern uintptr_t gw_go_gateway_add_module(uintptr_t gw, uintptr_t entry);
extern int gw_go_gateway_start_module(uintptr_t gw, uintptr_t module);
extern void gw_go_gateway_remove_module(uintptr_t gw, uintptr_t module);
extern int gw_go_gateway_remove_module_by_name(uintptr_t gw, char* name);
extern int gw_go_gateway_add_link(uintptr_t gw, char* source, char* sink);
extern int gw_go_gateway_remove_link(uintptr_t gw, char* source, char* sink);
extern int gw_go_gateway_update_from_json(uintptr_t gw, char* json);
extern void gw_go_gateway_add_event_callback(uintptr_t gw, int event, uintptr_t callback, uintptr_t user);
extern uintptr_t gw_go_gateway_get_module_list(uintptr_t gw);

#endif /* GW_CAPI_H */
