package dotnet

/*
#include <stdlib.h>
#include "mono_host.h"
*/
import "C"

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

// Error is a failure reported by the managed side: Op is the step ("create", "start",
// "receive", "destroy", "check"), Text the managed text (for exceptions thrown by module
// code: the exception, its message and its stack trace).
type Error struct {
	Loader string
	Module string
	Op     string
	Text   string
}

// Error returns the first line of the managed text, prefixed with the loader and module.
func (e *Error) Error() string {
	first, _, _ := strings.Cut(e.Text, "\n")
	return fmt.Sprintf("loader %q: module %q: %s: %s", e.Loader, e.Module, e.Op, strings.TrimSpace(first))
}

// checkType asks the running binding whether typeName in assembly can be a module.
// Call on an attached thread.
func checkType(assembly, typeName string) error {
	ca, ct := C.CString(assembly), C.CString(typeName)
	defer C.free(unsafe.Pointer(ca))
	defer C.free(unsafe.Pointer(ct))
	var cerr *C.char
	if C.gwdn_check_type(ca, ct, &cerr) != 0 {
		return fmt.Errorf("%s", takeText(cerr))
	}
	return nil
}

// Library is a resolved .NET module: its assembly file and entry type. Assemblies
// cannot be unloaded from Mono's root domain, so Close only forgets it.
type Library struct {
	loader, module string
	assembly       string
	typeName       string
	rc             runtimeConfig
	dirs           []string // dependency search directories
}

var _ loader.Library = (*Library)(nil)

// Assembly returns the resolved assembly path.
func (lib *Library) Assembly() string { return lib.assembly }

// Close does nothing (see Library).
func (lib *Library) Close() error { return nil }

// Instances are found by id from managed calls.
var (
	instances sync.Map // int64 -> *Instance
	nextID    atomic.Int64
)

func lookup(id int64) *Instance {
	if id == 0 {
		return nil
	}
	if v, ok := instances.Load(id); ok {
		return v.(*Instance)
	}
	return nil
}

// Create starts the runtime if needed (the first module of the process), then loads
// the assembly, constructs entry.type with its parameterless constructor and calls
// Create(broker, args as UTF-8 bytes) on the runtime thread.
func (lib *Library) Create(ctx loader.CreateContext) (loader.Instance, error) {
	r, err := startRuntime(lib.rc)
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", lib.loader, ctx.Module, err)
	}
	if r.cfg.bindingDLL != lib.rc.bindingDLL {
		bindingLog().Warn("the .NET runtime is already running with another binding assembly; using it",
			"module", ctx.Module, "running", r.cfg.bindingDLL, "configured", lib.rc.bindingDLL)
	}
	log := ctx.Log
	if log == nil {
		log = bindingLog().With("module", ctx.Module)
	}
	w, err := r.getWorker()
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", lib.loader, ctx.Module, err)
	}
	in := &Instance{
		loader: lib.loader, name: ctx.Module, id: nextID.Add(1),
		log: log, ep: ctx.Endpoint, rt: r, w: w,
		recv: call{done: make(chan struct{}, 1)},
	}
	in.recv.fn = in.receiveOnWorker
	// Registered before Create: the module may publish from Create.
	instances.Store(in.id, in)

	var cfg []byte
	if ctx.Args != nil {
		cfg = []byte(*ctx.Args)
	}
	var text string
	r.control(func() {
		if err := r.addSearchDirs(lib.dirs); err != nil {
			log.Warn("cannot add assembly search directories", "err", err)
		}
		cn, ca, ct := C.CString(ctx.Module), C.CString(lib.assembly), C.CString(lib.typeName)
		defer C.free(unsafe.Pointer(cn))
		defer C.free(unsafe.Pointer(ca))
		defer C.free(unsafe.Pointer(ct))
		var p *C.uchar
		if len(cfg) > 0 {
			p = (*C.uchar)(C.CBytes(cfg))
			defer C.free(unsafe.Pointer(p))
		}
		hasCfg := C.int(0)
		if cfg != nil {
			hasCfg = 1
		}
		var cerr *C.char
		if C.gwdn_create(C.int64_t(in.id), cn, ca, ct, p, C.size_t(len(cfg)), hasCfg, &in.m, &cerr) != 0 {
			text = takeText(cerr)
		}
	})
	if in.m == nil {
		instances.Delete(in.id)
		r.putWorker(w)
		e := &Error{Loader: lib.loader, Module: ctx.Module, Op: "create", Text: text}
		log.Error("creating the .NET module failed", "assembly", lib.assembly, "entry.type", lib.typeName, "error", text)
		return nil, e
	}
	return in, nil
}

// Instance is a created .NET module.
type Instance struct {
	loader, name string
	id           int64
	log          *slog.Logger
	ep           *broker.Endpoint
	rt           *monoRuntime
	w            *worker
	m            *C.gwdn_module

	// Receive: the broker calls it from one goroutine per module; mu guards the
	// reused call against a misbehaving caller.
	mu       sync.Mutex
	recv     call
	batch    []cshim.Message
	recvErr  string
	lastWarn atomic.Int64 // unix ns of the last logged publish failure

	destroyed atomic.Bool
}

var _ loader.Instance = (*Instance)(nil)

// ID returns the id managed code uses for this module.
func (in *Instance) ID() int64 { return in.id }

// Start calls the module's Start() if it implements IGatewayModuleStart (on the
// runtime thread). A throwing Start is logged.
func (in *Instance) Start() {
	if in.destroyed.Load() {
		return
	}
	var text string
	failed := false
	in.rt.control(func() {
		var cerr *C.char
		if C.gwdn_module_start(in.m, &cerr) != 0 {
			failed, text = true, takeText(cerr)
		}
	})
	if failed {
		in.log.Error("the .NET module's Start failed", "error", text)
	}
}

// Receive delivers msgs with one managed call (on the instance's worker thread).
// Exceptions thrown by the module's Receive are logged by the managed side (with the
// stack, at most 10 a second) and do not stop the batch.
func (in *Instance) Receive(msgs []cshim.Message) {
	if len(msgs) == 0 || in.destroyed.Load() {
		return
	}
	in.mu.Lock()
	in.batch = msgs
	in.w.do(&in.recv)
	in.batch = nil
	text := in.recvErr
	in.recvErr = ""
	in.mu.Unlock()
	if text != "" {
		in.log.Error("delivering messages to the .NET module failed", "error", text)
	}
}

func (in *Instance) receiveOnWorker() {
	msgs := in.batch
	var cerr *C.char
	if C.gwdn_module_receive(in.m, (*C.uintptr_t)(unsafe.Pointer(&msgs[0])), C.size_t(len(msgs)), &cerr) != 0 {
		in.recvErr = takeText(cerr)
	}
}

// Destroy calls the module's Destroy() (on the runtime thread) and releases its GC
// handles. Publishes made by the module's own threads afterwards are dropped.
func (in *Instance) Destroy() {
	if in.destroyed.Swap(true) {
		return
	}
	var text string
	failed := false
	in.rt.control(func() {
		var cerr *C.char
		if C.gwdn_module_destroy(in.m, &cerr) != 0 {
			failed, text = true, takeText(cerr)
		}
		in.m = nil
	})
	// What the module's own threads published before Destroy returned is delivered.
	flushQueue()
	instances.Delete(in.id)
	in.mu.Lock() // no Receive in flight any more
	in.mu.Unlock()
	in.rt.putWorker(in.w)
	if failed {
		in.log.Error("the .NET module's Destroy failed", "error", text)
	}
}

// publishFailed logs a failed managed publish, at most once a second per module.
func (in *Instance) publishFailed(err error) {
	now := time.Now().UnixNano()
	last := in.lastWarn.Load()
	if now-last < int64(time.Second) || !in.lastWarn.CompareAndSwap(last, now) {
		return
	}
	in.log.Debug("publish from the .NET module failed", "err", err)
}
