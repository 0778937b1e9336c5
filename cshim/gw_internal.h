/* gw_internal.h - private glue between the C side of the ABI and the Go runtime.
 *
 * Functions named gw_go_* are implemented in Go (package cshim, //export) when the
 * code is linked into libgateway.so, and by cshim/tests/test_support.c when the C
 * sources are linked into the standalone C test programs.
 *
 * Functions named gw_* are C helpers that Go calls through cgo.
 */
#ifndef GW_INTERNAL_H
#define GW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "module.h"
#include "message.h"
#include "broker.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GW_MSG_EMBEDS_CONTENT 1
#define GW_MSG_EMBEDS_PROPERTIES 2

/* Layout contract shared with Go (cshim/message.go): the reference count is the first
 * field of a message, a 32-bit integer updated only with atomic operations. */
struct MESSAGE_HANDLE_DATA_TAG
{
    int32_t refcount;
    int32_t embedded; /* GW_MSG_EMBEDS_*: which of content/properties live in this block */
    CONSTBUFFER_HANDLE content;
    CONSTMAP_HANDLE properties;
};

/* ---- implemented in Go ---- */

/* Publish msg on the broker identified by broker (a handle created by Go). flags bit 0
 * is set when the caller is inside a Module_Receive on this thread (it must not block).
 * Returns a BROKER_RESULT. The caller keeps its reference to msg. */
extern int gw_go_publish(uintptr_t broker, uintptr_t source, uintptr_t msg, int flags);

/* Route one formatted log line from a C module into the gateway's logger.
 * All strings are borrowed for the duration of the call. module may be NULL. */
extern void gw_go_log(int category, char* module, char* file, char* func, int line, char* text);

/* C Broker API (Broker_Create & co.) implemented by the Go broker. */
extern uintptr_t gw_go_broker_create(void);
extern void gw_go_broker_incref(uintptr_t broker);
extern void gw_go_broker_decref(uintptr_t broker);
extern int gw_go_broker_add_module(uintptr_t broker, uintptr_t api, uintptr_t module);
extern int gw_go_broker_remove_module(uintptr_t broker, uintptr_t module);
extern int gw_go_broker_add_link(uintptr_t broker, uintptr_t source, uintptr_t sink);
extern int gw_go_broker_remove_link(uintptr_t broker, uintptr_t source, uintptr_t sink);

/* ---- C helpers called from Go ---- */

/* The module whose code runs on this thread (set around every call into a module),
 * used to name the module in log lines. Borrowed pointer; NULL outside module calls. */
extern const char* gw_current_module(void);
extern void gw_set_current_module(const char* name);

/* Deliver n messages to one module, in order, on the calling thread: calls
 * api->Module_Receive(handle, msgs[i]) for each, with the thread marked as "inside
 * Receive" (so that publishing from Receive never blocks). Does not release the
 * messages: the caller (the broker) owns them. */
extern void gw_deliver(const MODULE_API_1* api, MODULE_HANDLE handle, MESSAGE_HANDLE* msgs, size_t n, const char* module_name);

/* Release n messages (Message_Destroy on each). */
extern void gw_release_all(MESSAGE_HANDLE* msgs, size_t n);

/* Installs the crash reporter (crash.c) in front of the current handlers of SIGSEGV,
 * SIGBUS, SIGFPE and SIGILL. Returns 0 on success. Call after the Go runtime has
 * installed its own handlers; safe to call more than once. */
extern int gw_install_crash_reporter(void);

/* Whether the calling thread is currently inside a module's Receive (gw_deliver). */
extern int gw_in_receive(void);

#ifdef __cplusplus
}
#endif

#endif /* GW_INTERNAL_H */
