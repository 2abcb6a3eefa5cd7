#!/usr/bin/env bash
# Dashboards end to end: the demo data with hostile names (a team called
# </script><script>alert(1)</script>, markup in a municipality and a block name),
# kbs-dashboard writes the pages as an administrator and as a policy reader
# (suppressed cells), then Chromium (playwright-core) opens every page: console
# errors, charts and wheel segments against SQL, axe-core, keyboard, print.
# Also the generator's exit codes. Screenshots: tests/results/dashboards/.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BINDIR=$(pg_config --bindir)
DB=kbs_dashboards_it
POLICY=kbs_it_dash_policy
OUT=$ROOT/tests/results/dashboards
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)
HOSTILE_TEAM='</script><script>alert(1)</script>'
HOSTILE_MUN='Zandvoort <img src=x onerror=alert(2)>'
HOSTILE_BLOCK='Digitaal "><svg onload=alert(3)> & co'

pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() {
    echo "dashboard-cli: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "${browser_rc:-1}" -eq 0 ]
    exit $?
}
cleanup() {
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS $POLICY" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
rm -rf "$OUT"
mkdir -p "$OUT"

if ! make --no-print-directory dashboard >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log"
    bad "kbs-dashboard builds"
    finish
fi
ok "kbs-dashboard builds"
GEN=$ROOT/build/kbs-dashboard

if ! { "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" &&
       "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION kennisbouwstenen" &&
       "${PSQL[@]}" -d "$DB" -v scale=demo -f demo/generate.sql >/dev/null; }; then
    bad "demo database loads"
    finish
fi
"${PSQL[@]}" -d "$DB" -v team="$HOSTILE_TEAM" -v mun="$HOSTILE_MUN" -v blk="$HOSTILE_BLOCK" -v policy="$POLICY" <<'SQL'
UPDATE kbs.team SET name = :'team' WHERE id = 3;
UPDATE kbs.municipality SET name = :'mun' WHERE code = 'GM0473';
UPDATE kbs.block SET name = :'blk' WHERE code = 'demo.generic.digital';
CREATE ROLE :"policy" LOGIN IN ROLE kbs_policy;
INSERT INTO kbs.grant (role, municipality) VALUES (:'policy', 'GM0473');
SQL
[ $? -eq 0 ] && ok "hostile names stored" || bad "hostile names stored"

DSN="host=$PGHOST port=$PGPORT user=postgres dbname=$DB"
run_gen() { # expected-rc description args...
    local want=$1 what=$2
    shift 2
    "$GEN" "$@" >"$OUT/cli.out" 2>"$OUT/cli.err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$what (exit $rc)"; else bad "$what: exit $rc, expected $want: $(cat "$OUT/cli.err")"; fi
}
run_gen 0 "administrator: Amersfoort and its team reports" --dsn "$DSN" --municipality GM0307 --out "$OUT/admin" -q
run_gen 0 "administrator: Zandvoort" --dsn "$DSN" --municipality GM0473 --out "$OUT/admin" -q
# 2026-08-31: a peildatum on which the policy reader gets suppressed cells in Zandvoort.
POLICY_DATE=2026-08-31
run_gen 0 "policy reader: Zandvoort" --dsn "host=$PGHOST port=$PGPORT user=$POLICY dbname=$DB" --municipality GM0473 \
    --date $POLICY_DATE --out "$OUT/policy" -q
run_gen 1 "no arguments" --out "$OUT/x"
run_gen 1 "missing --out" --dsn "$DSN" --team 1
run_gen 1 "malformed municipality code" --dsn "$DSN" --municipality 0307 --out "$OUT/x"
run_gen 1 "impossible date" --dsn "$DSN" --team 1 --date 2025-02-29 --out "$OUT/x"
run_gen 1 "team number with a sign" --dsn "$DSN" --team -1 --out "$OUT/x"
run_gen 2 "failed connection" --dsn "host=$PGHOST port=$PGPORT user=postgres dbname=kbs_no_such_db" --team 1 --out "$OUT/x"
run_gen 3 "unknown municipality" --dsn "$DSN" --municipality GM9999 --out "$OUT/x"
run_gen 3 "unknown team" --dsn "$DSN" --team 999999 --out "$OUT/x"
run_gen 3 "team outside the municipality" --dsn "$DSN" --municipality GM0307 --team 16 --out "$OUT/x"
run_gen 4 "date without a snapshot" --dsn "$DSN" --team 1 --date 2026-09-29 --out "$OUT/x"
grep -q "latest snapshot before it is of" "$OUT/cli.err" && ok "no-data error names the nearest earlier snapshot" ||
    bad "no-data error names the nearest earlier snapshot: $(cat "$OUT/cli.err")"
run_gen 4 "date before any data" --dsn "$DSN" --municipality GM0307 --date 2000-01-31 --out "$OUT/x"
: >"$OUT/not-a-dir"
run_gen 6 "output path is a file" --dsn "$DSN" --team 1 --out "$OUT/not-a-dir"
[ ! -e "$OUT/x" ] && ok "failed runs write nothing" || bad "failed runs write nothing"
run_gen 0 "an explicit snapshot date" --dsn "$DSN" --team 1 --date 2025-06-30 --out "$OUT/dated" -q
grep -q '"peildatum": "2025-06-30"' "$OUT/dated/team-1.html" && ok "the page is of the requested date" ||
    bad "the page is of the requested date"
if grep -F -q "$HOSTILE_TEAM" "$OUT/admin/team-3.html"; then
    bad "the hostile team name never appears raw in the HTML"
else
    ok "the hostile team name never appears raw in the HTML"
fi

# What the browser test compares with: the catalogue and SQL's own figures.
q() { "${PSQL[@]}" -d "$DB" -c "$1"; }
wheel_counts=$(q "SELECT json_object_agg(ring_code, n) FROM (SELECT ring_code, count(*) AS n FROM kbs.v_wheel WHERE depth = 0 AND NOT retired GROUP BY 1) x")
peil=$(q "SELECT max(peildatum) FROM kbs.v_team_summary WHERE team_id = 3 AND peildatum <= current_date")
blocks3=$(q "SELECT json_object_agg(block_id, present || '/' || required) FROM kbs.v_team_block_status WHERE team_id = 3 AND peildatum = '$peil'")
gaps3=$(q "SELECT count(*) FROM kbs.v_team_block_status WHERE team_id = 3 AND peildatum = '$peil' AND status_code = 'gap'")
teams_ams=$(q "SELECT count(*) FROM kbs.dashboard_teams('GM0307', '$peil')")
teams_zvt=$(q "SELECT count(*) FROM kbs.dashboard_teams('GM0473', (kbs.dashboard_municipality('GM0473')->>'peildatum')::date)")
min_peil=$(q "SELECT count(DISTINCT peildatum) FROM kbs.v_municipality_domain_trend WHERE municipality_code = 'GM0307' AND peildatum <= '$peil'")
sup_zvt=$("${BINDIR}/psql" -X -q -t -A -h "$PGHOST" -p "$PGPORT" -U "$POLICY" -d "$DB" -c \
    "SELECT count(*) FROM kbs.v_team_domain_status WHERE municipality_code = 'GM0473' AND ring_code = 'specific' AND suppressed
       AND peildatum = '$POLICY_DATE'")
sup_t14=$("${BINDIR}/psql" -X -q -t -A -h "$PGHOST" -p "$PGPORT" -U "$POLICY" -d "$DB" -c \
    "SELECT count(*) FROM kbs.v_team_block_status s JOIN kbs.v_wheel w USING (block_id)
      WHERE s.team_id = 14 AND s.peildatum = '$POLICY_DATE' AND s.suppressed AND w.depth = 0")
[ "${sup_zvt:-0}" -gt 0 ] && ok "the policy reader sees suppressed cells ($sup_zvt)" || bad "the policy reader sees suppressed cells (${sup_zvt:-none})"

cat >"$OUT/expect.json" <<JSON
{
  "wheel_counts": $wheel_counts,
  "pages": [
    {"file": "$OUT/admin/gemeente-GM0307.html", "kind": "municipality", "teams": $teams_ams, "min_peildata": $min_peil,
     "hostile": {"team name": $(printf '%s' "$HOSTILE_TEAM" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}},
    {"file": "$OUT/admin/team-3.html", "kind": "team", "min_peildata": 12, "blocks": $blocks3, "gaps": $gaps3,
     "hostile": {"team name": $(printf '%s' "$HOSTILE_TEAM" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'),
                 "block name": $(printf '%s' "$HOSTILE_BLOCK" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}},
    {"file": "$OUT/admin/team-1.html", "kind": "team", "min_peildata": 12},
    {"file": "$OUT/admin/gemeente-GM0473.html", "kind": "municipality", "teams": $teams_zvt, "min_peildata": 12,
     "hostile": {"municipality name": $(printf '%s' "$HOSTILE_MUN" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}},
    {"file": "$OUT/policy/gemeente-GM0473.html", "kind": "municipality", "teams": $teams_zvt, "min_peildata": 12,
     "suppressed_cells": $sup_zvt},
    {"file": "$OUT/policy/team-16.html", "kind": "team", "min_peildata": 12},
    {"file": "$OUT/policy/team-14.html", "kind": "team", "min_peildata": 12, "suppressed_segments": ${sup_t14:-0}}
  ]
}
JSON

node tests/browser/check_pages.mjs "$OUT/expect.json" "$OUT"
browser_rc=$?
finish
