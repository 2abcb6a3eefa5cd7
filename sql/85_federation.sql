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

-- The member's name as the benchmark's connection announces it, and our version.
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
