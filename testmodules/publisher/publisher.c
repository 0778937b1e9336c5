/* publisher - load generator: publishes sequenced, verifiable messages from
 * its own thread.
 *
 * Args (all optional; null or absent args mean all defaults):
 *   "count":          messages to publish; 0 = unlimited until Destroy (default 0)
 *   "size":           content bytes per message (default 256, at most 64 MiB)
 *   "rate":           messages per second, fractions allowed; 0 = unpaced flood (default 0)
 *   "properties":     {"k": "v", ...} extra properties of every message
 *                     (default {"source": "publisher", "type": "test"}; {} = none)
 *   "start_delay_ms": wait this long after Module_Start before publishing (default 0)
 *   "stream":         value of the `stream` property (default "default")
 *   "report":         path of a JSON report written when the count is reached and
 *                     again on Destroy (atomically: temp file + rename):
 *                     {"published": N, "publish_errors": N, "elapsed_ns": N, "finished": bool}
 * Messages follow the convention in tm_common.h: properties seq (0, 1, ...),
 * stream, ts_ns plus the extras; content = tm_pattern_byte(seq, i). seq counts
 * attempts, so a publish that fails (Broker_Publish != BROKER_OK, counted in
 * publish_errors) shows up as a gap at the sink; publishing goes on.
 * elapsed_ns runs from the first publish attempt (after start_delay_ms) to the
 * end of the last one. "finished" is true when `count` messages were attempted.
 * Module_Start starts the thread; Destroy stops it (within ~10 ms even while
 * pacing or delaying), joins it and writes the report.
 * Library: libpublisher.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

#define PUB_MAX_SIZE (64u * 1024u * 1024u)
#define PUB_MAX_NAP_NS 10000000u /* longest single sleep: bounds Destroy latency */

typedef struct PUBLISHER_CONFIG_TAG
{
    uint64_t count;
    uint64_t size;
    double rate;
    uint64_t start_delay_ms;
    TM_PAIRS properties;
    char* stream;  /* malloc'd */
    char* report;  /* malloc'd, may be NULL */
} PUBLISHER_CONFIG;

typedef struct PUBLISHER_TAG
{
    BROKER_HANDLE broker;
    PUBLISHER_CONFIG cfg;   /* deep copy */
    MAP_HANDLE props;       /* stream + extras; seq and ts_ns set per message */
    unsigned char* buf;     /* content buffer, cfg.size bytes (at least 1) */
    int stop;               /* set by Destroy, read by the thread (atomic builtins) */
    int thread_started;
    THREAD_HANDLE thread;
    /* written by the thread; read by Destroy after the join */
    uint64_t published;
    uint64_t publish_errors;
    uint64_t elapsed_ns;
    int finished;
} PUBLISHER;

static void pub_config_free(PUBLISHER_CONFIG* c)
{
    tm_pairs_free(&c->properties);
    free(c->stream);
    free(c->report);
    c->stream = NULL;
    c->report = NULL;
}

static int pub_stopping(PUBLISHER* p)
{
    return __atomic_load_n(&p->stop, __ATOMIC_ACQUIRE);
}

/* Sleeps until CLOCK_MONOTONIC reaches deadline_ns or stop is set, in naps of
 * at most PUB_MAX_NAP_NS. Returns nonzero if stopped. */
static int pub_sleep_until(PUBLISHER* p, uint64_t deadline_ns)
{
    for (;;)
    {
        uint64_t now;
        struct timespec ts;
        uint64_t nap;
        if (pub_stopping(p))
        {
            return 1;
        }
        now = tm_now_ns();
        if (now >= deadline_ns)
        {
            return 0;
        }
        nap = deadline_ns - now;
        if (nap > PUB_MAX_NAP_NS)
        {
            nap = PUB_MAX_NAP_NS;
        }
        ts.tv_sec = 0;
        ts.tv_nsec = (long)nap;
        (void)nanosleep(&ts, NULL);
    }
}

static void pub_write_report(PUBLISHER* p)
{
    TM_BUF b = { NULL, 0, 0, 0 };
    if (p->cfg.report == NULL)
    {
        return;
    }
    tm_buf_printf(&b, "{\"published\": %llu, \"publish_errors\": %llu, \"elapsed_ns\": %llu, \"finished\": %s}\n",
        (unsigned long long)p->published, (unsigned long long)p->publish_errors,
        (unsigned long long)p->elapsed_ns, p->finished ? "true" : "false");
    if (b.failed)
    {
        LogError("publisher: report: out of memory");
    }
    else
    {
        (void)tm_write_file_atomic("publisher", p->cfg.report, b.data);
    }
    free(b.data);
}

static int pub_thread(void* arg)
{
    PUBLISHER* p = (PUBLISHER*)arg;
    uint64_t seq;
    uint64_t t0;
    double ns_per_msg = p->cfg.rate > 0.0 ? 1e9 / p->cfg.rate : 0.0;

    if (p->cfg.start_delay_ms > 0 &&
        pub_sleep_until(p, tm_now_ns() + p->cfg.start_delay_ms * 1000000u))
    {
        return 0;
    }
    t0 = tm_now_ns();
    for (seq = 0; p->cfg.count == 0 || seq < p->cfg.count; seq++)
    {
        if (ns_per_msg > 0.0)
        {
            if (pub_sleep_until(p, t0 + (uint64_t)((double)seq * ns_per_msg)))
            {
                break;
            }
        }
        else if (pub_stopping(p))
        {
            break;
        }
        if (tm_publish_seq(p->broker, (MODULE_HANDLE)p, p->props, p->buf, (size_t)p->cfg.size, seq) == BROKER_OK)
        {
            p->published++;
        }
        else
        {
            p->publish_errors++;
        }
        p->elapsed_ns = tm_now_ns() - t0;
    }
    if (p->cfg.count != 0 && seq == p->cfg.count)
    {
        p->finished = 1;
        pub_write_report(p);
    }
    return 0;
}

static void* Publisher_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    int present = 0;
    PUBLISHER_CONFIG* c;
    if (tm_args_open("publisher", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    c = (PUBLISHER_CONFIG*)calloc(1, sizeof(PUBLISHER_CONFIG));
    if (c == NULL)
    {
        LogError("publisher: out of memory");
        json_value_free(root);
        return NULL;
    }
    c->size = 256;
    if (tm_args_get_u64("publisher", obj, "count", &c->count) != 0 ||
        tm_args_get_u64("publisher", obj, "size", &c->size) != 0 ||
        tm_args_get_double("publisher", obj, "rate", &c->rate) != 0 ||
        tm_args_get_u64("publisher", obj, "start_delay_ms", &c->start_delay_ms) != 0 ||
        tm_args_dup_string("publisher", obj, "stream", 0, &c->stream) != 0 ||
        tm_args_dup_string("publisher", obj, "report", 0, &c->report) != 0 ||
        tm_args_get_pairs("publisher", obj, "properties", &c->properties, &present) != 0)
    {
        goto fail;
    }
    if (c->size > PUB_MAX_SIZE)
    {
        LogError("publisher: args: size must be at most %u", PUB_MAX_SIZE);
        goto fail;
    }
    if (c->start_delay_ms > 86400000u)
    {
        LogError("publisher: args: start_delay_ms must be at most one day");
        goto fail;
    }
    if (!present &&
        (tm_pairs_add(&c->properties, "source", "publisher") != 0 || tm_pairs_add(&c->properties, "type", "test") != 0))
    {
        LogError("publisher: out of memory");
        goto fail;
    }
    if (c->stream == NULL)
    {
        c->stream = (char*)malloc(sizeof("default"));
        if (c->stream == NULL)
        {
            LogError("publisher: out of memory");
            goto fail;
        }
        strcpy(c->stream, "default");
    }
    json_value_free(root);
    return c;
fail:
    pub_config_free(c);
    free(c);
    json_value_free(root);
    return NULL;
}

static void Publisher_FreeConfiguration(void* configuration)
{
    PUBLISHER_CONFIG* c = (PUBLISHER_CONFIG*)configuration;
    if (c != NULL)
    {
        pub_config_free(c);
        free(c);
    }
}

static MODULE_HANDLE Publisher_Create(BROKER_HANDLE broker, const void* configuration)
{
    const PUBLISHER_CONFIG* c = (const PUBLISHER_CONFIG*)configuration;
    PUBLISHER* p;
    if (broker == NULL || c == NULL)
    {
        LogError("publisher: invalid arguments (broker=%p, configuration=%p)", (void*)broker, configuration);
        return NULL;
    }
    p = (PUBLISHER*)calloc(1, sizeof(PUBLISHER));
    if (p == NULL)
    {
        LogError("publisher: out of memory");
        return NULL;
    }
    p->broker = broker;
    p->cfg.count = c->count;
    p->cfg.size = c->size;
    p->cfg.rate = c->rate;
    p->cfg.start_delay_ms = c->start_delay_ms;
    if (tm_pairs_copy(&p->cfg.properties, &c->properties) != 0 ||
        (p->cfg.stream = (char*)malloc(strlen(c->stream) + 1)) == NULL ||
        (c->report != NULL && (p->cfg.report = (char*)malloc(strlen(c->report) + 1)) == NULL) ||
        (p->buf = (unsigned char*)malloc(c->size > 0 ? (size_t)c->size : 1u)) == NULL)
    {
        LogError("publisher: out of memory");
        goto fail;
    }
    strcpy(p->cfg.stream, c->stream);
    if (c->report != NULL)
    {
        strcpy(p->cfg.report, c->report);
    }
    p->props = tm_make_props("publisher", p->cfg.stream, &p->cfg.properties);
    if (p->props == NULL)
    {
        goto fail;
    }
    return (MODULE_HANDLE)p;
fail:
    pub_config_free(&p->cfg);
    free(p->buf);
    free(p);
    return NULL;
}

static void Publisher_Start(MODULE_HANDLE module)
{
    PUBLISHER* p = (PUBLISHER*)module;
    if (p == NULL || p->thread_started)
    {
        return;
    }
    if (ThreadAPI_Create(&p->thread, pub_thread, p) != THREADAPI_OK)
    {
        LogError("publisher: ThreadAPI_Create failed");
        return;
    }
    p->thread_started = 1;
}

static void Publisher_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static void Publisher_Destroy(MODULE_HANDLE module)
{
    PUBLISHER* p = (PUBLISHER*)module;
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
            LogError("publisher: ThreadAPI_Join failed");
        }
    }
    pub_write_report(p);
    Map_Destroy(p->props);
    pub_config_free(&p->cfg);
    free(p->buf);
    free(p);
}

static const MODULE_API_1 Publisher_Api =
{
    { MODULE_API_VERSION_1 },
    Publisher_ParseConfigurationFromJson,
    Publisher_FreeConfiguration,
    Publisher_Create,
    Publisher_Destroy,
    Publisher_Receive,
    Publisher_Start
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Publisher_Api;
}
