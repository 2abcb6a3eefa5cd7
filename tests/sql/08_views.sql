-- The BI views (sql/74_views.sql) on a small fixed data set with hand-checked values.
-- It runs in a database of its own, kbs_views, so that rows other tests leave behind
-- do not count in the benchmark (which covers every municipality); 09_security
-- continues in it and drops it.
CREATE DATABASE kbs_views;
\c kbs_views
SET datestyle = ISO;
-- Plans over tables without statistics look expensive; compiling them (JIT) only costs time here.
SET jit = off;
CREATE EXTENSION kennisbouwstenen;
CREATE SCHEMA test;
\i tests/sql/include/error_of.sql

-- Every view in schema kbs has a comment, and so has every column of it.
SELECT c.relname AS view_without_comment FROM pg_class c
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT c.relname, a.attname AS column_without_comment
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL;
-- The BI views (kbs.v_*), how they run, and how many columns they have.
SELECT c.relname, coalesce(array_to_string(c.reloptions, ', '), '') AS options,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns
  FROM pg_class c WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%'
 ORDER BY c.relname;
-- Standard types only: no kbs type, nothing a BI driver would not know. The one
-- exception is the federation's export (kbs.v_export_cell), which postgres_fdw reads:
-- it carries each published cell's coverage and requirement.
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS non_standard_type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%'
   AND (t.typnamespace = 'kbs'::regnamespace
        OR a.atttypid NOT IN ('integer'::regtype, 'numeric'::regtype, 'double precision'::regtype, 'text'::regtype,
                              'date'::regtype, 'boolean'::regtype, 'timestamp with time zone'::regtype));
SELECT format_type(a.atttypid, NULL) AS type, count(*) AS columns
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'kbs'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'v\_%'
 GROUP BY 1 ORDER BY 1;
-- The wheel view is the catalogue in wheel order.
SELECT wheel_order, ring_code, domain_position, block_id, block_code FROM kbs.v_wheel
 WHERE wheel_order <= 3 OR block_id IN (21, 27, 31, 37, 48) ORDER BY wheel_order;

-- The data set. Voorbeeldstad (GM9999): team Noord with six members (VS-06's
-- assessment dates from 2023 and is stale), team Zuid with four (VS-11 never
-- assessed); VS-07 moves from Zuid to Noord on 1 March 2025; Noord has a round on
-- 15 March and reassesses four members on 10 April. Anderstad (GM9998): teams
-- Centrum and Oost with five members each. Every team has the same requirement:
-- relationships (11) and general physical health (21) at level 1 for every
-- member, specific income (33) at level 3 for one member, specific safety (36)
-- at level 3 for two members (importance 3).
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad'), ('GM9998', 'Anderstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9999', 'Noord', '[2024-01-01,)'),
    (2, 'GM9999', 'Zuid', '[2024-01-01,)'),
    (3, 'GM9998', 'Centrum', '[2024-01-01,)'),
    (4, 'GM9998', 'Oost', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref, discipline) VALUES
    (1, 'GM9999', 'VS-01', 'maatschappelijk werker'), (2, 'GM9999', 'VS-02', 'wijkverpleegkundige'),
    (3, 'GM9999', 'VS-03', 'schuldhulpverlener'), (4, 'GM9999', 'VS-04', 'jeugdverpleegkundige'),
    (5, 'GM9999', 'VS-05', 'ggz-verpleegkundige'), (6, 'GM9999', 'VS-06', 'maatschappelijk werker'),
    (7, 'GM9999', 'VS-07', 'schuldhulpverlener'),
    (8, 'GM9999', 'VS-08', 'wijkverpleegkundige'), (9, 'GM9999', 'VS-09', 'jongerenwerker'),
    (10, 'GM9999', 'VS-10', 'maatschappelijk werker'), (11, 'GM9999', 'VS-11', 'trainee'),
    (12, 'GM9998', 'AS-12', 'maatschappelijk werker'), (13, 'GM9998', 'AS-13', 'wijkverpleegkundige'),
    (14, 'GM9998', 'AS-14', 'jeugdverpleegkundige'), (15, 'GM9998', 'AS-15', 'ggz-verpleegkundige'),
    (16, 'GM9998', 'AS-16', 'schuldhulpverlener'),
    (17, 'GM9998', 'AS-17', 'maatschappelijk werker'), (18, 'GM9998', 'AS-18', 'wijkverpleegkundige'),
    (19, 'GM9998', 'AS-19', 'jongerenwerker'), (20, 'GM9998', 'AS-20', 'ouderenadviseur'),
    (21, 'GM9998', 'AS-21', 'maatschappelijk werker');
-- VS-07 moves from Zuid to Noord on 1 March 2025; VS-11 is in Zuid but never assessed.
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT p, 1, '[2024-01-01,)'::daterange FROM generate_series(1, 6) p
UNION ALL SELECT 7, 2, '[2024-01-01,2025-03-01)'
UNION ALL SELECT 7, 1, '[2025-03-01,)'
UNION ALL SELECT p, 2, '[2024-01-01,)' FROM generate_series(8, 11) p
UNION ALL SELECT p, 3, '[2024-01-01,)' FROM generate_series(12, 16) p
UNION ALL SELECT p, 4, '[2024-01-01,)' FROM generate_series(17, 21) p;
INSERT INTO kbs.team_requirement (team_id, during, requirement, note)
SELECT t, '[2024-01-01,)'::daterange, '{11:1/all,21:1/all,33:3/1,36:3/2@3}', 'voorbeeldeis' FROM generate_series(1, 4) t;
INSERT INTO kbs.assessment_round (id, municipality, name, peildatum, status) VALUES
    (1, 'GM9999', 'voorjaar 2025', '2025-03-15', 'final');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, profile) VALUES
    -- Noord in January; VS-01 also assessed itself that day (the supervisor's counts)
    (1, '2025-01-10', 'supervisor', 'final', '{11:2,21:1,33:3,36:1}'),
    (1, '2025-01-10', 'self', 'final', '{11:3,21:1,33:4,36:2}'),
    (2, '2025-01-10', 'supervisor', 'final', '{11:1,21:0,36:3}'),
    (3, '2025-01-10', 'supervisor', 'final', '{11:3,21:2,33:1,36:2}'),
    (4, '2025-01-10', 'supervisor', 'final', '{11:0,21:na,31:3}'),
    (5, '2025-01-10', 'supervisor', 'final', '{11:1,21:1,33:2}'),
    (5, '2025-03-20', 'self', 'draft', '{11:4,21:4,33:4}'),
    (6, '2023-06-01', 'supervisor', 'final', '{11:1,21:1,36:4}'),
    (7, '2025-01-10', 'supervisor', 'final', '{11:2,21:1,33:3,37:3}'),
    -- Noord's April round: four members reassessed
    (1, '2025-04-10', 'supervisor', 'final', '{11:2,21:1,22:1,23:2,24:1,25:1,26:1,27:1,33:4,36:3}'),
    (2, '2025-04-10', 'supervisor', 'final', '{11:1,21:1,22:1,23:1,24:1,25:1,26:1,27:1,36:3}'),
    (3, '2025-04-10', 'team', 'final', '{11:3,21:2,22:1,23:1,24:1,25:1,26:1,27:1,33:1,36:2}'),
    (4, '2025-04-10', 'supervisor', 'final', '{11:1,21:na,22:1,23:1,24:1,25:1,26:1,27:1,31:3}'),
    -- Zuid
    (8, '2025-01-10', 'supervisor', 'final', '{11:1,21:1,34:3}'),
    (9, '2025-01-10', 'supervisor', 'final', '{11:2,21:1,35:4}'),
    (10, '2025-01-10', 'supervisor', 'final', '{11:1,21:0,33:3}'),
    -- Anderstad
    (12, '2025-01-20', 'supervisor', 'final', '{11:1,21:1,33:3,36:3}'),
    (13, '2025-01-20', 'supervisor', 'final', '{11:1,21:1,36:3}'),
    (14, '2025-01-20', 'supervisor', 'final', '{11:2,21:1}'),
    (15, '2025-01-20', 'supervisor', 'final', '{11:1,21:1}'),
    (16, '2025-01-20', 'supervisor', 'final', '{11:1,21:1,33:4}'),
    (17, '2025-01-20', 'supervisor', 'final', '{11:1,21:1,33:3}'),
    (18, '2025-01-20', 'supervisor', 'final', '{11:1,21:1,36:4}'),
    (19, '2025-01-20', 'supervisor', 'final', '{11:1,21:1}'),
    (20, '2025-01-20', 'supervisor', 'final', '{11:1,21:0}'),
    (21, '2025-01-20', 'supervisor', 'final', '{11:0,21:1}');
INSERT INTO kbs.partner (id, municipality, organisation, profile, during) VALUES
    (1, 'GM9999', 'Schuldhulp Voorbeeldstad', '{33:4,36:3}', '[2024-01-01,)');
INSERT INTO kbs.partner_team VALUES (1, 1), (1, 2);
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on, started_on, done_on) VALUES
    (1, 4, 11, 1, '2025-06-30', 'done', '2025-02-01', '2025-02-15', '2025-04-10'),
    (1, 2, 21, 1, '2025-03-31', 'in_progress', '2025-02-01', '2025-03-01', NULL),
    (1, 5, 33, 3, '2025-09-30', 'planned', '2025-04-01', NULL, NULL),
    (1, NULL, 36, 3, '2025-12-31', 'proposed', '2025-04-01', NULL, NULL),
    (1, 3, 36, 3, '2025-12-31', 'cancelled', '2025-04-01', NULL, NULL);
-- Peildata: month ends January to April, and Voorbeeldstad's round on 15 March.
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS snapshots;

-- Publication decisions with k = 5. Noord: 6 assessed in January and February
-- (published; February differs from January in no one); from 1 March VS-07 is
-- there too: 7 assessed but only one person differs from the published
-- January/February cells, so March is withheld (differencing); in April four
-- members have a new assessment, so the cell differs from every published one
-- in five persons (VS-01..04 and VS-07): published. Zuid: 4, then 3 assessed:
-- never published. Centrum and Oost: 5 assessed, unchanged: always published.
SELECT team_id, peildatum, assessed, nearest, published, reason FROM kbs.publication ORDER BY team_id, peildatum;

-- As an administrator (here: the superuser) every value is shown; published
-- tells what kbs_policy would see. Noord in January: 11 met by 5 of 6 (VS-04
-- has 0), 21 by 4 of the 5 it applies to (VS-04 na, VS-02 has 0), 33 by VS-01
-- only (fragile), 36 by VS-02 and VS-06 (fragile); fulfilment 12/14.
-- Zuid in January: VS-11 has no assessment, so 11 (4 of 5, the fifth is VS-11) is
-- unknown, not a gap; 21 misses VS-10 (level 0) as well: 3 of 5, short by 2 > 1
-- unassessed, a gap; nobody has 36 (5 unassessed): unknown. Oost: everyone is
-- assessed, so 11 and 21 are gaps, but only AS-18 has 36 and four are unassessed on it:
-- unknown.
SELECT peildatum, team_name, has_requirement, members, assessed, not_assessed, stale, stale_share, required, present,
       shortfall, gap_blocks, unknown_blocks, fragile_blocks, fulfilment, fulfilment_with_partners, published, suppressed
  FROM kbs.v_team_summary ORDER BY team_id, peildatum;
SELECT peildatum, team_name, wheel_order, block_code, domain_name, min_level, min_level_label, min_members, every_member,
       importance, importance_label, members, assessed, stale_share, required, present, shortfall, spare,
       unassessed, status_code, status_label, published, suppressed
  FROM kbs.v_team_block_status WHERE peildatum IN ('2025-01-31', '2025-04-30') ORDER BY team_id, peildatum, wheel_order;
-- One row per ring, and per domain for general and specific knowledge (17 a snapshot).
SELECT team_id, peildatum, count(*) AS groups FROM kbs.v_team_domain_status GROUP BY 1, 2 HAVING count(*) <> 17;
SELECT peildatum, team_name, ring_code, domain_code, domain_name, blocks, required, present, shortfall, fulfilment,
       gap_blocks, unknown_blocks, fragile_blocks, carriers, worst_status_code, worst_status_label, published, suppressed
  FROM kbs.v_team_domain_status
 WHERE team_id = 1 AND peildatum = '2025-01-31' ORDER BY ring_position, domain_position;
SELECT peildatum, team_name, ring_code, domain_code, required, present, fulfilment, carriers, worst_status_code
  FROM kbs.v_team_domain_status
 WHERE peildatum = '2025-03-31' AND blocks > 0 ORDER BY team_id, ring_position, domain_position;
-- Knowledge risk: the entries the team covers together (33 and 36).
SELECT peildatum, team_name, block_code, min_level, min_members, importance, carriers, experts, spare, single_carrier,
       partner_carriers, risk_code, risk_label, published, suppressed
  FROM kbs.v_knowledge_risk WHERE peildatum = '2025-01-31' ORDER BY team_id, wheel_order;

-- The municipality trend adds up published team cells only: Voorbeeldstad is
-- Noord alone (Zuid is never published) and nothing at all in March.
SELECT peildatum, municipality_code, ring_code, domain_code, teams, teams_included, members, assessed, stale_share,
       carriers, carrier_share, required, present, shortfall, fulfilment, gap_blocks, unknown_blocks, fragile_blocks, suppressed
  FROM kbs.v_municipality_domain_trend
 WHERE ring_code = 'generic' OR (ring_code, domain_code) IN (('general', 'physical_health'), ('specific', 'income'), ('specific', 'safety'))
 ORDER BY municipality_code, peildatum, ring_position, domain_position;
-- Benchmark: each municipality against all others together, same peildatum.
SELECT peildatum, municipality_code, ring_code, domain_code, teams_included, members, fulfilment, carrier_share, suppressed,
       others_municipalities, others_teams_included, others_members, others_fulfilment, others_carrier_share,
       others_suppressed, fulfilment_difference, carrier_share_difference
  FROM kbs.v_benchmark
 WHERE ring_code = 'generic' OR (ring_code, domain_code) = ('specific', 'income')
 ORDER BY peildatum, municipality_code, ring_position, domain_position;

-- Person-level views at a chosen date.
SET kbs.as_of = '2025-04-30';
SELECT peildatum, team_name, professional_ref, block_code, level, level_code, level_label, required_level,
       required_members, meets_floor, assessed_on, source_code, source_label, stale
  FROM kbs.v_member_block WHERE team_id = 1 AND block_id IN (11, 21, 22, 33, 36) ORDER BY professional_id, wheel_order;
SELECT team_id, professional_id, count(*) AS blocks FROM kbs.v_member_block GROUP BY 1, 2 HAVING count(*) <> 30;
-- T-shape. VS-01: general knowledge in all 7 domains, specific income 4 and
-- safety 3: Π. VS-02: broad, deep in safety: T. VS-03: broad, nowhere deep:
-- generalist. VS-04: general na for physical health, level 1 in the other six
-- (broad), specific physical health 3: T. VS-05: one domain, no depth: starter.
-- VS-06, VS-07 and Zuid: deep but not broad: I. VS-11: not assessed.
SELECT team_name, professional_ref, assessed_on, stale, generic_met, breadth, breadth_applicable, depth, depth_domains,
       shape_code, shape, shape_label
  FROM kbs.v_member_shape ORDER BY team_id, professional_id;
-- Freshness: VS-06's assessment of 2023-06-01 is 699 days old and stale since
-- 2024-12-01 (18 months); VS-05 has a draft from 20 March waiting.
SELECT team_name, professional_ref, assessed_on, source_code, source_label, age_days, stale_from, freshness_code,
       freshness_label, draft_pending
  FROM kbs.v_assessment_freshness WHERE municipality_code = 'GM9999' ORDER BY team_id, professional_id;
-- Plan progress: four items (the cancelled one does not count), one done, the
-- in-progress one overdue since 31 March; a team action without a person.
SELECT peildatum, team_name, items, proposed, planned, in_progress, done, cancelled, open, overdue, done_share, persons,
       team_actions, fulfilment_now, fulfilment_forecast, shortfall_now, shortfall_forecast, fulfilment_with_partners
  FROM kbs.v_plan_progress ORDER BY team_id;
-- Self vs supervisor: VS-01 assessed itself on the day of the supervisor's
-- assessment (which is the one that counts); on 1 February both are the January ones.
SET kbs.as_of = '2025-02-01';
SELECT peildatum, professional_ref, block_code, self_assessed_on, supervisor_assessed_on, self_level, self_level_code,
       supervisor_level, supervisor_level_code, difference, comparison_code, comparison_label
  FROM kbs.v_self_vs_supervisor ORDER BY professional_id, wheel_order;
-- On 30 April the supervisor's is the April one; blocks only it has are incomplete.
SET kbs.as_of = '2025-04-30';
SELECT professional_ref, comparison_code, count(*) FROM kbs.v_self_vs_supervisor GROUP BY 1, 2 ORDER BY 1, 2;
RESET kbs.as_of;
SELECT test_date_ok FROM (SELECT peildatum = current_date AS test_date_ok FROM kbs.v_member_shape LIMIT 1) x;

-- Units a reader can count (v_team_summary). members_below_floor counts people
-- below an every-member floor (11 and 21 at level 1) on a block they are assessed
-- on. Noord in January: VS-02 (21: 0) and VS-04 (11: 0; 21 na) = 2; in April
-- both were reassessed at 1 and VS-07 (joined) meets both: 0. Zuid: VS-10 (21: 0)
-- = 1; VS-11 has no assessment and is not counted. Centrum: 0. Oost: AS-20 (21: 0)
-- and AS-21 (11: 0) = 2. places_short sums the shortfall of the entries the team
-- covers together (33: one at 3, 36: two at 3): Noord 0; Zuid has nobody on 36,
-- short 2 places; Centrum 0; Oost has AS-18 only on 36: 1. shortfall counts places
-- over every entry and is no count of people.
SELECT team_name, peildatum, members, gap_blocks, unknown_blocks, fragile_blocks, members_below_floor, places_short,
       shortfall
  FROM kbs.v_team_summary WHERE peildatum IN ('2025-01-31', '2025-04-30') ORDER BY team_id, peildatum;

-- Rounds in the municipality trend: a point at a round's peildatum names the
-- round; complete says whether every team with a snapshot is in it. With a round
-- at 31 January too, Voorbeeldstad's January point is Noord alone (Zuid is
-- suppressed): 1 of 2 teams, not complete; 15 March: nobody published (0 of 2).
-- Anderstad: both teams, complete.
INSERT INTO kbs.assessment_round (id, municipality, name, peildatum, status) VALUES
    (2, 'GM9999', 'winter 2025', '2025-01-31', 'final'), (3, 'GM9998', 'winter 2025', '2025-01-31', 'final');
SELECT municipality_code, peildatum, round_name, teams, teams_included, complete, suppressed, fulfilment
  FROM kbs.v_municipality_domain_trend
 WHERE ring_code = 'specific' AND domain_code = 'income' AND round_name IS NOT NULL
 ORDER BY municipality_code, peildatum;
-- Month ends stay (for coordinators): one row per peildatum, round or not.
SELECT municipality_code, count(*) AS peildata, count(round_name) AS rounds
  FROM kbs.v_municipality_domain_trend WHERE ring_code = 'specific' AND domain_code = 'income'
 GROUP BY 1 ORDER BY 1;
DELETE FROM kbs.assessment_round WHERE id IN (2, 3);

-- Plans on a date. On 10 March item 1 (done 10 April) was in progress and the
-- items of 1 April did not exist: two items, both in progress, none done.
SELECT i.id, i.status, kbs.plan_status_at(i, '2025-03-10') AS on_10_march, kbs.plan_item_open(i, '2025-03-10') AS open_10_march,
       kbs.plan_status_at(i, '2025-01-31') AS on_31_january, kbs.plan_status_at(i, '2025-04-30') AS on_30_april
  FROM kbs.plan_item i ORDER BY i.id;
SET kbs.as_of = '2025-03-10';
SELECT team_name, items, proposed, planned, in_progress, done, open, overdue, open_departed
  FROM kbs.v_plan_progress WHERE team_id = 1;
-- The forecast on 10 March raises VS-04 on 11 and VS-02 on 21 (the two items open
-- then), not VS-05 on 33 (made on 1 April): the shortfall of one on 11 (VS-04)
-- and one on 21 (VS-02) falls to 0, fulfilment from 14/16 to 1.
SELECT * FROM kbs.forecast(1, '2025-03-10');
-- An open item of VS-07, made in Zuid before the move to Noord on 1 March: on
-- 30 April it is apart (open_departed), not open or overdue in Zuid.
INSERT INTO kbs.plan_item (id, team_id, professional_id, block_id, target_level, due_on, status, created_on)
VALUES (100, 2, 7, 36, 3, '2025-03-31', 'planned', '2025-02-01');
SET kbs.as_of = '2025-02-15';
SELECT team_name, items, planned, open, overdue, open_departed FROM kbs.v_plan_progress WHERE team_id = 2;
SET kbs.as_of = '2025-04-30';
SELECT team_name, items, planned, open, overdue, open_departed FROM kbs.v_plan_progress WHERE team_id = 2;
DELETE FROM kbs.plan_item WHERE id = 100;
RESET kbs.as_of;

-- T-shape code and sign for a member without an assessment (VS-11): never empty.
SET kbs.as_of = '2025-04-30';
SELECT professional_ref, shape_code, shape, shape_label FROM kbs.v_member_shape WHERE professional_ref = 'VS-11';
RESET kbs.as_of;
