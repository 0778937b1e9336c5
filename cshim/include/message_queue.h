/* message_queue.h - a FIFO of MESSAGE_HANDLEs (SDK v1 compatible). Not thread safe.
 *
 * Ownership: push takes over the caller's reference; pop hands it back to the caller;
 * front lends it (the queue still owns it); destroy releases every message still queued.
 */
#ifndef MESSAGE_QUEUE_H
#define MESSAGE_QUEUE_H

#include <stdbool.h>
#include "message.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct MESSAGE_QUEUE_TAG* MESSAGE_QUEUE_HANDLE;

extern GATEWAY_EXPORT MESSAGE_QUEUE_HANDLE MESSAGE_QUEUE_create(void);
extern GATEWAY_EXPORT void MESSAGE_QUEUE_destroy(MESSAGE_QUEUE_HANDLE handle);
extern GATEWAY_EXPORT int MESSAGE_QUEUE_push(MESSAGE_QUEUE_HANDLE handle, MESSAGE_HANDLE element);
extern GATEWAY_EXPORT MESSAGE_HANDLE MESSAGE_QUEUE_pop(MESSAGE_QUEUE_HANDLE handle);
extern GATEWAY_EXPORT MESSAGE_HANDLE MESSAGE_QUEUE_front(MESSAGE_QUEUE_HANDLE handle);
extern GATEWAY_EXPORT bool MESSAGE_QUEUE_is_empty(MESSAGE_QUEUE_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* MESSAGE_QUEUE_H */
