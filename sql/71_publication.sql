-- Publication (k-anonymity): which team cells readers without person-level access
-- may see, decided by a trigger on kbs.snapshot when snapshots are written, and
-- kept. The rules: docs/semantics.md §5 and docs/snapshots.md ("Publication
-- decisions"); docs/privacy.md §4 in Dutch.

-- The unit of publication is a team cell: one team at one peildatum (one
-- snapshot). Every aggregate kbs_policy can read is built from published
-- cells only; a cell that is not published enters no published number at all,
-- not even a municipality total, so nothing is left to subtract. A cell is
-- published when
--   1. at least k = min_group_size team members have an assessment (the
--      snapshot's `assessed`), and
--   2. its set of assessed members (person and effective assessment) differs
--      from every set of that team ever published before in no person or in
--      at least k persons. Otherwise the difference of two published values
--      would show what one to k-1 persons (a joiner, a leaver, a reassessment)
--      contributed. The sets ever published are kept (kbs.published_set), so
--      a recomputed snapshot or a changed k never publishes a cell that is
--      close to one that was visible before.
-- Decisions are made in peildatum order when snapshots are written, and kept:
-- a cell's decision changes only when its own snapshot or an earlier one is
-- recomputed.

CREATE TABLE kbs.publication (
    team_id              integer NOT NULL,
    peildatum            date NOT NULL,
    min_group_size       integer NOT NULL,
    assessed             integer NOT NULL,
    nearest              integer,
    published            boolean NOT NULL,
    reason               text,
    snapshot_computed_at timestamptz NOT NULL,
    decided_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (team_id, peildatum),
    FOREIGN KEY (team_id, peildatum) REFERENCES kbs.snapshot (team_id, peildatum) ON DELETE CASCADE,
    CONSTRAINT publication_reason CHECK (published = (reason IS NULL)
                                         AND (reason IS NULL OR reason IN ('small_group', 'differencing', 'out_of_date')))
);
COMMENT ON TABLE kbs.publication IS 'Intern: per momentopname van een team of de cijfers gepubliceerd mogen worden voor wie geen persoonsgegevens van het team mag zien (kleine groepen en verschilaanvallen worden onderdrukt). Wordt bijgewerkt met de momentopnamen; na het terugzetten van een dump opnieuw te vullen met kbs.refresh_publication().';
COMMENT ON COLUMN kbs.publication.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.publication.peildatum IS 'De peildatum van de momentopname.';
COMMENT ON COLUMN kbs.publication.min_group_size IS 'De minimale groepsgrootte k waarmee besloten is.';
COMMENT ON COLUMN kbs.publication.assessed IS 'Aantal beoordeelde leden in de momentopname.';
COMMENT ON COLUMN kbs.publication.nearest IS 'Kleinste aantal personen waarin de groep beoordeelde leden verschilt van een eerder gepubliceerde groep van het team; leeg als er nog geen is.';
COMMENT ON COLUMN kbs.publication.published IS 'Waar als de cijfers van deze momentopname gepubliceerd mogen worden.';
COMMENT ON COLUMN kbs.publication.reason IS 'Reden van onderdrukken: small_group (minder dan k beoordeelde leden), differencing (verschilt in 1 tot k-1 personen van een eerder gepubliceerde groep) of out_of_date (de gegevens zijn veranderd sinds de momentopname).';
COMMENT ON COLUMN kbs.publication.snapshot_computed_at IS 'Berekenmoment van de momentopname waarover besloten is; een nieuwere momentopname telt als onderdrukt tot opnieuw is besloten.';
COMMENT ON COLUMN kbs.publication.decided_at IS 'Moment van besluiten.';

-- Every set of assessed members of a team that has ever been published.
CREATE TABLE kbs.published_set (
    team_id      integer NOT NULL REFERENCES kbs.team (id) ON DELETE CASCADE,
    persons      jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT published_set_unique UNIQUE (team_id, persons)
);
COMMENT ON TABLE kbs.published_set IS 'Intern: elke groep beoordeelde leden van een team waarvan ooit cijfers zijn gepubliceerd (pseudoniemen: nummers van professional en beoordeling). Nieuwe cijfers worden alleen gepubliceerd als ze van al deze groepen in geen of in minstens k personen verschillen.';
COMMENT ON COLUMN kbs.published_set.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.published_set.persons IS 'De groep als jsonb {nummer professional: nummer geldende beoordeling}.';
COMMENT ON COLUMN kbs.published_set.published_at IS 'Moment waarop de groep voor het eerst is gepubliceerd.';
SELECT pg_catalog.pg_extension_config_dump('kbs.published_set', '');

-- A set that is there already is skipped (also when pg_restore loads the table
-- after the snapshots have put their sets back).
CREATE FUNCTION kbs.published_set_once() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM kbs.published_set s WHERE s.team_id = NEW.team_id AND s.persons = NEW.persons) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION kbs.published_set_once() IS 'Intern: slaat een groep over die al als gepubliceerd is vastgelegd.';
CREATE TRIGGER published_set_once BEFORE INSERT ON kbs.published_set
    FOR EACH ROW EXECUTE FUNCTION kbs.published_set_once();

-- The assessed members of a team at a date: {"professional id": assessment id}.
-- People whose assessments retention removed keep a place ("removed").
CREATE FUNCTION kbs.person_set(team_id integer, at date) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(jsonb_object_agg(m.professional_id::text,
                                         coalesce(to_jsonb(m.assessment_id), '"removed"'::jsonb)), '{}'::jsonb)
          FROM kbs.member_profiles_at(person_set.team_id, person_set.at) m
          JOIN kbs.professional p ON p.id = m.professional_id
         WHERE m.assessment_id IS NOT NULL OR p.anonymised);
COMMENT ON FUNCTION kbs.person_set(integer, date) IS 'Intern: de beoordeelde leden van een team op een datum met hun geldende beoordeling, als jsonb {professional: beoordeling}; wie door de bewaartermijn is geanonimiseerd staat erin als "removed".';

-- In how many persons two such sets differ (joined, left or reassessed); in C
-- (src/pg/person_set.c): publication compares every cell with every set
-- published before.
CREATE FUNCTION kbs.person_set_distance(a jsonb, b jsonb) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_person_set_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.person_set_distance(jsonb, jsonb) IS 'Intern: in hoeveel personen twee groepen beoordeelde leden verschillen (erbij, eraf of opnieuw beoordeeld).';

-- Decides the cells of several teams, each from its own peildatum on; earlier
-- decisions stay. The persons of every cell (as kbs.person_set) come from one
-- query for all teams; the decisions are then taken per team in peildatum
-- order and written at once.
CREATE FUNCTION kbs.publication_decide_teams(team_ids integer[], from_dates date[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- planned for the teams at hand, as kbs.refresh_snapshots
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    seen jsonb[];
    team integer;
    prev jsonb;
    d integer;
    nearest integer;
    why text;
    s record;
    teams integer[] := '{}';
    days date[] := '{}';
    counts integer[] := '{}';
    nearests integer[] := '{}';
    whys text[] := '{}';
    computed timestamptz[] := '{}';
    set_teams integer[] := '{}';
    sets jsonb[] := '{}';
BEGIN
    IF team_ids IS NULL OR from_dates IS NULL THEN
        RETURN 0;
    END IF;
    IF cardinality(team_ids) <> cardinality(from_dates) THEN
        RAISE EXCEPTION 'kbs.publication_decide_teams needs one from date per team'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s teams, %s dates.', cardinality(team_ids), cardinality(from_dates));
    END IF;
    DELETE FROM kbs.publication p
     USING unnest(team_ids, from_dates) f(team_id, from_date)
     WHERE p.team_id = f.team_id AND p.peildatum >= f.from_date;
    FOR s IN
        WITH cell AS (
            SELECT x.team_id, x.peildatum, x.assessed, x.computed_at
              FROM unnest(team_ids, from_dates) f(team_id, from_date)
              JOIN kbs.snapshot x ON x.team_id = f.team_id AND x.peildatum >= f.from_date
        ), member AS (
            SELECT c.team_id, c.peildatum, m.professional_id, pr.anonymised
              FROM cell c
              JOIN kbs.membership m ON m.team_id = c.team_id AND m.during @> c.peildatum
              JOIN kbs.professional pr ON pr.id = m.professional_id
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
            SELECT w.professional_id, w.id, w.assessed_on,
                   lead(w.assessed_on) OVER (PARTITION BY w.professional_id ORDER BY w.assessed_on) AS until
              FROM winner w
        ), persons AS (
            SELECT mb.team_id, mb.peildatum,
                   jsonb_object_agg(mb.professional_id::text, coalesce(to_jsonb(e.id), '"removed"'::jsonb))
                       FILTER (WHERE e.id IS NOT NULL OR mb.anonymised) AS persons,
                   count(*) FILTER (WHERE e.id IS NOT NULL OR mb.anonymised) AS n,
                   bool_or(mb.anonymised) AS frozen
              FROM member mb
              LEFT JOIN effective e ON e.professional_id = mb.professional_id AND e.assessed_on <= mb.peildatum
                                   AND (e.until IS NULL OR e.until > mb.peildatum)
             GROUP BY mb.team_id, mb.peildatum
        )
        SELECT c.team_id, c.peildatum, c.assessed, c.computed_at, coalesce(p.persons, '{}'::jsonb) AS cur,
               -- The persons are today's: when the data changed since the snapshot
               -- (a mark newer than it), its figures may be of another set, one
               -- that differencing would expose. A frozen snapshot is never out of date.
               coalesce(p.n, 0) <> c.assessed
               OR (EXISTS (SELECT 1 FROM kbs.snapshot_dirty x
                            WHERE x.team_id = c.team_id AND x.since <= c.peildatum AND x.marked_at > c.computed_at)
                   AND NOT coalesce(p.frozen, false)) AS out_of_date
          FROM cell c
          LEFT JOIN persons p ON p.team_id = c.team_id AND p.peildatum = c.peildatum
         ORDER BY c.team_id, c.peildatum
    LOOP
        IF team IS DISTINCT FROM s.team_id THEN
            team := s.team_id;
            seen := ARRAY(SELECT x.persons FROM kbs.published_set x WHERE x.team_id = team ORDER BY x.published_at);
        END IF;
        nearest := NULL;
        why := NULL;
        FOREACH prev IN ARRAY seen LOOP
            d := kbs.person_set_distance(s.cur, prev);
            nearest := least(nearest, d);
            IF d > 0 AND d < k THEN
                why := 'differencing';
            END IF;
        END LOOP;
        IF s.assessed < k THEN
            why := 'small_group';
        ELSIF s.out_of_date THEN
            why := 'out_of_date';
        END IF;
        teams := teams || s.team_id;
        days := days || s.peildatum;
        counts := counts || s.assessed;
        nearests := nearests || nearest;
        whys := whys || why;
        computed := computed || s.computed_at;
        IF why IS NULL AND NOT s.cur = ANY (seen) THEN
            seen := seen || s.cur;
            set_teams := set_teams || s.team_id;
            sets := sets || s.cur;
        END IF;
    END LOOP;
    INSERT INTO kbs.publication (team_id, peildatum, min_group_size, assessed, nearest, published, reason,
                                 snapshot_computed_at)
    SELECT x.team_id, x.peildatum, k, x.assessed, x.nearest, x.why IS NULL, x.why, x.computed_at
      FROM unnest(teams, days, counts, nearests, whys, computed) x(team_id, peildatum, assessed, nearest, why, computed_at)
     ORDER BY x.team_id, x.peildatum;
    -- in the order published (published_at orders a team's sets)
    INSERT INTO kbs.published_set (team_id, persons)
    SELECT x.team_id, x.persons FROM unnest(set_teams, sets) WITH ORDINALITY x(team_id, persons, i) ORDER BY x.i;
    RETURN cardinality(days);
END
$$;
COMMENT ON FUNCTION kbs.publication_decide_teams(integer[], date[]) IS 'Intern: besluit voor de momentopnamen van elk team vanaf de bijbehorende peildatum of ze gepubliceerd mogen worden; eerdere besluiten blijven staan.';

-- Decides the cells of one team from a peildatum on; earlier decisions stay.
CREATE FUNCTION kbs.publication_decide(team_id integer, from_date date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN kbs.publication_decide_teams(ARRAY[publication_decide.team_id], ARRAY[from_date]);
END
$$;
COMMENT ON FUNCTION kbs.publication_decide(integer, date) IS 'Intern: besluit voor de momentopnamen van een team vanaf een peildatum of ze gepubliceerd mogen worden; eerdere besluiten blijven staan.';

-- At the end of the transaction that wrote snapshots: decide every team from
-- its earliest snapshot without a current decision, the row's team and the
-- teams kbs.refresh_snapshots left in kbs.publication_pending (it queues one
-- event for all the teams it wrote). Later calls for the same team find
-- nothing left to do.
CREATE FUNCTION kbs.publication_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    teams integer[];
    pending text := current_setting('kbs.publication_pending', true);
    decide_teams integer[];
    decide_from date[];
BEGIN
    -- A restore (as in kbs.mark_dirty) loads the snapshots before the dirty
    -- marks that say which are out of date: deciding now could publish one.
    -- Nothing is published until kbs.refresh_publication() decides.
    IF NOT (current_setting('check_function_bodies')::boolean OR current_setting('row_security')::boolean) THEN
        RETURN NULL;
    END IF;
    teams := ARRAY[NEW.team_id];
    IF coalesce(pending, '') <> '' THEN
        teams := teams || string_to_array(pending, ',')::integer[];
        PERFORM set_config('kbs.publication_pending', '', true);
    END IF;
    -- per team by the primary keys, never every snapshot
    SELECT array_agg(t.team_id ORDER BY t.team_id), array_agg(x.since ORDER BY t.team_id)
      INTO decide_teams, decide_from
      FROM (SELECT DISTINCT u.team_id FROM unnest(teams) u(team_id)) t
     CROSS JOIN LATERAL (
           SELECT min(s.peildatum) AS since
             FROM (SELECT s.peildatum, s.computed_at FROM kbs.snapshot s WHERE s.team_id = t.team_id OFFSET 0) s
             LEFT JOIN kbs.publication p ON p.team_id = t.team_id AND p.peildatum = s.peildatum
            WHERE p.team_id IS NULL OR p.snapshot_computed_at <> s.computed_at OR p.min_group_size <> k) x
     WHERE x.since IS NOT NULL;
    IF decide_teams IS NOT NULL THEN
        PERFORM kbs.publication_decide_teams(decide_teams, decide_from);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION kbs.publication_sync() IS 'Intern: besluit aan het eind van de transactie over nieuwe of herberekende momentopnamen van een team of ze gepubliceerd mogen worden.';
-- While kbs.refresh_snapshots writes its cells (kbs.refresh_in_progress on) no
-- event is queued: the refresh then touches one cell per team it wrote, whose
-- event decides the whole team.
CREATE CONSTRAINT TRIGGER snapshot_publication AFTER INSERT OR UPDATE ON kbs.snapshot
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (pg_catalog.current_setting('kbs.refresh_in_progress', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION kbs.publication_sync();

CREATE FUNCTION kbs.refresh_publication(team_id integer DEFAULT NULL) RETURNS integer
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
COMMENT ON FUNCTION kbs.refresh_publication(integer) IS 'Besluit opnieuw over alle momentopnamen (van één team, of van alle teams) of ze gepubliceerd mogen worden, bijvoorbeeld na het terugzetten van een dump. Gebeurt anders vanzelf bij het bijwerken van momentopnamen. Geeft het aantal besluiten.';
