package cshim_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgev1/gateway/abi"
	"github.com/edgev1/gateway/cshim"
)

// SPEC section 3 test vector: content "hello", properties source=sensor1, type=temp.
const vector44 = "a160" + "0000002c" + "00000002" + "736f7572636500" + "73656e736f723100" + "7479706500" + "74656d7000" + "00000005" + "68656c6c6f"

func TestMessageVectorRoundTrip(t *testing.T) {
	raw, err := hex.DecodeString(vector44)
	require.NoError(t, err)
	require.Len(t, raw, 44)

	m, err := cshim.MessageFromBytes(raw)
	require.NoError(t, err)
	defer m.Release()
	out, err := m.Bytes()
	require.NoError(t, err)
	require.Equal(t, raw, out, "C serialization must reproduce the vector bit for bit")
	require.Equal(t, []byte("hello"), m.Content())
	require.Equal(t, 44, m.Size())

	built, err := cshim.NewMessage([]byte("hello"), []abi.Property{{Key: "source", Value: "sensor1"}, {Key: "type", Value: "temp"}})
	require.NoError(t, err)
	defer built.Release()
	out2, err := built.Bytes()
	require.NoError(t, err)
	require.Equal(t, raw, out2)
}

func TestHelloWorldMessageIs78Bytes(t *testing.T) {
	m, err := cshim.NewMessage([]byte("hello world"), []abi.Property{{Key: "helloWorld", Value: "from Azure IoT Gateway SDK simple sample!"}})
	require.NoError(t, err)
	defer m.Release()
	require.Equal(t, 78, m.Size())
}

func TestMalformedArraysAreRejected(t *testing.T) {
	raw, _ := hex.DecodeString(vector44)
	mutate := func(f func(b []byte) []byte) []byte {
		b := append([]byte(nil), raw...)
		return f(b)
	}
	cases := map[string][]byte{
		"empty":           {},
		"too short":       raw[:13],
		"bad header":      mutate(func(b []byte) []byte { b[1] = 0x61; return b }),
		"size mismatch":   mutate(func(b []byte) []byte { b[5] = 0x2d; return b }),
		"truncated":       raw[:43],
		"trailing byte":   append(append([]byte(nil), raw...), 0),
		"negative count":  mutate(func(b []byte) []byte { b[6] = 0xff; return b }),
		"huge count":      mutate(func(b []byte) []byte { b[7] = 0x7f; return b }),
		"content too big": mutate(func(b []byte) []byte { b[38] = 6; return b }),
	}
	// two properties with the same key "a": a=b, a=c
	dup, _ := hex.DecodeString("a160" + "0000001f" + "00000002" + "610062006100630000000005" + "68656c6c6f")
	dup[5] = byte(len(dup))
	cases["duplicate key"] = dup
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			_, goErr := abi.DecodeMessage(b)
			require.Error(t, goErr, "Go decoder must reject")
			m, err := cshim.MessageFromBytes(b)
			require.Error(t, err, "C decoder must reject")
			require.Zero(t, m)
			require.True(t, errors.Is(err, cshim.ErrMalformed))
		})
	}
}

func TestRefCountAcrossThreads(t *testing.T) {
	m, err := cshim.NewMessage(bytes.Repeat([]byte{7}, 256), []abi.Property{{Key: "a", Value: "b"}})
	require.NoError(t, err)
	const workers, rounds = 8, 20000
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < rounds; j++ {
				m.Retain(2)
				m.Release()
				m.Release()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int32(1), m.RefCount())
	m.Release()
}

func TestSerializeJSONMatchesParsonRules(t *testing.T) {
	cases := map[string]string{
		`{"a": 1, "b": [true, null, "x/y"]}`: `{"a":1,"b":[true,null,"x\/y"]}`,
		`"THIS IS THE OOP MODULE CONFIGURATION"`: `"THIS IS THE OOP MODULE CONFIGURATION"`,
		`null`:           `null`,
		`{"n": 1.5e3}`:   `{"n":1500}`,
		`{"u":"é\u0001"}`: "{\"u\":\"é\\u0001\"}",
	}
	for in, want := range cases {
		got, err := cshim.SerializeJSON(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := cshim.SerializeJSON(`{"a":`)
	require.Error(t, err)
}
