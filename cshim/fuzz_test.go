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
