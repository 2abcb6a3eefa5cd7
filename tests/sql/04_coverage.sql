-- kbs.coverage: canonical text, errors, accessors, addition and the merge aggregate.
SET search_path = public, kbs;

SELECT '(15){31:0,0,0,3,1,2; 11:0,1,4,6,2,0}'::coverage, '(0){}'::coverage, '(7){}'::coverage,
       '(3){11:0,0,0,0,0,0;12:1,0,0,0,0,0}'::coverage AS zero_entries_dropped;
SELECT '(2147483647){1:2147483647,0,0,0,0,0}'::coverage AS largest;

SELECT v, test.error_of(format('SELECT %L::kbs.coverage', v))
  FROM unnest(ARRAY[
    '', '{}', '(1)', '(1){', '(-1){}', '(2147483648){}', '(1){11:1,0,0,0,0}', '(1){11:1,0,0,0,0,0,0}',
    '(1){11:2,0,0,0,0,0}', '(3){11:1,1,1,1,0,0}', '(5){11:1,0,0,0,0,0;11:1,0,0,0,0,0}', '(5){0:1,0,0,0,0,0}',
    '(5){11:1,0,0,0,0,0,}', '(5){11:1,0,0,0,0,0}x', '(5){11:a,0,0,0,0,0}', '(5) {11:1,0,0,0,0,0} ', '(5){11;1,0,0,0,0,0}'
  ]) AS v;

-- Accessors: members, count at or above a level (na never counts), histogram, entries.
SELECT members(c), count_at_least(c, 11, 0) AS at_least_0, count_at_least(c, 11, 3) AS at_least_3,
       count_at_least(c, 31, 4) AS b31_at_least_4, count_at_least(c, 99, 1) AS unknown_block,
       histogram(c, 11) AS h11, histogram(c, 99) AS h99
  FROM (SELECT '(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}'::coverage AS c) s;
SELECT * FROM entries('(15){11:0,1,4,6,2,0;31:0,0,0,3,1,2}'::coverage);
SELECT test.error_of($$SELECT kbs.count_at_least('(1){}', 11, 5)$$);

-- Addition is exact, commutative and associative; overflow is an error, not a wrap.
SELECT '(2){11:1,1,0,0,0,0}'::coverage + '(3){11:0,0,0,2,0,1;12:0,0,0,0,3,0}'::coverage AS sum;
SELECT a + b = b + a AS commutative, (a + b) + c = a + (b + c) AS associative
  FROM (SELECT '(2){11:1,1,0,0,0,0}'::coverage a, '(3){11:0,0,0,2,0,1}'::coverage b, '(4){40:0,0,0,0,4,0}'::coverage c) s;
SELECT test.error_of($$SELECT '(2147483647){}'::kbs.coverage OPERATOR(kbs.+) '(1){}'::kbs.coverage$$);
SELECT '(300){11:300,0,0,0,0,0}'::coverage + '(70000){11:0,70000,0,0,0,0}'::coverage AS widths_grow;

-- The merge aggregate: roll up, NULLs skipped, zero rows give the empty coverage.
SELECT coverage_merge_agg(c) FROM (VALUES ('(2){11:1,1,0,0,0,0}'::coverage), (NULL), ('(3){11:0,0,0,2,0,1}')) v(c);
SELECT coverage_merge_agg(c), members(coverage_merge_agg(c)) FROM (VALUES ('(1){}'::coverage)) v(c) WHERE false;
SELECT k, coverage_merge_agg(c) FROM (VALUES (1, '(2){11:1,1,0,0,0,0}'::coverage), (1, '(3){11:0,0,0,2,0,1}'),
                                            (2, '(1){12:0,0,0,0,1,0}')) v(k, c)
 GROUP BY k ORDER BY k;
SELECT '(15){11:0,1,4,6,2,0;33:0,0,0,3,1,2}'::coverage::jsonb;

-- Storage: a 15-member team over 150 blocks is small.
CREATE TABLE coverage_sizes AS
SELECT ('(15){' || string_agg(format('%s:%s,%s,%s,%s,%s,%s', b, b % 3, 2, 3, 4, 5 - b % 3, 1), ';' ORDER BY b) || '}')::coverage AS c
  FROM generate_series(1, 150) b;
SELECT pg_column_size(c) AS bytes, pg_column_size(c) <= 1200 AS team_size_ok, members(c) FROM coverage_sizes;
DROP TABLE coverage_sizes;

-- Generated values round trip through text.
CREATE TABLE cgen AS
SELECT g, ('(' || (g * 37 % 1000 + 20) || '){' ||
           (SELECT string_agg(format('%s:%s,%s,%s,%s,%s,%s', b, (g + b) % 4, g % 3, b % 5, 1, 0, (g * b) % 2), ';' ORDER BY b)
              FROM generate_series(1 + g % 50, 1 + g % 50 + g % 20) b) || '}')::coverage AS c
  FROM generate_series(1, 3000) g;
SELECT count(*) AS text_roundtrip_mismatches FROM cgen WHERE c::text::coverage <> c;
SELECT count(*) AS sum_mismatches FROM cgen WHERE members(c + c) <> 2 * members(c)
    OR count_at_least(c + c, 1 + g % 50, 1) <> 2 * count_at_least(c, 1 + g % 50, 1);
SELECT (SELECT count(*) FROM (SELECT DISTINCT c FROM cgen) s) = count(*) AS all_distinct FROM cgen;
DROP TABLE cgen;
