package jvm

import (
	"archive/zip"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/loader"
)

func init() { loader.Register(Kind{}) }

// Kind is the "java" loader kind.
type Kind struct{}

var _ loader.Kind = Kind{}

// Type returns "java".
func (Kind) Type() string { return loader.Java }

// DefaultDebugPort is the JDWP port used when jvm.options.debug is true and debug.port is absent (the SDK's).
const DefaultDebugPort = 9876

// Options are a java loader's parsed configuration.
type Options struct {
	// LibraryPath is jvm.options.library.path ("" when absent).
	LibraryPath string
	// Version is jvm.options.version, the major Java version the SDK asked for (0 when absent). It selects the
	// JNI version requested from the JVM (8 and below: JNI 1.x; 9 and up: JNI 9, 10, ...).
	Version int
	// Debug starts the JVM with a JDWP agent listening on DebugPort (suspend=n).
	Debug     bool
	DebugPort int
	// Verbose adds -verbose:class.
	Verbose bool
	// AdditionalOptions are passed to the JVM as they are, after the binding's own.
	AdditionalOptions []string
	// ClassPath is jvm.options.class.path: entries added to the JVM's class path (absolute).
	ClassPath []string
	// BindingPath is "binding.path": the binding jar or a directory holding it ("" when absent).
	BindingPath string
}

// New configures a java loader from its configuration JSON (nil when absent).
func (Kind) New(name string, configuration []byte) (loader.Loader, error) {
	opts, err := ParseOptions(configuration)
	if err != nil {
		return nil, fmt.Errorf("loader %q: %w", name, err)
	}
	return &Loader{name: name, opts: opts}, nil
}

// ParseOptions parses a java loader configuration. Errors name the key at fault
// ("jvm.options.debug.port: ...").
func ParseOptions(configuration []byte) (Options, error) {
	o := Options{DebugPort: DefaultDebugPort}
	if configuration == nil {
		return o, nil
	}
	if !gjson.ValidBytes(configuration) {
		return o, errors.New("configuration: invalid JSON")
	}
	root := gjson.ParseBytes(configuration)
	if root.Type == gjson.Null {
		return o, nil
	}
	if !root.IsObject() {
		return o, errors.New("configuration: must be an object")
	}
	top := members(root)
	if v, ok := top["binding.path"]; ok && v.Type != gjson.Null {
		if v.Type != gjson.String {
			return o, errors.New("binding.path: must be a string")
		}
		o.BindingPath = v.Str
	}
	jo, ok := top["jvm.options"]
	if !ok || jo.Type == gjson.Null {
		return o, nil
	}
	if !jo.IsObject() {
		return o, errors.New("jvm.options: must be an object")
	}
	m := members(jo)
	for key, v := range m {
		if v.Type == gjson.Null {
			continue
		}
		bad := func(what string) error { return fmt.Errorf("jvm.options.%s: must be %s", key, what) }
		switch key {
		case "library.path":
			if v.Type != gjson.String {
				return o, bad("a string")
			}
			o.LibraryPath = v.Str
		case "version":
			if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 0 || v.Num > 1000 {
				return o, bad("a non-negative integer")
			}
			o.Version = int(v.Num)
		case "debug":
			if !v.IsBool() {
				return o, bad("true or false")
			}
			o.Debug = v.Bool()
		case "debug.port":
			if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 1 || v.Num > 65535 {
				return o, bad("an integer between 1 and 65535")
			}
			o.DebugPort = int(v.Num)
		case "verbose":
			if !v.IsBool() {
				return o, bad("true or false")
			}
			o.Verbose = v.Bool()
		case "additional.options":
			list, err := stringArray(v)
			if err != nil {
				return o, bad("an array of strings")
			}
			for i, s := range list {
				if s == "" || strings.IndexByte(s, 0) >= 0 {
					return o, fmt.Errorf("jvm.options.additional.options[%d]: must be a non-empty string without NUL", i)
				}
			}
			o.AdditionalOptions = list
		case "class.path":
			entries, err := classPathValue(v)
			if err != nil {
				return o, fmt.Errorf("jvm.options.class.path: %w", err)
			}
			o.ClassPath = entries
		}
	}
	return o, nil
}

// members returns an object's members by exact key (keys contain dots, which gjson paths would split).
func members(obj gjson.Result) map[string]gjson.Result {
	m := map[string]gjson.Result{}
	obj.ForEach(func(k, v gjson.Result) bool {
		m[k.Str] = v
		return true
	})
	return m
}

func stringArray(v gjson.Result) ([]string, error) {
	if !v.IsArray() {
		return nil, errors.New("not an array")
	}
	var out []string
	var err error
	v.ForEach(func(_, e gjson.Result) bool {
		if e.Type != gjson.String {
			err = errors.New("not a string")
			return false
		}
		out = append(out, e.Str)
		return true
	})
	return out, err
}

// classPathValue parses a class path given as a string (entries separated by ':' or ';') or an array of
// strings, resolving relative entries against the working directory and expanding "dir/*" to the jars in dir.
// Every entry must exist.
func classPathValue(v gjson.Result) ([]string, error) {
	var raw []string
	switch {
	case v.Type == gjson.String:
		raw = strings.FieldsFunc(v.Str, func(r rune) bool { return r == ':' || r == ';' })
	case v.IsArray():
		list, err := stringArray(v)
		if err != nil {
			return nil, errors.New("must be a string or an array of strings")
		}
		raw = list
	default:
		return nil, errors.New("must be a string or an array of strings")
	}
	var out []string
	for _, e := range raw {
		if e == "" {
			continue
		}
		if strings.IndexByte(e, 0) >= 0 {
			return nil, fmt.Errorf("entry %q contains NUL", e)
		}
		if base := filepath.Base(e); base == "*" {
			dir := filepath.Dir(e)
			jars, err := jarsIn(dir)
			if err != nil {
				return nil, fmt.Errorf("entry %q: %w", e, err)
			}
			out = append(out, jars...)
			continue
		}
		abs, err := filepath.Abs(e)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", e, err)
		}
		if _, err := os.Stat(abs); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("no such file or directory: %s", e)
			}
			return nil, fmt.Errorf("entry %q: %w", e, err)
		}
		out = append(out, abs)
	}
	return out, nil
}

func jarsIn(dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no such directory: %s", dir)
		}
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".jar") || strings.HasSuffix(n, ".JAR")) {
			out = append(out, filepath.Join(abs, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Loader is a configured java loader.
type Loader struct {
	name string
	opts Options
}

var (
	_ loader.Loader  = (*Loader)(nil)
	_ loader.Checker = (*Loader)(nil)
)

// Name returns the loader's name.
func (l *Loader) Name() string { return l.name }

// Type returns "java".
func (l *Loader) Type() string { return loader.Java }

// Options returns the loader's parsed configuration.
func (l *Loader) Options() Options { return l.opts }

// Entrypoint is a Java module's parsed entry point.
type Entrypoint struct {
	// ClassName is the binary class name in dotted form (com.example.Printer, com.example.Outer$Inner).
	ClassName string
	// ClassPath holds the absolute class path entries (directories and jars).
	ClassPath []string
}

// ParseEntrypoint parses {"class.name", "class.path"}. class.name is required, in JNI form (a/b/C) or dotted
// form; class.path is a string of entries separated by ':' (or ';') or an array of strings, each of which must
// exist ("dir/*" means every jar in dir); it may be absent when the class is on the JVM's class path.
func ParseEntrypoint(entrypoint []byte) (Entrypoint, error) {
	var ep Entrypoint
	if entrypoint == nil {
		return ep, errors.New(`missing "entrypoint"`)
	}
	if !gjson.ValidBytes(entrypoint) {
		return ep, errors.New("entrypoint: invalid JSON")
	}
	root := gjson.ParseBytes(entrypoint)
	if !root.IsObject() {
		return ep, errors.New("entrypoint: must be an object")
	}
	m := members(root)
	cn, ok := m["class.name"]
	if !ok {
		return ep, errors.New(`entrypoint: missing "class.name"`)
	}
	if cn.Type != gjson.String || cn.Str == "" {
		return ep, errors.New("entrypoint: class.name: must be a non-empty string")
	}
	name, err := normalizeClassName(cn.Str)
	if err != nil {
		return ep, fmt.Errorf("entrypoint: class.name: %w", err)
	}
	ep.ClassName = name
	if cp, ok := m["class.path"]; ok && cp.Type != gjson.Null {
		entries, err := classPathValue(cp)
		if err != nil {
			return ep, fmt.Errorf("entrypoint: class.path: %w", err)
		}
		ep.ClassPath = entries
	}
	return ep, nil
}

// normalizeClassName turns a/b/C or a.b.C into a.b.C and checks that each part is a Java identifier.
func normalizeClassName(s string) (string, error) {
	name := strings.ReplaceAll(s, "/", ".")
	for _, part := range strings.Split(name, ".") {
		if part == "" {
			return "", fmt.Errorf("%q is not a Java class name", s)
		}
		for i, r := range part {
			ok := unicode.IsLetter(r) || r == '_' || r == '$' || (i > 0 && unicode.IsDigit(r))
			if !ok {
				return "", fmt.Errorf("%q is not a Java class name", s)
			}
		}
	}
	return name, nil
}

// Load parses and validates the module's entry point. The JVM is started by the first Create.
func (l *Loader) Load(module string, entrypoint []byte) (loader.Library, error) {
	ep, err := ParseEntrypoint(entrypoint)
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	return &Library{loader: l, module: module, ep: ep}, nil
}

// Check validates the entry point, that the class file is present in class.path (or in the loader's
// jvm.options.class.path or the binding jar), and that libjvm.so and the binding jar can be found — without
// starting the JVM.
func (l *Loader) Check(module string, entrypoint []byte) error {
	ep, err := ParseEntrypoint(entrypoint)
	if err != nil {
		return fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	if _, err := findLibJVM(l.opts.LibraryPath); err != nil {
		return fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	jar, err := findBindingJar(l.opts.BindingPath)
	if err != nil {
		return fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	search := slices.Concat(ep.ClassPath, l.opts.ClassPath, []string{jar})
	found, err := classPresent(ep.ClassName, search)
	if err != nil {
		return fmt.Errorf("loader %q: module %q: class.path: %w", l.name, module, err)
	}
	if !found {
		return fmt.Errorf("loader %q: module %q: class.name: class %s not found in class.path %q",
			l.name, module, ep.ClassName, ep.ClassPath)
	}
	return nil
}

// classPresent reports whether the class file of a dotted class name is in one of the class path entries.
func classPresent(className string, entries []string) (bool, error) {
	rel := strings.ReplaceAll(className, ".", "/") + ".class"
	for _, e := range entries {
		fi, err := os.Stat(e)
		if err != nil {
			return false, err
		}
		if fi.IsDir() {
			if _, err := os.Stat(filepath.Join(e, filepath.FromSlash(rel))); err == nil {
				return true, nil
			}
			continue
		}
		zr, err := zip.OpenReader(e)
		if err != nil {
			return false, fmt.Errorf("%s: not a jar: %w", e, err)
		}
		f, err := zr.Open(rel)
		if err == nil {
			f.Close()
		}
		zr.Close()
		if err == nil {
			return true, nil
		}
	}
	return false, nil
}
