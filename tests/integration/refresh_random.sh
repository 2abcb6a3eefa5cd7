#!/usr/bin/env bash
# The set-based kbs.refresh_snapshots against fresh computations, over random
# sequences of changes (tests/integration/lib/refresh_random.sql): backdated
# assessments (drafts too), changed and deleted assessments, members who join,
# leave and move, requirement changes, partners and the teams they serve,
# settings (stale_after, min_group_size), new and moved rounds, new teams and
# teams that existed earlier, deleted snapshots. After each step's refresh
#   - every peildatum of the refreshed period has a cell, and every cell equals
#     kbs.team_coverage, kbs.team_requirement_at, kbs.partner_coverage and the
#     counts of kbs.member_profiles_at on that day (rnd.verify);
#   - every cell and every publication decision equals what release 1.1's
#     per-cell refresh and per-cell decision (bench/refresh_per_cell.sql) give
#     from the same state, run first in a transaction that is rolled back; and
#     both computed as many cells.
# Seeded: KBS_RANDOM_SEED (default: from the clock) and KBS_RANDOM_STEPS
# (default 40); the seed is printed so that a failure can be replayed.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
DB=kbs_refresh_random
SEED=${KBS_RANDOM_SEED:-$(( $(date +%s%N) % 1000000007 ))}
STEPS=${KBS_RANDOM_STEPS:-40}
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)
echo "refresh_random: seed $SEED, $STEPS steps (replay: KBS_RANDOM_SEED=$SEED KBS_RANDOM_STEPS=$STEPS bash $0)"

cleanup() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
"${PSQL[@]}" -d "$DB" -f tests/integration/lib/refresh_random.sql >/dev/null
"${PSQL[@]}" -d "$DB" -f bench/refresh_per_cell.sql >/dev/null

FULL_FROM=2023-10-01
FULL_TO=2025-12-31
fail=0
checked=0
for step in $(seq "$STEPS"); do
    # The step's changes, each its own transaction, from the step's seed.
    log=$("${PSQL[@]}" -d "$DB" -c "SELECT setseed(((($SEED + $step * 7919) % 1000003) / 1000003.0) * 2 - 1)" \
              -c "SELECT rnd.change() FROM generate_series(1, 1 + floor(random() * 3)::int)" 2>&1 | sed '/^$/d') ||
        { echo "FAIL step $step: a change failed: $log"; exit 1; }
    # The period: mostly everything, sometimes a few months.
    read -r from to < <("${PSQL[@]}" -d "$DB" -F ' ' -c "SELECT setseed(((($SEED + $step * 104729) % 1000003) / 1000003.0) * 2 - 1)" \
        -c "SELECT CASE WHEN random() < 0.6 THEN '$FULL_FROM'::date ELSE f END,
                   CASE WHEN random() < 0.6 THEN '$FULL_TO'::date ELSE f + floor(random() * 200)::int END
              FROM (SELECT date '$FULL_FROM' + floor(random() * 760)::int AS f) x" | tail -n 1)
    # The reference, from the same state, rolled back: the per-cell refresh with
    # no publication events, then the per-cell decision of every team written.
    ref=$("${PSQL[@]}" -d "$DB" <<SQL
BEGIN;
SET LOCAL kbs.refresh_in_progress = 'on';
SELECT 'computed ' || bench.refresh_snapshots_per_cell('$from', '$to');
SET LOCAL kbs.refresh_in_progress = 'off';
SELECT bench.publication_sync_all() >= 0;
SELECT rnd.state();
ROLLBACK;
SQL
)
    got=$("${PSQL[@]}" -d "$DB" -c "SELECT 'computed ' || kbs.refresh_snapshots('$from', '$to')" -c "SELECT true" \
              -c "SELECT rnd.state()")
    problems=$("${PSQL[@]}" -d "$DB" -c "SELECT rnd.verify('$from', '$to')")
    checked=$((checked + $("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM kbs.team t, kbs.peildata(t.id, '$from', '$to')")))
    if [ -n "$problems" ]; then
        echo "FAIL step $step (refresh $from to $to) after: $(tr '\n' ';' <<<"$log")"
        echo "cells that differ from a fresh computation:"
        head -n 10 <<<"$problems"
        fail=1
        break
    fi
    if [ "$ref" != "$got" ]; then
        echo "FAIL step $step (refresh $from to $to) after: $(tr '\n' ';' <<<"$log")"
        echo "cells or decisions that differ from the per-cell reference (< reference, > set-based):"
        diff <(echo "$ref") <(echo "$got") | head -n 20 || true
        fail=1
        break
    fi
    echo "ok   step $step: $(head -n 1 <<<"$got") ($from to $to) after: $(tr '\n' ';' <<<"$log")"
done
[ "$fail" = 0 ] || { echo "refresh_random: FAILED (seed $SEED)"; exit 1; }
echo "refresh_random: $STEPS steps, $checked cells of refreshed periods checked against fresh computations (seed $SEED)"
