/* util_constmap.c - CONSTMAP_HANDLE: a private MAP_HANDLE copy with an atomic reference count. */
#include <stdlib.h>
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_refcount.h"

DEFINE_ENUM_STRINGS(CONSTMAP_RESULT, CONSTMAP_RESULT_VALUES)

struct CONSTMAP_HANDLE_DATA_TAG
{
    MAP_HANDLE map; /* never changed after ConstMap_Create */
    util_refcount_t count;
};

CONSTMAP_HANDLE ConstMap_Create(MAP_HANDLE sourceMap)
{
    CONSTMAP_HANDLE result;

    if (sourceMap == NULL)
    {
        LogError("ConstMap_Create: invalid argument (sourceMap=NULL)");
        return NULL;
    }
    result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("ConstMap_Create: out of memory");
        return NULL;
    }
    result->map = Map_Clone(sourceMap);
    if (result->map == NULL)
    {
        free(result);
        return NULL;
    }
    util_refcount_init(&result->count);
    return result;
}

void ConstMap_Destroy(CONSTMAP_HANDLE handle)
{
    if (handle != NULL && util_refcount_dec(&handle->count))
    {
        Map_Destroy(handle->map);
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
    util_refcount_inc(&handle->count);
    return handle;
}

MAP_HANDLE ConstMap_CloneWriteable(CONSTMAP_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("ConstMap_CloneWriteable: invalid argument (handle=NULL)");
        return NULL;
    }
    return Map_Clone(handle->map);
}

bool ConstMap_ContainsKey(CONSTMAP_HANDLE handle, const char* key)
{
    bool exists = false;

    if (handle == NULL || key == NULL)
    {
        LogError("ConstMap_ContainsKey: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return false;
    }
    if (Map_ContainsKey(handle->map, key, &exists) != MAP_OK)
    {
        return false;
    }
    return exists;
}

bool ConstMap_ContainsValue(CONSTMAP_HANDLE handle, const char* value)
{
    bool exists = false;

    if (handle == NULL || value == NULL)
    {
        LogError("ConstMap_ContainsValue: invalid argument (handle=%p, value=%p)", (void*)handle,
                 (const void*)value);
        return false;
    }
    if (Map_ContainsValue(handle->map, value, &exists) != MAP_OK)
    {
        return false;
    }
    return exists;
}

const char* ConstMap_GetValue(CONSTMAP_HANDLE handle, const char* key)
{
    if (handle == NULL || key == NULL)
    {
        LogError("ConstMap_GetValue: invalid argument (handle=%p, key=%p)", (void*)handle, (const void*)key);
        return NULL;
    }
    return Map_GetValueFromKey(handle->map, key);
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
    return (Map_GetInternals(handle->map, keys, values, count) == MAP_OK) ? CONSTMAP_OK : CONSTMAP_ERROR;
}
