package native

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWorldWritableModulesAreRefused(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "libm.so")
	if err := os.WriteFile(lib, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotWorldWritable(lib); err != nil {
		t.Fatalf("a private file is refused: %v", err)
	}
	if err := os.Chmod(lib, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotWorldWritable(lib); !errors.Is(err, ErrWorldWritable) {
		t.Fatalf("world-writable file accepted: %v", err)
	}
	_ = os.Chmod(lib, 0o644)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotWorldWritable(lib); !errors.Is(err, ErrWorldWritable) {
		t.Fatalf("file in a world-writable directory accepted: %v", err)
	}
	if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := CheckNotWorldWritable(lib); err != nil {
		t.Fatalf("a sticky directory (like /tmp) is refused: %v", err)
	}
	_ = os.Chmod(dir, 0o777)
	t.Setenv(AllowWorldWritableEnv, "1")
	if err := CheckNotWorldWritable(lib); err != nil {
		t.Fatalf("%s=1 does not allow it: %v", AllowWorldWritableEnv, err)
	}
	_ = os.Chmod(dir, 0o755)
}

func TestModulePathErrors(t *testing.T) {
	for in, want := range map[string]string{
		``:                    `missing "entrypoint"`,
		`{}`:                  `missing "module.path"`,
		`{"module.path": 3}`:  `must be a non-empty string`,
		`{"module.path": ""}`: `must be a non-empty string`,
	} {
		var ep []byte
		if in != "" {
			ep = []byte(in)
		}
		_, err := ModulePath(ep)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
	p, err := ModulePath([]byte(`{"module.path": "/x/liby.so"}`))
	if err != nil || p != "/x/liby.so" {
		t.Fatalf("%q %v", p, err)
	}
}
