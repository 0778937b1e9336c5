package broker_test

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
)

// recorder is a Go sink that records the "seq" property of what it receives and
// checks that Receive is never called concurrently.
type recorder struct {
	mu       sync.Mutex
	got      []string
	inFlight atomic.Int32
	overlap  atomic.Bool
	gate     chan struct{} // when non-nil, Receive waits on it
	onBatch  func([]cshim.Message)
}

func (r *recorder) Receive(msgs []cshim.Message) {
	if r.inFlight.Add(1) > 1 {
		r.overlap.Store(true)
	}
	defer r.inFlight.Add(-1)
	if r.gate != nil {
		<-r.gate
	}
	for _, m := range msgs {
		d, err := m.Decode()
		if err != nil {
			panic(err)
		}
		v, _ := d.Get("seq")
		r.mu.Lock()
		r.got = append(r.got, v)
		r.mu.Unlock()
	}
	if r.onBatch != nil {
		r.onBatch(msgs)
	}
}

func (r *recorder) seqs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func msg(t testing.TB, seq int) cshim.Message {
	m, err := cshim.NewMessage([]byte("payload"), []abi.Property{{Key: "seq", Value: strconv.Itoa(seq)}})
	require.NoError(t, err)
	return m
}

func publish(t testing.TB, e *broker.Endpoint, seq int) {
	m := msg(t, seq)
	require.NoError(t, e.Publish(m, false))
	m.Release()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func closeBroker(t *testing.T, b *broker.Broker) {
	t.Cleanup(func() { require.Empty(t, b.Close(5*time.Second)) })
}

func TestRoutingAndStarLinks(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	a, _ := b.AddModule("a", &recorder{}, broker.Options{})
	sinkRec := &recorder{}
	_, err := b.AddModule("sink", sinkRec, broker.Options{})
	require.NoError(t, err)
	require.NoError(t, b.AddLink("*", "sink"))
	require.NoError(t, b.AddLink("a", "sink")) // explicit + star: delivered once
	require.ErrorIs(t, b.AddLink("a", "sink"), broker.ErrDuplicateLink)
	require.ErrorIs(t, b.AddLink("a", "*"), broker.ErrStarSink)
	require.ErrorIs(t, b.AddLink("nosuch", "sink"), broker.ErrUnknownModule)

	later, _ := b.AddModule("later", &recorder{}, broker.Options{}) // "*" covers modules added later
	sinkEp := b.Endpoint("sink")
	publish(t, a, 1)
	publish(t, later, 2)
	publish(t, sinkEp, 3) // "*" means every *other* module: the sink does not hear itself
	waitFor(t, "two deliveries", func() bool { return sinkRec.count() >= 2 })
	require.NoError(t, b.AddLink("sink", "sink")) // self link, explicit
	publish(t, sinkEp, 4)
	waitFor(t, "self delivery", func() bool { return sinkRec.count() >= 3 })
	require.Equal(t, []string{"1", "2", "4"}, sinkRec.seqs())
}

func TestOrderAndSerialDelivery(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	rec := &recorder{}
	_, _ = b.AddModule("sink", rec, broker.Options{Capacity: 64})
	const publishers, per = 4, 5000
	var wg sync.WaitGroup
	for p := 0; p < publishers; p++ {
		name := fmt.Sprintf("p%d", p)
		e, err := b.AddModule(name, &recorder{}, broker.Options{})
		require.NoError(t, err)
		require.NoError(t, b.AddLink(name, "sink"))
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				publish(t, e, p*per+i)
			}
		}(p)
	}
	wg.Wait()
	waitFor(t, "all messages", func() bool { return rec.count() == publishers*per })
	require.False(t, rec.overlap.Load(), "Receive must never run concurrently for one module")
	last := make([]int, publishers)
	for i := range last {
		last[i] = -1
	}
	for _, s := range rec.seqs() {
		n, _ := strconv.Atoi(s)
		p, i := n/per, n%per
		require.Equal(t, last[p]+1, i, "per-source order")
		last[p] = i
	}
}

func TestBackpressureBlocksThenDeliversEverything(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	rec := &recorder{gate: make(chan struct{})}
	_, _ = b.AddModule("sink", rec, broker.Options{Capacity: 4, BatchMax: 1})
	src, _ := b.AddModule("src", &recorder{}, broker.Options{})
	require.NoError(t, b.AddLink("src", "sink"))

	done := make(chan struct{})
	go func() {
		for i := 0; i < 20; i++ {
			publish(t, src, i)
		}
		close(done)
	}()
	waitFor(t, "queue to fill", func() bool { return b.Endpoint("sink").Stats().QueueDepth == 4 })
	select {
	case <-done:
		t.Fatal("publisher did not block on a full queue")
	default:
	}
	close(rec.gate)
	<-done
	waitFor(t, "all delivered", func() bool { return rec.count() == 20 })
	require.Zero(t, b.Endpoint("sink").Stats().Dropped)
}

func TestOverflowPoliciesCountDrops(t *testing.T) {
	for _, tc := range []struct {
		policy broker.Overflow
		want   []string
	}{
		{broker.DropNewest, []string{"0", "1", "2"}},
		{broker.DropOldest, []string{"0", "8", "9"}},
	} {
		t.Run(tc.policy.String(), func(t *testing.T) {
			b := broker.New(nil)
			closeBroker(t, b)
			rec := &recorder{gate: make(chan struct{})}
			sink, _ := b.AddModule("sink", rec, broker.Options{Capacity: 2, Overflow: tc.policy, BatchMax: 1})
			src, _ := b.AddModule("src", &recorder{}, broker.Options{})
			require.NoError(t, b.AddLink("src", "sink"))
			publish(t, src, 0)
			waitFor(t, "first message in Receive", func() bool { return rec.inFlight.Load() == 1 })
			for i := 1; i < 10; i++ {
				publish(t, src, i)
			}
			require.Equal(t, uint64(7), sink.Stats().Dropped)
			close(rec.gate)
			waitFor(t, "deliveries", func() bool { return rec.count() == 3 })
			require.Equal(t, tc.want, rec.seqs())
		})
	}
}

// Two modules that republish everything they receive to each other, with queues of
// one: publishing from inside Receive must not block, or this deadlocks.
func TestPublishFromReceiveNeverDeadlocks(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	var aEp, bEp atomic.Pointer[broker.Endpoint]
	var hops atomic.Int64
	bounce := func(self *atomic.Pointer[broker.Endpoint]) *recorder {
		return &recorder{onBatch: func(msgs []cshim.Message) {
			for _, m := range msgs {
				if hops.Add(1) < 2000 {
					_ = self.Load().Publish(m, true)
				}
			}
		}}
	}
	ea, _ := b.AddModule("a", bounce(&aEp), broker.Options{Capacity: 1})
	eb, _ := b.AddModule("b", bounce(&bEp), broker.Options{Capacity: 1})
	aEp.Store(ea)
	bEp.Store(eb)
	require.NoError(t, b.AddLink("a", "b"))
	require.NoError(t, b.AddLink("b", "a"))
	for i := 0; i < 8; i++ {
		publish(t, ea, i)
	}
	waitFor(t, "2000 hops", func() bool { return hops.Load() >= 2000 })
}

func TestRemoveModuleDeliversQueuedMessages(t *testing.T) {
	b := broker.New(nil)
	closeBroker(t, b)
	rec := &recorder{gate: make(chan struct{})}
	_, _ = b.AddModule("sink", rec, broker.Options{})
	src, _ := b.AddModule("src", &recorder{}, broker.Options{})
	require.NoError(t, b.AddLink("src", "sink"))
	m := msg(t, 0)
	for i := 0; i < 100; i++ {
		require.NoError(t, src.Publish(m, false))
	}
	require.Equal(t, int32(101), m.RefCount())
	go close(rec.gate)
	require.NoError(t, b.RemoveModule("sink", 5*time.Second))
	require.Equal(t, 100, rec.count(), "queued messages are delivered before removal completes")
	require.Equal(t, int32(1), m.RefCount(), "every reference the broker took is given back")
	m.Release()
	require.ErrorIs(t, b.RemoveModule("sink", time.Second), broker.ErrUnknownModule)
}

func TestStuckModuleIsReportedNotWaitedFor(t *testing.T) {
	b := broker.New(nil)
	block := make(chan struct{})
	defer close(block)
	rec := &recorder{gate: block}
	_, _ = b.AddModule("stuck", rec, broker.Options{BatchMax: 1})
	src, _ := b.AddModule("src", &recorder{}, broker.Options{})
	require.NoError(t, b.AddLink("src", "stuck"))
	publish(t, src, 0)
	publish(t, src, 1)
	waitFor(t, "Receive entered", func() bool { return rec.inFlight.Load() == 1 })
	start := time.Now()
	errs := b.Close(100 * time.Millisecond)
	require.Less(t, time.Since(start), 5*time.Second)
	require.Len(t, errs, 1)
	var se *broker.StuckError
	require.True(t, errors.As(errs[0], &se))
	require.Equal(t, "stuck", se.Module)
	require.Equal(t, 1, se.Discarded)
	require.ErrorContains(t, errs[0], `module "stuck"`)
}

func TestCloseUnblocksBlockedPublisher(t *testing.T) {
	b := broker.New(nil)
	rec := &recorder{gate: make(chan struct{})}
	_, _ = b.AddModule("sink", rec, broker.Options{Capacity: 1, BatchMax: 1})
	src, _ := b.AddModule("src", &recorder{}, broker.Options{})
	require.NoError(t, b.AddLink("src", "sink"))
	errc := make(chan error, 1)
	go func() {
		var err error
		for i := 0; i < 10 && err == nil; i++ {
			m := msg(t, i)
			err = src.Publish(m, false)
			m.Release()
		}
		errc <- err
	}()
	waitFor(t, "publisher blocked", func() bool { return b.Endpoint("sink").Stats().QueueDepth == 1 && rec.inFlight.Load() == 1 })
	go func() {
		time.Sleep(10 * time.Millisecond)
		close(rec.gate)
	}()
	b.Close(5 * time.Second)
	err := <-errc
	require.Error(t, err, "a publisher blocked at Close gets an error, not silence")
	require.ErrorIs(t, src.Publish(msg(t, 99), false), broker.ErrClosed)
}

func BenchmarkPublishOneSink(b *testing.B) {
	br := broker.New(nil)
	defer br.Close(time.Second)
	var n atomic.Int64
	_, _ = br.AddModule("sink", sinkFunc(func(m []cshim.Message) { n.Add(int64(len(m))) }), broker.Options{})
	src, _ := br.AddModule("src", sinkFunc(func([]cshim.Message) {}), broker.Options{})
	_ = br.AddLink("src", "sink")
	m := msg(b, 0)
	defer m.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = src.Publish(m, false)
	}
	for n.Load() < int64(b.N) {
		time.Sleep(time.Microsecond)
	}
}

type sinkFunc func([]cshim.Message)

func (f sinkFunc) Receive(m []cshim.Message) { f(m) }

// counter is a Go sink that only counts.
type counter struct{ n atomic.Uint64 }

func (c *counter) Receive(msgs []cshim.Message) { c.n.Add(uint64(len(msgs))) }

// Every publish Close lets through is delivered; every other one fails. A publish
// racing with Close must not be reported accepted after Close emptied its routes.
func TestCloseAcceptsOnlyWhatItDelivers(t *testing.T) {
	const publishers = 4
	for round := 0; round < 100; round++ {
		b := broker.New(nil)
		sinks := make([]*counter, publishers)
		srcs := make([]*broker.Endpoint, publishers)
		for i := range sinks {
			sinks[i] = &counter{}
			_, err := b.AddModule(fmt.Sprintf("sink%d", i), sinks[i], broker.Options{})
			require.NoError(t, err)
			srcs[i], err = b.AddModule(fmt.Sprintf("src%d", i), &counter{}, broker.Options{})
			require.NoError(t, err)
			require.NoError(t, b.AddLink(fmt.Sprintf("src%d", i), fmt.Sprintf("sink%d", i)))
		}
		accepted := make([]uint64, publishers)
		var wg, started sync.WaitGroup
		for i := range srcs {
			wg.Add(1)
			started.Add(1)
			go func() {
				defer wg.Done()
				m := msg(t, i)
				defer m.Release()
				for n := 0; ; n++ {
					if n == 64 {
						started.Done()
					}
					if srcs[i].Publish(m, false) != nil {
						if n < 64 {
							started.Done()
						}
						return
					}
					accepted[i]++
				}
			}()
		}
		started.Wait()
		require.Empty(t, b.Close(5*time.Second))
		wg.Wait()
		for i := range sinks {
			require.Equal(t, accepted[i], sinks[i].n.Load(), "round %d: src%d: accepted vs delivered", round, i)
		}
	}
}
