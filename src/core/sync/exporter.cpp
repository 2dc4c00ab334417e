#include "core/sync/exporter.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/sync/conflicts.hpp"
#include "core/sync/store_terms.hpp"
#include "core/sync/sync_model.hpp"
#include "core/woo/store_rules.hpp"

namespace wcfdw::sync {
namespace {

struct ExportItem {
    std::string key;          // the local row's key (text), unique in the run
    std::int64_t product_id = 0;  // woocommerce.product's id (legacy requests), else 0
    Json local;
    bool variation = false;
    bool variable = false;
    std::string parent_key;   // the parent row's key; non-empty for variations
    std::int64_t parent_woo_id = 0;
    std::int64_t woo_id = 0;
    Json last;            // last_exchanged (object or null)
    Json canonical;
    std::vector<std::string> fields;   // what this run sends
    // outcome
    std::string action;   // created, updated, unchanged, failed (empty: pending)
    std::string error;
    std::string warning;  // what the store did not keep as sent, or did not apply
    bool drifted = false; // the store holds other values than sent: send again next time
    Json exchanged;
    Json payload;         // the body last sent for this product
    std::vector<std::string> sent;
    bool in_conflict = false;  // a conflict recorded earlier, not resolved yet
    Json conflict;             // a conflict found now: both versions
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
        field_types_ = request.value("field_types", Json::object());
        only_changed_ = request.value("only_changed", true);
        conflict_policy_ = request.value("conflict_policy", std::string("pim_wins"));
        batch_size_ = std::clamp(request.value("batch_size", 100), 1, 100);
        // Which part of a run this request is (the SQL side hands a long
        // export over in chunks): for the progress NOTICEs only.
        const Json chunk = request.value("chunk", Json::object());
        if (chunk.is_object()) {
            chunk_index_ = json_int(chunk.value("index", Json()));
            chunk_count_ = json_int(chunk.value("count", Json()));
            rows_before_ = json_int(chunk.value("rows_before", Json()));
            rows_total_ = json_int(chunk.value("rows_total", Json()));
        }
        const Json& products = request.at("products");
        items_.reserve(products.size());
        for (const auto& p : products) {
            ExportItem it;
            it.local = p.at("product");
            // Exact text of numeric columns (a JSON number would pass
            // through a double).
            if (p.contains("text") && p["text"].is_object())
                for (auto t = p["text"].begin(); t != p["text"].end(); ++t) it.local[t.key()] = t.value();
            if (p.contains("key")) {
                it.key = text_of(p["key"]);
                it.parent_key = text_of(p.value("parent_key", Json()));
            } else {  // a row of woocommerce.product, by id
                it.product_id = json_int(it.local.value("id", Json()));
                it.key = std::to_string(it.product_id);
                const std::int64_t parent = json_int(it.local.value("parent_id", Json()));
                if (parent) it.parent_key = std::to_string(parent);
            }
            it.variation = !it.parent_key.empty();
            it.variable = it.local.value("type", std::string()) == "variable";
            it.woo_id = json_int(p.value("woo_product_id", Json()));
            it.parent_woo_id = json_int(p.value("parent_woo_id", Json()));
            it.in_conflict = p.contains("in_conflict") && p["in_conflict"].is_boolean() && p["in_conflict"].get<bool>();
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
            // A recorded conflict waits for resolve_conflict (policy manual).
            if (it.in_conflict && conflict_policy_ == "manual" && it.action.empty()) it.action = "conflict";
        }
        if (conflict_policy_ != "pim_wins") detect_conflicts();
        // A variation needs its parent in the store, from before or from
        // this run; without one it fails before anything is sent.
        std::set<std::string> parents_here;
        for (const auto& it : items_)
            if (!it.variation) parents_here.insert(it.key);
        for (auto& it : items_)
            if (it.variation && it.action.empty() && !it.parent_woo_id && !parents_here.count(it.parent_key))
                fail(it, missing_parent_error(it));
        prepare_terms();
        // Parents (and simple products) first, then variations under their
        // parent's store id.
        std::vector<Op> ops;
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (!items_[i].variation && items_[i].action.empty()) ops.push_back(op_for(i));
        send(ops, 0);
        std::map<std::string, std::int64_t> parent_woo;
        for (const auto& it : items_)
            if (!it.variation && it.woo_id) parent_woo[it.key] = it.woo_id;
        ops.clear();
        for (std::size_t i = 0; i < items_.size(); ++i) {
            auto& it = items_[i];
            if (!it.variation || !it.action.empty()) continue;
            auto pw = parent_woo.find(it.parent_key);
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
        return "parent product " + it.parent_key +
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

    // Fields whose store values need the store's terms or media to compare.
    static bool is_term_field(const std::string& f) {
        return f == "categories" || f == "tags" || f == "images" || f == "attributes" || f == "meta_data";
    }

    static bool has(const std::vector<std::string>& v, const char* f) {
        return std::find(v.begin(), v.end(), f) != v.end();
    }

    // "woocommerce export: batch 3 of 3, 250 products sent", with the chunk
    // and the run's totals when the run comes in several chunks.
    std::string progress_line(std::size_t done, std::size_t total, int round) const {
        const bool chunked = chunk_count_ > 1;
        std::string line = "woocommerce export: ";
        if (chunked) line += "chunk " + std::to_string(chunk_index_) + " of " + std::to_string(chunk_count_) + ", ";
        line += "batch " + std::to_string(done) + " of " + std::to_string(total);
        if (round > 0) line += " (round " + std::to_string(round + 1) + ")";
        line += ", " + std::to_string(static_cast<std::size_t>(rows_before_) + items_sent_);
        if (chunked) line += " of " + std::to_string(rows_total_);
        return line + " products sent";
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

    // Products changed in the store since the last exchange, and locally
    // (they have fields to send): store_wins skips them (the next import
    // takes the store's values), manual records both versions and waits.
    // One list request per 100 products; none when nothing qualifies.
    void detect_conflicts() {
        std::vector<std::size_t> candidates;
        std::vector<StoreRef> refs;
        for (std::size_t i = 0; i < items_.size(); ++i) {
            const auto& it = items_[i];
            if (!it.action.empty() || !it.woo_id || it.fields.empty() || !it.last.is_object() ||
                !it.last.contains("date_modified_gmt"))
                continue;
            candidates.push_back(i);
            refs.push_back({it.woo_id, it.variation ? it.parent_woo_id : 0});
        }
        if (candidates.empty()) return;
        StoreTerms& terms = terms_for(connection_id_);
        if (has(spec_.fields, "categories") && !terms.categories_loaded) load_categories(client_, terms);
        if (has(spec_.fields, "attributes") && !terms.attributes_loaded) load_attributes(client_, terms);
        std::vector<std::string> members = spec_.fields;
        if (has(members, "images")) members.push_back("image");
        const auto current = read_current_versions(client_, refs, members);
        for (const std::size_t i : candidates) {
            auto& it = items_[i];
            const auto o = current.find(it.woo_id);
            if (o == current.end()) continue;  // gone from the store: the export creates it again
            const auto changed = changed_in_store(it.last, spec_.fields, o->second, terms.index, it.variation, it.variable);
            if (changed.empty()) continue;
            std::string what;
            for (const auto& f : changed) what += (what.empty() ? "" : ", ") + f;
            if (conflict_policy_ == "store_wins") {
                it.action = "skipped";
                it.warning = "changed in the store since the last exchange (" + what +
                             "): conflict_policy store_wins skips it; the next import takes the store's values";
                continue;
            }
            it.action = "conflict";
            it.warning = "changed on both sides since the last exchange (" + what +
                         "): conflict_policy manual keeps it until woocommerce.resolve_conflict";
            Json local = Json::object(), store = Json::object();
            for (const auto& f : spec_.fields) {
                if (it.canonical.contains(f)) local[f] = it.canonical[f];
                store[f] = store_canonical_value(f, o->second, field_types_, it.variation);
            }
            it.conflict = {{"fields", changed},
                           {"local", local},
                           {"store", store},
                           {"store_modified", o->second.value("date_modified_gmt", Json())}};
        }
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
        bool missing = false;
        for (const auto& p : paths) missing = missing || !terms.index.category_ids.count(p);
        if (prices && !terms.decimals_loaded && !missing) load_decimals(client_, terms);
        if (attributes && !terms.attributes_loaded) load_attributes(client_, terms);
        // Fresh categories before creating anything; with the decimals in
        // the same round trip when both are needed (one latency, not two).
        if (missing && prices && !terms.decimals_loaded) load_decimals_and_categories(client_, terms);
        else if (missing) load_categories(client_, terms);
        if (categories) {
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
        if (errors_.size() < 100) errors_.push_back({{"key", it.key}, {"error", error}});
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
        // Every batch in one perform_all: `concurrency` requests stay in
        // flight until the last one is sent (rounds would wait for their
        // slowest request each time). The chunk of rows the SQL side hands
        // over bounds how many are prepared at once.
        {
            const std::size_t start = 0, end = batches.size();
            std::vector<HttpRequest> requests;
            for (std::size_t b = start; b < end; ++b) {
                Json body = Json::object();
                Json creates = Json::array(), updates = Json::array();
                for (const auto& op : batches[b].creates) creates.push_back(items_[op.item].payload = payload(items_[op.item], op));
                for (const auto& op : batches[b].updates) updates.push_back(items_[op.item].payload = payload(items_[op.item], op));
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
                    body = parse_json_body(response, client_.describe(requests[b - start]), client_.secrets());
                    if (response.status >= 400)
                        request_error = error_from_response(response, body, client_.describe(requests[b - start]),
                                                            client_.secrets()).what();
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
            if (progress_) progress_(progress_line(end, batches.size(), round));
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
            record_store_answer(it, o.object);
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

    // What the store answered, not what was sent: a field the store dropped
    // or changed keeps the store's value in last_exchanged (so the next
    // export sends it again) and is reported as the product's warning; a
    // sale price the store keeps without applying it is reported too.
    // Fields this write did not send are compared too where the answer can
    // be read without the store's terms (not categories, tags, images,
    // attributes or meta data): a value changed in the store since the last
    // exchange (manage_stock turned off there) is recorded as the store's,
    // so the next export sends the local value again.
    void record_store_answer(ExportItem& it, const Json& object) {
        const auto unkept = unkept_members(it.payload, object);
        for (const auto& u : unkept) {
            const std::string field = u.member == "image" ? "images" : u.member;
            it.exchanged[field] = store_canonical_value(field, object, field_types_, it.variation);
        }
        std::vector<std::string> unsent;  // selected (an update compares them), not sent now
        for (const auto& f : spec_.fields)
            if (it.canonical.contains(f) && !has(it.fields, f.c_str()) && !is_term_field(f)) unsent.push_back(f);
        const Json image_ids = it.last.is_object() ? it.last.value("_image_ids", Json::object()) : Json::object();
        const Json local = build_payload(it.canonical, unsent, terms_, image_ids, it.variation, it.variable);
        const auto changed_there = unkept_members(local, object);
        for (const auto& u : changed_there)
            it.exchanged[u.member] = store_canonical_value(u.member, object, field_types_, it.variation);
        it.drifted = !unkept.empty() || !changed_there.empty();
        it.warning = describe_unkept(unkept);
        if (!changed_there.empty())
            it.warning += (it.warning.empty() ? "" : "; ") + describe_unkept(changed_there, "the store holds other values for",
                                                                              "local");
        const std::string sale = sale_not_applied(it.payload, object);
        if (!sale.empty()) it.warning += (it.warning.empty() ? "" : "; ") + sale;
        if (!it.warning.empty() && warnings_.size() < 100)
            warnings_.push_back({{"key", it.key}, {"warning", it.warning}});
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
        std::size_t created = 0, updated = 0, unchanged = 0, failed = 0, skipped = 0, warned = 0;
        for (const auto& it : items_) {
            Json r = {{"key", it.key},
                      {"product_id", it.product_id ? Json(it.product_id) : Json()},
                      {"woo_product_id", it.woo_id ? Json(it.woo_id) : Json()},
                      {"action", it.action},
                      {"fields", it.action == "unchanged" ? Json::array() : Json(it.fields)},
                      {"error", it.error.empty() ? Json() : Json(it.error)},
                      {"warning", it.warning.empty() ? Json() : Json(it.warning)},
                      {"drifted", it.drifted},
                      {"conflict", it.conflict.is_object() ? it.conflict : Json()},
                      {"exchanged", it.exchanged.is_object() ? it.exchanged : Json()}};
            if (!it.warning.empty()) ++warned;
            if (it.action == "created") ++created;
            else if (it.action == "updated") ++updated;
            else if (it.action == "unchanged") ++unchanged;
            else if (it.action == "skipped" || it.action == "conflict") ++skipped;
            else ++failed;
            results.push_back(std::move(r));
        }
        const auto& stats = client_.http().stats();
        return {{"results", results},      {"requests", stats.requests}, {"bytes", stats.bytes_received},
                {"errors", errors_},       {"created", created},         {"updated", updated},
                {"unchanged", unchanged},  {"failed", failed},           {"batches", batches_sent_},
                {"warnings", warnings_},   {"warned", warned},           {"skipped", skipped}};
    }

    StoreClient& client_;
    const ProgressFn& progress_;
    std::int64_t connection_id_ = 0;
    ExportSpec spec_;
    bool only_changed_ = true;
    std::string conflict_policy_ = "pim_wins";
    int batch_size_ = 100;
    std::vector<ExportItem> items_;
    TermIndex terms_;
    Json errors_ = Json::array();
    Json warnings_ = Json::array();
    Json field_types_ = Json::object();
    std::size_t batches_sent_ = 0;
    std::size_t items_sent_ = 0;
    std::int64_t chunk_index_ = 0, chunk_count_ = 0, rows_before_ = 0, rows_total_ = 0;
};

}  // namespace

Json export_products(StoreClient& client, const Json& request, const ProgressFn& progress) {
    Exporter exporter(client, request, progress);
    return exporter.run();
}

}  // namespace wcfdw::sync
