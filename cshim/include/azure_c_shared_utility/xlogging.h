/* xlogging.h - pluggable logging used by the gateway and by legacy modules.
 *
 * Modules compiled against this header log with LogError / LogInfo / LogTrace / LOG. Each
 * expands to: fetch xlogging_get_log_function(); if it is not NULL, call it with the
 * category, __FILE__, __func__, __LINE__, the options (LOG_LINE: end the line) and a
 * printf format with its arguments. The function starts as the gateway's own logger and
 * can be replaced (or set to NULL to silence logging) with xlogging_set_log_function.
 *
 * Thread safety: both functions may be called from any thread.
 * Memory: nothing is allocated; the format and arguments are only read during the call. */
#ifndef XLOGGING_H
#define XLOGGING_H

#include <stdio.h>
#include "azure_c_shared_utility/macro_utils.h"
#include "azure_c_shared_utility/optimize_size.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LOG_CATEGORY_VALUES \
    AZ_LOG_ERROR, \
    AZ_LOG_INFO, \
    AZ_LOG_TRACE

DEFINE_ENUM(LOG_CATEGORY, LOG_CATEGORY_VALUES)

/* Options bit field passed to LOGGER_LOG. */
#define LOG_NONE 0x00
#define LOG_LINE 0x01

typedef void (*LOGGER_LOG)(LOG_CATEGORY log_category, const char* file, const char* func, int line,
                           unsigned int options, const char* format, ...);

/* Replaces the process-wide log function. NULL disables logging. */
extern GATEWAY_EXPORT void xlogging_set_log_function(LOGGER_LOG log_function);
/* Returns the current log function (the gateway's logger unless replaced); may be NULL. */
extern GATEWAY_EXPORT LOGGER_LOG xlogging_get_log_function(void);

#define FUNC_NAME __func__

/* LOG(category, options, format, ...): the first variadic argument is the format. */
#define LOG(log_category, log_options, ...) \
    do \
    { \
        LOGGER_LOG xlogging_fn_ = xlogging_get_log_function(); \
        if (xlogging_fn_ != NULL) \
        { \
            xlogging_fn_((log_category), __FILE__, FUNC_NAME, __LINE__, (log_options), __VA_ARGS__); \
        } \
    } while (0)

#define LogError(...) LOG(AZ_LOG_ERROR, LOG_LINE, __VA_ARGS__)
#define LogInfo(...) LOG(AZ_LOG_INFO, LOG_LINE, __VA_ARGS__)
#define LogTrace(...) LOG(AZ_LOG_TRACE, LOG_LINE, __VA_ARGS__)
#define LogInfoNoNewLine(...) LOG(AZ_LOG_INFO, LOG_NONE, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* XLOGGING_H */
