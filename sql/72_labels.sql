-- Labels: the Dutch names the views show next to the codes (status, source of an
-- assessment, importance of a requirement), and the ratio the views round to four
-- decimals (docs/semantics.md §3 for the statuses, §5 for the views).

CREATE FUNCTION kbs.status_label(status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN CASE status WHEN 'gap' THEN 'tekort' WHEN 'unknown' THEN 'onbekend' WHEN 'fragile' THEN 'kwetsbaar'
                   WHEN 'met' THEN 'voldaan' END;
COMMENT ON FUNCTION kbs.status_label(text) IS 'Nederlandse benaming van een status: gap = tekort, unknown = onbekend (nog te beoordelen: het tekort kan verdwijnen als de niet-beoordeelde leden de eis halen), fragile = kwetsbaar (één vertrek geeft een tekort), met = voldaan.';

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
