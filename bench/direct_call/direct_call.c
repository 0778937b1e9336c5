/* direct_call - the practical limit of in-process delivery: the publisher's
 * per-message work (testmodules/publisher: fill the content pattern, set the
 * `seq` and `ts_ns` properties, Message_Create, hand the message over,
 * Message_Destroy) with the hand-over being a direct call of the sink's
 * Module_Receive on the same thread. No broker, no queue, no thread switch.
 *
 * usage: direct_call <libsink.so> <count> <size> <sink_report> <publisher_report>
 *
 * The sink (testmodules/sink, loaded with dlopen and driven through its
 * MODULE_API_1 table) gets args {"report": <sink_report>, "expect": <count>} and
 * verifies sequence, content and latency as it does in the gateway. The
 * publisher report has the shape of testmodules/publisher's:
 *   {"published": N, "publish_errors": N, "elapsed_ns": N, "finished": bool}
 * elapsed_ns runs from the first message to the return of the last Receive.
 * Properties: stream "direct", source "publisher", type "test" (as the
 * publisher's defaults). Exit code 0 on success, 1 on any failure.
 *
 * Ownership: every message is created here and destroyed here after Receive
 * returns (Receive borrows it); the property map and content buffer are ours
 * and reused; the sink's configuration is freed right after Module_Create.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/map.h"
#include "message.h"
#include "module.h"
#include "tm_common.h"

static int parse_u64_arg(const char* what, const char* s, uint64_t* out)
{
    if (tm_parse_u64(s, out) != 0)
    {
        fprintf(stderr, "direct_call: %s: not a whole number: %s\n", what, s);
        return -1;
    }
    return 0;
}

/* Publishes message seq the way tm_publish_seq does, but delivers it by a
 * direct call of receive. Returns 0, or -1 if the message could not be built. */
static int direct_publish(const MODULE_API_1* api, MODULE_HANDLE sink, MAP_HANDLE props, unsigned char* buf,
    size_t size, uint64_t seq)
{
    char num[32];
    MESSAGE_CONFIG cfg;
    MESSAGE_HANDLE msg;

    tm_fill_pattern(buf, size, seq);
    (void)snprintf(num, sizeof(num), "%llu", (unsigned long long)seq);
    if (Map_AddOrUpdate(props, "seq", num) != MAP_OK)
    {
        return -1;
    }
    (void)snprintf(num, sizeof(num), "%llu", (unsigned long long)tm_now_ns());
    if (Map_AddOrUpdate(props, "ts_ns", num) != MAP_OK)
    {
        return -1;
    }
    cfg.size = size;
    cfg.source = buf;
    cfg.sourceProperties = props;
    msg = Message_Create(&cfg);
    if (msg == NULL)
    {
        return -1;
    }
    api->Module_Receive(sink, msg);
    Message_Destroy(msg);
    return 0;
}

int main(int argc, char** argv)
{
    uint64_t count, size, seq, t0, published = 0, errors = 0, elapsed = 0;
    void* lib;
    pfModule_GetApi get_api;
    const MODULE_API_1* api;
    void* sink_cfg;
    MODULE_HANDLE sink;
    MAP_HANDLE props;
    TM_PAIRS extra = { 0, NULL, NULL };
    unsigned char* buf;
    TM_BUF args = { NULL, 0, 0, 0 };
    TM_BUF report = { NULL, 0, 0, 0 };
    int rc = 0;

    if (argc != 6)
    {
        fprintf(stderr, "usage: direct_call <libsink.so> <count> <size> <sink_report> <publisher_report>\n");
        return 2;
    }
    if (parse_u64_arg("count", argv[2], &count) != 0 || parse_u64_arg("size", argv[3], &size) != 0)
    {
        return 2;
    }
    if (size > 64u * 1024u * 1024u)
    {
        fprintf(stderr, "direct_call: size must be at most 64 MiB\n");
        return 2;
    }

    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
    {
        fprintf(stderr, "direct_call: dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    *(void**)(&get_api) = dlsym(lib, MODULE_GETAPI_NAME);
    if (get_api == NULL)
    {
        fprintf(stderr, "direct_call: %s: no %s\n", argv[1], MODULE_GETAPI_NAME);
        return 1;
    }
    api = (const MODULE_API_1*)get_api(MODULE_API_VERSION_1);
    if (api == NULL || api->base.version != MODULE_API_VERSION_1 || api->Module_Create == NULL ||
        api->Module_Receive == NULL || api->Module_Destroy == NULL)
    {
        fprintf(stderr, "direct_call: %s: unusable module API table\n", argv[1]);
        return 1;
    }

    tm_buf_printf(&args, "{\"report\": ");
    tm_buf_json_string(&args, argv[4]);
    tm_buf_printf(&args, ", \"expect\": %llu}", (unsigned long long)count);
    if (args.failed)
    {
        fprintf(stderr, "direct_call: out of memory\n");
        return 1;
    }
    sink_cfg = api->Module_ParseConfigurationFromJson != NULL ? api->Module_ParseConfigurationFromJson(args.data) : args.data;
    if (sink_cfg == NULL)
    {
        fprintf(stderr, "direct_call: sink rejected its args %s\n", args.data);
        return 1;
    }
    /* the sink ignores its broker; there is none here */
    sink = api->Module_Create(NULL, sink_cfg);
    if (api->Module_ParseConfigurationFromJson != NULL && api->Module_FreeConfiguration != NULL)
    {
        api->Module_FreeConfiguration(sink_cfg);
    }
    free(args.data);
    if (sink == NULL)
    {
        fprintf(stderr, "direct_call: sink Module_Create failed\n");
        return 1;
    }
    if (api->Module_Start != NULL)
    {
        api->Module_Start(sink);
    }

    if (tm_pairs_add(&extra, "source", "publisher") != 0 || tm_pairs_add(&extra, "type", "test") != 0)
    {
        fprintf(stderr, "direct_call: out of memory\n");
        return 1;
    }
    props = tm_make_props("direct_call", "direct", &extra);
    tm_pairs_free(&extra);
    buf = (unsigned char*)malloc(size > 0 ? (size_t)size : 1u);
    if (props == NULL || buf == NULL)
    {
        fprintf(stderr, "direct_call: out of memory\n");
        return 1;
    }

    t0 = tm_now_ns();
    for (seq = 0; seq < count; seq++)
    {
        if (direct_publish(api, sink, props, buf, (size_t)size, seq) == 0)
        {
            published++;
        }
        else
        {
            errors++;
        }
    }
    elapsed = tm_now_ns() - t0;

    api->Module_Destroy(sink); /* writes the sink's final report */
    Map_Destroy(props);
    free(buf);

    tm_buf_printf(&report, "{\"published\": %llu, \"publish_errors\": %llu, \"elapsed_ns\": %llu, \"finished\": true}\n",
        (unsigned long long)published, (unsigned long long)errors, (unsigned long long)elapsed);
    if (report.failed || tm_write_file_atomic("direct_call", argv[5], report.data) != 0)
    {
        rc = 1;
    }
    free(report.data);
    if (errors != 0)
    {
        fprintf(stderr, "direct_call: %llu messages could not be built\n", (unsigned long long)errors);
        rc = 1;
    }
    /* lib stays loaded: unloading a module that linked libgateway.so buys nothing here */
    return rc;
}
