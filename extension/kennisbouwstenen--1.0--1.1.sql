-- kennisbouwstenen 1.0 -> 1.1
\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '1.1'" to load this file. \quit

-- Fixes found by the edge-input sweep (tests/sql/11_edge_inputs.sql): fractions in requirement
-- jsonb refused, fulfilment_with_partners of an empty requirement is 1, infinite periods refused,
-- apply_retention(NULL) refused, NULL arguments named as such (dashboard_peildatum, retire_block, load_blocks,
-- set_setting, propose_plan), jsonb levels outside 0-4 are
-- out of range (22003) as in the text input. The aggregate-state checks are in the C library.
-- 30_types.sql
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
    SELECT j.key, j.value INTO bad FROM jsonb_each(entries) j
     WHERE jsonb_typeof(j.value) <> 'object'
        OR jsonb_typeof(j.value -> 'level') IS DISTINCT FROM 'number'
        OR (j.value ? 'members' AND jsonb_typeof(j.value -> 'members') <> 'number' AND j.value -> 'members' <> '"all"')
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
                  HINT = 'Each entry is {"level": 1-4, "members": a number or "all", "importance": 1-3}; members defaults to "all", importance to 2.';
    END IF;
    SELECT kbs.requirement_agg(kbs.block_id_of(j.key), (j.value ->> 'level')::numeric::integer,
                               CASE WHEN coalesce(j.value ->> 'members', 'all') = 'all' THEN NULL
                                    ELSE (j.value ->> 'members')::numeric::integer END,
                               coalesce((j.value ->> 'importance')::numeric::integer, 2))
      INTO result
      FROM jsonb_each(entries) j;
    RETURN coalesce(result, '{}'::kbs.requirement);
END
$$;

-- 30_types.sql
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

-- 30_types.sql
CREATE OR REPLACE FUNCTION kbs.raise_bad_level(key text, value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A whole number outside 0-4 is out of range, as in the text input; anything else is not a level.
    IF jsonb_typeof(value) = 'number' AND value::text ~ '^-?[0-9]+$' THEN
        RAISE EXCEPTION 'level % for block "%" is out of range', value, coalesce(key, '')
            USING ERRCODE = 'numeric_value_out_of_range', HINT = 'Use 0, 1, 2, 3, 4 or "na"; null means not assessed.';
    END IF;
    RAISE EXCEPTION 'invalid level % for block "%"', coalesce(value::text, 'null'), coalesce(key, '')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 0, 1, 2, 3, 4 or "na"; null means not assessed.';
END
$$;

-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.fulfilment_with_partners(team kbs.coverage, partners kbs.coverage, req kbs.requirement)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT CASE WHEN coalesce(sum(g.needed), 0) = 0 THEN 1.0::float8
                    ELSE sum(least(g.needed, g.present + CASE WHEN g.min_members IS NULL THEN 0
                                                              ELSE kbs.count_at_least(partners, g.block_id, g.min_level) END))::float8
                         / sum(g.needed)::float8 END
          FROM kbs.gaps(team, req) g);

-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.peildata(team_id integer, from_date date, to_date date) RETURNS SETOF date
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT isfinite(from_date) OR NOT isfinite(to_date) THEN
        RAISE EXCEPTION 'invalid period % to %', from_date, to_date USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'A period of peildata needs finite dates.';
    END IF;
    RETURN QUERY
    SELECT x.d FROM (
        SELECT r.peildatum AS d FROM kbs.assessment_round r JOIN kbs.team t ON t.municipality = r.municipality
         WHERE t.id = peildata.team_id AND r.peildatum BETWEEN from_date AND to_date
        UNION
        SELECT (date_trunc('month', g) + interval '1 month - 1 day')::date
          FROM generate_series(date_trunc('month', from_date), to_date, interval '1 month') g
    ) x
     WHERE x.d BETWEEN from_date AND to_date
       AND (SELECT t.active @> x.d FROM kbs.team t WHERE t.id = peildata.team_id)
     ORDER BY x.d;
END
$$;

-- 65_retention.sql
CREATE OR REPLACE FUNCTION kbs.apply_retention(at date DEFAULT current_date)
RETURNS TABLE (professionals integer, assessments_deleted integer, plan_items_anonymised integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff date := (at - kbs.setting_interval('retention_after'))::date;
    people integer[];
BEGIN
    -- A NULL date would make every closed membership look old enough.
    IF at IS NULL THEN
        RAISE EXCEPTION 'the date of kbs.apply_retention must not be null' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Leave the argument out to use today.';
    END IF;
    -- Left: no membership open at the date, and the last one ended before the cutoff.
    people := ARRAY(
        SELECT p.id FROM kbs.professional p
         WHERE NOT p.anonymised
           AND NOT EXISTS (SELECT 1 FROM kbs.membership m
                            WHERE m.professional_id = p.id
                              AND (upper_inf(m.during) OR upper(m.during) > cutoff))
         ORDER BY p.id);
    -- History is stored in snapshots; deleting the source rows must not reopen it.
    PERFORM set_config('kbs.retention_in_progress', 'on', true);
    WITH d AS (DELETE FROM kbs.assessment a WHERE a.professional_id = ANY (people) RETURNING 1)
    SELECT count(*) INTO assessments_deleted FROM d;
    WITH u AS (UPDATE kbs.plan_item i SET professional_id = NULL, note = NULL
                WHERE i.professional_id = ANY (people) RETURNING 1)
    SELECT count(*) INTO plan_items_anonymised FROM u;
    UPDATE kbs.professional p SET ref = 'geanonimiseerd-' || p.id, discipline = NULL, anonymised = true
     WHERE p.id = ANY (people);
    PERFORM set_config('kbs.retention_in_progress', 'off', true);
    professionals := cardinality(people);
    RETURN NEXT;
END
$$;

-- 75_dashboard.sql
CREATE OR REPLACE FUNCTION kbs.dashboard_peildatum(municipality text, team_id integer, requested date) RETURNS date
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

-- 20_catalogue_api.sql
CREATE OR REPLACE FUNCTION kbs.retire_block(code text, description text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    b record;
    ver integer;
BEGIN
    IF code IS NULL THEN
        RAISE EXCEPTION 'block code must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT x.id, x.shipped, x.retired_in INTO b FROM kbs.block x WHERE x.code = retire_block.code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown block code "%"', code USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF b.shipped THEN
        RAISE EXCEPTION 'cannot retire shipped block "%"', code USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Shipped blocks are retired only by an update of the extension.';
    END IF;
    IF b.retired_in IS NOT NULL THEN
        RAISE NOTICE 'block "%" was already retired in catalogue version %', code, b.retired_in;
        RETURN b.retired_in;
    END IF;
    INSERT INTO kbs.catalogue_version (description)
    VALUES (coalesce(description, 'blok ' || code || ' vervallen')) RETURNING version INTO ver;
    -- Aspects go with their block; children first so the parent check passes.
    WITH RECURSIVE sub AS (
        SELECT x.id, 0 AS depth FROM kbs.block x WHERE x.id = b.id
        UNION ALL
        SELECT x.id, sub.depth + 1 FROM kbs.block x JOIN sub ON x.parent_id = sub.id WHERE sub.depth < 100
    )
    UPDATE kbs.block x SET retired_in = ver FROM sub WHERE x.id = sub.id AND x.retired_in IS NULL;
    RETURN ver;
END
$$;

-- 20_catalogue_api.sql
CREATE OR REPLACE FUNCTION kbs.load_blocks(rows kbs.block_input[], version_description text)
RETURNS TABLE (id smallint, code text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    n integer := coalesce(cardinality(rows), 0);
    r kbs.block_input;
    i integer;
    j integer;
    v_code text;
    v_parent text;
    v_ring text;
    v_domain text;
    v_name text;
    p_id smallint;
    p_row integer;
    p_ring text;
    p_domain text;
    p_retired integer;
    all_codes text[];
    ok_codes text[] := '{}';
    ok_labels text[] := '{}';
    -- per accepted row: its input index, ring, domain, and its parent (an
    -- existing id, or the index among accepted rows of an earlier row)
    ok_index integer[] := '{}';
    ok_ring text[] := '{}';
    ok_domain text[] := '{}';
    ok_parent_id smallint[] := '{}';
    ok_parent_row integer[] := '{}';
    new_ids smallint[] := '{}';
    bad integer := 0;
    first_state text;
    first_msg text;
    first_detail text;
    ver integer;
    new_id smallint;
    pid smallint;
BEGIN
    IF n = 0 THEN
        RAISE EXCEPTION 'no blocks to load' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Concurrent loads must not both accept the same new code.
    LOCK TABLE kbs.block IN SHARE ROW EXCLUSIVE MODE;
    all_codes := ARRAY(SELECT btrim(x.code) FROM unnest(rows) x);

    FOR i IN 1 .. n LOOP
        r := rows[i];
        v_code := nullif(btrim(r.code), '');
        v_parent := nullif(btrim(r.parent_code), '');
        v_ring := nullif(lower(btrim(r.ring)), '');
        v_domain := nullif(lower(btrim(r.domain)), '');
        v_name := nullif(btrim(r.name), '');
        p_id := NULL;
        p_row := NULL;
        BEGIN
            IF v_code IS NULL THEN
                RAISE EXCEPTION 'code is empty' USING ERRCODE = 'not_null_violation';
            END IF;
            IF v_code !~ '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' THEN
                RAISE EXCEPTION 'invalid block code "%"', v_code USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'A code starts with a letter and holds at most 64 letters, digits, ".", "_" or "-".';
            END IF;
            j := array_position(ok_codes, v_code);
            IF j IS NOT NULL THEN
                RAISE EXCEPTION 'duplicate code "%"', v_code USING ERRCODE = 'unique_violation',
                    DETAIL = format('The same code is on %s.', ok_labels[j]);
            END IF;
            IF EXISTS (SELECT 1 FROM kbs.block b WHERE b.code = v_code) THEN
                RAISE EXCEPTION 'code "%" already exists in the catalogue', v_code USING ERRCODE = 'unique_violation';
            END IF;
            IF v_name IS NULL THEN
                RAISE EXCEPTION 'name of block "%" is empty', v_code USING ERRCODE = 'not_null_violation';
            END IF;
            IF v_ring IS NOT NULL THEN
                SELECT g.code INTO v_ring FROM kbs.ring g WHERE g.code = v_ring OR lower(g.name) = v_ring;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'unknown ring "%"', btrim(r.ring) USING ERRCODE = 'invalid_parameter_value',
                        HINT = 'Use one of: ' || (SELECT string_agg(g.code, ', ' ORDER BY g.position) FROM kbs.ring g) || '.';
                END IF;
            END IF;
            IF v_domain IS NOT NULL THEN
                SELECT d.code INTO v_domain FROM kbs.domain d WHERE d.code = v_domain OR lower(d.name) = v_domain;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'unknown domain "%"', btrim(r.domain) USING ERRCODE = 'invalid_parameter_value',
                        HINT = 'Use one of: ' || (SELECT string_agg(d.code, ', ' ORDER BY d.position) FROM kbs.domain d) || '.';
                END IF;
            END IF;
            IF v_parent IS NOT NULL THEN
                j := array_position(ok_codes, v_parent);
                IF j IS NOT NULL THEN
                    p_row := j;
                    p_ring := ok_ring[j];
                    p_domain := ok_domain[j];
                ELSE
                    SELECT b.id, b.ring, b.domain, b.retired_in INTO p_id, p_ring, p_domain, p_retired
                      FROM kbs.block b WHERE b.code = v_parent;
                    IF NOT FOUND THEN
                        IF v_parent = ANY (all_codes[i + 1 :]) THEN
                            RAISE EXCEPTION 'parent code "%" comes later in the list', v_parent
                                USING ERRCODE = 'foreign_key_violation',
                                      HINT = 'List a parent before its aspects.';
                        END IF;
                        RAISE EXCEPTION 'unknown parent code "%"', v_parent USING ERRCODE = 'foreign_key_violation';
                    END IF;
                    IF p_retired IS NOT NULL THEN
                        RAISE EXCEPTION 'parent "%" is retired', v_parent USING ERRCODE = 'foreign_key_violation';
                    END IF;
                END IF;
                IF v_ring IS NOT NULL AND v_ring <> p_ring THEN
                    RAISE EXCEPTION 'ring "%" differs from ring "%" of parent "%"', v_ring, p_ring, v_parent
                        USING ERRCODE = 'check_violation', HINT = 'Leave ring empty to take the parent''s.';
                END IF;
                IF v_domain IS NOT NULL AND v_domain IS DISTINCT FROM p_domain THEN
                    RAISE EXCEPTION 'domain "%" differs from the domain of parent "%"', v_domain, v_parent
                        USING ERRCODE = 'check_violation', HINT = 'Leave domain empty to take the parent''s.';
                END IF;
                v_ring := p_ring;
                v_domain := p_domain;
            ELSE
                IF v_ring IS NULL THEN
                    RAISE EXCEPTION 'ring of block "%" is empty', v_code USING ERRCODE = 'not_null_violation',
                        HINT = 'A block without a parent needs a ring.';
                END IF;
                IF v_ring = 'centre' THEN
                    RAISE EXCEPTION 'the centre has one block; add aspects under "centre" instead'
                        USING ERRCODE = 'check_violation';
                END IF;
                IF v_ring IN ('general', 'specific') AND v_domain IS NULL THEN
                    RAISE EXCEPTION 'block "%" in ring % needs a domain', v_code, v_ring USING ERRCODE = 'not_null_violation';
                END IF;
                IF v_ring NOT IN ('general', 'specific') AND v_domain IS NOT NULL THEN
                    RAISE EXCEPTION 'block "%" in ring % cannot have a domain', v_code, v_ring USING ERRCODE = 'check_violation';
                END IF;
            END IF;

            ok_codes := ok_codes || v_code;
            ok_labels := ok_labels || coalesce(r.label, 'an earlier row');
            ok_index := ok_index || i;
            ok_ring := ok_ring || v_ring;
            ok_domain := ok_domain || v_domain;
            ok_parent_id := ok_parent_id || p_id;
            ok_parent_row := ok_parent_row || p_row;
        EXCEPTION WHEN OTHERS THEN
            bad := bad + 1;
            IF bad = 1 THEN
                GET STACKED DIAGNOSTICS first_state = RETURNED_SQLSTATE, first_msg = MESSAGE_TEXT,
                                        first_detail = PG_EXCEPTION_DETAIL;
                IF r.label IS NOT NULL THEN
                    first_msg := r.label || ': ' || first_msg;
                END IF;
            END IF;
        END;
    END LOOP;

    IF bad > 0 THEN
        RAISE EXCEPTION '%', first_msg USING ERRCODE = first_state,
            DETAIL = concat_ws(' ', nullif(first_detail, ''),
                               CASE WHEN bad = 2 THEN '1 other row has problems too.'
                                    WHEN bad > 2 THEN format('%s other rows have problems too.', bad - 1) END,
                               'Nothing was loaded.');
    END IF;

    IF version_description IS NULL THEN
        RAISE EXCEPTION 'the description of the catalogue version must not be null' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Say what is loaded, for example ''Aspecten inkomen 2027''.';
    END IF;
    INSERT INTO kbs.catalogue_version (description) VALUES (version_description) RETURNING version INTO ver;
    FOR j IN 1 .. cardinality(ok_codes) LOOP
        r := rows[ok_index[j]];
        pid := coalesce(ok_parent_id[j], new_ids[ok_parent_row[j]]);
        INSERT INTO kbs.block (code, ring, domain, parent_id, position, name, description, shipped, added_in)
        VALUES (ok_codes[j], ok_ring[j], ok_domain[j], pid,
                (SELECT coalesce(max(b.position), 0) + 1 FROM kbs.block b
                  WHERE b.parent_id IS NOT DISTINCT FROM pid AND b.ring = ok_ring[j]
                    AND b.domain IS NOT DISTINCT FROM ok_domain[j]),
                btrim(r.name), nullif(btrim(r.description), ''), false, ver)
        RETURNING kbs.block.id INTO new_id;
        new_ids := new_ids || new_id;
        id := new_id;
        code := ok_codes[j];
        RETURN NEXT;
    END LOOP;
END
$$;

-- 50_model.sql
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
        IF setting_name = 'min_group_size' THEN
            IF new_value::integer < 1 THEN
                RAISE EXCEPTION 'min_group_size must be at least 1' USING ERRCODE = 'invalid_parameter_value';
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

-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.propose_plan(team_id integer, at date)
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

-- Found by pgbench in make check-hard: an assessment committed while kbs.refresh_snapshots ran never
-- reached its snapshots. The dirty-marking triggers now hold the refresh lock shared until they
-- commit; the refresh takes it exclusively (and refuses infinite periods and null dates).
-- 60_time.sql
CREATE OR REPLACE FUNCTION kbs.mark_dirty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    -- Retention deletes source rows of history that snapshots keep.
    IF current_setting('kbs.retention_in_progress', true) = 'on' THEN
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
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT (r.row_).team_id, lower(p.during) FROM kbs.partner p WHERE p.id = (r.row_).partner_id;
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
    PERFORM pg_advisory_xact_lock_shared(hashtext('kbs.refresh_snapshots'));   -- as in kbs.mark_dirty
    INSERT INTO kbs.snapshot_dirty (team_id, since) SELECT t.id, '-infinity'::date FROM kbs.team t;
    RETURN NULL;
END
$$;

-- 60_time.sql
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
            OR EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                        WHERE x.team_id = tm.id AND x.since <= d.d AND x.marked_at > s.computed_at)
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


-- A person's items per block: propose_plan, forecast and growth in the data generator look them up.
CREATE INDEX plan_item_professional_idx ON kbs.plan_item (professional_id, block_id);

-- A team's members at a date: the GiST above cannot use team_id = x, and at national scale a
-- scan for "during contains the date" alone reads every membership of the country.
CREATE INDEX membership_team_id_idx ON kbs.membership (team_id);
