package outprocess

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// child is one launched module host process.
//
// The child gets a pipe as stdin that the gateway keeps open for the child's whole life and closes when the
// module is destroyed (an SDK remote reads stdin until a line or EOF: /dev/null would make it leave at once),
// inherits the gateway's stdout and stderr, runs in its own process group (a Ctrl-C in the gateway's terminal
// reaches the gateway, which then shuts the child down in order), and gets SIGTERM if the gateway dies
// (PR_SET_PDEATHSIG) — and EOF on stdin anyway.
type child struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	pid     int
	started time.Time
	exited  chan struct{} // closed when Wait returned; state and err are then set
	state   *os.ProcessState
	err     error
}

// startChild starts launch.path with launch.args (no shell). It must be called from a goroutine that is not
// locked to its OS thread (the parent-death signal is tied to the thread that forks).
func startChild(l *Launch) (*child, error) {
	cmd := exec.Command(l.Path, l.Args...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin, pid: cmd.Process.Pid, started: time.Now(), exited: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		c.state = cmd.ProcessState
		close(c.exited)
	}()
	return c, nil
}

// alive reports whether the child has not exited yet.
func (c *child) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// describe says how the child ended ("exited with status 1", "killed by signal 9 (killed)").
func (c *child) describe() string {
	if c.state == nil {
		if c.err != nil {
			return c.err.Error()
		}
		return "ended"
	}
	if ws, ok := c.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprintf("killed by signal %d (%v)", int(ws.Signal()), ws.Signal())
	}
	return fmt.Sprintf("exited with status %d", c.state.ExitCode())
}

// kill sends sig to the child (only while it has not been reaped, so the pid cannot have been reused).
func (c *child) kill(sig syscall.Signal) {
	if c.alive() {
		_ = c.cmd.Process.Signal(sig)
	}
}

// stop ends the child: close its stdin, wait up to grace for it to exit (after DESTROY it should), then SIGTERM,
// then SIGKILL a second later. It returns how the child ended.
func (c *child) stop(grace time.Duration) string {
	_ = c.stdin.Close()
	wait := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-c.exited:
			return true
		case <-t.C:
			return false
		}
	}
	if wait(grace) {
		return c.describe()
	}
	c.kill(syscall.SIGTERM)
	if wait(time.Second) {
		return c.describe() + " (after SIGTERM)"
	}
	c.kill(syscall.SIGKILL)
	<-c.exited
	return c.describe() + " (after SIGKILL)"
}

// backoff returns the delay before restart number n (1-based): base * 2^(n-1), capped.
func backoff(l *Launch, n int) time.Duration {
	d := l.Backoff
	for i := 1; i < n && d < l.BackoffMax; i++ {
		d *= 2
	}
	if d > l.BackoffMax {
		d = l.BackoffMax
	}
	return d
}

// ensureSocketDir creates the directory of an ipc id (relative to the working directory) with mode 0700 when
// it does not exist, so that a launched child can bind there and nobody else can reach the socket.
func ensureSocketDir(id string) error {
	dir := filepath.Dir(id)
	if dir == "." || dir == "/" {
		return nil
	}
	if _, err := os.Stat(dir); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.MkdirAll(dir, 0o700)
}

// checkOwner refuses a socket file owned by another user: a stranger who bound our control or message path
// first must not receive CREATE's arguments or the module's messages. A missing file is fine (nobody bound it
// yet).
func checkOwner(url string) error {
	path := strings.TrimPrefix(url, "ipc://")
	fi, err := os.Lstat(path)
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("socket %s is owned by uid %d, not by this process (uid %d); refusing to talk to it", path, st.Uid, os.Geteuid())
	}
	return nil
}
