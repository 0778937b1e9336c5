/*
 * Node bridge: loading libnode, running node::Start, posting work to the Node thread,
 * and keeping Go's signal handlers in place. See gwn.h.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gwn_internal.h"

gwn_napi_table gwn_napi;
pthread_mutex_t gwn_mu = PTHREAD_MUTEX_INITIALIZER;
napi_threadsafe_function gwn_tsfn;
int gwn_state;

static void *gwn_lib;
static void gwn_atexit(void);
static int (*gwn_node_start)(int argc, char **argv);
/* v8::TryHandleWebAssemblyTrapPosix(int, siginfo_t*, void*): true when the fault was a
 * WebAssembly bounds-check trap that V8 handled. Optional. */
static _Bool (*gwn_v8_wasm_trap)(int sig, siginfo_t *info, void *uc);

static gwn_napi_module gwn_module = {
    1,                 /* nm_version (NAPI_MODULE_VERSION) */
    0,                 /* nm_flags */
    "edgev1-gateway",  /* nm_filename */
    gwn_addon_init,    /* nm_register_func */
    "edgev1_gateway",  /* nm_modname: process._linkedBinding("edgev1_gateway") */
    NULL,
    {NULL, NULL, NULL, NULL},
};

gwn_item *gwn_item_new(int32_t op, uint32_t module, uint32_t req, size_t len)
{
    gwn_item *it = malloc(sizeof(gwn_item) + len);
    if (it == NULL) {
        return NULL;
    }
    it->op = op;
    it->module = module;
    it->req = req;
    it->pad = 0;
    it->len = len;
    return it;
}

#define GWN_SYM(name) {#name, offsetof(gwn_napi_table, name)}

static const struct {
    const char *name;
    size_t offset;
} gwn_syms[] = {
    GWN_SYM(napi_module_register),
    GWN_SYM(napi_create_function),
    GWN_SYM(napi_set_named_property),
    GWN_SYM(napi_get_cb_info),
    GWN_SYM(napi_get_undefined),
    GWN_SYM(napi_get_global),
    GWN_SYM(napi_get_boolean),
    GWN_SYM(napi_create_uint32),
    GWN_SYM(napi_get_value_uint32),
    GWN_SYM(napi_get_value_int32),
    GWN_SYM(napi_create_string_utf8),
    GWN_SYM(napi_get_typedarray_info),
    GWN_SYM(napi_create_buffer_copy),
    GWN_SYM(napi_throw_error),
    GWN_SYM(napi_is_exception_pending),
    GWN_SYM(napi_get_and_clear_last_exception),
    GWN_SYM(napi_coerce_to_string),
    GWN_SYM(napi_get_value_string_utf8),
    GWN_SYM(napi_async_init),
    GWN_SYM(napi_make_callback),
    GWN_SYM(napi_create_threadsafe_function),
    GWN_SYM(napi_call_threadsafe_function),
    GWN_SYM(napi_release_threadsafe_function),
};

int gwn_load(const char *path, char *err, size_t errlen)
{
    static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
    int rc = -1;
    pthread_mutex_lock(&load_mu);
    if (gwn_lib != NULL) {
        pthread_mutex_unlock(&load_mu);
        return 0;
    }
    /* RTLD_GLOBAL: native addons that JS modules require resolve napi_* from it. */
    void *lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(err, errlen, "dlopen: %s", e ? e : "unknown error");
        goto out;
    }
    void *start = dlsym(lib, "_ZN4node5StartEiPPc");
    if (start == NULL) {
        snprintf(err, errlen, "%s does not export node::Start(int, char**)", path);
        dlclose(lib);
        goto out;
    }
    gwn_napi_table t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < sizeof gwn_syms / sizeof gwn_syms[0]; i++) {
        void *s = dlsym(lib, gwn_syms[i].name);
        if (s == NULL) {
            snprintf(err, errlen, "%s does not export %s (Node-API 8 or later is needed)", path,
                     gwn_syms[i].name);
            dlclose(lib);
            goto out;
        }
        memcpy((char *)&t + gwn_syms[i].offset, &s, sizeof s);
    }
    gwn_napi = t;
    memcpy(&gwn_node_start, &start, sizeof start);
    void *trap = dlsym(lib, "_ZN2v826TryHandleWebAssemblyTrapPosixEiP9siginfo_tPv");
    memcpy(&gwn_v8_wasm_trap, &trap, sizeof trap);
    /* Before node::Start this makes the addon a linked binding. */
    gwn_napi.napi_module_register(&gwn_module);
    gwn_lib = lib;
    /* Registered after libnode's own exit-time destructors, so it runs before them. */
    atexit(gwn_atexit);
    rc = 0;
out:
    pthread_mutex_unlock(&load_mu);
    return rc;
}

/* ---- signals ----------------------------------------------------------------------- */

#define GWN_NSIG 65
static struct sigaction gwn_saved[GWN_NSIG];
static char gwn_saved_ok[GWN_NSIG];

static void gwn_save_signals(void)
{
    for (int s = 1; s < GWN_NSIG; s++) {
        gwn_saved_ok[s] = s != SIGKILL && s != SIGSTOP && sigaction(s, NULL, &gwn_saved[s]) == 0;
    }
}

/* SIGSEGV: V8's WebAssembly trap handler first, then the handler that was there before
 * Node started (Go's). Runs on the alternate signal stack (SA_ONSTACK). */
static void gwn_segv_chain(int sig, siginfo_t *info, void *uc)
{
    if (gwn_v8_wasm_trap != NULL && gwn_v8_wasm_trap(sig, info, uc)) {
        return;
    }
    struct sigaction *prev = &gwn_saved[sig];
    if (prev->sa_flags & SA_SIGINFO) {
        prev->sa_sigaction(sig, info, uc);
    } else if (prev->sa_handler == SIG_IGN) {
        return;
    } else if (prev->sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else {
        prev->sa_handler(sig);
    }
}

void gwn_restore_go_signals(void)
{
    for (int s = 1; s < GWN_NSIG; s++) {
        if (!gwn_saved_ok[s] || s == SIGPIPE) {
            continue; /* SIGPIPE stays ignored: Node expects EPIPE from writes */
        }
        struct sigaction act = gwn_saved[s];
        if (s == SIGSEGV && gwn_v8_wasm_trap != NULL) {
            act.sa_sigaction = gwn_segv_chain;
            act.sa_flags |= SA_SIGINFO | SA_ONSTACK;
        } else if (act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN) {
            act.sa_flags |= SA_ONSTACK;
        }
        sigaction(s, &act, NULL);
    }
}

/* ---- running -------------------------------------------------------------------------- */

/* Set while node::Start runs; gwn_finished is signalled when it returns. */
static pthread_cond_t gwn_finished = PTHREAD_COND_INITIALIZER;
static int gwn_node_running;
static pthread_t gwn_node_thread;

int gwn_run(int argc, char **argv)
{
    if (gwn_node_start == NULL) {
        return -1;
    }
    pthread_mutex_lock(&gwn_mu);
    gwn_node_running = 1;
    gwn_node_thread = pthread_self();
    pthread_mutex_unlock(&gwn_mu);
    gwn_save_signals();
    int rc = gwn_node_start(argc, argv);
    pthread_mutex_lock(&gwn_mu);
    gwn_state = 2;
    gwn_node_running = 0;
    pthread_cond_broadcast(&gwn_finished);
    pthread_mutex_unlock(&gwn_mu);
    return rc;
}

/* At process exit (a C host returning from main), stop Node before libnode's static
 * destructors run under its running thread: post "quit" and wait up to 5 s. Go's
 * os.Exit does not run atexit handlers; Go programs call Shutdown instead. */
static void gwn_atexit(void)
{
    pthread_mutex_lock(&gwn_mu);
    int wait = gwn_node_running && !pthread_equal(gwn_node_thread, pthread_self());
    pthread_mutex_unlock(&gwn_mu);
    if (!wait) {
        return;
    }
    gwn_item *it = gwn_item_new(GWN_OP_QUIT, 0, 0, 0);
    if (it != NULL && gwn_post(it) != 0) {
        free(it);
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&gwn_mu);
    while (gwn_node_running) {
        if (pthread_cond_timedwait(&gwn_finished, &gwn_mu, &deadline) != 0) {
            break;
        }
    }
    pthread_mutex_unlock(&gwn_mu);
}

void gwn_fix_onstack(void)
{
    for (int s = 1; s < GWN_NSIG; s++) {
        struct sigaction act;
        if (s == SIGKILL || s == SIGSTOP || s == SIGPIPE || sigaction(s, NULL, &act) != 0) {
            continue;
        }
        if (act.sa_handler == SIG_DFL && gwn_saved_ok[s] && gwn_saved[s].sa_handler != SIG_DFL &&
            gwn_saved[s].sa_handler != SIG_IGN && s != SIGSEGV) {
            /* libuv resets a signal to SIG_DFL when it stops watching it: give it back. */
            sigaction(s, &gwn_saved[s], NULL);
        } else if (act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN && !(act.sa_flags & SA_ONSTACK)) {
            act.sa_flags |= SA_ONSTACK;
            sigaction(s, &act, NULL);
        }
    }
}

int gwn_post(gwn_item *it)
{
    int rc = -1;
    pthread_mutex_lock(&gwn_mu);
    if (gwn_state == 1 &&
        gwn_napi.napi_call_threadsafe_function(gwn_tsfn, it, GWN_NAPI_TSFN_NONBLOCKING) == GWN_NAPI_OK) {
        rc = 0;
    }
    pthread_mutex_unlock(&gwn_mu);
    return rc;
}

int gwn_post_bytes(int32_t op, uint32_t module, uint32_t req, const void *p, size_t n)
{
    gwn_item *it = gwn_item_new(op, module, req, n);
    if (it == NULL) {
        return -2;
    }
    if (n > 0) {
        memcpy(it->data, p, n);
    }
    if (gwn_post(it) != 0) {
        free(it);
        return -1;
    }
    return 0;
}
