package broker

import (
	"errors"
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
	pubWaiting    int

	dropped  atomic.Uint64
	overflow atomic.Uint64 // pushes past the bound from inside a Receive

	// pending mirrors n for lock-free polling by the worker while it spins. It has a
	// cache line of its own, so the spinning worker does not keep pulling the line the
	// publishers lock and write.
	_       [64]byte
	pending atomic.Int64
	_       [56]byte

	// spinBudget is how long the worker polls an empty queue before it sleeps, at
	// most spinMax; lastWait is how long its last sleep lasted. Only the worker
	// goroutine touches them (see adaptSpin).
	spinBudget, spinMax, lastWait time.Duration
}

// An idle worker polls its queue for up to spinBudget before it sleeps: a message
// that arrives within it is delivered without a futex wake-up on either side, which
// is what keeps the publish -> Receive latency low at steady rates (a wake-up costs
// 10-50 µs on a VM). The budget adapts to the traffic: a worker woken soon after it
// fell asleep doubles it (up to the maximum), one that slept long halves it down to
// nothing, so with the default maximum a sink fed every few µs to tens of µs never
// sleeps, and a sink fed 1,000 times a second or less costs no spinning CPU at all.
// A module's "queue": {"spin_us": N} sets its maximum (latency against idle CPU).
const (
	DefaultSpinMax = 100 * time.Microsecond
	spinInitial    = 20 * time.Microsecond
	spinFloor      = 2 * time.Microsecond
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
	q.spinBudget = min(spinInitial, spinMax)
	q.lastWait = time.Hour
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
	var sleepStart time.Time
	if q.pending.Load() == 0 && (q.spinBudget == 0 || !q.spin(q.spinBudget)) {
		sleepStart = time.Now()
	}
	q.mu.Lock()
	for q.n == 0 && !q.closed {
		if q.spinMax == 0 || q.spinBudget < q.spinMax || q.lastWait > q.spinMax {
			// Slow traffic: wait as a goroutine (no thread held, nothing for sysmon).
			q.workerWaiting = onCond
			q.notEmpty.Wait()
		} else {
			// Steady traffic that paused: the futex wakes the worker's thread directly.
			q.workerWaiting = onFutex
			word := q.parked.Load()
			q.mu.Unlock()
			park(&q.parked, word)
			q.mu.Lock()
		}
		q.workerWaiting = notWaiting
	}
	if !sleepStart.IsZero() {
		q.adaptSpin(time.Since(sleepStart))
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

// A worker parks as a goroutine - it holds no thread and costs the scheduler nothing
// while it waits - unless it is in sustained fast traffic: its spin budget at the
// maximum and its last sleep within it (messages every few tens of µs, pausing
// briefly). Then it parks on a futex, whose wake-up skips the Go scheduler
// (park_linux.go); parking every worker that way would keep sysmon polling every
// 20 µs to retake their Ps (measured: +30 % CPU for a gateway at 4,000 msg/s).

// wakeWorkerLocked wakes the waiting worker, if any; with q.mu held. It reports
// whether the caller must unpark the futex after unlocking.
func (q *queue) wakeWorkerLocked() bool {
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

// spin polls pending for up to budget; it reports whether a message arrived.
func (q *queue) spin(budget time.Duration) bool {
	start := time.Now()
	for i := 0; q.pending.Load() == 0; i++ {
		if i&63 == 63 && time.Since(start) > budget {
			return false
		}
	}
	return true
}

// adaptSpin sets the next spin budget from how long the worker waited for a
// message after its spin (or no spin) found none.
func (q *queue) adaptSpin(waited time.Duration) {
	q.lastWait = waited
	switch {
	case q.spinMax == 0:
	case waited <= q.spinMax:
		q.spinBudget = min(q.spinMax, max(2*q.spinBudget, 2*spinFloor))
	case waited > 4*q.spinMax:
		if q.spinBudget /= 2; q.spinBudget < spinFloor {
			q.spinBudget = 0
		}
	}
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
