package dotnet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/loader"
)

func init() {
	loader.Register(Kind{})
	loader.Register(CoreKind{})
}

// BindingAssembly is the file name of the managed half of the binding.
const BindingAssembly = "Microsoft.Azure.IoT.Gateway.dll"

// Configuration keys of a dotnet loader ("configuration" of a "loaders" entry).
const (
	KeyBindingPath     = "binding.path"      // the binding assembly, or its directory
	KeyAssemblyPath    = "assembly.path"     // string or array: directories searched for module assemblies
	KeyRuntimePath     = "runtime.path"      // libmonosgen-2.0.so
	KeyMonoAssemblyDir = "mono.assembly.dir" // mono_set_dirs assembly dir (default /usr/lib)
	KeyMonoConfigDir   = "mono.config.dir"   // mono_set_dirs config dir (default /etc)
	// KeyUnhandled says what an exception that escapes a thread a module made does:
	// "log" (default: the exception is logged and that thread parked for ever; the
	// gateway goes on) or "terminate" (the runtime's own policy: the process exits).
	KeyUnhandled = "unhandled.exceptions"
)

// Entry point keys.
const (
	KeyAssemblyName = "assembly.name"
	KeyEntryType    = "entry.type"
)

// Errors wrapped by the loader's errors.
var (
	ErrNotFound     = errors.New("not found")
	ErrBadEntry     = errors.New("invalid entrypoint")
	ErrBadConfig    = errors.New("invalid configuration")
	ErrNoMonoCorlib = errors.New("mono class libraries not found")
)

// Kind is the "dotnet" loader kind (Mono).
type Kind struct{}

var _ loader.Kind = Kind{}

func (Kind) Type() string { return loader.DotNet }

// New configures a dotnet loader from its configuration JSON (nil when absent).
func (Kind) New(name string, configuration []byte) (loader.Loader, error) {
	cfg, err := parseConfig(configuration)
	if err != nil {
		return nil, fmt.Errorf("loader %q: configuration: %w", name, err)
	}
	return &Loader{name: name, cfg: cfg}, nil
}

// config is a parsed loader configuration.
type config struct {
	bindingPath     string
	runtimePath     string
	assemblyPath    []string
	monoAssemblyDir string
	monoConfigDir   string
	unhandled       string
}

func key(k string) string { return strings.ReplaceAll(k, ".", `\.`) }

func optString(cfg []byte, k string) (string, error) {
	r := gjson.GetBytes(cfg, key(k))
	if !r.Exists() || r.Type == gjson.Null {
		return "", nil
	}
	if r.Type != gjson.String || r.Str == "" {
		return "", fmt.Errorf("%w: %q must be a non-empty string", ErrBadConfig, k)
	}
	return r.Str, nil
}

func parseConfig(cfg []byte) (config, error) {
	c := config{monoAssemblyDir: "/usr/lib", monoConfigDir: "/etc", unhandled: "log"}
	if len(cfg) == 0 {
		return c, nil
	}
	if !gjson.ValidBytes(cfg) {
		return c, fmt.Errorf("%w: not valid JSON", ErrBadConfig)
	}
	root := gjson.ParseBytes(cfg)
	if root.Type == gjson.Null {
		return c, nil
	}
	if !root.IsObject() {
		return c, fmt.Errorf("%w: must be an object", ErrBadConfig)
	}
	var err error
	if c.bindingPath, err = optString(cfg, KeyBindingPath); err != nil {
		return c, err
	}
	if c.runtimePath, err = optString(cfg, KeyRuntimePath); err != nil {
		return c, err
	}
	for _, kv := range []struct {
		k   string
		dst *string
	}{{KeyMonoAssemblyDir, &c.monoAssemblyDir}, {KeyMonoConfigDir, &c.monoConfigDir}} {
		s, err := optString(cfg, kv.k)
		if err != nil {
			return c, err
		}
		if s != "" {
			*kv.dst = s
		}
	}
	if u, err := optString(cfg, KeyUnhandled); err != nil {
		return c, err
	} else if u != "" {
		if u != "log" && u != "terminate" {
			return c, fmt.Errorf("%w: %q must be \"log\" or \"terminate\"", ErrBadConfig, KeyUnhandled)
		}
		c.unhandled = u
	}
	ap := gjson.GetBytes(cfg, key(KeyAssemblyPath))
	switch {
	case !ap.Exists() || ap.Type == gjson.Null:
	case ap.Type == gjson.String && ap.Str != "":
		c.assemblyPath = []string{ap.Str}
	case ap.IsArray():
		for _, e := range ap.Array() {
			if e.Type != gjson.String || e.Str == "" {
				return c, fmt.Errorf("%w: %q must be a string or an array of non-empty strings", ErrBadConfig, KeyAssemblyPath)
			}
			c.assemblyPath = append(c.assemblyPath, e.Str)
		}
	default:
		return c, fmt.Errorf("%w: %q must be a string or an array of non-empty strings", ErrBadConfig, KeyAssemblyPath)
	}
	return c, nil
}

// entry is a parsed entry point.
type entry struct {
	assemblyName string
	entryType    string
}

func parseEntry(ep []byte) (entry, error) {
	var e entry
	if len(ep) == 0 {
		return e, fmt.Errorf(`%w: missing "entrypoint"`, ErrBadEntry)
	}
	if !gjson.ValidBytes(ep) || !gjson.ParseBytes(ep).IsObject() {
		return e, fmt.Errorf("%w: entrypoint must be a JSON object", ErrBadEntry)
	}
	for _, kv := range []struct {
		k   string
		dst *string
	}{{KeyAssemblyName, &e.assemblyName}, {KeyEntryType, &e.entryType}} {
		r := gjson.GetBytes(ep, key(kv.k))
		if !r.Exists() {
			return e, fmt.Errorf("%w: entrypoint: missing %q", ErrBadEntry, kv.k)
		}
		if r.Type != gjson.String || strings.TrimSpace(r.Str) == "" {
			return e, fmt.Errorf("%w: entrypoint: %q must be a non-empty string", ErrBadEntry, kv.k)
		}
		*kv.dst = r.Str
	}
	return e, nil
}

// searchDirs returns the directories searched for module assemblies, in order: the
// configured "assembly.path" entries, the working directory, the executable's directory.
func (c config) searchDirs() []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		if d == "" {
			return
		}
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, d := range c.assemblyPath {
		add(d)
	}
	if wd, err := os.Getwd(); err == nil {
		add(wd)
	}
	if exe, err := os.Executable(); err == nil {
		add(filepath.Dir(exe))
	}
	return dirs
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// findAssembly resolves an "assembly.name": a bare name is looked up as name.dll and
// name.exe in dirs; a name with a directory or a .dll/.exe suffix is taken as a path
// (relative ones are tried against each directory).
func findAssembly(name string, dirs []string) (string, error) {
	var candidates []string
	lower := strings.ToLower(name)
	if strings.ContainsRune(name, '/') || strings.HasSuffix(lower, ".dll") || strings.HasSuffix(lower, ".exe") {
		candidates = []string{name}
	} else {
		candidates = []string{name + ".dll", name + ".exe"}
	}
	for _, c := range candidates {
		if filepath.IsAbs(c) {
			if isFile(c) {
				return c, nil
			}
			continue
		}
		for _, d := range dirs {
			if p := filepath.Join(d, c); isFile(p) {
				return p, nil
			}
		}
	}
	if len(candidates) == 1 && filepath.IsAbs(candidates[0]) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, candidates[0])
	}
	return "", fmt.Errorf("%w in %v (looked for %s)", ErrNotFound, dirs, strings.Join(candidates, ", "))
}

// findBinding resolves the binding assembly: "binding.path" (file or directory), or
// Microsoft.Azure.IoT.Gateway.dll in the assembly search directories and in the
// executable's dotnet/ subdirectory.
func (c config) findBinding() (string, error) {
	if c.bindingPath != "" {
		p := c.bindingPath
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, BindingAssembly)
		}
		if !isFile(p) {
			return "", fmt.Errorf("%s: %w: %s", KeyBindingPath, ErrNotFound, p)
		}
		return filepath.Abs(p)
	}
	dirs := c.searchDirs()
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Join(filepath.Dir(exe), "dotnet"))
	}
	for _, d := range dirs {
		if p := filepath.Join(d, BindingAssembly); isFile(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s %w in %v (build it with bindings/dotnet/build.sh and set %q)", BindingAssembly, ErrNotFound, dirs, KeyBindingPath)
}

// runtimeLibNames are the file names of Mono's embedding library, preferred first.
var runtimeLibNames = []string{"libmonosgen-2.0.so.1", "libmonosgen-2.0.so"}

// runtimeLibDirs lists where the embedding library is looked for when "runtime.path"
// is not set.
func runtimeLibDirs() []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("LD_LIBRARY_PATH")) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	return append(dirs, "/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/lib")
}

// findRuntime resolves libmonosgen-2.0.so.
func (c config) findRuntime() (string, error) {
	if c.runtimePath != "" {
		if !isFile(c.runtimePath) {
			return "", fmt.Errorf("%s: %w: %s", KeyRuntimePath, ErrNotFound, c.runtimePath)
		}
		return c.runtimePath, nil
	}
	dirs := runtimeLibDirs()
	for _, n := range runtimeLibNames {
		for _, d := range dirs {
			if p := filepath.Join(d, n); isFile(p) {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("no Mono runtime found: %s %w in %v (install libmonosgen-2.0-1, or set %q)",
		runtimeLibNames[0], ErrNotFound, dirs, KeyRuntimePath)
}

// runtimeConfig resolves everything the runtime needs to start.
func (c config) runtimeConfig() (runtimeConfig, error) {
	lib, err := c.findRuntime()
	if err != nil {
		return runtimeConfig{}, err
	}
	dll, err := c.findBinding()
	if err != nil {
		return runtimeConfig{}, err
	}
	corlib := filepath.Join(c.monoAssemblyDir, "mono", "4.5", "mscorlib.dll")
	if !isFile(corlib) {
		return runtimeConfig{}, fmt.Errorf("%w: %s (install libmono-corlib4.5-cil, or set %q)", ErrNoMonoCorlib, corlib, KeyMonoAssemblyDir)
	}
	return runtimeConfig{libPath: lib, bindingDLL: dll, assemblyDir: c.monoAssemblyDir, configDir: c.monoConfigDir, unhandled: c.unhandled}, nil
}

// Loader is a configured dotnet loader.
type Loader struct {
	name string
	cfg  config
}

var (
	_ loader.Loader  = (*Loader)(nil)
	_ loader.Checker = (*Loader)(nil)
)

func (l *Loader) Name() string { return l.name }
func (l *Loader) Type() string { return loader.DotNet }

func (l *Loader) errorf(module, format string, args ...any) error {
	return fmt.Errorf("loader %q: module %q: "+format, append([]any{l.name, module}, args...)...)
}

// Load parses the entry point and finds the module's assembly, the binding assembly
// and the runtime. It does not start the runtime (Create does).
func (l *Loader) Load(module string, entrypoint []byte) (loader.Library, error) {
	e, err := parseEntry(entrypoint)
	if err != nil {
		return nil, l.errorf(module, "%w", err)
	}
	dirs := l.cfg.searchDirs()
	asm, err := findAssembly(e.assemblyName, dirs)
	if err != nil {
		return nil, l.errorf(module, "%s %q: %w", KeyAssemblyName, e.assemblyName, err)
	}
	rc, err := l.cfg.runtimeConfig()
	if err != nil {
		return nil, l.errorf(module, "%w", err)
	}
	return &Library{loader: l.name, module: module, assembly: asm, typeName: e.entryType, rc: rc,
		dirs: append([]string{filepath.Dir(asm)}, dirs...)}, nil
}

// Check resolves the module's files (as Load does). When the runtime is already
// running in this process it also checks that entry.type exists in the assembly,
// implements IGatewayModule and has a parameterless constructor; without a running
// runtime that part is left to Create (starting a CLR only to validate is not done).
func (l *Loader) Check(module string, entrypoint []byte) error {
	lib, err := l.Load(module, entrypoint)
	if err != nil {
		return err
	}
	r := running()
	if r == nil {
		return nil
	}
	dl := lib.(*Library)
	var cerr error
	r.control(func() { cerr = checkType(dl.assembly, dl.typeName) })
	if cerr != nil {
		return l.errorf(module, "%w", cerr)
	}
	return nil
}
