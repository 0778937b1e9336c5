/* experimental/event_system.h - gateway lifecycle events (SDK v1 compatible).
 *
 * Callbacks run on the thread that caused the event. For GATEWAY_MODULE_LIST_CHANGED
 * and GATEWAY_STARTED/CREATED the context is the module list (a VECTOR_HANDLE of
 * GATEWAY_MODULE_INFO) owned by the gateway and valid only during the callback;
 * for GATEWAY_DESTROYED the context is NULL.
 */
#ifndef EVENT_SYSTEM_H
#define EVENT_SYSTEM_H

#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/vector.h"
#include "gateway.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GATEWAY_EVENT_VALUES \
    GATEWAY_CREATED, \
    GATEWAY_STARTED, \
    GATEWAY_MODULE_LIST_CHANGED, \
    GATEWAY_DESTROYED

DEFINE_ENUM(GATEWAY_EVENT, GATEWAY_EVENT_VALUES);

#define GATEWAY_EVENTS_COUNT 4

/* One module and the modules linked into it. module_sources holds GATEWAY_MODULE_INFO*
 * pointing into the same list; a NULL entry stands for a "*" source (every module). */
typedef struct GATEWAY_MODULE_INFO_TAG
{
    const char* module_name;
    VECTOR_HANDLE module_sources;
} GATEWAY_MODULE_INFO;

typedef void* GATEWAY_EVENT_CTX;
typedef void (*GATEWAY_CALLBACK)(GATEWAY_HANDLE gateway, GATEWAY_EVENT event_type, GATEWAY_EVENT_CTX context, void* user_param);

typedef struct EVENTSYSTEM_DATA_TAG* EVENTSYSTEM_HANDLE;

extern GATEWAY_EXPORT EVENTSYSTEM_HANDLE EventSystem_Init(void);
extern GATEWAY_EXPORT void EventSystem_AddEventCallback(EVENTSYSTEM_HANDLE event_system, GATEWAY_EVENT event_type, GATEWAY_CALLBACK callback, void* user_param);
extern GATEWAY_EXPORT void EventSystem_ReportEvent(EVENTSYSTEM_HANDLE event_system, GATEWAY_HANDLE gw, GATEWAY_EVENT event_type);
extern GATEWAY_EXPORT void EventSystem_Destroy(EVENTSYSTEM_HANDLE event_system);

extern GATEWAY_EXPORT void Gateway_AddEventCallback(GATEWAY_HANDLE gw, GATEWAY_EVENT event_type, GATEWAY_CALLBACK callback, void* user_param);
extern GATEWAY_EXPORT VECTOR_HANDLE Gateway_GetModuleList(GATEWAY_HANDLE gw);
extern GATEWAY_EXPORT void Gateway_DestroyModuleList(VECTOR_HANDLE module_list);

#ifdef __cplusplus
}
#endif

#endif /* EVENT_SYSTEM_H */
