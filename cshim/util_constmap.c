/* util_constmap.c - CONSTMAP_HANDLE: an immutable copy of a map with an atomic
 * reference count.
 *
 * Memory: one allocation holds the handle, the key and value pointer arrays and every
 * string (keys and values back to back, NUL-terminated), so creating the properties
 * of a message costs one malloc and destroying them one free, whatever the number of
 * properties. Pointers returned by the getters point into that block and live while
 * the caller holds a reference. A map embedded in a message (util_embed.h) lives in the
 * message's block and counts its references on the message.
 */
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_refcount.h"
#include "util_map_private.h"
#include "util_constmap_private.h"
#include "util_embed.h"

DEFINE_ENUM_STRINGS(CONSTMAP_RESULT, CONSTMAP_RESULT_VALUES)

struct CONSTMAP_HANDLE_DATA_TAG
{
    util_refcount_t count;
    MAP_FILTER_CALLBACK filter; /* kept for ConstMap_CloneWriteable */
    size_t size;
    const char** keys;
    const char** values;
    const UTIL_OWNER_OPS* ops; /* non-NULL when embedded in owner's block */
    void* owner;
    /* keys[size], values[size], then the strings */
};

/* Bytes of a map of these pairs: the handle, both pointer arrays and the strings. */
static size_t constmap_bytes(const char* const* keys, const char* const* values, size_t size)
{
    size_t i, bytes = 0, header = sizeof(struct CONSTMAP_HANDLE_DATA_TAG);
    for (i = 0; i < size; i++)
    {
        bytes += strlen(keys[i]) + 1 + strlen(values[i]) + 1;
    }
    if (size > (SIZE_MAX - header - bytes) / (2 * sizeof(const char*) + 1))
    {
        return 0;
    }
    return header + 2 * size * sizeof(const char*) + bytes;
}

static CONSTMAP_HANDLE constmap_fill(void* mem, MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t size)
{
    CONSTMAP_HANDLE result = mem;
    size_t i;
    char* text;
    util_refcount_init(&result->count);
    result->filter = filter;
    result->size = size;
    result->ops = NULL;
    result->owner = NULL;
    result->keys = (const char**)(void*)(result + 1);
    result->values = result->keys + size;
    text = (char*)(result->values + size);
    for (i = 0; i < size; i++)
    {
        size_t kl = strlen(keys[i]) + 1, vl = strlen(values[i]) + 1;
        memcpy(text, keys[i], kl);
        result->keys[i] = text;
        text += kl;
        memcpy(text, values[i], vl);
        result->values[i] = text;
        text += vl;
    }
    return result;
}

CONSTMAP_HANDLE util_constmap_from_pairs(MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t size)
{
    size_t bytes = constmap_bytes(keys, values, size);
    void* mem;
    if (bytes == 0)
    {
        LogError("ConstMap_Create: map too large");
        return NULL;
    }
    mem = malloc(bytes);
    if (mem == NULL)
    {
        LogError("ConstMap_Create: out of memory");
        return NULL;
    }
    return constmap_fill(mem, filter, keys, values, size);
}

size_t util_constmap_embedded_size(const char* const* keys, const char* const* values, size_t size)
{
    size_t bytes = constmap_bytes(keys, values, size);
    return bytes == 0 ? 0 : util_embed_round(bytes);
}

CONSTMAP_HANDLE util_constmap_embed(void* mem, MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t size, const UTIL_OWNER_OPS* ops, void* owner)
{
    CONSTMAP_HANDLE result = constmap_fill(mem, filter, keys, values, size);
    result->ops = ops;
    result->owner = owner;
    return result;
}

CONSTMAP_HANDLE ConstMap_Create(MAP_HANDLE sourceMap)
{
    const char* const* keys;
    const char* const* values;
    size_t size;

    if (sourceMap == NULL)
    {
        LogError("ConstMap_Create: invalid argument (sourceMap=NULL)");
        return NULL;
    }
    if (Map_GetInternals(sourceMap, &keys, &values, &size) != MAP_OK)
    {
        return NULL;
    }
    return util_constmap_from_pairs(util_map_filter(sourceMap), keys, values, size);
}

void ConstMap_Destroy(CONSTMAP_HANDLE handle)
{
    if (handle != NULL && handle->ops != NULL)
    {
        handle->ops->release(handle->owner);
    }
    else if (handle != NULL && util_refcount_dec(&handle->count))
    {
        free(handle);
    }
}

CONSTMAP_HANDLE ConstMap_Clone(CONSTMAP_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("ConstMap_Clone: invalid argument (handle=NULL)");
        return NULL;
    }
    if (handle->ops != NULL)
    {
        handle->ops->retain(handle->owner);
    }
    else
    {
        util_refcount_inc(&handle->count);
    }
    return handle;
}

MAP_HANDLE ConstMap_CloneWriteable(CONSTMAP_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("ConstMap_CloneWriteable: invalid argument (handle=NULL)");
        return NULL;
    }
    return util_map_from_unique_pairs(handle->filter, handle->keys, handle->values, handle->size);
}

static size_t find_key(CONSTMAP_HANDLE handle, const char* key)
{
    size_t i;
    for (i = 0; i < handle->size; i++)
    {
        if (strcmp(handle->keys[i], key) == 0)
        {
            break;
        }
    }
    return i;
}

bool ConstMap_ContainsKey(CONSTMAP_HANDLE handle, const char* key)
{
    if (handle == NULL || key == NULL)
    {
        LogError("ConstMap_ContainsKey: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return false;
    }
    return find_key(handle, key) < handle->size;
}

bool ConstMap_ContainsValue(CONSTMAP_HANDLE handle, const char* value)
{
    size_t i;
    if (handle == NULL || value == NULL)
    {
        LogError("ConstMap_ContainsValue: invalid argument (handle=%p, value=%p)", (void*)handle,
                 (const void*)value);
        return false;
    }
    for (i = 0; i < handle->size; i++)
    {
        if (strcmp(handle->values[i], value) == 0)
        {
            return true;
        }
    }
    return false;
}

const char* ConstMap_GetValue(CONSTMAP_HANDLE handle, const char* key)
{
    size_t i;
    if (handle == NULL || key == NULL)
    {
        LogError("ConstMap_GetValue: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return NULL;
    }
    i = find_key(handle, key);
    return i < handle->size ? handle->values[i] : NULL;
}

CONSTMAP_RESULT ConstMap_GetInternals(CONSTMAP_HANDLE handle, const char* const** keys, const char* const** values,
                                      size_t* count)
{
    if (handle == NULL || keys == NULL || values == NULL || count == NULL)
    {
        LogError("ConstMap_GetInternals: invalid argument (handle=%p, keys=%p, values=%p, count=%p)", (void*)handle,
                 (void*)keys, (void*)values, (void*)count);
        return CONSTMAP_INVALIDARG;
    }
    *keys = handle->size > 0 ? (const char* const*)handle->keys : NULL;
    *values = handle->size > 0 ? (const char* const*)handle->values : NULL;
    *count = handle->size;
    return CONSTMAP_OK;
}
