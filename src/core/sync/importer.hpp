// The import conversation: pages of products read in parallel (all of
// them, a slice of pages, or products by id), the variations of variable
// products, and each product converted for the local catalog. Request and
// answer formats: sync_engine.hpp (run_import).
#pragma once

#include <nlohmann/json.hpp>

#include "core/sync/sync_engine.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw::sync {

nlohmann::json import_products(StoreClient& client, const nlohmann::json& request, const ProgressFn& progress,
                               const WriteRoundFn& write_round);

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
