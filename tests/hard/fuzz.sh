#!/usr/bin/env bash
# check-hard, part 1: every libFuzzer target (tests/fuzz/fuzz_*.c, built as
# tests/fuzz/smoke.sh builds them) for a bounded time, starting from a copy of
# the kept corpus (tests/fuzz/corpus/<target>), so the tree stays clean.
#   tests/hard/fuzz.sh [SECONDS_PER_TARGET]      (default HARD_FUZZ_SECONDS or 90)
# A crash, timeout or out-of-memory fails the target; its input is saved as
# tests/results/hard/fuzz/<target>-crash-<sha1> (see README, Reliability).
# The grown copies stay in build/hard/corpus for `make fuzz-corpus`.
# Last line: "hard-fuzz: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-${HARD_FUZZ_SECONDS:-90}}
CLANG=${CLANG:-clang}
OUT=tests/results/hard/fuzz
WORK=build/hard
mkdir -p "$OUT" "$WORK/bin"
pass=0
fail=0
total_runs=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    bin=$WORK/bin/$name
    if ! CLANG=$CLANG bash tests/fuzz/build_target.sh "$src" "$bin" 2>"$OUT/$name.build.log"; then
        echo "FAIL $name: build failed"; cat "$OUT/$name.build.log"; fail=$((fail + 1)); continue
    fi
    corpus=$WORK/corpus/$name
    rm -rf "$corpus"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$corpus/"
    seeds=$(find "$corpus" -type f | wc -l)
    # -timeout: one input may take at most 10 s; a slower one counts as a hang.
    if "$bin" -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/$name-" "$corpus" >"$OUT/$name.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$name.log" | tail -n 1)
        grown=$(find "$corpus" -type f | wc -l)
        cov=$(grep -oE 'cov: [0-9]+' "$OUT/$name.log" | tail -n 1 | awk '{print $2}')
        printf 'ok   %-22s %10s executions in %ss, corpus %d -> %d inputs, %s edges, 0 crashes\n' \
            "$name" "${runs:-?}" "$SECONDS_PER" "$seeds" "$grown" "${cov:-?}"
        total_runs=$((total_runs + ${runs:-0}))
        pass=$((pass + 1))
    else
        echo "FAIL $name: crash (log: $OUT/$name.log)"
        grep -E '^==[0-9]+==|SUMMARY|Test unit written to|ERROR: libFuzzer' "$OUT/$name.log" | head -n 20
        ls "$OUT/$name-"* 2>/dev/null | sed 's/^/     input: /'
        fail=$((fail + 1))
    fi
done
echo "fuzz executions in total: $total_runs"
echo "hard-fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
