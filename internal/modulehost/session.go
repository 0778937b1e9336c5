package modulehost

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/loader"
	"github.com/edgev1/gateway/loader/outprocess"
)

// Names of the endpoints of a session's internal gateway.
const (
	ModuleName   = "module"
	downlinkName = "outprocess.downlink"
	uplinkName   = "outprocess.uplink"

	ackEvery    = 256
	dataTimeout = 50 * time.Millisecond
)

// session is one hosted module: what one CREATE made. It runs a tiny internal gateway with three endpoints:
// "outprocess.downlink" (a Go endpoint that publishes what arrives on the message channel), the module, and
// "outprocess.uplink" (a Go sink that sends what the module publishes over the message channel), linked
// downlink -> module -> uplink. The broker provides the queues, the ordering, serial delivery and backpressure;
// Broker_Publish from a native module reaches the uplink through the gateway's broker handle.
type session struct {
	h    *Host
	log  *slog.Logger
	uri  string
	args string
	msg  *sp.Socket
	g    *gateway.Gateway
	down *broker.Endpoint
	mod  *broker.Endpoint

	closing atomic.Bool
	closed  bool
	drained bool

	// Counters of the session (heartbeat extension). Frames received from the gateway, frames whose module
	// Receive returned (or that were malformed), frames sent to the gateway and uplink messages that could not
	// be serialized.
	drecv, dproc, usent, uskip atomic.Uint64
	badFrames                  atomic.Uint64

	// What the gateway reported: it speaks the extension, it sent its FIN, its counters (full values).
	gwExt          atomic.Bool
	gwFin          atomic.Bool
	gwSent, gwDone atomic.Uint64

	// Checkpoints: after the module returned from a batch, (frames processed, messages the module had published
	// by then). A processed count is acknowledged only once the gateway received every message published up to
	// its checkpoint, so a message is never acknowledged while its consequences could still be lost.
	cpMu sync.Mutex
	cps  []checkpoint
	safe uint64

	ackKick   chan struct{}
	ackForce  atomic.Bool
	finSent   atomic.Bool
	stateKick chan struct{}
	quit      chan struct{}
	wg        sync.WaitGroup
	buf       []byte // uplink serialization buffer (uplink worker only)
}

type checkpoint struct{ done, pub uint64 }

// newSession binds the message channel and creates the module. The status tells the gateway which failure it was.
func (h *Host) newSession(uri, args string) (*session, abi.ReplyStatus, error) {
	spec, err := ParseSpec(args)
	if err != nil {
		return nil, abi.ReplyCreateError, err
	}
	if err := CheckMessageURI(uri, h.opts.MessageDir); err != nil {
		return nil, abi.ReplyConnectionError, err
	}
	s := &session{h: h, log: h.log, uri: uri, args: args,
		ackKick: make(chan struct{}, 1), stateKick: make(chan struct{}, 1), quit: make(chan struct{})}
	if s.msg, err = sp.NewPair(); err != nil {
		return nil, abi.ReplyConnectionError, err
	}
	s.msg.SetSendTimeout(dataTimeout)
	s.msg.SetRecvTimeout(0)
	_ = s.msg.SetRecvMaxSize(-1)
	if err := s.msg.Bind(uri); err != nil {
		s.msg.Close()
		return nil, abi.ReplyConnectionError, fmt.Errorf("message channel: %w", err)
	}
	if err := s.build(spec); err != nil {
		s.msg.Close()
		if s.g != nil {
			_ = s.g.Destroy()
		}
		return nil, abi.ReplyCreateError, err
	}
	s.wg.Add(2)
	go s.downlink()
	go s.acker()
	return s, abi.ReplyOK, nil
}

// build makes the internal gateway: loaders, the two Go endpoints, the module, the links.
func (s *session) build(spec *Spec) error {
	h := s.h
	opts := gateway.Options{Log: h.log}
	if h.rt != nil {
		opts = h.rt.Options()
		opts.Log = h.log
	}
	g, err := gateway.New(opts)
	if err != nil {
		return err
	}
	s.g = g
	ldr, err := LoaderFor(spec)
	if err != nil {
		return err
	}
	lib, err := ldr.Load(ModuleName, spec.Entrypoint)
	if err != nil {
		return err
	}
	b := g.Broker()
	if _, err := b.AddModule(uplinkName, uplink{s}, broker.Options{}); err != nil {
		_ = lib.Close()
		return err
	}
	if s.down, err = b.AddModule(downlinkName, nopSink{}, broker.Options{}); err != nil {
		_ = lib.Close()
		return err
	}
	_, err = g.AdoptModule(ModuleName, spec.Loader, lib, func(ep *broker.Endpoint) (loader.Instance, error) {
		inst, err := lib.Create(loader.CreateContext{
			Module: ModuleName, Args: spec.Args, Broker: g.BrokerHandle(), Endpoint: ep,
			Log: h.log.With("module", ModuleName),
		})
		if err != nil {
			return nil, err
		}
		s.mod = ep
		return wrap(inst, s, ep), nil
	})
	if err != nil {
		_ = lib.Close()
		return err
	}
	if err := b.AddLink(downlinkName, ModuleName); err != nil {
		return err
	}
	return b.AddLink(ModuleName, uplinkName)
}

// LoaderFor returns the loader that runs the module: the outprocess.loaders entry named like
// outprocess.loader.name, else the default loader of that name (default loaders are named after their type).
// Every entry's type must be known.
func LoaderFor(spec *Spec) (loader.Loader, error) {
	var use *config.Loader
	for i := range spec.Loaders {
		e := &spec.Loaders[i]
		if _, ok := loader.Lookup(e.Type); !ok {
			return nil, fmt.Errorf("args: outprocess.loaders[%d]: unknown loader type %q (known: %v)", i, e.Type, loader.Types())
		}
		if e.Name == spec.Loader {
			use = e
		}
	}
	if use != nil {
		k, _ := loader.Lookup(use.Type)
		l, err := k.New(use.Name, use.Configuration)
		if err != nil {
			return nil, fmt.Errorf("args: outprocess.loaders: %w", err)
		}
		return l, nil
	}
	if !slices.Contains(loader.DefaultTypes, spec.Loader) {
		return nil, fmt.Errorf("args: outprocess.loader.name: unknown loader %q (default loaders: %v; others need an outprocess.loaders entry)", spec.Loader, loader.DefaultTypes)
	}
	k, ok := loader.Lookup(spec.Loader)
	if !ok {
		return nil, fmt.Errorf("args: outprocess.loader.name: loader %q is not part of this build", spec.Loader)
	}
	return k.New(spec.Loader, nil)
}

// start starts the module (START).
func (s *session) start() {
	if err := s.g.Start(); err != nil {
		s.log.Error("module host: start", "err", err)
	}
}

// close ends the session at once: the message channel closes (what is still queued for the gateway is dropped),
// then the module is destroyed.
func (s *session) close() {
	if s.closed {
		return
	}
	s.closed = true
	s.closing.Store(true)
	s.msg.Close()
	if err := s.g.Destroy(); err != nil {
		s.log.Error("module host: destroying the module", "err", err)
	}
	close(s.quit)
	s.wg.Wait()
	if n := s.badFrames.Load(); n > 0 {
		s.log.Warn("module host: malformed data frames received from the gateway", "count", n)
	}
}

func kick(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// ---- downlink: gateway to module --------------------------------------------------------------------------

func (s *session) downlink() {
	defer s.wg.Done()
	for {
		m, err := s.msg.RecvMsg()
		if errors.Is(err, sp.ErrTimeout) {
			kick(s.ackKick)
			kick(s.stateKick)
			s.msg.SetRecvTimeout(-1)
			m, err = s.msg.RecvMsg()
			s.msg.SetRecvTimeout(0)
		}
		if err != nil {
			if errors.Is(err, sp.ErrClosed) {
				return
			}
			s.log.Warn("module host: message channel receive failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := cshim.MessageFromBytes(m.Bytes())
		m.Free()
		s.drecv.Add(1)
		if err != nil {
			if s.badFrames.Add(1) == 1 {
				s.log.Error("module host: malformed data frame from the gateway (dropped; further ones are counted)", "err", err)
			}
			s.processed(1)
			continue
		}
		perr := s.down.Publish(msg, false)
		msg.Release()
		if perr != nil {
			return // the session is closing
		}
	}
}

// processed records that n more frames were handled (called by the module's worker after Receive).
func (s *session) processed(n int) {
	done := s.dproc.Add(uint64(n))
	var pub uint64
	if s.mod != nil {
		pub = s.mod.Stats().Published
	}
	s.cpMu.Lock()
	switch {
	case !s.gwExt.Load():
		// No acknowledgements yet: the last checkpoint covers the earlier ones.
		s.cps = append(s.cps[:0], checkpoint{done, pub})
	case len(s.cps) > 0 && s.cps[len(s.cps)-1].pub == pub:
		s.cps[len(s.cps)-1].done = done
	default:
		s.cps = append(s.cps, checkpoint{done, pub})
	}
	s.cpMu.Unlock()
	kick(s.ackKick)
	kick(s.stateKick)
}

// safeDone returns the processed count the host may acknowledge now.
func (s *session) safeDone() uint64 {
	acked := s.gwDone.Load() + s.uskip.Load()
	s.cpMu.Lock()
	i := 0
	for i < len(s.cps) && s.cps[i].pub <= acked {
		s.safe = s.cps[i].done
		i++
	}
	s.cps = append(s.cps[:0], s.cps[i:]...)
	v := s.safe
	s.cpMu.Unlock()
	return v
}

// acker sends COUNTS to a gateway that speaks the extension: every ackEvery safe frames, when it catches up with
// what was received, and when asked (PING).
func (s *session) acker() {
	defer s.wg.Done()
	var last uint64
	for {
		select {
		case <-s.ackKick:
		case <-s.quit:
			return
		}
		if !s.gwExt.Load() || s.finSent.Load() {
			continue
		}
		safe := s.safeDone()
		force := s.ackForce.Swap(false)
		if force || safe-last >= ackEvery || (safe != last && safe >= s.drecv.Load()) {
			last = safe
			s.h.sendControl(outprocess.EncodeCounts(outprocess.Counts{Sent: s.usent.Load(), Done: safe}))
		}
	}
}

// onHeartbeat handles a HEARTBEAT from the gateway (on the control reader's goroutine).
func (s *session) onHeartbeat(m abi.ControlMessage) {
	s.gwExt.Store(true)
	if outprocess.IsAnnounce(m) { // PING
		s.ackForce.Store(true)
		kick(s.ackKick)
		return
	}
	w, ok := outprocess.ParseCounts(m)
	if !ok {
		return
	}
	if v, ok := outprocess.UnwrapForward(s.gwDone.Load(), w.Done); ok {
		s.gwDone.Store(v)
	}
	if v, ok := outprocess.UnwrapForward(s.gwSent.Load(), w.Sent); ok {
		s.gwSent.Store(v)
	}
	if w.Fin && !s.gwFin.Swap(true) {
		kick(s.h.finKick)
	}
	kick(s.ackKick)
	kick(s.stateKick)
}

// ---- uplink: module to gateway --------------------------------------------------------------------------

// uplink is the sink of what the module publishes: one data frame per message, in order.
type uplink struct{ s *session }

func (u uplink) Receive(msgs []cshim.Message) {
	s := u.s
	for _, m := range msgs {
		if s.closing.Load() {
			s.uskip.Add(1)
			continue
		}
		var err error
		if s.buf, err = m.AppendBytes(s.buf[:0]); err != nil {
			s.uskip.Add(1)
			continue
		}
		if !s.sendData(s.buf) {
			s.uskip.Add(1)
			continue
		}
		s.usent.Add(1)
	}
}

func (s *session) sendData(b []byte) bool {
	for {
		err := s.msg.Send(b)
		switch {
		case err == nil:
			return true
		case errors.Is(err, sp.ErrTimeout):
			if s.closing.Load() {
				return false
			}
		case errors.Is(err, sp.ErrClosed):
			return false
		default:
			s.log.Warn("module host: message channel send failed", "err", err)
			time.Sleep(10 * time.Millisecond)
		}
	}
}

type nopSink struct{}

func (nopSink) Receive([]cshim.Message) {}

// ---- the hosted module ------------------------------------------------------------------------------------

// hosted wraps the module instance to count what it processed.
type hosted struct {
	inner loader.Instance
	s     *session
}

func (m *hosted) Receive(msgs []cshim.Message) {
	m.inner.Receive(msgs)
	m.s.processed(len(msgs))
}
func (m *hosted) Start()   { m.inner.Start() }
func (m *hosted) Destroy() { m.inner.Destroy() }

// hostedNative also forwards the native module handle, so Broker_Publish(broker, handle, msg) resolves to the
// module's endpoint.
type hostedNative struct {
	*hosted
	h loader.Handled
}

func (m hostedNative) Handle() uintptr { return m.h.Handle() }

func wrap(inst loader.Instance, s *session, _ *broker.Endpoint) loader.Instance {
	w := &hosted{inner: inst, s: s}
	if h, ok := inst.(loader.Handled); ok {
		return hostedNative{w, h}
	}
	return w
}

// ---- drain (HEARTBEAT extension) --------------------------------------------------------------------------

// waitUntil waits for cond while progress keeps moving; it gives up after idle without progress.
func (s *session) waitUntil(cond func() bool, progress func() uint64, idle time.Duration) bool {
	last := progress()
	lastT := time.Now()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-s.stateKick:
		case <-t.C:
		}
		if p := progress(); p != last {
			last, lastT = p, time.Now()
		} else if time.Since(lastT) > idle {
			return cond()
		}
	}
	return true
}

// drain runs after the gateway's FIN: take every frame the gateway sent, let the module process them, destroy
// the module (which delivers what it published to the gateway), report FIN and wait until the gateway has
// received everything.
func (s *session) drain() {
	if s.drained {
		return
	}
	s.drained = true
	want := s.gwSent.Load()
	if !s.waitUntil(func() bool { return s.drecv.Load() >= want }, s.drecv.Load, 2*time.Second) {
		s.log.Warn("module host: drain: frames announced by the gateway did not arrive", "announced", want, "received", s.drecv.Load())
	}
	if !s.waitUntil(func() bool { return s.dproc.Load() >= s.drecv.Load() }, s.dproc.Load, 5*time.Second) {
		s.log.Warn("module host: drain: the module did not process every message", "received", s.drecv.Load(), "processed", s.dproc.Load())
	}
	if err := s.g.Destroy(); err != nil {
		s.log.Error("module host: destroying the module", "err", err)
	}
	s.finSent.Store(true)
	sent := s.usent.Load()
	s.h.sendControl(outprocess.EncodeCounts(outprocess.Counts{Fin: true, Sent: sent, Done: s.dproc.Load()}))
	if !s.waitUntil(func() bool { return s.gwDone.Load() >= sent }, s.gwDone.Load, 2*time.Second) {
		s.log.Warn("module host: drain: the gateway did not acknowledge every message", "sent", sent, "acknowledged", s.gwDone.Load())
	}
}
