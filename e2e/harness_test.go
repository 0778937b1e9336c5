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
			t.Logf("%s stdout:\n%s\nstderr:\n%s", filepath.Base(bin), compactLog(p.stdout.String()), compactLog(p.stderr.String()))
		}
	})
	return p
}

// compactLog shortens a process's output for a failure report: a run of lines that
// differ only in their time= field is shown once with its count, so a module that
// logs the same error thousands of times cannot push the test's own failure message
// out of a CI log's tail.
func compactLog(s string) string {
	var out strings.Builder
	var prev string
	repeats := 0
	flush := func() {
		if repeats > 0 {
			fmt.Fprintf(&out, "    [the line above %d more times]\n", repeats)
			repeats = 0
		}
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		key := line
		if strings.HasPrefix(key, "time=") {
			if i := strings.IndexByte(key, ' '); i > 0 {
				key = key[i+1:]
			}
		}
		if key == prev && line != "" {
			repeats++
			continue
		}
		flush()
		prev = key
		out.WriteString(line)
	}
	flush()
	return out.String()
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
		p.t.Fatalf("%s did not exit within %v (sent SIGQUIT: its goroutine dump is in the stderr that follows)", p.cmd.Path, timeout)
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

func readReport(path string) (sinkReport, bool) { return readJSON[sinkReport](path) }

// finalSinkReport is testmodules/sink's report with its "final" flag (set by the
// report written at Module_Destroy).
type finalSinkReport struct {
	sinkReport
	Final bool `json:"final"`
}

// readJSONInto decodes a JSON file into v; false when it is missing or not (yet) valid.
func readJSONInto(path string, v any) bool {
	data, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(data, v) == nil
}

// readJSON decodes a JSON file; ok is false when it is missing or not (yet) valid.
func readJSON[T any](path string) (T, bool) {
	var v T
	ok := readJSONInto(path, &v)
	return v, ok
}

// patternByte is tm_pattern_byte of testmodules/common/tm_common.h: byte i of the
// content of message seq, as the test publishers write it and the sink checks it.
func patternByte(seq uint64, i int) byte {
	s := uint32(seq)
	mix := s ^ (s>>8)*7 ^ (s>>16)*13 ^ (s>>24)*29
	return byte(mix*131 + uint32(i)*7 + 1)
}

// checkStream fails unless the sink's stream got exactly n messages (seq 0..n-1),
// in order and intact.
func checkStream(t *testing.T, r sinkReport, stream string, n uint64) {
	t.Helper()
	s, ok := r.Streams[stream]
	if !ok || s.Received != n || s.LastSeq != int64(n)-1 || s.Lost != 0 || s.Gaps != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 {
		t.Fatalf("stream %q: want %d messages intact, got %+v (report %+v)", stream, n, s, r)
	}
}

func nativeModule(name, lib string, args any) map[string]any {
	return nativeModuleAt(name, module(lib), args)
}

// nativeModuleAt is a native module loaded from path.
func nativeModuleAt(name, path string, args any) map[string]any {
	m := map[string]any{
		"name":   name,
		"loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": path}},
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

func TestCompactLog(t *testing.T) {
	in := "start\n" +
		"time=2026-11-23T16:53:58.538Z level=ERROR msg=x\n" +
		"time=2026-11-23T16:53:58.539Z level=ERROR msg=x\n" +
		"time=2026-11-23T16:53:58.540Z level=ERROR msg=x\n" +
		"time=2026-11-23T16:53:58.541Z level=INFO msg=y\n" +
		"end"
	want := "start\n" +
		"time=2026-11-23T16:53:58.538Z level=ERROR msg=x\n" +
		"    [the line above 2 more times]\n" +
		"time=2026-11-23T16:53:58.541Z level=INFO msg=y\n" +
		"end"
	if got := compactLog(in); got != want {
		t.Errorf("compactLog:\n%s\nwant:\n%s", got, want)
	}
}
