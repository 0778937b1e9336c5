/*
 * The N-API addon that bootstrap.js uses (a linked binding, see gwn_load). Every
 * function here runs on the Node thread.
 *
 *   init(dispatch, resource)   creates the threadsafe function that carries Go's posts
 *                              to dispatch(op, module, req, buffer|undefined)
 *   ready()                    puts Go's signal handlers back and tells Go JS is ready
 *   publish(u8, length)        hands length bytes of [u32le module][message]... to Go
 *   reply(req, status, u8)     completes a Go request
 *   log(module, level, u8)     logs a line through the module's Go logger
 *   shutdown()                 stops accepting posts and releases the threadsafe function
 *   fixSignals()               adds SA_ONSTACK to signal handlers installed since (libuv's)
 *
 * Memory: byte arguments (Uint8Array) are only read during the call; Go copies what it
 * keeps. Posted items are freed here after dispatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"
#include "gwn_internal.h"

#define N gwn_napi

static napi_async_context gwn_actx;

/* Copies a pending JS exception (if any) into Go's log for module. */
static void gwn_log_pending(napi_env env, uint32_t module, const char *what)
{
    bool pending = false;
    napi_value exc, str;
    char buf[2048];
    size_t n = 0;
    if (N.napi_is_exception_pending(env, &pending) != GWN_NAPI_OK || !pending) {
        n = (size_t)snprintf(buf, sizeof buf, "%s failed without a JavaScript exception", what);
    } else if (N.napi_get_and_clear_last_exception(env, &exc) == GWN_NAPI_OK &&
               N.napi_coerce_to_string(env, exc, &str) == GWN_NAPI_OK) {
        int k = snprintf(buf, sizeof buf, "%s threw: ", what);
        size_t got = 0;
        N.napi_get_value_string_utf8(env, str, buf + k, sizeof buf - (size_t)k, &got);
        n = (size_t)k + got;
    } else {
        n = (size_t)snprintf(buf, sizeof buf, "%s threw (exception not printable)", what);
    }
    if (n >= sizeof buf) {
        n = sizeof buf - 1;
    }
    gwnGoLog(module, 0, (unsigned char *)buf, n);
}

/* Threadsafe-function callback: one posted item becomes one dispatch() call. env is NULL
 * when the function is being torn down; the item is then only released. */
static void gwn_call_js(napi_env env, napi_value fn, void *context, void *data)
{
    (void)context;
    gwn_item *it = data;
    int32_t op = it->op;
    uint32_t module = it->module;
    uint32_t req = it->req;
    if (env == NULL || fn == NULL) {
        free(it);
        if (op == GWN_OP_RECEIVE) {
            gwnGoBatchDone(module);
        }
        if (req != 0) {
            static const char msg[] = "node runtime shut down";
            gwnGoReply(req, 1, (unsigned char *)msg, sizeof msg - 1);
        }
        return;
    }
    napi_value argv[4], recv, result;
    int ok = N.napi_create_uint32(env, (uint32_t)op, &argv[0]) == GWN_NAPI_OK &&
             N.napi_create_uint32(env, module, &argv[1]) == GWN_NAPI_OK &&
             N.napi_create_uint32(env, req, &argv[2]) == GWN_NAPI_OK && N.napi_get_global(env, &recv) == GWN_NAPI_OK;
    if (ok) {
        if (it->len > 0) {
            ok = N.napi_create_buffer_copy(env, it->len, it->data, NULL, &argv[3]) == GWN_NAPI_OK;
        } else {
            ok = N.napi_get_undefined(env, &argv[3]) == GWN_NAPI_OK;
        }
    }
    free(it);
    if (!ok) {
        gwn_log_pending(env, module, "node bridge: preparing a dispatch");
    } else if (N.napi_make_callback(env, gwn_actx, recv, fn, 4, argv, &result) != GWN_NAPI_OK) {
        gwn_log_pending(env, module, "node bridge: dispatch");
    }
    if (op == GWN_OP_RECEIVE) {
        gwnGoBatchDone(module);
    }
    if (!ok && req != 0) {
        static const char msg[] = "node bridge: cannot hand the request to JavaScript";
        gwnGoReply(req, 1, (unsigned char *)msg, sizeof msg - 1);
    }
}

static void gwn_tsfn_finalized(napi_env env, void *data, void *hint)
{
    (void)env;
    (void)data;
    (void)hint;
    pthread_mutex_lock(&gwn_mu);
    gwn_state = 2;
    gwn_tsfn = NULL;
    pthread_mutex_unlock(&gwn_mu);
}

/* Reads up to max arguments; returns the count given. */
static size_t gwn_args(napi_env env, napi_callback_info info, napi_value *argv, size_t max)
{
    size_t argc = max;
    if (N.napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != GWN_NAPI_OK) {
        return 0;
    }
    return argc;
}

/* Reads a Uint8Array argument. Returns 0 on success. */
static int gwn_bytes(napi_env env, napi_value v, unsigned char **p, size_t *n)
{
    unsigned int type = 99;
    void *data = NULL;
    size_t len = 0;
    if (N.napi_get_typedarray_info(env, v, &type, &len, &data, NULL, NULL) != GWN_NAPI_OK ||
        type != GWN_NAPI_UINT8_ARRAY) {
        bool pending = false;
        N.napi_is_exception_pending(env, &pending);
        if (!pending) {
            N.napi_throw_error(env, NULL, "edgev1_gateway: expected a Uint8Array");
        }
        return -1;
    }
    *p = data;
    *n = len;
    return 0;
}

static napi_value gwn_undefined(napi_env env)
{
    napi_value u = NULL;
    N.napi_get_undefined(env, &u);
    return u;
}

static napi_value gwn_js_init(napi_env env, napi_callback_info info)
{
    napi_value argv[2], name;
    if (gwn_args(env, info, argv, 2) < 2) {
        N.napi_throw_error(env, NULL, "edgev1_gateway.init(dispatch, resource): two arguments expected");
        return NULL;
    }
    pthread_mutex_lock(&gwn_mu);
    int state = gwn_state;
    pthread_mutex_unlock(&gwn_mu);
    if (state != 0) {
        N.napi_throw_error(env, NULL, "edgev1_gateway.init: called twice");
        return NULL;
    }
    napi_threadsafe_function tsfn = NULL;
    if (N.napi_create_string_utf8(env, "edgev1-gateway", (size_t)-1, &name) != GWN_NAPI_OK ||
        N.napi_async_init(env, argv[1], name, &gwn_actx) != GWN_NAPI_OK ||
        N.napi_create_threadsafe_function(env, argv[0], argv[1], name, 0, 1, NULL, gwn_tsfn_finalized, NULL,
                                          gwn_call_js, &tsfn) != GWN_NAPI_OK) {
        bool pending = false;
        N.napi_is_exception_pending(env, &pending);
        if (!pending) {
            N.napi_throw_error(env, NULL, "edgev1_gateway.init: cannot create the threadsafe function");
        }
        return NULL;
    }
    pthread_mutex_lock(&gwn_mu);
    gwn_tsfn = tsfn;
    gwn_state = 1;
    pthread_mutex_unlock(&gwn_mu);
    return gwn_undefined(env);
}

static napi_value gwn_js_ready(napi_env env, napi_callback_info info)
{
    (void)info;
    gwn_restore_go_signals();
    gwnGoReady();
    return gwn_undefined(env);
}

static napi_value gwn_js_fix_signals(napi_env env, napi_callback_info info)
{
    (void)info;
    gwn_fix_onstack();
    return gwn_undefined(env);
}

static napi_value gwn_js_publish(napi_env env, napi_callback_info info)
{
    napi_value argv[2];
    unsigned char *p;
    size_t n;
    uint32_t len = 0;
    if (gwn_args(env, info, argv, 2) < 2 || gwn_bytes(env, argv[0], &p, &n) != 0 ||
        N.napi_get_value_uint32(env, argv[1], &len) != GWN_NAPI_OK) {
        return NULL;
    }
    if ((size_t)len < n) {
        n = len;
    }
    if (n > 0) {
        gwnGoPublish(p, n);
    }
    return gwn_undefined(env);
}

static napi_value gwn_js_reply(napi_env env, napi_callback_info info)
{
    napi_value argv[3];
    uint32_t req = 0;
    int32_t status = 0;
    unsigned char *p;
    size_t n;
    if (gwn_args(env, info, argv, 3) < 3 || N.napi_get_value_uint32(env, argv[0], &req) != GWN_NAPI_OK ||
        N.napi_get_value_int32(env, argv[1], &status) != GWN_NAPI_OK || gwn_bytes(env, argv[2], &p, &n) != 0) {
        return NULL;
    }
    gwnGoReply(req, status, p, n);
    return gwn_undefined(env);
}

static napi_value gwn_js_log(napi_env env, napi_callback_info info)
{
    napi_value argv[3];
    uint32_t module = 0;
    int32_t level = 0;
    unsigned char *p;
    size_t n;
    if (gwn_args(env, info, argv, 3) < 3 || N.napi_get_value_uint32(env, argv[0], &module) != GWN_NAPI_OK ||
        N.napi_get_value_int32(env, argv[1], &level) != GWN_NAPI_OK || gwn_bytes(env, argv[2], &p, &n) != 0) {
        return NULL;
    }
    gwnGoLog(module, level, p, n);
    return gwn_undefined(env);
}

static napi_value gwn_js_shutdown(napi_env env, napi_callback_info info)
{
    (void)info;
    pthread_mutex_lock(&gwn_mu);
    napi_threadsafe_function tsfn = gwn_state == 1 ? gwn_tsfn : NULL;
    gwn_state = 2;
    pthread_mutex_unlock(&gwn_mu);
    if (tsfn != NULL) {
        N.napi_release_threadsafe_function(tsfn, GWN_NAPI_TSFN_RELEASE);
    }
    return gwn_undefined(env);
}

napi_value gwn_addon_init(napi_env env, napi_value exports)
{
    static const struct {
        const char *name;
        gwn_napi_callback fn;
    } fns[] = {
        {"init", gwn_js_init},   {"ready", gwn_js_ready}, {"publish", gwn_js_publish},
        {"reply", gwn_js_reply}, {"log", gwn_js_log},     {"shutdown", gwn_js_shutdown},
        {"fixSignals", gwn_js_fix_signals},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        napi_value f;
        if (N.napi_create_function(env, fns[i].name, (size_t)-1, fns[i].fn, NULL, &f) != GWN_NAPI_OK ||
            N.napi_set_named_property(env, exports, fns[i].name, f) != GWN_NAPI_OK) {
            return NULL;
        }
    }
    return exports;
}
