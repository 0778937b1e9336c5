#!/usr/bin/env bash
# Puts Debian's libnode (Node.js 18 as a shared library) and its headers into
# <repo>/deps/libnode without installing the libnode108 package (it conflicts with a
# nodesource "nodejs" package), and installs libnode's runtime dependencies normally.
#
# Idempotent: does nothing when everything is already in place. Needs root (apt-get)
# only when something is missing.
#
#   bindings/node/setup-libnode.sh            # into <repo>/deps/libnode
#   GATEWAY_DEPS=/some/dir bindings/node/setup-libnode.sh   # into /some/dir/libnode
#
# On a stock Debian 12 / Ubuntu machine `apt-get install libnode108` is the simpler way
# (see bindings/node/README.md); the gateway then finds /usr/lib/<triplet>/libnode.so.108.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
deps="${GATEWAY_DEPS:-$repo/deps}"
dest="$deps/libnode"

# Shared libraries libnode108 links against, and the JS packages Debian's libnode loads
# builtins from (/usr/share/nodejs); without the latter node::Start aborts.
lib_deps=(libc-ares2 libuv1 libicu72 libbrotli1 libnghttp2-14 libssl3 zlib1g)
js_deps=(node-cjs-module-lexer node-acorn node-undici)

log() { printf 'setup-libnode: %s\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

updated=0
apt_update_once() {
    if [ "$updated" = 0 ]; then
        log "apt-get update"
        apt-get update -qq
        updated=1
    fi
}

apt_install() { # apt_install [apt options...] -- packages...
    local opts=() pkgs=() seen_sep=0 p
    for p in "$@"; do
        if [ "$p" = "--" ]; then seen_sep=1; continue; fi
        if [ "$seen_sep" = 1 ]; then installed "$p" || pkgs+=("$p"); else opts+=("$p"); fi
    done
    [ "${#pkgs[@]}" -eq 0 ] && return 0
    log "apt-get install ${pkgs[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${opts[@]}" "${pkgs[@]}" >/dev/null; then
        apt_update_once
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${opts[@]}" "${pkgs[@]}" >/dev/null
    fi
}

# 1. runtime dependencies (installed normally; they sit beside nodesource's nodejs).
apt_install -- "${lib_deps[@]}"
apt_install --no-install-recommends -- "${js_deps[@]}"

# 2. libnode108 + libnode-dev unpacked into $dest.
have_lib() { compgen -G "$dest/usr/lib/*/libnode.so.1*" >/dev/null; }
if have_lib && [ -f "$dest/usr/include/node/node_api.h" ]; then
    log "libnode already in $dest"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt's _apt user writes the downloads here
cd "$work"
if ! apt-get download -qq libnode108 libnode-dev 2>/dev/null; then
    apt_update_once
    apt-get download -qq libnode108 libnode-dev
fi
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
for deb in ./libnode108_*.deb ./libnode-dev_*.deb; do
    dpkg -x "$deb" "$dest.tmp"
done
rm -rf "$dest"
mv "$dest.tmp" "$dest"
have_lib || { log "no libnode.so found in the unpacked packages"; exit 1; }
log "libnode unpacked into $dest ($(basename "$(compgen -G "$dest/usr/lib/*/libnode.so.1*" | head -1)"))"
