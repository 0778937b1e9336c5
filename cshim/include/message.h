/* message.h - immutable, reference-counted messages (SDK v1 compatible).
 *
 * Ownership (see docs/abi.md for the full table):
 *  - Message_Create / Message_CreateFromBuffer / Message_CreateFromByteArray return a
 *    new handle with one reference; the caller releases it with Message_Destroy.
 *    Message_Create copies content and properties; Message_CreateFromBuffer takes a
 *    new reference to the CONSTBUFFER and copies the properties.
 *  - Message_Clone adds a reference and returns the same handle.
 *  - Message_GetContent returns a pointer owned by the message, valid while the
 *    caller holds a reference.
 *  - Message_GetContentHandle and Message_GetProperties return new references that
 *    the caller destroys (CONSTBUFFER_Destroy / ConstMap_Destroy).
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/constbuffer.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct MESSAGE_HANDLE_DATA_TAG* MESSAGE_HANDLE;

typedef struct MESSAGE_CONFIG_TAG
{
    size_t size;
    const unsigned char* source;
    MAP_HANDLE sourceProperties;
} MESSAGE_CONFIG;

typedef struct MESSAGE_BUFFER_CONFIG_TAG
{
    CONSTBUFFER_HANDLE sourceContent;
    MAP_HANDLE sourceProperties;
} MESSAGE_BUFFER_CONFIG;

extern GATEWAY_EXPORT MESSAGE_HANDLE Message_Create(const MESSAGE_CONFIG* cfg);
extern GATEWAY_EXPORT MESSAGE_HANDLE Message_CreateFromByteArray(const unsigned char* source, int32_t size);
extern GATEWAY_EXPORT int32_t Message_ToByteArray(MESSAGE_HANDLE messageHandle, unsigned char* buf, int32_t size);
extern GATEWAY_EXPORT MESSAGE_HANDLE Message_CreateFromBuffer(const MESSAGE_BUFFER_CONFIG* cfg);
extern GATEWAY_EXPORT MESSAGE_HANDLE Message_Clone(MESSAGE_HANDLE message);
extern GATEWAY_EXPORT CONSTMAP_HANDLE Message_GetProperties(MESSAGE_HANDLE message);
extern GATEWAY_EXPORT const CONSTBUFFER* Message_GetContent(MESSAGE_HANDLE message);
extern GATEWAY_EXPORT CONSTBUFFER_HANDLE Message_GetContentHandle(MESSAGE_HANDLE message);
extern GATEWAY_EXPORT void Message_Destroy(MESSAGE_HANDLE message);

#ifdef __cplusplus
}
#endif

#endif /* MESSAGE_H */
