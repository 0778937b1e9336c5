package abi_test

import (
	"syscall"
	"testing"
)

// hugeBytes returns an n-byte slice of reserved but untouched memory (an anonymous PROT_READ, MAP_NORESERVE
// mapping), so size limits near 2 GiB can be tested without using that much RAM. The encoders under test
// reject such sizes before reading the content.
func hugeBytes(t *testing.T, n int) []byte {
	t.Helper()
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ, syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_NORESERVE)
	if err != nil {
		t.Skipf("cannot reserve %d bytes of address space: %v", n, err)
	}
	t.Cleanup(func() { syscall.Munmap(b) })
	return b
}
