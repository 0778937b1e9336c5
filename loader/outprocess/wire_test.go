//go:build linux && cgo

package outprocess

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/internal/wiretest"
	"github.com/edgev1/gateway/loader"
)

// fakeRemote is an SDK-like remote: it binds the control channel and, on request, the message channel, and
// answers only what the test tells it to.
type fakeRemote struct {
	t        *testing.T
	ctl, msg *sp.Socket
}

func newFakeRemote(t *testing.T, ctlURL string) *fakeRemote {
	t.Helper()
	r := &fakeRemote{t: t}
	var err error
	if r.ctl, err = sp.NewPair(); err != nil {
		t.Fatal(err)
	}
	r.ctl.SetRecvTimeout(10 * time.Second)
	r.ctl.SetSendTimeout(10 * time.Second)
	if err := r.ctl.Bind(ctlURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.ctl.Close()
		if r.msg != nil {
			r.msg.Close()
		}
	})
	return r
}

func (r *fakeRemote) bindMsg(url string) {
	r.t.Helper()
	var err error
	if r.msg, err = sp.NewPair(); err != nil {
		r.t.Fatal(err)
	}
	r.msg.SetRecvTimeout(10 * time.Second)
	r.msg.SetSendTimeout(10 * time.Second)
	_ = r.msg.SetRecvMaxSize(-1)
	if err := r.msg.Bind(url); err != nil {
		r.t.Fatal(err)
	}
}

// expect receives one control frame and compares it with want (hex).
func (r *fakeRemote) expect(what, want string) []byte {
	r.t.Helper()
	b, err := r.ctl.Recv()
	if err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
	if hex.EncodeToString(b) != want {
		r.t.Fatalf("%s:\n got % x\nwant % x", what, b, wiretest.Unhex(r.t, want))
	}
	return b
}

// quiet checks that no control frame arrives for d.
func (r *fakeRemote) quiet(d time.Duration) {
	r.t.Helper()
	r.ctl.SetRecvTimeout(d)
	defer r.ctl.SetRecvTimeout(10 * time.Second)
	if b, err := r.ctl.Recv(); err == nil {
		r.t.Fatalf("unexpected control frame % x", b)
	} else if !errors.Is(err, sp.ErrTimeout) {
		r.t.Fatal(err)
	}
}

func (r *fakeRemote) send(s *sp.Socket, b []byte) {
	r.t.Helper()
	if err := s.Send(b); err != nil {
		r.t.Fatal(err)
	}
}

// collector is a broker sink that keeps decoded copies of what it receives.
type collector struct {
	mu   sync.Mutex
	msgs []abi.Message
	got  chan struct{}
}

func newCollector() *collector { return &collector{got: make(chan struct{}, 1024)} }

func (c *collector) Receive(msgs []cshim.Message) {
	for _, m := range msgs {
		d, err := m.Decode()
		if err != nil {
			panic(err)
		}
		c.mu.Lock()
		c.msgs = append(c.msgs, d)
		c.mu.Unlock()
		c.got <- struct{}{}
	}
}

func (c *collector) wait(t *testing.T, n int) []abi.Message {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-c.got:
		case <-time.After(10 * time.Second):
			t.Fatalf("collector: %d of %d messages", i, n)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]abi.Message(nil), c.msgs...)
}

// slot lets the proxy's endpoint exist before the proxy.
type slot struct {
	mu   sync.Mutex
	inst loader.Instance
}

func (s *slot) Receive(m []cshim.Message) {
	s.mu.Lock()
	inst := s.inst
	s.mu.Unlock()
	if inst != nil {
		inst.Receive(m)
	}
}

type rig struct {
	b    *broker.Broker
	ep   *broker.Endpoint
	out  *collector
	slot *slot
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{b: broker.New(wiretest.Log()), out: newCollector(), slot: &slot{}}
	var err error
	if r.ep, err = r.b.AddModule("oop", r.slot, broker.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.b.AddModule("sink", r.out, broker.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := r.b.AddLink("oop", "sink"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.b.Close(time.Second) })
	return r
}

// create runs Library.Create in the background.
func (r *rig) create(t *testing.T, entrypoint string, args *string) <-chan createResult {
	t.Helper()
	l, _ := Kind{}.New("outprocess", nil)
	lib, err := l.Load("oop", []byte(entrypoint))
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan createResult, 1)
	go func() {
		inst, err := lib.Create(loader.CreateContext{Module: "oop", Args: args, Endpoint: r.ep, Log: wiretest.Log()})
		if inst != nil {
			r.slot.mu.Lock()
			r.slot.inst = inst
			r.slot.mu.Unlock()
		}
		ch <- createResult{inst, err}
	}()
	return ch
}

type createResult struct {
	inst loader.Instance
	err  error
}

func waitCreate(t *testing.T, ch <-chan createResult) loader.Instance {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.inst
	case <-time.After(10 * time.Second):
		t.Fatal("Create did not return")
	}
	return nil
}

// TestWireGoldenSDKRemote checks the exact control bytes against the SDK's, and that a remote that never
// announces the extension never receives a HEARTBEAT.
func TestWireGoldenSDKRemote(t *testing.T) {
	dir := wiretest.ShortDir(t)
	ctl := dir + "/control"
	remote := newFakeRemote(t, "ipc://"+ctl)
	rig := newRig(t)
	args := `"THIS IS THE OOP MODULE CONFIGURATION"`
	ep := fmt.Sprintf(`{"activation.type":"none","control.id":%q,"message.id":"/tmp/proxy_sample.message","timeout":200,"heartbeat.ms":50}`, ctl)
	ch := rig.create(t, ep, &args)
	remote.expect("CREATE", wiretest.CreateProxySample)
	// No REPLY: CREATE again after "timeout".
	start := time.Now()
	remote.expect("CREATE resent", wiretest.CreateProxySample)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("CREATE resent after %v, want about the 200 ms timeout", d)
	}
	remote.send(remote.ctl, wiretest.Unhex(t, wiretest.ReplyOK))
	inst := waitCreate(t, ch)
	inst.Start()
	remote.expect("START", wiretest.Start)
	remote.quiet(400 * time.Millisecond)                         // well past the heartbeat interval and the announce deadline
	remote.send(remote.ctl, wiretest.Unhex(t, wiretest.ReplyOK)) // a REPLY to the resent CREATE: a new session, START again
	remote.expect("START after re-create", wiretest.Start)
	destroy(t, inst)
	remote.expect("DESTROY", wiretest.Destroy)
}

func TestWireDataSDKRemote(t *testing.T) {
	dir := wiretest.ShortDir(t)
	ctl, msg := dir+"/control", dir+"/message"
	remote := newFakeRemote(t, "ipc://"+ctl)
	rig := newRig(t)
	ch := rig.create(t, fmt.Sprintf(`{"activation.type":"none","control.id":%q,"message.id":%q}`, ctl, msg), nil)
	b := remote.expect("CREATE", hex.EncodeToString(mustEncode(abi.ControlMessage{Type: abi.ControlCreate, URI: "ipc://" + msg, Args: "null"})))
	if !bytes.Contains(b, []byte("null\x00")) {
		t.Fatal("absent args are not sent as null")
	}
	remote.bindMsg("ipc://" + msg)
	remote.send(remote.ctl, wiretest.Unhex(t, wiretest.ReplyOK))
	inst := waitCreate(t, ch)

	// Gateway to remote: one plain message byte array per message.
	m, err := cshim.NewMessage([]byte("hello"), []abi.Property{{Key: "source", Value: "sensor1"}, {Key: "type", Value: "temp"}})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		inst.Receive([]cshim.Message{m, m})
		m.Release()
	}()
	for i := 0; i < 2; i++ {
		got, err := remote.msg.Recv()
		if err != nil || hex.EncodeToString(got) != wiretest.Message {
			t.Fatalf("data frame %d: % x, %v", i, got, err)
		}
	}

	// Remote to gateway: published with the proxy as source; malformed frames on either channel are skipped.
	for _, junk := range [][]byte{{}, []byte("junk"), wiretest.Unhex(t, wiretest.Message)[:30], wiretest.Unhex(t, wiretest.Message+"00")} {
		remote.send(remote.msg, junk)
	}
	for _, junk := range [][]byte{{1}, wiretest.Unhex(t, wiretest.ReplyOK)[:8], []byte("\xa1\x6c\x01\x09\x00\x00\x00\x08"), wiretest.Unhex(t, wiretest.Start)} {
		remote.send(remote.ctl, junk)
	}
	remote.send(remote.msg, wiretest.Unhex(t, wiretest.Message))
	got := rig.out.wait(t, 1)
	if string(got[0].Content) != "hello" || len(got[0].Properties) != 2 || got[0].Properties[1] != (abi.Property{Key: "type", Value: "temp"}) {
		t.Fatalf("published %+v", got[0])
	}
	if s := rig.b.Endpoint("oop").Stats(); s.Published != 1 {
		t.Fatalf("proxy endpoint published %d", s.Published)
	}
	destroy(t, inst)
	remote.expect("DESTROY", wiretest.Destroy)
}

// destroy runs Destroy in the background: a remote must be receiving while the gateway closes (nanomsg drops
// frames not yet received when a connection closes).
func destroy(t *testing.T, inst loader.Instance) {
	done := make(chan struct{})
	go func() {
		inst.Destroy()
		close(done)
	}()
	t.Cleanup(func() { <-done })
}

// TestCreateFailures: a REPLY other than 0 fails the creation; so does the deadline.
func TestCreateFailures(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		dir := wiretest.ShortDir(t)
		remote := newFakeRemote(t, "ipc://"+dir+"/c")
		rig := newRig(t)
		ch := rig.create(t, fmt.Sprintf(`{"activation.type":"none","control.id":%q}`, dir+"/c"), nil)
		if _, err := remote.ctl.Recv(); err != nil {
			t.Fatal(err)
		}
		remote.send(remote.ctl, wiretest.Unhex(t, "a16c01020000000902"))
		r := <-ch
		if r.err == nil || !strings.Contains(r.err.Error(), "REPLY status 2 (module creation error)") {
			t.Fatalf("err = %v", r.err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		dir := wiretest.ShortDir(t)
		rig := newRig(t)
		start := time.Now()
		r := <-rig.create(t, fmt.Sprintf(`{"activation.type":"none","control.id":%q,"create.timeout.ms":300}`, dir+"/c"), nil)
		if r.err == nil || !strings.Contains(r.err.Error(), `loader "outprocess": module "oop": no REPLY to CREATE within 300ms`) {
			t.Fatalf("err = %v", r.err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("took %v", d)
		}
	})
}

// TestAnnounceGetsPing: the gateway answers a remote's ANNOUNCE with a PING and only then speaks the extension.
func TestAnnounceGetsPing(t *testing.T) {
	dir := wiretest.ShortDir(t)
	ctl, msg := dir+"/control", dir+"/message"
	remote := newFakeRemote(t, "ipc://"+ctl)
	rig := newRig(t)
	ch := rig.create(t, fmt.Sprintf(`{"activation.type":"none","control.id":%q,"message.id":%q,"heartbeat.ms":100}`, ctl, msg), nil)
	if _, err := remote.ctl.Recv(); err != nil {
		t.Fatal(err)
	}
	remote.bindMsg("ipc://" + msg)
	remote.send(remote.ctl, wiretest.Unhex(t, wiretest.ReplyOK))
	remote.send(remote.ctl, HeartbeatFrame())
	inst := waitCreate(t, ch)
	remote.expect("PING", "a16c010500000008")
	// Silence: pings every heartbeat interval.
	remote.expect("PING", "a16c010500000008")
	remote.send(remote.ctl, EncodeCounts(Counts{}))
	destroy(t, inst)
	// An extension-speaking remote is drained first: COUNTS with FIN (nothing sent, nothing received).
	remote.expect("FIN", hex.EncodeToString(EncodeCounts(Counts{Fin: true})))
	remote.send(remote.ctl, EncodeCounts(Counts{Fin: true}))
	remote.expect("DESTROY", wiretest.Destroy)
}
