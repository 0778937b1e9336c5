package dotnet

/*
#cgo CFLAGS: -I${SRCDIR}/../../cshim/include -std=gnu99 -O2 -Wall -Wextra -Wno-unused-parameter
#cgo LDFLAGS: -ldl
#include <stdlib.h>
#include "mono_host.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// runtimeConfig says where the runtime and the binding assembly are. The first module
// created in the process decides it; later loaders share that runtime.
type runtimeConfig struct {
	libPath     string // libmonosgen-2.0.so
	bindingDLL  string // Microsoft.Azure.IoT.Gateway.dll
	assemblyDir string // mono_set_dirs: where mono/4.5/mscorlib.dll lives
	configDir   string // mono_set_dirs: where mono/config lives
	unhandled   string // "log" or "terminate": exceptions no managed code caught
}

// monoRuntime is the process's one CLR.
type monoRuntime struct {
	cfg runtimeConfig
	ctl chan func() // served by the runtime's own thread

	mu         sync.Mutex
	idle       []*worker
	searchDirs map[string]bool
}

var (
	rtOnce sync.Once
	rtErr  error
	rtCur  atomic.Pointer[monoRuntime]
)

// ErrRuntime is wrapped by failures to start the runtime.
var ErrRuntime = errors.New("dotnet: cannot start the Mono runtime")

// startRuntime starts the runtime once per process; later calls return the same
// result whatever cfg they pass.
func startRuntime(cfg runtimeConfig) (*monoRuntime, error) {
	rtOnce.Do(func() {
		r := &monoRuntime{cfg: cfg, ctl: make(chan func()), searchDirs: map[string]bool{}}
		errc := make(chan error)
		goLocked(func() { r.main(errc) })
		if err := <-errc; err != nil {
			rtErr = fmt.Errorf("%w: %w", ErrRuntime, err)
			return
		}
		startDrain()
		rtCur.Store(r)
	})
	return rtCur.Load(), rtErr
}

// running returns the runtime if it has been started successfully, else nil.
func running() *monoRuntime { return rtCur.Load() }

// main is the runtime's thread: it creates the CLR and then serves control calls for
// ever. Its thread stays locked (and attached) for the life of the process.
func (r *monoRuntime) main(errc chan<- error) {
	lib := C.CString(r.cfg.libPath)
	var cerr *C.char
	rc := C.gwdn_open(lib, &cerr)
	C.free(unsafe.Pointer(lib))
	if rc != 0 {
		// Nothing of the runtime exists yet: this goroutine may end.
		errc <- takeErr(cerr)
		runtime.UnlockOSThread()
		return
	}
	adir, cdir, dll := C.CString(r.cfg.assemblyDir), C.CString(r.cfg.configDir), C.CString(r.cfg.bindingDLL)
	park := C.int(1)
	if r.cfg.unhandled == "terminate" {
		park = 0
	}
	rc = C.gwdn_start(adir, cdir, park, dll, &cerr)
	C.free(unsafe.Pointer(adir))
	C.free(unsafe.Pointer(cdir))
	C.free(unsafe.Pointer(dll))
	if rc != 0 {
		errc <- takeErr(cerr)
		// The runtime may be half made: keep its thread parked for ever.
		select {}
	}
	errc <- nil
	for f := range r.ctl {
		r.serve(f)
	}
}

func (r *monoRuntime) serve(f func()) {
	defer func() {
		if p := recover(); p != nil {
			bindingLog().Error("panic on the runtime thread", "panic", p)
		}
	}()
	f()
}

// control runs f on the runtime thread and waits for it.
func (r *monoRuntime) control(f func()) {
	done := make(chan struct{})
	r.ctl <- func() {
		defer close(done)
		f()
	}
	<-done
}

// addSearchDirs makes module dependencies resolvable from dirs (once per directory).
// Call on the runtime thread.
func (r *monoRuntime) addSearchDirs(dirs []string) error {
	for _, d := range dirs {
		r.mu.Lock()
		seen := r.searchDirs[d]
		r.searchDirs[d] = true
		r.mu.Unlock()
		if seen {
			continue
		}
		cd := C.CString(d)
		var cerr *C.char
		rc := C.gwdn_add_search_dir(cd, &cerr)
		C.free(unsafe.Pointer(cd))
		if rc != 0 {
			return fmt.Errorf("assembly search directory %s: %w", d, takeErr(cerr))
		}
	}
	return nil
}

// goLocked runs f on a new goroutine locked to a thread that is not the process's
// primordial thread (runtimes must stay off it). f's thread stays locked unless f
// unlocks it.
func goLocked(f func()) {
	go func() {
		runtime.LockOSThread()
		if C.gwdn_is_main_thread() == 0 {
			f()
			return
		}
		// Hold the primordial thread while another goroutine takes (and locks) a thread:
		// it cannot be this one.
		locked := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			close(locked)
			f()
		}()
		<-locked
		runtime.UnlockOSThread()
	}()
}

// worker is a locked goroutine whose thread is attached to the runtime; a module
// instance's Receive calls run on it.
type worker struct {
	req chan *call
}

type call struct {
	fn   func()
	done chan struct{}
}

func (w *worker) loop(ready chan<- error) {
	var cerr *C.char
	if C.gwdn_attach_thread(&cerr) != 0 {
		ready <- takeErr(cerr)
		select {} // may be half attached: never let this thread go back to Go's pool
	}
	ready <- nil
	for c := range w.req {
		w.run(c)
	}
}

func (w *worker) run(c *call) {
	defer func() {
		if p := recover(); p != nil {
			bindingLog().Error("panic on a .NET worker thread", "panic", p)
		}
		c.done <- struct{}{}
	}()
	c.fn()
}

// do runs c on the worker and waits for it.
func (w *worker) do(c *call) {
	w.req <- c
	<-c.done
}

// getWorker returns an idle worker or starts a new one.
func (r *monoRuntime) getWorker() (*worker, error) {
	r.mu.Lock()
	if n := len(r.idle); n > 0 {
		w := r.idle[n-1]
		r.idle = r.idle[:n-1]
		r.mu.Unlock()
		return w, nil
	}
	r.mu.Unlock()
	w := &worker{req: make(chan *call)}
	ready := make(chan error)
	goLocked(func() { w.loop(ready) })
	if err := <-ready; err != nil {
		return nil, fmt.Errorf("attaching a worker thread: %w", err)
	}
	return w, nil
}

// putWorker makes w available to later instances.
func (r *monoRuntime) putWorker(w *worker) {
	r.mu.Lock()
	r.idle = append(r.idle, w)
	r.mu.Unlock()
}

// takeErr converts and frees a malloc-ed C error text.
func takeErr(cerr *C.char) error {
	if cerr == nil {
		return errors.New("unknown error")
	}
	s := C.GoString(cerr)
	C.free(unsafe.Pointer(cerr))
	return errors.New(s)
}

// takeText converts and frees a malloc-ed C error text.
func takeText(cerr *C.char) string {
	if cerr == nil {
		return "unknown error"
	}
	s := C.GoString(cerr)
	C.free(unsafe.Pointer(cerr))
	return s
}

var logMu sync.RWMutex
var logBase *slog.Logger

// SetLogger sets the logger used for lines that belong to no module (nil: slog.Default).
func SetLogger(l *slog.Logger) {
	logMu.Lock()
	logBase = l
	logMu.Unlock()
}

func bindingLog() *slog.Logger {
	logMu.RLock()
	l := logBase
	logMu.RUnlock()
	if l == nil {
		l = slog.Default()
	}
	return l.With("loader", "dotnet")
}
