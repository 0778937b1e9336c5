// Package gateway is the gateway runtime: it owns the module loaders, the broker and
// the modules, and implements the SDK's lifecycle (create from JSON, start, add and
// remove modules and links at run time, update from JSON with rollback, destroy).
//
// Every failure of a multi-step operation undoes the steps already done, so a failed
// create leaves nothing behind and a failed update leaves the previous configuration
// running.
package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/loader"
)

// Event is a gateway lifecycle event (GATEWAY_EVENT).
type Event int

// The events, with the SDK's values.
const (
	Created Event = iota
	Started
	ModuleListChanged
	Destroyed
	eventCount
)

func (e Event) String() string {
	switch e {
	case Created:
		return "GATEWAY_CREATED"
	case Started:
		return "GATEWAY_STARTED"
	case ModuleListChanged:
		return "GATEWAY_MODULE_LIST_CHANGED"
	case Destroyed:
		return "GATEWAY_DESTROYED"
	}
	return fmt.Sprintf("GATEWAY_EVENT(%d)", int(e))
}

// Callback receives events. It runs on the goroutine that caused the event, with no
// gateway lock held (it may call the gateway).
type Callback func(g *Gateway, e Event)

// Errors of the gateway.
var (
	ErrDestroyed     = errors.New("gateway: destroyed")
	ErrUnknownLoader = errors.New("unknown loader")
	ErrUnknownType   = errors.New("unknown loader type")
	ErrDuplicate     = errors.New("duplicate module name")
	ErrNotFound      = errors.New("no such module")
)

// Options configures a gateway.
type Options struct {
	// Log receives the gateway's log; slog.Default() when nil.
	Log *slog.Logger
	// BrokerHandle returns the C BROKER_HANDLE for the gateway's broker (the value
	// native modules receive in Module_Create). Zero when nil (no native modules).
	BrokerHandle func(*broker.Broker) uintptr
	// ReleaseBrokerHandle is called on Destroy with the handle BrokerHandle returned.
	ReleaseBrokerHandle func(uintptr)
	// StopTimeout bounds how long Destroy and RemoveModule wait for a module to
	// return from Receive (5 s when 0).
	StopTimeout time.Duration
}

// Module is a module of a gateway.
type Module struct {
	Name     string
	Loader   string
	Instance loader.Instance
	Endpoint *broker.Endpoint

	lib     loader.Library
	started atomic.Bool
	// cfg is the configuration entry the module was created from (hasCfg false for
	// modules adopted through the C API); Reload compares it with the new one.
	cfg    config.Module
	hasCfg bool
}

// Started reports whether the module's Start has been called.
func (m *Module) Started() bool { return m.started.Load() }

// Gateway is a running gateway. Its methods are safe for concurrent use.
type Gateway struct {
	log  *slog.Logger
	opts Options

	mu        sync.Mutex // serializes lifecycle operations
	broker    *broker.Broker
	bhandle   uintptr
	loaders   map[string]loader.Loader
	modules   []*Module
	byName    map[string]*Module
	started   bool
	destroyed bool
	// entries are the "loaders" entries applied so far, by loader name (Reload
	// compares them with the new configuration's).
	entries map[string]config.Loader

	// Lock-free mirrors for observers (metrics, readiness): they never wait for a
	// lifecycle operation in progress.
	snapshot     atomic.Pointer[[]*Module]
	startedFlag  atomic.Bool
	destroyedFlg atomic.Bool

	cbMu      sync.Mutex
	callbacks [eventCount][]Callback
}

// New returns an empty gateway with the default loaders (one per registered type,
// named after its type).
func New(opts Options) (*Gateway, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.StopTimeout <= 0 {
		opts.StopTimeout = 5 * time.Second
	}
	g := &Gateway{
		log:     opts.Log,
		opts:    opts,
		broker:  broker.New(opts.Log),
		loaders: map[string]loader.Loader{},
		byName:  map[string]*Module{},
		entries: map[string]config.Loader{},
	}
	g.publishLocked()
	for _, typ := range loader.DefaultTypes {
		k, ok := loader.Lookup(typ)
		if !ok {
			continue
		}
		l, err := k.New(typ, nil)
		if err != nil {
			return nil, fmt.Errorf("gateway: default loader %q: %w", typ, err)
		}
		g.loaders[typ] = l
	}
	if opts.BrokerHandle != nil {
		g.bhandle = opts.BrokerHandle(g.broker)
	}
	return g, nil
}

// FromConfig creates a gateway from a parsed configuration: loaders, then modules in
// order, then links. It does not start the modules. On failure everything already
// created is destroyed.
func FromConfig(cfg *config.Config, opts Options) (*Gateway, error) {
	g, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := g.Update(cfg); err != nil {
		g.Destroy()
		return nil, err
	}
	g.emit(Created)
	return g, nil
}

// Broker returns the gateway's broker.
func (g *Gateway) Broker() *broker.Broker { return g.broker }

// BrokerHandle returns the C handle of the gateway's broker.
func (g *Gateway) BrokerHandle() uintptr { return g.bhandle }

// Log returns the gateway's logger.
func (g *Gateway) Log() *slog.Logger { return g.log }

// AddEventCallback registers cb for event e.
func (g *Gateway) AddEventCallback(e Event, cb Callback) {
	if e < 0 || e >= eventCount || cb == nil {
		return
	}
	g.cbMu.Lock()
	g.callbacks[e] = append(g.callbacks[e], cb)
	g.cbMu.Unlock()
}

func (g *Gateway) emit(e Event) {
	g.cbMu.Lock()
	cbs := append([]Callback(nil), g.callbacks[e]...)
	g.cbMu.Unlock()
	for _, cb := range cbs {
		cb(g, e)
	}
}

// configureLoadersLocked applies "loaders" entries: an entry named like an existing
// loader replaces its configuration; a new name adds a loader of the entry's type.
// It returns an undo function.
func (g *Gateway) configureLoadersLocked(entries []config.Loader) (func(), error) {
	prev := map[string]loader.Loader{}
	prevEntries := map[string]*config.Loader{}
	added := []string{}
	undo := func() {
		for name, l := range prev {
			g.loaders[name] = l
		}
		for _, name := range added {
			delete(g.loaders, name)
		}
		for name, e := range prevEntries {
			if e == nil {
				delete(g.entries, name)
			} else {
				g.entries[name] = *e
			}
		}
	}
	for i, e := range entries {
		k, ok := loader.Lookup(e.Type)
		if !ok {
			undo()
			return nil, fmt.Errorf("loaders[%d] (%q): %w %q (known: %v)", i, e.Name, ErrUnknownType, e.Type, loader.Types())
		}
		if old, exists := g.loaders[e.Name]; exists && old.Type() != e.Type {
			undo()
			return nil, fmt.Errorf("loaders[%d] (%q): type %q does not match the existing loader of type %q", i, e.Name, e.Type, old.Type())
		}
		l, err := k.New(e.Name, e.Configuration)
		if err != nil {
			undo()
			return nil, fmt.Errorf("loaders[%d]: %w", i, err)
		}
		if old, exists := g.loaders[e.Name]; exists {
			if _, saved := prev[e.Name]; !saved {
				prev[e.Name] = old
			}
		} else {
			added = append(added, e.Name)
		}
		g.loaders[e.Name] = l
		if _, saved := prevEntries[e.Name]; !saved {
			if old, ok := g.entries[e.Name]; ok {
				prevEntries[e.Name] = &old
			} else {
				prevEntries[e.Name] = nil
			}
		}
		g.entries[e.Name] = e
	}
	return undo, nil
}

// Update adds the loaders, modules and links of cfg (the JSON update of the SDK).
// New modules are started when the gateway has been started. On failure every change
// is undone and the gateway is as before.
func (g *Gateway) Update(cfg *config.Config) error {
	g.mu.Lock()
	if g.destroyed {
		g.mu.Unlock()
		return ErrDestroyed
	}
	undoLoaders, err := g.configureLoadersLocked(cfg.Loaders)
	if err != nil {
		g.mu.Unlock()
		return fmt.Errorf("gateway: %w", err)
	}
	var added []*Module
	var addedLinks [][2]string
	rollback := func() {
		for i := len(addedLinks) - 1; i >= 0; i-- {
			_ = g.broker.RemoveLink(addedLinks[i][0], addedLinks[i][1])
		}
		for i := len(added) - 1; i >= 0; i-- {
			g.removeLocked(added[i])
		}
		undoLoaders()
	}
	for _, m := range cfg.Modules {
		mod, err := g.addModuleLocked(m)
		if err != nil {
			rollback()
			g.mu.Unlock()
			return fmt.Errorf("gateway: modules[%d]: %w", m.Index, err)
		}
		added = append(added, mod)
	}
	for _, l := range cfg.Links {
		if err := g.broker.AddLink(l.Source, l.Sink); err != nil {
			rollback()
			g.mu.Unlock()
			return fmt.Errorf("gateway: links[%d]: %w", l.Index, err)
		}
		addedLinks = append(addedLinks, [2]string{l.Source, l.Sink})
	}
	var toStart []*Module
	if g.started {
		toStart = added
	}
	g.mu.Unlock()
	for _, m := range toStart {
		g.startModule(m)
	}
	if len(added) > 0 || len(addedLinks) > 0 {
		g.emit(ModuleListChanged)
	}
	return nil
}

// slot lets the broker endpoint exist before the instance does.
type slot struct{ inst loader.Instance }

func (s *slot) Receive(msgs []cshim.Message) {
	if s.inst != nil {
		s.inst.Receive(msgs)
	}
}

// addModuleLocked loads and creates one module and adds it to the broker.
func (g *Gateway) addModuleLocked(m config.Module) (*Module, error) {
	if m.Name == "" || m.Name == broker.Star {
		return nil, fmt.Errorf("module %q: invalid name", m.Name)
	}
	if _, dup := g.byName[m.Name]; dup {
		return nil, fmt.Errorf("%w %q", ErrDuplicate, m.Name)
	}
	ldr, ok := g.loaders[m.Loader]
	if !ok {
		return nil, fmt.Errorf("module %q: loader.name: %w %q", m.Name, ErrUnknownLoader, m.Loader)
	}
	lib, err := ldr.Load(m.Name, m.Entrypoint)
	if err != nil {
		return nil, err
	}
	overflow, err := broker.ParseOverflow(m.Queue.Overflow)
	if err != nil {
		_ = lib.Close()
		return nil, fmt.Errorf("module %q: queue.overflow: %w", m.Name, err)
	}
	s := &slot{}
	ep, err := g.broker.AddModule(m.Name, s, broker.Options{Capacity: m.Queue.Capacity, Overflow: overflow,
		SpinMax: time.Duration(m.Queue.SpinUs) * time.Microsecond})
	if err != nil {
		_ = lib.Close()
		return nil, fmt.Errorf("module %q: %w", m.Name, err)
	}
	inst, err := lib.Create(loader.CreateContext{
		Module:   m.Name,
		Args:     m.Args,
		Broker:   g.bhandle,
		Endpoint: ep,
		Log:      g.log.With("module", m.Name),
	})
	if err != nil {
		_ = g.broker.RemoveModule(m.Name, g.opts.StopTimeout)
		_ = lib.Close()
		return nil, err
	}
	s.inst = inst
	if h, ok := inst.(loader.Handled); ok {
		g.broker.BindHandle(h.Handle(), ep)
	}
	mod := &Module{Name: m.Name, Loader: m.Loader, Instance: inst, Endpoint: ep, lib: lib, cfg: m, hasCfg: true}
	g.modules = append(g.modules, mod)
	g.byName[m.Name] = mod
	g.publishLocked()
	g.log.Debug("module created", "module", m.Name, "loader", m.Loader)
	return mod, nil
}

// AddModule creates one module (and starts it if the gateway is started).
func (g *Gateway) AddModule(m config.Module) (*Module, error) {
	g.mu.Lock()
	if g.destroyed {
		g.mu.Unlock()
		return nil, ErrDestroyed
	}
	mod, err := g.addModuleLocked(m)
	start := err == nil && g.started
	g.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	if start {
		g.startModule(mod)
	}
	g.emit(ModuleListChanged)
	return mod, nil
}

// AdoptModule adds an already created instance (used by the C API for modules
// created by C loaders).
func (g *Gateway) AdoptModule(name, loaderName string, lib loader.Library, create func(ep *broker.Endpoint) (loader.Instance, error)) (*Module, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.destroyed {
		return nil, ErrDestroyed
	}
	if _, dup := g.byName[name]; dup || name == broker.Star || name == "" {
		return nil, fmt.Errorf("gateway: %w %q", ErrDuplicate, name)
	}
	s := &slot{}
	ep, err := g.broker.AddModule(name, s, broker.Options{})
	if err != nil {
		return nil, fmt.Errorf("gateway: module %q: %w", name, err)
	}
	inst, err := create(ep)
	if err != nil {
		_ = g.broker.RemoveModule(name, g.opts.StopTimeout)
		return nil, err
	}
	s.inst = inst
	if h, ok := inst.(loader.Handled); ok {
		g.broker.BindHandle(h.Handle(), ep)
	}
	mod := &Module{Name: name, Loader: loaderName, Instance: inst, Endpoint: ep, lib: lib}
	g.modules = append(g.modules, mod)
	g.byName[name] = mod
	g.publishLocked()
	return mod, nil
}

func (g *Gateway) startModule(m *Module) {
	g.mu.Lock()
	if m.started.Load() || g.byName[m.Name] != m {
		g.mu.Unlock()
		return
	}
	m.started.Store(true)
	g.mu.Unlock()
	m.Instance.Start()
}

// AnnounceModuleListChanged reports GATEWAY_MODULE_LIST_CHANGED (for callers that
// changed the module set through AdoptModule).
func (g *Gateway) AnnounceModuleListChanged() { g.emit(ModuleListChanged) }

// Start starts every module not yet started, in order.
func (g *Gateway) Start() error {
	g.mu.Lock()
	if g.destroyed {
		g.mu.Unlock()
		return ErrDestroyed
	}
	g.started = true
	g.startedFlag.Store(true)
	mods := append([]*Module(nil), g.modules...)
	g.mu.Unlock()
	for _, m := range mods {
		g.startModule(m)
	}
	g.emit(Started)
	return nil
}

// StartModule starts one module.
func (g *Gateway) StartModule(name string) error {
	g.mu.Lock()
	m := g.byName[name]
	g.mu.Unlock()
	if m == nil {
		return fmt.Errorf("gateway: %w %q", ErrNotFound, name)
	}
	g.startModule(m)
	return nil
}

// Module returns the named module, or nil.
func (g *Gateway) Module(name string) *Module {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.byName[name]
}

// ModuleByHandle returns the module whose native handle is h, or nil.
func (g *Gateway) ModuleByHandle(h uintptr) *Module {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.modules {
		if hd, ok := m.Instance.(loader.Handled); ok && hd.Handle() == h {
			return m
		}
	}
	return nil
}

// Modules returns the modules in creation order. It does not wait for a lifecycle
// operation in progress (it returns the set before or after it).
func (g *Gateway) Modules() []*Module {
	return append([]*Module(nil), (*g.snapshot.Load())...)
}

// publishLocked refreshes the lock-free copy of the module list.
func (g *Gateway) publishLocked() {
	s := append([]*Module(nil), g.modules...)
	g.snapshot.Store(&s)
}

// Ready reports whether the gateway has been started, is not being destroyed, and
// every module has been started; when not, why says what is missing. It does not
// wait for a lifecycle operation in progress.
func (g *Gateway) Ready() (ready bool, why string) {
	if g.destroyedFlg.Load() {
		return false, "the gateway is being destroyed"
	}
	if !g.startedFlag.Load() {
		return false, "the gateway has not been started"
	}
	var waiting []string
	for _, m := range *g.snapshot.Load() {
		if !m.started.Load() {
			waiting = append(waiting, m.Name)
		}
	}
	if len(waiting) > 0 {
		return false, fmt.Sprintf("modules not started yet: %v", waiting)
	}
	return true, ""
}

// Links returns the links as (source, sink) pairs.
func (g *Gateway) Links() [][2]string { return g.broker.Links() }

// AddLink adds a link ("*" as source means every other module).
func (g *Gateway) AddLink(source, sink string) error {
	if err := g.broker.AddLink(source, sink); err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	g.emit(ModuleListChanged)
	return nil
}

// RemoveLink removes a link.
func (g *Gateway) RemoveLink(source, sink string) error {
	if err := g.broker.RemoveLink(source, sink); err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	g.emit(ModuleListChanged)
	return nil
}

// RemoveModule removes a module and its links, delivers what was queued for it,
// destroys it and unloads its code.
func (g *Gateway) RemoveModule(name string) error {
	g.mu.Lock()
	m := g.byName[name]
	if m == nil {
		g.mu.Unlock()
		return fmt.Errorf("gateway: %w %q", ErrNotFound, name)
	}
	err := g.removeLocked(m)
	g.mu.Unlock()
	g.emit(ModuleListChanged)
	return err
}

// removeLocked detaches, drains and destroys one module.
func (g *Gateway) removeLocked(m *Module) error {
	delete(g.byName, m.Name)
	for i, x := range g.modules {
		if x == m {
			g.modules = append(g.modules[:i:i], g.modules[i+1:]...)
			break
		}
	}
	g.publishLocked()
	if a, ok := m.Instance.(loader.Aborter); ok {
		a.Abort()
	}
	if err := g.broker.RemoveModule(m.Name, g.opts.StopTimeout); err != nil {
		g.log.Error("module not destroyed: it is stuck in Receive (its resources are leaked)", "module", m.Name, "err", err)
		return fmt.Errorf("gateway: %w", err)
	}
	m.Instance.Destroy()
	if m.lib != nil {
		if err := m.lib.Close(); err != nil {
			g.log.Warn("unloading module", "module", m.Name, "err", err)
		}
	}
	return nil
}

// Destroy stops intake, delivers what is queued (bounded by StopTimeout), destroys
// the modules in reverse order of creation and releases the broker. Modules stuck in
// Receive are reported by name and left alone; Destroy never waits for them beyond
// the timeout. The returned error lists them.
func (g *Gateway) Destroy() error {
	g.mu.Lock()
	if g.destroyed {
		g.mu.Unlock()
		return nil
	}
	g.destroyed = true
	g.destroyedFlg.Store(true)
	g.mu.Unlock()
	g.emit(Destroyed)

	g.mu.Lock()
	defer g.mu.Unlock()
	stuck := map[string]error{}
	for _, err := range g.broker.Close(g.opts.StopTimeout) {
		var se *broker.StuckError
		name := ""
		if errors.As(err, &se) {
			name = se.Module
		}
		stuck[name] = err
		g.log.Error("module stuck in Receive during destroy; not destroyed", "module", name, "err", err)
	}
	for i := len(g.modules) - 1; i >= 0; i-- {
		m := g.modules[i]
		if _, bad := stuck[m.Name]; bad {
			continue
		}
		m.Instance.Destroy()
		if m.lib != nil {
			if err := m.lib.Close(); err != nil {
				g.log.Warn("unloading module", "module", m.Name, "err", err)
			}
		}
	}
	g.modules = nil
	g.byName = map[string]*Module{}
	g.publishLocked()
	if g.opts.ReleaseBrokerHandle != nil && g.bhandle != 0 {
		g.opts.ReleaseBrokerHandle(g.bhandle)
	}
	if len(stuck) > 0 {
		var errs []error
		for _, e := range stuck {
			errs = append(errs, e)
		}
		return fmt.Errorf("gateway: destroy: %w", errors.Join(errs...))
	}
	return nil
}
