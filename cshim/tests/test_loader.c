/* test_loader.c - tests of dynamic_library.h, dynamic_loader.h and module_loader.h.
 *
 * Usage: test_loader GOOD BAD_VERSION NO_CREATE NULL_API NO_GETAPI
 * (paths of fixture_module.c built as shared objects in its five variants; see
 * run_loader_tests.sh). Prints "N passed, M failed"; exits non-zero on any failure. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <stddef.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/xlogging.h"
#include "dynamic_library.h"
#include "dynamic_loader.h"
#include "module.h"
#include "module_loader.h"
#include "parson.h"

/* from test_support.c: records what the code under test logs */
int test_log_count(void);
int test_log_last_category(void);
const char* test_log_last(void);
void test_log_reset(void);

/* ---- a tiny assertion framework -------------------------------------------------------- */

static int g_passed;
static int g_failed;
static const char* g_test = "";

static void record(bool ok, const char* file, int line, const char* what)
{
    if (ok)
    {
        g_passed++;
        return;
    }
    g_failed++;
    fprintf(stderr, "FAIL [%s] %s:%d: %s\n", g_test, file, line, what);
}

#define CHECK(cond) record((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_STR(expected, actual) \
    do \
    { \
        const char* e_ = (expected); \
        const char* a_ = (actual); \
        bool ok_ = (e_ == NULL && a_ == NULL) || (e_ != NULL && a_ != NULL && strcmp(e_, a_) == 0); \
        char m_[512]; \
        snprintf(m_, sizeof(m_), "%s: expected \"%s\", got \"%s\"", #actual, e_ ? e_ : "(null)", a_ ? a_ : "(null)"); \
        record(ok_, __FILE__, __LINE__, m_); \
    } while (0)
/* An error was logged since the last test_log_reset() and the last line contains text. */
#define CHECK_LOGGED(text) \
    do \
    { \
        char m_[512]; \
        bool ok_ = test_log_count() > 0 && test_log_last_category() == AZ_LOG_ERROR && \
                   strstr(test_log_last(), (text)) != NULL; \
        snprintf(m_, sizeof(m_), "error log containing \"%s\" (count %d, last \"%s\")", (text), test_log_count(), \
                 test_log_last()); \
        record(ok_, __FILE__, __LINE__, m_); \
    } while (0)

#define RUN(fn) \
    do \
    { \
        g_test = #fn; \
        test_log_reset(); \
        fn(); \
    } while (0)

static const char* g_good;
static const char* g_bad_version;
static const char* g_no_create;
static const char* g_null_api;
static const char* g_no_getapi;

static JSON_Value* parse(const char* text)
{
    JSON_Value* v = json_parse_string(text);
    if (v == NULL)
    {
        fprintf(stderr, "test bug: cannot parse %s\n", text);
        abort();
    }
    return v;
}

static bool module_is_loaded(const char* path)
{
    void* h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (h == NULL)
    {
        return false;
    }
    dlclose(h);
    return true;
}

static const char* binding_path_of(const MODULE_LOADER* loader)
{
    if (loader == NULL || loader->configuration == NULL || loader->configuration->binding_path == NULL)
    {
        return NULL;
    }
    return STRING_c_str(loader->configuration->binding_path);
}

/* ---- dynamic_library.h ---------------------------------------------------------------- */

static void test_dynamic_library_null_and_missing(void)
{
    CHECK(DynamicLibrary_LoadLibrary(NULL) == NULL);
    CHECK_LOGGED("NULL");

    test_log_reset();
    CHECK(DynamicLibrary_LoadLibrary("/nonexistent/dir/libnothing.so") == NULL);
    CHECK_LOGGED("/nonexistent/dir/libnothing.so");
    /* the dlerror text is part of the message */
    CHECK(strstr(test_log_last(), "No such file") != NULL);

    test_log_reset();
    DynamicLibrary_UnloadLibrary(NULL);
    CHECK_LOGGED("NULL");

    test_log_reset();
    CHECK(DynamicLibrary_FindSymbol(NULL, "Module_GetApi") == NULL);
    CHECK_LOGGED("invalid argument");
}

static void test_dynamic_library_load_find_unload(void)
{
    DYNAMIC_LIBRARY_HANDLE h = DynamicLibrary_LoadLibrary(g_good);
    int (*marker)(void);
    CHECK(h != NULL);
    if (h == NULL)
    {
        return;
    }
    CHECK(module_is_loaded(g_good));
    marker = (int (*)(void))DynamicLibrary_FindSymbol(h, "fixture_module_marker");
    CHECK(marker != NULL);
    if (marker != NULL)
    {
        CHECK(marker() == 4242);
    }
    CHECK(DynamicLibrary_FindSymbol(h, MODULE_GETAPI_NAME) != NULL);
    test_log_reset();
    CHECK(DynamicLibrary_FindSymbol(h, "no_such_symbol_here") == NULL);
    CHECK(test_log_count() == 0); /* a missing symbol is the caller's to report */
    CHECK(DynamicLibrary_FindSymbol(h, NULL) == NULL);
    CHECK_LOGGED("invalid argument");
    /* RTLD_LOCAL: the module's symbols are not visible globally */
    CHECK(dlsym(RTLD_DEFAULT, "fixture_module_marker") == NULL);
    DynamicLibrary_UnloadLibrary(h);
    CHECK(!module_is_loaded(g_good));
}

/* ---- dynamic_loader.h ----------------------------------------------------------------- */

static void test_dynamic_loader_get(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    CHECK(loader != NULL);
    if (loader == NULL)
    {
        return;
    }
    CHECK(DynamicLoader_Get() == loader);
    CHECK(loader->type == NATIVE);
    CHECK_STR("native", loader->name);
    CHECK(loader->configuration == NULL);
    CHECK(loader->api != NULL);
    CHECK(loader->api->Load != NULL && loader->api->Unload != NULL && loader->api->GetApi != NULL);
    CHECK(loader->api->ParseEntrypointFromJson != NULL && loader->api->FreeEntrypoint != NULL);
    CHECK(loader->api->ParseConfigurationFromJson != NULL && loader->api->FreeConfiguration != NULL);
    CHECK(loader->api->BuildModuleConfiguration != NULL && loader->api->FreeModuleConfiguration != NULL);
}

static void test_dynamic_loader_parse_entrypoint(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    static const char* const bad[] = {
        "[]", "\"x\"", "null", "{}", "{\"module.path\": 5}", "{\"module.path\": null}",
        "{\"module\": {\"path\": \"/a/b.so\"}}", /* the key is literally "module.path" */
        "{\"path\": \"/a/b.so\"}",
    };
    size_t i;
    JSON_Value* json;
    DYNAMIC_LOADER_ENTRYPOINT* ep;

    CHECK(loader->api->ParseEntrypointFromJson(loader, NULL) == NULL);
    CHECK_LOGGED("module.path");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        json = parse(bad[i]);
        test_log_reset();
        ep = (DYNAMIC_LOADER_ENTRYPOINT*)loader->api->ParseEntrypointFromJson(loader, json);
        CHECK(ep == NULL);
        CHECK_LOGGED("module.path");
        if (ep != NULL)
        {
            loader->api->FreeEntrypoint(loader, ep);
        }
        json_value_free(json);
    }

    json = parse("{\"module.path\": \"/opt/modules/liblogger.so\", \"other\": 1}");
    ep = (DYNAMIC_LOADER_ENTRYPOINT*)loader->api->ParseEntrypointFromJson(loader, json);
    json_value_free(json); /* the entrypoint must not point into the JSON */
    CHECK(ep != NULL);
    if (ep != NULL)
    {
        CHECK(ep->moduleLibraryFileName != NULL);
        CHECK_STR("/opt/modules/liblogger.so", STRING_c_str(ep->moduleLibraryFileName));
        loader->api->FreeEntrypoint(loader, ep);
    }
    loader->api->FreeEntrypoint(loader, NULL);
}

static DYNAMIC_LOADER_ENTRYPOINT* make_entrypoint(const char* path)
{
    DYNAMIC_LOADER_ENTRYPOINT* ep = (DYNAMIC_LOADER_ENTRYPOINT*)malloc(sizeof(*ep));
    if (ep == NULL)
    {
        abort();
    }
    ep->moduleLibraryFileName = (path != NULL) ? STRING_construct(path) : NULL;
    return ep;
}

static void free_entrypoint(DYNAMIC_LOADER_ENTRYPOINT* ep)
{
    STRING_delete(ep->moduleLibraryFileName);
    free(ep);
}

static void test_dynamic_loader_load_rejects(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    struct
    {
        const char* path;
        const char* logged;
    } cases[] = {
        { "", "empty" },
        { "/nonexistent/libmissing.so", "/nonexistent/libmissing.so" },
        { g_bad_version, "API version 1" },
        { g_no_create, "lacks Module_Create" },
        { g_null_api, "returned NULL" },
        { g_no_getapi, "does not export Module_GetApi" },
    };
    size_t i;
    DYNAMIC_LOADER_ENTRYPOINT* ep;

    CHECK(loader->api->Load(loader, NULL) == NULL);
    CHECK_LOGGED("NULL");

    ep = make_entrypoint(NULL);
    test_log_reset();
    CHECK(loader->api->Load(loader, ep) == NULL);
    CHECK_LOGGED("NULL");
    free_entrypoint(ep);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        MODULE_LIBRARY_HANDLE h;
        ep = make_entrypoint(cases[i].path);
        test_log_reset();
        h = loader->api->Load(loader, ep);
        CHECK(h == NULL);
        CHECK_LOGGED(cases[i].logged);
        if (h != NULL)
        {
            loader->api->Unload(loader, h);
        }
        /* a rejected module is not left loaded */
        if (cases[i].path[0] != '\0')
        {
            CHECK(!module_is_loaded(cases[i].path));
        }
        free_entrypoint(ep);
    }
}

static void test_dynamic_loader_load_good(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    DYNAMIC_LOADER_ENTRYPOINT* ep = make_entrypoint(g_good);
    MODULE_LIBRARY_HANDLE h1;
    MODULE_LIBRARY_HANDLE h2;
    const MODULE_API* api;
    const MODULE_API_1* api1;
    void* self;

    h1 = loader->api->Load(loader, ep);
    CHECK(h1 != NULL);
    if (h1 == NULL)
    {
        free_entrypoint(ep);
        return;
    }
    /* the module was asked for MODULE_API_VERSION_1 */
    self = dlopen(g_good, RTLD_LAZY | RTLD_NOLOAD);
    CHECK(self != NULL);
    if (self != NULL)
    {
        int* last_version = (int*)dlsym(self, "fixture_last_version");
        CHECK(last_version != NULL && *last_version == (int)MODULE_API_VERSION_1);
        dlclose(self);
    }
    api = loader->api->GetApi(loader, h1);
    CHECK(api != NULL);
    if (api != NULL)
    {
        MODULE_HANDLE m;
        api1 = (const MODULE_API_1*)api;
        CHECK(api->version == MODULE_API_VERSION_1);
        CHECK(api1->Module_Create != NULL && api1->Module_Destroy != NULL && api1->Module_Receive != NULL);
        CHECK(api1->Module_Start != NULL);
        m = api1->Module_Create(NULL, "config");
        CHECK(m != NULL);
        api1->Module_Start(m);
        api1->Module_Receive(m, NULL);
        api1->Module_Destroy(m);
    }
    /* a second load gives an independent handle; the module stays loaded until the last unload */
    h2 = loader->api->Load(loader, ep);
    CHECK(h2 != NULL && h2 != h1);
    CHECK(loader->api->GetApi(loader, h2) == api);
    loader->api->Unload(loader, h1);
    CHECK(module_is_loaded(g_good));
    if (h2 != NULL)
    {
        loader->api->Unload(loader, h2);
    }
    CHECK(!module_is_loaded(g_good));

    /* the loader pointer is not needed */
    h1 = loader->api->Load(NULL, ep);
    CHECK(h1 != NULL);
    if (h1 != NULL)
    {
        CHECK(loader->api->GetApi(NULL, h1) != NULL);
        loader->api->Unload(NULL, h1);
    }

    test_log_reset();
    CHECK(loader->api->GetApi(loader, NULL) == NULL);
    CHECK_LOGGED("NULL");
    test_log_reset();
    loader->api->Unload(loader, NULL);
    CHECK_LOGGED("NULL");
    free_entrypoint(ep);
}

static void test_dynamic_loader_configuration(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    MODULE_LOADER_BASE_CONFIGURATION* cfg;
    JSON_Value* json;
    int marker = 7;

    test_log_reset();
    CHECK(loader->api->ParseConfigurationFromJson(loader, NULL) == NULL);
    CHECK(test_log_count() == 0); /* no configuration is not an error */

    json = parse("{}");
    cfg = loader->api->ParseConfigurationFromJson(loader, json);
    json_value_free(json);
    CHECK(cfg != NULL && cfg->binding_path == NULL);
    loader->api->FreeConfiguration(loader, cfg);

    json = parse("{\"binding.path\": \"/usr/lib/binding.so\", \"x\": [1]}");
    cfg = loader->api->ParseConfigurationFromJson(loader, json);
    json_value_free(json);
    CHECK(cfg != NULL && cfg->binding_path != NULL);
    if (cfg != NULL && cfg->binding_path != NULL)
    {
        CHECK_STR("/usr/lib/binding.so", STRING_c_str(cfg->binding_path));
    }
    loader->api->FreeConfiguration(loader, cfg);

    json = parse("{\"binding.path\": 12}");
    test_log_reset();
    CHECK(loader->api->ParseConfigurationFromJson(loader, json) == NULL);
    CHECK_LOGGED("configuration");
    json_value_free(json);

    json = parse("[\"binding.path\"]");
    test_log_reset();
    CHECK(loader->api->ParseConfigurationFromJson(loader, json) == NULL);
    CHECK_LOGGED("configuration");
    json_value_free(json);

    loader->api->FreeConfiguration(loader, NULL);

    /* BuildModuleConfiguration passes the module's configuration through unchanged */
    CHECK(loader->api->BuildModuleConfiguration(loader, NULL, &marker) == &marker);
    CHECK(loader->api->BuildModuleConfiguration(loader, NULL, NULL) == NULL);
    loader->api->FreeModuleConfiguration(loader, &marker);
    loader->api->FreeModuleConfiguration(loader, NULL);
    CHECK(marker == 7);
}

/* The whole sequence a C host performs for one module through the native loader. */
static void test_dynamic_loader_host_flow(void)
{
    const MODULE_LOADER* loader = DynamicLoader_Get();
    char text[1024];
    JSON_Value* json;
    void* ep;
    MODULE_LIBRARY_HANDLE lib;
    const MODULE_API_1* api1;

    snprintf(text, sizeof(text), "{\"module.path\": \"%s\"}", g_good);
    json = parse(text);
    ep = loader->api->ParseEntrypointFromJson(loader, json);
    json_value_free(json);
    CHECK(ep != NULL);
    lib = loader->api->Load(loader, ep);
    CHECK(lib != NULL);
    if (lib != NULL)
    {
        void* parsed;
        void* cfg;
        MODULE_HANDLE m;
        api1 = (const MODULE_API_1*)loader->api->GetApi(loader, lib);
        CHECK(api1 != NULL);
        parsed = api1->Module_ParseConfigurationFromJson("{\"a\":1}");
        cfg = loader->api->BuildModuleConfiguration(loader, ep, parsed);
        CHECK(cfg == parsed);
        m = api1->Module_Create((BROKER_HANDLE)0x1, cfg);
        loader->api->FreeModuleConfiguration(loader, cfg);
        api1->Module_FreeConfiguration(parsed);
        CHECK(m != NULL);
        api1->Module_Destroy(m);
        loader->api->Unload(loader, lib);
    }
    loader->api->FreeEntrypoint(loader, ep);
    CHECK(!module_is_loaded(g_good));
}

/* ---- module_loader.h: pure functions --------------------------------------------------- */

/* SPEC section 2: layouts on x86-64 */
static void test_layouts(void)
{
    CHECK(sizeof(MODULE_LOADER_API) == 72);
    CHECK(offsetof(MODULE_LOADER_API, Load) == 0 && offsetof(MODULE_LOADER_API, FreeModuleConfiguration) == 64);
    CHECK(sizeof(MODULE_LOADER) == 32);
    CHECK(offsetof(MODULE_LOADER, type) == 0 && offsetof(MODULE_LOADER, name) == 8);
    CHECK(offsetof(MODULE_LOADER, configuration) == 16 && offsetof(MODULE_LOADER, api) == 24);
    CHECK(sizeof(MODULE_LOADER_TYPE) == 4 && sizeof(MODULE_LOADER_RESULT) == 4);
    CHECK(sizeof(MODULE_API_1) == 56);
}

static void test_parse_type(void)
{
    struct
    {
        const char* text;
        MODULE_LOADER_TYPE type;
    } cases[] = {
        { "native", NATIVE },   { "java", JAVA },         { "node", NODEJS },       { "dotnet", DOTNET },
        { "dotnetcore", DOTNETCORE }, { "outprocess", OUTPROCESS }, { "Native", UNKNOWN }, { "nodejs", UNKNOWN },
        { "", UNKNOWN },        { "native ", UNKNOWN },   { "NATIVE", UNKNOWN },    { "python", UNKNOWN },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        char m[128];
        snprintf(m, sizeof(m), "ModuleLoader_ParseType(\"%s\")", cases[i].text);
        record(ModuleLoader_ParseType(cases[i].text) == cases[i].type, __FILE__, __LINE__, m);
    }
    CHECK(ModuleLoader_ParseType(NULL) == UNKNOWN);
    /* SPEC section 2 values */
    CHECK(UNKNOWN == 0 && NATIVE == 1 && JAVA == 2 && DOTNET == 3 && DOTNETCORE == 4 && NODEJS == 5 && OUTPROCESS == 6);
    CHECK(MODULE_LOADER_SUCCESS == 0 && MODULE_LOADER_ERROR == 1);
}

static void test_is_default_loader(void)
{
    static const char* const yes[] = { "native", "java", "node", "dotnet", "dotnetcore", "outprocess" };
    static const char* const no[] = { "", "Native", "nodejs", "outprocess2", "my_native", "dotnet core" };
    size_t i;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
    {
        CHECK(ModuleLoader_IsDefaultLoader(yes[i]));
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
    {
        CHECK(!ModuleLoader_IsDefaultLoader(no[i]));
    }
    CHECK(!ModuleLoader_IsDefaultLoader(NULL));
}

static void test_enum_strings(void)
{
    MODULE_LOADER_TYPE t = UNKNOWN;
    MODULE_LOADER_RESULT r = MODULE_LOADER_SUCCESS;
    CHECK_STR("NATIVE", MODULE_LOADER_TYPEStrings(NATIVE));
    CHECK_STR("OUTPROCESS", MODULE_LOADER_TYPEStrings(OUTPROCESS));
    CHECK_STR("UNKNOWN", MODULE_LOADER_TYPEStrings(UNKNOWN));
    CHECK_STR("NULL", MODULE_LOADER_TYPEStrings((MODULE_LOADER_TYPE)42));
    CHECK_STR("MODULE_LOADER_SUCCESS", MODULE_LOADER_RESULTStrings(MODULE_LOADER_SUCCESS));
    CHECK_STR("MODULE_LOADER_ERROR", ENUM_TO_STRING(MODULE_LOADER_RESULT, MODULE_LOADER_ERROR));
    CHECK(MODULE_LOADER_TYPE_FromString("NODEJS", &t) == 0 && t == NODEJS);
    CHECK(MODULE_LOADER_TYPE_FromString("node", &t) != 0);
    CHECK(MODULE_LOADER_RESULT_FromString("MODULE_LOADER_ERROR", &r) == 0 && r == MODULE_LOADER_ERROR);
    CHECK(MODULE_LOADER_RESULT_FromString(NULL, &r) != 0);
}

static void test_base_configuration(void)
{
    MODULE_LOADER_BASE_CONFIGURATION cfg;
    JSON_Value* json;

    json = parse("{\"binding.path\": \"/b.so\"}");
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(NULL, json) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("NULL");
    json_value_free(json);

    cfg.binding_path = (STRING_HANDLE)0x1; /* garbage in a fresh struct is overwritten */
    test_log_reset();
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(&cfg, NULL) == MODULE_LOADER_ERROR);
    CHECK(cfg.binding_path == NULL);
    CHECK_LOGGED("JSON object");

    json = parse("[1]");
    test_log_reset();
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(&cfg, json) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("JSON object");
    json_value_free(json);

    json = parse("{\"binding.path\": true}");
    test_log_reset();
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(&cfg, json) == MODULE_LOADER_ERROR);
    CHECK(cfg.binding_path == NULL);
    CHECK_LOGGED("binding.path");
    json_value_free(json);

    json = parse("{\"binding\": {\"path\": \"/b.so\"}}"); /* nested is not "binding.path" */
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(&cfg, json) == MODULE_LOADER_SUCCESS);
    CHECK(cfg.binding_path == NULL);
    json_value_free(json);

    json = parse("{\"binding.path\": \"/b.so\", \"jvm.options\": {}}");
    CHECK(ModuleLoader_ParseBaseConfigurationFromJson(&cfg, json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);
    CHECK(cfg.binding_path != NULL);
    if (cfg.binding_path != NULL)
    {
        CHECK_STR("/b.so", STRING_c_str(cfg.binding_path));
    }
    ModuleLoader_FreeBaseConfiguration(&cfg);
    CHECK(cfg.binding_path == NULL);
    ModuleLoader_FreeBaseConfiguration(&cfg); /* twice is harmless */
    ModuleLoader_FreeBaseConfiguration(NULL);
}

/* ---- module_loader.h: the registry ----------------------------------------------------- */

static void test_registry_not_initialized(void)
{
    MODULE_LOADER custom = { NATIVE, "custom", NULL, NULL };
    JSON_Value* json = parse("[]");
    custom.api = DynamicLoader_Get()->api;

    ModuleLoader_Destroy(); /* nothing to destroy: harmless */
    CHECK(ModuleLoader_FindByName("native") == NULL);
    CHECK(ModuleLoader_GetDefaultLoaderForType(NATIVE) == NULL);
    test_log_reset();
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("ModuleLoader_Initialize");
    test_log_reset();
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("ModuleLoader_Initialize");
    json_value_free(json);
    /* pure functions work without a registry */
    CHECK(ModuleLoader_ParseType("java") == JAVA);
    CHECK(ModuleLoader_IsDefaultLoader("java"));
}

static void test_registry_defaults(void)
{
    struct
    {
        const char* name;
        MODULE_LOADER_TYPE type;
    } defaults[] = {
        { "native", NATIVE }, { "java", JAVA }, { "node", NODEJS }, { "dotnet", DOTNET },
        { "dotnetcore", DOTNETCORE }, { "outprocess", OUTPROCESS },
    };
    size_t i;

    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS); /* idempotent */
    CHECK(ModuleLoader_FindByName("native") == DynamicLoader_Get());
    for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
    {
        MODULE_LOADER* l = ModuleLoader_FindByName(defaults[i].name);
        CHECK(l != NULL);
        if (l == NULL)
        {
            continue;
        }
        CHECK_STR(defaults[i].name, l->name);
        CHECK(l->type == defaults[i].type);
        CHECK(l->configuration == NULL);
        CHECK(l->api != NULL);
        CHECK(ModuleLoader_GetDefaultLoaderForType(defaults[i].type) == l);
    }
    CHECK(ModuleLoader_FindByName("nope") == NULL);
    CHECK(ModuleLoader_FindByName("") == NULL);
    test_log_reset();
    CHECK(ModuleLoader_FindByName(NULL) == NULL);
    CHECK_LOGGED("NULL");
    CHECK(ModuleLoader_GetDefaultLoaderForType(UNKNOWN) == NULL);
    CHECK(ModuleLoader_GetDefaultLoaderForType((MODULE_LOADER_TYPE)99) == NULL);
    ModuleLoader_Destroy();
    CHECK(ModuleLoader_FindByName("native") == NULL);
}

static void test_registry_go_only_loaders(void)
{
    static const char* const names[] = { "java", "node", "dotnet", "dotnetcore", "outprocess" };
    size_t i;
    JSON_Value* json = parse("{\"class.name\": \"X\", \"main.path\": \"m.js\", \"binding.path\": \"/b.so\", "
                             "\"jvm.options\": {\"v\": 1}}");

    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    {
        MODULE_LOADER* l = ModuleLoader_FindByName(names[i]);
        MODULE_LOADER_BASE_CONFIGURATION* cfg;
        CHECK(l != NULL);
        if (l == NULL)
        {
            continue;
        }
        test_log_reset();
        CHECK(l->api->Load(l, "anything") == NULL);
        CHECK_LOGGED("Gateway_CreateFromJson");
        CHECK(strstr(test_log_last(), names[i]) != NULL);
        test_log_reset();
        CHECK(l->api->ParseEntrypointFromJson(l, json) == NULL);
        CHECK_LOGGED("Gateway_UpdateFromJson");
        test_log_reset();
        CHECK(l->api->GetApi(l, NULL) == NULL);
        CHECK_LOGGED("only available");
        l->api->Unload(l, NULL);
        l->api->FreeEntrypoint(l, NULL);
        CHECK(l->api->BuildModuleConfiguration(l, NULL, NULL) == NULL);
        l->api->FreeModuleConfiguration(l, NULL);
        /* their configuration (binding.path) is parsed like any loader's */
        cfg = l->api->ParseConfigurationFromJson(l, json);
        CHECK(cfg != NULL && cfg->binding_path != NULL);
        if (cfg != NULL && cfg->binding_path != NULL)
        {
            CHECK_STR("/b.so", STRING_c_str(cfg->binding_path));
        }
        l->api->FreeConfiguration(l, cfg);
        CHECK(l->api->ParseConfigurationFromJson(l, NULL) == NULL);
        l->api->FreeConfiguration(l, NULL);
    }
    json_value_free(json);
    ModuleLoader_Destroy();
}

/* A loader API that counts configuration calls (for ownership tests). */
static int g_custom_parsed;
static int g_custom_freed;

static MODULE_LOADER_BASE_CONFIGURATION* custom_parse_configuration(const MODULE_LOADER* loader, const JSON_Value* json)
{
    MODULE_LOADER_BASE_CONFIGURATION* cfg = (MODULE_LOADER_BASE_CONFIGURATION*)malloc(sizeof(*cfg));
    (void)loader;
    if (cfg == NULL)
    {
        return NULL;
    }
    if (ModuleLoader_ParseBaseConfigurationFromJson(cfg, json) != MODULE_LOADER_SUCCESS)
    {
        free(cfg);
        return NULL;
    }
    g_custom_parsed++;
    return cfg;
}

static void custom_free_configuration(const MODULE_LOADER* loader, MODULE_LOADER_BASE_CONFIGURATION* cfg)
{
    (void)loader;
    if (cfg != NULL)
    {
        ModuleLoader_FreeBaseConfiguration(cfg);
        free(cfg);
        g_custom_freed++;
    }
}

static MODULE_LOADER_BASE_CONFIGURATION* new_config(const char* binding_path)
{
    MODULE_LOADER_BASE_CONFIGURATION* cfg = (MODULE_LOADER_BASE_CONFIGURATION*)malloc(sizeof(*cfg));
    if (cfg == NULL)
    {
        abort();
    }
    cfg->binding_path = (binding_path != NULL) ? STRING_construct(binding_path) : NULL;
    return cfg;
}

static MODULE_LOADER_API g_custom_api;

static void setup_custom_api(void)
{
    g_custom_api = *DynamicLoader_Get()->api;
    g_custom_api.ParseConfigurationFromJson = custom_parse_configuration;
    g_custom_api.FreeConfiguration = custom_free_configuration;
    g_custom_parsed = 0;
    g_custom_freed = 0;
}

static void test_registry_add(void)
{
    char name[32];
    MODULE_LOADER custom;
    MODULE_LOADER* found;

    setup_custom_api();
    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);

    test_log_reset();
    CHECK(ModuleLoader_Add(NULL) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("invalid argument");
    custom.type = NATIVE;
    custom.name = NULL;
    custom.configuration = NULL;
    custom.api = &g_custom_api;
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    custom.name = "";
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    custom.name = "custom";
    custom.api = NULL;
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    CHECK(ModuleLoader_FindByName("custom") == NULL);

    /* the registry copies the struct and the name; the caller's may be reused at once */
    strcpy(name, "custom");
    custom.name = name;
    custom.api = &g_custom_api;
    custom.configuration = new_config("/custom.so");
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_SUCCESS);
    found = ModuleLoader_FindByName("custom");
    CHECK(found != NULL && found != &custom);
    if (found != NULL)
    {
        CHECK(found->name != name);
        CHECK(found->type == NATIVE);
        CHECK(found->api == &g_custom_api);
        CHECK(found->configuration == custom.configuration);
    }
    strcpy(name, "changed");
    custom.type = JAVA;
    CHECK(ModuleLoader_FindByName("custom") == found);
    CHECK(ModuleLoader_FindByName("changed") == NULL);
    if (found != NULL)
    {
        CHECK_STR("custom", found->name);
        CHECK(found->type == NATIVE);
    }
    /* adding does not make it the default of its type */
    CHECK(ModuleLoader_GetDefaultLoaderForType(NATIVE) == DynamicLoader_Get());
    CHECK(!ModuleLoader_IsDefaultLoader("custom"));

    /* duplicate names, including default names, are refused (nothing is taken over) */
    custom.name = "custom";
    custom.configuration = NULL;
    test_log_reset();
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("already exists");
    custom.name = "java";
    CHECK(ModuleLoader_Add(&custom) == MODULE_LOADER_ERROR);
    CHECK(ModuleLoader_FindByName("java")->type == JAVA);

    /* a loader added from a stack struct works: load a real module through it */
    if (found != NULL)
    {
        DYNAMIC_LOADER_ENTRYPOINT ep;
        MODULE_LIBRARY_HANDLE lib;
        ep.moduleLibraryFileName = STRING_construct(g_good);
        lib = found->api->Load(found, &ep);
        CHECK(lib != NULL);
        if (lib != NULL)
        {
            CHECK(found->api->GetApi(found, lib) != NULL);
            found->api->Unload(found, lib);
        }
        STRING_delete(ep.moduleLibraryFileName);
    }

    /* Destroy frees the taken-over configuration with the loader's own function */
    CHECK(g_custom_freed == 0);
    ModuleLoader_Destroy();
    CHECK(g_custom_freed == 1);
    CHECK(ModuleLoader_FindByName("custom") == NULL);
}

static void test_registry_update_configuration(void)
{
    MODULE_LOADER* native;
    MODULE_LOADER* custom;
    MODULE_LOADER_BASE_CONFIGURATION* a;
    MODULE_LOADER_BASE_CONFIGURATION* b;
    MODULE_LOADER spec;

    setup_custom_api();
    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    test_log_reset();
    CHECK(ModuleLoader_UpdateConfiguration(NULL, NULL) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("NULL");

    native = ModuleLoader_FindByName("native");
    a = new_config("/a.so");
    b = new_config(NULL);
    CHECK(ModuleLoader_UpdateConfiguration(native, a) == MODULE_LOADER_SUCCESS);
    CHECK(native->configuration == a);
    CHECK(DynamicLoader_Get()->configuration == a);
    CHECK_STR("/a.so", binding_path_of(native));
    CHECK(ModuleLoader_UpdateConfiguration(native, a) == MODULE_LOADER_SUCCESS); /* same: kept */
    CHECK_STR("/a.so", binding_path_of(native));
    CHECK(ModuleLoader_UpdateConfiguration(native, b) == MODULE_LOADER_SUCCESS); /* a freed (ASan) */
    CHECK(native->configuration == b);
    CHECK(ModuleLoader_UpdateConfiguration(native, NULL) == MODULE_LOADER_SUCCESS); /* b freed */
    CHECK(native->configuration == NULL);

    spec.type = DOTNET;
    spec.name = "custom";
    spec.configuration = NULL;
    spec.api = &g_custom_api;
    CHECK(ModuleLoader_Add(&spec) == MODULE_LOADER_SUCCESS);
    custom = ModuleLoader_FindByName("custom");
    CHECK(custom != NULL);
    if (custom != NULL)
    {
        CHECK(ModuleLoader_UpdateConfiguration(custom, new_config("/1")) == MODULE_LOADER_SUCCESS);
        CHECK(g_custom_freed == 0);
        CHECK(ModuleLoader_UpdateConfiguration(custom, new_config("/2")) == MODULE_LOADER_SUCCESS);
        CHECK(g_custom_freed == 1);
        CHECK_STR("/2", binding_path_of(custom));
    }
    /* a configuration left on the native loader is freed by Destroy, which resets it */
    CHECK(ModuleLoader_UpdateConfiguration(native, new_config("/left")) == MODULE_LOADER_SUCCESS);
    ModuleLoader_Destroy();
    CHECK(g_custom_freed == 2);
    CHECK(DynamicLoader_Get()->configuration == NULL);
}

static void test_registry_json_ok(void)
{
    JSON_Value* json;
    MODULE_LOADER* native;
    MODULE_LOADER* mine;
    MODULE_LOADER* native2;

    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    native = ModuleLoader_FindByName("native");

    json = parse("[]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);

    /* same name as a default loader: replaces its configuration */
    json = parse("[{\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": \"/n1\"}},"
                 " {\"type\": \"java\", \"name\": \"java\", \"configuration\": {\"jvm.options\": {\"a\": 1}}}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json); /* nothing may point into the JSON */
    CHECK(ModuleLoader_FindByName("native") == native);
    CHECK_STR("/n1", binding_path_of(native));
    CHECK(ModuleLoader_FindByName("java")->configuration != NULL);
    CHECK(ModuleLoader_FindByName("java")->configuration->binding_path == NULL);

    json = parse("[{\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": \"/n2\"}}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS); /* /n1 freed (ASan) */
    json_value_free(json);
    CHECK_STR("/n2", binding_path_of(native));

    /* an entry without configuration (or with null) resets it */
    json = parse("[{\"type\": \"native\", \"name\": \"native\"}, {\"type\": \"java\", \"name\": \"java\", "
                 "\"configuration\": null}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);
    CHECK(native->configuration == NULL);
    CHECK(ModuleLoader_FindByName("java")->configuration == NULL);

    /* a new name adds a loader with the api of the default loader of its type */
    json = parse("[{\"type\": \"java\", \"name\": \"my_java\", \"configuration\": {\"binding.path\": \"/j.so\"}},"
                 " {\"type\": \"native\", \"name\": \"native2\"},"
                 " {\"type\": \"outprocess\", \"name\": \"op\", \"extra\": true}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);
    mine = ModuleLoader_FindByName("my_java");
    CHECK(mine != NULL);
    if (mine != NULL)
    {
        CHECK_STR("my_java", mine->name);
        CHECK(mine->type == JAVA);
        CHECK(mine->api == ModuleLoader_FindByName("java")->api);
        CHECK_STR("/j.so", binding_path_of(mine));
        test_log_reset();
        CHECK(mine->api->Load(mine, NULL) == NULL);
        CHECK_LOGGED("\"my_java\"");
    }
    CHECK(ModuleLoader_GetDefaultLoaderForType(JAVA) == ModuleLoader_FindByName("java"));
    CHECK(!ModuleLoader_IsDefaultLoader("my_java"));
    CHECK(ModuleLoader_FindByName("op") != NULL && ModuleLoader_FindByName("op")->type == OUTPROCESS);
    native2 = ModuleLoader_FindByName("native2");
    CHECK(native2 != NULL && native2 != native);
    if (native2 != NULL)
    {
        DYNAMIC_LOADER_ENTRYPOINT ep;
        MODULE_LIBRARY_HANDLE lib;
        CHECK(native2->type == NATIVE && native2->api == DynamicLoader_Get()->api);
        CHECK(native2->configuration == NULL);
        ep.moduleLibraryFileName = STRING_construct(g_good);
        lib = native2->api->Load(native2, &ep);
        CHECK(lib != NULL);
        if (lib != NULL)
        {
            CHECK(native2->api->GetApi(native2, lib)->version == MODULE_API_VERSION_1);
            native2->api->Unload(native2, lib);
        }
        STRING_delete(ep.moduleLibraryFileName);
    }

    /* the added loaders can be reconfigured by name later */
    json = parse("[{\"type\": \"java\", \"name\": \"my_java\", \"configuration\": {\"binding.path\": \"/j2.so\"}}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);
    CHECK(ModuleLoader_FindByName("my_java") == mine);
    CHECK_STR("/j2.so", binding_path_of(mine));

    ModuleLoader_Destroy(); /* frees the added loaders and all configurations (ASan) */
    CHECK(ModuleLoader_FindByName("my_java") == NULL);

    /* a fresh registry has only the defaults, unconfigured */
    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    CHECK(ModuleLoader_FindByName("my_java") == NULL);
    CHECK(ModuleLoader_FindByName("native")->configuration == NULL);
    ModuleLoader_Destroy();
}

static void test_registry_json_custom_api(void)
{
    MODULE_LOADER spec;
    JSON_Value* json;

    setup_custom_api();
    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    spec.type = NODEJS;
    spec.name = "custom";
    spec.configuration = NULL;
    spec.api = &g_custom_api;
    CHECK(ModuleLoader_Add(&spec) == MODULE_LOADER_SUCCESS);
    /* an existing loader's configuration is parsed with its own api */
    json = parse("[{\"type\": \"node\", \"name\": \"custom\", \"configuration\": {\"binding.path\": \"/c\"}}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);
    CHECK(g_custom_parsed == 1);
    CHECK_STR("/c", binding_path_of(ModuleLoader_FindByName("custom")));
    /* wrong type for it */
    json = parse("[{\"type\": \"native\", \"name\": \"custom\"}]");
    test_log_reset();
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("does not match");
    json_value_free(json);
    CHECK_STR("/c", binding_path_of(ModuleLoader_FindByName("custom")));
    ModuleLoader_Destroy();
    CHECK(g_custom_freed == 1);
}

static void test_registry_json_errors(void)
{
    struct
    {
        const char* json;
        const char* logged;
    } cases[] = {
        { "[1]", "loaders[0]" },
        { "[{\"name\": \"x\"}]", "loaders[0].type" },
        { "[{\"type\": \"native\"}]", "loaders[0].name" },
        { "[{\"type\": \"native\", \"name\": \"\"}]", "loaders[0].name" },
        { "[{\"type\": 1, \"name\": \"x\"}]", "loaders[0].type" },
        { "[{\"type\": \"native\", \"name\": 2}]", "loaders[0].name" },
        { "[{\"type\": \"python\", \"name\": \"py\"}]", "unknown loader type \"python\"" },
        { "[{\"type\": \"java\", \"name\": \"native\"}]", "does not match" },
        { "[{\"type\": \"node\", \"name\": \"n\"}, {\"type\": \"node\", \"name\": \"n\"}]", "duplicate loader \"n\"" },
        { "[{\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": 1}}]",
          "loaders[0] (\"native\").configuration" },
        { "[{\"type\": \"java\", \"name\": \"j2\", \"configuration\": \"x\"}]", "loaders[0] (\"j2\").configuration" },
        /* all-or-nothing: valid entries before a bad one are not applied */
        { "[{\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": \"/new\"}},"
          " {\"type\": \"node\", \"name\": \"n1\", \"configuration\": {}},"
          " {\"type\": \"bogus\", \"name\": \"n2\"}]",
          "loaders[2]" },
        { "[{\"type\": \"dotnet\", \"name\": \"d1\"}, {\"type\": \"dotnetcore\", \"name\": \"d2\","
          " \"configuration\": [1]}]",
          "loaders[1]" },
    };
    size_t i;
    JSON_Value* json;
    MODULE_LOADER* native;

    test_log_reset();
    CHECK(ModuleLoader_InitializeFromJson(NULL) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("array");

    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    native = ModuleLoader_FindByName("native");
    json = parse("[{\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": \"/old\"}}]");
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_SUCCESS);
    json_value_free(json);

    json = parse("{\"loaders\": []}");
    test_log_reset();
    CHECK(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_ERROR);
    CHECK_LOGGED("array");
    json_value_free(json);

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        char m[256];
        json = parse(cases[i].json);
        test_log_reset();
        snprintf(m, sizeof(m), "case %zu is refused", i);
        record(ModuleLoader_InitializeFromJson(json) == MODULE_LOADER_ERROR, __FILE__, __LINE__, m);
        CHECK_LOGGED(cases[i].logged);
        json_value_free(json);
        /* the registry is unchanged */
        CHECK_STR("/old", binding_path_of(native));
        CHECK(ModuleLoader_FindByName("n") == NULL && ModuleLoader_FindByName("n1") == NULL);
        CHECK(ModuleLoader_FindByName("n2") == NULL && ModuleLoader_FindByName("j2") == NULL);
        CHECK(ModuleLoader_FindByName("d1") == NULL && ModuleLoader_FindByName("py") == NULL);
        CHECK(ModuleLoader_FindByName("native")->type == NATIVE);
    }
    ModuleLoader_Destroy();
}

/* Several host threads use the registry at once (run under ASan: no races on memory). */
typedef struct
{
    int index;
    int failures;
} WORKER;

static void* registry_worker(void* arg)
{
    WORKER* w = (WORKER*)arg;
    int round;
    for (round = 0; round < 50; round++)
    {
        char text[512];
        char name[64];
        JSON_Value* json;
        MODULE_LOADER* found;
        snprintf(name, sizeof(name), "w%d_%d", w->index, round);
        snprintf(text, sizeof(text),
                 "[{\"type\": \"node\", \"name\": \"%s\", \"configuration\": {\"binding.path\": \"/%s\"}},"
                 " {\"type\": \"native\", \"name\": \"native\", \"configuration\": {\"binding.path\": \"/%s\"}}]",
                 name, name, name);
        json = json_parse_string(text);
        if (json == NULL || ModuleLoader_InitializeFromJson(json) != MODULE_LOADER_SUCCESS)
        {
            w->failures++;
        }
        json_value_free(json);
        found = ModuleLoader_FindByName(name);
        if (found == NULL || found->type != NODEJS || ModuleLoader_GetDefaultLoaderForType(NODEJS) == NULL)
        {
            w->failures++;
        }
        if (ModuleLoader_Initialize() != MODULE_LOADER_SUCCESS)
        {
            w->failures++;
        }
    }
    return NULL;
}

static void test_registry_threads(void)
{
    enum { N = 4 };
    pthread_t threads[N];
    WORKER workers[N];
    int i;
    int r;

    CHECK(ModuleLoader_Initialize() == MODULE_LOADER_SUCCESS);
    for (i = 0; i < N; i++)
    {
        workers[i].index = i;
        workers[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, registry_worker, &workers[i]) == 0);
    }
    for (i = 0; i < N; i++)
    {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].failures == 0);
    }
    for (i = 0; i < N; i++)
    {
        for (r = 0; r < 50; r++)
        {
            char name[64];
            snprintf(name, sizeof(name), "w%d_%d", i, r);
            if (ModuleLoader_FindByName(name) == NULL)
            {
                record(false, __FILE__, __LINE__, name);
            }
        }
    }
    CHECK(binding_path_of(ModuleLoader_FindByName("native")) != NULL);
    ModuleLoader_Destroy();
}

int main(int argc, char** argv)
{
    if (argc != 6)
    {
        fprintf(stderr, "usage: %s GOOD.so BAD_VERSION.so NO_CREATE.so NULL_API.so NO_GETAPI.so\n", argv[0]);
        return 2;
    }
    g_good = argv[1];
    g_bad_version = argv[2];
    g_no_create = argv[3];
    g_null_api = argv[4];
    g_no_getapi = argv[5];

    RUN(test_dynamic_library_null_and_missing);
    RUN(test_dynamic_library_load_find_unload);
    RUN(test_dynamic_loader_get);
    RUN(test_dynamic_loader_parse_entrypoint);
    RUN(test_dynamic_loader_load_rejects);
    RUN(test_dynamic_loader_load_good);
    RUN(test_dynamic_loader_configuration);
    RUN(test_dynamic_loader_host_flow);
    RUN(test_layouts);
    RUN(test_parse_type);
    RUN(test_is_default_loader);
    RUN(test_enum_strings);
    RUN(test_base_configuration);
    RUN(test_registry_not_initialized);
    RUN(test_registry_defaults);
    RUN(test_registry_go_only_loaders);
    RUN(test_registry_add);
    RUN(test_registry_update_configuration);
    RUN(test_registry_json_ok);
    RUN(test_registry_json_custom_api);
    RUN(test_registry_json_errors);
    RUN(test_registry_threads);

    printf("test_loader: %d passed, %d failed\n", g_passed, g_failed);
    return (g_failed == 0) ? 0 : 1;
}
