package modulehost

import (
	"strings"
	"testing"

	"github.com/edgev1/gateway/abi"
)

func TestParseSpec(t *testing.T) {
	cases := []struct {
		name, args string
		want       string // error substring; "" = ok
		loader     string
		margs      string // "-" = absent
		loaders    int
	}{
		{"spec", `{"outprocess.loader":{"name":"native","entrypoint":{"module.path":"m.so"}},"module.args":{"filename": "log.txt"}}`, "", "native", `{"filename":"log.txt"}`, 0},
		{"seed spelling", `{"outprocess.loader":{"entrypoint":{}},"module.arguments":[1, 2]}`, "", "native", `[1,2]`, 0},
		{"args.null", `{"outprocess.loader":{},"module.args":null}`, "", "native", `null`, 0},
		{"no args", `{"outprocess.loader":{"name":"x"}}`, "", "x", "-", 0},
		{"loaders", `{"outprocess.loader":{"name":"j2"},"outprocess.loaders":[{"type":"java","name":"j2","configuration":{"jvm.options":{}}}]}`, "", "j2", "-", 1},
		{"string", `"THIS IS THE OOP MODULE CONFIGURATION"`, "must be a JSON object", "", "", 0},
		{"null", `null`, "(got null)", "", "", 0},
		{"invalid", `{"a":`, "not valid JSON", "", "", 0},
		{"missing loader", `{"module.args":{}}`, "outprocess.loader: missing", "", "", 0},
		{"loader not object", `{"outprocess.loader":"native"}`, "outprocess.loader: must be an object", "", "", 0},
		{"loader name", `{"outprocess.loader":{"name":7}}`, "outprocess.loader.name", "", "", 0},
		{"loaders not array", `{"outprocess.loader":{},"outprocess.loaders":{}}`, "outprocess.loaders: must be an array", "", "", 0},
		{"loaders bad entry", `{"outprocess.loader":{},"outprocess.loaders":[{"name":"x"}]}`, "loaders[0].type: missing", "", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSpec(c.args)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := "-"
			if s.Args != nil {
				got = *s.Args
			}
			if s.Loader != c.loader || got != c.margs || len(s.Loaders) != c.loaders {
				t.Fatalf("%+v (args %s)", s, got)
			}
		})
	}
}

func TestCheckMessageURI(t *testing.T) {
	cases := []struct {
		uri, dir string
		ok       bool
	}{
		{"ipc:///tmp/proxy_sample.message", "", true},
		{"ipc://relative-uuid", "", true},
		{"ipc:///tmp/gw/m", "/tmp/gw", true},
		{"ipc://m", "", true},
		{"ipc:///tmp/other/m", "/tmp/gw", false},
		{"ipc:///tmp/gw", "/tmp/gw", false},
		{"ipc:///tmp/gw/../x", "", false},
		{"ipc://../x", "", false},
		{"tcp://0.0.0.0:5555", "", false},
		{"inproc://x", "", false},
		{"ipc://", "", false},
		{"ipc://" + strings.Repeat("a", 108), "", false},
	}
	for _, c := range cases {
		if err := CheckMessageURI(c.uri, c.dir); (err == nil) != c.ok {
			t.Errorf("CheckMessageURI(%q, %q) = %v, want ok=%v", c.uri, c.dir, err, c.ok)
		}
	}
}

// FuzzCreateFrame feeds arbitrary control frames through what the host does with one: decode, and for a CREATE
// parse its args and check its message channel. Nothing may panic.
func FuzzCreateFrame(f *testing.F) {
	for _, m := range []abi.ControlMessage{
		{Type: abi.ControlCreate, URI: "ipc:///tmp/m", Args: `{"outprocess.loader":{"name":"native","entrypoint":{"module.path":"x.so"}},"module.args":{"a":[1,{"b":null}]}}`},
		{Type: abi.ControlCreate, URI: "ipc://../m", Args: `"THIS IS THE OOP MODULE CONFIGURATION"`},
		{Type: abi.ControlCreate, URI: "tcp://1.2.3.4:5", Args: `{"outprocess.loader":{},"outprocess.loaders":[{"type":"native","name":"n"}]}`},
		{Type: abi.ControlHeartbeat, HasSequence: true, Sequence: 1<<63 | 5},
		{Type: abi.ControlDestroy},
	} {
		b, err := abi.EncodeControl(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := abi.DecodeControl(b)
		if err != nil {
			return
		}
		if m.Type == abi.ControlCreate {
			_, _ = ParseSpec(m.Args)
			_ = CheckMessageURI(m.URI, "/tmp/allowed")
		}
		_, _ = ParseSpec(string(b))
	})
}
