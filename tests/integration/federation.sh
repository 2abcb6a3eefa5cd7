#!/usr/bin/env bash
# Federation (issue 15): a benchmark database reads two member databases through
# postgres_fdw. Member "noord" is a database in the test cluster (Amersfoort);
# member "zuid" lives in a second cluster of its own (Haarlem and Zandvoort), so
# that it can be stopped, and runs from a private installation that also knows a
# later version of the extension, so that version skew is real. A third database
# in the test cluster holds all three municipalities: the federated national
# figures must equal its figures.
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BINDIR=$(pg_config --bindir)
OUT=tests/results/federation
rm -rf "$OUT"
mkdir -p "$OUT"
MAIN_HOST=$PGHOST
MAIN_PORT=$PGPORT
B_DIR=$ROOT/.cluster/fed-it-b
B_ROOT=$ROOT/.cluster/fed-it-pgroot
READER=kbs_it_fed_reader
ADMIN=kbs_it_fed_admin
POLICY=kbs_it_fed_policy
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/kennisbouwstenen.control)
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { # name expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi
}
contains() { # name needle haystack
    case "$3" in *"$2"*) ok "$1" ;; *) bad "$1: [$2] not in [$3]" ;; esac
}

# psql on the test cluster (m) or on member zuid's cluster (b); q* print rows unaligned.
m() { PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -U postgres "$@"; }
b() { (. "$B_DIR/env" && "$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -U postgres "$@"); }
qm() { local db=$1; shift; m -d "$db" -t -A -c "$@"; }
qb() { local db=$1; shift; b -d "$db" -t -A -c "$@"; }
# The first line of the error a statement gives, as "SQLSTATE: message", or "no error".
err_m() { # db sql [user]
    local out
    if out=$(PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/psql" -X -q -U "${3:-postgres}" -d "$1" -v ON_ERROR_STOP=1 \
                 -v VERBOSITY=verbose -c "$2" 2>&1 >/dev/null); then
        echo "no error"
    else
        printf '%s\n' "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): /\1: /p' | head -n 1
    fi
}
hint_m() { # db sql: the HINT line of its error
    PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/psql" -X -q -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "$2" 2>&1 >/dev/null |
        sed -n 's/^HINT:  //p' | head -n 1
}

cleanup() {
    for d in kbs_fed_bench kbs_fed_single kbs_fed_noord kbs_fed_dup kbs_fed_extra kbs_fed_restored; do
        m -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
    done
    m -d postgres -c "DROP ROLE IF EXISTS $READER" -c "DROP ROLE IF EXISTS $ADMIN" -c "DROP ROLE IF EXISTS $POLICY" \
        >/dev/null 2>&1
    bash scripts/cluster.sh destroy "$B_DIR" >/dev/null 2>&1
    if [ -L "$B_ROOT" ]; then rm -rf "$(readlink "$B_ROOT")"; rm -f "$B_ROOT"; else rm -rf "$B_ROOT"; fi
    true
}
trap cleanup EXIT
cleanup

# --- member zuid's cluster, from an installation that also has a later version ------
if ! B_BIN=$(bash scripts/pgroot.sh "$B_ROOT" 2>"$OUT/pgroot.log"); then
    cat "$OUT/pgroot.log"; bad "private installation for member zuid"; echo "federation: $pass passed, $fail failed"; exit 1
fi
B_EXT=$(cd "$B_ROOT" && pwd -P)$(pg_config --sharedir)/extension
# A later release as a member would install it: an update path there and back.
printf -- '-- a later release of kennisbouwstenen (test of version skew in tests/integration/federation.sh)\n' \
    >"$B_EXT/kennisbouwstenen--$version--$version.99.sql"
printf -- '-- back from the test release\n' >"$B_EXT/kennisbouwstenen--$version.99--$version.sql"
chmod a+r "$B_EXT"/kennisbouwstenen--*.sql
if ! KBS_PGBIN=$B_BIN bash scripts/cluster.sh start "$B_DIR"; then
    bad "start member zuid's cluster"; echo "federation: $pass passed, $fail failed"; exit 1
fi
B_PORT=$(. "$B_DIR/env" && echo "$PGPORT")

# --- data: the demo in the single database and in zuid's, each then trimmed --------
m -d postgres -c "CREATE DATABASE kbs_fed_single" -c "CREATE ROLE $READER LOGIN PASSWORD 'lezen' IN ROLE kbs_policy" \
    -c "CREATE ROLE $ADMIN LOGIN IN ROLE kbs_admin" -c "CREATE ROLE $POLICY LOGIN IN ROLE kbs_policy"
b -d postgres -c "CREATE DATABASE kbs_fed_zuid" -c "CREATE DATABASE kbs_fed_old" \
    -c "CREATE ROLE $READER LOGIN PASSWORD 'lezen'"
m -d kbs_fed_single -c "CREATE EXTENSION kennisbouwstenen"
b -d kbs_fed_zuid -c "CREATE EXTENSION kennisbouwstenen" -c "GRANT kbs_policy TO $READER"
m -d kbs_fed_single -f demo/generate.sql >"$OUT/demo-single.log" 2>&1 &
single_pid=$!
b -d kbs_fed_zuid -f demo/generate.sql >"$OUT/demo-zuid.log" 2>&1
zuid_rc=$?
wait $single_pid
single_rc=$?
if [ $single_rc -ne 0 ] || [ $zuid_rc -ne 0 ]; then
    cat "$OUT"/demo-*.log; bad "load the demo data"; echo "federation: $pass passed, $fail failed"; exit 1
fi
m -d postgres -c "CREATE DATABASE kbs_fed_noord TEMPLATE kbs_fed_single"
m -d kbs_fed_noord -v keep=GM0307 -f demo/keep_only.sql
b -d kbs_fed_zuid -v keep=GM0392,GM0473 -f demo/keep_only.sql
# Each member shares a municipality by granting it to the benchmark's login; zuid
# shares Haarlem first, Zandvoort later.
m -d kbs_fed_noord -c "INSERT INTO kbs.grant (role, municipality) VALUES ('$READER', 'GM0307')"
b -d kbs_fed_zuid -c "INSERT INTO kbs.grant (role, municipality) VALUES ('$READER', 'GM0392')"
# A member that never updated: 1.1, the released version before this one.
b -d kbs_fed_old -c "CREATE EXTENSION kennisbouwstenen VERSION '1.1'"
check "members hold their share of the demo" "GM0307|GM0392,GM0473" \
    "$(qm kbs_fed_noord "SELECT string_agg(code, ',' ORDER BY code) FROM kbs.municipality")|$(qb kbs_fed_zuid "SELECT string_agg(code, ',' ORDER BY code) FROM kbs.municipality")"

# --- the benchmark database -----------------------------------------------------------
m -d postgres -c "CREATE DATABASE kbs_fed_bench"
m -d kbs_fed_bench -c "CREATE EXTENSION kennisbouwstenen"
NOORD="host=127.0.0.1 port=$MAIN_PORT dbname=kbs_fed_noord"
ZUID="host=127.0.0.1 port=$B_PORT dbname=kbs_fed_zuid"
add_noord="SELECT kbs.federation_add('noord', '$NOORD', '$READER', 'lezen')"
check "without postgres_fdw: a clear error" \
    "55000: postgres_fdw is not installed in this database" "$(err_m kbs_fed_bench "$add_noord")"
check "without postgres_fdw: the hint says what to do" \
    "As a superuser, run CREATE EXTENSION postgres_fdw; in the benchmark database." "$(hint_m kbs_fed_bench "$add_noord")"
m -d kbs_fed_bench -c "CREATE EXTENSION postgres_fdw"
check "a policy login may not add members" "42501: permission denied for function federation_add" \
    "$(err_m kbs_fed_bench "$add_noord" "$POLICY")"
check "a name that is not a plain name is refused" \
    "22023: invalid federation member name \"noord'; drop table x; --\"" \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_add('noord''; drop table x; --', '$NOORD', '$READER', 'lezen')")"
check "a password in the conninfo is refused" "22023: conninfo must not contain \"password\"" \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_add('noord', '$NOORD password=x', '$READER', 'lezen')")"
check "quotes in a conninfo value stay a value" "host|x' port='1|dbname|kbs" \
    "$(qm kbs_fed_bench "SELECT string_agg(keyword || '|' || value, '|') FROM kbs.federation_conninfo(\$\$host='x\\' port=\\'1' dbname=kbs\$\$)")"
check "a login that reads person-level rows is refused" \
    "42501: the login \"postgres\" of federation member \"noord\" may read person-level rows" \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_add('noord', '$NOORD', 'postgres', 'x')")"
check "an administrator adds noord (1 municipality)" "1" \
    "$(PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/psql" -X -q -t -A -U "$ADMIN" -d kbs_fed_bench -c "$add_noord" 2>&1)"
check "zuid is added with the one municipality it shares" "1" \
    "$(qm kbs_fed_bench "SELECT kbs.federation_add('zuid', '$ZUID', '$READER', 'lezen')")"
check "a municipality not granted to the benchmark's login is not exported" "0" \
    "$(qm kbs_fed_bench "SELECT count(*) FROM kbs.v_national_municipality_trend WHERE municipality_code = 'GM0473'")"
b -d kbs_fed_zuid -c "INSERT INTO kbs.grant (role, municipality) VALUES ('$READER', 'GM0473')"
check "the servers ship our functions and scan asynchronously" "2" \
    "$(qm kbs_fed_bench "SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'kbs_member_%'
                           AND 'extensions=kennisbouwstenen' = ANY (srvoptions) AND 'async_capable=true' = ANY (srvoptions)")"
check "the foreign tables are partitions keyed by member" "federation_cell_noord FOR VALUES IN ('noord')|federation_cell_zuid FOR VALUES IN ('zuid')" \
    "$(qm kbs_fed_bench "SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), '|' ORDER BY c.relname)
                           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE i.inhparent = 'kbs.federation_cell'::regclass AND c.relkind = 'f'")"
check "status: both reachable, same version, their municipalities" \
    "noord|t|$version|t|{GM0307}|7||zuid|t|$version|t|{GM0392,GM0473}|10|" \
    "$(qm kbs_fed_bench "SELECT string_agg(concat_ws('|', member, reachable, extension_version, version_matches, municipalities, teams, coalesce(problem, '')), '|' ORDER BY member) FROM kbs.federation_status()")"
check "a member on 1.1 is refused when added" \
    "55000: federation member \"oud\" runs kennisbouwstenen 1.1, this database $version" \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_add('oud', 'host=127.0.0.1 port=$B_PORT dbname=kbs_fed_old', '$READER', 'lezen')")"
m -d postgres -c "CREATE DATABASE kbs_fed_dup TEMPLATE kbs_fed_noord"
check "a municipality already at another member is refused" \
    "23505: municipality GM0307 is in two federation members: \"noord\" and \"dubbel\"" \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_add('dubbel', 'host=127.0.0.1 port=$MAIN_PORT dbname=kbs_fed_dup', '$READER', 'lezen')")"
check "the refused members left nothing behind" "noord,zuid|2" \
    "$(qm kbs_fed_bench "SELECT (SELECT string_agg(name, ',' ORDER BY name) FROM kbs.federation_member) || '|' || (SELECT count(*) FROM pg_foreign_server)")"

# --- federated figures equal one database holding the same data -------------------
cols_trend="peildatum, municipality_code, municipality_name, ring_code, domain_code, teams_included, members, assessed,
            stale_share, carriers, carrier_share, required, present, shortfall, fulfilment, gap_blocks, unknown_blocks,
            fragile_blocks"
m -d kbs_fed_bench -t -A -o "$OUT/trend-federated.txt" \
    -c "SELECT $cols_trend FROM kbs.v_national_municipality_trend ORDER BY peildatum, municipality_code, ring_position, domain_position"
m -d kbs_fed_single -t -A -o "$OUT/trend-single.txt" \
    -c "SELECT $cols_trend FROM kbs.v_municipality_domain_trend WHERE teams_included > 0
         ORDER BY peildatum, municipality_code, ring_position, domain_position"
if [ -s "$OUT/trend-single.txt" ] && cmp -s "$OUT/trend-federated.txt" "$OUT/trend-single.txt"; then
    ok "each municipality's figures per ring and domain over time equal the single database's ($(wc -l <"$OUT/trend-single.txt") rows)"
else
    bad "municipality trend differs (diff $OUT/trend-federated.txt $OUT/trend-single.txt)"
fi
cols_bench="peildatum, municipality_code, ring_code, domain_code, teams_included, members, fulfilment, carrier_share,
            others_municipalities, others_teams_included, others_members, others_fulfilment, others_carrier_share,
            others_suppressed, fulfilment_difference, carrier_share_difference"
m -d kbs_fed_bench -t -A -o "$OUT/benchmark-federated.txt" \
    -c "SELECT $cols_bench FROM kbs.v_national_benchmark ORDER BY peildatum, municipality_code, ring_position, domain_position"
m -d kbs_fed_single -t -A -o "$OUT/benchmark-single.txt" \
    -c "SELECT $cols_bench FROM kbs.v_benchmark WHERE teams_included > 0 ORDER BY peildatum, municipality_code, ring_position, domain_position"
if [ -s "$OUT/benchmark-single.txt" ] && cmp -s "$OUT/benchmark-federated.txt" "$OUT/benchmark-single.txt"; then
    ok "a municipality against the rest of the country equals kbs.v_benchmark of the single database"
else
    bad "benchmark differs (diff $OUT/benchmark-federated.txt $OUT/benchmark-single.txt)"
fi
# The country: the single database's published cells summed the same way.
m -d kbs_fed_bench -t -A -o "$OUT/country-federated.txt" -c "
    SELECT peildatum, ring_code, domain_code, municipalities, teams_included, members, carriers, required, present,
           fulfilment, carrier_share
      FROM kbs.v_national_trend ORDER BY peildatum, ring_position, domain_position"
m -d kbs_fed_single -t -A -o "$OUT/country-single.txt" -c "
    SELECT peildatum, ring, domain, count(*) FILTER (WHERE teams_included > 0), sum(teams_included), sum(members),
           sum(carriers), sum(required), sum(present),
           CASE WHEN sum(blocks) > 0 THEN coalesce(kbs.ratio(sum(present), sum(required)), 1.0000) END,
           kbs.ratio(sum(carriers), sum(members))
      FROM kbs.municipality_group GROUP BY peildatum, ring_position, ring, domain_position, domain
    HAVING sum(teams_included) > 0
     ORDER BY peildatum, ring_position, domain_position"
if [ -s "$OUT/country-single.txt" ] && cmp -s "$OUT/country-federated.txt" "$OUT/country-single.txt"; then
    ok "the country's figures per ring and domain over time equal the single database's sums"
else
    bad "country figures differ (diff $OUT/country-federated.txt $OUT/country-single.txt)"
fi
m -d kbs_fed_bench -t -A -o "$OUT/coverage-federated.txt" -c "
    SELECT peildatum, block_id, teams_included, members, level0, level1, level2, level3, level4, na, not_assessed
      FROM kbs.v_national_coverage ORDER BY peildatum, wheel_order"
m -d kbs_fed_single -t -A -o "$OUT/coverage-single.txt" -c "
    SELECT n.peildatum, w.block_id, n.teams, kbs.members(n.coverage), h[1], h[2], h[3], h[4], h[5], h[6], h[7]
      FROM (SELECT peildatum, count(*) AS teams, kbs.coverage_merge_agg(coverage) AS coverage
              FROM kbs.snapshot_cell WHERE published GROUP BY peildatum) n
     CROSS JOIN kbs.wheel w CROSS JOIN LATERAL kbs.histogram(n.coverage, w.block_id) h
     WHERE w.shipped AND NOT w.is_aspect ORDER BY n.peildatum, w.wheel_order"
if [ -s "$OUT/coverage-single.txt" ] && cmp -s "$OUT/coverage-federated.txt" "$OUT/coverage-single.txt"; then
    ok "the country's merged coverage per block equals the single database's"
else
    bad "coverage differs (diff $OUT/coverage-federated.txt $OUT/coverage-single.txt)"
fi

# --- a dump of the benchmark restores with its members ------------------------------------
m -d postgres -c "CREATE DATABASE kbs_fed_restored"
if PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/pg_dump" -U postgres -Fc -d kbs_fed_bench -f "$OUT/bench.dump" &&
   PGHOST=$MAIN_HOST PGPORT=$MAIN_PORT "$BINDIR/pg_restore" -U postgres -d kbs_fed_restored "$OUT/bench.dump" 2>"$OUT/restore.log"; then
    check "a dump of the benchmark database restores with its members and the same national figures" \
        "$(qm kbs_fed_bench "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM kbs.v_national_trend x")" \
        "$(qm kbs_fed_restored "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM kbs.v_national_trend x")"
else
    bad "dump and restore of the benchmark database ($OUT/restore.log)"
fi
m -d postgres -c "DROP DATABASE kbs_fed_restored WITH (FORCE)"

# --- the plan pushes the merge to the members -------------------------------------------
plan=$(qm kbs_fed_bench "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM kbs.v_national_coverage")
echo "$plan" >"$OUT/plan-coverage.txt"
check "EXPLAIN VERBOSE: each member runs kbs.coverage_merge_agg (Remote SQL)" "2" \
    "$(grep -c 'Remote SQL: SELECT .*kbs.coverage_merge_agg(coverage) FROM kbs.v_export_cell GROUP BY' <<<"$plan")"
check "EXPLAIN VERBOSE: the members are scanned asynchronously" "2" "$(grep -c 'Async Foreign Scan' <<<"$plan")"
plan=$(qm kbs_fed_bench "EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM kbs.v_national_trend")
echo "$plan" >"$OUT/plan-trend.txt"
check "EXPLAIN VERBOSE: each member sums its groups (Remote SQL)" "2" \
    "$(grep -c 'Remote SQL: SELECT .*sum(present).* FROM kbs.v_export_group GROUP BY' <<<"$plan")"

# --- a suppressed team contributes nothing --------------------------------------------
# A cell of noord that is not published (fewer than k assessed, or too close to an earlier one).
read -r s_team s_peil s_members < <(qm kbs_fed_noord "SELECT team_id, peildatum, members FROM kbs.snapshot_cell
                                                       WHERE NOT published AND members > 0 ORDER BY peildatum DESC, team_id LIMIT 1" | tr '|' ' ')
if [ -z "${s_team:-}" ]; then
    bad "the demo has a suppressed cell in noord"
else
    check "the suppressed cell (team $s_team on $s_peil) is not at the benchmark" "0|0" \
        "$(qm kbs_fed_bench "SELECT (SELECT count(*) FROM kbs.federation_cell WHERE member = 'noord' AND team_key = $s_team AND peildatum = '$s_peil')
                              || '|' || (SELECT count(*) FROM kbs.federation_group WHERE member = 'noord' AND team_key = $s_team AND peildatum = '$s_peil')")"
    published=$(qm kbs_fed_noord "SELECT count(*) || '|' || sum(members) FROM kbs.snapshot_cell WHERE published AND peildatum = '$s_peil'")
    all=$(qm kbs_fed_noord "SELECT count(*) || '|' || sum(members) FROM kbs.snapshot_cell WHERE peildatum = '$s_peil'")
    national=$(qm kbs_fed_bench "SELECT teams_included || '|' || members FROM kbs.v_national_municipality_trend
                                  WHERE municipality_code = 'GM0307' AND peildatum = '$s_peil' AND ring_code = 'generic'")
    check "Amersfoort on $s_peil counts the published teams only" "$published" "$national"
    [ "$published" != "$all" ] && ok "... which is less than all its teams ($all)" || bad "the suppressed cell changes nothing"
fi

# --- the benchmark's login on a member reads the export and nothing person-level -------
check "a policy login of the member without grants exports nothing" "0" \
    "$(PGHOST=127.0.0.1 PGPORT=$MAIN_PORT "$BINDIR/psql" -X -q -t -A -U "$POLICY" -d kbs_fed_noord \
         -c "SELECT count(*) FROM kbs.v_export_cell" 2>&1)"
check "the benchmark's login reads the export" "ok" \
    "$(PGHOST=127.0.0.1 PGPORT=$MAIN_PORT "$BINDIR/psql" -X -q -t -A -U "$READER" -d kbs_fed_noord \
         -c "SELECT CASE WHEN count(*) > 0 THEN 'ok' END FROM kbs.v_export_cell" 2>&1)"
m -d kbs_fed_bench -c "CREATE FOREIGN TABLE public.probe_assessment (id integer, profile text) SERVER kbs_member_noord
                          OPTIONS (schema_name 'kbs', table_name 'assessment')" \
    -c "CREATE FOREIGN TABLE public.probe_professional (id integer, ref text) SERVER kbs_member_noord
                          OPTIONS (schema_name 'kbs', table_name 'professional')" \
    -c "CREATE FOREIGN TABLE public.probe_snapshot (team_id integer, coverage text) SERVER kbs_member_noord
                          OPTIONS (schema_name 'kbs', table_name 'snapshot')" \
    -c "CREATE FOREIGN TABLE public.probe_member_block (professional_ref text) SERVER kbs_member_noord
                          OPTIONS (schema_name 'kbs', table_name 'v_member_block')"
for t in assessment professional snapshot member_block; do
    e=$(err_m kbs_fed_bench "SELECT * FROM public.probe_$t LIMIT 1")
    contains "through the benchmark's connection, kbs.$t on the member is refused" "42501: permission denied" "$e"
done
check "the benchmark database holds no person-level row" "0" \
    "$(qm kbs_fed_bench "SELECT (SELECT count(*) FROM kbs.professional) + (SELECT count(*) FROM kbs.assessment)
                          + (SELECT count(*) FROM kbs.membership) + (SELECT count(*) FROM kbs.snapshot)")"

# --- a member that is down: a clear error naming it; back up: it works ------------------
before=$(qm kbs_fed_bench "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM kbs.v_national_trend x")
bash scripts/cluster.sh stop "$B_DIR"
e=$(err_m kbs_fed_bench "SELECT * FROM kbs.v_national_trend")
check "zuid down: the national view fails, naming zuid's server" '08001: could not connect to server "kbs_member_zuid"' "$e"
check "zuid down: status says which member" "noord|true|zuid|false" \
    "$(qm kbs_fed_bench "SELECT string_agg(member || '|' || reachable, '|' ORDER BY member) FROM kbs.federation_status()")"
KBS_PORT_BASE=$B_PORT KBS_PGBIN=$B_BIN bash scripts/cluster.sh start "$B_DIR"
new_port=$(. "$B_DIR/env" && echo "$PGPORT")
if [ "$new_port" != "$B_PORT" ]; then
    # Another server took the port meanwhile: point the server at the new one, as an administrator would.
    m -d kbs_fed_bench -c "ALTER SERVER kbs_member_zuid OPTIONS (SET port '$new_port')"
fi
check "zuid up again: the same national figures" "$before" \
    "$(qm kbs_fed_bench "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM kbs.v_national_trend x")"

# --- version skew --------------------------------------------------------------------------
b -d kbs_fed_zuid -c "ALTER EXTENSION kennisbouwstenen UPDATE TO '$version.99'"
for v in v_national_trend v_national_municipality_trend v_national_benchmark v_national_coverage; do
    check "zuid on $version.99: kbs.$v refuses, naming zuid" \
        "55000: federation member \"zuid\" runs kennisbouwstenen $version.99, this database $version" \
        "$(err_m kbs_fed_bench "SELECT * FROM kbs.$v")"
done
check "zuid on $version.99: status shows it" "zuid|t|$version.99|f|runs kennisbouwstenen $version.99, this database $version" \
    "$(qm kbs_fed_bench "SELECT concat_ws('|', member, reachable, extension_version, version_matches, problem) FROM kbs.federation_status() WHERE member = 'zuid'")"
b -d kbs_fed_zuid -c "ALTER EXTENSION kennisbouwstenen UPDATE TO '$version'"
check "zuid back on $version: the same national figures" "$before" \
    "$(qm kbs_fed_bench "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM kbs.v_national_trend x")"

# --- a municipality that turns up at a second member -----------------------------------
m -d postgres -c "CREATE DATABASE kbs_fed_extra"
m -d kbs_fed_extra -c "CREATE EXTENSION kennisbouwstenen"
check "an empty member is added (0 municipalities)" "0" \
    "$(qm kbs_fed_bench "SELECT kbs.federation_add('extra', 'host=127.0.0.1 port=$MAIN_PORT dbname=kbs_fed_extra', '$READER', 'lezen')")"
# Later its database holds Amersfoort too (here: the server now points at a copy of noord).
m -d kbs_fed_bench -c "ALTER SERVER kbs_member_extra OPTIONS (SET dbname 'kbs_fed_dup')"
for v in v_national_trend v_national_coverage; do
    check "Amersfoort at two members: kbs.$v refuses" \
        "23505: municipality GM0307 is in two federation members: \"extra\" and \"noord\"" \
        "$(err_m kbs_fed_bench "SELECT * FROM kbs.$v")"
done
contains "status names the municipality at both members" 'municipality GM0307 is also in member "noord"' \
    "$(qm kbs_fed_bench "SELECT problem FROM kbs.federation_status() WHERE member = 'extra'")"

# --- removing members -------------------------------------------------------------------------
qm kbs_fed_bench "SELECT kbs.federation_remove('extra')" >/dev/null
qm kbs_fed_bench "SELECT kbs.federation_remove('zuid')" >/dev/null
check "without zuid: one member, Amersfoort only" "1|1" \
    "$(qm kbs_fed_bench "SELECT DISTINCT federation_members || '|' || municipalities FROM kbs.v_national_trend")"
check "removing drops server, mapping and partitions" "noord|1|1|1" \
    "$(qm kbs_fed_bench "SELECT (SELECT string_agg(name, ',') FROM kbs.federation_member) || '|' || (SELECT count(*) FROM pg_foreign_server WHERE srvname LIKE 'kbs_member_%')
                          || '|' || (SELECT count(*) FROM pg_user_mappings WHERE srvname LIKE 'kbs_member_%')
                          || '|' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'kbs.federation_group'::regclass)")"
check "removing an unknown member is an error" '42704: federation member "zuid" does not exist' \
    "$(err_m kbs_fed_bench "SELECT kbs.federation_remove('zuid')")"

echo "federation: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
