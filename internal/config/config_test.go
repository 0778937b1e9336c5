package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
)

func TestParseSDKConfig(t *testing.T) {
	c, err := config.Parse([]byte(`{
	  "loaders": [{"type": "java", "name": "java", "configuration": {"jvm.options": {"version": 8}}},
	              {"type": "node", "name": "node2"}],
	  "modules": [
	    {"name": "logger", "loader": {"name": "native", "entrypoint": {"module.path": "liblogger.so"}}, "args": {"filename": "log.txt"}},
	    {"name": "hello", "loader": {"entrypoint": {"module.path": "libhello.so"}}, "args": null},
	    {"name": "noargs", "loader": {"name": "native", "entrypoint": {"module.path": "x.so"}}},
	    {"name": "oop", "loader": {"name": "outprocess", "entrypoint": {"activation.type": "none", "control.id": "c"}}, "args": "THIS IS THE OOP MODULE CONFIGURATION"}
	  ],
	  "links": [{"source": "hello", "sink": "logger"}, {"source": "*", "sink": "oop"}]
	}`))
	require.NoError(t, err)
	require.Len(t, c.Loaders, 2)
	require.JSONEq(t, `{"jvm.options":{"version":8}}`, string(c.Loaders[0].Configuration))
	require.Nil(t, c.Loaders[1].Configuration)
	require.Equal(t, "native", c.Modules[1].Loader, "loader.name defaults to native")
	require.Equal(t, `{"filename":"log.txt"}`, *c.Modules[0].Args)
	require.Equal(t, "null", *c.Modules[1].Args, `"args": null gives the string null`)
	require.Nil(t, c.Modules[2].Args, "absent args give NULL")
	require.Equal(t, `"THIS IS THE OOP MODULE CONFIGURATION"`, *c.Modules[3].Args, "a JSON string arrives with its quotes")
	require.Equal(t, []config.Link{{Source: "hello", Sink: "logger", Index: 0}, {Source: "*", Sink: "oop", Index: 1}}, c.Links)
}

func TestEmptyArraysAreValid(t *testing.T) {
	c, err := config.Parse([]byte(`{"modules": [], "links": []}`))
	require.NoError(t, err)
	require.Empty(t, c.Modules)
}

func TestEveryProblemIsReported(t *testing.T) {
	_, err := config.Parse([]byte(`{"modules": [{"name": "a"}, {"name": "a"}, {"name": "*"}, {}],
	  "links": [{"source": "a", "sink": "*"}, {"source": "x", "sink": "a"}, {"source": "a", "sink": "a"}, {"source": "a", "sink": "a"}]}`))
	var probs config.Errors
	require.True(t, errors.As(err, &probs))
	msg := err.Error()
	for _, want := range []string{
		`modules[1].name: duplicate module name "a"`,
		`modules[2].name: "*" is reserved`,
		`modules[3].name: missing`,
		`links[0].sink: "*" cannot be a sink`,
		`links[1].source: unknown module "x"`,
		`links[3]: duplicate link "a" -> "a"`,
	} {
		require.Contains(t, msg, want)
	}
	require.Len(t, probs, 6)
}

func TestSyntaxErrorsHaveLineAndColumn(t *testing.T) {
	_, err := config.Parse([]byte("{\n  \"modules\": [\n    {\"name\": }\n  ]\n}"))
	var se *config.SyntaxError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, 3, se.Line)
	require.ErrorIs(t, err, config.ErrSyntax)
}

func TestUpdateMayOmitArrays(t *testing.T) {
	c, err := config.ParseUpdate([]byte(`{"links": [{"source": "existing", "sink": "other"}]}`))
	require.NoError(t, err)
	require.Len(t, c.Links, 1)
}

// The compact re-serialization of args matches the module-facing C serializer
// byte for byte.
func TestCompactMatchesModuleSerializer(t *testing.T) {
	inputs := []string{
		`{"filename": "log.txt"}`, `null`, `true`, `"a/b \"q\" \\ \u0001 \t é 😀"`,
		`{"n": [0, -1, 1.5, 1e300, 123456789012, 0.1, -0.0, 2e-7, 9007199254740993]}`,
		`{"nested": {"a": [], "b": {}, "c": [{"d": null}]}}`, `[1, "x", false]`, `12`,
	}
	for _, in := range inputs {
		want, err := cshim.SerializeJSON(in)
		require.NoError(t, err, in)
		require.Equal(t, want, config.Compact(gjson.Parse(in)), in)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"modules":[{"name":"a","loader":{"name":"native","entrypoint":{"module.path":"x"}},"args":{"k":[1,2]}}],"links":[{"source":"*","sink":"a"}]}`))
	f.Add([]byte(`{"loaders":[{"type":"java","name":"j"}],"modules":[],"links":[]}`))
	f.Add([]byte(`{"modules":[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(data)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
		if err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatal("empty error")
		}
	})
}

func TestQueueSettings(t *testing.T) {
	mod := func(queue string) string {
		return `{"modules": [{"name": "m", "loader": {"name": "native", "entrypoint": {"module.path": "x.so"}}, "queue": ` + queue + `}], "links": []}`
	}
	c, err := config.Parse([]byte(mod(`{"capacity": 10, "overflow": "drop-oldest", "spin_us": 500}`)))
	require.NoError(t, err)
	require.Equal(t, config.Queue{Capacity: 10, Overflow: "drop-oldest", SpinUs: 500}, c.Modules[0].Queue)

	c, err = config.Parse([]byte(mod(`{"spin_us": 0}`)))
	require.NoError(t, err)
	require.Equal(t, -1, c.Modules[0].Queue.SpinUs, `"spin_us": 0 turns polling off`)

	c, err = config.Parse([]byte(mod(`{}`)))
	require.NoError(t, err)
	require.Zero(t, c.Modules[0].Queue.SpinUs, "unset: the broker's default")

	for _, bad := range []string{`{"spin_us": -1}`, `{"spin_us": 1.5}`, `{"spin_us": "100"}`, `{"spin_us": 10001}`} {
		_, err := config.Parse([]byte(mod(bad)))
		require.ErrorContains(t, err, "modules[0].queue.spin_us: must be an integer from 0 to 10000", bad)
	}
}
