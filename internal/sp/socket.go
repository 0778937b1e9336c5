//go:build linux && cgo

package sp

/*
#cgo LDFLAGS: -lnanomsg
#include <stdlib.h>
#include <nanomsg/nn.h>
#include "sp.h"
*/
import "C"

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// DefaultLinger is how long Close keeps a socket open after the last successful Send (see SetLinger).
const DefaultLinger = 100 * time.Millisecond

// epoch anchors the monotonic clock used for the linger bookkeeping.
var epoch = time.Now()

// Socket is a nanomsg NN_PAIR socket. All methods are safe for concurrent use; a Send and a Recv may block at the
// same time in different goroutines. Create it with NewPair and always Close it.
type Socket struct {
	id     C.int // nanomsg socket id; valid until Close takes mu for writing
	rcvfd  C.int // NN_RCVFD, owned by nanomsg
	sndfd  C.int // NN_SNDFD, owned by nanomsg
	wakefd C.int // eventfd owned by the Socket; signalled by Close

	// mu is held for reading by every call that uses id and for writing by Close, so the nanomsg id is never
	// closed (and possibly reused by another socket) while a call is using it.
	mu     sync.RWMutex
	closed atomic.Bool

	sendTimeout atomic.Int64 // milliseconds; -1 = forever, 0 = try once
	recvTimeout atomic.Int64
	linger      atomic.Int64 // nanoseconds
	lastSend    atomic.Int64 // nanoseconds since epoch of the last successful Send
}

// NewPair creates an NN_PAIR socket (SP pair protocol v0) with no timeouts and the DefaultLinger.
//
// # Memory
//
// The socket holds a nanomsg socket, its two notification descriptors (owned by nanomsg) and one eventfd
// (owned by the Socket); Close releases all of them. No Go pointer is kept by C.
func NewPair() (*Socket, error) {
	var rcvfd, sndfd C.int
	id := C.sp_pair_socket(&rcvfd, &sndfd)
	if id < 0 {
		return nil, nnError("socket", "", syscall.Errno(-id))
	}
	wake := C.sp_wake_create()
	if wake < 0 {
		C.sp_close(id)
		return nil, &Error{Op: "socket", Errno: syscall.Errno(-wake), Text: "eventfd: " + syscall.Errno(-wake).Error()}
	}
	s := &Socket{id: id, rcvfd: rcvfd, sndfd: sndfd, wakefd: wake}
	s.sendTimeout.Store(-1)
	s.recvTimeout.Store(-1)
	s.linger.Store(int64(DefaultLinger))
	return s, nil
}

// nnError builds an *Error with nanomsg's text for errno.
func nnError(op, addr string, errno syscall.Errno) error {
	if errno == syscall.ECANCELED {
		return &Error{Op: op, Addr: addr, Errno: errno, Text: "socket closed"}
	}
	return &Error{Op: op, Addr: addr, Errno: errno, Text: C.GoString(C.nn_strerror(C.int(errno)))}
}

func closedError(op string) error {
	return &Error{Op: op, Errno: syscall.EBADF, Text: "socket closed"}
}

// acquire takes the read side of mu; it fails once Close has started.
func (s *Socket) acquire(op string) error {
	if s.closed.Load() { // fast path: do not queue behind a lingering Close
		return closedError(op)
	}
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		return closedError(op)
	}
	return nil
}

// Bind listens on url (for example "ipc:///tmp/gw.control"). nanomsg replaces a stale ipc socket file left by a
// process that is gone, and fails with EADDRINUSE while another socket listens on it. nanomsg would also delete
// any other kind of file at the path, so Bind refuses a path that exists and is not a socket (ErrAddress).
// Close removes the socket file. URLs nanomsg cannot use are refused with ErrAddress (see IPCURL).
func (s *Socket) Bind(url string) error {
	if err := checkURL(url); err != nil {
		return err
	}
	if err := checkBindPath(url); err != nil {
		return err
	}
	if err := s.acquire("bind"); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	curl := C.CString(url) // copied by nanomsg; freed here
	defer C.free(unsafe.Pointer(curl))
	if C.nn_bind(s.id, curl) < 0 {
		return nnError("bind", url, syscall.Errno(C.nn_errno()))
	}
	return nil
}

// Dial connects to url (nanomsg's nn_connect). It returns at once: nanomsg connects in the background and keeps
// reconnecting (every 100 ms by default, see SetReconnectInterval), so dialing before the peer binds is fine.
// Sends block until a connection exists.
func (s *Socket) Dial(url string) error {
	if err := checkURL(url); err != nil {
		return err
	}
	if err := s.acquire("dial"); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	curl := C.CString(url) // copied by nanomsg; freed here
	defer C.free(unsafe.Pointer(curl))
	if C.nn_connect(s.id, curl) < 0 {
		return nnError("dial", url, syscall.Errno(C.nn_errno()))
	}
	return nil
}

// timeoutMS converts a timeout to the helpers' convention: -1 forever, 0 try once, else milliseconds rounded up.
func timeoutMS(d time.Duration) int64 {
	switch {
	case d < 0:
		return -1
	case d == 0:
		return 0
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if ms > 1<<31-1 {
		return -1
	}
	return int64(ms)
}

// SetSendTimeout bounds how long Send waits for room (or for a peer): d < 0 forever (the default), 0 do not
// wait, otherwise d rounded up to a millisecond. An expired Send fails with an error matching ErrTimeout and
// the frame is not sent.
func (s *Socket) SetSendTimeout(d time.Duration) { s.sendTimeout.Store(timeoutMS(d)) }

// SetRecvTimeout bounds how long Recv waits for a frame, like SetSendTimeout.
func (s *Socket) SetRecvTimeout(d time.Duration) { s.recvTimeout.Store(timeoutMS(d)) }

// SetLinger sets how long Close keeps the socket open after the last successful Send; 0 closes at once.
// nanomsg 1.1.5 ignores its own NN_LINGER and drops frames that are still queued when the socket closes, so
// without a linger a frame sent just before Close is often lost (measured: about a third of the time). The
// linger makes that loss unlikely but cannot guarantee delivery; a protocol that must know needs an
// acknowledgement. Note also that frames already received by nanomsg but not yet taken by Recv are dropped when
// the peer's connection closes.
func (s *Socket) SetLinger(d time.Duration) {
	if d < 0 {
		d = 0
	}
	s.linger.Store(int64(d))
}

// SetRecvMaxSize sets NN_RCVMAXSIZE: the largest frame accepted, in bytes; -1 for no limit. nanomsg's default is
// 1 MiB; a larger frame makes nanomsg drop the connection (the sender sees no error).
func (s *Socket) SetRecvMaxSize(n int) error { return s.setInt("NN_RCVMAXSIZE", C.NN_RCVMAXSIZE, n) }

// SetReconnectInterval sets NN_RECONNECT_IVL, how long a dialed socket waits before reconnecting (default
// 100 ms), rounded down to milliseconds.
func (s *Socket) SetReconnectInterval(d time.Duration) error {
	return s.setInt("NN_RECONNECT_IVL", C.NN_RECONNECT_IVL, int(d/time.Millisecond))
}

func (s *Socket) setInt(name string, opt C.int, v int) error {
	if v > 1<<31-1 || v < -1<<31 {
		return &Error{Op: "setsockopt " + name, Errno: syscall.EINVAL, Text: "value out of range"}
	}
	if err := s.acquire("setsockopt " + name); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if e := C.sp_setopt_int(s.id, opt, C.int(v)); e != 0 {
		return nnError("setsockopt "+name, "", syscall.Errno(e))
	}
	return nil
}

// Connections returns how many connections the socket has now (nanomsg's NN_STAT_CURRENT_CONNECTIONS): 0 or
// 1 for a pair socket in practice. It is a snapshot; use it to tell whether a peer is attached.
func (s *Socket) Connections() (int, error) {
	if err := s.acquire("statistic"); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	v := C.sp_statistic(s.id, C.NN_STAT_CURRENT_CONNECTIONS)
	if v < 0 {
		return 0, nnError("statistic", "", syscall.Errno(-v))
	}
	return int(v), nil
}

// Send sends b as one frame. It blocks while there is no connected peer or no room (see SetSendTimeout), and
// returns an error matching ErrClosed if the socket is closed meanwhile.
//
// # Memory
//
// nanomsg copies b before Send returns; b is only read during the call.
func (s *Socket) Send(b []byte) error {
	if err := s.acquire("send"); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(unsafe.SliceData(b))
	}
	if e := C.sp_send(s.id, s.sndfd, s.wakefd, p, C.size_t(len(b)), C.int(s.sendTimeout.Load())); e != 0 {
		return nnError("send", "", syscall.Errno(e))
	}
	s.lastSend.Store(int64(time.Since(epoch)))
	return nil
}

// Recv receives one frame into a new slice of exactly its size.
func (s *Socket) Recv() ([]byte, error) {
	return s.recv(nil, true)
}

// RecvAppend receives one frame and appends it to dst, returning the extended slice (dst unchanged on error).
// When dst has enough spare capacity nothing is allocated: pass buf[:0] to reuse a buffer.
//
// # Memory
//
// The frame is copied from nanomsg's buffer into dst's spare capacity by C during the call (C keeps no pointer
// to it); nanomsg's buffer is freed before RecvAppend returns.
func (s *Socket) RecvAppend(dst []byte) ([]byte, error) {
	return s.recv(dst, false)
}

func (s *Socket) recv(dst []byte, exact bool) ([]byte, error) {
	if err := s.acquire("recv"); err != nil {
		return dst, err
	}
	defer s.mu.RUnlock()
	var p unsafe.Pointer
	spare := 0
	if !exact {
		spare = cap(dst) - len(dst)
		if spare > 0 {
			p = unsafe.Pointer(unsafe.SliceData(dst[len(dst):cap(dst)]))
		}
	}
	if p == nil {
		// The C side needs a non-NULL destination to copy an empty frame; a zero-capacity request otherwise
		// hands back nanomsg's buffer, which is copied below.
		spare = 0
	}
	r := C.sp_recv(s.id, s.rcvfd, s.wakefd, p, C.size_t(spare), C.int(s.recvTimeout.Load()))
	if r.n < 0 {
		return dst, nnError("recv", "", syscall.Errno(-r.n))
	}
	n := int(r.n)
	if r.msg == nil {
		return dst[:len(dst)+n], nil
	}
	// Did not fit (or Recv): copy out of nanomsg's buffer, then free it.
	var out []byte
	if exact {
		out = make([]byte, n)
		copy(out, unsafe.Slice((*byte)(r.msg), n))
	} else {
		out = append(dst, unsafe.Slice((*byte)(r.msg), n)...)
	}
	C.nn_freemsg(r.msg)
	return out, nil
}

// Msg is a received frame still in nanomsg's buffer (zero copy). Do not copy a Msg; call Free exactly once
// (further calls do nothing).
type Msg struct {
	p unsafe.Pointer
	n int
}

// Bytes returns the frame. The slice points into C memory and is valid only until Free; it must not be kept,
// appended to, or passed to C code that keeps it.
func (m *Msg) Bytes() []byte {
	if m.p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(m.p), m.n)
}

// Len returns the frame size.
func (m *Msg) Len() int { return m.n }

// Free releases nanomsg's buffer (nn_freemsg).
func (m *Msg) Free() {
	if m.p != nil {
		C.nn_freemsg(m.p)
		m.p = nil
	}
}

// RecvMsg receives one frame without copying it.
//
// # Memory
//
// The frame stays in a buffer allocated by nanomsg; the caller owns it and must call Msg.Free (which calls
// nn_freemsg) when done, from any goroutine, even after the socket is closed.
func (s *Socket) RecvMsg() (Msg, error) {
	if err := s.acquire("recv"); err != nil {
		return Msg{}, err
	}
	defer s.mu.RUnlock()
	r := C.sp_recv(s.id, s.rcvfd, s.wakefd, nil, 0, C.int(s.recvTimeout.Load()))
	if r.n < 0 {
		return Msg{}, nnError("recv", "", syscall.Errno(-r.n))
	}
	return Msg{p: r.msg, n: int(r.n)}, nil
}

// Close closes the socket. Calls blocked in Send or Recv in other goroutines return an error matching ErrClosed
// at once; later calls fail the same way. Close then waits for those calls to leave nanomsg, waits out the
// linger (see SetLinger) if a frame was sent recently, and closes the nanomsg socket. Closing twice is a no-op
// returning nil. nanomsg removes the ipc socket file of a bound socket.
func (s *Socket) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	C.sp_wake_signal(s.wakefd)
	s.mu.Lock()
	defer s.mu.Unlock()
	if last := s.lastSend.Load(); last != 0 {
		if wait := time.Duration(last + s.linger.Load() - int64(time.Since(epoch))); wait > 0 {
			time.Sleep(wait)
		}
	}
	e := C.sp_close(s.id)
	C.sp_wake_close(s.wakefd)
	if e != 0 {
		return nnError("close", "", syscall.Errno(e))
	}
	return nil
}
