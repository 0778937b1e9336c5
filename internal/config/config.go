// Package config parses the SDK v1 JSON gateway configuration (SPEC section 5):
// "loaders" (optional), "modules" and "links" (required), plus this gateway's
// extensions. It checks the structural rules and reports every problem it finds with
// the path of the key at fault; loader-specific entry points are checked by loaders.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tidwall/gjson"
)

// Loader is one "loaders" entry.
type Loader struct {
	Type string
	Name string
	// Configuration is the raw "configuration" JSON, nil when absent.
	Configuration []byte
}

// Module is one "modules" entry.
type Module struct {
	Name string
	// Loader is the loader name ("native" when the entry has no loader.name).
	Loader string
	// Entrypoint is the raw "loader.entrypoint" JSON, nil when absent.
	Entrypoint []byte
	// Args is "args" re-serialized as compact JSON the way the SDK (parson) did, or
	// nil when the entry has no "args" ("args": null gives "null").
	Args *string
	// Queue holds this gateway's optional per-module queue settings.
	Queue Queue
	// Index is the position in the "modules" array.
	Index int
}

// Queue is the optional "queue" object of a module (an extension of this gateway).
type Queue struct {
	Capacity int    // 0: default
	Overflow string // "", "block", "drop-newest", "drop-oldest"
	// SpinUs is the longest time, in µs, the module's idle worker polls its queue
	// before it parks ("spin_us"): 0 when not set (the broker's default), -1 for
	// "spin_us": 0 (never poll).
	SpinUs int
}

// Link is one "links" entry.
type Link struct {
	Source string // module name or "*"
	Sink   string
	Index  int
}

// Config is a parsed configuration.
type Config struct {
	Loaders []Loader
	Modules []Module
	Links   []Link
}

// Problem is one configuration error, located by a JSON path such as
// "modules[2].loader.entrypoint".
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) Error() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Errors is the list of problems of a configuration; it is an error.
type Errors []Problem

func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, p := range e {
		parts[i] = p.Error()
	}
	return "config: " + strings.Join(parts, "; ")
}

// ErrSyntax is wrapped by JSON syntax errors.
var ErrSyntax = errors.New("invalid JSON")

// Load reads and parses a configuration file. Errors name the file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// SyntaxError locates a JSON syntax error.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v at line %d, column %d: %s", ErrSyntax, e.Line, e.Column, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// CheckSyntax returns a *SyntaxError locating the first syntax error, or nil.
func CheckSyntax(data []byte) error {
	if gjson.ValidBytes(data) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	err := dec.Decode(&v)
	off := int64(len(data))
	msg := "unexpected end of input"
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off, msg = se.Offset, se.Error()
	case err == nil:
		if dec.More() {
			off = dec.InputOffset()
			msg = "unexpected data after the top-level value"
		} else {
			msg = "invalid JSON"
		}
	case err != nil && err.Error() != "EOF":
		msg = err.Error()
	}
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// Parse parses a configuration and checks its structure. On failure it returns
// Errors listing every problem (or a *SyntaxError).
func Parse(data []byte) (*Config, error) { return parse(data, false) }

// ParseUpdate parses the JSON of Gateway_UpdateFromJson: like Parse, but "modules"
// and "links" may be absent, and links may name modules that already exist in the
// gateway (the gateway checks them).
func ParseUpdate(data []byte) (*Config, error) { return parse(data, true) }

func parse(data []byte, partial bool) (*Config, error) {
	if err := CheckSyntax(data); err != nil {
		return nil, err
	}
	root := gjson.ParseBytes(data)
	var probs Errors
	add := func(path, format string, args ...any) {
		probs = append(probs, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if !root.IsObject() {
		return nil, Errors{{Msg: "the configuration must be a JSON object"}}
	}
	c := &Config{}

	if l := root.Get("loaders"); l.Exists() {
		if !l.IsArray() {
			add("loaders", "must be an array")
		} else {
			seen := map[string]bool{}
			for i, e := range l.Array() {
				p := fmt.Sprintf("loaders[%d]", i)
				if !e.IsObject() {
					add(p, "must be an object")
					continue
				}
				ld := Loader{Type: stringField(e, "type", p, true, add), Name: stringField(e, "name", p, true, add)}
				if cfg := e.Get("configuration"); cfg.Exists() {
					ld.Configuration = []byte(cfg.Raw)
				}
				if ld.Name != "" && seen[ld.Name] {
					add(p+".name", "duplicate loader %q", ld.Name)
				}
				seen[ld.Name] = true
				c.Loaders = append(c.Loaders, ld)
			}
		}
	}

	modules := root.Get("modules")
	names := map[string]bool{}
	switch {
	case !modules.Exists() && partial:
	case !modules.Exists():
		add("modules", "missing (required; may be an empty array)")
	case !modules.IsArray():
		add("modules", "must be an array")
	default:
		for i, e := range modules.Array() {
			p := fmt.Sprintf("modules[%d]", i)
			if !e.IsObject() {
				add(p, "must be an object")
				continue
			}
			m := Module{Index: i, Loader: "native"}
			m.Name = stringField(e, "name", p, true, add)
			if m.Name == "*" {
				add(p+".name", `"*" is reserved (it means every module in links)`)
			} else if m.Name != "" && names[m.Name] {
				add(p+".name", "duplicate module name %q", m.Name)
			}
			if m.Name != "" {
				names[m.Name] = true
			}
			if ld := e.Get("loader"); ld.Exists() {
				if !ld.IsObject() {
					add(p+".loader", "must be an object")
				} else {
					if n := ld.Get("name"); n.Exists() {
						if n.Type != gjson.String || n.Str == "" {
							add(p+".loader.name", "must be a non-empty string")
						} else {
							m.Loader = n.Str
						}
					}
					if ep := ld.Get("entrypoint"); ep.Exists() {
						m.Entrypoint = []byte(ep.Raw)
					}
				}
			}
			if a := e.Get("args"); a.Exists() {
				s := Compact(a)
				m.Args = &s
			}
			if q := e.Get("queue"); q.Exists() {
				if !q.IsObject() {
					add(p+".queue", "must be an object")
				} else {
					if cp := q.Get("capacity"); cp.Exists() {
						if cp.Type != gjson.Number || cp.Num < 1 || cp.Num != float64(int(cp.Num)) || cp.Num > 1<<24 {
							add(p+".queue.capacity", "must be an integer from 1 to 16777216")
						} else {
							m.Queue.Capacity = int(cp.Num)
						}
					}
					if sp := q.Get("spin_us"); sp.Exists() {
						switch {
						case sp.Type != gjson.Number || sp.Num < 0 || sp.Num != float64(int(sp.Num)) || sp.Num > 10000:
							add(p+".queue.spin_us", "must be an integer from 0 to 10000 (microseconds)")
						case sp.Num == 0:
							m.Queue.SpinUs = -1
						default:
							m.Queue.SpinUs = int(sp.Num)
						}
					}
					if ov := q.Get("overflow"); ov.Exists() {
						switch ov.String() {
						case "block", "drop-newest", "drop-oldest":
							m.Queue.Overflow = ov.Str
						default:
							add(p+".queue.overflow", `must be "block", "drop-newest" or "drop-oldest"`)
						}
					}
				}
			}
			c.Modules = append(c.Modules, m)
		}
	}

	links := root.Get("links")
	switch {
	case !links.Exists() && partial:
	case !links.Exists():
		add("links", "missing (required; may be an empty array)")
	case !links.IsArray():
		add("links", "must be an array")
	default:
		seen := map[[2]string]bool{}
		for i, e := range links.Array() {
			p := fmt.Sprintf("links[%d]", i)
			if !e.IsObject() {
				add(p, "must be an object")
				continue
			}
			l := Link{Index: i, Source: stringField(e, "source", p, true, add), Sink: stringField(e, "sink", p, true, add)}
			if l.Source == "" || l.Sink == "" {
				continue
			}
			if l.Sink == "*" {
				add(p+".sink", `"*" cannot be a sink`)
			} else if !partial && modules.IsArray() && !names[l.Sink] {
				add(p+".sink", "unknown module %q", l.Sink)
			}
			if !partial && l.Source != "*" && modules.IsArray() && !names[l.Source] {
				add(p+".source", "unknown module %q", l.Source)
			}
			key := [2]string{l.Source, l.Sink}
			if seen[key] {
				add(p, "duplicate link %q -> %q", l.Source, l.Sink)
			}
			seen[key] = true
			c.Links = append(c.Links, l)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return c, nil
}

func stringField(obj gjson.Result, key, path string, required bool, add func(string, string, ...any)) string {
	v := obj.Get(gjsonKey(key))
	if !v.Exists() {
		if required {
			add(path+"."+key, "missing")
		}
		return ""
	}
	if v.Type != gjson.String || v.Str == "" {
		add(path+"."+key, "must be a non-empty string")
		return ""
	}
	return v.Str
}

// gjsonKey escapes the path characters of a literal key.
func gjsonKey(k string) string {
	r := strings.NewReplacer(".", `\.`, "*", `\*`, "?", `\?`, "|", `\|`, "#", `\#`, "@", `\@`)
	return r.Replace(k)
}

// Key returns the gjson path that selects a literal key (one with dots such as
// "module.path").
func Key(k string) string { return gjsonKey(k) }
