package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ---- gateway validate ---------------------------------------------------------------

type finding struct {
	Path     string `json:"path"`
	Module   string `json:"module"`
	Loader   string `json:"loader"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// validate runs `gateway validate [flags] <dir>/config.json` and returns its exit code and stdout.
func validate(t *testing.T, dir string, cfg any, flags ...string) (int, string) {
	t.Helper()
	path := writeJSON(t, dir, "config.json", cfg)
	args := append([]string{"validate"}, flags...)
	p := start(t, dir, filepath.Join(buildDir, "gateway"), append(args, path)...)
	code := p.wait(30 * time.Second)
	return code, p.stdout.String()
}

// Every broken configuration of TestConfigErrors is reported by validate, without
// running anything; the JSON output lists the same problems.
func TestValidateReportsEachBrokenConfig(t *testing.T) {
	hello := nativeModule("hello", "hello_world", nil)
	notALib := filepath.Join(t.TempDir(), "libnotalib.so")
	if err := os.WriteFile(notALib, []byte(strings.Repeat("not an ELF file\n", 256)), 0o644); err != nil {
		t.Fatal(err)
	}
	mod := func(name, path string) map[string]any {
		return map[string]any{"name": name, "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": path}}}
	}
	cases := []struct {
		name     string
		cfg      any
		want     []string
		jsonPath string // path of the (first) JSON finding
	}{
		{"invalid JSON", "{\n  \"modules\": [,\n  \"links\": []\n}", []string{"config.json:2:16: invalid JSON at line 2, column 16"}, ""},
		{"missing modules", `{"links": []}`, []string{"modules: missing"}, "modules"},
		{"missing links", `{"modules": []}`, []string{"links: missing"}, "links"},
		{"modules not an array", `{"modules": {}, "links": []}`, []string{"modules: must be an array"}, "modules"},
		{"duplicate module", config([]map[string]any{hello, hello}, nil), []string{"modules[1].name", `duplicate module name "hello"`}, "modules[1].name"},
		{"module named star", config([]map[string]any{nativeModule("*", "hello_world", nil)}, nil), []string{"modules[0].name", `"*" is reserved`}, "modules[0].name"},
		{"module without name", `{"modules":[{"loader":{"name":"native","entrypoint":{"module.path":"x"}}}],"links":[]}`, []string{"modules[0].name: missing"}, "modules[0].name"},
		{"link to unknown module", config([]map[string]any{hello}, []map[string]any{link("hello", "nosuch")}), []string{"links[0].sink", `unknown module "nosuch"`}, "links[0].sink"},
		{"link from unknown module", config([]map[string]any{hello}, []map[string]any{link("nosuch", "hello")}), []string{"links[0].source", `unknown module "nosuch"`}, "links[0].source"},
		{"star as sink", config([]map[string]any{hello}, []map[string]any{link("hello", "*")}), []string{"links[0].sink", `"*" cannot be a sink`}, "links[0].sink"},
		{"duplicate link", config([]map[string]any{hello}, []map[string]any{link("hello", "hello"), link("hello", "hello")}), []string{"links[1]", "duplicate link"}, "links[1]"},
		{"unknown loader name", `{"modules":[{"name":"m","loader":{"name":"nosuch","entrypoint":{}}}],"links":[]}`, []string{`module "m"`, `unknown loader "nosuch"`}, "modules[0].loader.name"},
		{"unknown loader type", `{"loaders":[{"type":"cobol","name":"c"}],"modules":[],"links":[]}`, []string{`loaders[0]`, `unknown loader type "cobol"`}, "loaders[0].type"},
		{"missing entrypoint", `{"modules":[{"name":"m","loader":{"name":"native"}}],"links":[]}`, []string{`module "m"`, `missing "entrypoint"`}, "modules[0].loader.entrypoint"},
		{"missing module.path", `{"modules":[{"name":"m","loader":{"name":"native","entrypoint":{}}}],"links":[]}`, []string{`module "m"`, `missing "module.path"`}, "modules[0].loader.entrypoint"},
		{"library not found", config([]map[string]any{mod("m", "/nonexistent/libm.so")}, nil), []string{`module "m"`, "/nonexistent/libm.so", "no such file or directory"}, "modules[0].loader.entrypoint"},
		{"not a library", config([]map[string]any{mod("m", notALib)}, nil), []string{`module "m"`, "cannot load library", "invalid ELF header"}, "modules[0].loader.entrypoint"},
		{"no Module_GetApi", config([]map[string]any{nativeModule("m", "no_getapi", nil)}, nil), []string{`module "m"`, "does not export Module_GetApi"}, "modules[0].loader.entrypoint"},
		{"bad API version", config([]map[string]any{nativeModule("m", "bad_api_version", nil)}, nil), []string{`module "m"`, "unsupported module API version"}, "modules[0].loader.entrypoint"},
		{"NULL Module_Receive", config([]map[string]any{nativeModule("m", "null_receive", nil)}, nil), []string{`module "m"`, "Module_Receive is NULL"}, "modules[0].loader.entrypoint"},
		{"java class.path missing", `{"modules":[{"name":"j","loader":{"name":"java","entrypoint":{"class.name":"X","class.path":"/nonexistent/x.jar"}}}],"links":[]}`, []string{`module "j"`, "class.path", "/nonexistent/x.jar"}, "modules[0].loader.entrypoint"},
		{"bad queue policy", config([]map[string]any{{"name": "m", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": module("echo")}}, "queue": map[string]any{"overflow": "explode"}}}, nil), []string{"modules[0].queue.overflow"}, "modules[0].queue.overflow"},
		{"bad metrics address", map[string]any{"modules": []any{}, "links": []any{}, "metrics": map[string]any{"address": "localhost"}}, []string{"metrics.address", "not a listen address"}, "metrics.address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			code, out := validate(t, dir, tc.cfg)
			if code != 1 {
				t.Fatalf("exit code %d, want 1:\n%s", code, out)
			}
			for _, w := range tc.want {
				contains(t, out, w, "validate output")
			}
			contains(t, out, "config.json: 1 error", "summary line")

			code, out = validate(t, dir, tc.cfg, "--json")
			if code != 1 {
				t.Fatalf("--json: exit code %d", code)
			}
			var fs []finding
			if err := json.Unmarshal([]byte(out), &fs); err != nil {
				t.Fatalf("--json output is not a JSON array of findings: %v\n%s", err, out)
			}
			if len(fs) != 1 || fs[0].Severity != "error" || fs[0].Path != tc.jsonPath {
				t.Fatalf("findings %+v, want one error at %q", fs, tc.jsonPath)
			}
			if strings.HasPrefix(tc.jsonPath, "modules[0].loader") && fs[0].Module == "" {
				t.Fatalf("finding does not name the module: %+v", fs[0])
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		p := start(t, t.TempDir(), filepath.Join(buildDir, "gateway"), "validate", "/nonexistent/config.json")
		if code := p.wait(10 * time.Second); code != 1 {
			t.Fatalf("exit code %d", code)
		}
		contains(t, p.stdout.String(), "/nonexistent/config.json: no such file or directory", "stdout")
	})
}

// One configuration with many problems: validate reports them all at once, config
// rules and loader dry runs alike, each with its path, module and loader.
func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "log.txt")
	cfg := map[string]any{
		"loaders": []any{map[string]any{"type": "cobol", "name": "c"}},
		"modules": []any{
			nativeModule("logger", "logger", map[string]any{"filename": logPath}),
			nativeModule("logger", "hello_world", nil),
			nativeModule("noapi", "no_getapi", nil),
			nativeModule("badver", "bad_api_version", nil),
			map[string]any{"name": "gone", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": "/nonexistent/libgone.so"}}},
			map[string]any{"name": "j", "loader": map[string]any{"name": "java", "entrypoint": map[string]any{"class.name": "X", "class.path": "/nonexistent/x.jar"}}},
			map[string]any{"name": "q", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": module("echo")}}, "queue": map[string]any{"capacity": 0}},
			map[string]any{"name": "l", "loader": map[string]any{"name": "nosuch", "entrypoint": map[string]any{}}},
		},
		"links": []any{link("logger", "nosuch"), link("*", "*")},
	}
	code, out := validate(t, dir, cfg, "--json")
	if code != 1 {
		t.Fatalf("exit code %d:\n%s", code, out)
	}
	var fs []finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	type key struct{ path, module, loader string }
	got := map[key]string{}
	for _, f := range fs {
		got[key{f.Path, f.Module, f.Loader}] = f.Message
	}
	want := map[key]string{
		{"modules[1].name", "logger", "native"}:              `duplicate module name "logger"`,
		{"modules[6].queue.capacity", "q", "native"}:         "must be an integer",
		{"links[0].sink", "", ""}:                            `unknown module "nosuch"`,
		{"links[1].sink", "", ""}:                            `"*" cannot be a sink`,
		{"loaders[0].type", "", "c"}:                         `unknown loader type "cobol"`,
		{"modules[2].loader.entrypoint", "noapi", "native"}:  "does not export Module_GetApi",
		{"modules[3].loader.entrypoint", "badver", "native"}: "unsupported module API version",
		{"modules[4].loader.entrypoint", "gone", "native"}:   "no such file or directory",
		{"modules[5].loader.entrypoint", "j", "java"}:        "/nonexistent/x.jar",
		{"modules[7].loader.name", "l", "nosuch"}:            `unknown loader "nosuch"`,
	}
	for k, w := range want {
		msg, ok := got[k]
		if !ok {
			t.Errorf("missing finding %+v", k)
			continue
		}
		contains(t, msg, w, fmt.Sprintf("finding %+v", k))
	}
	if len(fs) != len(want) {
		t.Errorf("%d findings, want %d:\n%s", len(fs), len(want), out)
	}
	if _, err := os.Stat(logPath); !os.IsNotExist(err) {
		t.Fatal("validate created a module (the logger's file exists)")
	}

	code, text := validate(t, dir, cfg)
	if code != 1 {
		t.Fatalf("exit code %d", code)
	}
	contains(t, text, fmt.Sprintf("config.json: %d errors, 0 warnings", len(want)), "summary")
	if n := strings.Count(text, "\n"); n != len(want)+1 {
		t.Fatalf("%d lines, want one per problem plus the summary:\n%s", n, text)
	}
}

// A valid configuration passes; validate opens the native libraries but creates no
// module (Module_Create failures are found only at run time).
func TestValidateAcceptsAValidConfig(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "log.txt")
	cfg := helloWorldConfig(logPath)
	cfg["metrics"] = map[string]any{"address": "127.0.0.1:9464"}
	code, out := validate(t, dir, cfg)
	if code != 0 {
		t.Fatalf("exit code %d:\n%s", code, out)
	}
	contains(t, out, "config.json: OK: 2 modules, 1 link; 2 entry points dry-run, 0 not checked", "stdout")
	code, out = validate(t, dir, cfg, "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("--json: exit code %d, output %q", code, out)
	}
	if _, err := os.Stat(logPath); !os.IsNotExist(err) {
		t.Fatal("validate created the logger module")
	}
	code, _ = validate(t, dir, config([]map[string]any{nativeModule("m", "fail_create", nil)}, nil))
	if code != 0 {
		t.Fatal("validate does not call Module_Create")
	}
}

// ---- metrics ---------------------------------------------------------------------

var metricsAddrRe = regexp.MustCompile(`msg="metrics: serving[^"]*" address=(\S+)`)

// metricsURL waits for the gateway's log line naming the metrics address.
func metricsURL(t *testing.T, p *proc) string {
	t.Helper()
	var addr string
	eventually(t, 10*time.Second, "the metrics listener", func() bool {
		m := metricsAddrRe.FindStringSubmatch(p.stderr.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	})
	return "http://" + addr
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// sample returns the value of one series ("name{labels}" as exposed) of a scrape.
func sample(text, series string) (float64, bool) {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

func must(t *testing.T, text, series string) float64 {
	t.Helper()
	v, ok := sample(text, series)
	if !ok {
		t.Fatalf("series %s not in the scrape:\n%s", series, text)
	}
	return v
}

// Metrics scraped while a publisher floods three sinks (one behind a small
// drop-newest queue) are consistent all along and end equal to the sinks' own counts.
func TestMetricsDuringFlood(t *testing.T) {
	const count = 200000
	dir := t.TempDir()
	sinks := []string{"sink0", "sink1", "lossy"}
	mods := []map[string]any{nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "flood", "start_delay_ms": 200})}
	var links []map[string]any
	for _, s := range sinks {
		m := nativeModule(s, "sink", map[string]any{"report": filepath.Join(dir, s+".json"), "report_every_ms": 20})
		if s == "lossy" {
			m["queue"] = map[string]any{"capacity": 8, "overflow": "drop-newest"}
		}
		mods = append(mods, m)
		links = append(links, link("pub", s))
	}
	cfg := config(mods, links)
	cfg["metrics"] = map[string]any{"address": "127.0.0.1:0"} // from the configuration this time
	p := gateway(t, dir, cfg)
	base := metricsURL(t, p)

	eventually(t, 10*time.Second, "readiness", func() bool {
		code, _ := httpGet(t, base+"/readyz")
		return code == 200
	})
	if code, body := httpGet(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}

	last := map[string]float64{}
	prev := map[string]float64{}
	scrapes := 0
	done := func(text string) bool {
		for _, s := range []string{"sink0", "sink1"} {
			if v, _ := sample(text, `gateway_module_messages_received_total{module="`+s+`"}`); v != count {
				return false
			}
		}
		r, _ := sample(text, `gateway_module_messages_received_total{module="lossy"}`)
		d, _ := sample(text, `gateway_module_messages_dropped_total{module="lossy"}`)
		return r+d == count
	}
	deadline := time.Now().Add(60 * time.Second)
	var text string
	for {
		_, text = httpGet(t, base+"/metrics")
		scrapes++
		pub := must(t, text, `gateway_module_messages_published_total{module="pub"}`)
		for _, s := range sinks {
			r := must(t, text, `gateway_module_messages_received_total{module="`+s+`"}`)
			d := must(t, text, `gateway_module_messages_dropped_total{module="`+s+`"}`)
			q := must(t, text, `gateway_module_queue_depth{module="`+s+`"}`)
			if r < last[s] {
				t.Fatalf("%s: received went down from %v to %v", s, last[s], r)
			}
			last[s] = r
			// A scrape reads the publisher's counters before the sinks', so what a
			// sink got or dropped is checked against the next scrape's published.
			if prev[s] > pub {
				t.Fatalf("%s: received + dropped %v > published %v (next scrape)", s, prev[s], pub)
			}
			prev[s] = r + d
			if q < 0 {
				t.Fatalf("%s: queue depth %v", s, q)
			}
			if s != "lossy" && d != 0 {
				t.Fatalf("%s: blocking queue dropped %v", s, d)
			}
		}
		if done(text) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the metrics never showed every message:\n%s", text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if scrapes < 3 {
		t.Logf("only %d scrapes during the flood", scrapes)
	}
	if v := must(t, text, `gateway_module_messages_published_total{module="pub"}`); v != count {
		t.Fatalf("published %v, want %d", v, count)
	}
	// The sinks' own counts match the metrics.
	for _, s := range sinks {
		want := must(t, text, `gateway_module_messages_received_total{module="`+s+`"}`)
		eventually(t, 10*time.Second, s+"'s report to match the metrics", func() bool {
			r, ok := readReport(filepath.Join(dir, s+".json"))
			return ok && float64(r.Received) == want
		})
		r, _ := readReport(filepath.Join(dir, s+".json"))
		st := r.Streams["flood"]
		if st.Dups != 0 || st.Reorders != 0 || st.BadContent != 0 {
			t.Fatalf("%s: %+v", s, st)
		}
		if s != "lossy" && st.Lost != 0 {
			t.Fatalf("%s lost %d", s, st.Lost)
		}
		if n := must(t, text, `gateway_module_receive_duration_seconds_count{module="`+s+`"}`); n <= 0 {
			t.Fatalf("%s: no Receive durations observed", s)
		}
	}
	for _, series := range []string{`gateway_modules`, `gateway_links`, `gateway_ready`, `gateway_module_info{loader="native",module="pub"}`, `go_goroutines`, `process_resident_memory_bytes`} {
		must(t, text, series)
	}
	if code := p.stop(20 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

// ---- live reload -------------------------------------------------------------------

// streamOK fails the test unless the stream in the report was received in order,
// without loss.
func streamOK(t *testing.T, report, stream string) uint64 {
	t.Helper()
	r, ok := readReport(report)
	if !ok {
		t.Fatalf("no report %s", report)
	}
	s, ok := r.Streams[stream]
	if !ok || s.Received == 0 || s.Lost != 0 || s.Gaps != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 {
		t.Fatalf("%s: stream %q: %+v", report, stream, s)
	}
	return s.Received
}

func received(path, stream string) uint64 {
	r, ok := readReport(path)
	if !ok {
		return 0
	}
	return r.Streams[stream].Received
}

// SIGHUP under load adds a module and a link, removes a module and a link; the links
// that stay lose nothing (sequence-checked streams).
func TestReloadOnSIGHUPUnderLoad(t *testing.T) {
	dir := t.TempDir()
	rep := func(n string) string { return filepath.Join(dir, n+".json") }
	sink := func(n string) map[string]any {
		return nativeModule(n, "sink", map[string]any{"report": rep(n), "report_every_ms": 20})
	}
	pubA := nativeModule("pubA", "publisher", map[string]any{"rate": 20000, "stream": "a"})
	pubB := nativeModule("pubB", "publisher", map[string]any{"rate": 20000, "stream": "b"})
	v1 := config([]map[string]any{pubA, pubB, sink("sinkA"), sink("sinkB"), sink("extra"), sink("old")},
		[]map[string]any{link("pubA", "sinkA"), link("pubB", "sinkB"), link("pubA", "extra"), link("pubB", "extra"), link("pubA", "old")})
	v2 := config([]map[string]any{pubA, pubB, sink("sinkA"), sink("sinkB"), sink("extra"), sink("new")},
		[]map[string]any{link("pubA", "sinkA"), link("pubB", "sinkB"), link("pubA", "extra"), link("pubB", "new")})

	p := gateway(t, dir, v1, "--metrics-addr", "127.0.0.1:0")
	base := metricsURL(t, p)
	eventually(t, 10*time.Second, "traffic", func() bool {
		return received(rep("sinkA"), "a") > 2000 && received(rep("extra"), "b") > 2000 && received(rep("old"), "a") > 2000
	})
	writeJSON(t, dir, "config.json", v2)
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the reload log line", func() bool {
		return strings.Contains(p.stderr.String(), `msg="configuration reloaded"`)
	})
	contains(t, p.stderr.String(), `changes="modules +new -old; links +pubB->new -pubB->extra -pubA->old"`, "reload log line")

	// Traffic goes on: on the links that stay, and on the new one.
	a0, b0, e0 := received(rep("sinkA"), "a"), received(rep("sinkB"), "b"), received(rep("extra"), "a")
	eventually(t, 10*time.Second, "traffic after the reload", func() bool {
		return received(rep("sinkA"), "a") > a0+2000 && received(rep("sinkB"), "b") > b0+2000 &&
			received(rep("extra"), "a") > e0+2000 && received(rep("new"), "b") > 2000
	})
	_, text := httpGet(t, base+"/metrics")
	if v := must(t, text, `gateway_reloads_total{result="ok"}`); v != 1 {
		t.Fatalf("reloads ok = %v", v)
	}
	must(t, text, `gateway_module_info{loader="native",module="new"}`)
	if _, ok := sample(text, `gateway_module_info{loader="native",module="old"}`); ok {
		t.Fatal("the removed module still has metrics")
	}
	if v := must(t, text, `gateway_links`); v != 4 {
		t.Fatalf("gateway_links = %v", v)
	}
	extraB := received(rep("extra"), "b")

	if code := p.stop(20 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	// Untouched links: every message, in order.
	streamOK(t, rep("sinkA"), "a")
	streamOK(t, rep("sinkB"), "b")
	streamOK(t, rep("extra"), "a")
	// The removed link: a loss-free prefix, nothing after the reload.
	if got := streamOK(t, rep("extra"), "b"); got != extraB {
		t.Fatalf("extra kept receiving stream b after its link was removed: %d then %d", extraB, got)
	}
	// The removed module: destroyed during the reload (final report), loss-free.
	streamOK(t, rep("old"), "a")
	var final struct{ Final bool }
	data, _ := os.ReadFile(rep("old"))
	if json.Unmarshal(data, &final) != nil || !final.Final {
		t.Fatalf("old: no final report: %s", data)
	}
	// The new module joined stream b midway: one initial gap, then in order.
	r, _ := readReport(rep("new"))
	if s := r.Streams["b"]; s.Received == 0 || s.Dups != 0 || s.Reorders != 0 || s.Gaps > 1 || s.BadContent != 0 {
		t.Fatalf("new: %+v", s)
	}
}

// A reload that fails (Module_Create of a new module fails after other changes were
// made; then a file that is not JSON) leaves the previous configuration running.
func TestFailingReloadKeepsThePreviousConfiguration(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "gw.sock")
	rep := func(n string) string { return filepath.Join(dir, n+".json") }
	pub := nativeModule("pub", "publisher", map[string]any{"rate": 20000, "stream": "s"})
	sink := nativeModule("sink", "sink", map[string]any{"report": rep("sink"), "report_every_ms": 20})
	other := nativeModule("other", "sink", map[string]any{"report": rep("other"), "report_every_ms": 20})
	v1 := config([]map[string]any{pub, sink, other}, []map[string]any{link("pub", "sink"), link("pub", "other")})
	other2 := nativeModule("other", "sink", map[string]any{"report": rep("other2"), "report_every_ms": 20})
	v2 := config([]map[string]any{pub, sink, other2,
		nativeModule("extra", "sink", map[string]any{"report": rep("extra")}),
		nativeModule("bad", "fail_create", nil)},
		[]map[string]any{link("pub", "sink"), link("pub", "extra"), link("pub", "other"), link("pub", "bad")})

	p := gateway(t, dir, v1, "--control-socket", sock)
	eventually(t, 10*time.Second, "traffic", func() bool { return received(rep("sink"), "s") > 2000 })
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("control socket mode %v, want owner-only", fi.Mode().Perm())
	}
	gw := filepath.Join(buildDir, "gateway")
	status := func() (mods []string, links [][2]string) {
		t.Helper()
		c := start(t, dir, gw, "status", "--json", "--control-socket", sock)
		if code := c.wait(20 * time.Second); code != 0 {
			t.Fatalf("status: exit code %d: %s", code, c.stderr.String())
		}
		var resp struct {
			OK     bool
			Result struct {
				Ready   bool
				Modules []struct{ Name string }
				Links   [][2]string
			}
		}
		if err := json.Unmarshal([]byte(c.stdout.String()), &resp); err != nil || !resp.OK || !resp.Result.Ready {
			t.Fatalf("status: %v %s", err, c.stdout.String())
		}
		for _, m := range resp.Result.Modules {
			mods = append(mods, m.Name)
		}
		return mods, resp.Result.Links
	}
	mods0, links0 := status()
	if strings.Join(mods0, ",") != "pub,sink,other" || len(links0) != 2 {
		t.Fatalf("status before: %v %v", mods0, links0)
	}

	writeJSON(t, dir, "config.json", v2)
	c := start(t, dir, gw, "reload", "--control-socket", sock)
	if code := c.wait(30 * time.Second); code != 1 {
		t.Fatalf("reload: exit code %d, want 1\n%s\n%s", code, c.stdout.String(), c.stderr.String())
	}
	contains(t, c.stderr.String(), `module "bad"`, "reload error")
	contains(t, c.stderr.String(), "Module_Create failed", "reload error")
	contains(t, p.stderr.String(), "reload failed; the previous configuration keeps running", "gateway log")
	mods1, links1 := status()
	if strings.Join(mods1, ",") != strings.Join(mods0, ",") || fmt.Sprint(sortedLinks(links1)) != fmt.Sprint(sortedLinks(links0)) {
		t.Fatalf("after the failed reload: %v %v, want %v %v", mods1, links1, mods0, links0)
	}
	// "extra" was created then destroyed by the rollback (its Destroy wrote a report).
	if r, ok := readReport(rep("extra")); !ok || r.Received != 0 {
		t.Fatalf("extra: %+v %v", r, ok)
	}

	// Not even JSON: SIGHUP logs the error, nothing changes.
	writeJSON(t, dir, "config.json", "{ not json")
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the second failure", func() bool {
		return strings.Count(p.stderr.String(), "reload failed; the previous configuration keeps running") >= 2
	})
	contains(t, p.stderr.String(), "invalid JSON at line 1", "gateway log")

	s0 := received(rep("sink"), "s")
	eventually(t, 10*time.Second, "traffic after the failed reloads", func() bool { return received(rep("sink"), "s") > s0+2000 })
	if code := p.stop(20 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	streamOK(t, rep("sink"), "s")
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Fatal("the control socket was not removed at exit")
	}
}

func sortedLinks(l [][2]string) []string {
	var out []string
	for _, x := range l {
		out = append(out, x[0]+">"+x[1])
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// ---- logs --------------------------------------------------------------------------

// --log-format json: every log line is a JSON object; lines about a module, from Go
// and from the module's own xlogging calls, carry its name.
func TestStructuredJSONLogs(t *testing.T) {
	dir := t.TempDir()
	p := gateway(t, dir, config([]map[string]any{
		nativeModule("hello", "hello_world", nil),
		nativeModule("failing", "fail_create", nil),
	}, nil), "--log-format", "json", "--log-level", "debug")
	if code := p.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d", code)
	}
	lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "gateway: ") {
		t.Fatalf("last line is not the reason: %q", last)
	}
	var created, xlog bool
	for _, l := range lines[:len(lines)-1] {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := e[k]; !ok {
				t.Fatalf("line without %q: %s", k, l)
			}
		}
		if e["msg"] == "module created" && e["module"] == "hello" {
			created = true
		}
		if strings.Contains(fmt.Sprint(e["msg"]), "fails on purpose") {
			xlog = true
			if e["module"] != "failing" || e["level"] != "ERROR" || !strings.Contains(fmt.Sprint(e["src"]), "fail_create.c:") {
				t.Fatalf("xlogging line: %s", l)
			}
		}
	}
	if !created || !xlog {
		t.Fatalf("created=%v xlogging=%v in:\n%s", created, xlog, p.stderr.String())
	}
}
