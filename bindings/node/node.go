package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

func init() { loader.Register(Kind{}) }

// CallTimeout bounds how long create and start of one JS module may take.
var CallTimeout = 60 * time.Second

// DestroyTimeout bounds how long Destroy waits for a module's destroy() (and the
// batches posted before it). It matches the gateway's default stop bound: a Node thread
// blocked by some module (an endless loop) must not hold up the gateway's destroy.
var DestroyTimeout = 5 * time.Second

// Kind is the "node" loader kind; importing the package registers it.
type Kind struct{}

var _ loader.Kind = Kind{}

// Type returns "node".
func (Kind) Type() string { return loader.Node }

// New configures a node loader. Configuration keys (all optional):
//
//   - "libnode.path": the libnode shared library (else GATEWAY_LIBNODE, else
//     <repo>/deps/libnode, else the system's libnode.so.108);
//   - "node.options": array of extra Node command-line options (e.g. "--max-old-space-size=256");
//   - "binding.path": accepted for SDK compatibility and ignored (the bridge is built
//     into the gateway).
func (Kind) New(name string, configuration []byte) (loader.Loader, error) {
	l := &Loader{name: name}
	if err := loader.CheckConfiguration(name, configuration); err != nil {
		return nil, err
	}
	if configuration == nil {
		return l, nil
	}
	cfg := gjson.ParseBytes(configuration)
	if cfg.Type == gjson.Null {
		return l, nil
	}
	if !cfg.IsObject() {
		return nil, fmt.Errorf("loader %q: configuration: must be an object", name)
	}
	if v := cfg.Get(`libnode\.path`); v.Exists() {
		if v.Type != gjson.String || v.Str == "" {
			return nil, fmt.Errorf("loader %q: configuration: \"libnode.path\" must be a non-empty string", name)
		}
		l.libnode = v.Str
	}
	if v := cfg.Get(`binding\.path`); v.Exists() && v.Type != gjson.String {
		return nil, fmt.Errorf("loader %q: configuration: \"binding.path\" must be a string", name)
	}
	if v := cfg.Get(`node\.options`); v.Exists() {
		if !v.IsArray() {
			return nil, fmt.Errorf("loader %q: configuration: \"node.options\" must be an array of strings", name)
		}
		for i, o := range v.Array() {
			if o.Type != gjson.String {
				return nil, fmt.Errorf("loader %q: configuration: \"node.options\"[%d] must be a string", name, i)
			}
			l.options = append(l.options, o.Str)
		}
	}
	return l, nil
}

// Loader loads JS modules into the process's Node instance.
type Loader struct {
	name    string
	libnode string
	options []string
}

var (
	_ loader.Loader  = (*Loader)(nil)
	_ loader.Checker = (*Loader)(nil)
)

func (l *Loader) Name() string { return l.name }
func (l *Loader) Type() string { return loader.Node }

// MainPath returns the "main.path" of a node entry point.
func MainPath(entrypoint []byte) (string, error) {
	if entrypoint == nil {
		return "", errors.New(`missing "entrypoint"`)
	}
	r := gjson.GetBytes(entrypoint, `main\.path`)
	if !r.Exists() {
		return "", errors.New(`entrypoint: missing "main.path"`)
	}
	if r.Type != gjson.String || r.Str == "" {
		return "", errors.New(`entrypoint: "main.path" must be a non-empty string`)
	}
	return r.Str, nil
}

// mainFile resolves and checks main.path (relative paths are relative to the working
// directory, as in the SDK).
func (l *Loader) mainFile(module string, entrypoint []byte) (string, error) {
	p, err := MainPath(entrypoint)
	if err != nil {
		return "", fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("loader %q: module %q: main.path %q: %w", l.name, module, p, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("loader %q: module %q: main.path: %w", l.name, module, err)
	}
	if st.IsDir() {
		return "", fmt.Errorf("loader %q: module %q: main.path %q: is a directory, not a JS file", l.name, module, p)
	}
	return abs, nil
}

// Load checks that main.path names a file. Node itself starts at the first Create.
func (l *Loader) Load(module string, entrypoint []byte) (loader.Library, error) {
	abs, err := l.mainFile(module, entrypoint)
	if err != nil {
		return nil, err
	}
	return &Library{l: l, module: module, path: abs}, nil
}

// Check checks that main.path names a file that compiles as a CommonJS module, without
// running it. Compiling needs the Node runtime, so Check starts it (once per process)
// and fails when libnode cannot be found.
func (l *Loader) Check(module string, entrypoint []byte) error {
	abs, err := l.mainFile(module, entrypoint)
	if err != nil {
		return err
	}
	if err := l.startRuntime(module); err != nil {
		return err
	}
	rep, err := rt.call(opCheck, 0, []byte(abs), CallTimeout)
	if err != nil {
		return fmt.Errorf("loader %q: module %q: checking main.path: %w", l.name, module, err)
	}
	if rep.status != stOK {
		return fmt.Errorf("loader %q: module %q: main.path %q: %w", l.name, module, abs, jsErrorFrom(module, "compiling main.path", rep))
	}
	return nil
}

func (l *Loader) startRuntime(module string) error {
	lib, err := FindLibnode(l.libnode)
	if err != nil {
		return fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	if err := rt.start(lib, l.options); err != nil {
		return fmt.Errorf("loader %q: module %q: starting node: %w", l.name, module, err)
	}
	return nil
}

// Library is one module's JS file.
type Library struct {
	l      *Loader
	module string
	path   string
}

var _ loader.Library = (*Library)(nil)

// Path returns the absolute main.path.
func (lib *Library) Path() string { return lib.path }

// Create starts Node if needed, loads a fresh copy of the module file and calls
// create(broker, configuration) with configuration = JSON.parse(args) (null when args
// is absent). A false result or an exception fails with an error naming the module.
func (lib *Library) Create(ctx loader.CreateContext) (loader.Instance, error) {
	l := lib.l
	if err := l.startRuntime(ctx.Module); err != nil {
		return nil, err
	}
	log := ctx.Log
	if log == nil {
		log = slog.Default().With("module", ctx.Module)
	}
	inst := &Instance{
		name:     ctx.Module,
		ep:       ctx.Endpoint,
		log:      log,
		inflight: make(chan struct{}, maxInFlight),
	}
	rt.register(inst)
	spec := struct {
		Name string  `json:"name"`
		Path string  `json:"path"`
		Args *string `json:"args"`
	}{ctx.Module, lib.path, ctx.Args}
	payload, err := json.Marshal(spec)
	if err != nil {
		rt.unregister(inst.id)
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, ctx.Module, err)
	}
	rep, err := rt.call(opCreate, inst.id, payload, CallTimeout)
	if err != nil {
		inst.destroyed.Store(true)
		if errors.Is(err, ErrTimeout) {
			// create may still finish: the destroy queued behind it undoes it.
			_ = rt.post(opDestroy, inst.id, 0, nil)
		}
		rt.unregister(inst.id)
		return nil, fmt.Errorf("loader %q: module %q: create: %w", l.name, ctx.Module, err)
	}
	switch rep.status {
	case stOK:
		return inst, nil
	case stRefused:
		rt.unregister(inst.id)
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, ctx.Module, jsErrorFrom(ctx.Module, "create", rep))
	default:
		rt.unregister(inst.id)
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, ctx.Module, jsErrorFrom(ctx.Module, "create", rep))
	}
}

// Close has nothing to unload: each instance loaded its own copy of the file.
func (lib *Library) Close() error { return nil }

// Instance is a created JS module.
type Instance struct {
	id   uint32
	name string
	ep   *broker.Endpoint
	log  *slog.Logger

	inflight  chan struct{} // one token per posted batch JS has not handled
	buf       []byte        // serialization buffer (Receive is never concurrent)
	destroyed atomic.Bool

	dropped       atomic.Uint64 // messages not delivered (Node gone, post failed)
	publishFailed atomic.Uint64 // JS publishes the broker refused
}

var _ loader.Instance = (*Instance)(nil)

// Start calls the module's start() if it has one, and waits for it.
func (i *Instance) Start() {
	if i.destroyed.Load() {
		return
	}
	rep, err := rt.call(opStart, i.id, nil, CallTimeout)
	if err != nil {
		i.log.Error("node: start", "error", err)
	} else if rep.status != stOK {
		i.log.Error("node: start", "error", jsErrorFrom(i.name, "start", rep))
	}
}

// Receive serializes the batch (SDK byte-array format, back to back) and posts it to JS
// as one call; it returns once the batch is queued for the Node thread. At most
// maxInFlight batches per module wait for JS: past that Receive blocks, so the broker's
// queue bound still applies.
func (i *Instance) Receive(msgs []cshim.Message) {
	if i.destroyed.Load() || len(msgs) == 0 {
		return
	}
	buf := i.buf[:0]
	var err error
	for _, m := range msgs {
		if buf, err = m.AppendBytes(buf); err != nil {
			i.log.Error("node: cannot serialize a message; skipped", "error", err)
		}
	}
	if cap(buf) <= 1<<20 {
		i.buf = buf
	} else {
		i.buf = nil
	}
	if len(buf) == 0 {
		return
	}
	select {
	case i.inflight <- struct{}{}:
	case <-rt.done:
		i.drop(len(msgs), ErrNotRunning)
		return
	}
	if err := rt.post(opReceive, i.id, 0, buf); err != nil {
		<-i.inflight
		i.drop(len(msgs), err)
	}
}

func (i *Instance) drop(n int, err error) {
	if i.dropped.Add(uint64(n)) == uint64(n) {
		i.log.Error("node: messages not delivered to JS (further drops are counted, not logged)", "count", n, "error", err)
	}
}

// publishOne publishes one serialized message from JS (Node thread).
func (i *Instance) publishOne(b []byte) {
	msg, err := cshim.MessageFromBytes(b)
	if err != nil {
		i.log.Error("node: broker.publish: invalid message (keys and values must not contain NUL; keys must be unique)", "error", err)
		return
	}
	if i.ep == nil {
		msg.Release()
		return
	}
	if err := i.ep.Publish(msg, true); err != nil {
		if i.publishFailed.Add(1) == 1 {
			i.log.Warn("node: broker.publish failed (further failures are counted, not logged)", "error", err)
		}
	}
	msg.Release()
}

// Destroy calls the module's destroy() (after every batch already posted to it) and
// waits for it, at most DestroyTimeout.
func (i *Instance) Destroy() {
	if i.destroyed.Swap(true) {
		return
	}
	rep, err := rt.call(opDestroy, i.id, nil, DestroyTimeout)
	if err != nil && !errors.Is(err, ErrNotRunning) {
		i.log.Error("node: destroy", "error", err)
	} else if err == nil && rep.status != stOK {
		i.log.Error("node: destroy", "error", jsErrorFrom(i.name, "destroy", rep))
	}
	rt.unregister(i.id)
}

// Dropped reports how many messages could not be handed to JS (Node stopped).
func (i *Instance) Dropped() uint64 { return i.dropped.Load() }
