#!/usr/bin/env bash
# make bench: builds a data set in a throwaway cluster and prints medians and
# ratios of kbs.coverage_agg against a floor and two baselines, all in one run;
# then times the imports (kbs.import_people, kbs.import_assessments) against a
# plain COPY of the same rows.
#   SCALE=1 (default): 100,000 profiles of 150 assessed blocks in 2,000 teams.
#   RUNS=3: timed runs per query (the median is reported).
#   IMPORT=0: leave the import benchmark out; IMPORT_ONLY=1: run only that.
#   FEDERATION=0: leave the federation benchmark out; FEDERATION_ONLY=1: run only that
#   (20 member databases in the cluster against one database with the same data).
# Then the snapshot refresh (docs/snapshots.md) on the generator's national
# mode: MUNIS=60 municipalities, the set-based kbs.refresh_snapshots against
# release 1.1's per-cell loop (bench/refresh_per_cell.sql, BASELINE_RUNS=1 run:
# it takes minutes), one new assessment and nothing to do against a full
# refresh; and NATIONAL=1 (default): all 345 municipalities generated and
# refreshed, in minutes. REFRESH=0 leaves the refresh out; REFRESH_ONLY=1 runs
# only that.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
BENCH=.cluster/bench
PROFILES=$(awk -v s="$SCALE" 'BEGIN { printf "%d", 100000 * s }')
TEAMS=$(awk -v s="$SCALE" 'BEGIN { n = int(2000 * s); if (n < 1) n = 1; printf "%d", n }')
BLOCKS=150

IMPORT=${IMPORT:-1}
IMPORT_ONLY=${IMPORT_ONLY:-0}
FEDERATION=${FEDERATION:-1}
FEDERATION_ONLY=${FEDERATION_ONLY:-0}
FED_MEMBERS=20
REFRESH=${REFRESH:-1}
REFRESH_ONLY=${REFRESH_ONLY:-0}
MUNIS=${MUNIS:-60}
BASELINE_RUNS=${BASELINE_RUNS:-1}
NATIONAL=${NATIONAL:-1}

make --no-print-directory all >/dev/null
# Into a private installation, as make check does: no system-wide make install.
KBS_PGBIN=$(bash scripts/pgroot.sh .cluster/pgroot-bench)
export KBS_PGBIN
bash scripts/cluster.sh destroy "$BENCH" >/dev/null 2>&1 || true
trap 'bash scripts/cluster.sh destroy "$BENCH" >/dev/null 2>&1 || true' EXIT
bash scripts/cluster.sh start "$BENCH"
# shellcheck disable=SC1091
. "$BENCH/env"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d postgres)
# Enough memory that every table stays cached and every aggregate hashes in memory.
"${PSQL[@]}" -c "ALTER SYSTEM SET shared_buffers = '2GB'" -c "ALTER SYSTEM SET work_mem = '512MB'" \
    -c "ALTER SYSTEM SET jit = off" -c "ALTER SYSTEM SET max_parallel_workers_per_gather = 0"
bash scripts/cluster.sh stop "$BENCH"
bash scripts/cluster.sh start "$BENCH"
. "$BENCH/env"

# The import benchmark: 5,000 people in 500 teams from a roster, then their
# assessments of 60 blocks as the form (wide: 5,000 rows x 61 columns) and as a
# long list (300,000 rows), each against a plain COPY of the same file into a
# table of text columns. Every timed import writes new rows (another date).
import_bench() {
    local dir db=kbs_import_bench i t times wide_copy long_copy wide long roster
    dir=$(mktemp -d /tmp/kbs-import-bench.XXXXXX)
    chmod 755 "$dir"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    local P=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")
    "${P[@]}" <<'SQL'
CREATE EXTENSION kennisbouwstenen;
INSERT INTO kbs.municipality VALUES ('GM9990', 'Benchstad');
-- 30 local blocks beside the 30 shipped ones: 60 in all.
SELECT count(*) FROM kbs.import_blocks('code;name;ring' || (SELECT string_agg(format(E'\nbench.b%s;Bouwsteen %s;generic', g, g), '')
                                                             FROM generate_series(1, 30) g), 'bench');
CREATE TABLE bench_codes AS SELECT array_agg(code ORDER BY id) AS c FROM kbs.block;
SQL
    "${P[@]}" -At -c "SELECT 'team;ref;discipline;start' || string_agg(format(E'\nTeam %s;B%s;werker;2024-01-01', g % 500, g), '' ORDER BY g)
                      FROM generate_series(1, 5000) g" >"$dir/roster.csv"
    "${P[@]}" -At -c "SELECT 'ref;' || array_to_string(c[1:60], ';') || (SELECT string_agg(E'\nB' || g || ';' ||
                          (SELECT string_agg(CASE WHEN (g + k) % 13 = 0 THEN 'na' ELSE ((g * k) % 5)::text END, ';' ORDER BY k)
                             FROM generate_series(1, 60) k), '' ORDER BY g) FROM generate_series(1, 5000) g) FROM bench_codes" >"$dir/wide.csv"
    "${P[@]}" -At -c "SELECT 'ref,block,level' || (SELECT string_agg(format(E'\nB%s,%s,%s', g, c[k], CASE WHEN (g + k) % 13 = 0 THEN 'na'
                          ELSE ((g * k) % 5)::text END), '' ORDER BY g, k) FROM generate_series(1, 5000) g, generate_series(1, 60) k)
                      FROM bench_codes" >"$dir/long.csv"
    chmod 644 "$dir"/*.csv
    "${P[@]}" -c "CREATE TABLE copy_wide ($(for i in $(seq 0 60); do printf 'c%s text%s' "$i" "$([ "$i" -lt 60 ] && echo ,)"; done))" \
              -c "CREATE TABLE copy_long (ref text, block text, level text)"
    # Wall-clock time in ms, and the CPU time (user + system) of the server process
    # that ran it: on a shared machine the two differ by the time spent waiting.
    timed() { # sql -> "wall_ms cpu_ms"
        "${P[@]}" -c "SET log_statement_stats = on" -c "SET client_min_messages = log" -c '\timing on' -c "$1" 2>&1 |
            awk '/s user, .* s system, .* s elapsed/ { cpu = ($2 + $5) * 1000 }
                 /^Time: / { wall = $2 }
                 END { printf "%s %.0f\n", wall, cpu }'
    }
    # The run with the median wall-clock time: "wall_ms cpu_ms".
    median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }
    read -r roster roster_cpu < <(timed "SELECT count(*) FROM kbs.import_people(pg_read_file('$dir/roster.csv'), 'GM9990', '2025-01-01')")
    times=(); for i in $(seq "$RUNS"); do
        times+=("$(timed "TRUNCATE copy_wide; COPY copy_wide FROM '$dir/wide.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true)")"); done
    read -r wide_copy wide_copy_cpu < <(median "${times[@]}")
    times=(); for i in $(seq "$RUNS"); do
        times+=("$(timed "SELECT count(*) FROM kbs.import_assessments(pg_read_file('$dir/wide.csv'), 'GM9990', date '2025-03-01' + $i)")"); done
    read -r wide wide_cpu < <(median "${times[@]}")
    times=(); for i in $(seq "$RUNS"); do
        times+=("$(timed "TRUNCATE copy_long; COPY copy_long FROM '$dir/long.csv' WITH (FORMAT csv, HEADER true)")"); done
    read -r long_copy long_copy_cpu < <(median "${times[@]}")
    times=(); for i in $(seq "$RUNS"); do
        times+=("$(timed "SELECT count(*) FROM kbs.import_assessments(pg_read_file('$dir/long.csv'), 'GM9990', date '2025-04-01' + $i)")"); done
    read -r long long_cpu < <(median "${times[@]}")
    # The imports must have written what the files hold: 5,000 people, each assessment 60 blocks.
    check=$("${P[@]}" -At -c "SELECT (SELECT count(*) FROM kbs.professional) = 5000
                                     AND (SELECT count(*) FROM kbs.assessment) = 5000 * 2 * $RUNS
                                     AND (SELECT bool_and(kbs.entry_count(profile) = 60) FROM kbs.assessment)
                                     AND (SELECT count(*) FROM copy_long) = 300000 AND (SELECT count(*) FROM copy_wide) = 5000")
    [ "$check" = "t" ] || { echo "bench: the imports did not write what the files hold" >&2; exit 1; }
    echo
    echo "imports: 5,000 people in 500 teams, their assessments of 60 blocks; median of $RUNS runs (each writes 5,000 new assessments)"
    echo
    printf '| %-46s | %12s | %10s | %-13s | %6s | %-10s | %-4s |\n' "measurement" "wall" "server CPU" "ratio" "ratio" "target" "ok"
    printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..15})" "$(printf -- '-%.0s' {1..8})" "$(printf -- '-%.0s' {1..12})" "------"
    irow() { # name wall cpu ratio-label ratio target
        local ok=""
        [ -n "$6" ] && ok=$(awk -v v="$2" 'BEGIN { print (v <= 5000 ? "PASS" : "MISS") }')
        printf '| %-46s | %9s ms | %7s ms | %-13s | %6s | %-10s | %-4s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$ok"
    }
    irow "roster: kbs.import_people, 5,000 rows" "$roster" "$roster_cpu" "" "" "<= 5000 ms"
    irow "COPY of the form (5,000 rows x 61 columns)" "$wide_copy" "$wide_copy_cpu" "" "" ""
    irow "form: kbs.import_assessments, 5,000 x 60" "$wide" "$wide_cpu" "import / COPY" "$(ratio "$wide" "$wide_copy")" "<= 5000 ms"
    irow "COPY of the long list (300,000 rows)" "$long_copy" "$long_copy_cpu" "" "" ""
    irow "long list: kbs.import_assessments, 300,000" "$long" "$long_cpu" "import / COPY" "$(ratio "$long" "$long_copy")" "<= 5000 ms"
    psql -X -q -d postgres -c "DROP DATABASE $db"
    rm -rf "$dir"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The federation (issue 15): the demo generator's national data for 20 municipalities in one
# database, and the same data split over 20 member databases (a copy of it each, keeping one
# municipality) that a benchmark database in the same cluster reads through postgres_fdw. The
# national query of the benchmark against the same figures computed in the one database.
federation_bench() {
    local single=kbs_fed_single bench=kbs_fed_bench i d code fed one fed_cov one_cov
    local P=(psql -X -q -v ON_ERROR_STOP=1)
    echo "federation: building $FED_MEMBERS municipalities in one database (demo/generate.sql, scale national) ..."
    start=$(date +%s)
    for d in "$bench" "$single" $(seq -f 'kbs_fed_m%g' "$FED_MEMBERS"); do
        PGOPTIONS='-c client_min_messages=warning' "${P[@]}" -d postgres -c "DROP DATABASE IF EXISTS $d"
    done
    "${P[@]}" -d postgres -c "CREATE DATABASE $single"
    "${P[@]}" -d "$single" -c "CREATE EXTENSION kennisbouwstenen"
    "${P[@]}" -d "$single" -v scale=national -v municipalities="$FED_MEMBERS" -f demo/generate.sql >/dev/null
    "${P[@]}" -d postgres -c "DROP ROLE IF EXISTS kbs_bench_fed" -c "CREATE ROLE kbs_bench_fed LOGIN PASSWORD 'bench' IN ROLE kbs_policy"
    "${P[@]}" -d "$single" -c "VACUUM ANALYZE"
    echo "federation: $FED_MEMBERS member databases, one municipality each ..."
    "${P[@]}" -d postgres -c "CREATE DATABASE $bench"
    "${P[@]}" -d "$bench" -c "CREATE EXTENSION kennisbouwstenen" -c "CREATE EXTENSION postgres_fdw"
    for i in $(seq "$FED_MEMBERS"); do
        code=$(printf 'GM%04d' "$i")
        "${P[@]}" -d postgres -c "CREATE DATABASE kbs_fed_m$i TEMPLATE $single"
        "${P[@]}" -d "kbs_fed_m$i" -v keep="$code" -f demo/keep_only.sql
        "${P[@]}" -d "kbs_fed_m$i" -c "INSERT INTO kbs.grant (role, municipality) VALUES ('kbs_bench_fed', '$code')" -c "VACUUM ANALYZE"
        "${P[@]}" -d "$bench" -t -A -c "SELECT kbs.federation_add('m$i', 'host=127.0.0.1 port=$PGPORT dbname=kbs_fed_m$i', 'kbs_bench_fed', 'bench')" >/dev/null
    done
    echo "federation: data built in $(( $(date +%s) - start )) s"

    # The national query, federated, and the same figures from the one database's published cells.
    local Q_FED="SELECT peildatum, ring_code, domain_code, municipalities, teams_included, members, carriers, required, present, fulfilment
                   FROM kbs.v_national_trend ORDER BY peildatum, ring_position, domain_position"
    local Q_ONE="SELECT peildatum, ring, domain, count(*) FILTER (WHERE teams_included > 0), sum(teams_included), sum(members),
                        sum(carriers), sum(required), sum(present),
                        CASE WHEN sum(blocks) > 0 THEN coalesce(kbs.ratio(sum(present), sum(required)), 1.0000) END
                   FROM kbs.municipality_group GROUP BY peildatum, ring_position, ring, domain_position, domain
                 HAVING sum(teams_included) > 0 ORDER BY peildatum, ring_position, domain_position"
    local QC_FED="SELECT peildatum, block_id, members, level0, level1, level2, level3, level4, na, not_assessed
                    FROM kbs.v_national_coverage ORDER BY peildatum, wheel_order"
    local QC_ONE="SELECT n.peildatum, w.block_id, kbs.members(n.c), h[1], h[2], h[3], h[4], h[5], h[6], h[7]
                    FROM (SELECT peildatum, kbs.coverage_merge_agg(coverage) AS c FROM kbs.snapshot_cell WHERE published GROUP BY peildatum) n
                   CROSS JOIN kbs.wheel w CROSS JOIN LATERAL kbs.histogram(n.c, w.block_id) h
                   WHERE w.shipped AND NOT w.is_aspect ORDER BY n.peildatum, w.wheel_order"
    if ! cmp -s <("${P[@]}" -d "$bench" -t -A -c "$Q_FED") <("${P[@]}" -d "$single" -t -A -c "$Q_ONE") ||
       ! cmp -s <("${P[@]}" -d "$bench" -t -A -c "$QC_FED") <("${P[@]}" -d "$single" -t -A -c "$QC_ONE"); then
        echo "bench: the federated national figures differ from the one database's" >&2
        exit 1
    fi
    echo "check: the federated national figures equal the one database's ($("${P[@]}" -d "$bench" -t -A -c "SELECT count(*) FROM kbs.v_national_trend") rows)"
    local pushed
    pushed=$("${P[@]}" -d "$bench" -t -A -c "EXPLAIN VERBOSE $QC_FED" | grep -c 'Remote SQL: .*kbs.coverage_merge_agg' || true)
    # Cold: a new session per run, so the benchmark opens its connections as a new user's query
    # would. Warm: one session runs the query RUNS + 1 times and the first run is left out, so
    # the connections stay open, as in a BI tool's or a dashboard server's session.
    time_db() { # db query cold|warm -> median ms
        local i t times=() args=()
        if [ "$3" = cold ]; then
            for i in $(seq "$RUNS"); do
                t=$(psql -X -q -d "$1" -v ON_ERROR_STOP=1 -c '\timing on' -c "$2" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1)
                times+=("$t")
            done
        else
            for i in $(seq $((RUNS + 1))); do args+=(-c "$2"); done
            mapfile -t times < <(psql -X -q -d "$1" -v ON_ERROR_STOP=1 -c '\timing on' "${args[@]}" |
                                 sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n "$RUNS")
        fi
        printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
    }
    fed=$(time_db "$bench" "$Q_FED" cold)
    one=$(time_db "$single" "$Q_ONE" cold)
    fed_cov=$(time_db "$bench" "$QC_FED" cold)
    one_cov=$(time_db "$single" "$QC_ONE" cold)
    fed_w=$(time_db "$bench" "$Q_FED" warm)
    one_w=$(time_db "$single" "$Q_ONE" warm)
    fed_cov_w=$(time_db "$bench" "$QC_FED" warm)
    one_cov_w=$(time_db "$single" "$QC_ONE" warm)
    echo
    echo "federation: $FED_MEMBERS member databases (one municipality each) against one database with the same data;"
    echo "postgres_fdw over loopback in one cluster, median of $RUNS runs; cold: a new session each run (opening the"
    echo "$FED_MEMBERS connections counts); warm: the connections of an earlier query in the same session still open"
    echo
    printf '| %-52s | %12s | %-20s | %8s | %-6s | %-3s |\n' "measurement" "value" "ratio" "ratio" "target" "ok"
    printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..22})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})" "-----"
    frow() { # name value ratio-label ratio target
        local ok
        ok=$(awk -v r="$4" -v t="$5" 'BEGIN { print (t == "" ? "" : (r <= t ? "yes" : "NO")) }')
        printf '| %-52s | %9s ms | %-20s | %8s | %-6s | %-3s |\n' "$1" "$2" "$3" "$4" "${5:+<= $5}" "$ok"
    }
    frow "one database: country per ring/domain over time" "$one" "" "" ""
    frow "federated: v_national_trend, cold" "$fed" "federated / single" "$(ratio "$fed" "$one")" 3
    frow "one database, same session" "$one_w" "" "" ""
    frow "federated: v_national_trend, warm" "$fed_w" "federated / single" "$(ratio "$fed_w" "$one_w")" 3
    frow "one database: merged coverage per block over time" "$one_cov" "" "" ""
    frow "federated: v_national_coverage, cold ($pushed pushed down)" "$fed_cov" "federated / single" "$(ratio "$fed_cov" "$one_cov")" 3
    frow "one database, same session" "$one_cov_w" "" "" ""
    frow "federated: v_national_coverage, warm" "$fed_cov_w" "federated / single" "$(ratio "$fed_cov_w" "$one_cov_w")" 3
    "${P[@]}" -d postgres -c "DROP DATABASE $bench"
    for i in $(seq "$FED_MEMBERS"); do "${P[@]}" -d postgres -c "DROP DATABASE kbs_fed_m$i"; done
    "${P[@]}" -d postgres -c "DROP DATABASE $single" -c "DROP ROLE kbs_bench_fed"
}

# The run with the median time (first field).
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

# The snapshot refresh on the generator's national mode (docs/snapshots.md).
# Every full refresh starts from no snapshots and no published sets, so both
# the refresh and its publication decisions at commit are timed, as a user's
# refresh runs them; each result is checked against the first run's cells and
# decisions. One new assessment and nothing to do are timed in one session
# after a warm-up call (plans cached, as for a scheduled refresh).
refresh_bench() {
    local db=kbs_refresh_bench P first last teams cells gen_s i t
    local new_times=() old_times=() inc_times=() idle_times=()
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    P=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")
    "${P[@]}" -c "CREATE EXTENSION kennisbouwstenen"
    echo "generating $MUNIS municipalities (demo/generate.sql, scale national) ..."
    start=$(date +%s)
    "${P[@]}" -v scale=national -v municipalities="$MUNIS" -f demo/generate.sql >/dev/null
    gen_s=$(( $(date +%s) - start ))
    "${P[@]}" -f bench/refresh_per_cell.sql >/dev/null
    "${P[@]}" -c "VACUUM ANALYZE"
    read -r first last teams cells < <(psql -X -q -t -A -F ' ' -d "$db" -c \
        "SELECT min(peildatum), max(peildatum), (SELECT count(*) FROM kbs.team), (SELECT count(*) FROM kbs.snapshot)
           FROM kbs.assessment_round")
    local REFRESH_SQL="SELECT kbs.refresh_snapshots('$first', '$last')"
    # 1.1 as a whole: its per-cell loop, then its per-cell decisions for the teams written
    local OLD_SQL="BEGIN; SET LOCAL kbs.refresh_in_progress = on;
                   SELECT bench.refresh_snapshots_per_cell('$first', '$last');
                   SET LOCAL kbs.refresh_in_progress = off; SELECT bench.publication_sync_all(); COMMIT;"
    local RESET="TRUNCATE kbs.snapshot CASCADE; TRUNCATE kbs.published_set"
    local SAME="SELECT (SELECT count(*) FROM (SELECT * FROM bench.cells EXCEPT SELECT * FROM bench.cells_now) a)
                     + (SELECT count(*) FROM (SELECT * FROM bench.cells_now EXCEPT SELECT * FROM bench.cells) b)
                     + (SELECT count(*) FROM (SELECT * FROM bench.decisions EXCEPT SELECT * FROM bench.decisions_now) c)
                     + (SELECT count(*) FROM (SELECT * FROM bench.decisions_now EXCEPT SELECT * FROM bench.decisions) d)"
    "${P[@]}" -c "CREATE VIEW bench.cells_now AS SELECT team_id, peildatum, coverage::text AS coverage, requirement::text AS requirement,
                         partner_coverage::text AS partner_coverage, members, assessed, stale FROM kbs.snapshot" \
              -c "CREATE VIEW bench.decisions_now AS SELECT team_id, peildatum, min_group_size, assessed, nearest, published, reason
                    FROM kbs.publication"
    timed_refresh() { # sql -> ms (a fresh session, no snapshots before)
        "${P[@]}" -c "$RESET" 2>/dev/null
        "${P[@]}" -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1
    }
    echo "timing full refreshes of $cells snapshots in $teams teams ($first to $last) ..."
    for i in $(seq "$RUNS"); do
        new_times+=("$(timed_refresh "$REFRESH_SQL")")
        if [ "$i" = 1 ]; then
            "${P[@]}" -c "CREATE TABLE bench.cells AS SELECT * FROM bench.cells_now" \
                      -c "CREATE TABLE bench.decisions AS SELECT * FROM bench.decisions_now"
        elif [ "$(psql -X -q -t -A -d "$db" -c "$SAME")" != 0 ]; then
            echo "bench: two full refreshes disagree" >&2; exit 1
        fi
    done
    [ "$(psql -X -q -t -A -d "$db" -c "SELECT count(*) FROM kbs.snapshot")" = "$cells" ] ||
        { echo "bench: the full refresh did not store the generator's $cells snapshots" >&2; exit 1; }
    echo "timing release 1.1's per-cell loop and per-cell decisions ($BASELINE_RUNS run(s)) ..."
    for i in $(seq "$BASELINE_RUNS"); do
        old_times+=("$(timed_refresh "$OLD_SQL")")
        [ "$(psql -X -q -t -A -d "$db" -c "$SAME")" = 0 ] ||
            { echo "bench: the per-cell loop and the set-based refresh disagree" >&2; exit 1; }
    done
    # One session: a warm-up, then one new assessment (a member's, a few days
    # before the last peildatum) and its refresh, RUNS * 3 times; then refreshes
    # with nothing to do, RUNS * 5 times.
    "${P[@]}" -c "$RESET" -c "$REFRESH_SQL" >/dev/null
    "${P[@]}" -c "CREATE TABLE bench.members AS SELECT m.professional_id, m.team_id FROM kbs.membership m
                   WHERE upper_inf(m.during) ORDER BY m.id LIMIT 1000"
    local out
    out=$({
        echo "$REFRESH_SQL;"
        echo "$REFRESH_SQL;"
        echo '\timing on'
        for i in $(seq $((RUNS * 3))); do
            echo "INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
                  SELECT professional_id, date '$last' - 3 - $i, 'supervisor', '{31:3,32:2}'
                    FROM bench.members ORDER BY professional_id OFFSET $((i * 37)) LIMIT 1;"
            echo '\echo inc'
            echo "$REFRESH_SQL;"
        done
        for i in $(seq $((RUNS * 5))); do
            echo '\echo idle'
            echo "$REFRESH_SQL;"
        done
    } | psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$db")
    mapfile -t inc_times < <(awk '/^inc$/ { grab = 1; next } grab && /^Time:/ { print $2; grab = 0 }' <<<"$out")
    mapfile -t idle_times < <(awk '/^idle$/ { grab = 1; next } grab && /^Time:/ { print $2; grab = 0 }' <<<"$out")
    local inc_counts
    inc_counts=$(awk '/^inc$/ { grab = 1; next } grab && /^[0-9]+$/ { printf "%s ", $1; grab = 0 }' <<<"$out")
    # After the increments every cell still equals a fresh computation.
    [ "$(psql -X -q -t -A -d "$db" -c "SELECT count(*) FROM kbs.snapshot s
            WHERE s.team_id IN (SELECT team_id FROM bench.members)
              AND (s.coverage::text, s.members) IS DISTINCT FROM
                  (kbs.team_coverage(s.team_id, s.peildatum)::text,
                   (SELECT count(*)::integer FROM kbs.member_profiles_at(s.team_id, s.peildatum)))")" = 0 ] ||
        { echo "bench: after the increments a snapshot differs from a fresh computation" >&2; exit 1; }
    local new old inc idle
    new=$(median "${new_times[@]}")
    old=$(median "${old_times[@]}")
    inc=$(median "${inc_times[@]}")
    idle=$(median "${idle_times[@]}")
    local nat_s="" nat_summary=""
    if [ "$NATIONAL" = 1 ]; then
        echo "generating all 345 municipalities and refreshing them (demo/generate.sql, scale national) ..."
        psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS kbs_national_bench" -c "CREATE DATABASE kbs_national_bench"
        psql -X -q -v ON_ERROR_STOP=1 -d kbs_national_bench -c "CREATE EXTENSION kennisbouwstenen"
        start=$(date +%s)
        nat_summary=$(psql -X -q -v ON_ERROR_STOP=1 -v scale=national -d kbs_national_bench -f demo/generate.sql)
        nat_s=$(( $(date +%s) - start ))
        psql -X -q -d postgres -c "DROP DATABASE kbs_national_bench"
    fi
    echo
    echo "snapshot refresh: $MUNIS municipalities, $teams teams, $cells snapshots ($first to $last), generated in $gen_s s;"
    echo "full refreshes: median of $RUNS (set-based) and $BASELINE_RUNS (1.1's per-cell loop), each with its publication decisions;"
    echo "one new assessment: median of $((RUNS * 3)) (cells computed: $inc_counts); nothing to do: median of $((RUNS * 5)); one warm session"
    echo
    printf '| %-50s | %12s | %-26s | %10s | %-9s | %-4s |\n' "measurement" "value" "ratio" "ratio" "target" "ok"
    printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..52})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..28})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..11})" "------"
    rrow() { # name value unit ratio-label ratio target-op target
        local ok
        ok=$(awk -v r="$5" -v op="$6" -v t="$7" 'BEGIN { if (r == "") print ""; else if ((op == "<=" && r <= t) || (op == ">=" && r >= t)) print "PASS"; else print "MISS" }')
        printf '| %-50s | %9s %-2s | %-26s | %10s | %-9s | %-4s |\n' "$1" "$2" "$3" "$4" "$5" "${6:+$6 }$7" "$ok"
    }
    rrow "full refresh, set-based" "$new" ms "" "" "" ""
    rrow "full refresh, 1.1's per-cell loop and decisions" "$old" ms "per-cell / set-based" "$(ratio "$old" "$new")" ">=" 20
    rrow "refresh after one new assessment" "$inc" ms "full / one assessment" "$(ratio "$new" "$inc")" ">=" 1000
    rrow "refresh with nothing to do" "$idle" ms "full / nothing to do" "$(ratio "$new" "$idle")" ">=" 5000
    if [ "$NATIONAL" = 1 ]; then
        rrow "345 municipalities: generate + full refresh" "$nat_s" s "" "" "" ""
        printf '| %-50s | %12s | %-26s | %10s | %-9s | %-4s |\n' "  ($nat_summary)" "" "" "" "<= 600 s" \
            "$(awk -v s="$nat_s" 'BEGIN { print (s <= 600 ? "PASS" : "MISS") }')"
    fi
    psql -X -q -d postgres -c "DROP DATABASE $db"
}

if [ "$REFRESH_ONLY" = 1 ]; then
    refresh_bench
    exit 0
fi
if [ "$IMPORT_ONLY" = 1 ]; then
    import_bench
    exit 0
fi
if [ "$FEDERATION_ONLY" = 1 ]; then
    federation_bench
    exit 0
fi

echo "building the data set: $PROFILES profiles x $BLOCKS blocks in $TEAMS teams ..."
start=$(date +%s)
"${PSQL[@]}" <<SQL
CREATE EXTENSION kennisbouwstenen;
-- Normalized rows: one per member and block; level NULL means na.
CREATE TABLE norm (member integer, team integer, block smallint, level smallint);
INSERT INTO norm
SELECT m, m % $TEAMS, b,
       CASE WHEN h % 17 = 0 THEN NULL ELSE (h % 5) END
  FROM generate_series(1, $PROFILES) m, generate_series(1, $BLOCKS) b,
       LATERAL (SELECT abs(hashint4(m * 1000 + b)) AS h) x;
CREATE TABLE prof AS
SELECT member, min(team) AS team,
       kbs.profile_agg(block, CASE WHEN level IS NULL THEN 'na' ELSE level::text END) AS p
  FROM norm GROUP BY member;
CREATE TABLE pjson AS
SELECT member, min(team) AS team,
       jsonb_object_agg(block::text, CASE WHEN level IS NULL THEN to_jsonb('na'::text) ELSE to_jsonb(level) END) AS j
  FROM norm GROUP BY member;
-- A 40-entry requirement: floors on generic and general blocks, coverage on the rest.
CREATE TABLE req AS
SELECT kbs.requirement_agg(b, CASE WHEN b <= 20 THEN 1 ELSE 3 END, CASE WHEN b <= 20 THEN NULL ELSE 1 + b % 3 END) AS r
  FROM generate_series(1, 40) b;
VACUUM ANALYZE norm;
VACUUM ANALYZE prof;
VACUUM ANALYZE pjson;
ANALYZE req;
SQL
echo "data set built in $(( $(date +%s) - start )) s"

# Checks that all three methods compute the same coverage before timing them.
"${PSQL[@]}" -t -A <<'SQL' >/tmp/kbs-bench-check.txt
WITH ours AS (
    SELECT team, e.* FROM (SELECT team, kbs.coverage_agg(p) AS c FROM prof GROUP BY team) s, kbs.entries(s.c) e
), normalized AS (
    SELECT team, block::integer AS block_id,
           count(*) FILTER (WHERE level = 0) AS level0, count(*) FILTER (WHERE level = 1) AS level1,
           count(*) FILTER (WHERE level = 2) AS level2, count(*) FILTER (WHERE level = 3) AS level3,
           count(*) FILTER (WHERE level = 4) AS level4, count(*) FILTER (WHERE level IS NULL) AS na
      FROM norm GROUP BY team, block
)
SELECT count(*) FROM (
    (SELECT team, block_id, level0, level1, level2, level3, level4, na FROM ours
     EXCEPT SELECT * FROM normalized)
    UNION ALL
    (SELECT * FROM normalized
     EXCEPT SELECT team, block_id, level0, level1, level2, level3, level4, na FROM ours)) d;
SQL
if [ "$(cat /tmp/kbs-bench-check.txt)" != "0" ]; then
    echo "bench: kbs.coverage_agg and the normalized baseline disagree ($(cat /tmp/kbs-bench-check.txt) rows)" >&2
    exit 1
fi
echo "check: kbs.coverage_agg equals the normalized GROUP BY for every team and block"

# Median of RUNS timings (ms) of one query; settings go before it in the same session.
time_query() { # settings query
    local i t times=()
    for i in $(seq "$RUNS"); do
        t=$(psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "$1" -c '\timing on' -c "$2" |
            sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1)
        times+=("$t")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

SERIAL="SET max_parallel_workers_per_gather = 0"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0"
Q_FLOOR="SELECT sum(n) FROM (SELECT team, count(*) AS n FROM prof GROUP BY team) s"
Q_OURS="SELECT sum(kbs.members(c)) FROM (SELECT team, kbs.coverage_agg(p) AS c FROM prof GROUP BY team) s"
Q_ALL="SELECT kbs.members(kbs.coverage_agg(p)) FROM prof"
Q_NORM="SELECT sum(l0 + l1 + l2 + l3 + l4 + na) FROM (SELECT team, block, count(*) FILTER (WHERE level = 0) l0, count(*) FILTER (WHERE level = 1) l1, count(*) FILTER (WHERE level = 2) l2, count(*) FILTER (WHERE level = 3) l3, count(*) FILTER (WHERE level = 4) l4, count(*) FILTER (WHERE level IS NULL) na FROM norm GROUP BY team, block) s"
Q_JSON="SELECT sum(l0 + l1 + l2 + l3 + l4 + na) FROM (SELECT team, e.key, count(*) FILTER (WHERE e.value = '0') l0, count(*) FILTER (WHERE e.value = '1') l1, count(*) FILTER (WHERE e.value = '2') l2, count(*) FILTER (WHERE e.value = '3') l3, count(*) FILTER (WHERE e.value = '4') l4, count(*) FILTER (WHERE e.value = 'na') na FROM pjson, jsonb_each_text(j) e GROUP BY team, e.key) s"
"${PSQL[@]}" -c "CREATE TABLE team_cov AS SELECT team, kbs.coverage_agg(p) AS c FROM prof GROUP BY team" -c "ANALYZE team_cov"
Q_GAPS="SELECT sum(g.shortfall) FROM team_cov t, req, kbs.gaps(t.c, req.r) g"

echo "timing ($RUNS runs each, median) ..."
floor=$(time_query "$SERIAL" "$Q_FLOOR")
ours=$(time_query "$SERIAL" "$Q_OURS")
norm=$(time_query "$SERIAL" "$Q_NORM")
json=$(time_query "$SERIAL" "$Q_JSON")
all_serial=$(time_query "$SERIAL" "$Q_ALL")
# The combine functions carry a planner cost; lower it so the parallel plan is the one measured.
COSTS="ALTER FUNCTION kbs.coverage_agg_combinefn(internal, internal) COST %s; ALTER FUNCTION kbs.coverage_agg_serialfn(internal) COST %s; ALTER FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) COST %s"
"${PSQL[@]}" -c "$(printf "$COSTS" 1 1 1)"
par=$(time_query "$PARALLEL" "$Q_OURS")
all_par=$(time_query "$PARALLEL" "$Q_ALL")
# Ten times the profiles in ten times the teams (each profile ten times over).
"${PSQL[@]}" -c "CREATE TABLE prof10 AS SELECT k * $PROFILES + member AS member, (k * $PROFILES + member) % ($TEAMS * 10) AS team, p
                   FROM prof, generate_series(0, 9) k" -c "VACUUM ANALYZE prof10"
Q_TEN="SELECT sum(kbs.members(c)) FROM (SELECT team, kbs.coverage_agg(p) AS c FROM prof10 GROUP BY team) s"
ten_serial=$(time_query "$SERIAL" "$Q_TEN")
ten_par=$(time_query "$PARALLEL" "$Q_TEN")
TEN_PLAN=$(psql -X -q -t -A -d postgres -c "$PARALLEL" -c "EXPLAIN $Q_TEN" | grep -c 'Partial' || true)
Q_PLAN=$(psql -X -q -t -A -d postgres -c "$PARALLEL" -c "EXPLAIN $Q_OURS" | grep -c 'Partial' || true)
"${PSQL[@]}" -c "$(printf "$COSTS" 200 200 200)"
gaps=$(time_query "$SERIAL" "$Q_GAPS")
read -r s_prof s_norm s_json < <(psql -X -q -t -A -F ' ' -d postgres -c \
    "SELECT pg_total_relation_size('prof'), pg_total_relation_size('norm'), pg_total_relation_size('pjson')")

row() { # name value unit ratio-label ratio target-op target
    local ok
    ok=$(awk -v r="$5" -v op="$6" -v t="$7" 'BEGIN { if ((op == "<=" && r <= t) || (op == ">=" && r >= t)) print "PASS"; else print "MISS" }')
    printf '| %-44s | %12s %-2s | %-22s | %8.2f | %s %-6s | %-4s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$ok"
}

echo
echo "kennisbouwstenen benchmark: $PROFILES profiles x $BLOCKS blocks, $TEAMS teams, median of $RUNS runs, PostgreSQL $(psql -X -t -A -d postgres -c 'SHOW server_version')"
echo
printf '| %-44s | %15s | %-22s | %8s | %-9s | %-4s |\n' "measurement" "value" "ratio" "ratio" "target" "ok"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "$(printf -- '-%.0s' {1..17})" "$(printf -- '-%.0s' {1..24})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..11})" "------"
printf '| %-44s | %12s ms | %-22s | %8s | %-9s | %-4s |\n' "floor: count(*) GROUP BY team" "$floor" "" "" "" ""
row "ours: kbs.coverage_agg GROUP BY team" "$ours" ms "ours / floor" "$(ratio "$ours" "$floor")" "<=" 1.5
row "baseline A: normalized GROUP BY team, block" "$norm" ms "A / ours" "$(ratio "$norm" "$ours")" ">=" 40
row "baseline B: jsonb_each GROUP BY team, key" "$json" ms "B / ours" "$(ratio "$json" "$ours")" ">=" 150
row "ours, GROUP BY team, 2 workers (Partial: $Q_PLAN)" "$par" ms "serial / parallel" "$(ratio "$ours" "$par")" ">=" 1.5
printf '| %-44s | %12s ms | %-22s | %8s | %-9s | %-4s |\n' "ours, all profiles in one group, serial" "$all_serial" "" "" "" ""
row "ours, all profiles in one group, 2 workers" "$all_par" ms "serial / parallel" "$(ratio "$all_serial" "$all_par")" ">=" 1.5
printf '| %-44s | %12s ms | %-22s | %8s | %-9s | %-4s |\n' "ten times: $((PROFILES * 10)) in $((TEAMS * 10)) teams, serial" "$ten_serial" "" "" "" ""
row "ten times, 2 workers (Partial: $TEN_PLAN)" "$ten_par" ms "serial / parallel" "$(ratio "$ten_serial" "$ten_par")" ">=" 1.5
row "gaps of all teams, 40-entry requirement" "$gaps" ms "gaps / aggregation" "$(ratio "$gaps" "$ours")" "<=" 1
printf '| %-44s | %12s MB | %-22s | %8s | %-9s | %-4s |\n' "storage: profile table" "$(awk -v b="$s_prof" 'BEGIN { printf "%.1f", b / 1048576 }')" "" "" "" ""
row "storage: normalized table" "$(awk -v b="$s_norm" 'BEGIN { printf "%.1f", b / 1048576 }')" MB "profile / normalized" "$(ratio "$s_prof" "$s_norm")" "<=" 0.025
printf '| %-44s | %12s MB | %-22s | %8.2f | %-9s | %-4s |\n' "storage: jsonb table" "$(awk -v b="$s_json" 'BEGIN { printf "%.1f", b / 1048576 }')" "profile / jsonb" "$(ratio "$s_prof" "$s_json")" "" ""
if [ "$IMPORT" = 1 ]; then import_bench; fi
if [ "$REFRESH" = 1 ]; then refresh_bench; fi
if [ "$FEDERATION" = 1 ]; then federation_bench; fi
