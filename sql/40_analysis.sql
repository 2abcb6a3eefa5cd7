-- Gap analysis and team composition (docs/semantics.md §3): exact semantics, in C.

CREATE FUNCTION kbs.gaps(kbs.coverage, kbs.requirement,
                         OUT block_id integer, OUT min_level smallint, OUT min_members integer,
                         OUT importance smallint, OUT needed integer, OUT present integer,
                         OUT shortfall integer, OUT spare integer, OUT unassessed integer, OUT status text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'kbs_sql_gaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION kbs.gaps(kbs.coverage, kbs.requirement) IS 'Per eis: nodig, aanwezig, tekort, overschot, niet beoordeeld (leden zonder niveau en zonder "niet van toepassing" op de bouwsteen, ook leden zonder beoordeling) en status: gap = tekort (ook als alle niet-beoordeelde leden de eis zouden halen), unknown = onbekend, nog te beoordelen (het tekort is niet groter dan het aantal niet-beoordeelde leden), fragile = precies genoeg (één vertrek geeft een tekort), met = voldaan. Slechtste eerst: gap, unknown, fragile, met. min_members leeg = ieder lid.';

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
