/* util_constmap_private.h - private: building a CONSTMAP without an intermediate MAP. */
#ifndef UTIL_CONSTMAP_PRIVATE_H
#define UTIL_CONSTMAP_PRIVATE_H

#include <stddef.h>
#include "azure_c_shared_utility/constmap.h"

/* A new CONSTMAP (one reference, owned by the caller) holding copies of size
 * NUL-terminated key/value pairs, in order. The caller guarantees the keys are unique;
 * nothing is checked or filtered. NULL when out of memory. */
CONSTMAP_HANDLE util_constmap_from_pairs(MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t size);

#endif /* UTIL_CONSTMAP_PRIVATE_H */
