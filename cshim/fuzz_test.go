package cshim_test

import (
	"encoding/hex"
	"testing"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/cshim"
)

// FuzzCodecParity proves that the C codec (Message_CreateFromByteArray /
// Message_ToByteArray) and the Go codec (abi) accept exactly the same byte arrays,
// never crash, and reproduce accepted input bit for bit.
func FuzzCodecParity(f *testing.F) {
	v, _ := hex.DecodeString(vector44)
	f.Add(v)
	f.Add([]byte{0xa1, 0x60, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0xa1, 0x60, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		gm, gerr := abi.DecodeMessage(b)
		cm, cerr := cshim.MessageFromBytes(b)
		if (gerr == nil) != (cerr == nil) {
			t.Fatalf("Go and C disagree on % x: go=%v c=%v", b, gerr, cerr)
		}
		if gerr != nil {
			return
		}
		defer cm.Release()
		out, err := cm.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(b) {
			t.Fatalf("C re-encoding differs:\n in % x\nout % x", b, out)
		}
		gout, err := gm.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if string(gout) != string(b) {
			t.Fatalf("Go re-encoding differs")
		}
	})
}

// FuzzModuleJSON feeds arbitrary text to the parson-compatible parser modules use:
// it never crashes, and whatever it accepts serializes to text that parses back to
// the same serialization.
func FuzzModuleJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}],"c":"\u00e9\/"}`, `[]`, `"x"`, `1e400`, `{"a":1,"a":2}`, `[[[[[]]]]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := cshim.SerializeJSON(s)
		if err != nil {
			return
		}
		again, err := cshim.SerializeJSON(out)
		if err != nil {
			t.Fatalf("serialized output does not parse: %q -> %q: %v", s, out, err)
		}
		if again != out {
			t.Fatalf("serialization is not stable: %q -> %q -> %q", s, out, again)
		}
	})
}
