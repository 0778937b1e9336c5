package abi

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Message byte array layout constants.
const (
	MessageHeader0 = 0xA1 // first magic byte of a message byte array
	MessageHeader1 = 0x60 // second magic byte of a message byte array

	// MinMessageSize is the size of a message with no properties and no content: header (2), total size (4),
	// property count (4), content size (4).
	MinMessageSize = 14

	// MaxMessageSize is the largest total size a message byte array can declare (its size fields are int32).
	MaxMessageSize = math.MaxInt32
)

// dupMapThreshold: above this many properties duplicate keys are found with a map instead of pairwise
// comparison (pairwise keeps small messages allocation-free).
const dupMapThreshold = 16

// Property is one message property. Keys and values are arbitrary bytes except NUL; an empty key or value is
// allowed (the SDK's map accepts empty strings; see the package documentation).
type Property struct {
	Key, Value string
}

// Message is the decoded form of a message byte array: content bytes and properties in insertion order.
type Message struct {
	Content    []byte
	Properties []Property
}

// Get returns the value of the property with the given key.
func (m *Message) Get(key string) (string, bool) {
	for _, p := range m.Properties {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// EncodedSize validates m and returns the length of its byte array. It fails if a key or value contains NUL
// (ErrContainsNUL), two keys are equal (ErrDuplicateKey), or the encoding would exceed MaxMessageSize
// (ErrTooLarge). It does not allocate for messages with up to 16 properties.
func (m *Message) EncodedSize() (int, error) {
	size := int64(MinMessageSize) + int64(len(m.Content))
	for i, p := range m.Properties {
		if j := strings.IndexByte(p.Key, 0); j >= 0 {
			return 0, fmt.Errorf("abi: message: property %d key %q: NUL at byte %d: %w", i, p.Key, j, ErrContainsNUL)
		}
		if j := strings.IndexByte(p.Value, 0); j >= 0 {
			return 0, fmt.Errorf("abi: message: property %d (key %q) value: NUL at byte %d: %w", i, p.Key, j, ErrContainsNUL)
		}
		size += int64(len(p.Key)) + int64(len(p.Value)) + 2
		if size > MaxMessageSize {
			return 0, fmt.Errorf("abi: message: encoding exceeds %d bytes: %w", MaxMessageSize, ErrTooLarge)
		}
	}
	if size > MaxMessageSize {
		return 0, fmt.Errorf("abi: message: encoding of %d bytes exceeds %d: %w", size, MaxMessageSize, ErrTooLarge)
	}
	if i, j, dup := findDuplicate(m.Properties); dup {
		return 0, fmt.Errorf("abi: message: properties %d and %d have the same key %q: %w",
			i, j, m.Properties[j].Key, ErrDuplicateKey)
	}
	return int(size), nil
}

// findDuplicate reports the first pair i < j of properties with equal keys.
func findDuplicate(props []Property) (int, int, bool) {
	if len(props) <= dupMapThreshold {
		for j := 1; j < len(props); j++ {
			for i := 0; i < j; i++ {
				if props[i].Key == props[j].Key {
					return i, j, true
				}
			}
		}
		return 0, 0, false
	}
	seen := make(map[string]int, len(props))
	for j, p := range props {
		if i, ok := seen[p.Key]; ok {
			return i, j, true
		}
		seen[p.Key] = j
	}
	return 0, 0, false
}

// AppendBinary appends the byte array of m to dst and returns the extended slice (encoding.BinaryAppender).
// It validates like EncodedSize; on error dst is returned unchanged. When dst has enough spare capacity and m
// has at most 16 properties it does not allocate.
func (m *Message) AppendBinary(dst []byte) ([]byte, error) {
	size, err := m.EncodedSize()
	if err != nil {
		return dst, err
	}
	dst = slices.Grow(dst, size)
	dst = append(dst, MessageHeader0, MessageHeader1)
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(m.Properties)))
	for _, p := range m.Properties {
		dst = append(dst, p.Key...)
		dst = append(dst, 0)
		dst = append(dst, p.Value...)
		dst = append(dst, 0)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(m.Content)))
	dst = append(dst, m.Content...)
	return dst, nil
}

// MarshalBinary returns the byte array of m in a new slice of exactly EncodedSize bytes
// (encoding.BinaryMarshaler).
func (m *Message) MarshalBinary() ([]byte, error) {
	size, err := m.EncodedSize()
	if err != nil {
		return nil, err
	}
	return m.AppendBinary(make([]byte, 0, size))
}

// UnmarshalBinary replaces m with the decoding of b (encoding.BinaryUnmarshaler). The result does not alias b.
// On error m is left unchanged.
func (m *Message) UnmarshalBinary(b []byte) error {
	d, err := DecodeMessage(b)
	if err != nil {
		return err
	}
	*m = d
	return nil
}

// DecodeMessage decodes a message byte array, enforcing every rule of the format: header 0xA1 0x60, at least
// 14 bytes, total size equal to len(b), a non-negative property count that fits the buffer, every key and value
// NUL-terminated inside the buffer, no duplicate keys, a non-negative content size with the content ending
// exactly at the end of b. Errors are *DecodeError values wrapping a sentinel (errors.Is(err, ErrBadHeader)...).
//
// The result owns its memory (it does not alias b). Allocation is bounded by len(b): one string holding all
// keys and values, one property slice, one content slice.
func DecodeMessage(b []byte) (Message, error) { return decodeMessage(b, false) }

// DecodeMessageView is DecodeMessage without copying the content: the returned Content aliases b (its capacity
// is clipped so appending to it cannot overwrite b). Keys and values are still copied (Go strings are
// immutable). Use it when b outlives the message and is not modified.
func DecodeMessageView(b []byte) (Message, error) { return decodeMessage(b, true) }

func decodeMessage(b []byte, view bool) (Message, error) {
	n := len(b)
	if n < MinMessageSize {
		return Message{}, msgErr(0, ErrTooShort, fmt.Sprintf("%d bytes, the minimum is %d", n, MinMessageSize))
	}
	if b[0] != MessageHeader0 || b[1] != MessageHeader1 {
		return Message{}, msgErr(0, ErrBadHeader, fmt.Sprintf("got %02x %02x, want a1 60", b[0], b[1]))
	}
	total := int32(binary.BigEndian.Uint32(b[2:6]))
	if int64(total) != int64(n) {
		return Message{}, msgErr(2, ErrSizeMismatch, fmt.Sprintf("header says %d bytes, buffer has %d", total, n))
	}
	count := int32(binary.BigEndian.Uint32(b[6:10]))
	if count < 0 {
		return Message{}, msgErr(6, ErrPropertyCount, fmt.Sprintf("negative count %d", count))
	}
	// Each property takes at least two bytes (two NULs).
	if room := (n - MinMessageSize) / 2; int64(count) > int64(room) {
		return Message{}, msgErr(6, ErrPropertyCount,
			fmt.Sprintf("%d properties cannot fit in %d bytes (at most %d)", count, n, room))
	}

	// Pass 1: find the end of the property area, checking termination, without allocating.
	off := 10
	for i := 0; i < int(count); i++ {
		k := bytes.IndexByte(b[off:], 0)
		if k < 0 {
			return Message{}, msgErr(off, ErrUnterminated, fmt.Sprintf("key of property %d", i))
		}
		vOff := off + k + 1
		v := bytes.IndexByte(b[vOff:], 0)
		if v < 0 {
			return Message{}, msgErr(vOff, ErrUnterminated, fmt.Sprintf("value of property %d", i))
		}
		off = vOff + v + 1
	}
	propEnd := off
	if n-off < 4 {
		return Message{}, msgErr(off, ErrTooShort, fmt.Sprintf("content size needs 4 bytes, %d left", n-off))
	}
	csize := int32(binary.BigEndian.Uint32(b[off : off+4]))
	if csize < 0 {
		return Message{}, msgErr(off, ErrContentSize, fmt.Sprintf("negative size %d", csize))
	}
	if end := int64(off) + 4 + int64(csize); end != int64(n) {
		return Message{}, msgErr(off, ErrContentSize,
			fmt.Sprintf("%d bytes of content end at %d, buffer ends at %d", csize, end, n))
	}

	// Pass 2: build the properties from one string holding the whole property area.
	var m Message
	if count > 0 {
		area := string(b[10:propEnd])
		m.Properties = make([]Property, count)
		pos := 0
		for i := range m.Properties {
			k := strings.IndexByte(area[pos:], 0)
			key := area[pos : pos+k]
			pos += k + 1
			v := strings.IndexByte(area[pos:], 0)
			m.Properties[i] = Property{Key: key, Value: area[pos : pos+v]}
			pos += v + 1
		}
		if i, j, dup := findDuplicate(m.Properties); dup {
			keyOff := 10
			for _, p := range m.Properties[:j] {
				keyOff += len(p.Key) + len(p.Value) + 2
			}
			return Message{}, msgErr(keyOff, ErrDuplicateKey,
				fmt.Sprintf("property %d repeats the key %q of property %d", j, m.Properties[j].Key, i))
		}
	}
	if csize > 0 {
		if view {
			m.Content = b[off+4 : n : n]
		} else {
			m.Content = bytes.Clone(b[off+4 : n])
		}
	}
	return m, nil
}
