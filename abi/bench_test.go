package abi_test

import (
	"bytes"
	"testing"

	"github.com/edgev1/gateway/abi"
)

// benchMessage is the benchmark shape of SPEC section 7: 256 bytes of content and 2 properties.
func benchMessage() *abi.Message {
	return &abi.Message{
		Content:    bytes.Repeat([]byte{'x'}, 256),
		Properties: []abi.Property{{"source", "sensor1"}, {"type", "temperature"}},
	}
}

func BenchmarkMessageAppendBinary(b *testing.B) {
	m := benchMessage()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = m.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkMessageMarshalBinary(b *testing.B) {
	m := benchMessage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMessage(b *testing.B) {
	enc, _ := benchMessage().MarshalBinary()
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := abi.DecodeMessage(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMessageView(b *testing.B) {
	enc, _ := benchMessage().MarshalBinary()
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := abi.DecodeMessageView(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeControlCreate(b *testing.B) {
	enc := proxyCreate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := abi.DecodeControl(enc); err != nil {
			b.Fatal(err)
		}
	}
}
