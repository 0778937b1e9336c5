package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Java modules (the "java" loader, bindings/jvm) in the real gateway. The test modules in
// testdata/java/e2emods and ../testmodules/java/testmods are compiled once, by TestJava, into its temp dir;
// every subtest runs its own gateway.

// javaFixture is the compiled test modules.
type javaFixture struct {
	binding string // build/java/gateway-java-binding.jar
	classes string // directory of the compiled e2emods and testmods classes
	jar     string // the same classes as a jar
}

func buildJavaFixture(t *testing.T) javaFixture {
	t.Helper()
	fx := javaFixture{binding: filepath.Join(buildDir, "java", "gateway-java-binding.jar")}
	if _, err := os.Stat(fx.binding); err != nil {
		t.Skipf("no Java binding in the build (%v): build with a JDK installed", err)
	}
	javac, err := exec.LookPath("javac")
	if err != nil {
		if h := os.Getenv("JAVA_HOME"); h != "" {
			javac = filepath.Join(h, "bin", "javac")
		}
		if _, err := os.Stat(javac); err != nil {
			t.Skip("no JDK (javac) found: install openjdk-17-jdk-headless or set JAVA_HOME to run the Java e2e tests")
		}
	}
	dir := t.TempDir()
	fx.classes = filepath.Join(dir, "classes")
	// e2emods (this package's) and testmods (shared with bindings/jvm: Echo, ThrowInCtor, NotAModule).
	srcs, _ := filepath.Glob("testdata/java/e2emods/*.java")
	shared, _ := filepath.Glob("../testmodules/java/testmods/*.java")
	if len(srcs) == 0 || len(shared) == 0 {
		t.Fatal("no Java sources in testdata/java/e2emods or ../testmodules/java/testmods")
	}
	srcs = append(srcs, shared...)
	args := append([]string{"--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-cp", fx.binding, "-d", fx.classes}, srcs...)
	if out, err := exec.Command(javac, args...).CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	fx.jar = filepath.Join(dir, "e2emods.jar")
	if out, err := exec.Command(filepath.Join(filepath.Dir(javac), "jar"), "cf", fx.jar, "-C", fx.classes, ".").CombinedOutput(); err != nil {
		t.Fatalf("jar: %v\n%s", err, out)
	}
	return fx
}

// javaModule is a module entry of the java loader; class is e.g. "testmods.Echo".
func javaModule(name, class, classPath string, args any) map[string]any {
	m := map[string]any{
		"name": name,
		"loader": map[string]any{"name": "java", "entrypoint": map[string]any{
			"class.name": class, "class.path": classPath}},
	}
	if args != nil {
		m["args"] = args
	}
	return m
}

// javaConfig is a configuration with an explicit java loader (the binding jar named by binding.path, a small heap).
func (fx javaFixture) config(modules, links []map[string]any) map[string]any {
	c := config(modules, links)
	c["loaders"] = []map[string]any{{"type": "java", "name": "java", "configuration": map[string]any{
		"binding.path": fx.binding,
		"jvm.options":  map[string]any{"additional.options": []string{"-Xmx128m"}},
	}}}
	return c
}

// javaSinkReport is the report of e2emods.CountingSink.
type javaSinkReport struct {
	Received   uint64 `json:"received"`
	OutOfOrder uint64 `json:"out_of_order"`
	BadContent uint64 `json:"bad_content"`
	NoSeq      uint64 `json:"no_seq"`
	LastSeq    int64  `json:"last_seq"`
	Final      bool   `json:"final"`
	Thread     string `json:"thread"`
}

// javaPubReport is the report of e2emods.PatternPublisher.
type javaPubReport struct {
	StartOK      uint64 `json:"start_ok"`
	StartFailed  uint64 `json:"start_failed"`
	ThreadOK     uint64 `json:"thread_ok"`
	ThreadFailed uint64 `json:"thread_failed"`
	StartThread  string `json:"start_thread"`
	PubThread    string `json:"pub_thread"`
	Final        bool   `json:"final"`
}

// javaNoCrash fails if the process printed a Go panic, a fatal signal or a JVM crash report.
func javaNoCrash(t *testing.T, p *proc, dir string) {
	t.Helper()
	for _, bad := range []string{"panic:", "fatal error:", "SIGSEGV", "A fatal error has been detected by the Java Runtime"} {
		if strings.Contains(p.stderr.String(), bad) || strings.Contains(p.stdout.String(), bad) {
			t.Fatalf("output contains %q", bad)
		}
	}
	if hs, _ := filepath.Glob(filepath.Join(dir, "hs_err_pid*.log")); len(hs) > 0 {
		t.Fatalf("the JVM wrote a crash report: %v", hs)
	}
}

func TestJava(t *testing.T) {
	fx := buildJavaFixture(t)

	// native publisher -> Java echo -> native sink, lossless with content verified by the sink; native
	// publisher with chosen properties -> Java echo -> logger; a Java module's start() -> logger.
	t.Run("round trip", func(t *testing.T) {
		const count = 20000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		logPath := filepath.Join(dir, "log.txt")
		props := map[string]any{"k1": "v1", "unicode": "grüße ✓"}
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "rt"}),
			javaModule("jecho", "testmods.Echo", fx.jar, nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count}),
			nativeModule("pubp", "publisher", map[string]any{"count": 3, "size": 40, "rate": 0, "stream": "props", "properties": props}),
			javaModule("jecho2", "testmods/Echo", fx.jar, nil),
			javaModule("announcer", "e2emods.Announcer", fx.classes, map[string]any{"hello": "world"}),
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
		}, []map[string]any{
			link("pub", "jecho"), link("jecho", "sink"),
			link("pubp", "jecho2"), link("jecho2", "logger"), link("announcer", "logger"),
		}))
		eventually(t, 15*time.Second, "the sink to receive every message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= count
		})
		eventually(t, 5*time.Second, "4 messages in the log", func() bool {
			var entries []logEntry
			data, _ := os.ReadFile(logPath)
			return json.Unmarshal(data, &entries) == nil && len(entries) >= 5
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, ok := readJSON[finalSinkReport](report)
		if !ok || !r.Final || r.Received != count {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "rt", count)

		entries := readLog(t, logPath)
		if entries[0].Content != "Log started" || entries[len(entries)-1].Content != "Log stopped" {
			t.Fatalf("log not framed by Log started / Log stopped: %+v", entries)
		}
		var seqs []string
		announced := 0
		for _, e := range entries[1 : len(entries)-1] {
			content, err := base64.StdEncoding.DecodeString(e.Content)
			if err != nil {
				t.Fatalf("entry content %q: %v", e.Content, err)
			}
			switch e.Properties["stream"] {
			case "props":
				seq, _ := strconv.ParseUint(e.Properties["seq"], 10, 64)
				seqs = append(seqs, e.Properties["seq"])
				if len(e.Properties) != 5 || e.Properties["k1"] != "v1" || e.Properties["unicode"] != "grüße ✓" || e.Properties["ts_ns"] == "" {
					t.Errorf("properties through the Java echo: %v", e.Properties)
				}
				want := make([]byte, 40)
				for i := range want {
					want[i] = patternByte(seq, i)
				}
				if !bytes.Equal(content, want) {
					t.Errorf("seq %d: content through the Java echo %x, want %x", seq, content, want)
				}
			default:
				announced++
				want := map[string]string{
					"source":  "java-announcer",
					"thread":  "gateway-module-announcer",
					"unicode": "grüße ✓",
					"quote":   `a "quoted" \ value`,
					"config":  `{"hello":"world"}`,
				}
				if fmt.Sprint(e.Properties) != fmt.Sprint(want) {
					t.Errorf("properties of the Java module's message:\n got %v\nwant %v", e.Properties, want)
				}
				if wantC := []byte("java\x00\xff\x80\nend"); !bytes.Equal(content, wantC) {
					t.Errorf("content of the Java module's message %q, want %q", content, wantC)
				}
			}
		}
		if strings.Join(seqs, ",") != "0,1,2" || announced != 1 {
			t.Fatalf("log has props seqs %v and %d announcements, want 0,1,2 and 1", seqs, announced)
		}
		javaNoCrash(t, p, dir)
	})

	// Several Java modules in one gateway, chained (Java -> Java links) and fanned out to a Java and a native sink.
	t.Run("several modules", func(t *testing.T) {
		const count = 30000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		jreport := filepath.Join(dir, "jsink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "chain", "size": 128}),
			javaModule("j1", "testmods.Echo", fx.jar, nil),
			javaModule("j2", "testmods.Echo", fx.classes, nil),
			javaModule("j3", "testmods.Echo", fx.jar, nil),
			javaModule("jsink", "e2emods.CountingSink", fx.jar, map[string]any{"report": jreport, "expect": count}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count}),
		}, []map[string]any{link("pub", "j1"), link("j1", "j2"), link("j2", "j3"), link("j3", "jsink"), link("j3", "sink")}))
		eventually(t, 15*time.Second, "both sinks to receive every message", func() bool {
			r, ok := readReport(report)
			j, jok := readJSON[javaSinkReport](jreport)
			return ok && jok && r.Received >= count && j.Received >= count
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, _ := readJSON[finalSinkReport](report)
		if !r.Final || r.Received != count {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "chain", count)
		j, _ := readJSON[javaSinkReport](jreport)
		if !j.Final || j.Received != count || j.OutOfOrder != 0 || j.BadContent != 0 || j.NoSeq != 0 || j.LastSeq != count-1 {
			t.Fatalf("final Java sink report %+v", j)
		}
		if j.Thread != "gateway-module-jsink" {
			t.Errorf("Java sink received on thread %q", j.Thread)
		}
		javaNoCrash(t, p, dir)
	})

	// A Java module publishes from start() (the module thread) and from a thread of its own; the native sink
	// verifies both streams (the Java module writes the same content pattern as the native publisher).
	t.Run("publish from start and own thread", func(t *testing.T) {
		const fromStart, fromThread = 3000, 20000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		preport := filepath.Join(dir, "jpub.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			javaModule("jpub", "e2emods.PatternPublisher", fx.jar, map[string]any{
				"start_count": fromStart, "thread_count": fromThread, "size": 100, "report": preport}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": fromStart + fromThread}),
		}, []map[string]any{link("jpub", "sink")}))
		eventually(t, 15*time.Second, "the sink to receive every message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= fromStart+fromThread
		})
		eventually(t, 5*time.Second, "the publisher's report", func() bool { _, ok := readJSON[javaPubReport](preport); return ok })
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, _ := readJSON[finalSinkReport](report)
		if !r.Final || r.Received != fromStart+fromThread {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "start", fromStart)
		checkStream(t, r.sinkReport, "thread", fromThread)
		pr, _ := readJSON[javaPubReport](preport)
		want := javaPubReport{StartOK: fromStart, ThreadOK: fromThread, StartThread: "gateway-module-jpub", PubThread: "e2e-pattern-publisher", Final: true}
		if pr != want {
			t.Fatalf("publisher report (destroy writes final)\n got %+v\nwant %+v", pr, want)
		}
		javaNoCrash(t, p, dir)
	})

	// A constructor that throws fails creation: exit 1, one error line naming the module and the exception,
	// the stack trace in the log, and the modules created before it are destroyed again.
	t.Run("constructor throws", func(t *testing.T) {
		dir := t.TempDir()
		logPath := filepath.Join(dir, "log.txt")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
			javaModule("jgood", "testmods.Echo", fx.jar, nil),
			javaModule("jbad", "testmods.ThrowInCtor", fx.jar, nil),
		}, nil))
		if code := p.wait(15 * time.Second); code != 1 {
			t.Fatalf("exit code %d, want 1", code)
		}
		stderr := p.stderr.String()
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		last := lines[len(lines)-1]
		for _, want := range []string{"gateway: ", `module "jbad"`, "testmods.ThrowInCtor", "java.lang.IllegalStateException: boom in constructor"} {
			contains(t, last, want, "error line")
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "time=") && !strings.HasPrefix(l, "gateway: ") {
				t.Fatalf("stderr line is neither a log record nor the error (a raw stack trace?): %q", l)
			}
		}
		var rec string
		for _, l := range lines {
			if strings.Contains(l, `msg="Java module creation failed"`) {
				rec = l
			}
		}
		for _, want := range []string{"module=jbad", `java_stack_trace="java.lang.IllegalStateException: boom in constructor`,
			`at testmods.ThrowInCtor.<init>(ThrowInCtor.java:`, "Caused by: java.io.IOException: the cause"} {
			contains(t, rec, want, "creation failure log record")
		}
		if strings.Contains(p.stdout.String(), "successfully created") {
			t.Fatal("claimed success")
		}
		entries := readLog(t, logPath)
		if len(entries) != 2 || entries[1].Content != "Log stopped" {
			t.Fatalf("the logger created before the failing module was not destroyed: %+v", entries)
		}
	})

	// receive throws for one message: that message is lost, every later one (in the same batch and after) is
	// delivered; the log names the module and has the Java stack trace. start and destroy throw too (logged).
	t.Run("receive throws", func(t *testing.T) {
		const count, throwAt = 2000, 7
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "x", "size": 32}),
			javaModule("jthrow", "e2emods.ThrowInReceive", fx.jar, map[string]any{"throw_at": throwAt}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count - 1}),
		}, []map[string]any{link("pub", "jthrow"), link("jthrow", "sink")}))
		eventually(t, 15*time.Second, "the sink to receive every other message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= count-1
		})
		eventually(t, 5*time.Second, "the receive exception in the log", func() bool {
			return strings.Contains(p.stderr.String(), `msg="Java module receive threw"`)
		})
		code := p.stop(10 * time.Second)
		r, _ := readJSON[finalSinkReport](report)
		s := r.Streams["x"]
		if !r.Final || r.Received != count-1 || s.Lost != 1 || s.Gaps != 1 || s.LastSeq != count-1 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 {
			t.Fatalf("want every message but seq %d delivered intact: %+v", throwAt, r)
		}
		recs := map[string]string{}
		for _, l := range strings.Split(p.stderr.String(), "\n") {
			for _, m := range []string{"start", "receive", "destroy"} {
				if strings.Contains(l, `msg="Java module `+m+` threw"`) {
					recs[m] += l + "\n"
				}
			}
		}
		if strings.Count(recs["receive"], "\n") != 1 {
			t.Errorf("want one receive exception record, got:\n%s", recs["receive"])
		}
		for _, want := range []string{"module=jthrow", fmt.Sprintf("java.lang.IllegalArgumentException: boom in receive at seq %d", throwAt),
			"at e2emods.ThrowInReceive.receive(ThrowInReceive.java:"} {
			contains(t, recs["receive"], want, "receive exception record")
		}
		contains(t, recs["start"], "module=jthrow", "start exception record")
		contains(t, recs["start"], "java.lang.UnsupportedOperationException: boom in start", "start exception record")
		contains(t, recs["destroy"], "module=jthrow", "destroy exception record")
		contains(t, recs["destroy"], "java.lang.IllegalStateException: boom in destroy", "destroy exception record")
		if code != 0 {
			t.Fatalf("exit code %d (exceptions in Java start/receive/destroy are logged, not fatal)", code)
		}
		javaNoCrash(t, p, dir)
	})

	// Entry points and loader settings that cannot work fail creation with one line naming the module.
	t.Run("bad entry points", func(t *testing.T) {
		notALib := filepath.Join(t.TempDir(), "libjvm.so")
		if err := os.WriteFile(notALib, []byte("not a library\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		withLoader := func(jvmOptions map[string]any, binding string) map[string]any {
			c := config([]map[string]any{javaModule("jx", "testmods.Echo", fx.jar, nil)}, nil)
			c["loaders"] = []map[string]any{{"type": "java", "name": "java", "configuration": map[string]any{
				"binding.path": binding, "jvm.options": jvmOptions}}}
			return c
		}
		cases := []struct {
			name string
			cfg  map[string]any
			want []string
		}{
			{"class not found", fx.config([]map[string]any{javaModule("jx", "e2emods/Nope", fx.jar, nil)}, nil),
				[]string{"e2emods.Nope", "ClassNotFoundException"}},
			{"class not a module", fx.config([]map[string]any{javaModule("jx", "testmods.NotAModule", fx.classes, nil)}, nil),
				[]string{"testmods.NotAModule", "does not implement com.microsoft.azure.gateway.core.IGatewayModule"}},
			{"abstract class", fx.config([]map[string]any{javaModule("jx", "com.microsoft.azure.gateway.core.GatewayModule", fx.jar, nil)}, nil),
				[]string{"com.microsoft.azure.gateway.core.GatewayModule", "InstantiationException"}},
			{"bad class path", fx.config([]map[string]any{javaModule("jx", "testmods.Echo", fx.jar+":/nonexistent/missing.jar", nil)}, nil),
				[]string{"class.path", "/nonexistent/missing.jar"}},
			{"missing class.name", fx.config([]map[string]any{{"name": "jx", "loader": map[string]any{"name": "java", "entrypoint": map[string]any{"class.path": fx.jar}}}}, nil),
				[]string{"class.name"}},
			{"libjvm not found", withLoader(map[string]any{"library.path": "/nonexistent/lib/server/libjvm.so"}, fx.binding),
				[]string{"libjvm.so", "/nonexistent/lib/server/libjvm.so"}},
			{"libjvm not a library", withLoader(map[string]any{"library.path": notALib}, fx.binding),
				[]string{notALib}},
			{"binding jar not found", withLoader(map[string]any{}, "/nonexistent/gateway-java-binding.jar"),
				[]string{"/nonexistent/gateway-java-binding.jar"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				dir := t.TempDir()
				p := gateway(t, dir, tc.cfg)
				if code := p.wait(15 * time.Second); code != 1 {
					t.Fatalf("exit code %d, want 1", code)
				}
				lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
				last := lines[len(lines)-1]
				if !strings.HasPrefix(last, "gateway: ") {
					t.Fatalf("last stderr line is not the reason: %q", last)
				}
				t.Log(last)
				contains(t, last, `module "jx"`, "error line")
				for _, w := range tc.want {
					contains(t, last, w, "error line")
				}
				if strings.Contains(p.stdout.String(), "successfully created") {
					t.Fatal("claimed success")
				}
				javaNoCrash(t, p, dir)
			})
		}
	})

	// Throughput sanity: 200000 unpaced messages from a native publisher into a Java sink that checks each one.
	t.Run("throughput", func(t *testing.T) {
		const count = 200000
		dir := t.TempDir()
		jreport := filepath.Join(dir, "jsink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			javaModule("jsink", "e2emods.CountingSink", fx.jar, map[string]any{"report": jreport, "expect": count}),
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "t"}),
		}, []map[string]any{link("pub", "jsink")}))
		began := time.Now()
		eventually(t, 18*time.Second, "the Java sink to receive every message", func() bool {
			j, ok := readJSON[javaSinkReport](jreport)
			return ok && j.Received >= count
		})
		t.Logf("%d messages into a Java sink in %v (including JVM start)", count, time.Since(began).Round(time.Millisecond))
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		j, _ := readJSON[javaSinkReport](jreport)
		if !j.Final || j.Received != count || j.OutOfOrder != 0 || j.BadContent != 0 || j.NoSeq != 0 || j.LastSeq != count-1 {
			t.Fatalf("final Java sink report %+v", j)
		}
		javaNoCrash(t, p, dir)
	})

	// Under load (floods through and out of Java modules, a small heap so the JVM collects garbage all the time),
	// stopping the gateway is clean: exit 0, no crash output, every accepted message delivered.
	t.Run("clean exit under load", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		jreport := filepath.Join(dir, "jsink.json")
		preport := filepath.Join(dir, "jpub.json")
		cfg := fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": 0, "rate": 0, "stream": "f"}),
			javaModule("jecho", "testmods.Echo", fx.jar, nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 20}),
			javaModule("jpub", "e2emods.PatternPublisher", fx.jar, map[string]any{"thread_count": 0, "size": 512, "report": preport}),
			javaModule("jsink", "e2emods.CountingSink", fx.jar, map[string]any{"report": jreport, "report_every": 10000}),
		}, []map[string]any{link("pub", "jecho"), link("jecho", "sink"), link("jpub", "jsink")})
		cfg["loaders"].([]map[string]any)[0]["configuration"].(map[string]any)["jvm.options"] =
			map[string]any{"additional.options": []string{"-Xmx24m", "-XX:+UseSerialGC"}}
		p := gateway(t, dir, cfg)
		eventually(t, 15*time.Second, "messages flowing through both paths", func() bool {
			r, ok := readReport(report)
			j, jok := readJSON[javaSinkReport](jreport)
			return ok && jok && r.Received >= 100000 && j.Received >= 50000
		})
		if code := p.stop(15 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		javaNoCrash(t, p, dir)
		r, _ := readJSON[finalSinkReport](report)
		s := r.Streams["f"]
		if !r.Final || s.Lost != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 || uint64(s.LastSeq+1) != s.Received {
			t.Fatalf("final native sink report %+v", r)
		}
		j, _ := readJSON[javaSinkReport](jreport)
		pr, _ := readJSON[javaPubReport](preport)
		if !j.Final || !pr.Final || j.Received != pr.ThreadOK || j.OutOfOrder != 0 || j.BadContent != 0 {
			t.Fatalf("every message the Java publisher got accepted must reach the Java sink: sink %+v, publisher %+v", j, pr)
		}
	})

	// A crash in native module code after the JVM started still reaches the gateway's crash reporter (which
	// names the module) and the Go runtime: the JVM's signal handlers chain to the ones installed before them.
	t.Run("native crash after JVM start", func(t *testing.T) {
		dir := t.TempDir()
		p := gateway(t, dir, fx.config([]map[string]any{
			javaModule("jecho", "testmods.Echo", fx.jar, nil),
			nativeModule("pub", "publisher", map[string]any{"rate": 1000, "stream": "s"}),
			nativeModule("crasher", "crash_receive", map[string]any{"after": 5}),
		}, []map[string]any{link("pub", "jecho"), link("jecho", "crasher")}))
		code := p.wait(15 * time.Second)
		if code == 0 {
			t.Fatal("gateway survived a SIGSEGV in a module?")
		}
		stderr := p.stderr.String()
		contains(t, stderr, `gateway: fatal: SIGSEGV in module "crasher" (in Module_Receive)`, "crash report")
		contains(t, stderr, "SIGSEGV: segmentation violation", "the Go runtime's report")
		if hs, _ := filepath.Glob(filepath.Join(dir, "hs_err_pid*.log")); len(hs) > 0 {
			t.Fatalf("the JVM claimed the crash (wrote %v) instead of chaining to the gateway's handler", hs)
		}
	})

	// SIGTERM: exit 0, every module destroyed (logger writes Log stopped, Java destroy() writes final reports),
	// and every message accepted before the stop delivered.
	t.Run("SIGTERM", func(t *testing.T) {
		dir := t.TempDir()
		logPath := filepath.Join(dir, "log.txt")
		jreport := filepath.Join(dir, "jsink.json")
		preport := filepath.Join(dir, "jpub.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			javaModule("jpub", "e2emods.PatternPublisher", fx.jar, map[string]any{"thread_count": 0, "pause_ms": 1, "size": 16, "report": preport}),
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
			javaModule("jsink", "e2emods.CountingSink", fx.jar, map[string]any{"report": jreport, "report_every": 10}),
		}, []map[string]any{link("jpub", "logger"), link("jpub", "jsink")}))
		eventually(t, 15*time.Second, "messages flowing", func() bool {
			j, ok := readJSON[javaSinkReport](jreport)
			return ok && j.Received >= 30
		})
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := p.wait(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		entries := readLog(t, logPath)
		if entries[len(entries)-1].Content != "Log stopped" {
			t.Fatal("the logger was not destroyed")
		}
		j, _ := readJSON[javaSinkReport](jreport)
		pr, _ := readJSON[javaPubReport](preport)
		if !j.Final || !pr.Final {
			t.Fatalf("Java destroy() did not run: sink %+v, publisher %+v", j, pr)
		}
		if logged := uint64(len(entries) - 2); j.Received != pr.ThreadOK || logged != pr.ThreadOK || j.OutOfOrder != 0 || j.BadContent != 0 {
			t.Fatalf("accepted %d messages, the Java sink got %d, the logger %d (sink %+v)", pr.ThreadOK, j.Received, logged, j)
		}
		javaNoCrash(t, p, dir)
	})

	// samples/java_sample.json (paths made absolute) runs and the Java sensor's messages reach the logger and the
	// Java printer. The binding jar is found beside the executable, as for a user running the sample.
	t.Run("sample", func(t *testing.T) {
		data, err := os.ReadFile("../samples/java_sample.json")
		if err != nil {
			t.Fatal(err)
		}
		var cfg any
		if err := json.Unmarshal(data, &cfg); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		logPath := filepath.Join(dir, "java_log.txt")
		var rewrite func(v any) any
		rewrite = func(v any) any {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					x[k] = rewrite(e)
				}
			case []any:
				for i, e := range x {
					x[i] = rewrite(e)
				}
			case string:
				if strings.HasPrefix(x, "build/") {
					return filepath.Join(buildDir, strings.TrimPrefix(x, "build/"))
				}
				if x == "java_log.txt" {
					return logPath
				}
			}
			return v
		}
		cfg = rewrite(cfg)
		if !strings.Contains(fmt.Sprint(cfg), logPath) || !strings.Contains(fmt.Sprint(cfg), filepath.Join(buildDir, "java", "gateway-java-samples.jar")) {
			t.Fatalf("the sample changed shape; rewritten config: %v", cfg)
		}
		p := gateway(t, dir, cfg)
		sensor := func() []logEntry {
			var entries, out []logEntry
			data, _ := os.ReadFile(logPath)
			_ = json.Unmarshal(data, &entries)
			for _, e := range entries {
				if e.Properties["source"] == "sensor" {
					out = append(out, e)
				}
			}
			return out
		}
		eventually(t, 10*time.Second, "two sensor messages in the log", func() bool { return len(sensor()) >= 2 })
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		for i, e := range sensor() {
			raw, err := base64.StdEncoding.DecodeString(e.Content)
			var reading struct {
				Temperature *float64 `json:"temperature"`
				Sequence    int      `json:"sequence"`
			}
			if err != nil || json.Unmarshal(raw, &reading) != nil || reading.Temperature == nil ||
				reading.Sequence != i+1 || e.Properties["sequence"] != strconv.Itoa(i+1) {
				t.Fatalf("sensor message %d: properties %v, content %q", i, e.Properties, raw)
			}
		}
		contains(t, p.stdout.String(), "Printer: message 1: source=sensor sequence=1", "the Java printer's output")
		entries := readLog(t, logPath)
		if entries[len(entries)-1].Content != "Log stopped" {
			t.Fatal("the logger was not destroyed")
		}
		javaNoCrash(t, p, dir)
	})
}
