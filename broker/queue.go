package broker

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgev1/gateway/cshim"
)

// Overflow says what a full queue does with a new message.
type Overflow int

const (
	// Block makes the publisher wait until the sink has room (backpressure).
	Block Overflow = iota
	// DropNewest discards the new message and counts it.
	DropNewest
	// DropOldest discards the oldest queued message and counts it.
	DropOldest
)

// String returns the configuration spelling of the policy.
func (o Overflow) String() string {
	switch o {
	case DropNewest:
		return "drop-newest"
	case DropOldest:
		return "drop-oldest"
	default:
		return "block"
	}
}

// ParseOverflow parses "block", "drop-newest" or "drop-oldest".
func ParseOverflow(s string) (Overflow, error) {
	switch s {
	case "", "block":
		return Block, nil
	case "drop-newest":
		return DropNewest, nil
	case "drop-oldest":
		return DropOldest, nil
	}
	return Block, errors.New(`must be "block", "drop-newest" or "drop-oldest"`)
}

// DefaultCapacity is the queue bound when none is configured.
const DefaultCapacity = 4096

var errQueueClosed = errors.New("queue closed")

// queue is a bounded FIFO of message references with blocking push and batch pop.
type queue struct {
	mu       sync.Mutex
	notEmpty sync.Cond
	notFull  sync.Cond
	ring     []cshim.Message // len is a power of two
	head     int
	n        int
	capacity int
	policy   Overflow
	closed   bool

	// workerWaiting says how the idle worker waits: not at all, on notEmpty, or on
	// the futex word parked (see park_linux.go).
	workerWaiting waitKind
	parked        atomic.Uint32
	wokenAt       time.Time // when a publisher last woke the parked worker
	pubWaiting    int

	dropped  atomic.Uint64
	overflow atomic.Uint64 // pushes past the bound from inside a Receive

	// pending mirrors n for lock-free polling by the worker while it spins. It has a
	// cache line of its own, so the spinning worker does not keep pulling the line the
	// publishers lock and write.
	_       [64]byte
	pending atomic.Int64
	_       [56]byte

	// spinMax is the average gap up to which traffic counts as fast; spinBudget is
	// how long one idle wait polls in fast traffic; gapAvg is the moving average of
	// the gaps the worker waited for a message, each counted as at most gapCap (twice
	// spinMax). Only the worker goroutine touches them (see fast).
	spinMax, spinBudget, gapCap, gapAvg time.Duration
}

// How an idle worker waits for its next message depends on the traffic it sees: the
// moving average of the gaps between the moment it found its queue empty and the
// next message (observeGap).
//
//   - Fast traffic (average gap at most spinMax, 100 µs by default: about 10,000
//     msg/s or more): it polls the queue for up to spinBudget (ten times spinMax,
//     capped at 1 ms but never below spinMax), so a message that comes within it is
//     delivered without a wake-up on either side (a wake-up costs 10-80 µs on a VM),
//     and if none comes it parks on a futex, whose wake-up skips the Go scheduler
//     (park_linux.go). Such traffic keeps the worker polling most of the time anyway;
//     the budget beyond spinMax covers the pauses within it (a publisher's sleep
//     overshooting, the end of a burst), which would otherwise each cost a wake-up.
//     While polling, the worker yields its P and its CPU every few µs (spin).
//   - Otherwise it parks at once as a goroutine: no polling CPU, no thread held.
//
// Each gap counts as at most twice spinMax in the average, so a rare long stall in
// fast traffic (a publisher descheduled for a millisecond) does not end it, traffic
// that slows below the bound for good leaves it within ~10 gaps, and traffic that
// starts after a long idle is fast within ~15 messages.
//
// A module's "queue": {"spin_us": N} sets spinMax (latency against CPU); 0 turns
// polling off.
const (
	DefaultSpinMax = 100 * time.Microsecond
	spinBudgetCap  = time.Millisecond
)

func (q *queue) init(capacity int, policy Overflow, spinMax time.Duration) {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	size := 64
	for size < capacity {
		size *= 2
	}
	q.ring = make([]cshim.Message, size)
	q.capacity = capacity
	q.policy = policy
	q.notEmpty.L = &q.mu
	q.notFull.L = &q.mu
	switch {
	case spinMax == 0:
		spinMax = DefaultSpinMax
	case spinMax < 0:
		spinMax = 0
	}
	q.spinMax = spinMax
	q.spinBudget = max(spinMax, min(10*spinMax, spinBudgetCap))
	q.gapCap = max(2*spinMax, time.Microsecond)
	q.gapAvg = q.gapCap
}

func (q *queue) grow() {
	nr := make([]cshim.Message, len(q.ring)*2)
	for i := 0; i < q.n; i++ {
		nr[i] = q.ring[(q.head+i)&(len(q.ring)-1)]
	}
	q.ring = nr
	q.head = 0
}

// push appends one reference that the caller hands over. When it returns an error
// the reference has not been taken (the caller still owns it). A message dropped by
// policy is released here. mayBlock is false for publishers inside a Receive.
func (q *queue) push(m cshim.Message, mayBlock bool) error {
	var victim cshim.Message
	q.mu.Lock()
	for q.n >= q.capacity && !q.closed {
		if !mayBlock && q.policy == Block {
			q.overflow.Add(1)
			break
		}
		if q.policy == DropNewest {
			q.mu.Unlock()
			q.dropped.Add(1)
			m.Release()
			return nil
		}
		if q.policy == DropOldest {
			victim = q.ring[q.head]
			q.head = (q.head + 1) & (len(q.ring) - 1)
			q.n--
			q.dropped.Add(1)
			break
		}
		q.pubWaiting++
		q.notFull.Wait()
		q.pubWaiting--
	}
	if q.closed {
		q.mu.Unlock()
		return errQueueClosed
	}
	if q.n == len(q.ring) {
		q.grow()
	}
	q.ring[(q.head+q.n)&(len(q.ring)-1)] = m
	q.n++
	q.pending.Store(int64(q.n))
	futex := q.wakeWorkerLocked()
	q.mu.Unlock()
	if futex {
		unpark(&q.parked)
	}
	if victim != 0 {
		victim.Release()
	}
	return nil
}

// popBatch waits for messages and moves up to max of them into dst. It returns
// ok=false once the queue is closed and empty.
func (q *queue) popBatch(dst []cshim.Message, max int) ([]cshim.Message, bool) {
	var idleSince time.Time // when the worker found the queue empty and did not catch a message polling
	fast := q.fast()
	if q.pending.Load() == 0 {
		start := time.Now()
		if fast && q.spin(start, q.spinBudget) {
			q.observeGap(time.Since(start))
		} else {
			idleSince = start
		}
	}
	q.mu.Lock()
	for q.n == 0 && !q.closed {
		if !fast {
			// Slow traffic: wait as a goroutine (no thread held, nothing for sysmon).
			q.workerWaiting = onCond
			q.notEmpty.Wait()
		} else {
			// Fast traffic that paused: the futex wakes the worker's thread directly.
			q.workerWaiting = onFutex
			word := q.parked.Load()
			q.mu.Unlock()
			park(&q.parked, word)
			q.mu.Lock()
		}
		q.workerWaiting = notWaiting
	}
	if !idleSince.IsZero() {
		// The gap ends when the message came, not when the worker got to run: a
		// parked worker's wake-up latency must not make fast traffic look slow.
		end := q.wokenAt
		if end.Before(idleSince) {
			end = time.Now()
		}
		q.observeGap(end.Sub(idleSince))
	}
	if q.n == 0 {
		q.mu.Unlock()
		return dst, false
	}
	k := q.n
	if k > max {
		k = max
	}
	mask := len(q.ring) - 1
	for i := 0; i < k; i++ {
		idx := (q.head + i) & mask
		dst = append(dst, q.ring[idx])
		q.ring[idx] = 0
	}
	q.head = (q.head + k) & mask
	q.n -= k
	q.pending.Store(int64(q.n))
	if q.pubWaiting > 0 {
		q.notFull.Broadcast()
	}
	q.mu.Unlock()
	return dst, true
}

// waitKind is how the idle worker waits for a message.
type waitKind uint8

const (
	notWaiting waitKind = iota
	onCond              // parked as a goroutine on notEmpty (traffic is rare)
	onFutex             // parked in the kernel on the parked word (traffic paused)
)

// Only fast traffic parks on the futex: a worker parked that way holds its thread,
// and parking every worker so would keep sysmon polling every 20 µs to retake their
// Ps (measured: +30 % CPU for a gateway at 4,000 msg/s).

// wakeWorkerLocked wakes the waiting worker, if any; with q.mu held. It reports
// whether the caller must unpark the futex after unlocking.
func (q *queue) wakeWorkerLocked() bool {
	if q.workerWaiting != notWaiting {
		q.wokenAt = time.Now()
	}
	switch q.workerWaiting {
	case onCond:
		q.workerWaiting = notWaiting
		q.notEmpty.Signal()
	case onFutex:
		q.workerWaiting = notWaiting
		q.parked.Add(1)
		return true
	}
	return false
}

// spin polls pending from start for up to budget; it reports whether a message
// arrived. Every 1024 polls (a few µs) it lets other goroutines run and offers its
// CPU to other threads: otherwise a publisher thread the kernel woke on this CPU
// waits for the poller's time slice (measured: ~25 pauses of over 1 ms a second in
// a 50 k msg/s stream, each paid by the messages behind it).
func (q *queue) spin(start time.Time, budget time.Duration) bool {
	for i := 1; q.pending.Load() == 0; i++ {
		if i&63 == 0 {
			if time.Since(start) > budget {
				return false
			}
			if i&1023 == 0 {
				runtime.Gosched()
				osYield()
			}
		}
	}
	return true
}

// fast reports whether the worker is in fast traffic (see above).
func (q *queue) fast() bool { return q.spinMax > 0 && q.gapAvg <= q.spinMax }

// observeGap adds a gap to the moving average (weight 1/16: one pause of a few
// hundred µs does not end fast traffic).
func (q *queue) observeGap(gap time.Duration) {
	q.gapAvg += (min(gap, q.gapCap) - q.gapAvg) / 16
}

// close stops intake; queued messages are still handed out by popBatch.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	futex := q.wakeWorkerLocked()
	q.notFull.Broadcast()
	q.mu.Unlock()
	if futex {
		unpark(&q.parked)
	}
}

// drain releases every queued reference (used when a worker is abandoned).
func (q *queue) drain() int {
	q.mu.Lock()
	var rest []cshim.Message
	mask := len(q.ring) - 1
	for i := 0; i < q.n; i++ {
		rest = append(rest, q.ring[(q.head+i)&mask])
	}
	q.n = 0
	q.pending.Store(0)
	q.mu.Unlock()
	cshim.ReleaseAll(rest)
	return len(rest)
}

func (q *queue) depth() int {
	q.mu.Lock()
	n := q.n
	q.mu.Unlock()
	return n
}
