package node

// The functions the C bridge calls into Go. They run on the Node thread (the locked
// goroutine that called node::Start), so they must never block on anything that needs
// the Node thread. This file's preamble holds declarations only (a cgo rule for files
// with //export).

/*
#include <stdint.h>
#include <stddef.h>
*/
import "C"

import (
	"unsafe"
)

// gwnGoReady is called once by the bootstrap when JS is ready for posts.
//
//export gwnGoReady
func gwnGoReady() { rt.markReady() }

// gwnGoPublish receives n bytes of [u32le module id][serialized message]... built by
// broker.publish calls in JS.
//
// # Memory
//
// p points into a JS Buffer, valid only during the call; every message is copied into a
// new C message (cshim.MessageFromBytes) before the call returns.
//
//export gwnGoPublish
func gwnGoPublish(p *C.uchar, n C.size_t) {
	rt.publish(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
}

// gwnGoReply completes request req with a status and a JSON text.
//
// # Memory
//
// p is valid only during the call; the text is copied.
//
//export gwnGoReply
func gwnGoReply(req C.uint32_t, status C.int32_t, p *C.uchar, n C.size_t) {
	var text string
	if n > 0 {
		text = C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(n))
	}
	rt.complete(uint32(req), int(status), text)
}

// gwnGoLog logs one line from JS for a module (0: the runtime itself).
//
// # Memory
//
// p is valid only during the call; the text is copied.
//
//export gwnGoLog
func gwnGoLog(module C.uint32_t, level C.int32_t, p *C.uchar, n C.size_t) {
	var text string
	if n > 0 {
		text = C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(n))
	}
	rt.logJS(uint32(module), int(level), text)
}

// gwnGoBatchDone reports that one posted batch of a module has been handled (or
// discarded), freeing one of the module's in-flight slots.
//
//export gwnGoBatchDone
func gwnGoBatchDone(module C.uint32_t) { rt.batchDone(uint32(module)) }
