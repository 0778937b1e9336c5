package node

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Node hosted from inside a c-shared library (the shape of libgateway.so): a thin C host
// calls into the library, which runs a JS round trip, recovers a Go nil dereference and
// receives SIGTERM through signal.Notify; the host then returns from main, so exit()
// runs the bridge's atexit shutdown and libnode's destructors. Builds a library: skipped
// with -short.
func TestInsideCSharedLibrary(t *testing.T) {
	needNode(t)
	if testing.Short() {
		t.Skip("builds a c-shared library; run without -short")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "libprobe.so")
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", lib, "./testdata/cshared")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -buildmode=c-shared: %v\n%s", err, out)
	}
	host := filepath.Join(dir, "host")
	if out, err := exec.Command(gcc, "-o", host, "testdata/cshared/host.c", "-L"+dir, "-lprobe", "-Wl,-rpath,"+dir).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	cmd := exec.Command(host, testdata(""))
	cmd.Env = append(os.Environ(), "GATEWAY_LIBNODE="+libnodePath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("host: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "probe: ok") || !strings.Contains(string(out), "host: returning 0 from main") {
		t.Fatalf("host output:\n%s", out)
	}
}
