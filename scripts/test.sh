#!/usr/bin/env bash
# Builds everything and runs every test: Go unit tests (with -race), the C tests
# under AddressSanitizer (ctest), end-to-end tests of the real binaries, and brief
# fuzzing, the benchmark harness in quick mode and a short soak. Exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# Stages run in order; any failure stops the script (set -e). The last line counts them.
stages=0
./scripts/build.sh
export GATEWAY_BUILD_DIR="$PWD/build"

stages=$((stages + 1))
echo "== C tests (ctest, AddressSanitizer)"
ctest --test-dir build --output-on-failure

stages=$((stages + 1))
echo "== Go tests"
# -unsafeptr=false: C handles (integers issued to C, C-owned memory) are converted to
# pointers on purpose at the cgo boundary; the GC never sees Go memory there.
go vet -unsafeptr=false ./...
go test -race -count=1 ./...

stages=$((stages + 1))
echo "== fuzzing (bounded; FUZZTIME scales the long ones)"
FUZZTIME="${FUZZTIME:-60s}"
go test -run='^$' -fuzz='^FuzzDecodeMessage$' -fuzztime="$FUZZTIME" ./abi/
go test -run='^$' -fuzz='^FuzzCodecParity$' -fuzztime="$FUZZTIME" ./cshim/
go test -run='^$' -fuzz='^FuzzDecodeControl$' -fuzztime=20s ./abi/
go test -run='^$' -fuzz='^FuzzModuleJSON$' -fuzztime=20s ./cshim/
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=20s ./internal/config/

stages=$((stages + 1))
echo "== benchmarks, quick mode (fails on errors or lost messages, not on targets)"
BENCH_QUICK=1 BENCH_OUT="${TMPDIR:-/tmp}/bench-quick.jsonl" ./scripts/bench.sh

stages=$((stages + 1))
echo "== soak, short (every binding and an out-of-process module, sequence-checked)"
go run ./bench/cmd/soak -build build -duration 20s -rate 500 -sample 5s

echo "test.sh: $stages passed, 0 failed"
