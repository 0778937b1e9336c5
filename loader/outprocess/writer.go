package outprocess

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/edgev1/gateway/internal/sp"
)

// writer owns every send on the gateway's control socket, so that no other goroutine ever blocks on it. It
// keeps, in priority order: a FIFO of frames that must all go out (START, DESTROY), the latest COUNTS (only the
// newest matters), a pending PING, and while the proxy is attaching the CREATE frame, resent every interval until
// the proxy stops it. A blocked Send is bounded by the socket's send timeout and retried.
type writer struct {
	sock     func() *sp.Socket
	log      *slog.Logger
	interval time.Duration
	// precheck runs before each CREATE; an error skips that send (it is logged once per distinct error).
	precheck func() error

	mu        sync.Mutex
	queue     [][]byte
	counts    []byte
	ping      bool
	create    []byte
	createDue time.Time
	sentSeq   uint64 // increments for each queued frame sent (flush waiters compare)
	queuedSeq uint64
	closed    bool
	lastErr   string
	stuck     int // consecutive CREATE sends that timed out while the socket reported a connection

	kick    chan struct{}
	flushed chan struct{} // closed and replaced whenever sentSeq advances
	done    chan struct{}
}

func newWriter(sock func() *sp.Socket, log *slog.Logger, interval time.Duration, precheck func() error) *writer {
	w := &writer{sock: sock, log: log, interval: interval, precheck: precheck,
		kick: make(chan struct{}, 1), flushed: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *writer) wake() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// send queues a frame that must be delivered (in order) and returns its ticket for flush.
func (w *writer) send(frame []byte) uint64 {
	w.mu.Lock()
	w.queue = append(w.queue, frame)
	w.queuedSeq++
	t := w.queuedSeq
	w.mu.Unlock()
	w.wake()
	return t
}

// flush waits until the frame with ticket t was sent, the timeout passes or the writer closes.
func (w *writer) flush(t uint64, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		sent, ch, closed := w.sentSeq, w.flushed, w.closed
		w.mu.Unlock()
		if sent >= t {
			return true
		}
		if closed {
			return false
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// setCounts replaces the pending COUNTS frame.
func (w *writer) setCounts(c Counts) {
	f := EncodeCounts(c)
	w.mu.Lock()
	w.counts = f
	w.mu.Unlock()
	w.wake()
}

// sendPing asks for one PING.
func (w *writer) sendPing() {
	w.mu.Lock()
	w.ping = true
	w.mu.Unlock()
	w.wake()
}

// setCreate starts (frame != nil) or stops (nil) sending CREATE every interval. Starting sends at once.
func (w *writer) setCreate(frame []byte) {
	w.mu.Lock()
	w.create = frame
	w.createDue = time.Time{}
	w.mu.Unlock()
	w.wake()
}

// createNow makes the next CREATE go out as soon as possible (a new remote appeared).
func (w *writer) createNow() {
	w.mu.Lock()
	w.createDue = time.Time{}
	w.mu.Unlock()
	w.wake()
}

// close stops the writer and waits for it. Pending frames are dropped.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wake()
	<-w.done
}

func (w *writer) run() {
	defer close(w.done)
	var timer *time.Timer
	for {
		w.mu.Lock()
		if w.closed {
			close(w.flushed)
			w.mu.Unlock()
			return
		}
		var frame []byte
		kind := 0 // 1 queue, 2 counts, 3 ping, 4 create
		var wait time.Duration = -1
		now := time.Now()
		switch {
		case len(w.queue) > 0:
			frame, kind = w.queue[0], 1
		case w.counts != nil:
			frame, kind = w.counts, 2
		case w.ping:
			frame, kind = frameHeartbeat, 3
		case w.create != nil && !now.Before(w.createDue):
			frame, kind = w.create, 4
		case w.create != nil:
			wait = w.createDue.Sub(now)
		}
		w.mu.Unlock()
		if frame == nil {
			if wait < 0 {
				<-w.kick
				continue
			}
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			select {
			case <-w.kick:
				if !timer.Stop() {
					<-timer.C
				}
			case <-timer.C:
			}
			continue
		}
		if kind == 4 && w.precheck != nil {
			if err := w.precheck(); err != nil {
				w.noteErr(err)
				w.mu.Lock()
				w.createDue = time.Now().Add(w.interval)
				w.mu.Unlock()
				continue
			}
		}
		s := w.sock()
		err := s.Send(frame)
		connected := false
		if kind == 4 && errors.Is(err, sp.ErrTimeout) {
			n, cerr := s.Connections()
			connected = cerr == nil && n > 0
		}
		w.mu.Lock()
		switch {
		case err == nil:
			w.lastErr = ""
			switch kind {
			case 1:
				w.queue = w.queue[1:]
				w.sentSeq++
				close(w.flushed)
				w.flushed = make(chan struct{})
			case 2:
				if &w.counts[0] == &frame[0] {
					w.counts = nil
				}
			case 3:
				w.ping = false
			case 4:
				w.createDue = time.Now().Add(w.interval)
				w.stuck = 0
			}
		case errors.Is(err, sp.ErrTimeout):
			// No peer or no room; retry (a timed-out CREATE is retried at once: the Send itself waited).
			if connected {
				w.stuck++
			}
		case errors.Is(err, sp.ErrClosed):
			if s == w.sock() {
				w.closed = true
			} // else the socket was redialed: retry on the new one
		default:
			w.mu.Unlock()
			w.noteErr(err)
			time.Sleep(10 * time.Millisecond) // an unexpected nanomsg error: do not spin
			continue
		}
		w.mu.Unlock()
	}
}

// stuckCreates returns how many CREATE sends in a row timed out although the socket reported a connection.
func (w *writer) stuckCreates() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stuck
}

func (w *writer) resetStuck() {
	w.mu.Lock()
	w.stuck = 0
	w.mu.Unlock()
}

func (w *writer) noteErr(err error) {
	w.mu.Lock()
	repeat := w.lastErr == err.Error()
	w.lastErr = err.Error()
	w.mu.Unlock()
	if !repeat {
		w.log.Error("outprocess: control channel", "err", err)
	}
}
