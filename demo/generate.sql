-- Synthetic demo data for kennisbouwstenen (issue 6). Deterministic: every
-- "random" choice is a hash of stable keys, and rows are inserted in a fixed
-- order, so two runs in fresh databases give identical rows and ids.
--
--   psql -v ON_ERROR_STOP=1 -d db -f demo/generate.sql                  # demo: 3 municipalities
--   psql -v scale=national -d db -f demo/generate.sql                   # 345 synthetic municipalities (~40,000 people)
--   psql -v scale=national -v municipalities=10 -d db -f demo/generate.sql   # smaller national smoke run
--
-- Run after CREATE EXTENSION kennisbouwstenen in an empty database. Uses only
-- the extension's public tables and functions. All people are fictitious
-- (pseudonymous refs); the local aspects are illustrative, not an official list.
\set ON_ERROR_STOP 1
\if :{?scale}
\else
\set scale demo
\endif
\if :{?municipalities}
\else
\set municipalities 345
\endif
SET client_min_messages = warning;
SELECT CASE WHEN :'scale' IN ('demo', 'national') THEN 'ok'
            ELSE ('unknown scale "' || :'scale' || '" (use demo or national)')::integer::text END AS scale_check \gset

BEGIN;

-- A number in [0, 1) from a key: the only source of randomness. The demo
-- hashes with md5 (its data stay as they were); the national scale, which
-- calls this some ten million times, with PostgreSQL's own 64-bit string hash,
-- about four times faster.
CREATE FUNCTION pg_temp.rnd(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN :'scale' = 'national'
            THEN (hashtextextended(key, 20261207) & 4294967295) / 4294967296.0
            ELSE ('x' || substr(md5('kbs-demo:' || key), 1, 8))::bit(32)::bigint / 4294967296.0 END;

-- Municipalities -----------------------------------------------------------------
CREATE TEMP TABLE g_muni AS
SELECT * FROM (VALUES
    (1, 'GM0307', 'Amersfoort', ARRAY['Sociaal wijkteam Vathorst', 'Sociaal wijkteam Kattenbroek',
        'Sociaal wijkteam Schothorst', 'Sociaal wijkteam Soesterkwartier', 'Sociaal wijkteam Liendert',
        'Sociaal wijkteam Nieuwland', 'Jeugdteam Amersfoort']),
    (2, 'GM0392', 'Haarlem', ARRAY['Sociaal wijkteam Schalkwijk', 'Sociaal wijkteam Haarlem-Noord',
        'Sociaal wijkteam Haarlem-Oost', 'Sociaal wijkteam Centrum', 'Sociaal wijkteam Zuid-West',
        'Jeugdteam Haarlem']),
    (3, 'GM0473', 'Zandvoort', ARRAY['Sociaal team Zandvoort', 'Wijkteam Zandvoort-Noord',
        'Wijkteam Zandvoort-Zuid', 'Jeugdteam Zandvoort'])
) v(no, code, name, team_names)
WHERE :'scale' = 'demo'
UNION ALL
SELECT n, format('GM%s', lpad(n::text, 4, '0')), format('Gemeente %s (synthetisch)', n),
       ARRAY(SELECT CASE WHEN t = 1 THEN 'Jeugdteam ' || n ELSE format('Wijkteam %s-%s', n, t - 1) END
               FROM generate_series(1, 10 + floor(pg_temp.rnd('teams:' || n) * 3)::int) t ORDER BY t)
  FROM generate_series(1, :municipalities) n
 WHERE :'scale' = 'national';

INSERT INTO kbs.municipality (code, name) SELECT code, name FROM g_muni ORDER BY no;

-- Half-yearly rounds, 2023-03-31 .. 2026-09-30 ---------------------------------------
CREATE TEMP TABLE g_round AS
SELECT r AS rno, (date '2023-03-31' + (6 * (r - 1)) * interval '1 month')::date AS peil
  FROM generate_series(1, 8) r;

INSERT INTO kbs.assessment_round (municipality, name, peildatum, status)
SELECT m.code, CASE WHEN extract(month FROM r.peil) = 3 THEN 'voorjaar ' ELSE 'najaar ' END || extract(year FROM r.peil),
       r.peil, 'final'
  FROM g_muni m, g_round r ORDER BY m.no, r.rno;

-- Teams ----------------------------------------------------------------------------
INSERT INTO kbs.team (municipality, name, kind, active)
SELECT m.code, tn, CASE WHEN tn LIKE 'Jeugdteam%' THEN 'jeugdteam' ELSE 'wijkteam' END, '[2022-01-01,)'
  FROM g_muni m, unnest(m.team_names) WITH ORDINALITY u(tn, tno)
 ORDER BY m.no, u.tno;

CREATE TEMP TABLE g_team AS
SELECT m.code AS muni, m.no AS mno, u.tno::int AS tno, t.id AS team_id, t.kind,
       7 + floor(pg_temp.rnd('size:' || m.code || ':' || u.tno) * 7)::int AS size,          -- 7..13
       pg_temp.rnd('grow:' || m.code || ':' || u.tno) < 0.4 AS grows                       -- one extra post from 2024
  FROM g_muni m CROSS JOIN LATERAL unnest(m.team_names) WITH ORDINALITY u(tn, tno)
  JOIN kbs.team t ON t.municipality = m.code AND t.name = u.tn;

-- Posts (slots) and who fills them: people leave between rounds and are replaced,
-- sometimes after a vacancy; some teams grow by a post.
CREATE TEMP TABLE g_slot AS
SELECT t.muni, t.mno, t.tno, s AS slot,
       CASE WHEN s > t.size THEN date '2024-05-01' + floor(pg_temp.rnd('gs:' || t.muni || t.tno) * 60)::int
            ELSE date '2022-09-01' END AS start_on
  FROM g_team t, generate_series(1, t.size + t.grows::int) s;

CREATE TEMP TABLE g_change AS
SELECT s.muni, s.mno, s.tno, s.slot, k,
       r.peil + 40 + floor(pg_temp.rnd(format('leave:%s:%s:%s:%s', s.muni, s.tno, s.slot, k)) * 90)::int AS leave_on,
       floor(pg_temp.rnd(format('vac:%s:%s:%s:%s', s.muni, s.tno, s.slot, k)) * 45)::int AS vacancy,
       row_number() OVER (PARTITION BY s.muni, s.tno, s.slot ORDER BY k) AS gen
  FROM g_slot s
 CROSS JOIN generate_series(1, 7) k
  JOIN g_round r ON r.rno = k
 WHERE pg_temp.rnd(format('chg:%s:%s:%s:%s', s.muni, s.tno, s.slot, k)) < 0.09
   AND NOT (s.tno = 1 AND s.slot = 1)                 -- the post of the person who moves team
   AND r.peil + 40 > s.start_on;

CREATE TEMP TABLE g_occ AS
SELECT s.muni, s.mno, s.tno, s.slot, 0::bigint AS gen, s.start_on,
       CASE WHEN s.tno = 1 AND s.slot = 1 THEN date '2025-01-15' ELSE fc.first_leave END AS end_on,
       format('%s/%s/%s/0', s.muni, s.tno, s.slot) AS pk
  FROM g_slot s
  LEFT JOIN (SELECT c.muni, c.tno, c.slot, min(c.leave_on) AS first_leave FROM g_change c
              GROUP BY c.muni, c.tno, c.slot) fc ON (fc.muni, fc.tno, fc.slot) = (s.muni, s.tno, s.slot)
UNION ALL
SELECT c.muni, c.mno, c.tno, c.slot, c.gen, c.leave_on + c.vacancy,
       lead(c.leave_on) OVER (PARTITION BY c.muni, c.tno, c.slot ORDER BY c.gen),
       format('%s/%s/%s/%s', c.muni, c.tno, c.slot, c.gen)
  FROM g_change c
UNION ALL   -- the successor of the person who moves team
SELECT s.muni, s.mno, 1, 1, 1, date '2025-03-01', NULL, format('%s/1/1/1', s.muni)
  FROM g_slot s WHERE s.tno = 1 AND s.slot = 1
UNION ALL   -- the mover: from team 1 to team 2 on 2025-01-15
SELECT s.muni, s.mno, 2, 0, 0, date '2025-01-15', NULL, format('%s/1/1/0', s.muni)
  FROM g_slot s WHERE s.tno = 1 AND s.slot = 1;

-- Professionals and their disciplines --------------------------------------------
CREATE TEMP TABLE g_disc (discipline text, wijk_w int, jeugd_w int);
INSERT INTO g_disc VALUES
    ('maatschappelijk werker', 30, 15), ('wijkverpleegkundige', 14, 0), ('schuldhulpverlener', 12, 2),
    ('jeugdverpleegkundige', 6, 25), ('ggz-verpleegkundige', 10, 8), ('jeugd- en gezinswerker', 5, 40),
    ('Wmo-consulent', 12, 0), ('cliëntondersteuner', 7, 5), ('participatiecoach', 4, 5);
CREATE TEMP TABLE g_disc_range AS
SELECT discipline, kind,
       (sum(w) OVER (PARTITION BY kind ORDER BY discipline) - w)::float8 / sum(w) OVER (PARTITION BY kind) AS lo,
       sum(w) OVER (PARTITION BY kind ORDER BY discipline)::float8 / sum(w) OVER (PARTITION BY kind) AS hi
  FROM (SELECT discipline, 'wijkteam' AS kind, wijk_w AS w FROM g_disc
        UNION ALL SELECT discipline, 'jeugdteam', jeugd_w FROM g_disc) x
 WHERE w > 0;

CREATE TEMP TABLE g_person AS
SELECT p.pk, p.muni, p.mno, p.first_tno, p.first_slot, p.first_gen,
       row_number() OVER (PARTITION BY p.muni ORDER BY p.first_tno, p.first_slot, p.first_gen) AS seq,
       d.discipline, NULL::integer AS professional_id
  FROM (SELECT DISTINCT ON (o.pk) o.pk, o.muni, o.mno, o.tno AS first_tno, o.slot AS first_slot, o.gen AS first_gen
          FROM g_occ o ORDER BY o.pk, o.start_on) p
  JOIN g_team t ON t.muni = p.muni AND t.tno = p.first_tno
  JOIN g_disc_range d ON d.kind = t.kind
       AND pg_temp.rnd('disc:' || p.pk) >= d.lo AND pg_temp.rnd('disc:' || p.pk) < d.hi;

INSERT INTO kbs.professional (municipality, ref, discipline)
SELECT muni, format('%s-%s', muni, lpad(seq::text, 5, '0')), discipline FROM g_person ORDER BY mno, seq;
UPDATE g_person g SET professional_id = p.id
  FROM kbs.professional p WHERE p.municipality = g.muni AND p.ref = format('%s-%s', g.muni, lpad(g.seq::text, 5, '0'));

INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT g.professional_id, t.team_id, daterange(o.start_on, o.end_on)
  FROM g_occ o JOIN g_person g USING (pk) JOIN g_team t ON t.muni = o.muni AND t.tno = o.tno
 ORDER BY o.mno, o.tno, o.slot, o.gen, o.start_on;

-- Team requirements from the shipped templates: basis, and for some teams robuust from 2025.
INSERT INTO kbs.team_requirement (team_id, during, requirement, template, note)
SELECT t.team_id, x.during, rt.requirement, rt.code, x.note
  FROM g_team t
 CROSS JOIN LATERAL (
        SELECT daterange('2022-01-01', CASE WHEN pg_temp.rnd('robuust:' || t.team_id) < 0.5 THEN date '2025-01-01' END) AS during,
               'basis' AS tpl, 'Startniveau: basis.' AS note
        UNION ALL
        SELECT daterange('2025-01-01', NULL), 'robuust', 'Vanaf 2025 robuust: geen enkelvoudig kennispunt.'
         WHERE pg_temp.rnd('robuust:' || t.team_id) < 0.5) x
  JOIN kbs.requirement_template rt ON rt.code = x.tpl
 ORDER BY t.mno, t.tno, lower(x.during);

-- Illustrative local aspects (not an official list) ---------------------------------
SELECT count(*) AS aspects FROM kbs.import_blocks(
$csv$code;parent_code;ring;domain;name;description
demo.income.debt_counselling;specific.income;;;Schuldhulpverlening;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
demo.income.benefits;specific.income;;;Toeslagen en inkomensregelingen;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
demo.safety.domestic_violence;specific.safety;;;Huiselijk geweld en de meldcode;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
demo.mental_health.suicide_prevention;specific.mental_health;;;Suïcidepreventie;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
demo.parenting.divorce;specific.parenting;;;Scheiding en kinderen;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
demo.daily_functioning.dementia;specific.daily_functioning;;;Dementie en mantelzorg;Illustratief: voorbeeldaspect voor de demo, geen officiële aspectenlijst.
$csv$, 'Illustratief: voorbeeldaspecten voor de demo') \gset
SELECT kbs.add_block('demo.generic.digital', 'Digitale vaardigheden (illustratief)', ring => 'generic',
       description => 'Illustratief: lokale bouwsteen als voorbeeld voor de demo.') AS digital_block \gset

CREATE TEMP TABLE g_aspect AS
SELECT b.id AS block_id, b.parent_id FROM kbs.block b WHERE b.code LIKE 'demo.%' AND b.parent_id IS NOT NULL;
-- Youth teams ask for a local aspect as well (illustrative): two members at level 2 on divorce and children.
UPDATE kbs.team_requirement r
   SET requirement = kbs.requirement_from_jsonb(kbs.requirement_jsonb(r.requirement)
                                                || '{"demo.parenting.divorce": {"level": 2, "members": 2}}'),
       note = r.note || ' Met een lokaal aspect: scheiding en kinderen (illustratief).'
  FROM g_team t
 WHERE t.team_id = r.team_id AND t.kind = 'jeugdteam';

-- Ketenpartners -------------------------------------------------------------------
INSERT INTO kbs.partner (municipality, organisation, description, profile, during)
SELECT m.code, format(x.org, m.name), x.descr, x.prof::jsonb::kbs.profile, '[2022-01-01,)'
  FROM g_muni m
 CROSS JOIN (VALUES
    (1, 'Schuldhulpverlening %s', 'Gemeentelijke schuldhulp; schuift aan bij complexe schulden.',
        '{"specific.income": 4, "general.income": 4, "demo.income.debt_counselling": 4}'),
    (2, 'GGZ-instelling regio %s', 'Consultatie door een ggz-verpleegkundige specialist.',
        '{"specific.mental_health": 4, "general.mental_health": 4, "demo.mental_health.suicide_prevention": 3}'),
    (3, 'Veilig Thuis (regio %s)', 'Advies en meldingen huiselijk geweld en kindermishandeling.',
        '{"specific.safety": 4, "general.safety": 4, "demo.safety.domestic_violence": 4}')) x(no, org, descr, prof)
 ORDER BY m.no, x.no;
INSERT INTO kbs.partner_team (partner_id, team_id)
SELECT p.id, t.team_id FROM kbs.partner p JOIN g_team t ON t.muni = p.municipality
 WHERE pg_temp.rnd(format('pt:%s:%s', p.id, t.team_id)) < 0.7
 ORDER BY p.id, t.team_id;

-- What each discipline knows: a base level per shipped block ---------------------
-- Each discipline is deep in one domain (specific knowledge well above the rest)
-- and knows a little of the others, so most people become T-shaped: broad in
-- general knowledge and deep in one domain. Π (deep in a second domain) and I
-- (deep, not yet broad: see g_levels) are rarer.
CREATE TEMP TABLE g_base AS
SELECT d.discipline, b.id AS block_id,
       CASE b.ring
            WHEN 'centre' THEN 2.6
            WHEN 'generic' THEN 2.2
            WHEN 'general' THEN 1.3
            WHEN 'specific' THEN 0.9
            ELSE 1.0 END
       + coalesce((SELECT x.boost FROM (VALUES
            ('maatschappelijk werker', 34, 0.4), ('maatschappelijk werker', 36, 2.3), ('maatschappelijk werker', 33, 0.4),
            ('maatschappelijk werker', 37, 0.4), ('maatschappelijk werker', 35, 0.3), ('maatschappelijk werker', 26, 0.9),
            ('maatschappelijk werker', 24, 0.7), ('maatschappelijk werker', 23, 0.7), ('maatschappelijk werker', 27, 0.7),
            ('maatschappelijk werker', 46, 1.0),
            ('schuldhulpverlener', 33, 2.8), ('schuldhulpverlener', 23, 1.8), ('schuldhulpverlener', 34, 0.4),
            ('schuldhulpverlener', 45, 1.5),
            ('jeugdverpleegkundige', 35, 2.5), ('jeugdverpleegkundige', 31, 0.6), ('jeugdverpleegkundige', 25, 1.6),
            ('jeugdverpleegkundige', 21, 1.6), ('jeugdverpleegkundige', 41, 2.0),
            ('ggz-verpleegkundige', 37, 2.7), ('ggz-verpleegkundige', 27, 1.8), ('ggz-verpleegkundige', 31, 0.4),
            ('ggz-verpleegkundige', 36, 0.3), ('ggz-verpleegkundige', 21, 0.8),
            ('wijkverpleegkundige', 31, 2.7), ('wijkverpleegkundige', 32, 0.6), ('wijkverpleegkundige', 21, 1.8),
            ('wijkverpleegkundige', 22, 1.6), ('wijkverpleegkundige', 42, 2.0), ('wijkverpleegkundige', 48, 2.0),
            ('wijkverpleegkundige', 43, 1.0),
            ('jeugd- en gezinswerker', 35, 2.6), ('jeugd- en gezinswerker', 36, 0.5), ('jeugd- en gezinswerker', 25, 1.8),
            ('jeugd- en gezinswerker', 41, 2.2), ('jeugd- en gezinswerker', 37, 0.2),
            ('Wmo-consulent', 32, 2.4), ('Wmo-consulent', 34, 0.4), ('Wmo-consulent', 22, 1.5), ('Wmo-consulent', 42, 1.6),
            ('Wmo-consulent', 43, 1.0),
            ('cliëntondersteuner', 34, 2.3), ('cliëntondersteuner', 32, 0.4), ('cliëntondersteuner', 44, 2.3),
            ('cliëntondersteuner', 43, 1.6), ('cliëntondersteuner', 24, 1.2),
            ('participatiecoach', 34, 2.6), ('participatiecoach', 24, 1.8), ('participatiecoach', 23, 0.9),
            ('participatiecoach', 41, 1.6), ('participatiecoach', 46, 1.2)) x(discipline, block_id, boost)
          WHERE x.discipline = d.discipline AND x.block_id = b.id), 0) AS base
  FROM g_disc d, kbs.block b
 WHERE b.shipped;

-- Who is assessed in which round: members at the peildatum, except people who
-- joined less than two months before it (missing), a few who stopped after
-- 2023 (their assessment goes stale), and the odd skipped round.
CREATE TEMP VIEW g_assessed AS
SELECT DISTINCT ON (r.rno, g.pk) r.rno, r.peil, g.pk, g.professional_id, g.discipline,
       (SELECT count(*) FROM g_round r2 WHERE r2.peil <= r.peil AND r2.peil >= fo.first_start) AS rounds_in,
       r.peil - floor(pg_temp.rnd('on:' || g.pk || r.rno) * 21)::int AS assessed_on
  FROM g_round r
  JOIN g_occ o ON o.start_on <= r.peil - 60 AND (o.end_on IS NULL OR o.end_on > r.peil)
  JOIN g_person g USING (pk)
  JOIN (SELECT pk, min(start_on) AS first_start FROM g_occ GROUP BY pk) fo USING (pk)
 WHERE NOT (pg_temp.rnd('avoid:' || g.pk) < 0.06 AND r.rno > 2)
   AND pg_temp.rnd('skip:' || g.pk || ':' || r.rno) >= 0.07
 ORDER BY r.rno, g.pk;

-- One row per person, round and block: the supervisor's level (growth with
-- time in service, training done before the assessment) and the person's own.
-- Only the rounds being inserted (g_phase): the levels cost time, and those of
-- later rounds depend on the plans done before them.
CREATE TEMP TABLE g_phase (lo int, hi int);
INSERT INTO g_phase VALUES (1, 8);
CREATE TEMP VIEW g_levels AS
WITH sup AS (
    SELECT a.rno, a.pk, a.professional_id, a.assessed_on, b.block_id,
           pg_temp.rnd(format('na:%s:%s', a.pk, b.block_id)) < 0.05 AND b.block_id BETWEEN 41 AND 48 AS na,
           greatest(0, least(4, floor(b.base
                -- about one in seven people knows little of half the domains yet (not broad: I-shaped when deep)
                - CASE WHEN b.block_id BETWEEN 21 AND 27 AND pg_temp.rnd('narrow:' || a.pk) < 0.14
                            AND pg_temp.rnd(format('nb:%s:%s', a.pk, b.block_id)) < 0.5 THEN 1.3 ELSE 0 END
                + (pg_temp.rnd(format('pn:%s:%s', a.pk, b.block_id)) * 1.8 - 0.9)
                + (pg_temp.rnd(format('rn:%s:%s:%s', a.pk, b.block_id, a.rno)) * 0.3 - 0.15)
                + least(a.rounds_in, 7) * 0.09 + 0.5)::int),
                coalesce((SELECT max(i.target_level) FROM kbs.plan_item i
                           WHERE i.professional_id = a.professional_id AND i.block_id = b.block_id
                             AND i.status = 'done' AND i.done_on <= a.assessed_on), 0)) AS lvl
      FROM g_assessed a JOIN g_base b ON b.discipline = a.discipline
     WHERE a.rno BETWEEN (SELECT lo FROM g_phase) AND (SELECT hi FROM g_phase)
), withaspects AS (
    SELECT rno, pk, professional_id, assessed_on, block_id, na, lvl FROM sup
    UNION ALL   -- illustrative aspects, assessed for people strong in the parent block
    SELECT s.rno, s.pk, s.professional_id, s.assessed_on, x.block_id, false,
           greatest(0, s.lvl - (pg_temp.rnd(format('asp:%s:%s', s.pk, x.block_id)) < 0.4)::int)
      FROM sup s JOIN g_aspect x ON x.parent_id = s.block_id
     WHERE s.lvl >= 3
    UNION ALL   -- the illustrative local generic block, from 2025 on
    SELECT s.rno, s.pk, s.professional_id, s.assessed_on, :digital_block, false,
           greatest(0, least(4, s.lvl - 1 + floor(pg_temp.rnd('dig:' || s.pk) * 3)::int))
      FROM sup s JOIN g_round r ON r.rno = s.rno
     WHERE s.block_id = 11 AND r.peil >= date '2025-01-01'
)
SELECT w.*, 'supervisor' AS source FROM withaspects w
UNION ALL
SELECT w.rno, w.pk, w.professional_id,
       w.assessed_on - 7 - floor(pg_temp.rnd('so:' || w.pk || w.rno) * 7)::int, w.block_id, w.na,
       greatest(0, least(4, w.lvl + CASE WHEN d < 0.13 THEN 1 WHEN d < 0.19 THEN -1 ELSE 0 END)), 'self'
  FROM withaspects w
 CROSS JOIN LATERAL (SELECT pg_temp.rnd(format('sd:%s:%s:%s', w.pk, w.block_id, w.rno)) AS d) dd
 WHERE pg_temp.rnd('self:' || w.pk || ':' || w.rno) < 0.6;


-- Inserts the assessments of rounds lo..hi (in a fixed order).
PREPARE g_insert(int, int) AS
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, round_id, profile, validated_by, note)
SELECT l.professional_id, l.assessed_on, l.source, 'final', ar.id,
       kbs.profile_agg(l.block_id, CASE WHEN l.na THEN 'na' ELSE l.lvl::text END),
       CASE WHEN l.source = 'supervisor' THEN 'teamleider' END,
       CASE WHEN l.source = 'self' THEN 'Zelfbeoordeling' ELSE 'Beoordeling in het teamgesprek' END
  FROM g_levels l
  JOIN g_round r ON r.rno = l.rno
  JOIN g_person g ON g.pk = l.pk
  JOIN kbs.assessment_round ar ON ar.municipality = g.muni AND ar.peildatum = r.peil
 WHERE l.rno BETWEEN $1 AND $2
 GROUP BY l.rno, g.mno, g.seq, l.professional_id, l.assessed_on, l.source, ar.id
 ORDER BY l.rno, g.mno, g.seq, l.source DESC;

-- Proposes a plan per team at round rno's peildatum and lets it progress.
PREPARE g_plan(int) AS
WITH proposed AS (
    SELECT t.team_id, (SELECT count(*) FROM kbs.propose_plan(t.team_id, r.peil)) AS n
      FROM g_team t, g_round r WHERE r.rno = $1
     ORDER BY t.mno, t.tno
)
SELECT sum(n) AS proposed FROM proposed;

PREPARE g_progress(int) AS
UPDATE kbs.plan_item i
   SET status = x.status, started_on = x.started_on, done_on = x.done_on,
       note = CASE x.status WHEN 'done' THEN 'Training gevolgd' WHEN 'cancelled' THEN 'Vervallen: vertrokken of andere prioriteit' ELSE i.note END
  FROM (SELECT i2.id,
               CASE WHEN u < 0.6 THEN 'done' WHEN u < 0.75 THEN 'in_progress' WHEN u < 0.85 THEN 'cancelled' ELSE 'planned' END AS status,
               CASE WHEN u < 0.75 THEN i2.created_on + 30 END AS started_on,
               CASE WHEN u < 0.6 THEN i2.created_on + 60 + floor(pg_temp.rnd('done:' || i2.id) * 90)::int END AS done_on
          FROM kbs.plan_item i2
          -- Nobody finishes training for a level nobody has assessed yet: people without an
          -- assessment when the item was made stay at planned (assess them first).
         CROSS JOIN LATERAL (SELECT CASE WHEN EXISTS (SELECT 1 FROM kbs.assessment a
                                                       WHERE a.professional_id = i2.professional_id AND a.status = 'final'
                                                         AND a.assessed_on <= i2.created_on)
                                         THEN pg_temp.rnd('prog:' || i2.id) ELSE 1 END AS u) uu
         WHERE i2.created_on = (SELECT peil FROM g_round WHERE rno = $1) AND i2.status = 'proposed') x
 WHERE i.id = x.id;

-- Rounds 1-4, a plan at round 4 that is partly done; rounds 5-6, a plan at
-- round 6; rounds 7-8; a fresh proposal at the latest peildatum.
ANALYZE kbs.membership, kbs.professional, kbs.plan_item;
UPDATE g_phase SET lo = 1, hi = 4;
EXECUTE g_insert(1, 4);
EXECUTE g_plan(4) \gset
EXECUTE g_progress(4);
UPDATE g_phase SET lo = 5, hi = 6;
EXECUTE g_insert(5, 6);
EXECUTE g_plan(6) \gset
EXECUTE g_progress(6);
UPDATE g_phase SET lo = 7, hi = 8;
EXECUTE g_insert(7, 8);

SELECT min(peil) AS first_peil, max(peil) AS last_peil FROM g_round \gset
-- Statistics first: the tables were filled in this transaction, and the refresh
-- plans by them (ANALYZE, unlike VACUUM, runs inside a transaction).
ANALYZE kbs.team, kbs.professional, kbs.membership, kbs.assessment, kbs.team_requirement, kbs.partner,
        kbs.partner_team, kbs.assessment_round, kbs.snapshot_dirty, kbs.plan_item;
SELECT kbs.refresh_snapshots(:'first_peil', :'last_peil') AS snapshots \gset
EXECUTE g_plan(8) \gset

COMMIT;

SELECT format('demo-data (%s): %s gemeenten, %s teams, %s professionals, %s beoordelingen, %s momentopnamen, %s scholingsacties',
              :'scale', (SELECT count(*) FROM kbs.municipality), (SELECT count(*) FROM kbs.team),
              (SELECT count(*) FROM kbs.professional), (SELECT count(*) FROM kbs.assessment),
              (SELECT count(*) FROM kbs.snapshot), (SELECT count(*) FROM kbs.plan_item)) AS summary \gset
\echo :summary
