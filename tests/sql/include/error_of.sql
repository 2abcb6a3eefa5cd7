-- The SQL tests' error helper, included by every test that starts a database
-- (\i from the repository root, where make check and make installcheck run):
-- what a statement raises as 'SQLSTATE: message', followed by ' DETAIL: …' and
-- ' HINT: …' when the error has them; 'no error' when it raises nothing.
-- PostgreSQL's own "Failing row contains (…)" detail of a constraint is left
-- out: it echoes the row, timestamps included, so no expected output could hold it.
CREATE FUNCTION test.error_of(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
    det text;
    hin text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                            hin = PG_EXCEPTION_HINT;
    IF det LIKE 'Failing row contains (%' THEN
        det := NULL;
    END IF;
    RETURN st || ': ' || msg || coalesce(' DETAIL: ' || nullif(det, ''), '') || coalesce(' HINT: ' || nullif(hin, ''), '');
END
$$;
