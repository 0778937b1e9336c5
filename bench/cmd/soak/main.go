// Command soak runs the mixed workload for a while and reports messages, losses,
// restarts and RSS over time (issue 9). Every path is publisher -> X -> sink with
// sequence-checked streams, X being a native echo, a Java echo, a JS echo, a C#
// echo and a native echo hosted by a launched gateway-module-host (paths whose
// runtime or build output is missing are left out and said so):
//
//	go run ./bench/cmd/soak -duration 10m           # after `make build`
//	go run ./bench/cmd/soak -duration 20s -rate 500 # what CI runs
//	go run ./bench/cmd/soak -duration 2h -kill-oop-every 5m # with kill -9 of the module host
//
// It execs the real build/gateway (it never loads libgateway.so itself), samples
// VmRSS from /proc and the sink's report every -sample, and exits 1 when a stream
// lost a message or the gateway did not stop cleanly.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/edgev1/gateway/internal/procfs"
)

type streamReport struct {
	Received   uint64 `json:"received"`
	Lost       uint64 `json:"lost"`
	Dups       uint64 `json:"dups"`
	Reorders   uint64 `json:"reorders"`
	BadContent uint64 `json:"bad_content"`
}

type sinkReport struct {
	Received uint64                  `json:"received"`
	Streams  map[string]streamReport `json:"streams"`
}

func main() {
	duration := flag.Duration("duration", time.Minute, "how long to run the workload")
	rate := flag.Int("rate", 2000, "messages per second per path")
	sample := flag.Duration("sample", 5*time.Second, "sampling interval")
	build := flag.String("build", "build", "build directory (make build)")
	killEvery := flag.Duration("kill-oop-every", 0, "SIGKILL the out-of-process module host this often (0: never); must exceed 10s so the restart count resets")
	flag.Parse()
	if err := run(*build, *duration, *rate, *sample, *killEvery, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

func run(build string, duration time.Duration, rate int, sample, killEvery time.Duration, out io.Writer) error {
	build, _ = filepath.Abs(build)
	root, _ := filepath.Abs(".")
	work, err := os.MkdirTemp("", "soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	report := filepath.Join(work, "sink.json")

	mod := func(name, lib string, args any) map[string]any {
		return map[string]any{"name": name, "args": args, "loader": map[string]any{"name": "native",
			"entrypoint": map[string]any{"module.path": filepath.Join(build, "modules", "lib"+lib+".so")}}}
	}
	modules := []map[string]any{mod("sink", "sink", map[string]any{"report": report, "report_every_ms": 500})}
	var links []map[string]any
	var loaders []map[string]any
	var paths []string
	addPath := func(stream string, echo map[string]any) {
		pub := "pub_" + stream
		modules = append(modules, mod(pub, "publisher", map[string]any{"rate": rate, "stream": stream}), echo)
		links = append(links, map[string]any{"source": pub, "sink": echo["name"]}, map[string]any{"source": echo["name"], "sink": "sink"})
		paths = append(paths, stream)
	}
	addPath("native", mod("echo_native", "echo", nil))

	if jar, ok := javaEcho(root, build, work); ok {
		// A fixed Java heap: otherwise G1 grows it towards a quarter of the machine's
		// memory over the run, and the RSS trend would say nothing about the gateway.
		loaders = append(loaders, map[string]any{"type": "java", "name": "java",
			"configuration": map[string]any{"jvm.options": map[string]any{"additional.options": []string{"-Xms48m", "-Xmx48m"}}}})
		addPath("java", map[string]any{"name": "echo_java", "loader": map[string]any{"name": "java",
			"entrypoint": map[string]any{"class.name": "testmods.Echo", "class.path": jar}}})
	} else {
		fmt.Fprintln(out, "soak: java path left out (no javac or binding jar)")
	}
	if _, err := os.Stat(filepath.Join(root, "deps", "libnode")); err == nil {
		addPath("node", map[string]any{"name": "echo_node", "loader": map[string]any{"name": "node",
			"entrypoint": map[string]any{"main.path": filepath.Join(root, "e2e", "testdata", "node", "echo.js")}}})
	} else {
		fmt.Fprintln(out, "soak: node path left out (no deps/libnode; run scripts/setup.sh)")
	}
	if _, err := os.Stat(filepath.Join(build, "dotnet", "TestModules.dll")); err == nil {
		dn := filepath.Join(build, "dotnet")
		loaders = append(loaders, map[string]any{"type": "dotnet", "name": "dotnet",
			"configuration": map[string]any{"binding.path": dn, "assembly.path": []string{dn}}})
		addPath("dotnet", map[string]any{"name": "echo_dotnet", "loader": map[string]any{"name": "dotnet",
			"entrypoint": map[string]any{"assembly.name": "TestModules", "entry.type": "TestModules.Echo"}}})
	} else {
		fmt.Fprintln(out, "soak: dotnet path left out (no build/dotnet/TestModules.dll)")
	}
	ctl := filepath.Join(work, "ipc", "soak_control")
	addPath("oop", map[string]any{"name": "echo_oop", "loader": map[string]any{"name": "outprocess",
		"entrypoint": map[string]any{"activation.type": "launch", "control.id": ctl,
			"launch": map[string]any{"path": filepath.Join(build, "gateway-module-host"), "args": []string{ctl}}}},
		"args": map[string]any{"outprocess.loader": map[string]any{"name": "native",
			"entrypoint": map[string]any{"module.path": filepath.Join(build, "modules", "libecho.so")}}}})

	cfg := map[string]any{"modules": modules, "links": links}
	if len(loaders) > 0 {
		cfg["loaders"] = loaders
	}
	data, _ := json.MarshalIndent(cfg, "", "  ")
	cfgPath := filepath.Join(work, "soak.json")
	if err := os.WriteFile(cfgPath, data, 0o600); err != nil {
		return err
	}

	// info level: the out-of-process restarts are logged at info.
	cmd := exec.Command(filepath.Join(build, "gateway"), "run", "--log-level", "info", cfgPath)
	cmd.Dir = work
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(work, "gateway.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	fmt.Fprintf(out, "soak: %d paths (%s) at %d msg/s each for %v\n", len(paths), strings.Join(paths, ", "), rate, duration)
	fmt.Fprintf(out, "%8s %10s %10s %8s %6s\n", "t", "received", "rss_kb", "lost", "kills")
	start := time.Now()
	var rss []uint64
	tick := time.NewTicker(sample)
	defer tick.Stop()
	deadline := time.After(duration)
	var killTick <-chan time.Time
	if killEvery > 0 {
		kt := time.NewTicker(killEvery)
		defer kt.Stop()
		killTick = kt.C
	}
	kills := 0
loop:
	for {
		select {
		case <-killTick:
			if time.Since(start) > duration-10*time.Second {
				continue // too close to the end for the restart to show before the gateway stops
			}
			if pid := childNamed(cmd.Process.Pid, "gateway-module-host"); pid > 0 {
				if syscall.Kill(pid, syscall.SIGKILL) == nil {
					kills++
				}
			} else {
				fmt.Fprintln(out, "soak: no gateway-module-host child to kill at", time.Since(start).Round(time.Second))
			}
		case err := <-done:
			tail, _ := os.ReadFile(logFile.Name())
			return fmt.Errorf("gateway exited early (%v):\n%s", err, tail)
		case <-deadline:
			break loop
		case <-tick.C:
			r, _ := readReport(report)
			kb, _ := procfs.StatusKB(cmd.Process.Pid, "VmRSS") // 0 when unreadable
			rss = append(rss, kb)
			fmt.Fprintf(out, "%8s %10d %10d %8d %6d\n", time.Since(start).Round(time.Second), r.Received, kb, lost(r), kills)
		}
	}
	_, _ = io.WriteString(stdin, "\n")
	select {
	case err := <-done:
		if err != nil {
			tail, _ := os.ReadFile(logFile.Name())
			return fmt.Errorf("gateway did not stop cleanly (%v):\n%s", err, tail)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		return fmt.Errorf("gateway did not stop within 30 s")
	}
	r, err := readReport(report)
	if err != nil {
		return fmt.Errorf("final sink report: %w", err)
	}
	restarts := strings.Count(mustRead(logFile.Name()), "outprocess: restarting the module host")
	fmt.Fprintln(out, "stream     received   lost   dups  reorders  bad_content")
	bad := false
	for _, p := range paths {
		s := r.Streams[p]
		fmt.Fprintf(out, "%-8s %10d %6d %6d %9d %12d\n", p, s.Received, s.Lost, s.Dups, s.Reorders, s.BadContent)
		if s.Received == 0 || s.Lost != 0 || s.Reorders != 0 || s.BadContent != 0 {
			bad = true
		}
	}
	if len(rss) >= 2 {
		warm := rss[len(rss)/2]
		fmt.Fprintf(out, "rss_kb: after warm-up %d, at the end %d (%+.1f%%)\n",
			warm, rss[len(rss)-1], 100*(float64(rss[len(rss)-1])-float64(warm))/float64(warm))
	}
	fmt.Fprintf(out, "module host kills: %d; restarts logged: %d\n", kills, restarts)
	if bad {
		return fmt.Errorf("a stream lost, reordered or corrupted messages (or received none)")
	}
	if restarts < kills {
		return fmt.Errorf("the module host was killed %d times but restarted %d times", kills, restarts)
	}
	fmt.Fprintln(out, "soak: ok")
	return nil
}

func lost(r sinkReport) uint64 {
	var n uint64
	for _, s := range r.Streams {
		n += s.Lost
	}
	return n
}

func readReport(path string) (sinkReport, error) {
	var r sinkReport
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(data, &r)
}

// childNamed returns the pid of a child of parent whose command line contains name, or 0.
func childNamed(parent int, name string) int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", parent))
	for _, t := range tasks {
		data, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(data)) {
			pid, _ := strconv.Atoi(f)
			if cl, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); strings.Contains(string(cl), name) {
				return pid
			}
		}
	}
	return 0
}

func mustRead(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}

// javaEcho compiles the shared Java test modules (testmodules/java/testmods, among them
// testmods.Echo) against the binding jar into dir.
func javaEcho(root, build, dir string) (string, bool) {
	jar := filepath.Join(build, "java", "gateway-java-binding.jar")
	if _, err := os.Stat(jar); err != nil {
		return "", false
	}
	if _, err := exec.LookPath("javac"); err != nil {
		return "", false
	}
	classes := filepath.Join(dir, "classes")
	files, _ := filepath.Glob(filepath.Join(root, "testmodules", "java", "testmods", "*.java"))
	args := append([]string{"--release", "8", "-nowarn", "-cp", jar, "-d", classes}, files...)
	if out, err := exec.Command("javac", args...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "soak: javac: %v\n%s", err, out)
		return "", false
	}
	return classes, true
}
