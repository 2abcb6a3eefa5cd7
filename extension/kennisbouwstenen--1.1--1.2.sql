-- kennisbouwstenen 1.1 -> 1.2
\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '1.2'" to load this file. \quit

-- 75_dashboard.sql: the municipality trend carries the number of teams, which the page shows
-- beside the teams included ("7/7"); without it the page showed "7/undefined".
CREATE OR REPLACE FUNCTION kbs.dashboard_municipality(municipality text, peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text;
    at date;
    old_as_of text := current_setting('kbs.as_of', true);
    plan jsonb;
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
                   'fulfilment_now', p.fulfilment_now, 'fulfilment_forecast', p.fulfilment_forecast)
                   ORDER BY p.team_name, p.team_id), '[]')
          INTO plan
          FROM kbs.v_plan_progress p
         WHERE p.municipality_code = dashboard_municipality.municipality;
        PERFORM set_config('kbs.as_of', coalesce(old_as_of, ''), true);
    END IF;

    SELECT jsonb_build_object(
        'kind', 'municipality',
        'municipality', jsonb_build_object('code', municipality, 'name', m_name),
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', t.peildatum, 'ring_code', t.ring_code, 'domain_code', t.domain_code,
                         'domain_name', t.domain_name, 'domain_position', t.domain_position,
                         'teams', t.teams, 'teams_included', t.teams_included, 'members', t.members,
                         'required', t.required, 'present', t.present, 'shortfall', t.shortfall,
                         'fulfilment', t.fulfilment, 'carrier_share', t.carrier_share, 'suppressed', t.suppressed)
                         ORDER BY t.peildatum, t.ring_position, t.domain_position), '[]')
                    FROM kbs.v_municipality_domain_trend t
                   WHERE t.municipality_code = dashboard_municipality.municipality
                     AND t.ring_code IN ('general', 'specific') AND t.peildatum <= at),
        'teams', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'team_id', s.team_id, 'team_name', s.team_name, 'has_requirement', s.has_requirement,
                         'members', s.members, 'assessed', s.assessed, 'not_assessed', s.not_assessed,
                         'stale', s.stale, 'stale_share', s.stale_share, 'required', s.required,
                         'present', s.present, 'shortfall', s.shortfall, 'gap_blocks', s.gap_blocks,
                         'fragile_blocks', s.fragile_blocks, 'fulfilment', s.fulfilment,
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
