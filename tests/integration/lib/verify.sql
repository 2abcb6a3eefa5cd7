-- race.verify(from_date, to_date): every stored snapshot against its
-- recomputation from the base tables (as kbs.refresh_snapshots computes it:
-- the effective profiles of the members at the peildatum, the requirement and
-- the partners then), and every peildatum of every team in the period present.
-- Included (\ir) by lib/race_data.sql and tests/hard/pgbench/verify.sql, after
-- CREATE SCHEMA race; a test helper, outside the extension.
CREATE FUNCTION race.verify(from_date date, to_date date)
RETURNS TABLE (snapshots bigint, mismatches bigint, missing bigint, first_mismatches text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH cmp AS (
        SELECT s.team_id, s.peildatum,
               (s.coverage::text, s.requirement::text, s.partner_coverage::text, s.members, s.assessed, s.stale)
               IS DISTINCT FROM
               (r.coverage::text, kbs.team_requirement_at(s.team_id, s.peildatum)::text,
                kbs.partner_coverage(s.team_id, s.peildatum)::text, r.members, r.assessed, r.stale) AS mismatch
          FROM kbs.snapshot s
         CROSS JOIN LATERAL (
               SELECT kbs.coverage_agg(p.profile) AS coverage, count(*)::integer AS members,
                      count(p.assessment_id)::integer AS assessed, (count(*) FILTER (WHERE p.stale))::integer AS stale
                 FROM kbs.member_profiles_at(s.team_id, s.peildatum) p) r
    )
    SELECT (SELECT count(*) FROM cmp),
           (SELECT count(*) FROM cmp WHERE mismatch),
           (SELECT count(*) FROM kbs.team t CROSS JOIN LATERAL kbs.peildata(t.id, from_date, to_date) d(d)
             WHERE NOT EXISTS (SELECT 1 FROM kbs.snapshot s WHERE s.team_id = t.id AND s.peildatum = d.d)),
           (SELECT string_agg('team ' || c.team_id || ' on ' || c.peildatum, ', ' ORDER BY c.team_id, c.peildatum)
              FROM (SELECT * FROM cmp WHERE mismatch ORDER BY team_id, peildatum LIMIT 6) c);
END;
