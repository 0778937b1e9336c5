// Package broker routes messages between modules.
//
// A Broker holds endpoints (one per module) and links (source -> sink, where the
// source may be "*": every other module, including modules added later). Publishing
// never copies a message: each sink receives one more reference to the same C
// message (cshim.Message), queued in the sink's bounded queue and delivered by the
// sink's own worker goroutine, in batches. So:
//
//   - a module's Receive is never called concurrently (one worker per module);
//   - per source, order is preserved (one FIFO per sink);
//   - nothing is dropped silently: a full queue blocks the publisher (backpressure,
//     the default) or, with an explicit overflow policy, drops and counts it.
//
// Publishing from inside a Receive never blocks (it may exceed the queue bound, and
// that is counted as overflow) so that cycles of modules cannot deadlock.
//
// # Lock order
//
// Broker.mu (topology) before queue.mu (one queue). Publish takes no broker lock: it
// reads an immutable snapshot of the source's sinks.
package broker
