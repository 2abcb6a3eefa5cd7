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

-- Two keys of one jsonb object can name the same block (its code and its id).
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
