#!/usr/bin/env bash
# pg_dump / pg_restore of a database with local catalogue rows: they come back
# once, shipped rows are never duplicated, and ids keep counting from where they were.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
BINDIR=$(pg_config --bindir)
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"${PSQL[@]}" -d postgres -c 'DROP DATABASE IF EXISTS kbs_dump' -c 'DROP DATABASE IF EXISTS kbs_restore' \
    -c 'CREATE DATABASE kbs_dump' -c 'CREATE DATABASE kbs_restore'
"${PSQL[@]}" -d kbs_dump <<'SQL'
CREATE EXTENSION kennisbouwstenen;
SELECT kbs.add_block('income.debt', 'Schulden', parent_code => 'specific.income');
SELECT kbs.add_block('local.digital', 'Digitale vaardigheden', ring => 'generic');
SELECT count(*) FROM kbs.import_blocks(E'code;parent_code;name\nincome.debt.young;income.debt;Jongeren met schulden\nincome.debt.old;income.debt;Ouderen met schulden\n');
SELECT kbs.retire_block('income.debt.old');
-- The parent's new row version now lies behind its aspects in the table.
UPDATE kbs.block SET description = 'Illustratief aspect' WHERE code = 'income.debt';
INSERT INTO kbs.scale_local (code, label) VALUES ('4', 'vraagbaak');
SQL

snapshot() { # the catalogue as text, for comparison
    "${PSQL[@]}" -d "$1" -c "SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', id, code, ring, domain, parent_id, name, added_in, retired_in), E'\n' ORDER BY id) FROM kbs.block" \
        -c "SELECT string_agg(format('%s|%s|%s', version, shipped, description), E'\n' ORDER BY version) FROM kbs.catalogue_version" \
        -c "SELECT string_agg(format('%s|%s', code, label), E'\n' ORDER BY code) FROM kbs.scale_labels"
}
snapshot kbs_dump >"$WORK/before.txt"

"$BINDIR/pg_dump" -Fc -d kbs_dump -f "$WORK/dump.pgc"
"$BINDIR/pg_restore" --exit-on-error -d kbs_restore "$WORK/dump.pgc"
snapshot kbs_restore >"$WORK/after.txt"

fail=0
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    echo "FAIL: catalogue differs after restore"; fail=1
fi
counts=$("${PSQL[@]}" -d kbs_restore -c "SELECT count(*) FILTER (WHERE shipped) || ' ' || count(*) FILTER (WHERE NOT shipped) || ' ' || count(DISTINCT code) || ' ' || count(*) FROM kbs.block")
echo "restored blocks (shipped local distinct-codes total): $counts"
[ "$counts" = "30 4 34 34" ] || { echo "FAIL: expected 30 shipped and 4 local blocks, each once"; fail=1; }
next=$("${PSQL[@]}" -d kbs_restore -c "SELECT kbs.add_block('local.after_restore', 'Na herstel', ring => 'generic')")
echo "next local id after restore: $next"
[ "$next" = "1004" ] || { echo "FAIL: expected id 1004, ids must never be reused"; fail=1; }
# A second dump of the restored database restores as well (no duplicates piling up).
"$BINDIR/pg_dump" -Fc -d kbs_restore -f "$WORK/dump2.pgc"
"${PSQL[@]}" -d postgres -c 'DROP DATABASE IF EXISTS kbs_restore2' -c 'CREATE DATABASE kbs_restore2'
"$BINDIR/pg_restore" --exit-on-error -d kbs_restore2 "$WORK/dump2.pgc"
total=$("${PSQL[@]}" -d kbs_restore2 -c "SELECT count(*) FROM kbs.block")
[ "$total" = "35" ] || { echo "FAIL: second restore has $total blocks, expected 35"; fail=1; }

"${PSQL[@]}" -d postgres -c 'DROP DATABASE kbs_dump' -c 'DROP DATABASE kbs_restore' -c 'DROP DATABASE kbs_restore2'
[ $fail -eq 0 ] && echo "dump/restore: local rows once, shipped rows not duplicated, ids continue"
exit $fail
