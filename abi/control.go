package abi

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Control message layout constants.
const (
	ControlHeader0 = 0xA1 // first magic byte of a control message
	ControlHeader1 = 0x6C // second magic byte of a control message

	// ControlVersion is the only control header version (byte 2).
	ControlVersion = 1
	// GatewayMessageVersion is the only gateway message version a CREATE carries (first body byte). A remote
	// rejects a newer one with ErrUnsupportedVersion.
	GatewayMessageVersion = 1
	// URITypePair is the uri type of a CREATE's message channel: a nanomsg NN_PAIR socket.
	URITypePair = 0x10

	// ControlHeaderSize is the size of the common header, and the whole size of START, DESTROY and a HEARTBEAT
	// without sequence.
	ControlHeaderSize = 8
	// ReplySize is the size of a REPLY.
	ReplySize = 9
	// HeartbeatSeqSize is the size of a HEARTBEAT that carries a sequence number.
	HeartbeatSeqSize = 16
	// MinCreateSize is the size of a CREATE with empty strings (each still has its NUL).
	MinCreateSize = ControlHeaderSize + 2 + 4 + 1 + 4 + 1
	// MaxControlSize is the largest total size a control message can declare (u32).
	MaxControlSize = math.MaxUint32
)

// ControlType is byte 3 of a control message.
type ControlType uint8

// Control message types.
const (
	// ControlError (0) means "error" in the SDK and is never sent; DecodeControl rejects it.
	ControlError ControlType = 0
	// ControlCreate: gateway to remote; asks the remote to (re)create its module and bind the message channel.
	ControlCreate ControlType = 1
	// ControlReply: remote to gateway; the status of a CREATE, or a detach notice.
	ControlReply ControlType = 2
	// ControlStart: gateway to remote; header only.
	ControlStart ControlType = 3
	// ControlDestroy: gateway to remote; header only.
	ControlDestroy ControlType = 4
	// ControlHeartbeat is an extension of this project, reserved for liveness checks: header only, or header
	// plus an 8-byte big-endian sequence number. The SDK never defined it, so a gateway must not send it to a
	// remote that has not announced support (SDK remotes would fail on it); DecodeControl accepts it so that
	// remotes of this project can.
	ControlHeartbeat ControlType = 5
)

func (t ControlType) String() string {
	switch t {
	case ControlError:
		return "ERROR"
	case ControlCreate:
		return "CREATE"
	case ControlReply:
		return "REPLY"
	case ControlStart:
		return "START"
	case ControlDestroy:
		return "DESTROY"
	case ControlHeartbeat:
		return "HEARTBEAT"
	}
	return "ControlType(" + strconv.Itoa(int(t)) + ")"
}

// ReplyStatus is the status byte of a REPLY. Any value other than ReplyOK means the CREATE failed (or, for
// ReplyDetach, that the remote is leaving); unknown values are carried through unchanged.
type ReplyStatus uint8

// REPLY status values.
const (
	ReplyOK              ReplyStatus = 0
	ReplyConnectionError ReplyStatus = 1
	ReplyCreateError     ReplyStatus = 2
	ReplyDetach          ReplyStatus = 0xFF
)

func (s ReplyStatus) String() string {
	switch s {
	case ReplyOK:
		return "ok"
	case ReplyConnectionError:
		return "connection error"
	case ReplyCreateError:
		return "module creation error"
	case ReplyDetach:
		return "detach"
	}
	return "ReplyStatus(" + strconv.Itoa(int(s)) + ")"
}

// ControlMessage is a decoded control message. Only the fields of its Type are meaningful; the encoder ignores
// the others and the decoder leaves them zero.
type ControlMessage struct {
	Type ControlType

	// CREATE: the message channel URI (for example "ipc:///tmp/proxy_sample.message") and the JSON
	// serialization of the module's args (a JSON string keeps its quotes). Neither may contain NUL; URI must
	// not be empty. The gateway message version is always GatewayMessageVersion and the uri type URITypePair.
	URI  string
	Args string

	// REPLY: the status byte.
	Status ReplyStatus

	// HEARTBEAT: an optional sequence number, present on the wire only when HasSequence is set.
	Sequence    uint64
	HasSequence bool
}

// ControlSize validates m and returns the length of its encoding.
func ControlSize(m ControlMessage) (int, error) {
	switch m.Type {
	case ControlStart, ControlDestroy:
		return ControlHeaderSize, nil
	case ControlReply:
		return ReplySize, nil
	case ControlHeartbeat:
		if m.HasSequence {
			return HeartbeatSeqSize, nil
		}
		return ControlHeaderSize, nil
	case ControlCreate:
		if m.URI == "" {
			return 0, fmt.Errorf("abi: control: CREATE: %w", ErrEmptyURI)
		}
		if j := strings.IndexByte(m.URI, 0); j >= 0 {
			return 0, fmt.Errorf("abi: control: CREATE uri %q: NUL at byte %d: %w", m.URI, j, ErrContainsNUL)
		}
		if j := strings.IndexByte(m.Args, 0); j >= 0 {
			return 0, fmt.Errorf("abi: control: CREATE args: NUL at byte %d: %w", j, ErrContainsNUL)
		}
		size := uint64(MinCreateSize) + uint64(len(m.URI)) + uint64(len(m.Args))
		if size > MaxControlSize {
			return 0, fmt.Errorf("abi: control: CREATE of %d bytes exceeds %d: %w", size, uint64(MaxControlSize), ErrTooLarge)
		}
		return int(size), nil
	}
	return 0, fmt.Errorf("abi: control: type %d: %w", uint8(m.Type), ErrBadType)
}

// AppendControl appends the encoding of m to dst. On error dst is returned unchanged. It does not allocate
// when dst has enough spare capacity.
func AppendControl(dst []byte, m ControlMessage) ([]byte, error) {
	size, err := ControlSize(m)
	if err != nil {
		return dst, err
	}
	dst = slices.Grow(dst, size)
	dst = append(dst, ControlHeader0, ControlHeader1, ControlVersion, byte(m.Type))
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	switch m.Type {
	case ControlReply:
		dst = append(dst, byte(m.Status))
	case ControlHeartbeat:
		if m.HasSequence {
			dst = binary.BigEndian.AppendUint64(dst, m.Sequence)
		}
	case ControlCreate:
		dst = append(dst, GatewayMessageVersion, URITypePair)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(m.URI)+1))
		dst = append(dst, m.URI...)
		dst = append(dst, 0)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(m.Args)+1))
		dst = append(dst, m.Args...)
		dst = append(dst, 0)
	}
	return dst, nil
}

// EncodeControl returns the encoding of m in a new slice.
func EncodeControl(m ControlMessage) ([]byte, error) {
	size, err := ControlSize(m)
	if err != nil {
		return nil, err
	}
	return AppendControl(make([]byte, 0, size), m)
}

// DecodeControl decodes one control message. It checks the header magic, the header version (must be 1), the
// type, that the declared total size equals len(b) and the size the type implies, and for CREATE: gateway
// message version 1 (ErrUnsupportedVersion otherwise), uri type 0x10, each declared string size fits the buffer
// and ends with the string's only NUL, the uri is not empty and nothing follows the args. A REPLY's status is
// not checked (values other than 0 mean failure). The result does not alias b.
func DecodeControl(b []byte) (ControlMessage, error) {
	n := len(b)
	if n < ControlHeaderSize {
		return ControlMessage{}, ctlErr(0, ErrTooShort, fmt.Sprintf("%d bytes, the header needs %d", n, ControlHeaderSize))
	}
	if b[0] != ControlHeader0 || b[1] != ControlHeader1 {
		return ControlMessage{}, ctlErr(0, ErrBadHeader, fmt.Sprintf("got %02x %02x, want a1 6c", b[0], b[1]))
	}
	if b[2] != ControlVersion {
		return ControlMessage{}, ctlErr(2, ErrUnsupportedVersion, fmt.Sprintf("header version %d, want %d", b[2], ControlVersion))
	}
	m := ControlMessage{Type: ControlType(b[3])}
	total := binary.BigEndian.Uint32(b[4:8])
	if uint64(total) != uint64(n) {
		return ControlMessage{}, ctlErr(4, ErrSizeMismatch, fmt.Sprintf("header says %d bytes, buffer has %d", total, n))
	}
	want := func(sizes ...int) error {
		for _, s := range sizes {
			if n == s {
				return nil
			}
		}
		return ctlErr(4, ErrSizeMismatch, fmt.Sprintf("%s is %v bytes, got %d", m.Type, sizes, n))
	}
	switch m.Type {
	case ControlStart, ControlDestroy:
		if err := want(ControlHeaderSize); err != nil {
			return ControlMessage{}, err
		}
	case ControlReply:
		if err := want(ReplySize); err != nil {
			return ControlMessage{}, err
		}
		m.Status = ReplyStatus(b[8])
	case ControlHeartbeat:
		if err := want(ControlHeaderSize, HeartbeatSeqSize); err != nil {
			return ControlMessage{}, err
		}
		if n == HeartbeatSeqSize {
			m.HasSequence = true
			m.Sequence = binary.BigEndian.Uint64(b[8:16])
		}
	case ControlCreate:
		if err := decodeCreate(b, &m); err != nil {
			return ControlMessage{}, err
		}
	default:
		return ControlMessage{}, ctlErr(3, ErrBadType, fmt.Sprintf("type %d", b[3]))
	}
	return m, nil
}

func decodeCreate(b []byte, m *ControlMessage) error {
	n := len(b)
	if n < MinCreateSize {
		return ctlErr(ControlHeaderSize, ErrTooShort, fmt.Sprintf("CREATE of %d bytes, the minimum is %d", n, MinCreateSize))
	}
	if v := b[8]; v != GatewayMessageVersion {
		return ctlErr(8, ErrUnsupportedVersion, fmt.Sprintf("gateway message version %d, want %d", v, GatewayMessageVersion))
	}
	if t := b[9]; t != URITypePair {
		return ctlErr(9, ErrBadURIType, fmt.Sprintf("uri type 0x%02x, want 0x%02x (NN_PAIR)", t, URITypePair))
	}
	off := 10
	uri, off, err := cstring(b, off, "uri")
	if err != nil {
		return err
	}
	if uri == "" {
		return ctlErr(10, ErrEmptyURI, "")
	}
	if n-off < 4 {
		return ctlErr(off, ErrTooShort, fmt.Sprintf("args size needs 4 bytes, %d left", n-off))
	}
	args, off, err := cstring(b, off, "args")
	if err != nil {
		return err
	}
	if off != n {
		return ctlErr(off, ErrSizeMismatch, fmt.Sprintf("%d bytes after the args", n-off))
	}
	m.URI, m.Args = uri, args
	return nil
}

// cstring reads a u32 size (which counts the NUL) at off followed by that many bytes, the last of which must be
// the only NUL. It returns the string and the offset after it.
func cstring(b []byte, off int, what string) (string, int, error) {
	size := binary.BigEndian.Uint32(b[off : off+4])
	start := off + 4
	if size == 0 {
		return "", 0, ctlErr(off, ErrUnterminated, what+" size 0 leaves no room for the NUL")
	}
	if uint64(size) > uint64(len(b)-start) {
		return "", 0, ctlErr(off, ErrTooShort, fmt.Sprintf("%s size %d, only %d bytes left", what, size, len(b)-start))
	}
	end := start + int(size) - 1 // index of the NUL
	if b[end] != 0 {
		return "", 0, ctlErr(end, ErrUnterminated, fmt.Sprintf("%s of declared size %d does not end with NUL", what, size))
	}
	if j := bytes.IndexByte(b[start:end], 0); j >= 0 {
		return "", 0, ctlErr(start+j, ErrContainsNUL, fmt.Sprintf("%s has a NUL at byte %d of %d", what, j, size-1))
	}
	return string(b[start:end]), end + 1, nil
}
