/* vector.h - VECTOR_HANDLE: a growable array of fixed-size elements.
 *
 * Memory: VECTOR_create / VECTOR_move return a handle owned by the caller, released with
 * VECTOR_destroy. Elements are copied in (memcpy of elementSize bytes); the vector never
 * frees what an element points to. Pointers returned by VECTOR_element / _front / _back /
 * _find_if point into the vector's storage and are valid until the next push_back, erase,
 * clear, move or destroy. Not thread safe. */
#ifndef VECTOR_H
#define VECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include "azure_c_shared_utility/vector_types.h"
#include "azure_c_shared_utility/crt_abstractions.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An empty vector of elements of elementSize bytes. NULL if elementSize is 0. */
extern GATEWAY_EXPORT VECTOR_HANDLE VECTOR_create(size_t elementSize);
/* A new vector that takes over the elements of handle; handle is left empty (and must
 * still be destroyed). NULL if handle is NULL. */
extern GATEWAY_EXPORT VECTOR_HANDLE VECTOR_move(VECTOR_HANDLE handle);
extern GATEWAY_EXPORT void VECTOR_destroy(VECTOR_HANDLE handle);
/* Appends numElements elements copied from elements. Non-zero if handle or elements is
 * NULL, numElements is 0, or out of memory (the vector is then unchanged). */
extern GATEWAY_EXPORT int VECTOR_push_back(VECTOR_HANDLE handle, const void* elements, size_t numElements);
/* Removes numElements elements starting at elements (a pointer returned by this vector).
 * Does nothing if an argument is NULL / 0, misaligned or out of range. */
extern GATEWAY_EXPORT void VECTOR_erase(VECTOR_HANDLE handle, void* elements, size_t numElements);
/* Removes every element and frees the storage. */
extern GATEWAY_EXPORT void VECTOR_clear(VECTOR_HANDLE handle);
/* NULL if handle is NULL or index is out of range. */
extern GATEWAY_EXPORT void* VECTOR_element(VECTOR_HANDLE handle, size_t index);
/* NULL if handle is NULL or the vector is empty. */
extern GATEWAY_EXPORT void* VECTOR_front(VECTOR_HANDLE handle);
extern GATEWAY_EXPORT void* VECTOR_back(VECTOR_HANDLE handle);
/* The first element for which pred(element, value) is true; NULL if none or handle/pred NULL. */
extern GATEWAY_EXPORT void* VECTOR_find_if(VECTOR_HANDLE handle, PREDICATE_FUNCTION pred, const void* value);
/* 0 if handle is NULL. */
extern GATEWAY_EXPORT size_t VECTOR_size(VECTOR_HANDLE handle);

#ifdef __cplusplus
}
#endif

#endif /* VECTOR_H */
