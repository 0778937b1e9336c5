/* buffer_.h - BUFFER_HANDLE: a heap-allocated, resizable byte array.
 *
 * Memory: BUFFER_new / BUFFER_create / BUFFER_clone return a handle owned by the caller,
 * released with BUFFER_delete. BUFFER_u_char and BUFFER_content return a pointer owned by
 * the buffer, valid until the next call that resizes it or BUFFER_delete. An empty buffer
 * has no storage (BUFFER_u_char returns NULL). Not thread safe.
 * Functions returning int give 0 on success and non-zero on error; on error the buffer is
 * unchanged. */
#ifndef BUFFER__H
#define BUFFER__H

#include <stdbool.h>
#include <stddef.h>
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct BUFFER_TAG* BUFFER_HANDLE;

/* A new empty buffer. */
extern GATEWAY_EXPORT BUFFER_HANDLE BUFFER_new(void);
/* A buffer holding a copy of size bytes at source. NULL if source is NULL. */
extern GATEWAY_EXPORT BUFFER_HANDLE BUFFER_create(const unsigned char* source, size_t size);
/* Allocates size (uninitialised) bytes. Fails if handle is NULL, size is 0 or the buffer
 * already has storage. */
extern GATEWAY_EXPORT int BUFFER_pre_build(BUFFER_HANDLE handle, size_t size);
/* Replaces the content with a copy of size bytes at source. size 0 empties the buffer
 * (source may then be NULL). Fails if handle is NULL, or source is NULL with size > 0. */
extern GATEWAY_EXPORT int BUFFER_build(BUFFER_HANDLE handle, const unsigned char* source, size_t size);
/* Appends size bytes at source. Fails if handle or source is NULL or size is 0. */
extern GATEWAY_EXPORT int BUFFER_append_build(BUFFER_HANDLE handle, const unsigned char* source, size_t size);
/* Frees the storage (size becomes 0). Fails if handle is NULL or the buffer is empty. */
extern GATEWAY_EXPORT int BUFFER_unbuild(BUFFER_HANDLE handle);
/* Grows by enlargeSize uninitialised bytes at the end. Fails if handle is NULL or enlargeSize is 0. */
extern GATEWAY_EXPORT int BUFFER_enlarge(BUFFER_HANDLE handle, size_t enlargeSize);
/* Removes decreaseSize bytes from the end (fromEnd) or the start. Fails if handle is NULL,
 * decreaseSize is 0 or larger than the size. Removing everything frees the storage. */
extern GATEWAY_EXPORT int BUFFER_shrink(BUFFER_HANDLE handle, size_t decreaseSize, bool fromEnd);
/* *content = the bytes (NULL when empty). Fails if handle or content is NULL. */
extern GATEWAY_EXPORT int BUFFER_content(BUFFER_HANDLE handle, const unsigned char** content);
/* *size = the size. Fails if handle or size is NULL. */
extern GATEWAY_EXPORT int BUFFER_size(BUFFER_HANDLE handle, size_t* size);
/* Appends the content of handle2 to handle1 (handle2 unchanged; may be handle1). */
extern GATEWAY_EXPORT int BUFFER_append(BUFFER_HANDLE handle1, BUFFER_HANDLE handle2);
/* Inserts the content of handle2 before the content of handle1 (handle2 unchanged; may be handle1). */
extern GATEWAY_EXPORT int BUFFER_prepend(BUFFER_HANDLE handle1, BUFFER_HANDLE handle2);
/* Sets every byte to fill_char. Fails if handle is NULL. */
extern GATEWAY_EXPORT int BUFFER_fill(BUFFER_HANDLE handle, unsigned char fill_char);
extern GATEWAY_EXPORT void BUFFER_delete(BUFFER_HANDLE handle);
/* The bytes; NULL if handle is NULL or the buffer is empty. */
extern GATEWAY_EXPORT unsigned char* BUFFER_u_char(BUFFER_HANDLE handle);
/* The size; 0 if handle is NULL. */
extern GATEWAY_EXPORT size_t BUFFER_length(BUFFER_HANDLE handle);
/* A new buffer with a copy of the content. NULL if handle is NULL. */
extern GATEWAY_EXPORT BUFFER_HANDLE BUFFER_clone(BUFFER_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* BUFFER__H */
