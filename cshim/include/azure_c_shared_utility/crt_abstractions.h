/* crt_abstractions.h - the "secure" CRT functions of the SDK for non-Microsoft C libraries.
 *
 * Unlike the original, this header accepts any C standard (modules compile as C99).
 * Error codes: 0 on success, EINVAL / ERANGE / STRUNCATE (80) on failure, as documented per
 * function. Memory: only mallocAndStrcpy_s allocates (with malloc; the caller frees). */
#ifndef CRT_ABSTRACTIONS_H
#define CRT_ABSTRACTIONS_H

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif

/* Appends src to the NUL-terminated string in dst (buffer of dstSizeInBytes bytes).
 * EINVAL: dst NULL or unterminated within dstSizeInBytes (dst unchanged), or src NULL
 * (dst[0] = 0). ERANGE: dstSizeInBytes 0 or too small (dst[0] = 0 when dst has room). */
extern GATEWAY_EXPORT int strcat_s(char* dst, size_t dstSizeInBytes, const char* src);
/* Copies src with its NUL into dst. EINVAL: dst NULL (unchanged) or src NULL (dst[0] = 0).
 * ERANGE: dstSizeInBytes 0 (unchanged) or too small (dst[0] = 0). */
extern GATEWAY_EXPORT int strcpy_s(char* dst, size_t dstSizeInBytes, const char* src);
/* Copies min(strlen(src), maxCount) characters and a NUL. maxCount == _TRUNCATE copies as
 * much as fits and returns STRUNCATE if it had to cut. EINVAL: dst NULL or dstSizeInBytes 0
 * (dst unchanged), src NULL (dst[0] = 0). ERANGE: does not fit (dst[0] = 0). */
extern GATEWAY_EXPORT int strncpy_s(char* dst, size_t dstSizeInBytes, const char* src, size_t maxCount);
/* snprintf that fails instead of truncating. Returns the number of characters written
 * (without the NUL), or -1: dst or format NULL (errno = EINVAL), dstSizeInBytes 0, or the
 * text does not fit (dst set to ""). */
extern GATEWAY_EXPORT int sprintf_s(char* dst, size_t dstSizeInBytes, const char* format, ...);
/* *destination = malloc'd copy of source (the caller frees it with free). EINVAL: either
 * argument NULL (destination unchanged). ENOMEM: out of memory. */
extern GATEWAY_EXPORT int mallocAndStrcpy_s(char** destination, const char* source);
/* Decimal text of value into destination. Non-zero: destination NULL or too small. */
extern GATEWAY_EXPORT int unsignedIntToString(char* destination, size_t destinationSize, unsigned int value);
extern GATEWAY_EXPORT int size_tToString(char* destination, size_t destinationSize, size_t value);
/* strtoull / strtof / strtold with the SDK's conventions: nptr NULL returns 0 and sets
 * *endptr = NULL; no conversion returns 0 and sets *endptr = nptr; out of range returns
 * ULLONG_MAX / +-HUGE_VALF / +-HUGE_VALL with errno = ERANGE; "NAN" returns 0 with
 * *endptr after the NAN sequence; base must be 0 or 2..36. */
extern GATEWAY_EXPORT unsigned long long strtoull_s(const char* nptr, char** endPtr, int base);
extern GATEWAY_EXPORT float strtof_s(const char* nptr, char** endPtr);
extern GATEWAY_EXPORT long double strtold_s(const char* nptr, char** endPtr);

#ifndef ISNAN
#define ISNAN(x) isnan(x)
#endif
#ifndef ISINF
#define ISINF(x) isinf(x)
#endif

#ifdef __cplusplus
}
#endif

#endif /* CRT_ABSTRACTIONS_H */
