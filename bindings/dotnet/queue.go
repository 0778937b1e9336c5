package dotnet

/*
#include <stdlib.h>
#include "mono_host.h"
*/
import "C"

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/edgev1/gateway/cshim"
)

// The foreign-thread queue (mono_host.c): publishes and log lines from threads the
// runtime made arrive here, in order, on one goroutine whose thread the runtime does not
// know.

const drainBatch = 256

var (
	barriers    sync.Map // int64 token -> chan struct{}
	nextBarrier atomic.Int64
	drainOnce   sync.Once
)

// startDrain starts the goroutine that empties the queue (once per process).
func startDrain() {
	drainOnce.Do(func() { go drain() })
}

func drain() {
	// The batch lives in C memory; the goroutine never ends.
	items := (*[drainBatch]C.gwdn_item)(C.malloc(C.size_t(unsafe.Sizeof(C.gwdn_item{})) * drainBatch))
	for {
		n := int(C.gwdn_queue_take(&items[0], drainBatch))
		for i := 0; i < n; i++ {
			handleItem(&items[i])
		}
	}
}

func handleItem(it *C.gwdn_item) {
	defer func() {
		if r := recover(); r != nil {
			bindingLog().Error("panic while handling a call from a managed thread", "panic", r)
		}
	}()
	switch it.kind {
	case C.GWDN_ITEM_PUBLISH:
		msg := cshim.Message(it.msg)
		defer msg.Release()
		in := lookup(int64(it.module))
		if in == nil || in.ep == nil {
			return
		}
		if err := in.ep.Publish(msg, false); err != nil {
			in.publishFailed(err)
		}
	case C.GWDN_ITEM_LOG:
		text := it.text
		defer C.free(unsafe.Pointer(text))
		gwdnGoLog(C.int64_t(it.module), it.level, text, it.len)
	case C.GWDN_ITEM_BARRIER:
		if ch, ok := barriers.LoadAndDelete(int64(it.module)); ok {
			close(ch.(chan struct{}))
		}
	}
}

// flushQueue waits until everything queued before the call has been handled.
func flushQueue() {
	tok := nextBarrier.Add(1)
	ch := make(chan struct{})
	barriers.Store(tok, ch)
	it := C.gwdn_item{kind: C.GWDN_ITEM_BARRIER, module: C.int64_t(tok)}
	C.gwdn_queue_push(&it)
	<-ch
}
