#!/usr/bin/env bash
# check-hard, part 2: sqlsmith's random SQL against a copy of the demo database.
#   tests/hard/sqlsmith.sh TEMPLATE_DB SERVER_LOG      (needs the cluster env: PGHOST, PGPORT)
# sqlsmith logs in as kbs_smith, a LOGIN role that is only a member of kbs_admin
# (no superuser: no pg_terminate_backend of others, no file access), with a
# statement and lock timeout so every query is bounded. Errors of its random
# queries are expected and only counted (by SQLSTATE class, from the server
# log, whose line prefix carries %e and %u); a server crash fails the part.
# Figures go to stdout as "figure: ..."; last line "hard-sqlsmith: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
TEMPLATE=${1:?usage: sqlsmith.sh TEMPLATE_DB SERVER_LOG}
LOG=${2:?usage: sqlsmith.sh TEMPLATE_DB SERVER_LOG}
: "${PGHOST:?needs the cluster env}"
QUERIES=${HARD_SQLSMITH_QUERIES:-20000}
SEED=${HARD_SQLSMITH_SEED:-20260101}
TIMEOUT=${HARD_SQLSMITH_STATEMENT_TIMEOUT:-250ms}
DB=kbs_smith
ROLE=kbs_smith
# shellcheck source=tests/hard/lib.sh
. tests/hard/lib.sh

fresh_copy "$DB" "$ROLE" "$TEMPLATE" "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE kbs_admin" "
ALTER ROLE $ROLE SET statement_timeout = '$TIMEOUT';
ALTER ROLE $ROLE SET lock_timeout = '$TIMEOUT';
ALTER ROLE $ROLE SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE $ROLE SET temp_file_limit = '256MB';
ALTER ROLE $ROLE SET work_mem = '16MB';"
super=$("${PSQL[@]}" -d "$DB" -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$ROLE'")
[ "$super" = f ] || { echo "FAIL $ROLE must not be a superuser"; exit 1; }
log_from=$(($(wc -l <"$LOG") + 1))

echo "sqlsmith: $QUERIES queries as $ROLE (member of kbs_admin, not superuser), seed $SEED, statement_timeout $TIMEOUT"
start=$(date +%s)
# The timeout is a safety net only: the run is bounded by --max-queries.
timeout 3600 sqlsmith --target="host=$PGHOST port=$PGPORT dbname=$DB user=$ROLE" --seed="$SEED" \
    --max-queries="$QUERIES" --exclude-catalog --verbose >"$OUT/sqlsmith.out" 2>&1
rc=$?
secs=$(($(date +%s) - start))
ran=$(grep -aoE '^queries: [0-9]+' "$OUT/sqlsmith.out" | tail -n 1 | awk '{print $2}')
rate=$(grep -aoE '^error rate: [0-9.]+' "$OUT/sqlsmith.out" | tail -n 1 | awk '{print $3}')
check $([ $rc -eq 0 ] && [ "${ran:-0}" -ge "$QUERIES" ]; echo $?) \
    "sqlsmith ran ${ran:-0} of $QUERIES queries in ${secs}s (exit code $rc; output: $OUT/sqlsmith.out)"

# Errors of the random queries, by SQLSTATE class (the server log of this run).
tail -n +"$log_from" "$LOG" >"$OUT/sqlsmith-server.log"
awk -v who="$ROLE@$DB" '$4 ~ /^\[[0-9]+\]$/ && $6 == who && $7 == "ERROR:" {print $5}' "$OUT/sqlsmith-server.log" \
    >"$OUT/sqlsmith-sqlstates.txt"
errors=$(wc -l <"$OUT/sqlsmith-sqlstates.txt")
class_name() {
    case "$1" in
        0A) echo "feature not supported" ;; 21) echo "cardinality violation" ;; 22) echo "data exception" ;;
        23) echo "integrity constraint violation" ;; 25) echo "invalid transaction state" ;;
        2B) echo "dependent privilege descriptors still exist" ;; 2F) echo "SQL routine exception" ;;
        39) echo "external routine invocation" ;; 40) echo "transaction rollback" ;;
        42) echo "syntax error or access rule violation" ;; 53) echo "insufficient resources" ;;
        54) echo "program limit exceeded" ;; 55) echo "object not in prerequisite state" ;;
        57) echo "operator intervention (timeouts)" ;; 58) echo "system error" ;; P0) echo "PL/pgSQL" ;;
        XX) echo "internal error" ;; *) echo "other" ;;
    esac
}
echo "figure: sqlsmith queries: ${ran:-0} in ${secs}s, errors: $errors (sqlsmith's error rate ${rate:-?})"
cut -c1-2 "$OUT/sqlsmith-sqlstates.txt" | sort | uniq -c | sort -rn | while read -r n cls; do
    printf 'figure:   class %s %-40s %6d\n' "$cls" "($(class_name "$cls"))" "$n"
done
echo "figure:   timeouts (57014): $(grep -c '^57014$' "$OUT/sqlsmith-sqlstates.txt")"
# Internal errors are not crashes, but worth a look: list them.
awk -v who="$ROLE@$DB" '$6 == who && $7 == "ERROR:" && $5 ~ /^XX/' "$OUT/sqlsmith-server.log" |
    cut -d' ' -f5,8- | sort | uniq -c | sort -rn | head -n 10 | sed 's/^/  internal error: /'

# No crash: the server log of the whole cluster, and the server still answers.
check_crashes sqlsmith "$LOG"
alive=$("${PSQL[@]}" -d "$DB" -c "SELECT 1" 2>&1)
check $([ "$alive" = 1 ]; echo $?) "server answers after the run"
echo "figure: sqlsmith server crashes: $crashes"
echo "hard-sqlsmith: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
