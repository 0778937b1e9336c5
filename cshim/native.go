package cshim

/*
#include <stdlib.h>
#include "gw_internal.h"

static MODULE_HANDLE gw_call_create(const MODULE_API_1* api, BROKER_HANDLE broker, const void* cfg) { return api->Module_Create(broker, cfg); }
static void gw_call_destroy(const MODULE_API_1* api, MODULE_HANDLE h) { api->Module_Destroy(h); }
static void gw_call_start(const MODULE_API_1* api, MODULE_HANDLE h) { if (api->Module_Start != NULL) api->Module_Start(h); }
static void* gw_call_parse(const MODULE_API_1* api, const char* args) { return api->Module_ParseConfigurationFromJson(args); }
static void gw_call_free(const MODULE_API_1* api, void* cfg) { api->Module_FreeConfiguration(cfg); }
static const MODULE_API* gw_call_getapi(void* fn, MODULE_API_VERSION v) { return ((pfModule_GetApi)fn)(v); }
*/
import "C"

import (
	"errors"
	"unsafe"
)

// NativeAPI is a module's function table (const MODULE_API_1*), owned by the module
// library: valid until the library is unloaded.
type NativeAPI struct{ p unsafe.Pointer }

// Validation errors of a module's API table (SPEC section 1).
var (
	ErrNilAPI     = errors.New("Module_GetApi returned NULL")
	ErrAPIVersion = errors.New("unsupported module API version (this gateway supports MODULE_API_VERSION_1 = 0)")
	ErrNilCreate  = errors.New("Module_Create is NULL")
	ErrNilDestroy = errors.New("Module_Destroy is NULL")
	ErrNilReceive = errors.New("Module_Receive is NULL")
)

func (a NativeAPI) c() *C.MODULE_API_1 { return (*C.MODULE_API_1)(a.p) }

// NativeAPIFromPointer wraps a const MODULE_API* obtained from C.
func NativeAPIFromPointer(p uintptr) NativeAPI { return NativeAPI{p: unsafe.Pointer(p)} }

// Valid reports whether the table is non-NULL.
func (a NativeAPI) Valid() bool { return a.p != nil }

// Ptr returns the table's address (for logs and handle maps).
func (a NativeAPI) Ptr() uintptr { return uintptr(a.p) }

// CallGetAPI calls a Module_GetApi function pointer with MODULE_API_VERSION_1 and
// validates the returned table: version must be <= MODULE_API_VERSION_1 and
// Create, Destroy and Receive non-NULL. Module_Start may be NULL.
func CallGetAPI(fn uintptr) (NativeAPI, error) {
	api := C.gw_call_getapi(unsafe.Pointer(fn), C.MODULE_API_VERSION_1)
	if api == nil {
		return NativeAPI{}, ErrNilAPI
	}
	a := NativeAPI{p: unsafe.Pointer(api)}
	return a, a.Validate()
}

// Validate checks the table as the SDK's loader does.
func (a NativeAPI) Validate() error {
	if a.p == nil {
		return ErrNilAPI
	}
	t := a.c()
	if t.base.version > C.MODULE_API_VERSION_1 {
		return ErrAPIVersion
	}
	switch {
	case t.Module_Create == nil:
		return ErrNilCreate
	case t.Module_Destroy == nil:
		return ErrNilDestroy
	case t.Module_Receive == nil:
		return ErrNilReceive
	}
	return nil
}

// HasStart reports whether Module_Start is set.
func (a NativeAPI) HasStart() bool { return a.c().Module_Start != nil }

// Create runs the SDK's creation sequence for one module instance:
// ParseConfigurationFromJson(args) -> Module_Create(broker, parsed) -> FreeConfiguration(parsed).
// args is the module's "args" as compact JSON, or nil when absent (the module then
// gets a NULL string). When ParseConfigurationFromJson is NULL the args string itself
// is passed to Module_Create. module names the module for log lines emitted meanwhile.
//
// # Memory
//
// args is copied into C memory for the duration of the call and freed after
// FreeConfiguration; the module must copy whatever it keeps. Returns the module
// handle (0 when Module_Create returned NULL).
func (a NativeAPI) Create(broker uintptr, args *string, module *C.char) uintptr {
	t := a.c()
	var cargs *C.char
	if args != nil {
		cargs = C.CString(*args)
		defer C.free(unsafe.Pointer(cargs))
	}
	prev := C.gw_current_module()
	C.gw_set_current_module(module)
	defer C.gw_set_current_module(prev)
	var cfg unsafe.Pointer = unsafe.Pointer(cargs)
	parsed := false
	if t.Module_ParseConfigurationFromJson != nil {
		cfg = C.gw_call_parse(t, cargs)
		parsed = true
	}
	h := C.gw_call_create(t, C.BROKER_HANDLE(unsafe.Pointer(broker)), cfg)
	if parsed && t.Module_FreeConfiguration != nil {
		C.gw_call_free(t, cfg)
	}
	return uintptr(h)
}

// Start calls Module_Start if the module has one.
func (a NativeAPI) Start(h uintptr, module *C.char) {
	prev := C.gw_current_module()
	C.gw_set_current_module(module)
	C.gw_call_start(a.c(), C.MODULE_HANDLE(unsafe.Pointer(h)))
	C.gw_set_current_module(prev)
}

// Destroy calls Module_Destroy.
func (a NativeAPI) Destroy(h uintptr, module *C.char) {
	prev := C.gw_current_module()
	C.gw_set_current_module(module)
	C.gw_call_destroy(a.c(), C.MODULE_HANDLE(unsafe.Pointer(h)))
	C.gw_set_current_module(prev)
}

// Deliver calls Module_Receive for each message in order on the calling thread.
// The messages stay owned by the caller. module is a C string naming the module
// (see CName), borrowed for the call.
func (a NativeAPI) Deliver(h uintptr, msgs []Message, module *C.char) {
	if len(msgs) == 0 {
		return
	}
	C.gw_deliver(a.c(), C.MODULE_HANDLE(unsafe.Pointer(h)), (*C.MESSAGE_HANDLE)(unsafe.Pointer(&msgs[0])), C.size_t(len(msgs)), module)
}

// InstallCrashReporter makes a crash inside module code print which module it was
// before the process dies (see crash.c). Call once the Go runtime is up.
func InstallCrashReporter() error {
	if C.gw_install_crash_reporter() != 0 {
		return errors.New("cshim: cannot install the crash reporter")
	}
	return nil
}

// CName is a module name in C memory, used to tag log lines from module code.
// It lives until Free.
type CName = *C.char

// NewCName copies name into C memory; release it with FreeCName.
func NewCName(name string) CName { return C.CString(name) }

// FreeCName frees a name made by NewCName.
func FreeCName(n CName) { C.free(unsafe.Pointer(n)) }
