/* util_vector.c - VECTOR_HANDLE: a contiguous array that grows geometrically. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/vector.h"
#include "azure_c_shared_utility/xlogging.h"

struct VECTOR_TAG
{
    unsigned char* storage;
    size_t count;        /* elements in use */
    size_t capacity;     /* elements allocated */
    size_t elementSize;
};

VECTOR_HANDLE VECTOR_create(size_t elementSize)
{
    VECTOR_HANDLE result;

    if (elementSize == 0)
    {
        LogError("VECTOR_create: invalid argument (elementSize=0)");
        return NULL;
    }
    result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("VECTOR_create: out of memory");
        return NULL;
    }
    result->storage = NULL;
    result->count = 0;
    result->capacity = 0;
    result->elementSize = elementSize;
    return result;
}

VECTOR_HANDLE VECTOR_move(VECTOR_HANDLE handle)
{
    VECTOR_HANDLE result;

    if (handle == NULL)
    {
        LogError("VECTOR_move: invalid argument (handle=NULL)");
        return NULL;
    }
    result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("VECTOR_move: out of memory");
        return NULL;
    }
    *result = *handle;
    handle->storage = NULL;
    handle->count = 0;
    handle->capacity = 0;
    return result;
}

void VECTOR_destroy(VECTOR_HANDLE handle)
{
    if (handle != NULL)
    {
        free(handle->storage);
        free(handle);
    }
}

int VECTOR_push_back(VECTOR_HANDLE handle, const void* elements, size_t numElements)
{
    size_t needed;

    if (handle == NULL || elements == NULL || numElements == 0)
    {
        LogError("VECTOR_push_back: invalid argument (handle=%p, elements=%p, numElements=%zu)", (void*)handle,
                 elements, numElements);
        return __LINE__;
    }
    if (numElements > SIZE_MAX / handle->elementSize - handle->count)
    {
        LogError("VECTOR_push_back: too many elements");
        return __LINE__;
    }
    needed = handle->count + numElements;
    if (needed > handle->capacity)
    {
        size_t max_elements = SIZE_MAX / handle->elementSize;
        size_t capacity = (handle->capacity == 0) ? 4 : handle->capacity;
        unsigned char* grown;
        uintptr_t base = (uintptr_t)handle->storage;
        uintptr_t where = (uintptr_t)elements;
        int inside = (handle->storage != NULL && where >= base && where < base + handle->count * handle->elementSize);
        size_t offset = inside ? (size_t)(where - base) : 0;

        while (capacity < needed)
        {
            capacity = (capacity > max_elements / 2) ? needed : capacity * 2;
        }
        grown = realloc(handle->storage, capacity * handle->elementSize);
        if (grown == NULL)
        {
            LogError("VECTOR_push_back: out of memory growing to %zu elements", capacity);
            return __LINE__;
        }
        handle->storage = grown;
        handle->capacity = capacity;
        if (inside)
        {
            elements = grown + offset;
        }
    }
    memmove(handle->storage + handle->count * handle->elementSize, elements, numElements * handle->elementSize);
    handle->count = needed;
    return 0;
}

void VECTOR_erase(VECTOR_HANDLE handle, void* elements, size_t numElements)
{
    uintptr_t base;
    uintptr_t where;
    size_t offset;
    size_t index;
    size_t after;

    if (handle == NULL || elements == NULL || numElements == 0 || handle->count == 0)
    {
        LogError("VECTOR_erase: invalid argument (handle=%p, elements=%p, numElements=%zu)", (void*)handle,
                 elements, numElements);
        return;
    }
    base = (uintptr_t)handle->storage;
    where = (uintptr_t)elements;
    if (where < base || where >= base + handle->count * handle->elementSize)
    {
        LogError("VECTOR_erase: elements is not inside the vector");
        return;
    }
    offset = (size_t)(where - base);
    if (offset % handle->elementSize != 0)
    {
        LogError("VECTOR_erase: elements is not aligned on an element");
        return;
    }
    index = offset / handle->elementSize;
    if (numElements > handle->count - index)
    {
        LogError("VECTOR_erase: numElements (%zu) goes past the end", numElements);
        return;
    }
    after = handle->count - index - numElements;
    memmove(handle->storage + offset, handle->storage + offset + numElements * handle->elementSize,
            after * handle->elementSize);
    handle->count -= numElements;
    if (handle->count == 0)
    {
        free(handle->storage);
        handle->storage = NULL;
        handle->capacity = 0;
    }
}

void VECTOR_clear(VECTOR_HANDLE handle)
{
    if (handle == NULL)
    {
        return;
    }
    free(handle->storage);
    handle->storage = NULL;
    handle->count = 0;
    handle->capacity = 0;
}

void* VECTOR_element(VECTOR_HANDLE handle, size_t index)
{
    if (handle == NULL || index >= handle->count)
    {
        LogError("VECTOR_element: invalid argument (handle=%p, index=%zu)", (void*)handle, index);
        return NULL;
    }
    return handle->storage + index * handle->elementSize;
}

void* VECTOR_front(VECTOR_HANDLE handle)
{
    if (handle == NULL || handle->count == 0)
    {
        return NULL;
    }
    return handle->storage;
}

void* VECTOR_back(VECTOR_HANDLE handle)
{
    if (handle == NULL || handle->count == 0)
    {
        return NULL;
    }
    return handle->storage + (handle->count - 1) * handle->elementSize;
}

void* VECTOR_find_if(VECTOR_HANDLE handle, PREDICATE_FUNCTION pred, const void* value)
{
    size_t i;

    if (handle == NULL || pred == NULL)
    {
        LogError("VECTOR_find_if: invalid argument (handle=%p, pred=%s)", (void*)handle, (pred == NULL) ? "NULL" : "set");
        return NULL;
    }
    for (i = 0; i < handle->count; i++)
    {
        unsigned char* element = handle->storage + i * handle->elementSize;
        if (pred(element, value))
        {
            return element;
        }
    }
    return NULL;
}

size_t VECTOR_size(VECTOR_HANDLE handle)
{
    return (handle == NULL) ? 0 : handle->count;
}
