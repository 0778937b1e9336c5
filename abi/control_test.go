package abi_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/edgev1/gateway/abi"
)

// proxyCreate is the 89-byte CREATE of the SDK's proxy sample, built from SPEC section 4.
func proxyCreate() []byte {
	return cat([]byte{0xa1, 0x6c, 0x01, 0x01, 0x00, 0x00, 0x00, 0x59, 0x01, 0x10, 0x00, 0x00, 0x00, 0x20},
		"ipc:///tmp/proxy_sample.message\x00",
		[]byte{0x00, 0x00, 0x00, 0x27},
		"\"THIS IS THE OOP MODULE CONFIGURATION\"\x00")
}

func TestControlGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  abi.ControlMessage
		want []byte
	}{
		{"START", abi.ControlMessage{Type: abi.ControlStart}, hexBytes(t, "a1 6c 01 03 00 00 00 08")},
		{"DESTROY", abi.ControlMessage{Type: abi.ControlDestroy}, hexBytes(t, "a1 6c 01 04 00 00 00 08")},
		{"REPLY ok", abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyOK}, hexBytes(t, "a1 6c 01 02 00 00 00 09 00")},
		{"REPLY connection error", abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyConnectionError}, hexBytes(t, "a1 6c 01 02 00 00 00 09 01")},
		{"REPLY create error", abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyCreateError}, hexBytes(t, "a1 6c 01 02 00 00 00 09 02")},
		{"REPLY detach", abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyDetach}, hexBytes(t, "a1 6c 01 02 00 00 00 09 ff")},
		{"REPLY unknown status kept", abi.ControlMessage{Type: abi.ControlReply, Status: 7}, hexBytes(t, "a1 6c 01 02 00 00 00 09 07")},
		{"CREATE proxy sample", abi.ControlMessage{Type: abi.ControlCreate,
			URI: "ipc:///tmp/proxy_sample.message", Args: `"THIS IS THE OOP MODULE CONFIGURATION"`}, proxyCreate()},
		{"CREATE empty args", abi.ControlMessage{Type: abi.ControlCreate, URI: "ipc://x"},
			cat(hexBytes(t, "a1 6c 01 01 00 00 00 1b 01 10 00 00 00 08"), "ipc://x\x00", hexBytes(t, "00 00 00 01 00"))},
		{"HEARTBEAT", abi.ControlMessage{Type: abi.ControlHeartbeat}, hexBytes(t, "a1 6c 01 05 00 00 00 08")},
		{"HEARTBEAT with sequence", abi.ControlMessage{Type: abi.ControlHeartbeat, HasSequence: true, Sequence: 0x0102030405060708},
			hexBytes(t, "a1 6c 01 05 00 00 00 10 01 02 03 04 05 06 07 08")},
	}
	if n := len(proxyCreate()); n != 89 {
		t.Fatalf("proxy CREATE vector is %d bytes, SPEC says 89", n)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := abi.EncodeControl(tt.msg)
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("EncodeControl = % x, %v\nwant % x", got, err, tt.want)
			}
			if n, err := abi.ControlSize(tt.msg); err != nil || n != len(tt.want) {
				t.Fatalf("ControlSize = %d, %v", n, err)
			}
			app, err := abi.AppendControl([]byte{1, 2}, tt.msg)
			if err != nil || !bytes.Equal(app, cat([]byte{1, 2}, tt.want)) {
				t.Fatalf("AppendControl = % x, %v", app, err)
			}
			dec, err := abi.DecodeControl(tt.want)
			if err != nil || dec != tt.msg {
				t.Fatalf("DecodeControl = %+v, %v; want %+v", dec, err, tt.msg)
			}
		})
	}
}

func TestDecodeControlMalformed(t *testing.T) {
	be := func(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
	hdr := func(typ byte, total uint32) []byte { return cat([]byte{0xa1, 0x6c, 1, typ}, be(total)) }
	with := func(b []byte, off int, vals ...byte) []byte {
		b = bytes.Clone(b)
		copy(b[off:], vals)
		return b
	}
	// create builds a CREATE from raw declared sizes and bytes, with a correct total size.
	create := func(ver, uriType byte, uriSize uint32, uri string, argsSize uint32, args string) []byte {
		body := cat([]byte{ver, uriType}, be(uriSize), uri, be(argsSize), args)
		return cat(hdr(1, uint32(8+len(body))), body)
	}
	good := proxyCreate()
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int
	}{
		{"empty", nil, abi.ErrTooShort, 0},
		{"7 bytes", hdr(3, 8)[:7], abi.ErrTooShort, 0},
		{"message magic", with(hdr(3, 8), 1, 0x60), abi.ErrBadHeader, 0},
		{"bad magic", with(hdr(3, 8), 0, 0x00), abi.ErrBadHeader, 0},
		{"header version 0", with(hdr(3, 8), 2, 0), abi.ErrUnsupportedVersion, 2},
		{"header version 2", with(hdr(3, 8), 2, 2), abi.ErrUnsupportedVersion, 2},
		{"type 0 error", hdr(0, 8), abi.ErrBadType, 3},
		{"type 6", hdr(6, 8), abi.ErrBadType, 3},
		{"type 0xff", hdr(0xff, 8), abi.ErrBadType, 3},
		{"total smaller than buffer", cat(hdr(3, 8), 0), abi.ErrSizeMismatch, 4},
		{"total larger than buffer", hdr(3, 9), abi.ErrSizeMismatch, 4},
		{"total huge", hdr(3, 0xffffffff), abi.ErrSizeMismatch, 4},
		{"START with body", cat(hdr(3, 9), 0), abi.ErrSizeMismatch, 4},
		{"DESTROY with body", cat(hdr(4, 12), 0, 0, 0, 0), abi.ErrSizeMismatch, 4},
		{"REPLY without status", hdr(2, 8), abi.ErrSizeMismatch, 4},
		{"REPLY with two bytes", cat(hdr(2, 10), 0, 0), abi.ErrSizeMismatch, 4},
		{"HEARTBEAT with 4 bytes", cat(hdr(5, 12), 0, 0, 0, 0), abi.ErrSizeMismatch, 4},
		{"CREATE header only", hdr(1, 8), abi.ErrTooShort, 8},
		{"CREATE message version 2", with(good, 8, 2), abi.ErrUnsupportedVersion, 8},
		{"CREATE message version 0", with(good, 8, 0), abi.ErrUnsupportedVersion, 8},
		{"CREATE uri type 0x11", with(good, 9, 0x11), abi.ErrBadURIType, 9},
		{"CREATE uri size 0", create(1, 0x10, 0, "", 1, "\x00\x00\x00\x00"), abi.ErrUnterminated, 10},
		{"CREATE uri size past end", with(good, 10, 0, 0, 0, 0x60), abi.ErrTooShort, 10},
		{"CREATE uri size huge", with(good, 10, 0xff, 0xff, 0xff, 0xff), abi.ErrTooShort, 10},
		{"CREATE uri not NUL-terminated", with(good, 10, 0, 0, 0, 0x1f), abi.ErrUnterminated, 44},
		{"CREATE uri with inner NUL", create(1, 0x10, 5, "ab\x00c\x00", 1, "\x00"), abi.ErrContainsNUL, 16},
		{"CREATE empty uri", create(1, 0x10, 1, "\x00", 1, "\x00"), abi.ErrEmptyURI, 10},
		{"CREATE no args size", create(1, 0x10, 2, "a\x00", 0, "")[:17], abi.ErrSizeMismatch, 4},
		{"CREATE args size missing", func() []byte {
			b := cat([]byte{1, 0x10}, be(8), "ipc://a\x00", []byte{0, 0})
			return cat(hdr(1, uint32(8+len(b))), b)
		}(), abi.ErrTooShort, 22},
		{"CREATE args size 0", create(1, 0x10, 2, "a\x00", 0, "\x00"), abi.ErrUnterminated, 16},
		{"CREATE args size past end", create(1, 0x10, 2, "a\x00", 3, "x\x00"), abi.ErrTooShort, 16},
		{"CREATE args not NUL-terminated", create(1, 0x10, 2, "a\x00", 2, "xy"), abi.ErrUnterminated, 21},
		{"CREATE args with inner NUL", create(1, 0x10, 2, "a\x00", 3, "\x00y\x00"), abi.ErrContainsNUL, 20},
		{"CREATE trailing bytes", create(1, 0x10, 2, "a\x00", 2, "x\x00zz"), abi.ErrSizeMismatch, 22},
		{"CREATE truncated", good[:88], abi.ErrSizeMismatch, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := abi.DecodeControl(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("DecodeControl(% x) = %v, want %v", tt.in, err, tt.err)
			}
			var de *abi.DecodeError
			if !errors.As(err, &de) || de.Offset != tt.offset || de.Format != "control" {
				t.Fatalf("error %v: want *DecodeError at offset %d", err, tt.offset)
			}
			if !strings.HasPrefix(err.Error(), "abi: control: ") {
				t.Fatalf("error text %q", err)
			}
		})
	}
}

func TestEncodeControlRejects(t *testing.T) {
	tests := []struct {
		name string
		msg  abi.ControlMessage
		err  error
	}{
		{"type 0", abi.ControlMessage{}, abi.ErrBadType},
		{"type 9", abi.ControlMessage{Type: 9}, abi.ErrBadType},
		{"CREATE empty uri", abi.ControlMessage{Type: abi.ControlCreate, Args: "{}"}, abi.ErrEmptyURI},
		{"CREATE NUL in uri", abi.ControlMessage{Type: abi.ControlCreate, URI: "ipc://a\x00b"}, abi.ErrContainsNUL},
		{"CREATE NUL in args", abi.ControlMessage{Type: abi.ControlCreate, URI: "ipc://a", Args: "\x00"}, abi.ErrContainsNUL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := abi.EncodeControl(tt.msg); !errors.Is(err, tt.err) {
				t.Fatalf("EncodeControl: %v, want %v", err, tt.err)
			}
			dst := []byte("keep")
			if got, err := abi.AppendControl(dst, tt.msg); !errors.Is(err, tt.err) || string(got) != "keep" {
				t.Fatalf("AppendControl: %q, %v", got, err)
			}
		})
	}
}

func TestControlStrings(t *testing.T) {
	if s := abi.ControlCreate.String(); s != "CREATE" {
		t.Errorf("ControlCreate.String() = %q", s)
	}
	if s := abi.ControlType(42).String(); s != "ControlType(42)" {
		t.Errorf("ControlType(42).String() = %q", s)
	}
	if s := abi.ReplyDetach.String(); s != "detach" {
		t.Errorf("ReplyDetach.String() = %q", s)
	}
}
