#include "item_fields.hpp"

namespace benchstore {

ItemFields::ItemFields(const Json& item, const Json* defaults) {
    if (defaults) add_members(*defaults);
    add_members(item);
}

void ItemFields::add_members(const Json& object) {
    if (!object.is_object()) return;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string_view key(it.key());
        if (it.value().is_null() && key != "low_stock_amount") index_.erase(key);
        else index_[key] = &it.value();
    }
}

const Json& ItemFields::operator[](std::string_view key) const {
    static const Json null;
    auto it = index_.find(key);
    return it == index_.end() ? null : *it->second;
}

void ItemFields::set(const std::string& key, Json value) {
    Json& slot = owned_[key] = std::move(value);
    index_.erase(std::string_view(owned_.find(key)->first));
    index_[std::string_view(owned_.find(key)->first)] = &slot;
}

}  // namespace benchstore
