package dotnet

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgev1/gateway/loader"
)

func fakeFxr(t *testing.T, root string, versions ...string) {
	t.Helper()
	for _, v := range versions {
		d := filepath.Join(root, "host", "fxr", v)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "libhostfxr.so"), []byte("not really"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFindHostFxr(t *testing.T) {
	empty := t.TempDir()
	a := t.TempDir()
	fakeFxr(t, a, "2.0.9", "10.0.1", "3.1.32", "10.0.1-preview.1")
	if err := os.MkdirAll(filepath.Join(a, "host", "fxr", "99.0.0"), 0o755); err != nil { // no library inside
		t.Fatal(err)
	}
	b := t.TempDir()
	fakeFxr(t, b, "6.0.0")

	got, err := FindHostFxr([]string{empty, a, b})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(a, "host", "fxr", "10.0.1", "libhostfxr.so"); got != want {
		t.Errorf("FindHostFxr = %s, want %s", got, want)
	}
	_, err = FindHostFxr([]string{empty, "/no/such/dir"})
	if !errors.Is(err, ErrNoCoreRuntime) || !strings.Contains(err.Error(), "no .NET Core runtime found: looked in ["+empty+" /no/such/dir]") {
		t.Errorf("error = %v", err)
	}
}

func TestCoreRoots(t *testing.T) {
	t.Setenv("DOTNET_ROOT", "/opt/dn")
	if got := CoreRoots("/cfg"); strings.Join(got, ",") != "/cfg,/opt/dn,/usr/share/dotnet,/usr/lib/dotnet" {
		t.Errorf("CoreRoots = %v", got)
	}
	t.Setenv("DOTNET_ROOT", "")
	if got := CoreRoots(""); strings.Join(got, ",") != "/usr/share/dotnet,/usr/lib/dotnet" {
		t.Errorf("CoreRoots = %v", got)
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{
		{"2.0.9", "10.0.1", true},
		{"10.0.1", "2.0.9", false},
		{"3.1", "3.1.0", false},
		{"6.0.0-rc.1", "6.0.0", true},
		{"6.0.0", "6.0.0-rc.1", false},
		{"1.2.3", "1.2.3", false},
	} {
		if got := versionLess(c.a, c.b); got != c.less {
			t.Errorf("versionLess(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestDotnetCoreLoader(t *testing.T) {
	asmDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(asmDir, "Mod.dll"), []byte("MZ"), 0o644); err != nil {
		t.Fatal(err)
	}
	k, ok := loader.Lookup(loader.DotNetCore)
	if !ok {
		t.Fatal("dotnetcore kind not registered")
	}
	ep := []byte(`{"assembly.name": "Mod", "entry.type": "Mod.Module"}`)
	noRoot := t.TempDir()
	t.Setenv("DOTNET_ROOT", "")

	// No runtime: the error says so and where it looked.
	l, err := k.New("core", []byte(`{"dotnet.root": "`+noRoot+`", "assembly.path": "`+asmDir+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Load("m", ep)
	if !errors.Is(err, ErrNoCoreRuntime) || !strings.Contains(err.Error(), `loader "core": module "m": no .NET Core runtime found: looked in [`+noRoot) {
		t.Errorf("Load without a runtime: %v", err)
	}
	if err := l.(loader.Checker).Check("m", ep); !errors.Is(err, ErrNoCoreRuntime) {
		t.Errorf("Check without a runtime: %v", err)
	}

	// A runtime found through DOTNET_ROOT: this build cannot host it, and says which.
	root := t.TempDir()
	fakeFxr(t, root, "8.0.4")
	t.Setenv("DOTNET_ROOT", root)
	l, err = k.New("dotnetcore", []byte(`{"assembly.path": ["`+asmDir+`"]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Load("m", ep)
	if !errors.Is(err, ErrCoreHosting) || !strings.Contains(err.Error(), filepath.Join(root, "host/fxr/8.0.4/libhostfxr.so")) {
		t.Errorf("Load with a runtime: %v", err)
	}

	// Entry point and assembly errors come first.
	for _, c := range []struct{ ep, want string }{
		{`{"entry.type": "X"}`, `missing "assembly.name"`},
		{`{"assembly.name": "Nope", "entry.type": "X"}`, `assembly.name "Nope": not found in [` + asmDir},
	} {
		if _, err := l.Load("m", []byte(c.ep)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%s): %v, want %q", c.ep, err, c.want)
		}
	}
	if _, err := k.New("core", []byte(`{"dotnet.root": 5}`)); err == nil || !strings.Contains(err.Error(), `"dotnet.root" must be a non-empty string`) {
		t.Errorf("bad dotnet.root: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct{ cfg, want string }{
		{`{`, "not valid JSON"},
		{`[1]`, "must be an object"},
		{`{"binding.path": 1}`, `"binding.path" must be a non-empty string`},
		{`{"assembly.path": 1}`, `"assembly.path" must be a string or an array`},
		{`{"assembly.path": ["a", 2]}`, `"assembly.path" must be a string or an array`},
		{`{"runtime.path": ""}`, `"runtime.path" must be a non-empty string`},
		{`{"unhandled.exceptions": "ignore"}`, `"unhandled.exceptions" must be "log" or "terminate"`},
	} {
		_, err := Kind{}.New("dn", []byte(c.cfg))
		if err == nil || !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), `loader "dn": configuration: `) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%s): %v, want %q", c.cfg, err, c.want)
		}
	}
	for _, ok := range []string{``, `null`, `{}`, `{"assembly.path": "x", "binding.path": "/b", "unhandled.exceptions": "terminate"}`} {
		if _, err := (Kind{}).New("dn", []byte(ok)); err != nil {
			t.Errorf("New(%s): %v", ok, err)
		}
	}

	// Files the loader resolves at Load.
	asmDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(asmDir, "Mod.dll"), []byte("MZ"), 0o644); err != nil {
		t.Fatal(err)
	}
	ep := []byte(`{"assembly.name": "Mod", "entry.type": "Mod.Module"}`)
	for _, c := range []struct{ cfg, want string }{
		{`{"assembly.path": "` + asmDir + `", "binding.path": "/no/binding.dll"}`, `loader "dn": module "m": binding.path: not found: /no/binding.dll`},
		{`{"assembly.path": "` + asmDir + `", "runtime.path": "/no/libmono.so"}`, `module "m": runtime.path: not found: /no/libmono.so`},
		{`{"assembly.path": "` + asmDir + `", "binding.path": "` + asmDir + `"}`, `binding.path: not found: ` + filepath.Join(asmDir, BindingAssembly)},
	} {
		l, err := Kind{}.New("dn", []byte(c.cfg))
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.Load("m", ep)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load with %s: %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestFindAssembly(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, f := range []string{filepath.Join(a, "One.dll"), filepath.Join(b, "One.dll"), filepath.Join(b, "Two.exe"), filepath.Join(b, "sub", "Three.dll")} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("MZ"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dirs := []string{a, b}
	for _, c := range []struct{ name, want string }{
		{"One", filepath.Join(a, "One.dll")}, // first directory wins
		{"Two", filepath.Join(b, "Two.exe")},
		{"sub/Three.dll", filepath.Join(b, "sub", "Three.dll")},
		{"One.dll", filepath.Join(a, "One.dll")},
		{filepath.Join(b, "One.dll"), filepath.Join(b, "One.dll")},
	} {
		got, err := findAssembly(c.name, dirs)
		if err != nil || got != c.want {
			t.Errorf("findAssembly(%s) = %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	if _, err := findAssembly("Four", dirs); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "(looked for Four.dll, Four.exe)") {
		t.Errorf("missing: %v", err)
	}
}
