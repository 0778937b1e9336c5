//go:build linux && cgo

package sp_test

import (
	"testing"
	"time"
)

// benchPair sends b.N frames of the given size one way over ipc and reports msg/s. The receiver reuses one
// buffer (RecvAppend); the sender sends from one goroutine.
func benchPair(b *testing.B, size int) {
	a, d := connected(b)
	frame := make([]byte, size)
	done := make(chan error, 1)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	go func() {
		for range b.N {
			if err := d.Send(frame); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	buf := make([]byte, 0, size)
	for i := range b.N {
		var err error
		if buf, err = a.RecvAppend(buf[:0]); err != nil {
			b.Fatalf("frame %d: %v", i, err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
}

// BenchmarkPairThroughput is the nanomsg_pair_raw baseline: 300-byte frames, one way, over ipc.
func BenchmarkPairThroughput(b *testing.B) { benchPair(b, 300) }

// BenchmarkPairSmallFrames sends 16-byte frames; run with -benchtime=1000000x for the 1M-frame figure.
func BenchmarkPairSmallFrames(b *testing.B) { benchPair(b, 16) }
