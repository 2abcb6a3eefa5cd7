-- kennisbouwstenen 1.1 -> 1.2
\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '1.2'" to load this file. \quit

-- Settings have a kind; reading one as the other kind is an error (kbs.setting_of_kind).
ALTER TABLE kbs.setting ADD COLUMN kind text;
UPDATE kbs.setting SET kind = CASE name WHEN 'min_group_size' THEN 'integer' ELSE 'interval' END;
ALTER TABLE kbs.setting ALTER COLUMN kind SET NOT NULL,
    ADD CONSTRAINT setting_kind CHECK (kind IN ('interval', 'integer'));
COMMENT ON COLUMN kbs.setting.kind IS 'Soort waarde: interval of integer (geheel getal).';

CREATE FUNCTION kbs.setting_of_kind(setting_name text, wanted text) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_kind text;
    v text;
BEGIN
    SELECT s.kind, coalesce(l.value, s.value) INTO found_kind, v
      FROM kbs.setting s LEFT JOIN kbs.setting_local l USING (name) WHERE s.name = setting_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown setting "%"', setting_name USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The settings are: ' || (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM kbs.setting s) || '.';
    END IF;
    IF found_kind <> wanted THEN
        RAISE EXCEPTION 'setting "%" is of kind %, not %', setting_name, found_kind, wanted
            USING ERRCODE = 'wrong_object_type',
                  HINT = format('Read it with kbs.setting_%s.', found_kind);
    END IF;
    RETURN v;
END
$$;
COMMENT ON FUNCTION kbs.setting_of_kind(text, text) IS 'Interne hulpfunctie: de geldende waarde van een instelling, met een fout als de instelling van een andere soort is.';

CREATE OR REPLACE FUNCTION kbs.setting_interval(setting_name text) RETURNS interval
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_of_kind(setting_name, 'interval')::interval;
COMMENT ON FUNCTION kbs.setting_interval(text) IS 'Een instelling als interval; een fout voor een instelling die geen interval is.';

CREATE OR REPLACE FUNCTION kbs.setting_integer(setting_name text) RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_of_kind(setting_name, 'integer')::integer;
COMMENT ON FUNCTION kbs.setting_integer(text) IS 'Een instelling als geheel getal; een fout voor een instelling die geen geheel getal is.';

CREATE OR REPLACE FUNCTION kbs.set_setting(setting_name text, new_value text) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF setting_name IS NULL OR new_value IS NULL THEN
        RAISE EXCEPTION 'setting name and value must not be null' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'To return to the default, delete the row from kbs.setting_local.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM kbs.setting s WHERE s.name = setting_name) THEN
        RAISE EXCEPTION 'unknown setting "%"', setting_name USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The settings are: ' || (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM kbs.setting s) || '.';
    END IF;
    -- Validate the value by the type the setting is read as.
    BEGIN
        IF (SELECT s.kind FROM kbs.setting s WHERE s.name = setting_name) = 'integer' THEN
            IF new_value::integer < 1 THEN
                RAISE EXCEPTION '% must be at least 1', setting_name USING ERRCODE = 'invalid_parameter_value';
            END IF;
        ELSIF new_value::interval <= interval '0' THEN
            RAISE EXCEPTION '% must be a positive interval', setting_name USING ERRCODE = 'invalid_parameter_value';
        END IF;
    EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR datetime_field_overflow THEN
        RAISE EXCEPTION 'invalid value "%" for setting "%"', new_value, setting_name
            USING ERRCODE = 'invalid_parameter_value';
    END;
    INSERT INTO kbs.setting_local (name, value) VALUES (setting_name, new_value)
        ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
    RETURN new_value;
END
$$;
COMMENT ON FUNCTION kbs.set_setting(text, text) IS 'Zet een eigen waarde voor een instelling, bijvoorbeeld kbs.set_setting(''stale_after'', ''12 months'').';

-- jsonb constructors: a block named twice (code and id) is refused by name; a requirement says "members".
CREATE FUNCTION kbs.check_block_keys(obj jsonb) RETURNS void
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    dup record;
BEGIN
    SELECT kbs.block_id_of(j.key) AS id, string_agg('"' || j.key || '"', ' and ' ORDER BY j.key) AS keys INTO dup
      FROM jsonb_object_keys(obj) j(key) GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'block % is given twice, as %', dup.id, dup.keys
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Give each block once, by its code or by its id.';
    END IF;
END
$$;
COMMENT ON FUNCTION kbs.check_block_keys(jsonb) IS 'Interne hulpfunctie: fout als twee sleutels van een jsonb-object dezelfde bouwsteen noemen (code en id).';

CREATE OR REPLACE FUNCTION kbs.profile_from_jsonb(levels jsonb) RETURNS kbs.profile
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result kbs.profile;
BEGIN
    IF jsonb_typeof(levels) <> 'object' THEN
        RAISE EXCEPTION 'a profile in jsonb must be an object, not %', jsonb_typeof(levels)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'For example {"generic.signalling": 3, "specific.income": "na"}.';
    END IF;
    PERFORM kbs.check_block_keys(levels);
    SELECT kbs.profile_agg(kbs.block_id_of(j.key),
               CASE jsonb_typeof(j.value)
                   WHEN 'null' THEN NULL
                   WHEN 'number' THEN CASE WHEN j.value::text ~ '^[0-4]$' THEN j.value::text
                                           ELSE kbs.raise_bad_level(j.key, j.value) END
                   WHEN 'string' THEN CASE WHEN j.value #>> '{}' IN ('0', '1', '2', '3', '4', 'na') THEN j.value #>> '{}'
                                           ELSE kbs.raise_bad_level(j.key, j.value) END
                   ELSE kbs.raise_bad_level(j.key, j.value) END)
      INTO result
      FROM jsonb_each(levels) j;
    RETURN coalesce(result, '{}'::kbs.profile);
END
$$;
COMMENT ON FUNCTION kbs.profile_from_jsonb(jsonb) IS 'Profiel uit jsonb met bouwsteencodes (of ids) als sleutels en niveaus 0-4 of "na", bijvoorbeeld {"generic.signalling": 3, "specific.income": "na"}.';

CREATE OR REPLACE FUNCTION kbs.requirement_from_jsonb(entries jsonb) RETURNS kbs.requirement
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result kbs.requirement;
    bad record;
BEGIN
    IF jsonb_typeof(entries) <> 'object' THEN
        RAISE EXCEPTION 'a requirement in jsonb must be an object, not %', jsonb_typeof(entries)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'For example {"specific.income": {"level": 3, "members": 2}, "general.income": {"level": 1, "members": "all"}}.';
    END IF;
    -- No default for members: "every member" and "one member" are very different requirements.
    SELECT j.key, j.value INTO bad FROM jsonb_each(entries) j
     WHERE jsonb_typeof(j.value) = 'object' AND NOT j.value ? 'members' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'requirement % for block "%" does not say how many members must meet it', bad.value, bad.key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Add "members": a number, or "all" for every member (the individual floor).';
    END IF;
    SELECT j.key, j.value INTO bad FROM jsonb_each(entries) j
     WHERE jsonb_typeof(j.value) <> 'object'
        OR jsonb_typeof(j.value -> 'level') IS DISTINCT FROM 'number'
        OR (jsonb_typeof(j.value -> 'members') IS DISTINCT FROM 'number' AND j.value -> 'members' IS DISTINCT FROM '"all"')
        OR (j.value ? 'importance' AND jsonb_typeof(j.value -> 'importance') <> 'number')
        -- numbers must be whole: 1.5 is not a level (and would round)
        OR EXISTS (SELECT 1 FROM unnest(ARRAY['level', 'members', 'importance']) k
                    WHERE jsonb_typeof(j.value -> k) = 'number'
                      AND (j.value ->> k)::numeric <> trunc((j.value ->> k)::numeric))
        OR EXISTS (SELECT 1 FROM jsonb_object_keys(CASE WHEN jsonb_typeof(j.value) = 'object' THEN j.value ELSE '{}' END) k
                    WHERE k NOT IN ('level', 'members', 'importance'))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invalid requirement % for block "%"', bad.value, bad.key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Each entry is {"level": 1-4, "members": a number or "all" (every member: the individual floor), "importance": 1-3}; importance defaults to 2.';
    END IF;
    PERFORM kbs.check_block_keys(entries);
    SELECT kbs.requirement_agg(kbs.block_id_of(j.key), (j.value ->> 'level')::numeric::integer,
                               CASE WHEN j.value ->> 'members' = 'all' THEN NULL
                                    ELSE (j.value ->> 'members')::numeric::integer END,
                               coalesce((j.value ->> 'importance')::numeric::integer, 2))
      INTO result
      FROM jsonb_each(entries) j;
    RETURN coalesce(result, '{}'::kbs.requirement);
END
$$;
COMMENT ON FUNCTION kbs.requirement_from_jsonb(jsonb) IS 'Teameis uit jsonb met bouwsteencodes (of ids) als sleutels, bijvoorbeeld {"specific.income": {"level": 3, "members": 2, "importance": 3}, "general.income": {"level": 1, "members": "all"}}.';


-- Retention: snapshots that count someone whose data were removed are kept as stored, not recomputed.
CREATE OR REPLACE FUNCTION kbs.refresh_snapshots(from_date date, to_date date) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    computed integer := 0;
BEGIN
    IF from_date IS NULL OR to_date IS NULL THEN
        RAISE EXCEPTION 'the period of kbs.refresh_snapshots must not have a null date'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF from_date > to_date OR NOT isfinite(from_date) OR NOT isfinite(to_date) THEN
        RAISE EXCEPTION 'invalid period % to %', from_date, to_date USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give finite dates, the from date on or before the to date.';
    END IF;
    -- One refresh at a time, so two sessions never compute the same snapshot;
    -- and none while a change that marks snapshots dirty is uncommitted (the
    -- triggers hold this lock shared): the refresh waits for those to commit,
    -- and later changes wait for the refresh, so their marks are newer than
    -- every snapshot it stores. Each statement below then sees the committed
    -- changes (READ COMMITTED: in REPEATABLE READ the snapshot would be older).
    PERFORM pg_advisory_xact_lock(hashtext('kbs.refresh_snapshots'));
    FOR t IN
        SELECT tm.id AS team_id, d.d AS peildatum
          FROM kbs.team tm
         CROSS JOIN LATERAL kbs.peildata(tm.id, from_date, to_date) d(d)
          LEFT JOIN kbs.snapshot s ON s.team_id = tm.id AND s.peildatum = d.d
         WHERE s.team_id IS NULL
            OR (EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                         WHERE x.team_id = tm.id AND x.since <= d.d AND x.marked_at > s.computed_at)
                -- A snapshot that counts someone whose data retention removed cannot be
                -- computed again: it is kept as stored (kbs.apply_retention).
                AND NOT EXISTS (SELECT 1 FROM kbs.membership m JOIN kbs.professional p ON p.id = m.professional_id
                                 WHERE m.team_id = tm.id AND m.during @> d.d AND p.anonymised))
    LOOP
        INSERT INTO kbs.snapshot AS s (team_id, peildatum, coverage, requirement, partner_coverage,
                                       members, assessed, stale, computed_at)
        SELECT t.team_id, t.peildatum, kbs.coverage_agg(p.profile),
               kbs.team_requirement_at(t.team_id, t.peildatum),
               kbs.partner_coverage(t.team_id, t.peildatum),
               count(*), count(p.assessment_id), count(*) FILTER (WHERE p.stale), clock_timestamp()
          FROM kbs.member_profiles_at(t.team_id, t.peildatum) p
        ON CONFLICT (team_id, peildatum) DO UPDATE
           SET coverage = EXCLUDED.coverage, requirement = EXCLUDED.requirement,
               partner_coverage = EXCLUDED.partner_coverage, members = EXCLUDED.members,
               assessed = EXCLUDED.assessed, stale = EXCLUDED.stale, computed_at = EXCLUDED.computed_at;
        computed := computed + 1;
    END LOOP;
    -- A mark is spent once every stored snapshot it touches is newer.
    DELETE FROM kbs.snapshot_dirty x
     WHERE NOT EXISTS (SELECT 1 FROM kbs.snapshot s
                        WHERE s.team_id = x.team_id AND s.peildatum >= x.since AND s.computed_at < x.marked_at);
    RETURN computed;
END
$$;
COMMENT ON FUNCTION kbs.refresh_snapshots(date, date) IS 'Legt momentopnamen vast per team en peildatum in de periode; berekent alleen wat ontbreekt of sindsdien gewijzigd is. Geeft het aantal berekende momentopnamen.';



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

-- kbs.gaps gains the column unassessed (before status) and the status unknown. Its result
-- columns change, so it is dropped and recreated with everything that depends on it
-- (found with pg_depend); the definitions are those of sql/*.sql.
DROP FUNCTION kbs.dashboard_teams(text, date);
DROP VIEW kbs.v_benchmark;
DROP VIEW kbs.v_municipality_domain_trend;
DROP VIEW kbs.municipality_group;
DROP VIEW kbs.v_team_domain_status;
DROP VIEW kbs.snapshot_group;
DROP VIEW kbs.v_plan_progress;
DROP VIEW kbs.v_knowledge_risk;
DROP VIEW kbs.v_team_block_status;
DROP VIEW kbs.v_team_summary;
DROP FUNCTION kbs.fulfilment_with_partners(kbs.coverage, kbs.coverage, kbs.requirement);
DROP FUNCTION kbs.gaps(kbs.coverage, kbs.requirement);

CREATE FUNCTION kbs.gaps(kbs.coverage, kbs.requirement,
                         OUT block_id integer, OUT min_level smallint, OUT min_members integer,
                         OUT importance smallint, OUT needed integer, OUT present integer,
                         OUT shortfall integer, OUT spare integer, OUT unassessed integer, OUT status text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_gaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION kbs.gaps(kbs.coverage, kbs.requirement) IS 'Per eis: nodig, aanwezig, tekort, overschot, niet beoordeeld (leden zonder niveau en zonder "niet van toepassing" op de bouwsteen, ook leden zonder beoordeling) en status: gap = tekort (ook als alle niet-beoordeelde leden de eis zouden halen), unknown = onbekend, nog te beoordelen (het tekort is niet groter dan het aantal niet-beoordeelde leden), fragile = precies genoeg (één vertrek geeft een tekort), met = voldaan. Slechtste eerst: gap, unknown, fragile, met. min_members leeg = ieder lid.';

-- With partners, a numeric entry counts partner knowledge too; a floor for
-- every member stays about the team's own members.
CREATE FUNCTION kbs.fulfilment_with_partners(team kbs.coverage, partners kbs.coverage, req kbs.requirement)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT CASE WHEN coalesce(sum(g.needed), 0) = 0 THEN 1.0::float8
                    ELSE sum(least(g.needed, g.present + CASE WHEN g.min_members IS NULL THEN 0
                                                              ELSE kbs.count_at_least(partners, g.block_id, g.min_level) END))::float8
                         / sum(g.needed)::float8 END
          FROM kbs.gaps(team, req) g);
COMMENT ON FUNCTION kbs.fulfilment_with_partners(kbs.coverage, kbs.coverage, kbs.requirement) IS 'Vervullingsgraad als de ketenpartners meetellen ("halen we erbij"): partners vullen eisen met een aantal leden aan; de ondergrens voor ieder lid blijft bij het eigen team.';

CREATE OR REPLACE FUNCTION kbs.status_label(status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE status WHEN 'gap' THEN 'tekort' WHEN 'unknown' THEN 'onbekend' WHEN 'fragile' THEN 'kwetsbaar'
                   WHEN 'met' THEN 'voldaan' END;
COMMENT ON FUNCTION kbs.status_label(text) IS 'Nederlandse benaming van een status: gap = tekort, unknown = onbekend (nog te beoordelen: het tekort kan verdwijnen als de niet-beoordeelde leden de eis halen), fragile = kwetsbaar (één vertrek geeft een tekort), met = voldaan.';

-- Per snapshot and group of the wheel: the requirement entries summed.
CREATE VIEW kbs.snapshot_group AS
SELECT c.team_id, c.municipality, c.peildatum, c.published, c.members, c.assessed, c.stale,
       y.ring_position, y.ring, y.ring_name, y.domain_position, y.domain, y.domain_name,
       y.blocks, y.required, y.present, y.shortfall, y.gap_blocks, y.unknown_blocks, y.fragile_blocks, y.worst,
       CASE WHEN y.carrier_block_id IS NOT NULL
            THEN kbs.count_at_least(c.coverage, y.carrier_block_id, y.carrier_level) END AS carriers
  FROM kbs.snapshot_cell c
 CROSS JOIN LATERAL (
      -- the requirement's entries of this snapshot, once, summed per group
      SELECT wg.ring_position, wg.ring, wg.ring_name, wg.domain_position, wg.domain, wg.domain_name,
             wg.carrier_block_id, wg.carrier_level,
             coalesce(x.blocks, 0) AS blocks, coalesce(x.required, 0) AS required, coalesce(x.present, 0) AS present,
             coalesce(x.shortfall, 0) AS shortfall, coalesce(x.gap_blocks, 0) AS gap_blocks,
             coalesce(x.unknown_blocks, 0) AS unknown_blocks, coalesce(x.fragile_blocks, 0) AS fragile_blocks, x.worst
        FROM kbs.wheel_group wg
        LEFT JOIN (
            SELECT b.ring, coalesce(b.domain, '') AS domain,
                   count(*)::integer AS blocks, sum(g.needed)::integer AS required,
                   sum(least(g.present, g.needed))::integer AS present, sum(g.shortfall)::integer AS shortfall,
                   count(*) FILTER (WHERE g.status = 'gap')::integer AS gap_blocks,
                   count(*) FILTER (WHERE g.status = 'unknown')::integer AS unknown_blocks,
                   count(*) FILTER (WHERE g.status = 'fragile')::integer AS fragile_blocks,
                   max(CASE g.status WHEN 'gap' THEN 4 WHEN 'unknown' THEN 3 WHEN 'fragile' THEN 2 ELSE 1 END) AS worst
              FROM kbs.gaps(c.coverage, c.requirement) g
              JOIN kbs.block b ON b.id = g.block_id
             GROUP BY b.ring, coalesce(b.domain, '')) x ON x.ring = wg.ring AND x.domain = coalesce(wg.domain, '')) y;
COMMENT ON VIEW kbs.snapshot_group IS 'Intern: per momentopname en groep van het karrenwiel de opgetelde eisen en het aantal kennisdragers.';
COMMENT ON COLUMN kbs.snapshot_group.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot_group.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.snapshot_group.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.snapshot_group.published IS 'Waar als de cijfers van de momentopname gepubliceerd mogen worden.';
COMMENT ON COLUMN kbs.snapshot_group.members IS 'Aantal leden.';
COMMENT ON COLUMN kbs.snapshot_group.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.snapshot_group.stale IS 'Aantal verouderde beoordelingen.';
COMMENT ON COLUMN kbs.snapshot_group.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.snapshot_group.ring IS 'Code van de laag.';
COMMENT ON COLUMN kbs.snapshot_group.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.snapshot_group.domain_position IS 'Plaats van het leefgebied.';
COMMENT ON COLUMN kbs.snapshot_group.domain IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.snapshot_group.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.snapshot_group.blocks IS 'Aantal eisen in de groep.';
COMMENT ON COLUMN kbs.snapshot_group.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.snapshot_group.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.snapshot_group.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.snapshot_group.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.snapshot_group.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen).';
COMMENT ON COLUMN kbs.snapshot_group.fragile_blocks IS 'Aantal kwetsbare eisen.';
COMMENT ON COLUMN kbs.snapshot_group.worst IS 'Slechtste status: 4 tekort, 3 onbekend, 2 kwetsbaar, 1 voldaan; leeg zonder eisen.';
COMMENT ON COLUMN kbs.snapshot_group.carriers IS 'Aantal kennisdragers van de groep.';

-- Per municipality, peildatum and group: the sums over published cells only.
CREATE VIEW kbs.municipality_group AS
SELECT g.municipality, m.name AS municipality_name, g.peildatum,
       g.ring_position, g.ring, g.ring_name, g.domain_position, g.domain, g.domain_name,
       count(*)::integer AS teams,
       count(*) FILTER (WHERE g.published)::integer AS teams_included,
       sum(g.members) FILTER (WHERE g.published)::integer AS members,
       sum(g.assessed) FILTER (WHERE g.published)::integer AS assessed,
       sum(g.stale) FILTER (WHERE g.published)::integer AS stale,
       sum(g.carriers) FILTER (WHERE g.published)::integer AS carriers,
       sum(g.blocks) FILTER (WHERE g.published)::integer AS blocks,
       sum(g.required) FILTER (WHERE g.published)::integer AS required,
       sum(g.present) FILTER (WHERE g.published)::integer AS present,
       sum(g.shortfall) FILTER (WHERE g.published)::integer AS shortfall,
       sum(g.gap_blocks) FILTER (WHERE g.published)::integer AS gap_blocks,
       sum(g.unknown_blocks) FILTER (WHERE g.published)::integer AS unknown_blocks,
       sum(g.fragile_blocks) FILTER (WHERE g.published)::integer AS fragile_blocks
  FROM kbs.snapshot_group g
  JOIN kbs.municipality m ON m.code = g.municipality
 GROUP BY g.municipality, m.name, g.peildatum, g.ring_position, g.ring, g.ring_name,
          g.domain_position, g.domain, g.domain_name;
COMMENT ON VIEW kbs.municipality_group IS 'Intern: per gemeente, peildatum en groep van het karrenwiel de sommen over de gepubliceerde momentopnamen van haar teams.';
COMMENT ON COLUMN kbs.municipality_group.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.municipality_group.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.municipality_group.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.municipality_group.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.municipality_group.ring IS 'Code van de laag.';
COMMENT ON COLUMN kbs.municipality_group.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.municipality_group.domain_position IS 'Plaats van het leefgebied.';
COMMENT ON COLUMN kbs.municipality_group.domain IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.municipality_group.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.municipality_group.teams IS 'Aantal teams met een momentopname.';
COMMENT ON COLUMN kbs.municipality_group.teams_included IS 'Aantal teams waarvan de cijfers zijn meegeteld (gepubliceerd).';
COMMENT ON COLUMN kbs.municipality_group.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.municipality_group.assessed IS 'Aantal beoordeelde leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.municipality_group.stale IS 'Aantal verouderde beoordelingen in de meegetelde teams.';
COMMENT ON COLUMN kbs.municipality_group.carriers IS 'Aantal kennisdragers in de meegetelde teams.';
COMMENT ON COLUMN kbs.municipality_group.blocks IS 'Aantal eisen in de meegetelde teams.';
COMMENT ON COLUMN kbs.municipality_group.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.municipality_group.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.municipality_group.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.municipality_group.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.municipality_group.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen).';
COMMENT ON COLUMN kbs.municipality_group.fragile_blocks IS 'Aantal kwetsbare eisen.';

-- Team × peildatum: the overview of one snapshot.
CREATE VIEW kbs.v_team_summary WITH (security_barrier = true) AS
SELECT c.peildatum, c.municipality AS municipality_code, c.municipality_name, c.team_id, c.team_name,
       (c.requirement IS NOT NULL) AS has_requirement,
       CASE WHEN c.shown THEN c.members END AS members,
       CASE WHEN c.shown THEN c.assessed END AS assessed,
       CASE WHEN c.shown THEN c.members - c.assessed END AS not_assessed,
       CASE WHEN c.shown THEN c.stale END AS stale,
       CASE WHEN c.shown THEN kbs.ratio(c.stale, c.assessed) END AS stale_share,
       CASE WHEN c.shown THEN x.required END AS required,
       CASE WHEN c.shown THEN x.present END AS present,
       CASE WHEN c.shown THEN x.shortfall END AS shortfall,
       CASE WHEN c.shown THEN x.gap_blocks END AS gap_blocks,
       CASE WHEN c.shown THEN x.unknown_blocks END AS unknown_blocks,
       CASE WHEN c.shown THEN x.fragile_blocks END AS fragile_blocks,
       CASE WHEN c.shown THEN round(kbs.fulfilment(c.coverage, c.requirement)::numeric, 4) END AS fulfilment,
       CASE WHEN c.shown THEN round(kbs.fulfilment_with_partners(c.coverage, c.partner_coverage, c.requirement)::numeric, 4) END
           AS fulfilment_with_partners,
       c.published, NOT c.shown AS suppressed
  FROM kbs.team_cell c
  LEFT JOIN LATERAL (
      SELECT sum(g.needed)::integer AS required, sum(least(g.present, g.needed))::integer AS present,
             sum(g.shortfall)::integer AS shortfall,
             count(*) FILTER (WHERE g.status = 'gap')::integer AS gap_blocks,
             count(*) FILTER (WHERE g.status = 'unknown')::integer AS unknown_blocks,
             count(*) FILTER (WHERE g.status = 'fragile')::integer AS fragile_blocks
        FROM kbs.gaps(c.coverage, c.requirement) g) x ON true;
COMMENT ON VIEW kbs.v_team_summary IS 'Per team en peildatum (momentopname) het overzicht: leden, beoordeeld, verouderd, tekort en vervullingsgraad, met en zonder ketenpartners. Voor beleid en coördinatoren. Wie geen persoonsgegevens van het team mag zien, krijgt alleen gepubliceerde cijfers (minstens k beoordeelde leden, niet af te leiden); anders leeg met suppressed = waar.';
COMMENT ON COLUMN kbs.v_team_summary.peildatum IS 'Peildatum van de momentopname (datum van een beoordelingsronde of einde van een maand).';
COMMENT ON COLUMN kbs.v_team_summary.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_team_summary.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_team_summary.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_team_summary.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_team_summary.has_requirement IS 'Waar als er op de peildatum een teameis gold.';
COMMENT ON COLUMN kbs.v_team_summary.members IS 'Aantal leden op de peildatum; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_summary.assessed IS 'Aantal leden met een geldende beoordeling; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_summary.not_assessed IS 'Aantal leden zonder beoordeling (tellen mee als lid); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_summary.stale IS 'Aantal leden van wie de geldende beoordeling verouderd is; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_summary.stale_share IS 'Aandeel verouderde beoordelingen onder de beoordeelde leden (0 tot 1); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_summary.required IS 'Som over alle eisen van het aantal leden dat nodig is; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.present IS 'Som over alle eisen van het aantal aanwezige leden, per eis begrensd op nodig; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.shortfall IS 'Totaal tekort: som van de tekorten; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.gap_blocks IS 'Aantal eisen met een tekort (ook als alle niet-beoordeelde leden de eis zouden halen); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.unknown_blocks IS 'Aantal eisen met status onbekend: het tekort is niet groter dan het aantal leden dat er nog niet op beoordeeld is (nog te beoordelen); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fragile_blocks IS 'Aantal kwetsbare eisen (precies genoeg: één vertrek geeft een tekort); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment IS 'Vervullingsgraad (0 tot 1): aanwezig gedeeld door nodig; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment_with_partners IS 'Vervullingsgraad als de ketenpartners meetellen ("halen we erbij"); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_team_summary.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn (te weinig beoordeelde personen of af te leiden uit andere cijfers); toon dan "onderdrukt", nooit 0.';

-- Team × peildatum × requirement entry.
CREATE VIEW kbs.v_team_block_status WITH (security_barrier = true) AS
SELECT c.peildatum, c.municipality AS municipality_code, c.municipality_name, c.team_id, c.team_name,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       g.block_id, w.block_code, w.block_name,
       g.min_level::integer AS min_level, sl.label AS min_level_label,
       g.min_members, (g.min_members IS NULL) AS every_member,
       g.importance::integer AS importance, kbs.importance_label(g.importance) AS importance_label,
       CASE WHEN c.shown THEN c.members END AS members,
       CASE WHEN c.shown THEN c.assessed END AS assessed,
       CASE WHEN c.shown THEN kbs.ratio(c.stale, c.assessed) END AS stale_share,
       CASE WHEN c.shown THEN g.needed END AS required,
       CASE WHEN c.shown THEN g.present END AS present,
       CASE WHEN c.shown THEN g.shortfall END AS shortfall,
       CASE WHEN c.shown THEN g.spare END AS spare,
       CASE WHEN c.shown THEN g.unassessed END AS unassessed,
       CASE WHEN c.shown THEN g.status END AS status_code,
       CASE WHEN c.shown THEN kbs.status_label(g.status) END AS status_label,
       c.published, NOT c.shown AS suppressed
  FROM kbs.team_cell c
 CROSS JOIN LATERAL kbs.gaps(c.coverage, c.requirement) g
  LEFT JOIN kbs.wheel w ON w.block_id = g.block_id
  LEFT JOIN kbs.scale_labels sl ON sl.level = g.min_level;
COMMENT ON VIEW kbs.v_team_block_status IS 'Per team, peildatum en eis (bouwsteen): nodig, aanwezig, tekort, overschot en status, met het belang, het aantal leden en het aandeel verouderde beoordelingen. Voor beleid en coördinatoren; leeg met suppressed = waar waar de cijfers voor u onderdrukt zijn.';
COMMENT ON COLUMN kbs.v_team_block_status.peildatum IS 'Peildatum van de momentopname.';
COMMENT ON COLUMN kbs.v_team_block_status.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_team_block_status.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_team_block_status.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_team_block_status.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_team_block_status.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_team_block_status.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_team_block_status.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_team_block_status.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_team_block_status.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg buiten algemene en specifieke kennis.';
COMMENT ON COLUMN kbs.v_team_block_status.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_team_block_status.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_team_block_status.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_team_block_status.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_team_block_status.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_team_block_status.min_level IS 'Vereist niveau (1 tot en met 4).';
COMMENT ON COLUMN kbs.v_team_block_status.min_level_label IS 'Benaming van het vereiste niveau.';
COMMENT ON COLUMN kbs.v_team_block_status.min_members IS 'Vereist aantal leden op dat niveau; leeg als ieder lid het moet hebben.';
COMMENT ON COLUMN kbs.v_team_block_status.every_member IS 'Waar als ieder lid dit niveau moet hebben (ondergrens voor iedereen).';
COMMENT ON COLUMN kbs.v_team_block_status.importance IS 'Belang van de eis: 1 laag, 2 normaal, 3 hoog.';
COMMENT ON COLUMN kbs.v_team_block_status.importance_label IS 'Benaming van het belang.';
COMMENT ON COLUMN kbs.v_team_block_status.members IS 'Aantal leden op de peildatum; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.assessed IS 'Aantal leden met een geldende beoordeling; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.stale_share IS 'Aandeel verouderde beoordelingen onder de beoordeelde leden (0 tot 1); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.required IS 'Aantal leden dat het niveau nodig heeft (bij ieder lid: de leden min wie niet van toepassing heeft); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.present IS 'Aantal leden op of boven het vereiste niveau; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.shortfall IS 'Tekort: hoeveel leden er ontbreken (0 als voldaan); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.spare IS 'Overschot: aanwezig min nodig (negatief bij een tekort); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.unassessed IS 'Niet beoordeeld: leden zonder niveau en zonder "niet van toepassing" op deze bouwsteen (ook leden zonder beoordeling); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.status_code IS 'Status: gap (tekort, ook als alle niet-beoordeelde leden de eis zouden halen), unknown (onbekend, nog te beoordelen: het tekort is niet groter dan het aantal niet-beoordeelde leden), fragile (precies genoeg: één vertrek geeft een tekort) of met (voldaan); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.status_label IS 'Benaming van de status: tekort, onbekend, kwetsbaar of voldaan; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_team_block_status.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn; toon dan "onderdrukt", nooit 0.';

-- Team × peildatum × ring × domain.
CREATE VIEW kbs.v_team_domain_status WITH (security_barrier = true) AS
SELECT c.peildatum, c.municipality AS municipality_code, c.municipality_name, c.team_id, c.team_name,
       g.ring_position, g.ring AS ring_code, g.ring_name, g.domain_position, g.domain AS domain_code, g.domain_name,
       g.blocks,
       CASE WHEN c.shown THEN g.required END AS required,
       CASE WHEN c.shown THEN g.present END AS present,
       CASE WHEN c.shown THEN g.shortfall END AS shortfall,
       CASE WHEN c.shown AND g.blocks > 0 THEN coalesce(kbs.ratio(g.present, g.required), 1.0000) END AS fulfilment,
       CASE WHEN c.shown THEN g.gap_blocks END AS gap_blocks,
       CASE WHEN c.shown THEN g.unknown_blocks END AS unknown_blocks,
       CASE WHEN c.shown THEN g.fragile_blocks END AS fragile_blocks,
       CASE WHEN c.shown THEN g.carriers END AS carriers,
       CASE WHEN c.shown THEN (ARRAY['met', 'fragile', 'unknown', 'gap'])[g.worst] END AS worst_status_code,
       CASE WHEN c.shown THEN kbs.status_label((ARRAY['met', 'fragile', 'unknown', 'gap'])[g.worst]) END AS worst_status_label,
       c.published, NOT c.shown AS suppressed
  FROM kbs.team_cell c
  JOIN kbs.snapshot_group g ON g.team_id = c.team_id AND g.peildatum = c.peildatum;
COMMENT ON VIEW kbs.v_team_domain_status IS 'Per team, peildatum en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied): vervullingsgraad, tekort, kwetsbare eisen, kennisdragers en de slechtste status. Voor beleid en coördinatoren; leeg met suppressed = waar waar de cijfers voor u onderdrukt zijn.';
COMMENT ON COLUMN kbs.v_team_domain_status.peildatum IS 'Peildatum van de momentopname.';
COMMENT ON COLUMN kbs.v_team_domain_status.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_team_domain_status.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_team_domain_status.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_team_domain_status.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_team_domain_status.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_team_domain_status.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_team_domain_status.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_team_domain_status.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_team_domain_status.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_team_domain_status.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_team_domain_status.blocks IS 'Aantal eisen van het team in deze groep (0: geen eis).';
COMMENT ON COLUMN kbs.v_team_domain_status.required IS 'Som van het aantal leden dat nodig is; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.present IS 'Som van het aantal aanwezige leden, per eis begrensd op nodig; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.shortfall IS 'Som van de tekorten; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.fulfilment IS 'Vervullingsgraad (0 tot 1): aanwezig gedeeld door nodig, 1 als niets nodig is; leeg als onderdrukt of zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_team_domain_status.gap_blocks IS 'Aantal eisen met een tekort; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.fragile_blocks IS 'Aantal kwetsbare eisen; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.carriers IS 'Kennisdragers: leden met algemene kennis van dit leefgebied op niveau 1 of hoger, of specifieke kennis op niveau 3 of hoger; leeg bij andere lagen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.worst_status_code IS 'Slechtste status van de eisen in deze groep, in de volgorde gap (tekort), unknown (onbekend, nog te beoordelen), fragile (kwetsbaar), met (voldaan); leeg zonder eisen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.worst_status_label IS 'Benaming van de slechtste status: tekort, onbekend, kwetsbaar of voldaan.';
COMMENT ON COLUMN kbs.v_team_domain_status.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_team_domain_status.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn; toon dan "onderdrukt", nooit 0.';

-- Knowledge risk: team × peildatum × entry that the team covers together.
CREATE VIEW kbs.v_knowledge_risk WITH (security_barrier = true) AS
SELECT c.peildatum, c.municipality AS municipality_code, c.municipality_name, c.team_id, c.team_name,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       g.block_id, w.block_code, w.block_name,
       g.min_level::integer AS min_level, g.min_members, g.importance::integer AS importance,
       kbs.importance_label(g.importance) AS importance_label,
       CASE WHEN c.shown THEN g.present END AS carriers,
       CASE WHEN c.shown THEN kbs.count_at_least(c.coverage, g.block_id, 4) END AS experts,
       CASE WHEN c.shown THEN g.spare END AS spare,
       CASE WHEN c.shown THEN g.present = 1 END AS single_carrier,
       kbs.count_at_least(c.partner_coverage, g.block_id, g.min_level) AS partner_carriers,
       CASE WHEN c.shown THEN g.status END AS risk_code,
       CASE WHEN c.shown THEN CASE g.status WHEN 'gap' THEN 'tekort'
                                           WHEN 'unknown' THEN 'onbekend: nog te beoordelen'
                                           WHEN 'fragile' THEN 'kwetsbaar: één vertrek geeft een tekort'
                                           ELSE 'robuust' END END AS risk_label,
       c.published, NOT c.shown AS suppressed
  FROM kbs.team_cell c
 CROSS JOIN LATERAL kbs.gaps(c.coverage, c.requirement) g
  LEFT JOIN kbs.wheel w ON w.block_id = g.block_id
 WHERE g.min_members IS NOT NULL;
COMMENT ON VIEW kbs.v_knowledge_risk IS 'Kennisrisico: per team, peildatum en eis die het team samen moet dekken (een aantal leden, meestal specifieke kennis) hoeveel kennisdragers er zijn, of het een enkelvoudig kennispunt is, en of de kennis kwetsbaar is (precies genoeg dragers: één vertrek geeft een tekort). Ketenpartners staan ernaast. Voor beleid en coördinatoren; leeg met suppressed = waar waar de cijfers voor u onderdrukt zijn.';
COMMENT ON COLUMN kbs.v_knowledge_risk.peildatum IS 'Peildatum van de momentopname.';
COMMENT ON COLUMN kbs.v_knowledge_risk.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_knowledge_risk.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_knowledge_risk.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_knowledge_risk.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_knowledge_risk.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_knowledge_risk.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_knowledge_risk.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_knowledge_risk.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_knowledge_risk.domain_position IS 'Plaats van het leefgebied in het karrenwiel.';
COMMENT ON COLUMN kbs.v_knowledge_risk.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_knowledge_risk.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_knowledge_risk.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_knowledge_risk.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_knowledge_risk.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_knowledge_risk.min_level IS 'Vereist niveau.';
COMMENT ON COLUMN kbs.v_knowledge_risk.min_members IS 'Vereist aantal kennisdragers.';
COMMENT ON COLUMN kbs.v_knowledge_risk.importance IS 'Belang van de eis: 1 laag, 2 normaal, 3 hoog.';
COMMENT ON COLUMN kbs.v_knowledge_risk.importance_label IS 'Benaming van het belang.';
COMMENT ON COLUMN kbs.v_knowledge_risk.carriers IS 'Kennisdragers: leden op of boven het vereiste niveau; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.experts IS 'Leden op niveau 4 (expert / vraagbaak); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.spare IS 'Kennisdragers boven het vereiste aantal (negatief bij een tekort); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.single_carrier IS 'Waar als precies één lid de kennis draagt: een enkelvoudig kennispunt; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.partner_carriers IS 'Ketenpartners die de kennis op het vereiste niveau inbrengen (organisaties, geen personen).';
COMMENT ON COLUMN kbs.v_knowledge_risk.risk_code IS 'Risico: gap (tekort), unknown (onbekend, nog te beoordelen), fragile (kwetsbaar) of met (robuust); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.risk_label IS 'Benaming van het risico; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_knowledge_risk.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_knowledge_risk.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn; toon dan "onderdrukt", nooit 0.';

-- Municipality × peildatum × ring × domain, over published team cells only.
CREATE VIEW kbs.v_municipality_domain_trend WITH (security_barrier = true) AS
SELECT g.peildatum, g.municipality AS municipality_code, g.municipality_name,
       g.ring_position, g.ring AS ring_code, g.ring_name, g.domain_position, g.domain AS domain_code, g.domain_name,
       g.teams, g.teams_included,
       CASE WHEN g.teams_included > 0 THEN g.members END AS members,
       CASE WHEN g.teams_included > 0 THEN g.assessed END AS assessed,
       CASE WHEN g.teams_included > 0 THEN kbs.ratio(g.stale, g.assessed) END AS stale_share,
       CASE WHEN g.teams_included > 0 THEN g.carriers END AS carriers,
       CASE WHEN g.teams_included > 0 THEN kbs.ratio(g.carriers, g.members) END AS carrier_share,
       CASE WHEN g.teams_included > 0 THEN g.required END AS required,
       CASE WHEN g.teams_included > 0 THEN g.present END AS present,
       CASE WHEN g.teams_included > 0 THEN g.shortfall END AS shortfall,
       CASE WHEN g.teams_included > 0 AND g.blocks > 0 THEN coalesce(kbs.ratio(g.present, g.required), 1.0000) END
           AS fulfilment,
       CASE WHEN g.teams_included > 0 THEN g.gap_blocks END AS gap_blocks,
       CASE WHEN g.teams_included > 0 THEN g.unknown_blocks END AS unknown_blocks,
       CASE WHEN g.teams_included > 0 THEN g.fragile_blocks END AS fragile_blocks,
       (g.teams_included = 0) AS suppressed
  FROM kbs.municipality_group g
  JOIN kbs.municipality_access a ON a.municipality = g.municipality
 WHERE a.visible;
COMMENT ON VIEW kbs.v_municipality_domain_trend IS 'Trend per gemeente, peildatum en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied). Telt alleen de gepubliceerde cijfers van teams op (minstens k beoordeelde leden, niet af te leiden); teams die onderdrukt zijn tellen nergens mee, dus het verschil met de zichtbare teams is altijd nul. Zie teams_included. Voor beleid.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.peildatum IS 'Peildatum (datum van een beoordelingsronde of einde van een maand).';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.teams IS 'Aantal teams van de gemeente met een momentopname op de peildatum.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.teams_included IS 'Aantal teams waarvan de cijfers zijn meegeteld; de andere zijn onderdrukt en tellen nergens mee.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.members IS 'Aantal leden van de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.assessed IS 'Aantal beoordeelde leden van de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.stale_share IS 'Aandeel verouderde beoordelingen in de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.carriers IS 'Kennisdragers (algemene kennis niveau 1 of hoger, specifieke kennis niveau 3 of hoger) in de meegetelde teams; leeg bij andere lagen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.carrier_share IS 'Kennisdragers als aandeel van de leden (0 tot 1); leeg bij andere lagen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.required IS 'Som van het aantal leden dat nodig is; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.present IS 'Som van het aantal aanwezige leden, per eis begrensd op nodig; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.shortfall IS 'Som van de tekorten; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.fulfilment IS 'Vervullingsgraad (0 tot 1) over de meegetelde teams; leeg als onderdrukt of zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.gap_blocks IS 'Aantal eisen met een tekort, over de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen), over de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.fragile_blocks IS 'Aantal kwetsbare eisen, over de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.suppressed IS 'Waar als geen enkel team gepubliceerd kon worden; de cijfers zijn dan leeg. Toon "onderdrukt", nooit 0.';

-- Municipality vs all others: every municipality, aggregated, for every role.
CREATE VIEW kbs.v_benchmark WITH (security_barrier = true) AS
WITH mg AS MATERIALIZED (
    SELECT g.*, coalesce(g.domain, '') AS domain_key FROM kbs.municipality_group g
), national AS (
    SELECT g.peildatum, g.ring, g.domain_key,
           count(DISTINCT g.municipality) FILTER (WHERE g.teams_included > 0)::integer AS municipalities,
           sum(g.teams_included)::integer AS teams_included,
           sum(g.members)::integer AS members, sum(g.carriers)::integer AS carriers,
           sum(g.blocks)::integer AS blocks, sum(g.required)::integer AS required, sum(g.present)::integer AS present
      FROM mg g
     GROUP BY g.peildatum, g.ring, g.domain_key
), side AS (
    SELECT g.peildatum, g.municipality, g.municipality_name, g.ring_position, g.ring, g.ring_name,
           g.domain_position, g.domain, g.domain_name,
           g.teams_included, coalesce(g.members, 0) AS members, coalesce(g.carriers, 0) AS carriers,
           coalesce(g.blocks, 0) AS blocks, coalesce(g.required, 0) AS required, coalesce(g.present, 0) AS present,
           n.municipalities - (g.teams_included > 0)::integer AS o_municipalities,
           n.teams_included - g.teams_included AS o_teams_included,
           coalesce(n.members, 0) - coalesce(g.members, 0) AS o_members,
           coalesce(n.carriers, 0) - coalesce(g.carriers, 0) AS o_carriers,
           coalesce(n.blocks, 0) - coalesce(g.blocks, 0) AS o_blocks,
           coalesce(n.required, 0) - coalesce(g.required, 0) AS o_required,
           coalesce(n.present, 0) - coalesce(g.present, 0) AS o_present,
           g.carriers IS NOT NULL OR n.carriers IS NOT NULL AS has_carriers
      FROM mg g
      JOIN national n ON n.peildatum = g.peildatum AND n.ring = g.ring AND n.domain_key = g.domain_key
), ratio AS (
    SELECT s.*,
           CASE WHEN s.teams_included > 0 AND s.blocks > 0 THEN coalesce(kbs.ratio(s.present, s.required), 1.0000) END AS f_own,
           CASE WHEN s.o_teams_included > 0 AND s.o_blocks > 0 THEN coalesce(kbs.ratio(s.o_present, s.o_required), 1.0000) END AS f_others,
           CASE WHEN s.teams_included > 0 AND s.has_carriers THEN kbs.ratio(s.carriers, s.members) END AS c_own,
           CASE WHEN s.o_teams_included > 0 AND s.has_carriers THEN kbs.ratio(s.o_carriers, s.o_members) END AS c_others
      FROM side s
)
SELECT r.peildatum, r.municipality AS municipality_code, r.municipality_name,
       r.ring_position, r.ring AS ring_code, r.ring_name, r.domain_position, r.domain AS domain_code, r.domain_name,
       r.teams_included,
       CASE WHEN r.teams_included > 0 THEN r.members END AS members,
       r.f_own AS fulfilment, r.c_own AS carrier_share,
       (r.teams_included = 0) AS suppressed,
       r.o_municipalities AS others_municipalities, r.o_teams_included AS others_teams_included,
       CASE WHEN r.o_teams_included > 0 THEN r.o_members END AS others_members,
       r.f_others AS others_fulfilment, r.c_others AS others_carrier_share,
       (r.o_teams_included = 0) AS others_suppressed,
       r.f_own - r.f_others AS fulfilment_difference,
       r.c_own - r.c_others AS carrier_share_difference
  FROM ratio r;
COMMENT ON VIEW kbs.v_benchmark IS 'Benchmark: per gemeente, peildatum en groep van het karrenwiel de eigen cijfers naast die van alle andere gemeenten samen. Alleen gepubliceerde teamcijfers tellen mee (minstens k beoordeelde leden, niet af te leiden), zodat ook "alle anderen" nooit een onderdrukt team bevat. Zichtbaar voor iedere rol, voor alle gemeenten.';
COMMENT ON COLUMN kbs.v_benchmark.peildatum IS 'Peildatum (datum van een beoordelingsronde of einde van een maand); andere gemeenten tellen mee als ze een momentopname op dezelfde datum hebben.';
COMMENT ON COLUMN kbs.v_benchmark.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_benchmark.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_benchmark.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_benchmark.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_benchmark.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_benchmark.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_benchmark.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_benchmark.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_benchmark.teams_included IS 'Aantal teams van de gemeente waarvan de cijfers zijn meegeteld.';
COMMENT ON COLUMN kbs.v_benchmark.members IS 'Aantal leden van de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_benchmark.fulfilment IS 'Vervullingsgraad van de gemeente (0 tot 1); leeg als onderdrukt of zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_benchmark.carrier_share IS 'Kennisdragers als aandeel van de leden in de gemeente; leeg bij lagen zonder leefgebied of als onderdrukt.';
COMMENT ON COLUMN kbs.v_benchmark.suppressed IS 'Waar als van de gemeente geen enkel team gepubliceerd kon worden.';
COMMENT ON COLUMN kbs.v_benchmark.others_municipalities IS 'Aantal andere gemeenten met minstens één meegeteld team.';
COMMENT ON COLUMN kbs.v_benchmark.others_teams_included IS 'Aantal meegetelde teams in de andere gemeenten.';
COMMENT ON COLUMN kbs.v_benchmark.others_members IS 'Aantal leden van de meegetelde teams in de andere gemeenten; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_benchmark.others_fulfilment IS 'Vervullingsgraad van alle andere gemeenten samen; leeg als onderdrukt of zonder eisen.';
COMMENT ON COLUMN kbs.v_benchmark.others_carrier_share IS 'Kennisdragers als aandeel van de leden in alle andere gemeenten samen; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_benchmark.others_suppressed IS 'Waar als in de andere gemeenten geen enkel team gepubliceerd kon worden.';
COMMENT ON COLUMN kbs.v_benchmark.fulfilment_difference IS 'Eigen vervullingsgraad min die van de anderen (positief: de gemeente doet het beter).';
COMMENT ON COLUMN kbs.v_benchmark.carrier_share_difference IS 'Eigen aandeel kennisdragers min dat van de anderen.';

-- Plan progress per team.
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
                                          kbs.team_requirement_at(t.id, kbs.as_of()))::numeric, 4) AS fulfilment_with_partners
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
  LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE x.status <> 'cancelled')::integer AS items,
             count(*) FILTER (WHERE x.status = 'proposed')::integer AS proposed,
             count(*) FILTER (WHERE x.status = 'planned')::integer AS planned,
             count(*) FILTER (WHERE x.status = 'in_progress')::integer AS in_progress,
             count(*) FILTER (WHERE x.status = 'done')::integer AS done,
             count(*) FILTER (WHERE x.status = 'cancelled')::integer AS cancelled,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress'))::integer AS open,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.due_on < kbs.as_of())::integer
                 AS overdue,
             count(DISTINCT x.professional_id) FILTER (WHERE x.status <> 'cancelled')::integer AS persons,
             count(*) FILTER (WHERE x.status <> 'cancelled' AND x.professional_id IS NULL)::integer AS team_actions
        FROM kbs.plan_item x
       WHERE x.team_id = t.id AND x.created_on <= kbs.as_of()) i ON true
  LEFT JOIN LATERAL kbs.forecast(t.id, kbs.as_of()) f ON true
 WHERE t.active @> kbs.as_of();
COMMENT ON VIEW kbs.v_plan_progress IS 'Voortgang van het scholingsplan per team op de peildatum (kbs.as_of(), standaard vandaag): acties per status, achterstallig, aandeel afgerond, en de vervullingsgraad nu, als alle open acties zijn afgerond, en met ketenpartners ("doen we zelf / halen we erbij"). Volgt uit individuele scholing en verandert dagelijks; daarom alleen voor coördinatoren van het team en beheerders, niet voor beleid.';
COMMENT ON COLUMN kbs.v_plan_progress.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.items IS 'Aantal scholingsacties, zonder de vervallen.';
COMMENT ON COLUMN kbs.v_plan_progress.proposed IS 'Aantal voorgestelde acties.';
COMMENT ON COLUMN kbs.v_plan_progress.planned IS 'Aantal geplande acties.';
COMMENT ON COLUMN kbs.v_plan_progress.in_progress IS 'Aantal acties die bezig zijn.';
COMMENT ON COLUMN kbs.v_plan_progress.done IS 'Aantal afgeronde acties.';
COMMENT ON COLUMN kbs.v_plan_progress.cancelled IS 'Aantal vervallen acties.';
COMMENT ON COLUMN kbs.v_plan_progress.open IS 'Aantal open acties (voorgesteld, gepland of bezig).';
COMMENT ON COLUMN kbs.v_plan_progress.overdue IS 'Aantal open acties waarvan de streefdatum voor de peildatum ligt.';
COMMENT ON COLUMN kbs.v_plan_progress.done_share IS 'Aandeel afgerond van alle acties zonder de vervallen (0 tot 1); leeg zonder acties.';
COMMENT ON COLUMN kbs.v_plan_progress.persons IS 'Aantal professionals met een scholingsactie (zonder de vervallen).';
COMMENT ON COLUMN kbs.v_plan_progress.team_actions IS 'Aantal acties zonder persoon (bijvoorbeeld werven).';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_now IS 'Vervullingsgraad van het team nu (0 tot 1); leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_forecast IS 'Vervullingsgraad als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_now IS 'Totaal tekort nu; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_forecast IS 'Totaal tekort als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_with_partners IS 'Vervullingsgraad nu als de ketenpartners meetellen; leeg zonder eis.';

GRANT ALL ON kbs.snapshot_group, kbs.municipality_group, kbs.v_team_summary, kbs.v_team_block_status, kbs.v_team_domain_status, kbs.v_knowledge_risk, kbs.v_municipality_domain_trend, kbs.v_benchmark, kbs.v_plan_progress TO kbs_admin;
GRANT SELECT ON kbs.v_team_summary, kbs.v_team_block_status, kbs.v_team_domain_status, kbs.v_knowledge_risk, kbs.v_municipality_domain_trend, kbs.v_benchmark
    TO kbs_coordinator, kbs_policy;
GRANT SELECT ON kbs.v_plan_progress TO kbs_coordinator;

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

CREATE OR REPLACE FUNCTION kbs.dashboard_team(team_id integer, peildatum date DEFAULT NULL) RETURNS jsonb
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
                                          AND i.block_id = mb.block_id
                                          AND i.status IN ('proposed', 'planned', 'in_progress')) AS in_plan
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
            'plan', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'id', i.id, 'block_id', i.block_id, 'block_name', b.name, 'target_level', i.target_level,
                           'professional_ref', p.ref, 'due_on', i.due_on, 'status', i.status,
                           'status_label', CASE i.status WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland'
                                                         WHEN 'in_progress' THEN 'bezig' WHEN 'done' THEN 'afgerond'
                                                         ELSE 'vervallen' END,
                           'overdue', i.status IN ('proposed', 'planned', 'in_progress') AND i.due_on < at)
                           ORDER BY (i.status = 'done'), i.due_on, i.id), '[]')
                  FROM kbs.plan_item i
                  JOIN kbs.block b ON b.id = i.block_id
                  LEFT JOIN kbs.professional p ON p.id = i.professional_id
                 WHERE i.team_id = dashboard_team.team_id AND i.created_on <= at AND i.status <> 'cancelled'),
            'progress', (
                SELECT jsonb_build_object('items', p.items, 'proposed', p.proposed, 'planned', p.planned,
                                          'in_progress', p.in_progress, 'done', p.done, 'open', p.open,
                                          'overdue', p.overdue, 'done_share', p.done_share,
                                          'fulfilment_now', p.fulfilment_now,
                                          'fulfilment_forecast', p.fulfilment_forecast,
                                          'shortfall_now', p.shortfall_now, 'shortfall_forecast', p.shortfall_forecast,
                                          'fulfilment_with_partners', p.fulfilment_with_partners)
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
                         'suppressed', coalesce(s.suppressed, false))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE w.depth = 0 AND NOT w.retired),
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
                         'shortfall', s.shortfall, 'gap_blocks', s.gap_blocks, 'fragile_blocks', s.fragile_blocks,
                         'suppressed', s.suppressed)
                         ORDER BY s.peildatum), '[]')
                    FROM kbs.v_team_summary s WHERE s.team_id = dashboard_team.team_id AND s.peildatum <= at),
        'person', person)
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_team(integer, date) IS 'Alle gegevens van het teamrapport als jsonb, uit de BI-views: karrenwiel (nodig en aanwezig per bouwsteen), tekorten, kwetsbare bouwstenen, ontwikkeling; voor coördinatoren van het team en beheerders ook scholingskandidaten, scholingsplan, zelf- naast leidinggevendebeoordeling en actualiteit per lid. Peildatum: de gevraagde momentopname, standaard de laatste.';
-- end of the objects recreated with kbs.gaps
