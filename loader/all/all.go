// Package all registers every loader kind of this build: native, java, node, dotnet,
// dotnetcore and outprocess. Import it for its side effect.
package all

import (
	_ "github.com/edgev1/gateway/bindings/dotnet" // dotnet (Mono) and dotnetcore
	_ "github.com/edgev1/gateway/bindings/jvm"
	_ "github.com/edgev1/gateway/bindings/node"
	_ "github.com/edgev1/gateway/loader/native"
	_ "github.com/edgev1/gateway/loader/outprocess"
)
