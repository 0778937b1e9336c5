// Package node is the "node" module loader: it hosts JavaScript modules written for the
// Azure IoT Gateway SDK v1 Node binding in one embedded Node.js (libnode) per process.
//
// A module is a CommonJS file named by the entry point's "main.path" whose
// module.exports has create(broker, configuration) (returns true, or false to refuse),
// optionally start(), receive(message) with message.properties (object of strings) and
// message.content (Uint8Array), and destroy(). broker.publish({properties, content})
// may be called from anywhere in the module: callbacks, timers, promises. configuration
// is JSON.parse of the module's args (null when args is absent). Each instance loads its
// own copy of the file, so two modules may share one main.path.
//
// # Pieces
//
//   - runtime.go: the process's Node instance; node::Start runs with bootstrap.js as its
//     main script (`-e`), on a dedicated locked OS thread that is never the main thread.
//   - gwn_bridge.c, gwn_addon.c: the C bridge. libnode is dlopened at run time (the
//     gateway does not link against it); the N-API addon that bootstrap.js uses is
//     compiled by cgo into this package and registered as a linked binding
//     (napi_module_register before node::Start; process._linkedBinding in JS). The N-API
//     subset it calls is declared in gwn_napi.h and resolved with dlsym; abi_test.go
//     checks those declarations against Node's real headers.
//   - bootstrap.js (embedded): module records, message decoding and encoding, the
//     process.exit guard, exception logging, shutdown.
//
// # Threading
//
// One Node thread runs every JS module; JS never runs concurrently. Go reaches it only by
// posting to one napi_threadsafe_function (gwn_post): a batch of messages for one module
// (Instance.Receive: the broker's whole batch, serialized back to back in the SDK byte
// format, is one post), or a control operation (create, start, destroy, check, quit)
// for which the caller waits for a reply. Posts are FIFO, so a module sees its batches
// in order and destroy() runs after every batch posted before it.
//
// Receive returns once its batch is queued; at most maxInFlight batches per module may
// wait for JS, past that Receive blocks, so the broker's queue bound still applies.
//
// JS reaches Go synchronously through the addon, on the Node thread: broker.publish
// appends to one buffer shared by all modules (publish order is kept across modules),
// flushed to Go once per tick (process.nextTick), at the end of every dispatched
// operation, and whenever it passes 256 KiB; Go turns each entry into a message and
// publishes it from the module's endpoint. Those publishes never block (they are made
// as "inside Receive"): a blocked Node thread could not drain the queues of JS sinks, so
// blocking would deadlock. A JS publisher therefore gets no backpressure; the broker
// counts what goes past a queue bound as overflow (nothing is lost).
//
// Signals: Node resets every signal disposition when it starts and takes SIGINT/SIGTERM
// and SIGSEGV. The bridge saves all dispositions before node::Start and, once the
// bootstrap is ready, puts Go's back (with SA_ONSTACK), chaining SIGSEGV through V8's
// WebAssembly trap handler first; SIGPIPE stays ignored. JS signal listeners
// (process.on('SIGTERM')...) are refused with a warning; after a child process starts
// or ends, handlers libuv installed get SA_ONSTACK and Go's SIGCHLD handler comes back.
//
// # Memory
//
// Posted items are malloc'ed by gwn_post_bytes (a copy of the Go bytes) and freed by the
// bridge on the Node thread after dispatch; JS gets a Buffer copy, so message.content
// views stay valid as long as JS keeps them. Bytes JS hands to Go (publish, reply, log)
// are read during the call only; Go copies them into new C messages or Go strings.
// argv for node::Start is one C allocation kept for the life of the process.
//
// # Lifetime
//
// Node starts at the first Create (or Check) and is shared by every node loader and
// module of the process. It cannot be restarted: Shutdown (and, in a C host returning
// from main, an atexit handler) posts "quit": JS releases the threadsafe function,
// unrefs the handles and timers modules left behind, and node::Start returns.
//
// # Errors
//
// A module that throws, or whose create returns false, fails Create with an error naming
// the loader and the module and carrying a *JSError (message and JS stack). Exceptions
// thrown later (in receive, timers, promises) are logged through the module's logger
// with the JS stack; process.exit, process.reallyExit and process.abort throw instead of
// ending the gateway.
package node
