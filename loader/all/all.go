// Package all registers every loader kind of this build. Import it for its side
// effect.
package all

import (
	_ "github.com/edgev1/gateway/bindings/jvm"
	_ "github.com/edgev1/gateway/bindings/node"
	"github.com/edgev1/gateway/loader"
	_ "github.com/edgev1/gateway/loader/native"
)

func init() {
	for _, u := range []loader.Unavailable{
		{TypeName: loader.DotNet, Why: ".NET modules need the Mono binding (bindings/dotnet), which this build does not include yet"},
		{TypeName: loader.DotNetCore, Why: ".NET Core modules need CoreCLR hosting, which this build does not include yet"},
		{TypeName: loader.OutProcess, Why: "out-of-process modules need the outprocess loader, which this build does not include yet"},
	} {
		if _, ok := loader.Lookup(u.TypeName); !ok {
			loader.Register(u)
		}
	}
}
