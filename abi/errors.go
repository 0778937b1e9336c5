package abi

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Decoders return a *DecodeError that wraps one of these, so callers test with errors.Is;
// encoders wrap them with fmt.Errorf and %w. The text of a sentinel does not name the format; the wrapping
// error adds "message" or "control", the offset and the details.
var (
	// ErrTooShort: the buffer is shorter than the smallest valid encoding (14 bytes for a message,
	// 8 for a control message), or a field runs past the end of the buffer.
	ErrTooShort = errors.New("abi: too short")
	// ErrBadHeader: the first two bytes are not the format's magic (0xA1 0x60 or 0xA1 0x6C).
	ErrBadHeader = errors.New("abi: bad header")
	// ErrSizeMismatch: the total size written in the header is not the length of the buffer, or (control)
	// not the size the body's own fields add up to.
	ErrSizeMismatch = errors.New("abi: total size does not match")
	// ErrPropertyCount: the property count is negative or larger than the buffer can hold.
	ErrPropertyCount = errors.New("abi: bad property count")
	// ErrUnterminated: a key, value or string does not end with a NUL inside its bounds.
	ErrUnterminated = errors.New("abi: string not NUL-terminated")
	// ErrContainsNUL: a string holds a NUL byte before its end (encode: in a key or value; decode: inside a
	// control-message string whose declared size says the NUL comes later).
	ErrContainsNUL = errors.New("abi: string contains NUL")
	// ErrDuplicateKey: two properties have the same key.
	ErrDuplicateKey = errors.New("abi: duplicate property key")
	// ErrContentSize: the content size is negative or the content does not end exactly at the end of the
	// buffer.
	ErrContentSize = errors.New("abi: bad content size")
	// ErrTooLarge: an encoding would not fit the format's size fields (int32 for messages, uint32 for control
	// messages).
	ErrTooLarge = errors.New("abi: too large")
	// ErrUnsupportedVersion: a control message header version other than 1, or a CREATE whose gateway message
	// version is not 1 (a remote rejects versions newer than it knows).
	ErrUnsupportedVersion = errors.New("abi: unsupported version")
	// ErrBadType: a control message type that is not CREATE, REPLY, START, DESTROY or HEARTBEAT (type 0,
	// "error", is never sent and is rejected too).
	ErrBadType = errors.New("abi: bad control message type")
	// ErrBadURIType: a CREATE whose uri type is not 0x10 (NN_PAIR), the only transport the SDK defines.
	ErrBadURIType = errors.New("abi: unsupported uri type")
	// ErrEmptyURI: a CREATE with an empty message-channel URI.
	ErrEmptyURI = errors.New("abi: empty uri")
)

// DecodeError describes why a byte array was rejected: which format, which rule (Err, a sentinel above) and
// where (Offset, the byte offset in the input where the offending field starts).
type DecodeError struct {
	Format string // "message" or "control"
	Offset int    // byte offset of the offending field
	Err    error  // one of the sentinel errors of this package
	Detail string // human-readable specifics, may be empty
}

func (e *DecodeError) Error() string {
	var sb strings.Builder
	sb.WriteString("abi: ")
	sb.WriteString(e.Format)
	sb.WriteString(": ")
	sb.WriteString(strings.TrimPrefix(e.Err.Error(), "abi: "))
	sb.WriteString(" at offset ")
	sb.WriteString(strconv.Itoa(e.Offset))
	if e.Detail != "" {
		sb.WriteString(": ")
		sb.WriteString(e.Detail)
	}
	return sb.String()
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }

func msgErr(off int, err error, detail string) error {
	return &DecodeError{Format: "message", Offset: off, Err: err, Detail: detail}
}

func ctlErr(off int, err error, detail string) error {
	return &DecodeError{Format: "control", Offset: off, Err: err, Detail: detail}
}
