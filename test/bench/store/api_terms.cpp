// Categories, tags and global attributes (woostore_lib/api.py _list_terms,
// list_attributes, _create for categories).
#include <algorithm>

#include "api.hpp"
#include "product_writer.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

std::vector<const Term*> terms_in_order(const Catalog& c, const std::string& taxonomy, const Json& p) {
    const std::string orderby = p.value("orderby", std::string("name"));
    if (orderby != "id") throw unsupported("term lists ordered by " + orderby + " (the benchmarks order by id)");
    std::vector<const Term*> out;
    for (const auto& [id, t] : c.terms)
        if (t.taxonomy == taxonomy) out.push_back(&t);
    if (p.value("order", std::string("asc")) == "desc") std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace

ApiResponse Api::list_categories(Call& call) {
    const Json& p = call.params;
    only_params(p, {"context", "per_page", "page", "offset", "orderby", "order"}, "GET /products/categories");
    const auto terms = terms_in_order(catalog_, "product_cat", p);
    const auto counts = catalog_.term_counts();
    Headers headers;
    const std::optional<std::int64_t> offset =
        p.contains("offset") ? std::optional<std::int64_t>(py_int(p["offset"])) : std::nullopt;
    const auto [first, last] = paginate(call.req, terms.size(), p.value("per_page", std::int64_t{10}),
                                        p.value("page", std::int64_t{1}), offset, headers);
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body = "[";
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) body += ',';
        auto n = counts.find(terms[i]->id);
        append_category(body, {facts, call.req.base}, *terms[i], n == counts.end() ? 0 : n->second);
    }
    return json_response(200, body + "]", std::move(headers));
}

ApiResponse Api::list_tags(Call& call) {
    const Json& p = call.params;
    only_params(p, {"context", "per_page", "page", "offset", "orderby", "order"}, "GET /products/tags");
    const auto terms = terms_in_order(catalog_, "product_tag", p);
    const auto counts = catalog_.term_counts();
    Headers headers;
    const std::optional<std::int64_t> offset =
        p.contains("offset") ? std::optional<std::int64_t>(py_int(p["offset"])) : std::nullopt;
    const auto [first, last] = paginate(call.req, terms.size(), p.value("per_page", std::int64_t{10}),
                                        p.value("page", std::int64_t{1}), offset, headers);
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body = "[";
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) body += ',';
        auto n = counts.find(terms[i]->id);
        append_tag(body, {facts, call.req.base}, *terms[i], n == counts.end() ? 0 : n->second);
    }
    return json_response(200, body + "]", std::move(headers));
}

ApiResponse Api::list_attributes(Call& call) {
    only_params(call.params, {"context"}, "GET /products/attributes");
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body = "[";
    for (const auto& [id, a] : catalog_.attributes) {
        if (body.size() > 1) body += ',';
        append_attribute(body, {facts, call.req.base}, a);
    }
    return json_response(200, body + "]",
                         {{"X-WP-Total", std::to_string(catalog_.attributes.size())}, {"X-WP-TotalPages", "1"}});
}

ApiResponse Api::create_category(Call& call, const Json&) {
    const Json& data = call.params;
    only_params(data, {"name", "parent", "description", "slug", "menu_order", "display"}, "POST /products/categories");
    const Json name = data.value("name", Json());
    if (!name.is_string() || strip(name.get<std::string>()).empty())
        throw WpError("empty_term_name", "A name is required for this term.", 400);
    const std::int64_t parent = truthy(data.value("parent", Json())) ? py_int(data["parent"]) : 0;
    if (parent) {
        auto t = catalog_.terms.find(parent);
        if (t == catalog_.terms.end() || t->second.taxonomy != "product_cat")
            throw WpError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 404);
    }
    const Term* existing = catalog_.term_by_name("product_cat", name.get<std::string>(), parent);
    const std::string slug_given = truthy(data.value("slug", Json())) ? py_text(data["slug"]) : "";
    const std::string slug = sanitize_title(slug_given.empty() ? name.get<std::string>() : slug_given);
    if (!existing && !slug_given.empty()) existing = catalog_.term_by_slug("product_cat", slug);
    if (existing)
        throw WpError("term_exists", "A term with the name provided already exists with this parent.", 400,
                      Json{{"resource_id", existing->id}});
    Term& t = catalog_.add_term("product_cat", name.get<std::string>(), slug, parent);
    t.description = kses_normalize(truthy(data.value("description", Json())) ? py_text(data["description"]) : "");
    t.menu_order = truthy(data.value("menu_order", Json())) ? py_int(data["menu_order"]) : 0;
    t.display = truthy(data.value("display", Json())) ? py_text(data["display"]) : "default";
    const auto counts = catalog_.term_counts();
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    auto n = counts.find(t.id);
    append_category(body, {facts, call.req.base}, t, n == counts.end() ? 0 : n->second);
    return json_response(201, std::move(body),
                         {{"Location", call.req.base + "/wp-json/wc/v3/products/categories/" + std::to_string(t.id)}});
}

}  // namespace benchstore
