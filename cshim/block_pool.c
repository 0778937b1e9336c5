/* block_pool.c - per-thread caches of message blocks, refilled and drained in
 * magazines through a shared, bounded depot. See block_pool.h for why and for the
 * ownership rules.
 *
 * Layout of a pooled block: a 16-byte header holding its size class, then the
 * caller's bytes. Every block, pooled or not, comes from malloc, so a block can always
 * be handed back to free() - which is what happens to blocks that do not fit the
 * caches or the depot, and to every block when the pool is disabled (ASan builds, or
 * GATEWAY_BLOCK_POOL=0 in the environment, for running the gateway under a memory
 * checker). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "block_pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define GW_POOL_BUILD_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GW_POOL_BUILD_ENABLED 0
#endif
#endif
#ifndef GW_POOL_BUILD_ENABLED
#define GW_POOL_BUILD_ENABLED 1
#endif

#define HEADER 16
#define NCLASS 5 /* block sizes 256, 512, 1024, 2048, 4096 bytes including the header */
#define NOT_POOLED (-1)

typedef union block_header
{
    int cls;
    unsigned char pad[HEADER];
} block_header;

struct magazine
{
    struct magazine* next;
    void* slots[GW_POOL_MAGAZINE];
};

struct depot
{
    pthread_mutex_t mu;
    struct magazine* full;
    size_t count; /* magazines in full */
    size_t cap;
};

struct thread_cache
{
    unsigned n[NCLASS];
    void* slots[NCLASS][2 * GW_POOL_MAGAZINE];
};

static struct depot depots[NCLASS];
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static int pool_enabled;
static size_t magazines_moved; /* atomic; statistics only */

/* NULL before first use; DEAD once the thread's cache was torn down at thread exit. */
static __thread struct thread_cache* my_cache;
#define DEAD ((struct thread_cache*)(uintptr_t)1)

static size_t class_size(int cls)
{
    return (size_t)256 << cls;
}

static int class_of(size_t total)
{
    int cls;
    for (cls = 0; cls < NCLASS; cls++)
    {
        if (total <= class_size(cls))
        {
            return cls;
        }
    }
    return NOT_POOLED;
}

static void depot_put(int cls, void** blocks)
{
    struct depot* d = &depots[cls];
    struct magazine* m = malloc(sizeof(*m));
    int i;
    if (m != NULL)
    {
        memcpy(m->slots, blocks, sizeof(m->slots));
        pthread_mutex_lock(&d->mu);
        if (d->count < d->cap)
        {
            m->next = d->full;
            d->full = m;
            d->count++;
            __atomic_add_fetch(&magazines_moved, 1, __ATOMIC_RELAXED);
            m = NULL;
            blocks = NULL;
        }
        pthread_mutex_unlock(&d->mu);
    }
    if (blocks != NULL)
    {
        free(m);
        for (i = 0; i < GW_POOL_MAGAZINE; i++)
        {
            free(blocks[i]);
        }
    }
}

/* Moves a magazine from the depot into slots; returns 0 when the depot is empty. */
static int depot_take(int cls, void** slots)
{
    struct depot* d = &depots[cls];
    struct magazine* m;
    pthread_mutex_lock(&d->mu);
    m = d->full;
    if (m != NULL)
    {
        d->full = m->next;
        d->count--;
        __atomic_add_fetch(&magazines_moved, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&d->mu);
    if (m == NULL)
    {
        return 0;
    }
    memcpy(slots, m->slots, sizeof(m->slots));
    free(m);
    return 1;
}

static void cache_teardown(void* arg)
{
    struct thread_cache* tc = arg;
    int cls;
    unsigned i;
    for (cls = 0; cls < NCLASS; cls++)
    {
        unsigned n = tc->n[cls];
        for (i = 0; i + GW_POOL_MAGAZINE <= n; i += GW_POOL_MAGAZINE)
        {
            depot_put(cls, &tc->slots[cls][i]);
        }
        for (; i < n; i++)
        {
            free(tc->slots[cls][i]);
        }
    }
    free(tc);
    my_cache = DEAD;
}

static void pool_init(void)
{
    const char* env = getenv("GATEWAY_BLOCK_POOL");
    int cls;
    pool_enabled = GW_POOL_BUILD_ENABLED && !(env != NULL && strcmp(env, "0") == 0);
    for (cls = 0; cls < NCLASS; cls++)
    {
        size_t per_magazine = GW_POOL_MAGAZINE * class_size(cls);
        pthread_mutex_init(&depots[cls].mu, NULL);
        depots[cls].cap = GW_POOL_DEPOT_BYTES / per_magazine;
        if (depots[cls].cap < 2)
        {
            depots[cls].cap = 2;
        }
    }
    if (pthread_key_create(&cache_key, cache_teardown) != 0)
    {
        pool_enabled = 0;
    }
}

static struct thread_cache* cache(void)
{
    struct thread_cache* tc = my_cache;
    if (tc == DEAD)
    {
        return NULL;
    }
    if (tc == NULL)
    {
        tc = calloc(1, sizeof(*tc));
        if (tc == NULL || pthread_setspecific(cache_key, tc) != 0)
        {
            free(tc);
            return NULL;
        }
        my_cache = tc;
    }
    return tc;
}

void* gw_block_alloc(size_t size)
{
    struct thread_cache* tc;
    block_header* h;
    int cls;

    pthread_once(&pool_once, pool_init);
    if (!pool_enabled)
    {
        return malloc(size);
    }
    if (size > SIZE_MAX - HEADER)
    {
        return NULL;
    }
    cls = class_of(size + HEADER);
    tc = cls == NOT_POOLED ? NULL : cache();
    if (tc != NULL && tc->n[cls] == 0 && depot_take(cls, tc->slots[cls]))
    {
        tc->n[cls] = GW_POOL_MAGAZINE;
    }
    if (tc != NULL && tc->n[cls] > 0)
    {
        h = tc->slots[cls][--tc->n[cls]];
        return h + 1;
    }
    h = malloc(cls == NOT_POOLED ? size + HEADER : class_size(cls));
    if (h == NULL)
    {
        return NULL;
    }
    h->cls = cls;
    return h + 1;
}

void gw_block_free(void* block)
{
    struct thread_cache* tc;
    block_header* h;
    int cls;

    if (block == NULL)
    {
        return;
    }
    if (!pool_enabled) /* set before any block existed: gw_block_alloc ran pool_init */
    {
        free(block);
        return;
    }
    h = (block_header*)block - 1;
    cls = h->cls;
    tc = cls == NOT_POOLED ? NULL : cache();
    if (tc == NULL)
    {
        free(h);
        return;
    }
    if (tc->n[cls] == 2 * GW_POOL_MAGAZINE)
    {
        /* hand the older half to the depot, keep the warmer half */
        depot_put(cls, tc->slots[cls]);
        memmove(tc->slots[cls], tc->slots[cls] + GW_POOL_MAGAZINE, GW_POOL_MAGAZINE * sizeof(void*));
        tc->n[cls] = GW_POOL_MAGAZINE;
    }
    tc->slots[cls][tc->n[cls]++] = h;
}

void gw_block_pool_stats(size_t* cached, size_t* moved)
{
    int cls;
    size_t n = 0, m = 0;
    pthread_once(&pool_once, pool_init);
    for (cls = 0; cls < NCLASS; cls++)
    {
        pthread_mutex_lock(&depots[cls].mu);
        n += depots[cls].count * GW_POOL_MAGAZINE;
        pthread_mutex_unlock(&depots[cls].mu);
    }
    m = __atomic_load_n(&magazines_moved, __ATOMIC_RELAXED);
    if (cached != NULL)
    {
        *cached = n;
    }
    if (moved != NULL)
    {
        *moved = m;
    }
}
