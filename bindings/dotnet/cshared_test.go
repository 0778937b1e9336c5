package dotnet

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCSharedStress runs the stress load inside a c-shared library loaded by a C
// program (testdata/cshared), the shape of libgateway.so under a legacy host: the
// runtime's threads publish through the binding while managed and Go collections run.
// It must finish without hanging or aborting ("prematurely finalized"), and a Go nil
// dereference must still be recovered. 1.45M messages, 5-10 s. Skipped with -short (it builds a library).
func TestCSharedStress(t *testing.T) {
	needMono(t)
	if testing.Short() {
		t.Skip("builds a c-shared library and runs ~10 s of load; run without -short")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "libstress.so")
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", lib, "./testdata/cshared")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the library: %v\n%s", err, out)
	}
	host := filepath.Join(dir, "host")
	cc := exec.Command(gcc, "-o", host, "testdata/cshared/host.c", "-L"+dir, "-lstress", "-Wl,-rpath,"+dir)
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("building the host: %v\n%s", err, out)
	}
	run := exec.Command(host, testDir, "600000", "50000", "100000")
	run.Env = os.Environ()
	out, err := runWithTimeout(run, 5*60)
	t.Logf("%s", strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("host: %v", err)
	}
	if !strings.HasPrefix(string(out), "ok: ") {
		t.Fatalf("unexpected output")
	}
}
