package outprocess

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/sp"
)

// Activation types ("activation.type").
const (
	// ActivationNone: the remote is started by someone else (a second terminal, a service manager).
	ActivationNone = "none"
	// ActivationLaunch: the gateway starts the remote (launch.path) and supervises it.
	ActivationLaunch = "launch"
)

// Defaults of the entry point keys.
const (
	DefaultTimeout             = 1000 * time.Millisecond // "timeout": CREATE resend interval
	DefaultGracePeriod         = 3000 * time.Millisecond // "launch.grace.period.ms"
	DefaultHeartbeat           = 1000 * time.Millisecond // "heartbeat.ms"
	DefaultWindow              = 8192                    // "window"
	DefaultCreateTimeoutNone   = 60 * time.Second        // "create.timeout.ms", activation none
	DefaultCreateTimeoutLaunch = 10 * time.Second        // "create.timeout.ms", activation launch
	DefaultRestartMax          = 5                       // "launch.restart.max"
	DefaultBackoff             = 100 * time.Millisecond  // "launch.restart.backoff.ms"
	DefaultBackoffMax          = 10 * time.Second        // "launch.restart.backoff.max.ms"
	// maxWindow bounds "window" (the counters of the heartbeat extension are 31 bits wide).
	maxWindow = 1 << 20
)

// Entrypoint is a parsed outprocess entry point. The SDK keys are activation.type, control.id, message.id,
// timeout and launch {path, args, grace.period.ms}; the others are extensions of this gateway (docs/outprocess.md).
type Entrypoint struct {
	Activation string
	// ControlID and MessageID are the ids as configured (or generated); ControlURL and MessageURL the ipc:// URLs
	// this process dials (relative ids resolve against the working directory, as in the SDK).
	ControlID, MessageID   string
	ControlURL, MessageURL string
	// MessageIDGenerated is set when message.id was absent and MessageID was generated next to control.id.
	MessageIDGenerated bool
	// Timeout is the SDK's "timeout": how long to wait for a REPLY before sending CREATE again.
	Timeout time.Duration
	// CreateTimeout bounds how long Module_Create waits for the first REPLY ("create.timeout.ms"); the SDK waited
	// forever.
	CreateTimeout time.Duration
	// Heartbeat is the liveness interval of the HEARTBEAT extension ("heartbeat.ms"); 0 disables the extension
	// (the gateway then behaves exactly like the SDK's).
	Heartbeat time.Duration
	// Window bounds the data frames sent and not yet acknowledged by a remote that speaks the extension.
	Window int
	// Launch is set for activation "launch".
	Launch *Launch
}

// Launch describes the child process of activation "launch".
type Launch struct {
	Path string
	Args []string
	// Grace is how long the child may take to exit after DESTROY before it gets SIGTERM ("grace.period.ms").
	Grace time.Duration
	// RestartMax caps consecutive restarts of a child that keeps dying ("restart.max"); then the module is
	// declared failed.
	RestartMax int
	// Backoff and BackoffMax bound the exponential delay before a restart ("restart.backoff.ms",
	// "restart.backoff.max.ms").
	Backoff, BackoffMax time.Duration
}

var errNoEntrypoint = errors.New(`missing "entrypoint"`)

// ParseEntrypoint parses and validates an outprocess entry point. Errors name the key at fault.
func ParseEntrypoint(data []byte) (*Entrypoint, error) {
	if data == nil {
		return nil, errNoEntrypoint
	}
	if !gjson.ValidBytes(data) {
		return nil, errors.New("entrypoint: invalid JSON")
	}
	root := gjson.ParseBytes(data)
	if !root.IsObject() {
		return nil, errors.New("entrypoint: must be a JSON object")
	}
	ep := &Entrypoint{}
	var err error
	if ep.Activation, err = str(root, "activation.type", true); err != nil {
		return nil, err
	}
	switch ep.Activation {
	case ActivationNone, ActivationLaunch:
	default:
		return nil, fmt.Errorf(`entrypoint: activation.type: must be "none" or "launch", got %q`, ep.Activation)
	}
	if ep.ControlID, err = str(root, "control.id", true); err != nil {
		return nil, err
	}
	if ep.ControlURL, err = checkID("control.id", ep.ControlID); err != nil {
		return nil, err
	}
	if ep.MessageID, err = str(root, "message.id", false); err != nil {
		return nil, err
	}
	if ep.MessageID == "" {
		if ep.MessageID, err = generateMessageID(ep.ControlID); err != nil {
			return nil, err
		}
		ep.MessageIDGenerated = true
	}
	if ep.MessageURL, err = checkID("message.id", ep.MessageID); err != nil {
		return nil, err
	}
	if filepath.Clean(ep.MessageID) == filepath.Clean(ep.ControlID) {
		return nil, fmt.Errorf("entrypoint: message.id: must differ from control.id (%q)", ep.ControlID)
	}
	if ep.Timeout, err = millis(root, "timeout", DefaultTimeout, 1); err != nil {
		return nil, err
	}
	createDefault := DefaultCreateTimeoutNone
	if ep.Activation == ActivationLaunch {
		createDefault = DefaultCreateTimeoutLaunch
	}
	if ep.CreateTimeout, err = millis(root, "create.timeout.ms", createDefault, 1); err != nil {
		return nil, err
	}
	if ep.Heartbeat, err = millis(root, "heartbeat.ms", DefaultHeartbeat, 0); err != nil {
		return nil, err
	}
	w, err := integer(root, "window", DefaultWindow, 16, maxWindow)
	if err != nil {
		return nil, err
	}
	ep.Window = w
	l := root.Get(config.Key("launch"))
	if ep.Activation == ActivationLaunch {
		if !l.Exists() {
			return nil, errors.New(`entrypoint: launch: missing (required for activation.type "launch")`)
		}
		if ep.Launch, err = parseLaunch(l); err != nil {
			return nil, err
		}
	}
	return ep, nil
}

func parseLaunch(l gjson.Result) (*Launch, error) {
	if !l.IsObject() {
		return nil, errors.New("entrypoint: launch: must be an object")
	}
	ln := &Launch{}
	var err error
	if ln.Path, err = str(l, "path", true); err != nil {
		return nil, prefix("launch.", err)
	}
	if strings.IndexByte(ln.Path, 0) >= 0 {
		return nil, errors.New("entrypoint: launch.path: contains NUL")
	}
	if a := l.Get("args"); a.Exists() {
		if !a.IsArray() {
			return nil, errors.New("entrypoint: launch.args: must be an array of strings")
		}
		for i, v := range a.Array() {
			if v.Type != gjson.String || strings.IndexByte(v.Str, 0) >= 0 {
				return nil, fmt.Errorf("entrypoint: launch.args[%d]: must be a string without NUL", i)
			}
			ln.Args = append(ln.Args, v.Str)
		}
	}
	if ln.Grace, err = millis(l, "grace.period.ms", DefaultGracePeriod, 0); err != nil {
		return nil, prefix("launch.", err)
	}
	if ln.RestartMax, err = integer(l, "restart.max", DefaultRestartMax, 0, 1000); err != nil {
		return nil, prefix("launch.", err)
	}
	if ln.Backoff, err = millis(l, "restart.backoff.ms", DefaultBackoff, 0); err != nil {
		return nil, prefix("launch.", err)
	}
	if ln.BackoffMax, err = millis(l, "restart.backoff.max.ms", DefaultBackoffMax, 0); err != nil {
		return nil, prefix("launch.", err)
	}
	if ln.BackoffMax < ln.Backoff {
		ln.BackoffMax = ln.Backoff
	}
	return ln, nil
}

func prefix(p string, err error) error {
	return errors.New(strings.Replace(err.Error(), "entrypoint: ", "entrypoint: "+p, 1))
}

func str(obj gjson.Result, key string, required bool) (string, error) {
	v := obj.Get(config.Key(key))
	if !v.Exists() {
		if required {
			return "", fmt.Errorf("entrypoint: %s: missing", key)
		}
		return "", nil
	}
	if v.Type != gjson.String || v.Str == "" {
		return "", fmt.Errorf("entrypoint: %s: must be a non-empty string", key)
	}
	return v.Str, nil
}

// millis reads a duration in milliseconds (an integer >= min, at most one day).
func millis(obj gjson.Result, key string, def time.Duration, min int) (time.Duration, error) {
	n, err := integer(obj, key, int(def/time.Millisecond), min, 24*3600*1000)
	if err != nil {
		return 0, err
	}
	return time.Duration(n) * time.Millisecond, nil
}

func integer(obj gjson.Result, key string, def, min, max int) (int, error) {
	v := obj.Get(config.Key(key))
	if !v.Exists() {
		return def, nil
	}
	if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < float64(min) || v.Num > float64(max) {
		return 0, fmt.Errorf("entrypoint: %s: must be an integer from %d to %d", key, min, max)
	}
	return int(v.Num), nil
}

// CheckID validates a channel id (control.id or message.id) and returns its ipc:// URL: 1 to 128 bytes, no NUL,
// no ".." path element (ids name socket files; climbing out of the directory they name is refused, use an
// absolute path instead), and a path that fits a unix socket address.
func CheckID(key, id string) (string, error) { return checkID(key, id) }

func checkID(key, id string) (string, error) {
	if len(id) > sp.MaxIDLen {
		return "", fmt.Errorf("entrypoint: %s: %d bytes, the limit is %d", key, len(id), sp.MaxIDLen)
	}
	if HasDotDot(id) {
		return "", fmt.Errorf(`entrypoint: %s: %q contains a ".." path element (path traversal is refused; use an absolute path)`, key, id)
	}
	url, err := sp.IPCURL("", id)
	if err != nil {
		return "", fmt.Errorf("entrypoint: %s: %w", key, err)
	}
	return url, nil
}

// HasDotDot reports whether a slash-separated path has a ".." element.
func HasDotDot(p string) bool {
	for _, e := range strings.Split(p, "/") {
		if e == ".." {
			return true
		}
	}
	return false
}

// generateMessageID returns a fresh id next to the control socket: "<dir of control.id>/<uuid>" (just "<uuid>",
// as the SDK does, when control.id has no directory). The socket then lives in the directory the configuration
// names for the control channel.
func generateMessageID(control string) (string, error) {
	id := NewUUID()
	if dir := filepath.Dir(control); dir != "." {
		id = filepath.Join(dir, id)
	}
	if _, err := sp.IPCURL("", id); err != nil {
		return "", fmt.Errorf("entrypoint: message.id: absent, and the generated id %q does not fit (%v); set message.id", id, err)
	}
	return id, nil
}

// NewUUID returns a random (version 4) UUID in its 36-character text form.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
