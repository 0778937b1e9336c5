package node

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
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

// libnodePath is set by TestMain when a libnode is available; tests that need Node
// skip without it.
var libnodePath string

func TestMain(m *testing.M) {
	p, err := FindLibnode("")
	if err != nil {
		fmt.Fprintf(os.Stderr, "node tests: skipping the tests that need Node: %v\n", err)
	} else {
		libnodePath = p
	}
	code := m.Run()
	// One Node per process: every test shares it; stop it once at the end.
	if err := Shutdown(10 * time.Second); err != nil {
		fmt.Fprintf(os.Stderr, "node tests: shutdown: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func needNode(t testing.TB) {
	t.Helper()
	if libnodePath == "" {
		t.Skip("libnode not found: run bindings/node/setup-libnode.sh (or set GATEWAY_LIBNODE)")
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// goSink is a Go test module that records what it receives.
type goSink struct {
	mu   sync.Mutex
	msgs []abi.Message
	n    atomic.Int64
}

func (s *goSink) Receive(ms []cshim.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range ms {
		d, err := m.Decode()
		if err != nil {
			panic(err)
		}
		s.msgs = append(s.msgs, d)
	}
	s.n.Add(int64(len(ms)))
}

func (s *goSink) wait(t testing.TB, n int) []abi.Message {
	t.Helper()
	eventually(t, 20*time.Second, fmt.Sprintf("%d messages (have %d)", n, s.n.Load()), func() bool { return s.n.Load() >= int64(n) })
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]abi.Message(nil), s.msgs...)
}

// countSink counts messages and remembers the last one's properties.
type countSink struct {
	n    atomic.Int64
	last atomic.Pointer[abi.Message]
}

func (s *countSink) Receive(ms []cshim.Message) {
	if d, err := ms[len(ms)-1].Decode(); err == nil {
		s.last.Store(&d) // before the count: waiters poll the count, then read last
	}
	s.n.Add(int64(len(ms)))
}

// slot lets the endpoint exist before the instance, as in the gateway.
type slot struct{ inst atomic.Pointer[Instance] }

func (s *slot) Receive(ms []cshim.Message) {
	if i := s.inst.Load(); i != nil {
		i.Receive(ms)
	}
}

// logBuf collects log lines (text handler) for assertions.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuf) logger(module string) *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug})).With("module", module)
}

func testdata(name string) string {
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return p
}

func entry(path string) []byte {
	return []byte(fmt.Sprintf(`{"main.path": %q}`, path))
}

func strPtr(s string) *string { return &s }

type jsModule struct {
	inst *Instance
	ep   *broker.Endpoint
}

// createJS loads file as module name on b and creates it; cleanup removes it from the
// broker and destroys it.
func createJS(t testing.TB, b *broker.Broker, name, file string, args *string, log *slog.Logger) (jsModule, error) {
	t.Helper()
	ldr, err := Kind{}.New("node", nil)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := ldr.Load(name, entry(testdata(file)))
	if err != nil {
		return jsModule{}, err
	}
	s := &slot{}
	ep, err := b.AddModule(name, s, broker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if log == nil {
		log = slog.Default().With("module", name)
	}
	inst, err := lib.Create(loader.CreateContext{Module: name, Args: args, Endpoint: ep, Log: log})
	if err != nil {
		_ = b.RemoveModule(name, time.Second)
		return jsModule{}, err
	}
	in := inst.(*Instance)
	s.inst.Store(in)
	t.Cleanup(func() {
		_ = b.RemoveModule(name, 10*time.Second)
		in.Destroy()
	})
	return jsModule{inst: in, ep: ep}, nil
}

func mustJS(t testing.TB, b *broker.Broker, name, file string, args *string, log *slog.Logger) jsModule {
	t.Helper()
	m, err := createJS(t, b, name, file, args, log)
	if err != nil {
		t.Fatalf("create %s (%s): %v", name, file, err)
	}
	return m
}

func addGo(t testing.TB, b *broker.Broker, name string, sink broker.Sink) *broker.Endpoint {
	t.Helper()
	ep, err := b.AddModule(name, sink, broker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func link(t testing.TB, b *broker.Broker, src, dst string) {
	t.Helper()
	if err := b.AddLink(src, dst); err != nil {
		t.Fatal(err)
	}
}

func newBroker(t testing.TB) *broker.Broker {
	b := broker.New(nil)
	t.Cleanup(func() { b.Close(10 * time.Second) })
	return b
}

func publish(t testing.TB, ep *broker.Endpoint, content []byte, props ...string) {
	t.Helper()
	var ps []abi.Property
	for i := 0; i+1 < len(props); i += 2 {
		ps = append(ps, abi.Property{Key: props[i], Value: props[i+1]})
	}
	m, err := cshim.NewMessage(content, ps)
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.Publish(m, false); err != nil {
		t.Fatal(err)
	}
	m.Release()
}

func prop(m abi.Message, k string) string {
	v, _ := m.Get(k)
	return v
}

func containsAll(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("missing %q in:\n%s", sub, s)
		}
	}
}

// loaderCtx is a CreateContext without an endpoint (for failure paths).
func loaderCtx(module string) loader.CreateContext {
	return loader.CreateContext{Module: module, Log: slog.Default().With("module", module)}
}
