package outprocess

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/loader"
)

// state is the proxy's view of its remote.
type state int

const (
	stCreating state = iota // no session: CREATE is being sent (or a launched child is being restarted)
	stAttached              // a session is up: data frames flow
	stDraining              // FIN sent to an extension-speaking remote; waiting for its FIN (detach or destroy)
	stFailed                // a launched child kept dying: messages are dropped and counted
	stClosed                // destroyed
)

func (s state) String() string {
	return [...]string{"creating", "attached", "draining", "failed", "closed"}[s]
}

const (
	tick          = 50 * time.Millisecond // the run loop's clock
	dataTimeout   = 50 * time.Millisecond // a blocked data send re-checks whether it should give up this often
	ackEvery      = 256                   // COUNTS at least every this many frames (and whenever a side goes idle)
	stableAfter   = 10 * time.Second      // a launched child attached this long resets the crash count
	drainIdleMin  = 5 * time.Second       // a drain gives up after this long without progress
	dropLogEvery  = 5 * time.Second
	maxCtlFrame   = 64 << 10               // remote-to-gateway control frames are 8 to 16 bytes
	msgReconnect  = 20 * time.Millisecond  // the message channel appears right after CREATE: dial it eagerly
	msgWatchdog   = time.Second            // an attached session's message channel unconnected this long: new socket
	destroyLinger = 500 * time.Millisecond // after DESTROY, wait at most this long for the remote to hang up
	ctlWatchdog   = 3                      // CREATEs in a row that could not be sent while connected: redial
)

type evKind int

const (
	evStart evKind = iota
	evDestroy
	evChildExit
)

type event struct {
	kind  evKind
	child *child
}

// proxy is the gateway-side module of an out-of-process module (an Instance of this loader).
//
// # Goroutines
//
// The broker's worker for this module calls Receive, which serializes and sends data frames itself (no extra
// hop). ctlReader and msgReader receive from the two sockets; the writer sends every control frame; run owns the
// session state machine (attach, detach, heartbeats, drains, child supervision) and is the only goroutine that
// changes the state.
//
// # Lock order
//
// sendMu (the send side of the message socket: Receive's chunk and the resender) before mu (the gate, the
// window, the counters). run changes the session generation only while holding both, so a holder of sendMu
// sees a stable session.
type proxy struct {
	ep          *Entrypoint
	out         *broker.Endpoint
	log         *slog.Logger
	createFrame []byte

	ctlSock atomic.Pointer[sp.Socket] // the control socket; redialed by the watchdog in onTick
	mc      atomic.Pointer[msgChan]   // the message socket and its receive count; a new one for each session
	mcMu    sync.Mutex
	mcCh    chan struct{} // closed and replaced when a socket is replaced or the proxy closes
	msgDown time.Time     // run: since when the attached session's message channel is unconnected
	closing atomic.Bool
	wr      *writer
	readers sync.WaitGroup

	ctlIn      chan abi.ControlMessage
	events     chan event
	done       chan struct{} // closed when run returns
	firstReply chan error    // the outcome of the first attach (Create waits for it)

	// Guarded by mu.
	mu          sync.Mutex
	cond        sync.Cond
	st          state
	gen         uint64
	resending   bool
	windowing   bool
	aborted     bool
	win         window
	resend      []cshim.Message // owned references, sent first in the next session
	dsent       uint64          // data frames sent in this session
	peerDone    uint64          // frames the remote reported processed
	dropped     uint64
	lastDropLog time.Time

	sendMu   sync.Mutex
	pause    atomic.Bool // asks the holder of sendMu to stop at the next frame boundary
	buf      []byte      // serialization buffer (sendMu)
	sentList []cshim.Message

	extended  atomic.Bool   // the remote of this session speaks the HEARTBEAT extension
	ackedU    atomic.Uint64 // received count in the last COUNTS queued
	dsentA    atomic.Uint64 // mirror of dsent for COUNTS
	badFrames atomic.Uint64
	badCtl    atomic.Uint64
	warned    sync.Map // one-time warnings

	// Owned by run.
	started      bool
	everAttached bool
	lastHeard    time.Time
	pingSent     time.Time
	annDeadline  time.Time
	peerSent     uint64
	peerFin      bool
	drain        *drainState
	child        *child
	childUp      bool // the current child attached at least once
	restartAt    time.Time
	failures     int
	deadline     time.Time // of the first attach
}

type drainState struct {
	forDestroy   bool
	lastProgress time.Time
	mark         uint64
}

var (
	_ loader.Instance = (*proxy)(nil)
	_ broker.Sink     = (*proxy)(nil)
)

// newProxy dials both channels, starts the goroutines and waits for the first REPLY.
func newProxy(lib *Library, ctx loader.CreateContext) (*proxy, error) {
	ep := lib.ep
	args := "null"
	if ctx.Args != nil {
		args = *ctx.Args
	}
	create, err := abi.EncodeControl(abi.ControlMessage{Type: abi.ControlCreate, URI: ep.MessageURL, Args: args})
	if err != nil {
		return nil, fmt.Errorf("args: %w", err)
	}
	log := ctx.Log
	if log == nil {
		log = slog.Default().With("module", ctx.Module)
	}
	p := &proxy{
		ep: ep, out: ctx.Endpoint, log: log, createFrame: create,
		ctlIn: make(chan abi.ControlMessage, 64), events: make(chan event, 8),
		done: make(chan struct{}), firstReply: make(chan error, 1), mcCh: make(chan struct{}),
	}
	p.cond.L = &p.mu
	if ep.Launch != nil {
		for _, id := range []string{ep.ControlID, ep.MessageID} {
			if err := ensureSocketDir(id); err != nil {
				return nil, fmt.Errorf("socket directory of %q: %w", id, err)
			}
		}
	}
	ctl, err := p.newCtlSocket()
	if err != nil {
		return nil, fmt.Errorf("control.id: %w", err)
	}
	p.ctlSock.Store(ctl)
	msg, err := p.newMsgSocket()
	if err != nil {
		ctl.Close()
		return nil, fmt.Errorf("message.id: %w", err)
	}
	p.mc.Store(&msgChan{s: msg})
	p.wr = newWriter(p.ctl, log, ep.Timeout, func() error { return checkOwner(ep.ControlURL) })
	p.readers.Add(2)
	go p.ctlReader()
	go p.msgReader()
	go p.run()
	if err := <-p.firstReply; err != nil {
		<-p.done
		p.readers.Wait()
		return nil, err
	}
	return p, nil
}

func (p *proxy) newCtlSocket() (*sp.Socket, error) {
	s, err := sp.NewPair()
	if err != nil {
		return nil, err
	}
	s.SetSendTimeout(p.ep.Timeout)
	_ = s.SetRecvMaxSize(maxCtlFrame)
	if err := s.Dial(p.ep.ControlURL); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ctl returns the control socket.
func (p *proxy) ctl() *sp.Socket { return p.ctlSock.Load() }

// renewCtlSocket redials the control channel: CREATE has not been accepted for a while although nanomsg reports
// a connection (its dialer can stay stuck after the peer died with a send pending). The old socket is closed
// first, so there is never a second dialer.
func (p *proxy) renewCtlSocket() {
	old := p.ctl()
	old.SetLinger(0)
	old.Close()
	s, err := p.newCtlSocket()
	if err != nil {
		p.log.Error("outprocess: cannot renew the control channel socket", "err", err)
		return
	}
	p.ctlSock.Store(s)
	p.mcMu.Lock()
	close(p.mcCh)
	p.mcCh = make(chan struct{})
	p.mcMu.Unlock()
}

// newMsgSocket dials the message channel on a new socket. Each session gets a fresh one: nanomsg 1.1.5's dialer
// can stay unconnected for good when its peer dies while a send is pending (observed with kill -9 under load), so
// the proxy does not rely on it reconnecting across remotes.
func (p *proxy) newMsgSocket() (*sp.Socket, error) {
	s, err := sp.NewPair()
	if err != nil {
		return nil, err
	}
	s.SetSendTimeout(dataTimeout)
	s.SetRecvTimeout(0)
	_ = s.SetRecvMaxSize(-1)
	_ = s.SetReconnectInterval(msgReconnect)
	if err := s.Dial(p.ep.MessageURL); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// msgChan is one message socket and the count of data frames received on it in the session. A frame that
// arrives on a socket after it was replaced is published but never counted in the new session.
type msgChan struct {
	s    *sp.Socket
	recv atomic.Uint64
}

// closeMsgSocket closes the session's message socket when the session ends (called with sendMu held). Between
// sessions no socket dials the message channel: nanomsg's pair socket refuses a second connection, and 1.1.5
// can leave that refused dialer looking connected for good, so a stale dialer must not race the next remote's.
func (p *proxy) closeMsgSocket() {
	s := p.mc.Load().s
	s.SetLinger(0) // what is still queued is unacknowledged: it is resent
	s.Close()
}

// renewMsgSocket dials a new message socket, carrying the receive count over (called with sendMu held, so no
// frame is being sent), and closes the old one first.
func (p *proxy) renewMsgSocket(carry uint64) {
	p.closeMsgSocket()
	s, err := p.newMsgSocket()
	if err != nil {
		p.log.Error("outprocess: cannot renew the message channel socket", "err", err)
		return
	}
	n := &msgChan{s: s}
	n.recv.Store(carry)
	p.mc.Store(n)
	p.mcMu.Lock()
	close(p.mcCh)
	p.mcCh = make(chan struct{})
	p.mcMu.Unlock()
}

// waitCtlChange blocks the control reader until the control socket is redialed or the proxy closes.
func (p *proxy) waitCtlChange(old *sp.Socket) {
	for {
		p.mcMu.Lock()
		ch := p.mcCh
		p.mcMu.Unlock()
		if p.ctl() != old || p.closing.Load() {
			return
		}
		<-ch
	}
}

// waitMsgChange blocks the message reader until the socket it used is replaced or the proxy closes.
func (p *proxy) waitMsgChange(old *msgChan) {
	for {
		p.mcMu.Lock()
		ch := p.mcCh
		p.mcMu.Unlock()
		if p.mc.Load() != old || p.closing.Load() {
			return
		}
		<-ch
	}
}

func (p *proxy) msg() *sp.Socket { return p.mc.Load().s }

// urecv is the count of data frames received from the remote in this session.
func (p *proxy) urecv() uint64 { return p.mc.Load().recv.Load() }

func (p *proxy) closeSockets() {
	p.closing.Store(true)
	p.ctl().Close()
	p.msg().Close()
	p.mcMu.Lock()
	close(p.mcCh)
	p.mcCh = make(chan struct{})
	p.mcMu.Unlock()
}

// ---- Instance -------------------------------------------------------------------------------------------

// Start sends START now (when attached) and after every later attach.
func (p *proxy) Start() { p.post(event{kind: evStart}) }

// Destroy drains (with an extension-speaking remote), sends DESTROY, closes the channels and, for activation
// "launch", ends the child (grace period, SIGTERM, SIGKILL).
func (p *proxy) Destroy() {
	p.post(event{kind: evDestroy})
	<-p.done
	p.readers.Wait()
}

// Abort tells the proxy that the gateway is being destroyed: Receive stops waiting for a remote (it still
// sends to an attached one) and drops, counting them, the messages it cannot send.
func (p *proxy) Abort() {
	p.mu.Lock()
	p.aborted = true
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *proxy) post(e event) {
	select {
	case p.events <- e:
	case <-p.done:
	}
}

// ---- data: gateway to remote ----------------------------------------------------------------------------

// Receive sends each message as one data frame, in order. It blocks while no remote is attached or the window
// of unacknowledged frames is full, which is the module's backpressure: the broker's bounded queue for this
// module fills and publishers wait. It never drops a message except when the module failed or the gateway is
// being destroyed without a remote (both counted and logged).
func (p *proxy) Receive(msgs []cshim.Message) {
	for len(msgs) > 0 {
		room, drop := p.waitGate()
		if drop {
			p.countDrop(len(msgs))
			return
		}
		n := p.sendChunk(msgs[:min(room, len(msgs))])
		msgs = msgs[n:]
	}
}

func (p *proxy) waitGate() (room int, drop bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		switch {
		case p.st == stFailed || p.st == stClosed:
			return 0, true
		case p.st == stAttached && !p.resending:
			if !p.windowing || p.aborted {
				return 1 << 30, false
			}
			if r := p.ep.Window - p.win.len(); r > 0 {
				return r, false
			}
		case p.aborted:
			return 0, true
		}
		p.cond.Wait()
	}
}

// sendChunk sends a prefix of chunk and returns how many messages it consumed (sent, or dropped because they
// cannot be serialized). It stops early when the session ends.
func (p *proxy) sendChunk(chunk []cshim.Message) int {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	p.mu.Lock()
	ok := p.st == stAttached && !p.resending
	p.mu.Unlock()
	if !ok {
		return 0
	}
	consumed := 0
	p.sentList = p.sentList[:0]
	for _, m := range chunk {
		var err error
		p.buf, err = m.AppendBytes(p.buf[:0])
		if err != nil {
			p.countDrop(1)
			consumed++
			continue
		}
		if !p.sendFrame(p.buf) {
			break
		}
		p.sentList = append(p.sentList, m)
		consumed++
	}
	p.mu.Lock()
	if p.windowing {
		for _, m := range p.sentList {
			m.Retain(1)
			p.win.push(m, p.dsent)
			p.dsent++
		}
	} else {
		p.dsent += uint64(len(p.sentList))
	}
	p.dsentA.Store(p.dsent)
	p.mu.Unlock()
	return consumed
}

// sendFrame sends one data frame, waiting while the remote applies backpressure. It gives up (false) when
// asked to pause or when the socket closes. Called with sendMu held.
func (p *proxy) sendFrame(b []byte) bool {
	for {
		err := p.msg().Send(b)
		switch {
		case err == nil:
			return true
		case errors.Is(err, sp.ErrTimeout):
		case errors.Is(err, sp.ErrClosed):
			if !p.closing.Load() {
				time.Sleep(dataTimeout) // a socket that could not be renewed: the watchdog retries; do not spin
			}
			return false
		default:
			p.warnOnce("send", "outprocess: message channel send failed", "err", err)
			time.Sleep(10 * time.Millisecond) // an unexpected nanomsg error: do not spin
		}
		if p.pause.Load() {
			return false
		}
	}
}

// resendLoop sends the frames left unacknowledged by the previous session before new ones, then opens the gate.
// It takes sendMu for one frame at a time, so a pause (session end, socket renewal) gets through between frames.
func (p *proxy) resendLoop(gen uint64) {
	var rel []cshim.Message
	for {
		p.sendMu.Lock()
		p.mu.Lock()
		if p.gen != gen || len(p.resend) == 0 || p.st != stAttached {
			p.mu.Unlock()
			p.sendMu.Unlock()
			break
		}
		m := p.resend[0]
		p.mu.Unlock()
		var err error
		p.buf, err = m.AppendBytes(p.buf[:0])
		sent := err == nil && p.sendFrame(p.buf)
		if err != nil || sent {
			p.mu.Lock()
			p.resend[0] = 0
			p.resend = p.resend[1:]
			if sent && p.windowing {
				p.win.push(m, p.dsent)
			} else {
				rel = append(rel, m)
			}
			if sent {
				p.dsent++
				p.dsentA.Store(p.dsent)
			}
			p.mu.Unlock()
		}
		p.sendMu.Unlock()
		if !sent && err == nil && p.closing.Load() {
			break
		}
	}
	cshim.ReleaseAll(rel)
	p.mu.Lock()
	if p.gen == gen {
		p.resending = false
	}
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *proxy) countDrop(n int) {
	p.mu.Lock()
	p.dropped += uint64(n)
	total, st := p.dropped, p.st
	logIt := time.Since(p.lastDropLog) >= dropLogEvery
	if logIt {
		p.lastDropLog = time.Now()
	}
	p.mu.Unlock()
	if logIt {
		why := "the gateway is being destroyed and no remote is attached"
		if st == stFailed {
			why = "the module failed (its module host kept dying)"
		}
		p.log.Error("outprocess: messages dropped", "why", why, "dropped_total", total)
	}
}

// ---- data: remote to gateway ----------------------------------------------------------------------------

// msgReader publishes every data frame from the remote, with the proxy module as the source. Before it blocks
// waiting for more, it acknowledges what it received (an extension-speaking remote waits for that to leave).
func (p *proxy) msgReader() {
	defer p.readers.Done()
	for {
		mc := p.mc.Load()
		sock := mc.s
		m, err := sock.RecvMsg()
		if errors.Is(err, sp.ErrTimeout) {
			if p.extended.Load() {
				if u := mc.recv.Load(); u != p.ackedU.Load() && mc == p.mc.Load() {
					p.queueCounts(u, false)
				}
			}
			sock.SetRecvTimeout(-1)
			m, err = sock.RecvMsg()
			sock.SetRecvTimeout(0)
		}
		if err != nil {
			if errors.Is(err, sp.ErrClosed) {
				if p.closing.Load() {
					return
				}
				p.waitMsgChange(mc) // between sessions: wait for the next one's socket
				continue
			}
			p.warnOnce("recv", "outprocess: message channel receive failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := cshim.MessageFromBytes(m.Bytes())
		m.Free()
		if err != nil {
			if p.badFrames.Add(1) == 1 {
				p.log.Error("outprocess: malformed data frame from the remote (dropped; further ones are counted)", "err", err)
			}
		} else {
			if perr := p.out.Publish(msg, false); perr != nil {
				p.warnOnce("publish", "outprocess: publishing a message from the remote failed", "err", perr)
			}
			msg.Release()
		}
		u := mc.recv.Add(1)
		if p.extended.Load() && u-p.ackedU.Load() >= ackEvery && mc == p.mc.Load() {
			p.queueCounts(u, false)
		}
	}
}

func (p *proxy) queueCounts(u uint64, fin bool) {
	p.ackedU.Store(u)
	p.wr.setCounts(Counts{Fin: fin, Sent: p.dsentA.Load(), Done: u})
}

// ctlReader decodes control frames from the remote and hands them to run. Malformed frames are logged and
// skipped.
func (p *proxy) ctlReader() {
	defer p.readers.Done()
	for {
		sock := p.ctl()
		b, err := sock.Recv()
		if err != nil {
			if errors.Is(err, sp.ErrClosed) {
				if p.closing.Load() {
					return
				}
				p.waitCtlChange(sock) // redialed
				continue
			}
			p.warnOnce("ctlrecv", "outprocess: control channel receive failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := abi.DecodeControl(b)
		if err != nil {
			if n := p.badCtl.Add(1); n <= 10 {
				p.log.Warn("outprocess: malformed control frame from the remote (ignored; only the first 10 are logged)", "err", err, "bytes", len(b))
			}
			continue
		}
		select {
		case p.ctlIn <- m:
		case <-p.done:
			return
		}
	}
}

func (p *proxy) warnOnce(key, msg string, args ...any) {
	if _, seen := p.warned.LoadOrStore(key, true); !seen {
		p.log.Warn(msg, args...)
	}
}

// ---- the state machine ----------------------------------------------------------------------------------

func (p *proxy) run() {
	defer close(p.done)
	now := time.Now()
	p.deadline = now.Add(p.ep.CreateTimeout)
	if p.ep.Launch != nil {
		if err := p.spawn(); err != nil {
			p.teardown(false)
			p.firstReply <- fmt.Errorf("launch.path %q: %w", p.ep.Launch.Path, err)
			return
		}
	}
	if p.ep.Launch == nil {
		p.log.Info("outprocess: waiting for the remote", "control", p.ep.ControlURL,
			"hint", "activation \"none\": start it with: gateway-module-host "+p.ep.ControlID)
	}
	p.wr.setCreate(p.createFrame)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case m := <-p.ctlIn:
			p.onControl(m)
		case e := <-p.events:
			p.onEvent(e)
		case <-t.C:
			p.onTick()
		}
		p.mu.Lock()
		closed := p.st == stClosed
		p.mu.Unlock()
		if closed {
			return
		}
	}
}

func (p *proxy) curState() state {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

func (p *proxy) setState(s state) {
	p.mu.Lock()
	p.st = s
	p.mu.Unlock()
	p.cond.Broadcast()
}

// failFirst reports a failed first attach to Create and tears everything down.
func (p *proxy) failFirst(err error) {
	p.teardown(false)
	p.firstReply <- err
}

func (p *proxy) onControl(m abi.ControlMessage) {
	p.lastHeard = time.Now()
	st := p.curState()
	switch m.Type {
	case abi.ControlReply:
		switch {
		case st == stCreating && m.Status == abi.ReplyOK:
			p.attach()
		case st == stCreating && m.Status == abi.ReplyDetach:
			// A remote leaving before it was attached: nothing to do, CREATE goes on.
		case st == stCreating:
			err := fmt.Errorf("the remote refused CREATE: REPLY status %d (%s); see the module host's log", uint8(m.Status), m.Status)
			if !p.everAttached {
				p.failFirst(err)
				return
			}
			p.log.Error("outprocess: re-attach failed", "err", err)
			p.remoteFailed()
		case m.Status == abi.ReplyDetach && st == stAttached:
			p.log.Info("outprocess: the remote detached (REPLY 0xFF)", "extension", p.extended.Load())
			if p.extended.Load() {
				p.beginDrain(false)
			} else {
				p.endSession()
				p.enterCreating()
			}
		case m.Status == abi.ReplyOK && st == stAttached:
			// A REPLY to a duplicate CREATE: the remote created its module again, with fresh counters.
			p.log.Info("outprocess: the remote re-created its module (answer to a repeated CREATE); starting a new session")
			p.endSession()
			p.attach()
		}
	case abi.ControlHeartbeat:
		if p.ep.Heartbeat == 0 {
			return
		}
		if IsAnnounce(m) {
			if st == stAttached && !p.extended.Load() {
				p.extended.Store(true)
				p.wr.sendPing() // proves to the remote that this gateway speaks the extension
				p.pingSent = time.Now()
				p.log.Debug("outprocess: the remote speaks the heartbeat extension")
			}
			return
		}
		if w, ok := ParseCounts(m); ok && (st == stAttached || st == stDraining) && p.extended.Load() {
			p.onCounts(w)
		}
	default:
		p.warnOnce("type"+m.Type.String(), "outprocess: unexpected control message from the remote (ignored)", "type", m.Type.String())
	}
}

func (p *proxy) onCounts(w WireCounts) {
	var rel []cshim.Message
	p.mu.Lock()
	done, fresh := UnwrapForward(p.peerDone, w.Done)
	if !fresh {
		p.mu.Unlock()
		return // a stale report (cannot happen on the ordered control channel; ignored to be safe)
	}
	if done > p.dsent {
		done = p.dsent // a remote cannot have processed more than was sent
	}
	if done > p.peerDone {
		rel = p.win.ackUpTo(done, nil)
		p.peerDone = done
	}
	p.mu.Unlock()
	if len(rel) > 0 {
		cshim.ReleaseAll(rel)
		p.cond.Broadcast()
	}
	if sent, ok := UnwrapForward(p.peerSent, w.Sent); ok {
		p.peerSent = sent
	}
	if w.Fin {
		p.peerFin = true
	}
	if p.drain != nil {
		p.checkDrain(time.Now())
	}
}

// attach starts a session after REPLY 0.
func (p *proxy) attach() {
	if err := checkOwner(p.ep.MessageURL); err != nil {
		if !p.everAttached {
			p.failFirst(err)
			return
		}
		p.log.Error("outprocess: refusing the remote", "err", err)
		p.remoteFailed()
		return
	}
	p.wr.setCreate(nil)
	// A fresh message socket for the session, dialed now that the new remote has bound its end (nanomsg 1.1.5's
	// dialer can stay stuck after its peer died with a send pending, or attach to a leaving remote's socket).
	p.pause.Store(true)
	p.sendMu.Lock()
	p.pause.Store(false)
	if p.everAttached {
		p.renewMsgSocket(0)
	} else {
		p.mc.Load().recv.Store(0) // the first session uses the socket dialed at creation
	}
	p.sendMu.Unlock()
	p.ackedU.Store(0)
	p.extended.Store(false)
	p.mu.Lock()
	p.st = stAttached
	p.dsent, p.peerDone = 0, 0
	p.dsentA.Store(0)
	p.windowing = p.ep.Heartbeat > 0
	p.resending = len(p.resend) > 0
	gen, resend := p.gen, len(p.resend)
	p.mu.Unlock()
	p.cond.Broadcast()
	now := time.Now()
	p.peerSent, p.peerFin, p.drain = 0, false, nil
	p.lastHeard, p.pingSent = now, now
	p.annDeadline = now.Add(p.ep.Timeout)
	if p.started {
		p.wr.send(frameStart)
	}
	if resend > 0 {
		p.log.Info("outprocess: resending the messages the previous remote did not acknowledge", "count", resend)
		go p.resendLoop(gen)
	}
	if p.child != nil {
		p.childUp = true
	}
	if !p.everAttached {
		p.everAttached = true
		p.firstReply <- nil
	}
	p.log.Info("outprocess: remote attached", "control", p.ep.ControlURL, "message", p.ep.MessageURL)
}

// endSession closes the current session: the gate shuts, unacknowledged frames are kept to be sent first in the
// next session.
func (p *proxy) endSession() {
	p.pause.Store(true)
	p.sendMu.Lock()
	p.pause.Store(false)
	if !p.closing.Load() {
		p.closeMsgSocket()
	}
	p.mu.Lock()
	p.gen++
	if p.win.len() > 0 {
		old := p.resend
		p.resend = p.win.takeAll(make([]cshim.Message, 0, p.win.len()+len(old)))
		p.resend = append(p.resend, old...)
	}
	if p.st == stAttached || p.st == stDraining {
		p.st = stCreating
	}
	p.resending = false
	p.mu.Unlock()
	p.sendMu.Unlock()
	p.cond.Broadcast()
	p.extended.Store(false)
	p.drain = nil
}

func (p *proxy) enterCreating() {
	if p.curState() != stCreating {
		return
	}
	p.wr.setCreate(p.createFrame)
}

// beginDrain stops sending data and tells the remote how many frames it must expect (COUNTS with FIN).
func (p *proxy) beginDrain(forDestroy bool) {
	p.setState(stDraining)
	p.pause.Store(true)
	p.sendMu.Lock() // waits for a chunk in progress to commit
	p.pause.Store(false)
	p.sendMu.Unlock()
	p.mu.Lock()
	dsent, mark := p.dsent, p.peerDone+p.urecv()
	p.mu.Unlock()
	u := p.urecv()
	p.ackedU.Store(u)
	p.wr.setCounts(Counts{Fin: true, Sent: dsent, Done: u})
	p.drain = &drainState{forDestroy: forDestroy, lastProgress: time.Now(), mark: mark}
	p.checkDrain(time.Now())
}

// checkDrain finishes a drain once the remote reported FIN and every frame it sent arrived, or gives up when the
// remote stops making progress.
func (p *proxy) checkDrain(now time.Time) {
	d := p.drain
	p.mu.Lock()
	done, dsent := p.peerDone, p.dsent
	p.mu.Unlock()
	u := p.urecv()
	if mark := done + u; mark != d.mark {
		d.mark, d.lastProgress = mark, now
	}
	complete := p.peerFin && u >= p.peerSent
	idle := max(drainIdleMin, 2*p.ep.Timeout)
	if !complete && now.Sub(d.lastProgress) < idle {
		return
	}
	if !complete {
		p.log.Warn("outprocess: drain incomplete: the remote stopped making progress",
			"sent", dsent, "processed", done, "remote_fin", p.peerFin, "received", u, "remote_sent", p.peerSent)
	}
	// The final COUNTS acknowledges everything received, so the remote can close its socket.
	p.ackedU.Store(u)
	p.wr.setCounts(Counts{Fin: true, Sent: dsent, Done: u})
	if d.forDestroy {
		p.drain = nil
		p.teardown(true)
		return
	}
	p.endSession()
	p.enterCreating()
}

func (p *proxy) onEvent(e event) {
	switch e.kind {
	case evStart:
		p.started = true
		if p.curState() == stAttached {
			p.wr.send(frameStart)
		}
	case evDestroy:
		if p.curState() == stAttached && p.extended.Load() {
			p.beginDrain(true)
			return
		}
		p.teardown(true)
	case evChildExit:
		p.onChildExit(e.child)
	}
}

func (p *proxy) onTick() {
	now := time.Now()
	st := p.curState()
	if !p.everAttached && now.After(p.deadline) {
		p.failFirst(p.noReplyError())
		return
	}
	switch st {
	case stCreating:
		if p.ep.Launch != nil && p.child == nil && !p.restartAt.IsZero() && !now.Before(p.restartAt) {
			p.restartAt = time.Time{}
			p.log.Info("outprocess: restarting the module host", "attempt", p.failures, "path", p.ep.Launch.Path)
			if err := p.spawn(); err != nil {
				p.log.Error("outprocess: cannot restart the module host", "err", err)
				p.childGone(nil)
			}
		}
		if n, err := p.ctl().Connections(); err == nil && n == 0 {
			p.wr.createNow() // the next remote gets CREATE as soon as it binds
		} else if err == nil && p.wr.stuckCreates() >= ctlWatchdog {
			p.log.Warn("outprocess: CREATE cannot be sent although the control channel is connected; redialing it")
			p.wr.resetStuck()
			p.renewCtlSocket()
		}
	case stAttached:
		if n, err := p.ctl().Connections(); err == nil && n == 0 {
			p.log.Warn("outprocess: the remote is gone (control connection lost)")
			p.endSession()
			p.enterCreating()
			return
		}
		if n, err := p.msg().Connections(); err == nil && n == 0 {
			if p.msgDown.IsZero() {
				p.msgDown = now
			} else if now.Sub(p.msgDown) > msgWatchdog {
				p.log.Warn("outprocess: the message channel does not connect; renewing its socket", "message", p.ep.MessageURL)
				p.msgDown = time.Time{}
				p.pause.Store(true)
				p.sendMu.Lock()
				p.pause.Store(false)
				p.renewMsgSocket(p.urecv())
				p.sendMu.Unlock()
			}
		} else {
			p.msgDown = time.Time{}
		}
		if p.extended.Load() {
			silence := now.Sub(p.lastHeard)
			if silence >= 3*p.ep.Heartbeat+p.ep.Heartbeat/2 {
				p.unresponsive(silence)
				return
			}
			if silence >= p.ep.Heartbeat && now.Sub(p.pingSent) >= p.ep.Heartbeat {
				p.wr.sendPing()
				p.pingSent = now
			}
		} else if now.After(p.annDeadline) {
			p.mu.Lock()
			var rel []cshim.Message
			if p.windowing {
				p.windowing = false
				rel = p.win.takeAll(nil)
			}
			p.mu.Unlock()
			if len(rel) > 0 {
				cshim.ReleaseAll(rel)
			}
			p.cond.Broadcast()
		}
	case stDraining:
		if p.drain != nil {
			p.checkDrain(now)
		}
	}
}

func (p *proxy) noReplyError() error {
	d := p.ep.CreateTimeout
	if p.ep.Launch != nil {
		pid := 0
		if p.child != nil {
			pid = p.child.pid
		}
		return fmt.Errorf("no REPLY to CREATE within %v from the launched module host (%s, pid %d) on %s; it was stopped",
			d, p.ep.Launch.Path, pid, p.ep.ControlURL)
	}
	return fmt.Errorf("no REPLY to CREATE within %v on %s (activation \"none\": is the module host running, e.g. `gateway-module-host %s`?)",
		d, p.ep.ControlURL, p.ep.ControlID)
}

// unresponsive handles a remote that stopped answering heartbeats.
func (p *proxy) unresponsive(silence time.Duration) {
	p.log.Error("outprocess: the remote stopped answering heartbeats", "silent_for", silence.Round(time.Millisecond))
	if p.child != nil {
		p.log.Error("outprocess: killing the hung module host", "pid", p.child.pid)
		p.child.kill(syscall.SIGKILL) // its exit restarts it
	}
	p.endSession()
	p.enterCreating()
}

// remoteFailed handles a remote that answered CREATE with an error after the first attach.
func (p *proxy) remoteFailed() {
	if p.ep.Launch == nil {
		return // activation none: keep sending CREATE every timeout; the operator fixes the remote
	}
	if p.child != nil { // counted as a failure when it exits
		p.child.kill(syscall.SIGTERM) // restarted (after the backoff) when it exits
	}
}

// ---- the launched child -----------------------------------------------------------------------------------

func (p *proxy) spawn() error {
	c, err := startChild(p.ep.Launch)
	if err != nil {
		return err
	}
	p.child, p.childUp = c, false
	p.log.Info("outprocess: module host launched", "pid", c.pid, "path", p.ep.Launch.Path, "args", p.ep.Launch.Args)
	go func() {
		<-c.exited
		p.post(event{kind: evChildExit, child: c})
	}()
	return nil
}

func (p *proxy) onChildExit(c *child) {
	if c != p.child {
		return // an old child, already handled
	}
	how := c.describe()
	if !p.everAttached {
		p.child = nil
		p.failFirst(fmt.Errorf("the launched module host (%s, pid %d) %s before answering CREATE", p.ep.Launch.Path, c.pid, how))
		return
	}
	p.log.Warn("outprocess: the module host exited", "pid", c.pid, "how", how)
	p.childGone(c)
}

// childGone ends the session of a dead (or never started) child and schedules a restart, or declares the
// module failed after too many.
func (p *proxy) childGone(c *child) {
	if p.drain != nil && p.drain.forDestroy {
		p.child = nil
		p.drain = nil
		p.teardown(true)
		return
	}
	st := p.curState()
	wasStable := c != nil && p.childUp && time.Since(c.started) >= stableAfter
	if st == stAttached || st == stDraining {
		p.endSession()
	}
	p.child, p.childUp = nil, false
	if p.curState() == stFailed || p.curState() == stClosed {
		return
	}
	if wasStable {
		p.failures = 0
	}
	p.failures++
	if p.failures > p.ep.Launch.RestartMax {
		p.fail(fmt.Sprintf("the module host died %d times in a row", p.failures))
		return
	}
	delay := backoff(p.ep.Launch, p.failures)
	p.restartAt = time.Now().Add(delay)
	p.log.Info("outprocess: module host will be restarted", "in", delay, "restart", p.failures, "max", p.ep.Launch.RestartMax)
	p.enterCreating()
}

// fail gives up on the remote: undelivered messages are released and counted, later ones dropped and counted.
func (p *proxy) fail(why string) {
	p.mu.Lock()
	p.st = stFailed
	rest := p.win.takeAll(nil)
	rest = append(rest, p.resend...)
	p.resend = nil
	p.dropped += uint64(len(rest))
	p.mu.Unlock()
	p.cond.Broadcast()
	cshim.ReleaseAll(rest)
	p.wr.setCreate(nil)
	p.log.Error("outprocess: module failed: "+why+"; giving up (messages for this module are dropped and counted; restart the gateway or fix the module)",
		"undelivered", len(rest))
	if p.child != nil {
		p.child.kill(syscall.SIGKILL)
	}
}

// teardown ends the proxy: optional DESTROY, sockets, child, references.
func (p *proxy) teardown(sendDestroy bool) {
	p.mu.Lock()
	p.st = stClosed
	rest := p.win.takeAll(nil)
	rest = append(rest, p.resend...)
	p.resend = nil
	p.mu.Unlock()
	p.cond.Broadcast()
	p.wr.setCreate(nil)
	if sendDestroy {
		if n, err := p.ctl().Connections(); err == nil && n > 0 {
			if !p.wr.flush(p.wr.send(frameDestroy), p.ep.Timeout) {
				p.log.Warn("outprocess: DESTROY could not be sent")
			} else {
				// nanomsg drops a frame the peer has not taken yet when the connection closes: give the remote
				// time to read DESTROY (ours exits at once and hangs up).
				deadline := time.Now().Add(destroyLinger)
				for time.Now().Before(deadline) {
					if n, err := p.ctl().Connections(); err != nil || n == 0 {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
	}
	p.closeSockets() // wakes a writer blocked in Send
	p.wr.close()
	if p.child != nil {
		grace := p.ep.Launch.Grace
		if !sendDestroy {
			grace = 0
		}
		how := p.child.stop(grace)
		p.log.Info("outprocess: module host stopped", "pid", p.child.pid, "how", how)
		p.child = nil
	}
	if len(rest) > 0 {
		p.log.Warn("outprocess: messages not acknowledged by the remote were released at destroy", "count", len(rest))
		cshim.ReleaseAll(rest)
	}
	if n := p.badFrames.Load(); n > 0 {
		p.log.Warn("outprocess: malformed data frames received from the remote", "count", n)
	}
	p.mu.Lock()
	dropped := p.dropped
	p.mu.Unlock()
	if dropped > 0 {
		p.log.Error("outprocess: messages dropped in total (not delivered to any remote)", "dropped_total", dropped)
	}
}
