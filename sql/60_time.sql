-- Time: effective profiles, team coverage at a date (partners apart), and the
-- snapshots stored per team and peildatum with their refresh. The rules:
-- docs/semantics.md §4 and docs/snapshots.md. Training plans: sql/76_plans.sql.

-- On the same date a validated source wins: team > supervisor > peer > self.
CREATE FUNCTION kbs.source_rank(source text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE source WHEN 'team' THEN 4 WHEN 'supervisor' THEN 3 WHEN 'peer' THEN 2 WHEN 'self' THEN 1 END;
COMMENT ON FUNCTION kbs.source_rank(text) IS 'Rangorde van bronnen op dezelfde datum: team 4, leidinggevende 3, collega 2, zelf 1.';

-- One row per member of the team at the date, with the effective assessment:
-- the latest final one on or before the date (NULL columns when none).
CREATE FUNCTION kbs.member_profiles_at(team_id integer, at date)
RETURNS TABLE (professional_id integer, assessment_id bigint, assessed_on date, source text,
               profile kbs.profile, stale boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 15
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT m.professional_id, e.id, e.assessed_on, e.source, e.profile,
           e.assessed_on < at - kbs.setting_interval('stale_after')
      FROM kbs.membership m
      LEFT JOIN LATERAL (
          SELECT a.id, a.assessed_on, a.source, a.profile
            FROM kbs.assessment a
           WHERE a.professional_id = m.professional_id AND a.status = 'final' AND a.assessed_on <= at
           ORDER BY a.assessed_on DESC, kbs.source_rank(a.source) DESC, a.id DESC
           LIMIT 1) e ON true
     WHERE m.team_id = member_profiles_at.team_id AND m.during @> at
     ORDER BY m.professional_id;
END;
COMMENT ON FUNCTION kbs.member_profiles_at(integer, date) IS 'De leden van een team op een datum met hun geldende beoordeling: de laatste definitieve op of voor die datum (op dezelfde dag gaat team voor leidinggevende voor collega voor zelf); stale = ouder dan de verouderingstermijn.';

CREATE FUNCTION kbs.team_coverage(team_id integer, at date) RETURNS kbs.coverage
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT kbs.coverage_agg(p.profile) FROM kbs.member_profiles_at(team_id, at) p);
COMMENT ON FUNCTION kbs.team_coverage(integer, date) IS 'Dekking van een team op een datum: de geldende profielen van alle leden; leden zonder beoordeling tellen mee als lid.';

CREATE FUNCTION kbs.team_requirement_at(team_id integer, at date) RETURNS kbs.requirement
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT r.requirement FROM kbs.team_requirement r
         WHERE r.team_id = team_requirement_at.team_id AND r.during @> at);
COMMENT ON FUNCTION kbs.team_requirement_at(integer, date) IS 'De eis die op een datum voor een team geldt; leeg als er geen is.';

-- Partners count apart from the team: as a group of their own.
CREATE FUNCTION kbs.partner_coverage(team_id integer, at date) RETURNS kbs.coverage
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT kbs.coverage_agg(p.profile) FROM kbs.partner p
          JOIN kbs.partner_team pt ON pt.partner_id = p.id
         WHERE pt.team_id = partner_coverage.team_id AND p.during @> at);
COMMENT ON FUNCTION kbs.partner_coverage(integer, date) IS 'De kennis van de ketenpartners die een team op een datum bedienen, als aparte dekking.';

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

-- Snapshots: stored per team and peildatum, so trend views never recompute history.
CREATE TABLE kbs.snapshot (
    team_id          integer NOT NULL REFERENCES kbs.team (id),
    peildatum        date NOT NULL,
    coverage         kbs.coverage NOT NULL,
    requirement      kbs.requirement,
    partner_coverage kbs.coverage NOT NULL,
    members          integer NOT NULL,
    assessed         integer NOT NULL,
    stale            integer NOT NULL,
    computed_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (team_id, peildatum)
);
COMMENT ON TABLE kbs.snapshot IS 'Momentopnamen per team en peildatum: dekking, geldende eis en volledigheid; trendoverzichten lezen alleen deze tabel.';
COMMENT ON COLUMN kbs.snapshot.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot.peildatum IS 'Peildatum (datum van een beoordelingsronde of einde van een maand).';
COMMENT ON COLUMN kbs.snapshot.coverage IS 'Dekking van het team op de peildatum.';
COMMENT ON COLUMN kbs.snapshot.requirement IS 'Eis die op de peildatum gold; leeg als er geen was.';
COMMENT ON COLUMN kbs.snapshot.partner_coverage IS 'Dekking van de ketenpartners van het team op de peildatum.';
COMMENT ON COLUMN kbs.snapshot.members IS 'Aantal leden op de peildatum.';
COMMENT ON COLUMN kbs.snapshot.assessed IS 'Aantal leden met een geldende beoordeling.';
COMMENT ON COLUMN kbs.snapshot.stale IS 'Aantal leden van wie de geldende beoordeling verouderd is.';
COMMENT ON COLUMN kbs.snapshot.computed_at IS 'Moment van berekenen.';

-- What changed since when, per team: a snapshot is out of date when a mark
-- for its team with since <= peildatum is newer than the snapshot.
CREATE TABLE kbs.snapshot_dirty (
    team_id   integer NOT NULL REFERENCES kbs.team (id),
    since     date NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX snapshot_dirty_team_idx ON kbs.snapshot_dirty (team_id, since);
COMMENT ON TABLE kbs.snapshot_dirty IS 'Intern: welke teams vanaf welke datum gewijzigd zijn sinds hun momentopnamen.';
COMMENT ON COLUMN kbs.snapshot_dirty.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot_dirty.since IS 'Vroegste peildatum waarop de wijziging doorwerkt.';
COMMENT ON COLUMN kbs.snapshot_dirty.marked_at IS 'Moment van de wijziging.';
SELECT pg_catalog.pg_extension_config_dump('kbs.snapshot', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.snapshot_dirty', '');

-- Security definer: a coordinator's row-level security must not hide the
-- other teams whose snapshots a change touches.
CREATE FUNCTION kbs.mark_dirty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
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
    -- Once per statement, over the rows it changed (the transition tables
    -- new_rows and old_rows): a bulk load marks in one insert, not one per row.
    CASE TG_TABLE_NAME
        WHEN 'assessment' THEN
            -- every team the person was in from that date on
            -- (upper > date, not &&: a generic plan would scan the GiST for && alone)
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT m.team_id, r.assessed_on FROM new_rows r JOIN kbs.membership m ON m.professional_id = r.professional_id
                 WHERE upper_inf(m.during) OR upper(m.during) > r.assessed_on;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT m.team_id, r.assessed_on FROM old_rows r JOIN kbs.membership m ON m.professional_id = r.professional_id
                 WHERE upper_inf(m.during) OR upper(m.during) > r.assessed_on;
            END IF;
        WHEN 'membership', 'team_requirement' THEN
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT r.team_id, lower(r.during) FROM new_rows r;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT r.team_id, lower(r.during) FROM old_rows r;
            END IF;
        WHEN 'partner' THEN
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT pt.team_id, lower(r.during) FROM new_rows r JOIN kbs.partner_team pt ON pt.partner_id = r.id;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT pt.team_id, lower(r.during) FROM old_rows r JOIN kbs.partner_team pt ON pt.partner_id = r.id;
            END IF;
        WHEN 'partner_team' THEN
            -- From the start, not from the partner's period: a deleted
            -- partner's rows go by ON DELETE CASCADE when the partner is
            -- gone already, and a concurrent change of its period is not
            -- visible here (nor this row to that change's trigger).
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT r.team_id, '-infinity'::date FROM new_rows r;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO kbs.snapshot_dirty (team_id, since)
                SELECT DISTINCT r.team_id, '-infinity'::date FROM old_rows r;
            END IF;
    END CASE;
    RETURN NULL;
END
$$;
CREATE TRIGGER assessment_dirty_insert AFTER INSERT ON kbs.assessment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER assessment_dirty_update AFTER UPDATE ON kbs.assessment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER assessment_dirty_delete AFTER DELETE ON kbs.assessment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER membership_dirty_insert AFTER INSERT ON kbs.membership
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER membership_dirty_update AFTER UPDATE ON kbs.membership
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER membership_dirty_delete AFTER DELETE ON kbs.membership
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER team_requirement_dirty_insert AFTER INSERT ON kbs.team_requirement
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER team_requirement_dirty_update AFTER UPDATE ON kbs.team_requirement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER team_requirement_dirty_delete AFTER DELETE ON kbs.team_requirement
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_dirty_insert AFTER INSERT ON kbs.partner
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_dirty_update AFTER UPDATE ON kbs.partner
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_dirty_delete AFTER DELETE ON kbs.partner
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_team_dirty_insert AFTER INSERT ON kbs.partner_team
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_team_dirty_update AFTER UPDATE ON kbs.partner_team
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_team_dirty_delete AFTER DELETE ON kbs.partner_team
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_dirty();

-- Staleness depends on a setting: a change there dirties everything.
CREATE FUNCTION kbs.mark_all_dirty() RETURNS trigger
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
CREATE TRIGGER setting_local_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.setting_local
    FOR EACH STATEMENT EXECUTE FUNCTION kbs.mark_all_dirty();

-- The peildata of a team in a period: its municipality's assessment-round
-- dates and the month ends, while the team is active. An infinite bound would
-- make the month series endless: it is refused.
CREATE FUNCTION kbs.peildata(team_id integer, from_date date, to_date date) RETURNS SETOF date
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
COMMENT ON FUNCTION kbs.peildata(integer, date, date) IS 'Peildata van een team in een periode: data van beoordelingsronden van de gemeente en einden van maanden waarop het team bestaat.';

-- A snapshot that counts someone whose data retention removed (kbs.apply_retention)
-- cannot be computed again: it is kept as stored, its marks are spent without a
-- recomputation and it is never out of date for publication.
CREATE FUNCTION kbs.snapshot_frozen(team_id integer, peildatum date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM kbs.membership m JOIN kbs.professional p ON p.id = m.professional_id
                WHERE m.team_id = snapshot_frozen.team_id AND m.during @> snapshot_frozen.peildatum AND p.anonymised);
COMMENT ON FUNCTION kbs.snapshot_frozen(integer, date) IS 'Intern: waar als de momentopname iemand meetelt van wie de gegevens door de bewaartermijn zijn verwijderd; zo een momentopname blijft zoals ze is.';

-- The peildata whose snapshots are known to be stored, per team: the periods
-- that refreshes covered, until a change that adds peildata (the team's active
-- period or municipality, its municipality's rounds) or removes a snapshot
-- makes the team's cells unsure again. A refresh looks for missing cells only
-- outside this span, so finding them costs nothing when nothing is missing
-- (docs/snapshots.md). Not dumped: after a restore the first refresh looks at
-- every cell of its period once.
CREATE TABLE kbs.snapshot_span (
    team_id integer PRIMARY KEY REFERENCES kbs.team (id) ON DELETE CASCADE,
    covered datemultirange NOT NULL
);
COMMENT ON TABLE kbs.snapshot_span IS 'Intern: per team de perioden waarvoor alle momentopnamen zijn vastgelegd; een wijziging van het team, de beoordelingsronden van de gemeente of de momentopnamen zelf wist de rij.';
COMMENT ON COLUMN kbs.snapshot_span.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot_span.covered IS 'Perioden waarin elke peildatum van het team een momentopname heeft.';

-- Security definer, as kbs.mark_dirty: whoever changes a team, a round or a
-- snapshot makes the span unsure, whatever rows it may see or write.
CREATE FUNCTION kbs.forget_snapshot_span() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- As in kbs.mark_dirty: no refresh may store a span while this change is in flight.
    PERFORM pg_advisory_xact_lock_shared(hashtext('kbs.refresh_snapshots'));
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM kbs.snapshot_span;
    ELSIF TG_TABLE_NAME = 'team' THEN
        DELETE FROM kbs.snapshot_span s WHERE s.team_id IN (OLD.id, NEW.id);
    ELSIF TG_TABLE_NAME = 'assessment_round' THEN
        DELETE FROM kbs.snapshot_span s USING kbs.team t
         WHERE t.id = s.team_id
           AND t.municipality IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.municipality END,
                                  CASE WHEN TG_OP <> 'DELETE' THEN NEW.municipality END);
    ELSE
        DELETE FROM kbs.snapshot_span s WHERE s.team_id = OLD.team_id;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION kbs.forget_snapshot_span() IS 'Intern: wist de vastgelegde perioden van de teams waarvan de peildata of de momentopnamen veranderen, zodat de volgende verversing ontbrekende momentopnamen zoekt.';
CREATE TRIGGER team_snapshot_span AFTER UPDATE OF id, municipality, active ON kbs.team
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.municipality IS DISTINCT FROM NEW.municipality
                       OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION kbs.forget_snapshot_span();
CREATE TRIGGER assessment_round_snapshot_span AFTER INSERT OR UPDATE OR DELETE ON kbs.assessment_round
    FOR EACH ROW EXECUTE FUNCTION kbs.forget_snapshot_span();
CREATE TRIGGER snapshot_span_delete AFTER DELETE ON kbs.snapshot
    FOR EACH ROW EXECUTE FUNCTION kbs.forget_snapshot_span();
CREATE TRIGGER snapshot_span_truncate AFTER TRUNCATE ON kbs.snapshot
    FOR EACH STATEMENT EXECUTE FUNCTION kbs.forget_snapshot_span();

-- Stores a snapshot per team and peildatum; recomputes only what is missing
-- or changed since it was stored. Returns the number of snapshots computed.
-- Set-based: a few statements find the cells from the marks and the span and
-- compute them all at once (what a cell holds: docs/snapshots.md).
CREATE FUNCTION kbs.refresh_snapshots(from_date date, to_date date) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- planned for the cells at hand: a plan for a few cells is wrong for all of
-- them (a few cells use plans kept for the session, below)
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    period daterange;
    stale_after interval;
    nobody kbs.coverage;
    computed integer;
    teams integer[];
    firsts date[];
    cell_team integer[];
    cell_day date[];
    cell_missing boolean[];
    miss_team integer[];
    miss_day date[];
    unsure boolean;
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
    period := daterange(from_date, to_date, '[]');
    -- Nothing to do, found at once: every team's span holds the period and
    -- there are no marks.
    unsure := EXISTS (SELECT 1 FROM kbs.team t LEFT JOIN kbs.snapshot_span sp ON sp.team_id = t.id
                       WHERE sp.covered IS NULL OR NOT sp.covered @> period);
    IF NOT unsure AND NOT EXISTS (SELECT 1 FROM kbs.snapshot_dirty) THEN
        RETURN 0;
    END IF;
    -- Found from the marks alone, the work is a few cells: the plans made
    -- once for the session serve, where planning each statement would cost
    -- as much as running it.
    IF NOT unsure THEN
        PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
    END IF;
    -- The cells: missing ones (peildata of the period outside the team's span
    -- without a snapshot) and dirty ones (stored, in the period, still a
    -- peildatum, older than a mark for their team from on or before their
    -- date), found from the marks. A dirty cell that counts someone whom
    -- retention removed is frozen: not written. The publication trigger waits
    -- (kbs.refresh_in_progress): each team is decided once, below.
    WITH dirty AS (
        -- from the marks: per marked team its stored cells from its earliest mark on
        -- (OFFSET 0 keeps the index scan per team: never all snapshots)
        SELECT s.team_id, s.peildatum
          FROM (SELECT x.team_id, min(x.since) AS since FROM kbs.snapshot_dirty x GROUP BY x.team_id) mk
          JOIN kbs.team t ON t.id = mk.team_id
         CROSS JOIN LATERAL (
               SELECT s.team_id, s.peildatum, s.computed_at FROM kbs.snapshot s
                WHERE s.team_id = mk.team_id AND s.peildatum >= greatest(mk.since, from_date)
                  AND s.peildatum <= to_date
               OFFSET 0) s
         WHERE t.active @> s.peildatum
           AND (s.peildatum = (date_trunc('month', s.peildatum) + interval '1 month - 1 day')::date
                OR EXISTS (SELECT 1 FROM kbs.assessment_round r
                            WHERE r.municipality = t.municipality AND r.peildatum = s.peildatum))
           AND EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                        WHERE x.team_id = s.team_id AND x.since <= s.peildatum AND x.marked_at > s.computed_at)
    )
    SELECT coalesce(array_agg(d.team_id), '{}'), coalesce(array_agg(d.peildatum), '{}')
      INTO cell_team, cell_day
      FROM dirty d;
    -- Missing cells only where a team's span does not hold the period (a new
    -- team, a new month end, a wider period): otherwise there are none.
    cell_missing := array_fill(false, ARRAY[cardinality(cell_team)]);
    IF unsure THEN
        WITH unsure AS (
            SELECT t.id AS team_id, t.municipality, t.active, sp.covered
              FROM kbs.team t
              LEFT JOIN kbs.snapshot_span sp ON sp.team_id = t.id
             WHERE sp.covered IS NULL OR NOT sp.covered @> period
        ), candidate AS (
            SELECT u.team_id, u.active, u.covered, me.d
              FROM unsure u
             CROSS JOIN (SELECT (date_trunc('month', g) + interval '1 month - 1 day')::date AS d
                           FROM generate_series(date_trunc('month', from_date), to_date, interval '1 month') g) me
            UNION
            SELECT u.team_id, u.active, u.covered, r.peildatum
              FROM unsure u
              JOIN kbs.assessment_round r ON r.municipality = u.municipality
        ), missing AS (
            SELECT c.team_id, c.d AS peildatum
              FROM candidate c
             WHERE c.d BETWEEN from_date AND to_date AND c.active @> c.d
               AND NOT coalesce(c.covered @> c.d, false)
               AND NOT EXISTS (SELECT 1 FROM kbs.snapshot s WHERE s.team_id = c.team_id AND s.peildatum = c.d)
        )
        SELECT coalesce(array_agg(m.team_id), '{}'), coalesce(array_agg(m.peildatum), '{}')
          INTO miss_team, miss_day
          FROM missing m;
        cell_team := miss_team || cell_team;
        cell_day := miss_day || cell_day;
        cell_missing := array_fill(true, ARRAY[cardinality(miss_team)]) || cell_missing;
    END IF;
    -- The publication trigger waits (kbs.refresh_in_progress): each team
    -- written is decided once, below. The cells come as arrays, so the
    -- planner knows how many there are.
    computed := 0;
    IF cardinality(cell_team) > 0 THEN
        PERFORM set_config('plan_cache_mode',
                           CASE WHEN cardinality(cell_team) <= 64 THEN 'force_generic_plan' ELSE 'force_custom_plan' END, true);
        stale_after := kbs.setting_interval('stale_after');
        nobody := (SELECT kbs.coverage_agg(NULL::kbs.profile) FILTER (WHERE false));
        PERFORM set_config('kbs.refresh_in_progress', 'on', true);
        WITH cell AS (
            SELECT c.team_id, c.peildatum, c.missing FROM unnest(cell_team, cell_day, cell_missing) c(team_id, peildatum, missing)
        ), member AS (
            SELECT c.team_id, c.peildatum, m.professional_id
              FROM cell c
              JOIN kbs.membership m ON m.team_id = c.team_id AND m.during @> c.peildatum
        ), winner AS (
            -- per person and date the final assessment that counts (kbs.member_profiles_at),
            -- read per person from the index
            SELECT w.professional_id, w.assessed_on, w.id
              FROM (SELECT DISTINCT mb.professional_id FROM member mb) p
             CROSS JOIN LATERAL (
                   SELECT DISTINCT ON (a.assessed_on) a.professional_id, a.assessed_on, a.id
                     FROM kbs.assessment a
                    WHERE a.professional_id = p.professional_id AND a.status = 'final'
                    ORDER BY a.assessed_on, kbs.source_rank(a.source) DESC, a.id DESC) w
        ), effective AS (
            -- from its date until the person's next winner
            SELECT w.professional_id, w.id, w.assessed_on,
                   lead(w.assessed_on) OVER (PARTITION BY w.professional_id ORDER BY w.assessed_on) AS until
              FROM winner w
        ), member_profile AS (
            SELECT mb.team_id, mb.peildatum, pr.anonymised, e.id AS assessment_id, e.assessed_on, a.profile
              FROM member mb
              JOIN kbs.professional pr ON pr.id = mb.professional_id
              LEFT JOIN effective e ON e.professional_id = mb.professional_id AND e.assessed_on <= mb.peildatum
                                   AND (e.until IS NULL OR e.until > mb.peildatum)
              LEFT JOIN kbs.assessment a ON a.id = e.id
        ), team_part AS (
            SELECT mb.team_id, mb.peildatum, kbs.coverage_agg(mb.profile) AS coverage, count(*) AS members,
                   count(mb.assessment_id) AS assessed,
                   count(*) FILTER (WHERE mb.assessed_on < mb.peildatum - stale_after) AS stale,
                   bool_or(mb.anonymised) AS frozen
              FROM member_profile mb
             GROUP BY mb.team_id, mb.peildatum
        ), partner_part AS (
            SELECT c.team_id, c.peildatum, kbs.coverage_agg(p.profile) AS coverage
              FROM cell c
              JOIN kbs.partner_team pt ON pt.team_id = c.team_id
              JOIN kbs.partner p ON p.id = pt.partner_id AND p.during @> c.peildatum
             GROUP BY c.team_id, c.peildatum
        ), written AS (
            INSERT INTO kbs.snapshot AS s (team_id, peildatum, coverage, requirement, partner_coverage,
                                           members, assessed, stale, computed_at)
            SELECT c.team_id, c.peildatum, coalesce(tp.coverage, nobody), r.requirement, coalesce(pp.coverage, nobody),
                   coalesce(tp.members, 0), coalesce(tp.assessed, 0), coalesce(tp.stale, 0), clock_timestamp()
              FROM cell c
              LEFT JOIN team_part tp ON tp.team_id = c.team_id AND tp.peildatum = c.peildatum
              LEFT JOIN partner_part pp ON pp.team_id = c.team_id AND pp.peildatum = c.peildatum
              LEFT JOIN kbs.team_requirement r ON r.team_id = c.team_id AND r.during @> c.peildatum
             WHERE c.missing OR NOT coalesce(tp.frozen, false)
            ON CONFLICT (team_id, peildatum) DO UPDATE
               SET coverage = EXCLUDED.coverage, requirement = EXCLUDED.requirement,
                   partner_coverage = EXCLUDED.partner_coverage, members = EXCLUDED.members,
                   assessed = EXCLUDED.assessed, stale = EXCLUDED.stale, computed_at = EXCLUDED.computed_at
            RETURNING s.team_id, s.peildatum
        )
        SELECT coalesce(sum(f.n), 0), array_agg(f.team_id), array_agg(f.first) INTO computed, teams, firsts
          FROM (SELECT w.team_id, count(*) AS n, min(w.peildatum) AS first FROM written w GROUP BY w.team_id) f;
        PERFORM set_config('kbs.refresh_in_progress', 'off', true);
    END IF;
    -- Every peildatum of the period has a snapshot now.
    IF unsure THEN
        INSERT INTO kbs.snapshot_span AS sp (team_id, covered)
        SELECT t.id, datemultirange(period)
          FROM kbs.team t
          LEFT JOIN kbs.snapshot_span x ON x.team_id = t.id
         WHERE x.covered IS NULL OR NOT x.covered @> period
        ON CONFLICT (team_id) DO UPDATE SET covered = sp.covered + EXCLUDED.covered;
    END IF;
    -- Publication: the teams written wait in kbs.publication_pending, and one
    -- written row is touched, so that one deferred event decides them all at
    -- commit, each from its earliest cell without a current decision
    -- (kbs.publication_sync).
    IF computed > 0 THEN
        PERFORM set_config('kbs.publication_pending',
                           concat_ws(',', nullif(current_setting('kbs.publication_pending', true), ''),
                                     array_to_string(teams, ',')), true);
        UPDATE kbs.snapshot s SET computed_at = s.computed_at
         WHERE s.team_id = teams[1] AND s.peildatum = firsts[1];
    END IF;
    -- A mark is spent once every stored snapshot it touches is newer (frozen
    -- ones aside; asked only of an older one). Per mark, its team's snapshots
    -- from its date on (OFFSET 0: by the index, never every snapshot).
    DELETE FROM kbs.snapshot_dirty x
     WHERE NOT EXISTS (SELECT 1
                         FROM (SELECT s.team_id, s.peildatum, s.computed_at FROM kbs.snapshot s
                                WHERE s.team_id = x.team_id AND s.peildatum >= x.since OFFSET 0) s
                        WHERE s.computed_at < x.marked_at AND NOT kbs.snapshot_frozen(s.team_id, s.peildatum));
    RETURN computed;
END
$$;
COMMENT ON FUNCTION kbs.refresh_snapshots(date, date) IS 'Legt momentopnamen vast per team en peildatum in de periode; berekent alleen wat ontbreekt of sindsdien gewijzigd is. Geeft het aantal berekende momentopnamen.';
