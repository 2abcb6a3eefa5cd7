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


-- Fixes found by the refresh race tests (tests/integration/refresh_*.sh, demo_dump_restore.sh,
-- tests/sql/13_publication.sql):
-- * a partner's teams are marked dirty from the start: a deleted partner's change was lost, and so was
--   a partner's longer period beside a new partner team in another transaction;
-- * kbs.refresh_snapshots and kbs.refresh_publication refuse REPEATABLE READ and SERIALIZABLE (the
--   refresh lost changes that committed while it waited for its lock);
-- * kbs.refresh_publication takes the refresh's lock (beside a refresh, one of the two failed on
--   publication_pkey);
-- * a snapshot older than a dirty mark is not published (out_of_date): its figures may be of another
--   set of persons than today's, one that differencing would expose;
-- * a restore neither marks its rows dirty (that put every snapshot out of date) nor decides about
--   publication before the marks are loaded (kbs.refresh_publication() does).

-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.mark_dirty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    -- Retention deletes source rows of history that snapshots keep. A restore
    -- (pg_dump's scripts turn check_function_bodies and row_security off) loads
    -- the snapshots and their marks as they were: its rows are no changes, and
    -- marks for them would put every snapshot out of date.
    IF current_setting('kbs.retention_in_progress', true) = 'on'
       OR NOT (current_setting('check_function_bodies')::boolean OR current_setting('row_security')::boolean) THEN
        RETURN NULL;
    END IF;
    -- A refresh must not run while this change is in flight: it would not see
    -- the change, yet store snapshots newer than this mark, which would then
    -- count as spent. Shared with other writers, exclusive for a refresh
    -- (kbs.refresh_snapshots); held to the end of the transaction.
    PERFORM pg_advisory_xact_lock_shared(hashtext('kbs.refresh_snapshots'));
    FOR r IN SELECT * FROM (SELECT NEW AS row_ UNION ALL SELECT OLD) x WHERE NOT (x.row_ IS NULL) LOOP
        CASE TG_TABLE_NAME
            WHEN 'assessment' THEN
                -- every team the person was in from that date on
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                -- (upper > date, not &&: a generic plan would scan the GiST for && alone)
                SELECT DISTINCT m.team_id, (r.row_).assessed_on FROM kbs.membership m
                 WHERE m.professional_id = (r.row_).professional_id
                   AND (upper_inf(m.during) OR upper(m.during) > (r.row_).assessed_on);
            WHEN 'membership', 'team_requirement' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                VALUES ((r.row_).team_id, lower((r.row_).during));
            WHEN 'partner' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT pt.team_id, lower((r.row_).during) FROM kbs.partner_team pt WHERE pt.partner_id = (r.row_).id;
            WHEN 'partner_team' THEN
                -- From the start, not from the partner's period: a deleted
                -- partner's rows go by ON DELETE CASCADE when the partner is
                -- gone already, and a concurrent change of its period is not
                -- visible here (nor this row to that change's trigger).
                INSERT INTO kbs.snapshot_dirty (team_id, since) VALUES ((r.row_).team_id, '-infinity');
        END CASE;
    END LOOP;
    RETURN NULL;
END
$$;

-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.mark_all_dirty() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- as in kbs.mark_dirty
    IF NOT (current_setting('check_function_bodies')::boolean OR current_setting('row_security')::boolean) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtext('kbs.refresh_snapshots'));
    INSERT INTO kbs.snapshot_dirty (team_id, since) SELECT t.id, '-infinity'::date FROM kbs.team t;
    RETURN NULL;
END
$$;

-- 60_time.sql
-- (also: a snapshot that counts someone whose data retention removed is kept as stored)
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
    -- With a transaction snapshot (REPEATABLE READ, SERIALIZABLE) the
    -- statements below would not see changes that committed while this
    -- waited for its lock, yet store snapshots newer than their marks: the
    -- changes would be lost. (0A000 as PostgreSQL's own isolation-level
    -- requirements, e.g. SET TRANSACTION SNAPSHOT.)
    IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted') THEN
        RAISE EXCEPTION 'kbs.refresh_snapshots cannot run in a % transaction',
            upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'A refresh must see the changes that commit while it waits for its lock; a snapshot of the whole transaction does not show them.',
                  HINT = 'Call it in a READ COMMITTED transaction, the default: on its own, or after BEGIN ISOLATION LEVEL READ COMMITTED.';
    END IF;
    -- One refresh at a time, so two sessions never compute the same snapshot;
    -- and none while a change that marks snapshots dirty is uncommitted (the
    -- triggers hold this lock shared): the refresh waits for those to commit,
    -- and later changes wait for the refresh, so their marks are newer than
    -- every snapshot it stores. Each statement below then sees the committed
    -- changes (READ COMMITTED, checked above).
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


-- 70_views.sql
CREATE OR REPLACE FUNCTION kbs.publication_decide(team_id integer, from_date date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    seen jsonb[];
    cur jsonb;
    prev jsonb;
    d integer;
    nearest integer;
    why text;
    s record;
    n integer := 0;
BEGIN
    seen := ARRAY(SELECT x.persons FROM kbs.published_set x WHERE x.team_id = publication_decide.team_id
                   ORDER BY x.published_at);
    DELETE FROM kbs.publication p WHERE p.team_id = publication_decide.team_id AND p.peildatum >= from_date;
    FOR s IN SELECT x.peildatum, x.assessed, x.computed_at FROM kbs.snapshot x
              WHERE x.team_id = publication_decide.team_id AND x.peildatum >= from_date
              ORDER BY x.peildatum LOOP
        cur := kbs.person_set(publication_decide.team_id, s.peildatum);
        nearest := NULL;
        why := NULL;
        FOREACH prev IN ARRAY seen LOOP
            d := kbs.person_set_distance(cur, prev);
            nearest := least(nearest, d);
            IF d > 0 AND d < k THEN
                why := 'differencing';
            END IF;
        END LOOP;
        IF s.assessed < k THEN
            why := 'small_group';
        -- The persons are today's: when the data changed since the snapshot
        -- (a mark newer than it), its figures may be of another set, one
        -- that differencing would expose.
        ELSIF (SELECT count(*) FROM jsonb_object_keys(cur)) <> s.assessed
              OR EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                          WHERE x.team_id = publication_decide.team_id AND x.since <= s.peildatum
                            AND x.marked_at > s.computed_at) THEN
            why := 'out_of_date';
        END IF;
        INSERT INTO kbs.publication (team_id, peildatum, min_group_size, assessed, nearest, published, reason,
                                     snapshot_computed_at)
        VALUES (publication_decide.team_id, s.peildatum, k, s.assessed, nearest, why IS NULL, why, s.computed_at);
        IF why IS NULL AND NOT cur = ANY (seen) THEN
            seen := seen || cur;
            INSERT INTO kbs.published_set (team_id, persons) VALUES (publication_decide.team_id, cur);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- 70_views.sql
CREATE OR REPLACE FUNCTION kbs.publication_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    since date;
BEGIN
    -- A restore (as in kbs.mark_dirty) loads the snapshots before the dirty
    -- marks that say which are out of date: deciding now could publish one.
    -- Nothing is published until kbs.refresh_publication() decides.
    IF NOT (current_setting('check_function_bodies')::boolean OR current_setting('row_security')::boolean) THEN
        RETURN NULL;
    END IF;
    SELECT min(s.peildatum) INTO since
      FROM kbs.snapshot s
      LEFT JOIN kbs.publication p ON p.team_id = s.team_id AND p.peildatum = s.peildatum
     WHERE s.team_id = NEW.team_id
       AND (p.team_id IS NULL OR p.snapshot_computed_at <> s.computed_at OR p.min_group_size <> k);
    IF since IS NOT NULL THEN
        PERFORM kbs.publication_decide(NEW.team_id, since);
    END IF;
    RETURN NULL;
END
$$;

-- 70_views.sql
CREATE OR REPLACE FUNCTION kbs.refresh_publication(team_id integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t integer;
    n integer := 0;
BEGIN
    -- As kbs.refresh_snapshots: decisions taken from a transaction snapshot
    -- would miss the sets a refresh published meanwhile.
    IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted') THEN
        RAISE EXCEPTION 'kbs.refresh_publication cannot run in a % transaction',
            upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'It must see the decisions and published sets that commit while it waits for its lock; a snapshot of the whole transaction does not show them.',
                  HINT = 'Call it in a READ COMMITTED transaction, the default: on its own, or after BEGIN ISOLATION LEVEL READ COMMITTED.';
    END IF;
    -- The refresh's lock: one decider at a time (a refresh decides at its
    -- commit), else both insert the same decisions and the second fails.
    PERFORM pg_advisory_xact_lock(hashtext('kbs.refresh_snapshots'));
    FOR t IN SELECT DISTINCT s.team_id FROM kbs.snapshot s
              WHERE refresh_publication.team_id IS NULL OR s.team_id = refresh_publication.team_id
              ORDER BY 1 LOOP
        n := n + kbs.publication_decide(t, '-infinity');
    END LOOP;
    RETURN n;
END
$$;

-- Retention × publication: a frozen snapshot (kbs.snapshot_frozen) spends its marks and is never out of date.
CREATE FUNCTION kbs.snapshot_frozen(team_id integer, peildatum date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM kbs.membership m JOIN kbs.professional p ON p.id = m.professional_id
                WHERE m.team_id = snapshot_frozen.team_id AND m.during @> snapshot_frozen.peildatum AND p.anonymised);
COMMENT ON FUNCTION kbs.snapshot_frozen(integer, date) IS 'Intern: waar als de momentopname iemand meetelt van wie de gegevens door de bewaartermijn zijn verwijderd; zo een momentopname blijft zoals ze is.';

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
    -- With a transaction snapshot (REPEATABLE READ, SERIALIZABLE) the
    -- statements below would not see changes that committed while this
    -- waited for its lock, yet store snapshots newer than their marks: the
    -- changes would be lost. (0A000 as PostgreSQL's own isolation-level
    -- requirements, e.g. SET TRANSACTION SNAPSHOT.)
    IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted') THEN
        RAISE EXCEPTION 'kbs.refresh_snapshots cannot run in a % transaction',
            upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'A refresh must see the changes that commit while it waits for its lock; a snapshot of the whole transaction does not show them.',
                  HINT = 'Call it in a READ COMMITTED transaction, the default: on its own, or after BEGIN ISOLATION LEVEL READ COMMITTED.';
    END IF;
    -- One refresh at a time, so two sessions never compute the same snapshot;
    -- and none while a change that marks snapshots dirty is uncommitted (the
    -- triggers hold this lock shared): the refresh waits for those to commit,
    -- and later changes wait for the refresh, so their marks are newer than
    -- every snapshot it stores. Each statement below then sees the committed
    -- changes (READ COMMITTED, checked above).
    PERFORM pg_advisory_xact_lock(hashtext('kbs.refresh_snapshots'));
    FOR t IN
        SELECT tm.id AS team_id, d.d AS peildatum
          FROM kbs.team tm
         CROSS JOIN LATERAL kbs.peildata(tm.id, from_date, to_date) d(d)
          LEFT JOIN kbs.snapshot s ON s.team_id = tm.id AND s.peildatum = d.d
         WHERE s.team_id IS NULL
            OR (EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                         WHERE x.team_id = tm.id AND x.since <= d.d AND x.marked_at > s.computed_at)
                AND NOT kbs.snapshot_frozen(tm.id, d.d))
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
                        WHERE s.team_id = x.team_id AND s.peildatum >= x.since AND s.computed_at < x.marked_at
                          AND NOT kbs.snapshot_frozen(s.team_id, s.peildatum));
    RETURN computed;
END
$$;
COMMENT ON FUNCTION kbs.refresh_snapshots(date, date) IS 'Legt momentopnamen vast per team en peildatum in de periode; berekent alleen wat ontbreekt of sindsdien gewijzigd is. Geeft het aantal berekende momentopnamen.';

CREATE OR REPLACE FUNCTION kbs.publication_decide(team_id integer, from_date date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    seen jsonb[];
    cur jsonb;
    prev jsonb;
    d integer;
    nearest integer;
    why text;
    s record;
    n integer := 0;
BEGIN
    seen := ARRAY(SELECT x.persons FROM kbs.published_set x WHERE x.team_id = publication_decide.team_id
                   ORDER BY x.published_at);
    DELETE FROM kbs.publication p WHERE p.team_id = publication_decide.team_id AND p.peildatum >= from_date;
    FOR s IN SELECT x.peildatum, x.assessed, x.computed_at FROM kbs.snapshot x
              WHERE x.team_id = publication_decide.team_id AND x.peildatum >= from_date
              ORDER BY x.peildatum LOOP
        cur := kbs.person_set(publication_decide.team_id, s.peildatum);
        nearest := NULL;
        why := NULL;
        FOREACH prev IN ARRAY seen LOOP
            d := kbs.person_set_distance(cur, prev);
            nearest := least(nearest, d);
            IF d > 0 AND d < k THEN
                why := 'differencing';
            END IF;
        END LOOP;
        IF s.assessed < k THEN
            why := 'small_group';
        -- The persons are today's: when the data changed since the snapshot
        -- (a mark newer than it), its figures may be of another set, one
        -- that differencing would expose.
        ELSIF (SELECT count(*) FROM jsonb_object_keys(cur)) <> s.assessed
              OR (EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                           WHERE x.team_id = publication_decide.team_id AND x.since <= s.peildatum
                             AND x.marked_at > s.computed_at)
                  AND NOT kbs.snapshot_frozen(publication_decide.team_id, s.peildatum)) THEN
            why := 'out_of_date';
        END IF;
        INSERT INTO kbs.publication (team_id, peildatum, min_group_size, assessed, nearest, published, reason,
                                     snapshot_computed_at)
        VALUES (publication_decide.team_id, s.peildatum, k, s.assessed, nearest, why IS NULL, why, s.computed_at);
        IF why IS NULL AND NOT cur = ANY (seen) THEN
            seen := seen || cur;
            INSERT INTO kbs.published_set (team_id, persons) VALUES (publication_decide.team_id, cur);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION kbs.publication_decide(integer, date) IS 'Intern: besluit voor de momentopnamen van een team vanaf een peildatum of ze gepubliceerd mogen worden; eerdere besluiten blijven staan.';

