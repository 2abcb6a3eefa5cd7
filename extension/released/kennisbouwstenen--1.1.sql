-- kennisbouwstenen 1.1 as released; frozen by scripts/new_version.sh, do not edit
\echo Use "CREATE EXTENSION kennisbouwstenen" to load this file. \quit

-- sql/10_catalogue.sql
-- The catalogue: the published structure of the Kennisbouwstenen, the rating
-- scale, and room for local blocks and aspects (ids from 1000 up).
-- Shipped rows are inserted here; only local rows are dumped by pg_dump
-- (pg_extension_config_dump filters), so a restore never duplicates them.

CREATE TABLE kbs.catalogue_version (
    version     integer PRIMARY KEY,
    shipped     boolean NOT NULL DEFAULT false,
    description text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT catalogue_version_range CHECK (version BETWEEN 1 AND 2147483647),
    CONSTRAINT catalogue_version_shipped CHECK (shipped = (version < 1000))
);
-- Local versions never collide with versions a later release ships.
CREATE SEQUENCE kbs.catalogue_version_local_seq AS integer MINVALUE 1000 START 1000;
ALTER TABLE kbs.catalogue_version
    ALTER COLUMN version SET DEFAULT nextval('kbs.catalogue_version_local_seq');
ALTER SEQUENCE kbs.catalogue_version_local_seq OWNED BY kbs.catalogue_version.version;

COMMENT ON TABLE kbs.catalogue_version IS 'Versies van de catalogus: de meegeleverde versie (nummer onder 1000) en elke lokale wijziging (toevoegen, importeren, vervallen; vanaf 1000).';
COMMENT ON COLUMN kbs.catalogue_version.version IS 'Versienummer; onder 1000 meegeleverd met de extensie, vanaf 1000 lokaal.';
COMMENT ON COLUMN kbs.catalogue_version.shipped IS 'Waar als deze versie met de extensie is meegeleverd.';
COMMENT ON COLUMN kbs.catalogue_version.description IS 'Wat er in deze versie veranderde.';
COMMENT ON COLUMN kbs.catalogue_version.created_at IS 'Moment waarop de versie is vastgelegd.';

CREATE TABLE kbs.ring (
    code        text PRIMARY KEY,
    position    smallint NOT NULL UNIQUE,
    name        text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE kbs.ring IS 'De lagen van het karrenwiel, van binnen naar buiten, plus de doelgroepen.';
COMMENT ON COLUMN kbs.ring.code IS 'Vaste code van de laag.';
COMMENT ON COLUMN kbs.ring.position IS 'Volgorde van binnen (kern) naar buiten.';
COMMENT ON COLUMN kbs.ring.name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.ring.description IS 'Wat deze laag van het karrenwiel beschrijft.';

INSERT INTO kbs.ring (code, position, name, description) VALUES
    ('centre', 1, 'Kern', 'De aansluiting van de professional bij de cliënt, het middelpunt van het karrenwiel.'),
    ('generic', 2, 'Generieke competenties', 'Competenties die iedere professional in het wijkteam nodig heeft.'),
    ('general', 3, 'Algemene kennis', 'Kennis om per leefgebied te signaleren en de vraag te verhelderen; een ondergrens voor iedere professional.'),
    ('specific', 4, 'Specifieke kennis', 'Kennis om per leefgebied te ondersteunen; het team als geheel moet die dekken.'),
    ('target_group', 5, 'Doelgroepen', 'Kennis van specifieke doelgroepen.');

CREATE TABLE kbs.domain (
    code     text PRIMARY KEY,
    name     text NOT NULL UNIQUE,
    position smallint NOT NULL UNIQUE,
    CONSTRAINT domain_position_range CHECK (position BETWEEN 1 AND 7)
);
COMMENT ON TABLE kbs.domain IS 'De zeven leefgebieden van de Kennisbouwstenen, in de vaste volgorde van het karrenwiel.';
COMMENT ON COLUMN kbs.domain.code IS 'Vaste code van het leefgebied.';
COMMENT ON COLUMN kbs.domain.name IS 'Naam van het leefgebied zoals gepubliceerd.';
COMMENT ON COLUMN kbs.domain.position IS 'Plaats in het karrenwiel (1 tot en met 7); gebruik deze kolom als vaste asvolgorde.';

INSERT INTO kbs.domain (code, name, position) VALUES
    ('physical_health', 'Lichamelijke gezondheid', 1),
    ('daily_functioning', 'Dagelijks functioneren', 2),
    ('income', 'Inkomen', 3),
    ('participation', 'Participatie', 4),
    ('parenting', 'Opvoeden en opgroeien', 5),
    ('safety', 'Veiligheid', 6),
    ('mental_health', 'Psychische gezondheid', 7);

-- Ids are stable forever and never reused: local ids come from a sequence
-- that only moves forward, and rows cannot be deleted (retire instead).
CREATE SEQUENCE kbs.block_local_id_seq AS smallint MINVALUE 1000 MAXVALUE 32767 START 1000;

CREATE TABLE kbs.block (
    id          smallint PRIMARY KEY DEFAULT nextval('kbs.block_local_id_seq'),
    code        text NOT NULL UNIQUE,
    ring        text NOT NULL REFERENCES kbs.ring (code),
    domain      text REFERENCES kbs.domain (code),
    parent_id   smallint,
    position    smallint NOT NULL DEFAULT 0,
    name        text NOT NULL,
    description text,
    shipped     boolean NOT NULL DEFAULT false,
    added_in    integer NOT NULL REFERENCES kbs.catalogue_version (version),
    retired_in  integer REFERENCES kbs.catalogue_version (version),
    CONSTRAINT block_id_range CHECK (id BETWEEN 1 AND 32767),
    CONSTRAINT block_shipped_ids CHECK (shipped = (id < 1000)),
    -- Codes start with a letter so that a jsonb key is never mistaken for an id.
    CONSTRAINT block_code_format CHECK (code ~ '^[A-Za-z][A-Za-z0-9_.-]{0,63}$'),
    CONSTRAINT block_name_not_empty CHECK (btrim(name) <> ''),
    CONSTRAINT block_domain_for_ring CHECK ((ring IN ('general', 'specific')) = (domain IS NOT NULL)),
    CONSTRAINT block_not_own_parent CHECK (parent_id <> id),
    CONSTRAINT block_retired_after_added CHECK (retired_in IS NULL OR retired_in >= added_in)
);
ALTER SEQUENCE kbs.block_local_id_seq OWNED BY kbs.block.id;
CREATE INDEX block_parent_idx ON kbs.block (parent_id);
CREATE INDEX block_ring_domain_idx ON kbs.block (ring, domain);

COMMENT ON TABLE kbs.block IS 'Alle beoordeelbare kennisbouwstenen: de gepubliceerde structuur (id onder 1000) en lokale blokken en aspecten (id vanaf 1000).';
COMMENT ON COLUMN kbs.block.id IS 'Vast nummer van de bouwsteen; wordt nooit hergebruikt. Onder 1000 meegeleverd, vanaf 1000 lokaal.';
COMMENT ON COLUMN kbs.block.code IS 'Unieke, vaste code van de bouwsteen (begint met een letter).';
COMMENT ON COLUMN kbs.block.ring IS 'Laag van het karrenwiel: centre, generic, general, specific of target_group (zie kbs.ring).';
COMMENT ON COLUMN kbs.block.domain IS 'Leefgebied (code uit kbs.domain) bij algemene en specifieke kennis; leeg bij de andere lagen.';
COMMENT ON COLUMN kbs.block.parent_id IS 'Bij een aspect: de bouwsteen die het verfijnt; leeg bij een hoofdblok.';
COMMENT ON COLUMN kbs.block.position IS 'Volgorde binnen de laag of onder de bovenliggende bouwsteen.';
COMMENT ON COLUMN kbs.block.name IS 'Naam van de bouwsteen (meegeleverde namen zoals gepubliceerd).';
COMMENT ON COLUMN kbs.block.description IS 'Toelichting op de bouwsteen.';
COMMENT ON COLUMN kbs.block.shipped IS 'Waar als de bouwsteen met de extensie is meegeleverd; onwaar bij lokale toevoegingen.';
COMMENT ON COLUMN kbs.block.added_in IS 'Catalogusversie waarin de bouwsteen is toegevoegd.';
COMMENT ON COLUMN kbs.block.retired_in IS 'Catalogusversie waarin de bouwsteen is vervallen; leeg zolang hij geldt. Vervallen bouwstenen blijven leesbaar in oude beoordelingen.';

INSERT INTO kbs.catalogue_version (version, shipped, description) VALUES
    (1, true, 'Kennisbouwstenen: gepubliceerde structuur (kern, 7 generieke competenties, algemene en specifieke kennis in 7 leefgebieden, 8 doelgroepen)');

INSERT INTO kbs.block (id, code, ring, domain, position, name, description, shipped, added_in) VALUES
    (1, 'centre', 'centre', NULL, 1, 'Aansluiting van de professional bij de cliënt',
     'Het middelpunt van het karrenwiel: de verbinding van de professional met de cliënt.', true, 1),
    (11, 'generic.relationships', 'generic', NULL, 1, 'Contact leggen en aangaan van betekenisvolle relaties', NULL, true, 1),
    (12, 'generic.signalling', 'generic', NULL, 2, 'Signaleren en agenderen', NULL, true, 1),
    (13, 'generic.self_direction', 'generic', NULL, 3, 'Ondersteunen van cliënten bij het voeren van de eigen regie en aanpakken van hun eigen ondersteuningsvragen', NULL, true, 1),
    (14, 'generic.connecting', 'generic', NULL, 4, 'In staat zijn om verbindingen tussen mensen te maken', NULL, true, 1),
    (15, 'generic.collaboration', 'generic', NULL, 5, 'Integraal samenwerken', NULL, true, 1),
    (16, 'generic.participation', 'generic', NULL, 6, 'Stimuleren van de participatie van cliënten en het actief burgerschap', NULL, true, 1),
    (17, 'generic.roles', 'generic', NULL, 7, 'Hanteren van verschillende beroepsrollen', NULL, true, 1),
    (41, 'target.youth', 'target_group', NULL, 1, 'Kinderen en jongeren', NULL, true, 1),
    (42, 'target.elderly', 'target_group', NULL, 2, 'Ouderen', NULL, true, 1),
    (43, 'target.acquired_brain_injury', 'target_group', NULL, 3, 'Mensen met niet-aangeboren hersenletsel (NAH)', NULL, true, 1),
    (44, 'target.mild_intellectual_disability', 'target_group', NULL, 4, 'Mensen met een licht verstandelijke beperking (LVB)', NULL, true, 1),
    (45, 'target.low_literacy', 'target_group', NULL, 5, 'Mensen die laaggeletterd zijn', NULL, true, 1),
    (46, 'target.migration_background', 'target_group', NULL, 6, 'Mensen met een migratieachtergrond', NULL, true, 1),
    (47, 'target.lgbtiq', 'target_group', NULL, 7, 'LHBTIQ+', NULL, true, 1),
    (48, 'target.chronic_illness', 'target_group', NULL, 8, 'Mensen met een chronische ziekte', NULL, true, 1);

-- General knowledge 21..27 and specific knowledge 31..37, one per domain in wheel order.
INSERT INTO kbs.block (id, code, ring, domain, position, name, description, shipped, added_in)
SELECT 20 + d.position, 'general.' || d.code, 'general', d.code, d.position,
       'Algemene kennis: ' || d.name,
       'Kennis om bij ' || lower(d.name) || ' te signaleren en de vraag te verhelderen.', true, 1
  FROM kbs.domain d
UNION ALL
SELECT 30 + d.position, 'specific.' || d.code, 'specific', d.code, d.position,
       'Specifieke kennis: ' || d.name,
       'Kennis om bij ' || lower(d.name) || ' mensen te ondersteunen.', true, 1
  FROM kbs.domain d;

-- The rating scale is our choice (no official scale is published); labels
-- and anchors are data. Municipalities relabel through kbs.scale_local,
-- which is dumped, instead of editing shipped rows, which are not.
CREATE TABLE kbs.scale (
    code     text PRIMARY KEY,
    level    smallint UNIQUE,
    position smallint NOT NULL UNIQUE,
    label    text NOT NULL,
    anchor   text NOT NULL,
    meaning  text NOT NULL,
    CONSTRAINT scale_level_range CHECK (level BETWEEN 0 AND 4),
    CONSTRAINT scale_code_matches_level CHECK ((level IS NULL) = (code IN ('na', 'not_assessed')) AND (level IS NULL OR code = level::text))
);
COMMENT ON TABLE kbs.scale IS 'De beoordelingsschaal: niveaus 0 tot en met 4, plus niet beoordeeld en niet van toepassing. Eigen benamingen staan in kbs.scale_local.';
COMMENT ON COLUMN kbs.scale.code IS 'Code zoals in een profiel: 0 tot en met 4, na (niet van toepassing) of not_assessed (niet beoordeeld, ontbreekt in het profiel).';
COMMENT ON COLUMN kbs.scale.level IS 'Het niveau als getal; leeg bij niet beoordeeld en niet van toepassing.';
COMMENT ON COLUMN kbs.scale.position IS 'Volgorde voor weergave.';
COMMENT ON COLUMN kbs.scale.label IS 'Korte benaming van het niveau.';
COMMENT ON COLUMN kbs.scale.anchor IS 'Ankerbeschrijving: wat iemand op dit niveau kan.';
COMMENT ON COLUMN kbs.scale.meaning IS 'Wat dit niveau betekent voor teamdekking en scholing.';

INSERT INTO kbs.scale (code, level, position, label, anchor, meaning) VALUES
    ('0', 0, 1, 'geen', 'Geen kennis of ervaring.', 'Scholing nodig waar het vereist is.'),
    ('1', 1, 2, 'signaleren', 'Herkent het onderwerp, kan de vraag verhelderen en doorverwijzen.', 'De ondergrens voor algemene kennis.'),
    ('2', 2, 3, 'begeleid toepassen', 'Past de kennis toe met begeleiding.', 'Begeleide praktijk; telt niet mee voor specifieke kennis van het team.'),
    ('3', 3, 4, 'zelfstandig ondersteunen', 'Ondersteunt inwoners zelfstandig.', 'Telt mee voor de teamdekking van specifieke kennis.'),
    ('4', 4, 5, 'expert / vraagbaak', 'Adviseert en schoolt collega''s en houdt de kennis actueel.', 'Kennisdrager van het team.'),
    ('na', NULL, 6, 'niet van toepassing', 'Valt buiten de rol van deze persoon.', 'Telt niet mee voor de ondergrens van deze persoon.'),
    ('not_assessed', NULL, 7, 'niet beoordeeld', 'Er is geen oordeel vastgelegd.', 'Telt als ontbrekend; zie de volledigheid van de beoordelingen.');

CREATE TABLE kbs.scale_local (
    code   text PRIMARY KEY REFERENCES kbs.scale (code),
    label  text,
    anchor text,
    CONSTRAINT scale_local_label_not_empty CHECK (label IS NULL OR btrim(label) <> ''),
    CONSTRAINT scale_local_anchor_not_empty CHECK (anchor IS NULL OR btrim(anchor) <> '')
);
COMMENT ON TABLE kbs.scale_local IS 'Eigen benamingen en ankers van de schaal voor deze gemeente; leeg laten om de meegeleverde te gebruiken.';
COMMENT ON COLUMN kbs.scale_local.code IS 'Code van het schaalniveau (zie kbs.scale).';
COMMENT ON COLUMN kbs.scale_local.label IS 'Eigen benaming; leeg betekent de meegeleverde benaming.';
COMMENT ON COLUMN kbs.scale_local.anchor IS 'Eigen ankerbeschrijving; leeg betekent de meegeleverde.';

SELECT pg_catalog.pg_extension_config_dump('kbs.catalogue_version', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('kbs.catalogue_version_local_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.block', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('kbs.block_local_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.scale_local', '');

-- sql/20_catalogue_api.sql
-- Local extension of the catalogue: add, import (CSV) and retire blocks.

-- Keeps ids stable, whoever writes.
CREATE FUNCTION kbs.block_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'cannot delete block % ("%")', OLD.id, OLD.code
            USING ERRCODE = 'restrict_violation',
                  DETAIL = 'Block ids are stable forever; assessments may refer to this one.',
                  HINT = 'Retire it with kbs.retire_block() instead.';
    END IF;
    IF NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.shipped <> OLD.shipped OR NEW.added_in <> OLD.added_in THEN
        RAISE EXCEPTION 'cannot change the id, code, origin or version of block % ("%")', OLD.id, OLD.code
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Retire the block and add a new one.';
    END IF;
    IF OLD.shipped AND coalesce(current_setting('kbs.shipped_catalogue_update', true), '') <> 'on' THEN
        RAISE EXCEPTION 'cannot change shipped block % ("%")', OLD.id, OLD.code
            USING ERRCODE = 'restrict_violation',
                  DETAIL = 'Shipped blocks change only with an update of the extension.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER block_guard BEFORE UPDATE OR DELETE ON kbs.block
    FOR EACH ROW EXECUTE FUNCTION kbs.block_guard();

-- The parent of an aspect, checked at the end of the statement like a foreign
-- key (a self-referencing foreign key would make every pg_dump warn about a
-- circular constraint). Blocks are never deleted, so a parent stays.
CREATE FUNCTION kbs.block_parent_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    ancestor smallint;
    depth integer := 0;
BEGIN
    IF NEW.parent_id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT b.id, b.code, b.ring, b.domain, b.retired_in INTO p FROM kbs.block b WHERE b.id = NEW.parent_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'parent % of block "%" does not exist', NEW.parent_id, NEW.code
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF p.ring <> NEW.ring OR p.domain IS DISTINCT FROM NEW.domain THEN
        RAISE EXCEPTION 'aspect "%" must have the ring and domain of its parent "%"', NEW.code, p.code
            USING ERRCODE = 'check_violation',
                  DETAIL = format('The parent is in ring %s%s.', p.ring, coalesce(', domain ' || p.domain, ''));
    END IF;
    IF p.retired_in IS NOT NULL AND NEW.retired_in IS NULL THEN
        RAISE EXCEPTION 'parent "%" of block "%" is retired', p.code, NEW.code
            USING ERRCODE = 'check_violation';
    END IF;
    ancestor := p.id;
    WHILE ancestor IS NOT NULL LOOP
        IF ancestor = NEW.id OR depth > 100 THEN
            RAISE EXCEPTION 'block "%" cannot be an aspect of its own aspect', NEW.code
                USING ERRCODE = 'check_violation';
        END IF;
        depth := depth + 1;
        SELECT b.parent_id INTO ancestor FROM kbs.block b WHERE b.id = ancestor;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER block_parent_check AFTER INSERT OR UPDATE ON kbs.block
    FOR EACH ROW EXECUTE FUNCTION kbs.block_parent_check();

-- One row of a block list to load: from a CSV file or from kbs.add_block().
CREATE TYPE kbs.block_input AS (
    label       text,      -- how errors name the row, e.g. 'row 3 (line 4)'
    code        text,
    parent_code text,
    ring        text,
    domain      text,
    name        text,
    description text
);
COMMENT ON TYPE kbs.block_input IS 'Eén te laden bouwsteen (intern gebruikt door kbs.add_block en kbs.import_blocks).';

-- Validates every row before anything is written, then loads all rows in one
-- new catalogue version. The first problem is raised, naming its row, with
-- the number of other bad rows in the detail.
CREATE FUNCTION kbs.load_blocks(rows kbs.block_input[], version_description text)
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
COMMENT ON FUNCTION kbs.load_blocks(kbs.block_input[], text) IS 'Controleert alle rijen en laadt ze dan allemaal in één nieuwe catalogusversie, of geen enkele (intern; gebruik kbs.add_block of kbs.import_blocks).';

CREATE FUNCTION kbs.add_block(code text, name text, ring text DEFAULT NULL, domain text DEFAULT NULL,
                              parent_code text DEFAULT NULL, description text DEFAULT NULL)
RETURNS smallint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT l.id FROM kbs.load_blocks(
        ARRAY[ROW(NULL, code, parent_code, ring, domain, name, description)::kbs.block_input],
        'blok ' || code || ' toegevoegd') l;
END;
COMMENT ON FUNCTION kbs.add_block(text, text, text, text, text, text) IS 'Voegt een lokale bouwsteen (of met parent_code een aspect onder een bouwsteen) toe en geeft het nieuwe id (vanaf 1000).';

-- Parses CSV text (delimiter , or ; detected from the header) into records.
CREATE FUNCTION kbs.csv_records(csv text)
RETURNS TABLE (line integer, fields text[])
AS 'MODULE_PATHNAME', 'kbs_sql_csv_records'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.csv_records(text) IS 'Leest CSV-tekst (scheidingsteken , of ; uit de kopregel) als rijen met regelnummer en velden.';

CREATE FUNCTION kbs.import_blocks(csv text, description text DEFAULT NULL)
RETURNS TABLE (id smallint, code text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    known constant text[] := ARRAY['code', 'parent_code', 'ring', 'domain', 'name', 'description'];
    header text[];
    col text;
    pos integer[] := ARRAY[NULL, NULL, NULL, NULL, NULL, NULL]::integer[];
    rec record;
    rowno integer := 0;
    input kbs.block_input[] := '{}';
BEGIN
    FOR rec IN SELECT c.line, c.fields FROM kbs.csv_records(csv) c LOOP
        IF header IS NULL THEN
            header := ARRAY(SELECT lower(btrim(f, E' \t')) FROM unnest(rec.fields) f);
            FOR i IN 1 .. cardinality(header) LOOP
                col := header[i];
                IF array_position(known, col) IS NULL THEN
                    RAISE EXCEPTION 'unknown column "%" in the CSV header', col
                        USING ERRCODE = 'invalid_parameter_value',
                              HINT = 'The columns are: code, parent_code, ring, domain, name, description.';
                END IF;
                IF pos[array_position(known, col)] IS NOT NULL THEN
                    RAISE EXCEPTION 'column "%" appears twice in the CSV header', col
                        USING ERRCODE = 'invalid_parameter_value';
                END IF;
                pos[array_position(known, col)] := i;
            END LOOP;
            IF pos[1] IS NULL OR pos[5] IS NULL THEN
                RAISE EXCEPTION 'the CSV header needs the columns "code" and "name"'
                    USING ERRCODE = 'invalid_parameter_value',
                          HINT = 'The columns are: code, parent_code, ring, domain, name, description.';
            END IF;
            CONTINUE;
        END IF;
        rowno := rowno + 1;
        IF cardinality(rec.fields) <> cardinality(header) THEN
            RAISE EXCEPTION 'row % (line %): expected % fields, found %', rowno, rec.line,
                cardinality(header), cardinality(rec.fields)
                USING ERRCODE = 'invalid_text_representation', DETAIL = 'Nothing was loaded.';
        END IF;
        input := input || ROW(format('row %s (line %s)', rowno, rec.line),
                              rec.fields[pos[1]], rec.fields[pos[2]], rec.fields[pos[3]],
                              rec.fields[pos[4]], rec.fields[pos[5]], rec.fields[pos[6]])::kbs.block_input;
    END LOOP;
    IF header IS NULL OR rowno = 0 THEN
        RAISE EXCEPTION 'the CSV holds no blocks' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The first line is the header: code, parent_code, ring, domain, name, description.';
    END IF;
    RETURN QUERY SELECT l.id, l.code FROM kbs.load_blocks(input,
        coalesce(import_blocks.description, format('CSV-import van %s bouwstenen', rowno))) l;
END
$$;
COMMENT ON FUNCTION kbs.import_blocks(text, text) IS 'Importeert een lijst bouwstenen of aspecten uit CSV (kolommen code, parent_code, ring, domain, name, description). Controleert eerst alle rijen; laadt alles of niets.';

CREATE FUNCTION kbs.retire_block(code text, description text DEFAULT NULL)
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
COMMENT ON FUNCTION kbs.retire_block(text, text) IS 'Laat een lokale bouwsteen en zijn aspecten vervallen: ze blijven bestaan (oude beoordelingen blijven leesbaar) en krijgen de catalogusversie waarin ze vervielen.';

CREATE VIEW kbs.scale_labels AS
SELECT s.code, s.level, s.position,
       coalesce(l.label, s.label) AS label,
       coalesce(l.anchor, s.anchor) AS anchor,
       s.meaning
  FROM kbs.scale s
  LEFT JOIN kbs.scale_local l ON l.code = s.code;
COMMENT ON VIEW kbs.scale_labels IS 'De beoordelingsschaal met de benamingen die deze gemeente gebruikt (eigen benaming waar die is vastgelegd).';
COMMENT ON COLUMN kbs.scale_labels.code IS 'Code zoals in een profiel: 0 tot en met 4, na of not_assessed.';
COMMENT ON COLUMN kbs.scale_labels.level IS 'Het niveau als getal; leeg bij niet beoordeeld en niet van toepassing.';
COMMENT ON COLUMN kbs.scale_labels.position IS 'Volgorde voor weergave.';
COMMENT ON COLUMN kbs.scale_labels.label IS 'Benaming van het niveau.';
COMMENT ON COLUMN kbs.scale_labels.anchor IS 'Ankerbeschrijving van het niveau.';
COMMENT ON COLUMN kbs.scale_labels.meaning IS 'Wat dit niveau betekent voor teamdekking en scholing.';

-- The catalogue in the wheel's fixed order, with standard types only (BI).
CREATE VIEW kbs.wheel AS
WITH RECURSIVE tree AS (
    SELECT b.id, ARRAY[b.position, b.id]::integer[] AS path, 0 AS depth
      FROM kbs.block b WHERE b.parent_id IS NULL
    UNION ALL
    -- aspects sort under their block, in their own order
    SELECT c.id, tree.path || ARRAY[c.position, c.id]::integer[], tree.depth + 1
      FROM kbs.block c JOIN tree ON c.parent_id = tree.id
     WHERE tree.depth < 100
)
SELECT row_number() OVER (ORDER BY g.position, d.position NULLS FIRST, t.path)::integer AS wheel_order,
       g.position::integer AS ring_position, g.code AS ring, g.name AS ring_name,
       d.position::integer AS domain_position, d.code AS domain, d.name AS domain_name,
       b.id::integer AS block_id, b.code AS block_code, b.name AS block_name,
       b.parent_id::integer AS parent_id, t.depth AS depth, (b.parent_id IS NOT NULL) AS is_aspect,
       b.shipped, (b.retired_in IS NOT NULL) AS retired
  FROM tree t
  JOIN kbs.block b ON b.id = t.id
  JOIN kbs.ring g ON g.code = b.ring
  LEFT JOIN kbs.domain d ON d.code = b.domain;
COMMENT ON VIEW kbs.wheel IS 'De catalogus als karrenwiel: kern, generieke competenties, per leefgebied algemene en specifieke kennis, doelgroepen; met lokale aspecten onder hun bouwsteen.';
COMMENT ON COLUMN kbs.wheel.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.wheel.ring_position IS 'Volgorde van de laag (1 = kern).';
COMMENT ON COLUMN kbs.wheel.ring IS 'Code van de laag.';
COMMENT ON COLUMN kbs.wheel.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.wheel.domain_position IS 'Plaats van het leefgebied in het karrenwiel (1 tot en met 7); leeg buiten algemene en specifieke kennis.';
COMMENT ON COLUMN kbs.wheel.domain IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.wheel.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.wheel.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.wheel.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.wheel.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.wheel.parent_id IS 'Bij een aspect: nummer van de bouwsteen die het verfijnt.';
COMMENT ON COLUMN kbs.wheel.depth IS 'Diepte in de boom: 0 voor een bouwsteen, 1 voor een aspect ervan, enzovoort.';
COMMENT ON COLUMN kbs.wheel.is_aspect IS 'Waar bij een aspect (verfijning van een bouwsteen).';
COMMENT ON COLUMN kbs.wheel.shipped IS 'Waar bij een meegeleverde bouwsteen, onwaar bij een lokale.';
COMMENT ON COLUMN kbs.wheel.retired IS 'Waar als de bouwsteen is vervallen.';

-- sql/30_types.sql
-- The three competency types: kbs.profile, kbs.requirement, kbs.coverage.
-- Every value has one canonical stored form, so equality and hashing
-- compare bytes (kbs_canonical_*).

-- kbs.profile ---------------------------------------------------------------

CREATE TYPE kbs.profile;
CREATE FUNCTION kbs.profile_in(cstring) RETURNS kbs.profile
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.profile_out(kbs.profile) RETURNS cstring
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.profile_recv(internal) RETURNS kbs.profile
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.profile_send(kbs.profile) RETURNS bytea
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE kbs.profile (
    INPUT = kbs.profile_in,
    OUTPUT = kbs.profile_out,
    RECEIVE = kbs.profile_recv,
    SEND = kbs.profile_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended
);
COMMENT ON TYPE kbs.profile IS 'Beoordeling van één persoon: per bouwsteen een niveau 0-4 of na (niet van toepassing); ontbrekende bouwstenen zijn niet beoordeeld. Tekstvorm {11:3,12:2,201:na}.';

CREATE FUNCTION kbs.profile_eq(kbs.profile, kbs.profile) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.profile_ne(kbs.profile, kbs.profile) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.profile_cmp(kbs.profile, kbs.profile) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.profile_lt(kbs.profile, kbs.profile) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN kbs.profile_cmp($1, $2) < 0;
CREATE FUNCTION kbs.profile_le(kbs.profile, kbs.profile) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN kbs.profile_cmp($1, $2) <= 0;
CREATE FUNCTION kbs.profile_gt(kbs.profile, kbs.profile) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN kbs.profile_cmp($1, $2) > 0;
CREATE FUNCTION kbs.profile_ge(kbs.profile, kbs.profile) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN kbs.profile_cmp($1, $2) >= 0;
CREATE FUNCTION kbs.profile_hash(kbs.profile) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.profile_hash_extended(kbs.profile, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR kbs.= (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_eq,
    COMMUTATOR = OPERATOR(kbs.=), NEGATOR = OPERATOR(kbs.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR kbs.<> (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_ne,
    COMMUTATOR = OPERATOR(kbs.<>), NEGATOR = OPERATOR(kbs.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR kbs.< (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_lt,
    COMMUTATOR = OPERATOR(kbs.>), NEGATOR = OPERATOR(kbs.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR kbs.<= (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_le,
    COMMUTATOR = OPERATOR(kbs.>=), NEGATOR = OPERATOR(kbs.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR kbs.> (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_gt,
    COMMUTATOR = OPERATOR(kbs.<), NEGATOR = OPERATOR(kbs.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR kbs.>= (
    LEFTARG = kbs.profile, RIGHTARG = kbs.profile, FUNCTION = kbs.profile_ge,
    COMMUTATOR = OPERATOR(kbs.<=), NEGATOR = OPERATOR(kbs.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
-- The order has no domain meaning; it lets sorts, DISTINCT and merge joins work.
CREATE OPERATOR CLASS kbs.profile_ops DEFAULT FOR TYPE kbs.profile USING btree AS
    OPERATOR 1 kbs.< , OPERATOR 2 kbs.<= , OPERATOR 3 kbs.= , OPERATOR 4 kbs.>= , OPERATOR 5 kbs.> ,
    FUNCTION 1 kbs.profile_cmp(kbs.profile, kbs.profile);
CREATE OPERATOR CLASS kbs.profile_hash_ops DEFAULT FOR TYPE kbs.profile USING hash AS
    OPERATOR 1 kbs.= ,
    FUNCTION 1 kbs.profile_hash(kbs.profile),
    FUNCTION 2 kbs.profile_hash_extended(kbs.profile, bigint);

CREATE FUNCTION kbs.level(kbs.profile, block_id integer) RETURNS smallint
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.level(kbs.profile, integer) IS 'Niveau (0-4) van een bouwsteen in een profiel; leeg als niet beoordeeld of niet van toepassing.';

CREATE FUNCTION kbs.entries(kbs.profile, OUT block_id integer, OUT level smallint, OUT applicable boolean)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION kbs.entries(kbs.profile) IS 'De beoordeelde bouwstenen van een profiel als rijen; bij niet van toepassing is level leeg en applicable onwaar.';

CREATE FUNCTION kbs.entry_count(kbs.profile) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.entry_count(kbs.profile) IS 'Aantal beoordeelde bouwstenen in een profiel (niet van toepassing telt mee).';

CREATE FUNCTION kbs.merge_max(kbs.profile, kbs.profile) RETURNS kbs.profile
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_merge_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.merge_max(kbs.profile, kbs.profile) IS 'Per bouwsteen het hoogste niveau van twee profielen (een niveau gaat voor na, na gaat voor niet beoordeeld).';
CREATE AGGREGATE kbs.merge_max_agg(kbs.profile) (
    SFUNC = kbs.merge_max, STYPE = kbs.profile, COMBINEFUNC = kbs.merge_max, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kbs.merge_max_agg(kbs.profile) IS 'Per bouwsteen het hoogste niveau over alle profielen.';

CREATE FUNCTION kbs.raise(kbs.profile, block_id integer, level integer) RETURNS kbs.profile
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_raise_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.raise(kbs.profile, integer, integer) IS 'Het profiel met één bouwsteen op minstens het gegeven niveau (voor een prognose na scholing).';

CREATE FUNCTION kbs.profile_agg_transfn(internal, integer, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_agg_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION kbs.profile_agg_text_transfn(internal, integer, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_agg_text_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION kbs.profile_agg_finalfn(internal) RETURNS kbs.profile
    AS 'MODULE_PATHNAME', 'kbs_sql_profile_agg_finalfn' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE kbs.profile_agg(block_id integer, level integer) (
    SFUNC = kbs.profile_agg_transfn, STYPE = internal, FINALFUNC = kbs.profile_agg_finalfn,
    FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
CREATE AGGREGATE kbs.profile_agg(block_id integer, level text) (
    SFUNC = kbs.profile_agg_text_transfn, STYPE = internal, FINALFUNC = kbs.profile_agg_finalfn,
    FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kbs.profile_agg(integer, integer) IS 'Bouwt een profiel uit rijen (bouwsteen, niveau 0-4); rijen met een lege waarde tellen als niet beoordeeld.';
COMMENT ON AGGREGATE kbs.profile_agg(integer, text) IS 'Bouwt een profiel uit rijen (bouwsteen, niveau ''0''-''4'' of ''na''); rijen met een lege waarde tellen als niet beoordeeld.';

-- Catalogue-aware conversions: keys are block codes (or ids as digits).
CREATE FUNCTION kbs.block_id_of(key text) RETURNS smallint
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result smallint;
BEGIN
    IF key ~ '^\s*[0-9]{1,5}\s*$' AND btrim(key)::integer BETWEEN 1 AND 32767 THEN
        RETURN btrim(key)::smallint;
    END IF;
    SELECT b.id INTO result FROM kbs.block b WHERE b.code = key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown block code "%"', key USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use a code from kbs.block or a block id between 1 and 32767.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.block_id_of(text) IS 'Id van een bouwsteen bij een code uit kbs.block of een id als cijfers; een onbekende code geeft een fout.';

CREATE FUNCTION kbs.profile_from_jsonb(levels jsonb) RETURNS kbs.profile
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

CREATE FUNCTION kbs.raise_bad_level(key text, value jsonb) RETURNS text
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
COMMENT ON FUNCTION kbs.raise_bad_level(text, jsonb) IS 'Interne hulpfunctie: fout voor een ongeldig niveau in jsonb.';
COMMENT ON FUNCTION kbs.profile_from_jsonb(jsonb) IS 'Profiel uit jsonb met bouwsteencodes (of ids) als sleutels en niveaus 0-4 of "na", bijvoorbeeld {"generic.signalling": 3, "specific.income": "na"}.';

CREATE FUNCTION kbs.profile_jsonb(kbs.profile) RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(jsonb_object_agg(coalesce(b.code, e.block_id::text),
                                         CASE WHEN e.applicable THEN to_jsonb(e.level) ELSE to_jsonb('na'::text) END
                                         ORDER BY e.block_id), '{}'::jsonb)
          FROM kbs.entries($1) e LEFT JOIN kbs.block b ON b.id = e.block_id);
COMMENT ON FUNCTION kbs.profile_jsonb(kbs.profile) IS 'Profiel als jsonb met bouwsteencodes als sleutels (ids zonder code als cijfers).';

CREATE CAST (jsonb AS kbs.profile) WITH FUNCTION kbs.profile_from_jsonb(jsonb);
CREATE CAST (kbs.profile AS jsonb) WITH FUNCTION kbs.profile_jsonb(kbs.profile);

-- kbs.requirement ----------------------------------------------------------

CREATE TYPE kbs.requirement;
CREATE FUNCTION kbs.requirement_in(cstring) RETURNS kbs.requirement
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_out(kbs.requirement) RETURNS cstring
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_recv(internal) RETURNS kbs.requirement
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_send(kbs.requirement) RETURNS bytea
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE kbs.requirement (
    INPUT = kbs.requirement_in,
    OUTPUT = kbs.requirement_out,
    RECEIVE = kbs.requirement_recv,
    SEND = kbs.requirement_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended
);
COMMENT ON TYPE kbs.requirement IS 'Wat een team nodig heeft: per bouwsteen een minimumniveau (1-4), een minimum aantal leden (of all: ieder lid) en een belang (1-3). Tekstvorm {11:1/all,31:3/2,32:3/1@3}.';

CREATE FUNCTION kbs.requirement_eq(kbs.requirement, kbs.requirement) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.requirement_ne(kbs.requirement, kbs.requirement) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.requirement_hash(kbs.requirement) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_hash_extended(kbs.requirement, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR kbs.= (
    LEFTARG = kbs.requirement, RIGHTARG = kbs.requirement, FUNCTION = kbs.requirement_eq,
    COMMUTATOR = OPERATOR(kbs.=), NEGATOR = OPERATOR(kbs.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR kbs.<> (
    LEFTARG = kbs.requirement, RIGHTARG = kbs.requirement, FUNCTION = kbs.requirement_ne,
    COMMUTATOR = OPERATOR(kbs.<>), NEGATOR = OPERATOR(kbs.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS kbs.requirement_hash_ops DEFAULT FOR TYPE kbs.requirement USING hash AS
    OPERATOR 1 kbs.= ,
    FUNCTION 1 kbs.requirement_hash(kbs.requirement),
    FUNCTION 2 kbs.requirement_hash_extended(kbs.requirement, bigint);

CREATE FUNCTION kbs.entries(kbs.requirement, OUT block_id integer, OUT min_level smallint,
                            OUT min_members integer, OUT every_member boolean, OUT importance smallint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION kbs.entries(kbs.requirement) IS 'De eisen als rijen; bij een eis voor ieder lid is min_members leeg en every_member waar.';

CREATE FUNCTION kbs.requirement_agg_transfn(internal, integer, integer, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_agg_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_agg_transfn(internal, integer, integer, integer, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_agg_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION kbs.requirement_agg_finalfn(internal) RETURNS kbs.requirement
    AS 'MODULE_PATHNAME', 'kbs_sql_requirement_agg_finalfn' LANGUAGE C PARALLEL SAFE;
CREATE AGGREGATE kbs.requirement_agg(block_id integer, min_level integer, min_members integer) (
    SFUNC = kbs.requirement_agg_transfn, STYPE = internal, FINALFUNC = kbs.requirement_agg_finalfn,
    FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
CREATE AGGREGATE kbs.requirement_agg(block_id integer, min_level integer, min_members integer, importance integer) (
    SFUNC = kbs.requirement_agg_transfn, STYPE = internal, FINALFUNC = kbs.requirement_agg_finalfn,
    FINALFUNC_MODIFY = READ_WRITE, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kbs.requirement_agg(integer, integer, integer) IS 'Bouwt een teameis uit rijen (bouwsteen, minimumniveau 1-4, minimum aantal leden; leeg = ieder lid).';
COMMENT ON AGGREGATE kbs.requirement_agg(integer, integer, integer, integer) IS 'Bouwt een teameis uit rijen (bouwsteen, minimumniveau 1-4, minimum aantal leden of leeg voor ieder lid, belang 1-3).';

CREATE FUNCTION kbs.requirement_from_jsonb(entries jsonb) RETURNS kbs.requirement
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
COMMENT ON FUNCTION kbs.requirement_from_jsonb(jsonb) IS 'Teameis uit jsonb met bouwsteencodes (of ids) als sleutels, bijvoorbeeld {"specific.income": {"level": 3, "members": 2, "importance": 3}, "general.income": {"level": 1, "members": "all"}}.';

CREATE FUNCTION kbs.requirement_jsonb(kbs.requirement) RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(jsonb_object_agg(coalesce(b.code, e.block_id::text),
                                         jsonb_build_object('level', e.min_level,
                                                            'members', CASE WHEN e.every_member THEN to_jsonb('all'::text)
                                                                            ELSE to_jsonb(e.min_members) END,
                                                            'importance', e.importance)
                                         ORDER BY e.block_id), '{}'::jsonb)
          FROM kbs.entries($1) e LEFT JOIN kbs.block b ON b.id = e.block_id);
COMMENT ON FUNCTION kbs.requirement_jsonb(kbs.requirement) IS 'Teameis als jsonb met bouwsteencodes als sleutels.';

CREATE CAST (jsonb AS kbs.requirement) WITH FUNCTION kbs.requirement_from_jsonb(jsonb);
CREATE CAST (kbs.requirement AS jsonb) WITH FUNCTION kbs.requirement_jsonb(kbs.requirement);

-- kbs.coverage -------------------------------------------------------------

CREATE TYPE kbs.coverage;
CREATE FUNCTION kbs.coverage_in(cstring) RETURNS kbs.coverage
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.coverage_out(kbs.coverage) RETURNS cstring
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.coverage_recv(internal) RETURNS kbs.coverage
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.coverage_send(kbs.coverage) RETURNS bytea
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE kbs.coverage (
    INPUT = kbs.coverage_in,
    OUTPUT = kbs.coverage_out,
    RECEIVE = kbs.coverage_recv,
    SEND = kbs.coverage_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended
);
COMMENT ON TYPE kbs.coverage IS 'De kennis van een groep (team, gemeente, land): het aantal leden en per bouwsteen hoeveel leden elk niveau 0-4 of na hebben. Optelbaar. Tekstvorm (15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}.';

CREATE FUNCTION kbs.coverage_eq(kbs.coverage, kbs.coverage) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.coverage_ne(kbs.coverage, kbs.coverage) RETURNS boolean
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION kbs.coverage_hash(kbs.coverage) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kbs.coverage_hash_extended(kbs.coverage, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'kbs_sql_canonical_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR kbs.= (
    LEFTARG = kbs.coverage, RIGHTARG = kbs.coverage, FUNCTION = kbs.coverage_eq,
    COMMUTATOR = OPERATOR(kbs.=), NEGATOR = OPERATOR(kbs.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR kbs.<> (
    LEFTARG = kbs.coverage, RIGHTARG = kbs.coverage, FUNCTION = kbs.coverage_ne,
    COMMUTATOR = OPERATOR(kbs.<>), NEGATOR = OPERATOR(kbs.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS kbs.coverage_hash_ops DEFAULT FOR TYPE kbs.coverage USING hash AS
    OPERATOR 1 kbs.= ,
    FUNCTION 1 kbs.coverage_hash(kbs.coverage),
    FUNCTION 2 kbs.coverage_hash_extended(kbs.coverage, bigint);

CREATE FUNCTION kbs.members(kbs.coverage) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_members' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.members(kbs.coverage) IS 'Aantal leden in de dekking (ook leden zonder beoordeling).';
CREATE FUNCTION kbs.count_at_least(kbs.coverage, block_id integer, level integer) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_count_at_least' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.count_at_least(kbs.coverage, integer, integer) IS 'Aantal leden met minstens dit niveau op de bouwsteen; na en niet beoordeeld tellen nooit mee.';
CREATE FUNCTION kbs.histogram(kbs.coverage, block_id integer) RETURNS integer[]
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_histogram' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.histogram(kbs.coverage, integer) IS 'Verdeling van de leden over een bouwsteen: {niveau 0, 1, 2, 3, 4, na, niet beoordeeld}.';
CREATE FUNCTION kbs.entries(kbs.coverage, OUT block_id integer, OUT level0 integer, OUT level1 integer,
                            OUT level2 integer, OUT level3 integer, OUT level4 integer, OUT na integer,
                            OUT not_assessed integer)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION kbs.entries(kbs.coverage) IS 'Per bouwsteen met minstens één oordeel: het aantal leden per niveau, met na en niet beoordeeld.';

CREATE FUNCTION kbs.coverage_add(kbs.coverage, kbs.coverage) RETURNS kbs.coverage
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_plus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.coverage_add(kbs.coverage, kbs.coverage) IS 'Telt twee dekkingen op (leden en tellingen); exact.';
CREATE OPERATOR kbs.+ (
    LEFTARG = kbs.coverage, RIGHTARG = kbs.coverage, FUNCTION = kbs.coverage_add,
    COMMUTATOR = OPERATOR(kbs.+)
);
-- The state is kbs.coverage itself, so a distributed engine can combine partial results.
CREATE AGGREGATE kbs.coverage_merge_agg(kbs.coverage) (
    SFUNC = kbs.coverage_add, STYPE = kbs.coverage, COMBINEFUNC = kbs.coverage_add,
    INITCOND = '(0){}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE kbs.coverage_merge_agg(kbs.coverage) IS 'Telt dekkingen op: team naar gemeente naar regio naar land. Over nul rijen: een lege dekking met 0 leden.';

CREATE FUNCTION kbs.coverage_jsonb(kbs.coverage) RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN jsonb_build_object(
    'members', kbs.members($1),
    'blocks', (SELECT coalesce(jsonb_object_agg(coalesce(b.code, e.block_id::text),
                                                jsonb_build_object('0', e.level0, '1', e.level1, '2', e.level2,
                                                                   '3', e.level3, '4', e.level4, 'na', e.na,
                                                                   'not_assessed', e.not_assessed)
                                                ORDER BY e.block_id), '{}'::jsonb)
                 FROM kbs.entries($1) e LEFT JOIN kbs.block b ON b.id = e.block_id));
COMMENT ON FUNCTION kbs.coverage_jsonb(kbs.coverage) IS 'Dekking als jsonb: het aantal leden en per bouwsteencode de aantallen per niveau.';
CREATE CAST (kbs.coverage AS jsonb) WITH FUNCTION kbs.coverage_jsonb(kbs.coverage);

-- sql/40_analysis.sql
-- Gap analysis and team composition (DESIGN §4): exact semantics, in C.

CREATE FUNCTION kbs.gaps(kbs.coverage, kbs.requirement,
                         OUT block_id integer, OUT min_level smallint, OUT min_members integer,
                         OUT importance smallint, OUT needed integer, OUT present integer,
                         OUT shortfall integer, OUT spare integer, OUT status text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_gaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION kbs.gaps(kbs.coverage, kbs.requirement) IS 'Per eis: nodig, aanwezig, tekort, overschot en status (gap = tekort, fragile = precies genoeg, één vertrek geeft een tekort, met = voldaan). min_members leeg = ieder lid.';

CREATE FUNCTION kbs.fulfilment(kbs.coverage, kbs.requirement) RETURNS double precision
    AS 'MODULE_PATHNAME', 'kbs_sql_fulfilment' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.fulfilment(kbs.coverage, kbs.requirement) IS 'Vervullingsgraad: som van min(aanwezig, nodig) gedeeld door de som van nodig; 1 als niets nodig is.';

CREATE FUNCTION kbs.shortfall(kbs.coverage, kbs.requirement) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_shortfall' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.shortfall(kbs.coverage, kbs.requirement) IS 'Totaal tekort: de som van de tekorten over alle eisen.';

CREATE FUNCTION kbs.gain(kbs.coverage, kbs.requirement, kbs.profile) RETURNS integer
    AS 'MODULE_PATHNAME', 'kbs_sql_gain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.gain(kbs.coverage, kbs.requirement, kbs.profile) IS 'Winst van één extra lid met dit profiel: het tekort nu min het tekort met dat lid erbij (negatief als het lid de ondergrens mist).';

CREATE FUNCTION kbs.compose(kbs.coverage, kbs.requirement, candidates kbs.profile[], k integer) RETURNS integer[]
    AS 'MODULE_PATHNAME', 'kbs_sql_compose' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kbs.compose(kbs.coverage, kbs.requirement, kbs.profile[], integer) IS 'Teamsamenstelling, gulzig: kiest steeds de kandidaat met de grootste winst (bij gelijke winst de laagste index), tot k keuzes of tot geen winst meer; geeft de indexen (vanaf 1) in kiesvolgorde.';

CREATE FUNCTION kbs.person_gaps(kbs.profile, kbs.requirement,
                                OUT block_id integer, OUT min_level smallint, OUT level smallint,
                                OUT importance smallint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_person_gaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION kbs.person_gaps(kbs.profile, kbs.requirement) IS 'De eisen voor ieder lid die deze persoon niet haalt (level leeg = niet beoordeeld); niet van toepassing telt als vrijgesteld.';

-- kbs.coverage_agg: a NULL profile counts as a member with nothing assessed;
-- zero rows give the empty coverage. Bit-sliced state; parallel via combine.
CREATE FUNCTION kbs.coverage_agg_transfn(internal, kbs.profile) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_agg_transfn' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION kbs.coverage_agg_finalfn(internal) RETURNS kbs.coverage
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_agg_finalfn' LANGUAGE C PARALLEL SAFE COST 100;
-- Costs tell the planner that a partial state is worth a few microseconds to
-- ship and combine, so it does not split small groups over workers.
CREATE FUNCTION kbs.coverage_agg_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_agg_combinefn' LANGUAGE C PARALLEL SAFE COST 200;
CREATE FUNCTION kbs.coverage_agg_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_agg_serialfn' LANGUAGE C STRICT PARALLEL SAFE COST 200;
CREATE FUNCTION kbs.coverage_agg_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'kbs_sql_coverage_agg_deserialfn' LANGUAGE C STRICT PARALLEL SAFE COST 200;
CREATE AGGREGATE kbs.coverage_agg(kbs.profile) (
    SFUNC = kbs.coverage_agg_transfn,
    STYPE = internal,
    SSPACE = 1536,   -- a team over 150 blocks: three 64-block words of counters
    FINALFUNC = kbs.coverage_agg_finalfn,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = kbs.coverage_agg_combinefn,
    SERIALFUNC = kbs.coverage_agg_serialfn,
    DESERIALFUNC = kbs.coverage_agg_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE kbs.coverage_agg(kbs.profile) IS 'Dekking van een groep uit de profielen van de leden; een leeg profiel (NULL) telt als lid zonder beoordeling. Over nul rijen: 0 leden.';

-- sql/50_model.sql
-- People, teams, assessments, requirements, partners and plans (DESIGN §5).
-- Person-level data is personal data (AVG): professionals are pseudonymous.

-- Settings: shipped defaults, and local values in kbs.setting_local (which
-- pg_dump keeps; shipped rows come from the install script).
CREATE TABLE kbs.setting (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE kbs.setting IS 'Standaardwaarden van de instellingen; eigen waarden staan in kbs.setting_local.';
COMMENT ON COLUMN kbs.setting.name IS 'Naam van de instelling.';
COMMENT ON COLUMN kbs.setting.value IS 'Standaardwaarde als tekst (een interval of een getal).';
COMMENT ON COLUMN kbs.setting.description IS 'Wat de instelling regelt.';
INSERT INTO kbs.setting (name, value, description) VALUES
    ('stale_after', '18 months', 'Een beoordeling ouder dan deze termijn telt nog mee, maar is verouderd.'),
    ('min_group_size', '5', 'Minimaal aantal beoordeelde personen achter een cijfer dat beleidsmedewerkers zien; kleiner wordt onderdrukt.'),
    ('retention_after', '2 years', 'Persoonsgegevens van wie langer dan deze termijn uit dienst is, worden verwijderd of geanonimiseerd.'),
    ('plan_due_after', '6 months', 'Standaardtermijn voor een voorgestelde scholingsactie.');

CREATE TABLE kbs.setting_local (
    name  text PRIMARY KEY REFERENCES kbs.setting (name),
    value text NOT NULL
);
COMMENT ON TABLE kbs.setting_local IS 'Eigen waarden van instellingen voor deze installatie (zet ze met kbs.set_setting).';
COMMENT ON COLUMN kbs.setting_local.name IS 'Naam van de instelling.';
COMMENT ON COLUMN kbs.setting_local.value IS 'Eigen waarde als tekst.';
SELECT pg_catalog.pg_extension_config_dump('kbs.setting_local', '');

CREATE FUNCTION kbs.setting_value(setting_name text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(l.value, s.value) FROM kbs.setting s LEFT JOIN kbs.setting_local l USING (name)
         WHERE s.name = setting_name);
COMMENT ON FUNCTION kbs.setting_value(text) IS 'De geldende waarde van een instelling (eigen waarde, anders de standaard).';

CREATE FUNCTION kbs.setting_interval(setting_name text) RETURNS interval
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_value(setting_name)::interval;
COMMENT ON FUNCTION kbs.setting_interval(text) IS 'Een instelling als interval.';

CREATE FUNCTION kbs.setting_integer(setting_name text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_value(setting_name)::integer;
COMMENT ON FUNCTION kbs.setting_integer(text) IS 'Een instelling als geheel getal.';

CREATE FUNCTION kbs.set_setting(setting_name text, new_value text) RETURNS text
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
COMMENT ON FUNCTION kbs.set_setting(text, text) IS 'Zet een eigen waarde voor een instelling, bijvoorbeeld kbs.set_setting(''stale_after'', ''12 months'').';

CREATE TABLE kbs.municipality (
    code text PRIMARY KEY,
    name text NOT NULL,
    CONSTRAINT municipality_code_format CHECK (code ~ '^GM[0-9]{4}$'),
    CONSTRAINT municipality_name_not_empty CHECK (btrim(name) <> '')
);
COMMENT ON TABLE kbs.municipality IS 'Gemeenten, met hun CBS-code.';
COMMENT ON COLUMN kbs.municipality.code IS 'CBS-gemeentecode: GM gevolgd door vier cijfers, bijvoorbeeld GM0363.';
COMMENT ON COLUMN kbs.municipality.name IS 'Naam van de gemeente.';

CREATE TABLE kbs.team (
    id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    municipality text NOT NULL REFERENCES kbs.municipality (code),
    name         text NOT NULL,
    kind         text NOT NULL DEFAULT 'wijkteam',
    active       daterange NOT NULL DEFAULT daterange(current_date, NULL),
    CONSTRAINT team_name_not_empty CHECK (btrim(name) <> ''),
    CONSTRAINT team_kind_not_empty CHECK (btrim(kind) <> ''),
    CONSTRAINT team_active_not_empty CHECK (NOT isempty(active) AND NOT lower_inf(active)),
    CONSTRAINT team_unique_name UNIQUE (municipality, name)
);
COMMENT ON TABLE kbs.team IS 'Teams (wijkteams, jeugdteams, sociale teams) van een gemeente.';
COMMENT ON COLUMN kbs.team.id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.team.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.team.name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.team.kind IS 'Soort team, bijvoorbeeld wijkteam of jeugdteam.';
COMMENT ON COLUMN kbs.team.active IS 'Periode waarin het team bestaat.';

CREATE TABLE kbs.professional (
    id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    municipality text NOT NULL REFERENCES kbs.municipality (code),
    ref          text NOT NULL,
    discipline   text,
    anonymised   boolean NOT NULL DEFAULT false,
    CONSTRAINT professional_ref_not_empty CHECK (btrim(ref) <> ''),
    CONSTRAINT professional_unique_ref UNIQUE (municipality, ref)
);
CREATE INDEX professional_municipality_idx ON kbs.professional (municipality);
COMMENT ON TABLE kbs.professional IS 'Professionals, onder een pseudoniem: namen zijn niet nodig.';
COMMENT ON COLUMN kbs.professional.id IS 'Nummer van de professional.';
COMMENT ON COLUMN kbs.professional.municipality IS 'CBS-code van de gemeente (werkgever of opdrachtgever).';
COMMENT ON COLUMN kbs.professional.ref IS 'Pseudoniem of personeelsnummer; geen naam.';
COMMENT ON COLUMN kbs.professional.discipline IS 'Discipline, bijvoorbeeld schuldhulpverlener of jeugdverpleegkundige.';
COMMENT ON COLUMN kbs.professional.anonymised IS 'Waar als de persoonsgegevens na de bewaartermijn zijn geanonimiseerd.';

-- Equal ids as one-point ranges, so a GiST exclusion needs no btree_gist.
CREATE FUNCTION kbs.point_range(integer) RETURNS int4range
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN int4range($1, $1, '[]');
COMMENT ON FUNCTION kbs.point_range(integer) IS 'Intern: een getal als bereik van één punt (voor uitsluitingsregels).';

CREATE TABLE kbs.membership (
    id              integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    professional_id integer NOT NULL REFERENCES kbs.professional (id) ON DELETE CASCADE,
    team_id         integer NOT NULL REFERENCES kbs.team (id),
    during          daterange NOT NULL,
    CONSTRAINT membership_during_valid CHECK (NOT isempty(during) AND NOT lower_inf(during)),
    CONSTRAINT membership_no_overlap EXCLUDE USING gist (
        kbs.point_range(professional_id) WITH =, kbs.point_range(team_id) WITH =, during WITH &&)
);
CREATE INDEX membership_team_idx ON kbs.membership USING gist (kbs.point_range(team_id), during);
CREATE INDEX membership_professional_idx ON kbs.membership (professional_id);
-- A team's members at a date: the GiST above cannot use team_id = x, and at national scale a
-- scan for "during contains the date" alone reads every membership of the country.
CREATE INDEX membership_team_id_idx ON kbs.membership (team_id);
COMMENT ON TABLE kbs.membership IS 'Lidmaatschap van een team over een periode; iemand kan van team wisselen, maar zijn perioden in één team overlappen nooit.';
COMMENT ON COLUMN kbs.membership.id IS 'Nummer van het lidmaatschap.';
COMMENT ON COLUMN kbs.membership.professional_id IS 'De professional.';
COMMENT ON COLUMN kbs.membership.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.membership.during IS 'Periode van het lidmaatschap (begin inbegrepen, einde niet; open einde = nog lid).';

CREATE TABLE kbs.assessment_round (
    id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    municipality text NOT NULL REFERENCES kbs.municipality (code),
    name         text NOT NULL,
    peildatum    date NOT NULL,
    status       text NOT NULL DEFAULT 'draft',
    CONSTRAINT assessment_round_status CHECK (status IN ('draft', 'final')),
    CONSTRAINT assessment_round_unique UNIQUE (municipality, name)
);
COMMENT ON TABLE kbs.assessment_round IS 'Beoordelingsronden van een gemeente, elk met een peildatum.';
COMMENT ON COLUMN kbs.assessment_round.id IS 'Nummer van de ronde.';
COMMENT ON COLUMN kbs.assessment_round.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.assessment_round.name IS 'Naam van de ronde, bijvoorbeeld voorjaar 2026.';
COMMENT ON COLUMN kbs.assessment_round.peildatum IS 'Peildatum van de ronde.';
COMMENT ON COLUMN kbs.assessment_round.status IS 'draft (loopt nog) of final (afgesloten).';

CREATE TABLE kbs.assessment (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    professional_id integer NOT NULL REFERENCES kbs.professional (id) ON DELETE CASCADE,
    assessed_on     date NOT NULL,
    source          text NOT NULL,
    status          text NOT NULL DEFAULT 'final',
    round_id        integer REFERENCES kbs.assessment_round (id),
    profile         kbs.profile NOT NULL,
    validated_by    text,
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assessment_source CHECK (source IN ('self', 'supervisor', 'peer', 'team')),
    CONSTRAINT assessment_status CHECK (status IN ('draft', 'final'))
);
CREATE INDEX assessment_professional_idx ON kbs.assessment (professional_id, assessed_on);
COMMENT ON TABLE kbs.assessment IS 'Beoordelingen: per professional en datum een profiel, met de bron (zelf, leidinggevende, collega, team) en de status (concept of definitief).';
COMMENT ON COLUMN kbs.assessment.id IS 'Nummer van de beoordeling.';
COMMENT ON COLUMN kbs.assessment.professional_id IS 'De beoordeelde professional.';
COMMENT ON COLUMN kbs.assessment.assessed_on IS 'Datum van de beoordeling.';
COMMENT ON COLUMN kbs.assessment.source IS 'Bron: self, supervisor, peer of team.';
COMMENT ON COLUMN kbs.assessment.status IS 'draft (concept, telt niet mee) of final (definitief).';
COMMENT ON COLUMN kbs.assessment.round_id IS 'De beoordelingsronde, als de beoordeling bij een ronde hoort.';
COMMENT ON COLUMN kbs.assessment.profile IS 'Het profiel: per bouwsteen een niveau 0-4 of na.';
COMMENT ON COLUMN kbs.assessment.validated_by IS 'Wie de beoordeling heeft gevalideerd (functie of pseudoniem).';
COMMENT ON COLUMN kbs.assessment.note IS 'Toelichting.';
COMMENT ON COLUMN kbs.assessment.created_at IS 'Moment van vastleggen.';

CREATE TABLE kbs.requirement_template (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL,
    requirement kbs.requirement NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    CONSTRAINT requirement_template_code_format CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$')
);
COMMENT ON TABLE kbs.requirement_template IS 'Sjablonen voor teameisen: basis en robuust worden meegeleverd, eigen sjablonen kunnen erbij.';
COMMENT ON COLUMN kbs.requirement_template.code IS 'Code van het sjabloon.';
COMMENT ON COLUMN kbs.requirement_template.name IS 'Naam van het sjabloon.';
COMMENT ON COLUMN kbs.requirement_template.description IS 'Wat het sjabloon vraagt.';
COMMENT ON COLUMN kbs.requirement_template.requirement IS 'De eis.';
COMMENT ON COLUMN kbs.requirement_template.shipped IS 'Waar als het sjabloon is meegeleverd.';
INSERT INTO kbs.requirement_template (code, name, description, requirement, shipped)
SELECT 'basis', 'Basis',
       'Generieke competenties en algemene kennis minstens op niveau 1 (signaleren) voor ieder lid; per leefgebied specifieke kennis op niveau 3 (zelfstandig ondersteunen) bij minstens één lid.',
       kbs.requirement_agg(b.id, CASE WHEN b.ring = 'specific' THEN 3 ELSE 1 END,
                           CASE WHEN b.ring = 'specific' THEN 1 END),
       true
  FROM kbs.block b WHERE b.shipped AND b.ring IN ('generic', 'general', 'specific')
UNION ALL
SELECT 'robuust', 'Robuust',
       'Als basis, maar per leefgebied specifieke kennis op niveau 3 bij minstens twee leden: geen enkelvoudig kennispunt.',
       kbs.requirement_agg(b.id, CASE WHEN b.ring = 'specific' THEN 3 ELSE 1 END,
                           CASE WHEN b.ring = 'specific' THEN 2 END),
       true
  FROM kbs.block b WHERE b.shipped AND b.ring IN ('generic', 'general', 'specific');
SELECT pg_catalog.pg_extension_config_dump('kbs.requirement_template', 'WHERE NOT shipped');

CREATE TABLE kbs.team_requirement (
    id          integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    team_id     integer NOT NULL REFERENCES kbs.team (id),
    during      daterange NOT NULL,
    requirement kbs.requirement NOT NULL,
    template    text REFERENCES kbs.requirement_template (code),
    note        text,
    CONSTRAINT team_requirement_during_valid CHECK (NOT isempty(during) AND NOT lower_inf(during)),
    CONSTRAINT team_requirement_no_overlap EXCLUDE USING gist (kbs.point_range(team_id) WITH =, during WITH &&)
);
COMMENT ON TABLE kbs.team_requirement IS 'Wat een team nodig heeft, geldig over een periode; perioden van één team overlappen niet.';
COMMENT ON COLUMN kbs.team_requirement.id IS 'Nummer van de teameis.';
COMMENT ON COLUMN kbs.team_requirement.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.team_requirement.during IS 'Periode waarin de eis geldt.';
COMMENT ON COLUMN kbs.team_requirement.requirement IS 'De eis.';
COMMENT ON COLUMN kbs.team_requirement.template IS 'Het sjabloon waarvan de eis is afgeleid, als dat zo is.';
COMMENT ON COLUMN kbs.team_requirement.note IS 'Toelichting: waarom het team dit nodig heeft.';

CREATE TABLE kbs.partner (
    id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    municipality text NOT NULL REFERENCES kbs.municipality (code),
    organisation text NOT NULL,
    description  text,
    profile      kbs.profile NOT NULL,
    during       daterange NOT NULL DEFAULT daterange(current_date, NULL),
    CONSTRAINT partner_organisation_not_empty CHECK (btrim(organisation) <> ''),
    CONSTRAINT partner_during_valid CHECK (NOT isempty(during) AND NOT lower_inf(during))
);
COMMENT ON TABLE kbs.partner IS 'Ketenpartners buiten het team (bijvoorbeeld schuldhulp, GGZ, Veilig Thuis) en de kennis die zij inbrengen; apart geteld van het team.';
COMMENT ON COLUMN kbs.partner.id IS 'Nummer van de ketenpartner.';
COMMENT ON COLUMN kbs.partner.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.partner.organisation IS 'Naam van de organisatie.';
COMMENT ON COLUMN kbs.partner.description IS 'Toelichting op de samenwerking.';
COMMENT ON COLUMN kbs.partner.profile IS 'De kennis die de partner inbrengt, als profiel.';
COMMENT ON COLUMN kbs.partner.during IS 'Periode van de samenwerking.';

CREATE TABLE kbs.partner_team (
    partner_id integer NOT NULL REFERENCES kbs.partner (id) ON DELETE CASCADE,
    team_id    integer NOT NULL REFERENCES kbs.team (id),
    PRIMARY KEY (partner_id, team_id)
);
COMMENT ON TABLE kbs.partner_team IS 'Welke teams een ketenpartner bedient.';
COMMENT ON COLUMN kbs.partner_team.partner_id IS 'De ketenpartner.';
COMMENT ON COLUMN kbs.partner_team.team_id IS 'Het team.';

CREATE TABLE kbs.plan_item (
    id              integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    team_id         integer NOT NULL REFERENCES kbs.team (id),
    professional_id integer REFERENCES kbs.professional (id) ON DELETE SET NULL,
    block_id        smallint NOT NULL REFERENCES kbs.block (id),
    target_level    smallint NOT NULL,
    due_on          date NOT NULL,
    status          text NOT NULL DEFAULT 'proposed',
    created_on      date NOT NULL DEFAULT current_date,
    started_on      date,
    done_on         date,
    note            text,
    CONSTRAINT plan_item_target_level CHECK (target_level BETWEEN 1 AND 4),
    CONSTRAINT plan_item_status CHECK (status IN ('proposed', 'planned', 'in_progress', 'done', 'cancelled')),
    CONSTRAINT plan_item_dates CHECK (due_on >= created_on AND (started_on IS NULL OR started_on >= created_on)
                                      AND (done_on IS NULL OR done_on >= coalesce(started_on, created_on))),
    CONSTRAINT plan_item_done_has_date CHECK ((status = 'done') = (done_on IS NOT NULL))
);
CREATE INDEX plan_item_team_idx ON kbs.plan_item (team_id, status);
-- A person's items per block: propose_plan, forecast and growth in the data generator look them up.
CREATE INDEX plan_item_professional_idx ON kbs.plan_item (professional_id, block_id);
COMMENT ON TABLE kbs.plan_item IS 'Scholingsplan: wie welke bouwsteen naar welk niveau brengt, wanneer, en hoe ver het is.';
COMMENT ON COLUMN kbs.plan_item.id IS 'Nummer van de scholingsactie.';
COMMENT ON COLUMN kbs.plan_item.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.plan_item.professional_id IS 'Wie de scholing volgt; leeg voor een teamactie (bijvoorbeeld werven).';
COMMENT ON COLUMN kbs.plan_item.block_id IS 'De bouwsteen.';
COMMENT ON COLUMN kbs.plan_item.target_level IS 'Het beoogde niveau (1-4).';
COMMENT ON COLUMN kbs.plan_item.due_on IS 'Streefdatum.';
COMMENT ON COLUMN kbs.plan_item.status IS 'proposed (voorgesteld), planned (gepland), in_progress (bezig), done (afgerond) of cancelled (vervallen).';
COMMENT ON COLUMN kbs.plan_item.created_on IS 'Datum van aanmaken.';
COMMENT ON COLUMN kbs.plan_item.started_on IS 'Datum van start.';
COMMENT ON COLUMN kbs.plan_item.done_on IS 'Datum van afronden.';
COMMENT ON COLUMN kbs.plan_item.note IS 'Toelichting, bijvoorbeeld de gekozen training.';

-- Profiles and requirements may only name blocks of the catalogue.
CREATE FUNCTION kbs.unknown_blocks(kbs.profile) RETURNS integer[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN ARRAY(SELECT e.block_id FROM kbs.entries($1) e
              WHERE NOT EXISTS (SELECT 1 FROM kbs.block b WHERE b.id = e.block_id) ORDER BY 1);
CREATE FUNCTION kbs.unknown_blocks(kbs.requirement) RETURNS integer[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN ARRAY(SELECT e.block_id FROM kbs.entries($1) e
              WHERE NOT EXISTS (SELECT 1 FROM kbs.block b WHERE b.id = e.block_id) ORDER BY 1);
COMMENT ON FUNCTION kbs.unknown_blocks(kbs.profile) IS 'Bouwsteen-ids in het profiel die niet in de catalogus staan.';
COMMENT ON FUNCTION kbs.unknown_blocks(kbs.requirement) IS 'Bouwsteen-ids in de eis die niet in de catalogus staan.';

CREATE FUNCTION kbs.check_known_blocks() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unknown integer[];
BEGIN
    -- A restore (pg_dump sets check_function_bodies off) may load assessments
    -- before the local blocks they name: kbs.assessment sorts before kbs.block.
    IF NOT current_setting('check_function_bodies')::boolean THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME IN ('team_requirement', 'requirement_template') THEN
        unknown := kbs.unknown_blocks(NEW.requirement);
    ELSE
        unknown := kbs.unknown_blocks(NEW.profile);
    END IF;
    IF cardinality(unknown) > 0 THEN
        RAISE EXCEPTION 'block % is not in the catalogue', unknown[1]
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Unknown block ids in this %s: %s.', replace(TG_TABLE_NAME, '_', ' '),
                                  array_to_string(unknown, ', ')),
                  HINT = 'Add local blocks with kbs.add_block() first.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assessment_known_blocks BEFORE INSERT OR UPDATE OF profile ON kbs.assessment
    FOR EACH ROW EXECUTE FUNCTION kbs.check_known_blocks();
CREATE TRIGGER partner_known_blocks BEFORE INSERT OR UPDATE OF profile ON kbs.partner
    FOR EACH ROW EXECUTE FUNCTION kbs.check_known_blocks();
CREATE TRIGGER team_requirement_known_blocks BEFORE INSERT OR UPDATE OF requirement ON kbs.team_requirement
    FOR EACH ROW EXECUTE FUNCTION kbs.check_known_blocks();
CREATE TRIGGER requirement_template_known_blocks BEFORE INSERT OR UPDATE OF requirement ON kbs.requirement_template
    FOR EACH ROW EXECUTE FUNCTION kbs.check_known_blocks();

-- A membership must lie within the team's life and the professional's municipality.
CREATE FUNCTION kbs.check_membership() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    p_municipality text;
BEGIN
    SELECT tm.municipality, tm.active, tm.name INTO t FROM kbs.team tm WHERE tm.id = NEW.team_id;
    SELECT pr.municipality INTO p_municipality FROM kbs.professional pr WHERE pr.id = NEW.professional_id;
    IF t.municipality IS DISTINCT FROM p_municipality THEN
        RAISE EXCEPTION 'professional % belongs to municipality %, team "%" to %',
            NEW.professional_id, p_municipality, t.name, t.municipality
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT t.active @> NEW.during THEN
        RAISE EXCEPTION 'membership % lies outside the active period % of team "%"', NEW.during, t.active, t.name
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER membership_check BEFORE INSERT OR UPDATE ON kbs.membership
    FOR EACH ROW EXECUTE FUNCTION kbs.check_membership();

SELECT pg_catalog.pg_extension_config_dump('kbs.municipality', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.team', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.professional', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.membership', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.assessment_round', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.assessment', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.team_requirement', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.partner', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.partner_team', '');
SELECT pg_catalog.pg_extension_config_dump('kbs.plan_item', '');

-- Identity sequences of the data tables travel with pg_dump too (one call per
-- statement: each call rewrites the extension's catalog row).
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.team', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.professional', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.membership', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.assessment_round', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.assessment', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.team_requirement', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.partner', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.plan_item', 'id'), '');

-- sql/60_time.sql
-- Time: effective profiles, team coverage at a date, snapshots, and the
-- scholingsplan (proposals from gaps, forecast, partners).

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
CREATE TRIGGER assessment_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.assessment
    FOR EACH ROW EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER membership_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.membership
    FOR EACH ROW EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER team_requirement_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.team_requirement
    FOR EACH ROW EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.partner
    FOR EACH ROW EXECUTE FUNCTION kbs.mark_dirty();
CREATE TRIGGER partner_team_dirty AFTER INSERT OR UPDATE OR DELETE ON kbs.partner_team
    FOR EACH ROW EXECUTE FUNCTION kbs.mark_dirty();

-- Staleness depends on a setting: a change there dirties everything.
CREATE FUNCTION kbs.mark_all_dirty() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext('kbs.refresh_snapshots'));   -- as in kbs.mark_dirty
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

-- Stores a snapshot per team and peildatum; recomputes only what is missing
-- or changed since it was stored. Returns the number of snapshots computed.
CREATE FUNCTION kbs.refresh_snapshots(from_date date, to_date date) RETURNS integer
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
COMMENT ON FUNCTION kbs.refresh_snapshots(date, date) IS 'Legt momentopnamen vast per team en peildatum in de periode; berekent alleen wat ontbreekt of sindsdien gewijzigd is. Geeft het aantal berekende momentopnamen.';

-- Scholingsplan ----------------------------------------------------------------

-- For each gap, the members closest to the required level (one level below
-- first; not assessed last; na never) without an open item for the block,
-- never more than the shortfall left after the open items.
CREATE FUNCTION kbs.propose_plan(team_id integer, at date)
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
COMMENT ON FUNCTION kbs.propose_plan(integer, date) IS 'Stelt scholingsacties voor uit de tekorten van een team op een datum: per tekort de leden die het dichtst bij het vereiste niveau zitten (eerst één niveau eronder), zonder open actie voor die bouwsteen, nooit meer dan het tekort.';

-- If every open item were done: coverage with the members' blocks raised.
CREATE FUNCTION kbs.forecast(team_id integer, at date)
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
                       AND i.status IN ('proposed', 'planned', 'in_progress')) x) AS p,
               m.profile AS now_p
          FROM kbs.member_profiles_at(forecast.team_id, at) m
    ), cov AS (
        SELECT kbs.coverage_agg(raised.now_p) AS now_c, kbs.coverage_agg(raised.p) AS fc_c FROM raised
    )
    SELECT kbs.fulfilment(cov.now_c, req.r), kbs.fulfilment(cov.fc_c, req.r),
           kbs.shortfall(cov.now_c, req.r), kbs.shortfall(cov.fc_c, req.r)
      FROM cov, req;
END;
COMMENT ON FUNCTION kbs.forecast(integer, date) IS 'Vervulling en tekort van een team nu en als alle open scholingsacties van leden zijn afgerond (teamacties zonder persoon tellen niet mee).';

-- sql/65_retention.sql
-- Retention (AVG): people who left longer ago than a setting lose their
-- person-level data; stored snapshots and aggregates stay exactly as they were.

CREATE FUNCTION kbs.apply_retention(at date DEFAULT current_date)
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
COMMENT ON FUNCTION kbs.apply_retention(date) IS 'Bewaartermijn: verwijdert de beoordelingen en anonimiseert de gegevens van wie langer dan de bewaartermijn (instelling retention_after, standaard 2 jaar) geen lid meer is; momentopnamen en cijfers blijven ongewijzigd. Veilig om herhaald te draaien.';

-- sql/70_views.sql
-- Views for BI tools (DESIGN §6): long/tidy, one grain each, standard types
-- only, code + Dutch label pairs, the wheel's order, a real peildatum, and a
-- Dutch comment on every view and column.
--
-- Two kinds of view:
--   * aggregate views (team, municipality, benchmark) read the stored
--     snapshots only. They run with the rights of their owner and filter rows
--     themselves: a reader sees the teams and municipalities granted to it in
--     kbs.grant. Values that are not published (too few assessed persons, or
--     derivable by differencing: see kbs.publication) are NULL with
--     suppressed = true for readers without person-level access to that team.
--   * person-level views (heat map, T-shape, freshness, self vs supervisor,
--     plan progress) are security_invoker: row-level security on the base
--     tables (sql/80_security.sql) decides what a coordinator sees, and
--     kbs_policy has no access to them at all.
-- Roles, privileges and the row-level security policies follow in
-- sql/80_security.sql; the objects the views need come first here.

-- Who may see what ------------------------------------------------------------

-- A member of `role` may see the municipality or the team (one of the two).
CREATE TABLE kbs.grant (
    id           integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    role         text NOT NULL,
    municipality text REFERENCES kbs.municipality (code) ON DELETE CASCADE,
    team_id      integer REFERENCES kbs.team (id) ON DELETE CASCADE,
    granted_at   timestamptz NOT NULL DEFAULT now(),
    note         text,
    CONSTRAINT grant_one_scope CHECK ((municipality IS NULL) <> (team_id IS NULL)),
    CONSTRAINT grant_unique UNIQUE NULLS NOT DISTINCT (role, municipality, team_id)
);
CREATE INDEX grant_role_idx ON kbs.grant (role);
COMMENT ON TABLE kbs.grant IS 'Toegang: wie (een databaserol, meestal een inlogrol) welke gemeente of welk team mag zien. Wat de rol daar ziet, hangt af van de groepsrol: kbs_coordinator ziet persoonsgegevens van die teams, kbs_policy alleen geaggregeerde en onderdrukte cijfers.';
COMMENT ON COLUMN kbs.grant.id IS 'Nummer van de toekenning.';
COMMENT ON COLUMN kbs.grant.role IS 'Naam van de databaserol die toegang krijgt; ook wie lid is van die rol krijgt toegang.';
COMMENT ON COLUMN kbs.grant.municipality IS 'CBS-code van de gemeente waartoe de rol toegang krijgt (alle teams ervan); leeg bij toegang tot één team.';
COMMENT ON COLUMN kbs.grant.team_id IS 'Het team waartoe de rol toegang krijgt; leeg bij toegang tot een hele gemeente.';
COMMENT ON COLUMN kbs.grant.granted_at IS 'Moment van toekennen.';
COMMENT ON COLUMN kbs.grant.note IS 'Toelichting, bijvoorbeeld de functie of de reden.';
SELECT pg_catalog.pg_extension_config_dump('kbs.grant', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('kbs.grant', 'id'), '');

CREATE FUNCTION kbs.grant_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = NEW.role) THEN
        RAISE EXCEPTION 'role "%" does not exist', NEW.role USING ERRCODE = 'undefined_object',
            HINT = 'Create the login role first and make it a member of kbs_coordinator or kbs_policy.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION kbs.grant_check() IS 'Intern: een toekenning moet een bestaande databaserol noemen.';
CREATE TRIGGER grant_check BEFORE INSERT OR UPDATE OF role ON kbs.grant
    FOR EACH ROW EXECUTE FUNCTION kbs.grant_check();

-- True when the current user holds a grant for the municipality or the team.
-- Runs with the caller's rights: row-level security on kbs.grant shows a
-- role only its own grants.
CREATE FUNCTION kbs.granted(municipality text, team_id integer) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT 1 FROM kbs.grant g JOIN pg_catalog.pg_roles r ON r.rolname = g.role
                WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                  AND (g.municipality = granted.municipality OR g.team_id = granted.team_id));
COMMENT ON FUNCTION kbs.granted(text, integer) IS 'Waar als de huidige gebruiker (of een rol waarvan hij lid is) toegang heeft tot deze gemeente of dit team volgens kbs.grant.';

-- The date of the person-level views: the setting kbs.as_of, else today.
CREATE FUNCTION kbs.as_of() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce(nullif(current_setting('kbs.as_of', true), '')::date, current_date);
COMMENT ON FUNCTION kbs.as_of() IS 'Peildatum van de persoonsoverzichten: de sessie-instelling kbs.as_of (SET kbs.as_of = ''2025-06-30''), anders vandaag.';

-- Per team: may the current user see it, and its person-level data?
-- Used inside the aggregate views, which run with their owner's rights, so
-- current_user is still the reader.
CREATE VIEW kbs.team_access AS
SELECT t.id AS team_id, t.municipality,
       (a.is_admin OR kbs.granted(t.municipality, t.id)) AS visible,
       (a.is_admin OR (a.is_coordinator AND kbs.granted(t.municipality, t.id))) AS person_access
  FROM kbs.team t
 CROSS JOIN (SELECT pg_catalog.pg_has_role(current_user, 'kbs_admin', 'MEMBER') AS is_admin,
                    pg_catalog.pg_has_role(current_user, 'kbs_coordinator', 'MEMBER') AS is_coordinator) a;
COMMENT ON VIEW kbs.team_access IS 'Intern: per team of de huidige gebruiker het mag zien en of hij er persoonsgegevens van mag zien (beheerder, of coördinator met toegang).';
COMMENT ON COLUMN kbs.team_access.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.team_access.municipality IS 'CBS-code van de gemeente van het team.';
COMMENT ON COLUMN kbs.team_access.visible IS 'Waar als de gebruiker het team mag zien.';
COMMENT ON COLUMN kbs.team_access.person_access IS 'Waar als de gebruiker persoonsgegevens van het team mag zien; dan worden cijfers niet onderdrukt.';

-- A municipality is visible with a grant on it or on one of its teams.
CREATE VIEW kbs.municipality_access AS
SELECT m.code AS municipality,
       (pg_catalog.pg_has_role(current_user, 'kbs_admin', 'MEMBER') OR kbs.granted(m.code, NULL)
        OR EXISTS (SELECT 1 FROM kbs.team t WHERE t.municipality = m.code AND kbs.granted(NULL, t.id))) AS visible
  FROM kbs.municipality m;
COMMENT ON VIEW kbs.municipality_access IS 'Intern: per gemeente of de huidige gebruiker de geaggregeerde cijfers ervan mag zien.';
COMMENT ON COLUMN kbs.municipality_access.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.municipality_access.visible IS 'Waar als de gebruiker de gemeente of een van haar teams mag zien.';

-- What may be published ---------------------------------------------------------
--
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

-- In how many persons two such sets differ (joined, left or reassessed).
CREATE FUNCTION kbs.person_set_distance(a jsonb, b jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT count(*)::integer
          FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) k(key)
         WHERE (a -> k.key) IS DISTINCT FROM (b -> k.key));
COMMENT ON FUNCTION kbs.person_set_distance(jsonb, jsonb) IS 'Intern: in hoeveel personen twee groepen beoordeelde leden verschillen (erbij, eraf of opnieuw beoordeeld).';

-- Decides the cells of one team from a peildatum on; earlier decisions stay.
CREATE FUNCTION kbs.publication_decide(team_id integer, from_date date) RETURNS integer
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
        ELSIF (SELECT count(*) FROM jsonb_object_keys(cur)) <> s.assessed THEN
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
COMMENT ON FUNCTION kbs.publication_decide(integer, date) IS 'Intern: besluit voor de momentopnamen van een team vanaf een peildatum of ze gepubliceerd mogen worden; eerdere besluiten blijven staan.';

-- At the end of the transaction that wrote snapshots: decide every team from
-- its earliest snapshot without a current decision. Later calls for the same
-- team find nothing left to do.
CREATE FUNCTION kbs.publication_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k integer := kbs.setting_integer('min_group_size');
    since date;
BEGIN
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
COMMENT ON FUNCTION kbs.publication_sync() IS 'Intern: besluit aan het eind van de transactie over nieuwe of herberekende momentopnamen van een team of ze gepubliceerd mogen worden.';
CREATE CONSTRAINT TRIGGER snapshot_publication AFTER INSERT OR UPDATE ON kbs.snapshot
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kbs.publication_sync();

CREATE FUNCTION kbs.refresh_publication(team_id integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t integer;
    n integer := 0;
BEGIN
    FOR t IN SELECT DISTINCT s.team_id FROM kbs.snapshot s
              WHERE refresh_publication.team_id IS NULL OR s.team_id = refresh_publication.team_id
              ORDER BY 1 LOOP
        n := n + kbs.publication_decide(t, '-infinity');
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION kbs.refresh_publication(integer) IS 'Besluit opnieuw over alle momentopnamen (van één team, of van alle teams) of ze gepubliceerd mogen worden, bijvoorbeeld na het terugzetten van een dump. Gebeurt anders vanzelf bij het bijwerken van momentopnamen. Geeft het aantal besluiten.';

-- Labels ------------------------------------------------------------------------

CREATE FUNCTION kbs.status_label(status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE status WHEN 'gap' THEN 'tekort' WHEN 'fragile' THEN 'kwetsbaar' WHEN 'met' THEN 'voldaan' END;
COMMENT ON FUNCTION kbs.status_label(text) IS 'Nederlandse benaming van een status: gap = tekort, fragile = kwetsbaar (één vertrek geeft een tekort), met = voldaan.';

CREATE FUNCTION kbs.source_label(source text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE source WHEN 'self' THEN 'zelf' WHEN 'supervisor' THEN 'leidinggevende' WHEN 'peer' THEN 'collega'
                   WHEN 'team' THEN 'team' END;
COMMENT ON FUNCTION kbs.source_label(text) IS 'Nederlandse benaming van de bron van een beoordeling.';

CREATE FUNCTION kbs.importance_label(importance integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE importance WHEN 1 THEN 'laag' WHEN 2 THEN 'normaal' WHEN 3 THEN 'hoog' END;
COMMENT ON FUNCTION kbs.importance_label(integer) IS 'Nederlandse benaming van het belang van een eis (1 laag, 2 normaal, 3 hoog).';

-- A ratio as numeric with four decimals (NULL when the denominator is 0).
CREATE FUNCTION kbs.ratio(numerator numeric, denominator numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN round(numerator / nullif(denominator, 0), 4);
COMMENT ON FUNCTION kbs.ratio(numeric, numeric) IS 'Een verhouding afgerond op vier decimalen; leeg als de noemer 0 is.';

-- Internal building blocks of the aggregate views ------------------------------

-- The groups of the wheel that aggregates use: a ring, and for general and
-- specific knowledge a domain; with the shipped block whose carriers count.
CREATE VIEW kbs.wheel_group AS
SELECT g.position::integer AS ring_position, g.code AS ring, g.name AS ring_name,
       d.position::integer AS domain_position, d.code AS domain, d.name AS domain_name,
       b.id::integer AS carrier_block_id,
       CASE g.code WHEN 'general' THEN 1 WHEN 'specific' THEN 3 END AS carrier_level
  FROM kbs.ring g
  LEFT JOIN kbs.domain d ON g.code IN ('general', 'specific')
  LEFT JOIN kbs.block b ON b.ring = g.code AND b.domain = d.code AND b.parent_id IS NULL AND b.shipped;
COMMENT ON VIEW kbs.wheel_group IS 'Intern: de groepen van het karrenwiel voor aggregaten: per laag, en bij algemene en specifieke kennis per leefgebied.';
COMMENT ON COLUMN kbs.wheel_group.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.wheel_group.ring IS 'Code van de laag.';
COMMENT ON COLUMN kbs.wheel_group.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.wheel_group.domain_position IS 'Plaats van het leefgebied in het karrenwiel.';
COMMENT ON COLUMN kbs.wheel_group.domain IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.wheel_group.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.wheel_group.carrier_block_id IS 'De meegeleverde bouwsteen waarvan de kennisdragers worden geteld.';
COMMENT ON COLUMN kbs.wheel_group.carrier_level IS 'Niveau vanaf waar iemand kennisdrager is: 1 bij algemene, 3 bij specifieke kennis.';

-- Every snapshot with its publication decision (for every reader the same).
CREATE VIEW kbs.snapshot_cell AS
SELECT s.team_id, t.name AS team_name, t.municipality, m.name AS municipality_name, s.peildatum,
       s.coverage, s.requirement, s.partner_coverage, s.members, s.assessed, s.stale,
       coalesce(p.published AND p.snapshot_computed_at = s.computed_at
                AND p.min_group_size = (SELECT kbs.setting_integer('min_group_size')), false) AS published
  FROM kbs.snapshot s
  JOIN kbs.team t ON t.id = s.team_id
  JOIN kbs.municipality m ON m.code = t.municipality
  LEFT JOIN kbs.publication p ON p.team_id = s.team_id AND p.peildatum = s.peildatum;
COMMENT ON VIEW kbs.snapshot_cell IS 'Intern: elke momentopname met het besluit of de cijfers gepubliceerd mogen worden.';
COMMENT ON COLUMN kbs.snapshot_cell.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.snapshot_cell.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.snapshot_cell.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.snapshot_cell.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.snapshot_cell.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.snapshot_cell.coverage IS 'Dekking van het team.';
COMMENT ON COLUMN kbs.snapshot_cell.requirement IS 'Geldende eis.';
COMMENT ON COLUMN kbs.snapshot_cell.partner_coverage IS 'Dekking van de ketenpartners.';
COMMENT ON COLUMN kbs.snapshot_cell.members IS 'Aantal leden.';
COMMENT ON COLUMN kbs.snapshot_cell.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.snapshot_cell.stale IS 'Aantal leden met een verouderde beoordeling.';
COMMENT ON COLUMN kbs.snapshot_cell.published IS 'Waar als de cijfers gepubliceerd mogen worden (met de huidige minimale groepsgrootte).';

-- The snapshots the current user may see, and whether it sees their values.
CREATE VIEW kbs.team_cell WITH (security_barrier = true) AS
SELECT c.*, a.person_access, (c.published OR a.person_access) AS shown
  FROM kbs.snapshot_cell c
  JOIN kbs.team_access a ON a.team_id = c.team_id
 WHERE a.visible;
COMMENT ON VIEW kbs.team_cell IS 'Intern: de momentopnamen die de huidige gebruiker mag zien, en of hij de waarden ziet.';
COMMENT ON COLUMN kbs.team_cell.team_id IS 'Het team.';
COMMENT ON COLUMN kbs.team_cell.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.team_cell.municipality IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.team_cell.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.team_cell.peildatum IS 'Peildatum.';
COMMENT ON COLUMN kbs.team_cell.coverage IS 'Dekking van het team.';
COMMENT ON COLUMN kbs.team_cell.requirement IS 'Geldende eis.';
COMMENT ON COLUMN kbs.team_cell.partner_coverage IS 'Dekking van de ketenpartners.';
COMMENT ON COLUMN kbs.team_cell.members IS 'Aantal leden.';
COMMENT ON COLUMN kbs.team_cell.assessed IS 'Aantal beoordeelde leden.';
COMMENT ON COLUMN kbs.team_cell.stale IS 'Aantal leden met een verouderde beoordeling.';
COMMENT ON COLUMN kbs.team_cell.published IS 'Waar als de cijfers gepubliceerd mogen worden.';
COMMENT ON COLUMN kbs.team_cell.person_access IS 'Waar als de gebruiker persoonsgegevens van het team mag zien.';
COMMENT ON COLUMN kbs.team_cell.shown IS 'Waar als de gebruiker de waarden ziet (gepubliceerd, of met toegang tot persoonsgegevens).';

-- Per snapshot and group of the wheel: the requirement entries summed.
CREATE VIEW kbs.snapshot_group AS
SELECT c.team_id, c.municipality, c.peildatum, c.published, c.members, c.assessed, c.stale,
       y.ring_position, y.ring, y.ring_name, y.domain_position, y.domain, y.domain_name,
       y.blocks, y.required, y.present, y.shortfall, y.gap_blocks, y.fragile_blocks, y.worst,
       CASE WHEN y.carrier_block_id IS NOT NULL
            THEN kbs.count_at_least(c.coverage, y.carrier_block_id, y.carrier_level) END AS carriers
  FROM kbs.snapshot_cell c
 CROSS JOIN LATERAL (
      -- the requirement's entries of this snapshot, once, summed per group
      SELECT wg.ring_position, wg.ring, wg.ring_name, wg.domain_position, wg.domain, wg.domain_name,
             wg.carrier_block_id, wg.carrier_level,
             coalesce(x.blocks, 0) AS blocks, coalesce(x.required, 0) AS required, coalesce(x.present, 0) AS present,
             coalesce(x.shortfall, 0) AS shortfall, coalesce(x.gap_blocks, 0) AS gap_blocks,
             coalesce(x.fragile_blocks, 0) AS fragile_blocks, x.worst
        FROM kbs.wheel_group wg
        LEFT JOIN (
            SELECT b.ring, coalesce(b.domain, '') AS domain,
                   count(*)::integer AS blocks, sum(g.needed)::integer AS required,
                   sum(least(g.present, g.needed))::integer AS present, sum(g.shortfall)::integer AS shortfall,
                   count(*) FILTER (WHERE g.status = 'gap')::integer AS gap_blocks,
                   count(*) FILTER (WHERE g.status = 'fragile')::integer AS fragile_blocks,
                   max(CASE g.status WHEN 'gap' THEN 3 WHEN 'fragile' THEN 2 ELSE 1 END) AS worst
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
COMMENT ON COLUMN kbs.snapshot_group.fragile_blocks IS 'Aantal kwetsbare eisen.';
COMMENT ON COLUMN kbs.snapshot_group.worst IS 'Slechtste status: 3 tekort, 2 kwetsbaar, 1 voldaan; leeg zonder eisen.';
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
COMMENT ON COLUMN kbs.municipality_group.fragile_blocks IS 'Aantal kwetsbare eisen.';

-- The BI views -------------------------------------------------------------------

-- The catalogue as the wheel (no personal data).
CREATE VIEW kbs.v_wheel AS
SELECT w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       w.block_id, w.block_code, w.block_name, w.parent_id, w.depth, w.is_aspect, w.shipped, w.retired
  FROM kbs.wheel w;
COMMENT ON VIEW kbs.v_wheel IS 'De catalogus als karrenwiel, één rij per bouwsteen, in de vaste volgorde van het wiel (sorteer op wheel_order): kern, generieke competenties, per leefgebied algemene en specifieke kennis, doelgroepen; lokale aspecten onder hun bouwsteen. Bevat geen persoonsgegevens.';
COMMENT ON COLUMN kbs.v_wheel.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_wheel.ring_position IS 'Volgorde van de laag, van binnen (1 = kern) naar buiten.';
COMMENT ON COLUMN kbs.v_wheel.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_wheel.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_wheel.domain_position IS 'Plaats van het leefgebied in het karrenwiel (1 tot en met 7); leeg buiten algemene en specifieke kennis.';
COMMENT ON COLUMN kbs.v_wheel.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_wheel.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_wheel.block_id IS 'Vast nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_wheel.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_wheel.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_wheel.parent_id IS 'Bij een aspect: nummer van de bouwsteen die het verfijnt.';
COMMENT ON COLUMN kbs.v_wheel.depth IS 'Diepte: 0 voor een bouwsteen, 1 voor een aspect ervan, enzovoort.';
COMMENT ON COLUMN kbs.v_wheel.is_aspect IS 'Waar bij een aspect (verfijning van een bouwsteen).';
COMMENT ON COLUMN kbs.v_wheel.shipped IS 'Waar bij een meegeleverde bouwsteen, onwaar bij een lokale.';
COMMENT ON COLUMN kbs.v_wheel.retired IS 'Waar als de bouwsteen is vervallen.';

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
       CASE WHEN c.shown THEN x.fragile_blocks END AS fragile_blocks,
       CASE WHEN c.shown THEN round(kbs.fulfilment(c.coverage, c.requirement)::numeric, 4) END AS fulfilment,
       CASE WHEN c.shown THEN round(kbs.fulfilment_with_partners(c.coverage, c.partner_coverage, c.requirement)::numeric, 4) END
           AS fulfilment_with_partners,
       c.published, NOT c.shown AS suppressed
  FROM kbs.team_cell c
  LEFT JOIN LATERAL (
      SELECT sum(g.needed)::integer AS required, sum(least(g.present, g.needed))::integer AS present,
             sum(g.shortfall)::integer AS shortfall,
             count(*) FILTER (WHERE g.status = 'gap')::integer AS gap_blocks,
             count(*) FILTER (WHERE g.status = 'fragile')::integer AS fragile_blocks
        FROM kbs.gaps(c.coverage, c.requirement) g) x ON true;
COMMENT ON VIEW kbs.v_team_summary IS 'Per team en peildatum (momentopname) het overzicht: leden, beoordeeld, verouderd, tekort en vervullingsgraad, met en zonder ketenpartners. Voor beleid en coördinatoren. Wie geen persoonsgegevens van het team mag zien, krijgt alleen gepubliceerde cijfers (minstens k beoordeelde leden, niet af te leiden); anders leeg met suppressed = waar.';
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
COMMENT ON COLUMN kbs.v_team_summary.shortfall IS 'Totaal tekort: som van de tekorten; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.gap_blocks IS 'Aantal eisen met een tekort; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fragile_blocks IS 'Aantal kwetsbare eisen (precies genoeg: één vertrek geeft een tekort); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment IS 'Vervullingsgraad (0 tot 1): aanwezig gedeeld door nodig; leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.fulfilment_with_partners IS 'Vervullingsgraad als de ketenpartners meetellen ("halen we erbij"); leeg als onderdrukt of zonder eis.';
COMMENT ON COLUMN kbs.v_team_summary.published IS 'Waar als deze cijfers ook zichtbaar zijn voor wie geen persoonsgegevens van het team mag zien (beleid).';
COMMENT ON COLUMN kbs.v_team_summary.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn (te weinig beoordeelde personen of af te leiden uit andere cijfers); toon dan "onderdrukt", nooit 0.';

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
COMMENT ON COLUMN kbs.v_team_block_status.status_code IS 'Status: gap (tekort), fragile (precies genoeg: één vertrek geeft een tekort) of met (voldaan); leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_block_status.status_label IS 'Benaming van de status: tekort, kwetsbaar of voldaan; leeg als onderdrukt.';
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
       CASE WHEN c.shown THEN g.fragile_blocks END AS fragile_blocks,
       CASE WHEN c.shown THEN g.carriers END AS carriers,
       CASE WHEN c.shown THEN (ARRAY['met', 'fragile', 'gap'])[g.worst] END AS worst_status_code,
       CASE WHEN c.shown THEN kbs.status_label((ARRAY['met', 'fragile', 'gap'])[g.worst]) END AS worst_status_label,
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
COMMENT ON COLUMN kbs.v_team_domain_status.fragile_blocks IS 'Aantal kwetsbare eisen; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.carriers IS 'Kennisdragers: leden met algemene kennis van dit leefgebied op niveau 1 of hoger, of specifieke kennis op niveau 3 of hoger; leeg bij andere lagen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.worst_status_code IS 'Slechtste status van de eisen in deze groep: gap, fragile of met; leeg zonder eisen of als onderdrukt.';
COMMENT ON COLUMN kbs.v_team_domain_status.worst_status_label IS 'Benaming van de slechtste status: tekort, kwetsbaar of voldaan.';
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
COMMENT ON COLUMN kbs.v_knowledge_risk.risk_code IS 'Risico: gap (tekort), fragile (kwetsbaar) of met (robuust); leeg als onderdrukt.';
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
       CASE WHEN g.teams_included > 0 THEN g.fragile_blocks END AS fragile_blocks,
       (g.teams_included = 0) AS suppressed
  FROM kbs.municipality_group g
  JOIN kbs.municipality_access a ON a.municipality = g.municipality
 WHERE a.visible;
COMMENT ON VIEW kbs.v_municipality_domain_trend IS 'Trend per gemeente, peildatum en groep van het karrenwiel (laag, en bij algemene en specifieke kennis het leefgebied). Telt alleen de gepubliceerde cijfers van teams op (minstens k beoordeelde leden, niet af te leiden); teams die onderdrukt zijn tellen nergens mee, dus het verschil met de zichtbare teams is altijd nul. Zie teams_included. Voor beleid.';
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
COMMENT ON COLUMN kbs.v_municipality_domain_trend.fragile_blocks IS 'Aantal kwetsbare eisen, over de meegetelde teams; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_municipality_domain_trend.suppressed IS 'Waar als geen enkel team gepubliceerd kon worden; de cijfers zijn dan leeg. Toon "onderdrukt", nooit 0.';

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

-- Person-level views: security_invoker, so row-level security on the base
-- tables applies to the reader. For coordinators (their granted teams) and
-- administrators; kbs_policy has no access. They show the date kbs.as_of().

-- Member × block heat map.
CREATE VIEW kbs.v_member_block WITH (security_invoker = true) AS
SELECT kbs.as_of() AS peildatum, t.municipality AS municipality_code, mu.name AS municipality_name,
       t.id AS team_id, t.name AS team_name,
       mp.professional_id, p.ref AS professional_ref, p.discipline,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       w.block_id, w.block_code, w.block_name,
       e.level::integer AS level,
       CASE WHEN e.applicable IS NULL THEN 'not_assessed' WHEN NOT e.applicable THEN 'na' ELSE e.level::text END
           AS level_code,
       sl.label AS level_label,
       rq.min_level::integer AS required_level, rq.min_members AS required_members,
       CASE WHEN rq.every_member THEN (e.applicable IS NOT NULL AND (NOT e.applicable OR e.level >= rq.min_level)) END
           AS meets_floor,
       mp.assessed_on, mp.source AS source_code, kbs.source_label(mp.source) AS source_label, mp.stale
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
 CROSS JOIN LATERAL (SELECT kbs.team_requirement_at(t.id, kbs.as_of()) AS req) r
 CROSS JOIN LATERAL kbs.member_profiles_at(t.id, kbs.as_of()) mp
  JOIN kbs.professional p ON p.id = mp.professional_id
 CROSS JOIN kbs.wheel w
  LEFT JOIN LATERAL (SELECT x.level, x.applicable FROM kbs.entries(mp.profile) x WHERE x.block_id = w.block_id) e ON true
  LEFT JOIN LATERAL (SELECT x.min_level, x.min_members, x.every_member FROM kbs.entries(r.req) x
                      WHERE x.block_id = w.block_id) rq ON true
  LEFT JOIN kbs.scale_labels sl ON sl.code = CASE WHEN e.applicable IS NULL THEN 'not_assessed'
                                                  WHEN NOT e.applicable THEN 'na' ELSE e.level::text END
 WHERE NOT w.retired;
COMMENT ON VIEW kbs.v_member_block IS 'Heatmap: per teamlid en bouwsteen het niveau uit de geldende beoordeling op de peildatum (kbs.as_of(), standaard vandaag), met de eis van het team. Persoonsgegevens: alleen voor coördinatoren van het team en beheerders, nooit voor beleid. Bedoeld voor teamontwikkeling, niet voor beoordeling van personen.';
COMMENT ON COLUMN kbs.v_member_block.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_member_block.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_member_block.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_member_block.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_member_block.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_member_block.professional_id IS 'Nummer van de professional.';
COMMENT ON COLUMN kbs.v_member_block.professional_ref IS 'Pseudoniem van de professional.';
COMMENT ON COLUMN kbs.v_member_block.discipline IS 'Discipline van de professional.';
COMMENT ON COLUMN kbs.v_member_block.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_member_block.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_member_block.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_member_block.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_member_block.domain_position IS 'Plaats van het leefgebied in het karrenwiel.';
COMMENT ON COLUMN kbs.v_member_block.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_member_block.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_member_block.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_member_block.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_member_block.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_member_block.level IS 'Niveau 0 tot en met 4; leeg bij niet beoordeeld of niet van toepassing (zie level_code).';
COMMENT ON COLUMN kbs.v_member_block.level_code IS 'Code zoals in de schaal: 0 tot en met 4, na (niet van toepassing) of not_assessed (niet beoordeeld).';
COMMENT ON COLUMN kbs.v_member_block.level_label IS 'Benaming van het niveau (eigen benaming van de gemeente als die is vastgelegd).';
COMMENT ON COLUMN kbs.v_member_block.required_level IS 'Niveau dat de teameis voor deze bouwsteen vraagt; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_member_block.required_members IS 'Aantal leden dat de teameis vraagt; leeg als ieder lid het moet hebben of zonder eis.';
COMMENT ON COLUMN kbs.v_member_block.meets_floor IS 'Bij een eis voor ieder lid: waar als dit lid die haalt (niet van toepassing telt als vrijgesteld); leeg bij andere eisen.';
COMMENT ON COLUMN kbs.v_member_block.assessed_on IS 'Datum van de geldende beoordeling; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_block.source_code IS 'Bron van de geldende beoordeling: self, supervisor, peer of team.';
COMMENT ON COLUMN kbs.v_member_block.source_label IS 'Benaming van de bron: zelf, leidinggevende, collega of team.';
COMMENT ON COLUMN kbs.v_member_block.stale IS 'Waar als de geldende beoordeling verouderd is.';

-- Member T-shape.
CREATE VIEW kbs.v_member_shape WITH (security_invoker = true) AS
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
                    WHEN 'starter' THEN 'starter' END AS shape,
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
COMMENT ON COLUMN kbs.v_member_shape.shape IS 'Vorm als teken: Π, T, I, generalist of starter; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_member_shape.shape_label IS 'Uitleg van de vorm.';

-- Assessment freshness per member.
CREATE VIEW kbs.v_assessment_freshness WITH (security_invoker = true) AS
SELECT kbs.as_of() AS peildatum, t.municipality AS municipality_code, mu.name AS municipality_name,
       t.id AS team_id, t.name AS team_name,
       mp.professional_id, p.ref AS professional_ref, p.discipline,
       mp.assessed_on, mp.source AS source_code, kbs.source_label(mp.source) AS source_label,
       (kbs.as_of() - mp.assessed_on) AS age_days,
       (mp.assessed_on + kbs.setting_interval('stale_after'))::date AS stale_from,
       CASE WHEN mp.assessment_id IS NULL THEN 'not_assessed' WHEN mp.stale THEN 'stale' ELSE 'current' END
           AS freshness_code,
       CASE WHEN mp.assessment_id IS NULL THEN 'niet beoordeeld' WHEN mp.stale THEN 'verouderd' ELSE 'actueel' END
           AS freshness_label,
       EXISTS (SELECT 1 FROM kbs.assessment a
                WHERE a.professional_id = mp.professional_id AND a.status = 'draft'
                  AND a.assessed_on <= kbs.as_of()
                  AND (mp.assessed_on IS NULL OR a.assessed_on >= mp.assessed_on)) AS draft_pending
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
 CROSS JOIN LATERAL kbs.member_profiles_at(t.id, kbs.as_of()) mp
  JOIN kbs.professional p ON p.id = mp.professional_id;
COMMENT ON VIEW kbs.v_assessment_freshness IS 'Actualiteit van de beoordelingen per teamlid op de peildatum (kbs.as_of(), standaard vandaag): datum en bron van de geldende beoordeling, leeftijd, vanaf wanneer verouderd, en of er een concept klaarstaat. Persoonsgegevens: alleen voor coördinatoren van het team en beheerders. Het aandeel verouderd per team staat in kbs.v_team_summary.';
COMMENT ON COLUMN kbs.v_assessment_freshness.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_assessment_freshness.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_assessment_freshness.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_assessment_freshness.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_assessment_freshness.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_assessment_freshness.professional_id IS 'Nummer van de professional.';
COMMENT ON COLUMN kbs.v_assessment_freshness.professional_ref IS 'Pseudoniem van de professional.';
COMMENT ON COLUMN kbs.v_assessment_freshness.discipline IS 'Discipline van de professional.';
COMMENT ON COLUMN kbs.v_assessment_freshness.assessed_on IS 'Datum van de geldende (laatste definitieve) beoordeling; leeg zonder beoordeling.';
COMMENT ON COLUMN kbs.v_assessment_freshness.source_code IS 'Bron van de geldende beoordeling: self, supervisor, peer of team.';
COMMENT ON COLUMN kbs.v_assessment_freshness.source_label IS 'Benaming van de bron.';
COMMENT ON COLUMN kbs.v_assessment_freshness.age_days IS 'Leeftijd van de geldende beoordeling in dagen op de peildatum.';
COMMENT ON COLUMN kbs.v_assessment_freshness.stale_from IS 'Datum waarop de beoordeling de verouderingstermijn (instelling stale_after) bereikt; plan de volgende beoordeling daarvoor.';
COMMENT ON COLUMN kbs.v_assessment_freshness.freshness_code IS 'current (actueel), stale (verouderd) of not_assessed (niet beoordeeld).';
COMMENT ON COLUMN kbs.v_assessment_freshness.freshness_label IS 'Benaming: actueel, verouderd of niet beoordeeld.';
COMMENT ON COLUMN kbs.v_assessment_freshness.draft_pending IS 'Waar als er een conceptbeoordeling ligt van na de geldende beoordeling (nog niet definitief, telt nog niet mee).';

-- Self vs supervisor per member and block.
CREATE VIEW kbs.v_self_vs_supervisor WITH (security_invoker = true) AS
SELECT kbs.as_of() AS peildatum, t.municipality AS municipality_code, mu.name AS municipality_name,
       t.id AS team_id, t.name AS team_name,
       mp.professional_id, p.ref AS professional_ref, p.discipline,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       w.block_id, w.block_code, w.block_name,
       sa.assessed_on AS self_assessed_on, su.assessed_on AS supervisor_assessed_on,
       se.level::integer AS self_level,
       CASE WHEN se.applicable IS NULL THEN 'not_assessed' WHEN NOT se.applicable THEN 'na' ELSE se.level::text END
           AS self_level_code,
       ue.level::integer AS supervisor_level,
       CASE WHEN ue.applicable IS NULL THEN 'not_assessed' WHEN NOT ue.applicable THEN 'na' ELSE ue.level::text END
           AS supervisor_level_code,
       (se.level - ue.level)::integer AS difference,
       CASE WHEN se.level IS NULL OR ue.level IS NULL THEN 'incomplete'
            WHEN se.level > ue.level THEN 'higher' WHEN se.level < ue.level THEN 'lower' ELSE 'equal' END
           AS comparison_code,
       CASE WHEN se.level IS NULL OR ue.level IS NULL THEN 'niet te vergelijken'
            WHEN se.level > ue.level THEN 'zelf hoger' WHEN se.level < ue.level THEN 'zelf lager' ELSE 'gelijk' END
           AS comparison_label
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
 CROSS JOIN LATERAL kbs.member_profiles_at(t.id, kbs.as_of()) mp
  JOIN kbs.professional p ON p.id = mp.professional_id
 CROSS JOIN LATERAL (SELECT a.assessed_on, a.profile FROM kbs.assessment a
                      WHERE a.professional_id = mp.professional_id AND a.source = 'self' AND a.status = 'final'
                        AND a.assessed_on <= kbs.as_of()
                      ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) sa
 CROSS JOIN LATERAL (SELECT a.assessed_on, a.profile FROM kbs.assessment a
                      WHERE a.professional_id = mp.professional_id AND a.source = 'supervisor' AND a.status = 'final'
                        AND a.assessed_on <= kbs.as_of()
                      ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) su
 CROSS JOIN LATERAL (SELECT x.block_id FROM kbs.entries(sa.profile) x
                     UNION SELECT x.block_id FROM kbs.entries(su.profile) x) bk
  JOIN kbs.wheel w ON w.block_id = bk.block_id
  LEFT JOIN LATERAL (SELECT x.level, x.applicable FROM kbs.entries(sa.profile) x WHERE x.block_id = w.block_id) se ON true
  LEFT JOIN LATERAL (SELECT x.level, x.applicable FROM kbs.entries(su.profile) x WHERE x.block_id = w.block_id) ue ON true;
COMMENT ON VIEW kbs.v_self_vs_supervisor IS 'Zelfbeoordeling naast beoordeling door de leidinggevende, per teamlid en bouwsteen: de laatste definitieve van elk op of voor de peildatum (kbs.as_of(), standaard vandaag). Alleen leden met beide; bouwstenen die in minstens één van beide staan. Een gesprekshulpmiddel, geen oordeel. Persoonsgegevens: alleen voor coördinatoren van het team en beheerders.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.professional_id IS 'Nummer van de professional.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.professional_ref IS 'Pseudoniem van de professional.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.discipline IS 'Discipline van de professional.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.ring_code IS 'Code van de laag.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.domain_position IS 'Plaats van het leefgebied in het karrenwiel.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.self_assessed_on IS 'Datum van de zelfbeoordeling.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.supervisor_assessed_on IS 'Datum van de beoordeling door de leidinggevende.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.self_level IS 'Niveau volgens de zelfbeoordeling; leeg bij niet beoordeeld of niet van toepassing.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.self_level_code IS 'Code volgens de zelfbeoordeling: 0 tot en met 4, na of not_assessed.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.supervisor_level IS 'Niveau volgens de leidinggevende; leeg bij niet beoordeeld of niet van toepassing.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.supervisor_level_code IS 'Code volgens de leidinggevende: 0 tot en met 4, na of not_assessed.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.difference IS 'Zelf min leidinggevende in niveaus (positief: de persoon schat zichzelf hoger in); leeg als een van beide geen niveau heeft.';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.comparison_code IS 'higher (zelf hoger), lower (zelf lager), equal (gelijk) of incomplete (niet te vergelijken).';
COMMENT ON COLUMN kbs.v_self_vs_supervisor.comparison_label IS 'Benaming van de vergelijking.';

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
                                          kbs.team_requirement_at(t.id, kbs.as_of()))::numeric, 4) AS fulfilment_with_partners
  FROM kbs.team t
  JOIN kbs.municipality mu ON mu.code = t.municipality
  LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE x.status <> 'cancelled')::integer AS items,
             count(*) FILTER (WHERE x.status = 'proposed')::integer AS proposed,
             count(*) FILTER (WHERE x.status = 'planned')::integer AS planned,
             count(*) FILTER (WHERE x.status = 'in_progress')::integer AS in_progress,
             count(*) FILTER (WHERE x.status = 'done')::integer AS done,
             count(*) FILTER (WHERE x.status = 'cancelled')::integer AS cancelled,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress'))::integer AS open,
             count(*) FILTER (WHERE x.status IN ('proposed', 'planned', 'in_progress') AND x.due_on < kbs.as_of())::integer
                 AS overdue,
             count(DISTINCT x.professional_id) FILTER (WHERE x.status <> 'cancelled')::integer AS persons,
             count(*) FILTER (WHERE x.status <> 'cancelled' AND x.professional_id IS NULL)::integer AS team_actions
        FROM kbs.plan_item x
       WHERE x.team_id = t.id AND x.created_on <= kbs.as_of()) i ON true
  LEFT JOIN LATERAL kbs.forecast(t.id, kbs.as_of()) f ON true
 WHERE t.active @> kbs.as_of();
COMMENT ON VIEW kbs.v_plan_progress IS 'Voortgang van het scholingsplan per team op de peildatum (kbs.as_of(), standaard vandaag): acties per status, achterstallig, aandeel afgerond, en de vervullingsgraad nu, als alle open acties zijn afgerond, en met ketenpartners ("doen we zelf / halen we erbij"). Volgt uit individuele scholing en verandert dagelijks; daarom alleen voor coördinatoren van het team en beheerders, niet voor beleid.';
COMMENT ON COLUMN kbs.v_plan_progress.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_plan_progress.team_id IS 'Nummer van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.team_name IS 'Naam van het team.';
COMMENT ON COLUMN kbs.v_plan_progress.items IS 'Aantal scholingsacties, zonder de vervallen.';
COMMENT ON COLUMN kbs.v_plan_progress.proposed IS 'Aantal voorgestelde acties.';
COMMENT ON COLUMN kbs.v_plan_progress.planned IS 'Aantal geplande acties.';
COMMENT ON COLUMN kbs.v_plan_progress.in_progress IS 'Aantal acties die bezig zijn.';
COMMENT ON COLUMN kbs.v_plan_progress.done IS 'Aantal afgeronde acties.';
COMMENT ON COLUMN kbs.v_plan_progress.cancelled IS 'Aantal vervallen acties.';
COMMENT ON COLUMN kbs.v_plan_progress.open IS 'Aantal open acties (voorgesteld, gepland of bezig).';
COMMENT ON COLUMN kbs.v_plan_progress.overdue IS 'Aantal open acties waarvan de streefdatum voor de peildatum ligt.';
COMMENT ON COLUMN kbs.v_plan_progress.done_share IS 'Aandeel afgerond van alle acties zonder de vervallen (0 tot 1); leeg zonder acties.';
COMMENT ON COLUMN kbs.v_plan_progress.persons IS 'Aantal professionals met een scholingsactie (zonder de vervallen).';
COMMENT ON COLUMN kbs.v_plan_progress.team_actions IS 'Aantal acties zonder persoon (bijvoorbeeld werven).';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_now IS 'Vervullingsgraad van het team nu (0 tot 1); leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_forecast IS 'Vervullingsgraad als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_now IS 'Totaal tekort nu; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.shortfall_forecast IS 'Totaal tekort als alle open acties van leden zijn afgerond; leeg zonder eis.';
COMMENT ON COLUMN kbs.v_plan_progress.fulfilment_with_partners IS 'Vervullingsgraad nu als de ketenpartners meetellen; leeg zonder eis.';

-- sql/75_dashboard.sql
-- Dashboard data: one jsonb document per page, built only from the BI views, so
-- dashboards and BI tools show the same figures. SECURITY INVOKER on purpose:
-- the reader's own rights and suppression apply.

-- The latest snapshot date on or before today, or the given one when it has data.
CREATE FUNCTION kbs.dashboard_peildatum(municipality text, team_id integer, requested date) RETURNS date
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
COMMENT ON FUNCTION kbs.dashboard_peildatum(text, integer, date) IS 'Intern: de peildatum van een dashboard: de gevraagde als er een momentopname van is, anders de laatste tot vandaag; een fout als er geen is.';

-- Scale and status legends shared by both pages.
CREATE FUNCTION kbs.dashboard_legend() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
RETURN jsonb_build_object(
    'scale', (SELECT jsonb_agg(jsonb_build_object('code', s.code, 'level', s.level, 'label', s.label, 'anchor', s.anchor)
                               ORDER BY s.position)
                FROM kbs.scale_labels s),
    'domains', (SELECT jsonb_agg(jsonb_build_object('code', d.code, 'name', d.name, 'position', d.position)
                                 ORDER BY d.position)
                  FROM kbs.domain d));

CREATE FUNCTION kbs.dashboard_municipality(municipality text, peildatum date DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m_name text;
    at date;
    old_as_of text := current_setting('kbs.as_of', true);
    plan jsonb;
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
                   'fulfilment_now', p.fulfilment_now, 'fulfilment_forecast', p.fulfilment_forecast)
                   ORDER BY p.team_name, p.team_id), '[]')
          INTO plan
          FROM kbs.v_plan_progress p
         WHERE p.municipality_code = dashboard_municipality.municipality;
        PERFORM set_config('kbs.as_of', coalesce(old_as_of, ''), true);
    END IF;

    SELECT jsonb_build_object(
        'kind', 'municipality',
        'municipality', jsonb_build_object('code', municipality, 'name', m_name),
        'peildatum', at,
        'legend', kbs.dashboard_legend(),
        'trend', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'peildatum', t.peildatum, 'ring_code', t.ring_code, 'domain_code', t.domain_code,
                         'domain_name', t.domain_name, 'domain_position', t.domain_position,
                         'teams_included', t.teams_included, 'members', t.members,
                         'required', t.required, 'present', t.present, 'shortfall', t.shortfall,
                         'fulfilment', t.fulfilment, 'carrier_share', t.carrier_share, 'suppressed', t.suppressed)
                         ORDER BY t.peildatum, t.ring_position, t.domain_position), '[]')
                    FROM kbs.v_municipality_domain_trend t
                   WHERE t.municipality_code = dashboard_municipality.municipality
                     AND t.ring_code IN ('general', 'specific') AND t.peildatum <= at),
        'teams', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                         'team_id', s.team_id, 'team_name', s.team_name, 'has_requirement', s.has_requirement,
                         'members', s.members, 'assessed', s.assessed, 'not_assessed', s.not_assessed,
                         'stale', s.stale, 'stale_share', s.stale_share, 'required', s.required,
                         'present', s.present, 'shortfall', s.shortfall, 'gap_blocks', s.gap_blocks,
                         'fragile_blocks', s.fragile_blocks, 'fulfilment', s.fulfilment,
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

CREATE FUNCTION kbs.dashboard_team(team_id integer, peildatum date DEFAULT NULL) RETURNS jsonb
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
                                          AND i.block_id = mb.block_id
                                          AND i.status IN ('proposed', 'planned', 'in_progress')) AS in_plan
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
            'plan', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'id', i.id, 'block_id', i.block_id, 'block_name', b.name, 'target_level', i.target_level,
                           'professional_ref', p.ref, 'due_on', i.due_on, 'status', i.status,
                           'status_label', CASE i.status WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland'
                                                         WHEN 'in_progress' THEN 'bezig' WHEN 'done' THEN 'afgerond'
                                                         ELSE 'vervallen' END,
                           'overdue', i.status IN ('proposed', 'planned', 'in_progress') AND i.due_on < at)
                           ORDER BY (i.status = 'done'), i.due_on, i.id), '[]')
                  FROM kbs.plan_item i
                  JOIN kbs.block b ON b.id = i.block_id
                  LEFT JOIN kbs.professional p ON p.id = i.professional_id
                 WHERE i.team_id = dashboard_team.team_id AND i.created_on <= at AND i.status <> 'cancelled'),
            'progress', (
                SELECT jsonb_build_object('items', p.items, 'proposed', p.proposed, 'planned', p.planned,
                                          'in_progress', p.in_progress, 'done', p.done, 'open', p.open,
                                          'overdue', p.overdue, 'done_share', p.done_share,
                                          'fulfilment_now', p.fulfilment_now,
                                          'fulfilment_forecast', p.fulfilment_forecast,
                                          'shortfall_now', p.shortfall_now, 'shortfall_forecast', p.shortfall_forecast,
                                          'fulfilment_with_partners', p.fulfilment_with_partners)
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
                         'status_code', coalesce(s.status_code, 'none'),
                         'status_label', coalesce(s.status_label, 'geen eis'),
                         'suppressed', coalesce(s.suppressed, false))
                         ORDER BY w.wheel_order), '[]')
                    FROM kbs.v_wheel w
                    LEFT JOIN kbs.v_team_block_status s ON s.block_id = w.block_id
                          AND s.team_id = dashboard_team.team_id AND s.peildatum = at
                   WHERE w.depth = 0 AND NOT w.retired),
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
                         'shortfall', s.shortfall, 'gap_blocks', s.gap_blocks, 'fragile_blocks', s.fragile_blocks,
                         'suppressed', s.suppressed)
                         ORDER BY s.peildatum), '[]')
                    FROM kbs.v_team_summary s WHERE s.team_id = dashboard_team.team_id AND s.peildatum <= at),
        'person', person)
      INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION kbs.dashboard_team(integer, date) IS 'Alle gegevens van het teamrapport als jsonb, uit de BI-views: karrenwiel (nodig en aanwezig per bouwsteen), tekorten, kwetsbare bouwstenen, ontwikkeling; voor coördinatoren van het team en beheerders ook scholingskandidaten, scholingsplan, zelf- naast leidinggevendebeoordeling en actualiteit per lid. Peildatum: de gevraagde momentopname, standaard de laatste.';

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

-- sql/80_security.sql
-- Roles, privileges and row-level security (DESIGN §6).
--
--   kbs_admin        everything (and bypasses nothing: RLS policies grant it all rows)
--   kbs_coordinator  person-level rows of the teams and municipalities granted to the
--                    login role in kbs.grant, enforced by row-level security
--   kbs_policy       no person-level table or view at all; the aggregate views, which
--                    show its granted municipalities (the benchmark: all, aggregated)
--                    and suppress what covers fewer than k assessed persons
--
-- The three are NOLOGIN group roles. Roles belong to the whole cluster: they are
-- created when missing and never dropped here, so DROP EXTENSION and a new
-- CREATE EXTENSION (in this or another database) keep them. Log in with your
-- own role: CREATE ROLE anna LOGIN IN ROLE kbs_coordinator; then grant it teams
-- with INSERT INTO kbs.grant (role, team_id) VALUES ('anna', 12).
-- The extension's owner (a superuser) bypasses row-level security.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'kbs_admin') THEN
        CREATE ROLE kbs_admin NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'kbs_coordinator') THEN
        CREATE ROLE kbs_coordinator NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'kbs_policy') THEN
        CREATE ROLE kbs_policy NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA kbs TO kbs_admin, kbs_coordinator, kbs_policy;

-- Administrators: every table, view and sequence. Publication decisions are
-- made by the extension only.
GRANT ALL ON ALL TABLES IN SCHEMA kbs TO kbs_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA kbs TO kbs_admin;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON kbs.publication, kbs.published_set FROM kbs_admin;

-- Catalogue, scale, settings and municipalities: no personal data; everyone reads them.
GRANT SELECT ON kbs.catalogue_version, kbs.ring, kbs.domain, kbs.block, kbs.scale, kbs.scale_local,
                kbs.scale_labels, kbs.wheel, kbs.setting, kbs.setting_local, kbs.requirement_template,
                kbs.municipality, kbs.grant
    TO kbs_coordinator, kbs_policy;

-- Coordinators: the person-level tables, row-level security decides which rows.
GRANT SELECT ON kbs.team, kbs.professional, kbs.membership, kbs.assessment_round, kbs.assessment,
                kbs.team_requirement, kbs.partner, kbs.partner_team, kbs.plan_item, kbs.snapshot
    TO kbs_coordinator;
-- They record assessments and run the scholingsplan of their teams.
GRANT INSERT, UPDATE ON kbs.assessment, kbs.plan_item TO kbs_coordinator;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s, %s TO kbs_coordinator',
                   pg_catalog.pg_get_serial_sequence('kbs.assessment', 'id'),
                   pg_catalog.pg_get_serial_sequence('kbs.plan_item', 'id'));
END
$$;
-- A new assessment marks the snapshots it changes (trigger kbs.mark_dirty runs as the writer).
GRANT INSERT ON kbs.snapshot_dirty TO kbs_coordinator;

-- The views. Aggregate views filter and suppress by themselves; person-level
-- views rely on row-level security and are not granted to kbs_policy.
GRANT SELECT ON kbs.v_wheel, kbs.v_team_summary, kbs.v_team_block_status, kbs.v_team_domain_status,
                kbs.v_knowledge_risk, kbs.v_municipality_domain_trend, kbs.v_benchmark
    TO kbs_coordinator, kbs_policy;
GRANT SELECT ON kbs.v_member_block, kbs.v_member_shape, kbs.v_assessment_freshness,
                kbs.v_self_vs_supervisor, kbs.v_plan_progress
    TO kbs_coordinator;

-- Functions that run with the owner's rights, or hand out person-level sets:
-- not for everyone.
REVOKE EXECUTE ON FUNCTION kbs.person_set(integer, date), kbs.publication_decide(integer, date),
                           kbs.refresh_publication(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kbs.refresh_publication(integer) TO kbs_admin;

-- Row-level security ------------------------------------------------------------
-- Coordinators see a team when kbs.granted() says so (a grant on the team or its
-- municipality); every other person-level table follows from the visible teams
-- through the policies of the tables it refers to.

ALTER TABLE kbs.grant ENABLE ROW LEVEL SECURITY;
CREATE POLICY grant_admin ON kbs.grant TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY grant_own ON kbs.grant FOR SELECT TO kbs_coordinator, kbs_policy
    USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                    WHERE r.rolname = "grant".role AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')));

ALTER TABLE kbs.team ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_admin ON kbs.team TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY team_coordinator ON kbs.team FOR SELECT TO kbs_coordinator
    USING (kbs.granted(team.municipality, team.id));

ALTER TABLE kbs.membership ENABLE ROW LEVEL SECURITY;
CREATE POLICY membership_admin ON kbs.membership TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY membership_coordinator ON kbs.membership FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = membership.team_id));

-- A professional: of a granted municipality, or ever a member of a visible team.
ALTER TABLE kbs.professional ENABLE ROW LEVEL SECURITY;
CREATE POLICY professional_admin ON kbs.professional TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY professional_coordinator ON kbs.professional FOR SELECT TO kbs_coordinator
    USING (kbs.granted(professional.municipality, NULL)
           OR EXISTS (SELECT 1 FROM kbs.membership m WHERE m.professional_id = professional.id));

ALTER TABLE kbs.assessment ENABLE ROW LEVEL SECURITY;
CREATE POLICY assessment_admin ON kbs.assessment TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY assessment_coordinator ON kbs.assessment FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = assessment.professional_id));
CREATE POLICY assessment_coordinator_insert ON kbs.assessment FOR INSERT TO kbs_coordinator
    WITH CHECK (EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = assessment.professional_id));
CREATE POLICY assessment_coordinator_update ON kbs.assessment FOR UPDATE TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = assessment.professional_id))
    WITH CHECK (EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = assessment.professional_id));

ALTER TABLE kbs.assessment_round ENABLE ROW LEVEL SECURITY;
CREATE POLICY assessment_round_admin ON kbs.assessment_round TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY assessment_round_coordinator ON kbs.assessment_round FOR SELECT TO kbs_coordinator
    USING (kbs.granted(assessment_round.municipality, NULL)
           OR EXISTS (SELECT 1 FROM kbs.team t WHERE t.municipality = assessment_round.municipality));

ALTER TABLE kbs.team_requirement ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_requirement_admin ON kbs.team_requirement TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY team_requirement_coordinator ON kbs.team_requirement FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = team_requirement.team_id));

ALTER TABLE kbs.partner ENABLE ROW LEVEL SECURITY;
CREATE POLICY partner_admin ON kbs.partner TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY partner_coordinator ON kbs.partner FOR SELECT TO kbs_coordinator
    USING (kbs.granted(partner.municipality, NULL)
           OR EXISTS (SELECT 1 FROM kbs.partner_team pt WHERE pt.partner_id = partner.id));

ALTER TABLE kbs.partner_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY partner_team_admin ON kbs.partner_team TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY partner_team_coordinator ON kbs.partner_team FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = partner_team.team_id));

ALTER TABLE kbs.plan_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY plan_item_admin ON kbs.plan_item TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY plan_item_coordinator ON kbs.plan_item FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = plan_item.team_id));
CREATE POLICY plan_item_coordinator_insert ON kbs.plan_item FOR INSERT TO kbs_coordinator
    WITH CHECK (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = plan_item.team_id)
                AND (plan_item.professional_id IS NULL
                     OR EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = plan_item.professional_id)));
CREATE POLICY plan_item_coordinator_update ON kbs.plan_item FOR UPDATE TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = plan_item.team_id))
    WITH CHECK (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = plan_item.team_id)
                AND (plan_item.professional_id IS NULL
                     OR EXISTS (SELECT 1 FROM kbs.professional p WHERE p.id = plan_item.professional_id)));

ALTER TABLE kbs.snapshot ENABLE ROW LEVEL SECURITY;
CREATE POLICY snapshot_admin ON kbs.snapshot TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY snapshot_coordinator ON kbs.snapshot FOR SELECT TO kbs_coordinator
    USING (EXISTS (SELECT 1 FROM kbs.team t WHERE t.id = snapshot.team_id));

ALTER TABLE kbs.snapshot_dirty ENABLE ROW LEVEL SECURITY;
CREATE POLICY snapshot_dirty_admin ON kbs.snapshot_dirty TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY snapshot_dirty_coordinator ON kbs.snapshot_dirty FOR INSERT TO kbs_coordinator WITH CHECK (true);

ALTER TABLE kbs.publication ENABLE ROW LEVEL SECURITY;
CREATE POLICY publication_admin ON kbs.publication FOR SELECT TO kbs_admin USING (true);
ALTER TABLE kbs.published_set ENABLE ROW LEVEL SECURITY;
CREATE POLICY published_set_admin ON kbs.published_set FOR SELECT TO kbs_admin USING (true);
