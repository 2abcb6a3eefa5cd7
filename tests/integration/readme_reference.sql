-- The objects of schema kbs, as the README's Reference part names them (tests/integration/readme_reference.sh).
-- Creates the temporary view pg_temp.kbs_inventory in the current database:
--   kind      type, operator, cast, function, aggregate, table, view, setting, guc, role
--   key       the text the README's reference row starts with (its first code span):
--               function, aggregate  kbs.name(<pg_get_function_arguments>) → <pg_get_function_result>
--                                    (as psql's \df prints them, OUT parameters and defaults included)
--               operator             <left type> <operator> <right type> → <result type>
--               cast                 <source type>::<target type>
--               type, table, view    kbs.name
--               setting              the name of a row of kbs.setting (stale_after)
--               guc                  SET kbs.name (a setting the library registers, src/pg/kbs.c)
--               role                 the group role's name (created by the install script)
--   ident     what stays the same when an object is changed in place: name and input types; compared between
--             the installed versions to find the version an object was added in
--   internal  NULL for a user-facing object, else why it is left out of the reference
-- Internal: trigger functions; functions without a comment (the support functions of types, aggregates,
-- operators and operator classes, named by their role) or whose comment says they are internal ("Intern...");
-- functions no kbs_* role (nor PUBLIC) may execute; tables and views whose comment says they are internal or
-- that no kbs_* role may read; types whose comment says they are used internally.
CREATE TEMPORARY VIEW kbs_inventory AS
WITH kbs_roles AS (
    SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN ('kbs_admin', 'kbs_coordinator', 'kbs_policy')
), fn AS (
    SELECT p.oid, p.proname, p.prokind, pg_catalog.obj_description(p.oid, 'pg_proc') AS note,
           p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype AS is_trigger,
           EXISTS (SELECT 1 FROM pg_catalog.pg_aggregate a
                    WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                                    a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn)) AS is_agg_support,
           EXISTS (SELECT 1 FROM pg_catalog.pg_type t
                    WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout,
                                    t.typanalyze)) AS is_type_io,
           EXISTS (SELECT 1 FROM pg_catalog.pg_amproc ap WHERE ap.amproc = p.oid) AS is_opclass_support,
           EXISTS (SELECT 1 FROM pg_catalog.pg_operator o WHERE o.oprcode = p.oid) AS is_operator,
           (pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE')
            OR EXISTS (SELECT 1 FROM kbs_roles r WHERE pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE')))
               AS executable
      FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'kbs'::pg_catalog.regnamespace
), rel AS (
    SELECT c.oid, c.relname, c.relkind, pg_catalog.obj_description(c.oid, 'pg_class') AS note,
           EXISTS (SELECT 1 FROM kbs_roles r WHERE pg_catalog.has_table_privilege(r.oid, c.oid, 'SELECT'))
               AS readable
      FROM pg_catalog.pg_class c
     WHERE c.relnamespace = 'kbs'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
), install_script AS (
    -- The install script of the version installed here (for the settings and roles the library and script make).
    SELECT pg_catalog.pg_read_file(
               (SELECT setting FROM pg_catalog.pg_config WHERE name = 'SHAREDIR')
               || '/extension/kennisbouwstenen--' || e.extversion || '.sql') AS text
      FROM pg_catalog.pg_extension e WHERE e.extname = 'kennisbouwstenen'
)
SELECT CASE f.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END AS kind,
       'kbs.' || f.proname || '(' || pg_catalog.pg_get_function_arguments(f.oid) || ') → '
           || pg_catalog.pg_get_function_result(f.oid) AS key,
       'function ' || f.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')' AS ident,
       CASE WHEN f.is_trigger THEN 'trigger function'
            WHEN f.note IS NULL OR f.note ~ '^Intern' THEN
                CASE WHEN f.is_agg_support THEN 'aggregate support function'
                     WHEN f.is_type_io THEN 'type input/output function'
                     WHEN f.is_opclass_support THEN 'operator class support function'
                     WHEN f.is_operator THEN 'operator function'
                     WHEN f.note IS NULL THEN 'no comment'
                     ELSE 'comment says internal' END
            WHEN NOT f.executable THEN 'no kbs role may execute it'
       END AS internal
  FROM fn f JOIN pg_catalog.pg_proc p ON p.oid = f.oid
UNION ALL
SELECT 'operator',
       pg_catalog.format_type(o.oprleft, NULL) || ' ' || o.oprname || ' ' || pg_catalog.format_type(o.oprright, NULL)
           || ' → ' || pg_catalog.format_type(o.oprresult, NULL),
       'operator ' || pg_catalog.format_type(o.oprleft, NULL) || ' ' || o.oprname || ' '
           || pg_catalog.format_type(o.oprright, NULL),
       NULL
  FROM pg_catalog.pg_operator o
 WHERE o.oprnamespace = 'kbs'::pg_catalog.regnamespace
UNION ALL
SELECT 'cast',
       pg_catalog.format_type(c.castsource, NULL) || '::' || pg_catalog.format_type(c.casttarget, NULL),
       'cast ' || pg_catalog.format_type(c.castsource, NULL) || '::' || pg_catalog.format_type(c.casttarget, NULL),
       NULL
  FROM pg_catalog.pg_cast c
 WHERE 'kbs'::pg_catalog.regnamespace IN ((SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = c.castsource),
                                          (SELECT typnamespace FROM pg_catalog.pg_type WHERE oid = c.casttarget))
UNION ALL
SELECT 'type', pg_catalog.format_type(t.oid, NULL), 'type ' || t.typname,
       CASE WHEN pg_catalog.obj_description(t.oid, 'pg_type') ~* '^intern|\(intern ' THEN 'comment says internal' END
  FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
 WHERE t.typnamespace = 'kbs'::pg_catalog.regnamespace
   AND (t.typtype IN ('b', 'd', 'e', 'r', 'm') AND t.typcategory <> 'A' OR c.relkind = 'c')
UNION ALL
SELECT CASE WHEN r.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END,
       'kbs.' || r.relname, 'relation ' || r.relname,
       CASE WHEN r.note ~ '^Intern' THEN 'comment says internal'
            WHEN NOT r.readable THEN 'no kbs role may read it' END
  FROM rel r
UNION ALL
SELECT 'setting', s.name, 'setting ' || s.name, NULL
  FROM kbs.setting s
UNION ALL
-- Settings the library registers that pg_settings shows (the internal ones are GUC_NO_SHOW_ALL), present in
-- a version when its install script names them.
SELECT 'guc', 'SET ' || g.name, 'guc ' || g.name, NULL
  FROM pg_catalog.pg_settings g, install_script i
 WHERE g.name LIKE 'kbs.%' AND pg_catalog.strpos(i.text, g.name) > 0
UNION ALL
SELECT 'role', m[1], 'role ' || m[1], NULL
  FROM install_script i, pg_catalog.regexp_matches(i.text, 'CREATE ROLE (kbs_[a-z_]+)', 'g') AS m;

-- The views' and tables' columns, and which group roles may read them (A kbs_admin, C kbs_coordinator,
-- P kbs_policy): the README's view rows name key columns and readers, checked against these.
CREATE TEMPORARY VIEW kbs_relation_detail AS
SELECT 'kbs.' || c.relname AS key,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
       pg_catalog.concat_ws(' ',
           CASE WHEN pg_catalog.has_table_privilege('kbs_admin', c.oid, 'SELECT') THEN 'A' END,
           CASE WHEN pg_catalog.has_table_privilege('kbs_coordinator', c.oid, 'SELECT') THEN 'C' END,
           CASE WHEN pg_catalog.has_table_privilege('kbs_policy', c.oid, 'SELECT') THEN 'P' END) AS readers
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'kbs'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f');
