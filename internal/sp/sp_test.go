//go:build linux && cgo

package sp_test

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/edgev1/gateway/internal/sp"
)

// shortDir returns a fresh short temporary directory (t.TempDir paths carry the test name and can exceed the
// 107-byte unix socket limit).
func shortDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func ipcURL(t testing.TB, name string) string {
	t.Helper()
	u, err := sp.IPCURL(shortDir(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newPair(t testing.TB) *sp.Socket {
	t.Helper()
	s, err := sp.NewPair()
	if err != nil {
		t.Fatal(err)
	}
	s.SetLinger(0) // tests that need a linger set it
	t.Cleanup(func() { s.Close() })
	return s
}

// connected returns a bound and a dialed socket on a fresh ipc URL, with 10 s timeouts so a bug fails the test
// instead of hanging it.
func connected(t testing.TB) (bound, dialed *sp.Socket) {
	t.Helper()
	url := ipcURL(t, "p.sock")
	bound, dialed = newPair(t), newPair(t)
	for _, s := range []*sp.Socket{bound, dialed} {
		s.SetSendTimeout(10 * time.Second)
		s.SetRecvTimeout(10 * time.Second)
	}
	if err := bound.Bind(url); err != nil {
		t.Fatal(err)
	}
	if err := dialed.Dial(url); err != nil {
		t.Fatal(err)
	}
	return bound, dialed
}

func TestPairBothOrders(t *testing.T) {
	for _, bindFirst := range []bool{true, false} {
		name := map[bool]string{true: "bind then dial", false: "dial then bind"}[bindFirst]
		t.Run(name, func(t *testing.T) {
			url := ipcURL(t, "o.sock")
			a, b := newPair(t), newPair(t)
			for _, s := range []*sp.Socket{a, b} {
				s.SetSendTimeout(10 * time.Second)
				s.SetRecvTimeout(10 * time.Second)
				if err := s.SetReconnectInterval(10 * time.Millisecond); err != nil {
					t.Fatal(err)
				}
			}
			steps := []func() error{func() error { return a.Bind(url) }, func() error { return b.Dial(url) }}
			if !bindFirst {
				steps[0], steps[1] = steps[1], steps[0]
			}
			for _, step := range steps {
				if err := step(); err != nil {
					t.Fatal(err)
				}
			}
			for i, dir := range []struct{ from, to *sp.Socket }{{b, a}, {a, b}, {b, a}} {
				want := []byte{byte(i), 'x', 0, 'y'}
				if err := dir.from.Send(want); err != nil {
					t.Fatalf("send %d: %v", i, err)
				}
				got, err := dir.to.Recv()
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("recv %d: % x, %v; want % x", i, got, err, want)
				}
			}
		})
	}
}

func TestRecvVariants(t *testing.T) {
	a, b := connected(t)
	frames := [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte{7}, 300), bytes.Repeat([]byte{9}, 70000)}
	for _, f := range frames {
		if err := b.Send(f); err != nil {
			t.Fatal(err)
		}
	}
	// Recv: exact-size slices, empty frame as a non-nil empty slice.
	for i, want := range frames {
		got, err := a.Recv()
		if err != nil || !bytes.Equal(got, want) || got == nil {
			t.Fatalf("Recv %d: len %d, %v; want len %d", i, len(got), err, len(want))
		}
		if cap(got) != len(got) {
			t.Errorf("Recv %d: cap %d for len %d", i, cap(got), len(got))
		}
	}
	// RecvAppend: fits (no reallocation), empty, too small (grows), appends after a prefix.
	for _, f := range frames {
		if err := b.Send(f); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 0, 1024)
	for i, want := range frames {
		got, err := a.RecvAppend(buf[:2])
		if err != nil || !bytes.Equal(got[2:], want) || len(got) != 2+len(want) {
			t.Fatalf("RecvAppend %d: len %d, %v", i, len(got), err)
		}
		if fits := 2+len(want) <= cap(buf); fits != (unsafe.SliceData(got) == unsafe.SliceData(buf)) {
			t.Errorf("RecvAppend %d: reused buffer = %v, want %v", i, !fits, fits)
		}
	}
	// RecvMsg: zero copy.
	for _, f := range frames {
		if err := b.Send(f); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range frames {
		m, err := a.RecvMsg()
		if err != nil || m.Len() != len(want) || !bytes.Equal(m.Bytes(), want) {
			t.Fatalf("RecvMsg %d: len %d, %v", i, m.Len(), err)
		}
		m.Free()
		m.Free() // second Free is a no-op
		if m.Bytes() != nil {
			t.Fatalf("Bytes after Free")
		}
	}
}

func TestRecvAppendNoAlloc(t *testing.T) {
	a, b := connected(t)
	frame := bytes.Repeat([]byte{1}, 300)
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(200, func() {
		if err := b.Send(frame); err != nil {
			t.Fatal(err)
		}
		var err error
		if buf, err = a.RecvAppend(buf[:0]); err != nil || len(buf) != 300 {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Send+RecvAppend allocate %v times per frame", allocs)
	}
}

func TestCloseUnblocks(t *testing.T) {
	tests := []struct {
		name string
		call func(*sp.Socket) error
	}{
		{"Recv", func(s *sp.Socket) error { _, err := s.Recv(); return err }},
		{"RecvMsg", func(s *sp.Socket) error { _, err := s.RecvMsg(); return err }},
		// A pair socket with no peer blocks in Send.
		{"Send", func(s *sp.Socket) error { return s.Send([]byte("x")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newPair(t)
			if err := s.Bind(ipcURL(t, "c.sock")); err != nil {
				t.Fatal(err)
			}
			started := make(chan struct{})
			done := make(chan error, 1)
			go func() {
				close(started)
				done <- tt.call(s)
			}()
			<-started
			// Give the call a moment to block, but do not depend on it: a call that has not started yet must
			// fail the same way.
			select {
			case err := <-done:
				t.Fatalf("%s returned before Close: %v", tt.name, err)
			case <-time.After(20 * time.Millisecond):
			}
			start := time.Now()
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			select {
			case err := <-done:
				if !errors.Is(err, sp.ErrClosed) {
					t.Fatalf("%s after Close: %v, want ErrClosed", tt.name, err)
				}
				if !strings.Contains(err.Error(), "closed") {
					t.Fatalf("error text %q", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s still blocked 5s after Close", tt.name)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Close took %v", d)
			}
		})
	}
}

func TestClosedSocket(t *testing.T) {
	s := newPair(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	url := "ipc:///tmp/never-used.sock"
	checks := map[string]error{
		"Bind": s.Bind(url), "Dial": s.Dial(url), "Send": s.Send(nil),
		"SetRecvMaxSize": s.SetRecvMaxSize(-1),
	}
	_, checks["Recv"] = s.Recv()
	_, checks["RecvAppend"] = s.RecvAppend(nil)
	_, checks["RecvMsg"] = s.RecvMsg()
	_, checks["Connections"] = s.Connections()
	for name, err := range checks {
		if !errors.Is(err, sp.ErrClosed) {
			t.Errorf("%s on a closed socket: %v, want ErrClosed", name, err)
		}
	}
}

func TestTimeouts(t *testing.T) {
	s := newPair(t)
	if err := s.Bind(ipcURL(t, "t.sock")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		timeout time.Duration
		set     func(time.Duration)
		call    func() error
	}{
		{"recv 50ms", 50 * time.Millisecond, s.SetRecvTimeout, func() error { _, err := s.Recv(); return err }},
		{"recv try once", 0, s.SetRecvTimeout, func() error { _, err := s.Recv(); return err }},
		{"send 50ms without peer", 50 * time.Millisecond, s.SetSendTimeout, func() error { return s.Send([]byte("x")) }},
		{"send try once", 0, s.SetSendTimeout, func() error { return s.Send([]byte("x")) }},
		{"recvmsg 1ns rounds up to 1ms", 1, s.SetRecvTimeout, func() error { _, err := s.RecvMsg(); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.set(tt.timeout)
			start := time.Now()
			err := tt.call()
			elapsed := time.Since(start)
			if !errors.Is(err, sp.ErrTimeout) || !errors.Is(err, syscall.ETIMEDOUT) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if elapsed < tt.timeout || elapsed > tt.timeout+2*time.Second {
				t.Fatalf("returned after %v for a %v timeout", elapsed, tt.timeout)
			}
		})
	}
}

func TestIPCURL(t *testing.T) {
	long := "/" + strings.Repeat("a", sp.MaxIPCPath-1) // exactly MaxIPCPath bytes
	tests := []struct {
		dir, id, want string
		err           bool
	}{
		{"", "/tmp/proxy_sample.message", "ipc:///tmp/proxy_sample.message", false},
		{"", "rel.sock", "ipc://rel.sock", false},
		{"", "./rel.sock", "ipc://./rel.sock", false},
		{"/run/gw", "rel.sock", "ipc:///run/gw/rel.sock", false},
		{"/run/gw", "/abs.sock", "ipc:///abs.sock", false},
		{"", long, "ipc://" + long, false},
		{"", long + "b", "", true},               // one byte over the unix socket limit
		{"", strings.Repeat("c", 129), "", true}, // over the SDK's 128-byte id limit
		{"", "", "", true},
		{"", "a\x00b", "", true},
		{"/x\x00", "a", "", true},
		{"/" + strings.Repeat("d", 100), "abcdefgh", "", true}, // joined path too long
	}
	for _, tt := range tests {
		got, err := sp.IPCURL(tt.dir, tt.id)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("IPCURL(%q, %q) = %q, %v", tt.dir, tt.id, got, err)
		}
		if err != nil && !errors.Is(err, sp.ErrAddress) {
			t.Errorf("IPCURL(%q, %q): %v does not match ErrAddress", tt.dir, tt.id, err)
		}
	}
}

func TestBadAddresses(t *testing.T) {
	s := newPair(t)
	tooLong := "ipc:///" + strings.Repeat("a", sp.MaxIPCPath) // nanomsg would abort the process on this
	for _, url := range []string{tooLong, "ipc://", "ipc:///tmp/a\x00b", "tcp://" + strings.Repeat("1", 130)} {
		if err := s.Bind(url); !errors.Is(err, sp.ErrAddress) {
			t.Errorf("Bind(%q) = %v, want ErrAddress", url, err)
		}
		if err := s.Dial(url); !errors.Is(err, sp.ErrAddress) {
			t.Errorf("Dial(%q) = %v, want ErrAddress", url, err)
		}
	}
	// Errors from nanomsg carry its text and the errno.
	err := s.Bind("nope://x")
	var e *sp.Error
	if !errors.As(err, &e) || e.Op != "bind" || e.Addr != "nope://x" || !errors.Is(err, syscall.EPROTONOSUPPORT) {
		t.Fatalf("Bind(nope://x) = %#v", err)
	}
	if want := "sp: bind nope://x: Protocol not supported"; err.Error() != want {
		t.Fatalf("error text %q, want %q", err, want)
	}
}

func TestBindInUseAndStaleFile(t *testing.T) {
	url := ipcURL(t, "u.sock")
	path := strings.TrimPrefix(url, "ipc://")
	a := newPair(t)
	if err := a.Bind(url); err != nil {
		t.Fatal(err)
	}
	b := newPair(t)
	if err := b.Bind(url); !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("second Bind while the first listens: %v, want EADDRINUSE", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file after Close: %v (nanomsg removes it)", err)
	}

	// A stale socket file, as left by a process that died: nobody listens on it.
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket file: %v", err)
	}
	c := newPair(t)
	if err := c.Bind(url); err != nil {
		t.Fatalf("Bind over a stale socket file: %v", err)
	}

	// Any other file is left alone (nanomsg would delete it).
	regular := filepath.Join(filepath.Dir(path), "data.txt")
	if err := os.WriteFile(regular, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := newPair(t).Bind("ipc://" + regular); !errors.Is(err, sp.ErrAddress) {
		t.Fatalf("Bind over a regular file: %v, want ErrAddress", err)
	}
	if data, err := os.ReadFile(regular); err != nil || string(data) != "keep" {
		t.Fatalf("regular file damaged: %q, %v", data, err)
	}
}

func TestRelativePathUsesWorkingDirectory(t *testing.T) {
	dir := shortDir(t)
	t.Chdir(dir)
	url, err := sp.IPCURL("", "rel.sock")
	if err != nil {
		t.Fatal(err)
	}
	a, b := newPair(t), newPair(t)
	if err := a.Bind(url); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rel.sock")); err != nil {
		t.Fatalf("relative ipc path not created in the working directory: %v", err)
	}
	b.SetSendTimeout(10 * time.Second)
	a.SetRecvTimeout(10 * time.Second)
	if err := b.Dial(url); err != nil {
		t.Fatal(err)
	}
	if err := b.Send([]byte("rel")); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Recv(); err != nil || string(got) != "rel" {
		t.Fatalf("Recv: %q, %v", got, err)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConnections(t *testing.T) {
	a, b := connected(t)
	for name, s := range map[string]*sp.Socket{"bound": a, "dialed": b} {
		waitFor(t, name+" side connected", func() bool { n, err := s.Connections(); return err == nil && n == 1 })
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bound side to see the peer leave", func() bool { n, err := a.Connections(); return err == nil && n == 0 })
}

// TestLingerDelivers checks that a frame sent just before Close reaches a peer waiting in Recv (nanomsg alone
// loses it about a third of the time).
func TestLingerDelivers(t *testing.T) {
	for i := range 10 {
		a, b := connected(t)
		b.SetLinger(sp.DefaultLinger)
		got := make(chan []byte, 1)
		go func() {
			m, _ := a.Recv()
			got <- m
		}()
		if err := b.Send([]byte("DESTROY")); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if m := <-got; string(m) != "DESTROY" {
			t.Fatalf("iteration %d: frame sent before Close was lost (got %q)", i, m)
		}
		a.Close()
	}
}

func TestLargeFrames(t *testing.T) {
	a, b := connected(t)
	if err := a.SetRecvMaxSize(-1); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 256<<10) // 4 MiB, over nanomsg's 1 MiB default
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Send(big); err != nil {
			t.Error(err)
		}
	})
	got, err := a.Recv()
	wg.Wait()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("4 MiB frame: len %d, %v", len(got), err)
	}
}

func TestConcurrentSendRecv(t *testing.T) {
	a, b := connected(t)
	const n = 2000
	var wg sync.WaitGroup
	for _, pair := range []struct{ from, to *sp.Socket }{{a, b}, {b, a}} {
		wg.Go(func() {
			for i := range n {
				if err := pair.from.Send([]byte{byte(i), byte(i >> 8)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			buf := make([]byte, 0, 16)
			for i := range n {
				var err error
				if buf, err = pair.to.RecvAppend(buf[:0]); err != nil || len(buf) != 2 || int(buf[0])|int(buf[1])<<8 != i {
					t.Errorf("frame %d: % x, %v (order must be kept)", i, buf, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
