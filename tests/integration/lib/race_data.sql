-- Data for the refresh race tests (tests/integration/refresh_*.sh): two teams,
-- snapshots for January to June 2025 (six peildata each), then one committed
-- change per team that is not refreshed yet, so the next refresh recomputes
-- all twelve snapshots.
--   team 1 Noord: p1, p2, p3 from 2025-01-01; requirement {31:2/2}; partner 1 (GGZ, {32:3}) from 2025-01-01
--   team 2 Zuid:  p4, p5 from 2025-01-01; no requirement; no partner
--   p6: no team; partner 2 (Schuldhulp, {33:4}) from 2025-03-01 serves no team
--   every person has a self assessment of 2024-12-01; pending: supervisor
--   assessments of p1 and p4 on 2025-01-10
CREATE EXTENSION kennisbouwstenen;
INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad');
INSERT INTO kbs.assessment_round (municipality, name, peildatum, status) VALUES ('GM9999', 'voorjaar', '2025-03-31', 'final');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9999', 'Noord', '[2025-01-01,)'), (2, 'GM9999', 'Zuid', '[2025-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref) SELECT g, 'GM9999', 'p' || g FROM generate_series(1, 6) g;
INSERT INTO kbs.membership (professional_id, team_id, during) VALUES
    (1, 1, '[2025-01-01,)'), (2, 1, '[2025-01-01,)'), (3, 1, '[2025-01-01,)'),
    (4, 2, '[2025-01-01,)'), (5, 2, '[2025-01-01,)');
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES
    (1, '2024-12-01', 'self', '{31:1}'), (2, '2024-12-01', 'self', '{31:2}'), (3, '2024-12-01', 'self', '{31:3}'),
    (4, '2024-12-01', 'self', '{31:2,32:1}'), (5, '2024-12-01', 'self', '{32:2}'), (6, '2024-12-01', 'self', '{31:4}');
INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES (1, '[2025-01-01,)', '{31:2/2}');
INSERT INTO kbs.partner (id, municipality, organisation, profile, during) VALUES
    (1, 'GM9999', 'GGZ', '{32:3}', '[2025-01-01,)'), (2, 'GM9999', 'Schuldhulp', '{33:4}', '[2025-03-01,)');
INSERT INTO kbs.partner_team (partner_id, team_id) VALUES (1, 1);
SELECT kbs.refresh_snapshots('2025-01-01', '2025-06-30') = 12 AS all_twelve_computed \gset
\if :all_twelve_computed
\else
    \warn 'race_data.sql: the first refresh did not compute 12 snapshots'
    SELECT 1/0;
\endif
INSERT INTO kbs.assessment (professional_id, assessed_on, source, profile) VALUES
    (1, '2025-01-10', 'supervisor', '{31:2}'), (4, '2025-01-10', 'supervisor', '{31:3,32:1}');

-- Test helpers (schema race, outside the extension).
CREATE SCHEMA race;
-- The stored snapshot of a team at a peildatum.
CREATE FUNCTION race.cell(team integer, peildatum date) RETURNS kbs.snapshot
LANGUAGE sql STABLE
RETURN (SELECT s FROM kbs.snapshot s WHERE s.team_id = team AND s.peildatum = cell.peildatum);
\ir verify.sql
