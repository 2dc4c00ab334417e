// The sync engine's conversations against a scripted store: SKU adoption
// after product_invalid_sku, a whole batch resent after a 503, unchanged
// products costing no request, variations after their parent, pages read
// for an import. Request bodies are checked as the store received them.
#include "core/sync/sync_engine.hpp"

#include <memory>
#include <mutex>
#include <thread>
#include <chrono>
#include <algorithm>

#include <gtest/gtest.h>

#include "core/woo/options.hpp"
#include "core/sync/sync_model.hpp"
#include "support/scripted_server.hpp"

namespace wcfdw::sync {
namespace {

using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::ScriptedServer;

StoreClient client_for(const ScriptedServer& server, int concurrency = 2) {
    forget_store_terms(0);  // each test starts without remembered decimals or terms
    StoreConfig config = store_config_from_options(server.url(), {{"auth", "oauth1"}}, {"ck_test", "cs_test"});
    config.transport.max_retries = 0;
    config.transport.retry_base_ms = 1;
    config.transport.concurrency = concurrency;
    return StoreClient(config);
}

Json product(std::int64_t id, const std::string& sku, const std::string& price, std::int64_t parent = 0) {
    Json p = {{"id", id}, {"sku", sku}, {"name", "Product " + sku}, {"type", parent ? "variation" : "simple"},
              {"regular_price", price}, {"categories", Json::array()}, {"tags", Json::array()},
              {"images", Json::array()}, {"attributes", Json::object()}, {"meta_data", Json::object()}};
    if (parent) p["parent_id"] = parent;
    return p;
}

Json export_request(Json products, std::vector<std::string> fields = {"name", "sku", "regular_price"}) {
    return {{"connection_id", 1001},
            {"fields", fields},
            {"field_mappings", Json::object()},
            {"field_types", {{"name", "string"}, {"sku", "string"}, {"regular_price", "string"}}},
            {"only_changed", true},
            {"batch_size", 100},
            {"products", std::move(products)}};
}

// A store that answers products/batch: creates get ids from 500 on, except
// SKUs listed in `taken` (product_invalid_sku with their owner's id);
// updates succeed. Items are answered with the product as the store keeps
// it, under WooCommerce's stock rule: stock_quantity only with manage_stock.
// system_status gives 2 decimals.
ScriptedServer::Handler batch_store(std::map<std::string, std::int64_t> taken) {
    auto next_id = std::make_shared<std::int64_t>(500);
    auto kept = std::make_shared<std::map<std::int64_t, Json>>();
    auto keep = [kept](std::int64_t id, const Json& item) {
        Json& p = (*kept)[id];
        if (!p.is_object()) p = {{"manage_stock", false}, {"stock_quantity", nullptr}};
        for (auto it = item.begin(); it != item.end(); ++it) p[it.key()] = it.value();
        p["id"] = id;
        if (!p["manage_stock"].get<bool>()) p["stock_quantity"] = nullptr;
        return p;
    };
    // The scripted server answers each connection on its own thread: with a
    // client concurrency above 1 two batches arrive at once, and the store's
    // state (ids, kept products) is shared (an unguarded map crashed 1 run in
    // 15 under g++ 16's libstdc++ on Debian testing).
    auto guard = std::make_shared<std::mutex>();
    return [taken, next_id, keep, guard](const ReceivedRequest& r) {
        if (r.path.find("system_status") != std::string::npos)
            return ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})");
        const std::lock_guard<std::mutex> hold(*guard);
        const Json body = Json::parse(r.body.empty() ? "{}" : r.body);
        Json answer = Json::object();
        for (const auto& c : body.value("create", Json::array())) {
            const std::string sku = c.value("sku", std::string());
            auto t = taken.find(sku);
            if (t != taken.end())
                answer["create"].push_back({{"id", 0},
                                            {"error",
                                             {{"code", "product_invalid_sku"},
                                              {"message", "Invalid or duplicated SKU."},
                                              {"data", {{"status", 400}, {"resource_id", t->second}}}}}});
            else
                answer["create"].push_back(keep((*next_id)++, c));
        }
        for (const auto& u : body.value("update", Json::array()))
            answer["update"].push_back(keep(u["id"].get<std::int64_t>(), u));
        return ScriptedResponse::json(200, answer.dump());
    };
}

std::vector<ReceivedRequest> batches(const ScriptedServer& server) {
    std::vector<ReceivedRequest> out;
    for (const auto& r : server.requests())
        if (r.path.find("/batch") != std::string::npos) out.push_back(r);
    return out;
}

TEST(SyncEngine, DuplicateSkuIsAdoptedAndUpdated) {
    ScriptedServer server;
    server.set_handler(batch_store({{"TAKEN", 11}}));
    StoreClient client = client_for(server);
    const Json request = export_request(Json::array({{{"product", product(1, "NEW", "5")}},
                                                     {{"product", product(2, "TAKEN", "7.5")}}}));
    const Json answer = run_export(client, request, nullptr);
    const Json& results = answer["results"];
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0]["action"], "created");
    EXPECT_EQ(results[0]["woo_product_id"], 500);
    EXPECT_EQ(results[1]["action"], "updated");
    EXPECT_EQ(results[1]["woo_product_id"], 11);
    EXPECT_EQ(results[1]["exchanged"]["regular_price"], "7.5");

    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 2u);
    const Json first = Json::parse(sent[0].body);
    EXPECT_EQ(first["create"].size(), 2u);
    EXPECT_EQ(first["create"][1]["regular_price"], "7.50");
    const Json second = Json::parse(sent[1].body);
    EXPECT_FALSE(second.contains("create"));
    EXPECT_EQ(second["update"], Json::parse(R"([{"id": 11, "name": "Product TAKEN", "sku": "TAKEN", "regular_price": "7.50"}])"));
}

TEST(SyncEngine, UnchangedProductsCostNoRequestAndChangesSendOnlyTheField) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    const Json last = {{"name", "Product A"}, {"sku", "A"}, {"regular_price", "5"}};
    Json unchanged = export_request(Json::array({{{"product", product(1, "A", "5.00")}, {"woo_product_id", 40}, {"last_exchanged", last}}}));
    const Json a1 = run_export(client, unchanged, nullptr);
    EXPECT_EQ(a1["results"][0]["action"], "unchanged");
    EXPECT_EQ(a1["requests"], 0);
    EXPECT_EQ(server.request_count(), 0u);

    Json changed = export_request(Json::array({{{"product", product(1, "A", "6")}, {"woo_product_id", 40}, {"last_exchanged", last}}}));
    const Json a2 = run_export(client, changed, nullptr);
    EXPECT_EQ(a2["results"][0]["action"], "updated");
    EXPECT_EQ(a2["results"][0]["fields"], Json::parse(R"(["regular_price"])"));
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Json::parse(sent[0].body), Json::parse(R"({"update": [{"id": 40, "regular_price": "6.00"}]})"));
}

TEST(SyncEngine, WhatTheStoreDidNotKeepIsReportedAndSentAgain) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    // The quantity without manage_stock: the store would drop it, so the
    // export sends manage_stock with it.
    Json p = product(1, "Q", "5");
    p["stock_quantity"] = 2;
    p["manage_stock"] = true;
    Json request = export_request(Json::array({{{"product", p}}}), {"name", "sku", "stock_quantity"});
    request["field_types"]["stock_quantity"] = "integer";
    request["field_types"]["manage_stock"] = "boolean";
    const Json created = run_export(client, request, nullptr);
    EXPECT_EQ(created["results"][0]["action"], "created");
    EXPECT_EQ(created["results"][0]["warning"], Json());
    EXPECT_EQ(Json::parse(batches(server)[0].body)["create"][0]["manage_stock"], true);

    // A shop manager turns stock management off in the store.
    const Json manager_edit = {{"update", Json::array({{{"id", 500}, {"manage_stock", false}}})}};
    client.http().perform(client.make_request(HttpMethod::Post, "products/batch", {}, &manager_edit));
    // The next quantity sent is dropped: the result says so, last_exchanged
    // holds the store's null, and the next export sends the quantity again.
    p["stock_quantity"] = 3;
    Json dropped = request;
    dropped["products"] = Json::array({{{"product", p}, {"woo_product_id", 500},
                                        {"last_exchanged", created["results"][0]["exchanged"]}}});
    const Json d = run_export(client, dropped, nullptr);
    const Json& dr = d["results"][0];
    EXPECT_EQ(dr["action"], "updated");
    EXPECT_EQ(dr["fields"], Json::parse(R"(["stock_quantity"])"));
    EXPECT_EQ(dr["drifted"], true);
    EXPECT_EQ(dr["exchanged"]["stock_quantity"], Json());
    EXPECT_NE(dr["warning"].get<std::string>().find("the store did not keep stock_quantity (sent 3, the store has null: "
                                                    "WooCommerce keeps stock_quantity only when manage_stock is true)"),
              std::string::npos)
        << dr["warning"];
    EXPECT_EQ(d["warnings"].size(), 1u);
    EXPECT_EQ(d["warned"], 1);
    // manage_stock, not sent, is false in the store: recorded, and reported.
    EXPECT_EQ(dr["exchanged"]["manage_stock"], false);
    EXPECT_NE(dr["warning"].get<std::string>().find("; the store holds other values for manage_stock (local true, "
                                                    "the store has false)"),
              std::string::npos)
        << dr["warning"];
    // The next export sends the quantity again, with manage_stock: kept.
    Json again = request;
    again["products"] = Json::array({{{"product", p}, {"woo_product_id", 500}, {"last_exchanged", dr["exchanged"]}}});
    const Json a = run_export(client, again, nullptr);
    EXPECT_EQ(a["results"][0]["fields"], Json::parse(R"(["stock_quantity", "manage_stock"])"));
    EXPECT_EQ(a["results"][0]["drifted"], false);
    EXPECT_EQ(a["results"][0]["warning"], Json());
}

// A store whose product 40 was changed there after the last exchange
// (price 7.00 on 2026-01-02), answering lists by include and batches.
ScriptedServer::Handler store_with_a_change(const std::string& store_price) {
    auto batch = batch_store({});
    return [batch, store_price](const ReceivedRequest& r) {
        if (r.method == "GET" && r.path == "/wp-json/wc/v3/products") {
            Json item = {{"id", 40}, {"name", "Product A"}, {"sku", "A"}, {"regular_price", store_price},
                         {"date_modified_gmt", "2026-01-02T00:00:00"}};
            return ScriptedResponse::json(200, Json::array({item}).dump());
        }
        return batch(r);
    };
}

Json changed_both_sides(const std::string& policy) {
    const Json last = {{"name", "Product A"}, {"sku", "A"}, {"regular_price", "5"}, {"date_modified_gmt", "2026-01-01T00:00:00"}};
    Json request = export_request(Json::array({{{"product", product(1, "A", "6")}, {"woo_product_id", 40}, {"last_exchanged", last}}}));
    request["conflict_policy"] = policy;
    return request;
}

TEST(SyncEngine, ConflictsAreFoundWithOneListRequestAndFollowThePolicy) {
    for (const std::string policy : {"manual", "store_wins"}) {
        ScriptedServer server;
        server.set_handler(store_with_a_change("7.00"));
        StoreClient client = client_for(server);
        const Json answer = run_export(client, changed_both_sides(policy), nullptr);
        const Json& r = answer["results"][0];
        EXPECT_EQ(r["action"], policy == "manual" ? "conflict" : "skipped") << policy;
        EXPECT_EQ(answer["skipped"], 1);
        EXPECT_TRUE(batches(server).empty()) << policy;  // nothing overwritten
        const auto requests = server.requests();
        ASSERT_EQ(requests.size(), 1u) << policy;
        EXPECT_EQ(requests[0].query_value("include"), "40");
        EXPECT_EQ(requests[0].query_value("_fields"), "id,date_modified_gmt,name,sku,regular_price");
        EXPECT_EQ(requests[0].query_value("context"), "edit");
        if (policy == "manual") {
            EXPECT_EQ(r["conflict"]["fields"], Json::parse(R"(["regular_price"])"));
            EXPECT_EQ(r["conflict"]["local"]["regular_price"], "6");
            EXPECT_EQ(r["conflict"]["store"]["regular_price"], "7");
        }
    }
}

TEST(SyncEngine, NoConflictWithoutAChangeInTheStoreAndNoRequestWithPimWins) {
    {   // modified later, but to the same values: the export goes ahead
        ScriptedServer server;
        server.set_handler(store_with_a_change("5.00"));
        StoreClient client = client_for(server);
        EXPECT_EQ(run_export(client, changed_both_sides("manual"), nullptr)["results"][0]["action"], "updated");
        EXPECT_EQ(batches(server).size(), 1u);
    }
    {   // pim_wins overwrites without looking
        ScriptedServer server;
        server.set_handler(store_with_a_change("7.00"));
        StoreClient client = client_for(server);
        EXPECT_EQ(run_export(client, changed_both_sides("pim_wins"), nullptr)["results"][0]["action"], "updated");
        for (const auto& r : server.requests()) EXPECT_EQ(r.path.find("/wp-json/wc/v3/products?"), std::string::npos);
        for (const auto& r : server.requests()) EXPECT_NE(r.path, "/wp-json/wc/v3/products") << "a list request";
    }
}

TEST(SyncEngine, NamedFieldsOnlyInAnUpdateButNameAndSkuInACreate) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    const Json last = {{"name", "Product A"}, {"sku", "A"}, {"regular_price", "5"}};
    Json renamed = product(1, "A", "6");
    renamed["name"] = "Renamed A";
    // update_product(..., ARRAY['regular_price']): the name changed too, but
    // only the price is sent, and only the price is recorded as exchanged.
    const Json a = run_export(client,
                              export_request(Json::array({{{"product", renamed}, {"woo_product_id", 40}, {"last_exchanged", last}},
                                                          {{"product", product(2, "B", "7")}}}),
                                             {"regular_price"}),
                              nullptr);
    EXPECT_EQ(a["results"][0]["fields"], Json::parse(R"(["regular_price"])"));
    EXPECT_EQ(a["results"][0]["exchanged"]["name"], "Product A");
    EXPECT_EQ(a["results"][1]["fields"], Json::parse(R"(["name", "sku", "regular_price"])"));
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Json::parse(sent[0].body),
              Json::parse(R"({"create": [{"name": "Product B", "sku": "B", "regular_price": "7.00"}],
                              "update": [{"id": 40, "regular_price": "6.00"}]})"));
}

TEST(SyncEngine, AFailedBatchIsSentAgain) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})"));
    server.enqueue(ScriptedResponse::json(503, R"({"code": "unavailable", "message": "Try later", "data": {"status": 503}})"));
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server, 1);
    const Json answer = run_export(client, export_request(Json::array({{{"product", product(1, "X", "1")}}})), nullptr);
    EXPECT_EQ(answer["results"][0]["action"], "created");
    EXPECT_EQ(batches(server).size(), 2u);
}

TEST(SyncEngine, ACreateBatchThatTimedOutIsNotSentAgain) {
    // The store may still be creating the products (WooCommerce has no
    // unique SKU constraint): a second copy could create them twice.
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})"));
    ScriptedResponse slow = ScriptedResponse::json(200, R"({"create": [{"id": 500, "sku": "X"}]})");
    slow.delay = std::chrono::milliseconds(1500);
    server.enqueue(slow);
    server.set_handler(batch_store({}));
    forget_store_terms(0);
    StoreConfig config = store_config_from_options(server.url(), {{"auth", "oauth1"}}, {"ck_test", "cs_test"});
    config.transport.max_retries = 3;
    config.transport.retry_base_ms = 1;
    config.transport.timeout_ms = 300;
    StoreClient client(config);
    EXPECT_THROW(run_export(client, export_request(Json::array({{{"product", product(1, "X", "1")}}})), nullptr),
                 WooError);
    EXPECT_EQ(batches(server).size(), 1u);
}

TEST(SyncEngine, CreatesAreNotSentAgainAfterAGateway504) {
    // The gateway stopped waiting; WooCommerce may still be creating them.
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})"));
    ScriptedResponse gateway;
    gateway.status = 504;
    gateway.headers.push_back({"Content-Type", "text/html"});
    gateway.body = "<html><body><h1>504 Gateway Time-out</h1></body></html>";
    server.enqueue(gateway);
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    const Json last = {{"name", "Product A"}, {"sku", "A"}, {"regular_price", "5"}};
    const Json answer = run_export(
        client,
        export_request(Json::array({{{"product", product(1, "NEW", "1")}},
                                    {{"product", product(2, "A", "6")}, {"woo_product_id", 40}, {"last_exchanged", last}}})),
        nullptr);
    EXPECT_EQ(answer["results"][0]["action"], "failed");
    EXPECT_NE(answer["results"][0]["error"].get<std::string>().find("504"), std::string::npos);
    EXPECT_EQ(answer["results"][1]["action"], "updated");  // an update is sent again
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_FALSE(Json::parse(sent[1].body).contains("create"));
}

TEST(SyncEngine, AnUpdateBatchThatTimedOutIsSentAgain) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})"));
    ScriptedResponse slow = ScriptedResponse::json(200, R"({"update": [{"id": 40}]})");
    slow.delay = std::chrono::milliseconds(1500);
    server.enqueue(slow);
    server.set_handler(batch_store({}));
    forget_store_terms(0);
    StoreConfig config = store_config_from_options(server.url(), {{"auth", "oauth1"}}, {"ck_test", "cs_test"});
    config.transport.max_retries = 3;
    config.transport.retry_base_ms = 1;
    config.transport.timeout_ms = 300;
    StoreClient client(config);
    const Json last = {{"name", "Product A"}, {"sku", "A"}, {"regular_price", "5"}};
    const Json answer = run_export(
        client, export_request(Json::array({{{"product", product(1, "A", "6")}, {"woo_product_id", 40}, {"last_exchanged", last}}})),
        nullptr);
    EXPECT_EQ(answer["results"][0]["action"], "updated");
    EXPECT_EQ(batches(server).size(), 2u);
}

TEST(SyncEngine, BatchesHoldAtMostBatchSizeItems) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server, 2);
    Json products = Json::array();
    for (int i = 1; i <= 250; ++i) products.push_back({{"product", product(i, "S" + std::to_string(i), "1")}});
    const Json answer = run_export(client, export_request(products), nullptr);
    EXPECT_EQ(answer["created"], 250);
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 3u);
    std::size_t total = 0;
    for (const auto& r : sent) {
        const std::size_t n = Json::parse(r.body)["create"].size();
        EXPECT_LE(n, 100u);
        total += n;
    }
    EXPECT_EQ(total, 250u);
}

// Batches are not sent in rounds that wait for their slowest request: while
// the first batch is slow, the others go through the second slot. (In
// rounds of two, the third batch would only be sent once the first is
// answered.)
TEST(SyncEngine, BatchesStayInFlightWhileOneIsSlow) {
    ScriptedServer server;
    const auto store = batch_store({});
    auto first = std::make_shared<bool>(true);
    auto guard = std::make_shared<std::mutex>();
    server.set_handler([store, first, guard](const ReceivedRequest& r) {
        ScriptedResponse answer = store(r);
        const std::lock_guard<std::mutex> hold(*guard);
        if (r.path.find("/batch") != std::string::npos) {
            answer.delay = std::chrono::milliseconds(*first ? 3000 : 50);
            *first = false;
        }
        return answer;
    });
    StoreClient client = client_for(server, 2);
    Json products = Json::array();
    for (int i = 1; i <= 500; ++i) products.push_back({{"product", product(i, "S" + std::to_string(i), "1")}});
    const Json answer = run_export(client, export_request(products), nullptr);
    EXPECT_EQ(answer["created"], 500);
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 5u);
    // The last batch reached the store while the first was still being
    // answered (3 s; the four others take 50 ms each).
    EXPECT_LT(sent.back().received_at - sent.front().received_at, std::chrono::milliseconds(2500));
}

// The price decimals and the categories are asked for together: both
// requests are in flight before either is answered.
TEST(SyncEngine, DecimalsAndCategoriesAreAskedTogether) {
    ScriptedServer server;
    const auto store = batch_store({});
    auto in_flight = std::make_shared<int>(0);
    auto most = std::make_shared<int>(0);
    auto guard = std::make_shared<std::mutex>();
    server.set_handler([store, in_flight, most, guard](const ReceivedRequest& r) {
        const bool lookup = r.path.find("system_status") != std::string::npos ||
                            (r.method == "GET" && r.path.find("products/categories") != std::string::npos);
        if (lookup) {
            {
                const std::lock_guard<std::mutex> hold(*guard);
                *most = std::max(*most, ++*in_flight);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            const std::lock_guard<std::mutex> hold(*guard);
            --*in_flight;
            if (r.path.find("categories") != std::string::npos)
                return ScriptedResponse::json(200, R"([{"id": 9, "name": "Hats", "parent": 0}])");
        }
        return store(r);
    });
    StoreClient client = client_for(server, 2);
    Json p = product(1, "HAT", "5");
    p["categories"] = Json::array({"Hats"});
    const Json answer = run_export(client, export_request(Json::array({{{"product", p}}}),
                                                         {"name", "sku", "regular_price", "categories"}), nullptr);
    EXPECT_EQ(answer["created"], 1);
    EXPECT_EQ(*most, 2);
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(Json::parse(sent[0].body)["create"][0]["categories"], Json::parse(R"([{"id": 9}])"));
}

TEST(SyncEngine, VariationsFollowTheirParent) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    Json parent = product(1, "P", "");
    parent["type"] = "variable";
    const Json request = export_request(Json::array({{{"product", parent}}, {{"product", product(2, "P-RED", "3", 1)}}}));
    const Json answer = run_export(client, request, nullptr);
    EXPECT_EQ(answer["results"][0]["woo_product_id"], 500);
    EXPECT_EQ(answer["results"][1]["action"], "created");
    const auto sent = batches(server);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].path, "/wp-json/wc/v3/products/500/variations/batch");
    EXPECT_FALSE(Json::parse(sent[1].body)["create"][0].contains("name"));
}

TEST(SyncEngine, VariationWithoutParentInTheStoreFails) {
    ScriptedServer server;
    server.set_handler(batch_store({}));
    StoreClient client = client_for(server);
    const Json answer = run_export(client, export_request(Json::array({{{"product", product(2, "V", "3", 1)}}})), nullptr);
    EXPECT_EQ(answer["results"][0]["action"], "failed");
    EXPECT_NE(answer["results"][0]["error"].get<std::string>().find("not in the store"), std::string::npos);
    EXPECT_EQ(server.request_count(), 0u);
}

TEST(SyncEngine, ImportReadsEveryPageInIdOrderWithEditContext) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        const int page = std::stoi(r.query_value("page").empty() ? "1" : r.query_value("page"));
        Json items = Json::array();
        for (int i = 0; i < (page < 3 ? 100 : 5); ++i) {
            const int id = (page - 1) * 100 + i + 10;
            items.push_back({{"id", id}, {"sku", "S" + std::to_string(id)}, {"name", "N &amp; M"}, {"type", "simple"},
                             {"date_modified_gmt", "2026-01-0" + std::to_string(page) + "T00:00:00"}});
        }
        ScriptedResponse resp = ScriptedResponse::json(200, items.dump());
        resp.headers.push_back({"X-WP-Total", "205"});
        resp.headers.push_back({"X-WP-TotalPages", "3"});
        return resp;
    });
    StoreClient client = client_for(server);
    std::vector<std::string> progress;
    const Json answer = run_import(client, {{"connection_id", 5}}, [&](const std::string& m) { progress.push_back(m); });
    EXPECT_EQ(answer["rows"].size(), 205u);
    // One way of counting throughout: pages of the total, products read.
    EXPECT_EQ(progress, (std::vector<std::string>{"woocommerce import: page 1 of 3, 100 products read",
                                                  "woocommerce import: pages 2-3 of 3, 205 products read"}));
    EXPECT_EQ(answer["rows"][0]["local"]["name"], "N & M");
    EXPECT_EQ(answer["high_water_mark"], "2026-01-03T00:00:00");
    EXPECT_EQ(answer["total_pages"], 3);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    for (const auto& r : requests) {
        EXPECT_EQ(r.query_value("orderby"), "id");
        EXPECT_EQ(r.query_value("order"), "asc");
        EXPECT_EQ(r.query_value("context"), "edit");
        EXPECT_EQ(r.query_value("per_page"), "100");
    }
}

// Streamed: each round of pages goes to write_round as soon as it is in,
// in order, each product once, and the answer keeps no rows.
TEST(SyncEngine, ImportHandsOverARoundAtATime) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        const int page = std::stoi(r.query_value("page").empty() ? "1" : r.query_value("page"));
        Json items = Json::array();
        for (int i = 0; i < 2; ++i) items.push_back({{"id", page * 2 + i}, {"sku", "S"}, {"type", "simple"}});
        if (page == 4) items.push_back({{"id", 3}, {"sku", "again"}, {"type", "simple"}});  // page 1 moved on
        ScriptedResponse resp = ScriptedResponse::json(200, items.dump());
        resp.headers.push_back({"X-WP-TotalPages", "4"});
        return resp;
    });
    StoreClient client = client_for(server);
    std::vector<std::vector<std::int64_t>> rounds;
    const Json answer = run_import(client, {{"connection_id", 5}, {"round_pages", 2}, {"page_size", 2}}, nullptr,
                                   [&](Json&& rows) {
                                       rounds.emplace_back();
                                       for (const auto& r : rows) rounds.back().push_back(r["woo_product_id"]);
                                   });
    // Page 1 alone (it tells how many follow), then rounds of 2 pages.
    EXPECT_EQ(rounds, (std::vector<std::vector<std::int64_t>>{{2, 3}, {4, 5, 6, 7}, {8, 9}}));
    EXPECT_FALSE(answer.contains("rows"));
    EXPECT_EQ(answer["written"], 8);
    EXPECT_EQ(answer["total_pages"], 4);
    for (const auto& r : server.requests()) EXPECT_EQ(r.query_value("per_page"), "2");
}

TEST(SyncEngine, ImportForATableKeepsTheProductAndItsCanonicalValues) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        const Json items = Json::parse(R"([{"id": 10, "sku": "", "name": "Salt &amp; Pepper", "type": "simple",
            "regular_price": "12.50", "description": "x", "_links": {"self": []}, "date_modified_gmt": "2026-01-01T00:00:00"}])");
        ScriptedResponse resp = ScriptedResponse::json(200, items.dump());
        resp.headers.push_back({"X-WP-TotalPages", "1"});
        return resp;
    });
    StoreClient client = client_for(server);
    const Json answer = run_import(client, {{"connection_id", 5}, {"target", "table"},
                                            {"field_types", {{"name", "string"}, {"regular_price", "string"}}}}, nullptr);
    ASSERT_EQ(answer["rows"].size(), 1u);
    const Json& row = answer["rows"][0];
    EXPECT_EQ(row["p"]["name"], "Salt &amp; Pepper");       // as the store has it, for the expressions
    EXPECT_FALSE(row["p"].contains("_links"));
    EXPECT_FALSE(row.contains("local"));
    // Only the fields asked for, canonical, with the store's date.
    EXPECT_EQ(row["exchanged"], Json::parse(R"({"name": "Salt &amp; Pepper", "regular_price": "12.5",
        "_image_ids": {}, "date_modified_gmt": "2026-01-01T00:00:00"})"));
}

TEST(SyncEngine, ObjectsGivenAreImportedWithoutARequest) {
    ScriptedServer server;
    StoreClient client = client_for(server);
    const Json objects = Json::parse(R"([{"id": 27, "type": "variation", "parent_id": 26, "sku": "V", "name": "Red"},
                                         {"id": 26, "type": "variable", "sku": "P", "name": "Tee"}, {"name": "no id"}])");
    const Json answer = run_import(client, {{"connection_id", 5}, {"objects", objects}}, nullptr);
    EXPECT_EQ(server.request_count(), 0u);
    ASSERT_EQ(answer["rows"].size(), 2u);
    EXPECT_EQ(answer["rows"][0]["parent_woo_id"], 26);
    EXPECT_EQ(answer["rows"][0]["local"]["sku"], "V");
    EXPECT_EQ(answer["rows"][1]["parent_woo_id"], Json());
}

}  // namespace
}  // namespace wcfdw::sync
