#!/usr/bin/env bash
# Dashboards end to end: the demo data with hostile names (a team called
# </script><script>alert(1)</script>, markup in a municipality and a block name),
# kbs-dashboard writes the pages as an administrator and as a policy reader
# (suppressed cells), then Chromium (playwright-core) opens every page: console
# errors, the figures of charts and tables against the views (read by the test as each
# page's reader), axe-core, keyboard, print.
# Also the generator's exit codes. Screenshots: tests/results/dashboards/.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
# shellcheck source=tests/integration/lib/common.sh
. tests/integration/lib/common.sh
DB=kbs_dashboards_it
POLICY=kbs_it_dash_policy
OUT=$ROOT/tests/results/dashboards
HOSTILE_TEAM='</script><script>alert(1)</script>'
HOSTILE_MUN='Zandvoort <img src=x onerror=alert(2)>'
HOSTILE_BLOCK='Digitaal "><svg onload=alert(3)> & co'

finish() {
    echo "dashboard-cli: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "${browser_rc:-1}" -eq 0 ]
    exit $?
}
cleanup() {
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS kbs_dashboards_nat WITH (FORCE)" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS $POLICY" -c "DROP ROLE IF EXISTS kbs_it_dash_fed" >/dev/null 2>&1 || true
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

# The national page: a benchmark database federating the demo database (over loopback), read
# by a policy login of the benchmark. The member shares its municipalities with the benchmark's login.
BENCH=kbs_dashboards_nat
FED=kbs_it_dash_fed
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $BENCH" -c "DROP ROLE IF EXISTS $FED" >/dev/null 2>&1
if "${PSQL[@]}" -d postgres -c "CREATE DATABASE $BENCH" -c "CREATE ROLE $FED LOGIN PASSWORD 'lezen' IN ROLE kbs_policy" &&
   "${PSQL[@]}" -d "$DB" -c "INSERT INTO kbs.grant (role, municipality) SELECT '$FED', code FROM kbs.municipality" &&
   "${PSQL[@]}" -d "$BENCH" -c "CREATE EXTENSION kennisbouwstenen" -c "CREATE EXTENSION postgres_fdw" >/dev/null; then
    ok "benchmark database made"
else
    bad "benchmark database made"
fi
BENCH_DSN="host=$PGHOST port=$PGPORT user=$POLICY dbname=$BENCH"
run_gen 4 "national page without members" --dsn "$BENCH_DSN" --national --out "$OUT/x"
"${PSQL[@]}" -d "$BENCH" -c "SELECT kbs.federation_add('demo', 'host=127.0.0.1 port=$PGPORT dbname=$DB', '$FED', 'lezen')" >/dev/null
run_gen 0 "national page (policy reader of the benchmark)" --dsn "$BENCH_DSN" --national --out "$OUT/national" -q
run_gen 1 "--national with --municipality" --dsn "$BENCH_DSN" --national --municipality GM0307 --out "$OUT/x"
"${PSQL[@]}" -d "$BENCH" -c "ALTER SERVER kbs_member_demo OPTIONS (SET port '1')"
run_gen 5 "national page with a member that does not answer" --dsn "$BENCH_DSN" --national --out "$OUT/x"
grep -q 'could not connect to server "kbs_member_demo"' "$OUT/cli.err" && ok "the error names the member that does not answer" ||
    bad "the error names the member that does not answer: $(cat "$OUT/cli.err")"
"${PSQL[@]}" -d "$BENCH" -c "ALTER SERVER kbs_member_demo OPTIONS (SET port '$PGPORT')"
[ ! -e "$OUT/x" ] && ok "failed national runs write nothing" || bad "failed national runs write nothing"

# The browser test reads the views itself (psql as each page's reader); here only the pages,
# who generated them, and counts that prove suppression is exercised.
pol() { "${BINDIR}/psql" -X -q -t -A -h "$PGHOST" -p "$PGPORT" -U "$POLICY" -d "$DB" -c "$1"; }
sup_zvt=$(pol "SELECT count(*) FROM kbs.v_team_domain_status WHERE municipality_code = 'GM0473' AND ring_code = 'specific'
                 AND suppressed AND peildatum = '$POLICY_DATE'")
sup_t14=$(pol "SELECT count(*) FROM kbs.v_team_block_status s JOIN kbs.v_wheel w USING (block_id)
                WHERE s.team_id = 14 AND s.peildatum = '$POLICY_DATE' AND s.suppressed AND w.depth = 0")
[ "${sup_zvt:-0}" -gt 0 ] && ok "the policy reader sees suppressed cells ($sup_zvt)" || bad "the policy reader sees suppressed cells (${sup_zvt:-none})"
json() { printf '%s' "$1" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'; }

cat >"$OUT/expect.json" <<JSON
{
  "psql": "$BINDIR/psql",
  "db": "$DB",
  "pages": [
    {"file": "$OUT/admin/gemeente-GM0307.html", "kind": "municipality", "municipality": "GM0307", "role": "postgres",
     "min_peildata": 6, "hostile": {"team name": $(json "$HOSTILE_TEAM")}},
    {"file": "$OUT/admin/team-3.html", "kind": "team", "team": 3, "role": "postgres", "min_peildata": 12, "min_unknown": 1,
     "min_aspects": 1,
     "hostile": {"team name": $(json "$HOSTILE_TEAM"), "block name": $(json "$HOSTILE_BLOCK")}},
    {"file": "$OUT/admin/team-1.html", "kind": "team", "team": 1, "role": "postgres", "min_peildata": 12},
    {"file": "$OUT/admin/team-14.html", "kind": "team", "team": 14, "role": "postgres", "min_peildata": 12, "min_candidates": 1},
    {"file": "$OUT/admin/gemeente-GM0473.html", "kind": "municipality", "municipality": "GM0473", "role": "postgres",
     "min_peildata": 6, "min_incomplete": 1, "hostile": {"municipality name": $(json "$HOSTILE_MUN")}},
    {"file": "$OUT/policy/gemeente-GM0473.html", "kind": "municipality", "municipality": "GM0473", "role": "$POLICY",
     "date": "$POLICY_DATE", "min_peildata": 6, "min_incomplete": 1, "suppressed_cells": ${sup_zvt:-0}},
    {"file": "$OUT/policy/team-16.html", "kind": "team", "team": 16, "role": "$POLICY", "date": "$POLICY_DATE", "min_peildata": 12},
    {"file": "$OUT/policy/team-14.html", "kind": "team", "team": 14, "role": "$POLICY", "date": "$POLICY_DATE", "min_peildata": 12,
     "suppressed_segments": ${sup_t14:-0}},
    {"file": "$OUT/policy/team-17.html", "kind": "team", "team": 17, "role": "$POLICY", "date": "$POLICY_DATE", "min_peildata": 12},
    {"file": "$OUT/national/landelijk.html", "kind": "national", "db": "$BENCH", "role": "$POLICY", "min_peildata": 12,
     "min_municipalities": 3, "hostile": {"municipality name": $(json "$HOSTILE_MUN")}}
  ]
}
JSON

node tests/browser/check_pages.mjs "$OUT/expect.json" "$OUT"
browser_rc=$?
finish
