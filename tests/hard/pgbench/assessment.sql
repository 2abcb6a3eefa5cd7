-- A new final assessment for a random member of a random team, on a random
-- date in the last year of the demo data, with a valid profile: every
-- catalogue block that is not retired, 80 % of them assessed, 5 % of those na.
\set team random(1, :nteams)
\set day random(0, 364)
SELECT id AS tid FROM kbs.team ORDER BY id OFFSET :team - 1 LIMIT 1 \gset
INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, profile, note)
SELECT m.professional_id, d.on_, (ARRAY['self', 'supervisor', 'peer', 'team'])[1 + floor(random() * 4)::int],
       'final',
       coalesce((SELECT kbs.profile_agg(b.id, CASE WHEN random() < 0.05 THEN 'na'
                                                   ELSE floor(random() * 5)::int::text END)
                   FROM kbs.block b WHERE b.retired_in IS NULL AND random() < 0.8), '{}'::kbs.profile),
       'pgbench'
  FROM (SELECT date '2025-10-01' + :day AS on_) d
  JOIN kbs.membership m ON m.team_id = :tid AND m.during @> d.on_
 ORDER BY random()
 LIMIT 1;
