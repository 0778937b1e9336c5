package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every configuration failure exits 1 with one line naming what is wrong and where.
func TestConfigErrors(t *testing.T) {
	hello := nativeModule("hello", "hello_world", nil)
	notALib := filepath.Join(t.TempDir(), "libnotalib.so")
	if err := os.WriteFile(notALib, []byte(strings.Repeat("not an ELF file\n", 256)), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  any // string: raw JSON
		want []string
	}{
		{"invalid JSON", "{\n  \"modules\": [,\n  \"links\": []\n}", []string{"invalid JSON at line 2, column"}},
		{"missing modules", `{"links": []}`, []string{"modules: missing"}},
		{"missing links", `{"modules": []}`, []string{"links: missing"}},
		{"modules not an array", `{"modules": {}, "links": []}`, []string{"modules: must be an array"}},
		{"duplicate module", config([]map[string]any{hello, hello}, nil), []string{"modules[1].name", `duplicate module name "hello"`}},
		{"module named star", config([]map[string]any{nativeModule("*", "hello_world", nil)}, nil), []string{"modules[0].name", `"*" is reserved`}},
		{"module without name", `{"modules":[{"loader":{"name":"native","entrypoint":{"module.path":"x"}}}],"links":[]}`, []string{"modules[0].name: missing"}},
		{"link to unknown module", config([]map[string]any{hello}, []map[string]any{link("hello", "nosuch")}), []string{"links[0].sink", `unknown module "nosuch"`}},
		{"link from unknown module", config([]map[string]any{hello}, []map[string]any{link("nosuch", "hello")}), []string{"links[0].source", `unknown module "nosuch"`}},
		{"star as sink", config([]map[string]any{hello}, []map[string]any{link("hello", "*")}), []string{"links[0].sink", `"*" cannot be a sink`}},
		{"duplicate link", config([]map[string]any{hello}, []map[string]any{link("hello", "hello"), link("hello", "hello")}), []string{"links[1]", "duplicate link"}},
		{"unknown loader name", `{"modules":[{"name":"m","loader":{"name":"nosuch","entrypoint":{}}}],"links":[]}`, []string{`module "m"`, `unknown loader "nosuch"`}},
		{"unknown loader type", `{"loaders":[{"type":"cobol","name":"c"}],"modules":[],"links":[]}`, []string{`loaders[0]`, `unknown loader type "cobol"`}},
		{"missing entrypoint", `{"modules":[{"name":"m","loader":{"name":"native"}}],"links":[]}`, []string{`module "m"`, `missing "entrypoint"`}},
		{"missing module.path", `{"modules":[{"name":"m","loader":{"name":"native","entrypoint":{}}}],"links":[]}`, []string{`module "m"`, `missing "module.path"`}},
		{"library not found", config([]map[string]any{{"name": "m", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": "/nonexistent/libm.so"}}}}, nil), []string{`module "m"`, "/nonexistent/libm.so", "no such file or directory"}},
		{"not a library", config([]map[string]any{{"name": "m", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": notALib}}}}, nil), []string{`module "m"`, "cannot load library", "invalid ELF header"}},
		{"no Module_GetApi", config([]map[string]any{nativeModule("m", "no_getapi", nil)}, nil), []string{`module "m"`, "does not export Module_GetApi"}},
		{"bad API version", config([]map[string]any{nativeModule("m", "bad_api_version", nil)}, nil), []string{`module "m"`, "unsupported module API version"}},
		{"NULL Module_Receive", config([]map[string]any{nativeModule("m", "null_receive", nil)}, nil), []string{`module "m"`, "Module_Receive is NULL"}},
		{"Module_Create fails", config([]map[string]any{hello, nativeModule("m", "fail_create", nil)}, nil), []string{`module "m"`, "Module_Create failed"}},
		{"java class.path missing", `{"modules":[{"name":"j","loader":{"name":"java","entrypoint":{"class.name":"X","class.path":"/nonexistent/x.jar"}}}],"links":[]}`, []string{`module "j"`, "class.path", "/nonexistent/x.jar"}},
		{"bad queue policy", config([]map[string]any{{"name": "m", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": module("echo")}}, "queue": map[string]any{"overflow": "explode"}}}, nil), []string{"modules[0].queue.overflow"}},
		{"bad queue spin", config([]map[string]any{{"name": "m", "loader": map[string]any{"name": "native", "entrypoint": map[string]any{"module.path": module("echo")}}, "queue": map[string]any{"spin_us": -5}}}, nil), []string{"modules[0].queue.spin_us: must be an integer from 0 to 10000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := gateway(t, dir, tc.cfg)
			code := p.wait(20 * time.Second)
			if code != 1 {
				t.Fatalf("exit code %d, want 1", code)
			}
			stderr := p.stderr.String()
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "gateway: ") {
				t.Fatalf("last stderr line is not the reason: %q", last)
			}
			for _, w := range tc.want {
				contains(t, last, w, "error line")
			}
			if strings.Contains(p.stdout.String(), "successfully created") {
				t.Fatal("claimed success")
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		p := start(t, t.TempDir(), filepath.Join(buildDir, "gateway"), "/nonexistent/config.json")
		if code := p.wait(10 * time.Second); code != 1 {
			t.Fatalf("exit code %d", code)
		}
		contains(t, p.stderr.String(), "/nonexistent/config.json: no such file or directory", "stderr")
	})
}
