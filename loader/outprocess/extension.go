package outprocess

import "github.com/edgev1/gateway/abi"

// The HEARTBEAT extension (docs/outprocess.md, "Heartbeat extension"). abi reserves control type 5 for it; this
// file gives its two forms a meaning:
//
//   - header only (8 bytes): from the remote, ANNOUNCE ("I speak HEARTBEAT; my session counters start at zero",
//     sent once right after each REPLY 0); from the gateway, PING ("answer with your counts"). A gateway sends
//     nothing of the extension to a remote that has not announced, and a remote sends nothing but its one
//     ANNOUNCE to a gateway that has not sent a HEARTBEAT in the session, so SDK peers never see more than that.
//   - with sequence (16 bytes): COUNTS. The 64-bit sequence packs
//
//     bit 63      FIN: the sender will send no more data frames in this session; Sent is final
//     bit 62      reserved, 0
//     bits 61..31 Sent: data frames the sender has sent on the message channel in the session (mod 2^31)
//     bits 30..0  Done: from the gateway, data frames received from the remote; from the remote, data frames
//     processed by its module (and whose output the gateway has acknowledged) (mod 2^31)
//
// A session starts when the remote sends REPLY 0 (and the gateway receives it); both sides count from zero.

const (
	counterBits = 31
	counterMask = 1<<counterBits - 1
	finBit      = 1 << 63
)

// Counts is the body of a COUNTS heartbeat.
type Counts struct {
	Fin  bool
	Sent uint64 // full local counter; only the low 31 bits travel
	Done uint64
}

// Control returns the COUNTS control message for c.
func (c Counts) Control() abi.ControlMessage {
	seq := (c.Sent&counterMask)<<counterBits | c.Done&counterMask
	if c.Fin {
		seq |= finBit
	}
	return abi.ControlMessage{Type: abi.ControlHeartbeat, HasSequence: true, Sequence: seq}
}

// WireCounts is a received COUNTS: the 31-bit counters as they travel. Unwrap them against a known lower bound
// with Unwrap.
type WireCounts struct {
	Fin        bool
	Sent, Done uint32
}

// ParseCounts splits a COUNTS heartbeat. ok is false for other messages (including the header-only forms).
func ParseCounts(m abi.ControlMessage) (w WireCounts, ok bool) {
	if m.Type != abi.ControlHeartbeat || !m.HasSequence {
		return WireCounts{}, false
	}
	return WireCounts{
		Fin:  m.Sequence&finBit != 0,
		Sent: uint32(m.Sequence >> counterBits & counterMask),
		Done: uint32(m.Sequence & counterMask),
	}, true
}

// Unwrap returns the full counter whose low 31 bits are wire, given a lower bound known to be at most 2^31-1
// below the true value (the previous value of the same counter).
func Unwrap(lower uint64, wire uint32) uint64 {
	return lower + (uint64(wire)-lower)&counterMask
}

// UnwrapForward is Unwrap for a counter that only moves forward: ok is false when wire lies behind lower
// (more than 2^30 ahead is read as behind), so a stale report is never taken for a huge step.
func UnwrapForward(lower uint64, wire uint32) (uint64, bool) {
	d := (uint64(wire) - lower) & counterMask
	if d >= 1<<(counterBits-1) {
		return lower, false
	}
	return lower + d, true
}

// IsAnnounce reports a header-only HEARTBEAT (ANNOUNCE from a remote, PING from a gateway).
func IsAnnounce(m abi.ControlMessage) bool {
	return m.Type == abi.ControlHeartbeat && !m.HasSequence
}

// mustEncode encodes a control message that is valid by construction (it panics otherwise: a programming error).
func mustEncode(m abi.ControlMessage) []byte {
	b, err := abi.EncodeControl(m)
	if err != nil {
		panic("outprocess: " + err.Error())
	}
	return b
}

// Fixed control frames.
var (
	frameStart     = mustEncode(abi.ControlMessage{Type: abi.ControlStart})
	frameDestroy   = mustEncode(abi.ControlMessage{Type: abi.ControlDestroy})
	frameHeartbeat = mustEncode(abi.ControlMessage{Type: abi.ControlHeartbeat})
)

// EncodeCounts returns the frame of c.
func EncodeCounts(c Counts) []byte { return mustEncode(c.Control()) }

// HeartbeatFrame returns the header-only HEARTBEAT frame (a new slice).
func HeartbeatFrame() []byte { return append([]byte(nil), frameHeartbeat...) }
