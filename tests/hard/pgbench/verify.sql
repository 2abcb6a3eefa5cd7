-- After the concurrent run: one last refresh, then every stored snapshot must
-- equal its recomputation from the base tables (as kbs.refresh_snapshots
-- computes it: the effective profiles of the members at the peildatum, the
-- requirement and the partners then), and every peildatum of every team in
-- the period must have its snapshot. Prints: snapshots|mismatches|missing.
\set ON_ERROR_STOP 1
SELECT min(peildatum) AS first_peil, max(peildatum) AS last_peil FROM kbs.assessment_round \gset
SELECT kbs.refresh_snapshots(:'first_peil', :'last_peil') AS refreshed \gset
CREATE SCHEMA race;
\ir ../../integration/lib/verify.sql
SELECT snapshots || '|' || mismatches || '|' || missing FROM race.verify(:'first_peil', :'last_peil');
