package metrics

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"
)

// This file writes the Prometheus text exposition format, version 0.0.4:
//
//	# HELP name help text
//	# TYPE name counter|gauge|histogram
//	name{label="value",...} value
//
// with the HELP and TYPE lines once per family, families sorted by name and the
// samples of a family together, sorted by their labels (a histogram's series keep
// their _bucket ... _sum, _count order).

// contentType is the Content-Type of the text format.
const contentType = "text/plain; version=0.0.4; charset=utf-8"

// family is one metric family of a scrape.
type family struct {
	name, typ, help string
	samples         []sample
}

// sample is one line of a family.
type sample struct {
	suffix string  // appended to the family name: "", "_bucket", "_sum", "_count"
	labels string  // escaped labels without braces: `a="x",b="y"`, or ""
	key    string  // sort key: the labels without a histogram's le
	value  float64 //
}

// scrape collects the families of one scrape.
type scrape struct{ fams []*family }

// family adds a family; typ is "counter", "gauge" or "histogram".
func (s *scrape) family(name, typ, help string) *family {
	f := &family{name: name, typ: typ, help: help}
	s.fams = append(s.fams, f)
	return f
}

// add adds a sample with the label pairs kv (name, value, name, value, ...; label
// names in sorted order).
func (f *family) add(v float64, kv ...string) {
	l := labels(kv...)
	f.samples = append(f.samples, sample{labels: l, key: l, value: v})
}

// addHistogram adds the series of one histogram: counts are the observations per
// bucket (not cumulative; counts[i] for bounds[i], the last one above every bound),
// sum their sum.
func (f *family) addHistogram(bounds []float64, counts []uint64, sum float64, kv ...string) {
	base := labels(kv...)
	sep := ""
	if base != "" {
		sep = ","
	}
	var cum uint64
	for i, n := range counts {
		cum += n
		le := math.Inf(1)
		if i < len(bounds) {
			le = bounds[i]
		}
		l := base + sep + `le="` + string(appendFloat(nil, le)) + `"`
		f.samples = append(f.samples, sample{suffix: "_bucket", labels: l, key: base, value: float64(cum)})
	}
	f.samples = append(f.samples,
		sample{suffix: "_sum", labels: base, key: base, value: sum},
		sample{suffix: "_count", labels: base, key: base, value: float64(cum)})
}

// labels renders label pairs, escaping the values.
func labels(kv ...string) string {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, kv[i]...)
		b = append(b, '=', '"')
		b = appendEscaped(b, kv[i+1], true)
		b = append(b, '"')
	}
	return string(b)
}

// appendEscaped escapes backslash and newline, and with quote the double quote
// (label values; HELP text leaves quotes alone).
func appendEscaped(b []byte, s string, quote bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b = append(b, '\\', '\\')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '"' && quote:
			b = append(b, '\\', '"')
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendFloat formats v as Prometheus reads it.
func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// writeText writes the families that have samples (sorting them and their samples).
func writeText(w io.Writer, fams []*family) error {
	slices.SortStableFunc(fams, func(a, b *family) int { return cmp.Compare(a.name, b.name) })
	var b []byte
	for _, f := range fams {
		if len(f.samples) == 0 {
			continue
		}
		slices.SortStableFunc(f.samples, func(x, y sample) int { return cmp.Compare(x.key, y.key) })
		b = append(b, "# HELP "...)
		b = append(b, f.name...)
		b = append(b, ' ')
		b = appendEscaped(b, f.help, false)
		b = append(b, "\n# TYPE "...)
		b = append(b, f.name...)
		b = append(b, ' ')
		b = append(b, f.typ...)
		b = append(b, '\n')
		for _, s := range f.samples {
			b = append(b, f.name...)
			b = append(b, s.suffix...)
			if s.labels != "" {
				b = append(b, '{')
				b = append(b, s.labels...)
				b = append(b, '}')
			}
			b = append(b, ' ')
			b = appendFloat(b, s.value)
			b = append(b, '\n')
		}
	}
	_, err := w.Write(b)
	return err
}
