/* test_util_platform.c - lock.h, condition.h, threadapi.h, tickcounter.h, uniqueid.h,
 * crt_abstractions.h, xlogging.h, consolelogger.h, the enum string helpers and the
 * header-only gballoc.h / umock_c_prod.h / platform.h / optimize_size.h. */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "azure_c_shared_utility/condition.h"
#include "azure_c_shared_utility/consolelogger.h"
#include "azure_c_shared_utility/crt_abstractions.h"
#include "azure_c_shared_utility/gballoc.h"
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/optimize_size.h"
#include "azure_c_shared_utility/platform.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/tickcounter.h"
#include "azure_c_shared_utility/umock_c_prod.h"
#include "azure_c_shared_utility/uniqueid.h"
#include "azure_c_shared_utility/xlogging.h"
#include "gw_log.h"
#include "test_util.h"

/* ---- lock / threads ---------------------------------------------------------------- */

typedef struct COUNTER_TAG
{
    LOCK_HANDLE lock;
    long value;
    int errors;
} COUNTER;

static int count_up(void* context)
{
    COUNTER* counter = context;
    int i;
    for (i = 0; i < 100000; i++)
    {
        if (Lock(counter->lock) != LOCK_OK)
        {
            counter->errors++; /* not expected; racy on purpose-free path */
            continue;
        }
        counter->value++;
        if (Unlock(counter->lock) != LOCK_OK)
        {
            counter->errors++;
        }
    }
    return 0;
}

static void test_lock(void)
{
    COUNTER counter;
    THREAD_HANDLE threads[4];
    int i;

    counter.lock = Lock_Init();
    counter.value = 0;
    counter.errors = 0;
    CHECK(counter.lock != NULL);
    for (i = 0; i < 4; i++)
    {
        CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&threads[i], count_up, &counter));
    }
    for (i = 0; i < 4; i++)
    {
        CHECK_INT(THREADAPI_OK, ThreadAPI_Join(threads[i], NULL));
    }
    CHECK_INT(400000, counter.value);
    CHECK_INT(0, counter.errors);
    CHECK_INT(LOCK_OK, Lock_Deinit(counter.lock));

    CHECK_INT(LOCK_ERROR, Lock(NULL));
    CHECK_INT(LOCK_ERROR, Unlock(NULL));
    CHECK_INT(LOCK_ERROR, Lock_Deinit(NULL));
}

static int return_argument(void* context)
{
    return *(int*)context;
}

static int exit_early(void* context)
{
    (void)context;
    ThreadAPI_Exit(7);
    return 1; /* not reached */
}

static void test_threadapi(void)
{
    THREAD_HANDLE thread = NULL;
    int value = 42;
    int result = 0;

    CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&thread, return_argument, &value));
    CHECK(thread != NULL);
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, &result));
    CHECK_INT(42, result);

    value = -5;
    CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&thread, return_argument, &value));
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, &result));
    CHECK_INT(-5, result);

    CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&thread, exit_early, NULL));
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, &result));
    CHECK_INT(7, result);

    CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&thread, return_argument, &value));
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, NULL));

    thread = NULL;
    CHECK_INT(THREADAPI_INVALID_ARG, ThreadAPI_Create(NULL, return_argument, &value));
    CHECK_INT(THREADAPI_INVALID_ARG, ThreadAPI_Create(&thread, NULL, &value));
    CHECK(thread == NULL);
    CHECK_INT(THREADAPI_INVALID_ARG, ThreadAPI_Join(NULL, &result));
}

static void test_sleep_and_tickcounter(void)
{
    TICK_COUNTER_HANDLE counter = tickcounter_create();
    tickcounter_ms_t first = 12345;
    tickcounter_ms_t second = 0;
    tickcounter_ms_t third = 0;

    CHECK(counter != NULL);
    CHECK_INT(0, tickcounter_get_current_ms(counter, &first));
    CHECK(first < 1000);
    ThreadAPI_Sleep(30);
    CHECK_INT(0, tickcounter_get_current_ms(counter, &second));
    CHECK(second >= first + 30);
    CHECK(second < first + 5000);
    ThreadAPI_Sleep(0);
    CHECK_INT(0, tickcounter_get_current_ms(counter, &third));
    CHECK(third >= second);
    CHECK(tickcounter_get_current_ms(NULL, &third) != 0);
    CHECK(tickcounter_get_current_ms(counter, NULL) != 0);
    tickcounter_destroy(counter);
    tickcounter_destroy(NULL);
}

/* ---- condition ---------------------------------------------------------------------- */

typedef struct MAILBOX_TAG
{
    LOCK_HANDLE lock;
    COND_HANDLE cond;
    int items;
    int taken;
} MAILBOX;

static int consumer(void* context)
{
    MAILBOX* box = context;
    int errors = 0;

    if (Lock(box->lock) != LOCK_OK)
    {
        return -1;
    }
    while (box->taken < 100)
    {
        while (box->items == 0)
        {
            COND_RESULT r = Condition_Wait(box->cond, box->lock, 0);
            if (r != COND_OK)
            {
                errors++;
                break;
            }
        }
        if (box->items > 0)
        {
            box->items--;
            box->taken++;
            (void)Condition_Post(box->cond);
        }
    }
    (void)Unlock(box->lock);
    return errors;
}

static void test_condition(void)
{
    MAILBOX box;
    THREAD_HANDLE thread;
    TICK_COUNTER_HANDLE ticks = tickcounter_create();
    tickcounter_ms_t before = 0;
    tickcounter_ms_t after = 0;
    int result = -1;
    int i;

    box.lock = Lock_Init();
    box.cond = Condition_Init();
    box.items = 0;
    box.taken = 0;
    CHECK(box.cond != NULL);
    CHECK_INT(THREADAPI_OK, ThreadAPI_Create(&thread, consumer, &box));
    for (i = 0; i < 100; i++)
    {
        CHECK_INT(LOCK_OK, Lock(box.lock));
        while (box.items > 0) /* one item in flight at a time: forces real hand-offs */
        {
            CHECK_INT(COND_OK, Condition_Wait(box.cond, box.lock, 0));
        }
        box.items++;
        CHECK_INT(COND_OK, Condition_Post(box.cond));
        CHECK_INT(LOCK_OK, Unlock(box.lock));
    }
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, &result));
    CHECK_INT(0, result);
    CHECK_INT(100, box.taken);

    /* a timed wait with nobody posting times out */
    CHECK_INT(LOCK_OK, Lock(box.lock));
    CHECK_INT(0, tickcounter_get_current_ms(ticks, &before));
    CHECK_INT(COND_TIMEOUT, Condition_Wait(box.cond, box.lock, 50));
    CHECK_INT(0, tickcounter_get_current_ms(ticks, &after));
    CHECK(after - before >= 49);
    CHECK_INT(LOCK_OK, Unlock(box.lock)); /* the lock is held again after the wait */

    CHECK_INT(COND_INVALID_ARG, Condition_Post(NULL));
    CHECK_INT(COND_INVALID_ARG, Condition_Wait(NULL, box.lock, 0));
    CHECK_INT(COND_INVALID_ARG, Condition_Wait(box.cond, NULL, 0));
    Condition_Deinit(NULL);
    Condition_Deinit(box.cond);
    CHECK_INT(LOCK_OK, Lock_Deinit(box.lock));
    tickcounter_destroy(ticks);
}

/* ---- uniqueid ----------------------------------------------------------------------- */

static int is_uuid_v4(const char* text)
{
    size_t i;
    if (strlen(text) != 36)
    {
        return 0;
    }
    for (i = 0; i < 36; i++)
    {
        if (i == 8 || i == 13 || i == 18 || i == 23)
        {
            if (text[i] != '-')
            {
                return 0;
            }
        }
        else if (!isxdigit((unsigned char)text[i]) || isupper((unsigned char)text[i]))
        {
            return 0;
        }
    }
    return text[14] == '4' && strchr("89ab", text[19]) != NULL;
}

static void test_uniqueid(void)
{
    char a[37];
    char b[64];
    char small[36];

    memset(b, 'X', sizeof(b));
    CHECK_INT(UNIQUEID_OK, UniqueId_Generate(a, sizeof(a)));
    CHECK_INT(UNIQUEID_OK, UniqueId_Generate(b, sizeof(b)));
    CHECK(is_uuid_v4(a));
    CHECK(is_uuid_v4(b));
    CHECK(strcmp(a, b) != 0);
    CHECK(b[37] == 'X'); /* writes 37 bytes only */
    CHECK_INT(UNIQUEID_INVALID_ARG, UniqueId_Generate(small, sizeof(small)));
    CHECK_INT(UNIQUEID_INVALID_ARG, UniqueId_Generate(NULL, 37));
}

/* ---- crt_abstractions --------------------------------------------------------------- */

static void test_strcat_strcpy(void)
{
    char dst[8];
    char unterminated[4] = { 'a', 'b', 'c', 'd' };

    strcpy(dst, "ab");
    CHECK_INT(0, strcat_s(dst, sizeof(dst), "cde"));
    CHECK_STR("abcde", dst);
    CHECK_INT(0, strcat_s(dst, sizeof(dst), "fg"));
    CHECK_STR("abcdefg", dst);
    CHECK_INT(ERANGE, strcat_s(dst, sizeof(dst), "h"));
    CHECK_STR("", dst);
    strcpy(dst, "ab");
    CHECK_INT(EINVAL, strcat_s(dst, sizeof(dst), NULL));
    CHECK_STR("", dst);
    CHECK_INT(EINVAL, strcat_s(NULL, 4, "x"));
    strcpy(dst, "ab");
    CHECK_INT(ERANGE, strcat_s(dst, 0, "x"));
    CHECK_STR("ab", dst);
    CHECK_INT(EINVAL, strcat_s(unterminated, sizeof(unterminated), "x"));
    CHECK(unterminated[0] == 'a');

    CHECK_INT(0, strcpy_s(dst, sizeof(dst), "1234567"));
    CHECK_STR("1234567", dst);
    CHECK_INT(ERANGE, strcpy_s(dst, sizeof(dst), "12345678"));
    CHECK_STR("", dst);
    CHECK_INT(0, strcpy_s(dst, sizeof(dst), ""));
    CHECK_STR("", dst);
    strcpy(dst, "keep");
    CHECK_INT(EINVAL, strcpy_s(dst, sizeof(dst), NULL));
    CHECK_STR("", dst);
    CHECK_INT(EINVAL, strcpy_s(NULL, 4, "x"));
    strcpy(dst, "keep");
    CHECK_INT(ERANGE, strcpy_s(dst, 0, "x"));
    CHECK_STR("keep", dst);
}

static void test_strncpy(void)
{
    char dst[6];

    CHECK_INT(0, strncpy_s(dst, sizeof(dst), "abcdefgh", 3));
    CHECK_STR("abc", dst);
    CHECK_INT(0, strncpy_s(dst, sizeof(dst), "xy", 10));
    CHECK_STR("xy", dst);
    CHECK_INT(0, strncpy_s(dst, sizeof(dst), "12345", 5));
    CHECK_STR("12345", dst);
    CHECK_INT(ERANGE, strncpy_s(dst, sizeof(dst), "123456", 6));
    CHECK_STR("", dst);
    CHECK_INT(STRUNCATE, strncpy_s(dst, sizeof(dst), "abcdefgh", _TRUNCATE));
    CHECK_STR("abcde", dst);
    CHECK_INT(0, strncpy_s(dst, sizeof(dst), "abc", _TRUNCATE));
    CHECK_STR("abc", dst);
    CHECK_INT(0, strncpy_s(dst, sizeof(dst), "abcde", _TRUNCATE));
    CHECK_STR("abcde", dst);
    strcpy(dst, "keep");
    CHECK_INT(EINVAL, strncpy_s(dst, sizeof(dst), NULL, 3));
    CHECK_STR("", dst);
    strcpy(dst, "keep");
    CHECK_INT(EINVAL, strncpy_s(dst, 0, "x", 1));
    CHECK_STR("keep", dst);
    CHECK_INT(EINVAL, strncpy_s(NULL, 4, "x", 1));
}

static void test_sprintf_s(void)
{
    char dst[8];

    CHECK_INT(5, sprintf_s(dst, sizeof(dst), "%s-%d", "ab", 12));
    CHECK_STR("ab-12", dst);
    CHECK_INT(7, sprintf_s(dst, sizeof(dst), "%07d", 1));
    CHECK_STR("0000001", dst);
    CHECK_INT(-1, sprintf_s(dst, sizeof(dst), "%08d", 1));
    CHECK_STR("", dst);
    CHECK_INT(0, sprintf_s(dst, sizeof(dst), "%s", ""));
    errno = 0;
    CHECK_INT(-1, sprintf_s(NULL, 8, "x"));
    CHECK_INT(EINVAL, errno);
    CHECK_INT(-1, sprintf_s(dst, sizeof(dst), NULL));
    CHECK_INT(-1, sprintf_s(dst, 0, "x"));
}

static void test_malloc_and_strcpy(void)
{
    char* copy = NULL;
    char* untouched = (char*)"sentinel";
    const char* source = "copied";

    CHECK_INT(0, mallocAndStrcpy_s(&copy, source));
    CHECK(copy != source);
    CHECK_STR("copied", copy);
    free(copy);
    CHECK_INT(0, mallocAndStrcpy_s(&copy, ""));
    CHECK_STR("", copy);
    gballoc_free(copy);
    CHECK_INT(EINVAL, mallocAndStrcpy_s(&untouched, NULL));
    CHECK_STR("sentinel", untouched);
    CHECK_INT(EINVAL, mallocAndStrcpy_s(NULL, "x"));
}

static void test_number_to_string(void)
{
    char dst[21];
    char tiny[3];

    CHECK_INT(0, unsignedIntToString(dst, sizeof(dst), 0));
    CHECK_STR("0", dst);
    CHECK_INT(0, unsignedIntToString(dst, sizeof(dst), 4294967295u));
    CHECK_STR("4294967295", dst);
    CHECK_INT(0, unsignedIntToString(tiny, sizeof(tiny), 99));
    CHECK_STR("99", tiny);
    CHECK(unsignedIntToString(tiny, sizeof(tiny), 100) != 0);
    CHECK(unsignedIntToString(tiny, 1, 1) != 0);
    CHECK(unsignedIntToString(NULL, 10, 1) != 0);

    CHECK_INT(0, size_tToString(dst, sizeof(dst), SIZE_MAX));
    CHECK_STR("18446744073709551615", dst);
    CHECK_INT(0, size_tToString(dst, sizeof(dst), 1234));
    CHECK_STR("1234", dst);
    CHECK(size_tToString(tiny, sizeof(tiny), 1000) != 0);
    CHECK(size_tToString(NULL, 10, 1) != 0);
}

static void test_strto(void)
{
    const char* text;
    char* end = NULL;

    text = "  12345xyz";
    CHECK(strtoull_s(text, &end, 10) == 12345ULL);
    CHECK(end == text + 7);
    text = "0x1F";
    CHECK(strtoull_s(text, &end, 0) == 31ULL);
    CHECK(*end == '\0');
    CHECK(strtoull_s("017", NULL, 0) == 15ULL);
    CHECK(strtoull_s("z", NULL, 36) == 35ULL);
    CHECK(strtoull_s("101", NULL, 2) == 5ULL);
    CHECK(strtoull_s("-1", NULL, 10) == ULLONG_MAX);
    errno = 0;
    CHECK(strtoull_s("99999999999999999999999", &end, 10) == ULLONG_MAX);
    CHECK_INT(ERANGE, errno);
    text = "abc";
    CHECK(strtoull_s(text, &end, 10) == 0ULL);
    CHECK(end == text);
    CHECK(strtoull_s(text, &end, 1) == 0ULL);
    CHECK(end == text);
    CHECK(strtoull_s(text, &end, 37) == 0ULL);
    CHECK(strtoull_s(NULL, &end, 10) == 0ULL);
    CHECK(end == NULL);

    text = " -2.5e1rest";
    CHECK(strtof_s(text, &end) == -25.0f);
    CHECK_STR("rest", end);
    CHECK(isinf(strtof_s("INF", NULL)));
    CHECK(isinf(strtof_s("-Infinity", NULL)));
    text = "nan(123)tail";
    CHECK(strtof_s(text, &end) == 0.0f);
    CHECK_STR("tail", end);
    errno = 0;
    CHECK(strtof_s("1e100", NULL) == HUGE_VALF);
    CHECK_INT(ERANGE, errno);
    text = "x1";
    CHECK(strtof_s(text, &end) == 0.0f);
    CHECK(end == text);
    CHECK(strtof_s(NULL, &end) == 0.0f);
    CHECK(end == NULL);

    text = "3.25e2!";
    CHECK(strtold_s(text, &end) == 325.0L);
    CHECK_STR("!", end);
    CHECK(isinf(strtold_s("inf", NULL)));
    text = "NAN";
    CHECK(strtold_s(text, &end) == 0.0L);
    CHECK(*end == '\0');
    text = "";
    CHECK(strtold_s(text, &end) == 0.0L);
    CHECK(end == text);
    CHECK(strtold_s(NULL, &end) == 0.0L);
    CHECK(end == NULL);
}

/* ---- xlogging / consolelogger ------------------------------------------------------- */

static int g_captured_calls;
static LOG_CATEGORY g_captured_category;
static char g_captured_text[256];
static char g_captured_file[256];
static char g_captured_func[64];
static int g_captured_line;
static unsigned int g_captured_options;

static void capture_log(LOG_CATEGORY log_category, const char* file, const char* func, int line, unsigned int options,
                        const char* format, ...)
{
    va_list args;
    g_captured_calls++;
    g_captured_category = log_category;
    snprintf(g_captured_file, sizeof(g_captured_file), "%s", file);
    snprintf(g_captured_func, sizeof(g_captured_func), "%s", func);
    g_captured_line = line;
    g_captured_options = options;
    va_start(args, format);
    vsnprintf(g_captured_text, sizeof(g_captured_text), format, args);
    va_end(args);
}

static void test_xlogging(void)
{
    int expected_line;

    CHECK(xlogging_get_log_function() == gw_log_default);
    test_log_reset();
    LogInfo("default %d", 1);
    CHECK_INT(1, test_log_count());
    CHECK_INT(AZ_LOG_INFO, test_log_last_category());
    CHECK_STR("default 1", test_log_last());

    xlogging_set_log_function(capture_log);
    CHECK(xlogging_get_log_function() == capture_log);
    expected_line = __LINE__ + 1;
    LogError("error %s %d", "text", 5);
    CHECK_INT(1, g_captured_calls);
    CHECK_INT(AZ_LOG_ERROR, g_captured_category);
    CHECK_STR("error text 5", g_captured_text);
    CHECK(strstr(g_captured_file, "test_util_platform.c") != NULL);
    CHECK_STR("test_xlogging", g_captured_func);
    CHECK_INT(expected_line, g_captured_line);
    CHECK_INT(LOG_LINE, g_captured_options);
    LogInfo("no arguments");
    CHECK_STR("no arguments", g_captured_text);
    CHECK_INT(AZ_LOG_INFO, g_captured_category);
    LogTrace("trace");
    CHECK_INT(AZ_LOG_TRACE, g_captured_category);
    LOG(AZ_LOG_INFO, LOG_NONE, "raw %u", 3u);
    CHECK_STR("raw 3", g_captured_text);
    CHECK_INT(LOG_NONE, g_captured_options);
    LogInfoNoNewLine("partial");
    CHECK_INT(LOG_NONE, g_captured_options);
    CHECK_INT(5, g_captured_calls);
    if (g_captured_calls > 0)
        LogInfo("in an if without braces");
    else
        LogError("unreachable");
    CHECK_INT(6, g_captured_calls);

    /* the util functions log their errors through the same function */
    CHECK(Lock(NULL) == LOCK_ERROR);
    CHECK_INT(7, g_captured_calls);
    CHECK_INT(AZ_LOG_ERROR, g_captured_category);

    xlogging_set_log_function(NULL);
    CHECK(xlogging_get_log_function() == NULL);
    LogError("dropped");
    CHECK(Lock(NULL) == LOCK_ERROR);
    CHECK_INT(7, g_captured_calls);

    xlogging_set_log_function(gw_log_default);
    CHECK(xlogging_get_log_function() == gw_log_default);
}

/* Runs consolelogger_log with stdout redirected to a temporary file; returns what it wrote. */
static char* capture_stdout_of_console_logger(void)
{
    char path[] = "/tmp/test_util_consoleXXXXXX";
    int fd = mkstemp(path);
    int saved;
    char* text;
    long size;
    FILE* file;
    char long_text[1500];

    memset(long_text, 'L', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    if (fd < 0)
    {
        return NULL;
    }
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    consolelogger_log(AZ_LOG_ERROR, "file.c", "func", 12, LOG_LINE, "value=%d", 5);
    consolelogger_log(AZ_LOG_INFO, "file.c", "func", 13, LOG_LINE, "hello %s", "world");
    consolelogger_log(AZ_LOG_INFO, "file.c", "func", 14, LOG_NONE, "no newline;");
    consolelogger_log(AZ_LOG_TRACE, "file.c", "func", 15, LOG_LINE, "trace");
    consolelogger_log(AZ_LOG_INFO, NULL, NULL, 0, LOG_LINE, "%s", long_text);
    consolelogger_log(AZ_LOG_ERROR, NULL, NULL, 0, LOG_LINE, NULL);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fd);

    file = fopen(path, "rb");
    unlink(path);
    if (file == NULL)
    {
        return NULL;
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (text != NULL)
    {
        size_t got = fread(text, 1, (size_t)size, file);
        text[got] = '\0';
    }
    fclose(file);
    return text;
}

static void test_consolelogger(void)
{
    char* text = capture_stdout_of_console_logger();
    const char* line2;
    const char* line_long;

    CHECK(text != NULL);
    if (text == NULL)
    {
        return;
    }
    CHECK(strncmp(text, "Error: Time:", 12) == 0);
    /* "Error: Time:" + 24 characters of ctime + " File:..." */
    CHECK(strlen(text) > 36 && strncmp(text + 36, " File:file.c Func:func Line:12 value=5\r\n", 40) == 0);
    line2 = strchr(text, '\n');
    CHECK(line2 != NULL && line2 > text && line2[-1] == '\r');
    CHECK(line2 != NULL);
    if (line2 != NULL)
    {
        CHECK(strncmp(line2 + 1, "Info: hello world\r\nInfo: no newline;trace\r\nInfo: LLLL", 53) == 0);
    }
    line_long = strstr(text, "Info: LLLL");
    CHECK(line_long != NULL && strspn(line_long + 6, "L") == 1499 && line_long[6 + 1499] == '\r');
    CHECK(line_long != NULL && strncmp(line_long + 6 + 1501, "Error: Time:", 12) == 0);
    CHECK(strstr(text, " File: Func: Line:0 \r\n") != NULL);
    free(text);
}

/* ---- enum strings and header-only helpers ------------------------------------------- */

MOCKABLE_FUNCTION(, int, mockable_add, int, a, int, b);
MOCKABLE_FUNCTION(, int, mockable_none);
MOCKABLE_FUNCTION(, const char*, mockable_many, const char*, a, int, b, long, c, double, d, char, e, short, f);

int mockable_add(int a, int b)
{
    return a + b;
}

int mockable_none(void)
{
    return __FAILURE__;
}

const char* mockable_many(const char* a, int b, long c, double d, char e, short f)
{
    (void)b;
    (void)c;
    (void)d;
    (void)e;
    (void)f;
    return a;
}

static void test_enums_and_headers(void)
{
    LOCK_RESULT lock_result = LOCK_OK;
    THREADAPI_RESULT thread_result = THREADAPI_OK;
    COND_RESULT cond_result = COND_OK;
    LOG_CATEGORY category = AZ_LOG_ERROR;
    UNIQUEID_RESULT uid_result = UNIQUEID_OK;
    void* memory;

    CHECK_INT(0, LOCK_OK);
    CHECK_INT(1, LOCK_ERROR);
    CHECK_STR("LOCK_ERROR", ENUM_TO_STRING(LOCK_RESULT, LOCK_ERROR));
    CHECK_INT(0, STRING_TO_ENUM("LOCK_ERROR", LOCK_RESULT, &lock_result));
    CHECK_INT(LOCK_ERROR, lock_result);

    CHECK_INT(3, THREADAPI_ERROR);
    CHECK_STR("THREADAPI_NO_MEMORY", ENUM_TO_STRING(THREADAPI_RESULT, THREADAPI_NO_MEMORY));
    CHECK_INT(0, STRING_TO_ENUM("THREADAPI_INVALID_ARG", THREADAPI_RESULT, &thread_result));
    CHECK_INT(THREADAPI_INVALID_ARG, thread_result);

    CHECK_INT(3, COND_TIMEOUT);
    CHECK_STR("COND_TIMEOUT", ENUM_TO_STRING(COND_RESULT, COND_TIMEOUT));
    CHECK_INT(0, STRING_TO_ENUM("COND_ERROR", COND_RESULT, &cond_result));
    CHECK_INT(COND_ERROR, cond_result);

    CHECK_INT(2, AZ_LOG_TRACE);
    CHECK_STR("AZ_LOG_INFO", ENUM_TO_STRING(LOG_CATEGORY, AZ_LOG_INFO));
    CHECK_INT(0, STRING_TO_ENUM("AZ_LOG_TRACE", LOG_CATEGORY, &category));
    CHECK_INT(AZ_LOG_TRACE, category);
    CHECK_STR("NULL", ENUM_TO_STRING(LOG_CATEGORY, (LOG_CATEGORY)7));

    CHECK_INT(2, UNIQUEID_ERROR);
    CHECK_STR("UNIQUEID_INVALID_ARG", ENUM_TO_STRING(UNIQUEID_RESULT, UNIQUEID_INVALID_ARG));
    CHECK_INT(0, STRING_TO_ENUM("UNIQUEID_ERROR", UNIQUEID_RESULT, &uid_result));
    CHECK_INT(UNIQUEID_ERROR, uid_result);
    CHECK(STRING_TO_ENUM(NULL, UNIQUEID_RESULT, &uid_result) != 0);

    CHECK_INT(5, mockable_add(2, 3));
    CHECK(mockable_none() != 0);
    CHECK_STR("a", mockable_many("a", 1, 2L, 3.0, 'e', 6));
    CHECK_INT(0, platform_init());
    platform_deinit();
    CHECK_INT(0, gballoc_init());
    memory = gballoc_malloc(16);
    CHECK(memory != NULL);
    memory = gballoc_realloc(memory, 32);
    CHECK(memory != NULL);
    gballoc_free(memory);
    memory = gballoc_calloc(2, 8);
    CHECK(memory != NULL && ((unsigned char*)memory)[15] == 0);
    gballoc_free(memory);
    gballoc_deinit();
    CHECK_INT(0, __SUCCESS__);
}

int main(void)
{
    TEST_RUN(test_lock);
    TEST_RUN(test_threadapi);
    TEST_RUN(test_sleep_and_tickcounter);
    TEST_RUN(test_condition);
    TEST_RUN(test_uniqueid);
    TEST_RUN(test_strcat_strcpy);
    TEST_RUN(test_strncpy);
    TEST_RUN(test_sprintf_s);
    TEST_RUN(test_malloc_and_strcpy);
    TEST_RUN(test_number_to_string);
    TEST_RUN(test_strto);
    TEST_RUN(test_xlogging);
    TEST_RUN(test_consolelogger);
    TEST_RUN(test_enums_and_headers);
    return test_summary("test_util_platform");
}
