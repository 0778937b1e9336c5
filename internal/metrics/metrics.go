// Package metrics serves the gateway's Prometheus metrics (text format 0.0.4, written
// by expo.go), /healthz and /readyz over HTTP. It is off unless an address is given
// (--metrics-addr, or the top-level "metrics": {"address": "host:port"} key of the
// configuration, which the SDK ignores).
//
// Per-module counters are read from the broker's endpoints when scraped, so modules
// added, removed or re-created by a reload appear and disappear with them (a
// re-created module's counters start again from zero). The Receive duration
// histogram is fed by the broker's batch observer: one clock read and a few atomic
// adds per delivered batch. Process and Go runtime metrics are read when scraped.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/loader"
)

// Settings are the metrics settings of a configuration.
type Settings struct {
	// Address is the listen address ("127.0.0.1:9464"); empty: no listener.
	Address string
}

// FromConfig reads the optional top-level "metrics" object of a configuration
// (which must be valid JSON). Problems carry their JSON path.
func FromConfig(data []byte) (Settings, config.Errors) {
	var s Settings
	m := gjson.GetBytes(data, "metrics")
	if !m.Exists() || m.Type == gjson.Null {
		return s, nil
	}
	if !m.IsObject() {
		return s, config.Errors{{Path: "metrics", Msg: "must be an object"}}
	}
	a := m.Get("address")
	if !a.Exists() || a.Type == gjson.Null {
		return s, nil
	}
	if a.Type != gjson.String {
		return s, config.Errors{{Path: "metrics.address", Msg: `must be a string "host:port"`}}
	}
	if err := CheckAddress(a.Str); err != nil {
		return s, config.Errors{{Path: "metrics.address", Msg: err.Error()}}
	}
	s.Address = a.Str
	return s, nil
}

// CheckAddress checks a listen address ("host:port"; the host may be empty).
func CheckAddress(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("%q is not a listen address (host:port): %w", addr, err)
	}
	return nil
}

// Names of the metrics (see docs/operations.md).
const (
	MetricReceived      = "gateway_module_messages_received_total"
	MetricPublished     = "gateway_module_messages_published_total"
	MetricDropped       = "gateway_module_messages_dropped_total"
	MetricOverflowed    = "gateway_module_queue_overflow_total"
	MetricPublishFailed = "gateway_module_publish_failures_total"
	MetricQueueDepth    = "gateway_module_queue_depth"
	MetricReceiveTime   = "gateway_module_receive_duration_seconds"
	MetricModuleInfo    = "gateway_module_info"
	MetricModuleStarted = "gateway_module_started"
	MetricRestarts      = "gateway_outprocess_restarts_total"
	MetricConnected     = "gateway_outprocess_connected"
	MetricModules       = "gateway_modules"
	MetricLinks         = "gateway_links"
	MetricReady         = "gateway_ready"
	MetricReloads       = "gateway_reloads_total"
	MetricBuildInfo     = "gateway_build_info"
)

// Options configures a Server.
type Options struct {
	// Version is reported by gateway_build_info.
	Version string
	// Log receives the server's errors; slog.Default() when nil.
	Log *slog.Logger
}

// Server is the metrics HTTP listener.
type Server struct {
	log     *slog.Logger
	ln      net.Listener
	http    *http.Server
	done    chan struct{}
	version string
	start   float64 // process start time, seconds since the epoch (0: unknown)

	gw                    atomic.Pointer[gateway.Gateway]
	reloadsOK, reloadsErr atomic.Uint64
	col                   collector
}

// Listen binds addr and starts serving /metrics, /healthz and /readyz. Readiness
// stays false until SetGateway.
func Listen(addr string, opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if err := CheckAddress(addr); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	s := &Server{log: opts.Log, ln: ln, done: make(chan struct{}), version: opts.Version}
	s.start, _ = startTime()
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", s.metrics)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", s.readyz)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics: serving stopped", "err", err)
		}
	}()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// SetGateway makes the server report on g and installs the broker's batch observer
// (Receive durations).
func (s *Server) SetGateway(g *gateway.Gateway) {
	s.gw.Store(g)
	if g != nil {
		g.Broker().SetBatchObserver(s.col.observe)
	}
}

// ObserveReload counts a reload.
func (s *Server) ObserveReload(err error) {
	if err != nil {
		s.reloadsErr.Add(1)
	} else {
		s.reloadsOK.Add(1)
	}
}

// Close stops the listener (waiting at most a second for scrapes in progress).
func (s *Server) Close() error {
	if g := s.gw.Load(); g != nil {
		g.Broker().SetBatchObserver(nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		_ = s.http.Close()
	}
	<-s.done
	return err
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	g := s.gw.Load()
	if g == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready: the gateway is being created")
		return
	}
	ready, why := g.Ready()
	if !ready {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready:", why)
		return
	}
	fmt.Fprintf(w, "ready: %d modules started\n", len(g.Modules()))
	for _, m := range g.Modules() {
		if sv, ok := m.Instance.(loader.Supervised); ok && !sv.Connected() {
			fmt.Fprintf(w, "note: out-of-process module %q is not connected\n", m.Name)
		}
	}
}

// metrics serves /metrics.
func (s *Server) metrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", contentType)
	if err := writeText(w, s.gather()); err != nil {
		s.log.Debug("metrics: writing a scrape", "err", err) // the scraper went away
	}
}

// gather reads every metric.
func (s *Server) gather() []*family {
	var sc scrape
	s.col.collect(&sc, s.gw.Load())
	r := sc.family(MetricReloads, "counter", "Configuration reloads (SIGHUP or gateway reload), by result: ok or error.")
	r.add(float64(s.reloadsOK.Load()), "result", "ok")
	r.add(float64(s.reloadsErr.Load()), "result", "error")
	sc.family(MetricBuildInfo, "gauge", "Always 1; the version label is the gateway's version.").add(1, "version", s.version)
	collectProcess(&sc, s.start)
	return sc.fams
}

// receiveBoundsNs are the upper bounds of the Receive duration buckets in
// nanoseconds: 1 µs × 4^k for k = 0..11 (1 µs .. 4.2 s).
var receiveBoundsNs = [...]int64{1e3, 4e3, 16e3, 64e3, 256e3, 1024e3, 4096e3, 16384e3, 65536e3, 262144e3, 1048576e3, 4194304e3}

// histogram holds one endpoint's Receive durations. Observing is lock-free.
type histogram struct {
	counts [len(receiveBoundsNs) + 1]atomic.Uint64 // per bucket, not cumulative; the last: above every bound
	sumNs  atomic.Uint64
	missed bool // the endpoint was gone at the last scrape (scrapes only, under collector.mu)
}

func (h *histogram) observe(d time.Duration) {
	ns := max(int64(d), 0)
	i := 0
	for i < len(receiveBoundsNs) && ns > receiveBoundsNs[i] {
		i++
	}
	h.counts[i].Add(1)
	h.sumNs.Add(uint64(ns))
}

// receiveBounds returns the bucket bounds in seconds.
func receiveBounds() []float64 {
	b := make([]float64, len(receiveBoundsNs))
	for i, ns := range receiveBoundsNs {
		b[i] = float64(ns) / 1e9
	}
	return b
}

// addTo adds the histogram's series to f (bounds: receiveBounds()).
func (h *histogram) addTo(f *family, bounds []float64, kv ...string) {
	var counts [len(receiveBoundsNs) + 1]uint64
	for i := range counts {
		counts[i] = h.counts[i].Load()
	}
	f.addHistogram(bounds, counts[:], float64(h.sumNs.Load())/1e9, kv...)
}

// collector reads the gateway's state at scrape time and keeps the Receive duration
// histograms.
type collector struct {
	// obs holds the histogram of each endpoint observed (the observer runs once per
	// batch on every worker; this keeps it to one map load and a few atomic adds).
	obs sync.Map   // *broker.Endpoint -> *histogram
	mu  sync.Mutex // serializes receiveTimes
}

// observe is the broker's batch observer.
func (c *collector) observe(e *broker.Endpoint, _ int, d time.Duration) {
	h, ok := c.obs.Load(e)
	if !ok {
		h, _ = c.obs.LoadOrStore(e, new(histogram))
	}
	h.(*histogram).observe(d)
}

// collect adds the gateway_* families except those the Server adds (reloads, build info).
func (c *collector) collect(sc *scrape, g *gateway.Gateway) {
	ready := sc.family(MetricReady, "gauge", "1 when the gateway is started and every module has been started (as /readyz).")
	if g == nil {
		ready.add(0)
		return
	}
	received := sc.family(MetricReceived, "counter", "Messages delivered to the module (Receive returned).")
	published := sc.family(MetricPublished, "counter", "Messages the module published.")
	dropped := sc.family(MetricDropped, "counter", "Messages for the module dropped by its queue's overflow policy (drop-newest, drop-oldest).")
	overflowed := sc.family(MetricOverflowed, "counter", "Messages queued past the module's queue bound because they were published from inside a Receive (not lost).")
	failed := sc.family(MetricPublishFailed, "counter", "Publishes by the module that failed (sink removed, gateway closing).")
	depth := sc.family(MetricQueueDepth, "gauge", "Messages waiting in the module's input queue.")
	info := sc.family(MetricModuleInfo, "gauge", "Always 1; labels name the module's loader.")
	started := sc.family(MetricModuleStarted, "gauge", "1 once the module has been started.")
	restarts := sc.family(MetricRestarts, "counter", "Restarts or reconnections of an out-of-process module's remote side.")
	connected := sc.family(MetricConnected, "gauge", "1 while an out-of-process module is connected to its remote side.")

	mods := g.Modules()
	eps := g.Broker().Endpoints()
	byName := map[string]*gateway.Module{}
	for _, m := range mods {
		byName[m.Name] = m
	}
	for _, e := range eps {
		n := e.Name()
		st := e.Stats()
		received.add(float64(st.Received), "module", n)
		published.add(float64(st.Published), "module", n)
		dropped.add(float64(st.Dropped), "module", n)
		overflowed.add(float64(st.Overflowed), "module", n)
		failed.add(float64(st.Failed), "module", n)
		depth.add(float64(st.QueueDepth), "module", n)
		m := byName[n]
		if m == nil {
			continue // being added or removed right now
		}
		info.add(1, "loader", m.Loader, "module", n)
		started.add(b2f(m.Started()), "module", n)
		if sv, ok := m.Instance.(loader.Supervised); ok {
			restarts.add(float64(sv.Restarts()), "module", n)
			connected.add(b2f(sv.Connected()), "module", n)
		}
	}
	c.receiveTimes(sc, eps)
	sc.family(MetricModules, "gauge", "Modules in the gateway.").add(float64(len(mods)))
	sc.family(MetricLinks, "gauge", "Links in the gateway.").add(float64(len(g.Links())))
	ok, _ := g.Ready()
	ready.add(b2f(ok))
}

// receiveTimes adds the histograms of the endpoints eps (those observed so far) and
// forgets those of endpoints that are gone, so that a removed module's histogram
// disappears and a re-created one (a new endpoint) starts from zero.
func (c *collector) receiveTimes(sc *scrape, eps []*broker.Endpoint) {
	f := sc.family(MetricReceiveTime, "histogram", "Time the module took in one Receive call, which delivers a batch of up to 256 queued messages (native modules: Module_Receive once per message).")
	bounds := receiveBounds()
	c.mu.Lock()
	defer c.mu.Unlock()
	live := make(map[*broker.Endpoint]bool, len(eps))
	for _, e := range eps {
		live[e] = true
		if v, ok := c.obs.Load(e); ok {
			h := v.(*histogram)
			h.missed = false
			h.addTo(f, bounds, "module", e.Name())
		}
	}
	// An endpoint added after eps was read may already have been observed: forget
	// a histogram at the second scrape that does not find its endpoint.
	c.obs.Range(func(k, v any) bool {
		if h := v.(*histogram); !live[k.(*broker.Endpoint)] {
			if h.missed {
				c.obs.Delete(k)
			}
			h.missed = true
		}
		return true
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
