#!/usr/bin/env bash
# The demo database through pg_dump and pg_restore into a fresh database: every
# kbs view returns the same rows, and local catalogue rows appear once.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS kbs_demo_dump" -c "DROP DATABASE IF EXISTS kbs_demo_restore" >/dev/null 2>&1 || true' EXIT

"${PSQL[@]}" -d postgres -c 'DROP DATABASE IF EXISTS kbs_demo_dump' -c 'DROP DATABASE IF EXISTS kbs_demo_restore' \
    -c 'CREATE DATABASE kbs_demo_dump' -c 'CREATE DATABASE kbs_demo_restore' 2>/dev/null
"${PSQL[@]}" -d kbs_demo_dump -c 'CREATE EXTENSION kennisbouwstenen'
"${PSQL[@]}" -d kbs_demo_dump -v scale=demo -f demo/generate.sql >/dev/null

# One fingerprint per view: row count and md5 of its rows as text, in a fixed order.
fingerprints() {
    "${PSQL[@]}" -d "$1" <<'SQL'
SET kbs.as_of = '2026-09-30';
DO $$
DECLARE
    v text;
    n bigint;
    h text;
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' ORDER BY 1 LOOP
        EXECUTE format('SELECT count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM kbs.%I t', v)
            INTO n, h;
        RAISE NOTICE '% % %', v, n, h;
    END LOOP;
END
$$;
SQL
}
fingerprints kbs_demo_dump 2>"$WORK/before.txt"
"$BINDIR/pg_dump" -Fc -d kbs_demo_dump -f "$WORK/demo.pgc"
"$BINDIR/pg_restore" --exit-on-error -d kbs_demo_restore "$WORK/demo.pgc"
fingerprints kbs_demo_restore 2>"$WORK/after.txt"

fail=0
views=$(grep -c NOTICE "$WORK/before.txt" || true)
nonempty=$(grep NOTICE "$WORK/before.txt" | awk '$4 > 0' | wc -l)
echo "views compared: $views ($nonempty with rows)"
[ "$views" -ge 15 ] || { echo "FAIL: expected at least 15 views, got $views"; fail=1; }
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    echo "FAIL: views differ after restore"; fail=1
fi
dups=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) - count(DISTINCT code) FROM kbs.block")
locals=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) FROM kbs.block WHERE NOT shipped")
shipped=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) FROM kbs.block WHERE shipped")
echo "restored catalogue: $shipped shipped, $locals local, $dups duplicate codes"
[ "$dups" = "0" ] && [ "$shipped" = "30" ] && [ "$locals" -gt 0 ] || { echo "FAIL: catalogue rows not restored once"; fail=1; }
[ $fail -eq 0 ] && echo "demo dump/restore: every view identical, local blocks once"
exit $fail
