-- BI views (docs/semantics.md §5): long/tidy, one grain each, standard types
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
--   * person-level views (heat map, T-shape, freshness, self vs supervisor;
--     plan progress in sql/76_plans.sql) are security_invoker: row-level
--     security on the base tables (sql/80_security.sql) decides what a
--     coordinator sees, and kbs_policy has no access to them at all.
-- What the views need comes first: access (sql/70_access.sql), publication
-- (sql/71_publication.sql), labels (sql/72_labels.sql) and the internal building
-- blocks (sql/73_aggregates.sql). Roles, privileges and the row-level security
-- policies follow in sql/80_security.sql.

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
