# The benchmark store's own speed (sourced by bench_cluster.sh): pages of
# 100 products per second served to bench_load's 4 keep-alive connections,
# no latency, and the store's CPU per page. Target: >= 5,000 scan pages/s,
# so that the figures that follow measure the extension, not the store.

bench_store_speed() {
  store_reset 10000
  store_latency 0
  local load=$REPO_ROOT/build/cmake/test/bench/store/bench_load out rate cpu shape query
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
