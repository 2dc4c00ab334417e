// Writes to the resources beyond the catalog: rows addressed by text keys
// under text parents, DELETE with force or to the trash as each resource
// allows, a POST per row where WooCommerce has no batch endpoint (stopping
// at the first refusal and saying what was applied), keys never put in a
// path unless WooCommerce's route could match them, and the checks made
// before any request: required members, insert-only members.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "core/write/store_writer.hpp"
#include "core/write/write_payload.hpp"
#include "support/fixtures.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw {
namespace {

using nlohmann::json;
using testing::resource;
using testing::ScriptedResponse;
using testing::ScriptedServer;
using testing::store_for;

constexpr const char* kApi = "/wp-json/wc/v3/";

WooError error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const WooError& e) {
        return e;
    }
    ADD_FAILURE() << "no WooError thrown";
    return WooError(ErrorKind::Internal, "none");
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

ScriptedResponse answer(int status, const json& body) { return ScriptedResponse::json(status, body.dump()); }

TEST(ResourceWrite, SettingsByTextKeyUnderTextGroup) {
    ScriptedServer server;
    server.enqueue(answer(200, {{"id", "woocommerce_currency_pos"}, {"value", "right"}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("settings_options"), "settings", false);
    writer.update("woocommerce_currency_pos", "general", {{"value", "right"}});
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "PUT");
    EXPECT_EQ(requests[0].path, std::string(kApi) + "settings/general/woocommerce_currency_pos");
    EXPECT_EQ(json::parse(requests[0].body), json({{"value", "right"}}));
    EXPECT_EQ(writer.applied(), "updated 1 setting (id woocommerce_currency_pos)");
}

TEST(ResourceWrite, KeysWooCommerceCannotRouteAreNeverSent) {
    ScriptedServer server;
    StoreClient client(store_for(server));
    StoreWriter gateways(client, resource("payment_gateways"), "gateways", false);
    for (const char* bad : {"a/b", "../orders", "", "x y"}) {
        const WooError e = error_of([&] { gateways.update(bad, "", {{"enabled", true}}); });
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << bad;
    }
    StoreWriter options(client, resource("settings_options"), "settings", false);
    EXPECT_EQ(error_of([&] { options.update("woocommerce_currency", "gen/eral", {{"value", "x"}}); }).kind(),
              ErrorKind::InvalidArgument);
    StoreWriter notes(client, resource("order_notes"), "notes", false);
    EXPECT_EQ(error_of([&] { notes.create({{"note", "x"}}, 0, "row 1"); }).kind(), ErrorKind::InvalidArgument);
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(ResourceWrite, DeleteForcesWhereWooCommerceCannotTrash) {
    ScriptedServer server;
    for (int i = 0; i < 3; ++i) server.enqueue(answer(200, {{"id", 7}}));
    StoreClient client(store_for(server));
    // trash asked for, but customers have no trash: forced (the planner refuses earlier).
    StoreWriter customers(client, resource("customers"), "customers", true);
    customers.remove("7", "");
    StoreWriter orders(client, resource("orders"), "orders", true);
    orders.remove("7", "");
    StoreWriter classes(client, resource("tax_classes"), "classes", false);
    classes.remove("reduced-rate", "");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].path, std::string(kApi) + "customers/7");
    EXPECT_EQ(requests[0].query_value("force"), "true");
    EXPECT_EQ(requests[1].path, std::string(kApi) + "orders/7");
    EXPECT_EQ(requests[1].query_value("force"), "");  // to the trash
    EXPECT_EQ(requests[2].path, std::string(kApi) + "taxes/classes/reduced-rate");
    EXPECT_EQ(requests[2].query_value("force"), "true");
}

TEST(ResourceWrite, NoBatchEndpointMeansAPostPerRowUntilOneFails) {
    ScriptedServer server;
    server.enqueue(answer(201, {{"id", 11}, {"note", "a"}}));
    server.enqueue(answer(201, {{"id", 12}, {"note", "b"}}));
    server.enqueue(answer(404, {{"code", "woocommerce_rest_order_invalid_id"}, {"message", "Invalid order ID."},
                                {"data", {{"status", 404}}}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("order_notes"), "order_notes", false);
    const std::vector<json> bodies = {{{"note", "a"}}, {{"note", "b"}}, {{"note", "c"}}, {{"note", "d"}}};
    const WooError e = error_of([&] { writer.create_batch(bodies, {42, 43, 999, 42}, {"row 1", "row 2", "row 3", "row 4"}); });
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);  // row 4 never sent
    EXPECT_EQ(requests[0].path, std::string(kApi) + "orders/42/notes");
    EXPECT_EQ(requests[1].path, std::string(kApi) + "orders/43/notes");
    EXPECT_EQ(requests[2].path, std::string(kApi) + "orders/999/notes");
    for (const auto& r : requests) EXPECT_FALSE(contains(r.path, "batch"));
    EXPECT_TRUE(contains(e.what(), "order note row 3")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "created 2 order notes (ids 11, 12)")) << e.detail();
}

TEST(ResourceWrite, RefundsTheGatewayCannotMakeSayWhatToDo) {
    ScriptedServer server;
    server.enqueue(answer(500, {{"code", "woocommerce_rest_cannot_create_order_refund"},
                                {"message", "The payment gateway for this order does not support automatic refunds."},
                                {"data", {{"status", 500}}}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("order_refunds"), "order_refunds", false);
    const WooError e = error_of([&] { writer.create({{"amount", "1"}, {"api_refund", true}}, 43, "row 1"); });
    EXPECT_TRUE(contains(e.hint(), "api_refund = false")) << e.hint();
    EXPECT_FALSE(contains(e.hint(), "retry")) << e.hint();
}

WriteColumn member(const char* name, ColumnType type) { return {name, type, name, ColumnSource::Member}; }
WriteValue text(std::string s) {
    WriteValue v;
    v.kind = WriteValue::Text;
    v.text = std::move(s);
    return v;
}
WriteValue boolean(bool b) {
    WriteValue v;
    v.kind = WriteValue::Bool;
    v.b = b;
    return v;
}

TEST(ResourceWrite, RequiredMembersBeforeAnyRequest) {
    PayloadBuilder refunds("order_refunds", resource("order_refunds"),
                           {member("amount", ColumnType::Numeric), member("api_refund", ColumnType::Boolean)});
    WooError e = error_of([&] { refunds.build({text("5"), WriteValue{}}, "row 1", true); });
    EXPECT_EQ(e.kind(), ErrorKind::MissingValue);
    EXPECT_STREQ(e.sqlstate(), "23502");
    EXPECT_TRUE(contains(e.what(), "\"api_refund\"")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "pay the money back")) << e.detail();
    EXPECT_EQ(refunds.build({text("5"), boolean(false)}, "row 1", true), json({{"amount", "5"}, {"api_refund", false}}));
    // A table without the column cannot give it either.
    PayloadBuilder bare("notes", resource("order_notes"), {member("customer_note", ColumnType::Boolean)});
    EXPECT_EQ(error_of([&] { bare.build({boolean(true)}, "row 1", true); }).kind(), ErrorKind::MissingValue);
    // An empty string is no value for a required member.
    PayloadBuilder coupons("coupons", resource("coupons"), {member("code", ColumnType::Text)});
    EXPECT_EQ(error_of([&] { coupons.build({text("")}, "row 1", true); }).kind(), ErrorKind::MissingValue);
    // UPDATE checks nothing of the kind.
    EXPECT_NO_THROW(bare.build({boolean(true)}, "note 1", false));
}

TEST(ResourceWrite, InsertOnlyMembers) {
    PayloadBuilder methods("methods", resource("shipping_zone_methods"),
                           {member("method_id", ColumnType::Text), member("enabled", ColumnType::Boolean)});
    EXPECT_EQ(methods.build({text("flat_rate"), boolean(true)}, "row 1", true),
              json({{"method_id", "flat_rate"}, {"enabled", true}}));
    const WooError e = error_of([&] { methods.check_writable(); });
    EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
    EXPECT_TRUE(contains(e.what(), "cannot be changed once written")) << e.what();
    // Through attrs, an UPDATE leaves the member out instead.
    PayloadBuilder customers("customers", resource("customers"), {{"attrs", ColumnType::Jsonb, "attrs", ColumnSource::WholeObject}});
    EXPECT_EQ(customers.build({text(R"({"username": "x", "first_name": "Ana"})")}, "customer 2", false),
              json({{"first_name", "Ana"}}));
}

}  // namespace
}  // namespace wcfdw
