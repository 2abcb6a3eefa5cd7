-- Data and helpers for tests/integration/refresh_random.sh (schema rnd, outside
-- the extension). Two municipalities, five teams from 2024-01-01, 24 people,
-- rounds, requirements and partners; every "random" choice comes from
-- random() after setseed() in the shell script.
CREATE EXTENSION kennisbouwstenen;
SELECT kbs.set_setting('min_group_size', '2');
INSERT INTO kbs.municipality VALUES ('GM9991', 'Randstad'), ('GM9992', 'Toevalsdorp');
INSERT INTO kbs.assessment_round (municipality, name, peildatum, status) VALUES
    ('GM9991', 'voorjaar 2024', '2024-03-20', 'final'), ('GM9991', 'najaar 2024', '2024-09-30', 'final'),
    ('GM9992', 'voorjaar 2025', '2025-04-15', 'final');
INSERT INTO kbs.team (id, municipality, name, active) VALUES
    (1, 'GM9991', 'Noord', '[2024-01-01,)'), (2, 'GM9991', 'Zuid', '[2024-01-01,)'),
    (3, 'GM9991', 'Oost', '[2024-01-01,)'), (4, 'GM9992', 'Dorp', '[2024-01-01,)'),
    (5, 'GM9992', 'Jeugd', '[2024-01-01,)');
INSERT INTO kbs.professional (id, municipality, ref)
SELECT g, CASE WHEN g <= 15 THEN 'GM9991' ELSE 'GM9992' END, 'p' || g FROM generate_series(1, 24) g;
INSERT INTO kbs.membership (professional_id, team_id, during)
SELECT g, CASE WHEN g <= 15 THEN 1 + (g - 1) % 3 ELSE 4 + g % 2 END, daterange('2024-01-01', NULL)
  FROM generate_series(1, 22) g;
INSERT INTO kbs.team_requirement (team_id, during, requirement) VALUES
    (1, '[2024-01-01,)', '{31:2/2,32:1/all}'), (4, '[2024-06-01,)', '{33:3/1}');
INSERT INTO kbs.partner (id, municipality, organisation, profile, during) VALUES
    (1, 'GM9991', 'GGZ', '{32:3}', '[2024-01-01,)'), (2, 'GM9991', 'Schuldhulp', '{33:4}', '[2024-05-01,)'),
    (3, 'GM9992', 'Veilig Thuis', '{35:4}', '[2024-02-01,)');
INSERT INTO kbs.partner_team (partner_id, team_id) VALUES (1, 1), (1, 2), (3, 4);
SELECT setval(pg_get_serial_sequence('kbs.team', 'id'), 5);
SELECT setval(pg_get_serial_sequence('kbs.professional', 'id'), 24);
SELECT setval(pg_get_serial_sequence('kbs.partner', 'id'), 3);

CREATE SCHEMA rnd;
-- A random element of an array; a random date between two dates.
CREATE FUNCTION rnd.pick(anyarray) RETURNS anyelement LANGUAGE sql VOLATILE
AS $$ SELECT $1[1 + floor(random() * cardinality($1))::int] $$;
CREATE FUNCTION rnd.day(lo date, hi date) RETURNS date LANGUAGE sql VOLATILE
RETURN lo + floor(random() * (hi - lo + 1))::int;
-- (no block drawn: the empty profile, as profile_agg over no rows is NULL)
CREATE FUNCTION rnd.profile() RETURNS kbs.profile LANGUAGE sql VOLATILE
RETURN coalesce((SELECT kbs.profile_agg(b, CASE WHEN random() < 0.1 THEN 'na' ELSE floor(random() * 5)::text END)
                   FROM generate_series(31, 36) b WHERE random() < 0.6), '{}'::kbs.profile);

-- One random change; returns what it did (for the log). Changes that a check
-- refuses (an overlapping membership, ...) are skipped, not retried.
CREATE FUNCTION rnd.change() RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    kind text := rnd.pick(ARRAY['assessment', 'assessment', 'assessment', 'assessment_change', 'move', 'join',
                                'leave', 'requirement', 'partner', 'partner_team', 'setting', 'round',
                                'new_team', 'snapshot_delete']);
    p integer;
    t integer;
    m record;
    d date := rnd.day('2024-01-15', '2025-11-30');
BEGIN
    CASE kind
    WHEN 'assessment' THEN   -- backdated, sometimes a draft, sometimes a second one on a person's day
        p := floor(1 + random() * 24)::int;
        IF random() < 0.3 THEN
            SELECT a.professional_id, a.assessed_on INTO p, d FROM kbs.assessment a ORDER BY random() LIMIT 1;
            p := coalesce(p, 1);
            d := coalesce(d, '2024-03-01');
        END IF;
        INSERT INTO kbs.assessment (professional_id, assessed_on, source, status, profile)
        VALUES (p, CASE WHEN random() < 0.1 THEN '2024-03-01' ELSE d END,
                rnd.pick(ARRAY['self', 'supervisor', 'peer', 'team']),
                CASE WHEN random() < 0.15 THEN 'draft' ELSE 'final' END, rnd.profile());
        RETURN format('assessment of p%s on %s', p, d);
    WHEN 'assessment_change' THEN
        SELECT a.id INTO p FROM kbs.assessment a ORDER BY random() LIMIT 1;
        IF p IS NULL THEN RETURN 'no assessment to change'; END IF;
        IF random() < 0.3 THEN
            DELETE FROM kbs.assessment WHERE id = p;
            RETURN format('assessment %s deleted', p);
        END IF;
        UPDATE kbs.assessment SET assessed_on = CASE WHEN random() < 0.5 THEN d ELSE assessed_on END,
                                  status = CASE WHEN random() < 0.3 THEN 'draft' ELSE 'final' END,
                                  profile = CASE WHEN random() < 0.5 THEN rnd.profile() ELSE profile END
         WHERE id = p;
        RETURN format('assessment %s changed', p);
    WHEN 'move', 'leave' THEN   -- an open membership ends on d; a move starts one in another team
        SELECT mm.* INTO m FROM kbs.membership mm WHERE upper_inf(mm.during) AND lower(mm.during) < d
         ORDER BY random() LIMIT 1;
        IF m IS NULL THEN RETURN 'no membership to end'; END IF;
        UPDATE kbs.membership SET during = daterange(lower(during), d) WHERE id = m.id;
        IF kind = 'move' THEN
            SELECT tm.id INTO t FROM kbs.team tm JOIN kbs.professional pr ON pr.municipality = tm.municipality
             WHERE pr.id = m.professional_id AND tm.id <> m.team_id AND tm.active @> d
               AND NOT EXISTS (SELECT 1 FROM kbs.membership x WHERE x.professional_id = m.professional_id
                                  AND x.team_id = tm.id AND x.during && daterange(d, NULL))
             ORDER BY random() LIMIT 1;
            IF t IS NOT NULL THEN
                INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (m.professional_id, t, daterange(d, NULL));
            END IF;
            RETURN format('p%s moves from team %s to %s on %s', m.professional_id, m.team_id, t, d);
        END IF;
        RETURN format('p%s leaves team %s on %s', m.professional_id, m.team_id, d);
    WHEN 'join' THEN   -- someone joins a team on d (backdated), a new person or one without a team then
        SELECT pr.id, tm.id INTO p, t FROM kbs.professional pr JOIN kbs.team tm ON tm.municipality = pr.municipality
         WHERE tm.active @> d AND NOT EXISTS (SELECT 1 FROM kbs.membership x WHERE x.professional_id = pr.id
                                                AND x.team_id = tm.id AND x.during && daterange(d, NULL))
         ORDER BY random() LIMIT 1;
        IF p IS NULL THEN RETURN 'nobody to join'; END IF;
        INSERT INTO kbs.membership (professional_id, team_id, during) VALUES (p, t, daterange(d, NULL));
        RETURN format('p%s joins team %s on %s', p, t, d);
    WHEN 'requirement' THEN   -- a team's requirement changes on d, or goes
        t := floor(1 + random() * 5)::int;
        IF random() < 0.2 THEN
            DELETE FROM kbs.team_requirement WHERE team_id = t AND during @> d;
            RETURN format('requirement of team %s on %s deleted', t, d);
        END IF;
        DELETE FROM kbs.team_requirement WHERE team_id = t AND lower(during) >= d;
        UPDATE kbs.team_requirement SET during = daterange(lower(during), d) WHERE team_id = t AND during @> d;
        INSERT INTO kbs.team_requirement (team_id, during, requirement)
        VALUES (t, daterange(d, NULL), rnd.pick(ARRAY['{31:2/2}', '{31:1/all,34:3/1}', '{32:3/2,33:2/1}'])::kbs.requirement);
        RETURN format('team %s needs something else from %s', t, d);
    WHEN 'partner' THEN
        p := floor(1 + random() * 3)::int;
        IF random() < 0.5 THEN
            UPDATE kbs.partner SET profile = rnd.profile() WHERE id = p;
            RETURN format('partner %s knows something else', p);
        END IF;
        UPDATE kbs.partner SET during = daterange(d, CASE WHEN random() < 0.5 THEN d + 120 END) WHERE id = p;
        RETURN format('partner %s from %s', p, d);
    WHEN 'partner_team' THEN
        p := floor(1 + random() * 3)::int;
        SELECT tm.id INTO t FROM kbs.team tm JOIN kbs.partner pa ON pa.municipality = tm.municipality
         WHERE pa.id = p ORDER BY random() LIMIT 1;
        IF EXISTS (SELECT 1 FROM kbs.partner_team WHERE partner_id = p AND team_id = t) THEN
            DELETE FROM kbs.partner_team WHERE partner_id = p AND team_id = t;
            RETURN format('partner %s stops serving team %s', p, t);
        END IF;
        INSERT INTO kbs.partner_team (partner_id, team_id) VALUES (p, t);
        RETURN format('partner %s serves team %s', p, t);
    WHEN 'setting' THEN
        IF random() < 0.5 THEN
            PERFORM kbs.set_setting('stale_after', rnd.pick(ARRAY['3 months', '9 months', '18 months']));
        ELSE
            PERFORM kbs.set_setting('min_group_size', rnd.pick(ARRAY['2', '3', '4']));
        END IF;
        RETURN 'a setting changed';
    WHEN 'round' THEN   -- a new round date (a new peildatum), or one moved
        IF random() < 0.7 THEN
            INSERT INTO kbs.assessment_round (municipality, name, peildatum)
            VALUES (rnd.pick(ARRAY['GM9991', 'GM9992']), 'ronde ' || d || ' ' || floor(random() * 1000), d);
            RETURN format('a round on %s', d);
        END IF;
        UPDATE kbs.assessment_round SET peildatum = d
         WHERE id = (SELECT r.id FROM kbs.assessment_round r ORDER BY random() LIMIT 1);
        RETURN format('a round moved to %s', d);
    WHEN 'new_team' THEN   -- a new team, or a team that existed earlier than recorded
        IF random() < 0.5 THEN
            INSERT INTO kbs.team (municipality, name, active)
            VALUES (rnd.pick(ARRAY['GM9991', 'GM9992']), 'Team ' || d || ' ' || floor(random() * 1000), daterange(d, NULL))
            RETURNING id INTO t;
            INSERT INTO kbs.membership (professional_id, team_id, during)
            SELECT pr.id, t, daterange(d, NULL) FROM kbs.professional pr JOIN kbs.team tm ON tm.id = t
             WHERE pr.municipality = tm.municipality ORDER BY random() LIMIT 2;
            RETURN format('team %s from %s', t, d);
        END IF;
        t := floor(1 + random() * 5)::int;
        UPDATE kbs.team SET active = daterange('2023-10-01', NULL) WHERE id = t;
        RETURN format('team %s from 2023-10-01', t);
    WHEN 'snapshot_delete' THEN
        DELETE FROM kbs.snapshot WHERE (team_id, peildatum) = (SELECT s.team_id, s.peildatum FROM kbs.snapshot s
                                                                 ORDER BY random() LIMIT 1);
        RETURN 'a snapshot deleted';
    END CASE;
EXCEPTION WHEN check_violation OR exclusion_violation OR unique_violation THEN
    RETURN format('%s skipped: %s', kind, SQLERRM);
END
$$;

-- Every cell: its rows and decision as text, without timestamps.
CREATE FUNCTION rnd.state() RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT coalesce(string_agg(format('%s %s %s %s %s %s/%s/%s %s', s.team_id, s.peildatum, s.coverage, s.requirement,
                                          s.partner_coverage, s.members, s.assessed, s.stale,
                                          coalesce(p.published::text || ' ' || coalesce(p.reason, '') || ' ' ||
                                                   coalesce(p.nearest::text, '-') || ' k' || p.min_group_size
                                                   || CASE WHEN p.snapshot_computed_at = s.computed_at THEN '' ELSE ' old' END,
                                                   'undecided')),
                                   E'\n' ORDER BY s.team_id, s.peildatum), '')
          FROM kbs.snapshot s LEFT JOIN kbs.publication p USING (team_id, peildatum))
        || E'\nsets ' || (SELECT count(*) FROM kbs.published_set);

-- The cells of a period against a fresh computation: every peildatum of every
-- team present, and each equal to kbs.team_coverage, kbs.team_requirement_at,
-- kbs.partner_coverage and the counts of kbs.member_profiles_at.
CREATE FUNCTION rnd.verify(from_date date, to_date date) RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT coalesce(string_agg(x.problem, E'\n' ORDER BY x.problem), '')
          FROM (SELECT format('team %s on %s: %s', t.id, d.d,
                              CASE WHEN s.team_id IS NULL THEN 'missing'
                                   ELSE format('stored %s %s %s %s/%s/%s, fresh %s %s %s %s/%s/%s',
                                               s.coverage, s.requirement, s.partner_coverage, s.members, s.assessed, s.stale,
                                               kbs.team_coverage(t.id, d.d), kbs.team_requirement_at(t.id, d.d),
                                               kbs.partner_coverage(t.id, d.d), f.members, f.assessed, f.stale) END) AS problem
                  FROM kbs.team t
                 CROSS JOIN LATERAL kbs.peildata(t.id, from_date, to_date) d(d)
                  LEFT JOIN kbs.snapshot s ON s.team_id = t.id AND s.peildatum = d.d
                 CROSS JOIN LATERAL (SELECT count(*) AS members, count(m.assessment_id) AS assessed,
                                            count(*) FILTER (WHERE m.stale) AS stale
                                       FROM kbs.member_profiles_at(t.id, d.d) m) f
                 WHERE s.team_id IS NULL
                    OR (s.coverage::text, s.requirement::text, s.partner_coverage::text, s.members, s.assessed, s.stale)
                       IS DISTINCT FROM
                       (kbs.team_coverage(t.id, d.d)::text, kbs.team_requirement_at(t.id, d.d)::text,
                        kbs.partner_coverage(t.id, d.d)::text, f.members::integer, f.assessed::integer, f.stale::integer)) x);
