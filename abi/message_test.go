package abi_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/edgev1/gateway/abi"
)

// hexBytes parses a space-separated hex dump such as "a1 60 00".
func hexBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}
	return b
}

// cat concatenates byte slices and strings into one byte slice.
func cat(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case []byte:
			b = append(b, v...)
		case string:
			b = append(b, v...)
		case byte:
			b = append(b, v)
		case int:
			b = append(b, byte(v))
		default:
			panic("cat: unsupported part")
		}
	}
	return b
}

// SPEC section 3 test vector, copied from the hex dump.
const spec44 = "a1 60 00 00 00 2c 00 00 00 02 73 6f 75 72 63 65 00 73 65 6e 73 6f 72 31 00 74 79 70 65 00 74 65 6d 70 00 00 00 00 05 68 65 6c 6c 6f"

func helloWorldBytes() []byte {
	// 0xA1 0x60, total 78, 1 property, "helloWorld\0from Azure IoT Gateway SDK simple sample!\0", size 11, content.
	return cat([]byte{0xa1, 0x60, 0, 0, 0, 78, 0, 0, 0, 1},
		"helloWorld", 0, "from Azure IoT Gateway SDK simple sample!", 0,
		[]byte{0, 0, 0, 11}, "hello world")
}

func TestMessageGolden(t *testing.T) {
	tests := []struct {
		name string
		msg  abi.Message
		want []byte
	}{
		{"spec vector", abi.Message{
			Content:    []byte("hello"),
			Properties: []abi.Property{{"source", "sensor1"}, {"type", "temp"}},
		}, hexBytes(t, spec44)},
		{"hello_world sample 78 bytes", abi.Message{
			Content:    []byte("hello world"),
			Properties: []abi.Property{{"helloWorld", "from Azure IoT Gateway SDK simple sample!"}},
		}, helloWorldBytes()},
		{"empty message 14 bytes", abi.Message{}, hexBytes(t, "a1 60 00 00 00 0e 00 00 00 00 00 00 00 00")},
		{"empty key and value", abi.Message{Properties: []abi.Property{{"", ""}}},
			hexBytes(t, "a1 60 00 00 00 10 00 00 00 01 00 00 00 00 00 00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size, err := tt.msg.EncodedSize()
			if err != nil || size != len(tt.want) {
				t.Fatalf("EncodedSize = %d, %v; want %d", size, err, len(tt.want))
			}
			got, err := tt.msg.MarshalBinary()
			if err != nil {
				t.Fatalf("MarshalBinary: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("MarshalBinary\n got % x\nwant % x", got, tt.want)
			}
			prefix := []byte("xyz")
			app, err := tt.msg.AppendBinary(prefix)
			if err != nil || !bytes.Equal(app, append([]byte("xyz"), tt.want...)) {
				t.Fatalf("AppendBinary = % x, %v", app, err)
			}
			for name, dec := range map[string]func([]byte) (abi.Message, error){
				"DecodeMessage": abi.DecodeMessage, "DecodeMessageView": abi.DecodeMessageView,
			} {
				m, err := dec(tt.want)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Equal(m.Content, tt.msg.Content) || !equalProps(m.Properties, tt.msg.Properties) {
					t.Fatalf("%s = %+v, want %+v", name, m, tt.msg)
				}
			}
			var m abi.Message
			if err := m.UnmarshalBinary(tt.want); err != nil || !equalProps(m.Properties, tt.msg.Properties) {
				t.Fatalf("UnmarshalBinary: %+v, %v", m, err)
			}
		})
	}
	if n := len(hexBytes(t, spec44)); n != 44 {
		t.Fatalf("spec vector is %d bytes, SPEC says 44", n)
	}
	if n := len(helloWorldBytes()); n != 78 {
		t.Fatalf("hello_world vector is %d bytes, SPEC says 78", n)
	}
}

func equalProps(a, b []abi.Property) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecodeOwnership(t *testing.T) {
	b := hexBytes(t, spec44)
	m, err := abi.DecodeMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	v, err := abi.DecodeMessageView(b)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] = 'X' // "hellX"
	if string(m.Content) != "hello" {
		t.Errorf("DecodeMessage content aliases the input: %q", m.Content)
	}
	if string(v.Content) != "hellX" {
		t.Errorf("DecodeMessageView content does not alias the input: %q", v.Content)
	}
	if cap(v.Content) != len(v.Content) {
		t.Errorf("view content capacity %d not clipped to %d", cap(v.Content), len(v.Content))
	}
	if m.Properties[0].Key != "source" || v.Properties[1].Value != "temp" {
		t.Errorf("properties changed with the input: %+v %+v", m.Properties, v.Properties)
	}
	if got, ok := m.Get("type"); !ok || got != "temp" {
		t.Errorf("Get(type) = %q, %v", got, ok)
	}
	if _, ok := m.Get("missing"); ok {
		t.Errorf("Get(missing) found")
	}
}

func TestDecodeMessageMalformed(t *testing.T) {
	good := hexBytes(t, spec44)
	with := func(off int, vals ...byte) []byte {
		b := bytes.Clone(good)
		copy(b[off:], vals)
		return b
	}
	be := func(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
	// msg builds a message from raw parts: total size is computed unless forced.
	msg := func(count uint32, props string, csize uint32, content string) []byte {
		body := cat(be(count), props, be(csize), content)
		return cat([]byte{0xa1, 0x60}, be(uint32(6+len(body))), body)
	}
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int
	}{
		{"nil", nil, abi.ErrTooShort, 0},
		{"13 bytes", make([]byte, 13), abi.ErrTooShort, 0},
		{"bad magic 0", with(0, 0xa2), abi.ErrBadHeader, 0},
		{"bad magic 1 (control header)", with(1, 0x6c), abi.ErrBadHeader, 0},
		{"total too small", with(2, 0, 0, 0, 43), abi.ErrSizeMismatch, 2},
		{"total too large", with(2, 0, 0, 0, 45), abi.ErrSizeMismatch, 2},
		{"total negative", with(2, 0x80, 0, 0, 44), abi.ErrSizeMismatch, 2},
		{"trailing byte", append(bytes.Clone(good), 0), abi.ErrSizeMismatch, 2},
		{"truncated", good[:43], abi.ErrSizeMismatch, 2},
		{"count negative", with(6, 0xff, 0xff, 0xff, 0xff), abi.ErrPropertyCount, 6},
		{"count absurd", with(6, 0x7f, 0xff, 0xff, 0xff), abi.ErrPropertyCount, 6},
		{"count just too big", with(6, 0, 0, 0, 16), abi.ErrPropertyCount, 6},
		// Three properties are read from the bytes of two plus the content size; no 4 bytes remain after them.
		{"count exceeds properties present", msg(3, "a\x00b\x00c\x00", 0, ""), abi.ErrTooShort, 19},
		// The key has no NUL of its own, so key and value take the zero bytes of the content size field.
		{"key reads into the content size", msg(1, "abcdef", 0, ""), abi.ErrTooShort, 18},
		{"key unterminated", func() []byte {
			b := cat([]byte{0xa1, 0x60, 0, 0, 0, 16, 0, 0, 0, 1}, "abcdef")
			return b
		}(), abi.ErrUnterminated, 10},
		{"value unterminated", func() []byte {
			return cat([]byte{0xa1, 0x60, 0, 0, 0, 16, 0, 0, 0, 1}, "abc", 0, "de")
		}(), abi.ErrUnterminated, 14},
		{"duplicate key", msg(2, "k\x00a\x00k\x00b\x00", 0, ""), abi.ErrDuplicateKey, 14},
		{"duplicate empty key", msg(2, "\x00a\x00\x00b\x00", 0, ""), abi.ErrDuplicateKey, 13},
		{"duplicate key among many", msg(20, manyProps(19)+"p7\x00z\x00", 0, ""),
			abi.ErrDuplicateKey, 10 + len(manyProps(19))},
		{"content size short", msg(0, "", 6, "hello"), abi.ErrContentSize, 10},
		{"content size long", msg(0, "", 4, "hello"), abi.ErrContentSize, 10},
		{"content size negative", msg(0, "", 0xfffffffb, "hello"), abi.ErrContentSize, 10},
		{"content size huge", msg(0, "", 0x7fffffff, "hello"), abi.ErrContentSize, 10},
		{"no room for content size", cat([]byte{0xa1, 0x60, 0, 0, 0, 16, 0, 0, 0, 1}, "a\x00bcd\x00"),
			abi.ErrTooShort, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, dec := range map[string]func([]byte) (abi.Message, error){
				"DecodeMessage": abi.DecodeMessage, "DecodeMessageView": abi.DecodeMessageView,
			} {
				_, err := dec(tt.in)
				if !errors.Is(err, tt.err) {
					t.Fatalf("%s(% x) = %v, want %v", name, tt.in, err, tt.err)
				}
				var de *abi.DecodeError
				if !errors.As(err, &de) || de.Offset != tt.offset || de.Format != "message" {
					t.Fatalf("%s: error %v: want *DecodeError at offset %d", name, err, tt.offset)
				}
				if !strings.HasPrefix(err.Error(), "abi: message: ") || !strings.Contains(err.Error(), "offset") {
					t.Fatalf("error text %q lacks prefix or offset", err)
				}
			}
		})
	}
}

// bigProps returns properties that together exceed 2^31 bytes while sharing one 16 MiB value string.
func bigProps() []abi.Property {
	v := strings.Repeat("v", 16<<20)
	props := make([]abi.Property, 129)
	for i := range props {
		props[i] = abi.Property{Key: "k" + strconv.Itoa(i), Value: v}
	}
	return props
}

func manyProps(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString("p")
		sb.WriteString(string(rune('0' + i%10)))
		if i >= 10 {
			sb.WriteString("x")
		}
		sb.WriteString("\x00v\x00")
	}
	return sb.String()
}

func TestEncodeMessageRejects(t *testing.T) {
	many := make([]abi.Property, 40)
	for i := range many {
		many[i] = abi.Property{Key: strings.Repeat("k", i+1), Value: "v"}
	}
	manyDup := append(append([]abi.Property(nil), many...), abi.Property{Key: "kkk", Value: "again"})
	tests := []struct {
		name string
		msg  abi.Message
		err  error
	}{
		{"NUL in key", abi.Message{Properties: []abi.Property{{"a\x00b", "v"}}}, abi.ErrContainsNUL},
		{"NUL in value", abi.Message{Properties: []abi.Property{{"k", "v\x00"}}}, abi.ErrContainsNUL},
		{"duplicate key", abi.Message{Properties: []abi.Property{{"k", "1"}, {"x", "2"}, {"k", "3"}}}, abi.ErrDuplicateKey},
		{"duplicate key, many properties", abi.Message{Properties: manyDup}, abi.ErrDuplicateKey},
		{"content over int32", abi.Message{Content: hugeBytes(t, 1<<31-14+1)}, abi.ErrTooLarge},
		{"properties over int32", abi.Message{Properties: bigProps()}, abi.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.msg.EncodedSize(); !errors.Is(err, tt.err) {
				t.Fatalf("EncodedSize: %v, want %v", err, tt.err)
			}
			if _, err := tt.msg.MarshalBinary(); !errors.Is(err, tt.err) {
				t.Fatalf("MarshalBinary: %v, want %v", err, tt.err)
			}
			dst := []byte("keep")
			got, err := tt.msg.AppendBinary(dst)
			if !errors.Is(err, tt.err) || string(got) != "keep" {
				t.Fatalf("AppendBinary: %q, %v", got, err)
			}
			if !strings.HasPrefix(err.Error(), "abi: message: ") {
				t.Fatalf("error text %q", err)
			}
		})
	}
	// The largest allowed message is exactly 2^31-1 bytes.
	m := abi.Message{Content: hugeBytes(t, 1<<31-1-14)}
	if n, err := m.EncodedSize(); err != nil || n != 1<<31-1 {
		t.Fatalf("max size: %d, %v", n, err)
	}
	// Many distinct properties (map path) are fine and round-trip.
	mm := abi.Message{Properties: many, Content: []byte{0}}
	b, err := mm.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := abi.DecodeMessage(b)
	if err != nil || !equalProps(d.Properties, many) {
		t.Fatalf("round trip of 40 properties: %v", err)
	}
}

func TestAppendBinaryNoAlloc(t *testing.T) {
	m := benchMessage()
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = m.AppendBinary(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("AppendBinary into a large enough buffer allocates %v times", allocs)
	}
	b, _ := m.MarshalBinary()
	allocs = testing.AllocsPerRun(100, func() {
		if _, err := abi.DecodeMessageView(b); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Fatalf("DecodeMessageView allocates %v times, want <= 2", allocs)
	}
}
