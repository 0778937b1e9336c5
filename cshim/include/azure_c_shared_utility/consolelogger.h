/* consolelogger.h - a LOGGER_LOG that writes to stdout.
 *
 * Line format (as the original): errors `Error: Time:<ctime> File:<file> Func:<func>
 * Line:<n> <text>`, info `Info: <text>`, trace `<text>`; CR LF follows when options
 * has LOG_LINE. A whole line is written in one piece (safe from several threads). */
#ifndef CONSOLELOGGER_H
#define CONSOLELOGGER_H

#include "azure_c_shared_utility/xlogging.h"
#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

extern GATEWAY_EXPORT void consolelogger_log(LOG_CATEGORY log_category, const char* file, const char* func, int line,
                                             unsigned int options, const char* format, ...);

#ifdef __cplusplus
}
#endif

#endif /* CONSOLELOGGER_H */
