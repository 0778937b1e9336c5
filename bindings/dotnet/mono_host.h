/* mono_host.h - the C side of the .NET (Mono) binding.
 *
 * libmonosgen-2.0 is dlopen-ed at run time (never linked); its entry points are kept in
 * a table of function pointers. Every call into Mono happens on a thread attached to
 * the runtime (gwdn_start's thread or one that called gwdn_attach_thread). Attached
 * threads stay in Mono's GC-safe state while they run Go code and switch to GC-unsafe
 * only inside these functions.
 *
 * Memory: error texts returned through `char** err` are malloc-ed; the caller frees
 * them. gwdn_module objects are malloc-ed by gwdn_create and freed by
 * gwdn_module_destroy; they hold pinned GC handles on the managed module host and on
 * the module's receive buffer, released by gwdn_module_destroy.
 */
#ifndef GWDN_MONO_HOST_H
#define GWDN_MONO_HOST_H

#include <stddef.h>
#include <stdint.h>

/* Internal to the gateway: not exported from libgateway.so. */
#define GWDN_INTERNAL __attribute__((visibility("hidden")))

/* Results of a publish from managed code (kept in step with managed/NativeMethods.cs). */
enum {
    GWDN_PUBLISH_OK = 0,
    GWDN_PUBLISH_GONE = 1,
    GWDN_PUBLISH_MALFORMED = 2,
    GWDN_PUBLISH_FAILED = 3
};

/* Log levels of managed log lines (kept in step with managed/NativeMethods.cs). */
enum {
    GWDN_LOG_ERROR = 0,
    GWDN_LOG_WARN = 1,
    GWDN_LOG_INFO = 2,
    GWDN_LOG_DEBUG = 3
};

typedef struct gwdn_module gwdn_module;

/* Work queued by threads the runtime made (they never call Go; see mono_host.c). */
enum {
    GWDN_ITEM_PUBLISH = 0, /* msg: a MESSAGE_HANDLE reference the taker releases */
    GWDN_ITEM_LOG = 1,     /* text: malloc-ed, NUL-terminated, the taker frees it */
    GWDN_ITEM_BARRIER = 2  /* module: a token the taker reports back (flush) */
};

typedef struct gwdn_item {
    int32_t kind;
    int32_t level;
    int64_t module;
    uintptr_t msg;
    char* text;
    int32_t len;
} gwdn_item;

/* Appends an item (waits while the queue is full). */
GWDN_INTERNAL void gwdn_queue_push(const gwdn_item* it);

/* Waits for at least one item and moves up to max of them to out; returns how many. */
GWDN_INTERNAL int gwdn_queue_take(gwdn_item* out, int max);

/* dlopens the runtime library at libpath and resolves the entry points the binding
 * uses. Returns 0, or -1 with *err set. Call once. */
GWDN_INTERNAL int gwdn_open(const char* libpath, char** err);

/* Starts the runtime on the calling thread (which then stays attached for ever):
 * frees real-time signals 35-37, turns signal chaining on, sets the runtime's
 * directories, creates the root domain, registers the internal calls, loads the
 * binding assembly (binding_dll) and initializes it, adds SA_ONSTACK to the signal
 * handlers the runtime installed. park_unhandled: an exception that escapes a thread a
 * module made is logged and that thread parked for ever (1), or the runtime's own
 * policy applies: the process exits (0). Returns 0 or -1 with *err. */
GWDN_INTERNAL int gwdn_start(const char* assembly_dir, const char* config_dir, int park_unhandled,
               const char* binding_dll, char** err);

/* Attaches the calling thread to the runtime (idempotent) and leaves it GC-safe. The
 * thread's alternate signal stack is preserved. Returns 0 or -1 with *err. */
GWDN_INTERNAL int gwdn_attach_thread(char** err);

/* 1 when the calling thread is attached by gwdn_start / gwdn_attach_thread. */
GWDN_INTERNAL int gwdn_thread_attached(void);

/* 1 on the process's primordial thread (where no runtime may live). */
GWDN_INTERNAL int gwdn_is_main_thread(void);

/* Adds SA_ONSTACK to every installed handler that lacks it; returns how many changed. */
GWDN_INTERNAL int gwdn_fix_signal_stacks(void);

/* Adds a directory searched for the dependencies of module assemblies. */
GWDN_INTERNAL int gwdn_add_search_dir(const char* dir, char** err);

/* Checks that `type` in the assembly file can be a module (exists, implements
 * IGatewayModule, has a parameterless constructor). 0, or -1 with *err. */
GWDN_INTERNAL int gwdn_check_type(const char* assembly, const char* type, char** err);

/* Creates a module: loads the assembly, constructs `type`, calls Create(broker,
 * configuration). cfg[0,cfglen) is the configuration (passed as null when has_cfg is
 * 0). id is the gateway's id for the module (what managed Broker.Publish passes back).
 * On success *out owns the new module. Returns 0 or -1 with *err. */
GWDN_INTERNAL int gwdn_create(int64_t id, const char* name, const char* assembly, const char* type,
                const unsigned char* cfg, size_t cfglen, int has_cfg, gwdn_module** out,
                char** err);

/* Calls Start() when the module implements IGatewayModuleStart. 0 or -1 with *err. */
GWDN_INTERNAL int gwdn_module_start(gwdn_module* m, char** err);

/* Serializes msgs[0,n) (MESSAGE_HANDLEs, borrowed for the call) back to back into the
 * module's pinned receive buffer and makes one managed call that delivers them in
 * order. Returns 0, or -1 with *err (module exceptions are logged by managed code and
 * do not count as errors). */
GWDN_INTERNAL int gwdn_module_receive(gwdn_module* m, const uintptr_t* msgs, size_t n, char** err);

/* Calls Destroy(), releases the GC handles and frees m. 0, or -1 with *err (m is freed
 * in both cases). */
GWDN_INTERNAL int gwdn_module_destroy(gwdn_module* m, char** err);

#endif /* GWDN_MONO_HOST_H */
