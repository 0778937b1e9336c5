package broker_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
)

// The batch observer sees every delivered message once, attributed to the endpoint
// that received it, with the time its Receive took.
func TestBatchObserverSeesEveryBatch(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	type obs struct {
		n int
		d time.Duration
	}
	var mu sync.Mutex
	seen := map[string][]obs{}
	b.SetBatchObserver(func(e *broker.Endpoint, n int, d time.Duration) {
		mu.Lock()
		seen[e.Name()] = append(seen[e.Name()], obs{n, d})
		mu.Unlock()
	})
	src, err := b.AddModule("src", &recorder{}, broker.Options{})
	require.NoError(t, err)
	slow := sinkFunc(func([]cshim.Message) { time.Sleep(2 * time.Millisecond) })
	_, err = b.AddModule("slow", slow, broker.Options{BatchMax: 4})
	require.NoError(t, err)
	require.NoError(t, b.AddLink("src", "slow"))
	const count = 40
	for i := 0; i < count; i++ {
		publish(t, src, i)
	}
	total := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, o := range seen["slow"] {
			n += o.n
		}
		return n
	}
	waitFor(t, "every message observed", func() bool { return total() == count })
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, seen["src"], "src received nothing")
	for _, o := range seen["slow"] {
		require.True(t, o.n >= 1 && o.n <= 4, "batch size %d", o.n)
		require.GreaterOrEqual(t, o.d, 2*time.Millisecond)
	}
	require.Equal(t, uint64(count), b.Endpoint("slow").Stats().Received)
	batches := len(seen["slow"])
	mu.Unlock()

	b.SetBatchObserver(nil)
	publish(t, src, count)
	waitFor(t, "delivery without observer", func() bool { return b.Endpoint("slow").Stats().Received == count+1 })
	mu.Lock()
	require.Len(t, seen["slow"], batches, "no observation once the observer is removed")
}
