package dotnet

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

// testDir holds the assemblies built by build.sh for this test run ("" when Mono or
// mcs is missing: the tests that need them skip).
var (
	testDir    string
	skipReason string
	testLog    = &logBuffer{}
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	SetLogger(slog.New(slog.NewTextHandler(testLog, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if _, err := exec.LookPath("mcs"); err != nil {
		skipReason = "mcs not found (apt-get install mono-mcs libmono-2.0-dev)"
	} else if _, err := (config{}).findRuntime(); err != nil {
		skipReason = err.Error()
	}
	if skipReason != "" {
		fmt.Fprintln(os.Stderr, "dotnet tests that need Mono are skipped:", skipReason)
		return m.Run()
	}
	if dir := os.Getenv("DOTNET_TEST_DIR"); dir != "" {
		// A helper process: use the parent's assemblies (the parent removes them).
		testDir = dir
		return runAndDumpLog(m)
	}
	dir, err := os.MkdirTemp("", "gateway-dotnet-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	out, err := exec.Command("./build.sh", dir).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build.sh failed: %v\n%s", err, out)
		return 1
	}
	testDir = dir
	return runAndDumpLog(m)
}

// runAndDumpLog runs the tests; with DOTNET_TEST_LOG set it then prints the log.
func runAndDumpLog(m *testing.M) int {
	code := m.Run()
	if os.Getenv("DOTNET_TEST_LOG") != "" {
		fmt.Fprint(os.Stderr, testLog.String())
	}
	return code
}

func needMono(t testing.TB) {
	t.Helper()
	if testDir == "" {
		t.Skip("needs Mono and mcs: " + skipReason)
	}
}

// logBuffer collects log output (all tests share it; search it for a unique marker).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitLog waits until the log holds every one of parts on a single line.
func waitLog(t testing.TB, timeout time.Duration, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, line := range strings.Split(testLog.String(), "\n") {
			ok := true
			for _, p := range parts {
				if !strings.Contains(line, p) {
					ok = false
					break
				}
			}
			if ok {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q within %v", parts, timeout)
		}
		runtimeYield()
	}
}

// runtimeYield lets other goroutines run while polling (no sleeping).
func runtimeYield() { <-time.After(time.Millisecond) }

func testLoaderConfig() []byte {
	extra := ""
	if u := os.Getenv("DOTNET_HELPER_UNHANDLED"); u != "" {
		extra = fmt.Sprintf(`, "unhandled.exceptions": %q`, u)
	}
	return []byte(fmt.Sprintf(`{"binding.path": %q, "assembly.path": [%q]%s}`, testDir, testDir, extra))
}

// harness is a broker with .NET modules, Go sources and Go sinks.
type harness struct {
	t    testing.TB
	b    *broker.Broker
	ldr  loader.Loader
	mods []*testModule
}

type testModule struct {
	name string
	inst loader.Instance
}

type slot struct {
	inst atomic.Pointer[loader.Instance]
}

func (s *slot) Receive(msgs []cshim.Message) {
	if p := s.inst.Load(); p != nil {
		(*p).Receive(msgs)
	}
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	needMono(t)
	l, err := Kind{}.New("dotnet", testLoaderConfig())
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, b: broker.New(slog.New(slog.NewTextHandler(testLog, nil))), ldr: l}
	t.Cleanup(h.close)
	return h
}

func (h *harness) close() {
	mods := h.mods
	h.mods = nil
	for i := len(mods) - 1; i >= 0; i-- {
		m := mods[i]
		if err := h.b.RemoveModule(m.name, 10*time.Second); err != nil {
			h.t.Errorf("removing %s: %v", m.name, err)
			continue
		}
		if m.inst != nil {
			m.inst.Destroy()
		}
	}
	h.b.Close(time.Second)
}

func entryJSON(assembly, typ string) []byte {
	return []byte(fmt.Sprintf(`{"assembly.name": %q, "entry.type": %q}`, assembly, typ))
}

// addDotnet creates a .NET module; args nil means no "args".
func (h *harness) addDotnet(name, assembly, typ string, args *string) (*Instance, error) {
	h.t.Helper()
	lib, err := h.ldr.Load(name, entryJSON(assembly, typ))
	if err != nil {
		return nil, err
	}
	s := &slot{}
	ep, err := h.b.AddModule(name, s, broker.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	inst, err := lib.Create(loader.CreateContext{
		Module: name, Args: args, Endpoint: ep,
		Log: slog.New(slog.NewTextHandler(testLog, &slog.HandlerOptions{Level: slog.LevelDebug})).With("module", name),
	})
	if err != nil {
		if rerr := h.b.RemoveModule(name, time.Second); rerr != nil {
			h.t.Error(rerr)
		}
		return nil, err
	}
	s.inst.Store(&inst)
	h.mods = append(h.mods, &testModule{name: name, inst: inst})
	return inst.(*Instance), nil
}

func (h *harness) mustDotnet(name, typ string, args *string) *Instance {
	h.t.Helper()
	in, err := h.addDotnet(name, "TestModules", typ, args)
	if err != nil {
		h.t.Fatalf("creating %s (%s): %v", name, typ, err)
	}
	return in
}

func str(s string) *string { return &s }

// goSink is a Go module that records what it receives.
type goSink struct {
	mu     sync.Mutex
	msgs   []abi.Message
	n      atomic.Int64
	notify chan struct{}
	keep   bool // record decoded messages (false: count only)
}

func (s *goSink) Receive(msgs []cshim.Message) {
	if s.keep {
		s.mu.Lock()
		for _, m := range msgs {
			d, err := m.Decode()
			if err != nil {
				panic(err)
			}
			s.msgs = append(s.msgs, d)
		}
		s.mu.Unlock()
	}
	s.n.Add(int64(len(msgs)))
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

func (h *harness) sink(name string) *goSink {
	h.t.Helper()
	s := &goSink{notify: make(chan struct{}, 1), keep: true}
	if _, err := h.b.AddModule(name, s, broker.Options{}); err != nil {
		h.t.Fatal(err)
	}
	h.mods = append(h.mods, &testModule{name: name})
	return s
}

// wait waits until the sink has received at least n messages and returns them.
func (s *goSink) wait(t testing.TB, n int, timeout time.Duration) []abi.Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for s.n.Load() < int64(n) {
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("sink got %d messages, want %d within %v", s.n.Load(), n, timeout)
		}
	}
	return s.snapshot()
}

func (s *goSink) snapshot() []abi.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]abi.Message(nil), s.msgs...)
}

type nopSink struct{}

func (nopSink) Receive([]cshim.Message) {}

func (h *harness) source(name string) *broker.Endpoint {
	h.t.Helper()
	ep, err := h.b.AddModule(name, nopSink{}, broker.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	h.mods = append(h.mods, &testModule{name: name})
	return ep
}

func (h *harness) link(src, dst string) {
	h.t.Helper()
	if err := h.b.AddLink(src, dst); err != nil {
		h.t.Fatal(err)
	}
}

func props(kv ...string) []abi.Property {
	var ps []abi.Property
	for i := 0; i+1 < len(kv); i += 2 {
		ps = append(ps, abi.Property{Key: kv[i], Value: kv[i+1]})
	}
	return ps
}

func newMsg(t testing.TB, content string, kv ...string) cshim.Message {
	t.Helper()
	m, err := cshim.NewMessage([]byte(content), props(kv...))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func publish(t testing.TB, ep *broker.Endpoint, content string, kv ...string) {
	t.Helper()
	m := newMsg(t, content, kv...)
	defer m.Release()
	if err := ep.Publish(m, false); err != nil {
		t.Fatal(err)
	}
}

func prop(m abi.Message, k string) string {
	v, _ := m.Get(k)
	return v
}

func brokerOptions() broker.Options { return broker.Options{} }

// forget drops a module the test removed and destroyed itself.
func (h *harness) forget(name string) {
	for i, m := range h.mods {
		if m.name == name {
			h.mods = append(h.mods[:i:i], h.mods[i+1:]...)
			return
		}
	}
}

// runWithTimeout runs cmd, killing it after seconds; it returns the combined output.
func runWithTimeout(cmd *exec.Cmd, seconds int) ([]byte, error) {
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return buf.Bytes(), err
	case <-time.After(time.Duration(seconds) * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return buf.Bytes(), fmt.Errorf("killed after %d s (hung)", seconds)
	}
}

// helperCommand runs this test binary again for one test, with env added.
func helperCommand(run string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run", run, "-test.v")
	cmd.Env = append(append(os.Environ(), "DOTNET_TEST_DIR="+testDir), env...)
	return cmd
}

func containsLine(out, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, want) {
			return true
		}
	}
	return false
}
