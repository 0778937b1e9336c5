// Command pairraw measures raw nanomsg NN_PAIR throughput over ipc:// with the
// frames the gateway's out-of-process modules exchange: SDK message byte arrays
// (SPEC section 3) of 256 bytes of content and the publisher's properties
// (source, type) plus seq, stream and ts_ns. It is the nanomsg_pair_raw baseline
// of the benchmark harness (bench/cmd/benchrun), which runs two of them:
//
//	pairraw recv <url> <count> <report>   binds, receives count frames, checks each one
//	pairraw send <url> <count> <report>   dials, sends count frames
//
// Reports (JSON): send {"sent", "start_ns", "elapsed_ns"}; recv {"received",
// "bad", "first_ns", "last_ns"}. Times are wall-clock nanoseconds (both processes
// run on the same machine), so the harness computes count / (last_ns - start_ns).
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/edgev1/gateway/internal/sp"
)

const size = 256

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: pairraw send|recv <url> <count> <report>")
		os.Exit(2)
	}
	count, err := strconv.ParseUint(os.Args[3], 10, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pairraw: count: %v\n", err)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "send":
		err = send(os.Args[2], count, os.Args[4])
	case "recv":
		err = recv(os.Args[2], count, os.Args[4])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pairraw %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// pattern is tm_pattern_byte of testmodules/common/tm_common.h.
func pattern(seq uint64, i int) byte {
	s := uint32(seq)
	mix := s ^ (s>>8)*7 ^ (s>>16)*13 ^ (s>>24)*29
	return byte(mix*131 + uint32(i)*7 + 1)
}

// frame appends the message byte array of message seq to dst:
// a1 60 | total (4) | property count (4) | key\0 value\0 ... | content size (4) | content.
func frame(dst []byte, seq uint64, tsNs int64) []byte {
	props := [][2]string{{"source", "publisher"}, {"type", "test"}, {"seq", strconv.FormatUint(seq, 10)},
		{"stream", "raw"}, {"ts_ns", strconv.FormatInt(tsNs, 10)}}
	b := append(dst[:0], 0xa1, 0x60, 0, 0, 0, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(props)))
	for _, kv := range props {
		b = append(b, kv[0]...)
		b = append(b, 0)
		b = append(b, kv[1]...)
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint32(b, size)
	for i := range size {
		b = append(b, pattern(seq, i))
	}
	binary.BigEndian.PutUint32(b[2:6], uint32(len(b)))
	return b
}

// check validates a received frame: header, total size, the seq property and the content.
func check(b []byte, want uint64) bool {
	if len(b) < 14 || b[0] != 0xa1 || b[1] != 0x60 || int(binary.BigEndian.Uint32(b[2:6])) != len(b) {
		return false
	}
	n := binary.BigEndian.Uint32(b[6:10])
	off := 10
	var seq string
	for range n {
		var kv [2]string
		for j := range 2 {
			end := off
			for end < len(b) && b[end] != 0 {
				end++
			}
			if end >= len(b) {
				return false
			}
			kv[j] = string(b[off:end])
			off = end + 1
		}
		if kv[0] == "seq" {
			seq = kv[1]
		}
	}
	if seq != strconv.FormatUint(want, 10) || off+4 > len(b) {
		return false
	}
	cs := int(binary.BigEndian.Uint32(b[off : off+4]))
	content := b[off+4:]
	if cs != size || len(content) != size {
		return false
	}
	for i, c := range content {
		if c != pattern(want, i) {
			return false
		}
	}
	return true
}

func writeReport(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path+".tmp", data, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return os.Rename(path+".tmp", path)
}

func send(url string, count uint64, report string) error {
	s, err := sp.NewPair()
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetLinger(2 * time.Second)
	if err := s.Dial(url); err != nil {
		return err
	}
	// Wait for the connection so the timing starts with the first frame on the wire.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := s.Connections()
		if err == nil && n > 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no connection to %s within 10s (%v)", url, err)
		}
		time.Sleep(time.Millisecond)
	}
	buf := make([]byte, 0, 512)
	start := time.Now()
	for seq := range count {
		buf = frame(buf, seq, time.Now().UnixNano())
		if err := s.Send(buf); err != nil {
			return fmt.Errorf("frame %d: %w", seq, err)
		}
	}
	elapsed := time.Since(start)
	return writeReport(report, map[string]any{"sent": count, "start_ns": start.UnixNano(), "elapsed_ns": elapsed.Nanoseconds()})
}

func recv(url string, count uint64, report string) error {
	s, err := sp.NewPair()
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetRecvTimeout(30 * time.Second)
	if err := s.Bind(url); err != nil {
		return err
	}
	buf := make([]byte, 0, 512)
	var bad uint64
	var first, last int64
	for seq := range count {
		if buf, err = s.RecvAppend(buf[:0]); err != nil {
			return fmt.Errorf("frame %d: %w", seq, err)
		}
		if seq == 0 {
			first = time.Now().UnixNano()
		}
		if !check(buf, seq) {
			bad++
		}
	}
	last = time.Now().UnixNano()
	return writeReport(report, map[string]any{"received": count, "bad": bad, "first_ns": first, "last_ns": last})
}
