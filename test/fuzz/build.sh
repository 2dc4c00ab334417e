#!/usr/bin/env bash
# Builds the libFuzzer harnesses of test/fuzz into build/fuzz/ with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (Debian packages clang and
# libclang-rt-dev, installed by scripts/install-deps.sh). The core is
# compiled once for all harnesses; objects are rebuilt when their source or
# a header changed.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${WOO_FUZZ_BUILD:-$REPO_ROOT/build/fuzz}
CXX=${FUZZ_CXX:-$(command -v clang++ || ls /usr/bin/clang++-* 2>/dev/null | sort -V | tail -1)}
[ -n "$CXX" ] || { echo "fuzz: clang++ not found (install clang and libclang-rt-dev)" >&2; exit 1; }
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CXXFLAGS="-std=c++17 -O1 -g $SAN -I$REPO_ROOT/src -I$REPO_ROOT/test/fuzz"
mkdir -p "$OUT/obj"

newest_header=$(find "$REPO_ROOT/src/core" "$REPO_ROOT/test/fuzz" -name '*.hpp' -printf '%T@\n' | sort -n | tail -1)
compile() {  # compile SOURCE OBJECT EXTRA_FLAGS
  local src=$1 obj=$2 extra=$3
  if [ -f "$obj" ] && [ "$obj" -nt "$src" ] &&
     [ "$(stat -c %Y "$obj")" -ge "${newest_header%.*}" ]; then return 0; fi
  "$CXX" $CXXFLAGS $extra -c "$src" -o "$obj"
}
export -f compile
export CXX CXXFLAGS newest_header

objs=()
jobs=()
for src in "$REPO_ROOT"/src/core/*/*.cpp; do
  obj="$OUT/obj/$(basename "$(dirname "$src")")_$(basename "${src%.cpp}").o"
  objs+=("$obj")
  jobs+=("$src $obj")
done
printf '%s\n' "${jobs[@]}" | xargs -P "$(nproc)" -n 2 bash -c 'compile "$0" "$1" "-fsanitize=fuzzer-no-link"'
# An archive: each harness links only the objects it uses (the webhook
# receiver's libmicrohttpd, say, stays out).
rm -f "$OUT/libcore.a"
ar rcs "$OUT/libcore.a" "${objs[@]}"
for harness in "$REPO_ROOT"/test/fuzz/fuzz_*.cpp; do
  name=$(basename "${harness%.cpp}")
  compile "$harness" "$OUT/obj/$name.o" "-fsanitize=fuzzer-no-link"
  if [ ! -x "$OUT/$name" ] || [ -n "$(find "$OUT/obj" -name '*.o' -newer "$OUT/$name")" ]; then
    "$CXX" $CXXFLAGS -fsanitize=fuzzer "$OUT/obj/$name.o" "$OUT/libcore.a" -lcurl -lcrypto -o "$OUT/$name"
  fi
done
echo "fuzz harnesses in $OUT: $(cd "$OUT" && ls fuzz_* | grep -v '\.' | tr '\n' ' ')"
