// Conflicts: a product changed on both sides since the last exchange. The
// store's current versions are read in lists (one request per 100 products,
// `include` and `_fields`; variations per parent), and a version counts as
// changed in the store when its date_modified_gmt is later than the last
// exchange and its values differ from last_exchanged. With conflict_policy
// pim_wins none of this runs: the export overwrites.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sync/sync_model.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw::sync {

// A store product to look at: its id and, for a variation, its parent's.
struct StoreRef {
    std::int64_t woo_id = 0;
    std::int64_t parent_woo_id = 0;
};

// The store's current objects by id, reading only `members` (and id,
// date_modified_gmt). Products missing from the answers are left out.
std::map<std::int64_t, Json> read_current_versions(StoreClient& client, const std::vector<StoreRef>& refs,
                                                   const std::vector<std::string>& members);

// The fields of `fields` whose store value differs from what was last
// exchanged (`last`, canonical), when the store's object was modified after
// the last exchange; empty otherwise. Compared as a write's answer is
// (woo/store_rules), on the payload last_exchanged would make.
std::vector<std::string> changed_in_store(const Json& last, const std::vector<std::string>& fields, const Json& object,
                                          const TermIndex& terms, bool is_variation, bool is_variable);

}  // namespace wcfdw::sync

#include "core/base/pure_cpp.hpp"
