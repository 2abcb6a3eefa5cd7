-- A canonical, OID-free description of everything the extension owns: members, definitions,
-- columns, constraints, indexes, triggers, policies, privileges, comments, operator classes,
-- casts, aggregates and the shipped catalogue rows. Two databases are alike when this text is.
\pset format unaligned
\pset tuples_only on
\pset footer off
SET search_path = pg_catalog;
SET lc_messages = 'C';

CREATE TEMP VIEW ext_member AS
SELECT d.classid, d.objid, d.objsubid
  FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'kennisbouwstenen';

SELECT 'extension ' || extname || ' schema=' || extnamespace::regnamespace || ' relocatable=' || extrelocatable
       || ' config=' || coalesce((SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text)
                                    FROM unnest(extconfig) c), '')
  FROM pg_extension WHERE extname = 'kennisbouwstenen';

SELECT 'member ' || pg_describe_object(classid, objid, objsubid)
       || coalesce(' -- ' || obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)), '')
  FROM ext_member ORDER BY 1;

-- Functions and procedures: the whole definition, privileges.
SELECT 'function ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid)
       || E'\nacl ' || coalesce(p.proacl::text, 'default') || ' owner-is-super ' || r.rolsuper
  FROM pg_proc p JOIN ext_member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
  JOIN pg_roles r ON r.oid = p.proowner
 WHERE p.prokind <> 'a' ORDER BY p.oid::regprocedure::text;

SELECT 'aggregate ' || a.aggfnoid::regprocedure || ' kind=' || a.aggkind::text || ' trans=' || a.aggtransfn::regprocedure
       || ' final=' || a.aggfinalfn || ' combine=' || a.aggcombinefn || ' serial=' || a.aggserialfn
       || ' deserial=' || a.aggdeserialfn || ' stype=' || format_type(a.aggtranstype, NULL)
       || ' sspace=' || a.aggtransspace || ' init=' || coalesce(a.agginitval, 'null')
       || ' finalextra=' || a.aggfinalextra || ' finalmodify=' || a.aggfinalmodify::text
       || ' parallel=' || p.proparallel::text || ' acl=' || coalesce(p.proacl::text, 'default')
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
  JOIN ext_member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
 ORDER BY 1;

-- Relations: kind, options, row security, privileges; columns with types, defaults, comments.
SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' options=' || coalesce(c.reloptions::text, '')
       || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity || ' persistence=' || c.relpersistence::text
       || ' acl=' || coalesce(c.relacl::text, 'default')
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
 ORDER BY 1;

SELECT 'column ' || c.oid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
       || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
       || CASE WHEN a.attgenerated <> '' THEN ' generated ' || a.attgenerated::text ELSE '' END
       || ' collation=' || coalesce(a.attcollation::regcollation::text, '')
       || ' acl=' || coalesce(a.attacl::text, 'default')
       || coalesce(' -- ' || col_description(c.oid, a.attnum), '')
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
 ORDER BY c.oid::regclass::text, a.attnum;

-- Column order matters to SELECT * and COPY, so it is compared too.
SELECT 'columns ' || c.oid::regclass || ': ' || string_agg(a.attname, ', ' ORDER BY a.attnum)
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 GROUP BY c.oid ORDER BY 1;

SELECT 'view ' || c.oid::regclass || E'\n' || pg_get_viewdef(c.oid)
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
 WHERE c.relkind IN ('v', 'm') ORDER BY 1;

SELECT 'constraint ' || con.conrelid::regclass || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       || ' deferrable=' || con.condeferrable || '/' || con.condeferred
  FROM pg_constraint con JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = con.conrelid
 ORDER BY 1;

SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = i.indrelid
 ORDER BY 1;

SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
  FROM pg_trigger t JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = t.tgrelid
 WHERE NOT t.tgisinternal ORDER BY 1;

SELECT 'policy ' || pol.polrelid::regclass || ' ' || pol.polname || ' cmd=' || pol.polcmd::text
       || ' permissive=' || pol.polpermissive
       || ' roles=' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY 1)
                          FROM unnest(pol.polroles) r)
       || ' using=' || coalesce(pg_get_expr(pol.polqual, pol.polrelid), '')
       || ' check=' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '')
  FROM pg_policy pol JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = pol.polrelid
 ORDER BY 1;

SELECT 'sequence ' || s.seqrelid::regclass || ' ' || format_type(s.seqtypid, NULL) || ' start=' || s.seqstart
       || ' min=' || s.seqmin || ' max=' || s.seqmax || ' inc=' || s.seqincrement || ' cycle=' || s.seqcycle
  FROM pg_sequence s JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = s.seqrelid
 ORDER BY 1;

-- Types, operators, operator classes and families with their members, casts.
SELECT 'type ' || t.oid::regtype || ' type=' || t.typtype::text || ' len=' || t.typlen || ' align=' || t.typalign::text
       || ' storage=' || t.typstorage::text || ' in=' || t.typinput || ' out=' || t.typoutput
       || ' recv=' || t.typreceive || ' send=' || t.typsend || ' analyze=' || t.typanalyze
       || ' category=' || t.typcategory::text || ' subscript=' || t.typsubscript
       || ' acl=' || coalesce(t.typacl::text, 'default')
  FROM pg_type t JOIN ext_member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
 ORDER BY 1;

SELECT 'operator ' || o.oid::regoperator || ' code=' || o.oprcode || ' com=' || o.oprcom::regoperator
       || ' neg=' || o.oprnegate::regoperator || ' rest=' || o.oprrest || ' join=' || o.oprjoin
       || ' merges=' || o.oprcanmerge || ' hashes=' || o.oprcanhash
  FROM pg_operator o JOIN ext_member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
 ORDER BY 1;

SELECT 'opclass ' || am.amname || ' ' || oc.opcname || ' for ' || format_type(oc.opcintype, NULL)
       || ' default=' || oc.opcdefault || ' family=' || f.opfname
  FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod JOIN pg_opfamily f ON f.oid = oc.opcfamily
  JOIN ext_member m ON m.classid = 'pg_opclass'::regclass AND m.objid = oc.oid
 ORDER BY 1;

SELECT 'amop ' || am.amname || ' ' || f.opfname || ' ' || ao.amopstrategy || ' ' || ao.amopopr::regoperator
       || ' purpose=' || ao.amoppurpose::text
  FROM pg_amop ao JOIN pg_opfamily f ON f.oid = ao.amopfamily JOIN pg_am am ON am.oid = f.opfmethod
  JOIN ext_member m ON m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid
 UNION ALL
SELECT 'amproc ' || am.amname || ' ' || f.opfname || ' ' || ap.amprocnum || ' ' || ap.amproc::regprocedure
  FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily JOIN pg_am am ON am.oid = f.opfmethod
  JOIN ext_member m ON m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid
 ORDER BY 1;

SELECT 'cast ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL)
       || ' via ' || coalesce(c.castfunc::regprocedure::text, '-') || ' context=' || c.castcontext::text
       || ' method=' || c.castmethod::text
  FROM pg_cast c JOIN ext_member m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
 ORDER BY 1;

SELECT 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, 'default')
       || coalesce(' -- ' || obj_description(n.oid, 'pg_namespace'), '')
  FROM pg_namespace n WHERE n.nspname = 'kbs';

-- Shipped data: the catalogue, scale, settings and templates as an installation starts with them.
SELECT 'block ' || b::text FROM kbs.block b WHERE b.shipped ORDER BY b.id;
SELECT 'ring ' || r::text FROM kbs.ring r ORDER BY 1;
SELECT 'domain ' || d::text FROM kbs.domain d ORDER BY 1;
SELECT 'scale ' || s::text FROM kbs.scale s ORDER BY 1;
SELECT 'setting ' || s::text FROM kbs.setting s ORDER BY 1;
-- created_at is when the script ran, not part of the definition.
SELECT 'catalogue_version ' || v.version || ' ' || v.description FROM kbs.catalogue_version v WHERE v.shipped ORDER BY 1;
SELECT 'requirement_template ' || t::text FROM kbs.requirement_template t ORDER BY 1;
