-- People, teams, assessments, requirements, partners and plans (docs/semantics.md §4).
-- Person-level data is personal data (AVG): professionals are pseudonymous.

-- Settings: shipped defaults, and local values in kbs.setting_local (which
-- pg_dump keeps; shipped rows come from the install script).
CREATE TABLE kbs.setting (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    description text NOT NULL,
    kind        text NOT NULL,
    CONSTRAINT setting_kind CHECK (kind IN ('interval', 'integer'))
);
COMMENT ON TABLE kbs.setting IS 'Standaardwaarden van de instellingen; eigen waarden staan in kbs.setting_local.';
COMMENT ON COLUMN kbs.setting.name IS 'Naam van de instelling.';
COMMENT ON COLUMN kbs.setting.value IS 'Standaardwaarde als tekst (een interval of een getal).';
COMMENT ON COLUMN kbs.setting.description IS 'Wat de instelling regelt.';
COMMENT ON COLUMN kbs.setting.kind IS 'Soort waarde: interval of integer (geheel getal).';
INSERT INTO kbs.setting (name, value, description, kind) VALUES
    ('stale_after', '18 months', 'Een beoordeling ouder dan deze termijn telt nog mee, maar is verouderd.', 'interval'),
    ('min_group_size', '5', 'Minimaal aantal beoordeelde personen achter een cijfer dat beleidsmedewerkers zien; kleiner wordt onderdrukt.', 'integer'),
    ('retention_after', '2 years', 'Persoonsgegevens van wie langer dan deze termijn uit dienst is, worden verwijderd of geanonimiseerd.', 'interval'),
    ('plan_due_after', '6 months', 'Standaardtermijn voor een voorgestelde scholingsactie.', 'interval');

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

-- A setting read as the wrong kind is an error: '5' would read as five seconds.
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

CREATE FUNCTION kbs.setting_interval(setting_name text) RETURNS interval
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_of_kind(setting_name, 'interval')::interval;
COMMENT ON FUNCTION kbs.setting_interval(text) IS 'Een instelling als interval; een fout voor een instelling die geen interval is.';

CREATE FUNCTION kbs.setting_integer(setting_name text) RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN kbs.setting_of_kind(setting_name, 'integer')::integer;
COMMENT ON FUNCTION kbs.setting_integer(text) IS 'Een instelling als geheel getal; een fout voor een instelling die geen geheel getal is.';

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
    validated_at    timestamptz,
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
COMMENT ON COLUMN kbs.assessment.validated_at IS 'Moment van valideren: wanneer de beoordeling definitief werd (kbs.finalise_round).';

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
