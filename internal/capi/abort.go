package capi

import (
	"github.com/edgev1/gateway/internal/gateway"
	"github.com/edgev1/gateway/loader"
)

// abortOnDestroy tells the modules that may block waiting for an outside peer (out-of-process proxies, whose
// Receive waits while their remote is away) that the gateway is being destroyed, before the broker drains their
// queues: they then drop (and count) what they cannot deliver instead of blocking Gateway_Destroy.
func abortOnDestroy(g *gateway.Gateway) {
	g.AddEventCallback(gateway.Destroyed, func(g *gateway.Gateway, _ gateway.Event) {
		for _, m := range g.Modules() {
			if a, ok := m.Instance.(loader.Aborter); ok {
				a.Abort()
			}
		}
	})
}
