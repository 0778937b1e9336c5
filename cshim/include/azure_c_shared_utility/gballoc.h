/* gballoc.h - the SDK's allocation wrappers, reduced to the C library allocator.
 *
 * Everything the gateway and its helpers allocate comes from malloc and is released with
 * free, so memory a module allocates with malloc (or gballoc_malloc) may be handed to
 * functions that take ownership (STRING_new_with_memory, CONSTBUFFER_CreateWithMoveMemory)
 * and vice versa. No symbols are exported for these: they are macros. */
#ifndef GBALLOC_H
#define GBALLOC_H

#include <stddef.h>
#include <stdlib.h>

#define gballoc_init() (0)
#define gballoc_deinit() ((void)0)
#define gballoc_malloc(size) malloc(size)
#define gballoc_calloc(nmemb, size) calloc((nmemb), (size))
#define gballoc_realloc(ptr, size) realloc((ptr), (size))
#define gballoc_free(ptr) free(ptr)
#define gballoc_getMaximumMemoryUsed() ((size_t)0)
#define gballoc_getCurrentMemoryUsed() ((size_t)0)
#define gballoc_getAllocationCount() ((size_t)0)
#define gballoc_resetMetrics() ((void)0)

#endif /* GBALLOC_H */
