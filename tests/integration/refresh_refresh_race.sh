#!/usr/bin/env bash
# Refresh against refresh, in fresh copies of lib/race_data.sql (all twelve
# snapshots, January to June 2025 for two teams, out of date by a committed
# change). Sessions ordered by the server's locks, never by time.
#  1. Two refreshes over overlapping periods and a change queued behind them:
#       B1: BEGIN; refresh January-March           (6 snapshots)
#       B2: refresh February-June                  (waits for B1)
#       A:  BEGIN; a new assessment of p5 (team 2) of 10 March (waits too)
#       B1: COMMIT -> B2 computes only what B1 left: April-June of both teams (6)
#       A:  COMMIT -> its mark is all that is left; the next refresh computes
#           team 2 from 31 March on (4), and every snapshot is right.
#  2. kbs.refresh_publication against a refresh whose publication decisions are
#     taken at its commit, in both orders: neither may fail (before the fix the
#     second to commit failed on publication_pkey), and afterwards every
#     snapshot has a decision for its current computation, equal to what
#     kbs.refresh_publication decides again.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
DB=kbs_refresh_refresh_race
# shellcheck source=tests/integration/lib/race.sh
. tests/integration/lib/race.sh

# 1 -------------------------------------------------------------------------
label="two refreshes over overlapping periods"
fresh_db
session_open B1 "$DB"
session_open B2 "$DB"
session_open A "$DB"
session_run B1 "BEGIN; SELECT kbs.refresh_snapshots('2025-01-01', '2025-03-31');"
[ "$SESSION_OUTPUT" = 6 ] || bad "$label: B1 computed [$SESSION_OUTPUT], not 6 (January-March of two teams)"
session_send B2 "SELECT kbs.refresh_snapshots('2025-02-01', '2025-06-30');"
session_await B2
s2=$SESSION_STATE
session_send A "BEGIN; INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
                VALUES (5, '2025-03-10', 'supervisor', '{32:4}');"
session_await A
sa=$SESSION_STATE
run_ok B1 "COMMIT;" "B1's commit failed"
session_recv B2
if [ "$SESSION_OUTPUT" = 6 ]; then
    ok "$label: B2 ($(describe "$s2")) computed only the 6 snapshots B1 left (April-June)"
else
    bad "$label: B2 ($(describe "$s2")) computed [$SESSION_OUTPUT], expected the 6 snapshots B1 left (April-June)"
fi
recv_ok A "the change failed"
session_run A "COMMIT;"
session_run A "SELECT string_agg(team_id || ' ' || since, ', ') FROM kbs.snapshot_dirty;"
if [ "$SESSION_OUTPUT" = "2 2025-03-10" ]; then
    ok "$label: the change ($(describe "$sa")) left its mark (team 2 from 10 March), no other mark is left"
else
    bad "$label: marks left [$SESSION_OUTPUT], expected only the change's (2 2025-03-10)"
fi
session_run A "$REFRESH"
if [ "$SESSION_OUTPUT" = 4 ]; then
    ok "$label: the next refresh computed team 2 from 31 March on (4 snapshots)"
else
    bad "$label: the next refresh computed [$SESSION_OUTPUT], expected 4 (team 2, 31 March to 30 June)"
fi
session_close B1
session_close B2
session_close A
verify "$label" "kbs.count_at_least((race.cell(2, '2025-02-28')).coverage, 32, 4) = 0
                 AND kbs.count_at_least((race.cell(2, '2025-03-31')).coverage, 32, 4) = 1" \
    "p5's 32:4 counts in team 2 from 31 March"

# 2 -------------------------------------------------------------------------
# min_group_size 2: both teams (3 and 2 assessed members) get published cells.
"${PSQL[@]}" -d "$TPL" -c "SELECT kbs.set_setting('min_group_size', '2')" >/dev/null

# Every snapshot has a decision about its current computation, and deciding
# again gives the same decisions. (Not `nearest`: a team's first published set
# has none before it, but is there itself when deciding again, at distance 0.)
publication_checks() { # label
    local res
    res=$("${PSQL[@]}" -d "$DB" -F '|' <<'SQL' 2>&1
CREATE TEMP TABLE decided AS
SELECT team_id, peildatum, min_group_size, assessed, published, reason, snapshot_computed_at
  FROM kbs.publication;
SELECT count(*) AS undecided FROM kbs.snapshot s
  LEFT JOIN kbs.publication p USING (team_id, peildatum)
 WHERE p.snapshot_computed_at IS DISTINCT FROM s.computed_at \gset
BEGIN;
SELECT kbs.refresh_publication() AS redecided \gset
SELECT :undecided, (SELECT count(*) FROM decided WHERE published),
       (SELECT count(*) FROM (
            (SELECT * FROM decided
             EXCEPT ALL
             SELECT team_id, peildatum, min_group_size, assessed, published, reason, snapshot_computed_at
               FROM kbs.publication)
            UNION ALL
            (SELECT team_id, peildatum, min_group_size, assessed, published, reason, snapshot_computed_at
               FROM kbs.publication
             EXCEPT ALL
             SELECT * FROM decided)) d);
ROLLBACK;
SQL
    ) || { bad "$1: checking the decisions failed: $res"; return 0; }
    IFS='|' read -r undecided published differ <<<"$res"
    if [ "$undecided" -eq 0 ] && [ "$differ" -eq 0 ] && [ "$published" -gt 0 ]; then
        ok "$1: every snapshot has a current decision ($published published), equal to deciding again"
    else
        bad "$1: $undecided snapshots without a current decision, $differ decisions differ from deciding again ($published published)"
    fi
}

label="refresh, then refresh_publication before it commits"
fresh_db
session_open R "$DB"
session_open P "$DB"
session_run R "BEGIN; $REFRESH"
[ "$SESSION_OUTPUT" = 12 ] || bad "$label: the refresh computed [$SESSION_OUTPUT], not 12"
session_send P "BEGIN; SELECT kbs.refresh_publication();"
session_await P
sp=$SESSION_STATE
session_send R "COMMIT;"
session_await R
sr=$SESSION_STATE
if [ "$sp" = done ]; then
    session_run P "COMMIT;"
    pout=$SESSION_OUTPUT
    session_recv R
    rout=$SESSION_OUTPUT
else
    session_recv R
    rout=$SESSION_OUTPUT
    session_recv P
    pout=$SESSION_OUTPUT
    session_run P "COMMIT;"
    pout+=$SESSION_OUTPUT
fi
session_close R
session_close P
if has_error "$rout$pout"; then
    bad "$label: refresh_publication $(describe "$sp"), the refresh's commit $(describe "$sr"); errors: $(tr '\n' ' ' <<<"$rout $pout")"
else
    ok "$label: both committed (refresh_publication $(describe "$sp"))"
fi
publication_checks "$label"
verify "$label" "true" "(no change)"

label="refresh_publication, then a refresh before it commits"
fresh_db
session_open R "$DB"
session_open P "$DB"
session_run P "BEGIN; SELECT kbs.refresh_publication();"
pout=$SESSION_OUTPUT
session_send R "$REFRESH"
session_await R
sr=$SESSION_STATE
session_run P "COMMIT;"
pout+=$SESSION_OUTPUT
session_recv R
rout=$SESSION_OUTPUT
session_close R
session_close P
if has_error "$rout$pout"; then
    bad "$label: the refresh $(describe "$sr"); errors: $(tr '\n' ' ' <<<"$rout $pout")"
else
    ok "$label: both committed (the refresh $(describe "$sr"))"
fi
publication_checks "$label"
verify "$label" "true" "(no change)"

race_summary "refresh against refresh"
