package dotnet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/edgev1/gateway/cshim"
)

// benchContent is the benchmark payload: 256 bytes, with two properties.
var benchContent = strings.Repeat("0123456789abcdef", 16)

// BenchmarkDotnetSink measures messages per second from a Go publisher into a C#
// sink (TestModules.CountingSink) through the broker: 256-byte content, 2 properties.
// The sink answers once it has counted b.N messages.
func BenchmarkDotnetSink(b *testing.B) {
	h := newHarness(b)
	src := h.source("src")
	h.mustDotnet("sink", "TestModules.CountingSink", str(fmt.Sprintf(`{"expect": %d}`, b.N)))
	done := h.sink("done")
	h.link("src", "sink")
	h.link("sink", "done")
	msg := newMsg(b, benchContent, "source", "bench", "type", "payload")
	defer msg.Release()
	b.SetBytes(int64(len(benchContent)))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := src.Publish(msg, false); err != nil {
			b.Fatal(err)
		}
	}
	d := done.wait(b, 1, 5*time.Minute)
	elapsed := time.Since(start)
	b.StopTimer()
	if got := prop(d[0], "count"); got != fmt.Sprint(b.N) {
		b.Fatalf("sink counted %s, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkDotnetEcho measures a round trip Go -> C# (Echo republishes) -> Go.
func BenchmarkDotnetEcho(b *testing.B) {
	h := newHarness(b)
	src := h.source("src")
	h.mustDotnet("echo", "TestModules.Echo", nil)
	out := &goSink{notify: make(chan struct{}, 1)}
	if _, err := h.b.AddModule("out", out, brokerOptions()); err != nil {
		b.Fatal(err)
	}
	h.mods = append(h.mods, &testModule{name: "out"})
	h.link("src", "echo")
	h.link("echo", "out")
	msg := newMsg(b, benchContent, "source", "bench", "type", "payload")
	defer msg.Release()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := src.Publish(msg, false); err != nil {
			b.Fatal(err)
		}
	}
	out.wait(b, b.N, 5*time.Minute)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkDotnetReceiveCall measures one Receive call (handoff to the worker thread,
// serialization, one mono_runtime_invoke, managed split and dispatch) without the
// broker, for batches of 1 and 256 messages; ns/op is per call.
func BenchmarkDotnetReceiveCall(b *testing.B) {
	h := newHarness(b)
	in := h.mustDotnet("sink", "TestModules.CountingSink", str(`{"expect": 2000000000}`))
	msg := newMsg(b, benchContent, "source", "bench", "type", "payload")
	defer msg.Release()
	for _, n := range []int{1, 256} {
		batch := make([]cshim.Message, n)
		for i := range batch {
			batch[i] = msg
		}
		b.Run(fmt.Sprint("batch", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				in.Receive(batch)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
