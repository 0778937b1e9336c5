//go:build !linux

package abi_test

import "testing"

// hugeBytes needs an address-space reservation only implemented for Linux; elsewhere the size-limit cases skip.
func hugeBytes(t *testing.T, n int) []byte {
	t.Skip("size-limit test reserves memory with a Linux mmap")
	return nil
}
