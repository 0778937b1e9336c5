/* tickcounter.h - TICK_COUNTER_HANDLE: milliseconds elapsed since the counter was created,
 * on the monotonic clock. Memory: tickcounter_create returns a handle owned by the caller,
 * released with tickcounter_destroy. Reading is thread safe. */
#ifndef TICKCOUNTER_H
#define TICKCOUNTER_H

#include <stdint.h>
#include "azure_c_shared_utility/umock_c_prod.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint_fast64_t tickcounter_ms_t;
typedef struct TICK_COUNTER_INSTANCE_TAG* TICK_COUNTER_HANDLE;

/* NULL on failure. */
extern GATEWAY_EXPORT TICK_COUNTER_HANDLE tickcounter_create(void);
extern GATEWAY_EXPORT void tickcounter_destroy(TICK_COUNTER_HANDLE tick_counter);
/* *current_ms = milliseconds since tickcounter_create. Non-zero if an argument is NULL. */
extern GATEWAY_EXPORT int tickcounter_get_current_ms(TICK_COUNTER_HANDLE tick_counter, tickcounter_ms_t* current_ms);

#ifdef __cplusplus
}
#endif

#endif /* TICKCOUNTER_H */
