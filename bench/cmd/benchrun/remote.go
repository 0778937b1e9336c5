package main

// Scenarios across a process or language boundary: raw nanomsg pair sockets, the
// outprocess proxy with gateway-module-host, and sinks / publishers written in
// Java, C# (.NET on Mono) and JavaScript (Node). The Java, .NET and Node modules
// are the e2e tests' (e2e/testdata/...), compiled into the run's scratch
// directory like the e2e tests do; the JS publisher with a timing report is
// bench/node/publisher.js.
//
// Throughput here is end to end: messages over the time from the publisher's
// first publish (its report's appearance minus its elapsed_ns) to the sink's last
// receive (its "expect reached" report's appearance, seen through inotify; the
// Node counting sink's progress file is polled every 5 ms instead).

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// ---- shared ------------------------------------------------------------------------

// timedSpec is a gateway run timed from the publisher's first publish to the sink's
// last receive.
type timedSpec struct {
	Name     string
	Dir      string
	Cfg      Config
	Count    uint64
	PubFile  string      // name in Dir of a PubReport written when the publisher finished
	SinkFile string      // name in Dir of the file that appears when the sink has Count messages
	Done     func() bool // when SinkFile is "": polled every 5 ms until the sink has Count messages
	// Check reads the sink's report after the gateway stopped and returns a row with
	// Received, Lost and optionally P50us/P99us, or an error for anything worse than loss.
	Check func() (Result, error)
}

type watchResult struct {
	at  time.Time
	err error
}

func waitAsync(w *FileWatch, timeout time.Duration) <-chan watchResult {
	ch := make(chan watchResult, 1)
	go func() {
		at, err := w.Wait(timeout)
		ch <- watchResult{at, err}
	}()
	return ch
}

// runTimed starts the gateway, times the run, stops the gateway and checks the reports.
func (e *Env) runTimed(s timedSpec) (Result, error) {
	timeout := 60*time.Second + time.Duration(s.Count)*time.Second/20_000
	wp, err := WatchFile(s.Dir, s.PubFile)
	if err != nil {
		return Result{}, err
	}
	defer wp.Close()
	var ws *FileWatch
	if s.SinkFile != "" {
		if ws, err = WatchFile(s.Dir, s.SinkFile); err != nil {
			return Result{}, err
		}
		defer ws.Close()
	}
	p, err := e.StartGateway(s.Dir, s.Cfg)
	if err != nil {
		return Result{}, err
	}
	defer p.Kill()

	pubCh := waitAsync(wp, timeout)
	var sinkCh <-chan watchResult
	if ws != nil {
		sinkCh = waitAsync(ws, timeout)
	} else {
		ch := make(chan watchResult, 1)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			deadline := time.Now().Add(timeout)
			for time.Now().Before(deadline) {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				if s.Done() {
					ch <- watchResult{at: time.Now()}
					return
				}
			}
			ch <- watchResult{err: fmt.Errorf("the sink did not count %d messages within %v", s.Count, timeout)}
		}()
		sinkCh = ch
	}

	// Wait for both; once the publisher finished the sink gets 15 s more (then the
	// run is stopped and what is missing counts as loss).
	var pubAt, sinkAt time.Time
	var waitErr error
	var grace <-chan time.Time
	for pubAt.IsZero() || sinkAt.IsZero() {
		select {
		case r := <-pubCh:
			if r.err != nil {
				waitErr = fmt.Errorf("%s: publisher report: %w", s.Name, r.err)
			} else {
				pubAt = r.at
				grace = time.After(15 * time.Second)
			}
			pubCh = nil
		case r := <-sinkCh:
			if r.err != nil {
				waitErr = fmt.Errorf("%s: sink: %w", s.Name, r.err)
			} else {
				sinkAt = r.at
			}
			sinkCh = nil
		case <-grace:
			waitErr = fmt.Errorf("%s: the sink did not get every message within 15 s of the publisher's end", s.Name)
		case <-p.done:
			return Result{}, fmt.Errorf("%s: gateway exited early: %v", s.Name, p.Wait(time.Second))
		}
		if waitErr != nil {
			break
		}
	}
	if err := p.Stop(60 * time.Second); err != nil {
		return Result{}, fmt.Errorf("%s: stop: %w", s.Name, err)
	}
	var pub PubReport
	if err := ReadJSON(filepath.Join(s.Dir, s.PubFile), &pub); err != nil {
		return Result{}, fmt.Errorf("%s: publisher: %w", s.Name, err)
	}
	if pub.PublishErrors != 0 || !pub.Finished || pub.Published != s.Count {
		return Result{}, fmt.Errorf("%s: publisher: %d publish errors, finished %v (published %d of %d)",
			s.Name, pub.PublishErrors, pub.Finished, pub.Published, s.Count)
	}
	r, err := s.Check()
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", s.Name, err)
	}
	r.Scenario = s.Name
	r.Sent = u64(pub.Published)
	if waitErr != nil {
		if r.Lost != nil && *r.Lost > 0 {
			return r, nil // reported as loss
		}
		return Result{}, waitErr
	}
	start := pubAt.Add(-time.Duration(pub.ElapsedNs))
	d := sinkAt.Sub(start)
	if d <= 0 {
		return Result{}, fmt.Errorf("%s: sink done %v before the first publish", s.Name, -d)
	}
	r.MsgsPerS = f64(round(float64(val(r.Received))/d.Seconds(), 0))
	logf("  %s: %d messages in %.3f s end to end (publisher alone %.3f s), gateway CPU %.2f s",
		s.Name, uint64(val(r.Received)), d.Seconds(), float64(pub.ElapsedNs)/1e9, p.CPUSeconds())
	return r, nil
}

// nativeSinkCheck checks testmodules/sink's report at path for count messages of stream.
func nativeSinkCheck(path, stream string, count uint64) func() (Result, error) {
	return func() (Result, error) {
		var sr SinkReport
		if err := ReadJSON(path, &sr); err != nil {
			return Result{}, fmt.Errorf("sink: %w", err)
		}
		lost, err := CheckSink(sr, stream, count)
		if err != nil {
			return Result{}, err
		}
		return Result{Received: u64(sr.Streams[stream].Received), Lost: u64(lost),
			P50us: f64(round(sr.P50us, 3)), P99us: f64(round(sr.P99us, 3))}, nil
	}
}

// skip logs why a scenario cannot run here; it produces no row and no failure.
func skip(name, why string) ([]Result, error) {
	logf("  %s: SKIPPED: %s", name, why)
	return nil, nil
}

// ---- nanomsg_pair_raw ----------------------------------------------------------------

var pairrawOnce struct {
	sync.Once
	bin string
	err error
}

// pairrawBin builds bench/cmd/pairraw into the scratch directory (once per run).
func (e *Env) pairrawBin() (string, error) {
	pairrawOnce.Do(func() {
		bin := filepath.Join(e.TmpRoot, "pairraw")
		cmd := exec.Command("go", "build", "-o", bin, "./bench/cmd/pairraw")
		cmd.Dir = e.Root
		if out, err := cmd.CombinedOutput(); err != nil {
			pairrawOnce.err = fmt.Errorf("go build ./bench/cmd/pairraw: %w: %s", err, out)
			return
		}
		pairrawOnce.bin = bin
	})
	return pairrawOnce.bin, pairrawOnce.err
}

type pairSendReport struct {
	Sent      uint64 `json:"sent"`
	StartNs   int64  `json:"start_ns"`
	ElapsedNs int64  `json:"elapsed_ns"`
}

type pairRecvReport struct {
	Received uint64 `json:"received"`
	Bad      uint64 `json:"bad"`
	FirstNs  int64  `json:"first_ns"`
	LastNs   int64  `json:"last_ns"`
}

// nanomsg_pair_raw: two pairraw processes, one sending the message frames the
// outprocess modules carry, one receiving and checking them.
func runPairRaw(e *Env) ([]Result, error) {
	bin, err := e.pairrawBin()
	if err != nil {
		return nil, err
	}
	count := Pick[uint64](e, 200_000, 1_000_000)
	r, err := BestOf(Pick(e, 1, 3), func(int) (Result, error) {
		dir, err := e.TempDir("pair")
		if err != nil {
			return Result{}, err
		}
		url := "ipc://" + filepath.Join(dir, "sock")
		recvPath, sendPath := filepath.Join(dir, "recv.json"), filepath.Join(dir, "send.json")
		rp, err := StartProc(dir, "recv", bin, "recv", url, fmt.Sprint(count), recvPath)
		if err != nil {
			return Result{}, err
		}
		defer rp.Kill()
		sp, err := StartProc(dir, "send", bin, "send", url, fmt.Sprint(count), sendPath)
		if err != nil {
			return Result{}, err
		}
		defer sp.Kill()
		timeout := 30*time.Second + time.Duration(count)*time.Second/20_000
		if err := rp.Wait(timeout); err != nil {
			return Result{}, fmt.Errorf("nanomsg_pair_raw: %w", err)
		}
		if err := sp.Wait(30 * time.Second); err != nil {
			return Result{}, fmt.Errorf("nanomsg_pair_raw: %w", err)
		}
		var sr pairSendReport
		var rr pairRecvReport
		if err := ReadJSON(sendPath, &sr); err != nil {
			return Result{}, err
		}
		if err := ReadJSON(recvPath, &rr); err != nil {
			return Result{}, err
		}
		if rr.Bad != 0 {
			return Result{}, fmt.Errorf("nanomsg_pair_raw: %d of %d frames corrupted or out of order", rr.Bad, rr.Received)
		}
		d := time.Duration(rr.LastNs - sr.StartNs)
		if d <= 0 {
			return Result{}, fmt.Errorf("nanomsg_pair_raw: bad timing (start %d, last %d)", sr.StartNs, rr.LastNs)
		}
		logf("  nanomsg_pair_raw: %d frames in %.3f s (sender alone %.3f s), CPU send %.2f s, recv %.2f s",
			rr.Received, d.Seconds(), float64(sr.ElapsedNs)/1e9, sp.CPUSeconds(), rp.CPUSeconds())
		return Result{Scenario: "nanomsg_pair_raw", MsgsPerS: f64(round(float64(rr.Received)/d.Seconds(), 0)),
			Sent: u64(sr.Sent), Received: u64(rr.Received), Lost: u64(count - rr.Received)}, nil
	})
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}

// ---- out of process --------------------------------------------------------------------

// proxy is an outprocess module entry launching build/gateway-module-host, which
// hosts the native test module lib with args.
func (e *Env) proxy(name, ctl, lib string, args any) Module {
	return Module{
		Name: name,
		Loader: map[string]any{"name": "outprocess", "entrypoint": map[string]any{
			"activation.type": "launch",
			"control.id":      ctl,
			"launch":          map[string]any{"path": filepath.Join(e.Build, "gateway-module-host"), "args": []string{ctl}},
		}},
		Args: map[string]any{
			"outprocess.loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": e.Module(lib)}},
			"module.args":       args,
		},
	}
}

func (e *Env) oopRun(name string, remotePublisher bool) ([]Result, error) {
	if _, err := os.Stat(filepath.Join(e.Build, "gateway-module-host")); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	count := Pick[uint64](e, 100_000, 1_000_000)
	r, err := BestOf(Pick(e, 1, 3), func(int) (Result, error) {
		dir, err := e.TempDir(name)
		if err != nil {
			return Result{}, err
		}
		ctl := filepath.Join(dir, "control")
		sinkPath, pubPath := filepath.Join(dir, "sink.json"), filepath.Join(dir, "publisher.json")
		sinkArgs := map[string]any{"report": sinkPath, "expect": count}
		pubArgs := map[string]any{"count": count, "size": MsgSize, "stream": name, "report": pubPath}
		var cfg Config
		if remotePublisher {
			cfg.Modules = []Module{e.proxy("oop", ctl, "publisher", pubArgs), e.Native("sink", "sink", sinkArgs)}
			cfg.Links = []Link{{Source: "oop", Sink: "sink"}}
		} else {
			cfg.Modules = []Module{e.Native("publisher", "publisher", pubArgs), e.proxy("oop", ctl, "sink", sinkArgs)}
			cfg.Links = []Link{{Source: "publisher", Sink: "oop"}}
		}
		return e.runTimed(timedSpec{Name: name, Dir: dir, Cfg: cfg, Count: count, PubFile: "publisher.json",
			SinkFile: "sink.json", Check: nativeSinkCheck(sinkPath, name, count)})
	})
	if err != nil {
		return nil, err
	}
	return []Result{e.WithRatio(r, "nanomsg_pair_raw")}, nil
}

// oop_to_remote: native publisher -> outprocess proxy -> gateway-module-host
// (launched by the gateway) hosting the native sink.
func runOOPToRemote(e *Env) ([]Result, error) { return e.oopRun("oop_to_remote", false) }

// oop_from_remote: gateway-module-host hosting the native publisher -> proxy ->
// native sink in the gateway.
func runOOPFromRemote(e *Env) ([]Result, error) { return e.oopRun("oop_from_remote", true) }

// ---- language sinks -----------------------------------------------------------------------

// langSinkReport is the report of the e2e CountingSink modules (Java, .NET).
type langSinkReport struct {
	Received   uint64 `json:"received"`
	OutOfOrder uint64 `json:"out_of_order"`
	BadContent uint64 `json:"bad_content"`
	NoSeq      uint64 `json:"no_seq"`
	LastSeq    int64  `json:"last_seq"`
	Final      bool   `json:"final"`
}

func langSinkCheck(path string, count uint64) func() (Result, error) {
	return func() (Result, error) {
		var r langSinkReport
		if err := ReadJSON(path, &r); err != nil {
			return Result{}, fmt.Errorf("sink: %w", err)
		}
		if r.OutOfOrder != 0 || r.BadContent != 0 || r.NoSeq != 0 || r.Received > count {
			return Result{}, fmt.Errorf("sink: received %d of %d, out_of_order %d, bad_content %d, no_seq %d",
				r.Received, count, r.OutOfOrder, r.BadContent, r.NoSeq)
		}
		return Result{Received: u64(r.Received), Lost: u64(count - r.Received)}, nil
	}
}

// langSink runs native publisher (unpaced) -> sink module entry made by mod.
func (e *Env) langSink(name string, loaders []map[string]any, mod func(report string, count uint64) Module,
	count uint64) ([]Result, error) {
	r, err := BestOf(Pick(e, 1, 3), func(int) (Result, error) {
		dir, err := e.TempDir(name)
		if err != nil {
			return Result{}, err
		}
		sinkPath, pubPath := filepath.Join(dir, "sink.json"), filepath.Join(dir, "publisher.json")
		cfg := Config{Loaders: loaders, Modules: []Module{
			e.Native("publisher", "publisher", map[string]any{"count": count, "size": MsgSize, "stream": name, "report": pubPath}),
			mod(sinkPath, count),
		}, Links: []Link{{Source: "publisher", Sink: "sink"}}}
		return e.runTimed(timedSpec{Name: name, Dir: dir, Cfg: cfg, Count: count, PubFile: "publisher.json",
			SinkFile: "sink.json", Check: langSinkCheck(sinkPath, count)})
	})
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}

// java_sink: native publisher -> e2emods.CountingSink (e2e/testdata/java) in the JVM.
func runJavaSink(e *Env) ([]Result, error) {
	binding := filepath.Join(e.Build, "java", "gateway-java-binding.jar")
	if _, err := os.Stat(binding); err != nil {
		return skip("java_sink", "no Java binding in the build ("+binding+")")
	}
	javac, err := exec.LookPath("javac")
	if err != nil && os.Getenv("JAVA_HOME") != "" {
		javac, err = filepath.Join(os.Getenv("JAVA_HOME"), "bin", "javac"), nil
	}
	if err != nil {
		return skip("java_sink", "no javac (install a JDK or set JAVA_HOME)")
	}
	srcs, _ := filepath.Glob(filepath.Join(e.Root, "e2e", "testdata", "java", "e2emods", "*.java"))
	if len(srcs) == 0 {
		return nil, errors.New("java_sink: no sources in e2e/testdata/java/e2emods")
	}
	classes := filepath.Join(e.TmpRoot, "java-classes")
	args := append([]string{"--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-cp", binding, "-d", classes}, srcs...)
	if out, err := exec.Command(javac, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("java_sink: javac: %w: %s", err, out)
	}
	jar := filepath.Join(e.TmpRoot, "e2emods.jar")
	if out, err := exec.Command(filepath.Join(filepath.Dir(javac), "jar"), "cf", jar, "-C", classes, ".").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("java_sink: jar: %w: %s", err, out)
	}
	loaders := []map[string]any{{"type": "java", "name": "java", "configuration": map[string]any{
		"binding.path": binding, "jvm.options": map[string]any{"additional.options": []string{"-Xmx256m"}}}}}
	return e.langSink("java_sink", loaders, func(report string, count uint64) Module {
		return Module{Name: "sink", Loader: map[string]any{"name": "java", "entrypoint": map[string]any{
			"class.name": "e2emods.CountingSink", "class.path": jar}},
			Args: map[string]any{"report": report, "expect": count}}
	}, Pick[uint64](e, 200_000, 2_000_000))
}

// dotnet_sink: native publisher -> E2EMods.CountingSink (e2e/testdata/dotnet) on Mono.
func runDotnetSink(e *Env) ([]Result, error) {
	bindingDir := filepath.Join(e.Build, "dotnet")
	binding := filepath.Join(bindingDir, "Microsoft.Azure.IoT.Gateway.dll")
	if _, err := os.Stat(binding); err != nil {
		return skip("dotnet_sink", "no .NET binding in the build ("+binding+")")
	}
	mcs, err := exec.LookPath("mcs")
	if err != nil {
		return skip("dotnet_sink", "no mcs (apt-get install mono-mcs)")
	}
	srcs, _ := filepath.Glob(filepath.Join(e.Root, "e2e", "testdata", "dotnet", "*.cs"))
	if len(srcs) == 0 {
		return nil, errors.New("dotnet_sink: no sources in e2e/testdata/dotnet")
	}
	mods := filepath.Join(e.TmpRoot, "dotnet-mods")
	if err := os.MkdirAll(mods, 0o755); err != nil {
		return nil, err
	}
	args := append([]string{"-nologo", "-target:library", "-optimize+", "-langversion:7",
		"-r:" + binding, "-out:" + filepath.Join(mods, "E2EMods.dll")}, srcs...)
	if out, err := exec.Command(mcs, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("dotnet_sink: mcs: %w: %s", err, out)
	}
	loaders := []map[string]any{{"type": "dotnet", "name": "dotnet", "configuration": map[string]any{
		"binding.path": bindingDir, "assembly.path": []string{mods, bindingDir}}}}
	return e.langSink("dotnet_sink", loaders, func(report string, count uint64) Module {
		return Module{Name: "sink", Loader: map[string]any{"name": "dotnet", "entrypoint": map[string]any{
			"assembly.name": "E2EMods", "entry.type": "E2EMods.CountingSink"}},
			Args: map[string]any{"report": report, "expect": count}}
	}, Pick[uint64](e, 200_000, 2_000_000))
}

// ---- Node ------------------------------------------------------------------------------------

// haveNode reports whether the gateway's node loader can find a libnode (the places
// it searches: $GATEWAY_LIBNODE, deps/libnode above the build or working directory,
// $GATEWAY_DEPS/libnode, the system).
func (e *Env) haveNode() bool {
	var globs []string
	if p := os.Getenv("GATEWAY_LIBNODE"); p != "" {
		globs = append(globs, p)
	}
	if d := os.Getenv("GATEWAY_DEPS"); d != "" {
		globs = append(globs, filepath.Join(d, "libnode", "usr", "lib", "*", "libnode.so.*"))
	}
	for _, start := range []string{e.Build, e.Root} {
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
			return true
		}
	}
	return false
}

func nodeModule(name, mainPath string, args any) Module {
	return Module{Name: name, Loader: map[string]any{"name": "node", "entrypoint": map[string]any{"main.path": mainPath}}, Args: args}
}

var nodeLoaders = []map[string]any{{"type": "node", "name": "node"}}

// nodeCounter is what e2e/testdata/node/counter.js writes (progress: count only).
type nodeCounter struct {
	Count      uint64            `json:"count"`
	BadSeq     uint64            `json:"bad_seq"`
	BadContent uint64            `json:"bad_content"`
	Streams    map[string]uint64 `json:"streams"`
}

// node_sink: native publisher -> e2e/testdata/node/counter.js (checks seq and content).
func runNodeSink(e *Env) ([]Result, error) {
	if !e.haveNode() {
		return skip("node_sink", "no libnode (scripts/setup.sh or GATEWAY_LIBNODE)")
	}
	const name = "node_sink"
	count := Pick[uint64](e, 100_000, 1_000_000)
	counter := filepath.Join(e.Root, "e2e", "testdata", "node", "counter.js")
	r, err := BestOf(Pick(e, 1, 3), func(int) (Result, error) {
		dir, err := e.TempDir(name)
		if err != nil {
			return Result{}, err
		}
		out, progress := filepath.Join(dir, "counter.json"), filepath.Join(dir, "progress.json")
		pubPath := filepath.Join(dir, "publisher.json")
		cfg := Config{Loaders: nodeLoaders, Modules: []Module{
			e.Native("publisher", "publisher", map[string]any{"count": count, "size": MsgSize, "stream": name, "report": pubPath}),
			nodeModule("sink", counter, map[string]any{"out": out, "progress": progress, "progress_ms": 5}),
		}, Links: []Link{{Source: "publisher", Sink: "sink"}}}
		return e.runTimed(timedSpec{Name: name, Dir: dir, Cfg: cfg, Count: count, PubFile: "publisher.json",
			Done: func() bool {
				var c nodeCounter
				return ReadJSON(progress, &c) == nil && c.Count >= count
			},
			Check: func() (Result, error) {
				var c nodeCounter
				if err := ReadJSON(out, &c); err != nil {
					return Result{}, fmt.Errorf("counter.js: %w", err)
				}
				if c.BadSeq != 0 || c.BadContent != 0 || c.Count > count || c.Streams[name] != c.Count {
					return Result{}, fmt.Errorf("counter.js: count %d of %d, bad_seq %d, bad_content %d, streams %v",
						c.Count, count, c.BadSeq, c.BadContent, c.Streams)
				}
				return Result{Received: u64(c.Count), Lost: u64(count - c.Count)}, nil
			}})
	})
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}

// node_publisher: bench/node/publisher.js (the e2e message convention, a
// publisher-style report) -> native sink with sequence and content checks.
func runNodePublisher(e *Env) ([]Result, error) {
	if !e.haveNode() {
		return skip("node_publisher", "no libnode (scripts/setup.sh or GATEWAY_LIBNODE)")
	}
	const name = "node_publisher"
	count := Pick[uint64](e, 100_000, 1_000_000)
	pubJS := filepath.Join(e.Root, "bench", "node", "publisher.js")
	r, err := BestOf(Pick(e, 1, 3), func(int) (Result, error) {
		dir, err := e.TempDir(name)
		if err != nil {
			return Result{}, err
		}
		sinkPath, pubPath := filepath.Join(dir, "sink.json"), filepath.Join(dir, "publisher.json")
		cfg := Config{Loaders: nodeLoaders, Modules: []Module{
			nodeModule("publisher", pubJS, map[string]any{"count": count, "size": MsgSize, "stream": name, "report": pubPath}),
			e.Native("sink", "sink", map[string]any{"report": sinkPath, "expect": count}),
		}, Links: []Link{{Source: "publisher", Sink: "sink"}}}
		return e.runTimed(timedSpec{Name: name, Dir: dir, Cfg: cfg, Count: count, PubFile: "publisher.json",
			SinkFile: "sink.json", Check: nativeSinkCheck(sinkPath, name, count)})
	})
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}
