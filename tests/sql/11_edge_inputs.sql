-- Edge inputs for every public function of schema kbs: NULL in every argument
-- position, empty values, huge inputs (100,000-element arrays and sets, block
-- id 32767, text at the 4 MB input cap), unknown block ids and mismatched
-- types. Every call shows a clear error with its SQLSTATE, or an answer that is
-- compared with a plain-SQL oracle where that is cheap.
--
-- Completeness is checked at the end: the test runs in one transaction with
-- track_functions = 'all', and pg_stat_xact_user_functions lists the functions
-- it called. A new function of kbs that no call reaches makes the last queries
-- print it (and so fails this test).
--
-- It runs in a database of its own, so that earlier tests' data (teams, local
-- blocks, settings) cannot change its answers; everything is rolled back.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS kbs_edge;
RESET client_min_messages;
CREATE DATABASE kbs_edge;
\c kbs_edge
CREATE EXTENSION kennisbouwstenen;
-- The benchmark side of a federation needs postgres_fdw; section 1 adds this
-- database to itself as a member (over a connection of its own).
CREATE EXTENSION postgres_fdw;
-- The benchmark's login on the member: a policy login (federation_add refuses one that reads persons).
CREATE ROLE regress_kbs_edge_benchmark LOGIN IN ROLE kbs_policy;
-- A member database for the federation calls of section 1, committed so that the
-- benchmark's own connection sees it: one team of five, assessed, with a published cell.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS kbs_edge_member;
RESET client_min_messages;
CREATE DATABASE kbs_edge_member;
\c kbs_edge_member
CREATE EXTENSION kennisbouwstenen;
INSERT INTO kbs.municipality VALUES ('GM9102', 'Federatiestad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES (1, 'GM9102', 'Team Lid', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) SELECT p, 'GM9102', 'F-' || p FROM generate_series(1, 5) p;
INSERT INTO kbs.membership (professional_id, team_id, during) SELECT p, 1, '[2024-01-01,)' FROM generate_series(1, 5) p;
INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (1, '[2024-01-01,)', '{11:1/all,31:3/1}');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile)
SELECT p, '2025-01-10', 'supervisor', CASE WHEN p = 1 THEN '{11:2,31:3}' ELSE '{11:1,31:1}' END::kbs.profile
  FROM generate_series(1, 5) p;
SELECT count(*) AS member_snapshots FROM kbs.refresh_snapshots('2025-01-31', '2025-01-31');
INSERT INTO kbs.grant (role, municipality) VALUES ('regress_kbs_edge_benchmark', 'GM9102');
SELECT count(*) AS exported_cells FROM kbs.v_export_cell;
\c kbs_edge
CREATE SCHEMA test;
\i tests/sql/include/error_of.sql
-- The rows of a query as text (one column: its value as JSON; more: the row as
-- a JSON object; rows joined by ' | '), or 'SQLSTATE: message'.
CREATE FUNCTION test.show(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
    st text;
    msg text;
BEGIN
    EXECUTE 'SELECT string_agg(CASE WHEN (SELECT count(*) FROM jsonb_object_keys(y.j)) = 1
                                    THEN (SELECT v::text FROM jsonb_each(y.j) e(k, v)) ELSE y.j::text END,
                               '' | '' ORDER BY y.o)
               FROM (SELECT to_jsonb(x) AS j, row_number() OVER () AS o FROM (' || q || ') x) y' INTO r;
    RETURN coalesce(r, '(no rows)');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END
$$;

-- Count calls of every function, and start from no pending counts: the
-- extension's install script called functions too.
SET track_functions = 'all';
SELECT pg_stat_force_next_flush();
BEGIN;
SET LOCAL datestyle = ISO;
-- An endless loop (an infinite date range, say) fails the test instead of hanging it.
SET LOCAL statement_timeout = '60s';
-- kbs on the path for its operators; calls below still name the schema.
SET LOCAL search_path = public, kbs;
SET LOCAL extra_float_digits = 0;
SET LOCAL kbs.as_of = '2025-06-30';
-- How the federation calls reach the member database: pg_regress sets PGHOST and PGPORT
-- when it is given a server; without them libpq's defaults (make installcheck).
\getenv pghost PGHOST
\getenv pgport PGPORT
\if :{?pghost}
\else
\set pghost ''
\endif
\if :{?pgport}
\else
\set pgport ''
\endif
SELECT set_config('test.conninfo', concat_ws(' ', 'host=' || nullif(:'pghost', ''), 'port=' || nullif(:'pgport', ''),
                                             'dbname=kbs_edge_member'), true) <> '' AS conninfo_set;
SELECT count(*) AS calls_counted_before_the_test
  FROM pg_stat_xact_user_functions WHERE schemaname = 'kbs';

-- ===========================================================================
-- Data: one municipality, a team with three members (one left), an empty
-- team, a requirement, a knowledge partner, a round and a plan item.
-- ===========================================================================
INSERT INTO kbs.municipality VALUES ('GM9101', 'Randstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9101', 'Team Rand', '[2024-01-01,)'),
    (2, 'GM9101', 'Team Leeg', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) VALUES (1, 'GM9101', 'R-1'), (2, 'GM9101', 'R-2'), (3, 'GM9101', 'R-3');
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES
    (1, 1, '[2024-01-01,)'), (2, 1, '[2024-01-01,2025-01-01)'), (3, 1, '[2025-01-01,)');
INSERT INTO kbs.assessment_round (id, municipality, name, peildatum, status) VALUES (1, 'GM9101', 'najaar 2024', '2024-10-01', 'final');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, round_id, profile) VALUES
    (1, '2024-10-01', 'supervisor', 'final', 1, '{11:3,21:1,31:na,33:2}'),
    (2, '2024-10-01', 'self', 'final', 1, '{11:2,21:0,31:4}');
-- person 3 is never assessed
INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES
    (1, '[2024-01-01,)', '{11:2/all,21:1/all,31:3/1,33:2/2@3}');
INSERT INTO kbs.partner (id, municipality, organisation, profile, during) VALUES (1, 'GM9101', 'Schuldhulp', '{31:3,33:4}', '[2024-01-01,)');
INSERT INTO kbs.partner_team VALUES (1, 1);
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on) VALUES
    (1, 1, 33, 3, '2025-12-31', 'in_progress', '2025-01-01');
CREATE SEQUENCE test.n;
SELECT kbs.add_block('edge.retire_me', 'Blok om te laten vervallen', 'generic') AS local_block;
-- The rows above name their ids; rows the imports add come after them.
SELECT setval(pg_get_serial_sequence('kbs.team', 'id'), 2) AS team_ids, setval(pg_get_serial_sequence('kbs.professional', 'id'), 3) AS professional_ids,
       setval(pg_get_serial_sequence('kbs.assessment_round', 'id'), 1) AS round_ids;

-- ===========================================================================
-- 1. NULL in every argument position, for every function that SQL can call
-- directly (aggregates follow in section 6; functions taking `internal` are
-- not callable from SQL). Each function has one valid call (null_arg 0), then
-- one call per argument with that argument NULL, then all arguments NULL.
-- STRICT functions give no row ('(no rows)' for set-returning ones, null
-- otherwise); the others must give a clear error or a sensible answer.
-- ===========================================================================
CREATE TABLE test.sample (
    ord  serial,
    fn   regprocedure PRIMARY KEY,
    args text[] NOT NULL,        -- SQL expressions of a valid call
    wrap text                    -- shown instead of the rows: format(wrap, call)
);
INSERT INTO test.sample (fn, args, wrap) VALUES
    -- catalogue
    ('kbs.add_block(text,text,text,text,text,text)',
     ARRAY[$$'edge.add' || nextval('test.n')$$, $$'Aspect van inkomen'$$, $$'general'$$, $$'income'$$, $$'general.income'$$, $$'Toelichting'$$], NULL),
    ('kbs.load_blocks(kbs.block_input[],text)',
     ARRAY[$$ARRAY[ROW(NULL, 'edge.load' || nextval('test.n'), NULL, 'generic', NULL, 'Geladen', NULL)::kbs.block_input]$$, $$'geladen'$$], NULL),
    ('kbs.csv_records(text,text)', ARRAY[$$E'code;name\nx;"a;b"'$$, $$';'$$], NULL),
    ('kbs.import_blocks(text,text)',
     ARRAY[$$format(E'code,name,ring\nedge.import%s,Geimporteerd,target_group', nextval('test.n'))$$, $$'import'$$], NULL),
    ('kbs.retire_block(text,text)', ARRAY[$$'edge.retire_me'$$, $$'vervallen'$$], NULL),
    ('kbs.block_id_of(text)', ARRAY[$$'generic.relationships'$$], NULL),
    -- kbs.profile
    ('kbs.profile_eq(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{31:na, 11:3}'::kbs.profile$$], NULL),
    ('kbs.profile_ne(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_cmp(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_lt(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_le(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_gt(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_ge(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:3,31:0}'::kbs.profile$$], NULL),
    ('kbs.profile_hash(kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$], 'SELECT %s = kbs.profile_hash(''{ 31 : na , 11 : 3 }'') AS same_hash'),
    ('kbs.profile_hash_extended(kbs.profile,bigint)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, '7'],
     'SELECT %s = kbs.profile_hash_extended(''{ 31 : na , 11 : 3 }'', 7) AS same_hash'),
    ('kbs.level(kbs.profile,integer)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, '11'], NULL),
    ('kbs.entries(kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$], NULL),
    ('kbs.entry_count(kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$], NULL),
    ('kbs.merge_max(kbs.profile,kbs.profile)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, $$'{11:1,31:0,32:na}'::kbs.profile$$], NULL),
    ('kbs.raise(kbs.profile,integer,integer)', ARRAY[$$'{11:3,31:na}'::kbs.profile$$, '31', '2'], NULL),
    ('kbs.profile_from_jsonb(jsonb)', ARRAY[$$'{"generic.relationships": 3, "31": "na", "32": null}'::jsonb$$], NULL),
    ('kbs.raise_bad_level(text,jsonb)', ARRAY[$$'generic.relationships'$$, $$'5'::jsonb$$], NULL),
    ('kbs.profile_jsonb(kbs.profile)', ARRAY[$$'{11:3,31:na,999:1}'::kbs.profile$$], NULL),
    ('kbs.unknown_blocks(kbs.profile)', ARRAY[$$'{11:3,999:1,32767:0}'::kbs.profile$$], NULL),
    -- kbs.requirement
    ('kbs.requirement_eq(kbs.requirement,kbs.requirement)', ARRAY[$$'{11:1/all,31:3/2@3}'::kbs.requirement$$, $$'{31:3/2@3, 11:1/all@2}'::kbs.requirement$$], NULL),
    ('kbs.requirement_ne(kbs.requirement,kbs.requirement)', ARRAY[$$'{11:1/all,31:3/2@3}'::kbs.requirement$$, $$'{11:1/all,31:3/2}'::kbs.requirement$$], NULL),
    ('kbs.requirement_hash(kbs.requirement)', ARRAY[$$'{11:1/all,31:3/2@3}'::kbs.requirement$$],
     'SELECT %s = kbs.requirement_hash(''{31:3/2@3, 11:1/all@2}'') AS same_hash'),
    ('kbs.requirement_hash_extended(kbs.requirement,bigint)', ARRAY[$$'{11:1/all,31:3/2@3}'::kbs.requirement$$, '-1'],
     'SELECT %s = kbs.requirement_hash_extended(''{31:3/2@3, 11:1/all@2}'', -1) AS same_hash'),
    ('kbs.entries(kbs.requirement)', ARRAY[$$'{11:1/all,31:3/2@3}'::kbs.requirement$$], NULL),
    ('kbs.requirement_from_jsonb(jsonb)', ARRAY[$$'{"generic.relationships": {"level": 1, "members": "all"}, "31": {"level": 3, "members": 2, "importance": 3}}'::jsonb$$], NULL),
    ('kbs.check_block_keys(jsonb)', ARRAY[$$'{"generic.relationships": 1, "31": 2}'::jsonb$$], NULL),
    ('kbs.requirement_jsonb(kbs.requirement)', ARRAY[$$'{11:1/all,999:3/2@3}'::kbs.requirement$$], NULL),
    ('kbs.unknown_blocks(kbs.requirement)', ARRAY[$$'{11:1/all,5000:3/2,32767:1/1}'::kbs.requirement$$], NULL),
    -- kbs.coverage
    ('kbs.coverage_eq(kbs.coverage,kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, $$'(3){ 11 : 0,1,1,0,0,1 ; 12:0,0,0,0,0,0 }'::kbs.coverage$$], NULL),
    ('kbs.coverage_ne(kbs.coverage,kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, $$'(4){11:0,1,1,0,0,1}'::kbs.coverage$$], NULL),
    ('kbs.coverage_hash(kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$],
     'SELECT %s = kbs.coverage_hash(''(3){ 11 : 0,1,1,0,0,1 ; 12:0,0,0,0,0,0 }'') AS same_hash'),
    ('kbs.coverage_hash_extended(kbs.coverage,bigint)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, '0'],
     'SELECT %s = kbs.coverage_hash_extended(''(3){ 11 : 0,1,1,0,0,1 ; 12:0,0,0,0,0,0 }'', 0) AS same_hash'),
    ('kbs.members(kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$], NULL),
    ('kbs.count_at_least(kbs.coverage,integer,integer)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, '11', '1'], NULL),
    ('kbs.histogram(kbs.coverage,integer)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, '11'], NULL),
    ('kbs.entries(kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1;32767:0,0,0,0,1,0}'::kbs.coverage$$], NULL),
    ('kbs.coverage_add(kbs.coverage,kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1}'::kbs.coverage$$, $$'(2){11:1,0,0,0,0,0;31:0,0,0,0,2,0}'::kbs.coverage$$], NULL),
    ('kbs.coverage_jsonb(kbs.coverage)', ARRAY[$$'(3){11:0,1,1,0,0,1;999:0,0,0,1,0,0}'::kbs.coverage$$], NULL),
    -- gaps (docs/semantics.md §3)
    ('kbs.gaps(kbs.coverage,kbs.requirement)', ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$], NULL),
    ('kbs.fulfilment(kbs.coverage,kbs.requirement)', ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$], NULL),
    ('kbs.shortfall(kbs.coverage,kbs.requirement)', ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$], NULL),
    ('kbs.gain(kbs.coverage,kbs.requirement,kbs.profile)', ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$, $$'{11:1,33:2}'::kbs.profile$$], NULL),
    ('kbs.compose(kbs.coverage,kbs.requirement,kbs.profile[],integer)',
     ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$,
           $$ARRAY['{11:0}', NULL, '{11:1,33:2}', '{11:2,33:3}']::kbs.profile[]$$, '3'], NULL),
    ('kbs.person_gaps(kbs.profile,kbs.requirement)', ARRAY[$$'{11:0,12:na,31:1}'::kbs.profile$$, $$'{11:1/all,12:1/all,13:2/all@1,31:3/1}'::kbs.requirement$$], NULL),
    ('kbs.fulfilment_with_partners(kbs.coverage,kbs.coverage,kbs.requirement)',
     ARRAY[$$'(3){11:0,1,1,0,0,1;31:0,0,0,1,0,0}'::kbs.coverage$$, $$'(1){33:0,0,1,0,0,0}'::kbs.coverage$$, $$'{11:1/all,31:3/1@3,33:2/2}'::kbs.requirement$$], NULL),
    -- settings and people over time
    ('kbs.setting_value(text)', ARRAY[$$'stale_after'$$], NULL),
    ('kbs.setting_interval(text)', ARRAY[$$'stale_after'$$], NULL),
    ('kbs.setting_of_kind(text,text)', ARRAY[$$'min_group_size'$$, $$'integer'$$], NULL),
    ('kbs.setting_integer(text)', ARRAY[$$'min_group_size'$$], NULL),
    ('kbs.set_setting(text,text)', ARRAY[$$'plan_due_after'$$, $$'3 months'$$], NULL),
    ('kbs.point_range(integer)', ARRAY['7'], NULL),
    ('kbs.source_rank(text)', ARRAY[$$'supervisor'$$], NULL),
    ('kbs.member_profiles_at(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.team_coverage(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.team_requirement_at(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.partner_coverage(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.snapshot_frozen(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.peildata(integer,date,date)', ARRAY['1', $$'2024-09-15'$$, $$'2024-12-01'$$], NULL),
    ('kbs.refresh_snapshots(date,date)', ARRAY[$$'2024-09-01'$$, $$'2025-01-31'$$], NULL),
    ('kbs.propose_plan(integer,date)', ARRAY['1', $$'2025-01-31'$$],
     'SELECT professional_id, block_id, target_level, due_on, status FROM %s'),
    ('kbs.forecast(integer,date)', ARRAY['1', $$'2025-01-31'$$], NULL),
    ('kbs.plan_status_at(kbs.plan_item,date)',
     ARRAY[$$ROW(1, 1, NULL, 11, 2, '2025-06-30', 'done', '2025-01-01', '2025-02-01', '2025-03-01', NULL)::kbs.plan_item$$,
           $$'2025-02-15'$$], NULL),
    ('kbs.plan_item_open(kbs.plan_item,date)',
     ARRAY[$$ROW(1, 1, NULL, 11, 2, '2025-06-30', 'done', '2025-01-01', '2025-02-01', '2025-03-01', NULL)::kbs.plan_item$$,
           $$'2025-02-15'$$], NULL),
    ('kbs.apply_retention(date)', ARRAY[$$'2027-06-30'$$], NULL),
    -- views' helpers
    ('kbs.granted(text,integer)', ARRAY[$$'GM9101'$$, '1'], NULL),
    ('kbs.as_of()', ARRAY[]::text[], NULL),
    ('kbs.person_set(integer,date)', ARRAY['1', $$'2024-12-31'$$], NULL),
    ('kbs.person_set_distance(jsonb,jsonb)', ARRAY[$$'{"1": 5, "2": 6}'::jsonb$$, $$'{"1": 5, "2": 7, "3": 8}'::jsonb$$], NULL),
    ('kbs.publication_decide(integer,date)', ARRAY['1', $$'-infinity'$$], NULL),
    ('kbs.publication_decide_teams(integer[],date[])', ARRAY['ARRAY[1, 2]', $$ARRAY['-infinity', '2025-01-01']::date[]$$], NULL),
    ('kbs.refresh_publication(integer)', ARRAY['1'], NULL),
    ('kbs.status_label(text)', ARRAY[$$'fragile'$$], NULL),
    ('kbs.source_label(text)', ARRAY[$$'peer'$$], NULL),
    ('kbs.importance_label(integer)', ARRAY['3'], NULL),
    ('kbs.ratio(numeric,numeric)', ARRAY['2', '3'], NULL),
    -- dashboards (snapshots of team 1 exist from refresh_snapshots above)
    ('kbs.dashboard_peildatum(text,integer,date)', ARRAY[$$'GM9101'$$, '1', $$'2024-12-31'$$], NULL),
    ('kbs.dashboard_legend()', ARRAY[]::text[],
     $$SELECT jsonb_array_length(x->'scale') AS scale, jsonb_array_length(x->'domains') AS domains FROM %s x$$),
    ('kbs.dashboard_municipality(text,date)', ARRAY[$$'GM9101'$$, $$'2024-12-31'$$],
     $$SELECT x->>'peildatum' AS peildatum, jsonb_array_length(x->'teams') AS teams, jsonb_array_length(x->'heatmap') AS cells, jsonb_array_length(x->'trend') AS trend, x->'plan' IS NOT NULL AS plan FROM %s x$$),
    ('kbs.dashboard_team(integer,date)', ARRAY['1', $$'2024-12-31'$$],
     $$SELECT x->'team'->>'name' AS team, x->>'peildatum' AS peildatum, jsonb_array_length(x->'wheel') AS wheel, jsonb_array_length(x->'gaps') AS gaps, jsonb_array_length(x->'trend') AS trend, x->'person' IS NOT NULL AS person FROM %s x$$),
    ('kbs.dashboard_teams(text,date)', ARRAY[$$'GM9101'$$, $$'2024-12-31'$$], NULL),
    -- imports (sql/67_import.sql): dry runs, so that nothing below sees their rows;
    -- the round is opened at a month end, which is a peildatum already
    ('kbs.import_date(text)', ARRAY[$$' 31-12-2024 '$$], NULL),
    ('kbs.import_problem_text(kbs.import_problem)', ARRAY[$$ROW('22023', 2, 5, 3, 'level "7" is out of range', NULL)::kbs.import_problem$$], NULL),
    ('kbs.import_fail(kbs.import_problem[],text)', ARRAY[$$'{}'::kbs.import_problem[]$$, $$'niets'$$], NULL),
    ('kbs.require_admin(text)', ARRAY[$$'test'$$], NULL),
    ('kbs.open_round(text,text,date)', ARRAY[$$'GM9101'$$, $$'edge ronde'$$, $$'2025-06-30'$$], NULL),
    ('kbs.import_people(text,text,date,boolean)',
     ARRAY[$$E'team;ref;start\nTeam Rand;R-1;2024-01-01\nTeam Rand;R-3;2025-01-01\nTeam Nieuw;R-4;2025-02-01'$$, $$'GM9101'$$,
           $$'2025-06-30'$$, 'true'], NULL),
    ('kbs.import_assessments(text,text,date,text,text,text,boolean)',
     ARRAY[$$E'ref;generic.relationships;specific.income\nR-1;3;na\nR-3;;'$$, $$'GM9101'$$, $$'2025-06-01'$$, $$'self'$$,
           $$'draft'$$, $$'edge ronde'$$, 'true'], NULL),
    ('kbs.import_requirement(text,integer,date,boolean)',
     ARRAY[$$E'block,level,members,importance\ngeneric.relationships,2,iedereen,\nspecific.income,3,1,3'$$, '2', $$'2025-06-01'$$, 'true'], NULL),
    ('kbs.finalise_round(text,text,text)', ARRAY[$$'GM9101'$$, $$'edge ronde'$$, $$'teamleider'$$], NULL),
    -- federation (sql/85_federation.sql): kbs_edge_member joins as member "edge"; the
    -- national page is read while it is a member
    ('kbs.federation_require_fdw()', ARRAY[]::text[], NULL),
    ('kbs.federation_check_name(text)', ARRAY[$$'regio_noord'$$], NULL),
    ('kbs.federation_conninfo(text)', ARRAY[$$'host=db.example port = 5432 dbname=''kennis bouw\'' stenen'''$$], NULL),
    ('kbs.federation_local_version()', ARRAY[]::text[],
     $$SELECT %s = (SELECT extversion FROM pg_extension WHERE extname = 'kennisbouwstenen') AS this_version$$),
    ('kbs.federation_check_row(text,text,text,text,text)',
     ARRAY[$$'edge'$$, 'kbs.federation_local_version()', $$'GM9101'$$, $$'edge'$$, $$'edge'$$], NULL),
    ('kbs.federation_add(text,text,text,text)',
     ARRAY[$$'edge'$$, $$current_setting('test.conninfo')$$, $$'regress_kbs_edge_benchmark'$$, $$'geheim'$$], NULL),
    ('kbs.federation_status()', ARRAY[]::text[],
     $$SELECT member, reachable, version_matches, municipalities, teams, last_peildatum, problem FROM %s$$),
    ('kbs.dashboard_national(date)', ARRAY[$$'2025-01-31'$$],
     $$SELECT x->>'peildatum' AS peildatum, x->'summary' AS summary, jsonb_array_length(x->'trend') AS trend,
              x->'municipalities'->0->>'fulfilment' AS fulfilment, jsonb_array_length(x->'coverage') AS coverage FROM %s x$$),
    ('kbs.federation_remove(text)', ARRAY[$$'edge'$$], NULL);

-- The calls run in this order (ord, then the NULL position), one at a time.
SELECT q.fn, q.null_arg,
       test.show(CASE WHEN q.wrap IS NULL THEN 'SELECT * FROM ' || q.call ELSE format(q.wrap, q.call) END) AS result
  FROM (SELECT s.ord, s.fn, s.wrap, c.null_arg, c.pos, c.call
          FROM test.sample s
         CROSS JOIN LATERAL (SELECT proname, proargtypes::oid[] AS types FROM pg_proc WHERE oid = s.fn) p
         CROSS JOIN LATERAL (
            SELECT i::text AS null_arg, i AS pos,
                   format('kbs.%I(%s)', p.proname,
                          array_to_string(ARRAY(SELECT CASE WHEN k = i THEN format('NULL::%s', format_type(t, NULL)) ELSE s.args[k] END
                                                  FROM unnest(p.types) WITH ORDINALITY a(t, k) ORDER BY k), ', ')) AS call
              FROM generate_series(0, cardinality(p.types)) i
            UNION ALL
            SELECT 'all', cardinality(p.types) + 1,
                   format('kbs.%I(%s)', p.proname,
                          array_to_string(ARRAY(SELECT format('NULL::%s', format_type(t, NULL))
                                                  FROM unnest(p.types) WITH ORDINALITY a(t, k) ORDER BY k), ', '))
             WHERE cardinality(p.types) > 1
         ) c
         ORDER BY s.ord, c.pos) q
 ORDER BY q.ord, q.pos;

-- ===========================================================================
-- 2. kbs.profile: empty values, block ids at and past the bounds, huge
-- profiles, text at the input cap.
-- ===========================================================================
-- The empty profile everywhere.
SELECT '{}'::kbs.profile AS empty, kbs.entry_count('{}') AS n, kbs.level('{}', 11) AS level,
       (SELECT count(*) FROM kbs.entries('{}'::kbs.profile)) AS entries, kbs.merge_max('{}', '{}') AS merged,
       kbs.raise('{}', 11, 0) AS raised, kbs.profile_jsonb('{}') AS jsonb, kbs.unknown_blocks('{}'::kbs.profile) AS unknown,
       '{}'::kbs.profile = '{ }'::kbs.profile AS eq, kbs.profile_cmp('{}', '{1:0}') AS cmp;
-- Empty and near-empty text, and the SQL NULL.
SELECT v, test.show(format('SELECT %L::kbs.profile', v)) AS result
  FROM unnest(ARRAY['', ' ', '{', '}', '{}}', 'null', 'NULL', E'{\t}']) v;
SELECT NULL::text::kbs.profile IS NULL AS null_stays_null;
-- Block ids: 1 and 32767 are the bounds; 999 and 5000 are valid ids outside
-- the catalogue (the type does not know the catalogue); 0, -1, 32768 and a
-- value that would wrap to 11 in 32 bits are refused.
SELECT v, test.show(format('SELECT %L::kbs.profile', v)) AS result
  FROM unnest(ARRAY['{1:0}', '{32767:4}', '{999:1,5000:na}', '{00011:1}', '{0:1}', '{-1:1}', '{32768:1}', '{4294967307:1}']) v;
SELECT b AS block_id, kbs.level('{1:0,11:3,999:2,32767:4}', b) AS level,
       test.show(format('SELECT kbs.raise(%L, %s, 4)', '{1:0,11:3,999:2,32767:4}', b)) AS raise_to_4
  FROM unnest(ARRAY[-2147483648, -1, 0, 1, 11, 999, 5000, 32767, 32768, 2147483647]) b;
SELECT l AS level, test.show(format('SELECT kbs.raise(''{11:3}'', 11, %s)', l)) AS raise_11
  FROM unnest(ARRAY[-1, 0, 3, 4, 5]) l;
-- The largest profile: every block id once (the aggregate and the text agree).
CREATE TABLE test.full_profile AS
SELECT kbs.profile_agg(i, CASE WHEN i % 6 = 5 THEN 'na' ELSE (i % 6)::text END) AS p,
       ('{' || string_agg(i || ':' || CASE WHEN i % 6 = 5 THEN 'na' ELSE (i % 6)::text END, ',' ORDER BY i) || '}')::kbs.profile AS oracle
  FROM generate_series(1, 32767) i;
SELECT kbs.entry_count(p) AS n, p = oracle AS agg_equals_text, length(p::text) AS text_length,
       kbs.level(p, 32767) AS level_32767, kbs.level(p, 32765) AS level_32765_na,
       kbs.merge_max(p, '{}') = p AS merge_empty, kbs.raise(p, 32765, 0) = kbs.raise(oracle, 32765, 0) AS raise_na,
       (SELECT count(*) FROM kbs.entries(p) e WHERE NOT e.applicable) AS na_entries,
       kbs.profile_hash(p) = kbs.profile_hash(oracle) AS same_hash,
       cardinality(kbs.unknown_blocks(p)) AS unknown_blocks
  FROM test.full_profile;
-- Text at the input cap (4 MB = 4194304 bytes): the cap itself passes, one byte more does not.
SELECT n AS bytes, test.show(format('SELECT length(%L::kbs.profile::text)', '{1:1' || repeat(' ', n - 5) || '}')) AS result
  FROM unnest(ARRAY[4194304, 4194305]) n;

-- ===========================================================================
-- 3. kbs.requirement and kbs.coverage: the same edges.
-- ===========================================================================
SELECT '{}'::kbs.requirement AS empty_requirement, (SELECT count(*) FROM kbs.entries('{}'::kbs.requirement)) AS entries,
       kbs.requirement_jsonb('{}') AS jsonb, kbs.unknown_blocks('{}'::kbs.requirement) AS unknown,
       '(0){}'::kbs.coverage AS empty_coverage, kbs.members('(0){}') AS members, kbs.histogram('(0){}', 11) AS histogram,
       kbs.count_at_least('(0){}', 11, 0) AS at_least_0, (SELECT count(*) FROM kbs.entries('(0){}'::kbs.coverage)) AS c_entries,
       kbs.coverage_add('(0){}', '(0){}') AS added, kbs.coverage_jsonb('(0){}') AS c_jsonb;
SELECT v, test.show(format('SELECT %L::kbs.requirement', v)) AS result
  FROM unnest(ARRAY['', '{}', '{1:1/1}', '{32767:4/2147483647@3}', '{999:1/all,5000:2/3@1}', '{0:1/1}', '{32768:1/1}',
                    '{11:0/1}', '{11:5/1}', '{11:1/0}', '{11:1/2147483648}', '{11:1/ALL}', '{11:1/all@0}', '{11:1/all@4}',
                    '{11:1/1,11:2/2}']) v;
SELECT v, test.show(format('SELECT %L::kbs.coverage', v)) AS result
  FROM unnest(ARRAY['', '(0){}', '()', '(0)', '{}', '(1){32767:0,0,0,0,1,0}', '(2147483647){1:0,0,0,0,0,2147483647}',
                    '(2147483648){}', '(1){11:1,1,0,0,0,0}', '(1){0:1,0,0,0,0,0}', '(1){32768:1,0,0,0,0,0}',
                    '(1){11:1,0,0,0,0}', '(1){11:0,0,0,0,0,0}', '(3){11:1,0,0,0,0,0;11:1,0,0,0,0,0}']) v;
SELECT b AS block_id, kbs.count_at_least('(5){1:1,0,0,0,0,1;11:0,1,1,1,1,0;32767:0,0,0,0,2,0}', b, 0) AS at_least_0,
       kbs.histogram('(5){1:1,0,0,0,0,1;11:0,1,1,1,1,0;32767:0,0,0,0,2,0}', b) AS histogram
  FROM unnest(ARRAY[-1, 0, 1, 11, 999, 32767, 32768]) b;
SELECT l AS level, test.show(format('SELECT kbs.count_at_least(''(5){11:0,1,1,1,1,0}'', 11, %s)', l)) AS at_least
  FROM unnest(ARRAY[-1, 0, 4, 5]) l;
-- Member counts at the limit: adding one more member is an error, not a wrap.
SELECT test.show($$SELECT kbs.coverage_add('(2147483646){1:0,0,0,0,0,1}', '(1){1:0,0,0,0,1,0}')$$) AS at_limit,
       test.show($$SELECT kbs.coverage_add('(2147483647){}', '(1){}')$$) AS past_limit;
-- Requirement and coverage text at the input cap.
SELECT n AS bytes, test.show(format('SELECT length(%L::kbs.requirement::text)', '{1:1/1' || repeat(' ', n - 7) || '}')) AS requirement,
       test.show(format('SELECT length(%L::kbs.coverage::text)', '(1){1:1,0,0,0,0,0' || repeat(' ', n - 18) || '}')) AS coverage
  FROM unnest(ARRAY[4194304, 4194305]) n;

-- ===========================================================================
-- 4. Mismatched types: one type where another is expected, explicit casts,
-- and the argument types PostgreSQL does or does not resolve.
-- ===========================================================================
SELECT q, test.error_of(q) AS result FROM unnest(ARRAY[
    $$SELECT '{11:1/all}'::kbs.requirement::kbs.profile$$,
    $$SELECT kbs.level('{11:1/all}'::kbs.requirement::text::kbs.profile, 11)$$,
    $$SELECT '(1){11:0,0,0,1,0,0}'::kbs.coverage::text::kbs.profile$$,
    $$SELECT '{11:3}'::kbs.profile::text::kbs.requirement$$,
    $$SELECT '{11:3}'::kbs.profile::text::kbs.coverage$$,
    $$SELECT kbs.level('{11:1/all}'::kbs.requirement, 11)$$,
    $$SELECT kbs.members('{11:3}'::kbs.profile)$$,
    $$SELECT * FROM kbs.gaps('{11:1/all}'::kbs.requirement, '(1){}'::kbs.coverage)$$,
    $$SELECT kbs.gain('(1){}', '{11:1/all}', '(1){}'::kbs.coverage)$$,
    $$SELECT * FROM kbs.entries(NULL)$$,
    $$SELECT kbs.unknown_blocks(NULL)$$,
    $$SELECT '{11:3}'::kbs.profile::jsonb::kbs.requirement$$,
    $$SELECT '{11:1/all}'::kbs.requirement::jsonb::kbs.profile$$,
    $$SELECT '(1){11:0,0,0,1,0,0}'::kbs.coverage::jsonb::kbs.profile$$,
    $$SELECT '{"11": 3}'::json::kbs.profile$$,
    $$SELECT '(1){11:0,0,0,1,0,0}'::kbs.coverage = '{11:3}'::kbs.profile$$,
    $$SELECT '{11:3}'::kbs.profile + '{11:3}'::kbs.profile$$,
    $$SELECT '{11:1/all}'::kbs.requirement < '{11:1/all}'::kbs.requirement$$,
    $$SELECT kbs.level('{11:3}', 11::bigint)$$,
    $$SELECT kbs.level('{11:3}', 11.0)$$,
    $$SELECT kbs.raise('{11:3}', '11', 'na')$$,
    $$SELECT kbs.profile_agg(11, 3::bigint)$$,
    $$SELECT kbs.requirement_agg(11, 1, 'all')$$,
    $$SELECT kbs.compose('(1){}', '{11:1/1}', ARRAY['{11:3}'], 1)$$,
    $$SELECT kbs.compose('(1){}', '{11:1/1}', '{{"{11:3}"},{"{}"}}'::kbs.profile[], 1)$$,
    $$SELECT kbs.compose('(1){}', '{11:1/1}', '{"{11:3}","{11:}"}'::kbs.profile[], 1)$$,
    $$SELECT kbs.load_blocks(ARRAY[ROW('a', 'b')]::kbs.block_input[], 'x')$$,
    $$SELECT kbs.load_blocks('{"(,edge.short,,generic,,Kort)"}', 'x')$$,
    $$SELECT kbs.person_set_distance('[1]', '{}')$$,
    $$SELECT kbs.person_set_distance('"x"', '{"1": 1}')$$
  ]) q;
-- What PostgreSQL resolves: smallint and unknown literals for integer, text
-- literals for the text form of profile_agg, an array literal for profile[].
SELECT kbs.level('{11:3}', 11::smallint) AS smallint_id, kbs.level('{11:3}', '11') AS literal_id,
       kbs.count_at_least('(1){11:0,0,0,1,0,0}', 11::smallint, '3') AS at_least,
       (SELECT kbs.profile_agg(b::smallint, l::smallint) FROM (VALUES (11, 3)) v(b, l)) AS smallint_agg,
       (SELECT kbs.profile_agg(11, 'na')) AS literal_agg,
       (SELECT kbs.requirement_agg(11::smallint, 2::smallint, NULL, '3')) AS requirement_agg,
       kbs.compose('(1){}', '{31:3/1}', '{"{}","{31:3}"}', 1) AS literal_array,
       kbs.compose('(1){}', '{31:3/1}', '[5:6]={"{}","{31:3}"}'::kbs.profile[], 2) AS lower_bound_5_gives_position_2;

-- ===========================================================================
-- 5. Gap functions against a plain-SQL oracle (docs/semantics.md §3) over empty, small,
-- na-heavy and limit-sized coverages and requirements.
-- ===========================================================================
CREATE FUNCTION test.gaps_oracle(c kbs.coverage, r kbs.requirement)
RETURNS TABLE (block_id integer, min_level smallint, min_members integer, importance smallint,
               needed bigint, present bigint, shortfall bigint, spare bigint, unassessed bigint, status text)
LANGUAGE sql AS $$
    SELECT q.block_id, q.min_level, q.min_members, q.importance, q.needed, q.present,
           greatest(q.needed - q.present, 0), q.present - q.needed, q.unassessed,
           CASE WHEN q.needed - q.present > q.unassessed THEN 'gap'
                WHEN q.needed > q.present THEN 'unknown'
                WHEN NOT q.every_member AND q.needed > 0 AND q.present = q.needed THEN 'fragile'
                ELSE 'met' END
      FROM (SELECT e.block_id, e.min_level, e.min_members, e.importance, e.every_member,
                   CASE WHEN e.every_member THEN m.n - coalesce(ce.na, 0) ELSE e.min_members END AS needed,
                   coalesce(ce.level4::bigint, 0) + CASE WHEN e.min_level <= 3 THEN coalesce(ce.level3, 0) ELSE 0 END
                   + CASE WHEN e.min_level <= 2 THEN coalesce(ce.level2, 0) ELSE 0 END
                   + CASE WHEN e.min_level <= 1 THEN coalesce(ce.level1, 0) ELSE 0 END AS present,
                   -- members with neither a level nor na on the block
                   m.n - coalesce(ce.level0::bigint + ce.level1 + ce.level2 + ce.level3 + ce.level4 + ce.na, 0) AS unassessed
              FROM (SELECT kbs.members(c)::bigint AS n OFFSET 0) m  -- once, not per row
             CROSS JOIN kbs.entries(r) e LEFT JOIN kbs.entries(c) ce ON ce.block_id = e.block_id) q
$$;
CREATE FUNCTION test.shortfall_oracle(c kbs.coverage, r kbs.requirement) RETURNS bigint
LANGUAGE sql AS $$ SELECT coalesce(sum(g.shortfall), 0) FROM test.gaps_oracle(c, r) g $$;
CREATE TABLE test.cov (label text, c kbs.coverage);
INSERT INTO test.cov VALUES
    ('empty', '(0){}'), ('one, nothing assessed', '(1){}'), ('three, two na', '(3){11:0,0,0,1,0,2;31:0,0,0,0,1,0}'),
    ('five', '(5){11:1,1,1,1,1,0;31:0,0,2,2,0,1;32767:0,0,0,0,0,5}'),
    ('limit', '(2147483647){11:0,0,0,0,2147483647,0;31:0,0,0,0,0,2147483647}'),
    ('every block', (SELECT kbs.coverage_agg(p) FROM test.full_profile, generate_series(1, 3)));
CREATE TABLE test.req (label text, r kbs.requirement);
INSERT INTO test.req VALUES
    ('empty', '{}'), ('floor', '{11:1/all}'), ('mixed', '{11:4/1@3,31:2/2,33:1/all@1}'),
    ('bounds', '{1:4/2147483647,32767:1/all}'), ('two huge', '{11:1/2147483647,31:1/2147483647}'),
    ('every block', (SELECT kbs.requirement_agg(i, i % 4 + 1, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 7 + 1 END, i % 3 + 1)
                       FROM generate_series(1, 32767) i));
CREATE TABLE test.pair_rows AS
SELECT c.label AS coverage, r.label AS requirement, 'kbs' AS side, g.* FROM test.cov c, test.req r, kbs.gaps(c.c, r.r) g
UNION ALL
SELECT c.label, r.label, 'oracle', g.* FROM test.cov c, test.req r, test.gaps_oracle(c.c, r.r) g;
WITH diff AS (
    SELECT d.coverage, d.requirement, count(*) FILTER (WHERE d.k <> d.o) AS mismatches
      FROM (SELECT x.coverage, x.requirement, count(*) FILTER (WHERE x.side = 'kbs') AS k, count(*) FILTER (WHERE x.side = 'oracle') AS o
              FROM test.pair_rows x
             GROUP BY x.coverage, x.requirement, x.block_id, x.min_level, x.min_members, x.importance, x.needed, x.present,
                      x.shortfall, x.spare, x.unassessed, x.status) d
     GROUP BY 1, 2
), oracle AS (
    SELECT x.coverage, x.requirement, count(*) FILTER (WHERE x.side = 'kbs') AS gap_rows,
           CASE WHEN coalesce(sum(x.needed) FILTER (WHERE x.side = 'oracle'), 0) = 0 THEN 1.0::float8
                ELSE sum(least(x.present, x.needed)) FILTER (WHERE x.side = 'oracle')::float8
                     / sum(x.needed) FILTER (WHERE x.side = 'oracle')::float8 END AS fulfilment,
           sum(x.shortfall) FILTER (WHERE x.side = 'oracle') AS shortfall
      FROM test.pair_rows x GROUP BY 1, 2
)
SELECT c.label AS coverage, r.label AS requirement, coalesce(d.mismatches, 0) AS gaps_mismatches,
       coalesce(o.gap_rows, 0) AS gap_rows,
       kbs.fulfilment(c.c, r.r) = coalesce(o.fulfilment, 1.0) AS fulfilment_ok,
       round(kbs.fulfilment(c.c, r.r)::numeric, 6) AS fulfilment,
       test.show(format('SELECT kbs.shortfall(%L::kbs.coverage, %L::kbs.requirement)', c.c, r.r)) AS shortfall,
       coalesce(o.shortfall, 0) AS shortfall_oracle
  FROM test.cov c CROSS JOIN test.req r
  LEFT JOIN diff d ON d.coverage = c.label AND d.requirement = r.label
  LEFT JOIN oracle o ON o.coverage = c.label AND o.requirement = r.label
 ORDER BY c.label, r.label;
-- gain = shortfall(C) - shortfall(C + p), with C + p built by coverage_agg.
CREATE TABLE test.cand (label text, p kbs.profile);
INSERT INTO test.cand VALUES ('empty', '{}'), ('na everywhere', '{1:na,11:na,31:na,33:na,32767:na}'),
    ('all level 4', '{1:4,11:4,31:4,33:4,32767:4}'), ('unknown blocks only', '{999:4,5000:4}');
SELECT c.label AS coverage, r.label AS requirement, p.label AS candidate, kbs.gain(c.c, r.r, p.p) AS gain,
       CASE WHEN kbs.members(c.c) < 2147483647
            THEN test.shortfall_oracle(c.c, r.r) - test.shortfall_oracle(c.c + (SELECT kbs.coverage_agg(x) FROM (SELECT p.p) v(x)), r.r) END AS oracle
  FROM test.cov c CROSS JOIN test.req r CROSS JOIN test.cand p
 WHERE c.label <> 'every block' AND r.label <> 'every block'
 ORDER BY 1, 2, 3;
-- person_gaps against its definition: every-member entries the person misses, na exempts.
SELECT p.label AS candidate, r.label AS requirement,
       (SELECT count(*) FROM (SELECT * FROM kbs.person_gaps(p.p, r.r) EXCEPT ALL
                              SELECT e.block_id, e.min_level, kbs.level(p.p, e.block_id), e.importance
                                FROM kbs.entries(r.r) e
                               WHERE e.every_member AND coalesce(kbs.level(p.p, e.block_id), -1) < e.min_level
                                 AND NOT EXISTS (SELECT 1 FROM kbs.entries(p.p) pe WHERE pe.block_id = e.block_id AND NOT pe.applicable)) x) AS extra_rows,
       (SELECT count(*) FROM kbs.person_gaps(p.p, r.r)) AS rows
  FROM test.cand p CROSS JOIN test.req r
 ORDER BY 1, 2;
-- compose against a greedy oracle built on gain; 100,000 candidates with a known answer.
CREATE FUNCTION test.compose_oracle(c kbs.coverage, r kbs.requirement, cands kbs.profile[], k integer) RETURNS integer[]
LANGUAGE plpgsql AS $$
DECLARE
    picked integer[] := '{}';
    best integer;
    best_gain integer;
    g integer;
    lo integer := coalesce(array_lower(cands, 1), 1);
BEGIN
    WHILE cardinality(picked) < k LOOP
        best := NULL;
        best_gain := 0;
        FOR i IN 1 .. coalesce(cardinality(cands), 0) LOOP
            CONTINUE WHEN i = ANY (picked);
            g := kbs.gain(c, r, coalesce(cands[lo + i - 1], '{}'));
            IF g > best_gain THEN
                best := i;
                best_gain := g;
            END IF;
        END LOOP;
        EXIT WHEN best IS NULL;
        picked := picked || best;
        c := c + (SELECT kbs.coverage_agg(x) FROM (SELECT cands[lo + best - 1]) v(x));
    END LOOP;
    RETURN picked;
END
$$;
SELECT c.label AS coverage, k, kbs.compose(c.c, '{11:4/1@3,31:2/2,33:1/all@1}', a, k) AS picked,
       kbs.compose(c.c, '{11:4/1@3,31:2/2,33:1/all@1}', a, k) = test.compose_oracle(c.c, '{11:4/1@3,31:2/2,33:1/all@1}', a, k) AS oracle_agrees
  FROM test.cov c
 CROSS JOIN (VALUES (ARRAY['{}', NULL, '{11:4,33:0}', '{31:2,33:1}', '{31:3,33:na}', '{11:3,31:2,33:1}', '{33:4}']::kbs.profile[])) v(a)
 CROSS JOIN unnest(ARRAY[0, 1, 2, 10, 2147483647]) k
 WHERE c.label IN ('empty', 'one, nothing assessed', 'three, two na', 'five')
 ORDER BY 1, 2;
CREATE TABLE test.many AS
SELECT ARRAY(SELECT CASE WHEN i = 99999 THEN '{31:4,32:4}'::kbs.profile WHEN i = 77777 THEN '{31:3}'
                         WHEN i % 10 = 0 THEN NULL WHEN i % 2 = 0 THEN '{33:4}' ELSE '{}' END
               FROM generate_series(1, 100000) i) AS a;
SELECT cardinality(a) AS candidates, kbs.compose('(0){}', '{31:3/2,32:3/1}', a, 0) AS k0,
       kbs.compose('(0){}', '{31:3/2,32:3/1}', a, 1) AS k1, kbs.compose('(0){}', '{31:3/2,32:3/1}', a, 2147483647) AS all_picks,
       kbs.compose('(0){}', '{}', a, 5) AS empty_requirement,
       kbs.compose('(0){}', '{31:3/2,32:3/1}', ARRAY(SELECT NULL::kbs.profile FROM generate_series(1, 100000)), 5) AS all_null
  FROM test.many;

-- ===========================================================================
-- 6. Aggregates: NULL in every argument position, the empty set, 100,000
-- rows, parallel plans, window frames, and support functions used in the
-- wrong aggregate.
-- ===========================================================================
-- NULL arguments: a row with a NULL block or level is not assessed; a NULL
-- min_level is an error, a NULL min_members means every member, a NULL
-- importance the default; a NULL profile is a member with nothing assessed for
-- coverage_agg and no row at all for coverage_merge_agg and merge_max_agg.
SELECT q, test.show(q) AS result FROM unnest(ARRAY[
    $$SELECT kbs.profile_agg(b, l) FROM (VALUES (NULL::integer, 3), (11, NULL), (NULL, NULL), (12, 2)) v(b, l)$$,
    $$SELECT kbs.profile_agg(b, l) FROM (VALUES (NULL::integer, 'na'), (11, NULL::text), (NULL, NULL)) v(b, l)$$,
    $$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (NULL::integer, 1, 1), (11, 2, NULL::integer), (NULL, NULL, NULL)) v(b, l, m)$$,
    $$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (11, NULL::integer, 1)) v(b, l, m)$$,
    $$SELECT kbs.requirement_agg(b, l, m, w) FROM (VALUES (NULL::integer, 1, 1, 1), (11, 2, 1, NULL::integer), (12, 1, NULL, 3)) v(b, l, m, w)$$,
    $$SELECT kbs.requirement_agg(b, l, m, w) FROM (VALUES (11, NULL::integer, NULL::integer, NULL::integer)) v(b, l, m, w)$$,
    $$SELECT kbs.coverage_agg(p) FROM (VALUES (NULL::kbs.profile), (NULL), ('{11:2}')) v(p)$$,
    $$SELECT kbs.coverage_merge_agg(c) FROM (VALUES (NULL::kbs.coverage), ('(2){11:0,0,1,0,0,0}')) v(c)$$,
    $$SELECT kbs.coverage_merge_agg(c) FROM (VALUES (NULL::kbs.coverage)) v(c)$$,
    $$SELECT kbs.merge_max_agg(p) FROM (VALUES (NULL::kbs.profile), ('{11:na}'), (NULL), ('{11:0,12:na}')) v(p)$$,
    $$SELECT kbs.merge_max_agg(p) FROM (VALUES (NULL::kbs.profile)) v(p)$$
  ]) q;
-- Zero rows: the coverage aggregates give the empty coverage (as count gives 0), the others NULL.
SELECT kbs.profile_agg(b, l) AS profile_agg, kbs.profile_agg(b, l::text) AS profile_agg_text,
       kbs.requirement_agg(b, l, l) AS requirement_agg, kbs.requirement_agg(b, l, l, l) AS requirement_agg_4,
       kbs.coverage_agg(NULL::kbs.profile) AS coverage_agg, kbs.coverage_merge_agg(NULL::kbs.coverage) AS coverage_merge_agg,
       kbs.merge_max_agg(NULL::kbs.profile) AS merge_max_agg
  FROM (VALUES (1, 1)) v(b, l) WHERE false;
-- Values out of range, and duplicates.
SELECT q, test.error_of(q) AS result FROM unnest(ARRAY[
    $$SELECT kbs.profile_agg(11, 5)$$, $$SELECT kbs.profile_agg(11, -1)$$, $$SELECT kbs.profile_agg(0, 1)$$,
    $$SELECT kbs.profile_agg(32768, 1)$$, $$SELECT kbs.profile_agg(-1, 1)$$, $$SELECT kbs.profile_agg(11, '5')$$, $$SELECT kbs.profile_agg(11, '12')$$,
    $$SELECT kbs.profile_agg(11, 'NA')$$, $$SELECT kbs.profile_agg(11, '')$$, $$SELECT kbs.profile_agg(11, ' 3')$$,
    $$SELECT kbs.profile_agg(b, 1) FROM (VALUES (11), (12), (11)) v(b)$$,
    $$SELECT kbs.requirement_agg(11, 0, 1)$$, $$SELECT kbs.requirement_agg(11, 5, 1)$$, $$SELECT kbs.requirement_agg(11, 1, 0)$$,
    $$SELECT kbs.requirement_agg(11, 1, -1)$$, $$SELECT kbs.requirement_agg(0, 1, 1)$$, $$SELECT kbs.requirement_agg(32768, 1, 1)$$,
    $$SELECT kbs.requirement_agg(11, 1, 1, 0)$$, $$SELECT kbs.requirement_agg(11, 1, 1, 4)$$,
    $$SELECT kbs.requirement_agg(b, 1, 1) FROM (VALUES (11), (11)) v(b)$$,
    $$SELECT kbs.requirement_agg(32767, 4, 2147483647, 3)$$
  ]) q;
-- 100,000 rows: ids past 32767 and duplicates are errors; the coverage of
-- 100,000 profiles (every tenth NULL) equals the counts done in plain SQL.
SELECT test.error_of($$SELECT kbs.profile_agg(i, i % 5) FROM generate_series(1, 100000) i$$) AS profile_ids_past_32767,
       test.error_of($$SELECT kbs.profile_agg(i % 32767 + 1, i % 5) FROM generate_series(1, 100000) i$$) AS profile_duplicates,
       test.error_of($$SELECT kbs.requirement_agg(i, 1, NULL) FROM generate_series(1, 100000) i$$) AS requirement_ids_past_32767,
       test.error_of($$SELECT kbs.requirement_agg(i % 32767 + 1, 1, 1) FROM generate_series(1, 100000) i$$) AS requirement_duplicates;
CREATE TABLE test.rows AS
SELECT i, i % 32767 + 1 AS b, CASE WHEN i % 7 = 6 THEN 'na' ELSE (i % 7 % 5)::text END AS l,
       CASE WHEN i % 10 = 0 THEN NULL ELSE ('{' || (i % 32767 + 1) || ':' || CASE WHEN i % 7 = 6 THEN 'na' ELSE (i % 7 % 5)::text END || '}')::kbs.profile END AS p
  FROM generate_series(1, 100000) i;
ANALYZE test.rows;
CREATE TABLE test.rows_oracle AS
SELECT ('(' || (SELECT count(*) FROM test.rows) || '){' ||
        string_agg(format('%s:%s,%s,%s,%s,%s,%s', b, c0, c1, c2, c3, c4, cna), ';' ORDER BY b) || '}')::kbs.coverage AS c
  FROM (SELECT b, count(*) FILTER (WHERE l = '0') c0, count(*) FILTER (WHERE l = '1') c1, count(*) FILTER (WHERE l = '2') c2,
               count(*) FILTER (WHERE l = '3') c3, count(*) FILTER (WHERE l = '4') c4, count(*) FILTER (WHERE l = 'na') cna
          FROM test.rows WHERE p IS NOT NULL GROUP BY b) x;
SELECT kbs.coverage_agg(p) = (SELECT c FROM test.rows_oracle) AS coverage_agg_ok,
       kbs.members(kbs.coverage_agg(p)) AS members, kbs.histogram(kbs.coverage_agg(p), 32767) AS histogram_32767,
       kbs.coverage_agg(p) FILTER (WHERE false) AS no_rows
  FROM test.rows;
-- coverage_merge_agg and merge_max_agg over 100,000 rows (on 50 blocks: both
-- re-encode their whole state per row) against plain-SQL counts and maxima.
WITH x AS (SELECT i % 50 + 1 AS b, i % 6 AS k FROM generate_series(1, 100000) i)
SELECT (SELECT kbs.coverage_merge_agg(('(1){' || b || ':' || array_to_string(ARRAY(SELECT (j = k)::integer FROM generate_series(0, 5) j), ',') || '}')::kbs.coverage)
          FROM x)
     = (SELECT ('(100000){' || string_agg(b || ':' || counts, ';' ORDER BY b) || '}')::kbs.coverage
          FROM (SELECT b, format('%s,%s,%s,%s,%s,%s', count(*) FILTER (WHERE k = 0), count(*) FILTER (WHERE k = 1),
                                 count(*) FILTER (WHERE k = 2), count(*) FILTER (WHERE k = 3),
                                 count(*) FILTER (WHERE k = 4), count(*) FILTER (WHERE k = 5)) AS counts
                  FROM x GROUP BY b) y) AS coverage_merge_agg_ok,
       (SELECT kbs.merge_max_agg(('{' || b || ':' || CASE WHEN k = 5 THEN 'na' ELSE k::text END || '}')::kbs.profile) FROM x WHERE b <> 50 OR k = 5)
     = (SELECT kbs.profile_agg(b, lv)
          FROM (SELECT b, coalesce(max(k) FILTER (WHERE k < 5)::text, 'na') AS lv
                  FROM x WHERE b <> 50 OR k = 5 GROUP BY b) y) AS merge_max_agg_ok;
-- Parallel plans with edge inputs: the combine, serial and deserial steps see
-- empty partial states, all-NULL rows and block 32767.
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
ALTER FUNCTION kbs.coverage_agg_combinefn(internal, internal) COST 1;
ALTER FUNCTION kbs.coverage_agg_serialfn(internal) COST 1;
ALTER FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) COST 1;
CREATE FUNCTION test.plan_has_partial(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
    found_partial boolean := false;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        found_partial := found_partial OR line ~ 'Partial (Hash|Group)?Aggregate';
    END LOOP;
    RETURN found_partial;
END
$$;
SELECT test.plan_has_partial('SELECT kbs.coverage_agg(p) FROM test.rows') AS coverage_agg_partial,
       test.plan_has_partial('SELECT kbs.coverage_merge_agg(kbs.coverage_add(''(0){}'', ''(1){}'')) FROM test.rows') AS merge_partial;
SELECT kbs.coverage_agg(p) = (SELECT c FROM test.rows_oracle) AS parallel_ok,
       kbs.coverage_agg(p) FILTER (WHERE false) AS parallel_no_rows,
       kbs.coverage_agg(NULL::kbs.profile) AS parallel_all_null,
       kbs.coverage_agg(p) FILTER (WHERE b = 32767) AS parallel_block_32767,
       kbs.coverage_merge_agg('(1){32767:0,0,0,0,1,0}'::kbs.coverage) FILTER (WHERE i % 1000 = 0) AS parallel_merge
  FROM test.rows;
SELECT i % 3 AS part, kbs.members(kbs.coverage_agg(p)) AS members, kbs.coverage_agg(p) FILTER (WHERE p IS NULL) AS only_nulls
  FROM test.rows GROUP BY 1 ORDER BY 1;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
ALTER FUNCTION kbs.coverage_agg_combinefn(internal, internal) COST 200;
ALTER FUNCTION kbs.coverage_agg_serialfn(internal) COST 200;
ALTER FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) COST 200;
-- Window frames: coverage_agg finalizes the same state more than once; the
-- aggregates whose final step sorts their state refuse to be window functions.
SELECT i, kbs.coverage_agg(p) OVER w AS coverage_so_far, kbs.coverage_merge_agg(c) OVER w AS merged_so_far,
       kbs.merge_max_agg(p) OVER w AS max_so_far
  FROM (VALUES (1, '{1:1}'::kbs.profile, '(1){32767:1,0,0,0,0,0}'::kbs.coverage), (2, NULL, NULL), (3, '{1:na,32767:4}', '(0){}')) v(i, p, c)
WINDOW w AS (ORDER BY i) ORDER BY i;
SELECT test.error_of($$SELECT kbs.profile_agg(i, 1) OVER (ORDER BY i) FROM generate_series(1, 3) i$$) AS profile_agg_window,
       test.error_of($$SELECT kbs.requirement_agg(i, 1, NULL) OVER (ORDER BY i) FROM generate_series(1, 3) i$$) AS requirement_agg_window;
-- The support functions take `internal`, so SQL cannot call them directly;
-- an aggregate of one's own can, with the state of another aggregate: that
-- is an error, never a read of a foreign state.
SELECT test.error_of($$SELECT kbs.profile_agg_finalfn(NULL)$$) AS direct_call;
CREATE AGGREGATE test.mixed_profile_coverage(integer, integer) (SFUNC = kbs.profile_agg_transfn, STYPE = internal, FINALFUNC = kbs.coverage_agg_finalfn);
CREATE AGGREGATE test.mixed_profile_requirement(integer, integer) (SFUNC = kbs.profile_agg_transfn, STYPE = internal, FINALFUNC = kbs.requirement_agg_finalfn);
CREATE AGGREGATE test.mixed_requirement_profile(integer, integer, integer) (SFUNC = kbs.requirement_agg_transfn, STYPE = internal, FINALFUNC = kbs.profile_agg_finalfn);
CREATE AGGREGATE test.mixed_coverage_profile(kbs.profile) (SFUNC = kbs.coverage_agg_transfn, STYPE = internal, FINALFUNC = kbs.profile_agg_finalfn);
CREATE AGGREGATE test.mixed_text_serial(integer, text) (SFUNC = kbs.profile_agg_text_transfn, STYPE = internal, FINALFUNC = kbs.coverage_agg_serialfn);
CREATE AGGREGATE test.own_serial(kbs.profile) (SFUNC = kbs.coverage_agg_transfn, STYPE = internal, FINALFUNC = kbs.coverage_agg_serialfn);
SELECT q, test.error_of(q) AS result FROM unnest(ARRAY[
    $$SELECT test.mixed_profile_coverage(11, 3)$$,
    $$SELECT test.mixed_profile_requirement(b, 3) FROM generate_series(1, 100) b$$,
    $$SELECT test.mixed_requirement_profile(11, 3, 1)$$,
    $$SELECT test.mixed_coverage_profile('{11:1}')$$,
    $$SELECT test.mixed_text_serial(11, 'na')$$
  ]) q;
-- An aggregate of one's own with the right pair: the serialized state is the stored coverage (2){11:0,1,0,0,0,0}.
SELECT test.own_serial(p) AS serialized_state FROM (VALUES ('{11:1}'::kbs.profile), (NULL)) v(p);

-- ===========================================================================
-- 7. jsonb constructors and their casts.
-- ===========================================================================
SELECT j, test.show(format('SELECT %L::jsonb::kbs.profile', j)) AS profile
  FROM unnest(ARRAY['null', '[]', '"x"', '3', '{}', '{"11": null}', '{"11": 5}', '{"11": -1}', '{"11": 3.0}', '{"11": "3"}',
                    '{"11": "NA"}', '{"11": true}', '{"11": [3]}', '{"0": 1}', '{"32768": 1}', '{"32767": 4, "1": "na"}',
                    '{"999": 1}', '{" 11 ": 1}', '{"00011": 2}', '{"11": 1, "generic.relationships": 2}', '{"": 1}',
                    '{"no.such.block": 1}']) j;
SELECT j, test.show(format('SELECT %L::jsonb::kbs.requirement', j)) AS requirement
  FROM unnest(ARRAY['null', '[]', '{}', '{"11": 1}', '{"11": {}}', '{"11": {"level": 1}}', '{"11": {"members": 1}}',
                    '{"11": {"level": 5, "members": 1}}', '{"11": {"level": 1.5, "members": 1}}',
                    '{"11": {"level": 2, "members": 2.5}}', '{"11": {"level": 2, "members": 1, "importance": 2.5}}',
                    '{"11": {"level": 2.0, "members": 1}}',
                    '{"11": {"level": 1, "members": 0}}', '{"11": {"level": 1, "members": 2147483648}}',
                    '{"11": {"level": 1, "members": "ALL"}}', '{"11": {"level": 1, "members": null}}',
                    '{"11": {"level": 1, "members": 1, "extra": 1}}', '{"11": {"level": 1, "members": 1, "importance": 0}}',
                    '{"32767": {"level": 4, "members": 2147483647, "importance": 3}}', '{"5000": {"level": "1", "members": 1}}',
                    '{"11": {"level": 1, "members": 1}, "generic.relationships": {"level": 2, "members": "all"}}']) j;
-- Round trips through jsonb keep the value, also for ids outside the catalogue.
SELECT p, kbs.profile_jsonb(p)::kbs.profile = p AS profile_round_trip
  FROM unnest(ARRAY['{}', '{1:0,11:3,31:na,999:4,32767:1}']::kbs.profile[]) p;
SELECT r, kbs.requirement_jsonb(r)::kbs.requirement = r AS requirement_round_trip
  FROM unnest(ARRAY['{}', '{1:1/all,11:4/2147483647@3,999:2/1@1,32767:1/all}']::kbs.requirement[]) r;
SELECT (SELECT p FROM test.full_profile)::jsonb::kbs.profile = (SELECT p FROM test.full_profile) AS full_profile_round_trip,
       kbs.coverage_jsonb('(2147483647){32767:0,0,0,0,0,2147483647}') AS coverage_at_limits;

-- ===========================================================================
-- 8. The catalogue: codes at the length limit, the last block id 32767, CSV
-- edges, and the triggers that guard kbs.block (called through the table).
-- ===========================================================================
SELECT q, test.show(q) AS result FROM unnest(ARRAY[
    format('SELECT kbs.add_block(%L, ''Lange code'', ''generic'')', 'e' || repeat('x', 63)),
    format('SELECT kbs.add_block(%L, ''Te lange code'', ''generic'')', 'e' || repeat('x', 64)),
    $$SELECT kbs.add_block('', 'Leeg')$$, $$SELECT kbs.add_block('1abc', 'Cijfer eerst', 'generic')$$,
    $$SELECT kbs.add_block('edge.ring', 'Onbekende ring', 'no_ring')$$, $$SELECT kbs.add_block('edge.noring', 'Geen ring')$$,
    $$SELECT kbs.add_block('edge.domain', 'Onbekend leefgebied', 'specific', 'no_domain')$$,
    $$SELECT kbs.add_block('edge.parent', 'Onbekende ouder', NULL, NULL, 'no.such.parent')$$,
    $$SELECT kbs.add_block('edge.centre', 'Tweede kern', 'centre')$$,
    $$SELECT kbs.add_block('generic.relationships', 'Bestaande code', 'generic')$$,
    $$SELECT kbs.add_block('edge.under_retired', 'Onder vervallen blok', NULL, NULL, 'edge.retire_me')$$,
    $$SELECT kbs.add_block('edge.name', '   ', 'generic')$$,
    $$SELECT kbs.retire_block('centre')$$, $$SELECT kbs.retire_block('no.such.block')$$, $$SELECT kbs.retire_block('')$$,
    $$SELECT kbs.block_id_of('0')$$, $$SELECT kbs.block_id_of('32767')$$, $$SELECT kbs.block_id_of('32768')$$,
    $$SELECT kbs.block_id_of(' 11 ')$$, $$SELECT kbs.block_id_of('')$$, $$SELECT kbs.block_id_of('generic.relationships ')$$,
    $$SELECT kbs.load_blocks('{}', 'leeg')$$, $$SELECT kbs.load_blocks(ARRAY[NULL]::kbs.block_input[], 'null-rij')$$,
    $$SELECT * FROM kbs.load_blocks(ARRAY[ROW(NULL, 'edge.twice', NULL, 'generic', NULL, 'Eén', NULL), ROW(NULL, 'edge.twice', NULL, 'generic', NULL, 'Twee', NULL)]::kbs.block_input[], 'dubbel')$$
  ]) q;
-- Triggers on kbs.block: ids and codes are stable, blocks are never deleted, parents exist.
SELECT q, test.error_of(q) AS result FROM unnest(ARRAY[
    $$UPDATE kbs.block SET code = 'generic.renamed' WHERE id = 11$$,
    $$UPDATE kbs.block SET name = 'Andere naam' WHERE id = 11$$,
    $$DELETE FROM kbs.block WHERE id = 1009$$,
    $$UPDATE kbs.block SET name = 'Nieuwe naam' WHERE id = 1009$$,
    $$UPDATE kbs.block SET parent_id = 5000 WHERE id = 1009$$,
    $$UPDATE kbs.block SET parent_id = 1009 WHERE id = 1009$$,
    $$INSERT INTO kbs.grant (role, team_id) VALUES ('no_such_role', 1)$$,
    $$INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (1, 2, '[2020-01-01,2021-01-01)')$$
  ]) q;
-- CSV: up to 16384 fields a record (Excel's columns), read with arrays that grow
-- as records widen; 100,000 lines; quotes and delimiters.
SELECT test.show(format('SELECT cardinality(fields) FROM kbs.csv_records(%L)', repeat('a,', 63) || 'b')) AS fields_64,
       test.show(format('SELECT cardinality(fields) FROM kbs.csv_records(%L)', repeat('a,', 64) || 'b')) AS fields_65,
       test.show(format('SELECT cardinality(fields) FROM kbs.csv_records(%L)', repeat('a,', 16383) || 'b')) AS fields_16384,
       test.show(format('SELECT cardinality(fields) FROM kbs.csv_records(%L)', repeat('a,', 16384) || 'b')) AS fields_16385;
-- A narrow record, a wide one, a narrow one: each read whole.
SELECT line, cardinality(fields) AS fields, fields[1] AS first, fields[cardinality(fields)] AS last
  FROM kbs.csv_records(E'a,b\n' || repeat('x,', 999) || E'y\n"c\nd",e');
-- The delimiter given, or detected (NULL); anything but one single-byte character
-- other than a quote or line break is refused.
SELECT d, test.show(format('SELECT fields FROM kbs.csv_records(%L, %L)', E'a;b,c\tz', d)) AS records
  FROM unnest(ARRAY[NULL, ';', ',', E'\t', '|', '""', '', ';;', E'\n', E'\r', 'é']) d;
SELECT count(*) AS records, max(line) AS last_line, max(cardinality(fields)) AS widest
  FROM kbs.csv_records('code;name' || repeat(E'\r\nx;"y;""z"""', 100000));
SELECT v, test.show(format('SELECT * FROM kbs.csv_records(%L)', v)) AS records
  FROM unnest(ARRAY['', E'\n\n', ' ', ',', E'a,"b\nc"', 'a,"b', 'a"b', E'\uFEFFcode;name']) v;
SELECT v, test.show(format('SELECT * FROM kbs.import_blocks(%L)', v)) AS imported
  FROM unnest(ARRAY['code,name', E'code,name\n', E'name,code\nNaam,edge.csv_reversed',
                    E'code,name,colour\nedge.c,Kleur,rood', E'code,code\na,b', E'code,name,ring\nedge.short,Kort',
                    E'ring,name\ngeneric,Zonder code', E'code;name;ring\nedge.semicolon;Puntkomma;generic']) v;

-- The largest id: the local id sequence ends at 32767; past it adding fails
-- cleanly, and a profile naming block 32767 is accepted in an assessment.
SELECT setval('kbs.block_local_id_seq', 32766);
SELECT kbs.add_block('edge.last', 'Laatste blok', 'generic') AS last_id;
SELECT test.error_of($$SELECT kbs.add_block('edge.past_last', 'Voorbij het laatste blok', 'generic')$$) AS past_last;
SELECT test.error_of($$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-02-01', 'self', '{11:4,32767:4}')$$) AS assessment_32767,
       test.error_of($$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-02-01', 'self', '{11:4,5000:4}')$$) AS assessment_5000,
       test.error_of($$INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (2, '[2024-01-01,)', '{999:1/all}')$$) AS requirement_999,
       kbs.unknown_blocks('{1:0,999:1,5000:2,32767:3}'::kbs.profile) AS unknown_now;

-- ===========================================================================
-- 9. Settings, time, plans, retention, publication and labels.
-- ===========================================================================
SELECT q, test.show(q) AS result FROM unnest(ARRAY[
    $$SELECT kbs.setting_value('')$$, $$SELECT kbs.setting_value('no_such_setting')$$,
    $$SELECT kbs.setting_integer('stale_after')$$, $$SELECT kbs.setting_interval('min_group_size')$$,
    $$SELECT kbs.setting_interval('no_such_setting')$$, $$SELECT kbs.setting_of_kind('stale_after', 'colour')$$,
    $$SELECT kbs.set_setting('no_such_setting', '1')$$, $$SELECT kbs.set_setting('min_group_size', '0')$$,
    $$SELECT kbs.set_setting('min_group_size', '')$$, $$SELECT kbs.set_setting('min_group_size', '99999999999')$$,
    $$SELECT kbs.set_setting('min_group_size', '2147483647')$$, $$SELECT kbs.set_setting('stale_after', 'abc')$$,
    $$SELECT kbs.set_setting('stale_after', '-1 day')$$, $$SELECT kbs.set_setting('stale_after', 'infinity')$$,
    $$SELECT kbs.point_range(2147483647)$$, $$SELECT kbs.point_range(-2147483648)$$,
    $$SELECT kbs.source_rank('')$$, $$SELECT kbs.source_rank('Team')$$,
    $$SELECT * FROM kbs.peildata(1, '-infinity', '2025-01-01')$$, $$SELECT * FROM kbs.peildata(1, '2025-01-01', 'infinity')$$,
    $$SELECT * FROM kbs.peildata(1, '2025-03-01', '2025-01-01')$$, $$SELECT * FROM kbs.peildata(999, '2025-01-01', '2025-03-01')$$,
    $$SELECT count(*) FROM kbs.peildata(1, '2000-01-01', '2099-12-31')$$,
    $$SELECT kbs.refresh_snapshots('-infinity', '2025-01-01')$$, $$SELECT kbs.refresh_snapshots('2025-03-01', '2025-01-01')$$,
    $$SELECT professional_id, assessment_id, stale FROM kbs.member_profiles_at(1, 'infinity')$$,
    $$SELECT * FROM kbs.member_profiles_at(1, '-infinity')$$, $$SELECT * FROM kbs.member_profiles_at(999, '2025-01-01')$$,
    $$SELECT kbs.team_coverage(2, '2025-01-01')$$, $$SELECT kbs.team_coverage(1, 'infinity')$$,
    $$SELECT kbs.team_requirement_at(1, '-infinity')$$, $$SELECT kbs.partner_coverage(1, '2023-12-31')$$,
    $$SELECT kbs.fulfilment_with_partners('(0){}', '(0){}', '{}')$$, $$SELECT kbs.fulfilment_with_partners('(2){}', '(0){}', '{11:1/all}')$$,
    $$SELECT kbs.fulfilment_with_partners('(2){}', '(2147483647){11:0,0,0,0,2147483647,0}', '{11:1/2147483647,31:1/1}')$$,
    $$SELECT * FROM kbs.propose_plan(2, '2025-01-01')$$, $$SELECT * FROM kbs.propose_plan(999, '2025-01-01')$$,
    $$SELECT * FROM kbs.forecast(2, '2025-01-01')$$,
    $$SELECT * FROM kbs.apply_retention()$$, $$SELECT * FROM kbs.apply_retention(NULL)$$,
    $$SELECT * FROM kbs.apply_retention('-infinity')$$, $$SELECT * FROM kbs.apply_retention('infinity')$$,
    $$SELECT kbs.granted(NULL, NULL)$$, $$SELECT kbs.granted('', -1)$$,
    $$SELECT kbs.person_set(999, '2025-01-01')$$, $$SELECT kbs.person_set(1, 'infinity')$$,
    $$SELECT kbs.person_set_distance('{}', '{}')$$, $$SELECT kbs.person_set_distance('{"1": 1}', '{"1": "removed"}')$$,
    $$SELECT kbs.person_set_distance('{"1": 1, "2": "removed", "3": 7}', '{"1": 1.0, "2": "removed", "4": 7}')$$,
    $$SELECT kbs.publication_decide(999, '2025-01-01')$$, $$SELECT kbs.publication_decide(1, 'infinity')$$,
    $$SELECT kbs.refresh_publication(999)$$,
    $$SELECT kbs.publication_decide_teams('{}', '{}')$$, $$SELECT kbs.publication_decide_teams('{1,2}', '{2025-01-01}')$$,
    $$SELECT kbs.status_label('GAP')$$, $$SELECT kbs.source_label('')$$, $$SELECT kbs.importance_label(0)$$,
    $$SELECT kbs.importance_label(-2147483648)$$,
    $$SELECT kbs.ratio(1, 0)$$, $$SELECT kbs.ratio(0, 0)$$, $$SELECT kbs.ratio(-1, 3)$$, $$SELECT kbs.ratio(1e-10, 1)$$,
    $$SELECT kbs.ratio(1e100, 3)$$,
    -- dashboards: unknown municipality or team, a date without a snapshot, the default date
    $$SELECT kbs.dashboard_municipality('GM0000')$$, $$SELECT kbs.dashboard_municipality('')$$,
    $$SELECT kbs.dashboard_municipality('GM9101', '2024-12-30')$$, $$SELECT kbs.dashboard_municipality('GM9101', 'infinity')$$,
    $$SELECT kbs.dashboard_municipality('GM9101', '-infinity')$$,
    $$SELECT kbs.dashboard_municipality('GM9101')->>'peildatum'$$,
    $$SELECT kbs.dashboard_team(999)$$, $$SELECT kbs.dashboard_team(-1, '2024-12-31')$$,
    $$SELECT kbs.dashboard_team(2147483647)$$, $$SELECT kbs.dashboard_team(1, '2023-12-31')$$,
    $$SELECT kbs.dashboard_team(1)->>'peildatum'$$,
    $$SELECT jsonb_array_length(kbs.dashboard_team(1, '2024-12-31')->'person'->'candidates')$$,
    $$SELECT kbs.dashboard_peildatum('GM9101', 2, '2024-12-31')$$, $$SELECT kbs.dashboard_peildatum('GM0000', NULL, NULL)$$,
    $$SELECT count(*) FROM kbs.dashboard_teams('GM0000', '2024-12-31')$$,
    -- imports: empty, huge and odd arguments (sql/67_import.sql; tests/sql/14_import.sql has the files)
    $$SELECT kbs.import_date('')$$, $$SELECT kbs.import_date(repeat('1', 1000000))$$, $$SELECT kbs.import_date('0001-01-01')$$,
    $$SELECT kbs.import_date('2999-12-31')$$, $$SELECT kbs.import_date('3000-01-01')$$,
    $$SELECT * FROM kbs.import_people('', 'GM9101', '2025-06-30')$$,
    $$SELECT * FROM kbs.import_people(E'team;ref;start\nTeam Rand;R-1;2024-01-01', '', '2025-06-30')$$,
    $$SELECT * FROM kbs.import_people(E'team;ref;start\nTeam Rand;R-1;2024-01-01', 'GM9101', '-infinity')$$,
    $$SELECT * FROM kbs.import_people(repeat(E'\n', 100000), 'GM9101', '2025-06-30')$$,
    $$SELECT * FROM kbs.import_assessments('', 'GM9101', '2025-06-30')$$,
    $$SELECT * FROM kbs.import_assessments(E'ref;centre\nR-1;2', 'GM9101', '2025-06-30', '', '', '', true)$$,
    $$SELECT * FROM kbs.import_assessments(E'ref;centre\nR-1;2', 'GM9101', '-infinity', dry_run => true)$$,
    $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', 2147483647, '2025-06-30')$$,
    $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', -1, '2025-06-30')$$,
    $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;2147483648', 1, '2025-06-30', true)$$,
    $$SELECT kbs.open_round('', 'x', '2025-06-30')$$, $$SELECT kbs.open_round('GM9101', 'x', '-infinity')$$,
    $$SELECT kbs.finalise_round('GM9101', '', 'x')$$,
    $$SELECT kbs.import_problem_text(ROW(NULL, NULL, NULL, NULL, NULL, NULL)::kbs.import_problem)$$,
    $$SELECT kbs.import_problem_text(ROW('22023', 0, 1, NULL, repeat('x', 1000), NULL)::kbs.import_problem)$$,
    $$SELECT kbs.import_fail(ARRAY[ROW('22023', 1, 2, 3, 'x', NULL)::kbs.import_problem], NULL)$$,
    $$SELECT kbs.import_fail(ARRAY[ROW(NULL, NULL, NULL, NULL, NULL, NULL)::kbs.import_problem], 'x')$$
  ]) q;
-- as_of: the session setting, an empty one means today; garbage is refused
-- when it is set, and the setting keeps its value. kbs.* is reserved: a typo
-- is an error, not a silently ignored setting.
SET LOCAL kbs.as_of = '';
SELECT kbs.as_of() = current_date AS empty_means_today;
SET LOCAL kbs.as_of = '2025-06-30';
SELECT test.error_of($$SET LOCAL kbs.as_of = 'garbage'$$) AS garbage,
       test.error_of($$SET LOCAL kbs.as_of = '2025-02-30'$$) AS no_such_day,
       kbs.as_of() AS kept;
SELECT test.error_of($$SET LOCAL kbs.asof = '2025-06-30'$$) AS typo,
       test.error_of($$SELECT set_config('kbs.asof', '2025-06-30', true)$$) AS typo_set_config;
SELECT name, setting, context, vartype FROM pg_settings WHERE name LIKE 'kbs.%' ORDER BY name;
-- kbs.federation_member: a benchmark's connection names the member; only a plain name is taken.
SELECT test.error_of($$SET LOCAL kbs.federation_member = 'Noord; drop'$$) AS bad_member_name,
       test.error_of($$SET LOCAL kbs.federation_member = 'noord'$$) AS member_name,
       current_setting('kbs.federation_member') AS kept;
RESET kbs.federation_member;

-- ===========================================================================
-- 10. Completeness. Every function of kbs that a user can call must have been
-- called above. Not counted here: trigger functions (called through their
-- tables) and type I/O functions (called through casts and literals).
-- pg_stat_xact_user_functions counts the calls of this transaction that
-- completed (SQL functions of kbs are never inlined: they all SET
-- search_path). It cannot count aggregates and their support functions (the
-- executor calls those without the statistics hook), nor a function that
-- always raises; those are listed here by hand, and the list is checked
-- against pg_proc so that it cannot go stale or hide a plain function.
-- ===========================================================================
CREATE TABLE test.untracked (fn regprocedure PRIMARY KEY, how text NOT NULL);
INSERT INTO test.untracked VALUES
    ('kbs.profile_agg(integer,integer)', 'aggregate: sections 2, 4, 6'),
    ('kbs.profile_agg(integer,text)', 'aggregate: sections 2, 6'),
    ('kbs.profile_agg_transfn(internal,integer,integer)', 'support of profile_agg: section 6'),
    ('kbs.profile_agg_text_transfn(internal,integer,text)', 'support of profile_agg: section 6'),
    ('kbs.profile_agg_finalfn(internal)', 'support of profile_agg: section 6'),
    ('kbs.requirement_agg(integer,integer,integer)', 'aggregate: section 6'),
    ('kbs.requirement_agg(integer,integer,integer,integer)', 'aggregate: sections 4, 5, 6'),
    ('kbs.requirement_agg_transfn(internal,integer,integer,integer)', 'support of requirement_agg: section 6'),
    ('kbs.requirement_agg_transfn(internal,integer,integer,integer,integer)', 'support of requirement_agg: section 6'),
    ('kbs.requirement_agg_finalfn(internal)', 'support of requirement_agg: section 6'),
    ('kbs.coverage_agg(kbs.profile)', 'aggregate: sections 5, 6'),
    ('kbs.coverage_agg_transfn(internal,kbs.profile)', 'support of coverage_agg: section 6'),
    ('kbs.coverage_agg_finalfn(internal)', 'support of coverage_agg: section 6'),
    ('kbs.coverage_agg_combinefn(internal,internal)', 'support of coverage_agg: section 6, parallel'),
    ('kbs.coverage_agg_serialfn(internal)', 'support of coverage_agg: section 6, parallel and own aggregate'),
    ('kbs.coverage_agg_deserialfn(bytea,internal)', 'support of coverage_agg: section 6, parallel'),
    ('kbs.coverage_merge_agg(kbs.coverage)', 'aggregate: section 6'),
    ('kbs.merge_max_agg(kbs.profile)', 'aggregate: section 6'),
    ('kbs.raise_bad_level(text,jsonb)', 'always raises: sections 1, 7');
-- The counts of this transaction, read once (the view calls a function per pg_proc row).
CREATE TABLE test.calls AS SELECT funcid, calls FROM pg_stat_xact_user_functions WHERE schemaname = 'kbs';
CREATE VIEW test.callable AS
SELECT p.oid, p.oid::regprocedure AS fn, p.prokind,
       'internal'::regtype = ANY (p.proargtypes::oid[]) AS takes_internal
  FROM pg_proc p
 WHERE p.pronamespace = 'kbs'::regnamespace
   AND p.prorettype <> 'trigger'::regtype
   AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = 'kbs'::regnamespace
                     AND p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze));
SELECT count(*) AS functions, count(*) FILTER (WHERE prokind = 'a') AS aggregates,
       count(*) FILTER (WHERE takes_internal) AS taking_internal,
       (SELECT count(*) FROM test.sample) AS in_null_sweep,
       (SELECT count(*) FROM test.calls s JOIN test.callable c ON c.oid = s.funcid WHERE s.calls > 0) AS calls_counted,
       (SELECT count(*) FROM test.untracked) AS listed_by_hand
  FROM test.callable;
-- Expected: no rows. A function of kbs that no call above reached.
SELECT c.fn AS not_called
  FROM test.callable c
 WHERE NOT EXISTS (SELECT 1 FROM test.calls s WHERE s.funcid = c.oid AND s.calls > 0)
   AND NOT EXISTS (SELECT 1 FROM test.untracked u WHERE u.fn = c.oid)
 ORDER BY 1::text;
-- Expected: no rows. A plain function SQL can call but the NULL sweep of section 1 leaves out.
SELECT c.fn AS missing_from_null_sweep
  FROM test.callable c
 WHERE c.prokind = 'f' AND NOT c.takes_internal
   AND NOT EXISTS (SELECT 1 FROM test.sample s WHERE s.fn = c.oid)
 ORDER BY 1::text;
-- Expected: only kbs.raise_bad_level. A hand-listed function that is neither
-- an aggregate nor takes internal, or that the statistics did count after all.
SELECT u.fn AS listed_but_countable, u.how
  FROM test.untracked u JOIN test.callable c ON c.oid = u.fn
 WHERE (c.prokind <> 'a' AND NOT c.takes_internal)
    OR EXISTS (SELECT 1 FROM test.calls s WHERE s.funcid = u.fn)
 ORDER BY 1::text;
-- Expected: no rows. A hand-listed function that is not a callable function of kbs.
SELECT u.fn AS listed_but_not_callable FROM test.untracked u WHERE NOT EXISTS (SELECT 1 FROM test.callable c WHERE c.oid = u.fn);

ROLLBACK;
-- No federation connection is left open (f: nothing to close; dropping the server closed it).
SELECT postgres_fdw_disconnect_all() AS disconnected;
\c kbs_regress
DROP DATABASE kbs_edge;
DROP DATABASE kbs_edge_member;
DROP ROLE regress_kbs_edge_benchmark;
