/* sink - verifying sink for the messages of testmodules/publisher.
 *
 * Args (all optional; null or absent args mean all defaults):
 *   "report":          path of the JSON report (atomic: temp file + rename),
 *                      written on Destroy, when `expect` is reached, and every
 *                      report_every_ms if set. No report when absent.
 *   "expect":          number of messages expected in total (0 = not set); the
 *                      report is written as soon as it is reached
 *   "report_every_ms": period of reports from a background thread (0 = none)
 * Per message (Module_Receive): counts it under its `stream` property ("" when
 * absent; at most SINK_MAX_STREAMS streams, names cut to SINK_NAME_MAX-1 bytes,
 * further streams only counted in other_streams). When a decimal `seq` exists:
 *   - seq == next expected (first expected is 0): in order;
 *   - seq >  next: a gap, lost += seq - next;
 *   - seq <  next: dups if that seq was already received, else reorders (a late
 *     message: lost -= 1). Older than SINK_WINDOW below the highest seq: reorders.
 *   - content must equal tm_pattern_byte(seq, i) for every byte, else bad_content.
 * When `ts_ns` exists, latency = CLOCK_MONOTONIC now - ts_ns goes into a log-
 * linear histogram (8 buckets per power of two, <= 6.25% error) for p50/p99.
 * Report:
 *   {"received": N, "streams": {"name": {"received": N, "last_seq": N (-1 = none),
 *    "gaps": N, "lost": N, "dups": N, "reorders": N, "bad_content": N}, ...},
 *    "other_streams": N, "latency_samples": N, "p50_us": X, "p99_us": X,
 *    "max_us": X, "final": bool, "expect": N, "complete": bool}
 *   ("expect" and "complete" only when expect is set; "final" is true for the
 *   report written by Destroy.)
 * Receive allocates nothing of its own; a lock guards the counters against the
 * report thread.
 * Library: libsink.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/condition.h"
#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

#define SINK_MAX_STREAMS 64
#define SINK_NAME_MAX 64
#define SINK_WINDOW 1024 /* seqs remembered below the next expected one */
#define SINK_HIST_BUCKETS 496 /* covers every uint64 value */
#define SINK_MAX_WAIT_MS 100

typedef struct SINK_CONFIG_TAG
{
    char* report; /* malloc'd, may be NULL */
    uint64_t expect;
    uint64_t report_every_ms;
} SINK_CONFIG;

typedef struct SINK_STREAM_TAG
{
    char name[SINK_NAME_MAX];
    uint64_t received;
    uint64_t next;      /* next expected seq */
    int has_seq;        /* any seq seen */
    uint64_t gaps;
    uint64_t lost;
    uint64_t dups;
    uint64_t reorders;
    uint64_t bad_content;
} SINK_STREAM;

/* Everything a report shows; copied whole under the lock for a report. */
typedef struct SINK_STATS_TAG
{
    uint64_t received;
    uint64_t other_streams;
    size_t nstreams;
    SINK_STREAM streams[SINK_MAX_STREAMS];
    uint64_t lat_count;
    uint64_t lat_max_ns;
    uint64_t hist[SINK_HIST_BUCKETS];
} SINK_STATS;

typedef struct SINK_TAG
{
    SINK_CONFIG cfg;     /* copy */
    LOCK_HANDLE lock;        /* guards stats and stop */
    LOCK_HANDLE report_lock; /* serialises report writers, taken before lock */
    COND_HANDLE cond;
    int stop;            /* guarded by lock */
    int thread_started;
    THREAD_HANDLE thread;
    size_t last_stream;  /* index cache for the common one-stream case */
    SINK_STATS stats;    /* guarded by lock */
    /* received-seq bitmaps, one per stream, bit (seq % SINK_WINDOW); receive thread only */
    uint64_t window[SINK_MAX_STREAMS][SINK_WINDOW / 64];
} SINK;

/* ---- latency histogram ------------------------------------------------------ */

/* Log-linear bucket of v: exact below 16, then 8 buckets per power of two. */
static size_t sink_bucket(uint64_t v)
{
    unsigned msb;
    if (v < 16)
    {
        return (size_t)v;
    }
    msb = 63u - (unsigned)__builtin_clzll(v);
    return (size_t)(msb - 2u) * 8u + (size_t)((v >> (msb - 3u)) & 7u);
}

/* Middle of bucket b, in ns. */
static double sink_bucket_mid(size_t b)
{
    unsigned msb;
    uint64_t sub, lo, width;
    if (b < 16)
    {
        return (double)b;
    }
    msb = (unsigned)(b / 8u) + 2u;
    sub = (uint64_t)(b % 8u);
    width = (uint64_t)1 << (msb - 3u);
    lo = (8u + sub) * width;
    return (double)lo + (double)(width - 1u) / 2.0;
}

/* p-th quantile (0 < p <= 1) of the histogram in microseconds, at most max. */
static double sink_quantile_us(const SINK_STATS* s, double p)
{
    uint64_t target, seen = 0;
    size_t b;
    double ns = 0.0;
    if (s->lat_count == 0)
    {
        return 0.0;
    }
    target = (uint64_t)(p * (double)s->lat_count);
    if ((double)target < p * (double)s->lat_count)
    {
        target++;
    }
    if (target == 0)
    {
        target = 1;
    }
    for (b = 0; b < SINK_HIST_BUCKETS; b++)
    {
        seen += s->hist[b];
        if (seen >= target)
        {
            ns = sink_bucket_mid(b);
            break;
        }
    }
    if (ns > (double)s->lat_max_ns)
    {
        ns = (double)s->lat_max_ns;
    }
    return ns / 1000.0;
}

/* ---- sequence bookkeeping ----------------------------------------------------- */

static int sink_bit(const uint64_t* w, uint64_t seq)
{
    size_t i = (size_t)(seq % SINK_WINDOW);
    return (int)((w[i / 64] >> (i % 64)) & 1u);
}

static void sink_set_bit(uint64_t* w, uint64_t seq, int on)
{
    size_t i = (size_t)(seq % SINK_WINDOW);
    if (on)
    {
        w[i / 64] |= (uint64_t)1 << (i % 64);
    }
    else
    {
        w[i / 64] &= ~((uint64_t)1 << (i % 64));
    }
}

static void sink_track_seq(SINK_STREAM* st, uint64_t* w, uint64_t seq)
{
    if (seq >= st->next)
    {
        if (seq > st->next)
        {
            uint64_t missing = seq - st->next;
            st->gaps++;
            st->lost += missing;
            if (missing >= SINK_WINDOW)
            {
                memset(w, 0, SINK_WINDOW / 8);
            }
            else
            {
                uint64_t s;
                for (s = st->next; s < seq; s++)
                {
                    sink_set_bit(w, s, 0);
                }
            }
        }
        sink_set_bit(w, seq, 1);
        st->next = seq + 1;
        st->has_seq = 1;
    }
    else if (st->next - seq > SINK_WINDOW)
    {
        st->reorders++;
    }
    else if (sink_bit(w, seq))
    {
        st->dups++;
    }
    else
    {
        sink_set_bit(w, seq, 1);
        st->reorders++;
        if (st->lost > 0)
        {
            st->lost--;
        }
    }
}

/* Index of the stream called name, adding it if there is room; -1 if full. */
static long sink_find_stream(SINK* k, const char* name)
{
    size_t i;
    SINK_STATS* s = &k->stats;
    if (k->last_stream < s->nstreams && strncmp(s->streams[k->last_stream].name, name, SINK_NAME_MAX - 1) == 0)
    {
        return (long)k->last_stream;
    }
    for (i = 0; i < s->nstreams; i++)
    {
        if (strncmp(s->streams[i].name, name, SINK_NAME_MAX - 1) == 0)
        {
            k->last_stream = i;
            return (long)i;
        }
    }
    if (s->nstreams == SINK_MAX_STREAMS)
    {
        return -1;
    }
    i = s->nstreams++;
    memset(&s->streams[i], 0, sizeof(s->streams[i]));
    strncpy(s->streams[i].name, name, SINK_NAME_MAX - 1);
    s->streams[i].name[SINK_NAME_MAX - 1] = '\0';
    memset(k->window[i], 0, sizeof(k->window[i]));
    k->last_stream = i;
    return (long)i;
}

/* ---- report --------------------------------------------------------------------- */

static void sink_write_report(SINK* k, int final)
{
    SINK_STATS* s;
    TM_BUF b = { NULL, 0, 0, 0 };
    size_t i;
    if (k->cfg.report == NULL)
    {
        return;
    }
    s = (SINK_STATS*)malloc(sizeof(SINK_STATS));
    if (s == NULL)
    {
        LogError("sink: report: out of memory");
        return;
    }
    /* one writer at a time, so a newer snapshot is never overwritten by an older one */
    (void)Lock(k->report_lock);
    (void)Lock(k->lock);
    memcpy(s, &k->stats, sizeof(SINK_STATS));
    (void)Unlock(k->lock);

    tm_buf_printf(&b, "{\"received\": %llu, \"streams\": {", (unsigned long long)s->received);
    for (i = 0; i < s->nstreams; i++)
    {
        const SINK_STREAM* st = &s->streams[i];
        tm_buf_printf(&b, "%s", i == 0 ? "" : ", ");
        tm_buf_json_string(&b, st->name);
        tm_buf_printf(&b, ": {\"received\": %llu, \"last_seq\": %lld, \"gaps\": %llu, \"lost\": %llu, "
            "\"dups\": %llu, \"reorders\": %llu, \"bad_content\": %llu}",
            (unsigned long long)st->received, st->has_seq ? (long long)(st->next - 1u) : -1LL,
            (unsigned long long)st->gaps, (unsigned long long)st->lost, (unsigned long long)st->dups,
            (unsigned long long)st->reorders, (unsigned long long)st->bad_content);
    }
    tm_buf_printf(&b, "}, \"other_streams\": %llu, \"latency_samples\": %llu, \"p50_us\": %.3f, "
        "\"p99_us\": %.3f, \"max_us\": %.3f, \"final\": %s",
        (unsigned long long)s->other_streams, (unsigned long long)s->lat_count,
        sink_quantile_us(s, 0.50), sink_quantile_us(s, 0.99), (double)s->lat_max_ns / 1000.0,
        final ? "true" : "false");
    if (k->cfg.expect > 0)
    {
        tm_buf_printf(&b, ", \"expect\": %llu, \"complete\": %s", (unsigned long long)k->cfg.expect,
            s->received >= k->cfg.expect ? "true" : "false");
    }
    tm_buf_printf(&b, "}\n");
    free(s);
    if (b.failed)
    {
        LogError("sink: report: out of memory");
    }
    else
    {
        (void)tm_write_file_atomic("sink", k->cfg.report, b.data);
    }
    (void)Unlock(k->report_lock);
    free(b.data);
}

/* Writes a report every report_every_ms until stop is set. */
static int sink_thread(void* arg)
{
    SINK* k = (SINK*)arg;
    for (;;)
    {
        uint64_t deadline = tm_now_ns() + k->cfg.report_every_ms * 1000000u;
        int stop = 0;
        (void)Lock(k->lock);
        for (;;)
        {
            uint64_t now, left_ms;
            if (k->stop)
            {
                stop = 1;
                break;
            }
            now = tm_now_ns();
            if (now >= deadline)
            {
                break;
            }
            left_ms = (deadline - now + 999999u) / 1000000u;
            (void)Condition_Wait(k->cond, k->lock, (int)(left_ms < SINK_MAX_WAIT_MS ? left_ms : SINK_MAX_WAIT_MS));
        }
        (void)Unlock(k->lock);
        if (stop)
        {
            return 0;
        }
        sink_write_report(k, 0);
    }
}

/* ---- module API ----------------------------------------------------------------- */

static void* Sink_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    SINK_CONFIG* c;
    if (tm_args_open("sink", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    c = (SINK_CONFIG*)calloc(1, sizeof(SINK_CONFIG));
    if (c == NULL)
    {
        LogError("sink: out of memory");
    }
    else if (tm_args_dup_string("sink", obj, "report", 0, &c->report) != 0 ||
             tm_args_get_u64("sink", obj, "expect", &c->expect) != 0 ||
             tm_args_get_u64("sink", obj, "report_every_ms", &c->report_every_ms) != 0)
    {
        free(c->report);
        free(c);
        c = NULL;
    }
    else if (c->report_every_ms > 86400000u)
    {
        LogError("sink: args: report_every_ms must be at most one day");
        free(c->report);
        free(c);
        c = NULL;
    }
    json_value_free(root);
    return c;
}

static void Sink_FreeConfiguration(void* configuration)
{
    SINK_CONFIG* c = (SINK_CONFIG*)configuration;
    if (c != NULL)
    {
        free(c->report);
        free(c);
    }
}

static void sink_free(SINK* k)
{
    if (k->cond != NULL)
    {
        Condition_Deinit(k->cond);
    }
    if (k->lock != NULL)
    {
        (void)Lock_Deinit(k->lock);
    }
    if (k->report_lock != NULL)
    {
        (void)Lock_Deinit(k->report_lock);
    }
    free(k->cfg.report);
    free(k);
}

/* configuration may be NULL (no report) for hosts that call Module_Create
 * directly; the JSON path always passes a parsed SINK_CONFIG. */
static MODULE_HANDLE Sink_Create(BROKER_HANDLE broker, const void* configuration)
{
    const SINK_CONFIG* c = (const SINK_CONFIG*)configuration;
    SINK* k;
    (void)broker;
    k = (SINK*)calloc(1, sizeof(SINK));
    if (k == NULL)
    {
        LogError("sink: out of memory");
        return NULL;
    }
    if (c != NULL)
    {
        k->cfg.expect = c->expect;
        k->cfg.report_every_ms = c->report_every_ms;
        if (c->report != NULL)
        {
            k->cfg.report = (char*)malloc(strlen(c->report) + 1);
            if (k->cfg.report == NULL)
            {
                LogError("sink: out of memory");
                sink_free(k);
                return NULL;
            }
            strcpy(k->cfg.report, c->report);
        }
    }
    k->lock = Lock_Init();
    k->report_lock = Lock_Init();
    k->cond = Condition_Init();
    if (k->lock == NULL || k->report_lock == NULL || k->cond == NULL)
    {
        LogError("sink: cannot create lock/condition");
        sink_free(k);
        return NULL;
    }
    if (k->cfg.report != NULL && k->cfg.report_every_ms > 0)
    {
        if (ThreadAPI_Create(&k->thread, sink_thread, k) != THREADAPI_OK)
        {
            LogError("sink: ThreadAPI_Create failed");
            sink_free(k);
            return NULL;
        }
        k->thread_started = 1;
    }
    return (MODULE_HANDLE)k;
}

static void Sink_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    SINK* k = (SINK*)module;
    uint64_t now = tm_now_ns();
    CONSTMAP_HANDLE props;
    const char* stream = NULL;
    uint64_t seq = 0, ts = 0;
    int has_seq = 0, has_ts = 0, content_ok = 1, reached = 0;
    long si;

    if (k == NULL || message == NULL)
    {
        return;
    }
    props = Message_GetProperties(message);
    if (props != NULL)
    {
        stream = ConstMap_GetValue(props, "stream");
        has_seq = tm_parse_u64(ConstMap_GetValue(props, "seq"), &seq) == 0;
        has_ts = tm_parse_u64(ConstMap_GetValue(props, "ts_ns"), &ts) == 0;
    }
    if (stream == NULL)
    {
        stream = "";
    }
    if (has_seq)
    {
        const CONSTBUFFER* content = Message_GetContent(message);
        content_ok = content != NULL && tm_check_pattern(content->buffer, content->size, seq);
    }

    (void)Lock(k->lock);
    k->stats.received++;
    si = sink_find_stream(k, stream);
    if (si < 0)
    {
        k->stats.other_streams++;
    }
    else
    {
        SINK_STREAM* st = &k->stats.streams[si];
        st->received++;
        if (has_seq)
        {
            sink_track_seq(st, k->window[si], seq);
            if (!content_ok)
            {
                st->bad_content++;
            }
        }
    }
    if (has_ts)
    {
        uint64_t lat = now > ts ? now - ts : 0;
        k->stats.hist[sink_bucket(lat)]++;
        k->stats.lat_count++;
        if (lat > k->stats.lat_max_ns)
        {
            k->stats.lat_max_ns = lat;
        }
    }
    reached = k->cfg.expect > 0 && k->stats.received == k->cfg.expect;
    (void)Unlock(k->lock);

    /* properties are read (stream points into them) until here */
    if (props != NULL)
    {
        ConstMap_Destroy(props);
    }
    if (reached)
    {
        sink_write_report(k, 0);
    }
}

static void Sink_Destroy(MODULE_HANDLE module)
{
    SINK* k = (SINK*)module;
    if (k == NULL)
    {
        return;
    }
    if (k->thread_started)
    {
        int res;
        (void)Lock(k->lock);
        k->stop = 1;
        (void)Condition_Post(k->cond);
        (void)Unlock(k->lock);
        if (ThreadAPI_Join(k->thread, &res) != THREADAPI_OK)
        {
            LogError("sink: ThreadAPI_Join failed");
        }
    }
    sink_write_report(k, 1);
    sink_free(k);
}

static const MODULE_API_1 Sink_Api =
{
    { MODULE_API_VERSION_1 },
    Sink_ParseConfigurationFromJson,
    Sink_FreeConfiguration,
    Sink_Create,
    Sink_Destroy,
    Sink_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Sink_Api;
}
