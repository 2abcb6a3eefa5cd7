#!/usr/bin/env bash
# README, "Uw eigen gegevens": the block of commands from an HR export to
# snapshots runs as written, on the example files in demo/, in a database of its
# own, and gives the figures worked out by hand.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
DB=kbs_import_demo_it
OUT=tests/results/import-demo
PSQL=("$BINDIR/psql" -X -q -U postgres)
mkdir -p "$OUT"
cleanup() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
pass=0
fail=0
check() { # name expected actual
    if [ "$2" = "$3" ]; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1: expected [$2], got [$3]"; fail=$((fail + 1)); fi
}

# The SQL between the heredoc lines of the block after the README's marker.
awk '/<!-- tests\/integration\/import_demo.sh runs this block/ { found = 1; next }
     found && /^psql .*<<.SQL.$/ { inside = 1; next }
     inside && /^SQL$/ { exit }
     inside { print }' README.md >"$OUT/block.sql"
check "the README block is there" "t" "$([ "$(grep -c 'kbs.import_' "$OUT/block.sql")" -ge 4 ] && echo t || echo f)"

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" && "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen" ||
    { echo "import-demo: 0 passed, 1 failed"; exit 1; }
if "${PSQL[@]}" -d "$DB" -v ON_ERROR_STOP=1 -f "$OUT/block.sql" >"$OUT/block.out" 2>&1; then
    check "the README block runs without an error" "0" "0"
else
    check "the README block runs without an error" "0" "$?"
    tail -n 20 "$OUT/block.out"
fi
q() { "${PSQL[@]}" -d "$DB" -t -A -F '|' -c "$1"; }
# The roster of 1 March 2026: Noord six, Zuid five (P-2004 leaves at the end of April).
check "teams and people" "2|11" "$(q "SELECT (SELECT count(*) FROM kbs.team), (SELECT count(*) FROM kbs.professional)")"
# Two teams, eleven people, eleven memberships: the preview's changes and the import's.
check "the preview and the import: 24 changes each" "24|24" \
    "$(q "SELECT string_agg(changes::text, '|' ORDER BY id) FROM kbs.import_log WHERE kind = 'people'")"
check "round final, every form's draft made final by the team leader" "final|11|11" \
    "$(q "SELECT r.status, count(*), count(*) FILTER (WHERE a.validated_by = 'teamleider' AND a.status = 'final')
            FROM kbs.assessment_round r JOIN kbs.assessment a ON a.round_id = r.id GROUP BY r.status")"
# Noord needs 28 (6 + 6 + 6 + 6 for the four floors, 1 + 2 + 1 specific); P-1006 has
# general income and safety at 0, so 26 are there: 26 / 28 = 0.9286. Zuid has no requirement.
check "snapshot of 31 March: Noord" "Noord|6|6|0.9286|t" \
    "$(q "SELECT team_name, members, assessed, fulfilment, published FROM kbs.v_team_summary
            WHERE municipality_code = 'GM9999' AND peildatum = '2026-03-31' AND team_name = 'Noord'")"
check "snapshot of 31 March: Zuid" "Zuid|5|5||t" \
    "$(q "SELECT team_name, members, assessed, fulfilment, published FROM kbs.v_team_summary
            WHERE municipality_code = 'GM9999' AND peildatum = '2026-03-31' AND team_name = 'Zuid'")"
check "the import log: preview, roster, requirement, assessments" "people:previewed|people:imported|requirement:imported|assessments:imported" \
    "$(q "SELECT string_agg(kind || ':' || outcome, '|' ORDER BY id) FROM kbs.import_log")"
echo "import-demo: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
