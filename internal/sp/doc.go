// Package sp wraps nanomsg NN_PAIR sockets (the SP pair protocol v0 the SDK's out-of-process modules speak over
// ipc://) using the system's libnanomsg through cgo. Debian and Ubuntu package it as libnanomsg-dev (runtime:
// libnanomsg5); NNG speaks the same wire protocol.
//
// A Socket is created with NewPair, bound or dialed to a URL (IPCURL builds one from an SDK channel id), then
// used with Send and Recv (or RecvAppend to reuse a buffer, or RecvMsg for zero copy), and closed with Close.
//
// # Threading
//
// Every method is safe for concurrent use. Blocking calls run nanomsg's non-blocking calls and wait in poll(2)
// on nanomsg's NN_RCVFD/NN_SNDFD descriptors plus an eventfd that Close signals, so a blocked call uses no CPU,
// holds one OS thread while it waits (as any cgo call), honours the socket's timeouts, and returns ErrClosed as
// soon as Close is called from another goroutine. Close waits for in-flight calls to leave nanomsg before
// nn_close, so a socket id is never used after nanomsg may have reused it. nanomsg runs its own worker threads.
//
// # Memory
//
// Send: nanomsg copies the frame before returning. Recv and RecvAppend: the frame is copied into Go memory and
// nanomsg's buffer is freed before returning. RecvMsg: the frame stays in nanomsg's buffer, owned by the caller
// until Msg.Free. No Go pointer is retained by C; Go slices are passed to C only for the duration of a call.
//
// # Paths
//
// An ipc:// URL names a unix socket file. A relative path is resolved against the working directory of each
// process that binds or dials it. The path must fit a unix socket address (MaxIPCPath = 107 bytes): nanomsg
// 1.1.5 aborts the process on a longer one, so Bind and Dial refuse it first. Close of a bound socket removes the
// file; a later Bind replaces a stale file that nobody listens on (left by a process that died).
//
// # Delivery
//
// nanomsg 1.1.5 drops frames still queued when a socket closes (it does not implement NN_LINGER), and frames
// received but not yet taken by Recv when the peer disconnects. Close therefore lingers after a recent Send
// (SetLinger); a protocol that must know a frame arrived needs an acknowledgement.
package sp
