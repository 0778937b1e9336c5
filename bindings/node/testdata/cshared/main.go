// Command cshared is built by TestInsideCSharedLibrary as a c-shared library, to check
// Node hosted from inside a shared library the way libgateway.so hosts it: a C program
// calls ProbeRun, then returns from main (exit-time shutdown through atexit).
package main

// #include <stdlib.h>
import "C"

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/bindings/node"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

type counter struct{ n atomic.Int64 }

func (c *counter) Receive(ms []cshim.Message) { c.n.Add(int64(len(ms))) }

type slot struct {
	inst atomic.Pointer[loader.Instance]
}

func (s *slot) Receive(ms []cshim.Message) {
	if i := s.inst.Load(); i != nil {
		(*i).Receive(ms)
	}
}

// ProbeRun runs a round trip through a JS module (echo.js in dir) and checks Go's
// signal handling; it returns 0 or prints what failed and returns 1.
//
//export ProbeRun
func ProbeRun(dir *C.char) C.int {
	if err := run(C.GoString(dir)); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		return 1
	}
	return 0
}

func run(dir string) error {
	b := broker.New(nil)
	src, _ := b.AddModule("source", &counter{}, broker.Options{})
	sink := &counter{}
	ldr, err := node.Kind{}.New("node", nil)
	if err != nil {
		return err
	}
	lib, err := ldr.Load("echo", []byte(fmt.Sprintf(`{"main.path": %q}`, filepath.Join(dir, "echo.js"))))
	if err != nil {
		return err
	}
	s := &slot{}
	ep, _ := b.AddModule("echo", s, broker.Options{})
	inst, err := lib.Create(loader.CreateContext{Module: "echo", Endpoint: ep, Log: slog.Default()})
	if err != nil {
		return err
	}
	s.inst.Store(&inst)
	b.AddModule("sink", sink, broker.Options{})
	b.AddLink("source", "echo")
	b.AddLink("echo", "sink")
	const n = 10000
	for i := 0; i < n; i++ {
		m, _ := cshim.NewMessage([]byte("hello"), []abi.Property{{Key: "i", Value: fmt.Sprint(i)}})
		src.Publish(m, false)
		m.Release()
	}
	deadline := time.Now().Add(30 * time.Second)
	for sink.n.Load() < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("round trip: %d of %d messages", sink.n.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
	recovered := func() (r any) {
		defer func() { r = recover() }()
		var p *[8]int
		runtime.KeepAlive(p[3])
		return nil
	}()
	if recovered == nil {
		return fmt.Errorf("nil dereference was not recovered")
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("SIGTERM did not reach signal.Notify")
	}
	signal.Stop(ch)
	b.RemoveModule("echo", 10*time.Second)
	inst.Destroy()
	b.Close(time.Second)
	fmt.Println("probe: ok")
	return nil
}

func main() {}
