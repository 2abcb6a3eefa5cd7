-- Coverage, gaps, fulfilment, shortfall, gain, compose and person_gaps against
-- a plain-SQL oracle over the same data in normalized rows.
SET search_path = public, kbs;
SELECT setseed(0.4242);

-- Hand-checked: a team of four (one without assessment) against a small requirement.
-- By hand (n = 4; dewi has no assessment at all):
--   11:1/all  anna 2, bram 1, cem 3: needed 4, present 3, shortfall 1, unassessed 1 (dewi): unknown
--   21:1/all  anna 1, bram na, cem 0: needed 3, present 1, shortfall 2 > 1 unassessed: gap
--   33:3/2@3  anna 3, cem 4: present 2 = needed 2, spare 0: fragile (dewi unassessed)
--   36:3/1    anna 4: present 1 = needed 1: fragile; cem and dewi unassessed on 36: 2
--   37:3/1@1  nobody has 37: present 0, shortfall 1 <= 4 unassessed: unknown
CREATE TEMP TABLE hand (person text, p profile);
INSERT INTO hand VALUES
    ('anna', '{11:2,21:1,33:3,36:4}'),
    ('bram', '{11:1,21:na,33:2,36:1}'),
    ('cem',  '{11:3,21:0,33:4}'),
    ('dewi', NULL);
SELECT coverage_agg(p) AS team FROM hand;
SELECT * FROM gaps((SELECT coverage_agg(p) FROM hand), '{11:1/all,21:1/all,33:3/2@3,36:3/1,37:3/1@1}');
SELECT fulfilment(c, r), shortfall(c, r)
  FROM (SELECT coverage_agg(p) AS c FROM hand) s, (SELECT '{11:1/all,21:1/all,33:3/2@3,36:3/1,37:3/1@1}'::requirement AS r) q;
-- A candidate who meets the floors and brings block 37; one who lacks the floor; one with na on 21.
SELECT gain(c, r, '{11:2,21:1,37:3}') AS strong, gain(c, r, '{}') AS nothing, gain(c, r, '{11:1,21:na}') AS na_exempt
  FROM (SELECT coverage_agg(p) AS c FROM hand) s, (SELECT '{11:1/all,21:1/all,33:3/2@3,36:3/1,37:3/1@1}'::requirement AS r) q;
SELECT compose(c, r, ARRAY['{}', '{37:3,11:1,21:1}', '{37:4}', '{36:3,11:1,21:1}']::profile[], 3)
  FROM (SELECT coverage_agg(p) AS c FROM hand) s, (SELECT '{11:1/all,21:1/all,33:3/2@3,36:3/1,37:3/1@1}'::requirement AS r) q;
SELECT person, g.* FROM hand, person_gaps(coalesce(p, '{}'), '{11:1/all,21:1/all,33:3/2@3}') g ORDER BY person, block_id;
-- Edge cases: the empty team, an all-na block, fulfilment 1 when nothing is needed.
SELECT * FROM gaps('(0){}', '{11:1/all,31:3/1}');
SELECT * FROM gaps('(3){21:0,0,0,0,0,3}', '{21:1/all,22:1/all}');
-- The boundary: a shortfall equal to the unassessed members is unknown, one more is a gap.
SELECT * FROM gaps('(4){21:2,0,0,0,0,0}', '{21:1/2,22:1/3,23:1/5}');
SELECT fulfilment('(3){21:0,0,0,0,0,3}', '{21:1/all}') AS all_na, fulfilment('(0){}', '{}') AS empty,
       shortfall('(0){}', '{}') AS no_entries;
SELECT test.error_of($$SELECT kbs.compose('(0){}', '{11:1/1}', ARRAY['{}']::kbs.profile[], -1)$$);
SELECT compose('(0){}', '{11:1/1}', ARRAY[]::profile[], 3) AS no_candidates,
       compose('(0){}', '{11:1/1}', ARRAY['{11:1}', NULL]::profile[], 3) AS null_candidate_skipped;

-- Random data in normalized rows: teams, members (some never assessed), levels (NULL = na).
CREATE TEMP TABLE o_team AS SELECT t FROM generate_series(1, 60) t;
CREATE TEMP TABLE o_member AS
SELECT m, 1 + (m % 59) AS t FROM generate_series(1, 500) m;   -- team 60 stays empty
CREATE TEMP TABLE o_level AS
SELECT m, b, CASE WHEN random() < 0.08 THEN NULL ELSE floor(random() * 5)::smallint END AS level
  FROM o_member, generate_series(1, 45) b
 WHERE m % 13 <> 0 AND random() < 0.6;
CREATE INDEX ON o_level (m, b);
CREATE INDEX ON o_member (t);
ANALYZE o_member;
ANALYZE o_level;
CREATE TEMP TABLE o_profile AS
SELECT m.m, m.t, (SELECT profile_agg(l.b, CASE WHEN l.level IS NULL THEN 'na' ELSE l.level::text END)
                    FROM o_level l WHERE l.m = m.m) AS p
  FROM o_member m;
CREATE TEMP TABLE o_req AS
SELECT r, b, 1 + floor(random() * 4)::int AS min_level,
       CASE WHEN random() < 0.35 THEN NULL ELSE 1 + floor(random() * 4)::int END AS min_members,
       1 + floor(random() * 3)::int AS importance
  FROM generate_series(1, 12) r, generate_series(1, 50) b
 WHERE random() < 0.4;
CREATE TEMP TABLE o_requirement AS
SELECT r, requirement_agg(b, min_level, min_members, importance) AS req FROM o_req GROUP BY r;
CREATE TEMP TABLE o_coverage AS
SELECT t, (SELECT coverage_agg(p.p) FROM o_profile p WHERE p.t = o_team.t) AS c FROM o_team;

-- Oracle rows: one per team, requirement and entry.
CREATE TEMP VIEW oracle AS
WITH counts AS (
    SELECT o.t, q.r, q.b, q.min_level, q.min_members, q.importance,
           (SELECT count(*) FROM o_member m WHERE m.t = o.t) AS n,
           (SELECT count(*) FROM o_member m JOIN o_level l ON l.m = m.m
             WHERE m.t = o.t AND l.b = q.b AND l.level >= q.min_level) AS present,
           (SELECT count(*) FROM o_member m JOIN o_level l ON l.m = m.m
             WHERE m.t = o.t AND l.b = q.b AND l.level IS NULL) AS na
      FROM o_team o, o_req q
), needed AS (
    SELECT *, coalesce(min_members, n - na) AS needed FROM counts
), unassessed AS (
    -- members with no row for the block (never assessed on it, or never assessed at all)
    SELECT *, (SELECT count(*) FROM o_member m WHERE m.t = needed.t
                  AND NOT EXISTS (SELECT 1 FROM o_level l WHERE l.m = m.m AND l.b = needed.b)) AS unassessed
      FROM needed
)
SELECT t, r, b AS block_id, min_level, min_members, importance, needed, present,
       greatest(0, needed - present) AS shortfall, present - needed AS spare, unassessed,
       CASE WHEN needed - present > unassessed THEN 'gap'
            WHEN needed - present > 0 THEN 'unknown'
            WHEN min_members IS NOT NULL AND needed > 0 AND present = needed THEN 'fragile'
            ELSE 'met' END AS status
  FROM unassessed;

CREATE TEMP TABLE ours AS
SELECT c.t, q.r, g.* FROM o_coverage c, o_requirement q, gaps(c.c, q.req) g;
SELECT count(*) AS oracle_rows, count(DISTINCT t) AS teams, count(DISTINCT r) AS requirements,
       count(*) FILTER (WHERE status = 'gap') > 0 AS has_gaps, count(*) FILTER (WHERE status = 'fragile') > 0 AS has_fragile,
       count(*) FILTER (WHERE status = 'met') > 0 AS has_met, count(*) FILTER (WHERE status = 'unknown') > 0 AS has_unknown,
       count(*) FILTER (WHERE status = 'gap' AND unassessed > 0) > 0 AS has_gaps_despite_unassessed,
       count(*) FILTER (WHERE status = 'met' AND unassessed > 0) > 0 AS has_met_with_unassessed
  FROM oracle;
-- Compared as multisets (EXCEPT ALL): a duplicated or missing row is a difference.
SELECT (SELECT count(*) FROM oracle) AS oracle_rows, (SELECT count(*) FROM ours) AS our_rows,
       (SELECT count(*) FROM (SELECT t, r, block_id, min_level, min_members, importance, needed, present, shortfall, spare, unassessed, status FROM oracle
                              EXCEPT ALL SELECT t, r, block_id, min_level, min_members, importance, needed, present, shortfall, spare, unassessed, status FROM ours) d) AS missing_from_ours,
       (SELECT count(*) FROM (SELECT t, r, block_id, min_level, min_members, importance, needed, present, shortfall, spare, unassessed, status FROM ours
                              EXCEPT ALL SELECT t, r, block_id, min_level, min_members, importance, needed, present, shortfall, spare, unassessed, status FROM oracle) d) AS extra_in_ours;
-- gaps() rows come in block order.
SELECT count(*) AS order_violations FROM (
    SELECT c.t, q.r, g.block_id, lag(g.block_id) OVER (PARTITION BY c.t, q.r ORDER BY g.ord) AS prev
      FROM o_coverage c, o_requirement q, gaps(c.c, q.req) WITH ORDINALITY g(block_id, a, b, d, e, f, h, i, u, j, ord)) s
 WHERE prev >= block_id;

-- fulfilment and shortfall per team and requirement.
SELECT count(*) AS fulfilment_or_shortfall_mismatches FROM (
    SELECT o.t, o.r,
           CASE WHEN sum(needed) = 0 THEN 1.0::float8 ELSE sum(least(present, needed))::float8 / sum(needed)::float8 END AS f,
           sum(shortfall) AS s
      FROM oracle o GROUP BY o.t, o.r) x
  JOIN o_coverage c USING (t) JOIN o_requirement q USING (r)
 WHERE fulfilment(c.c, q.req) <> x.f OR shortfall(c.c, q.req) <> x.s;

-- gain: shortfall(C) - shortfall(C + p), with the oracle recomputed for the team plus the candidate.
CREATE TEMP TABLE o_candidate AS SELECT m AS cand, p FROM o_profile WHERE m % 7 = 0;
SELECT count(*) AS gain_checks, count(*) FILTER (WHERE g <> oracle_gain) AS gain_mismatches,
       count(*) FILTER (WHERE g < 0) > 0 AS has_negative, count(*) FILTER (WHERE g > 0) > 0 AS has_positive FROM (
    SELECT gain(c.c, q.req, coalesce(k.p, '{}')) AS g,
           (SELECT coalesce(sum(greatest(0, coalesce(e.min_members, n - na) - present)), 0)
                 - coalesce(sum(greatest(0, coalesce(e.min_members, n + 1 - na - cand_na) - present - cand_present)), 0)
              FROM (SELECT e.min_members,
                           (SELECT count(*) FROM o_member m WHERE m.t = c.t) AS n,
                           (SELECT count(*) FROM o_member m JOIN o_level l ON l.m = m.m
                             WHERE m.t = c.t AND l.b = e.block_id AND l.level >= e.min_level) AS present,
                           (SELECT count(*) FROM o_member m JOIN o_level l ON l.m = m.m
                             WHERE m.t = c.t AND l.b = e.block_id AND l.level IS NULL) AS na,
                           (SELECT count(*) FROM o_level l WHERE l.m = k.cand AND l.b = e.block_id AND l.level >= e.min_level) AS cand_present,
                           (SELECT count(*) FROM o_level l WHERE l.m = k.cand AND l.b = e.block_id AND l.level IS NULL) AS cand_na
                      FROM entries(q.req) e) e) AS oracle_gain
      FROM o_coverage c, o_requirement q, o_candidate k
     WHERE c.t % 6 = 0 AND q.r <= 4) s;

-- compose: a plain greedy over the oracle's gain (recomputed from rows each round).
CREATE TEMP TABLE o_pick (t integer, r integer, ord integer, cand integer);
DO $$
DECLARE
    tm integer;
    rq integer;
    picked integer[];
    best integer;
    best_gain bigint;
    g bigint;
    cur coverage;
    cands profile[];
    i integer;
BEGIN
    FOR tm, rq IN SELECT c.t, q.r FROM o_coverage c, o_requirement q WHERE c.t % 10 = 1 AND q.r <= 6 LOOP
        cands := ARRAY(SELECT coalesce(p, '{}') FROM o_candidate ORDER BY cand LIMIT 25);
        cur := (SELECT c FROM o_coverage WHERE t = tm);
        picked := '{}';
        FOR step IN 1 .. 5 LOOP
            best := NULL;
            FOR i IN 1 .. cardinality(cands) LOOP
                CONTINUE WHEN i = ANY (picked);
                -- the oracle's gain: shortfall before minus shortfall with the candidate as one more member
                SELECT coalesce(sum(greatest(0, coalesce(x.min_members, x.n - x.na) - x.pr)), 0)
                     - coalesce(sum(greatest(0, coalesce(x.min_members, x.n + 1 - x.na - x.cna) - x.pr - x.cp)), 0)
                  INTO g
                  FROM (SELECT e.min_members, members(cur) AS n, (histogram(cur, e.block_id))[6] AS na,
                               count_at_least(cur, e.block_id, e.min_level) AS pr,
                               (SELECT count(*) FROM entries(cands[i]) y WHERE y.block_id = e.block_id AND NOT y.applicable) AS cna,
                               (SELECT count(*) FROM entries(cands[i]) y WHERE y.block_id = e.block_id AND y.level >= e.min_level) AS cp
                          FROM entries((SELECT req FROM o_requirement WHERE r = rq)) e) x;
                g := coalesce(g, 0);
                IF best IS NULL OR g > best_gain THEN
                    best := i;
                    best_gain := g;
                END IF;
            END LOOP;
            EXIT WHEN best IS NULL OR best_gain <= 0;
            picked := picked || best;
            cur := cur + (SELECT coverage_agg(x) FROM (SELECT cands[best] AS x) s);
            INSERT INTO o_pick VALUES (tm, rq, cardinality(picked), best);
        END LOOP;
    END LOOP;
END
$$;
SELECT count(*) AS compose_runs, sum(cardinality(ours)) AS picks,
       count(*) FILTER (WHERE ours IS DISTINCT FROM oracle) AS compose_mismatches
  FROM (SELECT c.t, q.r,
               compose(c.c, q.req, ARRAY(SELECT coalesce(p, '{}') FROM o_candidate ORDER BY cand LIMIT 25), 5) AS ours,
               coalesce((SELECT array_agg(cand ORDER BY ord) FROM o_pick k WHERE k.t = c.t AND k.r = q.r), '{}') AS oracle
          FROM o_coverage c, o_requirement q WHERE c.t % 10 = 1 AND q.r <= 6) s;

-- person_gaps: every-member entries that the person does not meet (na exempts), as multisets.
SELECT (SELECT count(*) FROM o_profile p, o_requirement q, person_gaps(coalesce(p.p, '{}'), q.req) g WHERE q.r = 1) AS person_gap_rows,
       count(*) AS person_gap_mismatches FROM (
    (SELECT m.m, e.block_id FROM o_member m, o_requirement q, entries(q.req) e
      WHERE q.r = 1 AND e.every_member
        AND NOT EXISTS (SELECT 1 FROM o_level l WHERE l.m = m.m AND l.b = e.block_id AND (l.level IS NULL OR l.level >= e.min_level))
     EXCEPT ALL
     SELECT p.m, g.block_id FROM o_profile p, o_requirement q, person_gaps(coalesce(p.p, '{}'), q.req) g WHERE q.r = 1)
    UNION ALL
    (SELECT p.m, g.block_id FROM o_profile p, o_requirement q, person_gaps(coalesce(p.p, '{}'), q.req) g WHERE q.r = 1
     EXCEPT ALL
     SELECT m.m, e.block_id FROM o_member m, o_requirement q, entries(q.req) e
      WHERE q.r = 1 AND e.every_member
        AND NOT EXISTS (SELECT 1 FROM o_level l WHERE l.m = m.m AND l.b = e.block_id AND (l.level IS NULL OR l.level >= e.min_level)))) d;

-- Roll-up: the sum of team coverages equals the coverage of all members at once.
SELECT (SELECT coverage_merge_agg(c) FROM o_coverage) = (SELECT coverage_agg(p) FROM o_profile) AS rollup_exact,
       (SELECT members(coverage_merge_agg(c)) FROM o_coverage) AS members;
-- As a window aggregate: running coverage over members.
SELECT count(*) AS window_mismatches FROM (
    SELECT m, members(coverage_agg(p) OVER (ORDER BY m)) AS running, row_number() OVER (ORDER BY m) AS rn
      FROM o_profile) s WHERE running <> rn;
SELECT count(*) AS moving_frame_mismatches FROM (
    SELECT m, coverage_agg(p) OVER (ORDER BY m ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS w,
           (SELECT coverage_agg(p2.p) FROM o_profile p2 WHERE p2.m BETWEEN o.m - 2 AND o.m) AS direct
      FROM o_profile o) s WHERE w <> direct;
