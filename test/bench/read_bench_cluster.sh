#!/usr/bin/env bash
# The cluster half of read_bench.sh (runs inside pg_virtualenv).
set -euo pipefail
S=$WOO_STORE_HTTP
store() { curl -sf -o /dev/null -X POST -d "$2" "$S/__store/$1"; }
requests() { curl -sf "$S/__store/requests?method=GET" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
psql -qX -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE EXTENSION woocommerce_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url '$WOO_STORE_HTTPS', ca_file '$WOO_STORE_CA_FILE');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench
  OPTIONS (consumer_key 'ck_test_read_00000000000000000000000000000', consumer_secret 'cs_test_read_00000000000000000000000000000');
CREATE SCHEMA shop;
IMPORT FOREIGN SCHEMA woocommerce LIMIT TO (products) FROM SERVER bench INTO shop;
-- Backend CPU (clock ticks) and memory, read from /proc by the backend itself.
CREATE FUNCTION cpu_ticks() RETURNS bigint LANGUAGE sql AS \$\$
  SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint FROM pg_read_file('/proc/self/stat') AS s \$\$;
CREATE FUNCTION vm_kb(field text) RETURNS bigint LANGUAGE sql AS \$\$
  SELECT (regexp_match(pg_read_file('/proc/self/status'), field || ':\s+(\d+) kB'))[1]::bigint \$\$;
SQL
TICKS=$(getconf CLK_TCK)
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
SCAN="SELECT count(*), sum(regular_price) FROM (SELECT id, sku, name, regular_price FROM shop.products OFFSET 0) s"

echo "== 1. full scan of 10,000 products at 50 ms per request"
store reset '{"products": 10000}'
store config '{"latency_ms": 50}'
# The store's own floor: the same 100 pages fetched by curl alone, c at a
# time (what this store can do, whatever the client).
floor_ms() {
  local args=()
  for p in $(seq 1 100); do
    args+=(-o /dev/null "$WOO_STORE_HTTPS/wp-json/wc/v3/products?context=edit&_fields=id,sku,name,regular_price,type&per_page=100&orderby=id&order=asc&page=$p")
  done
  local t0=$(date +%s%N)
  curl -sf --parallel --parallel-max "$1" --cacert "$WOO_STORE_CA_FILE" \
    -u ck_test_read_00000000000000000000000000000:cs_test_read_00000000000000000000000000000 "${args[@]}"
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
printf '%-12s %10s %10s %10s %8s %-8s %14s %s\n' concurrency wall_ms limit_ms ratio requests target curl_floor_ms vs_floor
for c in 1 4 8; do
  psql -qX -c "ALTER SERVER bench OPTIONS ($( [ $c = 1 ] && echo ADD || echo SET ) concurrency '$c')" 2>/dev/null ||
    psql -qX -c "ALTER SERVER bench OPTIONS (ADD concurrency '$c')"
  curl -sf -o /dev/null -X DELETE "$S/__store/requests"
  start=$(date +%s%N)
  psql -qXAt -c "$SCAN" >/dev/null
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  limit=$(( (100 + c - 1) / c * 50 ))
  target=$([ $c = 1 ] && echo "-" || echo "<= 1.25")
  reqs=$(requests)
  floor=$(floor_ms "$c")
  printf '%-12s %10d %10d %10s %8d %-8s %14d %s\n' "$c" "$wall" "$limit" "$(calc "$wall / $limit")" "$reqs" "$target" \
    "$floor" "$(calc "$wall / $floor")"
done
store config '{"latency_ms": 0}'
psql -qX -c "ALTER SERVER bench OPTIONS (SET concurrency '4')"

echo "== 2. rows converted per second of backend CPU (0 ms latency, attrs not selected)"
store reset '{"products": 100000}'
# The same pages, as the scan asks for them, for PostgreSQL's own jsonb path.
mkdir -p "$WORK/pages"
for p in $(seq 1 1000); do
  echo "$WOO_STORE_HTTPS/wp-json/wc/v3/products?context=edit&_fields=id,sku,name,regular_price,type&per_page=100&orderby=id&order=asc&page=$p"
done | xargs -P 8 -n 50 sh -c 'for u; do p=${u##*page=}; curl -sf --cacert "$WOO_STORE_CA_FILE" -u ck_test_read_00000000000000000000000000000:cs_test_read_00000000000000000000000000000 -o "$WORK/pages/$p.json" "$u"; done' sh
# ... and the first 100 pages whole (no _fields): what a client that cannot
# trim must parse.
mkdir -p "$WORK/full"
for p in $(seq 1 100); do
  echo "$WOO_STORE_HTTPS/wp-json/wc/v3/products?context=edit&per_page=100&orderby=id&order=asc&page=$p"
done | xargs -P 8 -n 25 sh -c 'for u; do p=${u##*page=}; curl -sf --cacert "$WOO_STORE_CA_FILE" -u ck_test_read_00000000000000000000000000000:cs_test_read_00000000000000000000000000000 -o "$WORK/full/$p.json" "$u"; done' sh
chmod -R a+rX "$WORK/pages" "$WORK/full"
psql -qXAt -v ON_ERROR_STOP=1 <<SQL > "$WORK/cpu.txt"
CREATE TABLE pages AS SELECT n, pg_read_file('$WORK/pages/' || n || '.json') AS body FROM generate_series(1, 1000) n;
SELECT cpu_ticks() AS t0 \gset
$SCAN;
SELECT cpu_ticks() AS t1 \gset
SELECT count(*), sum(NULLIF(x.regular_price, '')::numeric)
  FROM pages, jsonb_to_recordset(body::jsonb) AS x(id bigint, sku text, name text, regular_price text, type text);
SELECT cpu_ticks() AS t2 \gset
CREATE TABLE full_pages AS SELECT n, pg_read_file('$WORK/full/' || n || '.json') AS body FROM generate_series(1, 100) n;
SELECT cpu_ticks() AS t3 \gset
SELECT count(*), sum(NULLIF(x.regular_price, '')::numeric)
  FROM full_pages, jsonb_to_recordset(body::jsonb) AS x(id bigint, sku text, name text, regular_price text, type text);
SELECT cpu_ticks() AS t4 \gset
SELECT 'fdw_ticks', :t1 - :t0;
SELECT 'jsonb_ticks', :t2 - :t1;
SELECT 'full_ticks', :t4 - :t3;
SQL
fdw=$(awk -F'|' '/^fdw_ticks/ {print $2}' "$WORK/cpu.txt")
jsonb=$(awk -F'|' '/^jsonb_ticks/ {print $2}' "$WORK/cpu.txt")
fdw_rate=$(awk "BEGIN { printf \"%d\", 100000 * $TICKS / ($fdw + 0.5) }")
jsonb_rate=$(awk "BEGIN { printf \"%d\", 100000 * $TICKS / ($jsonb + 0.5) }")
full=$(awk -F'|' '/^full_ticks/ {print $2}' "$WORK/cpu.txt")
full_rate=$(awk "BEGIN { printf \"%d\", 10000 * $TICKS / ($full + 0.5) }")
printf '%-34s %12s rows/s\n' "woocommerce_fdw scan" "$fdw_rate"
printf '%-34s %12s rows/s\n' "jsonb_to_recordset, whole objects" "$full_rate"
printf '%-34s %12s rows/s\n' "jsonb_to_recordset, same pages" "$jsonb_rate"
printf '%-34s %12s (target >= 1.00)\n' "fdw / 80,000 rows/s" "$(calc "$fdw_rate / 80000")"
printf '%-34s %12s (target >= 2.00)\n' "fdw / jsonb on whole objects" "$(calc "$fdw_rate / $full_rate")"
printf '%-34s %12s\n' "fdw / jsonb on the same pages" "$(calc "$fdw_rate / $jsonb_rate")"

echo "== 3. backend peak RSS growth while scanning 100,000 products"
psql -qXAt -v ON_ERROR_STOP=1 <<SQL > "$WORK/rss.txt"
SELECT vm_kb('VmRSS') AS before \gset
SELECT count(*) FROM (SELECT id, sku, name, regular_price, description, categories, images FROM shop.products OFFSET 0) s;
SELECT 'growth_kb', vm_kb('VmHWM') - :before;
SQL
growth=$(awk -F'|' '/^growth_kb/ {print $2}' "$WORK/rss.txt")
printf 'peak RSS growth %d kB = %s MB, limit 64 MB: %sx\n' "$growth" "$(calc "$growth / 1024")" \
  "$(calc "$growth / 1024 / 64")"
