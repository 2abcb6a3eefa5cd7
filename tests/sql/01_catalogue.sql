-- The shipped catalogue: exactly the published structure, in the wheel's order.
SELECT ring, count(*) AS blocks, count(DISTINCT domain) AS domains
  FROM kbs.block WHERE shipped GROUP BY ring ORDER BY min(id);
SELECT count(*) AS shipped_blocks, bool_and(id < 1000) AS ids_below_1000,
       bool_and(added_in = 1) AS all_in_version_1, bool_and(parent_id IS NULL) AS no_official_aspects
  FROM kbs.block WHERE shipped;
SELECT position, code, name FROM kbs.domain ORDER BY position;
-- Every domain has exactly one general and one specific block, ordered like the domains.
SELECT d.position, g.code AS general, s.code AS specific, g.position = d.position AND s.position = d.position AS same_order
  FROM kbs.domain d
  JOIN kbs.block g ON g.domain = d.code AND g.ring = 'general' AND g.shipped
  JOIN kbs.block s ON s.domain = d.code AND s.ring = 'specific' AND s.shipped
 ORDER BY d.position;
SELECT position, id, name FROM kbs.block WHERE ring = 'generic' ORDER BY position;
SELECT position, id, name FROM kbs.block WHERE ring = 'target_group' ORDER BY position;
SELECT wheel_order, ring, domain_position, block_code FROM kbs.wheel ORDER BY wheel_order;
SELECT code, level, label FROM kbs.scale ORDER BY position;

-- Local blocks: ids from 1000 up, aspects inherit ring and domain.
SELECT kbs.add_block('income.debt_counselling', 'Schuldhulpverlening', parent_code => 'specific.income',
                     description => 'Illustratief aspect') AS debt_id;
SELECT kbs.add_block('local.digital_skills', 'Digitale vaardigheden', ring => 'generic') AS digital_id;
SELECT id, code, ring, domain, parent_id, shipped, added_in >= 1000 AS local_version
  FROM kbs.block WHERE NOT shipped ORDER BY id;
-- Bad single additions.
SELECT test.error_of($$SELECT kbs.add_block('specific.income', 'Dubbel', ring => 'generic')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.y', '  ', ring => 'generic')$$);
SELECT test.error_of($$SELECT kbs.add_block('1abc', 'Begint met cijfer', ring => 'generic')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.z', 'Zonder leefgebied', ring => 'specific')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.z', 'Met leefgebied', ring => 'generic', domain => 'income')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.z', 'Fout leefgebied', ring => 'specific', domain => 'wonen')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.z', 'Andere ring', ring => 'generic', parent_code => 'specific.income')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.z', 'Geen ouder', parent_code => 'does.not.exist')$$);
-- Ids are stable: no delete, no renumbering.
SELECT test.error_of($$DELETE FROM kbs.block WHERE code = 'local.digital_skills'$$);
SELECT test.error_of($$DELETE FROM kbs.block WHERE id = 31$$);
SELECT test.error_of($$UPDATE kbs.block SET id = 999 WHERE code = 'local.digital_skills'$$);
SELECT test.error_of($$UPDATE kbs.block SET name = 'Anders' WHERE id = 31$$);
SELECT test.error_of($$UPDATE kbs.block SET parent_id = 1001 WHERE id = 1000$$);
-- A direct insert of a local row cannot take a shipped id.
SELECT test.error_of($$INSERT INTO kbs.block (id, code, ring, name, added_in) VALUES (500, 'x.q', 'generic', 'Q', 1)$$);

-- CSV import: delimiter detection, quoting, aspects of aspects, Dutch domain names.
SELECT id, code FROM kbs.import_blocks(
'code;parent_code;ring;domain;name;description
income.benefits;specific.income;;;Uitkeringen en toeslagen;"Illustratief; toeslagen, bijzondere bijstand"
income.benefits.allowances;income.benefits;;;Toeslagen;
safety.domestic_violence;;specific;Veiligheid;"Huiselijk geweld en ""Veilig Thuis""";Illustratief
');
SELECT b.code, b.ring, b.domain, p.code AS parent, b.name, b.description
  FROM kbs.block b LEFT JOIN kbs.block p ON p.id = b.parent_id
 WHERE b.id >= 1002 ORDER BY b.id;
-- An aspect cannot become an aspect of its own aspect.
SELECT test.error_of($$UPDATE kbs.block SET parent_id = 1003 WHERE id = 1002$$);

-- A bad row rejects the whole file, naming the row; nothing is loaded.
SELECT count(*) AS blocks_before FROM kbs.block \gset
SELECT last_value AS seq_before FROM kbs.block_local_id_seq \gset
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,,generic,,Een,
a.two,unknown.parent,,,Twee,
a.three,,generic,,Drie,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,,generic,,Een,
a.one,,generic,,Nog een keer,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,,generic,,Een,
a.two,,wheel,,Twee,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,,specific,wonen,Een,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,,generic,,Een,
a.two,,generic,,,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,parent_code,ring,domain,name,description
a.one,a.two,,,Een,
a.two,,generic,,Twee,')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,name,colour
a.one,Een,rood')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,ring,name
a.one,generic')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,ring,name
"a.one,generic,Een')$$);
SELECT test.error_of($$SELECT * FROM kbs.import_blocks('code,ring,name
')$$);
-- The detail counts the other bad rows.
DO $$
DECLARE d text;
BEGIN
    PERFORM kbs.import_blocks(E'code,ring,name\na.one,generic,\na.two,nowhere,Twee\na.three,generic,Drie\n');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RAISE NOTICE 'detail: %', d;
END
$$;
SELECT count(*) = :blocks_before AS nothing_loaded FROM kbs.block;
SELECT last_value = :seq_before AS no_ids_used FROM kbs.block_local_id_seq;
SELECT count(*) AS versions FROM kbs.catalogue_version;

-- Retiring keeps the block and its aspects, and marks the version.
SELECT kbs.retire_block('income.benefits', 'uitkeringen opgesplitst') AS retired_version \gset
SELECT code, retired_in = :retired_version AS retired_now FROM kbs.block WHERE code LIKE 'income.benefits%' ORDER BY id;
SELECT description FROM kbs.catalogue_version WHERE version = :retired_version;
SELECT kbs.retire_block('income.benefits') = :retired_version AS idempotent;
SELECT test.error_of($$SELECT kbs.retire_block('specific.income')$$);
SELECT test.error_of($$SELECT kbs.retire_block('nope')$$);
SELECT test.error_of($$SELECT kbs.add_block('x.w', 'Onder vervallen', parent_code => 'income.benefits')$$);
SELECT block_code, depth, is_aspect, retired FROM kbs.wheel WHERE block_id >= 33 AND ring = 'specific' OR NOT shipped ORDER BY wheel_order;

-- After all of that, the next local id is the next one: none is ever reused.
SELECT kbs.add_block('local.after', 'Later toegevoegd', ring => 'target_group') AS next_id;

-- Scale labels can be replaced locally.
INSERT INTO kbs.scale_local (code, label) VALUES ('4', 'vraagbaak');
SELECT code, label FROM kbs.scale_labels ORDER BY position;

-- Every catalogue table, view and column has a comment.
SELECT c.relname, a.attname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'kbs' AND c.relkind IN ('r', 'v') AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1, 2;
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'kbs' AND c.relkind IN ('r', 'v') AND obj_description(c.oid, 'pg_class') IS NULL;
