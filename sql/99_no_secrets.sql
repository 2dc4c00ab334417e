-- Runs last: no secret anywhere any suite could have shown one (every
-- error the try helpers caught, sync_run.errors and product_sync.last_error
-- as written, the server log, other sessions, the extension's tables),
-- for the secrets the suites use (the webhook suites' wh-secret-60 too).
-- 31_read_errors does the same half-way; this covers the files after it.
\i sql/include/test_store.psql
\i sql/include/secret_scan.psql
\set secrets '{' :rw_secret ',' :ro_secret ',' :wo_secret ',cs_wrong,cs_must_not_leak,wh_x,wh-secret-60}'
SELECT place, secret, count(*) FROM pg_temp.secret_sightings(:'secrets') GROUP BY 1, 2 ORDER BY 1, 2;
-- (the search had something to search: the errors of 32_write_path were
-- kept, and the server log was read)
SELECT count(*) FILTER (WHERE file = 'pg_regress/32_write_path') > 5 AS errors_of_the_write_path
  FROM public.regress_errors;
SELECT pg_temp.server_log() LIKE '%could not verify the connection to%' AS server_log_read;
