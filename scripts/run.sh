#!/usr/bin/env bash
# Builds everything and runs the hello_world sample (hello_world -> logger, log.txt).
# Press ENTER to stop (or pass --run-for 30s to stop by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
exec ./build/gateway run "$@" samples/hello_world.json
