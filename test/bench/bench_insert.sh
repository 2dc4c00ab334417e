# Foreign-table write figures of bench.sh (sourced by bench_cluster.sh):
# INSERT ... SELECT and COPY of 10,000 products at 50 ms, concurrency 4.

INSERT_SQL="INSERT INTO shop.products (name, sku, regular_price)
  SELECT 'Bench item ' || g, 'WB-' || lpad(g::text, 6, '0'), (1 + g % 90)::numeric + 0.99 FROM generate_series(1, 10000) g"

insert_run() {  # insert_run STATEMENT: seconds, into an empty store
  store_reset 0
  store_latency 50
  store_clear_log
  timed "SELECT bench_concurrency(4); EXPLAIN $INSERT_SQL;" "$1"
}

bench_insert() {
  local t limit=1.25  # 100 batches of 100, 4 in flight: 25 x 50 ms
  t=$(best_of insert_run "$INSERT_SQL;")
  t=$(wall "$t")
  result "INSERT ... SELECT 10,000 products, 50 ms, c=4" "$t s, limit $limit s" "$(calc "$t / $limit")" "<=" 1.30 \
    "$(requests POST) requests, store $(store_ms) ms"
}

# COPY into a foreign table needs the wrapper's BeginForeignInsert, without
# which PostgreSQL calls the insert callback with no state (the backend
# crashes): measured only once the handler sets it.
bench_copy() {
  if ! grep -q "BeginForeignInsert" "$REPO_ROOT"/src/pg/*.cpp; then
    not_applicable "COPY 10,000 products, 50 ms, c=4" "COPY unsupported"
    return
  fi
  seq 1 10000 | awk '{ printf "Copy item %d\tCP-%06d\t%d.99\n", $1, $1, 1 + $1 % 90 }' > "$WORK/copy.tsv"
  chmod 644 "$WORK/copy.tsv"
  local t limit=1.25
  if ! t=$(best_of insert_run "COPY shop.products (name, sku, regular_price) FROM '$WORK/copy.tsv';" 2>"$WORK/copy.err"); then
    not_applicable "COPY 10,000 products, 50 ms, c=4" "COPY failed: $(head -c 200 "$WORK/copy.err" | tr '\n' ' ')"
    return
  fi
  t=$(wall "$t")
  result "COPY 10,000 products, 50 ms, c=4" "$t s, limit $limit s" "$(calc "$t / $limit")" "<=" 1.30 \
    "$(requests POST) requests, store $(store_ms) ms"
}
