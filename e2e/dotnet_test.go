package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// .NET modules (the "dotnet" loader, bindings/dotnet, Mono) in the real gateway. The test modules in
// testdata/dotnet are compiled with mcs into a temp dir by each top-level test; every subtest runs its own gateway.

// dotnetFixture is the binding's assemblies in the build and the compiled test modules.
type dotnetFixture struct {
	bindingDir string // build/dotnet: Microsoft.Azure.IoT.Gateway.dll and the samples
	modsDir    string // directory of E2EMods.dll
}

func dotnetBuildFixture(t *testing.T) dotnetFixture {
	t.Helper()
	fx := dotnetFixture{bindingDir: filepath.Join(buildDir, "dotnet")}
	binding := filepath.Join(fx.bindingDir, "Microsoft.Azure.IoT.Gateway.dll")
	if _, err := os.Stat(binding); err != nil {
		t.Skipf("no .NET binding in the build (%v): build with Mono (mono-mcs) installed", err)
	}
	mcs, err := exec.LookPath("mcs")
	if err != nil {
		t.Skip("no mcs: apt-get install mono-mcs libmono-2.0-dev to run the .NET e2e tests")
	}
	srcs, _ := filepath.Glob("testdata/dotnet/*.cs")
	if len(srcs) == 0 {
		t.Fatal("no C# sources in testdata/dotnet")
	}
	fx.modsDir = t.TempDir()
	args := append([]string{"-nologo", "-target:library", "-warnaserror+", "-langversion:7",
		"-r:" + binding, "-out:" + filepath.Join(fx.modsDir, "E2EMods.dll")}, srcs...)
	if out, err := exec.Command(mcs, args...).CombinedOutput(); err != nil {
		t.Fatalf("mcs: %v\n%s", err, out)
	}
	return fx
}

// dotnetLoader is the dotnet loader entry: the binding from the build, assemblies searched in the test modules'
// directory and then in build/dotnet (the samples).
func (fx dotnetFixture) dotnetLoader() map[string]any {
	return map[string]any{"type": "dotnet", "name": "dotnet", "configuration": map[string]any{
		"binding.path":  fx.bindingDir,
		"assembly.path": []string{fx.modsDir, fx.bindingDir},
	}}
}

func (fx dotnetFixture) config(modules, links []map[string]any) map[string]any {
	c := config(modules, links)
	c["loaders"] = []map[string]any{fx.dotnetLoader()}
	return c
}

// dotnetModule is a module entry of the dotnet loader.
func dotnetModule(name, assembly, typ string, args any) map[string]any {
	m := map[string]any{
		"name": name,
		"loader": map[string]any{"name": "dotnet", "entrypoint": map[string]any{
			"assembly.name": assembly, "entry.type": typ}},
	}
	if args != nil {
		m["args"] = args
	}
	return m
}

// dotnetMod is a module of the compiled test assembly; class is e.g. "Echo" (E2EMods.Echo).
func dotnetMod(name, class string, args any) map[string]any {
	return dotnetModule(name, "E2EMods", "E2EMods."+class, args)
}

// dotnetSinkReport is the report of E2EMods.CountingSink.
type dotnetSinkReport struct {
	Received   uint64 `json:"received"`
	OutOfOrder uint64 `json:"out_of_order"`
	BadContent uint64 `json:"bad_content"`
	NoSeq      uint64 `json:"no_seq"`
	LastSeq    int64  `json:"last_seq"`
	Final      bool   `json:"final"`
}

// dotnetPubReport is the report of E2EMods.PatternPublisher.
type dotnetPubReport struct {
	Published      uint64 `json:"published"`
	StartThread    int    `json:"start_thread"`
	PubThreads     []int  `json:"pub_threads"`
	AllPoolThreads bool   `json:"all_pool_threads"`
	InTask         bool   `json:"in_task"`
	Final          bool   `json:"final"`
}

// dotnetCheckSink fails unless the C# counting sink's final report has exactly n messages, in order and intact.
func dotnetCheckSink(t *testing.T, path string, n uint64) {
	t.Helper()
	r, ok := readJSON[dotnetSinkReport](path)
	want := dotnetSinkReport{Received: n, LastSeq: int64(n) - 1, Final: true}
	if !ok || r != want {
		t.Fatalf("final report of the C# sink (Destroy writes final)\n got %+v\nwant %+v", r, want)
	}
}

// dotnetNoCrash fails if the process printed a Go panic, a fatal signal or a Mono crash report.
func dotnetNoCrash(t *testing.T, p *proc) {
	t.Helper()
	for _, bad := range []string{"panic:", "fatal error:", "SIGSEGV", "SIGABRT", "Native Crash Reporting",
		"Got a SIGSEGV while executing native code", "Unhandled Exception", "A fatal error has been detected by the Java Runtime"} {
		if strings.Contains(p.stderr.String(), bad) || strings.Contains(p.stdout.String(), bad) {
			t.Fatalf("output contains %q", bad)
		}
	}
}

// dotnetErrorLine checks that a failed gateway's stderr holds only log records and one final error line, and
// returns that line and the stderr lines.
func dotnetErrorLine(t *testing.T, p *proc) (string, []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "gateway: ") {
		t.Fatalf("last stderr line is not the reason: %q", last)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "time=") && !strings.HasPrefix(l, "gateway: ") {
			t.Fatalf("stderr line is neither a log record nor the error (a raw stack trace?): %q", l)
		}
	}
	if strings.Contains(p.stdout.String(), "successfully created") {
		t.Fatal("claimed success")
	}
	return last, lines
}

// dotnetExists reports whether path exists.
func dotnetExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestDotnet(t *testing.T) {
	fx := dotnetBuildFixture(t)

	// Native publishers (small and 3 MiB messages) -> C# echo -> native sink, lossless with the content verified by
	// the sink; a native publisher with chosen properties -> C# echo -> logger (properties and content preserved);
	// a C# module's Start -> logger.
	t.Run("round trip", func(t *testing.T) {
		const count, bigCount = 20000, 10
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		logPath := filepath.Join(dir, "log.txt")
		marker := filepath.Join(dir, "announcer")
		props := map[string]any{"k1": "v1", "unicode": "grüße ✓", "quote": `a "quoted" \ value`}
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "rt"}),
			nativeModule("pubbig", "publisher", map[string]any{"count": bigCount, "size": 3 << 20, "rate": 0, "stream": "big"}),
			dotnetMod("decho", "Echo", nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count + bigCount}),
			nativeModule("pubp", "publisher", map[string]any{"count": 3, "size": 40, "rate": 0, "stream": "props", "properties": props}),
			dotnetMod("decho2", "Echo", nil),
			dotnetMod("announcer", "WithStart", map[string]any{"marker": marker}),
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
		}, []map[string]any{
			link("pub", "decho"), link("pubbig", "decho"), link("decho", "sink"),
			link("pubp", "decho2"), link("decho2", "logger"), link("announcer", "logger"),
		}))
		eventually(t, 15*time.Second, "the sink to receive every message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= count+bigCount
		})
		eventually(t, 5*time.Second, "4 messages in the log", func() bool { // and "Log started"
			var entries []logEntry
			data, _ := os.ReadFile(logPath)
			return json.Unmarshal(data, &entries) == nil && len(entries) >= 5
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, ok := readJSON[finalSinkReport](report)
		if !ok || !r.Final || r.Received != count+bigCount {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "rt", count)
		checkStream(t, r.sinkReport, "big", bigCount)

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
				if len(e.Properties) != 6 || e.Properties["k1"] != "v1" || e.Properties["unicode"] != "grüße ✓" ||
					e.Properties["quote"] != `a "quoted" \ value` || e.Properties["ts_ns"] == "" {
					t.Errorf("properties through the C# echo: %v", e.Properties)
				}
				want := make([]byte, 40)
				for i := range want {
					want[i] = patternByte(seq, i)
				}
				if !bytes.Equal(content, want) {
					t.Errorf("seq %d: content through the C# echo %x, want %x", seq, content, want)
				}
			default:
				announced++
				if want := map[string]string{"event": "started", "module": marker}; !maps.Equal(e.Properties, want) || string(content) != "started" {
					t.Errorf("the C# module's message: properties %v, content %q", e.Properties, content)
				}
			}
		}
		if strings.Join(seqs, ",") != "0,1,2" || announced != 1 {
			t.Fatalf("log has props seqs %v and %d announcements, want 0,1,2 and 1", seqs, announced)
		}
		dotnetNoCrash(t, p)
	})

	// Several .NET modules in one gateway, chained (C# -> C# links) and fanned out to a C# and a native sink.
	t.Run("several modules", func(t *testing.T) {
		const count = 30000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		dreport := filepath.Join(dir, "dsink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "chain", "size": 128}),
			dotnetMod("d1", "Echo", nil),
			dotnetMod("d2", "Echo", nil),
			dotnetMod("d3", "Echo", nil),
			dotnetMod("dsink", "CountingSink", map[string]any{"report": dreport, "expect": count}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count}),
		}, []map[string]any{link("pub", "d1"), link("d1", "d2"), link("d2", "d3"), link("d3", "dsink"), link("d3", "sink")}))
		eventually(t, 15*time.Second, "both sinks to receive every message", func() bool {
			r, ok := readReport(report)
			d, dok := readJSON[dotnetSinkReport](dreport)
			return ok && dok && r.Received >= count && d.Received >= count
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, _ := readJSON[finalSinkReport](report)
		if !r.Final {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "chain", count)
		dotnetCheckSink(t, dreport, count)
		dotnetNoCrash(t, p)
	})

	// Start is called only on modules implementing IGatewayModuleStart (a public Start method is not enough);
	// Destroy is called on both.
	t.Run("IGatewayModuleStart", func(t *testing.T) {
		dir := t.TempDir()
		with, without := filepath.Join(dir, "with"), filepath.Join(dir, "without")
		// without is first: modules start in array order, so its Start would have run before with's.
		p := gateway(t, dir, fx.config([]map[string]any{
			dotnetMod("without", "WithoutStart", map[string]any{"marker": without}),
			dotnetMod("with", "WithStart", map[string]any{"marker": with}),
		}, nil))
		eventually(t, 10*time.Second, "Start of the module implementing IGatewayModuleStart", func() bool {
			return dotnetExists(with + ".start")
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		for path, want := range map[string]bool{
			with + ".create": true, with + ".start": true, with + ".destroy": true,
			without + ".create": true, without + ".start": false, without + ".destroy": true,
		} {
			if dotnetExists(path) != want {
				t.Errorf("%s exists: %v, want %v", filepath.Base(path), !want, want)
			}
		}
		dotnetNoCrash(t, p)
	})

	// Publishing from a System.Threading.Timer callback (thread-pool threads) and from a Task: every message
	// reaches the native sink in order and intact.
	t.Run("timer and task publishers", func(t *testing.T) {
		const count = 20000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		treport, kreport := filepath.Join(dir, "timer.json"), filepath.Join(dir, "task.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": 2 * count}),
			dotnetMod("dtimer", "PatternPublisher", map[string]any{"mode": "timer", "count": count, "per_tick": 200, "size": 100, "stream": "timer", "report": treport}),
			dotnetMod("dtask", "PatternPublisher", map[string]any{"mode": "task", "count": count, "size": 100, "stream": "task", "report": kreport}),
		}, []map[string]any{link("dtimer", "sink"), link("dtask", "sink")}))
		eventually(t, 15*time.Second, "the sink to receive every message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= 2*count
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, _ := readJSON[finalSinkReport](report)
		if !r.Final || r.Received != 2*count {
			t.Fatalf("final sink report %+v", r)
		}
		checkStream(t, r.sinkReport, "timer", count)
		checkStream(t, r.sinkReport, "task", count)
		tr, _ := readJSON[dotnetPubReport](treport)
		if !tr.Final || tr.Published != count || !tr.AllPoolThreads || len(tr.PubThreads) == 0 || slices.Contains(tr.PubThreads, tr.StartThread) {
			t.Fatalf("timer publisher: want %d published from thread-pool threads other than Start's, got %+v", count, tr)
		}
		kr, _ := readJSON[dotnetPubReport](kreport)
		if !kr.Final || kr.Published != count || !kr.InTask || len(kr.PubThreads) == 0 || slices.Contains(kr.PubThreads, kr.StartThread) {
			t.Fatalf("task publisher: want %d published inside a Task on other threads than Start's, got %+v", count, kr)
		}
		dotnetNoCrash(t, p)
	})

	// A constructor or Create that throws fails creation: exit 1, one error line naming the module and the
	// managed exception, the stack in the log, and the modules created before it are destroyed again.
	t.Run("create fails", func(t *testing.T) {
		cases := []struct {
			class string
			want  []string // in the error line
			stack []string // in the log record
		}{
			{"ThrowInCtor", []string{"E2EMods.ThrowInCtor", "System.InvalidOperationException: boom in the constructor of ThrowInCtor"},
				[]string{"at E2EMods.ThrowInCtor..ctor ()"}},
			{"ThrowInCreate", []string{"E2EMods.ThrowInCreate.Create threw", `System.ApplicationException: boom in Create: bad configuration {"x":1}`},
				[]string{"at E2EMods.ThrowInCreate.Validate (System.Byte[] configuration)", "at E2EMods.ThrowInCreate.Create (Microsoft.Azure.IoT.Gateway.Broker broker, System.Byte[] configuration)"}},
		}
		for _, tc := range cases {
			t.Run(tc.class, func(t *testing.T) {
				dir := t.TempDir()
				logPath := filepath.Join(dir, "log.txt")
				marker := filepath.Join(dir, "good")
				p := gateway(t, dir, fx.config([]map[string]any{
					nativeModule("logger", "logger", map[string]any{"filename": logPath}),
					dotnetMod("dgood", "WithoutStart", map[string]any{"marker": marker}),
					dotnetMod("dbad", tc.class, map[string]any{"x": 1}),
				}, nil))
				if code := p.wait(15 * time.Second); code != 1 {
					t.Fatalf("exit code %d, want 1", code)
				}
				last, lines := dotnetErrorLine(t, p)
				t.Log(last)
				contains(t, last, `module "dbad"`, "error line")
				for _, w := range tc.want {
					contains(t, last, w, "error line")
				}
				var rec string
				for _, l := range lines {
					if strings.Contains(l, `msg="creating the .NET module failed"`) {
						rec = l
					}
				}
				contains(t, rec, "module=dbad", "creation failure log record")
				for _, w := range append(tc.want, tc.stack...) {
					contains(t, rec, strings.ReplaceAll(w, `"`, `\"`), "creation failure log record")
				}
				if !dotnetExists(marker+".destroy") || dotnetExists(marker+".start") {
					t.Fatal("the C# module created before the failing one was not destroyed (or was started)")
				}
				entries := readLog(t, logPath)
				if len(entries) != 2 || entries[1].Content != "Log stopped" {
					t.Fatalf("the logger created before the failing module was not destroyed: %+v", entries)
				}
				dotnetNoCrash(t, p)
			})
		}
	})

	// Receive throws for one message: that message is lost, every later one (in the same batch and after) is
	// delivered; the log names the module and has the managed stack. Start and Destroy throw too (logged).
	t.Run("receive throws", func(t *testing.T) {
		const count, throwAt = 2000, 7
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "x", "size": 32}),
			dotnetMod("dthrow", "ThrowInReceive", map[string]any{"throw_at": throwAt, "start": 1, "destroy": 1}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count - 1}),
		}, []map[string]any{link("pub", "dthrow"), link("dthrow", "sink")}))
		eventually(t, 15*time.Second, "the sink to receive every other message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= count-1
		})
		eventually(t, 5*time.Second, "the receive exception in the log", func() bool {
			return strings.Contains(p.stderr.String(), "Receive threw")
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d (an exception in Receive is logged, not fatal)", code)
		}
		r, _ := readJSON[finalSinkReport](report)
		s := r.Streams["x"]
		if !r.Final || r.Received != count-1 || s.Lost != 1 || s.Gaps != 1 || s.LastSeq != count-1 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 {
			t.Fatalf("want every message but seq %d delivered intact: %+v", throwAt, r)
		}
		var recs []string
		for _, l := range strings.Split(p.stderr.String(), "\n") {
			if strings.Contains(l, "Receive threw") {
				recs = append(recs, l)
			}
		}
		if len(recs) != 1 {
			t.Fatalf("want one receive exception record, got:\n%s", strings.Join(recs, "\n"))
		}
		for _, want := range []string{"level=ERROR", "module=dthrow", "System.FormatException: boom in Receive at seq 7",
			"at E2EMods.ThrowInReceive.Fail (System.Int64 seq)", "at E2EMods.ThrowInReceive.Receive (Microsoft.Azure.IoT.Gateway.Message received_message)"} {
			contains(t, recs[0], want, "receive exception record")
		}
		other := map[string]string{}
		for _, l := range strings.Split(p.stderr.String(), "\n") {
			for _, m := range []string{"Start", "Destroy"} {
				if strings.Contains(l, `msg="the .NET module's `+m+` failed"`) {
					other[m] += l + "\n"
				}
			}
		}
		for m, want := range map[string]string{"Start": "System.NotSupportedException: boom in Start", "Destroy": "System.InvalidOperationException: boom in Destroy"} {
			contains(t, other[m], "module=dthrow", m+" exception record")
			contains(t, other[m], want, m+" exception record")
			contains(t, other[m], "at E2EMods.ThrowInReceive."+m+" ()", m+" exception record")
		}
		dotnetNoCrash(t, p)
	})

	// Entry points and loader settings that cannot work fail creation with one line naming the module and the cause.
	t.Run("bad entry points", func(t *testing.T) {
		notAnAssembly := filepath.Join(t.TempDir(), "Garbage.dll")
		if err := os.WriteFile(notAnAssembly, []byte("not an assembly\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		notALib := filepath.Join(t.TempDir(), "libmonosgen-2.0.so")
		if err := os.WriteFile(notALib, []byte("not a library\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		withLoader := func(settings map[string]any) map[string]any {
			c := config([]map[string]any{dotnetMod("dx", "Echo", nil)}, nil)
			l := fx.dotnetLoader()
			for k, v := range settings {
				l["configuration"].(map[string]any)[k] = v
			}
			c["loaders"] = []map[string]any{l}
			return c
		}
		one := func(m map[string]any) map[string]any { return fx.config([]map[string]any{m}, nil) }
		cases := []struct {
			name string
			cfg  map[string]any
			want []string
		}{
			{"assembly not found", one(dotnetModule("dx", "NoSuchAssembly", "E2EMods.Echo", nil)),
				[]string{`assembly.name "NoSuchAssembly"`, "not found", fx.modsDir}},
			{"assembly file not found", one(dotnetModule("dx", "/nonexistent/Missing.dll", "E2EMods.Echo", nil)),
				[]string{"/nonexistent/Missing.dll"}},
			{"not an assembly", one(dotnetModule("dx", notAnAssembly, "E2EMods.Echo", nil)),
				[]string{"cannot load assembly", notAnAssembly}},
			{"type not found", one(dotnetMod("dx", "Nope", nil)),
				[]string{`entry.type "E2EMods.Nope"`, `no such type in assembly "E2EMods"`}},
			{"type not a module", one(dotnetMod("dx", "NotAModule", nil)),
				[]string{`entry.type "E2EMods.NotAModule"`, "does not implement Microsoft.Azure.IoT.Gateway.IGatewayModule"}},
			{"no parameterless constructor", one(dotnetMod("dx", "NoDefaultCtor", nil)),
				[]string{`entry.type "E2EMods.NoDefaultCtor"`, "parameterless constructor"}},
			{"missing entry.type", one(map[string]any{"name": "dx", "loader": map[string]any{"name": "dotnet", "entrypoint": map[string]any{"assembly.name": "E2EMods"}}}),
				[]string{"entry.type"}},
			{"missing assembly.name", one(map[string]any{"name": "dx", "loader": map[string]any{"name": "dotnet", "entrypoint": map[string]any{"entry.type": "E2EMods.Echo"}}}),
				[]string{"assembly.name"}},
			{"binding not found", withLoader(map[string]any{"binding.path": "/nonexistent/Microsoft.Azure.IoT.Gateway.dll"}),
				[]string{"/nonexistent/Microsoft.Azure.IoT.Gateway.dll"}},
			{"runtime not a library", withLoader(map[string]any{"runtime.path": notALib}),
				[]string{notALib}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				dir := t.TempDir()
				p := gateway(t, dir, tc.cfg)
				if code := p.wait(15 * time.Second); code != 1 {
					t.Fatalf("exit code %d, want 1", code)
				}
				last, _ := dotnetErrorLine(t, p)
				t.Log(last)
				contains(t, last, `module "dx"`, "error line")
				for _, w := range tc.want {
					contains(t, last, w, "error line")
				}
				dotnetNoCrash(t, p)
			})
		}
	})

	// After Mono started inside the gateway (it installs SIGSEGV handlers of its own), with C# timers publishing
	// and messages flowing through a C# module, a nil dereference in Go code is still a recoverable panic.
	t.Run("Go panic recovered after CLR start", func(t *testing.T) {
		dir := t.TempDir()
		path := writeJSON(t, dir, "config.json", fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"rate": 2000, "stream": "s"}),
			dotnetMod("decho", "Echo", nil),
			dotnetMod("dtimer", "PatternPublisher", map[string]any{"mode": "timer", "count": 0, "per_tick": 10}),
			dotnetMod("dsink", "CountingSink", nil),
			nativeModule("sink", "sink", nil),
		}, []map[string]any{link("pub", "decho"), link("decho", "sink"), link("dtimer", "dsink")}))
		p := start(t, dir, filepath.Join(buildDir, "gateway"), "selftest", path)
		if code := p.wait(30 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		contains(t, p.stdout.String(), "selftest: ok: 5 modules started; a nil dereference in Go code was recovered", "selftest output")
		dotnetNoCrash(t, p)
	})

	// An exception nobody catches on a thread-pool thread (a timer callback) is logged with the module's stack and
	// that thread parked (the default "unhandled.exceptions": "log"): the gateway and the module go on.
	t.Run("unhandled exception in a timer", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": 0, "rate": 5000, "size": 64, "stream": "u"}),
			dotnetMod("dunhandled", "UnhandledInTimer", nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 10}),
		}, []map[string]any{link("pub", "dunhandled"), link("dunhandled", "sink")}))
		eventually(t, 10*time.Second, "the unhandled exception in the log", func() bool {
			return strings.Contains(p.stderr.String(), "boom in a timer callback")
		})
		r0, _ := readReport(report)
		eventually(t, 10*time.Second, "messages flowing after the unhandled exception", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= r0.Received+500
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		// The record is checked for its content only: lines that belong to no module go to slog.Default(), which
		// the gateway CLI does not set, so this one is in the log package's format with the stack on raw lines.
		stderr := p.stderr.String()
		i := strings.Index(stderr, "unhandled exception in managed thread")
		if i < 0 {
			t.Fatal("no unhandled exception record")
		}
		rec, _, _ := strings.Cut(stderr[i:], "time=")
		for _, want := range []string{"the thread is parked", "System.InvalidOperationException: boom in a timer callback",
			"at E2EMods.UnhandledInTimer.<Start>", "loader=dotnet"} {
			contains(t, rec, want, "unhandled exception record")
		}
		r, _ := readJSON[finalSinkReport](report)
		s := r.Streams["u"]
		if !r.Final || s.Lost != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 || uint64(s.LastSeq+1) != s.Received {
			t.Fatalf("final sink report %+v", r)
		}
		dotnetNoCrash(t, p)
	})

	// With "unhandled.exceptions": "terminate" the same exception ends the process, as Mono does by default.
	t.Run("unhandled exception, terminate", func(t *testing.T) {
		dir := t.TempDir()
		cfg := fx.config([]map[string]any{dotnetMod("dunhandled", "UnhandledInTimer", nil)}, nil)
		cfg["loaders"].([]map[string]any)[0]["configuration"].(map[string]any)["unhandled.exceptions"] = "terminate"
		p := gateway(t, dir, cfg)
		if code := p.wait(15 * time.Second); code == 0 {
			t.Fatal("exit code 0: the process survived an unhandled exception with unhandled.exceptions terminate")
		}
		contains(t, p.stderr.String(), "System.InvalidOperationException: boom in a timer callback", "stderr")
	})

	// samples/dotnet_sample.json (build/ paths made absolute) runs: the C# sensor's readings, published from its own
	// thread, reach the C# printer, which prints them.
	t.Run("sample", func(t *testing.T) {
		data, err := os.ReadFile("../samples/dotnet_sample.json")
		if err != nil {
			t.Fatal(err)
		}
		sample := strings.ReplaceAll(string(data), `"build/`, `"`+buildDir+"/")
		if !strings.Contains(sample, filepath.Join(buildDir, "dotnet")) || !strings.Contains(sample, "SensorModule.DotNetSensorModule") {
			t.Fatalf("the sample changed shape:\n%s", sample)
		}
		dir := t.TempDir()
		p := gateway(t, dir, sample)
		eventually(t, 10*time.Second, "the printer printing a sensor reading", func() bool {
			return strings.Contains(p.stdout.String(), "source=sensor seq=1")
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		out := p.stdout.String()
		if !regexp.MustCompile(`(?m)^printer: received "\{"temperature": \d+\.\d\d\}" source=sensor seq=1$`).MatchString(out) {
			t.Fatalf("the printer's line for the first reading is missing:\n%s", out)
		}
		for _, want := range []string{"sensor: destroyed", "printer: destroyed"} {
			contains(t, out, want, "the sample's output")
		}
		dotnetNoCrash(t, p)
	})

	// SIGTERM: exit 0, every module destroyed (logger writes Log stopped, C# Destroy writes final reports), and
	// every message accepted before the stop delivered to both sinks.
	t.Run("SIGTERM", func(t *testing.T) {
		dir := t.TempDir()
		logPath := filepath.Join(dir, "log.txt")
		dreport := filepath.Join(dir, "dsink.json")
		preport := filepath.Join(dir, "dpub.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			dotnetMod("dpub", "PatternPublisher", map[string]any{"mode": "task", "count": 0, "pause_ms": 1, "size": 16, "report": preport}),
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
			dotnetMod("dsink", "CountingSink", map[string]any{"report": dreport, "report_every": 10}),
		}, []map[string]any{link("dpub", "logger"), link("dpub", "dsink")}))
		eventually(t, 15*time.Second, "messages flowing", func() bool {
			d, ok := readJSON[dotnetSinkReport](dreport)
			return ok && d.Received >= 30
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
		d, _ := readJSON[dotnetSinkReport](dreport)
		pr, _ := readJSON[dotnetPubReport](preport)
		if !d.Final || !pr.Final {
			t.Fatalf("C# Destroy did not run: sink %+v, publisher %+v", d, pr)
		}
		logged := uint64(len(entries) - 2)
		if d.Received != logged || d.Received > pr.Published || d.Received < 30 || d.OutOfOrder != 0 || d.BadContent != 0 || d.NoSeq != 0 || d.LastSeq+1 != int64(d.Received) {
			t.Fatalf("published %d, the C# sink got %d, the logger %d (sink %+v)", pr.Published, d.Received, logged, d)
		}
		dotnetNoCrash(t, p)
	})

	// Stopping the gateway while floods run through C# modules (native -> C# echo -> native sink, and a C# timer
	// publisher -> C# sink) is clean: exit 0, no crash output, a loss-free prefix of every stream delivered.
	t.Run("clean exit under load", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		dreport := filepath.Join(dir, "dsink.json")
		preport := filepath.Join(dir, "dpub.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": 0, "rate": 0, "stream": "f"}),
			dotnetMod("decho", "Echo", nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 20}),
			dotnetMod("dpub", "PatternPublisher", map[string]any{"mode": "timer", "count": 0, "per_tick": 100, "size": 512, "report": preport}),
			dotnetMod("dsink", "CountingSink", map[string]any{"report": dreport, "report_every": 5000}),
		}, []map[string]any{link("pub", "decho"), link("decho", "sink"), link("dpub", "dsink")}))
		eventually(t, 15*time.Second, "messages flowing through both paths", func() bool {
			r, ok := readReport(report)
			d, dok := readJSON[dotnetSinkReport](dreport)
			return ok && dok && r.Received >= 100000 && d.Received >= 20000
		})
		if code := p.stop(15 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		dotnetNoCrash(t, p)
		r, _ := readJSON[finalSinkReport](report)
		if s := r.Streams["f"]; !r.Final || s.Lost != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 || uint64(s.LastSeq+1) != s.Received {
			t.Fatalf("final native sink report %+v", r)
		}
		d, _ := readJSON[dotnetSinkReport](dreport)
		pr, _ := readJSON[dotnetPubReport](preport)
		if !d.Final || !pr.Final || d.Received > pr.Published || d.OutOfOrder != 0 || d.BadContent != 0 || d.LastSeq+1 != int64(d.Received) {
			t.Fatalf("C# sink %+v, C# publisher %+v", d, pr)
		}
	})

	// Live reload (SIGHUP) removes a C# module (its Destroy runs), adds two (Start called on the one implementing
	// IGatewayModuleStart); a later reload whose new C# module throws in Create is rolled back. Traffic through a C#
	// module that stays loses nothing.
	t.Run("reload", func(t *testing.T) {
		dir := t.TempDir()
		rep := func(n string) string { return filepath.Join(dir, n+".json") }
		marker := filepath.Join(dir, "dwith")
		csink := func(n string) map[string]any {
			return dotnetMod(n, "CountingSink", map[string]any{"report": rep(n), "report_every": 100})
		}
		received := func(n string) uint64 { d, _ := readJSON[dotnetSinkReport](rep(n)); return d.Received }
		pub := nativeModule("pub", "publisher", map[string]any{"rate": 10000, "size": 64, "stream": "a"})
		stay := dotnetMod("dstay", "Echo", nil)
		sink := nativeModule("sink", "sink", map[string]any{"report": rep("sink"), "report_every_ms": 20})
		v1 := fx.config([]map[string]any{pub, stay, sink, csink("dold")},
			[]map[string]any{link("pub", "dstay"), link("dstay", "sink"), link("pub", "dold")})
		v2mods := []map[string]any{pub, stay, sink, csink("dnew"), dotnetMod("dwith", "WithStart", map[string]any{"marker": marker})}
		v2links := []map[string]any{link("pub", "dstay"), link("dstay", "sink"), link("pub", "dnew")}
		v2 := fx.config(v2mods, v2links)
		v3 := fx.config(append(slices.Clone(v2mods), csink("dnew2"), dotnetMod("dbad", "ThrowInCreate", nil)),
			append(slices.Clone(v2links), link("pub", "dnew2"), link("pub", "dbad")))

		p := gateway(t, dir, v1)
		eventually(t, 10*time.Second, "traffic", func() bool { return received("dold") >= 1000 })
		writeJSON(t, dir, "config.json", v2)
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		eventually(t, 15*time.Second, "the reload", func() bool {
			return strings.Contains(p.stderr.String(), `msg="configuration reloaded"`)
		})
		if d, _ := readJSON[dotnetSinkReport](rep("dold")); !d.Final || d.OutOfOrder != 0 || d.BadContent != 0 || d.LastSeq+1 != int64(d.Received) {
			t.Fatalf("the removed C# module: want a final report of a loss-free prefix, got %+v", d)
		}
		eventually(t, 10*time.Second, "traffic into the new C# module and its Start", func() bool {
			return received("dnew") >= 1000 && dotnetExists(marker+".start")
		})

		writeJSON(t, dir, "config.json", v3)
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		eventually(t, 15*time.Second, "the failed reload", func() bool {
			return strings.Contains(p.stderr.String(), "reload failed; the previous configuration keeps running")
		})
		contains(t, p.stderr.String(), "System.ApplicationException: boom in Create", "failed reload log")
		if d, ok := readJSON[dotnetSinkReport](rep("dnew2")); !ok || !d.Final || d.Received != 0 {
			t.Fatalf("the C# module created by the failed reload was not destroyed by its rollback: %+v %v", d, ok)
		}
		n0 := received("dnew")
		eventually(t, 10*time.Second, "traffic after the failed reload", func() bool { return received("dnew") >= n0+1000 })

		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		r, _ := readJSON[finalSinkReport](rep("sink"))
		if s := r.Streams["a"]; !r.Final || s.Lost != 0 || s.Gaps != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 || uint64(s.LastSeq+1) != s.Received {
			t.Fatalf("the stream through the C# module that stayed: %+v", r)
		}
		// dnew joined the stream midway: one jump at its first message, then in order.
		if d, _ := readJSON[dotnetSinkReport](rep("dnew")); !d.Final || d.OutOfOrder > 1 || d.BadContent != 0 || d.Received < n0+1000 {
			t.Fatalf("the C# module added by the reload: %+v", d)
		}
		if !dotnetExists(marker + ".destroy") {
			t.Fatal("the C# module added by the reload was not destroyed at exit")
		}
		dotnetNoCrash(t, p)
	})

	// Throughput sanity: 200000 unpaced messages from a native publisher into a C# sink that checks each one.
	t.Run("throughput", func(t *testing.T) {
		const count = 200000
		dir := t.TempDir()
		dreport := filepath.Join(dir, "dsink.json")
		p := gateway(t, dir, fx.config([]map[string]any{
			dotnetMod("dsink", "CountingSink", map[string]any{"report": dreport, "expect": count}),
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "t"}),
		}, []map[string]any{link("pub", "dsink")}))
		began := time.Now()
		eventually(t, 18*time.Second, "the C# sink to receive every message", func() bool {
			d, ok := readJSON[dotnetSinkReport](dreport)
			return ok && d.Received >= count
		})
		t.Logf("%d messages into a C# sink in %v (including the runtime's start)", count, time.Since(began).Round(time.Millisecond))
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		dotnetCheckSink(t, dreport, count)
		dotnetNoCrash(t, p)
	})
}

// A gateway hosting Java and .NET modules together survives a stress run, three times: a native publisher floods
// 300000 messages into a Java counting sink and a native sink while a C# timer publishes through a Java echo into
// the native sink and the .NET sample sensor publishes into the Java sample printer. Every run exits 0 and both
// sinks report every message in order and intact.
func TestDotnetWithJava(t *testing.T) {
	dfx := dotnetBuildFixture(t)
	jfx := buildJavaFixture(t)
	samples := filepath.Join(buildDir, "java", "gateway-java-samples.jar")
	const count, dcount = 300000, 20000
	for run := 1; run <= 3; run++ {
		t.Run("run "+strconv.Itoa(run), func(t *testing.T) {
			dir := t.TempDir()
			report := filepath.Join(dir, "sink.json")
			jreport := filepath.Join(dir, "jsink.json")
			preport := filepath.Join(dir, "dpub.json")
			cfg := config([]map[string]any{
				nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "n"}),
				javaModule("jsink", "e2emods.CountingSink", jfx.jar, map[string]any{"report": jreport, "expect": count}),
				javaModule("jecho", "testmods.Echo", jfx.jar, nil),
				dotnetMod("dpub", "PatternPublisher", map[string]any{"mode": "timer", "count": dcount, "per_tick": 50, "stream": "dn", "report": preport}),
				dotnetModule("sensor", "SensorModule", "SensorModule.DotNetSensorModule", map[string]any{"interval.ms": 2}),
				javaModule("jprinter", "com.edgev1.gateway.sample.Printer", samples, nil),
				nativeModule("sink", "sink", map[string]any{"report": report, "expect": count + dcount}),
			}, []map[string]any{
				link("pub", "jsink"), link("pub", "sink"),
				link("dpub", "jecho"), link("jecho", "sink"),
				link("sensor", "jprinter"),
			})
			cfg["loaders"] = []map[string]any{
				{"type": "java", "name": "java", "configuration": map[string]any{
					"binding.path": jfx.binding,
					"jvm.options":  map[string]any{"additional.options": []string{"-Xmx128m"}},
				}},
				dfx.dotnetLoader(),
			}
			began := time.Now()
			p := gateway(t, dir, cfg)
			eventually(t, 20*time.Second, "every message in both sinks", func() bool {
				r, ok := readReport(report)
				j, jok := readJSON[javaSinkReport](jreport)
				return ok && jok && r.Received >= count+dcount && j.Received >= count
			})
			eventually(t, 5*time.Second, "the Java printer printing the .NET sensor's messages", func() bool {
				return strings.Contains(p.stdout.String(), "source=sensor")
			})
			if code := p.stop(15 * time.Second); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			t.Logf("run %d: %v", run, time.Since(began).Round(time.Millisecond))
			r, _ := readJSON[finalSinkReport](report)
			if !r.Final || r.Received != count+dcount {
				t.Fatalf("final sink report %+v", r)
			}
			checkStream(t, r.sinkReport, "n", count)
			checkStream(t, r.sinkReport, "dn", dcount)
			j, _ := readJSON[javaSinkReport](jreport)
			if !j.Final || j.Received != count || j.OutOfOrder != 0 || j.BadContent != 0 || j.NoSeq != 0 || j.LastSeq != count-1 {
				t.Fatalf("final Java sink report %+v", j)
			}
			if pr, _ := readJSON[dotnetPubReport](preport); !pr.Final || pr.Published != dcount {
				t.Fatalf("C# publisher report %+v", pr)
			}
			m := regexp.MustCompile(`Printer: destroyed after (\d+) messages`).FindStringSubmatch(p.stdout.String())
			if m == nil || m[1] == "0" {
				t.Fatalf("the Java printer did not report the sensor's messages at destroy: %v", m)
			}
			contains(t, p.stdout.String(), "sensor: destroyed", "the .NET sensor's Destroy")
			dotnetNoCrash(t, p)
			if hs, _ := filepath.Glob(filepath.Join(dir, "hs_err_pid*.log")); len(hs) > 0 {
				t.Fatalf("the JVM wrote a crash report: %v", hs)
			}
		})
	}
}
