/* util_xlogging.c - the process-wide log function behind xlogging.h. */
#include <stddef.h>
#include "azure_c_shared_utility/xlogging.h"
#include "gw_log.h"

DEFINE_ENUM_STRINGS(LOG_CATEGORY, LOG_CATEGORY_VALUES)

/* Read and written atomically: modules may log from their own threads while a host
 * replaces the function. */
static LOGGER_LOG g_log_function = gw_log_default;

void xlogging_set_log_function(LOGGER_LOG log_function)
{
    __atomic_store_n(&g_log_function, log_function, __ATOMIC_RELEASE);
}

LOGGER_LOG xlogging_get_log_function(void)
{
    return __atomic_load_n(&g_log_function, __ATOMIC_ACQUIRE);
}
