/*
 * jni_bridge.c: the C side of the gateway's JVM binding (see jni_bridge.h for the conventions).
 *
 * JNI is reached through the function tables by slot number (jni_min.h); libjvm.so is dlopen'ed at run time,
 * never linked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jni_min.h"
#include "jni_bridge.h"
#include "_cgo_export.h"

/* ---- typed access to the function tables --------------------------------------------------------------- */

typedef jclass (*FindClass_t)(JNIEnv *, const char *);
typedef jthrowable (*ExceptionOccurred_t)(JNIEnv *);
typedef void (*ExceptionClear_t)(JNIEnv *);
typedef jint (*PushLocalFrame_t)(JNIEnv *, jint);
typedef jobject (*PopLocalFrame_t)(JNIEnv *, jobject);
typedef jobject (*NewGlobalRef_t)(JNIEnv *, jobject);
typedef void (*DeleteGlobalRef_t)(JNIEnv *, jobject);
typedef void (*DeleteLocalRef_t)(JNIEnv *, jobject);
typedef jmethodID (*GetStaticMethodID_t)(JNIEnv *, jclass, const char *, const char *);
typedef jobject (*CallStaticObjectMethodA_t)(JNIEnv *, jclass, jmethodID, const jvalue *);
typedef jint (*CallStaticIntMethodA_t)(JNIEnv *, jclass, jmethodID, const jvalue *);
typedef void (*CallStaticVoidMethodA_t)(JNIEnv *, jclass, jmethodID, const jvalue *);
typedef jsize (*GetArrayLength_t)(JNIEnv *, jarray);
typedef jbyteArray (*NewByteArray_t)(JNIEnv *, jsize);
typedef void (*GetByteArrayRegion_t)(JNIEnv *, jbyteArray, jsize, jsize, jbyte *);
typedef void (*SetByteArrayRegion_t)(JNIEnv *, jbyteArray, jsize, jsize, const jbyte *);
typedef jint (*RegisterNatives_t)(JNIEnv *, jclass, const JNINativeMethod *, jint);
typedef jboolean (*ExceptionCheck_t)(JNIEnv *);

#define J(env, fn) ((fn##_t)((*(env))[GW_JNI_##fn]))

typedef jint (*AttachCurrentThreadAsDaemon_t)(JavaVM *, void **, void *);
typedef jint (*AttachCurrentThread_t)(JavaVM *, void **, void *);
typedef jint (*DetachCurrentThread_t)(JavaVM *);
typedef jint (*GetEnv_t)(JavaVM *, void **, jint);

#define V(vm, fn) ((fn##_t)((*(vm))[GW_JVM_##fn]))

/* ---- process-wide state (written once by gw_jvm_create on the JVM thread, read-only afterwards) -------- */

#define HOST_CLASS "com/microsoft/azure/gateway/core/ModuleHost"
#define HOST_PROTOCOL 1

static void *g_libjvm;
static JavaVM *g_vm;
static jint g_version;
static jclass g_host; /* global ref */
static jmethodID g_mid_version, g_mid_create, g_mid_start, g_mid_receive, g_mid_destroy, g_mid_describe;

/* Non-zero while this thread is inside ModuleHost.receive (a publish from it must not block). */
static __thread int gw_in_receive_depth;

/* ---- helpers ---------------------------------------------------------------------------------------------- */

static char *dup_msg(size_t *len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    if (len) {
        *len = s ? strlen(s) : 0;
    }
    return s;
}

/* Copies a Java byte[] into a malloc'd, NUL-terminated buffer. */
static char *copy_bytes(JNIEnv *env, jbyteArray arr, size_t *len) {
    jsize n = J(env, GetArrayLength)(env, arr);
    char *out = malloc((size_t)n + 1);
    if (!out) {
        return NULL;
    }
    J(env, GetByteArrayRegion)(env, arr, 0, n, (jbyte *)out);
    out[n] = 0;
    if (len) {
        *len = (size_t)n;
    }
    return out;
}

/* Clears the pending exception and returns its stack trace (malloc'd). */
static char *take_exception(JNIEnv *env, size_t *len) {
    jthrowable t = J(env, ExceptionOccurred)(env);
    J(env, ExceptionClear)(env);
    char *out = NULL;
    if (t && g_mid_describe) {
        jvalue a[1];
        a[0].l = t;
        jbyteArray arr = J(env, CallStaticObjectMethodA)(env, g_host, g_mid_describe, a);
        if (J(env, ExceptionCheck)(env)) {
            J(env, ExceptionClear)(env);
            arr = NULL;
        }
        if (arr) {
            out = copy_bytes(env, arr, len);
            J(env, DeleteLocalRef)(env, arr);
        }
    }
    if (t) {
        J(env, DeleteLocalRef)(env, t);
    }
    if (!out) {
        out = dup_msg(len, "a Java exception was thrown (its stack trace could not be obtained)");
    }
    return out;
}

/* A new local byte[] holding data[0, n), or NULL with an exception pending. */
static jbyteArray new_bytes(JNIEnv *env, const char *data, jint n) {
    jbyteArray a = J(env, NewByteArray)(env, n);
    if (a && n > 0) {
        J(env, SetByteArrayRegion)(env, a, 0, n, (const jbyte *)data);
    }
    return a;
}

static const char *jni_error_name(int rc) {
    switch (rc) {
    case JNI_ERR: return "JNI_ERR (unknown error; see the JVM's messages on stderr)";
    case JNI_EDETACHED: return "JNI_EDETACHED (thread detached)";
    case JNI_EVERSION: return "JNI_EVERSION (JNI version not supported by this JVM)";
    case JNI_ENOMEM: return "JNI_ENOMEM (not enough memory)";
    case JNI_EEXIST: return "JNI_EEXIST (a JVM already exists)";
    case JNI_EINVAL: return "JNI_EINVAL (invalid arguments; see the JVM's messages on stderr)";
    default: return "unknown JNI error";
    }
}

/* ---- the native method: Java -> Go ---------------------------------------------------------------------- */

/*
 * ModuleHost.publish(long broker, long module, byte[] message): copies the message into C memory (stack for
 * small ones) and hands it to Go (gwJvmPublish), which copies it again into a gateway message. Runs on any Java
 * thread, or on a module thread inside a receive.
 */
static jint gw_native_publish(JNIEnv *env, jclass cls, jlong broker, jlong module, jbyteArray msg) {
    (void)cls;
    (void)broker;
    if (!msg) {
        return 4; /* BROKER_INVALIDARG */
    }
    jsize n = J(env, GetArrayLength)(env, msg);
    char stackbuf[2048];
    char *p = (size_t)n <= sizeof stackbuf ? stackbuf : malloc((size_t)n);
    if (!p) {
        return 1; /* BROKER_ERROR */
    }
    J(env, GetByteArrayRegion)(env, msg, 0, n, (jbyte *)p);
    int rc = gwJvmPublish((int64_t)module, p, (int32_t)n, gw_in_receive_depth > 0);
    if (p != stackbuf) {
        free(p);
    }
    return rc;
}

/* ---- JVM creation ------------------------------------------------------------------------------------------ */

static void gw_exit_hook(jint code) {
    fprintf(stderr, "gateway: the JVM is ending the process (exit code %d: System.exit in a Java module, or a fatal JVM error)\n",
            (int)code);
    fflush(stderr);
}

int gw_jvm_fix_signals(void) {
    int fixed = 0;
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0) {
            continue;
        }
        if (!(sa.sa_flags & SA_SIGINFO) && (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)) {
            continue;
        }
        if (sa.sa_flags & SA_ONSTACK) {
            continue;
        }
        sa.sa_flags |= SA_ONSTACK;
        if (sigaction(sig, &sa, NULL) == 0) {
            fixed++;
        }
    }
    return fixed;
}

static int init_host(JNIEnv *env, char **err) {
    jclass c = J(env, FindClass)(env, HOST_CLASS);
    if (!c) {
        J(env, ExceptionClear)(env);
        *err = dup_msg(NULL, "class %s not found on the JVM class path (the binding jar gateway-java-binding.jar must be on it)",
                       HOST_CLASS);
        return -101;
    }
    g_host = J(env, NewGlobalRef)(env, c);
    J(env, DeleteLocalRef)(env, c);
    struct {
        jmethodID *mid;
        const char *name, *sig;
    } m[] = {
        {&g_mid_version, "protocolVersion", "()I"},
        {&g_mid_describe, "describe", "(Ljava/lang/Throwable;)[B"},
        {&g_mid_create, "create", "([B[BJJ[B)Ljava/lang/Object;"},
        {&g_mid_start, "start", "(Ljava/lang/Object;)V"},
        {&g_mid_receive, "receive", "(Ljava/lang/Object;[BI)[B"},
        {&g_mid_destroy, "destroy", "(Ljava/lang/Object;)V"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        *m[i].mid = J(env, GetStaticMethodID)(env, g_host, m[i].name, m[i].sig);
        if (!*m[i].mid) {
            J(env, ExceptionClear)(env);
            *err = dup_msg(NULL, "%s.%s%s not found: the binding jar on the class path is not this gateway's version",
                           HOST_CLASS, m[i].name, m[i].sig);
            return -102;
        }
    }
    jint v = J(env, CallStaticIntMethodA)(env, g_host, g_mid_version, NULL);
    if (J(env, ExceptionCheck)(env)) {
        *err = take_exception(env, NULL);
        return -102;
    }
    if (v != HOST_PROTOCOL) {
        *err = dup_msg(NULL, "the binding jar speaks protocol %d, this gateway speaks %d: use the jar built with this gateway",
                       (int)v, HOST_PROTOCOL);
        return -102;
    }
    JNINativeMethod nm[1];
    nm[0].name = "publish";
    nm[0].signature = "(JJ[B)I";
    nm[0].fnPtr = (void *)gw_native_publish;
    if (J(env, RegisterNatives)(env, g_host, nm, 1) != JNI_OK) {
        *err = J(env, ExceptionCheck)(env) ? take_exception(env, NULL)
                                          : dup_msg(NULL, "RegisterNatives(%s.publish) failed", HOST_CLASS);
        return -103;
    }
    return 0;
}

int gw_jvm_create(const char *libjvm, int32_t version, const char *opts, int nopts, uintptr_t *envout, int *adopted,
                  char **err) {
    *adopted = 0;
    if (!g_libjvm) {
        g_libjvm = dlopen(libjvm, RTLD_NOW | RTLD_GLOBAL);
        if (!g_libjvm) {
            const char *e = dlerror();
            *err = dup_msg(NULL, "cannot load %s: %s", libjvm, e ? e : "unknown error");
            return -100;
        }
    }
    gw_JNI_CreateJavaVM_fn create = (gw_JNI_CreateJavaVM_fn)dlsym(g_libjvm, "JNI_CreateJavaVM");
    gw_JNI_GetCreatedJavaVMs_fn created = (gw_JNI_GetCreatedJavaVMs_fn)dlsym(g_libjvm, "JNI_GetCreatedJavaVMs");
    if (!create || !created) {
        *err = dup_msg(NULL, "%s does not export JNI_CreateJavaVM and JNI_GetCreatedJavaVMs", libjvm);
        return -100;
    }
    JavaVM *vm = NULL;
    JNIEnv *env = NULL;
    jsize n = 0;
    int rc;
    if (created(&vm, 1, &n) == JNI_OK && n > 0 && vm) {
        *adopted = 1;
        g_version = version;
        JavaVMAttachArgs aa = {version, "gateway-jvm", NULL};
        rc = V(vm, AttachCurrentThread)(vm, (void **)&env, &aa);
        if (rc != JNI_OK) {
            *err = dup_msg(NULL, "attaching to the process's existing JVM failed: %s", jni_error_name(rc));
            return rc;
        }
    } else {
        JavaVMOption *o = calloc((size_t)nopts + 1, sizeof *o);
        if (!o) {
            *err = dup_msg(NULL, "out of memory");
            return JNI_ENOMEM;
        }
        const char *p = opts;
        for (int i = 0; i < nopts; i++) {
            o[i].optionString = (char *)p;
            p += strlen(p) + 1;
        }
        o[nopts].optionString = "exit";
        o[nopts].extraInfo = (void *)gw_exit_hook;
        JavaVMInitArgs args;
        memset(&args, 0, sizeof args);
        args.version = version;
        args.nOptions = nopts + 1;
        args.options = o;
        args.ignoreUnrecognized = JNI_FALSE;
        rc = create(&vm, (void **)&env, &args);
        free(o);
        if (rc != JNI_OK) {
            *err = dup_msg(NULL, "JNI_CreateJavaVM failed: %s", jni_error_name(rc));
            return rc;
        }
        g_version = version;
    }
    g_vm = vm;
    gw_jvm_fix_signals();
    rc = init_host(env, err);
    if (rc != 0) {
        return rc;
    }
    *envout = (uintptr_t)env;
    return 0;
}

/* ---- threads ---------------------------------------------------------------------------------------------- */

int gw_jvm_attach(const char *name, uintptr_t *envout) {
    JNIEnv *env = NULL;
    JavaVMAttachArgs aa = {g_version, (char *)name, NULL};
    jint rc = V(g_vm, AttachCurrentThreadAsDaemon)(g_vm, (void **)&env, &aa);
    if (rc == JNI_OK) {
        *envout = (uintptr_t)env;
    }
    return rc;
}

int gw_jvm_detach(void) { return V(g_vm, DetachCurrentThread)(g_vm); }

/* ---- modules ---------------------------------------------------------------------------------------------- */

gw_jmod *gw_jvm_module_create(uintptr_t envp, const char *cls, int32_t clslen, const char *cp, int32_t cplen,
                              int64_t addr, int64_t broker, const char *cfg, int32_t cfglen, char **err,
                              size_t *errlen) {
    JNIEnv *env = (JNIEnv *)envp;
    gw_jmod *m = calloc(1, sizeof *m);
    if (!m) {
        *err = dup_msg(errlen, "out of memory");
        return NULL;
    }
    if (J(env, PushLocalFrame)(env, 8) != 0) {
        *err = take_exception(env, errlen);
        free(m);
        return NULL;
    }
    jvalue a[5];
    a[0].l = new_bytes(env, cls, clslen);
    a[1].l = a[0].l ? new_bytes(env, cp, cplen) : NULL;
    a[2].j = addr;
    a[3].j = broker;
    a[4].l = NULL;
    if (a[1].l && cfglen >= 0) {
        a[4].l = new_bytes(env, cfg, cfglen);
    }
    jobject obj = NULL;
    if (!J(env, ExceptionCheck)(env)) {
        obj = J(env, CallStaticObjectMethodA)(env, g_host, g_mid_create, a);
    }
    if (J(env, ExceptionCheck)(env) || !obj) {
        if (J(env, ExceptionCheck)(env)) {
            *err = take_exception(env, errlen);
        } else {
            *err = dup_msg(errlen, "ModuleHost.create returned null");
        }
        J(env, PopLocalFrame)(env, NULL);
        free(m);
        return NULL;
    }
    m->module = J(env, NewGlobalRef)(env, obj);
    J(env, PopLocalFrame)(env, NULL);
    if (!m->module) {
        *err = dup_msg(errlen, "NewGlobalRef failed (out of memory)");
        free(m);
        return NULL;
    }
    return m;
}

static int call_void(JNIEnv *env, jmethodID mid, gw_jmod *m, char **err, size_t *errlen) {
    jvalue a[1];
    a[0].l = m->module;
    J(env, CallStaticVoidMethodA)(env, g_host, mid, a);
    if (J(env, ExceptionCheck)(env)) {
        *err = take_exception(env, errlen);
        return -1;
    }
    return 0;
}

int gw_jvm_module_start(uintptr_t env, gw_jmod *m, char **err, size_t *errlen) {
    return call_void((JNIEnv *)env, g_mid_start, m, err, errlen);
}

int gw_jvm_module_destroy(uintptr_t env, gw_jmod *m, char **err, size_t *errlen) {
    return call_void((JNIEnv *)env, g_mid_destroy, m, err, errlen);
}

#define BUF_MIN (64 * 1024)
#define BUF_SHRINK_ABOVE (16 * 1024 * 1024)

int gw_jvm_module_receive(uintptr_t envp, gw_jmod *m, const void *data, int32_t len, char **err, size_t *errlen) {
    JNIEnv *env = (JNIEnv *)envp;
    if (len <= 0) {
        return 0;
    }
    if (m->cap < len || (m->cap > BUF_SHRINK_ABOVE && len < m->cap / 8)) {
        int64_t ncap = BUF_MIN;
        while (ncap < len) {
            ncap *= 2;
        }
        if (ncap > 0x7fffffff) {
            ncap = len;
        }
        jbyteArray arr = J(env, NewByteArray)(env, (jsize)ncap);
        if (!arr) {
            *err = take_exception(env, errlen);
            return -1;
        }
        jobject g = J(env, NewGlobalRef)(env, arr);
        J(env, DeleteLocalRef)(env, arr);
        if (!g) {
            *err = dup_msg(errlen, "NewGlobalRef failed (out of memory)");
            return -1;
        }
        if (m->buf) {
            J(env, DeleteGlobalRef)(env, m->buf);
        }
        m->buf = g;
        m->cap = (int32_t)ncap;
    }
    J(env, SetByteArrayRegion)(env, m->buf, 0, len, (const jbyte *)data);
    jvalue a[3];
    a[0].l = m->module;
    a[1].l = m->buf;
    a[2].i = len;
    gw_in_receive_depth++;
    jbyteArray r = J(env, CallStaticObjectMethodA)(env, g_host, g_mid_receive, a);
    gw_in_receive_depth--;
    if (J(env, ExceptionCheck)(env)) {
        *err = take_exception(env, errlen);
        return -1;
    }
    if (!r) {
        return 0;
    }
    size_t n = 0;
    char *b = copy_bytes(env, r, &n);
    J(env, DeleteLocalRef)(env, r);
    if (!b || n < 4) {
        free(b);
        *err = dup_msg(errlen, "a message's receive threw (no details)");
        return 1;
    }
    int count = (int)(((uint32_t)(unsigned char)b[0] << 24) | ((uint32_t)(unsigned char)b[1] << 16) |
                      ((uint32_t)(unsigned char)b[2] << 8) | (uint32_t)(unsigned char)b[3]);
    memmove(b, b + 4, n - 4 + 1); /* includes the NUL */
    *err = b;
    if (errlen) {
        *errlen = n - 4;
    }
    return count > 0 ? count : 1;
}

void gw_jvm_module_free(uintptr_t envp, gw_jmod *m) {
    JNIEnv *env = (JNIEnv *)envp;
    if (!m) {
        return;
    }
    if (m->buf) {
        J(env, DeleteGlobalRef)(env, m->buf);
    }
    if (m->module) {
        J(env, DeleteGlobalRef)(env, m->module);
    }
    free(m);
}

const char *gw_jvm_self_path(void) {
    Dl_info info;
    if (dladdr((void *)gw_jvm_self_path, &info) == 0 || !info.dli_fname) {
        return NULL;
    }
    return info.dli_fname;
}

int gw_jvm_on_main_thread(void) { return (pid_t)syscall(SYS_gettid) == getpid(); }
