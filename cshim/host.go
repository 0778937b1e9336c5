package cshim

/*
#include <stdint.h>
*/
import "C"

import (
	"sync/atomic"
	"unsafe"
)

// Result codes of the C broker API (BROKER_RESULT).
const (
	BrokerOK              = 0
	BrokerError           = 1
	BrokerAddLinkError    = 2
	BrokerRemoveLinkError = 3
	BrokerInvalidArg      = 4
)

// Log categories of xlogging (LOG_CATEGORY).
const (
	LogError = 0
	LogInfo  = 1
	LogTrace = 2
)

// Host is what the C side of the ABI calls into. The process has one (the C ABI is
// process-wide), installed once at start-up with SetHost; until then every call
// fails with BROKER_ERROR / NULL and log lines go to stderr.
type Host interface {
	// Publish handles Broker_Publish. broker is the BROKER_HANDLE, source the
	// MODULE_HANDLE, msg the MESSAGE_HANDLE (borrowed: retain to keep it).
	// inReceive is true when the caller is inside a Module_Receive on this thread.
	Publish(broker, source uintptr, msg Message, inReceive bool) int
	// Log receives one line logged by C code through xlogging. module is "" when
	// unknown.
	Log(category int, module, file, function string, line int, text string)
	// BrokerAPI implements the rest of broker.h for C host programs.
	BrokerCreate() uintptr
	BrokerIncRef(broker uintptr)
	BrokerDecRef(broker uintptr)
	BrokerAddModule(broker uintptr, api NativeAPI, module uintptr) int
	BrokerRemoveModule(broker, module uintptr) int
	BrokerAddLink(broker, source, sink uintptr) int
	BrokerRemoveLink(broker, source, sink uintptr) int
}

type hostBox struct{ h Host }

var host atomic.Pointer[hostBox]

// SetHost installs the process-wide Host. It is meant to be called once, at start-up,
// by the program that owns the C ABI (libgateway.so); later calls replace it.
func SetHost(h Host) { host.Store(&hostBox{h}) }

func currentHost() Host {
	if b := host.Load(); b != nil {
		return b.h
	}
	return nil
}

//export gw_go_publish
func gw_go_publish(broker, source, msg C.uintptr_t, flags C.int) C.int {
	h := currentHost()
	if h == nil {
		return BrokerError
	}
	return C.int(h.Publish(uintptr(broker), uintptr(source), Message(msg), flags&1 != 0))
}

//export gw_go_log
func gw_go_log(category C.int, module, file, function *C.char, line C.int, text *C.char) {
	mod := ""
	if module != nil {
		mod = C.GoString(module)
	}
	h := currentHost()
	if h == nil {
		fallbackLog(int(category), mod, goStringOrEmpty(file), goStringOrEmpty(function), int(line), goStringOrEmpty(text))
		return
	}
	h.Log(int(category), mod, goStringOrEmpty(file), goStringOrEmpty(function), int(line), goStringOrEmpty(text))
}

func goStringOrEmpty(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

//export gw_go_broker_create
func gw_go_broker_create() C.uintptr_t {
	if h := currentHost(); h != nil {
		return C.uintptr_t(h.BrokerCreate())
	}
	return 0
}

//export gw_go_broker_incref
func gw_go_broker_incref(b C.uintptr_t) {
	if h := currentHost(); h != nil {
		h.BrokerIncRef(uintptr(b))
	}
}

//export gw_go_broker_decref
func gw_go_broker_decref(b C.uintptr_t) {
	if h := currentHost(); h != nil {
		h.BrokerDecRef(uintptr(b))
	}
}

//export gw_go_broker_add_module
func gw_go_broker_add_module(b, api, module C.uintptr_t) C.int {
	if h := currentHost(); h != nil {
		return C.int(h.BrokerAddModule(uintptr(b), NativeAPI{p: unsafe.Pointer(uintptr(api))}, uintptr(module)))
	}
	return BrokerError
}

//export gw_go_broker_remove_module
func gw_go_broker_remove_module(b, module C.uintptr_t) C.int {
	if h := currentHost(); h != nil {
		return C.int(h.BrokerRemoveModule(uintptr(b), uintptr(module)))
	}
	return BrokerError
}

//export gw_go_broker_add_link
func gw_go_broker_add_link(b, source, sink C.uintptr_t) C.int {
	if h := currentHost(); h != nil {
		return C.int(h.BrokerAddLink(uintptr(b), uintptr(source), uintptr(sink)))
	}
	return BrokerError
}

//export gw_go_broker_remove_link
func gw_go_broker_remove_link(b, source, sink C.uintptr_t) C.int {
	if h := currentHost(); h != nil {
		return C.int(h.BrokerRemoveLink(uintptr(b), uintptr(source), uintptr(sink)))
	}
	return BrokerError
}
