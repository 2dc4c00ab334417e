#include "core/scan/scan_page.hpp"

#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

constexpr char kHint[] =
    "WooCommerce always answers a list with an array of objects, each with an integer id; check the server's url and "
    "api_prefix (something other than WooCommerce may be answering), or a plugin or proxy rewriting answers.";

std::string shown(const nlohmann::json& value) {
    std::string text = sanitize_utf8(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

WooError bad_answer(const std::string& message, const std::string& request_description) {
    return WooError(ErrorKind::InvalidResponse, message, "Request: " + request_description, kHint);
}

// The text of a key member that the reader could not hold (1e400, 2^70), if any.
const UnrepresentableNumber* unreadable_member(const ScanPage& page, std::size_t row, const char* member) {
    for (const auto& [index, number] : page.unrepresentable)
        if (index == row && number.path.size() == 1 && !number.path[0].is_index && number.path[0].key == member)
            return &number;
    return nullptr;
}

// The row's key as text, checked as WooCommerce sends it.
std::string checked_key(const ScanPage& page, std::size_t row, const std::string& what, const RowKey& key,
                        const std::string& request_description) {
    const nlohmann::json& object = page.rows[row];
    if (!object.is_object())
        throw bad_answer("the store's answer holds " + what + " that is a JSON " + object.type_name() + " (" +
                             shown(object) + "), not an object",
                         request_description);
    if (!key.field || key.type == KeyType::None) return {};
    const std::string name = key.field;
    const auto id = object.find(name);
    if (key.type == KeyType::Text) {
        if (id == object.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
            throw bad_answer("the store's answer holds " + what + " whose " + name + " is " +
                                 (id == object.end() ? std::string("missing") : shown(*id)) + ", not a text key",
                             request_description);
        return id->get<std::string>();
    }
    if (const UnrepresentableNumber* number = unreadable_member(page, row, key.field))
        throw bad_answer("the store's answer holds " + what + " whose " + name + " " + sanitize_utf8(number->text) +
                             " is beyond bigint's range",
                         request_description);
    if (id == object.end())
        throw bad_answer("the store's answer holds " + what + " without an " + name, request_description);
    if (id->is_number_unsigned() && id->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        throw bad_answer("the store's answer holds " + what + " whose " + name + " " + shown(*id) +
                             " is beyond bigint's range",
                         request_description);
    if (!id->is_number_integer() || id->get<std::int64_t>() < key.min)
        throw bad_answer("the store's answer holds " + what + " whose " + name + " is " + shown(*id) + ", not a " +
                             (key.min > 0 ? "positive" : "non-negative") + " integer",
                         request_description);
    return std::to_string(id->get<std::int64_t>());
}

}  // namespace

RowKey row_key_of(const ResourceInfo* resource) {
    RowKey key;
    if (!resource) return key;
    key.field = resource->key_field;
    key.type = resource->key_type;
    key.min = resource->min_key;
    return key;
}

ScanPage checked_page(StoreResponse&& answer, bool item, const std::string& request_description,
                      const RowKey& key) {
    ScanPage page;
    if (answer.missing) return page;  // a missing item or parent: no row
    for (const auto& number : answer.unrepresentable)
        if (number.path.empty())
            throw bad_answer("the store answered with the number " + sanitize_utf8(number.text) + ", not " +
                                 (item ? "an object" : "an array"),
                             request_description);
    if (item) {
        if (!answer.body.is_object())
            throw bad_answer("the store answered a request for one object with a JSON " +
                                 std::string(answer.body.type_name()) + ", not an object",
                             request_description);
        page.rows.push_back(std::move(answer.body));
        for (auto& number : answer.unrepresentable) page.unrepresentable.emplace_back(0, std::move(number));
    } else {
        if (!answer.body.is_array())
            throw bad_answer("the store answered a list request with a JSON " + std::string(answer.body.type_name()) +
                                 ", not an array",
                             request_description);
        page.rows = std::move(answer.body);
        for (auto& number : answer.unrepresentable) {
            const std::size_t row = number.path[0].index;
            number.path.erase(number.path.begin());
            if (number.path.empty())
                throw bad_answer("the store's answer holds item " + std::to_string(row + 1) + " that is the number " +
                                     sanitize_utf8(number.text) + ", not an object",
                                 request_description);
            page.unrepresentable.emplace_back(row, std::move(number));
        }
    }
    const bool keyed = key.field && key.type != KeyType::None;
    if (keyed) page.keys.reserve(page.rows.size());
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
        const std::string what = item ? std::string("an object") : "item " + std::to_string(i + 1);
        std::string k = checked_key(page, i, what, key, request_description);
        if (keyed) page.keys.push_back(std::move(k));
    }
    return page;
}

}  // namespace wcfdw
