/* constmap.h - CONSTMAP_HANDLE: an immutable, reference-counted copy of a MAP_HANDLE.
 *
 * Memory: ConstMap_Create copies the source map (the caller keeps and destroys it) and
 * returns a handle with one reference. ConstMap_Clone adds a reference and returns the same
 * handle; ConstMap_Destroy drops one and frees the map with the last. ConstMap_CloneWriteable
 * returns a new MAP_HANDLE the caller destroys with Map_Destroy. Strings returned by
 * ConstMap_GetValue / ConstMap_GetInternals are owned by the constmap and valid while the
 * caller holds a reference.
 * Thread safety: the reference count is atomic and the content never changes, so every
 * function may be called from any thread concurrently. */
#ifndef CONSTMAP_H
#define CONSTMAP_H

#include <stdbool.h>
#include <stddef.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CONSTMAP_RESULT_VALUES \
    CONSTMAP_OK, \
    CONSTMAP_ERROR, \
    CONSTMAP_INVALIDARG, \
    CONSTMAP_KEYNOTFOUND

DEFINE_ENUM(CONSTMAP_RESULT, CONSTMAP_RESULT_VALUES)

typedef struct CONSTMAP_HANDLE_DATA_TAG* CONSTMAP_HANDLE;

/* An immutable copy of sourceMap. NULL if sourceMap is NULL or out of memory. */
extern GATEWAY_EXPORT CONSTMAP_HANDLE ConstMap_Create(MAP_HANDLE sourceMap);
/* Drops a reference. NULL is ignored. */
extern GATEWAY_EXPORT void ConstMap_Destroy(CONSTMAP_HANDLE handle);
/* Adds a reference; returns handle (NULL if it is NULL). */
extern GATEWAY_EXPORT CONSTMAP_HANDLE ConstMap_Clone(CONSTMAP_HANDLE handle);
/* A new writeable MAP_HANDLE with the same pairs in the same order. NULL if handle is NULL. */
extern GATEWAY_EXPORT MAP_HANDLE ConstMap_CloneWriteable(CONSTMAP_HANDLE handle);
/* false if handle or key is NULL. */
extern GATEWAY_EXPORT bool ConstMap_ContainsKey(CONSTMAP_HANDLE handle, const char* key);
/* false if handle or value is NULL. */
extern GATEWAY_EXPORT bool ConstMap_ContainsValue(CONSTMAP_HANDLE handle, const char* value);
/* The value of key, or NULL (NULL argument or key not found). */
extern GATEWAY_EXPORT const char* ConstMap_GetValue(CONSTMAP_HANDLE handle, const char* key);
/* As Map_GetInternals. CONSTMAP_INVALIDARG if any argument is NULL. */
extern GATEWAY_EXPORT CONSTMAP_RESULT ConstMap_GetInternals(CONSTMAP_HANDLE handle, const char* const** keys,
                                                            const char* const** values, size_t* count);

#ifdef __cplusplus
}
#endif

#endif /* CONSTMAP_H */
