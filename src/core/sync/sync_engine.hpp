// The sync engine's conversations with a store: export (products/batch and
// variations/batch, concurrent, with SKU adoption), import (pages read in
// parallel, variations, mapping) and delete. Requests and answers are plain
// JSON documents so that the PostgreSQL layer only reads and writes rows;
// every decision about WooCommerce lives here and in sync_model.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/woo/store_client.hpp"

namespace wcfdw::sync {

// Called after every batch or round of pages with a one-line report.
using ProgressFn = std::function<void(const std::string&)>;
// Writes one round of an import's rows (src/pg: in SQL, while the next
// pages are in flight). Without it, run_import answers every row in "rows".
using WriteRoundFn = std::function<void(nlohmann::json&& rows)>;

// request:
//   {"connection_id": 7, "fields": [...], "field_mappings": {local: woo},
//    "field_types": {woo: json_type}, "only_changed": true, "batch_size": 100,
//    "products": [{"product": {to_json of woocommerce.product}, "text": {column: exact text},
//                  "woo_product_id": 12 | null, "last_exchanged": {...} | null,
//                  "parent_woo_id": 26 | null}, ...]}
//   Parents come before their variations (any order is accepted).
// answer:
//   {"results": [{"product_id", "woo_product_id", "action", "fields", "error",
//                 "warning", "drifted", "exchanged"}...], "requests", "bytes",
//    "created", "updated", "unchanged", "failed", "warned",
//    "errors": [{product_id, error}...], "warnings": [{product_id, warning}...]}
// action: created, updated, unchanged or failed; exchanged is the new
// last_exchanged (null when failed or unchanged): the store's answer, so a
// field the store did not keep holds the store's value (drifted: true) and
// `warning` says what it did not keep (woo/store_rules).
nlohmann::json run_export(StoreClient& client, const nlohmann::json& request, const ProgressFn& progress);

// request:
//   {"connection_id", "woo_product_ids": [..] | null, "modified_after": "YYYY-MM-DDTHH:MM:SS" (GMT) | null,
//    "attribute_mappings": {...}, "field_mappings": {...},
//    "page_from": n, "page_count": n}   (optional: only these pages of 100)
// answer:
//   {"rows": [{"woo_product_id", "parent_woo_id", "sku", "date_modified_gmt", "local": {...},
//              "exchanged": {...}}...], "high_water_mark": "..." | null, "total_pages",
//    "requests", "bytes"}
// Products come in id order, each variable product followed by its variations.
nlohmann::json run_import(StoreClient& client, const nlohmann::json& request, const ProgressFn& progress,
                          const WriteRoundFn& write_round = nullptr);

// request: {"woo_product_id", "parent_woo_id" | null, "force": false}
// answer:  {"action": "trashed" | "deleted", "status", "requests", "bytes", "note"}
nlohmann::json run_delete(StoreClient& client, const nlohmann::json& request);

// Categories, global attributes and the price decimals of a store are
// remembered per connection for a while (kTermCacheSeconds) in the backend;
// this forgets them (connection_id 0: all).
void forget_store_terms(std::int64_t connection_id);
constexpr int kTermCacheSeconds = 300;

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
