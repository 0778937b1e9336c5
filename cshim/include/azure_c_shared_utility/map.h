/* map.h - MAP_HANDLE: a string-to-string dictionary that keeps insertion order.
 *
 * Memory: Map_Create / Map_Clone return a handle owned by the caller, released with
 * Map_Destroy. The map copies every key and value it is given. Pointers it hands out
 * (Map_GetValueFromKey, Map_GetInternals) are owned by the map and valid until the next
 * call that changes the map or Map_Destroy. Map_ToJSON returns a new STRING_HANDLE owned by
 * the caller. Not thread safe (use a CONSTMAP to share a map across threads).
 *
 * Order: keys keep the order in which they were first added; Map_AddOrUpdate of an
 * existing key keeps its place; Map_Delete closes the gap. The message byte format and
 * Map_ToJSON follow this order. */
#ifndef MAP_H
#define MAP_H

#include <stdbool.h>
#include <stddef.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/crt_abstractions.h"
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAP_RESULT_VALUES \
    MAP_OK, \
    MAP_ERROR, \
    MAP_INVALIDARG, \
    MAP_KEYEXISTS, \
    MAP_KEYNOTFOUND, \
    MAP_FILTER_REJECT

DEFINE_ENUM(MAP_RESULT, MAP_RESULT_VALUES)

typedef struct MAP_HANDLE_DATA_TAG* MAP_HANDLE;

/* Called on every Map_Add / Map_AddOrUpdate; a non-zero return rejects the pair
 * (MAP_FILTER_REJECT). */
typedef int (*MAP_FILTER_CALLBACK)(const char* mapProperty, const char* mapValue);

/* A new empty map; mapFilterFunc may be NULL. */
extern GATEWAY_EXPORT MAP_HANDLE Map_Create(MAP_FILTER_CALLBACK mapFilterFunc);
extern GATEWAY_EXPORT void Map_Destroy(MAP_HANDLE handle);
/* A deep copy (same pairs, same order, same filter). NULL if handle is NULL. */
extern GATEWAY_EXPORT MAP_HANDLE Map_Clone(MAP_HANDLE handle);
/* MAP_INVALIDARG (a NULL argument), MAP_KEYEXISTS, MAP_FILTER_REJECT, MAP_ERROR (memory). */
extern GATEWAY_EXPORT MAP_RESULT Map_Add(MAP_HANDLE handle, const char* key, const char* value);
/* Adds the pair, or replaces the value of an existing key in place. */
extern GATEWAY_EXPORT MAP_RESULT Map_AddOrUpdate(MAP_HANDLE handle, const char* key, const char* value);
/* MAP_INVALIDARG, MAP_KEYNOTFOUND. */
extern GATEWAY_EXPORT MAP_RESULT Map_Delete(MAP_HANDLE handle, const char* key);
/* *keyExists = whether key is present. MAP_INVALIDARG if any argument is NULL. */
extern GATEWAY_EXPORT MAP_RESULT Map_ContainsKey(MAP_HANDLE handle, const char* key, bool* keyExists);
/* *valueExists = whether some key has this value. MAP_INVALIDARG if any argument is NULL. */
extern GATEWAY_EXPORT MAP_RESULT Map_ContainsValue(MAP_HANDLE handle, const char* value, bool* valueExists);
/* The value of key, or NULL (NULL argument or key not found). */
extern GATEWAY_EXPORT const char* Map_GetValueFromKey(MAP_HANDLE handle, const char* key);
/* *keys / *values = arrays of *count strings in insertion order (NULL arrays when empty).
 * MAP_INVALIDARG if any argument is NULL. */
extern GATEWAY_EXPORT MAP_RESULT Map_GetInternals(MAP_HANDLE handle, const char* const** keys,
                                                  const char* const** values, size_t* count);
/* `{"key":"value",...}` in insertion order, `{}` when empty. Keys and values are written as
 * STRING_new_JSON does (\" \\ \/ \u00xx; UTF-8 kept as is). NULL if handle is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE Map_ToJSON(MAP_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* MAP_H */
