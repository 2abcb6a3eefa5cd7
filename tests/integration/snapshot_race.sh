#!/usr/bin/env bash
# Regression test (found by make check-hard, pgbench): an assessment that commits
# while kbs.refresh_snapshots runs must still reach its snapshots. Before the
# fix the refresh did not see the uncommitted assessment but stored snapshots
# newer than its dirty mark, so the mark counted as spent and the snapshots
# stayed wrong. Two real sessions, ordered by the server's locks, no timing:
#   A: BEGIN; INSERT an assessment (not committed yet)
#   B: SELECT kbs.refresh_snapshots(...)   (with a committed change pending too)
#   A: COMMIT once B has finished or waits for A
# Then a refresh must leave every snapshot equal to its recomputation.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
BINDIR=$(pg_config --bindir)
DB=kbs_snapshot_race_it
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)

cleanup() {
    [ -n "${A_PID:-}" ] && kill "$A_PID" 2>/dev/null || true
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
"${PSQL[@]}" -d "$DB" >/dev/null <<'SQL'
CREATE EXTENSION kennisbouwstenen;
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad');
INSERT INTO kbs.assessment_round (municipality, name, peildatum, status) VALUES ('GM9999', 'voorjaar', '2025-03-31', 'final');
INSERT INTO kbs.team (id, municipality, name, active) VALUES (1, 'GM9999', 'Noord', '[2025-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) VALUES (1, 'GM9999', 'p1'), (2, 'GM9999', 'p2');
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (1, 1, '[2025-01-01,)'), (2, 1, '[2025-01-01,)');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-02-01', 'self', '{31:1}');
SELECT kbs.refresh_snapshots('2025-01-01', '2025-03-31');
-- a committed change, so the next refresh recomputes the team's snapshots
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-02-10', 'self', '{31:2}');
SQL

# Session A, kept open on a pipe.
coproc A { "$BINDIR/psql" -X -q -t -A -U postgres -d "$DB" 2>&1; }
A_PID=$A_PID
echo "BEGIN; INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
      VALUES (2, '2025-02-15', 'supervisor', '{31:4,32:3}'); SELECT 'inserted', pg_backend_pid();" >&"${A[1]}"
read -r line <&"${A[0]}"
case "$line" in inserted\|*) a_pid=${line#inserted|} ;; *) echo "FAIL session A: $line"; exit 1 ;; esac

# Session B: the refresh, in the background.
"${PSQL[@]}" -d "$DB" -c "SELECT kbs.refresh_snapshots('2025-01-01', '2025-03-31')" >/dev/null &
b_job=$!
# Until B has finished, or waits on a lock held by A (bounded: 3000 polls).
for _ in $(seq 3000); do
    kill -0 "$b_job" 2>/dev/null || break
    waiting=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND $a_pid = ANY (pg_blocking_pids(pid))")
    [ "$waiting" -ge 1 ] && break
    sleep 0.1
done
echo "COMMIT; SELECT 'committed';" >&"${A[1]}"
read -r line <&"${A[0]}"
[ "$line" = committed ] || { echo "FAIL session A commit: $line"; exit 1; }
wait "$b_job"
echo '\q' >&"${A[1]}"

result=$("${PSQL[@]}" -d "$DB" <<'SQL'
SELECT kbs.refresh_snapshots('2025-01-01', '2025-03-31') \gset
SELECT count(*) || ' ' || count(*) FILTER (WHERE s.coverage::text IS DISTINCT FROM kbs.team_coverage(s.team_id, s.peildatum)::text
                                             OR s.assessed IS DISTINCT FROM
                                                (SELECT count(p.assessment_id)::integer FROM kbs.member_profiles_at(s.team_id, s.peildatum) p))
  FROM kbs.snapshot s;
SQL
)
read -r snapshots mismatches <<<"$result"
if [ "$snapshots" -ge 1 ] && [ "$mismatches" -eq 0 ]; then
    echo "ok   $snapshots snapshots equal their recomputation after a refresh raced an insert"
else
    echo "FAIL $mismatches of $snapshots snapshots differ from their recomputation after a refresh raced an insert"
    exit 1
fi
