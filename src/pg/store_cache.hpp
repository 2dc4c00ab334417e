// One StoreClient per user mapping, kept for the life of the backend so
// that scans reuse TCP/TLS connections (keep-alive lives in the client).
// Like postgres_fdw's connection cache, entries are dropped when the server
// or the user mapping changes (syscache invalidation).
#pragma once

#include <memory>

#include "core/woo/store_client.hpp"
#include "pg/option_lists.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// What the catalogs say about one store link, as plain C data.
struct StoreLink {
    Oid serverid = InvalidOid;
    Oid umid = InvalidOid;
    const char* server_name = nullptr;
    FlatOptions server_options;
    FlatOptions mapping_options;
    uint32 server_hash_value = 0;   // for invalidation callbacks
    uint32 mapping_hash_value = 0;
};

// Reads the server and the user mapping of `userid` (or PUBLIC's). Raises
// 28000 naming the role and the server when there is none. Call from a
// frame that owns no C++ objects.
StoreLink lookup_store_link(Oid serverid, Oid userid);

// The cached client for `link` (created on first use or after the server or
// mapping changed), with the cancel hook set. It has no deadline: give it
// one with a DeadlineScope around each call that sends requests.
// Throws WooError for bad options. C++ only: calls no PostgreSQL function.
std::shared_ptr<StoreClient> store_client_for(const StoreLink& link);

// The statement's deadline on a cached client for the length of one call
// into the core, taken away after it. A cached client outlives statements
// (a cursor is fetched by later statements, other statements use the same
// user mapping): a deadline left on it would bound a statement it does not
// belong to.
class DeadlineScope {
public:
    DeadlineScope(StoreClient& client, std::chrono::steady_clock::time_point deadline) noexcept : client_(client) {
        client_.http().set_deadline(deadline);
    }
    ~DeadlineScope() { client_.http().set_deadline(std::chrono::steady_clock::time_point::max()); }
    DeadlineScope(const DeadlineScope&) = delete;
    DeadlineScope& operator=(const DeadlineScope&) = delete;

private:
    StoreClient& client_;
};

// From _PG_init: invalidation callbacks on pg_foreign_server and pg_user_mapping.
void register_store_cache_callbacks();

}  // namespace wcfdw::pg
