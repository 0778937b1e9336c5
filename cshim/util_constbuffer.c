/* util_constbuffer.c - CONSTBUFFER_HANDLE: immutable bytes with an atomic reference count.
 *
 * A copied buffer lives in the same allocation as its handle (one malloc per buffer);
 * CONSTBUFFER_CreateWithMoveMemory keeps the caller's block and frees it with the handle.
 * A buffer embedded in a message (util_embed.h) counts its references on the message. */
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_refcount.h"
#include "util_embed.h"

struct CONSTBUFFER_HANDLE_DATA_TAG
{
    CONSTBUFFER alias;     /* what CONSTBUFFER_GetContent returns */
    util_refcount_t count; /* unused when embedded */
    unsigned char* owned;  /* a moved-in block to free, or NULL */
    const UTIL_OWNER_OPS* ops; /* non-NULL when embedded in owner's block */
    void* owner;
};

/* The bytes of a copied buffer follow the handle, aligned like the handle itself. */
static CONSTBUFFER_HANDLE constbuffer_allocate(size_t size)
{
    CONSTBUFFER_HANDLE result;

    if (size > (size_t)-1 - sizeof(*result))
    {
        return NULL;
    }
    result = malloc(sizeof(*result) + size);
    if (result == NULL)
    {
        LogError("CONSTBUFFER: out of memory allocating %zu bytes", size);
        return NULL;
    }
    result->alias.buffer = (size > 0) ? (const unsigned char*)(result + 1) : NULL;
    result->alias.size = size;
    result->owned = NULL;
    result->ops = NULL;
    result->owner = NULL;
    util_refcount_init(&result->count);
    return result;
}

size_t util_constbuffer_embedded_size(size_t size)
{
    size_t header = util_embed_round(sizeof(struct CONSTBUFFER_HANDLE_DATA_TAG));
    return size > (size_t)-1 - header ? 0 : util_embed_round(header + size);
}

CONSTBUFFER_HANDLE util_constbuffer_embed(void* mem, const unsigned char* source, size_t size, const UTIL_OWNER_OPS* ops, void* owner)
{
    CONSTBUFFER_HANDLE result = mem;
    unsigned char* bytes = (unsigned char*)mem + util_embed_round(sizeof(*result));
    if (size > 0)
    {
        memcpy(bytes, source, size);
    }
    result->alias.buffer = size > 0 ? bytes : NULL;
    result->alias.size = size;
    result->owned = NULL;
    result->ops = ops;
    result->owner = owner;
    util_refcount_init(&result->count);
    return result;
}

CONSTBUFFER_HANDLE CONSTBUFFER_Create(const unsigned char* source, size_t size)
{
    CONSTBUFFER_HANDLE result;

    if (source == NULL && size > 0)
    {
        LogError("CONSTBUFFER_Create: invalid argument (source=NULL, size=%zu)", size);
        return NULL;
    }
    result = constbuffer_allocate(size);
    if (result != NULL && size > 0)
    {
        memcpy(result + 1, source, size);
    }
    return result;
}

CONSTBUFFER_HANDLE CONSTBUFFER_CreateFromBuffer(BUFFER_HANDLE buffer)
{
    if (buffer == NULL)
    {
        LogError("CONSTBUFFER_CreateFromBuffer: invalid argument (buffer=NULL)");
        return NULL;
    }
    return CONSTBUFFER_Create(BUFFER_u_char(buffer), BUFFER_length(buffer));
}

CONSTBUFFER_HANDLE CONSTBUFFER_CreateWithMoveMemory(unsigned char* source, size_t size)
{
    CONSTBUFFER_HANDLE result;

    if (source == NULL && size > 0)
    {
        LogError("CONSTBUFFER_CreateWithMoveMemory: invalid argument (source=NULL, size=%zu)", size);
        return NULL;
    }
    result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("CONSTBUFFER_CreateWithMoveMemory: out of memory");
        return NULL;
    }
    result->alias.buffer = (size > 0) ? source : NULL;
    result->alias.size = size;
    result->owned = source;
    result->ops = NULL;
    result->owner = NULL;
    util_refcount_init(&result->count);
    return result;
}

CONSTBUFFER_HANDLE CONSTBUFFER_Clone(CONSTBUFFER_HANDLE constbufferHandle)
{
    if (constbufferHandle == NULL)
    {
        LogError("CONSTBUFFER_Clone: invalid argument (constbufferHandle=NULL)");
        return NULL;
    }
    if (constbufferHandle->ops != NULL)
    {
        constbufferHandle->ops->retain(constbufferHandle->owner);
    }
    else
    {
        util_refcount_inc(&constbufferHandle->count);
    }
    return constbufferHandle;
}

const CONSTBUFFER* CONSTBUFFER_GetContent(CONSTBUFFER_HANDLE constbufferHandle)
{
    if (constbufferHandle == NULL)
    {
        LogError("CONSTBUFFER_GetContent: invalid argument (constbufferHandle=NULL)");
        return NULL;
    }
    return &constbufferHandle->alias;
}

void CONSTBUFFER_Destroy(CONSTBUFFER_HANDLE constbufferHandle)
{
    if (constbufferHandle != NULL && constbufferHandle->ops != NULL)
    {
        constbufferHandle->ops->release(constbufferHandle->owner);
    }
    else if (constbufferHandle != NULL && util_refcount_dec(&constbufferHandle->count))
    {
        free(constbufferHandle->owned);
        free(constbufferHandle);
    }
}
