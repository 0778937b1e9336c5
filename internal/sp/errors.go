package sp

import (
	"errors"
	"syscall"
)

var (
	// ErrClosed: the socket was closed (before or during the call).
	ErrClosed = errors.New("sp: socket closed")
	// ErrTimeout: a send or receive timeout expired (or, with a zero timeout, the call would have blocked).
	ErrTimeout = errors.New("sp: timed out")
	// ErrAddress: a URL or ipc id that nanomsg cannot use (see IPCURL and MaxIPCPath).
	ErrAddress = errors.New("sp: invalid address")
)

// Error is a failure reported by nanomsg: the operation, the address for bind and dial, the errno and its
// nn_strerror text. errors.Is(err, ErrTimeout) holds for ETIMEDOUT and errors.Is(err, ErrClosed) for a closed
// socket; errors.Is(err, syscall.ECONNREFUSED) and the like work through Unwrap.
type Error struct {
	Op    string // "socket", "bind", "dial", "send", "recv", "close", "setsockopt", "statistic"
	Addr  string // the URL for bind and dial, else empty
	Errno syscall.Errno
	Text  string // nn_strerror(Errno)
}

func (e *Error) Error() string {
	s := "sp: " + e.Op
	if e.Addr != "" {
		s += " " + e.Addr
	}
	return s + ": " + e.Text
}

// Unwrap returns the errno.
func (e *Error) Unwrap() error { return e.Errno }

// Is maps timeouts to ErrTimeout and closed sockets to ErrClosed.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrTimeout:
		return e.Errno == syscall.ETIMEDOUT
	case ErrClosed:
		return e.Errno == syscall.EBADF || e.Errno == syscall.ECANCELED
	}
	return false
}
