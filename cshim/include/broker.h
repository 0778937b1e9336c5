/* broker.h - the message broker (SDK v1 compatible).
 *
 * Ownership: Broker_Publish never takes ownership of the message; the caller still
 * owns its reference and destroys it. Every receiver gets its own reference, valid
 * for the duration of its Module_Receive call.
 */
#ifndef BROKER_H
#define BROKER_H

#include <stddef.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct BROKER_HANDLE_DATA_TAG* BROKER_HANDLE;
typedef struct MESSAGE_HANDLE_DATA_TAG* MESSAGE_HANDLE;
typedef void* MODULE_HANDLE;
typedef struct MODULE_TAG MODULE;

#define BROKER_RESULT_VALUES \
    BROKER_OK, \
    BROKER_ERROR, \
    BROKER_ADD_LINK_ERROR, \
    BROKER_REMOVE_LINK_ERROR, \
    BROKER_INVALIDARG

DEFINE_ENUM(BROKER_RESULT, BROKER_RESULT_VALUES);

typedef struct BROKER_LINK_DATA_TAG
{
    MODULE_HANDLE module_source_handle;
    MODULE_HANDLE module_sink_handle;
} BROKER_LINK_DATA;

extern GATEWAY_EXPORT BROKER_HANDLE Broker_Create(void);
extern GATEWAY_EXPORT void Broker_IncRef(BROKER_HANDLE broker);
extern GATEWAY_EXPORT void Broker_DecRef(BROKER_HANDLE broker);
extern GATEWAY_EXPORT BROKER_RESULT Broker_AddModule(BROKER_HANDLE handle, const MODULE* module);
extern GATEWAY_EXPORT BROKER_RESULT Broker_RemoveModule(BROKER_HANDLE handle, const MODULE* module);
extern GATEWAY_EXPORT BROKER_RESULT Broker_AddLink(BROKER_HANDLE handle, const BROKER_LINK_DATA* link);
extern GATEWAY_EXPORT BROKER_RESULT Broker_RemoveLink(BROKER_HANDLE handle, const BROKER_LINK_DATA* link);
extern GATEWAY_EXPORT BROKER_RESULT Broker_Publish(BROKER_HANDLE handle, MODULE_HANDLE source, MESSAGE_HANDLE message);
extern GATEWAY_EXPORT void Broker_Destroy(BROKER_HANDLE broker);

#ifdef __cplusplus
}
#endif

#endif /* BROKER_H */
