#!/usr/bin/env bash
# The demo database through pg_dump and pg_restore into a fresh database: every
# kbs view returns the same rows once kbs.refresh_publication() has run, and
# local catalogue rows appear once. kbs.publication is not dumped, and the
# restore decides nothing (it loads the snapshots before the dirty marks), so
# nothing is published until kbs.refresh_publication(); its decisions must
# equal the original ones, which were taken over several refreshes. The
# restore adds no dirty marks, so nothing needs recomputing.
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
# History for the decisions: a member of every team leaves on 1 February 2025,
# a refresh; a member of every team is assessed again on 1 May 2024, a refresh
# from 2024 on. Every snapshot is current afterwards.
"${PSQL[@]}" -d kbs_demo_dump >/dev/null <<'SQL'
SELECT min(peildatum) AS first_peil, max(peildatum) AS last_peil FROM kbs.assessment_round \gset
UPDATE kbs.membership SET during = daterange(lower(during), '2025-02-01')
 WHERE id IN (SELECT DISTINCT ON (team_id) id FROM kbs.membership
               WHERE upper_inf(during) AND lower(during) < '2025-01-01' ORDER BY team_id, id);
SELECT kbs.refresh_snapshots(:'first_peil', :'last_peil');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
SELECT DISTINCT ON (m.team_id) m.professional_id, '2024-05-01', 'supervisor', '{31:4,32:4}'
  FROM kbs.membership m WHERE lower(m.during) < '2024-01-01' AND upper_inf(m.during)
 ORDER BY m.team_id, m.professional_id DESC;
SELECT kbs.refresh_snapshots('2024-01-01', :'last_peil');
SQL

# The decisions, the published sets and the dirty marks, one line each
# (`nearest` apart, see below).
decisions() { # db
    "${PSQL[@]}" -d "$1" -c "SELECT team_id, peildatum, min_group_size, assessed, published, reason, snapshot_computed_at
                               FROM kbs.publication ORDER BY 1, 2"
}
nearest() { # db
    "${PSQL[@]}" -d "$1" -c "SELECT team_id, peildatum, nearest FROM kbs.publication ORDER BY 1, 2"
}
sets_and_marks() { # db
    "${PSQL[@]}" -d "$1" -c "SELECT 'set', team_id, persons FROM kbs.published_set ORDER BY 2, 3" \
        -c "SELECT 'mark', * FROM kbs.snapshot_dirty ORDER BY 2, 3, 4"
}

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
decisions kbs_demo_dump >"$WORK/decisions-before.txt"
nearest kbs_demo_dump >"$WORK/nearest-before.txt"
sets_and_marks kbs_demo_dump >"$WORK/sets-before.txt"
"$BINDIR/pg_dump" -Fc -d kbs_demo_dump -f "$WORK/demo.pgc"
"$BINDIR/pg_restore" --exit-on-error -d kbs_demo_restore "$WORK/demo.pgc"
restored_published=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) FROM kbs.publication" \
                    -c "SELECT count(*) FROM kbs.snapshot_cell WHERE published" | paste -sd ' ')
sets_and_marks kbs_demo_restore >"$WORK/sets-restored.txt"
redecided=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT kbs.refresh_publication()")
decisions kbs_demo_restore >"$WORK/decisions-redecided.txt"
nearest kbs_demo_restore >"$WORK/nearest-redecided.txt"
fingerprints kbs_demo_restore 2>"$WORK/after.txt"

fail=0
views=$(grep -c NOTICE "$WORK/before.txt" || true)
nonempty=$(grep NOTICE "$WORK/before.txt" | awk '$4 > 0' | wc -l)
echo "views compared: $views ($nonempty with rows)"
[ "$views" -ge 15 ] || { echo "FAIL: expected at least 15 views, got $views"; fail=1; }
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    echo "FAIL: views differ after restore and kbs.refresh_publication()"; fail=1
fi
echo "after the restore: decisions and published cells: $restored_published"
[ "$restored_published" = "0 0" ] || { echo "FAIL: the restore should decide nothing"; fail=1; }
cells=$(wc -l <"$WORK/decisions-before.txt")
published=$(grep -c '|t||' "$WORK/decisions-before.txt" || true)
differencing=$(grep -c '|differencing|' "$WORK/decisions-before.txt" || true)
echo "publication decisions: $cells cells, $published published, $differencing suppressed for differencing; $redecided decided again"
[ "$published" -gt 0 ] && [ "$differencing" -gt 0 ] || { echo "FAIL: the demo's decisions should include both"; fail=1; }
if ! diff -u "$WORK/decisions-before.txt" "$WORK/decisions-redecided.txt"; then
    echo "FAIL: publication decisions differ after restore and kbs.refresh_publication()"; fail=1
fi
# nearest depends on what was published before: deciding again sees every set
# ever published (a published cell's own set among them, at distance 0), so it
# may be smaller than the original's, never larger (none = infinite).
odd=$(paste -d '|' "$WORK/nearest-before.txt" "$WORK/nearest-redecided.txt" |
      awk -F'|' '!($1 == $4 && $2 == $5 && ($3 == "" || ($6 != "" && $6 + 0 <= $3 + 0)))' | head -n 5)
[ -z "$odd" ] || { echo "FAIL: nearest larger after restore (team|peildatum|before|team|peildatum|after): $odd"; fail=1; }
if ! diff -u "$WORK/sets-before.txt" "$WORK/sets-restored.txt"; then
    echo "FAIL: published sets or dirty marks differ after restore"; fail=1
fi
recomputed=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT kbs.refresh_snapshots(min(peildatum), max(peildatum)) FROM kbs.assessment_round")
echo "a refresh after the restore computed $recomputed snapshots"
[ "$recomputed" = 0 ] || { echo "FAIL: the restore left snapshots out of date"; fail=1; }
dups=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) - count(DISTINCT code) FROM kbs.block")
locals=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) FROM kbs.block WHERE NOT shipped")
shipped=$("${PSQL[@]}" -d kbs_demo_restore -c "SELECT count(*) FROM kbs.block WHERE shipped")
echo "restored catalogue: $shipped shipped, $locals local, $dups duplicate codes"
[ "$dups" = "0" ] && [ "$shipped" = "30" ] && [ "$locals" -gt 0 ] || { echo "FAIL: catalogue rows not restored once"; fail=1; }
[ $fail -eq 0 ] && echo "demo dump/restore: every view identical, local blocks once, publication decisions equal"
exit $fail
