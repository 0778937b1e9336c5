/* util_embed.h - private: immutable objects that live inside another allocation.
 *
 * A message keeps its content (CONSTBUFFER) and properties (CONSTMAP) in its own
 * block, so one allocation serves all three. Such an embedded object has no count of
 * its own: cloning it takes a reference on its owner and destroying it drops one, so a
 * CONSTBUFFER_HANDLE or CONSTMAP_HANDLE obtained from a message keeps the whole
 * message alive for as long as the caller holds it - which is what callers of the SDK
 * API already expect (a clone outlives the message it came from). */
#ifndef UTIL_EMBED_H
#define UTIL_EMBED_H

#include <stddef.h>
#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/map.h"

typedef struct UTIL_OWNER_OPS_TAG
{
    void (*retain)(void* owner);
    void (*release)(void* owner);
} UTIL_OWNER_OPS;

/* Rounds n up to the alignment of every embedded object (16); 0 on overflow. */
static inline size_t util_embed_round(size_t n)
{
    return n > (size_t)-1 - 15 ? 0 : (n + 15) & ~(size_t)15;
}

/* Bytes a CONSTBUFFER of size content bytes needs when embedded (a multiple of 16,
 * 0 on overflow). */
size_t util_constbuffer_embedded_size(size_t size);

/* Builds, in mem (util_constbuffer_embedded_size(size) bytes, 16-aligned), a
 * CONSTBUFFER holding a copy of source[0..size) whose references are owner's. */
CONSTBUFFER_HANDLE util_constbuffer_embed(void* mem, const unsigned char* source, size_t size, const UTIL_OWNER_OPS* ops, void* owner);

/* Bytes a CONSTMAP of these pairs needs when embedded (a multiple of 16, 0 on
 * overflow). */
size_t util_constmap_embedded_size(const char* const* keys, const char* const* values, size_t size);

/* Builds, in mem (util_constmap_embedded_size bytes, 16-aligned), a CONSTMAP holding
 * copies of the pairs, in order, whose references are owner's. The caller guarantees
 * the keys are unique; nothing is checked or filtered. */
CONSTMAP_HANDLE util_constmap_embed(void* mem, MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t size, const UTIL_OWNER_OPS* ops, void* owner);

#endif /* UTIL_EMBED_H */
