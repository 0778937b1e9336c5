// Package loader defines module loaders: the registry of loader kinds (native, java,
// node, dotnet, dotnetcore, outprocess) and the lifecycle every kind implements.
//
// The lifecycle follows the SDK's (seed "module loaders"): a loader is configured from
// its "configuration" JSON; for each module it parses the entry point and loads the
// module's code (Load -> Library); the Library creates instances from the module's
// args (Create -> Instance: parse configuration, build module configuration, create,
// free the parsed configuration); instances are started, receive messages, and are
// destroyed; the Library is closed (unloaded) after its last instance.
package loader

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
)

// Loader types, as written in the "type" of a "loaders" entry. The default loader of
// each type has the type as its name.
const (
	Native     = "native"
	Java       = "java"
	Node       = "node"
	DotNet     = "dotnet"
	DotNetCore = "dotnetcore"
	OutProcess = "outprocess"
)

// DefaultTypes lists the default loaders in the SDK's order.
var DefaultTypes = []string{Native, Java, Node, DotNet, DotNetCore, OutProcess}

// ErrUnsupported is wrapped by loaders whose runtime is not available in this build.
var ErrUnsupported = errors.New("not supported by this build")

// Kind is one loader implementation. Kinds register themselves with Register.
type Kind interface {
	// Type is the loader type ("native", "java", ...).
	Type() string
	// New configures a loader called name from its "configuration" JSON (nil when
	// the entry has none). Errors name the key at fault.
	New(name string, configuration []byte) (Loader, error)
}

// Loader is a configured loader.
type Loader interface {
	Name() string
	Type() string
	// Load parses a module's "entrypoint" JSON (nil when absent) and loads its code.
	// module is the module's name, for errors and logs.
	Load(module string, entrypoint []byte) (Library, error)
}

// Checker is implemented by loaders that can check a module without creating it
// (gateway validate).
type Checker interface {
	Check(module string, entrypoint []byte) error
}

// Library is a module's loaded code.
type Library interface {
	// Create makes one instance. Errors name the module.
	Create(ctx CreateContext) (Instance, error)
	// Close unloads the code; no instance may be alive.
	Close() error
}

// CreateContext is what a module instance is created with.
type CreateContext struct {
	// Module is the module's name.
	Module string
	// Args is the module's "args" as compact JSON, or nil when "args" is absent.
	Args *string
	// Broker is the BROKER_HANDLE given to native code.
	Broker uintptr
	// Endpoint is the module's place in the broker; Go-side modules publish with
	// Endpoint.Publish.
	Endpoint *broker.Endpoint
	// Log is the module's logger (carries the module name).
	Log *slog.Logger
}

// Instance is a created module.
type Instance interface {
	broker.Sink
	// Start tells the module the gateway is ready (Module_Start).
	Start()
	// Destroy destroys the instance (Module_Destroy). Receive is not called after.
	Destroy()
}

// Handled is implemented by instances that have a native MODULE_HANDLE: the value
// native code passes as the source of Broker_Publish.
type Handled interface {
	Handle() uintptr
}

// Supervised is implemented by instances whose module runs outside the gateway
// process (the outprocess loader), for metrics: how many times the remote side was
// restarted or reconnected since Create, and whether it is connected now. Both must be
// cheap and safe to call from any goroutine at any time until Destroy returns.
type Supervised interface {
	Restarts() uint64
	Connected() bool
}

// Aborter is implemented by instances whose Receive may wait for something outside
// the process (an out-of-process proxy waiting for its remote). Abort tells them the
// module is going away: from then on Receive delivers what it can and drops, counting
// them, the messages it cannot, instead of waiting. Called before a module is removed
// and when the gateway is destroyed.
type Aborter interface {
	Abort()
}

// NativeModule is implemented by instances backed by a C MODULE_API table (native
// modules), for callers that need the table itself (the C broker API, GetModuleList).
type NativeModule interface {
	Handled
	API() cshim.NativeAPI
}

var (
	regMu sync.RWMutex
	kinds = map[string]Kind{}
)

// Register adds a loader kind. It panics on a duplicate type (a programming error at
// init time).
func Register(k Kind) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := kinds[k.Type()]; dup {
		panic("loader: kind registered twice: " + k.Type())
	}
	kinds[k.Type()] = k
}

// Lookup returns the kind of a loader type.
func Lookup(typ string) (Kind, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	k, ok := kinds[typ]
	return k, ok
}

// Types returns the registered types, sorted.
func Types() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	var out []string
	for t := range kinds {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Unavailable is a Kind for a loader type whose runtime is not part of this build:
// it can be configured (so configs that name it parse) but every Load fails with an
// error naming the module and what is missing.
type Unavailable struct {
	TypeName string
	// Why says what is missing, e.g. "Java modules need the JVM binding (bindings/jvm)".
	Why string
}

func (u Unavailable) Type() string { return u.TypeName }

func (u Unavailable) New(name string, _ []byte) (Loader, error) {
	return unavailableLoader{name: name, u: u}, nil
}

type unavailableLoader struct {
	name string
	u    Unavailable
}

func (l unavailableLoader) Name() string { return l.name }
func (l unavailableLoader) Type() string { return l.u.TypeName }
func (l unavailableLoader) Load(module string, _ []byte) (Library, error) {
	return nil, fmt.Errorf("loader %q: module %q: %w: %s", l.name, module, ErrUnsupported, l.u.Why)
}
func (l unavailableLoader) Check(module string, ep []byte) error {
	_, err := l.Load(module, ep)
	return err
}

// CheckConfiguration returns an error naming the loader when its "configuration"
// (nil when absent) is not valid JSON. Kinds call it first in New.
func CheckConfiguration(name string, configuration []byte) error {
	if configuration != nil && !gjson.ValidBytes(configuration) {
		return fmt.Errorf("loader %q: configuration: invalid JSON", name)
	}
	return nil
}
