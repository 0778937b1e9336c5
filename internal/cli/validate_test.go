package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/loader"
	_ "github.com/edgev1/gateway/loader/native"
)

// Two fake loader kinds: "checked" (a Checker that rejects {"bad": true}) and
// "unchecked" (no dry run).
func init() {
	loader.Register(fakeKind{"checked"})
	loader.Register(fakeKind{"unchecked"})
}

type fakeKind struct{ typ string }

func (k fakeKind) Type() string { return k.typ }
func (k fakeKind) New(name string, conf []byte) (loader.Loader, error) {
	if gjson.GetBytes(conf, "fail").Bool() {
		return nil, errors.New(`loader "` + name + `": configuration: fail is set`)
	}
	if k.typ == "checked" {
		return checkedLoader{fakeLoader{name, k.typ}}, nil
	}
	return fakeLoader{name, k.typ}, nil
}

type fakeLoader struct{ name, typ string }

func (l fakeLoader) Name() string { return l.name }
func (l fakeLoader) Type() string { return l.typ }
func (l fakeLoader) Load(string, []byte) (loader.Library, error) {
	return nil, errors.New("not for validate")
}

type checkedLoader struct{ fakeLoader }

func (l checkedLoader) Check(module string, ep []byte) error {
	if gjson.GetBytes(ep, "bad").Bool() {
		return errors.New(`loader "` + l.name + `": module "` + module + `": bad entry point`)
	}
	return nil
}

func TestValidateReportsEverything(t *testing.T) {
	cfg := `{
	  "loaders": [{"type": "checked", "name": "c"}, {"type": "unchecked", "name": "u"},
	              {"type": "cobol", "name": "x"}, {"type": "checked", "name": "broken", "configuration": {"fail": true}}],
	  "modules": [
	    {"name": "ok", "loader": {"name": "c", "entrypoint": {}}},
	    {"name": "bad", "loader": {"name": "c", "entrypoint": {"bad": true}}},
	    {"name": "nocheck", "loader": {"name": "u", "entrypoint": {}}},
	    {"name": "ok", "loader": {"name": "c", "entrypoint": {}}},
	    {"name": "lost", "loader": {"name": "nosuch", "entrypoint": {}}},
	    {"name": "nat", "loader": {"name": "native", "entrypoint": {"module.path": "/nonexistent/libx.so"}}},
	    {"name": "q", "loader": {"name": "c", "entrypoint": {}}, "queue": {"overflow": "explode"}},
	    {"name": "b2", "loader": {"name": "broken", "entrypoint": {}}}
	  ],
	  "links": [{"source": "ok", "sink": "nosuch"}],
	  "metrics": {"address": "nonsense"}
	}`
	findings, _ := Validate([]byte(cfg))
	type key struct{ path, module, loader, severity string }
	got := map[key]string{}
	for _, f := range findings {
		got[key{f.Path, f.Module, f.Loader, f.Severity}] = f.Message
	}
	want := map[key]string{
		{"modules[3].name", "ok", "c", "error"}:                     `duplicate module name "ok"`,
		{"modules[6].queue.overflow", "q", "c", "error"}:            "must be",
		{"links[0].sink", "", "", "error"}:                          `unknown module "nosuch"`,
		{"metrics.address", "", "", "error"}:                        "not a listen address",
		{"loaders[2].type", "", "x", "error"}:                       `unknown loader type "cobol"`,
		{"loaders[3].configuration", "", "broken", "error"}:         "fail is set",
		{"modules[1].loader.entrypoint", "bad", "c", "error"}:       `module "bad": bad entry point`,
		{"modules[2].loader.entrypoint", "nocheck", "u", "warning"}: "not checked",
		{"modules[4].loader.name", "lost", "nosuch", "error"}:       `module "lost": unknown loader "nosuch"`,
		{"modules[5].loader.entrypoint", "nat", "native", "error"}:  "no such file or directory",
		{"modules[7].loader.name", "b2", "broken", "warning"}:       "could not be configured",
	}
	for k, w := range want {
		msg, ok := got[k]
		require.True(t, ok, "missing %+v in %+v", k, findings)
		require.Contains(t, msg, w, "%+v", k)
	}
	require.Len(t, findings, len(want), "%+v", findings)
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
		return p
	}
	good := write("good.json", `{"loaders":[{"type":"unchecked","name":"u"},{"type":"checked","name":"checked"}],"modules":[
		{"name":"a","loader":{"name":"checked","entrypoint":{}}},
		{"name":"b","loader":{"name":"u","entrypoint":{}}}],
		"links":[{"source":"a","sink":"b"}], "metrics": {"address": "127.0.0.1:9464"}}`)
	syntax := write("syntax.json", "{\n  \"modules\": [,\n  \"links\": []\n}")

	cases := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"good", []string{good}, 0, []string{"modules[1].loader.entrypoint: warning: module \"b\": not checked", "OK: 2 modules, 1 link; 1 entry point dry-run, 1 not checked"}},
		{"syntax", []string{syntax}, 1, []string{"syntax.json:2:16: invalid JSON at line 2, column 16", "1 error, 0 warnings"}},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, 1, []string{"no such file or directory"}},
		{"usage", []string{}, 2, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runValidate(tc.args, &out, &errOut)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
			for _, c := range tc.contains {
				require.Contains(t, out.String(), c)
			}
		})
	}

	var out bytes.Buffer
	require.Equal(t, 1, runValidate([]string{"--json", syntax}, &out, &out))
	var fs []Finding
	require.NoError(t, json.Unmarshal(out.Bytes(), &fs), out.String())
	require.Len(t, fs, 1)
	require.Equal(t, 2, fs[0].Line)
	require.Equal(t, "error", fs[0].Severity)

	out.Reset()
	require.Equal(t, 0, runValidate([]string{"--json", good}, &out, &out))
	require.NoError(t, json.Unmarshal(out.Bytes(), &fs), out.String())
	require.Len(t, fs, 1) // the warning
	require.True(t, strings.HasPrefix(strings.TrimSpace(out.String()), "["))
	require.Contains(t, out.String(), `"path": "modules[1].loader.entrypoint"`)
}
