package jvm

/*
#include <stdlib.h>
#include "jni_bridge.h"
*/
import "C"

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

// JavaError is a Java exception thrown into the gateway: by a module's constructor, start, receive or destroy.
type JavaError struct {
	// Module is the module's name; Op is what was called ("create", "start", "receive", "destroy").
	Module, Op string
	// Exception is the first line of the stack trace (class and message).
	Exception string
	// StackTrace is the full Java stack trace, causes included.
	StackTrace string
}

// Error names the call and the exception; the caller's wrapping names the loader and module.
func (e *JavaError) Error() string {
	return fmt.Sprintf("Java exception in %s: %s", e.Op, e.Exception)
}

func newJavaError(module, op, trace string) *JavaError {
	first, _, _ := strings.Cut(trace, "\n")
	return &JavaError{Module: module, Op: op, Exception: strings.TrimSpace(first), StackTrace: trace}
}

// takeErr copies and frees a C error text.
func takeErr(p *C.char, n C.size_t) string {
	if p == nil {
		return "unknown error"
	}
	s := C.GoStringN(p, C.int(n))
	C.free(unsafe.Pointer(p))
	return s
}

// Library is a Java module's loaded entry point. Loading does not start the JVM; the first Create does.
type Library struct {
	loader *Loader
	module string
	ep     Entrypoint

	mu     sync.Mutex
	live   int
	closed bool
}

var _ loader.Library = (*Library)(nil)

// Entrypoint returns the parsed entry point.
func (lib *Library) Entrypoint() Entrypoint { return lib.ep }

// Create starts the JVM if needed, gives the instance its own attached thread, and constructs the module's
// class there (see the package doc for the constructor rules). A Java exception fails Create with a *JavaError
// (wrapped) and its stack trace is logged.
func (lib *Library) Create(ctx loader.CreateContext) (loader.Instance, error) {
	log := ctx.Log
	if log == nil {
		log = slog.Default().With("module", ctx.Module)
	}
	lib.mu.Lock()
	if lib.closed {
		lib.mu.Unlock()
		return nil, fmt.Errorf("loader %q: module %q: library closed", lib.loader.name, ctx.Module)
	}
	lib.live++
	lib.mu.Unlock()
	fail := func(err error) (loader.Instance, error) {
		lib.release()
		return nil, fmt.Errorf("loader %q: module %q: %w", lib.loader.name, ctx.Module, err)
	}
	if err := ensureJVM(lib.loader, log); err != nil {
		return fail(err)
	}
	w, err := startWorker(ctx.Module)
	if err != nil {
		return fail(err)
	}
	in := &Instance{lib: lib, name: ctx.Module, ep: ctx.Endpoint, log: log, w: w}
	in.id = nextID.Add(1)
	in.recvFn = in.receiveOnThread
	instances.Store(in.id, in)

	cls := []byte(lib.ep.ClassName)
	cp := []byte(strings.Join(lib.ep.ClassPath, "\x00"))
	var cfg []byte
	cfglen := C.int32_t(-1)
	if ctx.Args != nil {
		cfg = []byte(*ctx.Args)
		cfglen = C.int32_t(len(cfg))
	}
	var m *C.gw_jmod
	var trace string
	w.do(func(env C.uintptr_t) {
		var cerr *C.char
		var n C.size_t
		m = C.gw_jvm_module_create(env, bytesPtr(cls), C.int32_t(len(cls)), bytesPtr(cp), C.int32_t(len(cp)),
			C.int64_t(in.id), C.int64_t(ctx.Broker), bytesPtr(cfg), cfglen, &cerr, &n)
		if m == nil {
			trace = takeErr(cerr, n)
		}
		C.gw_jvm_fix_signals()
	})
	if m == nil {
		instances.Delete(in.id)
		w.stop()
		jerr := newJavaError(ctx.Module, "create", trace)
		log.Error("Java module creation failed", "class", lib.ep.ClassName, "java_stack_trace", trace)
		return fail(fmt.Errorf("class %s: %w", lib.ep.ClassName, jerr))
	}
	in.c = m
	return in, nil
}

// Close releases the library. No instance may be alive. The JVM keeps running (and the classes stay loaded):
// a JVM cannot be restarted in a process.
func (lib *Library) Close() error {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	if lib.live > 0 {
		return fmt.Errorf("loader %q: module %q: closing a library with %d live instances", lib.loader.name, lib.module, lib.live)
	}
	lib.closed = true
	return nil
}

func (lib *Library) release() {
	lib.mu.Lock()
	lib.live--
	lib.mu.Unlock()
}

// Module ids: the "address" each Java module is constructed with; ModuleHost.publish finds the module by it.
var (
	nextID    atomic.Int64
	instances sync.Map // int64 -> *Instance
)

// Instance is a created Java module.
type Instance struct {
	lib  *Library
	name string
	id   int64
	ep   *broker.Endpoint // nil when created without one (publishing then fails)
	log  *slog.Logger
	w    *worker
	c    *C.gw_jmod // C memory; freed by Destroy

	// callMu serializes Start, Receive and Destroy (the loader contract already forbids overlapping them; the
	// lock keeps a misbehaving caller from using a stopped thread).
	callMu    sync.Mutex
	destroyed atomic.Bool

	// Receive state, used by the broker's delivery goroutine and the module thread in turn.
	buf      []byte
	pending  []byte
	count    int
	recvFn   func(C.uintptr_t)
	received atomic.Uint64
	threw    atomic.Uint64
}

var _ loader.Instance = (*Instance)(nil)

// ID returns the module's address (the integer its Java object was constructed with).
func (in *Instance) ID() int64 { return in.id }

// Start calls the module's start() on its thread. An exception is logged.
func (in *Instance) Start() {
	in.callMu.Lock()
	defer in.callMu.Unlock()
	if in.destroyed.Load() {
		return
	}
	in.w.do(func(env C.uintptr_t) {
		var cerr *C.char
		var n C.size_t
		if C.gw_jvm_module_start(env, in.c, &cerr, &n) != 0 {
			trace := takeErr(cerr, n)
			in.log.Error("Java module start threw", "exception", newJavaError(in.name, "start", trace).Exception,
				"java_stack_trace", trace)
		}
		C.gw_jvm_fix_signals()
	})
}

// maxChunk bounds the bytes handed to Java in one call; a batch larger than that is split (a single larger
// message goes alone).
const maxChunk = 4 << 20

// Receive serializes the batch into one byte array and hands it to the module thread, which makes one JNI call
// (ModuleHost.receive) that delivers every message. Messages whose receive threw are logged (the first stack
// trace of each batch) and the others are still delivered.
func (in *Instance) Receive(msgs []cshim.Message) {
	in.callMu.Lock()
	defer in.callMu.Unlock()
	if in.destroyed.Load() || len(msgs) == 0 {
		return
	}
	buf := in.buf[:0]
	count := 0
	for _, m := range msgs {
		var err error
		start := len(buf)
		buf, err = m.AppendBytes(buf)
		if err != nil {
			in.log.Error("cannot serialize a message for a Java module; dropped", "error", err)
			buf = buf[:start]
			continue
		}
		count++
		if len(buf) >= maxChunk {
			in.deliver(buf, count)
			buf, count = buf[:0], 0
		}
	}
	if count > 0 {
		in.deliver(buf, count)
	}
	if cap(buf) > 4*maxChunk {
		buf = nil
	}
	in.buf = buf
}

func (in *Instance) deliver(b []byte, count int) {
	in.pending, in.count = b, count
	in.w.do(in.recvFn)
	in.pending = nil
}

// receiveOnThread runs on the module thread.
func (in *Instance) receiveOnThread(env C.uintptr_t) {
	var cerr *C.char
	var n C.size_t
	b := in.pending
	rc := C.gw_jvm_module_receive(env, in.c, unsafe.Pointer(&b[0]), C.int32_t(len(b)), &cerr, &n)
	in.received.Add(uint64(in.count))
	if rc != 0 {
		trace := takeErr(cerr, n)
		if rc < 0 {
			in.log.Error("delivering messages to a Java module failed", "messages", in.count, "error", trace)
			return
		}
		in.threw.Add(uint64(rc))
		in.log.Error("Java module receive threw", "messages_threw", int(rc), "batch", in.count,
			"exception", newJavaError(in.name, "receive", trace).Exception, "java_stack_trace", trace)
	}
}

// Destroy calls the module's destroy() on its thread (an exception is logged), releases its Java objects,
// detaches the thread and lets it end. Publishing with the module's address fails afterwards.
func (in *Instance) Destroy() {
	in.callMu.Lock()
	defer in.callMu.Unlock()
	if in.destroyed.Swap(true) {
		return
	}
	in.w.do(func(env C.uintptr_t) {
		var cerr *C.char
		var n C.size_t
		if C.gw_jvm_module_destroy(env, in.c, &cerr, &n) != 0 {
			trace := takeErr(cerr, n)
			in.log.Error("Java module destroy threw", "exception", newJavaError(in.name, "destroy", trace).Exception,
				"java_stack_trace", trace)
		}
		C.gw_jvm_module_free(env, in.c)
	})
	in.c = nil
	instances.Delete(in.id)
	in.w.stop()
	in.lib.release()
}

// worker is a goroutine locked to an OS thread attached to the JVM; it runs one call at a time.
type worker struct {
	calls chan func(C.uintptr_t)
	done  chan struct{}
}

// startWorker starts a module thread attached as "gateway-module-<name>".
func startWorker(module string) (*worker, error) {
	w := &worker{calls: make(chan func(C.uintptr_t)), done: make(chan struct{})}
	ready := make(chan error)
	goLocked(func() { w.run(threadName(module), ready) })
	if err := <-ready; err != nil {
		return nil, err
	}
	return w, nil
}

// run runs on a locked goroutine (goLocked): after Detach it returns and the thread ends.
func (w *worker) run(name string, ready chan<- error) {
	cname := C.CString(name)
	var env C.uintptr_t
	rc := C.gw_jvm_attach(cname, &env)
	C.free(unsafe.Pointer(cname))
	if rc != 0 {
		ready <- fmt.Errorf("attaching a thread to the JVM failed (JNI error %d)", int(rc))
		return
	}
	ready <- nil
	for f := range w.calls {
		f(env)
		w.done <- struct{}{}
	}
	C.gw_jvm_detach()
}

// do runs f on the worker's thread and waits for it.
func (w *worker) do(f func(C.uintptr_t)) {
	w.calls <- f
	<-w.done
}

// stop ends the worker: its thread detaches and ends.
func (w *worker) stop() { close(w.calls) }

func threadName(module string) string {
	var b strings.Builder
	b.WriteString("gateway-module-")
	for _, r := range module {
		if r > 0x20 && r < 0x7f {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// bytesPtr returns a pointer to b's first byte, or nil for an empty slice. The bytes are only read by C during
// the call they are passed to.
func bytesPtr(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}
