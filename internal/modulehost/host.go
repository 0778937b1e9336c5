package modulehost

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/internal/capi"
	"github.com/edgev1/gateway/internal/logging"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/loader/outprocess"
)

const usage = `usage: gateway-module-host [flags] <control.id>

Hosts one module out of process for a gateway: binds the control channel ipc://<control.id> (a path, relative
to the working directory), waits for CREATE and runs the module its args describe:
  {"outprocess.loader": {"name": "native", "entrypoint": {"module.path": "..."}},
   "module.args": {...}, "outprocess.loaders": [...optional...]}
It leaves (REPLY 0xFF to the gateway) on a line or EOF on stdin, SIGINT or SIGTERM, and exits after DESTROY.

flags:
  --log-level debug|info|warn|error   (default info)
  --log-format text|json              (default text)
  --stay                              after DESTROY, wait for the next CREATE instead of exiting
  --no-heartbeat                      never send HEARTBEAT (pure SDK behaviour towards the gateway)
  --message-dir DIR                   accept only message channels inside DIR
`

// Options configures a Host.
type Options struct {
	ControlID   string
	Stay        bool
	NoHeartbeat bool
	MessageDir  string
}

// Host is the module host process: one control channel, at most one hosted module (session) at a time.
//
// # Goroutines
//
// run (the control loop: CREATE, START, DESTROY, leaving), ctlReader (decodes control frames; HEARTBEATs are
// handled there, the rest goes to run), and per session a downlink receiver, an acker, and the internal broker's
// workers. All of them block in poll(2) or on channels when idle.
type Host struct {
	rt   *capi.Runtime
	log  *slog.Logger
	opts Options
	ctl  *sp.Socket

	frames  chan abi.ControlMessage
	finKick chan struct{}
	done    chan struct{} // closed when Run returns
	pending []abi.ControlMessage
	sess    *session
	cur     atomic.Pointer[session]
	bad     atomic.Uint64
}

// Main runs the gateway-module-host command line and returns the exit code.
func Main(rt *capi.Runtime, args []string) int {
	return run(rt, args, os.Stdin, os.Stderr)
}

func run(rt *capi.Runtime, args []string, stdin *os.File, stderr io.Writer) int {
	fs := flag.NewFlagSet("gateway-module-host", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	level := fs.String("log-level", "info", "")
	format := fs.String("log-format", "text", "")
	var o Options
	fs.BoolVar(&o.Stay, "stay", false, "")
	fs.BoolVar(&o.NoHeartbeat, "no-heartbeat", false, "")
	fs.StringVar(&o.MessageDir, "message-dir", "", "")
	if len(args) > 0 {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	o.ControlID = fs.Arg(0)
	log, err := logging.New(stderr, *level, *format)
	if err != nil {
		fmt.Fprintln(stderr, "gateway-module-host:", err)
		return 2
	}
	log = log.With("process", "module-host", "pid", os.Getpid())
	if rt != nil {
		rt.Host.SetLogger(log)
	}
	h, err := New(rt, log, o)
	if err != nil {
		fmt.Fprintln(stderr, "gateway-module-host:", err)
		return 1
	}
	stop := make(chan string, 2)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		s := <-sigs
		stop <- "signal " + s.String()
	}()
	watchStdin(stdin, stop)
	return h.Run(stop)
}

// watchStdin reports a line or EOF on stdin, like the SDK's sample remotes ("run until ENTER"). A stdin that is
// /dev/null (a service manager's default) is not watched: it would end the host at once.
func watchStdin(stdin *os.File, stop chan<- string) {
	if stdin == nil {
		return
	}
	if fi, err := stdin.Stat(); err == nil {
		if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
			return
		}
	}
	go func() {
		buf := make([]byte, 512) // read and discard: nothing is buffered beyond this
		for {
			n, err := stdin.Read(buf)
			if bytes.IndexByte(buf[:n], '\n') >= 0 {
				stop <- "a line on stdin"
				return
			}
			if err != nil {
				stop <- "end of stdin"
				return
			}
		}
	}()
}

// New binds the control channel. Socket files are created owner-only (umask 077); a missing directory for the
// control socket is created with mode 0700.
func New(rt *capi.Runtime, log *slog.Logger, o Options) (*Host, error) {
	url, err := outprocess.CheckID("control.id", o.ControlID)
	if err != nil {
		return nil, errors.New(strings.Replace(err.Error(), "entrypoint: ", "", 1))
	}
	syscall.Umask(0o077)
	if dir := filepath.Dir(o.ControlID); dir != "." && dir != "/" {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("control.id: %w", err)
			}
		}
	}
	ctl, err := sp.NewPair()
	if err != nil {
		return nil, err
	}
	ctl.SetSendTimeout(2 * time.Second)
	_ = ctl.SetRecvMaxSize(16 << 20)
	if err := ctl.Bind(url); err != nil {
		ctl.Close()
		return nil, fmt.Errorf("control channel: %w", err)
	}
	h := &Host{rt: rt, log: log, opts: o, ctl: ctl,
		frames: make(chan abi.ControlMessage, 64), finKick: make(chan struct{}, 1), done: make(chan struct{})}
	log.Info("module host: waiting for CREATE", "control", url)
	go h.ctlReader()
	return h, nil
}

// Run is the control loop. It returns the exit code when the host leaves (stop) or after DESTROY.
func (h *Host) Run(stop <-chan string) int {
	defer func() {
		h.ctl.Close()
		close(h.done)
	}()
	for {
		var m abi.ControlMessage
		if len(h.pending) > 0 {
			m, h.pending = h.pending[0], h.pending[1:]
		} else {
			select {
			case m = <-h.frames:
			case <-h.finKick:
				if h.sess != nil && h.sess.gwFin.Load() {
					h.log.Info("module host: the gateway finished sending; draining")
					h.sess.drain()
				}
				continue
			case why := <-stop:
				h.leave(why)
				return 0
			}
		}
		switch m.Type {
		case abi.ControlCreate:
			h.onCreate(m)
		case abi.ControlStart:
			if h.sess == nil {
				h.log.Warn("module host: START without a module (ignored)")
				continue
			}
			h.log.Info("module host: START")
			h.sess.start()
		case abi.ControlDestroy:
			h.log.Info("module host: DESTROY")
			h.endSession()
			if !h.opts.Stay {
				return 0
			}
			h.log.Info("module host: waiting for the next CREATE")
		default:
			h.log.Warn("module host: unexpected control message from the gateway (ignored)", "type", m.Type.String())
		}
	}
}

func (h *Host) endSession() {
	if h.sess != nil {
		h.sess.close()
		h.sess = nil
		h.cur.Store(nil)
	}
}

func (h *Host) onCreate(m abi.ControlMessage) {
	if h.sess != nil {
		h.log.Info("module host: CREATE while a module is hosted: destroying it and creating it again")
		h.endSession()
	}
	s, status, err := h.newSession(m.URI, m.Args)
	h.dropDuplicates(m)
	if err != nil {
		h.log.Error("module host: CREATE failed", "status", status.String(), "err", err)
		h.sendControl(mustControl(abi.ControlMessage{Type: abi.ControlReply, Status: status}))
		return
	}
	h.sess = s
	h.cur.Store(s)
	h.log.Info("module host: module created", "message", m.URI)
	h.sendControl(mustControl(abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyOK}))
	if !h.opts.NoHeartbeat {
		h.sendControl(outprocess.HeartbeatFrame()) // ANNOUNCE
	}
}

// dropDuplicates discards CREATEs identical to m already queued: a gateway sends CREATE again every "timeout"
// until it sees a REPLY, and answering each would make it attach twice.
func (h *Host) dropDuplicates(m abi.ControlMessage) {
	for {
		select {
		case f := <-h.frames:
			if f.Type == abi.ControlCreate && f.URI == m.URI && f.Args == m.Args {
				h.log.Debug("module host: dropped a repeated CREATE")
				continue
			}
			h.pending = append(h.pending, f)
		default:
			return
		}
	}
}

// leave detaches: REPLY 0xFF, then (with a gateway that speaks the extension) the drain that loses nothing.
func (h *Host) leave(why string) {
	h.log.Info("module host: leaving", "why", why)
	s := h.sess
	if s == nil {
		return
	}
	h.sendControl(mustControl(abi.ControlMessage{Type: abi.ControlReply, Status: abi.ReplyDetach}))
	if s.gwExt.Load() {
		got := s.waitUntil(s.gwFin.Load, func() uint64 { return 0 }, 5*time.Second)
		if got {
			s.drain()
		} else {
			h.log.Warn("module host: the gateway did not answer the detach; leaving anyway")
		}
	}
	h.endSession()
}

// sendControl sends one control frame (bounded by the socket's send timeout).
func (h *Host) sendControl(b []byte) {
	if err := h.ctl.Send(b); err != nil && !errors.Is(err, sp.ErrClosed) {
		h.log.Warn("module host: control channel send failed", "err", err)
	}
}

func mustControl(m abi.ControlMessage) []byte {
	b, err := abi.EncodeControl(m)
	if err != nil {
		panic("modulehost: " + err.Error())
	}
	return b
}

// ctlReader decodes control frames. HEARTBEATs go straight to the session; malformed frames are logged and
// skipped.
func (h *Host) ctlReader() {
	for {
		b, err := h.ctl.Recv()
		if err != nil {
			if errors.Is(err, sp.ErrClosed) {
				return
			}
			h.log.Warn("module host: control channel receive failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := abi.DecodeControl(b)
		if err != nil {
			if n := h.bad.Add(1); n <= 10 {
				h.log.Warn("module host: malformed control frame from the gateway (ignored)", "err", err, "bytes", len(b))
			}
			continue
		}
		if m.Type == abi.ControlHeartbeat {
			if s := h.cur.Load(); s != nil && !h.opts.NoHeartbeat {
				s.onHeartbeat(m)
			}
			continue
		}
		select {
		case h.frames <- m:
		case <-h.done:
			return
		}
	}
}
