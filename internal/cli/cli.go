// Package cli is the gateway command line: `gateway <config.json>` (the drop-in for
// the SDK's sample executables), `gateway run`, `gateway validate`, `gateway reload`,
// `gateway status`, `gateway version`. See docs/operations.md.
package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/internal/capi"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/control"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/internal/logging"
	"github.com/edgev1/gateway/internal/metrics"
)

// Version is the gateway version (set by the build).
var Version = "0.1.0"

const usage = `usage:
  gateway <config.json>                      run a gateway (same as "gateway run")
  gateway run [flags] <config.json>          run until a line or EOF on stdin, SIGINT or SIGTERM;
                                             SIGHUP reloads the configuration file
  gateway validate [--json] <config.json>    check a configuration without running it
  gateway reload --control-socket PATH       make a running gateway reload its configuration
  gateway status --control-socket PATH       print a running gateway's modules, links and counters
  gateway selftest <config.json>             start the configuration, then check that the Go runtime
                                             still turns a fault in Go code into a recoverable panic
                                             (the JVM, Node and Mono install signal handlers of their own)
  gateway version                            print the version

run flags:
  --log-level debug|info|warn|error     (default info)
  --log-format text|json                (default text)
  --run-for DURATION                    stop after DURATION (e.g. 30s) instead of waiting for stdin
  --metrics-addr HOST:PORT|off          serve /metrics, /healthz, /readyz (default: the configuration's
                                        "metrics": {"address"}; none when absent)
  --control-socket PATH                 accept reload and status requests on this unix socket (owner-only)

reload and status flags:
  --control-socket PATH                 the running gateway's control socket (required)
  --timeout DURATION                    how long to wait for the answer (default 2m)
  --json                                print the gateway's JSON answer
`

// Main runs the command line and returns the exit code.
func Main(rt *capi.Runtime, args []string) int {
	return run(rt, args, os.Stdin, os.Stdout, os.Stderr)
}

func run(rt *capi.Runtime, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[1] {
	case "version", "--version":
		fmt.Fprintf(stdout, "gateway %s\n", Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "run":
		return runGateway(rt, args[2:], stdin, stdout, stderr)
	case "validate":
		return runValidate(args[2:], stdout, stderr)
	case "reload", "status":
		return runClient(args[1], args[2:], stdout, stderr)
	case "selftest":
		return selftest(rt, args[2:], stdout, stderr)
	}
	return runGateway(rt, args[1:], stdin, stdout, stderr)
}

// loadConfig reads and parses a configuration file, with the errors of config.Load,
// and returns its extension settings.
func loadConfig(path string) (*config.Config, metrics.Settings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, metrics.Settings{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return nil, metrics.Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	ms, probs := metrics.FromConfig(data)
	if len(probs) > 0 {
		return nil, ms, fmt.Errorf("%s: %w", path, probs)
	}
	return cfg, ms, nil
}

// runner is a running gateway and what operates it.
type runner struct {
	path        string
	log         *slog.Logger
	metrics     *metrics.Server
	metricsFlag bool   // --metrics-addr given: the configuration's address is ignored
	metricsAddr string // the address in force

	mu sync.Mutex // serializes reloads; guards g
	g  *gateway.Gateway
}

func (r *runner) gateway() *gateway.Gateway {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.g
}

// reloadResult is the control socket's answer to reload.
type reloadResult struct {
	Changes string       `json:"changes"`
	Diff    gateway.Diff `json:"diff"`
}

// Reload re-reads the configuration file and applies it (SIGHUP, gateway reload).
func (r *runner) Reload() (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.g == nil {
		return nil, errors.New("the gateway is still being created")
	}
	cfg, ms, err := loadConfig(r.path)
	if err != nil {
		err = fmt.Errorf("reload: %w", err)
		r.log.Error("reload failed; the previous configuration keeps running", "err", oneLine(err))
		r.observe(err)
		return nil, err
	}
	if !r.metricsFlag && ms.Address != r.metricsAddr {
		r.log.Warn("reload: metrics.address changed; it takes effect at the next start", "in_force", r.metricsAddr, "configured", ms.Address)
	}
	d, err := r.g.Reload(cfg)
	r.observe(err)
	res := reloadResult{Changes: d.String(), Diff: d}
	if err != nil {
		return res, err
	}
	return res, nil
}

func (r *runner) observe(err error) {
	if r.metrics != nil {
		r.metrics.ObserveReload(err)
	}
}

// statusResult is the control socket's answer to status.
type statusResult struct {
	Config  string         `json:"config"`
	Ready   bool           `json:"ready"`
	Why     string         `json:"why,omitempty"`
	Modules []moduleStatus `json:"modules"`
	Links   [][2]string    `json:"links"`
}

type moduleStatus struct {
	Name    string       `json:"name"`
	Loader  string       `json:"loader"`
	Started bool         `json:"started"`
	Stats   broker.Stats `json:"stats"`
}

// Status describes the running gateway.
func (r *runner) Status() (any, error) {
	g := r.gateway()
	if g == nil {
		return nil, errors.New("the gateway is still being created")
	}
	st := statusResult{Config: r.path, Modules: []moduleStatus{}, Links: g.Links()}
	st.Ready, st.Why = g.Ready()
	for _, m := range g.Modules() {
		st.Modules = append(st.Modules, moduleStatus{Name: m.Name, Loader: m.Loader, Started: m.Started(), Stats: m.Endpoint.Stats()})
	}
	return st, nil
}

func runGateway(rt *capi.Runtime, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	level := fs.String("log-level", "info", "")
	format := fs.String("log-format", "text", "")
	runFor := fs.Duration("run-for", 0, "")
	metricsAddr := fs.String("metrics-addr", "", "")
	controlPath := fs.String("control-socket", "", "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	log, err := logging.New(stderr, *level, *format)
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 2
	}
	metricsFlag := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "metrics-addr" {
			metricsFlag = true
		}
	})
	if metricsFlag && *metricsAddr != "off" {
		if err := metrics.CheckAddress(*metricsAddr); err != nil {
			fmt.Fprintln(stderr, "gateway: --metrics-addr:", err)
			return 2
		}
	}
	rt.Host.SetLogger(log)
	// Bindings log lines that belong to no module (runtime threads) through the
	// default logger: make it this one, so every line honours the format and level.
	slog.SetDefault(log)

	// Signals first: a SIGHUP sent as soon as the process exists must not kill it.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	r := &runner{path: fs.Arg(0), log: log, metricsFlag: metricsFlag}
	// Parsed first to fail before listening; the gateway is then created from the
	// file through the runtime, like Gateway_CreateFromJson (same wiring, same errors).
	_, ms, err := loadConfig(r.path)
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
	}
	r.metricsAddr = ms.Address
	if metricsFlag {
		r.metricsAddr = *metricsAddr
		if r.metricsAddr == "off" {
			r.metricsAddr = ""
		}
	}
	if r.metricsAddr != "" {
		srv, err := metrics.Listen(r.metricsAddr, metrics.Options{Version: Version, Log: log})
		if err != nil {
			fmt.Fprintln(stderr, "gateway:", oneLine(err))
			return 1
		}
		defer srv.Close()
		r.metrics = srv
		log.Info("metrics: serving /metrics, /healthz, /readyz", "address", srv.Addr().String())
	}
	var ctl *control.Server
	if *controlPath != "" {
		ctl, err = control.Listen(*controlPath, r, log)
		if err != nil {
			fmt.Fprintln(stderr, "gateway:", oneLine(err))
			return 1
		}
		defer ctl.Close()
		log.Info("control socket: accepting reload and status", "path", ctl.Path())
	}

	g, err := rt.CreateFromJSONFile(r.path)
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
	}
	r.mu.Lock()
	r.g = g
	r.mu.Unlock()
	if r.metrics != nil {
		r.metrics.SetGateway(g)
	}
	fmt.Fprintln(stdout, "gateway successfully created from JSON")
	fmt.Fprintln(stdout, "gateway shall run until ENTER is pressed")

	var lines chan struct{}
	var timeout <-chan time.Time
	if *runFor > 0 {
		t := time.NewTimer(*runFor)
		defer t.Stop()
		timeout = t.C
	} else {
		lines = make(chan struct{})
		go func() {
			r := bufio.NewReader(stdin)
			_, _ = r.ReadString('\n')
			close(lines)
		}()
	}
wait:
	for {
		select {
		case <-lines:
			log.Info("stdin: line or EOF; destroying the gateway")
			break wait
		case s := <-sigs:
			log.Info("signal; destroying the gateway", "signal", s.String())
			break wait
		case <-timeout:
			log.Info("run time elapsed; destroying the gateway", "run-for", runFor.String())
			break wait
		case <-hup:
			log.Info("SIGHUP: reloading the configuration", "config", r.path)
			_, _ = r.Reload()
		}
	}
	if ctl != nil {
		_ = ctl.Close()
	}
	if err := g.Destroy(); err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
	}
	return 0
}

// runClient implements `gateway reload` and `gateway status`.
func runClient(command string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("control-socket", "", "")
	timeout := fs.Duration("timeout", 2*time.Minute, "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *path == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	resp, err := control.Call(*path, command, *timeout)
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 1
	}
	switch {
	case *asJSON:
		out, _ := json.Marshal(resp)
		fmt.Fprintln(stdout, string(out))
	case command == "reload":
		var res reloadResult
		_ = json.Unmarshal(resp.Result, &res)
		if resp.OK {
			fmt.Fprintln(stdout, "reloaded:", res.Changes)
			for _, w := range res.Diff.Warnings {
				fmt.Fprintln(stdout, "warning:", w)
			}
		}
	default:
		var st statusResult
		if resp.OK && json.Unmarshal(resp.Result, &st) == nil {
			printStatus(stdout, st)
		}
	}
	if !resp.OK {
		fmt.Fprintln(stderr, "gateway:", command+":", strings.TrimPrefix(resp.Error, "gateway: "))
		return 1
	}
	return 0
}

func printStatus(w io.Writer, st statusResult) {
	ready := "ready"
	if !st.Ready {
		ready = "not ready: " + st.Why
	}
	fmt.Fprintf(w, "config %s: %s\n", st.Config, ready)
	fmt.Fprintf(w, "%-20s %-12s %-8s %12s %12s %10s %8s\n", "MODULE", "LOADER", "STARTED", "RECEIVED", "PUBLISHED", "DROPPED", "QUEUED")
	for _, m := range st.Modules {
		fmt.Fprintf(w, "%-20s %-12s %-8v %12d %12d %10d %8d\n", m.Name, m.Loader, m.Started, m.Stats.Received, m.Stats.Published, m.Stats.Dropped, m.Stats.QueueDepth)
	}
	fmt.Fprintln(w, "links:")
	for _, l := range st.Links {
		fmt.Fprintf(w, "  %s -> %s\n", l[0], l[1])
	}
}

// oneLine flattens err for the one-line reason (errors already prefixed with
// "gateway: " keep a single prefix).
func oneLine(err error) string {
	return strings.TrimPrefix(strings.ReplaceAll(err.Error(), "\n", "; "), "gateway: ")
}
