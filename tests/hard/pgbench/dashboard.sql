-- What the team report and the municipality overview read, for a random team.
\set team random(1, :nteams)
SELECT id AS tid, municipality AS muni FROM kbs.team ORDER BY id OFFSET :team - 1 LIMIT 1 \gset
SELECT count(*), sum(shortfall), max(fulfilment) FROM kbs.v_team_summary WHERE team_id = :tid;
SELECT status_code, count(*) FROM kbs.v_team_block_status
 WHERE team_id = :tid AND peildatum = (SELECT max(s.peildatum) FROM kbs.snapshot s WHERE s.team_id = :tid)
 GROUP BY status_code;
SELECT count(*), sum(shortfall) FROM kbs.v_team_domain_status WHERE team_id = :tid;
SELECT count(*) FILTER (WHERE single_carrier) FROM kbs.v_knowledge_risk WHERE team_id = :tid;
SELECT sum(open), sum(done) FROM kbs.v_plan_progress WHERE team_id = :tid;
SELECT domain_code, max(fulfilment) FROM kbs.v_municipality_domain_trend
 WHERE municipality_code = (SELECT municipality FROM kbs.team WHERE id = :tid)
 GROUP BY domain_code;
