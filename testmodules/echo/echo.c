/* echo - republishes every received message with itself as the source.
 *
 * Args (optional, any may be absent; null or absent args mean defaults):
 *   {"add_property": {"key": "value", ...}}
 *     properties added to (or overwriting those of) every republished message.
 * Behaviour: for each received message, publishes a new message with the same
 * content (shared, via Message_CreateFromBuffer) and the same properties plus
 * add_property. Failures are logged and the message is dropped. Never link an
 * echo module to itself: it would republish forever.
 * Library: libecho.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

typedef struct ECHO_CONFIG_TAG
{
    TM_PAIRS add; /* properties to add */
} ECHO_CONFIG;

typedef struct ECHO_TAG
{
    BROKER_HANDLE broker;
    TM_PAIRS add;
} ECHO;

static void* Echo_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    int present;
    ECHO_CONFIG* cfg;
    if (tm_args_open("echo", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    cfg = (ECHO_CONFIG*)calloc(1, sizeof(ECHO_CONFIG));
    if (cfg == NULL)
    {
        LogError("echo: out of memory");
    }
    else if (tm_args_get_pairs("echo", obj, "add_property", &cfg->add, &present) != 0)
    {
        free(cfg);
        cfg = NULL;
    }
    json_value_free(root);
    return cfg;
}

static void Echo_FreeConfiguration(void* configuration)
{
    ECHO_CONFIG* cfg = (ECHO_CONFIG*)configuration;
    if (cfg != NULL)
    {
        tm_pairs_free(&cfg->add);
        free(cfg);
    }
}

/* configuration may be NULL (no properties to add) for hosts that call
 * Module_Create directly; the JSON path always passes a parsed ECHO_CONFIG. */
static MODULE_HANDLE Echo_Create(BROKER_HANDLE broker, const void* configuration)
{
    const ECHO_CONFIG* cfg = (const ECHO_CONFIG*)configuration;
    ECHO* e;
    if (broker == NULL)
    {
        LogError("echo: NULL broker");
        return NULL;
    }
    e = (ECHO*)calloc(1, sizeof(ECHO));
    if (e == NULL)
    {
        LogError("echo: out of memory");
        return NULL;
    }
    e->broker = broker;
    if (cfg != NULL && tm_pairs_copy(&e->add, &cfg->add) != 0)
    {
        LogError("echo: out of memory");
        free(e);
        return NULL;
    }
    return (MODULE_HANDLE)e;
}

static void Echo_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    ECHO* e = (ECHO*)module;
    CONSTMAP_HANDLE cprops;
    MESSAGE_BUFFER_CONFIG cfg;
    MESSAGE_HANDLE out;
    size_t i;

    if (e == NULL || message == NULL)
    {
        return;
    }
    cprops = Message_GetProperties(message);
    if (cprops == NULL)
    {
        LogError("echo: Message_GetProperties failed");
        return;
    }
    cfg.sourceProperties = ConstMap_CloneWriteable(cprops);
    ConstMap_Destroy(cprops);
    if (cfg.sourceProperties == NULL)
    {
        LogError("echo: ConstMap_CloneWriteable failed");
        return;
    }
    for (i = 0; i < e->add.count; i++)
    {
        if (Map_AddOrUpdate(cfg.sourceProperties, e->add.keys[i], e->add.values[i]) != MAP_OK)
        {
            LogError("echo: cannot add property %s", e->add.keys[i]);
        }
    }
    cfg.sourceContent = Message_GetContentHandle(message);
    if (cfg.sourceContent == NULL)
    {
        LogError("echo: Message_GetContentHandle failed");
        Map_Destroy(cfg.sourceProperties);
        return;
    }
    out = Message_CreateFromBuffer(&cfg);
    if (out == NULL)
    {
        LogError("echo: Message_CreateFromBuffer failed");
    }
    else
    {
        if (Broker_Publish(e->broker, (MODULE_HANDLE)e, out) != BROKER_OK)
        {
            LogError("echo: Broker_Publish failed");
        }
        Message_Destroy(out);
    }
    CONSTBUFFER_Destroy(cfg.sourceContent);
    Map_Destroy(cfg.sourceProperties);
}

static void Echo_Destroy(MODULE_HANDLE module)
{
    ECHO* e = (ECHO*)module;
    if (e != NULL)
    {
        tm_pairs_free(&e->add);
        free(e);
    }
}

static const MODULE_API_1 Echo_Api =
{
    { MODULE_API_VERSION_1 },
    Echo_ParseConfigurationFromJson,
    Echo_FreeConfiguration,
    Echo_Create,
    Echo_Destroy,
    Echo_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Echo_Api;
}
