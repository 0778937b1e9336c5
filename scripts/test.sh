#!/usr/bin/env bash
# Builds everything and runs every test: Go unit tests (with -race), the C tests
# under AddressSanitizer (ctest), end-to-end tests of the real binaries, and brief
# fuzzing. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
export GATEWAY_BUILD_DIR="$PWD/build"

echo "== C tests (ctest, AddressSanitizer)"
ctest --test-dir build --output-on-failure

echo "== Go tests"
# -unsafeptr=false: C handles (integers issued to C, C-owned memory) are converted to
# pointers on purpose at the cgo boundary; the GC never sees Go memory there.
go vet -unsafeptr=false ./...
go test -race -count=1 ./...

echo "== fuzzing (bounded; FUZZTIME scales the long ones)"
FUZZTIME="${FUZZTIME:-60s}"
go test -run='^$' -fuzz='^FuzzDecodeMessage$' -fuzztime="$FUZZTIME" ./abi/
go test -run='^$' -fuzz='^FuzzCodecParity$' -fuzztime="$FUZZTIME" ./cshim/
go test -run='^$' -fuzz='^FuzzDecodeControl$' -fuzztime=20s ./abi/
go test -run='^$' -fuzz='^FuzzModuleJSON$' -fuzztime=20s ./cshim/
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=20s ./internal/config/

echo "== benchmarks, quick mode (fails on errors or lost messages, not on targets)"
BENCH_QUICK=1 BENCH_OUT="${TMPDIR:-/tmp}/bench-quick.jsonl" ./scripts/bench.sh

echo "== soak, short (every binding and an out-of-process module, sequence-checked)"
go run ./bench/cmd/soak -build build -duration 20s -rate 500 -sample 5s
