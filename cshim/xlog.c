/* xlog.c - the default xlogging function handed to legacy modules: formats the line
 * and routes it into the gateway's Go logger (gw_go_log) with the module name when
 * the calling thread is running module code. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_internal.h"
#include "gw_log.h"

void gw_log_default(LOG_CATEGORY log_category, const char* file, const char* func, int line, unsigned int options, const char* format, ...)
{
    char small[512];
    char* text = small;
    va_list args;
    int n;
    (void)options;
    if (format == NULL)
    {
        return;
    }
    va_start(args, format);
    n = vsnprintf(small, sizeof(small), format, args);
    va_end(args);
    if (n < 0)
    {
        return;
    }
    if ((size_t)n >= sizeof(small))
    {
        text = (char*)malloc((size_t)n + 1);
        if (text == NULL)
        {
            text = small; /* truncated line rather than none */
        }
        else
        {
            va_start(args, format);
            vsnprintf(text, (size_t)n + 1, format, args);
            va_end(args);
        }
    }
    gw_go_log((int)log_category, (char*)gw_current_module(), (char*)file, (char*)func, line, text);
    if (text != small)
    {
        free(text);
    }
}
