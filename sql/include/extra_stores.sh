#!/usr/bin/env bash
# More test stores beside the main one (scripts/lib.sh start_store), for the
# suites that need several stores at once (sql/38_concurrency). Each has the
# same seeded catalogue (the same SKUs), its own HTTPS port (the main store's
# HTTPS port + 100 + i) and the main store's certificate.
#
#   extra_stores.sh start N PRODUCTS   start stores 1..N and wait until they answer
#   extra_stores.sh url I              the HTTPS URL of store I
#   extra_stores.sh products N         every product of stores 1..N as TSV: store, then
#                                      sync_store.py products' columns
#   extra_stores.sh put I PATH JSON    PUT /wp-json/wc/v3/PATH on store I (sync_store.py put)
#   extra_stores.sh stop               stop the stores this script started
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
main_port=${WOO_STORE_HTTPS##*:}
cert_dir=$(dirname "$WOO_STORE_CA_FILE")
pid_file=${TMPDIR:-/tmp}/woocommerce_fdw_extra_stores.$main_port

port() { echo $((main_port + 100 + $1)); }
url() { echo "https://127.0.0.1:$(port "$1")"; }

case "$1" in
start)
  for i in $(seq 1 "$2"); do
    python3 "$REPO_ROOT/test/store/woostore.py" --port "$(port "$i")" --tls-cert "$cert_dir/store.pem" \
      --tls-key "$cert_dir/store.key" --products "$3" --quiet >/dev/null 2>&1 &
    echo $! >> "$pid_file"
  done
  for i in $(seq 1 "$2"); do
    for _ in $(seq 1 100); do
      curl -sf --cacert "$WOO_STORE_CA_FILE" "$(url "$i")/__store/health" >/dev/null 2>&1 && break
      sleep 0.1
    done
  done
  ;;
url) url "$2" ;;
products)
  for i in $(seq 1 "$2"); do
    WOO_STORE_HTTP=$(url "$i") WOO_STORE_HTTPS=$(url "$i") python3 "$HERE/sync_store.py" products | sed "s/^/$i\t/"
  done
  ;;
put)
  WOO_STORE_HTTP=$(url "$2") WOO_STORE_HTTPS=$(url "$2") python3 "$HERE/sync_store.py" put "$3" "$4"
  ;;
stop)
  [ -f "$pid_file" ] && while read -r pid; do kill "$pid" 2>/dev/null; done < "$pid_file"
  rm -f "$pid_file"
  ;;
esac
