//go:build !linux || !cgo

package sp

import (
	"errors"
	"time"
)

// errUnsupported is returned by every call when the package is built without cgo or off Linux.
var errUnsupported = errors.New("sp: nanomsg sockets need linux and cgo")

// DefaultLinger is how long Close keeps a socket open after the last successful Send.
const DefaultLinger = 100 * time.Millisecond

// Socket is unavailable in this build.
type Socket struct{}

// Msg is unavailable in this build.
type Msg struct{}

func NewPair() (*Socket, error)                            { return nil, errUnsupported }
func (s *Socket) Bind(string) error                        { return errUnsupported }
func (s *Socket) Dial(string) error                        { return errUnsupported }
func (s *Socket) SetSendTimeout(time.Duration)             {}
func (s *Socket) SetRecvTimeout(time.Duration)             {}
func (s *Socket) SetLinger(time.Duration)                  {}
func (s *Socket) SetRecvMaxSize(int) error                 { return errUnsupported }
func (s *Socket) SetReconnectInterval(time.Duration) error { return errUnsupported }
func (s *Socket) Connections() (int, error)                { return 0, errUnsupported }
func (s *Socket) Send([]byte) error                        { return errUnsupported }
func (s *Socket) Recv() ([]byte, error)                    { return nil, errUnsupported }
func (s *Socket) RecvAppend(dst []byte) ([]byte, error)    { return dst, errUnsupported }
func (s *Socket) RecvMsg() (Msg, error)                    { return Msg{}, errUnsupported }
func (s *Socket) Close() error                             { return nil }
func (m *Msg) Bytes() []byte                               { return nil }
func (m *Msg) Len() int                                    { return 0 }
func (m *Msg) Free()                                       {}
