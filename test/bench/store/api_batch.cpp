// POST products/batch and products/<id>/variations/batch (woostore_lib/api.py
// batch()): always HTTP 200, one answer per item in request order, failed
// items as {"id", "error": {code, message, data}}.
#include "api.hpp"
#include "item_fields.hpp"
#include "product_writer.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

constexpr std::size_t kBatchLimit = 100;

// crud._int_id(): PHP's (int) of a batch id (numeric strings and floats
// truncate, a non-empty array is 1, everything else 0).
std::int64_t int_id(const Json& v) {
    if (v.is_array() || v.is_object()) return v.empty() ? 0 : 1;
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number()) return v.is_number_integer() ? v.get<std::int64_t>() : static_cast<std::int64_t>(v.get<double>());
    if (v.is_string()) {
        const auto f = price_decimal(v.get<std::string>());
        return f ? static_cast<std::int64_t>(*f) : 0;
    }
    return 0;
}

std::string collection_route_key(Resource r) {
    return r == Resource::Variations ? "/wc/v3/products/(?P<product_id>[\\d]+)/variations" : "/wc/v3/products";
}

Json failed(const Json& id, const WpError& e) { return Json{{"id", id}, {"error", e.body()}}; }

// The item schema's defaults, which batch_items() gives every create (no
// item is validated or sanitised against the endpoint's args).
Json create_defaults(const SchemaRules& rules, Resource r) {
    Json defaults = Json::object();
    const Json& schema = rules.route_schema(collection_route_key(r));
    if (schema.is_object() && schema.contains("properties"))
        for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it)
            if (it.value().contains("default")) defaults[it.key()] = it.value()["default"];
    return defaults;
}

void render(std::string& out, const Catalog& c, const std::string& base, const Post& p) {
    const ProductFacts facts(c, c.now());
    if (p.is_variation) append_variation(out, {facts, base}, p);
    else append_product(out, {facts, base}, p, all_product_fields());
}

}  // namespace

void Api::batch_create(Call& call, const ItemFields& data, std::string& out) {
    const Resource r = call.route.resource;
    const Time now = catalog_.now();
    if (r == Resource::Products) {
        if (truthy(data["id"])) throw WpError("woocommerce_rest_product_exists", "Cannot create existing product.", 400);
        return render(out, catalog_, call.req.base, write_product(catalog_, nullptr, data, now));
    }
    if (truthy(data["id"]))
        throw WpError("woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400);
    Post scratch;
    parent_or_404(call, scratch);
    render(out, catalog_, call.req.base, write_variation(catalog_, call.route.parent_id, nullptr, data, now));
}

void Api::batch_update(Call& call, const ItemFields& data, std::string& out) {
    const Resource r = call.route.resource;
    const std::int64_t id = int_id(data["id"]);
    Post scratch;
    const Post* existing = catalog_.post(id, scratch);
    const Time now = catalog_.now();
    if (r == Resource::Products) {
        if (!existing) throw WpError("woocommerce_rest_product_invalid_id", "Invalid ID.", 400);
        if (existing->is_variation)
            throw WpError("woocommerce_rest_invalid_product_id",
                          "To manipulate product variations you should use the "
                          "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
                          404);
        return render(out, catalog_, call.req.base, write_product(catalog_, existing, data, now));
    }
    if (!existing || !existing->is_variation || existing->parent_id != call.route.parent_id)
        throw WpError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 400);
    const Post before = *existing;
    render(out, catalog_, call.req.base, write_variation(catalog_, before.parent_id, &before, data, now));
}

void Api::batch_delete(Call& call, std::int64_t id, std::string& out) {
    const Resource r = call.route.resource;
    Post scratch;
    const Post* existing = catalog_.post(id, scratch);
    if (r == Resource::Products) {
        if (!existing) throw WpError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404);
        if (existing->is_variation)
            throw WpError("woocommerce_rest_invalid_product_id",
                          "To manipulate product variations you should use the "
                          "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
                          404);
    } else if (!existing || !existing->is_variation || existing->parent_id != call.route.parent_id) {
        throw WpError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 404);
    }
    const Post gone = *existing;
    render(out, catalog_, call.req.base, gone);
    delete_post_forced(catalog_, gone);
    if (gone.is_variation) {
        Post parent_scratch;
        if (const Post* parent = catalog_.post(gone.parent_id, parent_scratch)) {
            Post bumped = *parent;
            bumped.date_modified = catalog_.now();
            catalog_.put_post(bumped);
        }
    }
}

ApiResponse Api::batch(Call& call, const Json& body) {
    const Resource r = call.route.resource;
    if (r != Resource::Products && r != Resource::Variations) throw unsupported("POST " + call.route.template_name);
    std::size_t total = 0;
    for (const char* k : {"create", "update", "delete"})
        if (body.contains(k) && body[k].is_array()) total += body[k].size();
    if (total > kBatchLimit)
        throw WpError("woocommerce_rest_request_entity_too_large",
                      "Unable to accept more than " + std::to_string(kBatchLimit) + " items for this request.", 413);
    if (r == Resource::Variations) {
        Post scratch;
        parent_or_404(call, scratch);
    }
    call.outcome.items = Json::object();
    // Answers are rendered straight into the body, in request order; a failed
    // item's partial output (none: writes fail before rendering) is cut.
    std::string out = "{";
    out.reserve(total * 2800 + 64);
    Json error_id;  // the id a failed item's answer names
    auto section = [&](const char* name, const Json& items, auto&& answer) {
        if (out.size() > 1) out += ',';
        append_json_string(out, name);
        out += ":[";
        std::size_t count = 0;
        for (const auto& item : items) {
            const std::size_t mark = out.size();
            if (count) out += ',';
            const std::size_t start = out.size();
            try {
                if (!answer(item)) {  // skipped
                    out.resize(mark);
                    continue;
                }
            } catch (const WpError& e) {
                out.resize(start);
                append_json_value(out, failed(error_id, e));
            }
            ++count;
        }
        out += ']';
        call.outcome.items[name] = count;
    };
    auto list = [&](const char* k) { return body.contains(k) && body[k].is_array() && !body[k].empty(); };
    if (list("create")) {
        const Json defaults = create_defaults(rules_, r);
        section("create", body["create"], [&](const Json& item) {
            error_id = 0;
            batch_create(call, ItemFields(item, &defaults), out);
            return true;
        });
    }
    if (list("update")) {
        section("update", body["update"], [&](const Json& raw) {
            static const Json none = Json::object();
            const Json& item = raw.is_object() ? raw : none;
            error_id = item.contains("id") ? item["id"] : Json();  // a failed update names the id as sent
            batch_update(call, ItemFields(item), out);
            return true;
        });
    }
    if (list("delete")) {
        section("delete", body["delete"], [&](const Json& raw) {
            const std::int64_t iid = int_id(raw);  // (int) of each entry; 0 is skipped
            if (iid == 0) return false;
            error_id = iid;
            batch_delete(call, iid, out);
            return true;
        });
    }
    return json_response(200, out.size() > 1 ? out + "}" : "[]");
}

}  // namespace benchstore
