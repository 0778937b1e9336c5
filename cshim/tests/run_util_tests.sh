#!/bin/sh
# run_util_tests.sh - builds and runs the azure-c-shared-utility C tests under ASan + UBSan
# (leak detection on), after checking that the util sources also compile cleanly without
# sanitizers as position-independent code.
#
# Usage: cshim/tests/run_util_tests.sh   (from anywhere; builds in a temporary directory)
# Env:   CC (default gcc), UTIL_TEST_VERBOSE=1 to echo the messages the util code logs.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-gcc}
build=$(mktemp -d "${TMPDIR:-/tmp}/util_tests.XXXXXX")
trap 'rm -rf "$build"' EXIT INT TERM

cd "$root"
warn="-std=c99 -Wall -Wextra -Werror"
inc="-Icshim/include -Icshim"

echo "== compile check: util sources, -fPIC -O2, no sanitizers"
for src in cshim/util_*.c; do
    $cc $warn -fPIC -O2 $inc -c "$src" -o "$build/pic_$(basename "$src" .c).o"
done

echo "== build: util sources + tests with -fsanitize=address,undefined"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -g"
objs=""
for src in cshim/util_*.c cshim/tests/test_support.c; do
    obj="$build/san_$(basename "$src" .c).o"
    $cc $warn $san $inc -c "$src" -o "$obj"
    objs="$objs $obj"
done

failed=0
for test in cshim/tests/test_util_*.c; do
    name=$(basename "$test" .c)
    extra=""
    case "$name" in
        # allocation-failure injection: route every malloc/calloc/realloc through the test's wrappers
        test_util_alloc) extra="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc" ;;
    esac
    $cc $warn $san $inc "$test" $objs -o "$build/$name" -pthread $extra
    echo "== run: $name"
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$build/$name"; then
        echo "FAILED: $name"
        failed=1
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "util tests: FAILED"
    exit 1
fi
echo "util tests: all passed"
