package dotnet

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestStress runs a count-bounded load (2.1M messages: about 10 s on an idle 2-core
// machine; -short cuts it by 20): Go publishers into a C# module that echoes, makes garbage and forces managed
// collections while its timer publishes too; C# threads publishing into a C# echo;
// modules created and destroyed meanwhile; Go collections forced throughout. Every
// message must arrive and the process must survive (no "prematurely finalized" abort).
func TestStress(t *testing.T) {
	h := newHarness(t)
	perSource, timerCount, threadCount, cycles := 650000, 50000, 100000, 40
	if testing.Short() {
		perSource, timerCount, threadCount, cycles = 20000, 2500, 5000, 4
	}
	const sources = 3
	var srcs []string
	for i := 0; i < sources; i++ {
		n := fmt.Sprint("src", i)
		h.source(n)
		srcs = append(srcs, n)
	}
	churn := h.mustDotnet("churn", "TestModules.Churn", str(fmt.Sprintf(`{"gc.every": 500, "timer.count": %d}`, timerCount)))
	pub := h.mustDotnet("pub", "TestModules.Publisher", str(fmt.Sprintf(`{"count": %d, "mode": "thread", "threads": 4}`, threadCount)))
	h.mustDotnet("echo", "TestModules.Echo", nil)
	out := &goSink{notify: make(chan struct{}, 1)}
	if _, err := h.b.AddModule("out", out, brokerOptions()); err != nil {
		t.Fatal(err)
	}
	h.mods = append(h.mods, &testModule{name: "out"})
	for _, s := range srcs {
		h.link(s, "churn")
	}
	h.link("churn", "out")
	h.link("pub", "echo")
	h.link("echo", "out")
	total := sources*perSource + timerCount + threadCount

	start := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Go collections throughout.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.GC()
			}
		}
	}()
	// Modules created, started and destroyed meanwhile (worker reuse, GC handles).
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < cycles; i++ {
			name := fmt.Sprint("tmp", i)
			in, err := h.addDotnet(name, "TestModules", "TestModules.Publisher", str(`{"count": 200, "mode": "timer"}`))
			if err != nil {
				t.Error(err)
				return
			}
			in.Start()
			if err := h.b.RemoveModule(name, 10*time.Second); err != nil {
				t.Error(err)
				return
			}
			in.Destroy()
			h.forget(name)
		}
	}()
	churn.Start()
	pub.Start()
	msg := newMsg(t, benchContent, "source", "stress", "type", "payload")
	defer msg.Release()
	for i := 0; i < sources; i++ {
		ep := h.b.Endpoint(srcs[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < perSource; j++ {
				if err := ep.Publish(msg, false); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	out.wait(t, total, 5*time.Minute)
	close(stop)
	wg.Wait()
	el := time.Since(start)
	t.Logf("%d messages in %v (%.0f msgs/s), %d module create/destroy cycles", total, el.Round(time.Millisecond), float64(total)/el.Seconds(), cycles)
	if got := out.n.Load(); got != int64(total) {
		t.Errorf("out got %d messages, want exactly %d", got, total)
	}
}
