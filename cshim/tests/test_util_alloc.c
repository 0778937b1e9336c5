/* test_util_alloc.c - allocation-failure injection for the util functions.
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (see run_util_tests.sh): every
 * allocation the util code makes goes through the wrappers below, which can fail the Nth
 * one. Each scenario is run once to count its allocations, then once per allocation with
 * that allocation failing. Under ASan this proves that every error path frees what it
 * allocated (leak check at exit), touches no freed memory, and reports the failure; the
 * scenarios also check that a failed call left its object unchanged. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/buffer_.h"
#include "azure_c_shared_utility/condition.h"
#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/crt_abstractions.h"
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/singlylinkedlist.h"
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/tickcounter.h"
#include "azure_c_shared_utility/vector.h"
#include "test_util.h"

void* __real_malloc(size_t size);
void* __real_calloc(size_t count, size_t size);
void* __real_realloc(void* ptr, size_t size);
void* __wrap_malloc(size_t size);
void* __wrap_calloc(size_t count, size_t size);
void* __wrap_realloc(void* ptr, size_t size);

static unsigned long g_allocations; /* allocations seen since the scenario started */
static unsigned long g_fail_at;     /* 1-based allocation to fail; 0: none */

static int should_fail(void)
{
    g_allocations++;
    return g_fail_at != 0 && g_allocations == g_fail_at;
}

void* __wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void* __wrap_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : __real_calloc(count, size);
}

void* __wrap_realloc(void* ptr, size_t size)
{
    return should_fail() ? NULL : __real_realloc(ptr, size);
}

/* Runs scenario without failures (it must succeed), then once with each of its
 * allocations failing in turn (it must report a failure and clean up). absorbable is the
 * number of allocations whose failure the API is allowed to absorb (shrinking reallocs). */
static void run_with_failures(const char* name, int (*scenario)(void), int absorbable)
{
    unsigned long total;
    unsigned long k;
    int reported = 0;

    g_test_current = name;
    g_fail_at = 0;
    g_allocations = 0;
    CHECK_INT(0, scenario());
    total = g_allocations;
    CHECK(total > 0);
    for (k = 1; k <= total; k++)
    {
        g_fail_at = k;
        g_allocations = 0;
        reported += (scenario() != 0);
    }
    g_fail_at = 0;
    CHECK_INT((int)total - absorbable, reported);
    g_test_current = "";
}

#define STEP(cond) \
    do \
    { \
        if (!(cond)) \
        { \
            failed = 1; \
            goto cleanup; \
        } \
    } while (0)

static int scenario_strings(void)
{
    int failed = 0;
    STRING_HANDLE a = NULL;
    STRING_HANDLE b = NULL;
    STRING_HANDLE c = NULL;
    STRING_HANDLE d = NULL;
    STRING_HANDLE e = NULL;
    STRING_HANDLE f = NULL;
    char* memory = NULL;

    STEP((a = STRING_construct("start")) != NULL);
    if (STRING_concat(a, "-0123456789-0123456789") != 0)
    {
        CHECK_STR("start", STRING_c_str(a));
        failed = 1;
        goto cleanup;
    }
    STEP((b = STRING_clone(a)) != NULL);
    if (STRING_sprintf(b, "%s/%d", STRING_c_str(a), 7) != 0)
    {
        CHECK_STR(STRING_c_str(a), STRING_c_str(b));
        failed = 1;
        goto cleanup;
    }
    STEP(STRING_quote(b) == 0);
    STEP(STRING_concat_with_STRING(a, b) == 0);
    if (STRING_copy(b, "copied") != 0)
    {
        CHECK(STRING_length(b) > 6);
        failed = 1;
        goto cleanup;
    }
    STEP(STRING_copy_n(b, "copied", 3) == 0);
    STEP((c = STRING_new_JSON("j\"s/o\n")) != NULL);
    STEP((d = STRING_construct_sprintf("%d-%s", 1, "x")) != NULL);
    STEP((e = STRING_new_quoted("q")) != NULL);
    STEP((f = STRING_from_byte_array((const unsigned char*)"bytes", 5)) != NULL);
    STRING_delete(f);
    STEP((f = STRING_construct_n("abcdef", 2)) != NULL);
    STRING_delete(f);
    STEP((f = STRING_new()) != NULL);
    STRING_delete(f);
    f = NULL;
    STEP((memory = malloc(4)) != NULL);
    memcpy(memory, "mem", 4);
    STEP((f = STRING_new_with_memory(memory)) != NULL);
    memory = NULL; /* owned by f now */
cleanup:
    free(memory);
    STRING_delete(a);
    STRING_delete(b);
    STRING_delete(c);
    STRING_delete(d);
    STRING_delete(e);
    STRING_delete(f);
    return failed;
}

static int scenario_buffers(void)
{
    int failed = 0;
    BUFFER_HANDLE a = NULL;
    BUFFER_HANDLE b = NULL;
    BUFFER_HANDLE c = NULL;

    STEP((a = BUFFER_create((const unsigned char*)"abc", 3)) != NULL);
    STEP((b = BUFFER_new()) != NULL);
    STEP(BUFFER_pre_build(b, 4) == 0);
    STEP(BUFFER_fill(b, 'x') == 0);
    if (BUFFER_append(a, b) != 0)
    {
        CHECK_INT(3, BUFFER_length(a));
        CHECK_MEM("abc", BUFFER_u_char(a), 3);
        failed = 1;
        goto cleanup;
    }
    if (BUFFER_prepend(a, b) != 0)
    {
        CHECK_INT(7, BUFFER_length(a));
        failed = 1;
        goto cleanup;
    }
    STEP(BUFFER_append_build(a, (const unsigned char*)"zz", 2) == 0);
    STEP(BUFFER_enlarge(a, 10) == 0);
    (void)BUFFER_shrink(a, 5, true);  /* may absorb a failed shrinking realloc */
    (void)BUFFER_shrink(a, 2, false);
    if (BUFFER_build(a, (const unsigned char*)"rebuilt", 7) != 0)
    {
        CHECK(BUFFER_length(a) >= 7);
        failed = 1;
        goto cleanup;
    }
    STEP((c = BUFFER_clone(a)) != NULL);
cleanup:
    BUFFER_delete(a);
    BUFFER_delete(b);
    BUFFER_delete(c);
    return failed;
}

static int scenario_maps(void)
{
    int failed = 0;
    MAP_HANDLE m = NULL;
    MAP_HANDLE copy = NULL;
    MAP_HANDLE writeable = NULL;
    CONSTMAP_HANDLE cm = NULL;
    STRING_HANDLE json = NULL;
    char key[16];
    int i;

    STEP((m = Map_Create(NULL)) != NULL);
    for (i = 0; i < 6; i++)
    {
        MAP_RESULT r;
        snprintf(key, sizeof(key), "k%d", i);
        r = Map_Add(m, key, "v");
        if (r != MAP_OK)
        {
            CHECK_INT(MAP_ERROR, r);
            CHECK(Map_GetValueFromKey(m, key) == NULL);
            failed = 1;
            goto cleanup;
        }
    }
    if (Map_AddOrUpdate(m, "k2", "updated") != MAP_OK)
    {
        CHECK_STR("v", Map_GetValueFromKey(m, "k2"));
        failed = 1;
        goto cleanup;
    }
    STEP(Map_AddOrUpdate(m, "new", "n") == MAP_OK);
    STEP((copy = Map_Clone(m)) != NULL);
    STEP((json = Map_ToJSON(copy)) != NULL);
    STEP((cm = ConstMap_Create(m)) != NULL);
    STEP((writeable = ConstMap_CloneWriteable(cm)) != NULL);
cleanup:
    STRING_delete(json);
    Map_Destroy(m);
    Map_Destroy(copy);
    Map_Destroy(writeable);
    ConstMap_Destroy(cm);
    return failed;
}

static int scenario_constbuffers(void)
{
    int failed = 0;
    BUFFER_HANDLE b = NULL;
    CONSTBUFFER_HANDLE a = NULL;
    CONSTBUFFER_HANDLE c = NULL;
    CONSTBUFFER_HANDLE m = NULL;
    unsigned char* memory = NULL;

    STEP((a = CONSTBUFFER_Create((const unsigned char*)"abc", 3)) != NULL);
    STEP((b = BUFFER_create((const unsigned char*)"xyz", 3)) != NULL);
    STEP((c = CONSTBUFFER_CreateFromBuffer(b)) != NULL);
    STEP((memory = malloc(8)) != NULL);
    memset(memory, 'm', 8);
    STEP((m = CONSTBUFFER_CreateWithMoveMemory(memory, 8)) != NULL);
    memory = NULL; /* owned by m now; on failure it is still ours */
cleanup:
    free(memory);
    BUFFER_delete(b);
    CONSTBUFFER_Destroy(a);
    CONSTBUFFER_Destroy(c);
    CONSTBUFFER_Destroy(m);
    return failed;
}

static bool always(LIST_ITEM_HANDLE item, const void* context)
{
    (void)item;
    (void)context;
    return true;
}

static int scenario_containers(void)
{
    int failed = 0;
    VECTOR_HANDLE v = NULL;
    VECTOR_HANDLE moved = NULL;
    SINGLYLINKEDLIST_HANDLE list = NULL;
    int values[3] = { 1, 2, 3 };
    int i;

    STEP((v = VECTOR_create(sizeof(int))) != NULL);
    for (i = 0; i < 20; i++)
    {
        if (VECTOR_push_back(v, values, 3) != 0)
        {
            CHECK_INT(3 * i, VECTOR_size(v));
            failed = 1;
            goto cleanup;
        }
    }
    STEP((moved = VECTOR_move(v)) != NULL);
    STEP((list = singlylinkedlist_create()) != NULL);
    for (i = 0; i < 3; i++)
    {
        STEP(singlylinkedlist_add(list, &values[i]) != NULL);
    }
    STEP(singlylinkedlist_find(list, always, NULL) != NULL);
cleanup:
    VECTOR_destroy(v);
    VECTOR_destroy(moved);
    singlylinkedlist_destroy(list);
    return failed;
}

static int thread_main(void* context)
{
    (void)context;
    return 3;
}

static int scenario_platform(void)
{
    int failed = 0;
    LOCK_HANDLE lock = NULL;
    COND_HANDLE cond = NULL;
    TICK_COUNTER_HANDLE ticks = NULL;
    THREAD_HANDLE thread = NULL;
    char* copy = NULL;
    int result = 0;
    THREADAPI_RESULT created;

    STEP((lock = Lock_Init()) != NULL);
    STEP((cond = Condition_Init()) != NULL);
    STEP((ticks = tickcounter_create()) != NULL);
    STEP(mallocAndStrcpy_s(&copy, "copy") == 0);
    created = ThreadAPI_Create(&thread, thread_main, NULL);
    if (created != THREADAPI_OK)
    {
        CHECK_INT(THREADAPI_NO_MEMORY, created);
        CHECK(thread == NULL);
        failed = 1;
        goto cleanup;
    }
    CHECK_INT(THREADAPI_OK, ThreadAPI_Join(thread, &result));
    CHECK_INT(3, result);
cleanup:
    free(copy);
    tickcounter_destroy(ticks);
    Condition_Deinit(cond);
    if (lock != NULL)
    {
        (void)Lock_Deinit(lock);
    }
    return failed;
}

int main(void)
{
    run_with_failures("strings", scenario_strings, 0);
    run_with_failures("buffers", scenario_buffers, 2); /* the two BUFFER_shrink calls */
    run_with_failures("maps", scenario_maps, 0);
    run_with_failures("constbuffers", scenario_constbuffers, 0);
    run_with_failures("containers", scenario_containers, 0);
    run_with_failures("platform", scenario_platform, 0);
    return test_summary("test_util_alloc");
}
