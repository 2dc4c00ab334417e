# The benchmark store's own speed (sourced by bench_cluster.sh): pages of
# 100 products per second served to bench_load's 4 keep-alive connections,
# no latency, and the store's CPU per page. Target: >= 5,000 scan pages/s,
# so that the figures that follow measure the extension, not the store.

bench_store_speed() {
  store_reset 10000
  store_latency 0
  local load=$BENCH_BIN/bench_load out rate cpu shape query
  for shape in scan whole; do
    query="context=edit&_fields=id,sku,name,regular_price,type"
    [ "$shape" = whole ] && query="context=edit"
    "$load" --port "${STORE##*:}" --connections 4 --seconds 1 --query "$query" >/dev/null  # renders the pages once
    out=$("$load" --port "${STORE##*:}" --store-pid "$STORE_PID" --connections 4 --seconds 3 --query "$query")
    rate=$(echo "$out" | sed -E 's/.*pages_per_s ([0-9.]+).*/\1/')
    cpu=$(echo "$out" | sed -E 's/.*store_cpu_ms_per_page ([0-9.]+).*/\1/')
    result "benchmark store, $shape pages of 100, 4 connections" "$rate pages/s, store CPU $cpu ms/page" \
      "$(calc "$rate / 5000")" ">=" 1.00 "$(echo "$out" | sed -E 's/.*bytes_per_page ([0-9]+).*/\1/') bytes/page"
  done
}

# Writes: batches of 100 creates into an empty store, one after another.
# The store handles a batch's items in order under its write lock (as the
# test store does), so concurrent batches queue: its CPU per batch must stay
# a small part of the latency (target <= 2.5 ms: 5% of 50 ms).
bench_store_write_speed() {
  store_reset 0
  store_latency 0
  local out cpu
  out=$("$BENCH_BIN/bench_load" --port "${STORE##*:}" --store-pid "$STORE_PID" --creates 50)
  cpu=$(echo "$out" | sed -E 's/.*store_cpu_ms_per_batch ([0-9.]+).*/\1/')
  result "benchmark store, batch of 100 creates" "$cpu ms of store CPU, limit 2.5 ms" "$(calc "$cpu / 2.5")" "<=" 1.00 \
    "$(echo "$out" | sed -E 's/.*wall_ms_per_batch ([0-9.]+).*/\1/') ms wall"
}
