//go:build linux && cgo

package modulehost

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/internal/wiretest"
	"github.com/edgev1/gateway/loader"
	"github.com/edgev1/gateway/loader/outprocess"
)

// ---- a Go test loader: "gotest" modules echo what they receive (Create fails when args has "fail") ---------

func init() { loader.Register(goKind{}) }

type goKind struct{}

func (goKind) Type() string                                     { return "gotest" }
func (goKind) New(name string, _ []byte) (loader.Loader, error) { return goLoader{name}, nil }

type goLoader struct{ name string }

func (l goLoader) Name() string                                { return l.name }
func (l goLoader) Type() string                                { return "gotest" }
func (l goLoader) Load(string, []byte) (loader.Library, error) { return goLib{}, nil }

type goLib struct{}

func (goLib) Create(ctx loader.CreateContext) (loader.Instance, error) {
	if ctx.Args != nil && strings.Contains(*ctx.Args, "fail") {
		return nil, errors.New("gotest: asked to fail")
	}
	return &goEcho{ep: ctx.Endpoint}, nil
}
func (goLib) Close() error { return nil }

type goEcho struct{ ep *broker.Endpoint }

func (e *goEcho) Receive(msgs []cshim.Message) {
	for _, m := range msgs {
		_ = e.ep.Publish(m, true)
	}
}
func (e *goEcho) Start()   {}
func (e *goEcho) Destroy() {}

const echoArgs = `{"outprocess.loader":{"name":"gotest"},"outprocess.loaders":[{"type":"gotest","name":"gotest"}],"module.args":{"x":1}}`

// ---- a fake gateway -------------------------------------------------------------------------------------------

type fakeGW struct {
	t        *testing.T
	dir      string
	ctl, msg *sp.Socket
	stop     chan string
	exit     chan int
}

// startHost runs a Host in this process and dials its control channel like a gateway.
func startHost(t *testing.T, o Options) *fakeGW {
	t.Helper()
	dir := wiretest.ShortDir(t)
	o.ControlID = dir + "/control"
	h, err := New(nil, wiretest.Log(), o)
	if err != nil {
		t.Fatal(err)
	}
	g := &fakeGW{t: t, dir: dir, stop: make(chan string, 1), exit: make(chan int, 1)}
	go func() { g.exit <- h.Run(g.stop) }()
	g.ctl = g.socket()
	if err := g.ctl.Dial("ipc://" + o.ControlID); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case g.stop <- "test end":
		default:
		}
		select {
		case <-g.exit:
		case <-time.After(20 * time.Second):
			t.Error("host did not exit")
		}
	})
	return g
}

func (g *fakeGW) socket() *sp.Socket {
	s, err := sp.NewPair()
	if err != nil {
		g.t.Fatal(err)
	}
	s.SetRecvTimeout(10 * time.Second)
	s.SetSendTimeout(10 * time.Second)
	g.t.Cleanup(func() { s.Close() })
	return s
}

func (g *fakeGW) send(s *sp.Socket, b []byte) {
	g.t.Helper()
	if err := s.Send(b); err != nil {
		g.t.Fatal(err)
	}
}

func (g *fakeGW) control(m abi.ControlMessage) {
	g.t.Helper()
	b, err := abi.EncodeControl(m)
	if err != nil {
		g.t.Fatal(err)
	}
	g.send(g.ctl, b)
}

func (g *fakeGW) create(uri, args string) {
	g.control(abi.ControlMessage{Type: abi.ControlCreate, URI: uri, Args: args})
}

func (g *fakeGW) expect(what, want string) {
	g.t.Helper()
	b, err := g.ctl.Recv()
	if err != nil {
		g.t.Fatalf("%s: %v", what, err)
	}
	if hex.EncodeToString(b) != want {
		g.t.Fatalf("%s:\n got % x\nwant % x", what, b, wiretest.Unhex(g.t, want))
	}
}

func (g *fakeGW) quiet(d time.Duration) {
	g.t.Helper()
	g.ctl.SetRecvTimeout(d)
	defer g.ctl.SetRecvTimeout(10 * time.Second)
	if b, err := g.ctl.Recv(); err == nil {
		g.t.Fatalf("unexpected control frame % x", b)
	}
}

func (g *fakeGW) dialMsg(uri string) {
	g.msg = g.socket()
	if err := g.msg.Dial(uri); err != nil {
		g.t.Fatal(err)
	}
}

// echo sends n copies of the golden message and checks they come back unchanged and in order.
func (g *fakeGW) echo(n int) {
	g.t.Helper()
	frame := wiretest.Unhex(g.t, wiretest.Message)
	go func() {
		for i := 0; i < n; i++ {
			if g.msg.Send(frame) != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		b, err := g.msg.Recv()
		if err != nil || hex.EncodeToString(b) != wiretest.Message {
			g.t.Fatalf("echo %d: % x, %v", i, b, err)
		}
	}
}

func (g *fakeGW) waitExit(want int) {
	g.t.Helper()
	select {
	case code := <-g.exit:
		if code != want {
			g.t.Fatalf("host exit code %d, want %d", code, want)
		}
		g.exit <- code // for the cleanup
	case <-time.After(10 * time.Second):
		g.t.Fatal("host did not exit")
	}
}

// nextCounts reads control frames until a COUNTS satisfying ok arrives.
func (g *fakeGW) nextCounts(what string, ok func(outprocess.WireCounts) bool) outprocess.WireCounts {
	g.t.Helper()
	for {
		b, err := g.ctl.Recv()
		if err != nil {
			g.t.Fatalf("%s: %v", what, err)
		}
		m, err := abi.DecodeControl(b)
		if err != nil {
			g.t.Fatalf("%s: %v", what, err)
		}
		if w, isCounts := outprocess.ParseCounts(m); isCounts && ok(w) {
			return w
		}
	}
}

// ---- tests -------------------------------------------------------------------------------------------------

// TestHostSDKGateway: an SDK gateway (no HEARTBEAT ever) gets exactly the SDK's bytes: REPLY 0, one ignorable
// ANNOUNCE, echoed data frames, and nothing else.
func TestHostSDKGateway(t *testing.T) {
	g := startHost(t, Options{})
	msg := "ipc://" + g.dir + "/message"
	g.create(msg, echoArgs)
	g.expect("REPLY", wiretest.ReplyOK)
	g.expect("ANNOUNCE", wiretest.Announce)
	g.dialMsg(msg)
	g.send(g.ctl, wiretest.Unhex(t, wiretest.Start))
	g.echo(1000)
	// Malformed frames on both channels are skipped.
	for _, junk := range []string{"", "00", "a16c01", "a16c0109000000080000", wiretest.ReplyOK, "a16c010100000008"} {
		g.send(g.ctl, wiretest.Unhex(t, junk))
	}
	for _, junk := range []string{"", "a160", wiretest.Message[:40], wiretest.Message + "00"} {
		g.send(g.msg, wiretest.Unhex(t, junk))
	}
	g.echo(10)
	g.quiet(300 * time.Millisecond)
	g.send(g.ctl, wiretest.Unhex(t, wiretest.Destroy))
	g.waitExit(0)
}

func TestHostRejectsCreate(t *testing.T) {
	g := startHost(t, Options{MessageDir: os.TempDir()})
	msg := "ipc://" + g.dir + "/message"
	cases := []struct {
		name  string
		frame []byte
		want  string
	}{
		{"SDK proxy sample args (a JSON string)", wiretest.Unhex(t, wiretest.CreateProxySample), wiretest.ReplyErr},
		{"args not JSON", nil, wiretest.ReplyErr},
		{"no outprocess.loader", nil, wiretest.ReplyErr},
		{"unknown loader", nil, wiretest.ReplyErr},
		{"module create fails", nil, wiretest.ReplyErr},
		{"network transport", nil, wiretest.ReplyConn},
		{"path traversal", nil, wiretest.ReplyConn},
		{"outside --message-dir", nil, wiretest.ReplyConn},
	}
	frames := map[string]abi.ControlMessage{
		"args not JSON":         {URI: msg, Args: "{"},
		"no outprocess.loader":  {URI: msg, Args: `{"module.args":{}}`},
		"unknown loader":        {URI: msg, Args: `{"outprocess.loader":{"name":"cobol"}}`},
		"module create fails":   {URI: msg, Args: strings.Replace(echoArgs, `{"x":1}`, `{"fail":true}`, 1)},
		"network transport":     {URI: "tcp://127.0.0.1:5555", Args: echoArgs},
		"path traversal":        {URI: msg + "/../../x", Args: echoArgs},
		"outside --message-dir": {URI: "ipc:///var/outside", Args: echoArgs},
	}
	for _, c := range cases {
		frame := c.frame
		if frame == nil {
			m := frames[c.name]
			m.Type = abi.ControlCreate
			var err error
			if frame, err = abi.EncodeControl(m); err != nil {
				t.Fatal(err)
			}
		}
		g.send(g.ctl, frame)
		g.expect(c.name, c.want)
	}
	g.quiet(200 * time.Millisecond) // no ANNOUNCE after a failed CREATE
}

// TestHostExtension: with a gateway that speaks the extension: PING gets COUNTS, acknowledgements follow the
// data, and a FIN from the gateway drains the host.
func TestHostExtension(t *testing.T) {
	g := startHost(t, Options{})
	msg := "ipc://" + g.dir + "/message"
	g.create(msg, echoArgs)
	g.expect("REPLY", wiretest.ReplyOK)
	g.expect("ANNOUNCE", wiretest.Announce)
	g.send(g.ctl, outprocess.HeartbeatFrame()) // PING
	g.expect("COUNTS", hex.EncodeToString(outprocess.EncodeCounts(outprocess.Counts{})))
	g.dialMsg(msg)
	g.send(g.ctl, wiretest.Unhex(t, wiretest.Start))
	const n = 600
	g.echo(n)
	// The host acknowledges processed frames only once the gateway has acknowledged their output.
	g.quiet(100 * time.Millisecond)
	g.send(g.ctl, outprocess.EncodeCounts(outprocess.Counts{Sent: n, Done: n}))
	g.nextCounts("acknowledgement of every frame", func(w outprocess.WireCounts) bool { return w.Done == n && w.Sent == n && !w.Fin })
	// The gateway is done (destroy): FIN. The host drains and answers FIN.
	g.send(g.ctl, outprocess.EncodeCounts(outprocess.Counts{Fin: true, Sent: n, Done: n}))
	w := g.nextCounts("FIN", func(w outprocess.WireCounts) bool { return w.Fin })
	if w.Done != n || w.Sent != n {
		t.Fatalf("FIN %+v", w)
	}
	g.send(g.ctl, wiretest.Unhex(t, wiretest.Destroy))
	g.waitExit(0)
}

// TestHostLeaves: a host that leaves sends REPLY 0xFF; with a gateway that speaks the extension it drains first.
func TestHostLeaves(t *testing.T) {
	for _, ext := range []bool{false, true} {
		t.Run(fmt.Sprintf("extension=%v", ext), func(t *testing.T) {
			g := startHost(t, Options{})
			msg := "ipc://" + g.dir + "/message"
			g.create(msg, echoArgs)
			g.expect("REPLY", wiretest.ReplyOK)
			g.expect("ANNOUNCE", wiretest.Announce)
			if ext {
				g.send(g.ctl, outprocess.HeartbeatFrame())
				g.nextCounts("COUNTS", func(outprocess.WireCounts) bool { return true })
			}
			g.dialMsg(msg)
			g.send(g.ctl, wiretest.Unhex(t, wiretest.Start))
			g.echo(50)
			g.stop <- "test"
			for {
				b, err := g.ctl.Recv()
				if err != nil {
					t.Fatal(err)
				}
				if hex.EncodeToString(b) == wiretest.Detach {
					break
				}
			}
			if ext {
				g.send(g.ctl, outprocess.EncodeCounts(outprocess.Counts{Fin: true, Sent: 50, Done: 50}))
				w := g.nextCounts("FIN", func(w outprocess.WireCounts) bool { return w.Fin })
				if w.Done != 50 || w.Sent != 50 {
					t.Fatalf("FIN %+v", w)
				}
			}
			g.waitExit(0)
		})
	}
}

func TestHostBadControlID(t *testing.T) {
	for _, id := range []string{"", strings.Repeat("x", 129), "a/../b", "/tmp/" + strings.Repeat("y", 110)} {
		if _, err := New(nil, wiretest.Log(), Options{ControlID: id}); err == nil {
			t.Errorf("control.id %q accepted", id)
		}
	}
}
