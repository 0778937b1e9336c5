#!/bin/sh
# Builds the Java side of the gateway's JVM binding with javac and jar only (no network, no Maven):
#   build.sh OUTDIR [binding|samples|all]
# binding: OUTDIR/gateway-java-binding.jar   (com.microsoft.azure.gateway.core / .messaging)
# samples: OUTDIR/gateway-java-samples.jar   (the sample Printer and Sensor modules; needs the binding jar)
# all (default): both. The JDK is taken from $JAVA_HOME when set, else from $PATH. Classes target Java 8.
set -eu

usage() { echo "usage: $0 OUTDIR [binding|samples|all]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1
what=${2:-all}
case $what in binding|samples|all) ;; *) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    JAVAC=$JAVA_HOME/bin/javac
    JAR=$JAVA_HOME/bin/jar
else
    JAVAC=javac
    JAR=jar
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# compile SRCDIR CLASSDIR [CLASSPATH]
compile() {
    find "$1" -name '*.java' | LC_ALL=C sort >"$tmp/sources"
    mkdir -p "$2"
    if [ -n "${3:-}" ]; then
        "$JAVAC" --release 8 -Xlint:-options -encoding UTF-8 -nowarn -cp "$3" -d "$2" @"$tmp/sources"
    else
        "$JAVAC" --release 8 -Xlint:-options -encoding UTF-8 -nowarn -d "$2" @"$tmp/sources"
    fi
}

if [ "$what" != samples ]; then
    compile "$here/java/src/main/java" "$tmp/binding"
    "$JAR" cf "$out/gateway-java-binding.jar.tmp" -C "$tmp/binding" .
    mv "$out/gateway-java-binding.jar.tmp" "$out/gateway-java-binding.jar"
fi
if [ "$what" != binding ]; then
    [ -f "$out/gateway-java-binding.jar" ] || { echo "$0: $out/gateway-java-binding.jar missing: build the binding first" >&2; exit 1; }
    compile "$here/samples/src/main/java" "$tmp/samples" "$out/gateway-java-binding.jar"
    "$JAR" cf "$out/gateway-java-samples.jar.tmp" -C "$tmp/samples" .
    mv "$out/gateway-java-samples.jar.tmp" "$out/gateway-java-samples.jar"
fi
