-- Retention (AVG): people who left longer ago than a setting lose their
-- person-level data; stored snapshots and aggregates stay exactly as they were.

CREATE FUNCTION kbs.apply_retention(at date DEFAULT current_date)
RETURNS TABLE (professionals integer, assessments_deleted integer, plan_items_anonymised integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff date := (at - kbs.setting_interval('retention_after'))::date;
    people integer[];
BEGIN
    -- A NULL date would make every closed membership look old enough.
    IF at IS NULL THEN
        RAISE EXCEPTION 'the date of kbs.apply_retention must not be null' USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Leave the argument out to use today.';
    END IF;
    -- Left: no membership open at the date, and the last one ended before the cutoff.
    people := ARRAY(
        SELECT p.id FROM kbs.professional p
         WHERE NOT p.anonymised
           AND NOT EXISTS (SELECT 1 FROM kbs.membership m
                            WHERE m.professional_id = p.id
                              AND (upper_inf(m.during) OR upper(m.during) > cutoff))
         ORDER BY p.id);
    -- History is stored in snapshots; deleting the source rows must not reopen it.
    PERFORM set_config('kbs.retention_in_progress', 'on', true);
    WITH d AS (DELETE FROM kbs.assessment a WHERE a.professional_id = ANY (people) RETURNING 1)
    SELECT count(*) INTO assessments_deleted FROM d;
    WITH u AS (UPDATE kbs.plan_item i SET professional_id = NULL, note = NULL
                WHERE i.professional_id = ANY (people) RETURNING 1)
    SELECT count(*) INTO plan_items_anonymised FROM u;
    UPDATE kbs.professional p SET ref = 'geanonimiseerd-' || p.id, discipline = NULL, anonymised = true
     WHERE p.id = ANY (people);
    PERFORM set_config('kbs.retention_in_progress', 'off', true);
    professionals := cardinality(people);
    RETURN NEXT;
END
$$;
COMMENT ON FUNCTION kbs.apply_retention(date) IS 'Bewaartermijn: verwijdert de beoordelingen en anonimiseert de gegevens van wie langer dan de bewaartermijn (instelling retention_after, standaard 2 jaar) geen lid meer is; momentopnamen en cijfers blijven ongewijzigd. Veilig om herhaald te draaien.';
