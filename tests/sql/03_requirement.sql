-- kbs.requirement: canonical text, errors, constructors and accessors.
SET search_path = public, kbs;

SELECT '{32:3/1@3, 11:1/all, 31:3/2@2}'::requirement, '{}'::requirement, '{1:4/2147483647@1,32767:1/1}'::requirement;
SELECT '{11:1/all}'::requirement = '{ 11 : 1 / all @ 2 }'::requirement AS default_importance_is_2;

SELECT v, test.error_of(format('SELECT %L::kbs.requirement', v))
  FROM unnest(ARRAY[
    '', '{11:1}', '{11:1/}', '{11/all}', '{11:0/all}', '{11:5/1}', '{11:1/0}', '{11:1/2147483648}',
    '{11:1/al}', '{11:1/ALL}', '{11:1/all@0}', '{11:1/all@4}', '{11:1/all@}', '{11:1/all,11:2/1}',
    '{0:1/1}', '{32768:1/1}', '{11:1/1;12:1/1}', '{11:1/1} junk', '{11:1/1', '{x:1/1}', '{11:1/-1}'
  ]) AS v;

-- requirement_agg: NULL min_members means every member; importance defaults to 2.
SELECT requirement_agg(b, l, m) FROM (VALUES (31, 3, 1), (11, 1, NULL), (NULL, 2, 2)) v(b, l, m);
SELECT requirement_agg(b, l, m, w) FROM (VALUES (31, 3, 2, 3), (11, 1, NULL, NULL), (32, 3, 1, 1)) v(b, l, m, w);
SELECT requirement_agg(b, l, m) IS NULL AS zero_rows_is_null FROM (VALUES (1, 1, 1)) v(b, l, m) WHERE false;
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (31, 3, 1), (31, 2, 2)) v(b, l, m)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (31, 5, 1)) v(b, l, m)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (31, 0, 1)) v(b, l, m)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (31, NULL::int, 1)) v(b, l, m)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (31, 3, 0)) v(b, l, m)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m, w) FROM (VALUES (31, 3, 1, 4)) v(b, l, m, w)$$);
SELECT test.error_of($$SELECT kbs.requirement_agg(b, l, m) FROM (VALUES (0, 3, 1)) v(b, l, m)$$);

SELECT * FROM entries('{32:3/1@3,11:1/all,31:3/2}'::requirement);

-- jsonb with block codes.
SELECT requirement_from_jsonb('{"specific.income": {"level": 3, "members": 2, "importance": 3},
                                "general.income": {"level": 1, "members": "all"},
                                "specific.safety": {"level": 3, "members": "all"}}');
-- "members" has no default: leaving it out is an error, not "every member".
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.safety": {"level": 3}}')$$);
-- A block named twice, by its code and by its id, is refused by name.
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.income": {"level": 3, "members": 1}, "33": {"level": 2, "members": 2}}')$$);
SELECT '{31:3/2@3,23:1/all}'::requirement::jsonb;
SELECT '{31:3/2@3,23:1/all,1001:2/1}'::requirement::jsonb::requirement;
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.nope": {"level": 3, "members": 1}}')$$);
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.income": 3}')$$);
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.income": {"level": 3, "members": 1, "colour": 1}}')$$);
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.income": {"level": 5, "members": 1}}')$$);
SELECT test.error_of($$SELECT kbs.requirement_from_jsonb('{"specific.income": {"level": 3, "members": "some"}}')$$);

-- Generated values: text and jsonb round trips, grouping.
CREATE TABLE rgen AS
SELECT g, (SELECT requirement_agg(b, 1 + (g + b) % 4, CASE WHEN (g + b) % 3 = 0 THEN NULL ELSE 1 + (g * b) % 5 END, 1 + b % 3)
             FROM generate_series(1 + g % 30, 1 + g % 30 + g % 17) b) AS r
  FROM generate_series(1, 3000) g;
SELECT count(*) AS text_roundtrip_mismatches FROM rgen WHERE r::text::requirement <> r;
SELECT count(*) AS jsonb_roundtrip_mismatches FROM rgen WHERE r::jsonb::requirement <> r;
SELECT (SELECT count(*) FROM (SELECT DISTINCT r FROM rgen) s) AS distinct_values, (SELECT count(*) FROM (SELECT r FROM rgen GROUP BY r) s) AS groups;
DROP TABLE rgen;
