package node

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These run before the tests that start Node (files run in name order): TestBadLibnode
// then sees a process without Node.

// A libnode that cannot be loaded fails Create with an error naming the module and the
// library, and does not spoil the process's Node for a correct one.
func TestBadLibnode(t *testing.T) {
	needNode(t)
	bad := filepath.Join(t.TempDir(), "libnode.so.108")
	if err := os.WriteFile(bad, []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if Running() {
		// Node already runs (another test started it): the running instance is reused,
		// whatever libnode.path says. Only the lookup error can be checked here.
		l, _ := Kind{}.New("node", []byte(`{"libnode.path": "/nonexistent/libnode.so.108"}`))
		lib, err := l.Load("m", entry(testdata("echo.js")))
		if err != nil {
			t.Fatal(err)
		}
		_, err = lib.Create(loaderCtx("m"))
		if err == nil || !strings.Contains(err.Error(), `"libnode.path"`) || !strings.Contains(err.Error(), `module "m"`) {
			t.Fatalf("error = %v", err)
		}
		return
	}
	l, _ := Kind{}.New("node", []byte(fmt.Sprintf(`{"libnode.path": %q}`, bad)))
	lib, err := l.Load("m", entry(testdata("echo.js")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = lib.Create(loaderCtx("m"))
	if err == nil || !strings.Contains(err.Error(), "loading libnode") || !strings.Contains(err.Error(), `module "m"`) {
		t.Fatalf("error = %v", err)
	}
}

func TestFindLibnode(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "usr", "lib", "x86_64-linux-gnu", "libnode.so.108")
	if err := os.MkdirAll(filepath.Dir(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GATEWAY_LIBNODE", "")
	t.Setenv("GATEWAY_DEPS", filepath.Dir(dir)) // <deps>/libnode must be dir itself
	if err := os.Rename(dir, filepath.Join(filepath.Dir(dir), "libnode")); err != nil {
		t.Skip("cannot arrange a deps folder:", err)
	}
	defer os.Rename(filepath.Join(filepath.Dir(dir), "libnode"), dir)
	got, err := FindLibnode("")
	if err != nil || got != filepath.Join(filepath.Dir(dir), "libnode", "usr", "lib", "x86_64-linux-gnu", "libnode.so.108") {
		t.Fatalf("GATEWAY_DEPS: got %q, %v", got, err)
	}
	t.Setenv("GATEWAY_LIBNODE", filepath.Join(dir, "missing.so"))
	if _, err := FindLibnode(""); err == nil || !strings.Contains(err.Error(), "GATEWAY_LIBNODE") {
		t.Fatalf("missing GATEWAY_LIBNODE: err = %v", err)
	}
	if _, err := FindLibnode(filepath.Join(dir, "also-missing.so")); err == nil || !strings.Contains(err.Error(), "libnode.path") {
		t.Fatalf("missing libnode.path: err = %v", err)
	}
}

func TestSonameMajor(t *testing.T) {
	for p, want := range map[string]int{
		"/usr/lib/x86_64-linux-gnu/libnode.so.108": 108,
		"/usr/lib/libnode.so.72":                   72,
		"/usr/lib/libnode.so.109.0.1":              109,
		"/usr/lib/libnode.so":                      0,
		"/usr/lib/libnode.so.x":                    0,
	} {
		if got := sonameMajor(p); got != want {
			t.Errorf("sonameMajor(%q) = %d, want %d", p, got, want)
		}
	}
}
