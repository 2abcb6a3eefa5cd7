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

-- Parses CSV text into records; the delimiter is given, or (NULL) detected
-- from the first record: , or ;. NULL text gives no records.
CREATE FUNCTION kbs.csv_records(csv text, delimiter text DEFAULT NULL)
RETURNS TABLE (line integer, fields text[])
AS 'MODULE_PATHNAME', 'kbs_sql_csv_records'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kbs.csv_records(text, text) IS 'Leest CSV-tekst als rijen met regelnummer en velden (tot 16384 velden per rij); het scheidingsteken is het gegeven teken, of (leeg) , of ; uit de eerste regel.';

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
