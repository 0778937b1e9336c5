/* test_block_pool.c - the message block pool (block_pool.h), built without ASan (which
 * disables pooling) and run under ThreadSanitizer: blocks are recycled on one thread,
 * travel between a producer and a consumer thread without corruption, and the depot
 * stays within its bound. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "block_pool.h"

static void test_same_thread_reuse(void)
{
    void* a = gw_block_alloc(300);
    void* b;
    CHECK(a != NULL);
    CHECK_INT(0, (int)((uintptr_t)a % 16));
    memset(a, 0xab, 300);
    gw_block_free(a);
    b = gw_block_alloc(400); /* same size class (512) */
    CHECK(b == a);
    gw_block_free(b);
    gw_block_free(NULL);
}

static void test_large_blocks_are_plain(void)
{
    void* a = gw_block_alloc(1 << 20);
    CHECK(a != NULL);
    memset(a, 1, 1 << 20);
    gw_block_free(a);
    CHECK(gw_block_alloc((size_t)-1) == NULL);
}

#define RING 256
#define TOTAL 200000

static void* ring[RING];
static unsigned head, tail; /* guarded by mu */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int corrupt;

static void* consumer(void* arg)
{
    unsigned i;
    (void)arg;
    for (i = 0; i < TOTAL; i++)
    {
        unsigned char* b;
        size_t n, k;
        pthread_mutex_lock(&mu);
        while (head == tail)
        {
            pthread_cond_wait(&cv, &mu);
        }
        b = ring[tail++ % RING];
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
        memcpy(&n, b, sizeof(n));
        for (k = sizeof(n); k < n; k++)
        {
            if (b[k] != (unsigned char)(n + k))
            {
                corrupt++;
                break;
            }
        }
        gw_block_free(b);
    }
    return NULL;
}

static void test_producer_consumer(void)
{
    pthread_t t;
    unsigned i;
    size_t depot, moved;
    pthread_create(&t, NULL, consumer, NULL);
    for (i = 0; i < TOTAL; i++)
    {
        size_t n = 16 + (i * 37) % 3000, k;
        unsigned char* b = gw_block_alloc(n);
        if (b == NULL)
        {
            corrupt++;
            break;
        }
        memcpy(b, &n, sizeof(n));
        for (k = sizeof(n); k < n; k++)
        {
            b[k] = (unsigned char)(n + k);
        }
        pthread_mutex_lock(&mu);
        while (head - tail == RING)
        {
            pthread_cond_wait(&cv, &mu);
        }
        ring[head++ % RING] = b;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
    }
    pthread_join(t, NULL);
    CHECK_INT(0, corrupt);
    gw_block_pool_stats(&depot, &moved);
    CHECK(moved > 0);                        /* blocks went back to the producer in magazines */
    CHECK(depot * 256 <= 5 * GW_POOL_DEPOT_BYTES); /* bounded: at most ~1 MB per class */
}

int main(void)
{
    TEST_RUN(test_same_thread_reuse);
    TEST_RUN(test_large_blocks_are_plain);
    TEST_RUN(test_producer_consumer);
    return test_summary("test_block_pool");
}
