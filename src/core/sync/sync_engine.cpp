#include "core/sync/sync_engine.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/sync/sync_model.hpp"
#include "core/base/text.hpp"

namespace wcfdw::sync {
namespace {

using Clock = std::chrono::steady_clock;

// What a backend remembers about a store between calls.
struct StoreTerms {
    TermIndex index;
    bool categories_loaded = false;
    bool attributes_loaded = false;
    bool decimals_loaded = false;
    Clock::time_point loaded_at = Clock::now();
};

std::map<std::int64_t, StoreTerms>& term_cache() {
    static std::map<std::int64_t, StoreTerms> cache;
    return cache;
}

StoreTerms& terms_for(std::int64_t connection_id) {
    auto& cache = term_cache();
    auto it = cache.find(connection_id);
    if (it != cache.end() && Clock::now() - it->second.loaded_at > std::chrono::seconds(kTermCacheSeconds))
        cache.erase(it);
    return cache[connection_id];
}

std::int64_t total_pages(const HttpResponse& r) {
    const std::string v = r.header("x-wp-totalpages");
    try {
        return v.empty() ? 1 : std::stoll(v);
    } catch (...) {
        return 1;
    }
}

struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;
};

// Parses a response that must succeed; a failure becomes the WooError.
Json checked_body(StoreClient& client, const HttpRequest& request, const HttpResponse& response) {
    const std::string description = client.describe(request);
    Json body = parse_json_body(response, description);
    if (response.status >= 400) throw error_from_response(response, body, description);
    return body;
}

// Every page of a paged collection, pages 2..n concurrently.
std::vector<Json> get_all_pages(StoreClient& client, const std::string& path, std::vector<QueryParam> query) {
    query.push_back({"per_page", "100"});
    std::vector<Json> items;
    auto first_query = query;
    first_query.push_back({"page", "1"});
    const HttpRequest first = client.make_request(HttpMethod::Get, path, first_query);
    const HttpResponse r = client.http().perform(first);
    Json body = checked_body(client, first, r);
    if (body.is_array())
        for (auto& x : body) items.push_back(std::move(x));
    const std::int64_t pages = total_pages(r);
    std::vector<HttpRequest> rest;
    for (std::int64_t p = 2; p <= pages; ++p) {
        auto q = query;
        q.push_back({"page", std::to_string(p)});
        rest.push_back(client.make_request(HttpMethod::Get, path, q));
    }
    if (!rest.empty()) {
        const auto responses = client.http().perform_all(rest);
        for (std::size_t i = 0; i < responses.size(); ++i) {
            Json b = checked_body(client, rest[i], responses[i]);
            if (b.is_array())
                for (auto& x : b) items.push_back(std::move(x));
        }
    }
    return items;
}

void load_categories(StoreClient& client, StoreTerms& terms) {
    const auto categories = get_all_pages(client, "products/categories", {{"orderby", "id"}, {"order", "asc"}});
    struct Node {
        std::string name;
        std::int64_t parent = 0;
    };
    std::map<std::int64_t, Node> nodes;
    for (const auto& c : categories)
        if (c.is_object() && c.contains("id") && c["id"].is_number_integer())
            nodes[c["id"].get<std::int64_t>()] = {decode_html_entities(c.value("name", std::string())),
                                                  c.value("parent", static_cast<std::int64_t>(0))};
    auto& ids = terms.index.category_ids;
    ids.clear();
    for (const auto& [id, node] : nodes) {
        std::string path = node.name;
        std::int64_t parent = node.parent;
        for (int depth = 0; parent != 0 && depth < 32; ++depth) {
            auto it = nodes.find(parent);
            if (it == nodes.end()) break;
            path = it->second.name + " > " + path;
            parent = it->second.parent;
        }
        ids.emplace(normalize_category_path(path), id);
    }
    // A bare name finds a nested category too when the name is not a
    // top-level category itself.
    for (const auto& [id, node] : nodes) ids.emplace(normalize_category_path(node.name), id);
    terms.categories_loaded = true;
}

void load_attributes(StoreClient& client, StoreTerms& terms) {
    const StoreResponse r = client.get("products/attributes");
    terms.index.attribute_ids.clear();
    if (r.body.is_array())
        for (const auto& a : r.body) {
            if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer()) continue;
            const std::int64_t id = a["id"].get<std::int64_t>();
            terms.index.attribute_ids[ascii_lower(decode_html_entities(a.value("name", std::string())))] = id;
            const std::string slug = a.value("slug", std::string());
            if (!slug.empty()) terms.index.attribute_ids[ascii_lower(slug)] = id;
        }
    terms.attributes_loaded = true;
}

void load_decimals(StoreClient& client, StoreTerms& terms) {
    try {
        const StoreResponse r = client.get("system_status", {{"_fields", "settings"}});
        if (r.body.is_object() && r.body.contains("settings") && r.body["settings"].is_object()) {
            const Json& d = r.body["settings"].value("number_of_decimals", Json());
            if (d.is_number_integer()) terms.index.price_decimals = d.get<int>();
            else if (d.is_string()) terms.index.price_decimals = std::stoi(d.get<std::string>());
        }
    } catch (const WooError& e) {
        if (e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::Timeout) throw;
        // A store that hides its system status: WooCommerce's default.
    }
    terms.decimals_loaded = true;
}

// Creates the missing segments of a category path, parents first.
// Returns an error text, or empty on success.
std::string create_category_path(StoreClient& client, StoreTerms& terms, const std::string& path) {
    const auto parts = split_category_path(path);
    std::string prefix;
    std::int64_t parent = 0;
    for (const auto& part : parts) {
        prefix += (prefix.empty() ? "" : " > ") + part;
        auto it = terms.index.category_ids.find(prefix);
        // A bare top-level name may resolve to a nested category; when
        // creating a path, only a real top-level match counts for segment 1.
        if (it != terms.index.category_ids.end()) {
            parent = it->second;
            continue;
        }
        Json body = {{"name", part}};
        if (parent) body["parent"] = parent;
        const HttpRequest request = client.make_request(HttpMethod::Post, "products/categories", {}, &body);
        const HttpResponse r = client.http().perform(request);
        const Json answer = parse_json_body(r, client.describe(request));
        std::int64_t id = 0;
        if (r.status < 400 && answer.is_object()) id = answer.value("id", static_cast<std::int64_t>(0));
        else if (answer.is_object() && answer.value("code", std::string()) == "term_exists" &&
                 answer.contains("data") && answer["data"].is_object())
            id = answer["data"].value("resource_id", static_cast<std::int64_t>(0));
        if (!id) {
            return "category \"" + prefix + "\" could not be created: " +
                   (answer.is_object() ? decode_html_entities(answer.value("message", std::string("HTTP ") + std::to_string(r.status)))
                                       : "HTTP " + std::to_string(r.status));
        }
        terms.index.category_ids[prefix] = id;
        parent = id;
    }
    return {};
}

std::int64_t json_int(const Json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number()) return static_cast<std::int64_t>(v.get<double>());
    return 0;
}

// ---------------------------------------------------------------------------
// Export

struct ExportItem {
    std::int64_t product_id = 0;
    Json local;
    bool variation = false;
    bool variable = false;
    std::int64_t parent_product_id = 0;
    std::int64_t parent_woo_id = 0;
    std::int64_t woo_id = 0;
    Json last;            // last_exchanged (object or null)
    Json canonical;
    std::vector<std::string> fields;   // what this run sends
    // outcome
    std::string action;   // created, updated, unchanged, failed (empty: pending)
    std::string error;
    Json exchanged;
    std::vector<std::string> sent;
};

struct Op {
    std::size_t item = 0;
    bool create = false;
    std::int64_t id = 0;   // update target
    std::string path;      // batch endpoint
};

class Exporter {
public:
    Exporter(StoreClient& client, const Json& request, const ProgressFn& progress)
        : client_(client), progress_(progress) {
        connection_id_ = request.value("connection_id", static_cast<std::int64_t>(0));
        spec_ = make_export_spec(request.value("fields", std::vector<std::string>{}),
                                 request.value("field_mappings", Json::object()),
                                 request.value("field_types", Json::object()));
        only_changed_ = request.value("only_changed", true);
        batch_size_ = std::clamp(request.value("batch_size", 100), 1, 100);
        const Json& products = request.at("products");
        items_.reserve(products.size());
        for (const auto& p : products) {
            ExportItem it;
            it.local = p.at("product");
            // Exact text of numeric columns (a JSON number would pass
            // through a double).
            if (p.contains("text") && p["text"].is_object())
                for (auto t = p["text"].begin(); t != p["text"].end(); ++t) it.local[t.key()] = t.value();
            it.product_id = json_int(it.local.value("id", Json()));
            it.parent_product_id = json_int(it.local.value("parent_id", Json()));
            it.variation = it.parent_product_id != 0;
            it.variable = it.local.value("type", std::string()) == "variable";
            it.woo_id = json_int(p.value("woo_product_id", Json()));
            it.parent_woo_id = json_int(p.value("parent_woo_id", Json()));
            it.last = p.value("last_exchanged", Json());
            if (!it.last.is_object()) it.last = Json();
            items_.push_back(std::move(it));
        }
    }

    Json run() {
        for (auto& it : items_) {
            it.canonical = canonical_export_values(it.local, spec_, it.variation);
            if (!it.woo_id) {
                it.fields = create_fields(it);
            } else {
                it.fields = only_changed_ ? changed_fields(it.canonical, it.last, spec_.fields) : selected_fields(it);
                if (it.fields.empty()) it.action = "unchanged";
            }
        }
        // A variation needs its parent in the store, from before or from
        // this run; without one it fails before anything is sent.
        std::set<std::int64_t> parents_here;
        for (const auto& it : items_)
            if (!it.variation) parents_here.insert(it.product_id);
        for (auto& it : items_)
            if (it.variation && it.action.empty() && !it.parent_woo_id && !parents_here.count(it.parent_product_id))
                fail(it, missing_parent_error(it));
        prepare_terms();
        // Parents (and simple products) first, then variations under their
        // parent's store id.
        std::vector<Op> ops;
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (!items_[i].variation && items_[i].action.empty()) ops.push_back(op_for(i));
        send(ops, 0);
        std::map<std::int64_t, std::int64_t> parent_woo;
        for (const auto& it : items_)
            if (!it.variation && it.woo_id) parent_woo[it.product_id] = it.woo_id;
        ops.clear();
        for (std::size_t i = 0; i < items_.size(); ++i) {
            auto& it = items_[i];
            if (!it.variation || !it.action.empty()) continue;
            auto pw = parent_woo.find(it.parent_product_id);
            if (pw != parent_woo.end()) it.parent_woo_id = pw->second;
            if (!it.parent_woo_id) {
                fail(it, missing_parent_error(it));
                continue;
            }
            ops.push_back(op_for(i));
        }
        send(ops, 0);
        return answer();
    }

private:
    static std::string missing_parent_error(const ExportItem& it) {
        return "parent product " + std::to_string(it.parent_product_id) +
               " is not in the store yet: export it first (or together with its variations)";
    }

    // What a create sends (name, sku and the selected fields); an adopted
    // product (its create met its own SKU) is sent the same as an update.
    std::vector<std::string> create_fields(const ExportItem& it) const { return present(it, spec_.create_fields); }
    // What an update sends with only_changed => false.
    std::vector<std::string> selected_fields(const ExportItem& it) const { return present(it, spec_.fields); }

    static std::vector<std::string> present(const ExportItem& it, const std::vector<std::string>& fields) {
        std::vector<std::string> out;
        for (const auto& f : fields)
            if (it.canonical.contains(f)) out.push_back(f);
        return out;
    }

    static bool has(const std::vector<std::string>& v, const char* f) {
        return std::find(v.begin(), v.end(), f) != v.end();
    }

    Op op_for(std::size_t i) const {
        const auto& it = items_[i];
        Op op;
        op.item = i;
        op.create = it.woo_id == 0;
        op.id = it.woo_id;
        op.path = it.variation ? "products/" + std::to_string(it.parent_woo_id) + "/variations/batch" : "products/batch";
        return op;
    }

    // Resolves what the payloads need: price decimals, category ids
    // (creating missing categories), global attribute ids. Only what this
    // run sends is looked up, so an unchanged catalog costs no request.
    void prepare_terms() {
        bool prices = false, categories = false, attributes = false;
        std::set<std::string> paths;
        for (const auto& it : items_) {
            if (!it.action.empty()) continue;
            prices = prices || has(it.fields, "regular_price") || has(it.fields, "sale_price");
            attributes = attributes || (has(it.fields, "attributes") && !it.canonical["attributes"].empty());
            if (has(it.fields, "categories") && !it.variation) {
                categories = true;
                for (const auto& p : it.canonical["categories"]) paths.insert(p.get<std::string>());
            }
        }
        StoreTerms& terms = terms_for(connection_id_);
        if (prices && !terms.decimals_loaded) load_decimals(client_, terms);
        if (attributes && !terms.attributes_loaded) load_attributes(client_, terms);
        if (categories) {
            bool missing = false;
            for (const auto& p : paths) missing = missing || !terms.index.category_ids.count(p);
            if (missing) load_categories(client_, terms);  // fresh view before creating anything
            std::map<std::string, std::string> failed;
            for (const auto& p : paths)
                if (!terms.index.category_ids.count(p)) {
                    const std::string error = create_category_path(client_, terms, p);
                    if (!error.empty()) failed[p] = error;
                }
            for (auto& it : items_) {
                if (!it.action.empty() || it.variation || !has(it.fields, "categories")) continue;
                for (const auto& p : it.canonical["categories"]) {
                    auto f = failed.find(p.get<std::string>());
                    if (f != failed.end()) {
                        fail(it, f->second);
                        break;
                    }
                }
            }
        }
        terms_ = terms.index;
    }

    void fail(ExportItem& it, const std::string& error) {
        it.action = "failed";
        it.error = error;
        if (errors_.size() < 100) errors_.push_back({{"product_id", it.product_id}, {"error", error}});
    }

    Json payload(const ExportItem& it, const Op& op) const {
        const Json image_ids = it.last.is_object() ? it.last.value("_image_ids", Json::object()) : Json::object();
        Json p = build_payload(it.canonical, it.fields, terms_, image_ids, it.variation, it.variable);
        if (!op.create) p["id"] = op.id;
        return p;
    }

    struct Batch {
        std::string path;
        std::vector<Op> creates, updates;
    };

    // round 0 is the first attempt; items whose batch failed as a whole and
    // creates that met their own SKU go again, for at most kMaxRounds.
    static constexpr int kMaxRounds = 4;

    void send(const std::vector<Op>& ops, int round) {
        const bool second_chance = round + 1 < kMaxRounds;
        if (ops.empty()) return;
        std::vector<Batch> batches;
        std::map<std::string, std::size_t> open;  // path -> index of its batch being filled
        for (const auto& op : ops) {
            auto o = open.find(op.path);
            if (o == open.end() || batches[o->second].creates.size() + batches[o->second].updates.size() >=
                                       static_cast<std::size_t>(batch_size_)) {
                batches.push_back({op.path, {}, {}});
                open[op.path] = batches.size() - 1;
                o = open.find(op.path);
            }
            (op.create ? batches[o->second].creates : batches[o->second].updates).push_back(op);
        }
        std::vector<Op> retry;
        const std::size_t per_round = static_cast<std::size_t>(std::max(1, client_.config().transport.concurrency));
        for (std::size_t start = 0; start < batches.size(); start += per_round) {
            const std::size_t end = std::min(batches.size(), start + per_round);
            std::vector<HttpRequest> requests;
            for (std::size_t b = start; b < end; ++b) {
                Json body = Json::object();
                Json creates = Json::array(), updates = Json::array();
                for (const auto& op : batches[b].creates) creates.push_back(payload(items_[op.item], op));
                for (const auto& op : batches[b].updates) updates.push_back(payload(items_[op.item], op));
                if (!creates.empty()) body["create"] = std::move(creates);
                if (!updates.empty()) body["update"] = std::move(updates);
                HttpRequest r = client_.make_request(HttpMethod::Post, batches[b].path, {}, &body);
                // Safe to resend once the store is done with the first
                // attempt: a create that did reach the store meets its own SKU
                // and is adopted, an update is idempotent. Not while it may
                // still be running (a timeout after sending, a gateway's 504):
                // WooCommerce checks a SKU by reading before it inserts, with
                // no unique constraint, so a copy running alongside can create
                // every product twice. Such a batch of creates then fails (the
                // statement on a timeout, its products on a 504; the next run
                // adopts what the store did create).
                r.idempotent = true;
                r.repeat_while_running = batches[b].creates.empty();
                requests.push_back(std::move(r));
            }
            const auto responses = client_.http().perform_all(requests);
            for (std::size_t b = start; b < end; ++b) {
                const HttpResponse& response = responses[b - start];
                Json body;
                std::string request_error;
                try {
                    body = parse_json_body(response, client_.describe(requests[b - start]));
                    if (response.status >= 400)
                        request_error = error_from_response(response, body, client_.describe(requests[b - start])).what();
                } catch (const WooError& e) {
                    request_error = e.what();
                }
                const Batch& batch = batches[b];
                if (!request_error.empty() && second_chance) {
                    // The whole request failed after the transport's own
                    // retries (a 5xx, a 429 storm, a stale OAuth nonce after
                    // a reset connection): send its items once more. Creates
                    // are safe to repeat once the store has finished with
                    // the request: a product that did get created meets its
                    // SKU and is adopted. After a gateway's 504 it may not
                    // have: WooCommerce may still be creating them, and a
                    // second copy would race it past the SKU check.
                    const bool store_may_be_working = response.status == 504;
                    for (const auto& op : batch.creates) {
                        if (store_may_be_working)
                            fail(items_[op.item], request_error +
                                                      " (HTTP 504, not sent again: the store may still be creating it; "
                                                      "the next export adopts it by SKU)");
                        else
                            retry.push_back(op);
                    }
                    for (const auto& op : batch.updates) retry.push_back(op);
                    ++batches_sent_;
                    continue;
                }
                const auto outcomes =
                    interpret_batch(response.status, body, batch.creates.size(), batch.updates.size(), request_error);
                for (std::size_t k = 0; k < outcomes.size(); ++k) {
                    const Op& op = k < batch.creates.size() ? batch.creates[k] : batch.updates[k - batch.creates.size()];
                    apply(op, outcomes[k], second_chance, retry);
                }
                ++batches_sent_;
                items_sent_ += batch.creates.size() + batch.updates.size();
            }
            if (progress_)
                progress_("woocommerce export: batch " + std::to_string(end) + " of " + std::to_string(batches.size()) +
                          (round == 0 ? "" : " (round " + std::to_string(round + 1) + ")") + ", " +
                          std::to_string(items_sent_) +
                          " products sent");
        }
        if (!retry.empty()) {
            resolve_adoptions(retry);
            send(retry, round + 1);
        }
    }

    void apply(const Op& op, const BatchOutcome& o, bool second_chance, std::vector<Op>& retry) {
        ExportItem& it = items_[op.item];
        if (o.ok) {
            const bool adopted = it.action == "adopting";
            it.woo_id = o.woo_id;
            it.action = op.create ? "created" : "updated";
            if (adopted) it.action = "updated";
            it.sent = it.fields;
            it.exchanged = merge_exchanged(adopted ? Json() : it.last, it.canonical, it.fields);
            const Json previous_ids = it.last.is_object() ? it.last.value("_image_ids", Json::object()) : Json::object();
            it.exchanged["_image_ids"] = image_ids_after_write(
                previous_ids, has(it.fields, "images") ? it.canonical["images"] : Json::array(), o.object, it.variation);
            if (o.object.contains("date_modified_gmt")) it.exchanged["date_modified_gmt"] = o.object["date_modified_gmt"];
            return;
        }
        if (second_chance && op.create && is_duplicate_sku_error(o.error_code)) {
            // The SKU exists in the store (an earlier run that did not
            // record its result, or a product made there): adopt it and
            // send everything as an update.
            it.action = "adopting";
            it.woo_id = o.resource_id;
            it.fields = create_fields(it);
            Op next = op;
            next.create = false;
            next.id = o.resource_id;
            retry.push_back(next);
            return;
        }
        if (second_chance && !op.create &&
            (o.error_code == "woocommerce_rest_product_invalid_id" ||
             o.error_code == "woocommerce_rest_product_variation_invalid_id")) {
            // Deleted in the store since the last export: create it again.
            it.woo_id = 0;
            it.last = Json();
            it.fields = create_fields(it);
            Op next = op;
            next.create = true;
            next.id = 0;
            retry.push_back(next);
            return;
        }
        fail(it, o.error.empty() ? "failed" : o.error);
    }

    // Adoptions without data.resource_id: find the owners of the SKUs.
    void resolve_adoptions(std::vector<Op>& retry) {
        std::vector<std::size_t> unknown;
        for (std::size_t i = 0; i < retry.size(); ++i)
            if (!retry[i].create && retry[i].id == 0) unknown.push_back(i);
        if (unknown.empty()) return;
        std::map<std::string, std::int64_t> owner;
        std::vector<HttpRequest> requests;
        for (std::size_t s = 0; s < unknown.size(); s += 50) {
            std::string skus;
            for (std::size_t k = s; k < std::min(unknown.size(), s + 50); ++k) {
                const auto& it = items_[retry[unknown[k]].item];
                skus += (skus.empty() ? "" : ",") + it.canonical.value("sku", std::string());
            }
            requests.push_back(client_.make_request(HttpMethod::Get, "products",
                                                    {{"sku", skus}, {"per_page", "100"}, {"context", "edit"}}));
        }
        const auto responses = client_.http().perform_all(requests);
        for (std::size_t r = 0; r < responses.size(); ++r) {
            const Json body = checked_body(client_, requests[r], responses[r]);
            if (body.is_array())
                for (const auto& p : body)
                    if (p.is_object()) owner[p.value("sku", std::string())] = p.value("id", static_cast<std::int64_t>(0));
        }
        std::vector<Op> kept;
        for (auto& op : retry) {
            if (!op.create && op.id == 0) {
                auto& it = items_[op.item];
                auto o = owner.find(it.canonical.value("sku", std::string()));
                if (o == owner.end() || !o->second) {
                    fail(it, "the store refused the SKU but no product with it was found");
                    continue;
                }
                op.id = o->second;
                it.woo_id = o->second;
            }
            kept.push_back(op);
        }
        retry = std::move(kept);
    }

    Json answer() const {
        Json results = Json::array();
        std::size_t created = 0, updated = 0, unchanged = 0, failed = 0;
        for (const auto& it : items_) {
            Json r = {{"product_id", it.product_id},
                      {"woo_product_id", it.woo_id ? Json(it.woo_id) : Json()},
                      {"action", it.action},
                      {"fields", it.action == "unchanged" ? Json::array() : Json(it.fields)},
                      {"error", it.error.empty() ? Json() : Json(it.error)},
                      {"exchanged", it.exchanged.is_object() ? it.exchanged : Json()}};
            if (it.action == "created") ++created;
            else if (it.action == "updated") ++updated;
            else if (it.action == "unchanged") ++unchanged;
            else ++failed;
            results.push_back(std::move(r));
        }
        const auto& stats = client_.http().stats();
        return {{"results", results},      {"requests", stats.requests}, {"bytes", stats.bytes_received},
                {"errors", errors_},       {"created", created},         {"updated", updated},
                {"unchanged", unchanged},  {"failed", failed},           {"batches", batches_sent_}};
    }

    StoreClient& client_;
    const ProgressFn& progress_;
    std::int64_t connection_id_ = 0;
    ExportSpec spec_;
    bool only_changed_ = true;
    int batch_size_ = 100;
    std::vector<ExportItem> items_;
    TermIndex terms_;
    Json errors_ = Json::array();
    std::size_t batches_sent_ = 0;
    std::size_t items_sent_ = 0;
};

// ---------------------------------------------------------------------------
// Import

std::vector<QueryParam> list_query(const Json& request) {
    std::vector<QueryParam> q = {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"}};
    const Json& after = request.value("modified_after", Json());
    if (after.is_string() && !after.get<std::string>().empty()) {
        q.push_back({"modified_after", after.get<std::string>()});
        q.push_back({"dates_are_gmt", "true"});
    }
    return q;
}

}  // namespace

Json run_export(StoreClient& client, const Json& request, const ProgressFn& progress) {
    client.http().reset_stats();
    Exporter exporter(client, request, progress);
    return exporter.run();
}

Json run_import(StoreClient& client, const Json& request, const ProgressFn& progress) {
    client.http().reset_stats();
    ImportSpec spec;
    spec.connection_id = request.value("connection_id", static_cast<std::int64_t>(0));
    spec.attribute_mappings = request.value("attribute_mappings", Json::object());
    spec.field_mappings = request.value("field_mappings", Json::object());
    const std::size_t per_round = static_cast<std::size_t>(std::max(1, client.config().transport.concurrency));

    // Products, in pages of 100 in id order; several pages in flight.
    std::vector<Json> products;
    auto take = [&](const HttpRequest& req, const HttpResponse& resp) {
        Json body = checked_body(client, req, resp);
        if (body.is_array())
            for (auto& p : body) products.push_back(std::move(p));
    };
    std::vector<HttpRequest> pages;
    std::int64_t pages_total = 0;
    const Json& ids = request.value("woo_product_ids", Json());
    const std::int64_t page_from = json_int(request.value("page_from", Json()));
    const std::int64_t page_count = json_int(request.value("page_count", Json()));
    auto page_request = [&](std::int64_t page) {
        auto q = list_query(request);
        q.push_back({"page", std::to_string(page)});
        return client.make_request(HttpMethod::Get, "products", q);
    };
    if (ids.is_array()) {
        for (std::size_t s = 0; s < ids.size(); s += 100) {
            std::string include;
            for (std::size_t k = s; k < std::min(ids.size(), s + 100); ++k)
                include += (include.empty() ? "" : ",") + std::to_string(json_int(ids[k]));
            auto q = list_query(request);
            q.push_back({"include", include});
            pages.push_back(client.make_request(HttpMethod::Get, "products", q));
        }
    } else if (page_from > 0) {
        // A slice of the pages (CALL woocommerce.sync commits after each).
        for (std::int64_t p = page_from; p < page_from + std::max<std::int64_t>(page_count, 1); ++p)
            pages.push_back(page_request(p));
    } else {
        const HttpRequest first = page_request(1);
        const HttpResponse r = client.http().perform(first);
        take(first, r);
        pages_total = total_pages(r);
        if (progress) progress("woocommerce import: page 1 of " + std::to_string(pages_total));
        for (std::int64_t p = 2; p <= pages_total; ++p) pages.push_back(page_request(p));
    }
    // Rounds of 8 x concurrency pages: the client keeps `concurrency` in
    // flight within a round, so only the round boundaries (progress
    // NOTICEs) wait for the slowest page.
    const std::size_t pages_per_round = per_round * 8;
    for (std::size_t start = 0; start < pages.size(); start += pages_per_round) {
        const std::size_t end = std::min(pages.size(), start + pages_per_round);
        std::vector<HttpRequest> round(pages.begin() + static_cast<long>(start), pages.begin() + static_cast<long>(end));
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            take(round[i], responses[i]);
            if (!ids.is_array()) pages_total = std::max(pages_total, total_pages(responses[i]));
        }
        if (progress)
            progress("woocommerce import: " + std::to_string(products.size()) + " products read (" +
                     std::to_string(end) + " of " + std::to_string(pages.size()) + " requests)");
    }

    // One row per store product (a page boundary that moved during the
    // read can show a product twice), in id order.
    std::map<std::int64_t, Json> by_id;
    for (auto& p : products)
        if (p.is_object() && p.contains("id")) {
            const std::int64_t id = json_int(p["id"]);  // before p is moved from
            by_id[id] = std::move(p);
        }

    // Variations of the variable products.
    std::vector<HttpRequest> var_requests;
    std::vector<std::int64_t> var_parents;
    for (const auto& [id, p] : by_id)
        if (p.value("type", std::string()) == "variable") {
            var_requests.push_back(client.make_request(
                HttpMethod::Get, "products/" + std::to_string(id) + "/variations",
                {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"}, {"page", "1"}}));
            var_parents.push_back(id);
        }
    std::map<std::int64_t, std::vector<Json>> variations;
    for (std::size_t start = 0; start < var_requests.size(); start += per_round * 4) {
        const std::size_t end = std::min(var_requests.size(), start + per_round * 4);
        std::vector<HttpRequest> round(var_requests.begin() + static_cast<long>(start),
                                       var_requests.begin() + static_cast<long>(end));
        const auto responses = client.http().perform_all(round);
        for (std::size_t i = 0; i < round.size(); ++i) {
            const std::int64_t parent = var_parents[start + i];
            Json body = checked_body(client, round[i], responses[i]);
            if (body.is_array())
                for (auto& v : body) variations[parent].push_back(std::move(v));
            // A parent with more than 100 variations: the remaining pages.
            const std::int64_t n = total_pages(responses[i]);
            for (std::int64_t pg = 2; pg <= n; ++pg) {
                const HttpRequest more = client.make_request(
                    HttpMethod::Get, "products/" + std::to_string(parent) + "/variations",
                    {{"per_page", "100"}, {"orderby", "id"}, {"order", "asc"}, {"context", "edit"},
                     {"page", std::to_string(pg)}});
                Json b = checked_body(client, more, client.http().perform(more));
                if (b.is_array())
                    for (auto& v : b) variations[parent].push_back(std::move(v));
            }
        }
    }

    Json rows = Json::array();
    std::string high_water;
    auto add_row = [&](const Json& p, std::int64_t parent) {
        const bool is_variation = parent != 0;
        Json local = local_from_store(p, spec, is_variation);
        const std::string modified = p.value("date_modified_gmt", Json()).is_string() ? p["date_modified_gmt"].get<std::string>() : "";
        if (modified > high_water) high_water = modified;
        const Json sku = local["sku"];
        rows.push_back({{"woo_product_id", json_int(p["id"])},
                        {"parent_woo_id", parent ? Json(parent) : Json()},
                        {"sku", sku},
                        {"date_modified_gmt", modified.empty() ? Json() : Json(modified)},
                        {"exchanged", exchanged_after_import(local, p, is_variation)},
                        {"local", std::move(local)}});
    };
    for (const auto& [id, p] : by_id) {
        add_row(p, 0);
        auto v = variations.find(id);
        if (v != variations.end())
            for (const auto& x : v->second)
                if (x.is_object() && x.contains("id")) add_row(x, id);
    }
    const auto& stats = client.http().stats();
    return {{"rows", rows},
            {"high_water_mark", high_water.empty() ? Json() : Json(high_water)},
            {"total_pages", pages_total},
            {"requests", stats.requests},
            {"bytes", stats.bytes_received}};
}

Json run_delete(StoreClient& client, const Json& request) {
    client.http().reset_stats();
    const std::int64_t id = json_int(request.value("woo_product_id", Json()));
    const std::int64_t parent = json_int(request.value("parent_woo_id", Json()));
    // Variations cannot be trashed (501 woocommerce_rest_trash_not_supported).
    const bool force = request.value("force", false) || parent != 0;
    const std::string path =
        parent ? "products/" + std::to_string(parent) + "/variations/" + std::to_string(id) : "products/" + std::to_string(id);
    const HttpRequest req = client.make_request(HttpMethod::Delete, path, {{"force", force ? "true" : "false"}});
    const HttpResponse resp = client.http().perform(req);
    const Json body = parse_json_body(resp, client.describe(req));
    Json out = {{"action", force ? "deleted" : "trashed"}, {"status", resp.status}, {"note", Json()}};
    const std::string code = body.is_object() ? body.value("code", std::string()) : std::string();
    if (resp.status == 410 && code == "woocommerce_rest_already_trashed") {
        out["note"] = "already in the store's trash";
    } else if (resp.status == 404 || code == "woocommerce_rest_product_invalid_id" ||
               code == "woocommerce_rest_product_variation_invalid_id") {
        out["action"] = "deleted";
        out["note"] = "not in the store any more";
    } else if (resp.status >= 400) {
        throw error_from_response(resp, body, client.describe(req));
    }
    const auto& stats = client.http().stats();
    out["requests"] = stats.requests;
    out["bytes"] = stats.bytes_received;
    return out;
}

void forget_store_terms(std::int64_t connection_id) {
    if (connection_id == 0) term_cache().clear();
    else term_cache().erase(connection_id);
}

}  // namespace wcfdw::sync
