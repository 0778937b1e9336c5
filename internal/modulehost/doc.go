// Package modulehost is gateway-module-host: the process that hosts one module out of process for a gateway
// (the remote side of SPEC section 4). It binds the control channel given on its command line, and on CREATE
// binds the message channel the CREATE names and creates the module its args describe, with any loader
// ("outprocess.loader", native first; "outprocess.loaders" adds or configures loaders as the top-level
// "loaders" does). The module runs in a small internal gateway: what arrives on the message channel is
// published to it, and what it publishes (Broker_Publish for a native module) goes back over the message channel.
//
// The host speaks the SDK protocol to any gateway, and the HEARTBEAT extension (package outprocess) to a gateway
// that answers its announcement: acknowledgements that let the gateway resend what a dead host never processed,
// and a drain that loses nothing when the host leaves or the gateway destroys the module. docs/outprocess.md
// has the details.
//
// # Security
//
// Socket files are created with umask 077 (owner only); a missing directory for the control socket is created
// with mode 0700. A CREATE may only name an ipc:// message channel without ".." path elements (and inside
// --message-dir when given): the host never listens on a network transport because a CREATE asked it to.
// Malformed control and data frames are logged and skipped; they never end the host.
package modulehost
