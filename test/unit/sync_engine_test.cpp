// The sync engine's conversations against a scripted store: SKU adoption
// after product_invalid_sku, a whole batch resent after a 503, unchanged
// products costing no request, variations after their parent, pages read
// for an import. Request bodies are checked as the store received them.
#include "core/sync/sync_engine.hpp"

#include <memory>

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
// updates succeed. system_status gives 2 decimals.
ScriptedServer::Handler batch_store(std::map<std::string, std::int64_t> taken) {
    auto next_id = std::make_shared<std::int64_t>(500);
    return [taken, next_id](const ReceivedRequest& r) {
        if (r.path.find("system_status") != std::string::npos)
            return ScriptedResponse::json(200, R"({"settings": {"number_of_decimals": 2}})");
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
                answer["create"].push_back({{"id", (*next_id)++}, {"sku", sku}});
        }
        for (const auto& u : body.value("update", Json::array())) answer["update"].push_back({{"id", u["id"]}});
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
    const Json answer = run_import(client, {{"connection_id", 5}}, nullptr);
    EXPECT_EQ(answer["rows"].size(), 205u);
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

}  // namespace
}  // namespace wcfdw::sync
