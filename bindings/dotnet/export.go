package dotnet

/*
#include <stdint.h>
#include "mono_host.h"
*/
import "C"

import (
	"errors"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
)

// gwdnGoPublish is NativeMethods.Publish's Go half. msg is a new C message owned by the
// caller (mono_host.c releases it after the call); inReceive is non-zero when the
// calling thread is inside this binding's Receive call.
//
//export gwdnGoPublish
func gwdnGoPublish(id C.int64_t, msg C.uintptr_t, inReceive C.int) (rc C.int) {
	defer func() {
		if r := recover(); r != nil {
			bindingLog().Error("panic while publishing from managed code", "panic", r)
			rc = C.GWDN_PUBLISH_FAILED
		}
	}()
	in := lookup(int64(id))
	if in == nil || in.ep == nil {
		return C.GWDN_PUBLISH_GONE
	}
	if err := in.ep.Publish(cshim.Message(msg), inReceive != 0); err != nil {
		in.publishFailed(err)
		if errors.Is(err, broker.ErrClosed) {
			return C.GWDN_PUBLISH_GONE
		}
		return C.GWDN_PUBLISH_FAILED
	}
	return C.GWDN_PUBLISH_OK
}

// gwdnGoLog is NativeMethods.LogText's Go half: text[0,n) is UTF-8, borrowed for the
// call.
//
//export gwdnGoLog
func gwdnGoLog(id C.int64_t, level C.int32_t, text *C.char, n C.int32_t) {
	defer func() {
		if r := recover(); r != nil {
			bindingLog().Error("panic while logging from managed code", "panic", r)
		}
	}()
	s := ""
	if text != nil && n > 0 {
		s = C.GoStringN(text, C.int(n))
	}
	log := bindingLog()
	if in := lookup(int64(id)); in != nil {
		log = in.log
	}
	switch level {
	case C.GWDN_LOG_ERROR:
		log.Error(s)
	case C.GWDN_LOG_WARN:
		log.Warn(s)
	case C.GWDN_LOG_INFO:
		log.Info(s)
	default:
		log.Debug(s)
	}
}
