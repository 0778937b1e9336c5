/* constbuffer.h - CONSTBUFFER_HANDLE: an immutable, reference-counted byte array.
 *
 * Memory: CONSTBUFFER_Create* return a handle with one reference. CONSTBUFFER_Clone adds a
 * reference and returns the same handle; CONSTBUFFER_Destroy drops one and frees the
 * buffer with the last. CONSTBUFFER_GetContent returns a pointer to a CONSTBUFFER owned by
 * the handle, valid while the caller holds a reference.
 * Thread safety: the reference count is atomic; Clone / Destroy / GetContent may be called
 * from any thread concurrently. The content never changes. */
#ifndef CONSTBUFFER_H
#define CONSTBUFFER_H

#include <stddef.h>
#include "azure_c_shared_utility/buffer_.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Layout (x86-64): buffer @0, size @8; 16 bytes. buffer is NULL when size is 0. */
typedef struct CONSTBUFFER_TAG
{
    const unsigned char* buffer;
    size_t size;
} CONSTBUFFER;

typedef struct CONSTBUFFER_HANDLE_DATA_TAG* CONSTBUFFER_HANDLE;

/* A copy of size bytes at source. NULL if source is NULL and size > 0. */
extern GATEWAY_EXPORT CONSTBUFFER_HANDLE CONSTBUFFER_Create(const unsigned char* source, size_t size);
/* A copy of the content of buffer. NULL if buffer is NULL. */
extern GATEWAY_EXPORT CONSTBUFFER_HANDLE CONSTBUFFER_CreateFromBuffer(BUFFER_HANDLE buffer);
/* Not in the original API: takes ownership of source (malloc'd, size bytes) without
 * copying; the last CONSTBUFFER_Destroy frees it with free(). NULL if source is NULL and
 * size > 0; on failure source is NOT freed (still the caller's). A NULL source with size 0
 * gives an empty buffer. */
extern GATEWAY_EXPORT CONSTBUFFER_HANDLE CONSTBUFFER_CreateWithMoveMemory(unsigned char* source, size_t size);
/* Adds a reference; returns constbufferHandle (NULL if it is NULL). */
extern GATEWAY_EXPORT CONSTBUFFER_HANDLE CONSTBUFFER_Clone(CONSTBUFFER_HANDLE constbufferHandle);
/* The content; NULL if constbufferHandle is NULL. */
extern GATEWAY_EXPORT const CONSTBUFFER* CONSTBUFFER_GetContent(CONSTBUFFER_HANDLE constbufferHandle);
/* Drops a reference. NULL is ignored. */
extern GATEWAY_EXPORT void CONSTBUFFER_Destroy(CONSTBUFFER_HANDLE constbufferHandle);

#ifdef __cplusplus
}
#endif

#endif /* CONSTBUFFER_H */
