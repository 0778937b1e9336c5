package modulehost

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/sp"
	"github.com/edgev1/gateway/loader/outprocess"
)

// Spec is what a CREATE's args ask the host to run:
//
//	{"outprocess.loader": {"name": "native", "entrypoint": {"module.path": "..."}},
//	 "module.args": <any JSON>,                      ("module.arguments" is accepted too)
//	 "outprocess.loaders": [{"type", "name", "configuration"}, ...]}   (optional, like the top-level "loaders")
type Spec struct {
	// Loader is the loader name ("native" when outprocess.loader has no name).
	Loader string
	// Entrypoint is the raw JSON of outprocess.loader.entrypoint (nil when absent).
	Entrypoint []byte
	// Args is module.args re-serialized as compact JSON, nil when absent.
	Args *string
	// Loaders are the outprocess.loaders entries.
	Loaders []config.Loader
}

// ParseSpec parses a CREATE's args. Errors name the key at fault.
func ParseSpec(args string) (*Spec, error) {
	if !gjson.Valid(args) {
		return nil, errors.New("args: not valid JSON")
	}
	root := gjson.Parse(args)
	if !root.IsObject() {
		return nil, fmt.Errorf(`args: must be a JSON object with "outprocess.loader" and "module.args" (got %s)`, kind(root))
	}
	s := &Spec{Loader: "native"}
	ol := root.Get(config.Key("outprocess.loader"))
	if !ol.Exists() {
		return nil, errors.New(`args: outprocess.loader: missing (which loader runs the module: {"name": "native", "entrypoint": {"module.path": ...}})`)
	}
	if !ol.IsObject() {
		return nil, errors.New("args: outprocess.loader: must be an object")
	}
	if n := ol.Get("name"); n.Exists() {
		if n.Type != gjson.String || n.Str == "" {
			return nil, errors.New("args: outprocess.loader.name: must be a non-empty string")
		}
		s.Loader = n.Str
	}
	if ep := ol.Get("entrypoint"); ep.Exists() {
		s.Entrypoint = []byte(ep.Raw)
	}
	ma := root.Get(config.Key("module.args"))
	if !ma.Exists() {
		ma = root.Get(config.Key("module.arguments")) // the seed README's spelling
	}
	if ma.Exists() {
		c := config.Compact(ma)
		s.Args = &c
	}
	if ls := root.Get(config.Key("outprocess.loaders")); ls.Exists() {
		if !ls.IsArray() {
			return nil, errors.New("args: outprocess.loaders: must be an array")
		}
		cfg, err := config.Parse([]byte(`{"loaders":` + ls.Raw + `,"modules":[],"links":[]}`))
		if err != nil {
			return nil, fmt.Errorf("args: outprocess.%w", trimConfig(err))
		}
		s.Loaders = cfg.Loaders
	}
	return s, nil
}

func trimConfig(err error) error { return errors.New(strings.TrimPrefix(err.Error(), "config: ")) }

func kind(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return "a string"
	case gjson.Number:
		return "a number"
	case gjson.True, gjson.False:
		return "a boolean"
	case gjson.Null:
		return "null"
	}
	if v.IsArray() {
		return "an array"
	}
	return "an object"
}

// CheckMessageURI validates the message channel a CREATE names: an ipc:// URL (the host never listens on a
// network transport), a path without ".." elements that fits a unix socket address, and, when dir is set, a path
// inside dir (relative paths resolve against the working directory).
func CheckMessageURI(uri, dir string) error {
	path, ok := strings.CutPrefix(uri, "ipc://")
	if !ok {
		return fmt.Errorf("message channel %q: only ipc:// is accepted", uri)
	}
	if path == "" || len(path) > sp.MaxIPCPath {
		return fmt.Errorf("message channel %q: the path must be 1 to %d bytes", uri, sp.MaxIPCPath)
	}
	if outprocess.HasDotDot(path) {
		return fmt.Errorf(`message channel %q: ".." path elements are refused`, uri)
	}
	if dir != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return fmt.Errorf("message channel %q: %w", uri, err)
		}
		d, err := filepath.Abs(dir)
		if err != nil {
			return fmt.Errorf("--message-dir %q: %w", dir, err)
		}
		if rel, err := filepath.Rel(d, abs); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("message channel %q: outside the allowed directory %s", uri, d)
		}
	}
	return nil
}
