// The export conversation: products/batch and variations/batch requests,
// concurrent, with SKU adoption, deleted products created again, conflict
// detection (conflict_policy), and the store's answers compared with what
// was sent. Request and answer formats: sync_engine.hpp (run_export).
#pragma once

#include <nlohmann/json.hpp>

#include "core/sync/sync_engine.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw::sync {

nlohmann::json export_products(StoreClient& client, const nlohmann::json& request, const ProgressFn& progress);

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
