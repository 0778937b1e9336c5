package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// FileWatch notices, through inotify, the moment a file appears in a directory
// (created, linked or renamed into place as the modules' atomic reports are: Mono
// moves a file with link + unlink), without
// polling: the harness wakes up exactly once, so it neither delays nor competes
// with the process it is timing.
type FileWatch struct {
	f    *os.File
	name string
}

// WatchFile starts watching dir for name. Call it before starting the process.
func WatchFile(dir, name string) (*FileWatch, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify: %w", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_MOVED_TO|syscall.IN_CLOSE_WRITE|syscall.IN_CREATE); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("inotify %s: %w", dir, err)
	}
	// A non-blocking fd makes the *os.File pollable, so read deadlines work.
	return &FileWatch{f: os.NewFile(uintptr(fd), "inotify"), name: name}, nil
}

// Wait returns the time at which the file appeared.
func (w *FileWatch) Wait(timeout time.Duration) (time.Time, error) {
	if err := w.f.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return time.Time{}, fmt.Errorf("inotify: %w", err)
	}
	buf := make([]byte, 64*1024)
	for {
		n, err := w.f.Read(buf)
		at := time.Now()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return time.Time{}, fmt.Errorf("%s did not appear within %v", w.name, timeout)
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("inotify: %w", err)
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			nameLen := int(binary.NativeEndian.Uint32(buf[off+12 : off+16]))
			start := off + syscall.SizeofInotifyEvent
			if start+nameLen > n {
				break
			}
			name := string(bytes.TrimRight(buf[start:start+nameLen], "\x00"))
			if name == w.name {
				return at, nil
			}
			off = start + nameLen
		}
	}
}

// Close releases the inotify descriptor.
func (w *FileWatch) Close() error { return w.f.Close() }
