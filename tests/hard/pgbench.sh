#!/usr/bin/env bash
# check-hard, part 3: concurrency. pgbench, 8 clients on 2 threads, each a
# bounded number of transactions, mixing by weight (tests/hard/pgbench/*.sql):
#   assessment.sql@4  new final assessments for random members of random teams
#   plan.sql@3        status changes of plan items
#   refresh.sql@1     kbs.refresh_snapshots over the period of the rounds
#   dashboard.sql@2   the team and municipality views (kbs.v_*)
# as kbs_bench, a LOGIN role that is a member of kbs_admin. No retries: every
# transaction must succeed. Then a last refresh, and every stored snapshot
# must equal its recomputation from the base tables (verify.sql).
#   tests/hard/pgbench.sh TEMPLATE_DB SERVER_LOG      (needs the cluster env)
# Last line "hard-pgbench: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
TEMPLATE=${1:?usage: pgbench.sh TEMPLATE_DB SERVER_LOG}
LOG=${2:?usage: pgbench.sh TEMPLATE_DB SERVER_LOG}
: "${PGHOST:?needs the cluster env}"
TX=${HARD_PGBENCH_TX:-250}
CLIENTS=8
DB=kbs_bench
ROLE=kbs_bench
DIR=tests/hard/pgbench
# shellcheck source=tests/hard/lib.sh
. tests/hard/lib.sh

fresh_copy "$DB" "$ROLE" "$TEMPLATE" "LOGIN NOSUPERUSER IN ROLE kbs_admin"
nteams=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM kbs.team")
before=$("${PSQL[@]}" -d "$DB" -c "SELECT (SELECT count(*) FROM kbs.assessment) || ' ' || (SELECT count(*) FROM kbs.snapshot)")

echo "pgbench: $CLIENTS clients, 2 threads, $TX transactions each, as $ROLE (member of kbs_admin), $nteams teams"
start=$(date +%s)
pgbench -n -U "$ROLE" -c "$CLIENTS" -j 2 -t "$TX" -D nteams="$nteams" \
    -f "$DIR/assessment.sql@4" -f "$DIR/plan.sql@3" -f "$DIR/refresh.sql@1" -f "$DIR/dashboard.sql@2" \
    "$DB" >"$OUT/pgbench.out" 2>&1
rc=$?
secs=$(($(date +%s) - start))
processed=$(sed -n 's|^number of transactions actually processed: \([0-9]*\)/.*|\1|p' "$OUT/pgbench.out")
failed=$(sed -n 's|^number of failed transactions: \([0-9]*\).*|\1|p' "$OUT/pgbench.out")
grep -E '^(number of|latency average|tps)|^SQL script|^ - [0-9]+ transactions|^ - number of failed' "$OUT/pgbench.out" | sed 's/^/  /'
[ $rc -eq 0 ] || { echo "  pgbench exited with $rc:"; grep -E 'error|ERROR|aborted' "$OUT/pgbench.out" | head -n 20; }
expected=$((CLIENTS * TX))
check $([ $rc -eq 0 ] && [ "${processed:-0}" -eq "$expected" ]; echo $?) \
    "pgbench processed ${processed:-0} of $expected transactions in ${secs}s (exit code $rc)"
check $([ "${failed:-1}" -eq 0 ]; echo $?) "failed transactions: ${failed:-?} (no retries)"
after=$("${PSQL[@]}" -d "$DB" -c "SELECT (SELECT count(*) FROM kbs.assessment) || ' ' || (SELECT count(*) FROM kbs.snapshot)")
read -r a0 _ <<<"$before"
read -r a1 _ <<<"$after"

# Every snapshot against its recomputation, after one last refresh.
if res=$("${PSQL[@]}" -d "$DB" -f "$DIR/verify.sql" 2>&1); then
    IFS='|' read -r snapshots mismatches missing <<<"$res"
else
    echo "$res"; snapshots=0; mismatches=-1; missing=-1
fi
check $([ "$snapshots" -gt 0 ] && [ "$mismatches" -eq 0 ]; echo $?) \
    "snapshots equal to their recomputation: $((snapshots - (mismatches > 0 ? mismatches : 0))) of $snapshots ($mismatches mismatches)"
check $([ "$missing" -eq 0 ]; echo $?) "peildata of every team have a snapshot ($missing missing)"

check_crashes pgbench "$LOG"
echo "figure: pgbench transactions: ${processed:-0} of $expected in ${secs}s, failed: ${failed:-?}, new assessments: $((a1 - a0))"
echo "figure: snapshots checked: $snapshots, mismatches: $mismatches, missing: $missing; server crashes: $crashes"
echo "hard-pgbench: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
