// StoreWriter against the scripted server: which requests a write makes
// (method, path, query, body), how creates are batched (100 per request,
// per parent, up to concurrency in flight), and what its errors say: the
// item that failed, WooCommerce's code and resource_id, and what this
// statement already changed in the store, since nothing there is rolled back.
#include "core/write/store_writer.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/woo_error.hpp"
#include "support/scripted_server.hpp"
#include "support/fixtures.hpp"

namespace wcfdw {
namespace {

using testing::resource;
using testing::read_data;
using testing::store_for;

using nlohmann::json;
using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::ScriptedServer;
using std::chrono::milliseconds;

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

// Product bodies with skus S-<first>..S-<first+n-1>.
std::vector<json> product_bodies(int n, int first = 1) {
    std::vector<json> out;
    for (int i = first; i < first + n; ++i)
        out.push_back({{"name", "Item " + std::to_string(i)}, {"sku", "S-" + std::to_string(i)}, {"regular_price", "1.00"}});
    return out;
}

std::vector<std::string> labels_for(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back("row " + std::to_string(i + 1));
    return out;
}

// The store's answer to a batch: each created item gets the id 1000 + the
// number in its sku (or the next free id), whatever order requests come in.
json created_items(const json& request_body) {
    static std::mutex mutex;
    static std::int64_t next = 50000;
    json out = json::array();
    for (const auto& item : request_body.at("create")) {
        json o = item;
        const std::string sku = item.value("sku", std::string());
        if (sku.rfind("S-", 0) == 0) {
            o["id"] = 1000 + std::stoll(sku.substr(2));
        } else {
            std::lock_guard<std::mutex> lock(mutex);
            o["id"] = next++;
        }
        out.push_back(o);
    }
    return out;
}

ScriptedResponse batch_handler(const ReceivedRequest& r) {
    if (r.method != "POST" || r.path.size() < 6 || r.path.substr(r.path.size() - 6) != "/batch")
        return answer(404, {{"code", "rest_no_route"}, {"message", "No route"}, {"data", {{"status", 404}}}});
    return answer(200, {{"create", created_items(json::parse(r.body))}});
}

std::vector<std::int64_t> ids(const std::vector<json>& objects) {
    std::vector<std::int64_t> out;
    for (const auto& o : objects) out.push_back(o.value("id", std::int64_t{0}));
    return out;
}

TEST(StoreWriter, CreatePostsToTheCollection) {
    ScriptedServer server;
    server.enqueue(answer(201, {{"id", 101}, {"name", "Mug"}, {"sku", "MUG-1"}, {"price", "5.00"}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);

    const json body = {{"name", "Mug"}, {"sku", "MUG-1"}, {"regular_price", "5.00"}, {"dimensions", {{"length", "1"}}}};
    const json created = writer.create(body, 0, "row 1");
    EXPECT_EQ(created["id"], 101);
    EXPECT_EQ(created["price"], "5.00");

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, std::string(kApi) + "products");
    EXPECT_EQ(json::parse(requests[0].body), body);
    EXPECT_TRUE(contains(requests[0].header("content-type"), "application/json")) << requests[0].header("content-type");
    EXPECT_EQ(writer.requests(), 1u);
    EXPECT_EQ(writer.applied(), "created 1 product (id 101)");
}

TEST(StoreWriter, UpdatePutsToTheItem) {
    ScriptedServer server;
    server.enqueue(answer(200, {{"id", 42}, {"regular_price", "6.50"}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);

    const json body = {{"regular_price", "6.50"}, {"sale_price", ""}};
    EXPECT_EQ(writer.update("42", "", body)["regular_price"], "6.50");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "PUT");
    EXPECT_EQ(requests[0].path, std::string(kApi) + "products/42");
    EXPECT_EQ(json::parse(requests[0].body), body);
    EXPECT_EQ(writer.applied(), "updated 1 product (id 42)");
}

TEST(StoreWriter, RemoveForcesUnlessTrash) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        return answer(200, {{"id", std::stoll(r.path.substr(r.path.rfind('/') + 1))}, {"name", "Gone"}});
    });
    StoreClient client(store_for(server));
    StoreWriter deleter(client, resource("products"), "shop_products", false);
    EXPECT_EQ(deleter.remove("43", "")["id"], 43);
    StoreWriter trasher(client, resource("products"), "shop_products", true);
    EXPECT_EQ(trasher.remove("44", "")["id"], 44);

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "DELETE");
    EXPECT_EQ(requests[0].path, std::string(kApi) + "products/43");
    EXPECT_EQ(requests[0].query_value("force"), "true");
    EXPECT_EQ(requests[1].method, "DELETE");
    EXPECT_EQ(requests[1].path, std::string(kApi) + "products/44");
    EXPECT_FALSE(contains(requests[1].query, "force")) << requests[1].query;
    EXPECT_EQ(deleter.applied(), "deleted 1 product (id 43)");
    EXPECT_EQ(trasher.applied(), "trashed 1 product (id 44)");
}

TEST(StoreWriter, RemoveUnwrapsPrevious) {
    ScriptedServer server;
    server.enqueue(answer(200, {{"deleted", true}, {"previous", {{"id", 21}, {"name", "Decor"}}}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("categories"), "shop_categories", false);
    EXPECT_EQ(writer.remove("21", ""), json({{"id", 21}, {"name", "Decor"}}));
    EXPECT_EQ(server.requests().at(0).path, std::string(kApi) + "products/categories/21");
    EXPECT_EQ(writer.applied(), "deleted 1 category (id 21)");
}

TEST(StoreWriter, VariationsLiveUnderTheirParent) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) { return answer(r.method == "POST" ? 201 : 200, {{"id", 27}}); });
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("variations"), "shop_variations", false);

    writer.create({{"regular_price", "5"}}, 26, "row 1");
    writer.update("27", "26", {{"regular_price", "6"}});
    writer.remove("27", "26");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, std::string(kApi) + "products/26/variations");
    EXPECT_EQ(requests[1].method, "PUT");
    EXPECT_EQ(requests[1].path, std::string(kApi) + "products/26/variations/27");
    EXPECT_EQ(requests[2].method, "DELETE");
    EXPECT_EQ(requests[2].path, std::string(kApi) + "products/26/variations/27");
    EXPECT_EQ(requests[2].query_value("force"), "true");
    EXPECT_EQ(writer.applied(), "created 1 variation (id 27); updated 1 variation (id 27); deleted 1 variation (id 27)");
}

TEST(StoreWriter, MissingParentRefusedBeforeAnyRequest) {
    ScriptedServer server;
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("variations"), "shop_variations", false);
    for (const auto& fn : std::vector<std::function<void()>>{
             [&] { writer.create({{"regular_price", "5"}}, 0, "row 1"); },
             [&] { writer.update("27", "", {{"regular_price", "5"}}); },
             [&] { writer.remove("27", ""); },
             [&] { writer.create_batch({{{"regular_price", "5"}}}, {0}, {"row 1"}); },
         }) {
        const WooError e = error_of(fn);
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_STREQ(e.sqlstate(), "22023");
        EXPECT_TRUE(contains(e.what(), "parent_id")) << e.what();
        EXPECT_TRUE(contains(e.what() + e.hint(), "shop_variations")) << e.what();
    }
    EXPECT_EQ(server.request_count(), 0u);
    EXPECT_EQ(writer.applied(), "nothing");
}

TEST(StoreWriter, CreateBatchSplitsIntoHundreds) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        ScriptedResponse a = batch_handler(r);
        a.delay = milliseconds(40);
        return a;
    });
    StoreClient client(store_for(server, 2));
    StoreWriter writer(client, resource("products"), "shop_products", false);

    const auto bodies = product_bodies(250);
    const auto created = writer.create_batch(bodies, std::vector<std::int64_t>(250, 0), labels_for(250));

    ASSERT_EQ(created.size(), 250u);
    for (std::size_t i = 0; i < created.size(); ++i) {
        EXPECT_EQ(created[i]["id"], 1001 + static_cast<std::int64_t>(i));
        EXPECT_EQ(created[i]["sku"], bodies[i]["sku"]);
    }
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3u);
    // In flight together: order them by their first item.
    const auto first_sku = [](const ReceivedRequest& r) {
        return std::stoi(json::parse(r.body)["create"][0]["sku"].get<std::string>().substr(2));
    };
    std::sort(requests.begin(), requests.end(),
              [&](const ReceivedRequest& a, const ReceivedRequest& b) { return first_sku(a) < first_sku(b); });
    const std::size_t sizes[] = {100, 100, 50};
    std::size_t first = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(requests[k].method, "POST");
        EXPECT_EQ(requests[k].path, std::string(kApi) + "products/batch");
        const json body = json::parse(requests[k].body);
        ASSERT_TRUE(body.is_object());
        EXPECT_EQ(body.size(), 1u) << "only create: " << body.dump().substr(0, 200);
        ASSERT_EQ(body["create"].size(), sizes[k]);
        for (std::size_t i = 0; i < sizes[k]; ++i) EXPECT_EQ(body["create"][i], bodies[first + i]);
        first += sizes[k];
    }
    EXPECT_EQ(server.max_in_flight(), 2);
    EXPECT_EQ(writer.requests(), 3u);
    EXPECT_TRUE(contains(writer.applied(), "created 250 products (ids 1001, 1002,")) << writer.applied();
    EXPECT_TRUE(contains(writer.applied(), "1020, ... (230 more))")) << writer.applied();
}

TEST(StoreWriter, CreateBatchConcurrencyOneIsSequential) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        ScriptedResponse a = batch_handler(r);
        a.delay = milliseconds(30);
        return a;
    });
    StoreClient client(store_for(server, 1));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const auto created = writer.create_batch(product_bodies(301), std::vector<std::int64_t>(301, 0), labels_for(301));
    EXPECT_EQ(created.size(), 301u);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(server.max_in_flight(), 1);
    const std::size_t sizes[] = {100, 100, 100, 1};
    for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(json::parse(requests[k].body)["create"].size(), sizes[k]);
}

TEST(StoreWriter, CreateBatchHonoursTheBatchSize) {
    // An INSERT's rows wait until batch_size x concurrency are there, then
    // go as requests of batch_size rows, concurrency of them in flight.
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        ScriptedResponse a = batch_handler(r);
        a.delay = milliseconds(30);
        return a;
    });
    StoreClient client(store_for(server, 4));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const auto created =
        writer.create_batch(product_bodies(90), std::vector<std::int64_t>(90, 0), labels_for(90), 25);
    EXPECT_EQ(created.size(), 90u);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    std::vector<std::size_t> sizes;
    for (const auto& r : requests) sizes.push_back(json::parse(r.body)["create"].size());
    std::sort(sizes.begin(), sizes.end());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{15, 25, 25, 25}));
    EXPECT_EQ(server.max_in_flight(), 4);
}

TEST(StoreWriter, CreateBatchGroupsConsecutiveParents) {
    ScriptedServer server;
    server.set_handler(batch_handler);
    StoreClient client(store_for(server, 1));
    StoreWriter writer(client, resource("variations"), "shop_variations", false);

    // 26, 26, 27, 27, 26, then 150 under 30.
    std::vector<json> bodies = product_bodies(155);
    std::vector<std::int64_t> parents = {26, 26, 27, 27, 26};
    parents.resize(155, 30);
    const auto created = writer.create_batch(bodies, parents, labels_for(155));
    EXPECT_EQ(ids(created).front(), 1001);
    EXPECT_EQ(ids(created).back(), 1155);

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 5u);
    const std::vector<std::pair<std::string, std::size_t>> expected = {
        {"products/26/variations/batch", 2}, {"products/27/variations/batch", 2}, {"products/26/variations/batch", 1},
        {"products/30/variations/batch", 100}, {"products/30/variations/batch", 50}};
    std::size_t first = 0;
    for (std::size_t k = 0; k < expected.size(); ++k) {
        EXPECT_EQ(requests[k].path, std::string(kApi) + expected[k].first);
        const json body = json::parse(requests[k].body);
        ASSERT_EQ(body["create"].size(), expected[k].second);
        EXPECT_EQ(body["create"][0], bodies[first]);
        first += expected[k].second;
    }
}

// The real answer of WooCommerce 10 to a batch whose second create reuses
// an existing SKU (shared/woo-reference/real/22): HTTP 200, the item reads
// {"id": 0, "error": {"code": "product_invalid_sku", ... "resource_id": 11}}.
const std::vector<json> kReal22Creates = {
    {{"name", "Batch New 1"}, {"sku", "BATCH-NEW-1"}, {"regular_price", "10.00"}},
    {{"name", "Batch New 2 (dup sku)"}, {"sku", "MUG-CAFE"}, {"regular_price", "11.00"}},
    {{"name", "Batch New 3 \xE2\x9C\x93"}, {"sku", "BATCH-NEW-3"}, {"regular_price", "12.00"}, {"status", "draft"}},
};

TEST(StoreWriter, BatchItemErrorNamesTheRowAndWhatWasApplied) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(200, read_data("real-22-products-batch-mixed-with-errors.body.json")));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);

    const WooError e = error_of([&] { writer.create_batch(kReal22Creates, {0, 0, 0}, {"row 1", "row 2", "row 3"}); });
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
    EXPECT_STREQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.woo_code, "product_invalid_sku");
    EXPECT_EQ(e.resource_id, 11);
    EXPECT_EQ(e.http_status, 400);
    const std::string message = e.what();
    EXPECT_TRUE(contains(message, "could not create product sku 'MUG-CAFE'")) << message;
    EXPECT_TRUE(contains(message, "\"shop_products\"")) << message;
    EXPECT_TRUE(contains(message, "Invalid or duplicated SKU. (product_invalid_sku)")) << message;
    EXPECT_TRUE(contains(e.detail(), "Batch item 2 of request 1 failed with HTTP status 400.")) << e.detail();
    EXPECT_TRUE(contains(e.detail(), "The SKU belongs to product 11.")) << e.detail();
    // Items 1 and 3 of the same batch were created: WooCommerce's batches are not transactional.
    EXPECT_TRUE(contains(e.detail(), "Already applied in the store by this statement: created 2 products (ids 44, 45)."))
        << e.detail();
    EXPECT_TRUE(contains(e.detail(), "ROLLBACK does not undo")) << e.detail();
    EXPECT_FALSE(e.hint().empty());
    EXPECT_EQ(writer.applied(), "created 2 products (ids 44, 45)");
    ASSERT_EQ(server.request_count(), 1u);
    EXPECT_EQ(json::parse(server.requests()[0].body), json({{"create", kReal22Creates}}));
}

TEST(StoreWriter, BatchItemErrorCountsEarlierBatchesToo) {
    // 100 rows in the first request, the three of the real 22 capture in the second.
    std::vector<json> bodies = product_bodies(100);
    bodies.insert(bodies.end(), kReal22Creates.begin(), kReal22Creates.end());
    ScriptedServer ordered;
    ordered.enqueue(answer(200, {{"create", created_items({{"create", product_bodies(100)}})}}));
    ordered.enqueue(ScriptedResponse::json(200, read_data("real-22-products-batch-mixed-with-errors.body.json")));
    StoreClient ordered_client(store_for(ordered, 1));
    StoreWriter ordered_writer(ordered_client, resource("products"), "shop_products", false);
    const WooError e = error_of([&] {
        ordered_writer.create_batch(bodies, std::vector<std::int64_t>(103, 0), labels_for(103));
    });
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
    EXPECT_TRUE(contains(e.what(), "sku 'MUG-CAFE'")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "Batch item 2 of request 2")) << e.detail();
    EXPECT_TRUE(contains(e.detail(), "created 102 products (ids 1001, 1002,")) << e.detail();
    EXPECT_EQ(ordered_writer.requests(), 2u);
}

TEST(StoreWriter, BatchAnswerMissingAnItem) {
    ScriptedServer server;
    server.enqueue(answer(200, {{"create", json::array({{{"id", 7}, {"sku", "S-1"}}, {{"id", 8}, {"sku", "S-2"}}})}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const WooError e = error_of([&] { writer.create_batch(product_bodies(3), {0, 0, 0}, labels_for(3)); });
    EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse);
    EXPECT_TRUE(contains(e.what(), "sku 'S-3'")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "created 2 products (ids 7, 8)")) << e.detail();
}

TEST(StoreWriter, WholeBatchRefusedListsEarlierStatementBatches) {
    ScriptedServer server;
    server.set_handler(batch_handler);
    StoreClient client(store_for(server, 1));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    // PostgreSQL hands the rows over in batches: the first one went through...
    writer.create_batch(product_bodies(100), std::vector<std::int64_t>(100, 0), labels_for(100));
    // ...the next one is too large for the proxy.
    server.enqueue(ScriptedResponse::json(413, R"({"code":"rest_request_too_large","message":"Request Entity Too Large","data":{"status":413}})"));
    const WooError e = error_of([&] {
        writer.create_batch(product_bodies(100, 101), std::vector<std::int64_t>(100, 0), labels_for(100));
    });
    EXPECT_EQ(e.http_status, 413);
    EXPECT_TRUE(contains(e.what(), "could not create 100 rows")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "Already applied in the store by this statement: created 100 products (ids 1001, "))
        << e.detail();
    EXPECT_EQ(writer.applied().substr(0, 21), "created 100 products ");
}

TEST(StoreWriter, ServerErrorListsEarlierStatementBatches) {
    ScriptedServer server;
    server.set_handler(batch_handler);
    StoreClient client(store_for(server, 1));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    writer.create_batch(product_bodies(10), std::vector<std::int64_t>(10, 0), labels_for(10));
    server.enqueue(ScriptedResponse::json(500, R"({"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500}})"));
    const WooError e = error_of([&] {
        writer.create_batch(product_bodies(5, 11), std::vector<std::int64_t>(5, 0), labels_for(5));
    });
    EXPECT_EQ(e.kind(), ErrorKind::RemoteUnavailable);
    EXPECT_EQ(e.http_status, 500);
    EXPECT_TRUE(contains(e.detail(), "created 10 products (ids 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010)"))
        << e.detail();
    // POST is not repeated: the store may have created them anyway.
    EXPECT_EQ(server.request_count(), 2u);
}

// CORE BUG: when one request of a create_batch call fails as a whole
// (413, 5xx), StoreClient::send_all throws and the answers of the requests
// of the same call that succeeded are dropped, so the products they created
// are missing from the error's "Already applied" list and from applied().
TEST(StoreWriter, FailedBatchListsEarlierBatchesOfTheSameCall) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        const json body = json::parse(r.body);
        if (body["create"][0]["sku"] == "S-201")
            return ScriptedResponse::json(500, R"({"code":"internal_server_error","message":"Critical error.","data":{"status":500}})");
        return batch_handler(r);
    });
    StoreClient client(store_for(server, 1));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const WooError e = error_of([&] {
        writer.create_batch(product_bodies(250), std::vector<std::int64_t>(250, 0), labels_for(250));
    });
    EXPECT_EQ(e.http_status, 500);
    EXPECT_EQ(server.request_count(), 3u);
    EXPECT_TRUE(contains(e.detail(), "created 200 products (ids 1001, 1002,")) << "CORE BUG: " << e.detail();
    EXPECT_TRUE(contains(writer.applied(), "created 200 products")) << "CORE BUG: " << writer.applied();
}

TEST(StoreWriter, SingleCreateDuplicateSku) {
    ScriptedServer server;
    server.enqueue(ScriptedResponse::json(400, read_data("real-20-products-create-duplicate-sku.body.json")));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);

    const json body = {{"name", "Dup SKU"}, {"sku", "API-LAMP-1"}, {"regular_price", "1.00"}};
    const WooError e = error_of([&] { writer.create(body, 0, "row 4"); });
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
    EXPECT_STREQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.woo_code, "product_invalid_sku");
    EXPECT_EQ(e.resource_id, 40);
    EXPECT_TRUE(contains(e.what(), "WooCommerce could not create product sku 'API-LAMP-1' of foreign table \"shop_products\""))
        << e.what();
    EXPECT_TRUE(contains(e.what(), "Invalid or duplicated SKU")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "The SKU belongs to product 40.")) << e.detail();
    EXPECT_TRUE(contains(e.detail(), "Already applied in the store by this statement: nothing.")) << e.detail();
    EXPECT_TRUE(contains(e.hint(), "40")) << e.hint();
    EXPECT_EQ(writer.applied(), "nothing");
}

TEST(StoreWriter, UpdateErrorListsEarlierChanges) {
    ScriptedServer server;
    server.enqueue(answer(200, {{"id", 40}}));
    server.enqueue(answer(404, {{"code", "woocommerce_rest_product_invalid_id"}, {"message", "Invalid ID."},
                                {"data", {{"status", 404}}}}));
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    writer.update("40", "", {{"regular_price", "1"}});
    const WooError e = error_of([&] { writer.update("41", "", {{"regular_price", "1"}}); });
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(contains(e.what(), "could not update product 41")) << e.what();
    EXPECT_TRUE(contains(e.detail(), "Already applied in the store by this statement: updated 1 product (id 40).")) << e.detail();
}

TEST(StoreWriter, AppliedText) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest& r) {
        if (r.path.size() >= 6 && r.path.substr(r.path.size() - 6) == "/batch") return batch_handler(r);
        if (r.method == "POST") return answer(201, {{"id", 101}});
        return answer(200, {{"id", std::stoll(r.path.substr(r.path.rfind('/') + 1))}});
    });
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", true);
    EXPECT_EQ(writer.applied(), "nothing");
    writer.create({{"name", "A"}}, 0, "row 1");
    EXPECT_EQ(writer.applied(), "created 1 product (id 101)");
    writer.update("42", "", {{"name", "B"}});
    writer.update("43", "", {{"name", "C"}});
    writer.remove("44", "");
    EXPECT_EQ(writer.applied(), "created 1 product (id 101); updated 2 products (ids 42, 43); trashed 1 product (id 44)");
    EXPECT_EQ(writer.requests(), 4u);

    StoreWriter many(client, resource("tags"), "shop_tags", false);
    many.create_batch(product_bodies(25), std::vector<std::int64_t>(25, 0), labels_for(25));
    EXPECT_EQ(many.applied(),
              "created 25 tags (ids 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, "
              "1013, 1014, 1015, 1016, 1017, 1018, 1019, 1020, ... (5 more))");
    EXPECT_EQ(server.requests().back().path, std::string(kApi) + "products/tags/batch");
}

// CORE BUG: applied() makes plurals by appending "s" to item_noun, which
// gives "categorys" (and "attribute terms" only by luck).
TEST(StoreWriter, AppliedPluralOfCategory) {
    ScriptedServer server;
    server.set_handler(batch_handler);
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("categories"), "shop_categories", false);
    writer.create_batch(product_bodies(2), {0, 0}, labels_for(2));
    EXPECT_EQ(writer.applied(), "created 2 categories (ids 1001, 1002)") << "CORE BUG";
}

}  // namespace
}  // namespace wcfdw

namespace wcfdw {
namespace {

TEST(StoreWriter, RedirectedCreateIsAnErrorNotARow) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        ScriptedResponse a = ScriptedResponse::json(301, "");
        a.headers.emplace_back("Location", "https://shop.example/wp-json/wc/v3/products");
        return a;
    });
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const WooError e = error_of([&] { writer.create(product_bodies(1).front(), 0, "row 1"); });
    EXPECT_EQ(e.kind(), ErrorKind::Redirected);
    EXPECT_TRUE(contains(e.what(), "could not create")) << e.what();
    EXPECT_TRUE(contains(e.what(), "HTTP 301")) << e.what();
    EXPECT_EQ(writer.applied(), "nothing");
}

TEST(StoreWriter, UnusableSuccessAnswerSaysTheChangeMayHaveHappened) {
    for (const std::string& body : {std::string(""), std::string("<html>ok</html>"), std::string("[]"),
                                   std::string(R"({"name":"x"})"), std::string(R"({"id":"7"})")}) {
        ScriptedServer server;
        server.set_handler([body](const ReceivedRequest&) { return ScriptedResponse::json(201, body); });
        StoreClient client(store_for(server));
        StoreWriter writer(client, resource("products"), "shop_products", false);
        const WooError e = error_of([&] { writer.create(product_bodies(1).front(), 0, "row 1"); });
        EXPECT_EQ(e.kind(), ErrorKind::InvalidResponse) << body;
        EXPECT_FALSE(contains(e.what(), "could not")) << e.what();
        EXPECT_TRUE(contains(e.what(), "cannot be used")) << e.what();
        EXPECT_TRUE(contains(e.detail(), "may have applied")) << e.detail();
    }
}

TEST(StoreWriter, UnusableBatchAnswerSaysTheRowsMayHaveBeenCreated) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) { return ScriptedResponse::json(200, "{\"create\": [ "); });
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const WooError e = error_of([&] { writer.create_batch(product_bodies(3), {}, labels_for(3)); });
    EXPECT_TRUE(contains(e.what(), "cannot be used")) << e.what();
    EXPECT_TRUE(contains(e.what(), "3 rows in one batch")) << e.what();
}

TEST(StoreWriter, ReturnedNumbersOutOfRangeAreKeptForReturning) {
    ScriptedServer server;
    server.set_handler([](const ReceivedRequest&) {
        return ScriptedResponse::json(201, R"({"id": 77, "name": "x", "price": 1e400})");
    });
    StoreClient client(store_for(server));
    StoreWriter writer(client, resource("products"), "shop_products", false);
    const json created = writer.create(product_bodies(1).front(), 0, "row 1");
    EXPECT_EQ(created["id"], 77);
    ASSERT_EQ(writer.last_unrepresentable().size(), 1u);
    EXPECT_EQ(writer.last_unrepresentable()[0].text, "1e400");
    EXPECT_TRUE(contains(writer.applied(), "created 1 product (id 77)")) << writer.applied();
}

}  // namespace
}  // namespace wcfdw
