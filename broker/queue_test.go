package broker

import (
	"runtime"
	"testing"
	"time"

	"github.com/edgev1/gateway/cshim"

	"github.com/stretchr/testify/require"
)

// The spin budget grows while messages arrive soon after the worker gave up, and
// falls to zero (no spinning CPU) when they arrive rarely.
func TestAdaptSpin(t *testing.T) {
	var q queue
	q.init(0, Block, 0)
	require.Equal(t, spinInitial, q.spinBudget)

	for range 10 {
		q.adaptSpin(30 * time.Microsecond) // ~33,000 msg/s: the next one was close
	}
	require.Equal(t, DefaultSpinMax, q.spinBudget, "capped at the maximum")

	q.adaptSpin(2 * DefaultSpinMax) // in between: unchanged
	require.Equal(t, DefaultSpinMax, q.spinBudget)

	for range 10 {
		q.adaptSpin(time.Millisecond) // 1,000 msg/s: sleeping was right
	}
	require.Zero(t, q.spinBudget, "a slow sink does not spin")

	q.adaptSpin(10 * time.Microsecond) // traffic picks up again
	require.Equal(t, 2*spinFloor, q.spinBudget)
}

// A configured maximum bounds the budget; a negative one turns polling off.
func TestSpinMaxOption(t *testing.T) {
	var q queue
	q.init(0, Block, time.Millisecond)
	for range 20 {
		q.adaptSpin(500 * time.Microsecond)
	}
	require.Equal(t, time.Millisecond, q.spinBudget)

	var off queue
	off.init(0, Block, -1)
	require.Zero(t, off.spinBudget)
	off.adaptSpin(time.Microsecond)
	require.Zero(t, off.spinBudget, "never polls")
}

// spin reports a message that is already pending, and gives up after its budget.
func TestSpin(t *testing.T) {
	var q queue
	q.init(0, Block, 0)
	require.False(t, q.spin(time.Microsecond))
	q.pending.Store(1)
	require.True(t, q.spin(time.Hour))
}

// waitUntilParked polls (without sleeping) until the worker waits the given way
// (any way when kind is notWaiting).
func waitUntilParked(t *testing.T, q *queue, kind waitKind) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		q.mu.Lock()
		w := q.workerWaiting
		q.mu.Unlock()
		if w == kind || (kind == notWaiting && w != notWaiting) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker never parked (kind %d, now %d)", kind, w)
		}
		runtime.Gosched()
	}
}

// A worker in sustained fast traffic parks on the futex; a push and a close each
// wake it. A worker in slow traffic parks as a goroutine.
func TestWorkerParking(t *testing.T) {
	for _, tc := range []struct {
		name       string
		budget     time.Duration
		lastWait   time.Duration
		wantParked waitKind
	}{
		{"fast traffic: futex", DefaultSpinMax, 30 * time.Microsecond, onFutex},
		{"slow traffic: cond", 0, time.Millisecond, onCond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var q queue
			q.init(0, Block, 0)
			q.spinBudget, q.lastWait = tc.budget, tc.lastWait
			got := make(chan []cshim.Message)
			go func() {
				for {
					b, ok := q.popBatch(nil, 16)
					if !ok {
						close(got)
						return
					}
					got <- b
				}
			}()
			waitUntilParked(t, &q, tc.wantParked)
			require.NoError(t, q.push(cshim.Message(7), true))
			require.Equal(t, []cshim.Message{7}, <-got)

			waitUntilParked(t, &q, notWaiting) // parked again, whichever way it chose
			q.close()
			_, open := <-got
			require.False(t, open, "close wakes the parked worker")
		})
	}
}
