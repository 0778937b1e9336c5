// Package outprocess is the "outprocess" module loader: a module whose code runs in another process (a module
// host: this project's gateway-module-host, or any SDK v1 remote) behind a proxy module in the gateway.
//
// The wire protocol is the SDK's (SPEC section 4): nanomsg pair v0 sockets over ipc://, a control channel
// (CREATE, REPLY, START, DESTROY) and a message channel whose frames are plain message byte arrays. The remote
// binds both; the gateway dials. On top of it this package adds, only with remotes that announce it, the
// HEARTBEAT extension (extension.go): liveness, acknowledgements, a bounded window of unacknowledged messages
// that are sent again after a remote dies, and an orderly drain on detach and destroy. docs/outprocess.md
// describes the protocol byte by byte, the roles, the handshake, supervision and security.
//
// Entry point (SDK keys first): activation.type ("none" | "launch"), control.id, message.id (generated next to
// control.id when absent), timeout (ms, 1000), launch {path, args, grace.period.ms (3000), restart.max (5),
// restart.backoff.ms (100), restart.backoff.max.ms (10000)}, create.timeout.ms (60000 for none, 10000 for
// launch), heartbeat.ms (1000; 0 = behave exactly like the SDK), window (8192).
//
// # Threading
//
// See the proxy type: Receive runs on the broker's worker for the module and sends frames itself; four
// goroutines per module (control reader, message reader, control writer, state machine) plus, for activation
// launch, one waiting for the child. No goroutine polls a socket: they block in poll(2) through package sp.
// The state machine wakes every 50 ms for its timers.
//
// # Memory
//
// Messages received from the broker are borrowed for Receive; the window keeps one reference (Message.Retain)
// to each frame until the remote acknowledges it, and releases it then (or at destroy). Frames received from the
// remote are copied out of nanomsg's buffer into a new C message, published, and released.
package outprocess
