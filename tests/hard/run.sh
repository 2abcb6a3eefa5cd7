#!/usr/bin/env bash
# make check-hard: the long hardening checks (about 15-25 minutes).
#   1. fuzzing: every libFuzzer target for HARD_FUZZ_SECONDS (default 90) each
#   2. sqlsmith: HARD_SQLSMITH_QUERIES (default 20000) random queries against the demo data
#   3. pgbench: 8 clients x HARD_PGBENCH_TX (default 250) mixed transactions, then
#      every snapshot against its recomputation
# Part 1 runs on one CPU while part 2 runs against the server; part 3 after both.
# Installs what it needs (scripts/deps.sh hard), builds and installs the
# extension, uses its own throwaway cluster (.cluster/hard). Logs, inputs that
# crashed a fuzzer and the server log are in tests/results/hard/. Ends with the
# figures and "check-hard: N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
CLUSTER=$ROOT/.cluster/hard
RESULTS=$ROOT/tests/results/hard
TEMPLATE=kbs_hard_demo
start=$(date +%s)
total_pass=0
total_fail=0
declare -a PARTS=()
record() { # part passed failed
    PARTS+=("$(printf '%-10s %3d passed, %d failed' "$1:" "$2" "$3")")
    total_pass=$((total_pass + $2))
    total_fail=$((total_fail + $3))
}
record_from() { # part log: reads its last "hard-<part>: N passed, N failed" line
    local p f
    read -r p f < <(awk -v k="hard-$1:" '$1 == k {print $2, $4}' "$2" | tail -n 1)
    record "$1" "${p:-0}" "${f:-1}"
}
fuzz_pid=
cleanup() {
    [ -n "$fuzz_pid" ] && kill "$fuzz_pid" 2>/dev/null
    bash scripts/cluster.sh destroy "$CLUSTER" >/dev/null 2>&1 || true
}
trap cleanup EXIT
summary() {
    echo
    echo "== check-hard summary =="
    for part in fuzz sqlsmith pgbench; do
        grep -h '^figure: ' "$RESULTS/part-$part.log" 2>/dev/null | sed 's/^figure: /  /'
    done
    for p in "${PARTS[@]}"; do echo "  $p"; done
    echo "  runtime: $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s"
    echo "check-hard: $total_pass passed, $total_fail failed"
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

echo "== dependencies =="
if ! bash scripts/deps.sh hard; then
    record deps 0 1; summary; exit 1
fi

echo "== build and install =="
if ! make --no-print-directory all >"$RESULTS/build.log" 2>&1 || ! make --no-print-directory install >>"$RESULTS/build.log" 2>&1; then
    cat "$RESULTS/build.log"; record build 0 1; summary; exit 1
fi
echo "built and installed into $(pg_config --sharedir)/extension"

echo "== part 1: fuzzing (in the background, ${HARD_FUZZ_SECONDS:-90} s per target) =="
bash tests/hard/fuzz.sh >"$RESULTS/part-fuzz.log" 2>&1 &
fuzz_pid=$!

echo "== throwaway cluster and demo data =="
bash scripts/cluster.sh destroy "$CLUSTER" >/dev/null 2>&1 || true
if ! bash scripts/cluster.sh start "$CLUSTER"; then
    record cluster 0 1; summary; exit 1
fi
# shellcheck disable=SC1091
. "$CLUSTER/env"
SERVER_LOG=$CLUSTER/server.log     # pg_ctl -l in scripts/cluster.sh: stderr of every server process
PSQL=(psql -X -v ON_ERROR_STOP=1 -q -U postgres)
# The extension directories are shared by every checkout on the machine: when
# another `make install` replaced the install script meanwhile, install again.
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
script=kennisbouwstenen--$version.sql
created=0
for _ in 1 2 3; do
    "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $TEMPLATE" -c "CREATE DATABASE $TEMPLATE" &&
        "${PSQL[@]}" -d "$TEMPLATE" -c "CREATE EXTENSION kennisbouwstenen" || break
    if cmp -s "extension/$script" "$(pg_config --sharedir)/extension/$script"; then
        created=1; break
    fi
    echo "the installed extension is not this checkout's (another make install?): installing again"
    make --no-print-directory install >>"$RESULTS/build.log" 2>&1 || break
done
# SQLSTATE and user on every log line, to count errors by class and by role.
if [ $created -eq 0 ] ||
   ! "${PSQL[@]}" -d postgres -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %e %u@%d '" -c "SELECT pg_reload_conf()" >/dev/null ||
   ! "${PSQL[@]}" -d "$TEMPLATE" -v scale=demo -f demo/generate.sql; then
    record demo 0 1; summary; exit 1
fi

echo "== part 2: sqlsmith =="
bash tests/hard/sqlsmith.sh "$TEMPLATE" "$SERVER_LOG" 2>&1 | tee "$RESULTS/part-sqlsmith.log"
record_from sqlsmith "$RESULTS/part-sqlsmith.log"

echo "== part 1: fuzzing (results) =="
wait "$fuzz_pid"
fuzz_pid=
cat "$RESULTS/part-fuzz.log"
record_from fuzz "$RESULTS/part-fuzz.log"
# Figures of part 1, for the summary.
sed -n 's/^ok   \(fuzz_[a-z_]*\) *\([0-9]*\) executions.*/figure: fuzz \1: \2 executions, 0 crashes/p
        s/^FAIL \(fuzz_[a-z_]*\): \(.*\)/figure: fuzz \1: FAILED, \2/p
        s/^fuzz executions in total: /figure: fuzz executions in total: /p' \
    "$RESULTS/part-fuzz.log" >>"$RESULTS/part-fuzz.log"

echo "== part 3: pgbench =="
bash tests/hard/pgbench.sh "$TEMPLATE" "$SERVER_LOG" 2>&1 | tee "$RESULTS/part-pgbench.log"
record_from pgbench "$RESULTS/part-pgbench.log"

bash scripts/cluster.sh stop "$CLUSTER" >/dev/null 2>&1 || true
cp "$SERVER_LOG" "$RESULTS/server.log" 2>/dev/null || true
summary
[ "$total_fail" -eq 0 ]
