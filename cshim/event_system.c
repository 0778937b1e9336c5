/* event_system.c - a standalone gateway event system (experimental/event_system.h).
 *
 * An EVENTSYSTEM_HANDLE keeps, for each GATEWAY_EVENT, the callbacks registered for it in
 * registration order. EventSystem_ReportEvent calls them synchronously, on the calling
 * thread, in that order, with the gateway handle it was given and the callback's
 * user_param. A standalone event system has no module list, so the context argument is
 * always NULL (for GATEWAY_DESTROYED as the header says, and for the other events too).
 * The gateways of the Go runtime (Gateway_AddEventCallback) have their own event
 * dispatch, which passes the module list; this file is not used by it.
 *
 * Memory: EventSystem_Init returns a handle owned by the caller, released with
 * EventSystem_Destroy (which must not run concurrently with other calls on the same handle
 * or from inside one of its callbacks). user_param is stored as given and never freed.
 * Thread safety: AddEventCallback and ReportEvent may be called from any thread. A report
 * calls the callbacks registered when it started; callbacks may add callbacks (they are
 * called from the next report on) and may report events themselves. */
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/vector.h"
#include "azure_c_shared_utility/xlogging.h"
#include "experimental/event_system.h"

typedef struct EVENT_CALLBACK_ENTRY_TAG
{
    GATEWAY_CALLBACK callback;
    void* user_param;
} EVENT_CALLBACK_ENTRY;

struct EVENTSYSTEM_DATA_TAG
{
    LOCK_HANDLE lock;
    VECTOR_HANDLE callbacks[GATEWAY_EVENTS_COUNT]; /* of EVENT_CALLBACK_ENTRY */
};

static bool event_type_valid(GATEWAY_EVENT event_type)
{
    return (int)event_type >= 0 && (int)event_type < GATEWAY_EVENTS_COUNT;
}

EVENTSYSTEM_HANDLE EventSystem_Init(void)
{
    struct EVENTSYSTEM_DATA_TAG* es;
    int i;

    es = (struct EVENTSYSTEM_DATA_TAG*)calloc(1, sizeof(*es));
    if (es == NULL)
    {
        LogError("EventSystem_Init: out of memory");
        return NULL;
    }
    es->lock = Lock_Init();
    if (es->lock == NULL)
    {
        LogError("EventSystem_Init: cannot create the lock");
        free(es);
        return NULL;
    }
    for (i = 0; i < GATEWAY_EVENTS_COUNT; i++)
    {
        es->callbacks[i] = VECTOR_create(sizeof(EVENT_CALLBACK_ENTRY));
        if (es->callbacks[i] == NULL)
        {
            LogError("EventSystem_Init: out of memory");
            EventSystem_Destroy(es);
            return NULL;
        }
    }
    return es;
}

void EventSystem_AddEventCallback(EVENTSYSTEM_HANDLE event_system, GATEWAY_EVENT event_type, GATEWAY_CALLBACK callback,
                                  void* user_param)
{
    EVENT_CALLBACK_ENTRY entry;

    if (event_system == NULL || callback == NULL || !event_type_valid(event_type))
    {
        LogError("EventSystem_AddEventCallback: invalid argument (event_system=%p, event_type=%d, callback is %s)",
                 (void*)event_system, (int)event_type, (callback != NULL) ? "set" : "NULL");
        return;
    }
    entry.callback = callback;
    entry.user_param = user_param;
    if (Lock(event_system->lock) != LOCK_OK)
    {
        LogError("EventSystem_AddEventCallback: cannot take the lock");
        return;
    }
    if (VECTOR_push_back(event_system->callbacks[event_type], &entry, 1) != 0)
    {
        LogError("EventSystem_AddEventCallback: out of memory; the callback for event %d is not registered",
                 (int)event_type);
    }
    (void)Unlock(event_system->lock);
}

void EventSystem_ReportEvent(EVENTSYSTEM_HANDLE event_system, GATEWAY_HANDLE gw, GATEWAY_EVENT event_type)
{
    EVENT_CALLBACK_ENTRY* snapshot;
    size_t n;
    size_t i;

    if (event_system == NULL || !event_type_valid(event_type))
    {
        LogError("EventSystem_ReportEvent: invalid argument (event_system=%p, event_type=%d)", (void*)event_system,
                 (int)event_type);
        return;
    }
    if (Lock(event_system->lock) != LOCK_OK)
    {
        LogError("EventSystem_ReportEvent: cannot take the lock");
        return;
    }
    /* Copy the list so that callbacks run without the lock held (they may add callbacks). */
    n = VECTOR_size(event_system->callbacks[event_type]);
    snapshot = NULL;
    if (n > 0)
    {
        snapshot = (EVENT_CALLBACK_ENTRY*)malloc(n * sizeof(*snapshot));
        if (snapshot == NULL)
        {
            (void)Unlock(event_system->lock);
            LogError("EventSystem_ReportEvent: out of memory; event %d not reported", (int)event_type);
            return;
        }
        memcpy(snapshot, VECTOR_element(event_system->callbacks[event_type], 0), n * sizeof(*snapshot));
    }
    (void)Unlock(event_system->lock);
    for (i = 0; i < n; i++)
    {
        snapshot[i].callback(gw, event_type, NULL, snapshot[i].user_param);
    }
    free(snapshot);
}

void EventSystem_Destroy(EVENTSYSTEM_HANDLE event_system)
{
    int i;

    if (event_system == NULL)
    {
        return;
    }
    for (i = 0; i < GATEWAY_EVENTS_COUNT; i++)
    {
        VECTOR_destroy(event_system->callbacks[i]);
    }
    (void)Lock_Deinit(event_system->lock);
    free(event_system);
}
