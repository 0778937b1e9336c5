/* util_json.h - private: writing text as the body of a JSON string literal, the way the
 * SDK's STRING_new_JSON did: `"` -> \", `\` -> \\, `/` -> \/, bytes below 0x20 -> \u00xx
 * (lowercase hex); every other byte, UTF-8 included, is copied as is. */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include <stddef.h>
#include <stdint.h>

/* Bytes util_json_escape writes for text (without quotes or NUL); SIZE_MAX on overflow. */
static inline size_t util_json_escaped_length(const char* text)
{
    const unsigned char* p;
    size_t length = 0;

    for (p = (const unsigned char*)text; *p != '\0'; p++)
    {
        size_t add = (*p == '"' || *p == '\\' || *p == '/') ? 2 : (*p < 0x20) ? 6 : 1;
        if (length > SIZE_MAX - 1 - add)
        {
            return SIZE_MAX;
        }
        length += add;
    }
    return length;
}

/* Writes the escaped text at out (no quotes, no NUL); returns the end of what it wrote. */
static inline char* util_json_escape(char* out, const char* text)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char* p;

    for (p = (const unsigned char*)text; *p != '\0'; p++)
    {
        unsigned char c = *p;
        if (c == '"' || c == '\\' || c == '/')
        {
            *out++ = '\\';
            *out++ = (char)c;
        }
        else if (c < 0x20)
        {
            *out++ = '\\';
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0x0F];
        }
        else
        {
            *out++ = (char)c;
        }
    }
    return out;
}

#endif /* UTIL_JSON_H */
