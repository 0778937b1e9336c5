package config

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Compact re-serializes a JSON value the way the SDK handed "args" to modules
// (parson's compact serializer, as implemented by cshim/parson.h): no white space,
// object keys in document order, "/" escaped as "\/", control characters as short
// escapes or \u00XX, other characters (UTF-8) as they are, integral numbers of
// magnitude below 2^53 as integers and other numbers with 17 significant digits.
func Compact(v gjson.Result) string {
	var b strings.Builder
	b.Grow(len(v.Raw))
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v gjson.Result) {
	switch v.Type {
	case gjson.Null:
		b.WriteString("null")
	case gjson.False:
		b.WriteString("false")
	case gjson.True:
		b.WriteString("true")
	case gjson.Number:
		b.WriteString(FormatNumber(v.Num))
	case gjson.String:
		writeString(b, v.Str)
	case gjson.JSON:
		if v.IsArray() {
			b.WriteByte('[')
			first := true
			v.ForEach(func(_, e gjson.Result) bool {
				if !first {
					b.WriteByte(',')
				}
				first = false
				writeValue(b, e)
				return true
			})
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, e gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, k.Str)
			b.WriteByte(':')
			writeValue(b, e)
			return true
		})
		b.WriteByte('}')
	}
}

// FormatNumber formats a JSON number as the module-facing serializer does.
func FormatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}

func writeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			} else {
				b.WriteByte(c)
			}
		}
		i++
	}
	b.WriteByte('"')
}
