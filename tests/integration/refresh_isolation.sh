#!/usr/bin/env bash
# kbs.refresh_snapshots and kbs.refresh_publication need READ COMMITTED. A
# refresh waits for changes in flight (their triggers hold its lock shared) and
# must then see them; in REPEATABLE READ or SERIALIZABLE its snapshot is from
# before it waited, so it would store snapshots without the change that are
# newer than the change's dirty mark, and the change would be lost for good.
# So both refuse those levels with 0A000 and a hint. The race that shows it:
#   A: BEGIN; a member joins (not committed)
#   B: BEGIN ISOLATION LEVEL <level>; SELECT kbs.refresh_snapshots(...)
#   A: COMMIT (once B is refused, or waits for A)
# after which a READ COMMITTED refresh must leave every snapshot right, with
# the new member in it. READ COMMITTED and READ UNCOMMITTED (which PostgreSQL
# runs as READ COMMITTED) must work.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
DB=kbs_refresh_isolation
# shellcheck source=tests/integration/lib/race.sh
. tests/integration/lib/race.sh

JOIN="INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (6, 1, '[2025-02-15,)');"
JOINED="(race.cell(1, '2025-01-31')).members = 3 AND (race.cell(1, '2025-02-28')).members = 4
        AND kbs.count_at_least((race.cell(1, '2025-06-30')).coverage, 31, 4) = 1"

# Output of a refused call: the SQLSTATE, the message and the hint.
refused() { # output function level
    grep -q "^ERROR:  0A000: $2 cannot run in a $3 transaction$" <<<"$1" &&
        grep -q '^HINT:  Call it in a READ COMMITTED transaction' <<<"$1"
}

for level in "REPEATABLE READ" "SERIALIZABLE"; do
    label="refresh in $level while a change commits"
    fresh_db
    session_open A "$DB"
    session_open B "$DB"
    run_ok A "BEGIN; $JOIN" "the change failed"
    session_send B "BEGIN ISOLATION LEVEL $level; $REFRESH"
    session_await B
    st=$SESSION_STATE
    session_run A "COMMIT;"
    session_recv B
    out=$SESSION_OUTPUT
    session_run B "COMMIT;"
    session_close A
    session_close B
    if refused "$out" kbs.refresh_snapshots "$level"; then
        ok "$label: refused with 0A000 and a hint"
    else
        bad "$label: not refused (the refresh $(describe "$st")); it gave: $(tr '\n' ' ' <<<"$out")"
    fi
    verify "$label, then a refresh in READ COMMITTED" "$JOINED" "p6 counts in team 1 from 28 Feb"
done

# Without a race: which levels work, which are refused, also when the level
# comes from default_transaction_isolation.
fresh_db
declare -A expect=(
    ["BEGIN ISOLATION LEVEL READ COMMITTED; $REFRESH COMMIT;"]=12
    ["BEGIN ISOLATION LEVEL READ UNCOMMITTED; $REFRESH COMMIT;"]=0
    ["BEGIN ISOLATION LEVEL READ COMMITTED; SELECT kbs.refresh_publication(); COMMIT;"]=12
)
for sql in "BEGIN ISOLATION LEVEL READ COMMITTED; $REFRESH COMMIT;" \
           "BEGIN ISOLATION LEVEL READ UNCOMMITTED; $REFRESH COMMIT;" \
           "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT kbs.refresh_publication(); COMMIT;"; do
    if out=$("${PSQL[@]}" -d "$DB" -c "$sql" 2>&1) && [ "$out" = "${expect[$sql]}" ]; then
        ok "$sql -> $out"
    else
        bad "$sql: expected ${expect[$sql]}, got: $out"
    fi
done
for level in "REPEATABLE READ" "SERIALIZABLE"; do
    for fn in kbs.refresh_snapshots kbs.refresh_publication; do
        call="SELECT $fn();"
        [ "$fn" = kbs.refresh_snapshots ] && call=$REFRESH
        out=$("${PSQL[@]}" -d "$DB" -v VERBOSITY=verbose -v ON_ERROR_STOP=0 \
              -c "BEGIN ISOLATION LEVEL $level" -c "$call" -c "ROLLBACK" 2>&1) || true
        if refused "$out" "$fn" "$level"; then ok "$fn in $level: refused"; else bad "$fn in $level: $out"; fi
        lower=$(tr 'A-Z' 'a-z' <<<"$level")
        out=$("${PSQL[@]}" -d "$DB" -v VERBOSITY=verbose -v ON_ERROR_STOP=0 \
              -c "SET default_transaction_isolation = '$lower'" -c "$call" 2>&1) || true
        if refused "$out" "$fn" "$level"; then
            ok "$fn with default_transaction_isolation '$lower': refused"
        else
            bad "$fn with default_transaction_isolation '$lower': $out"
        fi
    done
done

race_summary "refresh isolation"
