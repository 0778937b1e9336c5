/* broker_api.c - the C broker API (broker.h). Every call forwards to the Go broker
 * (broker/ package) through gw_go_*; BROKER_HANDLE values are opaque Go handles. */
#include <stddef.h>
#include "broker.h"
#include "module.h"
#include "gw_internal.h"

DEFINE_ENUM_STRINGS(BROKER_RESULT, BROKER_RESULT_VALUES)

BROKER_HANDLE Broker_Create(void)
{
    return (BROKER_HANDLE)gw_go_broker_create();
}

void Broker_IncRef(BROKER_HANDLE broker)
{
    if (broker != NULL)
    {
        gw_go_broker_incref((uintptr_t)broker);
    }
}

void Broker_DecRef(BROKER_HANDLE broker)
{
    if (broker != NULL)
    {
        gw_go_broker_decref((uintptr_t)broker);
    }
}

void Broker_Destroy(BROKER_HANDLE broker)
{
    Broker_DecRef(broker);
}

BROKER_RESULT Broker_AddModule(BROKER_HANDLE broker, const MODULE* module)
{
    if (broker == NULL || module == NULL || module->module_apis == NULL || module->module_handle == NULL)
    {
        return BROKER_INVALIDARG;
    }
    return (BROKER_RESULT)gw_go_broker_add_module((uintptr_t)broker, (uintptr_t)module->module_apis, (uintptr_t)module->module_handle);
}

BROKER_RESULT Broker_RemoveModule(BROKER_HANDLE broker, const MODULE* module)
{
    if (broker == NULL || module == NULL || module->module_handle == NULL)
    {
        return BROKER_INVALIDARG;
    }
    return (BROKER_RESULT)gw_go_broker_remove_module((uintptr_t)broker, (uintptr_t)module->module_handle);
}

BROKER_RESULT Broker_AddLink(BROKER_HANDLE broker, const BROKER_LINK_DATA* link)
{
    if (broker == NULL || link == NULL || link->module_source_handle == NULL || link->module_sink_handle == NULL)
    {
        return BROKER_INVALIDARG;
    }
    return (BROKER_RESULT)gw_go_broker_add_link((uintptr_t)broker, (uintptr_t)link->module_source_handle, (uintptr_t)link->module_sink_handle);
}

BROKER_RESULT Broker_RemoveLink(BROKER_HANDLE broker, const BROKER_LINK_DATA* link)
{
    if (broker == NULL || link == NULL || link->module_source_handle == NULL || link->module_sink_handle == NULL)
    {
        return BROKER_INVALIDARG;
    }
    return (BROKER_RESULT)gw_go_broker_remove_link((uintptr_t)broker, (uintptr_t)link->module_source_handle, (uintptr_t)link->module_sink_handle);
}

BROKER_RESULT Broker_Publish(BROKER_HANDLE broker, MODULE_HANDLE source, MESSAGE_HANDLE message)
{
    if (broker == NULL || source == NULL || message == NULL)
    {
        return BROKER_INVALIDARG;
    }
    return (BROKER_RESULT)gw_go_publish((uintptr_t)broker, (uintptr_t)source, (uintptr_t)message, gw_in_receive());
}
