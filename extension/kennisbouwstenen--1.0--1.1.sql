-- kennisbouwstenen 1.0 -> 1.1
\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '1.1'" to load this file. \quit

-- Fixes found by the edge-input sweep (tests/sql/11_edge_inputs.sql): fractions in requirement
-- jsonb refused, fulfilment_with_partners of an empty requirement is 1, infinite periods refused,
-- apply_retention(NULL) refused, a NULL municipality in dashboard_peildatum is an error. The
-- aggregate-state checks are in the C library.
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

-- Found by pgbench in make check-hard: an assessment committed while kbs.refresh_snapshots ran never
-- reached its snapshots. The dirty-marking triggers now hold the refresh lock shared until they
-- commit; the refresh takes it exclusively (and refuses infinite periods, from the edge sweep).
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
                SELECT DISTINCT m.team_id, (r.row_).assessed_on FROM kbs.membership m
                 WHERE m.professional_id = (r.row_).professional_id
                   AND m.during && daterange((r.row_).assessed_on, NULL);
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
    IF from_date IS NULL OR to_date IS NULL OR from_date > to_date
       OR NOT isfinite(from_date) OR NOT isfinite(to_date) THEN
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

