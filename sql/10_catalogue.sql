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
