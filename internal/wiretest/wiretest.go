// Package wiretest holds what the tests of the out-of-process pieces share: byte
// sequences captured from the SDK's proxy and module host (SPEC sections 3 and 4),
// and small helpers. It is imported only by _test files.
package wiretest

import (
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"testing"
)

// Control messages and a message as the SDK writes them.
const (
	ReplyOK   = "a16c01020000000900"
	ReplyConn = "a16c01020000000901"
	ReplyErr  = "a16c01020000000902"
	Detach    = "a16c010200000009ff"
	Announce  = "a16c010500000008"
	Start     = "a16c010300000008"
	Destroy   = "a16c010400000008"
	// Message "hello" with properties source=sensor1, type=temp.
	Message = "a160" + "0000002c" + "00000002" + "736f7572636500" + "73656e736f723100" + "7479706500" + "74656d7000" + "00000005" + "68656c6c6f"
	// CREATE of the SDK's proxy sample: message.id ipc:///tmp/proxy_sample.message,
	// args "THIS IS THE OOP MODULE CONFIGURATION" (a JSON string, quotes included).
	CreateProxySample = "a16c010100000059" + "0110" + "00000020" +
		"6970633a2f2f2f746d702f70726f78795f73616d706c652e6d65737361676500" +
		"00000027" +
		"225448495320495320544845204f4f50204d4f44554c4520434f4e46494755524154494f4e2200"
)

// Unhex decodes a hex constant.
func Unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ShortDir is a temporary directory with a short path (ipc:// paths are limited to
// 107 bytes), removed when the test ends.
func ShortDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "wt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Log is a logger for the code under test: debug to stderr with -v, else discarded.
func Log() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
