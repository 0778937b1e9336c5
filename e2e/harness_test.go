// Package e2e runs the real binaries (build/gateway, build/e2e/*, build/modules/*.so)
// on real configurations and checks their output files. Build first: `make build`
// (or set GATEWAY_BUILD_DIR to a build tree).
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var buildDir string

func TestMain(m *testing.M) {
	buildDir = os.Getenv("GATEWAY_BUILD_DIR")
	if buildDir == "" {
		buildDir, _ = filepath.Abs("../build")
	}
	if _, err := os.Stat(filepath.Join(buildDir, "gateway")); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %s/gateway not found: build first with `make build` or set GATEWAY_BUILD_DIR (%v)\n", buildDir, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func module(name string) string { return filepath.Join(buildDir, "modules", "lib"+name+".so") }

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// proc is a running binary.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout lockedBuffer
	stderr lockedBuffer
	done   chan struct{}
	err    error
}

// start runs a binary in dir with args; it is killed when the test ends.
func start(t *testing.T, dir string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	p.cmd.Stdout = &p.stdout
	p.cmd.Stderr = &p.stderr
	var err error
	p.stdin, err = p.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s stdout:\n%s\nstderr:\n%s", filepath.Base(bin), p.stdout.String(), p.stderr.String())
		}
	})
	return p
}

// gateway starts build/gateway on a configuration written into a temp dir (the
// working directory of the process).
func gateway(t *testing.T, dir string, cfg any, flags ...string) *proc {
	t.Helper()
	path := writeJSON(t, dir, "config.json", cfg)
	args := append([]string{"run"}, flags...)
	args = append(args, path)
	return start(t, dir, filepath.Join(buildDir, "gateway"), args...)
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	var data []byte
	switch x := v.(type) {
	case string:
		data = []byte(x)
	default:
		var err error
		data, err = json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		_ = p.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		p.t.Fatalf("%s did not exit within %v\nstdout:\n%s\nstderr:\n%s", p.cmd.Path, timeout, p.stdout.String(), p.stderr.String())
	}
	if p.cmd.ProcessState == nil {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// stop sends ENTER and waits for a clean exit.
func (p *proc) stop(timeout time.Duration) int {
	p.t.Helper()
	_, _ = io.WriteString(p.stdin, "\n")
	return p.wait(timeout)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sinkReport is the JSON report of testmodules/sink.
type sinkReport struct {
	Received uint64 `json:"received"`
	Streams  map[string]struct {
		Received   uint64 `json:"received"`
		LastSeq    int64  `json:"last_seq"`
		Gaps       uint64 `json:"gaps"`
		Lost       uint64 `json:"lost"`
		Dups       uint64 `json:"dups"`
		Reorders   uint64 `json:"reorders"`
		BadContent uint64 `json:"bad_content"`
	} `json:"streams"`
	P50 float64 `json:"p50_us"`
	P99 float64 `json:"p99_us"`
}

func readReport(path string) (sinkReport, bool) {
	var r sinkReport
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &r) != nil {
		return r, false
	}
	return r, true
}

func nativeModule(name, lib string, args any) map[string]any {
	m := map[string]any{
		"name":   name,
		"loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": module(lib)}},
	}
	if args != nil {
		m["args"] = args
	}
	return m
}

func link(source, sink string) map[string]any { return map[string]any{"source": source, "sink": sink} }

func config(modules []map[string]any, links []map[string]any) map[string]any {
	if links == nil {
		links = []map[string]any{}
	}
	return map[string]any{"modules": modules, "links": links}
}

func contains(t *testing.T, s, sub, what string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%s: %q not found in:\n%s", what, sub, s)
	}
}
