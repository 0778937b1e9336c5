package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// requiredSymbols reads cshim/exports.txt.
func requiredSymbols(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("../cshim/exports.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	req := map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		for _, s := range strings.Fields(line) {
			req[s] = section
		}
	}
	return req
}

// Every symbol of the SDK's compatibility surface is exported by libgateway.so.
func TestExportedSymbols(t *testing.T) {
	out, err := exec.Command("nm", "-D", "--defined-only", filepath.Join(buildDir, "libgateway.so")).Output()
	if err != nil {
		t.Fatalf("nm: %v", err)
	}
	have := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && (f[1] == "T" || f[1] == "D" || f[1] == "B" || f[1] == "R") {
			have[f[2]] = true
		}
	}
	req := requiredSymbols(t)
	if len(req) < 280 {
		t.Fatalf("exports.txt lists only %d symbols", len(req))
	}
	missing := 0
	for s, sec := range req {
		if !have[s] {
			missing++
			t.Errorf("libgateway.so does not export %s (%s)", s, sec)
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d required symbols missing", missing, len(req))
	}
}

// Stock-module-like binaries need nothing but libgateway.so and libc.
func TestModuleNeeded(t *testing.T) {
	for _, m := range []string{"hello_world", "logger"} {
		out, err := exec.Command("readelf", "-d", module(m)).Output()
		if err != nil {
			t.Fatal(err)
		}
		var needed []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "(NEEDED)") {
				needed = append(needed, line[strings.Index(line, "[")+1:strings.Index(line, "]")])
			}
		}
		if strings.Join(needed, " ") != "libgateway.so libc.so.6" {
			t.Errorf("lib%s.so NEEDED %v", m, needed)
		}
	}
}
