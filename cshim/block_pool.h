/* block_pool.h - private: recycled memory blocks for messages.
 *
 * A message is allocated on the publisher's thread and freed on whichever thread drops
 * the last reference - usually a broker worker. With glibc malloc that pattern makes
 * both threads take the publisher's arena lock on every message (measured: a third of
 * the CPU of a native flood). The pool keeps freed blocks in per-thread caches and
 * moves them between threads in batches ("magazines", Bonwick & Adams 2001), so a
 * block costs no lock in the common case and one lock per batch otherwise.
 *
 * Ownership: gw_block_alloc returns a block owned by the caller, who gives it back
 * with gw_block_free from any thread. Blocks larger than the largest size class, and
 * every block in a build with AddressSanitizer, are plain malloc/free so ASan keeps
 * seeing use-after-free and leaks. Memory the pool keeps is bounded: a thread cache
 * holds at most 2 * GW_POOL_MAGAZINE blocks per class, the shared depot at most
 * about GW_POOL_DEPOT_BYTES per class; anything beyond is freed. */
#ifndef BLOCK_POOL_H
#define BLOCK_POOL_H

#include <stddef.h>

#define GW_POOL_MAGAZINE 32
#define GW_POOL_DEPOT_BYTES (1u << 20)

/* Returns a block of at least size bytes aligned to 16, or NULL when out of memory. */
void* gw_block_alloc(size_t size);

/* Gives back a block from gw_block_alloc (NULL is ignored). */
void gw_block_free(void* block);

/* Statistics for tests: blocks held by the shared depot (not the thread caches), and
 * magazines ever moved between a thread cache and the depot. */
void gw_block_pool_stats(size_t* depot_blocks, size_t* magazines_moved);

#endif /* BLOCK_POOL_H */
