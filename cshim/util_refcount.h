/* util_refcount.h - private: atomic reference counts for CONSTBUFFER and CONSTMAP.
 *
 * Increments are relaxed (a reference can only be added by a holder of another one);
 * the decrement is acq_rel so the thread that frees sees every write made before the
 * other holders released their references. */
#ifndef UTIL_REFCOUNT_H
#define UTIL_REFCOUNT_H

#include <stdint.h>

typedef uint32_t util_refcount_t;

static inline void util_refcount_init(util_refcount_t* count)
{
    __atomic_store_n(count, 1u, __ATOMIC_RELAXED);
}

static inline void util_refcount_inc(util_refcount_t* count)
{
    (void)__atomic_add_fetch(count, 1u, __ATOMIC_RELAXED);
}

/* Returns non-zero when the count dropped to zero (the caller frees the object). */
static inline int util_refcount_dec(util_refcount_t* count)
{
    return __atomic_sub_fetch(count, 1u, __ATOMIC_ACQ_REL) == 0u;
}

#endif /* UTIL_REFCOUNT_H */
