#!/usr/bin/env bash
# make check: unit tests, fuzz smoke, then SQL and integration tests against a
# throwaway cluster with the freshly built extension. Ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CLUSTER=$ROOT/.cluster/check
RESULTS=$ROOT/tests/results
PG_CONFIG=${PG_CONFIG:-pg_config}
BINDIR=$("$PG_CONFIG" --bindir)
PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/..

declare -a SUITES=()
total_pass=0
total_fail=0
record() { # suite passed failed
    SUITES+=("$(printf '%-14s %5d passed, %d failed' "$1:" "$2" "$3")")
    total_pass=$((total_pass + $2))
    total_fail=$((total_fail + $3))
}
summary() {
    echo
    echo "== summary =="
    for s in "${SUITES[@]}"; do echo "  $s"; done
    echo "total: $total_pass passed, $total_fail failed"
}
cleanup() { bash scripts/cluster.sh destroy "$CLUSTER" >/dev/null 2>&1 || true; }
trap cleanup EXIT

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

echo "== build and install =="
# Into a private installation: another checkout's `make install` cannot replace what we test.
PGROOT=$ROOT/.cluster/pgroot
if ! make --no-print-directory all >"$RESULTS/build.log" 2>&1 ||
   ! KBS_PGBIN=$(bash scripts/pgroot.sh "$PGROOT" 2>>"$RESULTS/build.log"); then
    cat "$RESULTS/build.log"
    record build 0 1
    summary
    exit 1
fi
export KBS_PGBIN
echo "built and installed into a private installation, server binaries in $KBS_PGBIN"

echo "== unit tests (CUnit) =="
if make --no-print-directory tests/unit/run_unit >"$RESULTS/unit-build.log" 2>&1; then
    tests/unit/run_unit >"$RESULTS/unit.log" 2>&1
    unit_rc=$?
    grep -v '\.\.\.passed$' "$RESULTS/unit.log"
    # CUnit's run summary line: "tests  total  ran  passed  failed  inactive"
    read -r upass ufail < <(awk '$1=="tests" && NF>=6 {print $4, $5}' "$RESULTS/unit.log" | tail -n 1)
    [ -n "${upass:-}" ] || { upass=0; ufail=1; }
    [ $unit_rc -eq 0 ] || [ "$ufail" -gt 0 ] || ufail=1
    record unit "$upass" "$ufail"
else
    cat "$RESULTS/unit-build.log"
    record unit 0 1
fi

echo "== unit tests under ASan + UBSan =="
if make --no-print-directory tests/unit/run_unit_asan >"$RESULTS/unit-asan-build.log" 2>&1; then
    tests/unit/run_unit_asan >"$RESULTS/unit-asan.log" 2>&1
    asan_rc=$?
    tail -n 8 "$RESULTS/unit-asan.log"
    read -r apass afail < <(awk '$1=="tests" && NF>=6 {print $4, $5}' "$RESULTS/unit-asan.log" | tail -n 1)
    [ -n "${apass:-}" ] || { apass=0; afail=1; }
    # A sanitizer report aborts the run: count it as a failure.
    [ $asan_rc -eq 0 ] || [ "$afail" -gt 0 ] || afail=1
    record unit-asan "$apass" "$afail"
else
    cat "$RESULTS/unit-asan-build.log"
    record unit-asan 0 1
fi

echo "== fuzz smoke =="
# A suite that did not run is a failure, not a missing line.
if [ -f tests/fuzz/smoke.sh ]; then
    bash tests/fuzz/smoke.sh "$RESULTS/fuzz" >"$RESULTS/fuzz.log" 2>&1
    cat "$RESULTS/fuzz.log"
    read -r fpass ffail < <(awk '/^fuzz-smoke: [0-9]+ passed, [0-9]+ failed$/ {print $2, $4}' "$RESULTS/fuzz.log" | tail -n 1)
    record fuzz-smoke "${fpass:-0}" "${ffail:-1}"
else
    echo "tests/fuzz/smoke.sh is missing"
    record fuzz-smoke 0 1
fi

echo "== throwaway cluster =="
cleanup
if ! bash scripts/cluster.sh start "$CLUSTER"; then
    record cluster 0 1
    summary
    exit 1
fi
# shellcheck disable=SC1091
. "$CLUSTER/env"
echo "server at $PGHOST port $PGPORT"

# The server must run this checkout's build: its share and lib directories are the
# private installation's, holding the install script and library built here.
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
read -r srv_share srv_lib < <(psql -X -At -U postgres -d postgres -F ' ' -c \
    "SELECT (SELECT setting FROM pg_config WHERE name = 'SHAREDIR'), (SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR')")
if [ "${srv_share#"$(readlink -f "$PGROOT")"}" != "${srv_share:-}" ] &&
   cmp -s "extension/kennisbouwstenen--$version.sql" "$srv_share/extension/kennisbouwstenen--$version.sql" &&
   cmp -s kennisbouwstenen.so "$srv_lib/kennisbouwstenen.so"; then
    echo "ok   the server uses this checkout's build ($srv_share)"
    record installation 1 0
else
    echo "FAIL the server does not use this checkout's build (share: ${srv_share:-?}, lib: ${srv_lib:-?})"
    record installation 0 1
    summary
    exit 1
fi

echo "== SQL regression tests (pg_regress) =="
SQL_TESTS=$(cd tests/sql && ls ./*.sql | sed 's|^\./||; s|\.sql$||' | sort)
mkdir -p "$RESULTS/regress"
"$PGXS_DIR/test/regress/pg_regress" --bindir="$BINDIR" --inputdir=tests --outputdir="$RESULTS/regress" \
    --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=kbs_regress \
    $SQL_TESTS >"$RESULTS/regress.log" 2>&1
cat "$RESULTS/regress.log"
rpass=$(grep -cE '^(ok|test) .*\.\.\. ok|^ok [0-9]+ ' "$RESULTS/regress.log" || true)
rfail=$(grep -cE '\.\.\. FAILED|^not ok ' "$RESULTS/regress.log" || true)
nsql=$(echo "$SQL_TESTS" | wc -w)
if [ $((rpass + rfail)) -ne "$nsql" ]; then
    rfail=$((nsql - rpass))
fi
[ -f "$RESULTS/regress/regression.diffs" ] && head -n 200 "$RESULTS/regress/regression.diffs"
record sql "$rpass" "$rfail"

echo "== integration tests =="
ipass=0
ifail=0
for t in tests/integration/*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    if bash "$t" >"$RESULTS/integration-$name.log" 2>&1; then
        echo "ok   $name"
        ipass=$((ipass + 1))
    else
        echo "FAIL $name (log: tests/results/integration-$name.log)"
        tail -n 30 "$RESULTS/integration-$name.log"
        ifail=$((ifail + 1))
    fi
done
record integration "$ipass" "$ifail"
# The dashboards' browser checks, counted one by one; no count line means they did not run.
read -r bpass bfail < <(awk '/^browser: [0-9]+ passed, [0-9]+ failed$/ {print $2, $4}' \
                            "$RESULTS/integration-dashboards.log" 2>/dev/null | tail -n 1)
[ -n "${bpass:-}" ] || echo "FAIL browser: the dashboards' browser checks did not run"
record browser "${bpass:-0}" "${bfail:-1}"
# The forms' checks (LibreOffice round trip, import), counted one by one likewise.
read -r fopass fofail < <(awk '/^forms: [0-9]+ passed, [0-9]+ failed$/ {print $2, $4}' \
                              "$RESULTS/integration-forms.log" 2>/dev/null | tail -n 1)
[ -n "${fopass:-}" ] || echo "FAIL forms: the forms' checks did not run"
record forms "${fopass:-0}" "${fofail:-1}"
# The federation's checks (benchmark over two members, tests/integration/federation.sh), likewise.
read -r fepass fefail < <(awk '/^federation: [0-9]+ passed, [0-9]+ failed$/ {print $2, $4}' \
                              "$RESULTS/integration-federation.log" 2>/dev/null | tail -n 1)
[ -n "${fepass:-}" ] || echo "FAIL federation: the federation's checks did not run"
record federation "${fepass:-0}" "${fefail:-1}"

cleanup
summary
[ "$total_fail" -eq 0 ]
