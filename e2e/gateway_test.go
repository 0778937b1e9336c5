package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

type logEntry struct {
	Time       string            `json:"time"`
	Content    string            `json:"content"`
	Properties map[string]string `json:"properties"`
}

var ctimeRe = regexp.MustCompile(`^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$`)

func readLog(t *testing.T, path string) []logEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var entries []logEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatalf("log %s is not a JSON array: %v\n%s", path, err, data)
	}
	return entries
}

func helloWorldConfig(logPath string) map[string]any {
	return config([]map[string]any{
		nativeModule("logger", "logger", map[string]any{"filename": logPath}),
		nativeModule("hello_world", "hello_world", nil),
	}, []map[string]any{link("hello_world", "logger")})
}

const helloB64 = "aGVsbG8gd29ybGQ=" // "hello world"

func TestHelloWorldSample(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "log.txt")
	for run := 1; run <= 2; run++ {
		p := gateway(t, dir, helloWorldConfig(logPath))
		eventually(t, 10*time.Second, "a hello world message in log.txt", func() bool {
			data, _ := os.ReadFile(logPath)
			return strings.Count(string(data), helloB64) >= run
		})
		if code := p.stop(10 * time.Second); code != 0 {
			t.Fatalf("run %d: exit code %d", run, code)
		}
		out := p.stdout.String()
		contains(t, out, "gateway successfully created from JSON\ngateway shall run until ENTER is pressed\n", "stdout")
	}
	entries := readLog(t, logPath)
	starts, stops, msgs := 0, 0, 0
	for i, e := range entries {
		if !ctimeRe.MatchString(e.Time) {
			t.Errorf("entry %d: time %q is not in %%c format", i, e.Time)
		}
		switch e.Content {
		case "Log started":
			starts++
			if e.Properties != nil {
				t.Errorf("entry %d: Log started has properties", i)
			}
		case "Log stopped":
			stops++
		default:
			msgs++
			raw, err := base64.StdEncoding.DecodeString(e.Content)
			if err != nil || string(raw) != "hello world" {
				t.Errorf("entry %d: content %q is not base64 of \"hello world\"", i, e.Content)
			}
			if got := e.Properties["helloWorld"]; got != "from Azure IoT Gateway SDK simple sample!" || len(e.Properties) != 1 {
				t.Errorf("entry %d: properties %v", i, e.Properties)
			}
		}
	}
	if starts != 2 || stops != 2 || msgs < 2 {
		t.Fatalf("two runs appended to one log: starts=%d stops=%d messages=%d", starts, stops, msgs)
	}
	if entries[0].Content != "Log started" || entries[len(entries)-1].Content != "Log stopped" {
		t.Fatalf("log does not start with Log started and end with Log stopped")
	}
	// Byte format of an entry, apart from the time.
	data, _ := os.ReadFile(logPath)
	re := regexp.MustCompile(`\{"time":"[^"]+","properties":\{"helloWorld":"from Azure IoT Gateway SDK simple sample!"\},"content":"aGVsbG8gd29ybGQ="\}`)
	if !re.Match(data) {
		t.Fatalf("no message entry in the SDK's exact format in:\n%s", data)
	}
	if !strings.HasPrefix(string(data), `[{"time":"`) || !strings.HasSuffix(string(data), `"content":"Log stopped"}]`) {
		t.Fatalf("log framing differs from the SDK's:\n%s", data)
	}
}

func TestLegacyHostProgram(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "log.txt")
	cfg := writeJSON(t, dir, "hello.json", helloWorldConfig(logPath))
	p := start(t, dir, filepath.Join(buildDir, "e2e", "legacy_host"), cfg)
	eventually(t, 10*time.Second, "a hello world message in log.txt", func() bool {
		data, _ := os.ReadFile(logPath)
		return strings.Contains(string(data), helloB64)
	})
	if code := p.stop(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if got := p.stdout.String(); got != "gateway successfully created from JSON\ngateway shall run until ENTER is pressed\n" {
		t.Fatalf("stdout %q", got)
	}
	entries := readLog(t, logPath)
	if entries[len(entries)-1].Content != "Log stopped" {
		t.Fatal("log not closed")
	}
}

func TestRuntimeAPIFromC(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, filepath.Join(buildDir, "e2e", "api_host"), filepath.Join(buildDir, "modules"), dir)
	if code := p.wait(60 * time.Second); code != 0 {
		t.Fatalf("api_host exit code %d", code)
	}
	contains(t, p.stdout.String(), " 0 failed", "api_host summary")
}

func TestShutdown(t *testing.T) {
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
			logPath := filepath.Join(dir, "log.txt")
			p := gateway(t, dir, helloWorldConfig(logPath))
			eventually(t, 10*time.Second, "gateway started", func() bool {
				return strings.Contains(p.stdout.String(), "ENTER")
			})
			tc.stop(p)
			if code := p.wait(10 * time.Second); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			entries := readLog(t, logPath)
			if entries[len(entries)-1].Content != "Log stopped" {
				t.Fatal("modules were not destroyed")
			}
		})
	}
}

func TestFloodZeroLoss(t *testing.T) {
	for _, sinks := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d sinks", sinks), func(t *testing.T) {
			const count = 300000
			dir := t.TempDir()
			mods := []map[string]any{nativeModule("pub", "publisher", map[string]any{"count": count, "rate": 0, "stream": "flood"})}
			var links []map[string]any
			var reports []string
			for i := 0; i < sinks; i++ {
				name := fmt.Sprintf("sink%d", i)
				rep := filepath.Join(dir, name+".json")
				reports = append(reports, rep)
				mods = append(mods, nativeModule(name, "sink", map[string]any{"report": rep, "report_every_ms": 20}))
				links = append(links, link("pub", name))
			}
			p := gateway(t, dir, config(mods, links))
			eventually(t, 60*time.Second, "every sink to receive every message", func() bool {
				for _, r := range reports {
					rep, ok := readReport(r)
					if !ok || rep.Received < count {
						return false
					}
				}
				return true
			})
			if code := p.stop(20 * time.Second); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			for _, r := range reports {
				rep, ok := readReport(r)
				if !ok {
					t.Fatalf("no final report %s", r)
				}
				s := rep.Streams["flood"]
				if rep.Received != count || s.Received != count || s.Lost != 0 || s.Gaps != 0 || s.Dups != 0 || s.Reorders != 0 || s.BadContent != 0 || s.LastSeq != count-1 {
					t.Fatalf("%s: %+v", r, rep)
				}
			}
		})
	}
}
