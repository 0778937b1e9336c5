package jvm

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"github.com/edgev1/gateway/cshim"
)

// gwJvmPublish is ModuleHost.publish's Go half (called by gw_native_publish in jni_bridge.c, on any Java
// thread): it finds the module by the address it was created with, turns the serialized message into a gateway
// message and publishes it through the module's endpoint. inReceive is non-zero when the calling thread is the
// module thread inside a receive (the publish must then not block). Returns a BROKER_RESULT.
//
// # Memory
//
// data[0, n) is C memory owned by the caller and only read during the call (the message is copied). The
// gateway message is released before returning; the broker keeps its own references.
//
//export gwJvmPublish
func gwJvmPublish(module C.int64_t, data *C.char, n C.int32_t, inReceive C.int) C.int {
	if n <= 0 || data == nil {
		return cshim.BrokerInvalidArg
	}
	return C.int(publishBytes(int64(module), unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n)), inReceive != 0))
}

// publishBytes publishes a serialized message as module id. b is only read during the call.
func publishBytes(id int64, b []byte, inReceive bool) int {
	v, ok := instances.Load(id)
	if !ok {
		return cshim.BrokerError
	}
	in := v.(*Instance)
	if in.ep == nil {
		return cshim.BrokerError
	}
	if len(b) == 0 {
		return cshim.BrokerInvalidArg
	}
	msg, err := cshim.MessageFromBytes(b)
	if err != nil {
		in.log.Error("a Java module published a malformed message", "error", err)
		return cshim.BrokerInvalidArg
	}
	err = in.ep.Publish(msg, inReceive)
	msg.Release()
	if err != nil {
		return cshim.BrokerError
	}
	return cshim.BrokerOK
}
