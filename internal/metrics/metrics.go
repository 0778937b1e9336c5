// Package metrics serves the gateway's Prometheus metrics, /healthz and /readyz over
// HTTP. It is off unless an address is given (--metrics-addr, or the top-level
// "metrics": {"address": "host:port"} key of the configuration, which the SDK
// ignores).
//
// Per-module counters are read from the broker's endpoints when scraped, so modules
// added, removed or re-created by a reload appear and disappear with them (a
// re-created module's counters start again from zero). The Receive duration
// histogram is fed by the broker's batch observer: one clock read per delivered
// batch.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
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
	log  *slog.Logger
	ln   net.Listener
	http *http.Server
	done chan struct{}

	gw      atomic.Pointer[gateway.Gateway]
	reloads *prometheus.CounterVec
	col     *collector
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
	s := &Server{log: opts.Log, ln: ln, done: make(chan struct{})}
	s.col = newCollector(s)
	s.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricReloads,
		Help: "Configuration reloads (SIGHUP or gateway reload), by result: ok or error.",
	}, []string{"result"})
	s.reloads.WithLabelValues("ok")
	s.reloads.WithLabelValues("error")
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        MetricBuildInfo,
		Help:        "Always 1; the version label is the gateway's version.",
		ConstLabels: prometheus.Labels{"version": opts.Version},
	})
	build.Set(1)
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.col, s.reloads, build,
	)
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{opts.Log}}))
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
		s.reloads.WithLabelValues("error").Inc()
	} else {
		s.reloads.WithLabelValues("ok").Inc()
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

// collector reads the gateway's state at scrape time.
type collector struct {
	s *Server

	received, published, dropped, overflowed, failed *prometheus.Desc
	depth, info, started, restarts, connected        *prometheus.Desc
	modules, links, ready                            *prometheus.Desc

	hist *prometheus.HistogramVec
	// obs caches the histogram child of each endpoint (the observer runs once per
	// batch on every worker; this keeps it to one map load).
	obs sync.Map // *broker.Endpoint -> prometheus.Observer
}

func newCollector(s *Server) *collector {
	mod := []string{"module"}
	d := func(name, help string, labels []string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &collector{
		s:          s,
		received:   d(MetricReceived, "Messages delivered to the module (Receive returned).", mod),
		published:  d(MetricPublished, "Messages the module published.", mod),
		dropped:    d(MetricDropped, "Messages for the module dropped by its queue's overflow policy (drop-newest, drop-oldest).", mod),
		overflowed: d(MetricOverflowed, "Messages queued past the module's queue bound because they were published from inside a Receive (not lost).", mod),
		failed:     d(MetricPublishFailed, "Publishes by the module that failed (sink removed, gateway closing).", mod),
		depth:      d(MetricQueueDepth, "Messages waiting in the module's input queue.", mod),
		info:       d(MetricModuleInfo, "Always 1; labels name the module's loader.", []string{"module", "loader"}),
		started:    d(MetricModuleStarted, "1 once the module has been started.", mod),
		restarts:   d(MetricRestarts, "Restarts or reconnections of an out-of-process module's remote side.", mod),
		connected:  d(MetricConnected, "1 while an out-of-process module is connected to its remote side.", mod),
		modules:    d(MetricModules, "Modules in the gateway.", nil),
		links:      d(MetricLinks, "Links in the gateway.", nil),
		ready:      d(MetricReady, "1 when the gateway is started and every module has been started (as /readyz).", nil),
		hist: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricReceiveTime,
			Help:    "Time the module took in one Receive call, which delivers a batch of up to 256 queued messages (native modules: Module_Receive once per message).",
			Buckets: prometheus.ExponentialBuckets(1e-6, 4, 12), // 1 us .. 4.2 s
		}, mod),
	}
}

// observe is the broker's batch observer.
func (c *collector) observe(e *broker.Endpoint, _ int, d time.Duration) {
	o, ok := c.obs.Load(e)
	if !ok {
		o, _ = c.obs.LoadOrStore(e, c.hist.WithLabelValues(e.Name()))
	}
	o.(prometheus.Observer).Observe(d.Seconds())
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.received, c.published, c.dropped, c.overflowed, c.failed,
		c.depth, c.info, c.started, c.restarts, c.connected, c.modules, c.links, c.ready} {
		ch <- d
	}
	c.hist.Describe(ch)
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	g := c.s.gw.Load()
	if g == nil {
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, 0)
		return
	}
	mods := g.Modules()
	eps := g.Broker().Endpoints()
	byName := map[string]*gateway.Module{}
	for _, m := range mods {
		byName[m.Name] = m
	}
	live := map[*broker.Endpoint]bool{}
	names := map[string]bool{}
	for _, e := range eps {
		live[e] = true
		n := e.Name()
		names[n] = true
		st := e.Stats()
		ch <- prometheus.MustNewConstMetric(c.received, prometheus.CounterValue, float64(st.Received), n)
		ch <- prometheus.MustNewConstMetric(c.published, prometheus.CounterValue, float64(st.Published), n)
		ch <- prometheus.MustNewConstMetric(c.dropped, prometheus.CounterValue, float64(st.Dropped), n)
		ch <- prometheus.MustNewConstMetric(c.overflowed, prometheus.CounterValue, float64(st.Overflowed), n)
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.CounterValue, float64(st.Failed), n)
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(st.QueueDepth), n)
		m := byName[n]
		if m == nil {
			continue // being added or removed right now
		}
		ch <- prometheus.MustNewConstMetric(c.info, prometheus.GaugeValue, 1, n, m.Loader)
		ch <- prometheus.MustNewConstMetric(c.started, prometheus.GaugeValue, b2f(m.Started()), n)
		if sv, ok := m.Instance.(loader.Supervised); ok {
			ch <- prometheus.MustNewConstMetric(c.restarts, prometheus.CounterValue, float64(sv.Restarts()), n)
			ch <- prometheus.MustNewConstMetric(c.connected, prometheus.GaugeValue, b2f(sv.Connected()), n)
		}
	}
	// Forget the histograms of endpoints that are gone.
	c.obs.Range(func(k, _ any) bool {
		if e := k.(*broker.Endpoint); !live[e] {
			c.obs.Delete(e)
			if !names[e.Name()] {
				c.hist.DeleteLabelValues(e.Name())
			}
		}
		return true
	})
	c.hist.Collect(ch)
	ch <- prometheus.MustNewConstMetric(c.modules, prometheus.GaugeValue, float64(len(mods)))
	ch <- prometheus.MustNewConstMetric(c.links, prometheus.GaugeValue, float64(len(g.Links())))
	ready, _ := g.Ready()
	ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, b2f(ready))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// slogPrinter adapts promhttp's error log to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Error("metrics: " + strings.TrimSpace(fmt.Sprintln(v...)))
}
