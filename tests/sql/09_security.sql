-- Roles, row-level security and small-group suppression (sql/80_security.sql),
-- tested with real login roles through SET ROLE (tests/integration/roles.sh does
-- the same over real connections). Continues in kbs_views, the database of
-- 08_views with its data set, and drops it at the end.
\c kbs_views
SET datestyle = ISO;
-- Plans over tables without statistics look expensive; compiling them (JIT) only costs time here.
SET jit = off;

-- The group roles: no login, no special powers.
SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles
 WHERE rolname IN ('kbs_admin', 'kbs_coordinator', 'kbs_policy') ORDER BY rolname;
-- Row-level security, from the catalog. Every table of schema kbs and whether it has
-- row-level security: a new table shows up here and must be looked at.
SELECT c.relname, c.relrowsecurity FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY c.relname;
-- None without it holds person-level, team or snapshot data: a column that refers to
-- a person, team, municipality or grant (by name or by foreign key), a set of persons,
-- or a profile or coverage. The rule finds the tables that have row-level security today.
CREATE FUNCTION test.holds_person_data(rel regclass) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                      AND (a.attname IN ('professional_id', 'team_id', 'persons', 'role', 'partner_id')
                           OR a.atttypid IN ('kbs.profile'::regtype, 'kbs.coverage'::regtype)))
        OR EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conrelid = rel AND k.contype = 'f'
                      AND k.confrelid IN ('kbs.professional'::regclass, 'kbs.team'::regclass,
                                          'kbs.municipality'::regclass))
$$;
SELECT c.relname AS person_data_without_rls FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
   AND test.holds_person_data(c.oid);
SELECT string_agg(c.relname, ', ' ORDER BY c.relname) AS person_data_tables FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'p') AND test.holds_person_data(c.oid);

-- Login roles for the test, and what they are granted.
CREATE ROLE regress_kbs_coordinator_a LOGIN IN ROLE kbs_coordinator;  -- team Noord
CREATE ROLE regress_kbs_coordinator_m LOGIN IN ROLE kbs_coordinator;  -- all of Voorbeeldstad
CREATE ROLE regress_kbs_policy_a LOGIN IN ROLE kbs_policy;            -- Voorbeeldstad
CREATE ROLE regress_kbs_policy_b LOGIN IN ROLE kbs_policy;            -- Anderstad
CREATE ROLE regress_kbs_admin LOGIN IN ROLE kbs_admin;
CREATE ROLE regress_kbs_nobody LOGIN;                                 -- no kbs role
INSERT INTO kbs.grant (role, team_id) VALUES ('regress_kbs_coordinator_a', 1);
INSERT INTO kbs.grant (role, municipality) VALUES
    ('regress_kbs_coordinator_m', 'GM9999'), ('regress_kbs_policy_a', 'GM9999'), ('regress_kbs_policy_b', 'GM9998');
-- A grant names an existing role and either a municipality or a team.
SELECT test.error_of($$INSERT INTO kbs.grant (role, team_id) VALUES ('regress_kbs_no_such_role', 1)$$);
SELECT test.error_of($$INSERT INTO kbs.grant (role, municipality, team_id) VALUES ('regress_kbs_policy_a', 'GM9999', 1)$$);
SELECT test.error_of($$INSERT INTO kbs.grant (role) VALUES ('regress_kbs_policy_a')$$);
SELECT test.error_of($$INSERT INTO kbs.grant (role, municipality) VALUES ('regress_kbs_policy_a', 'GM9999')$$);

-- Helpers: try to read a relation; count the rows in it that belong to another
-- municipality (its teams, its people) than the one given.
GRANT USAGE ON SCHEMA test TO PUBLIC;
CREATE FUNCTION test.try_select(rel regclass) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', rel);
    RETURN 'readable';
EXCEPTION WHEN insufficient_privilege THEN
    RETURN 'denied';
END
$$;
CREATE FUNCTION test.foreign_rows(rel regclass, own text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    conds text[] := '{}';
    n bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = 'municipality' AND NOT attisdropped) THEN
        conds := conds || format('municipality <> %L', own);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = 'municipality_code' AND NOT attisdropped) THEN
        conds := conds || format('municipality_code <> %L', own);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = 'team_id' AND NOT attisdropped) THEN
        conds := conds || format('team_id = ANY (%L::integer[])', CASE own WHEN 'GM9999' THEN '{3,4}' ELSE '{1,2}' END);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = 'professional_id' AND NOT attisdropped) THEN
        conds := conds || format('professional_id %s 12', CASE own WHEN 'GM9999' THEN '>=' ELSE '<' END);
    END IF;
    IF cardinality(conds) = 0 THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s WHERE %s', rel, array_to_string(conds, ' OR ')) INTO n;
    RETURN n;
EXCEPTION WHEN insufficient_privilege THEN
    RETURN 0;
END
$$;

-- Coordinator of team Noord ---------------------------------------------------------
SET ROLE regress_kbs_coordinator_a;
SELECT current_user;
SELECT id, municipality, name FROM kbs.team ORDER BY id;
SELECT id, ref FROM kbs.professional ORDER BY id;
-- VS-07's Zuid membership (before 1 March) is not Noord's business.
SELECT professional_id, team_id, during FROM kbs.membership ORDER BY professional_id, during;
SELECT professional_id, count(*) AS assessments FROM kbs.assessment GROUP BY 1 ORDER BY 1;
SELECT team_id, count(*) AS snapshots FROM kbs.snapshot GROUP BY 1 ORDER BY 1;
SELECT (SELECT count(*) FROM kbs.plan_item) AS plan_items, (SELECT count(*) FROM kbs.team_requirement) AS requirements,
       (SELECT count(*) FROM kbs.partner) AS partners, (SELECT count(*) FROM kbs.partner_team) AS partner_teams,
       (SELECT count(*) FROM kbs.assessment_round) AS rounds;
SELECT role, municipality, team_id FROM kbs.grant;
-- No row of another municipality, through any object it can read (the
-- benchmark compares with all municipalities and is left out).
SELECT c.relname, test.foreign_rows(c.oid, 'GM9999') AS foreign_rows FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'v_benchmark'
   AND test.foreign_rows(c.oid, 'GM9999') > 0;
-- Its team's values are shown, also where they are not published for policy.
SELECT peildatum, team_name, members, assessed, fulfilment, published, suppressed FROM kbs.v_team_summary ORDER BY peildatum;
SET kbs.as_of = '2025-04-30';
SELECT team_name, count(DISTINCT professional_id) AS members, count(*) AS cells FROM kbs.v_member_block GROUP BY 1;
SELECT professional_ref, shape FROM kbs.v_member_shape ORDER BY professional_id;
SELECT team_name, items, done FROM kbs.v_plan_progress;
-- It writes plan items and assessments for its own team only.
BEGIN;
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, created_on)
VALUES (1, 5, 36, 3, '2025-12-31', '2025-05-01');
SELECT test.error_of($$INSERT INTO kbs.plan_item (team_id, block_id, target_level, due_on, created_on) VALUES (3, 36, 3, '2025-12-31', '2025-05-01')$$);
SELECT test.error_of($$INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, created_on) VALUES (1, 8, 36, 3, '2025-12-31', '2025-05-01')$$);
SELECT test.error_of($$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (8, '2025-05-01', 'supervisor', '{11:1}')$$);
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, profile) VALUES (5, '2025-05-01', 'supervisor', 'draft', '{11:2}');
ROLLBACK;
RESET ROLE;

-- Its write rules for real: other teams hold plan items, and every attempt below is
-- checked afterwards as an administrator, who sees all rows.
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on) VALUES
    (2, 8, 36, 3, '2025-12-31', 'planned', '2025-04-01'),
    (3, 12, 33, 4, '2025-12-31', 'planned', '2025-04-01');
CREATE FUNCTION test.write_digest() RETURNS text
LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.plan_item x),
        (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.assessment x),
        (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM kbs.grant x),
        (SELECT string_agg(x::text, ',' ORDER BY x.name) FROM kbs.setting_local x),
        (SELECT string_agg(x::text, ',' ORDER BY x.team_id, x.peildatum) FROM kbs.publication x),
        (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM kbs.published_set x)))
$$;
CREATE TABLE test.digest AS SELECT test.write_digest() AS before;
SET ROLE regress_kbs_coordinator_a;
-- Each statement either fails (42501) or changes no row.
CREATE FUNCTION pg_temp.rows_of(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE sql;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n || ' rows';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT attempt, pg_temp.rows_of(sql) AS result FROM (VALUES
    ('move an own plan item to Zuid', $$UPDATE kbs.plan_item SET team_id = 2 WHERE team_id = 1 AND professional_id = 4$$),
    ('move an own plan item to Anderstad', $$UPDATE kbs.plan_item SET team_id = 3 WHERE team_id = 1 AND professional_id = 4$$),
    ('give an own plan item to a Zuid member', $$UPDATE kbs.plan_item SET professional_id = 8 WHERE team_id = 1 AND professional_id = 4$$),
    ('update Zuid''s plan items', $$UPDATE kbs.plan_item SET status = 'cancelled' WHERE team_id = 2$$),
    ('update Anderstad''s plan items', $$UPDATE kbs.plan_item SET status = 'cancelled' WHERE team_id = 3$$),
    ('delete a plan item', $$DELETE FROM kbs.plan_item WHERE team_id = 1$$),
    ('update a Zuid member''s assessments', $$UPDATE kbs.assessment SET profile = '{11:4}' WHERE professional_id = 8$$),
    ('update an Anderstad member''s assessments', $$UPDATE kbs.assessment SET profile = '{11:4}' WHERE professional_id = 12$$),
    ('move an own assessment to a Zuid member', $$UPDATE kbs.assessment SET professional_id = 8 WHERE professional_id = 5$$),
    ('insert an assessment of a Zuid member', $$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (9, '2025-05-01', 'self', '{11:1}')$$),
    ('insert an assessment of an Anderstad member', $$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (12, '2025-05-01', 'self', '{11:1}')$$),
    ('delete an own assessment', $$DELETE FROM kbs.assessment WHERE professional_id = 5$$),
    ('grant itself team Zuid', $$INSERT INTO kbs.grant (role, team_id) VALUES ('regress_kbs_coordinator_a', 2)$$),
    ('widen its grant', $$UPDATE kbs.grant SET team_id = 2 WHERE team_id = 1$$),
    ('remove a grant', $$DELETE FROM kbs.grant$$),
    ('set a local setting', $$INSERT INTO kbs.setting_local (name, value) VALUES ('min_group_size', '1')$$),
    ('set a setting with set_setting', $$SELECT kbs.set_setting('min_group_size', '1')$$),
    ('publish a cell', $$UPDATE kbs.publication SET published = true, reason = NULL$$),
    ('insert a publication', $$INSERT INTO kbs.publication (team_id, peildatum, min_group_size, assessed, published, snapshot_computed_at) VALUES (2, '2025-01-31', 1, 1, true, now())$$),
    ('decide publication again', $$SELECT kbs.refresh_publication()$$)
) v(attempt, sql);
RESET ROLE;
SELECT before = test.write_digest() AS nothing_changed FROM test.digest;
SELECT team_id, professional_id, block_id, status FROM kbs.plan_item WHERE team_id <> 1 OR professional_id = 4 ORDER BY id;
DELETE FROM kbs.plan_item WHERE team_id <> 1;
DROP TABLE test.digest;

-- Coordinator of all of Voorbeeldstad: both teams, every professional of the municipality.
SET ROLE regress_kbs_coordinator_m;
SELECT id, name FROM kbs.team ORDER BY id;
SELECT count(*) AS professionals, min(id), max(id) FROM kbs.professional;
SELECT c.relname, test.foreign_rows(c.oid, 'GM9999') AS foreign_rows FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'v_benchmark'
   AND test.foreign_rows(c.oid, 'GM9999') > 0;
SELECT peildatum, team_name, members, assessed, published, suppressed FROM kbs.v_team_summary
 WHERE team_id = 2 AND peildatum = '2025-01-31';
RESET ROLE;

-- Policy staff of Voorbeeldstad ----------------------------------------------------------
SET ROLE regress_kbs_policy_a;
-- Every table and view of schema kbs: what it can read at all. Everything else is denied.
SELECT c.relname, test.try_select(c.oid) AS result FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND test.try_select(c.oid) <> 'denied'
 ORDER BY c.relname;
SELECT count(*) > 10 AS denied_relations FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v') AND test.try_select(c.oid) = 'denied';
SELECT * FROM kbs.assessment;
SELECT * FROM kbs.snapshot;
SELECT * FROM kbs.publication;
SELECT * FROM kbs.v_member_block;
SELECT * FROM kbs.v_plan_progress;
-- Nor through functions: they read the tables with the caller's rights.
SELECT test.error_of($$SELECT * FROM kbs.member_profiles_at(1, '2025-01-31')$$);
SELECT test.error_of($$SELECT kbs.team_coverage(1, '2025-01-31')$$);
SELECT test.error_of($$SELECT * FROM kbs.forecast(1, '2025-01-31')$$);
SELECT test.error_of($$SELECT kbs.person_set(1, '2025-01-31')$$);
SELECT test.error_of($$SELECT kbs.refresh_publication()$$);
SELECT test.error_of($$SELECT kbs.refresh_snapshots('2025-01-01', '2025-01-31')$$);
-- No function runs with its owner's rights for it, except trigger functions (which cannot be called).
SELECT p.proname FROM pg_proc p
 WHERE p.pronamespace = 'kbs'::regnamespace AND p.prosecdef AND p.prorettype <> 'trigger'::regtype
   AND has_function_privilege(p.oid, 'EXECUTE');
-- It sees only its own grant.
SELECT role, municipality, team_id FROM kbs.grant;
-- Its municipality's teams; below k = 5 assessed persons (Zuid) or derivable by
-- differencing (Noord in March), the values are NULL and suppressed, never 0.
SELECT peildatum, municipality_code, team_name, members, assessed, stale_share, fulfilment, fulfilment_with_partners,
       published, suppressed
  FROM kbs.v_team_summary ORDER BY team_id, peildatum;
SELECT peildatum, team_name, block_code, min_level, every_member, required, present, shortfall, status_code, suppressed
  FROM kbs.v_team_block_status WHERE peildatum = '2025-03-31' ORDER BY team_id, wheel_order;
SELECT peildatum, team_name, block_code, min_members, carriers, experts, single_carrier, partner_carriers, risk_code, suppressed
  FROM kbs.v_knowledge_risk WHERE peildatum = '2025-01-31' ORDER BY team_id, wheel_order;
-- No row of another municipality, except in the benchmark.
SELECT c.relname, test.foreign_rows(c.oid, 'GM9999') AS foreign_rows FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'v_benchmark'
   AND test.foreign_rows(c.oid, 'GM9999') > 0;
SELECT municipality_code, count(*) AS benchmark_rows FROM kbs.v_benchmark GROUP BY 1 ORDER BY 1;
-- Every value it can read covers at least k = 5 assessed persons.
SELECT 'v_team_summary' AS view, count(*) AS small_unsuppressed FROM kbs.v_team_summary WHERE NOT suppressed AND assessed < 5
UNION ALL
SELECT 'v_team_block_status', count(*) FROM kbs.v_team_block_status WHERE NOT suppressed AND assessed < 5
UNION ALL
SELECT 'v_team_domain_status', count(*) FROM kbs.v_team_domain_status d
 WHERE NOT d.suppressed AND NOT EXISTS (SELECT 1 FROM kbs.v_team_summary s WHERE s.team_id = d.team_id
                                           AND s.peildatum = d.peildatum AND NOT s.suppressed AND s.assessed >= 5)
UNION ALL
SELECT 'v_knowledge_risk', count(*) FROM kbs.v_knowledge_risk d
 WHERE NOT d.suppressed AND NOT EXISTS (SELECT 1 FROM kbs.v_team_summary s WHERE s.team_id = d.team_id
                                           AND s.peildatum = d.peildatum AND NOT s.suppressed AND s.assessed >= 5)
UNION ALL
SELECT 'v_municipality_domain_trend', count(*) FROM kbs.v_municipality_domain_trend WHERE NOT suppressed AND assessed < 5
UNION ALL
SELECT 'v_benchmark', count(*) FROM kbs.v_benchmark
 WHERE (NOT suppressed AND members < 5) OR (NOT others_suppressed AND others_members < 5);
-- Suppressed values are NULL, never 0.
SELECT count(*) AS suppressed_with_values FROM kbs.v_team_block_status
 WHERE suppressed AND (members IS NOT NULL OR required IS NOT NULL OR present IS NOT NULL OR status_code IS NOT NULL);

-- The attack by subtraction: the municipality total minus the visible teams.
-- In January Zuid has 2 members at level 3 in specific income (VS-10 and VS-07);
-- the total holds Noord alone, so subtraction gives 0 for Zuid, not 2.
SELECT t.peildatum, t.carriers AS municipality_carriers,
       (SELECT sum(d.carriers) FROM kbs.v_team_domain_status d
         WHERE d.peildatum = t.peildatum AND d.ring_code = t.ring_code AND d.domain_code = t.domain_code
           AND NOT d.suppressed) AS visible_team_carriers,
       t.carriers - (SELECT sum(d.carriers) FROM kbs.v_team_domain_status d
                      WHERE d.peildatum = t.peildatum AND d.ring_code = t.ring_code AND d.domain_code = t.domain_code
                        AND NOT d.suppressed) AS derived_for_zuid
  FROM kbs.v_municipality_domain_trend t
 WHERE t.ring_code = 'specific' AND t.domain_code = 'income' ORDER BY t.peildatum;
-- In general: every published total equals the sum of the published teams, so
-- no total minus its visible parts leaves anything over, in any group or peildatum.
SELECT count(*) AS totals_with_a_remainder
  FROM kbs.v_municipality_domain_trend t
  LEFT JOIN LATERAL (
      SELECT sum(s.members)::integer AS members, sum(d.required)::integer AS required,
             sum(d.present)::integer AS present, sum(d.shortfall)::integer AS shortfall,
             sum(d.carriers)::integer AS carriers, sum(d.gap_blocks)::integer AS gap_blocks,
             sum(d.fragile_blocks)::integer AS fragile_blocks
        FROM kbs.v_team_domain_status d JOIN kbs.v_team_summary s ON s.team_id = d.team_id AND s.peildatum = d.peildatum
       WHERE d.municipality_code = t.municipality_code AND d.peildatum = t.peildatum AND d.ring_code = t.ring_code
         AND d.domain_code IS NOT DISTINCT FROM t.domain_code AND NOT d.suppressed) v ON true
 WHERE NOT t.suppressed
   AND (t.members IS DISTINCT FROM v.members OR t.required IS DISTINCT FROM v.required
        OR t.present IS DISTINCT FROM v.present OR t.shortfall IS DISTINCT FROM v.shortfall
        OR t.carriers IS DISTINCT FROM v.carriers OR t.gap_blocks IS DISTINCT FROM v.gap_blocks
        OR t.fragile_blocks IS DISTINCT FROM v.fragile_blocks);
SELECT count(*) AS published_totals FROM kbs.v_municipality_domain_trend WHERE NOT suppressed;
-- The attack by differencing over time: VS-07 joined Noord on 1 March. The cells
-- that differ from a published one by him alone (15 and 31 March) are withheld;
-- the next published cell (April) differs from every earlier one in five persons.
SELECT peildatum, carriers, published FROM kbs.v_team_domain_status
 WHERE team_id = 1 AND ring_code = 'specific' AND domain_code = 'income' ORDER BY peildatum;
-- A leaky function in a filter sees only rows the role may see (security barrier).
CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$ BEGIN RAISE NOTICE 'leak: %', $1; RETURN true; END $$;
SELECT count(*) FROM kbs.v_team_summary WHERE peildatum = '2025-01-31' AND pg_temp.leak(team_name);
RESET ROLE;

-- Policy staff of Anderstad: its own teams; Voorbeeldstad only in the benchmark.
SET ROLE regress_kbs_policy_b;
SELECT c.relname, test.foreign_rows(c.oid, 'GM9998') AS foreign_rows FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') AND c.relname <> 'v_benchmark'
   AND test.foreign_rows(c.oid, 'GM9998') > 0;
SELECT peildatum, team_name, members, fulfilment, suppressed FROM kbs.v_team_summary WHERE peildatum = '2025-01-31' ORDER BY team_id;
SELECT peildatum, municipality_code, teams_included, members, fulfilment, others_teams_included, others_members,
       others_fulfilment, others_suppressed
  FROM kbs.v_benchmark WHERE ring_code = 'generic' ORDER BY peildatum, municipality_code;
RESET ROLE;

-- Administrator: everything, but publication decisions are the extension's.
SET ROLE regress_kbs_admin;
SELECT (SELECT count(*) FROM kbs.team) AS teams, (SELECT count(*) FROM kbs.professional) AS professionals,
       (SELECT count(*) FROM kbs.assessment) AS assessments, (SELECT count(*) FROM kbs.snapshot) AS snapshots;
SELECT peildatum, team_name, members, published, suppressed FROM kbs.v_team_summary WHERE team_id = 2 AND peildatum = '2025-01-31';
SELECT test.error_of($$UPDATE kbs.publication SET published = true$$);
RESET ROLE;

-- A role outside the three sees nothing at all.
SET ROLE regress_kbs_nobody;
SELECT test.error_of($$SELECT count(*) FROM kbs.v_benchmark$$);
SELECT test.error_of($$SELECT count(*) FROM kbs.v_wheel$$);
RESET ROLE;

-- Time consistency, as stored: between any two published cells of a team, the
-- assessed members differ in nobody or in at least k = 5 persons.
SELECT a.team_id, a.peildatum AS earlier, b.peildatum AS later,
       kbs.person_set_distance(kbs.person_set(a.team_id, a.peildatum), kbs.person_set(b.team_id, b.peildatum)) AS persons
  FROM kbs.publication a JOIN kbs.publication b ON b.team_id = a.team_id AND b.peildatum > a.peildatum
 WHERE a.published AND b.published AND a.team_id = 1
 ORDER BY 1, 2, 3;
SELECT count(*) AS violating_pairs
  FROM kbs.publication a JOIN kbs.publication b ON b.team_id = a.team_id AND b.peildatum > a.peildatum
 WHERE a.published AND b.published
   AND kbs.person_set_distance(kbs.person_set(a.team_id, a.peildatum), kbs.person_set(b.team_id, b.peildatum)) BETWEEN 1 AND 4;

-- A late change: Centrum's AS-12 is reassessed on 5 March. The snapshots from
-- March on are recomputed; they now differ from the published January and
-- February cells in one person, so they are withheld. The January and
-- February decisions stay as they were.
CREATE TEMP TABLE decided_before AS SELECT team_id, peildatum, decided_at FROM kbs.publication;
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (12, '2025-03-05', 'supervisor', '{11:2,21:1,33:3,36:3}');
-- Before the refresh, policy staff still see Centrum's published March cell,
-- but members_below_floor, counted from today's assessments, is empty there:
-- they are no longer a set that was published. January (AS-12's January
-- assessment) still counts, Centrum 0; Oost is unchanged, 2 (AS-20, AS-21).
SET ROLE regress_kbs_policy_b;
SELECT peildatum, team_name, fulfilment, members_below_floor, suppressed FROM kbs.v_team_summary
 WHERE team_id IN (3, 4) AND peildatum IN ('2025-01-31', '2025-03-31') ORDER BY team_id, peildatum;
RESET ROLE;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') > 0 AS recomputed;
SELECT p.team_id, p.peildatum, p.published, p.reason, p.nearest, p.decided_at = b.decided_at AS decision_kept
  FROM kbs.publication p JOIN decided_before b USING (team_id, peildatum) WHERE p.team_id = 3 ORDER BY p.peildatum;
SET ROLE regress_kbs_policy_b;
SELECT peildatum, team_name, members, fulfilment, suppressed FROM kbs.v_team_summary WHERE team_id = 3 ORDER BY peildatum;
SELECT peildatum, teams, teams_included, members, fulfilment FROM kbs.v_municipality_domain_trend
 WHERE ring_code = 'generic' ORDER BY peildatum;
RESET ROLE;

-- k comes from the setting min_group_size. Raised to 7: decisions taken with 5 no
-- longer count (everything is withheld) until the snapshots are refreshed. Then
-- Noord's March cells have 7 assessed, but they differ from the January set,
-- which was published, in one person (VS-07), and April in five: a stricter k
-- never publishes what is close to something shown before. Nothing is published.
SELECT kbs.set_setting('min_group_size', '7');
SET ROLE regress_kbs_policy_a;
SELECT count(*) FILTER (WHERE NOT suppressed) AS shown, count(*) AS cells FROM kbs.v_team_summary;
RESET ROLE;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') > 0 AS recomputed;
SELECT team_id, peildatum, assessed, nearest, reason FROM kbs.publication WHERE team_id = 1 ORDER BY peildatum;
SET ROLE regress_kbs_policy_a;
SELECT count(*) FILTER (WHERE NOT suppressed) AS shown, count(*) AS cells FROM kbs.v_team_summary;
RESET ROLE;
DELETE FROM kbs.setting_local WHERE name = 'min_group_size';
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') > 0 AS recomputed;
-- Back to 5: the same decisions as before.
SELECT team_id, count(*) FILTER (WHERE published) AS published, count(*) AS cells FROM kbs.publication GROUP BY 1 ORDER BY 1;
-- The sets ever published: Noord two (January, April), Centrum and Oost one each.
SELECT team_id, count(*) AS sets FROM kbs.published_set GROUP BY 1 ORDER BY 1;

-- Clean up: the database and the test roles (the kbs_* group roles stay).
\c postgres
DROP DATABASE kbs_views;
DROP ROLE regress_kbs_coordinator_a, regress_kbs_coordinator_m, regress_kbs_policy_a, regress_kbs_policy_b,
          regress_kbs_admin, regress_kbs_nobody;
