#!/bin/sh
# run_gateway_tests.sh - builds and runs the C tests of the gateway's own C sources
# (messages, message queue, broker API argument checks, ABI layouts) under ASan + UBSan
# with leak detection. The gw_go_* functions that Go provides inside libgateway.so are
# replaced by cshim/tests/test_support_gateway.c.
#
# Usage: cshim/tests/run_gateway_tests.sh   (from anywhere; builds in a temporary directory)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-gcc}
build=$(mktemp -d "${TMPDIR:-/tmp}/gateway_tests.XXXXXX")
trap 'rm -rf "$build"' EXIT INT TERM
cd "$root"

warn="-std=gnu99 -Wall -Wextra -Werror"
inc="-Icshim/include -Icshim"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -g"
srcs="cshim/message.c cshim/block_pool.c cshim/message_queue.c cshim/broker_api.c cshim/module_call.c cshim/xlog.c"
srcs="$srcs $(ls cshim/util_*.c) cshim/tests/test_support_gateway.c"

failed=0
for test in cshim/tests/test_message.c cshim/tests/test_abi_layout.c; do
    name=$(basename "$test" .c)
    $cc $warn $san $inc "$test" $srcs -o "$build/$name" -pthread -ldl
    echo "== run: $name"
    if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$build/$name"; then
        echo "FAILED: $name"
        failed=1
    fi
done
# The block pool is disabled under ASan (so ASan sees every message free); test the
# pool itself under ThreadSanitizer.
echo "== run: test_block_pool (TSan)"
$cc $warn -fsanitize=thread -g -O1 $inc cshim/tests/test_block_pool.c cshim/block_pool.c \
    -o "$build/test_block_pool" -pthread
if ! TSAN_OPTIONS=halt_on_error=1 "$build/test_block_pool"; then
    echo "FAILED: test_block_pool"
    failed=1
fi
[ "$failed" -eq 0 ] || { echo "gateway C tests: FAILED"; exit 1; }
echo "gateway C tests: all passed"
