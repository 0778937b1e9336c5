/* test_util_constbuffer.c - CONSTBUFFER_HANDLE (constbuffer.h), including the reference
 * count under threads and the move-memory constructor. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/buffer_.h"
#include "azure_c_shared_utility/constbuffer.h"
#include "test_util.h"

static void test_create(void)
{
    unsigned char bytes[] = { 'h', 'e', 'l', 'l', 'o' };
    CONSTBUFFER_HANDLE h = CONSTBUFFER_Create(bytes, sizeof(bytes));
    const CONSTBUFFER* content;

    CHECK(h != NULL);
    content = CONSTBUFFER_GetContent(h);
    CHECK(content != NULL);
    CHECK_INT(5, content->size);
    CHECK(content->buffer != bytes); /* a copy */
    CHECK_MEM("hello", content->buffer, 5);
    bytes[0] = 'j';
    CHECK_MEM("hello", content->buffer, 5);
    CHECK(CONSTBUFFER_GetContent(h) == content); /* stable pointer */
    CONSTBUFFER_Destroy(h);

    h = CONSTBUFFER_Create(NULL, 0);
    CHECK(h != NULL);
    CHECK_INT(0, CONSTBUFFER_GetContent(h)->size);
    CHECK(CONSTBUFFER_GetContent(h)->buffer == NULL);
    CONSTBUFFER_Destroy(h);
    h = CONSTBUFFER_Create(bytes, 0);
    CHECK(h != NULL);
    CHECK_INT(0, CONSTBUFFER_GetContent(h)->size);
    CONSTBUFFER_Destroy(h);

    CHECK(CONSTBUFFER_Create(NULL, 1) == NULL);
    CHECK(CONSTBUFFER_GetContent(NULL) == NULL);
    CHECK(CONSTBUFFER_Clone(NULL) == NULL);
    CONSTBUFFER_Destroy(NULL);
}

static void test_layout(void)
{
    CHECK_INT(16, sizeof(CONSTBUFFER));
    CHECK_INT(0, offsetof(CONSTBUFFER, buffer));
    CHECK_INT(8, offsetof(CONSTBUFFER, size));
}

static void test_create_from_buffer(void)
{
    BUFFER_HANDLE b = BUFFER_create((const unsigned char*)"abc", 3);
    BUFFER_HANDLE empty = BUFFER_new();
    CONSTBUFFER_HANDLE h = CONSTBUFFER_CreateFromBuffer(b);

    CHECK(h != NULL);
    CHECK_INT(3, CONSTBUFFER_GetContent(h)->size);
    CHECK(CONSTBUFFER_GetContent(h)->buffer != BUFFER_u_char(b));
    CHECK_MEM("abc", CONSTBUFFER_GetContent(h)->buffer, 3);
    BUFFER_delete(b);
    CHECK_MEM("abc", CONSTBUFFER_GetContent(h)->buffer, 3);
    CONSTBUFFER_Destroy(h);

    h = CONSTBUFFER_CreateFromBuffer(empty);
    CHECK(h != NULL);
    CHECK_INT(0, CONSTBUFFER_GetContent(h)->size);
    CONSTBUFFER_Destroy(h);
    BUFFER_delete(empty);
    CHECK(CONSTBUFFER_CreateFromBuffer(NULL) == NULL);
}

static void test_move_memory(void)
{
    unsigned char* memory = malloc(4);
    CONSTBUFFER_HANDLE h;
    CONSTBUFFER_HANDLE clone;

    memcpy(memory, "data", 4);
    h = CONSTBUFFER_CreateWithMoveMemory(memory, 4);
    CHECK(h != NULL);
    CHECK(CONSTBUFFER_GetContent(h)->buffer == memory); /* no copy */
    CHECK_INT(4, CONSTBUFFER_GetContent(h)->size);
    clone = CONSTBUFFER_Clone(h);
    CHECK(clone == h);
    CONSTBUFFER_Destroy(h);
    CHECK_MEM("data", CONSTBUFFER_GetContent(clone)->buffer, 4);
    CONSTBUFFER_Destroy(clone); /* frees memory: ASan reports a leak otherwise */

    h = CONSTBUFFER_CreateWithMoveMemory(NULL, 0);
    CHECK(h != NULL);
    CHECK(CONSTBUFFER_GetContent(h)->buffer == NULL);
    CHECK_INT(0, CONSTBUFFER_GetContent(h)->size);
    CONSTBUFFER_Destroy(h);
    CHECK(CONSTBUFFER_CreateWithMoveMemory(NULL, 3) == NULL);
}

#define THREADS 4
#define ITERATIONS 100000
#define OWNED 1000

typedef struct WORKER_TAG
{
    CONSTBUFFER_HANDLE handle;
    CONSTBUFFER_HANDLE owned[OWNED];
    int errors;
} WORKER;

static void* worker_main(void* context)
{
    WORKER* worker = context;
    size_t i;

    for (i = 0; i < ITERATIONS; i++)
    {
        CONSTBUFFER_HANDLE clone = CONSTBUFFER_Clone(worker->handle);
        const CONSTBUFFER* content = CONSTBUFFER_GetContent(clone);
        if (clone != worker->handle || content == NULL || content->size != 3 || content->buffer[2] != 'z')
        {
            worker->errors++;
        }
        CONSTBUFFER_Destroy(clone);
    }
    for (i = 0; i < OWNED; i++)
    {
        CONSTBUFFER_Destroy(worker->owned[i]);
    }
    return NULL;
}

static void run_threads(CONSTBUFFER_HANDLE h)
{
    static WORKER workers[THREADS];
    pthread_t threads[THREADS];
    int i;
    size_t j;

    for (i = 0; i < THREADS; i++)
    {
        workers[i].handle = h;
        workers[i].errors = 0;
        for (j = 0; j < OWNED; j++)
        {
            workers[i].owned[j] = CONSTBUFFER_Clone(h);
        }
    }
    for (i = 0; i < THREADS; i++)
    {
        CHECK_INT(0, pthread_create(&threads[i], NULL, worker_main, &workers[i]));
    }
    CONSTBUFFER_Destroy(h); /* the workers hold the remaining references; the last frees */
    for (i = 0; i < THREADS; i++)
    {
        CHECK_INT(0, pthread_join(threads[i], NULL));
        CHECK_INT(0, workers[i].errors);
    }
}

static void test_threads(void)
{
    unsigned char* moved = malloc(3);

    run_threads(CONSTBUFFER_Create((const unsigned char*)"xyz", 3));
    memcpy(moved, "xyz", 3);
    run_threads(CONSTBUFFER_CreateWithMoveMemory(moved, 3));
}

int main(void)
{
    TEST_RUN(test_create);
    TEST_RUN(test_layout);
    TEST_RUN(test_create_from_buffer);
    TEST_RUN(test_move_memory);
    TEST_RUN(test_threads);
    return test_summary("test_util_constbuffer");
}
