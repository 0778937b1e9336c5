package node

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/loader"
)

// The sample configuration's modules run as configured (main.path is relative to the
// repository root, where the sample is meant to be run from).
func TestSampleConfiguration(t *testing.T) {
	needNode(t)
	cfg, err := os.ReadFile("../../samples/node_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	if !gjson.ValidBytes(cfg) {
		t.Fatal("node_sample.json is not valid JSON")
	}
	root, _ := filepath.Abs("../..")
	b := newBroker(t)
	logs := &logBuf{}
	var lcfg []byte
	if c := gjson.GetBytes(cfg, "loaders.0.configuration"); c.Exists() {
		lcfg = []byte(c.Raw)
	}
	ldr, err := Kind{}.New(gjson.GetBytes(cfg, "loaders.0.name").Str, lcfg)
	if err != nil {
		t.Fatal(err)
	}
	var started []*Instance
	for _, m := range gjson.GetBytes(cfg, "modules").Array() {
		name := m.Get("name").Str
		if m.Get("loader.name").Str != "node" {
			t.Fatalf("module %s: loader %q", name, m.Get("loader.name").Str)
		}
		ep := []byte(fmt.Sprintf(`{"main.path": %q}`, filepath.Join(root, m.Get(`loader.entrypoint.main\.path`).Str)))
		var args map[string]any
		if err := json.Unmarshal([]byte(m.Get("args").Raw), &args); err != nil {
			t.Fatal(err)
		}
		if _, ok := args["interval.ms"]; ok {
			args["interval.ms"] = 5 // keep the test quick
		}
		raw, _ := json.Marshal(args)
		lib, err := ldr.Load(name, ep)
		if err != nil {
			t.Fatal(err)
		}
		s := &slot{}
		endpoint := addGo(t, b, name, s)
		inst, err := lib.Create(loader.CreateContext{Module: name, Args: strPtr(string(raw)), Endpoint: endpoint, Log: logs.logger(name)})
		if err != nil {
			t.Fatal(err)
		}
		in := inst.(*Instance)
		s.inst.Store(in)
		t.Cleanup(func() {
			_ = b.RemoveModule(name, 10*time.Second)
			in.Destroy()
		})
		started = append(started, in)
	}
	for _, l := range gjson.GetBytes(cfg, "links").Array() {
		link(t, b, l.Get("source").Str, l.Get("sink").Str)
	}
	sink := &goSink{}
	addGo(t, b, "observer", sink)
	link(t, b, "node_sensor", "observer")
	for _, in := range started {
		in.Start()
	}
	got := sink.wait(t, 3)
	for i, m := range got[:3] {
		var r struct {
			Reading     int     `json:"reading"`
			Temperature float64 `json:"temperature"`
		}
		if err := json.Unmarshal(m.Content, &r); err != nil || r.Reading != i+1 {
			t.Fatalf("reading %d: %s (%v)", i, m.Content, err)
		}
		if prop(m, "source") != "sensor1" || prop(m, "name") != "temperature" {
			t.Fatalf("properties %v", m.Properties)
		}
	}
	// Destroying waits for every batch already posted: the printer printed them all
	// without complaint.
	for _, name := range []string{"node_sensor", "node_printer"} {
		if err := b.RemoveModule(name, 10*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range started {
		in.Destroy()
	}
	if s := logs.String(); s != "" {
		t.Fatalf("sample modules logged:\n%s", s)
	}
}
