package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/metrics"
	"github.com/edgev1/gateway/loader"
)

// Finding is one result of `gateway validate`.
type Finding struct {
	// Path is the JSON path of the key at fault ("modules[2].loader.entrypoint"),
	// empty for the file as a whole.
	Path string `json:"path"`
	// Module and Loader name the module and loader concerned, when there is one.
	Module string `json:"module"`
	Loader string `json:"loader"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Severity is "error" (the gateway would not start) or "warning" (something
	// could not be checked).
	Severity string `json:"severity"`
	// Line and Column locate a JSON syntax error (1-based).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

const (
	sevError   = "error"
	sevWarning = "warning"
)

// Summary counts what Validate looked at.
type Summary struct {
	Modules, Links, Checked, NotChecked int
}

var pathIndexRe = regexp.MustCompile(`^(modules|loaders)\[(\d+)\]`)

// Validate checks a configuration without creating anything: JSON syntax, every
// rule of the configuration, the extensions' keys, and a dry run of every module's
// loader (loader.Checker: a native library is opened and its Module_GetApi table
// checked, a Java class looked up on its class path, ...). It reports every problem.
func Validate(data []byte) ([]Finding, Summary) {
	var out []Finding
	var sum Summary
	if err := config.CheckSyntax(data); err != nil {
		f := Finding{Message: err.Error(), Severity: sevError}
		var se *config.SyntaxError
		if errors.As(err, &se) {
			f.Line, f.Column = se.Line, se.Column
		}
		return []Finding{f}, sum
	}
	root := gjson.ParseBytes(data)
	locate := func(path string) (module, ldr string) {
		m := pathIndexRe.FindStringSubmatch(path)
		if m == nil {
			return "", ""
		}
		e := root.Get(m[1]).Get(m[2])
		if m[1] == "loaders" {
			return "", e.Get("name").String()
		}
		module = e.Get("name").String()
		ldr = loader.Native
		if n := e.Get("loader.name"); n.Type == gjson.String {
			ldr = n.Str
		}
		return module, ldr
	}
	add := func(sev, path, msg string) {
		module, ldr := locate(path)
		out = append(out, Finding{Path: path, Module: module, Loader: ldr, Message: msg, Severity: sev})
	}

	cfg, err := config.Parse(data)
	var probs config.Errors
	switch {
	case errors.As(err, &probs):
		for _, p := range probs {
			add(sevError, p.Path, p.Msg)
		}
	case err != nil:
		add(sevError, "", err.Error())
	}
	if !root.IsObject() {
		return out, sum
	}
	if cfg != nil {
		sum.Modules, sum.Links = len(cfg.Modules), len(cfg.Links)
	}
	_, mprobs := metrics.FromConfig(data)
	for _, p := range mprobs {
		add(sevError, p.Path, p.Msg)
	}

	// Loaders: the defaults, then the configuration's entries (as the gateway does).
	loaders := map[string]loader.Loader{}
	broken := map[string]bool{}
	for _, typ := range loader.DefaultTypes {
		if k, ok := loader.Lookup(typ); ok {
			if l, err := k.New(typ, nil); err == nil {
				loaders[typ] = l
			} else {
				broken[typ] = true
				add(sevError, "", fmt.Sprintf("default loader %q: %v", typ, err))
			}
		}
	}
	root.Get("loaders").ForEach(func(key, e gjson.Result) bool {
		p := "loaders[" + key.String() + "]"
		typ, name := e.Get("type"), e.Get("name")
		if typ.Type != gjson.String || name.Type != gjson.String || typ.Str == "" || name.Str == "" {
			return true // reported by Parse
		}
		k, ok := loader.Lookup(typ.Str)
		if !ok {
			broken[name.Str] = true
			add(sevError, p+".type", fmt.Sprintf("unknown loader type %q (known: %v)", typ.Str, loader.Types()))
			return true
		}
		if old, exists := loaders[name.Str]; exists && old.Type() != typ.Str {
			add(sevError, p+".type", fmt.Sprintf("loader %q: type %q does not match the existing loader of type %q", name.Str, typ.Str, old.Type()))
			return true
		}
		var conf []byte
		if c := e.Get("configuration"); c.Exists() {
			conf = []byte(c.Raw)
		}
		l, err := k.New(name.Str, conf)
		if err != nil {
			broken[name.Str] = true
			add(sevError, p+".configuration", err.Error())
			return true
		}
		delete(broken, name.Str)
		loaders[name.Str] = l
		return true
	})

	// Modules: a dry run of each one's loader.
	root.Get("modules").ForEach(func(key, e gjson.Result) bool {
		p := "modules[" + key.String() + "]"
		name := e.Get("name")
		if name.Type != gjson.String || name.Str == "" || name.Str == "*" {
			return true // reported by Parse
		}
		ldrName := loader.Native
		if n := e.Get("loader.name"); n.Exists() {
			if n.Type != gjson.String || n.Str == "" {
				return true // reported by Parse
			}
			ldrName = n.Str
		}
		var ep []byte
		if x := e.Get("loader.entrypoint"); x.Exists() {
			ep = []byte(x.Raw)
		}
		l, ok := loaders[ldrName]
		switch {
		case broken[ldrName]:
			add(sevWarning, p+".loader.name", fmt.Sprintf("module %q: not checked: loader %q could not be configured", name.Str, ldrName))
			sum.NotChecked++
		case !ok:
			add(sevError, p+".loader.name", fmt.Sprintf("module %q: unknown loader %q", name.Str, ldrName))
		default:
			c, ok := l.(loader.Checker)
			if !ok {
				add(sevWarning, p+".loader.entrypoint", fmt.Sprintf("module %q: not checked: loader %q (type %q) has no dry run", name.Str, ldrName, l.Type()))
				sum.NotChecked++
				return true
			}
			sum.Checked++
			if err := c.Check(name.Str, ep); err != nil {
				add(sevError, p+".loader.entrypoint", err.Error())
			}
		}
		return true
	})
	return out, sum
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	path := fs.Arg(0)
	var findings []Finding
	var sum Summary
	data, err := os.ReadFile(path)
	if err != nil {
		findings = []Finding{{Message: "config: " + err.Error(), Severity: sevError}}
	} else {
		findings, sum = Validate(data)
	}
	errs, warns := 0, 0
	for _, f := range findings {
		if f.Severity == sevError {
			errs++
		} else {
			warns++
		}
	}
	if *asJSON {
		if findings == nil {
			findings = []Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(findings)
	} else {
		for _, f := range findings {
			var loc string
			switch {
			case f.Line > 0:
				loc = path + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column) + ": "
			case f.Path != "":
				loc = path + ": " + f.Path + ": "
			default:
				loc = path + ": "
			}
			sev := ""
			if f.Severity == sevWarning {
				sev = "warning: "
			}
			fmt.Fprintf(stdout, "%s%s%s\n", loc, sev, f.Message)
		}
		if errs > 0 {
			fmt.Fprintf(stdout, "%s: %s, %s\n", path, plural(errs, "error"), plural(warns, "warning"))
		} else {
			fmt.Fprintf(stdout, "%s: OK: %s, %s; %s dry-run, %d not checked\n", path,
				plural(sum.Modules, "module"), plural(sum.Links, "link"), plural(sum.Checked, "entry point"), sum.NotChecked)
		}
	}
	if errs > 0 {
		return 1
	}
	return 0
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
