// A written item's fields as the writers read them (writes.py isset_data()
// over batch_items()'s defaults): the item's members over the create
// defaults, null members dropped (WooCommerce reads them with isset(); only
// low_stock_amount keeps its null), looked up by hash instead of walking the
// JSON object, and without copying the values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "json_text.hpp"

namespace benchstore {

class ItemFields {
public:
    // item and defaults must outlive the ItemFields.
    explicit ItemFields(const Json& item, const Json* defaults = nullptr);
    bool contains(std::string_view key) const { return index_.count(key) != 0; }
    // The member, or null when absent.
    const Json& operator[](std::string_view key) const;
    Json value(std::string_view key, const Json& fallback) const {
        return contains(key) ? (*this)[key] : fallback;
    }
    void set(const std::string& key, Json value);

private:
    void add_members(const Json& object);
    std::unordered_map<std::string_view, const Json*> index_;
    std::map<std::string, Json> owned_;  // values set() replaced
};

}  // namespace benchstore
