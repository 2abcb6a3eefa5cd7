-- Reference implementations for tests/integration/refresh_random.sh, schema ref
-- (outside the extension): release 1.1's publication decision, one query per
-- cell with kbs.person_set and the jsonb distance in SQL, and its per-team sync.
-- The per-cell refresh itself is bench/refresh_per_cell.sql (schema bench).
CREATE SCHEMA ref;
CREATE FUNCTION ref.person_set_distance(a jsonb, b jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
RETURN (SELECT count(*)::integer
          FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) k(key)
         WHERE (a -> k.key) IS DISTINCT FROM (b -> k.key));
CREATE FUNCTION ref.publication_decide(team_id integer, from_date date) RETURNS integer
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
            d := ref.person_set_distance(cur, prev);
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
-- What kbs.publication_sync did at commit, for every team with a cell
-- without a current decision.
CREATE FUNCTION ref.publication_sync_all() RETURNS integer
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
              WHERE p.team_id IS NULL OR p.snapshot_computed_at <> s.computed_at OR p.min_group_size <> k
              GROUP BY s.team_id ORDER BY s.team_id LOOP
        n := n + ref.publication_decide(t.team_id, t.since);
    END LOOP;
    RETURN n;
END
$$;
