package metrics

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
)

func text(t *testing.T, fams ...*family) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, writeText(&b, fams))
	return b.String()
}

func TestWriteTextEscaping(t *testing.T) {
	var sc scrape
	f := sc.family("x_total", "counter", "A \"quoted\" back\\slash\nand a second line.")
	f.add(1, "a", `back\slash "quote"`+"\nnew line", "b", "plain")
	f.add(2)
	require.Equal(t, `# HELP x_total A "quoted" back\\slash\nand a second line.
# TYPE x_total counter
x_total 2
x_total{a="back\\slash \"quote\"\nnew line",b="plain"} 1
`, text(t, sc.fams...))
}

func TestWriteTextOrder(t *testing.T) {
	var sc scrape
	b := sc.family("b", "gauge", "B.")
	a := sc.family("a", "gauge", "A.")
	sc.family("c_empty", "gauge", "No samples: not written.")
	b.add(1, "m", "y")
	a.add(2, "m", "z")
	b.add(3, "m", "x")
	a.add(4, "m", "w")
	require.Equal(t, `# HELP a A.
# TYPE a gauge
a{m="w"} 4
a{m="z"} 2
# HELP b B.
# TYPE b gauge
b{m="x"} 3
b{m="y"} 1
`, text(t, sc.fams...))
	require.Equal(t, "", text(t))
}

func TestAppendFloat(t *testing.T) {
	for v, want := range map[float64]string{
		math.Inf(1): "+Inf", math.Inf(-1): "-Inf", 0: "0", 1: "1", -2.5: "-2.5", 12345: "12345",
		1e6: "1e+06", 1e-6: "1e-06", 0.000256: "0.000256", 4.194304: "4.194304", 1 << 64: "1.8446744073709552e+19",
	} {
		require.Equal(t, want, string(appendFloat(nil, v)))
	}
	require.Equal(t, "NaN", string(appendFloat(nil, math.NaN())))
}

func TestHistogram(t *testing.T) {
	var h histogram
	obs := []time.Duration{0, -5, time.Microsecond, time.Microsecond + 1, 5 * time.Millisecond, 4194304 * time.Microsecond, 10 * time.Second}
	var sum time.Duration
	for _, d := range obs {
		h.observe(d)
		sum += max(d, 0)
	}
	require.Equal(t, 14199306001*time.Nanosecond, sum)
	var sc scrape
	f := sc.family("h_seconds", "histogram", "H.")
	h.addTo(f, receiveBounds(), "module", "m")
	out := text(t, sc.fams...)
	require.Equal(t, `# HELP h_seconds H.
# TYPE h_seconds histogram
h_seconds_bucket{module="m",le="1e-06"} 3
h_seconds_bucket{module="m",le="4e-06"} 4
h_seconds_bucket{module="m",le="1.6e-05"} 4
h_seconds_bucket{module="m",le="6.4e-05"} 4
h_seconds_bucket{module="m",le="0.000256"} 4
h_seconds_bucket{module="m",le="0.001024"} 4
h_seconds_bucket{module="m",le="0.004096"} 4
h_seconds_bucket{module="m",le="0.016384"} 5
h_seconds_bucket{module="m",le="0.065536"} 5
h_seconds_bucket{module="m",le="0.262144"} 5
h_seconds_bucket{module="m",le="1.048576"} 5
h_seconds_bucket{module="m",le="4.194304"} 6
h_seconds_bucket{module="m",le="+Inf"} 7
h_seconds_sum{module="m"} 14.199306001
h_seconds_count{module="m"} 7
`, out)
}

type nopSink struct{}

func (nopSink) Receive([]cshim.Message) {}

// receiveTimes returns the text of collector.receiveTimes for eps.
func receiveTimes(t *testing.T, c *collector, eps ...*broker.Endpoint) string {
	t.Helper()
	var sc scrape
	c.receiveTimes(&sc, eps)
	return text(t, sc.fams...)
}

func TestReceiveTimesFollowEndpoints(t *testing.T) {
	b := broker.New(nil)
	t.Cleanup(func() { b.Close(time.Second) })
	add := func(name string) *broker.Endpoint {
		e, err := b.AddModule(name, nopSink{}, broker.Options{})
		require.NoError(t, err)
		return e
	}
	var c collector
	a, z := add("a"), add("z")
	require.Equal(t, "", receiveTimes(t, &c, a, z), "nothing observed: no series")

	c.observe(a, 1, 3*time.Microsecond)
	c.observe(a, 1, 3*time.Microsecond)
	c.observe(z, 1, time.Second)
	out := receiveTimes(t, &c, a, z)
	require.Contains(t, out, `# TYPE gateway_module_receive_duration_seconds histogram`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_bucket{module="a",le="1e-06"} 0`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_bucket{module="a",le="4e-06"} 2`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_count{module="a"} 2`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_sum{module="a"} 6e-06`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_bucket{module="z",le="1.048576"} 1`)
	require.Less(t, strings.Index(out, `module="a"`), strings.Index(out, `module="z"`))

	// "a" is removed: its histogram disappears at once, and is forgotten at the
	// second scrape without it.
	require.NoError(t, b.RemoveModule("a", time.Second))
	out = receiveTimes(t, &c, z)
	require.NotContains(t, out, `module="a"`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_count{module="z"} 1`)
	_, kept := c.obs.Load(a)
	require.True(t, kept, "an endpoint missing from one scrape may be one added meanwhile")
	receiveTimes(t, &c, z)
	_, kept = c.obs.Load(a)
	require.False(t, kept)

	// A re-created "a" (a new endpoint) starts from zero.
	a2 := add("a")
	c.observe(a2, 1, 10*time.Second)
	out = receiveTimes(t, &c, z, a2)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_bucket{module="a",le="4.194304"} 0`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_bucket{module="a",le="+Inf"} 1`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_count{module="a"} 1`)
	require.Contains(t, out, `gateway_module_receive_duration_seconds_sum{module="a"} 10`)
}
