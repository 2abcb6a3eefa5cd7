-- A status change of a random plan item of a random team, keeping the dates
-- consistent (started when in progress or done; done_on exactly when done).
\set team random(1, :nteams)
\set pick random(1, 5)
SELECT id AS tid FROM kbs.team ORDER BY id OFFSET :team - 1 LIMIT 1 \gset
UPDATE kbs.plan_item i
   SET status = s.status,
       started_on = CASE WHEN s.status IN ('in_progress', 'done') THEN coalesce(i.started_on, i.created_on + 7)
                         ELSE i.started_on END,
       done_on = CASE WHEN s.status = 'done' THEN coalesce(i.started_on, i.created_on + 7) + 30 END
  FROM (SELECT (ARRAY['proposed', 'planned', 'in_progress', 'done', 'cancelled'])[:pick] AS status) s
 WHERE i.id = (SELECT p.id FROM kbs.plan_item p WHERE p.team_id = :tid ORDER BY random() LIMIT 1);
