package abi_test

import (
	"bytes"
	"testing"

	"github.com/edgev1/gateway/abi"
)

// Seed inputs also live in testdata/fuzz/<FuzzName>/ (go test fuzz v1 files), which `go test` runs as
// ordinary subtests. Run the fuzzers with: go test -run=NONE -fuzz=FuzzDecodeMessage -fuzztime=30s ./abi/

func FuzzDecodeMessage(f *testing.F) {
	f.Add(hexBytes(f, spec44))
	f.Add(helloWorldBytes())
	f.Add(hexBytes(f, "a1 60 00 00 00 0e 00 00 00 00 00 00 00 00"))
	f.Add(hexBytes(f, "a1 60 00 00 00 10 00 00 00 01 00 00 00 00 00 00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := abi.DecodeMessage(b)
		v, verr := abi.DecodeMessageView(b)
		if (err == nil) != (verr == nil) {
			t.Fatalf("DecodeMessage and DecodeMessageView disagree: %v / %v", err, verr)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		if !bytes.Equal(m.Content, v.Content) || !equalProps(m.Properties, v.Properties) {
			t.Fatalf("view decode differs: %+v / %+v", m, v)
		}
		out, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encode of a decoded message failed: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("re-encode differs\n in % x\nout % x", b, out)
		}
		if n, err := m.EncodedSize(); err != nil || n != len(b) {
			t.Fatalf("EncodedSize = %d, %v; want %d", n, err, len(b))
		}
	})
}

func FuzzDecodeControl(f *testing.F) {
	f.Add(proxyCreate())
	f.Add(hexBytes(f, "a1 6c 01 03 00 00 00 08"))
	f.Add(hexBytes(f, "a1 6c 01 04 00 00 00 08"))
	f.Add(hexBytes(f, "a1 6c 01 02 00 00 00 09 00"))
	f.Add(hexBytes(f, "a1 6c 01 05 00 00 00 10 01 02 03 04 05 06 07 08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := abi.DecodeControl(b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		out, err := abi.EncodeControl(m)
		if err != nil {
			t.Fatalf("re-encode of a decoded control message %+v failed: %v", m, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("re-encode differs\n in % x\nout % x", b, out)
		}
	})
}
