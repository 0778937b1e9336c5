package cshim

/*
#include <stdlib.h>
#include "gw_internal.h"

static int32_t gw_msg_refcount(MESSAGE_HANDLE m) { return __atomic_load_n(&m->refcount, __ATOMIC_ACQUIRE); }
*/
import "C"

import (
	"errors"
	"fmt"
	"sync/atomic"
	"unsafe"

	"github.com/edgev1/gateway/abi"
)

// Message is a MESSAGE_HANDLE: a pointer to a C message. The zero Message is invalid.
//
// # Memory
//
// The message lives in C memory; the Go value is a plain pointer-sized integer. Each
// owner of a reference releases it exactly once (Release / ReleaseAll). Functions that
// return a new reference say so.
type Message uintptr

var (
	// ErrMalformed is returned when a byte array is not a valid serialized message.
	ErrMalformed = errors.New("cshim: message: malformed byte array")
	// ErrNoMemory is returned when the C allocator fails.
	ErrNoMemory = errors.New("cshim: message: out of memory")
)

func (m Message) handle() C.MESSAGE_HANDLE { return C.MESSAGE_HANDLE(unsafe.Pointer(m)) }

// refcountAddr returns the address of the message's atomic reference count (the first
// field of struct MESSAGE_HANDLE_DATA_TAG, see gw_internal.h).
func (m Message) refcountAddr() *int32 { return (*int32)(unsafe.Pointer(m)) }

// Retain adds n references (n >= 1) without crossing into C.
func (m Message) Retain(n int32) { atomic.AddInt32(m.refcountAddr(), n) }

// Release gives back one reference (Message_Destroy).
func (m Message) Release() { C.Message_Destroy(m.handle()) }

// RefCount reports the current reference count (for tests and diagnostics).
func (m Message) RefCount() int32 { return int32(C.gw_msg_refcount(m.handle())) }

// ReleaseAll gives back one reference of each message, with one call into C.
func ReleaseAll(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	C.gw_release_all((*C.MESSAGE_HANDLE)(unsafe.Pointer(&msgs[0])), C.size_t(len(msgs)))
}

// MessageFromBytes creates a message from the SDK byte-array format
// (Message_CreateFromByteArray). The caller owns the returned reference. b is only
// read during the call.
func MessageFromBytes(b []byte) (Message, error) {
	if len(b) == 0 || len(b) > 1<<31-1 {
		return 0, ErrMalformed
	}
	h := C.Message_CreateFromByteArray((*C.uchar)(unsafe.Pointer(&b[0])), C.int32_t(len(b)))
	if h == nil {
		// Tell the two failures apart with the pure-Go decoder (cold path).
		if _, err := abi.DecodeMessage(b); err != nil {
			return 0, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		return 0, ErrNoMemory
	}
	return Message(unsafe.Pointer(h)), nil
}

// NewMessage creates a message with a copy of content and props (in order). The
// caller owns the returned reference.
func NewMessage(content []byte, props []abi.Property) (Message, error) {
	b, err := (&abi.Message{Content: content, Properties: props}).MarshalBinary()
	if err != nil {
		return 0, err
	}
	return MessageFromBytes(b)
}

// Size returns the length of the message's byte-array form.
func (m Message) Size() int {
	return int(C.Message_ToByteArray(m.handle(), nil, 0))
}

// AppendBytes appends the message's byte-array form (Message_ToByteArray) to dst.
func (m Message) AppendBytes(dst []byte) ([]byte, error) {
	n := m.Size()
	if n < 0 {
		return dst, fmt.Errorf("cshim: message: cannot serialize")
	}
	start := len(dst)
	if cap(dst)-start < n {
		nd := make([]byte, start, start+n)
		copy(nd, dst)
		dst = nd
	}
	dst = dst[:start+n]
	if C.Message_ToByteArray(m.handle(), (*C.uchar)(unsafe.Pointer(&dst[start])), C.int32_t(n)) != C.int32_t(n) {
		return dst[:start], fmt.Errorf("cshim: message: cannot serialize")
	}
	return dst, nil
}

// Bytes returns the message's byte-array form in a new slice.
func (m Message) Bytes() ([]byte, error) { return m.AppendBytes(nil) }

// Decode returns a Go copy of the message's content and properties.
func (m Message) Decode() (abi.Message, error) {
	b, err := m.Bytes()
	if err != nil {
		return abi.Message{}, err
	}
	return abi.DecodeMessage(b)
}

// Content returns a copy of the message content.
func (m Message) Content() []byte {
	cb := C.Message_GetContent(m.handle())
	if cb == nil || cb.size == 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(cb.buffer), C.int(cb.size))
}
