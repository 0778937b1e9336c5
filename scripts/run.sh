#!/usr/bin/env bash
# Builds everything and runs the hello_world sample (hello_world -> logger, log.txt in
# the repository root). Stops on ENTER; when stdin is not a terminal it runs for 30 s.
# Extra arguments go to `gateway run` (e.g. --run-for 10s, --log-level debug).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
args=("$@")
if [ ! -t 0 ] && [ ${#args[@]} -eq 0 ]; then
    args=(--run-for 30s)
fi
exec ./build/gateway run "${args[@]}" samples/hello_world.json
