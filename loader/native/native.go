// Package native is the "native" module loader: it loads C modules (shared objects
// exporting Module_GetApi) and calls their MODULE_API tables unchanged.
//
// # Memory
//
// The library handle (dlopen) lives until Library.Close. The MODULE_API table belongs
// to the library. Each instance owns a C copy of its module name (for log lines) that
// Destroy frees.
package native

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ebitengine/purego"
	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

func init() { loader.Register(Kind{}) }

// Kind is the native loader kind.
type Kind struct{}

var _ loader.Kind = Kind{}

func (Kind) Type() string { return loader.Native }

// New configures a native loader. The only configuration key, "binding.path", is
// accepted and ignored (native modules need no binding).
func (Kind) New(name string, configuration []byte) (loader.Loader, error) {
	if err := loader.CheckConfiguration(name, configuration); err != nil {
		return nil, err
	}
	return &Loader{name: name}, nil
}

// Loader loads native modules.
type Loader struct{ name string }

var (
	_ loader.Loader  = (*Loader)(nil)
	_ loader.Checker = (*Loader)(nil)
)

func (l *Loader) Name() string { return l.name }
func (l *Loader) Type() string { return loader.Native }

// ErrNoGetAPI is returned when a library does not export Module_GetApi.
var ErrNoGetAPI = errors.New("library does not export Module_GetApi")

// ModulePath returns the "module.path" of a native entry point.
func ModulePath(entrypoint []byte) (string, error) {
	if entrypoint == nil {
		return "", errors.New(`missing "entrypoint"`)
	}
	r := gjson.GetBytes(entrypoint, "module\\.path")
	if !r.Exists() {
		return "", errors.New(`entrypoint: missing "module.path"`)
	}
	if r.Type != gjson.String || r.Str == "" {
		return "", errors.New(`entrypoint: "module.path" must be a non-empty string`)
	}
	return r.Str, nil
}

// Load dlopens the module's library (RTLD_LAZY, local), resolves Module_GetApi,
// calls it and validates the table.
func (l *Loader) Load(module string, entrypoint []byte) (loader.Library, error) {
	path, err := ModulePath(entrypoint)
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	return Open(l.name, module, path)
}

// Check loads the library and validates its API, then unloads it.
func (l *Loader) Check(module string, entrypoint []byte) error {
	lib, err := l.Load(module, entrypoint)
	if err != nil {
		return err
	}
	return lib.Close()
}

// Open loads the library at path for module (loaderName names the loader in errors).
func Open(loaderName, module, path string) (*Library, error) {
	wrap := func(err error) error {
		return fmt.Errorf("loader %q: module %q: module.path %q: %w", loaderName, module, path, err)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, wrap(err)
	}
	if err := CheckNotWorldWritable(path); err != nil {
		return nil, wrap(err)
	}
	h, err := purego.Dlopen(path, purego.RTLD_LAZY|purego.RTLD_LOCAL)
	if err != nil {
		return nil, wrap(fmt.Errorf("cannot load library: %w", err))
	}
	sym, err := purego.Dlsym(h, "Module_GetApi")
	if err != nil || sym == 0 {
		purego.Dlclose(h)
		return nil, wrap(ErrNoGetAPI)
	}
	api, err := cshim.CallGetAPI(sym)
	if err != nil {
		purego.Dlclose(h)
		return nil, wrap(err)
	}
	return &Library{loader: loaderName, module: module, path: path, handle: h, api: api}, nil
}

// AllowWorldWritableEnv names the environment variable that, set to 1, lets the
// gateway load modules from world-writable files or directories.
const AllowWorldWritableEnv = "GATEWAY_ALLOW_WORLD_WRITABLE"

// ErrWorldWritable is returned for a module that any local user could replace.
var ErrWorldWritable = errors.New("refusing to load code that any local user can replace")

// CheckNotWorldWritable refuses a library that is world-writable or sits in a
// world-writable directory without the sticky bit (where anyone could swap it),
// unless GATEWAY_ALLOW_WORLD_WRITABLE=1. See docs/security.md.
func CheckNotWorldWritable(path string) error {
	if os.Getenv(AllowWorldWritableEnv) == "1" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o002 != 0 {
		return fmt.Errorf("%w: the file is world-writable (chmod o-w, or set %s=1)", ErrWorldWritable, AllowWorldWritableEnv)
	}
	dir, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return err
	}
	if dir.Mode().Perm()&0o002 != 0 && dir.Mode()&os.ModeSticky == 0 {
		return fmt.Errorf("%w: its directory is world-writable (chmod o-w, or set %s=1)", ErrWorldWritable, AllowWorldWritableEnv)
	}
	return nil
}

// Library is a loaded native module library.
type Library struct {
	loader, module, path string
	handle               uintptr
	api                  cshim.NativeAPI

	mu     sync.Mutex
	closed bool
}

var _ loader.Library = (*Library)(nil)

// API returns the module's table.
func (lib *Library) API() cshim.NativeAPI { return lib.api }

// Create runs ParseConfigurationFromJson -> Module_Create -> FreeConfiguration.
func (lib *Library) Create(ctx loader.CreateContext) (loader.Instance, error) {
	name := cshim.NewCName(ctx.Module)
	h := lib.api.Create(ctx.Broker, ctx.Args, name)
	if h == 0 {
		cshim.FreeCName(name)
		return nil, fmt.Errorf("loader %q: module %q: Module_Create failed (returned NULL)", lib.loader, ctx.Module)
	}
	return NewInstance(lib.api, h, name), nil
}

// Close unloads the library.
func (lib *Library) Close() error {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	if lib.closed {
		return nil
	}
	lib.closed = true
	if err := purego.Dlclose(lib.handle); err != nil {
		return fmt.Errorf("loader %q: module %q: unloading %q: %w", lib.loader, lib.module, lib.path, err)
	}
	return nil
}

// Instance is a created native module.
type Instance struct {
	api  cshim.NativeAPI
	h    uintptr
	name cshim.CName
}

var _ loader.NativeModule = (*Instance)(nil)

// NewInstance wraps an existing module handle. name is owned by the instance
// (freed by Destroy).
func NewInstance(api cshim.NativeAPI, h uintptr, name cshim.CName) *Instance {
	return &Instance{api: api, h: h, name: name}
}

func (i *Instance) Handle() uintptr           { return i.h }
func (i *Instance) API() cshim.NativeAPI      { return i.api }
func (i *Instance) Start()                    { i.api.Start(i.h, i.name) }
func (i *Instance) Receive(m []cshim.Message) { i.api.Deliver(i.h, m, i.name) }

// Destroy calls Module_Destroy and frees the instance's name.
func (i *Instance) Destroy() {
	i.api.Destroy(i.h, i.name)
	cshim.FreeCName(i.name)
	i.name = nil
}
