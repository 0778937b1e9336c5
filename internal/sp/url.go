package sp

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	// MaxIDLen is the longest control.id / message.id the SDK allows (SPEC section 4).
	MaxIDLen = 128
	// MaxIPCPath is the longest ipc:// path nanomsg can use: a unix socket's sun_path holds 108 bytes including
	// the NUL. nanomsg 1.1.5 aborts the whole process (an assertion) on a longer path, so Bind and Dial refuse
	// one with ErrAddress before calling it.
	MaxIPCPath = 107
	// MaxURLLen is the longest URL nanomsg accepts (NN_SOCKADDR_MAX is 128 including the NUL).
	MaxURLLen = 127

	ipcScheme = "ipc://"
)

// IPCURL builds the ipc:// URL for an SDK channel id (control.id or message.id).
//
// The id must be 1 to MaxIDLen bytes without NUL. With dir empty, or an absolute id, the URL is "ipc://" + id
// verbatim, as the SDK builds it; a relative id then names a path relative to the working directory of each
// process that uses the URL (nanomsg hands the path to bind(2) and connect(2) unchanged), so a gateway and a
// remote with different working directories must agree on absolute ids. With dir set, a relative id is joined
// to dir, which pins it. The resulting path must fit a unix socket address (MaxIPCPath bytes), else ErrAddress.
func IPCURL(dir, id string) (string, error) {
	switch {
	case id == "":
		return "", fmt.Errorf("sp: ipc id is empty: %w", ErrAddress)
	case len(id) > MaxIDLen:
		return "", fmt.Errorf("sp: ipc id of %d bytes exceeds %d: %w", len(id), MaxIDLen, ErrAddress)
	case strings.IndexByte(id, 0) >= 0:
		return "", fmt.Errorf("sp: ipc id %q contains NUL: %w", id, ErrAddress)
	case strings.IndexByte(dir, 0) >= 0:
		return "", fmt.Errorf("sp: ipc dir %q contains NUL: %w", dir, ErrAddress)
	}
	path := id
	if dir != "" && !filepath.IsAbs(id) {
		path = filepath.Join(dir, id)
	}
	url := ipcScheme + path
	if err := checkURL(url); err != nil {
		return "", err
	}
	return url, nil
}

// checkURL rejects what nanomsg would refuse or, worse, abort on.
func checkURL(url string) error {
	if strings.IndexByte(url, 0) >= 0 {
		return fmt.Errorf("sp: url %q contains NUL: %w", url, ErrAddress)
	}
	if len(url) > MaxURLLen {
		return fmt.Errorf("sp: url of %d bytes exceeds nanomsg's limit of %d: %w", len(url), MaxURLLen, ErrAddress)
	}
	if path, ok := strings.CutPrefix(url, ipcScheme); ok {
		if path == "" {
			return fmt.Errorf("sp: url %q has an empty ipc path: %w", url, ErrAddress)
		}
		if len(path) > MaxIPCPath {
			return fmt.Errorf("sp: ipc path of %d bytes exceeds the unix socket limit of %d: %q: %w",
				len(path), MaxIPCPath, path, ErrAddress)
		}
	}
	return nil
}

// checkBindPath refuses to bind an ipc path that exists and is not a socket: nanomsg unlinks whatever is there.
func checkBindPath(url string) error {
	path, ok := strings.CutPrefix(url, ipcScheme)
	if !ok {
		return nil
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode().Type() == fs.ModeSocket {
		return nil
	}
	return fmt.Errorf("sp: bind %s: %s exists and is not a socket (%s): %w", url, path, fi.Mode().Type(), ErrAddress)
}
