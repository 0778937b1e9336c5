/* util_tickcounter.c - TICK_COUNTER_HANDLE on CLOCK_MONOTONIC. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <time.h>
#include "azure_c_shared_utility/tickcounter.h"
#include "azure_c_shared_utility/xlogging.h"

struct TICK_COUNTER_INSTANCE_TAG
{
    struct timespec start;
};

TICK_COUNTER_HANDLE tickcounter_create(void)
{
    TICK_COUNTER_HANDLE result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("tickcounter_create: out of memory");
        return NULL;
    }
    if (clock_gettime(CLOCK_MONOTONIC, &result->start) != 0)
    {
        LogError("tickcounter_create: clock_gettime failed");
        free(result);
        return NULL;
    }
    return result;
}

void tickcounter_destroy(TICK_COUNTER_HANDLE tick_counter)
{
    free(tick_counter);
}

int tickcounter_get_current_ms(TICK_COUNTER_HANDLE tick_counter, tickcounter_ms_t* current_ms)
{
    struct timespec now;
    long long elapsed_ms;

    if (tick_counter == NULL || current_ms == NULL)
    {
        LogError("tickcounter_get_current_ms: invalid argument (tick_counter=%p, current_ms=%p)",
                 (void*)tick_counter, (void*)current_ms);
        return __LINE__;
    }
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
    {
        LogError("tickcounter_get_current_ms: clock_gettime failed");
        return __LINE__;
    }
    elapsed_ms = (long long)(now.tv_sec - tick_counter->start.tv_sec) * 1000LL +
                 (long long)(now.tv_nsec - tick_counter->start.tv_nsec) / 1000000LL;
    *current_ms = (elapsed_ms < 0) ? 0 : (tickcounter_ms_t)elapsed_ms;
    return 0;
}
