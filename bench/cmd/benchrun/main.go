// Command benchrun runs the gateway benchmarks: every scenario execs the real
// binaries (build/gateway, bench programs) with the real test modules and reads
// the modules' own reports. It never loads libgateway.so itself.
//
// Output: one JSON object per line per result on stdout, and the same lines in
// -out (default bench/results.jsonl):
//
//	{"scenario": "...", "msgs_per_s": N, "p50_us": N, "p99_us": N, "sent": N,
//	 "received": N, "lost": N, "rss_kb": N, "baseline": "<scenario>", "ratio": N}
//
// Fields that do not apply are omitted; a scenario that fails prints its line with
// an "error" field instead of measurements. Progress and a target summary go to
// stderr. Exit status: 0 when every scenario ran without error or loss, 1 when one
// failed, 2 on bad usage or a missing build. Missing a performance target never
// changes the exit status.
//
// Usage (from the repository root, after ./scripts/build.sh and the bench programs
// build; ./scripts/bench.sh does all of it):
//
//	go run ./bench/cmd/benchrun [-quick] [-only REGEXP] [-list] [-build DIR] [-tools DIR] [-out FILE]
//	go run ./bench/cmd/benchrun -table bench/results.jsonl   # markdown table of a results file
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Result is one line of output. Pointer fields are omitted when nil, so a zero
// that was measured (lost: 0) is printed and one that does not apply is not.
type Result struct {
	Scenario string   `json:"scenario"`
	MsgsPerS *float64 `json:"msgs_per_s,omitempty"`
	P50us    *float64 `json:"p50_us,omitempty"`
	P99us    *float64 `json:"p99_us,omitempty"`
	Sent     *uint64  `json:"sent,omitempty"`
	Received *uint64  `json:"received,omitempty"`
	Lost     *uint64  `json:"lost,omitempty"`
	RSSkB    *uint64  `json:"rss_kb,omitempty"`
	Baseline string   `json:"baseline,omitempty"`
	Ratio    *float64 `json:"ratio,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func f64(v float64) *float64 { return &v }
func u64(v uint64) *uint64   { return &v }

// round keeps a float readable in JSON (integers for rates, 3 decimals otherwise).
func round(v float64, decimals int) float64 {
	p := 1.0
	for i := 0; i < decimals; i++ {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}

// Scenario is one benchmark. Run returns one or more results (a scenario may
// report several rows, e.g. rss_flood at two message counts) or an error. A
// result's lost > 0 counts as a failure as well. Target describes the goal for
// the summary; Met (optional) judges a result against it.
type Scenario struct {
	Name   string
	Target string
	Run    func(e *Env) ([]Result, error)
	Met    func(r Result) (bool, bool) // (met, applicable)
}

// Env is what every scenario gets: paths, mode and the results so far (for
// baselines measured in the same run).
type Env struct {
	Quick   bool
	Root    string // repository root (absolute)
	Build   string // build tree: gateway, modules/ (absolute)
	Tools   string // directory of the bench programs (direct_call) (absolute)
	TmpRoot string // per-run scratch directory, removed at the end
	results map[string]Result
}

// Pick returns quick when running in quick mode, else full.
func Pick[T any](e *Env, quick, full T) T {
	if e.Quick {
		return quick
	}
	return full
}

// Module returns the absolute path of build/modules/lib<name>.so.
func (e *Env) Module(name string) string {
	return filepath.Join(e.Build, "modules", "lib"+name+".so")
}

// TempDir returns a fresh scratch directory for one run of a scenario.
func (e *Env) TempDir(prefix string) (string, error) {
	return os.MkdirTemp(e.TmpRoot, prefix+"-")
}

// Result returns a result of this run by scenario name.
func (e *Env) Result(name string) (Result, bool) {
	r, ok := e.results[name]
	return r, ok && r.Error == ""
}

// WithRatio sets r.Baseline/r.Ratio to r's msgs_per_s over the baseline's, when the
// baseline ran successfully in this run.
func (e *Env) WithRatio(r Result, baseline string) Result {
	b, ok := e.Result(baseline)
	if ok && r.MsgsPerS != nil && b.MsgsPerS != nil && *b.MsgsPerS > 0 {
		r.Baseline = baseline
		r.Ratio = f64(round(*r.MsgsPerS / *b.MsgsPerS, 3))
	}
	return r
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func main() {
	os.Exit(mainErr())
}

func mainErr() int {
	quick := flag.Bool("quick", os.Getenv("BENCH_QUICK") == "1", "brief runs (CI); default from BENCH_QUICK=1")
	only := flag.String("only", "", "run only scenarios whose name matches this regexp")
	list := flag.Bool("list", false, "list the scenarios and their targets, then exit")
	build := flag.String("build", "build", "build tree with gateway and modules/")
	tools := flag.String("tools", "", "directory of the bench programs (default: <build>/bench, else <build>/bench-standalone/bench)")
	out := flag.String("out", "bench/results.jsonl", "file that receives the JSON lines (empty: none)")
	table := flag.String("table", "", "print a markdown table of this results file and exit")
	flag.Parse()

	if *table != "" {
		if err := printTable(os.Stdout, *table); err != nil {
			logf("%v", err)
			return 1
		}
		return 0
	}
	if *list {
		for _, s := range scenarios {
			fmt.Printf("%-16s %s\n", s.Name, s.Target)
		}
		return 0
	}
	var re *regexp.Regexp
	if *only != "" {
		var err error
		if re, err = regexp.Compile(*only); err != nil {
			logf("-only: %v", err)
			return 2
		}
	}

	e := &Env{Quick: *quick, results: map[string]Result{}}
	var err error
	if e.Root, err = os.Getwd(); err != nil {
		logf("%v", err)
		return 2
	}
	if e.Build, err = filepath.Abs(*build); err != nil {
		logf("%v", err)
		return 2
	}
	e.Tools = *tools
	if e.Tools == "" {
		e.Tools = filepath.Join(e.Build, "bench")
		if _, err := os.Stat(filepath.Join(e.Tools, "direct_call")); err != nil {
			e.Tools = filepath.Join(e.Build, "bench-standalone", "bench")
		}
	}
	if e.Tools, err = filepath.Abs(e.Tools); err != nil {
		logf("%v", err)
		return 2
	}
	for _, p := range []string{filepath.Join(e.Build, "gateway"), e.Module("publisher"), e.Module("sink"), e.Module("hello_world"), e.Module("logger")} {
		if _, err := os.Stat(p); err != nil {
			logf("%s missing: build first (./scripts/build.sh) or pass -build (%v)", p, err)
			return 2
		}
	}
	if e.TmpRoot, err = os.MkdirTemp("", "benchrun-"); err != nil {
		logf("%v", err)
		return 2
	}
	defer os.RemoveAll(e.TmpRoot)

	var sink io.Writer = os.Stdout
	var outFile *os.File
	if *out != "" {
		if outFile, err = os.Create(*out); err != nil {
			logf("-out: %v", err)
			return 2
		}
		defer outFile.Close()
		sink = io.MultiWriter(os.Stdout, outFile)
	}

	mode := "full"
	if e.Quick {
		mode = "quick"
	}
	logf("mode %s, build %s, tools %s, load average %s", mode, e.Build, e.Tools, loadavg())
	start := time.Now()
	failed := 0
	var all []Result
	for _, s := range scenarios {
		if re != nil && !re.MatchString(s.Name) {
			continue
		}
		logf("== %s", s.Name)
		t0 := time.Now()
		rs, err := s.Run(e)
		if err != nil {
			rs = append(rs, Result{Scenario: s.Name, Error: err.Error()})
		}
		for _, r := range rs {
			if r.Scenario == "" {
				continue
			}
			if r.Error == "" && r.Lost != nil && *r.Lost > 0 {
				r.Error = fmt.Sprintf("lost %d messages", *r.Lost)
			}
			if r.Error != "" {
				failed++
				logf("%s: FAILED: %s", r.Scenario, r.Error)
			}
			e.results[r.Scenario] = r
			all = append(all, r)
			line, _ := json.Marshal(r)
			fmt.Fprintln(sink, string(line))
		}
		logf("%s done in %v", s.Name, time.Since(t0).Round(time.Millisecond))
	}
	summary(os.Stderr, all)
	logf("%d result(s), %d failed, %v, load average %s", len(all), failed, time.Since(start).Round(time.Millisecond), loadavg())
	if failed > 0 {
		return 1
	}
	return 0
}

// scenarioOf returns the scenario that produced a result row (rows are named
// after their scenario, possibly with a suffix: rss_flood_4x).
func scenarioOf(row string) *Scenario {
	var best *Scenario
	for i := range scenarios {
		s := &scenarios[i]
		if row == s.Name || strings.HasPrefix(row, s.Name+"_") {
			if best == nil || len(s.Name) > len(best.Name) {
				best = s
			}
		}
	}
	return best
}

func verdict(r Result) string {
	if r.Error != "" {
		return "ERROR"
	}
	s := scenarioOf(r.Scenario)
	if s == nil || s.Met == nil {
		return "-"
	}
	met, ok := s.Met(r)
	switch {
	case !ok:
		return "-"
	case met:
		return "met"
	}
	return "MISSED"
}

func summary(w io.Writer, rs []Result) {
	fmt.Fprintln(w, "bench: summary (targets are informative; only errors and loss fail the run)")
	for _, r := range rs {
		target := ""
		if s := scenarioOf(r.Scenario); s != nil {
			target = s.Target
		}
		fmt.Fprintf(w, "  %-18s %-7s %s\n", r.Scenario, verdict(r), target)
	}
}

// printTable renders a results file as the markdown table of docs/benchmarks.md.
func printTable(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	defer f.Close()
	fmt.Fprintln(w, "| scenario | msgs/s | p50 µs | p99 µs | sent | received | lost | RSS kB | baseline | ratio | target | met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("table: %s: %w", path, err)
		}
		target := ""
		if s := scenarioOf(r.Scenario); s != nil {
			target = s.Target
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Scenario,
			fnum(r.MsgsPerS, 0), fnum(r.P50us, 1), fnum(r.P99us, 1), unum(r.Sent), unum(r.Received), unum(r.Lost),
			unum(r.RSSkB), r.Baseline, fnum(r.Ratio, 3), target, verdictOrErr(r))
	}
	return sc.Err()
}

func verdictOrErr(r Result) string {
	if r.Error != "" {
		return "ERROR: " + r.Error
	}
	return verdict(r)
}

func fnum(v *float64, decimals int) string {
	if v == nil {
		return ""
	}
	if decimals == 0 {
		return group(fmt.Sprintf("%.0f", *v))
	}
	return fmt.Sprintf("%.*f", decimals, *v)
}

func unum(v *uint64) string {
	if v == nil {
		return ""
	}
	return group(fmt.Sprintf("%d", *v))
}

// group inserts thousands separators into a decimal integer string.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// loadavg returns the 1/5/15-minute load averages (the machine may be shared).
func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
