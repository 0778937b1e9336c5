// Package control is the gateway's local control socket: a unix stream socket on
// which `gateway reload` and `gateway status` talk to a running gateway.
//
// Protocol: the client writes one JSON request line {"command": "reload"|"status"}
// and reads one JSON response line {"ok": bool, "error": "...", "result": {...}};
// then the connection is closed.
//
// Access is owner-only: the socket file is made mode 0600 right after it is bound,
// and every connection's peer credentials (SO_PEERCRED) are checked: only the
// gateway's own user (and root) are served.
package control

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// Request is what a client sends.
type Request struct {
	Command string `json:"command"`
}

// Response is what the server answers.
type Response struct {
	OK     bool            `json:"ok"`
	Error  string          `json:"error,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
}

// Handler runs the commands. Its methods may be called concurrently.
type Handler interface {
	// Reload re-reads and applies the configuration; the result is JSON-encoded.
	Reload() (any, error)
	// Status describes the running gateway.
	Status() (any, error)
}

// Server serves a control socket.
type Server struct {
	path string
	ln   *net.UnixListener
	h    Handler
	log  *slog.Logger
	uid  int
	wg   sync.WaitGroup
	ino  uint64
}

// ErrInUse is returned when another process listens on the socket path.
var ErrInUse = errors.New("control socket in use by a running process")

// Listen creates the socket at path (replacing a stale socket left by a process
// that is gone; never another kind of file) and serves it.
func Listen(path string, h Handler, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	wrap := func(err error) error { return fmt.Errorf("control socket %s: %w", path, err) }
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, wrap(errors.New("exists and is not a socket"))
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, wrap(ErrInUse)
		}
		if err := os.Remove(path); err != nil {
			return nil, wrap(fmt.Errorf("removing the stale socket: %w", err))
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, wrap(err)
	}
	ln.SetUnlinkOnClose(false) // Close removes it only if it is still ours
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		_ = os.Remove(path)
		return nil, wrap(err)
	}
	s := &Server{path: path, ln: ln, h: h, log: log, uid: os.Geteuid()}
	if fi, err := os.Lstat(path); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			s.ino = st.Ino
		}
	}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Path returns the socket path.
func (s *Server) Path() string { return s.path }

// Close stops serving, waits for requests in progress and removes the socket file.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	if fi, lerr := os.Lstat(s.path); lerr == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Ino == s.ino {
			_ = os.Remove(s.path)
		}
	}
	return err
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("control socket: accept", "err", err)
			}
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.handle(c)
		}()
	}
}

func (s *Server) handle(c *net.UnixConn) {
	if uid, err := peerUID(c); err != nil || (uid != s.uid && uid != 0) {
		s.log.Warn("control socket: connection refused: not the gateway's user", "peer_uid", uid, "err", err)
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReaderSize(c, 4096).ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	var req Request
	var resp Response
	var result any
	if err := json.Unmarshal(line, &req); err != nil {
		resp.Error = "bad request: " + err.Error()
	} else {
		switch req.Command {
		case "reload":
			result, err = s.h.Reload()
		case "status":
			result, err = s.h.Status()
		default:
			err = fmt.Errorf("unknown command %q (known: reload, status)", req.Command)
		}
		if err != nil {
			resp.Error = err.Error()
		} else {
			resp.OK = true
		}
		if result != nil {
			if b, merr := json.Marshal(result); merr == nil {
				resp.Result = b
			}
		}
	}
	out, _ := json.Marshal(resp)
	_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, _ = c.Write(append(out, '\n'))
}

func peerUID(c *net.UnixConn) (int, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if serr != nil {
		return -1, serr
	}
	return int(cred.Uid), nil
}

// Call sends one command to the gateway listening at path and returns its
// response. timeout bounds the whole exchange (a reload may take a while: modules
// removed by it deliver what is queued for them first).
func Call(path, command string, timeout time.Duration) (Response, error) {
	var resp Response
	c, err := net.DialTimeout("unix", path, timeout)
	if err != nil {
		return resp, fmt.Errorf("control socket %s: %w", path, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	req, _ := json.Marshal(Request{Command: command})
	if _, err := c.Write(append(req, '\n')); err != nil {
		return resp, fmt.Errorf("control socket %s: %w", path, err)
	}
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return resp, fmt.Errorf("control socket %s: no answer: %w", path, err)
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return resp, fmt.Errorf("control socket %s: bad answer: %w", path, err)
	}
	return resp, nil
}
