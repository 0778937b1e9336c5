/* util_consolelogger.c - a LOGGER_LOG that writes whole lines to stdout. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "azure_c_shared_utility/consolelogger.h"

/* Appends formatted text to a growable line buffer; keeps the buffer valid on failure. */
typedef struct LINE_TAG
{
    char stack[512];
    char* text;
    size_t length;
    size_t capacity;
    int failed;
} LINE;

static void line_vappend(LINE* line, const char* format, va_list args)
{
    va_list copy;
    int needed;

    if (line->failed)
    {
        return;
    }
    va_copy(copy, args);
    needed = vsnprintf(line->text + line->length, line->capacity - line->length, format, copy);
    va_end(copy);
    if (needed < 0)
    {
        line->failed = 1;
        return;
    }
    if ((size_t)needed >= line->capacity - line->length)
    {
        size_t capacity = line->length + (size_t)needed + 1;
        char* grown = (line->text == line->stack) ? malloc(capacity) : realloc(line->text, capacity);
        if (grown == NULL)
        {
            line->failed = 1;
            return;
        }
        if (line->text == line->stack)
        {
            memcpy(grown, line->stack, line->length);
        }
        line->text = grown;
        line->capacity = capacity;
        (void)vsnprintf(line->text + line->length, line->capacity - line->length, format, args);
    }
    line->length += (size_t)needed;
}

static void line_append(LINE* line, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    line_vappend(line, format, args);
    va_end(args);
}

void consolelogger_log(LOG_CATEGORY log_category, const char* file, const char* func, int line_number,
                       unsigned int options, const char* format, ...)
{
    LINE line;
    va_list args;

    line.text = line.stack;
    line.length = 0;
    line.capacity = sizeof(line.stack);
    line.failed = 0;
    line.stack[0] = '\0';

    switch (log_category)
    {
    case AZ_LOG_INFO:
        line_append(&line, "Info: ");
        break;
    case AZ_LOG_ERROR:
    {
        char when[32];
        time_t now = time(NULL);
        if (ctime_r(&now, when) == NULL)
        {
            when[0] = '\0';
        }
        line_append(&line, "Error: Time:%.24s File:%s Func:%s Line:%d ", when, (file != NULL) ? file : "",
                    (func != NULL) ? func : "", line_number);
        break;
    }
    default:
        break;
    }

    if (format != NULL)
    {
        va_start(args, format);
        line_vappend(&line, format, args);
        va_end(args);
    }
    if ((options & LOG_LINE) != 0)
    {
        line_append(&line, "\r\n"); /* the original ends lines with CR LF */
    }

    flockfile(stdout);
    (void)fwrite(line.text, 1, line.length, stdout);
    (void)fflush(stdout);
    funlockfile(stdout);

    if (line.text != line.stack)
    {
        free(line.text);
    }
}
