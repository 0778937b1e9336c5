package dotnet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
)

func TestRoundTrip(t *testing.T) {
	h := newHarness(t)
	src := h.source("src")
	h.mustDotnet("echo", "TestModules.Echo", str(`{"tag":"dotnet"}`))
	out := h.sink("out")
	h.link("src", "echo")
	h.link("echo", "out")

	publish(t, src, "hello", "source", "sensor1", "type", "temp")
	publish(t, src, "", "empty", "")
	publish(t, src, "üñíçødé ☃", "ключ", "значение")
	got := out.wait(t, 3, 10*time.Second)
	want := []abi.Message{
		{Content: []byte("hello"), Properties: props("source", "sensor1", "type", "temp", "via", "dotnet")},
		{Content: []byte{}, Properties: props("empty", "", "via", "dotnet")},
		{Content: []byte("üñíçødé ☃"), Properties: props("ключ", "значение", "via", "dotnet")},
	}
	for i := range want {
		if !bytes.Equal(got[i].Content, want[i].Content) || fmt.Sprint(got[i].Properties) != fmt.Sprint(want[i].Properties) {
			t.Errorf("message %d: got %q %v, want %q %v", i, got[i].Content, got[i].Properties, want[i].Content, want[i].Properties)
		}
	}
}

// The managed Message must parse and produce the SDK byte format bit for bit.
func TestManagedByteFormat(t *testing.T) {
	h := newHarness(t)
	src := h.source("src")
	h.mustDotnet("reser", "TestModules.Reserialize", nil)
	out := h.sink("out")
	h.link("src", "reser")
	h.link("reser", "out")

	vector, _ := hex.DecodeString("a160" + "0000002c" + "00000002" + "736f7572636500" + "73656e736f723100" + "7479706500" + "74656d7000" + "00000005" + "68656c6c6f")
	big := strings.Repeat("x", 70000)
	cases := []struct {
		content string
		kv      []string
	}{
		{"hello", []string{"source", "sensor1", "type", "temp"}},
		{"hello world", []string{"helloWorld", "from Azure IoT Gateway SDK simple sample!"}},
		{"", nil},
		{big, []string{"k", big[:300]}},
	}
	for _, c := range cases {
		publish(t, src, c.content, c.kv...)
	}
	got := out.wait(t, len(cases), 10*time.Second)
	for i, c := range cases {
		m := newMsg(t, c.content, c.kv...)
		want, err := m.Bytes()
		m.Release()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && !bytes.Equal(want, vector) {
			t.Fatalf("test vector mismatch in cshim: %x", want)
		}
		if !bytes.Equal(got[i].Content, want) {
			t.Errorf("case %d: managed ToByteArray gave %d bytes %x..., want %d bytes %x...", i, len(got[i].Content), head(got[i].Content), len(want), head(want))
		}
	}
}

func head(b []byte) []byte {
	if len(b) > 48 {
		return b[:48]
	}
	return b
}

func TestSeveralModules(t *testing.T) {
	h := newHarness(t)
	src := h.source("src")
	h.mustDotnet("a", "TestModules.Echo", str(`{"tag":"a"}`))
	h.mustDotnet("b", "TestModules.Echo", nil)
	h.mustDotnet("c", "TestModules.Throwing", nil)
	h.mustDotnet("count", "TestModules.CountingSink", str(`{"expect": 300}`))
	out := h.sink("out")
	done := h.sink("done")
	h.link("src", "a")
	h.link("a", "b")
	h.link("b", "c")
	h.link("c", "out")
	h.link("src", "count")
	h.link("count", "done")
	for i := 0; i < 300; i++ {
		publish(t, src, fmt.Sprint("m", i), "i", fmt.Sprint(i))
	}
	got := out.wait(t, 300, 20*time.Second)
	for i, m := range got {
		if string(m.Content) != fmt.Sprint("m", i) || prop(m, "i") != fmt.Sprint(i) || prop(m, "via") != "a" {
			t.Fatalf("message %d out of order or wrong: %q %v", i, m.Content, m.Properties)
		}
	}
	d := done.wait(t, 1, 10*time.Second)
	if prop(d[0], "count") != "300" {
		t.Errorf("counting sink: %v", d[0].Properties)
	}
}

func TestStart(t *testing.T) {
	h := newHarness(t)
	src := h.source("src")
	with := h.mustDotnet("with", "TestModules.Starter", str(`{"x":"é","n":[1,2]}`))
	nullArgs := h.mustDotnet("nullargs", "TestModules.Starter", nil)
	without := h.mustDotnet("without", "TestModules.NoStart", nil)
	out := h.sink("out")
	for _, n := range []string{"with", "nullargs", "without"} {
		h.link("src", n)
		h.link(n, "out")
	}
	with.Start()
	nullArgs.Start()
	without.Start()
	got := out.wait(t, 2, 10*time.Second)
	byContent := map[string]bool{}
	for _, m := range got {
		if prop(m, "event") != "started" {
			t.Fatalf("unexpected message before any input: %q %v", m.Content, m.Properties)
		}
		byContent[string(m.Content)] = true
	}
	if !byContent[`{"x":"é","n":[1,2]}`] || !byContent["<null>"] {
		t.Errorf("Start saw configurations %v", byContent)
	}
	// One message to everyone: three "received" replies, and never "wrongly-started".
	publish(t, src, "ping")
	got = out.wait(t, 5, 10*time.Second)
	for _, m := range got {
		if prop(m, "event") == "wrongly-started" {
			t.Fatal("Start was called on a module that does not implement IGatewayModuleStart")
		}
	}
}

func TestPublishFromManagedThreads(t *testing.T) {
	for _, mode := range []string{"timer", "task", "thread"} {
		t.Run(mode, func(t *testing.T) {
			h := newHarness(t)
			const n = 2000
			p := h.mustDotnet("pub", "TestModules.Publisher", str(fmt.Sprintf(`{"count": %d, "mode": %q, "threads": 4}`, n, mode)))
			out := h.sink("out")
			h.link("pub", "out")
			p.Start()
			got := out.wait(t, n, 30*time.Second)
			seen := map[string]bool{}
			for _, m := range got {
				if prop(m, "mode") != mode || string(m.Content) != "tick "+prop(m, "seq") {
					t.Fatalf("bad message %q %v", m.Content, m.Properties)
				}
				seen[prop(m, "seq")] = true
			}
			if len(seen) != n {
				t.Errorf("got %d distinct messages, want %d", len(seen), n)
			}
		})
	}
}

func TestThrowingModules(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		typ  string
		want []string
	}{
		{"TestModules.ThrowingCtor", []string{`module "ctor"`, "create", "constructor of TestModules.ThrowingCtor threw", "ctor boom"}},
		{"TestModules.ThrowingCreate", []string{`module "create"`, "TestModules.ThrowingCreate.Create threw", "create boom"}},
	} {
		name := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(c.typ, "TestModules.Throwing"), "TestModules."))
		_, err := h.addDotnet(name, "TestModules", c.typ, nil)
		if err == nil {
			t.Fatalf("%s: created", c.typ)
		}
		var me *Error
		if !errors.As(err, &me) {
			t.Fatalf("%s: error %T %v is not *Error", c.typ, err, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", c.typ, err, w)
			}
		}
		// The stack is kept in Text and logged with the module name.
		if !strings.Contains(me.Text, "  at ") {
			t.Errorf("%s: no stack trace in %q", c.typ, me.Text)
		}
		waitLog(t, 5*time.Second, "module="+name, "creating the .NET module failed")
	}

	// Receive throwing for some messages: the others are still delivered.
	src := h.source("src")
	thr := h.mustDotnet("thrower", "TestModules.Throwing", str(`{"start": 1, "destroy": 1}`))
	out := h.sink("out")
	h.link("src", "thrower")
	h.link("thrower", "out")
	thr.Start()
	waitLog(t, 5*time.Second, "module=thrower", "Start threw", "start boom")
	publish(t, src, "one")
	publish(t, src, "bad", "throw", "1")
	publish(t, src, "two")
	got := out.wait(t, 2, 10*time.Second)
	if string(got[0].Content) != "one" || string(got[1].Content) != "two" {
		t.Errorf("got %q, %q", got[0].Content, got[1].Content)
	}
	waitLog(t, 5*time.Second, "module=thrower", "Receive threw: System.FormatException: receive boom", "TestModules.Throwing.Receive")
	h.close()
	waitLog(t, 5*time.Second, "module=thrower", "Destroy threw", "destroy boom")
}

func TestBadEntryPoints(t *testing.T) {
	h := newHarness(t)
	// Errors found by Load (no runtime needed).
	for _, c := range []struct {
		ep   string
		want string
	}{
		{``, `loader "dotnet": module "m": invalid entrypoint: missing "entrypoint"`},
		{`{"entry.type": "X"}`, `module "m": invalid entrypoint: entrypoint: missing "assembly.name"`},
		{`{"assembly.name": "TestModules"}`, `missing "entry.type"`},
		{`{"assembly.name": 3, "entry.type": "X"}`, `"assembly.name" must be a non-empty string`},
		{`{"assembly.name": "Nope", "entry.type": "X"}`, `loader "dotnet": module "m": assembly.name "Nope": not found in [` + testDir},
		{`{"assembly.name": "/no/such/Nope.dll", "entry.type": "X"}`, `assembly.name "/no/such/Nope.dll": not found: /no/such/Nope.dll`},
	} {
		_, err := h.ldr.Load("m", []byte(c.ep))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s): error %v, want it to contain %q", c.ep, err, c.want)
		}
		if err := h.ldr.(*Loader).Check("m", []byte(c.ep)); err == nil {
			t.Errorf("Check(%s): no error", c.ep)
		}
	}
	// Errors found by the runtime (Create, and Check once the runtime runs).
	h.mustDotnet("first", "TestModules.Echo", nil) // the runtime is running from here on
	for _, c := range []struct {
		typ  string
		want string
	}{
		{"TestModules.NoSuchType", `entry.type "TestModules.NoSuchType": no such type in assembly "TestModules"`},
		{"TestModules.NotAModule", "does not implement Microsoft.Azure.IoT.Gateway.IGatewayModule"},
		{"TestModules.NoDefaultCtor", "has no public parameterless constructor"},
		{"TestModules.AbstractModule", "is abstract"},
	} {
		_, err := h.addDotnet("bad", "TestModules", c.typ, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `module "bad"`) {
			t.Errorf("Create(%s): error %v, want it to contain %q", c.typ, err, c.want)
		}
		err = h.ldr.(*Loader).Check("bad", entryJSON("TestModules", c.typ))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%s): error %v, want it to contain %q", c.typ, err, c.want)
		}
	}
	if err := h.ldr.(*Loader).Check("ok", entryJSON("TestModules", "TestModules.Echo")); err != nil {
		t.Errorf("Check(Echo): %v", err)
	}
}

func TestGoPanicRecoveredAfterCLR(t *testing.T) {
	h := newHarness(t)
	in := h.mustDotnet("echo", "TestModules.Echo", nil) // the CLR runs from here on
	nilDeref := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		var p *struct{ x int }
		p.x = 1
		return nil
	}
	if err := nilDeref(); err == nil || !strings.Contains(err.Error(), "nil pointer dereference") {
		t.Fatalf("on a test goroutine: %v", err)
	}
	// On a thread attached to the runtime.
	var werr error
	in.w.do(&call{fn: func() { werr = nilDeref() }, done: make(chan struct{}, 1)})
	if werr == nil || !strings.Contains(werr.Error(), "nil pointer dereference") {
		t.Fatalf("on a worker thread: %v", werr)
	}
	in.rt.control(func() { werr = nilDeref() })
	if werr == nil || !strings.Contains(werr.Error(), "nil pointer dereference") {
		t.Fatalf("on the runtime thread: %v", werr)
	}
}
