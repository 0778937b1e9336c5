/* message.c - MESSAGE_HANDLE: immutable, reference-counted content + properties.
 *
 * Memory: one block from the pool (block_pool.h) holds the message, its properties
 * and - except for Message_CreateFromBuffer, which shares the caller's CONSTBUFFER -
 * its content. Handles to the embedded content or properties count their references
 * on the message (util_embed.h). The reference count is atomic; the last
 * Message_Destroy (or destroy of an embedded handle) frees the block.
 * Byte-array format: docs/abi.md and abi/doc.go (big-endian, see SPEC section 3).
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "message.h"
#include "gw_internal.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_embed.h"
#include "util_map_private.h"
#include "block_pool.h"

#define MSG_HEADER_0 0xA1
#define MSG_HEADER_1 0x60
#define MSG_MIN_SIZE 14

static void message_retain(void* owner)
{
    (void)Message_Clone((MESSAGE_HANDLE)owner);
}

static void message_release(void* owner)
{
    Message_Destroy((MESSAGE_HANDLE)owner);
}

/* References to an embedded content or properties handle are the message's own. */
static const UTIL_OWNER_OPS message_owner = {message_retain, message_release};

/* Builds a message in one pooled block holding the message, its properties and -
 * unless shared_content is given, whose reference the message then takes over - a
 * copy of content[0..content_size). NULL when out of memory or too large; on failure
 * shared_content is still the caller's. */
static MESSAGE_HANDLE message_build(const unsigned char* content, size_t content_size, CONSTBUFFER_HANDLE shared_content,
    MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t count)
{
    size_t head = util_embed_round(sizeof(struct MESSAGE_HANDLE_DATA_TAG));
    size_t content_bytes = shared_content != NULL ? 0 : util_constbuffer_embedded_size(content_size);
    size_t props_bytes = util_constmap_embedded_size(keys, values, count);
    unsigned char* block;
    MESSAGE_HANDLE m;

    if ((shared_content == NULL && content_bytes == 0) || props_bytes == 0 ||
        content_bytes > SIZE_MAX - head || props_bytes > SIZE_MAX - head - content_bytes)
    {
        LogError("Message_Create: message too large");
        return NULL;
    }
    block = gw_block_alloc(head + content_bytes + props_bytes);
    if (block == NULL)
    {
        LogError("Message_Create: out of memory");
        return NULL;
    }
    m = (MESSAGE_HANDLE)(void*)block;
    __atomic_store_n(&m->refcount, 1, __ATOMIC_RELAXED);
    m->embedded = GW_MSG_EMBEDS_PROPERTIES;
    if (shared_content != NULL)
    {
        m->content = shared_content;
    }
    else
    {
        m->content = util_constbuffer_embed(block + head, content, content_size, &message_owner, m);
        m->embedded |= GW_MSG_EMBEDS_CONTENT;
    }
    m->properties = util_constmap_embed(block + head + content_bytes, filter, keys, values, count, &message_owner, m);
    return m;
}

MESSAGE_HANDLE Message_Create(const MESSAGE_CONFIG* cfg)
{
    const char* const* keys;
    const char* const* values;
    size_t count;

    if (cfg == NULL || cfg->sourceProperties == NULL || (cfg->size > 0 && cfg->source == NULL) || cfg->size > INT32_MAX)
    {
        return NULL;
    }
    if (Map_GetInternals(cfg->sourceProperties, &keys, &values, &count) != MAP_OK)
    {
        return NULL;
    }
    /* the properties are copied: the caller keeps ownership of its map */
    return message_build(cfg->source, cfg->size, NULL, util_map_filter(cfg->sourceProperties), keys, values, count);
}

MESSAGE_HANDLE Message_CreateFromBuffer(const MESSAGE_BUFFER_CONFIG* cfg)
{
    const char* const* keys;
    const char* const* values;
    size_t count;
    CONSTBUFFER_HANDLE content;
    MESSAGE_HANDLE m;

    if (cfg == NULL || cfg->sourceContent == NULL || cfg->sourceProperties == NULL)
    {
        return NULL;
    }
    if (Map_GetInternals(cfg->sourceProperties, &keys, &values, &count) != MAP_OK)
    {
        return NULL;
    }
    content = CONSTBUFFER_Clone(cfg->sourceContent);
    if (content == NULL)
    {
        return NULL;
    }
    m = message_build(NULL, 0, content, util_map_filter(cfg->sourceProperties), keys, values, count);
    if (m == NULL)
    {
        CONSTBUFFER_Destroy(content);
    }
    return m;
}

static int32_t read_be32(const unsigned char* p)
{
    return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3]);
}

static void write_be32(unsigned char* p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

/* Finds the NUL that ends the string starting at pos; returns its index or -1. */
static int32_t find_nul(const unsigned char* b, int32_t pos, int32_t end)
{
    const void* z;
    if (pos >= end)
    {
        return -1;
    }
    z = memchr(b + pos, 0, (size_t)(end - pos));
    return z == NULL ? -1 : (int32_t)((const unsigned char*)z - b);
}

static int compare_keys(const void* a, const void* b)
{
    return strcmp(*(const char* const*)a, *(const char* const*)b);
}

/* Whether keys[0..n) holds a duplicate: pairwise for few keys, sorted copy otherwise
 * (so a hostile array with many properties costs n log n, not n^2). */
static int has_duplicate_key(const char** keys, int32_t n, int* failed)
{
    int32_t i, j;
    const char** sorted;
    int dup = 0;
    *failed = 0;
    if (n <= 16)
    {
        for (i = 0; i < n; i++)
        {
            for (j = i + 1; j < n; j++)
            {
                if (strcmp(keys[i], keys[j]) == 0)
                {
                    return 1;
                }
            }
        }
        return 0;
    }
    sorted = (const char**)malloc((size_t)n * sizeof(*sorted));
    if (sorted == NULL)
    {
        *failed = 1;
        return 0;
    }
    memcpy(sorted, keys, (size_t)n * sizeof(*sorted));
    qsort(sorted, (size_t)n, sizeof(*sorted), compare_keys);
    for (i = 1; i < n && !dup; i++)
    {
        dup = strcmp(sorted[i - 1], sorted[i]) == 0;
    }
    free(sorted);
    return dup;
}

MESSAGE_HANDLE Message_CreateFromByteArray(const unsigned char* source, int32_t size)
{
    int32_t total, count, i, pos, content_size;
    const char* small[2 * 16];
    const char** pairs = small; /* keys at [0, count), values at [count, 2*count) */
    MESSAGE_HANDLE m;
    int failed;

    if (source == NULL || size < MSG_MIN_SIZE || source[0] != MSG_HEADER_0 || source[1] != MSG_HEADER_1)
    {
        return NULL;
    }
    total = read_be32(source + 2);
    if (total != size)
    {
        return NULL;
    }
    count = read_be32(source + 6);
    /* each property needs at least 2 bytes (two NULs); the content size needs 4 */
    if (count < 0 || count > (size - MSG_MIN_SIZE) / 2)
    {
        return NULL;
    }
    if (count > 16)
    {
        pairs = (const char**)malloc(2 * (size_t)count * sizeof(*pairs));
        if (pairs == NULL)
        {
            return NULL;
        }
    }
    pos = 10;
    for (i = 0; i < count; i++)
    {
        int32_t key_end = find_nul(source, pos, size);
        int32_t value_end = key_end < 0 ? -1 : find_nul(source, key_end + 1, size);
        if (value_end < 0)
        {
            goto malformed;
        }
        pairs[i] = (const char*)source + pos;
        pairs[count + i] = (const char*)source + key_end + 1;
        pos = value_end + 1;
    }
    if (size - pos < 4)
    {
        goto malformed;
    }
    content_size = read_be32(source + pos);
    pos += 4;
    if (content_size < 0 || content_size != size - pos)
    {
        goto malformed;
    }
    if (has_duplicate_key(pairs, count, &failed) || failed)
    {
        goto malformed;
    }
    m = message_build(source + pos, (size_t)content_size, NULL, NULL, pairs, pairs + count, (size_t)count);
    if (pairs != small)
    {
        free((void*)pairs);
    }
    return m;

malformed:
    if (pairs != small)
    {
        free((void*)pairs);
    }
    return NULL;
}

int32_t Message_ToByteArray(MESSAGE_HANDLE message, unsigned char* buf, int32_t size)
{
    const char* const* keys;
    const char* const* values;
    size_t count, i;
    const CONSTBUFFER* content;
    uint64_t needed;
    unsigned char* p;

    if (message == NULL || size < 0 || (size > 0 && buf == NULL))
    {
        return -1;
    }
    if (ConstMap_GetInternals(message->properties, &keys, &values, &count) != CONSTMAP_OK)
    {
        return -1;
    }
    content = CONSTBUFFER_GetContent(message->content);
    if (content == NULL)
    {
        return -1;
    }
    needed = 2 + 4 + 4 + 4 + (uint64_t)content->size;
    for (i = 0; i < count; i++)
    {
        needed += strlen(keys[i]) + 1 + strlen(values[i]) + 1;
    }
    if (needed > INT32_MAX || count > INT32_MAX)
    {
        return -1;
    }
    if (size == 0)
    {
        return (int32_t)needed;
    }
    if ((uint64_t)size < needed)
    {
        return -1;
    }
    p = buf;
    *p++ = MSG_HEADER_0;
    *p++ = MSG_HEADER_1;
    write_be32(p, (int32_t)needed);
    p += 4;
    write_be32(p, (int32_t)count);
    p += 4;
    for (i = 0; i < count; i++)
    {
        size_t kl = strlen(keys[i]) + 1, vl = strlen(values[i]) + 1;
        memcpy(p, keys[i], kl);
        p += kl;
        memcpy(p, values[i], vl);
        p += vl;
    }
    write_be32(p, (int32_t)content->size);
    p += 4;
    if (content->size > 0)
    {
        memcpy(p, content->buffer, content->size);
    }
    return (int32_t)needed;
}

MESSAGE_HANDLE Message_Clone(MESSAGE_HANDLE message)
{
    if (message == NULL)
    {
        return NULL;
    }
    __atomic_add_fetch(&message->refcount, 1, __ATOMIC_RELAXED);
    return message;
}

CONSTMAP_HANDLE Message_GetProperties(MESSAGE_HANDLE message)
{
    return message == NULL ? NULL : ConstMap_Clone(message->properties);
}

const CONSTBUFFER* Message_GetContent(MESSAGE_HANDLE message)
{
    return message == NULL ? NULL : CONSTBUFFER_GetContent(message->content);
}

CONSTBUFFER_HANDLE Message_GetContentHandle(MESSAGE_HANDLE message)
{
    return message == NULL ? NULL : CONSTBUFFER_Clone(message->content);
}

void Message_Destroy(MESSAGE_HANDLE message)
{
    if (message == NULL)
    {
        return;
    }
    if (__atomic_sub_fetch(&message->refcount, 1, __ATOMIC_ACQ_REL) == 0)
    {
        if (!(message->embedded & GW_MSG_EMBEDS_CONTENT))
        {
            CONSTBUFFER_Destroy(message->content);
        }
        if (!(message->embedded & GW_MSG_EMBEDS_PROPERTIES))
        {
            ConstMap_Destroy(message->properties);
        }
        gw_block_free(message);
    }
}
