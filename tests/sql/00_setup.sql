-- Installs the extension and the error helper (tests/sql/include/error_of.sql).
CREATE EXTENSION kennisbouwstenen;
CREATE SCHEMA test;
\i tests/sql/include/error_of.sql
SELECT extname, extversion, n.nspname AS schema, extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'kennisbouwstenen';
