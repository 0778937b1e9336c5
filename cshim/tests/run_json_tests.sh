#!/bin/sh
# Builds and runs the parson-compatible JSON tests under ASan/UBSan.
# Run from the repository root: cshim/tests/run_json_tests.sh
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
CFLAGS="-std=c99 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined -g -Icshim/include"
gcc $CFLAGS cshim/json_parson.c cshim/tests/test_json.c -o "$out/test_json" -lm
gcc $CFLAGS cshim/json_parson.c cshim/tests/fuzz_json_driver.c -o "$out/fuzz_json_driver"
# The tests check number handling under a decimal-comma locale; build one privately if possible.
mkdir -p "$out/locale"
if localedef -i de_DE -f UTF-8 "$out/locale/de_DE.UTF-8" >/dev/null 2>&1; then
    LOCPATH="$out/locale"
    export LOCPATH
fi
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 TMPDIR="$out" "$out/test_json"
# Smoke-run the fuzz driver on a few inputs.
printf '{"a":[1,2.5,"x\\u0000y",{"b":null}],"c":true}' > "$out/in1.json"
printf '/* c */ [1, // x\n 2]' > "$out/in2.json"
printf '[[[[' > "$out/in3.json"
for f in "$out"/in*.json; do
    ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_json_driver" "$f"
done
echo "fuzz driver smoke: ok"
