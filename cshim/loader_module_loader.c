/* loader_module_loader.c - the process-wide module loader registry (module_loader.h).
 *
 * C host programs that build GATEWAY_PROPERTIES by hand use this registry to find a
 * MODULE_LOADER by name (ModuleLoader_FindByName("native")) and to configure loaders from
 * a "loaders" JSON array. The Go runtime's JSON path (Gateway_CreateFromJson /
 * Gateway_UpdateFromJson) does not use it: each Go gateway owns its own loader set.
 *
 * Default loaders. ModuleLoader_Initialize registers six loaders named native, java, node,
 * dotnet, dotnetcore and outprocess. Only "native" is backed by C here: it is the
 * DynamicLoader_Get() loader itself. The other five are registered with their proper
 * type so that names, types and the "loaders" JSON semantics behave as in the SDK, but
 * their Load, GetApi and ParseEntrypointFromJson always fail with a LogError: the Java,
 * Node.js, .NET, .NET Core and out-of-process loaders exist only in the Go runtime and are
 * reached through Gateway_CreateFromJson / Gateway_UpdateFromJson. Their
 * ParseConfigurationFromJson / FreeConfiguration do work (a MODULE_LOADER_BASE_CONFIGURATION
 * with the optional "binding.path"; other keys are ignored).
 *
 * Memory (who allocates, who frees, how long it lives):
 * - The registry is created by ModuleLoader_Initialize and freed by ModuleLoader_Destroy.
 *   The default loaders are static and live for the whole process; ModuleLoader_Destroy
 *   only frees their configuration and resets it to NULL.
 * - ModuleLoader_Add copies the caller's MODULE_LOADER (type, name string, api pointer) into
 *   a registry-owned MODULE_LOADER; the caller's struct and name stay the caller's and may
 *   be released after the call. The api table is NOT copied and must outlive the registry.
 *   The loader's configuration pointer is taken over: from then on the registry frees it
 *   with api->FreeConfiguration (on UpdateConfiguration, on a JSON replacement and in
 *   ModuleLoader_Destroy). On failure nothing is taken over.
 * - ModuleLoader_FindByName / ModuleLoader_GetDefaultLoaderForType return a pointer into
 *   the registry, valid until ModuleLoader_Destroy (forever for the default loaders).
 * - ModuleLoader_UpdateConfiguration takes ownership of configuration and frees the
 *   loader's previous configuration (if different and non-NULL) with api->FreeConfiguration.
 * - ModuleLoader_InitializeFromJson only reads the JSON. Loaders it adds are owned by the
 *   registry (copied name, api of the default loader of their type); configurations it
 *   parses belong to the registry as above. It is all-or-nothing: on failure the registry
 *   is unchanged.
 * - ModuleLoader_ParseBaseConfigurationFromJson fills a caller-owned struct with a new
 *   STRING_HANDLE (or NULL); ModuleLoader_FreeBaseConfiguration deletes that string and
 *   leaves the struct itself to the caller.
 *
 * Thread safety: every function may be called from any thread; the registry is guarded by
 * one lock (created once per process and never freed). ModuleLoader_Initialize is
 * idempotent: calling it again while the registry exists changes nothing and succeeds.
 * While the lock is held the registry calls the loaders' ParseConfigurationFromJson and
 * FreeConfiguration; those functions must not call ModuleLoader_* themselves. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/vector.h"
#include "azure_c_shared_utility/xlogging.h"
#include "dynamic_loader.h"
#include "module_loader.h"
#include "parson.h"

DEFINE_ENUM_STRINGS(MODULE_LOADER_RESULT, MODULE_LOADER_RESULT_VALUES)
DEFINE_ENUM_STRINGS(MODULE_LOADER_TYPE, MODULE_LOADER_TYPE_VALUES)

/* ---- the loaders that exist only in the Go runtime ---------------------------------- */

static const char* loader_label(const MODULE_LOADER* loader)
{
    return (loader != NULL && loader->name != NULL) ? loader->name : "(unnamed)";
}

static void log_go_only(const MODULE_LOADER* loader, const char* what)
{
    LogError("module loader \"%s\" (type %s): %s: this loader is only available through Gateway_CreateFromJson / "
             "Gateway_UpdateFromJson (the Go runtime); the C module loader API implements only the native loader",
             loader_label(loader), (loader != NULL) ? MODULE_LOADER_TYPEStrings(loader->type) : "?", what);
}

static MODULE_LIBRARY_HANDLE go_only_load(const MODULE_LOADER* loader, const void* entrypoint)
{
    (void)entrypoint;
    log_go_only(loader, "Load");
    return NULL;
}

static void go_only_unload(const MODULE_LOADER* loader, MODULE_LIBRARY_HANDLE handle)
{
    /* Load never succeeds, so there is never anything to unload. */
    (void)loader;
    (void)handle;
}

static const MODULE_API* go_only_get_api(const MODULE_LOADER* loader, MODULE_LIBRARY_HANDLE handle)
{
    (void)handle;
    log_go_only(loader, "GetApi");
    return NULL;
}

static void* go_only_parse_entrypoint(const MODULE_LOADER* loader, const JSON_Value* json)
{
    (void)json;
    log_go_only(loader, "ParseEntrypointFromJson");
    return NULL;
}

static void go_only_free_entrypoint(const MODULE_LOADER* loader, void* entrypoint)
{
    (void)loader;
    (void)entrypoint;
}

static MODULE_LOADER_BASE_CONFIGURATION* go_only_parse_configuration(const MODULE_LOADER* loader, const JSON_Value* json)
{
    MODULE_LOADER_BASE_CONFIGURATION* configuration;

    if (json == NULL)
    {
        return NULL;
    }
    configuration = (MODULE_LOADER_BASE_CONFIGURATION*)malloc(sizeof(*configuration));
    if (configuration == NULL)
    {
        LogError("module loader \"%s\": configuration: out of memory", loader_label(loader));
        return NULL;
    }
    configuration->binding_path = NULL;
    if (ModuleLoader_ParseBaseConfigurationFromJson(configuration, json) != MODULE_LOADER_SUCCESS)
    {
        LogError("module loader \"%s\": cannot parse its configuration", loader_label(loader));
        free(configuration);
        return NULL;
    }
    return configuration;
}

static void go_only_free_configuration(const MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration)
{
    (void)loader;
    if (configuration != NULL)
    {
        ModuleLoader_FreeBaseConfiguration(configuration);
        free(configuration);
    }
}

static void* go_only_build_module_configuration(const MODULE_LOADER* loader, const void* entrypoint,
                                                const void* module_configuration)
{
    (void)loader;
    (void)entrypoint;
    (void)module_configuration;
    return NULL;
}

static void go_only_free_module_configuration(const MODULE_LOADER* loader, const void* module_configuration)
{
    (void)loader;
    (void)module_configuration;
}

static MODULE_LOADER_API g_go_only_api = {
    go_only_load,
    go_only_unload,
    go_only_get_api,
    go_only_parse_entrypoint,
    go_only_free_entrypoint,
    go_only_parse_configuration,
    go_only_free_configuration,
    go_only_build_module_configuration,
    go_only_free_module_configuration,
};

static MODULE_LOADER g_java_loader = { JAVA, JAVA_LOADER_NAME, NULL, &g_go_only_api };
static MODULE_LOADER g_node_loader = { NODEJS, NODE_LOADER_NAME, NULL, &g_go_only_api };
static MODULE_LOADER g_dotnet_loader = { DOTNET, DOTNET_LOADER_NAME, NULL, &g_go_only_api };
static MODULE_LOADER g_dotnetcore_loader = { DOTNETCORE, DOTNETCORE_LOADER_NAME, NULL, &g_go_only_api };
static MODULE_LOADER g_outprocess_loader = { OUTPROCESS, OUTPROCESS_LOADER_NAME, NULL, &g_go_only_api };

static const char* const g_default_names[] = {
    DYNAMIC_LOADER_NAME, JAVA_LOADER_NAME, NODE_LOADER_NAME, DOTNET_LOADER_NAME, DOTNETCORE_LOADER_NAME,
    OUTPROCESS_LOADER_NAME,
};

/* ---- the registry ------------------------------------------------------------------- */

typedef struct REGISTRY_ENTRY_TAG
{
    MODULE_LOADER* loader;
    bool owned; /* allocated by the registry (struct and name), freed by ModuleLoader_Destroy */
} REGISTRY_ENTRY;

static pthread_once_t g_lock_once = PTHREAD_ONCE_INIT;
static LOCK_HANDLE g_lock;       /* created once, never freed */
static VECTOR_HANDLE g_registry; /* of REGISTRY_ENTRY; NULL when not initialized */

static void create_registry_lock(void)
{
    g_lock = Lock_Init();
}

static bool registry_lock(const char* caller)
{
    (void)pthread_once(&g_lock_once, create_registry_lock);
    if (g_lock == NULL || Lock(g_lock) != LOCK_OK)
    {
        LogError("%s: cannot take the module loader registry lock", caller);
        return false;
    }
    return true;
}

static void registry_unlock(void)
{
    (void)Unlock(g_lock);
}

static char* copy_name(const char* name)
{
    size_t n = strlen(name) + 1;
    char* copy = (char*)malloc(n);
    if (copy != NULL)
    {
        memcpy(copy, name, n);
    }
    return copy;
}

static void free_owned_loader(MODULE_LOADER* loader)
{
    free((char*)loader->name);
    free(loader);
}

/* Releases a configuration the registry owns, with the loader's own function. */
static void release_configuration(MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration)
{
    if (configuration == NULL)
    {
        return;
    }
    if (loader->api != NULL && loader->api->FreeConfiguration != NULL)
    {
        loader->api->FreeConfiguration(loader, configuration);
    }
    else
    {
        LogError("module loader \"%s\": no FreeConfiguration function; its configuration is leaked", loader_label(loader));
    }
}

static MODULE_LOADER* find_locked(const char* name)
{
    size_t i;
    size_t n = VECTOR_size(g_registry);
    for (i = 0; i < n; i++)
    {
        REGISTRY_ENTRY* entry = (REGISTRY_ENTRY*)VECTOR_element(g_registry, i);
        if (entry->loader->name != NULL && strcmp(entry->loader->name, name) == 0)
        {
            return entry->loader;
        }
    }
    return NULL;
}

static MODULE_LOADER* default_for_type_locked(MODULE_LOADER_TYPE type)
{
    size_t i;
    size_t n = VECTOR_size(g_registry);
    for (i = 0; i < n; i++)
    {
        REGISTRY_ENTRY* entry = (REGISTRY_ENTRY*)VECTOR_element(g_registry, i);
        if (entry->loader->type == type && ModuleLoader_IsDefaultLoader(entry->loader->name))
        {
            return entry->loader;
        }
    }
    return NULL;
}

MODULE_LOADER_RESULT ModuleLoader_Initialize(void)
{
    MODULE_LOADER* defaults[6];
    VECTOR_HANDLE registry;
    size_t i;

    if (!registry_lock("ModuleLoader_Initialize"))
    {
        return MODULE_LOADER_ERROR;
    }
    if (g_registry != NULL)
    {
        registry_unlock();
        return MODULE_LOADER_SUCCESS;
    }
    /* The native loader is a static that DynamicLoader_Get hands out as const; the object
     * itself is writable and the registry manages its configuration. */
    defaults[0] = (MODULE_LOADER*)DynamicLoader_Get();
    defaults[1] = &g_java_loader;
    defaults[2] = &g_node_loader;
    defaults[3] = &g_dotnet_loader;
    defaults[4] = &g_dotnetcore_loader;
    defaults[5] = &g_outprocess_loader;
    registry = VECTOR_create(sizeof(REGISTRY_ENTRY));
    if (registry == NULL)
    {
        registry_unlock();
        LogError("ModuleLoader_Initialize: out of memory");
        return MODULE_LOADER_ERROR;
    }
    for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
    {
        REGISTRY_ENTRY entry;
        entry.loader = defaults[i];
        entry.owned = false;
        if (VECTOR_push_back(registry, &entry, 1) != 0)
        {
            VECTOR_destroy(registry);
            registry_unlock();
            LogError("ModuleLoader_Initialize: out of memory");
            return MODULE_LOADER_ERROR;
        }
    }
    g_registry = registry;
    registry_unlock();
    return MODULE_LOADER_SUCCESS;
}

MODULE_LOADER_RESULT ModuleLoader_Add(const MODULE_LOADER* loader)
{
    MODULE_LOADER* copy;
    REGISTRY_ENTRY entry;

    if (loader == NULL || loader->name == NULL || loader->name[0] == '\0' || loader->api == NULL)
    {
        LogError("ModuleLoader_Add: invalid argument (loader=%p, name=%s, api=%p)", (const void*)loader,
                 (loader != NULL && loader->name != NULL) ? loader->name : "NULL",
                 (loader != NULL) ? (const void*)loader->api : NULL);
        return MODULE_LOADER_ERROR;
    }
    if (!registry_lock("ModuleLoader_Add"))
    {
        return MODULE_LOADER_ERROR;
    }
    if (g_registry == NULL)
    {
        registry_unlock();
        LogError("ModuleLoader_Add: loader \"%s\": ModuleLoader_Initialize has not been called", loader->name);
        return MODULE_LOADER_ERROR;
    }
    if (find_locked(loader->name) != NULL)
    {
        registry_unlock();
        LogError("ModuleLoader_Add: a loader named \"%s\" already exists", loader->name);
        return MODULE_LOADER_ERROR;
    }
    copy = (MODULE_LOADER*)malloc(sizeof(*copy));
    if (copy != NULL)
    {
        copy->name = copy_name(loader->name);
    }
    if (copy == NULL || copy->name == NULL)
    {
        free(copy);
        registry_unlock();
        LogError("ModuleLoader_Add: loader \"%s\": out of memory", loader->name);
        return MODULE_LOADER_ERROR;
    }
    copy->type = loader->type;
    copy->api = loader->api;
    copy->configuration = loader->configuration;
    entry.loader = copy;
    entry.owned = true;
    if (VECTOR_push_back(g_registry, &entry, 1) != 0)
    {
        free_owned_loader(copy);
        registry_unlock();
        LogError("ModuleLoader_Add: loader \"%s\": out of memory", loader->name);
        return MODULE_LOADER_ERROR;
    }
    registry_unlock();
    return MODULE_LOADER_SUCCESS;
}

MODULE_LOADER_RESULT ModuleLoader_UpdateConfiguration(MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* configuration)
{
    MODULE_LOADER_BASE_CONFIGURATION* old;

    if (loader == NULL)
    {
        LogError("ModuleLoader_UpdateConfiguration: the loader is NULL");
        return MODULE_LOADER_ERROR;
    }
    if (!registry_lock("ModuleLoader_UpdateConfiguration"))
    {
        return MODULE_LOADER_ERROR;
    }
    old = loader->configuration;
    loader->configuration = configuration;
    if (old != configuration)
    {
        release_configuration(loader, old);
    }
    registry_unlock();
    return MODULE_LOADER_SUCCESS;
}

MODULE_LOADER* ModuleLoader_FindByName(const char* name)
{
    MODULE_LOADER* found;

    if (name == NULL)
    {
        LogError("ModuleLoader_FindByName: the name is NULL");
        return NULL;
    }
    if (!registry_lock("ModuleLoader_FindByName"))
    {
        return NULL;
    }
    found = (g_registry != NULL) ? find_locked(name) : NULL;
    registry_unlock();
    return found;
}

MODULE_LOADER* ModuleLoader_GetDefaultLoaderForType(MODULE_LOADER_TYPE type)
{
    MODULE_LOADER* found;

    if (!registry_lock("ModuleLoader_GetDefaultLoaderForType"))
    {
        return NULL;
    }
    found = (g_registry != NULL && type != UNKNOWN) ? default_for_type_locked(type) : NULL;
    registry_unlock();
    return found;
}

MODULE_LOADER_TYPE ModuleLoader_ParseType(const char* type)
{
    if (type == NULL)
    {
        return UNKNOWN;
    }
    if (strcmp(type, "native") == 0)
    {
        return NATIVE;
    }
    if (strcmp(type, "java") == 0)
    {
        return JAVA;
    }
    if (strcmp(type, "node") == 0)
    {
        return NODEJS;
    }
    if (strcmp(type, "dotnet") == 0)
    {
        return DOTNET;
    }
    if (strcmp(type, "dotnetcore") == 0)
    {
        return DOTNETCORE;
    }
    if (strcmp(type, "outprocess") == 0)
    {
        return OUTPROCESS;
    }
    return UNKNOWN;
}

bool ModuleLoader_IsDefaultLoader(const char* name)
{
    size_t i;

    if (name == NULL)
    {
        return false;
    }
    for (i = 0; i < sizeof(g_default_names) / sizeof(g_default_names[0]); i++)
    {
        if (strcmp(name, g_default_names[i]) == 0)
        {
            return true;
        }
    }
    return false;
}

/* One "loaders" entry, parsed but not yet applied. */
typedef struct LOADER_PLAN_TAG
{
    MODULE_LOADER* target; /* an existing registry loader, or a new one (is_new) */
    bool is_new;
    MODULE_LOADER_BASE_CONFIGURATION* configuration;
} LOADER_PLAN;

static void discard_plans(LOADER_PLAN* plans, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        release_configuration(plans[i].target, plans[i].configuration);
        if (plans[i].is_new)
        {
            free_owned_loader(plans[i].target);
        }
    }
    free(plans);
}

/* Parses entry index of the array into plan; plans[0..index) are the entries before it. */
static bool plan_entry(const JSON_Value* value, size_t index, LOADER_PLAN* plans, LOADER_PLAN* plan)
{
    const JSON_Object* object;
    const char* type_text;
    const char* name;
    const JSON_Value* configuration_json;
    MODULE_LOADER_TYPE type;
    MODULE_LOADER* existing;
    size_t j;

    plan->target = NULL;
    plan->is_new = false;
    plan->configuration = NULL;
    if (json_value_get_type(value) != JSONObject)
    {
        LogError("module loaders: loaders[%zu]: must be an object with \"type\" and \"name\"", index);
        return false;
    }
    object = json_value_get_object(value);
    type_text = json_object_get_string(object, "type");
    name = json_object_get_string(object, "name");
    if (type_text == NULL)
    {
        LogError("module loaders: loaders[%zu].type: missing or not a string", index);
        return false;
    }
    if (name == NULL || name[0] == '\0')
    {
        LogError("module loaders: loaders[%zu].name: missing, empty or not a string", index);
        return false;
    }
    type = ModuleLoader_ParseType(type_text);
    if (type == UNKNOWN)
    {
        LogError("module loaders: loaders[%zu] (\"%s\").type: unknown loader type \"%s\" (known: native, java, node, "
                 "dotnet, dotnetcore, outprocess)", index, name, type_text);
        return false;
    }
    for (j = 0; j < index; j++)
    {
        if (strcmp(plans[j].target->name, name) == 0)
        {
            LogError("module loaders: loaders[%zu].name: duplicate loader \"%s\"", index, name);
            return false;
        }
    }
    existing = find_locked(name);
    if (existing != NULL)
    {
        if (existing->type != type)
        {
            LogError("module loaders: loaders[%zu] (\"%s\"): type \"%s\" does not match the existing loader's type %s",
                     index, name, type_text, MODULE_LOADER_TYPEStrings(existing->type));
            return false;
        }
        plan->target = existing;
    }
    else
    {
        MODULE_LOADER* base = default_for_type_locked(type);
        MODULE_LOADER* created;
        if (base == NULL)
        {
            LogError("module loaders: loaders[%zu] (\"%s\"): no default loader of type \"%s\"", index, name, type_text);
            return false;
        }
        created = (MODULE_LOADER*)malloc(sizeof(*created));
        if (created != NULL)
        {
            created->name = copy_name(name);
        }
        if (created == NULL || created->name == NULL)
        {
            free(created);
            LogError("module loaders: loaders[%zu] (\"%s\"): out of memory", index, name);
            return false;
        }
        created->type = type;
        created->configuration = NULL;
        created->api = base->api;
        plan->target = created;
        plan->is_new = true;
    }
    configuration_json = json_object_get_value(object, "configuration");
    if (configuration_json != NULL && json_value_get_type(configuration_json) != JSONNull)
    {
        if (plan->target->api == NULL || plan->target->api->ParseConfigurationFromJson == NULL)
        {
            LogError("module loaders: loaders[%zu] (\"%s\").configuration: the loader cannot parse a configuration",
                     index, name);
        }
        else
        {
            plan->configuration = plan->target->api->ParseConfigurationFromJson(plan->target, configuration_json);
        }
        if (plan->configuration == NULL)
        {
            LogError("module loaders: loaders[%zu] (\"%s\").configuration: invalid", index, name);
            if (plan->is_new)
            {
                free_owned_loader(plan->target);
            }
            plan->target = NULL;
            plan->is_new = false;
            return false;
        }
    }
    return true;
}

MODULE_LOADER_RESULT ModuleLoader_InitializeFromJson(const JSON_Value* loaders)
{
    const JSON_Array* array;
    size_t count;
    size_t i;
    size_t before;
    size_t pushed = 0;
    LOADER_PLAN* plans;

    if (loaders == NULL || json_value_get_type(loaders) != JSONArray)
    {
        LogError("ModuleLoader_InitializeFromJson: \"loaders\" must be a JSON array");
        return MODULE_LOADER_ERROR;
    }
    array = json_value_get_array(loaders);
    count = json_array_get_count(array);
    if (!registry_lock("ModuleLoader_InitializeFromJson"))
    {
        return MODULE_LOADER_ERROR;
    }
    if (g_registry == NULL)
    {
        registry_unlock();
        LogError("ModuleLoader_InitializeFromJson: ModuleLoader_Initialize has not been called");
        return MODULE_LOADER_ERROR;
    }
    if (count == 0)
    {
        registry_unlock();
        return MODULE_LOADER_SUCCESS;
    }
    plans = (LOADER_PLAN*)calloc(count, sizeof(*plans));
    if (plans == NULL)
    {
        registry_unlock();
        LogError("ModuleLoader_InitializeFromJson: out of memory");
        return MODULE_LOADER_ERROR;
    }
    /* Phase 1: parse and check every entry; nothing is changed yet. */
    for (i = 0; i < count; i++)
    {
        if (!plan_entry(json_array_get_value(array, i), i, plans, &plans[i]))
        {
            discard_plans(plans, i);
            registry_unlock();
            return MODULE_LOADER_ERROR;
        }
    }
    /* Phase 2a: add the new loaders (the only step that can fail; undone on failure). */
    before = VECTOR_size(g_registry);
    for (i = 0; i < count; i++)
    {
        if (plans[i].is_new)
        {
            REGISTRY_ENTRY entry;
            entry.loader = plans[i].target;
            entry.owned = true;
            if (VECTOR_push_back(g_registry, &entry, 1) != 0)
            {
                if (pushed > 0)
                {
                    VECTOR_erase(g_registry, VECTOR_element(g_registry, before), pushed);
                }
                discard_plans(plans, count);
                registry_unlock();
                LogError("ModuleLoader_InitializeFromJson: out of memory");
                return MODULE_LOADER_ERROR;
            }
            pushed++;
        }
    }
    /* Phase 2b: install the configurations, releasing those they replace. */
    for (i = 0; i < count; i++)
    {
        MODULE_LOADER_BASE_CONFIGURATION* old = plans[i].target->configuration;
        plans[i].target->configuration = plans[i].configuration;
        if (old != plans[i].configuration)
        {
            release_configuration(plans[i].target, old);
        }
    }
    free(plans);
    registry_unlock();
    return MODULE_LOADER_SUCCESS;
}

void ModuleLoader_Destroy(void)
{
    size_t i;
    size_t n;

    if (!registry_lock("ModuleLoader_Destroy"))
    {
        return;
    }
    if (g_registry == NULL)
    {
        registry_unlock();
        return;
    }
    n = VECTOR_size(g_registry);
    for (i = 0; i < n; i++)
    {
        REGISTRY_ENTRY* entry = (REGISTRY_ENTRY*)VECTOR_element(g_registry, i);
        MODULE_LOADER_BASE_CONFIGURATION* configuration = entry->loader->configuration;
        entry->loader->configuration = NULL;
        release_configuration(entry->loader, configuration);
        if (entry->owned)
        {
            free_owned_loader(entry->loader);
        }
    }
    VECTOR_destroy(g_registry);
    g_registry = NULL;
    registry_unlock();
}

MODULE_LOADER_RESULT ModuleLoader_ParseBaseConfigurationFromJson(MODULE_LOADER_BASE_CONFIGURATION* configuration,
                                                                 const JSON_Value* json)
{
    const JSON_Value* binding_path;

    if (configuration == NULL)
    {
        LogError("ModuleLoader_ParseBaseConfigurationFromJson: the configuration is NULL");
        return MODULE_LOADER_ERROR;
    }
    configuration->binding_path = NULL;
    if (json == NULL || json_value_get_type(json) != JSONObject)
    {
        LogError("ModuleLoader_ParseBaseConfigurationFromJson: the loader configuration must be a JSON object");
        return MODULE_LOADER_ERROR;
    }
    /* "binding.path" is one key containing a dot. */
    binding_path = json_object_get_value(json_value_get_object(json), "binding.path");
    if (binding_path == NULL)
    {
        return MODULE_LOADER_SUCCESS;
    }
    if (json_value_get_type(binding_path) != JSONString)
    {
        LogError("ModuleLoader_ParseBaseConfigurationFromJson: \"binding.path\" must be a string");
        return MODULE_LOADER_ERROR;
    }
    configuration->binding_path = STRING_construct(json_value_get_string(binding_path));
    if (configuration->binding_path == NULL)
    {
        LogError("ModuleLoader_ParseBaseConfigurationFromJson: cannot copy \"binding.path\"");
        return MODULE_LOADER_ERROR;
    }
    return MODULE_LOADER_SUCCESS;
}

void ModuleLoader_FreeBaseConfiguration(MODULE_LOADER_BASE_CONFIGURATION* configuration)
{
    if (configuration == NULL)
    {
        return;
    }
    STRING_delete(configuration->binding_path);
    configuration->binding_path = NULL;
}
