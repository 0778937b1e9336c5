package control_test

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/internal/control"
)

type handler struct {
	reloads atomic.Int32
	fail    atomic.Bool
}

func (h *handler) Reload() (any, error) {
	h.reloads.Add(1)
	if h.fail.Load() {
		return map[string]string{"attempted": "x"}, errors.New("reload failed on purpose")
	}
	return map[string]any{"changes": "modules +a"}, nil
}

func (h *handler) Status() (any, error) { return map[string]any{"modules": []string{"a"}}, nil }

func TestServeAndCall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gw.sock")
	h := &handler{}
	s, err := control.Listen(path, h, nil)
	require.NoError(t, err)

	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "owner-only")

	resp, err := control.Call(path, "reload", 5*time.Second)
	require.NoError(t, err)
	require.True(t, resp.OK)
	require.JSONEq(t, `{"changes":"modules +a"}`, string(resp.Result))

	h.fail.Store(true)
	resp, err = control.Call(path, "reload", 5*time.Second)
	require.NoError(t, err)
	require.False(t, resp.OK)
	require.Equal(t, "reload failed on purpose", resp.Error)
	require.JSONEq(t, `{"attempted":"x"}`, string(resp.Result))
	require.EqualValues(t, 2, h.reloads.Load())

	resp, err = control.Call(path, "status", 5*time.Second)
	require.NoError(t, err)
	require.True(t, resp.OK)
	var st struct{ Modules []string }
	require.NoError(t, json.Unmarshal(resp.Result, &st))
	require.Equal(t, []string{"a"}, st.Modules)

	resp, err = control.Call(path, "explode", 5*time.Second)
	require.NoError(t, err)
	require.False(t, resp.OK)
	require.Contains(t, resp.Error, `unknown command "explode"`)

	// A second gateway on the same path is refused.
	_, err = control.Listen(path, h, nil)
	require.ErrorIs(t, err, control.ErrInUse)

	require.NoError(t, s.Close())
	_, err = os.Stat(path)
	require.True(t, os.IsNotExist(err), "the socket file is removed on Close")
	_, err = control.Call(path, "status", time.Second)
	require.Error(t, err)
}

func TestStaleSocketIsReplacedOtherFilesAreNot(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	require.NoError(t, err)
	ln.SetUnlinkOnClose(false)
	require.NoError(t, ln.Close()) // leaves the file, nobody listening
	s, err := control.Listen(stale, &handler{}, nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	regular := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(regular, []byte("keep"), 0o644))
	_, err = control.Listen(regular, &handler{}, nil)
	require.ErrorContains(t, err, "not a socket")
	data, _ := os.ReadFile(regular)
	require.Equal(t, "keep", string(data))
}
