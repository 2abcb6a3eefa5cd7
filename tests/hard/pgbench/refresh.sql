-- Recompute the snapshots that changed, over the whole period of the rounds.
SELECT kbs.refresh_snapshots((SELECT min(peildatum) FROM kbs.assessment_round),
                             (SELECT max(peildatum) FROM kbs.assessment_round));
