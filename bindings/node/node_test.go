package node

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func TestLoaderConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name, cfg, wantErr string
	}{
		{"none", ``, ""},
		{"null", `null`, ""},
		{"empty", `{}`, ""},
		{"binding path ignored", `{"binding.path": "/opt/sdk/libnodejs_binding.so"}`, ""},
		{"libnode path", `{"libnode.path": "/x/libnode.so.108"}`, ""},
		{"options", `{"node.options": ["--max-old-space-size=64"]}`, ""},
		{"invalid json", `{`, "invalid JSON"},
		{"not object", `[1]`, "must be an object"},
		{"libnode path type", `{"libnode.path": 3}`, `"libnode.path" must be a non-empty string`},
		{"binding path type", `{"binding.path": {}}`, `"binding.path" must be a string`},
		{"options type", `{"node.options": "--x"}`, `"node.options" must be an array`},
		{"option type", `{"node.options": [1]}`, `"node.options"[0] must be a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cfg []byte
			if tc.cfg != "" {
				cfg = []byte(tc.cfg)
			}
			l, err := Kind{}.New("node", cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if l.Name() != "node" || l.Type() != "node" {
					t.Fatalf("name/type = %q/%q", l.Name(), l.Type())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), `loader "node"`) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadBadEntryPoint(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, ep, wantErr string
	}{
		{"no entrypoint", ``, `missing "entrypoint"`},
		{"no main.path", `{}`, `missing "main.path"`},
		{"main.path type", `{"main.path": 1}`, `"main.path" must be a non-empty string`},
		{"missing file", fmt.Sprintf(`{"main.path": %q}`, filepath.Join(dir, "nope.js")), "no such file"},
		{"directory", fmt.Sprintf(`{"main.path": %q}`, dir), "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, _ := Kind{}.New("node", nil)
			var ep []byte
			if tc.ep != "" {
				ep = []byte(tc.ep)
			}
			_, err := l.Load("mod1", ep)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), `module "mod1"`) {
				t.Fatalf("error = %v, want one naming the module and containing %q", err, tc.wantErr)
			}
		})
	}
}

// Native publisher -> JS echo -> JS echo -> Go sink: order, properties and content
// survive, and each JS module sees its own configuration.
func TestRoundTrip(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	sink := &goSink{}
	src := addGo(t, b, "source", &goSink{})
	mustJS(t, b, "echo1", "echo.js", strPtr(`{"tag":"one"}`), nil)
	mustJS(t, b, "echo2", "echo.js", strPtr(`{"tag":"two"}`), nil)
	addGo(t, b, "sink", sink)
	link(t, b, "source", "echo1")
	link(t, b, "echo1", "echo2")
	link(t, b, "echo2", "sink")

	const n = 3000
	special := []byte{0, 1, 2, 255, 0}
	for i := 0; i < n; i++ {
		switch i {
		case 1:
			publish(t, src, nil, "seq", "1", "utf8", "héllo wörld ☃")
		case 2:
			publish(t, src, special, "seq", "2", "empty", "")
		default:
			publish(t, src, bytes.Repeat([]byte{byte(i)}, i%300), "seq", fmt.Sprint(i))
		}
	}
	got := sink.wait(t, n)
	if len(got) != n {
		t.Fatalf("got %d messages, want %d", len(got), n)
	}
	for i, m := range got {
		if prop(m, "seq") != fmt.Sprint(i) {
			t.Fatalf("message %d has seq %q: order lost", i, prop(m, "seq"))
		}
		// echo2 overwrote echo1's tag: each instance has its own configuration.
		if prop(m, "via") != "two" {
			t.Fatalf("message %d via = %q", i, prop(m, "via"))
		}
		var want []byte
		switch i {
		case 1:
			if prop(m, "utf8") != "héllo wörld ☃" {
				t.Fatalf("utf8 property = %q", prop(m, "utf8"))
			}
		case 2:
			want = special
			if v, ok := m.Get("empty"); !ok || v != "" {
				t.Fatalf("empty property = %q, %v", v, ok)
			}
		default:
			want = bytes.Repeat([]byte{byte(i)}, i%300)
		}
		if !bytes.Equal(m.Content, want) && !(len(want) == 0 && len(m.Content) == 0) {
			t.Fatalf("message %d content = %x, want %x", i, m.Content, want)
		}
	}
}

func TestPublishFromTimersAndPromises(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	sink := &goSink{}
	m := mustJS(t, b, "async", "async.js", nil, nil)
	addGo(t, b, "sink", sink)
	link(t, b, "async", "sink")
	m.inst.Start()
	want := []string{"async", "immediate", "interval1", "interval2", "interval3", "nexttick", "promise", "timeout"}
	got := sink.wait(t, len(want))
	var kinds []string
	for _, msg := range got {
		kinds = append(kinds, prop(msg, "kind"))
		if string(msg.Content) != prop(msg, "kind") {
			t.Errorf("content %q for kind %q", msg.Content, prop(msg, "kind"))
		}
	}
	sort.Strings(kinds)
	if strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
}

func TestConfigurationAndDestroy(t *testing.T) {
	needNode(t)
	marker := filepath.Join(t.TempDir(), "destroyed")
	for _, tc := range []struct {
		name string
		args *string
		typ  string
		json string
	}{
		{"absent", nil, "object", "null"},
		{"null", strPtr("null"), "object", "null"},
		{"object", strPtr(fmt.Sprintf(`{"a":[1,2],"marker":%q}`, marker)), "object", fmt.Sprintf(`{"a":[1,2],"marker":%q}`, marker)},
		{"string", strPtr(`"hello"`), "string", `"hello"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBroker(t)
			sink := &goSink{}
			m := mustJS(t, b, "cfg", "config.js", tc.args, nil)
			addGo(t, b, "sink", sink)
			link(t, b, "cfg", "sink")
			m.inst.Start()
			got := sink.wait(t, 1)
			if prop(got[0], "type") != tc.typ || string(got[0].Content) != tc.json {
				t.Fatalf("configuration seen by JS: type %q, %s; want %q, %s", prop(got[0], "type"), got[0].Content, tc.typ, tc.json)
			}
		})
	}
	// Destroy waits for destroy(): the marker exists when it returns, and every batch
	// posted before it was handled first.
	b := newBroker(t)
	src := addGo(t, b, "source", &goSink{})
	m := mustJS(t, b, "cfg", "config.js", strPtr(fmt.Sprintf(`{"marker":%q}`, marker)), nil)
	link(t, b, "source", "cfg")
	for i := 0; i < 500; i++ {
		publish(t, src, []byte("x"), "i", fmt.Sprint(i))
	}
	if err := b.RemoveModule("cfg", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	m.inst.Destroy()
	got, err := os.ReadFile(marker)
	if err != nil || string(got) != "destroyed 500" {
		t.Fatalf("marker = %q, %v; want \"destroyed 500\"", got, err)
	}
}

func TestCreateFailures(t *testing.T) {
	needNode(t)
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"returns false", "refuse.js", []string{`loader "node": module "bad": create: returned false (expected true)`}},
		{"throws", "throw_create.js", []string{`module "bad"`, "create exploded on purpose", "throw_create.js:", "explode"}},
		{"syntax error", "syntax_error.js", []string{`module "bad"`, "SyntaxError", "syntax_error.js"}},
		{"no create", "no_create.js", []string{`module "bad"`, "no create(broker, configuration) function"}},
		{"process.exit", "exit_create.js", []string{`module "bad"`, "process.exit(3) is disabled inside the gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBroker(t)
			_, err := createJS(t, b, "bad", tc.file, nil, nil)
			if err == nil {
				t.Fatal("create succeeded")
			}
			containsAll(t, err.Error(), tc.want...)
			var je *JSError
			if !errors.As(err, &je) || je.Module != "bad" {
				t.Fatalf("error %v is not a *JSError for the module", err)
			}
			if b.Endpoint("bad") != nil {
				t.Fatal("the failed module's endpoint is still in the broker")
			}
		})
	}
	// Node is still fine afterwards.
	b := newBroker(t)
	sink := &goSink{}
	src := addGo(t, b, "source", &goSink{})
	mustJS(t, b, "echo", "echo.js", nil, nil)
	addGo(t, b, "sink", sink)
	link(t, b, "source", "echo")
	link(t, b, "echo", "sink")
	publish(t, src, []byte("still alive"))
	if got := sink.wait(t, 1); string(got[0].Content) != "still alive" {
		t.Fatalf("content = %q", got[0].Content)
	}
}

func TestCheck(t *testing.T) {
	needNode(t)
	l, _ := Kind{}.New("node", nil)
	c := l.(interface {
		Check(string, []byte) error
	})
	if err := c.Check("ok", entry(testdata("echo.js"))); err != nil {
		t.Fatalf("echo.js: %v", err)
	}
	// Compiling does not run the file: no module object is needed for the check.
	if err := c.Check("nocreate", entry(testdata("no_create.js"))); err != nil {
		t.Fatalf("no_create.js: %v", err)
	}
	err := c.Check("bad", entry(testdata("syntax_error.js")))
	if err == nil {
		t.Fatal("syntax_error.js passed the check")
	}
	containsAll(t, err.Error(), `module "bad"`, "SyntaxError", "syntax_error.js")
	err = c.Check("missing", entry(testdata("missing.js")))
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("missing.js: %v", err)
	}
}

// Exceptions in receive, in timers and in promises, and process.exit anywhere, are
// logged with the module name and the JS stack; the module and the gateway go on.
func TestMisbehavingModule(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	logs := &logBuf{}
	sink := &goSink{}
	src := addGo(t, b, "source", &goSink{})
	mustJS(t, b, "unruly", "unruly.js", nil, logs.logger("unruly"))
	addGo(t, b, "sink", sink)
	link(t, b, "source", "unruly")
	link(t, b, "unruly", "sink")

	plan := []string{"", "throw", "", "exit", "", "exit-later", "throw-later", "reject", "bad-publish", ""}
	forwarded := 0
	for i, what := range plan {
		publish(t, src, []byte{byte(i)}, "seq", fmt.Sprint(i), "do", what)
		if what != "throw" && what != "exit" {
			forwarded++
		}
	}
	got := sink.wait(t, forwarded)
	var seqs []string
	for _, m := range got {
		seqs = append(seqs, prop(m, "seq"))
	}
	if strings.Join(seqs, ",") != "0,2,4,5,6,7,8,9" {
		t.Fatalf("forwarded seqs = %v", seqs)
	}
	eventually(t, 10*time.Second, "all four async failures in the log", func() bool {
		s := logs.String()
		return strings.Contains(s, "process.exit(8)") && strings.Contains(s, "timer bomb") && strings.Contains(s, "rejected on purpose")
	})
	s := logs.String()
	containsAll(t, s,
		"module=unruly",
		"receive threw: TypeError: receive refused message 1",
		"unruly.js:", // the JS stack
		"process.exit(7) is disabled inside the gateway",
		"process.exit(8) is disabled inside the gateway",
		"RangeError: timer bomb",
		"timerBomb",
		"rejected on purpose",
		"broker.publish: invalid message",
	)
	// The module still works afterwards.
	publish(t, src, []byte("after"), "seq", "last", "do", "")
	got = sink.wait(t, forwarded+1)
	if prop(got[len(got)-1], "seq") != "last" {
		t.Fatalf("last message = %v", got[len(got)-1])
	}
}

// After Node started (it replaces signal handlers), a Go nil dereference still becomes
// a recoverable panic, and SIGTERM/SIGINT still reach signal.Notify.
func TestGoSignalsSurviveNode(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	mustJS(t, b, "echo", "echo.js", nil, nil) // Node is up
	if !Running() {
		t.Fatal("node not running")
	}
	for i := 0; i < 3; i++ {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%v", r)
				}
			}()
			var p *[64]int
			runtime.KeepAlive(p[7])
			return nil
		}()
		if err == nil || !strings.Contains(err.Error(), "nil pointer dereference") {
			t.Fatalf("nil dereference: recovered %v", err)
		}
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, sig)
		if err := syscall.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ch:
			if got != sig {
				t.Fatalf("got %v, want %v", got, sig)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v did not reach signal.Notify", sig)
		}
		signal.Stop(ch)
	}
}

func TestSameFileSeparateInstances(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	sinkA, sinkB := &goSink{}, &goSink{}
	src := addGo(t, b, "source", &goSink{})
	mustJS(t, b, "a", "config.js", nil, nil)
	mustJS(t, b, "b", "config.js", nil, nil)
	addGo(t, b, "sinkA", sinkA)
	addGo(t, b, "sinkB", sinkB)
	link(t, b, "source", "a")
	link(t, b, "a", "sinkA")
	link(t, b, "b", "sinkB")
	link(t, b, "source", "b")
	for i := 0; i < 3; i++ {
		publish(t, src, nil)
	}
	// Both count 1..3: module state is per instance, not per file.
	for _, s := range []*goSink{sinkA, sinkB} {
		got := s.wait(t, 3)
		if prop(got[2], "count") != "3" {
			t.Fatalf("count = %q", prop(got[2], "count"))
		}
	}
}

// A module that leaves timers and a server behind: after destroy its publishes are
// refused, and TestMain's Shutdown still ends Node.
func TestLingeringModule(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	sink := &goSink{}
	m := mustJS(t, b, "lingering", "lingering.js", nil, nil)
	addGo(t, b, "sink", sink)
	link(t, b, "lingering", "sink")
	sink.wait(t, 3) // its interval publishes
	if err := b.RemoveModule("lingering", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	m.inst.Destroy()
	n := sink.n.Load()
	// Poll through a round trip on another module so that more ticks have run.
	src := addGo(t, b, "source", &goSink{})
	echoSink := &goSink{}
	mustJS(t, b, "echo", "echo.js", nil, nil)
	addGo(t, b, "echoSink", echoSink)
	link(t, b, "source", "echo")
	link(t, b, "echo", "echoSink")
	for i := 0; i < 20; i++ {
		publish(t, src, nil)
		echoSink.wait(t, i+1)
	}
	if sink.n.Load() != n {
		t.Fatalf("the destroyed module still delivered messages: %d -> %d", n, sink.n.Load())
	}
}

// sigactionFlags reads a signal's handler and flags straight from the kernel.
func sigactionFlags(t *testing.T, sig syscall.Signal) (handler uintptr, flags uint64) {
	t.Helper()
	var act struct {
		handler  uintptr
		flags    uint64
		restorer uintptr
		mask     uint64
	}
	if _, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&act)), 8, 0, 0); e != 0 {
		t.Fatalf("rt_sigaction(%v): %v", sig, e)
	}
	return act.handler, act.flags
}

// Child processes make libuv install a SIGCHLD handler; the bridge adds SA_ONSTACK (or
// gives Go's handler back). Signal listeners in JS are refused, so SIGTERM stays Go's.
func TestChildProcessesAndSignalListeners(t *testing.T) {
	needNode(t)
	b := newBroker(t)
	logs := &logBuf{}
	sink := &goSink{}
	src := addGo(t, b, "source", &goSink{})
	mustJS(t, b, "spawn", "spawn.js", nil, logs.logger("spawn"))
	addGo(t, b, "sink", sink)
	link(t, b, "source", "spawn")
	link(t, b, "spawn", "sink")
	goHandler, _ := sigactionFlags(t, syscall.SIGCHLD)
	const saOnStack = 0x08000000
	for i, code := range []string{"0", "3"} {
		publish(t, src, nil, "do", "start", "code", code)
		got := sink.wait(t, 2*i+1)
		if prop(got[2*i], "started") != "yes" {
			t.Fatalf("got %v, want started", got[2*i])
		}
		// The child runs: libuv watches SIGCHLD.
		if h, f := sigactionFlags(t, syscall.SIGCHLD); h > 1 && f&saOnStack == 0 {
			t.Fatalf("SIGCHLD handler %#x without SA_ONSTACK (flags %#x) while a child runs", h, f)
		}
		publish(t, src, nil, "do", "finish")
		got = sink.wait(t, 2*i+2)
		if prop(got[2*i+1], "code") != code {
			t.Fatalf("child exit code = %q, want %s", prop(got[2*i+1], "code"), code)
		}
		// libuv let SIGCHLD go (SIG_DFL): Go's handler is back.
		if h, _ := sigactionFlags(t, syscall.SIGCHLD); goHandler > 1 && h != goHandler {
			t.Fatalf("SIGCHLD handler after the child = %#x, want Go's %#x", h, goHandler)
		}
	}
	containsAll(t, logs.String(), "process.on('SIGTERM', ...) ignored")
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	defer signal.Stop(ch)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not reach signal.Notify")
	}
}
