package dotnet

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// After the CLR has started, SIGINT and SIGTERM still reach Go's signal.Notify (the
// gateway's clean shutdown depends on it). Runs in a helper process: if the runtime
// took the signal, it would end that process, not the test binary.
func TestShutdownSignalsAfterCLR(t *testing.T) {
	needMono(t)
	if os.Getenv("DOTNET_HELPER_SIGNALS") != "" {
		h := newHarness(t)
		h.mustDotnet("echo", "TestModules.Echo", nil)
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, sig)
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-ch:
				os.Stdout.WriteString("HELPER: got " + got.String() + "\n")
			case <-time.After(10 * time.Second):
				t.Fatalf("%v did not reach signal.Notify", sig)
			}
			signal.Stop(ch)
		}
		return
	}
	cmd := helperCommand("^TestShutdownSignalsAfterCLR$", "DOTNET_HELPER_SIGNALS=1")
	out, err := runWithTimeout(cmd, 60)
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, w := range []string{"HELPER: got interrupt", "HELPER: got terminated"} {
		if !containsLine(string(out), w) {
			t.Errorf("helper output lacks %q:\n%s", w, out)
		}
	}
}
