package broker

import (
	"sync/atomic"
	"syscall"
	"unsafe"
)

// A worker parked after a pause in steady traffic sleeps in the kernel on a futex
// word instead of on a sync.Cond (queue.go says when each is used). With a Cond,
// waking the worker from a publisher - usually a module's C thread inside a cgo
// callback - makes it runnable on the publisher's own P, from where a
// spinning M has to steal it or sysmon has to hand the P off once the callback has
// returned to C: tens of µs, sometimes a sysmon period (up to 10 ms), in the tail of
// publish -> Receive. A futex wake makes the kernel run the worker's thread directly;
// it then needs any idle P, which the parked worker's own P usually still is.
//
// The protocol (queue.popBatch / queue.push): under the queue lock the worker sets
// workerWaiting and reads the word, then sleeps unless the word has changed; a
// publisher that finds workerWaiting set changes the word under the lock and wakes
// it after unlocking. A change between the worker's unlock and its FUTEX_WAIT makes
// the wait return at once, so no wake-up is lost. The cost: a worker parked this way
// holds its OS thread while it waits.

const (
	futexWaitPrivate = 128 // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
	futexWakePrivate = 129 // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
)

// park sleeps while *word == seen (or until a spurious wake-up; callers re-check).
func park(word *atomic.Uint32, seen uint32) {
	_, _, _ = syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(word)), futexWaitPrivate, uintptr(seen), 0, 0, 0)
}

// unpark wakes the worker sleeping on word, if any.
func unpark(word *atomic.Uint32) {
	_, _, _ = syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(word)), futexWakePrivate, 1, 0, 0, 0)
}

// osYield gives the CPU to another runnable thread, if any.
func osYield() { _, _, _ = syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
