-- Internal building blocks of the aggregate views: the groups of the wheel, every
-- snapshot with its publication decision, the cells the reader may see, and the
-- sums per group over published cells only (docs/semantics.md §5).

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
