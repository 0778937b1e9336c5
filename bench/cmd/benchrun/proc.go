package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Proc is a running binary whose output goes to files in its directory.
type Proc struct {
	Name  string
	Dir   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
	err   error
	// Started is taken just before exec (for startup timing).
	Started time.Time
}

// StartProc execs bin with args in dir; stdout and stderr go to dir/<name>.stdout
// and .stderr. The caller must Stop or Kill it.
func StartProc(dir, name, bin string, args ...string) (*Proc, error) {
	p := &Proc{Name: name, Dir: dir, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	stdout, err := os.Create(filepath.Join(dir, name+".stdout"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	stderr, err := os.Create(filepath.Join(dir, name+".stderr"))
	if err != nil {
		stdout.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.cmd.Stdout = stdout
	p.cmd.Stderr = stderr
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		stdout.Close()
		stderr.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.Started = time.Now()
	if err := p.cmd.Start(); err != nil {
		stdout.Close()
		stderr.Close()
		return nil, fmt.Errorf("%s: exec %s: %w", name, bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		stdout.Close()
		stderr.Close()
		close(p.done)
	}()
	return p, nil
}

// Pid returns the process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Wait waits up to timeout for the process to end by itself and returns an error
// unless it exited with status 0. On timeout it is killed.
func (p *Proc) Wait(timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		p.Kill()
		return fmt.Errorf("%s did not exit within %v (killed)%s", p.Name, timeout, p.stderrTail())
	}
	if p.err != nil {
		return fmt.Errorf("%s: %v%s", p.Name, p.err, p.stderrTail())
	}
	return nil
}

// Stop sends ENTER (the gateway's stop request) and waits up to timeout for a
// clean exit.
func (p *Proc) Stop(timeout time.Duration) error {
	if !p.Exited() {
		_, _ = io.WriteString(p.stdin, "\n")
	}
	return p.Wait(timeout)
}

// CPUSeconds returns the user+system CPU time of an exited process (0 before).
func (p *Proc) CPUSeconds() float64 {
	if !p.Exited() || p.cmd.ProcessState == nil {
		return 0
	}
	return (p.cmd.ProcessState.UserTime() + p.cmd.ProcessState.SystemTime()).Seconds()
}

// Kill ends the process (only this one, by its pid) and waits for it.
func (p *Proc) Kill() {
	if !p.Exited() {
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *Proc) stderrTail() string {
	data, err := os.ReadFile(filepath.Join(p.Dir, p.Name+".stderr"))
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return ""
	}
	if len(data) > 600 {
		data = data[len(data)-600:]
	}
	return "; stderr: " + strings.ReplaceAll(strings.TrimSpace(string(data)), "\n", " | ")
}

// PollUntil calls cond every interval until it returns true, the deadline
// passes (error), or abort returns an error.
func PollUntil(timeout, interval time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(interval)
	}
}

// ---- gateway configurations -------------------------------------------------------

// Module is one entry of a gateway JSON configuration.
type Module struct {
	Name   string         `json:"name"`
	Loader map[string]any `json:"loader"`
	Args   any            `json:"args"`
	Queue  map[string]any `json:"queue,omitempty"` // the gateway's per-module queue settings
}

// Link is one entry of the links array.
type Link struct {
	Source string `json:"source"`
	Sink   string `json:"sink"`
}

// Config is a gateway JSON configuration.
type Config struct {
	Loaders []map[string]any `json:"loaders,omitempty"`
	Modules []Module         `json:"modules"`
	Links   []Link           `json:"links"`
}

// Native returns a module entry for build/modules/lib<lib>.so.
func (e *Env) Native(name, lib string, args any) Module {
	return Module{
		Name:   name,
		Loader: map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": e.Module(lib)}},
		Args:   args,
	}
}

// StartGateway writes cfg to dir/config.json and runs `gateway run` on it in dir.
func (e *Env) StartGateway(dir string, cfg Config, flags ...string) (*Proc, error) {
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("gateway config: %w", err)
	}
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return nil, fmt.Errorf("gateway config: %w", err)
	}
	args := append([]string{"run"}, flags...)
	args = append(args, path)
	return StartProc(dir, "gateway", filepath.Join(e.Build, "gateway"), args...)
}

// ---- module reports ----------------------------------------------------------------

// PubReport is the report of testmodules/publisher (and of bench direct_call).
type PubReport struct {
	Published     uint64 `json:"published"`
	PublishErrors uint64 `json:"publish_errors"`
	ElapsedNs     uint64 `json:"elapsed_ns"`
	Finished      bool   `json:"finished"`
}

// StreamStats is one stream of a sink report.
type StreamStats struct {
	Received   uint64 `json:"received"`
	LastSeq    int64  `json:"last_seq"`
	Gaps       uint64 `json:"gaps"`
	Lost       uint64 `json:"lost"`
	Dups       uint64 `json:"dups"`
	Reorders   uint64 `json:"reorders"`
	BadContent uint64 `json:"bad_content"`
}

// SinkReport is the report of testmodules/sink.
type SinkReport struct {
	Received       uint64                 `json:"received"`
	Streams        map[string]StreamStats `json:"streams"`
	OtherStreams   uint64                 `json:"other_streams"`
	LatencySamples uint64                 `json:"latency_samples"`
	P50us          float64                `json:"p50_us"`
	P99us          float64                `json:"p99_us"`
	MaxUs          float64                `json:"max_us"`
	Final          bool                   `json:"final"`
	Expect         uint64                 `json:"expect"`
	Complete       bool                   `json:"complete"`
}

var errNoReport = errors.New("no report yet")

// ReadJSON reads a report file; errNoReport (wrapped) when it does not exist yet.
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, errNoReport)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}

// CheckSink verifies that a sink got exactly want messages on stream, in order,
// each once, with the right content. It returns how many are missing (0 when
// complete) or an error for anything worse than loss.
func CheckSink(r SinkReport, stream string, want uint64) (lost uint64, err error) {
	st, ok := r.Streams[stream]
	if !ok {
		if want == 0 {
			return 0, nil
		}
		return want, nil
	}
	if st.Dups != 0 || st.Reorders != 0 || st.BadContent != 0 || r.OtherStreams != 0 {
		return 0, fmt.Errorf("sink stream %q: dups %d, reorders %d, bad_content %d, other_streams %d",
			stream, st.Dups, st.Reorders, st.BadContent, r.OtherStreams)
	}
	if st.Received > want {
		return 0, fmt.Errorf("sink stream %q: received %d, more than the %d sent", stream, st.Received, want)
	}
	lost = want - st.Received
	if st.Lost > lost {
		lost = st.Lost
	}
	return lost, nil
}
