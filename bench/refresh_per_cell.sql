-- The baseline of make bench: release 1.1's kbs.refresh_snapshots, one query per
-- (team, peildatum) cell, with 1.2's semantics (isolation check, frozen cells),
-- and 1.1's publication decision, one kbs.person_set query per cell and the
-- jsonb distance in SQL. Bench only: created by bench/run.sh (and by
-- tests/integration/refresh_random.sh as its reference) in schema bench, never
-- part of the extension.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.refresh_snapshots_per_cell(from_date date, to_date date) RETURNS integer
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

CREATE OR REPLACE FUNCTION bench.person_set_distance_sql(a jsonb, b jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
RETURN (SELECT count(*)::integer
          FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) k(key)
         WHERE (a -> k.key) IS DISTINCT FROM (b -> k.key));
CREATE OR REPLACE FUNCTION bench.publication_decide_per_cell(team_id integer, from_date date) RETURNS integer
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
    seen := ARRAY(SELECT x.persons FROM kbs.published_set x WHERE x.team_id = publication_decide_per_cell.team_id
                   ORDER BY x.published_at);
    DELETE FROM kbs.publication p WHERE p.team_id = publication_decide_per_cell.team_id AND p.peildatum >= from_date;
    FOR s IN SELECT x.peildatum, x.assessed, x.computed_at FROM kbs.snapshot x
              WHERE x.team_id = publication_decide_per_cell.team_id AND x.peildatum >= from_date
              ORDER BY x.peildatum LOOP
        cur := kbs.person_set(publication_decide_per_cell.team_id, s.peildatum);
        nearest := NULL;
        why := NULL;
        FOREACH prev IN ARRAY seen LOOP
            d := bench.person_set_distance_sql(cur, prev);
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
                           WHERE x.team_id = publication_decide_per_cell.team_id AND x.since <= s.peildatum
                             AND x.marked_at > s.computed_at)
                  AND NOT kbs.snapshot_frozen(publication_decide_per_cell.team_id, s.peildatum)) THEN
            why := 'out_of_date';
        END IF;
        INSERT INTO kbs.publication (team_id, peildatum, min_group_size, assessed, nearest, published, reason,
                                     snapshot_computed_at)
        VALUES (publication_decide_per_cell.team_id, s.peildatum, k, s.assessed, nearest, why IS NULL, why, s.computed_at);
        IF why IS NULL AND NOT cur = ANY (seen) THEN
            seen := seen || cur;
            INSERT INTO kbs.published_set (team_id, persons) VALUES (publication_decide_per_cell.team_id, cur);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
-- What kbs.publication_sync did at commit, for every team written in this
-- transaction that has a cell without a current decision (run it with
-- kbs.refresh_in_progress on during the per-cell refresh, so that the
-- extension's own trigger decides nothing).
CREATE OR REPLACE FUNCTION bench.publication_sync_all() RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    t record;
    n integer := 0;
BEGIN
    FOR t IN SELECT s.team_id, min(s.peildatum) AS since
               FROM kbs.snapshot s
               LEFT JOIN kbs.publication p ON p.team_id = s.team_id AND p.peildatum = s.peildatum
              WHERE (p.team_id IS NULL OR p.snapshot_computed_at <> s.computed_at OR p.min_group_size <> k)
                AND s.team_id IN (SELECT w.team_id FROM kbs.snapshot w WHERE w.computed_at >= now())
              GROUP BY s.team_id ORDER BY s.team_id LOOP
        n := n + bench.publication_decide_per_cell(t.team_id, t.since);
    END LOOP;
    RETURN n;
END
$$;
