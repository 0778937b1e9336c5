package metrics_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/internal/metrics"
	"github.com/edgev1/gateway/loader"
)

// A "fake" loader kind for Go-only modules. Entry point: {"publish": N} publishes N
// messages at Start; {"remote": true} makes a Supervised instance.
func init() { loader.Register(fakeKind{}) }

type fakeKind struct{}

func (fakeKind) Type() string { return "fake" }
func (fakeKind) New(name string, _ []byte) (loader.Loader, error) {
	return fakeLoader{name}, nil
}

type fakeLoader struct{ name string }

func (l fakeLoader) Name() string { return l.name }
func (l fakeLoader) Type() string { return "fake" }
func (l fakeLoader) Load(_ string, ep []byte) (loader.Library, error) {
	return fakeLib{publish: int(gjson.GetBytes(ep, "publish").Int()), remote: gjson.GetBytes(ep, "remote").Bool(),
		delay: time.Duration(gjson.GetBytes(ep, "delay_us").Int()) * time.Microsecond}, nil
}

type fakeLib struct {
	publish int
	remote  bool
	delay   time.Duration
}

func (lib fakeLib) Create(ctx loader.CreateContext) (loader.Instance, error) {
	in := &inst{ctx: ctx, publish: lib.publish, delay: lib.delay}
	if lib.remote {
		return &remoteInst{inst: in}, nil
	}
	return in, nil
}
func (fakeLib) Close() error { return nil }

type inst struct {
	ctx     loader.CreateContext
	publish int
	delay   time.Duration
	got     atomic.Int64
}

func (i *inst) Start() {
	for n := 0; n < i.publish; n++ {
		m, err := cshim.NewMessage([]byte("x"), nil)
		if err != nil {
			panic(err)
		}
		_ = i.ctx.Endpoint.Publish(m, false)
		m.Release()
	}
}
func (i *inst) Receive(m []cshim.Message) {
	if i.delay > 0 {
		time.Sleep(i.delay)
	}
	i.got.Add(int64(len(m)))
}
func (i *inst) Destroy() {}

type remoteInst struct{ *inst }

func (remoteInst) Restarts() uint64 { return 3 }
func (remoteInst) Connected() bool  { return true }

var _ loader.Supervised = remoteInst{}

func TestFromConfig(t *testing.T) {
	cases := []struct {
		json, addr, problem string
	}{
		{`{"modules":[],"links":[]}`, "", ""},
		{`{"metrics":null}`, "", ""},
		{`{"metrics":{}}`, "", ""},
		{`{"metrics":{"address":"127.0.0.1:9464"}}`, "127.0.0.1:9464", ""},
		{`{"metrics":{"address":":9464"}}`, ":9464", ""},
		{`{"metrics":[]}`, "", "metrics: must be an object"},
		{`{"metrics":{"address":9464}}`, "", "metrics.address: must be a string"},
		{`{"metrics":{"address":"localhost"}}`, "", "metrics.address: \"localhost\" is not a listen address"},
	}
	for _, tc := range cases {
		s, probs := metrics.FromConfig([]byte(tc.json))
		if tc.problem == "" {
			require.Empty(t, probs, tc.json)
			require.Equal(t, tc.addr, s.Address, tc.json)
		} else {
			require.Len(t, probs, 1, tc.json)
			require.Contains(t, probs[0].Error(), tc.problem)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// value returns the value of the sample `series` (name plus labels as exposed) in a
// Prometheus text exposition, and whether it is there.
func value(text, series string) (float64, bool) {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

func parse(t *testing.T, js string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(js))
	require.NoError(t, err)
	return c
}

func TestServer(t *testing.T) {
	s, err := metrics.Listen("127.0.0.1:0", metrics.Options{Version: "9.9.9"})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	base := "http://" + s.Addr().String()

	code, body := get(t, base+"/healthz")
	require.Equal(t, 200, code)
	require.Equal(t, "ok\n", body)
	code, body = get(t, base+"/readyz")
	require.Equal(t, 503, code, body)

	const n = 5000
	cfg := `{"loaders":[{"type":"fake","name":"fake"}],"modules":[
		{"name":"pub","loader":{"name":"fake","entrypoint":{"publish":%d}}},
		{"name":"sink","loader":{"name":"fake","entrypoint":{}}},
		{"name":"lossy","loader":{"name":"fake","entrypoint":{"delay_us":200}},"queue":{"capacity":1,"overflow":"drop-newest"}},
		{"name":"remote","loader":{"name":"fake","entrypoint":{"remote":true}}}],
		"links":[{"source":"pub","sink":"sink"},{"source":"pub","sink":"lossy"}]}`
	g, err := gateway.FromConfig(parse(t, fmt.Sprintf(cfg, n)), gateway.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = g.Destroy() })
	s.SetGateway(g)
	code, body = get(t, base+"/readyz")
	require.Equal(t, 503, code)
	require.Contains(t, body, "not been started")
	require.NoError(t, g.Start())

	deadline := time.Now().Add(10 * time.Second)
	var text string
	for {
		_, text = get(t, base+"/metrics")
		recv, _ := value(text, `gateway_module_messages_received_total{module="sink"}`)
		lrecv, _ := value(text, `gateway_module_messages_received_total{module="lossy"}`)
		ldrop, _ := value(text, `gateway_module_messages_dropped_total{module="lossy"}`)
		if recv == n && lrecv+ldrop == n {
			break
		}
		require.True(t, time.Now().Before(deadline), "metrics never showed every message:\n%s", text)
		time.Sleep(5 * time.Millisecond)
	}
	want := map[string]float64{
		`gateway_module_messages_published_total{module="pub"}`: n,
		`gateway_module_messages_received_total{module="pub"}`:  0,
		`gateway_module_queue_depth{module="sink"}`:             0,
		`gateway_module_info{loader="fake",module="pub"}`:       1,
		`gateway_module_started{module="sink"}`:                 1,
		`gateway_outprocess_restarts_total{module="remote"}`:    3,
		`gateway_outprocess_connected{module="remote"}`:         1,
		`gateway_modules`:                     4,
		`gateway_links`:                       2,
		`gateway_ready`:                       1,
		`gateway_build_info{version="9.9.9"}`: 1,
		`gateway_reloads_total{result="ok"}`:  0,
		`gateway_module_receive_duration_seconds_bucket{module="sink",le="+Inf"}`: -1, // present
	}
	for series, v := range want {
		got, ok := value(text, series)
		require.True(t, ok, "%s missing in:\n%s", series, text)
		if v >= 0 {
			require.Equal(t, v, got, series)
		}
	}
	dropped, _ := value(text, `gateway_module_messages_dropped_total{module="lossy"}`)
	require.Positive(t, dropped, "a capacity-1 drop-newest queue behind a 200 us Receive drops")
	batches, _ := value(text, `gateway_module_receive_duration_seconds_count{module="sink"}`)
	require.Positive(t, batches)
	_, hasRemoteInfo := value(text, `gateway_outprocess_connected{module="sink"}`)
	require.False(t, hasRemoteInfo, "only Supervised instances have out-of-process metrics")
	require.Contains(t, text, "go_goroutines ")
	require.Contains(t, text, "process_resident_memory_bytes ")

	code, body = get(t, base+"/readyz")
	require.Equal(t, 200, code, body)

	// A reload that removes modules removes their series.
	_, err = g.Reload(parse(t, fmt.Sprintf(`{"loaders":[{"type":"fake","name":"fake"}],"modules":[
		{"name":"pub","loader":{"name":"fake","entrypoint":{"publish":%d}}}],"links":[]}`, n)))
	require.NoError(t, err)
	s.ObserveReload(nil)
	s.ObserveReload(errors.New("x"))
	_, text = get(t, base+"/metrics")
	require.NotContains(t, text, `module="sink"`)
	require.NotContains(t, text, `module="remote"`)
	for series, v := range map[string]float64{
		`gateway_modules`:                       1,
		`gateway_reloads_total{result="ok"}`:    1,
		`gateway_reloads_total{result="error"}`: 1,
	} {
		got, ok := value(text, series)
		require.True(t, ok, series)
		require.Equal(t, v, got, series)
	}

	require.NoError(t, g.Destroy())
	code, _ = get(t, base+"/readyz")
	require.Equal(t, 503, code)
}

func TestListenErrors(t *testing.T) {
	_, err := metrics.Listen("nonsense", metrics.Options{})
	require.ErrorContains(t, err, "metrics:")
	s, err := metrics.Listen("127.0.0.1:0", metrics.Options{})
	require.NoError(t, err)
	defer s.Close()
	_, err = metrics.Listen(s.Addr().String(), metrics.Options{})
	require.ErrorContains(t, err, "address already in use")
}

var sampleRe = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)` +
	`(?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (\S+)$`)

// checkExposition checks the structure of a text exposition: every family has one
// HELP and one TYPE line before its samples, the samples of a family are together,
// families come in name order, and every sample line parses.
func checkExposition(t *testing.T, text string) {
	t.Helper()
	require.True(t, strings.HasSuffix(text, "\n"), "the last line ends with a newline")
	seen := map[string]bool{}
	var fam, typ, prev string
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			fam, _, _ = strings.Cut(rest, " ")
			require.False(t, seen[fam], "line %d: family %s again", i+1, fam)
			require.Greater(t, fam, prev, "line %d: families out of order", i+1)
			seen[fam], prev, typ = true, fam, ""
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, tp, _ := strings.Cut(rest, " ")
			require.Equal(t, fam, name, "line %d: TYPE right after HELP", i+1)
			require.Empty(t, typ, "line %d: a second TYPE", i+1)
			require.Contains(t, []string{"counter", "gauge", "histogram"}, tp, "line %d", i+1)
			typ = tp
			continue
		}
		m := sampleRe.FindStringSubmatch(line)
		require.NotNil(t, m, "line %d does not parse: %q", i+1, line)
		require.NotEmpty(t, typ, "line %d: sample before its HELP and TYPE", i+1)
		if typ == "histogram" {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[1], "_bucket"), "_sum"), "_count")
			require.Equal(t, fam, base, "line %d: sample of another family", i+1)
		} else {
			require.Equal(t, fam, m[1], "line %d: sample of another family", i+1)
		}
		_, err := strconv.ParseFloat(m[2], 64)
		require.NoError(t, err, "line %d", i+1)
	}
}

// The exposition as a scraper reads it, before and after the gateway is set.
func TestScrapeFormat(t *testing.T) {
	s, err := metrics.Listen("127.0.0.1:0", metrics.Options{Version: `v"1\2`})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	resp, err := http.Get("http://" + s.Addr().String() + "/metrics")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "text/plain; version=0.0.4; charset=utf-8", resp.Header.Get("Content-Type"))
	text := string(body)
	checkExposition(t, text)

	for series, v := range map[string]float64{
		`gateway_reloads_total{result="ok"}`:    0,
		`gateway_reloads_total{result="error"}`: 0,
		`gateway_build_info{version="v\"1\\2"}`: 1,
		`gateway_ready`:                         0,
	} {
		got, ok := value(text, series)
		require.True(t, ok, "%s missing in:\n%s", series, text)
		require.Equal(t, v, got, series)
	}
	require.Contains(t, text, "# TYPE gateway_reloads_total counter\n")
	require.NotContains(t, text, "gateway_modules", "no gateway yet")
	for _, name := range []string{"process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds",
		"process_max_fds", "go_goroutines", "go_threads", "go_memstats_heap_alloc_bytes", "go_memstats_sys_bytes"} {
		v, ok := value(text, name)
		require.True(t, ok, "%s missing in:\n%s", name, text)
		require.Positive(t, v, name)
	}
	for _, name := range []string{"process_cpu_seconds_total", "go_gc_cycles_total"} {
		_, ok := value(text, name)
		require.True(t, ok, "%s missing in:\n%s", name, text)
		require.Contains(t, text, "# TYPE "+name+" counter\n")
	}
	start, ok := value(text, "process_start_time_seconds")
	require.True(t, ok)
	now := float64(time.Now().Unix())
	require.LessOrEqual(t, start, now+1)
	require.Greater(t, start, now-24*3600)

	// With a gateway (not started): every module's series, at zero.
	g, err := gateway.FromConfig(parse(t, `{"loaders":[{"type":"fake","name":"fake"}],"modules":[
		{"name":"a","loader":{"name":"fake","entrypoint":{}}},
		{"name":"b","loader":{"name":"fake","entrypoint":{"remote":true}}}],
		"links":[{"source":"a","sink":"b"}]}`), gateway.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = g.Destroy() })
	s.SetGateway(g)
	_, text = get(t, "http://"+s.Addr().String()+"/metrics")
	checkExposition(t, text)
	for series, v := range map[string]float64{
		`gateway_module_messages_received_total{module="a"}`: 0,
		`gateway_module_messages_received_total{module="b"}`: 0,
		`gateway_module_started{module="a"}`:                 0,
		`gateway_module_info{loader="fake",module="b"}`:      1,
		`gateway_outprocess_connected{module="b"}`:           1,
		`gateway_modules`:                       2,
		`gateway_links`:                         1,
		`gateway_ready`:                         0,
		`gateway_reloads_total{result="error"}`: 0,
	} {
		got, ok := value(text, series)
		require.True(t, ok, "%s missing in:\n%s", series, text)
		require.Equal(t, v, got, series)
	}
}
