// Library entry: the module magic and process-wide setup.
#include "pg/store_cache.hpp"
#include "pg/webhook_settings.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
void wcfdw_define_sync_settings(void);  // sync_functions.cpp
}

void _PG_init(void) {
    // The HTTP core initialises libcurl lazily on first use, and
    // per-statement settings come from server options. Cached store clients
    // must forget servers and user mappings that change; the sync engine's
    // GUC (woocommerce.sync_progress) and the webhook receiver's
    // (woocommerce.webhook_*) are defined here.
    wcfdw::pg::register_store_cache_callbacks();
    wcfdw_define_sync_settings();
    wcfdw::pg::define_webhook_settings();
    wcfdw::pg::register_webhook_worker();
}
