/* util_crt_abstractions.c - the SDK's "secure" CRT functions. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/crt_abstractions.h"

/* Length of s, looking at no more than max bytes; returns max when no NUL is found. */
static size_t bounded_strlen(const char* s, size_t max)
{
    const char* nul = memchr(s, '\0', max);
    return (nul == NULL) ? max : (size_t)(nul - s);
}

int strcat_s(char* dst, size_t dstSizeInBytes, const char* src)
{
    size_t dst_length;
    size_t src_length;

    if (dst == NULL)
    {
        return EINVAL;
    }
    if (dstSizeInBytes == 0)
    {
        return ERANGE;
    }
    if (src == NULL)
    {
        dst[0] = '\0';
        return EINVAL;
    }
    dst_length = bounded_strlen(dst, dstSizeInBytes);
    if (dst_length == dstSizeInBytes)
    {
        return EINVAL; /* unterminated: leave dst as is */
    }
    src_length = strlen(src);
    if (src_length >= dstSizeInBytes - dst_length)
    {
        dst[0] = '\0';
        return ERANGE;
    }
    memmove(dst + dst_length, src, src_length + 1);
    return 0;
}

int strcpy_s(char* dst, size_t dstSizeInBytes, const char* src)
{
    size_t src_length;

    if (dst == NULL)
    {
        return EINVAL;
    }
    if (src == NULL)
    {
        if (dstSizeInBytes > 0)
        {
            dst[0] = '\0';
        }
        return EINVAL;
    }
    if (dstSizeInBytes == 0)
    {
        return ERANGE;
    }
    if (src == dst)
    {
        return (bounded_strlen(dst, dstSizeInBytes) < dstSizeInBytes) ? 0 : ERANGE;
    }
    src_length = strlen(src);
    if (src_length >= dstSizeInBytes)
    {
        dst[0] = '\0';
        return ERANGE;
    }
    memmove(dst, src, src_length + 1);
    return 0;
}

int strncpy_s(char* dst, size_t dstSizeInBytes, const char* src, size_t maxCount)
{
    size_t count;
    int result = 0;

    if (dst == NULL || dstSizeInBytes == 0)
    {
        return EINVAL;
    }
    if (src == NULL)
    {
        dst[0] = '\0';
        return EINVAL;
    }
    if (maxCount == _TRUNCATE)
    {
        count = bounded_strlen(src, dstSizeInBytes);
        if (count >= dstSizeInBytes)
        {
            count = dstSizeInBytes - 1;
            result = STRUNCATE;
        }
    }
    else
    {
        count = bounded_strlen(src, maxCount);
        if (count >= dstSizeInBytes)
        {
            dst[0] = '\0';
            return ERANGE;
        }
    }
    memmove(dst, src, count);
    dst[count] = '\0';
    return result;
}

int sprintf_s(char* dst, size_t dstSizeInBytes, const char* format, ...)
{
    va_list args;
    int written;

    if (dst == NULL || format == NULL)
    {
        errno = EINVAL;
        return -1;
    }
    if (dstSizeInBytes == 0)
    {
        return -1;
    }
    va_start(args, format);
    written = vsnprintf(dst, dstSizeInBytes, format, args);
    va_end(args);
    if (written < 0 || (size_t)written >= dstSizeInBytes)
    {
        dst[0] = '\0';
        return -1;
    }
    return written;
}

int mallocAndStrcpy_s(char** destination, const char* source)
{
    size_t size;
    char* copy;

    if (destination == NULL || source == NULL)
    {
        return EINVAL;
    }
    size = strlen(source) + 1;
    copy = malloc(size);
    if (copy == NULL)
    {
        return ENOMEM;
    }
    memcpy(copy, source, size);
    *destination = copy;
    return 0;
}

/* Writes the decimal digits of value and a NUL; non-zero if they do not fit. */
static int unsigned_to_string(char* destination, size_t destinationSize, unsigned long long value)
{
    char digits[24];
    size_t count = 0;
    size_t i;

    if (destination == NULL || destinationSize < 2)
    {
        return __LINE__;
    }
    do
    {
        digits[count++] = (char)('0' + (int)(value % 10u));
        value /= 10u;
    } while (value != 0u);
    if (count >= destinationSize)
    {
        return __LINE__;
    }
    for (i = 0; i < count; i++)
    {
        destination[i] = digits[count - 1 - i];
    }
    destination[count] = '\0';
    return 0;
}

int unsignedIntToString(char* destination, size_t destinationSize, unsigned int value)
{
    return unsigned_to_string(destination, destinationSize, value);
}

int size_tToString(char* destination, size_t destinationSize, size_t value)
{
    return unsigned_to_string(destination, destinationSize, value);
}

/* Skips the white space the SDK recognises and an optional sign; returns the first
 * character after them. */
static const char* skip_space_and_sign(const char* p)
{
    while (*p == ' ' || *p == '\f' || *p == '\n' || *p == '\r' || *p == '\t' || *p == '\v')
    {
        p++;
    }
    if (*p == '+' || *p == '-')
    {
        p++;
    }
    return p;
}

/* True when p starts with "nan" (any case). */
static int starts_with_nan(const char* p)
{
    return tolower((unsigned char)p[0]) == 'n' && tolower((unsigned char)p[1]) == 'a' &&
           tolower((unsigned char)p[2]) == 'n';
}

unsigned long long strtoull_s(const char* nptr, char** endPtr, int base)
{
    unsigned long long result;
    char* end;
    int saved_errno;

    if (nptr == NULL)
    {
        if (endPtr != NULL)
        {
            *endPtr = NULL;
        }
        return 0;
    }
    if (base < 0 || base == 1 || base > 36)
    {
        if (endPtr != NULL)
        {
            *endPtr = (char*)nptr;
        }
        return 0;
    }
    saved_errno = errno;
    errno = 0;
    result = strtoull(nptr, &end, base);
    if (errno == 0)
    {
        errno = saved_errno;
    }
    else if (errno != ERANGE)
    {
        errno = saved_errno;
        result = 0;
        end = (char*)nptr;
    }
    if (end == nptr)
    {
        result = 0;
    }
    if (endPtr != NULL)
    {
        *endPtr = end;
    }
    return result;
}

float strtof_s(const char* nptr, char** endPtr)
{
    float result;
    char* end;

    if (nptr == NULL)
    {
        if (endPtr != NULL)
        {
            *endPtr = NULL;
        }
        return 0.0f;
    }
    result = strtof(nptr, &end);
    if (end == nptr || starts_with_nan(skip_space_and_sign(nptr)))
    {
        result = 0.0f; /* the SDK returns 0 for "NAN", with endPtr after the NAN sequence */
    }
    if (endPtr != NULL)
    {
        *endPtr = end;
    }
    return result;
}

long double strtold_s(const char* nptr, char** endPtr)
{
    long double result;
    char* end;

    if (nptr == NULL)
    {
        if (endPtr != NULL)
        {
            *endPtr = NULL;
        }
        return 0.0L;
    }
    result = strtold(nptr, &end);
    if (end == nptr || starts_with_nan(skip_space_and_sign(nptr)))
    {
        result = 0.0L;
    }
    if (endPtr != NULL)
    {
        *endPtr = end;
    }
    return result;
}
