// Package abi holds the wire formats of the Azure IoT Gateway SDK v1 that cross process boundaries: the
// message byte array (Message_ToByteArray / Message_CreateFromByteArray, also the data frames of an
// out-of-process module's message channel) and the control messages of the out-of-process protocol. It is
// pure Go, has no state and is safe for concurrent use. All integers are big-endian.
//
// # Message byte array
//
//	offset  size  field
//	0       2     magic 0xA1 0x60
//	2       4     total size of the array, int32 (must equal the buffer length)
//	6       4     number of properties, int32 (>= 0)
//	10      ...   per property, in insertion order: key bytes, 0x00, value bytes, 0x00
//	x       4     content size, int32 (>= 0)
//	x+4     ...   content; it ends exactly at the end of the array
//
// The smallest array (no properties, no content) is 14 bytes. Example, content "hello" with properties
// source=sensor1 and type=temp (44 bytes):
//
//	a1 60 | 00 00 00 2c | 00 00 00 02 | "source" 00 "sensor1" 00 "type" 00 "temp" 00 | 00 00 00 05 | "hello"
//
// DecodeMessage rejects: fewer than 14 bytes (ErrTooShort); another magic (ErrBadHeader); a total size other
// than the buffer length (ErrSizeMismatch); a negative property count or one the buffer cannot hold at two
// bytes per property (ErrPropertyCount, checked before anything is allocated); a key or value without its NUL
// inside the buffer (ErrUnterminated); a repeated key (ErrDuplicateKey); a missing, negative or inexact content
// size (ErrTooShort, ErrContentSize). Every error is a *DecodeError carrying the byte offset.
//
// Empty keys and empty values are accepted in both directions: the SDK stores properties in its string map,
// which accepts empty strings, and SPEC section 3 lists no rule against them. Encoding rejects what cannot be
// represented: a NUL inside a key or value (ErrContainsNUL), repeated keys (ErrDuplicateKey) and arrays over
// 2^31-1 bytes (ErrTooLarge). The format is canonical: whenever DecodeMessage accepts b, re-encoding the result
// gives b again (the fuzz tests check this).
//
// # Control messages
//
// Every control message starts with the same 8-byte header:
//
//	offset  size  field
//	0       2     magic 0xA1 0x6C
//	2       1     header version, 1
//	3       1     type: 1 CREATE, 2 REPLY, 3 START, 4 DESTROY, 5 HEARTBEAT (0 "error" is never sent)
//	4       4     total size of the message, uint32 (must equal the buffer length)
//
// CREATE (gateway to remote) body:
//
//	offset  size  field
//	8       1     gateway message version, 1 (a remote rejects newer ones: ErrUnsupportedVersion)
//	9       1     uri type, 0x10 = NN_PAIR
//	10      4     uri size n, uint32, counting the NUL
//	14      n     message-channel uri bytes, then 0x00
//	14+n    4     args size m, uint32, counting the NUL
//	18+n    m     args (JSON text of the module's "args" value) bytes, then 0x00; the message ends here
//
// REPLY (remote to gateway) is 9 bytes: the header and one status byte, 0 ok, 1 connection error, 2 module
// creation error, 0xFF detach (the remote is leaving; the gateway re-runs CREATE and START). START and
// DESTROY (gateway to remote) are the header alone, 8 bytes:
//
//	START    a1 6c 01 03 00 00 00 08
//	DESTROY  a1 6c 01 04 00 00 00 08
//	REPLY ok a1 6c 01 02 00 00 00 09 00
//
// HEARTBEAT (type 5) is an extension reserved by this project for liveness checks: the header alone (8 bytes)
// or the header and an 8-byte sequence number (16 bytes). SDK remotes do not know it, so a gateway sends it
// only to a remote that announced support; DecodeControl accepts it.
//
// DecodeControl rejects: fewer than 8 bytes or a field running past the end (ErrTooShort); another magic
// (ErrBadHeader); a header version other than 1 or a CREATE message version other than 1
// (ErrUnsupportedVersion); an unknown type or type 0 (ErrBadType); a total size that differs from the buffer
// length or from what the type's fields add up to, including trailing bytes (ErrSizeMismatch); a uri type other
// than 0x10 (ErrBadURIType); a declared string whose last byte is not NUL or that holds an earlier NUL
// (ErrUnterminated, ErrContainsNUL); an empty uri (ErrEmptyURI). REPLY status values are not restricted. As for
// messages, a successful decode re-encodes to the same bytes.
package abi
