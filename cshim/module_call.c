/* module_call.c - calling into modules from the broker's workers, and the per-thread
 * "which module is running here" state used by logging and by Broker_Publish. */
#include <stddef.h>
#include "gw_internal.h"

static __thread const char* tls_current_module;
static __thread int tls_in_receive;

const char* gw_current_module(void)
{
    return tls_current_module;
}

void gw_set_current_module(const char* name)
{
    tls_current_module = name;
}

int gw_in_receive(void)
{
    return tls_in_receive;
}

void gw_deliver(const MODULE_API_1* api, MODULE_HANDLE handle, MESSAGE_HANDLE* msgs, size_t n, const char* module_name)
{
    size_t i;
    const char* saved_module = tls_current_module;
    int saved_in_receive = tls_in_receive;
    pfModule_Receive receive = api->Module_Receive;
    tls_current_module = module_name;
    tls_in_receive = 1;
    for (i = 0; i < n; i++)
    {
        receive(handle, msgs[i]);
    }
    tls_in_receive = saved_in_receive;
    tls_current_module = saved_module;
}

void gw_release_all(MESSAGE_HANDLE* msgs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        Message_Destroy(msgs[i]);
    }
}
