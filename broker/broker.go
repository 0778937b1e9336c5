package broker

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgev1/gateway/cshim"
)

// Errors returned by the broker. They name the module or link in their wrapping.
var (
	ErrClosed        = errors.New("broker: closed")
	ErrDuplicate     = errors.New("broker: duplicate module")
	ErrUnknownModule = errors.New("broker: unknown module")
	ErrDuplicateLink = errors.New("broker: duplicate link")
	ErrUnknownLink   = errors.New("broker: no such link")
	ErrStarSink      = errors.New(`broker: "*" cannot be a sink`)
	ErrUnknownSource = errors.New("broker: publisher is not a module of this broker")
	ErrStuck         = errors.New("broker: module did not return from Receive in time")
)

// Star is the link source that stands for every other module.
const Star = "*"

// Sink receives the messages routed to one module.
type Sink interface {
	// Receive delivers msgs in publish order. The messages are valid only during the
	// call: the broker releases them when it returns (retain one to keep it).
	Receive(msgs []cshim.Message)
}

// Options configures a module's endpoint.
type Options struct {
	// Capacity bounds the module's queue (DefaultCapacity when 0).
	Capacity int
	// Overflow says what a full queue does (Block by default).
	Overflow Overflow
	// BatchMax bounds how many messages one Receive call gets (256 when 0).
	BatchMax int
	// SpinMax bounds how long the idle worker polls its queue before it parks
	// (DefaultSpinMax when 0; negative: never poll). See queue.go.
	SpinMax time.Duration
}

// Stats are an endpoint's counters.
type Stats struct {
	Received   uint64 // messages delivered to the module
	Published  uint64 // messages the module published
	Dropped    uint64 // messages dropped by the overflow policy
	Overflowed uint64 // pushes past the bound from inside a Receive (not lost)
	Failed     uint64 // publishes refused (the broker closed or the module was removed)
	QueueDepth int
}

// Endpoint is a module's place in the broker.
type Endpoint struct {
	b        *Broker
	name     string
	sink     Sink
	batchMax int
	q        queue

	sinks   atomic.Pointer[[]*Endpoint]
	removed atomic.Bool

	received  atomic.Uint64
	published atomic.Uint64
	failed    atomic.Uint64
	busySince atomic.Int64 // unix ns when the current Receive began, 0 when idle

	done chan struct{}
}

// Name returns the module name.
func (e *Endpoint) Name() string { return e.name }

// Stats returns a snapshot of the endpoint's counters.
func (e *Endpoint) Stats() Stats {
	return Stats{
		Received:   e.received.Load(),
		Published:  e.published.Load(),
		Dropped:    e.q.dropped.Load(),
		Overflowed: e.q.overflow.Load(),
		Failed:     e.failed.Load(),
		QueueDepth: e.q.depth(),
	}
}

type link struct{ source, sink string }

// Broker routes messages between endpoints. The zero value is not usable; use New.
type Broker struct {
	log *slog.Logger

	mu      sync.Mutex // topology; see the lock order in doc.go
	modules map[string]*Endpoint
	order   []*Endpoint // insertion order, for deterministic routing
	links   []link
	closed  bool

	handles atomic.Pointer[map[uintptr]*Endpoint]

	observer atomic.Pointer[BatchObserver]
}

// BatchObserver is told about every batch a worker delivered: the endpoint, how many
// messages the batch had and how long the module's Receive took. It runs on the
// endpoint's worker goroutine after each Receive call, so it must be cheap and must
// not block (metrics).
type BatchObserver func(e *Endpoint, n int, d time.Duration)

// SetBatchObserver installs f (nil removes it). Without an observer delivery reads
// the clock once per batch; with one, twice.
func (b *Broker) SetBatchObserver(f BatchObserver) {
	if f == nil {
		b.observer.Store(nil)
		return
	}
	b.observer.Store(&f)
}

// New returns an empty broker that logs to log (slog.Default() when nil).
func New(log *slog.Logger) *Broker {
	if log == nil {
		log = slog.Default()
	}
	b := &Broker{log: log, modules: map[string]*Endpoint{}}
	empty := map[uintptr]*Endpoint{}
	b.handles.Store(&empty)
	return b
}

// AddModule adds an endpoint for a module and starts its delivery worker.
func (b *Broker) AddModule(name string, sink Sink, opt Options) (*Endpoint, error) {
	if name == Star || name == "" {
		return nil, fmt.Errorf("broker: module %q: invalid name", name)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	if _, ok := b.modules[name]; ok {
		return nil, fmt.Errorf("%w: %q", ErrDuplicate, name)
	}
	e := &Endpoint{b: b, name: name, sink: sink, batchMax: opt.BatchMax, done: make(chan struct{})}
	if e.batchMax <= 0 {
		e.batchMax = 256
	}
	e.q.init(opt.Capacity, opt.Overflow, opt.SpinMax)
	empty := []*Endpoint{}
	e.sinks.Store(&empty)
	b.modules[name] = e
	b.order = append(b.order, e)
	b.rebuildLocked()
	go e.run()
	return e, nil
}

// Endpoint returns the named endpoint, or nil.
func (b *Broker) Endpoint(name string) *Endpoint {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.modules[name]
}

// Endpoints returns the endpoints in insertion order.
func (b *Broker) Endpoints() []*Endpoint {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*Endpoint(nil), b.order...)
}

// BindHandle makes a native module handle (the MODULE_HANDLE its Module_Create
// returned) resolve to e, so that Broker_Publish(broker, handle, msg) publishes as e.
func (b *Broker) BindHandle(handle uintptr, e *Endpoint) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := *b.handles.Load()
	m := make(map[uintptr]*Endpoint, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[handle] = e
	b.handles.Store(&m)
}

func (b *Broker) unbindLocked(e *Endpoint) {
	old := *b.handles.Load()
	m := make(map[uintptr]*Endpoint, len(old))
	for k, v := range old {
		if v != e {
			m[k] = v
		}
	}
	b.handles.Store(&m)
}

// ByHandle returns the endpoint bound to a native module handle, or nil.
func (b *Broker) ByHandle(handle uintptr) *Endpoint { return (*b.handles.Load())[handle] }

// AddLink routes messages published by source (a module name or "*") to sink.
func (b *Broker) AddLink(source, sink string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if sink == Star {
		return fmt.Errorf("%w (link %q -> %q)", ErrStarSink, source, sink)
	}
	if source != Star {
		if _, ok := b.modules[source]; !ok {
			return fmt.Errorf("%w: link source %q", ErrUnknownModule, source)
		}
	}
	if _, ok := b.modules[sink]; !ok {
		return fmt.Errorf("%w: link sink %q", ErrUnknownModule, sink)
	}
	for _, l := range b.links {
		if l.source == source && l.sink == sink {
			return fmt.Errorf("%w: %q -> %q", ErrDuplicateLink, source, sink)
		}
	}
	b.links = append(b.links, link{source, sink})
	b.rebuildLocked()
	return nil
}

// RemoveLink removes a link added by AddLink. Messages already queued for the sink
// are still delivered.
func (b *Broker) RemoveLink(source, sink string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, l := range b.links {
		if l.source == source && l.sink == sink {
			b.links = append(b.links[:i:i], b.links[i+1:]...)
			b.rebuildLocked()
			return nil
		}
	}
	return fmt.Errorf("%w: %q -> %q", ErrUnknownLink, source, sink)
}

// Links returns the links in insertion order as (source, sink) pairs.
func (b *Broker) Links() [][2]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([][2]string, len(b.links))
	for i, l := range b.links {
		out[i] = [2]string{l.source, l.sink}
	}
	return out
}

// rebuildLocked recomputes every endpoint's sink list from the links.
func (b *Broker) rebuildLocked() {
	for _, src := range b.order {
		var sinks []*Endpoint
		seen := map[*Endpoint]bool{}
		for _, l := range b.links {
			if l.source != src.name && (l.source != Star || l.sink == src.name) {
				continue
			}
			s := b.modules[l.sink]
			if s != nil && !seen[s] {
				seen[s] = true
				sinks = append(sinks, s)
			}
		}
		src.sinks.Store(&sinks)
	}
}

// RemoveModule removes the module's links, delivers what is already queued for it
// (waiting at most timeout), and stops its worker. After it returns the module's
// Receive is no longer called, so the caller may destroy the module. If the worker is
// stuck in Receive past the timeout, RemoveModule returns an error wrapping ErrStuck
// and the module must not be destroyed.
func (b *Broker) RemoveModule(name string, timeout time.Duration) error {
	b.mu.Lock()
	e := b.modules[name]
	if e == nil {
		b.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrUnknownModule, name)
	}
	delete(b.modules, name)
	for i, x := range b.order {
		if x == e {
			b.order = append(b.order[:i:i], b.order[i+1:]...)
			break
		}
	}
	kept := b.links[:0:0]
	for _, l := range b.links {
		if l.source != name && l.sink != name {
			kept = append(kept, l)
		}
	}
	b.links = kept
	b.unbindLocked(e)
	e.removed.Store(true)
	b.rebuildLocked()
	b.mu.Unlock()
	return e.stop(timeout)
}

// stop closes the endpoint's queue and waits for its worker to deliver the rest.
func (e *Endpoint) stop(timeout time.Duration) error {
	empty := []*Endpoint{}
	e.sinks.Store(&empty)
	e.q.close()
	if timeout <= 0 {
		<-e.done
		return nil
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-e.done:
		return nil
	case <-t.C:
		since := e.busySince.Load()
		stuck := time.Duration(0)
		if since != 0 {
			stuck = time.Since(time.Unix(0, since))
		}
		return &StuckError{Module: e.name, InReceive: stuck, Discarded: e.q.drain()}
	}
}

// Close stops intake on every endpoint, delivers what is queued (each worker gets at
// most timeout) and stops the workers. It returns the modules that were stuck; those
// must not be destroyed. Publishing after Close returns ErrClosed.
func (b *Broker) Close(timeout time.Duration) []error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	eps := append([]*Endpoint(nil), b.order...)
	b.links = nil
	for _, e := range eps {
		e.removed.Store(true)
	}
	b.rebuildLocked()
	b.mu.Unlock()
	for _, e := range eps {
		e.q.close()
	}
	var errs []error
	deadline := time.Now().Add(timeout)
	for _, e := range eps {
		left := time.Until(deadline)
		if left < time.Millisecond {
			left = time.Millisecond
		}
		if err := e.stop(left); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// StuckError reports a module whose worker did not finish in time: it was inside
// Receive for InReceive, and Discarded queued messages were released undelivered.
type StuckError struct {
	Module    string
	InReceive time.Duration
	Discarded int
}

func (e *StuckError) Error() string {
	return fmt.Sprintf("%v: module %q (in Receive for %v; %d queued messages discarded)", ErrStuck, e.Module, e.InReceive.Round(time.Millisecond), e.Discarded)
}

func (e *StuckError) Unwrap() error { return ErrStuck }

// Publish sends msg from e to every sink linked to it. The caller keeps its own
// reference. inReceive must be true when the caller is inside a Receive call on this
// thread (the publish then never blocks).
//
// It fails (ErrClosed) only when this module was removed or the broker closed before
// any linked sink took the message; then no sink got it. A publish that at least one
// sink took succeeds: a sink whose queue had closed by then (it was removed, or is
// being shut down with the broker) does not get the message, exactly as if the
// publish had come just after its removal. So on every link that stays, the sink gets
// exactly the publishes that succeeded.
func (e *Endpoint) Publish(msg cshim.Message, inReceive bool) error {
	// Routes first, then the removed flag. Close and RemoveModule set the flag before
	// they empty the routes, so a publish that read the emptied routes also sees the
	// flag and fails, rather than being reported accepted with nobody to deliver to.
	sinks := *e.sinks.Load()
	if e.removed.Load() {
		e.failed.Add(1)
		return fmt.Errorf("%w: module %q", ErrClosed, e.name)
	}
	if len(sinks) == 0 {
		e.published.Add(1)
		return nil
	}
	msg.Retain(int32(len(sinks)))
	refused := 0
	for _, s := range sinks {
		if s.q.push(msg, !inReceive) != nil {
			msg.Release()
			refused++
		}
	}
	if refused == len(sinks) && e.removed.Load() {
		// The broker closed (or this module was removed) during the publish, before
		// any sink took the message.
		e.failed.Add(1)
		return fmt.Errorf("%w: module %q (removed, or the broker closed, during the publish)", ErrClosed, e.name)
	}
	e.published.Add(1)
	return nil
}

// PublishFromHandle publishes as the endpoint bound to a native module handle.
func (b *Broker) PublishFromHandle(source uintptr, msg cshim.Message, inReceive bool) error {
	e := b.ByHandle(source)
	if e == nil {
		return ErrUnknownSource
	}
	return e.Publish(msg, inReceive)
}

func (e *Endpoint) run() {
	defer close(e.done)
	batch := make([]cshim.Message, 0, e.batchMax)
	for {
		var ok bool
		batch, ok = e.q.popBatch(batch[:0], e.batchMax)
		if !ok {
			return
		}
		start := time.Now()
		e.deliver(batch, start)
		obs := e.b.observer.Load()
		var took time.Duration
		if obs != nil {
			took = time.Since(start)
		}
		cshim.ReleaseAll(batch)
		e.received.Add(uint64(len(batch)))
		if obs != nil {
			(*obs)(e, len(batch), took)
		}
	}
}

func (e *Endpoint) deliver(batch []cshim.Message, start time.Time) {
	defer func() {
		if r := recover(); r != nil {
			e.b.log.Error("module Receive panicked; messages of this batch after the panic were not delivered", "module", e.name, "panic", r)
		}
		e.busySince.Store(0)
	}()
	e.busySince.Store(start.UnixNano())
	e.sink.Receive(batch)
}
