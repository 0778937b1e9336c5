// Package dotnet is the "dotnet" module loader: it hosts Mono's CLR in the gateway
// process and runs .NET modules written against the SDK v1 managed API
// (Microsoft.Azure.IoT.Gateway.dll: Message, Broker, IGatewayModule,
// IGatewayModuleStart; sources in managed/). It also provides the "dotnetcore" kind,
// which discovers a .NET Core runtime but cannot host one in this build (see
// README.md).
//
// A module's entry point is {"assembly.name": "<assembly without .dll>", "entry.type":
// "<namespace.Class>"}. The loader configuration may set "binding.path" (the binding
// assembly or its directory), "assembly.path" (directories searched for module
// assemblies), "runtime.path" (libmonosgen-2.0.so), "mono.assembly.dir" /
// "mono.config.dir" (mono_set_dirs; default /usr/lib and /etc) and
// "unhandled.exceptions" ("log" or "terminate"). The first module created in the
// process decides the runtime's settings.
//
// # Threading
//
// One runtime per process, created on first use (the first module Create) on a
// goroutine that holds runtime.LockOSThread for ever and serves the control calls of
// every module (Create, Start, Destroy, type checks) one at a time. Each module instance
// also gets a worker: a locked goroutine whose thread is attached to the runtime once
// and is reused by later instances after Destroy; the broker's delivery goroutine hands
// each Receive batch to it and waits. No other Go thread ever calls into Mono. Attached
// threads stay in Mono's GC-safe state while they run Go code, so the runtime never has
// to stop them with a signal.
//
// Managed code calls back through two internal calls (NativeMethods.Publish and
// LogText) that land in C (mono_host.c). On the binding's own threads (a worker inside
// Receive, where the publish never blocks: the broker's inReceive rule; or the runtime
// thread) C calls the cgo exports of export.go directly. Threads the runtime made
// (timers, tasks, module threads, the finalizer) never enter Go: under Mono's hybrid
// suspend every attached thread is stopped with a signal during a collection, and a
// foreign thread entering Go for the first time waits for a spare Go M with signals
// blocked, so the two can wait on each other for ever (seen within seconds under load
// in a c-shared build). Their publishes and log lines go through a bounded C queue
// (publishers wait when it is full) that one goroutine drains in order (queue.go);
// Destroy flushes it before the module's id is retired.
//
// An exception that escapes a thread a module made would make Mono end the process
// (Mono 6.8 has no legacy unhandled-exception policy). By default the binding's
// AppDomain.UnhandledException handler logs it with its stack and parks that thread
// for ever, so the gateway goes on; "unhandled.exceptions": "terminate" keeps Mono's
// behaviour. Exceptions thrown by Create, Start, Receive and Destroy are always caught:
// Create's fail the module (the error carries the exception text and stack), the others
// are logged with the module name (Receive's at most 10 a second) and the module goes on.
//
// Before the runtime starts, real-time signals 35-37 are reset to SIG_DFL (Go owns all
// of them and Mono needs three), signal chaining is turned on (a fault outside managed
// code goes on to Go's handler, so Go panics still recover), and afterwards SA_ONSTACK
// is added to every handler the runtime installed (checked again after each Create,
// Start and type check). The alternate signal stack of each thread is saved before it
// attaches and restored after. Attached threads are kept in Mono's GC-safe state while
// they run Go code. The runtime is never torn down: it lives until the process exits.
//
// # Memory
//
// The C side (mono_host.c) keeps, per module, a pinned GC handle on the managed module
// host and one on a reusable byte[] receive buffer; both are released by Destroy. A
// Receive batch is serialized with Message_ToByteArray straight into that pinned
// buffer, and one managed call splits and delivers it; the broker's messages are only
// borrowed for the call. A managed Broker.Publish passes a pinned (fixed) byte[] to C,
// which copies it into a new message (Message_CreateFromByteArray), publishes it through
// the module's broker.Endpoint and releases its reference. Error texts crossing from C
// are malloc-ed and freed by Go. No Go pointer is kept by C; modules are found by an
// int64 id.
package dotnet
