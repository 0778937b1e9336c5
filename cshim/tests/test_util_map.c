/* test_util_map.c - MAP_HANDLE (map.h) and CONSTMAP_HANDLE (constmap.h), including
 * insertion order, Map_ToJSON escaping and the ConstMap reference count under threads. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/strings.h"
#include "test_util.h"

/* Checks that handle holds exactly the pairs k[i] = v[i] in that order. */
static void check_pairs(MAP_HANDLE handle, const char* const* k, const char* const* v, size_t n)
{
    const char* const* keys = NULL;
    const char* const* values = NULL;
    size_t count = 999;
    size_t i;

    CHECK_INT(MAP_OK, Map_GetInternals(handle, &keys, &values, &count));
    CHECK_INT(n, count);
    if (count != n)
    {
        return;
    }
    for (i = 0; i < n; i++)
    {
        CHECK_STR(k[i], keys[i]);
        CHECK_STR(v[i], values[i]);
    }
}

static void test_map_add_get(void)
{
    MAP_HANDLE m = Map_Create(NULL);
    bool exists = true;
    const char* const* keys = (const char* const*)&exists;
    const char* const* values = (const char* const*)&exists;
    size_t count = 7;
    char key[8] = "k";
    char value[8] = "v";

    CHECK(m != NULL);
    CHECK_INT(MAP_OK, Map_GetInternals(m, &keys, &values, &count));
    CHECK_INT(0, count);
    CHECK(keys == NULL && values == NULL);

    CHECK_INT(MAP_OK, Map_Add(m, key, value));
    key[0] = 'X'; /* the map keeps its own copies */
    value[0] = 'Y';
    CHECK_STR("v", Map_GetValueFromKey(m, "k"));
    CHECK(Map_GetValueFromKey(m, "X") == NULL);
    CHECK_INT(MAP_KEYEXISTS, Map_Add(m, "k", "other"));
    CHECK_STR("v", Map_GetValueFromKey(m, "k"));
    CHECK_INT(MAP_OK, Map_Add(m, "empty", ""));
    CHECK_STR("", Map_GetValueFromKey(m, "empty"));

    CHECK_INT(MAP_OK, Map_ContainsKey(m, "k", &exists));
    CHECK(exists == true);
    CHECK_INT(MAP_OK, Map_ContainsKey(m, "nope", &exists));
    CHECK(exists == false);
    CHECK_INT(MAP_OK, Map_ContainsValue(m, "v", &exists));
    CHECK(exists == true);
    CHECK_INT(MAP_OK, Map_ContainsValue(m, "k", &exists));
    CHECK(exists == false);

    CHECK_INT(MAP_INVALIDARG, Map_Add(NULL, "a", "b"));
    CHECK_INT(MAP_INVALIDARG, Map_Add(m, NULL, "b"));
    CHECK_INT(MAP_INVALIDARG, Map_Add(m, "a", NULL));
    CHECK_INT(MAP_INVALIDARG, Map_AddOrUpdate(NULL, "a", "b"));
    CHECK_INT(MAP_INVALIDARG, Map_AddOrUpdate(m, NULL, "b"));
    CHECK_INT(MAP_INVALIDARG, Map_AddOrUpdate(m, "a", NULL));
    CHECK_INT(MAP_INVALIDARG, Map_Delete(NULL, "a"));
    CHECK_INT(MAP_INVALIDARG, Map_Delete(m, NULL));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsKey(NULL, "k", &exists));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsKey(m, NULL, &exists));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsKey(m, "k", NULL));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsValue(NULL, "v", &exists));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsValue(m, NULL, &exists));
    CHECK_INT(MAP_INVALIDARG, Map_ContainsValue(m, "v", NULL));
    CHECK(Map_GetValueFromKey(NULL, "k") == NULL);
    CHECK(Map_GetValueFromKey(m, NULL) == NULL);
    CHECK_INT(MAP_INVALIDARG, Map_GetInternals(NULL, &keys, &values, &count));
    CHECK_INT(MAP_INVALIDARG, Map_GetInternals(m, NULL, &values, &count));
    CHECK_INT(MAP_INVALIDARG, Map_GetInternals(m, &keys, NULL, &count));
    CHECK_INT(MAP_INVALIDARG, Map_GetInternals(m, &keys, &values, NULL));
    CHECK(Map_Clone(NULL) == NULL);
    CHECK(Map_ToJSON(NULL) == NULL);
    Map_Destroy(NULL);
    Map_Destroy(m);
}

static void test_map_order(void)
{
    static const char* const k1[] = { "z", "a", "m", "b" };
    static const char* const v1[] = { "1", "2", "3", "4" };
    static const char* const k2[] = { "z", "a", "m", "b" };
    static const char* const v2[] = { "1", "two", "3", "4" };
    static const char* const k3[] = { "z", "m", "b" };
    static const char* const v3[] = { "1", "3", "4" };
    static const char* const k4[] = { "z", "m", "b", "a" };
    static const char* const v4[] = { "1", "3", "4", "again" };
    static const char* const k5[] = { "m", "b", "a" };
    static const char* const v5[] = { "3", "4", "again" };
    MAP_HANDLE m = Map_Create(NULL);
    MAP_HANDLE copy;
    size_t i;

    for (i = 0; i < 4; i++)
    {
        CHECK_INT(MAP_OK, Map_Add(m, k1[i], v1[i]));
    }
    check_pairs(m, k1, v1, 4);
    CHECK_INT(MAP_OK, Map_AddOrUpdate(m, "a", "two")); /* update keeps the place */
    check_pairs(m, k2, v2, 4);
    CHECK_INT(MAP_OK, Map_Delete(m, "a"));
    CHECK_INT(MAP_KEYNOTFOUND, Map_Delete(m, "a"));
    check_pairs(m, k3, v3, 3);
    CHECK_INT(MAP_OK, Map_AddOrUpdate(m, "a", "again")); /* re-added at the end */
    check_pairs(m, k4, v4, 4);
    CHECK_INT(MAP_OK, Map_Delete(m, "z")); /* first */
    check_pairs(m, k5, v5, 3);

    copy = Map_Clone(m);
    CHECK(copy != NULL && copy != m);
    check_pairs(copy, k5, v5, 3);
    CHECK(Map_GetValueFromKey(copy, "m") != Map_GetValueFromKey(m, "m")); /* deep copy */
    CHECK_INT(MAP_OK, Map_Add(copy, "new", "x"));
    check_pairs(m, k5, v5, 3);
    CHECK_INT(MAP_OK, Map_Delete(copy, "b"));
    CHECK_INT(MAP_OK, Map_Delete(copy, "new"));
    CHECK_INT(MAP_OK, Map_Delete(copy, "m"));
    CHECK_INT(MAP_OK, Map_Delete(copy, "a"));
    check_pairs(copy, NULL, NULL, 0);
    Map_Destroy(copy);
    Map_Destroy(m);
}

static void test_map_many(void)
{
    MAP_HANDLE m = Map_Create(NULL);
    MAP_HANDLE copy;
    const char* const* keys;
    const char* const* values;
    size_t count;
    char key[32];
    char value[32];
    int i;
    int bad = 0;

    for (i = 0; i < 500; i++)
    {
        snprintf(key, sizeof(key), "key%03d", 499 - i);
        snprintf(value, sizeof(value), "value%d", i);
        bad += (Map_Add(m, key, value) != MAP_OK);
    }
    CHECK_INT(0, bad);
    copy = Map_Clone(m);
    CHECK_INT(MAP_OK, Map_GetInternals(copy, &keys, &values, &count));
    CHECK_INT(500, count);
    for (i = 0; i < 500; i++)
    {
        snprintf(key, sizeof(key), "key%03d", 499 - i);
        snprintf(value, sizeof(value), "value%d", i);
        bad += (strcmp(keys[i], key) != 0 || strcmp(values[i], value) != 0);
    }
    CHECK_INT(0, bad);
    Map_Destroy(copy);
    Map_Destroy(m);
}

static int reject_secret(const char* mapProperty, const char* mapValue)
{
    return (strcmp(mapProperty, "secret") == 0 || strcmp(mapValue, "bad") == 0) ? 1 : 0;
}

static void test_map_filter(void)
{
    MAP_HANDLE m = Map_Create(reject_secret);
    MAP_HANDLE copy;

    CHECK_INT(MAP_OK, Map_Add(m, "ok", "fine"));
    CHECK_INT(MAP_FILTER_REJECT, Map_Add(m, "secret", "x"));
    CHECK_INT(MAP_FILTER_REJECT, Map_Add(m, "other", "bad"));
    CHECK_INT(MAP_FILTER_REJECT, Map_AddOrUpdate(m, "ok", "bad"));
    CHECK_STR("fine", Map_GetValueFromKey(m, "ok"));
    CHECK(Map_GetValueFromKey(m, "secret") == NULL);
    copy = Map_Clone(m); /* the filter goes with the copy */
    CHECK_INT(MAP_FILTER_REJECT, Map_Add(copy, "secret", "x"));
    CHECK_INT(MAP_OK, Map_Add(copy, "also", "fine"));
    Map_Destroy(copy);
    Map_Destroy(m);
}

static void check_json(MAP_HANDLE m, const char* expected)
{
    STRING_HANDLE json = Map_ToJSON(m);
    CHECK(json != NULL);
    CHECK_STR(expected, STRING_c_str(json));
    CHECK_INT(strlen(expected), STRING_length(json));
    STRING_delete(json);
}

static void test_map_to_json(void)
{
    MAP_HANDLE m = Map_Create(NULL);

    check_json(m, "{}");
    CHECK_INT(MAP_OK, Map_Add(m, "source", "sensor1"));
    check_json(m, "{\"source\":\"sensor1\"}");
    CHECK_INT(MAP_OK, Map_Add(m, "type", "temp"));
    check_json(m, "{\"source\":\"sensor1\",\"type\":\"temp\"}");
    CHECK_INT(MAP_OK, Map_Add(m, "q\"k", "back\\slash"));
    CHECK_INT(MAP_OK, Map_Add(m, "ctl", "a\nb\tc\rd\x01\x1f\x7f"));
    CHECK_INT(MAP_OK, Map_Add(m, "url", "http://x/y"));
    CHECK_INT(MAP_OK, Map_Add(m, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    CHECK_INT(MAP_OK, Map_Add(m, "", ""));
    check_json(m, "{\"source\":\"sensor1\",\"type\":\"temp\",\"q\\\"k\":\"back\\\\slash\","
                  "\"ctl\":\"a\\u000ab\\u0009c\\u000dd\\u0001\\u001f\x7f\",\"url\":\"http:\\/\\/x\\/y\","
                  "\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"\":\"\"}");
    CHECK_INT(MAP_OK, Map_Delete(m, "source"));
    CHECK_INT(MAP_OK, Map_AddOrUpdate(m, "type", "hum"));
    CHECK_INT(MAP_OK, Map_Delete(m, "ctl"));
    CHECK_INT(MAP_OK, Map_Delete(m, "url"));
    CHECK_INT(MAP_OK, Map_Delete(m, "utf8"));
    CHECK_INT(MAP_OK, Map_Delete(m, ""));
    check_json(m, "{\"type\":\"hum\",\"q\\\"k\":\"back\\\\slash\"}");
    Map_Destroy(m);
}

static void test_constmap_basics(void)
{
    static const char* const k[] = { "b", "a", "c" };
    static const char* const v[] = { "2", "1", "3" };
    MAP_HANDLE source = Map_Create(NULL);
    CONSTMAP_HANDLE cm;
    CONSTMAP_HANDLE clone;
    MAP_HANDLE writeable;
    const char* const* keys = NULL;
    const char* const* values = NULL;
    size_t count = 0;
    size_t i;

    for (i = 0; i < 3; i++)
    {
        CHECK_INT(MAP_OK, Map_Add(source, k[i], v[i]));
    }
    cm = ConstMap_Create(source);
    CHECK(cm != NULL);
    CHECK_INT(MAP_OK, Map_AddOrUpdate(source, "a", "changed")); /* the constmap has its own copy */
    CHECK_INT(MAP_OK, Map_Add(source, "d", "4"));
    Map_Destroy(source);

    CHECK_INT(CONSTMAP_OK, ConstMap_GetInternals(cm, &keys, &values, &count));
    CHECK_INT(3, count);
    for (i = 0; i < 3 && i < count; i++)
    {
        CHECK_STR(k[i], keys[i]);
        CHECK_STR(v[i], values[i]);
    }
    CHECK(ConstMap_ContainsKey(cm, "a"));
    CHECK(!ConstMap_ContainsKey(cm, "d"));
    CHECK(!ConstMap_ContainsKey(cm, NULL));
    CHECK(!ConstMap_ContainsKey(NULL, "a"));
    CHECK(ConstMap_ContainsValue(cm, "3"));
    CHECK(!ConstMap_ContainsValue(cm, "changed"));
    CHECK(!ConstMap_ContainsValue(cm, NULL));
    CHECK(!ConstMap_ContainsValue(NULL, "3"));
    CHECK_STR("1", ConstMap_GetValue(cm, "a"));
    CHECK(ConstMap_GetValue(cm, "zz") == NULL);
    CHECK(ConstMap_GetValue(cm, NULL) == NULL);
    CHECK(ConstMap_GetValue(NULL, "a") == NULL);
    CHECK_INT(CONSTMAP_INVALIDARG, ConstMap_GetInternals(NULL, &keys, &values, &count));
    CHECK_INT(CONSTMAP_INVALIDARG, ConstMap_GetInternals(cm, NULL, &values, &count));
    CHECK_INT(CONSTMAP_INVALIDARG, ConstMap_GetInternals(cm, &keys, NULL, &count));
    CHECK_INT(CONSTMAP_INVALIDARG, ConstMap_GetInternals(cm, &keys, &values, NULL));

    clone = ConstMap_Clone(cm);
    CHECK(clone == cm);
    ConstMap_Destroy(cm); /* still referenced by clone */
    CHECK_STR("2", ConstMap_GetValue(clone, "b"));

    writeable = ConstMap_CloneWriteable(clone);
    CHECK(writeable != NULL);
    check_pairs(writeable, k, v, 3);
    CHECK_INT(MAP_OK, Map_AddOrUpdate(writeable, "b", "22"));
    CHECK_STR("2", ConstMap_GetValue(clone, "b"));
    Map_Destroy(writeable);

    CHECK(ConstMap_Create(NULL) == NULL);
    CHECK(ConstMap_Clone(NULL) == NULL);
    CHECK(ConstMap_CloneWriteable(NULL) == NULL);
    ConstMap_Destroy(NULL);
    ConstMap_Destroy(clone); /* last reference: ASan reports a leak if not freed */
}

static void test_constmap_empty(void)
{
    MAP_HANDLE source = Map_Create(NULL);
    CONSTMAP_HANDLE cm = ConstMap_Create(source);
    const char* const* keys;
    const char* const* values;
    size_t count = 5;
    MAP_HANDLE writeable;

    Map_Destroy(source);
    CHECK(cm != NULL);
    CHECK_INT(CONSTMAP_OK, ConstMap_GetInternals(cm, &keys, &values, &count));
    CHECK_INT(0, count);
    writeable = ConstMap_CloneWriteable(cm);
    CHECK(writeable != NULL);
    check_json(writeable, "{}");
    Map_Destroy(writeable);
    ConstMap_Destroy(cm);
}

#define THREADS 4
#define ITERATIONS 100000

typedef struct WORKER_TAG
{
    CONSTMAP_HANDLE map;
    CONSTMAP_HANDLE* owned; /* references this worker must release */
    size_t owned_count;
    int errors;
} WORKER;

static void* constmap_worker(void* context)
{
    WORKER* worker = context;
    size_t i;

    for (i = 0; i < ITERATIONS; i++)
    {
        CONSTMAP_HANDLE clone = ConstMap_Clone(worker->map);
        const char* value = ConstMap_GetValue(clone, "key");
        if (clone != worker->map || value == NULL || strcmp(value, "value") != 0)
        {
            worker->errors++;
        }
        ConstMap_Destroy(clone);
    }
    /* hand-off: the last of these releases frees the map (on whichever thread it happens) */
    for (i = 0; i < worker->owned_count; i++)
    {
        ConstMap_Destroy(worker->owned[i]);
    }
    return NULL;
}

static void test_constmap_threads(void)
{
    MAP_HANDLE source = Map_Create(NULL);
    CONSTMAP_HANDLE cm;
    pthread_t threads[THREADS];
    WORKER workers[THREADS];
    int i;
    size_t j;

    CHECK_INT(MAP_OK, Map_Add(source, "key", "value"));
    cm = ConstMap_Create(source);
    Map_Destroy(source);
    for (i = 0; i < THREADS; i++)
    {
        workers[i].map = cm;
        workers[i].owned_count = 1000;
        workers[i].owned = malloc(workers[i].owned_count * sizeof(CONSTMAP_HANDLE));
        workers[i].errors = 0;
        for (j = 0; j < workers[i].owned_count; j++)
        {
            workers[i].owned[j] = ConstMap_Clone(cm);
        }
    }
    for (i = 0; i < THREADS; i++)
    {
        CHECK_INT(0, pthread_create(&threads[i], NULL, constmap_worker, &workers[i]));
    }
    ConstMap_Destroy(cm); /* the workers now hold the only references */
    for (i = 0; i < THREADS; i++)
    {
        CHECK_INT(0, pthread_join(threads[i], NULL));
        CHECK_INT(0, workers[i].errors);
        free(workers[i].owned);
    }
}

static void test_enum_strings(void)
{
    MAP_RESULT m = MAP_OK;
    CONSTMAP_RESULT c = CONSTMAP_OK;

    CHECK_STR("MAP_FILTER_REJECT", ENUM_TO_STRING(MAP_RESULT, MAP_FILTER_REJECT));
    CHECK_STR("MAP_OK", MAP_RESULTStrings(MAP_OK));
    CHECK_INT(0, STRING_TO_ENUM("MAP_KEYNOTFOUND", MAP_RESULT, &m));
    CHECK_INT(MAP_KEYNOTFOUND, m);
    CHECK_INT(4, MAP_KEYNOTFOUND);
    CHECK_INT(5, MAP_FILTER_REJECT);
    CHECK_STR("CONSTMAP_KEYNOTFOUND", ENUM_TO_STRING(CONSTMAP_RESULT, CONSTMAP_KEYNOTFOUND));
    CHECK_INT(0, STRING_TO_ENUM("CONSTMAP_INVALIDARG", CONSTMAP_RESULT, &c));
    CHECK_INT(CONSTMAP_INVALIDARG, c);
    CHECK_INT(3, CONSTMAP_KEYNOTFOUND);
    CHECK(STRING_TO_ENUM("nope", CONSTMAP_RESULT, &c) != 0);
}

int main(void)
{
    TEST_RUN(test_map_add_get);
    TEST_RUN(test_map_order);
    TEST_RUN(test_map_many);
    TEST_RUN(test_map_filter);
    TEST_RUN(test_map_to_json);
    TEST_RUN(test_constmap_basics);
    TEST_RUN(test_constmap_empty);
    TEST_RUN(test_constmap_threads);
    TEST_RUN(test_enum_strings);
    return test_summary("test_util_map");
}
