-- Training plans (scholingsplan, the table kbs.plan_item in sql/50_model.sql):
-- proposals from a team's gaps, an item's status at a date, the forecast if every
-- open item were done, and the coordinators' progress view. Gap rules and time:
-- docs/semantics.md §3 and §4; the functions: README "People, time and plans".

-- For each gap, the members closest to the required level (one level below
-- first; not assessed last; na never) without an open item for the block,
-- never more than the shortfall left after the open items.
CREATE FUNCTION kbs.propose_plan(team_id integer, at date)
RETURNS SETOF kbs.plan_item
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cov kbs.coverage := kbs.team_coverage(team_id, at);
    req kbs.requirement := kbs.team_requirement_at(team_id, at);
BEGIN
    IF team_id IS NULL OR at IS NULL THEN
        RAISE EXCEPTION 'team and date of kbs.propose_plan must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF req IS NULL THEN
        RAISE EXCEPTION 'team % has no requirement on %', team_id, at USING ERRCODE = 'no_data_found',
            HINT = 'Add a row to kbs.team_requirement first.';
    END IF;
    RETURN QUERY
    WITH gap AS (
        SELECT g.block_id, g.min_level, g.shortfall
                 - (SELECT count(*) FROM kbs.plan_item i
                     WHERE i.team_id = propose_plan.team_id AND i.block_id = g.block_id
                       AND i.status IN ('proposed', 'planned', 'in_progress') AND i.target_level >= g.min_level) AS open_need
          FROM kbs.gaps(cov, req) g
         WHERE g.status = 'gap'
    ), candidate AS (
        SELECT gap.block_id, gap.min_level, gap.open_need, m.professional_id,
               row_number() OVER (PARTITION BY gap.block_id
                                  ORDER BY coalesce(kbs.level(m.profile, gap.block_id), -1) DESC, m.professional_id) AS rank
          FROM gap
          JOIN kbs.member_profiles_at(team_id, at) m ON true
         WHERE gap.open_need > 0
           AND coalesce(kbs.level(m.profile, gap.block_id), -1) < gap.min_level
           AND NOT coalesce(m.profile IS NOT NULL
                            AND EXISTS (SELECT 1 FROM kbs.entries(m.profile) e
                                         WHERE e.block_id = gap.block_id AND NOT e.applicable), false)
           AND NOT EXISTS (SELECT 1 FROM kbs.plan_item i
                            WHERE i.team_id = propose_plan.team_id AND i.professional_id = m.professional_id
                              AND i.block_id = gap.block_id AND i.status IN ('proposed', 'planned', 'in_progress'))
    )
    INSERT INTO kbs.plan_item (team_id, professional_id, block_id, target_level, due_on, status, created_on)
    SELECT propose_plan.team_id, c.professional_id, c.block_id, c.min_level,
           (at + kbs.setting_interval('plan_due_after'))::date, 'proposed', at
      FROM candidate c
     WHERE c.rank <= c.open_need
     ORDER BY c.block_id, c.rank
    RETURNING *;
END
$$;
COMMENT ON FUNCTION kbs.propose_plan(integer, date) IS 'Stelt scholingsacties voor uit de tekorten van een team op een datum: per tekort de leden die het dichtst bij het vereiste niveau zitten (eerst één niveau eronder), zonder open actie voor die bouwsteen, nooit meer dan het tekort.';

-- The status a plan item had on a date, from its dates: NULL when it did not
-- exist yet; done from done_on, in progress from started_on. An item
-- cancelled later counts as cancelled (the table keeps no date for that).
CREATE FUNCTION kbs.plan_status_at(item kbs.plan_item, at date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN item.created_on IS NULL OR at IS NULL OR item.created_on > at THEN NULL
            WHEN item.status = 'done' AND item.done_on <= at THEN 'done'
            WHEN item.status IN ('done', 'in_progress') AND item.started_on <= at THEN 'in_progress'
            WHEN item.status IN ('done', 'in_progress') THEN 'planned'
            ELSE item.status END;
COMMENT ON FUNCTION kbs.plan_status_at(kbs.plan_item, date) IS 'De status van een scholingsactie op een datum, afgeleid uit haar data: leeg als ze toen nog niet bestond; afgerond vanaf de datum van afronden, bezig vanaf de startdatum, daarvoor gepland. Een vervallen actie telt als vervallen (de datum van vervallen wordt niet bijgehouden).';

-- Open (proposed, planned or in progress) on the date.
CREATE FUNCTION kbs.plan_item_open(item kbs.plan_item, at date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce(kbs.plan_status_at(item, at) IN ('proposed', 'planned', 'in_progress'), false);
COMMENT ON FUNCTION kbs.plan_item_open(kbs.plan_item, date) IS 'Waar als de scholingsactie op de datum bestond en open was (voorgesteld, gepland of bezig); zie kbs.plan_status_at.';

-- If every open item were done: coverage with the members' blocks raised.
CREATE FUNCTION kbs.forecast(team_id integer, at date)
RETURNS TABLE (fulfilment_now double precision, fulfilment_forecast double precision,
               shortfall_now integer, shortfall_forecast integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH req AS (
        SELECT kbs.team_requirement_at(forecast.team_id, at) AS r
    ), raised AS (
        SELECT m.professional_id,
               (SELECT kbs.merge_max_agg(x.p) FROM (
                    SELECT coalesce(m.profile, '{}'::kbs.profile) AS p
                    UNION ALL
                    SELECT kbs.raise('{}'::kbs.profile, i.block_id, i.target_level)
                      FROM kbs.plan_item i
                     WHERE i.team_id = forecast.team_id AND i.professional_id = m.professional_id
                       AND kbs.plan_item_open(i, at)) x) AS p,
               m.profile AS now_p
          FROM kbs.member_profiles_at(forecast.team_id, at) m
    ), cov AS (
        SELECT kbs.coverage_agg(raised.now_p) AS now_c, kbs.coverage_agg(raised.p) AS fc_c FROM raised
    )
    SELECT kbs.fulfilment(cov.now_c, req.r), kbs.fulfilment(cov.fc_c, req.r),
           kbs.shortfall(cov.now_c, req.r), kbs.shortfall(cov.fc_c, req.r)
      FROM cov, req;
END;
COMMENT ON FUNCTION kbs.forecast(integer, date) IS 'Vervulling en tekort van een team op de datum, en als alle scholingsacties van leden die op die datum open waren zijn afgerond. Acties die later zijn gemaakt, acties van wie op de datum geen lid is en teamacties zonder persoon tellen niet mee.';

-- Plan progress per team. A person-level view like those of sql/74_views.sql:
-- security_invoker, row-level security decides what a reader sees.
CREATE VIEW kbs.v_plan_progress WITH (security_invoker = true) AS
SELECT kbs.as_of() AS peildatum, t.municipality AS municipality_code, mu.name AS municipality_name,
       t.id AS team_id, t.name AS team_name,
       coalesce(i.items, 0) AS items, coalesce(i.proposed, 0) AS proposed, coalesce(i.planned, 0) AS planned,
       coalesce(i.in_progress, 0) AS in_progress, coalesce(i.done, 0) AS done, coalesce(i.cancelled, 0) AS cancelled,
       coalesce(i.open, 0) AS open, coalesce(i.overdue, 0) AS overdue,
       kbs.ratio(coalesce(i.done, 0), i.items) AS done_share,
       coalesce(i.persons, 0) AS persons, coalesce(i.team_actions, 0) AS team_actions,
       round(f.fulfilment_now::numeric, 4) AS fulfilment_now,
       round(f.fulfilment_forecast::numeric, 4) AS fulfilment_forecast,
       f.shortfall_now, f.shortfall_forecast,
       round(kbs.fulfilment_with_partners(kbs.team_coverage(t.id, kbs.as_of()), kbs.partner_coverage(t.id, kbs.as_of()),
                                          kbs.team_requirement_at(t.id, kbs.as_of()))::numeric, 4) AS fulfilment_with_partners,
       coalesce(i.open_departed, 0) AS open_departed
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
  LEFT JOIN LATERAL (
      -- Each item as it stood on the date; open items of people who are no longer members apart.
      SELECT count(*) FILTER (WHERE x.status <> 'cancelled')::integer AS items,
             count(*) FILTER (WHERE x.status = 'proposed' AND x.member)::integer AS proposed,
             count(*) FILTER (WHERE x.status = 'planned' AND x.member)::integer AS planned,
             count(*) FILTER (WHERE x.status = 'in_progress' AND x.member)::integer AS in_progress,
             count(*) FILTER (WHERE x.status = 'done')::integer AS done,
             count(*) FILTER (WHERE x.status = 'cancelled')::integer AS cancelled,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.member)::integer AS open,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.member
                                AND x.due_on < kbs.as_of())::integer AS overdue,
             count(DISTINCT x.professional_id) FILTER (WHERE x.status <> 'cancelled')::integer AS persons,
             count(*) FILTER (WHERE x.status <> 'cancelled' AND x.professional_id IS NULL)::integer AS team_actions,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND NOT x.member)::integer
                 AS open_departed
        FROM (SELECT kbs.plan_status_at(p, kbs.as_of()) AS status, p.due_on, p.professional_id,
                     (p.professional_id IS NULL
                      OR EXISTS (SELECT 1 FROM kbs.membership ms
                                  WHERE ms.professional_id = p.professional_id AND ms.team_id = p.team_id
                                    AND ms.during @> kbs.as_of())) AS member
                FROM kbs.plan_item p
               WHERE p.team_id = t.id AND p.created_on <= kbs.as_of()) x) i ON true
  LEFT JOIN LATERAL kbs.forecast(t.id, kbs.as_of()) f ON true
 WHERE t.active @> kbs.as_of();
COMMENT ON VIEW kbs.v_plan_progress IS 'Voortgang van het scholingsplan per team op de peildatum (kbs.as_of(), standaard vandaag): acties per status zoals die op de peildatum was (later gemaakte acties tellen niet mee), achterstallig, aandeel afgerond, open acties van vertrokken leden apart, en de vervullingsgraad nu, als alle open acties zijn afgerond, en met ketenpartners ("doen we zelf / halen we erbij"). Volgt uit individuele scholing en verandert dagelijks; daarom alleen voor coördinatoren van het team en beheerders, niet voor beleid.';
COMMENT ON COLUMN kbs.v_plan_progress.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.items IS 'Aantal scholingsacties die op de peildatum bestonden, zonder de vervallen (ook die van vertrokken leden).';
COMMENT ON COLUMN kbs.v_plan_progress.proposed IS 'Aantal voorgestelde acties op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.planned IS 'Aantal geplande acties op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.in_progress IS 'Aantal acties die bezig zijn op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.done IS 'Aantal acties afgerond op of voor de peildatum.';
COMMENT ON COLUMN kbs.v_plan_progress.cancelled IS 'Aantal vervallen acties.';
COMMENT ON COLUMN kbs.v_plan_progress.open IS 'Aantal open acties (voorgesteld, gepland of bezig) op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.overdue IS 'Aantal open acties waarvan de streefdatum voor de peildatum ligt op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.done_share IS 'Aandeel afgerond van alle acties zonder de vervallen (0 tot 1); leeg zonder acties.';
COMMENT ON COLUMN kbs.v_plan_progress.persons IS 'Aantal professionals met een scholingsactie (zonder de vervallen).';
COMMENT ON COLUMN kbs.v_plan_progress.team_actions IS 'Aantal acties zonder persoon (bijvoorbeeld werven).';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_now IS 'Vervullingsgraad van het team nu (0 tot 1); leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_forecast IS 'Vervullingsgraad als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_now IS 'Totaal tekort nu; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_forecast IS 'Totaal tekort als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_with_partners IS 'Vervullingsgraad nu als de ketenpartners meetellen; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.open_departed IS 'Open acties van wie op de peildatum geen lid van het team meer is: apart gehouden, ze tellen niet in open, achterstallig of de prognose. Laten vervallen (status cancelled, met de reden in note) of overdragen.';
