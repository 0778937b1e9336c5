/* util_uniqueid.c - UUID v4 text from the kernel's random source. */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <stddef.h>
#include <sys/random.h>
#include "azure_c_shared_utility/uniqueid.h"
#include "azure_c_shared_utility/xlogging.h"

DEFINE_ENUM_STRINGS(UNIQUEID_RESULT, UNIQUEID_RESULT_VALUES)

#define UUID_TEXT_LENGTH 36

UNIQUEID_RESULT UniqueId_Generate(char* uid, size_t bufferSize)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[16];
    size_t filled = 0;
    size_t i;
    char* out;

    if (uid == NULL || bufferSize < UUID_TEXT_LENGTH + 1)
    {
        LogError("UniqueId_Generate: invalid argument (uid=%p, bufferSize=%zu)", (void*)uid, bufferSize);
        return UNIQUEID_INVALID_ARG;
    }
    while (filled < sizeof(bytes))
    {
        ssize_t got = getrandom(bytes + filled, sizeof(bytes) - filled, 0);
        if (got < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            LogError("UniqueId_Generate: getrandom failed (errno %d)", errno);
            return UNIQUEID_ERROR;
        }
        filled += (size_t)got;
    }
    bytes[6] = (unsigned char)((bytes[6] & 0x0F) | 0x40); /* version 4 */
    bytes[8] = (unsigned char)((bytes[8] & 0x3F) | 0x80); /* RFC 4122 variant */

    out = uid;
    for (i = 0; i < sizeof(bytes); i++)
    {
        if (i == 4 || i == 6 || i == 8 || i == 10)
        {
            *out++ = '-';
        }
        *out++ = hex[bytes[i] >> 4];
        *out++ = hex[bytes[i] & 0x0F];
    }
    *out = '\0';
    return UNIQUEID_OK;
}
