package broker

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/cshim"
)

type gatedSink struct {
	gate chan struct{}
	got  chan int
}

func (g *gatedSink) Receive(msgs []cshim.Message) {
	<-g.gate
	g.got <- len(msgs)
}

// A publish blocked on a full sink while its other sink is removed and the broker
// starts closing: the first sink takes the message, so the publish succeeds. Failing
// it would tell a retrying publisher that a message the sink got was lost (the churn
// e2e test saw exactly that: a sink got one more message than its publisher counted).
func TestPublishTakenByOneSinkSucceedsWhileClosing(t *testing.T) {
	b := New(nil)
	slow := &gatedSink{gate: make(chan struct{}), got: make(chan int, 16)}
	_, err := b.AddModule("slow", slow, Options{Capacity: 1, BatchMax: 1})
	require.NoError(t, err)
	open := make(chan struct{})
	close(open)
	_, err = b.AddModule("gone", &gatedSink{gate: open, got: make(chan int, 16)}, Options{})
	require.NoError(t, err)
	src, err := b.AddModule("src", &gatedSink{gate: open}, Options{})
	require.NoError(t, err)
	require.NoError(t, b.AddLink("src", "slow"))
	require.NoError(t, b.AddLink("src", "gone"))

	newMsg := func() cshim.Message {
		m, err := cshim.NewMessage([]byte("x"), []abi.Property{{Key: "k", Value: "v"}})
		require.NoError(t, err)
		return m
	}
	// "slow" is in Receive with the first message and holds the second in its queue
	// (capacity 1): the third publish blocks pushing to it, with routes [slow, gone].
	for range 2 {
		m := newMsg()
		require.NoError(t, src.Publish(m, false))
		m.Release()
	}
	require.Eventually(t, func() bool { return b.Endpoint("slow").Stats().QueueDepth == 1 }, 10*time.Second, time.Millisecond)
	third := make(chan error, 1)
	go func() {
		m := newMsg()
		defer m.Release()
		third <- src.Publish(m, false)
	}()
	require.Eventually(t, func() bool {
		q := &b.Endpoint("slow").q
		q.mu.Lock()
		defer q.mu.Unlock()
		return q.pubWaiting == 1
	}, 10*time.Second, time.Millisecond)

	// "gone" goes (its queue closes; the blocked publish still routes to it), then the
	// broker starts closing: the state between Close setting the flags and closing
	// the queues.
	require.NoError(t, b.RemoveModule("gone", 5*time.Second))
	src.removed.Store(true)
	close(slow.gate) // "slow" drains; the blocked push goes in
	require.NoError(t, <-third, "taken by slow, refused only by the removed sink")
	require.Empty(t, b.Close(5*time.Second))
	n := 0
	for len(slow.got) > 0 {
		n += <-slow.got
	}
	require.Equal(t, 3, n, "slow got all three")
	require.Equal(t, uint64(3), src.Stats().Published)
	require.Zero(t, src.Stats().Failed)
}
