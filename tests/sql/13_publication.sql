-- Publication decisions (kbs.publication) taken inside the transaction that
-- writes snapshots, and decisions about snapshots that are out of date.
--
-- 1. The constraint trigger kbs.snapshot_publication is deferred: decisions
--    are taken at commit. SET CONSTRAINTS kbs.snapshot_publication IMMEDIATE
--    takes them at once, after the refresh (the pending ones) or before it (one
--    per snapshot as it is written). Three copies of one database go through
--    the same two rounds, one per way; the decisions must be visible in the
--    transaction and equal to the deferred ones, which are checked by hand.
-- 2. A snapshot older than a change is decided again (a refresh of an earlier
--    period decides the later cells again; so does kbs.refresh_publication):
--    its figures are of the persons it was computed from, not of today's, so
--    it must not be published until it is recomputed.
-- Runs in databases of its own, dropped at the end.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS kbs_pub_base;
DROP DATABASE IF EXISTS kbs_pub_deferred;
DROP DATABASE IF EXISTS kbs_pub_after;
DROP DATABASE IF EXISTS kbs_pub_before;
DROP DATABASE IF EXISTS kbs_pub_stale;
RESET client_min_messages;
CREATE DATABASE kbs_pub_base;
\c kbs_pub_base
SET datestyle = ISO;
CREATE EXTENSION kennisbouwstenen;
-- k = min_group_size = 5 (the default).
-- Team 1: p1-p6 from 1 January, p7 joins on 15 February, p8-p11 on 15 March,
-- p1 leaves on 15 April. Team 2: p12-p14. Everyone has one assessment (id =
-- person) of 1 December 2024. Assessed persons of team 1 on the month ends:
--   31 Jan {1-6}   28 Feb {1-7}   31 Mar {1-11}   30 Apr {2-11}
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9999', 'Noord', '[2025-01-01,)'), (2, 'GM9999', 'Zuid', '[2025-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) SELECT g, 'GM9999', 'p' || g FROM generate_series(1, 14) g;
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT g, CASE WHEN g <= 11 THEN 1 ELSE 2 END,
       CASE WHEN g = 1 THEN '[2025-01-01,2025-04-15)'
            WHEN g = 7 THEN '[2025-02-15,)'
            WHEN g BETWEEN 8 AND 11 THEN '[2025-03-15,)'
            ELSE '[2025-01-01,)' END::daterange
  FROM generate_series(1, 14) g;
INSERT INTO kbs.assessment (id, professional_id, assessed_on, source, profile)
SELECT g, g, '2024-12-01', 'self', ('{31:' || g % 5 || '}')::kbs.profile FROM generate_series(1, 14) g;
CREATE SCHEMA test;
-- The decisions, one line per cell; "current" when the decision is about the
-- snapshot as it is now computed.
CREATE FUNCTION test.decisions() RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT string_agg(format('%s %s assessed %s %s%s nearest %s%s', s.team_id, to_char(s.peildatum, 'YYYY-MM-DD'), p.assessed,
                                 CASE WHEN p.published THEN 'published' ELSE 'suppressed: ' END,
                                 coalesce(p.reason, ''), coalesce(p.nearest::text, '-'),
                                 CASE WHEN p.snapshot_computed_at = s.computed_at THEN '' ELSE ' (not current)' END),
                          E'\n' ORDER BY s.team_id, s.peildatum)
          FROM kbs.snapshot s LEFT JOIN kbs.publication p USING (team_id, peildatum));
\c postgres
CREATE DATABASE kbs_pub_deferred TEMPLATE kbs_pub_base;
CREATE DATABASE kbs_pub_after TEMPLATE kbs_pub_base;
CREATE DATABASE kbs_pub_before TEMPLATE kbs_pub_base;

-- 1. Round 1: the first snapshots, January to April.
-- Deferred: nothing decided before the commit. At the commit, team 1:
--   31 Jan {1-6} published (no earlier set)
--   28 Feb {1-7} differs from {1-6} in 1 person (< 5): suppressed
--   31 Mar {1-11} differs from {1-6} in 5: published
--   30 Apr {2-11} differs from {1-11} in 1: suppressed
-- Team 2 has 3 assessed members: small group on every month end.
\c kbs_pub_deferred
BEGIN;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SELECT count(*) AS decided_before_commit FROM kbs.publication;
COMMIT;
SELECT test.decisions() AS deferred_round_1 \gset
\echo :deferred_round_1
-- After the refresh: the pending decisions taken at once, visible in the
-- transaction, equal to the deferred ones, and left as they are by the commit.
\c kbs_pub_after
BEGIN;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SELECT count(*) AS decided_before_immediate FROM kbs.publication;
SET CONSTRAINTS kbs.snapshot_publication IMMEDIATE;
SELECT test.decisions() = :'deferred_round_1' AS same_as_deferred;
SELECT count(*) FILTER (WHERE published) AS published_cells, count(*) AS cells FROM kbs.snapshot_cell;
COMMIT;
SELECT test.decisions() = :'deferred_round_1' AS same_after_commit;
-- Before the refresh: each snapshot decided as it is written.
\c kbs_pub_before
BEGIN;
SET CONSTRAINTS kbs.snapshot_publication IMMEDIATE;
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SELECT test.decisions() = :'deferred_round_1' AS same_as_deferred;
COMMIT;
SELECT test.decisions() = :'deferred_round_1' AS same_after_commit;

-- Round 2: p3 is assessed again on 20 March (assessment 15); March and April
-- are recomputed. Deferred: until the commit their decisions are about the old
-- snapshots (not current). At the commit, with {1-6} and {1-11} published:
--   31 Mar {1-11, p3 reassessed} differs from {1-11} in 1: suppressed
--   30 Apr {2-11, p3 reassessed} differs from {1-11} in 2 (p1, p3): suppressed
-- January and February keep their decisions.
\c kbs_pub_deferred
BEGIN;
INSERT INTO kbs.assessment (id, professional_id, assessed_on, source, profile) VALUES (15, 3, '2025-03-20', 'supervisor', '{31:4}');
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SELECT test.decisions() AS deferred_before_commit;
COMMIT;
SELECT test.decisions() AS deferred_round_2 \gset
\echo :deferred_round_2
\c kbs_pub_after
BEGIN;
INSERT INTO kbs.assessment (id, professional_id, assessed_on, source, profile) VALUES (15, 3, '2025-03-20', 'supervisor', '{31:4}');
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SET CONSTRAINTS kbs.snapshot_publication IMMEDIATE;
SELECT test.decisions() = :'deferred_round_2' AS same_as_deferred;
COMMIT;
SELECT test.decisions() = :'deferred_round_2' AS same_after_commit;
\c kbs_pub_before
BEGIN;
SET CONSTRAINTS kbs.snapshot_publication IMMEDIATE;
INSERT INTO kbs.assessment (id, professional_id, assessed_on, source, profile) VALUES (15, 3, '2025-03-20', 'supervisor', '{31:4}');
SELECT kbs.refresh_snapshots('2025-01-01', '2025-04-30') AS computed;
SELECT test.decisions() = :'deferred_round_2' AS same_as_deferred;
COMMIT;
SELECT test.decisions() = :'deferred_round_2' AS same_after_commit;
-- kbs.refresh_publication decides everything again, the same; only team 1's
-- first published cell has a nearest set now (at 0: its own).
SELECT kbs.refresh_publication() AS redecided;
SELECT test.decisions() AS after_refresh_publication;

-- 2. A snapshot older than a change. Team 1 of Stale: p1-p6 from 1 January,
-- snapshots of January to March published ({1-6}). On 1 March p1 leaves and p7
-- joins: March, recomputed, differs in 2 persons and is suppressed. On 15 March
-- p2 and p3 leave, p8 and p9 join, and only January and February are refreshed
-- (for a changed requirement). The March snapshot still holds the figures of
-- {2-7}, which would give away what p1 and p7 contributed next to the
-- published February; the persons of today, {4-9}, differ from {1-6} in 6 and
-- would pass. It stays suppressed (out of date) until it is recomputed; then it
-- holds the figures of {4-9} and is published.
\c postgres
CREATE DATABASE kbs_pub_stale;
\c kbs_pub_stale
SET datestyle = ISO;
CREATE EXTENSION kennisbouwstenen;
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES (1, 'GM9999', 'Noord', '[2025-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) SELECT g, 'GM9999', 'p' || g FROM generate_series(1, 9) g;
INSERT INTO kbs.membership (professional_id, team_id, during) SELECT g, 1, '[2025-01-01,)' FROM generate_series(1, 6) g;
INSERT INTO kbs.assessment (id, professional_id, assessed_on, source, profile)
SELECT g, g, '2024-12-01', 'self', ('{31:' || g % 5 || '}')::kbs.profile FROM generate_series(1, 9) g;
INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (1, '[2025-01-01,)', '{31:2/2}');
SELECT kbs.refresh_snapshots('2025-01-01', '2025-03-31') AS computed;
UPDATE kbs.membership SET during = '[2025-01-01,2025-03-01)' WHERE professional_id = 1;
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (7, 1, '[2025-03-01,)');
SELECT kbs.refresh_snapshots('2025-03-01', '2025-03-31') AS computed;
SELECT peildatum, assessed, published, reason, nearest FROM kbs.publication ORDER BY peildatum;
UPDATE kbs.membership SET during = '[2025-01-01,2025-03-15)' WHERE professional_id IN (2, 3);
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (8, 1, '[2025-03-15,)'), (9, 1, '[2025-03-15,)');
UPDATE kbs.team_requirement SET requirement = '{31:3/2}';
SELECT kbs.refresh_snapshots('2025-01-01', '2025-02-28') AS computed;
SELECT peildatum, assessed, published, reason FROM kbs.publication ORDER BY peildatum;
SELECT peildatum, published FROM kbs.snapshot_cell ORDER BY peildatum;
-- kbs.refresh_publication decides the same.
SELECT kbs.refresh_publication() AS redecided;
SELECT peildatum, published, reason FROM kbs.publication ORDER BY peildatum;
-- Recomputed: the figures of {4-9}, published.
SELECT kbs.refresh_snapshots('2025-03-01', '2025-03-31') AS computed;
SELECT peildatum, published, reason, nearest FROM kbs.publication ORDER BY peildatum;

\c postgres
DROP DATABASE kbs_pub_base;
DROP DATABASE kbs_pub_deferred;
DROP DATABASE kbs_pub_after;
DROP DATABASE kbs_pub_before;
DROP DATABASE kbs_pub_stale;
