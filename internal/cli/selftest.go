package cli

import (
	"fmt"
	"io"

	"github.com/edgev1/gateway/internal/capi"
)

// selftest creates and starts the configuration's modules (loading whatever runtimes
// they need), then dereferences a nil pointer in Go code and checks that it surfaces
// as a recoverable panic: the embedded JVM, Node.js and Mono install handlers for
// SIGSEGV, and a mistake in chaining them would turn every Go nil dereference into a
// process crash. Exit code 0 when the fault was recovered.
func selftest(rt *capi.Runtime, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	g, err := rt.CreateFromJSONFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "gateway:", oneLine(err))
		return 1
	}
	defer g.Destroy()
	recovered := nilDereference()
	if recovered == "" {
		fmt.Fprintln(stderr, "selftest: FAILED: the nil dereference was not reported as a panic")
		return 1
	}
	fmt.Fprintf(stdout, "selftest: ok: %d modules started; a nil dereference in Go code was recovered (%s)\n", len(g.Modules()), recovered)
	return 0
}

// nilDereference faults on purpose and returns the recovered panic's text.
func nilDereference() (recovered string) {
	defer func() {
		if r := recover(); r != nil {
			recovered = fmt.Sprint(r)
		}
	}()
	var p *struct{ x int }
	p.x = 1 // SIGSEGV in Go code: the runtime must turn it into a panic
	return ""
}
