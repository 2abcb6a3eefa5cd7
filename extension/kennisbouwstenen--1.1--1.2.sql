-- kennisbouwstenen 1.1 -> 1.2
\echo Use "ALTER EXTENSION kennisbouwstenen UPDATE TO '1.2'" to load this file. \quit

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
