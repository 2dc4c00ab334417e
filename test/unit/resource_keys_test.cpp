// The checked-page rules for the catalogue's resources: every list row must
// carry the key its resource's catalogue row names (an integer id, a text
// key, or none at all), shipping zone 0 is a row, and the parents of a
// nested resource with text keys (settings groups) are listed, checked and
// routed as text. Against the scripted server, through ScanCursor.
#include "core/scan/scan_cursor.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/fixtures.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using nlohmann::json;
using testing::ReceivedRequest;
using testing::resource;
using testing::ScriptedResponse;
using testing::ScriptedServer;
using testing::store_for;

constexpr const char* kApi = "/wp-json/wc/v3/";

// Every row's key member as text, and its parent.
std::vector<std::string> drain(ScanCursor& cursor, const char* member, std::vector<std::string>* parents = nullptr) {
    std::vector<std::string> keys;
    std::string parent;
    while (const json* object = cursor.next(parent)) {
        const auto it = object->find(member);
        keys.push_back(it == object->end() ? "-" : it->is_string() ? it->get<std::string>() : it->dump());
        if (parents) parents->push_back(parent);
    }
    return keys;
}

// The error a scan of `resource_name` ends with when the store answers `body`.
WooError scan_error(const char* resource_name, const json& body) {
    ScriptedServer server;
    server.set_handler([body](const ReceivedRequest&) { return ScriptedResponse::json(200, body.dump()); });
    StoreClient client(store_for(server));
    ScanCursor cursor(client, plan_scan(resource(resource_name), {}, {}));
    try {
        drain(cursor, "id");
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << resource_name << ": no error for " << body.dump();
    return WooError(ErrorKind::Internal, "none");
}

TEST(ResourceKeys, TextKeyedListsPassWithTheirKeys) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        return ScriptedResponse::json(200, R"([{"id": "bacs", "enabled": false}, {"id": "cod", "enabled": true}])");
    });
    StoreClient client(store_for(server));
    ScanCursor gateways(client, plan_scan(resource("payment_gateways"), {}, {}));
    EXPECT_EQ(drain(gateways, "id"), (std::vector<std::string>{"bacs", "cod"}));
}

TEST(ResourceKeys, ATextKeyThatIsNotTextIsRefused) {
    for (const json& row : {json{{"id", 5}}, json{{"title", "no id"}}, json{{"id", ""}}, json{{"id", nullptr}}}) {
        const WooError e = scan_error("payment_gateways", json::array({{{"id", "bacs"}}, row}));
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse) << row.dump();
        EXPECT_STREQ(e.sqlstate(), "08P01");
        EXPECT_NE(std::string(e.what()).find("item 2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not a text key"), std::string::npos) << e.what();
    }
    // Data codes are keyed by "code", tax classes by "slug".
    EXPECT_NE(std::string(scan_error("countries", json::array({{{"code", 49}}})).what()).find("code"),
              std::string::npos);
    EXPECT_NE(std::string(scan_error("tax_classes", json::array({{{"name", "Reduced"}}})).what()).find("slug"),
              std::string::npos);
}

TEST(ResourceKeys, RowsWithoutKeysAreObjectsStill) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        return ScriptedResponse::json(200, R"([{"total_sales": "12.00", "total_orders": 3}])");
    });
    StoreClient client(store_for(server));
    ScanCursor sales(client, plan_scan(resource("report_sales"), {}, {}));
    EXPECT_EQ(drain(sales, "total_orders"), (std::vector<std::string>{"3"}));
    const WooError e = scan_error("report_sales", json::array({"12.00"}));
    EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
    EXPECT_NE(std::string(e.what()).find("not an object"), std::string::npos) << e.what();
}

TEST(ResourceKeys, ShippingZoneZeroIsARowOtherIdsStartAtOne) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        return ScriptedResponse::json(200, R"([{"id": 0, "name": "Locations not covered"}, {"id": 1, "name": "DE"}])");
    });
    StoreClient client(store_for(server));
    ScanCursor zones(client, plan_scan(resource("shipping_zones"), {}, {}));
    EXPECT_EQ(drain(zones, "id"), (std::vector<std::string>{"0", "1"}));
    EXPECT_NE(std::string(scan_error("shipping_zones", json::array({{{"id", -1}}})).what()).find("non-negative"),
              std::string::npos);
    EXPECT_NE(std::string(scan_error("coupons", json::array({{{"id", 0}}})).what()).find("positive"),
              std::string::npos);
}

TEST(ResourceKeys, TextParentsAreListedAndRoutedAsText) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        if (r.path == std::string(kApi) + "settings")
            return ScriptedResponse::json(200, R"([{"id": "general"}, {"id": "products"}])");
        const std::string group = r.path.substr(std::string(kApi).size() + 9);
        return ScriptedResponse::json(200, json::array({{{"id", "woocommerce_" + group + "_option"}}}).dump());
    });
    StoreClient client(store_for(server));
    ScanCursor options(client, plan_scan(resource("settings_options"), {}, {}));
    std::vector<std::string> parents;
    EXPECT_EQ(drain(options, "id", &parents),
              (std::vector<std::string>{"woocommerce_general_option", "woocommerce_products_option"}));
    EXPECT_EQ(parents, (std::vector<std::string>{"general", "products"}));
}

TEST(ResourceKeys, AParentKeyTheRouteCannotTakeIsAnError) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        if (r.path == std::string(kApi) + "settings")
            return ScriptedResponse::json(200, R"([{"id": "general"}, {"id": "../orders"}])");
        return ScriptedResponse::json(200, R"([{"id": "woocommerce_currency"}])");
    });
    StoreClient client(store_for(server));
    ScanCursor options(client, plan_scan(resource("settings_options"), {}, {}));
    try {
        drain(options, "id");
        ADD_FAILURE() << "no error";
    } catch (const WooError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
        EXPECT_NE(std::string(e.what()).find("cannot route"), std::string::npos) << e.what();
    }
    // Nothing was asked under the unroutable key.
    for (const auto& r : server.requests()) EXPECT_EQ(r.path.find(".."), std::string::npos) << r.path;
}

}  // namespace
}  // namespace wcfdw
