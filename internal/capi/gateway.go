package capi

/*
#cgo CFLAGS: -I${SRCDIR}/../../cshim/include -I${SRCDIR}/../../cshim -std=gnu99 -O2 -Wall
#include <stdlib.h>
#include "capi.h"
*/
import "C"

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/config"
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/loader"
	"github.com/edgev1/gateway/loader/native"
)

// Runtime is the process-wide state behind the C API: the Host and the gateways
// created through Gateway_*. There is one per process because the C ABI is
// process-wide (installed by Install).
type Runtime struct {
	Host *Host

	mu       sync.Mutex
	next     uintptr
	gateways map[uintptr]*gateway.Gateway
}

var current atomic.Pointer[Runtime]

// Install creates the process's Runtime, installs its Host into cshim and returns it.
// Called once by cmd/libgateway at load time.
func Install(log *slog.Logger) *Runtime {
	r := &Runtime{Host: NewHost(log), next: 1, gateways: map[uintptr]*gateway.Gateway{}}
	cshim.SetHost(r.Host)
	current.Store(r)
	return r
}

// Current returns the installed Runtime (nil before Install).
func Current() *Runtime { return current.Load() }

// Options returns gateway options wired to this runtime's broker handles.
func (r *Runtime) Options() gateway.Options {
	return gateway.Options{
		Log:                 r.Host.Logger(),
		BrokerHandle:        r.Host.RegisterBroker,
		ReleaseBrokerHandle: r.Host.ReleaseBroker,
	}
}

func (r *Runtime) addGateway(g *gateway.Gateway) uintptr {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.next << 4
	r.next++
	r.gateways[id] = g
	return id
}

func (r *Runtime) gateway(id uintptr) *gateway.Gateway {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gateways[id]
}

func (r *Runtime) removeGateway(id uintptr) *gateway.Gateway {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.gateways[id]
	delete(r.gateways, id)
	return g
}

func rt() *Runtime { return current.Load() }

// CreateFromJSONFile is Gateway_CreateFromJson: parse, create, start.
func (r *Runtime) CreateFromJSONFile(path string) (*gateway.Gateway, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	g, err := gateway.FromConfig(cfg, r.Options())
	if err != nil {
		return nil, err
	}
	abortOnDestroy(g)
	if err := g.Start(); err != nil {
		g.Destroy()
		return nil, err
	}
	return g, nil
}

//export gw_go_gateway_create_from_json
func gw_go_gateway_create_from_json(path *C.char) C.uintptr_t {
	r := rt()
	g, err := r.CreateFromJSONFile(C.GoString(path))
	if err != nil {
		r.Host.Logger().Error("Gateway_CreateFromJson failed", "err", err)
		fmt.Fprintln(os.Stderr, "Error:", err)
		return 0
	}
	return C.uintptr_t(r.addGateway(g))
}

//export gw_go_gateway_create
func gw_go_gateway_create(props C.uintptr_t) C.uintptr_t {
	r := rt()
	g, err := gateway.New(r.Options())
	if err != nil {
		r.Host.Logger().Error("Gateway_Create failed", "err", err)
		return 0
	}
	abortOnDestroy(g)
	if props != 0 {
		p := (*C.GATEWAY_PROPERTIES)(unsafe.Pointer(uintptr(props)))
		if p.gateway_modules != nil {
			n := int(C.VECTOR_size(p.gateway_modules))
			for i := 0; i < n; i++ {
				e := (*C.GATEWAY_MODULES_ENTRY)(C.VECTOR_element(p.gateway_modules, C.size_t(i)))
				if _, err := addCModule(g, e); err != nil {
					r.Host.Logger().Error("Gateway_Create failed", "err", err)
					g.Destroy()
					return 0
				}
			}
		}
		if p.gateway_links != nil {
			n := int(C.VECTOR_size(p.gateway_links))
			for i := 0; i < n; i++ {
				l := (*C.GATEWAY_LINK_ENTRY)(C.VECTOR_element(p.gateway_links, C.size_t(i)))
				if l == nil || l.module_source == nil || l.module_sink == nil {
					r.Host.Logger().Error("Gateway_Create failed: NULL link entry", "link", i)
					g.Destroy()
					return 0
				}
				if err := g.AddLink(C.GoString(l.module_source), C.GoString(l.module_sink)); err != nil {
					r.Host.Logger().Error("Gateway_Create failed", "err", err)
					g.Destroy()
					return 0
				}
			}
		}
	}
	return C.uintptr_t(r.addGateway(g))
}

// cLibrary is a module library loaded by a C MODULE_LOADER.
type cLibrary struct{ m *C.GW_CMODULE }

func (l cLibrary) Create(loader.CreateContext) (loader.Instance, error) {
	return nil, fmt.Errorf("capi: C loader libraries create through gw_cmodule_create")
}

func (l cLibrary) Close() error {
	C.gw_cmodule_unload(l.m)
	C.free(unsafe.Pointer(l.m))
	return nil
}

// addCModule creates a module described by a C GATEWAY_MODULES_ENTRY through its C
// MODULE_LOADER and adds it to g.
func addCModule(g *gateway.Gateway, e *C.GATEWAY_MODULES_ENTRY) (*gateway.Module, error) {
	if e == nil || e.module_name == nil || e.module_loader_info.loader == nil {
		return nil, fmt.Errorf("capi: module entry: NULL name or loader")
	}
	name := C.GoString(e.module_name)
	ldr := e.module_loader_info.loader
	loaderName := "?"
	if ldr.name != nil {
		loaderName = C.GoString(ldr.name)
	}
	m := (*C.GW_CMODULE)(C.calloc(1, C.size_t(unsafe.Sizeof(C.GW_CMODULE{}))))
	lib := cLibrary{m}
	return g.AdoptModule(name, loaderName, lib, func(ep *broker.Endpoint) (loader.Instance, error) {
		var why *C.char
		if C.gw_cmodule_create(e, C.BROKER_HANDLE(unsafe.Pointer(g.BrokerHandle())), m, &why) != 0 {
			C.free(unsafe.Pointer(m))
			return nil, fmt.Errorf("capi: loader %q: module %q: %s", loaderName, name, C.GoString(why))
		}
		api := cshim.NativeAPIFromPointer(uintptr(unsafe.Pointer(m.api)))
		return native.NewInstance(api, uintptr(m.handle), cshim.NewCName(name)), nil
	})
}

//export gw_go_gateway_start
func gw_go_gateway_start(id C.uintptr_t) C.int {
	g := rt().gateway(uintptr(id))
	if g == nil || g.Start() != nil {
		return C.GATEWAY_START_INVALID_ARGS
	}
	return C.GATEWAY_START_SUCCESS
}

//export gw_go_gateway_destroy
func gw_go_gateway_destroy(id C.uintptr_t) {
	r := rt()
	if g := r.removeGateway(uintptr(id)); g != nil {
		if err := g.Destroy(); err != nil {
			r.Host.Logger().Error("Gateway_Destroy", "err", err)
		}
	}
}

//export gw_go_gateway_add_module
func gw_go_gateway_add_module(id, entry C.uintptr_t) C.uintptr_t {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return 0
	}
	m, err := addCModule(g, (*C.GATEWAY_MODULES_ENTRY)(unsafe.Pointer(uintptr(entry))))
	if err != nil {
		r.Host.Logger().Error("Gateway_AddModule failed", "err", err)
		return 0
	}
	g.AnnounceModuleListChanged()
	if h, ok := m.Instance.(loader.Handled); ok {
		return C.uintptr_t(h.Handle())
	}
	return 0
}

//export gw_go_gateway_start_module
func gw_go_gateway_start_module(id, module C.uintptr_t) C.int {
	g := rt().gateway(uintptr(id))
	if g == nil {
		return C.GATEWAY_START_INVALID_ARGS
	}
	m := g.ModuleByHandle(uintptr(module))
	if m == nil || g.StartModule(m.Name) != nil {
		return C.GATEWAY_START_INVALID_ARGS
	}
	return C.GATEWAY_START_SUCCESS
}

//export gw_go_gateway_remove_module
func gw_go_gateway_remove_module(id, module C.uintptr_t) {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return
	}
	if m := g.ModuleByHandle(uintptr(module)); m != nil {
		if err := g.RemoveModule(m.Name); err != nil {
			r.Host.Logger().Error("Gateway_RemoveModule", "err", err)
		}
	}
}

//export gw_go_gateway_remove_module_by_name
func gw_go_gateway_remove_module_by_name(id C.uintptr_t, name *C.char) C.int {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return 1
	}
	if err := g.RemoveModule(C.GoString(name)); err != nil {
		r.Host.Logger().Error("Gateway_RemoveModuleByName", "err", err)
		return 1
	}
	return 0
}

//export gw_go_gateway_add_link
func gw_go_gateway_add_link(id C.uintptr_t, source, sink *C.char) C.int {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return C.GATEWAY_ADD_LINK_INVALID_ARG
	}
	if err := g.AddLink(C.GoString(source), C.GoString(sink)); err != nil {
		r.Host.Logger().Error("Gateway_AddLink", "err", err)
		return C.GATEWAY_ADD_LINK_ERROR
	}
	return C.GATEWAY_ADD_LINK_SUCCESS
}

//export gw_go_gateway_remove_link
func gw_go_gateway_remove_link(id C.uintptr_t, source, sink *C.char) C.int {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return 1
	}
	if err := g.RemoveLink(C.GoString(source), C.GoString(sink)); err != nil {
		r.Host.Logger().Error("Gateway_RemoveLink", "err", err)
		return 1
	}
	return 0
}

//export gw_go_gateway_update_from_json
func gw_go_gateway_update_from_json(id C.uintptr_t, js *C.char) C.int {
	r := rt()
	g := r.gateway(uintptr(id))
	if g == nil {
		return C.GATEWAY_UPDATE_FROM_JSON_INVALID_ARG
	}
	cfg, err := config.ParseUpdate([]byte(C.GoString(js)))
	if err != nil {
		r.Host.Logger().Error("Gateway_UpdateFromJson: invalid configuration", "err", err)
		return C.GATEWAY_UPDATE_FROM_JSON_INVALID_ARG
	}
	if err := g.Update(cfg); err != nil {
		r.Host.Logger().Error("Gateway_UpdateFromJson failed; nothing was changed", "err", err)
		return C.GATEWAY_UPDATE_FROM_JSON_ERROR
	}
	return C.GATEWAY_UPDATE_FROM_JSON_SUCCESS
}

//export gw_go_gateway_add_event_callback
func gw_go_gateway_add_event_callback(id C.uintptr_t, event C.int, cb, user C.uintptr_t) {
	g := rt().gateway(uintptr(id))
	if g == nil {
		return
	}
	gid := uintptr(id)
	call := func(g *gateway.Gateway, e gateway.Event) {
		var ctx unsafe.Pointer
		var list C.VECTOR_HANDLE
		if e != gateway.Destroyed {
			list = moduleList(g)
			ctx = unsafe.Pointer(list)
		}
		C.gw_call_event_callback(C.GATEWAY_CALLBACK(unsafe.Pointer(uintptr(cb))), C.uintptr_t(gid), C.int(e), ctx, unsafe.Pointer(uintptr(user)))
		if list != nil {
			C.Gateway_DestroyModuleList(list)
		}
	}
	g.AddEventCallback(gateway.Event(event), call)
}

//export gw_go_gateway_get_module_list
func gw_go_gateway_get_module_list(id C.uintptr_t) C.uintptr_t {
	g := rt().gateway(uintptr(id))
	if g == nil {
		return 0
	}
	return C.uintptr_t(uintptr(unsafe.Pointer(moduleList(g))))
}

// moduleList builds a C module list (caller destroys it with Gateway_DestroyModuleList).
func moduleList(g *gateway.Gateway) C.VECTOR_HANDLE {
	list := C.gw_modlist_new()
	if list == nil {
		return nil
	}
	mods := g.Modules()
	index := map[string]int{}
	for i, m := range mods {
		cs := C.CString(m.Name)
		rc := C.gw_modlist_add(list, cs)
		C.free(unsafe.Pointer(cs))
		if rc != 0 {
			C.Gateway_DestroyModuleList(list)
			return nil
		}
		index[m.Name] = i
	}
	for _, l := range g.Links() {
		sink, ok := index[l[1]]
		if !ok {
			continue
		}
		src := -1
		if l[0] != broker.Star {
			s, ok := index[l[0]]
			if !ok {
				continue
			}
			src = s
		}
		C.gw_modlist_add_source(list, C.size_t(sink), C.long(src))
	}
	return list
}
