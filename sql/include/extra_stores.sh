#!/usr/bin/env bash
# More test stores beside the main one (scripts/lib.sh start_store), for the
# suites that need several stores at once (sql/38_concurrency). Each has the
# same seeded catalogue (the same SKUs), its own HTTPS port (a free one the
# system picks: woostore.py --port 0) and the main store's certificate.
#
#   extra_stores.sh start N PRODUCTS   start stores 1..N and wait until they answer
#   extra_stores.sh url I              the HTTPS URL of store I
#   extra_stores.sh urls N             the URLs of stores 1..N, comma-separated
#   extra_stores.sh products N         every product of stores 1..N as TSV: store, then
#                                      sync_store.py products' columns
#   extra_stores.sh put I PATH JSON    PUT /wp-json/wc/v3/PATH on store I (sync_store.py put)
#   extra_stores.sh stop               stop the stores this script started
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
main_port=${WOO_STORE_HTTPS##*:}
cert_dir=$(dirname "$WOO_STORE_CA_FILE")
state_dir=${TMPDIR:-/tmp}/woocommerce_fdw_extra_stores.$main_port
pid_file=$state_dir/pids

port() { cat "$state_dir/port$1" 2>/dev/null; }
url() { echo "https://127.0.0.1:$(port "$1")"; }

case "$1" in
start)
  mkdir -p "$state_dir"
  for i in $(seq 1 "$2"); do
    python3 "$REPO_ROOT/test/store/woostore.py" --port 0 --tls-cert "$cert_dir/store.pem" \
      --tls-key "$cert_dir/store.key" --products "$3" --quiet >"$state_dir/store$i.out" 2>&1 &
    echo $! >> "$pid_file"
  done
  for i in $(seq 1 "$2"); do
    for _ in $(seq 1 100); do
      p=$(sed -n 's|^woostore listening on https://[^:]*:\([0-9][0-9]*\)$|\1|p' "$state_dir/store$i.out" | head -n 1)
      if [ -n "$p" ]; then
        echo "$p" > "$state_dir/port$i"
        curl -sf --cacert "$WOO_STORE_CA_FILE" "$(url "$i")/__store/health" >/dev/null 2>&1 && break
      fi
      sleep 0.1
    done
  done
  ;;
url) url "$2" ;;
urls) for i in $(seq 1 "$2"); do printf '%s%s' "$([ "$i" -gt 1 ] && echo ,)" "$(url "$i")"; done ;;
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
  rm -rf "$state_dir"
  ;;
esac
