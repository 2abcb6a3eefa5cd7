#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan + UBSan) and runs each for a bounded
# time over its seed corpus. New inputs go to a scratch folder, not the repo.
#   tests/fuzz/smoke.sh OUTDIR [SECONDS_PER_TARGET]
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-build/fuzz}
SECONDS_PER=${2:-${FUZZ_SECONDS:-5}}
CLANG=${CLANG:-clang}
mkdir -p "$OUT"
pass=0
fail=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    bin=$OUT/$name
    if ! CLANG=$CLANG bash tests/fuzz/build_target.sh "$src" "$bin" 2>"$OUT/$name.build.log"; then
        echo "FAIL $name: build failed"; cat "$OUT/$name.build.log"; fail=$((fail + 1)); continue
    fi
    scratch=$(mktemp -d)
    mkdir -p "tests/fuzz/corpus/$name"
    if "$bin" -max_total_time="$SECONDS_PER" -print_final_stats=1 -artifact_prefix="$OUT/$name-" \
        "$scratch" "tests/fuzz/corpus/$name" >"$OUT/$name.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$name.log")
        echo "ok   $name: ${runs:-?} executions in ${SECONDS_PER}s, no crash"
        pass=$((pass + 1))
    else
        echo "FAIL $name (log: $OUT/$name.log)"; tail -n 40 "$OUT/$name.log"
        fail=$((fail + 1))
    fi
    rm -rf "$scratch"
done
echo "fuzz-smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
