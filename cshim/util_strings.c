/* util_strings.c - STRING_HANDLE. Invariant: s is never NULL, s[length] == '\0',
 * length == strlen(s) and capacity > length is the allocated size of s. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/xlogging.h"
#include "util_json.h"

struct STRING_TAG
{
    char* s;
    size_t length;
    size_t capacity;
};

/* A handle owning a fresh copy of n bytes of text (n characters, no NUL among them). */
static STRING_HANDLE string_from(const char* text, size_t n)
{
    STRING_HANDLE result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("STRING: out of memory");
        return NULL;
    }
    result->s = malloc(n + 1);
    if (result->s == NULL)
    {
        LogError("STRING: out of memory allocating %zu bytes", n + 1);
        free(result);
        return NULL;
    }
    if (n > 0)
    {
        memcpy(result->s, text, n);
    }
    result->s[n] = '\0';
    result->length = n;
    result->capacity = n + 1;
    return result;
}

/* Makes room for `extra` more characters. Non-zero on overflow / out of memory. */
static int string_reserve(STRING_HANDLE handle, size_t extra)
{
    size_t needed;
    size_t capacity;
    char* grown;

    if (extra > SIZE_MAX - handle->length - 1)
    {
        return __LINE__;
    }
    needed = handle->length + extra + 1;
    if (needed <= handle->capacity)
    {
        return 0;
    }
    capacity = handle->capacity;
    while (capacity < needed)
    {
        capacity = (capacity > SIZE_MAX / 2) ? needed : capacity * 2;
    }
    grown = realloc(handle->s, capacity);
    if (grown == NULL)
    {
        LogError("STRING: out of memory growing to %zu bytes", capacity);
        return __LINE__;
    }
    handle->s = grown;
    handle->capacity = capacity;
    return 0;
}

/* Appends n characters at text, which may point into the handle's own storage. */
static int string_append(STRING_HANDLE handle, const char* text, size_t n)
{
    uintptr_t base = (uintptr_t)handle->s;
    uintptr_t where = (uintptr_t)text;
    int inside = (where >= base && where < base + handle->capacity);
    size_t offset = inside ? (size_t)(where - base) : 0;

    if (n == 0)
    {
        return 0;
    }
    if (string_reserve(handle, n) != 0)
    {
        return __LINE__;
    }
    if (inside)
    {
        text = handle->s + offset;
    }
    memmove(handle->s + handle->length, text, n);
    handle->length += n;
    handle->s[handle->length] = '\0';
    return 0;
}

/* Replaces the content with n characters at text (which may alias the current content). */
static int string_assign(STRING_HANDLE handle, const char* text, size_t n)
{
    char* copy = malloc(n + 1);
    if (copy == NULL)
    {
        LogError("STRING: out of memory allocating %zu bytes", n + 1);
        return __LINE__;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    free(handle->s);
    handle->s = copy;
    handle->length = n;
    handle->capacity = n + 1;
    return 0;
}

/* Length of text, looking at no more than max bytes (max when no NUL is found). */
static size_t bounded_length(const char* text, size_t max)
{
    const char* nul = memchr(text, '\0', max);
    return (nul == NULL) ? max : (size_t)(nul - text);
}

STRING_HANDLE STRING_new(void)
{
    return string_from("", 0);
}

STRING_HANDLE STRING_clone(STRING_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("STRING_clone: invalid argument (handle=NULL)");
        return NULL;
    }
    return string_from(handle->s, handle->length);
}

STRING_HANDLE STRING_construct(const char* psz)
{
    if (psz == NULL)
    {
        LogError("STRING_construct: invalid argument (psz=NULL)");
        return NULL;
    }
    return string_from(psz, strlen(psz));
}

STRING_HANDLE STRING_construct_n(const char* psz, size_t n)
{
    if (psz == NULL)
    {
        LogError("STRING_construct_n: invalid argument (psz=NULL)");
        return NULL;
    }
    if (bounded_length(psz, n) < n)
    {
        LogError("STRING_construct_n: n (%zu) is larger than the string", n);
        return NULL;
    }
    return string_from(psz, n);
}

STRING_HANDLE STRING_new_with_memory(const char* memory)
{
    STRING_HANDLE result;

    if (memory == NULL)
    {
        LogError("STRING_new_with_memory: invalid argument (memory=NULL)");
        return NULL;
    }
    result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("STRING_new_with_memory: out of memory");
        return NULL;
    }
    result->s = (char*)memory;
    result->length = strlen(memory);
    result->capacity = result->length + 1;
    return result;
}

STRING_HANDLE STRING_new_quoted(const char* source)
{
    STRING_HANDLE result;
    size_t n;

    if (source == NULL)
    {
        LogError("STRING_new_quoted: invalid argument (source=NULL)");
        return NULL;
    }
    n = strlen(source);
    if (n > SIZE_MAX - 3)
    {
        return NULL;
    }
    result = string_from("", 0);
    if (result == NULL)
    {
        return NULL;
    }
    if (string_reserve(result, n + 2) != 0)
    {
        STRING_delete(result);
        return NULL;
    }
    result->s[0] = '"';
    memcpy(result->s + 1, source, n);
    result->s[n + 1] = '"';
    result->s[n + 2] = '\0';
    result->length = n + 2;
    return result;
}

STRING_HANDLE STRING_new_JSON(const char* source)
{
    STRING_HANDLE result;
    size_t size;
    char* out;

    if (source == NULL)
    {
        LogError("STRING_new_JSON: invalid argument (source=NULL)");
        return NULL;
    }
    size = util_json_escaped_length(source);
    if (size > SIZE_MAX - 3)
    {
        return NULL;
    }
    size += 2;
    result = string_from("", 0);
    if (result == NULL)
    {
        return NULL;
    }
    if (string_reserve(result, size) != 0)
    {
        STRING_delete(result);
        return NULL;
    }
    out = result->s;
    *out++ = '"';
    out = util_json_escape(out, source);
    *out++ = '"';
    *out = '\0';
    result->length = size;
    return result;
}

STRING_HANDLE STRING_from_byte_array(const unsigned char* source, size_t size)
{
    if (source == NULL && size > 0)
    {
        LogError("STRING_from_byte_array: invalid argument (source=NULL, size=%zu)", size);
        return NULL;
    }
    if (size == 0)
    {
        return string_from("", 0);
    }
    return string_from((const char*)source, bounded_length((const char*)source, size));
}

void STRING_delete(STRING_HANDLE handle)
{
    if (handle != NULL)
    {
        free(handle->s);
        free(handle);
    }
}

int STRING_concat(STRING_HANDLE handle, const char* s2)
{
    if (handle == NULL || s2 == NULL)
    {
        LogError("STRING_concat: invalid argument (handle=%p, s2=%p)", (void*)handle, (const void*)s2);
        return __LINE__;
    }
    return string_append(handle, s2, strlen(s2));
}

int STRING_concat_with_STRING(STRING_HANDLE s1, STRING_HANDLE s2)
{
    if (s1 == NULL || s2 == NULL)
    {
        LogError("STRING_concat_with_STRING: invalid argument (s1=%p, s2=%p)", (void*)s1, (void*)s2);
        return __LINE__;
    }
    return string_append(s1, s2->s, s2->length);
}

int STRING_quote(STRING_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("STRING_quote: invalid argument (handle=NULL)");
        return __LINE__;
    }
    if (string_reserve(handle, 2) != 0)
    {
        return __LINE__;
    }
    memmove(handle->s + 1, handle->s, handle->length);
    handle->s[0] = '"';
    handle->s[handle->length + 1] = '"';
    handle->length += 2;
    handle->s[handle->length] = '\0';
    return 0;
}

int STRING_copy(STRING_HANDLE s1, const char* s2)
{
    if (s1 == NULL || s2 == NULL)
    {
        LogError("STRING_copy: invalid argument (s1=%p, s2=%p)", (void*)s1, (const void*)s2);
        return __LINE__;
    }
    if (s1->s == s2)
    {
        return 0;
    }
    return string_assign(s1, s2, strlen(s2));
}

int STRING_copy_n(STRING_HANDLE s1, const char* s2, size_t n)
{
    if (s1 == NULL || s2 == NULL)
    {
        LogError("STRING_copy_n: invalid argument (s1=%p, s2=%p)", (void*)s1, (const void*)s2);
        return __LINE__;
    }
    return string_assign(s1, s2, bounded_length(s2, n));
}

const char* STRING_c_str(STRING_HANDLE handle)
{
    return (handle == NULL) ? NULL : handle->s;
}

int STRING_empty(STRING_HANDLE handle)
{
    if (handle == NULL)
    {
        LogError("STRING_empty: invalid argument (handle=NULL)");
        return __LINE__;
    }
    handle->s[0] = '\0';
    handle->length = 0;
    return 0;
}

size_t STRING_length(STRING_HANDLE handle)
{
    return (handle == NULL) ? 0 : handle->length;
}

int STRING_compare(STRING_HANDLE s1, STRING_HANDLE s2)
{
    if (s1 == NULL && s2 == NULL)
    {
        return 0;
    }
    if (s1 == NULL)
    {
        return 1;
    }
    if (s2 == NULL)
    {
        return -1;
    }
    return strcmp(s1->s, s2->s);
}

/* Appends printf-formatted text to handle. The arguments may point into the handle's own
 * text, so the result is built in fresh storage and the old one freed afterwards. */
static int string_vappend(STRING_HANDLE handle, const char* format, va_list args)
{
    va_list copy;
    int needed;
    size_t capacity;
    char* text;

    va_copy(copy, args);
    needed = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (needed < 0)
    {
        LogError("STRING: invalid format \"%s\"", format);
        return __LINE__;
    }
    if (needed == 0)
    {
        return 0;
    }
    if ((size_t)needed > SIZE_MAX - handle->length - 1)
    {
        return __LINE__;
    }
    capacity = handle->length + (size_t)needed + 1;
    text = malloc(capacity);
    if (text == NULL)
    {
        LogError("STRING: out of memory allocating %zu bytes", capacity);
        return __LINE__;
    }
    memcpy(text, handle->s, handle->length);
    (void)vsnprintf(text + handle->length, (size_t)needed + 1, format, args);
    free(handle->s);
    handle->s = text;
    handle->length += (size_t)needed;
    handle->capacity = capacity;
    return 0;
}

STRING_HANDLE STRING_construct_sprintf(const char* format, ...)
{
    STRING_HANDLE result;
    va_list args;
    int failed;

    if (format == NULL)
    {
        LogError("STRING_construct_sprintf: invalid argument (format=NULL)");
        return NULL;
    }
    result = string_from("", 0);
    if (result == NULL)
    {
        return NULL;
    }
    va_start(args, format);
    failed = string_vappend(result, format, args);
    va_end(args);
    if (failed)
    {
        STRING_delete(result);
        return NULL;
    }
    return result;
}

int STRING_sprintf(STRING_HANDLE s1, const char* format, ...)
{
    va_list args;
    int result;

    if (s1 == NULL || format == NULL)
    {
        LogError("STRING_sprintf: invalid argument (s1=%p, format=%p)", (void*)s1, (const void*)format);
        return __LINE__;
    }
    va_start(args, format);
    result = string_vappend(s1, format, args);
    va_end(args);
    return result;
}

int STRING_replace(STRING_HANDLE handle, char target, char replace)
{
    size_t i;

    if (handle == NULL)
    {
        LogError("STRING_replace: invalid argument (handle=NULL)");
        return __LINE__;
    }
    if (target == replace)
    {
        return 0;
    }
    for (i = 0; i < handle->length; i++)
    {
        if (handle->s[i] == target)
        {
            handle->s[i] = replace;
        }
    }
    /* replacing with NUL shortens the string */
    handle->length = strlen(handle->s);
    return 0;
}
