package gateway_test

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/loader"
)

// The "fake" loader kind creates Go-only modules, so the gateway's lifecycle can be
// tested without native code. Entry point: {"role": "pub"|"sink", "fail_create":
// bool, "fail_load": bool}. A pub publishes sequenced messages (properties stream =
// its name, seq = 0, 1, ...) from Start until Destroy; a sink checks that every
// stream arrives in order without gaps.
func init() { loader.Register(fakeKind{}) }

type fakeKind struct{}

func (fakeKind) Type() string { return "fake" }
func (fakeKind) New(name string, configuration []byte) (loader.Loader, error) {
	if configuration != nil && gjson.GetBytes(configuration, "fail").Bool() {
		return nil, fmt.Errorf("loader %q: configuration: fail is set", name)
	}
	return fakeLoader{name}, nil
}

type fakeLoader struct{ name string }

func (l fakeLoader) Name() string { return l.name }
func (l fakeLoader) Type() string { return "fake" }
func (l fakeLoader) Load(module string, ep []byte) (loader.Library, error) {
	if gjson.GetBytes(ep, "fail_load").Bool() {
		return nil, fmt.Errorf("loader %q: module %q: fail_load is set", l.name, module)
	}
	return fakeLib{role: gjson.GetBytes(ep, "role").String(), failCreate: gjson.GetBytes(ep, "fail_create").Bool()}, nil
}

type fakeLib struct {
	role       string
	failCreate bool
}

func (lib fakeLib) Create(ctx loader.CreateContext) (loader.Instance, error) {
	if lib.failCreate {
		return nil, fmt.Errorf("module %q: Module_Create failed (fail_create is set)", ctx.Module)
	}
	inst := &fakeInst{name: ctx.Module, role: lib.role, ep: ctx.Endpoint, next: map[string]int{}, stop: make(chan struct{})}
	if ctx.Args != nil {
		inst.args = *ctx.Args
	}
	registry.add(inst)
	return inst, nil
}
func (fakeLib) Close() error { return nil }

type fakeInst struct {
	name, role, args string
	ep               interface {
		Publish(cshim.Message, bool) error
	}
	started, destroyed atomic.Bool
	stop               chan struct{}
	wg                 sync.WaitGroup
	published          atomic.Int64 // publishes that returned without ErrClosed
	attempted          atomic.Int64 // every publish call

	mu       sync.Mutex
	next     map[string]int // per stream: next expected seq
	gaps     int
	received int
}

func (f *fakeInst) Start() {
	f.started.Store(true)
	if f.role != "pub" {
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for seq := 0; ; seq++ {
			select {
			case <-f.stop:
				return
			default:
			}
			m, err := cshim.NewMessage([]byte("x"), []abi.Property{{Key: "stream", Value: f.name}, {Key: "seq", Value: strconv.Itoa(seq)}})
			if err != nil {
				panic(err)
			}
			f.attempted.Add(1)
			err = f.ep.Publish(m, false)
			m.Release()
			if errors.Is(err, broker.ErrClosed) {
				return // removed, or the gateway is being destroyed
			}
			// Other errors (a sink removed while publishing) concern only that sink:
			// the others got the message.
			f.published.Add(1)
			if seq%64 == 63 {
				time.Sleep(100 * time.Microsecond)
			}
		}
	}()
}

func (f *fakeInst) Receive(msgs []cshim.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range msgs {
		d, err := m.Decode()
		if err != nil {
			panic(err)
		}
		stream, _ := d.Get("stream")
		s, _ := d.Get("seq")
		seq, _ := strconv.Atoi(s)
		f.received++
		want, seen := f.next[stream]
		if !seen {
			want = seq // a sink may join a stream midway
		}
		if seq != want {
			f.gaps++
		}
		f.next[stream] = seq + 1
	}
}

func (f *fakeInst) Destroy() {
	close(f.stop)
	f.wg.Wait()
	f.destroyed.Store(true)
}

func (f *fakeInst) stats() (received, gaps int, streams map[string]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	streams = map[string]int{}
	for k, v := range f.next {
		streams[k] = v
	}
	return f.received, f.gaps, streams
}

// registry keeps every fake instance created, by test (module names are unique per
// test: tests prefix them).
var registry = &instances{byName: map[string][]*fakeInst{}}

type instances struct {
	mu     sync.Mutex
	byName map[string][]*fakeInst
}

func (r *instances) add(f *fakeInst) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byName[f.name] = append(r.byName[f.name], f)
}

func (r *instances) all(name string) []*fakeInst {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*fakeInst(nil), r.byName[name]...)
}

func (r *instances) last(name string) *fakeInst {
	all := r.all(name)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func parse(t *testing.T, js string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(js))
	require.NoError(t, err)
	return cfg
}

// cfgJSON builds a configuration: modules as `"name": "entrypoint JSON"` pairs with
// optional extra keys, links as "src>sink".
func cfgJSON(loaderCfg string, modules []string, links []string) string {
	s := `{"loaders":[{"type":"fake","name":"fake"` + loaderCfg + `}],"modules":[`
	for i, m := range modules {
		if i > 0 {
			s += ","
		}
		s += m
	}
	s += `],"links":[`
	for i, l := range links {
		if i > 0 {
			s += ","
		}
		var src, dst string
		for j := range l {
			if l[j] == '>' {
				src, dst = l[:j], l[j+1:]
			}
		}
		s += fmt.Sprintf(`{"source":%q,"sink":%q}`, src, dst)
	}
	return s + `]}`
}

func mod(name, role, extra string) string {
	return fmt.Sprintf(`{"name":%q,"loader":{"name":"fake","entrypoint":{"role":%q}}%s}`, name, role, extra)
}

func newGateway(t *testing.T, js string) *gateway.Gateway {
	t.Helper()
	registry.mu.Lock()
	registry.byName = map[string][]*fakeInst{}
	registry.mu.Unlock()
	g, err := gateway.FromConfig(parse(t, js), gateway.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = g.Destroy() })
	require.NoError(t, g.Start())
	return g
}

func names(g *gateway.Gateway) []string {
	var out []string
	for _, m := range g.Modules() {
		out = append(out, m.Name)
	}
	return out
}

func TestPlanDiff(t *testing.T) {
	base := cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", "")}, []string{"p>a", "p>b"})
	cases := []struct {
		name string
		next string
		want gateway.Diff
	}{
		{"same", base, gateway.Diff{}},
		{"whitespace and key spelling only", `{"loaders":[{"type":"fake","name":"fake"}],"modules":[
			{"name":"p","loader":{"name":"fake","entrypoint":{ "role" : "pub" }}},
			{"name":"a","loader":{"name":"fake","entrypoint":{"role":"sink"}},"args":{ "x" : 1 }},
			{"name":"b","loader":{"name":"fake","entrypoint":{"role":"sink"}}}],
			"links":[{"source":"p","sink":"b"},{"source":"p","sink":"a"}]}`, gateway.Diff{}},
		{"add module and link", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", ""), mod("c", "sink", "")}, []string{"p>a", "p>b", "p>c"}),
			gateway.Diff{Added: []string{"c"}, LinksAdded: [][2]string{{"p", "c"}}}},
		{"remove module", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`)}, []string{"p>a"}),
			gateway.Diff{Removed: []string{"b"}, LinksRemoved: [][2]string{{"p", "b"}}}},
		{"args changed", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":2}`), mod("b", "sink", "")}, []string{"p>a", "p>b"}),
			gateway.Diff{Recreated: []string{"a"}}},
		{"args removed", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", ""), mod("b", "sink", "")}, []string{"p>a", "p>b"}),
			gateway.Diff{Recreated: []string{"a"}}},
		{"queue changed", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", `,"queue":{"capacity":8}`)}, []string{"p>a", "p>b"}),
			gateway.Diff{Recreated: []string{"b"}}},
		{"entrypoint changed", cfgJSON("", []string{mod("p", "sink", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", "")}, []string{"p>a", "p>b"}),
			gateway.Diff{Recreated: []string{"p"}}},
		{"links only", cfgJSON("", []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", "")}, []string{"p>a", "*>b"}),
			gateway.Diff{LinksAdded: [][2]string{{"*", "b"}}, LinksRemoved: [][2]string{{"p", "b"}}}},
		{"loader configuration changed", cfgJSON(`,"configuration":{"v":2}`, []string{mod("p", "pub", ""), mod("a", "sink", `,"args":{"x":1}`), mod("b", "sink", "")}, []string{"p>a", "p>b"}),
			gateway.Diff{Recreated: []string{"p", "a", "b"}, Loaders: []string{"fake"}}},
	}
	g := newGateway(t, base)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := g.Plan(parse(t, tc.next))
			require.NoError(t, err)
			require.Equal(t, tc.want, d)
			require.Equal(t, tc.want.Empty(), d.String() == "no changes")
		})
	}
	d := gateway.Diff{Added: []string{"c"}, Removed: []string{"b"}, Recreated: []string{"a"}, LinksAdded: [][2]string{{"p", "c"}}, LinksRemoved: [][2]string{{"p", "b"}}, Loaders: []string{"fake"}}
	require.Equal(t, "modules +c -b ~a; links +p->c -p->b; loaders ~fake", d.String())
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func received(name string) int {
	f := registry.last(name)
	if f == nil {
		return 0
	}
	n, _, _ := f.stats()
	return n
}

// A reload under load adds, removes and re-creates modules and links; the links that
// stay lose nothing and their modules are the same instances.
func TestReloadUnderLoad(t *testing.T) {
	v1 := cfgJSON("", []string{
		mod("ul-p1", "pub", ""), mod("ul-p2", "pub", ""),
		mod("ul-a", "sink", ""), mod("ul-b", "sink", ""), mod("ul-old", "sink", ""),
	}, []string{"ul-p1>ul-a", "ul-p2>ul-b", "ul-p1>ul-old", "ul-p2>ul-old"})
	v2 := cfgJSON("", []string{
		mod("ul-p1", "pub", ""), mod("ul-p2", "pub", ""),
		mod("ul-a", "sink", ""), mod("ul-b", "sink", `,"args":{"v":2}`), mod("ul-new", "sink", ""),
	}, []string{"ul-p1>ul-a", "ul-p2>ul-b", "ul-p1>ul-new", "ul-p2>ul-new"})
	g := newGateway(t, v1)
	before := map[string]*gateway.Module{}
	for _, m := range g.Modules() {
		before[m.Name] = m
	}
	waitFor(t, "traffic", func() bool { return received("ul-a") > 1000 && received("ul-old") > 1000 })

	d, err := g.Reload(parse(t, v2))
	require.NoError(t, err)
	require.Equal(t, gateway.Diff{
		Added: []string{"ul-new"}, Removed: []string{"ul-old"}, Recreated: []string{"ul-b"},
		LinksAdded:   [][2]string{{"ul-p1", "ul-new"}, {"ul-p2", "ul-new"}},
		LinksRemoved: [][2]string{{"ul-p1", "ul-old"}, {"ul-p2", "ul-old"}},
	}, d)
	require.Equal(t, []string{"ul-p1", "ul-p2", "ul-a", "ul-b", "ul-new"}, names(g))
	require.ElementsMatch(t, [][2]string{{"ul-p1", "ul-a"}, {"ul-p2", "ul-b"}, {"ul-p1", "ul-new"}, {"ul-p2", "ul-new"}}, g.Links())
	for _, n := range []string{"ul-p1", "ul-p2", "ul-a"} {
		require.Same(t, before[n], g.Module(n), "%s is untouched", n)
	}
	require.True(t, registry.last("ul-old").destroyed.Load())
	require.Len(t, registry.all("ul-b"), 2)
	require.True(t, registry.all("ul-b")[0].destroyed.Load())
	require.Equal(t, `{"v":2}`, registry.last("ul-b").args)
	require.True(t, registry.last("ul-new").started.Load() && registry.last("ul-b").started.Load())
	ready, why := g.Ready()
	require.True(t, ready, why)

	a0 := received("ul-a")
	waitFor(t, "traffic after the reload", func() bool {
		return received("ul-a") > a0+1000 && received("ul-new") > 1000 && received("ul-b") > 1000
	})
	require.NoError(t, g.Destroy())
	for _, n := range []string{"ul-a", "ul-old", "ul-new"} {
		_, gaps, _ := registry.last(n).stats()
		require.Zero(t, gaps, "%s: gaps", n)
	}
	// ul-a heard every message ul-p1 published, from 0 on. A publish racing the final
	// Destroy may reach some sinks and still report ErrClosed, so the count lies
	// between the successful publishes and the attempts.
	_, _, streams := registry.last("ul-a").stats()
	p1 := registry.last("ul-p1")
	require.GreaterOrEqual(t, streams["ul-p1"], int(p1.published.Load()))
	require.LessOrEqual(t, streams["ul-p1"], int(p1.attempted.Load()))
	// The removed module got everything queued for it before it was destroyed.
	_, _, old := registry.last("ul-old").stats()
	require.Positive(t, old["ul-p1"])
}

// A reload that fails part way leaves the previous configuration running: same
// modules (untouched ones are the same instances, a re-created one is created again
// from its old entry), same links, same loader configuration, and no gap.
func TestReloadRollback(t *testing.T) {
	v1 := cfgJSON(`,"configuration":{"v":1}`, []string{mod("rb-p", "pub", ""), mod("rb-a", "sink", ""), mod("rb-b", "sink", `,"args":{"v":1}`), mod("rb-gone", "sink", "")},
		[]string{"rb-p>rb-a", "rb-p>rb-b", "rb-p>rb-gone"})
	bad := func(m string) string {
		return fmt.Sprintf(`{"name":"rb-bad","loader":{"name":"fake","entrypoint":{"role":"sink",%s}}}`, m)
	}
	cases := []struct {
		name    string
		next    string
		wantErr string
	}{
		{"Module_Create fails after other changes",
			cfgJSON(`,"configuration":{"v":1}`, []string{mod("rb-p", "pub", ""), mod("rb-a", "sink", ""), mod("rb-b", "sink", `,"args":{"v":2}`), mod("rb-c", "sink", ""), bad(`"fail_create":true`)},
				[]string{"rb-p>rb-a", "rb-p>rb-c", "rb-p>rb-bad"}),
			"Module_Create failed"},
		{"load fails",
			cfgJSON(`,"configuration":{"v":1}`, []string{mod("rb-p", "pub", ""), mod("rb-a", "sink", ""), mod("rb-b", "sink", `,"args":{"v":1}`), bad(`"fail_load":true`)},
				[]string{"rb-p>rb-a"}),
			"fail_load is set"},
		{"re-created module fails",
			cfgJSON(`,"configuration":{"v":1}`, []string{mod("rb-p", "pub", ""), mod("rb-a", "sink", ""), `{"name":"rb-b","loader":{"name":"fake","entrypoint":{"role":"sink","fail_create":true}}}`, mod("rb-c", "sink", "")},
				[]string{"rb-p>rb-a", "rb-p>rb-c", "rb-p>rb-b"}),
			"Module_Create failed"},
		{"loader configuration fails",
			cfgJSON(`,"configuration":{"fail":true}`, []string{mod("rb-p", "pub", ""), mod("rb-a", "sink", ""), mod("rb-b", "sink", `,"args":{"v":1}`)},
				[]string{"rb-p>rb-a"}),
			"fail is set"},
	}
	g := newGateway(t, v1)
	waitFor(t, "traffic", func() bool { return received("rb-a") > 500 })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := map[string]*gateway.Module{}
			for _, m := range g.Modules() {
				before[m.Name] = m
			}
			links := g.Links()
			bInstances := len(registry.all("rb-b"))
			d, err := g.Reload(parse(t, tc.next))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.wantErr)
			require.False(t, d.Empty(), "the attempted diff is returned")
			require.Equal(t, []string{"rb-p", "rb-a", "rb-b", "rb-gone"}, names(g))
			require.ElementsMatch(t, links, g.Links())
			for _, n := range []string{"rb-p", "rb-a", "rb-gone"} {
				require.Same(t, before[n], g.Module(n), "%s is untouched", n)
			}
			if n := len(registry.all("rb-b")); n > bInstances {
				// rb-b was re-created, then restored from its old entry.
				last := registry.last("rb-b")
				require.Equal(t, `{"v":1}`, last.args)
				require.True(t, last.started.Load(), "the restored module is started")
				require.False(t, last.destroyed.Load())
			}
			for _, n := range []string{"rb-c", "rb-bad"} {
				for _, f := range registry.all(n) {
					require.True(t, f.destroyed.Load(), "%s was rolled back", n)
				}
			}
			ready, why := g.Ready()
			require.True(t, ready, why)
			// The previous loader configuration is still in force: v1 again is no change.
			d, err = g.Plan(parse(t, v1))
			require.NoError(t, err)
			require.True(t, d.Empty(), "after rollback: %s", d)
			a0 := received("rb-a")
			waitFor(t, "traffic after the failed reload", func() bool { return received("rb-a") > a0+200 })
		})
	}
	require.NoError(t, g.Destroy())
	for _, n := range []string{"rb-a", "rb-gone"} {
		_, gaps, _ := registry.last(n).stats()
		require.Zero(t, gaps, "%s: gaps", n)
	}
	_, err := g.Reload(parse(t, v1))
	require.True(t, errors.Is(err, gateway.ErrDestroyed))
}

func TestReadiness(t *testing.T) {
	g, err := gateway.FromConfig(parse(t, cfgJSON("", []string{mod("rd-a", "sink", "")}, nil)), gateway.Options{})
	require.NoError(t, err)
	ready, why := g.Ready()
	require.False(t, ready)
	require.Contains(t, why, "not been started")
	require.NoError(t, g.Start())
	ready, _ = g.Ready()
	require.True(t, ready)
	require.NoError(t, g.Destroy())
	ready, why = g.Ready()
	require.False(t, ready)
	require.Contains(t, why, "destroyed")
}
