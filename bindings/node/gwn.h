/*
 * The gateway's Node bridge, C side: loads libnode, runs node::Start on the calling
 * thread, and implements the N-API addon that the bootstrap script uses
 * (process._linkedBinding("edgev1_gateway")).
 *
 * Threading: gwn_load and gwn_post may be called from any thread. gwn_run blocks the
 * calling thread for the life of the Node instance (one per process). Everything named
 * gwn_js_* runs on the Node thread.
 */
#ifndef GWN_H
#define GWN_H

#include <stddef.h>
#include <stdint.h>

/* Operations posted from Go to JS. The numbers are shared with bootstrap.js. */
enum {
    GWN_OP_CREATE = 1,  /* payload: JSON {"name","path","args"}; replies */
    GWN_OP_START = 2,   /* replies */
    GWN_OP_RECEIVE = 3, /* payload: concatenated serialized messages; no reply */
    GWN_OP_DESTROY = 4, /* replies */
    GWN_OP_CHECK = 5,   /* payload: file path; replies */
    GWN_OP_QUIT = 6     /* no reply; node::Start returns once the loop is empty */
};

/*
 * One posted operation.
 * Memory: allocated by Go with malloc (gwn_item_new); ownership passes to the bridge when
 * gwn_post returns 0, and the bridge frees it on the Node thread after the call (or when
 * the threadsafe function is torn down). When gwn_post fails the caller still owns it.
 */
typedef struct gwn_item {
    int32_t op;
    uint32_t module;
    uint32_t req;
    uint32_t pad;
    size_t len;
    unsigned char data[];
} gwn_item;

/* gwn_item_new allocates an item with room for len payload bytes (NULL when out of memory). */
gwn_item *gwn_item_new(int32_t op, uint32_t module, uint32_t req, size_t len);

/*
 * gwn_load dlopens libnode (RTLD_NOW | RTLD_GLOBAL), resolves node::Start and the N-API
 * functions, and registers the addon as a linked binding. Idempotent once it succeeded.
 * Returns 0, or -1 with a message in err (NUL-terminated, at most errlen bytes).
 */
int gwn_load(const char *path, char *err, size_t errlen);

/*
 * gwn_run saves every signal disposition, then calls node::Start(argc, argv) on the
 * calling thread and returns its exit code when the event loop ends.
 * Memory: argv and its strings stay owned by the caller and must stay valid until
 * gwn_run returns (libuv reuses the block for process.title); the strings must be laid
 * out contiguously after argv[0].
 */
int gwn_run(int argc, char **argv);

/* gwn_post queues it for the Node thread. Returns 0 (ownership passed) or -1 when the
 * bridge is not accepting work (not started yet, or shut down). */
int gwn_post(gwn_item *it);

/*
 * gwn_post_bytes allocates an item, copies n bytes from p into it and posts it.
 * Returns 0, -1 when the bridge is not accepting work, -2 when out of memory.
 * Memory: p is only read during the call.
 */
int gwn_post_bytes(int32_t op, uint32_t module, uint32_t req, const void *p, size_t n);

/* gwn_restore_go_signals re-installs the signal handlers saved by gwn_run (Go's), keeping
 * SIGPIPE ignored and chaining SIGSEGV through V8's WebAssembly trap handler. */
void gwn_restore_go_signals(void);

/* gwn_fix_onstack adds SA_ONSTACK to every installed handler that lacks it (handlers
 * libuv installs later, e.g. SIGCHLD for child processes), as Go requires. */
void gwn_fix_onstack(void);

#endif
