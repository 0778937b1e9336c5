/* strings.h - STRING_HANDLE: a heap-allocated, NUL-terminated, growable string.
 *
 * Memory: every constructor returns a new handle owned by the caller and released with
 * STRING_delete. STRING_new_with_memory takes ownership of a malloc'd buffer. STRING_c_str
 * returns a pointer owned by the handle, valid until the next call that changes the string
 * or STRING_delete. Not thread safe: one handle is used by one thread at a time.
 * Functions returning int give 0 on success and non-zero on error (NULL argument, out of
 * memory); on error the string is unchanged. STRING_length is always strlen(STRING_c_str). */
#ifndef STRINGS_H
#define STRINGS_H

#include <stddef.h>
#include "azure_c_shared_utility/strings_types.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A new empty string. NULL on failure. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_new(void);
/* A copy of handle. NULL if handle is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_clone(STRING_HANDLE handle);
/* A copy of psz. NULL if psz is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_construct(const char* psz);
/* The first n characters of psz. NULL if psz is NULL or shorter than n. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_construct_n(const char* psz, size_t n);
/* Takes ownership of memory (a malloc'd NUL-terminated string): STRING_delete frees it.
 * NULL if memory is NULL; on any other failure memory is NOT freed (still the caller's). */
extern GATEWAY_EXPORT STRING_HANDLE STRING_new_with_memory(const char* memory);
/* "\"" source "\"". NULL if source is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_new_quoted(const char* source);
/* source as a JSON string literal: quotes around, `"` -> \", `\` -> \\, `/` -> \/, bytes
 * below 0x20 -> \u00xx. Bytes above 0x7F (UTF-8) are kept as they are (the original
 * rejected them). NULL if source is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_new_JSON(const char* source);
/* A string from size bytes (stops at an embedded NUL). NULL if source is NULL and size > 0. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_from_byte_array(const unsigned char* source, size_t size);
extern GATEWAY_EXPORT void STRING_delete(STRING_HANDLE handle);
extern GATEWAY_EXPORT int STRING_concat(STRING_HANDLE handle, const char* s2);
extern GATEWAY_EXPORT int STRING_concat_with_STRING(STRING_HANDLE s1, STRING_HANDLE s2);
/* Surrounds the content with double quotes. */
extern GATEWAY_EXPORT int STRING_quote(STRING_HANDLE handle);
extern GATEWAY_EXPORT int STRING_copy(STRING_HANDLE s1, const char* s2);
/* Copies min(strlen(s2), n) characters of s2. */
extern GATEWAY_EXPORT int STRING_copy_n(STRING_HANDLE s1, const char* s2, size_t n);
/* NULL if handle is NULL. */
extern GATEWAY_EXPORT const char* STRING_c_str(STRING_HANDLE handle);
/* Makes the string empty. */
extern GATEWAY_EXPORT int STRING_empty(STRING_HANDLE handle);
/* 0 if handle is NULL. */
extern GATEWAY_EXPORT size_t STRING_length(STRING_HANDLE handle);
/* strcmp of the contents; both NULL: 0; only s1 NULL: 1; only s2 NULL: -1. */
extern GATEWAY_EXPORT int STRING_compare(STRING_HANDLE s1, STRING_HANDLE s2);
/* A new string from a printf format. NULL if format is NULL. */
extern GATEWAY_EXPORT STRING_HANDLE STRING_construct_sprintf(const char* format, ...);
/* Appends printf-formatted text. */
extern GATEWAY_EXPORT int STRING_sprintf(STRING_HANDLE s1, const char* format, ...);
/* Replaces every target character with replace. */
extern GATEWAY_EXPORT int STRING_replace(STRING_HANDLE handle, char target, char replace);

#ifdef __cplusplus
}
#endif

#endif /* STRINGS_H */
