/*
 * The part of the Node-API (N-API) C ABI that the gateway's Node bridge uses, declared
 * here so the bridge compiles without Node's headers, and called through a table of
 * function pointers resolved with dlsym from libnode at run time (the gateway does not
 * link against libnode; it is optional).
 *
 * N-API is ABI-stable: the values and layouts below are part of its contract (Node-API
 * version 8, Node 18). abi_test.go compiles a check of every constant, layout and
 * function type used here against the real node_api.h when its headers are present.
 */
#ifndef GWN_NAPI_H
#define GWN_NAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef struct napi_async_context__ *napi_async_context;
typedef struct napi_threadsafe_function__ *napi_threadsafe_function;

/* Enums are passed as unsigned int (what gcc makes of an enum without negative values,
 * so the function types below are compatible with node_api.h's). napi_status: only
 * "ok" is compared against. */
typedef unsigned int gwn_napi_status;
#define GWN_NAPI_OK 0

/* napi_typedarray_type */
#define GWN_NAPI_UINT8_ARRAY 1
/* napi_threadsafe_function_call_mode */
#define GWN_NAPI_TSFN_NONBLOCKING 0
/* napi_threadsafe_function_release_mode */
#define GWN_NAPI_TSFN_RELEASE 0

typedef napi_value (*gwn_napi_callback)(napi_env env, napi_callback_info info);
typedef void (*gwn_napi_finalize)(napi_env env, void *data, void *hint);
typedef void (*gwn_napi_tsfn_call_js)(napi_env env, napi_value js_callback, void *context, void *data);
typedef napi_value (*gwn_napi_addon_register)(napi_env env, napi_value exports);

/* struct napi_module (node_api.h), registered before node::Start so that it becomes a
 * "linked" binding: process._linkedBinding(nm_modname). */
typedef struct gwn_napi_module {
    int nm_version;
    unsigned int nm_flags;
    const char *nm_filename;
    gwn_napi_addon_register nm_register_func;
    const char *nm_modname;
    void *nm_priv;
    void *reserved[4];
} gwn_napi_module;

/* The functions, resolved by gwn_load. Each member is named after the N-API function. */
typedef struct gwn_napi_table {
    void (*napi_module_register)(gwn_napi_module *mod);
    gwn_napi_status (*napi_create_function)(napi_env env, const char *utf8name, size_t length,
                                            gwn_napi_callback cb, void *data, napi_value *result);
    gwn_napi_status (*napi_set_named_property)(napi_env env, napi_value object, const char *utf8name,
                                               napi_value value);
    gwn_napi_status (*napi_get_cb_info)(napi_env env, napi_callback_info cbinfo, size_t *argc,
                                        napi_value *argv, napi_value *this_arg, void **data);
    gwn_napi_status (*napi_get_undefined)(napi_env env, napi_value *result);
    gwn_napi_status (*napi_get_global)(napi_env env, napi_value *result);
    gwn_napi_status (*napi_get_boolean)(napi_env env, bool value, napi_value *result);
    gwn_napi_status (*napi_create_uint32)(napi_env env, uint32_t value, napi_value *result);
    gwn_napi_status (*napi_get_value_uint32)(napi_env env, napi_value value, uint32_t *result);
    gwn_napi_status (*napi_get_value_int32)(napi_env env, napi_value value, int32_t *result);
    gwn_napi_status (*napi_create_string_utf8)(napi_env env, const char *str, size_t length,
                                               napi_value *result);
    gwn_napi_status (*napi_get_typedarray_info)(napi_env env, napi_value typedarray, unsigned int *type,
                                                size_t *length, void **data, napi_value *arraybuffer,
                                                size_t *byte_offset);
    gwn_napi_status (*napi_create_buffer_copy)(napi_env env, size_t length, const void *data,
                                               void **result_data, napi_value *result);
    gwn_napi_status (*napi_throw_error)(napi_env env, const char *code, const char *msg);
    gwn_napi_status (*napi_is_exception_pending)(napi_env env, bool *result);
    gwn_napi_status (*napi_get_and_clear_last_exception)(napi_env env, napi_value *result);
    gwn_napi_status (*napi_coerce_to_string)(napi_env env, napi_value value, napi_value *result);
    gwn_napi_status (*napi_get_value_string_utf8)(napi_env env, napi_value value, char *buf,
                                                  size_t bufsize, size_t *result);
    gwn_napi_status (*napi_async_init)(napi_env env, napi_value async_resource,
                                       napi_value async_resource_name, napi_async_context *result);
    gwn_napi_status (*napi_make_callback)(napi_env env, napi_async_context async_context,
                                          napi_value recv, napi_value func, size_t argc,
                                          const napi_value *argv, napi_value *result);
    gwn_napi_status (*napi_create_threadsafe_function)(
        napi_env env, napi_value func, napi_value async_resource, napi_value async_resource_name,
        size_t max_queue_size, size_t initial_thread_count, void *thread_finalize_data,
        gwn_napi_finalize thread_finalize_cb, void *context, gwn_napi_tsfn_call_js call_js_cb,
        napi_threadsafe_function *result);
    gwn_napi_status (*napi_call_threadsafe_function)(napi_threadsafe_function func, void *data,
                                                     unsigned int is_blocking);
    gwn_napi_status (*napi_release_threadsafe_function)(napi_threadsafe_function func, unsigned int mode);
} gwn_napi_table;

#endif
