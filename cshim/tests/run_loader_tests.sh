#!/bin/sh
# run_loader_tests.sh - builds and runs the C tests of the module loaders (dynamic_library.h,
# dynamic_loader.h, module_loader.h) and of the standalone event system under ASan + UBSan
# with leak detection, against the cshim C sources that link standalone (util_*.c,
# json_parson.c, loader_*.c, event_system.c + tests/test_support.c for gw_log_default).
# The fixture module (tests/fixture_module.c) is built in five variants into a temporary
# directory and their paths are passed to test_loader.
#
# Usage: cshim/tests/run_loader_tests.sh   (from anywhere)
# Env:   CC (default gcc), UTIL_TEST_VERBOSE=1 to echo what the code under test logs.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-gcc}
build=$(mktemp -d "${TMPDIR:-/tmp}/loader_tests.XXXXXX")
trap 'rm -rf "$build"' EXIT INT TERM

cd "$root"
cflags="-std=gnu99 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined -g"
inc="-Icshim/include -Icshim"
libs="-ldl -lpthread -lm"

echo "== compile check: loader sources, -fPIC -O2, no sanitizers"
for src in cshim/loader_*.c cshim/event_system.c; do
    $cc -std=gnu99 -Wall -Wextra -Werror -fPIC -O2 $inc -c "$src" -o "$build/pic_$(basename "$src" .c).o"
done

echo "== build: fixture modules"
mkdir -p "$build/modules"
for variant in good:"" bad_version:-DFIXTURE_BAD_VERSION no_create:-DFIXTURE_NO_CREATE \
    null_api:-DFIXTURE_NULL_API no_getapi:-DFIXTURE_NO_GETAPI; do
    name=${variant%%:*}
    def=${variant#*:}
    $cc -std=gnu99 -Wall -Wextra -Werror -fPIC -shared -g $def $inc cshim/tests/fixture_module.c \
        -o "$build/modules/libfixture_$name.so"
done

echo "== build: sources + tests with -fsanitize=address,undefined"
objs=""
for src in cshim/util_*.c cshim/json_parson.c cshim/loader_*.c cshim/event_system.c cshim/tests/test_support.c; do
    obj="$build/san_$(basename "$src" .c).o"
    $cc $cflags $inc -c "$src" -o "$obj"
    objs="$objs $obj"
done
for test in test_loader test_event_system; do
    $cc $cflags $inc "cshim/tests/$test.c" $objs -o "$build/$test" $libs
done

failed=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1

echo "== run: test_loader"
m="$build/modules"
if ! "$build/test_loader" "$m/libfixture_good.so" "$m/libfixture_bad_version.so" "$m/libfixture_no_create.so" \
    "$m/libfixture_null_api.so" "$m/libfixture_no_getapi.so"; then
    echo "FAILED: test_loader"
    failed=1
fi
echo "== run: test_event_system"
if ! "$build/test_event_system"; then
    echo "FAILED: test_event_system"
    failed=1
fi

if [ "$failed" -ne 0 ]; then
    echo "loader tests: FAILED"
    exit 1
fi
echo "loader tests: all passed"
