package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgev1/gateway/internal/procfs"
)

// asanModules compiles the named test modules (testmodules/<name>/<name>.c, or a path
// to a .c file) with AddressSanitizer into dir and returns their paths by name.
func asanModules(t *testing.T, dir string, names ...string) map[string]string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range names {
		src := filepath.Join(root, "testmodules", name, name+".c")
		if strings.HasSuffix(name, ".c") {
			src = filepath.Join(root, name)
			name = strings.TrimSuffix(filepath.Base(name), ".c")
		}
		lib := filepath.Join(dir, "lib"+name+"_asan.so")
		cmd := exec.Command("gcc", "-std=c99", "-D_POSIX_C_SOURCE=200809L", "-shared", "-fPIC", "-g",
			"-fsanitize=address", "-fno-omit-frame-pointer",
			"-I"+filepath.Join(root, "cshim", "include"), "-I"+filepath.Join(root, "testmodules", "common"),
			src, "-L"+buildDir, "-lgateway", "-o", lib)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gcc %s: %v\n%s", name, err, b)
		}
		out[name] = lib
	}
	return out
}

// preloadASan makes the processes this test starts next run with the ASan runtime
// preloaded (the gateway's own C is not instrumented, but every malloc/free goes
// through ASan) and the message block pool off, so a module's use of a freed message
// is not hidden by recycling. Call it after the last compiler run.
func preloadASan(t *testing.T) {
	t.Helper()
	libasan, err := exec.Command("gcc", "-print-file-name=libasan.so").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LD_PRELOAD", strings.TrimSpace(string(libasan)))
	// handle_segv=0: Go's runtime owns SIGSEGV; exitcode 23 tells ASan findings apart.
	t.Setenv("ASAN_OPTIONS", "detect_leaks=1:handle_segv=0:exitcode=23")
	t.Setenv("GATEWAY_BLOCK_POOL", "0")
}

// The C test modules and the legacy samples, built with AddressSanitizer, run inside
// the real gateway through a flood and the hello world sample: no ASan report, and
// LeakSanitizer finds nothing left at exit - while a module that leaks on purpose is
// reported, which shows the check is live.
//
// GATEWAY_ASAN_SOAK=3m keeps the flood running that long, samples the gateway's RSS
// every 10 s and requires it flat after warm-up (the last sample within 10 % of the
// one at a third of the run):
//
//	GATEWAY_ASAN_SOAK=3m GATEWAY_BUILD_DIR=$PWD/build go test -v -run TestNativeModulesUnderASan ./e2e/
func TestNativeModulesUnderASan(t *testing.T) {
	dir := t.TempDir()
	libs := asanModules(t, dir, "publisher", "echo", "sink", "hello_world", "logger", "e2e/testdata/asan/leaky.c")
	report := filepath.Join(dir, "sink.json")
	logPath := filepath.Join(dir, "log.txt")

	preloadASan(t)
	p := gateway(t, dir, config([]map[string]any{
		nativeModuleAt("pub", libs["publisher"], map[string]any{"rate": 0, "stream": "a"}),
		nativeModuleAt("echo", libs["echo"], nil),
		nativeModuleAt("sink", libs["sink"], map[string]any{"report": report, "report_every_ms": 20}),
		nativeModuleAt("hello_world", libs["hello_world"], nil),
		nativeModuleAt("logger", libs["logger"], map[string]any{"filename": logPath}),
	}, []map[string]any{link("pub", "echo"), link("echo", "sink"), link("hello_world", "logger")}))
	eventually(t, 60*time.Second, "100,000 messages through the ASan modules and a hello world logged", func() bool {
		r, ok := readReport(report)
		log, _ := os.ReadFile(logPath)
		return ok && r.Received >= 100_000 && strings.Contains(string(log), "helloWorld")
	})
	if soak := os.Getenv("GATEWAY_ASAN_SOAK"); soak != "" {
		asanSoak(t, p, soak, report)
	}
	code := p.stop(60 * time.Second)
	if strings.Contains(p.stderr.String(), "Sanitizer") || code != 0 {
		t.Fatalf("exit code %d, or a sanitizer report in stderr (the log follows)", code)
	}
	if r, ok := readReport(report); !ok || r.Streams["a"].Lost != 0 || r.Streams["a"].BadContent != 0 {
		t.Fatalf("sink report %+v", r)
	}

	// The negative control.
	leakDir := t.TempDir()
	q := gateway(t, leakDir, config([]map[string]any{nativeModuleAt("leaky", libs["leaky"], nil)}, nil))
	eventually(t, 30*time.Second, "gateway started", func() bool { return strings.Contains(q.stdout.String(), "ENTER") })
	if code := q.stop(30 * time.Second); code != 23 || !strings.Contains(q.stderr.String(), "LeakSanitizer: detected memory leaks") ||
		!strings.Contains(q.stderr.String(), "4321 byte(s)") {
		t.Fatalf("the leaking module was not reported (exit code %d); stderr:\n%s", code, q.stderr.String())
	}
}

// asanSoak keeps the ASan gateway p running for the duration d (a time.Duration
// string), logging messages received and RSS every 10 s, and fails if RSS still grows
// after the first third.
func asanSoak(t *testing.T, p *proc, d, report string) {
	t.Helper()
	dur, err := time.ParseDuration(d)
	if err != nil {
		t.Fatalf("GATEWAY_ASAN_SOAK: %v", err)
	}
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	end := time.After(dur)
	start := time.Now()
	var rss []uint64
	for done := false; !done; {
		select {
		case <-end:
			done = true
		case <-tick.C:
			kb, err := procfs.StatusKB(p.cmd.Process.Pid, "VmRSS")
			if err != nil {
				t.Fatal(err)
			}
			r, _ := readReport(report)
			rss = append(rss, kb)
			t.Logf("%6s received %10d  rss %7d kB", time.Since(start).Round(time.Second), r.Received, kb)
		}
	}
	if len(rss) < 3 {
		t.Fatalf("GATEWAY_ASAN_SOAK=%s: too short for 3 samples", d)
	}
	warm, last := rss[len(rss)/3], rss[len(rss)-1]
	if last > warm+warm/10 {
		t.Fatalf("RSS grew from %d kB (after warm-up) to %d kB", warm, last)
	}
}
