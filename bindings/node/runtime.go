package node

/*
#cgo CFLAGS: -std=gnu99 -O2 -Wall -Wextra -Wno-unused-parameter
#cgo LDFLAGS: -ldl -lpthread
#include <stdlib.h>
#include "gwn.h"
*/
import "C"

import (
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

//go:embed bootstrap.js
var bootstrapJS string

// Operation codes (gwn.h, bootstrap.js).
const (
	opCreate  = C.GWN_OP_CREATE
	opStart   = C.GWN_OP_START
	opReceive = C.GWN_OP_RECEIVE
	opDestroy = C.GWN_OP_DESTROY
	opCheck   = C.GWN_OP_CHECK
	opQuit    = C.GWN_OP_QUIT
)

// Reply statuses (bootstrap.js).
const (
	stOK      = 0
	stError   = 1
	stRefused = 2
)

var (
	// ErrNotRunning is returned when the Node instance has stopped (or never started):
	// a process hosts at most one, and it cannot be restarted.
	ErrNotRunning = errors.New("node: runtime not running")
	// ErrTimeout is returned when JS did not answer a call in time.
	ErrTimeout = errors.New("node: call timed out")
)

// StartTimeout bounds how long starting Node may take (libnode load to bootstrap ready).
var StartTimeout = 60 * time.Second

// maxInFlight bounds the batches posted to one module that JS has not handled yet;
// Receive blocks past it (backpressure toward the broker).
const maxInFlight = 8

type reply struct {
	status int
	text   string
}

// nodeRuntime is the process's Node instance (see doc.go, # Threading).
type nodeRuntime struct {
	mu       sync.Mutex // start-up state
	starting bool
	startErr error
	libnode  string
	ready    chan struct{}
	done     chan struct{} // closed when node::Start has returned
	exitCode int

	warnedPath atomic.Bool // the "another libnode" warning was given

	reqSeq  atomic.Uint32
	pendMu  sync.Mutex
	pending map[uint32]chan reply

	modSeq atomic.Uint32
	modsMu sync.RWMutex
	mods   map[uint32]*Instance
}

var rt = &nodeRuntime{
	ready:   make(chan struct{}),
	done:    make(chan struct{}),
	pending: map[uint32]chan reply{},
	mods:    map[uint32]*Instance{},
}

// Running reports whether the process's Node instance is up.
func Running() bool {
	select {
	case <-rt.ready:
	default:
		return false
	}
	select {
	case <-rt.done:
		return false
	default:
		return true
	}
}

// start starts Node with the library at libnode unless it already runs, and waits until
// the bootstrap is ready. options are extra Node command-line options.
func (r *nodeRuntime) start(libnode string, options []string) error {
	r.mu.Lock()
	if r.starting {
		err, running := r.startErr, r.libnode
		r.mu.Unlock()
		if err != nil {
			return err
		}
		if libnode != running && !r.warnedPath.Swap(true) {
			slog.Warn("node: the runtime is already running with another libnode; using it", "running", running, "requested", libnode)
		}
		return r.waitReady()
	}
	if err := r.launch(libnode, options); err != nil {
		// Nothing started: a later call (another libnode.path) may try again.
		r.mu.Unlock()
		return err
	}
	r.starting = true
	r.libnode = libnode
	r.mu.Unlock()
	if err := r.waitReady(); err != nil {
		r.mu.Lock()
		r.startErr = err
		r.mu.Unlock()
		return err
	}
	return nil
}

func (r *nodeRuntime) waitReady() error {
	t := time.NewTimer(StartTimeout)
	defer t.Stop()
	select {
	case <-r.ready:
		return nil
	case <-r.done:
		return fmt.Errorf("%w: node::Start returned %d before the bootstrap was ready", ErrNotRunning, r.exitCode)
	case <-t.C:
		return fmt.Errorf("%w: node did not become ready within %v", ErrTimeout, StartTimeout)
	}
}

// launch loads libnode and starts node::Start on its own locked thread.
//
// # Memory
//
// argv and its strings are one C allocation that lives for the rest of the process
// (node::Start and libuv keep pointing into it); it is never freed.
func (r *nodeRuntime) launch(libnode string, options []string) error {
	cpath := C.CString(libnode)
	defer C.free(unsafe.Pointer(cpath))
	var cerr [512]C.char
	if C.gwn_load(cpath, &cerr[0], C.size_t(len(cerr))) != 0 {
		return fmt.Errorf("node: loading libnode %q: %s", libnode, C.GoString(&cerr[0]))
	}
	args := append([]string{"gateway-node"}, options...)
	args = append(args, "-e", bootstrapJS)
	argc, argv := cArgv(args)

	go r.nodeThread(argc, argv, nil)
	return nil
}

// cArgv lays args out as a C argv whose strings are contiguous (libuv relies on it).
func cArgv(args []string) (C.int, **C.char) {
	size := 0
	for _, a := range args {
		size += len(a) + 1
	}
	ptrs := (*[1 << 20]*C.char)(C.calloc(C.size_t(len(args)+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))[: len(args)+1 : len(args)+1]
	block := unsafe.Slice((*byte)(C.malloc(C.size_t(size))), size)
	off := 0
	for i, a := range args {
		copy(block[off:], a)
		block[off+len(a)] = 0
		ptrs[i] = (*C.char)(unsafe.Pointer(&block[off]))
		off += len(a) + 1
	}
	ptrs[len(args)] = nil
	return C.int(len(args)), &ptrs[0]
}

// nodeThread runs node::Start on a locked OS thread that is not the process's main
// thread, for as long as Node runs. locked (when not nil) is closed once the goroutine
// that runs Node holds its thread.
func (r *nodeRuntime) nodeThread(argc C.int, argv **C.char, locked chan struct{}) {
	runtime.LockOSThread()
	if syscall.Gettid() == syscall.Getpid() {
		// The main thread: hand over to a goroutine that cannot land here while we hold it.
		next := make(chan struct{})
		go r.nodeThread(argc, argv, next)
		<-next
		runtime.UnlockOSThread()
		if locked != nil {
			close(locked)
		}
		return
	}
	if locked != nil {
		close(locked)
	}
	rc := C.gwn_run(argc, argv)
	r.exitCode = int(rc)
	close(r.done)
	r.failPending()
	// The thread stays locked: it exits with the goroutine, taking Node's thread state.
}

func (r *nodeRuntime) markReady() {
	select {
	case <-r.ready:
	default:
		close(r.ready)
	}
}

// Shutdown asks Node to stop (modules should have been destroyed first) and waits at
// most timeout for node::Start to return. A process can start Node only once: after
// Shutdown, loading JS modules fails with ErrNotRunning.
func Shutdown(timeout time.Duration) error {
	r := rt
	r.mu.Lock()
	started := r.starting && r.startErr == nil
	r.mu.Unlock()
	if !started {
		return nil
	}
	select {
	case <-r.done:
		return nil
	case <-r.ready:
	}
	// A failed post means Node is already shutting down: just wait.
	_ = r.post(opQuit, 0, 0, nil)
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-r.done:
		return nil
	case <-t.C:
		return fmt.Errorf("%w: node::Start did not return within %v of shutdown", ErrTimeout, timeout)
	}
}

// ---- requests --------------------------------------------------------------------------

func (r *nodeRuntime) nextReq() uint32 {
	for {
		if id := r.reqSeq.Add(1); id != 0 {
			return id
		}
	}
}

// call posts op with payload and waits for JS's reply (or timeout, or Node's end).
func (r *nodeRuntime) call(op int, module uint32, payload []byte, timeout time.Duration) (reply, error) {
	req := r.nextReq()
	ch := make(chan reply, 1)
	r.pendMu.Lock()
	r.pending[req] = ch
	r.pendMu.Unlock()
	if err := r.post(op, module, req, payload); err != nil {
		r.pendMu.Lock()
		delete(r.pending, req)
		r.pendMu.Unlock()
		return reply{}, err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case rep := <-ch:
		return rep, nil
	case <-r.done:
		// failPending may have raced with us; prefer a reply that made it.
		select {
		case rep := <-ch:
			return rep, nil
		default:
			return reply{}, ErrNotRunning
		}
	case <-t.C:
		r.pendMu.Lock()
		delete(r.pending, req)
		r.pendMu.Unlock()
		return reply{}, fmt.Errorf("%w (%v)", ErrTimeout, timeout)
	}
}

// post hands one operation to the Node thread.
//
// # Memory
//
// payload is copied into a malloc'ed item (gwn_post_bytes); the bridge frees it after
// dispatch.
func (r *nodeRuntime) post(op int, module, req uint32, payload []byte) error {
	var p unsafe.Pointer
	if len(payload) > 0 {
		p = unsafe.Pointer(&payload[0])
	}
	switch C.gwn_post_bytes(C.int32_t(op), C.uint32_t(module), C.uint32_t(req), p, C.size_t(len(payload))) {
	case 0:
		return nil
	case -2:
		return fmt.Errorf("node: posting %d bytes: out of memory", len(payload))
	default:
		return ErrNotRunning
	}
}

func (r *nodeRuntime) complete(req uint32, status int, text string) {
	r.pendMu.Lock()
	ch := r.pending[req]
	delete(r.pending, req)
	r.pendMu.Unlock()
	if ch != nil {
		ch <- reply{status: status, text: text}
	}
}

func (r *nodeRuntime) failPending() {
	r.pendMu.Lock()
	defer r.pendMu.Unlock()
	for req, ch := range r.pending {
		delete(r.pending, req)
		ch <- reply{status: stError, text: `{"message":"node runtime stopped"}`}
	}
}

// ---- modules -----------------------------------------------------------------------------

func (r *nodeRuntime) register(i *Instance) {
	for {
		id := r.modSeq.Add(1)
		if id == 0 {
			continue
		}
		i.id = id
		break
	}
	r.modsMu.Lock()
	r.mods[i.id] = i
	r.modsMu.Unlock()
}

func (r *nodeRuntime) unregister(id uint32) {
	r.modsMu.Lock()
	delete(r.mods, id)
	r.modsMu.Unlock()
}

func (r *nodeRuntime) instance(id uint32) *Instance {
	r.modsMu.RLock()
	i := r.mods[id]
	r.modsMu.RUnlock()
	return i
}

func (r *nodeRuntime) batchDone(module uint32) {
	if i := r.instance(module); i != nil {
		select {
		case <-i.inflight:
		default:
		}
	}
}

// publish turns the bytes JS flushed into messages published by their modules, in order.
// It runs on the Node thread, so it publishes as "inside Receive" (never blocking):
// a blocked Node thread could not drain the queues of JS sinks.
func (r *nodeRuntime) publish(b []byte) {
	var cur *Instance
	curID := uint32(0)
	for len(b) > 0 {
		if len(b) < 4+14 {
			slog.Error("node: malformed publish buffer from JS (truncated header)", "bytes", len(b))
			return
		}
		id := binary.LittleEndian.Uint32(b)
		b = b[4:]
		size := int(binary.BigEndian.Uint32(b[2:6]))
		if size < 14 || size > len(b) {
			slog.Error("node: malformed publish buffer from JS (bad message size)", "size", size, "left", len(b))
			return
		}
		one := b[:size]
		b = b[size:]
		if id != curID || cur == nil {
			cur, curID = r.instance(id), id
		}
		if cur == nil || cur.destroyed.Load() {
			continue
		}
		cur.publishOne(one)
	}
}

// JS log levels (bootstrap.js).
const (
	jsError = 0
	jsWarn  = 1
	jsInfo  = 2
	jsDebug = 3
)

func (r *nodeRuntime) logJS(module uint32, level int, text string) {
	log := slog.Default().With("loader", "node")
	if module != 0 {
		if i := r.instance(module); i != nil {
			log = i.log
		}
	}
	switch level {
	case jsError:
		log.Error(text)
	case jsWarn:
		log.Warn(text)
	case jsInfo:
		log.Info(text)
	default:
		log.Debug(text)
	}
}

// ---- errors --------------------------------------------------------------------------------

// JSError is an exception thrown by a JS module (or a refusal, for create returning
// false), with the JS stack when there is one.
type JSError struct {
	Module  string // module name
	Op      string // what was running: "loading main.path", "create", ...
	Message string
	Stack   string
}

func (e *JSError) Error() string {
	s := e.Op + ": " + e.Message
	if e.Stack != "" && e.Stack != e.Message {
		s += "\n" + e.Stack
	}
	return s
}

// jsErrorFrom decodes an error reply.
func jsErrorFrom(module, op string, rep reply) *JSError {
	var d struct {
		Message string `json:"message"`
		Stack   string `json:"stack"`
		Where   string `json:"where"`
	}
	if err := json.Unmarshal([]byte(rep.text), &d); err != nil {
		d.Message = rep.text
	}
	if d.Where != "" {
		op = d.Where
	}
	return &JSError{Module: module, Op: op, Message: d.Message, Stack: d.Stack}
}
