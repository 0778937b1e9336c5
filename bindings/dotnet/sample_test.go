package dotnet

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	gwconfig "github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
)

// The sample configuration runs through the gateway (with the assemblies of this test
// run in place of build/dotnet): the sensor publishes once started and the printer
// receives.
func TestSampleConfig(t *testing.T) {
	needMono(t)
	data, err := os.ReadFile("../../samples/dotnet_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	js := strings.ReplaceAll(string(data), `"build/dotnet"`, `"`+testDir+`"`)
	js = strings.Replace(js, `"interval.ms": 1000`, `"interval.ms": 5`, 1)
	cfg, err := gwconfig.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.FromConfig(cfg, gateway.Options{Log: slog.New(slog.NewTextHandler(testLog, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := g.Destroy(); err != nil {
			t.Error(err)
		}
	}()
	if err := g.Start(); err != nil {
		t.Fatal(err)
	}
	printer := g.Module("printer")
	deadline := time.Now().Add(20 * time.Second)
	for printer.Endpoint.Stats().Received < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("printer received %d messages", printer.Endpoint.Stats().Received)
		}
		runtimeYield()
	}
}
