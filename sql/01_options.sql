-- Option validation: an allow-list per catalog, checked values, hints that
-- list what is valid. Secret values are never echoed.
\set VERBOSITY default
\set SHOW_CONTEXT never

-- A server needs a url.
CREATE SERVER s_no_url FOREIGN DATA WRAPPER woocommerce_fdw;
CREATE SERVER s_bad_url FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'ftp://shop.example.com');
CREATE SERVER s_cred_url FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://user:pw@shop.example.com');
-- Unknown option: the hint lists the server's options.
CREATE SERVER s_typo FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', timeout '5');
-- Secrets belong in user mappings; the value must not appear in the error.
CREATE SERVER s_secret FOREIGN DATA WRAPPER woocommerce_fdw
  OPTIONS (url 'https://shop.example.com', consumer_secret 'cs_must_not_leak');
-- Checked values.
CREATE SERVER s_auth FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', auth 'digest');
CREATE SERVER s_conc FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', concurrency '0');
CREATE SERVER s_timeout FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', timeout_ms 'soon');
CREATE SERVER s_tls FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', verify_tls 'maybe');
CREATE SERVER s_batch FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com', batch_size '101');

-- A good server, with every server option.
CREATE SERVER shop FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (
  url 'https://Shop.Example.com/', api_prefix 'wp-json', api_version 'wc/v3', auth 'basic',
  oauth_signature_method 'HMAC-SHA1', timeout_ms '30000', connect_timeout_ms '5000', max_retries '2',
  concurrency '4', verify_tls 'true', ca_file '/etc/ssl/certs/ca-certificates.crt',
  max_response_bytes '1048576', use_remote_estimate 'false', batch_size '50');
-- ALTER re-validates the whole list.
ALTER SERVER shop OPTIONS (DROP url);
ALTER SERVER shop OPTIONS (SET auth 'oauth2');
ALTER SERVER shop OPTIONS (SET auth 'query_string');

-- User mappings take the credentials, and only them.
CREATE USER MAPPING FOR CURRENT_USER SERVER shop OPTIONS (consumer_key 'ck_x', url 'https://x');
CREATE USER MAPPING FOR CURRENT_USER SERVER shop OPTIONS (consumer_key 'ck_x', consumer_secret '');
CREATE USER MAPPING FOR CURRENT_USER SERVER shop
  OPTIONS (consumer_key 'ck_x', consumer_secret 'cs_x', webhook_secret 'wh_x');

-- Foreign tables name a resource; columns may name a field.
CREATE FOREIGN TABLE bad_resource (id bigint) SERVER shop OPTIONS (resource 'coupon');
CREATE FOREIGN TABLE bad_table_option (id bigint) SERVER shop OPTIONS (resource 'products', url 'https://x');
CREATE FOREIGN TABLE bad_column_option (id bigint OPTIONS (resource 'x')) SERVER shop OPTIONS (resource 'products');
CREATE FOREIGN TABLE products (
  id bigint,
  sku text,
  weight text OPTIONS (field 'dimensions.weight')
) SERVER shop OPTIONS (resource 'products', rowid_column 'id', batch_size '100', trash 'false');

-- The wrapper itself takes no options.
ALTER FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://x');

-- The table's options drive the scan: EXPLAIN shows the request (and makes none).
EXPLAIN (COSTS OFF) SELECT * FROM products;

DROP FOREIGN TABLE products;
DROP USER MAPPING FOR CURRENT_USER SERVER shop;
DROP SERVER shop;
