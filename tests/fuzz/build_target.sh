#!/usr/bin/env bash
# Builds one libFuzzer target (clang, ASan + UBSan) from the repository root:
#   tests/fuzz/build_target.sh tests/fuzz/fuzz_NAME.c OUTPUT_BINARY
# A target may need more sources and libraries: tests/fuzz/<target>.flags (one line).
# Used by tests/fuzz/smoke.sh, tests/fuzz/grow_corpus.sh and tests/hard/fuzz.sh.
set -euo pipefail
src=$1
bin=$2
name=$(basename "$src" .c)
extra=()
[ -f "tests/fuzz/$name.flags" ] && read -r -a extra <"tests/fuzz/$name.flags"
exec "${CLANG:-clang}" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -DKBS_TESTING -Isrc/core src/core/*.c "$src" "${extra[@]}" -o "$bin"
