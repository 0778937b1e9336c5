/* util_map_private.h - private: what util_constmap.c needs from util_map.c. */
#ifndef UTIL_MAP_PRIVATE_H
#define UTIL_MAP_PRIVATE_H

#include <stddef.h>
#include "azure_c_shared_utility/map.h"

/* The filter a map was created with (NULL for none). */
MAP_FILTER_CALLBACK util_map_filter(MAP_HANDLE handle);

/* A new map holding copies of count key/value pairs that are known to be unique
 * (no duplicate check, no filter call: they came from a map that already passed
 * both). The caller owns the result (Map_Destroy). */
MAP_HANDLE util_map_from_unique_pairs(MAP_FILTER_CALLBACK filter, const char* const* keys, const char* const* values, size_t count);

#endif /* UTIL_MAP_PRIVATE_H */
