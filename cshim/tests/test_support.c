/* test_support.c - gw_log_default for the util C tests (libgateway.so has its own).
 *
 * Records every call (count, category, formatted text) so tests can assert that an error
 * was logged, and echoes it to stderr when UTIL_TEST_VERBOSE is set (the tests pass NULL
 * arguments on purpose, which logs a lot). Thread safe. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gw_log.h"

int test_log_count(void);
int test_log_last_category(void);
const char* test_log_last(void);
void test_log_reset(void);

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static int g_count;
static int g_last_category = -1;
static char g_last[1024];

void gw_log_default(LOG_CATEGORY log_category, const char* file, const char* func, int line, unsigned int options,
                    const char* format, ...)
{
    char text[1024];
    va_list args;
    const char* verbose = getenv("UTIL_TEST_VERBOSE");

    text[0] = '\0';
    if (format != NULL)
    {
        va_start(args, format);
        (void)vsnprintf(text, sizeof(text), format, args);
        va_end(args);
    }
    (void)pthread_mutex_lock(&g_mutex);
    g_count++;
    g_last_category = (int)log_category;
    memcpy(g_last, text, sizeof(g_last));
    (void)pthread_mutex_unlock(&g_mutex);
    if (verbose != NULL && verbose[0] != '\0' && verbose[0] != '0')
    {
        fprintf(stderr, "[%s] %s:%d %s: %s%s", LOG_CATEGORYStrings(log_category), (file != NULL) ? file : "?", line,
                (func != NULL) ? func : "?", text, (options & LOG_LINE) ? "\n" : "");
    }
}

int test_log_count(void)
{
    int count;
    (void)pthread_mutex_lock(&g_mutex);
    count = g_count;
    (void)pthread_mutex_unlock(&g_mutex);
    return count;
}

int test_log_last_category(void)
{
    int category;
    (void)pthread_mutex_lock(&g_mutex);
    category = g_last_category;
    (void)pthread_mutex_unlock(&g_mutex);
    return category;
}

const char* test_log_last(void)
{
    /* read by the test thread after the logging call returned */
    return g_last;
}

void test_log_reset(void)
{
    (void)pthread_mutex_lock(&g_mutex);
    g_count = 0;
    g_last_category = -1;
    g_last[0] = '\0';
    (void)pthread_mutex_unlock(&g_mutex);
}
