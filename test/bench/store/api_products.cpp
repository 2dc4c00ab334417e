// Products and variations: lists, single objects, creates, updates, deletes
// and batches (woostore_lib/api.py list_products, get_one, _create, _update,
// _delete, batch, list_variations).
#include <algorithm>
#include <set>

#include "api.hpp"
#include "product_writer.hpp"
#include "wp_error.hpp"
#include "wp_text.hpp"

namespace benchstore {
namespace {

WpError invalid_product_id(int status) { return WpError("woocommerce_rest_product_invalid_id", "Invalid ID.", status); }

WpError variation_through_products() {
    return WpError("woocommerce_rest_invalid_product_id",
                   "To manipulate product variations you should use the "
                   "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
                   404);
}

std::vector<std::int64_t> id_list(const Json& v) {
    std::vector<std::int64_t> out;
    if (v.is_array()) {
        for (const auto& x : v) try {
                out.push_back(py_int(x));
            } catch (...) {
            }
    } else if (v.is_string()) {
        for (const auto& s : parse_list(v.get<std::string>())) try {
                out.push_back(py_int(Json(s)));
            } catch (...) {
            }
    }
    return out;
}

// date_bound(): the bound in site time, or as given when it has no offset.
Time date_bound(const Catalog& c, const std::string& raw) {
    std::optional<int> offset;
    const auto t = parse_rest_time(raw, &offset);
    if (!t) throw WpError("rest_invalid_date", "Invalid date.", 400);
    return offset ? c.timezone.to_local(*t - *offset) : *t;
}

// Sorts ids by (key, id), as _sort() does; "include" keeps the include order.
void sort_ids(std::vector<std::int64_t>& ids, const std::string& orderby, bool desc,
              const std::vector<std::int64_t>& include, const std::function<Time(std::int64_t)>& date_of) {
    if ((orderby == "include" || orderby == "post__in") && !include.empty()) {
        auto pos = [&](std::int64_t id) {
            auto it = std::find(include.begin(), include.end(), id);
            return it == include.end() ? std::ptrdiff_t(1) << 30 : it - include.begin();
        };
        std::stable_sort(ids.begin(), ids.end(), [&](auto a, auto b) { return pos(a) < pos(b); });
        return;
    }
    if (orderby == "date") {
        std::vector<std::pair<Time, std::int64_t>> keyed;
        for (auto id : ids) keyed.push_back({date_of(id), id});
        std::sort(keyed.begin(), keyed.end());
        for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = keyed[i].second;
    } else if (orderby == "id" || orderby == "include" || orderby == "post__in") {
        std::sort(ids.begin(), ids.end());
    } else {
        throw unsupported("orderby=" + orderby);
    }
    if (desc) std::reverse(ids.begin(), ids.end());
}

template <typename Ids>
std::string render_products(const RenderContext& ctx, const Catalog& c, const Ids& ids, std::size_t first,
                            std::size_t last, const FieldMask& mask) {
    std::string body = "[";
    body.reserve((last - first) * (mask.count() > 20 ? 2600 : 64 + mask.count() * 24) + 2);
    Post scratch;
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) body += ',';
        append_product(body, ctx, *c.post(ids.at(i), scratch), mask);
    }
    body += ']';
    return body;
}

std::string cache_key(const ApiRequest& req) {
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& kv : req.query)
        if (kv.first.rfind("oauth_", 0) != 0 && kv.first != "consumer_key" && kv.first != "consumer_secret") kept.push_back(kv);
    std::sort(kept.begin(), kept.end());
    std::string key = req.base + req.route;
    for (const auto& [k, v] : kept) key += "\n" + k + "=" + v;
    return key;
}

}  // namespace

Api::Selection Api::select_products(const Json& p) const {
    const Catalog& c = catalog_;
    if (p.value("status", std::string("any")) != "any") throw unsupported("status filters other than any");
    const bool by_sku = p.contains("sku") && truthy(p["sku"]);
    std::set<std::string> skus;
    if (by_sku) {
        const std::string list = py_text(p["sku"]);
        std::size_t start = 0;
        for (std::size_t comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1)
            skus.insert(strip(list.substr(start, comma - start)));
        skus.insert(strip(list.substr(start)));
    }
    const std::vector<std::int64_t> include = p.contains("include") && truthy(p["include"]) ? id_list(p["include"])
                                                                                            : std::vector<std::int64_t>{};
    const bool gmt = p.contains("dates_are_gmt") && truthy(p["dates_are_gmt"]);
    struct DateFilter {
        bool created, after;
        Time bound;
    };
    std::vector<DateFilter> dates;
    for (auto [param, created, after] : {std::tuple<const char*, bool, bool>{"after", true, true}, {"before", true, false},
                                         {"modified_after", false, true}, {"modified_before", false, false}})
        if (p.contains(param) && truthy(p[param])) dates.push_back({created, after, date_bound(c, py_text(p[param]))});
    Selection selection;
    selection.filtered = by_sku || !include.empty() || !dates.empty();
    const std::string orderby = p.value("orderby", std::string("date"));
    const bool desc = p.value("order", std::string("desc")) == "desc";
    if (!selection.filtered && orderby == "id") {
        selection.ids = c.listed_products();
        selection.reversed = desc;
        return selection;
    }
    std::vector<std::int64_t> ids;
    auto keep = [&](std::int64_t id) {
        const auto b = c.brief(id);
        if (!b || b->status == "trash" || b->status == "auto-draft") return;
        if (b->is_variation && !by_sku) return;
        if (by_sku && (b->sku.empty() || !skus.count(b->sku))) return;
        for (const auto& d : dates) {
            Time v = d.created ? b->date_created : b->date_modified;
            if (!gmt) v = c.timezone.to_local(v);
            if (d.after ? !(v > d.bound) : !(v < d.bound)) return;
        }
        ids.push_back(id);
    };
    if (!selection.filtered) {
        ids = *c.listed_products();
    } else if (!include.empty()) {
        std::set<std::int64_t> unique(include.begin(), include.end());
        for (auto id : unique) keep(id);
    } else {
        c.for_each_post_id(keep);
    }
    sort_ids(ids, orderby, desc, include, [&](std::int64_t id) { return c.brief(id)->date_created; });
    selection.ids = std::make_shared<const std::vector<std::int64_t>>(std::move(ids));
    return selection;
}

ApiResponse Api::list_products(Call& call) {
    const Json& p = call.params;
    only_params(p, {"context", "_fields", "per_page", "page", "offset", "orderby", "order", "sku", "include", "status",
                    "after", "before", "modified_after", "modified_before", "dates_are_gmt"},
                "GET /products");
    context_of(p);
    const FieldMask mask = fields_mask(p).value_or(all_product_fields());
    const Selection ids = select_products(p);
    const bool filtered = ids.filtered;
    Headers headers;
    const std::optional<std::int64_t> offset =
        p.contains("offset") ? std::optional<std::int64_t>(py_int(p["offset"])) : std::nullopt;
    const auto [first, last] = paginate(call.req, ids.size(), p.value("per_page", std::int64_t{10}),
                                        p.value("page", std::int64_t{1}), offset, headers);
    const std::string key = filtered ? std::string() : cache_key(call.req);
    std::shared_ptr<const std::string> body = filtered ? nullptr : pages_.find(key, catalog_.version());
    if (!body) {
        const ProductFacts facts(catalog_, catalog_.now());
        const RenderContext ctx{facts, call.req.base};
        body = std::make_shared<const std::string>(render_products(ctx, catalog_, ids, first, last, mask));
        if (!filtered) pages_.put(key, catalog_.version(), body);
    }
    ApiResponse r;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

ApiResponse Api::get_product(Call& call) {
    Post scratch;
    const Post* post = catalog_.post(call.route.id, scratch);
    if (!post) throw invalid_product_id(404);
    require(call, "read");
    only_params(call.params, {"context", "_fields"}, "GET /products/<id>");
    context_of(call.params);
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    append_product(body, {facts, call.req.base}, *post, fields_mask(call.params).value_or(all_product_fields()));
    return json_response(200, std::move(body));
}

static FieldMask query_mask(const ApiRequest& req) {
    const std::string* fields = query_value(req.query, "_fields");
    if (!fields || fields->empty()) return all_product_fields();
    const auto mask = product_field_mask(parse_list(*fields));
    if (!mask) throw unsupported("nested _fields (a.b)");
    return *mask;
}

ApiResponse Api::create_product(Call& call, const Json&) {
    if (truthy(call.params.value("id", Json()))) throw WpError("woocommerce_rest_product_exists", "Cannot create existing product.", 400);
    const Post post = write_product(catalog_, nullptr, ItemFields(call.params), catalog_.now());
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    append_product(body, {facts, call.req.base}, post, query_mask(call.req));
    return json_response(201, std::move(body),
                         {{"Location", call.req.base + "/wp-json/wc/v3/products/" + std::to_string(post.id)}});
}

ApiResponse Api::update_product(Call& call, const Json&) {
    Post scratch;
    const Post* existing = catalog_.post(call.route.id, scratch);
    if (!existing) throw invalid_product_id(400);
    require(call, "edit");
    if (existing->is_variation) throw variation_through_products();
    const Post post = write_product(catalog_, existing, ItemFields(call.params), catalog_.now());
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    append_product(body, {facts, call.req.base}, post, query_mask(call.req));
    return json_response(200, std::move(body));
}

ApiResponse Api::delete_product(Call& call) {
    Post scratch;
    const Post* existing = catalog_.post(call.route.id, scratch);
    if (!existing) throw invalid_product_id(404);
    require(call, "delete");
    if (existing->is_variation) throw variation_through_products();
    const bool force = to_bool(call.params.value("force", Json(false)));
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    if (force) {
        const Post gone = *existing;
        append_product(body, {facts, call.req.base}, gone, all_product_fields());
        delete_post_forced(catalog_, gone);
    } else {
        if (existing->status == "trash")
            throw WpError("woocommerce_rest_already_trashed", "The product has already been deleted.", 410);
        append_product(body, {facts, call.req.base}, *existing, all_product_fields());  // as before the trash
        trash_post(catalog_, Post(*existing));
    }
    return json_response(200, std::move(body));
}

const Post& Api::parent_or_404(const Call& call, Post& scratch) const {
    const Post* parent = catalog_.product(call.route.parent_id, scratch);
    if (!parent) throw WpError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404);
    return *parent;
}

ApiResponse Api::list_variations(Call& call) {
    const Json& p = call.params;
    only_params(p, {"context", "per_page", "page", "offset", "orderby", "order", "status"}, "GET /products/<id>/variations");
    context_of(p);
    if (p.value("status", std::string("any")) != "any") throw unsupported("status filters other than any");
    Post parent_scratch;
    const Post& parent = parent_or_404(call, parent_scratch);
    std::vector<std::int64_t> ids;
    for (auto id : parent.children) {
        const auto b = catalog_.brief(id);
        if (b && b->status != "trash") ids.push_back(id);
    }
    sort_ids(ids, p.value("orderby", std::string("date")), p.value("order", std::string("desc")) == "desc", {},
             [&](std::int64_t id) { return catalog_.brief(id)->date_created; });
    Headers headers;
    const std::optional<std::int64_t> offset =
        p.contains("offset") ? std::optional<std::int64_t>(py_int(p["offset"])) : std::nullopt;
    const auto [first, last] = paginate(call.req, ids.size(), p.value("per_page", std::int64_t{10}),
                                        p.value("page", std::int64_t{1}), offset, headers);
    const ProductFacts facts(catalog_, catalog_.now());
    const RenderContext ctx{facts, call.req.base};
    std::string body = "[";
    Post scratch;
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) body += ',';
        append_variation(body, ctx, *catalog_.post(ids[i], scratch));
    }
    body += ']';
    return json_response(200, std::move(body), std::move(headers));
}

ApiResponse Api::get_variation(Call& call) {
    Post scratch;
    const Post* v = catalog_.post(call.route.id, scratch);
    if (!v || !v->is_variation || v->parent_id != call.route.parent_id)
        throw WpError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 404);
    require(call, "read");
    only_params(call.params, {"context"}, "GET /products/<id>/variations/<id>");
    context_of(call.params);
    const ProductFacts facts(catalog_, catalog_.now());
    std::string body;
    append_variation(body, {facts, call.req.base}, *v);
    return json_response(200, std::move(body));
}

}  // namespace benchstore
