#!/usr/bin/env bash
# Roles, row-level security and suppression over real connections: psql logs in
# as a coordinator and as a policy officer (LOGIN roles that are members of
# kbs_coordinator / kbs_policy), not through SET ROLE. Creates its own database
# and login roles and drops them at the end; the kbs_* group roles stay.
set -euo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
BINDIR=$(pg_config --bindir)
DB=kbs_roles_it
COORD=kbs_it_coordinator
POLICY=kbs_it_policy
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A)

cleanup() {
    "${PSQL[@]}" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB" \
        -c "DROP ROLE IF EXISTS $COORD" -c "DROP ROLE IF EXISTS $POLICY" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

fail=0
check() { # name expected actual
    if [ "$2" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected [$2], got [$3]"
        fail=1
    fi
}

"${PSQL[@]}" -U postgres -d postgres -c "CREATE DATABASE $DB" \
    -c "CREATE ROLE $COORD LOGIN" -c "CREATE ROLE $POLICY LOGIN"
"${PSQL[@]}" -U postgres -d "$DB" >/dev/null <<SQL
CREATE EXTENSION kennisbouwstenen;
GRANT kbs_coordinator TO $COORD;
GRANT kbs_policy TO $POLICY;
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad'), ('GM9998', 'Anderstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9999', 'Noord', '[2024-01-01,)'), (2, 'GM9999', 'Zuid', '[2024-01-01,)'),
    (3, 'GM9998', 'Centrum', '[2024-01-01,)');
-- Noord: 5 members; Zuid: 2; Centrum: 5 (all assessed on the same day).
INSERT INTO kbs.professional (id, municipality, ref)
SELECT p, CASE WHEN p <= 7 THEN 'GM9999' ELSE 'GM9998' END, 'P-' || p FROM generate_series(1, 12) p;
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT p, CASE WHEN p <= 5 THEN 1 WHEN p <= 7 THEN 2 ELSE 3 END, '[2024-01-01,)'::daterange FROM generate_series(1, 12) p;
INSERT INTO kbs.team_requirement (team_id, during, requirement)
SELECT t, '[2024-01-01,)'::daterange, '{11:1/all,33:3/1}' FROM generate_series(1, 3) t;
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
SELECT p, '2025-01-10', 'supervisor', CASE WHEN p % 3 = 0 THEN '{11:2,33:3}' ELSE '{11:1}' END::kbs.profile
  FROM generate_series(1, 12) p;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-01-31');
INSERT INTO kbs.grant (role, team_id) VALUES ('$COORD', 1);
INSERT INTO kbs.grant (role, municipality) VALUES ('$POLICY', 'GM9999');
SQL

as() { # role sql: run as that login role over its own connection
    "$BINDIR/psql" -X -q -t -A -U "$1" -d "$DB" -c "$2" 2>&1
}

# Real logins, not SET ROLE.
check "coordinator logs in as itself" "$COORD|$COORD" "$(as $COORD 'SELECT session_user, current_user')"
check "policy logs in as itself" "$POLICY|$POLICY" "$(as $POLICY 'SELECT session_user, current_user')"

# The coordinator: its team's rows only, nothing of another municipality.
check "coordinator: teams" "1" "$(as $COORD 'SELECT string_agg(id::text, $$,$$) FROM kbs.team')"
check "coordinator: professionals" "1,2,3,4,5" "$(as $COORD 'SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM kbs.professional')"
check "coordinator: assessments" "5" "$(as $COORD 'SELECT count(*) FROM kbs.assessment')"
check "coordinator: snapshots" "1" "$(as $COORD 'SELECT string_agg(DISTINCT team_id::text, $$,$$) FROM kbs.snapshot')"
check "coordinator: no Anderstad rows" "0" \
    "$(as $COORD "SELECT (SELECT count(*) FROM kbs.professional WHERE municipality = 'GM9998') + (SELECT count(*) FROM kbs.v_team_summary WHERE municipality_code = 'GM9998') + (SELECT count(*) FROM kbs.v_municipality_domain_trend WHERE municipality_code = 'GM9998')")"
check "coordinator: heat map of its team" "5" \
    "$(as $COORD "SET kbs.as_of = '2025-01-31'; SELECT count(DISTINCT professional_id) FROM kbs.v_member_block")"

# The policy officer: no person-level table or view at all.
for rel in professional membership assessment snapshot plan_item team publication published_set v_member_block v_member_shape v_assessment_freshness v_self_vs_supervisor v_plan_progress; do
    out=$(as $POLICY "SELECT count(*) FROM kbs.$rel" || true)
    case "$out" in
        *"permission denied"*) echo "ok   policy: kbs.$rel denied" ;;
        *) echo "FAIL policy: kbs.$rel readable: $out"; fail=1 ;;
    esac
done
out=$(as $POLICY "SELECT * FROM kbs.member_profiles_at(1, '2025-01-31')" || true)
case "$out" in
    *"permission denied"*) echo "ok   policy: kbs.member_profiles_at denied" ;;
    *) echo "FAIL policy: kbs.member_profiles_at: $out"; fail=1 ;;
esac
# Its municipality only: Noord (5 assessed) shown, Zuid (2) suppressed, Anderstad absent.
check "policy: team summary" "Noord|5|f;Zuid||t" \
    "$(as $POLICY "SELECT string_agg(concat(team_name, '|', assessed, '|', suppressed), ';' ORDER BY team_id) FROM kbs.v_team_summary")"
check "policy: no Anderstad team rows" "0" \
    "$(as $POLICY "SELECT count(*) FROM kbs.v_team_block_status WHERE municipality_code <> 'GM9999'")"
# The municipality total holds Noord alone: total minus visible teams is 0, not Zuid's 1.
check "policy: total minus visible teams" "0" \
    "$(as $POLICY "SELECT t.carriers - (SELECT sum(d.carriers) FROM kbs.v_team_domain_status d WHERE d.peildatum = t.peildatum AND d.ring_code = 'specific' AND d.domain_code = 'income' AND NOT d.suppressed) FROM kbs.v_municipality_domain_trend t WHERE t.ring_code = 'specific' AND t.domain_code = 'income'")"
# The benchmark covers every municipality, aggregated.
check "policy: benchmark" "GM9998|5;GM9999|5" \
    "$(as $POLICY "SELECT string_agg(concat_ws('|', municipality_code, members), ';' ORDER BY municipality_code) FROM kbs.v_benchmark WHERE ring_code = 'generic'")"

# DROP EXTENSION and CREATE EXTENSION again: the cluster-wide roles stay and are reused.
"${PSQL[@]}" -U postgres -d "$DB" -c "DROP EXTENSION kennisbouwstenen" -c "CREATE EXTENSION kennisbouwstenen"
check "roles kept after DROP EXTENSION" "3" \
    "$(as postgres "SELECT count(*) FROM pg_roles WHERE rolname IN ('kbs_admin', 'kbs_coordinator', 'kbs_policy')")"
check "policy reads the views of the new extension" "30" "$(as $POLICY 'SELECT count(*) FROM kbs.v_wheel')"

[ $fail -eq 0 ] && echo "roles: isolation and suppression hold over real connections"
exit $fail
