-- People, time and plans on a small fixed data set with hand-checked values.
SET search_path = public, kbs;
SET datestyle = ISO;

-- Bad rows are refused.
SELECT test.error_of($$INSERT INTO kbs.municipality VALUES ('GM123', 'Te kort')$$);
SELECT test.error_of($$INSERT INTO kbs.municipality VALUES ('gm0123', 'Kleine letters')$$);
INSERT INTO kbs.municipality VALUES ('GM9001', 'Oefenstad'), ('GM9002', 'Andere Stad');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9001', 'Wijkteam Noord', '[2024-01-01,)'),
    (2, 'GM9001', 'Wijkteam Zuid', '[2024-01-01,)'),
    (3, 'GM9002', 'Team Elders', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref, discipline) VALUES
    (1, 'GM9001', 'P-001', 'schuldhulpverlener'),
    (2, 'GM9001', 'P-002', 'jeugdverpleegkundige'),
    (3, 'GM9001', 'P-003', 'ggz-verpleegkundige'),
    (4, 'GM9001', 'P-004', 'maatschappelijk werker'),
    (5, 'GM9001', 'P-005', 'wijkverpleegkundige'),
    (9, 'GM9002', 'X-009', 'maatschappelijk werker');
-- Person 4 moves from Noord to Zuid on 1 April 2025; person 5 joins Noord and is never assessed.
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES
    (1, 1, '[2024-01-01,)'), (2, 1, '[2024-01-01,)'), (3, 1, '[2024-01-01,)'),
    (4, 1, '[2024-01-01,2025-04-01)'), (4, 2, '[2025-04-01,)'),
    (5, 1, '[2025-01-01,)'), (9, 3, '[2024-01-01,)');
SELECT test.error_of($$INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (1, 1, '[2025-06-01,2025-07-01)')$$);
SELECT test.error_of($$INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (9, 1, '[2025-06-01,)')$$);
SELECT test.error_of($$INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (2, 2, '[2023-06-01,2024-06-01)')$$);
SELECT test.error_of($$INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (2, 2, '[2025-06-01,2025-05-01)')$$);

INSERT INTO kbs.assessment_round (id, municipality, name, peildatum, status) VALUES
    (1, 'GM9001', 'najaar 2024', '2024-10-01', 'final'),
    (2, 'GM9001', 'voorjaar 2025', '2025-05-15', 'final');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, round_id, profile) VALUES
    -- person 1: old (stale by mid 2025? no: 2024-10-01 + 18 months = 2026-04-01)
    (1, '2024-10-01', 'supervisor', 'final', 1, '{11:2,21:1,23:2,33:4,36:na}'),
    -- person 2: self and supervisor on the same day: the supervisor wins
    (2, '2025-05-15', 'self', 'final', 2, '{11:3,21:1,35:4}'),
    (2, '2025-05-15', 'supervisor', 'final', 2, '{11:2,21:1,35:3}'),
    -- person 3: a draft after the final one is ignored; an assessment on the peildatum itself counts
    (3, '2023-06-01', 'self', 'final', NULL, '{11:1,21:0,37:2}'),
    (3, '2025-05-15', 'team', 'final', 2, '{11:2,21:1,33:2,37:3}'),
    (3, '2025-05-20', 'self', 'draft', NULL, '{11:4,21:4,37:4}'),
    -- person 4: assessed while in Noord
    (4, '2024-10-01', 'supervisor', 'final', 1, '{11:1,21:na,33:3}'),
    (9, '2024-10-01', 'self', 'final', NULL, '{11:3}');
SELECT test.error_of($$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-01-01', 'self', '{999:1}')$$);
SELECT test.error_of($$INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (1, '2025-01-01', 'boss', '{11:1}')$$);

-- Effective profiles at the second peildatum: Noord has 1, 2, 3, 5 (4 moved away).
SELECT professional_id, assessed_on, source, profile, stale FROM kbs.member_profiles_at(1, '2025-05-15');
-- One day before: person 3's team assessment is not there yet, the 2023 one is, and stale.
SELECT professional_id, assessed_on, source, profile, stale FROM kbs.member_profiles_at(1, '2025-05-14');
-- Zuid before and after the move.
SELECT count(*) AS zuid_members_march FROM kbs.member_profiles_at(2, '2025-03-31');
SELECT professional_id, profile FROM kbs.member_profiles_at(2, '2025-04-01');
-- Coverage: person 5 (never assessed) still counts as a member.
SELECT kbs.team_coverage(1, '2025-05-15') AS noord, kbs.members(kbs.team_coverage(1, '2025-05-15')) AS members;
-- Zero members: the empty coverage.
SELECT kbs.team_coverage(2, '2024-06-01') AS zuid_before_anyone;

-- Requirements over time; overlaps and unknown blocks are refused.
INSERT INTO kbs.team_requirement (team_id, during, requirement, note) VALUES
    (1, '[2024-01-01,)', '{11:2/all,21:1/all,23:2/all,32:3/1,33:3/2@3,36:3/1,37:3/1}', 'eigen eis van Noord');
SELECT test.error_of($$INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (1, '[2025-01-01,2026-01-01)', '{11:1/all}')$$);
SELECT test.error_of($$INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (2, '[2025-01-01,)', '{11:1/all,4242:3/1}')$$);
INSERT INTO kbs.team_requirement (team_id, during, requirement, template)
SELECT 2, '[2024-01-01,)', requirement, code FROM kbs.requirement_template WHERE code = 'basis';
SELECT count(*) AS zuid_entries, count(*) FILTER (WHERE min_members IS NULL) AS zuid_floors
  FROM kbs.gaps(kbs.team_coverage(2, '2025-05-15'), kbs.team_requirement_at(2, '2025-05-15'));
SELECT block_id, min_level, min_members, needed, present, shortfall, spare, status
  FROM kbs.gaps(kbs.team_coverage(1, '2025-05-15'), kbs.team_requirement_at(1, '2025-05-15'));
SELECT round(kbs.fulfilment(kbs.team_coverage(1, '2025-05-15'), kbs.team_requirement_at(1, '2025-05-15'))::numeric, 4) AS fulfilment;

-- Partners: a debt-relief organisation serving Noord brings specific income knowledge.
INSERT INTO kbs.partner (id, municipality, organisation, profile, during) VALUES
    (1, 'GM9001', 'Schuldhulp Oefenstad', '{33:4,34:3}', '[2024-01-01,)');
INSERT INTO kbs.partner_team VALUES (1, 1);
SELECT kbs.partner_coverage(1, '2025-05-15') AS partners;
SELECT round(kbs.fulfilment(c, r)::numeric, 4) AS team_only, round(kbs.fulfilment_with_partners(c, kbs.partner_coverage(1, '2025-05-15'), r)::numeric, 4) AS with_partners
  FROM (SELECT kbs.team_coverage(1, '2025-05-15') c, kbs.team_requirement_at(1, '2025-05-15') r) s;

-- Snapshots: round dates and month ends; a second refresh computes nothing new.
SELECT kbs.refresh_snapshots('2025-04-01', '2025-06-30') AS computed;
SELECT team_id, peildatum, members, assessed, stale, kbs.members(coverage) AS cov_members, requirement IS NOT NULL AS has_requirement
  FROM kbs.snapshot ORDER BY team_id, peildatum;
SELECT kbs.refresh_snapshots('2025-04-01', '2025-06-30') AS computed_again;
-- A new assessment dated 2025-06-10 dirties Noord from then on: only the June snapshot is recomputed.
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES (5, '2025-06-10', 'supervisor', '{11:1,21:1,31:3}');
SELECT kbs.refresh_snapshots('2025-04-01', '2025-06-30') AS computed_after_change;
SELECT peildatum, assessed FROM kbs.snapshot WHERE team_id = 1 ORDER BY peildatum;
-- The stored snapshot equals a fresh computation.
SELECT count(*) AS snapshot_mismatches FROM kbs.snapshot s
 WHERE s.coverage <> kbs.team_coverage(s.team_id, s.peildatum)
    OR s.requirement IS DISTINCT FROM kbs.team_requirement_at(s.team_id, s.peildatum);
-- Staleness follows the setting. With the default 18 months only person 3's 2023
-- assessment (used until 15 May) is stale; with 6 months the assessments of
-- 1 October 2024 (person 1 in Noord, person 4 in Zuid) are stale from 1 April 2025.
SELECT team_id, peildatum, stale FROM kbs.snapshot WHERE team_id IN (1, 2) ORDER BY team_id, peildatum;
SELECT kbs.set_setting('stale_after', '6 months');
SELECT kbs.refresh_snapshots('2025-04-01', '2025-06-30') AS computed_after_setting;
SELECT team_id, peildatum, stale FROM kbs.snapshot WHERE team_id IN (1, 2) ORDER BY team_id, peildatum;
SELECT professional_id, assessed_on, stale FROM kbs.member_profiles_at(1, '2025-04-30');
-- One day before six months have passed, person 1's assessment is not stale yet.
SELECT professional_id, stale FROM kbs.member_profiles_at(1, '2025-04-01') WHERE professional_id = 1;
SELECT professional_id, stale FROM kbs.member_profiles_at(1, '2025-04-02') WHERE professional_id = 1;
SELECT kbs.set_setting('stale_after', '18 months');
SELECT kbs.refresh_snapshots('2025-04-01', '2025-06-30') AS computed_after_reset;
SELECT team_id, peildatum, stale FROM kbs.snapshot WHERE team_id IN (1, 2) ORDER BY team_id, peildatum;
SELECT test.error_of($$SELECT kbs.set_setting('stale_after', 'soon')$$);
SELECT test.error_of($$SELECT kbs.set_setting('colour', 'red')$$);
SELECT test.error_of($$SELECT kbs.refresh_snapshots('2025-06-30', '2025-04-01')$$);

-- Scholingsplan. In June persons 2 and 3 are assessed on more blocks; person 5 (assessed
-- on 10 June) has 11:1, 21:1, 31:3 and nothing else. At 2025-06-30 Noord is 1, 2, 3, 5:
--   11:2/all  levels 2, 2, 2, 1: a gap of 1 (nobody unassessed)
--   21:1/all  all four at 1 or more: met
--   23:2/all  levels 2, 1, 0 and person 5 unassessed: shortfall 3 > 1: a gap
--   32:3/1    2 and 3 below (2, 1), 1 and 5 unassessed: shortfall 1 <= 2: unknown
--   33:3/2    1 at 4, 2 and 3 at 2, person 5 unassessed: shortfall 1 <= 1: unknown
--   36:3/1    1 na, 2 at 1, 3 at 2, person 5 unassessed: shortfall 1 <= 1: unknown
--   37:3/1    person 3 at 3: fragile
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES
    (2, '2025-06-20', 'supervisor', '{11:2,21:1,23:1,32:2,33:2,35:3,36:1}'),
    (3, '2025-06-20', 'supervisor', '{11:2,21:1,23:0,32:1,33:2,36:2,37:3}');
SELECT kbs.refresh_snapshots('2025-06-01', '2025-06-30') AS computed_june;
SELECT block_id, min_level, min_members, needed, present, shortfall, unassessed, status
  FROM kbs.gaps(kbs.team_coverage(1, '2025-06-30'), kbs.team_requirement_at(1, '2025-06-30'));
-- Proposals for the gaps only (an unknown entry needs assessing first), closest members first:
-- 11: person 5 (level 1); 23: person 2 (1), person 3 (0), then person 5 (not assessed on it).
SELECT professional_id, block_id, target_level, due_on, status FROM kbs.propose_plan(1, '2025-06-30') ORDER BY block_id, professional_id;
-- Proposing again adds nothing: every gap is covered by open items.
SELECT count(*) AS proposed_again FROM kbs.propose_plan(1, '2025-06-30');
-- Now 10 of 17 places (11: 3 of 4, 21: 4, 23: 1 of 4, 32: 0 of 1, 33: 1 of 2, 36: 0 of 1, 37: 1),
-- shortfall 1 + 3 + 1 + 1 + 1 = 7; with the four items done 11 and 23 are met: 14 of 17, shortfall 3.
SELECT * FROM kbs.forecast(1, '2025-06-30');
-- Items move through their states; bad transitions are refused.
UPDATE kbs.plan_item SET status = 'done', started_on = '2025-07-01', done_on = '2025-09-01' WHERE block_id = 11;
SELECT test.error_of($$UPDATE kbs.plan_item SET status = 'done' WHERE block_id = 23$$);
SELECT test.error_of($$UPDATE kbs.plan_item SET done_on = '2025-01-01', status = 'done' WHERE block_id = 23$$);
SELECT test.error_of($$INSERT INTO kbs.plan_item (team_id, block_id, target_level, due_on) VALUES (1, 31, 5, '2099-01-01')$$);
SELECT status, count(*) FROM kbs.plan_item GROUP BY status ORDER BY status;
SELECT test.error_of($$SELECT * FROM kbs.propose_plan(3, '2025-06-30')$$);

-- Retention: person 6 left Noord at the end of 2024, person 7 left Team Elders at the
-- end of 2025. Their data go once they have been gone longer than retention_after;
-- the stored snapshots stay exactly as they were.
INSERT INTO kbs.professional (id, municipality, ref, discipline) VALUES
    (6, 'GM9001', 'P-006', 'schuldhulpverlener'), (7, 'GM9002', 'X-007', 'jongerenwerker');
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES
    (6, 1, '[2024-01-01,2025-01-01)'), (7, 3, '[2024-01-01,2026-01-01)');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES
    (6, '2024-10-01', 'supervisor', '{11:3,34:4}'), (7, '2024-10-01', 'self', '{11:2}');
SELECT kbs.refresh_snapshots('2024-10-01', '2024-12-31') AS computed_2024;
CREATE TEMP TABLE before_retention AS SELECT * FROM kbs.snapshot;
SELECT * FROM kbs.apply_retention('2026-06-30');   -- not yet two years for either
-- With one year, person 6 (gone eighteen months) goes and person 7 (gone six) stays.
SELECT kbs.set_setting('retention_after', '1 year');
SELECT * FROM kbs.apply_retention('2026-06-30');
SELECT id, ref, discipline, anonymised FROM kbs.professional WHERE id IN (6, 7) ORDER BY id;
SELECT professional_id, count(*) AS assessments FROM kbs.assessment WHERE professional_id IN (6, 7) GROUP BY 1;
-- Back to two years: person 7 stays until two years after leaving.
SELECT kbs.set_setting('retention_after', '2 years');
SELECT * FROM kbs.apply_retention('2027-12-31');
SELECT * FROM kbs.apply_retention('2028-01-02');
SELECT id, anonymised FROM kbs.professional WHERE id IN (6, 7) ORDER BY id;
SELECT * FROM kbs.apply_retention('2028-01-02');   -- again: nothing left to do
-- The refresh computes the missing cells (January to March 2025 of three teams: 9) and
-- the cells the setting changes dirtied (Noord in 2025: 4, Zuid: 8); the cells that
-- count person 6 or 7 cannot be computed again and stay as stored.
SELECT kbs.refresh_snapshots('2024-10-01', '2025-06-30') AS recomputed_after_retention;
SELECT count(*) AS changed_snapshots FROM kbs.snapshot s JOIN before_retention b USING (team_id, peildatum)
 WHERE s.coverage <> b.coverage OR s.members <> b.members OR s.assessed <> b.assessed;
SELECT count(*) AS noord_2024_with_6 FROM kbs.snapshot WHERE team_id = 1 AND peildatum = '2024-10-31' AND kbs.count_at_least(coverage, 34, 4) = 1;
-- The frozen cells' marks are spent all the same, and publication never calls them out of
-- date (with k = 1, so that small groups do not hide the reason).
SELECT count(*) AS marks_left FROM kbs.snapshot_dirty;
SELECT kbs.set_setting('min_group_size', '1');
SELECT kbs.refresh_snapshots('2024-10-01', '2025-06-30') AS recomputed_after_k;
SELECT count(*) AS marks_left_after_k FROM kbs.snapshot_dirty;
SELECT count(*) FILTER (WHERE kbs.snapshot_frozen(team_id, peildatum)) AS frozen_cells,
       count(*) FILTER (WHERE kbs.snapshot_frozen(team_id, peildatum) AND reason = 'out_of_date') AS frozen_out_of_date
  FROM kbs.publication;
DELETE FROM kbs.setting_local WHERE name = 'min_group_size';
