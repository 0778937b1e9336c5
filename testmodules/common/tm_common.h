/* tm_common.h - small helpers shared by the test modules (header only, every
 * function is static inline so each module .so gets its own private copy and
 * exports nothing but Module_GetApi).
 *
 * Contents:
 *  - tm_now_ns():          CLOCK_MONOTONIC in nanoseconds (the clock of `ts_ns`).
 *  - tm_pattern_byte():    the deterministic content pattern shared by the
 *                          publishers and the verifying sink.
 *  - tm_args_*():          reading module args (a JSON text) with parson.
 *  - TM_BUF + tm_buf_*():  a growable text buffer for building report JSON.
 *  - tm_write_file_atomic(): write a whole file via a temp file + rename.
 *  - tm_publish_seq():     build and publish one sequenced test message.
 *
 * Message convention of the test publisher (testmodules/publisher):
 *   properties  seq    decimal sequence number per stream, from 0
 *               stream the stream name
 *               ts_ns  CLOCK_MONOTONIC nanoseconds taken just before the
 *                      message is created (latency = receive time - ts_ns)
 *   content     `size` bytes, byte i of message seq is tm_pattern_byte(seq, i)
 */
#ifndef TM_COMMON_H
#define TM_COMMON_H

#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 200809L
#error "define _POSIX_C_SOURCE 200809L before including any header"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/xlogging.h"
#include "broker.h"
#include "message.h"
#include "parson.h"

/* ---- time ---------------------------------------------------------------- */

static inline uint64_t tm_now_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- content pattern ----------------------------------------------------- */

/* Byte i of the content of message number seq. Depends on every byte of the
 * low 32 bits of seq and on i, so a message delivered under the wrong seq, or
 * with shifted or corrupted content, is detected. */
static inline unsigned char tm_pattern_byte(uint64_t seq, size_t i)
{
    uint32_t s = (uint32_t)seq;
    uint32_t mix = s ^ (s >> 8) * 7u ^ (s >> 16) * 13u ^ (s >> 24) * 29u;
    return (unsigned char)(mix * 131u + (uint32_t)i * 7u + 1u);
}

static inline void tm_fill_pattern(unsigned char* buf, size_t size, uint64_t seq)
{
    size_t i;
    for (i = 0; i < size; i++)
    {
        buf[i] = tm_pattern_byte(seq, i);
    }
}

/* Returns 1 if buf matches the pattern of seq, 0 otherwise. */
static inline int tm_check_pattern(const unsigned char* buf, size_t size, uint64_t seq)
{
    size_t i;
    if (size != 0 && buf == NULL)
    {
        return 0;
    }
    for (i = 0; i < size; i++)
    {
        if (buf[i] != tm_pattern_byte(seq, i))
        {
            return 0;
        }
    }
    return 1;
}

/* Parses a whole decimal unsigned integer ("0".."18446744073709551615").
 * Returns 0 on success, -1 if s is NULL, empty, signed or has trailing text. */
static inline int tm_parse_u64(const char* s, uint64_t* out)
{
    char* end;
    unsigned long long v;
    if (s == NULL || *s < '0' || *s > '9')
    {
        return -1;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
    {
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* ---- args ---------------------------------------------------------------- */

/* Parses the module args text. On success returns 0 and sets *root (free it
 * with json_value_free; may be NULL) and *obj (NULL when the args are absent,
 * i.e. configuration == NULL, or JSON null). Returns -1 (and logs) when the
 * text is not JSON or is JSON other than an object or null. */
static inline int tm_args_open(const char* module, const char* configuration, JSON_Value** root, JSON_Object** obj)
{
    *root = NULL;
    *obj = NULL;
    if (configuration == NULL)
    {
        return 0;
    }
    *root = json_parse_string(configuration);
    if (*root == NULL)
    {
        LogError("%s: args are not valid JSON: %s", module, configuration);
        return -1;
    }
    if (json_value_get_type(*root) == JSONNull)
    {
        return 0;
    }
    *obj = json_value_get_object(*root);
    if (*obj == NULL)
    {
        LogError("%s: args must be a JSON object or null: %s", module, configuration);
        json_value_free(*root);
        *root = NULL;
        return -1;
    }
    return 0;
}

/* Reads an optional non-negative integer member. Absent (or JSON null) keeps
 * *out unchanged and returns 0; a value that is not a whole number >= 0 logs
 * and returns -1. */
static inline int tm_args_get_u64(const char* module, const JSON_Object* obj, const char* key, uint64_t* out)
{
    JSON_Value* v;
    double d;
    if (obj == NULL || (v = json_object_get_value(obj, key)) == NULL || json_value_get_type(v) == JSONNull)
    {
        return 0;
    }
    if (json_value_get_type(v) != JSONNumber)
    {
        LogError("%s: args: %s must be a number", module, key);
        return -1;
    }
    d = json_value_get_number(v);
    if (!(d >= 0.0) || d > 9007199254740992.0 || (double)(uint64_t)d != d)
    {
        LogError("%s: args: %s must be a whole number >= 0", module, key);
        return -1;
    }
    *out = (uint64_t)d;
    return 0;
}

/* Reads an optional non-negative number member (fractions allowed), same
 * rules as tm_args_get_u64 otherwise. */
static inline int tm_args_get_double(const char* module, const JSON_Object* obj, const char* key, double* out)
{
    JSON_Value* v;
    double d;
    if (obj == NULL || (v = json_object_get_value(obj, key)) == NULL || json_value_get_type(v) == JSONNull)
    {
        return 0;
    }
    if (json_value_get_type(v) != JSONNumber)
    {
        LogError("%s: args: %s must be a number", module, key);
        return -1;
    }
    d = json_value_get_number(v);
    if (!(d >= 0.0) || d > 1e15)
    {
        LogError("%s: args: %s must be a number >= 0", module, key);
        return -1;
    }
    *out = d;
    return 0;
}

/* Reads an optional string member and returns a malloc'd copy in *out (the
 * caller frees it; left NULL when absent or JSON null). A non-string value, or
 * an empty one when allow_empty is 0, logs and returns -1. */
static inline int tm_args_dup_string(const char* module, const JSON_Object* obj, const char* key, int allow_empty, char** out)
{
    JSON_Value* v;
    const char* s;
    *out = NULL;
    if (obj == NULL || (v = json_object_get_value(obj, key)) == NULL || json_value_get_type(v) == JSONNull)
    {
        return 0;
    }
    s = json_value_get_string(v);
    if (s == NULL || (!allow_empty && s[0] == '\0'))
    {
        LogError("%s: args: %s must be a%s string", module, key, allow_empty ? "" : " non-empty");
        return -1;
    }
    *out = (char*)malloc(strlen(s) + 1);
    if (*out == NULL)
    {
        LogError("%s: args: %s: out of memory", module, key);
        return -1;
    }
    strcpy(*out, s);
    return 0;
}

/* ---- string pairs (properties) --------------------------------------------- */

/* A malloc'd list of key/value string pairs; every string is malloc'd. */
typedef struct TM_PAIRS_TAG
{
    size_t count;
    char** keys;
    char** values;
} TM_PAIRS;

static inline void tm_pairs_free(TM_PAIRS* p)
{
    size_t i;
    for (i = 0; i < p->count; i++)
    {
        free(p->keys[i]);
        free(p->values[i]);
    }
    free(p->keys);
    free(p->values);
    p->count = 0;
    p->keys = NULL;
    p->values = NULL;
}

/* Appends copies of key and value. Returns 0 or -1 (out of memory). */
static inline int tm_pairs_add(TM_PAIRS* p, const char* key, const char* value)
{
    char** nk = (char**)realloc(p->keys, (p->count + 1) * sizeof(char*));
    char** nv;
    if (nk == NULL)
    {
        return -1;
    }
    p->keys = nk;
    nv = (char**)realloc(p->values, (p->count + 1) * sizeof(char*));
    if (nv == NULL)
    {
        return -1;
    }
    p->values = nv;
    p->keys[p->count] = (char*)malloc(strlen(key) + 1);
    p->values[p->count] = (char*)malloc(strlen(value) + 1);
    if (p->keys[p->count] == NULL || p->values[p->count] == NULL)
    {
        free(p->keys[p->count]);
        free(p->values[p->count]);
        return -1;
    }
    strcpy(p->keys[p->count], key);
    strcpy(p->values[p->count], value);
    p->count++;
    return 0;
}

/* Deep copy of src into *dst (which must be empty). Returns 0 or -1. */
static inline int tm_pairs_copy(TM_PAIRS* dst, const TM_PAIRS* src)
{
    size_t i;
    for (i = 0; i < src->count; i++)
    {
        if (tm_pairs_add(dst, src->keys[i], src->values[i]) != 0)
        {
            tm_pairs_free(dst);
            return -1;
        }
    }
    return 0;
}

/* Reads an optional member that must be an object of string values into *out
 * (which must be empty). *present is set to 1 when the member exists (even
 * if empty). Returns 0, or -1 (logged) on a wrong type or out of memory. */
static inline int tm_args_get_pairs(const char* module, const JSON_Object* obj, const char* key, TM_PAIRS* out, int* present)
{
    JSON_Value* v;
    JSON_Object* o;
    size_t i, n;
    *present = 0;
    if (obj == NULL || (v = json_object_get_value(obj, key)) == NULL || json_value_get_type(v) == JSONNull)
    {
        return 0;
    }
    o = json_value_get_object(v);
    if (o == NULL)
    {
        LogError("%s: args: %s must be an object of strings", module, key);
        return -1;
    }
    *present = 1;
    n = json_object_get_count(o);
    for (i = 0; i < n; i++)
    {
        const char* name = json_object_get_name(o, i);
        const char* value = (name == NULL) ? NULL : json_object_get_string(o, name);
        if (value == NULL)
        {
            LogError("%s: args: %s.%s must be a string", module, key, name == NULL ? "?" : name);
            tm_pairs_free(out);
            return -1;
        }
        if (tm_pairs_add(out, name, value) != 0)
        {
            LogError("%s: args: %s: out of memory", module, key);
            tm_pairs_free(out);
            return -1;
        }
    }
    return 0;
}

/* ---- text buffer ----------------------------------------------------------- */

/* A growable NUL-terminated text buffer. `failed` is sticky: once an
 * allocation fails every later append is ignored and the caller checks it
 * once at the end. Free `data` with free(). */
typedef struct TM_BUF_TAG
{
    char* data;
    size_t len;
    size_t cap;
    int failed;
} TM_BUF;

static inline void tm_buf_printf(TM_BUF* b, const char* fmt, ...)
{
    va_list ap;
    int n;
    if (b->failed)
    {
        return;
    }
    for (;;)
    {
        size_t avail = b->cap - b->len;
        va_start(ap, fmt);
        n = (b->data == NULL) ? vsnprintf(NULL, 0, fmt, ap) : vsnprintf(b->data + b->len, avail, fmt, ap);
        va_end(ap);
        if (n < 0)
        {
            b->failed = 1;
            return;
        }
        if (b->data != NULL && (size_t)n < avail)
        {
            b->len += (size_t)n;
            return;
        }
        {
            size_t want = b->len + (size_t)n + 1;
            size_t cap = b->cap < 256 ? 256 : b->cap;
            char* p;
            while (cap < want)
            {
                cap *= 2;
            }
            p = (char*)realloc(b->data, cap);
            if (p == NULL)
            {
                b->failed = 1;
                return;
            }
            if (b->data == NULL)
            {
                p[0] = '\0';
            }
            b->data = p;
            b->cap = cap;
        }
    }
}

/* Appends s as a JSON string literal (with quotes and escapes). */
static inline void tm_buf_json_string(TM_BUF* b, const char* s)
{
    const unsigned char* p = (const unsigned char*)s;
    tm_buf_printf(b, "\"");
    for (; *p != '\0'; p++)
    {
        if (*p == '"' || *p == '\\')
        {
            tm_buf_printf(b, "\\%c", *p);
        }
        else if (*p < 0x20)
        {
            tm_buf_printf(b, "\\u%04x", (unsigned int)*p);
        }
        else
        {
            tm_buf_printf(b, "%c", *p);
        }
    }
    tm_buf_printf(b, "\"");
}

/* ---- files ----------------------------------------------------------------- */

/* Writes text to path atomically: "<path>.tmp.<pid>.<n>" is written, closed and
 * renamed over path, so a reader sees the old file or the whole new one.
 * Returns 0 or -1 (logged). */
static inline int tm_write_file_atomic(const char* module, const char* path, const char* text)
{
    static unsigned int counter;
    unsigned int serial = __atomic_fetch_add(&counter, 1u, __ATOMIC_RELAXED);
    size_t n = strlen(path) + 48;
    char* tmp = (char*)malloc(n);
    FILE* f;
    int ok;
    if (tmp == NULL)
    {
        LogError("%s: report %s: out of memory", module, path);
        return -1;
    }
    (void)snprintf(tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(), serial);
    f = fopen(tmp, "wb");
    if (f == NULL)
    {
        LogError("%s: report %s: cannot create %s: %s", module, path, tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0)
    {
        LogError("%s: report %s: write failed: %s", module, path, strerror(errno));
        (void)remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* ---- publishing -------------------------------------------------------------- */

/* Publishes message number seq from module self: fills buf (size bytes) with
 * the pattern of seq, sets `seq` and `ts_ns` in props (which the caller has
 * prepared with `stream` and any extra properties), creates the message (it
 * copies content and properties), publishes it and releases it.
 * Returns the Broker_Publish result, or BROKER_ERROR if the message could not
 * be built. buf and props stay owned by the caller and are reused. */
static inline BROKER_RESULT tm_publish_seq(BROKER_HANDLE broker, MODULE_HANDLE self, MAP_HANDLE props,
    unsigned char* buf, size_t size, uint64_t seq)
{
    char num[32];
    MESSAGE_CONFIG cfg;
    MESSAGE_HANDLE msg;
    BROKER_RESULT r;

    tm_fill_pattern(buf, size, seq);
    (void)snprintf(num, sizeof(num), "%llu", (unsigned long long)seq);
    if (Map_AddOrUpdate(props, "seq", num) != MAP_OK)
    {
        return BROKER_ERROR;
    }
    (void)snprintf(num, sizeof(num), "%llu", (unsigned long long)tm_now_ns());
    if (Map_AddOrUpdate(props, "ts_ns", num) != MAP_OK)
    {
        return BROKER_ERROR;
    }
    cfg.size = size;
    cfg.source = buf;
    cfg.sourceProperties = props;
    msg = Message_Create(&cfg);
    if (msg == NULL)
    {
        return BROKER_ERROR;
    }
    r = Broker_Publish(broker, self, msg);
    Message_Destroy(msg);
    return r;
}

/* Creates the property map used by tm_publish_seq: `stream` plus extras.
 * Returns NULL (logged) on failure; the caller destroys it with Map_Destroy. */
static inline MAP_HANDLE tm_make_props(const char* module, const char* stream, const TM_PAIRS* extra)
{
    size_t i;
    MAP_HANDLE props = Map_Create(NULL);
    if (props == NULL)
    {
        LogError("%s: Map_Create failed", module);
        return NULL;
    }
    for (i = 0; extra != NULL && i < extra->count; i++)
    {
        if (Map_AddOrUpdate(props, extra->keys[i], extra->values[i]) != MAP_OK)
        {
            LogError("%s: cannot add property %s", module, extra->keys[i]);
            Map_Destroy(props);
            return NULL;
        }
    }
    if (Map_AddOrUpdate(props, "stream", stream) != MAP_OK)
    {
        LogError("%s: cannot add property stream", module);
        Map_Destroy(props);
        return NULL;
    }
    return props;
}

#endif /* TM_COMMON_H */
