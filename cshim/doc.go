// Package cshim is the C side of the SDK v1 ABI and the Go glue around it.
//
// The C files in this folder implement what legacy modules call directly (messages,
// the azure-c-shared-utility helpers, the parson JSON API, the C broker and gateway
// entry points). cgo compiles them into every binary that imports this package; the
// libgateway.so build (cmd/libgateway) exports them to modules and host programs.
//
// The C side reaches Go through a small set of gw_go_* functions exported here, which
// forward to the Host installed with SetHost. Go reaches C through the typed wrappers in
// this package (Message, NativeAPI).
//
// # Memory
//
// Messages are C objects (struct MESSAGE_HANDLE_DATA_TAG in gw_internal.h) with an
// atomic reference count as their first field. A Message value in Go is one reference
// only when the doc of the function that produced it says so; Release gives it back.
// No Go pointer is ever stored by C: Go memory passed to C is only read during the call.
//
// # Threading
//
// Every function here may be called from any goroutine or C thread. Module calls
// (NativeAPI) must follow the module contract: Receive is never called concurrently
// for one module (the broker guarantees it).
package cshim
