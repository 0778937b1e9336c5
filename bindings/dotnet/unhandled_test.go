package dotnet

import (
	"os"
	"strings"
	"testing"
	"time"
)

// An exception nobody catches on a thread a module made. With "unhandled.exceptions":
// "log" (the default) it is logged with its stack, that thread is parked and the
// gateway goes on; with "terminate" the runtime ends the process (its own policy). Each
// mode runs in a helper process (the test binary run again), since the runtime is
// process-wide.
func TestUnhandledManagedException(t *testing.T) {
	needMono(t)
	if mode := os.Getenv("DOTNET_HELPER_UNHANDLED"); mode != "" {
		unhandledHelper(t, mode)
		return
	}
	for _, c := range []struct {
		mode     string
		wantExit bool
		want     []string
	}{
		{"log", false, []string{"the thread is parked for ever", "unhandled boom", "HELPER: survived"}},
		{"terminate", true, []string{"FATAL UNHANDLED EXCEPTION", "unhandled boom"}},
	} {
		t.Run(c.mode, func(t *testing.T) {
			cmd := helperCommand("^TestUnhandledManagedException$", "DOTNET_HELPER_UNHANDLED="+c.mode, "DOTNET_TEST_LOG=1")
			out, err := runWithTimeout(cmd, 120)
			if (err != nil) != c.wantExit {
				t.Fatalf("helper exit: %v (want failure: %v)\n%s", err, c.wantExit, out)
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("helper output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func unhandledHelper(t *testing.T, mode string) {
	h := newHarness(t)
	u := h.mustDotnet("thrower", "TestModules.UnhandledThrower", nil)
	u.Start()
	if mode == "terminate" {
		// The runtime ends the process; waiting here only bounds the helper.
		waitLog(t, 60*time.Second, "never logged")
		return
	}
	waitLog(t, 10*time.Second, "unhandled exception in managed thread", "parked", "unhandled boom")
	// The runtime still works: a round trip through a new module.
	src := h.source("src")
	h.mustDotnet("echo", "TestModules.Echo", nil)
	out := h.sink("out")
	h.link("src", "echo")
	h.link("echo", "out")
	publish(t, src, "still here")
	out.wait(t, 1, 10*time.Second)
	os.Stdout.WriteString("HELPER: survived\n")
}
