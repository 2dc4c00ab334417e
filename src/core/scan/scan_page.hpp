// One page of a scan, checked before any row of it is used: a list answer
// must be an array of objects and an item answer one object, each with the
// key WooCommerce always sends for its resource: an integer id in bigint's
// range, a non-empty text key (gateways, settings, data codes), or none
// (reports). Numbers the JSON reader could not hold are kept per row, so
// that the column reading one reports it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/json_reader.hpp"
#include "core/woo/resources.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw {

struct ScanPage {
    nlohmann::json rows = nlohmann::json::array();
    // (row index, path inside that row) of each unrepresentable number.
    std::vector<std::pair<std::size_t, UnrepresentableNumber>> unrepresentable;
    std::vector<std::string> keys;  // of the rows, in order (as text); empty for resources without keys
};

// The key every row of a resource's list carries.
struct RowKey {
    const char* field = "id";  // nullptr: rows have no key (reports, zone locations)
    KeyType type = KeyType::Integer;
    std::int64_t min = 1;      // smallest integer key (shipping zone 0)
};
RowKey row_key_of(const ResourceInfo* resource);

// `item`: the request asked for one object (GET products/42). A missing
// item or parent (404, StoreResponse::missing) is an empty page. Throws InvalidResponse naming
// the request and the first object that is not what WooCommerce sends.
ScanPage checked_page(StoreResponse&& answer, bool item, const std::string& request_description,
                      const RowKey& key = RowKey{});

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
