// Package capi implements the Go side of the C API that libgateway.so exports: the
// cshim.Host (Broker_Publish, xlogging, the C broker API) and the Gateway_* and
// event-system entry points. cmd/libgateway links it into the shared library.
//
// # Handles
//
// BROKER_HANDLE and GATEWAY_HANDLE values are small non-zero integers issued here and
// cast to pointers; C code treats them as opaque. They stay valid until the broker's
// last Broker_DecRef / until Gateway_Destroy.
package capi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/edgev1/gateway/broker"
	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/loader/native"
)

// brokerRec is a broker reachable from C.
type brokerRec struct {
	b    *broker.Broker
	refs atomic.Int32 // references held by C callers of the broker API
	// owned is true for brokers created by Broker_Create (C owns them).
	owned bool
}

// Host is the process-wide cshim.Host.
type Host struct {
	log atomic.Pointer[slog.Logger] // replaced by the CLI while C threads may log

	mu      sync.Mutex
	next    uintptr
	brokers atomic.Pointer[map[uintptr]*brokerRec]

	unknownSourceWarned atomic.Bool
}

var _ cshim.Host = (*Host)(nil)

// NewHost returns a Host logging to log.
func NewHost(log *slog.Logger) *Host {
	h := &Host{next: 1}
	h.log.Store(log)
	m := map[uintptr]*brokerRec{}
	h.brokers.Store(&m)
	return h
}

// Logger returns the host's logger.
func (h *Host) Logger() *slog.Logger { return h.log.Load() }

// SetLogger replaces the logger (used when the CLI configures logging).
func (h *Host) SetLogger(l *slog.Logger) { h.log.Store(l) }

// RegisterBroker issues a C handle for b.
func (h *Host) RegisterBroker(b *broker.Broker) uintptr {
	return h.register(&brokerRec{b: b})
}

func (h *Host) register(r *brokerRec) uintptr {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next << 4
	h.next++
	old := *h.brokers.Load()
	m := make(map[uintptr]*brokerRec, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[id] = r
	h.brokers.Store(&m)
	return id
}

// ReleaseBroker forgets a handle issued by RegisterBroker.
func (h *Host) ReleaseBroker(id uintptr) {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := *h.brokers.Load()
	m := make(map[uintptr]*brokerRec, len(old))
	for k, v := range old {
		if k != id {
			m[k] = v
		}
	}
	h.brokers.Store(&m)
}

func (h *Host) lookup(id uintptr) *brokerRec { return (*h.brokers.Load())[id] }

// Publish implements Broker_Publish.
func (h *Host) Publish(bh, source uintptr, msg cshim.Message, inReceive bool) int {
	r := h.lookup(bh)
	if r == nil {
		return cshim.BrokerInvalidArg
	}
	err := r.b.PublishFromHandle(source, msg, inReceive)
	if err == nil {
		return cshim.BrokerOK
	}
	if errors.Is(err, broker.ErrUnknownSource) {
		if h.unknownSourceWarned.CompareAndSwap(false, true) {
			h.Logger().Warn("Broker_Publish from a module handle this broker does not know (published before Module_Create returned, or after the module was removed); returning BROKER_ERROR", "source", fmt.Sprintf("%#x", source))
		}
	}
	return cshim.BrokerError
}

// Log implements the xlogging route.
func (h *Host) Log(category int, module, file, function string, line int, text string) {
	level := slog.LevelInfo
	switch category {
	case cshim.LogError:
		level = slog.LevelError
	case cshim.LogTrace:
		level = slog.LevelDebug
	}
	attrs := make([]any, 0, 6)
	if module != "" {
		attrs = append(attrs, "module", module)
	}
	attrs = append(attrs, "src", fmt.Sprintf("%s:%d", file, line), "func", function)
	h.Logger().Log(context.Background(), level, text, attrs...)
}

// BrokerCreate implements Broker_Create: a broker owned by C.
func (h *Host) BrokerCreate() uintptr {
	r := &brokerRec{b: broker.New(h.Logger()), owned: true}
	r.refs.Store(1)
	return h.register(r)
}

// BrokerIncRef implements Broker_IncRef.
func (h *Host) BrokerIncRef(id uintptr) {
	if r := h.lookup(id); r != nil {
		r.refs.Add(1)
	}
}

// BrokerDecRef implements Broker_DecRef / Broker_Destroy: the last reference of a
// C-owned broker closes it. Gateway brokers are released by Gateway_Destroy only.
func (h *Host) BrokerDecRef(id uintptr) {
	r := h.lookup(id)
	if r == nil || !r.owned {
		return
	}
	if r.refs.Add(-1) == 0 {
		for _, err := range r.b.Close(0) {
			h.Logger().Error("broker destroy", "err", err)
		}
		h.ReleaseBroker(id)
	}
}

func cModuleName(handle uintptr) string { return fmt.Sprintf("module@%#x", handle) }

// cSink delivers to a module added through the C broker API; the C caller owns the
// module (the broker never destroys it).
type cSink struct{ inst *native.Instance }

func (s cSink) Receive(m []cshim.Message) { s.inst.Receive(m) }

// BrokerAddModule implements Broker_AddModule.
func (h *Host) BrokerAddModule(id uintptr, api cshim.NativeAPI, module uintptr) int {
	r := h.lookup(id)
	if r == nil {
		return cshim.BrokerInvalidArg
	}
	if err := api.Validate(); err != nil {
		h.Logger().Error("Broker_AddModule: invalid module API", "err", err)
		return cshim.BrokerInvalidArg
	}
	name := cModuleName(module)
	inst := native.NewInstance(api, module, cshim.NewCName(name))
	ep, err := r.b.AddModule(name, cSink{inst}, broker.Options{})
	if err != nil {
		h.Logger().Error("Broker_AddModule", "err", err)
		return cshim.BrokerError
	}
	r.b.BindHandle(module, ep)
	return cshim.BrokerOK
}

// BrokerRemoveModule implements Broker_RemoveModule.
func (h *Host) BrokerRemoveModule(id, module uintptr) int {
	r := h.lookup(id)
	if r == nil {
		return cshim.BrokerInvalidArg
	}
	e := r.b.ByHandle(module)
	if e == nil {
		return cshim.BrokerError
	}
	if err := r.b.RemoveModule(e.Name(), 0); err != nil {
		return cshim.BrokerError
	}
	return cshim.BrokerOK
}

func (h *Host) linkNames(id, source, sink uintptr) (*brokerRec, string, string, bool) {
	r := h.lookup(id)
	if r == nil {
		return nil, "", "", false
	}
	src, dst := r.b.ByHandle(source), r.b.ByHandle(sink)
	if src == nil || dst == nil {
		return r, "", "", false
	}
	return r, src.Name(), dst.Name(), true
}

// BrokerAddLink implements Broker_AddLink.
func (h *Host) BrokerAddLink(id, source, sink uintptr) int {
	r, s, d, ok := h.linkNames(id, source, sink)
	if !ok {
		return cshim.BrokerAddLinkError
	}
	if err := r.b.AddLink(s, d); err != nil {
		return cshim.BrokerAddLinkError
	}
	return cshim.BrokerOK
}

// BrokerRemoveLink implements Broker_RemoveLink.
func (h *Host) BrokerRemoveLink(id, source, sink uintptr) int {
	r, s, d, ok := h.linkNames(id, source, sink)
	if !ok {
		return cshim.BrokerRemoveLinkError
	}
	if err := r.b.RemoveLink(s, d); err != nil {
		return cshim.BrokerRemoveLinkError
	}
	return cshim.BrokerOK
}
