# shellcheck shell=bash
# Sourced by the check-hard parts that work on a copy of the template database
# (tests/hard/sqlsmith.sh, tests/hard/pgbench.sh), from the repository root:
# the output folder, psql as postgres, the counted checks, a fresh copy of the
# template for the part's own role, and the crash lines of the server log.
OUT=tests/results/hard
PSQL=(psql -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)
mkdir -p "$OUT"
pass=0
fail=0
check() { # ok? description
    if [ "$1" = 0 ]; then echo "ok   $2"; pass=$((pass + 1)); else echo "FAIL $2"; fail=$((fail + 1)); fi
}
# fresh_copy DB ROLE TEMPLATE ROLE_OPTIONS [MORE_SQL]: drops DB and ROLE, creates ROLE with
# ROLE_OPTIONS, runs MORE_SQL (e.g. ALTER ROLE ... SET), then DB as a copy of TEMPLATE.
fresh_copy() {
    "${PSQL[@]}" -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
DROP DATABASE IF EXISTS $1;
DROP ROLE IF EXISTS $2;
CREATE ROLE $2 $4;
${5:-}
CREATE DATABASE $1 TEMPLATE $3;
SQL
}
# check_crashes PART LOG: no crash lines in the server log (tests/hard/log_crashes.sh,
# kept in $OUT/PART-crashes.txt); sets crashes to their number.
check_crashes() {
    if bash tests/hard/log_crashes.sh "$2" >"$OUT/$1-crashes.txt"; then crashes=0; else crashes=$(wc -l <"$OUT/$1-crashes.txt"); fi
    cat "$OUT/$1-crashes.txt"
    check $([ "$crashes" -eq 0 ]; echo $?) "server log: $crashes crash lines (signal, abnormal exit, PANIC, TRAP)"
}
