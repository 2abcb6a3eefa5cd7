-- The baseline of make bench: release 1.1's kbs.refresh_snapshots, one query per
-- (team, peildatum) cell, with 1.2's semantics (isolation check, frozen cells).
-- Bench only: created by bench/run.sh in its own schema, never part of the extension.
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
