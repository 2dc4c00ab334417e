-- The extension installs into schema woocommerce with its wrapper.
CREATE EXTENSION woocommerce_fdw;

SELECT extname, extversion, nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'woocommerce_fdw';

SELECT fdwname, fdwhandler::regproc AS handler, fdwvalidator::regproc AS validator
  FROM pg_foreign_data_wrapper WHERE fdwname = 'woocommerce_fdw';

SELECT p.oid::regprocedure AS function, pg_get_function_result(p.oid) AS returns
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'woocommerce'
 ORDER BY p.oid::regprocedure::text;

-- Functions that carry credentials are not executable by PUBLIC.
SELECT has_function_privilege('public', 'woocommerce.test_connection(text,text,text,jsonb)', 'EXECUTE') AS public_can_test;

-- Dropping and re-creating works (no leftovers).
DROP EXTENSION woocommerce_fdw;
SELECT count(*) AS wrappers_left FROM pg_foreign_data_wrapper WHERE fdwname = 'woocommerce_fdw';
CREATE EXTENSION woocommerce_fdw;
