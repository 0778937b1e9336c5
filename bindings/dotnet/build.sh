#!/usr/bin/env bash
# Builds the managed half of the .NET binding and its C# modules with Mono's mcs:
#   <outdir>/Microsoft.Azure.IoT.Gateway.dll   the binding (managed/)
#   <outdir>/SensorModule.dll, PrinterModule.dll   the samples (samples/)
#   <outdir>/TestModules.dll                   the test modules (testdata/)
# Usage: bindings/dotnet/build.sh <outdir>
# Needs mcs (Debian: mono-mcs). Rebuilds an output only when a source is newer.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: $0 <outdir>}"
command -v mcs >/dev/null || { echo "build.sh: mcs not found (apt-get install mono-mcs)" >&2; exit 1; }
mkdir -p "$out"

binding="$out/Microsoft.Azure.IoT.Gateway.dll"
flags=(-nologo -target:library -optimize+ -warnaserror+ -langversion:7)

# build <output> <extra mcs flags> <sources...>: compile when the output is missing or
# older than a source (or than the binding it references).
build() {
    local dst="$1" extra="$2"; shift 2
    local stale=0
    [ -f "$dst" ] || stale=1
    for f in "$@"; do [ "$f" -nt "$dst" ] && stale=1; done
    if [ "$dst" != "$binding" ] && [ "$binding" -nt "$dst" ]; then stale=1; fi
    [ $stale = 1 ] || return 0
    local refs=()
    [ "$dst" != "$binding" ] && refs=(-r:"$binding")
    # shellcheck disable=SC2086
    mcs "${flags[@]}" $extra "${refs[@]}" -out:"$dst" "$@"
}

build "$binding" "-unsafe" "$here"/managed/*.cs
build "$out/SensorModule.dll" "" "$here"/samples/sensor/*.cs
build "$out/PrinterModule.dll" "" "$here"/samples/printer/*.cs
build "$out/TestModules.dll" "" "$here"/testdata/*.cs
