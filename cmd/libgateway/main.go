// Command libgateway is built with -buildmode=c-shared into libgateway.so: the one
// library that legacy modules, legacy host programs and this project's executables
// link against. It exports the SDK v1 C API (the C files of cshim and internal/capi)
// and GatewayGo_Main and GatewayGo_ModuleHostMain, the entry points of the thin C executables in cmd/.
package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"log/slog"
	"os"
	"unsafe"

	"github.com/edgev1/gateway/cshim"
	"github.com/edgev1/gateway/internal/capi"
	"github.com/edgev1/gateway/internal/cli"
	"github.com/edgev1/gateway/internal/modulehost"

	// Loader kinds register themselves.
	_ "github.com/edgev1/gateway/loader/all"
)

func init() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	capi.Install(log)
	if err := cshim.InstallCrashReporter(); err != nil {
		log.Warn("crash reports will not name the module", "err", err)
	}
}

//export GatewayGo_Main
func GatewayGo_Main(argc C.int, argv **C.char) C.int {
	args := make([]string, int(argc))
	for i, p := range unsafe.Slice(argv, int(argc)) {
		args[i] = C.GoString(p)
	}
	return C.int(cli.Main(capi.Current(), args))
}

// GatewayGo_ModuleHostMain is the entry point of gateway-module-host (cmd/gateway-module-host/main.c).
//
//export GatewayGo_ModuleHostMain
func GatewayGo_ModuleHostMain(argc C.int, argv **C.char) C.int {
	args := make([]string, int(argc))
	for i, p := range unsafe.Slice(argv, int(argc)) {
		args[i] = C.GoString(p)
	}
	return C.int(modulehost.Main(capi.Current(), args))
}

func main() {}
