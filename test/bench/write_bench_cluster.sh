#!/usr/bin/env bash
# The cluster half of write_bench.sh (runs inside pg_virtualenv).
set -euo pipefail
S=$WOO_STORE_HTTP
LATENCY=50
store() { curl -sf -o /dev/null -X POST -d "$2" "$S/__store/$1"; }
# requests METHOD: how many requests with that method the store logged.
requests() { curl -sf "$S/__store/requests?method=$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
clear_log() { curl -sf -o /dev/null -X DELETE "$S/__store/requests"; }
# fresh_store PRODUCTS: reset the store (it forgets its latency), then 50 ms.
fresh_store() { store reset "{\"products\": $1}"; store config "{\"latency_ms\": $LATENCY}"; }
set_concurrency() {
  psql -qX -c "ALTER SERVER bench OPTIONS (SET concurrency '$1')" 2>/dev/null ||
    psql -qX -c "ALTER SERVER bench OPTIONS (ADD concurrency '$1')"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
psql -qX -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE EXTENSION woocommerce_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url '$WOO_STORE_HTTPS', ca_file '$WOO_STORE_CA_FILE');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench
  OPTIONS (consumer_key 'ck_test_readwrite_0000000000000000000000000', consumer_secret 'cs_test_readwrite_0000000000000000000000000');
CREATE SCHEMA shop;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER bench INTO shop;
-- Backend CPU (clock ticks), read from /proc by the backend itself.
CREATE FUNCTION cpu_ticks() RETURNS bigint LANGUAGE sql AS \$\$
  SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint FROM pg_read_file('/proc/self/stat') AS s \$\$;
SQL
TICKS=$(getconf CLK_TCK)
ROWS=10000
insert_sql() {  # insert_sql N [RETURNING ...]
  echo "INSERT INTO shop.products (name, sku, regular_price)
        SELECT 'Bench item ' || g, 'WB-' || lpad(g::text, 6, '0'), (1 + g % 90)::numeric + 0.99
        FROM generate_series(1, $1) g ${2:-}"
}

echo "== 1. INSERT of $ROWS products at $LATENCY ms per request (batch insert, batch_size 100)"
# The store's own floor: the same 100 batch bodies POSTed by curl alone, one
# after another (what this store can do, whatever the client).
mkdir -p "$WORK/batches"
python3 - "$WORK/batches" "$ROWS" <<'PY'
import json, sys
out, rows = sys.argv[1], int(sys.argv[2])
for b in range((rows + 99) // 100):
    items = [{"name": "Bench item %d" % g, "sku": "WB-%06d" % g, "regular_price": "%d.99" % (1 + g % 90)}
             for g in range(b * 100 + 1, min(rows, b * 100 + 100) + 1)]
    with open("%s/%03d.json" % (out, b), "w") as f:
        json.dump({"create": items}, f)
PY
fresh_store 0
start=$(now_ms)
for f in "$WORK"/batches/*.json; do
  curl -sf -o /dev/null --cacert "$WOO_STORE_CA_FILE" -H 'Content-Type: application/json' --data-binary "@$f" \
    -u ck_test_readwrite_0000000000000000000000000:cs_test_readwrite_0000000000000000000000000 \
    "$WOO_STORE_HTTPS/wp-json/wc/v3/products/batch"
done
floor=$(( $(now_ms) - start ))
printf '%-12s %8s %10s %9s %12s %8s %12s %8s %14s %8s %15s\n' concurrency rows wall_ms requests seq_limit_ms ratio \
  par_limit_ms ratio curl_floor_ms vs_floor backend_cpu_ms
for c in 1 4 8; do
  fresh_store 0
  set_concurrency "$c"
  clear_log
  start=$(now_ms)
  ticks=$(psql -qXAt -v ON_ERROR_STOP=1 <<SQL
SELECT cpu_ticks() AS t0 \\gset
$(insert_sql $ROWS);
SELECT cpu_ticks() - :t0;
SQL
)
  wall=$(( $(now_ms) - start ))
  reqs=$(requests POST)
  seq_limit=$(( (ROWS + 99) / 100 * LATENCY ))
  par_limit=$(( ((ROWS + 99) / 100 + c - 1) / c * LATENCY ))
  printf '%-12s %8d %10d %9d %12d %8s %12d %8s %14d %8s %15d\n' "$c" "$ROWS" "$wall" "$reqs" "$seq_limit" \
    "$(calc "$wall / $seq_limit")" "$par_limit" "$(calc "$wall / $par_limit")" "$floor" "$(calc "$wall / $floor")" \
    "$(( ticks * 1000 / TICKS ))"
done
created=$(psql -qXAt -c "SELECT count(*) FROM shop.products WHERE sku LIKE 'WB-%'")
echo "products with a WB- sku in the store after the last run: $created"

echo "== 2. INSERT ... RETURNING (one POST per row), 200 rows at $LATENCY ms per request"
RROWS=200
fresh_store 0
set_concurrency 4
clear_log
start=$(now_ms)
psql -qX -v ON_ERROR_STOP=1 -c "$(insert_sql $RROWS "RETURNING id")" >/dev/null
wall=$(( $(now_ms) - start ))
reqs=$(requests POST)
limit=$(( RROWS * LATENCY ))
per_row=$(calc "$wall / $RROWS")
printf '%-12s %8s %10s %9s %12s %8s %14s %16s\n' concurrency rows wall_ms requests limit_ms ratio ms_per_row "10000_rows_ms"
printf '%-12s %8d %10d %9d %12d %8s %14s %16s\n' 4 "$RROWS" "$wall" "$reqs" "$limit" "$(calc "$wall / $limit")" \
  "$per_row" "$(calc "$wall / $RROWS * 10000")"
echo "   extrapolated 10,000 rows: $(calc "$wall / $RROWS * 10000 / 1000") s with RETURNING vs the batch limit $(( (ROWS + 99) / 100 * LATENCY / 1000 )) s"

echo "== 3. UPDATE ... SET regular_price = regular_price * 1.1 WHERE category = X at $LATENCY ms per request"
fresh_store 700
set_concurrency 4
# The category holding about 100 of the 700 bulk products.
store config '{"latency_ms": 0}'
read -r X n < <(psql -qXAt -F ' ' -c "SELECT category, count(*) FROM (SELECT category FROM shop.products) s
                                   GROUP BY category ORDER BY abs(count(*) - 100), category LIMIT 1")
store config "{\"latency_ms\": $LATENCY}"
clear_log
start=$(now_ms)
tag=$(psql -X -v ON_ERROR_STOP=1 -c "UPDATE shop.products SET regular_price = regular_price * 1.1 WHERE category = $X")
updated=${tag##* }
wall=$(( $(now_ms) - start ))
puts=$(requests PUT)
gets=$(requests GET)
limit=$(( (puts + gets) * LATENCY ))
printf '%-10s %8s %10s %6s %6s %10s %8s %12s\n' category rows wall_ms PUTs GETs limit_ms ratio ms_per_row
printf '%-10s %8d %10d %6d %6d %10d %8s %12s\n' "$X" "$updated" "$wall" "$puts" "$gets" "$limit" \
  "$(calc "$wall / $limit")" "$(calc "$wall / ($updated + 0.0001)")"
