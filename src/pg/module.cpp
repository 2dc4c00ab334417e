// Library entry: the module magic and process-wide setup.
#include "pg/store_cache.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
}

void _PG_init(void) {
    // The HTTP core initialises libcurl lazily on first use, and
    // per-statement settings come from server options. Cached store clients
    // must forget servers and user mappings that change.
    wcfdw::pg::register_store_cache_callbacks();
}
