/* util_buffer.c - BUFFER_HANDLE. Invariant: buffer == NULL exactly when size == 0. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/buffer_.h"
#include "azure_c_shared_utility/xlogging.h"

struct BUFFER_TAG
{
    unsigned char* buffer;
    size_t size;
};

/* Resizes the storage to size bytes (size > 0), keeping the first min(old, size) bytes. */
static int buffer_resize(BUFFER_HANDLE handle, size_t size)
{
    unsigned char* resized = realloc(handle->buffer, size);
    if (resized == NULL)
    {
        LogError("BUFFER: out of memory allocating %zu bytes", size);
        return __LINE__;
    }
    handle->buffer = resized;
    handle->size = size;
    return 0;
}

static void buffer_release(BUFFER_HANDLE handle)
{
    free(handle->buffer);
    handle->buffer = NULL;
    handle->size = 0;
}

BUFFER_HANDLE BUFFER_new(void)
{
    BUFFER_HANDLE result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("BUFFER_new: out of memory");
        return NULL;
    }
    result->buffer = NULL;
    result->size = 0;
    return result;
}

BUFFER_HANDLE BUFFER_create(const unsigned char* source, size_t size)
{
    BUFFER_HANDLE result;

    if (source == NULL)
    {
        LogError("BUFFER_create: invalid argument (source=NULL)");
        return NULL;
    }
    result = BUFFER_new();
    if (result == NULL)
    {
        return NULL;
    }
    if (size > 0)
    {
        if (buffer_resize(result, size) != 0)
        {
            free(result);
            return NULL;
        }
        memcpy(result->buffer, source, size);
    }
    return result;
}

int BUFFER_pre_build(BUFFER_HANDLE handle, size_t size)
{
    if (handle == NULL || size == 0)
    {
        LogError("BUFFER_pre_build: invalid argument (handle=%p, size=%zu)", (void*)handle, size);
        return __LINE__;
    }
    if (handle->buffer != NULL)
    {
        LogError("BUFFER_pre_build: the buffer already has content");
        return __LINE__;
    }
    return buffer_resize(handle, size);
}

int BUFFER_build(BUFFER_HANDLE handle, const unsigned char* source, size_t size)
{
    unsigned char* copy;

    if (handle == NULL || (source == NULL && size > 0))
    {
        LogError("BUFFER_build: invalid argument (handle=%p, source=%p, size=%zu)", (void*)handle,
                 (const void*)source, size);
        return __LINE__;
    }
    if (size == 0)
    {
        buffer_release(handle);
        return 0;
    }
    /* fresh storage: source may point into the current content */
    copy = malloc(size);
    if (copy == NULL)
    {
        LogError("BUFFER_build: out of memory allocating %zu bytes", size);
        return __LINE__;
    }
    memcpy(copy, source, size);
    free(handle->buffer);
    handle->buffer = copy;
    handle->size = size;
    return 0;
}

int BUFFER_append_build(BUFFER_HANDLE handle, const unsigned char* source, size_t size)
{
    uintptr_t base;
    size_t offset = 0;
    int inside;
    size_t old_size;

    if (handle == NULL || source == NULL || size == 0)
    {
        LogError("BUFFER_append_build: invalid argument (handle=%p, source=%p, size=%zu)", (void*)handle,
                 (const void*)source, size);
        return __LINE__;
    }
    if (size > SIZE_MAX - handle->size)
    {
        return __LINE__;
    }
    base = (uintptr_t)handle->buffer;
    inside = (handle->buffer != NULL && (uintptr_t)source >= base && (uintptr_t)source < base + handle->size);
    if (inside)
    {
        offset = (size_t)((uintptr_t)source - base);
    }
    old_size = handle->size;
    if (buffer_resize(handle, old_size + size) != 0)
    {
        return __LINE__;
    }
    if (inside)
    {
        source = handle->buffer + offset;
    }
    memmove(handle->buffer + old_size, source, size);
    return 0;
}

int BUFFER_unbuild(BUFFER_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("BUFFER_unbuild: invalid argument (handle=NULL)");
        return __LINE__;
    }
    if (handle->buffer == NULL)
    {
        return __LINE__;
    }
    buffer_release(handle);
    return 0;
}

int BUFFER_enlarge(BUFFER_HANDLE handle, size_t enlargeSize)
{
    if (handle == NULL || enlargeSize == 0)
    {
        LogError("BUFFER_enlarge: invalid argument (handle=%p, enlargeSize=%zu)", (void*)handle, enlargeSize);
        return __LINE__;
    }
    if (enlargeSize > SIZE_MAX - handle->size)
    {
        return __LINE__;
    }
    return buffer_resize(handle, handle->size + enlargeSize);
}

int BUFFER_shrink(BUFFER_HANDLE handle, size_t decreaseSize, bool fromEnd)
{
    size_t remaining;

    if (handle == NULL || decreaseSize == 0 || decreaseSize > handle->size)
    {
        LogError("BUFFER_shrink: invalid argument (handle=%p, decreaseSize=%zu)", (void*)handle, decreaseSize);
        return __LINE__;
    }
    remaining = handle->size - decreaseSize;
    if (remaining == 0)
    {
        buffer_release(handle);
        return 0;
    }
    if (!fromEnd)
    {
        memmove(handle->buffer, handle->buffer + decreaseSize, remaining);
    }
    /* shrinking realloc cannot lose data; if it fails keep the larger block */
    if (buffer_resize(handle, remaining) != 0)
    {
        handle->size = remaining;
    }
    return 0;
}

int BUFFER_content(BUFFER_HANDLE handle, const unsigned char** content)
{
    if (handle == NULL || content == NULL)
    {
        LogError("BUFFER_content: invalid argument (handle=%p, content=%p)", (void*)handle, (void*)content);
        return __LINE__;
    }
    *content = handle->buffer;
    return 0;
}

int BUFFER_size(BUFFER_HANDLE handle, size_t* size)
{
    if (handle == NULL || size == NULL)
    {
        LogError("BUFFER_size: invalid argument (handle=%p, size=%p)", (void*)handle, (void*)size);
        return __LINE__;
    }
    *size = handle->size;
    return 0;
}

/* Grows handle1 by handle2's size for BUFFER_append / BUFFER_prepend (handle2 may be
 * handle1). Returns 0 and sets *old_size and *add, with *add == 0 meaning nothing to
 * do; non-zero on bad arguments, overflow or out of memory (handle1 unchanged). */
static int buffer_grow_by_other(const char* api, BUFFER_HANDLE handle1, BUFFER_HANDLE handle2, size_t* old_size, size_t* add)
{
    if (handle1 == NULL || handle2 == NULL)
    {
        LogError("%s: invalid argument (handle1=%p, handle2=%p)", api, (void*)handle1, (void*)handle2);
        return __LINE__;
    }
    *old_size = handle1->size;
    *add = handle2->size;
    if (*add == 0)
    {
        return 0;
    }
    if (*add > SIZE_MAX - *old_size || buffer_resize(handle1, *old_size + *add) != 0)
    {
        return __LINE__;
    }
    return 0;
}

int BUFFER_append(BUFFER_HANDLE handle1, BUFFER_HANDLE handle2)
{
    size_t old_size;
    size_t add;
    int r = buffer_grow_by_other("BUFFER_append", handle1, handle2, &old_size, &add);
    if (r != 0 || add == 0)
    {
        return r;
    }
    /* when handle1 == handle2 the source is the (moved) first half of the same block */
    memcpy(handle1->buffer + old_size, handle2->buffer, add);
    return 0;
}

int BUFFER_prepend(BUFFER_HANDLE handle1, BUFFER_HANDLE handle2)
{
    size_t old_size;
    size_t add;
    int r = buffer_grow_by_other("BUFFER_prepend", handle1, handle2, &old_size, &add);
    if (r != 0 || add == 0)
    {
        return r;
    }
    memmove(handle1->buffer + add, handle1->buffer, old_size);
    if (handle1 == handle2)
    {
        /* the original content now starts at offset add */
        memcpy(handle1->buffer, handle1->buffer + add, add);
    }
    else
    {
        memcpy(handle1->buffer, handle2->buffer, add);
    }
    return 0;
}

int BUFFER_fill(BUFFER_HANDLE handle, unsigned char fill_char)
{
    if (handle == NULL)
    {
        LogError("BUFFER_fill: invalid argument (handle=NULL)");
        return __LINE__;
    }
    if (handle->size > 0)
    {
        memset(handle->buffer, fill_char, handle->size);
    }
    return 0;
}

void BUFFER_delete(BUFFER_HANDLE handle)
{
    if (handle != NULL)
    {
        free(handle->buffer);
        free(handle);
    }
}

unsigned char* BUFFER_u_char(BUFFER_HANDLE handle)
{
    if (handle == NULL || handle->size == 0)
    {
        return NULL;
    }
    return handle->buffer;
}

size_t BUFFER_length(BUFFER_HANDLE handle)
{
    return (handle == NULL) ? 0 : handle->size;
}

BUFFER_HANDLE BUFFER_clone(BUFFER_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("BUFFER_clone: invalid argument (handle=NULL)");
        return NULL;
    }
    if (handle->size == 0)
    {
        return BUFFER_new();
    }
    return BUFFER_create(handle->buffer, handle->size);
}
