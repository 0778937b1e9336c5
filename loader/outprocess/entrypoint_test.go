package outprocess

import (
	"strings"
	"testing"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/cshim"
)

func TestParseEntrypoint(t *testing.T) {
	long := "/tmp/" + strings.Repeat("a", 124)
	cases := []struct {
		name string
		json string
		want string // error substring; "" = ok
		chk  func(t *testing.T, ep *Entrypoint)
	}{
		{"sdk none", `{"activation.type":"none","control.id":"outprocess_module_control"}`, "", func(t *testing.T, ep *Entrypoint) {
			if ep.ControlURL != "ipc://outprocess_module_control" || !ep.MessageIDGenerated || strings.Contains(ep.MessageID, "/") {
				t.Errorf("ids: %+v", ep)
			}
			if ep.Timeout != time.Second || ep.CreateTimeout != DefaultCreateTimeoutNone || ep.Heartbeat != DefaultHeartbeat || ep.Window != DefaultWindow {
				t.Errorf("defaults: %+v", ep)
			}
		}},
		{"message id next to control", `{"activation.type":"none","control.id":"/run/gw/ctl"}`, "", func(t *testing.T, ep *Entrypoint) {
			if !strings.HasPrefix(ep.MessageID, "/run/gw/") || len(ep.MessageID) != len("/run/gw/")+36 {
				t.Errorf("generated message.id %q", ep.MessageID)
			}
		}},
		{"sdk sample message id", `{"activation.type":"none","control.id":"c","message.id":"/tmp/proxy_sample.message","timeout":250}`, "", func(t *testing.T, ep *Entrypoint) {
			if ep.MessageURL != "ipc:///tmp/proxy_sample.message" || ep.Timeout != 250*time.Millisecond || ep.MessageIDGenerated {
				t.Errorf("%+v", ep)
			}
		}},
		{"launch", `{"activation.type":"launch","control.id":"c","launch":{"path":"/bin/h","args":["c","--x"],"grace.period.ms":10,"restart.max":0}}`, "", func(t *testing.T, ep *Entrypoint) {
			l := ep.Launch
			if l.Path != "/bin/h" || len(l.Args) != 2 || l.Grace != 10*time.Millisecond || l.RestartMax != 0 || l.Backoff != DefaultBackoff || ep.CreateTimeout != DefaultCreateTimeoutLaunch {
				t.Errorf("%+v", l)
			}
		}},
		{"extensions", `{"activation.type":"none","control.id":"c","heartbeat.ms":0,"window":64,"create.timeout.ms":5}`, "", func(t *testing.T, ep *Entrypoint) {
			if ep.Heartbeat != 0 || ep.Window != 64 || ep.CreateTimeout != 5*time.Millisecond {
				t.Errorf("%+v", ep)
			}
		}},
		{"no entrypoint", ``, `missing "entrypoint"`, nil},
		{"not json", `{`, "invalid JSON", nil},
		{"not object", `[]`, "must be a JSON object", nil},
		{"no activation", `{"control.id":"c"}`, "activation.type: missing", nil},
		{"bad activation", `{"activation.type":"NONE","control.id":"c"}`, `must be "none" or "launch", got "NONE"`, nil},
		{"no control", `{"activation.type":"none"}`, "control.id: missing", nil},
		{"empty control", `{"activation.type":"none","control.id":""}`, "control.id: must be a non-empty string", nil},
		{"control too long", `{"activation.type":"none","control.id":"` + long + `"}`, "control.id: 129 bytes, the limit is 128", nil},
		{"control path too long for a socket", `{"activation.type":"none","control.id":"` + long[:120] + `"}`, "exceeds the unix socket limit", nil},
		{"traversal", `{"activation.type":"none","control.id":"a/../../etc/x"}`, "path traversal", nil},
		{"message traversal", `{"activation.type":"none","control.id":"c","message.id":"../m"}`, "message.id", nil},
		{"same ids", `{"activation.type":"none","control.id":"c","message.id":"./c"}`, "must differ from control.id", nil},
		{"bad timeout", `{"activation.type":"none","control.id":"c","timeout":0}`, "timeout: must be an integer from 1", nil},
		{"fractional timeout", `{"activation.type":"none","control.id":"c","timeout":1.5}`, "timeout: must be an integer", nil},
		{"string timeout", `{"activation.type":"none","control.id":"c","timeout":"1000"}`, "timeout: must be an integer", nil},
		{"small window", `{"activation.type":"none","control.id":"c","window":1}`, "window: must be an integer from 16", nil},
		{"launch missing", `{"activation.type":"launch","control.id":"c"}`, "launch: missing", nil},
		{"launch no path", `{"activation.type":"launch","control.id":"c","launch":{}}`, "launch.path: missing", nil},
		{"launch args", `{"activation.type":"launch","control.id":"c","launch":{"path":"p","args":[1]}}`, "launch.args[0]: must be a string", nil},
		{"launch grace", `{"activation.type":"launch","control.id":"c","launch":{"path":"p","grace.period.ms":-1}}`, "launch.grace.period.ms: must be an integer", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var data []byte
			if c.json != "" {
				data = []byte(c.json)
			}
			ep, err := ParseEntrypoint(data)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.chk(t, ep)
		})
	}
}

func TestLoaderErrorsNameModule(t *testing.T) {
	l, err := Kind{}.New("outprocess", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Load("printer", []byte(`{"activation.type":"none"}`))
	if err == nil || err.Error() != `loader "outprocess": module "printer": entrypoint: control.id: missing` {
		t.Fatalf("err = %v", err)
	}
	if _, err := (Kind{}).New("x", []byte(`{`)); err == nil {
		t.Fatal("invalid configuration accepted")
	}
}

func TestCountsCodec(t *testing.T) {
	cases := []Counts{
		{},
		{Sent: 1, Done: 2},
		{Fin: true, Sent: 1<<31 - 1, Done: 1<<31 - 1},
		{Sent: 1<<31 + 5, Done: 3<<31 + 7}, // only the low 31 bits travel
	}
	for _, c := range cases {
		m, err := abi.DecodeControl(EncodeCounts(c))
		if err != nil {
			t.Fatal(err)
		}
		w, ok := ParseCounts(m)
		if !ok || w.Fin != c.Fin || uint64(w.Sent) != c.Sent&counterMask || uint64(w.Done) != c.Done&counterMask {
			t.Errorf("%+v -> %+v", c, w)
		}
		if m.Sequence&(1<<62) != 0 {
			t.Errorf("reserved bit set for %+v", c)
		}
	}
	// The wire form of a FIN with Sent=3, Done=5.
	got := EncodeCounts(Counts{Fin: true, Sent: 3, Done: 5})
	want := []byte{0xa1, 0x6c, 0x01, 0x05, 0, 0, 0, 0x10, 0x80, 0, 0, 0x01, 0x80, 0, 0, 0x05}
	if string(got) != string(want) {
		t.Errorf("FIN counts: % x, want % x", got, want)
	}
	if string(HeartbeatFrame()) != "\xa1\x6c\x01\x05\x00\x00\x00\x08" {
		t.Errorf("heartbeat frame % x", HeartbeatFrame())
	}
	if _, ok := ParseCounts(abi.ControlMessage{Type: abi.ControlHeartbeat}); ok {
		t.Error("header-only heartbeat parsed as counts")
	}
}

func TestUnwrap(t *testing.T) {
	const m = 1 << 31
	cases := []struct {
		lower uint64
		wire  uint32
		want  uint64
		fwd   bool
	}{
		{0, 0, 0, true},
		{0, 10, 10, true},
		{m - 2, 3, m + 3, true},          // wrapped
		{5*m + 100, 90, 6*m + 90, false}, // behind: Unwrap reads it as ahead, UnwrapForward refuses
		{7, 7, 7, true},
	}
	for _, c := range cases {
		if got := Unwrap(c.lower, c.wire); got != c.want {
			t.Errorf("Unwrap(%d, %d) = %d, want %d", c.lower, c.wire, got, c.want)
		}
		got, ok := UnwrapForward(c.lower, c.wire)
		if ok != c.fwd || (ok && got != c.want) || (!ok && got != c.lower) {
			t.Errorf("UnwrapForward(%d, %d) = %d, %v", c.lower, c.wire, got, ok)
		}
	}
}

func TestWindow(t *testing.T) {
	var w window
	for i := uint64(0); i < 200; i++ {
		w.push(cshim.Message(i+1), 10+i)
	}
	rel := w.ackUpTo(15, nil) // frames 10..14
	if len(rel) != 5 || rel[0] != 1 || rel[4] != 5 || w.len() != 195 || w.base != 15 {
		t.Fatalf("ack: %v len %d base %d", rel, w.len(), w.base)
	}
	if rel := w.ackUpTo(3, nil); len(rel) != 0 {
		t.Fatal("old ack released frames")
	}
	for i := uint64(200); i < 300; i++ { // wraps and grows
		w.push(cshim.Message(i+1), 10+i)
	}
	all := w.takeAll(nil)
	if len(all) != 295 || all[0] != 6 || all[294] != 300 || w.len() != 0 {
		t.Fatalf("takeAll: %d items, first %d last %d", len(all), all[0], all[len(all)-1])
	}
	w.push(cshim.Message(9), 500)
	if w.base != 500 {
		t.Fatalf("base after refill %d", w.base)
	}
}

func TestBackoff(t *testing.T) {
	l := &Launch{Backoff: 100 * time.Millisecond, BackoffMax: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := backoff(l, i+1); got != w*time.Millisecond {
			t.Errorf("backoff %d = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
}
