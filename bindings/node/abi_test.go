package node

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// gwn_napi.h declares the N-API subset by hand (so the gateway builds without Node's
// headers); this compiles testdata/napi_abi_check.c against the real node_api.h to
// prove every constant, layout and function type matches.
func TestNapiDeclarationsMatchNodeHeaders(t *testing.T) {
	var include string
	for _, dir := range []string{os.Getenv("GATEWAY_NODE_INCLUDE"), "../../deps/libnode/usr/include/node", "/usr/include/node"} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "node_api.h")); err == nil {
			include = dir
			break
		}
	}
	if include == "" {
		t.Skip("node_api.h not found: run bindings/node/setup-libnode.sh (or apt install libnode-dev)")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	out, err := exec.Command(gcc, "-std=c11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror",
		"-Werror=incompatible-pointer-types", "-I", include, "-I", ".", "testdata/napi_abi_check.c").CombinedOutput()
	if err != nil {
		t.Fatalf("gwn_napi.h does not match node_api.h: %v\n%s", err, out)
	}
}
