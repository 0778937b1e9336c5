// Package cli is the gateway command line: `gateway <config.json>` (the drop-in for
// the SDK's sample executables), `gateway run`, `gateway version`.
package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/edgev1/gateway/internal/capi"
)

// Version is the gateway version (set by the build).
var Version = "0.1.0"

const usage = `usage:
  gateway <config.json>                 run a gateway (same as "gateway run")
  gateway run [flags] <config.json>     run until a line or EOF on stdin, SIGINT or SIGTERM
  gateway version                       print the version
  gateway selftest <config.json>        start the configuration, then check that the Go runtime
                                        still turns a fault in Go code into a recoverable panic
                                        (the JVM, Node and Mono install signal handlers of their own)

run flags:
  --log-level debug|info|warn|error     (default info)
  --log-format text|json                (default text)
  --run-for DURATION                    stop after DURATION (e.g. 30s) instead of waiting for stdin
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
	case "selftest":
		return selftest(rt, args[2:], stdout, stderr)
	}
	return runGateway(rt, args[1:], stdin, stdout, stderr)
}

func runGateway(rt *capi.Runtime, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	level := fs.String("log-level", "info", "")
	format := fs.String("log-format", "text", "")
	runFor := fs.Duration("run-for", 0, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", err)
		return 2
	}
	rt.Host.SetLogger(log)

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	g, err := rt.CreateFromJSONFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
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
	select {
	case <-lines:
		log.Info("stdin: line or EOF; destroying the gateway")
	case s := <-sigs:
		log.Info("signal; destroying the gateway", "signal", s.String())
	case <-timeout:
		log.Info("run time elapsed; destroying the gateway", "run-for", runFor.String())
	}
	if err := g.Destroy(); err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, errors.New(`--log-format: must be "text" or "json"`)
}

// oneLine flattens err for the one-line reason (errors already prefixed with
// "gateway: " keep a single prefix).
func oneLine(err error) string {
	return strings.TrimPrefix(strings.ReplaceAll(err.Error(), "\n", "; "), "gateway: ")
}
