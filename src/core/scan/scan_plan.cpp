#include "core/scan/scan_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

namespace wcfdw {

namespace {

constexpr std::size_t kChunk = 100;  // include / sku lists per request (per_page is at most 100)

std::string join(const std::vector<std::string>& values, const char* sep = ",") {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += sep;
        out += v;
    }
    return out;
}

std::vector<std::string> unique_in_order(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& v : values)
        if (seen.insert(v).second) out.push_back(v);
    return out;
}

void intersect(std::optional<std::vector<std::string>>& acc, const std::vector<std::string>& values) {
    const auto fresh = unique_in_order(values);
    if (!acc) {
        acc = fresh;
        return;
    }
    std::set<std::string> keep(fresh.begin(), fresh.end());
    std::vector<std::string> out;
    for (const auto& v : *acc)
        if (keep.count(v)) out.push_back(v);
    acc = out;
}

bool allowed(const FilterSpec& f, const std::string& value) {
    return f.allowed.empty() || std::find(f.allowed.begin(), f.allowed.end(), value) != f.allowed.end();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::vector<std::vector<std::string>> chunks(const std::vector<std::string>& values) {
    std::vector<std::vector<std::string>> out;
    for (std::size_t i = 0; i < values.size(); i += kChunk)
        out.emplace_back(values.begin() + i, values.begin() + std::min(values.size(), i + kChunk));
    return out;
}

const ResourceInfo* parent_resource(const ResourceInfo& resource) {
    if (!resource.parent_listing) return nullptr;
    for (const auto& r : all_resources())
        if (std::string(r.path) == resource.parent_listing) return &r;
    return nullptr;
}

void add_list_params(const ResourceInfo& resource, std::vector<QueryParam>& query, const ScanSettings& settings,
                     long per_page) {
    if (resource.has_edit_context) query.push_back({"context", "edit"});
    if (!settings.fields.empty()) {
        std::vector<std::string> fields = {"id"};
        for (const auto& f : settings.fields)
            if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
        // A products scan must see type to drop variations a sku lookup finds.
        if (resource.resource == Resource::Products && std::find(fields.begin(), fields.end(), "type") == fields.end())
            fields.push_back("type");
        query.push_back({"_fields", join(fields)});
    }
    if (per_page > 0) query.push_back({"per_page", std::to_string(per_page)});
    if (resource.orderable_by_id) {
        query.push_back({"orderby", "id"});
        query.push_back({"order", "asc"});
    }
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

std::string request_path(const ScanRequest& request, std::int64_t parent) {
    const auto at = request.path.find("{parent}");
    if (at == std::string::npos) return request.path;
    return request.path.substr(0, at) + std::to_string(parent) + request.path.substr(at + 8);
}

ScanPlan plan_scan(const ResourceInfo& resource, const std::vector<ScanCondition>& conditions,
                   const ScanSettings& settings) {
    ScanPlan plan;
    plan.resource = &resource;
    std::optional<std::vector<std::string>> ids;
    std::optional<std::vector<std::string>> parents;
    std::map<std::string, std::optional<std::vector<std::string>>> lists;  // param -> values (OR)
    std::map<std::string, std::string> singles;                           // param -> value
    std::map<std::string, std::int64_t> after, before;                     // param -> epoch seconds
    std::map<std::string, std::string> runtime_dates;                      // param -> label (EXPLAIN)
    std::string search;
    bool exact = true;

    for (const auto& cond : conditions) {
        const FilterSpec& f = *cond.filter;
        if (!f.exact) exact = false;
        std::vector<std::string> values = cond.values;
        const bool equality = cond.op == CondOp::Eq || cond.op == CondOp::In;
        if (cond.known && !f.allowed.empty() && equality) {
            values.erase(std::remove_if(values.begin(), values.end(), [&](const auto& v) { return !allowed(f, v); }),
                         values.end());
            if (values.empty()) {
                plan.empty = true;  // e.g. status = 'bogus': the store would refuse it, no row can match
                return plan;
            }
        }
        switch (f.kind) {
        case FilterKind::Id:
            if (equality) intersect(ids, values);
            else exact = false;
            break;
        case FilterKind::PathParent:
            if (equality) intersect(parents, values);
            else exact = false;
            break;
        case FilterKind::List:
            if (equality) intersect(lists[f.param], values);
            else exact = false;
            break;
        case FilterKind::Single:
        case FilterKind::Bool: {
            if (!equality || values.size() != 1) {
                exact = false;  // the parameter takes one value: the recheck does the rest
                break;
            }
            auto [it, inserted] = singles.emplace(f.param, values.front());
            if (!inserted && it->second != values.front()) {
                plan.empty = true;
                return plan;
            }
            break;
        }
        case FilterKind::DateRange: {
            exact = false;
            if (values.size() != 1) break;
            if (!cond.known) {
                // Computed at run time (now() - interval '1 day'): EXPLAIN
                // shows the parameter with the expression as a placeholder.
                const bool lower = cond.op == CondOp::Gt || cond.op == CondOp::Ge;
                runtime_dates[lower ? f.param : f.before_param] = values.front();
                break;
            }
            std::int64_t micros = 0;
            try {
                micros = std::stoll(values.front());
            } catch (...) {
                break;
            }
            // Strict bounds to the second: widen by one second either way,
            // the recheck keeps SQL's exact comparison.
            if (cond.op == CondOp::Gt || cond.op == CondOp::Ge) {
                const std::int64_t bound = floor_div(micros, 1000000) - 1;
                auto it = after.find(f.param);
                if (it == after.end() || bound > it->second) after[f.param] = bound;
            } else if (cond.op == CondOp::Lt || cond.op == CondOp::Le) {
                const std::int64_t bound = -floor_div(-micros, 1000000) + 1;
                auto it = before.find(f.before_param);
                if (it == before.end() || bound < it->second) before[f.before_param] = bound;
            }
            break;
        }
        case FilterKind::Search:
            exact = false;
            if (cond.op == CondOp::Contains && values.size() == 1 && values.front().size() > search.size())
                search = values.front();
            break;
        }
    }
    if ((ids && ids->empty()) || (parents && parents->empty())) {
        plan.empty = true;
        return plan;
    }
    for (const auto& [param, values] : lists)
        if (values && values->empty()) {
            plan.empty = true;
            return plan;
        }
    if (resource.resource == Resource::Products && lists.count("sku")) exact = false;  // X-WP-Total counts variations

    // Query shared by every request of the scan.
    std::vector<QueryParam> common;
    for (const auto& [name, value] : resource.fixed_params) common.push_back({name, value});
    for (const auto& [param, value] : singles) common.push_back({param, value});
    std::string split_param;  // the one list sent in chunks when longer than 100
    std::vector<std::string> split_values;
    for (const auto& [param, values] : lists) {
        if (values->size() <= kChunk) {
            common.push_back({param, join(*values)});
        } else if (split_param.empty()) {
            split_param = param;
            split_values = *values;
        } else {
            exact = false;
        }
    }
    bool dates = false;
    for (const auto& [param, label] : runtime_dates) {
        after.erase(param);
        before.erase(param);
    }
    for (const auto& [param, secs] : after) common.push_back({param, format_gmt(secs)}), dates = true;
    for (const auto& [param, secs] : before) common.push_back({param, format_gmt(secs)}), dates = true;
    for (const auto& [param, label] : runtime_dates) common.push_back({param, label}), dates = true;
    if (dates) common.push_back({"dates_are_gmt", "true"});
    if (!search.empty()) common.push_back({"search", search});

    plan.exact = exact;
    plan.limit = exact ? settings.limit : -1;
    long per_page = resource.paged ? settings.per_page : 0;
    if (resource.paged && plan.limit > 0 && plan.limit < per_page) per_page = plan.limit;

    // Which id-chunks and list-chunks become separate requests.
    std::vector<std::vector<QueryParam>> variants;
    bool item = false;
    std::string item_id;
    const FilterSpec* id_filter = find_filter(resource, "id");
    if (ids) {
        if (ids->size() == 1 && lists.empty() && singles.empty() && !dates && search.empty()) {
            item = true;
            item_id = ids->front();
        } else if (id_filter && id_filter->param) {
            for (const auto& chunk : chunks(*ids)) variants.push_back({{id_filter->param, join(chunk)}});
        } else if (ids->size() == 1) {
            item = true;
            item_id = ids->front();
        } else {
            plan.exact = false;  // attributes: no include parameter, the recheck filters
            plan.limit = -1;
        }
    }
    if (!split_param.empty()) {
        std::vector<std::vector<QueryParam>> crossed;
        for (const auto& chunk : chunks(split_values)) {
            if (variants.empty()) {
                crossed.push_back({{split_param, join(chunk)}});
            } else {
                for (auto v : variants) {
                    v.push_back({split_param, join(chunk)});
                    crossed.push_back(v);
                }
            }
        }
        variants = crossed;
    }
    if (variants.empty()) variants.push_back({});

    auto make_requests = [&](const std::string& path_template, std::int64_t parent) {
        std::vector<ScanRequest> out;
        if (item) {
            ScanRequest r;
            r.path = path_template + "/" + item_id;
            if (resource.has_edit_context) r.query.push_back({"context", "edit"});
            if (!settings.fields.empty()) {
                std::vector<QueryParam> q;
                add_list_params(resource, q, settings, 0);
                for (auto& p : q)
                    if (p.name == "_fields") r.query.push_back(p);
            }
            r.item = true;
            r.paged = false;
            r.parent = parent;
            out.push_back(std::move(r));
            return out;
        }
        for (const auto& v : variants) {
            ScanRequest r;
            r.path = path_template;
            r.query = common;
            r.query.insert(r.query.end(), v.begin(), v.end());
            add_list_params(resource, r.query, settings, per_page);
            r.paged = resource.paged;
            r.parent = parent;
            out.push_back(std::move(r));
        }
        return out;
    };

    if (!resource.parent_field) {
        plan.requests = make_requests(resource.path, 0);
        return plan;
    }
    const std::string path_template = resource.path;
    if (parents) {
        for (const auto& p : *parents) {
            std::int64_t parent = 0;
            try {
                parent = std::stoll(p);
            } catch (...) {
                parent = 0;
            }
            for (auto& r : make_requests(path_template, parent)) {
                if (parent > 0) r.path = request_path(r, parent);
                else r.path.replace(r.path.find("{parent}"), 8, p);  // a run-time value's label (EXPLAIN)
                plan.requests.push_back(std::move(r));
            }
        }
        return plan;
    }
    // No parent given: list the parents, then each one's collection.
    plan.expand_parents = true;
    const ResourceInfo* parent = parent_resource(resource);
    ScanRequest& pr = plan.parent_request;
    pr.path = resource.parent_listing;
    if (resource.resource == Resource::Variations) pr.query.push_back({"type", "variable"});
    pr.query.push_back({"_fields", "id"});
    if (parent && parent->paged) {
        pr.query.push_back({"per_page", "100"});
        pr.query.push_back({"orderby", "id"});
        pr.query.push_back({"order", "asc"});
    }
    pr.paged = parent && parent->paged;
    plan.requests = make_requests(path_template, 0);
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
        lines.push_back(show(plan.parent_request, plan.parent_request.path) + "  (every page: the parents)");
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
