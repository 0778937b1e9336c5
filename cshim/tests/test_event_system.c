/* test_event_system.c - tests of the standalone event system (experimental/event_system.h:
 * EventSystem_Init / AddEventCallback / ReportEvent / Destroy).
 * Prints "N passed, M failed"; exits non-zero on any failure. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_c_shared_utility/xlogging.h"
#include "experimental/event_system.h"

/* from test_support.c */
int test_log_count(void);
int test_log_last_category(void);
const char* test_log_last(void);
void test_log_reset(void);

/* ---- a tiny assertion framework -------------------------------------------------------- */

static int g_passed;
static int g_failed;
static const char* g_test = "";

static void record(bool ok, const char* file, int line, const char* what)
{
    if (ok)
    {
        g_passed++;
        return;
    }
    g_failed++;
    fprintf(stderr, "FAIL [%s] %s:%d: %s\n", g_test, file, line, what);
}

#define CHECK(cond) record((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_LOGGED(text) \
    record(test_log_count() > 0 && test_log_last_category() == AZ_LOG_ERROR && strstr(test_log_last(), (text)) != NULL, \
           __FILE__, __LINE__, "error log containing \"" text "\"")
#define RUN(fn) \
    do \
    { \
        g_test = #fn; \
        test_log_reset(); \
        fn(); \
    } while (0)

/* ---- a recorder of callback calls -------------------------------------------------------- */

#define MAX_CALLS 64

typedef struct
{
    int tag;
    GATEWAY_HANDLE gw;
    GATEWAY_EVENT event;
    GATEWAY_EVENT_CTX ctx;
} CALL;

static CALL g_calls[MAX_CALLS];
static int g_ncalls;

static void reset_calls(void)
{
    memset(g_calls, 0, sizeof(g_calls));
    g_ncalls = 0;
}

/* user_param points at an int tag */
static void recording_callback(GATEWAY_HANDLE gw, GATEWAY_EVENT event, GATEWAY_EVENT_CTX ctx, void* user_param)
{
    if (g_ncalls < MAX_CALLS)
    {
        g_calls[g_ncalls].tag = (user_param != NULL) ? *(int*)user_param : -1;
        g_calls[g_ncalls].gw = gw;
        g_calls[g_ncalls].event = event;
        g_calls[g_ncalls].ctx = ctx;
    }
    g_ncalls++;
}

static void test_init_destroy(void)
{
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    CHECK(es != NULL);
    EventSystem_Destroy(es);
    EventSystem_Destroy(NULL); /* harmless */
    /* several independent systems */
    {
        EVENTSYSTEM_HANDLE a = EventSystem_Init();
        EVENTSYSTEM_HANDLE b = EventSystem_Init();
        CHECK(a != NULL && b != NULL && a != b);
        EventSystem_Destroy(a);
        EventSystem_Destroy(b);
    }
}

static void test_enum_values(void)
{
    /* SPEC section 2 */
    CHECK(GATEWAY_CREATED == 0 && GATEWAY_STARTED == 1 && GATEWAY_MODULE_LIST_CHANGED == 2 && GATEWAY_DESTROYED == 3);
    CHECK(GATEWAY_EVENTS_COUNT == 4);
}

static void test_report_without_callbacks(void)
{
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    int e;
    reset_calls();
    for (e = 0; e < GATEWAY_EVENTS_COUNT; e++)
    {
        EventSystem_ReportEvent(es, (GATEWAY_HANDLE)0x10, (GATEWAY_EVENT)e);
    }
    CHECK(g_ncalls == 0);
    CHECK(test_log_count() == 0);
    EventSystem_Destroy(es);
}

static void test_order_and_arguments(void)
{
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    int t1 = 1;
    int t2 = 2;
    int t3 = 3;
    GATEWAY_HANDLE gw = (GATEWAY_HANDLE)0x1234;
    int i;

    reset_calls();
    EventSystem_AddEventCallback(es, GATEWAY_STARTED, recording_callback, &t1);
    EventSystem_AddEventCallback(es, GATEWAY_STARTED, recording_callback, &t2);
    EventSystem_AddEventCallback(es, GATEWAY_DESTROYED, recording_callback, &t3);
    EventSystem_AddEventCallback(es, GATEWAY_STARTED, recording_callback, &t3);
    EventSystem_AddEventCallback(es, GATEWAY_STARTED, recording_callback, &t1); /* same pair twice: called twice */

    /* other events do not call them */
    EventSystem_ReportEvent(es, gw, GATEWAY_CREATED);
    EventSystem_ReportEvent(es, gw, GATEWAY_MODULE_LIST_CHANGED);
    CHECK(g_ncalls == 0);

    EventSystem_ReportEvent(es, gw, GATEWAY_STARTED);
    CHECK(g_ncalls == 4);
    CHECK(g_calls[0].tag == 1 && g_calls[1].tag == 2 && g_calls[2].tag == 3 && g_calls[3].tag == 1);
    for (i = 0; i < 4; i++)
    {
        CHECK(g_calls[i].gw == gw);
        CHECK(g_calls[i].event == GATEWAY_STARTED);
        CHECK(g_calls[i].ctx == NULL); /* standalone event systems have no module list */
    }

    reset_calls();
    EventSystem_ReportEvent(es, NULL, GATEWAY_DESTROYED);
    CHECK(g_ncalls == 1);
    CHECK(g_calls[0].tag == 3 && g_calls[0].gw == NULL && g_calls[0].event == GATEWAY_DESTROYED);
    CHECK(g_calls[0].ctx == NULL);

    /* reporting again calls them again (callbacks are not one-shot) */
    reset_calls();
    EventSystem_ReportEvent(es, gw, GATEWAY_STARTED);
    EventSystem_ReportEvent(es, gw, GATEWAY_STARTED);
    CHECK(g_ncalls == 8);
    EventSystem_Destroy(es);
}

static void test_null_user_param(void)
{
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    reset_calls();
    EventSystem_AddEventCallback(es, GATEWAY_CREATED, recording_callback, NULL);
    EventSystem_ReportEvent(es, (GATEWAY_HANDLE)0x1, GATEWAY_CREATED);
    CHECK(g_ncalls == 1 && g_calls[0].tag == -1);
    EventSystem_Destroy(es);
}

static void test_invalid_arguments(void)
{
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    int t = 9;
    reset_calls();

    test_log_reset();
    EventSystem_AddEventCallback(NULL, GATEWAY_CREATED, recording_callback, &t);
    CHECK_LOGGED("invalid argument");
    test_log_reset();
    EventSystem_AddEventCallback(es, GATEWAY_CREATED, NULL, &t);
    CHECK_LOGGED("invalid argument");
    test_log_reset();
    EventSystem_AddEventCallback(es, (GATEWAY_EVENT)GATEWAY_EVENTS_COUNT, recording_callback, &t);
    CHECK_LOGGED("invalid argument");
    test_log_reset();
    EventSystem_AddEventCallback(es, (GATEWAY_EVENT)-1, recording_callback, &t);
    CHECK_LOGGED("invalid argument");

    test_log_reset();
    EventSystem_ReportEvent(NULL, NULL, GATEWAY_CREATED);
    CHECK_LOGGED("invalid argument");
    test_log_reset();
    EventSystem_ReportEvent(es, NULL, (GATEWAY_EVENT)GATEWAY_EVENTS_COUNT);
    CHECK_LOGGED("invalid argument");
    test_log_reset();
    EventSystem_ReportEvent(es, NULL, (GATEWAY_EVENT)-5);
    CHECK_LOGGED("invalid argument");

    /* nothing was registered by the refused calls */
    EventSystem_ReportEvent(es, NULL, GATEWAY_CREATED);
    CHECK(g_ncalls == 0);
    EventSystem_Destroy(es);
}

/* Callbacks that change the system while it reports. */
static EVENTSYSTEM_HANDLE g_reentrant_es;
static int g_adder_tag = 77;
static int g_nested_reports;

static void adding_callback(GATEWAY_HANDLE gw, GATEWAY_EVENT event, GATEWAY_EVENT_CTX ctx, void* user_param)
{
    recording_callback(gw, event, ctx, user_param);
    EventSystem_AddEventCallback(g_reentrant_es, event, recording_callback, &g_adder_tag);
}

static void reporting_callback(GATEWAY_HANDLE gw, GATEWAY_EVENT event, GATEWAY_EVENT_CTX ctx, void* user_param)
{
    recording_callback(gw, event, ctx, user_param);
    if (event == GATEWAY_STARTED && g_nested_reports++ == 0)
    {
        EventSystem_ReportEvent(g_reentrant_es, gw, GATEWAY_MODULE_LIST_CHANGED);
    }
}

static void test_reentrancy(void)
{
    int t1 = 1;
    int t2 = 2;
    g_reentrant_es = EventSystem_Init();
    reset_calls();

    /* a callback that adds one: the new one runs from the next report on */
    EventSystem_AddEventCallback(g_reentrant_es, GATEWAY_CREATED, adding_callback, &t1);
    EventSystem_ReportEvent(g_reentrant_es, NULL, GATEWAY_CREATED);
    CHECK(g_ncalls == 1 && g_calls[0].tag == 1);
    reset_calls();
    EventSystem_ReportEvent(g_reentrant_es, NULL, GATEWAY_CREATED);
    CHECK(g_ncalls == 2 && g_calls[0].tag == 1 && g_calls[1].tag == 77);

    /* a callback that reports another event from inside a report (no deadlock) */
    reset_calls();
    g_nested_reports = 0;
    EventSystem_AddEventCallback(g_reentrant_es, GATEWAY_STARTED, reporting_callback, &t1);
    EventSystem_AddEventCallback(g_reentrant_es, GATEWAY_MODULE_LIST_CHANGED, recording_callback, &t2);
    EventSystem_ReportEvent(g_reentrant_es, (GATEWAY_HANDLE)0x5, GATEWAY_STARTED);
    CHECK(g_ncalls == 2);
    CHECK(g_calls[0].tag == 1 && g_calls[0].event == GATEWAY_STARTED);
    CHECK(g_calls[1].tag == 2 && g_calls[1].event == GATEWAY_MODULE_LIST_CHANGED && g_calls[1].gw == (GATEWAY_HANDLE)0x5);
    EventSystem_Destroy(g_reentrant_es);
    g_reentrant_es = NULL;
}

static void test_many_callbacks(void)
{
    enum { N = 40 };
    static int tags[N];
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    int i;
    bool ordered = true;
    reset_calls();
    for (i = 0; i < N; i++)
    {
        tags[i] = i;
        EventSystem_AddEventCallback(es, GATEWAY_MODULE_LIST_CHANGED, recording_callback, &tags[i]);
    }
    EventSystem_ReportEvent(es, NULL, GATEWAY_MODULE_LIST_CHANGED);
    CHECK(g_ncalls == N);
    for (i = 0; i < N; i++)
    {
        ordered = ordered && g_calls[i].tag == i;
    }
    CHECK(ordered);
    EventSystem_Destroy(es);
}

/* Threads add callbacks and report at the same time. */
static pthread_mutex_t g_count_mutex = PTHREAD_MUTEX_INITIALIZER;
static int g_counted;

static void counting_callback(GATEWAY_HANDLE gw, GATEWAY_EVENT event, GATEWAY_EVENT_CTX ctx, void* user_param)
{
    (void)gw;
    (void)event;
    (void)ctx;
    (void)user_param;
    pthread_mutex_lock(&g_count_mutex);
    g_counted++;
    pthread_mutex_unlock(&g_count_mutex);
}

static void* thread_worker(void* arg)
{
    EVENTSYSTEM_HANDLE es = (EVENTSYSTEM_HANDLE)arg;
    int i;
    for (i = 0; i < 200; i++)
    {
        EventSystem_AddEventCallback(es, (GATEWAY_EVENT)(i % GATEWAY_EVENTS_COUNT), counting_callback, NULL);
        EventSystem_ReportEvent(es, NULL, (GATEWAY_EVENT)((i + 1) % GATEWAY_EVENTS_COUNT));
    }
    return NULL;
}

static void test_threads(void)
{
    enum { N = 4 };
    pthread_t threads[N];
    EVENTSYSTEM_HANDLE es = EventSystem_Init();
    int i;
    for (i = 0; i < N; i++)
    {
        CHECK(pthread_create(&threads[i], NULL, thread_worker, es) == 0);
    }
    for (i = 0; i < N; i++)
    {
        pthread_join(threads[i], NULL);
    }
    /* every callback registered: 800 in all, 200 per event */
    pthread_mutex_lock(&g_count_mutex);
    g_counted = 0;
    pthread_mutex_unlock(&g_count_mutex);
    for (i = 0; i < GATEWAY_EVENTS_COUNT; i++)
    {
        EventSystem_ReportEvent(es, NULL, (GATEWAY_EVENT)i);
    }
    CHECK(g_counted == N * 200);
    EventSystem_Destroy(es);
}

int main(void)
{
    RUN(test_init_destroy);
    RUN(test_enum_values);
    RUN(test_report_without_callbacks);
    RUN(test_order_and_arguments);
    RUN(test_null_user_param);
    RUN(test_invalid_arguments);
    RUN(test_reentrancy);
    RUN(test_many_callbacks);
    RUN(test_threads);
    printf("test_event_system: %d passed, %d failed\n", g_passed, g_failed);
    return (g_failed == 0) ? 0 : 1;
}
