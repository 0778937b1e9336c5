/* vector_types.h - the opaque VECTOR_HANDLE type and the VECTOR_find_if predicate. */
#ifndef VECTOR_TYPES_H
#define VECTOR_TYPES_H

#include <stdbool.h>

typedef struct VECTOR_TAG* VECTOR_HANDLE;

/* Returns true when element (a pointer into the vector) matches value. */
typedef bool (*PREDICATE_FUNCTION)(const void* element, const void* value);

#endif /* VECTOR_TYPES_H */
