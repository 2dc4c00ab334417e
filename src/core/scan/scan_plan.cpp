#include "core/scan/scan_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

constexpr std::size_t kChunk = 100;  // include / sku lists per request (per_page is at most 100)

using Values = std::vector<std::string>;

std::string join(const Values& values, const char* sep = ",") {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += sep;
        out += v;
    }
    return out;
}

Values unique_in_order(const Values& values) {
    Values out;
    std::set<std::string> seen;
    for (const auto& v : values)
        if (seen.insert(v).second) out.push_back(v);
    return out;
}

void intersect(std::optional<Values>& acc, const Values& values) {
    const auto fresh = unique_in_order(values);
    if (!acc) {
        acc = fresh;
        return;
    }
    std::set<std::string> keep(fresh.begin(), fresh.end());
    Values out;
    for (const auto& v : *acc)
        if (keep.count(v)) out.push_back(v);
    acc = out;
}

bool allowed(const FilterSpec& f, const std::string& value) {
    return f.allowed.empty() || std::find(f.allowed.begin(), f.allowed.end(), value) != f.allowed.end();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::vector<Values> chunks(const Values& values) {
    std::vector<Values> out;
    for (std::size_t i = 0; i < values.size(); i += kChunk)
        out.emplace_back(values.begin() + i, values.begin() + std::min(values.size(), i + kChunk));
    return out;
}

bool has_param(const std::vector<QueryParam>& query, const std::string& name) {
    return std::any_of(query.begin(), query.end(), [&](const QueryParam& p) { return p.name == name; });
}

// What the conditions ask of the store, gathered before any request is built.
struct Pushdown {
    std::optional<Values> ids;      // the row key
    std::optional<Values> parents;  // the parent's key
    std::map<std::string, std::optional<Values>> lists;  // param -> values (OR)
    std::map<std::string, std::string> singles;        // param -> value (also Bool and Param)
    std::map<std::string, std::int64_t> after, before;  // param -> epoch seconds
    std::map<std::string, std::string> runtime_dates;    // param -> label (EXPLAIN)
    std::string search;
    bool exact = true;
    bool empty = false;
};

// The store's enumeration judges known equality values: unknown ones are
// dropped (complete enumerations: they match nothing) or leave the whole
// condition to the recheck (`keep_local`).
Values judged_values(const FilterSpec& f, const ScanCondition& cond, bool& keep_local) {
    Values values = cond.values;
    keep_local = false;
    const bool equality = cond.op == CondOp::Eq || cond.op == CondOp::In;
    if (!cond.known || f.allowed.empty() || !equality) return values;
    if (!f.allowed_is_complete) {
        keep_local = std::any_of(values.begin(), values.end(), [&](const auto& v) { return !allowed(f, v); });
        return values;
    }
    values.erase(std::remove_if(values.begin(), values.end(), [&](const auto& v) { return !allowed(f, v); }),
                 values.end());
    return values;
}

// Keys that cannot name an object: negative integers name none (dropped), text
// keys outside the route's pattern cannot be asked for (the condition
// stays with the recheck).
bool judge_keys(KeyType type, std::size_t length, const ScanCondition& cond, Values& values, bool droppable) {
    if (!cond.known) return true;
    if (type == KeyType::Integer || droppable) {
        values.erase(std::remove_if(values.begin(), values.end(),
                                    [&](const auto& v) { return !routable_key(type, v, length); }),
                     values.end());
        return true;
    }
    return std::all_of(values.begin(), values.end(), [&](const auto& v) { return routable_key(type, v, length); });
}

void add_single(Pushdown& p, const std::string& param, const std::string& value) {
    auto [it, inserted] = p.singles.emplace(param, value);
    if (!inserted && it->second != value) p.empty = true;  // status = 'a' AND status = 'b'
}

void add_date_bound(Pushdown& p, const FilterSpec& f, const ScanCondition& cond) {
    if (cond.values.size() != 1) return;
    if (!cond.known) {
        // Computed at run time (now() - interval '1 day'): EXPLAIN shows the
        // parameter with the expression as a placeholder.
        const bool lower = cond.op == CondOp::Gt || cond.op == CondOp::Ge;
        p.runtime_dates[lower ? f.param : f.before_param] = cond.values.front();
        return;
    }
    std::int64_t micros = 0;
    try {
        micros = std::stoll(cond.values.front());
    } catch (...) {
        return;
    }
    // Strict bounds to the second: widen by one second either way, the
    // recheck keeps SQL's exact comparison.
    if (cond.op == CondOp::Gt || cond.op == CondOp::Ge) {
        const std::int64_t bound = floor_div(micros, 1000000) - 1;
        auto it = p.after.find(f.param);
        if (it == p.after.end() || bound > it->second) p.after[f.param] = bound;
    } else if (cond.op == CondOp::Lt || cond.op == CondOp::Le) {
        const std::int64_t bound = -floor_div(-micros, 1000000) + 1;
        auto it = p.before.find(f.before_param);
        if (it == p.before.end() || bound < it->second) p.before[f.before_param] = bound;
    }
}

// A request parameter shown as a column takes exactly one value.
void add_param(Pushdown& p, const ResourceInfo& resource, const FilterSpec& f, const ScanCondition& cond) {
    const std::string column = std::string(resource.name) + "." + f.field;
    if (cond.values.size() != 1)
        throw WooError(ErrorKind::Unsupported, "column \"" + column + "\" takes one value per query",
                       "It is the request parameter " + std::string(f.param) + " of the store's report.",
                       "Query each value separately, e.g. WHERE " + std::string(f.field) + " = '" +
                           (f.allowed.empty() ? std::string("...") : f.allowed.front()) + "'.");
    if (cond.known && !allowed(f, cond.values.front()))
        throw WooError(ErrorKind::InvalidArgument,
                       "invalid value for column \"" + column + "\": '" + cond.values.front() + "'", {},
                       "Valid values: " + join(f.allowed, ", ") + ".");
    add_single(p, f.param, cond.values.front());
}

void add_condition(Pushdown& p, const ResourceInfo& resource, const ScanCondition& cond) {
    const FilterSpec& f = *cond.filter;
    if (f.kind == FilterKind::Param) {
        add_param(p, resource, f, cond);
        return;
    }
    if (!f.exact) p.exact = false;
    const bool equality = cond.op == CondOp::Eq || cond.op == CondOp::In;
    bool keep_local = false;
    Values values = judged_values(f, cond, keep_local);
    if (keep_local) {
        p.exact = false;
        return;
    }
    if (f.kind == FilterKind::Id && equality &&
        !judge_keys(resource.key_type, resource.key_length, cond, values, false)) {
        p.exact = false;  // a text key WooCommerce cannot route: the list and the recheck
        return;
    }
    if (f.kind == FilterKind::PathParent && equality)
        judge_keys(resource.parent_type, 0, cond, values, true);  // no collection lives under it
    if (cond.known && equality && values.empty()) {
        p.empty = true;  // e.g. status = 'bogus': the store would refuse it, no row can match
        return;
    }
    switch (f.kind) {
    case FilterKind::Id:
        if (equality) intersect(p.ids, values);
        else p.exact = false;
        break;
    case FilterKind::PathParent:
        if (equality) intersect(p.parents, values);
        else p.exact = false;
        break;
    case FilterKind::List:
        if (equality) intersect(p.lists[f.param], values);
        else p.exact = false;
        break;
    case FilterKind::Single:
    case FilterKind::Bool:
        if (!equality || values.size() != 1) {
            p.exact = false;  // the parameter takes one value: the recheck does the rest
            break;
        }
        if (f.kind == FilterKind::Bool)
            add_single(p, f.param, values.front() == "true" ? f.true_value : f.false_value);
        else
            add_single(p, f.param, values.front());
        break;
    case FilterKind::Param: break;  // above
    case FilterKind::DateRange:
        p.exact = false;
        add_date_bound(p, f, cond);
        break;
    case FilterKind::Search:
        p.exact = false;
        if (cond.op == CondOp::Contains && values.size() == 1 && values.front().size() > p.search.size())
            p.search = values.front();
        break;
    }
}

Pushdown gather(const ResourceInfo& resource, const std::vector<ScanCondition>& conditions) {
    Pushdown p;
    for (const auto& cond : conditions) {
        add_condition(p, resource, cond);
        if (p.empty) return p;
    }
    if ((p.ids && p.ids->empty()) || (p.parents && p.parents->empty())) p.empty = true;
    for (const auto& [param, values] : p.lists)
        if (values && values->empty()) p.empty = true;
    if (resource.resource == Resource::Products && p.lists.count("sku")) p.exact = false;  // X-WP-Total counts variations
    return p;
}

// The query every request of the scan shares. `split` receives the one list
// sent in chunks when longer than 100.
std::vector<QueryParam> common_query(const ResourceInfo& resource, Pushdown& p, std::string& split_param,
                                     Values& split_values) {
    std::vector<QueryParam> common;
    for (const auto& [param, value] : p.singles) common.push_back({param, value});
    for (const auto& [param, values] : p.lists) {
        if (values->size() <= kChunk) {
            common.push_back({param, join(*values)});
        } else if (split_param.empty()) {
            split_param = param;
            split_values = *values;
        } else {
            p.exact = false;
        }
    }
    bool dates = false;
    for (const auto& [param, label] : p.runtime_dates) {
        p.after.erase(param);
        p.before.erase(param);
    }
    for (const auto& [param, secs] : p.after) common.push_back({param, format_gmt(secs)}), dates = true;
    for (const auto& [param, secs] : p.before) common.push_back({param, format_gmt(secs)}), dates = true;
    for (const auto& [param, label] : p.runtime_dates) common.push_back({param, label}), dates = true;
    if (dates) common.push_back({"dates_are_gmt", "true"});
    if (!p.search.empty()) common.push_back({"search", p.search});
    // Fixed parameters first, unless a condition sets them (reviews: status).
    std::vector<QueryParam> out;
    for (const auto& [name, value] : resource.fixed_params)
        if (!has_param(common, name) && name != split_param) out.push_back({name, value});
    out.insert(out.end(), common.begin(), common.end());
    return out;
}

void add_list_params(const ResourceInfo& resource, std::vector<QueryParam>& query, const ScanSettings& settings,
                     long per_page, const char* extra_field) {
    if (resource.has_edit_context) query.push_back({"context", "edit"});
    if (!settings.fields.empty()) {
        Values fields;
        if (resource.key_type != KeyType::None && resource.key_field) fields.push_back(resource.key_field);
        for (const auto& f : settings.fields)
            if (std::find(fields.begin(), fields.end(), f) == fields.end() && !is_write_only_field(resource, f))
                fields.push_back(f);  // a write-only member is never answered
        // A products scan must see type to drop variations a sku lookup finds.
        if (resource.resource == Resource::Products && std::find(fields.begin(), fields.end(), "type") == fields.end())
            fields.push_back("type");
        if (extra_field && std::find(fields.begin(), fields.end(), extra_field) == fields.end())
            fields.push_back(extra_field);
        if (!fields.empty()) query.push_back({"_fields", join(fields)});
    }
    if (per_page > 0) query.push_back({"per_page", std::to_string(per_page)});
    if (resource.orderable_by_id) {
        query.push_back({"orderby", "id"});
        query.push_back({"order", "asc"});
    }
}

// How one scan turns into requests: the shared query, the variants (chunks
// of ids or of one long list), and whether it is a point lookup.
struct RequestShape {
    std::vector<QueryParam> common;
    std::vector<std::vector<QueryParam>> variants;
    bool item = false;
    std::string item_id;
    long per_page = 0;
};

RequestShape shape_requests(const ResourceInfo& resource, Pushdown& p, ScanPlan& plan, const ScanSettings& settings,
                            bool flat) {
    RequestShape s;
    std::string split_param;
    Values split_values;
    s.common = common_query(resource, p, split_param, split_values);
    if (!p.exact) {
        plan.exact = false;
        plan.limit = -1;
    }
    const bool paged = resource.paged();
    s.per_page = paged ? settings.per_page : 0;
    if (paged && plan.limit > 0 && plan.limit < s.per_page) s.per_page = plan.limit;

    const FilterSpec* id_filter = resource.key_field ? find_filter(resource, resource.key_field) : nullptr;
    const bool only_ids = p.lists.empty() && p.singles.empty() && p.after.empty() && p.before.empty() &&
                          p.runtime_dates.empty() && p.search.empty();
    if (p.ids) {
        const bool item_route = !flat && resource.key_type != KeyType::None;
        if (p.ids->size() == 1 && item_route && (only_ids || !id_filter || !id_filter->param)) {
            s.item = true;
            s.item_id = p.ids->front();
        } else if (id_filter && id_filter->param) {
            for (const auto& chunk : chunks(*p.ids)) s.variants.push_back({{id_filter->param, join(chunk)}});
        } else {
            plan.exact = false;  // no include parameter: the recheck filters
            plan.limit = -1;
        }
    }
    if (!split_param.empty()) {
        std::vector<std::vector<QueryParam>> crossed;
        for (const auto& chunk : chunks(split_values)) {
            if (s.variants.empty()) {
                crossed.push_back({{split_param, join(chunk)}});
            } else {
                for (auto v : s.variants) {
                    v.push_back({split_param, join(chunk)});
                    crossed.push_back(v);
                }
            }
        }
        s.variants = crossed;
    }
    if (s.variants.empty()) s.variants.push_back({});
    return s;
}

std::vector<ScanRequest> make_requests(const ResourceInfo& resource, const RequestShape& s,
                                       const ScanSettings& settings, const std::string& path_template,
                                       const char* extra_field) {
    std::vector<ScanRequest> out;
    if (s.item || resource.listing == Listing::Single) {
        ScanRequest r;
        r.path = s.item ? path_template + "/" + s.item_id : path_template;
        if (resource.has_edit_context) r.query.push_back({"context", "edit"});
        if (!settings.fields.empty()) {
            std::vector<QueryParam> q;
            add_list_params(resource, q, settings, 0, nullptr);
            for (auto& p : q)
                if (p.name == "_fields") r.query.push_back(p);
        }
        if (!s.item) r.query.insert(r.query.begin(), s.common.begin(), s.common.end());
        r.item = true;
        r.paged = false;
        out.push_back(std::move(r));
        return out;
    }
    for (const auto& v : s.variants) {
        ScanRequest r;
        r.path = path_template;
        r.query = s.common;
        r.query.insert(r.query.end(), v.begin(), v.end());
        add_list_params(resource, r.query, settings, s.per_page, extra_field);
        r.paged = resource.paged();
        out.push_back(std::move(r));
    }
    return out;
}

// "products/{parent}/variations" -> "products/26/variations".
std::string fill_parent(const std::string& path, const std::string& parent) {
    const auto at = path.find("{parent}");
    if (at == std::string::npos) return path;
    return path.substr(0, at) + parent + path.substr(at + 8);
}

// No parent given: list the parents (a window at a time), then each one's collection.
void plan_expansion(const ResourceInfo& resource, const RequestShape& s, const ScanSettings& settings,
                    ScanPlan& plan) {
    plan.expand_parents = true;
    const ResourceInfo* parent = parent_resource(resource);
    ScanRequest& pr = plan.parent_request;
    pr.path = resource.parent_listing;
    plan.parent_key = parent && parent->key_field ? parent->key_field : "id";
    if (parent)
        for (const auto& [name, value] : parent->fixed_params) pr.query.push_back({name, value});
    for (const auto& [name, value] : resource.parent_query) pr.query.push_back({name, value});
    pr.query.push_back({"_fields", plan.parent_key});
    if (parent && parent->paged()) {
        pr.query.push_back({"per_page", "100"});
        pr.query.push_back({"orderby", "id"});
        pr.query.push_back({"order", "asc"});
    }
    pr.paged = parent && parent->paged();
    plan.requests = make_requests(resource, s, settings, resource.path, nullptr);
}

// Many parents (or none) of a resource with a flat collection: one list of
// every parent's items, narrowed by flat_parent_param.
void plan_flat(const ResourceInfo& resource, Pushdown& p, const ScanSettings& settings, ScanPlan& plan) {
    if (p.parents) p.lists[resource.flat_parent_param] = *p.parents;
    RequestShape s = shape_requests(resource, p, plan, settings, true);
    plan.requests = make_requests(resource, s, settings, resource.flat_path, resource.parent_member);
}

}  // namespace

std::string format_gmt(std::int64_t epoch_seconds) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string request_path(const ScanRequest& request, const std::string& parent) {
    return fill_parent(request.path, parent);
}

bool routable_key(KeyType type, const std::string& key, std::size_t length) {
    if (key.empty() || key.size() > 200 || (length && key.size() != length)) return false;
    if (type == KeyType::Integer) {
        // [\d]+ as WooCommerce routes it; zone 0 is a real zone.
        if (key.size() > 19 || (key[0] == '0' && key.size() > 1)) return false;
        return std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    });
}

ScanPlan plan_scan(const ResourceInfo& resource, const std::vector<ScanCondition>& conditions,
                   const ScanSettings& settings) {
    ScanPlan plan;
    plan.resource = &resource;
    Pushdown p = gather(resource, conditions);
    if (p.empty) {
        plan.empty = true;
        return plan;
    }
    plan.exact = p.exact;
    plan.limit = p.exact ? settings.limit : -1;

    const bool many_parents = p.parents && p.parents->size() > 1;
    if (resource.parent_field && resource.flat_path && (!p.parents || many_parents)) {
        plan_flat(resource, p, settings, plan);
        return plan;
    }
    RequestShape s = shape_requests(resource, p, plan, settings, false);
    if (!resource.parent_field) {
        plan.requests = make_requests(resource, s, settings, resource.path, nullptr);
        return plan;
    }
    if (!p.parents) {
        plan_expansion(resource, s, settings, plan);
        return plan;
    }
    for (const auto& parent : *p.parents) {
        // A run-time value shows its label ({o.id}) in EXPLAIN.
        for (auto& r : make_requests(resource, s, settings, fill_parent(resource.path, parent), nullptr)) {
            r.parent = parent;
            plan.requests.push_back(std::move(r));
        }
    }
    return plan;
}

ScanRequest count_request(const ScanPlan& plan) {
    ScanRequest r = plan.requests.front();
    bool fields = false;
    for (auto& p : r.query) {
        if (p.name == "per_page") p.value = "1";
        if (p.name == "_fields") p.value = "id", fields = true;
    }
    if (!fields) r.query.push_back({"_fields", "id"});
    return r;
}

bool plan_is_countable(const ScanPlan& plan) {
    return !plan.empty && plan.exact && !plan.expand_parents && plan.requests.size() == 1 &&
           !plan.requests.front().item && plan.requests.front().paged;
}

std::vector<std::string> describe_plan(const ScanPlan& plan, const std::string& api_base, int concurrency,
                                       bool count) {
    std::vector<std::string> lines;
    if (plan.empty) {
        lines.push_back("none: the conditions cannot match any row");
        return lines;
    }
    auto show = [&](const ScanRequest& r, const std::string& path) {
        std::vector<QueryParam> q = r.query;
        if (r.paged) q.push_back({"page", "1"});
        // Values unencoded: EXPLAIN is for reading (the request encodes them).
        std::string line = "GET " + api_base + "/" + path;
        for (std::size_t i = 0; i < q.size(); ++i) line += (i ? "&" : "?") + q[i].name + "=" + q[i].value;
        return line;
    };
    if (count && plan_is_countable(plan)) {
        const ScanRequest r = count_request(plan);
        lines.push_back(show(r, r.path) + "  (count(*) from X-WP-Total)");
        return lines;
    }
    if (plan.expand_parents) {
        lines.push_back(show(plan.parent_request, plan.parent_request.path) +
                        (plan.parent_request.paged ? "  (every page: the parents)" : "  (the parents)"));
        for (const auto& r : plan.requests)
            lines.push_back(show(r, r.path) + "  (for each parent, " + std::to_string(concurrency) +
                            " in parallel)");
        return lines;
    }
    const std::size_t shown = plan.requests.size() > 5 ? 3 : plan.requests.size();
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& r = plan.requests[i];
        std::string line = show(r, r.path);
        if (r.paged) line += "  (then pages 2..N, " + std::to_string(concurrency) + " in parallel)";
        lines.push_back(line);
    }
    if (shown < plan.requests.size())
        lines.push_back("... and " + std::to_string(plan.requests.size() - shown) + " more requests like these");
    return lines;
}

}  // namespace wcfdw
