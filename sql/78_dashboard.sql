-- Dashboard data: one jsonb document per page, built only from the BI views, so
-- dashboards and BI tools show the same figures. SECURITY INVOKER on purpose:
-- the reader's own rights and suppression apply.

-- The latest snapshot date on or before today, or the given one when it has data.
CREATE FUNCTION kbs.dashboard_peildatum(municipality text, team_id integer, requested date) RETURNS date
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found date;
    latest date;
BEGIN
    IF municipality IS NULL THEN
        RAISE EXCEPTION 'municipality must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT max(s.peildatum) FILTER (WHERE requested IS NULL OR s.peildatum = requested),
           max(s.peildatum) FILTER (WHERE s.peildatum <= coalesce(requested, current_date))
      INTO found, latest
      FROM kbs.v_team_summary s
     WHERE s.municipality_code = dashboard_peildatum.municipality
       AND (dashboard_peildatum.team_id IS NULL OR s.team_id = dashboard_peildatum.team_id)
       AND (requested IS NOT NULL OR s.peildatum <= current_date);
    IF found IS NULL THEN
        IF requested IS NULL THEN
            RAISE EXCEPTION 'no snapshots for %', coalesce('team ' || team_id, 'municipality ' || municipality)
                USING ERRCODE = 'no_data_found',
                      HINT = 'Load assessments and run kbs.refresh_snapshots() first.';
        END IF;
        RAISE EXCEPTION 'no snapshot for % on %', coalesce('team ' || team_id, 'municipality ' || municipality), requested
            USING ERRCODE = 'no_data_found',
                  DETAIL = CASE WHEN latest IS NOT NULL THEN format('The latest snapshot before it is of %s.', latest)
                                ELSE 'There is no earlier snapshot.' END,
                  HINT = 'Snapshots exist for the assessment rounds'' peildata and the ends of months.';
    END IF;
    RETURN found;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_peildatum(text, integer, date) IS 'Intern: de peildatum van een dashboard: de gevraagde als er een momentopname van is, anders de laatste tot vandaag; een fout als er geen is.';

-- Scale and status legends shared by both pages.
CREATE FUNCTION kbs.dashboard_legend() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN jsonb_build_object(
    'scale', (SELECT jsonb_agg(jsonb_build_object('code', s.code, 'level', s.level, 'label', s.label, 'anchor', s.anchor)
                               ORDER BY s.position)
                FROM kbs.scale_labels s),
    'domains', (SELECT jsonb_agg(jsonb_build_object('code', d.code, 'name', d.name, 'position', d.position)
                                 ORDER BY d.position)
                  FROM kbs.domain d));

CREATE FUNCTION kbs.dashboard_municipality(municipality text, peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text;
    at date;
    old_as_of text := current_setting('kbs.as_of', true);
    plan jsonb;
    monthly jsonb;
    result jsonb;
BEGIN
    IF municipality IS NULL THEN
        RAISE EXCEPTION 'municipality must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT m.name INTO m_name FROM kbs.municipality m WHERE m.code = dashboard_municipality.municipality;
    IF m_name IS NULL THEN
        RAISE EXCEPTION 'municipality "%" does not exist', municipality USING ERRCODE = 'undefined_object',
            HINT = 'Municipalities are named by their CBS code, for example GM0363; see kbs.municipality.';
    END IF;
    at := kbs.dashboard_peildatum(municipality, NULL, peildatum);

    -- Plan progress is person-derived (coordinators and administrators only).
    IF has_table_privilege('kbs.v_plan_progress', 'SELECT') THEN
        PERFORM set_config('kbs.as_of', at::text, true);
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'team_id', p.team_id, 'team_name', p.team_name, 'items', p.items, 'proposed', p.proposed,
                   'planned', p.planned, 'in_progress', p.in_progress, 'done', p.done, 'cancelled', p.cancelled,
                   'open', p.open, 'overdue', p.overdue, 'done_share', p.done_share,
                   'fulfilment_now', p.fulfilment_now, 'fulfilment_forecast', p.fulfilment_forecast,
                   'open_departed', p.open_departed)
                   ORDER BY p.team_name, p.team_id), '[]')
          INTO plan
          FROM kbs.v_plan_progress p
         WHERE p.municipality_code = dashboard_municipality.municipality;
        PERFORM set_config('kbs.as_of', coalesce(old_as_of, ''), true);
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'peildatum', t.peildatum, 'round_name', t.round_name, 'domain_code', t.domain_code,
                   'teams', t.teams, 'teams_included', t.teams_included, 'complete', t.complete,
                   'fulfilment', t.fulfilment, 'suppressed', t.suppressed)
                   ORDER BY t.peildatum, t.domain_position), '[]')
          INTO monthly
          FROM kbs.v_municipality_domain_trend t
         WHERE t.municipality_code = dashboard_municipality.municipality
           AND t.ring_code = 'specific' AND t.peildatum <= at;
    END IF;

    SELECT jsonb_build_object(
        'kind', 'municipality',
        'municipality', jsonb_build_object('code', municipality, 'name', m_name),
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        -- For policy: the assessment rounds' peildata (all peildata when the municipality has no rounds yet).
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', t.peildatum, 'round_name', t.round_name, 'ring_code', t.ring_code,
                         'domain_code', t.domain_code, 'domain_name', t.domain_name,
                         'domain_position', t.domain_position,
                         'teams', t.teams, 'teams_included', t.teams_included, 'complete', t.complete,
                         'members', t.members, 'required', t.required, 'present', t.present,
                         'fulfilment', t.fulfilment, 'carrier_share', t.carrier_share, 'suppressed', t.suppressed)
                         ORDER BY t.peildatum, t.ring_position, t.domain_position), '[]')
                    FROM kbs.v_municipality_domain_trend t
                   WHERE t.municipality_code = dashboard_municipality.municipality
                     AND t.ring_code IN ('general', 'specific') AND t.peildatum <= at
                     AND (t.round_name IS NOT NULL
                          OR NOT EXISTS (SELECT 1 FROM kbs.v_municipality_domain_trend r
                                          WHERE r.municipality_code = dashboard_municipality.municipality
                                            AND r.round_name IS NOT NULL AND r.peildatum <= at))),
        -- Month ends too, for coordinators and administrators.
        'trend_monthly', monthly,
        'teams', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'team_id', s.team_id, 'team_name', s.team_name, 'has_requirement', s.has_requirement,
                         'members', s.members, 'assessed', s.assessed, 'not_assessed', s.not_assessed,
                         'stale', s.stale, 'stale_share', s.stale_share, 'required', s.required,
                         'present', s.present, 'gap_blocks', s.gap_blocks, 'unknown_blocks', s.unknown_blocks,
                         'fragile_blocks', s.fragile_blocks, 'members_below_floor', s.members_below_floor,
                         'places_short', s.places_short, 'fulfilment', s.fulfilment,
                         'fulfilment_with_partners', s.fulfilment_with_partners, 'suppressed', s.suppressed)
                         ORDER BY s.team_name, s.team_id), '[]')
                    FROM kbs.v_team_summary s
                   WHERE s.municipality_code = dashboard_municipality.municipality AND s.peildatum = at),
        'heatmap', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'team_id', d.team_id, 'team_name', d.team_name, 'ring_code', d.ring_code,
                           'domain_code', d.domain_code, 'domain_name', d.domain_name,
                           'domain_position', d.domain_position, 'required', d.required, 'present', d.present,
                           'shortfall', d.shortfall, 'fulfilment', d.fulfilment,
                           'worst_status_code', d.worst_status_code, 'worst_status_label', d.worst_status_label,
                           'suppressed', d.suppressed)
                           ORDER BY d.team_name, d.team_id, d.ring_position, d.domain_position), '[]')
                      FROM kbs.v_team_domain_status d
                     WHERE d.municipality_code = dashboard_municipality.municipality AND d.peildatum = at
                       AND d.ring_code = 'specific'),
        'plan', plan)
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_municipality(text, date) IS 'Alle gegevens van het gemeentedashboard als jsonb, uit de BI-views: vervulling per leefgebied door de tijd, teams × leefgebieden, actualiteit van de beoordelingen en (voor coördinatoren en beheerders) de voortgang van het scholingsplan. Peildatum: de gevraagde momentopname, standaard de laatste. Met de rechten en onderdrukking van de lezer.';

CREATE FUNCTION kbs.dashboard_team(team_id integer, peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    at date;
    old_as_of text := current_setting('kbs.as_of', true);
    person jsonb := NULL;
    person_ok boolean := false;
    result jsonb;
BEGIN
    IF team_id IS NULL THEN
        RAISE EXCEPTION 'team must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- Policy readers may not read kbs.team; they know a team only from its published snapshots.
    IF has_table_privilege('kbs.team', 'SELECT') THEN
        SELECT x.id, x.name, x.municipality, m.name AS municipality_name INTO t
          FROM kbs.team x JOIN kbs.municipality m ON m.code = x.municipality
         WHERE x.id = dashboard_team.team_id;
    ELSE
        SELECT s.team_id AS id, s.team_name AS name, s.municipality_code AS municipality, s.municipality_name INTO t
          FROM kbs.v_team_summary s
         WHERE s.team_id = dashboard_team.team_id
         ORDER BY s.peildatum DESC
         LIMIT 1;
    END IF;
    IF t.id IS NULL THEN
        RAISE EXCEPTION 'team % does not exist', team_id USING ERRCODE = 'undefined_object',
            HINT = 'Teams are named by their number; see kbs.team.';
    END IF;
    at := kbs.dashboard_peildatum(t.municipality, team_id, peildatum);

    -- Person-level parts: only for the team's coordinators and administrators.
    -- Nested, not AND: plain SQL does not promise to skip the view a policy reader may not read.
    IF has_table_privilege('kbs.v_member_block', 'SELECT') AND has_table_privilege('kbs.team_access', 'SELECT') THEN
        person_ok := EXISTS (SELECT 1 FROM kbs.team_access a WHERE a.team_id = dashboard_team.team_id AND a.person_access);
    END IF;
    IF person_ok THEN
        PERFORM set_config('kbs.as_of', at::text, true);
        SELECT jsonb_build_object(
            'candidates', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'block_id', c.block_id, 'block_name', c.block_name, 'domain_name', c.domain_name,
                           'required_level', c.required_level, 'professional_id', c.professional_id,
                           'professional_ref', c.professional_ref, 'discipline', c.discipline,
                           'level', c.level, 'level_label', c.level_label, 'in_plan', c.in_plan)
                           ORDER BY c.wheel_order, c.rank), '[]')
                  FROM (SELECT mb.*, s.shortfall,
                               row_number() OVER (PARTITION BY mb.block_id
                                                  ORDER BY coalesce(mb.level, -1) DESC, mb.professional_ref) AS rank,
                               EXISTS (SELECT 1 FROM kbs.plan_item i
                                        WHERE i.team_id = mb.team_id AND i.professional_id = mb.professional_id
                                          AND i.block_id = mb.block_id AND kbs.plan_item_open(i, at)) AS in_plan
                          FROM kbs.v_member_block mb
                          JOIN kbs.v_team_block_status s ON s.team_id = mb.team_id AND s.block_id = mb.block_id
                                                        AND s.peildatum = at AND s.status_code = 'gap'
                         WHERE mb.team_id = dashboard_team.team_id AND mb.level_code <> 'na'
                           AND mb.assessed_on IS NOT NULL
                           AND coalesce(mb.level, -1) < mb.required_level) c
                 WHERE c.rank <= c.shortfall),
            -- Members without any assessment: assess first, then plan training.
            'not_assessed', (
                SELECT coalesce(jsonb_agg(f.professional_ref ORDER BY f.professional_ref), '[]')
                  FROM kbs.v_assessment_freshness f
                 WHERE f.team_id = dashboard_team.team_id AND f.freshness_code = 'not_assessed'),
            -- Items as they stood on the peildatum; those of people no longer in the team marked departed.
            'plan', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'id', x.id, 'block_id', x.block_id, 'block_name', x.block_name,
                           'target_level', x.target_level, 'professional_ref', x.professional_ref,
                           'due_on', x.due_on, 'status', x.st,
                           'status_label', CASE x.st WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland'
                                                     WHEN 'in_progress' THEN 'bezig' WHEN 'done' THEN 'afgerond'
                                                     ELSE 'vervallen' END,
                           'overdue', x.st IN ('proposed', 'planned', 'in_progress') AND x.due_on < at AND NOT x.departed,
                           'departed', x.departed)
                           ORDER BY x.departed, (x.st = 'done'), x.due_on, x.id), '[]')
                  FROM (SELECT i.id, i.block_id, b.name AS block_name, i.target_level, p.ref AS professional_ref,
                               i.due_on, kbs.plan_status_at(i, at) AS st,
                               (i.professional_id IS NOT NULL
                                AND kbs.plan_item_open(i, at)
                                AND NOT EXISTS (SELECT 1 FROM kbs.membership ms
                                                 WHERE ms.professional_id = i.professional_id
                                                   AND ms.team_id = i.team_id AND ms.during @> at)) AS departed
                          FROM kbs.plan_item i
                          JOIN kbs.block b ON b.id = i.block_id
                          LEFT JOIN kbs.professional p ON p.id = i.professional_id
                         WHERE i.team_id = dashboard_team.team_id AND i.created_on <= at) x
                 WHERE x.st <> 'cancelled'),
            'progress', (
                SELECT jsonb_build_object('items', p.items, 'proposed', p.proposed, 'planned', p.planned,
                                          'in_progress', p.in_progress, 'done', p.done, 'open', p.open,
                                          'overdue', p.overdue, 'done_share', p.done_share,
                                          'fulfilment_now', p.fulfilment_now,
                                          'fulfilment_forecast', p.fulfilment_forecast,
                                          'shortfall_now', p.shortfall_now, 'shortfall_forecast', p.shortfall_forecast,
                                          'fulfilment_with_partners', p.fulfilment_with_partners,
                                          'open_departed', p.open_departed)
                  FROM kbs.v_plan_progress p WHERE p.team_id = dashboard_team.team_id),
            'self_vs_supervisor', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'ring_code', v.ring_code, 'ring_name', v.ring_name, 'domain_position', v.domain_position,
                           'domain_name', v.domain_name, 'higher', v.higher, 'equal', v.equal, 'lower', v.lower)
                           ORDER BY v.ring_position, v.domain_position), '[]')
                  FROM (SELECT x.ring_position, x.ring_code, x.ring_name, x.domain_position, x.domain_name,
                               count(*) FILTER (WHERE x.comparison_code = 'higher')::integer AS higher,
                               count(*) FILTER (WHERE x.comparison_code = 'equal')::integer AS equal,
                               count(*) FILTER (WHERE x.comparison_code = 'lower')::integer AS lower
                          FROM kbs.v_self_vs_supervisor x
                         WHERE x.team_id = dashboard_team.team_id AND x.ring_code IN ('generic', 'general', 'specific')
                         GROUP BY 1, 2, 3, 4, 5) v),
            'members', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'professional_ref', f.professional_ref, 'discipline', f.discipline,
                           'assessed_on', f.assessed_on, 'source_label', f.source_label,
                           'freshness_code', f.freshness_code, 'freshness_label', f.freshness_label)
                           ORDER BY f.professional_ref), '[]')
                  FROM kbs.v_assessment_freshness f WHERE f.team_id = dashboard_team.team_id))
          INTO person;
        PERFORM set_config('kbs.as_of', coalesce(old_as_of, ''), true);
    END IF;

    SELECT jsonb_build_object(
        'kind', 'team',
        'team', jsonb_build_object('id', t.id, 'name', t.name),
        'municipality', jsonb_build_object('code', t.municipality, 'name', t.municipality_name),
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        'summary', (SELECT to_jsonb(s) - 'municipality_code' - 'municipality_name' - 'team_name'
                      FROM kbs.v_team_summary s WHERE s.team_id = dashboard_team.team_id AND s.peildatum = at),
        -- Every top-level block of the wheel, with the team's requirement where there is one.
        'wheel', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'wheel_order', w.wheel_order, 'ring_code', w.ring_code, 'ring_name', w.ring_name,
                         'domain_code', w.domain_code, 'domain_name', w.domain_name,
                         'domain_position', w.domain_position, 'block_id', w.block_id, 'block_name', w.block_name,
                         'shipped', w.shipped, 'min_level', s.min_level, 'min_level_label', s.min_level_label,
                         'min_members', s.min_members, 'every_member', s.every_member,
                         'required', s.required, 'present', s.present, 'shortfall', s.shortfall,
                         'unassessed', s.unassessed, 'status_code', coalesce(s.status_code, 'none'),
                         'status_label', coalesce(s.status_label, 'geen eis'),
                         'suppressed', coalesce(s.suppressed, false),
                         'aspects', (SELECT coalesce(jsonb_agg(a.block_name ORDER BY a.wheel_order), '[]')
                                       FROM kbs.v_wheel a
                                      WHERE a.parent_id = w.block_id AND NOT a.retired))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE w.depth = 0 AND NOT w.retired),
        -- The municipality's own blocks and aspects, where they sit in the wheel.
        'local', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'block_id', w.block_id, 'block_name', w.block_name, 'is_aspect', w.is_aspect,
                         'parent_name', pw.block_name, 'ring_code', w.ring_code, 'ring_name', w.ring_name,
                         'domain_position', w.domain_position, 'domain_name', w.domain_name,
                         'min_level', s.min_level, 'min_level_label', s.min_level_label,
                         'required', s.required, 'present', s.present, 'shortfall', s.shortfall,
                         'unassessed', s.unassessed, 'status_code', coalesce(s.status_code, 'none'),
                         'status_label', coalesce(s.status_label, 'geen eis'),
                         'suppressed', coalesce(s.suppressed, false))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_wheel pw ON pw.block_id = w.parent_id
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE NOT w.shipped AND NOT w.retired),
        'domains', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'ring_code', d.ring_code, 'ring_name', d.ring_name, 'domain_code', d.domain_code,
                           'domain_name', d.domain_name, 'domain_position', d.domain_position,
                           'required', d.required, 'present', d.present, 'shortfall', d.shortfall,
                           'fulfilment', d.fulfilment, 'worst_status_code', d.worst_status_code,
                           'worst_status_label', d.worst_status_label, 'suppressed', d.suppressed)
                           ORDER BY d.ring_position, d.domain_position), '[]')
                      FROM kbs.v_team_domain_status d
                     WHERE d.team_id = dashboard_team.team_id AND d.peildatum = at),
        'gaps', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                        'block_id', b.block_id, 'block_name', b.block_name, 'ring_name', b.ring_name,
                        'domain_name', b.domain_name, 'importance', b.importance,
                        'importance_label', b.importance_label, 'min_level', b.min_level,
                        'min_level_label', b.min_level_label, 'required', b.required, 'present', b.present,
                        'shortfall', b.shortfall, 'suppressed', b.suppressed)
                        ORDER BY b.importance DESC, b.shortfall DESC, b.wheel_order), '[]')
                   FROM kbs.v_team_block_status b
                  WHERE b.team_id = dashboard_team.team_id AND b.peildatum = at
                    AND (b.status_code = 'gap' OR b.suppressed)),
        -- Not known to fall short: the members not yet assessed on the block could make up the shortfall.
        'unknown', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'block_id', b.block_id, 'block_name', b.block_name, 'ring_name', b.ring_name,
                           'domain_name', b.domain_name, 'min_level', b.min_level,
                           'min_level_label', b.min_level_label, 'required', b.required, 'present', b.present,
                           'shortfall', b.shortfall, 'unassessed', b.unassessed)
                           ORDER BY b.wheel_order), '[]')
                      FROM kbs.v_team_block_status b
                     WHERE b.team_id = dashboard_team.team_id AND b.peildatum = at AND b.status_code = 'unknown'),
        'fragile', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'block_id', r.block_id, 'block_name', r.block_name, 'domain_name', r.domain_name,
                           'min_level', r.min_level, 'min_members', r.min_members, 'carriers', r.carriers,
                           'experts', r.experts, 'partner_carriers', r.partner_carriers,
                           'single_carrier', r.single_carrier, 'risk_label', r.risk_label)
                           ORDER BY r.wheel_order), '[]')
                      FROM kbs.v_knowledge_risk r
                     WHERE r.team_id = dashboard_team.team_id AND r.peildatum = at AND r.risk_code = 'fragile'),
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', s.peildatum, 'members', s.members, 'assessed', s.assessed, 'stale', s.stale,
                         'fulfilment', s.fulfilment, 'fulfilment_with_partners', s.fulfilment_with_partners,
                         'gap_blocks', s.gap_blocks, 'unknown_blocks', s.unknown_blocks,
                         'fragile_blocks', s.fragile_blocks, 'members_below_floor', s.members_below_floor,
                         'places_short', s.places_short, 'suppressed', s.suppressed)
                         ORDER BY s.peildatum), '[]')
                    FROM kbs.v_team_summary s WHERE s.team_id = dashboard_team.team_id AND s.peildatum <= at),
        'person', person)
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_team(integer, date) IS 'Alle gegevens van het teamrapport als jsonb, uit de BI-views: karrenwiel (nodig en aanwezig per bouwsteen), tekorten, kwetsbare bouwstenen, ontwikkeling; voor coördinatoren van het team en beheerders ook scholingskandidaten, scholingsplan, zelf- naast leidinggevendebeoordeling en actualiteit per lid. Peildatum: de gevraagde momentopname, standaard de laatste.';

-- Teams of a municipality that have a snapshot on a date: what the generator writes reports for.
CREATE FUNCTION kbs.dashboard_teams(municipality text, peildatum date) RETURNS TABLE (team_id integer, team_name text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT s.team_id, s.team_name FROM kbs.v_team_summary s
     WHERE s.municipality_code = dashboard_teams.municipality AND s.peildatum = dashboard_teams.peildatum
     ORDER BY s.team_name, s.team_id;
END;
COMMENT ON FUNCTION kbs.dashboard_teams(text, date) IS 'De teams van een gemeente met een momentopname op de peildatum, op naam: waarvoor het dashboardprogramma teamrapporten maakt.';
