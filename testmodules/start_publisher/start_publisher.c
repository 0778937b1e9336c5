/* start_publisher - publishes during Module_Start: a thread created inside
 * Module_Start publishes at once, as fast as it can (tests publishing while the
 * gateway is still starting modules and making links).
 *
 * Args (all optional; null or absent args mean all defaults):
 *   "count":  messages to publish (default 1000, at least 1)
 *   "size":   content bytes per message (default 256, at most 64 MiB)
 *   "stream": value of the `stream` property (default "start")
 *   "report": path of a JSON report written when done and on Destroy
 *             (atomically): {"published": N, "publish_errors": N, "elapsed_ns": N, "finished": bool}
 * Messages follow tm_common.h (seq from 0, stream, ts_ns, pattern content), so a
 * sink verifies them. A failed Broker_Publish counts in publish_errors.
 * Destroy stops the thread (checked before every message), joins it and
 * writes the report.
 * Library: libstart_publisher.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

#define SP_MAX_SIZE (64u * 1024u * 1024u)

typedef struct START_PUBLISHER_CONFIG_TAG
{
    uint64_t count;
    uint64_t size;
    char* stream; /* malloc'd */
    char* report; /* malloc'd, may be NULL */
} START_PUBLISHER_CONFIG;

typedef struct START_PUBLISHER_TAG
{
    BROKER_HANDLE broker;
    START_PUBLISHER_CONFIG cfg; /* deep copy */
    MAP_HANDLE props;
    unsigned char* buf;
    int stop; /* atomic builtins */
    int thread_started;
    THREAD_HANDLE thread;
    /* written by the thread, read by Destroy after the join */
    uint64_t published;
    uint64_t publish_errors;
    uint64_t elapsed_ns;
    int finished;
} START_PUBLISHER;

static void sp_config_free(START_PUBLISHER_CONFIG* c)
{
    free(c->stream);
    free(c->report);
    c->stream = NULL;
    c->report = NULL;
}

static char* sp_strdup(const char* s)
{
    char* d = (char*)malloc(strlen(s) + 1);
    if (d != NULL)
    {
        strcpy(d, s);
    }
    return d;
}

static void sp_write_report(START_PUBLISHER* p)
{
    TM_BUF b = { NULL, 0, 0, 0 };
    if (p->cfg.report == NULL)
    {
        return;
    }
    tm_buf_printf(&b, "{\"published\": %llu, \"publish_errors\": %llu, \"elapsed_ns\": %llu, \"finished\": %s}\n",
        (unsigned long long)p->published, (unsigned long long)p->publish_errors,
        (unsigned long long)p->elapsed_ns, p->finished ? "true" : "false");
    if (!b.failed)
    {
        (void)tm_write_file_atomic("start_publisher", p->cfg.report, b.data);
    }
    free(b.data);
}

static int sp_thread(void* arg)
{
    START_PUBLISHER* p = (START_PUBLISHER*)arg;
    uint64_t t0 = tm_now_ns();
    uint64_t seq;
    for (seq = 0; seq < p->cfg.count && !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE); seq++)
    {
        if (tm_publish_seq(p->broker, (MODULE_HANDLE)p, p->props, p->buf, (size_t)p->cfg.size, seq) == BROKER_OK)
        {
            p->published++;
        }
        else
        {
            p->publish_errors++;
        }
    }
    p->elapsed_ns = tm_now_ns() - t0;
    if (seq == p->cfg.count)
    {
        p->finished = 1;
        sp_write_report(p);
    }
    return 0;
}

static void* StartPublisher_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    START_PUBLISHER_CONFIG* c;
    if (tm_args_open("start_publisher", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    c = (START_PUBLISHER_CONFIG*)calloc(1, sizeof(START_PUBLISHER_CONFIG));
    if (c == NULL)
    {
        LogError("start_publisher: out of memory");
        json_value_free(root);
        return NULL;
    }
    c->count = 1000;
    c->size = 256;
    if (tm_args_get_u64("start_publisher", obj, "count", &c->count) != 0 ||
        tm_args_get_u64("start_publisher", obj, "size", &c->size) != 0 ||
        tm_args_dup_string("start_publisher", obj, "stream", 0, &c->stream) != 0 ||
        tm_args_dup_string("start_publisher", obj, "report", 0, &c->report) != 0)
    {
        goto fail;
    }
    if (c->count == 0 || c->size > SP_MAX_SIZE)
    {
        LogError("start_publisher: args: count must be >= 1 and size at most %u", SP_MAX_SIZE);
        goto fail;
    }
    if (c->stream == NULL && (c->stream = sp_strdup("start")) == NULL)
    {
        LogError("start_publisher: out of memory");
        goto fail;
    }
    json_value_free(root);
    return c;
fail:
    sp_config_free(c);
    free(c);
    json_value_free(root);
    return NULL;
}

static void StartPublisher_FreeConfiguration(void* configuration)
{
    START_PUBLISHER_CONFIG* c = (START_PUBLISHER_CONFIG*)configuration;
    if (c != NULL)
    {
        sp_config_free(c);
        free(c);
    }
}

static MODULE_HANDLE StartPublisher_Create(BROKER_HANDLE broker, const void* configuration)
{
    const START_PUBLISHER_CONFIG* c = (const START_PUBLISHER_CONFIG*)configuration;
    START_PUBLISHER* p;
    if (broker == NULL || c == NULL)
    {
        LogError("start_publisher: invalid arguments (broker=%p, configuration=%p)", (void*)broker, configuration);
        return NULL;
    }
    p = (START_PUBLISHER*)calloc(1, sizeof(START_PUBLISHER));
    if (p == NULL)
    {
        LogError("start_publisher: out of memory");
        return NULL;
    }
    p->broker = broker;
    p->cfg.count = c->count;
    p->cfg.size = c->size;
    if ((p->cfg.stream = sp_strdup(c->stream)) == NULL ||
        (c->report != NULL && (p->cfg.report = sp_strdup(c->report)) == NULL) ||
        (p->buf = (unsigned char*)malloc(c->size > 0 ? (size_t)c->size : 1u)) == NULL)
    {
        LogError("start_publisher: out of memory");
        goto fail;
    }
    p->props = tm_make_props("start_publisher", p->cfg.stream, NULL);
    if (p->props == NULL)
    {
        goto fail;
    }
    return (MODULE_HANDLE)p;
fail:
    sp_config_free(&p->cfg);
    free(p->buf);
    free(p);
    return NULL;
}

static void StartPublisher_Start(MODULE_HANDLE module)
{
    START_PUBLISHER* p = (START_PUBLISHER*)module;
    if (p == NULL || p->thread_started)
    {
        return;
    }
    if (ThreadAPI_Create(&p->thread, sp_thread, p) != THREADAPI_OK)
    {
        LogError("start_publisher: ThreadAPI_Create failed");
        return;
    }
    p->thread_started = 1;
}

static void StartPublisher_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static void StartPublisher_Destroy(MODULE_HANDLE module)
{
    START_PUBLISHER* p = (START_PUBLISHER*)module;
    if (p == NULL)
    {
        return;
    }
    __atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
    if (p->thread_started)
    {
        int res;
        if (ThreadAPI_Join(p->thread, &res) != THREADAPI_OK)
        {
            LogError("start_publisher: ThreadAPI_Join failed");
        }
    }
    sp_write_report(p);
    Map_Destroy(p->props);
    sp_config_free(&p->cfg);
    free(p->buf);
    free(p);
}

static const MODULE_API_1 StartPublisher_Api =
{
    { MODULE_API_VERSION_1 },
    StartPublisher_ParseConfigurationFromJson,
    StartPublisher_FreeConfiguration,
    StartPublisher_Create,
    StartPublisher_Destroy,
    StartPublisher_Receive,
    StartPublisher_Start
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&StartPublisher_Api;
}
