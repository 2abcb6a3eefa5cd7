-- Parallel plans: both coverage aggregates run as Partial/Finalize aggregates
-- and give exactly the serial results.
SET search_path = public, kbs;
CREATE TABLE par_profile AS
SELECT g AS person, g % 37 AS team,
       (SELECT profile_agg(b, CASE WHEN (g + b) % 13 = 0 THEN 'na' ELSE ((g * b) % 5)::text END)
          FROM generate_series(1 + g % 20, 60 + g % 50) b WHERE (g + b) % 4 <> 0) AS p
  FROM generate_series(1, 20000) g;
UPDATE par_profile SET p = NULL WHERE person % 101 = 0;   -- members without assessment
ANALYZE par_profile;

CREATE FUNCTION test.plan_has_partial(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
    found_partial boolean := false;
    found_gather boolean := false;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        found_partial := found_partial OR line ~ 'Partial (Hash|Group)?Aggregate';
        found_gather := found_gather OR line ~ 'Gather';
    END LOOP;
    RETURN found_partial AND found_gather;
END
$$;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_team AS SELECT team, coverage_agg(p) AS c FROM par_profile GROUP BY team;
CREATE TEMP TABLE serial_all AS SELECT coverage_agg(p) AS c FROM par_profile;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
-- The combine step carries a real cost; make it cheap here so 37 small groups go parallel too.
ALTER FUNCTION kbs.coverage_agg_combinefn(internal, internal) COST 1;
ALTER FUNCTION kbs.coverage_agg_serialfn(internal) COST 1;
ALTER FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) COST 1;
SELECT test.plan_has_partial('SELECT team, kbs.coverage_agg(p) FROM par_profile GROUP BY team') AS grouped_partial,
       test.plan_has_partial('SELECT kbs.coverage_agg(p) FROM par_profile') AS plain_partial;
CREATE TEMP TABLE parallel_team AS SELECT team, coverage_agg(p) AS c FROM par_profile GROUP BY team;
SELECT count(*) AS teams,
       (SELECT count(*) FROM serial_team s JOIN parallel_team q USING (team) WHERE s.c = q.c) AS identical
  FROM serial_team;
SELECT (SELECT c FROM serial_all) = coverage_agg(p) AS plain_identical, members(coverage_agg(p)) FROM par_profile;

-- The merge aggregate, too: its state is kbs.coverage itself.
CREATE TABLE par_cov AS SELECT team, person % 50 AS part, coverage_agg(p) AS c FROM par_profile GROUP BY team, person % 50;
ANALYZE par_cov;
SELECT test.plan_has_partial('SELECT team, kbs.coverage_merge_agg(c) FROM par_cov GROUP BY team') AS merge_partial;
SELECT count(*) AS merge_mismatches FROM (SELECT team, coverage_merge_agg(c) AS c FROM par_cov GROUP BY team) m
  JOIN serial_team s USING (team) WHERE m.c <> s.c;
RESET ALL;
SET search_path = public, kbs;
ALTER FUNCTION kbs.coverage_agg_combinefn(internal, internal) COST 200;
ALTER FUNCTION kbs.coverage_agg_serialfn(internal) COST 200;
ALTER FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) COST 200;
DROP TABLE par_profile, par_cov;
DROP FUNCTION test.plan_has_partial(text);
