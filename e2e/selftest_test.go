package e2e

import (
	"path/filepath"
	"testing"
	"time"
)

// After the JVM and Node.js are started inside the gateway (each installs signal
// handlers of its own), a nil dereference in Go code is still a recoverable panic,
// with the crash reporter of libgateway.so in the chain too.
func TestGoFaultsRecoveredAfterRuntimesStart(t *testing.T) {
	root, _ := filepath.Abs("..")
	java := func(name, class string) map[string]any {
		return map[string]any{"name": name, "loader": map[string]any{"name": "java", "entrypoint": map[string]any{
			"class.name": class, "class.path": filepath.Join(buildDir, "java", "gateway-java-samples.jar")}}}
	}
	node := func(name, file string) map[string]any {
		return map[string]any{"name": name, "loader": map[string]any{"name": "node", "entrypoint": map[string]any{
			"main.path": filepath.Join(root, "bindings", "node", "samples", file)}}}
	}
	cases := map[string][]map[string]any{
		"java":          {java("jprinter", "com.edgev1.gateway.sample.Printer")},
		"node":          {node("nprinter", "printer.js")},
		"java and node": {java("jprinter", "com.edgev1.gateway.sample.Printer"), node("nprinter", "printer.js"), nativeModule("hello", "hello_world", nil)},
	}
	for name, mods := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var links []map[string]any
			if len(mods) == 3 {
				links = []map[string]any{link("hello", "jprinter"), link("hello", "nprinter")}
			}
			path := writeJSON(t, dir, "config.json", config(mods, links))
			p := start(t, dir, filepath.Join(buildDir, "gateway"), "selftest", path)
			if code := p.wait(60 * time.Second); code != 0 {
				t.Fatalf("exit code %d", code)
			}
			contains(t, p.stdout.String(), "a nil dereference in Go code was recovered", "selftest output")
		})
	}
}
