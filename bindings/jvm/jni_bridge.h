/*
 * jni_bridge.h: the C side of the gateway's JVM binding. Small wrappers that call through the JNI function
 * tables, so that Go makes one cgo call per operation and never touches JNI itself.
 *
 * Conventions:
 * - `env` is the calling thread's JNIEnv* (as uintptr_t); it is only valid on the thread it was obtained on.
 * - Functions that can fail return 0 on success and write a malloc'd, NUL-terminated UTF-8 message to *err
 *   (length in *errlen when asked for); the caller frees it with free(). On success *err is left untouched.
 * - Every wrapper deletes the local references it creates (the threads that call them never return to Java, so
 *   local references would otherwise live until the thread detaches).
 * - Global references returned to Go are owned by Go and given back with gw_jvm_delete_global.
 */
#ifndef GW_JNI_BRIDGE_H
#define GW_JNI_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

/* A module instance's C state (C memory, owned by the Go instance, freed by gw_jvm_module_free). */
typedef struct gw_jmod {
    void *module; /* global ref to the Java module object */
    void *buf;    /* global ref to the reusable batch byte[] (or NULL) */
    int32_t cap;  /* capacity of buf */
} gw_jmod;

/*
 * Loads libjvm.so from `libjvm` and creates the process's JVM with `nopts` options given as consecutive
 * NUL-terminated strings in `opts` (read during the call only). If a JVM already exists in the process it is
 * adopted instead (the options are then ignored and *adopted is set to 1). On success the calling thread is
 * attached (it is the thread that created the JVM), *env is its JNIEnv, the binding's ModuleHost class is
 * resolved, its native method registered and SA_ONSTACK added to the JVM's signal handlers.
 * Returns 0, or a JNI error code (negative) / -100 for a loading error, with *err set.
 */
int gw_jvm_create(const char *libjvm, int32_t version, const char *opts, int nopts, uintptr_t *env, int *adopted,
                  char **err);

/* Adds SA_ONSTACK to every installed signal handler that lacks it. Returns how many it changed. */
int gw_jvm_fix_signals(void);

/* Attaches the calling thread as a daemon thread called `name` (modified UTF-8). 0 or a JNI error code. */
int gw_jvm_attach(const char *name, uintptr_t *env);

/* Detaches the calling thread. 0 or a JNI error code. */
int gw_jvm_detach(void);

/*
 * Loads and constructs a module (ModuleHost.create). The strings are UTF-8 with explicit lengths (not
 * NUL-terminated); cfglen < 0 means a null configuration. Returns a new gw_jmod (malloc'd; free with
 * gw_jvm_module_free) or NULL with *err (the Java stack trace) set.
 */
gw_jmod *gw_jvm_module_create(uintptr_t env, const char *cls, int32_t clslen, const char *cp, int32_t cplen,
                              int64_t addr, int64_t broker, const char *cfg, int32_t cfglen, char **err,
                              size_t *errlen);

/* Calls ModuleHost.start(module). 0, or -1 with *err set (the Java stack trace). */
int gw_jvm_module_start(uintptr_t env, gw_jmod *m, char **err, size_t *errlen);

/* Calls ModuleHost.destroy(module). 0, or -1 with *err set. Does not free m. */
int gw_jvm_module_destroy(uintptr_t env, gw_jmod *m, char **err, size_t *errlen);

/*
 * Delivers a batch: data[0, len) holds serialized messages back to back. It is copied into the module's
 * reusable byte[] (grown as needed) and ModuleHost.receive is called once. Returns 0 when every message was
 * delivered cleanly, the number of messages whose receive threw (with *err = the first stack trace), or -1 on
 * an internal failure (with *err). `data` is only read during the call.
 */
int gw_jvm_module_receive(uintptr_t env, gw_jmod *m, const void *data, int32_t len, char **err, size_t *errlen);

/* Deletes the module's global references and frees m. */
void gw_jvm_module_free(uintptr_t env, gw_jmod *m);

/* The path of the ELF object (executable or shared library) that contains this code, or NULL. Static storage. */
const char *gw_jvm_self_path(void);

/* Whether the calling thread is the process's primordial thread (the JVM must not run on it). */
int gw_jvm_on_main_thread(void);

#endif
