// Command cshared is built by TestCSharedStress with -buildmode=c-shared: it runs the
// binding's stress load inside a shared library loaded by a C program (host.c), the
// shape of libgateway.so under a legacy host.
package main

/*
#include <stdint.h>
*/
import "C"

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/bindings/dotnet"
	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader"
)

type counter struct {
	n    atomic.Int64
	note chan struct{}
}

func (c *counter) Receive(msgs []cshim.Message) {
	c.n.Add(int64(len(msgs)))
	select {
	case c.note <- struct{}{}:
	default:
	}
}

type nop struct{}

func (nop) Receive([]cshim.Message) {}

type slot struct {
	inst atomic.Pointer[loader.Instance]
}

func (s *slot) Receive(msgs []cshim.Message) {
	if p := s.inst.Load(); p != nil {
		(*p).Receive(msgs)
	}
}

func fail(format string, args ...any) C.int {
	fmt.Fprintf(os.Stderr, "cshared: "+format+"\n", args...)
	return 1
}

//export stress_run
func stress_run(dir *C.char, perSource, timerCount, threadCount C.long) C.int {
	bdir := C.GoString(dir)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dotnet.SetLogger(log)
	l, err := dotnet.Kind{}.New("dotnet", []byte(fmt.Sprintf(`{"binding.path": %q, "assembly.path": %q}`, bdir, bdir)))
	if err != nil {
		return fail("%v", err)
	}
	b := broker.New(log)
	add := func(name, typ, args string) (loader.Instance, error) {
		lib, err := l.Load(name, []byte(fmt.Sprintf(`{"assembly.name": "TestModules", "entry.type": %q}`, typ)))
		if err != nil {
			return nil, err
		}
		s := &slot{}
		ep, err := b.AddModule(name, s, broker.Options{})
		if err != nil {
			return nil, err
		}
		in, err := lib.Create(loader.CreateContext{Module: name, Args: &args, Endpoint: ep, Log: log.With("module", name)})
		if err != nil {
			return nil, err
		}
		s.inst.Store(&in)
		return in, nil
	}
	churn, err := add("churn", "TestModules.Churn", fmt.Sprintf(`{"gc.every": 500, "timer.count": %d}`, timerCount))
	if err != nil {
		return fail("%v", err)
	}
	pub, err := add("pub", "TestModules.Publisher", fmt.Sprintf(`{"count": %d, "mode": "thread", "threads": 4}`, threadCount))
	if err != nil {
		return fail("%v", err)
	}
	task, err := add("task", "TestModules.Publisher", fmt.Sprintf(`{"count": %d, "mode": "task", "threads": 2}`, threadCount))
	if err != nil {
		return fail("%v", err)
	}
	echo, err := add("echo", "TestModules.Echo", "null")
	if err != nil {
		return fail("%v", err)
	}
	out := &counter{note: make(chan struct{}, 1)}
	srcs := []string{"src0", "src1"}
	for _, s := range srcs {
		if _, err := b.AddModule(s, nop{}, broker.Options{}); err != nil {
			return fail("%v", err)
		}
	}
	if _, err := b.AddModule("out", out, broker.Options{}); err != nil {
		return fail("%v", err)
	}
	for _, l := range [][2]string{{"src0", "churn"}, {"src1", "churn"}, {"churn", "out"}, {"pub", "echo"}, {"task", "echo"}, {"echo", "out"}} {
		if err := b.AddLink(l[0], l[1]); err != nil {
			return fail("%v", err)
		}
	}
	total := int64(len(srcs))*int64(perSource) + int64(timerCount) + 2*int64(threadCount)

	// A Go panic (nil dereference) must still be recovered with the CLR running.
	if err := recovered(); err == nil || !strings.Contains(err.Error(), "nil pointer") {
		return fail("nil dereference not recovered: %v", err)
	}

	start := time.Now()
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.GC()
			}
		}
	}()
	churn.Start()
	pub.Start()
	task.Start()
	m, err := cshim.NewMessage([]byte(strings.Repeat("x", 256)), []abi.Property{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}})
	if err != nil {
		return fail("%v", err)
	}
	for _, s := range srcs {
		ep := b.Endpoint(s)
		go func() {
			for i := 0; i < int(perSource); i++ {
				if err := ep.Publish(m, false); err != nil {
					fmt.Fprintln(os.Stderr, err)
					return
				}
			}
		}()
	}
	deadline := time.After(5 * time.Minute)
	for out.n.Load() < total {
		select {
		case <-out.note:
		case <-deadline:
			return fail("timed out: %d of %d messages", out.n.Load(), total)
		}
	}
	close(stop)
	el := time.Since(start)
	for _, n := range []string{"src0", "src1", "churn", "pub", "task", "echo", "out"} {
		if err := b.RemoveModule(n, 10*time.Second); err != nil {
			return fail("%v", err)
		}
	}
	for _, in := range []loader.Instance{churn, pub, task, echo} {
		in.Destroy()
	}
	m.Release()
	if err := recovered(); err == nil {
		return fail("nil dereference not recovered after the load")
	}
	fmt.Printf("ok: %d messages in %v (%.0f msgs/s)\n", total, el.Round(time.Millisecond), float64(total)/el.Seconds())
	return 0
}

func recovered() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	var p *struct{ x int }
	p.x = 1
	return nil
}

func main() {}
