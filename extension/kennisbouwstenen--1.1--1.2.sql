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

-- kbs.mark_dirty, kbs.publication_sync, kbs.refresh_snapshots and kbs.publication_decide with these
-- fixes are defined once, at the end (issue 14: set-based snapshot refresh), with the retention fix
-- (kbs.snapshot_frozen, below).

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

-- 71_publication.sql
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


-- 1.2: a municipality's own data (imports, rounds, training demand)

-- Who validated an assessment, and when (kbs.finalise_round).
ALTER TABLE kbs.assessment ADD COLUMN validated_at timestamptz;
COMMENT ON COLUMN kbs.assessment.validated_at IS 'Moment van valideren: wanneer de beoordeling definitief werd (kbs.finalise_round).';

-- kbs.csv_records takes a delimiter, and reads records of up to 16384 fields.
DROP FUNCTION kbs.csv_records(text);
-- Parses CSV text into records; the delimiter is given, or (NULL) detected
-- from the first record: , or ;. NULL text gives no records.
CREATE FUNCTION kbs.csv_records(csv text, delimiter text DEFAULT NULL)
RETURNS TABLE (line integer, fields text[])
AS 'MODULE_PATHNAME', 'kbs_sql_csv_records'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kbs.csv_records(text, text) IS 'Leest CSV-tekst als rijen met regelnummer en velden (tot 16384 velden per rij); het scheidingsteken is het gegeven teken, of (leeg) , of ; uit de eerste regel.';

-- sql/67_import.sql
-- A municipality's own data: people and teams from an HR export, assessments
-- from the form (wide) or a long list, a team's requirement, assessment rounds,
-- and a log of every import. CSV text goes in (kbs.csv_records reads it); every
-- row is checked before anything is written, every problem is reported at once,
-- and either everything is written or nothing.
--
-- A dry run does the real writes inside a block that is then rolled back, so
-- it returns exactly what the real run would do and leaves no row behind
-- (identity sequences may have advanced).

-- One problem found in a file: where it is and what is wrong.
CREATE TYPE kbs.import_problem AS (
    sqlstate text,      -- SQLSTATE of the problem
    data_row integer,   -- data row (1 = the first after the header), 0 = the header, NULL = an argument
    line     integer,   -- physical line of the file
    field    integer,   -- column (1 = the first), NULL for the whole row
    message  text,      -- PostgreSQL style: lower case, no period
    hint     text       -- a full sentence, or NULL
);
COMMENT ON TYPE kbs.import_problem IS 'Eén probleem in een importbestand: SQLSTATE, rij, regel, kolom, melding en hint (intern gebruikt door de importfuncties).';

-- What was imported, by whom and when. Holds no levels and no person.
CREATE TABLE kbs.import_log (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    imported_by  text NOT NULL DEFAULT current_user,
    kind         text NOT NULL,
    municipality text NOT NULL REFERENCES kbs.municipality (code),
    team_id      integer REFERENCES kbs.team (id),
    sha256       text NOT NULL,
    data_rows    integer NOT NULL,
    dry_run      boolean NOT NULL,
    outcome      text NOT NULL,
    changes      integer NOT NULL,
    detail       text,
    CONSTRAINT import_log_kind CHECK (kind IN ('people', 'assessments', 'requirement')),
    CONSTRAINT import_log_outcome CHECK (outcome IN ('imported', 'unchanged', 'previewed')),
    CONSTRAINT import_log_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX import_log_municipality_idx ON kbs.import_log (municipality, imported_at);
COMMENT ON TABLE kbs.import_log IS 'Logboek van imports: wie, wanneer, wat voor bestand (SHA-256), hoeveel rijen en met welk resultaat. Bevat geen niveaus en geen personen. Alleen beheerders lezen het. Een mislukte import staat er niet in (de fout maakt de transactie ongedaan); die staat in het serverlog.';
COMMENT ON COLUMN kbs.import_log.id IS 'Nummer van de import.';
COMMENT ON COLUMN kbs.import_log.imported_at IS 'Moment van importeren (begin van de transactie).';
COMMENT ON COLUMN kbs.import_log.imported_by IS 'De databaserol die importeerde.';
COMMENT ON COLUMN kbs.import_log.kind IS 'Soort import: people (personeel en teams), assessments (beoordelingen) of requirement (teameis).';
COMMENT ON COLUMN kbs.import_log.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.import_log.team_id IS 'Het team, bij een teameis.';
COMMENT ON COLUMN kbs.import_log.sha256 IS 'SHA-256 van de geïmporteerde tekst (UTF-8), hexadecimaal.';
COMMENT ON COLUMN kbs.import_log.data_rows IS 'Aantal gegevensrijen in het bestand (zonder kopregels en lege regels).';
COMMENT ON COLUMN kbs.import_log.dry_run IS 'Waar bij een proefimport (dry_run): er is niets vastgelegd.';
COMMENT ON COLUMN kbs.import_log.outcome IS 'Resultaat: imported (vastgelegd), unchanged (niets te wijzigen) of previewed (proefimport).';
COMMENT ON COLUMN kbs.import_log.changes IS 'Aantal wijzigingen dat is (of bij een proefimport zou zijn) vastgelegd.';
COMMENT ON COLUMN kbs.import_log.detail IS 'Samenvatting, bijvoorbeeld de datum, bron en ronde van beoordelingen.';
SELECT pg_catalog.pg_extension_config_dump('kbs.import_log', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.import_log', 'id'), '');

-- A date as HR systems and Dutch Excel write it: yyyy-mm-dd or dd-mm-yyyy
-- (src/core/date.c); NULL when it is neither, or no real day of 1900-2999.
CREATE FUNCTION kbs.import_date(value text) RETURNS date
AS 'MODULE_PATHNAME', 'kbs_sql_import_date'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.import_date(text) IS 'Een datum uit een importbestand: jjjj-mm-dd of dd-mm-jjjj (jaar 1900 tot 2999); leeg als de tekst geen (bestaande) datum is.';

-- Raises the problems of an import, if any: the first one as the message (with
-- its SQLSTATE and hint), all of them in the detail, one per line. The failed
-- import is written to the server log: its log row would be rolled back.
CREATE FUNCTION kbs.import_fail(problems kbs.import_problem[], what text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sorted kbs.import_problem[];
    shown constant integer := 1000;
    first kbs.import_problem;
    lines text;
    n integer;
BEGIN
    n := coalesce(cardinality(problems), 0);
    IF n = 0 THEN
        RETURN;
    END IF;
    sorted := ARRAY(SELECT (p.sqlstate, p.data_row, p.line, p.field, p.message, p.hint)::kbs.import_problem
                      FROM unnest(problems) WITH ORDINALITY p(sqlstate, data_row, line, field, message, hint, o)
                     ORDER BY p.line NULLS FIRST, p.field NULLS FIRST, p.o);
    first := sorted[1];
    SELECT string_agg(upper(left(x.t, 1)) || substr(x.t, 2) || '.', E'\n' ORDER BY x.i) INTO lines
      FROM (SELECT i, kbs.import_problem_text(sorted[i]) AS t FROM generate_series(1, least(n, shown)) i) x;
    RAISE LOG 'kennisbouwstenen: import failed, nothing written: % (by %, % problem(s); first: %)',
        what, current_user, n, kbs.import_problem_text(first);
    RAISE EXCEPTION '%', kbs.import_problem_text(first)
        USING ERRCODE = coalesce(first.sqlstate, 'P0001'),
              DETAIL = CASE WHEN n = 1 THEN 'Nothing was imported.'
                            ELSE format(E'%s problems; nothing was imported.\n%s%s', n, lines,
                                        CASE WHEN n > shown THEN format(E'\n… and %s more.', n - shown) ELSE '' END) END,
              HINT = coalesce(first.hint, 'Correct the file and import it again.');
END
$$;
COMMENT ON FUNCTION kbs.import_fail(kbs.import_problem[], text) IS 'Interne hulpfunctie: geeft een fout met het eerste probleem als melding en alle problemen (tot 1000) in de toelichting; doet niets zonder problemen.';

-- Where a problem is, then what: 'row 2 (line 5), column 3: level "7" ...'.
-- A value from the file can be long: a problem is shown in 300 characters.
CREATE FUNCTION kbs.import_problem_text(p kbs.import_problem) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT CASE WHEN length(x.t) > 300 THEN left(x.t, 299) || '…' ELSE coalesce(nullif(x.t, ''), 'import problem') END
          FROM (SELECT concat_ws(': ',
                                 CASE WHEN p.line IS NULL THEN NULL
                                      ELSE concat(CASE WHEN p.data_row = 0 THEN format('header (line %s)', p.line)
                                                       ELSE format('row %s (line %s)', p.data_row, p.line) END,
                                                  ', column ' || p.field) END,
                                 p.message) AS t) x);
COMMENT ON FUNCTION kbs.import_problem_text(kbs.import_problem) IS 'Interne hulpfunctie: een importprobleem als tekst, met rij, regel en kolom (hoogstens 300 tekens).';

-- The administrators' functions check the role first, for a clear message.
CREATE FUNCTION kbs.require_admin(action text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'kbs_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied to %', coalesce(action, 'do this')
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = format('Role %s is not a member of kbs_admin.', current_user),
                  HINT = 'Ask an administrator (a member of kbs_admin).';
    END IF;
END
$$;
COMMENT ON FUNCTION kbs.require_admin(text) IS 'Interne hulpfunctie: een fout als de huidige gebruiker geen beheerder (lid van kbs_admin) is.';

-- Rounds ------------------------------------------------------------------------

CREATE FUNCTION kbs.open_round(municipality text, name text, peildatum date) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    existing record;
    new_id integer;
BEGIN
    IF municipality IS NULL OR name IS NULL OR peildatum IS NULL THEN
        RAISE EXCEPTION 'municipality, name and peildatum of a round must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM kbs.require_admin('open an assessment round');
    IF NOT EXISTS (SELECT 1 FROM kbs.municipality m WHERE m.code = open_round.municipality) THEN
        RAISE EXCEPTION 'unknown municipality "%"', municipality USING ERRCODE = 'no_data_found';
    END IF;
    IF btrim(name) = '' THEN
        RAISE EXCEPTION 'the name of a round must not be empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'For example ''voorjaar 2026''.';
    END IF;
    IF NOT isfinite(peildatum) THEN
        RAISE EXCEPTION 'invalid peildatum %', peildatum USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT r.id, r.peildatum, r.status INTO existing FROM kbs.assessment_round r
     WHERE r.municipality = open_round.municipality AND r.name = btrim(open_round.name);
    IF FOUND THEN
        RAISE EXCEPTION 'round "%" of % already exists', btrim(name), municipality
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('It has peildatum %s and status %s.', existing.peildatum, existing.status);
    END IF;
    INSERT INTO kbs.assessment_round (municipality, name, peildatum, status)
    VALUES (municipality, btrim(name), peildatum, 'draft') RETURNING id INTO new_id;
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION kbs.open_round(text, text, date) IS 'Opent een beoordelingsronde van een gemeente met een peildatum en geeft het nummer; beoordelingen kunnen er als concept in worden geïmporteerd. Voor beheerders.';

CREATE FUNCTION kbs.finalise_round(municipality text, name text, validated_by text) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    n integer;
BEGIN
    IF municipality IS NULL OR name IS NULL OR validated_by IS NULL THEN
        RAISE EXCEPTION 'municipality, name and validated_by must not be null' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'validated_by says who validated the round (a function or pseudonym).';
    END IF;
    PERFORM kbs.require_admin('finalise an assessment round');
    IF btrim(validated_by) = '' THEN
        RAISE EXCEPTION 'validated_by must not be empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Say who validated the round (a function or pseudonym).';
    END IF;
    SELECT x.id, x.status, x.peildatum INTO r FROM kbs.assessment_round x
     WHERE x.municipality = finalise_round.municipality AND x.name = btrim(finalise_round.name)
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'round "%" of % does not exist', btrim(name), municipality USING ERRCODE = 'no_data_found',
            HINT = 'Open it with kbs.open_round().';
    END IF;
    IF r.status = 'final' THEN
        RAISE EXCEPTION 'round "%" of % is already final', btrim(name), municipality
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE kbs.assessment a
       SET status = 'final', validated_by = btrim(finalise_round.validated_by), validated_at = now()
     WHERE a.round_id = r.id AND a.status = 'draft';
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE kbs.assessment_round x SET status = 'final' WHERE x.id = r.id;
    RETURN n;
END
$$;
COMMENT ON FUNCTION kbs.finalise_round(text, text, text) IS 'Sluit een beoordelingsronde af: de concepten van de ronde worden definitief, met wie ze valideerde en wanneer; daarna telt de ronde mee in de momentopnamen. Geeft het aantal beoordelingen dat definitief werd. Voor beheerders.';

-- People and teams --------------------------------------------------------------

CREATE FUNCTION kbs.import_people(csv text, municipality text, as_of date, dry_run boolean DEFAULT false)
RETURNS TABLE (change text, team text, ref text, start_date date, end_date date, detail text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    -- header names, English and Dutch, and the column they map to
    names constant text[] := ARRAY['team', 'ref', 'medewerker', 'discipline', 'start', 'begin', 'end', 'einde'];
    cols constant text[] := ARRAY['team', 'ref', 'ref', 'discipline', 'start', 'start', 'end', 'end'];
    what text := format('people of %s on %s', municipality, as_of);
    pos_team integer;
    pos_ref integer;
    pos_disc integer;
    pos_start integer;
    pos_end integer;
    header text[];
    hline integer;
    ncols integer;
    col text;
    i integer;
    problems kbs.import_problem[] := '{}';
    found_problems kbs.import_problem[];
    ndata integer;
    -- the rows that passed, in file order
    f_line integer[];
    f_team text[];
    f_ref text[];
    f_disc text[];
    f_start date[];
    f_end date[];
    -- what the writes did, for the list of changes
    t_line integer[];       -- teams added
    t_name text[];
    t_start date[];
    p_line integer[];       -- people added or with another discipline
    p_change text[];
    p_ref text[];
    p_detail text[];
    r_pid integer[];        -- per row: person, team, membership, new or not, its old end if changed
    r_tid integer[];
    r_mid integer[];
    r_lower date[];
    r_new boolean[];
    r_old_upper date[];
    r_changed boolean[];
    e_ref text[];           -- memberships ended: who, which team, from, last day, the row that follows
    e_team text[];
    e_start date[];
    e_last date[];
    e_next_line integer[];
    e_next_new boolean[];
    e_next_team text[];
    c_change text[];
    c_team text[];
    c_ref text[];
    c_start date[];
    c_end date[];
    c_detail text[];
    written integer;
BEGIN
    IF csv IS NULL OR municipality IS NULL OR as_of IS NULL OR dry_run IS NULL THEN
        RAISE EXCEPTION 'csv, municipality, as_of and dry_run of kbs.import_people must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM kbs.require_admin('import people');
    IF NOT EXISTS (SELECT 1 FROM kbs.municipality x WHERE x.code = municipality) THEN
        RAISE EXCEPTION 'unknown municipality "%"', municipality USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'invalid date % for as_of', as_of USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One roster import of a municipality at a time.
    PERFORM pg_advisory_xact_lock(hashtext('kbs.import_people'), hashtext(municipality));

    -- The header: the first line.
    SELECT c.line, ARRAY(SELECT lower(btrim(f, E' \t')) FROM unnest(c.fields) f) INTO hline, header
      FROM kbs.csv_records(csv) c ORDER BY c.line LIMIT 1;
    IF hline IS NULL THEN
        RAISE EXCEPTION 'the roster is empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The first line is the header: team, ref, discipline, start, end.';
    END IF;
    ncols := cardinality(header);
    FOR i IN 1 .. ncols LOOP
        col := cols[array_position(names, header[i])];
        IF col IS NULL THEN
            problems := problems || ROW('22023', 0, hline, i, format('unknown column "%s"', header[i]),
                'The columns are team, ref (or medewerker), discipline, start (or begin) and end (or einde); a roster holds no names.')::kbs.import_problem;
        ELSIF (col = 'team' AND pos_team IS NOT NULL) OR (col = 'ref' AND pos_ref IS NOT NULL)
           OR (col = 'discipline' AND pos_disc IS NOT NULL) OR (col = 'start' AND pos_start IS NOT NULL)
           OR (col = 'end' AND pos_end IS NOT NULL) THEN
            problems := problems || ROW('22023', 0, hline, i, format('column "%s" appears twice', col), NULL)::kbs.import_problem;
        ELSE
            CASE col
                WHEN 'team' THEN pos_team := i;
                WHEN 'ref' THEN pos_ref := i;
                WHEN 'discipline' THEN pos_disc := i;
                WHEN 'start' THEN pos_start := i;
                ELSE pos_end := i;
            END CASE;
        END IF;
    END LOOP;
    IF pos_team IS NULL OR pos_ref IS NULL OR pos_start IS NULL THEN
        problems := problems || ROW('22023', 0, hline, NULL, 'the header needs the columns "team", "ref" and "start"',
            'The columns are team, ref (or medewerker), discipline, start (or begin) and end (or einde).')::kbs.import_problem;
        PERFORM kbs.import_fail(problems, what);
    END IF;

    -- Every row, checked in one pass.
    WITH rec AS MATERIALIZED (
        SELECT (c.n - 1)::integer AS rowno, c.line, cardinality(c.fields) AS nf,
               btrim(c.fields[pos_team], E' \t') AS team, btrim(c.fields[pos_ref], E' \t') AS ref,
               nullif(btrim(c.fields[pos_disc], E' \t'), '') AS disc,
               btrim(c.fields[pos_start], E' \t') AS s_text, nullif(btrim(c.fields[pos_end], E' \t'), '') AS e_text,
               kbs.import_date(c.fields[pos_start]) AS s, kbs.import_date(c.fields[pos_end]) AS e,
               -- spreadsheets leave rows of empty cells: skipped
               btrim(array_to_string(c.fields, ''), E' \t') = '' AS blank
          FROM kbs.csv_records(csv) WITH ORDINALITY c(line, fields, n)
    ), filled AS MATERIALIZED (
        SELECT x.*, x.nf = ncols AND x.team <> '' AND x.ref ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$' AND x.s IS NOT NULL
                    AND (x.e_text IS NULL OR x.e >= x.s) AS ok
          FROM rec x WHERE x.rowno > 0 AND NOT x.blank
    ), dup AS (
        SELECT f.ref, f.team, count(*) AS n, min(f.rowno) AS r, min(f.line) AS l, max(f.rowno) AS last_r,
               max(f.line) AS last_l
          FROM filled f WHERE f.ok GROUP BY f.ref, f.team HAVING count(*) > 1
    ), disc AS (
        SELECT f.ref, min(f.disc) AS d1, max(f.disc) AS d2, max(f.rowno) AS last_r, max(f.line) AS last_l
          FROM filled f WHERE f.ok AND f.disc IS NOT NULL GROUP BY f.ref HAVING min(f.disc) <> max(f.disc)
    ), found_problem AS (
        SELECT ROW('22P04', f.rowno, f.line, NULL, format('expected %s fields, found %s', ncols, f.nf), NULL)::kbs.import_problem AS p
          FROM filled f WHERE f.nf <> ncols
        UNION ALL
        SELECT ROW('23502', f.rowno, f.line, pos_ref, 'ref is empty', NULL)::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.ref = ''
        UNION ALL
        SELECT ROW('22023', f.rowno, f.line, pos_ref, format('ref "%s" is not a pseudonym or personnel number', f.ref),
                   'A ref holds at most 64 letters, digits, ".", "_", "/" or "-", without spaces: a pseudonym or personnel number, never a name.')::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.ref <> '' AND f.ref !~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'
        UNION ALL
        SELECT ROW('23502', f.rowno, f.line, pos_team, 'team is empty', NULL)::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.team = ''
        UNION ALL
        SELECT ROW('23502', f.rowno, f.line, pos_start, 'start date is empty', NULL)::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.s_text = ''
        UNION ALL
        SELECT ROW('22007', f.rowno, f.line, pos_start, format('invalid start date "%s"', f.s_text),
                   'Write dates as yyyy-mm-dd or dd-mm-yyyy (years 1900 to 2999).')::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.s_text <> '' AND f.s IS NULL
        UNION ALL
        SELECT ROW('22007', f.rowno, f.line, pos_end, format('invalid end date "%s"', f.e_text),
                   'Write dates as yyyy-mm-dd or dd-mm-yyyy; leave the end empty while the person is in the team.')::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.e_text IS NOT NULL AND f.e IS NULL
        UNION ALL
        SELECT ROW('22023', f.rowno, f.line, pos_end, format('end date %s is before start date %s', f.e, f.s),
                   'The end date is the last day in the team.')::kbs.import_problem
          FROM filled f WHERE f.nf = ncols AND f.e < f.s
        UNION ALL
        SELECT ROW('23505', d.last_r, d.last_l, pos_ref,
                   format('ref "%s" appears on %s rows for team "%s"; the first is row %s (line %s)', d.ref, d.n, d.team,
                          d.r, d.l),
                   'List each person once per team.')::kbs.import_problem
          FROM dup d
        UNION ALL
        SELECT ROW('22023', d.last_r, d.last_l, pos_disc,
                   format('ref "%s" has two disciplines, "%s" and "%s"', d.ref, d.d1, d.d2), NULL)::kbs.import_problem
          FROM disc d
        UNION ALL
        -- a membership must lie within an existing team's life
        SELECT ROW('23514', f.rowno, f.line, pos_start,
                   format('team "%s" exists from %s to %s; a membership from %s%s does not fit', f.team, lower(tm.active),
                          coalesce((upper(tm.active) - 1)::text, 'now'), f.s, coalesce(' to ' || f.e, '')),
                   NULL)::kbs.import_problem
          FROM filled f
          JOIN kbs.team tm ON tm.municipality = import_people.municipality AND tm.name = f.team
         WHERE f.ok AND NOT tm.active @> daterange(f.s, f.e + 1)
    )
    SELECT (SELECT count(*) FROM filled)::integer, ARRAY(SELECT x.p FROM found_problem x),
           y.line, y.team, y.ref, y.disc, y.s, y.e
      INTO ndata, found_problems, f_line, f_team, f_ref, f_disc, f_start, f_end
      FROM (SELECT array_agg(f.line ORDER BY f.rowno) AS line, array_agg(f.team ORDER BY f.rowno) AS team,
                   array_agg(f.ref ORDER BY f.rowno) AS ref, array_agg(f.disc ORDER BY f.rowno) AS disc,
                   array_agg(f.s ORDER BY f.rowno) AS s, array_agg(f.e ORDER BY f.rowno) AS e
              FROM filled f WHERE f.ok) y;
    problems := problems || found_problems;
    IF cardinality(problems) = 0 AND f_line IS NULL THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, 'the roster holds no people',
            'The roster is the whole list of people on as_of; an empty one would end every membership.')::kbs.import_problem;
    END IF;
    PERFORM kbs.import_fail(problems, what);

    -- Write. In a dry run the block is rolled back at its end.
    BEGIN
        -- Teams: a new team exists from the earliest start in the file.
        WITH need AS (
            SELECT u.team, min(u.s) AS first_start, min(u.l) AS l
              FROM unnest(f_team, f_start, f_line) u(team, s, l) GROUP BY u.team
        ), ins AS (
            INSERT INTO kbs.team (municipality, name, active)
            SELECT import_people.municipality, n.team, daterange(n.first_start, NULL) FROM need n
             WHERE NOT EXISTS (SELECT 1 FROM kbs.team t WHERE t.municipality = import_people.municipality AND t.name = n.team)
             ORDER BY n.l
            RETURNING kbs.team.name, lower(kbs.team.active) AS s
        )
        SELECT array_agg(n.l), array_agg(ins.name), array_agg(ins.s) INTO t_line, t_name, t_start
          FROM ins JOIN need n ON n.team = ins.name;
        -- People, with their discipline when the file gives one.
        WITH need AS (
            SELECT u.ref, min(u.disc) AS disc, min(u.l) AS l
              FROM unnest(f_ref, f_disc, f_line) u(ref, disc, l) GROUP BY u.ref
        ), ins AS (
            INSERT INTO kbs.professional (municipality, ref, discipline)
            SELECT import_people.municipality, n.ref, n.disc FROM need n
             WHERE NOT EXISTS (SELECT 1 FROM kbs.professional p
                                WHERE p.municipality = import_people.municipality AND p.ref = n.ref)
             ORDER BY n.l
            RETURNING kbs.professional.ref, kbs.professional.discipline
        ), upd AS (
            UPDATE kbs.professional p SET discipline = x.disc
              FROM (SELECT p2.id, p2.discipline AS old, n.disc FROM need n
                      JOIN kbs.professional p2 ON p2.municipality = import_people.municipality AND p2.ref = n.ref
                     WHERE n.disc IS NOT NULL AND n.disc IS DISTINCT FROM p2.discipline) x
             WHERE p.id = x.id
            RETURNING p.ref, x.disc, x.old
        ), ch AS (
            SELECT n.l, 'person_added'::text AS change, ins.ref,
                   CASE WHEN ins.discipline IS NOT NULL THEN format('discipline "%s"', ins.discipline) END AS detail
              FROM ins JOIN need n ON n.ref = ins.ref
            UNION ALL
            SELECT n.l, 'discipline_changed', upd.ref, format('discipline "%s", was "%s"', upd.disc, coalesce(upd.old, ''))
              FROM upd JOIN need n ON n.ref = upd.ref
        )
        SELECT array_agg(ch.l), array_agg(ch.change), array_agg(ch.ref), array_agg(ch.detail)
          INTO p_line, p_change, p_ref, p_detail
          FROM ch;
        -- Each row stands for the person's stint in that team that overlaps it
        -- (which keeps its recorded start; its end follows the file), or a new one.
        SELECT array_agg(pr.id ORDER BY u.o), array_agg(tm.id ORDER BY u.o), array_agg(m.id ORDER BY u.o),
               array_agg(coalesce(lower(m.during), u.s) ORDER BY u.o), array_agg(m.id IS NULL ORDER BY u.o),
               array_agg(upper(m.during) ORDER BY u.o),
               array_agg(m.id IS NOT NULL AND upper(m.during) IS DISTINCT FROM u.e + 1 ORDER BY u.o)
          INTO r_pid, r_tid, r_mid, r_lower, r_new, r_old_upper, r_changed
          FROM unnest(f_ref, f_team, f_start, f_end) WITH ORDINALITY u(ref, team, s, e, o)
          JOIN kbs.professional pr ON pr.municipality = import_people.municipality AND pr.ref = u.ref
          JOIN kbs.team tm ON tm.municipality = import_people.municipality AND tm.name = u.team
          LEFT JOIN LATERAL (SELECT x.id, x.during FROM kbs.membership x
                              WHERE x.professional_id = pr.id AND x.team_id = tm.id AND x.during && daterange(u.s, u.e + 1)
                              ORDER BY lower(x.during) LIMIT 1) m ON true;
        UPDATE kbs.membership x SET during = daterange(lower(x.during), u.e + 1)
          FROM unnest(r_mid, f_end, r_changed) u(mid, e, changed)
         WHERE x.id = u.mid AND u.changed;
        WITH ins AS (
            INSERT INTO kbs.membership (professional_id, team_id, during)
            SELECT u.pid, u.tid, daterange(u.s, u.e + 1)
              FROM unnest(r_pid, r_tid, f_start, f_end, r_new, f_line) u(pid, tid, s, e, new, l)
             WHERE u.new ORDER BY u.l
            RETURNING kbs.membership.id, kbs.membership.professional_id, kbs.membership.team_id
        )
        SELECT array_agg(coalesce(u.mid, ins.id) ORDER BY u.o) INTO r_mid
          FROM unnest(r_mid, r_pid, r_tid) WITH ORDINALITY u(mid, pid, tid, o)
          LEFT JOIN ins ON u.mid IS NULL AND ins.professional_id = u.pid AND ins.team_id = u.tid;
        -- Memberships open on as_of that the roster does not hold end the day before
        -- the person's next stint in the file starts, else on as_of - 1; one that
        -- starts on or after as_of is not the roster's business yet.
        WITH kept AS MATERIALIZED (
            SELECT u.* FROM unnest(r_mid, r_pid, r_lower, r_new, f_team, f_line) u(mid, pid, lo, new, team, l)
        ), old AS (
            SELECT x.id, x.professional_id AS pid, x.during, pr.ref, tm.name AS team
              FROM kbs.membership x
              JOIN kbs.professional pr ON pr.id = x.professional_id
              JOIN kbs.team tm ON tm.id = x.team_id
             WHERE pr.municipality = import_people.municipality
               AND (upper_inf(x.during) OR upper(x.during) > as_of)
               AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.mid = x.id)
        ), nxt AS (             -- the earliest stint in the file after it
            SELECT DISTINCT ON (o.id) o.id, k.lo, k.new, k.team, k.l
              FROM old o JOIN kept k ON k.pid = o.pid AND k.lo > lower(o.during)
             ORDER BY o.id, k.lo, k.l
        ), ending AS (
            SELECT o.id, o.during, o.ref, o.team, n.new AS next_new, n.team AS next_team, n.l AS next_l,
                   least(upper(o.during), coalesce(n.lo, CASE WHEN lower(o.during) < as_of THEN as_of END)) AS new_upper
              FROM old o LEFT JOIN nxt n ON n.id = o.id
        ), upd AS (
            UPDATE kbs.membership x SET during = daterange(lower(x.during), e.new_upper)
              FROM ending e
             WHERE x.id = e.id AND e.new_upper IS NOT NULL AND upper(x.during) IS DISTINCT FROM e.new_upper
            RETURNING e.ref, e.team, lower(e.during) AS s, e.new_upper - 1 AS last_day, e.next_l, e.next_new, e.next_team
        )
        SELECT array_agg(upd.ref), array_agg(upd.team), array_agg(upd.s), array_agg(upd.last_day), array_agg(upd.next_l),
               array_agg(upd.next_new), array_agg(upd.next_team)
          INTO e_ref, e_team, e_start, e_last, e_next_line, e_next_new, e_next_team
          FROM upd;
        IF dry_run THEN
            RAISE EXCEPTION USING ERRCODE = 'KBSDR';
        END IF;
    EXCEPTION WHEN SQLSTATE 'KBSDR' THEN
        NULL;           -- the dry run's writes are undone; what they did is kept
    END;

    -- The changes: teams, people, then per row of the file (a new stint that
    -- follows an ended one is a move), then the departures, each in file order.
    WITH ended AS (
        SELECT * FROM unnest(e_ref, e_team, e_start, e_last, e_next_line, e_next_new, e_next_team)
                      u(ref, team, s, last_day, next_l, next_new, next_team)
    ), ch AS (
        SELECT 1 AS phase, u.l, 'team_added'::text AS change, u.team, NULL::text AS ref, u.s, NULL::date AS e,
               NULL::text AS detail
          FROM unnest(t_line, t_name, t_start) u(l, team, s)
        UNION ALL
        SELECT 2, u.l, u.change, NULL, u.ref, NULL, NULL, u.detail
          FROM unnest(p_line, p_change, p_ref, p_detail) u(l, change, ref, detail)
        UNION ALL
        SELECT 3, u.l,
               CASE WHEN NOT u.new THEN CASE WHEN u.e IS NULL THEN 'joined' ELSE 'left' END
                    WHEN EXISTS (SELECT 1 FROM ended d WHERE d.next_l = u.l AND d.next_new) THEN 'moved' ELSE 'joined' END,
               u.team, u.ref, u.lo, u.e,
               CASE WHEN NOT u.new AND u.e IS NULL THEN format('end date %s removed', u.old_upper - 1)
                    WHEN NOT u.new THEN format('end date set, was %s', coalesce((u.old_upper - 1)::text, 'open'))
                    ELSE (SELECT string_agg(format('from team "%s" (last day %s)', d.team, d.last_day), '; ' ORDER BY d.team)
                            FROM ended d WHERE d.next_l = u.l AND d.next_new) END
          FROM unnest(f_line, f_team, f_ref, r_lower, f_end, r_new, r_changed, r_old_upper)
               u(l, team, ref, lo, e, new, changed, old_upper)
         WHERE u.new OR u.changed
        UNION ALL
        SELECT 4, d.next_l, 'left', d.team, d.ref, d.s, d.last_day,
               CASE WHEN d.next_l IS NOT NULL THEN format('the day before the start in team "%s"', d.next_team)
                    ELSE format('not on the roster of %s', as_of) END
          FROM ended d
         WHERE NOT coalesce(d.next_new, false)
    )
    SELECT coalesce(array_agg(ch.change ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}'),
           coalesce(array_agg(ch.team ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}'),
           coalesce(array_agg(ch.ref ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}'),
           coalesce(array_agg(ch.s ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}'),
           coalesce(array_agg(ch.e ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}'),
           coalesce(array_agg(ch.detail ORDER BY ch.phase, ch.l, ch.ref, ch.team), '{}')
      INTO c_change, c_team, c_ref, c_start, c_end, c_detail
      FROM ch;

    written := cardinality(c_change);
    INSERT INTO kbs.import_log (kind, municipality, sha256, data_rows, dry_run, outcome, changes, detail)
    VALUES ('people', municipality, encode(sha256(convert_to(csv, 'UTF8')), 'hex'), ndata, dry_run,
            CASE WHEN dry_run THEN 'previewed' WHEN written = 0 THEN 'unchanged' ELSE 'imported' END, written,
            format('roster of %s', as_of));
    RETURN QUERY SELECT * FROM unnest(c_change, c_team, c_ref, c_start, c_end, c_detail);
END
$$;
COMMENT ON FUNCTION kbs.import_people(text, text, date, boolean) IS 'Importeert het personeelsbestand (CSV met kolommen team, ref/medewerker, discipline, start/begin, end/einde) als het volledige bestand van een gemeente op as_of: nieuwe teams en personen worden aangemaakt, wie naar een ander team gaat verlaat het oude de dag voor de start in het nieuwe, wie er niet meer in staat verlaat zijn team op as_of - 1. Geeft één rij per wijziging; met dry_run => true wordt niets vastgelegd. Hetzelfde bestand opnieuw wijzigt niets. Voor beheerders.';

-- Assessments ---------------------------------------------------------------------

-- The form (wide): the header is the row whose first field is "ref" (rows above
-- it, the form's ring, domain and block names, are skipped) and every other
-- column is a block code. A long list: columns ref, block and level in any
-- order. Levels 0-4 or na; an empty cell is not assessed.
CREATE FUNCTION kbs.import_assessments(data text, municipality text, assessed_on date, source text DEFAULT 'self',
                                       status text DEFAULT 'draft', round text DEFAULT NULL,
                                       dry_run boolean DEFAULT false)
RETURNS TABLE (file_row integer, file_line integer, ref text, professional_id integer, action text,
               blocks integer, not_applicable integer, replaced integer, assessment_id bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    ref_names constant text[] := ARRAY['ref', 'medewerker'];
    block_names constant text[] := ARRAY['block', 'bouwsteen'];
    level_names constant text[] := ARRAY['level', 'niveau'];
    what text := format('assessments of %s on %s', municipality, assessed_on);
    hstart integer;
    search text;
    occurrence integer;
    body text;
    lines_before integer;
    delim text;
    hline integer;
    header text[];      -- as written (trimmed): block codes
    hnames text[];      -- in lower case: column names
    ncols integer;
    wide boolean;
    pos_ref integer;
    pos_block integer;
    pos_level integer;
    problems kbs.import_problem[] := '{}';
    found_problems kbs.import_problem[];
    rid integer;
    r record;
    i integer;
    ndata integer;
    -- per person: ref, first row and line, professional, profile, counts, drafts
    p_ref text[];
    p_row integer[];
    p_line integer[];
    p_pid integer[];
    f_ref text[];
    f_profile kbs.profile[];
    f_blocks integer[];
    f_na integer[];
    col_ids smallint[];
    bmap jsonb;
    pmap jsonb;
    p_profile kbs.profile[];
    p_blocks integer[];
    p_na integer[];
    p_drafts integer[];
    p_changed integer[];
    p_first bigint[];
    new_pid integer[] := '{}';
    new_id bigint[] := '{}';
    written integer;
BEGIN
    IF data IS NULL OR municipality IS NULL OR assessed_on IS NULL OR source IS NULL OR status IS NULL
       OR dry_run IS NULL THEN
        RAISE EXCEPTION 'data, municipality, assessed_on, source, status and dry_run of kbs.import_assessments must not be null'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Only round may be null: assessments outside a round.';
    END IF;
    IF NOT (pg_catalog.pg_has_role(current_user, 'kbs_admin', 'MEMBER')
            OR pg_catalog.pg_has_role(current_user, 'kbs_coordinator', 'MEMBER')) THEN
        RAISE EXCEPTION 'permission denied to import assessments'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = format('Role %s is not a member of kbs_admin or kbs_coordinator.', current_user);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM kbs.municipality x WHERE x.code = import_assessments.municipality) THEN
        RAISE EXCEPTION 'unknown municipality "%"', municipality USING ERRCODE = 'no_data_found';
    END IF;
    -- Imports of one municipality one at a time: two would both add a draft.
    PERFORM pg_advisory_xact_lock(hashtext('kbs.import_assessments'), hashtext(municipality));

    -- The arguments: reported with the file's problems.
    IF NOT isfinite(assessed_on) THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, format('invalid assessment date %s', assessed_on), NULL)::kbs.import_problem;
    END IF;
    IF source NOT IN ('self', 'supervisor', 'peer', 'team') THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, format('unknown source "%s"', source),
            'The sources are self, supervisor, peer and team.')::kbs.import_problem;
    END IF;
    IF status NOT IN ('draft', 'final') THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, format('unknown status "%s"', status),
            'The status is draft or final.')::kbs.import_problem;
    END IF;
    IF round IS NOT NULL THEN
        SELECT x.id, x.peildatum, x.status INTO r FROM kbs.assessment_round x
         WHERE x.municipality = import_assessments.municipality AND x.name = btrim(import_assessments.round);
        IF NOT FOUND THEN
            problems := problems || ROW('P0002', NULL, NULL, NULL,
                format('round "%s" of %s does not exist', round, municipality), 'Open it with kbs.open_round().')::kbs.import_problem;
        ELSIF r.status = 'final' THEN
            problems := problems || ROW('55000', NULL, NULL, NULL, format('round "%s" of %s is final', round, municipality),
                'A final round takes no more assessments; open a new one.')::kbs.import_problem;
        ELSE
            rid := r.id;
            IF assessed_on > r.peildatum THEN
                problems := problems || ROW('22023', NULL, NULL, NULL,
                    format('assessment date %s is after the peildatum %s of round "%s"', assessed_on, r.peildatum, round),
                    'Assessments of a round date from on or before its peildatum.')::kbs.import_problem;
            END IF;
        END IF;
    END IF;

    -- The header: the first line that starts with "ref" (the form's rows above
    -- it are skipped, and may hold commas: the delimiter is the one after
    -- "ref"), else a first line that names ref, block and level in any order.
    -- A line inside a quoted cell of the rows above is no header: before a
    -- line that is, the quotes are even. (A regular expression works on a
    -- wide-character copy of its text: a prefix is searched first.)
    FOR i IN 1 .. 2 LOOP
        search := CASE WHEN i = 1 THEN left(data, 65536) ELSE data END;
        occurrence := 1;
        LOOP
            hstart := regexp_instr(search, '(?:^\uFEFF?|[\r\n])[ \t]*(?:ref|medewerker|"ref"|"medewerker")[ \t]*(?:[;,\r\n]|$)',
                                   1, occurrence, 0, 'i');
            EXIT WHEN hstart = 0;
            IF substr(search, hstart, 1) IN (E'\r', E'\n') THEN
                hstart := hstart + 1;
            END IF;
            -- the end of the prefix is no end of the line
            IF i = 1 AND length(search) < length(data) AND hstart > length(search) - 200 THEN
                hstart := 0;
                EXIT;
            END IF;
            EXIT WHEN (length(left(data, hstart - 1)) - length(replace(left(data, hstart - 1), '"', ''))) % 2 = 0;
            occurrence := occurrence + 1;
        END LOOP;
        EXIT WHEN hstart > 0;
    END LOOP;
    IF hstart > 0 THEN
        delim := (regexp_match(substr(data, hstart, 200), '^\uFEFF?[ \t]*(?:ref|medewerker|"ref"|"medewerker")[ \t]*([;,])', 'i'))[1];
        lines_before := regexp_count(left(data, hstart - 1), '\r\n|\r|\n');
        body := CASE WHEN hstart = 1 THEN data ELSE substr(data, hstart) END;
        SELECT ARRAY(SELECT btrim(f, E' \t') FROM unnest(c.fields) f) INTO header
          FROM kbs.csv_records(substring(body FROM '^[^\r\n]*'), delim) c;
        hline := lines_before + 1;
    ELSE
        lines_before := 0;
        body := data;
        SELECT c.line, ARRAY(SELECT btrim(f, E' \t') FROM unnest(c.fields) f) INTO hline, header
          FROM kbs.csv_records(data) c ORDER BY c.line LIMIT 1;
    END IF;
    hnames := coalesce(ARRAY(SELECT lower(h) FROM unnest(header) h), '{}');
    IF NOT (coalesce(hnames[1] = ANY (ref_names), false)
            OR (hnames && ref_names AND hnames && block_names AND hnames && level_names)) THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, 'no header row found',
            'The header is the row whose first field is "ref", followed by block codes (the form), or the columns ref, block and level (a long list).')::kbs.import_problem;
        PERFORM kbs.import_fail(problems, what);
    END IF;
    ncols := cardinality(header);
    wide := NOT (hnames && block_names AND hnames && level_names);
    IF wide THEN
        pos_ref := 1;
    ELSE
        FOR i IN 1 .. ncols LOOP
            IF hnames[i] = ANY (ref_names) AND pos_ref IS NULL THEN
                pos_ref := i;
            ELSIF hnames[i] = ANY (block_names) AND pos_block IS NULL THEN
                pos_block := i;
            ELSIF hnames[i] = ANY (level_names) AND pos_level IS NULL THEN
                pos_level := i;
            ELSE
                problems := problems || ROW('22023', 0, hline, i,
                    format('unknown or repeated column "%s" in a long list', header[i]),
                    'A long list has the columns ref, block and level.')::kbs.import_problem;
            END IF;
        END LOOP;
    END IF;

    -- The catalogue and the municipality's people as jsonb maps: a lookup is a
    -- binary search, and the planner, which cannot know how many rows a file
    -- holds, has no join over the cells to misjudge.
    -- (A retired block maps to its id negated.)
    SELECT jsonb_object_agg(b.code, CASE WHEN b.retired_in IS NULL THEN b.id ELSE -b.id END) INTO bmap FROM kbs.block b;
    SELECT coalesce(jsonb_object_agg(p.ref, p.id), '{}') INTO pmap
      FROM kbs.professional p WHERE p.municipality = import_assessments.municipality;
    -- The form: per column the block it assesses; none for an unknown, retired or
    -- repeated code (the header's problems).
    IF wide THEN
        col_ids := ARRAY(SELECT CASE WHEN h.k > 1 AND (bmap ->> h.code)::integer > 0
                                      AND h.k = min(h.k) OVER (PARTITION BY h.code)
                                     THEN (bmap ->> h.code)::smallint END
                           FROM unnest(header) WITH ORDINALITY h(code, k) ORDER BY h.k);
    END IF;

    -- One pass over the rows: every check, and the profiles of the cells that
    -- pass them. No profile can name a block twice: the form's profiles are
    -- per row, with the repeated columns left out; a long list's are built from
    -- one row per person and block.
    WITH filled AS MATERIALIZED (
        SELECT x.rowno, x.line, x.nf, x.ref, x.fields, x.code, x.value,
               CASE WHEN wide THEN btrim(array_to_string(x.fields[2:ncols], ''), E' \t') <> ''
                    ELSE x.nf = ncols AND x.value <> '' END AS has_level
          FROM (SELECT (c.n - 1)::integer AS rowno, c.line + lines_before AS line, cardinality(c.fields) AS nf,
                       coalesce(btrim(c.fields[pos_ref], E' \t'), '') AS ref,
                       CASE WHEN wide THEN c.fields END AS fields,
                       CASE WHEN NOT wide THEN btrim(c.fields[pos_block], E' \t') END AS code,
                       CASE WHEN NOT wide THEN btrim(c.fields[pos_level], E' \t') END AS value,
                       -- spreadsheets leave rows of empty cells: skipped
                       CASE WHEN btrim(c.fields[1], E' \t') <> '' THEN false
                            ELSE btrim(array_to_string(c.fields, ''), E' \t') = '' END AS blank
                  FROM kbs.csv_records(body, delim) WITH ORDINALITY c(line, fields, n)) x
         WHERE x.rowno > 0 AND NOT x.blank
    ), hcol AS MATERIALIZED (       -- the form's block columns
        SELECT (h.k + 1)::integer AS col, h.code, abs((bmap ->> h.code)::integer)::smallint AS block_id,
               (bmap ->> h.code)::integer < 0 AS retired,
               min(h.k + 1) OVER (PARTITION BY h.code)::integer AS first_col
          FROM unnest(header[2:]) WITH ORDINALITY h(code, k)
         WHERE wide
    ), cell AS MATERIALIZED (       -- wide: the filled-in cells; long: one per row
        SELECT y.rowno, y.line, y.ref, y.col, y.code, y.value, y.block_id, y.retired,
               CASE WHEN y.value IN ('0', '1', '2', '3', '4', 'na', 'NA', 'Na', 'nA') THEN lower(y.value) END AS level
          FROM (SELECT f.rowno, f.line, f.ref, (u.k + 1)::integer AS col, header[u.k + 1] AS code,
                       btrim(u.v, E' \t') AS value, col_ids[u.k + 1] AS block_id, false AS retired
                  FROM filled f CROSS JOIN LATERAL unnest(f.fields[2:]) WITH ORDINALITY u(v, k)
                 WHERE wide AND btrim(u.v, E' \t') <> ''
                UNION ALL
                SELECT f.rowno, f.line, f.ref, pos_level, f.code, f.value, abs(f.id)::smallint, f.id < 0
                  FROM (SELECT g.*, (bmap ->> g.code)::integer AS id FROM filled g
                         WHERE NOT wide AND g.nf = ncols) f) y
    ), person AS MATERIALIZED (
        SELECT f.ref, min(f.rowno) AS r, min(f.line) AS l, count(*) AS n, max(f.rowno) AS last_r, max(f.line) AS last_l,
               bool_or(f.has_level) AS has_level, (pmap ->> f.ref)::integer AS pid
          FROM filled f WHERE f.ref <> '' GROUP BY f.ref
    ), pair AS MATERIALIZED (       -- a long list: per person and block
        SELECT c.ref, c.block_id, count(*) AS n, min(c.level) AS level, min(c.rowno) AS r, min(c.line) AS l,
               max(c.rowno) AS last_r, max(c.line) AS last_l
          FROM cell c WHERE NOT wide AND c.ref <> '' AND c.block_id IS NOT NULL AND NOT c.retired
         GROUP BY c.ref, c.block_id
    ), prof AS MATERIALIZED (
        SELECT c.ref, kbs.profile_agg(c.block_id::integer, c.level) AS profile, count(*)::integer AS blocks,
               count(*) FILTER (WHERE c.level = 'na')::integer AS na
          FROM cell c
         WHERE wide AND c.level IS NOT NULL AND c.ref <> '' AND c.block_id IS NOT NULL
         GROUP BY c.rowno, c.ref
        UNION ALL
        SELECT p.ref, kbs.profile_agg(p.block_id::integer, p.level), count(*)::integer,
               count(*) FILTER (WHERE p.level = 'na')::integer
          FROM pair p
         WHERE p.level IS NOT NULL
         GROUP BY p.ref
    ), dup_cell AS (
        SELECT p.* FROM pair p WHERE p.n > 1
    ), found_problem AS (
        -- the form's header
        SELECT ROW('22023', 0, hline, h.col, format('column %s holds levels but no block code', h.col),
                   'Every column after "ref" starts with a block code.')::kbs.import_problem AS p
          FROM hcol h WHERE h.code = '' AND h.col IN (SELECT c.col FROM cell c WHERE c.code = '')
        UNION ALL
        SELECT ROW('23503', 0, hline, h.col, format('unknown block code "%s"', h.code),
                   'The block codes are in kbs.v_wheel (column block_code).')::kbs.import_problem
          FROM hcol h WHERE h.code <> '' AND h.block_id IS NULL
        UNION ALL
        SELECT ROW('22023', 0, hline, h.col, format('block "%s" is retired', h.code),
                   'Retired blocks are not assessed any more.')::kbs.import_problem
          FROM hcol h WHERE h.retired
        UNION ALL
        SELECT ROW('23505', 0, hline, h.col, format('block "%s" appears twice, in columns %s and %s', h.code, h.first_col, h.col),
                   'Give each block one column.')::kbs.import_problem
          FROM hcol h WHERE h.code <> '' AND h.col > h.first_col
        UNION ALL
        -- rows
        SELECT ROW('22P04', f.rowno, f.line, NULL, format('expected %s fields, found %s', ncols, f.nf), NULL)::kbs.import_problem
          FROM filled f
         WHERE CASE WHEN wide THEN f.nf > ncols AND btrim(array_to_string(f.fields[ncols + 1:], ''), E' \t') <> ''
                    ELSE f.nf <> ncols END
        UNION ALL
        SELECT ROW('23502', f.rowno, f.line, pos_ref, 'ref is empty', NULL)::kbs.import_problem
          FROM filled f WHERE f.ref = '' AND (wide OR f.nf = ncols)
        UNION ALL
        SELECT ROW('23505', pe.last_r, pe.last_l, pos_ref,
                   format('ref "%s" appears on %s rows; the first is row %s (line %s)', pe.ref, pe.n, pe.r, pe.l),
                   'Give each person one row.')::kbs.import_problem
          FROM person pe WHERE wide AND pe.n > 1
        UNION ALL
        -- the long list's blocks
        SELECT ROW('23502', c.rowno, c.line, pos_block, 'block is empty', NULL)::kbs.import_problem
          FROM cell c WHERE NOT wide AND c.code = ''
        UNION ALL
        SELECT ROW(CASE WHEN c.block_id IS NULL THEN '23503' ELSE '22023' END, c.rowno, c.line, pos_block,
                   CASE WHEN c.block_id IS NULL THEN format('unknown block code "%s"', c.code)
                        ELSE format('block "%s" is retired', c.code) END,
                   CASE WHEN c.block_id IS NULL THEN 'The block codes are in kbs.v_wheel (column block_code).'
                        ELSE 'Retired blocks are not assessed any more.' END)::kbs.import_problem
          FROM cell c
         WHERE NOT wide AND c.code <> '' AND (c.block_id IS NULL OR c.retired)
        UNION ALL
        SELECT ROW('23505', d.last_r, d.last_l, pos_block,
                   format('block "%s" for ref "%s" appears on %s rows; the first is row %s (line %s)',
                          (SELECT b.code FROM kbs.block b WHERE b.id = d.block_id), d.ref, d.n, d.r, d.l),
                   'Give each person and block one row.')::kbs.import_problem
          FROM dup_cell d
        UNION ALL
        -- levels
        SELECT ROW(CASE WHEN c.value ~ '^[+-]?[0-9]+$' THEN '22003' ELSE '22P02' END, c.rowno, c.line, c.col,
                   CASE WHEN c.value ~ '^[+-]?[0-9]+$'
                        THEN format('level %s for block "%s" is out of range', c.value, c.code)
                        ELSE format('invalid level "%s" for block "%s"', c.value, c.code) END,
                   'A level is 0, 1, 2, 3, 4 or na; leave the cell empty for not assessed.')::kbs.import_problem
          FROM cell c
         WHERE c.value <> '' AND c.level IS NULL AND c.col <= ncols AND c.code <> ''
        UNION ALL
        -- the people with at least one level
        SELECT ROW('23503', pe.r, pe.l, pos_ref, format('unknown ref "%s" in municipality %s', pe.ref, municipality),
                   'People come from the roster (kbs.import_people); a coordinator sees the people of the own teams only.')::kbs.import_problem
          FROM person pe WHERE pe.has_level AND pe.pid IS NULL
        UNION ALL
        SELECT ROW('23514', pe.r, pe.l, pos_ref, format('ref "%s" is not in a team on %s', pe.ref, assessed_on),
                   'Only members of a team on the assessment date are assessed.')::kbs.import_problem
          FROM person pe
         WHERE pe.has_level AND pe.pid IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM kbs.membership m
                            WHERE m.professional_id = pe.pid AND m.during @> import_assessments.assessed_on)
        UNION ALL
        SELECT ROW('23505', pe.r, pe.l, pos_ref,
                   format('ref "%s" already has a final assessment of %s from source %s (assessment %s)', pe.ref,
                          assessed_on, source, a.id),
                   'A final assessment is never overwritten; correct it by hand, or assess on another date.')::kbs.import_problem
          FROM person pe
          JOIN kbs.assessment a ON a.professional_id = pe.pid AND a.assessed_on = import_assessments.assessed_on
                               AND a.source = import_assessments.source AND a.status = 'final'
         WHERE pe.has_level
    )
    SELECT (SELECT count(*) FROM filled)::integer, ARRAY(SELECT x.p FROM found_problem x),
           (SELECT array_agg(pe.ref ORDER BY pe.r) FROM person pe), (SELECT array_agg(pe.r ORDER BY pe.r) FROM person pe),
           (SELECT array_agg(pe.l ORDER BY pe.r) FROM person pe), (SELECT array_agg(pe.pid ORDER BY pe.r) FROM person pe),
           (SELECT array_agg(f.ref) FROM prof f), (SELECT array_agg(f.profile) FROM prof f),
           (SELECT array_agg(f.blocks) FROM prof f), (SELECT array_agg(f.na) FROM prof f)
      INTO ndata, found_problems, p_ref, p_row, p_line, p_pid, f_ref, f_profile, f_blocks, f_na;
    problems := problems || found_problems;
    IF cardinality(problems) = 0 AND ndata = 0 THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, 'the file holds no assessments',
            'Put one row per person under the header.')::kbs.import_problem;
    END IF;
    PERFORM kbs.import_fail(problems, what);

    -- Per person: the profile, and the drafts of the same person, date and source.
    WITH person AS MATERIALIZED (
        SELECT u.o, u.pid, f.profile, coalesce(f.blocks, 0) AS blocks, coalesce(f.na, 0) AS na
          FROM unnest(p_ref, p_pid) WITH ORDINALITY u(ref, pid, o)
          LEFT JOIN unnest(f_ref, f_profile, f_blocks, f_na) f(ref, profile, blocks, na) ON f.ref = u.ref
    ), draft AS (
        SELECT pe.o, count(*)::integer AS drafts,
               count(*) FILTER (WHERE NOT (a.profile OPERATOR(kbs.=) pe.profile) OR import_assessments.status <> 'draft'
                                  OR a.round_id IS DISTINCT FROM rid)::integer AS changed,
               min(a.id) AS first_id
          FROM person pe
          JOIN kbs.assessment a ON a.professional_id = pe.pid
         WHERE a.assessed_on = import_assessments.assessed_on AND a.source = import_assessments.source
           AND a.status = 'draft'
         GROUP BY pe.o
    )
    SELECT array_agg(pe.profile ORDER BY pe.o), array_agg(pe.blocks ORDER BY pe.o), array_agg(pe.na ORDER BY pe.o),
           array_agg(coalesce(d.drafts, 0) ORDER BY pe.o), array_agg(coalesce(d.changed, 0) ORDER BY pe.o),
           array_agg(d.first_id ORDER BY pe.o)
      INTO p_profile, p_blocks, p_na, p_drafts, p_changed, p_first
      FROM person pe LEFT JOIN draft d ON d.o = pe.o;

    -- Write: replace the drafts that differ, add the rest. A dry run is undone.
    BEGIN
        UPDATE kbs.assessment a
           SET profile = u.profile, status = import_assessments.status, round_id = rid,
               validated_by = NULL, validated_at = NULL
          FROM unnest(p_pid, p_profile, p_changed) u(pid, profile, changed)
         WHERE u.profile IS NOT NULL AND u.changed > 0
           AND a.professional_id = u.pid AND a.assessed_on = import_assessments.assessed_on
           AND a.source = import_assessments.source AND a.status = 'draft';
        WITH ins AS (
            INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, round_id, profile)
            SELECT u.pid, import_assessments.assessed_on, import_assessments.source, import_assessments.status, rid, u.profile
              FROM unnest(p_pid, p_profile, p_drafts) WITH ORDINALITY u(pid, profile, drafts, o)
             WHERE u.profile IS NOT NULL AND u.drafts = 0
             ORDER BY u.o
            RETURNING kbs.assessment.professional_id, kbs.assessment.id)
        SELECT coalesce(array_agg(ins.professional_id), '{}'), coalesce(array_agg(ins.id), '{}') INTO new_pid, new_id FROM ins;
        IF dry_run THEN
            RAISE EXCEPTION USING ERRCODE = 'KBSDR';
        END IF;
    EXCEPTION WHEN SQLSTATE 'KBSDR' THEN
        new_id := ARRAY(SELECT NULL::bigint FROM unnest(new_pid));      -- not written
    END;

    written := (SELECT count(*) FROM unnest(p_profile, p_drafts, p_changed) u(profile, drafts, changed)
                 WHERE u.profile IS NOT NULL AND (u.drafts = 0 OR u.changed > 0));
    INSERT INTO kbs.import_log (kind, municipality, sha256, data_rows, dry_run, outcome, changes, detail)
    VALUES ('assessments', municipality, encode(sha256(convert_to(data, 'UTF8')), 'hex'), ndata, dry_run,
            CASE WHEN dry_run THEN 'previewed' WHEN written = 0 THEN 'unchanged' ELSE 'imported' END, written,
            format('%s layout; %s, source %s, status %s%s', CASE WHEN wide THEN 'wide' ELSE 'long' END, assessed_on,
                   source, status, CASE WHEN round IS NOT NULL THEN format(', round "%s"', btrim(round)) ELSE '' END));
    RETURN QUERY
    SELECT u.r, u.l, u.ref, u.pid,
           CASE WHEN u.profile IS NULL THEN 'skipped' WHEN u.drafts = 0 THEN 'added'
                WHEN u.changed > 0 THEN 'replaced' ELSE 'unchanged' END,
           u.blocks, u.na, CASE WHEN u.profile IS NULL THEN 0 ELSE u.changed END,
           CASE WHEN u.profile IS NULL THEN NULL WHEN u.drafts = 0 THEN n.id ELSE u.first_id END
      FROM unnest(p_ref, p_row, p_line, p_pid, p_profile, p_blocks, p_na, p_drafts, p_changed, p_first)
           u(ref, r, l, pid, profile, blocks, na, drafts, changed, first_id)
      LEFT JOIN unnest(new_pid, new_id) n(pid, id) ON n.pid = u.pid AND u.drafts = 0
     ORDER BY u.r;
END
$$;
COMMENT ON FUNCTION kbs.import_assessments(text, text, date, text, text, text, boolean) IS 'Importeert beoordelingen uit CSV: het formulier (kopregel begint met ref, daarna bouwsteencodes; regels erboven worden overgeslagen) of een lange lijst (ref, block, level). Niveaus 0-4 of na, leeg = niet beoordeeld. Alles wordt eerst gecontroleerd en alle problemen worden samen gemeld; alles of niets wordt vastgelegd. Concepten van dezelfde persoon, datum en bron worden vervangen, een definitieve beoordeling nooit. Geeft per persoon wat er is (of bij dry_run zou worden) gedaan.';

-- Needed knowledge ------------------------------------------------------------------

-- A team's requirement from CSV: block, level (1-4; empty = no requirement),
-- members (a number, or iedereen/all) and importance (1-3, default 2). The
-- period in force ends the day before valid_from; one starting on valid_from
-- is replaced.
CREATE FUNCTION kbs.import_requirement(data text, team_id integer, valid_from date, dry_run boolean DEFAULT false)
RETURNS TABLE (action text, team_requirement_id integer, starts_on date, ends_on date, entries integer,
               requirement kbs.requirement)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    names constant text[] := ARRAY['block', 'bouwsteen', 'level', 'niveau', 'members', 'leden', 'aantal', 'importance', 'belang'];
    cols constant text[] := ARRAY['block', 'block', 'level', 'level', 'members', 'members', 'members', 'importance', 'importance'];
    tm record;
    header text[];
    hline integer;
    col text;
    pos_block integer;
    pos_level integer;
    pos_members integer;
    pos_importance integer;
    problems kbs.import_problem[] := '{}';
    rec record;
    nrow integer := 0;
    ndata integer := 0;
    ok boolean;
    v_block text;
    v_level text;
    v_members text;
    v_importance text;
    b record;
    i integer;
    e_row integer[] := '{}';
    e_line integer[] := '{}';
    e_code text[] := '{}';
    e_block integer[] := '{}';
    e_level integer[] := '{}';
    e_members integer[] := '{}';
    e_importance integer[] := '{}';
    req kbs.requirement;
    cur record;
    same_start boolean;
    o_action text[] := '{}';
    o_id integer[] := '{}';
    o_start date[] := '{}';
    o_end date[] := '{}';
    o_entries integer[] := '{}';
    o_req kbs.requirement[] := '{}';
    new_id integer;
BEGIN
    IF data IS NULL OR team_id IS NULL OR valid_from IS NULL OR dry_run IS NULL THEN
        RAISE EXCEPTION 'data, team_id, valid_from and dry_run of kbs.import_requirement must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM kbs.require_admin('import a team requirement');
    SELECT t.id, t.municipality, t.name, t.active INTO tm FROM kbs.team t WHERE t.id = import_requirement.team_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'team % does not exist', team_id USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT isfinite(valid_from) THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, format('invalid date %s for valid_from', valid_from), NULL)::kbs.import_problem;
    ELSIF NOT tm.active @> valid_from THEN
        problems := problems || ROW('23514', NULL, NULL, NULL,
            format('team "%s" does not exist on %s (it exists %s)', tm.name, valid_from, tm.active), NULL)::kbs.import_problem;
    END IF;
    -- A later period cannot be ended the day before an earlier one starts.
    SELECT x.id, lower(x.during) AS lo INTO cur FROM kbs.team_requirement x
     WHERE x.team_id = import_requirement.team_id AND lower(x.during) > valid_from
     ORDER BY lower(x.during) LIMIT 1;
    IF FOUND THEN
        problems := problems || ROW('23P01', NULL, NULL, NULL,
            format('team "%s" already has a requirement from %s on (team requirement %s)', tm.name, cur.lo, cur.id),
            'Import from that date on, or remove the later requirement first.')::kbs.import_problem;
    END IF;

    FOR rec IN SELECT c.line, c.fields FROM kbs.csv_records(data) c ORDER BY c.line LOOP
        IF header IS NULL THEN
            header := ARRAY(SELECT lower(btrim(f, E' \t')) FROM unnest(rec.fields) f);
            hline := rec.line;
            FOR i IN 1 .. cardinality(header) LOOP
                col := cols[array_position(names, header[i])];
                IF col IS NULL THEN
                    problems := problems || ROW('22023', 0, hline, i, format('unknown column "%s"', header[i]),
                        'The columns are block, level, members and importance.')::kbs.import_problem;
                ELSIF (col = 'block' AND pos_block IS NOT NULL) OR (col = 'level' AND pos_level IS NOT NULL)
                   OR (col = 'members' AND pos_members IS NOT NULL) OR (col = 'importance' AND pos_importance IS NOT NULL) THEN
                    problems := problems || ROW('22023', 0, hline, i, format('column "%s" appears twice', col), NULL)::kbs.import_problem;
                ELSE
                    CASE col
                        WHEN 'block' THEN pos_block := i;
                        WHEN 'level' THEN pos_level := i;
                        WHEN 'members' THEN pos_members := i;
                        ELSE pos_importance := i;
                    END CASE;
                END IF;
            END LOOP;
            IF pos_block IS NULL OR pos_level IS NULL OR pos_members IS NULL THEN
                problems := problems || ROW('22023', 0, hline, NULL, 'the header needs the columns "block", "level" and "members"',
                    'The columns are block, level, members and importance (optional, default 2).')::kbs.import_problem;
            END IF;
            CONTINUE;
        END IF;
        nrow := nrow + 1;
        IF NOT EXISTS (SELECT 1 FROM unnest(rec.fields) f WHERE btrim(f, E' \t') <> '') THEN
            CONTINUE;
        END IF;
        ndata := ndata + 1;
        IF cardinality(rec.fields) <> cardinality(header) THEN
            problems := problems || ROW('22P04', nrow, rec.line, NULL,
                format('expected %s fields, found %s', cardinality(header), cardinality(rec.fields)), NULL)::kbs.import_problem;
            CONTINUE;
        END IF;
        IF pos_block IS NULL OR pos_level IS NULL OR pos_members IS NULL THEN
            CONTINUE;
        END IF;
        v_block := btrim(rec.fields[pos_block], E' \t');
        v_level := btrim(rec.fields[pos_level], E' \t');
        v_members := lower(btrim(rec.fields[pos_members], E' \t'));
        v_importance := coalesce(btrim(rec.fields[pos_importance], E' \t'), '');
        IF v_level = '' THEN
            CONTINUE;           -- no requirement for this block
        END IF;
        ok := true;
        SELECT x.id, x.retired_in INTO b FROM kbs.block x WHERE x.code = v_block;
        IF v_block = '' THEN
            problems := problems || ROW('23502', nrow, rec.line, pos_block, 'block is empty', NULL)::kbs.import_problem;
            ok := false;
        ELSIF b.id IS NULL THEN
            problems := problems || ROW('23503', nrow, rec.line, pos_block, format('unknown block code "%s"', v_block),
                'The block codes are in kbs.v_wheel (column block_code).')::kbs.import_problem;
            ok := false;
        ELSIF b.retired_in IS NOT NULL THEN
            problems := problems || ROW('22023', nrow, rec.line, pos_block, format('block "%s" is retired', v_block),
                'A retired block is not required any more.')::kbs.import_problem;
            ok := false;
        END IF;
        IF v_level !~ '^[1-4]$' THEN
            problems := problems || ROW(CASE WHEN v_level ~ '^[+-]?[0-9]+$' THEN '22003' ELSE '22P02' END,
                nrow, rec.line, pos_level,
                CASE WHEN v_level ~ '^[+-]?[0-9]+$' THEN format('level %s for block "%s" is out of range', v_level, v_block)
                     ELSE format('invalid level "%s" for block "%s"', v_level, v_block) END,
                'A required level is 1, 2, 3 or 4; leave it empty for no requirement.')::kbs.import_problem;
            ok := false;
        END IF;
        IF v_members = '' THEN
            problems := problems || ROW('23502', nrow, rec.line, pos_members,
                format('members for block "%s" is empty', v_block),
                'Give a number of members, or "iedereen" (all) for every member: there is no default.')::kbs.import_problem;
            ok := false;
        ELSIF v_members NOT IN ('iedereen', 'all') AND (v_members !~ '^[0-9]{1,9}$' OR v_members::integer < 1) THEN
            problems := problems || ROW(CASE WHEN v_members ~ '^[+-]?[0-9]+$' THEN '22003' ELSE '22P02' END,
                nrow, rec.line, pos_members,
                CASE WHEN v_members ~ '^[+-]?[0-9]+$' THEN format('members %s for block "%s" is out of range', v_members, v_block)
                     ELSE format('invalid members "%s" for block "%s"', v_members, v_block) END,
                'Give a number of members from 1 up, or "iedereen" (all) for every member.')::kbs.import_problem;
            ok := false;
        END IF;
        IF v_importance <> '' AND v_importance !~ '^[1-3]$' THEN
            problems := problems || ROW(CASE WHEN v_importance ~ '^[+-]?[0-9]+$' THEN '22003' ELSE '22P02' END,
                nrow, rec.line, pos_importance,
                CASE WHEN v_importance ~ '^[+-]?[0-9]+$' THEN format('importance %s for block "%s" is out of range', v_importance, v_block)
                     ELSE format('invalid importance "%s" for block "%s"', v_importance, v_block) END,
                'Importance is 1 (low), 2 (normal, the default) or 3 (high).')::kbs.import_problem;
            ok := false;
        END IF;
        IF ok THEN
            i := array_position(e_block, b.id::integer);
            IF i IS NOT NULL THEN
                problems := problems || ROW('23505', nrow, rec.line, pos_block,
                    format('block "%s" appears twice; the first is on row %s (line %s)', v_block, e_row[i], e_line[i]),
                    'Give each block one row.')::kbs.import_problem;
            ELSE
                e_row := e_row || nrow;
                e_line := e_line || rec.line;
                e_code := e_code || v_block;
                e_block := e_block || b.id::integer;
                e_level := e_level || v_level::integer;
                e_members := e_members || CASE WHEN v_members IN ('iedereen', 'all') THEN NULL ELSE v_members::integer END;
                e_importance := e_importance || coalesce(nullif(v_importance, '')::integer, 2);
            END IF;
        END IF;
    END LOOP;
    IF header IS NULL THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, 'the file is empty',
            'The first line is the header: block, level, members, importance.')::kbs.import_problem;
    ELSIF cardinality(problems) = 0 AND cardinality(e_block) = 0 THEN
        problems := problems || ROW('22023', NULL, NULL, NULL, 'the file holds no requirement',
            'Give a level for at least one block.')::kbs.import_problem;
    END IF;
    PERFORM kbs.import_fail(problems, format('requirement of team %s from %s', team_id, valid_from));

    SELECT kbs.requirement_agg(u.b, u.l, u.m, u.w) INTO req
      FROM unnest(e_block, e_level, e_members, e_importance) u(b, l, m, w);
    BEGIN
        -- Serialise with other changes to this team's requirement.
        PERFORM 1 FROM kbs.team t WHERE t.id = import_requirement.team_id FOR UPDATE;
        SELECT x.id, x.during, x.requirement INTO cur FROM kbs.team_requirement x
         WHERE x.team_id = import_requirement.team_id AND x.during @> valid_from;
        same_start := FOUND AND lower(cur.during) = valid_from;
        IF FOUND AND lower(cur.during) < valid_from THEN
            UPDATE kbs.team_requirement x SET during = daterange(lower(cur.during), valid_from) WHERE x.id = cur.id;
            o_action := o_action || 'ended'::text;
            o_id := o_id || cur.id;
            o_start := o_start || lower(cur.during);
            o_end := o_end || valid_from - 1;
            o_entries := o_entries || (SELECT count(*)::integer FROM kbs.entries(cur.requirement));
            o_req := o_req || cur.requirement;
        END IF;
        IF same_start THEN
            -- the period starts on valid_from: replace its requirement
            IF cur.requirement OPERATOR(kbs.=) req THEN
                o_action := o_action || 'unchanged'::text;
            ELSE
                UPDATE kbs.team_requirement x SET requirement = req WHERE x.id = cur.id;
                o_action := o_action || 'replaced'::text;
            END IF;
            o_id := o_id || cur.id;
            o_start := o_start || lower(cur.during);
            o_end := o_end || (upper(cur.during) - 1);
        ELSE
            INSERT INTO kbs.team_requirement (team_id, during, requirement)
            VALUES (import_requirement.team_id, daterange(valid_from, NULL), req) RETURNING id INTO new_id;
            o_action := o_action || 'added'::text;
            o_id := o_id || new_id;
            o_start := o_start || valid_from;
            o_end := o_end || NULL::date;
        END IF;
        o_entries := o_entries || cardinality(e_block);
        o_req := o_req || req;
        IF dry_run THEN
            RAISE EXCEPTION USING ERRCODE = 'KBSDR';
        END IF;
    EXCEPTION WHEN SQLSTATE 'KBSDR' THEN
        -- not written: a new period has no number yet
        o_id := ARRAY(SELECT CASE WHEN a = 'added' THEN NULL ELSE x END FROM unnest(o_action, o_id) u(a, x));
    END;

    INSERT INTO kbs.import_log (kind, municipality, team_id, sha256, data_rows, dry_run, outcome, changes, detail)
    VALUES ('requirement', tm.municipality, tm.id, encode(sha256(convert_to(data, 'UTF8')), 'hex'), ndata, dry_run,
            CASE WHEN dry_run THEN 'previewed' WHEN o_action = ARRAY['unchanged'] THEN 'unchanged' ELSE 'imported' END,
            (SELECT count(*)::integer FROM unnest(o_action) a WHERE a <> 'unchanged'),
            format('%s entries from %s', cardinality(e_block), valid_from));
    RETURN QUERY SELECT * FROM unnest(o_action, o_id, o_start, o_end, o_entries, o_req);
END
$$;
COMMENT ON FUNCTION kbs.import_requirement(text, integer, date, boolean) IS 'Zet de eis van een team uit CSV (kolommen block, level 1-4 of leeg, members als getal of iedereen/all, importance 1-3 standaard 2) vanaf valid_from; de lopende periode eindigt de dag ervoor, een periode die op valid_from begint wordt vervangen. Alles wordt eerst gecontroleerd en alle problemen worden samen gemeld. Geeft wat er is (of bij dry_run zou worden) gedaan. Voor beheerders.';

-- sql/77_training_demand.sql
-- The training demand across a municipality's teams, for trainers and coaches:
-- per block and target level, the people with an open plan item, by status and
-- due quarter, and the teams involved. An aggregate view like those of
-- sql/74_views.sql: it runs with its owner's rights, shows the municipalities
-- granted to the reader, and a cell of fewer than k = min_group_size people is
-- suppressed (NULL, suppressed = true) for a reader without person-level access
-- to every team in it.

CREATE VIEW kbs.v_training_demand WITH (security_barrier = true) AS
WITH item AS (
    SELECT t.municipality, i.team_id, i.professional_id, i.block_id, i.target_level, i.status,
           date_trunc('quarter', i.due_on)::date AS due_quarter, a.person_access
      FROM kbs.plan_item i
      JOIN kbs.team t ON t.id = i.team_id
      JOIN kbs.team_access a ON a.team_id = i.team_id
      JOIN kbs.municipality_access ma ON ma.municipality = t.municipality
     WHERE ma.visible
       AND i.status IN ('proposed', 'planned', 'in_progress')
       AND i.professional_id IS NOT NULL      -- team actions (recruiting) are no training
       AND i.created_on <= kbs.as_of()
), cell AS (
    SELECT x.municipality, x.block_id, x.target_level, x.status, x.due_quarter,
           count(DISTINCT x.professional_id)::integer AS people, count(DISTINCT x.team_id)::integer AS teams,
           bool_and(x.person_access) AS person_access
      FROM item x
     GROUP BY x.municipality, x.block_id, x.target_level, x.status, x.due_quarter
)
SELECT kbs.as_of() AS peildatum, c.municipality AS municipality_code, m.name AS municipality_name,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       c.block_id::integer AS block_id, w.block_code, w.block_name,
       c.target_level::integer AS target_level, sl.label AS target_level_label,
       c.status AS status_code,
       CASE c.status WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland' WHEN 'in_progress' THEN 'bezig' END
           AS status_label,
       c.due_quarter, to_char(c.due_quarter, 'YYYY') || '-K' || to_char(c.due_quarter, 'Q') AS due_quarter_label,
       CASE WHEN s.shown THEN c.people END AS people,
       CASE WHEN s.shown THEN c.teams END AS teams,
       NOT s.shown AS suppressed
  FROM cell c
  JOIN kbs.municipality m ON m.code = c.municipality
  LEFT JOIN kbs.wheel w ON w.block_id = c.block_id
  LEFT JOIN kbs.scale_labels sl ON sl.level = c.target_level
 CROSS JOIN LATERAL (SELECT c.person_access OR c.people >= kbs.setting_integer('min_group_size') AS shown) s;
COMMENT ON VIEW kbs.v_training_demand IS 'Scholingsvraag voor trainers en opleiders: per gemeente, bouwsteen en beoogd niveau het aantal mensen met een open scholingsactie (voorgesteld, gepland of bezig), naar status en kwartaal van de streefdatum, en het aantal teams waar zij werken. Teamacties zonder persoon tellen niet mee. Op de peildatum kbs.as_of() (standaard vandaag): acties aangemaakt tot die datum, met hun huidige status. Een cel met minder dan k (instelling min_group_size) mensen is onderdrukt (leeg, suppressed = waar) voor wie niet van elk team in de cel persoonsgegevens mag zien. Voor beleid, coördinatoren en beheerders.';
COMMENT ON COLUMN kbs.v_training_demand.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_training_demand.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_training_demand.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_training_demand.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_training_demand.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_training_demand.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_training_demand.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_training_demand.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg buiten algemene en specifieke kennis.';
COMMENT ON COLUMN kbs.v_training_demand.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_training_demand.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_training_demand.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.target_level IS 'Het beoogde niveau (1 tot en met 4).';
COMMENT ON COLUMN kbs.v_training_demand.target_level_label IS 'Benaming van het beoogde niveau.';
COMMENT ON COLUMN kbs.v_training_demand.status_code IS 'Status van de acties: proposed, planned of in_progress.';
COMMENT ON COLUMN kbs.v_training_demand.status_label IS 'Benaming van de status: voorgesteld, gepland of bezig.';
COMMENT ON COLUMN kbs.v_training_demand.due_quarter IS 'Eerste dag van het kwartaal van de streefdatum.';
COMMENT ON COLUMN kbs.v_training_demand.due_quarter_label IS 'Het kwartaal van de streefdatum, bijvoorbeeld 2026-K3.';
COMMENT ON COLUMN kbs.v_training_demand.people IS 'Aantal mensen met zo''n open actie; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_training_demand.teams IS 'Aantal teams waar die mensen de actie hebben; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_training_demand.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn (minder dan k mensen); toon dan "onderdrukt", nooit 0.';

-- Privileges and row-level security, as sql/80_security.sql gives them.
GRANT ALL ON kbs.import_log, kbs.v_training_demand TO kbs_admin;
DO $$
BEGIN
    EXECUTE format('GRANT ALL ON SEQUENCE %s TO kbs_admin', pg_catalog.pg_get_serial_sequence('kbs.import_log', 'id'));
END
$$;
GRANT SELECT ON kbs.v_training_demand TO kbs_coordinator, kbs_policy;
GRANT INSERT ON kbs.import_log TO kbs_coordinator;

-- The import log: administrators read it; a coordinator only adds rows in its own name.
ALTER TABLE kbs.import_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_log_admin ON kbs.import_log TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY import_log_coordinator ON kbs.import_log FOR INSERT TO kbs_coordinator
    WITH CHECK (import_log.imported_by = current_user);


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
       c.published, NOT c.shown AS suppressed,
       -- Distinct people, so from the assessments on the peildatum, not from the snapshot's counts. Written
       -- out here rather than through kbs.member_profiles_at and kbs.person_set, which run with the reader's
       -- rights. A reader without person-level access sees it only for a published cell whose assessed
       -- members and assessments are still a set that was published (kbs.person_set's form).
       CASE WHEN c.requirement IS NOT NULL AND (c.person_access OR c.published) THEN
           (WITH mp AS (
                SELECT m.professional_id, e.id AS assessment_id, e.profile, p.anonymised
                  FROM kbs.membership m
                  JOIN kbs.professional p ON p.id = m.professional_id
                  LEFT JOIN LATERAL (
                      SELECT a.id, a.profile FROM kbs.assessment a
                       WHERE a.professional_id = m.professional_id AND a.status = 'final' AND a.assessed_on <= c.peildatum
                       ORDER BY a.assessed_on DESC, kbs.source_rank(a.source) DESC, a.id DESC
                       LIMIT 1) e ON true
                 WHERE m.team_id = c.team_id AND m.during @> c.peildatum)
            SELECT CASE WHEN c.person_access
                             OR EXISTS (SELECT 1 FROM kbs.published_set ps
                                         WHERE ps.team_id = c.team_id
                                           AND ps.persons = (SELECT coalesce(jsonb_object_agg(mp.professional_id::text,
                                                                 coalesce(to_jsonb(mp.assessment_id), '"removed"'::jsonb)),
                                                                 '{}'::jsonb)
                                                               FROM mp WHERE mp.assessment_id IS NOT NULL OR mp.anonymised))
                        THEN (SELECT count(DISTINCT mp.professional_id)::integer
                                FROM mp CROSS JOIN LATERAL kbs.person_gaps(mp.profile, c.requirement) pg
                               WHERE pg.level IS NOT NULL) END)
       END AS members_below_floor,
       CASE WHEN c.shown THEN x.places_short END AS places_short
  FROM kbs.team_cell c
  LEFT JOIN LATERAL (
      SELECT sum(g.needed)::integer AS required, sum(least(g.present, g.needed))::integer AS present,
             sum(g.shortfall)::integer AS shortfall,
             count(*) FILTER (WHERE g.status = 'gap')::integer AS gap_blocks,
             count(*) FILTER (WHERE g.status = 'unknown')::integer AS unknown_blocks,
             count(*) FILTER (WHERE g.status = 'fragile')::integer AS fragile_blocks,
             sum(g.shortfall) FILTER (WHERE g.min_members IS NOT NULL)::integer AS places_short
        FROM kbs.gaps(c.coverage, c.requirement) g) x ON true;
COMMENT ON VIEW kbs.v_team_summary IS 'Per team en peildatum (momentopname) het overzicht: leden, beoordeeld, verouderd, eisen per status (tekort, onbekend, kwetsbaar), leden onder een ondergrens (personen), plaatsen tekort in de gedeelde dekking en vervullingsgraad, met en zonder ketenpartners. Alleen members, assessed, not_assessed, stale en members_below_floor tellen personen. Voor beleid en coördinatoren. Wie geen persoonsgegevens van het team mag zien, krijgt alleen gepubliceerde cijfers (minstens k beoordeelde leden, niet af te leiden); anders leeg met suppressed = waar.';
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
COMMENT ON COLUMN kbs.v_team_summary.shortfall IS 'Som van de tekorten over alle eisen (plaatsen, geen personen: wie bij drie eisen tekortschiet, telt drie keer); leeg als onderdrukt of zonder eis. Voor personen: members_below_floor; voor de gedeelde dekking: places_short.';
COMMENT ON COLUMN kbs.v_team_summary.gap_blocks IS 'Aantal eisen met een tekort (ook als alle niet-beoordeelde leden de eis zouden halen); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.unknown_blocks IS 'Aantal eisen met status onbekend: het tekort is niet groter dan het aantal leden dat er nog niet op beoordeeld is (nog te beoordelen); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fragile_blocks IS 'Aantal kwetsbare eisen (precies genoeg: één vertrek geeft een tekort); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment IS 'Vervullingsgraad (0 tot 1): aanwezig gedeeld door nodig; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment_with_partners IS 'Vervullingsgraad als de ketenpartners meetellen ("halen we erbij"); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_team_summary.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn (te weinig beoordeelde personen of af te leiden uit andere cijfers); toon dan "onderdrukt", nooit 0.';
COMMENT ON COLUMN kbs.v_team_summary.members_below_floor IS 'Leden onder een ondergrens (personen, elk één keer geteld): leden die op minstens één bouwsteen met een eis voor ieder lid beoordeeld zijn onder het vereiste niveau. Wie op die bouwsteen niet beoordeeld is, telt niet mee (nog te beoordelen). Uit de geldende beoordelingen op de peildatum; leeg als onderdrukt, zonder eis, of (zonder toegang tot persoonsgegevens) als de beoordelingen sinds de gepubliceerde momentopname zijn veranderd.';
COMMENT ON COLUMN kbs.v_team_summary.places_short IS 'Plaatsen tekort in de gedeelde dekking: de som van de tekorten over de eisen die het team samen moet dekken (een aantal leden op een niveau). Plaatsen, geen personen: één persoon kan meerdere plaatsen vullen. Leeg als onderdrukt of zonder eis.';

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
       (g.teams_included = 0) AS suppressed,
       (SELECT r.name FROM kbs.assessment_round r
         WHERE r.municipality = g.municipality AND r.peildatum = g.peildatum
         ORDER BY r.name LIMIT 1) AS round_name,
       (g.teams_included = g.teams) AS complete
  FROM kbs.municipality_group g
  JOIN kbs.municipality_access a ON a.municipality = g.municipality
 WHERE a.visible;
COMMENT ON VIEW kbs.v_municipality_domain_trend IS 'Trend per gemeente, peildatum en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied). Telt alleen de gepubliceerde cijfers van teams op (minstens k beoordeelde leden, niet af te leiden); teams die onderdrukt zijn tellen nergens mee, dus het verschil met de zichtbare teams is altijd nul. Zie teams_included en complete: een punt met minder teams is niet zonder meer te vergelijken. Voor beleid: de peildata van de beoordelingsronden (round_name niet leeg); de einden van maanden zijn er ook, voor coördinatoren.';
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
COMMENT ON COLUMN kbs.v_municipality_domain_trend.round_name IS 'Naam van de beoordelingsronde van de gemeente met deze peildatum (het officiële meetmoment); leeg bij een einde van een maand. Trends voor beleid: alleen de rijen met een ronde.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.complete IS 'Waar als alle teams met een momentopname meetellen (teams_included = teams). Onwaar: het punt telt minder teams dan de andere en is niet zonder meer te vergelijken; toon het anders ("x van y teams").';

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

-- Plans on a date (issue 13 §2-§5), which kbs.v_plan_progress reads.

CREATE FUNCTION kbs.plan_status_at(item kbs.plan_item, at date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE WHEN item.created_on IS NULL OR at IS NULL OR item.created_on > at THEN NULL
            WHEN item.status = 'done' AND item.done_on <= at THEN 'done'
            WHEN item.status IN ('done', 'in_progress') AND item.started_on <= at THEN 'in_progress'
            WHEN item.status IN ('done', 'in_progress') THEN 'planned'
            ELSE item.status END;
COMMENT ON FUNCTION kbs.plan_status_at(kbs.plan_item, date) IS 'De status van een scholingsactie op een datum, afgeleid uit haar data: leeg als ze toen nog niet bestond; afgerond vanaf de datum van afronden, bezig vanaf de startdatum, daarvoor gepland. Een vervallen actie telt als vervallen (de datum van vervallen wordt niet bijgehouden).';

CREATE FUNCTION kbs.plan_item_open(item kbs.plan_item, at date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce(kbs.plan_status_at(item, at) IN ('proposed', 'planned', 'in_progress'), false);
COMMENT ON FUNCTION kbs.plan_item_open(kbs.plan_item, date) IS 'Waar als de scholingsactie op de datum bestond en open was (voorgesteld, gepland of bezig); zie kbs.plan_status_at.';

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
                                          kbs.team_requirement_at(t.id, kbs.as_of()))::numeric, 4) AS fulfilment_with_partners,
       coalesce(i.open_departed, 0) AS open_departed
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
  LEFT JOIN LATERAL (
      -- Each item as it stood on the date; open items of people who are no longer members apart.
      SELECT count(*) FILTER (WHERE x.status <> 'cancelled')::integer AS items,
             count(*) FILTER (WHERE x.status = 'proposed' AND x.member)::integer AS proposed,
             count(*) FILTER (WHERE x.status = 'planned' AND x.member)::integer AS planned,
             count(*) FILTER (WHERE x.status = 'in_progress' AND x.member)::integer AS in_progress,
             count(*) FILTER (WHERE x.status = 'done')::integer AS done,
             count(*) FILTER (WHERE x.status = 'cancelled')::integer AS cancelled,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.member)::integer AS open,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.member
                                AND x.due_on < kbs.as_of())::integer AS overdue,
             count(DISTINCT x.professional_id) FILTER (WHERE x.status <> 'cancelled')::integer AS persons,
             count(*) FILTER (WHERE x.status <> 'cancelled' AND x.professional_id IS NULL)::integer AS team_actions,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND NOT x.member)::integer
                 AS open_departed
        FROM (SELECT kbs.plan_status_at(p, kbs.as_of()) AS status, p.due_on, p.professional_id,
                     (p.professional_id IS NULL
                      OR EXISTS (SELECT 1 FROM kbs.membership ms
                                  WHERE ms.professional_id = p.professional_id AND ms.team_id = p.team_id
                                    AND ms.during @> kbs.as_of())) AS member
                FROM kbs.plan_item p
               WHERE p.team_id = t.id AND p.created_on <= kbs.as_of()) x) i ON true
  LEFT JOIN LATERAL kbs.forecast(t.id, kbs.as_of()) f ON true
 WHERE t.active @> kbs.as_of();
COMMENT ON VIEW kbs.v_plan_progress IS 'Voortgang van het scholingsplan per team op de peildatum (kbs.as_of(), standaard vandaag): acties per status zoals die op de peildatum was (later gemaakte acties tellen niet mee), achterstallig, aandeel afgerond, open acties van vertrokken leden apart, en de vervullingsgraad nu, als alle open acties zijn afgerond, en met ketenpartners ("doen we zelf / halen we erbij"). Volgt uit individuele scholing en verandert dagelijks; daarom alleen voor coördinatoren van het team en beheerders, niet voor beleid.';
COMMENT ON COLUMN kbs.v_plan_progress.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.items IS 'Aantal scholingsacties die op de peildatum bestonden, zonder de vervallen (ook die van vertrokken leden).';
COMMENT ON COLUMN kbs.v_plan_progress.proposed IS 'Aantal voorgestelde acties op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.planned IS 'Aantal geplande acties op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.in_progress IS 'Aantal acties die bezig zijn op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.done IS 'Aantal acties afgerond op of voor de peildatum.';
COMMENT ON COLUMN kbs.v_plan_progress.cancelled IS 'Aantal vervallen acties.';
COMMENT ON COLUMN kbs.v_plan_progress.open IS 'Aantal open acties (voorgesteld, gepland of bezig) op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.overdue IS 'Aantal open acties waarvan de streefdatum voor de peildatum ligt op de peildatum, van leden en teamacties (zonder open_departed).';
COMMENT ON COLUMN kbs.v_plan_progress.done_share IS 'Aandeel afgerond van alle acties zonder de vervallen (0 tot 1); leeg zonder acties.';
COMMENT ON COLUMN kbs.v_plan_progress.persons IS 'Aantal professionals met een scholingsactie (zonder de vervallen).';
COMMENT ON COLUMN kbs.v_plan_progress.team_actions IS 'Aantal acties zonder persoon (bijvoorbeeld werven).';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_now IS 'Vervullingsgraad van het team nu (0 tot 1); leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_forecast IS 'Vervullingsgraad als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_now IS 'Totaal tekort nu; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_forecast IS 'Totaal tekort als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_with_partners IS 'Vervullingsgraad nu als de ketenpartners meetellen; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.open_departed IS 'Open acties van wie op de peildatum geen lid van het team meer is: apart gehouden, ze tellen niet in open, achterstallig of de prognose. Laten vervallen (status cancelled, met de reden in note) of overdragen.';

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
-- end of the objects recreated with kbs.gaps

-- issue 13 §2-§5: honest figures (units a reader can count, trends at the rounds, plans on a date, local aspects, T-shape without assessment)
-- kbs.plan_status_at and kbs.plan_item_open (plans on a date) and the final kbs.v_team_summary,
-- kbs.v_municipality_domain_trend and kbs.v_plan_progress are created above, with kbs.gaps.
-- Views gain columns at their end only, so CREATE OR REPLACE keeps grants and dependents.

CREATE OR REPLACE FUNCTION kbs.forecast(team_id integer, at date)
RETURNS TABLE (fulfilment_now double precision, fulfilment_forecast double precision,
               shortfall_now integer, shortfall_forecast integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH req AS (
        SELECT kbs.team_requirement_at(forecast.team_id, at) AS r
    ), raised AS (
        SELECT m.professional_id,
               (SELECT kbs.merge_max_agg(x.p) FROM (
                    SELECT coalesce(m.profile, '{}'::kbs.profile) AS p
                    UNION ALL
                    SELECT kbs.raise('{}'::kbs.profile, i.block_id, i.target_level)
                      FROM kbs.plan_item i
                     WHERE i.team_id = forecast.team_id AND i.professional_id = m.professional_id
                       AND kbs.plan_item_open(i, at)) x) AS p,
               m.profile AS now_p
          FROM kbs.member_profiles_at(forecast.team_id, at) m
    ), cov AS (
        SELECT kbs.coverage_agg(raised.now_p) AS now_c, kbs.coverage_agg(raised.p) AS fc_c FROM raised
    )
    SELECT kbs.fulfilment(cov.now_c, req.r), kbs.fulfilment(cov.fc_c, req.r),
           kbs.shortfall(cov.now_c, req.r), kbs.shortfall(cov.fc_c, req.r)
      FROM cov, req;
END;
COMMENT ON FUNCTION kbs.forecast(integer, date) IS 'Vervulling en tekort van een team op de datum, en als alle scholingsacties van leden die op die datum open waren zijn afgerond. Acties die later zijn gemaakt, acties van wie op de datum geen lid is en teamacties zonder persoon tellen niet mee.';

CREATE OR REPLACE VIEW kbs.v_member_shape WITH (security_invoker = true) AS
SELECT kbs.as_of() AS peildatum, t.municipality AS municipality_code, mu.name AS municipality_name,
       t.id AS team_id, t.name AS team_name,
       mp.professional_id, p.ref AS professional_ref, p.discipline,
       mp.assessed_on, mp.source AS source_code, kbs.source_label(mp.source) AS source_label, mp.stale,
       CASE WHEN mp.assessment_id IS NOT NULL THEN s.generic_met END AS generic_met,
       CASE WHEN mp.assessment_id IS NOT NULL THEN s.breadth END AS breadth,
       CASE WHEN mp.assessment_id IS NOT NULL THEN s.breadth_applicable END AS breadth_applicable,
       CASE WHEN mp.assessment_id IS NOT NULL THEN s.depth END AS depth,
       CASE WHEN mp.assessment_id IS NOT NULL THEN s.depth_domains END AS depth_domains,
       sh.code AS shape_code,
       CASE sh.code WHEN 'pi' THEN 'Π' WHEN 't' THEN 'T' WHEN 'i' THEN 'I' WHEN 'generalist' THEN 'generalist'
                    WHEN 'starter' THEN 'starter' ELSE 'niet beoordeeld' END AS shape,
       CASE sh.code WHEN 'pi' THEN 'Π-vorm: breed en in twee of meer leefgebieden diep'
                    WHEN 't' THEN 'T-vorm: breed en in één leefgebied diep'
                    WHEN 'i' THEN 'I-vorm: diep, maar nog niet breed'
                    WHEN 'generalist' THEN 'generalist: breed, nog nergens diep'
                    WHEN 'starter' THEN 'starter: nog niet breed en nergens diep'
                    ELSE 'niet beoordeeld' END AS shape_label
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
 CROSS JOIN LATERAL kbs.member_profiles_at(t.id, kbs.as_of()) mp
  JOIN kbs.professional p ON p.id = mp.professional_id
 CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE b.ring = 'generic' AND e.level >= 1)::integer AS generic_met,
             count(*) FILTER (WHERE b.ring = 'general' AND e.level >= 1)::integer AS breadth,
             (count(*) FILTER (WHERE b.ring = 'general')
              - count(*) FILTER (WHERE b.ring = 'general' AND e.applicable = false))::integer AS breadth_applicable,
             count(*) FILTER (WHERE b.ring = 'specific' AND e.level >= 3)::integer AS depth,
             string_agg(d.name, ', ' ORDER BY d.position) FILTER (WHERE b.ring = 'specific' AND e.level >= 3)
                 AS depth_domains
        FROM kbs.block b
        LEFT JOIN kbs.domain d ON d.code = b.domain
        LEFT JOIN LATERAL (SELECT x.level, x.applicable FROM kbs.entries(mp.profile) x WHERE x.block_id = b.id) e ON true
       WHERE b.shipped AND b.parent_id IS NULL AND b.ring IN ('generic', 'general', 'specific')) s
 CROSS JOIN LATERAL (
      SELECT CASE WHEN mp.assessment_id IS NULL THEN 'not_assessed'
                  WHEN s.breadth_applicable > 0 AND s.breadth = s.breadth_applicable
                      THEN CASE WHEN s.depth >= 2 THEN 'pi' WHEN s.depth = 1 THEN 't' ELSE 'generalist' END
                  WHEN s.depth >= 1 THEN 'i'
                  ELSE 'starter' END AS code) sh;
COMMENT ON VIEW kbs.v_member_shape IS 'T-profiel per teamlid op de peildatum (kbs.as_of(), standaard vandaag). Breedte: leefgebieden met algemene kennis op niveau 1 of hoger. Diepte: leefgebieden met specifieke kennis op niveau 3 of hoger. Breed = in elk leefgebied waar het van toepassing is algemene kennis op niveau 1 (de ondergrens). Vorm: Π = breed en twee of meer leefgebieden diep; T = breed en één diep; generalist = breed, nergens diep; I = diep maar niet breed; starter = niet breed en nergens diep. Persoonsgegevens: alleen voor coördinatoren van het team en beheerders. Bedoeld voor teamontwikkeling, niet voor beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_member_shape.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_member_shape.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_member_shape.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_member_shape.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_member_shape.professional_id IS 'Nummer van de professional.';
COMMENT ON COLUMN kbs.v_member_shape.professional_ref IS 'Pseudoniem van de professional.';
COMMENT ON COLUMN kbs.v_member_shape.discipline IS 'Discipline van de professional.';
COMMENT ON COLUMN kbs.v_member_shape.assessed_on IS 'Datum van de geldende beoordeling; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.source_code IS 'Bron van de geldende beoordeling: self, supervisor, peer of team.';
COMMENT ON COLUMN kbs.v_member_shape.source_label IS 'Benaming van de bron.';
COMMENT ON COLUMN kbs.v_member_shape.stale IS 'Waar als de geldende beoordeling verouderd is.';
COMMENT ON COLUMN kbs.v_member_shape.generic_met IS 'Aantal generieke competenties (van 7) op niveau 1 of hoger; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.breadth IS 'Breedte: aantal leefgebieden (van 7) met algemene kennis op niveau 1 of hoger; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.breadth_applicable IS 'Aantal leefgebieden waar algemene kennis voor deze persoon van toepassing is (7 min de niet van toepassing); leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.depth IS 'Diepte: aantal leefgebieden met specifieke kennis op niveau 3 of hoger; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.depth_domains IS 'De leefgebieden waarin de persoon diep is, in de volgorde van het karrenwiel.';
COMMENT ON COLUMN kbs.v_member_shape.shape_code IS 'Vorm: pi, t, i, generalist, starter of not_assessed.';
COMMENT ON COLUMN kbs.v_member_shape.shape IS 'Vorm als teken: Π, T, I, generalist of starter; niet beoordeeld zonder beoordeling (nooit leeg).';
COMMENT ON COLUMN kbs.v_member_shape.shape_label IS 'Uitleg van de vorm.';

CREATE OR REPLACE FUNCTION kbs.dashboard_municipality(municipality text, peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text;
    at date;
    old_as_of text := current_setting('kbs.as_of', true);
    plan jsonb;
    monthly jsonb;
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
                   'fulfilment_now', p.fulfilment_now, 'fulfilment_forecast', p.fulfilment_forecast,
                   'open_departed', p.open_departed)
                   ORDER BY p.team_name, p.team_id), '[]')
          INTO plan
          FROM kbs.v_plan_progress p
         WHERE p.municipality_code = dashboard_municipality.municipality;
        PERFORM set_config('kbs.as_of', coalesce(old_as_of, ''), true);
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'peildatum', t.peildatum, 'round_name', t.round_name, 'domain_code', t.domain_code,
                   'teams', t.teams, 'teams_included', t.teams_included, 'complete', t.complete,
                   'fulfilment', t.fulfilment, 'suppressed', t.suppressed)
                   ORDER BY t.peildatum, t.domain_position), '[]')
          INTO monthly
          FROM kbs.v_municipality_domain_trend t
         WHERE t.municipality_code = dashboard_municipality.municipality
           AND t.ring_code = 'specific' AND t.peildatum <= at;
    END IF;

    SELECT jsonb_build_object(
        'kind', 'municipality',
        'municipality', jsonb_build_object('code', municipality, 'name', m_name),
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        -- For policy: the assessment rounds' peildata (all peildata when the municipality has no rounds yet).
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', t.peildatum, 'round_name', t.round_name, 'ring_code', t.ring_code,
                         'domain_code', t.domain_code, 'domain_name', t.domain_name,
                         'domain_position', t.domain_position,
                         'teams', t.teams, 'teams_included', t.teams_included, 'complete', t.complete,
                         'members', t.members, 'required', t.required, 'present', t.present,
                         'fulfilment', t.fulfilment, 'carrier_share', t.carrier_share, 'suppressed', t.suppressed)
                         ORDER BY t.peildatum, t.ring_position, t.domain_position), '[]')
                    FROM kbs.v_municipality_domain_trend t
                   WHERE t.municipality_code = dashboard_municipality.municipality
                     AND t.ring_code IN ('general', 'specific') AND t.peildatum <= at
                     AND (t.round_name IS NOT NULL
                          OR NOT EXISTS (SELECT 1 FROM kbs.v_municipality_domain_trend r
                                          WHERE r.municipality_code = dashboard_municipality.municipality
                                            AND r.round_name IS NOT NULL AND r.peildatum <= at))),
        -- Month ends too, for coordinators and administrators.
        'trend_monthly', monthly,
        'teams', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'team_id', s.team_id, 'team_name', s.team_name, 'has_requirement', s.has_requirement,
                         'members', s.members, 'assessed', s.assessed, 'not_assessed', s.not_assessed,
                         'stale', s.stale, 'stale_share', s.stale_share, 'required', s.required,
                         'present', s.present, 'gap_blocks', s.gap_blocks, 'unknown_blocks', s.unknown_blocks,
                         'fragile_blocks', s.fragile_blocks, 'members_below_floor', s.members_below_floor,
                         'places_short', s.places_short, 'fulfilment', s.fulfilment,
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
COMMENT ON FUNCTION kbs.dashboard_municipality(text, date) IS 'Alle gegevens van het gemeentedashboard als jsonb, uit de BI-views: vervulling per leefgebied door de tijd, teams × leefgebieden, actualiteit van de beoordelingen en (voor coördinatoren en beheerders) de voortgang van het scholingsplan. Peildatum: de gevraagde momentopname, standaard de laatste. Met de rechten en onderdrukking van de lezer.';

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
                                          AND i.block_id = mb.block_id AND kbs.plan_item_open(i, at)) AS in_plan
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
            -- Items as they stood on the peildatum; those of people no longer in the team marked departed.
            'plan', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'id', x.id, 'block_id', x.block_id, 'block_name', x.block_name,
                           'target_level', x.target_level, 'professional_ref', x.professional_ref,
                           'due_on', x.due_on, 'status', x.st,
                           'status_label', CASE x.st WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland'
                                                     WHEN 'in_progress' THEN 'bezig' WHEN 'done' THEN 'afgerond'
                                                     ELSE 'vervallen' END,
                           'overdue', x.st IN ('proposed', 'planned', 'in_progress') AND x.due_on < at AND NOT x.departed,
                           'departed', x.departed)
                           ORDER BY x.departed, (x.st = 'done'), x.due_on, x.id), '[]')
                  FROM (SELECT i.id, i.block_id, b.name AS block_name, i.target_level, p.ref AS professional_ref,
                               i.due_on, kbs.plan_status_at(i, at) AS st,
                               (i.professional_id IS NOT NULL
                                AND kbs.plan_item_open(i, at)
                                AND NOT EXISTS (SELECT 1 FROM kbs.membership ms
                                                 WHERE ms.professional_id = i.professional_id
                                                   AND ms.team_id = i.team_id AND ms.during @> at)) AS departed
                          FROM kbs.plan_item i
                          JOIN kbs.block b ON b.id = i.block_id
                          LEFT JOIN kbs.professional p ON p.id = i.professional_id
                         WHERE i.team_id = dashboard_team.team_id AND i.created_on <= at) x
                 WHERE x.st <> 'cancelled'),
            'progress', (
                SELECT jsonb_build_object('items', p.items, 'proposed', p.proposed, 'planned', p.planned,
                                          'in_progress', p.in_progress, 'done', p.done, 'open', p.open,
                                          'overdue', p.overdue, 'done_share', p.done_share,
                                          'fulfilment_now', p.fulfilment_now,
                                          'fulfilment_forecast', p.fulfilment_forecast,
                                          'shortfall_now', p.shortfall_now, 'shortfall_forecast', p.shortfall_forecast,
                                          'fulfilment_with_partners', p.fulfilment_with_partners,
                                          'open_departed', p.open_departed)
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
                         'suppressed', coalesce(s.suppressed, false),
                         'aspects', (SELECT coalesce(jsonb_agg(a.block_name ORDER BY a.wheel_order), '[]')
                                       FROM kbs.v_wheel a
                                      WHERE a.parent_id = w.block_id AND NOT a.retired))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE w.depth = 0 AND NOT w.retired),
        -- The municipality's own blocks and aspects, where they sit in the wheel.
        'local', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'block_id', w.block_id, 'block_name', w.block_name, 'is_aspect', w.is_aspect,
                         'parent_name', pw.block_name, 'ring_code', w.ring_code, 'ring_name', w.ring_name,
                         'domain_position', w.domain_position, 'domain_name', w.domain_name,
                         'min_level', s.min_level, 'min_level_label', s.min_level_label,
                         'required', s.required, 'present', s.present, 'shortfall', s.shortfall,
                         'unassessed', s.unassessed, 'status_code', coalesce(s.status_code, 'none'),
                         'status_label', coalesce(s.status_label, 'geen eis'),
                         'suppressed', coalesce(s.suppressed, false))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_wheel pw ON pw.block_id = w.parent_id
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE NOT w.shipped AND NOT w.retired),
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
        -- Not known to fall short: the members not yet assessed on the block could make up the shortfall.
        'unknown', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'block_id', b.block_id, 'block_name', b.block_name, 'ring_name', b.ring_name,
                           'domain_name', b.domain_name, 'min_level', b.min_level,
                           'min_level_label', b.min_level_label, 'required', b.required, 'present', b.present,
                           'shortfall', b.shortfall, 'unassessed', b.unassessed)
                           ORDER BY b.wheel_order), '[]')
                      FROM kbs.v_team_block_status b
                     WHERE b.team_id = dashboard_team.team_id AND b.peildatum = at AND b.status_code = 'unknown'),
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
                         'gap_blocks', s.gap_blocks, 'unknown_blocks', s.unknown_blocks,
                         'fragile_blocks', s.fragile_blocks, 'members_below_floor', s.members_below_floor,
                         'places_short', s.places_short, 'suppressed', s.suppressed)
                         ORDER BY s.peildatum), '[]')
                    FROM kbs.v_team_summary s WHERE s.team_id = dashboard_team.team_id AND s.peildatum <= at),
        'person', person)
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_team(integer, date) IS 'Alle gegevens van het teamrapport als jsonb, uit de BI-views: karrenwiel (nodig en aanwezig per bouwsteen), tekorten, kwetsbare bouwstenen, ontwikkeling; voor coördinatoren van het team en beheerders ook scholingskandidaten, scholingsplan, zelf- naast leidinggevendebeoordeling en actualiteit per lid. Peildatum: de gevraagde momentopname, standaard de laatste.';
-- end of issue 13 §2-§5
-- issue 15: federation
-- The objects of sql/85_federation.sql, all new.

-- Federation (issue 15): a benchmark across municipalities that keep their own
-- databases. See README "Federation" and docs/privacy.md.
--
-- A member (municipal) database exports its published team cells in two views
-- that the benchmark's login (a kbs_policy login) reads through postgres_fdw:
-- kbs.v_export_cell (coverage and requirement of each published cell) and
-- kbs.v_export_group (the same cells summed per group of the wheel, computed
-- with the member's own catalogue, so local aspects count as they do there).
-- Nothing unpublished and nothing person-level is in them.
--
-- The benchmark database attaches one foreign table per member and view as a
-- partition of kbs.federation_cell / kbs.federation_group, keyed by member.
-- The foreign servers carry `extensions 'kennisbouwstenen'`, so the planner
-- ships our aggregates (kbs.coverage_merge_agg) and functions to the members,
-- and `async_capable 'true'`, so the members work at the same time. Each
-- server also sets the session setting kbs.federation_member on the member,
-- which fills the export views' column `member` (the partition key) with the
-- name the benchmark gave it: grouping by member then lets the planner push
-- every aggregate down (partitionwise aggregation).
--
-- postgres_fdw is needed in the benchmark database only; the extension does
-- not require it, and the federation functions say so when it is missing.

-- Member side ---------------------------------------------------------------------

-- Which municipalities the reader may export: those granted to it as a whole
-- (kbs.grant with a municipality, not just a team), or all for administrators.
-- The member decides: the benchmark's login sees a municipality once
-- INSERT INTO kbs.grant (role, municipality) names it.
CREATE VIEW kbs.export_access AS
SELECT m.code AS municipality
  FROM kbs.municipality m
 WHERE pg_catalog.pg_has_role(current_user, 'kbs_admin', 'MEMBER') OR kbs.granted(m.code, NULL);
COMMENT ON VIEW kbs.export_access IS 'Intern: de gemeenten die de huidige gebruiker mag exporteren naar een benchmark: met een toekenning op de hele gemeente in kbs.grant, of alle voor beheerders.';
COMMENT ON COLUMN kbs.export_access.municipality IS 'CBS-code van de gemeente.';

-- The member's name as the benchmark's connection announces it (the setting
-- kbs.federation_member, registered by the module: empty when not set), and our version.
CREATE VIEW kbs.v_export_cell WITH (security_barrier = true) AS
SELECT NULLIF(pg_catalog.current_setting('kbs.federation_member', true), '') AS member,
       (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'kennisbouwstenen') AS extension_version,
       c.municipality AS municipality_code, c.municipality_name, c.team_id AS team_key, c.peildatum,
       c.members, c.assessed, c.stale, c.coverage, c.requirement
  FROM kbs.snapshot_cell c
  JOIN kbs.export_access a ON a.municipality = c.municipality
 WHERE c.published;
COMMENT ON VIEW kbs.v_export_cell IS 'Export voor een benchmark (federatie): één rij per gepubliceerde teamcel (team op een peildatum met minstens k beoordeelde leden, niet af te leiden), met de dekking en de eis van het team. Niets ongepubliceerds en niets op persoonsniveau. Leesbaar voor beleid (kbs_policy), alleen voor de gemeenten die in kbs.grant als geheel aan de lezer zijn toegekend: de login van de benchmark is een kbs_policy-login met een toekenning per gemeente die gedeeld wordt.';
COMMENT ON COLUMN kbs.v_export_cell.member IS 'Naam die de benchmark deze database geeft (de sessie-instelling kbs.federation_member van zijn verbinding); leeg buiten een federatie.';
COMMENT ON COLUMN kbs.v_export_cell.extension_version IS 'Versie van de extensie kennisbouwstenen in deze database; de benchmark vergelijkt hem met de zijne.';
COMMENT ON COLUMN kbs.v_export_cell.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_export_cell.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_export_cell.team_key IS 'Nummer van het team in deze database (geen naam); telt teams, identificeert geen personen.';
COMMENT ON COLUMN kbs.v_export_cell.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.v_export_cell.members IS 'Aantal leden van het team.';
COMMENT ON COLUMN kbs.v_export_cell.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.v_export_cell.stale IS 'Aantal leden met een verouderde beoordeling.';
COMMENT ON COLUMN kbs.v_export_cell.coverage IS 'Dekking van het team (per bouwsteen het aantal leden per niveau); op te tellen met kbs.coverage_merge_agg.';
COMMENT ON COLUMN kbs.v_export_cell.requirement IS 'Geldende eis van het team.';

-- The same cells per group of the wheel (the sums kbs.snapshot_group makes).
CREATE VIEW kbs.v_export_group WITH (security_barrier = true) AS
SELECT NULLIF(pg_catalog.current_setting('kbs.federation_member', true), '') AS member,
       (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'kennisbouwstenen') AS extension_version,
       g.municipality AS municipality_code, m.name AS municipality_name, g.team_id AS team_key, g.peildatum,
       g.ring AS ring_code, g.domain AS domain_code, g.members, g.assessed, g.stale, g.carriers,
       g.blocks, g.required, g.present, g.shortfall, g.gap_blocks, g.unknown_blocks, g.fragile_blocks, g.worst
  FROM kbs.snapshot_group g
  JOIN kbs.municipality m ON m.code = g.municipality
  JOIN kbs.export_access a ON a.municipality = g.municipality
 WHERE g.published;
COMMENT ON VIEW kbs.v_export_group IS 'Export voor een benchmark (federatie): per gepubliceerde teamcel en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied) de opgetelde eisen en kennisdragers, berekend met de eigen catalogus (lokale aspecten tellen mee onder hun bouwsteen). Niets ongepubliceerds en niets op persoonsniveau; leesbaar voor beleid (kbs_policy), alleen voor de gemeenten die in kbs.grant als geheel aan de lezer zijn toegekend.';
COMMENT ON COLUMN kbs.v_export_group.member IS 'Naam die de benchmark deze database geeft (sessie-instelling kbs.federation_member); leeg buiten een federatie.';
COMMENT ON COLUMN kbs.v_export_group.extension_version IS 'Versie van de extensie kennisbouwstenen in deze database.';
COMMENT ON COLUMN kbs.v_export_group.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_export_group.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_export_group.team_key IS 'Nummer van het team in deze database (geen naam).';
COMMENT ON COLUMN kbs.v_export_group.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.v_export_group.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_export_group.domain_code IS 'Code van het leefgebied; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_export_group.members IS 'Aantal leden van het team.';
COMMENT ON COLUMN kbs.v_export_group.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.v_export_group.stale IS 'Aantal verouderde beoordelingen.';
COMMENT ON COLUMN kbs.v_export_group.carriers IS 'Aantal kennisdragers van de groep (algemene kennis niveau 1 of hoger, specifieke kennis niveau 3 of hoger); leeg bij andere lagen.';
COMMENT ON COLUMN kbs.v_export_group.blocks IS 'Aantal eisen in de groep.';
COMMENT ON COLUMN kbs.v_export_group.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.v_export_group.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.v_export_group.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.v_export_group.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.v_export_group.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen).';
COMMENT ON COLUMN kbs.v_export_group.fragile_blocks IS 'Aantal kwetsbare eisen.';
COMMENT ON COLUMN kbs.v_export_group.worst IS 'Slechtste status: 4 tekort, 3 onbekend, 2 kwetsbaar, 1 voldaan; leeg zonder eisen.';

-- Benchmark side ------------------------------------------------------------------

-- The members, as kbs.federation_add registered them (no password: that lives in
-- the user mapping, which only a superuser reads).
CREATE TABLE kbs.federation_member (
    name      text PRIMARY KEY CONSTRAINT federation_member_name CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    server    text NOT NULL UNIQUE,
    conninfo  text NOT NULL,
    login     text NOT NULL,
    added_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    added_by  text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE kbs.federation_member IS 'Benchmark: de aangesloten databases (leden van de federatie), bijgehouden door kbs.federation_add en kbs.federation_remove. Het wachtwoord staat niet hier maar in de user mapping van de foreign server.';
COMMENT ON COLUMN kbs.federation_member.name IS 'Naam van het lid (kleine letters, cijfers en _), ook de sleutel van de partities.';
COMMENT ON COLUMN kbs.federation_member.server IS 'Naam van de foreign server (kbs_member_<naam>).';
COMMENT ON COLUMN kbs.federation_member.conninfo IS 'Verbindingsgegevens zonder gebruiker en wachtwoord.';
COMMENT ON COLUMN kbs.federation_member.login IS 'De kbs_policy-login waarmee de benchmark bij het lid leest.';
COMMENT ON COLUMN kbs.federation_member.added_at IS 'Moment van aansluiten.';
COMMENT ON COLUMN kbs.federation_member.added_by IS 'Wie het lid heeft aangesloten.';
SELECT pg_catalog.pg_extension_config_dump('kbs.federation_member', '');

-- The members' export views, one foreign-table partition per member.
CREATE TABLE kbs.federation_cell (
    member            text NOT NULL,
    extension_version text,
    municipality_code text,
    municipality_name text,
    team_key          integer,
    peildatum         date,
    members           integer,
    assessed          integer,
    stale             integer,
    coverage          kbs.coverage,
    requirement       kbs.requirement
) PARTITION BY LIST (member);
COMMENT ON TABLE kbs.federation_cell IS 'Benchmark: de gepubliceerde teamcellen van alle leden (kbs.v_export_cell van elk lid), één foreign table per lid als partitie. Lees via de landelijke views.';
COMMENT ON COLUMN kbs.federation_cell.member IS 'Naam van het lid.';
COMMENT ON COLUMN kbs.federation_cell.extension_version IS 'Versie van de extensie bij het lid.';
COMMENT ON COLUMN kbs.federation_cell.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.federation_cell.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.federation_cell.team_key IS 'Nummer van het team bij het lid.';
COMMENT ON COLUMN kbs.federation_cell.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.federation_cell.members IS 'Aantal leden van het team.';
COMMENT ON COLUMN kbs.federation_cell.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.federation_cell.stale IS 'Aantal verouderde beoordelingen.';
COMMENT ON COLUMN kbs.federation_cell.coverage IS 'Dekking van het team.';
COMMENT ON COLUMN kbs.federation_cell.requirement IS 'Geldende eis van het team.';

CREATE TABLE kbs.federation_group (
    member            text NOT NULL,
    extension_version text,
    municipality_code text,
    municipality_name text,
    team_key          integer,
    peildatum         date,
    ring_code         text,
    domain_code       text,
    members           integer,
    assessed          integer,
    stale             integer,
    carriers          integer,
    blocks            integer,
    required          integer,
    present           integer,
    shortfall         integer,
    gap_blocks        integer,
    unknown_blocks    integer,
    fragile_blocks    integer,
    worst             integer
) PARTITION BY LIST (member);
COMMENT ON TABLE kbs.federation_group IS 'Benchmark: per gepubliceerde teamcel en groep van het karrenwiel de sommen van alle leden (kbs.v_export_group van elk lid), één foreign table per lid als partitie. Lees via de landelijke views.';
COMMENT ON COLUMN kbs.federation_group.member IS 'Naam van het lid.';
COMMENT ON COLUMN kbs.federation_group.extension_version IS 'Versie van de extensie bij het lid.';
COMMENT ON COLUMN kbs.federation_group.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.federation_group.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.federation_group.team_key IS 'Nummer van het team bij het lid.';
COMMENT ON COLUMN kbs.federation_group.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.federation_group.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.federation_group.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.federation_group.members IS 'Aantal leden.';
COMMENT ON COLUMN kbs.federation_group.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.federation_group.stale IS 'Aantal verouderde beoordelingen.';
COMMENT ON COLUMN kbs.federation_group.carriers IS 'Aantal kennisdragers.';
COMMENT ON COLUMN kbs.federation_group.blocks IS 'Aantal eisen.';
COMMENT ON COLUMN kbs.federation_group.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.federation_group.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.federation_group.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.federation_group.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.federation_group.unknown_blocks IS 'Aantal eisen met status onbekend.';
COMMENT ON COLUMN kbs.federation_group.fragile_blocks IS 'Aantal kwetsbare eisen.';
COMMENT ON COLUMN kbs.federation_group.worst IS 'Slechtste status: 4 tekort, 3 onbekend, 2 kwetsbaar, 1 voldaan.';

-- Errors first: postgres_fdw must be there, and a name must be a plain name.
CREATE FUNCTION kbs.federation_require_fdw() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'postgres_fdw') THEN
        RAISE EXCEPTION 'postgres_fdw is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'The benchmark database reads its members through postgres_fdw; member databases do not need it.',
                  HINT = 'As a superuser, run CREATE EXTENSION postgres_fdw; in the benchmark database.';
    END IF;
END
$$;
COMMENT ON FUNCTION kbs.federation_require_fdw() IS 'Intern: een duidelijke fout als postgres_fdw niet in deze (benchmark)database is geïnstalleerd.';

CREATE FUNCTION kbs.federation_check_name(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'the name of a federation member must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF name !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'invalid federation member name "%"', name
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A name starts with a lower-case letter and has at most 40 lower-case letters, digits and underscores.',
                  HINT = 'For example ''regio_noord'' or ''gm0307''.';
    END IF;
    RETURN name;
END
$$;
COMMENT ON FUNCTION kbs.federation_check_name(text) IS 'Intern: geeft de naam van een lid terug, of een fout als hij niet bestaat uit kleine letters, cijfers en _ (hoogstens 40, eerst een letter).';

-- conninfo "host=... port=... dbname=..." as (keyword, value) pairs, libpq's rules:
-- values may be single-quoted, with \' and \\ inside quotes.
CREATE FUNCTION kbs.federation_conninfo(conninfo text, OUT keyword text, OUT value text) RETURNS SETOF record
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pair_re constant text := '^(\s*([A-Za-z_]+)\s*=\s*(''(?:[^''\\]|\\.)*''|[^\s'']+))';
    rest text := conninfo;
    m text[];
    seen text[] := '{}';
BEGIN
    IF conninfo IS NULL THEN
        RAISE EXCEPTION 'conninfo must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF conninfo ~* '^\s*postgres(ql)?://' THEN
        RAISE EXCEPTION 'a connection URI is not supported here'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give keyword=value pairs, for example ''host=db.gemeente.nl port=5432 dbname=kennisbouwstenen''.';
    END IF;
    WHILE rest !~ '^\s*$' LOOP
        m := regexp_match(rest, pair_re);
        IF m IS NULL THEN
            RAISE EXCEPTION 'invalid conninfo near "%"', left(ltrim(rest), 30)
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Give keyword=value pairs separated by spaces; quote a value with spaces in single quotes.';
        END IF;
        rest := substr(rest, length(m[1]) + 1);
        keyword := lower(m[2]);
        value := CASE WHEN left(m[3], 1) = ''''
                      THEN regexp_replace(substr(m[3], 2, length(m[3]) - 2), '\\(.)', '\1', 'g')
                      ELSE m[3] END;
        IF keyword = ANY (seen) THEN
            RAISE EXCEPTION 'conninfo names "%" twice', keyword USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF keyword IN ('user', 'password', 'passfile') THEN
            RAISE EXCEPTION 'conninfo must not contain "%"', keyword
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Pass the member''s login and password as the arguments login and password; they go into a user mapping.';
        END IF;
        IF keyword = 'options' THEN
            RAISE EXCEPTION 'conninfo must not contain "options"'
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The benchmark sets the connection''s options itself (the member''s name, kbs.federation_member).';
        END IF;
        seen := seen || keyword;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION kbs.federation_conninfo(text) IS 'Intern: ontleedt verbindingsgegevens (sleutel=waarde, waarden eventueel tussen enkele aanhalingstekens) en weigert gebruiker, wachtwoord en options.';

-- The version of kennisbouwstenen here.
CREATE FUNCTION kbs.federation_local_version() RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'kennisbouwstenen');
COMMENT ON FUNCTION kbs.federation_local_version() IS 'Intern: de versie van de extensie kennisbouwstenen in deze database.';

-- Checks one row a member answered: its name, its version, and that no other
-- member answered for the same municipality. True, or an error naming the member.
CREATE FUNCTION kbs.federation_check_row(member text, extension_version text, municipality text,
                                         first_member text, last_member text) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    here text := kbs.federation_local_version();
BEGIN
    IF member IS NULL THEN
        RAISE EXCEPTION 'a federation member answered without its name'
            USING ERRCODE = 'data_exception',
                  DETAIL = 'Its export views left the column member empty.',
                  HINT = 'Read the members through the foreign tables kbs.federation_add creates.';
    END IF;
    IF extension_version IS DISTINCT FROM here THEN
        RAISE EXCEPTION 'federation member "%" runs kennisbouwstenen %, this database %', member,
                        coalesce(extension_version, '(none)'), here
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Figures from different versions are not comparable, so none are shown.',
                  HINT = 'Update the member and this database to the same version (ALTER EXTENSION kennisbouwstenen UPDATE), or remove the member with kbs.federation_remove.';
    END IF;
    IF first_member IS DISTINCT FROM last_member THEN
        RAISE EXCEPTION 'municipality % is in two federation members: "%" and "%"', municipality, first_member, last_member
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Its figures would count twice.',
                  HINT = 'Remove the municipality from one of the member databases, or remove one member with kbs.federation_remove.';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION kbs.federation_check_row(text, text, text, text, text) IS 'Intern: waar, of een fout die het lid noemt: een lid zonder naam, een lid met een andere versie van de extensie, of een gemeente die bij twee leden staat.';

-- Add a member: foreign server, user mapping, foreign tables attached as partitions.
-- SECURITY DEFINER: creating servers and attaching partitions needs the
-- extension owner's rights; EXECUTE is granted to kbs_admin only.
CREATE FUNCTION kbs.federation_add(name text, conninfo text, login text, password text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    server_name text;
    opts text := '';
    clean text := '';
    has_timeout boolean := false;
    kv record;
    remote_version text;
    here text := kbs.federation_local_version();
    clash record;
    municipalities integer;
    probe_refused boolean;
BEGIN
    PERFORM kbs.federation_check_name(name);
    IF conninfo IS NULL OR login IS NULL OR password IS NULL THEN
        RAISE EXCEPTION 'conninfo, login and password of a federation member must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF btrim(login) = '' THEN
        RAISE EXCEPTION 'the login of a federation member must not be empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Create a login on the member with CREATE ROLE ... LOGIN PASSWORD ... IN ROLE kbs_policy.';
    END IF;
    PERFORM kbs.federation_require_fdw();
    IF EXISTS (SELECT 1 FROM kbs.federation_member f WHERE f.name = federation_add.name) THEN
        RAISE EXCEPTION 'federation member "%" already exists', name USING ERRCODE = 'duplicate_object',
            HINT = 'Remove it first with kbs.federation_remove.';
    END IF;
    server_name := 'kbs_member_' || name;
    FOR kv IN SELECT * FROM kbs.federation_conninfo(conninfo) LOOP
        opts := opts || format('%I %L, ', kv.keyword, kv.value);
        clean := clean || format('%s=%s ', kv.keyword,
                                 CASE WHEN kv.value ~ '^[^\s''\\]+$' THEN kv.value
                                      ELSE '''' || replace(replace(kv.value, '\', '\\'), '''', '\''') || '''' END);
        has_timeout := has_timeout OR kv.keyword = 'connect_timeout';
    END LOOP;
    IF NOT has_timeout THEN
        opts := opts || 'connect_timeout ''10'', ';
    END IF;
    -- fdw_tuple_cost: a row over the network costs more than a row here, so the
    -- planner lets each member aggregate before sending.
    EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s extensions %L, async_capable %L, '
                   'fetch_size %L, fdw_tuple_cost %L, options %L)',
                   server_name, opts, 'kennisbouwstenen', 'true', '10000', '1', '-c kbs.federation_member=' || name);
    EXECUTE format('COMMENT ON SERVER %I IS %L', server_name,
                   format('Lid "%s" van de federatie van kennisbouwstenen (kbs.federation_add).', name));
    EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (user %L, password %L)',
                   server_name, login, password);
    -- The member's version, from its catalogue: readable by any login and
    -- there in every version, so an old member is recognised, not misread.
    EXECUTE format('CREATE FOREIGN TABLE kbs.%I (extname name, extversion text) SERVER %I '
                   'OPTIONS (schema_name %L, table_name %L)',
                   'federation_extension_' || name, server_name, 'pg_catalog', 'pg_extension');
    BEGIN
        EXECUTE format('SELECT extversion FROM kbs.%I WHERE extname = %L', 'federation_extension_' || name,
                       'kennisbouwstenen') INTO remote_version;
    EXCEPTION WHEN sqlclient_unable_to_establish_sqlconnection OR connection_exception THEN
        RAISE EXCEPTION 'federation member "%" is not reachable', name
            USING ERRCODE = 'sqlclient_unable_to_establish_sqlconnection', DETAIL = SQLERRM,
                  HINT = 'Check the conninfo, the login and password, and that the member accepts connections from here (pg_hba.conf).';
    END;
    IF remote_version IS NULL THEN
        RAISE EXCEPTION 'federation member "%" has no extension kennisbouwstenen', name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Check that the conninfo names the municipality''s database.';
    END IF;
    IF remote_version <> here THEN
        RAISE EXCEPTION 'federation member "%" runs kennisbouwstenen %, this database %', name, remote_version, here
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Figures from different versions are not comparable.',
                  HINT = 'Update the member and this database to the same version (ALTER EXTENSION kennisbouwstenen UPDATE).';
    END IF;
    -- The login must not read person-level rows: the user mapping belongs to the
    -- extension's owner, so postgres_fdw would not insist on a password, and
    -- only this check keeps an administrator's or coordinator's login (or a
    -- superuser's) out. A kbs_policy login is refused kbs.assessment.
    EXECUTE format('CREATE FOREIGN TABLE kbs.%I (id integer) SERVER %I OPTIONS (schema_name %L, table_name %L)',
                   'federation_probe_' || name, server_name, 'kbs', 'assessment');
    BEGIN
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM kbs.%I LIMIT 1) x', 'federation_probe_' || name);
        probe_refused := false;
    EXCEPTION WHEN insufficient_privilege THEN
        probe_refused := true;
    END;
    EXECUTE format('DROP FOREIGN TABLE kbs.%I', 'federation_probe_' || name);
    IF NOT probe_refused THEN
        RAISE EXCEPTION 'the login "%" of federation member "%" may read person-level rows', login, name
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'It may read kbs.assessment on the member.',
                  HINT = 'Give the benchmark a login of its own that is a member of kbs_policy only: CREATE ROLE ... LOGIN PASSWORD ... IN ROLE kbs_policy.';
    END IF;
    EXECUTE format('CREATE FOREIGN TABLE kbs.%I PARTITION OF kbs.federation_cell FOR VALUES IN (%L) SERVER %I '
                   'OPTIONS (schema_name %L, table_name %L)',
                   'federation_cell_' || name, name, server_name, 'kbs', 'v_export_cell');
    EXECUTE format('CREATE FOREIGN TABLE kbs.%I PARTITION OF kbs.federation_group FOR VALUES IN (%L) SERVER %I '
                   'OPTIONS (schema_name %L, table_name %L)',
                   'federation_group_' || name, name, server_name, 'kbs', 'v_export_group');
    -- The login must read the export (a kbs_policy login) and nothing else is asked of it.
    BEGIN
        EXECUTE format('SELECT count(DISTINCT municipality_code) FROM kbs.%I', 'federation_cell_' || name) INTO municipalities;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the login "%" may not read the export of federation member "%"', login, name
            USING ERRCODE = 'insufficient_privilege', DETAIL = SQLERRM,
                  HINT = 'On the member: GRANT kbs_policy TO the login.';
    END;
    -- A municipality belongs to one member.
    SELECT n.municipality_code, o.member INTO clash
      FROM (SELECT DISTINCT c.municipality_code FROM kbs.federation_cell c WHERE c.member = federation_add.name) n
      JOIN (SELECT DISTINCT c.municipality_code, c.member FROM kbs.federation_cell c WHERE c.member <> federation_add.name) o
        ON o.municipality_code = n.municipality_code
     ORDER BY 1, 2 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'municipality % is in two federation members: "%" and "%"', clash.municipality_code, clash.member, name
            USING ERRCODE = 'unique_violation',
                  HINT = 'A municipality belongs to one member database.';
    END IF;
    INSERT INTO kbs.federation_member (name, server, conninfo, login) VALUES (name, server_name, rtrim(clean), login);
    -- The national views group by member, so that each member aggregates its own
    -- rows (partitionwise aggregation, pushed down by postgres_fdw).
    EXECUTE format('ALTER DATABASE %I SET enable_partitionwise_aggregate = on', current_database());
    PERFORM set_config('enable_partitionwise_aggregate', 'on', false);
    RETURN municipalities;
END
$$;
COMMENT ON FUNCTION kbs.federation_add(text, text, text, text) IS 'Benchmark: sluit een gemeentelijke database aan als lid van de federatie: foreign server (postgres_fdw, met extensions ''kennisbouwstenen'' en async_capable), user mapping met login en wachtwoord van een kbs_policy-login bij het lid, en foreign tables op kbs.v_export_cell en kbs.v_export_group als partities van kbs.federation_cell en kbs.federation_group. Controleert bereikbaarheid, versie, dat de login geen persoonsgegevens kan lezen, en dubbele gemeenten. Zet enable_partitionwise_aggregate aan voor deze database. Alleen voor beheerders (kbs_admin). Geeft het aantal gemeenten van het lid.';

CREATE FUNCTION kbs.federation_remove(name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET client_min_messages = warning
AS $$
DECLARE
    server_name text;
BEGIN
    PERFORM kbs.federation_check_name(name);
    PERFORM kbs.federation_require_fdw();
    SELECT f.server INTO server_name FROM kbs.federation_member f WHERE f.name = federation_remove.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'federation member "%" does not exist', name USING ERRCODE = 'undefined_object',
            HINT = 'SELECT member FROM kbs.federation_status() lists the members.';
    END IF;
    EXECUTE format('DROP FOREIGN TABLE IF EXISTS kbs.%I, kbs.%I, kbs.%I', 'federation_cell_' || name,
                   'federation_group_' || name, 'federation_extension_' || name);
    -- Every user mapping of the server goes with it; the member is left untouched.
    EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', server_name);
    DELETE FROM kbs.federation_member f WHERE f.name = federation_remove.name;
END
$$;
COMMENT ON FUNCTION kbs.federation_remove(text) IS 'Benchmark: koppelt een lid los: de foreign tables, de user mapping en de foreign server verdwijnen; de database van het lid blijft onaangeroerd. Alleen voor beheerders (kbs_admin).';

CREATE FUNCTION kbs.federation_status()
    RETURNS TABLE (member text, conninfo text, reachable boolean, extension_version text, version_matches boolean,
                   municipalities text[], teams integer, last_peildatum date, problem text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
    here text := kbs.federation_local_version();
    found_rows jsonb := '[]';
    r jsonb;
    twice text;
BEGIN
    PERFORM kbs.federation_require_fdw();
    -- Each member on its own: one that is down or answers wrongly is reported, not raised.
    FOR f IN SELECT * FROM kbs.federation_member ORDER BY name LOOP
        reachable := NULL;
        extension_version := NULL;
        municipalities := NULL;
        teams := NULL;
        last_peildatum := NULL;
        problem := NULL;
        BEGIN
            EXECUTE format('SELECT extversion FROM kbs.%I WHERE extname = %L', 'federation_extension_' || f.name,
                           'kennisbouwstenen') INTO extension_version;
            reachable := true;
            IF extension_version IS DISTINCT FROM here THEN
                problem := format('runs kennisbouwstenen %s, this database %s', coalesce(extension_version, '(none)'), here);
            ELSE
                EXECUTE format('SELECT coalesce(array_agg(DISTINCT municipality_code ORDER BY municipality_code), ''{}''), '
                               'count(DISTINCT (municipality_code, team_key))::integer, max(peildatum) FROM kbs.%I',
                               'federation_cell_' || f.name)
                   INTO municipalities, teams, last_peildatum;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            reachable := coalesce(reachable, false);
            problem := SQLERRM;
        END;
        found_rows := found_rows || jsonb_build_object(
            'member', f.name, 'conninfo', f.conninfo, 'reachable', reachable, 'extension_version', extension_version,
            'municipalities', to_jsonb(municipalities), 'teams', teams, 'last_peildatum', last_peildatum,
            'problem', problem);
    END LOOP;
    FOR r IN SELECT value FROM jsonb_array_elements(found_rows) LOOP
        member := r->>'member';
        conninfo := r->>'conninfo';
        reachable := (r->>'reachable')::boolean;
        extension_version := r->>'extension_version';
        version_matches := CASE WHEN reachable THEN extension_version IS NOT DISTINCT FROM here END;
        municipalities := ARRAY(SELECT jsonb_array_elements_text(CASE jsonb_typeof(r->'municipalities')
                                                                      WHEN 'array' THEN r->'municipalities' END));
        IF jsonb_typeof(r->'municipalities') IS DISTINCT FROM 'array' THEN
            municipalities := NULL;
        END IF;
        teams := (r->>'teams')::integer;
        last_peildatum := (r->>'last_peildatum')::date;
        problem := r->>'problem';
        -- A municipality that another member also has.
        SELECT string_agg(format('municipality %s is also in member "%s"', m.code, o->>'member'), '; '
                          ORDER BY m.code, o->>'member')
          INTO twice
          FROM unnest(municipalities) m(code)
          JOIN jsonb_array_elements(found_rows) o
            ON o->>'member' <> member AND jsonb_typeof(o->'municipalities') = 'array'
           AND o->'municipalities' ? m.code;
        IF twice IS NOT NULL THEN
            problem := concat_ws('; ', problem, twice);
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION kbs.federation_status() IS 'Benchmark: per lid de verbindingsgegevens (zonder wachtwoord), of het bereikbaar is, de versie van de extensie en of die gelijk is aan de eigen, de gemeenten, het aantal teams met gepubliceerde cijfers, de laatste peildatum, en een probleem (onbereikbaar, andere versie, een gemeente die ook bij een ander lid staat). Een lid dat niet antwoordt geeft een rij met reachable = onwaar, geen fout.';

-- National views ------------------------------------------------------------------
--
-- Every figure is summed from published team cells only, as in the BI views.
-- The members aggregate their own rows (GROUP BY member, pushed down); each
-- answered row is checked (kbs.federation_check_row): a member on another
-- version or a municipality at two members is an error, never a silently
-- different total. A member that is down is postgres_fdw's error naming its
-- server, kbs_member_<name>; kbs.federation_status() says which one.

-- Per member, municipality, peildatum and group of the wheel.
CREATE VIEW kbs.federation_municipality_group AS
SELECT a.member, a.municipality_code, a.municipality_name, a.peildatum,
       w.ring_position, w.ring, w.ring_name, w.domain_position, w.domain, w.domain_name,
       a.teams_included, a.members, a.assessed, a.stale, a.carriers, a.blocks, a.required, a.present, a.shortfall,
       a.gap_blocks, a.unknown_blocks, a.fragile_blocks
  FROM (SELECT x.*, min(x.member) OVER (PARTITION BY x.municipality_code) AS first_member,
               max(x.member) OVER (PARTITION BY x.municipality_code) AS last_member
          FROM (SELECT g.member, g.extension_version, g.municipality_code, g.municipality_name, g.peildatum,
                       g.ring_code, g.domain_code,
                       count(*)::integer AS teams_included, sum(g.members)::integer AS members,
                       sum(g.assessed)::integer AS assessed, sum(g.stale)::integer AS stale,
                       sum(g.carriers)::integer AS carriers, sum(g.blocks)::integer AS blocks,
                       sum(g.required)::integer AS required, sum(g.present)::integer AS present,
                       sum(g.shortfall)::integer AS shortfall, sum(g.gap_blocks)::integer AS gap_blocks,
                       sum(g.unknown_blocks)::integer AS unknown_blocks, sum(g.fragile_blocks)::integer AS fragile_blocks
                  FROM kbs.federation_group g
                 GROUP BY g.member, g.extension_version, g.municipality_code, g.municipality_name, g.peildatum,
                          g.ring_code, g.domain_code) x) a
  JOIN kbs.wheel_group w ON w.ring = a.ring_code AND coalesce(w.domain, '') = coalesce(a.domain_code, '')
 WHERE kbs.federation_check_row(a.member, a.extension_version, a.municipality_code, a.first_member, a.last_member);
COMMENT ON VIEW kbs.federation_municipality_group IS 'Intern (benchmark): per lid, gemeente, peildatum en groep van het karrenwiel de sommen over de gepubliceerde teamcellen, door elk lid zelf opgeteld; elke rij gecontroleerd op versie en dubbele gemeenten.';
COMMENT ON COLUMN kbs.federation_municipality_group.member IS 'Naam van het lid.';
COMMENT ON COLUMN kbs.federation_municipality_group.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.federation_municipality_group.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.federation_municipality_group.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.federation_municipality_group.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.federation_municipality_group.ring IS 'Code van de laag.';
COMMENT ON COLUMN kbs.federation_municipality_group.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.federation_municipality_group.domain_position IS 'Plaats van het leefgebied.';
COMMENT ON COLUMN kbs.federation_municipality_group.domain IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.federation_municipality_group.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.federation_municipality_group.teams_included IS 'Aantal meegetelde (gepubliceerde) teams.';
COMMENT ON COLUMN kbs.federation_municipality_group.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.federation_municipality_group.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.federation_municipality_group.stale IS 'Aantal verouderde beoordelingen.';
COMMENT ON COLUMN kbs.federation_municipality_group.carriers IS 'Aantal kennisdragers.';
COMMENT ON COLUMN kbs.federation_municipality_group.blocks IS 'Aantal eisen.';
COMMENT ON COLUMN kbs.federation_municipality_group.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.federation_municipality_group.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.federation_municipality_group.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.federation_municipality_group.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.federation_municipality_group.unknown_blocks IS 'Aantal eisen met status onbekend.';
COMMENT ON COLUMN kbs.federation_municipality_group.fragile_blocks IS 'Aantal kwetsbare eisen.';

-- Each municipality of the federation over time.
CREATE VIEW kbs.v_national_municipality_trend AS
SELECT g.peildatum, g.member, g.municipality_code, g.municipality_name,
       g.ring_position, g.ring AS ring_code, g.ring_name, g.domain_position, g.domain AS domain_code, g.domain_name,
       g.teams_included, g.members, g.assessed, kbs.ratio(g.stale, g.assessed) AS stale_share,
       g.carriers, kbs.ratio(g.carriers, g.members) AS carrier_share,
       g.required, g.present, g.shortfall,
       CASE WHEN g.blocks > 0 THEN coalesce(kbs.ratio(g.present, g.required), 1.0000) END AS fulfilment,
       g.gap_blocks, g.unknown_blocks, g.fragile_blocks
  FROM kbs.federation_municipality_group g;
COMMENT ON VIEW kbs.v_national_municipality_trend IS 'Benchmark (federatie): per gemeente van alle leden, peildatum en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied) de vervullingsgraad en kennisdragers, zoals kbs.v_municipality_domain_trend bij de gemeente zelf. Alleen gepubliceerde teamcijfers tellen mee; een gemeente zonder gepubliceerd team op een peildatum heeft daar geen rij. Een lid dat niet bereikbaar is of een andere versie heeft, of een gemeente bij twee leden, geeft een fout: nooit stilzwijgend een kleiner totaal.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.member IS 'Het lid (de database) waar de gemeente haar cijfers bijhoudt.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.teams_included IS 'Aantal teams waarvan de cijfers zijn meegeteld (gepubliceerd).';
COMMENT ON COLUMN kbs.v_national_municipality_trend.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.assessed IS 'Aantal beoordeelde leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.stale_share IS 'Aandeel verouderde beoordelingen.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.carriers IS 'Kennisdragers (algemene kennis niveau 1 of hoger, specifieke kennis niveau 3 of hoger); leeg bij andere lagen.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.carrier_share IS 'Kennisdragers als aandeel van de leden (0 tot 1); leeg bij andere lagen.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.required IS 'Som van het aantal leden dat nodig is.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.present IS 'Som van het aantal aanwezige leden, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.fulfilment IS 'Vervullingsgraad (0 tot 1) over de meegetelde teams; leeg zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.v_national_municipality_trend.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen).';
COMMENT ON COLUMN kbs.v_national_municipality_trend.fragile_blocks IS 'Aantal kwetsbare eisen.';

-- The country: all municipalities of all members together.
CREATE VIEW kbs.v_national_trend AS
SELECT g.peildatum, g.ring_position, g.ring AS ring_code, g.ring_name, g.domain_position, g.domain AS domain_code,
       g.domain_name,
       count(DISTINCT g.member)::integer AS federation_members,
       count(DISTINCT g.municipality_code)::integer AS municipalities,
       sum(g.teams_included)::integer AS teams_included, sum(g.members)::integer AS members,
       sum(g.assessed)::integer AS assessed, kbs.ratio(sum(g.stale), sum(g.assessed)) AS stale_share,
       sum(g.carriers)::integer AS carriers, kbs.ratio(sum(g.carriers), sum(g.members)) AS carrier_share,
       sum(g.required)::integer AS required, sum(g.present)::integer AS present, sum(g.shortfall)::integer AS shortfall,
       CASE WHEN sum(g.blocks) > 0 THEN coalesce(kbs.ratio(sum(g.present), sum(g.required)), 1.0000) END AS fulfilment,
       sum(g.gap_blocks)::integer AS gap_blocks, sum(g.unknown_blocks)::integer AS unknown_blocks,
       sum(g.fragile_blocks)::integer AS fragile_blocks
  FROM kbs.federation_municipality_group g
 GROUP BY g.peildatum, g.ring_position, g.ring, g.ring_name, g.domain_position, g.domain, g.domain_name;
COMMENT ON VIEW kbs.v_national_trend IS 'Benchmark (federatie): het land (alle gemeenten van alle leden samen) per peildatum en groep van het karrenwiel: vervullingsgraad, kennisdragers en hoeveel leden, gemeenten en teams elk cijfer omvat. Alleen gepubliceerde teamcijfers tellen mee. Een lid dat niet bereikbaar is of een andere versie heeft, of een gemeente bij twee leden, geeft een fout: nooit stilzwijgend een kleiner totaal.';
COMMENT ON COLUMN kbs.v_national_trend.peildatum IS 'Peildatum; een gemeente telt mee als ze op deze datum een gepubliceerd team heeft.';
COMMENT ON COLUMN kbs.v_national_trend.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_national_trend.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_national_trend.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_national_trend.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_trend.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_trend.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_trend.federation_members IS 'Aantal leden (databases) met cijfers in dit getal.';
COMMENT ON COLUMN kbs.v_national_trend.municipalities IS 'Aantal gemeenten met minstens één meegeteld team.';
COMMENT ON COLUMN kbs.v_national_trend.teams_included IS 'Aantal meegetelde (gepubliceerde) teams.';
COMMENT ON COLUMN kbs.v_national_trend.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_trend.assessed IS 'Aantal beoordeelde leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_trend.stale_share IS 'Aandeel verouderde beoordelingen.';
COMMENT ON COLUMN kbs.v_national_trend.carriers IS 'Kennisdragers; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_trend.carrier_share IS 'Kennisdragers als aandeel van de leden (0 tot 1); leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_trend.required IS 'Som van nodig.';
COMMENT ON COLUMN kbs.v_national_trend.present IS 'Som van aanwezig, per eis begrensd op nodig.';
COMMENT ON COLUMN kbs.v_national_trend.shortfall IS 'Som van de tekorten.';
COMMENT ON COLUMN kbs.v_national_trend.fulfilment IS 'Vervullingsgraad van het land (0 tot 1); leeg zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_national_trend.gap_blocks IS 'Aantal eisen met een tekort.';
COMMENT ON COLUMN kbs.v_national_trend.unknown_blocks IS 'Aantal eisen met status onbekend (nog te beoordelen).';
COMMENT ON COLUMN kbs.v_national_trend.fragile_blocks IS 'Aantal kwetsbare eisen.';

-- A municipality against the rest of the country.
CREATE VIEW kbs.v_national_benchmark AS
WITH mg AS MATERIALIZED (
    SELECT g.*, coalesce(g.domain, '') AS domain_key FROM kbs.federation_municipality_group g
), national AS (
    SELECT g.peildatum, g.ring, g.domain_key, count(DISTINCT g.municipality_code)::integer AS municipalities,
           sum(g.teams_included)::integer AS teams_included, sum(g.members)::integer AS members,
           sum(g.carriers)::integer AS carriers, sum(g.blocks)::integer AS blocks,
           sum(g.required)::integer AS required, sum(g.present)::integer AS present
      FROM mg g
     GROUP BY g.peildatum, g.ring, g.domain_key
), side AS (
    SELECT g.peildatum, g.member, g.municipality_code, g.municipality_name, g.ring_position, g.ring, g.ring_name,
           g.domain_position, g.domain, g.domain_name, g.teams_included, g.members, g.carriers, g.blocks,
           g.required, g.present,
           n.municipalities - 1 AS o_municipalities, n.teams_included - g.teams_included AS o_teams_included,
           n.members - g.members AS o_members, n.carriers - g.carriers AS o_carriers, n.blocks - g.blocks AS o_blocks,
           n.required - g.required AS o_required, n.present - g.present AS o_present
      FROM mg g
      JOIN national n ON n.peildatum = g.peildatum AND n.ring = g.ring AND n.domain_key = g.domain_key
), ratio AS (
    SELECT s.*,
           CASE WHEN s.blocks > 0 THEN coalesce(kbs.ratio(s.present, s.required), 1.0000) END AS f_own,
           CASE WHEN s.o_teams_included > 0 AND s.o_blocks > 0
                THEN coalesce(kbs.ratio(s.o_present, s.o_required), 1.0000) END AS f_others,
           kbs.ratio(s.carriers, s.members) AS c_own,
           CASE WHEN s.o_teams_included > 0 THEN kbs.ratio(s.o_carriers, s.o_members) END AS c_others
      FROM side s
)
SELECT r.peildatum, r.member, r.municipality_code, r.municipality_name,
       r.ring_position, r.ring AS ring_code, r.ring_name, r.domain_position, r.domain AS domain_code, r.domain_name,
       r.teams_included, r.members, r.f_own AS fulfilment, r.c_own AS carrier_share,
       r.o_municipalities AS others_municipalities, r.o_teams_included AS others_teams_included,
       CASE WHEN r.o_teams_included > 0 THEN r.o_members END AS others_members,
       r.f_others AS others_fulfilment, r.c_others AS others_carrier_share,
       (r.o_teams_included = 0) AS others_suppressed,
       r.f_own - r.f_others AS fulfilment_difference,
       r.c_own - r.c_others AS carrier_share_difference
  FROM ratio r;
COMMENT ON VIEW kbs.v_national_benchmark IS 'Benchmark (federatie): per gemeente van alle leden, peildatum en groep van het karrenwiel de eigen cijfers naast die van de rest van het land (alle andere gemeenten van alle leden samen), zoals kbs.v_benchmark binnen één database. Alleen gepubliceerde teamcijfers tellen mee. Een lid dat niet bereikbaar is of een andere versie heeft, of een gemeente bij twee leden, geeft een fout.';
COMMENT ON COLUMN kbs.v_national_benchmark.peildatum IS 'Peildatum; andere gemeenten tellen mee als ze een gepubliceerd team op dezelfde datum hebben.';
COMMENT ON COLUMN kbs.v_national_benchmark.member IS 'Het lid (de database) van de gemeente.';
COMMENT ON COLUMN kbs.v_national_benchmark.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_national_benchmark.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_national_benchmark.ring_position IS 'Volgorde van de laag; sorteer op ring_position en dan domain_position.';
COMMENT ON COLUMN kbs.v_national_benchmark.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_national_benchmark.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_national_benchmark.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_benchmark.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_benchmark.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_benchmark.teams_included IS 'Aantal meegetelde teams van de gemeente.';
COMMENT ON COLUMN kbs.v_national_benchmark.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_benchmark.fulfilment IS 'Vervullingsgraad van de gemeente (0 tot 1); leeg zonder eisen in deze groep.';
COMMENT ON COLUMN kbs.v_national_benchmark.carrier_share IS 'Kennisdragers als aandeel van de leden in de gemeente; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_municipalities IS 'Aantal andere gemeenten met minstens één meegeteld team.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_teams_included IS 'Aantal meegetelde teams in de andere gemeenten.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_members IS 'Aantal leden van de meegetelde teams in de andere gemeenten; leeg als er geen is.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_fulfilment IS 'Vervullingsgraad van de rest van het land; leeg zonder meegetelde teams of eisen.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_carrier_share IS 'Kennisdragers als aandeel van de leden in de rest van het land; leeg zonder meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_benchmark.others_suppressed IS 'Waar als er buiten deze gemeente geen enkel team meetelt; toon dan "onderdrukt", nooit 0.';
COMMENT ON COLUMN kbs.v_national_benchmark.fulfilment_difference IS 'Eigen vervullingsgraad min die van de rest van het land (positief: de gemeente doet het beter).';
COMMENT ON COLUMN kbs.v_national_benchmark.carrier_share_difference IS 'Eigen aandeel kennisdragers min dat van de rest van het land.';

-- The country's knowledge per shipped block: team coverages merged with
-- kbs.coverage_merge_agg, first by each member (pushed down), then here; the
-- merge is exact and associative, so the result is the country's coverage.
CREATE VIEW kbs.v_national_coverage AS
WITH per_member AS (
    SELECT c.member, c.extension_version, c.municipality_code, c.peildatum, count(*)::integer AS teams_included,
           kbs.coverage_merge_agg(c.coverage) AS coverage
      FROM kbs.federation_cell c
     GROUP BY c.member, c.extension_version, c.municipality_code, c.peildatum
), checked AS (
    SELECT p.*
      FROM (SELECT p.*, min(p.member) OVER (PARTITION BY p.municipality_code) AS first_member,
                   max(p.member) OVER (PARTITION BY p.municipality_code) AS last_member
              FROM per_member p) p
     WHERE kbs.federation_check_row(p.member, p.extension_version, p.municipality_code, p.first_member, p.last_member)
), national AS (
    SELECT c.peildatum, count(DISTINCT c.member)::integer AS federation_members,
           count(DISTINCT c.municipality_code)::integer AS municipalities,
           sum(c.teams_included)::integer AS teams_included, kbs.coverage_merge_agg(c.coverage) AS coverage
      FROM checked c
     GROUP BY c.peildatum
)
SELECT n.peildatum, w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name, w.domain_position,
       w.domain AS domain_code, w.domain_name, w.block_id, w.block_code, w.block_name,
       n.federation_members, n.municipalities, n.teams_included, kbs.members(n.coverage) AS members,
       h.h[1] AS level0, h.h[2] AS level1, h.h[3] AS level2, h.h[4] AS level3, h.h[5] AS level4, h.h[6] AS na,
       h.h[7] AS not_assessed, kbs.ratio(h.h[4] + h.h[5], kbs.members(n.coverage)) AS share_level_3_or_4
  FROM national n
 CROSS JOIN kbs.wheel w
 CROSS JOIN LATERAL (SELECT kbs.histogram(n.coverage, w.block_id) AS h) h
 WHERE w.shipped AND NOT w.is_aspect;
COMMENT ON VIEW kbs.v_national_coverage IS 'Benchmark (federatie): het kennisniveau van het land per meegeleverde bouwsteen en peildatum: de dekkingen van alle gepubliceerde teams van alle leden samengeteld met kbs.coverage_merge_agg (elk lid telt eerst zelf op, de benchmark telt de uitkomsten op; exact). Sorteer op wheel_order. Een lid dat niet bereikbaar is of een andere versie heeft, of een gemeente bij twee leden, geeft een fout.';
COMMENT ON COLUMN kbs.v_national_coverage.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.v_national_coverage.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_national_coverage.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_national_coverage.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_national_coverage.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_national_coverage.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg bij lagen zonder leefgebied.';
COMMENT ON COLUMN kbs.v_national_coverage.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_coverage.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_national_coverage.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_national_coverage.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_national_coverage.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_national_coverage.federation_members IS 'Aantal leden (databases) met cijfers in dit getal.';
COMMENT ON COLUMN kbs.v_national_coverage.municipalities IS 'Aantal gemeenten met minstens één meegeteld team.';
COMMENT ON COLUMN kbs.v_national_coverage.teams_included IS 'Aantal meegetelde (gepubliceerde) teams.';
COMMENT ON COLUMN kbs.v_national_coverage.members IS 'Aantal leden van de meegetelde teams.';
COMMENT ON COLUMN kbs.v_national_coverage.level0 IS 'Aantal leden op niveau 0 (geen).';
COMMENT ON COLUMN kbs.v_national_coverage.level1 IS 'Aantal leden op niveau 1.';
COMMENT ON COLUMN kbs.v_national_coverage.level2 IS 'Aantal leden op niveau 2.';
COMMENT ON COLUMN kbs.v_national_coverage.level3 IS 'Aantal leden op niveau 3.';
COMMENT ON COLUMN kbs.v_national_coverage.level4 IS 'Aantal leden op niveau 4 (expert / vraagbaak).';
COMMENT ON COLUMN kbs.v_national_coverage.na IS 'Aantal leden voor wie de bouwsteen niet van toepassing is.';
COMMENT ON COLUMN kbs.v_national_coverage.not_assessed IS 'Aantal leden zonder oordeel op de bouwsteen.';
COMMENT ON COLUMN kbs.v_national_coverage.share_level_3_or_4 IS 'Aandeel van de leden op niveau 3 of 4 (0 tot 1).';

-- The national dashboard page (kbs-dashboard --national): one jsonb document from
-- the national views, like kbs.dashboard_municipality. SECURITY INVOKER.
CREATE FUNCTION kbs.dashboard_national(peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    at date;
    latest date;
    result jsonb;
BEGIN
    SELECT max(t.peildatum) FILTER (WHERE dashboard_national.peildatum IS NULL OR t.peildatum = dashboard_national.peildatum),
           max(t.peildatum) FILTER (WHERE t.peildatum <= coalesce(dashboard_national.peildatum, current_date))
      INTO at, latest
      FROM kbs.v_national_trend t
     WHERE t.ring_code = 'generic' AND (dashboard_national.peildatum IS NOT NULL OR t.peildatum <= current_date);
    IF at IS NULL THEN
        IF peildatum IS NULL THEN
            RAISE EXCEPTION 'no national figures'
                USING ERRCODE = 'no_data_found',
                      HINT = 'Add member databases with kbs.federation_add; their published team figures make the national ones.';
        END IF;
        RAISE EXCEPTION 'no national figures on %', peildatum
            USING ERRCODE = 'no_data_found',
                  DETAIL = CASE WHEN latest IS NOT NULL THEN format('The latest national figures before it are of %s.', latest)
                                ELSE 'There are no earlier national figures.' END;
    END IF;
    WITH trend AS MATERIALIZED (
        SELECT * FROM kbs.v_national_trend t WHERE t.peildatum <= at
    ), mun AS MATERIALIZED (
        SELECT m.member, m.municipality_code, m.municipality_name, max(m.teams_included) AS teams_included,
               max(m.members) AS members, sum(m.required) AS required, sum(m.present) AS present,
               count(m.fulfilment) AS with_requirements
          FROM kbs.v_national_municipality_trend m
         WHERE m.peildatum = at AND m.ring_code = 'specific'
         GROUP BY m.member, m.municipality_code, m.municipality_name
    ), country AS (
        SELECT sum(required) AS required, sum(present) AS present, count(*) AS municipalities FROM mun
    )
    SELECT jsonb_build_object(
        'kind', 'national',
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        'summary', (SELECT jsonb_build_object('federation_members', t.federation_members, 'municipalities', t.municipalities,
                                              'teams_included', t.teams_included, 'members', t.members)
                      FROM trend t WHERE t.peildatum = at AND t.ring_code = 'generic'),
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', t.peildatum, 'domain_code', t.domain_code, 'domain_position', t.domain_position,
                         'domain_name', t.domain_name, 'fulfilment', t.fulfilment, 'carrier_share', t.carrier_share,
                         'municipalities', t.municipalities, 'teams_included', t.teams_included)
                         ORDER BY t.peildatum, t.domain_position), '[]')
                    FROM trend t WHERE t.ring_code = 'specific'),
        'municipalities', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                  'code', m.municipality_code, 'name', m.municipality_name, 'member', m.member,
                                  'teams_included', m.teams_included, 'members', m.members,
                                  'fulfilment', CASE WHEN m.with_requirements > 0
                                                     THEN coalesce(kbs.ratio(m.present, m.required), 1.0000) END,
                                  'others_fulfilment', CASE WHEN c.municipalities > 1
                                                            THEN coalesce(kbs.ratio(c.present - m.present, c.required - m.required), 1.0000) END)
                                  ORDER BY m.municipality_name, m.municipality_code), '[]')
                             FROM mun m CROSS JOIN country c),
        'coverage', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'block_id', v.block_id, 'block_name', v.block_name, 'domain_position', v.domain_position,
                            'domain_name', v.domain_name, 'members', v.members, 'level0', v.level0, 'level1', v.level1,
                            'level2', v.level2, 'level3', v.level3, 'level4', v.level4, 'na', v.na,
                            'not_assessed', v.not_assessed, 'share_level_3_or_4', v.share_level_3_or_4)
                            ORDER BY v.wheel_order), '[]')
                       FROM kbs.v_national_coverage v WHERE v.peildatum = at AND v.ring_code = 'specific'),
        'members', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'member', x.member, 'municipalities', x.municipalities, 'names', x.names,
                           'teams_included', x.teams_included)
                           ORDER BY x.member), '[]')
                      FROM (SELECT m.member, count(*) AS municipalities, sum(m.teams_included) AS teams_included,
                                   jsonb_agg(m.municipality_name ORDER BY m.municipality_name, m.municipality_code) AS names
                              FROM mun m GROUP BY m.member) x))
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_national(date) IS 'Benchmark (federatie): alle gegevens van de landelijke dashboardpagina als jsonb, uit de landelijke views: vervulling van specifieke kennis in het land per leefgebied door de tijd, elke gemeente tegen de rest van het land, het kennisniveau per bouwsteen en wat meetelt (leden, gemeenten, teams). Peildatum: de gevraagde, standaard de laatste tot vandaag.';

-- Privileges ----------------------------------------------------------------------
-- Members: the export is for kbs_policy (the benchmark's login), like the other
-- aggregate views. Benchmark: the national views for every role; adding and
-- removing members, and their status (hosts, no passwords), for administrators.
GRANT SELECT ON kbs.v_export_cell, kbs.v_export_group TO kbs_admin, kbs_coordinator, kbs_policy;
GRANT SELECT ON kbs.v_national_municipality_trend, kbs.v_national_trend, kbs.v_national_benchmark,
                kbs.v_national_coverage
    TO kbs_admin, kbs_coordinator, kbs_policy;
GRANT SELECT ON kbs.federation_member TO kbs_admin;
-- Only the extension's owner (the national views) reads the members' rows.
ALTER TABLE kbs.federation_cell ENABLE ROW LEVEL SECURITY;
ALTER TABLE kbs.federation_group ENABLE ROW LEVEL SECURITY;
REVOKE EXECUTE ON FUNCTION kbs.federation_add(text, text, text, text), kbs.federation_remove(text),
                           kbs.federation_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kbs.federation_add(text, text, text, text), kbs.federation_remove(text) TO kbs_admin;
GRANT EXECUTE ON FUNCTION kbs.federation_status() TO kbs_admin;

-- issue 14: set-based snapshot refresh
-- kbs.refresh_snapshots computes all missing and dirty cells in one statement; it finds dirty cells
-- from the marks and missing ones outside kbs.snapshot_span (docs/snapshots.md). Publication is decided
-- once per team written (kbs.snapshot_publication queues nothing while the refresh writes).

CREATE TABLE kbs.snapshot_span (
    team_id integer PRIMARY KEY REFERENCES kbs.team (id) ON DELETE CASCADE,
    covered datemultirange NOT NULL
);
COMMENT ON TABLE kbs.snapshot_span IS 'Intern: per team de perioden waarvoor alle momentopnamen zijn vastgelegd; een wijziging van het team, de beoordelingsronden van de gemeente of de momentopnamen zelf wist de rij.';
COMMENT ON COLUMN kbs.snapshot_span.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot_span.covered IS 'Perioden waarin elke peildatum van het team een momentopname heeft.';

GRANT ALL ON kbs.snapshot_span TO kbs_admin;
ALTER TABLE kbs.snapshot_span ENABLE ROW LEVEL SECURITY;
CREATE POLICY snapshot_span_admin ON kbs.snapshot_span TO kbs_admin USING (true) WITH CHECK (true);

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

CREATE OR REPLACE FUNCTION kbs.mark_dirty() RETURNS trigger
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

DROP TRIGGER assessment_dirty ON kbs.assessment;
DROP TRIGGER membership_dirty ON kbs.membership;
DROP TRIGGER team_requirement_dirty ON kbs.team_requirement;
DROP TRIGGER partner_dirty ON kbs.partner;
DROP TRIGGER partner_team_dirty ON kbs.partner_team;

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

CREATE OR REPLACE FUNCTION kbs.refresh_snapshots(from_date date, to_date date) RETURNS integer
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

CREATE OR REPLACE FUNCTION kbs.person_set_distance(a jsonb, b jsonb) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_person_set_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.person_set_distance(jsonb, jsonb) IS 'Intern: in hoeveel personen twee groepen beoordeelde leden verschillen (erbij, eraf of opnieuw beoordeeld).';

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

REVOKE EXECUTE ON FUNCTION kbs.publication_decide_teams(integer[], date[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION kbs.publication_decide(team_id integer, from_date date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN kbs.publication_decide_teams(ARRAY[publication_decide.team_id], ARRAY[from_date]);
END
$$;
COMMENT ON FUNCTION kbs.publication_decide(integer, date) IS 'Intern: besluit voor de momentopnamen van een team vanaf een peildatum of ze gepubliceerd mogen worden; eerdere besluiten blijven staan.';

CREATE OR REPLACE FUNCTION kbs.publication_sync() RETURNS trigger
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

DROP TRIGGER snapshot_publication ON kbs.snapshot;

CREATE CONSTRAINT TRIGGER snapshot_publication AFTER INSERT OR UPDATE ON kbs.snapshot
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (pg_catalog.current_setting('kbs.refresh_in_progress', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION kbs.publication_sync();
