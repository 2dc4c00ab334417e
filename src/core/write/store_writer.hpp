// Writes through a foreign table: one request per row (when PostgreSQL
// needs RETURNING, or the resource has no batch endpoint) or batches of up
// to 100 creates. WooCommerce cannot roll back, and its batches are not
// transactional, so the writer remembers what this statement already
// changed in the store and every error says so. Rows are addressed by their
// key as text (42, bacs, woocommerce_currency) under their parent's key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/woo/resources.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw {

class StoreWriter {
public:
    StoreWriter(StoreClient& client, const ResourceInfo& resource, std::string table_name, bool trash);

    // Each returns the object the store answered with.
    nlohmann::json create(const nlohmann::json& body, std::int64_t parent, const std::string& row_label);
    nlohmann::json update(const std::string& key, const std::string& parent, const nlohmann::json& body);
    // DELETE ?force=true, or to the trash where the resource has one and
    // the table asks for it (`trash`).
    nlohmann::json remove(const std::string& key, const std::string& parent);
    // Keys are text: a number (0 would become a null char*) does not compile.
    nlohmann::json update(std::int64_t, std::int64_t, const nlohmann::json&) = delete;
    nlohmann::json remove(std::int64_t, std::int64_t) = delete;

    // POST .../batch {"create": [...]} in requests of at most `max_items`
    // (and WooCommerce's 100) items, grouped by parent for nested
    // resources, up to concurrency in flight (one POST per row, in order,
    // for resources without a batch endpoint).
    // Returns the created objects in order. When an item fails, the error
    // names it, carries WooCommerce's code and message, and lists what was
    // applied (including the other items of the same batch).
    std::vector<nlohmann::json> create_batch(const std::vector<nlohmann::json>& bodies,
                                             const std::vector<std::int64_t>& parents,
                                             const std::vector<std::string>& row_labels,
                                             std::size_t max_items = 100);

    // What the store answered but did not keep as sent (woo/store_rules):
    // one warning per written row whose answer differs from its body.
    struct Warning {
        std::string message;  // "the store did not keep every value written to product sku 'X' (id 7) ..."
        std::string detail;   // "stock_quantity (sent 2, the store has null: ...)."
    };
    // The warnings collected since the last call, oldest first.
    std::vector<Warning> take_warnings();

    // Numbers of the object the last create/update/remove answered with
    // that the JSON reader could not hold (null in that object): RETURNING
    // passes them to the row converter, which refuses a column reading one.
    const std::vector<UnrepresentableNumber>& last_unrepresentable() const noexcept { return last_numbers_; }

    std::uint64_t requests() const noexcept { return requests_; }
    // "created 3 products (ids 101, 102, 103); updated 1 product (id 40)"
    std::string applied() const;

private:
    std::string collection(const std::string& parent) const;
    std::string item_path(const std::string& key, const std::string& parent) const;
    [[noreturn]] void fail(const WooError& error, const std::string& row_label, const std::string& action);
    // The store answered 2xx, so the change may have happened, but the
    // answer cannot be used: say so, never "could not".
    [[noreturn]] void fail_unreadable(const WooError& error, const std::string& row_label, const std::string& action);
    // Sends one write; errors become fail()/fail_unreadable(). The answer
    // must be an object (with the row's key when `expect_key`).
    StoreResponse send_one(const HttpRequest& request, const std::string& row_label, const std::string& action,
                           bool expect_key);
    void account(const StoreResponse& response);
    void check_kept(const nlohmann::json& body, const nlohmann::json& answer, const std::string& row_label);

    StoreClient& client_;
    const ResourceInfo& resource_;
    std::string table_;
    bool trash_;
    std::vector<std::string> created_, updated_, deleted_;  // keys
    std::vector<Warning> warnings_;
    std::uint64_t requests_ = 0;
    std::vector<UnrepresentableNumber> last_numbers_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
