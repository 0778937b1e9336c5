package node

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/cshim"
)

// BenchmarkNodeSink: a native (Go) publisher floods a JS sink with 256-byte messages
// with 2 properties; the clock stops when JS has received all b.N (it reports its count
// back on the last one).
func BenchmarkNodeSink(b *testing.B) {
	needNode(b)
	br := newBroker(b)
	done := &countSink{}
	src := addGo(b, br, "source", &countSink{})
	mustJS(b, br, "jssink", "sink.js", nil, nil)
	addGo(b, br, "done", done)
	link(b, br, "source", "jssink")
	link(b, br, "jssink", "done")

	content := bytes.Repeat([]byte{7}, 256)
	data, err := cshim.NewMessage(content, []abi.Property{{Key: "seq", Value: "0"}, {Key: "kind", Value: "data"}})
	if err != nil {
		b.Fatal(err)
	}
	defer data.Release()
	last, err := cshim.NewMessage(content, []abi.Property{{Key: "seq", Value: "0"}, {Key: "kind", Value: "last"}})
	if err != nil {
		b.Fatal(err)
	}
	defer last.Release()

	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N-1; i++ {
		if err := src.Publish(data, false); err != nil {
			b.Fatal(err)
		}
	}
	if err := src.Publish(last, false); err != nil {
		b.Fatal(err)
	}
	eventually(b, 5*time.Minute, "the JS sink to report", func() bool { return done.n.Load() == 1 })
	elapsed := time.Since(start)
	b.StopTimer()
	if got := done.last.Load(); got == nil || prop(*got, "count") != fmt.Sprint(b.N) {
		b.Fatalf("JS sink counted %v, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkNodePublisher: a JS module publishes b.N 256-byte messages with 2 properties
// into a native (Go) sink; the clock stops when the sink has all of them.
func BenchmarkNodePublisher(b *testing.B) {
	needNode(b)
	br := newBroker(b)
	sink := &countSink{}
	ctl := addGo(b, br, "control", &countSink{})
	mustJS(b, br, "jspub", "publisher.js", nil, nil)
	addGo(b, br, "sink", sink)
	link(b, br, "control", "jspub")
	link(b, br, "jspub", "sink")

	b.ResetTimer()
	start := time.Now()
	publish(b, ctl, nil, "n", fmt.Sprint(b.N))
	eventually(b, 5*time.Minute, "the native sink to receive everything", func() bool { return sink.n.Load() >= int64(b.N) })
	elapsed := time.Since(start)
	b.StopTimer()
	if got := sink.last.Load(); got == nil || prop(*got, "kind") != "last" || prop(*got, "seq") != fmt.Sprint(b.N-1) {
		b.Fatalf("last message = %v", got)
	}
	if n := sink.n.Load(); n != int64(b.N) {
		b.Fatalf("sink got %d, want %d", n, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}
