/* gw_log.h - private: the gateway's default log function for xlogging.
 *
 * xlogging_get_log_function() returns gw_log_default until a module or host calls
 * xlogging_set_log_function. It is NOT defined by the util_*.c files: libgateway.so defines
 * it (routing into the gateway's logger); the C unit tests define it in
 * tests/test_support.c. It must accept calls from any thread, including threads the Go
 * runtime has never seen, and must not call back into xlogging.
 * Memory: file, func, format and the arguments are only read during the call. */
#ifndef GW_LOG_H
#define GW_LOG_H

#include "azure_c_shared_utility/xlogging.h"

#ifdef __cplusplus
extern "C" {
#endif

void gw_log_default(LOG_CATEGORY log_category, const char* file, const char* func, int line, unsigned int options,
                    const char* format, ...);

#ifdef __cplusplus
}
#endif

#endif /* GW_LOG_H */
