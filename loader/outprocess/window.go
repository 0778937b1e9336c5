package outprocess

import "github.com/edgev1/gateway/cshim"

// window holds one reference to each data frame sent in the current session and not yet acknowledged as
// processed by the remote, oldest first. Frame numbers count from 0 at the start of the session; the window
// holds frames [base, base+n). Not safe for concurrent use (the proxy's mu guards it).
type window struct {
	ring []cshim.Message // len is zero or a power of two
	head int
	n    int
	base uint64
}

func (w *window) len() int { return w.n }

// push appends the reference of frame number no (taking it over). Frames must be pushed in order.
func (w *window) push(m cshim.Message, no uint64) {
	if w.n == 0 {
		w.base = no
		w.head = 0
	}
	if w.n == len(w.ring) {
		size := 2 * len(w.ring)
		if size == 0 {
			size = 64
		}
		nr := make([]cshim.Message, size)
		for i := 0; i < w.n; i++ {
			nr[i] = w.ring[(w.head+i)&(len(w.ring)-1)]
		}
		w.ring, w.head = nr, 0
	}
	w.ring[(w.head+w.n)&(len(w.ring)-1)] = m
	w.n++
}

// ackUpTo removes the frames numbered below done and appends their references to out (for the caller to
// release outside the lock).
func (w *window) ackUpTo(done uint64, out []cshim.Message) []cshim.Message {
	for w.n > 0 && w.base < done {
		i := w.head
		out = append(out, w.ring[i])
		w.ring[i] = 0
		w.head = (i + 1) & (len(w.ring) - 1)
		w.n--
		w.base++
	}
	return out
}

// takeAll removes every frame and appends the references to out, oldest first.
func (w *window) takeAll(out []cshim.Message) []cshim.Message {
	for w.n > 0 {
		out = append(out, w.ring[w.head])
		w.ring[w.head] = 0
		w.head = (w.head + 1) & (len(w.ring) - 1)
		w.n--
		w.base++
	}
	return out
}
