package e2e

// End-to-end tests of the "node" loader (bindings/node): JS modules from
// e2e/testdata/node/ run in the real gateway binary next to the native test modules.

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	nodeLibOnce  sync.Once
	nodeLibFound string
)

// needNode skips the test when the gateway cannot find a libnode (the same places the
// loader searches: $GATEWAY_LIBNODE, deps/libnode above the build or working
// directory, $GATEWAY_DEPS/libnode, the system).
func needNode(t *testing.T) {
	t.Helper()
	nodeLibOnce.Do(func() {
		var globs []string
		if p := os.Getenv("GATEWAY_LIBNODE"); p != "" {
			globs = append(globs, p)
		}
		if d := os.Getenv("GATEWAY_DEPS"); d != "" {
			globs = append(globs, filepath.Join(d, "libnode", "usr", "lib", "*", "libnode.so.*"))
		}
		wd, _ := os.Getwd()
		for _, start := range []string{buildDir, wd} {
			for d := start; ; d = filepath.Dir(d) {
				globs = append(globs, filepath.Join(d, "deps", "libnode", "usr", "lib", "*", "libnode.so.*"))
				if filepath.Dir(d) == d {
					break
				}
			}
		}
		globs = append(globs, "/usr/lib/*/libnode.so.*")
		for _, g := range globs {
			if m, _ := filepath.Glob(g); len(m) > 0 {
				nodeLibFound = m[0]
				return
			}
		}
	})
	if nodeLibFound == "" {
		t.Skip("no libnode found: run scripts/setup.sh (bindings/node/setup-libnode.sh) or set GATEWAY_LIBNODE")
	}
}

// jsFile is the absolute path of a JS test module in testdata/node.
func jsFile(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "node", name+".js"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// jsModule is a module of the node loader running testdata/node/<file>.js.
func jsModule(t *testing.T, name, file string, args any) map[string]any {
	t.Helper()
	m := map[string]any{
		"name":   name,
		"loader": map[string]any{"name": "node", "entrypoint": map[string]any{"main.path": jsFile(t, file)}},
	}
	if args != nil {
		m["args"] = args
	}
	return m
}

// nodeCounterOut is what testdata/node/counter.js writes.
type nodeCounterOut struct {
	Count      uint64            `json:"count"`
	BadSeq     uint64            `json:"bad_seq"`
	BadContent uint64            `json:"bad_content"`
	Streams    map[string]uint64 `json:"streams"` // next expected seq per stream
}

// nodeMarkerOut is what testdata/node/lifecycle.js writes.
type nodeMarkerOut struct {
	Created   bool   `json:"created"`
	Destroyed bool   `json:"destroyed"`
	Beats     uint64 `json:"beats"`
}

// nodeJSONLogs parses the gateway's stderr written with --log-format json (other lines,
// such as the final "gateway: ..." line, are skipped).
func nodeJSONLogs(stderr string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(stderr))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// nodeFindLog returns the first JSON log record of module whose msg contains every part.
func nodeFindLog(stderr, module string, parts ...string) (map[string]any, bool) {
	for _, m := range nodeJSONLogs(stderr) {
		if m["module"] != module {
			continue
		}
		msg, _ := m["msg"].(string)
		all := true
		for _, p := range parts {
			if !strings.Contains(msg, p) {
				all = false
				break
			}
		}
		if all {
			return m, true
		}
	}
	return nil, false
}

// running fails the test if the process has already exited.
func (p *proc) nodeAlive(what string) {
	p.t.Helper()
	select {
	case <-p.done:
		p.t.Fatalf("%s: the gateway exited (%v)", what, p.err)
	default:
	}
}

// native -> JS -> native: every message comes back intact, in order, with its
// properties (the logger records them), plus the JS module's own.
func TestNodeRoundTrip(t *testing.T) {
	needNode(t)
	const count = 10000
	dir := t.TempDir()
	report := filepath.Join(dir, "sink.json")
	logPath := filepath.Join(dir, "log.txt")
	extra := map[string]any{"source": "native", "note": "héllo wörld ✓ \"quoted\"", "empty": ""}
	p := gateway(t, dir, config([]map[string]any{
		nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "size": 256, "stream": "rt", "properties": extra}),
		jsModule(t, "js_echo", "echo", map[string]any{"tag": "js"}),
		nativeModule("sink", "sink", map[string]any{"report": report, "expect": count, "report_every_ms": 20}),
		nativeModule("logger", "logger", map[string]any{"filename": logPath}),
	}, []map[string]any{link("pub", "js_echo"), link("js_echo", "sink"), link("js_echo", "logger")}))
	eventually(t, 20*time.Second, "the sink to receive every message", func() bool {
		r, ok := readReport(report)
		return ok && r.Received >= count
	})
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	rep, ok := readReport(report)
	if !ok || rep.Received != count {
		t.Fatalf("final sink report %+v", rep)
	}
	checkStream(t, rep, "rt", count)

	entries := readLog(t, logPath)
	if len(entries) != count+2 || entries[0].Content != "Log started" || entries[len(entries)-1].Content != "Log stopped" {
		t.Fatalf("log has %d entries, want Log started + %d messages + Log stopped", len(entries), count)
	}
	for i, e := range entries[1 : count+1] {
		want := map[string]string{"source": "native", "note": "héllo wörld ✓ \"quoted\"", "empty": "", "stream": "rt", "seq": strconv.Itoa(i), "via": "js"}
		for k, v := range want {
			if got, ok := e.Properties[k]; !ok || got != v {
				t.Fatalf("message %d: property %q = %q (present %v), want %q; properties %v", i, k, got, ok, v, e.Properties)
			}
		}
		if _, err := strconv.ParseUint(e.Properties["ts_ns"], 10, 64); err != nil || len(e.Properties) != len(want)+1 {
			t.Fatalf("message %d: properties %v (want exactly %v + ts_ns)", i, e.Properties, want)
		}
		if raw, err := base64.StdEncoding.DecodeString(e.Content); err != nil || len(raw) != 256 {
			t.Fatalf("message %d: content %q is not 256 bytes of base64", i, e.Content)
		}
	}
}

// Several JS modules in one gateway, each with its own state even when they share a
// file: native -> echo a -> echo b (republishes later, from setImmediate, so the
// received content must outlive receive) -> native sink (and logger), JS publisher ->
// JS counter, and a JS publisher using timers and promises -> native sink.
func TestNodeSeveralModules(t *testing.T) {
	needNode(t)
	const (
		native = 5000
		jsN    = 20000
		asyncN = 30
	)
	dir := t.TempDir()
	report := filepath.Join(dir, "sink.json")
	logPath := filepath.Join(dir, "log.txt")
	counterPath := filepath.Join(dir, "counter.json")
	progress := filepath.Join(dir, "progress.json")
	asyncStreams := []string{"timeout", "immediate", "nexttick", "microtask", "promise", "interval", "async", "timers-promises"}
	total := uint64(native + asyncN*len(asyncStreams))
	p := gateway(t, dir, config([]map[string]any{
		nativeModule("pub", "publisher", map[string]any{"count": native, "rate": 0, "size": 64, "stream": "chain"}),
		jsModule(t, "a", "echo", map[string]any{"tag": "a"}),
		jsModule(t, "b", "echo", map[string]any{"tag": "b", "defer": true}),
		jsModule(t, "async", "async", map[string]any{"count": asyncN, "size": 40}),
		jsModule(t, "jspub", "publisher", map[string]any{"count": jsN, "size": 16, "stream": "js2js"}),
		jsModule(t, "jscount", "counter", map[string]any{"out": counterPath, "progress": progress}),
		nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 20}),
		nativeModule("logger", "logger", map[string]any{"filename": logPath}),
	}, []map[string]any{
		link("pub", "a"), link("a", "b"), link("b", "sink"), link("b", "logger"),
		link("async", "sink"), link("jspub", "jscount"),
	}))
	eventually(t, 20*time.Second, "every message at the sink and the JS counter", func() bool {
		var c nodeCounterOut
		r, ok := readReport(report)
		return ok && r.Received >= total && readJSONInto(progress, &c) && c.Count >= jsN
	})
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	rep, _ := readReport(report)
	if rep.Received != total {
		t.Fatalf("sink received %d, want %d: %+v", rep.Received, total, rep)
	}
	checkStream(t, rep, "chain", native)
	for _, s := range asyncStreams {
		checkStream(t, rep, s, asyncN)
	}
	var c nodeCounterOut
	if !readJSONInto(counterPath, &c) {
		t.Fatal("the JS counter's destroy() wrote no file")
	}
	if c.Count != jsN || c.BadSeq != 0 || c.BadContent != 0 || c.Streams["js2js"] != jsN {
		t.Fatalf("JS counter: %+v", c)
	}
	entries := readLog(t, logPath)
	if len(entries) != native+2 {
		t.Fatalf("log has %d entries, want %d", len(entries), native+2)
	}
	for i, e := range entries[1 : native+1] {
		if e.Properties["via"] != "a,b" || e.Properties["seq"] != strconv.Itoa(i) {
			t.Fatalf("message %d went through %q (seq %q), want a,b", i, e.Properties["via"], e.Properties["seq"])
		}
	}
}

// A module that fails to load or to be created fails the gateway's creation: exit 1,
// one error line naming the module and the cause; modules created before it are
// destroyed again.
func TestNodeCreateFailures(t *testing.T) {
	needNode(t)
	jsDir, _ := filepath.Abs(filepath.Join("testdata", "node"))
	cases := []struct {
		name       string
		entrypoint map[string]any
		want       []string
	}{
		{"create returns false", map[string]any{"main.path": jsFile(t, "refuse")}, []string{"create", "returned false"}},
		{"create throws", map[string]any{"main.path": jsFile(t, "throw_create")},
			[]string{"create", "create exploded on purpose", "createExplodes", "throw_create.js:3"}},
		{"process.exit in create", map[string]any{"main.path": jsFile(t, "exit_create")},
			[]string{"create", "process.exit(3) is disabled", "exit_create.js:3"}},
		{"top-level throw", map[string]any{"main.path": jsFile(t, "throw_load")},
			[]string{"loading main.path", "top-level code exploded on purpose", "throw_load.js:3"}},
		{"missing file", map[string]any{"main.path": filepath.Join(jsDir, "nosuch.js")},
			[]string{"main.path", "nosuch.js", "no such file or directory"}},
		{"relative missing file", map[string]any{"main.path": "modules/nosuch.js"},
			[]string{"main.path", "modules/nosuch.js", "no such file or directory"}},
		{"syntax error", map[string]any{"main.path": jsFile(t, "syntax_error")},
			[]string{"syntax_error.js:4", "SyntaxError", "Unexpected token"}},
		{"no create function", map[string]any{"main.path": jsFile(t, "no_create")},
			[]string{"main.path", "no create(broker, configuration) function"}},
		{"main.path is a directory", map[string]any{"main.path": jsDir}, []string{"main.path", "is a directory"}},
		{"main.path absent", map[string]any{"main_path": "x.js"}, []string{`missing "main.path"`}},
		{"main.path not a string", map[string]any{"main.path": 42}, []string{`"main.path" must be a non-empty string`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			marker := filepath.Join(dir, "first.json")
			p := gateway(t, dir, config([]map[string]any{
				jsModule(t, "first", "lifecycle", map[string]any{"marker": marker}),
				{"name": "bad_module", "loader": map[string]any{"name": "node", "entrypoint": tc.entrypoint}},
			}, nil))
			if code := p.wait(20 * time.Second); code != 1 {
				t.Fatalf("exit code %d, want 1", code)
			}
			lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "gateway: ") {
				t.Fatalf("last stderr line is not the reason: %q", last)
			}
			contains(t, last, `module "bad_module"`, "error line")
			for _, w := range tc.want {
				contains(t, last, w, "error line")
			}
			if strings.Contains(p.stdout.String(), "successfully created") {
				t.Fatal("claimed success")
			}
			// "first" was created before "bad_module" failed, and destroyed again.
			var m nodeMarkerOut
			if !readJSONInto(marker, &m) || !m.Created || !m.Destroyed {
				t.Fatalf("module \"first\" was not created and destroyed again: marker %+v", m)
			}
		})
	}
}

// Exceptions and process.exit/reallyExit/abort in receive, in timers and in promises
// are logged with the module's name and the JS stack; the gateway keeps running and
// loses nothing the module published. A create that calls process.exit and catches
// the error succeeds.
func TestNodeMisbehavingModulesKeepRunning(t *testing.T) {
	needNode(t)
	const count = 200
	dir := t.TempDir()
	report := filepath.Join(dir, "sink.json")
	logPath := filepath.Join(dir, "log.txt")
	p := gateway(t, dir, config([]map[string]any{
		nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "size": 100, "stream": "u"}),
		jsModule(t, "unruly", "unruly", nil),
		jsModule(t, "survivor", "exit_create_caught", nil),
		nativeModule("sink", "sink", map[string]any{"report": report, "expect": count, "report_every_ms": 20}),
		nativeModule("logger", "logger", map[string]any{"filename": logPath}),
	}, []map[string]any{link("pub", "unruly"), link("unruly", "sink"), link("survivor", "logger")}), "--log-format", "json")
	eventually(t, 20*time.Second, "every republished message at the sink", func() bool {
		r, ok := readReport(report)
		return ok && r.Received >= count
	})
	expect := []struct {
		what  string
		parts []string
	}{
		{"throw in receive", []string{"receive threw", "unruly: receive exploded at seq 3", "at explodeOnPurpose (" + jsFile(t, "unruly") + ":"}},
		{"throw in receive, later", []string{"receive threw", "unruly: receive exploded at seq 193", "unruly.js:"}},
		{"process.exit in receive", []string{"receive threw", "process.exit(9) is disabled", "unruly.js:"}},
		{"process.reallyExit in receive", []string{"process.reallyExit(11) is disabled", "unruly.js:"}},
		{"process.abort in receive", []string{"process.abort() is disabled", "unruly.js:"}},
		{"process.exit in a timer", []string{"process.exit(10) is disabled", "exitFromTimer", "unruly.js:"}},
		{"unhandled rejection", []string{"unruly: rejected at seq 198", "unruly.js:"}},
	}
	for _, e := range expect {
		eventually(t, 10*time.Second, "a log record for "+e.what, func() bool {
			_, ok := nodeFindLog(p.stderr.String(), "unruly", e.parts...)
			return ok
		})
		rec, _ := nodeFindLog(p.stderr.String(), "unruly", e.parts...)
		if rec["level"] != "ERROR" {
			t.Fatalf("%s logged at %v: %v", e.what, rec["level"], rec)
		}
	}
	eventually(t, 10*time.Second, "the survivor's message in the log", func() bool {
		data, _ := os.ReadFile(logPath)
		return strings.Contains(string(data), base64.StdEncoding.EncodeToString([]byte("alive")))
	})
	p.nodeAlive("after the misbehaviour")
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	rep, _ := readReport(report)
	checkStream(t, rep, "u", count)
	var survivor *logEntry
	for _, e := range readLog(t, logPath) {
		if e.Properties["exit_errors"] != "" {
			e := e
			survivor = &e
		}
	}
	if survivor == nil || !strings.Contains(survivor.Properties["exit_errors"], "process.exit(4) is disabled") ||
		!strings.Contains(survivor.Properties["exit_errors"], "process.abort() is disabled") {
		t.Fatalf("survivor's report of the refused exits: %+v", survivor)
	}
}

// SIGTERM and stdin EOF destroy the gateway cleanly while JS modules are busy
// (timers and a listening socket left behind, a native flood into a JS sink):
// exit 0, every destroy() ran, the logger closed its log.
func TestNodeShutdown(t *testing.T) {
	needNode(t)
	cases := []struct {
		name string
		stop func(p *proc)
	}{
		{"stdin EOF", func(p *proc) { _ = p.stdin.Close() }},
		{"SIGTERM", func(p *proc) { _ = p.cmd.Process.Signal(syscall.SIGTERM) }},
		{"SIGINT", func(p *proc) { _ = p.cmd.Process.Signal(syscall.SIGINT) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			marker := filepath.Join(dir, "marker.json")
			logPath := filepath.Join(dir, "log.txt")
			counterPath := filepath.Join(dir, "counter.json")
			progress := filepath.Join(dir, "progress.json")
			p := gateway(t, dir, config([]map[string]any{
				jsModule(t, "beater", "lifecycle", map[string]any{"marker": marker}),
				nativeModule("logger", "logger", map[string]any{"filename": logPath}),
				nativeModule("pub", "publisher", map[string]any{"rate": 0, "size": 64, "stream": "f"}),
				jsModule(t, "jscount", "counter", map[string]any{"out": counterPath, "progress": progress}),
			}, []map[string]any{link("beater", "logger"), link("pub", "jscount")}))
			eventually(t, 10*time.Second, "heartbeats in the log and messages at the JS counter", func() bool {
				data, _ := os.ReadFile(logPath)
				var c nodeCounterOut
				return strings.Count(string(data), `"beat"`) >= 3 && readJSONInto(progress, &c) && c.Count > 1000
			})
			tc.stop(p)
			if code := p.wait(15 * time.Second); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			var m nodeMarkerOut
			if !readJSONInto(marker, &m) || !m.Destroyed || m.Beats < 3 {
				t.Fatalf("JS destroy() did not run (marker %+v)", m)
			}
			entries := readLog(t, logPath)
			if entries[len(entries)-1].Content != "Log stopped" {
				t.Fatal("the logger was not destroyed")
			}
			var c, last nodeCounterOut
			_ = readJSONInto(progress, &last)
			if !readJSONInto(counterPath, &c) {
				t.Fatal("the JS counter's destroy() wrote no file")
			}
			if c.Count < last.Count || c.BadSeq != 0 || c.BadContent != 0 || c.Streams["f"] != c.Count {
				t.Fatalf("JS counter after shutdown: %+v (last progress %d)", c, last.Count)
			}
			if strings.Contains(p.stderr.String(), "level=ERROR") {
				t.Fatalf("errors logged during shutdown:\n%s", p.stderr.String())
			}
		})
	}
}

// Throughput sanity in both directions, zero loss; both gateways exit 0 afterwards.
func TestNodeThroughput(t *testing.T) {
	needNode(t)
	t.Run("native to JS", func(t *testing.T) {
		const count = 200000
		dir := t.TempDir()
		out := filepath.Join(dir, "counter.json")
		progress := filepath.Join(dir, "progress.json")
		p := gateway(t, dir, config([]map[string]any{
			nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "size": 256, "stream": "flood"}),
			jsModule(t, "jscount", "counter", map[string]any{"out": out, "progress": progress}),
		}, []map[string]any{link("pub", "jscount")}))
		begin := time.Now()
		eventually(t, 20*time.Second, "the JS counter to count every message", func() bool {
			var c nodeCounterOut
			return readJSONInto(progress, &c) && c.Count >= count
		})
		elapsed := time.Since(begin)
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		var c nodeCounterOut
		if !readJSONInto(out, &c) {
			t.Fatal("the JS counter's destroy() wrote no file")
		}
		if c.Count != count || c.BadSeq != 0 || c.BadContent != 0 || c.Streams["flood"] != count {
			t.Fatalf("JS counter: %+v", c)
		}
		t.Logf("%d messages native -> JS in < %v (~%.0f msgs/s, incl. start-up)", count, elapsed.Round(time.Millisecond), count/elapsed.Seconds())
	})
	t.Run("JS to native", func(t *testing.T) {
		const count = 100000
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		done := filepath.Join(dir, "done.json")
		p := gateway(t, dir, config([]map[string]any{
			jsModule(t, "jspub", "publisher", map[string]any{"count": count, "size": 128, "stream": "jsflood", "done": done}),
			nativeModule("sink", "sink", map[string]any{"report": report, "expect": count, "report_every_ms": 20}),
		}, []map[string]any{link("jspub", "sink")}))
		begin := time.Now()
		eventually(t, 20*time.Second, "the native sink to receive every message", func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= count
		})
		elapsed := time.Since(begin)
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		var d struct{ Published, Refused uint64 }
		if !readJSONInto(done, &d) || d.Published != count || d.Refused != 0 {
			t.Fatalf("JS publisher: %+v", d)
		}
		rep, _ := readReport(report)
		if rep.Received != count {
			t.Fatalf("sink report %+v", rep)
		}
		checkStream(t, rep, "jsflood", count)
		t.Logf("%d messages JS -> native in < %v (~%.0f msgs/s, incl. start-up; p50 %.0f us, p99 %.0f us)",
			count, elapsed.Round(time.Millisecond), count/elapsed.Seconds(), rep.P50, rep.P99)
	})
}

// samples/node_sample.json (JS sensor -> JS printer) runs, with its main.path values
// made absolute, and stops cleanly.
func TestNodeSample(t *testing.T) {
	needNode(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "samples", "node_sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	mods, _ := cfg["modules"].([]any)
	if len(mods) != 2 {
		t.Fatalf("sample has %d modules, want 2", len(mods))
	}
	for _, m := range mods {
		ep := m.(map[string]any)["loader"].(map[string]any)["entrypoint"].(map[string]any)
		ep["main.path"] = filepath.Join(root, ep["main.path"].(string))
	}
	dir := t.TempDir()
	p := gateway(t, dir, cfg)
	eventually(t, 15*time.Second, "three readings printed", func() bool {
		return strings.Count(p.stdout.String(), "printer.receive - ") >= 3
	})
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	out := p.stdout.String()
	for i := 1; i <= 3; i++ {
		contains(t, out, fmt.Sprintf(`printer.receive - {"reading":%d,"temperature":`, i), "stdout")
	}
	contains(t, out, `{"source":"sensor1","name":"temperature"}`, "stdout")
	contains(t, out, "printer.destroy\n", "stdout")
	contains(t, out, "sensor.destroy\n", "stdout")
}

// main.path is relative to the gateway's working directory.
func TestNodeRelativeMainPath(t *testing.T) {
	needNode(t)
	dir := t.TempDir()
	src, err := os.ReadFile(jsFile(t, "lifecycle"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "js", "beater.js"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "log.txt")
	p := gateway(t, dir, config([]map[string]any{
		{"name": "beater", "loader": map[string]any{"name": "node", "entrypoint": map[string]any{"main.path": "js/beater.js"}}, "args": map[string]any{"marker": "marker.json"}},
		nativeModule("logger", "logger", map[string]any{"filename": logPath}),
	}, []map[string]any{link("beater", "logger")}))
	eventually(t, 10*time.Second, "heartbeats in the log", func() bool {
		data, _ := os.ReadFile(logPath)
		return strings.Count(string(data), `"beat"`) >= 2
	})
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	var m nodeMarkerOut
	if !readJSONInto(filepath.Join(dir, "marker.json"), &m) || !m.Destroyed {
		t.Fatalf("marker %+v", m)
	}
}

// The node loader's configuration: libnode.path and node.options, good and bad.
func TestNodeLoaderConfiguration(t *testing.T) {
	needNode(t)
	cases := []struct {
		name string
		cfg  any      // the loader's configuration
		want []string // in the error line; none: the gateway runs
	}{
		{"valid node.options", map[string]any{"node.options": []string{"--max-old-space-size=128"}, "binding.path": "ignored.node"}, nil},
		{"libnode.path missing", map[string]any{"libnode.path": "/nonexistent/libnode.so.108"},
			[]string{`module "m"`, "libnode.path", "/nonexistent/libnode.so.108", "no such file or directory"}},
		{"libnode.path not libnode", map[string]any{"libnode.path": module("echo")},
			[]string{`module "m"`, "libecho.so", "does not export node::Start"}},
		{"unknown node option", map[string]any{"node.options": []string{"--no-such-option"}},
			[]string{`module "m"`, "starting node", "node::Start returned"}},
		{"node.options not an array", map[string]any{"node.options": "--inspect"},
			[]string{"loaders[0]", `"node.options" must be an array of strings`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := config([]map[string]any{jsModule(t, "m", "echo", nil)}, nil)
			cfg["loaders"] = []map[string]any{{"type": "node", "name": "node", "configuration": tc.cfg}}
			p := gateway(t, dir, cfg)
			if tc.want == nil {
				eventually(t, 10*time.Second, "gateway started", func() bool {
					return strings.Contains(p.stdout.String(), "ENTER")
				})
				if code := p.stop(10 * time.Second); code != 0 {
					t.Fatalf("exit code %d", code)
				}
				return
			}
			if code := p.wait(20 * time.Second); code != 1 {
				t.Fatalf("exit code %d, want 1", code)
			}
			lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "gateway: ") {
				t.Fatalf("last stderr line is not the reason: %q", last)
			}
			for _, w := range tc.want {
				contains(t, last, w, "error line")
			}
		})
	}
}

// A JS publisher flooding (no backpressure) while the gateway is destroyed: the
// destroy finishes, exit 0, and the native sink saw an unbroken prefix of the stream.
func TestNodeDestroyWhileJSFlooding(t *testing.T) {
	needNode(t)
	for i, wait := range []uint64{1, 5000, 50000} {
		dir := t.TempDir()
		report := filepath.Join(dir, "sink.json")
		p := gateway(t, dir, config([]map[string]any{
			jsModule(t, "jspub", "publisher", map[string]any{"count": 1 << 40, "size": 64, "stream": "f", "per_tick": 1000}),
			jsModule(t, "echo", "echo", nil),
			nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 10}),
		}, []map[string]any{link("jspub", "echo"), link("echo", "sink")}))
		eventually(t, 15*time.Second, fmt.Sprintf("%d messages at the sink", wait), func() bool {
			r, ok := readReport(report)
			return ok && r.Received >= wait
		})
		if code := p.stop(15 * time.Second); code != 0 {
			t.Fatalf("run %d: exit code %d", i, code)
		}
		rep, _ := readReport(report)
		s := rep.Streams["f"]
		if s.Received < wait || s.LastSeq != int64(s.Received)-1 || s.Lost != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 {
			t.Fatalf("run %d: sink %+v", i, s)
		}
	}
}

// A JS module that blocks the Node thread forever cannot hang the gateway's
// shutdown, whether it blocks in receive (with messages waiting for it: reported as
// stuck in Receive, exit 1) or from a timer (its destroy() times out): the gateway
// ends within the bounds (5 s drain or destroy wait, then 5 s for Node to stop) and
// names the module; native modules keep working meanwhile and are destroyed.
func TestNodeStuckModuleDoesNotHangShutdown(t *testing.T) {
	needNode(t)
	cases := []struct {
		name  string
		in    string
		codes []int    // accepted exit codes
		want  []string // in stderr
	}{
		{"in receive", "receive", []int{1}, []string{`gateway: destroy:`, `module "spin"`}},
		// Instance.Destroy cannot return an error: the timeout is logged, the exit code
		// is not specified.
		{"in a timer", "timer", []int{0, 1}, []string{"level=ERROR", "module=spin", "timed out"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			marker := filepath.Join(dir, "destroyed")
			spinning := filepath.Join(dir, "spinning")
			logPath := filepath.Join(dir, "log.txt")
			report := filepath.Join(dir, "sink.json")
			mods := []map[string]any{
				nativeModule("pub", "publisher", map[string]any{"rate": 2000, "size": 16, "stream": "s"}),
				jsModule(t, "spin", "spin", map[string]any{"marker": marker, "spinning": spinning, "in": tc.in}),
				nativeModule("sink", "sink", map[string]any{"report": report, "report_every_ms": 10}),
				nativeModule("logger", "logger", map[string]any{"filename": logPath}),
				nativeModule("hello", "hello_world", nil),
			}
			links := []map[string]any{link("pub", "sink"), link("hello", "logger")}
			if tc.in == "receive" {
				links = append(links, link("pub", "spin"))
			}
			p := gateway(t, dir, config(mods, links))
			eventually(t, 10*time.Second, "the JS module to block", func() bool {
				_, err := os.Stat(spinning)
				return err == nil
			})
			// The native modules keep working while Node is blocked; by the time the
			// sink has 1000 more messages, "spin" has a backlog (in receive).
			r0, _ := readReport(report)
			eventually(t, 10*time.Second, "the native sink to keep receiving", func() bool {
				r, ok := readReport(report)
				return ok && r.Received >= r0.Received+1000
			})
			begin := time.Now()
			code := p.stop(30 * time.Second)
			elapsed := time.Since(begin)
			ok := false
			for _, c := range tc.codes {
				ok = ok || c == code
			}
			if !ok {
				t.Fatalf("exit code %d, want one of %v", code, tc.codes)
			}
			if elapsed > 15*time.Second {
				t.Fatalf("shutdown took %v", elapsed)
			}
			for _, w := range tc.want {
				contains(t, p.stderr.String(), w, "stderr")
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("destroy() of the blocked module ran?")
			}
			entries := readLog(t, logPath)
			if entries[len(entries)-1].Content != "Log stopped" {
				t.Fatal("the logger was not destroyed")
			}
			rep, _ := readReport(report)
			if s := rep.Streams["s"]; s.Lost != 0 || s.BadContent != 0 {
				t.Fatalf("native sink: %+v", s)
			}
			t.Logf("shutdown with a blocked Node thread took %v (exit %d)", elapsed.Round(time.Millisecond), code)
		})
	}
}
