-- Extension script security (PostgreSQL's rules for extensions): every SQL and
-- PL/pgSQL function pins its search_path, nothing of the extension lands outside
-- schema kbs, and the install script never uses CREATE OR REPLACE.
SELECT p.oid::regprocedure AS function_without_search_path
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'kbs'::regnamespace AND l.lanname NOT IN ('c', 'internal')
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');
SELECT count(*) > 100 AS checked_many_functions FROM pg_proc WHERE pronamespace = 'kbs'::regnamespace;
-- Members of the extension outside kbs (casts have no schema and are listed apart).
WITH member AS (
    SELECT d.classid, d.objid FROM pg_depend d
     WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
       AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kennisbouwstenen')
)
SELECT pg_describe_object(m.classid, m.objid, 0) AS outside_kbs
  FROM member m
 WHERE coalesce(
        (SELECT pronamespace FROM pg_proc WHERE m.classid = 'pg_proc'::regclass AND oid = m.objid),
        (SELECT relnamespace FROM pg_class WHERE m.classid = 'pg_class'::regclass AND oid = m.objid),
        (SELECT typnamespace FROM pg_type WHERE m.classid = 'pg_type'::regclass AND oid = m.objid),
        (SELECT oprnamespace FROM pg_operator WHERE m.classid = 'pg_operator'::regclass AND oid = m.objid),
        (SELECT opcnamespace FROM pg_opclass WHERE m.classid = 'pg_opclass'::regclass AND oid = m.objid),
        (SELECT opfnamespace FROM pg_opfamily WHERE m.classid = 'pg_opfamily'::regclass AND oid = m.objid),
        'kbs'::regnamespace) <> 'kbs'::regnamespace
 ORDER BY 1;
SELECT pg_describe_object(d.classid, d.objid, 0) AS cast_of_the_extension
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.classid = 'pg_cast'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kennisbouwstenen')
 ORDER BY 1;
-- The installed script: no CREATE OR REPLACE, every CREATE names schema kbs.
SELECT setting || '/extension/kennisbouwstenen--' || (SELECT extversion FROM pg_extension WHERE extname = 'kennisbouwstenen') || '.sql' AS script
  FROM pg_config WHERE name = 'SHAREDIR' \gset
SELECT length(pg_read_file(:'script')) > 100000 AS script_read,
       position('create or replace' IN lower(pg_read_file(:'script'))) = 0 AS no_create_or_replace;
SELECT m[1] AS unqualified_create
  FROM regexp_matches(pg_read_file(:'script'),
                      '\nCREATE (?:TABLE|VIEW|FUNCTION|AGGREGATE|TYPE|SEQUENCE|INDEX [a-z_]+ ON|OPERATOR CLASS|TRIGGER [a-z_]+ [A-Z ,]+ ON|CONSTRAINT TRIGGER [a-z_]+ [A-Z ,]+ ON) +(?!kbs\.)([A-Za-z_"]+[^ (]*)', 'g') AS m;
SELECT m[1] AS unqualified_operator
  FROM regexp_matches(pg_read_file(:'script'), '\nCREATE OPERATOR (?!CLASS kbs\.|kbs\.)(\S+)', 'g') AS m;
SELECT count(*) > 10 AS operators_checked
  FROM regexp_matches(pg_read_file(:'script'), '\nCREATE OPERATOR (?:CLASS )?kbs\.', 'g');
