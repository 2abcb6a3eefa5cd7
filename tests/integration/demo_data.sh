#!/usr/bin/env bash
# The demo data generator (demo/generate.sql, demo scale): shape of the data,
# snapshots and policy views, and determinism (two fresh databases, same rows).
set -uo pipefail
: "${PGHOST:?run from make check (needs the cluster env)}"
cd "$(dirname "$0")/../.."
BINDIR=$(pg_config --bindir)
DB1=kbs_demo_it1
DB2=kbs_demo_it2
PSQL=("$BINDIR/psql" -X -v ON_ERROR_STOP=1 -q -t -A -U postgres)

cleanup() {
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB1" -c "DROP DATABASE IF EXISTS $DB2" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

pass=0
fail=0
check() { # name sql (must return t)
    local got
    got=$("${PSQL[@]}" -d "$DB1" -c "$2" 2>&1)
    if [ "$got" = "t" ]; then
        echo "ok   $1"; pass=$((pass + 1))
    else
        echo "FAIL $1: got [$got]"; fail=$((fail + 1))
    fi
}

load() { # db
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $1" &&
    "${PSQL[@]}" -d "$1" -c "CREATE EXTENSION kennisbouwstenen" &&
    "${PSQL[@]}" -d "$1" -v scale=demo -f demo/generate.sql
}

start=$(date +%s)
if load "$DB1"; then
    echo "ok   generator loads ($(( $(date +%s) - start )) s)"; pass=$((pass + 1))
else
    echo "FAIL generator does not load"; echo "demo-data: $pass passed, 1 failed"; exit 1
fi

check "3 municipalities with real CBS codes" \
  "SELECT array_agg(code ORDER BY code) = '{GM0307,GM0392,GM0473}' FROM kbs.municipality"
check "every team 6-15 members at the latest peildatum" \
  "SELECT bool_and(n BETWEEN 6 AND 15) AND count(*) = (SELECT count(*) FROM kbs.team)
     FROM (SELECT t.id, (SELECT count(*) FROM kbs.membership m WHERE m.team_id = t.id
                          AND m.during @> (SELECT max(peildatum) FROM kbs.assessment_round)) n FROM kbs.team t) x"
check "at least 6 rounds per municipality" \
  "SELECT bool_and(n >= 6) FROM (SELECT count(*) n FROM kbs.assessment_round GROUP BY municipality) x"
check "rounds span 3+ years" \
  "SELECT max(peildatum) - min(peildatum) >= 3 * 365 FROM kbs.assessment_round"
check "snapshot for every team and round peildatum" \
  "SELECT NOT EXISTS (SELECT 1 FROM kbs.team t JOIN kbs.assessment_round r ON r.municipality = t.municipality
                       LEFT JOIN kbs.snapshot s ON s.team_id = t.id AND s.peildatum = r.peildatum
                      WHERE s.team_id IS NULL)"
check "turnover: people left and joined" \
  "SELECT count(*) FILTER (WHERE NOT upper_inf(during)) > 5 AND count(*) FILTER (WHERE lower(during) > '2023-01-01') > 5 FROM kbs.membership"
check "someone moved team" \
  "SELECT EXISTS (SELECT 1 FROM kbs.membership GROUP BY professional_id HAVING count(DISTINCT team_id) > 1)"
check "some stale assessments at the latest peildatum" \
  "SELECT sum(stale) > 0 FROM kbs.snapshot WHERE peildatum = (SELECT max(peildatum) FROM kbs.assessment_round)"
check "some members without assessment at the latest peildatum" \
  "SELECT sum(members - assessed) > 0 FROM kbs.snapshot WHERE peildatum = (SELECT max(peildatum) FROM kbs.assessment_round)"
check "self and supervisor differ sometimes (but mostly agree)" \
  "SELECT count(*) FILTER (WHERE s.profile OPERATOR(kbs.<>) v.profile) BETWEEN 1 AND count(*) - 1
     FROM kbs.assessment s JOIN kbs.assessment v ON v.professional_id = s.professional_id AND v.round_id = s.round_id
    WHERE s.source = 'self' AND v.source = 'supervisor'"
check "disciplines shape profiles (debt counsellors strong in specific income)" \
  "SELECT avg(kbs.level(a.profile, 33)) FILTER (WHERE p.discipline = 'schuldhulpverlener')
          > avg(kbs.level(a.profile, 33)) FILTER (WHERE p.discipline <> 'schuldhulpverlener') + 1
     FROM kbs.assessment a JOIN kbs.professional p ON p.id = a.professional_id WHERE a.source = 'supervisor'"
check "illustrative aspects present, labelled and assessed" \
  "SELECT count(*) >= 5 AND bool_and(b.description LIKE 'Illustratief%')
          AND bool_and(EXISTS (SELECT 1 FROM kbs.assessment a, kbs.entries(a.profile) e WHERE e.block_id = b.id))
     FROM kbs.block b WHERE NOT b.shipped"
check "partners per municipality" \
  "SELECT count(DISTINCT municipality) = 3 AND count(*) >= 6 FROM kbs.partner"
check "requirements from the shipped templates" \
  "SELECT NOT EXISTS (SELECT 1 FROM kbs.team t WHERE kbs.team_requirement_at(t.id, '2026-09-30') IS NULL)
          AND (SELECT count(DISTINCT template) FROM kbs.team_requirement) = 2"
check "plan items done earlier and proposed at the latest peildatum" \
  "SELECT count(*) FILTER (WHERE status = 'done') > 0
          AND count(*) FILTER (WHERE status = 'proposed' AND created_on = (SELECT max(peildatum) FROM kbs.assessment_round)) > 0
     FROM kbs.plan_item"
check "no plan item done for a person without an assessment when it was made" \
  "SELECT NOT EXISTS (SELECT 1 FROM kbs.plan_item i WHERE i.status = 'done' AND NOT EXISTS (
                         SELECT 1 FROM kbs.assessment a WHERE a.professional_id = i.professional_id AND a.status = 'final'
                            AND a.assessed_on <= i.created_on))"
check "mostly T-shaped members on 2026-06-30 (over half of the assessed), Π and I rarer" \
  "SET kbs.as_of = '2026-06-30';
   SELECT count(*) FILTER (WHERE shape_code = 't') * 2 > count(*) FILTER (WHERE shape_code <> 'not_assessed')
          AND count(*) FILTER (WHERE shape_code = 'pi') < count(*) FILTER (WHERE shape_code = 't') / 2
          AND count(*) FILTER (WHERE shape_code = 'i') BETWEEN 1 AND count(*) FILTER (WHERE shape_code = 't') / 4
     FROM kbs.v_member_shape"
check "growth over time in the specific ring" \
  "SELECT (SELECT avg(fulfilment) FROM kbs.v_municipality_domain_trend WHERE ring_code = 'specific' AND peildatum = '2026-09-30')
        > (SELECT avg(fulfilment) FROM kbs.v_municipality_domain_trend WHERE ring_code = 'specific' AND peildatum = '2023-03-31')"
check "policy view v_municipality_domain_trend populated at the latest peildatum" \
  "SELECT count(*) FILTER (WHERE fulfilment IS NOT NULL) >= 3 * 7 FROM kbs.v_municipality_domain_trend
    WHERE peildatum = (SELECT max(peildatum) FROM kbs.assessment_round)"
check "most team cells published at the latest peildatum" \
  "SELECT count(*) FILTER (WHERE published) * 2 > count(*) FROM kbs.v_team_domain_status
    WHERE peildatum = (SELECT max(peildatum) FROM kbs.assessment_round)"
check "v_team_block_status has gaps at the latest peildatum" \
  "SELECT count(*) FILTER (WHERE status_code = 'gap') > 0 FROM kbs.v_team_block_status
    WHERE peildatum = (SELECT max(peildatum) FROM kbs.assessment_round)"

canon="SELECT md5(string_agg(x, E'\n')) FROM (
  (SELECT format('a|%s|%s|%s|%s|%s|%s|%s|%s|%s', id, professional_id, assessed_on, source, status, round_id,
                 profile::text, validated_by, note) AS x FROM kbs.assessment ORDER BY id)
  UNION ALL (SELECT format('m|%s|%s|%s|%s', id, professional_id, team_id, during) FROM kbs.membership ORDER BY id)
  UNION ALL (SELECT format('p|%s|%s|%s|%s|%s|%s|%s', id, team_id, professional_id, block_id, target_level, status, done_on)
               FROM kbs.plan_item ORDER BY id)) y"
if load "$DB2"; then
    h1=$("${PSQL[@]}" -d "$DB1" -c "$canon")
    h2=$("${PSQL[@]}" -d "$DB2" -c "$canon")
    if [ -n "$h1" ] && [ "$h1" = "$h2" ]; then
        echo "ok   deterministic: second run gives identical data ($h1)"; pass=$((pass + 1))
    else
        echo "FAIL deterministic: $h1 vs $h2"; fail=$((fail + 1))
    fi
else
    echo "FAIL second load"; fail=$((fail + 1))
fi

echo "demo-data: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
