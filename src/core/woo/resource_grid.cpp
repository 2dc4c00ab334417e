#include "core/woo/resource_grid.hpp"

#include <algorithm>
#include <vector>

#include "core/woo/resources.hpp"

namespace wcfdw {

namespace {

constexpr const char* kYes = "✅";
constexpr const char* kNo = "❌";

std::string code(const std::string& s) { return "`" + s + "`"; }

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// The column a filter is written on: category for categories, date_created
// for date_created_gmt.
std::string filter_column(const ResourceInfo& r, const FilterSpec& f) {
    if (const ArrayFilterColumn* a = find_array_filter_field(r, f.field)) return a->column;
    std::string field = f.field;
    if (field.size() > 4 && field.compare(field.size() - 4, 4, "_gmt") == 0) field.resize(field.size() - 4);
    return field;
}

std::string filters(const ResourceInfo& r) {
    std::vector<std::string> out;
    for (const auto& f : r.filters) {
        if (f.kind == FilterKind::PathParent) continue;  // the parent column
        std::string s = code(filter_column(r, f));
        switch (f.kind) {
        case FilterKind::Id:
            s += f.param ? " (`=`, `IN`)" : " (`=`)";
            break;
        case FilterKind::List: s += " (`=`, `IN`)"; break;
        case FilterKind::DateRange: s += " (`<` `>`)"; break;
        case FilterKind::Search: s += " (`ILIKE '%x%'`)"; break;
        default: break;
        }
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out.empty() ? "" : join(out);
}

std::string key(const ResourceInfo& r) {
    if (r.key_type == KeyType::None || !r.key_field) return "";
    return code(r.key_field) + (r.key_type == KeyType::Text ? " text" : "");
}

std::string parent(const ResourceInfo& r) {
    if (!r.parent_field) return "";
    const ResourceInfo* p = parent_resource(r);
    return code(r.parent_field) + " → " + (p ? code(p->name) : std::string("?"));
}

std::string listing(const ResourceInfo& r) {
    switch (r.listing) {
    case Listing::Paged: return "paged, `count(*)`";
    case Listing::Whole: return "whole";
    case Listing::Single: return "one row";
    }
    return "";
}

std::string removal(const ResourceInfo& r) {
    if (!r.writes.remove) return kNo;
    return std::string(kYes) + (r.writes.delete_mode == DeleteMode::TrashOrForce ? " force or trash" : " force");
}

}  // namespace

std::string render_resource_grid() {
    std::string out =
        "| table | WooCommerce route | key | parent | list | INSERT | UPDATE | DELETE | batch | conditions sent to the "
        "store |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : all_resources()) {
        std::string path = r.path;
        const auto at = path.find("{parent}");
        if (at != std::string::npos) path.replace(at, 8, "<" + std::string(r.parent_field) + ">");
        std::string route = code(path);
        if (r.flat_path) route += " and " + code(r.flat_path);
        out += "| " + code(r.name) + " | " + route + " | " + key(r) + " | " + parent(r) + " | " + listing(r) +
               " | " + (r.writes.insert ? kYes : kNo) + " | " + (r.writes.update ? kYes : kNo) + " | " + removal(r) +
               " | " + (r.writes.batch ? kYes : "") + " | " + filters(r) + " |\n";
    }
    return out;
}

}  // namespace wcfdw
