#!/usr/bin/env bash
# Makes the test store answer like an error page that echoes what it
# received (sql/37_secrets): the next COUNT (default 1; -1: until cleared)
# requests of METHOD under PATH (default /wp-json/wc/v3/products) get STATUS
# and an HTML body quoting
#   url    the request URL with its query string (auth 'query_string'),
#   basic  the Authorization header (auth 'basic'),
#   raw    the consumer secret as it is.
# Usage: echo_faults.sh METHOD STATUS FORM [COUNT [PATH]]   (the default test keys)
set -euo pipefail
method=$1 status=$2 form=$3 count=${4:-1} path=${5:-/wp-json/wc/v3/products}
key=ck_test_readwrite_0000000000000000000000000
secret=cs_test_readwrite_0000000000000000000000000
case "$form" in
url) echoed="The requested URL /wp-json/wc/v3/products?consumer_key=$key&amp;consumer_secret=$secret was not found on this server." ;;
basic) echoed="Request headers: Authorization: Basic $(printf '%s:%s' "$key" "$secret" | base64 -w0)" ;;
raw) echoed="Debug: consumer_secret=$secret" ;;
esac
body="<html><head><title>$status</title></head><body><h1>Error</h1><p>$echoed</p></body></html>"
python3 - "$method" "$status" "$count" "$body" "$path" <<'PY'
import json, os, sys, urllib.request
method, status, count, body, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
fault = {"path_prefix": path, "method": method, "kind": "status", "status": status,
         "count": count, "body": body}
req = urllib.request.Request(os.environ["WOO_STORE_HTTP"] + "/__store/faults", data=json.dumps(fault).encode(),
                             method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(req).read()
PY
