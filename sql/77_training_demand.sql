-- The training demand across a municipality's teams, for trainers and coaches:
-- per block and target level, the people with an open plan item, by status and
-- due quarter, and the teams involved. An aggregate view like those of
-- sql/74_views.sql: it runs with its owner's rights, shows the municipalities
-- granted to the reader, and a cell of fewer than k = min_group_size people is
-- suppressed (NULL, suppressed = true) for a reader without person-level access
-- to every team in it.

CREATE VIEW kbs.v_training_demand WITH (security_barrier = true) AS
WITH item AS (
    SELECT t.municipality, i.team_id, i.professional_id, i.block_id, i.target_level, i.status,
           date_trunc('quarter', i.due_on)::date AS due_quarter, a.person_access
      FROM kbs.plan_item i
      JOIN kbs.team t ON t.id = i.team_id
      JOIN kbs.team_access a ON a.team_id = i.team_id
      JOIN kbs.municipality_access ma ON ma.municipality = t.municipality
     WHERE ma.visible
       AND i.status IN ('proposed', 'planned', 'in_progress')
       AND i.professional_id IS NOT NULL      -- team actions (recruiting) are no training
       AND i.created_on <= kbs.as_of()
), cell AS (
    SELECT x.municipality, x.block_id, x.target_level, x.status, x.due_quarter,
           count(DISTINCT x.professional_id)::integer AS people, count(DISTINCT x.team_id)::integer AS teams,
           bool_and(x.person_access) AS person_access
      FROM item x
     GROUP BY x.municipality, x.block_id, x.target_level, x.status, x.due_quarter
)
SELECT kbs.as_of() AS peildatum, c.municipality AS municipality_code, m.name AS municipality_name,
       w.wheel_order, w.ring_position, w.ring AS ring_code, w.ring_name,
       w.domain_position, w.domain AS domain_code, w.domain_name,
       c.block_id::integer AS block_id, w.block_code, w.block_name,
       c.target_level::integer AS target_level, sl.label AS target_level_label,
       c.status AS status_code,
       CASE c.status WHEN 'proposed' THEN 'voorgesteld' WHEN 'planned' THEN 'gepland' WHEN 'in_progress' THEN 'bezig' END
           AS status_label,
       c.due_quarter, to_char(c.due_quarter, 'YYYY') || '-K' || to_char(c.due_quarter, 'Q') AS due_quarter_label,
       CASE WHEN s.shown THEN c.people END AS people,
       CASE WHEN s.shown THEN c.teams END AS teams,
       NOT s.shown AS suppressed
  FROM cell c
  JOIN kbs.municipality m ON m.code = c.municipality
  LEFT JOIN kbs.wheel w ON w.block_id = c.block_id
  LEFT JOIN kbs.scale_labels sl ON sl.level = c.target_level
 CROSS JOIN LATERAL (SELECT c.person_access OR c.people >= kbs.setting_integer('min_group_size') AS shown) s;
COMMENT ON VIEW kbs.v_training_demand IS 'Scholingsvraag voor trainers en opleiders: per gemeente, bouwsteen en beoogd niveau het aantal mensen met een open scholingsactie (voorgesteld, gepland of bezig), naar status en kwartaal van de streefdatum, en het aantal teams waar zij werken. Teamacties zonder persoon tellen niet mee. Op de peildatum kbs.as_of() (standaard vandaag): acties aangemaakt tot die datum, met hun huidige status. Een cel met minder dan k (instelling min_group_size) mensen is onderdrukt (leeg, suppressed = waar) voor wie niet van elk team in de cel persoonsgegevens mag zien. Voor beleid, coördinatoren en beheerders.';
COMMENT ON COLUMN kbs.v_training_demand.peildatum IS 'Peildatum: de sessie-instelling kbs.as_of, anders vandaag.';
COMMENT ON COLUMN kbs.v_training_demand.municipality_code IS 'CBS-code van de gemeente.';
COMMENT ON COLUMN kbs.v_training_demand.municipality_name IS 'Naam van de gemeente.';
COMMENT ON COLUMN kbs.v_training_demand.wheel_order IS 'Volgorde in het karrenwiel; sorteer hierop.';
COMMENT ON COLUMN kbs.v_training_demand.ring_position IS 'Volgorde van de laag.';
COMMENT ON COLUMN kbs.v_training_demand.ring_code IS 'Code van de laag: centre, generic, general, specific of target_group.';
COMMENT ON COLUMN kbs.v_training_demand.ring_name IS 'Naam van de laag.';
COMMENT ON COLUMN kbs.v_training_demand.domain_position IS 'Plaats van het leefgebied in het karrenwiel; leeg buiten algemene en specifieke kennis.';
COMMENT ON COLUMN kbs.v_training_demand.domain_code IS 'Code van het leefgebied.';
COMMENT ON COLUMN kbs.v_training_demand.domain_name IS 'Naam van het leefgebied.';
COMMENT ON COLUMN kbs.v_training_demand.block_id IS 'Nummer van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.block_code IS 'Code van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.block_name IS 'Naam van de bouwsteen.';
COMMENT ON COLUMN kbs.v_training_demand.target_level IS 'Het beoogde niveau (1 tot en met 4).';
COMMENT ON COLUMN kbs.v_training_demand.target_level_label IS 'Benaming van het beoogde niveau.';
COMMENT ON COLUMN kbs.v_training_demand.status_code IS 'Status van de acties: proposed, planned of in_progress.';
COMMENT ON COLUMN kbs.v_training_demand.status_label IS 'Benaming van de status: voorgesteld, gepland of bezig.';
COMMENT ON COLUMN kbs.v_training_demand.due_quarter IS 'Eerste dag van het kwartaal van de streefdatum.';
COMMENT ON COLUMN kbs.v_training_demand.due_quarter_label IS 'Het kwartaal van de streefdatum, bijvoorbeeld 2026-K3.';
COMMENT ON COLUMN kbs.v_training_demand.people IS 'Aantal mensen met zo''n open actie; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_training_demand.teams IS 'Aantal teams waar die mensen de actie hebben; leeg als onderdrukt.';
COMMENT ON COLUMN kbs.v_training_demand.suppressed IS 'Waar als de cijfers voor u onderdrukt zijn (minder dan k mensen); toon dan "onderdrukt", nooit 0.';
