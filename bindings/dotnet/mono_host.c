/* mono_host.c - hosting Mono's runtime for the .NET binding. See mono_host.h. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "message.h"
#include "mono_host.h"
#include "_cgo_export.h"

/* Opaque runtime types: only pointers to them are handled here. */
typedef struct MonoDomain MonoDomain;
typedef struct MonoAssembly MonoAssembly;
typedef struct MonoImage MonoImage;
typedef struct MonoClass MonoClass;
typedef struct MonoMethod MonoMethod;
typedef struct MonoObject MonoObject;
typedef struct MonoString MonoString;
typedef struct MonoArray MonoArray;
typedef struct MonoThread MonoThread;

/* The entry points of libmonosgen-2.0 the binding uses (documented embedding API). */
static struct {
    void (*set_signal_chaining)(int);
    void (*set_dirs)(const char*, const char*);
    void (*config_parse)(const char*);
    MonoDomain* (*jit_init_version)(const char*, const char*);
    MonoAssembly* (*domain_assembly_open)(MonoDomain*, const char*);
    MonoImage* (*assembly_get_image)(MonoAssembly*);
    MonoClass* (*class_from_name)(MonoImage*, const char*, const char*);
    MonoMethod* (*class_get_method_from_name)(MonoClass*, const char*, int);
    MonoObject* (*runtime_invoke)(MonoMethod*, void*, void**, MonoObject**);
    MonoArray* (*array_new)(MonoDomain*, MonoClass*, uintptr_t);
    MonoClass* (*get_byte_class)(void);
    MonoClass* (*get_string_class)(void);
    char* (*array_addr_with_size)(MonoArray*, int, uintptr_t);
    uint32_t (*gchandle_new)(MonoObject*, int);
    void (*gchandle_free)(uint32_t);
    MonoObject* (*gchandle_get_target)(uint32_t);
    MonoThread* (*thread_attach)(MonoDomain*);
    void (*add_internal_call)(const char*, const void*);
    MonoString* (*string_new)(MonoDomain*, const char*);
    char* (*string_to_utf8)(MonoString*);
    void (*free)(void*);
    MonoClass* (*object_get_class)(MonoObject*);
    MonoString* (*object_to_string)(MonoObject*, MonoObject**);
    void* (*enter_gc_unsafe)(void**);
    void (*exit_gc_unsafe)(void*, void**);
    void* (*enter_gc_safe_unbalanced)(void**);
} mono;

static void* libmono;
static MonoDomain* domain;
static MonoClass* byte_class;
static MonoClass* string_class;
static MonoMethod* m_initialize;
static MonoMethod* m_add_search_dir;
static MonoMethod* m_check_type;
static MonoMethod* m_create;
static MonoMethod* m_start;
static MonoMethod* m_receive;
static MonoMethod* m_destroy;

/* Per thread: attached by us; inside a managed Receive call (depth). */
static __thread int tls_attached;
static __thread int tls_in_receive;

/* Receive buffers grow to hold one batch; a batch larger than this is delivered in
 * several managed calls (a single larger message still goes in one call). */
#define GWDN_CHUNK_BYTES (4u << 20)
#define GWDN_MIN_BUFFER (64u << 10)

struct gwdn_module {
    uint32_t host;          /* pinned GC handle: the managed ModuleHost */
    uint32_t buf;           /* pinned GC handle: the receive buffer (byte[]), 0 if none */
    unsigned char* buf_data;
    size_t buf_cap;
    int32_t* sizes;         /* scratch: serialized size of each message of a batch */
    size_t sizes_cap;
};

static char* fmt_err(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char* s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    return s ? s : strdup("out of memory");
}

#define RESOLVE(field, name)                                         \
    do {                                                             \
        *(void**)(&mono.field) = dlsym(libmono, name);               \
        if (mono.field == NULL) {                                    \
            *err = fmt_err("%s: missing symbol %s", libpath, name);  \
            return -1;                                               \
        }                                                            \
    } while (0)

int gwdn_open(const char* libpath, char** err) {
    if (libmono != NULL) {
        return 0;
    }
    /* RTLD_GLOBAL: the runtime's own helper libraries resolve its symbols. */
    libmono = dlopen(libpath, RTLD_LAZY | RTLD_GLOBAL);
    if (libmono == NULL) {
        const char* e = dlerror();
        *err = fmt_err("cannot load %s: %s", libpath, e ? e : "unknown error");
        return -1;
    }
    RESOLVE(set_signal_chaining, "mono_set_signal_chaining");
    RESOLVE(set_dirs, "mono_set_dirs");
    RESOLVE(config_parse, "mono_config_parse");
    RESOLVE(jit_init_version, "mono_jit_init_version");
    RESOLVE(domain_assembly_open, "mono_domain_assembly_open");
    RESOLVE(assembly_get_image, "mono_assembly_get_image");
    RESOLVE(class_from_name, "mono_class_from_name");
    RESOLVE(class_get_method_from_name, "mono_class_get_method_from_name");
    RESOLVE(runtime_invoke, "mono_runtime_invoke");
    RESOLVE(array_new, "mono_array_new");
    RESOLVE(get_byte_class, "mono_get_byte_class");
    RESOLVE(get_string_class, "mono_get_string_class");
    RESOLVE(array_addr_with_size, "mono_array_addr_with_size");
    RESOLVE(gchandle_new, "mono_gchandle_new");
    RESOLVE(gchandle_free, "mono_gchandle_free");
    RESOLVE(gchandle_get_target, "mono_gchandle_get_target");
    RESOLVE(thread_attach, "mono_thread_attach");
    RESOLVE(add_internal_call, "mono_add_internal_call");
    RESOLVE(string_new, "mono_string_new");
    RESOLVE(string_to_utf8, "mono_string_to_utf8");
    RESOLVE(free, "mono_free");
    RESOLVE(object_get_class, "mono_object_get_class");
    RESOLVE(object_to_string, "mono_object_to_string");
    RESOLVE(enter_gc_unsafe, "mono_threads_enter_gc_unsafe_region");
    RESOLVE(exit_gc_unsafe, "mono_threads_exit_gc_unsafe_region");
    RESOLVE(enter_gc_safe_unbalanced, "mono_threads_enter_gc_safe_region_unbalanced");
    return 0;
}

/* ---- the foreign-thread queue ----
 *
 * Threads the runtime made (timers, tasks, module threads, the finalizer) never call
 * into Go: under hybrid suspend the runtime stops every attached thread with a signal
 * during a collection, and a runtime thread entering Go for the first time waits for
 * one of Go's spare Ms with signals blocked; if the thread that would make more Ms is
 * the one stopped, neither side can move (observed: a deadlock within seconds under
 * load in a c-shared build). Their publishes and log lines are queued here instead and
 * a Go goroutine (on a thread unknown to the runtime) drains them in order. Threads
 * made by Go (the runtime thread and the workers) call Go directly. */

#define GWDN_QUEUE_CAP 65536

static struct {
    pthread_mutex_t mu;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    gwdn_item ring[GWDN_QUEUE_CAP];
    size_t head, count;
    int taker_waiting, pushers_waiting;
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, 0, 0, 0, 0};

void gwdn_queue_push(const gwdn_item* it) {
    pthread_mutex_lock(&q.mu);
    while (q.count == GWDN_QUEUE_CAP) {
        q.pushers_waiting++;
        pthread_cond_wait(&q.not_full, &q.mu);
        q.pushers_waiting--;
    }
    q.ring[(q.head + q.count) % GWDN_QUEUE_CAP] = *it;
    q.count++;
    if (q.taker_waiting) {
        pthread_cond_signal(&q.not_empty);
    }
    pthread_mutex_unlock(&q.mu);
}

int gwdn_queue_take(gwdn_item* out, int max) {
    pthread_mutex_lock(&q.mu);
    while (q.count == 0) {
        q.taker_waiting = 1;
        pthread_cond_wait(&q.not_empty, &q.mu);
        q.taker_waiting = 0;
    }
    int n = 0;
    while (n < max && q.count > 0) {
        out[n++] = q.ring[q.head];
        q.head = (q.head + 1) % GWDN_QUEUE_CAP;
        q.count--;
    }
    if (q.pushers_waiting) {
        pthread_cond_broadcast(&q.not_full);
    }
    pthread_mutex_unlock(&q.mu);
    return n;
}

/* ---- internal calls (managed -> gateway) ---- */

/* NativeMethods.Publish(long module, byte* data, int length). Runs on any managed
 * thread, inside the runtime's GC-safe icall wrapper; data is pinned by the caller
 * (fixed) and copied here. */
static int32_t icall_publish(int64_t module, const unsigned char* data, int32_t length) {
    if (data == NULL || length < 14) {
        return GWDN_PUBLISH_MALFORMED;
    }
    MESSAGE_HANDLE msg = Message_CreateFromByteArray(data, length);
    if (msg == NULL) {
        return GWDN_PUBLISH_MALFORMED;
    }
    if (!tls_attached) {
        /* A thread the runtime made: the queue takes over the message reference. */
        gwdn_item it = {GWDN_ITEM_PUBLISH, 0, module, (uintptr_t)msg, NULL, 0};
        gwdn_queue_push(&it);
        return GWDN_PUBLISH_OK;
    }
    int rc = gwdnGoPublish(module, (uintptr_t)msg, tls_in_receive > 0);
    Message_Destroy(msg);
    return rc;
}

/* NativeMethods.LogText(long module, int level, byte* text, int length). */
static void icall_log(int64_t module, int32_t level, const char* text, int32_t length) {
    if (text == NULL || length < 0) {
        length = 0;
    }
    if (!tls_attached) {
        char* copy = malloc((size_t)length + 1);
        if (copy == NULL) {
            return;
        }
        if (length > 0) {
            memcpy(copy, text, (size_t)length);
        }
        copy[length] = 0;
        gwdn_item it = {GWDN_ITEM_LOG, level, module, 0, copy, length};
        gwdn_queue_push(&it);
        return;
    }
    gwdnGoLog(module, level, (char*)(length > 0 ? text : ""), length);
}

/* ---- helpers (call with the thread GC-unsafe) ---- */

static char* string_dup(MonoString* s) {
    char* u = mono.string_to_utf8(s);
    char* r = strdup(u ? u : "");
    if (u) {
        mono.free(u);
    }
    return r;
}

static char* exception_text(MonoObject* exc) {
    MonoObject* exc2 = NULL;
    MonoString* s = mono.object_to_string(exc, &exc2);
    if (s == NULL || exc2 != NULL) {
        return strdup("managed exception (its ToString failed)");
    }
    return string_dup(s);
}

/* Invokes m; returns 0 when the result is null, 1 with *result otherwise, -1 with *err
 * when it threw. A string result is an error text from the managed host: -1. */
static int invoke(MonoMethod* m, void* obj, void** args, MonoObject** result, char** err) {
    MonoObject* exc = NULL;
    MonoObject* r = mono.runtime_invoke(m, obj, args, &exc);
    if (exc != NULL) {
        *err = exception_text(exc);
        return -1;
    }
    if (r == NULL) {
        return 0;
    }
    if (mono.object_get_class(r) == string_class) {
        *err = string_dup((MonoString*)r);
        return -1;
    }
    if (result) {
        *result = r;
    }
    return 1;
}

static MonoMethod* find_method(MonoClass* k, const char* cls, const char* name, int nargs, char** err) {
    MonoMethod* m = mono.class_get_method_from_name(k, name, nargs);
    if (m == NULL) {
        *err = fmt_err("binding assembly: method %s.%s/%d not found", cls, name, nargs);
    }
    return m;
}

int gwdn_fix_signal_stacks(void) {
    int fixed = 0;
    for (int sig = 1; sig < 65; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            continue;
        }
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) {
            continue;
        }
        if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK)) {
            continue;
        }
        sa.sa_flags |= SA_ONSTACK;
        if (sigaction(sig, &sa, NULL) == 0) {
            fixed++;
        }
    }
    return fixed;
}

/* Leaves the calling (attached) thread GC-safe, whatever state it is in: a balanced
 * enter/exit of GC-unsafe returns a cookie only when the thread was GC-safe (and then
 * restores that); a thread that was running is switched explicitly. */
static void make_gc_safe(void) {
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    if (cookie != NULL) {
        mono.exit_gc_unsafe(cookie, &sd);
        return;
    }
    void* sd2;
    mono.enter_gc_safe_unbalanced(&sd2);
}

/* Restores the alternate signal stack saved in *saved if the runtime changed it. */
static void restore_altstack(const stack_t* saved) {
    stack_t now;
    if (sigaltstack(NULL, &now) != 0) {
        return;
    }
    if (now.ss_sp != saved->ss_sp || now.ss_size != saved->ss_size || now.ss_flags != saved->ss_flags) {
        stack_t s = *saved;
        s.ss_flags &= ~SS_ONSTACK;
        sigaltstack(&s, NULL);
    }
}

int gwdn_start(const char* assembly_dir, const char* config_dir, int park_unhandled,
               const char* binding_dll, char** err) {
    if (libmono == NULL) {
        *err = strdup("runtime library not loaded");
        return -1;
    }
    if (domain != NULL) {
        return 0;
    }
    /* Go owns every real-time signal; the runtime needs three free ones. */
    for (int sig = 35; sig <= 37; sig++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
    }
    /* Faults outside managed code go on to the handlers installed before (Go's). */
    mono.set_signal_chaining(1);
    mono.set_dirs(assembly_dir, config_dir);
    mono.config_parse(NULL);

    stack_t saved;
    int have_saved = sigaltstack(NULL, &saved) == 0;
    MonoDomain* d = mono.jit_init_version("edgev1-gateway", "v4.0.30319");
    if (have_saved) {
        restore_altstack(&saved);
    }
    gwdn_fix_signal_stacks();
    if (d == NULL) {
        *err = strdup("mono_jit_init_version failed");
        return -1;
    }
    domain = d;
    tls_attached = 1;

    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    int rc = -1;
    byte_class = mono.get_byte_class();
    string_class = mono.get_string_class();
    mono.add_internal_call("Microsoft.Azure.IoT.Gateway.NativeMethods::Publish", (const void*)icall_publish);
    mono.add_internal_call("Microsoft.Azure.IoT.Gateway.NativeMethods::LogText", (const void*)icall_log);

    MonoAssembly* a = mono.domain_assembly_open(d, binding_dll);
    if (a == NULL) {
        *err = fmt_err("cannot load the binding assembly %s", binding_dll);
        goto out;
    }
    MonoImage* img = mono.assembly_get_image(a);
    MonoClass* host = mono.class_from_name(img, "Microsoft.Azure.IoT.Gateway", "NativeHost");
    MonoClass* mod = mono.class_from_name(img, "Microsoft.Azure.IoT.Gateway", "ModuleHost");
    if (host == NULL || mod == NULL) {
        *err = fmt_err("%s is not the gateway's binding assembly (no NativeHost/ModuleHost)", binding_dll);
        goto out;
    }
    if (!(m_initialize = find_method(host, "NativeHost", "Initialize", 1, err)) ||
        !(m_add_search_dir = find_method(host, "NativeHost", "AddSearchDirectory", 1, err)) ||
        !(m_check_type = find_method(host, "NativeHost", "CheckType", 2, err)) ||
        !(m_create = find_method(host, "NativeHost", "CreateModule", 5, err)) ||
        !(m_start = find_method(mod, "ModuleHost", "Start", 0, err)) ||
        !(m_receive = find_method(mod, "ModuleHost", "Receive", 2, err)) ||
        !(m_destroy = find_method(mod, "ModuleHost", "Destroy", 0, err))) {
        goto out;
    }
    int32_t park = park_unhandled ? 1 : 0;
    void* init_args[1] = {&park};
    if (invoke(m_initialize, NULL, init_args, NULL, err) < 0) {
        goto out;
    }
    rc = 0;
out:
    mono.exit_gc_unsafe(cookie, &sd);
    gwdn_fix_signal_stacks();
    /* This thread now runs Go code: leave it GC-safe so the runtime never has to stop it. */
    make_gc_safe();
    return rc;
}

int gwdn_attach_thread(char** err) {
    if (tls_attached) {
        return 0;
    }
    if (domain == NULL) {
        *err = strdup("runtime not started");
        return -1;
    }
    stack_t saved;
    int have_saved = sigaltstack(NULL, &saved) == 0;
    MonoThread* t = mono.thread_attach(domain);
    if (have_saved) {
        restore_altstack(&saved);
    }
    if (t == NULL) {
        *err = strdup("mono_thread_attach failed");
        return -1;
    }
    tls_attached = 1;
    make_gc_safe();
    return 0;
}

int gwdn_thread_attached(void) { return tls_attached; }

int gwdn_is_main_thread(void) { return gettid() == getpid(); }

#define REQUIRE_ATTACHED()                                                   \
    do {                                                                     \
        if (!tls_attached) {                                                 \
            *err = strdup("internal error: thread not attached to the runtime"); \
            return -1;                                                       \
        }                                                                    \
    } while (0)

int gwdn_add_search_dir(const char* dir, char** err) {
    REQUIRE_ATTACHED();
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    void* args[1] = {mono.string_new(domain, dir)};
    int rc = invoke(m_add_search_dir, NULL, args, NULL, err) < 0 ? -1 : 0;
    mono.exit_gc_unsafe(cookie, &sd);
    return rc;
}

int gwdn_check_type(const char* assembly, const char* type, char** err) {
    REQUIRE_ATTACHED();
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    void* args[2];
    args[0] = mono.string_new(domain, assembly);
    args[1] = mono.string_new(domain, type);
    int rc = invoke(m_check_type, NULL, args, NULL, err) < 0 ? -1 : 0;
    mono.exit_gc_unsafe(cookie, &sd);
    gwdn_fix_signal_stacks();
    return rc;
}

int gwdn_create(int64_t id, const char* name, const char* assembly, const char* type,
                const unsigned char* cfg, size_t cfglen, int has_cfg, gwdn_module** out,
                char** err) {
    REQUIRE_ATTACHED();
    gwdn_module* m = calloc(1, sizeof *m);
    if (m == NULL) {
        *err = strdup("out of memory");
        return -1;
    }
    int rc = -1;
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    /* Locals below point at managed objects; the thread is GC-unsafe, so its stack is
     * scanned (and the objects pinned) if a collection happens meanwhile. */
    MonoArray* config = NULL;
    if (has_cfg) {
        config = mono.array_new(domain, byte_class, cfglen);
        if (config == NULL) {
            *err = strdup("cannot allocate the configuration array");
            goto out;
        }
        if (cfglen > 0) {
            memcpy(mono.array_addr_with_size(config, 1, 0), cfg, cfglen);
        }
    }
    void* args[5];
    args[0] = &id;
    args[1] = mono.string_new(domain, name);
    args[2] = mono.string_new(domain, assembly);
    args[3] = mono.string_new(domain, type);
    args[4] = config;
    MonoObject* host = NULL;
    int r = invoke(m_create, NULL, args, &host, err);
    if (r < 0) {
        goto out;
    }
    if (r == 0 || host == NULL) {
        *err = strdup("the binding returned no module");
        goto out;
    }
    m->host = mono.gchandle_new(host, 1);
    rc = 0;
out:
    mono.exit_gc_unsafe(cookie, &sd);
    gwdn_fix_signal_stacks();
    if (rc == 0) {
        *out = m;
    } else {
        free(m);
    }
    return rc;
}

int gwdn_module_start(gwdn_module* m, char** err) {
    REQUIRE_ATTACHED();
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    int rc = invoke(m_start, mono.gchandle_get_target(m->host), NULL, NULL, err) < 0 ? -1 : 0;
    mono.exit_gc_unsafe(cookie, &sd);
    gwdn_fix_signal_stacks();
    return rc;
}

/* Makes the receive buffer at least need bytes. Call GC-unsafe. */
static int ensure_buffer(gwdn_module* m, size_t need, char** err) {
    if (m->buf_cap >= need) {
        return 0;
    }
    size_t cap = m->buf_cap * 2;
    if (cap < GWDN_MIN_BUFFER) {
        cap = GWDN_MIN_BUFFER;
    }
    if (cap < need) {
        cap = need;
    }
    if (cap > INT32_MAX) {
        cap = INT32_MAX;
    }
    MonoArray* a = mono.array_new(domain, byte_class, cap);
    if (a == NULL) {
        *err = fmt_err("cannot allocate a %zu-byte receive buffer", cap);
        return -1;
    }
    uint32_t h = mono.gchandle_new((MonoObject*)a, 1);
    if (m->buf != 0) {
        mono.gchandle_free(m->buf);
    }
    m->buf = h;
    m->buf_data = (unsigned char*)mono.array_addr_with_size(a, 1, 0);
    m->buf_cap = cap;
    return 0;
}

int gwdn_module_receive(gwdn_module* m, const uintptr_t* msgs, size_t n, char** err) {
    REQUIRE_ATTACHED();
    if (n == 0) {
        return 0;
    }
    if (m->sizes_cap < n) {
        int32_t* s = realloc(m->sizes, n * sizeof *s);
        if (s == NULL) {
            *err = strdup("out of memory");
            return -1;
        }
        m->sizes = s;
        m->sizes_cap = n;
    }
    int rc = 0;
    size_t i = 0;
    while (i < n && rc == 0) {
        /* One chunk: as many messages as fit in GWDN_CHUNK_BYTES (at least one). */
        size_t total = 0, j = i;
        for (; j < n; j++) {
            int32_t s = Message_ToByteArray((MESSAGE_HANDLE)msgs[j], NULL, 0);
            if (s < 14) {
                s = 0; /* cannot be serialized: skipped */
            }
            if (j > i && total + (size_t)s > GWDN_CHUNK_BYTES) {
                break;
            }
            m->sizes[j] = s;
            total += (size_t)s;
        }
        if (total > INT32_MAX) {
            *err = strdup("batch too large");
            return -1;
        }
        void* sd;
        void* cookie = mono.enter_gc_unsafe(&sd);
        if (ensure_buffer(m, total, err) == 0) {
            /* The buffer is pinned: filling it needs no further care. */
            size_t off = 0;
            for (size_t k = i; k < j; k++) {
                int32_t s = m->sizes[k];
                if (s == 0) {
                    continue;
                }
                if (Message_ToByteArray((MESSAGE_HANDLE)msgs[k], m->buf_data + off, s) != s) {
                    continue;
                }
                off += (size_t)s;
            }
            int32_t len = (int32_t)off;
            void* args[2];
            args[0] = mono.gchandle_get_target(m->buf);
            args[1] = &len;
            tls_in_receive++;
            if (invoke(m_receive, mono.gchandle_get_target(m->host), args, NULL, err) < 0) {
                rc = -1;
            }
            tls_in_receive--;
        } else {
            rc = -1;
        }
        mono.exit_gc_unsafe(cookie, &sd);
        i = j;
    }
    return rc;
}

int gwdn_module_destroy(gwdn_module* m, char** err) {
    REQUIRE_ATTACHED();
    void* sd;
    void* cookie = mono.enter_gc_unsafe(&sd);
    int rc = invoke(m_destroy, mono.gchandle_get_target(m->host), NULL, NULL, err) < 0 ? -1 : 0;
    mono.gchandle_free(m->host);
    if (m->buf != 0) {
        mono.gchandle_free(m->buf);
    }
    mono.exit_gc_unsafe(cookie, &sd);
    free(m->sizes);
    free(m);
    return rc;
}
