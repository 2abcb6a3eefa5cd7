#!/usr/bin/env bash
# make demo-federation: the federation of issue 15 on loopback. Three throwaway
# clusters: two municipal members (noord: Amersfoort; zuid: Haarlem and
# Zandvoort, the demo's municipalities split between them) and a benchmark that
# reads them through postgres_fdw. Writes the national page and prints the psql
# line. Stop with `make demo-federation-stop`. `make demo` is not affected.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=.cluster/fed-bench
NOORD=.cluster/fed-noord
ZUID=.cluster/fed-zuid
DB=kennisbouwstenen
BENCH_DB=benchmark
LOGIN=benchmark
# A demo password; in a real region every member chooses its own and tells the benchmark.
PASSWORD=demo-benchmark-wachtwoord
OUT=$(pwd)/dashboards/out-federatie

make --no-print-directory all >/dev/null
make --no-print-directory install >/dev/null
for c in "$BENCH" "$NOORD" "$ZUID"; do bash scripts/cluster.sh start "$c"; done
port_of() { (. "$1/env" && echo "$PGPORT"); }
on() { # cluster db psql-args...
    local c=$1 db=$2
    shift 2
    (. "$c/env" && psql -X -v ON_ERROR_STOP=1 -q -U postgres -d "$db" "$@")
}

echo "Leden (gemeentelijke databases) maken: noord (Amersfoort) en zuid (Haarlem, Zandvoort) ..."
start=$(date +%s)
for c in "$NOORD" "$ZUID"; do
    on "$c" postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null
    on "$c" "$DB" -c "CREATE EXTENSION kennisbouwstenen"
done
on "$NOORD" "$DB" -f demo/generate.sql >/dev/null &
noord_pid=$!
on "$ZUID" "$DB" -f demo/generate.sql >/dev/null
wait "$noord_pid"
on "$NOORD" "$DB" -v keep=GM0307 -f demo/keep_only.sql
on "$ZUID" "$DB" -v keep=GM0392,GM0473 -f demo/keep_only.sql
# On each member: the benchmark's login, a kbs_policy login, sees the municipalities granted to
# it and nothing person-level; over TCP it must give its password.
for c in "$NOORD" "$ZUID"; do
    on "$c" "$DB" -v login="$LOGIN" -v pw="$PASSWORD" <<'SQL'
SET client_min_messages = warning;
SELECT format('DROP ROLE IF EXISTS %I', :'login') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE kbs_policy', :'login', :'pw') \gexec
INSERT INTO kbs.grant (role, municipality) SELECT :'login', code FROM kbs.municipality;
SQL
    hba=$(on "$c" "$DB" -t -A -c "SHOW hba_file")
    grep -q "^host all $LOGIN 127.0.0.1/32 scram-sha-256" "$hba" ||
        sed -i "1i host all $LOGIN 127.0.0.1/32 scram-sha-256" "$hba"
    on "$c" "$DB" -t -A -c "SELECT pg_reload_conf()" >/dev/null
done
echo "klaar in $(( $(date +%s) - start )) s"

echo
echo "De benchmark aansluiten (postgres_fdw, kbs.federation_add) ..."
on "$BENCH" postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB" 2>/dev/null
on "$BENCH" "$BENCH_DB" -c "CREATE EXTENSION kennisbouwstenen" -c "CREATE EXTENSION postgres_fdw"
for m in noord zuid; do
    c=$NOORD
    [ "$m" = zuid ] && c=$ZUID
    on "$BENCH" "$BENCH_DB" -t -A -c "SELECT format('%s: %s gemeente(n)', '$m', kbs.federation_add('$m',
        'host=127.0.0.1 port=$(port_of "$c") dbname=$DB', '$LOGIN', '$PASSWORD'))"
done
echo
echo "Status van de leden (kbs.federation_status()):"
on "$BENCH" "$BENCH_DB" -c "SELECT member AS lid, reachable AS bereikbaar, extension_version AS versie,
                                   municipalities AS gemeenten, teams, last_peildatum AS laatste_peildatum
                              FROM kbs.federation_status()"
echo "Het land op de laatste peildatum, specifieke kennis per leefgebied (kbs.v_national_trend):"
on "$BENCH" "$BENCH_DB" -t -A -F '' <<'SQL'
SELECT format('   %-26s %s vervuld (%s gemeenten, %s teams, %s leden)', t.domain_name || ':',
              to_char(100 * t.fulfilment, 'FM990') || '%', t.municipalities, t.teams_included, t.members)
  FROM kbs.v_national_trend t
 WHERE t.ring_code = 'specific'
   AND t.peildatum = (SELECT max(peildatum) FROM kbs.v_national_trend WHERE peildatum <= current_date)
 ORDER BY t.domain_position;
SQL

echo
echo "Landelijke pagina maken (build/kbs-dashboard --national) ..."
make --no-print-directory dashboard >/dev/null
rm -rf "$OUT"
build/kbs-dashboard --dsn "host=$(. "$BENCH/env" && echo "$PGHOST") port=$(port_of "$BENCH") user=postgres dbname=$BENCH_DB" \
    --national --out "$OUT" --quiet
echo "Open in een browser: file://$OUT/landelijk.html"

cat <<MSG

Drie clusters draaien (stoppen: make demo-federation-stop). De benchmark:
  psql -h $(. "$BENCH/env" && echo "$PGHOST") -p $(port_of "$BENCH") -U postgres $BENCH_DB
Bijvoorbeeld: SELECT * FROM kbs.v_national_benchmark WHERE ring_code = 'specific' ORDER BY peildatum DESC LIMIT 7;
     en wat er naar de leden gaat: EXPLAIN (VERBOSE) SELECT * FROM kbs.v_national_coverage;
Een lid (noord):
  psql -h $(. "$NOORD/env" && echo "$PGHOST") -p $(port_of "$NOORD") -U postgres $DB
MSG
