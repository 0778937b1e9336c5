package dotnet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/edgev1/gateway/loader"
)

// CoreKind is the "dotnetcore" loader kind. It parses the same entry point as
// "dotnet" and discovers a .NET Core runtime (hostfxr). Hosting CoreCLR is not part of
// this build (no CoreCLR can be installed where it is developed): Load fails with an
// error that says whether a runtime was found and where it looked. Use the "dotnet"
// (Mono) loader for net4x assemblies.
type CoreKind struct{}

var _ loader.Kind = CoreKind{}

func (CoreKind) Type() string { return loader.DotNetCore }

// Configuration key of a dotnetcore loader: the .NET root (the directory holding
// host/fxr/<version>/libhostfxr.so). "binding.path" and "assembly.path" are accepted
// as for dotnet.
const KeyDotnetRoot = "dotnet.root"

// ErrNoCoreRuntime is wrapped when no hostfxr is found.
var ErrNoCoreRuntime = errors.New("no .NET Core runtime found")

// ErrCoreHosting is wrapped when a runtime is found but this build cannot host it.
var ErrCoreHosting = errors.New(".NET Core hosting is not implemented in this build")

// New configures a dotnetcore loader.
func (CoreKind) New(name string, configuration []byte) (loader.Loader, error) {
	cfg, err := parseConfig(configuration)
	if err != nil {
		return nil, fmt.Errorf("loader %q: configuration: %w", name, err)
	}
	root := ""
	if len(configuration) > 0 {
		if root, err = optString(configuration, KeyDotnetRoot); err != nil {
			return nil, fmt.Errorf("loader %q: configuration: %w", name, err)
		}
	}
	return &CoreLoader{name: name, cfg: cfg, root: root}, nil
}

// CoreLoader is a configured dotnetcore loader.
type CoreLoader struct {
	name string
	cfg  config
	root string
}

var (
	_ loader.Loader  = (*CoreLoader)(nil)
	_ loader.Checker = (*CoreLoader)(nil)
)

func (l *CoreLoader) Name() string { return l.name }
func (l *CoreLoader) Type() string { return loader.DotNetCore }

// CoreRoots returns the directories searched for a .NET root, in order: the
// configured root, $DOTNET_ROOT, /usr/share/dotnet, /usr/lib/dotnet.
func CoreRoots(configured string) []string {
	var roots []string
	for _, r := range []string{configured, os.Getenv("DOTNET_ROOT"), "/usr/share/dotnet", "/usr/lib/dotnet"} {
		if r != "" && !contains(roots, r) {
			roots = append(roots, r)
		}
	}
	return roots
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// FindHostFxr returns the newest host/fxr/<version>/libhostfxr.so under the first root
// that has one.
func FindHostFxr(roots []string) (string, error) {
	for _, r := range roots {
		dir := filepath.Join(r, "host", "fxr")
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		var vers []string
		for _, e := range ents {
			if e.IsDir() && isFile(filepath.Join(dir, e.Name(), "libhostfxr.so")) {
				vers = append(vers, e.Name())
			}
		}
		if len(vers) == 0 {
			continue
		}
		sort.Slice(vers, func(i, j int) bool { return versionLess(vers[j], vers[i]) })
		return filepath.Join(dir, vers[0], "libhostfxr.so"), nil
	}
	return "", fmt.Errorf("%w: looked in %v for host/fxr/<version>/libhostfxr.so (install the .NET runtime, or set %q or DOTNET_ROOT)",
		ErrNoCoreRuntime, roots, KeyDotnetRoot)
}

// versionLess orders dotted versions numerically ("2.0.9" < "10.0.1"); a prerelease
// suffix sorts before the release.
func versionLess(a, b string) bool {
	pa, sa, _ := strings.Cut(a, "-")
	pb, sb, _ := strings.Cut(b, "-")
	xa, xb := strings.Split(pa, "."), strings.Split(pb, ".")
	for i := 0; i < len(xa) || i < len(xb); i++ {
		var na, nb int
		if i < len(xa) {
			na, _ = strconv.Atoi(xa[i])
		}
		if i < len(xb) {
			nb, _ = strconv.Atoi(xb[i])
		}
		if na != nb {
			return na < nb
		}
	}
	if (sa == "") != (sb == "") {
		return sa != ""
	}
	return sa < sb
}

// Load validates the entry point, resolves the assembly and discovers the runtime; it
// then fails: this build cannot host CoreCLR.
func (l *CoreLoader) Load(module string, entrypoint []byte) (loader.Library, error) {
	fail := func(err error) error { return fmt.Errorf("loader %q: module %q: %w", l.name, module, err) }
	e, err := parseEntry(entrypoint)
	if err != nil {
		return nil, fail(err)
	}
	if _, err := findAssembly(e.assemblyName, l.cfg.searchDirs()); err != nil {
		return nil, fail(fmt.Errorf("%s %q: %w", KeyAssemblyName, e.assemblyName, err))
	}
	fxr, err := FindHostFxr(CoreRoots(l.root))
	if err != nil {
		return nil, fail(err)
	}
	return nil, fail(fmt.Errorf("%w (found %s); run net4x builds of the module with the \"dotnet\" (Mono) loader", ErrCoreHosting, fxr))
}

// Check runs Load's checks.
func (l *CoreLoader) Check(module string, entrypoint []byte) error {
	_, err := l.Load(module, entrypoint)
	return err
}
