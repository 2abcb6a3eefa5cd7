-- After the concurrent run: one last refresh, then every stored snapshot must
-- equal its recomputation from the base tables (as kbs.refresh_snapshots
-- computes it: the effective profiles of the members at the peildatum, the
-- requirement and the partners then), and every peildatum of every team in
-- the period must have its snapshot. Prints: snapshots|mismatches|missing.
\set ON_ERROR_STOP 1
SELECT min(peildatum) AS first_peil, max(peildatum) AS last_peil FROM kbs.assessment_round \gset
SELECT kbs.refresh_snapshots(:'first_peil', :'last_peil') AS refreshed \gset
WITH recomputed AS (
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
), expected AS (
    SELECT t.id AS team_id, d.d AS peildatum
      FROM kbs.team t CROSS JOIN LATERAL kbs.peildata(t.id, :'first_peil', :'last_peil') d(d)
)
SELECT (SELECT count(*) FROM recomputed) || '|'
    || (SELECT count(*) FROM recomputed WHERE mismatch) || '|'
    || (SELECT count(*) FROM expected e
         WHERE NOT EXISTS (SELECT 1 FROM kbs.snapshot s WHERE s.team_id = e.team_id AND s.peildatum = e.peildatum));
