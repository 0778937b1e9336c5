package outprocess

import (
	"fmt"

	"github.com/edgev1/gateway/loader"
)

func init() { loader.Register(Kind{}) }

// Kind is the outprocess loader kind.
type Kind struct{}

var _ loader.Kind = Kind{}

func (Kind) Type() string { return loader.OutProcess }

// New configures an outprocess loader. Its configuration has no keys of its own ("binding.path" is accepted and
// ignored, as for every loader).
func (Kind) New(name string, configuration []byte) (loader.Loader, error) {
	if err := loader.CheckConfiguration(name, configuration); err != nil {
		return nil, err
	}
	return &Loader{name: name}, nil
}

// Loader creates out-of-process modules: proxy modules that talk to a remote module host over nanomsg pair
// sockets (SPEC section 4, docs/outprocess.md).
type Loader struct{ name string }

var (
	_ loader.Loader  = (*Loader)(nil)
	_ loader.Checker = (*Loader)(nil)
)

func (l *Loader) Name() string { return l.name }
func (l *Loader) Type() string { return loader.OutProcess }

// Load parses the entry point. Nothing is started before Create.
func (l *Loader) Load(module string, entrypoint []byte) (loader.Library, error) {
	ep, err := ParseEntrypoint(entrypoint)
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", l.name, module, err)
	}
	return &Library{loader: l.name, module: module, ep: ep}, nil
}

// Check validates the entry point.
func (l *Loader) Check(module string, entrypoint []byte) error {
	_, err := l.Load(module, entrypoint)
	return err
}

// Library is a parsed outprocess entry point.
type Library struct {
	loader, module string
	ep             *Entrypoint
}

var _ loader.Library = (*Library)(nil)

// Entrypoint returns the parsed entry point.
func (lib *Library) Entrypoint() *Entrypoint { return lib.ep }

// Create connects the channels, launches the remote for activation "launch", sends CREATE every "timeout" until
// the first REPLY (at most create.timeout.ms) and returns the proxy module. A REPLY other than 0, a launched child
// that exits first, or the deadline fail the creation with an error naming the module.
func (lib *Library) Create(ctx loader.CreateContext) (loader.Instance, error) {
	p, err := newProxy(lib, ctx)
	if err != nil {
		return nil, fmt.Errorf("loader %q: module %q: %w", lib.loader, ctx.Module, err)
	}
	return p, nil
}

// Close does nothing: the library holds no resources.
func (lib *Library) Close() error { return nil }
