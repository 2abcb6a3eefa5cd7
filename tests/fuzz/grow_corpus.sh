#!/usr/bin/env bash
# make fuzz-corpus: grows the kept corpus. Each target fuzzes a scratch copy of
# tests/fuzz/corpus/<target> for SECONDS (default 60), then libFuzzer's
# -merge=1 adds to tests/fuzz/corpus/<target> only the inputs that reach new
# coverage (from that run and from the last `make check-hard`, build/hard/corpus).
#   tests/fuzz/grow_corpus.sh [SECONDS_PER_TARGET]
# Inputs are capped at MAX_LEN bytes (default 2048) to keep the corpus small.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-${FUZZ_CORPUS_SECONDS:-60}}
MAX_LEN=${MAX_LEN:-2048}
CLANG=${CLANG:-clang}
WORK=build/fuzz-corpus
mkdir -p "$WORK"
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    bin=$WORK/$name
    CLANG=$CLANG bash tests/fuzz/build_target.sh "$src" "$bin"
    kept=tests/fuzz/corpus/$name
    mkdir -p "$kept"
    scratch=$WORK/$name.scratch
    rm -rf "$scratch"
    mkdir -p "$scratch"
    cp -r "$kept/." "$scratch/"
    "$bin" -max_total_time="$SECONDS_PER" -max_len="$MAX_LEN" -timeout=10 \
        -artifact_prefix="$WORK/$name-" "$scratch" >"$WORK/$name.log" 2>&1 ||
        { echo "$name: the fuzzer failed (log: $WORK/$name.log)" >&2; exit 1; }
    before=$(find "$kept" -type f | wc -l)
    extra=()
    [ -d "build/hard/corpus/$name" ] && extra+=("build/hard/corpus/$name")
    "$bin" -merge=1 -max_len="$MAX_LEN" -timeout=10 -artifact_prefix="$WORK/$name-" \
        "$kept" "$scratch" "${extra[@]}" >"$WORK/$name.merge.log" 2>&1 ||
        { echo "$name: merge failed (log: $WORK/$name.merge.log)" >&2; exit 1; }
    after=$(find "$kept" -type f | wc -l)
    printf '%-22s %4d -> %4d inputs (%s)\n' "$name" "$before" "$after" "$(du -sb "$kept" | cut -f1) bytes"
    rm -rf "$scratch"
done
echo "corpus: $(find tests/fuzz/corpus -type f | wc -l) inputs, $(du -sb tests/fuzz/corpus | cut -f1) bytes"
