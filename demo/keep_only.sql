-- Keeps only some municipalities in a database made by demo/generate.sql: the
-- others' teams, people, assessments, snapshots and publication decisions go.
-- For the federation demo and tests (issue 15): each member database holds a
-- share of the demo's municipalities, with the same snapshots and decisions as
-- the full database has for them (decisions are per team).
--
--   psql -v ON_ERROR_STOP=1 -v keep=GM0307,GM0392 -d db -f demo/keep_only.sql
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
CREATE TEMP TABLE k_gone ON COMMIT DROP AS
SELECT code FROM kbs.municipality WHERE code <> ALL (string_to_array(:'keep', ','));
CREATE TEMP TABLE k_team ON COMMIT DROP AS
SELECT id FROM kbs.team WHERE municipality IN (SELECT code FROM k_gone);
DELETE FROM kbs.plan_item WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.snapshot WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.team_requirement WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.partner_team WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.partner WHERE municipality IN (SELECT code FROM k_gone);
DELETE FROM kbs.membership WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.professional WHERE municipality IN (SELECT code FROM k_gone);
DELETE FROM kbs.import_log WHERE municipality IN (SELECT code FROM k_gone);
DELETE FROM kbs.assessment_round WHERE municipality IN (SELECT code FROM k_gone);
-- Deleting rows marked the gone teams' snapshots for recomputation; nothing is left to recompute.
DELETE FROM kbs.snapshot_dirty WHERE team_id IN (SELECT id FROM k_team);
DELETE FROM kbs.team WHERE id IN (SELECT id FROM k_team);
DELETE FROM kbs.municipality WHERE code IN (SELECT code FROM k_gone);
SELECT count(*) AS dirty_left FROM kbs.snapshot_dirty \gset
COMMIT;
SELECT CASE WHEN :dirty_left = 0 THEN 'ok'
            ELSE ('kept teams were marked for recomputation: ' || :dirty_left)::integer::text END AS dirty_check \gset
