// The resource catalogue (resource_catalogue.cpp) against what a real
// WooCommerce 10 publishes about itself: its route index and the OPTIONS
// schemas of every route, captured in woo-reference/real/ (02, 17*, 50*-53*)
// and extracted into test/store/woostore_lib/data/routes.json. Every row
// must name a route the store has, list only parameters and enumeration
// values the route takes, mark exactly the members WooCommerce computes as
// read-only, require what WooCommerce requires, and offer exactly the writes
// the routes' methods allow. The few places where WooCommerce's code and its
// published schema disagree are listed here with their source.
#include "core/woo/resources.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/base/woo_error.hpp"
#include "core/write/write_payload.hpp"

namespace wcfdw {
namespace {

using nlohmann::json;
using Names = std::set<std::string>;

const json& routes_file() {
    static const json data = [] {
        const std::string path = std::string(WCFDW_STORE_DATA_DIR) + "/routes.json";
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot read " + path);
        std::stringstream text;
        text << in.rdbuf();
        return json::parse(text.str());
    }();
    return data;
}

// "/wc/v3/orders/(?P<order_id>[\d]+)/notes" -> "orders/{}/notes"; "orders/{parent}/notes" likewise.
std::string shape(const std::string& route) {
    std::string s = std::regex_replace(route, std::regex(R"(\(\?P<[^>]+>[^)]*\)(\{\d+\})?)"), "{}");
    s = std::regex_replace(s, std::regex(R"(\{[a-z_]+\})"), "{}");
    if (s.rfind("/wc/v3/", 0) == 0) s = s.substr(7);
    return s;
}

// The route of that shape, and its regex key; nullptr when the store has none.
const json* route(const std::string& wanted, std::string* key = nullptr) {
    static const std::map<std::string, std::string> by_shape = [] {
        std::map<std::string, std::string> m;
        for (const auto& [k, r] : routes_file()["routes"].items()) m.emplace(shape(k), k);
        return m;
    }();
    const auto it = by_shape.find(shape(wanted));
    if (it == by_shape.end()) return nullptr;
    if (key) *key = it->second;
    return &routes_file()["routes"][it->second];
}

const json* schema_of(const std::string& wanted) {
    std::string key;
    if (!route(wanted, &key)) return nullptr;
    const json& schemas = routes_file()["schemas"];
    const auto it = schemas.find(key);
    return it == schemas.end() ? nullptr : &*it;
}

bool has_method(const json& r, const char* method) {
    for (const auto& m : r["methods"])
        if (m == method) return true;
    return false;
}

// The args of the route's endpoint answering `method`.
json args_of(const json& r, const char* method) {
    for (const auto& ep : r["endpoints"])
        for (const auto& m : ep["methods"])
            if (m == method) return ep["args"].is_object() ? ep["args"] : json::object();
    return json::object();
}

// An arg's enumeration (its own or its items'), empty when free.
Names enum_of(const json& arg) {
    Names out;
    const json* e = nullptr;
    if (arg.contains("enum")) e = &arg["enum"];
    else if (arg.contains("items") && arg["items"].is_object() && arg["items"].contains("enum")) e = &arg["items"]["enum"];
    if (e)
        for (const auto& v : *e) out.insert(v.get<std::string>());
    return out;
}

std::string item_route(const ResourceInfo& r) { return std::string(r.path) + "/{key}"; }

std::string list(const Names& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// ------------------------------------------------------------------------ the rows

TEST(ResourceCatalogue, EveryRowIsARouteTheStorePublishes) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        const json* collection = route(r.path);
        ASSERT_NE(collection, nullptr) << "no route " << r.path;
        EXPECT_TRUE(has_method(*collection, "GET"));
        ASSERT_NE(schema_of(r.path), nullptr) << "no schema for " << r.path;
        if (r.parent_listing) {
            ASSERT_NE(parent_resource(r), nullptr) << "parents listed by " << r.parent_listing;
            EXPECT_EQ(parent_resource(r)->key_type, r.parent_type);
        }
        if (r.flat_path) {
            const json* flat = route(r.flat_path);
            ASSERT_NE(flat, nullptr);
            EXPECT_TRUE(args_of(*flat, "GET").contains(r.flat_parent_param));
            ASSERT_NE(schema_of(r.flat_path), nullptr);
            EXPECT_TRUE((*schema_of(r.flat_path))["properties"].contains(r.parent_member));
        }
    }
    // Names are unique: they are table names.
    Names names;
    for (const auto& r : all_resources()) EXPECT_TRUE(names.insert(r.name).second) << r.name;
}

TEST(ResourceCatalogue, ListingsAsTheRoutesTakeThem) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        const json get = args_of(*route(r.path), "GET");
        EXPECT_EQ(r.listing == Listing::Paged, get.contains("page") && get.contains("per_page"));
        const Names context = get.contains("context") ? enum_of(get["context"]) : Names{};
        // context=edit where the route takes it (raw values), never elsewhere (a 400).
        EXPECT_EQ(r.has_edit_context, context.count("edit") == 1);
        const Names orderby = get.contains("orderby") ? enum_of(get["orderby"]) : Names{};
        EXPECT_EQ(r.orderable_by_id, orderby.count("id") == 1);
        for (const auto& [name, value] : r.fixed_params) {
            ASSERT_TRUE(get.contains(name)) << name;
            EXPECT_TRUE(enum_of(get[name]).count(value)) << name << "=" << value;
        }
    }
}

TEST(ResourceCatalogue, FiltersAreTheRoutesOwnParameters) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        const json get = args_of(*route(r.path), "GET");
        for (const auto& f : r.filters) {
            SCOPED_TRACE(f.field);
            if (f.kind == FilterKind::PathParent) {
                EXPECT_STREQ(f.field, r.parent_field);
                continue;
            }
            if (f.kind == FilterKind::Id && !f.param) {
                // Point lookups: the item route takes a GET.
                const json* item = route(item_route(r));
                ASSERT_NE(item, nullptr) << "no item route for lookups";
                EXPECT_TRUE(has_method(*item, "GET"));
                continue;
            }
            ASSERT_TRUE(get.contains(f.param)) << "no parameter " << f.param;
            if (f.kind == FilterKind::DateRange) {
                EXPECT_TRUE(get.contains(f.before_param)) << f.before_param;
            }
            const Names accepted = enum_of(get[f.param]);
            if (accepted.empty()) continue;
            for (const auto& v : f.allowed) EXPECT_TRUE(accepted.count(v)) << f.param << " does not take " << v;
            if (f.kind == FilterKind::Bool) {
                EXPECT_TRUE(accepted.count(f.true_value)) << f.true_value;
                EXPECT_TRUE(accepted.count(f.false_value)) << f.false_value;
            }
            // A complete enumeration names every value but the "match anything" ones.
            if (!f.allowed.empty() && f.allowed_is_complete) {
                Names missing;
                for (const auto& v : accepted)
                    if (std::find(f.allowed.begin(), f.allowed.end(), v) == f.allowed.end() && v != "any" &&
                        v != "all")
                        missing.insert(v);
                EXPECT_TRUE(missing.empty()) << f.param << " also takes " << list(missing);
            }
        }
    }
}

TEST(ResourceCatalogue, KeysAsTheItemRoutesMatchThem) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        std::string key;
        const json* item = route(item_route(r), &key);
        const bool needs_item = r.writes.update || r.writes.remove || find_filter(r, r.key_field ? r.key_field : "");
        if (!needs_item) continue;
        ASSERT_NE(item, nullptr);
        ASSERT_NE(r.key_type, KeyType::None);
        // [\d]+ for ids, [\w-]+ (or a pattern of letters) for text keys.
        const bool digits = key.find("[\\d]+)", key.rfind("(?P<")) != std::string::npos;
        EXPECT_EQ(digits, r.key_type == KeyType::Integer) << key;
        if (r.key_length) {
            EXPECT_NE(key.find("{" + std::to_string(r.key_length) + "}"), std::string::npos) << key;
        }
        const json& props = (*schema_of(r.path))["properties"];
        EXPECT_TRUE(props.contains(r.key_field)) << r.key_field;
    }
}

// ------------------------------------------------------------------------ writes

// Routes whose methods say more than a client can do row by row, and why.
const std::map<std::string, std::string> kWritesLeftOut = {
    {"shipping_zone_locations", "POST/PUT replace a zone's whole list of locations"},
    {"system_status_tools", "PUT runs a maintenance tool: an action, not data"},
};

TEST(ResourceCatalogue, WritesAreTheMethodsTheRoutesAllow) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        const json& collection = *route(r.path);
        const json* item = route(item_route(r));
        const bool post = has_method(collection, "POST");
        const bool put = item && has_method(*item, "PUT");
        const bool del = item && has_method(*item, "DELETE");
        const bool batch = route(std::string(r.path) + "/batch") != nullptr;
        if (kWritesLeftOut.count(r.name)) {
            EXPECT_TRUE(r.read_only());
            EXPECT_TRUE(post || put) << "nothing left out";
            continue;
        }
        EXPECT_EQ(r.writes.insert, post);
        EXPECT_EQ(r.writes.update, put);
        EXPECT_EQ(r.writes.remove, del);
        EXPECT_EQ(r.writes.batch, batch && r.writes.insert);
        if (r.writes.delete_mode == DeleteMode::TrashOrForce) {
            EXPECT_TRUE(r.writes.remove);
        }
        if (r.writes.remove) {
            EXPECT_TRUE(args_of(*item, "DELETE").contains("force")) << "DELETE takes force";
        }
    }
}

// Members the schema calls read-only although the controllers write them.
const std::map<std::string, Names> kWrittenDespiteSchema = {
    // WC_REST_Webhooks_V1_Controller::create_item and update_item set it.
    {"webhooks", {"delivery_url"}},
    // wc_create_refund() takes the request's line_items (refund one line).
    {"order_refunds", {"line_items"}},
    // The POST route requires it (52e); the controller refuses to change it.
    {"shipping_zone_methods", {"method_id"}},
};

TEST(ResourceCatalogue, ReadOnlyMembersAreTheSchemasOwn) {
    for (const auto& r : all_resources()) {
        if (r.read_only()) continue;
        SCOPED_TRACE(r.name);
        const json& props = (*schema_of(r.path))["properties"];
        Names schema_ro;  // the *_gmt twins follow their dates
        for (const auto& [name, p] : props.items())
            if (p.value("readonly", false) && !std::regex_search(name, std::regex("_gmt$"))) schema_ro.insert(name);
        Names catalogue(r.writes.read_only.begin(), r.writes.read_only.end());
        if (r.key_field && props.contains(r.key_field) && props[r.key_field].value("readonly", false))
            catalogue.insert(r.key_field);
        const auto exceptions = kWrittenDespiteSchema.count(r.name) ? kWrittenDespiteSchema.at(r.name) : Names{};
        for (const auto& e : exceptions) catalogue.insert(e);
        EXPECT_EQ(list(catalogue), list(schema_ro));
        for (const auto& f : r.writes.insert_only) EXPECT_TRUE(props.contains(f)) << f;
    }
}

// Enumerations WooCommerce publishes but takes from the store's state.
const std::map<std::string, Names> kStoreEnums = {
    {"orders", {"currency"}},  // every currency WooCommerce knows; the store's settings decide
    {"tax_rates", {"class"}},  // the store's own tax classes
};

TEST(ResourceCatalogue, WriteEnumerationsAreTheSchemasOwn) {
    for (const auto& r : all_resources()) {
        if (r.read_only()) continue;
        SCOPED_TRACE(r.name);
        const json& props = (*schema_of(r.path))["properties"];
        for (const auto& [field, values] : r.writes.enums) {
            ASSERT_TRUE(props.contains(field)) << field;
            const Names schema = enum_of(props[field]);
            for (const auto& v : values) EXPECT_TRUE(schema.count(v)) << field << " has no " << v;
        }
        for (const auto& [field, p] : props.items()) {
            if (p.value("readonly", false) || enum_of(p).empty()) continue;
            if (kStoreEnums.count(r.name) && kStoreEnums.at(r.name).count(field)) continue;
            EXPECT_NE(write_enum(r, field), nullptr) << field << " has an enumeration the writes do not check";
        }
    }
}

TEST(ResourceCatalogue, RequiredMembersAreTheCreateRoutesOwn) {
    for (const auto& r : all_resources()) {
        if (!r.writes.insert) continue;
        SCOPED_TRACE(r.name);
        Names required;
        const json post = args_of(*route(r.path), "POST");
        for (auto it = post.begin(); it != post.end(); ++it)
            if (it->is_object() && it->value("required", false)) required.insert(it.key());
        Names catalogue;
        for (const auto& [field, why] : r.writes.required) {
            EXPECT_FALSE(why.empty());
            catalogue.insert(field);
        }
        // Our own: api_refund decides whether money moves (README, "Refunds").
        if (r.name == std::string("order_refunds")) required.insert("api_refund");
        EXPECT_EQ(list(catalogue), list(required));
    }
}

TEST(ResourceCatalogue, ReadOnlyResourcesRefuseEveryWrite) {
    for (const auto& r : all_resources()) {
        SCOPED_TRACE(r.name);
        for (WriteOp op : {WriteOp::Insert, WriteOp::Update, WriteOp::Delete}) {
            const bool allowed = op == WriteOp::Insert   ? r.writes.insert
                                 : op == WriteOp::Update ? r.writes.update
                                                         : r.writes.remove;
            if (allowed) {
                EXPECT_NO_THROW(check_write_allowed(r, r.name, op, false));
            } else {
                EXPECT_THROW(check_write_allowed(r, r.name, op, false), WooError);
            }
        }
    }
}

}  // namespace
}  // namespace wcfdw
