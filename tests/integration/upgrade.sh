#!/usr/bin/env bash
# Upgrades: for every released version (1.0 and those frozen in extension/released/),
# install it, load the demo data, walk every update script with ALTER EXTENSION ...
# UPDATE, and compare with a fresh installation of the current version: the catalog
# objects (tests/integration/catalog_snapshot.sql) must be identical, and the data
# loaded before the update must give the same rows in every kbs view as the same data
# restored (a data-only dump taken before the update) into a fresh installation.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
OUT=tests/results/upgrade
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -U postgres)
current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
dbs=()
cleanup() {
    for d in "${dbs[@]}"; do "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

snapshot() { # db file
    "${PSQL[@]}" -d "$1" -f tests/integration/catalog_snapshot.sql >"$2" 2>&1
}
# Every kbs view's rows, sorted, one file.
views() { # db file
    "${PSQL[@]}" -d "$1" -t -A -c "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'kbs'::regnamespace
                                    AND c.relkind = 'v' ORDER BY 1" |
    while read -r v; do
        echo "== $v"
        "${PSQL[@]}" -d "$1" -t -A -c "SET kbs.as_of = '2026-06-30'; SELECT x::text FROM kbs.$v x ORDER BY 1"
    done >"$2" 2>&1
}

fresh=kbs_upgrade_fresh
dbs+=("$fresh")
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $fresh" -c "CREATE DATABASE $fresh"
"${PSQL[@]}" -d "$fresh" -c "CREATE EXTENSION kennisbouwstenen" &&
    snapshot "$fresh" "$OUT/fresh-catalog.txt" ||
    { bad "fresh installation of $current"; echo "upgrade: $pass passed, $fail failed"; exit 1; }
lines=$(wc -l <"$OUT/fresh-catalog.txt")
# A snapshot that lists nothing would make every comparison pass.
if [ "$lines" -gt 500 ] && grep -q '^function kbs.dashboard_team' "$OUT/fresh-catalog.txt" &&
   grep -q '^view kbs.v_team_summary' "$OUT/fresh-catalog.txt" && grep -q '^block ' "$OUT/fresh-catalog.txt"; then
    ok "catalog snapshot of a fresh $current describes the extension ($lines lines)"
else
    bad "catalog snapshot of a fresh $current is incomplete ($lines lines)"
fi

# Released versions: 1.0 and every frozen install script.
versions=$( { echo 1.0; ls extension/released 2>/dev/null | sed -n 's/^kennisbouwstenen--\([0-9.]*\)\.sql$/\1/p'; } | sort -u -V)
for v in $versions; do
    db=kbs_upgrade_from_${v//./_}
    dbs+=("$db")
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    if ! "${PSQL[@]}" -d "$db" -c "CREATE EXTENSION kennisbouwstenen VERSION '$v'"; then
        bad "install $v"
        continue
    fi
    path=$("${PSQL[@]}" -d "$db" -t -A -c "SELECT coalesce(path, '(none)') FROM pg_extension_update_paths('kennisbouwstenen')
                                            WHERE source = '$v' AND target = '$current'")
    [ "$v" = "$current" ] && path=$v
    [ -n "$path" ] && [ "$path" != "(none)" ] && ok "update path $v -> $current: $path" ||
        { bad "no update path from $v to $current"; continue; }
    # Data first, with the old version's functions, as a municipality would have it:
    # the demo generator as it was at that release when it has changed since.
    gen=demo/generate.sql
    [ -f "tests/integration/upgrade_data/generate-$v.sql" ] && gen=tests/integration/upgrade_data/generate-$v.sql
    if ! "${PSQL[@]}" -d "$db" -v scale=demo -f "$gen" >"$OUT/demo-$v.log" 2>&1; then
        bad "load the demo data into $v with $gen (tests/results/upgrade/demo-$v.log); when the generator has changed since $v, freeze the one that ran on $v as tests/integration/upgrade_data/generate-$v.sql"
        tail -n 5 "$OUT/demo-$v.log"
        continue
    fi
    # The fresh installation gets exactly these data, as a data-only dump: the generator calls the
    # extension (kbs.propose_plan), so run on another version it may write other data.
    if "$BINDIR/pg_dump" -Fc --data-only -d "$db" -f "$OUT/data-$v.pgc" &&
       "${PSQL[@]}" -d postgres -c "DROP DATABASE $fresh" -c "CREATE DATABASE $fresh" &&
       "${PSQL[@]}" -d "$fresh" -c "CREATE EXTENSION kennisbouwstenen" &&
       "$BINDIR/pg_restore" --exit-on-error --data-only -U postgres -d "$fresh" "$OUT/data-$v.pgc" >"$OUT/restore-$v.log" 2>&1; then
        ok "the data of $v restored into a fresh $current"
    else
        bad "the data of $v restored into a fresh $current (tests/results/upgrade/restore-$v.log)"
        tail -n 5 "$OUT/restore-$v.log"
        continue
    fi
    # Before the update the old SQL runs on this build's library: kbs.gaps keeps its old nine
    # columns and old rule (a shortfall the unassessed member could fill is a gap there).
    if [ "$v" != "$current" ]; then
        old=$("${PSQL[@]}" -d "$db" -t -A -F ' ' -c "SELECT count(*) OVER (), (SELECT count(*) FROM jsonb_object_keys(to_jsonb(g))), g.status
                                                      FROM kbs.gaps('(3){11:0,2,0,0,0,0}', '{11:1/all}') g")
        [ "$old" = "1 9 gap" ] && ok "$v with this build's library: kbs.gaps as $v declared it" ||
            bad "$v with this build's library: kbs.gaps gave '$old', expected '1 9 gap'"
    fi
    if ! "${PSQL[@]}" -d "$db" -c "ALTER EXTENSION kennisbouwstenen UPDATE"; then
        bad "ALTER EXTENSION kennisbouwstenen UPDATE from $v"
        continue
    fi
    new=$("${PSQL[@]}" -d "$db" -t -A -c "SELECT status || ' ' || unassessed FROM kbs.gaps('(3){11:0,2,0,0,0,0}', '{11:1/all}')")
    [ "$new" = "unknown 1" ] && ok "$v -> $current: kbs.gaps has unassessed and unknown" ||
        bad "$v -> $current: kbs.gaps gave '$new', expected 'unknown 1'"
    got=$("${PSQL[@]}" -d "$db" -t -A -c "SELECT extversion FROM pg_extension WHERE extname = 'kennisbouwstenen'")
    [ "$got" = "$current" ] && ok "$v updated to $current" || bad "$v updated to '$got', expected $current"
    snapshot "$db" "$OUT/from-$v-catalog.txt"
    if diff -u "$OUT/fresh-catalog.txt" "$OUT/from-$v-catalog.txt" >"$OUT/from-$v-catalog.diff"; then
        ok "catalog after $v -> $current equals a fresh $current"
    else
        bad "catalog after $v -> $current differs from a fresh $current (tests/results/upgrade/from-$v-catalog.diff):"
        head -n 40 "$OUT/from-$v-catalog.diff"
    fi
    # Snapshots computed by the old version are recomputed by the new one where it matters.
    "${PSQL[@]}" -d "$db" -c "SELECT kbs.refresh_snapshots('2023-01-01', '2026-12-31')" >/dev/null
    "${PSQL[@]}" -d "$fresh" -c "SELECT kbs.refresh_snapshots('2023-01-01', '2026-12-31')" >/dev/null
    views "$fresh" "$OUT/fresh-views.txt"
    views "$db" "$OUT/from-$v-views.txt"
    if [ "$(grep -vc '^==' "$OUT/fresh-views.txt")" -gt 1000 ] &&
       diff -u "$OUT/fresh-views.txt" "$OUT/from-$v-views.txt" >"$OUT/from-$v-views.diff"; then
        ok "every kbs view gives the same rows after $v -> $current as on a fresh $current ($(grep -vc '^==' "$OUT/fresh-views.txt") rows)"
    else
        bad "views after $v -> $current differ from a fresh $current (tests/results/upgrade/from-$v-views.diff)"
        head -n 20 "$OUT/from-$v-views.diff"
    fi
done
echo "upgrade: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
