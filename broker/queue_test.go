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
	q.init(0, Block)
	require.Equal(t, spinInitial, q.spinBudget)

	for range 10 {
		q.adaptSpin(30 * time.Microsecond) // ~33,000 msg/s: the next one was close
	}
	require.Equal(t, spinMax, q.spinBudget, "capped at spinMax")

	q.adaptSpin(2 * spinMax) // in between: unchanged
	require.Equal(t, spinMax, q.spinBudget)

	for range 10 {
		q.adaptSpin(time.Millisecond) // 1,000 msg/s: sleeping was right
	}
	require.Zero(t, q.spinBudget, "a slow sink does not spin")

	q.adaptSpin(10 * time.Microsecond) // traffic picks up again
	require.Equal(t, 2*spinFloor, q.spinBudget)
}

// spin reports a message that is already pending, and gives up after its budget.
func TestSpin(t *testing.T) {
	var q queue
	q.init(0, Block)
	require.False(t, q.spin(time.Microsecond))
	q.pending.Store(1)
	require.True(t, q.spin(time.Hour))
}
