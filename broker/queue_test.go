package broker

import (
	"runtime"
	"testing"
	"time"

	"github.com/edgev1/gateway/cshim"

	"github.com/stretchr/testify/require"
)

// A worker is in fast traffic while its average gap is at most the polling bound:
// 50,000 msg/s is, 5,000 msg/s is not, and a fresh worker is not.
func TestFastTraffic(t *testing.T) {
	var q queue
	q.init(0, Block, 0)
	require.False(t, q.fast(), "a new worker parks at once")
	for range 120 {
		q.observeGap(20 * time.Microsecond) // 50,000 msg/s
	}
	require.True(t, q.fast())
	q.observeGap(300 * time.Microsecond) // one pause does not end it
	require.True(t, q.fast())
	for range 60 {
		q.observeGap(200 * time.Microsecond) // 5,000 msg/s: polling would only burn CPU
	}
	require.False(t, q.fast())
	before := q.gapAvg
	q.observeGap(time.Hour)
	require.Equal(t, before+(q.gapCap-before)/16, q.gapAvg, "a long idle counts as gapCap")
}

// spin_us sets the bound; a negative SpinMax turns polling off.
func TestSpinMaxOption(t *testing.T) {
	var q queue
	q.init(0, Block, time.Millisecond)
	for range 60 {
		q.observeGap(800 * time.Microsecond) // 1,250 msg/s counts as fast with a 1 ms bound
	}
	require.True(t, q.fast())

	var off queue
	off.init(0, Block, -1)
	for range 60 {
		off.observeGap(time.Microsecond)
	}
	require.False(t, off.fast(), "never polls")
}

// spin reports a message that is already pending, and gives up after its budget.
func TestSpin(t *testing.T) {
	var q queue
	q.init(0, Block, 0)
	require.False(t, q.spin(time.Now(), time.Microsecond))
	q.pending.Store(1)
	require.True(t, q.spin(time.Now(), time.Hour))
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
		gapAvg     time.Duration
		wantParked waitKind
	}{
		{"fast traffic: futex", 30 * time.Microsecond, onFutex},
		{"slow traffic: cond", time.Millisecond, onCond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var q queue
			q.init(0, Block, 0)
			q.gapAvg = tc.gapAvg
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

// One idle wait in fast traffic polls for ten times spinMax, at most 1 ms, never
// less than spinMax.
func TestSpinBudget(t *testing.T) {
	for _, tc := range []struct{ spinMax, want time.Duration }{
		{0, time.Millisecond}, // the default, 100 µs
		{10 * time.Microsecond, 100 * time.Microsecond},
		{500 * time.Microsecond, time.Millisecond},
		{5 * time.Millisecond, 5 * time.Millisecond},
		{-1, 0},
	} {
		var q queue
		q.init(0, Block, tc.spinMax)
		require.Equal(t, tc.want, q.spinBudget, "spinMax %v", tc.spinMax)
	}
}
