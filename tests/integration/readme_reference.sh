#!/usr/bin/env bash
# The README's Reference part against the catalog: every user-facing object of schema kbs (types, operators,
# casts, functions, aggregates, tables, views, settings, the library's settings, roles) has a row there, with the
# signature as psql's \df prints it and the version it was added in; no row names an object that is not there;
# a view's row names only columns the view has, and as its readers (A, C, P) the kbs_* roles that may select.
# The objects, their keys and what counts as internal: tests/integration/readme_reference.sql.
# The version an object was added in is the first version whose install script has it (same name and input
# types): every released version (extension/released/) and the current one are installed side by side.
# Prints every missing, unknown, duplicated or misdated row (with the row to add), every wrong column or readers;
# exits non-zero on any.
#   README=path  check another file (default: the repository's README.md)
#   ROWS=1       also print the row every user-facing object needs (key and version), by kind, to start a section
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A)
README=$(readlink -f "${README:-README.md}")
DB=kbs_readme_it
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
# Released versions in version order, then the current one.
mapfile -t versions < <(ls extension/released/kennisbouwstenen--*.sql |
                        sed 's|.*kennisbouwstenen--\(.*\)\.sql$|\1|' | sort -V)
versions+=("$current")
WORK=

cleanup() {
    for v in "${versions[@]}"; do
        "${PSQL[@]}" -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB}_${v//./_}" >/dev/null 2>&1 || true
    done
    [ -z "$WORK" ] || rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
WORK=$(mktemp -d)

# The identities of every object of each version: "<version><TAB><ident>" lines.
: >"$WORK/history.tsv"
for v in "${versions[@]}"; do
    db=${DB}_${v//./_}
    "${PSQL[@]}" -U postgres -d postgres -c "CREATE DATABASE $db"
    "${PSQL[@]}" -U postgres -d "$db" -c "CREATE EXTENSION kennisbouwstenen VERSION '$v'"
    "${PSQL[@]}" -U postgres -d "$db" -F $'\t' -c "LOAD 'kennisbouwstenen'" \
        -f tests/integration/readme_reference.sql \
        -c "SELECT '$v', ident FROM pg_temp.kbs_inventory" >>"$WORK/history.tsv"
done

# Compare with the README's Reference part (from '## Reference' to the next '## ' heading): its table rows
# whose first cell starts with a code span; the key is that code span, the last cell the version added.
"${PSQL[@]}" -U postgres -d "${DB}_${current//./_}" -F ' ' -v current="$current" -v rows="${ROWS:-0}" \
    -v readme_path="$README" -v history_path="$WORK/history.tsv" >"$WORK/report.txt" <<'SQL'
LOAD 'kennisbouwstenen';
\i tests/integration/readme_reference.sql
\set readme `cat :'readme_path'`
\set history `cat :'history_path'`
WITH line AS (
    SELECT l.n, l.text FROM pg_catalog.regexp_split_to_table(:'readme', E'\n') WITH ORDINALITY AS l(text, n)
), part AS (
    SELECT (SELECT min(n) FROM line WHERE text = '## Reference') AS first,
           coalesce((SELECT min(n) FROM line
                      WHERE text ~ '^## ' AND n > (SELECT min(n) FROM line WHERE text = '## Reference')),
                    (SELECT max(n) + 1 FROM line)) AS last
), readme_row AS (
    SELECT l.n, l.text, (pg_catalog.regexp_match(l.text, '^\| *`([^`]+)`'))[1] AS key,
           pg_catalog.btrim((pg_catalog.regexp_match(l.text, '\|([^|]*)\|\s*$'))[1]) AS added
      FROM line l, part p
     WHERE l.n > p.first AND l.n < p.last AND l.text ~ '^\| *`'
), history AS (
    SELECT h[2] AS ident, h[1] AS version
      FROM pg_catalog.regexp_split_to_table(:'history', E'\n') AS t(text),
           pg_catalog.string_to_array(t.text, E'\t') AS h
     WHERE t.text <> ''
), first_version AS (
    SELECT ident, (array_agg(version ORDER BY pg_catalog.string_to_array(version, '.')::int[]))[1] AS version
      FROM history GROUP BY ident
), expected AS (
    SELECT i.kind, i.key, i.internal, coalesce(f.version, :'current') AS added
      FROM pg_temp.kbs_inventory i LEFT JOIN first_version f USING (ident)
), problem AS (
    SELECT 1 AS sort, e.kind AS what, e.key AS key,
           format('missing   %s %s: add the row | `%s` | … | %s |', e.kind, e.key, e.key, e.added) AS text
      FROM expected e
     WHERE e.internal IS NULL AND NOT EXISTS (SELECT 1 FROM readme_row r WHERE r.key = e.key)
    UNION ALL
    SELECT 2, '', r.key,
           format('unknown   README line %s: `%s` is %s', r.n, r.key,
                  coalesce((SELECT 'internal (' || e.internal || '), leave it out of the reference'
                              FROM expected e WHERE e.key = r.key),
                           'no object of schema kbs (check the name, the arguments and the result against \df)'))
      FROM readme_row r
     WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.key = r.key AND e.internal IS NULL)
    UNION ALL
    SELECT 3, '', r.key,
           format('duplicate README lines %s: `%s`', string_agg(r.n::text, ', ' ORDER BY r.n), r.key)
      FROM readme_row r GROUP BY r.key HAVING count(*) > 1
    UNION ALL
    SELECT 4, '', r.key,
           format('version   README line %s: `%s` was added in %s, the row says "%s"', r.n, r.key, e.added, r.added)
      FROM readme_row r JOIN expected e ON e.key = r.key AND e.internal IS NULL
     WHERE coalesce(r.added, '') !~ ('^' || replace(e.added, '.', '\.') || '($|[^0-9.])')
    UNION ALL
    -- A view's row: every code span that is a plain name is one of its columns ...
    SELECT 5, '', r.key,
           format('column    README line %s: `%s` has no column `%s`', r.n, r.key, c.name)
      FROM readme_row r JOIN expected e ON e.key = r.key AND e.kind = 'view' AND e.internal IS NULL
           JOIN pg_temp.kbs_relation_detail d ON d.key = r.key,
           LATERAL (SELECT m[1] AS name FROM pg_catalog.regexp_matches(r.text, '`([a-z][a-z0-9_]*)`', 'g') AS m) c
     WHERE c.name <> ALL (d.columns)
    UNION ALL
    -- ... and its readers (the cell of A, C, P) are the group roles that may select from it.
    SELECT 6, '', r.key,
           format('readers   README line %s: `%s` is readable by %s, the row says "%s"', r.n, r.key,
                  d.readers, coalesce(rd.cell, '(no such cell)'))
      FROM readme_row r JOIN expected e ON e.key = r.key AND e.kind = 'view' AND e.internal IS NULL
           JOIN pg_temp.kbs_relation_detail d ON d.key = r.key
           LEFT JOIN LATERAL (SELECT (pg_catalog.regexp_match(r.text, '\| ([ACP]( [ACP])*)( \([^|]*\))? \|'))[1]
                                  AS cell) rd ON true
     WHERE rd.cell IS DISTINCT FROM d.readers
)
SELECT text FROM (
    SELECT sort, what, key, text FROM problem
    UNION ALL
    SELECT 8, e.kind, e.key, format('row       | `%s` | … | %s |', e.key, e.added)
      FROM expected e WHERE e.internal IS NULL AND :'rows' = '1'
    UNION ALL
    SELECT 9, '', '',
           format('counted   %s user-facing objects, %s internal ones left out; %s rows in the README''s reference',
                  count(*) FILTER (WHERE internal IS NULL), count(*) FILTER (WHERE internal IS NOT NULL),
                  (SELECT count(*) FROM readme_row))
      FROM expected
) p ORDER BY sort, what, key;
SQL

grep -v '^counted ' "$WORK/report.txt" || true
grep '^counted ' "$WORK/report.txt"
problems=$(grep -Evc '^(counted|row) ' "$WORK/report.txt" || true)
if [ "$problems" -eq 0 ]; then
    echo "ok   the README's reference names every user-facing object of schema kbs, as the catalog has it"
else
    echo "FAIL the README's reference differs from the catalog in $problems row(s) (see above)"
    exit 1
fi
