package procfs

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatusKBOfSelf(t *testing.T) {
	rss, err := StatusKB(os.Getpid(), "VmRSS")
	require.NoError(t, err)
	require.NotZero(t, rss)
	peak, err := StatusKB(os.Getpid(), "VmHWM")
	require.NoError(t, err)
	require.GreaterOrEqual(t, peak, rss, "the peak is at least the current resident set")
}

func TestStatusKBErrors(t *testing.T) {
	_, err := StatusKB(os.Getpid(), "NoSuchField")
	require.ErrorContains(t, err, "no NoSuchField field")
	_, err = StatusKB(os.Getpid(), "Threads") // a count, not kB
	require.ErrorContains(t, err, "not a kB value")
	_, err = StatusKB(-1, "VmRSS")
	require.Error(t, err)
}
