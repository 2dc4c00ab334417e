# Scan figures of bench.sh (sourced by bench_cluster.sh): the 10,000-product
# scan at 50 ms per request, the conversion rate against jsonb_to_recordset,
# and the backend's memory while scanning 1,000,000 products.

SCAN_QUERY="SELECT count(*), sum(length(sku)), sum(length(name)), sum(regular_price) FROM shop.products"

scan_run() {  # scan_run CONCURRENCY: seconds of one scan
  store_clear_log
  timed "SELECT bench_concurrency($1); EXPLAIN $SCAN_QUERY;" "$SCAN_QUERY;"
}

bench_scan_latency() {
  store_reset 10000
  store_latency 50
  local pages=100 c t limit
  for c in 4 8; do
    t=$(best_of scan_run "$c")
    t=$(wall "$t")
    limit=$(calc "$(ceil_div $pages "$c") * 0.050")
    result "scan 10,000 products, 50 ms, concurrency $c" "$t s, limit $limit s" "$(calc "$t / $limit")" "<=" 1.10 \
      "$(requests GET) requests, store $(store_ms) ms"
  done
}

bench_scan_conversion() {
  store_reset 100000
  store_latency 0
  store_clear_log
  sql -c "$SCAN_QUERY" >/dev/null  # renders the store's pages once, and shows which members the scan asks for
  local query fields columns fdw jsonb
  query=$(first_query GET)
  python3 "$BENCH_LIB/fetch_pages.py" "$STORE" "$WORK/scan_pages" 1000 "$query"
  fields=$(python3 -c 'import sys, urllib.parse; print(dict(urllib.parse.parse_qsl(sys.argv[1]))["_fields"])' "$query")
  columns=$(echo "$fields" | tr ',' '\n' | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, ($1 == "id" ? "bigint" : "text") }')
  sql -c "CREATE TABLE bench_scan_pages AS SELECT n, pg_read_file('$WORK/scan_pages/' || n || '.json') AS body
            FROM generate_series(1, 1000) n"
  fdw=$(best_of timed "EXPLAIN $SCAN_QUERY;" "$SCAN_QUERY;")
  fdw=$(cpu "$fdw")
  jsonb=$(best_of timed "SELECT count(*) FROM bench_scan_pages;" \
    "SELECT count(*), sum(length(x.sku)), sum(length(x.name)), sum(nullif(x.regular_price, '')::numeric)
       FROM bench_scan_pages, jsonb_to_recordset(body::jsonb) AS x($columns);")
  jsonb=$(cpu "$jsonb")
  local fdw_rate jsonb_rate
  fdw_rate=$(awk -v s="$fdw" 'BEGIN { printf "%d", 100000 / s }')
  jsonb_rate=$(awk -v s="$jsonb" 'BEGIN { printf "%d", 100000 / s }')
  result "scan conversion, rows/s of backend CPU" "$fdw_rate rows/s vs jsonb_to_recordset $jsonb_rate" \
    "$(calc "$fdw_rate / $jsonb_rate")" ">=" 1.00 "_fields=$fields"
  sql -c "DROP TABLE bench_scan_pages"
}

bench_scan_memory() {
  store_reset 1000000
  store_latency 0
  local q="SELECT count(*), sum(length(sku)), sum(length(name)), sum(regular_price), sum(length(description)),
                  sum(jsonb_array_length(categories)), sum(jsonb_array_length(images)) FROM shop.products"
  local mb
  mb=$(rss_growth_mb "SELECT bench_concurrency(4); EXPLAIN $q;" "$q;")
  result "memory, scan of 1,000,000 products" "$mb MB growth, limit 64 MB" "$(calc "$mb / 64")" "<=" 1.00
}
