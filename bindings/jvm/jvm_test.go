package jvm

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

// The SPEC's test vector: content "hello", properties source=sensor1, type=temp.
const vectorHex = "a160" + "0000002c" + "00000002" + "736f7572636500" + "73656e736f723100" + "7479706500" + "74656d7000" + "00000005" + "68656c6c6f"

// Fixture: the binding jar and the test modules, built once per test binary.
var fx struct {
	skip     string // why JVM tests are skipped ("" when they run)
	jar      string // gateway-java-binding.jar
	classes  string // compiled testdata/java (directory)
	modJar   string // the same classes in a jar
	java     string // the java launcher
	jniCheck bool   // the JVM runs with -Xcheck:jni (GATEWAY_JNI_CHECK=1)
}

// Package initialization runs on the primordial thread: lockedOffMain must move f off it.
var initOnMain, fOnMain = func() (bool, bool) {
	ch := make(chan bool, 1)
	on := onMainThread()
	lockedOffMain(func() { ch <- onMainThread() })
	return on, <-ch
}()

func TestLockedOffMainThread(t *testing.T) {
	if !initOnMain {
		t.Fatal("package initialization did not run on the main thread: the test cannot check anything")
	}
	if fOnMain {
		t.Error("lockedOffMain ran f on the main thread")
	}
	for i := 0; i < 100; i++ {
		ch := make(chan bool, 1)
		goLocked(func() { ch <- onMainThread() })
		if <-ch {
			t.Fatal("goLocked ran f on the main thread")
		}
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "jvm-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if err := buildFixture(dir); err != nil {
			fx.skip = err.Error()
		}
		return m.Run()
	}())
}

func buildFixture(dir string) error {
	if os.Getenv("GW_JVM_HELPER") != "" { // a child process of TestJVMStartFailures: the parent built it
		fx.jar, fx.classes = os.Getenv("GW_JVM_TEST_JAR"), os.Getenv("GW_JVM_TEST_CLASSES")
		return nil
	}
	javac, err := exec.LookPath("javac")
	if err != nil {
		if h := os.Getenv("JAVA_HOME"); h != "" {
			javac = filepath.Join(h, "bin", "javac")
		}
		if _, err := os.Stat(javac); err != nil {
			return errors.New("no JDK (javac) found: install openjdk-17-jdk-headless or set JAVA_HOME to run the JVM tests")
		}
	}
	if _, err := findLibJVM(""); err != nil {
		return fmt.Errorf("no libjvm.so: %v", err)
	}
	bin := filepath.Dir(javac)
	fx.java = filepath.Join(bin, "java")
	if out, err := exec.Command("./build.sh", dir, "binding").CombinedOutput(); err != nil {
		return fmt.Errorf("build.sh failed: %v\n%s", err, out)
	}
	fx.jar = filepath.Join(dir, BindingJarName)
	fx.classes = filepath.Join(dir, "classes")
	// Package testmods: this package's own test modules plus those shared with e2e.
	srcs, _ := filepath.Glob("testdata/java/testmods/*.java")
	shared, _ := filepath.Glob("../../testmodules/java/testmods/*.java")
	srcs = append(srcs, shared...)
	args := append([]string{"--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-cp", fx.jar, "-d", fx.classes}, srcs...)
	if out, err := exec.Command(javac, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("javac failed: %v\n%s", err, out)
	}
	fx.modJar = filepath.Join(dir, "testmods.jar")
	if out, err := exec.Command(filepath.Join(bin, "jar"), "cf", fx.modJar, "-C", fx.classes, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("jar failed: %v\n%s", err, out)
	}
	// GATEWAY_JNI_CHECK=1 runs the JVM with -Xcheck:jni (every JNI call verified). It is opt-in because the
	// checker also reports, on stdout, the SA_ONSTACK flag the binding adds to the JVM's signal handlers.
	fx.jniCheck = os.Getenv("GATEWAY_JNI_CHECK") == "1"
	return nil
}

func needJVM(t testing.TB) {
	t.Helper()
	if fx.skip != "" {
		t.Skip(fx.skip)
	}
}

// testLoader is the loader every JVM test uses (one JVM per process: the first Create starts it with these
// options).
func testLoader(t testing.TB) *Loader {
	t.Helper()
	cfg := map[string]any{"binding.path": fx.jar, "jvm.options": map[string]any{"version": 8, "additional.options": []string{"-Xmx512m"}}}
	if fx.jniCheck {
		cfg["jvm.options"].(map[string]any)["additional.options"] = []string{"-Xmx512m", "-Xcheck:jni"}
	}
	b, _ := json.Marshal(cfg)
	l, err := Kind{}.New("java", b)
	if err != nil {
		t.Fatal(err)
	}
	return l.(*Loader)
}

func entrypoint(class string, cp ...string) []byte {
	b, _ := json.Marshal(map[string]any{"class.name": class, "class.path": strings.Join(cp, ":")})
	return b
}

// logSink captures log records.
type logSink struct {
	mu    *sync.Mutex
	recs  *[]map[string]string
	attrs []slog.Attr
}

func newLogSink() *logSink { return &logSink{mu: &sync.Mutex{}, recs: &[]map[string]string{}} }

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	m := map[string]string{"msg": r.Message, "level": r.Level.String()}
	for _, a := range s.attrs {
		m[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		if _, dup := m[a.Key]; dup {
			m["duplicate"] = a.Key
		}
		m[a.Key] = a.Value.String()
		return true
	})
	s.mu.Lock()
	*s.recs = append(*s.recs, m)
	s.mu.Unlock()
	return nil
}
func (s *logSink) WithAttrs(as []slog.Attr) slog.Handler {
	c := *s
	c.attrs = append(append([]slog.Attr(nil), s.attrs...), as...)
	return &c
}
func (s *logSink) WithGroup(string) slog.Handler { return s }
func (s *logSink) find(msg string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range *s.recs {
		if r["msg"] == msg {
			return r
		}
	}
	return nil
}

// recSink is a Go module that records what it receives.
type recSink struct {
	mu   sync.Mutex
	msgs []abi.Message
	raw  [][]byte
}

func (s *recSink) Receive(msgs []cshim.Message) {
	for _, m := range msgs {
		b, err := m.Bytes()
		if err != nil {
			panic(err)
		}
		d, err := abi.DecodeMessage(b)
		if err != nil {
			panic(err)
		}
		s.mu.Lock()
		s.msgs = append(s.msgs, d)
		s.raw = append(s.raw, b)
		s.mu.Unlock()
	}
}

func (s *recSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

func (s *recSink) snapshot() []abi.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]abi.Message(nil), s.msgs...)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// fwd lets a broker endpoint exist before the instance it delivers to.
type fwd struct{ in atomic.Pointer[Instance] }

func (f *fwd) Receive(msgs []cshim.Message) {
	if in := f.in.Load(); in != nil {
		in.Receive(msgs)
	}
}

// rig is a broker with a Go source ("src"), a Go sink ("sink") and Java modules.
type rig struct {
	t    testing.TB
	b    *broker.Broker
	src  *broker.Endpoint
	sink *recSink
	log  *logSink
	l    *Loader
}

func newRig(t testing.TB) *rig {
	t.Helper()
	needJVM(t)
	r := &rig{t: t, b: broker.New(nil), sink: &recSink{}, log: newLogSink(), l: testLoader(t)}
	var err error
	if r.src, err = r.b.AddModule("src", &recSink{}, broker.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err = r.b.AddModule("sink", r.sink, broker.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if errs := r.b.Close(10 * time.Second); len(errs) > 0 {
			t.Errorf("broker close: %v", errs)
		}
	})
	return r
}

// add creates a Java module linked src -> module -> sink. The instance is destroyed at cleanup (after the
// broker stops delivering).
func (r *rig) add(name, class string, args *string, cp ...string) (*Instance, error) {
	r.t.Helper()
	if cp == nil {
		cp = []string{fx.classes}
	}
	lib, err := r.l.Load(name, entrypoint(class, cp...))
	if err != nil {
		return nil, err
	}
	f := &fwd{}
	ep, err := r.b.AddModule(name, f, broker.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	log := slog.New(r.log).With("module", name)
	inst, err := lib.Create(loader.CreateContext{Module: name, Args: args, Endpoint: ep, Log: log})
	if err != nil {
		_ = r.b.RemoveModule(name, time.Second)
		if cerr := lib.Close(); cerr != nil {
			r.t.Errorf("close after failed create: %v", cerr)
		}
		return nil, err
	}
	in := inst.(*Instance)
	f.in.Store(in)
	for _, l := range [][2]string{{"src", name}, {name, "sink"}} {
		if err := r.b.AddLink(l[0], l[1]); err != nil {
			r.t.Fatal(err)
		}
	}
	r.t.Cleanup(func() {
		if err := r.b.RemoveModule(name, 10*time.Second); err != nil && !errors.Is(err, broker.ErrUnknownModule) {
			r.t.Errorf("remove %s: %v", name, err)
		}
		in.Destroy()
		if err := lib.Close(); err != nil {
			r.t.Errorf("close %s: %v", name, err)
		}
	})
	return in, nil
}

func (r *rig) publish(content string, props ...string) {
	r.t.Helper()
	var p []abi.Property
	for i := 0; i+1 < len(props); i += 2 {
		p = append(p, abi.Property{Key: props[i], Value: props[i+1]})
	}
	m, err := cshim.NewMessage([]byte(content), p)
	if err != nil {
		r.t.Fatal(err)
	}
	defer m.Release()
	if err := r.src.Publish(m, false); err != nil {
		r.t.Fatal(err)
	}
}

func strp(s string) *string { return &s }

func TestEchoVectorBothWays(t *testing.T) {
	r := newRig(t)
	if _, err := r.add("echo", "testmods/Echo", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.add("raw", "testmods.RawEcho", nil, fx.modJar); err != nil {
		t.Fatal(err)
	}
	vector, _ := hex.DecodeString(vectorHex)
	r.publish("hello", "source", "sensor1", "type", "temp")
	waitFor(t, "3 messages at the sink", 10*time.Second, func() bool { return r.sink.count() >= 3 })
	r.sink.mu.Lock()
	defer r.sink.mu.Unlock()
	var sawEcho, sawRaw, sawReparsed bool
	for i, m := range r.sink.msgs {
		kind, _ := m.Get("kind")
		switch kind {
		case "":
			sawEcho = true // Go -> Java -> Message -> toByteArray -> Go: the same bytes
			if !bytes.Equal(r.sink.raw[i], vector) {
				t.Errorf("echo: got % x\nwant % x", r.sink.raw[i], vector)
			}
		case "raw":
			sawRaw = true // the exact bytes Java received
			if !bytes.Equal(m.Content, vector) {
				t.Errorf("raw: Java received % x\nwant % x", m.Content, vector)
			}
		case "reparsed":
			sawReparsed = true // Java's parser then serializer
			if !bytes.Equal(m.Content, vector) {
				t.Errorf("reparsed: got % x\nwant % x", m.Content, vector)
			}
		}
	}
	if !sawEcho || !sawRaw || !sawReparsed {
		t.Fatalf("missing messages: echo %v raw %v reparsed %v", sawEcho, sawRaw, sawReparsed)
	}
}

func TestBatchInOrder(t *testing.T) {
	r := newRig(t)
	in, err := r.add("echo", "testmods/Echo", nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 5000
	for i := 0; i < n; i++ {
		r.publish(fmt.Sprintf("m%d", i), "i", fmt.Sprint(i), "pad", strings.Repeat("x", i%300))
	}
	waitFor(t, "all echoes", 30*time.Second, func() bool { return r.sink.count() >= n })
	for i, m := range r.sink.snapshot() {
		if string(m.Content) != fmt.Sprintf("m%d", i) {
			t.Fatalf("message %d: content %q", i, m.Content)
		}
		if v, _ := m.Get("i"); v != fmt.Sprint(i) {
			t.Fatalf("message %d: property i=%q", i, v)
		}
		if v, _ := m.Get("pad"); len(v) != i%300 {
			t.Fatalf("message %d: pad length %d", i, len(v))
		}
	}
	if got := in.received.Load(); got != n {
		t.Errorf("instance delivered %d, want %d", got, n)
	}
}

func TestLargeMessagesSplitIntoChunks(t *testing.T) {
	r := newRig(t)
	if _, err := r.add("echo", "testmods.Echo", nil); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("y", 3<<20) // two of them exceed one chunk
	for i := 0; i < 4; i++ {
		r.publish(big+fmt.Sprint(i), "n", fmt.Sprint(i))
	}
	waitFor(t, "4 big echoes", 30*time.Second, func() bool { return r.sink.count() >= 4 })
	for i, m := range r.sink.snapshot() {
		if string(m.Content) != big+fmt.Sprint(i) {
			t.Fatalf("message %d: wrong content (len %d)", i, len(m.Content))
		}
	}
}

func TestConfigurationThreadAndDestroy(t *testing.T) {
	tests := []struct {
		name string
		args *string
		want string
	}{
		{"probe-nil", nil, "<null>"},
		{"probe-null", strp("null"), "null"},
		{"probe-obj", strp(`{"a":1,"s":"ünïcødé 😀"}`), `{"a":1,"s":"ünïcødé 😀"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			in, err := r.add(tc.name, "testmods.ConfigProbe", tc.args)
			if err != nil {
				t.Fatal(err)
			}
			in.Start()
			waitFor(t, "config message", 10*time.Second, func() bool { return r.sink.count() >= 1 })
			m := r.sink.snapshot()[0]
			if string(m.Content) != tc.want {
				t.Errorf("configuration: got %q, want %q", m.Content, tc.want)
			}
			if th, _ := m.Get("thread"); th != "gateway-module-"+tc.name {
				t.Errorf("thread name %q", th)
			}
			if d, _ := m.Get("daemon"); d != "true" {
				t.Errorf("module thread daemon = %s", d)
			}
			if l, _ := m.Get("loader"); !strings.Contains(l, "ModuleHost$SharedLoader") {
				t.Errorf("context class loader %q", l)
			}
			in.Destroy() // destroy() publishes while the endpoint is still linked
			waitFor(t, "destroy message", 10*time.Second, func() bool { return r.sink.count() >= 2 })
			if w, _ := r.sink.snapshot()[1].Get("what"); w != "destroy" {
				t.Errorf("second message %q, want the destroy message", w)
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	tests := []struct {
		name, class string
		cp          []string
		wantExc     string
		wantTrace   string
	}{
		{"ctor", "testmods.ThrowInCtor", nil, "java.lang.IllegalStateException: boom in constructor", "Caused by: java.io.IOException: the cause"},
		{"missing", "testmods/Nope", nil, "java.lang.ClassNotFoundException: testmods.Nope", "ModuleHost.create"},
		{"notmodule", "testmods.NotAModule", nil, "java.lang.IllegalArgumentException: class testmods.NotAModule does not implement com.microsoft.azure.gateway.core.IGatewayModule", ""},
		{"abstract", "com.microsoft.azure.gateway.core.GatewayModule", []string{}, "java.lang.InstantiationException", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			cp := tc.cp
			if cp == nil {
				cp = []string{fx.classes}
			}
			_, err := r.add(tc.name, tc.class, nil, cp...)
			if err == nil {
				t.Fatal("create succeeded")
			}
			var je *JavaError
			if !errors.As(err, &je) {
				t.Fatalf("error %v is not a *JavaError", err)
			}
			if !strings.HasPrefix(je.Exception, tc.wantExc) {
				t.Errorf("exception %q, want prefix %q", je.Exception, tc.wantExc)
			}
			if !strings.Contains(je.StackTrace, tc.wantTrace) {
				t.Errorf("stack trace lacks %q:\n%s", tc.wantTrace, je.StackTrace)
			}
			want := `loader "java": module "` + tc.name + `": class ` + strings.ReplaceAll(tc.class, "/", ".") + `: Java exception in create: ` + tc.wantExc
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q\nwant prefix %q", err, want)
			}
			rec := r.log.find("Java module creation failed")
			if rec == nil || rec["module"] != tc.name || rec["duplicate"] != "" || !strings.Contains(rec["java_stack_trace"], tc.wantExc[:20]) {
				t.Errorf("creation failure not logged with module and stack trace: %v", rec)
			}
		})
	}
}

func TestReceiveStartDestroyExceptions(t *testing.T) {
	r := newRig(t)
	in, err := r.add("thrower", "testmods.ThrowInReceive", nil)
	if err != nil {
		t.Fatal(err)
	}
	in.Start()
	if rec := r.log.find("Java module start threw"); rec == nil || !strings.Contains(rec["exception"], "boom in start") {
		t.Errorf("start exception not logged: %v", rec)
	}
	r.publish("good1")
	r.publish("bad")
	r.publish("good2")
	waitFor(t, "2 good messages", 10*time.Second, func() bool { return r.sink.count() >= 2 })
	got := r.sink.snapshot()
	if string(got[0].Content) != "good1" || string(got[1].Content) != "good2" {
		t.Errorf("got %q, %q", got[0].Content, got[1].Content)
	}
	waitFor(t, "receive exception log", 10*time.Second, func() bool { return r.log.find("Java module receive threw") != nil })
	rec := r.log.find("Java module receive threw")
	if rec["module"] != "thrower" || rec["duplicate"] != "" || !strings.Contains(rec["java_stack_trace"], "java.lang.IllegalArgumentException: boom in receive") ||
		!strings.Contains(rec["java_stack_trace"], "ThrowInReceive.receive") {
		t.Errorf("receive exception log: %v", rec)
	}
	// The module still works after throwing.
	r.publish("good3")
	waitFor(t, "message after the exception", 10*time.Second, func() bool { return r.sink.count() >= 3 })
	if in.threw.Load() != 1 {
		t.Errorf("threw = %d, want 1", in.threw.Load())
	}
	if err := r.b.RemoveModule("thrower", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	in.Destroy()
	if rec := r.log.find("Java module destroy threw"); rec == nil || !strings.Contains(rec["java_stack_trace"], "boom in destroy") {
		t.Errorf("destroy exception not logged: %v", rec)
	}
}

func TestJavaThreadsPublish(t *testing.T) {
	r := newRig(t)
	in, err := r.add("threads", "testmods.ThreadPublisher", strp(`{"threads": 4, "count": 2000}`))
	if err != nil {
		t.Fatal(err)
	}
	in.Start()
	const want = 4*2000 + 1
	waitFor(t, "all thread messages", 30*time.Second, func() bool { return r.sink.count() >= want })
	msgs := r.sink.snapshot()
	last := msgs[len(msgs)-1]
	if string(last.Content) != "done" {
		t.Fatalf("last message %q, want done", last.Content)
	}
	if f, _ := last.Get("failed"); f != "0" {
		t.Errorf("failed publishes: %s", f)
	}
	next := map[string]int{}
	for _, m := range msgs[:len(msgs)-1] {
		th, i, _ := strings.Cut(string(m.Content), ":")
		if fmt.Sprint(next[th]) != i {
			t.Fatalf("thread %s: got %s, want %d (per-thread order)", th, i, next[th])
		}
		next[th]++
	}
	// A publish with an address that is not a live module fails.
	if rc := publishBytes(in.id+1000, []byte("x"), false); rc != cshim.BrokerError {
		t.Errorf("publish for an unknown module = %d", rc)
	}
}

func TestGoPanicRecoveredAfterJVMStart(t *testing.T) {
	r := newRig(t)
	in, err := r.add("echo", "testmods.Echo", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the JVM busy (JIT, GC, safepoints) while Go code faults on several goroutines.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 2000; i++ {
			r.publish("busy", "i", fmt.Sprint(i))
		}
	}()
	var wg sync.WaitGroup
	var recovered atomic.Int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				func() {
					defer func() {
						if recover() != nil {
							recovered.Add(1)
						}
					}()
					var p *[1 << 10]int
					p[i%10]++
				}()
			}
		}()
	}
	wg.Wait()
	<-done
	if recovered.Load() != 8*200 {
		t.Fatalf("recovered %d panics, want %d", recovered.Load(), 8*200)
	}
	waitFor(t, "echoes", 30*time.Second, func() bool { return r.sink.count() >= 2000 })
	_ = in
}

func TestMessageFormatInJava(t *testing.T) {
	needJVM(t)
	vector, _ := hex.DecodeString(vectorHex)
	mk := func(f func(b []byte) []byte) string {
		return hex.EncodeToString(f(append([]byte(nil), vector...)))
	}
	setSize := func(b []byte) []byte {
		n := len(b)
		b[2], b[3], b[4], b[5] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
		return b
	}
	malformed := []string{
		mk(func(b []byte) []byte { b[5]++; return b }),               // total size mismatch
		mk(func(b []byte) []byte { b[0] = 0xA2; return b }),          // bad header
		mk(func(b []byte) []byte { return setSize(append(b, 'x')) }), // content does not end at the end
		hex.EncodeToString(encodeRaw("hello", "a", "1", "a", "2")),   // duplicate key
		mk(func(b []byte) []byte { b[9] = 3; return b }),             // more properties than present
		mk(func(b []byte) []byte { return setSize(b[:13]) }),         // too short
		"a160" + "0000000e" + "00000001" + "6b6b6b6b",                // unterminated key
	}
	valid := "a160" + "0000000e" + "00000000" + "00000000" // 14 bytes: no properties, empty content
	args := append([]string{"-cp", fx.jar + ":" + fx.classes, "testmods.MessageVector", vectorHex}, malformed...)
	args = append(args, valid)
	out, err := exec.Command(fx.java, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("java: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	want := []string{vectorHex, "hello {source=sensor1, type=temp}", `Message{content="hello", properties={source=sensor1, type=temp}}`}
	for range malformed {
		want = append(want, "rejected")
	}
	want = append(want, "ok", "nul rejected")
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("Java output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// The Go decoder agrees on which inputs are malformed.
	for i, h := range malformed {
		b, _ := hex.DecodeString(h)
		if _, err := abi.DecodeMessage(b); err == nil {
			t.Errorf("malformed[%d] accepted by abi.DecodeMessage", i)
		}
	}
}

// encodeRaw serializes a message without any checks (for malformed inputs).
func encodeRaw(content string, kv ...string) []byte {
	b := []byte{0xA1, 0x60, 0, 0, 0, 0, 0, 0, 0, byte(len(kv) / 2)}
	for _, s := range kv {
		b = append(append(b, s...), 0)
	}
	n := len(content)
	b = append(append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n)), content...)
	t := len(b)
	b[2], b[3], b[4], b[5] = byte(t>>24), byte(t>>16), byte(t>>8), byte(t)
	return b
}

func TestParseOptions(t *testing.T) {
	tests := []struct {
		cfg     string
		wantErr string
		check   func(Options) bool
	}{
		{"", "", func(o Options) bool { return o.DebugPort == DefaultDebugPort && !o.Debug }},
		{`null`, "", nil},
		{`{}`, "", nil},
		{`{"jvm.options": {"version": 8, "debug": true, "debug.port": 8118, "verbose": true, "additional.options": ["-Xmx64m", "-Dx=y"]}}`, "",
			func(o Options) bool {
				return o.Version == 8 && o.Debug && o.DebugPort == 8118 && o.Verbose && len(o.AdditionalOptions) == 2
			}},
		{`{"jvm.options": {"library.path": "/x"}, "binding.path": "/b.jar"}`, "", func(o Options) bool { return o.LibraryPath == "/x" && o.BindingPath == "/b.jar" }},
		{`[1]`, "configuration: must be an object", nil},
		{`{`, "configuration: invalid JSON", nil},
		{`{"jvm.options": 3}`, "jvm.options: must be an object", nil},
		{`{"jvm.options": {"additional.options": "-Xmx1g"}}`, "jvm.options.additional.options: must be an array of strings", nil},
		{`{"jvm.options": {"additional.options": [1]}}`, "jvm.options.additional.options: must be an array of strings", nil},
		{`{"jvm.options": {"additional.options": [""]}}`, "jvm.options.additional.options[0]: must be a non-empty string", nil},
		{`{"jvm.options": {"debug.port": 70000}}`, "jvm.options.debug.port: must be an integer between 1 and 65535", nil},
		{`{"jvm.options": {"debug.port": "1"}}`, "jvm.options.debug.port: must be an integer", nil},
		{`{"jvm.options": {"version": 8.5}}`, "jvm.options.version: must be a non-negative integer", nil},
		{`{"jvm.options": {"debug": "yes"}}`, "jvm.options.debug: must be true or false", nil},
		{`{"jvm.options": {"verbose": 1}}`, "jvm.options.verbose: must be true or false", nil},
		{`{"jvm.options": {"library.path": 1}}`, "jvm.options.library.path: must be a string", nil},
		{`{"jvm.options": {"class.path": "/nonexistent-dir-xyz"}}`, "jvm.options.class.path: no such file or directory: /nonexistent-dir-xyz", nil},
		{`{"binding.path": 1}`, "binding.path: must be a string", nil},
	}
	for _, tc := range tests {
		t.Run(tc.cfg, func(t *testing.T) {
			var cfg []byte
			if tc.cfg != "" {
				cfg = []byte(tc.cfg)
			}
			l, err := Kind{}.New("java", cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), `loader "java": `+tc.wantErr) {
					t.Fatalf("error %v, want prefix %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil && !tc.check(l.(*Loader).Options()) {
				t.Errorf("options %+v", l.(*Loader).Options())
			}
		})
	}
}

func TestJVMOptions(t *testing.T) {
	dir := t.TempDir()
	o := Options{Debug: true, DebugPort: 8118, Verbose: true, LibraryPath: dir, ClassPath: []string{"/c"},
		AdditionalOptions: []string{"-Djava.class.path=/extra", "-Xmx1g"}}
	got := strings.Join(jvmOptions(o, "/b.jar"), " ")
	want := "-Djava.class.path=/b.jar:/c:/extra -Xrs -Djava.library.path=" + dir +
		" -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=8118 -verbose:class -Xmx1g"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for v, want := range map[int]int32{0: 0x10008, 1: 0x10001, 4: 0x10004, 6: 0x10006, 8: 0x10008, 9: 0x90000, 11: 0xa0000, 21: 0x150000} {
		if got := jniVersion(v); got != want {
			t.Errorf("jniVersion(%d) = %#x, want %#x", v, got, want)
		}
	}
}

func TestFindLibJVM(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib", "server", "libjvm.so")
	if err := os.MkdirAll(filepath.Dir(lib), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{lib, dir, filepath.Join(dir, "lib")} {
		if got, err := findLibJVM(p); err != nil || got != lib {
			t.Errorf("findLibJVM(%q) = %q, %v", p, got, err)
		}
	}
	t.Setenv("JAVA_HOME", dir)
	if got, err := findLibJVM(t.TempDir()); err != nil || got != lib {
		t.Errorf("from JAVA_HOME: %q, %v", got, err)
	}
}

func TestLoadAndCheck(t *testing.T) {
	needJVM(t)
	l := testLoader(t)
	tests := []struct {
		name, ep string
		loadErr  string
		checkErr string
	}{
		{"dir-jni", string(entrypoint("testmods/Echo", fx.classes)), "", ""},
		{"jar-dotted", string(entrypoint("testmods.Echo", fx.modJar)), "", ""},
		{"wildcard", string(entrypoint("testmods.Echo", filepath.Dir(fx.modJar)+"/*")), "", ""},
		{"array", `{"class.name": "testmods.Echo", "class.path": ["` + fx.modJar + `"]}`, "", ""},
		{"binding-class", string(entrypoint("com.microsoft.azure.gateway.core.GatewayModule")), "", ""},
		{"missing-class", string(entrypoint("testmods.Nope", fx.modJar)), "", `class.name: class testmods.Nope not found in class.path`},
		{"no-name", `{"class.path": "/"}`, `entrypoint: missing "class.name"`, ""},
		{"bad-name", string(entrypoint("a..b", fx.classes)), `entrypoint: class.name: "a..b" is not a Java class name`, ""},
		{"bad-name-digit", string(entrypoint("a/1b", fx.classes)), `is not a Java class name`, ""},
		{"bad-path", string(entrypoint("testmods.Echo", "/nonexistent-xyz/a.jar")), "entrypoint: class.path: no such file or directory: /nonexistent-xyz/a.jar", ""},
		{"bad-path-type", `{"class.name": "a.B", "class.path": 3}`, "entrypoint: class.path: must be a string or an array of strings", ""},
		{"not-object", `"x"`, "entrypoint: must be an object", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := l.Load("m", []byte(tc.ep))
			checkErr := l.Check("m", []byte(tc.ep))
			if tc.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.loadErr) || !strings.HasPrefix(err.Error(), `loader "java": module "m": `) {
					t.Errorf("load error %v, want %q", err, tc.loadErr)
				}
				if checkErr == nil {
					t.Errorf("check accepted what load rejects")
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if tc.checkErr != "" {
				if checkErr == nil || !strings.Contains(checkErr.Error(), tc.checkErr) {
					t.Errorf("check error %v, want %q", checkErr, tc.checkErr)
				}
			} else if checkErr != nil {
				t.Errorf("check: %v", checkErr)
			}
		})
	}
	if _, err := l.Load("m", nil); err == nil || !strings.Contains(err.Error(), `missing "entrypoint"`) {
		t.Errorf("nil entry point: %v", err)
	}
}

func TestSharedClassLoaderSeesEarlierModules(t *testing.T) {
	r := newRig(t)
	// The first module's class path (the jar) makes testmods visible; a second module with an empty class
	// path finds its class through the shared loader, like the SDK's single JVM class path.
	if _, err := r.add("first", "testmods.Echo", nil, fx.modJar); err != nil {
		t.Fatal(err)
	}
	if _, err := r.add("second", "testmods.RawEcho", nil, []string{}...); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkJavaSink measures delivery from a Go publisher into a Java sink (256-byte content, 2 properties),
// lossless (blocking queues): msgs/s counts messages the Java module's receive(Message) returned from.
func BenchmarkJavaSink(b *testing.B) {
	for _, tc := range []struct{ name, class string }{
		{"GatewayModule", "testmods.CountingSink"},
		{"receive-bytes", "testmods.RawCountingSink"},
		{"GoSinkBaseline", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			needJVM(b)
			r := newRig(b)
			var received func() uint64
			if tc.class == "" {
				var n atomic.Uint64
				ep, err := r.b.AddModule("gosink", sinkFunc(func(m []cshim.Message) { n.Add(uint64(len(m))) }), broker.Options{})
				if err != nil {
					b.Fatal(err)
				}
				_ = ep
				if err := r.b.AddLink("src", "gosink"); err != nil {
					b.Fatal(err)
				}
				received = n.Load
			} else {
				in, err := r.add("jsink", tc.class, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := r.b.RemoveLink("jsink", "sink"); err != nil {
					b.Fatal(err)
				}
				received = in.received.Load
			}
			content := bytes.Repeat([]byte("t"), 256)
			m, err := cshim.NewMessage(content, []abi.Property{{Key: "source", Value: "bench"}, {Key: "seq", Value: "12345"}})
			if err != nil {
				b.Fatal(err)
			}
			defer m.Release()
			base := received()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if err := r.src.Publish(m, false); err != nil {
					b.Fatal(err)
				}
			}
			for received()-base < uint64(b.N) {
				time.Sleep(100 * time.Microsecond)
			}
			el := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
		})
	}
}

type sinkFunc func([]cshim.Message)

func (f sinkFunc) Receive(m []cshim.Message) { f(m) }

func TestSIGTERMReachesGoAfterJVMStart(t *testing.T) {
	r := newRig(t)
	if _, err := r.add("echo", "testmods.Echo", nil); err != nil {
		t.Fatal(err)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	defer signal.Stop(c)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not reach signal.Notify (the JVM must run with -Xrs)")
	}
}

// TestJNISlots checks jni_min.h's slot numbers and struct sizes against a JDK's jni.h (compiled with cc).
func TestJNISlots(t *testing.T) {
	libjvm, err := findLibJVM("")
	if err != nil {
		t.Skip("no JDK: ", err)
	}
	inc := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(libjvm))), "include")
	if _, err := os.Stat(filepath.Join(inc, "jni.h")); err != nil {
		t.Skipf("no jni.h in %s (install a JDK, not a JRE)", inc)
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	hdr, err := os.ReadFile("jni_min.h")
	if err != nil {
		t.Fatal(err)
	}
	mine := map[string]string{}
	for _, m := range regexp.MustCompile(`GW_(JNI|JVM)_(\w+) = (\d+)`).FindAllStringSubmatch(string(hdr), -1) {
		mine[m[1]+"."+m[2]] = m[3]
	}
	if len(mine) < 20 {
		t.Fatalf("parsed only %d slots from jni_min.h", len(mine))
	}
	var src strings.Builder
	src.WriteString("#include <stdio.h>\n#include <stddef.h>\n#include <jni.h>\nint main(void) {\n")
	for k := range mine {
		st := "JNINativeInterface_"
		if strings.HasPrefix(k, "JVM.") {
			st = "JNIInvokeInterface_"
		}
		name := k[4:]
		fmt.Fprintf(&src, "printf(\"%s=%%zu\\n\", offsetof(struct %s, %s) / sizeof(void*));\n", k, st, name)
	}
	for _, s := range []string{"JavaVMOption", "JavaVMInitArgs", "JavaVMAttachArgs", "JNINativeMethod", "jvalue"} {
		fmt.Fprintf(&src, "printf(\"sizeof.%s=%%zu\\n\", sizeof(%s));\n", s, s)
	}
	src.WriteString("return 0; }\n")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "slots.c"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "slots")
	if out, err := exec.Command(cc, "-I", inc, "-I", filepath.Join(inc, "linux"), "-o", exe, filepath.Join(dir, "slots.c")).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[string]string{"JavaVMOption": "16", "JavaVMInitArgs": "24", "JavaVMAttachArgs": "24", "JNINativeMethod": "24", "jvalue": "8"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		if s, ok := strings.CutPrefix(k, "sizeof."); ok {
			if sizes[s] != v {
				t.Errorf("sizeof(%s) = %s in jni.h, jni_min.h assumes %s", s, v, sizes[s])
			}
			continue
		}
		if mine[k] != v {
			t.Errorf("%s: jni.h slot %s, jni_min.h %s", k, v, mine[k])
		}
	}
}

func TestSamples(t *testing.T) {
	needJVM(t)
	dir := t.TempDir()
	jar, err := os.ReadFile(fx.jar)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, BindingJarName), jar, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("./build.sh", dir, "samples").CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	samples := filepath.Join(dir, "gateway-java-samples.jar")
	r := newRig(t)
	if _, err := r.add("printer", "com/edgev1/gateway/sample/Printer", nil, samples); err != nil {
		t.Fatal(err)
	}
	sensor, err := r.add("sensor", "com/edgev1/gateway/sample/Sensor", strp(`{"interval.ms": 1, "count": 5}`), samples)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.b.AddLink("sensor", "printer"); err != nil {
		t.Fatal(err)
	}
	sensor.Start()
	waitFor(t, "5 sensor readings", 10*time.Second, func() bool { return r.sink.count() >= 5 })
	for i, m := range r.sink.snapshot()[:5] {
		if s, _ := m.Get("source"); s != "sensor" || !strings.Contains(string(m.Content), `"temperature"`) {
			t.Errorf("reading %d: %q %v", i, m.Content, m.Properties)
		}
	}
}

// BenchmarkJavaPublish measures Broker.publishMessage from one Java thread into a Go sink.
func BenchmarkJavaPublish(b *testing.B) {
	needJVM(b)
	r := newRig(b)
	var n atomic.Uint64
	if _, err := r.b.AddModule("count", sinkFunc(func(m []cshim.Message) { n.Add(uint64(len(m))) }), broker.Options{}); err != nil {
		b.Fatal(err)
	}
	in, err := r.add("pub", "testmods.ThreadPublisher", strp(fmt.Sprintf(`{"threads": 1, "count": %d}`, b.N)))
	if err != nil {
		b.Fatal(err)
	}
	if err := r.b.RemoveLink("pub", "sink"); err != nil {
		b.Fatal(err)
	}
	if err := r.b.AddLink("pub", "count"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	in.Start()
	for n.Load() < uint64(b.N)+1 {
		time.Sleep(100 * time.Microsecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// TestJVMStartFailures runs in child processes (a JVM can be created once per process). Failures before
// JNI_CreateJavaVM (libjvm.so that cannot be loaded, no binding jar) leave the way open for a good start; a
// failure of JNI_CreateJavaVM itself (an option the JVM rejects) is final for the process (HotSpot keeps state
// from a failed start: a retry came up without its class path), and says so.
func TestJVMStartFailures(t *testing.T) {
	needJVM(t)
	if h := os.Getenv("GW_JVM_HELPER"); h != "" {
		startFailuresChild(t, h)
		return
	}
	for _, scenario := range []string{"then-good", "bad-option"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestJVMStartFailures$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "GW_JVM_HELPER="+scenario, "GW_JVM_TEST_JAR="+fx.jar, "GW_JVM_TEST_CLASSES="+fx.classes)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestJVMStartFailures") {
			t.Fatalf("child %s: %v\n%s", scenario, err, out)
		}
	}
}

func startFailuresChild(t *testing.T, scenario string) {
	notLib := filepath.Join(t.TempDir(), "libjvm.so")
	if err := os.WriteFile(notLib, []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	jar := os.Getenv("GW_JVM_TEST_JAR")
	type step struct{ name, cfg, want string }
	good := step{"good", `{"binding.path": "` + jar + `"}`, ""}
	steps := []step{
		{"bad-libjvm", `{"binding.path": "` + jar + `", "jvm.options": {"library.path": "` + notLib + `"}}`,
			`starting the JVM (` + notLib + `): cannot load ` + notLib},
		{"no-binding", `{"binding.path": "/nonexistent-xyz/b.jar"}`,
			`gateway-java-binding.jar not found: binding.path "/nonexistent-xyz/b.jar"`},
		good,
	}
	if scenario == "bad-option" {
		steps = []step{
			{"bad-option", `{"binding.path": "` + jar + `", "jvm.options": {"additional.options": ["-Xbogus-option"]}}`,
				`starting the JVM (`},
			{"good", good.cfg, `the JVM failed to start earlier in this process and cannot be started again (restart the gateway): starting the JVM (`},
		}
	}
	ep := entrypoint("testmods.Echo", os.Getenv("GW_JVM_TEST_CLASSES"))
	for _, tc := range steps {
		l, err := Kind{}.New(tc.name, []byte(tc.cfg))
		if err != nil {
			t.Fatal(err)
		}
		lib, err := l.Load("m", ep)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := lib.Create(loader.CreateContext{Module: "m"})
		if tc.want == "" {
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			inst.Destroy()
			if !RunningJVM().Started {
				t.Fatal("JVM not started")
			}
			continue
		}
		if err == nil {
			t.Fatalf("%s: create succeeded", tc.name)
		}
		if want := `loader "` + tc.name + `": module "m": ` + tc.want; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %q\nwant prefix %q", tc.name, err, want)
		}
		if RunningJVM().Started {
			t.Fatalf("%s: JVM marked started after a failure", tc.name)
		}
	}
}
