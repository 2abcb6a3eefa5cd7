-- Roles, privileges and row-level security (docs/semantics.md §5, §6).
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
GRANT SELECT ON kbs.v_training_demand TO kbs_coordinator, kbs_policy;

-- Imports (sql/67_import.sql) run with the caller's rights: coordinators import
-- the assessments of their teams with the grants above, and log their imports.
GRANT INSERT ON kbs.import_log TO kbs_coordinator;

-- Functions that run with the owner's rights, or hand out person-level sets:
-- not for everyone.
REVOKE EXECUTE ON FUNCTION kbs.person_set(integer, date), kbs.publication_decide(integer, date),
                           kbs.publication_decide_teams(integer[], date[]),
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

ALTER TABLE kbs.snapshot_span ENABLE ROW LEVEL SECURITY;
CREATE POLICY snapshot_span_admin ON kbs.snapshot_span TO kbs_admin USING (true) WITH CHECK (true);

ALTER TABLE kbs.publication ENABLE ROW LEVEL SECURITY;
CREATE POLICY publication_admin ON kbs.publication FOR SELECT TO kbs_admin USING (true);
ALTER TABLE kbs.published_set ENABLE ROW LEVEL SECURITY;
CREATE POLICY published_set_admin ON kbs.published_set FOR SELECT TO kbs_admin USING (true);

-- The import log: administrators read it; a coordinator only adds rows in its own name.
ALTER TABLE kbs.import_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_log_admin ON kbs.import_log TO kbs_admin USING (true) WITH CHECK (true);
CREATE POLICY import_log_coordinator ON kbs.import_log FOR INSERT TO kbs_coordinator
    WITH CHECK (import_log.imported_by = current_user);
