package broker

import (
	"testing"
	"time"

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
