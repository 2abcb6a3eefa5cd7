#!/usr/bin/env bash
# kbs.refresh_snapshots against changes in other sessions: memberships (join,
# leave, move), team requirements, partners and the teams they serve, and a
# setting. Every change runs in three orders against a refresh, each in a fresh
# copy of the data (tests/integration/lib/race_data.sql, where a committed
# change waits so that the refresh recomputes every snapshot):
#   change first   A: BEGIN; change   B: refresh (waits for A)   A: COMMIT
#   refresh first  B: BEGIN; refresh   A: BEGIN; change (waits for B)   B: COMMIT   A: COMMIT
#   mid-refresh    C holds the snapshot rows; B: refresh, which stalls at its first
#                  snapshot; A: BEGIN; change (waits for B); C: COMMIT; A: COMMIT
# and two writers whose marks depend on each other (a partner's period and the
# teams it serves) race each other and a refresh. Afterwards a last refresh must
# leave every snapshot equal to its recomputation, and the change must show in
# the snapshots as worked out by hand (so no change is lost). The sessions are
# ordered by the server's locks: a step waits until the session before it is
# blocked on a lock or done (pg_stat_activity), never for a fixed time.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
DB=kbs_refresh_race
# shellcheck source=tests/integration/lib/race.sh
. tests/integration/lib/race.sh

# The scenarios: name, the change (SQL run by one session), what must hold
# afterwards (SQL, true/false) and that in words.
names=() changes=() checks=() whats=()
scenario() { names+=("$1"); changes+=("$2"); checks+=("$3"); whats+=("$4"); }
scenario "membership join" \
    "INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (6, 1, '[2025-02-15,)');" \
    "(race.cell(1, '2025-01-31')).members = 3 AND (race.cell(1, '2025-02-28')).members = 4
     AND (race.cell(1, '2025-06-30')).members = 4 AND kbs.count_at_least((race.cell(1, '2025-06-30')).coverage, 31, 4) = 1" \
    "p6 (31:4) counts in team 1 from 28 Feb"
scenario "membership leave" \
    "UPDATE kbs.membership SET during = '[2025-01-01,2025-04-15)' WHERE professional_id = 2 AND team_id = 1;" \
    "(race.cell(1, '2025-03-31')).members = 3 AND (race.cell(1, '2025-04-30')).members = 2
     AND (race.cell(1, '2025-06-30')).assessed = 2" \
    "p2 counts in team 1 until 31 Mar, not from 30 Apr"
scenario "membership move" \
    "UPDATE kbs.membership SET during = '[2025-01-01,2025-05-01)' WHERE professional_id = 4 AND team_id = 2;
     INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (4, 1, '[2025-05-01,)');" \
    "(race.cell(2, '2025-04-30')).members = 2 AND (race.cell(2, '2025-05-31')).members = 1
     AND (race.cell(1, '2025-04-30')).members = 3 AND (race.cell(1, '2025-05-31')).members = 4
     AND kbs.count_at_least((race.cell(1, '2025-05-31')).coverage, 32, 1) = 1" \
    "p4 counts in team 2 until 30 Apr and in team 1 from 31 May"
scenario "membership moved by changing its team" \
    "UPDATE kbs.membership SET team_id = 1 WHERE professional_id = 5;" \
    "(race.cell(2, '2025-01-31')).members = 1 AND (race.cell(1, '2025-01-31')).members = 4
     AND kbs.count_at_least((race.cell(1, '2025-06-30')).coverage, 32, 2) = 1" \
    "p5 counts in team 1, not in team 2, from 31 Jan"
scenario "team requirements" \
    "UPDATE kbs.team_requirement SET during = '[2025-01-01,2025-04-01)' WHERE team_id = 1;
     INSERT INTO kbs.team_requirement (team_id, during, requirement)
         VALUES (1, '[2025-04-01,)', '{31:3/2}'), (2, '[2025-02-01,)', '{32:2/1}');" \
    "(race.cell(1, '2025-03-31')).requirement::text = '{31:2/2}' AND (race.cell(1, '2025-04-30')).requirement::text = '{31:3/2}'
     AND (race.cell(2, '2025-01-31')).requirement IS NULL AND (race.cell(2, '2025-02-28')).requirement::text = '{32:2/1}'" \
    "team 1 needs {31:3/2} from 30 Apr, team 2 {32:2/1} from 28 Feb"
scenario "partner profile" \
    "UPDATE kbs.partner SET profile = '{32:4}' WHERE id = 1;" \
    "kbs.count_at_least((race.cell(1, '2025-01-31')).partner_coverage, 32, 4) = 1
     AND kbs.count_at_least((race.cell(1, '2025-06-30')).partner_coverage, 32, 4) = 1" \
    "team 1's partner has 32:4 on every peildatum"
scenario "partner serves a team" \
    "INSERT INTO kbs.partner_team (partner_id, team_id) VALUES (2, 2);" \
    "kbs.members((race.cell(2, '2025-02-28')).partner_coverage) = 0
     AND kbs.count_at_least((race.cell(2, '2025-03-31')).partner_coverage, 33, 4) = 1" \
    "team 2 has partner 2 (33:4) from 31 Mar"
scenario "partner stops serving a team" \
    "DELETE FROM kbs.partner_team WHERE partner_id = 1 AND team_id = 1;" \
    "kbs.members((race.cell(1, '2025-01-31')).partner_coverage) = 0
     AND kbs.members((race.cell(1, '2025-06-30')).partner_coverage) = 0" \
    "team 1 has no partner on any peildatum"
scenario "partner deleted" \
    "DELETE FROM kbs.partner WHERE id = 1;" \
    "kbs.members((race.cell(1, '2025-01-31')).partner_coverage) = 0
     AND kbs.members((race.cell(1, '2025-06-30')).partner_coverage) = 0" \
    "team 1 has no partner on any peildatum"
scenario "setting stale_after" \
    "SELECT kbs.set_setting('stale_after', '3 months');" \
    "(race.cell(1, '2025-02-28')).stale = 0 AND (race.cell(1, '2025-03-31')).stale = 2
     AND (race.cell(1, '2025-06-30')).stale = 3 AND (race.cell(2, '2025-03-31')).stale = 1" \
    "assessments older than 3 months are stale (team 1: 0 on 28 Feb, 2 on 31 Mar, 3 on 30 Jun)"

change_first() { # index
    local i=$1 out st label="${names[$1]}, change first"
    fresh_db
    session_open A "$DB"
    session_open B "$DB"
    run_ok A "BEGIN; ${changes[$i]}" "the change failed"
    session_send B "$REFRESH"
    session_await B; st=$SESSION_STATE
    run_ok A "COMMIT;" "commit failed"
    recv_ok B "the refresh failed"
    session_close A
    session_close B
    verify "$label (refresh $(describe "$st"))" "${checks[$i]}" "${whats[$i]}"
}

refresh_first() { # index
    local i=$1 out st label="${names[$1]}, refresh first"
    fresh_db
    session_open A "$DB"
    session_open B "$DB"
    session_run B "BEGIN; $REFRESH"; out=$SESSION_OUTPUT
    [ "$out" = 12 ] || bad "$label: the refresh computed [$out], not the 12 snapshots"
    session_send A "BEGIN; ${changes[$i]}"
    session_await A; st=$SESSION_STATE
    run_ok B "COMMIT;" "the refresh's commit failed"
    recv_ok A "the change failed"
    run_ok A "COMMIT;" "commit failed"
    session_close A
    session_close B
    verify "$label (change $(describe "$st"))" "${checks[$i]}" "${whats[$i]}"
}

mid_refresh() { # index
    local i=$1 out st stb label="${names[$1]}, during a refresh"
    fresh_db
    session_open A "$DB"
    session_open B "$DB"
    session_open C "$DB"
    session_run C "BEGIN; SELECT count(*) FROM (SELECT 1 FROM kbs.snapshot FOR UPDATE) x;"; out=$SESSION_OUTPUT
    [ "$out" = 12 ] || bad "$label: C locked [$out] snapshots, not 12"
    session_send B "$REFRESH"
    session_await B; stb=$SESSION_STATE
    case "$stb" in
        "blocked transactionid C") ;;
        *) bad "$label: the refresh should stall on C's snapshot rows, but: $stb" ;;
    esac
    session_send A "BEGIN; ${changes[$i]}"
    session_await A; st=$SESSION_STATE
    session_run C "COMMIT;"; out=$SESSION_OUTPUT
    recv_ok B "the refresh failed"
    recv_ok A "the change failed"
    run_ok A "COMMIT;" "commit failed"
    session_close A
    session_close B
    session_close C
    verify "$label (change $(describe "$st"))" "${checks[$i]}" "${whats[$i]}"
}

for i in "${!names[@]}"; do
    change_first "$i"
    refresh_first "$i"
    mid_refresh "$i"
done

# Two writers, then a refresh: after a refresh, A lengthens partner 2's period
# to start on 1 January while Q lets partner 2 serve team 2. Neither sees the other's
# uncommitted row, so each must mark enough on its own: team 2 has partner 2
# from 31 January.
two_writers() {
    local out sq sb label="partner period and partner team by two writers"
    fresh_db
    session_open A "$DB"
    session_open Q "$DB"
    session_open B "$DB"
    # the waiting change first, so that only the writers' marks make the refresh recompute
    session_run B "$REFRESH"; out=$SESSION_OUTPUT
    [ "$out" = 12 ] || bad "$label: the first refresh computed [$out], not the 12 snapshots"
    run_ok A "BEGIN; UPDATE kbs.partner SET during = '[2025-01-01,)' WHERE id = 2;" "A failed"
    session_send Q "BEGIN; INSERT INTO kbs.partner_team (partner_id, team_id) VALUES (2, 2);"
    session_await Q; sq=$SESSION_STATE
    session_send B "$REFRESH"
    session_await B; sb=$SESSION_STATE
    run_ok A "COMMIT;" "A's commit failed"
    recv_ok Q "Q failed"
    run_ok Q "COMMIT;" "Q's commit failed"
    recv_ok B "the refresh failed"
    session_close A
    session_close Q
    session_close B
    verify "$label (Q $(describe "$sq"), refresh $(describe "$sb"))" \
        "kbs.count_at_least((race.cell(2, '2025-01-31')).partner_coverage, 33, 4) = 1
         AND kbs.count_at_least((race.cell(2, '2025-06-30')).partner_coverage, 33, 4) = 1" \
        "team 2 has partner 2 (33:4) from 31 Jan"
}
two_writers

race_summary "refresh race"
