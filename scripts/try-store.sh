#!/usr/bin/env bash
# Try woocommerce_fdw against the bundled test store (test/store), without a
# WooCommerce of your own: starts the store on free ports of 127.0.0.1, over
# HTTPS with a throwaway CA (and plain HTTP for OAuth 1.0a), prints its API
# keys, the CA file, the request-log URL and the SQL that connects a
# database to it, and stays in the foreground until Ctrl-C (which stops the
# store and removes the CA).
#
# Usage: scripts/try-store.sh [--products N] [--latency-ms L] [other woostore.py options]
# Needs python3 and openssl (scripts/install-deps.sh installs them) and, for
# the SQL it prints, the extension installed (make && sudo make install).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in python3 openssl; do
  if ! command -v "$tool" >/dev/null; then
    echo "try-store.sh needs $tool: run scripts/install-deps.sh (Debian 12) or install it" >&2
    exit 1
  fi
done
resolve_python

# The CA and the store's certificate; readable by the database server's own
# user (postgres), which verifies the store's certificate.
DIR=$(mktemp -d /tmp/woocommerce_fdw_try.XXXXXX)
STORE_PID=""
cleanup() {
  [ -n "$STORE_PID" ] && kill "$STORE_PID" 2>/dev/null && wait "$STORE_PID" 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
make_test_certificates "$DIR"

# Port 0: the system picks free ports; the store says which.
"$PYTHON" "$REPO_ROOT/test/store/woostore.py" --port 0 --tls-port 0 \
  --tls-cert "$DIR/store.pem" --tls-key "$DIR/store.key" --quiet "$@" >"$DIR/store.out" 2>&1 &
STORE_PID=$!
HTTP="" HTTPS=""
for _ in $(seq 1 100); do
  HTTP=$(sed -n 's#^woostore listening on \(http://[^ ]*\)$#\1#p' "$DIR/store.out")
  HTTPS=$(sed -n 's#^woostore listening on \(https://[^ ]*\)$#\1#p' "$DIR/store.out")
  [ -n "$HTTP" ] && [ -n "$HTTPS" ] && break
  if ! kill -0 "$STORE_PID" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$HTTP" ] || [ -z "$HTTPS" ]; then
  echo "the test store did not start:" >&2
  cat "$DIR/store.out" >&2
  exit 1
fi

RW_KEY=ck_test_readwrite_0000000000000000000000000
RW_SECRET=cs_test_readwrite_0000000000000000000000000
cat <<EOF
The bundled WooCommerce test store is running (a Python imitation of WooCommerce 10's REST API).

  HTTPS (Basic auth)   $HTTPS
  HTTP (OAuth 1.0a)    $HTTP
  CA file              $DIR/ca.pem   (a throwaway CA; removed when the store stops)
  API keys             $RW_KEY / $RW_SECRET   (read/write)
                       ck_test_read_00000000000000000000000000000 / cs_test_read_00000000000000000000000000000   (read)
                       ck_test_write_0000000000000000000000000000 / cs_test_write_0000000000000000000000000000   (write)
  Request log          curl -s $HTTP/__store/requests | python3 -m json.tool
                       (every request the extension made: method, path, query, body, status; no secrets)
  Reset the catalogue  curl -s -X POST $HTTP/__store/reset
  More controls        python3 test/store/woostore.py --help, test/store/README.md

In psql, after CREATE EXTENSION woocommerce_fdw (as a superuser, or a role
with the grants of examples/grants.sql):

  -- a managed connection (checked against the store first):
  SELECT id, server_name FROM woocommerce.create_connection('Test store', '$HTTPS',
      '$RW_KEY', '$RW_SECRET',
      options => '{"ca_file": "$DIR/ca.pem"}');

  -- or a foreign server and user mapping by hand:
  CREATE SERVER try_store FOREIGN DATA WRAPPER woocommerce_fdw
    OPTIONS (url '$HTTPS', ca_file '$DIR/ca.pem');
  CREATE USER MAPPING FOR CURRENT_USER SERVER try_store
    OPTIONS (consumer_key '$RW_KEY', consumer_secret '$RW_SECRET');
  SELECT woocommerce.test_server('try_store');

  -- the store as foreign tables:
  CREATE SCHEMA store;
  IMPORT FOREIGN SCHEMA woocommerce FROM SERVER try_store INTO store;
  SELECT id, sku, name, regular_price FROM store.products ORDER BY id LIMIT 5;

Press Ctrl-C to stop the store.
EOF
wait "$STORE_PID"
