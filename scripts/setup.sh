#!/usr/bin/env bash
# Installs what building and testing the gateway needs, only where it is missing
# (idempotent; safe to run on every build). Debian 12, run as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need_pkgs=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in cmake gcc make pkg-config libnanomsg-dev libmono-2.0-dev mono-mcs; do
    have_pkg "$p" || need_pkgs+=("$p")
done
# A JDK (javac for the Java binding jar, libjvm.so at run time): any installed JDK 17
# will do; install Debian's when none is found.
if ! command -v javac >/dev/null 2>&1; then
    need_pkgs+=(openjdk-17-jdk-headless)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
    echo "setup: installing ${need_pkgs[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
fi

# libnode (Node.js embedding, for JS modules): Debian's libnode108 unpacked into
# deps/libnode (it conflicts with a nodesource nodejs), plus its runtime packages.
./bindings/node/setup-libnode.sh

command -v go >/dev/null || { echo "setup: Go is required (https://go.dev/dl/)" >&2; exit 1; }
go mod download
