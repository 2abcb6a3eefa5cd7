-- A municipality's own data (sql/67_import.sql, sql/77_training_demand.sql): the
-- roster, rounds, assessments from the form and from a long list, a team's
-- requirement, the import log, the training demand, and every check with its
-- message and proof that nothing changed. Runs in a database of its own.
CREATE DATABASE kbs_import;
\c kbs_import
SET datestyle = ISO;
SET jit = off;
-- Errors show message, detail and hint; the PL/pgSQL context lines would only
-- repeat where in the function they were raised.
\set SHOW_CONTEXT never
CREATE EXTENSION kennisbouwstenen;
CREATE SCHEMA test;
\i tests/sql/include/error_of.sql
-- Everything an import may write, as one text: the row counts, and a digest of
-- the rows (so that an update of a row counts as a change too).
-- (As its owner: it also runs for the coordinator and policy roles below.)
CREATE FUNCTION test.state() RETURNS text
LANGUAGE sql SECURITY DEFINER AS $$
    SELECT format('teams %s, people %s, memberships %s, assessments %s, rounds %s, requirements %s, log %s, dirty %s; %s',
                  (SELECT count(*) FROM kbs.team), (SELECT count(*) FROM kbs.professional),
                  (SELECT count(*) FROM kbs.membership), (SELECT count(*) FROM kbs.assessment),
                  (SELECT count(*) FROM kbs.assessment_round), (SELECT count(*) FROM kbs.team_requirement),
                  (SELECT count(*) FROM kbs.import_log), (SELECT count(*) FROM kbs.snapshot_dirty),
                  md5(concat_ws('|',
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.team x),
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.professional x),
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.membership x),
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.assessment x),
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.assessment_round x),
                      (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM kbs.team_requirement x))))
$$;
-- Runs a statement that must fail: its SQLSTATE, message, detail and hint, and
-- whether the state is the same afterwards. The statement runs in a
-- subtransaction, but a function that wrote part of a file and returned
-- normally would show 'no error' and changed = true.
CREATE FUNCTION test.refused(sql text, OUT code text, OUT message text, OUT detail text, OUT hint text,
                             OUT unchanged boolean)
LANGUAGE plpgsql AS $$
DECLARE
    before text := test.state();
BEGIN
    BEGIN
        EXECUTE sql;
        code := 'no error';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                                hint = PG_EXCEPTION_HINT;
    END;
    unchanged := test.state() = before;
END
$$;
CREATE TABLE test.before (label text PRIMARY KEY, state text);

INSERT INTO kbs.municipality VALUES ('GM9999', 'Voorbeeldstad'), ('GM9998', 'Anderstad');

-- =============================================================================
-- 1. Dates in import files (kbs.import_date, src/core/date.c): ISO or Dutch, a
--    real day of 1900-2999, spaces and tabs around it; anything else is NULL.
-- =============================================================================
SELECT v, kbs.import_date(v) AS date
  FROM unnest(ARRAY['2025-03-01', '1-3-2025', E' 31-12-2025\t', '29-02-2024', '29-02-2025', '2025-02-30', '31-04-2025',
                    '2025/03/01', '01.03.2025', '03-01-25', '20250301', '45717', '2025-03-01 00:00', '1899-12-31',
                    '3000-01-01', '', '  ', 'maart 2025', '-2025-03-01', E'2025-03-01\n']) v;

-- =============================================================================
-- 2. People and teams from an HR export (kbs.import_people)
-- =============================================================================
-- A Dutch export: delimiter ;, a byte order mark, CRLF, Dutch column names in
-- another order, quoted fields, dates as dd-mm-yyyy, a row of empty cells.
INSERT INTO test.before SELECT 'roster 1', test.state();
SELECT * FROM kbs.import_people(E'\uFEFFmedewerker;Team;Begin;Discipline;Einde\r\n'
    'VS-01;Noord;01-01-2024;maatschappelijk werker;\r\n'
    'VS-02;Noord;01-01-2024;wijkverpleegkundige;\r\n'
    'VS-03;Noord;1-2-2024;"schuldhulp; budgetcoach";\r\n'
    'VS-04;Noord;01-01-2024;jeugdverpleegkundige;\r\n'
    'VS-05;Noord;01-01-2024;ggz-verpleegkundige;\r\n'
    'VS-06;Zuid;01-01-2024;maatschappelijk werker;\r\n'
    'VS-07;Zuid;01-01-2024;schuldhulpverlener;\r\n'
    ';;;;\r\n'
    'VS-08;Zuid;01-01-2024;wijkverpleegkundige;31-03-2025\r\n', 'GM9999', '2025-01-01');
SELECT t.id, t.municipality, t.name, t.active FROM kbs.team t ORDER BY t.id;
SELECT p.id, p.ref, p.discipline FROM kbs.professional p ORDER BY p.id;
SELECT m.professional_id, m.team_id, m.during FROM kbs.membership m ORDER BY m.professional_id, m.during;
-- The same file again changes nothing.
SELECT test.state() AS state_after_roster_1 \gset
SELECT * FROM kbs.import_people(E'\uFEFFmedewerker;Team;Begin;Discipline;Einde\r\n'
    'VS-01;Noord;01-01-2024;maatschappelijk werker;\r\n'
    'VS-02;Noord;01-01-2024;wijkverpleegkundige;\r\n'
    'VS-03;Noord;1-2-2024;"schuldhulp; budgetcoach";\r\n'
    'VS-04;Noord;01-01-2024;jeugdverpleegkundige;\r\n'
    'VS-05;Noord;01-01-2024;ggz-verpleegkundige;\r\n'
    'VS-06;Zuid;01-01-2024;maatschappelijk werker;\r\n'
    'VS-07;Zuid;01-01-2024;schuldhulpverlener;\r\n'
    ';;;;\r\n'
    'VS-08;Zuid;01-01-2024;wijkverpleegkundige;31-03-2025\r\n', 'GM9999', '2025-01-01');
SELECT regexp_replace(test.state(), 'log \d+', 'log n') = regexp_replace(:'state_after_roster_1', 'log \d+', 'log n')
       AS nothing_but_the_log_changed;

-- The roster of 1 March 2025, in English with commas and ISO dates: VS-07 moves
-- from Zuid to Noord on 1 February; VS-05 is gone; VS-09 joins the new team
-- West; VS-03 gets another discipline; VS-01 leaves at the end of June; VS-08
-- keeps its end date.
CREATE TABLE test.roster2 AS SELECT
    E'team,ref,discipline,start,end\n'
    'Noord,VS-01,maatschappelijk werker,2024-01-01,2025-06-30\n'
    'Noord,VS-02,,2024-01-01,\n'
    'Noord,VS-03,schuldhulpverlener,2024-02-01,\n'
    'Noord,VS-04,,2024-01-01,\n'
    'Noord,VS-07,,2025-02-01,\n'
    'Zuid,VS-06,,2024-01-01,\n'
    'Zuid,VS-08,,2024-01-01,2025-03-31\n'
    'West,VS-09,jongerenwerker,2025-02-15,\n'::text AS csv;
-- The dry run: exactly the changes the real run makes, and nothing written.
SELECT test.state() AS before_dry_run \gset
CREATE TABLE test.preview AS SELECT * FROM test.roster2 r, kbs.import_people(r.csv, 'GM9999', '2025-03-01', dry_run => true) x;
SELECT change, team, ref, start_date, end_date, detail FROM test.preview;
SELECT regexp_replace(test.state(), 'log \d+', 'log n') = regexp_replace(:'before_dry_run', 'log \d+', 'log n')
       AS dry_run_wrote_nothing;
CREATE TABLE test.applied AS SELECT * FROM test.roster2 r, kbs.import_people(r.csv, 'GM9999', '2025-03-01') x;
SELECT (SELECT count(*) FROM test.applied) AS changes,
       (SELECT count(*) FROM (SELECT change, team, ref, start_date, end_date, detail FROM test.preview
                              EXCEPT ALL SELECT change, team, ref, start_date, end_date, detail FROM test.applied) d) AS only_in_preview,
       (SELECT count(*) FROM (SELECT change, team, ref, start_date, end_date, detail FROM test.applied
                              EXCEPT ALL SELECT change, team, ref, start_date, end_date, detail FROM test.preview) d) AS only_in_real_run;
SELECT p.ref, t.name AS team, m.during FROM kbs.membership m JOIN kbs.professional p ON p.id = m.professional_id
  JOIN kbs.team t ON t.id = m.team_id ORDER BY p.ref, m.during;
SELECT ref, discipline FROM kbs.professional WHERE ref IN ('VS-03', 'VS-09') ORDER BY ref;
-- Again: nothing.
SELECT count(*) AS changes_the_second_time FROM test.roster2 r, kbs.import_people(r.csv, 'GM9999', '2025-03-01') x;
-- Anderstad's roster, for later; its people are not Voorbeeldstad's.
SELECT change, count(*) FROM kbs.import_people(E'team,ref,start\nCentrum,AS-01,2024-01-01\nCentrum,AS-02,2024-01-01\nCentrum,VS-01,2024-01-01\n',
                                               'GM9998', '2025-03-01') GROUP BY 1 ORDER BY 1;

-- Every check: the first problem is the message, all of them are in the
-- detail (with row, line and column), and nothing is written.
SELECT label, r.code, r.message, r.unchanged FROM (VALUES
    ('unknown column (a name)', $$SELECT * FROM kbs.import_people(E'team;ref;start;naam\nNoord;VS-01;2024-01-01;Jan Jansen', 'GM9999', '2025-03-01')$$),
    ('column twice', $$SELECT * FROM kbs.import_people(E'team;ref;medewerker;start\nNoord;VS-01;VS-01;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('required columns missing', $$SELECT * FROM kbs.import_people(E'team;discipline\nNoord;x', 'GM9999', '2025-03-01')$$),
    ('empty file', $$SELECT * FROM kbs.import_people('', 'GM9999', '2025-03-01')$$),
    ('only blank lines', $$SELECT * FROM kbs.import_people(E'\n \r\n\t\n', 'GM9999', '2025-03-01')$$),
    ('header only: no people', $$SELECT * FROM kbs.import_people(E'team;ref;start\n;;\n', 'GM9999', '2025-03-01')$$),
    ('fields missing', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01', 'GM9999', '2025-03-01')$$),
    ('fields too many', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2024-01-01;x', 'GM9999', '2025-03-01')$$),
    ('ref empty', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord; ;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('ref is a name', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;Jan de Vries;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('ref too long', format($$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;%s;2024-01-01', 'GM9999', '2025-03-01')$$, repeat('x', 65))),
    ('ref with a quote', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;"VS''01";2024-01-01', 'GM9999', '2025-03-01')$$),
    ('team empty', $$SELECT * FROM kbs.import_people(E'team;ref;start\n;VS-01;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('start empty', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;', 'GM9999', '2025-03-01')$$),
    ('start not a date', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;1 januari 2024', 'GM9999', '2025-03-01')$$),
    ('start no such day', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;31-02-2024', 'GM9999', '2025-03-01')$$),
    ('start month first', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;01/31/2024', 'GM9999', '2025-03-01')$$),
    ('end not a date', $$SELECT * FROM kbs.import_people(E'team;ref;start;end\nNoord;VS-01;2024-01-01;morgen', 'GM9999', '2025-03-01')$$),
    ('end before start', $$SELECT * FROM kbs.import_people(E'team;ref;start;end\nNoord;VS-01;2024-01-01;31-12-2023', 'GM9999', '2025-03-01')$$),
    ('person twice in a team', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2024-01-01\nNoord;VS-01;2024-06-01', 'GM9999', '2025-03-01')$$),
    ('two disciplines', $$SELECT * FROM kbs.import_people(E'team;ref;discipline;start\nNoord;VS-01;a;2024-01-01\nZuid;VS-01;b;2024-06-01', 'GM9999', '2025-03-01')$$),
    ('before the team existed', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2023-06-01', 'GM9999', '2025-03-01')$$),
    ('broken CSV', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;"VS-01;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('unknown municipality', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2024-01-01', 'GM0000', '2025-03-01')$$),
    ('as_of infinite', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2024-01-01', 'GM9999', 'infinity')$$),
    ('csv null', $$SELECT * FROM kbs.import_people(NULL, 'GM9999', '2025-03-01')$$),
    ('dry_run null', $$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-01;2024-01-01', 'GM9999', '2025-03-01', NULL)$$)
) v(label, sql), test.refused(v.sql) r;
-- All problems of a file at once, with row, line and column.
SELECT * FROM kbs.import_people(E'team;ref;start;end;telefoon\n'
    'Noord;VS-01;2024-01-01;;\n'
    'Noord;Jan Jansen;2024-13-01;;\n'
    ';VS-02;2024-01-01;2023-01-01;\n'
    'Noord;VS-03\n'
    'Noord;VS-01;2024-01-01;;\n', 'GM9999', '2025-03-01');

-- =============================================================================
-- 3. Rounds
-- =============================================================================
SELECT kbs.open_round('GM9999', 'voorjaar 2025', '2025-03-31') AS round_id;
SELECT label, r.code, r.message, r.unchanged FROM (VALUES
    ('round exists', $$SELECT kbs.open_round('GM9999', ' voorjaar 2025 ', '2025-06-30')$$),
    ('name empty', $$SELECT kbs.open_round('GM9999', '  ', '2025-06-30')$$),
    ('unknown municipality', $$SELECT kbs.open_round('GM0000', 'najaar', '2025-09-30')$$),
    ('peildatum infinite', $$SELECT kbs.open_round('GM9999', 'nooit', 'infinity')$$),
    ('peildatum null', $$SELECT kbs.open_round('GM9999', 'najaar', NULL)$$),
    ('finalise: unknown round', $$SELECT kbs.finalise_round('GM9999', 'najaar 2030', 'teamleider')$$),
    ('finalise: validated_by empty', $$SELECT kbs.finalise_round('GM9999', 'voorjaar 2025', ' ')$$),
    ('finalise: validated_by null', $$SELECT kbs.finalise_round('GM9999', 'voorjaar 2025', NULL)$$)
) v(label, sql), test.refused(v.sql) r;
SELECT municipality, name, peildatum, status FROM kbs.assessment_round ORDER BY id;

-- =============================================================================
-- 4. Assessments (kbs.import_assessments)
-- =============================================================================
-- A local aspect under a shipped block, and a retired local block.
SELECT kbs.add_block('income.debt', 'Schuldhulpverlening', parent_code => 'specific.income') AS aspect_id;
SELECT kbs.add_block('local.old', 'Oud blok', ring => 'generic') AS old_block_id;
SELECT kbs.retire_block('local.old', 'vervangen') IS NOT NULL AS retired;

-- The form of team Noord as the spreadsheet writes it: two rows above the
-- header (ring and domain, the Dutch names; the first field holds a comma and
-- a quoted cell a line break), the header row of codes ("Ref", then block
-- codes; an empty last column), levels with spaces and NA, a row of empty
-- cells, and a member without any level (skipped: nothing to import).
CREATE TABLE test.form AS SELECT
    E'Ring, leefgebied;Kern;Generieke competenties;Algemene kennis;"Specifieke\r\nkennis";Specifieke kennis;Inkomen\r\n'
    ';Aansluiting bij de cliënt;Relaties;Lichamelijke gezondheid;Inkomen;Veiligheid;"Schuldhulp; aspect"\r\n'
    'Ref;centre;generic.relationships;general.physical_health;specific.income;specific.safety;income.debt;\r\n'
    'VS-01;3;2;1;4;3;3;\r\n'
    'VS-02;2;1;1;;3;;\r\n'
    'VS-03; 3 ;3;2;1;2;na;\r\n'
    'VS-04;1;1;NA;;;;\r\n'
    ';;;;;;;\r\n'
    'VS-07;2;2;1;3;;;\r\n'
    'VS-06;;;;;;;\r\n'::text AS csv;
-- The dry run returns what the real run does, per person (file row and line,
-- blocks assessed, of which na, drafts replaced), and writes nothing.
SELECT test.state() AS before_dry_run \gset
CREATE TABLE test.form_preview AS
SELECT x.* FROM test.form f, kbs.import_assessments(f.csv, 'GM9999', '2025-03-15', round => 'voorjaar 2025', dry_run => true) x;
SELECT * FROM test.form_preview;
SELECT regexp_replace(test.state(), 'log \d+', 'log n') = regexp_replace(:'before_dry_run', 'log \d+', 'log n')
       AS dry_run_wrote_nothing;
CREATE TABLE test.form_applied AS
SELECT x.* FROM test.form f, kbs.import_assessments(f.csv, 'GM9999', '2025-03-15', round => 'voorjaar 2025') x;
SELECT * FROM test.form_applied;
-- Equal but for the numbers of new assessments, which a dry run does not have.
SELECT (SELECT count(*) FROM (SELECT file_row, file_line, ref, professional_id, action, blocks, not_applicable, replaced FROM test.form_preview
                              EXCEPT ALL
                              SELECT file_row, file_line, ref, professional_id, action, blocks, not_applicable, replaced FROM test.form_applied) d)
       + (SELECT count(*) FROM (SELECT file_row, file_line, ref, professional_id, action, blocks, not_applicable, replaced FROM test.form_applied
                                EXCEPT ALL
                                SELECT file_row, file_line, ref, professional_id, action, blocks, not_applicable, replaced FROM test.form_preview) d)
       AS rows_that_differ,
       (SELECT count(*) FROM test.form_preview WHERE assessment_id IS NOT NULL) AS dry_run_numbers,
       (SELECT count(*) FROM test.form_applied a JOIN kbs.assessment s ON s.id = a.assessment_id) AS real_numbers;
SELECT p.ref, a.assessed_on, a.source, a.status, r.name AS round, a.profile, a.validated_by, a.validated_at
  FROM kbs.assessment a JOIN kbs.professional p ON p.id = a.professional_id LEFT JOIN kbs.assessment_round r ON r.id = a.round_id
 ORDER BY a.id;
-- The same file again: unchanged, no new rows.
SELECT action, count(*) FROM test.form f, kbs.import_assessments(f.csv, 'GM9999', '2025-03-15', round => 'voorjaar 2025') x
 GROUP BY 1 ORDER BY 1;
-- A corrected file (VS-02 now has specific income 3): its draft is replaced, in place.
SELECT ref, action, blocks, replaced, assessment_id
  FROM test.form f,
       kbs.import_assessments(replace(f.csv, E'VS-02;2;1;1;;3;;', E'VS-02;2;1;1;3;3;;'), 'GM9999', '2025-03-15', round => 'voorjaar 2025') x
 WHERE action <> 'unchanged';
SELECT count(*) AS assessments, count(DISTINCT (professional_id, assessed_on, source)) AS distinct_keys FROM kbs.assessment;
SELECT p.ref, a.profile FROM kbs.assessment a JOIN kbs.professional p ON p.id = a.professional_id WHERE p.ref = 'VS-02';

-- A long list: Dutch column names in another order, commas, an empty level
-- (not assessed), na; the supervisor's assessment of VS-01, final at once.
SELECT * FROM kbs.import_assessments(E'bouwsteen,niveau,medewerker\n'
    'centre,3,VS-01\n'
    'generic.relationships,4,VS-01\n'
    'specific.safety,na,VS-01\n'
    'specific.income,,VS-01\n'
    'centre,,VS-06\n', 'GM9999', '2025-03-20', 'supervisor', 'final');
SELECT p.ref, a.assessed_on, a.source, a.status, a.round_id, a.profile FROM kbs.assessment a
  JOIN kbs.professional p ON p.id = a.professional_id WHERE a.source = 'supervisor';

-- Every check, with its message; nothing is written.
SELECT label, r.code, r.message, r.unchanged FROM (VALUES
    ('unknown ref', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-99;2', 'GM9999', '2025-03-15')$$),
    ('ref of another municipality', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nAS-01;2', 'GM9999', '2025-03-15')$$),
    ('not in a team on the date (left)', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-05;2', 'GM9999', '2025-03-15')$$),
    ('not in a team on the date (not yet)', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-09;2', 'GM9999', '2025-02-01')$$),
    ('unknown block code', $$SELECT * FROM kbs.import_assessments(E'ref;centre;specific.incme\nVS-01;2;3', 'GM9999', '2025-03-16')$$),
    ('codes are case sensitive', $$SELECT * FROM kbs.import_assessments(E'ref;Centre\nVS-01;2', 'GM9999', '2025-03-16')$$),
    ('retired block', $$SELECT * FROM kbs.import_assessments(E'ref;centre;local.old\nVS-01;2;3', 'GM9999', '2025-03-16')$$),
    ('block column twice', $$SELECT * FROM kbs.import_assessments(E'ref;centre;generic.roles;centre\nVS-01;2;3;4', 'GM9999', '2025-03-16')$$),
    ('levels under no code', $$SELECT * FROM kbs.import_assessments(E'ref;centre;\nVS-01;2;3', 'GM9999', '2025-03-16')$$),
    ('person twice', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2\nVS-02;3\nVS-01;4', 'GM9999', '2025-03-16')$$),
    ('level 5', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;5', 'GM9999', '2025-03-16')$$),
    ('level -1', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;-1', 'GM9999', '2025-03-16')$$),
    ('level 2.0', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2.0', 'GM9999', '2025-03-16')$$),
    ('level 3,5', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;"3,5"', 'GM9999', '2025-03-16')$$),
    ('level nvt', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;nvt', 'GM9999', '2025-03-16')$$),
    ('fields beyond the header', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2;3', 'GM9999', '2025-03-16')$$),
    ('ref empty', $$SELECT * FROM kbs.import_assessments(E'ref;centre\n;2', 'GM9999', '2025-03-16')$$),
    ('round does not exist', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-03-16', round => 'najaar 2030')$$),
    ('round of another municipality', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nAS-01;2', 'GM9998', '2025-03-16', round => 'voorjaar 2025')$$),
    ('date after the peildatum', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-04-01', round => 'voorjaar 2025')$$),
    ('final never overwritten', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,centre,4', 'GM9999', '2025-03-20', 'supervisor')$$),
    ('unknown source', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-03-16', 'manager')$$),
    ('unknown status', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-03-16', status => 'approved')$$),
    ('date infinite', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', 'infinity')$$),
    ('no header row', $$SELECT * FROM kbs.import_assessments(E'naam;centre\nVS-01;2', 'GM9999', '2025-03-16')$$),
    ('tab is not a delimiter', $$SELECT * FROM kbs.import_assessments(E'ref\tcentre\nVS-01\t2', 'GM9999', '2025-03-16')$$),
    ('header only', $$SELECT * FROM kbs.import_assessments(E'ref;centre\n;\n', 'GM9999', '2025-03-16')$$),
    ('empty', $$SELECT * FROM kbs.import_assessments('', 'GM9999', '2025-03-16')$$),
    ('long: unknown column', $$SELECT * FROM kbs.import_assessments(E'ref,block,level,note\nVS-01,centre,2,x', 'GM9999', '2025-03-16')$$),
    ('long: block empty', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,,2', 'GM9999', '2025-03-16')$$),
    ('long: unknown block', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,centr,2', 'GM9999', '2025-03-16')$$),
    ('long: retired block', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,local.old,2', 'GM9999', '2025-03-16')$$),
    ('long: person and block twice', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,centre,2\nVS-01,centre,2', 'GM9999', '2025-03-16')$$),
    ('long: fields missing', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\nVS-01,centre', 'GM9999', '2025-03-16')$$),
    ('long: ref empty', $$SELECT * FROM kbs.import_assessments(E'ref,block,level\n,centre,2', 'GM9999', '2025-03-16')$$),
    ('broken CSV', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;"2', 'GM9999', '2025-03-16')$$),
    ('unknown municipality', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM0000', '2025-03-16')$$),
    ('data null', $$SELECT * FROM kbs.import_assessments(NULL, 'GM9999', '2025-03-16')$$),
    ('source null', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-03-16', NULL)$$)
) v(label, sql), test.refused(v.sql) r;
-- All problems of a file at once, arguments first, then by line and column.
SELECT * FROM kbs.import_assessments(E'Kern;Relaties\n'
    'ref;centre;generic.relationships;nope;centre\n'
    'VS-01;2;5;1;3\n'
    'VS-99;1;x;;\n'
    'VS-05;1;;;\n'
    'VS-01;1;;;\n', 'GM9999', '2025-04-15', 'self', 'draft', 'voorjaar 2025');
-- A file with more problems than the detail shows: the first 1000, and how many more.
SELECT r.code, r.message, array_length(string_to_array(r.detail, E'\n'), 1) AS detail_lines,
       split_part(r.detail, E'\n', 1) AS first_line, split_part(r.detail, E'\n', 1002) AS last_line, r.unchanged
  FROM test.refused(format(E'SELECT * FROM kbs.import_assessments(%L, %L, %L)',
                           'ref;' || (SELECT string_agg('unknown.b' || g, ';') FROM generate_series(1, 1500) g) || E'\nVS-01',
                           'GM9999', '2025-03-16')) r;

-- =============================================================================
-- 5. The round made final, and the snapshots
-- =============================================================================
-- Drafts do not count: at the round's peildatum Noord has one assessed member
-- (VS-01, by the supervisor's final assessment).
SELECT kbs.refresh_snapshots('2025-03-01', '2025-03-31') > 0 AS computed;
SELECT t.name, s.peildatum, s.members, s.assessed FROM kbs.snapshot s JOIN kbs.team t ON t.id = s.team_id
 WHERE s.peildatum = '2025-03-31' ORDER BY t.id;
SELECT kbs.finalise_round('GM9999', 'voorjaar 2025', 'teamleider Noord') AS made_final;
SELECT p.ref, a.status, a.validated_by, a.validated_at IS NOT NULL AS validated_at_set, r.status AS round_status
  FROM kbs.assessment a JOIN kbs.professional p ON p.id = a.professional_id JOIN kbs.assessment_round r ON r.id = a.round_id
 ORDER BY a.id;
-- The change marked the snapshots dirty; a refresh recomputes them: all five
-- members of Noord are assessed now.
SELECT count(*) > 0 AS marked_dirty FROM kbs.snapshot_dirty WHERE team_id = 1;
SELECT kbs.refresh_snapshots('2025-03-01', '2025-03-31') AS recomputed;
SELECT t.name, s.peildatum, s.members, s.assessed FROM kbs.snapshot s JOIN kbs.team t ON t.id = s.team_id
 WHERE s.peildatum = '2025-03-31' ORDER BY t.id;
SELECT count(*) AS marks_left FROM kbs.snapshot_dirty WHERE team_id = 1;
-- A final round takes nothing more, and a final assessment is never replaced
-- (the error names every one of them).
SELECT label, r.code, r.message, r.detail, r.unchanged FROM (VALUES
    ('round final', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-01;2', 'GM9999', '2025-03-16', round => 'voorjaar 2025')$$),
    ('finalise again', $$SELECT kbs.finalise_round('GM9999', 'voorjaar 2025', 'teamleider')$$),
    ('the finals of the form', $$SELECT * FROM test.form f, kbs.import_assessments(f.csv, 'GM9999', '2025-03-15')$$)
) v(label, sql), test.refused(v.sql) r;


-- =============================================================================
-- 6. A coordinator imports for the people of its own teams only
-- =============================================================================
CREATE ROLE regress_kbs_imp_coordinator LOGIN IN ROLE kbs_coordinator;   -- team Zuid
CREATE ROLE regress_kbs_imp_policy LOGIN IN ROLE kbs_policy;             -- Voorbeeldstad
INSERT INTO kbs.grant (role, team_id) VALUES ('regress_kbs_imp_coordinator', 2);
INSERT INTO kbs.grant (role, municipality) VALUES ('regress_kbs_imp_policy', 'GM9999');
GRANT USAGE ON SCHEMA test TO PUBLIC;
GRANT EXECUTE ON FUNCTION test.refused(text) TO PUBLIC;
SET ROLE regress_kbs_imp_coordinator;
-- Zuid's people on 25 March: VS-06 and VS-08. A dry run, then the import.
SELECT ref, action, blocks, assessment_id FROM kbs.import_assessments(E'ref;centre;generic.relationships\nVS-06;2;3\nVS-08;1;\n',
                                                                       'GM9999', '2025-03-25', dry_run => true);
SELECT ref, action, blocks, assessment_id IS NOT NULL AS written
  FROM kbs.import_assessments(E'ref;centre;generic.relationships\nVS-06;2;3\nVS-08;1;\n', 'GM9999', '2025-03-25');
-- Refused: VS-01 is Noord's (the coordinator does not see VS-01), VS-07 moved to
-- Noord (Zuid's coordinator sees VS-07, but no team of VS-07 on that date).
-- Its reading rights stop the import, not a check of its own.
SELECT label, r.code, r.message FROM (VALUES
    ('a member of another team', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-06;3\nVS-01;2', 'GM9999', '2025-03-26')$$),
    ('a former member', $$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-07;2', 'GM9999', '2025-03-26')$$),
    ('the import log', $$SELECT count(*) FROM kbs.import_log$$),
    ('a roster', $$SELECT * FROM kbs.import_people(E'team;ref;start\nZuid;VS-06;2024-01-01', 'GM9999', '2025-03-01')$$),
    ('a requirement', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;all', 2, '2025-04-01')$$),
    ('a round', $$SELECT kbs.open_round('GM9999', 'najaar 2025', '2025-09-30')$$),
    ('a round made final', $$SELECT kbs.finalise_round('GM9999', 'voorjaar 2025', 'ik')$$)
) v(label, sql), test.refused(v.sql) r;
RESET ROLE;
SELECT p.ref, a.assessed_on, a.source, a.status, a.profile FROM kbs.assessment a
  JOIN kbs.professional p ON p.id = a.professional_id WHERE a.assessed_on = '2025-03-25' ORDER BY p.ref;
SET ROLE regress_kbs_imp_policy;
SELECT r.code, r.message FROM test.refused($$SELECT * FROM kbs.import_assessments(E'ref;centre\nVS-06;3', 'GM9999', '2025-03-27')$$) r;
RESET ROLE;

-- =============================================================================
-- 7. Needed knowledge (kbs.import_requirement)
-- =============================================================================
CREATE TABLE test.requirement AS SELECT
    E'block;level;members;importance\n'
    'generic.relationships;1;iedereen;\n'
    'general.physical_health;1;All;2\n'
    'specific.income;3;1;3\n'
    'specific.safety;3;2;\n'
    'centre;;;\n'
    'income.debt;2;1;1\n'::text AS csv;
SELECT * FROM test.requirement r, kbs.import_requirement(r.csv, 1, '2025-01-01') x;
SELECT t.team_id, t.during, t.requirement FROM kbs.team_requirement t ORDER BY t.id;
-- Again: unchanged. Corrected for the same date: replaced in place.
SELECT action, team_requirement_id, entries FROM test.requirement r, kbs.import_requirement(r.csv, 1, '2025-01-01') x;
SELECT action, team_requirement_id, starts_on, ends_on, requirement
  FROM test.requirement r, kbs.import_requirement(replace(r.csv, 'specific.safety;3;2;', 'specific.safety;3;3;3'), 1, '2025-01-01') x;
-- From 1 April: the period in force ends on 31 March. The dry run first.
SELECT test.state() AS before_dry_run \gset
CREATE TABLE test.req_preview AS
SELECT x.* FROM kbs.import_requirement(E'block,level,members\ngeneric.relationships,2,all\nspecific.income,3,2\n', 1, '2025-04-01', true) x;
SELECT * FROM test.req_preview;
SELECT regexp_replace(test.state(), 'log \d+', 'log n') = regexp_replace(:'before_dry_run', 'log \d+', 'log n')
       AS dry_run_wrote_nothing;
CREATE TABLE test.req_applied AS
SELECT x.* FROM kbs.import_requirement(E'block,level,members\ngeneric.relationships,2,all\nspecific.income,3,2\n', 1, '2025-04-01') x;
SELECT * FROM test.req_applied;
SELECT count(*) AS rows_that_differ
  FROM (SELECT action, starts_on, ends_on, entries, requirement::text, CASE WHEN action = 'added' THEN NULL ELSE team_requirement_id END
          FROM test.req_preview
        EXCEPT ALL
        SELECT action, starts_on, ends_on, entries, requirement::text, CASE WHEN action = 'added' THEN NULL ELSE team_requirement_id END
          FROM test.req_applied) d;
SELECT t.team_id, t.during, t.requirement FROM kbs.team_requirement t ORDER BY t.id;
-- Every check.
SELECT label, r.code, r.message, r.unchanged FROM (VALUES
    ('unknown column', $$SELECT * FROM kbs.import_requirement(E'block;level;members;why\ncentre;1;1;x', 1, '2025-05-01')$$),
    ('column twice', $$SELECT * FROM kbs.import_requirement(E'block;level;niveau;members\ncentre;1;1;1', 1, '2025-05-01')$$),
    ('members column missing', $$SELECT * FROM kbs.import_requirement(E'block;level\ncentre;1', 1, '2025-05-01')$$),
    ('fields missing', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1', 1, '2025-05-01')$$),
    ('block empty', $$SELECT * FROM kbs.import_requirement(E'block;level;members\n;1;1', 1, '2025-05-01')$$),
    ('unknown block', $$SELECT * FROM kbs.import_requirement(E'block;level;members\nspecific.incme;1;1', 1, '2025-05-01')$$),
    ('retired block', $$SELECT * FROM kbs.import_requirement(E'block;level;members\nlocal.old;1;1', 1, '2025-05-01')$$),
    ('level 0', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;0;1', 1, '2025-05-01')$$),
    ('level 5', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;5;1', 1, '2025-05-01')$$),
    ('level na', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;na;1', 1, '2025-05-01')$$),
    ('members empty', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;', 1, '2025-05-01')$$),
    ('members 0', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;0', 1, '2025-05-01')$$),
    ('members too many', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;99999999999', 1, '2025-05-01')$$),
    ('members some', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;sommigen', 1, '2025-05-01')$$),
    ('importance 4', $$SELECT * FROM kbs.import_requirement(E'block;level;members;importance\ncentre;1;1;4', 1, '2025-05-01')$$),
    ('importance high', $$SELECT * FROM kbs.import_requirement(E'block;level;members;importance\ncentre;1;1;hoog', 1, '2025-05-01')$$),
    ('block twice', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1\ncentre;2;1', 1, '2025-05-01')$$),
    ('no requirement at all', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;;1', 1, '2025-05-01')$$),
    ('empty file', $$SELECT * FROM kbs.import_requirement('', 1, '2025-05-01')$$),
    ('a later period exists', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', 1, '2025-03-01')$$),
    ('team not there yet', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', 3, '2025-01-01')$$),
    ('unknown team', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', 99, '2025-05-01')$$),
    ('valid_from infinite', $$SELECT * FROM kbs.import_requirement(E'block;level;members\ncentre;1;1', 1, 'infinity')$$),
    ('data null', $$SELECT * FROM kbs.import_requirement(NULL, 1, '2025-05-01')$$)
) v(label, sql), test.refused(v.sql) r;
SELECT * FROM kbs.import_requirement(E'block;level;members;importance\n'
    'centre;5;1;2\n'
    'nope;1;;\n'
    'generic.roles;1;iedereen;0\n'
    'centre;1;1;\n', 1, '2025-03-01');

-- =============================================================================
-- 8. The import log: who, when, what, the file's SHA-256, rows, outcome; no
--    levels, no people. Failed imports left no row (see the server log).
-- =============================================================================
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
 WHERE a.attrelid = 'kbs.import_log'::regclass AND a.attnum > 0 ORDER BY a.attnum;
SELECT l.id, l.imported_by, l.kind, l.municipality, l.team_id, l.data_rows, l.dry_run, l.outcome, l.changes, l.detail,
       l.imported_at <= now() AS at
  FROM kbs.import_log l ORDER BY l.id;
SELECT l.sha256 = encode(sha256(convert_to(f.csv, 'UTF8')), 'hex') AS sha256_of_the_form
  FROM kbs.import_log l, test.form f WHERE l.id = (SELECT min(x.id) FROM kbs.import_log x WHERE x.kind = 'assessments');
-- A coordinator cannot write a row in another's name.
SET ROLE regress_kbs_imp_coordinator;
SELECT test.error_of($$INSERT INTO kbs.import_log (imported_by, kind, municipality, sha256, data_rows, dry_run, outcome, changes)
                       VALUES ('postgres', 'people', 'GM9999', repeat('0', 64), 1, false, 'imported', 1)$$) AS forged;
RESET ROLE;

-- =============================================================================
-- 9. The training demand (kbs.v_training_demand)
-- =============================================================================
-- Open plan items for specific income, level 3, planned for the third quarter:
-- five Noord members and one of Zuid (six people, two teams). Safety level 3 in
-- progress for one person of Noord; participation level 2 proposed for one of
-- Zuid. Done, cancelled and team actions do not count; Anderstad has one.
CREATE FUNCTION test.team(name text) RETURNS integer LANGUAGE sql AS $$ SELECT id FROM kbs.team WHERE name = $1 $$;
CREATE FUNCTION test.person(municipality text, ref text) RETURNS integer
LANGUAGE sql AS $$ SELECT id FROM kbs.professional WHERE municipality = $1 AND ref = $2 $$;
INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on, done_on)
SELECT test.team('Noord'), test.person('GM9999', r), 33, 3, date '2025-09-30', 'planned', date '2025-04-01', NULL::date
  FROM unnest(ARRAY['VS-01', 'VS-02', 'VS-03', 'VS-04', 'VS-07']) r
UNION ALL SELECT test.team('Zuid'), test.person('GM9999', 'VS-06'), 33, 3, '2025-08-15', 'planned', '2025-04-01', NULL
UNION ALL SELECT test.team('Noord'), test.person('GM9999', 'VS-02'), 36, 3, '2025-06-30', 'in_progress', '2025-04-01', NULL
UNION ALL SELECT test.team('Zuid'), test.person('GM9999', 'VS-08'), 34, 2, '2025-12-31', 'proposed', '2025-04-01', NULL
UNION ALL SELECT test.team('Noord'), test.person('GM9999', 'VS-05'), 33, 3, '2025-09-30', 'done', '2025-04-01', '2025-04-20'
UNION ALL SELECT test.team('West'), test.person('GM9999', 'VS-09'), 33, 3, '2025-09-30', 'cancelled', '2025-04-01', NULL
UNION ALL SELECT test.team('Noord'), NULL, 33, 3, '2025-09-30', 'planned', '2025-04-01', NULL
UNION ALL SELECT test.team('Centrum'), test.person('GM9998', 'AS-01'), 33, 3, '2025-09-30', 'planned', '2025-04-01', NULL;
SET kbs.as_of = '2025-04-30';
-- An administrator sees every cell.
SELECT peildatum, municipality_code, wheel_order, block_code, target_level, target_level_label, status_code, status_label,
       due_quarter, due_quarter_label, people, teams, suppressed
  FROM kbs.v_training_demand ORDER BY municipality_code, wheel_order, target_level, status_code, due_quarter;
-- Policy of Voorbeeldstad: cells of fewer than k = 5 people are suppressed (NULL,
-- never 0); Anderstad is not there.
SET ROLE regress_kbs_imp_policy;
SELECT municipality_code, block_code, target_level, status_code, due_quarter_label, people, teams, suppressed
  FROM kbs.v_training_demand ORDER BY municipality_code, wheel_order, target_level, status_code, due_quarter;
SELECT count(*) AS shown_below_k FROM kbs.v_training_demand WHERE NOT suppressed AND people < 5;
SELECT count(*) AS suppressed_with_numbers FROM kbs.v_training_demand WHERE suppressed AND (people IS NOT NULL OR teams IS NOT NULL);
RESET ROLE;
-- Zuid's coordinator: a cell of its own team alone is shown whatever its size;
-- one with Noord's people only when it has k of them.
SET ROLE regress_kbs_imp_coordinator;
SELECT municipality_code, block_code, target_level, status_code, due_quarter_label, people, teams, suppressed
  FROM kbs.v_training_demand ORDER BY municipality_code, wheel_order, target_level, status_code, due_quarter;
RESET ROLE;
-- Before the items were made nothing is asked for.
SET kbs.as_of = '2025-03-31';
SELECT count(*) AS cells_on_31_march FROM kbs.v_training_demand;
RESET kbs.as_of;

-- =============================================================================
-- 10. Hostile input: names are data, formulas are no refs, odd line ends
-- =============================================================================
-- A team named like SQL or markup is just a name; a ref that starts a
-- spreadsheet formula is refused; a long name is kept whole; CR line ends.
SELECT change, left(team, 40) AS team, ref FROM kbs.import_people(
    E'team;ref;start\r'
    '"Robert''); DROP TABLE kbs.team; --";VS-01;2024-01-01\r'
    '"</script><script>alert(1)</script>";VS-02;2024-01-01\r'
    '"' || repeat('Lang ', 2000) || E'";VS-03;2024-01-01\r', 'GM9998', '2025-03-01') WHERE change = 'team_added';
SELECT count(*) AS teams, max(length(name)) AS longest_name FROM kbs.team;
SELECT r.code, r.message FROM test.refused($$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;=SUM(A1:A9);2024-01-01', 'GM9999', '2025-03-01')$$) r;
SELECT r.code, r.message FROM test.refused($$SELECT * FROM kbs.import_people(E'team;ref;start\nNoord;VS-é;2024-01-01', 'GM9999', '2025-03-01')$$) r;
-- A wide form of 16384 columns (Excel's maximum): every unknown code found.
SELECT r.code, r.message, split_part(r.detail, E'\n', 1) AS first_line
  FROM test.refused(format(E'SELECT * FROM kbs.import_assessments(%L, %L, %L)',
                           'ref;' || (SELECT string_agg('x' || g, ';') FROM generate_series(1, 16383) g) || E'\nVS-06;1',
                           'GM9999', '2025-03-28')) r;
-- A level of a megabyte: the message shows the first 300 characters of the problem.
SELECT r.code, length(r.message) AS message_length, right(r.message, 12) AS message_end, r.detail
  FROM test.refused(format(E'SELECT * FROM kbs.import_assessments(%L, %L, %L)',
                           E'ref;centre\nVS-06;' || repeat('7', 1048576), 'GM9999', '2025-03-28')) r;
-- The header found by name in any case, quoted; a byte order mark before it.
SELECT ref, action, blocks FROM kbs.import_assessments(E'\uFEFF"REF";"centre"\r\nVS-06;3\r\n', 'GM9999', '2025-03-30');
SELECT ref, action, blocks FROM kbs.import_assessments(E'Niveau,"Bouwsteen",MEDEWERKER\n2,centre,VS-06\n', 'GM9999', '2025-03-31');
-- Quotes, delimiters and line breaks inside the cells of the rows above the header.
SELECT ref, action, blocks FROM kbs.import_assessments(
    E'"ref;""quoted""\r\nref";"a,b"\n"\n";\n;\nref,centre\nVS-06,4\n', 'GM9999', '2025-03-29');

-- =============================================================================
-- 11. More of the roster's rules, in a municipality of their own: a recorded
--     next stint, an end date taken away, a membership that starts later
-- =============================================================================
INSERT INTO kbs.municipality VALUES ('GM9997', 'Derdestad');
SELECT * FROM kbs.import_people(E'team;ref;start;end\n'
    'A;X-1;2024-01-01;\n'
    'B;X-1;2025-06-01;\n'
    'A;X-2;2024-01-01;2024-12-31\n'
    'C;X-3;2025-03-01;\n', 'GM9997', '2025-01-01');
-- On 1 February X-1 is listed in B only: A ends the day before B starts (B was
-- recorded already, so no move); X-2's end date is gone: the stint goes on;
-- X-3, who starts in March, is not the roster's business yet.
SELECT * FROM kbs.import_people(E'team;ref;start\nB;X-1;2025-06-01\nA;X-2;2024-01-01\n', 'GM9997', '2025-02-01');
SELECT p.ref, t.name AS team, m.during FROM kbs.membership m JOIN kbs.professional p ON p.id = m.professional_id
  JOIN kbs.team t ON t.id = m.team_id WHERE p.municipality = 'GM9997' ORDER BY p.ref, m.during;
SELECT count(*) AS changes_the_second_time
  FROM kbs.import_people(E'team;ref;start\nB;X-1;2025-06-01\nA;X-2;2024-01-01\n', 'GM9997', '2025-02-01');

-- Clean up: the database and the test roles (the kbs_* group roles stay).
\c kbs_regress
DROP DATABASE kbs_import;
DROP ROLE regress_kbs_imp_coordinator, regress_kbs_imp_policy;
