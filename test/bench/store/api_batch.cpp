// POST products/batch and products/<id>/variations/batch (woostore_lib/api.py
// batch()): always HTTP 200, one answer per item in request order, failed
// items as {"id", "error": {code, message, data}}.
#include "api.hpp"
#include "product_writer.hpp"
#include "wp_error.hpp"

namespace benchstore {
namespace {

constexpr std::size_t kBatchLimit = 100;

std::string item_route_key(Resource r) {
    return r == Resource::Variations ? "/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)"
                                     : "/wc/v3/products/(?P<id>[\\d]+)";
}

std::string collection_route_key(Resource r) {
    return r == Resource::Variations ? "/wc/v3/products/(?P<product_id>[\\d]+)/variations" : "/wc/v3/products";
}

Json failed(std::int64_t id, const WpError& e) { return Json{{"id", id}, {"error", e.body()}}; }

std::string rendered(const Catalog& c, const std::string& base, const Post& p) {
    const ProductFacts facts(c, c.now());
    std::string out;
    if (p.is_variation) append_variation(out, {facts, base}, p);
    else append_product(out, {facts, base}, p, all_product_fields());
    return out;
}

}  // namespace

Api::PreparedBatch Api::prepare_batch(const Call& call, const Json& body) const {
    const Resource r = call.route.resource;
    PreparedBatch out;
    auto list = [&](const char* k) { return body.contains(k) && body[k].is_array() && !body[k].empty(); };
    auto validated = [&](BatchItem& item, const Json& raw, const RouteArgs& args) {
        try {
            item.data = rules_.validate(raw.is_object() ? raw : Json::object(), args, false);
        } catch (const WpError& e) {
            item.error = e;
        }
    };
    if (list("create")) {
        const RouteArgs& args = rules_.route_args(collection_route_key(r), "POST");
        for (const auto& raw : body["create"]) validated(out.create.emplace_back(), raw, args);
    }
    if (list("update")) {
        const RouteArgs& args = rules_.route_args(item_route_key(r), "POST");
        for (const auto& raw : body["update"]) {
            BatchItem& item = out.update.emplace_back();
            const Json id = raw.is_object() ? raw.value("id", Json()) : Json();
            item.id_given = !id.is_null();
            try {
                item.id = truthy(id) ? py_int(id) : 0;
            } catch (...) {
            }
            validated(item, raw, args);
        }
    }
    if (list("delete")) out.deletes = body["delete"];
    return out;
}

Json Api::batch_create(Call& call, const BatchItem& item) {
    const Resource r = call.route.resource;
    if (item.error) throw *item.error;
    const Json& data = item.data;
    const Time now = catalog_.now();
    if (r == Resource::Products) {
        if (truthy(data.value("id", Json()))) throw WpError("woocommerce_rest_product_exists", "Cannot create existing product.", 400);
        return Json(rendered(catalog_, call.req.base, write_product(catalog_, nullptr, data, now)));
    }
    if (truthy(data.value("id", Json())))
        throw WpError("woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400);
    Post scratch;
    parent_or_404(call, scratch);
    return Json(rendered(catalog_, call.req.base, write_variation(catalog_, call.route.parent_id, nullptr, data, now)));
}

Json Api::batch_update(Call& call, const BatchItem& item) {
    const Resource r = call.route.resource;
    if (item.error) throw *item.error;
    const Json& data = item.data;
    const std::int64_t id = item.id;
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
        return Json(rendered(catalog_, call.req.base, write_product(catalog_, existing, data, now)));
    }
    if (!existing || !existing->is_variation || existing->parent_id != call.route.parent_id)
        throw WpError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 400);
    const Post before = *existing;
    return Json(rendered(catalog_, call.req.base, write_variation(catalog_, before.parent_id, &before, data, now)));
}

Json Api::batch_delete(Call& call, std::int64_t id) {
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
    Json out(rendered(catalog_, call.req.base, gone));
    delete_post_forced(catalog_, gone);
    if (gone.is_variation) {
        Post parent_scratch;
        if (const Post* parent = catalog_.post(gone.parent_id, parent_scratch)) {
            Post bumped = *parent;
            bumped.date_modified = catalog_.now();
            catalog_.put_post(bumped);
        }
    }
    return out;
}

ApiResponse Api::batch(Call& call, const Json& body, const PreparedBatch& items) {
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
    // Each answer is kept as its rendered text (a string holding JSON) and
    // spliced in below, so items are rendered once, by the same code as reads.
    std::string out = "{";
    auto section = [&](const char* name, const std::vector<Json>& answers) {
        if (out.size() > 1) out += ',';
        append_json_string(out, name);
        out += ":[";
        for (std::size_t i = 0; i < answers.size(); ++i) {
            if (i) out += ',';
            if (answers[i].is_string()) out += answers[i].get<std::string>();
            else append_json_value(out, answers[i]);
        }
        out += ']';
        call.outcome.items[name] = answers.size();
    };
    auto list = [&](const char* k) { return body.contains(k) && body[k].is_array() && !body[k].empty(); };
    if (list("create")) {
        std::vector<Json> answers;
        for (const auto& item : items.create) try {
                answers.push_back(batch_create(call, item));
            } catch (const WpError& e) {
                answers.push_back(failed(0, e));
            }
        section("create", answers);
    }
    if (list("update")) {
        std::vector<Json> answers;
        for (const auto& item : items.update) try {
                answers.push_back(batch_update(call, item));
            } catch (const WpError& e) {
                answers.push_back(failed(item.id_given ? item.id : 0, e));
            }
        section("update", answers);
    }
    if (list("delete")) {
        std::vector<Json> answers;
        for (const auto& raw : items.deletes) {
            const Json id = raw.is_object() ? raw.value("id", Json()) : raw;
            std::int64_t iid = 0;
            try {
                iid = py_int(id);
            } catch (...) {
            }
            try {
                answers.push_back(batch_delete(call, iid));
            } catch (const WpError& e) {
                answers.push_back(failed(iid, e));
            }
        }
        section("delete", answers);
    }
    return json_response(200, out.size() > 1 ? out + "}" : "[]");
}

}  // namespace benchstore
