package loader_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/loader"
)

func TestCheckConfiguration(t *testing.T) {
	require.NoError(t, loader.CheckConfiguration("l", nil), "absent")
	require.NoError(t, loader.CheckConfiguration("l", []byte(`{"binding.path": "x"}`)))
	require.EqualError(t, loader.CheckConfiguration("mine", []byte(`{"a":`)), `loader "mine": configuration: invalid JSON`)
}
