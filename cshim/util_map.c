/* util_map.c - MAP_HANDLE: parallel arrays of keys and values in insertion order.
 *
 * Lookups are linear (property maps are small); keys[i] / values[i] are malloc'd copies
 * owned by the map. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_json.h"

DEFINE_ENUM_STRINGS(MAP_RESULT, MAP_RESULT_VALUES)

struct MAP_HANDLE_DATA_TAG
{
    char** keys;
    char** values;
    size_t count;
    size_t capacity; /* both arrays hold at least this many slots */
    MAP_FILTER_CALLBACK filter;
};

static char* copy_text(const char* text)
{
    size_t size = strlen(text) + 1;
    char* copy = malloc(size);
    if (copy != NULL)
    {
        memcpy(copy, text, size);
    }
    else
    {
        LogError("Map: out of memory allocating %zu bytes", size);
    }
    return copy;
}

/* Index of key, or count when absent. */
static size_t find_key(MAP_HANDLE handle, const char* key)
{
    size_t i;
    for (i = 0; i < handle->count; i++)
    {
        if (strcmp(handle->keys[i], key) == 0)
        {
            break;
        }
    }
    return i;
}

/* Makes room for one more pair. */
static int ensure_room(MAP_HANDLE handle)
{
    size_t capacity;
    char** grown;

    if (handle->count < handle->capacity)
    {
        return 0;
    }
    if (handle->capacity > SIZE_MAX / (2 * sizeof(char*)))
    {
        return __LINE__;
    }
    capacity = (handle->capacity == 0) ? 4 : handle->capacity * 2;
    grown = realloc(handle->keys, capacity * sizeof(char*));
    if (grown == NULL)
    {
        LogError("Map: out of memory growing to %zu pairs", capacity);
        return __LINE__;
    }
    handle->keys = grown;
    grown = realloc(handle->values, capacity * sizeof(char*));
    if (grown == NULL)
    {
        LogError("Map: out of memory growing to %zu pairs", capacity);
        return __LINE__; /* keys grew alone: harmless, capacity still describes both */
    }
    handle->values = grown;
    handle->capacity = capacity;
    return 0;
}

/* Appends a copy of key and value (key known to be absent). */
static MAP_RESULT append_pair(MAP_HANDLE handle, const char* key, const char* value)
{
    char* key_copy;
    char* value_copy;

    if (ensure_room(handle) != 0)
    {
        return MAP_ERROR;
    }
    key_copy = copy_text(key);
    if (key_copy == NULL)
    {
        return MAP_ERROR;
    }
    value_copy = copy_text(value);
    if (value_copy == NULL)
    {
        free(key_copy);
        return MAP_ERROR;
    }
    handle->keys[handle->count] = key_copy;
    handle->values[handle->count] = value_copy;
    handle->count++;
    return MAP_OK;
}

MAP_HANDLE Map_Create(MAP_FILTER_CALLBACK mapFilterFunc)
{
    MAP_HANDLE result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("Map_Create: out of memory");
        return NULL;
    }
    result->keys = NULL;
    result->values = NULL;
    result->count = 0;
    result->capacity = 0;
    result->filter = mapFilterFunc;
    return result;
}

void Map_Destroy(MAP_HANDLE handle)
{
    size_t i;

    if (handle == NULL)
    {
        return;
    }
    for (i = 0; i < handle->count; i++)
    {
        free(handle->keys[i]);
        free(handle->values[i]);
    }
    free(handle->keys);
    free(handle->values);
    free(handle);
}

MAP_HANDLE Map_Clone(MAP_HANDLE handle)
{
    MAP_HANDLE result;
    size_t i;

    if (handle == NULL)
    {
        LogError("Map_Clone: invalid argument (handle=NULL)");
        return NULL;
    }
    result = Map_Create(handle->filter);
    if (result == NULL)
    {
        return NULL;
    }
    if (handle->count > 0)
    {
        result->keys = malloc(handle->count * sizeof(char*));
        result->values = malloc(handle->count * sizeof(char*));
        if (result->keys == NULL || result->values == NULL)
        {
            LogError("Map_Clone: out of memory");
            Map_Destroy(result);
            return NULL;
        }
        result->capacity = handle->count;
        for (i = 0; i < handle->count; i++)
        {
            if (append_pair(result, handle->keys[i], handle->values[i]) != MAP_OK)
            {
                Map_Destroy(result);
                return NULL;
            }
        }
    }
    return result;
}

MAP_RESULT Map_Add(MAP_HANDLE handle, const char* key, const char* value)
{
    if (handle == NULL || key == NULL || value == NULL)
    {
        LogError("Map_Add: invalid argument (handle=%p, key=%p, value=%p)", (void*)handle, (const void*)key,
                 (const void*)value);
        return MAP_INVALIDARG;
    }
    if (find_key(handle, key) < handle->count)
    {
        return MAP_KEYEXISTS;
    }
    if (handle->filter != NULL && handle->filter(key, value) != 0)
    {
        return MAP_FILTER_REJECT;
    }
    return append_pair(handle, key, value);
}

MAP_RESULT Map_AddOrUpdate(MAP_HANDLE handle, const char* key, const char* value)
{
    size_t index;
    char* value_copy;

    if (handle == NULL || key == NULL || value == NULL)
    {
        LogError("Map_AddOrUpdate: invalid argument (handle=%p, key=%p, value=%p)", (void*)handle,
                 (const void*)key, (const void*)value);
        return MAP_INVALIDARG;
    }
    if (handle->filter != NULL && handle->filter(key, value) != 0)
    {
        return MAP_FILTER_REJECT;
    }
    index = find_key(handle, key);
    if (index == handle->count)
    {
        return append_pair(handle, key, value);
    }
    if (handle->values[index] == value)
    {
        return MAP_OK;
    }
    value_copy = copy_text(value);
    if (value_copy == NULL)
    {
        return MAP_ERROR;
    }
    free(handle->values[index]);
    handle->values[index] = value_copy;
    return MAP_OK;
}

MAP_RESULT Map_Delete(MAP_HANDLE handle, const char* key)
{
    size_t index;
    size_t after;

    if (handle == NULL || key == NULL)
    {
        LogError("Map_Delete: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return MAP_INVALIDARG;
    }
    index = find_key(handle, key);
    if (index == handle->count)
    {
        return MAP_KEYNOTFOUND;
    }
    free(handle->keys[index]);
    free(handle->values[index]);
    after = handle->count - index - 1;
    memmove(handle->keys + index, handle->keys + index + 1, after * sizeof(char*));
    memmove(handle->values + index, handle->values + index + 1, after * sizeof(char*));
    handle->count--;
    return MAP_OK;
}

MAP_RESULT Map_ContainsKey(MAP_HANDLE handle, const char* key, bool* keyExists)
{
    if (handle == NULL || key == NULL || keyExists == NULL)
    {
        LogError("Map_ContainsKey: invalid argument (handle=%p, key=%p, keyExists=%p)", (void*)handle,
                 (const void*)key, (void*)keyExists);
        return MAP_INVALIDARG;
    }
    *keyExists = find_key(handle, key) < handle->count;
    return MAP_OK;
}

MAP_RESULT Map_ContainsValue(MAP_HANDLE handle, const char* value, bool* valueExists)
{
    size_t i;

    if (handle == NULL || value == NULL || valueExists == NULL)
    {
        LogError("Map_ContainsValue: invalid argument (handle=%p, value=%p, valueExists=%p)", (void*)handle,
                 (const void*)value, (void*)valueExists);
        return MAP_INVALIDARG;
    }
    *valueExists = false;
    for (i = 0; i < handle->count; i++)
    {
        if (strcmp(handle->values[i], value) == 0)
        {
            *valueExists = true;
            break;
        }
    }
    return MAP_OK;
}

const char* Map_GetValueFromKey(MAP_HANDLE handle, const char* key)
{
    size_t index;

    if (handle == NULL || key == NULL)
    {
        LogError("Map_GetValueFromKey: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return NULL;
    }
    index = find_key(handle, key);
    return (index < handle->count) ? handle->values[index] : NULL;
}

MAP_RESULT Map_GetInternals(MAP_HANDLE handle, const char* const** keys, const char* const** values, size_t* count)
{
    if (handle == NULL || keys == NULL || values == NULL || count == NULL)
    {
        LogError("Map_GetInternals: invalid argument (handle=%p, keys=%p, values=%p, count=%p)", (void*)handle,
                 (void*)keys, (void*)values, (void*)count);
        return MAP_INVALIDARG;
    }
    *keys = (handle->count > 0) ? (const char* const*)handle->keys : NULL;
    *values = (handle->count > 0) ? (const char* const*)handle->values : NULL;
    *count = handle->count;
    return MAP_OK;
}

STRING_HANDLE Map_ToJSON(MAP_HANDLE handle)
{
    size_t size = 2; /* {} */
    size_t i;
    char* text;
    char* out;
    STRING_HANDLE result;

    if (handle == NULL)
    {
        LogError("Map_ToJSON: invalid argument (handle=NULL)");
        return NULL;
    }
    for (i = 0; i < handle->count; i++)
    {
        size_t key_length = util_json_escaped_length(handle->keys[i]);
        size_t value_length = util_json_escaped_length(handle->values[i]);
        /* "key":"value" plus a comma */
        if (key_length == SIZE_MAX || value_length == SIZE_MAX || key_length > SIZE_MAX / 4 ||
            value_length > SIZE_MAX / 4 || size > SIZE_MAX / 4)
        {
            return NULL;
        }
        size += key_length + value_length + 6;
    }
    text = malloc(size + 1);
    if (text == NULL)
    {
        LogError("Map_ToJSON: out of memory allocating %zu bytes", size + 1);
        return NULL;
    }
    out = text;
    *out++ = '{';
    for (i = 0; i < handle->count; i++)
    {
        if (i > 0)
        {
            *out++ = ',';
        }
        *out++ = '"';
        out = util_json_escape(out, handle->keys[i]);
        *out++ = '"';
        *out++ = ':';
        *out++ = '"';
        out = util_json_escape(out, handle->values[i]);
        *out++ = '"';
    }
    *out++ = '}';
    *out = '\0';
    result = STRING_new_with_memory(text);
    if (result == NULL)
    {
        free(text);
    }
    return result;
}

/* ---- private helpers for util_constmap.c (declared in util_map_private.h) ---- */

MAP_FILTER_CALLBACK util_map_filter(MAP_HANDLE handle)
{
    return handle == NULL ? NULL : handle->filter;
}

MAP_HANDLE util_map_from_unique_pairs(MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t count)
{
    size_t i;
    MAP_HANDLE result = Map_Create(filter);
    if (result == NULL || count == 0)
    {
        return result;
    }
    result->keys = malloc(count * sizeof(char*));
    result->values = malloc(count * sizeof(char*));
    if (result->keys == NULL || result->values == NULL)
    {
        LogError("Map_Clone: out of memory");
        Map_Destroy(result);
        return NULL;
    }
    result->capacity = count;
    for (i = 0; i < count; i++)
    {
        if (append_pair(result, keys[i], values[i]) != MAP_OK)
        {
            Map_Destroy(result);
            return NULL;
        }
    }
    return result;
}
