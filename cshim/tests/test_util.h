/* test_util.h - a tiny assertion framework for the util C tests (one per test program).
 *
 * CHECK(cond) records a pass or a failure (with file:line and the expression) and goes on.
 * TEST_RUN(fn) runs a test function and names it in failure messages. test_summary()
 * prints "N passed, M failed" and returns the process exit status. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdio.h>
#include <string.h>

static int g_test_passed;
static int g_test_failed;
static const char* g_test_current = "";

static void test_record(int ok, const char* file, int line, const char* what)
{
    if (ok)
    {
        g_test_passed++;
    }
    else
    {
        g_test_failed++;
        fprintf(stderr, "FAIL %s (%s:%d): %s\n", g_test_current, file, line, what);
    }
}

#define CHECK(cond) test_record((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

#define CHECK_INT(expected, actual) \
    do \
    { \
        long long e_ = (long long)(expected); \
        long long a_ = (long long)(actual); \
        if (e_ != a_) \
        { \
            char m_[512]; \
            snprintf(m_, sizeof(m_), "%s == %s: expected %lld, got %lld", #expected, #actual, e_, a_); \
            test_record(0, __FILE__, __LINE__, m_); \
        } \
        else \
        { \
            test_record(1, __FILE__, __LINE__, ""); \
        } \
    } while (0)

#define CHECK_STR(expected, actual) \
    do \
    { \
        const char* e_ = (expected); \
        const char* a_ = (actual); \
        if (e_ == NULL || a_ == NULL || strcmp(e_, a_) != 0) \
        { \
            char m_[1024]; \
            snprintf(m_, sizeof(m_), "%s == %s: expected \"%s\", got \"%s\"", #expected, #actual, \
                     (e_ != NULL) ? e_ : "(null)", (a_ != NULL) ? a_ : "(null)"); \
            test_record(0, __FILE__, __LINE__, m_); \
        } \
        else \
        { \
            test_record(1, __FILE__, __LINE__, ""); \
        } \
    } while (0)

#define CHECK_MEM(expected, actual, size) \
    test_record(((actual) != NULL && memcmp((expected), (actual), (size)) == 0) ? 1 : 0, __FILE__, __LINE__, \
                "memcmp(" #expected ", " #actual ", " #size ") == 0")

#define TEST_RUN(fn) \
    do \
    { \
        g_test_current = #fn; \
        fn(); \
        g_test_current = ""; \
    } while (0)

static int test_summary(const char* program)
{
    printf("%s: %d passed, %d failed\n", program, g_test_passed, g_test_failed);
    return (g_test_failed == 0) ? 0 : 1;
}

/* From test_support.c: the gw_log_default used by the tests records every call. */
/* Number of log calls since the last reset. */
int test_log_count(void);
/* The category and formatted text of the last call ("" before any). */
int test_log_last_category(void);
const char* test_log_last(void);
void test_log_reset(void);

#endif /* TEST_UTIL_H */
