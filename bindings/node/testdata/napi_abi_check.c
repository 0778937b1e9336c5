/* Compiled by TestNapiDeclarationsMatchNodeHeaders against the real node_api.h: every
 * constant, layout and function type that gwn_napi.h declares by hand must match. */
#include <node_api.h>
#include <stddef.h>

#include "gwn_napi.h"

_Static_assert(GWN_NAPI_OK == napi_ok, "napi_ok");
_Static_assert(GWN_NAPI_UINT8_ARRAY == napi_uint8_array, "napi_uint8_array");
_Static_assert(GWN_NAPI_TSFN_NONBLOCKING == napi_tsfn_nonblocking, "napi_tsfn_nonblocking");
_Static_assert(GWN_NAPI_TSFN_RELEASE == napi_tsfn_release, "napi_tsfn_release");
_Static_assert(sizeof(napi_status) == sizeof(gwn_napi_status), "napi_status size");

#define SAME_FIELD(f) \
    _Static_assert(offsetof(napi_module, f) == offsetof(gwn_napi_module, f), "napi_module." #f)
_Static_assert(sizeof(napi_module) == sizeof(gwn_napi_module), "sizeof napi_module");
SAME_FIELD(nm_version);
SAME_FIELD(nm_flags);
SAME_FIELD(nm_filename);
SAME_FIELD(nm_register_func);
SAME_FIELD(nm_modname);
SAME_FIELD(nm_priv);
SAME_FIELD(reserved);

/* With -Werror=incompatible-pointer-types each initializer checks one function type. */
const gwn_napi_table check = {
    .napi_module_register = (void (*)(gwn_napi_module *))napi_module_register, /* layout checked above */
    .napi_create_function = napi_create_function,
    .napi_set_named_property = napi_set_named_property,
    .napi_get_cb_info = napi_get_cb_info,
    .napi_get_undefined = napi_get_undefined,
    .napi_get_global = napi_get_global,
    .napi_get_boolean = napi_get_boolean,
    .napi_create_uint32 = napi_create_uint32,
    .napi_get_value_uint32 = napi_get_value_uint32,
    .napi_get_value_int32 = napi_get_value_int32,
    .napi_create_string_utf8 = napi_create_string_utf8,
    .napi_get_typedarray_info = napi_get_typedarray_info,
    .napi_create_buffer_copy = napi_create_buffer_copy,
    .napi_throw_error = napi_throw_error,
    .napi_is_exception_pending = napi_is_exception_pending,
    .napi_get_and_clear_last_exception = napi_get_and_clear_last_exception,
    .napi_coerce_to_string = napi_coerce_to_string,
    .napi_get_value_string_utf8 = napi_get_value_string_utf8,
    .napi_async_init = napi_async_init,
    .napi_make_callback = napi_make_callback,
    .napi_create_threadsafe_function = napi_create_threadsafe_function,
    .napi_call_threadsafe_function = napi_call_threadsafe_function,
    .napi_release_threadsafe_function = napi_release_threadsafe_function,
};
