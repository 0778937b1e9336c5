#!/usr/bin/env bash
# Builds what the benchmarks need and runs every scenario with the real binaries
# and test modules (bench/README.md). Prints one JSON object per line per result
# and writes the same lines to bench/results.jsonl (BENCH_OUT=path to change it).
#   BENCH_QUICK=1   brief runs (CI): well under 2 minutes; fails only on errors or loss
#   BENCH_ONLY=re   run only the scenarios whose name matches the regexp
# Extra arguments go to the harness (go run ./bench/cmd/benchrun -h).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh >&2

# The bench programs (bench/CMakeLists.txt): part of the main build once the top-level
# CMakeLists.txt has add_subdirectory(bench); until then a standalone build next to it.
if [ -x build/bench/direct_call ] && grep -q '^[[:space:]]*add_subdirectory(bench)' CMakeLists.txt; then
    tools=build/bench
else
    cmake -S bench -B build/bench-standalone -DGATEWAY_BUILD_DIR="$PWD/build" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build/bench-standalone -j"$(nproc)" >&2
    tools=build/bench-standalone/bench
fi

args=(-build build -tools "$tools" -out "${BENCH_OUT:-bench/results.jsonl}")
if [ "${BENCH_QUICK:-}" = 1 ]; then args+=(-quick); fi
if [ -n "${BENCH_ONLY:-}" ]; then args+=(-only "$BENCH_ONLY"); fi
exec go run ./bench/cmd/benchrun "${args[@]}" "$@"
