#include "core/write/store_writer.hpp"

#include <algorithm>

#include "core/scan/scan_plan.hpp"
#include "core/base/woo_error.hpp"
#include "core/woo/store_rules.hpp"
#include "core/write/write_payload.hpp"

namespace wcfdw {

namespace {

constexpr std::size_t kBatchItems = 100;  // WooCommerce's woocommerce_rest_batch_items_limit

std::string id_list(const std::vector<std::string>& ids) {
    std::string out;
    const std::size_t shown = std::min<std::size_t>(ids.size(), 20);
    for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + ids[i];
    if (shown < ids.size()) out += ", ... (" + std::to_string(ids.size() - shown) + " more)";
    return out;
}

std::string plural(const std::string& noun, std::size_t n) {
    if (n == 1) return noun;
    if (!noun.empty() && noun.back() == 'y') return noun.substr(0, noun.size() - 1) + "ies";
    return noun + "s";
}

// The key of a written object (an id, a tax class's slug), "" when it has none.
std::string object_key(const ResourceInfo& resource, const nlohmann::json& o) {
    if (!o.is_object() || !resource.key_field) return {};
    const auto it = o.find(resource.key_field);
    if (it == o.end()) return {};
    if (resource.key_type == KeyType::Integer) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < resource.min_key) return {};
        return std::to_string(it->get<std::int64_t>());
    }
    if (it->is_string()) return it->get<std::string>();
    return {};
}

// What to do about a refusal whose generic hint would mislead: WooCommerce
// answers 500 for refunds it will not make, which is no reason to retry.
const char* refusal_hint(const ResourceInfo& resource, const WooError& error) {
    const std::string message = error.what();
    if (error.woo_code == "woocommerce_rest_cannot_create_order_refund") {
        if (message.find("automatic refunds") != std::string::npos || message.find("gateway") != std::string::npos)
            return "The order's payment gateway cannot pay money back through WooCommerce: insert the refund with "
                   "api_refund = false (WooCommerce only records it) and pay it back yourself.";
        if (message.find("Invalid refund amount") != std::string::npos)
            return "A refund cannot exceed what is left of the order's total after its earlier refunds.";
    }
    if (!error.hint().empty()) return nullptr;
    if (resource.resource == Resource::Products || resource.resource == Resource::Variations)
        return "The woocommerce.export_products() function records each product's outcome instead of stopping.";
    return nullptr;
}

std::string parent_text(std::int64_t parent) { return parent > 0 ? std::to_string(parent) : std::string(); }

// A store that answered 2xx did (or may have done) the work.
bool answered_2xx(const WooError& e) { return e.http_status >= 200 && e.http_status < 300; }

}  // namespace

StoreWriter::StoreWriter(StoreClient& client, const ResourceInfo& resource, std::string table_name, bool trash)
    : client_(client), resource_(resource), table_(std::move(table_name)), trash_(trash) {}

std::string StoreWriter::collection(const std::string& parent) const {
    ScanRequest r;
    r.path = resource_.path;
    if (resource_.parent_field && !routable_key(resource_.parent_type, parent))
        throw WooError(ErrorKind::InvalidArgument,
                       std::string("a row of foreign table \"") + table_ + "\" needs " + resource_.parent_field,
                       parent.empty() ? std::string() : "\"" + parent + "\" names no parent WooCommerce can address.",
                       std::string("WooCommerce keeps ") + resource_.name + " under their parent: set " +
                           resource_.parent_field + ".");
    return request_path(r, parent);
}

std::string StoreWriter::item_path(const std::string& key, const std::string& parent) const {
    if (!routable_key(resource_.key_type, key, resource_.key_length))
        throw WooError(ErrorKind::InvalidArgument,
                       std::string("a row of foreign table \"") + table_ + "\" has a " +
                           (resource_.key_field ? resource_.key_field : "key") + " WooCommerce cannot address",
                       "\"" + key + "\" is not a key of its item route.", "Address rows by the key the store lists.");
    return collection(parent) + "/" + key;
}

void StoreWriter::account(const StoreResponse& response) {
    requests_ += 1 + static_cast<std::uint64_t>(response.http.retries);
}

void StoreWriter::check_kept(const nlohmann::json& body, const nlohmann::json& answer, const std::string& row_label) {
    // The rules (woo/store_rules) are those of catalog writes (products,
    // variations, terms, attributes); the other resources answer with
    // members of their own (a refund's line items, an order's computed
    // lines) and leave out write-only ones (webhook secrets, api_refund).
    if (resource_.resource == Resource::Other || resource_.resource == Resource::Orders ||
        resource_.resource == Resource::Customers)
        return;
    const auto unkept = unkept_members(body, answer);
    const std::string sale = sale_not_applied(body, answer);
    if (unkept.empty() && sale.empty()) return;
    std::string detail;
    for (const auto& u : unkept) detail += (detail.empty() ? "" : "\n") + describe_unkept(u) + ".";
    if (!sale.empty()) detail += (detail.empty() ? "" : "\n") + sale + ".";
    const std::string id = object_key(resource_, answer);
    warnings_.push_back({std::string(unkept.empty() ? "the store does not apply a value written to "
                                                    : "the store did not keep every value written to ") +
                             resource_.item_noun + " " + row_label +
                             (!id.empty() && row_label != id ? " (" + std::string(resource_.key_field) + " " + id + ")" : "") +
                             " of foreign table \"" + table_ + "\"",
                         detail});
}

std::vector<StoreWriter::Warning> StoreWriter::take_warnings() {
    std::vector<Warning> out;
    out.swap(warnings_);
    return out;
}

std::string StoreWriter::applied() const {
    std::vector<std::string> parts;
    auto part = [&](const char* verb, const std::vector<std::string>& ids) {
        if (ids.empty()) return;
        parts.push_back(std::string(verb) + " " + std::to_string(ids.size()) + " " + plural(resource_.item_noun, ids.size()) +
                        " (id" + (ids.size() == 1 ? " " : "s ") + id_list(ids) + ")");
    };
    part("created", created_);
    part("updated", updated_);
    part(trash_ && resource_.writes.delete_mode == DeleteMode::TrashOrForce ? "trashed" : "deleted", deleted_);
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out.empty() ? "nothing" : out;
}

void StoreWriter::fail(const WooError& error, const std::string& row_label, const std::string& action) {
    WooError e(error.kind(), "WooCommerce could not " + action + " " + row_label + " of foreign table \"" + table_ +
                                 "\": " + error.what(),
               error.detail(), error.hint());
    e.http_status = error.http_status;
    e.woo_code = error.woo_code;
    e.resource_id = error.resource_id;
    std::string detail = error.detail();
    if (error.woo_code == "product_invalid_sku" && error.resource_id > 0)
        detail += std::string(detail.empty() ? "" : "\n") + "The SKU belongs to " + resource_.item_noun + " " +
                  std::to_string(error.resource_id) + ".";
    detail += std::string(detail.empty() ? "" : "\n") + "Already applied in the store by this statement: " + applied() +
              ". ROLLBACK does not undo changes in WooCommerce.";
    e.with_detail(detail);
    if (const char* hint = refusal_hint(resource_, error)) e.with_hint(hint);
    throw e;
}

void StoreWriter::fail_unreadable(const WooError& error, const std::string& row_label, const std::string& action) {
    WooError e(ErrorKind::InvalidResponse,
               "the store's answer to " + action + " " + row_label + " of foreign table \"" + table_ +
                   "\" cannot be used: " + error.what(),
               error.detail() + (error.detail().empty() ? "" : "\n") + "The store may have applied this change. " +
                   "Already applied in the store by this statement, as far as its answers tell: " + applied() +
                   ". ROLLBACK does not undo changes in WooCommerce.",
               "Check the " + std::string(resource_.item_noun) + " in the store before running the statement again.");
    e.http_status = error.http_status;
    throw e;
}

StoreResponse StoreWriter::send_one(const HttpRequest& request, const std::string& row_label,
                                    const std::string& action, bool expect_key) {
    StoreResponse r;
    AnswerOptions options;
    options.keep_unrepresentable = true;
    try {
        r = client_.send(request, options);
    } catch (const WooError& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        if (answered_2xx(e)) fail_unreadable(e, row_label, action);
        fail(e, row_label, action);
    }
    account(r);
    const bool is_object = r.body.is_object();
    const bool keyed = resource_.key_field && resource_.key_type != KeyType::None;
    if (!is_object || (expect_key && keyed && object_key(resource_, r.body).empty())) {
        const std::string without = resource_.key_type == KeyType::Integer
                                        ? std::string("an object without an integer ") + resource_.key_field
                                        : std::string("an object without its ") + resource_.key_field;
        WooError e(ErrorKind::InvalidResponse,
                   std::string("store answered HTTP ") + std::to_string(r.http.status) + " with " +
                       (is_object ? without : std::string("a JSON ") + r.body.type_name()),
                   "Request: " + client_.describe(request), {});
        e.http_status = static_cast<int>(r.http.status);
        fail_unreadable(e, row_label, action);
    }
    last_numbers_ = std::move(r.unrepresentable);
    return r;
}

nlohmann::json StoreWriter::create(const nlohmann::json& body, std::int64_t parent, const std::string& row_label) {
    const std::string label = resource_.item_noun + std::string(" ") + describe_item(body, row_label);
    HttpRequest req;
    try {
        req = client_.make_request(HttpMethod::Post, collection(parent_text(parent)), {}, &body);
    } catch (const WooError& e) {
        fail(e, label, "create");
    }
    StoreResponse r = send_one(req, label, "create", true);
    created_.push_back(object_key(resource_, r.body));
    check_kept(body, r.body, describe_item(body, row_label));
    return std::move(r.body);
}

nlohmann::json StoreWriter::update(const std::string& key, const std::string& parent, const nlohmann::json& body) {
    const std::string label = resource_.item_noun + std::string(" ") + key;
    HttpRequest req;
    try {
        req = client_.make_request(HttpMethod::Put, item_path(key, parent), {}, &body);
    } catch (const WooError& e) {
        fail(e, label, "update");
    }
    StoreResponse r = send_one(req, label, "update", true);
    updated_.push_back(key);
    check_kept(body, r.body, key);
    return std::move(r.body);
}

nlohmann::json StoreWriter::remove(const std::string& key, const std::string& parent) {
    const std::string label = resource_.item_noun + std::string(" ") + key;
    const bool to_trash = trash_ && resource_.writes.delete_mode == DeleteMode::TrashOrForce;
    const std::string action = to_trash ? "trash" : "delete";
    HttpRequest req;
    try {
        std::vector<QueryParam> query;
        if (!to_trash) query.push_back({"force", "true"});
        req = client_.make_request(HttpMethod::Delete, item_path(key, parent), query);
    } catch (const WooError& e) {
        fail(e, label, action);
    }
    StoreResponse r = send_one(req, label, action, false);
    deleted_.push_back(key);
    // Deleting answers with the object as it was ({"previous": ...} for some resources).
    if (r.body.contains("previous") && r.body["previous"].is_object()) {
        for (auto& number : last_numbers_)
            if (!number.path.empty() && !number.path[0].is_index && number.path[0].key == "previous")
                number.path.erase(number.path.begin());
        return std::move(r.body["previous"]);
    }
    return std::move(r.body);
}

std::vector<nlohmann::json> StoreWriter::create_batch(const std::vector<nlohmann::json>& bodies,
                                                      const std::vector<std::int64_t>& parents,
                                                      const std::vector<std::string>& row_labels,
                                                      std::size_t max_items) {
    const std::size_t per_request = std::max<std::size_t>(1, std::min(max_items, kBatchItems));
    if (!resource_.writes.batch) {
        // No batch endpoint (order notes, refunds, zones...): a POST per row, in order.
        std::vector<nlohmann::json> out;
        for (std::size_t i = 0; i < bodies.size(); ++i)
            out.push_back(create(bodies[i], i < parents.size() ? parents[i] : 0,
                                 i < row_labels.size() ? row_labels[i] : "a row"));
        return out;
    }
    // Consecutive rows with the same parent share a request.
    struct Chunk {
        std::size_t first, count;
        std::int64_t parent;
    };
    std::vector<Chunk> chunks;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        const std::int64_t parent = i < parents.size() ? parents[i] : 0;
        if (chunks.empty() || chunks.back().parent != parent || chunks.back().count == per_request)
            chunks.push_back({i, 0, parent});
        ++chunks.back().count;
    }
    std::vector<HttpRequest> requests;
    for (const auto& c : chunks) {
        nlohmann::json body = {{"create", nlohmann::json::array()}};
        for (std::size_t i = c.first; i < c.first + c.count; ++i) body["create"].push_back(bodies[i]);
        requests.push_back(client_.make_request(HttpMethod::Post, collection(parent_text(c.parent)) + "/batch", {}, &body));
    }
    // Every answer is looked at before any error is raised: a batch that
    // failed as a whole (413, 5xx after retries) must not hide what the
    // other batches of the call created.
    std::vector<StoreClient::Settled> answers = client_.send_all_settled(requests);
    std::vector<nlohmann::json> out(bodies.size());
    const WooError* first_error = nullptr;
    WooError item_error(ErrorKind::RemoteRejected, "");
    std::string failed_label;
    const WooError* whole_batch_error = nullptr;
    std::size_t whole_batch_rows = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        account(answers[c].response);
        if (answers[c].failed) {
            // Its outcome is unknown when it reached the store.
            if (!whole_batch_error) {
                whole_batch_error = &answers[c].error;
                whole_batch_rows = chunks[c].count;
            }
            continue;
        }
        // The answer's items are moved out, not copied: copying and freeing
        // 100 full product objects per batch was most of an INSERT's CPU.
        nlohmann::json& answer = answers[c].response.body;
        nlohmann::json* created = nullptr;
        if (answer.is_object()) {
            const auto found = answer.find("create");
            if (found != answer.end() && found->is_array()) created = &*found;
        }
        for (std::size_t k = 0; k < chunks[c].count; ++k) {
            const std::size_t i = chunks[c].first + k;
            nlohmann::json item = created && k < created->size() ? std::move((*created)[k]) : nlohmann::json();
            if (item.is_object() && item.contains("error") && item["error"].is_object()) {
                if (!first_error) {
                    const auto& err = item["error"];
                    const std::string code = err.value("code", std::string("unknown"));
                    const std::string message = decode_html_entities(err.value("message", std::string()));
                    const auto data = err.value("data", nlohmann::json::object());
                    const int status = data.is_object() ? data.value("status", 400) : 400;
                    item_error = WooError(code == "product_invalid_sku" || code == "term_exists"
                                              ? ErrorKind::Conflict
                                              : ErrorKind::RemoteRejected,
                                          message + " (" + code + ")",
                                          "Batch item " + std::to_string(k + 1) + " of request " +
                                              std::to_string(c + 1) + " failed with HTTP status " +
                                              std::to_string(status) + ".");
                    item_error.woo_code = code;
                    item_error.http_status = status;
                    if (data.is_object() && data.contains("resource_id") && data["resource_id"].is_number_integer())
                        item_error.resource_id = data["resource_id"].get<std::int64_t>();
                    first_error = &item_error;
                    failed_label = describe_item(bodies[i], i < row_labels.size() ? row_labels[i] : "a row");
                }
                continue;
            }
            if (!item.is_object() || object_key(resource_, item).empty()) {
                if (!first_error) {
                    item_error = WooError(ErrorKind::InvalidResponse, "the store's batch answer has no result for this item",
                                          "Request " + std::to_string(c + 1) + ", item " + std::to_string(k + 1) + ".");
                    first_error = &item_error;
                    failed_label = describe_item(bodies[i], i < row_labels.size() ? row_labels[i] : "a row");
                }
                continue;
            }
            created_.push_back(object_key(resource_, item));
            check_kept(bodies[i], item, describe_item(bodies[i], i < row_labels.size() ? row_labels[i] : "a row"));
            out[i] = std::move(item);
        }
    }
    if (first_error) fail(*first_error, resource_.item_noun + std::string(" ") + failed_label, "create");
    if (whole_batch_error) {
        const std::string label = std::to_string(whole_batch_rows) + " rows in one batch";
        if (answered_2xx(*whole_batch_error)) fail_unreadable(*whole_batch_error, label, "create");
        fail(*whole_batch_error, label, "create");
    }
    return out;
}

}  // namespace wcfdw
