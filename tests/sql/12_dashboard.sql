-- The team report's training candidates (kbs.dashboard_team, sql/78_dashboard.sql) on a small
-- data set built by hand, with the expected candidates derived by hand below. In a database of
-- its own, dropped at the end.
CREATE DATABASE kbs_dashboard;
\c kbs_dashboard
SET datestyle = ISO;
SET jit = off;
CREATE EXTENSION kennisbouwstenen;

-- Proefstad (GM9990), team 1 with seven members, all assessed by their supervisor on
-- 2025-01-10 except P-07, who never is:
--         11 (generic)   31 (specific)   33 (specific income)   36 (specific safety)
--   P-01      2               2               4                      1
--   P-02      0               2               2                      0
--   P-03      1               3               1                      2
--   P-04      na              1               na                     na
--   P-05      1               0               -                      -       (- = not assessed)
--   P-06      0               -               0                      2
--   P-07   no assessment at all
-- Requirement: 11 level 1 for every member, 31 level 2 for 3 members, 33 level 3 for 5 members,
-- 36 level 3 for 2 members with importance 3.
INSERT INTO kbs.municipality VALUES ('GM9990', 'Proefstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES (1, 'GM9990', 'Proefteam', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref, discipline)
SELECT i, 'GM9990', 'P-0' || i, CASE WHEN i % 2 = 0 THEN 'wijkverpleegkundige' ELSE 'maatschappelijk werker' END
  FROM generate_series(1, 7) i;
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT i, 1, '[2024-01-01,)'::daterange FROM generate_series(1, 7) i;
INSERT INTO kbs.team_requirement (team_id, during, requirement)
VALUES (1, '[2024-01-01,)', '{11:1/all,31:2/3,33:3/5,36:3/2@3}');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, profile) VALUES
    (1, '2025-01-10', 'supervisor', 'final', '{11:2,31:2,33:4,36:1}'),
    (2, '2025-01-10', 'supervisor', 'final', '{11:0,31:2,33:2,36:0}'),
    (3, '2025-01-10', 'supervisor', 'final', '{11:1,31:3,33:1,36:2}'),
    (4, '2025-01-10', 'supervisor', 'final', '{11:na,31:1,33:na,36:na}'),
    (5, '2025-01-10', 'supervisor', 'final', '{11:1,31:0}'),
    (6, '2025-01-10', 'supervisor', 'final', '{11:0,33:0,36:2}');
-- Open items (planned, proposed) mark a candidate "in the plan"; done and cancelled ones do not.
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on, started_on, done_on) VALUES
    (1, 3, 36, 3, '2025-06-30', 'planned', '2025-01-15', NULL, NULL),
    (1, 5, 33, 3, '2025-06-30', 'proposed', '2025-01-15', NULL, NULL),
    (1, 2, 33, 3, '2025-01-31', 'done', '2025-01-15', '2025-01-16', '2025-01-31'),
    (1, 6, 11, 1, '2025-06-30', 'cancelled', '2025-01-15', NULL, NULL);
SELECT kbs.refresh_snapshots('2025-01-01', '2025-02-28') AS snapshots;

-- By hand, on 2025-02-28 (7 members):
--   11: needed 7 - 1 na (P-04) = 6, present P-01, P-03, P-05 = 3: gap, shortfall 3.
--   31: needed 3, present P-01, P-02, P-03 = 3: fragile (exactly enough), not a gap.
--   33: needed 5, present P-01 = 1: gap, shortfall 4.
--   36: needed 2, present none: shortfall 2, importance 3; but P-05 and P-07 are not assessed
--       on it (P-04 has na), and two unassessed members could make up a shortfall of 2:
--       unknown (nog te beoordelen), not a gap.
--   33: P-05 and P-07 unassessed, P-04 na: a shortfall of 4 > 2 is a gap; 11: P-07 only: 3 > 1.
-- Gaps, most important first, then the larger shortfall: 33, 11.
SELECT g->>'block_id' AS block, g->>'importance' AS importance, g->>'required' AS required,
       g->>'present' AS present, g->>'shortfall' AS shortfall
  FROM jsonb_array_elements(kbs.dashboard_team(1, '2025-02-28')->'gaps') g;
SELECT f->>'block_id' AS fragile_block, f->>'carriers' AS carriers
  FROM jsonb_array_elements(kbs.dashboard_team(1, '2025-02-28')->'fragile') f;
SELECT kbs.dashboard_team(1, '2025-02-28')->'person'->'not_assessed' AS not_assessed;

-- Candidates per gap, in wheel order (11, then 33, then 36): the assessed members below the
-- level, highest level first, not assessed on the block last, ties by reference; never na
-- (P-04) and never a member without any assessment (P-07); at most the shortfall:
--   11 (shortfall 3): P-02 (0), P-06 (0) -- only two are eligible
--   33 (shortfall 4): P-02 (2), P-03 (1), P-06 (0), P-05 (not assessed)
--   36 is unknown, not a gap: no candidates until P-05 and P-07 are assessed on it.
--   31 is fragile, not a gap: P-04, P-05 and P-06 are below its level but no candidates.
-- In the plan: P-05 for 33 (proposed); P-02's done item for 33 and P-06's cancelled one for 11
-- do not count.
CREATE TEMP TABLE expected (position integer, block_id integer, ref text, level integer, level_label text, in_plan boolean);
INSERT INTO expected VALUES
    (1, 11, 'P-02', 0, 'geen', false),
    (2, 11, 'P-06', 0, 'geen', false),
    (3, 33, 'P-02', 2, 'begeleid toepassen', false),
    (4, 33, 'P-03', 1, 'signaleren', false),
    (5, 33, 'P-06', 0, 'geen', false),
    (6, 33, 'P-05', NULL, 'niet beoordeeld', true);
CREATE TEMP TABLE shown AS
SELECT c.position::integer AS position, (c.value->>'block_id')::integer AS block_id, c.value->>'professional_ref' AS ref,
       (c.value->>'level')::integer AS level, c.value->>'level_label' AS level_label,
       (c.value->>'in_plan')::boolean AS in_plan, (c.value->>'required_level')::integer AS required_level
  FROM jsonb_array_elements(kbs.dashboard_team(1, '2025-02-28')->'person'->'candidates') WITH ORDINALITY c(value, position);
SELECT * FROM shown ORDER BY position;
-- Any difference from the hand-derived list, in members, blocks, levels or order: none.
SELECT coalesce(e.position, s.position) AS position, e.block_id AS expected_block, s.block_id AS shown_block,
       e.ref AS expected_ref, s.ref AS shown_ref, e.level AS expected_level, s.level AS shown_level,
       e.in_plan AS expected_in_plan, s.in_plan AS shown_in_plan
  FROM expected e FULL JOIN shown s ON s.position = e.position
 WHERE (e.block_id, e.ref, e.level, e.level_label, e.in_plan) IS DISTINCT FROM (s.block_id, s.ref, s.level, s.level_label, s.in_plan)
 ORDER BY 1;

\c kbs_regress
DROP DATABASE kbs_dashboard;
