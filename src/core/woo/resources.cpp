#include "core/woo/resources.hpp"

#include <algorithm>

namespace wcfdw {

// Defined in resource_catalogue.cpp: the rows.
std::vector<ResourceInfo> build_resource_catalogue();

namespace {

bool ends_with(const std::string& s, const char* suffix) {
    const std::string x(suffix);
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

bool listed(const std::vector<std::string>& list, const std::string& field) {
    return std::find(list.begin(), list.end(), field) != list.end();
}

// Dates are written through their *_gmt member: date_modified_gmt is
// read-only when date_modified is.
std::string without_gmt(const std::string& field) {
    return ends_with(field, "_gmt") ? field.substr(0, field.size() - 4) : field;
}

}  // namespace

const std::vector<ResourceInfo>& all_resources() {
    static const std::vector<ResourceInfo> resources = build_resource_catalogue();
    return resources;
}

const ResourceInfo* find_resource(const std::string& name) {
    for (const auto& r : all_resources())
        if (name == r.name) return &r;
    return nullptr;
}

const ResourceInfo& resource_info(Resource resource) {
    for (const auto& r : all_resources())
        if (r.resource == resource) return r;
    return all_resources().front();
}

const FilterSpec* find_filter(const ResourceInfo& info, const std::string& field) {
    for (const auto& f : info.filters)
        if (field == f.field) return &f;
    return nullptr;
}

const ResourceInfo* parent_resource(const ResourceInfo& resource) {
    if (!resource.parent_listing) return nullptr;
    for (const auto& r : all_resources())
        if (std::string(r.path) == resource.parent_listing) return &r;
    return nullptr;
}

std::string resource_names() {
    std::string out;
    for (const auto& r : all_resources()) out += (out.empty() ? "" : ", ") + std::string(r.name);
    return out;
}

bool is_read_only_field(const ResourceInfo& resource, const std::string& field) {
    // The key and WordPress's navigation are never data a client writes.
    if (field == "_links" || (resource.key_field && field == resource.key_field)) return true;
    return listed(resource.writes.read_only, without_gmt(field));
}

bool is_insert_only_field(const ResourceInfo& resource, const std::string& field) {
    return listed(resource.writes.insert_only, without_gmt(field));
}

bool is_write_only_field(const ResourceInfo& resource, const std::string& field) {
    return listed(resource.write_only, field);
}

const std::vector<std::string>* write_enum(const ResourceInfo& resource, const std::string& field) {
    for (const auto& [name, values] : resource.writes.enums)
        if (name == field) return &values;
    return nullptr;
}

const ArrayFilterColumn* find_array_filter_column(const ResourceInfo& resource, const std::string& column) {
    for (const auto& c : resource.array_filter_columns)
        if (column == c.column) return &c;
    return nullptr;
}

const ArrayFilterColumn* find_array_filter_field(const ResourceInfo& resource, const std::string& field) {
    for (const auto& c : resource.array_filter_columns)
        if (field == c.field) return &c;
    return nullptr;
}

const ParamColumn* find_param_column(const ResourceInfo& resource, const std::string& column) {
    for (const auto& c : resource.param_columns)
        if (column == c.column) return &c;
    return nullptr;
}

}  // namespace wcfdw
