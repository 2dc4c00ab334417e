#include "pg/store_cache.hpp"

#include <cstring>
#include <string>
#include <unordered_map>

#include "core/woo/options.hpp"
#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

struct Entry {
    std::shared_ptr<StoreClient> client;
    uint32 server_hash = 0;
    uint32 mapping_hash = 0;
    bool valid = true;
};

// Keyed by user mapping oid. Process-local; a backend serves one session.
std::unordered_map<Oid, Entry>& cache() {
    static std::unordered_map<Oid, Entry> entries;
    return entries;
}

// Syscache callbacks run inside PostgreSQL's invalidation processing: they
// only flip flags (no allocation, nothing that can throw).
void invalidate(Datum arg, int cacheid, uint32 hashvalue) {
    (void)arg;
    for (auto& [umid, entry] : cache()) {
        if (hashvalue == 0 || (cacheid == FOREIGNSERVEROID && entry.server_hash == hashvalue) ||
            (cacheid == USERMAPPINGOID && entry.mapping_hash == hashvalue))
            entry.valid = false;
    }
}

}  // namespace

StoreLink lookup_store_link(Oid serverid, Oid userid) {
    StoreLink link;
    ForeignServer* server = GetForeignServer(serverid);
    link.serverid = serverid;
    link.server_name = server->servername;
    if (!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid), ObjectIdGetDatum(serverid)) &&
        !SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid), ObjectIdGetDatum(serverid))) {
        const char* role = GetUserNameFromId(userid, true);
        ereport(ERROR, (errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
                        errmsg("role \"%s\" has no user mapping for WooCommerce server \"%s\"", role ? role : "?",
                               server->servername),
                        errhint("CREATE USER MAPPING FOR %s SERVER %s OPTIONS (consumer_key '...', "
                                "consumer_secret '...'), or one FOR PUBLIC.",
                                role ? quote_identifier(role) : "CURRENT_USER", quote_identifier(server->servername))));
    }
    UserMapping* mapping = GetUserMapping(userid, serverid);
    link.umid = mapping->umid;
    link.server_options = flatten_options(server->options);
    link.mapping_options = flatten_options(mapping->options);
    link.server_hash_value = GetSysCacheHashValue1(FOREIGNSERVEROID, ObjectIdGetDatum(serverid));
    link.mapping_hash_value = GetSysCacheHashValue1(USERMAPPINGOID, ObjectIdGetDatum(mapping->umid));
    return link;
}

std::shared_ptr<StoreClient> store_client_for(const StoreLink& link) {
    auto& entries = cache();
    auto it = entries.find(link.umid);
    if (it != entries.end() && !it->second.valid) {
        entries.erase(it);  // a running scan keeps its client through its shared_ptr
        it = entries.end();
    }
    if (it == entries.end()) {
        OptionList server_options;
        for (int i = 0; i < link.server_options.count; ++i)
            if (strcmp(link.server_options.names[i], "url") != 0)
                server_options.emplace_back(link.server_options.names[i], link.server_options.values[i]);
        const char* url = flat_option(link.server_options, "url");
        const char* key = flat_option(link.mapping_options, "consumer_key");
        const char* secret = flat_option(link.mapping_options, "consumer_secret");
        if (!key || !secret)
            throw WooError(ErrorKind::Auth,
                           std::string("the user mapping for WooCommerce server \"") + link.server_name +
                               "\" has no consumer_key or consumer_secret",
                           {},
                           std::string("ALTER USER MAPPING FOR CURRENT_USER SERVER ") + link.server_name +
                               " OPTIONS (ADD consumer_key 'ck_...', ADD consumer_secret 'cs_...').");
        const Credentials credentials{key, secret};
        remember_credentials(credentials);
        StoreConfig config = store_config_from_options(url ? url : "", server_options, credentials);
        Entry entry;
        entry.client = std::make_shared<StoreClient>(std::move(config));
        entry.server_hash = link.server_hash_value;
        entry.mapping_hash = link.mapping_hash_value;
        it = entries.emplace(link.umid, std::move(entry)).first;
    }
    StoreClient& client = *it->second.client;
    client.http().set_cancel_hook(interrupt_pending);
    return it->second.client;
}

void register_store_cache_callbacks() {
    CacheRegisterSyscacheCallback(FOREIGNSERVEROID, invalidate, (Datum)0);
    CacheRegisterSyscacheCallback(USERMAPPINGOID, invalidate, (Datum)0);
}

}  // namespace wcfdw::pg
