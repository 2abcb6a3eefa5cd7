-- kbs.profile: canonical text, errors, storage, grouping, constructors and accessors.
SET search_path = public, kbs;

-- Canonical text: sorted, no spaces, na, {} when empty; spaces accepted on input.
SELECT '{12:2, 11:3,201:na}'::profile, ' { 5 : 0 , 1 : 4 } '::profile, '{}'::profile, ' {  } '::profile;
SELECT '{1:0,32767:4}'::profile AS boundary_ids;
SELECT '{11:3,12:2}'::profile = '{12:2, 11:3}'::profile AS same_value_equal,
       '{11:3}'::profile = '{11:na}'::profile AS level_vs_na,
       '{11:0}'::profile = '{}'::profile AS zero_vs_not_assessed;

-- Every syntax class is 22P02 and names the position or token.
SELECT v, test.error_of(format('SELECT %L::kbs.profile', v))
  FROM unnest(ARRAY[
    '', '11:3', '{11:3', '11:3}', '{11:3}}', '{11:3} x', '{11 3}', '{11:3;12:2}', '{11:3,,12:2}',
    '{11:3,}', '{,11:3}', '{a:3}', '{11:x}', '{11:3.5}', '{-1:3}', '{0:3}', '{32768:3}',
    '{99999999999999999999:1}', '{11:5}', '{11:9}', '{11:NA}', '{11:n}', '{11:3,11:2}', '{11:3,11:na}',
    '{11:}', '{:3}', '{11::3}', '[11:3]'
  ]) AS v;
SELECT test.error_of(format('SELECT %L::kbs.profile', '{' || repeat('1:1,', 1200000) || '1:1}'));
SELECT test.error_of(format('SELECT %L::kbs.profile', '{' || repeat('1', 2000000) || ':1}'));

-- Storage: dense for runs of blocks, sparse for scattered ids (pg_column_size on disk).
CREATE TABLE profile_sizes (label text, p profile);
INSERT INTO profile_sizes
SELECT '150 consecutive blocks', profile_agg(i, i % 5) FROM generate_series(1, 150) i
UNION ALL SELECT '150 blocks, some na', profile_agg(i, CASE WHEN i % 7 = 0 THEN 'na' ELSE (i % 5)::text END) FROM generate_series(100, 249) i
UNION ALL SELECT '3 blocks above 1000', '{1001:3,2500:na,32767:1}'
UNION ALL SELECT 'empty', '{}'
UNION ALL SELECT '30 shipped blocks', profile_agg(id, 3) FROM kbs.block WHERE shipped;
SELECT label, pg_column_size(p) AS bytes, entry_count(p) AS entries FROM profile_sizes ORDER BY bytes;
SELECT bool_and(pg_column_size(p) <= 96) AS dense_ok FROM profile_sizes WHERE label LIKE '150%';
SELECT pg_column_size(p) <= 24 AS sparse_ok FROM profile_sizes WHERE label = '3 blocks above 1000';

-- profile_agg: NULLs are not assessed, bad levels and duplicate blocks are errors.
SELECT profile_agg(b, l) FROM (VALUES (11, 3), (12, NULL), (NULL, 2), (31, 0)) v(b, l);
SELECT profile_agg(b, l) FROM (VALUES (11, '3'), (12, 'na'), (13, NULL)) v(b, l);
SELECT profile_agg(b, l) IS NULL AS zero_rows_is_null FROM (VALUES (1, 1)) v(b, l) WHERE false;
SELECT profile_agg(b, l) FROM (VALUES (11, NULL::integer)) v(b, l);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (11, 5)) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (11, -1)) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (0, 1)) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (40000, 1)) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (11, 3), (12, 1), (11, 2)) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (11, 'x')) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, l) FROM (VALUES (11, '7')) v(b, l)$$);
SELECT test.error_of($$SELECT kbs.profile_agg(b, 1) FROM generate_series(1, 30000) b, generate_series(1, 2) x$$);
-- One profile per person with GROUP BY.
SELECT person, profile_agg(block, level) FROM (VALUES
    ('a', 11, 3), ('a', 31, 2), ('b', 11, 1), ('b', 33, 4), ('c', 11, NULL)) v(person, block, level)
 GROUP BY person ORDER BY person;

-- Accessors.
SELECT level('{11:3,12:na}', 11) AS assessed, level('{11:3,12:na}', 12) AS na, level('{11:3,12:na}', 13) AS absent,
       level('{11:3}', 0) AS id_zero, level('{11:3}', 99999) AS id_huge;
SELECT * FROM entries('{31:2,11:3,12:na}'::profile);
SELECT count(*) FROM entries('{}'::profile);

-- Merge by per-block maximum: a level beats na, na beats not assessed.
SELECT merge_max('{11:1,12:na,13:4}', '{11:3,12:0,14:na}');
SELECT merge_max_agg(p) FROM (VALUES ('{11:1}'::profile), ('{11:2,12:na}'), (NULL), ('{12:1,13:0}')) v(p);
-- Raise one block for a training forecast: never lowers, na and absent become the level.
SELECT raise('{11:1,12:na,13:4}', 11, 3), raise('{11:1,12:na,13:4}', 12, 2), raise('{11:1,12:na,13:4}', 13, 2),
       raise('{11:1}', 32767, 0), raise('{}', 1, 4);
SELECT test.error_of($$SELECT kbs.raise('{11:1}', 11, 5)$$);
SELECT test.error_of($$SELECT kbs.raise('{11:1}', 0, 1)$$);

-- jsonb: keyed by block code or id; to jsonb with codes.
SELECT profile_from_jsonb('{"generic.signalling": 3, "specific.income": "na", "41": "2", "1001": 0, "centre": null}');
SELECT '{"generic.relationships": 4}'::jsonb::profile;
SELECT '{11:3,33:na,1001:2}'::profile::jsonb;
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"specific.wonen": 3}')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"centre": 5}')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"centre": 2.5}')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"centre": true}')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('[1, 2]')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"40000": 1}')$$);
SELECT test.error_of($$SELECT kbs.profile_from_jsonb('{"centre": 1, "1": 2}')$$);

-- Thousands of generated values: text round trip, GROUP BY and DISTINCT (hash and sort).
CREATE TABLE gen AS
SELECT g AS person,
       (SELECT profile_agg(b, CASE WHEN (g * 7 + b) % 11 = 0 THEN 'na' ELSE ((g + b) % 5)::text END)
          FROM generate_series(1 + g % 40, 1 + g % 40 + g % 23) b
         WHERE (g * b) % 3 <> 0 OR g % 5 = 0) AS p
  FROM generate_series(1, 5000) g;
SELECT count(*) AS values, count(DISTINCT p) AS distinct_values FROM gen;
SELECT count(*) AS text_roundtrip_mismatches FROM gen WHERE p::text::profile <> p OR p::text <> p::text::profile::text;
SELECT count(*) AS jsonb_roundtrip_mismatches FROM gen WHERE p::jsonb::profile <> p;
SET enable_hashagg = off;
SELECT count(*) AS groups_sorted FROM (SELECT p FROM gen GROUP BY p) s;
SELECT count(*) AS distinct_sorted FROM (SELECT DISTINCT p FROM gen) s;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups_hashed FROM (SELECT p FROM gen GROUP BY p) s;
RESET enable_sort;
-- Sorting is a total order consistent with equality.
SELECT count(*) AS order_violations FROM (SELECT p, lead(p) OVER (ORDER BY p) AS q FROM gen) s
 WHERE q IS NOT NULL AND NOT (p <= q AND (p = q) = (profile_cmp(p, q) = 0));
\copy gen TO '/tmp/kbs_regress_profiles.txt'
CREATE TABLE gen_back (LIKE gen);
\copy gen_back FROM '/tmp/kbs_regress_profiles.txt'
\copy gen TO '/tmp/kbs_regress_profiles.bin' (FORMAT binary)
CREATE TABLE gen_bin (LIKE gen);
\copy gen_bin FROM '/tmp/kbs_regress_profiles.bin' (FORMAT binary)
\! rm -f /tmp/kbs_regress_profiles.txt /tmp/kbs_regress_profiles.bin
SELECT (SELECT count(*) FROM (SELECT * FROM gen EXCEPT SELECT * FROM gen_back) d) AS text_copy_diff,
       (SELECT count(*) FROM (SELECT * FROM gen_back EXCEPT SELECT * FROM gen) d) AS text_copy_diff_rev,
       (SELECT count(*) FROM (SELECT * FROM gen EXCEPT SELECT * FROM gen_bin) d) AS binary_copy_diff,
       (SELECT count(*) FROM (SELECT * FROM gen_bin EXCEPT SELECT * FROM gen) d) AS binary_copy_diff_rev;
-- Same value, same bytes.
SELECT count(*) AS byte_mismatches FROM gen g JOIN gen_bin b USING (person)
 WHERE g.p::text = b.p::text AND kbs.profile_send(g.p) <> kbs.profile_send(b.p);
DROP TABLE gen, gen_back, gen_bin, profile_sizes;
